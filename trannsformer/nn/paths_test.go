package nn_test

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// pathRecipe is a small training run that exercises one family of the
// gemm products: dense Sgemm (with k split in k blocks: 144 inputs and
// batches above 128), the element-sparse SpmmT, the block-sparse
// SgemmBlocks and SgemmBlocksInto.
type pathRecipe struct {
	name  string
	model nn.ModelConfig
	cfg   nn.Config
	setup func(m *nn.MLP) error
}

func pathRecipes() []pathRecipe {
	sizes := []int{144, 40, 10}
	return []pathRecipe{
		{name: "dense-sgd", model: nn.ModelConfig{Sizes: sizes, Seed: 1},
			cfg: nn.Config{Epochs: 3, BatchSize: 200, Seed: 2}},
		{name: "dense-adam-ce-bias", model: nn.ModelConfig{Sizes: sizes, Seed: 3, Bias: true, OutputLinear: true},
			cfg: nn.Config{Epochs: 3, BatchSize: 150, Seed: 4, Loss: nn.CrossEntropy, Optimizer: nn.Adam, WeightDecay: 1e-4}},
		{name: "element-mask", model: nn.ModelConfig{Sizes: sizes, Seed: 5},
			cfg: nn.Config{Epochs: 3, BatchSize: 200, Seed: 6},
			setup: func(m *nn.MLP) error {
				// 10% of layer 0's weights: below gemm.SparseWins, so SpmmT.
				rng := rand.New(rand.NewPCG(7, 8))
				keep := make([]bool, len(m.W[0]))
				for i := range keep {
					keep[i] = rng.Float64() < 0.1
				}
				m.MaskMode = nn.MaskHard
				return m.SetMask(0, keep)
			}},
		{name: "tile-mask", model: nn.ModelConfig{Sizes: sizes, Seed: 9},
			cfg: nn.Config{Epochs: 3, BatchSize: 200, Seed: 10},
			setup: func(m *nn.MLP) error {
				// 16x16 tiles of layer 0 in shuffled orders, a third kept:
				// the block-sparse products.
				rng := rand.New(rand.NewPCG(11, 12))
				const k = 16
				rows, cols := (40+k-1)/k, (144+k-1)/k
				tm := nn.TileMask{K: k, RowOrder: rng.Perm(40), ColOrder: rng.Perm(144), Keep: make([]bool, rows*cols)}
				for i := range tm.Keep {
					tm.Keep[i] = rng.Float64() < 0.33
				}
				m.MaskMode = nn.MaskHard
				return m.SetTileMask(0, tm)
			}},
	}
}

// trainDigest trains recipe r on the synthetic set and returns a digest of
// the weights and biases it ends with.
func trainDigest(t *testing.T, r pathRecipe) string {
	t.Helper()
	train := data.Synthetic(data.SyntheticConfig{N: 600, Side: 12, Seed: 13})
	m, err := nn.New(r.model)
	if err != nil {
		t.Fatal(err)
	}
	if r.setup != nil {
		if err := r.setup(m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := m.Train(context.Background(), train, r.cfg, nil); err != nil {
		t.Fatal(err)
	}
	h := sha256.New()
	var buf [4]byte
	for _, ws := range [][][]float32{m.W, m.B} {
		for _, w := range ws {
			for _, v := range w {
				if math.IsNaN(float64(v)) {
					t.Fatalf("%s: NaN weight", r.name)
				}
				binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
				h.Write(buf[:])
			}
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

// pinnedDigests are the digests of every recipe's weights, as trained by
// the amd64 build (GOAMD64=v1 and v3 agree) before the paths were unified.
var pinnedDigests = map[string]string{
	"dense-sgd":          "03458910be04551ada6247bb",
	"dense-adam-ce-bias": "4e9d6ae2d59231ea2fdec5c9",
	"element-mask":       "8b31e864902f33c95a2f20a8",
	"tile-mask":          "7fe267d18d059df2ab6e73e9",
}

// TestTrainingSameOnEveryPath trains each recipe on every gemm path this
// CPU runs (AVX-512, AVX2, pure Go) and requires bit-identical weights;
// then, on the default path, with GOMAXPROCS 1, 2, 3 and 7 (the trainer's
// threads follow it).
func TestTrainingSameOnEveryPath(t *testing.T) {
	defer func() {
		if err := gemm.SetPath(""); err != nil {
			t.Error(err)
		}
	}()
	paths := gemm.Paths()
	t.Logf("paths on this CPU: %v", paths)
	for _, r := range pathRecipes() {
		t.Run(r.name, func(t *testing.T) {
			var want string
			for _, p := range paths {
				if err := gemm.SetPath(p); err != nil {
					t.Fatal(err)
				}
				got := trainDigest(t, r)
				t.Logf("%s: %s", p, got)
				if want == "" {
					want = got
				} else if got != want {
					t.Errorf("path %s: weights %s, path %s: %s", p, got, paths[0], want)
				}
			}
			// The weights are those of the amd64 AVX-512 build the committed
			// results came from, whatever this build's GOARCH, GOAMD64 or
			// path: a compiler that fused a product into an addition would
			// show here.
			if pin, ok := pinnedDigests[r.name]; !ok || want != pin {
				t.Errorf("weights %s, want %s (the pinned digest)", want, pin)
			}
			if err := gemm.SetPath(""); err != nil {
				t.Fatal(err)
			}
			procs := []int{1, 2, 3, 7}
			if testing.Short() {
				procs = []int{1, 3}
			}
			for _, n := range procs {
				func() {
					defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n))
					if got := trainDigest(t, r); got != want {
						t.Errorf("GOMAXPROCS %d: weights %s, want %s", n, got, want)
					}
				}()
			}
		})
	}
}
