package cluster

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/floats"
	"gonum.org/v1/gonum/mat"
)

// errTooSmall reports a graph with too few nodes for the requested number
// of eigenvectors or clusters (the reference's "eigs/kmeans failed").
var errTooSmall = errors.New("cluster: graph too small to split")

// sparse is C[rows, cols] in compressed-row form with local indices, plus
// the degree scalings of the normalised biadjacency B = D_r^-1/2 C D_c^-1/2
// (0 for zero-degree nodes).
type sparse struct {
	nr, nc int
	ptr    []int
	idx    []int
	dr, dc []float64
}

func newSparse(b *Binary, rows, cols []int) *sparse {
	pos := make([]int, b.c)
	for j := range pos {
		pos[j] = -1
	}
	for k, j := range cols {
		pos[j] = k
	}
	s := &sparse{nr: len(rows), nc: len(cols), ptr: make([]int, 1, len(rows)+1)}
	var buf []int
	for _, i := range rows {
		buf = b.Row(i, buf[:0])
		for _, j := range buf {
			if p := pos[j]; p >= 0 {
				s.idx = append(s.idx, p)
			}
		}
		s.ptr = append(s.ptr, len(s.idx))
	}
	s.dr = make([]float64, s.nr)
	s.dc = make([]float64, s.nc)
	for i := 0; i < s.nr; i++ {
		s.dr[i] = float64(s.ptr[i+1] - s.ptr[i])
		for _, j := range s.idx[s.ptr[i]:s.ptr[i+1]] {
			s.dc[j]++
		}
	}
	for i, d := range s.dr {
		if d > 0 {
			s.dr[i] = 1 / math.Sqrt(d)
		}
	}
	for j, d := range s.dc {
		if d > 0 {
			s.dc[j] = 1 / math.Sqrt(d)
		}
	}
	return s
}

// mulB sets y = B x (len(x) = nc, len(y) = nr).
func (s *sparse) mulB(y, x []float64) {
	for i := 0; i < s.nr; i++ {
		var sum float64
		for _, j := range s.idx[s.ptr[i]:s.ptr[i+1]] {
			sum += s.dc[j] * x[j]
		}
		y[i] = s.dr[i] * sum
	}
}

// mulBT sets x = Bᵀ y.
func (s *sparse) mulBT(x, y []float64) {
	for j := range x {
		x[j] = 0
	}
	for i := 0; i < s.nr; i++ {
		v := s.dr[i] * y[i]
		if v == 0 {
			continue
		}
		for _, j := range s.idx[s.ptr[i]:s.ptr[i+1]] {
			x[j] += v
		}
	}
	for j := range x {
		x[j] *= s.dc[j]
	}
}

// embedOptions tunes the eigensolver.
type embedOptions struct {
	denseLimit int     // graphs with at most this many nodes use the dense solver
	smallSide  bool    // a graph with a tiny side uses embedSmallSide
	maxDim     int     // Krylov subspace limit
	tol        float64 // residual tolerance of the Ritz pairs
}

// embed returns the unit-norm eigenvectors of the random-walk Laplacian of
// the bipartite graph of s for its nev eigenvalues nearest 0, as an
// (nc+nr) x nev matrix with the input (column) nodes first. Zero-degree
// nodes get 0. See the package documentation for the derivation.
func embed(ctx context.Context, s *sparse, nev int, opt embedOptions, rng *rand.Rand) (*mat.Dense, error) {
	n := s.nr + s.nc
	if n <= nev || s.nr == 0 || s.nc == 0 {
		return nil, errTooSmall
	}
	small := s.nr
	if s.nc < small {
		small = s.nc
	}
	if n <= opt.denseLimit || small < 2*nev+2 {
		if n > opt.denseLimit && opt.smallSide {
			// One side is tiny (e.g. a layer of 10 outputs): its Gram
			// matrix gives the same eigenvectors as the dense n x n
			// problem at a fraction of the cost, when they are unique.
			if x, ok := embedSmallSide(s, nev); ok {
				return x, nil
			}
		}
		return embedDense(s, nev)
	}
	return embedKrylov(ctx, s, nev, opt, rng)
}

// embedSmallSide computes the embedding of embedDense from the Gram matrix
// of the smaller side of B: the eigenvectors of N = [[0, Bᵀ], [B, 0]] for
// its largest eigenvalues σ are [v; u]/√2 with B v = σ u, Bᵀ u = σ v, and
// u (or v) are the eigenvectors of B Bᵀ (or BᵀB) for σ². It declines (ok
// false) unless the nev largest σ are positive and well separated from
// each other and from the next, where those eigenvectors are unique up to
// sign, which scaleEmbedding's normalisation and k-means do not see.
func embedSmallSide(s *sparse, nev int) (*mat.Dense, bool) {
	rowsSmall := s.nr <= s.nc
	m := s.nc
	if rowsSmall {
		m = s.nr
	}
	if m < nev+1 {
		return nil, false
	}
	// Dense B (nr x nc), then G = B Bᵀ or BᵀB.
	b := mat.NewDense(s.nr, s.nc, nil)
	for i := 0; i < s.nr; i++ {
		for _, j := range s.idx[s.ptr[i]:s.ptr[i+1]] {
			b.Set(i, j, s.dr[i]*s.dc[j])
		}
	}
	g := mat.NewSymDense(m, nil)
	if rowsSmall {
		g.SymOuterK(1, b)
	} else {
		g.SymOuterK(1, b.T())
	}
	var eig mat.EigenSym
	if !eig.Factorize(g, true) {
		return nil, false
	}
	vals := eig.Values(nil) // ascending
	var vec mat.Dense
	eig.VectorsTo(&vec)
	sig := make([]float64, nev+1)
	for k := 0; k <= nev; k++ {
		sig[k] = math.Sqrt(math.Max(vals[m-1-k], 0))
	}
	const gap = 1e-6
	for k := 0; k < nev; k++ {
		if sig[k] <= gap || sig[k]-sig[k+1] <= gap*sig[0] {
			return nil, false
		}
	}
	n := s.nr + s.nc
	x := mat.NewDense(n, nev, nil)
	small := make([]float64, m)
	for k := 0; k < nev; k++ {
		col := m - 1 - k
		for a := 0; a < m; a++ {
			small[a] = vec.At(a, col)
		}
		if rowsSmall {
			// u = small (rows); v = Bᵀu/σ (inputs, first in N's order).
			for i := 0; i < s.nr; i++ {
				x.Set(s.nc+i, k, small[i]/math.Sqrt2)
			}
			for j := 0; j < s.nc; j++ {
				var sum float64
				for i := 0; i < s.nr; i++ {
					sum += b.At(i, j) * small[i]
				}
				x.Set(j, k, sum/sig[k]/math.Sqrt2)
			}
		} else {
			for j := 0; j < s.nc; j++ {
				x.Set(j, k, small[j]/math.Sqrt2)
			}
			for i := 0; i < s.nr; i++ {
				var sum float64
				for j := 0; j < s.nc; j++ {
					sum += b.At(i, j) * small[j]
				}
				x.Set(s.nc+i, k, sum/sig[k]/math.Sqrt2)
			}
		}
	}
	scaleEmbedding(s, x)
	return x, true
}

func embedDense(s *sparse, nev int) (*mat.Dense, error) {
	n := s.nr + s.nc
	N := mat.NewSymDense(n, nil)
	for i := 0; i < s.nr; i++ {
		for _, j := range s.idx[s.ptr[i]:s.ptr[i+1]] {
			N.SetSym(j, s.nc+i, s.dr[i]*s.dc[j])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(N, true) {
		return nil, errors.New("cluster: dense eigendecomposition failed")
	}
	var vec mat.Dense
	eig.VectorsTo(&vec)
	// Eigenvalues ascend; the largest of N are the smallest of L_sym.
	x := mat.NewDense(n, nev, nil)
	for k := 0; k < nev; k++ {
		col := n - 1 - k
		for a := 0; a < n; a++ {
			x.Set(a, k, vec.At(a, col))
		}
	}
	scaleEmbedding(s, x)
	return x, nil
}

// scaleEmbedding maps eigenvectors y of L_sym to x = D^-1/2 y of L and
// normalises each column to unit length.
func scaleEmbedding(s *sparse, x *mat.Dense) {
	n, nev := x.Dims()
	for k := 0; k < nev; k++ {
		var norm float64
		for a := 0; a < n; a++ {
			var d float64
			if a < s.nc {
				d = s.dc[a]
			} else {
				d = s.dr[a-s.nc]
			}
			v := x.At(a, k) * d
			x.Set(a, k, v)
			norm += v * v
		}
		if norm > 0 {
			norm = 1 / math.Sqrt(norm)
			for a := 0; a < n; a++ {
				x.Set(a, k, x.At(a, k)*norm)
			}
		}
	}
}

func embedKrylov(ctx context.Context, s *sparse, nev int, opt embedOptions, rng *rand.Rand) (*mat.Dense, error) {
	// Work on the smaller Gram matrix: BᵀB (inputs) or BBᵀ (outputs).
	onInputs := s.nc <= s.nr
	dim, other := s.nc, s.nr
	if !onInputs {
		dim, other = s.nr, s.nc
	}
	tmp := make([]float64, other)
	apply := func(dst, x []float64) {
		if onInputs {
			s.mulB(tmp, x)
			s.mulBT(dst, tmp)
		} else {
			s.mulBT(tmp, x)
			s.mulB(dst, tmp)
		}
	}
	theta, vecs, err := topEigen(ctx, dim, apply, nev, opt, rng)
	if err != nil {
		return nil, err
	}
	n := s.nr + s.nc
	x := mat.NewDense(n, nev, nil)
	w := make([]float64, other)
	for k := 0; k < nev; k++ {
		sigma := math.Sqrt(math.Max(theta[k], 0))
		v := vecs[k]
		if onInputs {
			s.mulB(w, v)
		} else {
			s.mulBT(w, v)
		}
		for a := range w {
			if sigma > 1e-10 {
				w[a] /= sigma
			} else {
				w[a] = 0
			}
		}
		in, out := v, w
		if !onInputs {
			in, out = w, v
		}
		for j := 0; j < s.nc; j++ {
			x.Set(j, k, in[j])
		}
		for i := 0; i < s.nr; i++ {
			x.Set(s.nc+i, k, out[i])
		}
	}
	scaleEmbedding(s, x)
	return x, nil
}

// topEigen returns the nev largest eigenvalues (descending) and unit
// eigenvectors of the symmetric positive semi-definite operator apply of
// size dim, by block Krylov iteration with full reorthogonalisation and
// Rayleigh–Ritz. It stops when every wanted Ritz pair has a residual below
// opt.tol, or the subspace reaches opt.maxDim (then it returns the best
// Ritz pairs found: good enough for clustering, where the eigenvectors only
// feed k-means).
func topEigen(ctx context.Context, dim int, apply func(dst, x []float64), nev int, opt embedOptions, rng *rand.Rand) ([]float64, [][]float64, error) {
	p := nev + 3
	maxDim := opt.maxDim
	if maxDim > dim {
		maxDim = dim
	}
	var basis, images [][]float64
	T := make([][]float64, 0, maxDim)
	add := func(v []float64) bool {
		norm0 := math.Sqrt(dot(v, v))
		if norm0 == 0 {
			return false
		}
		for pass := 0; pass < 2; pass++ {
			for _, q := range basis {
				axpy(-dot(q, v), q, v)
			}
		}
		norm := math.Sqrt(dot(v, v))
		if norm < 1e-10*norm0 {
			return false
		}
		scal(1/norm, v)
		w := make([]float64, dim)
		apply(w, v)
		basis = append(basis, v)
		images = append(images, w)
		row := make([]float64, len(basis))
		for j, q := range basis {
			row[j] = dot(q, w)
		}
		T = append(T, row)
		return true
	}
	randomVec := func() []float64 {
		v := make([]float64, dim)
		for i := range v {
			v[i] = rng.NormFloat64()
		}
		return v
	}
	var block [][]float64
	for i := 0; i < p && len(basis) < maxDim; i++ {
		v := randomVec()
		if add(v) {
			block = append(block, v)
		}
	}
	nextCheck := 2 * p
	for {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		m := len(basis)
		if m >= nev && (m >= nextCheck || m >= maxDim || len(block) == 0) {
			nextCheck = m + m/3 + p
			theta, vecs, res := ritz(basis, images, T, nev)
			converged := true
			for _, r := range res {
				if r > opt.tol {
					converged = false
				}
			}
			if converged || m >= maxDim || len(block) == 0 {
				return theta, vecs, nil
			}
		}
		// Next block: the images of the last block, orthogonalised.
		var next [][]float64
		for _, q := range block {
			idx := indexOf(basis, q)
			v := append([]float64(nil), images[idx]...)
			if len(basis) >= maxDim {
				break
			}
			if add(v) {
				next = append(next, v)
			}
		}
		if len(next) == 0 && len(basis) < maxDim && len(basis) < nev {
			for len(next) < p && len(basis) < maxDim {
				v := randomVec()
				if add(v) {
					next = append(next, v)
				}
			}
		}
		block = next
	}
}

func indexOf(list [][]float64, v []float64) int {
	for i, q := range list {
		if &q[0] == &v[0] {
			return i
		}
	}
	panic("cluster: vector not in basis")
}

// ritz solves the projected problem and returns the nev largest Ritz values,
// their vectors and residual norms.
func ritz(basis, images, T [][]float64, nev int) ([]float64, [][]float64, []float64) {
	m := len(basis)
	dim := len(basis[0])
	S := mat.NewSymDense(m, nil)
	for i := 0; i < m; i++ {
		for j := 0; j <= i; j++ {
			S.SetSym(j, i, T[i][j])
		}
	}
	var eig mat.EigenSym
	if !eig.Factorize(S, true) {
		// Fall back to the basis itself; should not happen for symmetric input.
		theta := make([]float64, nev)
		res := make([]float64, nev)
		for k := range res {
			res[k] = math.Inf(1)
		}
		return theta, basis[:nev], res
	}
	vals := eig.Values(nil)
	var z mat.Dense
	eig.VectorsTo(&z)
	theta := make([]float64, nev)
	vecs := make([][]float64, nev)
	res := make([]float64, nev)
	r := make([]float64, dim)
	for k := 0; k < nev; k++ {
		col := m - 1 - k
		theta[k] = vals[col]
		y := make([]float64, dim)
		for a := range r {
			r[a] = 0
		}
		for j := 0; j < m; j++ {
			c := z.At(j, col)
			axpy(c, basis[j], y)
			axpy(c, images[j], r)
		}
		axpy(-theta[k], y, r)
		vecs[k] = y
		res[k] = math.Sqrt(dot(r, r))
	}
	return theta, vecs, res
}

func dot(a, b []float64) float64 { return floats.Dot(a, b) }

// axpy sets y += alpha·x.
func axpy(alpha float64, x, y []float64) { floats.AddScaled(y, alpha, x) }

func scal(alpha float64, x []float64) { floats.Scale(alpha, x) }
