package nn

import (
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// blockState is the training state of a layer trained on its kept tiles
// only. During an epoch the weights and the momentum live here, in tile
// order (rows by RowOrder, columns by ColOrder), the kept tiles only
// (blockLayer.store: each row's kept tiles side by side), so that the
// products and the update walk contiguous memory; the MLP's weights and
// the trainer's momentum are written back at the end of the epoch.
// Activations and gradients stay in natural order; the block products read
// and write copies in tile order (in, out, dout, gin: nil where the order
// is natural, and the products use the natural buffers), which the
// element-wise passes fill and read one row at a time, in cache: the
// products gather and scatter nothing.
//
// The momentum stays in tile order from one epoch to the next while the
// layer keeps its tile structure (velB): only the trainer reads it, and
// flushVel writes it back when the layer leaves the block path.
type blockState struct {
	b      *blockLayer
	wp, vp []float32 // weights and momentum in tile order, kept tiles only (blockLayer.store)
	mp     []float32 // the element mask, stored alike (not exact only)
	exact  bool      // the element mask is the tile mask: mp is all ones
	in     []float32 // the input batch, columns in ColOrder
	out    []float32 // the pre-activation, columns in RowOrder
	dout   []float32 // the gradient at the pre-activation, columns in RowOrder
	gin    []float32 // the gradient at the input, columns in ColOrder
	// velB, when not nil, is the tile structure of vp, which then holds
	// the momentum (the trainer's vel is stale).
	velB *blockLayer
	// update is updateTile on this state, made once (the weight
	// gradient's per-tile hook).
	update func(r0, r1, c0, c1 int)
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
	B := t.cfg.BatchSize
	for l := 0; l < L; l++ {
		var b *blockLayer
		if m.tiles != nil && m.MaskMode == MaskHard && t.cfg.Optimizer == SGD && m.masks != nil && m.masks[l] != nil {
			b = m.tiles[l]
		}
		if b != nil && (t.denseOnly || float64(b.kept) > maxBlockDensity*float64(len(m.W[l]))) {
			b = nil
		}
		if s := t.blocks[l]; s != nil && s.velB != nil && s.velB != b {
			t.flushVel(l)
		}
		if b == nil {
			if t.blocks[l] != nil {
				t.blocks[l].b = nil
			}
			continue
		}
		s := t.blocks[l]
		if s == nil {
			s = &blockState{}
			t.blocks[l] = s
		}
		s.b = b
		// The kept tiles only (b.store); the momentum in vp is b's when
		// velB is (flushed above otherwise).
		s.wp = resizeFloats(s.wp, true, b.kept)
		s.vp = resizeFloats(s.vp, true, b.kept)
		s.exact = true
		for i, k := range m.masks[l] {
			if (k != 0) != b.mask[i] {
				s.exact = false
				break
			}
		}
		if !s.exact {
			s.mp = resizeFloats(s.mp, true, b.kept)
		}
		s.in = resizeFloats(s.in, b.colOrder != nil, B*b.cols)
		s.gin = resizeFloats(s.gin, b.colOrder != nil && l > 0, B*b.cols)
		s.out = resizeFloats(s.out, b.rowOrder != nil, B*b.rows)
		s.dout = resizeFloats(s.dout, b.rowOrder != nil, B*b.rows)
		t.parallelRows(opBeginBlocks, l)
	}
	t.beginLinks()
}

// resizeFloats returns x with n elements when want (x itself when it is
// that long), nil otherwise.
func resizeFloats(x []float32, want bool, n int) []float32 {
	switch {
	case !want:
		return nil
	case len(x) == n:
		return x
	}
	return make([]float32, n)
}

// beginRows moves rows [lo, hi) (tile order) of layer l's weights and
// momentum into tile order: a hard mask holds, so weights and momentum
// outside the element mask are zero.
func (t *Trainer) beginRows(l, lo, hi int) {
	s := t.blocks[l]
	b := s.b
	b.permuteRows(s.wp, t.m.W[l], lo, hi)
	if s.velB == nil {
		b.permuteRows(s.vp, t.vel[l], lo, hi)
	}
	if s.exact {
		// The mask is one on every kept tile: multiplying by it changes
		// no bit.
		return
	}
	b.permuteRows(s.mp, t.m.masks[l], lo, hi)
	o0, o1 := b.cum[lo], b.cum[hi]
	w, v, k := s.wp[o0:o1], s.vp[o0:o1], s.mp[o0:o1]
	v, k = v[:len(w)], k[:len(w)]
	for q := range w {
		w[q] *= k[q]
		v[q] *= k[q]
	}
}

// endRows writes rows [lo, hi) (tile order) of layer l's weights back in
// natural order (zero outside the kept tiles).
func (t *Trainer) endRows(l, lo, hi int) {
	s := t.blocks[l]
	s.b.unpermuteRows(t.m.W[l], s.wp, lo, hi)
}

// flushVel writes layer l's momentum, held in tile order, back to the
// trainer's vel in natural order (zero outside the kept tiles).
func (t *Trainer) flushVel(l int) {
	s := t.blocks[l]
	if s == nil || s.velB == nil {
		return
	}
	s.velB.unpermuteRows(t.vel[l], s.vp, 0, s.velB.rows)
	s.velB = nil
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

// endBlocks writes the weights of the block layers back in natural order
// (zero outside the kept tiles); their momentum stays in tile order.
func (t *Trainer) endBlocks() {
	for l, s := range t.blocks {
		if s == nil || s.b == nil {
			continue
		}
		t.parallelRows(opEndBlocks, l)
		s.velB = s.b
	}
}

// block returns layer l's block state when it trains on its kept tiles.
func (t *Trainer) block(l int) *blockState {
	if t.blocks == nil || t.blocks[l] == nil || t.blocks[l].b == nil {
		return nil
	}
	return t.blocks[l]
}

// blockForward computes layer l's pre-activations into acts[l+1] from its
// kept tiles.
func (t *Trainer) blockForward(s *blockState, l, R int) {
	m := t.m
	ni, no := m.In(l), m.Out(l)
	out := t.acts[l+1]
	if s.out != nil {
		out = s.out
	}
	gemm.SgemmBlocks(true, R, s.input(t, l), ni, s.wp, ni, out, no, &s.b.fwdT)
}

// input returns layer l's input batch with its columns in ColOrder.
func (s *blockState) input(t *Trainer, l int) []float32 {
	if s.in != nil {
		return s.in
	}
	return t.acts[l]
}

// blockBackward computes, from the gradient at layer l's pre-activation
// (deltas[l]), the gradient at its input (into deltas[l-1], when l > 0)
// and the momentum vel = momentum*vel + dᵀ·a/R on the kept tiles, each
// tile followed at once by its weight update (updateTile): nothing reads
// the layer's weights any more in this batch.
func (t *Trainer) blockBackward(s *blockState, l, R int, inv float32) {
	m := t.m
	ni, no := m.In(l), m.Out(l)
	d := t.deltas[l]
	if s.dout != nil {
		d = s.dout
	}
	if l > 0 {
		gin := t.deltas[l-1]
		if s.gin != nil {
			gin = s.gin
		}
		gemm.SgemmBlocks(false, R, d, no, s.wp, ni, gin, ni, &s.b.bwdT)
	}
	if s.update == nil {
		s.update = func(r0, r1, c0, c1 int) { t.updateTile(s, r0, r1, c0, c1) }
	}
	gemm.SgemmBlocksIntoThen(true, false, R, inv, d, no, s.input(t, l), ni, float32(t.cfg.Momentum), s.vp, ni, &s.b.into, s.update)
}

// updateTile is the dense update with the mask on one kept tile of a block
// layer: rows [r0, r1) and columns [c0, c1) in tile order. The weight
// gradient calls it for each tile as soon as the tile's momentum is final
// (gemm.SgemmBlocksIntoThen), while the momentum is in cache.
func (t *Trainer) updateTile(s *blockState, r0, r1, c0, c1 int) {
	lr := t.lr
	wd := float32(t.cfg.WeightDecay)
	st := &s.b.store
	r := r0 / s.b.k
	base, ld := st.Base[r*st.Cols+c0/s.b.k], st.Ld[r]
	for p := 0; p < r1-r0; p++ {
		o0 := base + p*ld
		o1 := o0 + c1 - c0
		w := s.wp[o0:o1]
		v := s.vp[o0:o1]
		v = v[:len(w)]
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
		k := s.mp[o0:o1]
		k = k[:len(w)]
		for i := range w {
			vi := (v[i] + wd*w[i]) * k[i]
			v[i] = vi
			w[i] = (w[i] - lr*vi) * k[i]
		}
	}
}

// toTileOrder writes row r of x (n columns, natural order) into the copy
// dst that a block product reads in tile order: dst's row r in the order
// idx.
func toTileOrder(dst, x []float32, r, n int, idx perm) {
	idx.gather(dst[r*n:(r+1)*n], x[r*n:(r+1)*n], 0)
}

// fromTileOrder writes row r of src, which a block product wrote in the
// tile order idx, into row r of x (n columns, natural order).
func fromTileOrder(x, src []float32, r, n int, idx perm) {
	idx.scatter(x[r*n:(r+1)*n], src[r*n:(r+1)*n], 0)
}
