package cluster

import (
	"context"
	"math"
	"math/rand/v2"

	"gonum.org/v1/gonum/mat"
)

// denseCopy returns a compact copy of m (RawRowView needs a stride equal to
// the width only for the views kmeans takes; a copy is simplest).
func denseCopy(m mat.Matrix) *mat.Dense {
	var d mat.Dense
	d.CloneFrom(m)
	return &d
}

// kmeans clusters the rows of x into k groups with Lloyd's algorithm from a
// k-means++ start (seeded by rng), at most maxIter iterations. An empty
// cluster is re-seeded with the point farthest from its centroid (MATLAB's
// 'EmptyAction','singleton', which the reference uses). It returns the
// label of every row. With replicates > 1 it keeps the run with the least
// within-cluster sum of squares (MATLAB's 'Replicates').
func kmeans(ctx context.Context, x *mat.Dense, k, maxIter, replicates int, rng *rand.Rand) ([]int, error) {
	var best []int
	bestSSE := math.Inf(1)
	for r := 0; r < replicates || best == nil; r++ {
		labels, sse, err := kmeansOnce(ctx, x, k, maxIter, rng)
		if err != nil {
			return nil, err
		}
		if sse < bestSSE || best == nil {
			best, bestSSE = labels, sse
		}
	}
	return best, nil
}

func kmeansOnce(ctx context.Context, x *mat.Dense, k, maxIter int, rng *rand.Rand) ([]int, float64, error) {
	n, d := x.Dims()
	if n < k {
		return nil, 0, errTooSmall
	}
	row := func(i int) []float64 { return x.RawRowView(i) }
	dist2 := func(a, b []float64) float64 {
		var s float64
		for t := 0; t < d; t++ {
			u := a[t] - b[t]
			s += u * u
		}
		return s
	}
	cent := make([][]float64, k)
	// k-means++ seeding.
	cent[0] = append([]float64(nil), row(rng.IntN(n))...)
	best := make([]float64, n)
	for i := range best {
		best[i] = dist2(row(i), cent[0])
	}
	for c := 1; c < k; c++ {
		var total float64
		for _, v := range best {
			total += v
		}
		pick := 0
		if total > 0 {
			r := rng.Float64() * total
			for i, v := range best {
				r -= v
				if r <= 0 {
					pick = i
					break
				}
				pick = i
			}
		} else {
			pick = rng.IntN(n)
		}
		cent[c] = append([]float64(nil), row(pick)...)
		for i := range best {
			if v := dist2(row(i), cent[c]); v < best[i] {
				best[i] = v
			}
		}
	}
	labels := make([]int, n)
	for i := range labels {
		labels[i] = -1
	}
	count := make([]int, k)
	for it := 0; it < maxIter; it++ {
		if err := ctx.Err(); err != nil {
			return nil, 0, err
		}
		changed := false
		for i := 0; i < n; i++ {
			bi, bd := 0, math.Inf(1)
			for c := 0; c < k; c++ {
				if v := dist2(row(i), cent[c]); v < bd {
					bi, bd = c, v
				}
			}
			if labels[i] != bi {
				labels[i] = bi
				changed = true
			}
			best[i] = bd
		}
		// Empty clusters take the farthest point (singleton action).
		for c := range count {
			count[c] = 0
		}
		for _, l := range labels {
			count[l]++
		}
		for c := 0; c < k; c++ {
			if count[c] > 0 {
				continue
			}
			far, fd := -1, -1.0
			for i := 0; i < n; i++ {
				if count[labels[i]] > 1 && best[i] > fd {
					far, fd = i, best[i]
				}
			}
			if far < 0 {
				break
			}
			count[labels[far]]--
			labels[far] = c
			count[c] = 1
			best[far] = 0
			changed = true
		}
		if !changed && it > 0 {
			break
		}
		for c := range cent {
			for t := range cent[c] {
				cent[c][t] = 0
			}
		}
		for i, l := range labels {
			r := row(i)
			for t := 0; t < d; t++ {
				cent[l][t] += r[t]
			}
		}
		for c := range cent {
			if count[c] > 0 {
				for t := range cent[c] {
					cent[c][t] /= float64(count[c])
				}
			}
		}
	}
	var sse float64
	for i, l := range labels {
		sse += dist2(row(i), cent[l])
	}
	return labels, sse, nil
}
