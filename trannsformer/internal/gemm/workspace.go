package gemm

import (
	"sync"
	"unsafe"
)

// workspace is one goroutine's scratch memory: the packed A block
// (mc x kc, as micro-panels of MR rows), the packed B block (kc x nc, as
// micro-panels of NR columns) and an MR x NR tile for the edges of C.
type workspace struct {
	a, b, t []float32
}

// workspaces recycles workspaces between calls and goroutines; after the
// first calls Sgemm allocates nothing.
var workspaces = sync.Pool{New: func() any { return new(workspace) }}

func getWorkspace() *workspace {
	return workspaces.Get().(*workspace)
}

// reserve makes the buffers at least as large as the blocking needs.
func (ws *workspace) reserve(mr, nr, mc, nc, kc int) {
	if len(ws.a) < mc*kc {
		ws.a = alignedFloats(mc * kc)
	}
	if len(ws.b) < kc*nc {
		ws.b = alignedFloats(kc * nc)
	}
	if len(ws.t) < mr*nr {
		ws.t = alignedFloats(mr * nr)
	}
}

// alignedFloats returns n float32s starting on a 64-byte boundary (a cache
// line, and the width of an AVX-512 load).
func alignedFloats(n int) []float32 {
	s := make([]float32, n+16)
	off := 0
	if r := int(uintptr(unsafe.Pointer(&s[0])) & 63); r != 0 {
		off = (64 - r) / 4
	}
	return s[off : off+n : off+n]
}

// blockSize splits total into equal blocks of at most limit (rounded up to
// a multiple of mult), so that no block is a small remainder.
func blockSize(total, limit, mult int) int {
	return roundUp(ceilDiv(total, ceilDiv(total, limit)), mult)
}

// multiply computes rows [i0, i1) and columns [j0, j1) of C.
//
// Loop order (BLIS): column blocks of nc, then k blocks of kc (B packed
// once per block and shared by all row blocks), then row blocks of mc (A
// packed), then the NR-wide micro-panels of B (one stays in L1 while the
// inner loop runs), then the MR-high micro-panels of A (streamed from L2).
// The k blocks depend only on k (kBlock is the same for every kernel), so
// every element of C gets the same sum in the same order whatever the split
// between goroutines and whatever the kernel.
func (ws *workspace) multiply(p *product, i0, i1, j0, j1 int) {
	kern := p.kern
	mr, nr := kern.mr, kern.nr
	if p.beta != 0 && p.beta != 1 {
		scale(p.beta, i1-i0, j1-j0, p.c[i0*p.ldc+j0:], p.ldc)
	}
	kc := blockSize(p.k, kBlock, 1)
	mc := blockSize(i1-i0, kern.mc, mr)
	nc := blockSize(j1-j0, kern.nc, nr)
	ws.reserve(mr, nr, mc, nc, kc)
	for jc := j0; jc < j1; jc += nc {
		nb := min(nc, j1-jc)
		for pc := 0; pc < p.k; pc += kc {
			kb := min(kc, p.k-pc)
			// The first k block overwrites C when beta is 0 (C is not
			// read); every later block adds to it.
			load := pc > 0 || p.beta != 0
			packB(kern.simd, ws.b, p.b, p.ldb, p.tB, pc, kb, jc, nb, nr)
			for ic := i0; ic < i1; ic += mc {
				mb := min(mc, i1-ic)
				packA(kern.simd, ws.a, p.a, p.lda, p.tA, ic, mb, pc, kb, mr)
				for jr := 0; jr < nb; jr += nr {
					bp := ws.b[jr*kb : (jr+nr)*kb]
					cols := min(nr, nb-jr)
					for ir := 0; ir < mb; ir += mr {
						ap := ws.a[ir*kb : (ir+mr)*kb]
						rows := min(mr, mb-ir)
						off := (ic+ir)*p.ldc + jc + jr
						if rows == mr && cols == nr {
							kern.fn(kb, ap, bp, p.c[off:], p.ldc, p.alpha, load)
						} else {
							ws.edge(kern, kb, ap, bp, p.c[off:], p.ldc, rows, cols, p.alpha, load)
						}
					}
				}
			}
		}
	}
}

// edge computes a partial tile of rows x cols elements through the tile
// buffer, with the same kernel and so the same arithmetic as a full tile.
func (ws *workspace) edge(kern *kernel, kb int, ap, bp, c []float32, ldc, rows, cols int, alpha float32, load bool) {
	nr := kern.nr
	t := ws.t[:kern.mr*nr]
	if load {
		for i := 0; i < rows; i++ {
			copy(t[i*nr:i*nr+cols], c[i*ldc:i*ldc+cols])
		}
	}
	kern.fn(kb, ap, bp, t, nr, alpha, load)
	for i := 0; i < rows; i++ {
		copy(c[i*ldc:i*ldc+cols], t[i*nr:i*nr+cols])
	}
}
