package runner

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/kernel/godoc"
	"github.com/trannsformer/gotrann/kernel/session"
	"github.com/trannsformer/gotrann/kernel/symbols"
	"github.com/trannsformer/gotrann/notebooks"
)

// newSession returns a real Go session, or skips the test while the
// session is not implemented.
func newSession(t *testing.T) *session.Session {
	t.Helper()
	s, err := session.New(session.Options{Packages: symbols.Symbols, Docs: godoc.Docs{}})
	if err != nil {
		if strings.Contains(err.Error(), "not implemented") {
			t.Skipf("skipping: %v", err)
		}
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func outputsOf(nb *notebooks.Notebook, id string) string {
	for _, c := range nb.Cells {
		if c.ID == id {
			return strings.Join(describeOutputs(c.Outputs), "|")
		}
	}
	return "no cell " + id
}

// TestSessionRun runs testdata/hello.ipynb in the real session, with
// parameters, and validates the result with nbformat when available.
func TestSessionRun(t *testing.T) {
	s := newSession(t)
	nb, err := notebooks.ReadFile("testdata/hello.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	params := []notebooks.Parameter{{Name: "name", Value: "gotrann"}, {Name: "epochs", Value: "3"}, {Name: "ks", Value: "[16, 32]"}, {Name: "lr", Value: "1.5"}}
	if err := Run(context.Background(), nb, Options{Session: s, Parameters: params}); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]string{
		"params":              "",
		"injected-parameters": "",
		"loop":                `stream stdout "hello, gotrann\nepoch 0\nepoch 1\nepoch 2\n"`,
		"sum":                 `result 4 "48"`,
		"stderr":              `stream stderr "to stderr\n"|result 5 "3"`,
	} {
		if got := outputsOf(nb, id); got != want {
			t.Errorf("cell %s: outputs %q, want %q", id, got, want)
		}
	}
	if got := outputsOf(nb, "maybe-slow"); !strings.HasPrefix(got, "result 7 ") || !strings.Contains(got, "fast") {
		t.Errorf("cell maybe-slow: outputs %q, want the value fast", got)
	}
	if got := outputsOf(nb, "html"); got != `display "shown"` {
		t.Errorf("display cell: %q", got)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "hello.out.ipynb")
	if err := notebooks.WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
	if py := "/usr/bin/python3"; exec.Command(py, "-c", "import nbformat").Run() == nil {
		out, err := exec.Command(py, "-c", "import sys, nbformat; nbformat.validate(nbformat.read(sys.argv[1], as_version=4))", path).CombinedOutput()
		if err != nil {
			t.Errorf("nbformat.validate: %v\n%s", err, out)
		}
	}
}

func TestSessionErrors(t *testing.T) {
	s := newSession(t)
	nb, err := notebooks.ReadFile("testdata/failing.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	err = Run(context.Background(), nb, Options{Session: s})
	var ce *CellError
	if !errors.As(err, &ce) || ce.ID != "boom" || ce.Index != 1 {
		t.Fatalf("err = %v, want a CellError for cell boom", err)
	}
	if !strings.Contains(err.Error(), "index out of range") {
		t.Errorf("message %q does not show the error", err)
	}
	if got := outputsOf(nb, "after"); got != "" {
		t.Errorf("cell after the error ran: %q", got)
	}
	t.Logf("error message:\n%v", err)
}

func TestSessionTimeoutAndInterrupt(t *testing.T) {
	s := newSession(t)
	nb, err := notebooks.ReadFile("testdata/hello.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	params := []notebooks.Parameter{{Name: "slow", Value: "true"}}
	err = Run(context.Background(), nb, Options{Session: s, Parameters: params, Timeout: 300 * time.Millisecond, AllowErrors: true})
	if err != nil {
		t.Fatalf("with AllowErrors: %v", err)
	}
	if got := outputsOf(nb, "maybe-slow"); !strings.HasPrefix(got, "error TimeoutError: the cell ran longer than the timeout of 300ms") {
		t.Errorf("slow cell: %q", got)
	}

	// An interrupt (the parent context ends) in the same slow cell stops
	// the run and keeps what ran. (A new session: running more cells in a
	// session whose cell was interrupted during time.Sleep is a data race
	// inside the session, reported to its owner.)
	s = newSession(t)
	nb, _ = notebooks.ReadFile("testdata/hello.ipynb")
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = Run(ctx, nb, Options{Session: s, Parameters: params})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "interrupted during cell 8") {
		t.Fatalf("err = %v, want an interrupt during cell 8", err)
	}
	if got := outputsOf(nb, "sum"); got != `result 4 "3"` {
		t.Errorf("cells before the interrupt lost their outputs: %q", got)
	}
	if got := outputsOf(nb, "maybe-slow"); !strings.HasPrefix(got, "error ") {
		t.Errorf("interrupted cell: %q", got)
	}
	if _, err := os.Stat("testdata/hello.out.ipynb"); err == nil {
		t.Errorf("tests must not write into testdata")
	}
}
