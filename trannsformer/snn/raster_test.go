package snn

import (
	"context"
	"math"
	"reflect"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
	"github.com/trannsformer/gotrann/trannsformer/nn"
)

// tiny returns a small converted network and its test data.
func tiny(t testing.TB) (*Network, *data.Dataset) {
	t.Helper()
	train, test := data.Synthetic(data.SyntheticConfig{N: 600, Seed: 2}).Split(0.8, 2)
	m, err := nn.New(nn.ModelConfig{Sizes: []int{64, 32, 10}, Seed: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Train(context.Background(), train, nn.Config{Epochs: 10, BatchSize: 50, Seed: 2}, nil); err != nil {
		t.Fatal(err)
	}
	net, err := Convert(m, train, ConvertConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return net, test
}

// sameResult reports whether two simulations agree on everything but the
// raster.
func sameResult(a, b *Result) bool {
	return a.T == b.T && a.Samples == b.Samples && a.Accuracy == b.Accuracy &&
		reflect.DeepEqual(a.AccuracyAt, b.AccuracyAt) && reflect.DeepEqual(a.SpikesPerLayer, b.SpikesPerLayer) &&
		reflect.DeepEqual(a.SynapticEvents, b.SynapticEvents) && reflect.DeepEqual(a.Confusion, b.Confusion)
}

func TestRecordChangesNothing(t *testing.T) {
	net, test := tiny(t)
	ctx := context.Background()
	const N, T = 40, 50
	plain, err := net.Simulate(ctx, test, SimConfig{T: T, Seed: 5, Samples: N, Batch: 16})
	if err != nil {
		t.Fatal(err)
	}
	if plain.Raster != nil {
		t.Fatal("a raster without Record")
	}
	// Sum of the recorded spikes of every sample, per layer.
	total := make([]int, len(net.Sizes))
	var first *Raster
	for k := 0; k < N; k++ {
		r, err := net.Simulate(ctx, test, SimConfig{T: T, Seed: 5, Samples: N, Batch: 16, Record: true, RecordSample: k})
		if err != nil {
			t.Fatal(err)
		}
		if !sameResult(plain, r) {
			t.Fatalf("recording sample %d changed the result: spikes %v, want %v; accuracy %v, want %v",
				k, r.SpikesPerLayer, plain.SpikesPerLayer, r.Accuracy, plain.Accuracy)
		}
		ra := r.Raster
		if ra == nil || ra.Sample != k || ra.Label != test.Y[k] || ra.T != T || len(ra.Spikes) != len(net.Sizes) {
			t.Fatalf("sample %d: raster %+v", k, ra)
		}
		for l, trains := range ra.Spikes {
			if len(trains) != net.Sizes[l] {
				t.Fatalf("layer %d: %d trains for %d neurons", l, len(trains), net.Sizes[l])
			}
			for i, ts := range trains {
				for j, x := range ts {
					if x < 0 || x >= T || (j > 0 && x <= ts[j-1]) {
						t.Fatalf("sample %d, layer %d, neuron %d: spike times %v", k, l, i, ts)
					}
				}
			}
			total[l] += ra.Count(l)
		}
		if k == 0 {
			first = ra
		}
	}
	t.Logf("accuracy %.3f, spikes per sample %v", plain.Accuracy, plain.SpikesPerLayer)
	for l, c := range total {
		if want := plain.SpikesPerLayer[l] * N; float64(c) != want {
			t.Errorf("layer %d: %d spikes recorded over the samples, the simulation counted %v", l, c, want)
		}
		if c == 0 {
			t.Errorf("layer %d: no spike recorded", l)
		}
	}
	// One sample alone: the recorded counts are the simulation's counts.
	one, err := net.Simulate(ctx, test, SimConfig{T: T, Seed: 5, Samples: 1, Record: true})
	if err != nil {
		t.Fatal(err)
	}
	for l := range one.SpikesPerLayer {
		if float64(one.Raster.Count(l)) != one.SpikesPerLayer[l] {
			t.Errorf("layer %d: %d recorded, %v counted", l, one.Raster.Count(l), one.SpikesPerLayer[l])
		}
	}
	// The per-neuron counts of one sample are its spike trains' lengths;
	// over many samples they sum to the layer counts.
	for l, trains := range one.Raster.Spikes {
		for i, ts := range trains {
			if got := one.SpikesPerNeuron[l][i]; got != float64(len(ts)) {
				t.Fatalf("layer %d, neuron %d: %v spikes counted, %d recorded", l, i, got, len(ts))
			}
		}
	}
	for l, pn := range plain.SpikesPerNeuron {
		sum := 0.0
		for _, v := range pn {
			sum += v * N
		}
		if math.Abs(sum-plain.SpikesPerLayer[l]*N) > 1e-6*sum {
			t.Errorf("layer %d: per-neuron counts sum to %v, the layer count is %v", l, sum, plain.SpikesPerLayer[l]*N)
		}
	}
	if !reflect.DeepEqual(one.Raster, first) {
		t.Error("the raster of sample 0 depends on the number of samples simulated")
	}
	if got := one.Confusion.Accuracy() == 1; got != (one.Raster.Predicted == one.Raster.Label) {
		t.Errorf("predicted %d, label %d, accuracy %v", one.Raster.Predicted, one.Raster.Label, one.Accuracy)
	}
}

func TestRecordDeterministic(t *testing.T) {
	net, test := tiny(t)
	ctx := context.Background()
	sim := func(seed uint64, batch int) *Raster {
		r, err := net.Simulate(ctx, test, SimConfig{T: 25, Seed: seed, Samples: 30, Batch: batch, Record: true, RecordSample: 17})
		if err != nil {
			t.Fatal(err)
		}
		return r.Raster
	}
	a, b, c := sim(3, 0), sim(3, 7), sim(4, 0)
	if !reflect.DeepEqual(a, b) {
		t.Error("the batch size changed the raster")
	}
	if reflect.DeepEqual(a.Spikes[0], c.Spikes[0]) {
		t.Error("the seed does not change the recorded input spikes")
	}
}

func TestRecordErrors(t *testing.T) {
	net, test := tiny(t)
	for _, k := range []int{-1, 10, 1000} {
		if _, err := net.Simulate(context.Background(), test, SimConfig{T: 5, Samples: 10, Record: true, RecordSample: k}); err == nil {
			t.Errorf("recorded sample %d of 10 accepted", k)
		}
	}
	var r *Raster
	if r.Count(0) != 0 {
		t.Error("count of a nil raster")
	}
}

// BenchmarkSimulateRecord is BenchmarkSimulate recording one sample.
func BenchmarkSimulateRecord(b *testing.B) {
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
		if _, err := net.Simulate(context.Background(), d, SimConfig{T: 20, Record: true, RecordSample: 100}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*d.Len()*20)/b.Elapsed().Seconds(), "sample-steps/s")
}
