package nn_test

import (
	"bytes"
	"context"
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

func ExampleNew() {
	m, err := nn.New(nn.ModelConfig{Sizes: []int{784, 1200, 1200, 10}, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println(m)
	fmt.Println(m.Weights(0).Dims())
	// Output:
	// MLP [784 1200 1200 10], 2392800 weights, sparsity 0.0%
	// 1200 784
}

func ExampleMLP_Train() {
	train, test := data.Synthetic(data.SyntheticConfig{N: 3000, Seed: 1}).Split(0.8, 1)
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{64, 64, 10}, Seed: 1})
	// The reference recipe (half-MSE, momentum SGD, dropout), smaller batches.
	hist, err := m.Train(context.Background(), train, nn.Config{Epochs: 10, BatchSize: 50, Test: test}, func(p nn.Progress) {
		if p.EpochDone && p.Epoch%5 == 0 {
			fmt.Printf("epoch %d: test accuracy above 90%%: %v\n", p.Epoch, p.TestAccuracy > 0.9)
		}
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(len(hist), "epochs")
	// Output:
	// epoch 5: test accuracy above 90%: true
	// epoch 10: test accuracy above 90%: true
	// 10 epochs
}

func ExampleTrainer() {
	train := data.Synthetic(data.SyntheticConfig{N: 1000, Seed: 1})
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{64, 32, 10}, Seed: 1})
	tr, _ := nn.NewTrainer(m, nn.Config{BatchSize: 100})
	for e := 0; e < 3; e++ {
		st, _ := tr.TrainEpoch(context.Background(), train, nil)
		// ... prune or cluster m here, between epochs ...
		fmt.Println(st.Epoch, st.Samples)
	}
	// Output:
	// 1 1000
	// 2 1000
	// 3 1000
}

func ExampleMLP_Write() {
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{4, 3, 2}, Seed: 1})
	var buf bytes.Buffer
	if err := m.Write(&buf); err != nil {
		panic(err)
	}
	back, err := nn.Read(&buf)
	fmt.Println(back.Sizes, back.W[1][5] == m.W[1][5], err)
	// Output:
	// [4 3 2] true <nil>
}
