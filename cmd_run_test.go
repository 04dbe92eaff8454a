package main

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
	"time"

	"github.com/trannsformer/gotrann/notebooks"
)

func TestParseRunArgs(t *testing.T) {
	for _, tc := range []struct {
		args string
		want string // in|out|inplace|allowErrors|timeout|params
		err  string
	}{
		{args: "nb.ipynb", want: "nb.ipynb|nb.out.ipynb|false|false|0s|"},
		{args: "dir/nb.ipynb", want: "dir/nb.ipynb|dir/nb.out.ipynb|false|false|0s|"},
		{args: "nb.json", want: "nb.json|nb.out.ipynb|false|false|0s|"},
		{args: "nb.ipynb -o out.ipynb", want: "nb.ipynb|out.ipynb|false|false|0s|"},
		{args: "-o=out.ipynb nb.ipynb", want: "nb.ipynb|out.ipynb|false|false|0s|"},
		{args: "nb.ipynb --output -", want: "nb.ipynb|-|false|false|0s|"},
		{args: "nb.ipynb --inplace", want: "nb.ipynb|nb.ipynb|true|false|0s|"},
		{args: "nb.ipynb -p epochs=3 --parameter ks=[1,2] -p=name=a=b", want: "nb.ipynb|nb.out.ipynb|false|false|0s|epochs=3 ks=[1,2] name=a=b"},
		{args: "nb.ipynb --timeout 10m --allow-errors", want: "nb.ipynb|nb.out.ipynb|false|true|10m0s|"},
		{args: "nb.ipynb --timeout=1.5s", want: "nb.ipynb|nb.out.ipynb|false|false|1.5s|"},
		{args: "-- -odd.ipynb", want: "-odd.ipynb|-odd.out.ipynb|false|false|0s|"},
		{args: "", err: "run: no notebook given"},
		{args: "a.ipynb b.ipynb", err: "run: one notebook at a time"},
		{args: "nb.ipynb -o out.ipynb --inplace", err: "exclude each other"},
		{args: "nb.ipynb -o", err: "run: -o needs a value"},
		{args: "nb.ipynb -o=", err: "run: -o needs a file name"},
		{args: "nb.ipynb --inplace=yes", err: "--inplace takes no value"},
		{args: "nb.ipynb -p epochs", err: "want name=value"},
		{args: "nb.ipynb --timeout soon", err: `--timeout "soon": want a positive duration`},
		{args: "nb.ipynb --timeout -1s", err: "want a positive duration"},
		{args: "nb.ipynb --verbose", err: "run: unknown flag --verbose"},
	} {
		a, err := parseRunArgs(strings.Fields(tc.args))
		if tc.err != "" {
			var u usageError
			if err == nil || !strings.Contains(err.Error(), tc.err) || !errors.As(err, &u) {
				t.Errorf("run %s: error %v, want a usage error %q", tc.args, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("run %s: %v", tc.args, err)
			continue
		}
		var ps []string
		for _, p := range a.params {
			ps = append(ps, p.Name+"="+p.Value)
		}
		got := strings.Join([]string{a.in, a.out, boolStr(a.inplace), boolStr(a.allowErrors), a.timeout.String(), strings.Join(ps, " ")}, "|")
		if got != tc.want {
			t.Errorf("run %s:\n got  %s\n want %s", tc.args, got, tc.want)
		}
	}
	if a, err := parseRunArgs([]string{"nb.ipynb", "--help"}); err != nil || !a.help {
		t.Errorf("--help: %+v, %v", a, err)
	}
}

func boolStr(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// copyNotebook copies a testdata notebook of package notebooks/runner into dir.
func copyNotebook(t *testing.T, dir, name string) (path string, data []byte) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("notebooks", "runner", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path = filepath.Join(dir, name)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return path, data
}

func TestCmdRun(t *testing.T) {
	dir := t.TempDir()
	in, orig := copyNotebook(t, dir, "hello.ipynb")
	if err := cmdRun(context.Background(), []string{in, "-p", "name=cli", "-p", "epochs=1"}); err != nil {
		t.Fatal(err)
	}
	out := strings.TrimSuffix(in, ".ipynb") + ".out.ipynb"
	nb, err := notebooks.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if got := nb.Cells[3].Outputs; len(got) != 1 || got[0].Text != "hello, cli\nepoch 0\n" {
		t.Errorf("loop cell outputs %+v", got)
	}
	if data, _ := os.ReadFile(in); !bytes.Equal(data, orig) {
		t.Errorf("the input changed")
	}

	// --inplace on a failing notebook: the input is replaced, whole, by
	// what ran; the error names the cell.
	in, _ = copyNotebook(t, dir, "failing.ipynb")
	err = cmdRun(context.Background(), []string{in, "--inplace"})
	if err == nil || !strings.Contains(err.Error(), "cell 2 (id boom, In [2]) failed") {
		t.Errorf("failing notebook: %v", err)
	}
	nb, err = notebooks.ReadFile(in)
	if err != nil || len(nb.Cells[1].Outputs) != 1 || nb.Cells[1].Outputs[0].Type != notebooks.Error {
		t.Errorf("in-place output: %v", err)
	}

	// --allow-errors exits 0.
	in, _ = copyNotebook(t, dir, "failing.ipynb")
	if err := cmdRun(context.Background(), []string{in, "--allow-errors", "-o", filepath.Join(dir, "f.ipynb")}); err != nil {
		t.Errorf("--allow-errors: %v", err)
	}

	// An interrupt during a slow cell writes what ran and fails; the
	// input is unchanged. The deadline leaves the cells before the slow
	// one time to run on a machine busy with go test -json ./..., which
	// runs test binaries in parallel.
	in, orig = copyNotebook(t, dir, "hello.ipynb")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err = cmdRun(ctx, []string{in, "-p", "slow=true", "-o", filepath.Join(dir, "slow.ipynb")})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("interrupted run: %v", err)
	}
	if data, _ := os.ReadFile(in); !bytes.Equal(data, orig) {
		t.Errorf("the input changed")
	}
	if nb, err := notebooks.ReadFile(filepath.Join(dir, "slow.ipynb")); err != nil || nb.Cells[4].ExecutionCount == nil {
		t.Errorf("interrupted run output: %v", err)
	}

	// Bad parameters and malformed notebooks write nothing.
	in, orig = copyNotebook(t, dir, "hello.ipynb")
	if err := cmdRun(context.Background(), []string{in, "--inplace", "-p", "epochs=many"}); err == nil || !strings.Contains(err.Error(), "want an integer") {
		t.Errorf("bad parameter: %v", err)
	}
	if data, _ := os.ReadFile(in); !bytes.Equal(data, orig) {
		t.Errorf("a bad parameter changed the input")
	}
	bad := filepath.Join(dir, "bad.ipynb")
	os.WriteFile(bad, []byte(`{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code"}]}`), 0o644)
	if err := cmdRun(context.Background(), []string{bad}); err == nil || !strings.Contains(err.Error(), bad+`: malformed notebook: cell 1 (cells[0]): missing "source"`) {
		t.Errorf("malformed notebook: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bad.out.ipynb")); err == nil {
		t.Errorf("a malformed notebook produced an output")
	}
}

// TestCmdRunTest2JSON runs TestCmdRun as "go test -json" (VS Code,
// gotestsum, make test) runs it: with -test.v=test2json, in which mode the
// testing package sets os.Stderr = os.Stdout, so that both share the one
// pipe into test2json. gotrann run used to run cells in its own process
// and capture their output by pointing descriptors 1 and 2 at pipes, then
// flush each stream by writing a marker through os.Stdout and os.Stderr:
// under test2json the stderr marker went to descriptor 1, so every cell
// waited out two one-second flush timeouts, its stderr text and the marker
// landed in its stdout, and TestCmdRun failed under go test -json only
// (plain go test leaves os.Stderr on descriptor 2). Cells now run in a
// worker process with pipes of its own (kernel/worker); this test keeps it
// so also when the suite runs without -json.
func TestCmdRunTest2JSON(t *testing.T) {
	if f := flag.Lookup("test.v"); f != nil && f.Value.String() == "test2json" {
		t.Skip("under go test -json TestCmdRun itself runs in test2json mode")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestCmdRun$", "-test.v=test2json", "-test.count=1")
	out, err := cmd.CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("\x16--- PASS: TestCmdRun ")) {
		t.Fatalf("TestCmdRun in test2json mode: %v\n%s", err, out)
	}
}

// A cell that kills the worker (runaway recursion) gets an error output
// naming the cause; the notebook is written and the run fails.
func TestCmdRunWorkerCrash(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "crash.ipynb")
	nb := `{"cells": [
 {"cell_type": "code", "execution_count": null, "id": "a", "metadata": {}, "outputs": [], "source": "func rec(n int) int { return rec(n+1) + 1 }\nrec(0)"},
 {"cell_type": "code", "execution_count": null, "id": "b", "metadata": {}, "outputs": [], "source": "fmt.Println(\"after\")"}
], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	if err := os.WriteFile(in, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "crash.out.ipynb")
	err := cmdRun(context.Background(), []string{in, "-o", out})
	if err == nil || !strings.Contains(err.Error(), "cell 1") {
		t.Fatalf("run: %v, want a failure naming cell 1", err)
	}
	got, err := notebooks.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	outs := got.Cells[0].Outputs
	if len(outs) == 0 || outs[len(outs)-1].Type != notebooks.Error || outs[len(outs)-1].EName != "StackOverflow" {
		t.Fatalf("cell 1 outputs: %+v", outs)
	}
	// --allow-errors: the next cell runs in the new worker
	if err := cmdRun(context.Background(), []string{in, "-o", out, "--allow-errors"}); err != nil {
		t.Fatal(err)
	}
	got, _ = notebooks.ReadFile(out)
	if o := got.Cells[1].Outputs; len(o) != 1 || o[0].Text != "after\n" {
		t.Errorf("cell 2 outputs: %+v", o)
	}
}

// gotrann run saves the widgets' last state in the notebook's metadata.
func TestCmdRunWidgetState(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "w.ipynb")
	nb := `{"cells": [
 {"cell_type": "code", "execution_count": null, "id": "a", "metadata": {}, "outputs": [], "source": "import \"github.com/trannsformer/gotrann/display/widget\"\ns := widget.NewIntSlider(\"k\", 0, 10, 1, 3)\ns.SetValue(7)\ndisplay.Show(s)"}
], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`
	if err := os.WriteFile(in, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "w.out.ipynb")
	if err := cmdRun(context.Background(), []string{in, "-o", out}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte("application/vnd.jupyter.widget-state+json")) || !bytes.Contains(data, []byte(`"value": 7`)) {
		t.Errorf("no widget state with value 7 in the metadata:\n%s", data)
	}
}
