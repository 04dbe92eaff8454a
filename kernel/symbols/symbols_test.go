package symbols_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/trannsformer/gotrann/kernel/symbols"
	"github.com/trannsformer/gotrann/kernel/symbols/pkglist"
)

// newInterp returns an interpreter with the standard library and the
// preloaded packages, writing its output to out.
func newInterp(t testing.TB, out *bytes.Buffer) *interp.Interpreter {
	t.Helper()
	i := interp.New(interp.Options{Stdout: out, Stderr: out})
	if err := i.Use(stdlib.Symbols); err != nil {
		t.Fatal(err)
	}
	if err := i.Use(symbols.Symbols); err != nil {
		t.Fatal(err)
	}
	return i
}

// cells are evaluated in order by one interpreter; each must print want.
var cells = []struct {
	name, src, want string
}{
	{
		name: "imports",
		src: `import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"github.com/trannsformer/gotrann/trannsformer/data"
)`,
	},
	{
		name: "mat",
		src: `a := mat.NewDense(2, 2, []float64{1, 2, 3, 4})
var c mat.Dense
c.Mul(a, a.T())
fmt.Println(mat.Formatted(&c, mat.Squeeze()))`,
		want: "⎡ 5  11⎤\n⎣11  25⎦\n",
	},
	{
		name: "stat",
		src:  `fmt.Println(stat.Mean([]float64{1, 2, 3, 6}, nil))`,
		want: "3\n",
	},
	{
		name: "xyer type",
		src: `type sine struct{ n int }

func (s sine) Len() int { return s.n }

func (s sine) XY(i int) (float64, float64) {
	x := float64(i) / float64(s.n-1) * 2 * math.Pi
	return x, math.Sin(x)
}`,
	},
	{
		name: "plot",
		src: `p := plot.New()
p.Title.Text = "sine"
l, err := plotter.NewLine(sine{n: 50})
if err != nil {
	panic(err)
}
p.Add(l)
w, err := p.WriterTo(2*vg.Inch, 2*vg.Inch, "png")
if err != nil {
	panic(err)
}
var png bytes.Buffer
if _, err := w.WriteTo(&png); err != nil {
	panic(err)
}
fmt.Println(l.Len(), png.Len() > 1000, string(png.Bytes()[1:4]))`,
		want: "50 true PNG\n",
	},
	{
		name: "trannsformer",
		src: `y := data.OneHot([]int{2, 0}, 3)
fmt.Println(mat.Formatted(y, mat.Squeeze()))`,
		want: "⎡0  0  1⎤\n⎣1  0  0⎦\n",
	},
}

func TestEvalCells(t *testing.T) {
	var out bytes.Buffer
	i := newInterp(t, &out)
	if _, err := i.Eval(`import "bytes"`); err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		out.Reset()
		if _, err := i.EvalWithContext(context.Background(), c.src); err != nil {
			t.Fatalf("cell %s: %v\n%s", c.name, err, c.src)
		}
		if got := out.String(); got != c.want {
			t.Errorf("cell %s printed %q, want %q", c.name, got, c.want)
		}
	}
}

// TestEveryPackageHasATable checks that every package pkglist names has a
// symbol table, and that there are no tables of packages it does not name.
func TestEveryPackageHasATable(t *testing.T) {
	pkgs, err := pkglist.All(context.Background(), ".")
	if err != nil {
		t.Fatal(err)
	}
	tables := map[string]bool{}
	for key := range symbols.Symbols {
		tables[key[:strings.LastIndexByte(key, '/')]] = true
	}
	for _, p := range pkgs {
		if !tables[p] {
			t.Errorf("no symbol table for %s: run go generate ./kernel/symbols", p)
		}
		delete(tables, p)
	}
	for p := range tables {
		t.Errorf("symbol table for %s, which pkglist does not name: run go generate ./kernel/symbols", p)
	}
	for _, p := range []string{"gonum.org/v1/gonum/mat", "gonum.org/v1/plot/plotter", pkglist.Module + "/display"} {
		found := false
		for _, q := range pkgs {
			found = found || q == p
		}
		if !found {
			t.Errorf("pkglist.All lacks %s", p)
		}
	}
}

// TestTables checks a few entries of the generated tables.
func TestTables(t *testing.T) {
	tests := []struct {
		key, name string
		kind      reflect.Kind
	}{
		{"gonum.org/v1/gonum/mat/mat", "NewDense", reflect.Func},
		{"gonum.org/v1/gonum/mat/mat", "Dense", reflect.Pointer},
		{"gonum.org/v1/gonum/stat/stat", "Mean", reflect.Func},
		{"gonum.org/v1/gonum/optimize/optimize", "Minimize", reflect.Func},
		{"gonum.org/v1/plot/plotter/plotter", "_XYer", reflect.Pointer}, // the wrapper letting interpreted types implement XYer
		{"gonum.org/v1/plot/vg/vg", "Inch", reflect.Float64},            // a typed constant: a vg.Length
	}
	for _, tt := range tests {
		v, ok := symbols.Symbols[tt.key][tt.name]
		if !ok {
			t.Errorf("%s.%s missing", tt.key, tt.name)
			continue
		}
		if v.Kind() != tt.kind {
			t.Errorf("%s.%s kind %v, want %v", tt.key, tt.name, v.Kind(), tt.kind)
		}
	}
}

func BenchmarkUse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		i := interp.New(interp.Options{})
		if err := i.Use(symbols.Symbols); err != nil {
			b.Fatal(err)
		}
	}
}
