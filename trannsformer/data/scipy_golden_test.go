package data

import (
	"path/filepath"
	"testing"
)

// TestScipyGolden reads files written by SciPy's savemat and NumPy's
// save/savez_compressed (testdata/make_golden.py).
func TestScipyGolden(t *testing.T) {
	for _, f := range []string{"svhn_scipy_compressed.mat", "svhn_scipy_plain.mat"} {
		d, err := LoadSVHN(filepath.Join("testdata", f), false)
		if err != nil {
			t.Fatal(err)
		}
		if d.Len() != 5 || d.Y[0] != 1 || d.Y[1] != 0 || d.Y[4] != 5 {
			t.Fatalf("%s: %v labels %v", f, d, d.Y)
		}
		// X[5, 7, c, 4] (row 5, column 7) is 250, 4, 9 for c = 0, 1, 2.
		for c, want := range []float32{250, 4, 9} {
			if got := d.Row(4)[1024*c+32*5+7]; got != want/255 {
				t.Errorf("%s: channel %d pixel %v, want %v", f, c, got*255, want)
			}
		}
	}
	for _, f := range []string{"arange_be_f8.npy", "arange_fortran_i2.npy"} {
		a, err := LoadNPY(filepath.Join("testdata", f))
		if err != nil {
			t.Fatal(err)
		}
		for i, v := range a.Data {
			if v != float64(i) || len(a.Shape) != 2 || a.Shape[0] != 2 {
				t.Fatalf("%s: %v %v", f, a.Shape, a.Data)
			}
		}
	}
	d, err := LoadNPZDataset(filepath.Join("testdata", "xy.npz"), "x", "y")
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 2 || d.Features != 4 || d.Row(1)[3] != float32(210)/255 || d.Y[0] != 3 {
		t.Errorf("npz: %v %v %v", d, d.X, d.Y)
	}
}
