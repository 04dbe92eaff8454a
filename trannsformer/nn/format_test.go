package nn

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// modelFile assembles a model file from a JSON header and the parameter
// bytes, with a correct checksum.
func modelFile(header string, params []byte) []byte {
	var b bytes.Buffer
	b.WriteString(fileMagic)
	binary.Write(&b, binary.LittleEndian, uint32(fileVersion))
	binary.Write(&b, binary.LittleEndian, uint32(len(header)))
	b.WriteString(header)
	b.Write(params)
	binary.Write(&b, binary.LittleEndian, crc32.ChecksumIEEE(b.Bytes()))
	return b.Bytes()
}

// sizesHeader is a header with the given layer sizes.
func sizesHeader(extra string, sizes ...int) string {
	var sb strings.Builder
	sb.WriteString(`{"sizes":[`)
	for i, s := range sizes {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(strconv.Itoa(s))
	}
	sb.WriteString("]" + extra + "}")
	return sb.String()
}

func repeat(v, n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = v
	}
	return s
}

// allocated returns how many bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecodeHostile: files whose sizes overflow the parameter count, or
// need more bytes than the file has, are format errors found before any
// parameter is allocated.
func TestDecodeHostile(t *testing.T) {
	// 16,385 sizes of 2^24: 16,384 layers of 2^50 bytes each, 2^64 in all,
	// which wrapped to 0 and matched an empty parameter section.
	wrap0 := repeat(1<<24, 16385)
	// 256 layers of 2^24 x 2^16 (2^42 bytes, 4 TB, each) then 16,383 of
	// 2^24 x 2^24: again 2^64 in all, and the first layer asked for 4 TB.
	wrap4T := make([]int, 0, 16640)
	for i := 0; i <= 256; i++ {
		wrap4T = append(wrap4T, 1<<24>>(8*(i%2)))
	}
	wrap4T = append(wrap4T, repeat(1<<24, 16383)...)
	cases := []struct {
		name   string
		file   []byte
		want   string
		header int // bytes of JSON the decoder may allocate for
	}{
		{"16385 sizes of 2^24", modelFile(sizesHeader("", wrap0...), nil), "sizes", 1 << 20},
		{"wrap with a 4 TB first layer", modelFile(sizesHeader("", wrap4T...), nil), "sizes", 1 << 20},
		{"wrap with biases and masks", modelFile(sizesHeader(`,"bias":true,"masks":[`+strings.Repeat("true,", 16383)+`true]`, wrap0...), nil), "sizes", 1 << 20},
		{"one layer beyond the file", modelFile(sizesHeader("", 1<<24, 1<<24), make([]byte, 64)), "need", 0},
		{"size 2^24+1", modelFile(sizesHeader("", 1<<24+1, 1), make([]byte, 4)), "sizes", 0},
		{"size beyond int", modelFile(`{"sizes":[99999999999999999999,1]}`, nil), "header", 0},
		{"negative size", modelFile(sizesHeader("", -1, -4), make([]byte, 16)), "sizes", 0},
		{"zero size", modelFile(sizesHeader("", 0, 4), nil), "sizes", 0},
		{"masks count", modelFile(sizesHeader(`,"masks":[true]`, 2, 2, 2), make([]byte, 32)), "masks", 0},
		{"header length beyond file", func() []byte {
			b := modelFile(sizesHeader("", 1, 1), make([]byte, 4))
			binary.LittleEndian.PutUint32(b[len(fileMagic)+4:], 0xffffffff)
			binary.LittleEndian.PutUint32(b[len(b)-4:], crc32.ChecksumIEEE(b[:len(b)-4]))
			return b
		}(), "header length", 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var m *MLP
			var err error
			n := allocated(func() { m, err = Decode(c.file) })
			if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, %v; want a format error saying %q", m, err, c.want)
			}
			if bound := uint64(64<<10 + 16*c.header); n > bound {
				t.Errorf("allocated %d bytes, want at most %d", n, bound)
			}
			if len(err.Error()) > 1000 {
				t.Errorf("error of %d bytes: %.200s...", len(err.Error()), err)
			}
		})
	}
}

// fuzzSeeds are small valid model files: with and without biases, soft and
// hard masks.
func fuzzSeeds(t testing.TB) [][]byte {
	var out [][]byte
	for i, cfg := range []ModelConfig{
		{Sizes: []int{3, 2}, Seed: 1},
		{Sizes: []int{4, 3, 2}, Seed: 2, Bias: true, OutputLinear: true},
		{Sizes: []int{5, 4, 3}, Seed: 3},
	} {
		m, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if i == 2 {
			keep := make([]bool, 12)
			keep[3], keep[11] = true, true
			if err := m.SetMask(1, keep); err != nil {
				t.Fatal(err)
			}
			m.MaskMode = MaskHard
		}
		var b bytes.Buffer
		if err := m.Write(&b); err != nil {
			t.Fatal(err)
		}
		out = append(out, b.Bytes())
	}
	return out
}

// withCRC appends the checksum a model file ends with.
func withCRC(b []byte) []byte {
	return binary.LittleEndian.AppendUint32(append([]byte(nil), b...), crc32.ChecksumIEEE(b))
}

// FuzzDecode: Decode never panics, allocates in proportion to its input,
// and what it accepts writes back to a file that decodes to the same
// bytes again. The fuzzer's input is a model file without its checksum,
// which the target appends (so that mutations reach the header and the
// sizes), and is also decoded as it is.
func FuzzDecode(f *testing.F) {
	for _, b := range fuzzSeeds(f) {
		f.Add(b[:len(b)-4])
	}
	for _, b := range [][]byte{
		modelFile(sizesHeader("", repeat(1<<24, 9)...), nil),
		modelFile(sizesHeader(`,"bias":true,"masks":[true,false]`, 1, 2, 3), make([]byte, 4*(2+6+2+3)+1)),
		modelFile(sizesHeader(`,"mask_mode":"hard","masks":[false,true]`, 2, 2, 1), make([]byte, 4*(4+2)+1)),
	} {
		f.Add(b[:len(b)-4])
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, in := range [][]byte{b, withCRC(b)} {
			decodeChecked(t, in)
		}
	})
}

func decodeChecked(t *testing.T, b []byte) {
	var m *MLP
	var err error
	n := allocated(func() { m, err = Decode(b) })
	// Weights take the bytes they are read from, mask bits 32 times
	// theirs as float32, and the JSON header a small multiple of its
	// length.
	if bound := uint64(64*len(b) + 64<<10); n > bound {
		t.Fatalf("Decode of %d bytes allocated %d", len(b), n)
	}
	if err != nil {
		if !errors.Is(err, ErrFormat) {
			t.Fatalf("error %v does not wrap ErrFormat", err)
		}
		if len(err.Error()) > 2000 {
			t.Fatalf("error of %d bytes", len(err.Error()))
		}
		return
	}
	if err := m.Validate(); err != nil {
		t.Fatalf("decoded an invalid model: %v", err)
	}
	var w1 bytes.Buffer
	if err := m.Write(&w1); err != nil {
		t.Fatalf("write back: %v", err)
	}
	m2, err := Decode(w1.Bytes())
	if err != nil {
		t.Fatalf("decode of the written model: %v", err)
	}
	var w2 bytes.Buffer
	if err := m2.Write(&w2); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(w1.Bytes(), w2.Bytes()) {
		t.Fatal("write, decode, write is not stable")
	}
}
