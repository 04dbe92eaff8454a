package data

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
)

// IDX is an array read from an IDX file (the MNIST format): unsigned bytes
// with their dimensions.
type IDX struct {
	Dims []int
	Data []byte
}

// maxIDXHeader is the length of the longest IDX header: magic number and
// 8 dimensions.
const maxIDXHeader = 4 + 4*8

// parseIDXHeader checks an IDX header at the start of b and returns its
// dimensions, its length and the number of data bytes it declares (at most
// max). A b too short for the header is an error that says so.
func parseIDXHeader(name string, b []byte, max int) (dims []int, hlen, total int, err error) {
	if len(b) < 4 {
		return nil, 0, 0, fmt.Errorf("data: %s: %d bytes, too short for an IDX header", name, len(b))
	}
	if b[0] != 0 || b[1] != 0 {
		return nil, 0, 0, fmt.Errorf("data: %s: bad IDX magic number % x", name, b[:4])
	}
	if b[2] != 0x08 {
		return nil, 0, 0, fmt.Errorf("data: %s: IDX element type 0x%02x, want unsigned byte (0x08)", name, b[2])
	}
	nd := int(b[3])
	if nd == 0 || nd > 8 {
		return nil, 0, 0, fmt.Errorf("data: %s: IDX with %d dimensions", name, nd)
	}
	hlen = 4 + 4*nd
	if len(b) < hlen {
		return nil, 0, 0, fmt.Errorf("data: %s: truncated IDX header", name)
	}
	dims = make([]int, nd)
	for i := range dims {
		d := binary.BigEndian.Uint32(b[4+4*i:])
		if d == 0 || d > 1<<28 {
			return nil, 0, 0, fmt.Errorf("data: %s: IDX dimension %d is %d", name, i, d)
		}
		dims[i] = int(d)
	}
	total, ok := product(dims, max)
	if !ok {
		return nil, 0, 0, fmt.Errorf("data: %s: IDX dimensions %v declare more than %d bytes", name, dims, max)
	}
	return dims, hlen, total, nil
}

// ParseIDX parses an unsigned-byte IDX array; name is used in errors. The
// array's Data share b's memory.
func ParseIDX(name string, b []byte) (*IDX, error) {
	dims, hlen, total, err := parseIDXHeader(name, b, maxElements)
	if err != nil {
		return nil, err
	}
	body := b[hlen:]
	if len(body) != total {
		return nil, fmt.Errorf("data: %s: IDX body has %d bytes, dimensions %v need %d (truncated or corrupt file)", name, len(body), dims, total)
	}
	return &IDX{Dims: dims, Data: body}, nil
}

// ReadIDX reads an unsigned-byte IDX file, gzipped or raw. It reads no
// more than the header declares, so a file that decompresses to more is
// an error found early, not an exhausted memory.
func ReadIDX(path string) (*IDX, error) {
	return readIDXFile(path, limits{})
}

func readIDXFile(path string, lim limits) (*IDX, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	size := int64(-1)
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return readIDX(path, f, size, lim)
}

// readIDX reads an IDX array, gzipped or raw, from r, which holds size
// bytes (-1 when that is not known).
func readIDX(name string, r io.Reader, size int64, lim limits) (*IDX, error) {
	br := bufio.NewReader(r)
	src := io.Reader(br)
	gzipped := false
	if head, _ := br.Peek(2); len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("data: %s: bad gzip header: %w", name, err)
		}
		src, gzipped = zr, true
	}
	readErr := func(err error) error {
		if gzipped {
			return fmt.Errorf("data: %s: corrupt or truncated gzip data: %w", name, err)
		}
		return fmt.Errorf("data: %s: %w", name, err)
	}
	// The header: 4 bytes, then 4 per dimension.
	var hb [maxIDXHeader]byte
	n, err := readUpTo(src, hb[:4])
	if err != nil {
		return nil, readErr(err)
	}
	if n == 4 && hb[0] == 0 && hb[1] == 0 && hb[2] == 0x08 && hb[3] >= 1 && hb[3] <= 8 {
		k, err := readUpTo(src, hb[4:4+4*int(hb[3])])
		if err != nil {
			return nil, readErr(err)
		}
		n += k
	}
	maxBytes := lim.max()
	dims, hlen, total, err := parseIDXHeader(name, hb[:n], int(min(maxBytes, maxElements)))
	if err != nil {
		return nil, err
	}
	// What the file can hold: its own bytes, or what they inflate to.
	// The buffer starts that large and grows only with data that arrive.
	hint := int64(total)
	switch {
	case size < 0:
		hint = min(hint, 1<<20)
	case gzipped:
		if can := canInflate(size); hint > can {
			return nil, fmt.Errorf("data: %s: IDX dimensions %v declare %d bytes, but a %d-byte gzip file cannot hold more than %d (corrupt file)", name, dims, total, size, can)
		}
		hint = inflateHint(hint, size)
	default:
		hint = min(hint, max(size-int64(hlen), 0))
	}
	body, err := readAtMost(src, int64(total), hint)
	switch {
	case err == errTooLong:
		return nil, fmt.Errorf("data: %s: IDX body is longer than the %d bytes dimensions %v need (truncated or corrupt file)", name, total, dims)
	case err != nil:
		return nil, readErr(err)
	case len(body) != total:
		return nil, fmt.Errorf("data: %s: IDX body has %d bytes, dimensions %v need %d (truncated or corrupt file)", name, len(body), dims, total)
	}
	return &IDX{Dims: dims, Data: body}, nil
}

// readUpTo reads into b until it is full or r ends, returning how many
// bytes it read; the end of r is not an error.
func readUpTo(r io.Reader, b []byte) (int, error) {
	n := 0
	for n < len(b) {
		k, err := r.Read(b[n:])
		n += k
		if err == io.EOF {
			return n, nil
		}
		if err != nil {
			return n, err
		}
	}
	return n, nil
}

// LoadIDX reads an image file and a label file in IDX format (as MNIST and
// Fashion-MNIST ship them, gzipped or raw) and scales pixels to [0, 1].
// There are 10 classes unless a label is larger.
func LoadIDX(images, labels string) (*Dataset, error) {
	im, err := ReadIDX(images)
	if err != nil {
		return nil, err
	}
	lb, err := ReadIDX(labels)
	if err != nil {
		return nil, err
	}
	if len(im.Dims) < 2 {
		return nil, fmt.Errorf("data: %s: images need at least 2 dimensions, have %v", images, im.Dims)
	}
	if len(lb.Dims) != 1 {
		return nil, fmt.Errorf("data: %s: labels need 1 dimension, have %v", labels, lb.Dims)
	}
	n := im.Dims[0]
	if lb.Dims[0] != n {
		return nil, fmt.Errorf("data: %s has %d images but %s has %d labels", images, n, labels, lb.Dims[0])
	}
	feat := len(im.Data) / n
	d := &Dataset{
		Name:     images,
		X:        make([]float32, len(im.Data)),
		Y:        make([]int, n),
		Features: feat,
		Classes:  10,
		Shape:    append([]int(nil), im.Dims[1:]...),
	}
	scalePixels(d.X, im.Data)
	for i, v := range lb.Data {
		d.Y[i] = int(v)
		if int(v) >= d.Classes {
			d.Classes = int(v) + 1
		}
	}
	if d.Classes > 256 {
		return nil, errors.New("data: too many classes")
	}
	return d, nil
}

func scalePixels(dst []float32, src []byte) {
	var lut [256]float32
	for i := range lut {
		lut[i] = float32(i) / 255
	}
	for i, v := range src {
		dst[i] = lut[v]
	}
}

// WriteIDX writes an unsigned-byte IDX array (raw, not gzipped), e.g. for
// tests or to export a subset.
func WriteIDX(w io.Writer, dims []int, data []byte) error {
	var buf bytes.Buffer
	buf.Write([]byte{0, 0, 0x08, byte(len(dims))})
	for _, d := range dims {
		binary.Write(&buf, binary.BigEndian, uint32(d))
	}
	buf.Write(data)
	_, err := w.Write(buf.Bytes())
	return err
}
