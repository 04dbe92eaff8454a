package kernel

import (
	"context"
	"encoding/json"
	"log"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/trannsformer/gotrann/kernel/wire"
)

// wait is the longest a test waits for any message.
const wait = 10 * time.Second

// testKernel is a server started by a test on free ports, with a client
// connected to it: DEALER sockets for shell, control and stdin, SUB for
// iopub.
type testKernel struct {
	t      testing.TB
	srv    *Server
	engine *fakeEngine
	info   wire.ConnectionInfo
	key    []byte
	done   chan error // Serve's result
	cancel context.CancelFunc

	ctx                   context.Context
	stop                  context.CancelFunc
	shell, control, stdin zmq4.Socket
	iopub                 zmq4.Socket
	shellCh, controlCh    chan *wire.Message
	stdinCh, iopubCh      chan *wire.Message
	readers               sync.WaitGroup
	session               string
}

func startKernel(t testing.TB, cfg Config) *testKernel {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = log.New(testWriter{t}, "", 0)
	}
	info := wire.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", SignatureScheme: "hmac-sha256", Key: wire.NewID()}
	eng := newFakeEngine()
	srv, err := NewServer(info, eng, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	k := &testKernel{t: t, srv: srv, engine: eng, info: srv.ConnectionInfo(), key: []byte(info.Key), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	k.cancel = cancel
	go func() { k.done <- srv.Serve(ctx) }()
	k.dial()
	t.Cleanup(k.close)
	k.sync()
	return k
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// dial connects the client sockets under a new session id.
func (k *testKernel) dial() { k.dialSession(wire.NewID()) }

// dialSession connects the client sockets as jupyter_client does: shell,
// control and stdin with the session id as their routing identity.
func (k *testKernel) dialSession(session string) {
	k.ctx, k.stop = context.WithCancel(context.Background())
	k.session = session
	id := zmq4.WithID(zmq4.SocketIdentity(k.session))
	k.shell = zmq4.NewDealer(k.ctx, id)
	k.control = zmq4.NewDealer(k.ctx, id)
	k.stdin = zmq4.NewDealer(k.ctx, id)
	k.iopub = zmq4.NewSub(k.ctx)
	for _, d := range []struct {
		s    zmq4.Socket
		port int
	}{{k.shell, k.info.ShellPort}, {k.control, k.info.ControlPort}, {k.stdin, k.info.StdinPort}, {k.iopub, k.info.IOPubPort}} {
		if err := d.s.Dial(k.info.Endpoint(d.port)); err != nil {
			k.t.Fatal(err)
		}
	}
	if err := k.iopub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		k.t.Fatal(err)
	}
	k.shellCh, k.controlCh = k.reader(k.shell), k.reader(k.control)
	k.stdinCh, k.iopubCh = k.reader(k.stdin), k.reader(k.iopub)
}

// reader decodes (and so verifies the signature of) every message of s.
func (k *testKernel) reader(s zmq4.Socket) chan *wire.Message {
	ch := make(chan *wire.Message, 256)
	k.readers.Add(1)
	go func() {
		defer k.readers.Done()
		for {
			raw, err := s.Recv()
			if err != nil {
				return
			}
			m, err := wire.Decode(raw.Frames, k.key)
			if err != nil {
				k.t.Errorf("kernel sent an undecodable message: %v", err)
				continue
			}
			select {
			case ch <- m:
			case <-k.ctx.Done():
				return
			}
		}
	}()
	return ch
}

// close stops the server (if the test has not) and checks that none of
// its goroutines is left.
func (k *testKernel) close() {
	k.cancel()
	select {
	case <-k.done:
	case <-time.After(wait):
		k.t.Error("Serve did not return")
	}
	k.closeClient()
	checkNoServerGoroutines(k.t)
}

// anotherClient connects a second client to k's server, with the same
// session id (and so the same routing identities) as k's.
func (k *testKernel) anotherClient() *testKernel {
	c := &testKernel{t: k.t, srv: k.srv, engine: k.engine, info: k.info, key: k.key}
	c.dialSession(k.session)
	k.t.Cleanup(c.closeClient)
	return c
}

func (k *testKernel) closeClient() {
	k.stop()
	for _, s := range []zmq4.Socket{k.shell, k.control, k.stdin, k.iopub} {
		s.Close()
	}
	k.readers.Wait()
}

// checkNoServerGoroutines fails if a goroutine of this package's server,
// or one reading or writing a connection of its guarded transport, is
// still running (zmq4's own goroutines are not ours to check).
func checkNoServerGoroutines(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var leaked []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "kernel.(*Server)") || strings.Contains(g, "kernel.(*cellOutput)") || strings.Contains(g, "zmtp.(*Conn)") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server goroutines left after Serve returned:\n%s", strings.Join(leaked, "\n\n"))
		}
		runtime.Gosched()
	}
}

// send sends a request on s (shell, control or stdin) and returns it.
func (k *testKernel) send(s zmq4.Socket, msgType string, content any) *wire.Message {
	k.t.Helper()
	m, err := wire.NewMessage(msgType, k.session, "tester", nil, content)
	if err != nil {
		k.t.Fatal(err)
	}
	k.sendMsg(s, m, k.key)
	return m
}

func (k *testKernel) sendMsg(s zmq4.Socket, m *wire.Message, key []byte) {
	k.t.Helper()
	frames, err := wire.Encode(m, key)
	if err != nil {
		k.t.Fatal(err)
	}
	if err := s.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
		k.t.Fatal(err)
	}
}

func (k *testKernel) next(ch chan *wire.Message, what string) *wire.Message {
	k.t.Helper()
	select {
	case m := <-ch:
		return m
	case <-time.After(wait):
		k.t.Fatalf("timed out waiting for %s", what)
		return nil
	}
}

// reply waits for the reply to req on ch and checks its type and parent.
func (k *testKernel) reply(ch chan *wire.Message, req *wire.Message) *wire.Message {
	k.t.Helper()
	m := k.next(ch, req.Header.MsgType+" reply")
	if parentID(m) != req.Header.MsgID {
		k.t.Fatalf("%s: parent %s, want %s", m.Header.MsgType, parentID(m), req.Header.MsgID)
	}
	want := strings.TrimSuffix(req.Header.MsgType, "_request") + "_reply"
	if m.Header.MsgType != want {
		k.t.Fatalf("got %s, want %s", m.Header.MsgType, want)
	}
	if m.Header.Version != "5.3" || m.Header.Date == "" || m.Header.Session != k.srv.id {
		k.t.Errorf("reply header %+v", m.Header)
	}
	return m
}

// iopubFor returns the iopub messages whose parent is req, from busy to
// idle inclusive, skipping messages of other parents.
func (k *testKernel) iopubFor(req *wire.Message) []*wire.Message {
	k.t.Helper()
	var out []*wire.Message
	for {
		m := k.next(k.iopubCh, "iopub for "+req.Header.MsgType)
		if parentID(m) != req.Header.MsgID {
			continue
		}
		out = append(out, m)
		if m.Header.MsgType == "status" && content(k.t, m)["execution_state"] == "idle" {
			return out
		}
	}
}

// sync sends kernel_info_requests until one is seen on iopub, so that the
// SUB socket's subscription has reached the kernel.
func (k *testKernel) sync() {
	k.t.Helper()
	for range 100 {
		req := k.send(k.shell, "kernel_info_request", map[string]any{})
		k.reply(k.shellCh, req)
		timeout := time.After(100 * time.Millisecond)
	loop:
		for {
			select {
			case m := <-k.iopubCh:
				if parentID(m) == req.Header.MsgID && content(k.t, m)["execution_state"] == "idle" {
					return
				}
			case <-timeout:
				break loop
			}
		}
	}
	k.t.Fatal("iopub never delivered a message")
}

// execute sends an execute_request and returns its reply and its iopub
// messages.
func (k *testKernel) execute(code string, extra map[string]any) (*wire.Message, []*wire.Message, *wire.Message) {
	k.t.Helper()
	c := map[string]any{"code": code, "silent": false, "store_history": true, "user_expressions": map[string]any{},
		"allow_stdin": false, "stop_on_error": true}
	for key, v := range extra {
		c[key] = v
	}
	req := k.send(k.shell, "execute_request", c)
	rep := k.reply(k.shellCh, req)
	return rep, k.iopubFor(req), req
}

func parentID(m *wire.Message) string {
	var p struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.ParentHeader, &p)
	return p.MsgID
}

func content(t testing.TB, m *wire.Message) map[string]any {
	t.Helper()
	var c map[string]any
	if err := json.Unmarshal(m.Content, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func types(ms []*wire.Message) []string {
	var out []string
	for _, m := range ms {
		t := m.Header.MsgType
		if t == "status" {
			var c struct {
				S string `json:"execution_state"`
			}
			_ = json.Unmarshal(m.Content, &c)
			t += ":" + c.S
		}
		out = append(out, t)
	}
	return out
}
