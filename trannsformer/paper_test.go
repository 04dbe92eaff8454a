package trannsformer

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

func TestPaperDefaults(t *testing.T) {
	c := PaperConfig{}.withDefaults()
	if c.Budget != 30 || c.PretrainEpochs != 7 || c.Seeds != 3 || c.ValSamples != data.DefaultValidation || c.K != 64 ||
		len(c.Ks) != 5 || len(c.Mappers) != 5 || len(c.Constants) != 4 || c.SNNTimesteps != 100 || c.Seed != 1 {
		t.Errorf("full defaults %+v", c)
	}
	if !slices.Equal(c.ScaledDropout, DefaultScaledDropout) || c.scalesDropout(MethodDense) || !c.scalesDropout(MethodOurs) || c.scalesDropout(MethodPruned) {
		t.Errorf("dropout rule %v", c.ScaledDropout)
	}
	if n := (PaperConfig{ScaledDropout: []string{}}).withDefaults(); n.scalesDropout(MethodOurs) {
		t.Error("an empty ScaledDropout scales ours")
	}
	q := PaperConfig{Quick: true}.withDefaults()
	if q.Budget != 12 || q.PretrainEpochs != 3 || q.Seeds != 1 || q.ValSamples != 1000 || q.TrainSamples != 6000 || len(q.OursKeep) != 2 {
		t.Errorf("quick defaults %+v", q)
	}
	// K joins the sweep when missing.
	if k := (PaperConfig{K: 48, Ks: []int{16, 64}}).withDefaults().Ks; len(k) != 3 || k[1] != 48 {
		t.Errorf("Ks %v", k)
	}
	// The plan counts every network: 3 seeds × (dense + 4 small + 3 pruned + 1 trannsformer + 5 tile + 6 ours).
	p := PaperConfig{}.Plan([]int{784, 1200, 1200, 10})
	if p.Networks != 3*20 || p.Epochs != 3*(30+4*30+3*30+30+5*23+6*23) {
		t.Errorf("plan %+v", p)
	}
}

func TestPaperValidate(t *testing.T) {
	for _, c := range []PaperConfig{
		{Budget: -5}, {Budget: 10, PretrainEpochs: 10}, {Ks: []int{0}}, {Mappers: []string{"bogus"}},
		{Only: []string{"bogus"}}, {OursKeep: []float64{2}}, {TileKeep: []float64{0}}, {OursLastKeep: 1.5}, {Qualities: []float64{1}}, {PruneScales: []float64{0}},
		{SmallWidths: []int{-1}}, {Tolerance: 1}, {Seeds: -1}, {ScaledDropout: []string{"bogus"}},
	} {
		if err := c.Validate(); err == nil {
			t.Errorf("%+v: want an error", c)
		}
	}
	if err := (PaperConfig{}).Validate(); err != nil {
		t.Error(err)
	}
}

func TestInputRates(t *testing.T) {
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{3, 2, 2}, Seed: 1})
	copy(m.W[0], []float32{1, 0, 0, 0, 1, 0})
	ds := &data.Dataset{Name: "x", X: []float32{1, 0.5, 0, 1, 0.5, 0}, Y: []int{0, 1}, Features: 3, Classes: 2}
	r, err := InputRates(m, ds, []float64{6, 4})
	if err != nil {
		t.Fatal(err)
	}
	// Layer 0: pixel means (1, 0.5, 0) share 6 spikes: 4, 2, 0.
	// Layer 1: activations (1, 0.5) share 4 spikes: 8/3, 4/3.
	want := [][]float64{{4, 2, 0}, {8.0 / 3, 4.0 / 3}}
	for l := range want {
		for j := range want[l] {
			if d := r[l][j] - want[l][j]; d > 1e-12 || d < -1e-12 {
				t.Errorf("rates %v, want %v", r, want)
			}
		}
	}
}

// TestPaperSmall runs the whole pipeline on a tiny synthetic data set for
// ours and the tile-pruning baseline, saves it and, when python3 with numpy
// is there, recounts it with the standalone script.
func TestPaperSmall(t *testing.T) {
	all := data.Synthetic(data.SyntheticConfig{N: 3000, Side: 8, Seed: 2})
	train, test := all.Split(2.0/3, 3)
	dir := t.TempDir()
	cfg := PaperConfig{Dataset: "synthetic", Train: train, Test: test, Sizes: []int{64, 32, 32, 10}, Budget: 8, PretrainEpochs: 4,
		K: 16, Ks: []int{16}, ValSamples: 400, SNNTimesteps: 10, SNNSamples: 50, Seeds: 1,
		OursKeep: []float64{0.3}, TileKeep: []float64{0.3}, Recipe: nn.Config{BatchSize: 50}, Only: []string{MethodOurs, MethodTilePruning}, SaveDir: dir}
	var results []string
	last := 0
	rep, err := Paper(context.Background(), cfg, func(p PaperProgress) {
		if p.Result != "" {
			results = append(results, p.Result)
		}
		if p.Done < last || p.Done > p.Total {
			t.Errorf("progress %d/%d after %d", p.Done, p.Total, last)
		}
		last = p.Done
	})
	if err != nil {
		t.Fatal(err)
	}
	if last != cfg.Plan(rep.Layers).Units {
		t.Errorf("progress ended at %d of %d", last, cfg.Plan(rep.Layers).Units)
	}
	if len(rep.Runs) != 3 || len(results) != 3 {
		t.Fatalf("%d runs, %d results", len(rep.Runs), len(results))
	}
	if rep.TrainSamples != 1600 || rep.ValSamples != 400 || len(rep.DenseCurve) != 1 || len(rep.DenseCurve[0]) != 8 {
		t.Errorf("split %d/%d, curve %v", rep.TrainSamples, rep.ValSamples, rep.DenseCurve)
	}
	for _, r := range rep.Runs {
		if r.Epochs != 8 {
			t.Errorf("%s: %d epochs, want the budget 8", r.Method, r.Epochs)
		}
		if r.ValAccuracy <= 0.2 || r.TestAccuracy <= 0.2 || len(r.Mappings) != len(AllMappers) {
			t.Errorf("%s: %+v", r.Method, r)
		}
		// The SNN ran on 50 of the test images: the ANN is measured on the
		// same 50.
		if r.ANNOnSNNSamples == nil || *r.ANNOnSNNSamples <= 0.2 || *r.ANNOnSNNSamples > 1 {
			t.Errorf("%s: ANN accuracy on the SNN's samples %v", r.Method, r.ANNOnSNNSamples)
		}
		for _, f := range []string{"W0.npy", "W2.npy", "mappings.npz", "run.json"} {
			if _, err := os.Stat(filepath.Join(dir, r.Dir, f)); err != nil {
				t.Error(err)
			}
		}
	}
	if len(rep.Chosen) != 3 {
		t.Errorf("chosen %v", rep.Chosen)
	}
	if !strings.Contains(rep.Dropout, "sqrt(C/C_dense)") {
		t.Errorf("dropout rule %q not stated", rep.Dropout)
	}
	for _, r := range rep.Runs {
		want := DropoutScaled
		if r.Method == MethodDense {
			want = DropoutFixed
		}
		if r.Dropout != want {
			t.Errorf("%s: dropout %q, want %q", r.Method, r.Dropout, want)
		}
	}
	for _, f := range []string{"manifest.json", "test_x.npy", "test_y.npy", "recount.py"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	py := pythonWithNumpy()
	if py == "" {
		t.Skip("no python3 with numpy: recount not run")
	}
	out, err := exec.Command(py, filepath.Join(dir, "recount.py"), dir).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "0 disagreements") {
		t.Errorf("recount: %v\n%s", err, out)
	}
	t.Logf("recount:\n%s", out)
	// A tampered manifest is caught: one mapping's count off by one.
	rep.Runs[1].Mappings[2].Crossbars++
	var buf bytes.Buffer
	if err := rep.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "manifest.json"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err = exec.Command(py, filepath.Join(dir, "recount.py"), dir).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "1 disagreements") {
		t.Errorf("a tampered count was not caught: %v\n%s", err, out)
	}
}

// pythonWithNumpy returns a python3 that imports numpy (the system one
// first), or "".
func pythonWithNumpy() string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import numpy").Run() == nil {
			return path
		}
	}
	return ""
}
