package snn_test

import (
	"context"
	"fmt"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
	"github.com/trannsformer/gotrann/trannsformer/snn"
)

func ExampleConvert() {
	train, test := data.Synthetic(data.SyntheticConfig{N: 3000, Seed: 1}).Split(0.8, 1)
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{64, 64, 10}, Seed: 1})
	m.Train(context.Background(), train, nn.Config{Epochs: 10, BatchSize: 50}, nil)
	ann, _ := m.Evaluate(test)

	net, err := snn.Convert(m, train, snn.ConvertConfig{})
	if err != nil {
		panic(err)
	}
	res, err := net.Simulate(context.Background(), test, snn.SimConfig{T: 200, Seed: 1})
	if err != nil {
		panic(err)
	}
	fmt.Println("timesteps:", len(res.AccuracyAt))
	fmt.Println("within 2 points of the ANN:", res.Accuracy > ann-0.02)
	fmt.Println("layers with spike counts:", len(res.SpikesPerLayer))
	// Output:
	// timesteps: 200
	// within 2 points of the ANN: true
	// layers with spike counts: 3
}

func ExampleSimConfig_record() {
	train, test := data.Synthetic(data.SyntheticConfig{N: 600, Seed: 1}).Split(0.8, 1)
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{64, 32, 10}, Seed: 1})
	m.Train(context.Background(), train, nn.Config{Epochs: 5, BatchSize: 50}, nil)
	net, err := snn.Convert(m, train, snn.ConvertConfig{})
	if err != nil {
		panic(err)
	}
	// Simulate one test image and keep its spike trains.
	res, err := net.Simulate(context.Background(), test, snn.SimConfig{T: 50, Seed: 1, Samples: 1, Record: true})
	if err != nil {
		panic(err)
	}
	r := res.Raster
	fmt.Println("layers:", len(r.Spikes), "hidden neurons:", len(r.Spikes[1]))
	fmt.Println("recorded spikes match the counts:", float64(r.Count(1)) == res.SpikesPerLayer[1])
	// Output:
	// layers: 3 hidden neurons: 32
	// recorded spikes match the counts: true
}
