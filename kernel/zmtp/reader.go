package zmtp

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
)

// ZMTP 3 framing (https://rfc.zeromq.org/spec/23/).
const (
	greetingLen = 64

	flagMore     = 0x01
	flagLong     = 0x02
	flagCommand  = 0x04
	flagReserved = 0xf8

	// frameOverhead is what each frame of a message counts on top of its
	// length towards the message limit: zmq4 keeps a slice header per frame.
	frameOverhead = 64
	// maxHandshakeCommand bounds the first command, which the reader holds
	// whole to check (and maybe rewrite) it.
	maxHandshakeCommand = 64 << 10
)

// Faults found in a peer's stream; an *Error wraps one of them.
var (
	ErrBadGreeting      = errors.New("bad ZMTP greeting")
	ErrBadFrame         = errors.New("malformed ZMTP frame")
	ErrBadCommand       = errors.New("malformed ZMTP command")
	ErrFrameTooLarge    = errors.New("frame too large")
	ErrMessageTooLarge  = errors.New("message too large")
	ErrWriteTimeout     = errors.New("peer did not take its data in time")
	ErrHandshakeTimeout = errors.New("handshake did not complete in time")
)

// Error is a connection fault found by the guard. It is never a timeout
// (Timeout reports false even for a stalled peer), so that zmq4 forgets
// the connection instead of retrying it.
type Error struct {
	Op  string // "read", "write" or "handshake"
	Err error
}

func (e *Error) Error() string   { return "zmtp: " + e.Op + ": " + e.Err.Error() }
func (e *Error) Unwrap() error   { return e.Err }
func (e *Error) Timeout() bool   { return false }
func (e *Error) Temporary() bool { return false }

// frameReader passes a peer's ZMTP stream through, checking its framing
// before any of a frame reaches the caller: the greeting, then command and
// message frames whose declared lengths must respect max. It holds the
// first command whole, checks it and, when it is a READY with an identity
// and identity is not nil, replaces the identity by identity's result.
type frameReader struct {
	src      *bufio.Reader
	max      uint64
	identity func([]byte) []byte

	greeted   bool
	handshook bool   // the first command has been read
	out       []byte // bytes due to the caller before anything else
	hdr       [9]byte
	bodyLeft  uint64 // bytes of the current frame body still to pass on
	inMsg     bool   // the last frame had MORE set
	msgSize   uint64 // accounted size of the message so far
	err       error  // sticky
}

func newFrameReader(src io.Reader, max uint64, identity func([]byte) []byte) *frameReader {
	br, ok := src.(*bufio.Reader)
	if !ok {
		br = bufio.NewReaderSize(src, 32<<10)
	}
	// Keep sums of two sizes and the per-frame overhead from overflowing.
	max = min(max, 1<<62)
	return &frameReader{src: br, max: max, identity: identity}
}

// idle reports whether the handshake has been read and handed over and no
// frame is under way.
func (r *frameReader) idle() bool {
	return r.handshook && len(r.out) == 0 && r.bodyLeft == 0
}

func (r *frameReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for len(r.out) == 0 && r.bodyLeft == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if err := r.next(); err != nil {
			r.err = err
			return 0, err
		}
	}
	if len(r.out) > 0 {
		n := copy(p, r.out)
		r.out = r.out[n:]
		return n, nil
	}
	if uint64(len(p)) > r.bodyLeft {
		p = p[:r.bodyLeft]
	}
	n, err := r.src.Read(p)
	r.bodyLeft -= uint64(n)
	if err != nil {
		r.err = err
	}
	return n, err
}

func protocolError(err error) error { return &Error{Op: "read", Err: err} }

// next reads the next greeting or frame header and sets out and bodyLeft.
// It returns the source's errors unchanged (io.EOF stays io.EOF) and
// protocol faults as *Error.
func (r *frameReader) next() error {
	if !r.greeted {
		g := make([]byte, greetingLen)
		if _, err := io.ReadFull(r.src, g); err != nil {
			return err
		}
		if g[0] != 0xff || g[9] != 0x7f {
			return protocolError(fmt.Errorf("%w: no ZMTP signature", ErrBadGreeting))
		}
		if g[10] < 3 {
			return protocolError(fmt.Errorf("%w: ZMTP version %d.%d, want 3.0 or later", ErrBadGreeting, g[10], g[11]))
		}
		r.greeted, r.out = true, g
		return nil
	}
	flags, err := r.src.ReadByte()
	if err != nil {
		return err
	}
	r.hdr[0] = flags
	hlen := 2
	if flags&flagLong != 0 {
		hlen = 9
	}
	if _, err := io.ReadFull(r.src, r.hdr[1:hlen]); err != nil {
		return unexpected(err)
	}
	size := uint64(r.hdr[1])
	if hlen == 9 {
		size = binary.BigEndian.Uint64(r.hdr[1:9])
	}
	cmd, more := flags&flagCommand != 0, flags&flagMore != 0
	switch {
	case flags&flagReserved != 0:
		return protocolError(fmt.Errorf("%w: reserved flag bits set (flags %#02x)", ErrBadFrame, flags))
	case cmd && (more || r.inMsg):
		return protocolError(fmt.Errorf("%w: a command frame within a multipart message", ErrBadFrame))
	case !cmd && !r.handshook:
		return protocolError(fmt.Errorf("%w: a message frame before the handshake command", ErrBadFrame))
	case size > r.max:
		return protocolError(fmt.Errorf("%w: a frame of %d bytes, the maximum is %d", ErrFrameTooLarge, size, r.max))
	}
	if !cmd {
		total := r.msgSize + size + frameOverhead
		if total > r.max {
			return protocolError(fmt.Errorf("%w: a message of more than %d bytes, the maximum is %d", ErrMessageTooLarge, total, r.max))
		}
		r.inMsg = more
		r.msgSize = total
		if !more {
			r.msgSize = 0
		}
	}
	if cmd && !r.handshook {
		if size > maxHandshakeCommand {
			return protocolError(fmt.Errorf("%w: a handshake command of %d bytes", ErrBadCommand, size))
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(r.src, body); err != nil {
			return unexpected(err)
		}
		body, err := checkHandshake(body, r.identity)
		if err != nil {
			return protocolError(err)
		}
		r.handshook = true
		r.out = appendCommand(nil, body)
		return nil
	}
	r.out, r.bodyLeft = r.hdr[:hlen], size
	return nil
}

// unexpected turns the end of the stream within a frame header or a held
// command into io.ErrUnexpectedEOF, as io.ReadFull does.
func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// appendCommand appends a command frame with body to dst.
func appendCommand(dst, body []byte) []byte {
	if len(body) > 255 {
		dst = append(dst, flagCommand|flagLong)
		dst = binary.BigEndian.AppendUint64(dst, uint64(len(body)))
	} else {
		dst = append(dst, flagCommand, byte(len(body)))
	}
	return append(dst, body...)
}

// checkHandshake checks a handshake command: its name, and for READY its
// properties, so that zmq4 (which indexes them unchecked) cannot panic. It
// returns the body to pass on, with the Identity property replaced by
// identity(value) when identity is not nil and the value is not empty.
func checkHandshake(body []byte, identity func([]byte) []byte) ([]byte, error) {
	if len(body) == 0 || int(body[0]) > len(body)-1 || body[0] == 0 {
		return nil, fmt.Errorf("%w: bad command name", ErrBadCommand)
	}
	name := body[1 : 1+int(body[0])]
	if string(name) != "READY" {
		return body, nil
	}
	props := body[1+len(name):]
	idAt, idLen := -1, 0 // the Identity value zmq4 will use: the last one
	for i := 0; i < len(props); {
		klen := int(props[i])
		i++
		if klen == 0 || len(props)-i < klen+4 {
			return nil, fmt.Errorf("%w: READY: truncated property", ErrBadCommand)
		}
		key := props[i : i+klen]
		i += klen
		vlen := uint64(binary.BigEndian.Uint32(props[i : i+4]))
		i += 4
		if uint64(len(props)-i) < vlen {
			return nil, fmt.Errorf("%w: READY: property %q: value of %d bytes, %d left", ErrBadCommand, key, vlen, len(props)-i)
		}
		if isIdentity(key) {
			idAt, idLen = i, int(vlen)
		}
		i += int(vlen)
	}
	if identity == nil || idAt < 0 || idLen == 0 {
		return body, nil
	}
	id := identity(props[idAt : idAt+idLen : idAt+idLen]) // a full slice: appending copies
	if bytes.Equal(id, props[idAt:idAt+idLen]) {
		return body, nil
	}
	// Rebuild with every Identity property set to id.
	out := append([]byte(nil), body[:1+len(name)]...)
	for i := 0; i < len(props); {
		klen := int(props[i])
		key := props[i+1 : i+1+klen]
		vlen := int(binary.BigEndian.Uint32(props[i+1+klen:]))
		val := props[i+1+klen+4 : i+1+klen+4+vlen]
		if isIdentity(key) {
			val = id
		}
		out = append(out, byte(klen))
		out = append(out, key...)
		out = binary.BigEndian.AppendUint32(out, uint32(len(val)))
		out = append(out, val...)
		i += 1 + klen + 4 + vlen
	}
	return out, nil
}

// isIdentity reports whether a property name is the one zmq4 reads as the
// routing identity (it title-cases the first letter only).
func isIdentity(key []byte) bool {
	return len(key) == 8 && (key[0] == 'i' || key[0] == 'I') && string(key[1:]) == "dentity"
}
