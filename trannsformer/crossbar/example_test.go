package crossbar_test

import (
	"context"
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
)

// The dense MNIST network 784-1200-1200-10 on 64x64 crossbars.
func ExampleDense() {
	total := 0
	for _, l := range [][2]int{{1200, 784}, {1200, 1200}, {10, 1200}} {
		m, _ := crossbar.Dense(cluster.Full(l[0], l[1]), 64)
		fmt.Println(m.Count())
		total += m.Count()
	}
	fmt.Println("total", total)
	// Output:
	// 247
	// 361
	// 19
	// total 627
}

// Our mapping: partition, then pack tiles and dissolve sparse crossbars.
func ExamplePacked() {
	// Eight 4x4 diagonal blocks in a 32x32 layer, K = 8: Pruned needs the
	// whole 4x4 grid of tiles; packing puts two blocks on each crossbar.
	c := cluster.NewBinary(32, 32)
	for b := 0; b < 8; b++ {
		for o := 0; o < 4; o++ {
			for i := 0; i < 4; i++ {
				c.Set(4*b+o, 4*b+i, true)
			}
		}
	}
	ctx := context.Background()
	p, _ := cluster.CoCluster(ctx, c, cluster.PartitionConfig{K: 8, Seed: 1})
	packed, _ := crossbar.Packed(ctx, c, p, crossbar.CompactConfig{})
	pruned, _ := crossbar.Pruned(c, 8)
	fmt.Println("pruned", pruned.Count(), "packed", packed.Count(), "verify", packed.Verify(c))
	fmt.Printf("utilization %.2f\n", packed.Utilization())
	// Output:
	// pruned 16 packed 4 verify <nil>
	// utilization 0.50
}
