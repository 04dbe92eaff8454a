package data

import "testing"

func TestValidationSplit(t *testing.T) {
	d := Synthetic(SyntheticConfig{N: 50, Side: 4, Seed: 3})
	fit, val, err := ValidationSplit(d, 10)
	if err != nil {
		t.Fatal(err)
	}
	if fit.Len() != 40 || val.Len() != 10 {
		t.Fatalf("split %d + %d, want 40 + 10", fit.Len(), val.Len())
	}
	// The validation set is the last 10 samples, in order; the rest fits.
	for i := 0; i < 10; i++ {
		if val.Y[i] != d.Y[40+i] || val.Row(i)[0] != d.Row(40 + i)[0] {
			t.Fatalf("validation sample %d is not training sample %d", i, 40+i)
		}
	}
	for i := 0; i < 40; i++ {
		if fit.Y[i] != d.Y[i] {
			t.Fatalf("fit sample %d differs", i)
		}
	}
	// Copies: changing the split leaves the source alone.
	val.X[0] = 99
	if d.X[40*d.Features] == 99 {
		t.Error("the validation set shares memory with the training set")
	}
	for _, n := range []int{0, -1, 50, 51} {
		if _, _, err := ValidationSplit(d, n); err == nil {
			t.Errorf("n=%d: want an error", n)
		}
	}
	if _, _, err := ValidationSplit(nil, 1); err == nil {
		t.Error("nil data set: want an error")
	}
}
