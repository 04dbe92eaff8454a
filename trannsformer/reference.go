package trannsformer

import (
	"fmt"
	"math"
	"runtime"
	"sort"
	"sync"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/nn"
	"github.com/trannsformer/gotrann/trannsformer/prune"
)

// reference runs the reference schedule (see ScheduleReference).
func (r *runner) reference() error {
	c := r.cfg
	m := r.m
	L := m.Layers()
	N := c.Epochs
	m.MaskMode = nn.MaskSoft
	pr := prune.NewReference(m, N)
	pr.Keep = make([][]bool, L)
	blocks := make([][]cluster.Block, L)
	r.res.Blocks = blocks
	clusterAt := max(1, int(math.Round(c.ClusterAt*float64(N))))
	prunesAt := max(clusterAt+1, int(math.Round(c.ClusterPruneAt*float64(N))))
	clustered := false
	lastUnc := 0.0
	factor := c.PruneFactor
	lastLoss := math.Inf(1)
	for e := 1; e <= N; e++ {
		st, err := r.epoch()
		if err != nil {
			return err
		}
		lossFell := st.Loss < lastLoss
		lastLoss = st.Loss
		if _, err := pr.EpochEnd(m, st.Loss); err != nil {
			return err
		}
		phase := "prune"
		changed := false
		switch {
		case e == clusterAt:
			if err := r.clusterLayers(blocks, []float64{c.Quality}); err != nil {
				return err
			}
			clustered, changed, phase = true, true, "cluster"
		case clustered:
			unc := r.unclusteredTotal(blocks)
			if math.Abs(unc-lastUnc) < c.SettleDelta {
				var bars []float64
				for q := c.Quality; q >= c.QualityFloor-1e-9; q -= c.QualityStep {
					bars = append(bars, q)
				}
				if err := r.clusterLayers(blocks, bars); err != nil {
					return err
				}
				changed, phase = true, "recluster"
			}
		}
		if clustered && e >= prunesAt {
			for l := 0; l < L; l++ {
				blocks[l] = pruneBlocks(m, l, blocks[l], factor)
			}
			if lossFell {
				factor += c.PruneFactorStep
			}
			changed, phase = true, "cluster-prune"
		}
		if changed {
			for l := 0; l < L; l++ {
				pr.Keep[l] = blockMask(m.Out(l), m.In(l), blocks[l])
			}
			if err := pr.Apply(m); err != nil {
				return err
			}
		}
		if clustered {
			lastUnc = r.unclusteredTotal(blocks)
		}
		for l := 0; l < L; l++ {
			r.res.Unclustered[l] = unclusteredFraction(m, l, pr.Keep[l])
		}
		n := 0
		if clustered {
			maps, err := MapBlocks(m, blocks, r.res.K[0], false)
			if err != nil {
				return err
			}
			n = Crossbars(maps)
		} else {
			maps, err := MapPruned(m, r.res.K[0])
			if err != nil {
				return err
			}
			n = Crossbars(maps)
		}
		if err := r.report(e, phase, st, n); err != nil {
			return err
		}
	}
	return nil
}

// clusterLayers clusters the leftover synapses of every layer (see
// clusterLeftover) and appends the new blocks. Layers are independent
// (each has its own seed), so they run in parallel, largest first, and the
// result does not depend on the number of threads.
func (r *runner) clusterLayers(blocks [][]cluster.Block, bars []float64) error {
	L := len(blocks)
	found := make([][]cluster.Block, L)
	errs := make([]error, L)
	order := make([]int, L)
	for l := range order {
		order[l] = l
	}
	sort.SliceStable(order, func(a, b int) bool { return len(r.m.W[order[a]]) > len(r.m.W[order[b]]) })
	workers := max(1, min(L, runtime.GOMAXPROCS(0)))
	next := make(chan int, L)
	for _, l := range order {
		next <- l
	}
	close(next)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for l := range next {
				found[l], errs[l] = r.clusterLeftover(l, blocks[l], bars)
			}
		}()
	}
	wg.Wait()
	for l := range blocks {
		if errs[l] != nil {
			return errs[l]
		}
		blocks[l] = append(blocks[l], found[l]...)
	}
	return nil
}

// clusterLeftover clusters the synapses of layer l outside the blocks'
// rectangles with each quality bar in turn until one finds a block, and
// returns the new blocks.
func (r *runner) clusterLeftover(l int, blocks []cluster.Block, bars []float64) ([]cluster.Block, error) {
	m := r.m
	left := Connectivity(m, l)
	for _, b := range blocks {
		left.Clear(b.Outputs, b.Inputs)
	}
	if left.NNZ() == 0 {
		return nil, nil
	}
	for _, q := range bars {
		// SmallSide: the 10-output layer's eigenvectors from its 10x10
		// Gram matrix instead of a dense 1210x1210 eigendecomposition (the
		// same vectors up to rounding; see cluster.Config).
		res, err := cluster.Reference(r.ctx, left, cluster.Config{K: r.res.K[l], Quality: q, PerAxis: r.cfg.PerAxis,
			Seed: r.cfg.Seed + uint64(l)*7919 + uint64(len(blocks)), SmallSide: true})
		if err != nil {
			return nil, fmt.Errorf("trannsformer: clustering layer %d: %w", l, err)
		}
		if len(res.Blocks) > 0 {
			return res.Blocks, nil
		}
	}
	return nil, nil
}

// pruneBlocks deletes the blocks of layer l whose score, quality times the
// surviving synapses inside the block, is at most factor times the best.
func pruneBlocks(m *nn.MLP, l int, blocks []cluster.Block, factor float64) []cluster.Block {
	if len(blocks) == 0 {
		return blocks
	}
	ni := m.In(l)
	w := m.W[l]
	score := make([]float64, len(blocks))
	best := 0.0
	for b, bl := range blocks {
		n := 0
		for _, o := range bl.Outputs {
			row := w[o*ni : (o+1)*ni]
			for _, i := range bl.Inputs {
				if row[i] != 0 {
					n++
				}
			}
		}
		score[b] = bl.Quality * float64(n)
		best = max(best, score[b])
	}
	out := blocks[:0:0]
	for b, bl := range blocks {
		if score[b] > factor*best {
			out = append(out, bl)
		}
	}
	return out
}

// blockMask marks the cells inside the blocks' rectangles (nil without
// blocks).
func blockMask(rows, cols int, blocks []cluster.Block) []bool {
	if len(blocks) == 0 {
		return nil
	}
	mask := make([]bool, rows*cols)
	for _, b := range blocks {
		for _, o := range b.Outputs {
			for _, i := range b.Inputs {
				mask[o*cols+i] = true
			}
		}
	}
	return mask
}

// unclusteredFraction is the fraction of the non-zero weights of layer l
// outside inside (nil: all of them).
func unclusteredFraction(m *nn.MLP, l int, inside []bool) float64 {
	syn, out := 0, 0
	for i, v := range m.W[l] {
		if v != 0 {
			syn++
			if inside == nil || !inside[i] {
				out++
			}
		}
	}
	if syn == 0 {
		return 0
	}
	return float64(out) / float64(syn)
}

// unclusteredTotal is the fraction of all non-zero weights outside the
// blocks.
func (r *runner) unclusteredTotal(blocks [][]cluster.Block) float64 {
	syn, out := 0, 0.0
	for l := range blocks {
		n := r.m.NonZero(l)
		syn += n
		out += unclusteredFraction(r.m, l, blockMask(r.m.Out(l), r.m.In(l), blocks[l])) * float64(n)
	}
	if syn == 0 {
		return 0
	}
	return out / float64(syn)
}
