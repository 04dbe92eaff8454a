package nn

import (
	"context"
	"math"
	"math/rand/v2"
	"testing"
)

// TestSparseTrainingMatchesDense: a network whose hard masks keep 10% of
// the weights (no tile structure) trains with sparse forward and input
// gradient products; the weights agree with the dense products to float32
// rounding.
func TestSparseTrainingMatchesDense(t *testing.T) {
	train, _ := synth(t)
	base, _ := New(ModelConfig{Sizes: []int{64, 96, 80, 10}, Seed: 1, InitScale: 0.1})
	r := rand.New(rand.NewPCG(4, 5))
	base.MaskMode = MaskHard
	for l := 0; l < 2; l++ {
		keep := make([]bool, len(base.W[l]))
		for i := range keep {
			keep[i] = r.Float64() < 0.1
		}
		if err := base.SetMask(l, keep); err != nil {
			t.Fatal(err)
		}
	}
	run := func(dense bool) *MLP {
		m := base.Clone()
		tr, err := NewTrainer(m, Config{Epochs: 2, BatchSize: 50, Seed: 3})
		if err != nil {
			t.Fatal(err)
		}
		tr.denseOnly = dense
		for e := 0; e < 2; e++ {
			if _, err := tr.TrainEpoch(context.Background(), train, nil); err != nil {
				t.Fatal(err)
			}
		}
		if !dense && (tr.sparseLayer(0) == nil || tr.sparseLayer(1) == nil || tr.sparseLayer(2) != nil) {
			t.Fatal("the sparse products were not chosen for the sparse layers only")
		}
		return m
	}
	dense, sparse := run(true), run(false)
	for l := range dense.W {
		var scale float64
		for _, v := range dense.W[l] {
			scale = math.Max(scale, math.Abs(float64(v)))
		}
		for i, v := range sparse.W[l] {
			if d := math.Abs(float64(v - dense.W[l][i])); d > 1e-5*scale {
				t.Fatalf("layer %d weight %d: sparse %v, dense %v", l, i, v, dense.W[l][i])
			}
		}
	}
}
