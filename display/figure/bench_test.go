package figure

import (
	"io"
	"testing"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/plot/vg"
)

// BenchmarkConnectivityMNIST draws the 1200×784 first layer of the paper's
// MNIST network, permuted, with 64×64 crossbar boundaries, to PNG.
func BenchmarkConnectivityMNIST(b *testing.B) {
	c, rp, cp := clusteredLayer(1, 1200, 784, []Block{{Rows: 600, Cols: 400}, {Row: 600, Col: 400, Rows: 600, Cols: 384}}, 0.05)
	var m mat.Matrix = c
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		p, err := Connectivity(m, ConnectivityOptions{RowPerm: rp, ColPerm: cp, K: 64})
		if err != nil {
			b.Fatal(err)
		}
		w, err := p.WriterTo(6*vg.Inch, 6*vg.Inch, "png")
		if err != nil {
			b.Fatal(err)
		}
		if _, err := w.WriteTo(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}
