package notebooks

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestMarshalFormat(t *testing.T) {
	data, err := Marshal(sampleNotebook())
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	switch {
	case !strings.HasPrefix(s, "{\n \"cells\": [\n  {\n"):
		t.Errorf("not one-space indented with sorted keys:\n%.80s", s)
	case !strings.HasSuffix(s, "}\n") || strings.HasSuffix(s, "\n\n"):
		t.Errorf("want exactly one trailing newline")
	case !strings.Contains(s, `"<b>table <x> & y</b>\n"`):
		t.Errorf("HTML must not be escaped")
	case !strings.Contains(s, `"text/html": [`+"\n"):
		t.Errorf("text/html is not a list of lines")
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
	data, err := Marshal(sampleNotebook())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
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

// TestWriteFailureKeepsInput checks that a write that fails half-way
// leaves the file it replaces byte for byte as it was, and no temporary
// file.
func TestWriteFailureKeepsInput(t *testing.T) {
	orig, err := os.ReadFile("testdata/jupyter.ipynb")
	if err != nil {
		t.Fatal(err)
	}
	for _, inplace := range []bool{false, true} {
		dir := t.TempDir()
		in := filepath.Join(dir, "nb.ipynb")
		if err := os.WriteFile(in, orig, 0o644); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "nb.out.ipynb")
		if inplace {
			out = in
		}
		nb := sampleNotebook()
		err := writeFileAtomic(out, func(w io.Writer) error {
			data, _ := Marshal(nb)
			w.Write(data[:len(data)/2])
			return errors.New("no space left on device")
		})
		if err == nil || !strings.Contains(err.Error(), "no space left on device") {
			t.Errorf("inplace=%v: err = %v", inplace, err)
		}
		assertFile(t, in, orig)
		assertOnlyFiles(t, dir, "nb.ipynb")
	}
}

// killedWriteEnv, when set, makes the test binary a writer that is killed
// in the middle of a write (see TestWriteFileRemovesStaleTemps).
const killedWriteEnv = "GOTRANN_TEST_KILLED_WRITE"

func TestMain(m *testing.M) {
	if path := os.Getenv(killedWriteEnv); path != "" {
		// Write half a notebook, say so, and wait to be killed.
		writeFileAtomic(path, func(w io.Writer) error {
			data, _ := Marshal(sampleNotebook())
			w.Write(data[:len(data)/2])
			os.Stdout.WriteString("half written\n")
			select {}
		})
		os.Exit(3)
	}
	os.Exit(m.Run())
}

// startWriter starts a process that writes path and stops half-way,
// holding its temporary file open. The caller kills it.
func startWriter(t *testing.T, path string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killedWriteEnv+"="+path)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	if line, err := bufio.NewReader(stdout).ReadString('\n'); line != "half written\n" {
		t.Fatalf("writer process: %q, %v", line, err)
	}
	return cmd
}

// TestWriteFileRemovesStaleTemps kills a process in the middle of a write
// and checks that the next WriteFile of that output removes the partial
// temporary file, keeps those of other outputs and files that only look
// alike, and leaves alone the temporary file of a write in progress.
func TestWriteFileRemovesStaleTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "out.ipynb")
	killed := startWriter(t, path)
	if err := killed.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	killed.Wait()
	temps, _ := filepath.Glob(filepath.Join(dir, ".out.ipynb.tmp-*"))
	if len(temps) != 1 {
		t.Fatalf("the killed write left %q, want one temporary file", temps)
	}
	others := []string{".other.ipynb.tmp-123", ".out.ipynb.tmp-notes", "out.ipynb.tmp-1"}
	for _, name := range others {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("keep"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	os.WriteFile(filepath.Join(dir, ".out.ipynb.tmp-42"), []byte("{ half"), 0o644) // another killed write

	nb := sampleNotebook()
	if err := WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
	want, _ := Marshal(nb)
	assertFile(t, path, want)
	assertOnlyFiles(t, dir, ".other.ipynb.tmp-123", ".out.ipynb.tmp-notes", "out.ipynb", "out.ipynb.tmp-1")

	// A write in progress keeps its temporary file while another write
	// of the same output goes ahead.
	running := startWriter(t, path)
	busy, _ := filepath.Glob(filepath.Join(dir, ".out.ipynb.tmp-*[0-9]"))
	if len(busy) != 1 {
		t.Fatalf("temporary files %q, want the running writer's", busy)
	}
	if err := WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(busy[0]); err != nil {
		t.Errorf("the temporary file of a write in progress was removed: %v", err)
	}
	running.Process.Kill()
	running.Wait()
	if err := WriteFile(path, nb); err != nil {
		t.Fatal(err)
	}
	assertOnlyFiles(t, dir, ".other.ipynb.tmp-123", ".out.ipynb.tmp-notes", "out.ipynb", "out.ipynb.tmp-1")
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
