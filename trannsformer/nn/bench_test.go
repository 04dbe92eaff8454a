package nn

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/data"
)

// randomMNISTLike makes n random 784-pixel samples (20% of pixels on).
func randomMNISTLike(n int) *data.Dataset {
	r := rand.New(rand.NewPCG(1, 2))
	d := &data.Dataset{Name: "random", X: make([]float32, n*784), Y: make([]int, n), Features: 784, Classes: 10}
	for i := range d.X {
		if r.IntN(5) == 0 {
			d.X[i] = r.Float32()
		}
	}
	for i := range d.Y {
		d.Y[i] = r.IntN(10)
	}
	return d
}

func referenceNet(b *testing.B) *MLP {
	m, err := New(ModelConfig{Sizes: []int{784, 1200, 1200, 10}, Seed: 1})
	if err != nil {
		b.Fatal(err)
	}
	return m
}

// BenchmarkForward evaluates the reference network on batches of 500.
func BenchmarkForward(b *testing.B) {
	m := referenceNet(b)
	d := randomMNISTLike(500)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := m.Predict(d); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*d.Len())/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkTrainBatch is one training step (forward, backward, update) of
// the reference recipe: 784-1200-1200-10, batch 400.
func BenchmarkTrainBatch(b *testing.B) {
	m := referenceNet(b)
	d := randomMNISTLike(400)
	tr, err := NewTrainer(m, Config{NoShuffle: true})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	tr.TrainEpoch(ctx, d, nil)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tr.TrainEpoch(ctx, d, nil)
	}
	b.ReportMetric(float64(b.N*d.Len())/b.Elapsed().Seconds(), "samples/s")
}

// BenchmarkEpoch is one epoch of 4000 samples (10 batches) of the reference
// recipe, shuffling included.
func BenchmarkEpoch(b *testing.B) {
	m := referenceNet(b)
	d := randomMNISTLike(4000)
	tr, err := NewTrainer(m, Config{})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := tr.TrainEpoch(ctx, d, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*d.Len())/b.Elapsed().Seconds(), "samples/s")
}
