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

// BenchmarkEpochTiles is BenchmarkEpoch for the reference network whose
// layers keep 12% of their 64x64 tiles (shuffled orders, hard masks):
// "dense" has no mask, "masked" the same masks as plain element masks
// (dense products), "tiles" the block-sparse path. Compare the three in
// the same run.
func BenchmarkEpochTiles(b *testing.B) {
	d := randomMNISTLike(4000)
	r := rand.New(rand.NewPCG(3, 4))
	for _, mode := range []string{"dense", "masked", "tiles"} {
		b.Run(mode, func(b *testing.B) {
			m := referenceNet(b)
			m.MaskMode = MaskHard
			for l := 0; l < m.Layers() && mode != "dense"; l++ {
				rows, cols := m.Out(l), m.In(l)
				rt, ct := (rows+63)/64, (cols+63)/64
				tm := TileMask{K: 64, RowOrder: r.Perm(rows), ColOrder: r.Perm(cols), Keep: make([]bool, rt*ct)}
				n := max(1, int(0.12*float64(len(tm.Keep))+0.5))
				for _, i := range r.Perm(len(tm.Keep))[:n] {
					tm.Keep[i] = true
				}
				bl, err := newBlockLayer(rows, cols, tm)
				if err != nil {
					b.Fatal(err)
				}
				if mode == "tiles" {
					err = m.SetTileMask(l, tm)
				} else {
					err = m.SetMask(l, bl.mask)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
			tr, err := NewTrainer(m, Config{})
			if err != nil {
				b.Fatal(err)
			}
			ctx := context.Background()
			if _, err := tr.TrainEpoch(ctx, d.Head(400), nil); err != nil { // warm the buffers
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				if _, err := tr.TrainEpoch(ctx, d, nil); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*d.Len())/b.Elapsed().Seconds(), "samples/s")
			if cpu := processCPU() - cpu0; cpu > 0 {
				b.ReportMetric(float64(b.N*d.Len())/cpu.Seconds(), "samples/cpu-s")
			}
		})
	}
}
