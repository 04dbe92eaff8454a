package data

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// allocated returns how many bytes f allocates (runtime.MemStats.TotalAlloc,
// which counts every allocation, freed or not).
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// gzipBomb returns a gzip stream (concatenated members, which gzip readers
// accept) that starts with head and then decompresses to mb MiB of zeros,
// about 1 KiB compressed per MiB.
func gzipBomb(head []byte, mb int) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	w.Write(head)
	w.Close()
	var m bytes.Buffer
	w, _ = gzip.NewWriterLevel(&m, gzip.BestCompression)
	w.Write(make([]byte, 1<<20))
	w.Close()
	for i := 0; i < mb; i++ {
		buf.Write(m.Bytes())
	}
	return buf.Bytes()
}

// zlibBomb returns a zlib stream holding head followed by mb MiB of zeros.
func zlibBomb(head []byte, mb int) []byte {
	var buf bytes.Buffer
	w, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	w.Write(head)
	z := make([]byte, 1<<20)
	for i := 0; i < mb; i++ {
		w.Write(z)
	}
	w.Close()
	return buf.Bytes()
}

// TestIDXHostile feeds ReadIDX and LoadIDX files made to exhaust memory:
// each must fail with a clear error after allocating little.
func TestIDXHostile(t *testing.T) {
	dir := t.TempDir()
	lab := writeFile(t, filepath.Join(dir, "lab"), idxBytes([]int{1}, []byte{1}))
	huge := []byte{0, 0, 8, 2, 0x10, 0, 0, 0, 0, 0, 0, 64} // 2^28 x 64: 16 GiB declared
	cases := []struct {
		name     string
		file     []byte
		want     string
		maxAlloc uint64
	}{
		// 64 MiB of zeros behind a header that declares one byte: the
		// reader must stop right after the byte the header declares.
		{"gzip bomb", gzipBomb(idxBytes([]int{1}, []byte{1}), 64), "longer than", 1 << 20},
		// A header that declares far more than the compressed file can
		// hold is refused before anything is read or allocated.
		{"gzip declares 16 GiB", gzipBomb(huge, 0), "cannot hold", 1 << 20},
		{"raw declares 16 GiB", append(huge, 1, 2, 3), "truncated", 1 << 20},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")), c.file)
			var err error
			n := allocated(func() { _, err = LoadIDX(p, lab) })
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("error %v, want one naming the file and saying %q", err, c.want)
			}
			if n > c.maxAlloc {
				t.Errorf("allocated %d bytes, want at most %d", n, c.maxAlloc)
			}
		})
	}
}

// TestVerifyGzipBomb: checking a cached file's checksum must not
// decompress a bomb into memory.
func TestVerifyGzipBomb(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, idxFiles[0]), gzipBomb(nil, 64))
	var err error
	n := allocated(func() { err = Verify("mnist", dir) })
	if err == nil || !strings.Contains(err.Error(), idxFiles[0]) {
		t.Errorf("error %v", err)
	}
	if n > 1<<20 {
		t.Errorf("allocated %d bytes, want at most 1 MiB", n)
	}
}

// TestNPYHostile feeds ParseNPY headers whose sizes overflow or lie.
func TestNPYHostile(t *testing.T) {
	f8 := func(n int) []byte { return make([]byte, 8*n) }
	cases := []struct {
		name string
		b    []byte
		want string
	}{
		// 3 * 6148914691236517206 wraps to 2: the Fortran reorder
		// indexed far outside the two values.
		{"fortran product wraps to 2", append(npyHeader("<f8", true, "(3, 6148914691236517206)"), f8(2)...), "shape"},
		{"product wraps to 0", npyHeader("<f8", false, "(4294967296, 4294967296)"), "shape"},
		{"product wraps negative", append(npyHeader("<f8", false, "(4294967297, 4294967295)"), f8(1)...), "shape"},
		{"dimension beyond int", npyHeader("<f8", false, "(99999999999999999999,)"), "shape"},
		{"itemsize 0", npyHeader("<f0", false, "(16777216,)"), "dtype"},
		{"itemsize 0 unsigned", npyHeader("|u0", false, "(16777216,)"), "dtype"},
		{"itemsize huge", append(npyHeader("<f9223372036854775807", false, "(2,)"), f8(2)...), "dtype"},
		{"itemsize negative", npyHeader("<f-8", false, "(2,)"), "dtype"},
		{"itemsize 3", append(npyHeader("<i3", false, "(2,)"), make([]byte, 6)...), "dtype"},
		{"complex", append(npyHeader("<c8", false, "(1,)"), f8(1)...), "dtype"},
		{"shape needs more bytes", append(npyHeader("<f8", false, "(1000000000,)"), f8(1)...), "truncated"},
		{"v2 header length beyond file", []byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{}"), ".npy header"},
		{"v2 header length just beyond file", []byte("\x93NUMPY\x02\x00\x03\x00\x00\x00{}"), "truncated"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var a *Array
			var err error
			n := allocated(func() { a, err = ParseNPY(c.b) })
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("got %v, %v; want an error saying %q", a, err, c.want)
			}
			if n > 64<<10 {
				t.Errorf("allocated %d bytes, want at most 64 KiB", n)
			}
		})
	}
}

// TestNPZHostile: a .npz member whose size lies, or holds other than its
// .npy header declares, is refused before its data are read.
func TestNPZHostile(t *testing.T) {
	dir := t.TempDir()
	one := append(npyHeader("<f8", false, "(1,)"), make([]byte, 8)...)
	member := func(name string, method uint16, b []byte) func(*zip.Writer) {
		return func(zw *zip.Writer) {
			f, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: method})
			f.Write(b)
		}
	}
	// raw writes a member whose header declares size bytes.
	raw := func(name string, size uint64, b []byte) func(*zip.Writer) {
		return func(zw *zip.Writer) {
			var d bytes.Buffer
			fw, _ := flate.NewWriter(&d, flate.BestCompression)
			fw.Write(b)
			fw.Close()
			f, _ := zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(b),
				CompressedSize64: uint64(d.Len()), UncompressedSize64: size})
			f.Write(d.Bytes())
		}
	}
	cases := []struct {
		name     string
		members  []func(*zip.Writer)
		want     string // "" for a file that loads
		maxAlloc uint64
	}{
		{"stored", []func(*zip.Writer){member("x.npy", zip.Store, one)}, "", 64 << 10},
		{"deflated", []func(*zip.Writer){member("x.npy", zip.Deflate, one)}, "", 64 << 10},
		// 32 MiB of zeros behind a header that declares one value.
		{"bomb", []func(*zip.Writer){member("x.npy", zip.Deflate, append(one, make([]byte, 32<<20)...))}, "need", 1 << 20},
		{"declares 1 TiB", []func(*zip.Writer){raw("x.npy", 1<<40, one)}, "declares", 64 << 10},
		// 16 KiB of data that do not compress, in a member that declares
		// (as its header does) 8 MiB, which 16 KiB of deflate data could
		// hold: the reader allocates for the data that arrive.
		{"declares 8 MiB, holds 16 KiB", []func(*zip.Writer){raw("x.npy", 8<<20, append(npyHeader("|u1", false, "(8388480,)"), noise(16<<10)...))}, "corrupt entry", 1 << 20},
		{"header needs more", []func(*zip.Writer){member("x.npy", zip.Deflate, append(npyHeader("<f8", false, "(1000,)"), make([]byte, 8)...))}, "need", 64 << 10},
		{"header beyond member", []func(*zip.Writer){member("x.npy", zip.Deflate, one[:20])}, "truncated", 64 << 10},
		{"not npy", []func(*zip.Writer){member("x.npy", zip.Deflate, []byte("hello, world"))}, "magic", 64 << 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var zb bytes.Buffer
			zw := zip.NewWriter(&zb)
			for _, m := range c.members {
				m(zw)
			}
			zw.Close()
			p := writeFile(t, filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".npz"), zb.Bytes())
			var arrs map[string]*Array
			var err error
			n := allocated(func() { arrs, err = LoadNPZ(p) })
			if c.want == "" {
				if err != nil || arrs["x"] == nil || arrs["x"].Data[0] != 0 {
					t.Fatalf("got %v, %v", arrs, err)
				}
			} else if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) || !strings.Contains(err.Error(), "x.npy") {
				t.Errorf("got %v, %v; want an error naming the file and member and saying %q", arrs, err, c.want)
			}
			if n > c.maxAlloc {
				t.Errorf("allocated %d bytes, want at most %d", n, c.maxAlloc)
			}
		})
	}
}

// noise returns n bytes that do not compress.
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(1)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// matRawMatrix encodes a miMATRIX element whose data element is given as
// it is (tag included), so tests can make the tag lie.
func matRawMatrix(name string, class uint32, dims []int32, data []byte) []byte {
	var body bytes.Buffer
	flags := make([]byte, 8)
	binary.LittleEndian.PutUint32(flags, class)
	body.Write(matElement(miUINT32, flags))
	var db bytes.Buffer
	binary.Write(&db, binary.LittleEndian, dims)
	body.Write(matElement(miINT32, db.Bytes()))
	body.Write(matElement(miINT8, []byte(name)))
	body.Write(data)
	return matElement(miMATRIX, body.Bytes())
}

// TestMatHostile feeds ReadMat files whose sizes overflow or lie.
func TestMatHostile(t *testing.T) {
	dir := t.TempDir()
	const mxDOUBLE = 6
	// A compressed element whose inner miMATRIX declares 8 bytes and is
	// followed by 64 MiB of zeros.
	small := matElement(miMATRIX, make([]byte, 8))
	bomb := matFile(false, matElement(miCOMPRESSED, zlibBomb(small, 64)))
	// A compressed element whose inner tag declares 4 GiB in a 1 KiB
	// stream.
	var tag [8]byte
	binary.LittleEndian.PutUint32(tag[:], miMATRIX)
	binary.LittleEndian.PutUint32(tag[4:], 0xfffffff8)
	liar := matFile(false, matElement(miCOMPRESSED, zlibBomb(tag[:], 0)))
	cases := []struct {
		name     string
		b        []byte
		want     string
		maxAlloc uint64
	}{
		{"zlib bomb", bomb, "more than", 1 << 20},
		{"compressed element declares 4 GiB", liar, "cannot hold", 1 << 20},
		// 2^17 * 2^17 * 2^30 wraps to 0: no data, yet dimensions of 2^64.
		{"dimensions wrap to 0", matFile(false, matMatrix("x", mxDOUBLE, []int32{1 << 17, 1 << 17, 1 << 30}, miDOUBLE, nil)), "too large", 64 << 10},
		{"data needs more bytes", matFile(false, matMatrix("x", mxDOUBLE, []int32{1 << 30, 8}, miDOUBLE, make([]byte, 8))), "need", 64 << 10},
		{"data tag beyond file", matFile(false, matRawMatrix("x", mxDOUBLE, []int32{1, 1}, []byte{miDOUBLE, 0, 0, 0, 0xf8, 0xff, 0xff, 0x7f})), "truncated", 64 << 10},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := writeFile(t, filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".mat"), c.b)
			var vars map[string]*MatVar
			var err error
			n := allocated(func() { vars, err = ReadMat(p) })
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), p) {
				t.Errorf("got %v, %v; want an error naming the file and saying %q", vars, err, c.want)
			}
			if n > c.maxAlloc {
				t.Errorf("allocated %d bytes, want at most %d", n, c.maxAlloc)
			}
		})
	}
}

// TestCIFARHostile: the CIFAR-10 loader allocates in proportion to the
// records the file holds.
func TestCIFARHostile(t *testing.T) {
	dir := t.TempDir()
	p := writeFile(t, filepath.Join(dir, "x.bin"), cifarRecords(3)[:3*cifarRecord-1])
	var err error
	n := allocated(func() { _, err = LoadCIFAR10Batch(p, false) })
	if err == nil || !strings.Contains(err.Error(), p) {
		t.Errorf("error %v", err)
	}
	if n > 64<<10 {
		t.Errorf("allocated %d bytes for a %d-byte file", n, 3*cifarRecord-1)
	}
}

// TestArrayDatasetInconsistent: arrays whose shapes disagree with their
// values (made by hand, not by ParseNPY) are refused.
func TestArrayDatasetInconsistent(t *testing.T) {
	y := &Array{Shape: []int{2}, Data: []float64{0, 1}}
	for name, x := range map[string]*Array{
		"short":    {Shape: []int{2, 1 << 40}, Data: make([]float64, 4)},
		"overflow": {Shape: []int{2, 1 << 62, 4}, Data: make([]float64, 4)},
		"negative": {Shape: []int{2, -2}, Data: make([]float64, 4)},
	} {
		if d, err := ArrayDataset(name, x, y); err == nil {
			t.Errorf("%s: got %v", name, d)
		}
	}
	if _, err := ArrayDataset("ok", &Array{Shape: []int{2, 2}, Data: make([]float64, 4)}, y); err != nil {
		t.Error(err)
	}
}
