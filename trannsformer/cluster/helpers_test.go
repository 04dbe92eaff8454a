package cluster

import "math/rand/v2"

// plantedBlock is a ground-truth block of a planted matrix.
type plantedBlock struct{ rows, cols []int }

// planted returns an r x c matrix with n disjoint blocks of h x w synapses at
// the given density, plus uniform noise, with rows and columns shuffled.
func planted(seed uint64, r, c, n, h, w int, density, noise float64) (*Binary, []plantedBlock) {
	rng := rand.New(rand.NewPCG(seed, 1))
	pr, pc := rng.Perm(r), rng.Perm(c)
	b := NewBinary(r, c)
	var truth []plantedBlock
	for k := 0; k < n; k++ {
		var blk plantedBlock
		for a := 0; a < h; a++ {
			blk.rows = append(blk.rows, pr[k*h+a])
		}
		for a := 0; a < w; a++ {
			blk.cols = append(blk.cols, pc[k*w+a])
		}
		for _, i := range blk.rows {
			for _, j := range blk.cols {
				if rng.Float64() < density {
					b.Set(i, j, true)
				}
			}
		}
		truth = append(truth, blk)
	}
	for i := 0; i < r; i++ {
		for j := 0; j < c; j++ {
			if rng.Float64() < noise {
				b.Set(i, j, true)
			}
		}
	}
	return b, truth
}

// random returns an r x c matrix with independent synapses at density d.
func random(seed uint64, r, c int, d float64) *Binary {
	b, _ := planted(seed, r, c, 0, 0, 0, 0, d)
	return b
}

func newRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 2)) }
