package gemm

import (
	"fmt"
	"runtime"
	"sync"
)

// Blocks is the block structure of a block-sparse matrix: its rows are cut
// at KEdges and its columns at NEdges (each list starts at 0, rises
// strictly and ends at the size of its axis), and Lists[j] names the row
// blocks i kept in column block j, in the order in which their products are
// summed. Blocks that are not listed are zero and never read.
//
// KIndex and NIndex, when not nil, relabel the rows and columns of the
// dense operands: position p of the K axis is column KIndex[p] of A (or
// row KIndex[p] of C in SgemmBlocksInto), position q of the N axis column
// NIndex[q] of C (or of B in SgemmBlocksInto). The block-sparse matrix
// itself is stored in block order, so that each block is contiguous; the
// relabelling costs nothing beyond the packing the product does anyway.
// Each must be a permutation.
type Blocks struct {
	KEdges []int
	NEdges []int
	Lists  [][]int
	KIndex []int
	NIndex []int
	// Stored, when not nil, says where the block-sparse matrix keeps its
	// kept blocks (B of SgemmBlocks, C of SgemmBlocksInto): the
	// matrix then holds nothing else, and its ld argument is ignored.
	Stored *Compact
}

// Compact is the storage of a block-sparse matrix that holds its kept
// blocks only. Block (r, c), r a row block and c a column block of the
// matrix as stored (for SgemmBlocks with tB, block (i, j) of op(B) is
// stored block (j, i)), starts at Base[r*Cols+c] (-1: not kept), and its
// rows are Ld[r] apart. A layer whose kept tiles of each row block sit
// side by side is stored in its kept entries alone, each row contiguous.
type Compact struct {
	Cols int
	Base []int
	Ld   []int
}

// at returns the stored block (r, c) of m as a slice that starts at the
// block's first element, and the block's row stride.
func (st *Compact) at(m []float32, r, c int) ([]float32, int) {
	return m[st.Base[r*st.Cols+c]:], st.Ld[r]
}

// check panics unless the layout matches bl and every kept block lies
// inside m; swap says that block (i, j) of bl is stored block (j, i).
func (st *Compact) check(m []float32, bl *Blocks, swap bool) {
	rowE, colE := bl.KEdges, bl.NEdges
	if swap {
		rowE, colE = colE, rowE
	}
	if st.Cols != len(colE)-1 || len(st.Ld) != len(rowE)-1 || len(st.Base) != st.Cols*len(st.Ld) {
		panic("gemm: the stored layout does not match the blocks")
	}
	for j, list := range bl.Lists {
		for _, i := range list {
			r, c := i, j
			if swap {
				r, c = j, i
			}
			o, rows, cols := st.Base[r*st.Cols+c], rowE[r+1]-rowE[r], colE[c+1]-colE[c]
			if o < 0 || st.Ld[r] < cols || o+(rows-1)*st.Ld[r]+cols > len(m) {
				panic(fmt.Sprintf("gemm: stored block (%d, %d) outside the matrix", r, c))
			}
		}
	}
}

// check panics unless the structure is consistent (a programmer error).
func (bl *Blocks) check() {
	for _, e := range [][]int{bl.KEdges, bl.NEdges} {
		if len(e) < 1 || e[0] != 0 {
			panic("gemm: block edges must start at 0")
		}
		for i := 1; i < len(e); i++ {
			if e[i] <= e[i-1] {
				panic(fmt.Sprintf("gemm: block edges %v do not rise", e))
			}
		}
	}
	if len(bl.Lists) != len(bl.NEdges)-1 {
		panic(fmt.Sprintf("gemm: %d block lists for %d column blocks", len(bl.Lists), len(bl.NEdges)-1))
	}
	if bl.KIndex != nil && len(bl.KIndex) != bl.KEdges[len(bl.KEdges)-1] ||
		bl.NIndex != nil && len(bl.NIndex) != bl.NEdges[len(bl.NEdges)-1] {
		panic("gemm: block index maps do not match the edges")
	}
	nk := len(bl.KEdges) - 1
	for _, l := range bl.Lists {
		for _, i := range l {
			if i < 0 || i >= nk {
				panic(fmt.Sprintf("gemm: row block %d outside 0..%d", i, nk-1))
			}
		}
	}
}

// kept returns the number of kept blocks.
func (bl *Blocks) kept() int {
	n := 0
	for _, l := range bl.Lists {
		n += len(l)
	}
	return n
}

// SgemmBlocks computes C = A·op(B) where A is m x K (row stride lda), op(B)
// is the K x N block-sparse matrix described by bl (K and N the last edges),
// read from b as in Sgemm (tB: op(B) = Bᵀ, stored N x K with stride ldb),
// and C is m x N (stride ldc). Column block j of C is the sum, in the order
// of bl.Lists[j], of the products of A's column block i with block (i, j);
// a column block with an empty list is set to zero. Entries of b outside
// the kept blocks are never read, and C is never read. With bl.KIndex,
// A's columns are taken in that order; with bl.NIndex, C's columns are
// written in that order.
//
// Like Sgemm it runs on up to GOMAXPROCS goroutines, allocates nothing once
// its pools are warm, and gives the same bits for any number of them.
func SgemmBlocks(tB bool, m int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bl *Blocks) {
	sgemmBlocks(active(), runtime.GOMAXPROCS(0), tB, m, a, lda, b, ldb, c, ldc, bl)
}

// SgemmBlocksInto computes, for every kept block (i, j) of the m x n matrix
// C described by bl (rows cut at bl.KEdges, columns at bl.NEdges):
//
//	C[i, j] = alpha * (op(A)·op(B))[i, j] + beta * C[i, j]
//
// where op(A) is m x k and op(B) is k x n as in Sgemm. Blocks of C that are
// not kept are neither read nor written. It is the weight gradient of a
// block-sparse layer: only the kept blocks are computed, each element with
// the bits Sgemm would give it. Results do not depend on the number of
// goroutines. With bl.KIndex, row p of op(A) is row KIndex[p] of the
// unrelabelled op(A); with bl.NIndex, column q of op(B) is its column
// NIndex[q]; index maps need tA and !tB.
func SgemmBlocksInto(tA, tB bool, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bl *Blocks) {
	sgemmBlocksInto(active(), runtime.GOMAXPROCS(0), tA, tB, k, alpha, a, lda, b, ldb, beta, c, ldc, bl, nil)
}

// SgemmBlocksIntoThen is SgemmBlocksInto that calls then(r0, r1, c0, c1)
// for each kept block of C (rows [r0, r1), columns [c0, c1)) as soon as
// that block is final, on the goroutine that computed it, while the block
// is still in cache: a weight update fused with the weight gradient.
// Calls for different blocks may run concurrently; each block is passed
// exactly once. then must touch only its own block's elements (of C or
// of matrices laid out like it).
func SgemmBlocksIntoThen(tA, tB bool, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bl *Blocks, then func(r0, r1, c0, c1 int)) {
	sgemmBlocksInto(active(), runtime.GOMAXPROCS(0), tA, tB, k, alpha, a, lda, b, ldb, beta, c, ldc, bl, then)
}

// blockProduct is one SgemmBlocks or SgemmBlocksInto call shared by its
// goroutines.
type blockProduct struct {
	kern   *kernel
	tA, tB bool
	m, k   int
	alpha  float32
	a      []float32
	lda    int
	b      []float32
	ldb    int
	beta   float32
	c      []float32
	ldc    int
	bl     *Blocks
	parts  int
	kIdx   []int // bl.KIndex
	nIdx   []int // bl.NIndex
	then   func(r0, r1, c0, c1 int)

	// SgemmBlocks: the kept blocks of op(B), packed; off[j][x] is where
	// block (Lists[j][x], j) starts in packed.
	packed []float32
	off    [][]int
	// SgemmBlocksInto: the kept blocks in order, as (i, j) pairs, and
	// where the packed row blocks of op(A) and column blocks of op(B)
	// start in packed.
	pairs      []int
	rowStart   []int // scratch of the row-major order of pairs
	aOff, bOff []int
	// With index maps, op(A)ᵀ and op(B) relabelled row by row (k x m and
	// k x n), which the packing then reads contiguously.
	tmpA, tmpB []float32

	phase int
	wg    sync.WaitGroup
	run   []func()
}

var blockProducts = sync.Pool{New: func() any { return new(blockProduct) }}

// dispatch runs phase on p.parts goroutines (the caller's included) and
// waits for them.
func (p *blockProduct) dispatch(phase int) {
	p.phase = phase
	for w := len(p.run); w < p.parts; w++ {
		w := w
		p.run = append(p.run, func() {
			defer p.wg.Done()
			p.work(w)
		})
	}
	p.wg.Add(p.parts - 1)
	for w := 1; w < p.parts; w++ {
		go p.run[w]()
	}
	p.work(0)
	p.wg.Wait()
}

const (
	phasePackB = iota
	phaseMultiply
	phaseGatherInto
	phasePackInto
	phaseInto
)

func (p *blockProduct) work(w int) {
	switch p.phase {
	case phasePackB:
		p.packB(w)
	case phaseMultiply:
		p.multiply(w)
	case phaseGatherInto:
		p.gatherInto(w)
	case phasePackInto:
		p.packInto(w)
	case phaseInto:
		p.multiplyInto(w)
	}
}

func (p *blockProduct) release() {
	p.a, p.b, p.c, p.bl, p.kIdx, p.nIdx, p.then = nil, nil, nil, nil, nil, nil, nil
	// tmpA and tmpB are kept: they hold no caller memory.
	blockProducts.Put(p)
}

// checkIndex panics unless idx is nil or n indices in 0..n-1 (a
// programmer error; whether it is a permutation is not checked).
func checkIndex(idx []int, n int) {
	if idx == nil {
		return
	}
	if len(idx) != n {
		panic(fmt.Sprintf("gemm: index map of %d for %d", len(idx), n))
	}
	for _, i := range idx {
		if i < 0 || i >= n {
			panic(fmt.Sprintf("gemm: index %d outside 0..%d", i, n-1))
		}
	}
}

func sgemmBlocks(kern *kernel, workers int, tB bool, m int, a []float32, lda int, b []float32, ldb int, c []float32, ldc int, bl *Blocks) {
	bl.check()
	K, N := bl.KEdges[len(bl.KEdges)-1], bl.NEdges[len(bl.NEdges)-1]
	if m < 0 {
		panic(fmt.Sprintf("gemm: negative dimension m=%d", m))
	}
	checkMatrix("C", m, N, c, ldc)
	if m == 0 {
		return
	}
	checkIndex(bl.KIndex, K)
	checkIndex(bl.NIndex, N)
	checkMatrix("A", m, K, a, lda)
	switch {
	case bl.Stored != nil:
		bl.Stored.check(b, bl, tB)
	case tB:
		checkMatrix("B", N, K, b, ldb)
	default:
		checkMatrix("B", K, N, b, ldb)
	}
	p := blockProducts.Get().(*blockProduct)
	*p = blockProduct{kern: kern, tB: tB, m: m, k: K, alpha: 1, a: a, lda: lda, b: b, ldb: ldb,
		c: c, ldc: ldc, bl: bl, kIdx: bl.KIndex, nIdx: bl.NIndex, packed: p.packed, off: p.off, pairs: p.pairs, rowStart: p.rowStart, aOff: p.aOff, bOff: p.bOff,
		tmpA: p.tmpA, tmpB: p.tmpB, run: p.run}
	// Offsets of the packed blocks: block (i, j) is k_i x roundUp(n_j, nr).
	nr := kern.nr
	if cap(p.off) < len(bl.Lists) {
		p.off = make([][]int, len(bl.Lists))
	}
	p.off = p.off[:len(bl.Lists)]
	total := 0
	work := 0
	for j, list := range bl.Lists {
		w := roundUp(bl.NEdges[j+1]-bl.NEdges[j], nr)
		o := p.off[j][:0]
		for _, i := range list {
			o = append(o, total)
			kw := bl.KEdges[i+1] - bl.KEdges[i]
			total += kw * w
			work += kw * w
		}
		p.off[j] = o
	}
	if len(p.packed) < total {
		p.packed = alignedFloats(total + total/4)
	}
	panels := ceilDiv(m, kern.mr)
	p.parts = max(1, min(workers, panels, work*m/minWorkPerGoroutine))
	p.dispatch(phasePackB)
	p.dispatch(phaseMultiply)
	p.release()
}

// packB packs goroutine w's share of the kept blocks: column blocks
// w, w+parts, ...
func (p *blockProduct) packB(w int) {
	bl := p.bl
	nr := p.kern.nr
	for j := w; j < len(bl.Lists); j += p.parts {
		j0, nb := bl.NEdges[j], bl.NEdges[j+1]-bl.NEdges[j]
		for x, i := range bl.Lists[j] {
			k0, kb := bl.KEdges[i], bl.KEdges[i+1]-bl.KEdges[i]
			o := p.off[j][x]
			dst := p.packed[o : o+kb*roundUp(nb, nr)]
			switch {
			case bl.Stored != nil && p.tB:
				b, ldb := bl.Stored.at(p.b, j, i)
				packB(p.kern.simd, dst, b, ldb, true, 0, kb, 0, nb, nr)
			case bl.Stored != nil:
				b, ldb := bl.Stored.at(p.b, i, j)
				packB(p.kern.simd, dst, b, ldb, false, 0, kb, 0, nb, nr)
			default:
				packB(p.kern.simd, dst, p.b, p.ldb, p.tB, k0, kb, j0, nb, nr)
			}
		}
	}
}

// multiply computes goroutine w's band of rows of C: its micro-panels of A
// are packed one at a time (all K columns), then every column block of C
// is accumulated over its kept blocks.
func (p *blockProduct) multiply(w int) {
	kern := p.kern
	mr, nr := kern.mr, kern.nr
	bl := p.bl
	panels := ceilDiv(p.m, mr)
	q0, q1 := w*panels/p.parts, (w+1)*panels/p.parts
	ws := getWorkspace()
	if len(ws.a) < mr*p.k {
		ws.a = alignedFloats(mr * p.k)
	}
	if len(ws.t) < mr*nr {
		ws.t = alignedFloats(mr * nr)
	}
	ap := ws.a[:mr*p.k]
	t := ws.t[:mr*nr]
	for q := q0; q < q1; q++ {
		i0 := q * mr
		rows := min(mr, p.m-i0)
		// Pack the panel block by block: block i starts at KEdges[i]*mr.
		if p.kIdx != nil {
			gatherPanel(ap, p.a, p.lda, i0, rows, p.kIdx, mr)
		} else {
			for i := 0; i+1 < len(bl.KEdges); i++ {
				k0, kb := bl.KEdges[i], bl.KEdges[i+1]-bl.KEdges[i]
				packA(kern.simd, ap[k0*mr:(k0+kb)*mr], p.a, p.lda, false, i0, rows, k0, kb, mr)
			}
		}
		for j, list := range bl.Lists {
			j0, nb := bl.NEdges[j], bl.NEdges[j+1]-bl.NEdges[j]
			if len(list) == 0 {
				for r := 0; r < rows; r++ {
					row := p.c[(i0+r)*p.ldc:]
					if p.nIdx != nil {
						for _, q := range p.nIdx[j0 : j0+nb] {
							row[q] = 0
						}
					} else {
						clear(row[j0 : j0+nb])
					}
				}
				continue
			}
			for jr := 0; jr < nb; jr += nr {
				cols := min(nr, nb-jr)
				off := i0*p.ldc + j0 + jr
				full := rows == mr && cols == nr && p.nIdx == nil
				for x, i := range list {
					k0, kb := bl.KEdges[i], bl.KEdges[i+1]-bl.KEdges[i]
					a := ap[k0*mr : (k0+kb)*mr]
					o := p.off[j][x] + jr*kb
					b := p.packed[o : o+nr*kb]
					if full {
						kern.fn(kb, a, b, p.c[off:], p.ldc, 1, x > 0)
					} else {
						kern.fn(kb, a, b, t, nr, 1, x > 0)
					}
				}
				switch {
				case full:
				case p.nIdx != nil:
					idx := p.nIdx[j0+jr : j0+jr+cols]
					for r := 0; r < rows; r++ {
						row := p.c[(i0+r)*p.ldc:]
						tr := t[r*nr : r*nr+cols]
						for c, q := range idx {
							row[q] = tr[c]
						}
					}
				default:
					for r := 0; r < rows; r++ {
						copy(p.c[off+r*p.ldc:off+r*p.ldc+cols], t[r*nr:r*nr+cols])
					}
				}
			}
		}
	}
	workspaces.Put(ws)
}

func sgemmBlocksInto(kern *kernel, workers int, tA, tB bool, k int, alpha float32, a []float32, lda int, b []float32, ldb int, beta float32, c []float32, ldc int, bl *Blocks, then func(r0, r1, c0, c1 int)) {
	bl.check()
	m, n := bl.KEdges[len(bl.KEdges)-1], bl.NEdges[len(bl.NEdges)-1]
	if k < 0 {
		panic(fmt.Sprintf("gemm: negative dimension k=%d", k))
	}
	if bl.Stored != nil {
		bl.Stored.check(c, bl, false)
	} else {
		checkMatrix("C", m, n, c, ldc)
	}
	if (bl.KIndex != nil || bl.NIndex != nil) && !(tA && !tB) {
		panic("gemm: SgemmBlocksInto relabels only with tA and !tB")
	}
	checkIndex(bl.KIndex, m)
	checkIndex(bl.NIndex, n)
	if k > 0 && alpha != 0 {
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
	}
	p := blockProducts.Get().(*blockProduct)
	*p = blockProduct{kern: kern, tA: tA, tB: tB, m: m, k: k, alpha: alpha, a: a, lda: lda,
		b: b, ldb: ldb, beta: beta, c: c, ldc: ldc, bl: bl, kIdx: bl.KIndex, nIdx: bl.NIndex, then: then, packed: p.packed, off: p.off, pairs: p.pairs[:0], rowStart: p.rowStart,
		aOff: p.aOff, bOff: p.bOff, tmpA: p.tmpA, tmpB: p.tmpB, run: p.run}
	// Every row block of op(A) and column block of op(B) that a kept block
	// uses is packed once, over all of k: row block i as micro-panels of mr
	// rows at aOff[i], column block j as micro-panels of nr columns at
	// bOff[j] (-1: unused).
	mr, nr := kern.mr, kern.nr
	p.aOff = resize(p.aOff, len(bl.KEdges)-1)
	p.bOff = resize(p.bOff, len(bl.NEdges)-1)
	for i := range p.aOff {
		p.aOff[i] = -1
	}
	for j := range p.bOff {
		p.bOff[j] = -1
	}
	work := 0
	// The kept blocks row block by row block (Lists are by column block):
	// consecutive blocks share rows of C, which keeps the walk over C,
	// and over what a hook reads beside it, near in memory. Each block's
	// bits do not depend on the order.
	start := resize(p.rowStart, len(bl.KEdges))
	clear(start)
	for j, list := range bl.Lists {
		for _, i := range list {
			start[i+1]++
			work += (bl.KEdges[i+1] - bl.KEdges[i]) * (bl.NEdges[j+1] - bl.NEdges[j]) * k
			p.aOff[i] = 0
			p.bOff[j] = 0
		}
	}
	for i := 1; i < len(start); i++ {
		start[i] += start[i-1]
	}
	nblocks := start[len(start)-1]
	if cap(p.pairs) < 2*nblocks {
		p.pairs = make([]int, 2*nblocks)
	}
	p.pairs = p.pairs[:2*nblocks]
	for j, list := range bl.Lists {
		for _, i := range list {
			p.pairs[2*start[i]], p.pairs[2*start[i]+1] = i, j
			start[i]++
		}
	}
	p.rowStart = start
	if nblocks == 0 {
		p.release()
		return
	}
	total := 0
	for i, o := range p.aOff {
		if o == 0 {
			p.aOff[i] = total
			total += roundUp(bl.KEdges[i+1]-bl.KEdges[i], mr) * k
		}
	}
	for j, o := range p.bOff {
		if o == 0 {
			p.bOff[j] = total
			total += roundUp(bl.NEdges[j+1]-bl.NEdges[j], nr) * k
		}
	}
	if len(p.packed) < total {
		p.packed = alignedFloats(total + total/4)
	}
	p.parts = max(1, min(workers, nblocks, work/minWorkPerGoroutine))
	if k > 0 && alpha != 0 {
		if p.kIdx != nil || p.nIdx != nil {
			// Relabel row by row first: a row of A or B is read once,
			// in cache, instead of once per block that uses it.
			if len(p.tmpA) < k*m {
				p.tmpA = make([]float32, k*m)
			}
			if len(p.tmpB) < k*n {
				p.tmpB = make([]float32, k*n)
			}
			p.dispatch(phaseGatherInto)
			p.a, p.lda, p.b, p.ldb = p.tmpA, m, p.tmpB, n
			p.kIdx, p.nIdx = nil, nil
		}
		p.dispatch(phasePackInto)
	}
	p.dispatch(phaseInto)
	p.release()
}

// gatherInto relabels goroutine w's share of the k rows of A and B into
// tmpA and tmpB: tmpA[p*m+i] = a[p*lda+kIdx[i]], tmpB[p*n+j] =
// b[p*ldb+nIdx[j]] (a plain copy where a map is nil).
func (p *blockProduct) gatherInto(w int) {
	m, n := len(p.aOff), len(p.bOff)
	m, n = p.bl.KEdges[m], p.bl.NEdges[n]
	for r := w * p.k / p.parts; r < (w+1)*p.k/p.parts; r++ {
		relabel(p.tmpA[r*m:(r+1)*m], p.a[r*p.lda:], p.kIdx)
		relabel(p.tmpB[r*n:(r+1)*n], p.b[r*p.ldb:], p.nIdx)
	}
}

// relabel sets dst[i] = src[idx[i]], or copies src when idx is nil.
func relabel(dst, src []float32, idx []int) {
	if idx == nil {
		copy(dst, src)
		return
	}
	for i, j := range idx {
		dst[i] = src[j]
	}
}

func resize(x []int, n int) []int {
	if cap(x) < n {
		return make([]int, n)
	}
	return x[:n]
}

// packInto packs goroutine w's share of the used row blocks of op(A) and
// column blocks of op(B), over all of k.
func (p *blockProduct) packInto(w int) {
	bl := p.bl
	mr, nr := p.kern.mr, p.kern.nr
	na := len(p.aOff)
	for x := w; x < na+len(p.bOff); x += p.parts {
		if x < na {
			if o := p.aOff[x]; o >= 0 {
				r0, rb := bl.KEdges[x], bl.KEdges[x+1]-bl.KEdges[x]
				dst := p.packed[o : o+roundUp(rb, mr)*p.k]
				if p.kIdx != nil {
					gatherRuns(dst, p.a, p.lda, p.k, p.kIdx[r0:r0+rb], mr)
				} else {
					packA(p.kern.simd, dst, p.a, p.lda, p.tA, r0, rb, 0, p.k, mr)
				}
			}
			continue
		}
		j := x - na
		if o := p.bOff[j]; o >= 0 {
			c0, cb := bl.NEdges[j], bl.NEdges[j+1]-bl.NEdges[j]
			dst := p.packed[o : o+roundUp(cb, nr)*p.k]
			if p.nIdx != nil {
				gatherRuns(dst, p.b, p.ldb, p.k, p.nIdx[c0:c0+cb], nr)
			} else {
				packB(p.kern.simd, dst, p.b, p.ldb, p.tB, 0, p.k, c0, cb, nr)
			}
		}
	}
}

// multiplyInto computes goroutine w's share of the kept blocks of C, a
// contiguous range of them, from the packed blocks of op(A) and op(B),
// with the k blocking of Sgemm: each element gets the bits that Sgemm of
// the whole product would give it.
func (p *blockProduct) multiplyInto(w int) {
	bl := p.bl
	kern := p.kern
	mr, nr := kern.mr, kern.nr
	nblocks := len(p.pairs) / 2
	x0, x1 := w*nblocks/p.parts, (w+1)*nblocks/p.parts
	ws := getWorkspace()
	if len(ws.t) < mr*nr {
		ws.t = alignedFloats(mr * nr)
	}
	kc := 0
	if p.k > 0 {
		kc = blockSize(p.k, kBlock, 1)
	}
	for x := x0; x < x1; x++ {
		i, j := p.pairs[2*x], p.pairs[2*x+1]
		r0, r1 := bl.KEdges[i], bl.KEdges[i+1]
		c0, c1 := bl.NEdges[j], bl.NEdges[j+1]
		var c []float32
		ldc := p.ldc
		if bl.Stored != nil {
			c, ldc = bl.Stored.at(p.c, i, j)
		} else {
			c = p.c[r0*p.ldc+c0:]
		}
		if p.alpha == 0 || p.k == 0 {
			scale(p.beta, r1-r0, c1-c0, c, ldc)
			if p.then != nil {
				p.then(r0, r1, c0, c1)
			}
			continue
		}
		// beta scales each micro-tile of C just before its first
		// k block, while it is in cache: the same operations, in the same
		// order, as scaling the whole block first.
		scaleFirst := p.beta != 0 && p.beta != 1
		ap, bp := p.packed[p.aOff[i]:], p.packed[p.bOff[j]:]
		for pc := 0; pc < p.k; pc += kc {
			kb := min(kc, p.k-pc)
			load := pc > 0 || p.beta != 0
			for jr := 0; jr < c1-c0; jr += nr {
				cols := min(nr, c1-c0-jr)
				b := bp[jr*p.k+pc*nr : jr*p.k+(pc+kb)*nr]
				for ir := 0; ir < r1-r0; ir += mr {
					rows := min(mr, r1-r0-ir)
					a := ap[ir*p.k+pc*mr : ir*p.k+(pc+kb)*mr]
					off := ir*ldc + jr
					if pc == 0 && scaleFirst {
						scale(p.beta, rows, cols, c[off:], ldc)
					}
					if rows == mr && cols == nr {
						kern.fn(kb, a, b, c[off:], ldc, p.alpha, load)
					} else {
						ws.edge(kern, kb, a, b, c[off:], ldc, rows, cols, p.alpha, load)
					}
				}
			}
		}
		if p.then != nil {
			p.then(r0, r1, c0, c1)
		}
	}
	workspaces.Put(ws)
}

// gatherPanel packs rows [i0, i0+rows) of a (stride lda) into one
// micro-panel of mr rows over the columns cols (in that order): element
// (r, p) at dst[p*mr+r]; rows past rows are zero.
func gatherPanel(dst, a []float32, lda, i0, rows int, cols []int, mr int) {
	n := len(cols)
	dst = dst[:n*mr]
	// In chunks of columns, so that the chunk of the panel being written
	// stays in L1 while each row is gathered into it.
	const chunk = 128
	for p0 := 0; p0 < n; p0 += chunk {
		cc := cols[p0:min(p0+chunk, n)]
		d := dst[p0*mr:]
		for r := 0; r < rows; r++ {
			src := a[(i0+r)*lda:]
			for p, c := range cc {
				d[p*mr+r] = src[c]
			}
		}
	}
	if rows < mr {
		for p := 0; p < n; p++ {
			clear(dst[p*mr+rows : p*mr+mr])
		}
	}
}

// gatherRuns packs the k x len(idx) matrix x[p*ld+idx[c]] as micro-panels
// of width w: panel q holds c = q*w.., element (p, c) at
// dst[q*w*k+p*w+c-q*w]; columns past len(idx) are zero.
func gatherRuns(dst, x []float32, ld, k int, idx []int, w int) {
	for q := 0; q*w < len(idx); q++ {
		cols := idx[q*w : min((q+1)*w, len(idx))]
		d := dst[q*w*k : (q+1)*w*k]
		if len(cols) < w {
			clear(d)
		}
		for p := 0; p < k; p++ {
			row := x[p*ld:]
			o := d[p*w : p*w+len(cols)]
			for c, i := range cols {
				o[c] = row[i]
			}
		}
	}
}
