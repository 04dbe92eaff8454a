package trannsformer

import (
	"context"
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Connectivity returns the binary connectivity of layer l of m: a synapse
// wherever the weight is non-zero.
func Connectivity(m *nn.MLP, l int) *cluster.Binary {
	c, err := cluster.BinaryFromFloat32(m.Out(l), m.In(l), m.W[l])
	if err != nil {
		// The sizes come from the model itself: a mismatch is a corrupt
		// model, which Validate reports; keep going with an empty layer.
		return cluster.NewBinary(m.Out(l), m.In(l))
	}
	return c
}

// MapDense maps every layer of m as a dense layer: ceil(in/k)·ceil(out/k)
// crossbars each, whatever the weights.
func MapDense(m *nn.MLP, k int) ([]*crossbar.Mapping, error) {
	out := make([]*crossbar.Mapping, m.Layers())
	for l := range out {
		x, err := crossbar.Dense(cluster.Full(m.Out(l), m.In(l)), k)
		if err != nil {
			return nil, fmt.Errorf("trannsformer: layer %d: %w", l, err)
		}
		out[l] = x
	}
	return out, nil
}

// MapPruned maps every layer of m with the pruned scheme: rows and columns
// without synapses removed, the rest tiled densely.
func MapPruned(m *nn.MLP, k int) ([]*crossbar.Mapping, error) {
	out := make([]*crossbar.Mapping, m.Layers())
	for l := range out {
		x, err := crossbar.Pruned(Connectivity(m, l), k)
		if err != nil {
			return nil, fmt.Errorf("trannsformer: layer %d: %w", l, err)
		}
		out[l] = x
	}
	return out, nil
}

// MapBlocks maps every layer of m with the TraNNsformer reference scheme:
// each block of blocks[l] gets ceil(|I|/k)·ceil(|O|/k) crossbars, the
// synapses outside every block are covered greedily by k x k windows. With
// legacy set, k is ignored and the released code's counter is used
// (crossbar.Legacy, a crossbar size of 4 whatever the clustering used).
func MapBlocks(m *nn.MLP, blocks [][]cluster.Block, k int, legacy bool) ([]*crossbar.Mapping, error) {
	if len(blocks) != m.Layers() {
		return nil, fmt.Errorf("trannsformer: %d block lists for %d layers", len(blocks), m.Layers())
	}
	out := make([]*crossbar.Mapping, m.Layers())
	for l := range out {
		c := Connectivity(m, l)
		res := &cluster.Result{Rows: m.Out(l), Cols: m.In(l), Synapses: c.NNZ(), Blocks: blocks[l]}
		var x *crossbar.Mapping
		var err error
		if legacy {
			x, err = crossbar.Legacy(c, res)
		} else {
			x, err = crossbar.TraNNsformed(c, res, k)
		}
		if err != nil {
			return nil, fmt.Errorf("trannsformer: layer %d: %w", l, err)
		}
		out[l] = x
	}
	return out, nil
}

// MapTiles maps every layer of m with our scheme: the rows and columns in
// the order of layouts[l], cut into k x k tiles, every non-empty tile a
// piece, then packed and dissolved by crossbar.Compact. When the pruned
// scheme needs fewer crossbars for a layer it is used instead (it never
// does for a tile-pruned layer, but the layout may be stale); a layer
// without a layout (nil, after an interrupted run) is mapped by it too.
func MapTiles(ctx context.Context, m *nn.MLP, layouts []*TileLayout, k int) ([]*crossbar.Mapping, error) {
	if len(layouts) != m.Layers() {
		return nil, fmt.Errorf("trannsformer: %d tile layouts for %d layers", len(layouts), m.Layers())
	}
	out := make([]*crossbar.Mapping, m.Layers())
	for l := range out {
		x, err := mapTileLayer(ctx, m, l, layouts[l], k)
		if err != nil {
			return nil, err
		}
		out[l] = x
	}
	return out, nil
}

// mapTileLayer maps layer l of m in the order of layout at size k (see
// MapTiles).
func mapTileLayer(ctx context.Context, m *nn.MLP, l int, layout *TileLayout, k int) (*crossbar.Mapping, error) {
	c := Connectivity(m, l)
	if layout == nil {
		// Interrupted before the layer had a layout: no tiles yet.
		return crossbar.Pruned(c, k)
	}
	rows := groupsOf(layout.RowOrder, m.Out(l), k)
	cols := groupsOf(layout.ColOrder, m.In(l), k)
	x, err := crossbar.FromLabels(ctx, c, rows, cols, k, crossbar.CompactConfig{})
	if err != nil {
		return nil, fmt.Errorf("trannsformer: layer %d: %w", l, err)
	}
	x.Scheme = "tiles"
	p, err := crossbar.Pruned(c, k)
	if err != nil {
		return nil, err
	}
	if p.Count() < x.Count() {
		return p, nil
	}
	return x, nil
}

// groupsOf labels the members of order by their k-chunk: position p gets
// group p/k. Indices missing from order get -1.
func groupsOf(order []int, n, k int) []int {
	g := make([]int, n)
	for i := range g {
		g[i] = -1
	}
	for p, i := range order {
		g[i] = p / k
	}
	return g
}

// Crossbars returns the total number of crossbars of a mapped network.
func Crossbars(layers []*crossbar.Mapping) int {
	n := 0
	for _, x := range layers {
		n += x.Count()
	}
	return n
}

// Utilization returns the synapses over the cells of every crossbar of a
// mapped network.
func Utilization(layers []*crossbar.Mapping) float64 {
	syn, cells := 0, 0
	for _, x := range layers {
		syn += x.Synapses()
		cells += x.Count() * x.K * x.K
	}
	if cells == 0 {
		return 0
	}
	return float64(syn) / float64(cells)
}

// MapOptions carries what the method-specific mappers of MapNetwork need.
type MapOptions struct {
	// Blocks are the cluster blocks of a TraNNsformer network (the
	// authors' rule maps them with greedy windows); nil otherwise.
	Blocks [][]cluster.Block
	// Layouts are the tile layouts of a tile-pruned network (ours, the
	// tile-pruning baseline), used by MapperPacked; nil otherwise.
	Layouts []*TileLayout
	// Seed seeds the partitions of MapperPacked and MapperOptimize.
	Seed uint64
}

// MapNetwork maps every layer of m onto k x k crossbars with one of the
// mappers (MapperGrid, MapperAuthors, MapperCompact, MapperPacked,
// MapperOptimize) and verifies every layer's mapping (each synapse placed
// exactly once, crossbar.Mapping.Verify).
func MapNetwork(ctx context.Context, m *nn.MLP, k int, mapper string, o MapOptions) ([]*crossbar.Mapping, error) {
	if o.Blocks != nil && len(o.Blocks) != m.Layers() {
		return nil, fmt.Errorf("trannsformer: %d block lists for %d layers", len(o.Blocks), m.Layers())
	}
	if o.Layouts != nil && len(o.Layouts) != m.Layers() {
		return nil, fmt.Errorf("trannsformer: %d tile layouts for %d layers", len(o.Layouts), m.Layers())
	}
	out := make([]*crossbar.Mapping, m.Layers())
	for l := range out {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c := Connectivity(m, l)
		authors := func() (*crossbar.Mapping, error) {
			if o.Blocks != nil {
				res := &cluster.Result{Rows: m.Out(l), Cols: m.In(l), Synapses: c.NNZ(), Blocks: o.Blocks[l]}
				return crossbar.TraNNsformed(c, res, k)
			}
			return crossbar.Pruned(c, k)
		}
		var x *crossbar.Mapping
		var err error
		switch mapper {
		case MapperGrid:
			x, err = crossbar.Dense(c, k)
		case MapperAuthors:
			x, err = authors()
		case MapperCompact:
			if x, err = authors(); err == nil {
				x, err = crossbar.Compact(ctx, x, crossbar.CompactConfig{})
			}
		case MapperPacked:
			if o.Layouts != nil && o.Layouts[l] != nil {
				x, err = mapTileLayer(ctx, m, l, o.Layouts[l], k)
			} else {
				var p *cluster.Partition
				if p, err = cluster.CoCluster(ctx, c, cluster.PartitionConfig{K: k, Seed: o.Seed}); err == nil {
					x, err = crossbar.Packed(ctx, c, p, crossbar.CompactConfig{})
				}
			}
		case MapperOptimize:
			x, err = crossbar.Optimize(ctx, c, crossbar.OptimizeConfig{K: k, Seed: o.Seed})
		default:
			return nil, fmt.Errorf("trannsformer: unknown mapper %q", mapper)
		}
		if err != nil {
			return nil, fmt.Errorf("trannsformer: layer %d, mapper %s, k=%d: %w", l, mapper, k, err)
		}
		if err := x.Verify(c); err != nil {
			return nil, fmt.Errorf("trannsformer: layer %d, mapper %s, k=%d: mapping fails verification: %w", l, mapper, k, err)
		}
		out[l] = x
	}
	return out, nil
}
