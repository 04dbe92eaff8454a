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

// readMaybeGzip reads a whole file, decompressing it when it starts with the
// gzip magic number.
func readMaybeGzip(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("data: %w", err)
	}
	defer f.Close()
	br := bufio.NewReader(f)
	head, _ := br.Peek(2)
	if len(head) == 2 && head[0] == 0x1f && head[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("data: %s: bad gzip header: %w", path, err)
		}
		b, err := io.ReadAll(zr)
		if err != nil {
			return nil, fmt.Errorf("data: %s: corrupt or truncated gzip data: %w", path, err)
		}
		return b, nil
	}
	b, err := io.ReadAll(br)
	if err != nil {
		return nil, fmt.Errorf("data: %s: %w", path, err)
	}
	return b, nil
}

// IDX is an array read from an IDX file (the MNIST format): unsigned bytes
// with their dimensions.
type IDX struct {
	Dims []int
	Data []byte
}

// ParseIDX parses an unsigned-byte IDX array; name is used in errors.
func ParseIDX(name string, b []byte) (*IDX, error) {
	if len(b) < 4 {
		return nil, fmt.Errorf("data: %s: %d bytes, too short for an IDX header", name, len(b))
	}
	if b[0] != 0 || b[1] != 0 {
		return nil, fmt.Errorf("data: %s: bad IDX magic number % x", name, b[:4])
	}
	if b[2] != 0x08 {
		return nil, fmt.Errorf("data: %s: IDX element type 0x%02x, want unsigned byte (0x08)", name, b[2])
	}
	nd := int(b[3])
	if nd == 0 || nd > 8 {
		return nil, fmt.Errorf("data: %s: IDX with %d dimensions", name, nd)
	}
	if len(b) < 4+4*nd {
		return nil, fmt.Errorf("data: %s: truncated IDX header", name)
	}
	dims := make([]int, nd)
	total := 1
	for i := range dims {
		d := binary.BigEndian.Uint32(b[4+4*i:])
		if d == 0 || d > 1<<28 {
			return nil, fmt.Errorf("data: %s: IDX dimension %d is %d", name, i, d)
		}
		dims[i] = int(d)
		total *= int(d)
		if total > 1<<34 {
			return nil, fmt.Errorf("data: %s: IDX array too large", name)
		}
	}
	body := b[4+4*nd:]
	if len(body) != total {
		return nil, fmt.Errorf("data: %s: IDX body has %d bytes, dimensions %v need %d (truncated or corrupt file)", name, len(body), dims, total)
	}
	return &IDX{Dims: dims, Data: body}, nil
}

// ReadIDX reads an unsigned-byte IDX file, gzipped or raw.
func ReadIDX(path string) (*IDX, error) {
	b, err := readMaybeGzip(path)
	if err != nil {
		return nil, err
	}
	return ParseIDX(path, b)
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
