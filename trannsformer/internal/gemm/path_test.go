package gemm

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// goldenPaths returns the paths to check: every one this CPU runs.
func goldenPaths(t *testing.T) []string {
	t.Helper()
	return Paths()
}

// usePath switches to path p for a test and returns the function that
// switches back.
func usePath(t testing.TB, p string) func() {
	t.Helper()
	old := current.Load()
	if err := SetPath(p); err != nil {
		t.Fatal(err)
	}
	return func() { current.Store(old) }
}

func TestSetPath(t *testing.T) {
	defer usePath(t, "")()
	names := Paths()
	if names[len(names)-1] != "go" {
		t.Errorf("Paths() = %v: want go last", names)
	}
	for _, p := range names {
		if err := SetPath(p); err != nil {
			t.Fatalf("SetPath(%q): %v", p, err)
		}
		if Path() != p {
			t.Errorf("after SetPath(%q), Path() = %q", p, Path())
		}
	}
	if err := SetPath(""); err != nil || Path() != names[0] {
		t.Errorf("SetPath(\"\") = %v, Path() = %q; want the default %q", err, Path(), names[0])
	}
	err := SetPath("avx1024")
	if err == nil || !strings.Contains(err.Error(), "unknown path") || Path() != names[0] {
		t.Errorf("SetPath(avx1024) = %v, Path() = %q", err, Path())
	}
	for _, p := range allPaths {
		if !slices.Contains(names, p) {
			if err := SetPath(p); err == nil || !strings.Contains(err.Error(), "cannot run") {
				t.Errorf("SetPath(%q) on a CPU without it = %v", p, err)
			}
		}
	}
}

// TestEnvPath runs this test binary again with $GOTRANN_GEMM set: a path
// the CPU runs is used; an unknown one makes the first product panic with
// an error that names the variable.
func TestEnvPath(t *testing.T) {
	if os.Getenv("GEMM_TEST_CHILD") != "" {
		fmt.Printf("path=%s\n", Path())
		c := make([]float32, 1)
		Sgemm(false, false, 1, 1, 1, 1, []float32{2}, 1, []float32{3}, 1, 0, c, 1)
		fmt.Printf("c=%v\n", c[0])
		return
	}
	if testing.Short() && runtime.GOOS == "js" {
		t.Skip("no subprocesses")
	}
	run := func(value string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestEnvPath$", "-test.v")
		cmd.Env = append(os.Environ(), "GEMM_TEST_CHILD=1", EnvPath+"="+value)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, p := range Paths() {
		out, err := run(p)
		if err != nil || !strings.Contains(out, "path="+p+"\n") || !strings.Contains(out, "c=6\n") {
			t.Errorf("%s=%s: %v\n%s", EnvPath, p, err, out)
		}
	}
	out, err := run("fast")
	var ee *exec.ExitError
	if !errors.As(err, &ee) || !strings.Contains(out, `panic: $GOTRANN_GEMM: gemm: unknown path "fast" (want one of avx512, avx2, go;`) {
		t.Errorf("%s=fast: %v\n%s", EnvPath, err, out)
	}
}

// TestPathsAgree runs random products, odd shapes and edge tiles
// included, on every kernel with 1 and 3 goroutines and requires the same
// bits from all of them.
func TestPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	n := 300
	switch {
	case raceEnabled:
		n = 20
	case testing.Short():
		n = 80
	}
	dims := []int{1, 2, 3, 4, 5, 6, 7, 11, 12, 13, 16, 17, 31, 32, 33, 47, 63, 64, 65, 100, 127, 128, 129, 255, 256, 257, 300, 513}
	scalars := []float32{0, 1, -1, 0.5, 0.75, -1.25, 3}
	for x := 0; x < n; x++ {
		m, nn, k := dims[rng.IntN(len(dims))], dims[rng.IntN(len(dims))], dims[rng.IntN(len(dims))]
		if m*nn*k > 4e6 {
			k = 1 + rng.IntN(64)
		}
		tA, tB := rng.IntN(2) == 1, rng.IntN(2) == 1
		alpha, beta := scalars[rng.IntN(len(scalars))], scalars[rng.IntN(len(scalars))]
		o := newOperands(rng, tA, tB, m, nn, k, rng.IntN(3), alpha, beta)
		// Magnitudes spread over 2^±20 make the rounding of every step
		// count.
		for _, v := range [][]float32{o.a, o.b} {
			for i := range v {
				v[i] = float32(math.Ldexp(float64(v[i]), rng.IntN(41)-20))
			}
		}
		var want []float32
		for _, kern := range kernels {
			for _, w := range []int{1, 3} {
				got := o.run(kern, w)
				if want == nil {
					want = got
					continue
				}
				if !slices.Equal(floatBits(got), floatBits(want)) {
					t.Fatalf("%dx%dx%d %s%s alpha=%v beta=%v: %s with %d goroutines differs from %s", m, nn, k,
						transName(tA), transName(tB), alpha, beta, kern.name, w, kernels[0].name)
				}
			}
		}
	}
}

// TestBlocksPathsAgree checks SgemmBlocks, SgemmBlocksInto and SpmmT
// across paths, bit for bit.
func TestBlocksPathsAgree(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	for _, s := range blockShapes {
		for mode := 0; mode < 4; mode++ {
			bl := randomBlocks(rng, s.K, s.N, s.bs, s.keep)
			if mode&2 != 0 {
				bl.KIndex, bl.NIndex = rng.Perm(s.K), rng.Perm(s.N)
			}
			tB := mode&1 != 0
			a, lda := randMatrix(rng, s.m, s.K, 1)
			b, ldb := randMatrix(rng, s.K, s.N, 0)
			if tB {
				b, ldb = randMatrix(rng, s.N, s.K, 0)
			}
			d, ldd := randMatrix(rng, s.m, s.N, 0)
			g0, ldg := randMatrix(rng, s.K, s.N, 0)
			var want, wantG []float32
			for _, kern := range kernels {
				for _, w := range []int{1, 3} {
					c := make([]float32, s.m*s.N)
					sgemmBlocks(kern, w, tB, s.m, a, lda, b, ldb, c, s.N, bl)
					g := slices.Clone(g0)
					sgemmBlocksInto(kern, w, true, false, s.m, 0.25, a, lda, d, ldd, float32(mode&1)*0.9, g, ldg, bl, nil)
					if want == nil {
						want, wantG = c, g
						continue
					}
					if !slices.Equal(floatBits(c), floatBits(want)) {
						t.Fatalf("%v mode %d: SgemmBlocks on %s/%d differs", s, mode, kern.name, w)
					}
					if !slices.Equal(floatBits(g), floatBits(wantG)) {
						t.Fatalf("%v mode %d: SgemmBlocksInto on %s/%d differs", s, mode, kern.name, w)
					}
				}
			}
		}
	}
	for _, sh := range []struct{ m, rows, cols int }{{1, 1, 1}, {7, 30, 50}, {130, 100, 90}, {65, 257, 33}} {
		for _, density := range []float64{0, 0.1, 0.5} {
			s, _ := randomCSR(rng, sh.rows, sh.cols, density)
			a, lda := randMatrix(rng, sh.m, sh.cols, 2)
			var want []float32
			for _, p := range Paths() {
				c := make([]float32, sh.m*sh.rows)
				func() {
					defer usePath(t, p)()
					SpmmT(sh.m, a, lda, s, c, sh.rows)
				}()
				if want == nil {
					want = c
				} else if !slices.Equal(floatBits(c), floatBits(want)) {
					t.Fatalf("%v density %v: SpmmT on %s differs from %s", sh, density, p, Paths()[0])
				}
			}
		}
	}
}
