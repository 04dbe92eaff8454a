package widget

import (
	"fmt"
	"math"
	"strings"
	"sync"

	"github.com/trannsformer/gotrann/kernel/comm"
)

// Module versions of the two protocols.
const (
	v2Protocol      = "2.1.0"
	v2Controls      = "@jupyter-widgets/controls"
	v2ControlsVer   = "2.0.0"
	v2Output        = "@jupyter-widgets/output"
	v2OutputVer     = "1.0.0"
	v1Module        = "jupyter-js-widgets"
	v1Version       = "~2.1.4"
	v1MsgThrottle   = 3
	modelRefPrefix  = "IPY_MODEL_"
	defaultReprName = "Widget"
)

// spec describes one widget model.
type spec struct {
	name   string // the Go name, e.g. "IntSlider"
	model  string // model name, e.g. "IntSliderModel"
	view   string // view name
	output bool   // a model of @jupyter-widgets/output
	// toV1 rewrites a copy of the state into protocol 1 form; fromV1
	// rewrites a protocol 1 update into protocol 2 form.
	toV1   func(w *Widget, st map[string]any)
	fromV1 func(w *Widget, st map[string]any)
	// repr is the text/plain key shown: "value" gives IntSlider(value=3).
	repr string
}

// Widget is one widget model: its state, synchronised with the front
// end, and the callbacks observing it. The typed controls (IntSlider, ...)
// embed it. Its methods are safe for concurrent use.
type Widget struct {
	k     *Kit
	spec  spec
	c     *comm.Comm
	proto int

	mu        sync.Mutex
	state     map[string]any // protocol 2 form
	observers map[string][]func(old, new any)
	custom    []func(content map[string]any)
}

// Model returns w itself: every widget type has it, so that boxes can hold
// any of them (see Modeler).
func (w *Widget) Model() *Widget { return w }

// Modeler is implemented by every widget type.
type Modeler interface{ Model() *Widget }

// newWidget makes a widget of sp with the given state keys (besides the
// common ones) and opens its comm.
func (k *Kit) newWidget(sp spec, state map[string]any) *Widget {
	w := &Widget{k: k, spec: sp, proto: k.Protocol(), state: map[string]any{}, observers: map[string][]func(old, new any){}}
	for key, v := range baseState(sp) {
		w.state[key] = v
	}
	for key, v := range state {
		w.state[key] = normalize(v)
	}
	w.c = k.comms.NewComm(TargetWidget)
	w.c.OnMsg(w.onMsg)
	w.c.OnClose(func(map[string]any) { k.remove(w.c.ID()) })
	k.add(w)
	full := w.wireState(w.proto)
	if w.proto == Protocol1 {
		w.c.Open(full, nil, nil)
	} else {
		w.c.Open(map[string]any{"state": full, "buffer_paths": []any{}}, map[string]any{"version": v2Protocol}, nil)
	}
	return w
}

// baseState is the state every model of sp has (protocol 2 form).
func baseState(sp spec) map[string]any {
	mod, ver := v2Controls, v2ControlsVer
	if sp.output {
		mod, ver = v2Output, v2OutputVer
	}
	st := map[string]any{
		"_model_module": mod, "_model_module_version": ver, "_model_name": sp.model,
		"_view_module": mod, "_view_module_version": ver, "_view_name": sp.view,
		"_view_count": nil, "_dom_classes": []any{}, "tabbable": nil, "tooltip": nil,
	}
	if !sp.output {
		st["description"] = ""
		st["description_allow_html"] = false
	}
	return st
}

// ID returns the model id (the comm id).
func (w *Widget) ID() string { return w.c.ID() }

// Name returns the widget's type name, e.g. "IntSlider".
func (w *Widget) Name() string { return w.spec.name }

// Protocol returns the protocol version the widget speaks.
func (w *Widget) Protocol() int { return w.proto }

// Get returns the value of a state key (protocol 2 names), nil if unset.
func (w *Widget) Get(key string) any {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.state[key]
}

// State returns a copy of the state in protocol 2 form.
func (w *Widget) State() map[string]any {
	w.mu.Lock()
	defer w.mu.Unlock()
	return copyMap(w.state)
}

// wireState returns the full state in the form of protocol p.
func (w *Widget) wireState(p int) map[string]any {
	st := w.State()
	if p == Protocol1 {
		toV1(w, st)
	}
	return st
}

// toV1 rewrites a protocol 2 state (full or partial) into protocol 1 form.
func toV1(w *Widget, st map[string]any) {
	if _, ok := st["_model_module"]; ok {
		st["_model_module"], st["_model_module_version"] = v1Module, v1Version
		st["_view_module"], st["_view_module_version"] = v1Module, v1Version
		st["msg_throttle"] = v1MsgThrottle
		delete(st, "_view_count")
		delete(st, "tabbable")
		delete(st, "description_allow_html")
	}
	if w.spec.toV1 != nil {
		w.spec.toV1(w, st)
	}
}

// Set changes a state key (protocol 2 name) from Go: the front end is
// updated and the observers of key are called.
func (w *Widget) Set(key string, v any) { w.SetMany(map[string]any{key: v}) }

// SetMany changes several keys at once, in one update message.
func (w *Widget) SetMany(kv map[string]any) {
	changed := w.apply(kv)
	if len(kv) == 0 {
		return
	}
	w.sendUpdate("update", copyMap(kv))
	w.notify(changed)
}

type change struct {
	key      string
	old, new any
}

// apply stores kv and returns the keys whose value changed.
func (w *Widget) apply(kv map[string]any) []change {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []change
	for _, key := range sortedKeys(kv) {
		old := w.state[key]
		v := normalize(kv[key])
		w.state[key] = v
		if !equal(old, v) {
			out = append(out, change{key, old, v})
		}
	}
	return out
}

// sendUpdate sends a partial state (protocol 2 form) as method.
func (w *Widget) sendUpdate(method string, st map[string]any) {
	if w.proto == Protocol1 {
		toV1(w, st)
		w.c.Send(map[string]any{"method": "update", "state": st, "buffers": []any{}})
		return
	}
	w.c.Send(map[string]any{"method": method, "state": st, "buffer_paths": []any{}})
}

func (w *Widget) notify(changes []change) {
	for _, ch := range changes {
		w.mu.Lock()
		fs := append(([]func(old, new any))(nil), w.observers[ch.key]...)
		fs = append(fs, w.observers[""]...)
		w.mu.Unlock()
		for _, f := range fs {
			w.k.comms.Call("widget "+w.spec.name+" observer of "+ch.key, func() { f(ch.old, ch.new) })
		}
	}
}

// Observe calls f with the old and new value whenever key changes, in the
// front end or from Go; key "" observes every key.
func (w *Widget) Observe(key string, f func(old, new any)) {
	w.mu.Lock()
	w.observers[key] = append(w.observers[key], f)
	w.mu.Unlock()
}

// OnCustom calls f with the content of each custom message of the front
// end.
func (w *Widget) OnCustom(f func(content map[string]any)) {
	w.mu.Lock()
	w.custom = append(w.custom, f)
	w.mu.Unlock()
}

// SendCustom sends a custom message to the front end's model.
func (w *Widget) SendCustom(content map[string]any) {
	w.c.Send(map[string]any{"method": "custom", "content": content})
}

// onMsg handles a message of the front end on the widget's comm.
func (w *Widget) onMsg(data map[string]any) {
	switch data["method"] {
	case "update": // protocol 2
		st, _ := data["state"].(map[string]any)
		if len(st) == 0 {
			return
		}
		changed := w.apply(st)
		w.sendUpdate("echo_update", copyMap(st))
		w.notify(changed)
	case "backbone": // protocol 1
		st, _ := data["sync_data"].(map[string]any)
		if len(st) == 0 {
			return
		}
		st = copyMap(st)
		if w.spec.fromV1 != nil {
			w.spec.fromV1(w, st)
		}
		w.notify(w.apply(st))
	case "request_state":
		w.sendUpdate("update", w.State())
	case "custom":
		content, _ := data["content"].(map[string]any)
		w.mu.Lock()
		fs := append(([]func(map[string]any))(nil), w.custom...)
		w.mu.Unlock()
		for _, f := range fs {
			w.k.comms.Call("widget "+w.spec.name+" custom message", func() { f(content) })
		}
	}
}

// MIMEBundle is the widget's view for display (display.MIMEBundler). In
// protocol 1 it also sends the comm message {"method":"display"}, which
// the classic Notebook needs to show the widget (it shows the text/plain
// of the display_data too: display always gives one).
func (w *Widget) MIMEBundle() map[string]any {
	if w.proto == Protocol1 {
		w.c.Send(map[string]any{"method": "display"})
		return map[string]any{ViewMIME: map[string]any{"model_id": w.ID()}, "text/plain": w.String()}
	}
	return map[string]any{
		ViewMIME:     map[string]any{"version_major": 2, "version_minor": 0, "model_id": w.ID()},
		"text/plain": w.String(),
	}
}

// String is the widget's text form, e.g. IntSlider(value=3).
func (w *Widget) String() string {
	if w.spec.repr == "" {
		return w.spec.name + "()"
	}
	return fmt.Sprintf("%s(%s=%v)", w.spec.name, w.spec.repr, w.Get(w.spec.repr))
}

// Close closes the widget's comm: the front end drops its views.
func (w *Widget) Close() {
	w.c.Close(nil)
	w.k.remove(w.ID())
}

// ref is the state value that refers to w from another model.
func ref(m Modeler) string { return modelRefPrefix + m.Model().ID() }

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// normalize turns Go values into the JSON shapes the front end sends
// (float64 numbers, []any lists), so that values compare the same
// whichever side set them.
func normalize(v any) any {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case float32:
		return float64(x)
	case []int:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = float64(e)
		}
		return out
	case []float64:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []string:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

func equal(a, b any) bool {
	as, aok := a.([]any)
	bs, bok := b.([]any)
	if aok || bok {
		if !aok || !bok || len(as) != len(bs) {
			return false
		}
		for i := range as {
			if !equal(as[i], bs[i]) {
				return false
			}
		}
		return true
	}
	if _, ok := a.(map[string]any); ok {
		return false
	}
	if _, ok := b.(map[string]any); ok {
		return false
	}
	return a == b
}

func toFloat(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	case bool:
		if x {
			return 1
		}
	}
	return 0
}

func toInt(v any) int { return int(math.Round(toFloat(v))) }

func toString(v any) string {
	if s, ok := v.(string); ok {
		return s
	}
	if v == nil {
		return ""
	}
	return fmt.Sprint(v)
}

func toBool(v any) bool { b, _ := v.(bool); return b }

func toStrings(v any) []string {
	l, _ := v.([]any)
	out := make([]string, len(l))
	for i, e := range l {
		out[i] = toString(e)
	}
	return out
}

// reprValue formats a value for String.
func reprValue(v any) string {
	if s, ok := v.(string); ok {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSpace(fmt.Sprint(v))
}
