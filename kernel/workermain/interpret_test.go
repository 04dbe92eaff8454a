package workermain_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/traefik/yaegi/interp"
	"github.com/traefik/yaegi/stdlib"

	"github.com/trannsformer/gotrann/kernel/modules/modtest"
)

// TestMaxonlyNotInterpretable pins why modules are compiled into a worker
// rather than interpreted from source: yaegi cannot run the test module
// maxonly from its source (TestImportModule imports it compiled), while
// greet it can.
func TestMaxonlyNotInterpretable(t *testing.T) {
	tests := []struct {
		mod  string
		code string
		ok   bool
	}{
		{"greet@v1.1.0", `greet.Hello("x")`, true},
		{"maxonly@v1.0.0", `maxonly.Largest(3, 9, 4)`, false},
	}
	for _, tt := range tests {
		gopath := t.TempDir()
		name := tt.mod[:len(tt.mod)-len("@v1.0.0")]
		src := filepath.Join(modtest.ModsDir(), "example.com", "gotrann-test", tt.mod)
		dst := filepath.Join(gopath, "src", "example.com", "gotrann-test", name)
		if err := os.MkdirAll(dst, 0o755); err != nil {
			t.Fatal(err)
		}
		files, _ := filepath.Glob(filepath.Join(src, "*.go"))
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dst, filepath.Base(f)), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		i := interp.New(interp.Options{GoPath: gopath})
		if err := i.Use(stdlib.Symbols); err != nil {
			t.Fatal(err)
		}
		_, err := i.Eval(`import "example.com/gotrann-test/` + name + `"`)
		if err == nil {
			_, err = i.Eval(tt.code)
		}
		if (err == nil) != tt.ok {
			t.Errorf("interpreting %s from source: error %v, want ok=%v", tt.mod, err, tt.ok)
		} else if err != nil {
			t.Logf("%s from source: %v", tt.mod, err)
		}
	}
}
