package chart

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// palette is the colour cycle of every figure and curve (colour-blind-safe,
// after Okabe and Ito). Read it through Color only.
var palette = [...]color.NRGBA{
	{R: 0x00, G: 0x72, B: 0xb2, A: 0xff}, // blue
	{R: 0xd5, G: 0x5e, B: 0x00, A: 0xff}, // vermillion
	{R: 0x00, G: 0x9e, B: 0x73, A: 0xff}, // bluish green
	{R: 0xcc, G: 0x79, B: 0xa7, A: 0xff}, // reddish purple
	{R: 0xe6, G: 0x9f, B: 0x00, A: 0xff}, // orange
	{R: 0x56, G: 0xb4, B: 0xe9, A: 0xff}, // sky blue
	{R: 0x55, G: 0x55, B: 0x55, A: 0xff}, // grey
	{R: 0xf0, G: 0xe4, B: 0x42, A: 0xff}, // yellow
}

// Color returns the i-th colour of the colour cycle; it wraps around, and
// a negative i counts as -i.
func Color(i int) color.NRGBA {
	if i < 0 {
		i = -i
	}
	return palette[i%len(palette)]
}

// NewPlot returns a plot with the common style: title and axis labels set.
// AddGrid puts the light grid behind the data.
func NewPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	return p
}

// AddGrid adds the light grey grid of the common style.
func AddGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xdd}
	g.Horizontal.Color = color.Gray{Y: 0xdd}
	p.Add(g)
}

// Finite reports whether v is neither NaN nor infinite.
func Finite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// PercentTicks labels a [0,1] axis in percent.
type PercentTicks struct{}

// Ticks implements plot.Ticker.
func (PercentTicks) Ticks(min, max float64) []plot.Tick {
	var out []plot.Tick
	// Ticks over the data's [0,1] part only: the axis may extend above 1 to
	// make room for the legend.
	for _, t := range (plot.DefaultTicks{}).Ticks(math.Max(min, 0), math.Min(max, 1)) {
		if t.Value > 1+1e-9 || t.Value < -1e-9 {
			continue // room made for the legend, not data
		}
		if t.Label != "" {
			t.Label = strconv.FormatFloat(math.Round(t.Value*1e6)/1e4, 'f', -1, 64) + "%"
		}
		out = append(out, t)
	}
	return out
}

// IntegerTicks labels an axis of counts or epochs: NiceTicks with a step
// of at least 1, labelled without decimals.
type IntegerTicks struct{}

// Ticks implements plot.Ticker.
func (IntegerTicks) Ticks(min, max float64) []plot.Tick {
	return NiceTicks{Integer: true}.Ticks(min, max)
}

// LineStyle is a solid line of the i-th colour.
func LineStyle(i int) draw.LineStyle {
	return draw.LineStyle{Color: Color(i), Width: vg.Points(1.5)}
}

// PlaceLegend puts p's legend in a corner of the data area that no curve
// crosses. xys are the curves (drawn as lines between successive points);
// ymin and ymax the y range the axis will show. When every corner is
// taken, the y axis grows upwards to make room and the legend goes top
// right. p.X and p.Y ranges must be final except for that growth.
func PlaceLegend(p *plot.Plot, curves []plotter.XYs, xmin, xmax, ymin, ymax float64, entries int) {
	if entries == 0 {
		return
	}
	// Legend height and width, fractions of the data area.
	PlaceLegendBox(p, curves, xmin, xmax, ymin, ymax, 0.34, 0.08*float64(entries)+0.04)
}

// PlaceLegendBox is PlaceLegend for a legend wf wide and hf high, as
// fractions of the data area.
func PlaceLegendBox(p *plot.Plot, curves []plotter.XYs, xmin, xmax, ymin, ymax, wf, hf float64) {
	if xmax <= xmin || ymax <= ymin || hf >= 1 {
		return
	}
	type corner struct{ top, left bool }
	corners := []corner{{true, false}, {true, true}, {false, false}, {false, true}}
	free := func(c corner) bool {
		x0, x1 := 1-wf, 1.0
		if c.left {
			x0, x1 = 0, wf
		}
		y0, y1 := 0.0, hf
		if c.top {
			y0, y1 = 1-hf, 1
		}
		for _, xys := range curves {
			for i := range xys {
				pts := 1
				if i > 0 {
					pts = 24
				}
				for s := 0; s < pts; s++ {
					x, y := xys[i].X, xys[i].Y
					if i > 0 {
						f := float64(s) / float64(pts)
						x = xys[i-1].X + (xys[i].X-xys[i-1].X)*f
						y = xys[i-1].Y + (xys[i].Y-xys[i-1].Y)*f
					}
					nx, ny := (x-xmin)/(xmax-xmin), (y-ymin)/(ymax-ymin)
					if nx >= x0 && nx <= x1 && ny >= y0 && ny <= y1 {
						return false
					}
				}
			}
		}
		return true
	}
	for _, c := range corners {
		if free(c) {
			p.Legend.Top, p.Legend.Left = c.top, c.left
			return
		}
	}
	p.Legend.Top, p.Legend.Left = true, false
	p.Y.Max = ymax + (ymax-ymin)*hf/(1-hf)*1.15
}
