package figure

import (
	"image"
	"image/color"

	"gonum.org/v1/plot"

	"github.com/trannsformer/gotrann/display/internal/chart"
)

// The common style of every figure lives in display/internal/chart, shared
// with the live curves of display.Monitor; these names keep the figures'
// code short.

// Color returns the i-th colour of the figures' colour cycle
// (colour-blind-safe, after Okabe and Ito).
func Color(i int) color.Color { return chart.Color(i) }

// newPlot returns a plot with the common style: title and axis labels set.
func newPlot(title, xlabel, ylabel string) *plot.Plot { return chart.NewPlot(title, xlabel, ylabel) }

// addGrid puts a light grid behind the data.
func addGrid(p *plot.Plot) { chart.AddGrid(p) }

// finite reports whether v is neither NaN nor infinite.
func finite(v float64) bool { return chart.Finite(v) }

// percentTicks labels a [0,1] axis in percent.
type percentTicks = chart.PercentTicks

// integerTicks keeps only the integer ticks, labelled without decimals.
type integerTicks = chart.IntegerTicks

// sharpen enlarges img by an integer factor, nearest neighbour, until its
// longer side reaches at least minSide pixels, so that the smoothing of the
// canvas's image scaling does not blur cell boundaries.
func sharpen(img *image.NRGBA, minSide int) *image.NRGBA {
	b := img.Bounds()
	side := max(b.Dx(), b.Dy())
	if side == 0 || side >= minSide {
		return img
	}
	f := (minSide + side - 1) / side
	out := image.NewNRGBA(image.Rect(0, 0, b.Dx()*f, b.Dy()*f))
	for y := 0; y < out.Bounds().Dy(); y++ {
		for x := 0; x < out.Bounds().Dx(); x++ {
			out.SetNRGBA(x, y, img.NRGBAAt(b.Min.X+x/f, b.Min.Y+y/f))
		}
	}
	return out
}
