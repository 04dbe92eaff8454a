package cost

import (
	"testing"

	"github.com/trannsformer/gotrann/trannsformer/cluster"
	"github.com/trannsformer/gotrann/trannsformer/crossbar"
)

func BenchmarkNetwork(b *testing.B) {
	var layers []*crossbar.Mapping
	for _, l := range [][2]int{{1200, 784}, {1200, 1200}, {10, 1200}} {
		m, err := crossbar.Dense(cluster.Full(l[0], l[1]), 64)
		if err != nil {
			b.Fatal(err)
		}
		layers = append(layers, m)
	}
	c := RESPARC()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Network(layers, []float64{5, 3, 3}, 100, c); err != nil {
			b.Fatal(err)
		}
	}
}
