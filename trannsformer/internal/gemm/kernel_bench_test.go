package gemm

import "testing"

// BenchmarkKernel times each micro-kernel alone on L1-resident panels: the
// ceiling that blocking and packing can reach.
func BenchmarkKernel(b *testing.B) {
	for _, kern := range kernels {
		b.Run(kern.name, func(b *testing.B) {
			const kc = 256
			a := alignedFloats(kern.mr * kc)
			bp := alignedFloats(kern.nr * kc)
			c := alignedFloats(kern.mr * kern.nr)
			for i := range a {
				a[i] = 1e-3
			}
			for i := range bp {
				bp[i] = 1e-3
			}
			b.ReportAllocs()
			cpu0 := processCPU()
			for i := 0; i < b.N; i++ {
				kern.fn(kc, a, bp, c, kern.nr, 1, true)
			}
			reportFlops(b, 2*float64(kern.mr*kern.nr*kc), processCPU()-cpu0)
		})
	}
}
