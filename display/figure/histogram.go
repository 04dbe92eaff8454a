package figure

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// UtilizationOptions labels a utilization histogram. The zero value means
// 20 bins and a generic title.
type UtilizationOptions struct {
	Title string
	Bins  int
}

// Utilization draws the histogram of crossbar utilizations (fractions of
// the k² cells used, in [0,1]) with the mean marked by a dashed line.
func Utilization(u []float64, o UtilizationOptions) (*plot.Plot, error) {
	if len(u) == 0 {
		return nil, fmt.Errorf("figure: no utilization values")
	}
	bins := o.Bins
	if bins <= 0 {
		bins = 20
	}
	mean := 0.0
	for i, v := range u {
		if !finite(v) || v < 0 || v > 1 {
			return nil, fmt.Errorf("figure: utilization %d is %v, want a fraction in [0,1]", i, v)
		}
		mean += v
	}
	mean /= float64(len(u))
	title := o.Title
	if title == "" {
		title = "Crossbar utilization"
	}
	p := newPlot(fmt.Sprintf("%s (%d crossbars)", title, len(u)), "utilization (used cells / k²)", "crossbars")
	addGrid(p)
	// Fixed bins over [0,1] whatever the data: histograms of two mappings
	// then compare directly.
	counts := make([]float64, bins)
	for _, v := range u {
		b := int(v * float64(bins))
		if b == bins {
			b--
		}
		counts[b]++
	}
	width := 1 / float64(bins)
	hb := make([]plotter.HistogramBin, bins)
	for i := range hb {
		hb[i] = plotter.HistogramBin{Min: float64(i) * width, Max: float64(i+1) * width, Weight: counts[i]}
	}
	h := &plotter.Histogram{Bins: hb, Width: width, FillColor: Color(5), LineStyle: draw.LineStyle{Color: Color(0), Width: vg.Points(0.8)}}
	p.Add(h)
	top := 0.0
	for _, c := range counts {
		top = max(top, c)
	}
	ml, err := plotter.NewLine(plotter.XYs{{X: mean, Y: 0}, {X: mean, Y: top * 1.05}})
	if err != nil {
		return nil, fmt.Errorf("figure: mean line: %w", err)
	}
	ml.LineStyle = draw.LineStyle{Color: color.NRGBA{R: 0xd5, G: 0x5e, A: 0xff}, Width: vg.Points(1.5), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
	p.Add(ml)
	p.Legend.Add(fmt.Sprintf("mean %.1f%%", 100*mean), ml)
	p.X.Min, p.X.Max = 0, 1
	p.X.Tick.Marker = percentTicks{}
	p.Y.Min = 0
	p.Y.Tick.Marker = integerTicks{}
	if mean > 0.6 {
		p.Legend.Left = true
	}
	p.Legend.Top = true
	p.Y.Max = top * 1.2 // headroom for the legend
	return p, nil
}
