package data

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"testing"
)

// fuzzMax bounds what the fuzz targets let a loader decompress, so that a
// run's memory stays small whatever the inputs.
const fuzzMax = 1 << 24

// checkAlloc fails t when f allocates more than bound bytes.
func checkAlloc(t *testing.T, what string, in []byte, bound uint64, f func()) {
	t.Helper()
	if n := allocated(f); n > bound {
		t.Fatalf("%s of %d bytes allocated %d, bound %d", what, len(in), n, bound)
	}
}

// checkErr fails t when an error message is long enough to flood a
// notebook or a log: messages quote at most a bounded part of the input.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if err != nil && len(err.Error()) > 2000 {
		t.Fatalf("error of %d bytes: %.300s...", len(err.Error()), err)
	}
}

// inflated is the most bytes n input bytes can decompress to under the
// fuzz bound.
func inflated(n int) uint64 {
	return uint64(min(canInflate(int64(n)), fuzzMax))
}

func addTestdata(f *testing.F, pattern string) {
	names, err := filepath.Glob(filepath.Join("testdata", pattern))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
}

// FuzzParseNPY: ParseNPY never panics, allocates in proportion to its
// input (8 bytes per element of at least one byte, twice for a Fortran
// array), and what it accepts is consistent with its shape.
func FuzzParseNPY(f *testing.F) {
	var w bytes.Buffer
	WriteNPY(&w, []int{2, 3}, []float32{1, 2, 3, 4, 5, 6.5})
	f.Add(w.Bytes())
	be := npyHeader(">i4", true, "(2, 3)")
	for _, v := range []int32{1, 4, 2, 5, 3, 6} {
		be = binary.BigEndian.AppendUint32(be, uint32(v))
	}
	f.Add(be)
	f.Add(append(npyHeader("|u1", false, "(2, 2, 2)"), 0, 51, 102, 255, 0, 0, 0, 255))
	f.Add(append(npyHeader("|b1", false, "()"), 1))
	f.Add(append(npyHeader("<u2", true, "(2, 1, 2)"), make([]byte, 8)...))
	f.Add(append(npyHeader("<f8", true, "(3, 6148914691236517206)"), make([]byte, 16)...))
	f.Add(npyHeader("<f0", false, "(1024,)"))
	addTestdata(f, "*.npy")
	f.Fuzz(func(t *testing.T, b []byte) {
		var a *Array
		var err error
		checkAlloc(t, "ParseNPY", b, 16*uint64(len(b))+64<<10, func() { a, err = ParseNPY(b) })
		checkErr(t, err)
		if err != nil {
			return
		}
		if n, ok := product(a.Shape, maxElements); !ok || n != len(a.Data) || a.Len() != n {
			t.Fatalf("shape %v with %d values", a.Shape, len(a.Data))
		}
	})
}

// FuzzReadNPZ: the .npz reader never panics and allocates in proportion to
// what its input can decompress to.
func FuzzReadNPZ(f *testing.F) {
	one := append(npyHeader("<f8", false, "(1,)"), make([]byte, 8)...)
	for _, m := range []uint16{zip.Store, zip.Deflate} {
		var zb bytes.Buffer
		zw := zip.NewWriter(&zb)
		for _, name := range []string{"x.npy", "y.npy"} {
			w, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: m})
			w.Write(one)
		}
		zw.Close()
		f.Add(zb.Bytes())
	}
	addTestdata(f, "*.npz")
	f.Fuzz(func(t *testing.T, b []byte) {
		var arrs map[string]*Array
		var err error
		// Per member: the decompressed bytes (at most twice, growing),
		// then 8 bytes per value; the zip directory a small multiple of
		// the input.
		bound := 32*(inflated(len(b))+uint64(len(b))) + 1<<20
		checkAlloc(t, "readNPZ", b, bound, func() { arrs, err = readNPZ(bytes.NewReader(b), int64(len(b)), limits{maxBytes: fuzzMax}) })
		checkErr(t, err)
		if err != nil {
			return
		}
		for name, a := range arrs {
			if n, ok := product(a.Shape, maxElements); !ok || n != len(a.Data) {
				t.Fatalf("%s: shape %v with %d values", name, a.Shape, len(a.Data))
			}
		}
	})
}

// FuzzParseIDX: ParseIDX and the streaming reader behind ReadIDX never
// panic, agree on raw input, and allocate no more than the input can
// decompress to.
func FuzzParseIDX(f *testing.F) {
	img := idxBytes([]int{3, 2, 2}, []byte{0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220})
	for _, b := range [][]byte{
		img,
		idxBytes([]int{3}, []byte{7, 0, 9}),
		idxBytes([]int{1, 1, 1, 1, 1, 1, 1, 1}, []byte{1}),
		img[:len(img)-1],
		append(append([]byte(nil), img...), 0),
		gz(img),
		gz(img)[:len(gz(img))-10],
		gzipBomb(idxBytes([]int{1}, []byte{1}), 1),
		gzipBomb([]byte{0, 0, 8, 2, 0x10, 0, 0, 0, 0, 0, 0, 64}, 0),
	} {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		parsed, perr := ParseIDX("fuzz", b)
		if perr == nil && len(parsed.Data) > len(b) {
			t.Fatalf("ParseIDX returned %d bytes of data from %d", len(parsed.Data), len(b))
		}
		var read *IDX
		var rerr error
		// Reading grows its buffer as io.ReadAll does, to at most twice
		// the data it holds, and gzip keeps a 32 KiB window and tables.
		bound := 4*(inflated(len(b))+uint64(len(b))) + 1<<20
		checkAlloc(t, "readIDX", b, bound, func() {
			read, rerr = readIDX("fuzz", bytes.NewReader(b), int64(len(b)), limits{maxBytes: fuzzMax})
		})
		checkErr(t, perr)
		checkErr(t, rerr)
		if len(b) >= 2 && b[0] == 0x1f && b[1] == 0x8b {
			return
		}
		if (perr == nil) != (rerr == nil) {
			t.Fatalf("ParseIDX error %v, readIDX error %v", perr, rerr)
		}
		if perr == nil && (!bytes.Equal(parsed.Data, read.Data) || len(parsed.Dims) != len(read.Dims)) {
			t.Fatalf("ParseIDX %v, readIDX %v", parsed.Dims, read.Dims)
		}
	})
}

// FuzzReadMat: the MAT-file reader and the SVHN conversion never panic and
// allocate in proportion to the input and what it can decompress to; what
// they accept is consistent with its dimensions.
func FuzzReadMat(f *testing.F) {
	const mxDOUBLE = 6
	f.Add(svhnFile(1, true))
	f.Add(svhnFile(1, false))
	for i, typ := range []uint32{miINT8, miUINT8, miINT16, miUINT16, miINT32, miUINT32, miSINGLE, miDOUBLE, miINT64, miUINT64} {
		size := []int{1, 1, 2, 2, 4, 4, 4, 8, 8, 8}[i]
		f.Add(matFile(i%2 == 0, matMatrix("v", mxDOUBLE, []int32{2, 1}, typ, bytes.Repeat([]byte{0x3f}, 2*size))))
	}
	f.Add(matFile(false, matMatrix("x", mxDOUBLE, []int32{1 << 17, 1 << 17, 1 << 30}, miDOUBLE, nil)))
	f.Add(matFile(false, matElement(miCOMPRESSED, zlibBomb(matElement(miMATRIX, make([]byte, 8)), 1))))
	addTestdata(f, "*.mat")
	f.Fuzz(func(t *testing.T, b []byte) {
		var vars map[string]*MatVar
		var err error
		// Values widen to 8 bytes each, from the file or from what its
		// compressed elements inflate to.
		bound := 8*(uint64(len(b))+2*inflated(len(b))) + 1<<20
		checkAlloc(t, "parseMat", b, bound, func() { vars, err = parseMat(b, limits{maxBytes: fuzzMax}) })
		checkErr(t, err)
		if err != nil {
			return
		}
		for name, v := range vars {
			n, ok := product(v.Dims, maxElements)
			if !ok || n != v.Len() || (v.Raw == nil && len(v.Data) != n) || (v.Raw != nil && len(v.Raw) != n) {
				t.Fatalf("%s: dimensions %v with %d values", name, v.Dims, max(len(v.Data), len(v.Raw)))
			}
			if n > 0 {
				v.At(n - 1)
			}
		}
		for _, gray := range []bool{false, true} {
			d, err := svhnDataset("fuzz", vars, gray)
			checkErr(t, err)
			if err != nil {
				continue
			}
			if err := d.Validate(); err != nil {
				t.Fatal(err)
			}
			for _, x := range d.X {
				if x < 0 || x > 1 || math.IsNaN(float64(x)) {
					t.Fatalf("pixel %v", x)
				}
			}
		}
	})
}
