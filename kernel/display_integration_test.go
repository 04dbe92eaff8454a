package kernel

import (
	"bytes"
	"context"
	"encoding/base64"
	"github.com/trannsformer/gotrann/kernel/engine"
	"image/png"
	"log"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/symbols"
	"github.com/trannsformer/gotrann/kernel/wire"
)

// The tests of this file run a real *session.Session behind a real Server
// over zmq4 sockets: display output, completion and inspection end to end.

// startSessionKernel starts a server on a new session, with a client. The
// warm cells are run on the session before the server starts.
func startSessionKernel(t *testing.T, warm ...string) *testKernel {
	t.Helper()
	sess, err := session.New(session.Options{Packages: symbols.Symbols, Docs: godoc.Docs{}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sess.Close() }) // after the kernel's cleanup (LIFO)
	for _, code := range warm {
		if res := sess.Execute(context.Background(), engine.Request{Code: code, StoreHistory: true}, discardOutput{}); res.Err != nil {
			t.Fatalf("%q: %v", code, res.Err)
		}
	}
	info := wire.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", SignatureScheme: "hmac-sha256", Key: wire.NewID()}
	srv, err := NewServer(info, sess, Config{Logger: log.New(testWriter{t}, "", 0)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	k := &testKernel{t: t, srv: srv, info: srv.ConnectionInfo(), key: []byte(info.Key), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	k.cancel = cancel
	go func() { k.done <- srv.Serve(ctx) }()
	k.dial()
	t.Cleanup(k.close)
	k.sync()
	return k
}

// run executes code, fails the test unless the reply is ok, and returns
// the iopub messages of the request.
func (k *testKernel) run(code string) []*wire.Message {
	k.t.Helper()
	rep, pub, _ := k.execute(code, nil)
	if c := content(k.t, rep); c["status"] != "ok" {
		k.t.Fatalf("%q: %v %v\n%v", code, c["ename"], c["evalue"], c["traceback"])
	}
	return pub
}

// ofType returns the contents of the messages of type msgType.
func ofType(t *testing.T, pub []*wire.Message, msgType string) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, m := range pub {
		if m.Header.MsgType == msgType {
			out = append(out, content(t, m))
		}
	}
	return out
}

func displayID(c map[string]any) string {
	tr, _ := c["transient"].(map[string]any)
	id, _ := tr["display_id"].(string)
	return id
}

func dataOf(c map[string]any, mime string) string {
	d, _ := c["data"].(map[string]any)
	s, _ := d[mime].(string)
	return s
}

// checkPNG decodes the image/png of c and checks it against the width and
// height in its metadata: the display package shows a plot at its
// metadata size and draws it at scale times that.
func checkPNG(t *testing.T, c map[string]any, wantW, wantH, scale int) {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(dataOf(c, "image/png"))
	if err != nil {
		t.Fatalf("image/png: %v", err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("image/png does not decode: %v", err)
	}
	md, _ := c["metadata"].(map[string]any)
	size, _ := md["image/png"].(map[string]any)
	w, _ := size["width"].(float64)
	h, _ := size["height"].(float64)
	if int(w) != wantW || int(h) != wantH {
		t.Errorf("metadata %v, want width %d height %d", md, wantW, wantH)
	}
	if b := img.Bounds(); b.Dx() != scale*int(w) || b.Dy() != scale*int(h) {
		t.Errorf("decoded %dx%d, want %d times the metadata %vx%v", b.Dx(), b.Dy(), scale, w, h)
	}
}

const sineCell = `p := plot.New()
p.Title.Text = "sine"
pts := make(plotter.XYs, 50)
for i := range pts {
	pts[i].X = float64(i) / 10
	pts[i].Y = math.Sin(pts[i].X)
}
l, err := plotter.NewLine(pts)
if err != nil {
	panic(err)
}
p.Add(l)
`

func TestSessionPlot(t *testing.T) {
	k := startSessionKernel(t)
	tests := []struct {
		name         string
		code         string
		msgType      string
		w, h, scale  int
		plainContent string
	}{
		// default: 6×4 in at 96 dpi, drawn at twice that
		{"last value", sineCell + "p", "execute_result", 576, 384, 2, `<plot "sine", PNG 576×384>`},
		{"display.Show", "display.Show(p)", "display_data", 576, 384, 2, `<plot "sine", PNG 576×384>`},
		{"PlotWith", "display.PlotWith(p, display.PlotOptions{Width: 3 * vg.Inch, Height: 2 * vg.Inch, DPI: 100, Scale: 1})",
			"execute_result", 300, 200, 1, `<plot "sine", PNG 300×200>`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ofType(t, k.run(tt.code), tt.msgType)
			if len(got) != 1 {
				t.Fatalf("%d %s, want 1", len(got), tt.msgType)
			}
			checkPNG(t, got[0], tt.w, tt.h, tt.scale)
			if p := dataOf(got[0], "text/plain"); p != tt.plainContent {
				t.Errorf("text/plain %q, want %q", p, tt.plainContent)
			}
		})
	}
}

func TestSessionShowUpdateClear(t *testing.T) {
	k := startSessionKernel(t)
	pub := k.run("h := display.Show(\"first\")\nh.Update(display.HTML(\"<b>second</b>\"))")
	shown, updated := ofType(t, pub, "display_data"), ofType(t, pub, "update_display_data")
	if len(shown) != 1 || len(updated) != 1 {
		t.Fatalf("iopub %v", types(pub))
	}
	id := displayID(shown[0])
	if id == "" || displayID(updated[0]) != id {
		t.Fatalf("display ids %q and %q", id, displayID(updated[0]))
	}
	if dataOf(shown[0], "text/plain") != "first" || dataOf(updated[0], "text/html") != "<b>second</b>" {
		t.Errorf("display %v, update %v", shown[0], updated[0])
	}
	// A later cell updates the same output.
	pub = k.run("h.Update(3)")
	if u := ofType(t, pub, "update_display_data"); len(u) != 1 || displayID(u[0]) != id || dataOf(u[0], "text/plain") != "3" {
		t.Errorf("update from a later cell %v", u)
	}
	if ofType(t, pub, "execute_result") != nil {
		t.Errorf("h.Update has an Out value: %v", types(pub))
	}

	for _, tc := range []struct {
		code string
		wait bool
	}{{"display.Clear()", false}, {"display.ClearWait()", true}} {
		pub := k.run(tc.code)
		c := ofType(t, pub, "clear_output")
		if len(c) != 1 || c[0]["wait"] != tc.wait {
			t.Errorf("%s: clear_output %v (iopub %v)", tc.code, c, types(pub))
		}
	}
}

func TestSessionTrainingProgress(t *testing.T) {
	k := startSessionKernel(t)
	pub := k.run(`train := data.Synthetic(data.SyntheticConfig{N: 300, Seed: 1})
m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 16, 10}, Seed: 1})
if err != nil {
	panic(err)
}
mon := display.NewMonitor("tiny")
hist, err := m.Train(nb.Context(), train, nn.Config{Epochs: 3, BatchSize: 50}, monitor.Training(mon))
if err != nil {
	panic(err)
}
len(hist)`)
	shown := ofType(t, pub, "display_data")
	updates := ofType(t, pub, "update_display_data")
	if len(shown) != 2 {
		t.Fatalf("want a bar and curves displayed, got %v", types(pub))
	}
	// The bar is shown first (at the first batch), the curves at the end
	// of the first epoch; both are then updated in place.
	bar, curves := displayID(shown[0]), displayID(shown[1])
	var barUpdates, curveUpdates []map[string]any
	for _, u := range updates {
		switch displayID(u) {
		case bar:
			barUpdates = append(barUpdates, u)
		case curves:
			curveUpdates = append(curveUpdates, u)
		default:
			t.Errorf("update of unknown display %q", displayID(u))
		}
	}
	if len(updates) < 3 || len(barUpdates) == 0 || len(curveUpdates) != 2 {
		t.Fatalf("%d updates: %d of the bar, %d of the curves (want 2, epochs 2 and 3)", len(updates), len(barUpdates), len(curveUpdates))
	}
	final := dataOf(barUpdates[len(barUpdates)-1], "text/plain")
	if !strings.Contains(final, "100%") || !strings.Contains(final, "epoch 3/3") {
		t.Errorf("final bar %q", final)
	}
	w, h, scale := pngSize(t, curveUpdates[1])
	checkPNG(t, curveUpdates[1], w, h, scale)
	if r := ofType(t, pub, "execute_result"); len(r) != 1 || dataOf(r[0], "text/plain") != "3" {
		t.Errorf("value %v", r)
	}
	t.Logf("%d update_display_data: %d of the bar, %d of the curves; final bar %q", len(updates), len(barUpdates), len(curveUpdates), final)

	// display.Progress in a loop: the bar reaches its total and is done.
	pub = k.run("bar := display.Progress(20)\nfor i := 0; i < 20; i++ {\n\tbar.Add(1)\n}\nbar.Done()")
	shown, updates = ofType(t, pub, "display_data"), ofType(t, pub, "update_display_data")
	if len(shown) != 1 || len(updates) < 1 || displayID(updates[len(updates)-1]) != displayID(shown[0]) {
		t.Fatalf("progress: %v", types(pub))
	}
	if last := dataOf(updates[len(updates)-1], "text/plain"); !strings.Contains(last, "100%") || !strings.Contains(last, "20/20") {
		t.Errorf("final bar %q", last)
	}
}

// pngSize returns the metadata size of c's PNG with the default scale 2.
func pngSize(t *testing.T, c map[string]any) (int, int, int) {
	md, _ := c["metadata"].(map[string]any)
	size, _ := md["image/png"].(map[string]any)
	w, _ := size["width"].(float64)
	h, _ := size["height"].(float64)
	if w == 0 || h == 0 {
		t.Fatalf("no image/png size in %v", md)
	}
	return int(w), int(h), 2
}

func TestSessionInspectComplete(t *testing.T) {
	k := startSessionKernel(t)
	inspect := func(code string) map[string]any {
		req := k.send(k.shell, "inspect_request", map[string]any{"code": code, "cursor_pos": len(code), "detail_level": 0})
		c := content(t, k.reply(k.shellCh, req))
		k.iopubFor(req)
		return c
	}
	complete := func(code string) ([]string, float64) {
		req := k.send(k.shell, "complete_request", map[string]any{"code": code, "cursor_pos": len(code)})
		c := content(t, k.reply(k.shellCh, req))
		k.iopubFor(req)
		var out []string
		for _, m := range c["matches"].([]any) {
			out = append(out, m.(string))
		}
		start, _ := c["cursor_start"].(float64)
		return out, start
	}

	for _, tc := range []struct{ code, doc string }{
		{"nn.New", "New makes an MLP with weights drawn from the seed"},
		{"mat.NewDense", "NewDense creates a new Dense matrix"},
	} {
		c := inspect(tc.code)
		if c["status"] != "ok" || c["found"] != true || !strings.Contains(dataOf(c, "text/plain"), tc.doc) {
			t.Errorf("inspect %s: %v", tc.code, c)
		}
	}

	// a method of a trannsformer type, through a variable
	k.run("net, _ := nn.New(nn.ModelConfig{Sizes: []int{4, 3, 2}, Seed: 1})")
	if c := inspect("net.Train"); c["found"] != true || !strings.Contains(dataOf(c, "text/plain"), "Train trains m on ds") {
		t.Errorf("inspect net.Train: %v", c)
	}
	if m, _ := complete("net.Tr"); !containsStr(m, "Train") {
		t.Errorf("net.Tr: %v", m)
	}

	if m, start := complete("mat."); !containsStr(m, "NewDense") || start != 4 {
		t.Errorf("mat.: %v from %v", m, start)
	}
	k.run("type Pt struct{ X, Y float64 }\nfunc (p Pt) Norm() float64 { return math.Hypot(p.X, p.Y) }\npt := Pt{3, 4}")
	m, _ := complete("pt.")
	for _, want := range []string{"X", "Y", "Norm"} {
		if !containsStr(m, want) {
			t.Errorf("pt.: %v lacks %s", m, want)
		}
	}
	if m, start := complete("x := pt.N"); len(m) != 1 || m[0] != "Norm" || start != 8 {
		t.Errorf("pt.N: %v from %v", m, start)
	}
	// a variable of a compiled type
	k.run("d := mat.NewDense(2, 2, nil)")
	if m, _ := complete("d.Se"); !containsStr(m, "Set") {
		t.Errorf("d.Se: %v", m)
	}
}

// discardOutput is a engine.Output that drops everything.
type discardOutput struct{}

func (discardOutput) Display(engine.Bundle, string)      {}
func (discardOutput) Update(engine.Bundle, string)       {}
func (discardOutput) Clear(bool)                         {}
func (discardOutput) Stream(string, string)              {}
func (discardOutput) Input(string, bool) (string, error) { return "", ErrStdinNotAllowed }

func containsStr(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// TestSessionRichCellType: a type declared in a cell with an HTML method
// renders as text/html, as the cell's value and through display.Show.
func TestSessionRichCellType(t *testing.T) {
	k := startSessionKernel(t)
	k.run("type Badge struct{ Name string }\nfunc (b Badge) HTML() string { return \"<span class=badge>\" + b.Name + \"</span>\" }")
	r := ofType(t, k.run("Badge{\"go\"}"), "execute_result")
	if len(r) != 1 || dataOf(r[0], "text/html") != "<span class=badge>go</span>" {
		t.Errorf("value %v", r)
	}
	d := ofType(t, k.run("display.Show(Badge{\"shown\"})"), "display_data")
	if len(d) != 1 || dataOf(d[0], "text/html") != "<span class=badge>shown</span>" {
		t.Errorf("display_data %v", d)
	}
}

// TestSessionExecutionCountInTraceback: the traceback names the cell by the
// kernel's execution count, which unstored cells do not advance, even when
// the session's own counter differs (it ran two cells before the kernel).
func TestSessionExecutionCountInTraceback(t *testing.T) {
	k := startSessionKernel(t, "w1 := 1", "w2 := 2")
	k.run("a := 1")
	k.execute("b := 2", map[string]any{"store_history": false})
	k.run("c := 3")
	rep, pub, _ := k.execute("var s []int\n_ = s[5]", nil)
	c := content(t, rep)
	if c["status"] != "error" || c["execution_count"] != 3.0 {
		t.Fatalf("reply %v", c)
	}
	e := ofType(t, pub, "error")
	if len(e) != 1 {
		t.Fatalf("iopub %v", types(pub))
	}
	var tb []string
	for _, l := range e[0]["traceback"].([]any) {
		tb = append(tb, l.(string))
	}
	if all := strings.Join(tb, "\n"); !strings.Contains(all, "In[3]") || strings.Contains(all, "In[4]") {
		t.Errorf("traceback does not name In[3]:\n%s", all)
	}
}
