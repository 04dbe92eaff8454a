//go:build !amd64

package gemm

// kernels lists every kernel that can run here: the portable one.
var kernels = []*kernel{goKernel}
