package trannsformer

import (
	"context"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/nn"
)

func TestTileLayoutMask(t *testing.T) {
	// A 5x6 layer in 4x4 tiles: 2 tile rows, 2 tile columns.
	tests := []struct {
		name     string
		rowOrder []int
		colOrder []int
		keep     []bool
		// kept cells per row, as input indices
		want [][]int
	}{
		{"natural, first tile", nil, nil, []bool{true, false, false, false},
			[][]int{{0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}, {}}},
		{"natural, last tile", nil, nil, []bool{false, false, false, true},
			[][]int{{}, {}, {}, {}, {4, 5}}},
		{"reversed columns", nil, []int{5, 4, 3, 2, 1, 0}, []bool{true, false, false, false},
			[][]int{{2, 3, 4, 5}, {2, 3, 4, 5}, {2, 3, 4, 5}, {2, 3, 4, 5}, {}}},
		{"permuted rows", []int{4, 0, 1, 2, 3}, nil, []bool{false, false, true, true},
			[][]int{{}, {}, {}, {0, 1, 2, 3, 4, 5}, {}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lay, err := NewTileLayout(5, 6, 4, tt.rowOrder, tt.colOrder)
			if err != nil {
				t.Fatal(err)
			}
			if lay.Tiles() != 4 {
				t.Fatalf("%d tiles, want 4", lay.Tiles())
			}
			copy(lay.Keep, tt.keep)
			mask := lay.Mask()
			for o := 0; o < 5; o++ {
				var got []int
				for i := 0; i < 6; i++ {
					if mask[o*6+i] {
						got = append(got, i)
					}
				}
				if !slices.Equal(got, tt.want[o]) && !(len(got) == 0 && len(tt.want[o]) == 0) {
					t.Errorf("row %d keeps %v, want %v", o, got, tt.want[o])
				}
			}
		})
	}
	if _, err := NewTileLayout(3, 3, 2, []int{0, 0, 1}, nil); err == nil {
		t.Error("a repeated index is not a permutation")
	}
	if _, err := NewTileLayout(3, 3, 0, nil, nil); err == nil {
		t.Error("crossbar size 0 accepted")
	}
}

func TestTileLayoutKeepTop(t *testing.T) {
	lay, _ := NewTileLayout(4, 4, 2, nil, nil)
	w := []float32{
		1, 1, 0, 0,
		1, 1, 0, 0.5,
		0, 0, 3, 3,
		0, -2, 3, 3,
	}
	s := lay.Scores(w)
	if want := []float64{4, 0.5, 2, 12}; !slices.Equal(s, want) {
		t.Fatalf("scores %v, want %v", s, want)
	}
	lay.KeepTop(s, 2)
	if want := []bool{true, false, false, true}; !slices.Equal(lay.Keep, want) {
		t.Errorf("keep %v, want %v", lay.Keep, want)
	}
	if got := lay.Captured(w, 2); got < 0.86 || got > 0.87 {
		t.Errorf("captured %v, want 16/18.5", got)
	}
	lay.KeepTop(s, 0)
	if lay.Kept() != 1 {
		t.Errorf("KeepTop(0) keeps %d tiles, want at least 1", lay.Kept())
	}
}

// plantedWeights hides b dense k x k blocks of large weights in an
// r x c matrix of small noise, under random row and column permutations.
func plantedWeights(r, c, k, b int, seed uint64) []float32 {
	rng := rand.New(rand.NewPCG(seed, 1))
	rp, cp := rng.Perm(r), rng.Perm(c)
	w := make([]float32, r*c)
	for i := range w {
		w[i] = float32(rng.NormFloat64() * 0.01)
	}
	for n := 0; n < b; n++ {
		for o := n * k; o < (n+1)*k; o++ {
			for i := n * k; i < (n+1)*k; i++ {
				w[rp[o]*c+cp[i]] = float32(1 + rng.Float64())
			}
		}
	}
	return w
}

func TestGatherLayoutPlanted(t *testing.T) {
	const r, c, k, b = 128, 160, 16, 6
	w := plantedWeights(r, c, k, b, 5)
	natural, _ := NewTileLayout(r, c, k, nil, nil)
	lay, err := GatherLayout(context.Background(), w, r, c, k, 0.1, 1)
	if err != nil {
		t.Fatal(err)
	}
	before, gathered := natural.Captured(w, b), lay.Captured(w, b)
	after := lay.Refine(w, b, 10)
	t.Logf("mass in the best %d tiles: natural order %.3f, gathered %.3f, refined %.3f", b, before, gathered, after)
	if after < gathered {
		t.Errorf("Refine lowered the mass from %.3f to %.3f", gathered, after)
	}
	if after < 0.9 {
		t.Errorf("the gathered order holds %.3f of the mass in %d tiles, want >= 0.9", after, b)
	}
	if after <= before {
		t.Errorf("gathering did not help: %.3f <= %.3f", after, before)
	}
	if !isPerm(lay.RowOrder, r) || !isPerm(lay.ColOrder, c) {
		t.Error("orders are not permutations")
	}
}

func isPerm(p []int, n int) bool {
	if len(p) != n {
		return false
	}
	s := slices.Clone(p)
	slices.Sort(s)
	for i, v := range s {
		if v != i {
			return false
		}
	}
	return true
}

func BenchmarkGatherLayout(b *testing.B) {
	w := plantedWeights(512, 512, 64, 6, 5)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := GatherLayout(context.Background(), w, 512, 512, 64, 0.1, 1); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTileScores(b *testing.B) {
	w := plantedWeights(1200, 1200, 64, 6, 5)
	lay, _ := NewTileLayout(1200, 1200, 64, nil, nil)
	b.ReportAllocs()
	for b.Loop() {
		lay.Scores(w)
	}
}

// TestApplyTilesSetsTileMasks: ApplyTiles hands the tile structure to nn,
// so that training runs on the kept tiles, with the same element mask as
// the layout's.
func TestApplyTilesSetsTileMasks(t *testing.T) {
	m, err := nn.New(nn.ModelConfig{Sizes: []int{20, 30, 10}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(1, 2))
	var layouts []*TileLayout
	for l := 0; l < m.Layers(); l++ {
		lay, err := NewTileLayout(m.Out(l), m.In(l), 8, r.Perm(m.Out(l)), r.Perm(m.In(l)))
		if err != nil {
			t.Fatal(err)
		}
		for i := range lay.Keep {
			lay.Keep[i] = i%3 == 0
		}
		layouts = append(layouts, lay)
	}
	if err := ApplyTiles(m, layouts); err != nil {
		t.Fatal(err)
	}
	for l, lay := range layouts {
		if _, ok := m.TileMask(l); !ok {
			t.Errorf("layer %d has no tile structure", l)
		}
		if !slices.Equal(m.Mask(l), lay.Mask()) {
			t.Errorf("layer %d mask differs from the layout's", l)
		}
	}
	if m.MaskMode != nn.MaskHard {
		t.Error("ApplyTiles did not set hard masks")
	}
}
