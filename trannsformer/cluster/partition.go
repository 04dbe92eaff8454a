package cluster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
)

// PartitionConfig tunes CoCluster. The zero value means 64 x 64 crossbars,
// seed 0 and up to 10 refinement rounds.
type PartitionConfig struct {
	// K is the crossbar size: groups hold at most K rows or K columns. 0 means 64.
	K int
	// Seed drives the eigensolver's start vectors and the visiting order of
	// the refinement.
	Seed uint64
	// Passes bounds the refinement rounds (each round moves rows, then
	// columns); 0 means 10, negative means no refinement.
	Passes int
	// KrylovDim caps the sparse eigensolver's subspace; 0 means 80.
	KrylovDim int
}

// Partition assigns the non-empty rows and columns of a layer to groups of
// at most K. Group g of rows and group h of columns form the tile (g, h),
// one crossbar if it holds a synapse. All groups hold exactly K members
// except the last row group and the last column group, so ordering rows and
// columns by group (RowOrder, ColOrder) and cutting the matrix into a K x K
// grid gives exactly these tiles.
type Partition struct {
	K          int
	Rows, Cols int   // layer dimensions (outputs, inputs)
	RowGroup   []int // group of every output row, -1 for a row without synapses
	ColGroup   []int // group of every input column, -1 for a column without synapses
	RowGroups  int   // number of row groups
	ColGroups  int   // number of column groups
	// Tiles is the number of non-empty tiles, InitialTiles the same after the
	// spectral ordering and before refinement.
	Tiles, InitialTiles int
	Swaps               int // refinement swaps applied
}

// RowOrder returns the rows sorted by group (stable), rows without synapses last.
func (p *Partition) RowOrder() []int { return OrderByLabels(p.RowGroup) }

// ColOrder returns the columns sorted by group (stable), empty columns last.
func (p *Partition) ColOrder() []int { return OrderByLabels(p.ColGroup) }

// OrderByLabels returns the indices 0..len(labels)-1 sorted stably by label,
// negative labels last. It turns co-cluster labels into a permutation.
func OrderByLabels(labels []int) []int {
	idx := make([]int, len(labels))
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) int {
		if labels[i] < 0 {
			return int(^uint(0) >> 1)
		}
		return labels[i]
	}
	sort.SliceStable(idx, func(a, b int) bool { return key(idx[a]) < key(idx[b]) })
	return idx
}

// CountGridTiles returns the number of non-empty k x k tiles of c after
// reordering its rows as rowOrder and its columns as colOrder (new position
// p holds old row rowOrder[p]): the crossbars a grid mapping of the permuted
// matrix needs. The orders may omit rows or columns without synapses; an
// omitted row or column with a synapse is an error.
func CountGridTiles(c *Binary, rowOrder, colOrder []int, k int) (int, error) {
	if k <= 0 {
		return 0, fmt.Errorf("cluster: crossbar size %d", k)
	}
	r, cc := c.Dims()
	posR, err := positions(rowOrder, r)
	if err != nil {
		return 0, err
	}
	posC, err := positions(colOrder, cc)
	if err != nil {
		return 0, err
	}
	bc := (len(colOrder) + k - 1) / k
	seen := make(map[int]bool)
	var buf []int
	for i := 0; i < r; i++ {
		buf = c.Row(i, buf[:0])
		for _, j := range buf {
			if posR[i] < 0 || posC[j] < 0 {
				return 0, fmt.Errorf("cluster: synapse (%d,%d) is outside the orders", i, j)
			}
			seen[(posR[i]/k)*bc+posC[j]/k] = true
		}
	}
	return len(seen), nil
}

func positions(order []int, n int) ([]int, error) {
	pos := make([]int, n)
	for i := range pos {
		pos[i] = -1
	}
	for p, i := range order {
		if i < 0 || i >= n || pos[i] >= 0 {
			return nil, fmt.Errorf("cluster: order is not a permutation (index %d)", i)
		}
		pos[i] = p
	}
	return pos, nil
}

// CoCluster partitions the non-empty rows and columns of c into groups of at
// most cfg.K so that few K x K tiles are non-empty (ours). It orders rows
// and columns by recursive spectral co-clustering bisection (Dhillon's
// singular vectors of D_r^-1/2 C D_c^-1/2, split at multiples of K), then
// refines by swapping rows (and then columns) between groups whenever a swap
// lowers the number of non-empty tiles. Deterministic for a seed; stops on
// ctx cancellation with ctx's error.
func CoCluster(ctx context.Context, c *Binary, cfg PartitionConfig) (*Partition, error) {
	if cfg.K <= 0 {
		cfg.K = 64
	}
	if cfg.Passes == 0 {
		cfg.Passes = 10
	}
	if cfg.KrylovDim <= 0 {
		cfg.KrylovDim = 80
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x51ed270b27a1c3d5))
	p := &Partition{K: cfg.K}
	p.Rows, p.Cols = c.Dims()
	rows, cols := c.ActiveRows(), c.ActiveCols()
	b := bisector{ctx: ctx, c: c, k: cfg.K, rng: rng,
		opt: embedOptions{denseLimit: 64, maxDim: cfg.KrylovDim, tol: 1e-4}}
	if err := b.order(rows, cols); err != nil {
		return nil, err
	}
	p.RowGroup = groupsFromOrder(b.rowOrder, p.Rows, cfg.K)
	p.ColGroup = groupsFromOrder(b.colOrder, p.Cols, cfg.K)
	p.RowGroups = (len(rows) + cfg.K - 1) / cfg.K
	p.ColGroups = (len(cols) + cfg.K - 1) / cfg.K
	p.InitialTiles = countTiles(c, p.RowGroup, p.ColGroup, p.ColGroups)

	if cfg.Passes > 0 {
		r := newRefiner(c, p, rng)
		for pass := 0; pass < cfg.Passes; pass++ {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			n := r.refine(ctx, false) + r.refine(ctx, true)
			p.Swaps += n
			if n == 0 {
				break
			}
		}
	}
	p.Tiles = countTiles(c, p.RowGroup, p.ColGroup, p.ColGroups)
	return p, nil
}

func groupsFromOrder(order []int, n, k int) []int {
	g := make([]int, n)
	for i := range g {
		g[i] = -1
	}
	for pos, i := range order {
		g[i] = pos / k
	}
	return g
}

func countTiles(c *Binary, rowGroup, colGroup []int, colGroups int) int {
	seen := make(map[int]bool)
	var buf []int
	r, _ := c.Dims()
	for i := 0; i < r; i++ {
		buf = c.Row(i, buf[:0])
		for _, j := range buf {
			seen[rowGroup[i]*colGroups+colGroup[j]] = true
		}
	}
	return len(seen)
}

// bisector builds the spectral ordering.
type bisector struct {
	ctx                context.Context
	c                  *Binary
	k                  int
	rng                *rand.Rand
	opt                embedOptions
	rowOrder, colOrder []int
}

func (b *bisector) order(rows, cols []int) error {
	if err := b.ctx.Err(); err != nil {
		return err
	}
	gr := (len(rows) + b.k - 1) / b.k
	gc := (len(cols) + b.k - 1) / b.k
	if gr <= 1 && gc <= 1 {
		b.rowOrder = append(b.rowOrder, rows...)
		b.colOrder = append(b.colOrder, cols...)
		return nil
	}
	s := newSparse(b.c, rows, cols)
	x, err := embed(b.ctx, s, 2, b.opt, b.rng)
	if errors.Is(err, errTooSmall) {
		b.rowOrder = append(b.rowOrder, rows...)
		b.colOrder = append(b.colOrder, cols...)
		return nil
	}
	if err != nil {
		return err
	}
	rs := sortBy(rows, func(i int) float64 { return x.At(s.nc+i, 1) })
	cs := sortBy(cols, func(j int) float64 { return x.At(j, 1) })
	if gr <= 1 || gc <= 1 {
		// One side fits a single group: keep it whole and order the other.
		b.rowOrder = append(b.rowOrder, rs...)
		b.colOrder = append(b.colOrder, cs...)
		return nil
	}
	ra := b.k * ((gr + 1) / 2)
	ca := b.k * ((gc + 1) / 2)
	if err := b.order(rs[:ra], cs[:ca]); err != nil {
		return err
	}
	return b.order(rs[ra:], cs[ca:])
}

// sortBy returns ids sorted stably by value(local index).
func sortBy(ids []int, value func(local int) float64) []int {
	loc := make([]int, len(ids))
	val := make([]float64, len(ids))
	for i := range loc {
		loc[i] = i
		val[i] = value(i)
	}
	sort.SliceStable(loc, func(a, b int) bool { return val[loc[a]] < val[loc[b]] })
	out := make([]int, len(ids))
	for i, l := range loc {
		out[i] = ids[l]
	}
	return out
}

// refiner swaps rows (or columns) between groups to reduce non-empty tiles.
type refiner struct {
	c       *Binary
	p       *Partition
	rng     *rand.Rand
	rowAdj  [][]int // columns of every row
	colAdj  [][]int // rows of every column
	scratch []int
}

func newRefiner(c *Binary, p *Partition, rng *rand.Rand) *refiner {
	r := &refiner{c: c, p: p, rng: rng, rowAdj: make([][]int, p.Rows), colAdj: make([][]int, p.Cols)}
	for i := 0; i < p.Rows; i++ {
		r.rowAdj[i] = c.Row(i, nil)
		for _, j := range r.rowAdj[i] {
			r.colAdj[j] = append(r.colAdj[j], i)
		}
	}
	return r
}

// refine runs one pass over rows (cols=false) or columns and returns the
// number of swaps applied.
func (r *refiner) refine(ctx context.Context, cols bool) int {
	grp, other := r.p.RowGroup, r.p.ColGroup
	adj := r.rowAdj
	ng, no := r.p.RowGroups, r.p.ColGroups
	if cols {
		grp, other = r.p.ColGroup, r.p.RowGroup
		adj = r.colAdj
		ng, no = r.p.ColGroups, r.p.RowGroups
	}
	if ng < 2 {
		return 0
	}
	// Signatures: the distinct other-side groups each item touches.
	sig := make([][]int, len(grp))
	mark := make([]int, no)
	for i := range mark {
		mark[i] = -1
	}
	members := make([][]int, ng)
	for i, g := range grp {
		if g < 0 {
			continue
		}
		members[g] = append(members[g], i)
		for _, j := range adj[i] {
			if h := other[j]; mark[h] != i {
				mark[h] = i
				sig[i] = append(sig[i], h)
			}
		}
	}
	cnt := make([][]int, ng)
	for g := range cnt {
		cnt[g] = make([]int, no)
		for _, i := range members[g] {
			for _, h := range sig[i] {
				cnt[g][h]++
			}
		}
	}
	pos := make([]int, len(grp)) // position of an item in members[grp]
	for g := range members {
		for k, i := range members[g] {
			pos[i] = k
		}
	}
	swaps := 0
	visit := r.rng.Perm(len(grp))
	delta := make([]int, ng)
	for n, it := range visit {
		if n%256 == 0 && ctx.Err() != nil {
			return swaps
		}
		g := grp[it]
		if g < 0 || len(sig[it]) == 0 {
			continue
		}
		freed := 0
		for _, h := range sig[it] {
			if cnt[g][h] == 1 {
				freed++
			}
		}
		for t := 0; t < ng; t++ {
			delta[t] = -freed
			for _, h := range sig[it] {
				if cnt[t][h] == 0 {
					delta[t]++
				}
			}
		}
		delta[g] = 1 << 30
		// Try the three most promising target groups.
		done := false
		for try := 0; try < 3 && !done; try++ {
			best := -1
			for t := 0; t < ng; t++ {
				if t != g && (best < 0 || delta[t] < delta[best]) {
					best = t
				}
			}
			if best < 0 || delta[best] >= 1<<29 {
				break
			}
			t := best
			delta[t] = 1 << 30
			// Best partner in t to come back to g (ignoring interaction).
			partner, pd := -1, 1<<30
			for _, s := range members[t] {
				d := 0
				for _, h := range sig[s] {
					if cnt[t][h] == 1 {
						d--
					}
					if cnt[g][h] == 0 {
						d++
					}
				}
				if d < pd {
					partner, pd = s, d
				}
			}
			if partner < 0 {
				continue
			}
			if r.trySwap(cnt, sig, it, partner, g, t) {
				grp[it], grp[partner] = t, g
				members[g][pos[it]], members[t][pos[partner]] = partner, it
				pos[it], pos[partner] = pos[partner], pos[it]
				swaps++
				done = true
			}
		}
	}
	return swaps
}

// trySwap exchanges a (in g) and b (in t) in the tile counts if that lowers
// the number of non-empty tiles, and reports whether it did.
func (r *refiner) trySwap(cnt [][]int, sig [][]int, a, b, g, t int) bool {
	d := 0
	for _, h := range sig[a] {
		cnt[g][h]--
		if cnt[g][h] == 0 {
			d--
		}
	}
	for _, h := range sig[b] {
		cnt[t][h]--
		if cnt[t][h] == 0 {
			d--
		}
	}
	for _, h := range sig[a] {
		if cnt[t][h] == 0 {
			d++
		}
		cnt[t][h]++
	}
	for _, h := range sig[b] {
		if cnt[g][h] == 0 {
			d++
		}
		cnt[g][h]++
	}
	if d < 0 {
		return true
	}
	for _, h := range sig[a] {
		cnt[t][h]--
		cnt[g][h]++
	}
	for _, h := range sig[b] {
		cnt[g][h]--
		cnt[t][h]++
	}
	return false
}
