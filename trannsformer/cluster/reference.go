package cluster

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
)

// Config tunes Reference. The zero value is the reference setting for
// 64 x 64 crossbars.
type Config struct {
	// K is the crossbar size; 0 means 64.
	K int
	// Quality is the acceptance threshold q: a block is kept when
	// nnz(C[O,I])/(|I|·|O|) > q. 0 means 0.7 (the reference's first pass);
	// the schedule lowers it to 0.6, 0.5, 0.4 and 0.3.
	Quality float64
	// Groups is both the number of eigenvectors and of k-means clusters;
	// 0 means 5 (the reference).
	Groups int
	// PerAxis selects the size constraint |I| ≤ K and |O| ≤ K, which fits
	// a crossbar exactly (ours). false is the reference's |I| + |O| ≤ 2K.
	PerAxis bool
	// Seed drives k-means++ and the eigensolver's start vectors.
	Seed uint64
	// MaxDepth bounds the recursive splitting of too-large blocks; 0 means 16.
	MaxDepth int
	// DenseLimit: graphs with at most this many nodes are solved with a dense
	// eigendecomposition; 0 means 64, negative means never (unless one side
	// has fewer than 2·Groups+2 nodes).
	DenseLimit int
	// KrylovDim caps the Krylov subspace of the sparse eigensolver; 0 means 240.
	KrylovDim int
	// Replicates runs k-means this many times from different seeds and keeps
	// the tightest clustering; 0 means 1 (the reference). More replicates make
	// a round less likely to accept nothing and stop early (ours).
	Replicates int
	// SmallSide (ours, for speed): a graph with fewer than 2·Groups+2 nodes
	// on one side (a layer of 10 outputs) is embedded from that side's
	// Gram matrix instead of a dense eigendecomposition of the whole
	// bipartite graph: the same eigenvectors up to sign (and rounding),
	// 5-50x faster. Rounding can break k-means ties between structurally
	// identical nodes differently, so the blocks may differ from the dense
	// path's; false keeps it.
	SmallSide bool
	// Divisive (ours): when a round accepts nothing, cluster every k-means
	// group's subgraph C[O_g, I_g] on its own, recursively (up to MaxDepth),
	// instead of stopping. The reference stops; with more than Groups
	// similar blocks its Groups eigenvectors mix blocks, so a round can
	// accept nothing and end the clustering early (see the tests).
	Divisive bool
}

func (c Config) withDefaults() Config {
	if c.K <= 0 {
		c.K = 64
	}
	if c.Quality == 0 {
		c.Quality = 0.7
	}
	if c.Groups <= 0 {
		c.Groups = 5
	}
	if c.MaxDepth <= 0 {
		c.MaxDepth = 16
	}
	if c.DenseLimit == 0 {
		c.DenseLimit = 64
	}
	if c.KrylovDim <= 0 {
		c.KrylovDim = 240
	}
	if c.Replicates <= 0 {
		c.Replicates = 1
	}
	return c
}

func (c Config) embedOptions() embedOptions {
	return embedOptions{denseLimit: c.DenseLimit, maxDim: c.KrylovDim, tol: 1e-6, smallSide: c.SmallSide}
}

func (c Config) fits(nIn, nOut int) bool {
	if c.PerAxis {
		return nIn <= c.K && nOut <= c.K
	}
	return nIn+nOut <= 2*c.K
}

// Block is a cluster: a set of outputs (rows of C) and inputs (columns)
// whose synapses go onto the same crossbar(s).
type Block struct {
	Outputs []int   // global output (row) indices, increasing
	Inputs  []int   // global input (column) indices, increasing
	Quality float64 // nnz/(|I|·|O|) when the block was accepted
	// Cells lists the synapses the block owns, as local cell indices
	// o*len(Inputs)+i (o indexes Outputs, i indexes Inputs), increasing.
	// A synapse belongs to at most one block.
	Cells []int
}

// Synapse returns the global (output, input) of the block's n-th synapse.
func (b Block) Synapse(n int) (out, in int) {
	c := b.Cells[n]
	return b.Outputs[c/len(b.Inputs)], b.Inputs[c%len(b.Inputs)]
}

// Result is the outcome of Reference.
type Result struct {
	Rows, Cols    int     // layer dimensions (outputs, inputs)
	Synapses      int     // synapses in the input matrix
	Blocks        []Block // accepted blocks that satisfy the size constraint
	Clustered     int     // synapses inside Blocks
	Unclustered   int     // Synapses − Clustered
	Dropped       int     // too-large blocks that could not be split and were dropped
	Eigenproblems int     // spectral rounds solved
}

// UnclusteredFraction is Unclustered/Synapses (0 for an empty layer).
func (r *Result) UnclusteredFraction() float64 {
	if r.Synapses == 0 {
		return 0
	}
	return float64(r.Unclustered) / float64(r.Synapses)
}

// UnclusteredMatrix returns the synapses of c that belong to no block.
func (r *Result) UnclusteredMatrix(c *Binary) *Binary {
	u := c.Clone()
	for _, b := range r.Blocks {
		for n := range b.Cells {
			o, i := b.Synapse(n)
			u.Set(o, i, false)
		}
	}
	return u
}

type rawBlock struct {
	outputs, inputs []int
	quality         float64
	cells           *Binary // the block's synapses, len(outputs) x len(inputs)
	depth           int
}

// Reference clusters the connectivity c with the TraNNsformer algorithm of
// the authors' release (see the package documentation and docs/method.md):
// spectral clustering of the bipartite graph into Groups groups, blocks of
// quality > q are accepted and peeled off until a round accepts nothing,
// then blocks that violate the size constraint are re-clustered
// recursively; a block that cannot be split, or whose children all fail
// the quality bar, is dropped and its synapses are unclustered. c is not
// modified. Cancelling ctx stops the work and returns ctx's error.
func Reference(ctx context.Context, c *Binary, cfg Config) (*Result, error) {
	cfg = cfg.withDefaults()
	if cfg.Quality < 0 || cfg.Quality >= 1 {
		return nil, fmt.Errorf("cluster: quality %v out of [0,1)", cfg.Quality)
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x9e3779b97f4a7c15))
	res := &Result{Synapses: c.NNZ()}
	res.Rows, res.Cols = c.Dims()

	top, err := peel(ctx, c.Clone(), cfg, rng, &res.Eigenproblems, 0)
	if err != nil && !errors.Is(err, errTooSmall) {
		return nil, err
	}
	queue := top
	for len(queue) > 0 {
		b := queue[0]
		queue = queue[1:]
		if cfg.fits(len(b.inputs), len(b.outputs)) {
			res.Blocks = append(res.Blocks, b.toBlock())
			continue
		}
		if b.depth >= cfg.MaxDepth {
			res.Dropped++
			continue
		}
		children, err := peel(ctx, b.cells, cfg, rng, &res.Eigenproblems, cfg.MaxDepth)
		if err != nil && !errors.Is(err, errTooSmall) {
			return nil, err
		}
		if len(children) == 0 {
			res.Dropped++
			continue
		}
		for _, ch := range children {
			ch.outputs = pick(b.outputs, ch.outputs)
			ch.inputs = pick(b.inputs, ch.inputs)
			ch.depth = b.depth + 1
			queue = append(queue, ch)
		}
	}
	for _, b := range res.Blocks {
		res.Clustered += len(b.Cells)
	}
	res.Unclustered = res.Synapses - res.Clustered
	return res, nil
}

func pick(global, local []int) []int {
	out := make([]int, len(local))
	for k, l := range local {
		out[k] = global[l]
	}
	return out
}

func (b rawBlock) toBlock() Block {
	blk := Block{Outputs: b.outputs, Inputs: b.inputs, Quality: b.quality}
	for o := range b.outputs {
		for i := range b.inputs {
			if b.cells.Has(o, i) {
				blk.Cells = append(blk.Cells, o*len(b.inputs)+i)
			}
		}
	}
	return blk
}

// peel runs the reference's clustering loop on work (modified in place):
// embed, k-means, accept groups with quality > q and zero them, until a
// round accepts nothing. Indices in the returned blocks are rows and
// columns of work. It returns errTooSmall (with the blocks found so far)
// when a round's graph is too small to cluster. depth counts Divisive
// recursion (no recursion at cfg.MaxDepth).
func peel(ctx context.Context, work *Binary, cfg Config, rng *rand.Rand, rounds *int, depth int) ([]rawBlock, error) {
	var blocks []rawBlock
	for work.NNZ() > 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rows, cols := work.ActiveRows(), work.ActiveCols()
		s := newSparse(work, rows, cols)
		x, err := embed(ctx, s, cfg.Groups, cfg.embedOptions(), rng)
		if err != nil {
			return blocks, err
		}
		*rounds++
		labels, err := kmeans(ctx, x, cfg.Groups, 100, cfg.Replicates, rng)
		if err != nil {
			return blocks, err
		}
		accepted := 0
		var groupsIn, groupsOut [][]int
		for g := 0; g < cfg.Groups; g++ {
			var in, out []int
			for j, l := range labels[:s.nc] {
				if l == g {
					in = append(in, cols[j])
				}
			}
			for i, l := range labels[s.nc:] {
				if l == g {
					out = append(out, rows[i])
				}
			}
			if len(in) == 0 || len(out) == 0 {
				continue
			}
			groupsIn, groupsOut = append(groupsIn, in), append(groupsOut, out)
			q := float64(work.Count(out, in)) / float64(len(in)*len(out))
			if q > cfg.Quality {
				blocks = append(blocks, rawBlock{outputs: out, inputs: in, quality: q, cells: work.Sub(out, in)})
				work.Clear(out, in)
				accepted++
			}
		}
		if accepted > 0 {
			continue
		}
		if !cfg.Divisive || depth >= cfg.MaxDepth || len(groupsIn) < 2 {
			break
		}
		for g := range groupsIn {
			in, out := groupsIn[g], groupsOut[g]
			sub := work.Sub(out, in)
			children, err := peel(ctx, sub, cfg, rng, rounds, depth+1)
			if err != nil && !errors.Is(err, errTooSmall) {
				return nil, err
			}
			for _, ch := range children {
				ch.outputs = pick(out, ch.outputs)
				ch.inputs = pick(in, ch.inputs)
				work.Clear(ch.outputs, ch.inputs)
				blocks = append(blocks, ch)
			}
		}
		break
	}
	return blocks, nil
}
