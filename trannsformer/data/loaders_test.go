package data

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, path string, b []byte) string {
	t.Helper()
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func gz(b []byte) []byte {
	var buf bytes.Buffer
	w := gzip.NewWriter(&buf)
	w.Write(b)
	w.Close()
	return buf.Bytes()
}

func idxBytes(dims []int, body []byte) []byte {
	var buf bytes.Buffer
	WriteIDX(&buf, dims, body)
	return buf.Bytes()
}

func TestLoadIDX(t *testing.T) {
	dir := t.TempDir()
	pix := make([]byte, 3*2*2)
	for i := range pix {
		pix[i] = byte(i * 20)
	}
	labels := []byte{7, 0, 9}
	img := idxBytes([]int{3, 2, 2}, pix)
	lab := idxBytes([]int{3}, labels)
	for _, zip := range []bool{false, true} {
		ib, lb := img, lab
		if zip {
			ib, lb = gz(img), gz(lab)
		}
		ip := writeFile(t, filepath.Join(dir, "img"), ib)
		lp := writeFile(t, filepath.Join(dir, "lab"), lb)
		d, err := LoadIDX(ip, lp)
		if err != nil {
			t.Fatalf("gzip %v: %v", zip, err)
		}
		if d.Len() != 3 || d.Features != 4 || d.Classes != 10 || d.Shape[0] != 2 || d.Shape[1] != 2 {
			t.Fatalf("gzip %v: got %v shape %v", zip, d, d.Shape)
		}
		if d.Y[0] != 7 || d.Y[2] != 9 || d.X[5] != float32(100)/255 {
			t.Errorf("gzip %v: wrong contents %v %v", zip, d.Y, d.X[:6])
		}
		if err := d.Validate(); err != nil {
			t.Error(err)
		}
	}
}

func TestLoadIDXCorrupt(t *testing.T) {
	dir := t.TempDir()
	pix := make([]byte, 3*4)
	good := idxBytes([]int{3, 2, 2}, pix)
	lab := writeFile(t, filepath.Join(dir, "lab"), idxBytes([]int{3}, []byte{1, 2, 3}))
	lab2 := writeFile(t, filepath.Join(dir, "lab2"), idxBytes([]int{2}, []byte{1, 2}))
	badMagic := append([]byte(nil), good...)
	badMagic[0] = 1
	badType := append([]byte(nil), good...)
	badType[2] = 0x0d
	zipped := gz(good)
	cases := []struct {
		name   string
		img    []byte
		labels string
		want   string
	}{
		{"truncated body", good[:len(good)-1], lab, "truncated"},
		{"extra bytes", append(append([]byte(nil), good...), 0), lab, "truncated or corrupt"},
		{"truncated header", good[:6], lab, "truncated IDX header"},
		{"empty", nil, lab, "too short"},
		{"bad magic", badMagic, lab, "magic"},
		{"float type", badType, lab, "element type"},
		{"truncated gzip", zipped[:len(zipped)-10], lab, "gzip"},
		{"count mismatch", good, lab2, "labels"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ip := writeFile(t, filepath.Join(dir, "img-"+strings.ReplaceAll(c.name, " ", "-")), c.img)
			_, err := LoadIDX(ip, c.labels)
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), dir) {
				t.Errorf("error %q does not name the file or say %q", err, c.want)
			}
		})
	}
	if _, err := LoadIDX(filepath.Join(dir, "missing"), lab); err == nil || !os.IsNotExist(unwrapAll(err)) {
		t.Errorf("missing file: %v", err)
	}
}

func unwrapAll(err error) error {
	for {
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return err
		}
		err = u.Unwrap()
	}
}

// cifarRecords makes n CIFAR-10 records whose pixel j of channel c is
// (i + 3j + 50c) mod 256 and whose label is i mod 10.
func cifarRecords(n int) []byte {
	b := make([]byte, 0, n*cifarRecord)
	for i := 0; i < n; i++ {
		b = append(b, byte(i%10))
		for c := 0; c < 3; c++ {
			for j := 0; j < 1024; j++ {
				b = append(b, byte(i+3*j+50*c))
			}
		}
	}
	return b
}

func TestLoadCIFAR10(t *testing.T) {
	dir := t.TempDir()
	for i := 1; i <= 5; i++ {
		writeFile(t, filepath.Join(dir, "data_batch_"+string(rune('0'+i))+".bin"), cifarRecords(4))
	}
	writeFile(t, filepath.Join(dir, "test_batch.bin"), cifarRecords(3))
	train, test, err := LoadCIFAR10(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if train.Len() != 20 || test.Len() != 3 || train.Features != 3072 {
		t.Fatalf("train %v test %v", train, test)
	}
	// sample 2, channel 1 (green), pixel 5
	if got, want := train.Row(2)[1024+5], float32(byte(2+15+50))/255; got != want {
		t.Errorf("rgb pixel %v, want %v", got, want)
	}
	if train.Y[3] != 3 || test.Y[2] != 2 || train.ClassNames[3] != "cat" {
		t.Errorf("labels %v %v", train.Y, test.Y)
	}
	row := train.Row(2)
	if got, want := train.Image(2).At(0, 5), float64(row[5]+row[1024+5]+row[2048+5])/3; math.Abs(got-want) > 1e-6 {
		t.Errorf("RGB Image: %v, want %v", got, want)
	}
	g, err := LoadCIFAR10Batch(filepath.Join(dir, "test_batch.bin"), true)
	if err != nil {
		t.Fatal(err)
	}
	r, gr, bl := float32(byte(1+30)), float32(byte(1+30+50)), float32(byte(1+30+100))
	want := (0.2989*r + 0.5870*gr + 0.1140*bl) / 255
	if g.Features != 1024 || math.Abs(float64(g.Row(1)[10]-want)) > 1e-6 {
		t.Errorf("gray pixel %v, want %v", g.Row(1)[10], want)
	}
	// corrupt files
	bad := cifarRecords(2)
	bad[cifarRecord] = 11
	for name, b := range map[string][]byte{"truncated": cifarRecords(2)[:2*cifarRecord-1], "badlabel": bad, "empty": {}} {
		p := writeFile(t, filepath.Join(dir, name+".bin"), b)
		if _, err := LoadCIFAR10Batch(p, true); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

// matElement encodes a MAT-file data element (small format when it fits).
func matElement(typ uint32, data []byte) []byte {
	var b bytes.Buffer
	if len(data) <= 4 && typ != miMATRIX && typ != miCOMPRESSED {
		binary.Write(&b, binary.LittleEndian, uint32(len(data))<<16|typ)
		b.Write(data)
		b.Write(make([]byte, 4-len(data)))
		return b.Bytes()
	}
	binary.Write(&b, binary.LittleEndian, typ)
	binary.Write(&b, binary.LittleEndian, uint32(len(data)))
	b.Write(data)
	if typ != miCOMPRESSED {
		b.Write(make([]byte, (8-len(data)%8)%8))
	}
	return b.Bytes()
}

// matMatrix encodes a numeric miMATRIX as scipy.io.savemat writes it.
func matMatrix(name string, class uint32, dims []int32, typ uint32, data []byte) []byte {
	var body bytes.Buffer
	flags := make([]byte, 8)
	binary.LittleEndian.PutUint32(flags, class)
	body.Write(matElement(miUINT32, flags))
	var db bytes.Buffer
	binary.Write(&db, binary.LittleEndian, dims)
	body.Write(matElement(miINT32, db.Bytes()))
	body.Write(matElement(miINT8, []byte(name)))
	body.Write(matElement(typ, data))
	return matElement(miMATRIX, body.Bytes())
}

func matFile(compress bool, elems ...[]byte) []byte {
	var b bytes.Buffer
	h := []byte("MATLAB 5.0 MAT-file Platform: posix, Created by: gotrann test")
	h = append(h, bytes.Repeat([]byte(" "), 116-len(h))...)
	b.Write(h)
	b.Write(make([]byte, 8))
	b.Write([]byte{0x00, 0x01, 'I', 'M'})
	for _, e := range elems {
		if compress {
			var z bytes.Buffer
			w := zlib.NewWriter(&z)
			w.Write(e)
			w.Close()
			e = matElement(miCOMPRESSED, z.Bytes())
		}
		b.Write(e)
	}
	return b.Bytes()
}

// svhnFile writes n images whose pixel (r, c, ch) of image i is
// (r + 2c + 60ch + i) mod 256, labels 1..10 cycling.
func svhnFile(n int, compress bool) []byte {
	x := make([]byte, 32*32*3*n)
	for i := 0; i < n; i++ {
		for ch := 0; ch < 3; ch++ {
			for c := 0; c < 32; c++ {
				for r := 0; r < 32; r++ {
					x[r+32*c+1024*ch+3072*i] = byte(r + 2*c + 60*ch + i)
				}
			}
		}
	}
	y := make([]byte, 8*n)
	for i := 0; i < n; i++ {
		binary.LittleEndian.PutUint64(y[8*i:], math.Float64bits(float64(i%10+1)))
	}
	const mxDOUBLE, mxUINT8 = 6, 9
	return matFile(compress,
		matMatrix("X", mxUINT8, []int32{32, 32, 3, int32(n)}, miUINT8, x),
		matMatrix("y", mxDOUBLE, []int32{int32(n), 1}, miDOUBLE, y))
}

func TestLoadSVHN(t *testing.T) {
	dir := t.TempDir()
	for _, compress := range []bool{true, false} {
		p := writeFile(t, filepath.Join(dir, "train_32x32.mat"), svhnFile(12, compress))
		d, err := LoadSVHN(p, false)
		if err != nil {
			t.Fatalf("compress %v: %v", compress, err)
		}
		if d.Len() != 12 || d.Features != 3072 {
			t.Fatalf("got %v", d)
		}
		// image 4, channel 2, row 5, column 7
		if got, want := d.Row(4)[1024*2+32*5+7], float32(byte(5+14+120+4))/255; got != want {
			t.Errorf("compress %v: pixel %v, want %v", compress, got, want)
		}
		if d.Y[0] != 1 || d.Y[9] != 0 || d.Y[10] != 1 {
			t.Errorf("labels %v (10 must become 0)", d.Y)
		}
		g, err := LoadSVHN(p, true)
		if err != nil {
			t.Fatal(err)
		}
		r, gr, b := float32(byte(5+14+4)), float32(byte(5+14+60+4)), float32(byte(5+14+120+4))
		if want := (0.2989*r + 0.5870*gr + 0.1140*b) / 255; math.Abs(float64(g.Row(4)[32*5+7]-want)) > 1e-6 {
			t.Errorf("gray pixel %v want %v", g.Row(4)[32*5+7], want)
		}
	}
	full := svhnFile(3, true)
	plain := svhnFile(3, false)
	noX := matFile(true, matMatrix("z", 6, []int32{1, 1}, miDOUBLE, make([]byte, 8)))
	v73 := append([]byte(nil), plain...)
	v73[124], v73[125] = 0x00, 0x02
	cases := map[string][]byte{
		"truncated compressed": full[:len(full)-20],
		"truncated plain":      plain[:len(plain)-100],
		"short header":         plain[:100],
		"no X":                 noX,
		"version 7.3":          v73,
	}
	for name, b := range cases {
		p := writeFile(t, filepath.Join(dir, strings.ReplaceAll(name, " ", "_")+".mat"), b)
		if _, err := LoadSVHN(p, true); err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}

func npyHeader(descr string, fortran bool, shape string) []byte {
	f := "False"
	if fortran {
		f = "True"
	}
	h := "{'descr': '" + descr + "', 'fortran_order': " + f + ", 'shape': " + shape + ", }"
	pad := 64 - (10+len(h)+1)%64
	h += strings.Repeat(" ", pad%64) + "\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(h)))
	b.WriteString(h)
	return b.Bytes()
}

func TestNPY(t *testing.T) {
	dir := t.TempDir()
	var buf bytes.Buffer
	if err := WriteNPY(&buf, []int{2, 3}, []float32{1, 2, 3, 4, 5, 6.5}); err != nil {
		t.Fatal(err)
	}
	p := writeFile(t, filepath.Join(dir, "x.npy"), buf.Bytes())
	a, err := LoadNPY(p)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Shape) != 2 || a.Shape[1] != 3 || a.Data[5] != 6.5 || a.DType != "<f4" {
		t.Fatalf("got %+v", a)
	}
	// big-endian int32, Fortran order: [[1 2 3] [4 5 6]] stored column-major.
	be := npyHeader(">i4", true, "(2, 3)")
	for _, v := range []int32{1, 4, 2, 5, 3, 6} {
		binary.Write(bytes.NewBuffer(nil), binary.BigEndian, v)
		var w [4]byte
		binary.BigEndian.PutUint32(w[:], uint32(v))
		be = append(be, w[:]...)
	}
	a, err = ParseNPY(be)
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []float64{1, 2, 3, 4, 5, 6} {
		if a.Data[i] != want {
			t.Fatalf("fortran big-endian: %v", a.Data)
		}
	}
	// .npz with uint8 images and int64 labels
	x := append(npyHeader("|u1", false, "(2, 2, 2)"), 0, 51, 102, 255, 0, 0, 0, 255)
	y := npyHeader("<i8", false, "(2,)")
	for _, v := range []uint64{3, 1} {
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], v)
		y = append(y, w[:]...)
	}
	var zb bytes.Buffer
	zw := zip.NewWriter(&zb)
	for name, b := range map[string][]byte{"x_train.npy": x, "y_train.npy": y} {
		f, _ := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		f.Write(b)
	}
	zw.Close()
	zp := writeFile(t, filepath.Join(dir, "d.npz"), zb.Bytes())
	d, err := LoadNPZDataset(zp, "x_train", "y_train")
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 2 || d.Features != 4 || d.Classes != 4 || d.Row(0)[1] != 0.2 || d.Y[0] != 3 {
		t.Errorf("npz dataset %v %v %v", d, d.X, d.Y)
	}
	if _, err := LoadNPZDataset(zp, "x", "y"); err == nil {
		t.Error("missing keys: no error")
	}
	// corrupt files
	cases := map[string][]byte{
		"truncated.npy": buf.Bytes()[:buf.Len()-3],
		"magic.npy":     append([]byte("NUMPY"), buf.Bytes()[5:]...),
		"dtype.npy":     append(npyHeader("<c16", false, "(1,)"), make([]byte, 16)...),
		"header.npy":    buf.Bytes()[:20],
		"short.npz":     zb.Bytes()[:zb.Len()/2],
	}
	for name, b := range cases {
		p := writeFile(t, filepath.Join(dir, name), b)
		var err error
		if strings.HasSuffix(name, ".npz") {
			_, err = LoadNPZ(p)
		} else {
			_, err = LoadNPY(p)
		}
		if err == nil || !strings.Contains(err.Error(), p) {
			t.Errorf("%s: error %v", name, err)
		}
	}
}
