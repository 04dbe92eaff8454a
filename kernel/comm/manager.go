package comm

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"reflect"
	"sort"
	"sync"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// Message is one comm message as a callback receives it.
type Message struct {
	Data     map[string]any
	Metadata map[string]any
	Buffers  [][]byte
}

// OpenHandler is called when the front end opens a comm with a registered
// target; data is the comm_open's data. It usually sets the comm's
// callbacks (OnMsg, OnClose).
type OpenHandler func(c *Comm, data map[string]any)

// Manager holds the open comms and the registered targets of one kernel
// connection. Its methods are safe for concurrent use.
type Manager struct {
	mu      sync.Mutex
	sink    engine.CommSink
	comms   map[string]*Comm
	targets map[string]OpenHandler
	onPanic func(err error)

	qmu     sync.Mutex
	qcond   *sync.Cond
	queue   []engine.Comm
	running bool // the delivery goroutine is handling a message
}

// NewManager returns a Manager without a sink: messages sent before
// SetSink are dropped.
func NewManager() *Manager {
	m := &Manager{comms: map[string]*Comm{}, targets: map[string]OpenHandler{}}
	m.qcond = sync.NewCond(&m.qmu)
	return m
}

var (
	stdOnce sync.Once
	std     *Manager
)

// Default returns the Manager of this process: in the kernel's worker the
// session connects it to the front end; elsewhere it has no sink and
// messages sent on it are dropped.
func Default() *Manager {
	stdOnce.Do(func() { std = NewManager() })
	return std
}

// SetSink sets where the Manager's messages go.
func (m *Manager) SetSink(s engine.CommSink) {
	m.mu.Lock()
	m.sink = s
	m.mu.Unlock()
}

// SetPanicHandler sets the function told of a callback that panicked; nil
// (the default) writes to os.Stderr.
func (m *Manager) SetPanicHandler(f func(err error)) {
	m.mu.Lock()
	m.onPanic = f
	m.mu.Unlock()
}

func (m *Manager) send(c engine.Comm) {
	m.mu.Lock()
	s := m.sink
	m.mu.Unlock()
	if s != nil {
		s.Comm(c)
	}
}

// NewID returns a new random comm id (32 hex digits, like a UUID).
func NewID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Open opens a comm to target on the front end with data.
func (m *Manager) Open(target string, data map[string]any) *Comm {
	return m.OpenWith(target, data, nil, nil)
}

// OpenWith opens a comm to target with data, metadata and binary buffers.
func (m *Manager) OpenWith(target string, data, metadata map[string]any, buffers [][]byte) *Comm {
	c := m.NewComm(target)
	c.Open(data, metadata, buffers)
	return c
}

// NewComm registers a comm to target without opening it in the front end:
// set its callbacks, then call Open, so that no message of the front end
// can arrive before the callbacks are set.
func (m *Manager) NewComm(target string) *Comm { return m.newComm(NewID(), target) }

func (m *Manager) newComm(id, target string) *Comm {
	c := &Comm{id: id, target: target, m: m}
	m.mu.Lock()
	m.comms[id] = c
	m.mu.Unlock()
	return c
}

// RegisterTarget registers f for the comms the front end opens to target,
// replacing an earlier registration.
func (m *Manager) RegisterTarget(target string, f OpenHandler) {
	m.mu.Lock()
	m.targets[target] = f
	m.mu.Unlock()
}

// UnregisterTarget removes the registration of target.
func (m *Manager) UnregisterTarget(target string) {
	m.mu.Lock()
	delete(m.targets, target)
	m.mu.Unlock()
}

// Lookup returns the open comm with id, nil if none.
func (m *Manager) Lookup(id string) *Comm {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.comms[id]
}

// Info returns the open comms (id -> target name), those of target only
// when target is not "".
func (m *Manager) Info(target string) map[string]string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]string{}
	for id, c := range m.comms {
		if target == "" || c.target == target {
			out[id] = c.target
		}
	}
	return out
}

// IDs returns the ids of the open comms, sorted.
func (m *Manager) IDs() []string {
	info := m.Info("")
	ids := make([]string, 0, len(info))
	for id := range info {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Deliver queues a message of the front end; it is handled on the
// Manager's goroutine, after the messages delivered before it. Deliver
// never blocks on a callback.
func (m *Manager) Deliver(msg engine.Comm) {
	m.qmu.Lock()
	m.queue = append(m.queue, msg)
	if len(m.queue) == 1 && !m.running {
		m.running = true
		go m.drain()
	}
	m.qmu.Unlock()
}

// Wait blocks until every message delivered so far has been handled.
func (m *Manager) Wait() {
	m.qmu.Lock()
	for m.running || len(m.queue) > 0 {
		m.qcond.Wait()
	}
	m.qmu.Unlock()
}

func (m *Manager) drain() {
	for {
		m.qmu.Lock()
		if len(m.queue) == 0 {
			m.running = false
			m.qcond.Broadcast()
			m.qmu.Unlock()
			return
		}
		msg := m.queue[0]
		m.queue[0] = engine.Comm{}
		m.queue = m.queue[1:]
		m.qmu.Unlock()
		m.handle(msg)
	}
}

// handle runs the callbacks for one message of the front end.
func (m *Manager) handle(msg engine.Comm) {
	switch msg.Type {
	case engine.CommOpen:
		m.mu.Lock()
		f := m.targets[msg.TargetName]
		m.mu.Unlock()
		if f == nil {
			m.send(engine.Comm{Type: engine.CommClose, CommID: msg.CommID, Data: map[string]any{}})
			return
		}
		c := m.newComm(msg.CommID, msg.TargetName)
		m.call("comm_open "+msg.TargetName, func() { f(c, orEmpty(msg.Data)) })
	case engine.CommMsg:
		c := m.Lookup(msg.CommID)
		if c == nil {
			return
		}
		c.mu.Lock()
		f, full := c.onMsg, c.onMessage
		c.mu.Unlock()
		if full != nil {
			m.call("comm_msg "+c.target, func() {
				full(Message{Data: orEmpty(msg.Data), Metadata: orEmpty(msg.Metadata), Buffers: msg.Buffers})
			})
		}
		if f != nil {
			m.call("comm_msg "+c.target, func() { f(orEmpty(msg.Data)) })
		}
	case engine.CommClose:
		c := m.Lookup(msg.CommID)
		if c == nil {
			return
		}
		c.closed(orEmpty(msg.Data))
	}
}

// call runs f, recovering a panic and reporting it.
func (m *Manager) call(what string, f func()) {
	defer func() {
		if r := recover(); r != nil {
			if rv, ok := r.(reflect.Value); ok && rv.IsValid() && rv.CanInterface() {
				r = rv.Interface()
			}
			m.mu.Lock()
			h := m.onPanic
			m.mu.Unlock()
			err := &PanicError{Callback: what, Value: r}
			if h != nil {
				h(err)
			} else {
				fmt.Fprintln(os.Stderr, err)
			}
		}
	}()
	f()
}

// Call runs f as the Manager runs a callback: a panic is recovered and
// reported to the panic handler. Packages built on comms use it for their
// own callbacks (a widget's observers).
func (m *Manager) Call(what string, f func()) { m.call(what, f) }

// PanicError is a callback's panic, recovered.
type PanicError struct {
	Callback string // what was called: "comm_msg jupyter.widget"
	Value    any    // what it panicked with
}

func (e *PanicError) Error() string {
	return fmt.Sprintf("panic in a %s callback (recovered, the session lives on): %v", e.Callback, e.Value)
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
