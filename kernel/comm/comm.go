package comm

import (
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// Comm is one open comm. Its methods are safe for concurrent use.
type Comm struct {
	id, target string
	m          *Manager

	mu        sync.Mutex
	onMsg     func(data map[string]any)
	onMessage func(msg Message)
	onClose   func(data map[string]any)
	isClosed  bool
}

// ID returns the comm's id.
func (c *Comm) ID() string { return c.id }

// Target returns the comm's target name.
func (c *Comm) Target() string { return c.target }

// Open sends the comm_open of a comm made with NewComm.
func (c *Comm) Open(data, metadata map[string]any, buffers [][]byte) {
	c.m.send(engine.Comm{Type: engine.CommOpen, CommID: c.id, TargetName: c.target, Data: orEmpty(data), Metadata: metadata, Buffers: buffers})
}

// Send sends data to the front end (comm_msg). It does nothing on a closed
// comm.
func (c *Comm) Send(data map[string]any) { c.SendWith(data, nil, nil) }

// SendWith sends data, metadata and binary buffers to the front end.
func (c *Comm) SendWith(data, metadata map[string]any, buffers [][]byte) {
	if c.Closed() {
		return
	}
	c.m.send(engine.Comm{Type: engine.CommMsg, CommID: c.id, Data: orEmpty(data), Metadata: metadata, Buffers: buffers})
}

// OnMsg sets the callback for the front end's messages on this comm.
func (c *Comm) OnMsg(f func(data map[string]any)) {
	c.mu.Lock()
	c.onMsg = f
	c.mu.Unlock()
}

// OnMessage sets a callback that also receives the messages' metadata and
// buffers. It runs before the OnMsg callback when both are set.
func (c *Comm) OnMessage(f func(msg Message)) {
	c.mu.Lock()
	c.onMessage = f
	c.mu.Unlock()
}

// OnClose sets the callback for the front end closing this comm.
func (c *Comm) OnClose(f func(data map[string]any)) {
	c.mu.Lock()
	c.onClose = f
	c.mu.Unlock()
}

// Closed reports whether the comm was closed by either side.
func (c *Comm) Closed() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.isClosed
}

// Close closes the comm, sending data with the comm_close. Closing a
// closed comm does nothing.
func (c *Comm) Close(data map[string]any) {
	c.mu.Lock()
	was := c.isClosed
	c.isClosed = true
	c.mu.Unlock()
	if was {
		return
	}
	c.m.forget(c.id)
	c.m.send(engine.Comm{Type: engine.CommClose, CommID: c.id, Data: orEmpty(data)})
}

// closed handles the front end's comm_close.
func (c *Comm) closed(data map[string]any) {
	c.mu.Lock()
	was := c.isClosed
	c.isClosed = true
	f := c.onClose
	c.mu.Unlock()
	c.m.forget(c.id)
	if !was && f != nil {
		c.m.call("comm_close "+c.target, func() { f(data) })
	}
}

func (m *Manager) forget(id string) {
	m.mu.Lock()
	delete(m.comms, id)
	m.mu.Unlock()
}
