package nn

import (
	"context"
	"math"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

func TestScaledDropout(t *testing.T) {
	for _, c := range []struct {
		base      float64
		conn, ref int
		want      float64
	}{
		{0.5, 100, 100, 0.5},
		{0.5, 200, 100, 0.5},
		{0.5, 25, 100, 0.25},
		{0.5, 1, 100, 0.05},
		{0.5, 0, 100, 0},
		{0.5, 10, 0, 0.5},
		{0.3, 36, 100, 0.18},
	} {
		if got := ScaledDropout(c.base, c.conn, c.ref); math.Abs(got-c.want) > 1e-12 {
			t.Errorf("ScaledDropout(%v, %d, %d) = %v, want %v", c.base, c.conn, c.ref, got, c.want)
		}
	}
}

func TestSetDropout(t *testing.T) {
	d := randomMNISTLike(200)
	train := func(set func(*Trainer)) []float32 {
		m, err := New(ModelConfig{Sizes: []int{784, 32, 10}, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		tr, err := NewTrainer(m, Config{Seed: 2, BatchSize: 50})
		if err != nil {
			t.Fatal(err)
		}
		if set != nil {
			set(tr)
		}
		if _, err := tr.TrainEpoch(context.Background(), d, nil); err != nil {
			t.Fatal(err)
		}
		return append([]float32(nil), m.W[0]...)
	}
	def := train(nil)
	same := train(func(tr *Trainer) {
		if err := tr.SetDropout(0.5); err != nil {
			t.Fatal(err)
		}
	})
	other := train(func(tr *Trainer) {
		if err := tr.SetDropout(0.2); err != nil {
			t.Fatal(err)
		}
		if got := tr.Config().Dropout; got != 0.2 {
			t.Errorf("Config().Dropout = %v after SetDropout(0.2)", got)
		}
	})
	eq := func(a, b []float32) bool {
		for i := range a {
			if math.Float32bits(a[i]) != math.Float32bits(b[i]) {
				return false
			}
		}
		return true
	}
	if !eq(def, same) {
		t.Error("SetDropout(0.5) changed the reference recipe's training")
	}
	if eq(def, other) {
		t.Error("SetDropout(0.2) had no effect on training")
	}
	tr, err := NewTrainer(mustNew(t, []int{4, 3, 2}), Config{})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []float64{-0.1, 1, math.NaN()} {
		if err := tr.SetDropout(p); err == nil {
			t.Errorf("SetDropout(%v) accepted", p)
		}
	}
}

func mustNew(t *testing.T, sizes []int) *MLP {
	t.Helper()
	m, err := New(ModelConfig{Sizes: sizes, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestConnections(t *testing.T) {
	m := mustNew(t, []int{4, 3, 2})
	if got, want := m.Connections(), 4*3+3*2; got != want {
		t.Fatalf("Connections = %d, want %d", got, want)
	}
	m.W[0][0], m.W[1][5] = 0, 0
	if got, want := m.Connections(), 4*3+3*2-2; got != want {
		t.Fatalf("Connections after zeroing two = %d, want %d", got, want)
	}
}

// TestDropoutFactorsMatchReluDropout pins the block path's dropout factors
// to the natural path's draws: reluDropout of a row of ones leaves the
// factors themselves, bit for bit, on every gemm path.
func TestDropoutFactorsMatchReluDropout(t *testing.T) {
	for _, path := range gemm.Paths() {
		if err := gemm.SetPath(path); err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 5, 31, 32, 33, 1200} {
			for _, p := range []float64{0.1, 0.2, 0.5, 0.8} {
				key := mix64(uint64(n)<<8 | uint64(p*100))
				row := make([]float32, n)
				for i := range row {
					row[i] = 1
				}
				reluDropout(row, key, p, true)
				ks := make([]float32, n)
				dropoutFactors(ks, key, p)
				for i := range ks {
					if math.Float32bits(ks[i]) != math.Float32bits(row[i]) {
						t.Fatalf("%s n=%d p=%v: factor %d = %v, reluDropout %v", path, n, p, i, ks[i], row[i])
					}
				}
			}
		}
	}
	if err := gemm.SetPath(""); err != nil {
		t.Fatal(err)
	}
}
