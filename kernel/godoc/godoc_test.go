package godoc_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/trannsformer/gotrann/kernel/godoc"
)

const (
	mat     = "gonum.org/v1/gonum/mat"
	plot    = "gonum.org/v1/plot"
	plotter = "gonum.org/v1/plot/plotter"
	display = "github.com/trannsformer/gotrann/display"
	nn      = "github.com/trannsformer/gotrann/trannsformer/nn"
)

func TestLookup(t *testing.T) {
	tests := []struct {
		pkg, name, kind string
		decl, doc       string // substrings of Decl and Doc
	}{
		{"fmt", "Println", godoc.KindFunc, "func Println(a ...any) (n int, err error)", "Println formats using the default formats"},
		{"math", "Pi", godoc.KindConst, "Pi  = 3.14159", "Mathematical constants."},
		{"os", "Stdout", godoc.KindVar, "Stdout = NewFile(", "Stdin, Stdout, and Stderr are open Files"},
		{"strings", "Builder", godoc.KindType, "type Builder struct {", "A Builder is used to efficiently build a string"},
		{mat, "NewDense", godoc.KindFunc, "func NewDense(r, c int, data []float64) *Dense", "NewDense creates a new Dense matrix"},
		{mat, "Dense", godoc.KindType, "type Dense struct", "Dense is a dense matrix representation."},
		{mat, "Matrix", godoc.KindType, "At(i, j int) float64", "Matrix is the basic matrix interface type."},
		{plot, "New", godoc.KindFunc, "func New() *Plot", "New returns a new plot"},
		{plotter, "NewLine", godoc.KindFunc, "func NewLine(xys XYer) (*Line, error)", "NewLine returns a Line"},
		{display, "Bundle", godoc.KindType, "type Bundle struct", "Bundle is one rich output"},
		{nn, "Progress", godoc.KindType, "EpochDone        bool", "Progress is reported by Train"},
	}
	for _, tt := range tests {
		e, ok := godoc.Lookup(tt.pkg, tt.name)
		if !ok {
			t.Errorf("Lookup(%q, %q) not found", tt.pkg, tt.name)
			continue
		}
		if e.Package != tt.pkg || e.Name != tt.name || e.Kind != tt.kind {
			t.Errorf("Lookup(%q, %q) = %s %s.%s, want %s %s.%s", tt.pkg, tt.name, e.Kind, e.Package, e.Name, tt.kind, tt.pkg, tt.name)
		}
		if !strings.Contains(e.Decl, tt.decl) {
			t.Errorf("Lookup(%q, %q).Decl = %q, want it to contain %q", tt.pkg, tt.name, e.Decl, tt.decl)
		}
		if !strings.Contains(e.Doc, tt.doc) {
			t.Errorf("Lookup(%q, %q).Doc = %q, want it to contain %q", tt.pkg, tt.name, e.Doc, tt.doc)
		}
		if strings.Contains(e.Decl, "{\n\treturn") || strings.Contains(e.Decl, "panic(") {
			t.Errorf("Lookup(%q, %q).Decl has a body: %q", tt.pkg, tt.name, e.Decl)
		}
	}
}

func TestLookupMissing(t *testing.T) {
	tests := []struct{ pkg, name, why string }{
		{"fmt", "println", "unexported"},
		{"fmt", "NoSuchThing", "does not exist"},
		{"slices", "Sort", "generic: the interpreter cannot use it"},
		{"no/such/package", "X", "no such package"},
		{"gonum.org/v1/gonum/internal/asm/f64", "AxpyUnitary", "internal package"},
	}
	for _, tt := range tests {
		if e, ok := godoc.Lookup(tt.pkg, tt.name); ok {
			t.Errorf("Lookup(%q, %q) = %+v, want not found (%s)", tt.pkg, tt.name, e, tt.why)
		}
	}
}

func TestLookupMethod(t *testing.T) {
	tests := []struct {
		pkg, typ, name, kind string
		decl, doc            string
	}{
		{mat, "Dense", "Mul", godoc.KindMethod, "func (m *Dense) Mul(a, b Matrix)", "Mul takes the matrix product of a and b"},
		{mat, "Matrix", "Dims", godoc.KindMethod, "func (Matrix) Dims() (r, c int)", "Dims returns the dimensions of a Matrix."},
		{plotter, "Line", "FillColor", godoc.KindField, "FillColor color.Color", "FillColor is the color to fill the area below the plot."},
		{plotter, "Line", "LineStyle", godoc.KindField, "draw.LineStyle", "LineStyle is the style of the line"},
		{plot, "Plot", "Save", godoc.KindMethod, "func (p *Plot) Save(w, h vg.Length, file string) (err error)", "Save saves the plot to an image file."},
		{"strings", "Builder", "WriteString", godoc.KindMethod, "func (b *Builder) WriteString(s string) (int, error)", "WriteString appends"},
	}
	for _, tt := range tests {
		e, ok := godoc.LookupMethod(tt.pkg, tt.typ, tt.name)
		if !ok {
			t.Errorf("LookupMethod(%q, %q, %q) not found", tt.pkg, tt.typ, tt.name)
			continue
		}
		if e.Recv != tt.typ || e.Name != tt.name || e.Kind != tt.kind || e.Package != tt.pkg {
			t.Errorf("LookupMethod(%q, %q, %q) = %+v", tt.pkg, tt.typ, tt.name, e)
		}
		if !strings.Contains(e.Decl, tt.decl) || !strings.Contains(e.Doc, tt.doc) {
			t.Errorf("LookupMethod(%q, %q, %q): Decl %q, Doc %q; want %q and %q", tt.pkg, tt.typ, tt.name, e.Decl, e.Doc, tt.decl, tt.doc)
		}
		typ, ok := godoc.Lookup(tt.pkg, tt.typ)
		if !ok || !slices.Contains(typ.Members, tt.name) {
			t.Errorf("Lookup(%q, %q).Members = %v, want it to contain %q", tt.pkg, tt.typ, typ.Members, tt.name)
		}
	}
	if _, ok := godoc.LookupMethod(mat, "Dense", "mul"); ok {
		t.Error("LookupMethod found an unexported method")
	}
}

func TestPackage(t *testing.T) {
	tests := []struct{ path, name, synopsis, member string }{
		{"fmt", "fmt", "Package fmt implements formatted I/O", "Sprintf"},
		{"math/rand/v2", "rand", "Package rand implements pseudo-random number generators", "NewPCG"},
		{mat, "mat", "Package mat provides implementations of float64 and complex128 matrix structures", "NewVecDense"},
		{plotter, "plotter", "Package plotter defines a variety of standard Plotters", "NewScatter"},
		{display, "display", "Package display builds rich output for notebooks", "Bundle"},
	}
	for _, tt := range tests {
		p, ok := godoc.Package(tt.path)
		if !ok {
			t.Errorf("Package(%q) not found", tt.path)
			continue
		}
		if p.Path != tt.path || p.Name != tt.name || !strings.HasPrefix(p.Synopsis, tt.synopsis) || !strings.HasPrefix(p.Doc, "Package "+tt.name) {
			t.Errorf("Package(%q) = %q %q %q", tt.path, p.Path, p.Name, p.Synopsis)
		}
		if !slices.IsSorted(p.Members) || !slices.Contains(p.Members, tt.member) {
			t.Errorf("Package(%q).Members: want sorted, with %q: %v", tt.path, tt.member, p.Members)
		}
	}
	if _, ok := godoc.Package("no/such/package"); ok {
		t.Error("Package found a package that does not exist")
	}
}

func TestPackagePaths(t *testing.T) {
	paths := godoc.PackagePaths()
	if !slices.IsSorted(paths) {
		t.Error("PackagePaths not sorted")
	}
	for _, want := range []string{"fmt", "net/http", mat, "gonum.org/v1/gonum/stat/distuv", plot, plotter, "gonum.org/v1/plot/vg/vgimg", display, nn} {
		if !slices.Contains(paths, want) {
			t.Errorf("PackagePaths lacks %s", want)
		}
	}
	for _, p := range paths {
		if strings.Contains(p, "internal") {
			t.Errorf("PackagePaths has the internal package %s", p)
		}
		if _, ok := godoc.Package(p); !ok {
			t.Errorf("Package(%q) fails", p)
		}
	}
}

// TestConcurrentFirstUse looks up the same packages from several
// goroutines on a fresh Index: each package is decoded once, safely.
func TestConcurrentFirstUse(t *testing.T) {
	x, err := godoc.Open(godoc.EmbeddedData())
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	results := make([]string, 8)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			e, _ := x.LookupMethod(mat, "Dense", "Mul")
			p, _ := x.PackageData(mat)
			results[i] = fmt.Sprintf("%s %p", e.Decl, p)
		}()
	}
	wg.Wait()
	for _, r := range results {
		if r != results[0] || !strings.HasPrefix(r, "func (m *Dense) Mul") {
			t.Fatalf("results differ or are wrong: %q", results)
		}
	}
}

func ExampleLookup() {
	e, ok := godoc.Lookup("gonum.org/v1/gonum/mat", "NewDense")
	fmt.Println(ok, e.Kind)
	fmt.Println(e.Decl)
	// Output:
	// true func
	// func NewDense(r, c int, data []float64) *Dense
}

func ExampleLookupMethod() {
	e, _ := godoc.LookupMethod("gonum.org/v1/gonum/mat", "Dense", "Mul")
	fmt.Println(e.Decl)
	fmt.Print(e.Doc)
	// Output:
	// func (m *Dense) Mul(a, b Matrix)
	// Mul takes the matrix product of a and b, placing the result in the receiver.
	// If the number of columns in a does not equal the number of rows in b, Mul will panic.
}

// BenchmarkOpen measures opening the embedded file: what the first lookup
// pays before decoding its package.
func BenchmarkOpen(b *testing.B) {
	data := godoc.EmbeddedData()
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := godoc.Open(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFirstLookup measures a cold lookup: open, decode the package,
// search.
func BenchmarkFirstLookup(b *testing.B) {
	for _, q := range [][2]string{{"fmt", "Println"}, {mat, "NewDense"}, {plotter, "NewLine"}} {
		pkg, name := q[0], q[1]
		b.Run(pkg, func(b *testing.B) {
			data := godoc.EmbeddedData()
			b.ReportAllocs()
			for b.Loop() {
				x, err := godoc.Open(data)
				if err != nil {
					b.Fatal(err)
				}
				if _, ok := x.Lookup(pkg, name); !ok {
					b.Fatal("not found")
				}
			}
		})
	}
}

// BenchmarkLookup measures a warm lookup.
func BenchmarkLookup(b *testing.B) {
	godoc.Lookup(mat, "Dense")
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := godoc.LookupMethod(mat, "Dense", "Mul"); !ok {
			b.Fatal("not found")
		}
	}
}

// BenchmarkLoadAll decodes every package once: the cost of a full load.
func BenchmarkLoadAll(b *testing.B) {
	data := godoc.EmbeddedData()
	b.ReportAllocs()
	for b.Loop() {
		x, err := godoc.Open(data)
		if err != nil {
			b.Fatal(err)
		}
		for _, p := range x.PackagePaths() {
			if _, err := x.PackageData(p); err != nil {
				b.Fatal(err)
			}
		}
	}
}
