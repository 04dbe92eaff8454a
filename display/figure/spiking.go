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

// SpikingAccuracy draws the accuracy of a spiking network against the
// number of simulated timesteps, with the accuracy of the original
// (non-spiking) network as a dashed reference when ann is in (0,1].
func SpikingAccuracy(timesteps []int, accuracy []float64, ann float64, title string) (*plot.Plot, error) {
	if len(timesteps) == 0 || len(timesteps) != len(accuracy) {
		return nil, fmt.Errorf("figure: %d timesteps and %d accuracies", len(timesteps), len(accuracy))
	}
	if title == "" {
		title = "Spiking accuracy against timesteps"
	}
	xs := make([]float64, len(timesteps))
	for i, t := range timesteps {
		if i > 0 && t <= timesteps[i-1] {
			return nil, fmt.Errorf("figure: timesteps must increase, got %d after %d", t, timesteps[i-1])
		}
		xs[i] = float64(t)
	}
	p, err := Curves(CurvesOptions{Title: title, XLabel: "timesteps", YLabel: "accuracy", Percent: true, Markers: true},
		Series{Name: "SNN", X: xs, Y: accuracy})
	if err != nil {
		return nil, err
	}
	if lo, hi := xs[0], xs[len(xs)-1]; lo > 0 && hi/lo >= 20 {
		// Timesteps usually grow geometrically, and accuracy rises in the
		// first few: a log axis spreads them, labelled at 1, 2, 5, 10, 20…
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = chart.LogTicks{}
	}
	if ann > 0 && ann <= 1 {
		l, err := plotter.NewLine(plotter.XYs{{X: xs[0], Y: ann}, {X: xs[len(xs)-1], Y: ann}})
		if err != nil {
			return nil, fmt.Errorf("figure: ANN line: %w", err)
		}
		l.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
		p.Add(l)
		p.Legend.Add(fmt.Sprintf("ANN %.1f%%", 100*ann), l)
		p.Legend.Top, p.Legend.Left = false, false
	}
	return p, nil
}

// Raster draws a spike raster: spikes[i] holds the timesteps at which
// neuron i fired; each spike is a short vertical tick on the neuron's row.
func Raster(spikes [][]float64, title string) (*plot.Plot, error) {
	if len(spikes) == 0 {
		return nil, fmt.Errorf("figure: no neurons in the raster")
	}
	if title == "" {
		title = "Spike raster"
	}
	var xys plotter.XYs
	tmax := 0.0
	for i, ts := range spikes {
		for _, t := range ts {
			if !finite(t) {
				return nil, fmt.Errorf("figure: neuron %d has spike time %v", i, t)
			}
			xys = append(xys, plotter.XY{X: t, Y: float64(i)})
			tmax = max(tmax, t)
		}
	}
	p := newPlot(fmt.Sprintf("%s (%d neurons, %d spikes)", title, len(spikes), len(xys)), "timestep", "neuron")
	if len(xys) > 0 {
		s, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("figure: raster: %w", err)
		}
		// A tick whose height shrinks with the number of neurons keeps rows apart.
		r := vg.Points(3)
		if len(spikes) > 60 {
			r = vg.Points(1.5)
		}
		s.GlyphStyle = draw.GlyphStyle{Color: Color(0), Radius: r, Shape: tickGlyph{}}
		p.Add(s)
	}
	p.X.Min, p.X.Max = 0, max(tmax+1, 1)
	p.Y.Min, p.Y.Max = -0.5, float64(len(spikes))-0.5
	p.Y.Tick.Marker = integerTicks{}
	p.X.Tick.Marker = integerTicks{}
	return p, nil
}

// tickGlyph is a short vertical bar, the usual mark of a raster plot.
type tickGlyph struct{}

func (tickGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	c.SetLineStyle(draw.LineStyle{Color: sty.Color, Width: vg.Points(1)})
	var p vg.Path
	p.Move(vg.Point{X: pt.X, Y: pt.Y - sty.Radius})
	p.Line(vg.Point{X: pt.X, Y: pt.Y + sty.Radius})
	c.Stroke(p)
}
