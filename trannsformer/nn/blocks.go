package nn

import (
	"fmt"
	"slices"

	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
)

// TileMask is a layer mask made of whole tiles: the layer's outputs (rows
// of W) are relabelled by RowOrder and its inputs (columns) by ColOrder,
// both cut into K x K tiles (the last ones smaller), and Keep says which
// tiles live, row-major: Keep[r*ColTiles+c] with ColTiles = ceil(In/K).
// Position p of RowOrder holds row RowOrder[p]; nil means the natural
// order. This is the shape of the masks of tile pruning and of our
// schedule: a kept tile is a crossbar.
type TileMask struct {
	K        int
	RowOrder []int
	ColOrder []int
	Keep     []bool
}

// blockLayer is a TileMask prepared for the block-sparse products.
type blockLayer struct {
	k          int
	rows, cols int
	rowOrder   []int // nil when natural
	colOrder   []int
	keep       []bool
	mask       []bool // the expanded mask, natural order
	fwd, bwd   gemm.Blocks
	kept       int // kept elements
	// The same structures without index maps, for operands and results
	// that the trainer keeps in tile order: fwdT reads the input batch in
	// ColOrder and writes the output in RowOrder, bwdT reads the output
	// gradient in RowOrder and writes the input gradient in ColOrder, into
	// is the weight gradient of two operands in tile order. The
	// element-wise passes move rows between the orders, in cache.
	fwdT, bwdT, into gemm.Blocks
	// cum[p] is the number of kept elements in rows [0, p) of the tile
	// order: the work of a range of rows, to split it evenly, and where
	// row p starts in the compact storage of the kept tiles (store).
	cum []int
	// store is how the trainer keeps the layer's weights, momentum and
	// mask in tile order: the kept elements only, row by row of the tile
	// order, each row's kept tiles side by side (tile x of a row block at
	// x*k), so that the products and the update walk contiguous memory.
	store gemm.Compact
	// rowIdx and colIdx are rowOrder and colOrder as int32 (nil when
	// natural), for the row moves of blocks_perm.go.
	rowIdx, colIdx perm
}

// maxBlockDensity is the largest fraction of kept weights at which training
// uses the block-sparse products: above it dense products are as fast.
const maxBlockDensity = 0.5

// SetTileMask sets layer l's mask from kept tiles (see TileMask), like
// SetMask with the expanded mask, and records the tile structure: in
// MaskHard mode with SGD, training then computes the forward pass, the
// input gradient and the weight gradient of the layer only on the kept
// tiles (while they are at most half of the weights), with results equal
// to the dense products with the mask up to float32 rounding (the sums run
// in another order), bit for bit the same run to run and for any number of
// threads. A later SetMask keeps the tile structure when its mask lies
// within the kept tiles, and drops it otherwise.
func (m *MLP) SetTileMask(l int, tm TileMask) error {
	if l < 0 || l >= len(m.W) {
		return fmt.Errorf("nn: no layer %d", l)
	}
	b, err := newBlockLayer(m.Out(l), m.In(l), tm)
	if err != nil {
		return fmt.Errorf("nn: layer %d: %w", l, err)
	}
	if err := m.SetMask(l, b.mask); err != nil {
		return err
	}
	if m.tiles == nil {
		m.tiles = make([]*blockLayer, len(m.W))
	}
	m.tiles[l] = b
	return nil
}

// TileMask returns layer l's tile structure (a copy), or false when its
// mask was not set from tiles.
func (m *MLP) TileMask(l int) (TileMask, bool) {
	if m.tiles == nil || l < 0 || l >= len(m.tiles) || m.tiles[l] == nil {
		return TileMask{}, false
	}
	b := m.tiles[l]
	return TileMask{K: b.k, RowOrder: append([]int(nil), b.rowOrder...), ColOrder: append([]int(nil), b.colOrder...),
		Keep: append([]bool(nil), b.keep...)}, true
}

func newBlockLayer(rows, cols int, tm TileMask) (*blockLayer, error) {
	k := tm.K
	if k <= 0 {
		return nil, fmt.Errorf("tile size %d", k)
	}
	rt, ct := (rows+k-1)/k, (cols+k-1)/k
	if len(tm.Keep) != rt*ct {
		return nil, fmt.Errorf("%d tile flags for %dx%d tiles", len(tm.Keep), rt, ct)
	}
	b := &blockLayer{k: k, rows: rows, cols: cols, keep: append([]bool(nil), tm.Keep...)}
	var err error
	if b.rowOrder, err = checkOrder(tm.RowOrder, rows, k); err != nil {
		return nil, fmt.Errorf("row order: %w", err)
	}
	if b.colOrder, err = checkOrder(tm.ColOrder, cols, k); err != nil {
		return nil, fmt.Errorf("column order: %w", err)
	}
	edges := func(n int) []int {
		e := []int{0}
		for x := k; x < n; x += k {
			e = append(e, x)
		}
		return append(e, n)
	}
	outE, inE := edges(rows), edges(cols)
	// Forward: op(B) = Wᵀ (in x out); A = the input batch, its columns read
	// through ColOrder; C = the output batch, written through RowOrder.
	// Backward: op(B) = W (out x in); A = the output gradient, C = the
	// input gradient; the same structure serves the weight gradient.
	b.fwd = gemm.Blocks{KEdges: inE, NEdges: outE, Lists: make([][]int, rt), KIndex: b.colOrder, NIndex: b.rowOrder}
	b.bwd = gemm.Blocks{KEdges: outE, NEdges: inE, Lists: make([][]int, ct), KIndex: b.rowOrder, NIndex: b.colOrder}
	for r := 0; r < rt; r++ {
		for c := 0; c < ct; c++ {
			if tm.Keep[r*ct+c] {
				b.fwd.Lists[r] = append(b.fwd.Lists[r], c)
			}
		}
	}
	for c := 0; c < ct; c++ {
		for r := 0; r < rt; r++ {
			if tm.Keep[r*ct+c] {
				b.bwd.Lists[c] = append(b.bwd.Lists[c], r)
				b.kept += (outE[r+1] - outE[r]) * (inE[c+1] - inE[c])
			}
		}
	}
	b.rowIdx, b.colIdx = newPerm(b.rowOrder), newPerm(b.colOrder)
	b.fwdT = gemm.Blocks{KEdges: inE, NEdges: outE, Lists: b.fwd.Lists}
	b.bwdT = gemm.Blocks{KEdges: outE, NEdges: inE, Lists: b.bwd.Lists}
	b.into = gemm.Blocks{KEdges: outE, NEdges: inE, Lists: b.bwd.Lists}
	b.cum = make([]int, rows+1)
	for p := 0; p < rows; p++ {
		n := 0
		for _, c := range b.fwd.Lists[p/k] {
			n += inE[c+1] - inE[c]
		}
		b.cum[p+1] = b.cum[p] + n
	}
	b.store = gemm.Compact{Cols: ct, Base: make([]int, rt*ct), Ld: make([]int, rt)}
	for r := 0; r < rt; r++ {
		p := r * k
		b.store.Ld[r] = b.cum[p+1] - b.cum[p]
		for c := range ct {
			b.store.Base[r*ct+c] = -1
		}
		for x, c := range b.fwd.Lists[r] {
			// Only the last column tile is narrower than k, and it comes
			// last in the list.
			b.store.Base[r*ct+c] = b.cum[p] + x*k
		}
	}
	b.fwdT.Stored, b.bwdT.Stored, b.into.Stored = &b.store, &b.store, &b.store
	// The expanded mask in natural order.
	rowTile := make([]int, rows)
	for p := range rowTile {
		rowTile[b.row(p)] = p / k
	}
	colTile := make([]int, cols)
	for p := range colTile {
		colTile[b.col(p)] = p / k
	}
	b.mask = make([]bool, rows*cols)
	for o := 0; o < rows; o++ {
		row := b.mask[o*cols : (o+1)*cols]
		base := rowTile[o] * ct
		for i := range row {
			row[i] = tm.Keep[base+colTile[i]]
		}
	}
	return b, nil
}

// checkOrder returns order with each tile's units sorted (the order of
// units within a tile does not change the mask, and sorted runs move data
// faster), nil when that is the identity or order is nil, or an error when
// order is not a permutation of 0..n-1.
func checkOrder(order []int, n, k int) ([]int, error) {
	if order == nil {
		return nil, nil
	}
	if len(order) != n {
		return nil, fmt.Errorf("%d entries for %d units", len(order), n)
	}
	seen := make([]bool, n)
	for _, i := range order {
		if i < 0 || i >= n || seen[i] {
			return nil, fmt.Errorf("not a permutation (index %d)", i)
		}
		seen[i] = true
	}
	out := append([]int(nil), order...)
	ident := true
	for p := 0; p < n; p += k {
		slices.Sort(out[p:min(p+k, n)])
	}
	for p, i := range out {
		ident = ident && i == p
	}
	if ident {
		return nil, nil
	}
	return out, nil
}

// row and col map a position in the tile order to the natural index.
func (b *blockLayer) row(p int) int {
	if b.rowOrder == nil {
		return p
	}
	return b.rowOrder[p]
}

func (b *blockLayer) col(p int) int {
	if b.colOrder == nil {
		return p
	}
	return b.colOrder[p]
}

// within reports whether the mask keep (natural order) lies inside the kept
// tiles.
func (b *blockLayer) within(keep []bool) bool {
	for i, k := range keep {
		if k && !b.mask[i] {
			return false
		}
	}
	return true
}

// permuteRows copies rows [lo, hi) of the tile order of the out x in
// matrix src (natural order) into dst, which stores the kept tiles only
// (store): row p at cum[p], its kept tiles side by side. Each source row is
// read once, in cache, for all the kept tiles of its row.
func (b *blockLayer) permuteRows(dst, src []float32, lo, hi int) {
	in := b.cols
	edges := b.fwd.KEdges
	for p := lo; p < hi; p++ {
		s := src[b.row(p)*in : b.row(p)*in+in]
		d := dst[b.cum[p]:b.cum[p+1]]
		x := 0
		for _, c := range b.fwd.Lists[p/b.k] {
			c0, c1 := edges[c], edges[c+1]
			if b.colOrder == nil {
				copy(d[x:x+c1-c0], s[c0:c1])
			} else {
				b.colIdx.gather(d[x:x+c1-c0], s, c0)
			}
			x += c1 - c0
		}
	}
}

// unpermuteRows writes rows [lo, hi) of the tile order of src (kept tiles
// only, as permuteRows writes them) back to dst (natural order): the kept
// tiles, and zero everywhere else in those rows.
func (b *blockLayer) unpermuteRows(dst, src []float32, lo, hi int) {
	in := b.cols
	edges := b.fwd.KEdges
	for p := lo; p < hi; p++ {
		d := dst[b.row(p)*in : b.row(p)*in+in]
		s := src[b.cum[p]:b.cum[p+1]]
		clear(d)
		x := 0
		for _, c := range b.fwd.Lists[p/b.k] {
			c0, c1 := edges[c], edges[c+1]
			if b.colOrder == nil {
				copy(d[c0:c1], s[x:x+c1-c0])
			} else {
				b.colIdx.scatter(d, s[x:x+c1-c0], c0)
			}
			x += c1 - c0
		}
	}
}
