package trannsformer

import (
	"context"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Every mapper maps a TraNNsformer network (blocks plus leftovers) and
// verifies it; the authors' rule gives the blocks their rectangles and the
// leftovers greedy windows, the others never need more than the grid.
func TestMapNetworkBlocks(t *testing.T) {
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{12, 10, 4}, Seed: 2})
	for i := range m.W[0] {
		m.W[0][i] = 0
	}
	// Layer 0: one 4x4 block (outputs 0-3, inputs 0-3) and a stray synapse.
	for o := 0; o < 4; o++ {
		for i := 0; i < 4; i++ {
			m.W[0][o*12+i] = 1
		}
	}
	m.W[0][9*12+11] = 1
	blocks := [][]cluster.Block{{{Outputs: []int{0, 1, 2, 3}, Inputs: []int{0, 1, 2, 3}, Quality: 1}}, nil}
	ctx := context.Background()
	counts := map[string]int{}
	for _, mp := range AllMappers {
		maps, err := MapNetwork(ctx, m, 4, mp, MapOptions{Blocks: blocks, Seed: 1})
		if err != nil {
			t.Fatalf("%s: %v", mp, err)
		}
		counts[mp] = maps[0].Count()
	}
	// Grid: ceil(10/4)·ceil(12/4) = 9; authors: 1 block + 1 window = 2.
	if counts[MapperGrid] != 9 || counts[MapperAuthors] != 2 {
		t.Errorf("counts %v", counts)
	}
	for mp, n := range counts {
		if n > counts[MapperGrid] {
			t.Errorf("%s: %d > grid %d", mp, n, counts[MapperGrid])
		}
	}
	if _, err := MapNetwork(ctx, m, 4, "bogus", MapOptions{}); err == nil {
		t.Error("unknown mapper accepted")
	}
	if _, err := MapNetwork(ctx, m, 4, MapperAuthors, MapOptions{Blocks: blocks[:1]}); err == nil {
		t.Error("short block list accepted")
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := MapNetwork(cctx, m, 4, MapperOptimize, MapOptions{}); err == nil {
		t.Error("a cancelled context was ignored")
	}
}
