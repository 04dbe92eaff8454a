package export

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/notebooks"
)

// testNotebook makes a notebook of code cells.
func testNotebook(md map[string]any, sources ...string) *notebooks.Notebook {
	nb := &notebooks.Notebook{Format: 4, FormatMinor: 5, Metadata: md}
	for _, s := range sources {
		nb.Cells = append(nb.Cells, &notebooks.Cell{Type: notebooks.Code, Source: s})
	}
	return nb
}

func TestExportWritesModule(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	src, err := FindSource("")
	if err != nil {
		t.Fatal(err)
	}
	nb := testNotebook(map[string]any{"gotrann": map[string]any{"require": []any{"example.com/a@v1.0.0"}}},
		"x := 1", "", "%require example.com/b@v0.2.0 example.com/a@v1.1.0\nfmt.Println(x)")
	dir := t.TempDir()
	res, err := Export(context.Background(), nb, "dir/My Notebook.ipynb", dir, Config{Packages: testPackages, Source: src})
	if err != nil {
		t.Fatal(err)
	}
	if res.Module != "my-notebook" || strings.Join(res.Files, " ") != "go.mod go.sum main.go" {
		t.Errorf("module %q, files %q", res.Module, res.Files)
	}
	mod, _ := os.ReadFile(filepath.Join(dir, "go.mod"))
	for _, want := range []string{"module my-notebook\n", "\texample.com/a v1.1.0\n", "\texample.com/b v0.2.0\n", "replace " + Module + " => " + src.Dir} {
		if !strings.Contains(string(mod), want) {
			t.Errorf("go.mod lacks %q:\n%s", want, mod)
		}
	}
	main, _ := os.ReadFile(filepath.Join(dir, "main.go"))
	if !strings.Contains(string(main), "x int") || !strings.Contains(string(main), "cell2()") {
		t.Errorf("main.go:\n%s", main)
	}
	if len(res.Warnings) == 0 || !strings.Contains(res.Warnings[len(res.Warnings)-1], "go mod tidy") {
		t.Errorf("no go mod tidy warning for the pins: %q", res.Warnings)
	}
	if _, err := Export(context.Background(), testNotebook(map[string]any{"gotrann": map[string]any{"require": "x"}}), "a.ipynb", t.TempDir(), Config{Source: src}); err == nil {
		t.Error("a require that is not a list is accepted")
	}
}

// TestExportBuildRun exports a notebook with values, displays and magics,
// builds it and runs it: its standard output is what the cells print.
func TestExportBuildRun(t *testing.T) {
	if testing.Short() {
		t.Skip("go build: not with -short")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command:", err)
	}
	nb := testNotebook(nil,
		"n := 3\nwords := []string{\"a\", \"b\"}",
		"func twice() int { return 2 * n }\n\ntotal := twice() + len(words)\nfmt.Println(\"total\", total)\ntotal",
		"%%writefile note.txt\nsome text",
		"!cat note.txt\n%env GREETING=hi\nfmt.Println(os.Getenv(\"GREETING\"))",
		"%time y := n * 10\nfmt.Println(y)",
		"display.Show(display.HTML(\"<b>x</b>\"))\nbar := display.Progress(2)\nbar.Add(2)\nbar.Done()\nfmt.Println(\"after the bar\")",
		"defer fmt.Println(\"deferred\")\nfunc main() { fmt.Println(\"main of the cell\") }\nfmt.Println(\"before\")",
		"display.Markdown(\"*value*\")",
	)
	dir := t.TempDir()
	if _, err := Export(context.Background(), nb, "run.ipynb", dir, Config{Packages: testPackages}); err != nil {
		t.Fatal(err)
	}
	build := exec.Command("nice", "-n", "10", "go", "build", "-o", "prog")
	build.Dir = dir
	build.Env = append(os.Environ(), "GOFLAGS=-mod=readonly", "GOPROXY=off", "GOWORK=off")
	if msg, err := build.CombinedOutput(); err != nil {
		main, _ := os.ReadFile(filepath.Join(dir, "main.go"))
		t.Fatalf("go build: %v\n%s\n%s", err, msg, main)
	}
	run := exec.Command("./prog")
	run.Dir = dir
	var stdout, stderr bytes.Buffer
	run.Stdout, run.Stderr = &stdout, &stderr
	if err := run.Run(); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	got := regexp.MustCompile(`(?m)^(CPU times: .*|Wall time: .*)$`).ReplaceAllString(stdout.String(), "TIME")
	want := "total 8\nWriting note.txt\nsome text\nenv: GREETING=hi\nhi\nTIME\nTIME\n30\nafter the bar\nbefore\nmain of the cell\ndeferred\n"
	if got != want {
		t.Errorf("standard output:\n%s\nwant:\n%s", got, want)
	}
	for _, w := range []string{"8\n", "*value*", "[out/cell06-1.html]"} {
		if !strings.Contains(stderr.String(), w) {
			t.Errorf("standard error lacks %q:\n%s", w, stderr.String())
		}
	}
	for _, f := range []string{"cell06-1.html", "cell06-2.html", "cell08-1.md"} {
		if _, err := os.Stat(filepath.Join(dir, "out", f)); err != nil {
			t.Error(err)
		}
	}
}
