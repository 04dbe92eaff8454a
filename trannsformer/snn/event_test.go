package snn

import (
	"context"
	"math"
	"math/rand/v2"
	"reflect"
	"runtime"
	"slices"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/internal/gemm"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// wideNet trains a network whose hidden layers are wider than the GEMM's k
// blocks, so that the event-driven sums cross block boundaries.
func wideNet(t testing.TB) (*Network, *data.Dataset) {
	t.Helper()
	train, test := data.Synthetic(data.SyntheticConfig{N: 1500, Seed: 2}).Split(0.8, 1)
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 300, 200, 10}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: 5, BatchSize: 50}, nil); err != nil {
		t.Fatal(err)
	}
	net, err := Convert(m, train, ConvertConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return net, test
}

// TestSimulateMatchesGEMM: the event-driven simulation gives exactly the
// results of the dense one (accuracy per timestep, spike and event counts,
// confusion matrix, recorded raster), for any GOMAXPROCS and batch.
func TestSimulateMatchesGEMM(t *testing.T) {
	net, test := wideNet(t)
	ctx := context.Background()
	for _, cfg := range []SimConfig{
		{T: 40, Seed: 3, Samples: 120, Batch: 50, Record: true, RecordSample: 77},
		{T: 25, Seed: 4, Batch: 33, MaxRate: 0.5, Threshold: 0.7},
	} {
		want, err := net.simulateGEMM(ctx, test, cfg)
		if err != nil {
			t.Fatal(err)
		}
		for _, procs := range []int{1, 2, 3, 7} {
			func() {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
				got, err := net.Simulate(ctx, test, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(got, want) {
					t.Errorf("GOMAXPROCS %d, %+v: event-driven %v / %v / %v, dense %v / %v / %v", procs, cfg,
						got.Accuracy, got.SpikesPerLayer, got.SynapticEvents, want.Accuracy, want.SpikesPerLayer, want.SynapticEvents)
				}
			}()
		}
	}
}

func TestSimulateCancelled(t *testing.T) {
	net, test := wideNet(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := net.Simulate(ctx, test, SimConfig{T: 10}); err == nil {
		t.Error("a cancelled context gave no error")
	}
}

// BenchmarkSimulateEvents compares the event-driven simulation with the
// dense one it replaced (gemm), in the same run: the reference network
// (784-1200-1200-10, trained one epoch on 2000 MNIST images, or synthetic
// 28x28 digits without MNIST), 1000 test samples, 20 timesteps.
func BenchmarkSimulateEvents(b *testing.B) {
	// Real MNIST when it is in the cache (its spike rates are what the
	// paper's runs see), else synthetic digits.
	train, test, err := data.MNIST("")
	if err == nil {
		train, test = train.Head(2000), test.Head(1000)
	} else {
		train, test = data.Synthetic(data.SyntheticConfig{N: 2000, Side: 28, Seed: 1}).Split(0.5, 1)
	}
	m, err := nn.New(nn.ModelConfig{Sizes: []int{784, 1200, 1200, 10}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: 1}, nil); err != nil {
		b.Fatal(err)
	}
	net, err := Convert(m, train, ConvertConfig{})
	if err != nil {
		b.Fatal(err)
	}
	cfg := SimConfig{T: 20, Seed: 1}
	if res, err := net.Simulate(context.Background(), test, cfg); err == nil {
		b.Logf("%s: spikes per inference by layer %.0f", test.Name, res.SpikesPerLayer)
	}
	for _, impl := range []struct {
		name string
		run  func(context.Context, *data.Dataset, SimConfig) (*Result, error)
	}{{"gemm", net.simulateGEMM}, {"events", net.Simulate}} {
		b.Run(impl.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := impl.run(context.Background(), test, cfg); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*test.Len()*cfg.T)/b.Elapsed().Seconds(), "sample-steps/s")
		})
	}
}

// TestIntegrateMatchesSgemm: the event-driven sums give the potentials of
// the dense product bit for bit, for random spikes over several k blocks
// (the rounding of other summation orders would show here).
func TestIntegrateMatchesSgemm(t *testing.T) {
	const ni, no, rows = 700, 300, 13
	r := rand.New(rand.NewPCG(1, 2))
	n := &Network{Sizes: []int{ni, no}, W: [][]float32{make([]float32, ni*no)}}
	for i := range n.W[0] {
		n.W[0][i] = float32(r.NormFloat64())
	}
	n.countFanout()
	s := n.newSimulator(&data.Dataset{Features: ni}, &SimConfig{T: 1}, rows, nil, nil)
	spk := make([]float32, rows*ni)
	for row := 0; row < rows; row++ {
		c := 0
		for i := 0; i < ni; i++ {
			if r.Float64() < 0.05*float64(row%4) {
				spk[row*ni+i] = 1
				s.lists[0][row*ni+c] = int32(i)
				c++
			}
		}
		s.nspk[0][row] = c
	}
	for i := range s.v[1] {
		s.v[1][i] = float32(r.NormFloat64())
	}
	want := slices.Clone(s.v[1])
	gemm.Sgemm(false, false, rows, no, ni, 1, spk, ni, n.wt[0], no, 1, want, no)
	for c0 := 0; c0 < rows; c0 += chunk {
		s.integrate(0, c0, min(c0+chunk, rows))
	}
	for i := range want {
		if math.Float32bits(want[i]) != math.Float32bits(s.v[1][i]) {
			t.Fatalf("potential %d: events %v, Sgemm %v", i, s.v[1][i], want[i])
		}
	}
}
