package ipc

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/kernel/engine"
)

func TestConnRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	c := NewConn(&buf, &buf)
	msgs := []*Msg{
		{Type: Execute, ID: 1, Request: &engine.Request{Code: "1+1", StoreHistory: true}},
		{Type: Result, ID: 1, Sync: 3, Result: &engine.Result{Value: &engine.Bundle{Data: map[string]any{"text/plain": "2"}}}},
		{Type: Stream, ID: 1, Name: "stderr", Text: strings.Repeat("x", 3<<20)},
	}
	for _, m := range msgs {
		if err := c.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	for _, want := range msgs {
		got, err := c.Recv()
		if err != nil {
			t.Fatal(err)
		}
		if got.Type != want.Type || got.ID != want.ID || got.Sync != want.Sync || len(got.Text) != len(want.Text) {
			t.Errorf("got %+v, want %+v", got.Type, want.Type)
		}
	}
	if _, err := c.Recv(); err != io.EOF {
		t.Errorf("at the end: %v, want io.EOF", err)
	}
}

func TestRecvBadFrames(t *testing.T) {
	huge := make([]byte, 4)
	binary.BigEndian.PutUint32(huge, MaxFrame+1)
	short := make([]byte, 4)
	binary.BigEndian.PutUint32(short, 1000)
	for name, in := range map[string][]byte{
		"too large":    huge,
		"truncated":    append(short, "{}"...),
		"half header":  {0, 0},
		"not json":     append([]byte{0, 0, 0, 3}, "abc"...),
		"missing type": append([]byte{0, 0, 0, 2}, "{}"...),
	} {
		c := NewConn(bytes.NewReader(in), io.Discard)
		if _, err := c.Recv(); err == nil || err == io.EOF {
			t.Errorf("%s: err = %v, want an error", name, err)
		}
	}
	c := NewConn(bytes.NewReader(huge), io.Discard)
	if _, err := c.Recv(); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("too large: %v", err)
	}
}

// A lying length costs no more memory than the bytes that arrive.
func TestRecvLyingLengthAllocatesLittle(t *testing.T) {
	hdr := make([]byte, 4)
	binary.BigEndian.PutUint32(hdr, MaxFrame)
	var ms1, ms2 runtimeMem
	ms1.read()
	c := NewConn(bytes.NewReader(append(hdr, "{}"...)), io.Discard)
	c.Recv()
	ms2.read()
	if d := ms2.total - ms1.total; d > 16<<20 {
		t.Errorf("a 1 GiB header with 2 bytes behind it allocated %d bytes", d)
	}
}

// flat joins pieces' text and returns the highest mark.
func flat(ps []Piece) ([]byte, uint64) {
	var b []byte
	var m uint64
	for _, p := range ps {
		b = append(b, p.Text...)
		m = max(m, p.Mark)
	}
	return b, m
}

func TestStripperPieces(t *testing.T) {
	s := NewStripper("n")
	ps := s.Feed([]byte("a" + string(SyncMarker("n", 1)) + "b" + string(SyncMarker("n", 2)) + "c"))
	want := []Piece{{Text: []byte("a"), Mark: 1}, {Text: []byte("b"), Mark: 2}, {Text: []byte("c")}}
	if len(ps) != len(want) {
		t.Fatalf("pieces %q", ps)
	}
	for i := range ps {
		if string(ps[i].Text) != string(want[i].Text) || ps[i].Mark != want[i].Mark {
			t.Errorf("piece %d = %q %d, want %q %d", i, ps[i].Text, ps[i].Mark, want[i].Text, want[i].Mark)
		}
	}
}

func TestStripper(t *testing.T) {
	nonce := "n0nce"
	m := func(n uint64) string { return string(SyncMarker(nonce, n)) }
	in := "hello " + m(1) + "world\n" + m(2) + "\x00gotrann-sync:other:3\x00" + "tail" + m(7)
	want := "hello world\n\x00gotrann-sync:other:3\x00tail"
	// every split point into two reads, and byte by byte
	for split := 0; split <= len(in); split++ {
		s := NewStripper(nonce)
		a, s1 := flat(s.Feed([]byte(in[:split])))
		b, s2 := flat(s.Feed([]byte(in[split:])))
		got := string(a) + string(b) + string(s.Flush())
		if got != want {
			t.Fatalf("split %d: got %q, want %q", split, got, want)
		}
		if max(s1, s2) != 7 {
			t.Fatalf("split %d: seen %d, %d, want 7", split, s1, s2)
		}
	}
	s := NewStripper(nonce)
	var got []byte
	var seen uint64
	for i := range len(in) {
		out, n := flat(s.Feed([]byte{in[i]}))
		got = append(got, out...)
		seen = max(seen, n)
	}
	if string(got) != want || seen != 7 {
		t.Fatalf("byte by byte: %q, %d", got, seen)
	}
	// a prefix never followed by a NUL is text, not held forever
	s = NewStripper(nonce)
	junk := "\x00gotrann-sync:" + nonce + ":" + strings.Repeat("9", 100)
	out, _ := flat(s.Feed([]byte(junk)))
	if string(out)+string(s.Flush()) != junk || len(s.held) != 0 {
		t.Fatalf("junk: %q held %q", out, s.held)
	}
}

func FuzzStripper(f *testing.F) {
	f.Add([]byte("plain"), 3)
	f.Add(SyncMarker("z", 12), 5)
	f.Add(append([]byte("a\x00gotrann-sync:z:"), "1\x00b"...), 1)
	f.Fuzz(func(t *testing.T, in []byte, split int) {
		if split < 0 || split > len(in) {
			split = len(in) / 2
		}
		s := NewStripper("z")
		a, _ := flat(s.Feed(in[:split]))
		b, _ := flat(s.Feed(in[split:]))
		all := append(append(a, b...), s.Flush()...)
		one := NewStripper("z")
		c, _ := flat(one.Feed(in))
		c = append(c, one.Flush()...)
		if !bytes.Equal(all, c) {
			t.Fatalf("split changes the result: %q vs %q", all, c)
		}
		if len(all) > len(in) {
			t.Fatalf("output longer than input")
		}
	})
}

func FuzzRecv(f *testing.F) {
	var buf bytes.Buffer
	NewConn(nil, &buf).Send(&Msg{Type: Execute, ID: 1, Request: &engine.Request{Code: "x"}})
	f.Add(buf.Bytes())
	f.Add([]byte{0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, in []byte) {
		c := NewConn(bytes.NewReader(in), io.Discard)
		for {
			if _, err := c.Recv(); err != nil {
				return
			}
		}
	})
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"0": 0, "none": 0, "123": 123, "4GiB": 4 << 30, "512 MiB": 512 << 20, "8G": 8 << 30, "1kb": 1024, "2T": 2 << 40,
	} {
		got, err := ParseSize(in)
		if err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
		if want > 0 {
			if back, _ := ParseSize(FormatSize(want)); back != want {
				t.Errorf("FormatSize(%d) = %q does not parse back", want, FormatSize(want))
			}
		}
	}
	for _, in := range []string{"", "-1", "4XB", "1.5G", "99999999999T"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q): no error", in)
		}
	}
}
