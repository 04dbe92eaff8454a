package wire

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"time"
)

// ProtocolVersion is the messaging protocol version gotrann speaks.
const ProtocolVersion = "5.3"

// Header is a message header.
type Header struct {
	MsgID    string `json:"msg_id"`
	Session  string `json:"session"`
	Username string `json:"username"`
	Date     string `json:"date"` // ISO-8601
	MsgType  string `json:"msg_type"`
	Version  string `json:"version"`
}

// Message is one Jupyter message. ParentHeader is the raw parent header
// ({} when there is none), Metadata and Content are raw JSON objects.
type Message struct {
	Identities [][]byte
	Header     Header
	// RawHeader is the header exactly as received (set by Decode); replies
	// copy it into their parent_header, keeping fields Header does not know.
	RawHeader    json.RawMessage
	ParentHeader json.RawMessage
	Metadata     json.RawMessage
	Content      json.RawMessage
	Buffers      [][]byte
	// Signature is the HMAC checked by Decode, decoded from hex (so that
	// the same HMAC in upper case is the same Signature); nil when Decode
	// was given no key. Encode ignores it.
	Signature []byte
}

// NewID returns a random message or session id (32 hex digits).
func NewID() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("wire: crypto/rand failed: " + err.Error()) // never happens on supported platforms
	}
	return hex.EncodeToString(b[:])
}

// NewHeader returns a header for a new message of msgType in session.
func NewHeader(msgType, session, username string) Header {
	return Header{
		MsgID:    NewID(),
		Session:  session,
		Username: username,
		Date:     time.Now().UTC().Format("2006-01-02T15:04:05.000000Z"),
		MsgType:  msgType,
		Version:  ProtocolVersion,
	}
}

// NewMessage returns a message of msgType replying to (or caused by) parent,
// with content marshalled from content. parent may be nil. The identities of
// parent are copied, so that a reply on a ROUTER socket reaches its sender.
func NewMessage(msgType, session, username string, parent *Message, content any) (*Message, error) {
	c, err := json.Marshal(content)
	if err != nil {
		return nil, err
	}
	m := &Message{
		Header:       NewHeader(msgType, session, username),
		ParentHeader: json.RawMessage("{}"),
		Metadata:     json.RawMessage("{}"),
		Content:      c,
	}
	if parent != nil {
		h := parent.RawHeader
		if len(h) == 0 {
			if h, err = json.Marshal(parent.Header); err != nil {
				return nil, err
			}
		}
		m.ParentHeader = h
		m.Identities = parent.Identities
	}
	return m, nil
}

// DecodeContent unmarshals the message content into v.
func (m *Message) DecodeContent(v any) error {
	if len(m.Content) == 0 {
		return json.Unmarshal([]byte("{}"), v)
	}
	return json.Unmarshal(m.Content, v)
}
