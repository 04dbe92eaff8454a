// Command mlpbench times training of the reference MLP (784-1200-1200-10,
// bias-free ReLU, half-MSE, momentum SGD, dropout 0.5, batch 400) with
// package nn, for comparison with PyTorch (see
// trannsformer/nn/testdata/compare_torch.sh).
//
//	go run ./trannsformer/internal/mlpbench [-data synthetic|mnist] [-samples N] [-warmup N]
//	go run ./trannsformer/internal/mlpbench -epochs 15 [-save FILE] [-snn T]
//	go run ./trannsformer/internal/mlpbench -load FILE -snn T
//	go run ./trannsformer/internal/mlpbench -tile-keep 0.12 [-samples N]
//
// It prints one line "go samples_per_cpu_second=... samples_per_second=...";
// with -epochs it trains on MNIST instead and prints the test accuracy after
// each epoch; with -snn it converts the network to a spiking one and prints
// the spiking accuracy on the MNIST test set. With -tile-keep F every layer
// keeps the fraction F of its 64x64 tiles (shuffled row and column orders,
// hard masks, as our schedule trains) and the line starts with "go-tiles".
package main

import (
	"context"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"syscall"
	"time"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
	"github.com/trannsformer/gotrann/trannsformer/snn"
)

func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "mlpbench:", err)
		os.Exit(1)
	}
}

func run() error {
	src := flag.String("data", "synthetic", "synthetic (random 784-pixel data) or mnist (the cached MNIST)")
	samples := flag.Int("samples", 12000, "training samples to time")
	warmup := flag.Int("warmup", 2000, "training samples before timing")
	epochs := flag.Int("epochs", 0, "if > 0, train this many full epochs on MNIST and print test accuracy")
	sizes := flag.String("sizes", "784,1200,1200,10", "layer sizes")
	save := flag.String("save", "", "with -epochs, save the trained model to this file")
	load := flag.String("load", "", "load a model from this file instead of training (with -snn)")
	tileKeep := flag.Float64("tile-keep", 0, "if > 0, keep this fraction of every layer's 64x64 tiles (block-sparse training)")
	snnT := flag.Int("snn", 0, "if > 0, convert the model (trained with -epochs or loaded with -load) to a spiking network and simulate the MNIST test set for this many timesteps")
	flag.Parse()
	var sz []int
	for _, f := range splitComma(*sizes) {
		var v int
		if _, err := fmt.Sscan(f, &v); err != nil {
			return fmt.Errorf("bad -sizes: %w", err)
		}
		sz = append(sz, v)
	}
	ctx := context.Background()
	var train, test *data.Dataset
	if *src == "mnist" || *epochs > 0 {
		var err error
		if train, test, err = data.MNIST(""); err != nil {
			return err
		}
	} else {
		n := *samples + *warmup
		r := rand.New(rand.NewPCG(1, 2))
		train = &data.Dataset{Name: "random", X: make([]float32, n*sz[0]), Y: make([]int, n), Features: sz[0], Classes: sz[len(sz)-1]}
		for i := range train.X {
			if r.IntN(5) == 0 {
				train.X[i] = r.Float32()
			}
		}
		for i := range train.Y {
			train.Y[i] = r.IntN(train.Classes)
		}
	}
	m, err := nn.New(nn.ModelConfig{Sizes: sz, Seed: 1})
	if err != nil {
		return err
	}
	if *load != "" {
		if m, err = nn.Load(*load); err != nil {
			return err
		}
		if train == nil {
			if train, test, err = data.MNIST(""); err != nil {
				return err
			}
		}
	}
	if *epochs > 0 {
		_, err := m.Train(ctx, train, nn.Config{Epochs: *epochs, Seed: 1, Test: test}, func(p nn.Progress) {
			if p.EpochDone {
				fmt.Printf("epoch %d loss %.5f train %.4f test %.4f %.0f samples/s\n", p.Epoch, p.Loss, p.Accuracy, p.TestAccuracy, p.SamplesPerSecond)
			}
		})
		if err != nil {
			return err
		}
		if *save != "" {
			if err := m.Save(*save); err != nil {
				return err
			}
		}
	}
	if *snnT > 0 {
		ann, err := m.Evaluate(test)
		if err != nil {
			return err
		}
		net, err := snn.Convert(m, train.Head(10000), snn.ConvertConfig{})
		if err != nil {
			return err
		}
		c0 := cpuSeconds()
		res, err := net.Simulate(ctx, test, snn.SimConfig{T: *snnT, Seed: 1})
		if err != nil {
			return err
		}
		fmt.Printf("ANN test accuracy %.4f; SNN at T=%d: %.4f (T=50 %.4f, T=100 %.4f); spikes per inference by layer %.0f; synaptic events %.0f; %.1f CPU-s\n",
			ann, *snnT, res.Accuracy, res.AccuracyAt[min(49, *snnT-1)], res.AccuracyAt[min(99, *snnT-1)], res.SpikesPerLayer, res.SynapticEvents, cpuSeconds()-c0)
	}
	if *epochs > 0 || *snnT > 0 {
		return nil
	}
	label := "go"
	if *tileKeep > 0 {
		label = "go-tiles"
		r := rand.New(rand.NewPCG(3, 4))
		m.MaskMode = nn.MaskHard
		for l := 0; l < m.Layers(); l++ {
			rows, cols := m.Out(l), m.In(l)
			tm := nn.TileMask{K: 64, RowOrder: r.Perm(rows), ColOrder: r.Perm(cols), Keep: make([]bool, ((rows+63)/64)*((cols+63)/64))}
			for _, i := range r.Perm(len(tm.Keep))[:max(1, int(*tileKeep*float64(len(tm.Keep))+0.5))] {
				tm.Keep[i] = true
			}
			if err := m.SetTileMask(l, tm); err != nil {
				return err
			}
		}
	}
	tr, err := nn.NewTrainer(m, nn.Config{Seed: 1, NoShuffle: true})
	if err != nil {
		return err
	}
	if *warmup > 0 {
		if _, err := tr.TrainEpoch(ctx, train.Head(*warmup), nil); err != nil {
			return err
		}
	}
	timed := train.Subset(seq(*warmup, *warmup+*samples, train.Len()))
	c0, t0 := cpuSeconds(), time.Now()
	st, err := tr.TrainEpoch(ctx, timed, nil)
	if err != nil {
		return err
	}
	cpu, wall := cpuSeconds()-c0, time.Since(t0).Seconds()
	fmt.Printf("%s samples_per_cpu_second=%.0f samples_per_second=%.0f samples=%d cpu_s=%.3f wall_s=%.3f gomaxprocs=%d loss=%.4f\n",
		label, float64(st.Samples)/cpu, float64(st.Samples)/wall, st.Samples, cpu, wall, runtime.GOMAXPROCS(0), st.Loss)
	return nil
}

func seq(lo, hi, n int) []int {
	out := make([]int, 0, hi-lo)
	for i := lo; i < hi; i++ {
		out = append(out, i%n)
	}
	return out
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}
