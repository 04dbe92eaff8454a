package nn

import (
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// blockState is the training state of a layer trained on its kept tiles
// only. During an epoch the weights and the momentum live here, in tile
// order (rows by RowOrder, columns by ColOrder), so that every tile is a
// contiguous block of a row-major matrix; the MLP's weights and the
// trainer's momentum are written back at the end of the epoch. Activations
// and gradients stay in natural order: the block products read and write
// them through the orders while they pack their operands.
type blockState struct {
	b      *blockLayer
	wp, vp []float32 // weights and momentum, out x in, tile order (kept tiles only)
	mp     []float32 // the element mask, tile order (kept tiles only)
	exact  bool      // the element mask is the tile mask: mp is all ones
}

// beginBlocks decides which layers train on their kept tiles this epoch
// and moves their weights and momentum into tile order.
func (t *Trainer) beginBlocks() {
	defer t.beginSparse()
	m := t.m
	L := m.Layers()
	if t.blocks == nil {
		t.blocks = make([]*blockState, L)
	}
	for l := 0; l < L; l++ {
		var b *blockLayer
		if m.tiles != nil && m.MaskMode == MaskHard && t.cfg.Optimizer == SGD && m.masks != nil && m.masks[l] != nil {
			b = m.tiles[l]
		}
		if b != nil && (t.denseOnly || float64(b.kept) > maxBlockDensity*float64(len(m.W[l]))) {
			b = nil
		}
		if b == nil {
			if t.blocks[l] != nil {
				t.blocks[l].b = nil
			}
			continue
		}
		s := t.blocks[l]
		if s == nil {
			n := len(m.W[l])
			s = &blockState{wp: make([]float32, n), vp: make([]float32, n), mp: make([]float32, n)}
			t.blocks[l] = s
		}
		s.b = b
		s.exact = true
		for i, k := range m.masks[l] {
			if (k != 0) != b.mask[i] {
				s.exact = false
				break
			}
		}
		b.permute(s.wp, m.W[l])
		b.permute(s.vp, t.vel[l])
		b.permute(s.mp, m.masks[l])
		// A hard mask holds: weights and momentum outside the mask are zero.
		for _, x := range b.pairs {
			r0, r1, c0, c1 := b.tile(x)
			for p := r0; p < r1; p++ {
				w := s.wp[p*b.cols+c0 : p*b.cols+c1]
				v := s.vp[p*b.cols+c0 : p*b.cols+c1]
				k := s.mp[p*b.cols+c0 : p*b.cols+c1]
				for q := range w {
					w[q] *= k[q]
					v[q] *= k[q]
				}
			}
		}
	}
}

// sparseState holds the sparse products of a layer whose hard mask keeps
// few weights (gemm.SparseWins) but has no tile structure: the forward
// product and the input gradient skip the masked weights; the weight
// gradient stays dense (and masked).
type sparseState struct {
	fwd *gemm.CSR // W's kept entries, out x in
	bwd *gemm.CSR // the same entries of Wᵀ, in x out
}

// beginSparse chooses the layers trained with sparse products this epoch:
// hard masks, not on the block path, density where the sparse product
// wins. Their structure comes from the mask; the values are loaded from
// the weights before every product.
func (t *Trainer) beginSparse() {
	m := t.m
	L := m.Layers()
	if t.sparse == nil {
		t.sparse = make([]*sparseState, L)
	}
	for l := 0; l < L; l++ {
		t.sparse[l] = nil
		if t.denseOnly || m.MaskMode != MaskHard || m.masks == nil || m.masks[l] == nil || t.block(l) != nil {
			continue
		}
		mask := m.masks[l]
		kept := 0
		for _, k := range mask {
			if k != 0 {
				kept++
			}
		}
		if !gemm.SparseWins(float64(kept) / float64(len(mask))) {
			continue
		}
		ni, no := m.In(l), m.Out(l)
		t.sparse[l] = &sparseState{
			fwd: gemm.NewCSR(no, ni, func(o, i int) bool { return mask[o*ni+i] != 0 }),
			bwd: gemm.NewCSR(ni, no, func(i, o int) bool { return mask[o*ni+i] != 0 }),
		}
	}
}

// sparseLayer returns layer l's sparse products, nil when it trains dense.
func (t *Trainer) sparseLayer(l int) *sparseState {
	if t.sparse == nil {
		return nil
	}
	return t.sparse[l]
}

// endBlocks writes the weights and momentum of the block layers back in
// natural order (zero outside the kept tiles).
func (t *Trainer) endBlocks() {
	for l, s := range t.blocks {
		if s == nil || s.b == nil {
			continue
		}
		s.b.unpermute(t.m.W[l], s.wp)
		s.b.unpermute(t.vel[l], s.vp)
	}
}

// block returns layer l's block state when it trains on its kept tiles.
func (t *Trainer) block(l int) *blockState {
	if t.blocks == nil || t.blocks[l] == nil || t.blocks[l].b == nil {
		return nil
	}
	return t.blocks[l]
}

// tile returns the rows [r0, r1) and columns [c0, c1) of kept tile x in
// tile order.
func (b *blockLayer) tile(x [2]int) (r0, r1, c0, c1 int) {
	return b.bwd.KEdges[x[0]], b.bwd.KEdges[x[0]+1], b.bwd.NEdges[x[1]], b.bwd.NEdges[x[1]+1]
}

// blockForward computes layer l's pre-activations into acts[l+1] from its
// kept tiles.
func (t *Trainer) blockForward(s *blockState, l, R int) {
	m := t.m
	ni, no := m.In(l), m.Out(l)
	gemm.SgemmBlocks(true, R, t.acts[l], ni, s.wp, ni, t.acts[l+1], no, &s.b.fwd)
}

// blockBackward computes, from the gradient at layer l's pre-activation
// (deltas[l]), the gradient at its input (into deltas[l-1], when l > 0)
// and the momentum vel = momentum*vel + dᵀ·a/R on the kept tiles.
func (t *Trainer) blockBackward(s *blockState, l, R int, inv float32) {
	m := t.m
	ni, no := m.In(l), m.Out(l)
	d := t.deltas[l]
	if l > 0 {
		gemm.SgemmBlocks(false, R, d, no, s.wp, ni, t.deltas[l-1], ni, &s.b.bwd)
	}
	gemm.SgemmBlocksInto(true, false, R, inv, d, no, t.acts[l], ni, float32(t.cfg.Momentum), s.vp, ni, &s.b.bwd)
}

// updateBlocks is the dense update with the mask, on kept tiles [lo, hi)
// of layer l only.
func (t *Trainer) updateBlocks(l, lo, hi int) {
	s := t.blocks[l]
	b := s.b
	lr := t.lr
	wd := float32(t.cfg.WeightDecay)
	for x := lo; x < hi; x++ {
		r0, r1, c0, c1 := b.tile(b.pairs[x])
		for p := r0; p < r1; p++ {
			w := s.wp[p*b.cols+c0 : p*b.cols+c1]
			v := s.vp[p*b.cols+c0 : p*b.cols+c1]
			k := s.mp[p*b.cols+c0 : p*b.cols+c1]
			v, k = v[:len(w)], k[:len(w)]
			if s.exact && wd == 0 {
				// As the dense update without mask or decay.
				for i := range w {
					w[i] -= lr * v[i]
				}
				continue
			}
			if s.exact {
				// Multiplying by a mask of ones changes no bit.
				for i := range w {
					vi := v[i] + wd*w[i]
					v[i] = vi
					w[i] -= lr * vi
				}
				continue
			}
			for i := range w {
				vi := (v[i] + wd*w[i]) * k[i]
				v[i] = vi
				w[i] = (w[i] - lr*vi) * k[i]
			}
		}
	}
}
