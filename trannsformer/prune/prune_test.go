package prune

import (
	"context"
	"math"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

func newNet(t testing.TB, sizes ...int) *nn.MLP {
	m, err := nn.New(nn.ModelConfig{Sizes: sizes, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestThreshold(t *testing.T) {
	m := newNet(t, 2, 3)
	copy(m.W[0], []float32{0.1, -0.2, 0.05, -0.01, 0.3, 0})
	keep := []bool{false, false, false, true, false, false}
	if err := Threshold(m, 0, 0.1, keep); err != nil {
		t.Fatal(err)
	}
	want := []float32{0.1, -0.2, 0, -0.01, 0.3, 0}
	for i, w := range want {
		if m.W[0][i] != w {
			t.Fatalf("weights %v, want %v", m.W[0], want)
		}
	}
	if err := Threshold(m, 0, 0.1, []bool{true}); err == nil {
		t.Error("short keep mask accepted")
	}
	if err := Threshold(m, 1, 0.1, nil); err == nil {
		t.Error("layer 1 of a 1-layer net accepted")
	}
}

func TestReferenceSteps(t *testing.T) {
	tests := []struct {
		sizes  []int
		epochs int
		want   []float64
	}{
		{[]int{784, 1200, 1200, 10}, 40, []float64{0.5e-3, 0.5e-3, 0.5e-3}},
		{[]int{784, 1200, 1200, 10}, 20, []float64{1e-3, 1e-3, 1e-3}},
		{[]int{1024, 1200, 1200, 1200, 10}, 40, []float64{0.5e-3, 0.5e-3, 0.5e-3, 2.5e-3}},
	}
	for _, tt := range tests {
		r := NewReference(newNet(t, tt.sizes...), tt.epochs)
		for l, w := range tt.want {
			if math.Abs(r.Steps[l]-w) > 1e-12 {
				t.Errorf("%v, %d epochs: steps %v, want %v", tt.sizes, tt.epochs, r.Steps, tt.want)
			}
		}
	}
}

func TestReferenceRaisesOnlyWhenLossFalls(t *testing.T) {
	m := newNet(t, 10, 10)
	r := NewReference(m, 40)
	r.Keep = [][]bool{make([]bool, 100)}
	r.Keep[0][7] = true
	losses := []float64{1, 0.9, 0.95, 0.8}
	raisedWant := []bool{true, true, false, true}
	for i, l := range losses {
		raised, err := r.EpochEnd(m, l)
		if err != nil {
			t.Fatal(err)
		}
		if raised != raisedWant[i] {
			t.Errorf("epoch %d: raised %v, want %v", i+1, raised, raisedWant[i])
		}
	}
	if math.Abs(r.Thresholds[0]-1.5e-3) > 1e-12 {
		t.Errorf("threshold %v, want 1.5e-3", r.Thresholds[0])
	}
	for i, w := range m.W[0] {
		if w != 0 && math.Abs(float64(w)) < 1.5e-3 && i != 7 {
			t.Errorf("weight %d = %v survived", i, w)
		}
	}
}

func TestGradual(t *testing.T) {
	g := &Gradual{Target: []float64{0.9}, Start: 2, End: 6}
	want := map[int]float64{1: 0, 2: 0, 4: 0.9 * (1 - 0.125), 6: 0.9, 10: 0.9}
	for e, w := range want {
		if got := g.SparsityAt(0, e); math.Abs(got-w) > 1e-12 {
			t.Errorf("epoch %d: sparsity %v, want %v", e, got, w)
		}
	}
	m := newNet(t, 100, 50, 10)
	if err := g.EpochEnd(m, 6); err != nil {
		t.Fatal(err)
	}
	for l, s := range Stats(m) {
		if math.Abs(1-s.Density-0.9) > 0.001 {
			t.Errorf("layer %d: sparsity %v, want 0.9", l, 1-s.Density)
		}
	}
	if err := (&Gradual{Target: []float64{0.5, 0.5, 0.5}, End: 1}).EpochEnd(m, 1); err == nil {
		t.Error("3 targets for 2 layers accepted")
	}
}

func TestStats(t *testing.T) {
	m := newNet(t, 3, 2)
	copy(m.W[0], []float32{0, 0, 0, 1, 0, 2})
	s := Stats(m)[0]
	want := LayerStats{Layer: 0, Rows: 2, Cols: 3, Synapses: 2, Total: 6, Density: 2.0 / 6, DeadRows: 1, DeadCols: 1}
	if s != want {
		t.Errorf("stats %+v, want %+v", s, want)
	}
}

// TestPruneDuringTraining prunes with the reference schedule through the
// epoch-end hook, in hard-mask mode, and keeps the accuracy.
func TestPruneDuringTraining(t *testing.T) {
	train, test := data.Synthetic(data.SyntheticConfig{N: 3000, Seed: 1}).Split(0.8, 1)
	m := newNet(t, 64, 64, 10)
	m.MaskMode = nn.MaskHard
	r := NewReference(m, 15)
	r.Steps = []float64{5e-3, 5e-3}
	hist, err := m.Train(context.Background(), train, nn.Config{Epochs: 15, BatchSize: 50, Test: test, EpochEnd: r.Hook()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	last := hist[len(hist)-1]
	if last.Sparsity < 0.3 || last.TestAccuracy < 0.9 {
		t.Errorf("sparsity %.3f, test accuracy %.3f", last.Sparsity, last.TestAccuracy)
	}
	t.Logf("sparsity %.3f, accuracy %.3f\n%s", last.Sparsity, last.TestAccuracy, StatsTable(Stats(m)))
}

func BenchmarkReferenceApply(b *testing.B) {
	m := newNet(b, 784, 1200, 1200, 10)
	r := NewReference(m, 40)
	r.Thresholds = []float64{5e-3, 5e-3, 5e-3}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := r.Apply(m); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkToSparsity(b *testing.B) {
	m := newNet(b, 784, 1200, 1200, 10)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := ToSparsity(m, 1, 0.8, nil); err != nil {
			b.Fatal(err)
		}
	}
}
