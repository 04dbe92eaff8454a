//go:build amd64

package gemm

// gatherReLUScale512 is in perm_amd64.s: GatherReLUScale for i < n, n a
// multiple of 16, with AVX-512 gathers.
//
//go:noescape
func gatherReLUScale512(y, x, f *float32, idx, fi *int32, n int)

// gatedScatter512 is in perm_amd64.s: GatedScatter for i < n, n a
// multiple of 16, with an AVX-512 scatter.
//
//go:noescape
func gatedScatter512(d, grad, a *float32, idx *int32, n int, scale float32)
