package gemm

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"sync"
	"testing"
)

// operands is one randomly filled Sgemm problem. Matrices have row strides
// larger than their widths when pad > 0; the padding holds NaN, which would
// show in C if it were read.
type operands struct {
	tA, tB        bool
	m, n, k       int
	alpha, beta   float32
	a, b, c       []float32
	lda, ldb, ldc int
}

func newOperands(rng *rand.Rand, tA, tB bool, m, n, k, pad int, alpha, beta float32) *operands {
	o := &operands{tA: tA, tB: tB, m: m, n: n, k: k, alpha: alpha, beta: beta}
	ar, ac := m, k
	if tA {
		ar, ac = k, m
	}
	br, bc := k, n
	if tB {
		br, bc = n, k
	}
	o.a, o.lda = randMatrix(rng, ar, ac, pad)
	o.b, o.ldb = randMatrix(rng, br, bc, pad)
	o.c, o.ldc = randMatrix(rng, m, n, pad)
	if beta == 0 {
		// C must not be read: NaN would survive into the result.
		for i := 0; i < m; i++ {
			for j := 0; j < n; j++ {
				o.c[i*o.ldc+j] = float32(math.NaN())
			}
		}
	}
	return o
}

func randMatrix(rng *rand.Rand, rows, cols, pad int) ([]float32, int) {
	ld := cols + pad
	x := make([]float32, max(0, rows*ld))
	for i := range x {
		if i%ld < cols {
			x[i] = float32(rng.NormFloat64())
		} else {
			x[i] = float32(math.NaN())
		}
	}
	return x, ld
}

// run computes the product into a copy of C with the given kernel and
// number of goroutines.
func (o *operands) run(kern *kernel, workers int) []float32 {
	c := slices.Clone(o.c)
	sgemm(kern, workers, o.tA, o.tB, o.m, o.n, o.k, o.alpha, o.a, o.lda, o.b, o.ldb, o.beta, c, o.ldc)
	return c
}

// oracle is the reference result of a problem and the tolerance of each
// element of C.
type oracle struct {
	want, tol []float32
}

// reference computes the oracle. Both the oracle and Sgemm are within k+2
// roundings of the exact result, so the tolerance is relative to k times
// the magnitude |alpha|*sum|a||b| + |beta*c| of each element.
func (o *operands) reference() oracle {
	const eps = 1.0 / (1 << 23)
	want := slices.Clone(o.c)
	naiveSgemm(o.tA, o.tB, o.m, o.n, o.k, o.alpha, o.a, o.lda, o.b, o.ldb, o.beta, want, o.ldc)
	tol := make([]float32, len(want))
	for i := 0; i < o.m; i++ {
		for j := 0; j < o.n; j++ {
			var mag float64
			for p := 0; p < o.k; p++ {
				mag += math.Abs(float64(o.at(o.a, o.lda, o.tA, i, p)) * float64(o.at(o.b, o.ldb, o.tB, p, j)))
			}
			mag *= math.Abs(float64(o.alpha))
			if o.beta != 0 {
				mag += math.Abs(float64(o.beta) * float64(o.c[i*o.ldc+j]))
			}
			tol[i*o.ldc+j] = float32(2 * float64(o.k+2) * eps * mag)
		}
	}
	return oracle{want, tol}
}

// check compares got with the oracle element by element. Padding between
// rows must be untouched (still NaN).
func (o *operands) check(t *testing.T, got []float32, or oracle) {
	t.Helper()
	bad := 0
	for i := 0; i < o.m; i++ {
		for j := 0; j < o.ldc; j++ {
			g, w, tol := got[i*o.ldc+j], or.want[i*o.ldc+j], or.tol[i*o.ldc+j]
			if j >= o.n {
				if !math.IsNaN(float64(g)) {
					t.Fatalf("padding C[%d][%d] = %v, want it untouched", i, j, g)
				}
				continue
			}
			if d := math.Abs(float64(g) - float64(w)); !(d <= float64(tol)) {
				if bad++; bad <= 5 {
					t.Errorf("C[%d][%d] = %v, want %v (|diff| %.3g > tol %.3g)", i, j, g, w, d, tol)
				}
			}
		}
	}
	if bad > 5 {
		t.Errorf("... %d elements wrong in all", bad)
	}
}

// at returns op(X)(i, j) for X stored with stride ld, transposed if t.
func (o *operands) at(x []float32, ld int, t bool, i, j int) float32 {
	if t {
		return x[j*ld+i]
	}
	return x[i*ld+j]
}

func transName(t bool) string {
	if t {
		return "T"
	}
	return "N"
}

func TestSgemmMatchesReference(t *testing.T) {
	var (
		nt, tn, nn, tt = [2]bool{false, true}, [2]bool{true, false}, [2]bool{false, false}, [2]bool{true, true}
		all            = [][2]bool{nt, tn, nn, tt}
	)
	shapes := []struct {
		m, n, k int
		trans   [][2]bool // (tA, tB) cases to test
	}{
		{1, 1, 1, all},
		{7, 13, 5, all},
		{13, 7, 5, all},
		{6, 16, 1, all},
		{12, 32, 4, all},
		{5, 17, 33, all},
		{25, 65, 3, all},
		{37, 41, 300, all},  // two k blocks
		{150, 70, 90, all},  // two mc blocks for every kernel
		{3, 2100, 20, all},  // two nc blocks
		{97, 131, 517, all}, // everything odd
		// The MLP's products: forward X·Wᵀ, dW = dYᵀ·X, dX = dY·W.
		{400, 1200, 784, [][2]bool{nt}},
		{1200, 784, 400, [][2]bool{tn}},
		{400, 784, 1200, [][2]bool{nn}},
	}
	scalars := []struct{ alpha, beta float32 }{{1, 0}, {0.5, 1}, {-2, 0.25}}
	rng := rand.New(rand.NewPCG(1, 2))
	for _, s := range shapes {
		big := s.m*s.n*s.k > 1e7
		if testing.Short() && big {
			continue
		}
		for _, tr := range s.trans {
			for si, sc := range scalars {
				if big && si > 0 {
					continue // the naive oracle is slow: one pair of scalars
				}
				pad := (s.m + s.n + si) % 3 * 5 // strides larger than widths in most cases
				o := newOperands(rng, tr[0], tr[1], s.m, s.n, s.k, pad, sc.alpha, sc.beta)
				want := o.reference()
				for _, kern := range kernels {
					name := fmt.Sprintf("%dx%dx%d/%s%s/a%g,b%g/%s", s.m, s.n, s.k,
						transName(tr[0]), transName(tr[1]), sc.alpha, sc.beta, kern.name)
					t.Run(name, func(t *testing.T) {
						o.check(t, o.run(kern, 1), want)
						o.check(t, o.run(kern, 3), want)
					})
				}
			}
		}
	}
}

// TestSgemmDeterministic checks that the number of goroutines does not
// change a single bit of the result.
func TestSgemmDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := [][3]int{{400, 1200, 784}, {1200, 784, 400}, {400, 784, 1200}, {131, 97, 300}, {61, 2100, 33}}
	for _, s := range shapes {
		if testing.Short() && s[0]*s[1]*s[2] > 1e7 {
			continue
		}
		for _, tr := range [][2]bool{{false, true}, {true, false}, {false, false}} {
			o := newOperands(rng, tr[0], tr[1], s[0], s[1], s[2], 3, 0.5, 0.75)
			for _, kern := range kernels {
				if kern == goKernel && s[0]*s[1]*s[2] > 1e7 {
					continue // slow, and its blocking is the same as the others'
				}
				one := o.run(kern, 1)
				for _, w := range []int{2, 3, 4, 7} {
					if got := o.run(kern, w); !slices.Equal(floatBits(got), floatBits(one)) {
						t.Errorf("%v %s%s %s: %d goroutines differ from 1", s, transName(tr[0]), transName(tr[1]), kern.name, w)
					}
				}
			}
		}
	}
}

func floatBits(x []float32) []uint32 {
	u := make([]uint32, len(x))
	for i, v := range x {
		u[i] = math.Float32bits(v)
	}
	return u
}

// TestSgemmSpecialScalars covers the paths that skip the product.
func TestSgemmSpecialScalars(t *testing.T) {
	nan := float32(math.NaN())
	tests := []struct {
		name        string
		k           int
		alpha, beta float32
		a, b        []float32
		c, want     []float32
	}{
		{"alpha 0 scales C", 2, 0, 2, []float32{nan, nan, nan, nan}, []float32{nan, nan, nan, nan}, []float32{1, 2, 3, 4}, []float32{2, 4, 6, 8}},
		{"alpha 0 beta 0 zeroes C", 2, 0, 0, []float32{nan, nan, nan, nan}, []float32{nan, nan, nan, nan}, []float32{nan, 2, 3, nan}, []float32{0, 0, 0, 0}},
		{"k 0 beta 1 keeps C", 0, 1, 1, nil, nil, []float32{1, 2, 3, 4}, []float32{1, 2, 3, 4}},
		{"beta 0 ignores NaN", 1, 1, 0, []float32{1, 2}, []float32{3, 4}, []float32{nan, nan, nan, nan}, []float32{3, 4, 6, 8}},
	}
	for _, tt := range tests {
		for _, kern := range kernels {
			t.Run(tt.name+"/"+kern.name, func(t *testing.T) {
				c := slices.Clone(tt.c)
				sgemm(kern, 2, false, false, 2, 2, tt.k, tt.alpha, tt.a, max(tt.k, 1), tt.b, 2, tt.beta, c, 2)
				if !slices.Equal(c, tt.want) {
					t.Errorf("C = %v, want %v", c, tt.want)
				}
			})
		}
	}
	// Empty C: nothing to do, nothing read.
	Sgemm(false, false, 0, 5, 3, 1, nil, 3, nil, 5, 0, nil, 5)
	Sgemm(false, false, 5, 0, 3, 1, nil, 3, nil, 1, 0, nil, 1)
}

func TestSgemmPanicsOnBadArguments(t *testing.T) {
	a := make([]float32, 6)
	tests := []struct {
		name string
		f    func()
	}{
		{"negative m", func() { Sgemm(false, false, -1, 2, 3, 1, a, 3, a, 2, 0, a, 2) }},
		{"lda too small", func() { Sgemm(false, false, 2, 2, 3, 1, a, 2, a, 2, 0, a, 2) }},
		{"A too short", func() { Sgemm(false, false, 3, 2, 3, 1, a, 3, a, 2, 0, a, 2) }},
		{"B too short", func() { Sgemm(false, true, 2, 3, 3, 1, a, 3, a[:5], 3, 0, a, 3) }},
		{"C too short", func() { Sgemm(false, false, 2, 2, 3, 1, a, 3, a, 2, 0, a[:3], 2) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			tt.f()
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		workers, m, n, k int
		pm, pn           int
	}{
		{1, 400, 1200, 784, 1, 1},
		{2, 400, 1200, 784, 1, 2},  // forward: split the wider n
		{2, 1200, 784, 400, 2, 1},  // dW: split m
		{4, 1200, 1200, 784, 4, 1}, // 50x75 tiles each beats 100x38
		{4, 60, 1200, 60, 1, 4},    // ten rows of tiles, 75 columns
		{8, 10, 10, 10, 1, 1},      // too little work for a second goroutine
		{3, 6, 4000, 400, 1, 3},    // a single row of tiles
	}
	for _, tt := range tests {
		pm, pn := split(avx2Sized, tt.workers, tt.m, tt.n, tt.k)
		if pm != tt.pm || pn != tt.pn {
			t.Errorf("split(%d, %dx%dx%d) = %dx%d, want %dx%d", tt.workers, tt.m, tt.n, tt.k, pm, pn, tt.pm, tt.pn)
		}
	}
}

// avx2Sized has the 6x16 tile of the AVX2 kernel, on any architecture.
var avx2Sized = &kernel{name: "6x16", mr: 6, nr: 16, mc: 144, nc: 2048, fn: nil}

func TestSgemmAllocatesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("measures steady state")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	o := newOperands(rng, false, true, 200, 300, 400, 0, 1, 0)
	for _, kern := range kernels {
		allocs := testing.AllocsPerRun(20, func() {
			sgemm(kern, 2, o.tA, o.tB, o.m, o.n, o.k, o.alpha, o.a, o.lda, o.b, o.ldb, o.beta, o.c, o.ldc)
		})
		if allocs > 0.5 {
			t.Errorf("%s: %.1f allocations per call", kern.name, allocs)
		}
	}
}

func TestSgemmLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	rng := rand.New(rand.NewPCG(7, 8))
	o := newOperands(rng, false, false, 300, 300, 300, 0, 1, 0)
	for i := 0; i < 10; i++ {
		o.run(kernels[0], 4)
	}
	// Workers call Done just before they return: give them the processor
	// until they are gone, without sleeping.
	for i := 0; i < 10000 && runtime.NumGoroutine() > before; i++ {
		runtime.Gosched()
	}
	if after := runtime.NumGoroutine(); after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
}

func TestKernels(t *testing.T) {
	if kernels[len(kernels)-1] != goKernel {
		t.Error("the generic kernel must always be available, last")
	}
	if os.Getenv(EnvPath) == "" && active() != kernels[0] {
		t.Error("Sgemm does not use the first kernel")
	}
	names := make([]string, len(kernels))
	for i, k := range kernels {
		names[i] = k.name
		if k.mc%k.mr != 0 || k.nc%k.nr != 0 {
			t.Errorf("%s: mc %d, nc %d not multiples of %dx%d", k.name, k.mc, k.nc, k.mr, k.nr)
		}
	}
	t.Logf("kernels on this CPU: %v", names)
}

// TestTranspose4 checks the platform's transpose4 and transpose2 (assembly
// on amd64) against the Go versions over lengths that exercise the 4x4
// blocks and the remainder.
func TestTranspose4(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, n := range []int{1, 3, 4, 5, 8, 13, 256} {
		for _, width := range []int{4, 6, 12, 16, 32} {
			const ld = 300
			src := make([]float32, 3*ld+n)
			for i := range src {
				src[i] = float32(rng.NormFloat64())
			}
			got := make([]float32, n*width)
			want := make([]float32, n*width)
			transpose4(true, got, src, ld, n, width)
			transpose4Go(want, src, ld, n, width)
			if !slices.Equal(got, want) {
				t.Errorf("n=%d width=%d: transpose4 differs from transpose4Go", n, width)
			}
			got2 := make([]float32, n*width)
			want2 := make([]float32, n*width)
			transpose2(true, got2, src, ld, n, width)
			transpose2Go(want2, src, ld, n, width)
			if !slices.Equal(got2, want2) {
				t.Errorf("n=%d width=%d: transpose2 differs from transpose2Go", n, width)
			}
			for s := 0; s < n; s++ {
				for r := 0; r < 4; r++ {
					if want[s*width+r] != src[r*ld+s] {
						t.Fatalf("n=%d width=%d: transpose4Go wrong at s=%d r=%d", n, width, s, r)
					}
				}
			}
		}
	}
}

// TestCopyFull checks the platform's copyFull (assembly on amd64) against
// the Go version.
func TestCopyFull(t *testing.T) {
	for _, n := range []int{0, 1, 7, 256} {
		for _, width := range []int{2, 4, 6, 12, 16, 32} {
			const ld = 41
			src := make([]float32, max(0, (n-1)*ld+width))
			for i := range src {
				src[i] = float32(i)
			}
			got := make([]float32, n*width+1)
			want := make([]float32, n*width+1)
			copyFull(true, got, src, ld, n, width)
			copyFullGo(want, src, ld, n, width)
			if !slices.Equal(got, want) {
				t.Errorf("n=%d width=%d: copyFull differs from copyFullGo", n, width)
			}
			if n > 0 && want[(n-1)*width+width-1] != src[(n-1)*ld+width-1] {
				t.Errorf("n=%d width=%d: copyFullGo wrong", n, width)
			}
		}
	}
}

// TestSgemmConcurrentCalls runs Sgemm from several goroutines at once, as
// independent trainers would: the pooled jobs and workspaces must not be
// shared between calls (run with -race).
func TestSgemmConcurrentCalls(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	ops := make([]*operands, 4)
	want := make([][]float32, len(ops))
	for i := range ops {
		ops[i] = newOperands(rng, i%2 == 1, i/2 == 1, 70+i, 90-i, 150, 1, 1, 0)
		want[i] = ops[i].run(kernels[0], 1)
	}
	got := make([][]float32, len(ops))
	var wg sync.WaitGroup
	for i, o := range ops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := 0; r < 5; r++ {
				got[i] = o.run(kernels[0], 3)
			}
		}()
	}
	wg.Wait()
	for i := range ops {
		if !slices.Equal(floatBits(got[i]), floatBits(want[i])) {
			t.Errorf("problem %d: concurrent result differs", i)
		}
	}
}
