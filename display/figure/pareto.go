package figure

import (
	"fmt"
	"image/color"
	"math"
	"sort"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/trannsformer/gotrann/display/internal/chart"
)

// ParetoPoint is one setting of a method in a trade-off: the crossbars it
// needs and its accuracy (a fraction in [0, 1]), each a mean with its
// standard deviation over seeds (0 for one seed).
type ParetoPoint struct {
	Crossbars, CrossbarsSD float64
	Accuracy, AccuracySD   float64
	// Label, when set, is written beside the point (the knob value, say).
	Label string
}

// ParetoSeries is one method's points.
type ParetoSeries struct {
	Name   string
	Points []ParetoPoint
}

// ParetoOptions labels a Pareto figure. The zero value gives no title,
// "crossbars (log scale)" on the x axis and "test accuracy" on the y axis.
type ParetoOptions struct {
	Title, XLabel, YLabel string
}

// ParetoFront returns, for every point of series (series by series, point
// by point), whether it is on the Pareto front: no other point needs at
// most its crossbars at at least its accuracy, and strictly fewer
// crossbars or strictly higher accuracy (means only).
func ParetoFront(series []ParetoSeries) [][]bool {
	out := make([][]bool, len(series))
	for i, s := range series {
		out[i] = make([]bool, len(s.Points))
		for j, p := range s.Points {
			out[i][j] = true
			for _, t := range series {
				for _, q := range t.Points {
					if q.Crossbars <= p.Crossbars && q.Accuracy >= p.Accuracy &&
						(q.Crossbars < p.Crossbars || q.Accuracy > p.Accuracy) {
						out[i][j] = false
					}
				}
			}
		}
	}
	return out
}

// paretoShapes give each method its own marker as well as its colour, so
// that the figure reads in grey too.
var paretoShapes = []draw.GlyphDrawer{draw.CircleGlyph{}, draw.SquareGlyph{}, draw.CrossGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{},
	draw.BoxGlyph{}, draw.PlusGlyph{}, draw.RingGlyph{}}

// paretoErrors holds points with their error bars, for plotter.XErrorBars
// and plotter.YErrorBars.
type paretoErrors struct {
	plotter.XYs
	plotter.XErrors
	plotter.YErrors
}

// Pareto draws a trade-off between hardware and accuracy: every series'
// points (mean crossbars on a logarithmic x axis against mean accuracy,
// labelled in percent), with error bars of one standard deviation both
// ways, each method in its own colour and marker, and the Pareto front
// over all series marked: its points ringed and joined by a dashed
// staircase (the boundary of what they dominate). It fails on a point
// whose crossbars are not positive, whose accuracy is outside [0, 1], or
// whose values are not finite, and when no series has a point.
func Pareto(o ParetoOptions, series ...ParetoSeries) (*plot.Plot, error) {
	n := 0
	for _, s := range series {
		for _, q := range s.Points {
			switch {
			case !finite(q.Crossbars) || !finite(q.CrossbarsSD) || !finite(q.Accuracy) || !finite(q.AccuracySD):
				return nil, fmt.Errorf("figure: series %q: point %+v is not finite", s.Name, q)
			case q.Crossbars <= 0:
				return nil, fmt.Errorf("figure: series %q: %v crossbars, want > 0 (log axis)", s.Name, q.Crossbars)
			case q.Accuracy < 0 || q.Accuracy > 1:
				return nil, fmt.Errorf("figure: series %q: accuracy %v outside [0, 1]", s.Name, q.Accuracy)
			case q.CrossbarsSD < 0 || q.AccuracySD < 0:
				return nil, fmt.Errorf("figure: series %q: negative standard deviation in %+v", s.Name, q)
			}
			n++
		}
	}
	if n == 0 {
		return nil, fmt.Errorf("figure: Pareto figure needs at least one point")
	}
	xlabel, ylabel := o.XLabel, o.YLabel
	if xlabel == "" {
		xlabel = "crossbars (log scale)"
	}
	if ylabel == "" {
		ylabel = "test accuracy"
	}
	p := newPlot(o.Title, xlabel, ylabel)
	addGrid(p)
	p.X.Scale = plot.LogScale{}
	p.X.Tick.Marker = chart.LogTicks{}
	p.Y.Tick.Marker = percentTicks{}

	xmin, xmax := math.Inf(1), math.Inf(-1)
	ymin, ymax := math.Inf(1), math.Inf(-1)
	var extents []plotter.XYs // in log10(x), for the legend's placement
	front := ParetoFront(series)
	var frontPts plotter.XYs
	var layers []plot.Plotter // the series, drawn over the front's staircase
	for i, s := range series {
		if len(s.Points) == 0 {
			continue
		}
		var xys plotter.XYs
		// Error bars only where there is a spread: a bar of length 0 would
		// draw its caps as a cross over the marker.
		var xe, ye paretoErrors
		for j, q := range s.Points {
			xys = append(xys, plotter.XY{X: q.Crossbars, Y: q.Accuracy})
			// The left bar stops short of 0, which the log axis cannot show.
			lo := math.Min(q.CrossbarsSD, 0.9*q.Crossbars)
			if q.CrossbarsSD > 0 {
				xe.XYs = append(xe.XYs, plotter.XY{X: q.Crossbars, Y: q.Accuracy})
				xe.XErrors = append(xe.XErrors, struct{ Low, High float64 }{-lo, q.CrossbarsSD})
			}
			if q.AccuracySD > 0 {
				ye.XYs = append(ye.XYs, plotter.XY{X: q.Crossbars, Y: q.Accuracy})
				ye.YErrors = append(ye.YErrors, struct{ Low, High float64 }{-q.AccuracySD, q.AccuracySD})
			}
			xmin, xmax = math.Min(xmin, q.Crossbars-lo), math.Max(xmax, q.Crossbars+q.CrossbarsSD)
			ymin, ymax = math.Min(ymin, q.Accuracy-q.AccuracySD), math.Max(ymax, q.Accuracy+q.AccuracySD)
			extents = append(extents, plotter.XYs{
				{X: math.Log10(q.Crossbars - lo), Y: q.Accuracy}, {X: math.Log10(q.Crossbars + q.CrossbarsSD), Y: q.Accuracy}},
				plotter.XYs{{X: math.Log10(q.Crossbars), Y: q.Accuracy - q.AccuracySD}, {X: math.Log10(q.Crossbars), Y: q.Accuracy + q.AccuracySD}})
			if front[i][j] {
				frontPts = append(frontPts, plotter.XY{X: q.Crossbars, Y: q.Accuracy})
			}
		}
		col := Color(i)
		bar := draw.LineStyle{Color: col, Width: vg.Points(1)}
		if len(ye.XYs) > 0 {
			yb, err := plotter.NewYErrorBars(ye)
			if err != nil {
				return nil, fmt.Errorf("figure: series %q: %w", s.Name, err)
			}
			yb.LineStyle, yb.CapWidth = bar, vg.Points(4)
			layers = append(layers, yb)
		}
		if len(xe.XYs) > 0 {
			xb, err := plotter.NewXErrorBars(xe)
			if err != nil {
				return nil, fmt.Errorf("figure: series %q: %w", s.Name, err)
			}
			xb.LineStyle, xb.CapWidth = bar, vg.Points(4)
			layers = append(layers, xb)
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("figure: series %q: %w", s.Name, err)
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: col, Radius: vg.Points(3.5), Shape: paretoShapes[i%len(paretoShapes)]}
		layers = append(layers, sc)
		if s.Name != "" {
			p.Legend.Add(s.Name, sc)
		}
		var labels plotter.XYLabels
		for _, q := range s.Points {
			if q.Label != "" {
				labels.XYs = append(labels.XYs, plotter.XY{X: q.Crossbars, Y: q.Accuracy})
				labels.Labels = append(labels.Labels, q.Label)
			}
		}
		if len(labels.Labels) > 0 {
			l, err := plotter.NewLabels(labels)
			if err != nil {
				return nil, fmt.Errorf("figure: series %q: %w", s.Name, err)
			}
			for k := range l.TextStyle {
				l.TextStyle[k].Color = col
				l.TextStyle[k].Font.Size = vg.Points(8)
				l.TextStyle[k].XAlign = draw.XLeft
			}
			l.Offset = vg.Point{X: vg.Points(6), Y: vg.Points(2)}
			layers = append(layers, l)
		}
	}

	// The front: a dashed staircase through its points, fewest crossbars
	// first (accuracy rises along it), and a ring around each.
	sort.Slice(frontPts, func(a, b int) bool {
		if frontPts[a].X != frontPts[b].X {
			return frontPts[a].X < frontPts[b].X
		}
		return frontPts[a].Y < frontPts[b].Y
	})
	var stairs plotter.XYs
	for i, q := range frontPts {
		if i > 0 {
			stairs = append(stairs, plotter.XY{X: q.X, Y: frontPts[i-1].Y})
		}
		stairs = append(stairs, q)
	}
	frontStyle := draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	rings, err := plotter.NewScatter(frontPts)
	if err != nil {
		return nil, fmt.Errorf("figure: Pareto front: %w", err)
	}
	rings.GlyphStyle = draw.GlyphStyle{Color: color.Black, Radius: vg.Points(6.5), Shape: draw.RingGlyph{}}
	if len(stairs) > 1 {
		l, err := plotter.NewLine(stairs)
		if err != nil {
			return nil, fmt.Errorf("figure: Pareto front: %w", err)
		}
		l.LineStyle = frontStyle
		p.Add(l)
		p.Legend.Add("Pareto front", l, rings)
		var logStairs plotter.XYs
		for _, q := range stairs {
			logStairs = append(logStairs, plotter.XY{X: math.Log10(q.X), Y: q.Y})
		}
		extents = append(extents, logStairs)
	} else {
		p.Legend.Add("Pareto front", rings)
	}
	p.Add(layers...)
	p.Add(rings)

	// Ranges: a margin of a tenth of a decade left and right, and of a
	// twentieth of the accuracy span (at least a tenth of a point) above
	// and below.
	xmin, xmax = xmin/math.Pow(10, 0.1), xmax*math.Pow(10, 0.1)
	pad := math.Max((ymax-ymin)/20, 0.001)
	ymin, ymax = math.Max(0, ymin-pad), math.Min(1, ymax+pad)
	if ymax <= ymin {
		ymin, ymax = math.Max(0, ymin-0.01), math.Min(1, ymax+0.01)
	}
	p.X.Min, p.X.Max = xmin, xmax
	p.Y.Min, p.Y.Max = ymin, ymax
	entries := 1 // the front
	for _, s := range series {
		if s.Name != "" && len(s.Points) > 0 {
			entries++
		}
	}
	// PlaceLegend works in the linear coordinates of the data area: give
	// it log10 of the crossbars, then take back the y range it may grow.
	probe := plot.New()
	probe.Y.Min, probe.Y.Max = ymin, ymax
	chart.PlaceLegend(probe, extents, math.Log10(xmin), math.Log10(xmax), ymin, ymax, entries)
	p.Legend.Top, p.Legend.Left = probe.Legend.Top, probe.Legend.Left
	p.Y.Max = math.Max(p.Y.Max, probe.Y.Max)
	return p, nil
}
