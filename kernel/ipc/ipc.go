package ipc

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// MaxFrame is the largest frame either side accepts: display data with
// large images fits many times over.
const MaxFrame = 1 << 30

// ErrFrameTooLarge is returned by Recv for a frame longer than MaxFrame.
var ErrFrameTooLarge = errors.New("ipc: frame too large")

// Message types.
const (
	// kernel to worker
	Execute     = "execute"     // ID, Request
	Complete    = "complete"    // ID, Code, Cursor
	Inspect     = "inspect"     // ID, Code, Cursor, Detail
	IsComplete  = "is_complete" // ID, Code
	Restore     = "restore"     // ID, State
	InputReply  = "input_reply" // ID (of the input_request), Text (the line), Error
	Interrupt   = "interrupt"   // ID of the execute to interrupt
	Shutdown    = "shutdown"    // no fields: the worker exits
	Ready       = "ready"       // worker to kernel, once: PID
	Result      = "result"      // ID, Result, State (when it changed), Restart, Switch, Sync
	CompleteRep = "complete_reply"
	InspectRep  = "inspect_reply"
	IsCompRep   = "is_complete_reply"
	Restored    = "restored"      // ID, Notes, Error
	Stream      = "stream"        // ID (execute), Name, Text
	Display     = "display"       // ID (execute), Bundle, DisplayID, Sync
	Update      = "update"        // ID (execute), Bundle, DisplayID, Sync
	Clear       = "clear"         // ID (execute), Wait, Sync
	InputReq    = "input_request" // ID (new, for the reply), Exec (execute ID), Prompt, Password, Sync
	// comms (see engine.Comms)
	CommIn      = "comm"            // kernel to worker: Comm, a message of the front end
	CommOut     = "comm_out"        // worker to kernel: Comm, a message for the front end, Sync
	CommInfo    = "comm_info"       // kernel to worker: ID, Target ("" for all)
	CommInfoRep = "comm_info_reply" // worker to kernel: ID, Comms
)

// Msg is one frame. Which fields are set depends on Type (see the
// constants).
type Msg struct {
	Type string `json:"type"`
	ID   uint64 `json:"id,omitempty"`
	// Exec is the execute request an input_request belongs to.
	Exec uint64 `json:"exec,omitempty"`
	// Sync is the marker number written to stdout and stderr before the
	// message; 0 for none.
	Sync uint64 `json:"sync,omitempty"`

	Request *engine.Request `json:"request,omitempty"`
	Result  *engine.Result  `json:"result,omitempty"`
	// State is the session's state for a replay (opaque to the kernel).
	State json.RawMessage `json:"state,omitempty"`
	// Restart asks the kernel to replace the worker after this result
	// (the cell broke something the process cannot repair).
	Restart bool `json:"restart,omitempty"`
	// Switch asks the kernel to replace the worker with the worker
	// command line Switch, replay the session into it and run the request
	// again there (a cell imported a package compiled into that worker).
	Switch []string `json:"switch,omitempty"`

	Code    string   `json:"code,omitempty"`
	Cursor  int      `json:"cursor,omitempty"`
	Detail  int      `json:"detail,omitempty"`
	Matches []string `json:"matches,omitempty"`
	Start   int      `json:"start,omitempty"`
	End     int      `json:"end,omitempty"`

	Data   map[string]any `json:"data,omitempty"` // inspect_reply
	Found  bool           `json:"found,omitempty"`
	Status string         `json:"status,omitempty"` // is_complete_reply
	Indent string         `json:"indent,omitempty"`

	Name      string         `json:"name,omitempty"` // stream name
	Text      string         `json:"text,omitempty"` // stream text, input line
	Bundle    *engine.Bundle `json:"bundle,omitempty"`
	DisplayID string         `json:"display_id,omitempty"`
	Wait      bool           `json:"wait,omitempty"`
	Prompt    string         `json:"prompt,omitempty"`
	Password  bool           `json:"password,omitempty"`

	Notes []string `json:"notes,omitempty"`
	Error string   `json:"error,omitempty"`
	EOF   bool     `json:"eof,omitempty"` // input_reply: end of input
	PID   int      `json:"pid,omitempty"`

	Comm   *engine.Comm      `json:"comm,omitempty"`
	Target string            `json:"target,omitempty"` // comm_info
	Comms  map[string]string `json:"comms,omitempty"`  // comm_info_reply: comm_id -> target_name
}

// Conn reads and writes frames. Send is safe for concurrent use; Recv is
// for one reader.
type Conn struct {
	r   *bufio.Reader
	wmu sync.Mutex
	w   io.Writer
	buf []byte
}

// NewConn returns a Conn reading frames from r and writing them to w.
func NewConn(r io.Reader, w io.Writer) *Conn {
	return &Conn{r: bufio.NewReaderSize(r, 64<<10), w: w}
}

// Send writes m as one frame.
func (c *Conn) Send(m *Msg) error {
	b, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("ipc: encode %s: %w", m.Type, err)
	}
	if len(b) > MaxFrame {
		return fmt.Errorf("ipc: %s: %w (%d bytes)", m.Type, ErrFrameTooLarge, len(b))
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	var hdr [4]byte
	binary.BigEndian.PutUint32(hdr[:], uint32(len(b)))
	if _, err := c.w.Write(append(hdr[:], b...)); err != nil {
		return fmt.Errorf("ipc: send %s: %w", m.Type, err)
	}
	return nil
}

// Recv reads the next frame. It returns io.EOF when the peer closed the
// connection between frames.
func (c *Conn) Recv() (*Msg, error) {
	var hdr [4]byte
	if _, err := io.ReadFull(c.r, hdr[:]); err != nil {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			return nil, fmt.Errorf("ipc: truncated frame header: %w", err)
		}
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > MaxFrame {
		return nil, fmt.Errorf("%w: %d bytes", ErrFrameTooLarge, n)
	}
	// grow in steps, so that a lying header costs no more than the bytes
	// that actually arrive
	b := c.buf[:0]
	for uint32(len(b)) < n {
		step := min(int(n)-len(b), 1<<20)
		if cap(b)-len(b) < step {
			nb := make([]byte, len(b), len(b)+step+len(b)/2)
			copy(nb, b)
			b = nb
		}
		k, err := io.ReadFull(c.r, b[len(b):len(b)+step])
		b = b[:len(b)+k]
		if err != nil {
			return nil, fmt.Errorf("ipc: truncated frame: %w", err)
		}
	}
	if cap(b) <= 1<<20 {
		c.buf = b
	}
	m := new(Msg)
	if err := json.Unmarshal(b, m); err != nil {
		return nil, fmt.Errorf("ipc: bad frame: %w", err)
	}
	if m.Type == "" {
		return nil, errors.New("ipc: bad frame: no type")
	}
	return m, nil
}
