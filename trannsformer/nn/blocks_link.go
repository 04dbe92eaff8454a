package nn

import (
	"unsafe"

	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// blockLink joins two block layers through a hidden layer h (the output
// of layer h, the input of layer h+1) when the network has no biases: the
// element-wise passes then go straight from one layer's tile order to the
// other's, one pass per batch and direction, without the natural order in
// between. Every element gets the same operations as on the natural path
// (ReLU, dropout drawn by its natural position, the gradient gate), so the
// bits are those of that path.
type blockLink struct {
	// fwd[i]: where the pre-activation of unit unit[i] (the unit at
	// position i of layer h+1's ColOrder) sits in layer h's output.
	fwd, unit perm
	// bwd[p]: where the unit at position p of layer h's output (its
	// RowOrder) sits in layer h+1's ColOrder.
	bwd    perm
	lo, hi *blockLayer // the structures it was built for
}

// link returns the link through hidden layer h, nil when there is none.
func (t *Trainer) link(h int) *blockLink {
	if t.links == nil {
		return nil
	}
	return t.links[h]
}

// beginLinks builds the links of this epoch (after beginBlocks).
func (t *Trainer) beginLinks() {
	m := t.m
	L := m.Layers()
	if t.links == nil {
		t.links = make([]*blockLink, L)
	}
	for h := 0; h+1 < L; h++ {
		s0, s1 := t.block(h), t.block(h+1)
		if m.B != nil || s0 == nil || s1 == nil || s1.in == nil {
			t.links[h] = nil
			continue
		}
		if k := t.links[h]; k != nil && k.lo == s0.b && k.hi == s1.b {
			continue
		}
		n := s1.b.cols
		k := &blockLink{fwd: make(perm, n), unit: s1.b.colIdx, bwd: make(perm, n), lo: s0.b, hi: s1.b}
		// pos[j]: where unit j sits in layer h's output.
		pos := make([]int32, n)
		for p := range pos {
			pos[s0.b.row(p)] = int32(p)
		}
		for i, j := range s1.b.colIdx {
			k.fwd[i] = pos[j]
		}
		// inv[j]: where unit j sits in layer h+1's ColOrder.
		inv := make([]int32, n)
		for i, j := range s1.b.colIdx {
			inv[j] = int32(i)
		}
		for p := range k.bwd {
			k.bwd[p] = inv[s0.b.row(p)]
		}
		t.links[h] = k
	}
}

// output returns where layer h's block product wrote its output.
func (s *blockState) output(t *Trainer, h int) []float32 {
	if s.out != nil {
		return s.out
	}
	return t.acts[h+1]
}

// hiddenLinked is hidden for rows [lo, hi) of hidden layer h through its
// link: ReLU and dropout from layer h's output straight into layer h+1's
// input order. The natural row of acts[h+1] at lo serves as the scratch of
// the dropout factors.
func (t *Trainer) hiddenLinked(k *blockLink, h, lo, hi int) {
	n := t.m.Out(h)
	src := t.blocks[h].output(t, h)
	dst := t.blocks[h+1].in
	p := t.cfg.Dropout
	if lo >= hi {
		return
	}
	ks := t.acts[h+1][lo*n : (lo+1)*n]
	for r := lo; r < hi; r++ {
		x := src[r*n : (r+1)*n]
		y := dst[r*n : (r+1)*n]
		if p <= 0 {
			reluGather(y, x, k.fwd)
			continue
		}
		dropoutFactors(ks, mix64(t.dropKey^(uint64(r)<<8|uint64(h+1))), p)
		// The gather, ReLU and dropout of the natural path (reluDropout)
		// in one pass.
		gemm.GatherReLUScale(y, x, ks, k.fwd, k.unit)
	}
}

// reluGather sets y[i] = max(x[fwd[i]], 0) for i < len(fwd).
func reluGather(y, x []float32, fwd perm) {
	n := len(fwd)
	y, x = y[:n], x[:n]
	xp := unsafe.Pointer(unsafe.SliceData(x))
	for i, j := range fwd {
		y[i] = max(*(*float32)(unsafe.Add(xp, uintptr(j)*4)), 0)
	}
}

// backwardLinked is backward for rows [lo, hi) of hidden layer h through
// its link: the gradient at layer h+1's input (in its ColOrder) gated by
// the units that fired, straight into layer h's RowOrder (or natural
// order, when it has none).
func (t *Trainer) backwardLinked(k *blockLink, h, lo, hi int) {
	n := t.m.Out(h)
	s0, s1 := t.blocks[h], t.blocks[h+1]
	dst := t.deltas[h]
	if s0.dout != nil {
		dst = s0.dout
	}
	scale := float32(1)
	if t.cfg.Dropout > 0 {
		scale = float32(1 / (1 - t.cfg.Dropout))
	}
	for r := lo; r < hi; r++ {
		// Read in layer h+1's order, written through the link (fwd is
		// the inverse of bwd).
		gemm.GatedScatter(dst[r*n:(r+1)*n], s1.gin[r*n:(r+1)*n], s1.in[r*n:(r+1)*n], k.fwd, scale)
	}
}

// dropoutFactors writes the factors by which reluDropout(row, key, p,
// true) multiplies the elements of a row of len(ks): k*scale with k the
// keep decision of each position, drawn exactly as reluDropout draws it
// (gemm.KeepFactors, vectorised on the AVX-512 path).
func dropoutFactors(ks []float32, key uint64, p float64) {
	gemm.KeepFactors(ks, key, uint64(p*65536+0.5), float32(1/(1-p)))
}
