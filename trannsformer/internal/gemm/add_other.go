//go:build !amd64

package gemm

func addTo(_ bool, dst, src []float32) { addToGo(dst, src) }

func axpy(_ bool, dst, src []float32, a float32) { axpyGo(dst, src, a) }

func sparseRow(_ bool, d, at []float32, idx []int32, val []float32) { sparseRowGo(d, at, idx, val) }
