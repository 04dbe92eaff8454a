package notebooks

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// malformedCase is a notebook Parse rejects, and what the error says.
type malformedCase struct{ name, data, want string }

// malformedNotebooks lists the malformed notebooks of TestParseMalformed;
// they also seed FuzzParse.
func malformedNotebooks() []malformedCase {
	const head = `"nbformat": 4, "nbformat_minor": 5, "metadata": {}`
	cells := func(cells string) string { return `{` + head + `, "cells": [` + cells + `]}` }
	return []malformedCase{
		{"empty", "  \n", "the file is empty"},
		{"not JSON", "hello", "not valid JSON: invalid character 'h' looking for beginning of value at line 1, column 1"},
		{"syntax error position", "{\n \"cells\": [,]\n}", "at line 2, column 12"},
		{"truncated", `{"cells": [`, "unexpected end of file (truncated?)"},
		{"trailing data", `{"nbformat": 4, "nbformat_minor": 5, "cells": []} x`, "data after the notebook's closing brace"},
		{"not an object", `[1, 2]`, "the file holds a JSON list, not an object"},
		{"no nbformat", `{"cells": []}`, `missing "nbformat" (is this a Jupyter notebook?)`},
		{"nbformat string", `{"nbformat": "4", "nbformat_minor": 5, "cells": []}`, `"nbformat" is the string "4", not an integer`},
		{"nbformat 3", `{"nbformat": 3, "nbformat_minor": 0, "worksheets": []}`, "nbformat 3 is not supported"},
		{"nbformat 5", `{"nbformat": 5, "nbformat_minor": 0, "cells": []}`, "nbformat 5 is not supported"},
		{"no minor", `{"nbformat": 4, "cells": []}`, `missing "nbformat_minor"`},
		{"no cells", `{` + head + `}`, `missing "cells"`},
		{"cells not a list", `{` + head + `, "cells": {}}`, `"cells" is a JSON object, not a list`},
		{"metadata not an object", `{"nbformat": 4, "nbformat_minor": 5, "metadata": [], "cells": []}`, `"metadata" is a JSON list, not an object`},
		{"cell not an object", cells(`{"cell_type": "code", "source": "", "outputs": []}, "x"`), "cell 2 (cells[1]): a JSON string, not an object"},
		{"no cell_type", cells(`{"source": "x"}`), `cell 1 (cells[0]): missing "cell_type"`},
		{"bad cell_type", cells(`{"cell_type": "heading", "source": "x"}`), `cell 1 (cells[0]): unknown cell_type "heading" (want "code", "markdown" or "raw")`},
		{"cell_type number", cells(`{"cell_type": 1, "source": "x"}`), `"cell_type" is a JSON number, not a string`},
		{"no source", cells(`{"cell_type": "markdown"}, {"cell_type": "markdown", "metadata": {}}`), `cell 2 (cells[1]): missing "source"`},
		{"source number", cells(`{"cell_type": "markdown", "source": 3}`), `cell 1 (cells[0]): "source" is a JSON number, not a string or a list of strings`},
		{"source list with a number", cells(`{"cell_type": "markdown", "source": ["a\n", 2]}`), `cell 1 (cells[0]): source[1] is a JSON number, not a string`},
		{"id number", cells(`{"cell_type": "markdown", "source": "", "id": 7}`), `"id" is a JSON number, not a string`},
		{"cell metadata list", cells(`{"cell_type": "markdown", "source": "", "metadata": []}`), `cell 1 (cells[0]): "metadata" is a JSON list, not an object`},
		{"outputs not a list", cells(`{"cell_type": "code", "source": "", "outputs": {}}`), `"outputs" is a JSON object, not a list`},
		{"execution_count string", cells(`{"cell_type": "code", "source": "", "outputs": [], "execution_count": "1"}`), `"execution_count" is the string "1", not an integer`},
		{"output without type", cells(`{"cell_type": "code", "source": "", "outputs": [{"name": "stdout"}]}`), `cell 1 (cells[0]): outputs[0]: missing "output_type"`},
		{"unknown output type", cells(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "pyout"}]}`), `unknown output_type "pyout"`},
		{"stream without name", cells(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "stream", "text": ""}]}`), `outputs[0]: missing "name"`},
		{"display without data", cells(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "display_data"}]}`), `outputs[0]: missing "data"`},
		{"nested too deep", `{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"a": ` + strings.Repeat("[", 2000) + strings.Repeat("]", 2000) + `}}`, "nested more than 1000 deep at line 1, column 1067"},
		{"traceback not strings", cells(`{"cell_type": "code", "source": "", "outputs": [{"output_type": "error", "ename": "e", "evalue": "v", "traceback": [1]}]}`), `traceback[0] is a JSON number, not a string`},
	}
}

func TestParseMalformed(t *testing.T) {
	for _, tc := range malformedNotebooks() {
		t.Run(tc.name, func(t *testing.T) {
			nb, err := Parse([]byte(tc.data), "bad.ipynb")
			var fe *FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("Parse = %v, %v; want a *FormatError", nb, err)
			}
			msg := err.Error()
			if fe.File != "bad.ipynb" || !strings.HasPrefix(msg, "bad.ipynb: malformed notebook:") || !strings.Contains(msg, tc.want) {
				t.Errorf("error %q\nwant it to contain %q", msg, tc.want)
			}
		})
	}
}

func TestParseListsEveryProblem(t *testing.T) {
	_, err := Parse([]byte(`{"nbformat": 4, "nbformat_minor": 5, "cells": [{"source": ""}, {"cell_type": "code"}]}`), "x.ipynb")
	want := "x.ipynb: malformed notebook:\n  cell 1 (cells[0]): missing \"cell_type\"\n  cell 2 (cells[1]): missing \"source\""
	if err == nil || err.Error() != want {
		t.Errorf("error %q\nwant %q", err, want)
	}
}

func TestReadFile(t *testing.T) {
	if _, err := ReadFile(filepath.Join(t.TempDir(), "missing.ipynb")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	nb, err := ReadFile("testdata/jupyter.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 5 || nb.Cells[1].Source != "x := 1\nfmt.Println(x)\n" || nb.Cells[1].Outputs[0].Text != "1\n2\n" {
		t.Errorf("multi-line strings not joined: %+v", nb.Cells[1])
	}
	if !nb.Cells[1].HasTag("parameters") || nb.CellByTag("parameters") != 1 || nb.CellByTag("nope") != -1 {
		t.Errorf("tags")
	}
}

// TestRoundTripJupyter reads a notebook written by Python's nbformat
// (testdata/jupyter.ipynb) and writes it back byte for byte: the same
// key order, indentation, line splitting, escaping and numbers.
func TestRoundTripJupyter(t *testing.T) {
	want, err := os.ReadFile("testdata/jupyter.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	nb, err := Parse(want, "jupyter.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("round trip differs:\n%s", firstDiff(got, want))
	}
}

func TestReadStringOrLines(t *testing.T) {
	for _, src := range []string{`"a\nb"`, `["a\n", "b"]`, `["a\nb"]`, `["a", "\nb"]`} {
		nb, err := Parse([]byte(`{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "raw", "source": `+src+`}]}`), "x")
		if err != nil {
			t.Fatal(err)
		}
		if nb.Cells[0].Source != "a\nb" {
			t.Errorf("source %s read as %q", src, nb.Cells[0].Source)
		}
		out, _ := Marshal(nb)
		if !bytes.Contains(out, []byte("\"source\": [\n    \"a\\n\",\n    \"b\"\n   ]")) {
			t.Errorf("source %s written as\n%s", src, out)
		}
	}
}

// firstDiff shows where two texts start to differ.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-80)
	return "got:\n" + string(got[lo:min(len(got), i+80)]) + "\nwant:\n" + string(want[lo:min(len(want), i+80)])
}

// TestParseDepth checks the nesting limit: 1000 levels (Jupyter's own)
// are read, brackets in strings do not count, escaped quotes do not end
// a string.
func TestParseDepth(t *testing.T) {
	nest := func(depth int, inner string) string {
		// The top-level object and "metadata" are two levels.
		return `{"nbformat": 4, "nbformat_minor": 5, "cells": [], "metadata": {"a": ` +
			strings.Repeat("[", depth-2) + inner + strings.Repeat("]", depth-2) + `}}`
	}
	for _, tc := range []struct {
		name string
		data string
		ok   bool
	}{
		{"1000 deep", nest(1000, ""), true},
		{"1001 deep", nest(1001, ""), false},
		{"brackets in a string", nest(999, `"[[[{{{\"[[["`), true},
		{"escaped backslash ends the string", nest(1000, `"\\", []`), false},
	} {
		_, err := Parse([]byte(tc.data), "deep.ipynb")
		var fe *FormatError
		switch {
		case tc.ok && err != nil:
			t.Errorf("%s: %v", tc.name, err)
		case !tc.ok && (!errors.As(err, &fe) || !strings.Contains(err.Error(), "nested more than 1000 deep")):
			t.Errorf("%s: err = %v, want a FormatError about the nesting", tc.name, err)
		}
	}
}

// endless is a reader that never ends, like /dev/zero.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// TestReadSizeLimit checks that an endless input is refused after the
// limit (MaxSize for Read), not read until memory runs out.
func TestReadSizeLimit(t *testing.T) {
	_, err := readLimited(endless{}, "endless", 4<<20)
	if err == nil || !strings.Contains(err.Error(), "endless: larger than 4 MiB: not read") {
		t.Errorf("err = %v", err)
	}
	data, _ := os.ReadFile("testdata/jupyter.ipynb")
	if _, err := readLimited(bytes.NewReader(data), "jupyter.ipynb", int64(len(data))); err != nil {
		t.Errorf("a notebook of exactly the limit: %v", err)
	}
}

// TestReadFileTooLarge checks that a file larger than MaxSize is refused
// before it is read (a sparse file: no disk is used).
func TestReadFileTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.ipynb")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(path, MaxSize+1); err != nil {
		t.Skipf("cannot make a sparse file: %v", err)
	}
	_, err := ReadFile(path)
	if err == nil || !strings.Contains(err.Error(), "huge.ipynb: larger than 1024 MiB (1073741825 bytes): not read") {
		t.Errorf("err = %v", err)
	}
}
