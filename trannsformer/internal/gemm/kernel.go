package gemm

// kBlock is the largest k block: a product with inner dimension k is
// summed in blocks of blockSize(k, kBlock, 1) (KBlock), each accumulated
// from zero and then added to C. It is the same for every kernel, so that
// every path gives the same bits; 128 keeps the AVX-512 kernel's 16 KiB B
// micro-panel and 6 KiB A micro-panel in a 32 KiB L1, and the AVX2 one's
// in half of it.
const kBlock = 128

// kernel is a micro-kernel and the cache blocking that suits it.
//
// fn computes one mr x nr tile of C from an A micro-panel a (kc steps of mr
// values) and a B micro-panel b (kc steps of nr values):
//
//	acc[i][j] = 0, then for p in 0..kc-1, in that order:
//	    acc[i][j] = fma(a[p*mr+i], b[p*nr+j], acc[i][j])
//	C[i*ldc+j] = alpha*acc[i][j]                  if !load
//	C[i*ldc+j] = fma(alpha, acc[i][j], C[i*ldc+j]) if load
//
// where fma is a float32 multiply-add rounded once. Every kernel computes
// exactly this, so that its bits do not depend on the kernel. kc is at
// least 1 (at most kBlock in Sgemm, any length in SgemmBlocks). mc x kBlock
// of A should stay in L2, and kBlock x nc of B in L2 or L3.
//
// simd says whether the path uses the assembly helpers of its
// architecture (packing, AddTo, SpmmT); the "go" path runs none.
type kernel struct {
	name   string
	mr, nr int
	mc, nc int
	simd   bool
	fn     func(kc int, a, b, c []float32, ldc int, alpha float32, load bool)
}

// goKernel is the portable kernel, in Go: a 4x4 tile keeps its sixteen
// accumulators in registers on most architectures. Its multiply-adds are
// fma32, single-rounded like the FMA instructions of the other kernels.
var goKernel = &kernel{
	name: "go",
	mr:   4, nr: 4,
	mc: 128, nc: 1024,
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
		c00 = fma32(a0, b0, c00)
		c01 = fma32(a0, b1, c01)
		c02 = fma32(a0, b2, c02)
		c03 = fma32(a0, b3, c03)
		c10 = fma32(a1, b0, c10)
		c11 = fma32(a1, b1, c11)
		c12 = fma32(a1, b2, c12)
		c13 = fma32(a1, b3, c13)
		c20 = fma32(a2, b0, c20)
		c21 = fma32(a2, b1, c21)
		c22 = fma32(a2, b2, c22)
		c23 = fma32(a2, b3, c23)
		c30 = fma32(a3, b0, c30)
		c31 = fma32(a3, b1, c31)
		c32 = fma32(a3, b2, c32)
		c33 = fma32(a3, b3, c33)
	}
	store4(c[0:4:4], c00, c01, c02, c03, alpha, load)
	store4(c[ldc:ldc+4:ldc+4], c10, c11, c12, c13, alpha, load)
	store4(c[2*ldc:2*ldc+4:2*ldc+4], c20, c21, c22, c23, alpha, load)
	store4(c[3*ldc:3*ldc+4:3*ldc+4], c30, c31, c32, c33, alpha, load)
}

func store4(c []float32, x0, x1, x2, x3, alpha float32, load bool) {
	c = c[:4]
	if load {
		c[0] = fma32(alpha, x0, c[0])
		c[1] = fma32(alpha, x1, c[1])
		c[2] = fma32(alpha, x2, c[2])
		c[3] = fma32(alpha, x3, c[3])
		return
	}
	c[0] = alpha * x0
	c[1] = alpha * x1
	c[2] = alpha * x2
	c[3] = alpha * x3
}
