package gemm

import (
	"fmt"
	"runtime"
)

// Sgemm computes C = alpha*op(A)*op(B) + beta*C for row-major matrices, where
// op(X) is X or its transpose (tA, tB). op(A) is m x k, op(B) is k x n, C is
// m x n; lda, ldb, ldc are the row strides. When beta is 0, C is not read.
// When alpha is 0 or k is 0, A and B are not read.
//
// Sgemm panics, like the reference BLAS, on a negative dimension, a stride
// smaller than its row width or a slice too short for its matrix: those are
// programmer errors. It runs on up to GOMAXPROCS goroutines and returns when
// all of them are done. It panics if $GOTRANN_GEMM names a path that is
// unknown or that this CPU cannot run (see EnvPath).
func Sgemm(tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	sgemm(active(), runtime.GOMAXPROCS(0), tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
}

// sgemm is Sgemm with an explicit micro-kernel and goroutine budget, so that
// tests can exercise every kernel and check that the result does not depend
// on the number of goroutines.
func sgemm(kern *kernel, workers int, tA, tB bool, m, n, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int) {
	if m < 0 || n < 0 || k < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d n=%d k=%d", m, n, k))
	}
	checkMatrix("C", m, n, c, ldc)
	if m == 0 || n == 0 {
		return
	}
	if alpha == 0 || k == 0 {
		scale(beta, m, n, c, ldc)
		return
	}
	if tA {
		checkMatrix("A", k, m, a, lda)
	} else {
		checkMatrix("A", m, k, a, lda)
	}
	if tB {
		checkMatrix("B", n, k, b, ldb)
	} else {
		checkMatrix("B", k, n, b, ldb)
	}

	p := product{kern: kern, tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha,
		a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc}
	p.pm, p.pn = split(kern, workers, m, n, k)
	if p.pm*p.pn == 1 {
		ws := getWorkspace()
		ws.multiply(&p, 0, m, 0, n)
		workspaces.Put(ws)
		return
	}
	runParallel(p)
}

// checkMatrix panics unless x holds a rows x cols matrix with row stride ld.
func checkMatrix(name string, rows, cols int, x []float32, ld int) {
	if ld < cols {
		panic(fmt.Sprintf("gemm: ld%s=%d smaller than the %d columns of %s", name, ld, cols, name))
	}
	if rows > 0 && cols > 0 && len(x) < (rows-1)*ld+cols {
		panic(fmt.Sprintf("gemm: len(%s)=%d too short for %dx%d with stride %d", name, len(x), rows, cols, ld))
	}
}

// scale sets C = beta*C, writing zeros without reading C when beta is 0.
func scale(beta float32, m, n int, c []float32, ldc int) {
	if beta == 1 {
		return
	}
	for i := 0; i < m; i++ {
		row := c[i*ldc : i*ldc+n]
		if beta == 0 {
			clear(row)
			continue
		}
		for j := range row {
			row[j] *= beta
		}
	}
}

// product holds the operands of one Sgemm call and how C is split among
// goroutines: pm row bands times pn column bands.
type product struct {
	kern   *kernel
	tA, tB bool
	m, n   int
	k      int
	alpha  float32
	a      []float32
	lda    int
	b      []float32
	ldb    int
	beta   float32
	c      []float32
	ldc    int
	pm, pn int
}

// part returns the rows [i0, i1) and columns [j0, j1) of C computed by
// goroutine w. Band edges fall on multiples of the kernel's MR and NR, so
// every goroutine sees the same tile grid.
func (p *product) part(w int) (i0, i1, j0, j1 int) {
	mr, nr := p.kern.mr, p.kern.nr
	tm, tn := ceilDiv(p.m, mr), ceilDiv(p.n, nr)
	r, s := w/p.pn, w%p.pn
	i0, i1 = min(r*tm/p.pm*mr, p.m), min((r+1)*tm/p.pm*mr, p.m)
	j0, j1 = min(s*tn/p.pn*nr, p.n), min((s+1)*tn/p.pn*nr, p.n)
	return i0, i1, j0, j1
}

// minWorkPerGoroutine is the number of multiply-adds below which starting
// another goroutine costs more than it saves.
const minWorkPerGoroutine = 1 << 18

// split chooses how many row bands (pm) and column bands (pn) of C to hand
// to separate goroutines, using at most workers of them: the grid that
// minimises the largest number of MR x NR tiles per goroutine, and among
// equals the one with fewest goroutines.
func split(kern *kernel, workers, m, n, k int) (pm, pn int) {
	work := m * n * k
	workers = max(1, min(workers, work/minWorkPerGoroutine))
	tm, tn := ceilDiv(m, kern.mr), ceilDiv(n, kern.nr)
	pm, pn = 1, 1
	best := tm * tn
	for w := 2; w <= workers; w++ {
		for r := 1; r <= w; r++ {
			if w%r != 0 || r > tm || w/r > tn {
				continue
			}
			s := w / r
			if cost := ceilDiv(tm, r) * ceilDiv(tn, s); cost < best {
				best, pm, pn = cost, r, s
			}
		}
	}
	return pm, pn
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

func roundUp(a, b int) int { return ceilDiv(a, b) * b }
