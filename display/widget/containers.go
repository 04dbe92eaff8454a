package widget

import (
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"

	"github.com/trannsformer/gotrann/display"
)

var (
	specHBox   = spec{name: "HBox", model: "HBoxModel", view: "HBoxView"}
	specVBox   = spec{name: "VBox", model: "VBoxModel", view: "VBoxView"}
	specTab    = spec{name: "Tab", model: "TabModel", view: "TabView", repr: "selected_index", toV1: tabToV1}
	specOutput = spec{name: "Output", model: "OutputModel", view: "OutputView", output: true, toV1: outputToV1}
)

func refs(children []Modeler) []any {
	out := make([]any, 0, len(children))
	for _, c := range children {
		if c != nil && c.Model() != nil {
			out = append(out, ref(c))
		}
	}
	return out
}

// Box lays out other widgets in a row (HBox) or a column (VBox).
type Box struct{ *Widget }

// NewHBox returns a row of children.
func (k *Kit) NewHBox(children ...Modeler) *Box {
	return &Box{k.newWidget(specHBox, map[string]any{"children": refs(children), "box_style": ""})}
}

// NewVBox returns a column of children.
func (k *Kit) NewVBox(children ...Modeler) *Box {
	return &Box{k.newWidget(specVBox, map[string]any{"children": refs(children), "box_style": ""})}
}

// SetChildren replaces the children.
func (b *Box) SetChildren(children ...Modeler) { b.Set("children", refs(children)) }

// Tab shows one of its children at a time, under titled tabs.
type Tab struct{ *Widget }

// NewTab returns tabs titled titles over children.
func (k *Kit) NewTab(titles []string, children ...Modeler) *Tab {
	ts := make([]string, len(children))
	copy(ts, titles)
	var sel any
	if len(children) > 0 {
		sel = 0
	}
	return &Tab{k.newWidget(specTab, map[string]any{
		"children": refs(children), "titles": ts, "selected_index": sel, "box_style": "",
	})}
}

// Selected returns the index of the tab shown, -1 if none.
func (t *Tab) Selected() int {
	v := t.Get("selected_index")
	if v == nil {
		return -1
	}
	return toInt(v)
}

// Select shows tab i.
func (t *Tab) Select(i int) { t.Set("selected_index", i) }

// OnSelect calls f with the index of each tab shown.
func (t *Tab) OnSelect(f func(i int)) { t.Observe("selected_index", func(_, v any) { f(toInt(v)) }) }

// ipywidgets 6 keeps the titles in a dict by index, _titles.
func tabToV1(w *Widget, st map[string]any) {
	ts, ok := st["titles"]
	if !ok {
		return
	}
	delete(st, "titles")
	d := map[string]any{}
	for i, s := range toStrings(ts) {
		d[strconv.Itoa(i)] = s
	}
	st["_titles"] = d
}

// Output is an output area inside the widget tree: callbacks show their
// results, text and errors in it (Capture).
//
// In protocol 2 its outputs are part of its state; in protocol 1 (whose
// Output model has no outputs) they are not shown.
type Output struct{ *Widget }

// NewOutput returns an empty output area.
func (k *Kit) NewOutput() *Output {
	return &Output{k.newWidget(specOutput, map[string]any{"msg_id": "", "outputs": []any{}})}
}

func outputToV1(w *Widget, st map[string]any) {
	if _, ok := st["_model_module"]; ok {
		// ipywidgets 6's Output lives in jupyter-js-widgets too (set by toV1)
		delete(st, "description")
	}
}

// Outputs returns the outputs shown, as nbformat output dicts.
func (o *Output) Outputs() []any {
	l, _ := o.Get("outputs").([]any)
	return append([]any(nil), l...)
}

func (o *Output) appendOutput(out map[string]any) {
	o.mu.Lock()
	l, _ := o.state["outputs"].([]any)
	l = append(append([]any(nil), l...), out)
	o.mu.Unlock()
	o.Set("outputs", l)
}

// Show appends v, rendered as display.Render renders it.
func (o *Output) Show(v any) {
	b := display.Render(v)
	md := b.Metadata
	if md == nil {
		md = map[string]any{}
	}
	o.appendOutput(map[string]any{"output_type": "display_data", "data": b.Data, "metadata": md})
}

// Print appends text to the output's stdout stream (like fmt.Print).
func (o *Output) Print(a ...any) { o.stream("stdout", fmt.Sprint(a...)) }

// Println appends a line to the output's stdout stream.
func (o *Output) Println(a ...any) { o.stream("stdout", fmt.Sprintln(a...)) }

// Printf appends formatted text to the output's stdout stream.
func (o *Output) Printf(format string, a ...any) { o.stream("stdout", fmt.Sprintf(format, a...)) }

// Error appends err as an error output.
func (o *Output) Error(err error) {
	o.appendOutput(map[string]any{"output_type": "error", "ename": "error", "evalue": err.Error(),
		"traceback": []any{"\x1b[0;31merror\x1b[0m: " + err.Error()}})
}

func (o *Output) stream(name, text string) {
	if text == "" {
		return
	}
	o.mu.Lock()
	l, _ := o.state["outputs"].([]any)
	if n := len(l); n > 0 {
		if last, ok := l[n-1].(map[string]any); ok && last["output_type"] == "stream" && last["name"] == name {
			l = append([]any(nil), l...)
			l[n-1] = map[string]any{"output_type": "stream", "name": name, "text": toString(last["text"]) + text}
			o.mu.Unlock()
			o.Set("outputs", l)
			return
		}
	}
	o.mu.Unlock()
	o.appendOutput(map[string]any{"output_type": "stream", "name": name, "text": text})
}

// Clear removes every output.
func (o *Output) Clear() { o.Set("outputs", []any{}) }

// Capture runs f; a panic in f is recovered and shown in the output as an
// error, with the panic's stack. It reports whether f returned normally.
func (o *Output) Capture(f func()) (ok bool) {
	defer func() {
		if r := recover(); r != nil {
			ok = false
			stack := strings.Split(strings.TrimSpace(string(debug.Stack())), "\n")
			tb := []any{fmt.Sprintf("\x1b[0;31mpanic\x1b[0m: %v", r)}
			for _, l := range stack {
				tb = append(tb, l)
			}
			o.appendOutput(map[string]any{"output_type": "error", "ename": "panic", "evalue": fmt.Sprint(r), "traceback": tb})
		}
	}()
	f()
	return true
}
