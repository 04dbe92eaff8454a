package gemm

import (
	"fmt"
	"testing"
)

// BenchmarkPack times packing a 256 x 1200 block of op(B) and a 144 x 256
// block of op(A), both ways round, in ns per element.
func BenchmarkPack(b *testing.B) {
	const kb, nb, mb, ld = 256, 1200, 144, 1300
	src := make([]float32, ld*ld)
	dst := alignedFloats(kb * roundUp(nb, 32))
	for _, nr := range []int{16, 32} {
		for _, t := range []bool{false, true} {
			b.Run(fmt.Sprintf("B/nr%d/trans=%v", nr, t), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					packB(true, dst, src, ld, t, 0, kb, 0, nb, nr)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(kb*nb), "ns/elem")
			})
		}
	}
	for _, mr := range []int{6, 12} {
		for _, t := range []bool{false, true} {
			b.Run(fmt.Sprintf("A/mr%d/trans=%v", mr, t), func(b *testing.B) {
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					packA(true, dst, src, ld, t, 0, mb, 0, kb, mr)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/(kb*mb), "ns/elem")
			})
		}
	}
}
