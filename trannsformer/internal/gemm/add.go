package gemm

// KBlock returns the size of the k blocks in which Sgemm sums a product
// with inner dimension k, the same on every path and CPU: every element of
// C receives, for each block in turn, the block's sum accumulated from zero
// in k order, added to C. Callers that skip zero terms (a spiking
// network's silent inputs) reproduce Sgemm's bits by summing the same
// blocks.
func KBlock(k int) int {
	if k <= 0 {
		return 0
	}
	return blockSize(k, kBlock, 1)
}

// AddTo sets dst[i] += src[i] for i < len(dst) (src at least as long),
// with the rounding of one float32 addition per element, as Sgemm's
// kernels accumulate a product term whose other factor is 1.
func AddTo(dst, src []float32) {
	if len(dst) == 0 {
		return
	}
	src = src[:len(dst)]
	addTo(active().simd, dst, src)
}

func addToGo(dst, src []float32) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] += src[i]
	}
}

// axpyGo sets dst[i] = fma(a, src[i], dst[i]), single-rounded as by the
// FMA instructions.
func axpyGo(dst, src []float32, a float32) {
	src = src[:len(dst)]
	for i := range dst {
		dst[i] = fma32(a, src[i], dst[i])
	}
}

// sparseRowGo is spmmRow64 in Go.
func sparseRowGo(d, at []float32, idx []int32, val []float32) {
	d = d[:64]
	clear(d)
	for x, i := range idx {
		axpyGo(d, at[int(i)*64:int(i)*64+64], val[x])
	}
}
