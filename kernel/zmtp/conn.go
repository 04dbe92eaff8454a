package zmtp

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// maxCoalesce is the most a Conn buffers before it writes; a larger write
// goes out at once (with the buffered bytes, in one writev).
const maxCoalesce = 64 << 10

// writeChunk is the most written under one deadline.
const writeChunk = 1 << 20

// Conn is a guarded ZMTP connection: the net.Conn the zmtp transports give
// zmq4. See the package documentation for what it checks.
type Conn struct {
	net.Conn // the raw connection
	opts     Options
	peer     string // for log lines

	r *frameReader

	wmu   sync.Mutex
	track frameTracker
	wbuf  []byte
	werr  error // sticky: the connection is unusable

	established atomic.Bool // the handshake was read and zmq4 came back for more
	timer       *time.Timer // closes the connection if the handshake stalls

	ids       *identities // the listener's, nil for a dialed connection
	idMu      sync.Mutex
	id        string // the identity claimed in ids
	claimed   bool
	closed    bool
	closeOnce sync.Once
	closeErr  error
}

func newConn(raw net.Conn, opts Options, ids *identities, peer string) *Conn {
	c := &Conn{Conn: raw, opts: opts, ids: ids, track: newFrameTracker(), peer: peer}
	var identity func([]byte) []byte
	if ids != nil {
		identity = c.claim
	}
	c.r = newFrameReader(bufio.NewReaderSize(raw, 32<<10), uint64(opts.MaxFrameSize), identity)
	if opts.HandshakeTimeout > 0 {
		c.timer = time.AfterFunc(opts.HandshakeTimeout, c.handshakeExpired)
	}
	return c
}

func addrString(a net.Addr) string {
	if a == nil || a.String() == "" {
		return "?"
	}
	return a.String()
}

// claim registers the peer's identity with the listener and returns the
// unique identity zmq4 will route by.
func (c *Conn) claim(id []byte) []byte {
	c.idMu.Lock()
	defer c.idMu.Unlock()
	if c.closed {
		return id
	}
	got := c.ids.claim(string(id))
	c.id, c.claimed = got, true
	if got != string(id) {
		c.logf("identity %q is already connected; routing this connection as %q", id, got)
	}
	return []byte(got)
}

func (c *Conn) logf(format string, args ...any) {
	if c.opts.Logger != nil {
		c.opts.Logger.Printf("zmtp: %s: "+format, append([]any{c.peer}, args...)...)
	}
}

func (c *Conn) handshakeExpired() {
	if c.established.Load() {
		return
	}
	err := &Error{Op: "handshake", Err: ErrHandshakeTimeout}
	c.logf("dropping the connection: %v (%v)", err, c.opts.HandshakeTimeout)
	c.fail(err)
}

// fail records err as the write error and closes the connection.
func (c *Conn) fail(err error) {
	c.wmu.Lock()
	if c.werr == nil {
		c.werr = err
	}
	c.wmu.Unlock()
	c.Close()
}

// Read reads the peer's stream, checked. A protocol fault closes the
// connection and returns an *Error.
func (c *Conn) Read(p []byte) (int, error) {
	if !c.established.Load() && c.r.idle() {
		// zmq4 has read the handshake and reads on: it took the connection.
		c.established.Store(true)
		if c.timer != nil {
			c.timer.Stop()
		}
	}
	n, err := c.r.Read(p)
	if err != nil {
		var e *Error
		if errors.As(err, &e) {
			c.logf("dropping the connection: %v", err)
			c.fail(err)
		}
	}
	return n, err
}

// Write buffers p up to the end of the message it belongs to, then writes
// the message with a deadline. A peer that does not take it in time is
// dropped: the connection is closed and the error is an *Error.
func (c *Conn) Write(p []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if c.werr != nil {
		return 0, c.werr
	}
	end := c.track.advance(p)
	if len(c.wbuf)+len(p) <= maxCoalesce {
		c.wbuf = append(c.wbuf, p...)
		if !end {
			return len(p), nil
		}
		if err := c.flush(nil); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	if err := c.flush(p); err != nil {
		return 0, err
	}
	return len(p), nil
}

// flush writes the buffer, then extra, with c.wmu held. Each write of up
// to writeChunk bytes gets its own deadline, so that a slow peer that keeps
// taking data is not dropped in the middle of a large message.
func (c *Conn) flush(extra []byte) error {
	for len(c.wbuf) > 0 || len(extra) > 0 {
		if c.opts.WriteTimeout > 0 {
			if err := c.Conn.SetWriteDeadline(time.Now().Add(c.opts.WriteTimeout)); err != nil {
				return c.writeFailed(err)
			}
		}
		n := min(len(extra), max(writeChunk-len(c.wbuf), 0))
		var err error
		switch {
		case n == 0:
			_, err = c.Conn.Write(c.wbuf)
		case len(c.wbuf) == 0:
			_, err = c.Conn.Write(extra[:n])
		default:
			bufs := net.Buffers{c.wbuf, extra[:n]}
			_, err = bufs.WriteTo(c.Conn)
		}
		c.wbuf, extra = c.wbuf[:0], extra[n:]
		if err != nil {
			return c.writeFailed(err)
		}
	}
	return nil
}

// writeFailed makes err sticky, closes the connection (part of a message
// may have gone out) and returns the error zmq4 should see.
func (c *Conn) writeFailed(err error) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		err = &Error{Op: "write", Err: fmt.Errorf("%w (%v)", ErrWriteTimeout, c.opts.WriteTimeout)}
		c.logf("dropping the connection: %v", err)
	}
	c.werr = err
	c.Conn.Close()
	return err
}

// Close closes the connection and frees its identity.
func (c *Conn) Close() error {
	c.closeOnce.Do(func() {
		if c.timer != nil {
			c.timer.Stop()
		}
		c.closeErr = c.Conn.Close()
		c.idMu.Lock()
		c.closed = true
		if c.claimed {
			c.ids.release(c.id)
		}
		c.idMu.Unlock()
	})
	return c.closeErr
}

// identities are the routing identities of a listener's live connections.
type identities struct {
	mu   sync.Mutex
	live map[string]struct{}
}

func newIdentities() *identities { return &identities{live: make(map[string]struct{})} }

// claim returns id, or id with "/2", "/3", … appended when id is taken,
// and marks the result taken.
func (ids *identities) claim(id string) string {
	ids.mu.Lock()
	defer ids.mu.Unlock()
	got := id
	for n := 2; ; n++ {
		if _, taken := ids.live[got]; !taken {
			break
		}
		got = fmt.Sprintf("%s/%d", id, n)
	}
	ids.live[got] = struct{}{}
	return got
}

func (ids *identities) release(id string) {
	ids.mu.Lock()
	delete(ids.live, id)
	ids.mu.Unlock()
}
