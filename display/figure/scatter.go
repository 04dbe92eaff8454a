package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/trannsformer/gotrann/display/internal/chart"
)

// ScatterPoint is one point of a labelled scatter plot: its colour is
// Color(Group), its marker shape the Kind-th of filled circle, triangle,
// square and diamond.
type ScatterPoint struct {
	X, Y        float64
	Group, Kind int
}

// ScatterOptions labels a scatter plot. The zero value names colours
// "group 0", "group 1"… and shows no marker legend for a single kind.
type ScatterOptions struct {
	Title, XLabel, YLabel string
	// Groups names the colours in the legend ("block 0", "cluster 1").
	Groups []string
	// Kinds names the marker shapes ("input", "output").
	Kinds []string
}

// scatterShapes are the marker shapes, by kind: filled, so that colours
// read at a glance.
var scatterShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.PyramidGlyph{}, draw.BoxGlyph{}, diamondGlyph{}}

// Scatter draws points coloured by group and shaped by kind, such as the
// spectral embedding of a graph's nodes coloured by planted block or
// cluster, inputs and outputs with different markers, with a legend for
// both in a corner the points leave free. It fails on points that are not
// finite or a negative group or kind, or more kinds than shapes.
func Scatter(points []ScatterPoint, o ScatterOptions) (*plot.Plot, error) {
	if len(points) == 0 {
		return nil, fmt.Errorf("figure: no points to scatter")
	}
	groups, kinds := 0, 0
	for i, pt := range points {
		if !finite(pt.X) || !finite(pt.Y) {
			return nil, fmt.Errorf("figure: point %d at (%v, %v), want finite", i, pt.X, pt.Y)
		}
		if pt.Group < 0 || pt.Kind < 0 || pt.Kind >= len(scatterShapes) {
			return nil, fmt.Errorf("figure: point %d has group %d and kind %d, want group ≥ 0 and kind in [0,%d)", i, pt.Group, pt.Kind, len(scatterShapes))
		}
		groups, kinds = max(groups, pt.Group+1), max(kinds, pt.Kind+1)
	}
	groups, kinds = max(groups, len(o.Groups)), max(kinds, len(o.Kinds))
	if kinds > len(scatterShapes) {
		return nil, fmt.Errorf("figure: %d marker kinds, at most %d", kinds, len(scatterShapes))
	}
	p := newPlot(o.Title, o.XLabel, o.YLabel)
	addGrid(p)
	p.X.Tick.Marker = chart.NiceTicks{}
	p.Y.Tick.Marker = chart.NiceTicks{}
	const radius = 3.5
	xs := make([]plotter.XYs, 0, len(points))
	// One scatter per group and kind, drawn in group order.
	for g := 0; g < groups; g++ {
		for k := 0; k < kinds; k++ {
			var xys plotter.XYs
			for _, pt := range points {
				if pt.Group == g && pt.Kind == k {
					xys = append(xys, plotter.XY{X: pt.X, Y: pt.Y})
					xs = append(xs, plotter.XYs{{X: pt.X, Y: pt.Y}})
				}
			}
			if len(xys) == 0 {
				continue
			}
			s, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("figure: scatter: %w", err)
			}
			s.GlyphStyle = draw.GlyphStyle{Color: Color(g), Radius: vg.Points(radius), Shape: scatterShapes[k]}
			p.Add(s)
		}
	}
	// The legend: a swatch per colour, then a grey marker per shape.
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.ThumbnailWidth = vg.Points(12)
	entries := 0
	for g := 0; g < groups; g++ {
		name := fmt.Sprintf("group %d", g)
		if g < len(o.Groups) {
			name = o.Groups[g]
		}
		shape := draw.GlyphDrawer(draw.BoxGlyph{})
		if kinds == 1 {
			shape = scatterShapes[0]
		}
		p.Legend.Add(name, legendGlyph{draw.GlyphStyle{Color: Color(g), Radius: vg.Points(radius), Shape: shape}})
		entries++
	}
	if kinds > 1 {
		for k := 0; k < kinds; k++ {
			name := fmt.Sprintf("kind %d", k)
			if k < len(o.Kinds) {
				name = o.Kinds[k]
			}
			p.Legend.Add(name, legendGlyph{draw.GlyphStyle{Color: color.Gray{Y: 0x55}, Radius: vg.Points(radius), Shape: scatterShapes[k]}})
			entries++
		}
	}
	// Pad the ranges by a marker's width, then find a free corner.
	xmin, xmax, ymin, ymax := plotter.XYRange(scatterXYs(xs))
	padX, padY := (xmax-xmin)*0.04, (ymax-ymin)*0.05
	if padX == 0 {
		padX = 1
	}
	if padY == 0 {
		padY = 1
	}
	xmin, xmax, ymin, ymax = xmin-padX, xmax+padX, ymin-padY, ymax+padY
	p.X.Min, p.X.Max, p.Y.Min, p.Y.Max = xmin, xmax, ymin, ymax
	// Legend size as fractions of a 6×4 inch panel's data area (about
	// 380×230 points).
	w := 0.0
	for _, name := range append(append([]string(nil), o.Groups...), o.Kinds...) {
		w = max(w, float64(p.Legend.TextStyle.Width(" "+name)))
	}
	w = max(w, float64(p.Legend.TextStyle.Width(" group 00")))
	wf := (w + float64(p.Legend.ThumbnailWidth) + 8) / 380
	hf := float64(entries)*float64(p.Legend.TextStyle.Height("A"))/230 + 0.03
	chart.PlaceLegendBox(p, xs, xmin, xmax, ymin, ymax, wf, hf)
	return p, nil
}

// scatterXYs concatenates single points, for their joint range.
type scatterXYs []plotter.XYs

func (s scatterXYs) Len() int { return len(s) }

func (s scatterXYs) XY(i int) (float64, float64) { return s[i][0].X, s[i][0].Y }

// legendGlyph is a legend thumbnail showing one marker.
type legendGlyph struct{ sty draw.GlyphStyle }

// Thumbnail implements plot.Thumbnailer.
func (l legendGlyph) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(l.sty, vg.Point{X: (c.Min.X + c.Max.X) / 2, Y: (c.Min.Y + c.Max.Y) / 2})
}

// diamondGlyph is a filled diamond.
type diamondGlyph struct{}

// DrawGlyph implements draw.GlyphDrawer.
func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetColor(sty.Color)
	r := sty.Radius * 1.2
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y + r})
	p.Line(vg.Point{X: pt.X + r, Y: pt.Y})
	p.Line(vg.Point{X: pt.X, Y: pt.Y - r})
	p.Line(vg.Point{X: pt.X - r, Y: pt.Y})
	p.Close()
	c.Fill(p)
}
