package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/notebooks"
)

func TestParseRunArgsCheck(t *testing.T) {
	for _, tc := range []struct {
		args, out string
	}{
		{"nb.ipynb --check", ""}, // compare only: nothing written
		{"nb.ipynb --check -o out.ipynb", "out.ipynb"},
		{"nb.ipynb -check --inplace", "nb.ipynb"},
	} {
		a, err := parseRunArgs(strings.Fields(tc.args))
		if err != nil || !a.check || a.out != tc.out {
			t.Errorf("run %s: check %v, out %q, %v; want check, out %q", tc.args, a.check, a.out, err, tc.out)
		}
	}
	if _, err := parseRunArgs([]string{"nb.ipynb", "--check=yes"}); err == nil || !strings.Contains(err.Error(), "--check takes no value") {
		t.Errorf("--check=yes: %v", err)
	}
}

// checkNotebook shows a widget (random comm ids), a finished progress
// bar (timed while it runs) and prints.
const checkNotebook = `{"cells": [
 {"cell_type": "code", "execution_count": null, "id": "bar", "metadata": {}, "outputs": [], "source": "bar := display.Progress(5)\nbar.SetLabel(\"count\")\nfor i := 0; i < 5; i++ {\n\tbar.Add(1)\n}\nbar.Done()\nfmt.Println(\"counted\")"},
 {"cell_type": "code", "execution_count": null, "id": "w", "metadata": {}, "outputs": [], "source": "import \"github.com/trannsformer/gotrann/display/widget\"\nbox := widget.NewVBox(widget.NewIntSlider(\"k\", 0, 10, 1, 3), widget.NewButton(\"go\"))\ndisplay.Show(box)"}
], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}`

// TestCmdRunCheck runs a notebook twice: the same bytes; --check on the
// result passes and writes nothing, and fails, listing the difference,
// once a stored output is changed.
func TestCmdRunCheck(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "c.ipynb")
	if err := os.WriteFile(in, []byte(checkNotebook), 0o644); err != nil {
		t.Fatal(err)
	}
	var runs [2][]byte
	for i := range runs {
		out := filepath.Join(dir, "c.out.ipynb")
		if err := cmdRun(context.Background(), []string{in, "-o", out}); err != nil {
			t.Fatal(err)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		runs[i] = data
	}
	if !bytes.Equal(runs[0], runs[1]) {
		t.Fatalf("two runs wrote different notebooks:\n%s\n---\n%s", runs[0], runs[1])
	}
	for _, want := range []string{"count 100% |##############################| 5/5", "application/vnd.jupyter.widget-state+json", `"IPY_MODEL_`} {
		if !bytes.Contains(runs[0], []byte(want)) {
			t.Errorf("the run's notebook lacks %q", want)
		}
	}

	stored := filepath.Join(dir, "stored.ipynb")
	if err := os.WriteFile(stored, runs[0], 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cmdRun(context.Background(), []string{stored, "--check"}); err != nil {
		t.Errorf("--check on the outputs of a run: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "stored.out.ipynb")); err == nil {
		t.Error("--check alone wrote a notebook")
	}

	nb, err := notebooks.Parse(runs[0], stored)
	if err != nil {
		t.Fatal(err)
	}
	nb.Cells[0].Outputs[1].Text = "counted twice\n"
	if err := notebooks.WriteFile(stored, nb); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(stored)
	err = cmdRun(context.Background(), []string{stored, "--check"})
	if err == nil || !strings.Contains(err.Error(), "1 difference from the outputs stored in") {
		t.Errorf("--check after a change: %v", err)
	}
	if after, _ := os.ReadFile(stored); !bytes.Equal(before, after) {
		t.Error("--check changed the notebook")
	}
}

// A run that shows no widget drops the widget state an earlier run saved.
func TestCmdRunDropsStaleWidgetState(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "s.ipynb")
	nb := `{"cells": [
 {"cell_type": "code", "execution_count": 1, "id": "a", "metadata": {}, "outputs": [], "source": "1 + 1"}
], "metadata": {"widgets": {"application/vnd.jupyter.widget-state+json": {"state": {"abc": {}}, "version_major": 2, "version_minor": 0}}}, "nbformat": 4, "nbformat_minor": 5}`
	if err := os.WriteFile(in, []byte(nb), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := cmdRun(context.Background(), []string{in, "--inplace"}); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(in); bytes.Contains(data, []byte("widget-state")) {
		t.Errorf("stale widget state kept:\n%s", data)
	}
}
