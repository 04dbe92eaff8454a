package nn

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"runtime"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// tileDigestRecipe is a training run on the block-sparse path whose final
// weights, biases and momentum are pinned bit for bit.
type tileDigestRecipe struct {
	name  string
	model ModelConfig
	cfg   Config
	k     int
	keep  float64
	// natural: no row or column orders; finer: a mask within the kept
	// tiles (not exact); hook: between epochs the mask gets finer (the
	// tile structure stays, the weights move in and out of tile order).
	natural, finer, hook bool
	// side, when not 0, trains on a synthetic set of side x side images
	// (1200 samples) instead of synth's.
	side int
}

func tileDigestRecipes() []tileDigestRecipe {
	return []tileDigestRecipe{
		{name: "shuffled", model: ModelConfig{Sizes: []int{64, 160, 120, 10}, Seed: 21, InitScale: 0.1},
			cfg: Config{Epochs: 3, BatchSize: 150, Seed: 22}, k: 16, keep: 0.3},
		{name: "natural-bias-decay", model: ModelConfig{Sizes: []int{64, 130, 10}, Seed: 23, Bias: true, InitScale: 0.1},
			cfg: Config{Epochs: 2, BatchSize: 200, Seed: 24, WeightDecay: 1e-3}, k: 12, keep: 0.25, natural: true},
		{name: "finer-decay-dropout", model: ModelConfig{Sizes: []int{64, 160, 96, 10}, Seed: 25, InitScale: 0.1},
			cfg: Config{Epochs: 2, BatchSize: 130, Seed: 26, WeightDecay: 1e-4, InputDropout: 0.1}, k: 32, keep: 0.4, finer: true},
		{name: "finer-no-decay-hook", model: ModelConfig{Sizes: []int{64, 200, 10}, Seed: 27, Bias: true, InitScale: 0.1},
			cfg: Config{Epochs: 3, BatchSize: 100, Seed: 28, Momentum: 0.9}, k: 20, keep: 0.35, finer: true, hook: true},
		{name: "no-momentum-odd-batch", model: ModelConfig{Sizes: []int{64, 120, 72, 10}, Seed: 29, InitScale: 0.1},
			cfg: Config{Epochs: 2, BatchSize: 77, Seed: 30, Momentum: -1, Dropout: -1}, k: 24, keep: 0.3},
		// Large enough for the products and the update to split over
		// goroutines, with batches above gemm's k block.
		{name: "large-64", model: ModelConfig{Sizes: []int{256, 768, 640, 10}, Seed: 31, InitScale: 0.1},
			cfg: Config{Epochs: 2, BatchSize: 300, Seed: 32, WeightDecay: 1e-4}, k: 64, keep: 0.2, side: 16},
		// Output rows in more than one tile (a shuffled RowOrder on the
		// output layer), with and without biases.
		{name: "small-tiles-bias", model: ModelConfig{Sizes: []int{64, 48, 40, 10}, Seed: 37, Bias: true, InitScale: 0.1},
			cfg: Config{Epochs: 2, BatchSize: 60, Seed: 38}, k: 4, keep: 0.3},
		{name: "small-tiles", model: ModelConfig{Sizes: []int{64, 48, 40, 10}, Seed: 39, InitScale: 0.1},
			cfg: Config{Epochs: 2, BatchSize: 60, Seed: 40, Dropout: 0.3}, k: 4, keep: 0.3},
		{name: "large-64-finer", model: ModelConfig{Sizes: []int{256, 768, 640, 10}, Seed: 33, InitScale: 0.1},
			cfg: Config{Epochs: 2, BatchSize: 250, Seed: 34}, k: 64, keep: 0.15, side: 16, finer: true},
	}
}

// finerMask returns b's mask with every third kept entry (from offset)
// dropped.
func finerMask(b *blockLayer, offset int) []bool {
	out := append([]bool(nil), b.mask...)
	n := offset
	for i, k := range out {
		if k {
			if n%3 == 0 {
				out[i] = false
			}
			n++
		}
	}
	return out
}

// tileDigest trains recipe r with threads trainer threads and returns a
// digest of the weights, biases and the trainer's momentum.
func tileDigest(t *testing.T, r tileDigestRecipe, threads int) string {
	t.Helper()
	train, _ := synth(t)
	if r.side > 0 {
		train = data.Synthetic(data.SyntheticConfig{N: 1200, Side: r.side, Seed: 35})
	}
	m, err := New(r.model)
	if err != nil {
		t.Fatal(err)
	}
	m.MaskMode = MaskHard
	tms := randomTileMasks(m, r.k, r.keep, 31)
	for l, tm := range tms {
		if r.natural {
			tm.RowOrder, tm.ColOrder = nil, nil
		}
		if err := m.SetTileMask(l, tm); err != nil {
			t.Fatal(err)
		}
		if r.finer {
			if err := m.SetMask(l, finerMask(m.tiles[l], l)); err != nil {
				t.Fatal(err)
			}
		}
	}
	cfg := r.cfg
	cfg.Threads = threads
	if r.hook {
		cfg.EpochEnd = func(m *MLP, st EpochStats) error {
			for l := range m.W {
				keep := make([]bool, len(m.W[l]))
				for i, v := range m.W[l] {
					keep[i] = v != 0 && (i+st.Epoch)%5 != 0
				}
				if err := m.SetMask(l, keep); err != nil {
					return err
				}
			}
			return nil
		}
	}
	tr, err := NewTrainer(m, cfg)
	if err != nil {
		t.Fatal(err)
	}
	for e := 0; e < cfg.Epochs; e++ {
		if _, err := tr.TrainEpoch(context.Background(), train, nil); err != nil {
			t.Fatal(err)
		}
		if tr.block(0) == nil {
			t.Fatal("layer 0 is not on the block path")
		}
		if !r.model.Bias && len(r.model.Sizes) > 3 && tr.link(0) == nil {
			t.Fatal("hidden layer 0 does not link two block layers")
		}
	}
	for l := range m.W {
		tr.flushVel(l) // the momentum in natural order
	}
	h := sha256.New()
	var buf [4]byte
	for _, ws := range [][][]float32{m.W, m.B, tr.vel, tr.bvel} {
		for _, w := range ws {
			for _, v := range w {
				if math.IsNaN(float64(v)) {
					t.Fatalf("%s: NaN", r.name)
				}
				binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
				h.Write(buf[:])
			}
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

// pinnedTileDigests are the digests of tileDigestRecipes as trained by the
// block-sparse path before its data movement was optimised: any change to
// that path must leave every bit of the weights and the momentum as it was.
var pinnedTileDigests = map[string]string{
	"shuffled":              "dc8ae4ef84f866b1b0e8eb8d",
	"natural-bias-decay":    "0d30912350f704107b008b4b",
	"finer-decay-dropout":   "813adb567e962f050588a81f",
	"finer-no-decay-hook":   "ad993cf79b14c4a22ddfaf6b",
	"no-momentum-odd-batch": "df03ebd4f863aa36fe6ccbd7",
	"large-64":              "cdeff255372efb743fc06e27",
	"small-tiles-bias":      "4727173e5193112ff91fd004",
	"small-tiles":           "8fba405f0ab2373ef94eab64",
	"large-64-finer":        "8ccf3761f2456ba93d1ad4b5",
}

// TestTileTrainingPinned trains every tile recipe on every gemm path of
// this CPU, then with 1, 2, 3 and 7 threads (and as many goroutines), and
// requires the pinned bits.
func TestTileTrainingPinned(t *testing.T) {
	defer func() {
		if err := gemm.SetPath(""); err != nil {
			t.Error(err)
		}
	}()
	procs := []int{1, 2, 3, 7}
	if testing.Short() {
		procs = []int{1, 3}
	}
	for _, r := range tileDigestRecipes() {
		t.Run(r.name, func(t *testing.T) {
			for _, p := range gemm.Paths() {
				if err := gemm.SetPath(p); err != nil {
					t.Fatal(err)
				}
				if got, pin := tileDigest(t, r, 2), pinnedTileDigests[r.name]; got != pin {
					t.Errorf("path %s: digest %s, want %s", p, got, pin)
				}
			}
			if err := gemm.SetPath(""); err != nil {
				t.Fatal(err)
			}
			for _, n := range procs {
				func() {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n))
					got := tileDigest(t, r, n)
					if pin, ok := pinnedTileDigests[r.name]; !ok || got != pin {
						t.Errorf("threads %d: digest %s, want %s", n, got, pin)
					}
				}()
			}
		})
	}
}
