package modules_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/kernel/modules"
	"github.com/trannsformer/gotrann/kernel/modules/modtest"
)

func TestParsePin(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" for an error
	}{
		{"github.com/google/uuid@v1.6.0", "github.com/google/uuid@v1.6.0"},
		{" example.com/a/b@v0.0.0-20240101000000-abcdefabcdef ", "example.com/a/b@v0.0.0-20240101000000-abcdefabcdef"},
		{"example.com/m@v2.0.0+incompatible", "example.com/m@v2.0.0+incompatible"},
		{"example.com/m", ""},
		{"example.com/m@latest", ""},
		{"example.com/m@v1.2", ""},
		{"example.com/m@v01.2.3", ""},
		{"uuid@v1.0.0", ""},
		{"example.com/a b@v1.0.0", ""},
		{"@v1.0.0", ""},
	}
	for _, tt := range tests {
		p, err := modules.ParsePin(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("ParsePin(%q) = %v, want an error", tt.in, p)
			}
			continue
		}
		if err != nil || p.String() != tt.want {
			t.Errorf("ParsePin(%q) = %v, %v; want %s", tt.in, p, err, tt.want)
		}
	}
}

func FuzzParsePin(f *testing.F) {
	for _, s := range []string{"github.com/google/uuid@v1.6.0", "example.com/m@v1.2.3-pre+b", "x@", "@", "a.b/c@v0.0.0"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := modules.ParsePin(s)
		if err != nil {
			return
		}
		q, err := modules.ParsePin(p.String())
		if err != nil || q != p {
			t.Fatalf("ParsePin(%q) = %v, but its String parses as %v, %v", s, p, q, err)
		}
	})
}

func TestCheckPin(t *testing.T) {
	b := modules.Built{Preloaded: map[string]string{"gonum.org/v1/gonum": "v0.17.0"}}
	tests := []struct {
		pin  string
		want string // substring of the error, "" for none
	}{
		{"gonum.org/v1/gonum@v0.17.0", ""},
		{"example.com/x@v1.0.0", ""},
		{"gonum.org/v1/gonum@v0.16.0", "%require gonum.org/v1/gonum@v0.16.0, but this kernel preloads gonum.org/v1/gonum v0.17.0"},
		{modules.Module + "@v1.0.0", "cannot be pinned"},
	}
	for _, tt := range tests {
		p, err := modules.ParsePin(tt.pin)
		if err != nil {
			t.Fatal(err)
		}
		err = b.CheckPin(p)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckPin(%s) = %v", tt.pin, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("CheckPin(%s) = %v, want an error with %q", tt.pin, err, tt.want)
		}
	}
}

func TestFindBase(t *testing.T) {
	t.Setenv(modules.EnvSource, "")
	b, err := modules.FindBase()
	if err != nil {
		t.Fatal(err)
	}
	// tests run in a checkout: the source directory it is
	wd, _ := os.Getwd()
	if want := filepath.Dir(filepath.Dir(wd)); b.Dir != want || b.Version != "" {
		t.Errorf("FindBase() = %+v, want Dir %s", b, want)
	}
	t.Setenv(modules.EnvSource, t.TempDir())
	if _, err := modules.FindBase(); err == nil {
		t.Errorf("FindBase with $%s naming a directory without the module: no error", modules.EnvSource)
	}
}

func TestBuildOwnPackage(t *testing.T) {
	b := &modules.Builder{CacheDir: t.TempDir(), Extract: func(context.Context, string, []string, []string) error { return nil }}
	_, err := b.Build(context.Background(), []string{modules.Module + "/trannsformer/internal/gemm"}, nil)
	if err == nil || !strings.Contains(err.Error(), "part of gotrann but not preloaded") {
		t.Errorf("Build of a gotrann package = %v", err)
	}
}

func TestBuildWithoutGo(t *testing.T) {
	b := &modules.Builder{CacheDir: t.TempDir(), Env: []string{"PATH=" + t.TempDir()},
		Extract: func(context.Context, string, []string, []string) error { return nil }}
	t.Setenv("PATH", t.TempDir())
	_, err := b.Build(context.Background(), []string{"example.com/gotrann-test/greet"}, nil)
	if !errors.Is(err, modules.ErrNoGo) {
		t.Fatalf("Build without go on PATH = %v, want ErrNoGo", err)
	}
	if !strings.Contains(err.Error(), "install Go") {
		t.Errorf("the error does not say what to install: %v", err)
	}
}

// TestVersionConflict resolves a test module that requires a newer gonum
// (a fake version of the test proxy) than the kernel preloads: Build fails
// naming both versions before it compiles anything. The module cache is a
// temporary one (the fake version must not reach the real one), fed by
// the test proxy and the real cache's download directory, so nothing
// reaches the network.
func TestVersionConflict(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command")
	}
	out, err := exec.Command(goCmd, "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	realCache := strings.TrimSpace(string(out))
	url, err := modtest.WriteProxy(modtest.ModsDir(), t.TempDir(), true)
	if err != nil {
		t.Fatal(err)
	}
	modCache := t.TempDir()
	env := append(os.Environ(), modtest.Env(url+",file://"+filepath.ToSlash(filepath.Join(realCache, "cache", "download")))...)
	env = append(env, "GOMODCACHE="+modCache)
	t.Cleanup(func() {
		// the module cache's files are read-only: let TempDir remove them
		filepath.WalkDir(modCache, func(p string, d os.DirEntry, err error) error {
			if err == nil && d.IsDir() {
				os.Chmod(p, 0o755)
			}
			return nil
		})
	})
	base, err := modules.FindBase()
	if err != nil {
		t.Fatal(err)
	}
	extracted := false
	b := &modules.Builder{
		Built:    modules.Built{Base: base, Preloaded: map[string]string{"gonum.org/v1/gonum": "v0.17.0"}},
		CacheDir: t.TempDir(), Env: env,
		Extract: func(context.Context, string, []string, []string) error {
			extracted = true
			return errors.New("not reached")
		},
	}
	_, err = b.Build(context.Background(), []string{"example.com/gotrann-test/newgonum"}, nil)
	var ce *modules.ConflictError
	if !errors.As(err, &ce) {
		t.Fatalf("Build = %v, want a ConflictError", err)
	}
	for _, want := range []string{"example.com/gotrann-test/newgonum@v1.0.0 requires gonum.org/v1/gonum v0.99.0", "this kernel preloads gonum.org/v1/gonum v0.17.0"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
	if extracted {
		t.Error("the conflicting build went on to extract symbol tables")
	}
}
