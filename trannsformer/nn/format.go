package nn

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
	"os"
)

// The model file format, version 1. All integers and floats are
// little-endian.
//
//	magic        12 bytes  "GOTRANN-MLP\x00"
//	version      uint32    1
//	headerLen    uint32    length of the JSON header
//	header       JSON      {"sizes":[784,1200,1200,10],"bias":false,
//	                        "output_linear":false,"mask_mode":"soft",
//	                        "masks":[false,false,false]}
//	weights      float32   layer by layer, each Sizes[l+1] x Sizes[l] row-major
//	biases       float32   layer by layer, Sizes[l+1] each, if "bias"
//	masks        bits      for each layer with "masks"[l] true, its weights'
//	                       keep bits, LSB first, padded to a whole byte
//	crc          uint32    CRC-32 (IEEE) of every byte before it
//
// Readers reject other versions, sizes that disagree, a short file or a
// wrong checksum.
const (
	fileMagic   = "GOTRANN-MLP\x00"
	fileVersion = 1
)

type fileHeader struct {
	Sizes        []int  `json:"sizes"`
	Bias         bool   `json:"bias"`
	OutputLinear bool   `json:"output_linear"`
	MaskMode     string `json:"mask_mode"`
	Masks        []bool `json:"masks"`
}

// ErrFormat is wrapped by the errors of Load and Read for a file that is
// not a valid model file.
var ErrFormat = errors.New("not a valid gotrann model file")

// Write writes the model in the model file format (see the package source
// for the layout).
func (m *MLP) Write(w io.Writer) error {
	if err := m.Validate(); err != nil {
		return err
	}
	h := fileHeader{Sizes: m.Sizes, Bias: m.B != nil, OutputLinear: m.OutputLinear, MaskMode: m.MaskMode.String()}
	for l := range m.W {
		h.Masks = append(h.Masks, m.HasMask(l))
	}
	hj, err := json.Marshal(h)
	if err != nil {
		return err
	}
	crc := crc32.NewIEEE()
	out := io.MultiWriter(w, crc)
	var buf bytes.Buffer
	buf.WriteString(fileMagic)
	binary.Write(&buf, binary.LittleEndian, uint32(fileVersion))
	binary.Write(&buf, binary.LittleEndian, uint32(len(hj)))
	buf.Write(hj)
	if _, err := out.Write(buf.Bytes()); err != nil {
		return err
	}
	for _, wl := range m.W {
		if err := writeFloats(out, wl); err != nil {
			return err
		}
	}
	for _, b := range m.B {
		if err := writeFloats(out, b); err != nil {
			return err
		}
	}
	for l := range m.W {
		if !m.HasMask(l) {
			continue
		}
		k := m.masks[l]
		bits := make([]byte, (len(k)+7)/8)
		for i, v := range k {
			if v != 0 {
				bits[i/8] |= 1 << (i % 8)
			}
		}
		if _, err := out.Write(bits); err != nil {
			return err
		}
	}
	return binary.Write(w, binary.LittleEndian, crc.Sum32())
}

func writeFloats(w io.Writer, v []float32) error {
	const chunk = 1 << 14
	b := make([]byte, 4*min(chunk, len(v)))
	for len(v) > 0 {
		n := min(chunk, len(v))
		for i, x := range v[:n] {
			binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
		}
		if _, err := w.Write(b[:4*n]); err != nil {
			return err
		}
		v = v[n:]
	}
	return nil
}

// Save writes the model to a file.
func (m *MLP) Save(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("nn: %w", err)
	}
	if err := m.Write(f); err != nil {
		f.Close()
		return fmt.Errorf("nn: saving %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("nn: saving %s: %w", path, err)
	}
	return nil
}

// Load reads a model file written by Save.
func Load(path string) (*MLP, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("nn: %w", err)
	}
	m, err := Decode(b)
	if err != nil {
		return nil, fmt.Errorf("nn: %s: %w", path, err)
	}
	return m, nil
}

// Read reads a model from r (see Write).
func Read(r io.Reader) (*MLP, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("nn: %w", err)
	}
	return Decode(b)
}

// maxLayerSize is the largest layer width a model file may declare.
const maxLayerSize = 1 << 24

// sizesString formats layer sizes for an error message, eliding the middle
// of a long list.
func sizesString(s []int) string {
	if len(s) <= 8 {
		return fmt.Sprint(s)
	}
	return fmt.Sprintf("%v ... %v (%d sizes)", s[:4], s[len(s)-2:], len(s))
}

// Decode decodes the bytes of a model file. It checks every size against
// the bytes present before it allocates, so a hostile file costs no more
// memory than its own length allows.
func Decode(b []byte) (*MLP, error) {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: %s", ErrFormat, fmt.Sprintf(format, args...))
	}
	if len(b) < len(fileMagic)+12 || string(b[:len(fileMagic)]) != fileMagic {
		return nil, bad("bad magic number")
	}
	p := len(fileMagic)
	if v := binary.LittleEndian.Uint32(b[p:]); v != fileVersion {
		return nil, bad("version %d, this reader knows version %d", v, fileVersion)
	}
	body := b[:len(b)-4]
	if want := binary.LittleEndian.Uint32(b[len(b)-4:]); crc32.ChecksumIEEE(body) != want {
		return nil, bad("checksum mismatch (truncated or corrupt file)")
	}
	hl32 := binary.LittleEndian.Uint32(b[p+4:])
	p += 8
	if uint64(hl32) > uint64(len(body)-p) {
		return nil, bad("header length %d, %d bytes follow", hl32, len(body)-p)
	}
	hl := int(hl32)
	var h fileHeader
	if err := json.Unmarshal(body[p:p+hl], &h); err != nil {
		return nil, bad("header: %v", err)
	}
	p += hl
	if len(h.Sizes) < 2 || (h.Masks != nil && len(h.Masks) != len(h.Sizes)-1) {
		return nil, bad("%d sizes %s with %d masks entries: want at least 2 sizes and one masks entry per layer", len(h.Sizes), sizesString(h.Sizes), len(h.Masks))
	}
	// Every size is checked, and the parameter bytes counted, before
	// anything is allocated. In int64, each layer needs at most
	// 4*2^48+4*2^24+2^45 bytes (under 2^51) and the count stops as soon as
	// it passes the bytes present, so it cannot overflow.
	have := int64(len(body) - p)
	var need int64
	for l := 0; l < len(h.Sizes)-1; l++ {
		a, c := int64(h.Sizes[l]), int64(h.Sizes[l+1])
		if a <= 0 || c <= 0 || a > maxLayerSize || c > maxLayerSize {
			return nil, bad("sizes %s: layer %d is %d x %d, sizes must be 1 to %d", sizesString(h.Sizes), l, c, a, maxLayerSize)
		}
		need += 4 * a * c
		if h.Bias {
			need += 4 * c
		}
		if h.Masks != nil && h.Masks[l] {
			need += (a*c + 7) / 8
		}
		if need > have {
			return nil, bad("%d bytes of parameters, sizes %s need more than %d by layer %d", have, sizesString(h.Sizes), have, l)
		}
	}
	if have != need {
		return nil, bad("%d bytes of parameters, sizes %s need %d", have, sizesString(h.Sizes), need)
	}
	m := &MLP{Sizes: h.Sizes, OutputLinear: h.OutputLinear}
	switch h.MaskMode {
	case "soft", "":
		m.MaskMode = MaskSoft
	case "hard":
		m.MaskMode = MaskHard
	default:
		return nil, bad("mask mode %q", h.MaskMode)
	}
	readFloats := func(n int) []float32 {
		v := make([]float32, n)
		for i := range v {
			v[i] = math.Float32frombits(binary.LittleEndian.Uint32(body[p+4*i:]))
		}
		p += 4 * n
		return v
	}
	for l := 0; l < len(h.Sizes)-1; l++ {
		m.W = append(m.W, readFloats(h.Sizes[l]*h.Sizes[l+1]))
	}
	if h.Bias {
		for l := 0; l < len(h.Sizes)-1; l++ {
			m.B = append(m.B, readFloats(h.Sizes[l+1]))
		}
	}
	for l := range m.W {
		if h.Masks == nil || !h.Masks[l] {
			continue
		}
		if m.masks == nil {
			m.masks = make([][]float32, len(m.W))
		}
		n := len(m.W[l])
		k := make([]float32, n)
		for i := range k {
			if body[p+i/8]&(1<<(i%8)) != 0 {
				k[i] = 1
			}
		}
		p += (n + 7) / 8
		m.masks[l] = k
	}
	return m, nil
}
