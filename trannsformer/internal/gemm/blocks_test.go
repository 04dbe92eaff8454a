package gemm

import (
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
)

// randomBlocks cuts K and N into blocks of at most bs (edges at multiples
// of bs, a smaller last block) and keeps each block with probability keep.
// The lists are in a shuffled order, to check that order is honoured.
func randomBlocks(rng *rand.Rand, K, N, bs int, keep float64) *Blocks {
	edges := func(n int) []int {
		e := []int{0}
		for x := bs; x < n; x += bs {
			e = append(e, x)
		}
		return append(e, n)
	}
	bl := &Blocks{KEdges: edges(K), NEdges: edges(N)}
	for j := 0; j+1 < len(bl.NEdges); j++ {
		var l []int
		for i := 0; i+1 < len(bl.KEdges); i++ {
			if rng.Float64() < keep {
				l = append(l, i)
			}
		}
		rng.Shuffle(len(l), func(a, b int) { l[a], l[b] = l[b], l[a] })
		bl.Lists = append(bl.Lists, l)
	}
	return bl
}

// keptMask returns kept[p*N+q]: whether element (p, q) of the K x N
// block-sparse matrix lies in a kept block.
func (bl *Blocks) keptMask() []bool {
	K, N := bl.KEdges[len(bl.KEdges)-1], bl.NEdges[len(bl.NEdges)-1]
	m := make([]bool, K*N)
	for j, l := range bl.Lists {
		for _, i := range l {
			for p := bl.KEdges[i]; p < bl.KEdges[i+1]; p++ {
				for q := bl.NEdges[j]; q < bl.NEdges[j+1]; q++ {
					m[p*N+q] = true
				}
			}
		}
	}
	return m
}

var blockShapes = []struct {
	m, K, N, bs int
	keep        float64
}{
	{1, 1, 1, 1, 1},
	{7, 33, 45, 8, 0.5},
	{13, 64, 64, 64, 1},
	{50, 130, 70, 16, 0.3},
	{37, 200, 150, 64, 0.4},
	{100, 96, 200, 32, 0},
	{400, 300, 250, 64, 0.15},
}

// TestSgemmBlocksMatchesMasked checks SgemmBlocks against the naive product
// with the unkept blocks zeroed (they hold NaN in b: reading one would show),
// for every kernel, both layouts of B, and 1, 2, 3 and 7 goroutines, which
// must agree bit for bit.
func TestSgemmBlocksMatchesMasked(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, s := range blockShapes {
		for _, mode := range []int{0, 1, 2, 3} { // bit 0: tB, bit 1: index maps
			tB := mode&1 != 0
			bl := randomBlocks(rng, s.K, s.N, s.bs, s.keep)
			kept := bl.keptMask()
			a, lda := randMatrix(rng, s.m, s.K, 3)
			if mode&2 != 0 {
				bl.KIndex, bl.NIndex = rng.Perm(s.K), rng.Perm(s.N)
			}
			// ra is A with its columns in KIndex order: the oracle works
			// on it and relabels C's columns afterwards.
			ra := slices.Clone(a)
			if bl.KIndex != nil {
				for i := 0; i < s.m; i++ {
					for p, c := range bl.KIndex {
						ra[i*lda+p] = a[i*lda+c]
					}
				}
			}
			// opB is K x N; b stores it (transposed when tB) with NaN outside
			// the kept blocks, zero in the masked copy.
			opB := make([]float32, s.K*s.N)
			for i := range opB {
				opB[i] = float32(rng.NormFloat64())
			}
			br, bc := s.K, s.N
			if tB {
				br, bc = s.N, s.K
			}
			ldb := bc + 2
			b := make([]float32, br*ldb)
			zb := make([]float32, br*ldb)
			for p := 0; p < s.K; p++ {
				for q := 0; q < s.N; q++ {
					x := p*ldb + q
					if tB {
						x = q*ldb + p
					}
					if kept[p*s.N+q] {
						b[x], zb[x] = opB[p*s.N+q], opB[p*s.N+q]
					} else {
						b[x] = float32(math.NaN())
					}
				}
			}
			ldc := s.N + 1
			rwant := make([]float32, s.m*ldc)
			naiveSgemm(false, tB, s.m, s.N, s.K, 1, ra, lda, zb, ldb, 0, rwant, ldc)
			want := slices.Clone(rwant)
			if bl.NIndex != nil {
				for i := 0; i < s.m; i++ {
					for q, c := range bl.NIndex {
						want[i*ldc+c] = rwant[i*ldc+q]
					}
				}
			}
			// The tolerance of each element, computed once for all kernels
			// and goroutine counts.
			tol := make([]float64, s.m*s.N)
			for i := 0; i < s.m; i++ {
				for j := 0; j < s.N; j++ {
					var mag float64
					for p := 0; p < s.K; p++ {
						x := p*ldb + j
						if tB {
							x = j*ldb + p
						}
						mag += math.Abs(float64(ra[i*lda+p]) * float64(zb[x]))
					}
					tol[i*s.N+j] = 2 * float64(s.K+2) * mag / (1 << 23)
				}
			}
			for _, kern := range kernels {
				var first []float32
				for _, workers := range []int{1, 2, 3, 7} {
					c := make([]float32, s.m*ldc)
					for i := range c {
						c[i] = float32(math.NaN()) // C must be written, not read
					}
					sgemmBlocks(kern, workers, tB, s.m, a, lda, b, ldb, c, ldc, bl)
					for i := 0; i < s.m; i++ {
						for j := 0; j < s.N; j++ {
							cj := j
							if bl.NIndex != nil {
								cj = bl.NIndex[j]
							}
							g, w := c[i*ldc+cj], want[i*ldc+cj]
							if d := math.Abs(float64(g - w)); !(d <= tol[i*s.N+j]) {
								t.Fatalf("%v mode=%d %s/%d: C[%d][%d] = %v, want %v", s, mode, kern.name, workers, i, cj, g, w)
							}
						}
					}
					if first == nil {
						first = c
					} else if !slices.Equal(floatBits(first), floatBits(c)) {
						t.Fatalf("%v mode=%d %s: %d goroutines differ from 1", s, mode, kern.name, workers)
					}
				}
			}
		}
	}
}

// TestSgemmBlocksInto checks the kept-blocks-only product against the naive
// one: kept blocks get alpha*op(A)·op(B) + beta*C, the others are left
// alone (NaN stays NaN); bit-identical for any number of goroutines.
func TestSgemmBlocksInto(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, s := range blockShapes {
		for _, mode := range []int{0, 1, 2, 3} { // bit 0: beta 0.5, bit 1: index maps
			beta := float32(mode&1) * 0.5
			bl := randomBlocks(rng, s.K, s.N, s.bs, s.keep)
			kept := bl.keptMask()
			k := s.m // the batch
			// C (K x N) = alpha * Aᵀ·B + beta*C with A k x K, B k x N.
			a, lda := randMatrix(rng, k, s.K, 1)
			b, ldb := randMatrix(rng, k, s.N, 2)
			if mode&2 != 0 {
				// The maps relabel A's columns and B's columns; the oracle
				// gets the relabelled copies.
				bl.KIndex, bl.NIndex = rng.Perm(s.K), rng.Perm(s.N)
			}
			ra, rb := slices.Clone(a), slices.Clone(b)
			for r := 0; r < k && bl.KIndex != nil; r++ {
				for p, c := range bl.KIndex {
					ra[r*lda+p] = a[r*lda+c]
				}
				for q, c := range bl.NIndex {
					rb[r*ldb+q] = b[r*ldb+c]
				}
			}
			c0, ldc := randMatrix(rng, s.K, s.N, 1)
			for i := range c0 {
				if i%ldc < s.N && !kept[i/ldc*s.N+i%ldc] {
					c0[i] = float32(math.NaN())
				}
			}
			want := slices.Clone(c0)
			naiveSgemm(true, false, s.K, s.N, k, 0.25, ra, lda, rb, ldb, beta, want, ldc)
			// The tolerance of each kept element, computed once.
			tol := make([]float64, s.K*s.N)
			for p := 0; p < s.K; p++ {
				for q := 0; q < s.N; q++ {
					if !kept[p*s.N+q] {
						continue
					}
					var mag float64
					for r := 0; r < k; r++ {
						mag += math.Abs(float64(ra[r*lda+p]) * float64(rb[r*ldb+q]))
					}
					mag = 0.25*mag + math.Abs(float64(beta*c0[p*ldc+q]))
					tol[p*s.N+q] = 2 * float64(k+2) * mag / (1 << 23)
				}
			}
			for _, kern := range kernels {
				// The kept blocks get the bits of the dense product.
				dense := slices.Clone(c0)
				sgemm(kern, 1, true, false, s.K, s.N, k, 0.25, ra, lda, rb, ldb, beta, dense, ldc)
				got := slices.Clone(c0)
				sgemmBlocksInto(kern, 1, true, false, k, 0.25, a, lda, b, ldb, beta, got, ldc, bl, nil)
				for p := 0; p < s.K; p++ {
					for q := 0; q < s.N; q++ {
						if kept[p*s.N+q] && math.Float32bits(got[p*ldc+q]) != math.Float32bits(dense[p*ldc+q]) {
							t.Fatalf("%v %s: C[%d][%d] = %v, dense Sgemm %v", s, kern.name, p, q, got[p*ldc+q], dense[p*ldc+q])
						}
					}
				}
				var first []float32
				for _, workers := range []int{1, 2, 3, 7} {
					c := slices.Clone(c0)
					sgemmBlocksInto(kern, workers, true, false, k, 0.25, a, lda, b, ldb, beta, c, ldc, bl, nil)
					for p := 0; p < s.K; p++ {
						for q := 0; q < s.N; q++ {
							g, w := c[p*ldc+q], want[p*ldc+q]
							if !kept[p*s.N+q] {
								if !math.IsNaN(float64(g)) {
									t.Fatalf("unkept C[%d][%d] written: %v", p, q, g)
								}
								continue
							}
							if d := math.Abs(float64(g - w)); !(d <= tol[p*s.N+q]) {
								t.Fatalf("%v mode=%d %s/%d: C[%d][%d] = %v, want %v", s, mode, kern.name, workers, p, q, g, w)
							}
						}
					}
					if first == nil {
						first = c
					} else if !slices.Equal(floatBits(first), floatBits(c)) {
						t.Fatalf("%v %s: %d goroutines differ from 1", s, kern.name, workers)
					}
				}
			}
		}
	}
}

// TestSgemmBlocksIntoThen checks the per-block hook: every kept block is
// passed exactly once, only kept blocks are passed, the block is final when
// it is passed (what then sees is the result), and a hook that rewrites its
// block changes nothing else, for any number of goroutines.
func TestSgemmBlocksIntoThen(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, s := range blockShapes {
		bl := randomBlocks(rng, s.K, s.N, s.bs, s.keep)
		kept := bl.keptMask()
		k := s.m
		a, lda := randMatrix(rng, k, s.K, 1)
		b, ldb := randMatrix(rng, k, s.N, 2)
		c0, ldc := randMatrix(rng, s.K, s.N, 1)
		for _, kern := range kernels {
			want := slices.Clone(c0)
			sgemmBlocksInto(kern, 1, true, false, k, 0.25, a, lda, b, ldb, 0.9, want, ldc, bl, nil)
			for _, workers := range []int{1, 2, 3, 7} {
				c := slices.Clone(c0)
				seen := make([]float32, len(c)) // what each call saw
				calls := make([]int32, s.K*s.N)
				var mu sync.Mutex
				sgemmBlocksInto(kern, workers, true, false, k, 0.25, a, lda, b, ldb, 0.9, c, ldc, bl, func(r0, r1, c0, c1 int) {
					mu.Lock()
					defer mu.Unlock()
					for p := r0; p < r1; p++ {
						for q := c0; q < c1; q++ {
							calls[p*s.N+q]++
							seen[p*ldc+q] = c[p*ldc+q]
							c[p*ldc+q] = -1 // the hook owns its block
						}
					}
				})
				for p := 0; p < s.K; p++ {
					for q := 0; q < s.N; q++ {
						i := p*ldc + q
						switch {
						case !kept[p*s.N+q] && (calls[p*s.N+q] != 0 || c[i] != c0[i]):
							t.Fatalf("%v %s/%d: unkept C[%d][%d] passed %d times, now %v", s, kern.name, workers, p, q, calls[p*s.N+q], c[i])
						case kept[p*s.N+q] && calls[p*s.N+q] != 1:
							t.Fatalf("%v %s/%d: C[%d][%d] passed %d times", s, kern.name, workers, p, q, calls[p*s.N+q])
						case kept[p*s.N+q] && (math.Float32bits(seen[i]) != math.Float32bits(want[i]) || c[i] != -1):
							t.Fatalf("%v %s/%d: C[%d][%d]: the hook saw %v, want the final %v (now %v)", s, kern.name, workers, p, q, seen[i], want[i], c[i])
						}
					}
				}
			}
		}
	}
}

func TestSgemmBlocksAllocatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("measures steady state")
	}
	rng := rand.New(rand.NewPCG(7, 8))
	bl := randomBlocks(rng, 256, 256, 64, 0.3)
	a, _ := randMatrix(rng, 200, 256, 0)
	b, _ := randMatrix(rng, 256, 256, 0)
	c := make([]float32, 200*256)
	if n := testing.AllocsPerRun(20, func() { sgemmBlocks(kernels[0], 2, true, 200, a, 256, b, 256, c, 256, bl) }); n > 0.5 {
		t.Errorf("SgemmBlocks: %.1f allocations per call", n)
	}
	g := make([]float32, 256*256)
	if n := testing.AllocsPerRun(20, func() { sgemmBlocksInto(kernels[0], 2, true, false, 200, 1, a, 256, c, 256, 0.5, g, 256, bl, nil) }); n > 0.5 {
		t.Errorf("SgemmBlocksInto: %.1f allocations per call", n)
	}
}

// BenchmarkSgemmBlocks times the three products of a 1200x1200 layer that
// keeps 12% of its 64x64 blocks (batch 400) against the dense products of
// the same layer in the same run: forward, input gradient and weight
// gradient.
func BenchmarkSgemmBlocks(b *testing.B) {
	rng := rand.New(rand.NewPCG(9, 10))
	const n, k = 400, 1200
	fw := randomBlocks(rng, k, k, 64, 0.12) // op(B) = Wᵀ: in x out
	x, _ := randMatrix(rng, n, k, 0)
	w, _ := randMatrix(rng, k, k, 0)
	y := make([]float32, n*k)
	g := make([]float32, k*k)
	b.Run("dense/fwd", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			Sgemm(false, true, n, k, k, 1, x, k, w, k, 0, y, k)
		}
	})
	b.Run("blocks/fwd", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			SgemmBlocks(true, n, x, k, w, k, y, k, fw)
		}
	})
	b.Run("dense/dW", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			Sgemm(true, false, k, k, n, 1, y, k, x, k, 0.5, g, k)
		}
	})
	b.Run("blocks/dW", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			SgemmBlocksInto(true, false, n, 1, y, k, x, k, 0.5, g, k, fw)
		}
	})
}

func TestAddTo(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for _, path := range goldenPaths(t) {
		restore := usePath(t, path)
		for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 71, 72, 100, 128, 256, 1200} {
			dst, _ := randMatrix(rng, 1, n, 0)
			src, _ := randMatrix(rng, 1, n+3, 0)
			want := slices.Clone(dst)
			addToGo(want, src[:n])
			AddTo(dst, src)
			if !slices.Equal(floatBits(dst), floatBits(want)) {
				t.Errorf("%s n=%d: AddTo differs from the scalar sum", path, n)
			}
		}
		restore()
	}
	if KBlock(0) != 0 || KBlock(1) != 1 || KBlock(784) > 784 {
		t.Errorf("KBlock: %d %d %d", KBlock(0), KBlock(1), KBlock(784))
	}
}

// compactOf stores the kept blocks of the rows x cols matrix m (stride ld),
// whose blocks are cut at rowE and colE and kept where kept(r, c), row
// block by row block, the kept blocks of a row block side by side (as a
// layer in tile order stores them), each row of blocks padded by pad.
func compactOf(m []float32, ld int, rowE, colE []int, kept func(r, c int) bool, pad int) ([]float32, *Compact) {
	st := &Compact{Cols: len(colE) - 1, Base: make([]int, (len(rowE)-1)*(len(colE)-1)), Ld: make([]int, len(rowE)-1)}
	var out []float32
	for r := 0; r+1 < len(rowE); r++ {
		w := pad
		for c := 0; c < st.Cols; c++ {
			st.Base[r*st.Cols+c] = -1
			if kept(r, c) {
				w += colE[c+1] - colE[c]
			}
		}
		st.Ld[r] = w
		start := len(out)
		out = append(out, make([]float32, w*(rowE[r+1]-rowE[r]))...)
		x := 0
		for c := 0; c < st.Cols; c++ {
			if !kept(r, c) {
				continue
			}
			st.Base[r*st.Cols+c] = start + x
			for p := rowE[r]; p < rowE[r+1]; p++ {
				copy(out[start+(p-rowE[r])*w+x:], m[p*ld+colE[c]:p*ld+colE[c+1]])
			}
			x += colE[c+1] - colE[c]
		}
	}
	return out, st
}

// TestSgemmBlocksStored checks the compact storage of the block-sparse
// matrix (Blocks.Stored) against the full one: the same bits from
// SgemmBlocks with both layouts of B and from SgemmBlocksInto (its hook
// included), for every kernel and 1, 2, 3 and 7 goroutines; a stored block
// outside the matrix panics.
func TestSgemmBlocksStored(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	for _, s := range blockShapes {
		bl := randomBlocks(rng, s.K, s.N, s.bs, s.keep)
		kept := bl.keptMask()
		inList := func(i, j int) bool { return kept[bl.KEdges[i]*s.N+bl.NEdges[j]] }
		a, lda := randMatrix(rng, s.m, s.K, 1)
		for _, tB := range []bool{false, true} {
			var b []float32
			var ldb int
			var stored []float32
			var st *Compact
			if tB { // B is N x K; op(B) block (i, j) is stored block (j, i)
				b, ldb = randMatrix(rng, s.N, s.K, 2)
				stored, st = compactOf(b, ldb, bl.NEdges, bl.KEdges, func(r, c int) bool { return inList(c, r) }, 3)
			} else {
				b, ldb = randMatrix(rng, s.K, s.N, 2)
				stored, st = compactOf(b, ldb, bl.KEdges, bl.NEdges, inList, 0)
			}
			cs := *bl
			cs.Stored = st
			for _, kern := range kernels {
				want := make([]float32, s.m*s.N)
				sgemmBlocks(kern, 1, tB, s.m, a, lda, b, ldb, want, s.N, bl)
				for _, w := range []int{1, 2, 3, 7} {
					got := make([]float32, s.m*s.N)
					sgemmBlocks(kern, w, tB, s.m, a, lda, stored, -1, got, s.N, &cs)
					if !slices.Equal(floatBits(got), floatBits(want)) {
						t.Fatalf("%v tB=%v %s/%d: SgemmBlocks with Stored differs", s, tB, kern.name, w)
					}
				}
			}
		}
		// SgemmBlocksInto: C (K x N) stored compactly.
		x, ldx := randMatrix(rng, s.m, s.K, 1)
		y, ldy := randMatrix(rng, s.m, s.N, 2)
		c0, ldc := randMatrix(rng, s.K, s.N, 1)
		stored0, st := compactOf(c0, ldc, bl.KEdges, bl.NEdges, inList, 1)
		cs := *bl
		cs.Stored = st
		for _, kern := range kernels {
			want := slices.Clone(c0)
			sgemmBlocksInto(kern, 1, true, false, s.m, 0.25, x, ldx, y, ldy, 0.9, want, ldc, bl, nil)
			wantStored, _ := compactOf(want, ldc, bl.KEdges, bl.NEdges, inList, 1)
			for _, w := range []int{1, 2, 3, 7} {
				got := slices.Clone(stored0)
				var mu sync.Mutex
				calls := 0
				sgemmBlocksInto(kern, w, true, false, s.m, 0.25, x, ldx, y, ldy, 0.9, got, -1, &cs, func(r0, r1, c0, c1 int) {
					mu.Lock()
					calls++
					mu.Unlock()
				})
				if !slices.Equal(floatBits(got), floatBits(wantStored)) {
					t.Fatalf("%v %s/%d: SgemmBlocksInto with Stored differs", s, kern.name, w)
				}
				if calls != bl.kept() {
					t.Fatalf("%v: the hook ran %d times for %d kept blocks", s, calls, bl.kept())
				}
			}
		}
		if bl.kept() > 0 {
			func() {
				defer func() {
					if recover() == nil {
						t.Errorf("%v: a stored block outside the matrix did not panic", s)
					}
				}()
				short := stored0[:len(stored0)-2]
				sgemmBlocksInto(kernels[0], 1, true, false, s.m, 0.25, x, ldx, y, ldy, 0.9, short, -1, &cs, nil)
			}()
		}
	}
}

// BenchmarkAddTo times AddTo on a 256-float slab (the event-driven SNN's
// unit) on every path, in the same run.
func BenchmarkAddTo(b *testing.B) {
	dst, src := make([]float32, 256), make([]float32, 256)
	for _, path := range Paths() {
		b.Run(path, func(b *testing.B) {
			defer usePath(b, path)()
			for i := 0; i < b.N; i++ {
				AddTo(dst, src)
			}
		})
	}
}
