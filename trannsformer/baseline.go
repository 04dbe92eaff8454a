package trannsformer

import (
	"context"
	"fmt"
	"math"

	"github.com/trannsformer/gotrann/trannsformer/nn"
	"github.com/trannsformer/gotrann/trannsformer/prune"
)

// TilePruneResult describes the one-shot tile-pruning baseline's choice.
type TilePruneResult struct {
	Layouts []*TileLayout
	// Joint reports whether the hidden units were regrouped jointly across
	// the two matrices they touch (else each layer was ordered alone).
	Joint bool
	// Captured is the fraction of the weight mass (L1) inside the kept
	// tiles, over every layer, of the chosen ordering; CapturedOther that
	// of the ordering not chosen.
	Captured, CapturedOther float64
	// Cleaned is the number of weights the function-preserving cleanup
	// removed after the tiles were kept.
	Cleaned int
}

// TilePruneStrong is the tile-pruning baseline at its strongest: two
// orderings are built for every layer and the one whose kept tiles hold
// more of the network's weight mass is used.
//
//   - independent: each layer ordered alone (GatherLayout and Refine, as
//     TilePrune);
//   - joint: every hidden unit gets one position, used both as the row of
//     the matrix it is an output of and as the column of the matrix it is
//     an input of: the rows of [|W_in| |W_outᵀ|] (its input weights next
//     to its output weights) are co-clustered by GatherLayout; the pixels
//     and the output units keep the independent order.
//
// The fraction keep[l] of the K x K tiles of largest L1 norm is kept with
// hard masks, and the function-preserving cleanup (prune.Cleanup: a hidden
// unit with no input or no output weight loses its other side, to a fixed
// point) removes what can no longer matter. ks gives the crossbar size per
// layer.
func TilePruneStrong(ctx context.Context, m *nn.MLP, ks []int, keep []float64, seed uint64) (*TilePruneResult, error) {
	L := m.Layers()
	if len(ks) != L || len(keep) != L {
		return nil, fmt.Errorf("trannsformer: %d crossbar sizes and %d fractions for %d layers", len(ks), len(keep), L)
	}
	n := make([]int, L)
	for l := range n {
		tiles := ((m.Out(l) + ks[l] - 1) / ks[l]) * ((m.In(l) + ks[l] - 1) / ks[l])
		n[l] = max(1, int(math.Round(keep[l]*float64(tiles))))
	}
	indep := make([]*TileLayout, L)
	for l := range indep {
		t, err := gatherRefined(ctx, m.W[l], m.Out(l), m.In(l), ks[l], n[l], seed+uint64(l))
		if err != nil {
			return nil, fmt.Errorf("trannsformer: layer %d: %w", l, err)
		}
		indep[l] = t
	}
	// Joint hidden orders.
	hidden := make([][]int, L+1) // hidden[h]: order of the units of layer h (1..L-1)
	for h := 1; h < L; h++ {
		in, out := h-1, h
		nh, a, b := m.Out(in), m.In(in), m.Out(out)
		cols := a + b
		w := make([]float32, nh*cols)
		for j := 0; j < nh; j++ {
			copy(w[j*cols:j*cols+a], m.W[in][j*a:(j+1)*a])
			for o := 0; o < b; o++ {
				w[j*cols+a+o] = m.W[out][o*nh+j]
			}
		}
		density := math.Min(0.3, float64(n[in]*ks[in]*ks[in]+n[out]*ks[out]*ks[out])/float64(nh*cols))
		t, err := GatherLayout(ctx, w, nh, cols, ks[in], density, seed+uint64(100+h))
		if err != nil {
			return nil, fmt.Errorf("trannsformer: hidden layer %d: %w", h, err)
		}
		hidden[h] = t.RowOrder
	}
	joint := make([]*TileLayout, L)
	for l := range joint {
		rows, cols := indep[l].RowOrder, indep[l].ColOrder
		if l+1 < L {
			rows = hidden[l+1]
		}
		if l > 0 {
			cols = hidden[l]
		}
		t, err := NewTileLayout(m.Out(l), m.In(l), ks[l], rows, cols)
		if err != nil {
			return nil, err
		}
		t.KeepTop(t.Scores(m.W[l]), n[l])
		joint[l] = t
	}
	captured := func(ls []*TileLayout) float64 {
		got, tot := 0.0, 0.0
		for l, t := range ls {
			mass := 0.0
			for _, v := range m.W[l] {
				mass += math.Abs(float64(v))
			}
			got += t.Captured(m.W[l], n[l]) * mass
			tot += mass
		}
		if tot == 0 {
			return 0
		}
		return got / tot
	}
	res := &TilePruneResult{Layouts: indep, Captured: captured(indep), CapturedOther: captured(joint)}
	if res.CapturedOther > res.Captured {
		res.Layouts, res.Joint = joint, true
		res.Captured, res.CapturedOther = res.CapturedOther, res.Captured
	}
	if err := ApplyTiles(m, res.Layouts); err != nil {
		return nil, err
	}
	cl, err := prune.Cleanup(m)
	if err != nil {
		return nil, err
	}
	res.Cleaned = cl
	return res, nil
}
