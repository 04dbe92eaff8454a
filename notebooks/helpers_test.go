package notebooks

import (
	"encoding/json"
	"strings"
)

// newNotebook builds a notebook from cell sources: "md:" starts a
// markdown cell, "params:" a code cell tagged parameters, anything else is
// a code cell.
func newNotebook(cells ...string) *Notebook {
	nb := &Notebook{Format: 4, FormatMinor: 5, Metadata: map[string]any{}}
	for _, src := range cells {
		c := &Cell{Type: Code, Metadata: map[string]any{}, Outputs: []*Output{}}
		switch {
		case strings.HasPrefix(src, "md:"):
			c.Type, src = Markdown, strings.TrimPrefix(src, "md:")
			c.Outputs = nil
		case strings.HasPrefix(src, "params:"):
			src = strings.TrimPrefix(src, "params:")
			c.Metadata["tags"] = []any{"parameters"}
		}
		c.Source = src
		nb.Cells = append(nb.Cells, c)
	}
	return nb
}

// sampleNotebook is an executed notebook with every kind of output: two
// streams, HTML, a PNG with metadata, JSON, an execute_result with a
// float, and an error with a coloured traceback.
func sampleNotebook() *Notebook {
	nb := newNotebook("md:# Sample\n\nText with <b>HTML</b> & more.", "params:var epochs = 3", "fmt.Println(\"hi\")\nshow()", "x := 1.5\nx", "panic(\"boom\")")
	nb.Normalize()
	nb.SetKernel()
	nb.Metadata["language_info"].(map[string]any)["version"] = "GOVERSION"
	one, two, three := 1, 2, 3
	nb.Cells[1].ExecutionCount = &one
	nb.Cells[2].ExecutionCount = &two
	nb.Cells[2].Outputs = []*Output{
		{Type: Stream, Name: "stdout", Text: "hi\nsecond line\nno newline"},
		{Type: Stream, Name: "stderr", Text: "warning\n"},
		{Type: DisplayData, Data: map[string]any{"text/html": "<b>table <x> & y</b>\n<i>&amp;</i>\n", "text/plain": "table\nsecond line"}, Metadata: map[string]any{}},
		{Type: DisplayData, Data: map[string]any{"image/png": "iVBORw0KGgoAAAANSUhEUg==", "text/plain": "<image 2x1>"},
			Metadata: map[string]any{"image/png": map[string]any{"width": json.Number("2"), "height": json.Number("1")}}},
		{Type: DisplayData, Data: map[string]any{"application/json": map[string]any{"loss": []any{json.Number("0.5"), json.Number("0.25")}, "ok": true}, "text/plain": "{...}"}, Metadata: map[string]any{}},
	}
	nb.Cells[3].ExecutionCount = &three
	nb.Cells[3].Outputs = []*Output{{Type: ExecuteResult, Data: map[string]any{"text/plain": "1.5"}, Metadata: map[string]any{}, ExecutionCount: &three}}
	four := 4
	nb.Cells[4].ExecutionCount = &four
	nb.Cells[4].Outputs = []*Output{{Type: Error, EName: "panic", EValue: "boom", Traceback: []string{"\x1b[0;31mpanic\x1b[0m: boom", "    at In [4] line 1"}}}
	return nb
}
