package ipc

import (
	"bytes"
	"strconv"
)

// markerPrefix starts every sync marker; a NUL byte never appears in text
// a cell prints on purpose, and the nonce makes a collision with binary
// output practically impossible.
const markerPrefix = "\x00gotrann-sync:"

// maxDigits is the length of the longest marker number.
const maxDigits = 20

// SyncMarker returns the bytes the worker writes to stdout and stderr
// before a message with Sync n. nonce is the worker's, fixed for its
// lifetime.
func SyncMarker(nonce string, n uint64) []byte {
	return []byte(markerPrefix + nonce + ":" + strconv.FormatUint(n, 10) + "\x00")
}

// Stripper removes the sync markers of one worker from a stream of bytes.
// Feed it what a pipe read returns; it returns the text to forward, split
// at the markers. A tail that could be the start of a marker is held back
// until the next call.
type Stripper struct {
	prefix []byte
	held   []byte
}

// NewStripper returns a Stripper for the markers made with nonce.
func NewStripper(nonce string) *Stripper {
	return &Stripper{prefix: []byte(markerPrefix + nonce + ":")}
}

// Piece is a run of text followed by the marker that ended it (Mark 0:
// no marker, the end of what was fed).
type Piece struct {
	Text []byte
	Mark uint64
}

// Feed strips markers from held bytes plus p and returns the text between
// them, in order, so that a reader can stop at each marker.
func (s *Stripper) Feed(p []byte) []Piece {
	buf := append(s.held, p...)
	s.held = nil
	var out []Piece
	var text []byte
	for {
		i := bytes.Index(buf, s.prefix)
		if i < 0 {
			break
		}
		end := bytes.IndexByte(buf[i+len(s.prefix):], 0)
		if end < 0 && len(buf)-i-len(s.prefix) > maxDigits {
			// not a marker: no number ends it
			text = append(text, buf[:i+len(s.prefix)]...)
			buf = buf[i+len(s.prefix):]
			continue
		}
		if end < 0 {
			// an incomplete marker: hold it back
			text = append(text, buf[:i]...)
			s.held = append([]byte(nil), buf[i:]...)
			if len(text) > 0 {
				out = append(out, Piece{Text: text})
			}
			return out
		}
		num := buf[i+len(s.prefix) : i+len(s.prefix)+end]
		if n, err := strconv.ParseUint(string(num), 10, 64); err == nil {
			text = append(text, buf[:i]...)
			out = append(out, Piece{Text: text, Mark: n})
			text = nil
		} else {
			text = append(text, buf[:i+len(s.prefix)+end+1]...)
		}
		buf = buf[i+len(s.prefix)+end+1:]
	}
	// hold back a tail that could start a marker
	keep := 0
	for k := min(len(s.prefix), len(buf)); k > 0; k-- {
		if bytes.Equal(buf[len(buf)-k:], s.prefix[:k]) {
			keep = k
			break
		}
	}
	text = append(text, buf[:len(buf)-keep]...)
	if keep > 0 {
		s.held = append([]byte(nil), buf[len(buf)-keep:]...)
	}
	if len(text) > 0 {
		out = append(out, Piece{Text: text})
	}
	return out
}

// Flush returns the held-back bytes (at the end of the stream).
func (s *Stripper) Flush() []byte {
	h := s.held
	s.held = nil
	return h
}
