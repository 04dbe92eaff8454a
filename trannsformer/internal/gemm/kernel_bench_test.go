package gemm

import "testing"

// BenchmarkKernel times each micro-kernel alone on L1-resident panels: the
// ceiling that blocking and packing can reach. "go-unfused" is the Go
// kernel as it was before its multiply-adds were single-rounded (two
// roundings each, other bits than the FMA kernels): the cost of fma32.
func BenchmarkKernel(b *testing.B) {
	unfused := *goKernel
	unfused.name, unfused.fn = "go-unfused", kernel4x4Unfused
	for _, kern := range append(kernels, &unfused) {
		b.Run(kern.name, func(b *testing.B) {
			const kc = kBlock
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

// kernel4x4Unfused is the former Go kernel: c += a*b in float32, which
// Go on amd64 (GOAMD64 v1/v2) compiles to a multiplication and an
// addition, each rounded.
func kernel4x4Unfused(kc int, a, b, c []float32, ldc int, alpha float32, load bool) {
	a, b = a[:4*kc], b[:4*kc]
	var acc [16]float32
	for p := 0; p < len(a); p += 4 {
		ap := a[p : p+4 : p+4]
		bp := b[p : p+4 : p+4]
		for i := 0; i < 4; i++ {
			for j := 0; j < 4; j++ {
				acc[i*4+j] += float32(ap[i] * bp[j])
			}
		}
	}
	for i := 0; i < 4; i++ {
		row := c[i*ldc : i*ldc+4]
		for j := range row {
			if load {
				row[j] += float32(alpha * acc[i*4+j])
			} else {
				row[j] = alpha * acc[i*4+j]
			}
		}
	}
}
