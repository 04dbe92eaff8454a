package data

import (
	"errors"
	"fmt"
	"io"
	"math/bits"
)

// Every loader checks the sizes a file declares against the bytes that can
// exist before it allocates: the bytes in memory or in the file, or for a
// compressed stream what that stream can expand to. Memory use is then
// bounded by a small multiple of the input, not by what a header claims.

// maxDeflateRatio is how many times deflate data (gzip, zlib, zip) can
// expand at most: a 258-byte match costs at least two bits, 1032 bytes per
// compressed byte.
const maxDeflateRatio = 1032

// deflateSlack covers the stream's own headers and first bytes in the
// bound maxDeflateRatio gives.
const deflateSlack = 1 << 12

// defaultMaxBytes is the most bytes one decompressed array (an IDX file, a
// compressed MAT-file variable, a .npz member) may hold: 16 GiB.
const defaultMaxBytes = 1 << 34

// maxElements is the most elements an array may declare.
const maxElements = 1 << 34

// limits bounds what a loader decompresses; the zero value means the
// defaults. Tests and fuzz targets set smaller bounds.
type limits struct {
	maxBytes int64 // most decompressed bytes of one array; 0 means defaultMaxBytes
}

func (l limits) max() int64 {
	if l.maxBytes <= 0 {
		return defaultMaxBytes
	}
	return l.maxBytes
}

// canInflate returns the most bytes n bytes of deflate data can expand to.
func canInflate(n int64) int64 {
	if n > (1<<62)/maxDeflateRatio {
		return 1 << 62
	}
	return n*maxDeflateRatio + deflateSlack
}

// inflateHint is how much room to make at first for a compressed stream of
// compressed bytes that declares declared bytes: all of it for ordinary
// data, less when the declared size would be a ratio that only runs of
// zeros (or a lie) reach; the buffer then grows as the data arrive.
func inflateHint(declared, compressed int64) int64 {
	return min(declared, 16*compressed+1<<16)
}

// product returns the product of non-negative dims, or false when it
// exceeds max (or overflows on the way there).
func product(dims []int, max int) (int, bool) {
	n := 1
	for _, d := range dims {
		if d < 0 {
			return 0, false
		}
		hi, lo := bits.Mul64(uint64(n), uint64(d))
		if hi != 0 || lo > uint64(max) {
			return 0, false
		}
		n = int(lo)
	}
	return n, true
}

// dimsString formats dimensions for an error message, eliding the middle
// of a long list.
func dimsString(d []int) string {
	if len(d) <= 8 {
		return fmt.Sprint(d)
	}
	return fmt.Sprintf("%v ... %v (%d dimensions)", d[:4], d[len(d)-2:], len(d))
}

// errTooLong is returned by readAtMost when the stream holds more than it
// may.
var errTooLong = errors.New("more data than declared")

// readAtMost reads r to its end, failing with errTooLong when it holds
// more than n bytes. When hint is at least n the buffer is made for all n
// at once; otherwise it starts small and grows with the data that arrive
// (as io.ReadAll grows it), so a stream that declares more than it holds
// costs only what it holds.
func readAtMost(r io.Reader, n int64, hint int64) ([]byte, error) {
	lr := io.LimitReader(r, n+1)
	if hint < n {
		b, err := io.ReadAll(lr)
		if err == nil && int64(len(b)) > n {
			err = errTooLong
		}
		return b, err
	}
	b := make([]byte, n+1)
	for k := 0; k < len(b); {
		m, err := lr.Read(b[k:])
		k += m
		if err == io.EOF {
			return b[:k], nil
		}
		if err != nil {
			return b[:k], err
		}
	}
	return b, errTooLong
}
