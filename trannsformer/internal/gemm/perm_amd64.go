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

// keepFactors512 is in keep_amd64.s: KeepFactors for n elements, n a
// multiple of 32, the counters of its first 8 groups in start.
//
//go:noescape
func keepFactors512(ks *float32, start *[8]uint64, n int, thresh uint64, scale float32)

// keepSIMD reports whether KeepFactors runs its vector loop: on the
// AVX-512 path, with AVX-512DQ and BW.
func keepSIMD() bool { return hasDQBW && active().name == "avx512" }

var hasDQBW = cpuFeatures().avx512dqbw
