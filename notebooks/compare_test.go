package notebooks

import (
	"encoding/base64"
	"path/filepath"
	"strings"
	"testing"
)

// pngBytes is the start of a 3x2 PNG, enough for describeBytes.
func pngBytes(tail byte) []byte {
	b := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR\x00\x00\x00\x03\x00\x00\x00\x02\x08\x02\x00\x00\x00")
	return append(b, 1, 2, 3, tail)
}

func TestCompareOutputs(t *testing.T) {
	pngA := base64.StdEncoding.EncodeToString(pngBytes(4))
	pngB := base64.StdEncoding.EncodeToString(pngBytes(5))
	for _, tc := range []struct {
		name   string
		change func(nb *Notebook)
		want   []string // Difference.String() of every difference
	}{
		{"same", func(*Notebook) {}, nil},
		{"same after a round trip", nil, nil},
		{"stream text", func(nb *Notebook) {
			nb.Cells[2].Outputs[0].Text = "hi\nsecond lime\nno newline"
		}, []string{`cell 3 (id ID2), output 1, text: line 2: want "second line", got "second lime"`}},
		{"stream shorter", func(nb *Notebook) {
			nb.Cells[2].Outputs[0].Text = "hi\n"
		}, []string{`cell 3 (id ID2), output 1, text: line 2: want "second line", got ""`}},
		{"stream name", func(nb *Notebook) {
			nb.Cells[2].Outputs[1].Name = "stdout"
		}, []string{`cell 3 (id ID2), output 2, name: want "stderr", got "stdout"`}},
		{"html", func(nb *Notebook) {
			nb.Cells[2].Outputs[2].Data["text/html"] = "<b>table <x> & y</b>\n<i>&amp;</i>\nextra\n"
		}, []string{`cell 3 (id ID2), output 3, text/html: line 3: want "", got "extra"`}},
		{"png bytes", func(nb *Notebook) {
			nb.Cells[2].Outputs[3].Data["image/png"] = pngA
		}, []string{`cell 3 (id ID2), output 4, image/png: byte 32: want PNG 3×2, 33 bytes, got PNG 3×2, 33 bytes`}},
		{"json", func(nb *Notebook) {
			nb.Cells[2].Outputs[4].Data["application/json"].(map[string]any)["ok"] = false
		}, []string{`cell 3 (id ID2), output 5, application/json: want {"loss":[0.5,0.25],"ok":true}, got {"loss":[0.5,0.25],"ok":false}`}},
		{"missing mime", func(nb *Notebook) {
			delete(nb.Cells[2].Outputs[2].Data, "text/html")
		}, []string{`cell 3 (id ID2), output 3, text/html: want present, got missing`}},
		{"output metadata", func(nb *Notebook) {
			nb.Cells[2].Outputs[3].Metadata = map[string]any{}
		}, []string{`cell 3 (id ID2), output 4, metadata: want {"image/png":{"height":1,"width":2}}, got null`}},
		{"execution counts", func(nb *Notebook) {
			n := 7
			nb.Cells[3].ExecutionCount = &n
			nb.Cells[3].Outputs[0].ExecutionCount = &n
		}, []string{`cell 4 (id ID3), execution_count: want 3, got 7`, `cell 4 (id ID3), output 1, execution_count: want 3, got 7`}},
		{"not executed", func(nb *Notebook) { nb.Cells[4].ClearOutputs() }, []string{
			`cell 5 (id ID4), execution_count: want 4, got none`,
			`cell 5 (id ID4), outputs: want 1 output (error), got 0 outputs`,
		}},
		{"one output less", func(nb *Notebook) {
			nb.Cells[2].Outputs = nb.Cells[2].Outputs[1:]
		}, []string{
			`cell 3 (id ID2), outputs: want 5 outputs (stream, stream, display_data, display_data, display_data), got 4 outputs (stream, display_data, display_data, display_data)`,
			`cell 3 (id ID2), output 1, name: want "stdout", got "stderr"`,
			`cell 3 (id ID2), output 1, text: line 1: want "hi", got "warning"`,
		}},
		{"error", func(nb *Notebook) {
			o := nb.Cells[4].Outputs[0]
			o.EName, o.EValue = "runtime error", "boom!"
			o.Traceback[1] = "    at In [4] line 2"
		}, []string{
			`cell 5 (id ID4), output 1, ename: want "panic", got "runtime error"`,
			`cell 5 (id ID4), output 1, evalue: line 1: want "boom", got "boom!"`,
			`cell 5 (id ID4), output 1, traceback: line 2: want "    at In [4] line 1", got "    at In [4] line 2"`,
		}},
		{"cells", func(nb *Notebook) { nb.Cells = nb.Cells[:4] }, []string{`notebook, cells: want 5 cells, got 4 cells`}},
		{"cell type", func(nb *Notebook) { nb.Cells[1].Type = Raw }, []string{`cell 2 (id ID1), cell_type: want "code", got "raw"`}},
		{"widget state", func(nb *Notebook) {
			nb.Metadata["widgets"] = map[string]any{WidgetStateMIME: map[string]any{"state": map[string]any{}}}
		}, []string{`notebook, metadata.widgets: want null, got {"application/vnd.jupyter.widget-state+json":{"state":{}}}`}},
		{"nil cell and output", func(nb *Notebook) {
			nb.Cells[0] = nil
			nb.Cells[2].Outputs[0] = nil
		}, []string{
			`cell 1 (id ID0), cell_type: want "markdown", got ""`,
			`cell 3 (id ID2), output 1, output_type: want "stream", got ""`,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := sampleNotebook()
			for i, c := range want.Cells {
				c.ID = "ID" + string(rune('0'+i))
			}
			want.Cells[2].Outputs[3].Data["image/png"] = pngB
			got := roundTrip(t, want)
			if tc.change != nil {
				tc.change(got)
			}
			var strs []string
			for _, d := range CompareOutputs(want, got) {
				strs = append(strs, d.String())
			}
			if strings.Join(strs, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("differences:\n%s\nwant:\n%s", strings.Join(strs, "\n"), strings.Join(tc.want, "\n"))
			}
			if n, m := len(CompareOutputs(want, got)), len(CompareOutputs(got, want)); n != m {
				t.Errorf("%d differences one way, %d the other", n, m)
			}
		})
	}
}

func roundTrip(t testing.TB, nb *Notebook) *Notebook {
	t.Helper()
	data, err := Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	out, err := Parse(data, "roundtrip.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCompareOutputsNil(t *testing.T) {
	if ds := CompareOutputs(nil, nil); ds != nil {
		t.Errorf("nil, nil: %v", ds)
	}
	ds := CompareOutputs(sampleNotebook(), nil)
	if len(ds) != 1 || ds[0].String() != "notebook, cells: want 5 cells, got no notebook" {
		t.Errorf("nb, nil: %v", ds)
	}
}

func TestCompareOutputsExcerpt(t *testing.T) {
	long := strings.Repeat("abcdefghij", 30)
	a := newNotebook("x")
	a.Cells[0].Outputs = []*Output{{Type: Stream, Name: "stdout", Text: "ok\n" + long + "é" + long}}
	b := roundTrip(t, a)
	b.Cells[0].Outputs[0].Text = "ok\n" + long + "è" + long
	ds := CompareOutputs(a, b)
	if len(ds) != 1 {
		t.Fatalf("%v", ds)
	}
	d := ds[0]
	if d.Line != 2 || !strings.Contains(d.Want, "é") || !strings.Contains(d.Got, "è") ||
		!strings.HasPrefix(d.Want, `..."`) || !strings.HasSuffix(d.Want, `"...`) || len(d.Want) > excerptLen+20 {
		t.Errorf("excerpt around the difference: %+v", d)
	}
}

// TestCompareShippedNotebooks compares every notebook of the repository
// with itself, read back after a write: no difference.
func TestCompareShippedNotebooks(t *testing.T) {
	paths, _ := filepath.Glob("[0-9][0-9]-*.ipynb")
	more, _ := filepath.Glob("testdata/*.ipynb")
	for _, p := range append(paths, more...) {
		nb, err := ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if ds := CompareOutputs(nb, roundTrip(t, nb)); len(ds) > 0 {
			t.Errorf("%s: %v", p, ds)
		}
	}
}

// FuzzCompareOutputs compares any notebook Parse accepts with itself and
// with a notebook of the seed corpus: no panic, no difference between a
// notebook and itself, as many differences each way, and a one-line
// description of every difference.
func FuzzCompareOutputs(f *testing.F) {
	seeds := fuzzSeeds(f)
	var others []*Notebook
	for _, s := range seeds {
		f.Add(s)
		if nb, err := Parse(s, "seed.ipynb"); err == nil {
			others = append(others, nb)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := Parse(data, "a.ipynb")
		if err != nil {
			return
		}
		if ds := CompareOutputs(a, a); len(ds) > 0 {
			t.Fatalf("a notebook differs from itself: %v", ds)
		}
		b := others[len(data)%len(others)]
		ab, ba := CompareOutputs(a, b), CompareOutputs(b, a)
		if len(ab) != len(ba) {
			t.Fatalf("%d differences one way, %d the other:\n%v\n%v", len(ab), len(ba), ab, ba)
		}
		for _, d := range ab {
			if s := d.String(); s == "" || strings.Contains(s, "\n") {
				t.Fatalf("difference described as %q", s)
			}
		}
	})
}
