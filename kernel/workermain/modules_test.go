package workermain_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/kernel/engine"
)

const importCell = `import (
	"example.com/gotrann-test/greet"
	"example.com/gotrann-test/maxonly"
)
fmt.Println(greet.Hello("nb"), maxonly.Largest(3, 9, 4))`

// TestImportModule imports two test modules of the local proxy in a real
// worker (one of them, maxonly, cannot be interpreted from source): the
// kernel builds a worker with them, switches to it, replays the session
// and runs the cell again. A second session finds the worker in the cache;
// %require pins another version and lists the session's modules.
func TestImportModule(t *testing.T) {
	if testing.Short() {
		t.Skip("builds worker binaries (a minute or more)")
	}
	url, cache := proxy(t), t.TempDir()
	s := newSupervisor(t, env(t, url, cache))
	run(t, s, "func answer() int { return 42 }\nx := 1", "")
	out, errs := run(t, s, importCell, "")
	if want := "hello, nb from greet v1.1.0 9\n"; out != want {
		t.Errorf("stdout %q, want %q\nstderr:\n%s", out, want, errs)
	}
	for _, want := range []string{"building a worker with example.com/gotrann-test/greet@v1.1.0, example.com/gotrann-test/maxonly@v1.0.0", "built the worker in"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	if cmd := s.Command(); len(cmd) != 2 || !strings.HasPrefix(cmd[0], filepath.Join(cache, "workers")) || cmd[1] != "worker" {
		t.Errorf("the supervisor runs %q, want a worker of the cache", cmd)
	}
	// the declarations were replayed into the new worker
	if out, _ := run(t, s, "fmt.Println(answer(), greet.Version)", ""); out != "42 v1.1.0\n" {
		t.Errorf("after the switch: %q, want 42 v1.1.0", out)
	}
	if out, _ := run(t, s, "%require", ""); !strings.Contains(out, "example.com/gotrann-test/greet@v1.1.0 // resolved") {
		t.Errorf("%%require lists %q", out)
	}

	// a second session: the cached worker, no build
	s2 := newSupervisor(t, env(t, url, cache))
	out, errs = run(t, s2, importCell, "")
	if out != "hello, nb from greet v1.1.0 9\n" || !strings.Contains(errs, "using the cached worker") || strings.Contains(errs, "building") {
		t.Errorf("second session: stdout %q, stderr:\n%s", out, errs)
	}

	// a pin of another version rebuilds, and the version holds
	_, errs = run(t, s2, "%require example.com/gotrann-test/greet@v1.0.0", "")
	if !strings.Contains(errs, "building a worker") {
		t.Errorf("%%require of another version did not build a worker:\n%s", errs)
	}
	if out, _ := run(t, s2, `fmt.Println(greet.Hello("pinned"))`, ""); out != "hello, pinned from greet v1.0.0\n" {
		t.Errorf("after the pin: %q", out)
	}
	out, _ = run(t, s2, "%require", "")
	if !strings.Contains(out, "example.com/gotrann-test/greet@v1.0.0 // pinned") || !strings.Contains(out, "example.com/gotrann-test/maxonly@v1.0.0 // resolved") {
		t.Errorf("%%require lists %q", out)
	}
	// the pin survives a crash of the worker (it is in the saved state)
	pid := s2.PID()
	s2.Execute(context.Background(), engine.Request{Code: "!kill -9 $PPID"}, &recorder{})
	if s2.PID() == pid {
		t.Fatal("the worker did not die")
	}
	if out, _ := run(t, s2, "%require", ""); !strings.Contains(out, "greet@v1.0.0 // pinned") {
		t.Errorf("after a crash %%require lists %q", out)
	}
}

// TestRequireErrors needs no build: bad pins and a preloaded module at
// another version are errors that say why.
func TestRequireErrors(t *testing.T) {
	s := newSupervisor(t, env(t, proxy(t), t.TempDir()))
	tests := []struct{ cell, want string }{
		{"%require example.com/m", "ModuleError: %require: \"example.com/m\": want MODULE@VERSION"},
		{"%require example.com/m@latest", "ModuleError: %require: \"example.com/m@latest\": version \"latest\" is not a semantic version"},
		{"%require gonum.org/v1/gonum@v0.16.0", "ModuleError: %require: version conflict: %require gonum.org/v1/gonum@v0.16.0, but this kernel preloads gonum.org/v1/gonum v0.17.0"},
	}
	for _, tt := range tests {
		run(t, s, tt.cell, tt.want)
	}
	if out, _ := run(t, s, "%require", ""); !strings.HasPrefix(out, "no modules required") {
		t.Errorf("%%require lists %q", out)
	}
	run(t, s, "%require gonum.org/v1/gonum@v0.17.0 example.com/gotrann-test/greet@v1.0.0", "")
	if out, _ := run(t, s, "%require", ""); out != "example.com/gotrann-test/greet@v1.0.0 // pinned\ngonum.org/v1/gonum@v0.17.0 // pinned\n" {
		t.Errorf("%%require lists %q", out)
	}
}

// TestImportWithoutGo: without a go command on PATH an import that needs
// a build says what to install.
func TestImportWithoutGo(t *testing.T) {
	s := newSupervisor(t, env(t, proxy(t), t.TempDir(), "PATH="+t.TempDir()))
	run(t, s, `import "example.com/gotrann-test/greet"`, "ImportError: import \"example.com/gotrann-test/greet\": importing a package that is not preloaded compiles it into a new worker, which needs the Go toolchain: install Go")
}
