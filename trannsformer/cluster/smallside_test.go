package cluster

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"
)

// TestEmbedSmallSide: for graphs with a tiny side, the Gram-matrix
// embedding equals the dense one up to the sign of each column.
func TestEmbedSmallSide(t *testing.T) {
	for _, sh := range []struct{ r, c int }{{10, 400}, {12, 90}, {300, 9}} {
		for seed := uint64(1); seed <= 3; seed++ {
			b := random(seed, sh.r, sh.c, 0.3)
			s := newSparse(b, b.ActiveRows(), b.ActiveCols())
			want, err := embedDense(s, 5)
			if err != nil {
				t.Fatal(err)
			}
			got, ok := embedSmallSide(s, 5)
			if !ok {
				t.Fatalf("%v seed %d: declined", sh, seed)
			}
			n, k := want.Dims()
			for c := 0; c < k; c++ {
				sign := 1.0
				if got.At(0, c)*want.At(0, c) < 0 {
					sign = -1
				}
				for a := 0; a < n; a++ {
					if d := math.Abs(sign*got.At(a, c) - want.At(a, c)); d > 1e-8 {
						t.Fatalf("%v seed %d: column %d entry %d: %v, dense %v", sh, seed, c, a, got.At(a, c), want.At(a, c))
					}
				}
			}
		}
	}
	// Too few nodes on the small side for 5 distinct eigenvalues: declined.
	b := random(4, 4, 200, 0.5)
	if _, ok := embedSmallSide(newSparse(b, b.ActiveRows(), b.ActiveCols()), 5); ok {
		t.Error("a 4-row graph gave 5 eigenvectors")
	}
}

// TestReferenceSmallSide: Reference with SmallSide on a 10-output layer
// is deterministic and clusters about as well as the dense path.
func TestReferenceSmallSide(t *testing.T) {
	b, _ := planted(5, 10, 600, 3, 3, 150, 0.9, 0.05)
	ctx := context.Background()
	t0 := time.Now()
	fast, err := Reference(ctx, b, Config{K: 64, Seed: 1, SmallSide: true})
	if err != nil {
		t.Fatal(err)
	}
	tFast := time.Since(t0)
	again, err := Reference(ctx, b, Config{K: 64, Seed: 1, SmallSide: true})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, again) {
		t.Error("SmallSide is not deterministic")
	}
	t0 = time.Now()
	slow, err := Reference(ctx, b, Config{K: 64, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dense path %v: %d blocks, %d clustered; small side %v: %d blocks, %d clustered",
		time.Since(t0), len(slow.Blocks), slow.Clustered, tFast, len(fast.Blocks), fast.Clustered)
	if float64(fast.Clustered) < 0.9*float64(slow.Clustered) {
		t.Errorf("small side clusters %d synapses, dense %d", fast.Clustered, slow.Clustered)
	}
}
