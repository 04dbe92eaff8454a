package export

import (
	"context"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata/translate")

// testPackages is a small table of automatic imports.
var testPackages = map[string]string{
	"fmt":     "fmt",
	"math":    "math",
	"os":      "os",
	"rand":    "math/rand",
	"sort":    "sort",
	"strings": "strings",
	"mat":     "gonum.org/v1/gonum/mat",
	"display": displayPath,
}

var (
	importerOnce sync.Once
	testImporter types.Importer
)

// sharedImporter reads export data with go list in this package's
// directory (inside the gotrann module).
func sharedImporter(t testing.TB) types.Importer {
	t.Helper()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	importerOnce.Do(func() { testImporter = GoListImporter(context.Background(), "go", ".", nil) })
	return testImporter
}

// readCells reads a .cells file: cells separated by "-- cell --" lines.
func readCells(t *testing.T, file string) []Cell {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var cells []Cell
	for i, src := range strings.Split(string(data), "-- cell --\n") {
		cells = append(cells, Cell{N: i + 1, Index: 2 * i, Source: strings.TrimSuffix(src, "\n")})
	}
	return cells
}

// TestTranslateGolden translates each testdata/translate/NAME.cells and
// compares main.go and the warnings with NAME.golden (-update rewrites it).
func TestTranslateGolden(t *testing.T) {
	imp := sharedImporter(t)
	files, err := filepath.Glob(filepath.Join("testdata", "translate", "*.cells"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no test cells: %v", err)
	}
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".cells")
		t.Run(name, func(t *testing.T) {
			prog, err := Translate(readCells(t, file), Options{Packages: testPackages, Importer: imp, Name: name + ".ipynb"})
			if err != nil {
				t.Fatal(err)
			}
			got := string(prog.Main)
			if len(prog.Warnings) > 0 {
				got += "\n// warnings:\n// " + strings.Join(prog.Warnings, "\n// ") + "\n"
			}
			golden := strings.TrimSuffix(file, ".cells") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestTranslateGolden -update)", err)
			}
			if got != string(want) {
				t.Errorf("main.go differs from %s (go test -run TestTranslateGolden -update rewrites it):\n%s", golden, got)
			}
			// main.go type-checks
			fset := token.NewFileSet()
			f, err := parser.ParseFile(fset, "main.go", prog.Main, 0)
			if err != nil {
				t.Fatalf("main.go does not parse: %v", err)
			}
			conf := types.Config{Importer: imp}
			if _, err := conf.Check("main", fset, []*ast.File{f}, nil); err != nil {
				t.Errorf("main.go does not type-check: %v", err)
			}
		})
	}
}

// TestTranslateCases checks single properties of the translation.
func TestTranslateCases(t *testing.T) {
	imp := sharedImporter(t)
	tests := []struct {
		name    string
		cells   []string
		want    []string // substrings of main.go
		notWant []string
		err     string // substring of the error
		warn    string // substring of a warning
	}{
		{name: "hoisted types", cells: []string{"x := 1.5\ns := []string{}", "x"},
			want: []string{"x float64", "s []string", "x = 1.5", "exportrt.Value(exportDisplay, x)"}},
		{name: "void call has no value", cells: []string{"func f() {}\nf()"},
			want: []string{"\tf()\n"}, notWant: []string{"Value(exportDisplay, f())"}},
		{name: "two values have no value", cells: []string{`fmt.Println("a")`},
			notWant: []string{"Value(exportDisplay"}},
		{name: "display calls go to the program's display", cells: []string{`display.Show(1)`, `b := display.Progress(2)`},
			want: []string{"exportDisplay.Show(1)", "b = exportDisplay.Progress(2)", "b *display.Bar"}},
		{name: "a type from a package not imported is imported", cells: []string{`v := mat.NewVecDense(2, nil).T()`},
			want: []string{`v mat.Matrix`}},
		{name: "syntax error names the cell and line", cells: []string{"x := 1", "y := 2\nfor {"},
			err: "In[2] (cell 2): line 3:2: expected '}'"},
		{name: "unknown magic", cells: []string{"%%nope\nx"}, want: []string{"// %%nope (unknown cell magic, the cell is left out)"}},
		{name: "shell", cells: []string{"!ls -l"}, want: []string{`exportrt.Must(exportrt.Shell("/bin/sh", "-c", "ls -l"))`}},
		{name: "a variable named like an import", cells: []string{"import \"math\"\n\nx := math.Pi", "math := 2\n_ = math"},
			warn: "has the name of an imported package"},
		{name: "cell function name clash", cells: []string{"func cell1() {}\ncell1()"}, err: "declares cell1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cells []Cell
			for i, s := range tt.cells {
				cells = append(cells, Cell{N: i + 1, Index: i, Source: s})
			}
			prog, err := Translate(cells, Options{Packages: testPackages, Importer: imp})
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("error %v, want one containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tt.warn != "" && !strings.Contains(strings.Join(prog.Warnings, "\n"), tt.warn) {
				t.Errorf("warnings %q lack %q", prog.Warnings, tt.warn)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(prog.Main), w) {
					t.Errorf("main.go lacks %q:\n%s", w, prog.Main)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(string(prog.Main), w) {
					t.Errorf("main.go has %q:\n%s", w, prog.Main)
				}
			}
		})
	}
}

// TestDisplayMethods keeps displayMethods in step with package display:
// the package-level functions that are also methods of *display.Display.
func TestDisplayMethods(t *testing.T) {
	imp := sharedImporter(t)
	pkg, err := imp.Import(displayPath)
	if err != nil {
		t.Fatal(err)
	}
	disp := pkg.Scope().Lookup("Display")
	if disp == nil {
		t.Fatal("display.Display not found")
	}
	mset := types.NewMethodSet(types.NewPointer(disp.Type()))
	var got []string
	for i := 0; i < mset.Len(); i++ {
		name := mset.At(i).Obj().Name()
		if _, ok := pkg.Scope().Lookup(name).(*types.Func); ok {
			got = append(got, name)
		}
	}
	var want []string
	for n := range displayMethods {
		want = append(want, n)
	}
	sort.Strings(got)
	sort.Strings(want)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("package-level functions of display that are methods of *Display: %v; displayMethods has %v", got, want)
	}
}

func TestModulePath(t *testing.T) {
	tests := []struct{ in, want string }{
		{"notebooks/01-quickstart.ipynb", "01-quickstart"},
		{"My Notebook (v2).ipynb", "my-notebook--v2"},
		{"ü.ipynb", "notebook"},
		{".ipynb", "notebook"},
		{"a.b_c.ipynb", "a.b_c"},
	}
	for _, tt := range tests {
		if got := ModulePath(tt.in); got != tt.want {
			t.Errorf("ModulePath(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestGoMod(t *testing.T) {
	src := Source{Dir: "/src/gotrann", GoMod: []byte("module " + Module + "\n\ngo 1.24.0\n\nrequire (\n\tgonum.org/v1/gonum v0.17.0\n\tgolang.org/x/text v0.28.0 // indirect\n)\n")}
	got, warns, err := GoMod("nb", src, []string{"github.com/google/uuid@v1.6.0", "gonum.org/v1/gonum@v0.16.0", "golang.org/x/text@v0.29.0"})
	if err != nil {
		t.Fatal(err)
	}
	want := "module nb\n\ngo 1.24.0\n\nrequire " + Module + " " + develVersion + "\n\nrequire (\n" +
		"\tgonum.org/v1/gonum v0.17.0\n\tgolang.org/x/text v0.29.0\n\tgithub.com/google/uuid v1.6.0\n)\n\n" +
		"replace " + Module + " => /src/gotrann\n"
	if string(got) != want {
		t.Errorf("go.mod:\n%s\nwant:\n%s", got, want)
	}
	if len(warns) != 1 || !strings.Contains(warns[0], "below gotrann's requirement") {
		t.Errorf("warnings %q", warns)
	}
	if _, _, err := GoMod("nb", src, []string{"nonsense"}); err == nil {
		t.Error("a pin without @version is accepted")
	}
	rel, _, err := GoMod("nb", Source{Version: "v1.2.3", GoMod: src.GoMod}, nil)
	if err != nil || !strings.Contains(string(rel), "require "+Module+" v1.2.3\n") || strings.Contains(string(rel), "replace") {
		t.Errorf("release go.mod (%v):\n%s", err, rel)
	}
}

func TestIsRelease(t *testing.T) {
	for v, want := range map[string]bool{
		"v1.2.3": true, "v0.1.0-rc.1": true, "(devel)": false, "": false,
		"v0.0.0-20261204213000-abcdefabcdef": false, "v1.2.3+dirty": false,
		"v1.2.4-0.20261204213000-abcdefabcdef": false,
	} {
		if got := isRelease(v); got != want {
			t.Errorf("isRelease(%q) = %v, want %v", v, got, want)
		}
	}
}

// FuzzTranslate feeds cells of any text to Translate (without type
// information): it must not panic, and what it returns must parse.
func FuzzTranslate(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "translate", "*.cells"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(data))
	}
	f.Add("x := 1\nx")
	f.Add("%%time\n%time y := 2\n!echo")
	f.Add("func main() {}\nvar (\n)\n")
	f.Add("a, b := 1\n-- cell --\nvar a, b = 1, 2")
	f.Fuzz(func(t *testing.T, src string) {
		var cells []Cell
		for i, s := range strings.Split(src, "-- cell --\n") {
			cells = append(cells, Cell{N: i + 1, Index: i, Source: s})
		}
		prog, err := Translate(cells, Options{Packages: testPackages})
		if err != nil {
			return
		}
		for _, w := range prog.Warnings {
			if strings.Contains(w, "not gofmt-ed") {
				return // reported: the cells combine into invalid Go
			}
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "main.go", prog.Main, 0); err != nil {
			t.Fatalf("main.go does not parse: %v\n%s", err, prog.Main)
		}
	})
}
