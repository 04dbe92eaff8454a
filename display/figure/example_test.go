package figure_test

import (
	"fmt"

	"gonum.org/v1/gonum/mat"

	"github.com/trannsformer/gotrann/display/figure"
)

func ExampleCostComparison() {
	p, err := figure.CostComparison("energy per inference", "ISAAC", []int{32, 64},
		[]figure.BarSeries{
			{Name: "dense", Values: []float64{8.0, 2.0}},
			{Name: "ours", Values: []float64{3.0, 1.0}},
		}, true)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	fmt.Println(p.Y.Label.Text)
	// Output:
	// energy per inference across crossbar sizes (ISAAC constants)
	// energy per inference relative to dense
}

func ExampleConnectivity() {
	// The connectivity of a 4-output, 4-input layer whose two clusters are
	// interleaved; the permutation brings each cluster into a block (blocks
	// are given in permuted coordinates).
	perm := []int{0, 2, 1, 3}
	p, err := figure.Connectivity(denseOf([][]float64{
		{1, 0, 1, 0},
		{0, 1, 0, 1},
		{1, 0, 1, 0},
		{0, 1, 0, 1},
	}), figure.ConnectivityOptions{
		Title:   "interleaved clusters",
		RowPerm: perm, ColPerm: perm,
		Blocks: []figure.Block{{Row: 0, Col: 0, Rows: 2, Cols: 2}, {Row: 2, Col: 2, Rows: 2, Cols: 2}},
		K:      2,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	// Output:
	// interleaved clusters
	// 2 cluster blocks outlined; one 2×2 crossbar per block
}

func denseOf(rows [][]float64) *mat.Dense {
	d := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		d.SetRow(i, r)
	}
	return d
}

func ExampleGroupedBars() {
	// Energy by component spans five decades: the bars go on a log axis,
	// each labelled with its value, so that the smallest stay readable.
	p, err := figure.GroupedBars(figure.BarTable{
		Title:  "energy per inference by component",
		YLabel: "energy (nJ)",
		Groups: []string{"array", "neurons", "partial sums"},
		Series: []figure.BarSeries{{Name: "dense", Values: []float64{0.2, 0.35, 370}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Y.Label.Text)
	// Output:
	// energy (nJ), log scale
}

func ExampleScatter() {
	// Two nodes of a graph's spectral embedding: an input of block 0 and
	// an output of block 1. The legend names the colours and the shapes.
	p, err := figure.Scatter([]figure.ScatterPoint{
		{X: 0.1, Y: 0.2, Group: 0, Kind: 0},
		{X: -0.2, Y: 0.05, Group: 1, Kind: 1},
	}, figure.ScatterOptions{
		Title:  "embedding",
		Groups: []string{"block 0", "block 1"},
		Kinds:  []string{"input", "output"},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Title.Text)
	// Output:
	// embedding
}
