package chart

import (
	"fmt"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one named curve: Y[i] at X[i]. Points where either is NaN or
// infinite are skipped.
type Series struct {
	Name string
	X, Y []float64
}

// CurvesOptions labels a curves plot. The zero value gives no title,
// "epoch" on the x axis and no y label.
type CurvesOptions struct {
	Title, XLabel, YLabel string
	// Percent labels the y axis in percent; use it for fractions in [0,1]
	// such as accuracy or sparsity. The axis then spans 0 to 100%.
	Percent bool
	// Markers draws a dot at every point (the default draws one only for
	// series with a single point).
	Markers bool
}

// Curves plots series as lines with a legend, for training curves (loss,
// accuracy, sparsity, unclustered fraction against epochs) and any other
// curves over a shared x axis. It fails when two series lengths differ.
func Curves(o CurvesOptions, series ...Series) (*plot.Plot, error) {
	xlabel := o.XLabel
	if xlabel == "" {
		xlabel = "epoch"
	}
	p := NewPlot(o.Title, xlabel, o.YLabel)
	AddGrid(p)
	if o.Percent {
		p.Y.Min, p.Y.Max = 0, 1
		p.Y.Tick.Marker = PercentTicks{}
	}
	allInts, allIntY := true, true
	var curves []plotter.XYs
	entries := 0
	for i, s := range series {
		if len(s.X) != len(s.Y) {
			return nil, fmt.Errorf("series %q has %d x and %d y values", s.Name, len(s.X), len(s.Y))
		}
		var xys plotter.XYs
		for j := range s.X {
			if Finite(s.X[j]) && Finite(s.Y[j]) {
				xys = append(xys, plotter.XY{X: s.X[j], Y: s.Y[j]})
				if s.X[j] != math.Trunc(s.X[j]) {
					allInts = false
				}
				if s.Y[j] != math.Trunc(s.Y[j]) {
					allIntY = false
				}
			}
		}
		if len(xys) == 0 {
			continue
		}
		curves = append(curves, xys)
		if s.Name != "" {
			entries++
		}
		l, err := plotter.NewLine(xys)
		if err != nil {
			return nil, fmt.Errorf("series %q: %w", s.Name, err)
		}
		l.LineStyle = LineStyle(i)
		p.Add(l)
		if o.Markers || len(xys) == 1 {
			sc, err := plotter.NewScatter(xys)
			if err != nil {
				return nil, fmt.Errorf("series %q: %w", s.Name, err)
			}
			sc.GlyphStyle = draw.GlyphStyle{Color: Color(i), Radius: vg.Points(2.5), Shape: draw.CircleGlyph{}}
			p.Add(sc)
			if s.Name != "" {
				p.Legend.Add(s.Name, l, sc)
			}
		} else if s.Name != "" {
			p.Legend.Add(s.Name, l)
		}
	}
	// Ticks at round steps, labelled without spare decimals; integer
	// steps for epochs and for counts (crossbars, spikes).
	p.X.Tick.Marker = NiceTicks{Integer: allInts}
	if !o.Percent {
		p.Y.Tick.Marker = NiceTicks{Integer: allIntY}
	}
	xmin, xmax, ymin, ymax := plotter.XYRange(curvesXYer(curves))
	if o.Percent {
		ymin, ymax = 0, 1
	}
	PlaceLegend(p, curves, xmin, xmax, ymin, ymax, entries)
	return p, nil
}

// curvesXYer concatenates curves, for their joint range.
type curvesXYer []plotter.XYs

func (c curvesXYer) Len() int {
	n := 0
	for _, xys := range c {
		n += len(xys)
	}
	return n
}

func (c curvesXYer) XY(i int) (float64, float64) {
	for _, xys := range c {
		if i < len(xys) {
			return xys[i].X, xys[i].Y
		}
		i -= len(xys)
	}
	panic("chart: index out of range")
}
