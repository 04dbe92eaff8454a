package display

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
)

// event is one call a recorder saw.
type event struct {
	kind string // "display", "update" or "clear"
	id   string
	b    Bundle
	wait bool
}

// recorder is a Sink that records every call.
type recorder struct {
	mu     sync.Mutex
	events []event
}

func (r *recorder) Display(b Bundle, id string) { r.add(event{kind: "display", id: id, b: b}) }
func (r *recorder) Update(b Bundle, id string)  { r.add(event{kind: "update", id: id, b: b}) }
func (r *recorder) Clear(wait bool)             { r.add(event{kind: "clear", wait: wait}) }

func (r *recorder) add(e event) {
	r.mu.Lock()
	r.events = append(r.events, e)
	r.mu.Unlock()
}

func (r *recorder) kinds() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ks []string
	for _, e := range r.events {
		ks = append(ks, e.kind)
	}
	return strings.Join(ks, ",")
}

// clock is a settable clock for throttling tests.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTestDisplay() (*Display, *recorder, *clock) {
	r := &recorder{}
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	return NewWithOptions(r, Options{Now: c.now, Seed: 42}), r, c
}

func TestShowUpdateClear(t *testing.T) {
	d, r, _ := newTestDisplay()
	h1 := d.Show("first")
	h2 := d.Show(HTML("<b>second</b>"))
	h1.Update(42)
	d.Clear()
	d.ClearWait()
	if got, want := r.kinds(), "display,display,update,clear,clear"; got != want {
		t.Fatalf("events %s, want %s", got, want)
	}
	e := r.events
	if e[0].id != h1.ID() || e[1].id != h2.ID() || e[2].id != h1.ID() {
		t.Errorf("ids %q %q %q, handles %q %q", e[0].id, e[1].id, e[2].id, h1.ID(), h2.ID())
	}
	if h1.ID() == h2.ID() || h1.ID() == "" {
		t.Errorf("ids not unique: %q %q", h1.ID(), h2.ID())
	}
	if got := e[2].b.Data["text/plain"]; got != "42" {
		t.Errorf("update text %v, want 42", got)
	}
	if e[3].wait || !e[4].wait {
		t.Errorf("clear waits %v %v, want false true", e[3].wait, e[4].wait)
	}
	var nilHandle *Handle
	nilHandle.Update(1) // must not panic
	if nilHandle.ID() != "" {
		t.Error("nil handle has an ID")
	}
}

func TestIDs(t *testing.T) {
	a := NewWithOptions(&recorder{}, Options{Seed: 1})
	b := NewWithOptions(&recorder{}, Options{Seed: 1})
	c := NewWithOptions(&recorder{}, Options{Seed: 2})
	if a.newID() != b.newID() {
		t.Error("same seed gave different IDs")
	}
	if x, y := a.newID(), c.newID(); x == y {
		t.Errorf("different seeds gave the same ID %q", x)
	}
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		id := a.newID()
		if seen[id] {
			t.Fatalf("ID %q repeated", id)
		}
		seen[id] = true
	}
	r1, r2 := New(&recorder{}), New(&recorder{})
	if r1.newID() == r2.newID() {
		t.Error("two unseeded Displays gave the same first ID")
	}
}

type row struct {
	Name  string
	Score float64
	n     int // unexported: not a column
}

type htmlThing struct{}

func (htmlThing) HTML() string     { return "<i>thing</i>" }
func (htmlThing) Markdown() string { return "*thing*" }

type bundler struct{}

func (bundler) MIMEBundle() map[string]any {
	return map[string]any{"text/html": "<p>custom</p>", "image/png": []byte{1, 2}, "metadata": map[string]any{"k": 1}}
}

type pngThing struct{ err error }

func (p pngThing) PNG() ([]byte, error) {
	if p.err != nil {
		return nil, p.err
	}
	return pngBytes(), nil
}

type panicky struct{}

func (panicky) String() string { panic("boom") }
func (panicky) HTML() string   { panic("boom") }

func pngBytes() []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.Black)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func testPlot() *plot.Plot {
	p := plot.New()
	p.Title.Text = "test"
	l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: 0}, {X: 1, Y: 1}})
	if err != nil {
		panic(err)
	}
	p.Add(l)
	return p
}

func TestRender(t *testing.T) {
	type check func(t *testing.T, b Bundle)
	has := func(mime, substr string) check {
		return func(t *testing.T, b Bundle) {
			t.Helper()
			s, ok := b.Data[mime].(string)
			if !ok {
				t.Fatalf("no %s in %v", mime, keys(b))
			}
			if !strings.Contains(s, substr) {
				t.Errorf("%s = %q, want it to contain %q", mime, s, substr)
			}
		}
	}
	lacks := func(mime string) check {
		return func(t *testing.T, b Bundle) {
			t.Helper()
			if _, ok := b.Data[mime]; ok {
				t.Errorf("unexpected %s", mime)
			}
		}
	}
	meta := func(mime string, w, h int) check {
		return func(t *testing.T, b Bundle) {
			t.Helper()
			m, ok := b.Metadata[mime].(map[string]any)
			if !ok || m["width"] != w || m["height"] != h {
				t.Errorf("metadata %v, want %s %d×%d", b.Metadata, mime, w, h)
			}
		}
	}
	decodes := func(mime string) check {
		return func(t *testing.T, b Bundle) {
			t.Helper()
			raw, err := base64.StdEncoding.DecodeString(b.Data[mime].(string))
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := image.Decode(bytes.NewReader(raw)); err != nil {
				t.Errorf("%s does not decode: %v", mime, err)
			}
		}
	}
	tests := []struct {
		name   string
		v      any
		checks []check
	}{
		{"nil", nil, []check{has("text/plain", "<nil>"), lacks("text/html")}},
		{"string", "hello", []check{has("text/plain", "hello")}},
		{"int", 7, []check{has("text/plain", "7")}},
		{"error", errors.New("bad"), []check{has("text/plain", "bad")}},
		{"html", HTML("<b>x</b> &amp; y"), []check{has("text/html", "<b>x</b>"), has("text/plain", "x & y")}},
		{"markdown", Markdown("# T"), []check{has("text/markdown", "# T"), has("text/plain", "# T")}},
		{"latex", LaTeX(`\frac{a}{b}`), []check{has("text/latex", `$$\frac{a}{b}$$`), has("text/plain", `\frac{a}{b}`)}},
		{"latex delimited", LaTeX(`$x$`), []check{has("text/latex", `$x$`)}},
		{"svg", SVG("<svg/>"), []check{has("image/svg+xml", "<svg/>"), has("text/plain", "SVG")}},
		{"json", JSON(map[string]int{"a": 1}), []check{has("text/plain", `"a": 1`)}},
		{"png bytes", PNG(pngBytes()), []check{decodes("image/png"), meta("image/png", 3, 2), has("text/plain", "3×2")}},
		{"bad png", PNG([]byte("nope")), []check{has("text/plain", "not a PNG"), lacks("image/png")}},
		{"image", image.NewGray(image.Rect(0, 0, 4, 5)), []check{decodes("image/png"), meta("image/png", 4, 5)}},
		{"plot", testPlot(), []check{decodes("image/png"), meta("image/png", 576, 384), has("text/plain", `"test"`)}},
		{"plot svg", PlotSVG(testPlot()), []check{has("image/svg+xml", "<svg"), lacks("image/png")}},
		{"plots", Plots(testPlot(), testPlot()), []check{meta("image/png", 1152, 384), has("text/plain", "+1 more")}},
		{"struct slice", []row{{"a", 1.5, 0}, {"b", 2.25, 0}}, []check{
			has("text/html", "<th>Name</th><th>Score</th></tr>"), has("text/html", "<td>b</td><td>2.25</td>"),
			has("text/plain", "Name  Score\n----  -----\na     1.5\nb     2.25")}},
		{"pointer slice", []*row{{"p", 1, 0}, nil}, []check{has("text/html", "<td>p</td>")}},
		{"map", map[string]int{"b": 2, "a": 1}, []check{has("text/html", "<th>key</th><th>value</th>"), has("text/plain", "a    1\nb    2")}},
		{"map of structs", map[int]row{2: {"two", 2, 0}, 1: {"one", 1, 0}}, []check{has("text/plain", "1    one   1\n2    two   2")}},
		{"html method", htmlThing{}, []check{has("text/html", "<i>thing</i>"), has("text/markdown", "*thing*"), has("text/plain", "*thing*")}},
		{"mime bundler", bundler{}, []check{has("text/html", "custom"), has("image/png", "AQI="), has("text/plain", "custom")}},
		{"png method", pngThing{}, []check{decodes("image/png"), meta("image/png", 3, 2)}},
		{"png method error", pngThing{err: errors.New("no image")}, []check{has("text/plain", "no image")}},
		{"panicking methods", panicky{}, []check{has("text/plain", "PANIC"), lacks("text/html")}},
		{"matrix", mat.NewDense(2, 2, []float64{1, 2, 3, 4}), []check{has("text/plain", "⎡1  2⎤")}},
		{"bundle pointer", &Bundle{Data: map[string]any{"text/html": "<p>x</p>"}}, []check{has("text/plain", "x")}},
		{"nil plot", (*plot.Plot)(nil), []check{has("text/plain", "<nil>")}},
		{"handle", &Handle{id: "x"}, []check{has("text/plain", "display.Handle(x)")}},
		{"nil pointer with methods", (*htmlThing)(nil), []check{has("text/plain", "nil"), lacks("text/html")}},
		{"channel", make(chan int), []check{has("text/plain", "0x")}},
		{"func", func() {}, []check{has("text/plain", "0x")}},
		{"nil struct slice", []row(nil), []check{has("text/html", "<th>Name</th>")}},
		{"empty map", map[string]int{}, []check{has("text/plain", "key  value")}},
		{"slice of slices", [][]float64{{1, 2}}, []check{has("text/plain", "[[1 2]]")}},
		{"table of slices", Table([][]float64{{1, 2.5}, {3, 4}}), []check{has("text/plain", "1  2.5\n3  4"), has("text/html", "<td>2.5</td>")}},
		{"not a table", Table(3), []check{has("text/plain", "3"), lacks("text/html")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := Render(tt.v)
			if _, ok := b.Data["text/plain"].(string); !ok {
				t.Fatalf("no text/plain in %v", keys(b))
			}
			if b.Metadata == nil {
				t.Error("nil metadata")
			}
			for _, c := range tt.checks {
				c(t, b)
			}
		})
	}
}

func keys(b Bundle) []string {
	var ks []string
	for k := range b.Data {
		ks = append(ks, k)
	}
	return ks
}

func TestJSONScalarAndError(t *testing.T) {
	b := JSON(3)
	if m, ok := b.Data["application/json"].(map[string]any); !ok || m["value"] != 3.0 {
		t.Errorf("scalar JSON %v", b.Data["application/json"])
	}
	b = JSON(math.Inf(1))
	if _, ok := b.Data["application/json"]; ok || !strings.Contains(b.Data["text/plain"].(string), "JSON") {
		t.Errorf("bad JSON gave %v", b.Data)
	}
}

func TestProgressThrottle(t *testing.T) {
	d, r, c := newTestDisplay()
	bar := d.Progress(100)
	for i := 0; i < 50; i++ {
		c.advance(time.Millisecond)
		bar.Add(1)
	}
	if got := r.kinds(); got != "display" {
		t.Fatalf("after 50 quick adds: %s, want only the first display", got)
	}
	c.advance(60 * time.Millisecond) // 110ms since the display
	bar.Add(1)
	if got := r.kinds(); got != "display,update" {
		t.Fatalf("after 110ms: %s", got)
	}
	if s := r.events[1].b.Data["text/plain"].(string); !strings.Contains(s, " 51% |###############---------------| 51/100 [0s<0s, 464/s]") {
		t.Errorf("bar text %q", s)
	}
	// Ten seconds of adds every millisecond give about 100 updates.
	for i := 0; i < 10000; i++ {
		c.advance(time.Millisecond)
		bar.Set(51 + i*49/10000)
	}
	if n := len(r.events); n < 95 || n > 105 {
		t.Errorf("%d events in 10s, want about 100", n)
	}
	before := len(r.events)
	bar.Set(100) // reaching the total always shows
	if len(r.events) != before+1 {
		t.Errorf("reaching the total sent %d updates", len(r.events)-before)
	}
	bar.SetLabel("final")
	bar.Done()
	bar.Done()
	bar.Add(5)
	last := r.events[len(r.events)-1]
	if last.kind != "update" || last.id != bar.ID() {
		t.Fatalf("last event %+v", last)
	}
	if s := last.b.Data["text/plain"].(string); s != "final 100% |##############################| 100/100" {
		t.Errorf("final text %q, want no times or rates", s)
	}
	if h := last.b.Data["text/html"].(string); !strings.Contains(h, "width:100.0%") || !strings.Contains(h, "final") {
		t.Errorf("final html %q", h)
	}
	if len(r.events) != before+2 {
		t.Errorf("Done twice and Add after Done sent %d events, want 1", len(r.events)-before-1)
	}
}

func TestProgressUnknownTotal(t *testing.T) {
	d, r, c := newTestDisplay()
	bar := d.Progress(0)
	c.advance(2 * time.Second)
	bar.Add(10)
	if s := r.events[1].b.Data["text/plain"].(string); s != "10 [2s, 5/s]" {
		t.Errorf("text %q", s)
	}
	if h := r.events[1].b.Data["text/html"].(string); strings.Contains(h, "width:") {
		t.Errorf("unknown total drew a bar: %q", h)
	}
}

func TestTerminalSink(t *testing.T) {
	var buf bytes.Buffer
	s := NewTerminalSinkWithOptions(&buf, TerminalOptions{Terminal: 1})
	d := NewWithOptions(s, Options{Seed: 1, Now: (&clock{}).now})
	bar := d.Progress(4)
	bar.Set(2) // throttled: the clock does not move
	bar.Set(4) // reaching the total always shows
	bar.Done()
	d.Show("after")
	d.Show("two\nlines")
	bar.Done()
	h := d.Show("x")
	h.Update("x2") // last line: becomes live
	d.Show("y")    // printed above the live line
	h.Update("x3")
	h2 := d.Show("z")
	d.Show("w")
	h2.Update("z2") // not the last line, no live line: a new line
	want := "  0% |------------------------------| 0/4 [0s]\n" +
		"\x1b[A\r100% |##############################| 4/4\x1b[K\n" +
		"\x1b[A\r100% |##############################| 4/4\x1b[K\n" +
		"after\ntwo\nlines\n" +
		"x\n\x1b[A\rx2\x1b[K\n" +
		"\x1b[A\r\x1b[Ky\nx2\n" +
		"\x1b[A\rx3\x1b[K\n" +
		"\x1b[A\r\x1b[Kz\nx3\n" +
		"\x1b[A\r\x1b[Kw\nx3\n" +
		"\x1b[A\r\x1b[Kz2\nx3\n"
	if got := buf.String(); got != want {
		t.Errorf("terminal output\n%q\nwant\n%q", got, want)
	}
	if s.UpdateInterval() != 0 || !s.IsTerminal() {
		t.Error("terminal mode wants no extra throttling")
	}

	buf.Reset()
	p := NewTerminalSinkWithOptions(&buf, TerminalOptions{})
	if p.IsTerminal() || p.UpdateInterval() != 5*time.Second {
		t.Errorf("a buffer is not a terminal: %v %v", p.IsTerminal(), p.UpdateInterval())
	}
	h = NewWithOptions(p, Options{Seed: 1}).Show("one")
	h.Update("one")
	h.Update("two\nlines")
	if got, want := buf.String(), "one\ntwo\nlines\n"; got != want {
		t.Errorf("plain output %q, want %q", got, want)
	}
	if err := p.Flush(); err != nil {
		t.Error(err)
	}
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestTerminalSinkError(t *testing.T) {
	s := NewTerminalSink(failWriter{})
	s.Display(Text("x"), "")
	if err := s.Flush(); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("Flush error %v", err)
	}
}

func TestProgressSlowSink(t *testing.T) {
	var buf bytes.Buffer
	c := &clock{}
	d := NewWithOptions(NewTerminalSink(&buf), Options{Now: c.now, Seed: 1})
	bar := d.Progress(1000)
	for i := 1; i < 1000; i++ {
		c.advance(20 * time.Millisecond) // 20s in all
		bar.Set(i)
	}
	bar.Done()
	if n := strings.Count(buf.String(), "\n"); n < 4 || n > 7 {
		t.Errorf("%d lines for 20s to a file, want one per 5s:\n%s", n, buf.String())
	}
}

func TestMonitorGeneric(t *testing.T) {
	d, r, _ := newTestDisplay()
	m := d.NewMonitor("transform")
	m.Track("loss", "loss")
	m.Track("unclustered", FractionPanel)
	m.Refresh() // no points yet: nothing shown
	if len(r.events) != 0 {
		t.Fatalf("refresh without points sent %s", r.kinds())
	}
	m.Record(1, map[string]float64{"loss": 0.5, "unclustered": 1, "crossbars": 627})
	m.Record(2, map[string]float64{"loss": 0.4, "unclustered": 0.5, "crossbars": 400})
	if got := r.kinds(); got != "display,update" {
		t.Fatalf("events %s", got)
	}
	if got, want := r.events[1].b.Data["text/plain"], "transform: epoch 2  loss 0.4  unclustered 50.00%  crossbars 400"; got != want {
		t.Errorf("text %q, want %q", got, want)
	}
	ps, err := m.Plots()
	if err != nil || len(ps) != 3 {
		t.Fatalf("%d panels, %v; want 3", len(ps), err)
	}
	if md := r.events[1].b.Metadata["image/png"].(map[string]any); md["width"] != 3*432 {
		t.Errorf("three panels: %v", md)
	}
}

func TestNilSink(t *testing.T) {
	d := New(nil)
	d.Show(1).Update(2)
	d.Progress(3).Done()
	d.Clear()
}

func Example() {
	d := New(NewTerminalSink(&strings.Builder{}))
	_ = d
	fmt.Println(Render([]row{{Name: "dense", Score: 627}, {Name: "ours", Score: 311.5}}).Data["text/plain"])
	// Output:
	// Name   Score
	// ----   -----
	// dense  627
	// ours   311.5
}

type latexThing struct{}

func (latexThing) LaTeX() string { return `x^2` }

func TestRenderParts(t *testing.T) {
	h := htmlThing{}
	b := RenderParts(h, nil, h, h, nil, nil, nil, nil, nil)
	if b.Data["text/html"] != "<i>thing</i>" || b.Data["text/markdown"] != "*thing*" || b.Data["text/plain"] != "*thing*" {
		t.Errorf("html+markdown parts: %v", b.Data)
	}
	b = RenderParts(struct{ A int }{1}, nil, nil, nil, latexThing{}, nil, pngThing{}, nil, bundler{})
	if b.Data["text/latex"] != "$$x^2$$" || b.Data["text/html"] != "<p>custom</p>" || b.Metadata["k"] != 1 {
		t.Errorf("latex+mime parts: %v %v", b.Data, b.Metadata)
	}
	if _, ok := b.Data["image/png"].(string); !ok {
		t.Error("png part missing")
	}
	b = RenderParts(7, stringer("seven"), nil, nil, nil, nil, nil, nil, nil)
	if b.Data["text/plain"] != "seven" {
		t.Errorf("text part: %v", b.Data)
	}
	b = RenderParts(panicky{}, nil, panicky{}, nil, nil, nil, nil, nil, nil)
	if s, _ := b.Data["text/plain"].(string); !strings.Contains(s, "panic") {
		t.Errorf("panicking part: %v", b.Data)
	}
}

type stringer string

func (s stringer) String() string { return string(s) }

func TestBarConcurrent(t *testing.T) {
	d, r, _ := newTestDisplay()
	bar := d.Progress(4000)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 1000; i++ {
				bar.Add(1)
			}
		}()
	}
	wg.Wait()
	bar.Done()
	if n, _ := bar.Count(); n != 4000 {
		t.Errorf("count %d, want 4000", n)
	}
	last := r.events[len(r.events)-1].b.Data["text/plain"].(string)
	if !strings.Contains(last, "4000/4000") {
		t.Errorf("last text %q", last)
	}
}

func TestFigure(t *testing.T) {
	b := Figure(testPlot(), nil)
	if _, ok := b.Data["image/png"]; !ok {
		t.Errorf("no PNG: %v", keys(b))
	}
	b = Figure(nil, errors.New("figure: bad input"))
	if b.Data["text/plain"] != "error: figure: bad input" {
		t.Errorf("error bundle %v", b.Data)
	}
	b = Figures([]*plot.Plot{testPlot(), testPlot()}, nil)
	if md := b.Metadata["image/png"].(map[string]any); md["width"] != 960 || md["height"] != 480 {
		t.Errorf("two 5in plots: %v", md)
	}
	if b = Figures(nil, nil); !strings.Contains(b.Data["text/plain"].(string), "no plot") {
		t.Errorf("no plots: %v", b.Data)
	}
}
