package zmtp

import (
	"bytes"
	"context"
	"encoding/binary"
	"io"
	"log"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// wait is the longest a test waits for anything.
const wait = 10 * time.Second

// logLines is a Logger whose lines arrive on a channel.
type logLines chan string

func (l logLines) Write(p []byte) (int, error) {
	select {
	case l <- strings.TrimSpace(string(p)):
	default: // nobody is listening for more
	}
	return len(p), nil
}

func newLog() (logLines, *log.Logger) {
	l := make(logLines, 64)
	return l, log.New(l, "", 0)
}

// expect waits for a log line containing want.
func (l logLines) expect(t *testing.T, want string) {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case line := <-l:
			if strings.Contains(line, want) {
				return
			}
		case <-timeout:
			t.Fatalf("no log line with %q", want)
		}
	}
}

// startEcho starts a ROUTER that sends every message back to its sender,
// listening on scheme (TCP, or "tcp" for zmq4's own transport) on a free
// port. It returns the plain tcp endpoint clients dial.
func startEcho(t testing.TB, scheme string, o Options) string {
	t.Helper()
	ctx, cancel := context.WithCancel(WithOptions(context.Background(), o))
	r := zmq4.NewRouter(ctx, zmq4.WithLogger(log.New(io.Discard, "", 0)))
	if err := r.Listen(scheme + "://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			m, err := r.Recv()
			if err != nil {
				return
			}
			if err := r.Send(m); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		r.Close()
		<-done
		checkNoGoroutines(t)
	})
	return "tcp://" + r.Addr().String()
}

// dealer returns a DEALER with identity id dialled to ep.
func dealer(t testing.TB, ep, id string) zmq4.Socket {
	t.Helper()
	var opts []zmq4.Option
	if id != "" {
		opts = append(opts, zmq4.WithID(zmq4.SocketIdentity(id)))
	}
	d := zmq4.NewDealer(context.Background(), opts...)
	if err := d.Dial(ep); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// recvTimeout receives from s, failing the test after wait.
func recvTimeout(t testing.TB, s zmq4.Socket) zmq4.Msg {
	t.Helper()
	type result struct {
		m   zmq4.Msg
		err error
	}
	ch := make(chan result, 1)
	go func() {
		m, err := s.Recv()
		ch <- result{m, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatal(r.err)
		}
		return r.m
	case <-time.After(wait):
		t.Fatal("nothing received")
		return zmq4.Msg{}
	}
}

// echo checks that ep still answers a DEALER.
func echo(t testing.TB, ep string) {
	t.Helper()
	d := dealer(t, ep, "")
	if err := d.SendMulti(zmq4.NewMsgFrom([]byte("ping"), []byte("pong"))); err != nil {
		t.Fatal(err)
	}
	m := recvTimeout(t, d)
	if len(m.Frames) != 2 || string(m.Frames[0]) != "ping" || string(m.Frames[1]) != "pong" {
		t.Fatalf("echo %q", m.Frames)
	}
}

// greeting is a ZMTP 3.0 NULL greeting.
func greeting() []byte {
	g := make([]byte, greetingLen)
	g[0], g[9], g[10] = 0xff, 0x7f, 3
	copy(g[12:], "NULL")
	return g
}

func property(k, v string) []byte {
	b := append([]byte{byte(len(k))}, k...)
	b = binary.BigEndian.AppendUint32(b, uint32(len(v)))
	return append(b, v...)
}

// ready is a READY command frame with the given properties.
func ready(props ...[]byte) []byte {
	body := append([]byte{5}, "READY"...)
	for _, p := range props {
		body = append(body, p...)
	}
	return appendCommand(nil, body)
}

// frame is a message frame.
func frame(more bool, body string) []byte {
	var f byte
	if more {
		f = flagMore
	}
	var b []byte
	if len(body) > 255 {
		b = append([]byte{f | flagLong}, binary.BigEndian.AppendUint64(nil, uint64(len(body)))...)
	} else {
		b = []byte{f, byte(len(body))}
	}
	return append(b, body...)
}

// longHeader is the header of a frame declaring size bytes.
func longHeader(flags byte, size uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{flags | flagLong}, size)
}

// rawPeer is a TCP client speaking ZMTP by hand.
type rawPeer struct {
	t testing.TB
	net.Conn
}

func dialRaw(t testing.TB, ep string) *rawPeer {
	t.Helper()
	c, err := net.Dial("tcp", strings.TrimPrefix(ep, "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawPeer{t, c}
}

func (p *rawPeer) send(b ...[]byte) {
	p.t.Helper()
	if _, err := p.Write(bytes.Join(b, nil)); err != nil {
		p.t.Fatal(err)
	}
}

// handshake exchanges greetings and READY commands as a peer of sockType.
func (p *rawPeer) handshake(sockType string) {
	p.t.Helper()
	p.send(greeting(), ready(property("Socket-Type", sockType), property("Identity", "")))
	var g [greetingLen]byte
	p.SetReadDeadline(time.Now().Add(wait))
	if _, err := io.ReadFull(p, g[:]); err != nil {
		p.t.Fatal(err)
	}
	var h [2]byte
	if _, err := io.ReadFull(p, h[:]); err != nil || h[0] != flagCommand {
		p.t.Fatalf("READY header %x: %v", h, err)
	}
	if _, err := io.ReadFull(p, make([]byte, h[1])); err != nil {
		p.t.Fatal(err)
	}
	p.SetReadDeadline(time.Time{})
}

// dropped waits until the server closes the connection.
func (p *rawPeer) dropped() {
	p.t.Helper()
	p.SetReadDeadline(time.Now().Add(wait))
	_, err := io.Copy(io.Discard, p)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		p.t.Fatal("the server did not drop the connection")
	}
}

// checkNoGoroutines fails if a goroutine of this package is left (zmq4's
// own goroutines are not ours to check).
func checkNoGoroutines(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		var leaked []string
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, "zmtp.(*Conn)") || strings.Contains(g, "zmtp.(*listener)") {
				leaked = append(leaked, g)
			}
		}
		if len(leaked) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("goroutines left:\n%s", strings.Join(leaked, "\n\n"))
		}
		runtime.Gosched()
	}
}
