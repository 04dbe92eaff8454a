//go:build amd64

package gemm

// kernel6x16AVX2 is the AVX2+FMA micro-kernel: see kernel.fn for the
// contract; a holds kc*6 and b kc*16 floats, c a 6x16 tile with stride ldc.
//
//go:noescape
func kernel6x16AVX2(kc int, a, b, c *float32, ldc int, alpha float32, load bool)

// kernel12x32AVX512 is the AVX-512 micro-kernel: a holds kc*12 and b kc*32
// floats, c a 12x32 tile with stride ldc.
//
//go:noescape
func kernel12x32AVX512(kc int, a, b, c *float32, ldc int, alpha float32, load bool)

// avx2Kernel: 6x16 tile in 12 YMM accumulators. With k blocks of kBlock
// (128) the B micro-panel takes 8 KiB and the A one 3 KiB of a 32 KiB L1
// (Zen 4, Skylake); mc=144 makes a 72 KiB A block for L2 (1 MiB per core
// here); nc=2048 a B block of 1 MiB at most, streamed from L3. (It used
// k blocks of 256, which suited it as well, but gave other bits than the
// AVX-512 kernel.)
var avx2Kernel = &kernel{
	name: "avx2",
	mr:   6, nr: 16,
	mc: 144, nc: 2048,
	simd: true,
	fn: func(kc int, a, b, c []float32, ldc int, alpha float32, load bool) {
		_, _, _ = a[6*kc-1], b[16*kc-1], c[5*ldc+15]
		kernel6x16AVX2(kc, &a[0], &b[0], &c[0], ldc, alpha, load)
	},
}

// avx512Kernel: 12x32 tile in 24 ZMM accumulators. Its B micro-panel takes
// 128 bytes per k step, so k blocks of kBlock (128) keep 16 + 6 KiB in L1;
// mc=144 and nc=2048 as for the AVX2 kernel.
var avx512Kernel = &kernel{
	name: "avx512",
	mr:   12, nr: 32,
	mc: 144, nc: 2048,
	simd: true,
	fn: func(kc int, a, b, c []float32, ldc int, alpha float32, load bool) {
		_, _, _ = a[12*kc-1], b[32*kc-1], c[11*ldc+31]
		kernel12x32AVX512(kc, &a[0], &b[0], &c[0], ldc, alpha, load)
	},
}

// kernels lists the kernels this CPU can run, fastest first; the portable
// one is always last. The first is the default path.
var kernels = supportedKernels()

func supportedKernels() []*kernel {
	var ks []*kernel
	f := cpuFeatures()
	if f.avx512 && !f.halfRate512 {
		ks = append(ks, avx512Kernel)
	}
	if f.avx2 {
		ks = append(ks, avx2Kernel)
	}
	if f.avx512 && f.halfRate512 {
		ks = append(ks, avx512Kernel)
	}
	return append(ks, goKernel)
}
