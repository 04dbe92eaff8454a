package runner

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/notebooks"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runFake runs testdata/fake-input.ipynb with the fake session and
// returns the written notebook.
func runFake(t *testing.T) []byte {
	t.Helper()
	nb, err := notebooks.ReadFile("testdata/fake-input.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	params := []notebooks.Parameter{{Name: "epochs", Value: "3"}, {Name: "ks", Value: "[16, 32]"}}
	if err := Run(context.Background(), nb, Options{Session: &fakeSession{}, Parameters: params, AllowErrors: true}); err != nil {
		t.Fatal(err)
	}
	// The Go version is the toolchain's: keep the golden file independent of it.
	nb.Metadata["language_info"].(map[string]any)["version"] = "GOVERSION"
	data, err := notebooks.Marshal(nb)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestGoldenRun checks the whole written notebook, byte for byte, against
// testdata/fake-output.golden.ipynb (go test -update rewrites it).
func TestGoldenRun(t *testing.T) {
	got := runFake(t)
	const golden = "testdata/fake-output.golden.ipynb"
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
		t.Errorf("written notebook differs from %s:\n%s", golden, firstDiff(got, want))
	}
	if again := runFake(t); !bytes.Equal(again, got) {
		t.Errorf("a second run gives different bytes")
	}
	if s := string(got); strings.Contains(s, "transient") || strings.Contains(s, `"bar"`) {
		t.Errorf("display ids are transient and must not be stored")
	}
}

// TestNbformatValidate validates a run's notebook with Python's
// nbformat.validate, and checks that nbformat writes it back unchanged.
func TestNbformatValidate(t *testing.T) {
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import nbformat").Run(); err != nil {
		t.Skipf("skipping: %s with nbformat is not available (Debian package python3-nbformat): %v", py, err)
	}
	const script = `
import json, sys, nbformat
text = open(sys.argv[1], encoding="utf-8").read()
nb = nbformat.reads(text, as_version=nbformat.NO_CONVERT)
nbformat.validate(nb)
assert nb.nbformat == 4 and nb.nbformat_minor == 5, (nb.nbformat, nb.nbformat_minor)
again = nbformat.writes(nb) + "\n"
if again != text:
    sys.exit("nbformat writes the notebook differently")
print("valid")
`
	path := filepath.Join(t.TempDir(), "out.ipynb")
	if err := os.WriteFile(path, runFake(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "valid" {
		t.Errorf("nbformat: %v\n%s", err, out)
	}
}

// TestInputNeverHalfWritten runs a notebook from a file in the ways a run
// can go wrong (a failing cell, an interrupt mid-run) and checks that the
// input file is unchanged byte for byte, and that an in-place write
// replaces it whole. (A write that fails half-way is tested in package
// notebooks.)
func TestInputNeverHalfWritten(t *testing.T) {
	orig, err := os.ReadFile("testdata/fake-input.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		inplace  bool
		cancelAt string // cell source line that cancels the run
	}{
		{name: "failing cell"},
		{name: "interrupted", cancelAt: "html table <x> & y"},
		{name: "failing cell in place", inplace: true},
		{name: "interrupted in place", inplace: true, cancelAt: "html table <x> & y"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			in := filepath.Join(dir, "nb.ipynb")
			if err := os.WriteFile(in, orig, 0o644); err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(dir, "nb.out.ipynb")
			if tc.inplace {
				out = in
			}
			nb, err := notebooks.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.cancelAt != "" {
				for _, c := range nb.Cells {
					c.Source = strings.Replace(c.Source, tc.cancelAt, "cancel\nwait", 1)
				}
			}
			runErr := Run(ctx, nb, Options{Session: &fakeSession{onCancel: cancel}})
			if runErr == nil || errors.Is(runErr, ErrNotRun) {
				t.Fatalf("run error = %v, want a failure after some cells ran", runErr)
			}
			if err := notebooks.WriteFile(out, nb); err != nil {
				t.Fatal(err)
			}
			if !tc.inplace {
				assertFile(t, in, orig)
			}
			got, err := notebooks.ReadFile(out)
			if err != nil {
				t.Fatalf("output not a valid notebook: %v", err)
			}
			if len(got.Cells) != len(nb.Cells) || got.Cells[2].ExecutionCount == nil {
				t.Errorf("output lacks what has run")
			}
			names := []string{"nb.ipynb"}
			if !tc.inplace {
				names = append(names, "nb.out.ipynb")
			}
			assertOnlyFiles(t, dir, names...)
		})
	}
}

func assertFile(t *testing.T, path string, want []byte) {
	t.Helper()
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed:\n%s", path, firstDiff(got, want))
	}
}

// assertOnlyFiles checks that dir holds exactly names: no temporary files.
func assertOnlyFiles(t *testing.T, dir string, names ...string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	if strings.Join(got, " ") != strings.Join(names, " ") {
		t.Errorf("%s holds %q, want %q", dir, got, names)
	}
}

// firstDiff shows where two texts start to differ.
func firstDiff(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	lo := max(0, i-80)
	return "got:\n" + string(got[lo:min(len(got), i+80)]) + "\nwant:\n" + string(want[lo:min(len(want), i+80)])
}
