package report

import (
	"image"
	"image/color"
	"strings"
)

// A tiny 3×5 bitmap font, enough for chart labels: digits, letters (upper
// case; lower case is drawn as upper case) and a few symbols. Unknown
// runes are drawn as a box.
const (
	glyphW     = 3
	glyphH     = 5
	glyphGap   = 1
	glyphRow   = "###"
	glyphBlank = "   "
)

var glyphs = map[rune][glyphH]string{
	'0': {"###", "# #", "# #", "# #", "###"},
	'1': {" # ", "## ", " # ", " # ", "###"},
	'2': {"###", "  #", "###", "#  ", "###"},
	'3': {"###", "  #", " ##", "  #", "###"},
	'4': {"# #", "# #", "###", "  #", "  #"},
	'5': {"###", "#  ", "###", "  #", "###"},
	'6': {"###", "#  ", "###", "# #", "###"},
	'7': {"###", "  #", " # ", " # ", " # "},
	'8': {"###", "# #", "###", "# #", "###"},
	'9': {"###", "# #", "###", "  #", "###"},
	'A': {" # ", "# #", "###", "# #", "# #"},
	'B': {"## ", "# #", "## ", "# #", "## "},
	'C': {"###", "#  ", "#  ", "#  ", "###"},
	'D': {"## ", "# #", "# #", "# #", "## "},
	'E': {"###", "#  ", "## ", "#  ", "###"},
	'F': {"###", "#  ", "## ", "#  ", "#  "},
	'G': {"###", "#  ", "# #", "# #", "###"},
	'H': {"# #", "# #", "###", "# #", "# #"},
	'I': {"###", " # ", " # ", " # ", "###"},
	'J': {"  #", "  #", "  #", "# #", "###"},
	'K': {"# #", "## ", "#  ", "## ", "# #"},
	'L': {"#  ", "#  ", "#  ", "#  ", "###"},
	'M': {"# #", "###", "###", "# #", "# #"},
	'N': {"## ", "# #", "# #", "# #", "# #"},
	'O': {" # ", "# #", "# #", "# #", " # "},
	'P': {"## ", "# #", "## ", "#  ", "#  "},
	'Q': {" # ", "# #", "# #", "## ", " ##"},
	'R': {"## ", "# #", "## ", "# #", "# #"},
	'S': {" ##", "#  ", " # ", "  #", "## "},
	'T': {"###", " # ", " # ", " # ", " # "},
	'U': {"# #", "# #", "# #", "# #", "###"},
	'V': {"# #", "# #", "# #", "# #", " # "},
	'W': {"# #", "# #", "###", "###", "# #"},
	'X': {"# #", "# #", " # ", "# #", "# #"},
	'Y': {"# #", "# #", " # ", " # ", " # "},
	'Z': {"###", "  #", " # ", "#  ", "###"},
	' ': {glyphBlank, glyphBlank, glyphBlank, glyphBlank, glyphBlank},
	'.': {glyphBlank, glyphBlank, glyphBlank, glyphBlank, " # "},
	',': {glyphBlank, glyphBlank, glyphBlank, " # ", "#  "},
	':': {glyphBlank, " # ", glyphBlank, " # ", glyphBlank},
	'-': {glyphBlank, glyphBlank, glyphRow, glyphBlank, glyphBlank},
	'_': {glyphBlank, glyphBlank, glyphBlank, glyphBlank, glyphRow},
	'/': {"  #", "  #", " # ", "#  ", "#  "},
	'%': {"# #", "  #", " # ", "#  ", "# #"},
	'(': {" # ", "#  ", "#  ", "#  ", " # "},
	')': {" # ", "  #", "  #", "  #", " # "},
	'=': {glyphBlank, glyphRow, glyphBlank, glyphRow, glyphBlank},
	'+': {glyphBlank, " # ", glyphRow, " # ", glyphBlank},
}

var unknownGlyph = [glyphH]string{glyphRow, "# #", "# #", "# #", glyphRow}

// textWidth is the width in pixels of s drawn at scale.
func textWidth(s string, scale int) int {
	n := len([]rune(s))
	if n == 0 {
		return 0
	}
	return (n*(glyphW+glyphGap) - glyphGap) * scale
}

// drawText draws s with its top-left corner at (x, y), each font pixel a
// scale×scale square. Pixels outside img are clipped.
func drawText(img *image.RGBA, x, y int, s string, scale int, c color.Color) {
	for _, r := range s {
		g, ok := glyphs[r]
		if !ok {
			g, ok = glyphs[[]rune(strings.ToUpper(string(r)))[0]]
		}
		if !ok {
			g = unknownGlyph
		}
		for row, line := range g {
			for col, px := range line {
				if px != ' ' {
					fillRect(img, image.Rect(x+col*scale, y+row*scale, x+(col+1)*scale, y+(row+1)*scale), c)
				}
			}
		}
		x += (glyphW + glyphGap) * scale
	}
}

// fillRect fills r ∩ img.Bounds() with c.
func fillRect(img *image.RGBA, r image.Rectangle, c color.Color) {
	r = r.Intersect(img.Bounds())
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			img.Set(x, y, c)
		}
	}
}
