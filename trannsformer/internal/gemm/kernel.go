package gemm

// kernel is a micro-kernel and the cache blocking that suits it.
//
// fn computes one mr x nr tile of C from an A micro-panel a (kc steps of mr
// values) and a B micro-panel b (kc steps of nr values):
//
//	acc[i][j] = sum over p in 0..kc-1, in that order, of a[p*mr+i]*b[p*nr+j]
//	C[i*ldc+j] = alpha*acc[i][j]             if !load
//	C[i*ldc+j] = alpha*acc[i][j] + C[i*ldc+j] if load
//
// kc is at least 1. kc, mc and nc are the largest block sizes: kc x nr of B
// should stay in L1 next to an mr x kc A panel, mc x kc of A in L2, and
// kc x nc of B in L2 or L3.
type kernel struct {
	name       string
	mr, nr     int
	kc, mc, nc int
	fn         func(kc int, a, b, c []float32, ldc int, alpha float32, load bool)
}

// genericKernel is the portable kernel, in Go: a 4x4 tile keeps its sixteen
// accumulators in registers on most architectures.
var genericKernel = &kernel{
	name: "generic",
	mr:   4, nr: 4,
	kc: 256, mc: 128, nc: 1024,
	fn: kernel4x4,
}

func kernel4x4(kc int, a, b, c []float32, ldc int, alpha float32, load bool) {
	a, b = a[:4*kc], b[:4*kc]
	var c00, c01, c02, c03 float32
	var c10, c11, c12, c13 float32
	var c20, c21, c22, c23 float32
	var c30, c31, c32, c33 float32
	for p := 0; p < len(a); p += 4 {
		ap := a[p : p+4 : p+4]
		bp := b[p : p+4 : p+4]
		a0, a1, a2, a3 := ap[0], ap[1], ap[2], ap[3]
		b0, b1, b2, b3 := bp[0], bp[1], bp[2], bp[3]
		c00 += a0 * b0
		c01 += a0 * b1
		c02 += a0 * b2
		c03 += a0 * b3
		c10 += a1 * b0
		c11 += a1 * b1
		c12 += a1 * b2
		c13 += a1 * b3
		c20 += a2 * b0
		c21 += a2 * b1
		c22 += a2 * b2
		c23 += a2 * b3
		c30 += a3 * b0
		c31 += a3 * b1
		c32 += a3 * b2
		c33 += a3 * b3
	}
	store4(c[0:4:4], c00, c01, c02, c03, alpha, load)
	store4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, load)
	store4(c[2*ldc:2*ldc+4:2*ldc+4], c20, c21, c22, c23, alpha, load)
	store4(c[3*ldc:3*ldc+4:3*ldc+4], c30, c31, c32, c33, alpha, load)
}

func store4(c []float32, x0, x1, x2, x3, alpha float32, load bool) {
	c = c[:4]
	if load {
		c[0] += alpha * x0
		c[1] += alpha * x1
		c[2] += alpha * x2
		c[3] += alpha * x3
		return
	}
	c[0] = alpha * x0
	c[1] = alpha * x1
	c[2] = alpha * x2
	c[3] = alpha * x3
}
