package nn

import (
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"
)

// randomTileMasks returns, for every layer of m, a TileMask with tiles of
// k, shuffled row and column orders and about keep of the tiles kept (at
// least one).
func randomTileMasks(m *MLP, k int, keep float64, seed uint64) []TileMask {
	r := rand.New(rand.NewPCG(seed, 7))
	var out []TileMask
	for l := 0; l < m.Layers(); l++ {
		rows, cols := m.Out(l), m.In(l)
		rt, ct := (rows+k-1)/k, (cols+k-1)/k
		tm := TileMask{K: k, RowOrder: r.Perm(rows), ColOrder: r.Perm(cols), Keep: make([]bool, rt*ct)}
		for i := range tm.Keep {
			tm.Keep[i] = r.Float64() < keep
		}
		tm.Keep[r.IntN(len(tm.Keep))] = true
		out = append(out, tm)
	}
	return out
}

// expand returns the element mask of a TileMask.
func expand(t *testing.T, rows, cols int, tm TileMask) []bool {
	t.Helper()
	b, err := newBlockLayer(rows, cols, tm)
	if err != nil {
		t.Fatal(err)
	}
	return b.mask
}

// trainTiles trains a copy of base for two epochs with the tile masks, set
// either as tiles (block-sparse training) or as plain element masks
// (dense training with the mask).
func trainTiles(t *testing.T, base *MLP, tms []TileMask, tiles bool, cfg Config) *MLP {
	t.Helper()
	train, _ := synth(t)
	m := base.Clone()
	m.MaskMode = MaskHard
	for l, tm := range tms {
		var err error
		if tiles {
			err = m.SetTileMask(l, tm)
		} else {
			err = m.SetMask(l, expand(t, m.Out(l), m.In(l), tm))
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.Train(context.Background(), train, cfg, nil); err != nil {
		t.Fatal(err)
	}
	return m
}

// TestTileTrainingMatchesMasked trains the same network with tile masks on
// the block-sparse path and with the same masks on the dense path: the
// weights agree to float32 rounding (the sums run in another order), and
// the masked weights stay zero on both.
func TestTileTrainingMatchesMasked(t *testing.T) {
	cases := []struct {
		name  string
		model ModelConfig
		cfg   Config
		k     int
	}{
		{"reference", ModelConfig{Sizes: []int{64, 96, 80, 10}, Seed: 1, InitScale: 0.1}, Config{Epochs: 2, BatchSize: 50, Seed: 3}, 16},
		{"biases, decay, odd tiles", ModelConfig{Sizes: []int{64, 70, 10}, Seed: 2, Bias: true, InitScale: 0.1}, Config{Epochs: 2, BatchSize: 64, WeightDecay: 1e-3, LearningRate: 0.2, Seed: 4}, 12},
		{"no momentum, no dropout", ModelConfig{Sizes: []int{64, 96, 10}, Seed: 3, InitScale: 0.1}, Config{Epochs: 2, BatchSize: 37, Momentum: -1, Dropout: -1, Seed: 5}, 32},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base, err := New(c.model)
			if err != nil {
				t.Fatal(err)
			}
			tms := randomTileMasks(base, c.k, 0.3, 9)
			dense := trainTiles(t, base, tms, false, c.cfg)
			blocks := trainTiles(t, base, tms, true, c.cfg)
			for l := range dense.W {
				mask := expand(t, dense.Out(l), dense.In(l), tms[l])
				var scale float64
				for _, v := range dense.W[l] {
					scale = math.Max(scale, math.Abs(float64(v)))
				}
				for i, v := range blocks.W[l] {
					if !mask[i] && (v != 0 || dense.W[l][i] != 0) {
						t.Fatalf("layer %d weight %d outside the mask: %v / %v", l, i, v, dense.W[l][i])
					}
					if d := math.Abs(float64(v - dense.W[l][i])); d > 1e-5*scale {
						t.Fatalf("layer %d weight %d: blocks %v, dense %v (|diff| %.3g, scale %.3g)", l, i, v, dense.W[l][i], d, scale)
					}
				}
				if _, ok := blocks.TileMask(l); !ok {
					t.Errorf("layer %d lost its tile structure", l)
				}
			}
		})
	}
}

// TestTileTrainingDeterministic: the block-sparse path gives the same bits
// run to run and for any number of threads and GOMAXPROCS.
func TestTileTrainingDeterministic(t *testing.T) {
	base, _ := New(ModelConfig{Sizes: []int{64, 96, 80, 10}, Seed: 1, InitScale: 0.1})
	tms := randomTileMasks(base, 16, 0.3, 11)
	var first *MLP
	for _, procs := range []int{1, 2, 3, 7} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			m := trainTiles(t, base, tms, true, Config{Epochs: 2, BatchSize: 50, Seed: 3, Threads: procs})
			if first == nil {
				first = m
			} else if !weightsEqual(first, m) {
				t.Errorf("GOMAXPROCS and threads %d give other weights than 1", procs)
			}
		}()
	}
	if again := trainTiles(t, base, tms, true, Config{Epochs: 2, BatchSize: 50, Seed: 3, Threads: 1}); !weightsEqual(first, again) {
		t.Error("a second run gives other weights")
	}
}

// TestSetMaskKeepsTiles: a mask within the kept tiles keeps the tile
// structure (and trains on the block path with that finer mask); one that
// reaches outside drops it.
func TestSetMaskKeepsTiles(t *testing.T) {
	m, _ := New(ModelConfig{Sizes: []int{64, 96, 10}, Seed: 1, InitScale: 0.1})
	tms := randomTileMasks(m, 16, 0.3, 5)
	for l, tm := range tms {
		if err := m.SetTileMask(l, tm); err != nil {
			t.Fatal(err)
		}
	}
	inner := expand(t, 96, 64, tms[0])
	for i := range inner {
		if i%3 == 0 {
			inner[i] = false
		}
	}
	if err := m.SetMask(0, inner); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.TileMask(0); !ok {
		t.Error("a mask within the tiles dropped the tile structure")
	}
	c := m.Clone()
	if _, ok := c.TileMask(0); !ok {
		t.Error("Clone dropped the tile structure")
	}
	all := make([]bool, 96*64)
	for i := range all {
		all[i] = true
	}
	if err := m.SetMask(0, all); err != nil {
		t.Fatal(err)
	}
	if _, ok := m.TileMask(0); ok {
		t.Error("a mask outside the tiles kept the tile structure")
	}
	if _, ok := c.TileMask(0); !ok {
		t.Error("the clone shares tile state with the original")
	}
	m.ClearMasks()
	if _, ok := m.TileMask(1); ok {
		t.Error("ClearMasks kept the tile structure")
	}
	// The finer mask trains on the block path like on the dense path.
	train, _ := synth(t)
	d := c.Clone()
	d.tiles = nil
	cfg := Config{Epochs: 1, BatchSize: 50, Seed: 2}
	c.MaskMode, d.MaskMode = MaskHard, MaskHard
	if _, err := c.Train(context.Background(), train, cfg, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Train(context.Background(), train, cfg, nil); err != nil {
		t.Fatal(err)
	}
	for i, v := range c.W[0] {
		if !inner[i] && v != 0 {
			t.Fatalf("weight %d outside the finer mask is %v", i, v)
		}
		if math.Abs(float64(v-d.W[0][i])) > 1e-5 {
			t.Fatalf("weight %d: blocks %v, dense %v", i, v, d.W[0][i])
		}
	}
}

func TestSetTileMaskErrors(t *testing.T) {
	m, _ := New(ModelConfig{Sizes: []int{10, 20, 3}, Seed: 1})
	cases := []struct {
		name string
		l    int
		tm   TileMask
	}{
		{"no layer", 5, TileMask{K: 4, Keep: make([]bool, 15)}},
		{"zero K", 0, TileMask{K: 0}},
		{"keep length", 0, TileMask{K: 4, Keep: make([]bool, 14)}},
		{"row order length", 0, TileMask{K: 4, Keep: make([]bool, 15), RowOrder: []int{1, 0}}},
		{"column order not a permutation", 0, TileMask{K: 4, Keep: make([]bool, 15), ColOrder: []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 8}}},
	}
	for _, c := range cases {
		if err := m.SetTileMask(c.l, c.tm); err == nil {
			t.Errorf("%s: no error", c.name)
		}
	}
}

// TestTileStepAllocs: a training batch on the block path allocates nothing.
func TestTileStepAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	train, _ := synth(t)
	m, _ := New(ModelConfig{Sizes: []int{64, 100, 10}, Seed: 1, Bias: true})
	m.MaskMode = MaskHard
	for l, tm := range randomTileMasks(m, 16, 0.3, 3) {
		if err := m.SetTileMask(l, tm); err != nil {
			t.Fatal(err)
		}
	}
	tr, err := NewTrainer(m, Config{BatchSize: 100, Threads: 1})
	if err != nil {
		t.Fatal(err)
	}
	tr.ds = train
	tr.rows = 100
	for i := range tr.idx {
		tr.idx[i] = i
	}
	tr.beginBlocks()
	if tr.block(0) == nil {
		t.Fatal("layer 0 is not on the block path")
	}
	if n := testing.AllocsPerRun(20, func() { tr.step() }); n != 0 {
		t.Errorf("%v allocations per batch", n)
	}
}

// TestDenseTrainingThreads: the dense path gives the same bits for
// GOMAXPROCS and thread counts 1, 2, 3 and 7.
func TestDenseTrainingThreads(t *testing.T) {
	train, _ := synth(t)
	var first *MLP
	for _, procs := range []int{1, 2, 3, 7} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			m, _ := New(ModelConfig{Sizes: []int{64, 150, 70, 10}, Seed: 4, Bias: true})
			if _, err := m.Train(context.Background(), train, Config{Epochs: 2, BatchSize: 128, Seed: 2, Threads: procs}, nil); err != nil {
				t.Fatal(err)
			}
			if first == nil {
				first = m
			} else if !weightsEqual(first, m) {
				t.Errorf("GOMAXPROCS and threads %d give other weights than 1", procs)
			}
		}()
	}
}

// TestTileMaskNothingKept: a layer with no kept tile trains (its outputs
// are zero) and its weights stay zero.
func TestTileMaskNothingKept(t *testing.T) {
	train, _ := synth(t)
	m, _ := New(ModelConfig{Sizes: []int{64, 40, 10}, Seed: 1})
	m.MaskMode = MaskHard
	if err := m.SetTileMask(0, TileMask{K: 16, Keep: make([]bool, 3*4)}); err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), train, Config{Epochs: 1, BatchSize: 100}, nil); err != nil {
		t.Fatal(err)
	}
	if n := m.NonZero(0); n != 0 {
		t.Errorf("%d weights of a layer without tiles are non-zero", n)
	}
}
