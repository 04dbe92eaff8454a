package prune

import (
	"math/rand/v2"
	"testing"
)

// A chain 3-2-2-2: hidden unit 0 of the first hidden layer has no inputs,
// so its outputs go; that leaves unit 1 of the second hidden layer with no
// inputs, so its outputs go too; unit 1 of the first hidden layer has no
// outputs, so its inputs go. Everything else stays.
func TestCleanupByHand(t *testing.T) {
	m := newNet(t, 3, 2, 2, 2)
	for l := range m.W {
		for i := range m.W[l] {
			m.W[l][i] = 0.5
		}
	}
	// Layer 0 (2x3): unit 0 has no inputs.
	copy(m.W[0], []float32{0, 0, 0, 1, 2, 3})
	// Layer 1 (2x2): unit 1 of hidden layer 2 reads only hidden unit 0;
	// hidden unit 1 (of hidden layer 1) feeds nothing.
	copy(m.W[1], []float32{0.5, 0, 0.7, 0})
	// Layer 2 (2x2).
	copy(m.W[2], []float32{1, 1, 1, 1})
	n, err := Cleanup(m)
	if err != nil {
		t.Fatal(err)
	}
	// Round 1: hidden-1 unit 0 (no inputs) loses W1[0][0], W1[1][0];
	// hidden-1 unit 1 (no outputs) loses W0[1][*] (3 weights). Then
	// hidden-2 units 0 and 1 have no inputs: W2[*][0], W2[*][1] go (4).
	want0 := []float32{0, 0, 0, 0, 0, 0}
	want1 := []float32{0, 0, 0, 0}
	want2 := []float32{0, 0, 0, 0}
	for l, want := range [][]float32{want0, want1, want2} {
		for i, v := range want {
			if m.W[l][i] != v {
				t.Fatalf("layer %d: %v, want %v", l, m.W[l], want)
			}
		}
	}
	if n != 3+2+4 {
		t.Errorf("removed %d weights, want 9", n)
	}
}

// On random sparse networks the cleanup never changes an output and leaves
// no hidden unit with inputs but no outputs or the other way round.
func TestCleanupPreservesFunction(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 5))
	for trial := 0; trial < 20; trial++ {
		m := newNet(t, 12, 10, 8, 4)
		for l := range m.W {
			for i := range m.W[l] {
				if rng.Float64() < 0.75 {
					m.W[l][i] = 0
				} else {
					m.W[l][i] = float32(rng.NormFloat64())
				}
			}
		}
		keep := make([]bool, len(m.W[1]))
		for i := range keep {
			keep[i] = true
		}
		if err := m.SetMask(1, keep); err != nil {
			t.Fatal(err)
		}
		x := make([]float32, 30*12)
		for i := range x {
			x[i] = rng.Float32()
		}
		before, err := m.Forward(x, 30)
		if err != nil {
			t.Fatal(err)
		}
		before = append([]float32(nil), before...)
		was := append([]float32(nil), m.W[1]...)
		nz := m.NonZero(0) + m.NonZero(1) + m.NonZero(2)
		n, err := Cleanup(m)
		if err != nil {
			t.Fatal(err)
		}
		if got := m.NonZero(0) + m.NonZero(1) + m.NonZero(2); got != nz-n {
			t.Errorf("trial %d: %d non-zero after removing %d of %d", trial, got, n, nz)
		}
		after, _ := m.Forward(x, 30)
		for i := range before {
			if before[i] != after[i] {
				t.Fatalf("trial %d: output %d changed from %v to %v", trial, i, before[i], after[i])
			}
		}
		// Fixed point: a second cleanup removes nothing.
		if again, _ := Cleanup(m); again != 0 {
			t.Errorf("trial %d: second pass removed %d", trial, again)
		}
		// The mask follows the removed weights.
		mask := m.Mask(1)
		for i, v := range m.W[1] {
			if v == 0 && was[i] != 0 && mask[i] {
				t.Fatalf("trial %d: weight %d removed but not masked", trial, i)
			}
		}
	}
}
