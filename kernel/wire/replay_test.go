package wire

import (
	"bytes"
	"fmt"
	"testing"
)

func TestReplays(t *testing.T) {
	r := NewReplays(3)
	sig := func(i int) []byte { return []byte(fmt.Sprintf("sig%d", i)) }
	for i, tc := range []struct {
		sig  []byte
		seen bool
	}{
		{sig(1), false}, {sig(1), true}, {sig(2), false}, {sig(3), false}, {sig(1), true},
		{sig(4), false}, // sig1 falls out
		{sig(1), false}, {sig(2), false}, {sig(4), true},
		{nil, false}, {nil, false},
	} {
		if got := r.Seen(tc.sig); got != tc.seen {
			t.Errorf("step %d: Seen(%q) = %v", i, tc.sig, got)
		}
	}
	if len(r.seen) != 3 || len(r.ring) != 3 {
		t.Errorf("%d remembered, ring %d", len(r.seen), len(r.ring))
	}
	off := NewReplays(0)
	if off.Seen(sig(1)) || off.Seen(sig(1)) {
		t.Error("a Replays of size 0 remembered")
	}
}

// TestDecodeSignature checks that Decode reports the HMAC it checked, the
// same for the hex in upper case (which it accepts too).
func TestDecodeSignature(t *testing.T) {
	key := []byte("k")
	m, _ := NewMessage("execute_request", "s", "u", nil, map[string]any{"code": "1"})
	frames, _ := Encode(m, key)
	a, err := Decode(frames, key)
	if err != nil || len(a.Signature) != 32 {
		t.Fatalf("%v, signature %x", err, a.Signature)
	}
	frames[1] = bytes.ToUpper(frames[1])
	b, err := Decode(frames, key)
	if err != nil || !bytes.Equal(a.Signature, b.Signature) {
		t.Errorf("upper case: %v, %x vs %x", err, b.Signature, a.Signature)
	}
	if c, _ := Decode(frames, nil); c.Signature != nil {
		t.Errorf("no key: signature %x", c.Signature)
	}
}
