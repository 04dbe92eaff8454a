package notebooks

import (
	"strings"
	"testing"
)

func TestParseParameter(t *testing.T) {
	for _, tc := range []struct {
		in, name, value, err string
	}{
		{in: "epochs=3", name: "epochs", value: "3"},
		{in: "a=b=c", name: "a", value: "b=c"},
		{in: "empty=", name: "empty", value: ""},
		{in: " lr =0.1", name: "lr", value: "0.1"},
		{in: "épsilon=1", name: "épsilon", value: "1"},
		{in: "epochs", err: "want name=value"},
		{in: "=3", err: `"" is not a Go identifier`},
		{in: "1x=3", err: `"1x" is not a Go identifier`},
		{in: "a.b=3", err: "is not a Go identifier"},
		{in: "_=3", err: `"_" is not a Go identifier`},
	} {
		p, err := ParseParameter(tc.in)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("ParseParameter(%q) error %v, want %q", tc.in, err, tc.err)
		case tc.err == "" && (err != nil || p.Name != tc.name || p.Value != tc.value):
			t.Errorf("ParseParameter(%q) = %+v, %v; want %s=%s", tc.in, p, err, tc.name, tc.value)
		}
	}
}

// TestConvertParameter declares a parameter x (in a parameters cell) and
// converts a command-line value to the Go expression assigned to it.
func TestConvertParameter(t *testing.T) {
	for _, tc := range []struct {
		decl, value, want, err string
	}{
		// Integers.
		{decl: "var x = 3", value: "5", want: "5"},
		{decl: "var x = 3", value: "+5", want: "5"},
		{decl: "var x int", value: "-7", want: "-7"},
		{decl: "x := 3", value: "1e3", want: "1000"},
		{decl: "var x = 3", value: "5.5", err: "want an integer for type int, got a number"},
		{decl: "var x = 3", value: "abc", err: "want an integer for type int, got a string"},
		{decl: "var x uint8 = 1", value: "300", err: "300 out of range for uint8"},
		{decl: "var x uint = 1", value: "-1", err: "out of range for uint"},
		{decl: "var x int64 = 42", value: "9223372036854775807", want: "9223372036854775807"},
		{decl: "var x = int64(2)", value: "4", want: "4"},
		{decl: "var x = 'a'", value: "65", want: "65"},
		{decl: "var x = -3", value: "2", want: "2"},
		{decl: "var x = 2 * 8", value: "4", want: "4"},
		// Floats.
		{decl: "var x = 0.01", value: "0.1", want: "0.1"},
		{decl: "var x float64", value: "1", want: "1"},
		{decl: "var x float32 = 1", value: "1e-3", want: "0.001"},
		{decl: "var x = 1.0 / 3", value: "2.5", want: "2.5"},
		{decl: "var x = 0.1", value: "fast", err: "want a number for type float64, got a string"},
		// Booleans.
		{decl: "var x = false", value: "true", want: "true"},
		{decl: "var x bool", value: "False", want: "false"},
		{decl: "var x = !true", value: "true", want: "true"},
		{decl: "var x = false", value: "1", err: "want true or false for type bool, got an integer"},
		// Strings.
		{decl: `var x = "mnist"`, value: "fashion-mnist", want: `"fashion-mnist"`},
		{decl: `var x string`, value: `"a \"b\"\tc"`, want: `"a \"b\"\tc"`},
		{decl: `var x = "s"`, value: `'x y'`, want: `"x y"`},
		{decl: "var x = `raw`", value: "3", want: `"3"`},
		{decl: `var x = "s"`, value: "true", want: `"true"`},
		{decl: `var x = "s"`, value: "", want: `""`},
		{decl: `var x = "s"`, value: "[1]", err: "want a string for type string, got a list"},
		{decl: `var x = "s"`, value: `"bad \q"`, err: "bad quoted string"},
		// Slices, arrays, maps.
		{decl: "x := []int{1}", value: "[16, 32]", want: "[]int{16, 32}"},
		{decl: "var x []int", value: "[]", want: "[]int{}"},
		{decl: "var x []int", value: "null", err: "want a JSON list like [1, 2] for type []int, got a string"},
		{decl: "var x []int", value: "[16, 3.5]", err: "element 1: want an integer for type int, got a number"},
		{decl: "var x []int", value: "16", err: "want a JSON list like [1, 2] for type []int, got an integer"},
		{decl: "var x []int", value: "[1,", err: "not a valid JSON list or object"},
		{decl: "var x []string", value: `["a", 2]`, want: `[]string{"a", "2"}`},
		{decl: "var x = []float64{0.1}", value: "[1, 0.5]", want: "[]float64{1, 0.5}"},
		{decl: "var x [][]int", value: "[[1], [2, 3]]", want: "[][]int{[]int{1}, []int{2, 3}}"},
		{decl: "var x [2]int", value: "[1, 2]", want: "[2]int{1, 2}"},
		{decl: "var x map[string]int", value: `{"b": 2, "a": 1}`, want: `map[string]int{"a": 1, "b": 2}`},
		{decl: "var x map[int]bool", value: `{"3": true}`, want: `map[int]bool{3: true}`},
		{decl: "var x map[string]int", value: `[1]`, err: "want a JSON object"},
		{decl: "var x []any", value: `[1, "a", null]`, want: `[]any{1, "a", nil}`},
		// Durations.
		{decl: "var x = 5 * time.Second", value: "1m30s", want: "90 * time.Second"},
		{decl: "var x time.Duration", value: "2h", want: "2 * time.Hour"},
		{decl: "var x = time.Duration(0)", value: "250ms", want: "250 * time.Millisecond"},
		{decl: "var x = time.Minute", value: "1.5µs", want: "time.Duration(1500)"},
		{decl: "var x = time.Minute", value: "0s", want: "0"},
		{decl: "var x = time.Minute", value: "10", err: `want a duration like "1m30s"`},
		{decl: "var x = time.Minute", value: "ten", err: `time: invalid duration "ten"`},
		// Named and unsupported types.
		{decl: `var x Mode = "a"`, value: "fast", want: `Mode("fast")`},
		{decl: `var x = Sizes{1}`, value: "[1, 2]", want: `Sizes([]int{1, 2})`},
		{decl: `var x = nn.Config{}`, value: "3", want: `nn.Config(3)`},
		{decl: "var x *int", value: "1", err: "parameters of type *int are not supported"},
		// Unknown types: the value's own.
		{decl: "x := f()", value: "3", want: "3"},
		{decl: "x := f()", value: "0.5", want: "0.5"},
		{decl: "x := f()", value: "hello", want: `"hello"`},
		{decl: "x := f()", value: "True", want: "true"},
		{decl: "x := f()", value: "[1, 2.5]", want: "[]float64{1.0, 2.5}"},
		{decl: "x := f()", value: `["a", "b"]`, want: `[]string{"a", "b"}`},
		{decl: "x := f()", value: `[1, "a"]`, want: `[]any{1, "a"}`},
		{decl: "x := f()", value: `[]`, want: `[]any{}`},
		{decl: "x := f()", value: `{"k": [true]}`, want: `map[string]any{"k": []bool{true}}`},
		{decl: "var x, y = f()", value: "3", want: "3"},
		{decl: "var x interface{}", value: "3", want: "3"},
	} {
		d, err := declarations(tc.decl)
		if err != nil {
			t.Errorf("declarations(%q): %v", tc.decl, err)
			continue
		}
		decl, ok := d.byName["x"]
		if !ok {
			t.Errorf("declarations(%q) has no x: %v", tc.decl, d.names)
			continue
		}
		got, err := convertParameter(decl.typ, tc.value)
		switch {
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("%s; x=%s: got %q, %v; want error %q", tc.decl, tc.value, got, err, tc.err)
		case tc.err == "" && (err != nil || got != tc.want):
			t.Errorf("%s; x=%s: got %q, %v; want %q", tc.decl, tc.value, got, err, tc.want)
		}
	}
}

func TestDeclarations(t *testing.T) {
	for _, tc := range []struct {
		src, names, err string
	}{
		{src: "var epochs = 3", names: "epochs"},
		{src: "import \"time\"\n\nvar (\n\tepochs = 3\n\tlr, decay = 0.1, 0.9\n\t_ = 1\n)\nconst k = 2\nfunc f() {}", names: "epochs lr decay k"},
		{src: "epochs := 3\nfmt.Println(epochs)\nvar seed int64\nname, n := \"a\", 1\nepochs := 4", names: "epochs seed name n"},
		{src: "// nothing here", names: ""},
		{src: "x := 1\nvar y = ", err: "at the end of the cell: expected operand"},
		{src: "x := 1\ny := )\nz := 2", err: "line 2, column 6: expected operand"},
	} {
		d, err := declarations(tc.src)
		switch {
		case tc.err != "":
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("declarations(%q) error %v, want %q", tc.src, err, tc.err)
			}
		case err != nil:
			t.Errorf("declarations(%q): %v", tc.src, err)
		case strings.Join(d.names, " ") != tc.names:
			t.Errorf("declarations(%q) = %q, want %q", tc.src, d.names, tc.names)
		}
	}
}

func TestInjectParameters(t *testing.T) {
	params := func(kv ...string) []Parameter {
		var ps []Parameter
		for _, s := range kv {
			p, err := ParseParameter(s)
			if err != nil {
				t.Fatal(err)
			}
			ps = append(ps, p)
		}
		return ps
	}
	const decl = "params:var (\n\tepochs = 1\n\tlr = 0.1\n\tdataset = \"mnist\"\n)"

	nb := newNotebook("md:# t", decl, "print x")
	if err := InjectParameters(nb, params("lr=0.5", "epochs=3", "lr=0.25")); err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 4 {
		t.Fatalf("%d cells, want 4", len(nb.Cells))
	}
	c := nb.Cells[2]
	want := "// Parameters\nlr = 0.25\nepochs = 3"
	if c.Source != want || c.ID != "injected-parameters" || !c.HasTag("injected-parameters") || c.Type != Code {
		t.Errorf("injected cell %+v\nsource %q, want %q", c, c.Source, want)
	}

	// Running the output again replaces the injected cell.
	if err := InjectParameters(nb, params("dataset=fashion")); err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 4 || nb.Cells[2].Source != "// Parameters\ndataset = \"fashion\"" || nb.Cells[3].Source != "print x" {
		t.Errorf("re-injection: %d cells, injected %q", len(nb.Cells), nb.Cells[2].Source)
	}

	// An id already taken gets a derived one.
	nb = newNotebook(decl, "print x")
	nb.Cells[1].ID = "injected-parameters"
	if err := InjectParameters(nb, params("epochs=2")); err != nil {
		t.Fatal(err)
	}
	if id := nb.Cells[1].ID; id == "injected-parameters" || !ValidCellID(id) {
		t.Errorf("injected id %q", id)
	}

	for _, tc := range []struct {
		cells []string
		p     []Parameter
		err   string
	}{
		{[]string{"print x"}, params("epochs=3"), `no cell is tagged "parameters"`},
		{[]string{decl}, params("epoch=3"), "parameter epoch: the parameters cell (cell 1) does not declare it; its parameters are: epochs, lr, dataset"},
		{[]string{"md:x", "params:// nothing"}, params("a=1"), "parameter a: the parameters cell (cell 2) declares no variables"},
		{[]string{"params:const epochs = 1"}, params("epochs=3"), "declares it as a constant"},
		{[]string{decl}, params("epochs=many"), "parameter epochs=many: want an integer for type int, got a string"},
		{[]string{"params:var x = "}, params("x=1"), "the parameters cell (cell 1) is not valid Go: at the end of the cell"},
	} {
		nb := newNotebook(tc.cells...)
		n := len(nb.Cells)
		err := InjectParameters(nb, tc.p)
		if err == nil || !strings.Contains(err.Error(), tc.err) {
			t.Errorf("cells %q, %v: error %v, want %q", tc.cells, tc.p, err, tc.err)
		}
		if len(nb.Cells) != n {
			t.Errorf("a failed injection changed the notebook")
		}
	}

	md := newNotebook("md:x")
	md.Cells[0].Metadata["tags"] = []any{"parameters"}
	if err := InjectParameters(md, params("a=1")); err == nil || !strings.Contains(err.Error(), "is a markdown cell, not a code cell") {
		t.Errorf("markdown parameters cell: %v", err)
	}
	if err := InjectParameters(newNotebook("print x"), nil); err != nil {
		t.Errorf("no parameters: %v", err)
	}
}
