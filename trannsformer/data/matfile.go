package data

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
)

// MATLAB level-5 MAT-file data types.
const (
	miINT8       = 1
	miUINT8      = 2
	miINT16      = 3
	miUINT16     = 4
	miINT32      = 5
	miUINT32     = 6
	miSINGLE     = 7
	miDOUBLE     = 9
	miINT64      = 12
	miUINT64     = 13
	miMATRIX     = 14
	miCOMPRESSED = 15
)

// MatVar is a numeric variable read from a MATLAB v5 .mat file. Data is in
// MATLAB's column-major order; Raw holds the bytes when the stored type is
// uint8 (so large image arrays need not be widened).
type MatVar struct {
	Name string
	Dims []int
	Data []float64 // column-major values, nil when Raw is set
	Raw  []byte    // column-major uint8 values, when stored as miUINT8
}

// Len returns the number of elements.
func (v *MatVar) Len() int {
	n := 1
	for _, d := range v.Dims {
		n *= d
	}
	return n
}

// At returns element i (column-major).
func (v *MatVar) At(i int) float64 {
	if v.Raw != nil {
		return float64(v.Raw[i])
	}
	return v.Data[i]
}

// ReadMat reads the numeric (non-complex, non-sparse) variables of a MATLAB
// level-5 MAT-file as scipy.io.savemat writes it: little- or big-endian,
// with or without compression, with small data elements. Other variable
// classes (cells, structs, chars) are skipped.
func ReadMat(path string) (map[string]*MatVar, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	vars, err := parseMat(b, limits{})
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return vars, nil
}

func parseMat(b []byte, lim limits) (map[string]*MatVar, error) {
	if len(b) < 128 {
		return nil, fmt.Errorf("%d bytes, too short for a MAT-file header", len(b))
	}
	var order binary.ByteOrder
	switch string(b[126:128]) {
	case "IM":
		order = binary.LittleEndian
	case "MI":
		order = binary.BigEndian
	default:
		return nil, fmt.Errorf("not a MATLAB v5 MAT-file (endian indicator %q)", b[126:128])
	}
	if v := order.Uint16(b[124:]); v != 0x0100 {
		return nil, fmt.Errorf("MAT-file version 0x%04x, want 0x0100 (v7.3 HDF5 files are not supported)", v)
	}
	p := &matParser{order: order}
	vars := map[string]*MatVar{}
	rest := b[128:]
	for len(rest) > 0 {
		typ, body, next, err := p.element(rest)
		if err != nil {
			return nil, err
		}
		rest = next
		if typ == miCOMPRESSED {
			if typ, body, err = p.inflate(body, lim); err != nil {
				return nil, err
			}
		}
		if typ != miMATRIX {
			continue
		}
		v, err := p.matrix(body)
		if err != nil {
			return nil, err
		}
		if v != nil {
			vars[v.Name] = v
		}
	}
	return vars, nil
}

type matParser struct{ order binary.ByteOrder }

// element splits off one data element: its type, its data and what follows.
func (p *matParser) element(b []byte) (typ uint32, body, rest []byte, err error) {
	if len(b) < 8 {
		return 0, nil, nil, fmt.Errorf("truncated data element tag (%d bytes left)", len(b))
	}
	first := p.order.Uint32(b)
	if first>>16 != 0 { // small data element: 2-byte size, 2-byte type, 4 bytes data
		n := first >> 16
		typ = first & 0xffff
		if n > 4 {
			return 0, nil, nil, fmt.Errorf("small data element of %d bytes", n)
		}
		return typ, b[4 : 4+n], b[8:], nil
	}
	typ = first
	n := uint64(p.order.Uint32(b[4:]))
	if n > uint64(len(b)-8) {
		return 0, nil, nil, fmt.Errorf("data element of type %d needs %d bytes, %d left (truncated file)", typ, n, len(b)-8)
	}
	body = b[8 : 8+n]
	end := 8 + n
	if typ != miCOMPRESSED {
		end = 8 + (n+7)/8*8
	}
	if end > uint64(len(b)) {
		end = uint64(len(b))
	}
	return typ, body, b[end:], nil
}

// inflate decompresses a miCOMPRESSED element and splits off the element
// it holds. It reads the inner tag first and no more than the tag declares
// (with its padding), after checking that the compressed bytes can hold
// that much: a stream that expands beyond its tag is an error found early.
func (p *matParser) inflate(z []byte, lim limits) (typ uint32, body []byte, err error) {
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		return 0, nil, fmt.Errorf("compressed element: %w", err)
	}
	var tag [8]byte
	if _, err := io.ReadFull(zr, tag[:]); err != nil {
		return 0, nil, fmt.Errorf("compressed element corrupt or truncated: %w", err)
	}
	if p.order.Uint32(tag[:])>>16 != 0 { // a small element: all in the tag
		if _, err := readAtMost(zr, 0, 0); err != nil {
			return 0, nil, fmt.Errorf("compressed element corrupt or longer than its tag: %w", err)
		}
		typ, body, _, err = p.element(tag[:])
		return typ, body, err
	}
	n := int64(p.order.Uint32(tag[4:]))
	padded := (n + 7) / 8 * 8
	if can := canInflate(int64(len(z))); n > can || n > lim.max() {
		return 0, nil, fmt.Errorf("compressed element declares %d bytes, but %d compressed bytes cannot hold more than %d (corrupt file)", n, len(z), min(can, lim.max()))
	}
	inner, err := readAtMost(zr, padded, inflateHint(n, int64(len(z))))
	switch {
	case err == errTooLong:
		return 0, nil, fmt.Errorf("compressed element holds more than the %d bytes its tag declares (corrupt file)", n)
	case err != nil:
		return 0, nil, fmt.Errorf("compressed element corrupt or truncated: %w", err)
	case int64(len(inner)) < n:
		return 0, nil, fmt.Errorf("compressed element of type %d needs %d bytes, holds %d (truncated file)", p.order.Uint32(tag[:]), n, len(inner))
	}
	return p.order.Uint32(tag[:]), inner[:n], nil
}

// Array classes (mxCLASS).
const (
	mxCELL   = 1
	mxSTRUCT = 2
	mxOBJECT = 3
	mxCHAR   = 4
	mxSPARSE = 5
)

func (p *matParser) matrix(b []byte) (*MatVar, error) {
	if len(b) == 0 { // empty matrix
		return nil, nil
	}
	typ, flags, rest, err := p.element(b)
	if err != nil {
		return nil, err
	}
	if typ != miUINT32 || len(flags) < 8 {
		return nil, fmt.Errorf("array flags element has type %d and %d bytes", typ, len(flags))
	}
	class := p.order.Uint32(flags) & 0xff
	complexFlag := p.order.Uint32(flags)&0x0800 != 0
	typ, dimb, rest, err := p.element(rest)
	if err != nil {
		return nil, err
	}
	if typ != miINT32 || len(dimb)%4 != 0 || len(dimb) == 0 {
		return nil, fmt.Errorf("dimensions element has type %d and %d bytes", typ, len(dimb))
	}
	dims := make([]int, len(dimb)/4)
	for i := range dims {
		d := int32(p.order.Uint32(dimb[4*i:]))
		if d < 0 {
			return nil, fmt.Errorf("negative dimension %d", d)
		}
		dims[i] = int(d)
	}
	total, ok := product(dims, maxElements)
	if !ok {
		return nil, fmt.Errorf("array too large: dimensions %s", dimsString(dims))
	}
	typ, nameb, rest, err := p.element(rest)
	if err != nil {
		return nil, err
	}
	if typ != miINT8 && typ != miUINT8 {
		return nil, fmt.Errorf("array name element has type %d", typ)
	}
	v := &MatVar{Name: string(nameb), Dims: dims}
	if class == mxCELL || class == mxSTRUCT || class == mxOBJECT || class == mxCHAR || class == mxSPARSE || complexFlag {
		return nil, nil // not a real numeric array: skip
	}
	typ, data, _, err := p.element(rest)
	if err != nil {
		return nil, fmt.Errorf("variable %.100s: %w", v.Name, err)
	}
	size := map[uint32]int{miINT8: 1, miUINT8: 1, miINT16: 2, miUINT16: 2, miINT32: 4, miUINT32: 4,
		miSINGLE: 4, miDOUBLE: 8, miINT64: 8, miUINT64: 8}[typ]
	if size == 0 {
		return nil, fmt.Errorf("variable %.100s: unsupported data type %d", v.Name, typ)
	}
	if len(data) != total*size {
		return nil, fmt.Errorf("variable %.100s: %d data bytes, dimensions %s need %d (truncated or corrupt)", v.Name, len(data), dimsString(dims), total*size)
	}
	if typ == miUINT8 {
		v.Raw = data
		return v, nil
	}
	v.Data = make([]float64, total)
	o := p.order
	for i := range v.Data {
		var x float64
		switch typ {
		case miINT8:
			x = float64(int8(data[i]))
		case miINT16:
			x = float64(int16(o.Uint16(data[2*i:])))
		case miUINT16:
			x = float64(o.Uint16(data[2*i:]))
		case miINT32:
			x = float64(int32(o.Uint32(data[4*i:])))
		case miUINT32:
			x = float64(o.Uint32(data[4*i:]))
		case miSINGLE:
			x = float64(math.Float32frombits(o.Uint32(data[4*i:])))
		case miDOUBLE:
			x = math.Float64frombits(o.Uint64(data[8*i:]))
		case miINT64:
			x = float64(int64(o.Uint64(data[8*i:])))
		case miUINT64:
			x = float64(o.Uint64(data[8*i:]))
		}
		v.Data[i] = x
	}
	return v, nil
}
