//go:build !amd64

package gemm

// transpose4 transposes four runs of n values, src[r*ld:r*ld+n] for r < 4,
// into dst[s*width+r].
func transpose4(_ bool, dst, src []float32, ld, n, width int) {
	transpose4Go(dst, src, ld, n, width)
}

// copyFull copies n runs of width floats, src[s*ld:s*ld+width], to
// dst[s*width:].
func copyFull(_ bool, dst, src []float32, ld, n, width int) {
	copyFullGo(dst, src, ld, n, width)
}

// transpose2 transposes two runs of n values, src[r*ld:r*ld+n] for r < 2,
// into dst[s*width+r].
func transpose2(_ bool, dst, src []float32, ld, n, width int) {
	transpose2Go(dst, src, ld, n, width)
}
