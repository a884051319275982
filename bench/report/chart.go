package report

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
)

// Chart geometry in pixels.
const (
	chartHeight   = 480
	plotTop       = 70
	plotBottom    = 60 // room for group labels under the axis
	plotLeft      = 70
	plotRight     = 20
	barWidth      = 28
	groupGap      = 30
	textScale     = 2
	gridLines     = 5
	legendSwatch  = 12
	legendSpacing = 20
	headroomFrac  = 1.15 // the y axis ends this much above the tallest bar
	labelGap      = 4
)

var (
	colBackground = color.RGBA{255, 255, 255, 255}
	colAxis       = color.RGBA{40, 40, 40, 255}
	colGrid       = color.RGBA{225, 225, 225, 255}
	colWhisker    = color.RGBA{0, 0, 0, 255}
	palette       = []color.RGBA{
		{31, 119, 180, 255}, {255, 127, 14, 255}, {44, 160, 44, 255},
		{214, 39, 40, 255}, {148, 103, 189, 255}, {140, 86, 75, 255},
	}
)

var errNoData = errors.New("report: no throughput cases to chart")

type groupKey struct{ size, flows int }

// WriteChart draws the throughput cases as a grouped bar chart (one group
// per frame size × flow count, one bar per switch, height = median Mpps,
// whiskers = min..max over the runs) and writes it as PNG.
func WriteChart(w io.Writer, r *Report) error {
	var groups []groupKey
	var switches []string
	cell := make(map[groupKey]map[string]*Case)
	maxV := 0.0
	for i := range r.Cases {
		c := &r.Cases[i]
		if c.Kind != KindThroughput {
			continue
		}
		g := groupKey{c.Size, c.Flows}
		if cell[g] == nil {
			cell[g] = make(map[string]*Case)
			groups = append(groups, g)
		}
		if !contains(switches, c.Switch) {
			switches = append(switches, c.Switch)
		}
		cell[g][c.Switch] = c
		maxV = math.Max(maxV, c.Summary.MppsMax)
	}
	if len(groups) == 0 {
		return errNoData
	}
	if maxV <= 0 {
		maxV = 1
	}
	top := niceCeil(maxV * headroomFrac)
	groupW := len(switches)*barWidth + groupGap
	width := max(plotLeft+len(groups)*groupW+plotRight, legendWidth(switches)+plotLeft)
	img := image.NewRGBA(image.Rect(0, 0, width, chartHeight))
	fillRect(img, img.Bounds(), colBackground)
	baseY := chartHeight - plotBottom
	plotH := baseY - plotTop
	yOf := func(v float64) int { return baseY - int(v/top*float64(plotH)) }

	// Grid and y labels.
	for i := 0; i <= gridLines; i++ {
		v := top * float64(i) / gridLines
		y := yOf(v)
		fillRect(img, image.Rect(plotLeft, y, width-plotRight, y+1), colGrid)
		lbl := trimFloat(v)
		drawText(img, plotLeft-labelGap-textWidth(lbl, textScale), y-glyphH*textScale/2, lbl, textScale, colAxis)
	}
	fillRect(img, image.Rect(plotLeft, plotTop, plotLeft+1, baseY+1), colAxis)
	fillRect(img, image.Rect(plotLeft, baseY, width-plotRight, baseY+1), colAxis)
	drawText(img, labelGap, labelGap, "MPPS (MEDIAN, MIN-MAX) - "+r.Duration+" RUNS", textScale, colAxis)

	// Legend.
	x := plotLeft
	for i, s := range switches {
		c := palette[i%len(palette)]
		ly := labelGap + glyphH*textScale + legendSpacing/2
		fillRect(img, image.Rect(x, ly, x+legendSwatch, ly+legendSwatch), c)
		drawText(img, x+legendSwatch+labelGap, ly+1, s, textScale, colAxis)
		x += legendSwatch + 2*labelGap + textWidth(s, textScale) + legendSpacing
	}

	// Bars.
	for gi, g := range groups {
		gx := plotLeft + groupGap/2 + gi*groupW
		for si, s := range switches {
			c := cell[g][s]
			bx := gx + si*barWidth
			if c == nil {
				continue
			}
			if c.Unavailable != "" || len(c.Runs) == 0 {
				drawText(img, bx+labelGap, baseY-glyphH*textScale-labelGap, "NA", 1, colAxis)
				continue
			}
			sm := c.Summary
			fillRect(img, image.Rect(bx+1, yOf(sm.MppsMedian), bx+barWidth-1, baseY), palette[si%len(palette)])
			mid := bx + barWidth/2
			fillRect(img, image.Rect(mid, yOf(sm.MppsMax), mid+1, yOf(sm.MppsMin)+1), colWhisker)
			fillRect(img, image.Rect(mid-labelGap, yOf(sm.MppsMax), mid+labelGap+1, yOf(sm.MppsMax)+1), colWhisker)
			fillRect(img, image.Rect(mid-labelGap, yOf(sm.MppsMin), mid+labelGap+1, yOf(sm.MppsMin)+1), colWhisker)
			v := trimFloat(sm.MppsMedian)
			drawText(img, mid-textWidth(v, 1)/2, yOf(sm.MppsMax)-glyphH-labelGap, v, 1, colAxis)
		}
		lbl := fmt.Sprintf("%dB", g.size)
		lbl2 := fmt.Sprintf("%d FL", g.flows)
		cx := gx + len(switches)*barWidth/2
		drawText(img, cx-textWidth(lbl, textScale)/2, baseY+labelGap*2, lbl, textScale, colAxis)
		drawText(img, cx-textWidth(lbl2, textScale)/2, baseY+labelGap*3+glyphH*textScale, lbl2, textScale, colAxis)
	}
	return png.Encode(w, img)
}

func legendWidth(switches []string) int {
	w := 0
	for _, s := range switches {
		w += legendSwatch + 2*labelGap + textWidth(s, textScale) + legendSpacing
	}
	return w
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// niceCeil rounds v up to 1, 2 or 5 times a power of ten.
func niceCeil(v float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if v <= m*p {
			return m * p
		}
	}
	return 10 * p
}

func trimFloat(v float64) string {
	switch {
	case v >= 10:
		return fmt.Sprintf("%.0f", v)
	case v >= 1:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}
