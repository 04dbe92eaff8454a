package wire

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
)

// Delimiter separates the routing identities from the message proper.
const Delimiter = "<IDS|MSG>"

// Errors returned by Decode; test them with errors.Is.
var (
	ErrNoDelimiter  = errors.New("wire: no <IDS|MSG> delimiter")
	ErrShortMessage = errors.New("wire: too few frames after the delimiter")
	ErrBadSignature = errors.New("wire: bad signature")
	ErrMalformed    = errors.New("wire: malformed message")
)

// Sign returns the hex HMAC-SHA256 of the four dictionaries under key, or ""
// when key is empty.
func Sign(key []byte, header, parent, metadata, content []byte) string {
	if len(key) == 0 {
		return ""
	}
	return hex.EncodeToString(mac(key, header, parent, metadata, content))
}

func mac(key []byte, parts ...[]byte) []byte {
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		h.Write(p)
	}
	return h.Sum(nil)
}

// Encode returns the frames of m signed with key. Nil ParentHeader,
// Metadata or Content are sent as {}.
func Encode(m *Message, key []byte) ([][]byte, error) {
	header, err := json.Marshal(m.Header)
	if err != nil {
		return nil, fmt.Errorf("wire: header: %w", err)
	}
	parent := orEmpty(m.ParentHeader)
	metadata := orEmpty(m.Metadata)
	content := orEmpty(m.Content)
	frames := make([][]byte, 0, len(m.Identities)+6+len(m.Buffers))
	frames = append(frames, m.Identities...)
	frames = append(frames, []byte(Delimiter), []byte(Sign(key, header, parent, metadata, content)),
		header, parent, metadata, content)
	frames = append(frames, m.Buffers...)
	return frames, nil
}

func orEmpty(b json.RawMessage) []byte {
	if len(b) == 0 {
		return []byte("{}")
	}
	return b
}

// Decode parses frames, checking the signature when key is not empty.
// It returns an error wrapping ErrNoDelimiter, ErrShortMessage,
// ErrBadSignature or ErrMalformed; it never panics.
func Decode(frames [][]byte, key []byte) (*Message, error) {
	d := -1
	for i, f := range frames {
		if string(f) == Delimiter {
			d = i
			break
		}
	}
	if d < 0 {
		return nil, ErrNoDelimiter
	}
	if len(frames)-d-1 < 5 {
		return nil, fmt.Errorf("%w: %d, want at least 5", ErrShortMessage, len(frames)-d-1)
	}
	sig, header, parent, metadata, content := frames[d+1], frames[d+2], frames[d+3], frames[d+4], frames[d+5]
	var got []byte
	if len(key) > 0 {
		got = make([]byte, hex.DecodedLen(len(sig)))
		n, err := hex.Decode(got, sig)
		if err != nil || !hmac.Equal(got[:n], mac(key, header, parent, metadata, content)) {
			return nil, ErrBadSignature
		}
		got = got[:n]
	}
	m := &Message{
		Signature:    got,
		Identities:   frames[:d],
		RawHeader:    json.RawMessage(header),
		ParentHeader: json.RawMessage(parent),
		Metadata:     json.RawMessage(metadata),
		Content:      json.RawMessage(content),
	}
	if len(frames) > d+6 {
		m.Buffers = frames[d+6:]
	}
	if err := json.Unmarshal(header, &m.Header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrMalformed, err)
	}
	if m.Header.MsgType == "" || m.Header.MsgID == "" {
		return nil, fmt.Errorf("%w: header without msg_type or msg_id", ErrMalformed)
	}
	for _, p := range []struct {
		name string
		b    []byte
	}{{"parent_header", parent}, {"metadata", metadata}, {"content", content}} {
		if !isObject(p.b) {
			return nil, fmt.Errorf("%w: %s is not a JSON object", ErrMalformed, p.name)
		}
	}
	return m, nil
}

// isObject reports whether b is a valid JSON object.
func isObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}
