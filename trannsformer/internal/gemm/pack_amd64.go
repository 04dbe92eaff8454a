//go:build amd64

package gemm

// transpose4x4SSE, transpose2x4SSE and copyRowsSSE are in pack_amd64.s.

//go:noescape
func transpose4x4SSE(dst, src *float32, ld, blocks, width int)

//go:noescape
func copyRowsSSE(dst, src *float32, ld, n, width int)

//go:noescape
func transpose2x4SSE(dst, src *float32, ld, blocks, width int)

// transpose2 transposes two runs of n values, src[r*ld:r*ld+n] for r < 2,
// into dst[s*width+r]: in blocks of 2x4 with SSE, the last n%4 in Go.
func transpose2(simd bool, dst, src []float32, ld, n, width int) {
	if !simd {
		transpose2Go(dst, src, ld, n, width)
		return
	}
	_, _ = dst[(n-1)*width+1], src[ld+n-1]
	n4 := n &^ 3
	if n4 > 0 {
		transpose2x4SSE(&dst[0], &src[0], ld, n4/4, width)
	}
	if n4 < n {
		transpose2Go(dst[n4*width:], src[n4:], ld, n-n4, width)
	}
}

// copyFull copies n runs of width floats, src[s*ld:s*ld+width], to
// dst[s*width:]. width must be even.
func copyFull(simd bool, dst, src []float32, ld, n, width int) {
	if !simd {
		copyFullGo(dst, src, ld, n, width)
		return
	}
	if n == 0 {
		return
	}
	_, _ = dst[n*width-1], src[(n-1)*ld+width-1]
	copyRowsSSE(&dst[0], &src[0], ld, n, width)
}

// transpose4 transposes four runs of n values, src[r*ld:r*ld+n] for r < 4,
// into dst[s*width+r]: in blocks of 4x4 with SSE, the last n%4 in Go.
func transpose4(simd bool, dst, src []float32, ld, n, width int) {
	if !simd {
		transpose4Go(dst, src, ld, n, width)
		return
	}
	_, _ = dst[(n-1)*width+3], src[3*ld+n-1]
	n4 := n &^ 3
	if n4 > 0 {
		transpose4x4SSE(&dst[0], &src[0], ld, n4/4, width)
	}
	if n4 < n {
		transpose4Go(dst[n4*width:], src[n4:], ld, n-n4, width)
	}
}
