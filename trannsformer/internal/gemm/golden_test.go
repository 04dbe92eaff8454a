package gemm

import (
	"bufio"
	"crypto/sha256"
	"encoding/binary"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/digests.golden from the default path")

// goldenFile holds, for every case of goldenCases, the SHA-256 of the bits
// of its results. It was written by the AVX-512 kernel as it stood before
// the paths were made to agree (commit fb126fd, the build that the paper's
// results come from), so checking it on every path checks both that the
// paths agree and that the default one has not changed.
const goldenFile = "testdata/digests.golden"

// goldenValues fills x with float32s of one of three kinds: normal
// deviates, deviates scaled by 2^e for e in [-24, 24] (sums whose rounding
// a split or unfused multiply-add would change), and 0/1 spikes.
func goldenValues(rng *rand.Rand, x []float32, kind int) {
	for i := range x {
		switch kind {
		case 0:
			x[i] = float32(rng.NormFloat64())
		case 1:
			x[i] = float32(math.Ldexp(rng.NormFloat64(), rng.IntN(49)-24))
		default:
			x[i] = float32(rng.IntN(2))
		}
	}
}

func digest(xs ...[]float32) string {
	h := sha256.New()
	var buf [4]byte
	for _, x := range xs {
		for _, v := range x {
			binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
			h.Write(buf[:])
		}
	}
	return fmt.Sprintf("%x", h.Sum(nil)[:12])
}

// goldenCase is one named computation through the package's exported
// functions; it returns the digest of what they computed.
type goldenCase struct {
	name string
	run  func() string
}

// goldenCases lists the products whose bits are pinned: Sgemm over edge
// and odd shapes, both transposes, several alpha and beta, k on both sides
// of the k blocks; SgemmBlocks and SgemmBlocksInto with and without index
// maps; SpmmT; AddTo.
func goldenCases() []goldenCase {
	var cs []goldenCase
	shapes := []struct{ m, n, k int }{
		{1, 1, 1}, {2, 3, 5}, {7, 13, 17}, {12, 32, 128}, {13, 33, 129},
		{25, 70, 256}, {50, 40, 300}, {6, 16, 513}, {37, 97, 784}, {3, 10, 1200},
	}
	for si, s := range shapes {
		for ti := 0; ti < 4; ti++ {
			tA, tB := ti&1 != 0, ti&2 != 0
			for _, ab := range []struct{ alpha, beta float32 }{{1, 0}, {-0.75, 1}, {0.5, 0.75}, {1.5, -2}} {
				for kind := 0; kind < 3; kind++ {
					s, tA, tB, ab, kind, seed := s, tA, tB, ab, kind, uint64(si*1000+ti*100+kind)
					cs = append(cs, goldenCase{
						name: fmt.Sprintf("sgemm/%dx%dx%d/%s%s/a%v/b%v/v%d", s.m, s.n, s.k, transName(tA), transName(tB), ab.alpha, ab.beta, kind),
						run: func() string {
							rng := rand.New(rand.NewPCG(seed, 1))
							ar, ac := s.m, s.k
							if tA {
								ar, ac = ac, ar
							}
							br, bc := s.k, s.n
							if tB {
								br, bc = bc, br
							}
							lda, ldb, ldc := ac+1, bc+2, s.n+3
							a := make([]float32, ar*lda)
							b := make([]float32, br*ldb)
							c := make([]float32, s.m*ldc)
							goldenValues(rng, a, kind)
							goldenValues(rng, b, kind)
							goldenValues(rng, c, 0)
							Sgemm(tA, tB, s.m, s.n, s.k, ab.alpha, a, lda, b, ldb, ab.beta, c, ldc)
							return digest(c)
						},
					})
				}
			}
		}
	}
	// Products of MLP layers (784-120-10) over a batch of 100.
	for _, l := range []struct {
		tA, tB  bool
		m, n, k int
		beta    float32
	}{
		{false, true, 100, 120, 784, 0}, {false, true, 100, 10, 120, 0},
		{false, false, 100, 784, 120, 0}, {true, false, 120, 784, 100, 0.9},
		{true, false, 10, 120, 100, 0},
	} {
		l := l
		cs = append(cs, goldenCase{
			name: fmt.Sprintf("layer/%s%s/%dx%dx%d", transName(l.tA), transName(l.tB), l.m, l.n, l.k),
			run: func() string {
				rng := rand.New(rand.NewPCG(uint64(l.m*l.n), uint64(l.k)))
				a := make([]float32, l.m*l.k)
				b := make([]float32, l.k*l.n)
				c := make([]float32, l.m*l.n)
				goldenValues(rng, a, 0)
				goldenValues(rng, b, 1)
				goldenValues(rng, c, 0)
				lda, ldb := l.k, l.n
				if l.tA {
					lda = l.m
				}
				if l.tB {
					ldb = l.k
				}
				Sgemm(l.tA, l.tB, l.m, l.n, l.k, 0.01, a, lda, b, ldb, l.beta, c, l.n)
				return digest(c)
			},
		})
	}
	for bi, s := range blockShapes {
		for mode := 0; mode < 4; mode++ {
			s, mode, seed := s, mode, uint64(bi*10+mode)
			cs = append(cs, goldenCase{
				name: fmt.Sprintf("blocks/%dx%dx%d/bs%d/keep%v/mode%d", s.m, s.K, s.N, s.bs, s.keep, mode),
				run: func() string {
					rng := rand.New(rand.NewPCG(seed, 2))
					bl := randomBlocks(rng, s.K, s.N, s.bs, s.keep)
					if mode&2 != 0 {
						bl.KIndex, bl.NIndex = rng.Perm(s.K), rng.Perm(s.N)
					}
					tB := mode&1 != 0
					a := make([]float32, s.m*s.K)
					b := make([]float32, s.K*s.N)
					goldenValues(rng, a, 0)
					goldenValues(rng, b, 1)
					c := make([]float32, s.m*s.N)
					ldb := s.N
					if tB {
						ldb = s.K
					}
					SgemmBlocks(tB, s.m, a, s.K, b, ldb, c, s.N, bl)
					// The weight gradient of the same layer: K x N kept
					// blocks of Aᵀ·D over the batch m.
					d := make([]float32, s.m*s.N)
					goldenValues(rng, d, 0)
					g := make([]float32, s.K*s.N)
					goldenValues(rng, g, 0)
					beta := float32(0)
					if mode&1 != 0 {
						beta = 0.9
					}
					if mode&2 != 0 {
						SgemmBlocksInto(true, false, s.m, 0.25, a, s.K, d, s.N, beta, g, s.N, bl)
					} else {
						tA := mode&1 != 0
						SgemmBlocksInto(tA, false, s.m, 0.25, transposeCopy(a, s.m, s.K, !tA), lda(s.m, s.K, !tA), d, s.N, beta, g, s.N, bl)
					}
					return digest(c, g)
				},
			})
		}
	}
	for si, sh := range []struct{ m, rows, cols int }{{1, 1, 1}, {7, 30, 50}, {130, 100, 90}, {65, 257, 33}, {100, 120, 784}} {
		for _, density := range []float64{0, 0.1, 0.5} {
			sh, density, seed := sh, density, uint64(si)
			cs = append(cs, goldenCase{
				name: fmt.Sprintf("spmmt/%dx%dx%d/d%v", sh.m, sh.rows, sh.cols, density),
				run: func() string {
					rng := rand.New(rand.NewPCG(seed, uint64(density*10)))
					s, _ := randomCSR(rng, sh.rows, sh.cols, density)
					a := make([]float32, sh.m*sh.cols)
					goldenValues(rng, a, 1)
					c := make([]float32, sh.m*sh.rows)
					SpmmT(sh.m, a, sh.cols, s, c, sh.rows)
					return digest(c)
				},
			})
		}
	}
	cs = append(cs, goldenCase{
		name: "addto",
		run: func() string {
			rng := rand.New(rand.NewPCG(7, 7))
			var out [][]float32
			for _, n := range []int{1, 7, 8, 9, 31, 32, 33, 100, 1200} {
				dst, src := make([]float32, n), make([]float32, n)
				goldenValues(rng, dst, 1)
				goldenValues(rng, src, 1)
				AddTo(dst, src)
				out = append(out, dst)
			}
			return digest(out...) + fmt.Sprintf(" kblock %d %d %d %d", KBlock(100), KBlock(300), KBlock(784), KBlock(1200))
		},
	})
	return cs
}

// transposeCopy returns the m x k matrix a, or its k x m transpose if t.
func transposeCopy(a []float32, m, k int, t bool) []float32 {
	if !t {
		return a
	}
	x := make([]float32, len(a))
	for i := 0; i < m; i++ {
		for p := 0; p < k; p++ {
			x[p*m+i] = a[i*k+p]
		}
	}
	return x
}

func lda(m, k int, t bool) int {
	if t {
		return m
	}
	return k
}

func readGolden(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(goldenFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	want := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		name, d, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			t.Fatalf("bad golden line %q", sc.Text())
		}
		want[name] = d
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return want
}

// TestGoldenDigests computes every golden case on every path this CPU can
// run, with 1, 2, 3 and 7 goroutines, and compares the bits with those the
// AVX-512 kernel gave before the paths were unified.
func TestGoldenDigests(t *testing.T) {
	cases := goldenCases()
	if *update {
		var sb strings.Builder
		for _, c := range cases {
			fmt.Fprintf(&sb, "%s %s\n", c.name, c.run())
		}
		if err := os.MkdirAll(filepath.Dir(goldenFile), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenFile, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want := readGolden(t)
	procs := []int{1, 2, 3, 7}
	paths := goldenPaths(t)
	switch {
	case raceEnabled:
		// The race detector looks for unsynchronised goroutines, not for
		// bits: the default path on 3 goroutines.
		procs, paths = []int{3}, paths[:1]
	case testing.Short():
		procs = []int{1, 3}
	}
	for _, p := range paths {
		for _, n := range procs {
			t.Run(fmt.Sprintf("%s/procs%d", p, n), func(t *testing.T) {
				defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(n))
				defer usePath(t, p)()
				bad := 0
				for _, c := range cases {
					w, ok := want[c.name]
					if !ok {
						t.Fatalf("%s: not in %s", c.name, goldenFile)
					}
					if got := c.run(); got != w {
						if bad++; bad <= 10 {
							t.Errorf("%s: digest %s, golden %s", c.name, got, w)
						}
					}
				}
				if bad > 10 {
					t.Errorf("... %d of %d cases differ", bad, len(cases))
				}
			})
		}
	}
}
