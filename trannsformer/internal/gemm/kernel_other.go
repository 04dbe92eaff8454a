//go:build !amd64

package gemm

// bestKernel is the kernel Sgemm uses: the portable one on this
// architecture.
var bestKernel = genericKernel

// kernels lists every kernel that can run here, for tests and benchmarks.
var kernels = []*kernel{genericKernel}
