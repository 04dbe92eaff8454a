package docgen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/godoc/internal/docgen"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const samplePkg = "github.com/trannsformer/gotrann/kernel/godoc/internal/docgen/testdata/sample"

// TestCollectGolden documents testdata/sample and compares the result
// with testdata/sample.golden.json.
func TestCollectGolden(t *testing.T) {
	pkgs, err := docgen.Collect(context.Background(), docgen.Config{Packages: []string{samplePkg}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(pkgs, "", "\t")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	golden := filepath.Join("testdata", "sample.golden.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("documentation of %s differs from %s (run go test -update):\n%s", samplePkg, golden, got)
	}
}

// TestAllowed checks the name filter used for the standard library.
func TestAllowed(t *testing.T) {
	pkgs, err := docgen.Collect(context.Background(), docgen.Config{
		Packages: []string{samplePkg},
		Allowed:  func(_, name string) bool { return name == "Point" || name == "Read" },
	})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range pkgs[0].Entries {
		names = append(names, e.Name)
	}
	if len(names) != 2 || names[0] != "Point" || names[1] != "Read" {
		t.Errorf("entries %v, want [Point Read]", names)
	}
}

// TestGenerateDeterministic generates the documentation of a few real
// packages twice and checks that the bytes are identical and readable.
func TestGenerateDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("parses gonum and plot sources")
	}
	cfg := docgen.Config{Packages: []string{
		"fmt", "math",
		"gonum.org/v1/gonum/mat", "gonum.org/v1/plot/plotter",
		samplePkg,
	}}
	a, err := docgen.Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	b, err := docgen.Generate(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatal("two runs of Generate gave different bytes")
	}
	x, err := godoc.Open(a)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(x.PackagePaths()); got != len(cfg.Packages) {
		t.Errorf("%d packages, want %d", got, len(cfg.Packages))
	}
	if e, ok := x.LookupMethod("gonum.org/v1/gonum/mat", "Dense", "Mul"); !ok || e.Decl != "func (m *Dense) Mul(a, b Matrix)" {
		t.Errorf("mat.Dense.Mul: %v %+v", ok, e)
	}
}

// TestPreloadedDeterministic runs the generator's configuration twice:
// the documentation of everything the interpreter imports must come out
// byte for byte the same.
func TestPreloadedDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("parses the standard library, gonum and plot")
	}
	ctx := context.Background()
	var runs [2][]byte
	for i := range runs {
		cfg, err := docgen.Preloaded(ctx, ".")
		if err != nil {
			t.Fatal(err)
		}
		if runs[i], err = docgen.Generate(ctx, cfg); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(runs[0], runs[1]) {
		t.Fatal("two runs of the generator gave different bytes")
	}
	if n := len(runs[0]); n > 4<<20 {
		t.Errorf("documentation is %d bytes, want at most 4 MiB", n)
	}
	x, err := godoc.Open(runs[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"fmt", "math/rand/v2", "gonum.org/v1/gonum/mat", "gonum.org/v1/plot", "github.com/trannsformer/gotrann/display"} {
		if _, ok := x.Package(p); !ok {
			t.Errorf("package %s not documented", p)
		}
	}
	if _, ok := x.Lookup("slices", "Sort"); ok {
		t.Error("generic slices.Sort is documented, but yaegi cannot use it")
	}
}

func TestGenerateErrors(t *testing.T) {
	_, err := docgen.Generate(context.Background(), docgen.Config{Packages: []string{"example.invalid/no/such/package"}})
	if err == nil {
		t.Fatal("no error for a package that does not exist")
	}
	if _, err := godoc.Open([]byte("not a documentation file")); err == nil {
		t.Error("Open accepted garbage")
	}
	data, err := docgen.Encode(nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := godoc.Open(data[:len(data)-3]); err == nil {
		t.Error("Open accepted a truncated index")
	}
}
