package cluster

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
)

// Labels is a co-clustering: a label for every row and column. Unlike a
// Partition, groups may have any size; rows and columns without synapses
// get -1.
type Labels struct {
	Rows, Cols []int
}

// SpectralCocluster is Dhillon's spectral co-clustering (the algorithm of
// scikit-learn's SpectralCoclustering) on the non-empty rows and columns of
// c: the 1+ceil(log2 n) leading singular vectors of
// D_r^-1/2 C D_c^-1/2 (the first, trivial one dropped), scaled by
// D^-1/2, clustered by k-means into n co-clusters (3 replicates).
// Deterministic for a seed; stops on ctx cancellation.
func SpectralCocluster(ctx context.Context, c *Binary, n int, seed uint64) (*Labels, error) {
	r, cc := c.Dims()
	lab := &Labels{Rows: make([]int, r), Cols: make([]int, cc)}
	for i := range lab.Rows {
		lab.Rows[i] = -1
	}
	for j := range lab.Cols {
		lab.Cols[j] = -1
	}
	rows, cols := c.ActiveRows(), c.ActiveCols()
	if n < 1 {
		n = 1
	}
	if n == 1 || len(rows)+len(cols) <= n {
		for _, i := range rows {
			lab.Rows[i] = 0
		}
		for _, j := range cols {
			lab.Cols[j] = 0
		}
		return lab, nil
	}
	rng := rand.New(rand.NewPCG(seed, 0x2545f4914f6cdd1d))
	nv := 1 + int(math.Ceil(math.Log2(float64(n))))
	s := newSparse(c, rows, cols)
	x, err := embed(ctx, s, nv+1, embedOptions{denseLimit: 64, maxDim: 120, tol: 1e-4}, rng)
	if errors.Is(err, errTooSmall) {
		return SpectralCocluster(ctx, c, 1, seed)
	}
	if err != nil {
		return nil, err
	}
	z := x.Slice(0, s.nc+s.nr, 1, nv+1)
	zd := denseCopy(z)
	labels, err := kmeans(ctx, zd, n, 100, 3, rng)
	if err != nil {
		return nil, err
	}
	for k, j := range cols {
		lab.Cols[j] = labels[k]
	}
	for k, i := range rows {
		lab.Rows[i] = labels[s.nc+k]
	}
	return lab, nil
}
