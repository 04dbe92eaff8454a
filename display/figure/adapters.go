package figure

import (
	"fmt"
	"sort"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/cost"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
	"github.com/trannsformer/gotrann/trannsformer/snn"
)

// This file adapts the figures to the types of trannsformer/cluster,
// crossbar and snn.

// ClusterConnectivity draws a layer before and after the permutation that
// TraNNsformer's clustering implies: rows and columns ordered by the first
// block that holds them (the rest last, in their original order), each
// block outlined and divided into its k×k crossbars. Blocks whose rows or
// columns are not contiguous in that order (a later round re-clustering
// rows of an earlier block) are not outlined; the title counts them.
func ClusterConnectivity(c *cluster.Binary, res *cluster.Result, k int, title string) ([]*plot.Plot, error) {
	if c == nil || res == nil {
		return nil, fmt.Errorf("figure: nil connectivity or clustering result")
	}
	rows, cols := c.Dims()
	if res.Rows != rows || res.Cols != cols {
		return nil, fmt.Errorf("figure: clustering of a %d×%d layer, connectivity is %d×%d", res.Rows, res.Cols, rows, cols)
	}
	rowPerm := orderByBlocks(rows, res.Blocks, func(b cluster.Block) []int { return b.Outputs })
	colPerm := orderByBlocks(cols, res.Blocks, func(b cluster.Block) []int { return b.Inputs })
	rowPos, colPos := inverse(rowPerm), inverse(colPerm)
	var blocks []Block
	skipped := 0
	for _, b := range res.Blocks {
		r0, rn, okR := span(b.Outputs, rowPos)
		c0, cn, okC := span(b.Inputs, colPos)
		if !okR || !okC {
			skipped++
			continue
		}
		blocks = append(blocks, Block{Row: r0, Col: c0, Rows: rn, Cols: cn})
	}
	o := ConnectivityOptions{Title: title, RowPerm: rowPerm, ColPerm: colPerm, Blocks: blocks, K: k}
	if skipped > 0 {
		o.Note = fmt.Sprintf("%d split blocks not outlined", skipped)
	}
	return ConnectivityPair(c, o)
}

// PartitionConnectivity draws a layer before and after the co-clustering
// permutation of p, with the k×k grid whose non-empty tiles are p's
// crossbars.
func PartitionConnectivity(c *cluster.Binary, p *cluster.Partition, title string) ([]*plot.Plot, error) {
	if c == nil || p == nil {
		return nil, fmt.Errorf("figure: nil connectivity or partition")
	}
	if title != "" {
		title += fmt.Sprintf(" (%d tiles)", p.Tiles)
	}
	return ConnectivityPair(c, ConnectivityOptions{Title: title, RowPerm: p.RowOrder(), ColPerm: p.ColOrder(), K: p.K})
}

// MappingTiling draws every crossbar of m with its used cells: cell (i, j)
// of a crossbar is used when it holds the synapse from its i-th input to
// its j-th output.
func MappingTiling(m *crossbar.Mapping, title string) (*plot.Plot, error) {
	if m == nil {
		return nil, fmt.Errorf("figure: nil mapping")
	}
	used := make([]mat.Matrix, len(m.Crossbars))
	for i, x := range m.Crossbars {
		if len(x.Inputs) > m.K || len(x.Outputs) > m.K {
			return nil, fmt.Errorf("figure: crossbar %d has %d inputs and %d outputs, more than k=%d", i, len(x.Inputs), len(x.Outputs), m.K)
		}
		in := positions(x.Inputs)
		out := positions(x.Outputs)
		d := mat.NewDense(m.K, m.K, nil)
		for _, s := range x.Synapses {
			r, okI := in[s[1]]
			c, okO := out[s[0]]
			if !okI || !okO {
				return nil, fmt.Errorf("figure: crossbar %d holds synapse %v outside its wires", i, s)
			}
			d.Set(r, c, 1)
		}
		used[i] = d
	}
	if title == "" {
		title = m.Scheme + " mapping"
	}
	return Tiling(used, m.K, TilingOptions{Title: title})
}

// MappingUtilization draws the histogram of the utilizations of m's
// crossbars (synapses held / k²).
func MappingUtilization(m *crossbar.Mapping, title string) (*plot.Plot, error) {
	if m == nil || m.K <= 0 {
		return nil, fmt.Errorf("figure: nil mapping or crossbar size")
	}
	u := make([]float64, len(m.Crossbars))
	for i, x := range m.Crossbars {
		u[i] = float64(len(x.Synapses)) / float64(m.K*m.K)
	}
	if title == "" {
		title = fmt.Sprintf("%s mapping, %d×%d crossbars", m.Scheme, m.K, m.K)
	}
	return Utilization(u, UtilizationOptions{Title: title})
}

// SNNAccuracy draws the accuracy of a simulation after every timestep,
// with the non-spiking accuracy ann as reference (0 for none).
func SNNAccuracy(r *snn.Result, ann float64, title string) (*plot.Plot, error) {
	if r == nil || len(r.AccuracyAt) == 0 {
		return nil, fmt.Errorf("figure: no per-timestep accuracy in the simulation result")
	}
	ts := make([]int, len(r.AccuracyAt))
	for i := range ts {
		ts[i] = i + 1
	}
	if title == "" {
		title = fmt.Sprintf("Spiking accuracy against timesteps (%d samples)", r.Samples)
	}
	return SpikingAccuracy(ts, r.AccuracyAt, ann, title)
}

// SNNRaster draws the spike raster of layer l (0 the input layer) of the
// sample recorded in r (snn.SimConfig.Record): a tick for every spike of
// its first maxNeurons neurons (all when maxNeurons <= 0) at every
// timestep of the simulation.
func SNNRaster(r *snn.Result, layer, maxNeurons int, title string) (*plot.Plot, error) {
	if r == nil || r.Raster == nil {
		return nil, fmt.Errorf("figure: no spike trains in the simulation result (set snn.SimConfig.Record)")
	}
	rec := r.Raster
	if layer < 0 || layer >= len(rec.Spikes) {
		return nil, fmt.Errorf("figure: layer %d outside the %d recorded layers", layer, len(rec.Spikes))
	}
	trains := rec.Spikes[layer]
	n := len(trains)
	if maxNeurons > 0 && maxNeurons < n {
		n = maxNeurons
	}
	spikes := make([][]float64, n)
	for i, ts := range trains[:n] {
		spikes[i] = make([]float64, len(ts))
		for j, t := range ts {
			spikes[i][j] = float64(t)
		}
	}
	if title == "" {
		kind := "hidden layer"
		switch layer {
		case 0:
			kind = "input layer"
		case len(rec.Spikes) - 1:
			kind = "output layer"
		}
		title = fmt.Sprintf("Sample %d (label %d, predicted %d): %s %d", rec.Sample, rec.Label, rec.Predicted, kind, layer)
	}
	if n < len(trains) {
		title += fmt.Sprintf(", neurons 0-%d of %d", n-1, len(trains))
	}
	p, err := Raster(spikes, title)
	if err != nil {
		return nil, err
	}
	if rec.T > 0 {
		p.X.Max = max(p.X.Max, float64(rec.T))
	}
	return p, nil
}

// CostBars draws the area or the energy per inference (metric "area" or
// "energy") of several networks across crossbar sizes, under the constant
// set of the reports, normalised to the first network (the dense one):
// reports[i][j] is network names[i] mapped onto ks[j]×ks[j] crossbars. Make
// one plot per constant set.
func CostBars(metric string, ks []int, names []string, reports [][]*cost.Report) (*plot.Plot, error) {
	if len(names) != len(reports) || len(names) == 0 {
		return nil, fmt.Errorf("figure: %d network names for %d rows of reports", len(names), len(reports))
	}
	var label string
	switch metric {
	case "area":
		label = "area"
	case "energy":
		label = "energy per inference"
	default:
		return nil, fmt.Errorf("figure: unknown cost metric %q (want area or energy)", metric)
	}
	constants := ""
	series := make([]BarSeries, len(names))
	for i, row := range reports {
		if len(row) != len(ks) {
			return nil, fmt.Errorf("figure: network %q has %d reports for %d crossbar sizes", names[i], len(row), len(ks))
		}
		series[i] = BarSeries{Name: names[i], Values: make([]float64, len(ks))}
		for j, r := range row {
			if r == nil {
				return nil, fmt.Errorf("figure: no report for %q at k=%d", names[i], ks[j])
			}
			if constants == "" {
				constants = r.Constants
			} else if r.Constants != constants {
				return nil, fmt.Errorf("figure: reports mix constant sets %q and %q: make one plot per set", constants, r.Constants)
			}
			series[i].Values[j] = r.Total.Area
			if metric == "energy" {
				series[i].Values[j] = r.Total.Energy
			}
		}
	}
	return CostComparison(label, constants, ks, series, true)
}

// orderByBlocks orders 0..n-1 by the first block listing each index, the
// rest last in their original order.
func orderByBlocks(n int, blocks []cluster.Block, members func(cluster.Block) []int) []int {
	first := make([]int, n)
	for i := range first {
		first[i] = len(blocks)
	}
	for bi := len(blocks) - 1; bi >= 0; bi-- {
		for _, i := range members(blocks[bi]) {
			if i >= 0 && i < n {
				first[i] = bi
			}
		}
	}
	perm := make([]int, n)
	for i := range perm {
		perm[i] = i
	}
	sort.SliceStable(perm, func(a, b int) bool { return first[perm[a]] < first[perm[b]] })
	return perm
}

func inverse(perm []int) []int {
	inv := make([]int, len(perm))
	for i, p := range perm {
		inv[p] = i
	}
	return inv
}

// span returns the first position and the length of idx under pos, and
// whether those positions are contiguous.
func span(idx, pos []int) (start, n int, ok bool) {
	if len(idx) == 0 {
		return 0, 0, false
	}
	lo, hi := len(pos), -1
	for _, i := range idx {
		if i < 0 || i >= len(pos) {
			return 0, 0, false
		}
		lo, hi = min(lo, pos[i]), max(hi, pos[i])
	}
	return lo, hi - lo + 1, hi-lo+1 == len(idx)
}

func positions(xs []int) map[int]int {
	m := make(map[int]int, len(xs))
	for i, x := range xs {
		m[x] = i
	}
	return m
}
