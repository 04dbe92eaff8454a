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
// without the .npy suffix. A member's size is checked against what the
// file can hold, and its .npy header against the member's size, before
// its data are read.
func LoadNPZ(path string) (map[string]*Array, error) {
	return loadNPZ(path, limits{})
}

func loadNPZ(path string, lim limits) (map[string]*Array, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %s: not a valid .npz (zip) file: %w", path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	out, err := readNPZ(f, fi.Size(), lim)
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return out, nil
}

// readNPZ reads the arrays of a .npz file of size bytes.
func readNPZ(r io.ReaderAt, size int64, lim limits) (map[string]*Array, error) {
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("not a valid .npz (zip) file: %w", err)
	}
	out := map[string]*Array{}
	for _, f := range zr.File {
		a, err := readNPZMember(f, size, lim)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Name, err)
		}
		out[strings.TrimSuffix(f.Name, ".npy")] = a
	}
	return out, nil
}

// readNPZMember reads one .npy member of a zip file of size bytes.
func readNPZMember(f *zip.File, size int64, lim limits) (*Array, error) {
	declared := f.UncompressedSize64
	can := uint64(size)
	if f.Method != zip.Store {
		can = uint64(canInflate(min(int64(min(f.CompressedSize64, 1<<62)), size)))
	}
	if declared > can || declared > uint64(lim.max()) {
		return nil, fmt.Errorf("member declares %d bytes, more than a %d-byte file can hold or than this reader takes (%d) (corrupt file)", declared, size, lim.max())
	}
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	// The .npy header first: what it declares must fill the member
	// exactly, which is checked before the data are read.
	head, err := readPrefix(rc, nil, 12)
	if err != nil {
		return nil, fmt.Errorf("corrupt entry: %w", err)
	}
	off, hlen, err := npyHeaderLen(head)
	if err != nil {
		return nil, err
	}
	if uint64(off)+uint64(hlen) > declared {
		return nil, fmt.Errorf("truncated .npy header")
	}
	if head, err = readPrefix(rc, head, off+hlen); err != nil {
		return nil, fmt.Errorf("corrupt entry: %w", err)
	}
	h, err := parseNPYHeader(string(head[off : off+hlen]))
	if err != nil {
		return nil, err
	}
	if want := uint64(off+hlen) + uint64(h.n*h.size); want != declared {
		return nil, fmt.Errorf("member of %d bytes, its .npy header and shape %s of %s need %d (truncated or corrupt)", declared, dimsString(h.shape), h.descr, want)
	}
	// Read the rest, growing the buffer with the data that arrive (a
	// member may still lie about its size), and to the end, where the zip
	// reader checks the CRC.
	rest, err := readAtMost(rc, int64(declared)-int64(len(head)), inflateHint(int64(declared), int64(min(f.CompressedSize64, 1<<62))))
	if err != nil {
		return nil, fmt.Errorf("corrupt entry: %w", err)
	}
	body := rest
	if len(head) > off+hlen { // a header shorter than the 12 bytes read first
		body = append(head[off+hlen:], rest...)
	}
	return decodeNPY(h, body)
}

// readPrefix reads from r until b holds at least n bytes.
func readPrefix(r io.Reader, b []byte, n int) ([]byte, error) {
	if len(b) >= n {
		return b, nil
	}
	k := len(b)
	b = append(b, make([]byte, n-k)...)
	if _, err := io.ReadFull(r, b[k:]); err != nil {
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	return b, nil
}

// ParseNPY parses the bytes of a .npy file. It checks the dtype and the
// shape against the bytes present before it allocates.
func ParseNPY(b []byte) (*Array, error) {
	off, hlen, err := npyHeaderLen(b)
	if err != nil {
		return nil, err
	}
	if hlen > len(b)-off {
		return nil, fmt.Errorf("truncated .npy header")
	}
	h, err := parseNPYHeader(string(b[off : off+hlen]))
	if err != nil {
		return nil, err
	}
	return decodeNPY(h, b[off+hlen:])
}

// npyHeaderLen checks the magic number and version at the start of b and
// returns where the header starts and its length.
func npyHeaderLen(b []byte) (off, hlen int, err error) {
	if len(b) < 10 || string(b[:6]) != "\x93NUMPY" {
		return 0, 0, fmt.Errorf("not a .npy file (bad magic)")
	}
	switch major := b[6]; major {
	case 1:
		return 10, int(binary.LittleEndian.Uint16(b[8:])), nil
	case 2, 3:
		if len(b) < 12 {
			return 0, 0, fmt.Errorf("truncated .npy header")
		}
		n := binary.LittleEndian.Uint32(b[8:])
		if n > maxNPYHeader {
			return 0, 0, fmt.Errorf(".npy header of %d bytes (at most %d)", n, maxNPYHeader)
		}
		return 12, int(n), nil
	default:
		return 0, 0, fmt.Errorf(".npy format version %d not supported", major)
	}
}

// maxNPYHeader is the longest .npy header read. NumPy writes headers of a
// few hundred bytes and reads at most 10,000 by default.
const maxNPYHeader = 1 << 20

// decodeNPY converts the data of an array with header h.
func decodeNPY(h *npyInfo, body []byte) (*Array, error) {
	n, size := h.n, h.size
	if len(body) != n*size {
		return nil, fmt.Errorf("%d data bytes, shape %s of %s needs %d (truncated or corrupt)", len(body), dimsString(h.shape), h.descr, n*size)
	}
	a := &Array{Shape: h.shape, DType: h.descr, Data: make([]float64, n)}
	kind, order := h.kind, h.order
	for i := range a.Data {
		p := body[i*size:]
		var x float64
		switch {
		case kind == 'b', kind == 'u' && size == 1:
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
		}
		a.Data[i] = x
	}
	if h.fortran && len(h.shape) > 1 {
		a.Data = fortranToC(a.Data, h.shape)
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

// npyInfo is a parsed .npy header, its dtype and shape checked.
type npyInfo struct {
	descr   string
	fortran bool
	shape   []int
	order   binary.ByteOrder
	kind    byte // b, i, u or f
	size    int  // bytes per element: 1, 2, 4 or 8
	n       int  // elements, at most maxElements
}

// parseNPYHeader reads the Python dict literal of a .npy header, e.g.
// {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }, and checks
// that the dtype is one this reader knows and that the shape's product
// does not overflow.
func parseNPYHeader(s string) (*npyInfo, error) {
	s = strings.TrimSpace(s)
	if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
		return nil, fmt.Errorf("bad .npy header %.200q", s)
	}
	val := func(key string) (string, bool) {
		i := strings.Index(s, "'"+key+"'")
		if i < 0 {
			return "", false
		}
		rest := strings.TrimSpace(s[i+len(key)+2:])
		rest = strings.TrimSpace(strings.TrimPrefix(rest, ":"))
		return rest, true
	}
	v, ok := val("descr")
	if !ok || len(v) < 2 || v[0] != '\'' {
		return nil, fmt.Errorf("bad .npy header: no descr")
	}
	end := strings.IndexByte(v[1:], '\'')
	if end < 0 {
		return nil, fmt.Errorf("bad .npy header: descr")
	}
	h := &npyInfo{descr: v[1 : 1+end]}
	if err := h.parseDType(); err != nil {
		return nil, err
	}
	v, ok = val("fortran_order")
	if !ok {
		return nil, fmt.Errorf("bad .npy header: no fortran_order")
	}
	h.fortran = strings.HasPrefix(v, "True")
	v, ok = val("shape")
	if !ok || !strings.HasPrefix(v, "(") {
		return nil, fmt.Errorf("bad .npy header: no shape")
	}
	end = strings.IndexByte(v, ')')
	if end < 0 {
		return nil, fmt.Errorf("bad .npy header: shape")
	}
	h.shape = []int{}
	for _, f := range strings.Split(v[1:end], ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		d, err := strconv.Atoi(strings.TrimSuffix(f, "L"))
		if err != nil || d < 0 {
			return nil, fmt.Errorf("bad .npy header: shape %.200q", v[:end+1])
		}
		h.shape = append(h.shape, d)
	}
	n, ok := product(h.shape, maxElements)
	if !ok {
		return nil, fmt.Errorf("bad .npy header: shape %.200q has more than %d elements", v[:end+1], maxElements)
	}
	h.n = n
	return h, nil
}

// parseDType checks h.descr (e.g. "<f4", "|u1", ">i2") and sets the byte
// order, kind and size.
func (h *npyInfo) parseDType() error {
	d := h.descr
	if len(d) != 3 {
		return errDType(d)
	}
	h.order = binary.LittleEndian
	switch d[0] {
	case '<', '|', '=':
	case '>':
		h.order = binary.BigEndian
	default:
		return errDType(d)
	}
	h.kind, h.size = d[1], int(d[2]-'0')
	switch {
	case h.kind == 'b' && h.size == 1:
	case (h.kind == 'i' || h.kind == 'u') && (h.size == 1 || h.size == 2 || h.size == 4 || h.size == 8):
	case h.kind == 'f' && (h.size == 4 || h.size == 8):
	default:
		return errDType(d)
	}
	return nil
}

func errDType(d string) error {
	return fmt.Errorf("unsupported dtype %.40q (want bool, integer or float of 1, 2, 4 or 8 bytes)", d)
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
		return nil, fmt.Errorf("data: %s: x of shape %s and y of shape %s", name, dimsString(x.Shape), dimsString(y.Shape))
	}
	for _, a := range []*Array{x, y} {
		if n, ok := product(a.Shape, maxElements); !ok || n != len(a.Data) {
			return nil, fmt.Errorf("data: %s: array of shape %s holds %d values", name, dimsString(a.Shape), len(a.Data))
		}
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
