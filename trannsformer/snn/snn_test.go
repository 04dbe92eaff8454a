package snn

import (
	"context"
	"errors"
	"math"
	"os"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

func trained(t testing.TB) (*nn.MLP, *data.Dataset, *data.Dataset) {
	t.Helper()
	train, test := data.Synthetic(data.SyntheticConfig{N: 3000, Seed: 1}).Split(0.8, 1)
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 64, 10}, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: 15, BatchSize: 50}, nil); err != nil {
		t.Fatal(err)
	}
	return m, train, test
}

func TestConvertAndSimulate(t *testing.T) {
	m, train, test := trained(t)
	ann, _ := m.Evaluate(test)
	for _, pct := range []float64{0, 99.9} {
		net, err := Convert(m, train, ConvertConfig{Percentile: pct})
		if err != nil {
			t.Fatal(err)
		}
		if net.Lambda[0] != 1 || net.Lambda[1] <= 0 {
			t.Errorf("lambda %v", net.Lambda)
		}
		res, err := net.Simulate(context.Background(), test, SimConfig{T: 200, Seed: 1})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("percentile %v: ANN %.4f, SNN %.4f at T=200, %.4f at T=20; spikes/inference %v", pct, ann, res.Accuracy, res.AccuracyAt[19], res.SpikesPerLayer)
		if res.Accuracy < ann-0.02 {
			t.Errorf("percentile %v: SNN accuracy %.4f, ANN %.4f", pct, res.Accuracy, ann)
		}
		if len(res.AccuracyAt) != 200 || res.AccuracyAt[199] != res.Accuracy || res.Samples != test.Len() {
			t.Errorf("accuracy curve: %d points, first %v", len(res.AccuracyAt), res.AccuracyAt[0])
		}
		for l, s := range res.SpikesPerLayer {
			if s <= 0 {
				t.Errorf("layer %d: %v spikes", l, s)
			}
		}
		if res.SynapticEvents[0] <= res.SpikesPerLayer[0] {
			t.Errorf("synaptic events %v", res.SynapticEvents)
		}
		if res.Confusion.Total() != test.Len() || math.Abs(res.Confusion.Accuracy()-res.Accuracy) > 1e-12 {
			t.Error("confusion matrix")
		}
	}
}

func TestSimulateDeterministic(t *testing.T) {
	m, train, test := trained(t)
	net, err := Convert(m, train, ConvertConfig{Samples: 500})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := net.Simulate(context.Background(), test, SimConfig{T: 30, Seed: 3, Batch: 7, Samples: 100})
	b, _ := net.Simulate(context.Background(), test, SimConfig{T: 30, Seed: 3, Batch: 100, Samples: 100})
	c, _ := net.Simulate(context.Background(), test, SimConfig{T: 30, Seed: 4, Samples: 100})
	for l := range a.SpikesPerLayer {
		if a.SpikesPerLayer[l] != b.SpikesPerLayer[l] {
			t.Errorf("batch size changed the spikes: %v %v", a.SpikesPerLayer, b.SpikesPerLayer)
		}
	}
	if a.SpikesPerLayer[0] == c.SpikesPerLayer[0] {
		t.Error("the seed does not change the input spikes")
	}
}

func TestConvertErrors(t *testing.T) {
	train := data.Synthetic(data.SyntheticConfig{N: 100, Seed: 1})
	mb, _ := nn.New(nn.ModelConfig{Sizes: []int{64, 10}, Bias: true})
	if _, err := Convert(mb, train, ConvertConfig{}); !errors.Is(err, ErrBias) {
		t.Errorf("biases: %v", err)
	}
	ml, _ := nn.New(nn.ModelConfig{Sizes: []int{64, 10}, OutputLinear: true})
	if _, err := Convert(ml, train, ConvertConfig{}); err == nil {
		t.Error("linear output accepted")
	}
	m, _ := nn.New(nn.ModelConfig{Sizes: []int{32, 10}})
	if _, err := Convert(m, train, ConvertConfig{}); err == nil {
		t.Error("wrong input width accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	m2, _ := nn.New(nn.ModelConfig{Sizes: []int{64, 10}})
	net, err := Convert(m2, train, ConvertConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := net.Simulate(ctx, train, SimConfig{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v", err)
	}
}

// TestMNISTSpiking converts an MNIST network and compares the spiking and
// ANN accuracies. Quick form: a 784-128-10 net on a subset, T = 100, within
// 2 points. With GOTRANN_LONG_TESTS=1: the reference 784-1200-1200-10 net,
// 15 epochs, full test set, T = 200, within 0.5 points (the target).
func TestMNISTSpiking(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	train, test, err := data.MNIST("")
	if err != nil {
		t.Skipf("MNIST not available: %v", err)
	}
	long := os.Getenv("GOTRANN_LONG_TESTS") == "1"
	sizes, epochs, T, tol := []int{784, 128, 10}, 4, 100, 0.02
	if long {
		sizes, epochs, T, tol = []int{784, 1200, 1200, 10}, 15, 200, 0.005
	} else {
		train, test = train.Head(20000), test.Head(500)
	}
	m, _ := nn.New(nn.ModelConfig{Sizes: sizes, Seed: 1})
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: epochs, Seed: 1}, nil); err != nil {
		t.Fatal(err)
	}
	ann, _ := m.Evaluate(test)
	net, err := Convert(m, train.Head(10000), ConvertConfig{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := net.Simulate(context.Background(), test, SimConfig{T: T, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%v: ANN %.4f, SNN %.4f at T=%d (T=50: %.4f); spikes/inference %.0f", sizes, ann, res.Accuracy, T, res.AccuracyAt[49], res.SpikesPerLayer)
	if res.Accuracy < ann-tol {
		t.Errorf("SNN %.4f, ANN %.4f: more than %.1f points apart", res.Accuracy, ann, 100*tol)
	}
}

func BenchmarkSimulate(b *testing.B) {
	m, err := nn.New(nn.ModelConfig{Sizes: []int{784, 1200, 1200, 10}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	d := data.Synthetic(data.SyntheticConfig{N: 250, Side: 28, Seed: 1})
	net, err := Convert(m, d, ConvertConfig{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := net.Simulate(context.Background(), d, SimConfig{T: 20}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*d.Len()*20)/b.Elapsed().Seconds(), "sample-steps/s")
}
