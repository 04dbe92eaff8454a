package trannsformer_test

import (
	"context"
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer"
	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// Our schedule on a small synthetic problem: a trained 256-64-64-10
// network is reordered and tile-pruned to a quarter of its 16x16 tiles in
// three epochs, then fine-tuned for two. The callback sees every epoch; in
// a notebook, display.Monitor.Record(float64(p.Epoch), p.Values()) plots it
// live.
func ExampleTransform() {
	ctx := context.Background()
	train, test := data.Synthetic(data.SyntheticConfig{N: 2000, Side: 16, Seed: 1}).Split(0.8, 1)
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{256, 64, 64, 10}, Seed: 1})
	m.Train(ctx, train, nn.Config{Epochs: 8, BatchSize: 100, Seed: 1}, nil)

	cfg := trannsformer.Config{
		Schedule: trannsformer.ScheduleOurs,
		Epochs:   5,
		K:        16,
		TileKeep: []float64{0.25},
		Train:    nn.Config{BatchSize: 100, Seed: 1},
	}
	res, err := trannsformer.Transform(ctx, m, train, test, cfg, func(p trannsformer.Progress) {
		fmt.Printf("epoch %d %-10s %d crossbars, test accuracy above 90%%: %v\n", p.Epoch, p.Phase, p.Crossbars, p.TestAccuracy > 0.9)
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	maps, _ := res.Map(ctx, 16, false)
	fmt.Println("crossbars after packing:", trannsformer.Crossbars(maps))
	// Output:
	// epoch 1 tile-prune 40 crossbars, test accuracy above 90%: true
	// epoch 2 tile-prune 23 crossbars, test accuracy above 90%: true
	// epoch 3 tile-prune 21 crossbars, test accuracy above 90%: true
	// epoch 4 fine-tune  21 crossbars, test accuracy above 90%: true
	// epoch 5 fine-tune  21 crossbars, test accuracy above 90%: true
	// crossbars after packing: 21
}
