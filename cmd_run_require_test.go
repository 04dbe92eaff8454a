package main

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/kernel/modules/modtest"
	"github.com/trannsformer/gotrann/notebooks"
)

func TestNotebookRequire(t *testing.T) {
	tests := []struct {
		md      map[string]any
		want    []string
		wantErr bool
	}{
		{md: map[string]any{}},
		{md: map[string]any{"gotrann": map[string]any{}}},
		{md: map[string]any{"gotrann": map[string]any{"require": []any{"example.com/a@v1.0.0", "example.com/b@v0.1.0"}}}, want: []string{"example.com/a@v1.0.0", "example.com/b@v0.1.0"}},
		{md: map[string]any{"gotrann": map[string]any{"require": "example.com/a@v1.0.0"}}, wantErr: true},
		{md: map[string]any{"gotrann": map[string]any{"require": []any{"example.com/a"}}}, wantErr: true},
		{md: map[string]any{"gotrann": map[string]any{"require": []any{3}}}, wantErr: true},
	}
	for _, tt := range tests {
		got, err := notebookRequire(tt.md)
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("notebookRequire(%v) = %v, %v; want %v (error %v)", tt.md, got, err, tt.want, tt.wantErr)
		}
	}
	if got := requireLines("example.com/a@v1.0.0 // pinned\nexample.com/b@v0.1.0 // resolved\n"); !reflect.DeepEqual(got, []any{"example.com/a@v1.0.0", "example.com/b@v0.1.0"}) {
		t.Errorf("requireLines = %v", got)
	}
	if got := requireLines("no modules required: ...\n"); got != nil {
		t.Errorf("requireLines of the empty listing = %v", got)
	}
}

const requireNotebook = `{
 "cells": [
  {"cell_type": "code", "execution_count": null, "id": "a", "metadata": {}, "outputs": [],
   "source": "import \"example.com/gotrann-test/greet\"\nfmt.Println(greet.Hello(\"run\"))"}
 ],
 "metadata": {"gotrann": {"require": ["example.com/gotrann-test/greet@v1.0.0"]}},
 "nbformat": 4, "nbformat_minor": 5
}`

// TestCmdRunRequire: gotrann run applies the notebook's pins before the
// first cell (greet v1.0.0, not the proxy's latest v1.1.0) and writes the
// versions back into the metadata. It builds a worker (test proxy, no
// network).
func TestCmdRunRequire(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a worker binary")
	}
	url, err := modtest.WriteProxy(modtest.ModsDir(), t.TempDir(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range modtest.Env(url) {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("GOTRANN_CACHE", t.TempDir())
	dir := t.TempDir()
	in := filepath.Join(dir, "req.ipynb")
	if err := os.WriteFile(in, []byte(requireNotebook), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "out.ipynb")
	if err := cmdRun(context.Background(), []string{in, "-o", out}); err != nil {
		t.Fatal(err)
	}
	nb, err := notebooks.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var text string
	for _, o := range nb.Cells[0].Outputs {
		if o.Name == "stdout" {
			text += o.Text
		}
	}
	if text != "hello, run from greet v1.0.0\n" {
		t.Errorf("stdout %q, want greet v1.0.0's", text)
	}
	got, err := notebookRequire(nb.Metadata)
	if err != nil || !reflect.DeepEqual(got, []string{"example.com/gotrann-test/greet@v1.0.0"}) {
		t.Errorf("metadata.gotrann.require = %v, %v", got, err)
	}
}
