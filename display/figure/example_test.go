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
	// 2 cluster blocks outlined; dashed: 2×2 crossbars
}

func denseOf(rows [][]float64) *mat.Dense {
	d := mat.NewDense(len(rows), len(rows[0]), nil)
	for i, r := range rows {
		d.SetRow(i, r)
	}
	return d
}
