package notebooks

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/kernel/session"
)

// TestNotebooks executes every notebook shipped in this directory
// (01-quickstart.ipynb, ...) in a fresh session, as "gotrann run" does,
// and validates the result with nbformat when it is available. The
// notebooks themselves are not changed. Skipped with -short.
func TestNotebooks(t *testing.T) {
	paths, err := filepath.Glob("*.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Skip("no notebooks in notebooks/ yet")
	}
	if testing.Short() {
		t.Skip("skipping the notebooks in -short mode")
	}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			orig, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			nb, err := Parse(orig, path)
			if err != nil {
				t.Fatal(err)
			}
			s, err := session.New(session.Options{})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
			defer cancel()
			if err := Run(ctx, nb, RunOptions{Session: s, Timeout: 10 * time.Minute}); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), filepath.Base(path))
			if err := WriteFile(out, nb); err != nil {
				t.Fatal(err)
			}
			if now, err := os.ReadFile(path); err != nil || string(now) != string(orig) {
				t.Errorf("%s changed during the test", path)
			}
			const py = "/usr/bin/python3"
			if exec.Command(py, "-c", "import nbformat").Run() != nil {
				t.Logf("%s with nbformat is not available: written notebook not validated", py)
				return
			}
			if msg, err := exec.Command(py, "-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", out).CombinedOutput(); err != nil {
				t.Errorf("nbformat.validate: %v\n%s", err, msg)
			}
		})
	}
}
