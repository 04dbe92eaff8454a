package data

import (
	"archive/zip"
	"bytes"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

// mnistLike returns n 28x28 images that compress about as well as MNIST's:
// a dark background with a bright random blob.
func mnistLike(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n*784)
	for i := 0; i < n; i++ {
		cx, cy := 8+r.IntN(12), 8+r.IntN(12)
		for y := 0; y < 28; y++ {
			for x := 0; x < 28; x++ {
				if d := (x-cx)*(x-cx) + (y-cy)*(y-cy); d < 40 {
					b[i*784+y*28+x] = byte(255 - 5*d - r.IntN(20))
				}
			}
		}
	}
	return b
}

// BenchmarkLoad reads each file format from disk: a gzipped IDX image file
// of 10,000 MNIST-like images, a .npy and a .npz of the same pixels as
// uint8, and SVHN .mat files of 500 images, compressed and not.
func BenchmarkLoad(b *testing.B) {
	dir := b.TempDir()
	const n = 10000
	pix := mnistLike(n)
	idx := put(b, filepath.Join(dir, "img.gz"), gz(idxBytes([]int{n, 28, 28}, pix)))
	npy := append(npyHeader("|u1", false, "(10000, 28, 28)"), pix...)
	npyPath := put(b, filepath.Join(dir, "x.npy"), npy)
	var zb bytes.Buffer
	zipMembers(&zb, map[string][]byte{"x.npy": npy})
	npz := put(b, filepath.Join(dir, "x.npz"), zb.Bytes())
	matz := put(b, filepath.Join(dir, "z.mat"), svhnFile(500, true))
	mat := put(b, filepath.Join(dir, "p.mat"), svhnFile(500, false))
	cases := []struct {
		name string
		load func() error
	}{
		{"IDX/gzip", func() error { _, err := ReadIDX(idx); return err }},
		{"NPY", func() error { _, err := LoadNPY(npyPath); return err }},
		{"NPZ", func() error { _, err := LoadNPZ(npz); return err }},
		{"Mat/compressed", func() error { _, err := ReadMat(matz); return err }},
		{"Mat/plain", func() error { _, err := ReadMat(mat); return err }},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := c.load(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// put writes a file for a benchmark and returns its path.
func put(b *testing.B, path string, data []byte) string {
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

// zipMembers writes a zip file of deflated members.
func zipMembers(w io.Writer, members map[string][]byte) {
	zw := zip.NewWriter(w)
	for name, b := range members {
		f, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		f.Write(b)
	}
	zw.Close()
}

// BenchmarkMNIST loads the cached MNIST (all four gzipped IDX files); it is
// skipped when the cache holds no verified copy.
func BenchmarkMNIST(b *testing.B) {
	cache, err := CacheDir()
	if err != nil {
		b.Skip(err)
	}
	dir := filepath.Join(cache, "mnist")
	if !stampOK(dir) {
		b.Skip("no verified MNIST in ", dir)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := MNIST(dir); err != nil {
			b.Fatal(err)
		}
	}
}
