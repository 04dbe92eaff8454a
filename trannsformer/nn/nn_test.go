package nn

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/trannsformer/gotrann/trannsformer/data"
)

func synth(t testing.TB) (train, test *data.Dataset) {
	t.Helper()
	d := data.Synthetic(data.SyntheticConfig{Seed: 1, N: 3000})
	return d.Split(0.8, 1)
}

// TestTrainSynthetic trains on the synthetic set with each recipe and
// requires a stated test accuracy.
func TestTrainSynthetic(t *testing.T) {
	train, test := synth(t)
	cases := []struct {
		name  string
		model ModelConfig
		cfg   Config
		want  float64
	}{
		{"reference", ModelConfig{Sizes: []int{64, 64, 10}, Seed: 1}, Config{Epochs: 15, BatchSize: 50}, 0.94},
		{"cross-entropy", ModelConfig{Sizes: []int{64, 64, 10}, Seed: 1, OutputLinear: true}, Config{Epochs: 15, BatchSize: 50, Loss: CrossEntropy}, 0.95},
		{"adam, cross-entropy", ModelConfig{Sizes: []int{64, 64, 10}, Seed: 1, OutputLinear: true}, Config{Epochs: 15, BatchSize: 50, Optimizer: Adam, Loss: CrossEntropy}, 0.95},
		{"biases, cosine, decay", ModelConfig{Sizes: []int{64, 32, 32, 10}, Seed: 2, Bias: true, InitScale: 0.1}, Config{Epochs: 15, BatchSize: 50, Schedule: Cosine, WeightDecay: 1e-4, LearningRate: 0.2}, 0.93},
		{"no dropout, step", ModelConfig{Sizes: []int{64, 64, 10}, Seed: 3}, Config{Epochs: 15, BatchSize: 50, Dropout: -1, Momentum: -1, Schedule: Step, StepEvery: 10, StepGamma: 0.5}, 0.93},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := New(c.model)
			if err != nil {
				t.Fatal(err)
			}
			c.cfg.Test = test
			hist, err := m.Train(context.Background(), train, c.cfg, nil)
			if err != nil {
				t.Fatal(err)
			}
			last := hist[len(hist)-1]
			t.Logf("test accuracy %.4f", last.TestAccuracy)
			if len(hist) != c.cfg.Epochs || last.TestAccuracy < c.want {
				t.Errorf("after %d epochs: test accuracy %.3f, want >= %.2f (loss %.4f)", len(hist), last.TestAccuracy, c.want, last.Loss)
			}
			if hist[0].Loss <= last.Loss {
				t.Errorf("loss did not fall: %v -> %v", hist[0].Loss, last.Loss)
			}
		})
	}
}

func weightsEqual(a, b *MLP) bool {
	for l := range a.W {
		for i := range a.W[l] {
			if math.Float32bits(a.W[l][i]) != math.Float32bits(b.W[l][i]) {
				return false
			}
		}
	}
	return true
}

func TestDeterministic(t *testing.T) {
	train, _ := synth(t)
	run := func(seed uint64, threads int) *MLP {
		m, _ := New(ModelConfig{Sizes: []int{64, 200, 10}, Seed: 5})
		if _, err := m.Train(context.Background(), train, Config{Epochs: 2, BatchSize: 100, Seed: seed, Threads: threads}, nil); err != nil {
			t.Fatal(err)
		}
		return m
	}
	a, b, c, d := run(1, 1), run(1, 1), run(1, 4), run(2, 1)
	if !weightsEqual(a, b) {
		t.Error("same seed, different weights")
	}
	if !weightsEqual(a, c) {
		t.Error("the element-wise thread count changed the weights")
	}
	if weightsEqual(a, d) {
		t.Error("different seeds, same weights")
	}
}

func TestMasks(t *testing.T) {
	train, _ := synth(t)
	for _, mode := range []MaskMode{MaskHard, MaskSoft} {
		m, _ := New(ModelConfig{Sizes: []int{64, 32, 10}, Seed: 1})
		m.MaskMode = mode
		keep := make([]bool, len(m.W[0]))
		for i := range keep {
			keep[i] = i%3 == 0
		}
		if err := m.SetMask(0, keep); err != nil {
			t.Fatal(err)
		}
		if _, err := m.Train(context.Background(), train, Config{Epochs: 2, BatchSize: 100}, nil); err != nil {
			t.Fatal(err)
		}
		regrown := 0
		for i, k := range keep {
			if !k && m.W[0][i] != 0 {
				regrown++
			}
		}
		if mode == MaskHard && regrown != 0 {
			t.Errorf("hard mask: %d masked weights grew back", regrown)
		}
		if mode == MaskSoft && regrown == 0 {
			t.Error("soft mask: no masked weight grew back")
		}
	}
	m, _ := New(ModelConfig{Sizes: []int{3, 2}})
	if err := m.SetMask(0, []bool{true}); err == nil {
		t.Error("short mask accepted")
	}
	if err := m.SetMasksDense([]*mat.Dense{mat.NewDense(2, 3, []float64{1, 0, 0, 0, 0, 1})}); err != nil {
		t.Fatal(err)
	}
	if got := m.Mask(0); !got[0] || got[1] || !got[5] || m.NonZero(0) != 2 {
		t.Errorf("dense mask: %v", got)
	}
	if err := m.SetMasks([][]bool{nil}); err != nil || m.HasMask(0) {
		t.Error("removing a mask")
	}
}

func TestWeightsDense(t *testing.T) {
	m, _ := New(ModelConfig{Sizes: []int{3, 2}, Seed: 1})
	w := m.Weights(0)
	if r, c := w.Dims(); r != 2 || c != 3 || w.At(1, 2) != float64(m.W[0][5]) {
		t.Fatal("Weights layout")
	}
	w.Set(1, 2, 0.25)
	if err := m.SetWeights(0, w); err != nil || m.W[0][5] != 0.25 {
		t.Error("SetWeights")
	}
	if err := m.SetWeights(0, mat.NewDense(3, 2, nil)); err == nil {
		t.Error("SetWeights with the wrong shape")
	}
}

func TestInterrupt(t *testing.T) {
	train, test := synth(t)
	m, _ := New(ModelConfig{Sizes: []int{64, 32, 10}, Seed: 1})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	batches := 0
	hist, err := m.Train(ctx, train, Config{Epochs: 5, BatchSize: 100}, func(p Progress) {
		if !p.EpochDone {
			batches++
			if p.Batch == 3 {
				cancel()
			}
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("error %v, want context.Canceled", err)
	}
	if batches != 3 || len(hist) != 1 || !hist[0].Interrupted || hist[0].Samples != 300 {
		t.Errorf("batches %d, history %+v", batches, hist)
	}
	if _, err := m.Evaluate(test); err != nil {
		t.Error(err)
	}
}

func TestProgressAndHook(t *testing.T) {
	train, test := synth(t)
	m, _ := New(ModelConfig{Sizes: []int{64, 32, 10}, Seed: 1})
	var last Progress
	hooks := 0
	_, err := m.Train(context.Background(), train, Config{Epochs: 2, BatchSize: 1000, Test: test,
		EpochEnd: func(m *MLP, s EpochStats) error {
			hooks++
			if s.Epoch == 2 {
				return errors.New("stop here")
			}
			return nil
		}}, func(p Progress) { last = p })
	if err == nil || !strings.Contains(err.Error(), "stop here") || hooks != 2 {
		t.Errorf("hook: err %v, %d calls", err, hooks)
	}
	if last.Epoch != 2 || !last.EpochDone || last.Batches != 3 || last.SamplesPerSecond <= 0 {
		t.Errorf("last progress %+v", last)
	}
}

func TestSaveLoad(t *testing.T) {
	dir := t.TempDir()
	m, _ := New(ModelConfig{Sizes: []int{5, 4, 3}, Seed: 1, Bias: true, OutputLinear: true})
	m.B[1][2] = 0.5
	m.MaskMode = MaskHard
	keep := make([]bool, 12)
	keep[3], keep[11] = true, true
	m.SetMask(1, keep)
	p := filepath.Join(dir, "m.gotrann")
	if err := m.Save(p); err != nil {
		t.Fatal(err)
	}
	got, err := Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if !weightsEqual(m, got) || got.B[1][2] != 0.5 || !got.OutputLinear || got.MaskMode != MaskHard || got.HasMask(0) || !got.HasMask(1) {
		t.Fatalf("round trip: %v", got)
	}
	if k := got.Mask(1); !k[3] || !k[11] || k[4] {
		t.Errorf("mask %v", k)
	}
	b, _ := os.ReadFile(p)
	flip := append([]byte(nil), b...)
	flip[len(flip)/2] ^= 1
	version := append([]byte(nil), b...)
	version[len(fileMagic)] = 9
	cases := map[string][]byte{
		"truncated": b[:len(b)-7],
		"flipped":   flip,
		"magic":     append([]byte("GOTRANN-XXX\x00"), b[12:]...),
		"version":   version,
		"empty":     nil,
	}
	for name, c := range cases {
		p := filepath.Join(dir, name)
		os.WriteFile(p, c, 0o644)
		if _, err := Load(p); !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v", name, err)
		}
	}
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(&buf); err != nil {
		t.Error(err)
	}
}

func TestConfusion(t *testing.T) {
	c := NewConfusion([]int{0, 1, 1, 2}, []int{0, 1, 2, 2}, 3)
	if c.Accuracy() != 0.75 || c.Total() != 4 || c.Counts[1][2] != 1 {
		t.Errorf("%v", c)
	}
	if r := c.Recall(); r[1] != 0.5 || r[2] != 1 {
		t.Errorf("recall %v", r)
	}
}

func TestBadInput(t *testing.T) {
	if _, err := New(ModelConfig{Sizes: []int{3}}); err == nil {
		t.Error("one layer accepted")
	}
	if _, err := New(ModelConfig{Sizes: []int{3, 0}}); err == nil {
		t.Error("zero width accepted")
	}
	m, _ := New(ModelConfig{Sizes: []int{3, 2}})
	train, _ := synth(t)
	if _, err := m.Train(context.Background(), train, Config{}, nil); !errors.Is(err, ErrShape) {
		t.Errorf("wrong width: %v", err)
	}
	if _, err := m.Evaluate(train); !errors.Is(err, ErrShape) {
		t.Errorf("wrong width: %v", err)
	}
	m2, _ := New(ModelConfig{Sizes: []int{64, 5}})
	if _, err := m2.Train(context.Background(), train, Config{}, nil); err == nil {
		t.Error("labels beyond the outputs accepted")
	}
	if _, err := NewTrainer(m, Config{Momentum: 1.5}); err == nil {
		t.Error("momentum 1.5 accepted")
	}
}

// TestDeterministicGOMAXPROCS checks that the weights do not depend on
// GOMAXPROCS either (the GEMM promises results independent of its
// goroutine count).
func TestDeterministicGOMAXPROCS(t *testing.T) {
	train, _ := synth(t)
	run := func(procs int) *MLP {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
		m, _ := New(ModelConfig{Sizes: []int{64, 300, 10}, Seed: 5})
		if _, err := m.Train(context.Background(), train, Config{Epochs: 1, BatchSize: 400, Seed: 1}, nil); err != nil {
			t.Fatal(err)
		}
		return m
	}
	if a, b := run(1), run(2); !weightsEqual(a, b) {
		t.Error("GOMAXPROCS 1 and 2 give different weights")
	}
}

// TestStepAllocs checks that a training batch allocates nothing (on one
// goroutine, where the GEMM runs inline).
func TestStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	train, _ := synth(t)
	m, _ := New(ModelConfig{Sizes: []int{64, 100, 10}, Seed: 1, Bias: true})
	m.MaskMode = MaskHard
	m.SetMask(0, make([]bool, len(m.W[0])))
	tr, err := NewTrainer(m, Config{BatchSize: 100, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	tr.ds = train
	tr.rows = 100
	for i := range tr.idx {
		tr.idx[i] = i
	}
	if n := testing.AllocsPerRun(20, func() { tr.step() }); n != 0 {
		t.Errorf("%v allocations per batch", n)
	}
}
