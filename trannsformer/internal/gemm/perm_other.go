//go:build !amd64

package gemm

// The AVX-512 path exists on amd64 only: active() never names it here.

func gatherReLUScale512(y, x, f *float32, idx, fi *int32, n int) { panic("gemm: no AVX-512 here") }

func gatedScatter512(d, grad, a *float32, idx *int32, n int, scale float32) {
	panic("gemm: no AVX-512 here")
}

func keepFactors512(ks *float32, start *[8]uint64, n int, thresh uint64, scale float32) {
	panic("gemm: no AVX-512 here")
}

func keepSIMD() bool { return false }
