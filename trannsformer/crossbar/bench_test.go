package crossbar

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
)

func BenchmarkMapping(b *testing.B) {
	ctx := context.Background()
	rnd := randomBinary(rand.New(rand.NewPCG(1, 1)), 1200, 1200, 0.1)
	pl := plantedBinary(20, 1200, 1200, 20, 40, 50, 0.95, 0.002)
	full := cluster.Full(1200, 1200)
	for _, bc := range []struct {
		name string
		c    *cluster.Binary
	}{{"random1200d10", rnd}, {"planted20x40x50", pl}} {
		res, err := cluster.Reference(ctx, bc.c, cluster.Config{Seed: 1, PerAxis: true})
		if err != nil {
			b.Fatal(err)
		}
		part, err := cluster.CoCluster(ctx, bc.c, cluster.PartitionConfig{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.Run(bc.name+"/pruned", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				Pruned(bc.c, 64)
			}
		})
		b.Run(bc.name+"/trannsformed", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := TraNNsformed(bc.c, res, 64); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(bc.name+"/packed", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := Packed(ctx, bc.c, part, CompactConfig{}); err != nil {
					b.Fatal(err)
				}
			}
		})
		m, _ := Pruned(bc.c, 64)
		b.Run(bc.name+"/verify", func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if err := m.Verify(bc.c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("dense1200x1200full", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			Dense(full, 64)
		}
	})
}
