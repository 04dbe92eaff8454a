package zmtp

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/go-zeromq/zmq4"
)

func concat(b ...[]byte) []byte { return bytes.Join(b, nil) }

func TestFrameReader(t *testing.T) {
	hello := concat(greeting(), ready(property("Socket-Type", "DEALER"), property("Identity", "id")))
	for _, tc := range []struct {
		name string
		in   []byte
		err  error // nil: the stream passes unchanged to its end
	}{
		{"handshake and messages", concat(hello, frame(true, "a"), frame(false, ""), frame(false, strings.Repeat("b", 300)), appendCommand(nil, []byte("\x04PING"))), nil},
		{"empty", nil, nil},
		{"greeting cut", greeting()[:10], io.ErrUnexpectedEOF},
		{"header cut", concat(hello, []byte{flagLong, 0, 0}), io.ErrUnexpectedEOF},
		{"body cut", concat(hello, frame(false, "abc")[:3]), nil}, // the caller sees the short body
		{"frame too large", concat(hello, longHeader(0, 1001)), ErrFrameTooLarge},
		{"message too large", concat(hello, frame(true, strings.Repeat("x", 500)), frame(false, strings.Repeat("x", 450))), ErrMessageTooLarge},
		{"limits reset after a message", concat(hello, frame(false, strings.Repeat("x", 900)), frame(false, strings.Repeat("x", 900))), nil},
		{"handshake command too large", concat(greeting(), longHeader(flagCommand, maxHandshakeCommand+1)), ErrFrameTooLarge},
		{"bad greeting", concat([]byte{0xff}, make([]byte, 63)), ErrBadGreeting},
		{"ERROR command", concat(greeting(), appendCommand(nil, []byte("\x05ERROR\x03bad"))), nil},
		{"empty command", concat(greeting(), appendCommand(nil, nil)), ErrBadCommand},
		{"zero-length property name", concat(greeting(), appendCommand(nil, []byte("\x05READY\x00\x00\x00\x00\x00"))), ErrBadCommand},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newFrameReader(bytes.NewReader(tc.in), 1000, nil)
			var out bytes.Buffer
			_, err := io.CopyBuffer(&out, r, make([]byte, 7)) // small reads cross every boundary
			if !errors.Is(err, tc.err) {
				t.Fatalf("err %v, want %v", err, tc.err)
			}
			if tc.err == nil && !bytes.Equal(out.Bytes(), tc.in) {
				t.Errorf("the stream changed:\n got %q\nwant %q", out.Bytes(), tc.in)
			}
			var e *Error
			if tc.err != nil && tc.err != io.ErrUnexpectedEOF && !errors.As(err, &e) {
				t.Errorf("%T is not an *Error", err)
			}
		})
	}
}

func TestCheckHandshakeIdentity(t *testing.T) {
	suffix := func(id []byte) []byte { return append(id, "/2"...) }
	for _, tc := range []struct {
		name     string
		body, to []byte
	}{
		{"rewritten", ready(property("Socket-Type", "DEALER"), property("Identity", "s"))[2:],
			ready(property("Socket-Type", "DEALER"), property("Identity", "s/2"))[2:]},
		{"lower case", ready(property("identity", "s"))[2:], ready(property("identity", "s/2"))[2:]},
		{"not an identity", ready(property("IDENTITY", "s"))[2:], ready(property("IDENTITY", "s"))[2:]},
		{"empty identity kept", ready(property("Identity", ""))[2:], ready(property("Identity", ""))[2:]},
		{"no identity", ready(property("Socket-Type", "SUB"))[2:], ready(property("Socket-Type", "SUB"))[2:]},
		{"all copies, from the last", ready(property("Identity", "a"), property("Identity", "b"))[2:],
			ready(property("Identity", "b/2"), property("Identity", "b/2"))[2:]},
	} {
		got, err := checkHandshake(tc.body, suffix)
		if err != nil || !bytes.Equal(got, tc.to) {
			t.Errorf("%s: %q, %v; want %q", tc.name, got, err, tc.to)
		}
	}
}

func TestTracker(t *testing.T) {
	tr := newFrameTracker()
	for i, step := range []struct {
		in  []byte
		end bool
	}{
		{greeting()[:10], false},
		{greeting()[10:], true},
		{[]byte{flagCommand}, false},
		{[]byte{3}, false},
		{[]byte("abc"), true},
		{frame(true, "x"), false},
		{[]byte{flagLong}, false},
		{binary.BigEndian.AppendUint64(nil, 300), false},
		{bytes.Repeat([]byte("y"), 299), false},
		{[]byte("y"), true},
		{concat(frame(true, ""), frame(false, "")), true},
	} {
		if got := tr.advance(step.in); got != step.end {
			t.Fatalf("step %d: boundary %v, want %v", i, got, step.end)
		}
	}
}

// refFrames checks a ZMTP stream independently of frameReader: every frame
// it declares is at most max bytes.
func refFrames(t *testing.T, b []byte, max uint64) {
	if len(b) < greetingLen {
		return
	}
	b = b[greetingLen:]
	for len(b) >= 2 {
		size, h := uint64(b[1]), 2
		if b[0]&flagLong != 0 {
			if len(b) < 9 {
				return
			}
			size, h = binary.BigEndian.Uint64(b[1:9]), 9
		}
		if size > max {
			t.Fatalf("a frame of %d bytes passed", size)
		}
		if uint64(len(b)-h) < size {
			return
		}
		b = b[h+int(size):]
	}
}

func FuzzFrameReader(f *testing.F) {
	hello := concat(greeting(), ready(property("Socket-Type", "ROUTER"), property("Identity", "x")))
	f.Add(concat(hello, frame(true, "a"), frame(false, "b")))
	f.Add(concat(hello, longHeader(0, 1<<40)))
	f.Add(concat(greeting(), appendCommand(nil, []byte("\x05READY\x08Identity"))))
	f.Add(concat(hello, frame(true, strings.Repeat("c", 300)), frame(false, "")))
	f.Add(greeting())
	f.Fuzz(func(t *testing.T, in []byte) {
		const max = 512
		for _, id := range []func([]byte) []byte{nil, func(b []byte) []byte { return append(b, "/2"...) }} {
			r := newFrameReader(bytes.NewReader(in), max, id)
			var out bytes.Buffer
			_, err := io.CopyBuffer(&out, r, make([]byte, 5))
			refFrames(t, out.Bytes(), max)
			if err == nil && id == nil && !bytes.Equal(out.Bytes(), in) {
				t.Fatalf("a valid stream changed")
			}
		}
	})
}

// FuzzHandshake checks that whatever READY the guard passes on, zmq4 can
// take apart without panicking.
func FuzzHandshake(f *testing.F) {
	f.Add(ready(property("Socket-Type", "DEALER"), property("Identity", "s"))[2:])
	f.Add([]byte("\x05READY\x08Identity"))
	f.Add([]byte("\x05READY\x01a\x00\x00\x00\x05abc"))
	f.Fuzz(func(t *testing.T, body []byte) {
		got, err := checkHandshake(body, func(b []byte) []byte { return append(b, "/2"...) })
		if err != nil {
			return
		}
		// zmq4's handshake reads the properties of a READY this way.
		if len(got) > 6 && string(got[:6]) == "\x05READY" {
			md := make(zmq4.Metadata)
			if err := md.UnmarshalZMTP(got[6:]); err != nil {
				t.Fatalf("zmq4 refuses what the guard passed: %v", err)
			}
		}
	})
}
