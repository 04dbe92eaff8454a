package figure

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/trannsformer/gotrann/display/internal/chart"
)

// BarSeries is one named set of bars, one value per group.
type BarSeries struct {
	Name   string
	Values []float64
}

// BarScale chooses the value axis of a bar chart.
type BarScale int

const (
	// BarAuto draws a linear axis unless the positive values span more
	// than a factor of 20 (a 41× bar would dwarf a 0.5× one), then a log
	// axis.
	BarAuto BarScale = iota
	// BarLinear draws a linear axis from 0.
	BarLinear
	// BarLog draws a log axis; zero values get a label but no bar.
	BarLog
)

// BarTable is the input of a grouped bar chart: for each group (a crossbar
// size k, say) one bar per series (dense, pruned, TraNNsformer, ours).
type BarTable struct {
	Title, XLabel, YLabel string
	Groups                []string
	Series                []BarSeries
	// Reference, when non-zero, draws a dashed horizontal line at that
	// value (1 for results normalised to the dense network).
	Reference float64
	// Scale is the value axis; the zero value is BarAuto.
	Scale BarScale
	// Ratio says the values are ratios (to Reference): a log axis is then
	// labelled at the powers of two (0.5×, 1×, 2×, …) and bar labels end
	// in ×.
	Ratio bool
	// Labels writes every bar's value above it. Bars on a log axis are
	// always labelled, since their lengths do not compare linearly.
	Labels bool
}

// barLabelSize is the font size of the values written above bars.
const barLabelSize = 8

// GroupedBars draws t as groups of side-by-side bars with a legend, on a
// linear or log value axis (BarTable.Scale). It fails when a series does
// not have one value per group or a value is negative or not finite.
func GroupedBars(t BarTable) (*plot.Plot, error) {
	if len(t.Groups) == 0 || len(t.Series) == 0 {
		return nil, fmt.Errorf("figure: bar table needs groups and series")
	}
	allInt := true
	lo, top := math.Inf(1), 0.0 // smallest positive and largest value
	for _, s := range t.Series {
		if len(s.Values) != len(t.Groups) {
			return nil, fmt.Errorf("figure: series %q has %d values for %d groups", s.Name, len(s.Values), len(t.Groups))
		}
		for i, v := range s.Values {
			if !finite(v) || v < 0 {
				return nil, fmt.Errorf("figure: series %q group %q: value %v, want finite and ≥ 0", s.Name, t.Groups[i], v)
			}
			if v > 0 {
				lo = min(lo, v)
			}
			top = max(top, v)
			allInt = allInt && v == math.Trunc(v)
		}
	}
	if t.Reference < 0 || !finite(t.Reference) {
		return nil, fmt.Errorf("figure: reference %v, want finite and ≥ 0", t.Reference)
	}
	if t.Reference > 0 {
		lo, top = min(lo, t.Reference), max(top, t.Reference)
	}
	logScale := false
	switch t.Scale {
	case BarLog:
		logScale = top > 0
	case BarAuto:
		logScale = top > 0 && top/lo > 20
	case BarLinear:
	default:
		return nil, fmt.Errorf("figure: unknown bar scale %d", t.Scale)
	}

	ylabel := t.YLabel
	if logScale {
		ylabel += ", log scale"
	}
	p := newPlot(t.Title, t.XLabel, ylabel)
	addGrid(p)
	n, g := len(t.Series), len(t.Groups)
	b := &groupedBars{labels: t.Labels || logScale, log: logScale, groupFrac: 0.8}
	// The value axis: from 0 (linear) or a round value below the smallest
	// positive one (log), up to room for the labels and the legend. A log
	// axis is drawn as a linear axis of log₁₀ values with ticks labelled
	// by the values: gonum's LogScale centres the axis label at the
	// arithmetic mean of the range, which pushes the data area down.
	f := func(v float64) float64 { return v }
	axisMin := 0.0
	switch {
	case logScale && t.Ratio:
		axisMin = math.Exp2(math.Floor(math.Log2(lo * 0.9)))
		p.Y.Tick.Marker = log10Ticks{chart.RatioTicks{}}
		f = math.Log10
	case logScale:
		axisMin = math.Pow10(int(math.Floor(math.Log10(lo * 0.9))))
		p.Y.Tick.Marker = log10Ticks{chart.LogTicks{}}
		f = math.Log10
	default:
		p.Y.Tick.Marker = chart.NiceTicks{Integer: allInt}
		if top == 0 {
			top = 1
		}
	}
	b.text = draw.TextStyle{Color: color.Black, Font: font.From(plot.DefaultFont, barLabelSize),
		Rotation: math.Pi / 2, XAlign: draw.XLeft, YAlign: draw.YCenter, Handler: plot.DefaultTextHandler}
	if t.Ratio {
		b.suffix = "×"
	}
	for i, s := range t.Series {
		b.values = append(b.values, s.Values)
		b.colors = append(b.colors, Color(i))
		p.Legend.Add(s.Name, barThumb{Color(i)})
	}
	if t.Reference > 0 {
		// Under the bars and their labels.
		l, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: f(t.Reference)}, {X: float64(g) - 0.5, Y: f(t.Reference)}})
		if err != nil {
			return nil, fmt.Errorf("figure: reference line: %w", err)
		}
		l.LineStyle = draw.LineStyle{Color: color.Black, Width: vg.Points(1), Dashes: []vg.Length{vg.Points(4), vg.Points(3)}}
		p.Add(l)
	}
	p.Add(b)
	p.NominalX(t.Groups...)
	p.X.Min, p.X.Max = -0.5, float64(g)-0.5

	// Fractions of the data area's height and width, for a 6×4 inch panel
	// (about 380×230 points of data area).
	const areaW, areaH = 380.0, 230.0
	labelFrac := func(v float64) float64 {
		if !b.labels {
			return 0.02
		}
		return (float64(b.text.Width(b.format(v))) + 4) / areaH
	}
	legendW, legendH := 0.0, 0.0
	for _, s := range t.Series {
		legendW = max(legendW, float64(p.Legend.TextStyle.Rectangle(" "+s.Name).Max.X+p.Legend.ThumbnailWidth))
		legendH += float64(p.Legend.TextStyle.Height(s.Name))
	}
	legendW, legendH = (legendW+6)/areaW, (legendH+6)/areaH
	// need returns the axis top (in f units) that keeps every bar and its
	// label under the height fraction room(bar's x span).
	need := func(room func(x0, x1 float64) float64) float64 {
		hi := f(axisMin) + 1e-9
		for i := range t.Series {
			for j, v := range t.Series[i].Values {
				x0 := (float64(j) + (1-b.groupFrac)/2 + float64(i)*b.groupFrac/float64(n)) / float64(g)
				x1 := x0 + b.groupFrac/float64(n)/float64(g)
				h := room(x0, x1) - labelFrac(v)
				if v <= axisMin || h <= 0.05 {
					continue
				}
				hi = max(hi, f(axisMin)+(f(v)-f(axisMin))/h)
			}
		}
		return hi
	}
	corner := func(left bool) func(x0, x1 float64) float64 {
		return func(x0, x1 float64) float64 {
			if (left && x0 < legendW) || (!left && x1 > 1-legendW) {
				return 1 - legendH
			}
			return 0.98
		}
	}
	right, left := need(corner(false)), need(corner(true))
	floor := f(axisMin) + (f(top)-f(axisMin))/0.95 // the reference line and an all-zero table
	right, left = max(right, floor), max(left, floor)
	hi := right
	p.Legend.Top, p.Legend.Left = true, false
	if left < right*(1-1e-9) {
		hi, p.Legend.Left = left, true
	}
	p.Y.Min, p.Y.Max = f(axisMin), hi
	return p, nil
}

// groupedBars draws the bars of every series side by side within each
// group, from the bottom of the value axis (0, or its minimum on a log
// axis), each optionally labelled with its value.
type groupedBars struct {
	values    [][]float64 // [series][group]
	colors    []color.Color
	labels    bool
	log       bool
	suffix    string
	groupFrac float64        // share of a group's width taken by its bars
	text      draw.TextStyle // of the labels, written upwards
}

// format is the label of value v: two or three significant digits.
func (b *groupedBars) format(v float64) string {
	var s string
	switch a := math.Abs(v); {
	case a == 0:
		s = "0"
	case a >= 100:
		s = strconv.FormatFloat(v, 'f', 0, 64)
	case a >= 1:
		s = strconv.FormatFloat(v, 'g', 3, 64)
	default:
		s = strconv.FormatFloat(v, 'g', 2, 64)
	}
	return s + b.suffix
}

// Plot implements plot.Plotter.
func (b *groupedBars) Plot(c draw.Canvas, plt *plot.Plot) {
	trX, trY := plt.Transforms(&c)
	n := len(b.values)
	pitch := trX(1) - trX(0)
	w := pitch * vg.Length(b.groupFrac) / vg.Length(n)
	base := max(plt.Y.Min, 0) // in axis units: log₁₀ of the value on a log axis
	if b.log {
		base = plt.Y.Min
	}
	outline := draw.LineStyle{Color: color.White, Width: vg.Points(0.5)}
	type label struct {
		at  vg.Point
		txt string
	}
	var labels []label
	for i, vs := range b.values {
		for j, v := range vs {
			x0 := trX(float64(j)) - pitch*vg.Length(b.groupFrac)/2 + vg.Length(i)*w
			y := v
			if b.log {
				y = math.Inf(-1)
				if v > 0 {
					y = math.Log10(v)
				}
			}
			yTop := trY(base)
			if y > base {
				yTop = trY(min(y, plt.Y.Max))
				pts := []vg.Point{{X: x0, Y: trY(base)}, {X: x0, Y: yTop}, {X: x0 + w, Y: yTop}, {X: x0 + w, Y: trY(base)}}
				c.FillPolygon(b.colors[i], c.ClipPolygonY(pts))
				pts = append(pts, pts[0])
				c.StrokeLines(outline, c.ClipLinesY(pts)...)
			}
			if b.labels {
				labels = append(labels, label{vg.Point{X: x0 + w/2, Y: yTop + vg.Points(2)}, b.format(v)})
			}
		}
	}
	// Labels last, each on a white ground so that the reference line and
	// the grid do not cross its digits.
	h := b.text.Height("0")
	for _, l := range labels {
		tw := b.text.Width(l.txt)
		bg := []vg.Point{{X: l.at.X - h/2, Y: l.at.Y - 1}, {X: l.at.X - h/2, Y: l.at.Y + tw + 1}, {X: l.at.X + h/2, Y: l.at.Y + tw + 1}, {X: l.at.X + h/2, Y: l.at.Y - 1}}
		c.FillPolygon(color.White, bg)
		c.FillText(b.text, l.at, l.txt)
	}
}

// DataRange implements plot.DataRanger: the groups on x, the values on y
// (their smallest positive value on a log axis).
func (b *groupedBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	ymin, ymax = math.Inf(1), math.Inf(-1)
	g := 0
	for _, vs := range b.values {
		g = max(g, len(vs))
		for _, v := range vs {
			switch {
			case !b.log:
				ymin, ymax = min(ymin, v), max(ymax, v)
			case v > 0:
				ymin, ymax = min(ymin, math.Log10(v)), max(ymax, math.Log10(v))
			}
		}
	}
	if math.IsInf(ymin, 1) {
		ymin, ymax = 0, 1
	}
	return -0.5, float64(g) - 0.5, ymin, ymax
}

// log10Ticks labels an axis of log₁₀ values with the ticks a log ticker
// puts on the values themselves.
type log10Ticks struct{ plot.Ticker }

// Ticks implements plot.Ticker.
func (t log10Ticks) Ticks(min, max float64) []plot.Tick {
	ts := t.Ticker.Ticks(math.Pow(10, min), math.Pow(10, max))
	for i := range ts {
		ts[i].Value = math.Log10(ts[i].Value)
	}
	return ts
}

// barThumb is the legend swatch of a series.
type barThumb struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (t barThumb) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{{X: c.Min.X, Y: c.Min.Y}, {X: c.Min.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Max.Y}, {X: c.Max.X, Y: c.Min.Y}}
	c.FillPolygon(t.c, c.ClipPolygonY(pts))
}

// CostComparison draws area or energy (metric, e.g. "area" or "energy per
// inference") across crossbar sizes ks for several networks (series named
// dense, pruned, TraNNsformer, ours), under one constant set, normalised
// to the first series when normalise is true. Normalised values are ratios
// labelled with its ratio, on a log axis when they span more than a
// factor of 20.
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
	t.Ratio = true
	t.Labels = true
	return GroupedBars(t)
}
