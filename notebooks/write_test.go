package notebooks

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// runFake runs testdata/fake-input.ipynb with the fake session and
// returns the written notebook.
func runFake(t *testing.T) []byte {
	t.Helper()
	nb, err := ReadFile("testdata/fake-input.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	params := []Parameter{{"epochs", "3"}, {"ks", "[16, 32]"}}
	if err := Run(context.Background(), nb, RunOptions{Session: &fakeSession{}, Parameters: params, AllowErrors: true}); err != nil {
		t.Fatal(err)
	}
	// The Go version is the toolchain's: keep the golden file independent of it.
	nb.Metadata["language_info"].(map[string]any)["version"] = "GOVERSION"
	data, err := Marshal(nb)
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
}

func TestMarshalFormat(t *testing.T) {
	data := runFake(t)
	s := string(data)
	switch {
	case !strings.HasPrefix(s, "{\n \"cells\": [\n  {\n"):
		t.Errorf("not one-space indented with sorted keys:\n%.80s", s)
	case !strings.HasSuffix(s, "}\n") || strings.HasSuffix(s, "\n\n"):
		t.Errorf("want exactly one trailing newline")
	case !strings.Contains(s, `"<b>table <x> & y</b>\n"`):
		t.Errorf("HTML must not be escaped")
	case strings.Contains(s, "transient") || strings.Contains(s, `"bar"`):
		t.Errorf("display ids are transient and must not be stored")
	}
}

// python returns /usr/bin/python3 if it has nbformat, or skips the test.
func python(t *testing.T) string {
	t.Helper()
	const py = "/usr/bin/python3"
	if err := exec.Command(py, "-c", "import nbformat").Run(); err != nil {
		t.Skipf("skipping: %s with nbformat is not available (Debian package python3-nbformat): %v", py, err)
	}
	return py
}

// TestNbformatValidate validates written notebooks with Python's
// nbformat.validate, and checks that nbformat writes them back unchanged.
func TestNbformatValidate(t *testing.T) {
	py := python(t)
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
	dir := t.TempDir()
	path := filepath.Join(dir, "out.ipynb")
	if err := os.WriteFile(path, runFake(t), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "-c", script, path).CombinedOutput()
	if err != nil || strings.TrimSpace(string(out)) != "valid" {
		t.Errorf("nbformat: %v\n%s", err, out)
	}
}

func TestWriteFileAtomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nb.ipynb")
	orig := []byte("original, not even JSON")
	if err := os.WriteFile(path, orig, 0o600); err != nil {
		t.Fatal(err)
	}
	failing := errors.New("disk full")
	err := writeFileAtomic(path, func(w io.Writer) error {
		w.Write([]byte("{ half a notebook"))
		return failing
	})
	if !errors.Is(err, failing) || !strings.Contains(err.Error(), "writing "+path) {
		t.Errorf("err = %v", err)
	}
	assertFile(t, path, orig)
	assertOnlyFiles(t, dir, "nb.ipynb")

	nb := newNotebook("print a")
	nb.Normalize()
	if err := WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
	want, _ := Marshal(nb)
	assertFile(t, path, want)
	assertOnlyFiles(t, dir, "nb.ipynb")
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want the original 0600", fi.Mode().Perm())
	}

	// A symbolic link: its target is replaced, the link stays.
	link := filepath.Join(dir, "link.ipynb")
	if err := os.Symlink("nb.ipynb", link); err != nil {
		t.Fatal(err)
	}
	nb.Cells[0].Source = "print b"
	if err := WriteFile(link, nb); err != nil {
		t.Fatal(err)
	}
	want, _ = Marshal(nb)
	assertFile(t, path, want)
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced")
	}
	os.Remove(link)

	// A target that cannot be replaced, a directory that does not exist.
	sub := filepath.Join(dir, "sub.ipynb")
	os.Mkdir(sub, 0o755)
	if err := WriteFile(sub, nb); err == nil {
		t.Errorf("writing over a directory succeeded")
	}
	if err := WriteFile(filepath.Join(dir, "missing", "x.ipynb"), nb); err == nil {
		t.Errorf("writing into a missing directory succeeded")
	}
	assertOnlyFiles(t, dir, "nb.ipynb", "sub.ipynb")
}

// TestInputNeverHalfWritten runs a notebook from a file in the ways a run
// can go wrong (a failing cell, an interrupt mid-run, a failing write)
// and checks that the input file is unchanged byte for byte, and that an
// in-place write replaces it whole.
func TestInputNeverHalfWritten(t *testing.T) {
	orig, err := os.ReadFile("testdata/fake-input.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		inplace   bool
		cancelAt  string // cell source line that cancels the run
		failWrite bool
	}{
		{name: "failing cell"},
		{name: "interrupted", cancelAt: "html table <x> & y"},
		{name: "write error", failWrite: true},
		{name: "write error in place", inplace: true, failWrite: true},
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
			nb, err := ReadFile(in)
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
			runErr := Run(ctx, nb, RunOptions{Session: &fakeSession{onCancel: cancel}})
			if runErr == nil || errors.Is(runErr, ErrNotRun) {
				t.Fatalf("run error = %v, want a failure after some cells ran", runErr)
			}
			var writeErr error
			if tc.failWrite {
				writeErr = writeFileAtomic(out, func(w io.Writer) error {
					data, _ := Marshal(nb)
					w.Write(data[:len(data)/2])
					return errors.New("no space left on device")
				})
			} else {
				writeErr = WriteFile(out, nb)
			}
			if tc.failWrite != (writeErr != nil) {
				t.Fatalf("write error = %v", writeErr)
			}
			if !tc.inplace || tc.failWrite {
				assertFile(t, in, orig)
			}
			if !tc.failWrite {
				got, err := ReadFile(out)
				if err != nil {
					t.Fatalf("output not a valid notebook: %v", err)
				}
				if len(got.Cells) != len(nb.Cells) || got.Cells[2].ExecutionCount == nil {
					t.Errorf("output lacks what has run")
				}
			}
			names := []string{"nb.ipynb"}
			if !tc.inplace && !tc.failWrite {
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

func TestPyFloat(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{0, "0.0"}, {2.5, "2.5"}, {100, "100.0"}, {-3, "-3.0"}, {1e-07, "1e-07"}, {0.0001, "0.0001"},
		{0.00001, "1e-05"}, {1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {0.30000000000000004, "0.30000000000000004"},
		{123456789012345678, "1.2345678901234568e+17"}, {1.5e300, "1.5e+300"},
	} {
		if got := pyFloat(tc.f); got != tc.want {
			t.Errorf("pyFloat(%v) = %q, want %q", tc.f, got, tc.want)
		}
	}
}
