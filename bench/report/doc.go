// Package report holds govs-bench's results and renders them: the summary
// statistics (median, spread, percentiles), the text table, JSON and a PNG
// bar chart drawn with the standard library only (image/png and a small
// built-in bitmap font).
//
// A Report is built by one goroutine (the runner) and rendered after the
// run; nothing here is safe for concurrent mutation. Nothing here is on a
// per-packet path: allocation is not a concern.
package report
