package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/notebooks"
)

func TestExportHelp(t *testing.T) {
	var out bytes.Buffer
	old := os.Stdout
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	os.Stdout = w
	err = runExport(context.Background(), []string{"--help"}, &out, &out)
	w.Close()
	os.Stdout = old
	help, _ := readAll(r)
	if err != nil {
		t.Fatalf("--help: %v", err)
	}
	for _, want := range []string{"usage: gotrann export NOTEBOOK.ipynb", "-o DIR", "--gotrann-src DIR", "--build", "(default: the notebook's name"} {
		if !strings.Contains(help, want) {
			t.Errorf("help lacks %q:\n%s", want, help)
		}
	}
	if !strings.Contains(usage, "gotrann export NOTEBOOK.ipynb") {
		t.Error("the usage list lacks gotrann export")
	}
}

func readAll(r *os.File) (string, error) {
	var b bytes.Buffer
	_, err := b.ReadFrom(r)
	return b.String(), err
}

func TestParseExportArgs(t *testing.T) {
	tests := []struct {
		args    []string
		in, out string
		err     string
	}{
		{args: []string{"nb.ipynb", "-o", "dir"}, in: "nb.ipynb", out: "dir"},
		{args: []string{"-o", "dir", "x/My NB.ipynb"}, in: "x/My NB.ipynb", out: "dir"},
		{args: []string{"x/01-a.ipynb"}, in: "x/01-a.ipynb", out: "01-a"},
		{args: []string{"nb.ipynb", "--x"}, err: "export: unknown flag --x"},
		{args: []string{}, err: "export: no notebook given"},
		{args: []string{"a.ipynb", "b.ipynb"}, err: "export: one notebook at a time"},
		{args: []string{"a.ipynb", "-o"}, err: "export: --o needs a value"},
	}
	for _, tt := range tests {
		a, _, err := parseExportArgs(tt.args)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%q: error %v, want %q", tt.args, err, tt.err)
			}
			continue
		}
		if err != nil || a.in != tt.in || a.out != tt.out {
			t.Errorf("%q: %+v, %v; want in %q out %q", tt.args, a, err, tt.in, tt.out)
		}
	}
}

func TestPackageNames(t *testing.T) {
	names := packageNames()
	for name, want := range map[string]string{
		"fmt": "fmt", "rand": "math/rand", "mat": "gonum.org/v1/gonum/mat", "plot": "gonum.org/v1/plot",
		"display": "github.com/trannsformer/gotrann/display", "nn": "github.com/trannsformer/gotrann/trannsformer/nn",
		"template": "text/template",
	} {
		if got := names[name]; got != want {
			t.Errorf("%s imports %q, want %q", name, got, want)
		}
	}
}

// timing matches the lines %time and %%time print, which differ from run
// to run: they are left out of the comparison.
var timing = regexp.MustCompile(`(?m)^(CPU times: user .*, sys .*, total .*|Wall time: .*)\n`)

// TestExportNotebooks exports every notebook of notebooks/, builds the
// program with go build, runs it and compares its standard output with the
// stdout streams stored in the notebook.
func TestExportNotebooks(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs every notebook: not with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	paths, err := filepath.Glob(filepath.Join("notebooks", "[0-9][0-9]-*.ipynb"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no notebooks: %v", err)
	}
	env := append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off")
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			nb, err := notebooks.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var want strings.Builder
			for _, c := range nb.Cells {
				for _, o := range c.Outputs {
					if o.Type == notebooks.Stream && o.Name == "stdout" {
						want.WriteString(o.Text)
					}
				}
			}
			dir := t.TempDir()
			var out bytes.Buffer
			if err := runExport(context.Background(), []string{path, "-o", dir}, &out, &out); err != nil {
				t.Fatalf("export: %v\n%s", err, out.String())
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
			defer cancel()
			build := exec.CommandContext(ctx, "nice", "-n", "10", "go", "build", "-o", "prog")
			build.Dir, build.Env = dir, env
			if msg, err := build.CombinedOutput(); err != nil {
				main, _ := os.ReadFile(filepath.Join(dir, "main.go"))
				t.Fatalf("go build: %v\n%s\nmain.go:\n%s", err, msg, main)
			}
			run := exec.CommandContext(ctx, "nice", "-n", "10", "./prog")
			run.Dir = dir
			var stdout, stderr bytes.Buffer
			run.Stdout, run.Stderr = &stdout, &stderr
			start := time.Now()
			if err := run.Run(); err != nil {
				t.Fatalf("the program: %v\nstderr:\n%s", err, stderr.String())
			}
			t.Logf("ran in %v", time.Since(start).Round(time.Millisecond))
			got, wantS := timing.ReplaceAllString(stdout.String(), ""), timing.ReplaceAllString(want.String(), "")
			if got != wantS {
				t.Errorf("the program's standard output differs from the notebook's stdout streams:\n%s", lineDiff(wantS, got))
			}
			files, _ := filepath.Glob(filepath.Join(dir, "out", "*"))
			if len(files) == 0 {
				t.Error("no display files in out/")
			}
		})
	}
}

// lineDiff returns the lines only the notebook has ("-") and only the
// program printed ("+"), from a longest common subsequence of lines.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	// lcs[i][j]: length of the LCS of w[i:] and g[j:]
	lcs := make([][]int, len(w)+1)
	for i := range lcs {
		lcs[i] = make([]int, len(g)+1)
	}
	for i := len(w) - 1; i >= 0; i-- {
		for j := len(g) - 1; j >= 0; j-- {
			if w[i] == g[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	var b strings.Builder
	i, j := 0, 0
	for i < len(w) || j < len(g) {
		switch {
		case i < len(w) && j < len(g) && w[i] == g[j]:
			i, j = i+1, j+1
		case j < len(g) && (i == len(w) || lcs[i][j+1] >= lcs[i+1][j]):
			b.WriteString("+ line " + strconv.Itoa(j+1) + ": " + g[j] + "\n")
			j++
		default:
			b.WriteString("- line " + strconv.Itoa(i+1) + ": " + w[i] + "\n")
			i++
		}
	}
	return b.String()
}

func TestLineDiff(t *testing.T) {
	got := lineDiff("a\nb\nc\n", "x\na\nc\n")
	want := "+ line 1: x\n- line 2: b\n"
	if got != want {
		t.Errorf("lineDiff = %q, want %q", got, want)
	}
}
