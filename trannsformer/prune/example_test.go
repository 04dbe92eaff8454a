package prune_test

import (
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/nn"
	"github.com/trannsformer/gotrann/trannsformer/prune"
)

func ExampleGradual() {
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{100, 50, 10}, Seed: 1})
	m.MaskMode = nn.MaskHard
	g := prune.NewGradual(0.8, 4)
	for e := 1; e <= 4; e++ {
		// ... train one epoch here ...
		g.EpochEnd(m, e)
		fmt.Printf("epoch %d: sparsity %.2f\n", e, m.Sparsity())
	}
	// Output:
	// epoch 1: sparsity 0.00
	// epoch 2: sparsity 0.56
	// epoch 3: sparsity 0.77
	// epoch 4: sparsity 0.80
}

func ExampleStats() {
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{4, 3}, Seed: 1})
	copy(m.W[0], []float32{1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 3})
	fmt.Print(prune.StatsTable(prune.Stats(m)))
	// Output:
	// layer       shape  synapses     total  density dead rows dead cols
	//     0         3x4         3        12   25.00%         1         2
}

func ExampleReference() {
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{784, 1200, 1200, 10}, Seed: 1})
	r := prune.NewReference(m, 40)
	fmt.Println(r.Steps)
	// Output:
	// [0.0005 0.0005 0.0005]
}
