package display

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/trannsformer/gotrann/display/internal/chart"
)

// Monitor shows a long computation live: a progress bar and curves of
// named series against a shared x (epochs), redrawn in place. Series are
// grouped into panels, one plot per panel side by side; series whose panel
// is "fraction" are drawn on a 0–100% axis.
//
// Its methods (Track, Point, Record, Bar, Refresh, Done) let any loop
// report progress; package display/monitor turns the progress reports of
// trannsformer/nn training and of trannsformer.Transform into these calls.
// A Monitor follows one run: make a new one for the next, or its curves go
// back to epoch 1 on top of the old ones. The curves are drawn as
// figure.Curves draws them. A Monitor is safe for concurrent use.
type Monitor struct {
	d     *Display
	title string

	mu      sync.Mutex
	xlabel  string
	bar     *Bar
	series  []*monitorSeries
	byName  map[string]*monitorSeries
	panels  []string
	curves  *Handle
	lastX   float64
	hasX    bool
	stale   bool // points added since the curves were last drawn
	lastErr error
}

type monitorSeries struct {
	name, panel string
	x, y        []float64
}

// FractionPanel is the panel for values in [0,1] (accuracy, sparsity, the
// unclustered fraction), drawn in percent.
const FractionPanel = "fraction"

// NewMonitor returns an empty Monitor titled title. Nothing is shown until
// the first Refresh (or Record) call.
func (d *Display) NewMonitor(title string) *Monitor {
	return &Monitor{d: d, title: title, xlabel: "epoch", byName: map[string]*monitorSeries{}}
}

// Title returns the title the Monitor was made with.
func (m *Monitor) Title() string { return m.title }

// SetXLabel sets the label of the x axis ("epoch" by default).
func (m *Monitor) SetXLabel(label string) {
	m.mu.Lock()
	m.xlabel = label
	m.mu.Unlock()
}

// Track declares series name in panel (a y-axis label; FractionPanel for
// values in [0,1]). Series get colours and legend order in the order they
// are declared; Point declares unknown series in a panel of their own name.
func (m *Monitor) Track(name, panel string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.trackLocked(name, panel)
}

func (m *Monitor) trackLocked(name, panel string) *monitorSeries {
	if s, ok := m.byName[name]; ok {
		if s.panel != panel {
			s.panel = panel
			m.ensurePanelLocked(panel)
		}
		return s
	}
	s := &monitorSeries{name: name, panel: panel}
	m.series = append(m.series, s)
	m.byName[name] = s
	m.ensurePanelLocked(panel)
	return s
}

func (m *Monitor) ensurePanelLocked(panel string) {
	for _, p := range m.panels {
		if p == panel {
			return
		}
	}
	m.panels = append(m.panels, panel)
}

// Point adds (x, y) to series name without redrawing. NaN values are kept
// but not drawn.
func (m *Monitor) Point(name string, x, y float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pointLocked(name, x, y)
}

func (m *Monitor) pointLocked(name string, x, y float64) {
	s, ok := m.byName[name]
	if !ok {
		s = m.trackLocked(name, name)
	}
	s.x = append(s.x, x)
	s.y = append(s.y, y)
	m.lastX, m.hasX = x, true
	m.stale = true
}

// Record adds one point per entry of values at x, then redraws the curves
// in place: the one call a training or transformation loop makes at the
// end of each epoch.
func (m *Monitor) Record(x float64, values map[string]float64) {
	m.mu.Lock()
	// Declared series first, in their order, then new ones sorted by name,
	// so that colours do not depend on map order.
	for _, s := range m.series {
		if v, ok := values[s.name]; ok {
			m.pointLocked(s.name, x, v)
		}
	}
	var extra []string
	for name := range values {
		if _, ok := m.byName[name]; !ok {
			extra = append(extra, name)
		}
	}
	sort.Strings(extra)
	for _, name := range extra {
		m.pointLocked(name, x, values[name])
	}
	m.mu.Unlock()
	m.Refresh()
}

// Bar returns the monitor's progress bar, creating it with total when
// there is none yet or the last one is done; a later call with another
// total changes it.
func (m *Monitor) Bar(total int) *Bar {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.barLocked(total)
}

func (m *Monitor) barLocked(total int) *Bar {
	if m.bar == nil || m.bar.isDone() {
		m.bar = m.d.Progress(total)
		if m.title != "" {
			m.bar.SetLabel(m.title)
		}
		return m.bar
	}
	if _, t := m.bar.Count(); t != total && total > 0 {
		m.bar.SetTotal(total)
	}
	return m.bar
}

// Refresh redraws the curves: the first call shows them, later calls
// update them in place. It does nothing before the first point.
func (m *Monitor) Refresh() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.hasX {
		return
	}
	m.stale = false
	b := m.bundleLocked()
	if m.curves == nil {
		m.curves = m.d.Show(b)
		return
	}
	m.curves.Update(b)
}

// Err returns the last error met while drawing the curves (they are then
// shown as text), or nil.
func (m *Monitor) Err() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.lastErr
}

// Done finishes the progress bar (if any) and draws the curves if points
// came since they were last drawn. Call it when the loop ends early, after
// an interrupt for instance; the callbacks of display/monitor call it
// after the last epoch. Calling it twice is harmless.
func (m *Monitor) Done() {
	m.mu.Lock()
	bar, stale := m.bar, m.stale
	m.mu.Unlock()
	if bar != nil {
		bar.Done()
	}
	if stale {
		m.Refresh()
	}
}

// Plots returns the current curves, one plot per panel.
func (m *Monitor) Plots() ([]*plot.Plot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.plotsLocked()
}

func (m *Monitor) plotsLocked() ([]*plot.Plot, error) {
	var ps []*plot.Plot
	for _, panel := range m.panels {
		var ss []chart.Series
		for _, s := range m.series {
			if s.panel == panel && len(s.x) > 0 {
				ss = append(ss, chart.Series{Name: s.name, X: s.x, Y: s.y})
			}
		}
		if len(ss) == 0 {
			continue
		}
		if len(ss) == 1 && ss[0].Name == panel {
			ss[0].Name = "" // the y label already names it: no legend
		}
		o := chart.CurvesOptions{XLabel: m.xlabel, YLabel: panel, Markers: len(ss[0].X) < 12}
		if panel == FractionPanel {
			o.Percent = true
			o.YLabel = "fraction (%)"
		}
		if len(ps) == 0 {
			o.Title = m.title
		}
		p, err := chart.Curves(o, ss...)
		if err != nil {
			return nil, fmt.Errorf("display: monitor %q: %w", m.title, err)
		}
		ps = append(ps, p)
	}
	return ps, nil
}

// bundleLocked renders the curves (PNG) with the latest values as text.
func (m *Monitor) bundleLocked() Bundle {
	text := m.textLocked()
	ps, err := m.plotsLocked()
	if err == nil && len(ps) > 0 {
		var b Bundle
		b, err = RenderPlots(PlotOptions{Width: 4.5 * vg.Inch, Height: 3 * vg.Inch}, ps...)
		if err == nil {
			b.Data["text/plain"] = text
			m.lastErr = nil
			return b
		}
	}
	m.lastErr = err
	if err != nil {
		text += "\n(curves not drawn: " + err.Error() + ")"
	}
	return Text(text)
}

// textLocked is the latest value of every series, e.g.
// "training: epoch 3  loss 0.2345  accuracy 93.12%".
func (m *Monitor) textLocked() string {
	var sb strings.Builder
	if m.title != "" {
		sb.WriteString(m.title + ": ")
	}
	fmt.Fprintf(&sb, "%s %s", m.xlabel, fmtX(m.lastX))
	for _, s := range m.series {
		if n := len(s.x); n > 0 && s.x[n-1] == m.lastX {
			v := s.y[n-1]
			if s.panel == FractionPanel {
				fmt.Fprintf(&sb, "  %s %.2f%%", s.name, 100*v)
			} else {
				fmt.Fprintf(&sb, "  %s %.4g", s.name, v)
			}
		}
	}
	return sb.String()
}

func fmtX(x float64) string {
	if x == math.Trunc(x) && math.Abs(x) < 1e15 {
		return fmt.Sprintf("%d", int64(x))
	}
	return fmt.Sprintf("%.3g", x)
}
