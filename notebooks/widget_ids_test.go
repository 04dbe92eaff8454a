package notebooks

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// widgetNotebook is an executed notebook with widgets as "gotrann run"
// saves them, with the given comm ids: cell 1 shows a VBox holding a
// slider (ids[0], ids[1]) and prints the slider's id, cell 2 shows a
// button (ids[2]); ids[3] is a layout model that no output shows, which
// refers to the slider.
func widgetNotebook(ids [4]string) *Notebook {
	nb := newNotebook("md:# widgets", "box", "button")
	nb.Normalize()
	view := func(id string) *Output {
		return &Output{Type: DisplayData, Metadata: map[string]any{}, Data: map[string]any{
			WidgetViewMIME: map[string]any{"model_id": id, "version_major": 2, "version_minor": 0},
			"text/plain":   "VBox()",
		}}
	}
	nb.Cells[1].Outputs = []*Output{view(ids[0]), {Type: Stream, Name: "stdout", Text: "slider " + ids[1] + "\n"}}
	nb.Cells[2].Outputs = []*Output{view(ids[2])}
	model := func(name string, st map[string]any) map[string]any {
		st["_model_name"] = name
		return map[string]any{"model_name": name, "model_module": "@jupyter-widgets/controls", "model_module_version": "2.0.0", "state": st}
	}
	nb.Metadata["widgets"] = map[string]any{WidgetStateMIME: map[string]any{
		"version_major": 2, "version_minor": 0,
		"state": map[string]any{
			ids[0]: model("VBoxModel", map[string]any{"children": []any{"IPY_MODEL_" + ids[1]}}),
			ids[1]: model("IntSliderModel", map[string]any{"value": 3}),
			ids[2]: model("ButtonModel", map[string]any{"description": "go"}),
			ids[3]: model("LayoutModel", map[string]any{"of": "IPY_MODEL_" + ids[1]}),
		},
	}}
	return nb
}

var uuid8 = regexp.MustCompile(`^[0-9a-f]{12}8[0-9a-f]{3}[89ab][0-9a-f]{15}$`)

func TestCanonicalWidgetIDs(t *testing.T) {
	runs := [][4]string{
		{"1753afb3e844700a584616b5c02c7c60", "5bce63464392c4f7c318df81ae48fcc4", "91017ff54e2d5693584e01d2a55d1750", "0123456789abcdef0123456789abcdef"},
		{"ffffffffffffffffffffffffffffffff", "00000000000000000000000000000000", "5bce63464392c4f7c318df81ae48fcc4", "1753afb3e844700a584616b5c02c7c60"},
	}
	var files [][]byte
	for _, ids := range runs {
		nb := widgetNotebook(ids)
		if n := CanonicalWidgetIDs(nb); n != 4 {
			t.Errorf("renamed %d models, want 4", n)
		}
		data, err := Marshal(nb)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			if bytes.Contains(data, []byte(id)) {
				t.Errorf("comm id %s left in the notebook", id)
			}
		}
		files = append(files, data)

		states := widgetStates(nb)
		if len(states) != 4 {
			t.Fatalf("%d models saved, want 4", len(states))
		}
		box := viewModelID(nb.Cells[1].Outputs[0].Data)
		button := viewModelID(nb.Cells[2].Outputs[0].Data)
		for _, id := range []string{box, button} {
			if !uuid8.MatchString(id) {
				t.Errorf("id %q is not a version 8 UUID in hex", id)
			}
			if states[id] == nil {
				t.Errorf("output shows model %s, which has no saved state", id)
			}
		}
		children := states[box].(map[string]any)["state"].(map[string]any)["children"].([]any)
		slider, _ := strings.CutPrefix(children[0].(string), "IPY_MODEL_")
		if states[slider] == nil || states[slider].(map[string]any)["model_name"] != "IntSliderModel" {
			t.Errorf("the box's child %q is not the slider", slider)
		}
		if want := "slider " + slider + "\n"; nb.Cells[1].Outputs[1].Text != want {
			t.Errorf("printed id %q, want %q", nb.Cells[1].Outputs[1].Text, want)
		}
		if n := CanonicalWidgetIDs(nb); n != 0 {
			t.Errorf("a second pass renamed %d models", n)
		}
		again, _ := Marshal(nb)
		if !bytes.Equal(again, data) {
			t.Error("a second pass changed the notebook")
		}
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Errorf("two runs with other comm ids give other notebooks:\n%s", firstDiff(files[0], files[1]))
	}
}

func TestCanonicalWidgetIDsNothingToDo(t *testing.T) {
	for _, nb := range []*Notebook{nil, newNotebook(), sampleNotebook()} {
		if n := CanonicalWidgetIDs(nb); n != 0 {
			t.Errorf("renamed %d models in a notebook without widgets", n)
		}
	}
	// A shown model without saved state, and an output cell without id.
	nb := widgetNotebook([4]string{"a", "b", "c", "d"})
	delete(nb.Metadata, "widgets")
	nb.Cells[2].ID = ""
	if n := CanonicalWidgetIDs(nb); n != 2 {
		t.Errorf("renamed %d models, want the 2 shown", n)
	}
	if nb.Cells[1].Outputs[1].Text != "slider b\n" {
		t.Errorf("a short id was replaced in text: %q", nb.Cells[1].Outputs[1].Text)
	}
}

// FuzzCanonicalWidgetIDs renames the widget models of any notebook Parse
// accepts: no panic, and a second pass changes nothing.
func FuzzCanonicalWidgetIDs(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	w, err := Marshal(widgetNotebook([4]string{"1753afb3e844700a584616b5c02c7c60", "5bce63464392c4f7c318df81ae48fcc4", "91017ff54e2d5693584e01d2a55d1750", "x"}))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(w)
	f.Fuzz(func(t *testing.T, data []byte) {
		nb, err := Parse(data, "fuzz.ipynb")
		if err != nil {
			return
		}
		CanonicalWidgetIDs(nb)
		once, err := Marshal(nb)
		if err != nil {
			t.Fatalf("Marshal after renaming: %v", err)
		}
		if n := CanonicalWidgetIDs(nb); n != 0 {
			t.Fatalf("a second pass renamed %d models", n)
		}
		twice, _ := Marshal(nb)
		if !bytes.Equal(once, twice) {
			t.Fatalf("a second pass changed the notebook:\n%s", firstDiff(once, twice))
		}
	})
}
