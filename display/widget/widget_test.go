package widget

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/kernel/comm"
	"github.com/trannsformer/gotrann/kernel/engine"
)

var update = flag.Bool("update", false, "rewrite the golden files")

type recorder struct {
	mu  sync.Mutex
	msg []engine.Comm
}

func (r *recorder) Comm(m engine.Comm) {
	r.mu.Lock()
	r.msg = append(r.msg, m)
	r.mu.Unlock()
}

func (r *recorder) take() []engine.Comm {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.msg
	r.msg = nil
	return m
}

func newKit(proto int) (*Kit, *recorder) {
	m := comm.NewManager()
	r := &recorder{}
	m.SetSink(r)
	k := New(m)
	k.SetProtocol(proto)
	return k, r
}

// front sends data from the front end on w's comm and waits for it.
func front(k *Kit, w Modeler, data map[string]any) {
	k.Comms().Deliver(engine.Comm{Type: "comm_msg", CommID: w.Model().ID(), Data: data})
	k.Comms().Wait()
}

// frontUpdate sends a state change in the form of protocol p.
func frontUpdate(k *Kit, w Modeler, p int, st map[string]any) {
	if p == Protocol1 {
		front(k, w, map[string]any{"method": "backbone", "sync_data": st})
		return
	}
	front(k, w, map[string]any{"method": "update", "state": st, "buffer_paths": []any{}})
}

// goldenMessages writes msgs as JSON with the comm ids replaced by ID0,
// ID1, ... in order of appearance and compares with testdata/name.json.
func goldenMessages(t *testing.T, name string, msgs []engine.Comm) {
	t.Helper()
	b, err := json.MarshalIndent(msgs, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	n := 0
	for _, m := range msgs {
		if m.CommID != "" && strings.Contains(s, m.CommID) {
			s = strings.ReplaceAll(s, m.CommID, fmt.Sprintf("ID%d", n))
			n++
		}
	}
	s += "\n"
	path := filepath.Join("testdata", name+".json")
	if *update {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != s {
		t.Errorf("%s differs from %s; got:\n%s", name, path, s)
	}
}

// modelCase makes one widget, changes it from Go, then from the front end,
// and checks the value read back.
type modelCase struct {
	name   string
	make   func(k *Kit) Modeler
	fromGo func(w Modeler)
	front  map[int]map[string]any // protocol -> state change in its form
	check  func(w Modeler) string // the value read back, as text
	want   string
}

var modelCases = []modelCase{
	{"IntSlider", func(k *Kit) Modeler { return k.NewIntSlider("k", 2, 64, 2, 16) },
		func(w Modeler) { w.(*IntSlider).SetValue(100) },
		map[int]map[string]any{1: {"value": 8.0}, 2: {"value": 8.0}},
		func(w Modeler) string { return fmt.Sprint(w.(*IntSlider).Value()) }, "8"},
	{"FloatSlider", func(k *Kit) Modeler { return k.NewFloatSlider("threshold", 0, 1, 0.05, 0.5) },
		func(w Modeler) { w.(*FloatSlider).SetValue(0.25) },
		map[int]map[string]any{1: {"value": 0.75}, 2: {"value": 0.75}},
		func(w Modeler) string { return fmt.Sprint(w.(*FloatSlider).Value()) }, "0.75"},
	{"IntRangeSlider", func(k *Kit) Modeler { return k.NewIntRangeSlider("range", 0, 10, 1, 2, 5) },
		func(w Modeler) { w.(*IntRangeSlider).SetValue(6, 3) },
		map[int]map[string]any{1: {"value": []any{1.0, 9.0}}, 2: {"value": []any{1.0, 9.0}}},
		func(w Modeler) string { lo, hi := w.(*IntRangeSlider).Value(); return fmt.Sprint(lo, hi) }, "1 9"},
	{"Dropdown", func(k *Kit) Modeler { return k.NewDropdown("mode", []string{"a", "b", "c"}, 0) },
		func(w Modeler) { w.(*Dropdown).SetValue("b") },
		map[int]map[string]any{1: {"label": "c"}, 2: {"index": 2.0}},
		func(w Modeler) string { d := w.(*Dropdown); return fmt.Sprint(d.Index(), " ", d.Value()) }, "2 c"},
	{"RadioButtons", func(k *Kit) Modeler { return k.NewRadioButtons("pick", []string{"x", "y"}, -1) },
		func(w Modeler) { w.(*RadioButtons).SetIndex(0) },
		map[int]map[string]any{1: {"label": "y"}, 2: {"index": 1.0}},
		func(w Modeler) string { return w.(*RadioButtons).Value() }, "y"},
	{"Checkbox", func(k *Kit) Modeler { return k.NewCheckbox("on", false) },
		func(w Modeler) { w.(*Checkbox).SetValue(true) },
		map[int]map[string]any{1: {"value": false}, 2: {"value": false}},
		func(w Modeler) string { return fmt.Sprint(w.(*Checkbox).Value()) }, "false"},
	{"ToggleButton", func(k *Kit) Modeler { return k.NewToggleButton("bold", false) },
		func(w Modeler) { w.(*ToggleButton).SetValue(true) },
		map[int]map[string]any{1: {"value": false}, 2: {"value": false}},
		func(w Modeler) string { return fmt.Sprint(w.(*ToggleButton).Value()) }, "false"},
	{"Button", func(k *Kit) Modeler { return k.NewButton("Run") },
		func(w Modeler) { w.Model().Set("button_style", "success") },
		map[int]map[string]any{1: {"description": "Go"}, 2: {"description": "Go"}},
		func(w Modeler) string { return toString(w.Model().Get("description")) }, "Go"},
	{"Text", func(k *Kit) Modeler { return k.NewText("name", "", "type here") },
		func(w Modeler) { w.(*Text).SetValue("go") },
		map[int]map[string]any{1: {"value": "gopher"}, 2: {"value": "gopher"}},
		func(w Modeler) string { return w.(*Text).Value() }, "gopher"},
	{"Textarea", func(k *Kit) Modeler { return k.NewTextarea("notes", "a\nb", "") },
		func(w Modeler) { w.(*Textarea).SetValue("c") },
		map[int]map[string]any{1: {"value": "d\ne"}, 2: {"value": "d\ne"}},
		func(w Modeler) string { return w.(*Textarea).Value() }, "d\ne"},
	{"Label", func(k *Kit) Modeler { return k.NewLabel("loss: 0.3") },
		func(w Modeler) { w.(*Label).SetValue("loss: 0.2") }, nil,
		func(w Modeler) string { return w.(*Label).Value() }, "loss: 0.2"},
	{"HTML", func(k *Kit) Modeler { return k.NewHTML("<b>x</b>") },
		func(w Modeler) { w.(*HTML).SetValue("<i>y</i>") }, nil,
		func(w Modeler) string { return w.(*HTML).Value() }, "<i>y</i>"},
	{"Play", func(k *Kit) Modeler { return k.NewPlay("epoch", 0, 10, 1, 200) },
		func(w Modeler) { w.(*Play).SetPlaying(true) },
		map[int]map[string]any{1: {"value": 3.0, "_playing": false}, 2: {"value": 3.0, "playing": false}},
		func(w Modeler) string { return fmt.Sprint(w.(*Play).Value(), w.Model().Get("playing")) }, "3 false"},
	{"Progress", func(k *Kit) Modeler { return k.NewProgress("training", 0, 10) },
		func(w Modeler) { w.(*Progress).SetValue(4); w.(*Progress).SetBarStyle("info") }, nil,
		func(w Modeler) string { return fmt.Sprint(w.(*Progress).Value()) }, "4"},
	{"Output", func(k *Kit) Modeler { return k.NewOutput() },
		func(w Modeler) {
			o := w.(*Output)
			o.Println("epoch", 1)
			o.Print("done\n")
			o.Show(display.HTML("<b>ok</b>"))
		}, nil,
		func(w Modeler) string { return fmt.Sprint(len(w.(*Output).Outputs())) }, "2"},
	{"Tab", func(k *Kit) Modeler {
		return k.NewTab([]string{"one", "two"}, k.NewLabel("1"), k.NewLabel("2"))
	},
		func(w Modeler) { w.(*Tab).Select(1) },
		map[int]map[string]any{1: {"selected_index": 0.0}, 2: {"selected_index": 0.0}},
		func(w Modeler) string { return fmt.Sprint(w.(*Tab).Selected()) }, "0"},
	{"HBox", func(k *Kit) Modeler { return k.NewHBox(k.NewLabel("a"), k.NewButton("b")) },
		func(w Modeler) { w.Model().Set("box_style", "info") }, nil,
		func(w Modeler) string { return fmt.Sprint(len(toStrings(w.Model().Get("children")))) }, "2"},
	{"VBox", func(k *Kit) Modeler { return k.NewVBox(k.NewLabel("a")) },
		func(w Modeler) { w.(*Box).SetChildren() }, nil,
		func(w Modeler) string { return fmt.Sprint(len(toStrings(w.Model().Get("children")))) }, "0"},
}

func TestModels(t *testing.T) {
	for _, p := range []int{Protocol1, Protocol2} {
		for _, tc := range modelCases {
			t.Run(fmt.Sprintf("p%d/%s", p, tc.name), func(t *testing.T) {
				k, r := newKit(p)
				w := tc.make(k)
				var changes []string
				w.Model().Observe("", func(old, new any) { changes = append(changes, fmt.Sprint(old, "->", new)) })
				tc.fromGo(w)
				if st := tc.front[p]; st != nil {
					frontUpdate(k, w, p, st)
				}
				front(k, w, map[string]any{"method": "request_state"})
				bundle := w.Model().MIMEBundle()
				msgs := r.take()
				msgs = append(msgs, engine.Comm{Type: "display_data", Data: bundle})
				goldenMessages(t, fmt.Sprintf("p%d/%s", p, tc.name), msgs)
				if got := tc.check(w); got != tc.want {
					t.Errorf("value %q, want %q", got, tc.want)
				}
				if len(changes) == 0 {
					t.Errorf("no observer call")
				}
			})
		}
	}
}

func TestButtonClick(t *testing.T) {
	k, _ := newKit(Protocol2)
	b := k.NewButton("Run")
	n := 0
	b.OnClick(func() { n++ })
	front(k, b, map[string]any{"method": "custom", "content": map[string]any{"event": "click"}})
	b.Click()
	if n != 2 {
		t.Errorf("%d clicks", n)
	}
}

func TestObserverPanicIsRecovered(t *testing.T) {
	k, _ := newKit(Protocol2)
	var errs []error
	k.Comms().SetPanicHandler(func(err error) { errs = append(errs, err) })
	s := k.NewIntSlider("x", 0, 10, 1, 0)
	s.OnChange(func(int) { panic("bad callback") })
	frontUpdate(k, s, Protocol2, map[string]any{"value": 3.0})
	s.SetValue(4)
	if len(errs) != 2 || !strings.Contains(errs[0].Error(), "bad callback") {
		t.Errorf("panics reported: %v", errs)
	}
	if s.Value() != 4 {
		t.Errorf("value %d", s.Value())
	}
}

func TestOutputCapture(t *testing.T) {
	k, _ := newKit(Protocol2)
	o := k.NewOutput()
	if o.Capture(func() { o.Println("before"); panic("oops") }) {
		t.Error("Capture reported success")
	}
	outs := o.Outputs()
	if len(outs) != 2 || outs[1].(map[string]any)["output_type"] != "error" || outs[1].(map[string]any)["evalue"] != "oops" {
		t.Errorf("outputs %v", outs)
	}
	o.Clear()
	if len(o.Outputs()) != 0 {
		t.Error("Clear left outputs")
	}
}

func TestProtocolChosenByFrontEnd(t *testing.T) {
	k, r := newKit(0)
	if k.Protocol() != Protocol2 {
		t.Fatalf("default protocol %d", k.Protocol())
	}
	k.Comms().Deliver(engine.Comm{Type: "comm_open", CommID: "v", TargetName: TargetVersion})
	k.Comms().Deliver(engine.Comm{Type: "comm_msg", CommID: "v", Data: map[string]any{"validated": true, "frontend_version": "2.1.4"}})
	k.Comms().Wait()
	if k.Protocol() != Protocol1 {
		t.Errorf("after jupyter.widget.version: protocol %d", k.Protocol())
	}
	goldenMessages(t, "p1/version", r.take())
}

func TestControlRequestStates(t *testing.T) {
	k, r := newKit(0)
	k.NewIntSlider("a", 0, 10, 1, 5)
	k.NewCheckbox("b", true)
	r.take()
	k.Comms().Deliver(engine.Comm{Type: "comm_open", CommID: "ctl", TargetName: TargetControl})
	k.Comms().Deliver(engine.Comm{Type: "comm_msg", CommID: "ctl", Data: map[string]any{"method": "request_states"}})
	k.Comms().Wait()
	msgs := r.take()
	if len(msgs) != 1 {
		t.Fatalf("%d messages", len(msgs))
	}
	var ids []string
	for id := range msgs[0].Data["states"].(map[string]any) {
		ids = append(ids, id)
	}
	// stable names for the golden file
	b, _ := json.Marshal(msgs)
	s := string(b)
	for _, w := range k.Widgets() {
		s = strings.ReplaceAll(s, w.ID(), "W"+w.Name())
	}
	var norm []engine.Comm
	json.Unmarshal([]byte(s), &norm)
	goldenMessages(t, "p2/control", norm)
	if len(ids) != 2 {
		t.Errorf("states of %v", ids)
	}
}

func TestState(t *testing.T) {
	k, _ := newKit(Protocol1)
	s := k.NewIntSlider("a", 0, 10, 1, 5)
	st := k.State()
	models := st["state"].(map[string]any)
	m := models[s.ID()].(map[string]any)
	if m["model_module"] != v2Controls || m["model_name"] != "IntSliderModel" || m["state"].(map[string]any)["value"] != 5.0 {
		t.Errorf("state %v", m)
	}
	s.Close()
	if len(k.State()["state"].(map[string]any)) != 0 {
		t.Error("closed widget in the state")
	}
	if !reflect.DeepEqual(st["version_major"], 2) {
		t.Errorf("version %v", st["version_major"])
	}
}
