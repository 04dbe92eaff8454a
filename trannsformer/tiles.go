package trannsformer

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// TileLayout is our structure for one layer: an order of its outputs (rows)
// and inputs (columns), cut into K x K tiles, and which tiles are kept. A
// kept tile is one crossbar whose every cell may hold a synapse; every
// weight outside the kept tiles is zero. Reordering rows and columns is
// only a relabelling of wires: the network computes the same function.
type TileLayout struct {
	K          int
	Rows, Cols int
	RowOrder   []int // a permutation of 0..Rows-1: position p holds row RowOrder[p]
	ColOrder   []int // a permutation of 0..Cols-1
	RowTiles   int   // ceil(Rows/K)
	ColTiles   int   // ceil(Cols/K)
	Keep       []bool
	rowTile    []int // tile row of every row
	colTile    []int // tile column of every column
}

// NewTileLayout returns a layout with the given orders (nil means the
// natural order) and every tile kept.
func NewTileLayout(rows, cols, k int, rowOrder, colOrder []int) (*TileLayout, error) {
	if k <= 0 {
		return nil, fmt.Errorf("trannsformer: crossbar size %d", k)
	}
	t := &TileLayout{K: k, Rows: rows, Cols: cols,
		RowTiles: (rows + k - 1) / k, ColTiles: (cols + k - 1) / k}
	var err error
	if t.RowOrder, t.rowTile, err = orderTiles(rowOrder, rows, k); err != nil {
		return nil, err
	}
	if t.ColOrder, t.colTile, err = orderTiles(colOrder, cols, k); err != nil {
		return nil, err
	}
	t.Keep = make([]bool, t.RowTiles*t.ColTiles)
	for i := range t.Keep {
		t.Keep[i] = true
	}
	return t, nil
}

func orderTiles(order []int, n, k int) ([]int, []int, error) {
	if order == nil {
		order = make([]int, n)
		for i := range order {
			order[i] = i
		}
	}
	if len(order) != n {
		return nil, nil, fmt.Errorf("trannsformer: order of %d for %d units", len(order), n)
	}
	tile := make([]int, n)
	for i := range tile {
		tile[i] = -1
	}
	for p, i := range order {
		if i < 0 || i >= n || tile[i] >= 0 {
			return nil, nil, fmt.Errorf("trannsformer: order is not a permutation (index %d)", i)
		}
		tile[i] = p / k
	}
	return append([]int(nil), order...), tile, nil
}

// Kept returns the number of kept tiles.
func (t *TileLayout) Kept() int {
	n := 0
	for _, k := range t.Keep {
		if k {
			n++
		}
	}
	return n
}

// Tiles returns the number of tiles.
func (t *TileLayout) Tiles() int { return len(t.Keep) }

// Mask returns the layer's keep mask (row-major out x in): true inside a
// kept tile.
func (t *TileLayout) Mask() []bool {
	mask := make([]bool, t.Rows*t.Cols)
	for o := 0; o < t.Rows; o++ {
		base := t.rowTile[o] * t.ColTiles
		row := mask[o*t.Cols : (o+1)*t.Cols]
		for i := range row {
			row[i] = t.Keep[base+t.colTile[i]]
		}
	}
	return mask
}

// Scores returns the L1 norm of the weights w (row-major out x in) in every
// tile.
func (t *TileLayout) Scores(w []float32) []float64 {
	s := make([]float64, len(t.Keep))
	for o := 0; o < t.Rows; o++ {
		base := t.rowTile[o] * t.ColTiles
		for i, v := range w[o*t.Cols : (o+1)*t.Cols] {
			s[base+t.colTile[i]] += math.Abs(float64(v))
		}
	}
	return s
}

// KeepTop keeps the n tiles of largest score (n at least 1) and drops the
// others; ties go to the earlier tile.
func (t *TileLayout) KeepTop(scores []float64, n int) {
	idx := make([]int, len(scores))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return scores[idx[a]] > scores[idx[b]] })
	n = max(1, min(n, len(idx)))
	for i := range t.Keep {
		t.Keep[i] = false
	}
	for _, i := range idx[:n] {
		t.Keep[i] = true
	}
}

// Captured returns the fraction of the L1 mass of w that the best n tiles
// of the layout hold: how well the order gathers large weights.
func (t *TileLayout) Captured(w []float32, n int) float64 {
	s := t.Scores(w)
	tot := 0.0
	for _, v := range s {
		tot += v
	}
	if tot == 0 {
		return 0
	}
	slices.SortFunc(s, func(a, b float64) int {
		switch {
		case a > b:
			return -1
		case a < b:
			return 1
		}
		return 0
	})
	got := 0.0
	for _, v := range s[:max(1, min(n, len(s)))] {
		got += v
	}
	return got / tot
}

// GatherLayout computes an order of the rows and columns of the weights w
// (out x in, row-major) that gathers its large weights into few k x k
// tiles: the largest fraction density of the magnitudes is taken as a
// binary matrix and co-clustered by cluster.CoCluster (spectral bisection
// and swap refinement, minimising the non-empty tiles); rows and columns
// without a large weight go last, in order of decreasing mass. Every tile
// is kept.
func GatherLayout(ctx context.Context, w []float32, rows, cols, k int, density float64, seed uint64) (*TileLayout, error) {
	if len(w) != rows*cols {
		return nil, fmt.Errorf("trannsformer: %d weights for %dx%d", len(w), rows, cols)
	}
	density = math.Max(1e-4, math.Min(1, density))
	mags := make([]float32, 0, len(w))
	for _, v := range w {
		if v != 0 {
			mags = append(mags, float32(math.Abs(float64(v))))
		}
	}
	if len(mags) == 0 {
		return NewTileLayout(rows, cols, k, nil, nil)
	}
	n := int(math.Ceil(density * float64(len(w))))
	n = max(1, min(n, len(mags)))
	slices.Sort(mags)
	th := mags[len(mags)-n]
	bools := make([]bool, len(w))
	for i, v := range w {
		bools[i] = v != 0 && float32(math.Abs(float64(v))) >= th
	}
	c, err := cluster.BinaryFromBools(rows, cols, bools)
	if err != nil {
		return nil, err
	}
	p, err := cluster.CoCluster(ctx, c, cluster.PartitionConfig{K: k, Seed: seed})
	if err != nil {
		return nil, err
	}
	rowMass := make([]float64, rows)
	colMass := make([]float64, cols)
	for o := 0; o < rows; o++ {
		for i, v := range w[o*cols : (o+1)*cols] {
			a := math.Abs(float64(v))
			rowMass[o] += a
			colMass[i] += a
		}
	}
	return NewTileLayout(rows, cols, k, completeOrder(p.RowOrder(), p.RowGroup, rowMass), completeOrder(p.ColOrder(), p.ColGroup, colMass))
}

// completeOrder keeps the grouped members of order (group >= 0) first and
// appends the ungrouped ones by decreasing mass.
func completeOrder(order, group []int, mass []float64) []int {
	out := make([]int, 0, len(group))
	var rest []int
	for _, i := range order {
		if group[i] >= 0 {
			out = append(out, i)
		} else {
			rest = append(rest, i)
		}
	}
	sort.SliceStable(rest, func(a, b int) bool { return mass[rest[a]] > mass[rest[b]] })
	return append(out, rest...)
}

// ApplyTiles sets hard masks on m from the layouts' kept tiles. The masks
// carry their tile structure (nn.MLP.SetTileMask), so that training
// computes only the kept tiles.
func ApplyTiles(m *nn.MLP, layouts []*TileLayout) error {
	if len(layouts) != m.Layers() {
		return fmt.Errorf("trannsformer: %d tile layouts for %d layers", len(layouts), m.Layers())
	}
	m.MaskMode = nn.MaskHard
	for l, t := range layouts {
		if t.Rows != m.Out(l) || t.Cols != m.In(l) {
			return fmt.Errorf("trannsformer: layer %d layout is %dx%d, layer %dx%d", l, t.Rows, t.Cols, m.Out(l), m.In(l))
		}
		if err := m.SetTileMask(l, t.TileMask()); err != nil {
			return err
		}
	}
	return nil
}

// TileMask returns the layout as an nn.TileMask (sharing its slices).
func (t *TileLayout) TileMask() nn.TileMask {
	return nn.TileMask{K: t.K, RowOrder: t.RowOrder, ColOrder: t.ColOrder, Keep: t.Keep}
}

// gatherRefined returns a layout of the weights w for keeping n tiles of
// size k: GatherLayout on the largest weights (as many as n tiles hold),
// then Refine; the best n tiles are kept.
func gatherRefined(ctx context.Context, w []float32, rows, cols, k, n int, seed uint64) (*TileLayout, error) {
	density := math.Min(0.3, float64(n*k*k)/float64(rows*cols))
	t, err := GatherLayout(ctx, w, rows, cols, k, density, seed)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t.Refine(w, n, refineRounds)
	return t, nil
}

// TilePrune computes a layout for every layer of m (GatherLayout and
// Refine), keeps the fraction keep[l] of its tiles
// with the largest L1 norm and sets hard masks: the one-shot tile-pruning
// baseline, before fine-tuning. ks gives the crossbar size per layer.
func TilePrune(ctx context.Context, m *nn.MLP, ks []int, keep []float64, seed uint64) ([]*TileLayout, error) {
	layouts := make([]*TileLayout, m.Layers())
	for l := range layouts {
		tiles := ((m.Out(l) + ks[l] - 1) / ks[l]) * ((m.In(l) + ks[l] - 1) / ks[l])
		n := max(1, int(math.Round(keep[l]*float64(tiles))))
		t, err := gatherRefined(ctx, m.W[l], m.Out(l), m.In(l), ks[l], n, seed+uint64(l))
		if err != nil {
			return nil, fmt.Errorf("trannsformer: layer %d: %w", l, err)
		}
		layouts[l] = t
	}
	return layouts, ApplyTiles(m, layouts)
}

// clone returns a deep copy.
func (t *TileLayout) clone() *TileLayout {
	c := *t
	c.RowOrder = slices.Clone(t.RowOrder)
	c.ColOrder = slices.Clone(t.ColOrder)
	c.Keep = slices.Clone(t.Keep)
	c.rowTile = slices.Clone(t.rowTile)
	c.colTile = slices.Clone(t.colTile)
	return &c
}

// Refine improves the order for keeping n tiles of the weights w by
// alternating reassignment (ours): with the best n tiles of the current
// order marked, every row is moved to the row tile whose marked tiles hold
// most of its weight mass (greedily, largest gains first, at most K rows
// per tile), then the same for columns; a round is kept only when it
// raises the mass the best n tiles hold. It returns that mass fraction.
func (t *TileLayout) Refine(w []float32, n, rounds int) float64 {
	best := t.Captured(w, n)
	for r := 0; r < rounds; r++ {
		improved := false
		for _, cols := range []bool{false, true} {
			cand := t.clone()
			cand.KeepTop(cand.Scores(w), n)
			cand.reassign(w, cols)
			if c := cand.Captured(w, n); c > best+1e-12 {
				*t = *cand
				best = c
				improved = true
			}
		}
		if !improved {
			break
		}
	}
	t.KeepTop(t.Scores(w), n)
	return best
}

// reassign moves the rows (or columns) to the tiles whose kept tiles hold
// most of their mass.
func (t *TileLayout) reassign(w []float32, cols bool) {
	units, groups, other := t.Rows, t.RowTiles, t.ColTiles
	if cols {
		units, groups, other = t.Cols, t.ColTiles, t.RowTiles
	}
	// prof[u*other+h]: mass of unit u in the other axis' tile h.
	prof := make([]float64, units*other)
	for o := 0; o < t.Rows; o++ {
		for i, v := range w[o*t.Cols : (o+1)*t.Cols] {
			a := math.Abs(float64(v))
			if cols {
				prof[i*other+t.rowTile[o]] += a
			} else {
				prof[o*other+t.colTile[i]] += a
			}
		}
	}
	kept := func(g, h int) bool {
		if cols {
			return t.Keep[h*t.ColTiles+g]
		}
		return t.Keep[g*t.ColTiles+h]
	}
	type pair struct {
		u, g int
		gain float64
	}
	pairs := make([]pair, 0, units*groups)
	for u := 0; u < units; u++ {
		for g := 0; g < groups; g++ {
			s := 0.0
			for h := 0; h < other; h++ {
				if kept(g, h) {
					s += prof[u*other+h]
				}
			}
			pairs = append(pairs, pair{u, g, s})
		}
	}
	sort.SliceStable(pairs, func(a, b int) bool { return pairs[a].gain > pairs[b].gain })
	room := make([]int, groups)
	for g := range room {
		room[g] = t.K
	}
	room[groups-1] = units - t.K*(groups-1)
	group := make([]int, units)
	for u := range group {
		group[u] = -1
	}
	for _, p := range pairs {
		if group[p.u] < 0 && room[p.g] > 0 {
			group[p.u] = p.g
			room[p.g]--
		}
	}
	order := make([]int, 0, units)
	for g := 0; g < groups; g++ {
		for u := 0; u < units; u++ {
			if group[u] == g {
				order = append(order, u)
			}
		}
	}
	tile := make([]int, units)
	for p, u := range order {
		tile[u] = p / t.K
	}
	if cols {
		t.ColOrder, t.colTile = order, tile
	} else {
		t.RowOrder, t.rowTile = order, tile
	}
}
