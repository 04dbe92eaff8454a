package figure

import (
	"fmt"
	"image/color"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarSeries is one named set of bars, one value per group.
type BarSeries struct {
	Name   string
	Values []float64
}

// BarTable is the input of a grouped bar chart: for each group (a crossbar
// size k, say) one bar per series (dense, pruned, TraNNsformer, ours).
type BarTable struct {
	Title, XLabel, YLabel string
	Groups                []string
	Series                []BarSeries
	// Reference, when non-zero, draws a dashed horizontal line at that
	// value (1 for results normalised to the dense network).
	Reference float64
}

// GroupedBars draws t as groups of side-by-side bars with a legend. It
// fails when a series does not have one value per group.
func GroupedBars(t BarTable) (*plot.Plot, error) {
	if len(t.Groups) == 0 || len(t.Series) == 0 {
		return nil, fmt.Errorf("figure: bar table needs groups and series")
	}
	for _, s := range t.Series {
		if len(s.Values) != len(t.Groups) {
			return nil, fmt.Errorf("figure: series %q has %d values for %d groups", s.Name, len(s.Values), len(t.Groups))
		}
		for i, v := range s.Values {
			if !finite(v) || v < 0 {
				return nil, fmt.Errorf("figure: series %q group %q: value %v, want finite and ≥ 0", s.Name, t.Groups[i], v)
			}
		}
	}
	p := newPlot(t.Title, t.XLabel, t.YLabel)
	addGrid(p)
	n := len(t.Series)
	groupWidth := vg.Points(200 / float64(len(t.Groups)))
	groupWidth = min(max(groupWidth, vg.Points(40)), vg.Points(90))
	w := groupWidth / vg.Length(n)
	top := 0.0
	for i, s := range t.Series {
		b, err := plotter.NewBarChart(plotter.Values(s.Values), w)
		if err != nil {
			return nil, fmt.Errorf("figure: series %q: %w", s.Name, err)
		}
		b.Color = Color(i)
		b.LineStyle = draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}
		b.Offset = w * (vg.Length(i) - vg.Length(n-1)/2)
		p.Add(b)
		p.Legend.Add(s.Name, b)
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	if t.Reference > 0 {
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: t.Reference}, {X: float64(len(t.Groups)) - 0.5, Y: t.Reference}})
		if err != nil {
			return nil, fmt.Errorf("figure: reference line: %w", err)
		}
		l.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
		p.Add(l)
		top = max(top, t.Reference)
	}
	p.NominalX(t.Groups...)
	p.Y.Min = 0
	// Headroom above the tallest bar for the legend, one line per series.
	p.Y.Max = top * (1.1 + 0.09*float64(n))
	p.Legend.Top = true
	p.Legend.Left = false
	return p, nil
}

// CostComparison draws area or energy (metric, e.g. "area" or "energy per
// inference") across crossbar sizes ks for several networks (series named
// dense, pruned, TraNNsformer, ours), under one constant set, normalised
// to the first series when normalise is true.
func CostComparison(metric, constants string, ks []int, series []BarSeries, normalise bool) (*plot.Plot, error) {
	groups := make([]string, len(ks))
	for i, k := range ks {
		groups[i] = strconv.Itoa(k) + "×" + strconv.Itoa(k)
	}
	t := BarTable{
		Title:  fmt.Sprintf("%s across crossbar sizes (%s constants)", metric, constants),
		XLabel: "crossbar size k×k",
		YLabel: metric,
		Groups: groups,
	}
	if !normalise || len(series) == 0 {
		t.Series = series
		return GroupedBars(t)
	}
	base := series[0]
	if len(base.Values) != len(ks) {
		return nil, fmt.Errorf("figure: series %q has %d values for %d crossbar sizes", base.Name, len(base.Values), len(ks))
	}
	for _, s := range series {
		if len(s.Values) != len(ks) {
			return nil, fmt.Errorf("figure: series %q has %d values for %d crossbar sizes", s.Name, len(s.Values), len(ks))
		}
		ns := BarSeries{Name: s.Name, Values: make([]float64, len(ks))}
		for i, v := range s.Values {
			if base.Values[i] == 0 {
				return nil, fmt.Errorf("figure: %s of %q is zero at k=%d, cannot normalise", metric, base.Name, ks[i])
			}
			ns.Values[i] = v / base.Values[i]
		}
		t.Series = append(t.Series, ns)
	}
	t.YLabel = fmt.Sprintf("%s relative to %s", metric, base.Name)
	t.Reference = 1
	return GroupedBars(t)
}
