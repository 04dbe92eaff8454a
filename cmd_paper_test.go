package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPaperQuick runs "gotrann paper --quick" end to end on the synthetic
// data set and checks the JSON the issue asks for and the sanity of its
// numbers.
func TestPaperQuick(t *testing.T) {
	dir := t.TempDir()
	jsonFile, mdFile := filepath.Join(dir, "paper.json"), filepath.Join(dir, "paper.md")
	var stdout, stderr bytes.Buffer
	args := []string{"--quick", "--dataset", "synthetic", "--epochs", "24", "--k", "16,64,128",
		"--json", jsonFile, "--md", mdFile, "--seed", "1"}
	if err := runPaper(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("paper: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "100%") {
		t.Errorf("no finished progress bar on stderr:\n%s", stderr.String())
	}
	md, err := os.ReadFile(mdFile)
	if err != nil {
		t.Fatal(err)
	}
	if string(md) != stdout.String() {
		t.Error("the Markdown file differs from the table printed")
	}
	for _, want := range []string{"| dense |", "| pruned |", "| trannsformer |", "| ours |", "| tile_pruning |", "| small_dense |", "k=128"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("Markdown lacks %q", want)
		}
	}

	raw, err := os.ReadFile(jsonFile)
	if err != nil {
		t.Fatal(err)
	}
	var rep map[string]any
	if err := json.Unmarshal(raw, &rep); err != nil {
		t.Fatal(err)
	}
	if rep["dataset"] != "synthetic" {
		t.Errorf("dataset %v", rep["dataset"])
	}
	if l, ok := rep["layers"].([]any); !ok || len(l) != 4 {
		t.Errorf("layers %v", rep["layers"])
	}
	if e, ok := rep["epochs"].(float64); !ok || e != 24 {
		t.Errorf("epochs %v", rep["epochs"])
	}
	if s, ok := rep["train_samples_per_second"].(float64); !ok || s <= 0 {
		t.Errorf("train_samples_per_second %v", rep["train_samples_per_second"])
	}
	crossbars := map[string]float64{}
	for _, name := range []string{"dense", "pruned", "trannsformer", "ours"} {
		m, ok := rep[name].(map[string]any)
		if !ok {
			t.Fatalf("no method %q", name)
		}
		for _, key := range []string{"ann_accuracy", "snn_accuracy"} {
			if v, ok := m[key].(float64); !ok || v < 0.3 || v > 1 {
				t.Errorf("%s %s = %v", name, key, m[key])
			}
		}
		if v, ok := m["synapses"].(float64); !ok || v <= 0 {
			t.Errorf("%s synapses = %v", name, m["synapses"])
		}
		byK, ok := m["by_k"].([]any)
		if !ok || len(byK) != 3 {
			t.Fatalf("%s by_k = %v", name, m["by_k"])
		}
		for i, x := range byK {
			kc := x.(map[string]any)
			if kc["k"] != []float64{16, 64, 128}[i] {
				t.Errorf("%s by_k[%d].k = %v", name, i, kc["k"])
			}
			if v, _ := kc["crossbars"].(float64); v < 1 {
				t.Errorf("%s k=%v: crossbars %v", name, kc["k"], kc["crossbars"])
			}
			if kc["k"] == 64.0 {
				crossbars[name] = kc["crossbars"].(float64)
			}
			if v, _ := kc["utilization"].(float64); v <= 0 || v > 1 {
				t.Errorf("%s k=%v: utilization %v", name, kc["k"], kc["utilization"])
			}
			for _, key := range []string{"area", "energy"} {
				vals, ok := kc[key].(map[string]any)
				if !ok || len(vals) != 2 {
					t.Fatalf("%s k=%v: %s = %v", name, kc["k"], key, kc[key])
				}
				for set, v := range vals {
					if f, ok := v.(float64); !ok || f <= 0 || math.IsInf(f, 0) {
						t.Errorf("%s k=%v: %s[%s] = %v", name, kc["k"], key, set, v)
					}
				}
			}
		}
	}
	// Pruning never needs more crossbars than the dense network, and ours
	// needs fewer than both.
	if crossbars["pruned"] > crossbars["dense"] || crossbars["ours"] >= crossbars["pruned"] {
		t.Errorf("crossbars at k=64: %v", crossbars)
	}
}

func TestPaperFlags(t *testing.T) {
	for _, args := range [][]string{
		{"--k", "16,x"},
		{"--k", ""},
		{"--tile-keep", "2"},
		{"--only", "ours,bogus"},
		{"extra"},
		{"--nonsense"},
	} {
		err := runPaper(context.Background(), args, &bytes.Buffer{}, &bytes.Buffer{})
		var ue usageError
		if !errors.As(err, &ue) {
			t.Errorf("%v: error %v, want a usage error", args, err)
		}
	}
	err := runPaper(context.Background(), []string{"--dataset", "nope", "--quiet"}, &bytes.Buffer{}, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("unknown data set: %v", err)
	}
}
