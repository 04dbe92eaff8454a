package cluster_test

import (
	"context"
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

// Two dense 3x3 blocks joined by one stray synapse: the reference algorithm
// finds both blocks and leaves the stray synapse unclustered.
func ExampleReference() {
	c := cluster.NewBinary(6, 6)
	for _, blk := range [][2][]int{{{0, 2, 4}, {1, 3, 5}}, {{1, 3, 5}, {0, 2, 4}}} {
		for _, o := range blk[0] {
			for _, i := range blk[1] {
				c.Set(o, i, true)
			}
		}
	}
	c.Set(0, 0, true)
	res, err := cluster.Reference(context.Background(), c, cluster.Config{K: 4, Groups: 2, Seed: 1, PerAxis: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, b := range res.Blocks {
		fmt.Printf("outputs %v inputs %v quality %.2f\n", b.Outputs, b.Inputs, b.Quality)
	}
	fmt.Printf("clustered %d, unclustered %d\n", res.Clustered, res.Unclustered)
	// Output:
	// outputs [1 3 5] inputs [0 2 4] quality 1.00
	// outputs [0 2 4] inputs [1 3 5] quality 1.00
	// clustered 18, unclustered 1
}

// Grid tiles after permuting rows and columns by co-cluster labels.
func ExampleCountGridTiles() {
	c := cluster.NewBinary(4, 4)
	for i := 0; i < 4; i++ {
		c.Set(i, i, true) // the diagonal: 2 tiles of 2x2
	}
	rowLabels := []int{0, 1, 0, 1} // interleaved labels spread it: 4 tiles
	colLabels := []int{0, 1, 1, 0}
	natural, _ := cluster.CountGridTiles(c, []int{0, 1, 2, 3}, []int{0, 1, 2, 3}, 2)
	permuted, _ := cluster.CountGridTiles(c, cluster.OrderByLabels(rowLabels), cluster.OrderByLabels(colLabels), 2)
	fmt.Println(natural, permuted)
	// Output:
	// 2 4
}

// CoCluster groups rows and columns so that few crossbar tiles are used.
func ExampleCoCluster() {
	// Two 4x4 blocks with their rows and columns interleaved.
	c := cluster.NewBinary(8, 8)
	for o := 0; o < 8; o++ {
		for i := 0; i < 8; i++ {
			if o%2 == i%2 {
				c.Set(o, i, true)
			}
		}
	}
	p, err := cluster.CoCluster(context.Background(), c, cluster.PartitionConfig{K: 4, Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("tiles:", p.Tiles, "of", p.RowGroups*p.ColGroups)
	// Output:
	// tiles: 2 of 4
}
