package gemm

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"
)

// mlpShapes are the products of training the 784-1200-1200-10 MLP with
// batches of 400: the forward pass Y = X·Wᵀ, the weight gradient
// dW = dYᵀ·X and the input gradient dX = dY·W, for the first layer
// (784 inputs), the second (1200x1200) and the output layer (10 outputs).
// A training step needs all of them but dX784. testdata/compare_torch.py
// times the same list with PyTorch.
var mlpShapes = []struct {
	name    string
	tA, tB  bool
	m, n, k int
}{
	{"fwd784", false, true, 400, 1200, 784},
	{"dW784", true, false, 1200, 784, 400},
	{"dX784", false, false, 400, 784, 1200},
	{"fwd1200", false, true, 400, 1200, 1200},
	{"dW1200", true, false, 1200, 1200, 400},
	{"dX1200", false, false, 400, 1200, 1200},
	{"fwd10", false, true, 400, 10, 1200},
	{"dW10", true, false, 10, 1200, 400},
	{"dX10", false, false, 400, 1200, 10},
}

// BenchmarkSgemm times the MLP's products with this package's kernels and
// with gonum's pure-Go Sgemm, the baseline. "gemm" is what Sgemm uses on
// this CPU; all of them run on GOMAXPROCS goroutines (set it with -cpu).
func BenchmarkSgemm(b *testing.B) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, s := range mlpShapes {
		o := newOperands(rng, s.tA, s.tB, s.m, s.n, s.k, 0, 1, 0)
		flops := 2 * float64(s.m) * float64(s.n) * float64(s.k)
		impls := []benchImpl{{"gemm", func() {
			Sgemm(o.tA, o.tB, o.m, o.n, o.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
		}}}
		for _, kern := range kernels[1:] {
			impls = append(impls, benchImpl{kern.name, func() {
				sgemm(kern, runtime.GOMAXPROCS(0), o.tA, o.tB, o.m, o.n, o.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
			}})
		}
		impls = append(impls, benchImpl{"gonum", func() {
			gonum.Implementation{}.Sgemm(trans(o.tA), trans(o.tB), o.m, o.n, o.k, 1, o.a, o.lda, o.b, o.ldb, 0, o.c, o.ldc)
		}})
		for _, im := range impls {
			b.Run(fmt.Sprintf("%s/%s", s.name, im.name), func(b *testing.B) {
				b.ReportAllocs()
				im.f() // warm the workspaces
				b.ResetTimer()
				cpu0 := processCPU()
				for i := 0; i < b.N; i++ {
					im.f()
				}
				reportFlops(b, flops, processCPU()-cpu0)
			})
		}
	}
}

// benchImpl is one Sgemm implementation under benchmark.
type benchImpl struct {
	name string
	f    func()
}

func trans(t bool) blas.Transpose {
	if t {
		return blas.Trans
	}
	return blas.NoTrans
}

// reportFlops reports GFLOP/s over wall time and, since other work often
// shares the cores, GFLOP per CPU-second of the whole process (every
// goroutine's time counts: with -cpu 2 a perfect speed-up keeps it level).
func reportFlops(b *testing.B, flops float64, cpu time.Duration) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if cpu > 0 {
		b.ReportMetric(flops*float64(b.N)/cpu.Seconds()/1e9, "GFLOP/cpu-s")
	}
}
