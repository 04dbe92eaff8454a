package trannsformer

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/nn"
)

func TestPaperDefaults(t *testing.T) {
	tests := []struct {
		name                                     string
		cfg                                      PaperConfig
		n, dense, pruned, ours, small, tile, snn int
	}{
		{"full", PaperConfig{}, 60, 15, 40, 30, 30, 15, 100},
		{"quick", PaperConfig{Quick: true}, 40, 10, 26, 20, 20, 10, 50},
		{"budget 20", PaperConfig{Epochs: 20, OursEpochs: 7}, 20, 5, 13, 7, 10, 5, 100},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := tt.cfg.withDefaults()
			got := []int{c.Epochs, c.DenseEpochs, c.PrunedEpochs, c.OursEpochs, c.SmallEpochs, c.TileEpochs, c.SNNTimesteps}
			want := []int{tt.n, tt.dense, tt.pruned, tt.ours, tt.small, tt.tile, tt.snn}
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("epochs/timesteps %v, want %v", got, want)
				}
			}
			if c.K != 64 || len(c.Ks) != 5 || len(c.Constants) != 2 || c.Dataset != "mnist" {
				t.Errorf("defaults %+v", c)
			}
		})
	}
}

// TestPaperOnly runs the pipeline for ours alone on a tiny synthetic set,
// caching the dense network, and checks that the second run loads it.
func TestPaperOnly(t *testing.T) {
	train, test := smallData(t)
	file := filepath.Join(t.TempDir(), "dense.mlp")
	cfg := PaperConfig{Dataset: "synthetic", Train: train, Test: test, Sizes: []int{256, 64, 64, 10},
		Epochs: 8, K: 16, Ks: []int{16}, SNNTimesteps: 20, SNNSamples: 100, Only: []string{MethodOurs}, DenseFile: file}
	var stages []string
	rep, err := Paper(context.Background(), cfg, func(p PaperProgress) { stages = append(stages, p.Stage+": "+p.Message) })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Dense == nil || rep.Ours == nil || rep.Pruned != nil || rep.Trannsformer != nil || rep.SmallDense != nil || rep.TilePruning != nil {
		t.Fatalf("methods %v", rep.Methods())
	}
	m, err := nn.Load(file)
	if err != nil {
		t.Fatal(err)
	}
	if m.Sparsity() != 0 {
		t.Error("the cached dense network is sparse")
	}
	last := stages[len(stages)-1]
	stages = nil
	rep2, err := Paper(context.Background(), cfg, func(p PaperProgress) { stages = append(stages, p.Stage+": "+p.Message) })
	if err != nil {
		t.Fatal(err)
	}
	if stages[0] != "dense: loaded "+file {
		t.Errorf("first stage %q, want the cached network", stages[0])
	}
	if rep2.Ours.ANNAccuracy != rep.Ours.ANNAccuracy || rep2.Ours.At(16).Crossbars != rep.Ours.At(16).Crossbars {
		t.Errorf("the second run differs: %v vs %v (last stage %q)", rep2.Ours.ANNAccuracy, rep.Ours.ANNAccuracy, last)
	}
	cfg.Sizes = []int{256, 32, 10}
	if _, err := Paper(context.Background(), cfg, nil); err == nil {
		t.Error("a cached network of other sizes was accepted")
	}
}
