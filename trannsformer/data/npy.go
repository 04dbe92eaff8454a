package data

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// Array is a NumPy array read from a .npy file: its shape, its dtype (as
// NumPy spells it, e.g. "<f4" or "|u1") and its values in C (row-major)
// order.
type Array struct {
	Shape []int
	DType string
	Data  []float64
}

// Len returns the number of elements.
func (a *Array) Len() int {
	n := 1
	for _, d := range a.Shape {
		n *= d
	}
	return n
}

// LoadNPY reads a .npy file (format versions 1 to 3; bool, integer and
// float dtypes of either byte order; C or Fortran order).
func LoadNPY(path string) (*Array, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	a, err := ParseNPY(b)
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return a, nil
}

// LoadNPZ reads the arrays of a .npz file (compressed or not), keyed by name
// without the .npy suffix.
func LoadNPZ(path string) (map[string]*Array, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("data: %s: not a valid .npz (zip) file: %w", path, err)
	}
	defer zr.Close()
	out := map[string]*Array{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("data: %s: %s: %w", path, f.Name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return nil, fmt.Errorf("data: %s: %s: corrupt entry: %w", path, f.Name, err)
		}
		a, err := ParseNPY(b)
		if err != nil {
			return nil, fmt.Errorf("data: %s: %s: %w", path, f.Name, err)
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = a
	}
	return out, nil
}

// ParseNPY parses the bytes of a .npy file.
func ParseNPY(b []byte) (*Array, error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return nil, fmt.Errorf("not a .npy file (bad magic)")
	}
	major := b[6]
	var hlen, off int
	switch major {
	case 1:
		hlen, off = int(binary.LittleEndian.Uint16(b[8:])), 10
	case 2, 3:
		if len(b) < 12 {
			return nil, fmt.Errorf("truncated .npy header")
		}
		hlen, off = int(binary.LittleEndian.Uint32(b[8:])), 12
	default:
		return nil, fmt.Errorf(".npy format version %d not supported", major)
	}
	if off+hlen > len(b) || hlen < 0 {
		return nil, fmt.Errorf("truncated .npy header")
	}
	descr, fortran, shape, err := parseNPYHeader(string(b[off : off+hlen]))
	if err != nil {
		return nil, err
	}
	body := b[off+hlen:]
	if len(descr) < 3 {
		return nil, fmt.Errorf("unsupported dtype %q", descr)
	}
	var order binary.ByteOrder = binary.LittleEndian
	switch descr[0] {
	case '<', '|', '=':
	case '>':
		order = binary.BigEndian
	default:
		return nil, fmt.Errorf("unsupported dtype %q", descr)
	}
	kind := descr[1]
	size, err := strconv.Atoi(descr[2:])
	if err != nil {
		return nil, fmt.Errorf("unsupported dtype %q", descr)
	}
	a := &Array{Shape: shape, DType: descr}
	n := a.Len()
	if n < 0 || n > 1<<34 {
		return nil, fmt.Errorf("bad shape %v", shape)
	}
	if len(body) != n*size {
		return nil, fmt.Errorf("%d data bytes, shape %v of %s needs %d (truncated or corrupt)", len(body), shape, descr, n*size)
	}
	a.Data = make([]float64, n)
	for i := range a.Data {
		p := body[i*size:]
		var x float64
		switch {
		case kind == 'b' && size == 1, kind == 'u' && size == 1:
			x = float64(p[0])
		case kind == 'i' && size == 1:
			x = float64(int8(p[0]))
		case kind == 'u' && size == 2:
			x = float64(order.Uint16(p))
		case kind == 'i' && size == 2:
			x = float64(int16(order.Uint16(p)))
		case kind == 'u' && size == 4:
			x = float64(order.Uint32(p))
		case kind == 'i' && size == 4:
			x = float64(int32(order.Uint32(p)))
		case kind == 'u' && size == 8:
			x = float64(order.Uint64(p))
		case kind == 'i' && size == 8:
			x = float64(int64(order.Uint64(p)))
		case kind == 'f' && size == 4:
			x = float64(math.Float32frombits(order.Uint32(p)))
		case kind == 'f' && size == 8:
			x = math.Float64frombits(order.Uint64(p))
		default:
			return nil, fmt.Errorf("unsupported dtype %q", descr)
		}
		a.Data[i] = x
	}
	if fortran && len(shape) > 1 {
		a.Data = fortranToC(a.Data, shape)
	}
	return a, nil
}

// fortranToC reorders column-major data into row-major order.
func fortranToC(src []float64, shape []int) []float64 {
	dst := make([]float64, len(src))
	nd := len(shape)
	idx := make([]int, nd)
	// Walk src in column-major order, computing the row-major index.
	cstride := make([]int, nd)
	s := 1
	for i := nd - 1; i >= 0; i-- {
		cstride[i] = s
		s *= shape[i]
	}
	for k := range src {
		c := 0
		for i := 0; i < nd; i++ {
			c += idx[i] * cstride[i]
		}
		dst[c] = src[k]
		for i := 0; i < nd; i++ {
			idx[i]++
			if idx[i] < shape[i] {
				break
			}
			idx[i] = 0
		}
	}
	return dst
}

// parseNPYHeader reads the Python dict literal of a .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }.
func parseNPYHeader(h string) (descr string, fortran bool, shape []int, err error) {
	h = strings.TrimSpace(h)
	if !strings.HasPrefix(h, "{") || !strings.HasSuffix(h, "}") {
		return "", false, nil, fmt.Errorf("bad .npy header %q", h)
	}
	val := func(key string) (string, bool) {
		i := strings.Index(h, "'"+key+"'")
		if i < 0 {
			return "", false
		}
		rest := strings.TrimSpace(h[i+len(key)+2:])
		rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
		return rest, true
	}
	v, ok := val("descr")
	if !ok || len(v) < 2 || v[0] != '\'' {
		return "", false, nil, fmt.Errorf("bad .npy header: no descr")
	}
	end := strings.IndexByte(v[1:], '\'')
	if end < 0 {
		return "", false, nil, fmt.Errorf("bad .npy header: descr")
	}
	descr = v[1 : 1+end]
	v, ok = val("fortran_order")
	if !ok {
		return "", false, nil, fmt.Errorf("bad .npy header: no fortran_order")
	}
	fortran = strings.HasPrefix(v, "True")
	v, ok = val("shape")
	if !ok || !strings.HasPrefix(v, "(") {
		return "", false, nil, fmt.Errorf("bad .npy header: no shape")
	}
	end = strings.IndexByte(v, ')')
	if end < 0 {
		return "", false, nil, fmt.Errorf("bad .npy header: shape")
	}
	shape = []int{}
	for _, f := range strings.Split(v[1:end], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := strconv.Atoi(strings.TrimSuffix(f, "L"))
		if err != nil || d < 0 {
			return "", false, nil, fmt.Errorf("bad .npy header: shape %q", v[:end+1])
		}
		shape = append(shape, d)
	}
	return descr, fortran, shape, nil
}

// WriteNPY writes a float32 array as a version 1.0 .npy file ('<f4', C
// order).
func WriteNPY(w io.Writer, shape []int, data []float32) error {
	n := 1
	for _, d := range shape {
		n *= d
	}
	if n != len(data) {
		return fmt.Errorf("data: WriteNPY: shape %v needs %d values, have %d", shape, n, len(data))
	}
	var sb strings.Builder
	sb.WriteString("{'descr': '<f4', 'fortran_order': False, 'shape': (")
	for i, d := range shape {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(strconv.Itoa(d))
	}
	if len(shape) == 1 {
		sb.WriteString(",")
	}
	sb.WriteString("), }")
	h := sb.String()
	pad := 64 - (10+len(h)+1)%64
	if pad == 64 {
		pad = 0
	}
	h += strings.Repeat(" ", pad) + "\n"
	var buf bytes.Buffer
	buf.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&buf, binary.LittleEndian, uint16(len(h)))
	buf.WriteString(h)
	binary.Write(&buf, binary.LittleEndian, data)
	_, err := w.Write(buf.Bytes())
	return err
}

// ArrayDataset makes a data set from an input array x (N x ..., any numeric
// dtype) and a label vector y (N integers). Integer inputs of dtype uint8
// are scaled by 1/255; other inputs are taken as they are.
func ArrayDataset(name string, x, y *Array) (*Dataset, error) {
	if len(x.Shape) < 1 || len(y.Shape) < 1 {
		return nil, fmt.Errorf("data: %s: x of shape %v and y of shape %v", name, x.Shape, y.Shape)
	}
	n := x.Shape[0]
	if y.Len() != n {
		return nil, fmt.Errorf("data: %s: x has %d samples but y has %d labels", name, n, y.Len())
	}
	feat := 1
	for _, d := range x.Shape[1:] {
		feat *= d
	}
	d := &Dataset{Name: name, X: make([]float32, len(x.Data)), Y: make([]int, n), Features: feat, Shape: append([]int(nil), x.Shape[1:]...)}
	scale := 1.0
	if strings.HasSuffix(x.DType, "u1") {
		scale = 1.0 / 255
	}
	for i, v := range x.Data {
		d.X[i] = float32(v * scale)
	}
	for i, v := range y.Data {
		if v != math.Trunc(v) || v < 0 || v > 1<<20 {
			return nil, fmt.Errorf("data: %s: label %v of sample %d is not a class index", name, v, i)
		}
		d.Y[i] = int(v)
		if int(v) >= d.Classes {
			d.Classes = int(v) + 1
		}
	}
	return d, nil
}

// LoadNPZDataset reads a data set from a .npz file holding the inputs under
// xKey and the labels under yKey (e.g. "x_train", "y_train").
func LoadNPZDataset(path, xKey, yKey string) (*Dataset, error) {
	arrs, err := LoadNPZ(path)
	if err != nil {
		return nil, err
	}
	x, y := arrs[xKey], arrs[yKey]
	if x == nil || y == nil {
		keys := make([]string, 0, len(arrs))
		for k := range arrs {
			keys = append(keys, k)
		}
		return nil, fmt.Errorf("data: %s: no arrays %q and %q (has %v)", path, xKey, yKey, keys)
	}
	return ArrayDataset(path, x, y)
}
