package zmtp

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

// TestHostilePeers sends, by hand, streams that zmq4 alone dies of (an
// allocation of 2^40 bytes, an index out of range) or that break the
// protocol: the guard drops each connection with a log line, allocates
// nothing for it, and the socket goes on serving others.
func TestHostilePeers(t *testing.T) {
	const max = 1 << 20
	for _, tc := range []struct {
		name   string
		stream [][]byte
		log    string
	}{
		{"2^40-byte command after the greeting", [][]byte{greeting(), longHeader(flagCommand, 1<<40)}, "frame too large: a frame of 1099511627776 bytes"},
		{"2^40-byte frame after READY", [][]byte{greeting(), ready(property("Socket-Type", "DEALER")), longHeader(0, 1<<40)}, "frame too large"},
		{"2^63-byte frame", [][]byte{greeting(), ready(property("Socket-Type", "DEALER")), longHeader(flagMore, 1<<63)}, "frame too large"},
		{"many frames adding up", [][]byte{greeting(), ready(property("Socket-Type", "DEALER")),
			bytes.Repeat(frame(true, strings.Repeat("x", 1000)), 1100)}, "message too large"},
		{"READY with a truncated property", [][]byte{greeting(), appendCommand(nil, []byte("\x05READY\x08Identity"))}, "truncated property"},
		{"READY with a value past its end", [][]byte{greeting(), appendCommand(nil, append([]byte("\x05READY"), property("Identity", "abc")[:13]...))}, "value of 3 bytes, 0 left"},
		{"bad command name", [][]byte{greeting(), appendCommand(nil, []byte("\x09READY"))}, "bad command name"},
		{"reserved flags", [][]byte{greeting(), ready(property("Socket-Type", "DEALER")), {0x80, 0}}, "reserved flag bits"},
		{"message before the handshake", [][]byte{greeting(), frame(false, "hi")}, "before the handshake"},
		{"command inside a message", [][]byte{greeting(), ready(property("Socket-Type", "DEALER")), frame(true, "a"), {flagCommand, 0}}, "within a multipart"},
		{"no signature", [][]byte{make([]byte, greetingLen)}, "no ZMTP signature"},
		{"ZMTP 2", [][]byte{append([]byte{0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 1, 0}, make([]byte, 52)...)}, "ZMTP version 1.0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines, logger := newLog()
			ep := startEcho(t, TCP, Options{MaxFrameSize: max, Logger: logger})
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			p := dialRaw(t, ep)
			p.send(tc.stream...)
			lines.expect(t, tc.log)
			p.dropped()
			echo(t, ep)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if grew := int64(after.HeapSys) - int64(before.HeapSys); grew > 64<<20 {
				t.Errorf("the heap grew by %d MiB", grew>>20)
			}
		})
	}
}

// TestFrameLimitBoundary checks that a frame of exactly MaxFrameSize bytes
// (less the message overhead) passes and one byte more does not.
func TestFrameLimitBoundary(t *testing.T) {
	const max = 1 << 16
	lines, logger := newLog()
	ep := startEcho(t, TCP, Options{MaxFrameSize: max, Logger: logger})
	d := dealer(t, ep, "")
	big := bytes.Repeat([]byte("y"), max-frameOverhead)
	if err := d.Send(zmq4.NewMsg(big)); err != nil {
		t.Fatal(err)
	}
	if m := recvTimeout(t, d); !bytes.Equal(m.Bytes(), big) {
		t.Fatalf("echo of %d bytes", len(m.Bytes()))
	}
	p := dialRaw(t, ep)
	p.handshake("DEALER")
	p.send(frame(false, string(append(big, 'y'))))
	lines.expect(t, "message too large")
	p.dropped()
}

// TestStalledSubscriber checks that a subscriber that never reads is
// dropped after the write timeout, and that another one then gets every
// message. zmq4 alone writes to subscribers one after the other without a
// deadline: the stalled one holds back all the others for ever.
func TestStalledSubscriber(t *testing.T) {
	lines, logger := newLog()
	ctx, cancel := context.WithCancel(WithOptions(context.Background(), Options{WriteTimeout: 200 * time.Millisecond, Logger: logger}))
	defer cancel()
	pub := zmq4.NewPub(ctx, zmq4.WithLogger(log.New(io.Discard, "", 0)))
	defer pub.Close()
	if err := pub.Listen(TCP + "://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ep := "tcp://" + pub.Addr().String()

	stalled := dialRaw(t, ep)
	stalled.Conn.(*net.TCPConn).SetReadBuffer(4096)
	stalled.handshake("SUB")
	stalled.send(frame(false, "\x01")) // subscribe to everything, then never read

	sub := zmq4.NewSub(context.Background())
	defer sub.Close()
	if err := sub.Dial(ep); err != nil {
		t.Fatal(err)
	}
	if err := sub.SetOption(zmq4.OptionSubscribe, ""); err != nil {
		t.Fatal(err)
	}
	// Both subscriptions have arrived once the good subscriber hears.
	got := make(chan zmq4.Msg, 1024)
	go func() {
		for {
			m, err := sub.Recv()
			if err != nil {
				close(got)
				return
			}
			got <- m
		}
	}()
	synced := false
	for i := 0; !synced && i < 1000; i++ {
		pub.Send(zmq4.NewMsgString("sync"))
		select {
		case <-got:
			synced = true
		case <-time.After(10 * time.Millisecond):
		}
	}
	if !synced {
		t.Fatal("the subscriber never heard")
	}
	for len(got) > 0 {
		<-got
	}
	// 16 MiB: far more than the socket buffers of the stalled peer hold.
	payload := bytes.Repeat([]byte("z"), 64<<10)
	const n = 256
	t0 := time.Now()
	for i := range n {
		frames := [][]byte{[]byte("data"), binary.BigEndian.AppendUint32(nil, uint32(i)), payload}
		if err := pub.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	timeout := time.After(wait)
	for i := 0; i < n; {
		select {
		case m := <-got:
			if string(m.Frames[0]) != "data" {
				continue
			}
			if len(m.Frames) != 3 || binary.BigEndian.Uint32(m.Frames[1]) != uint32(i) {
				t.Fatalf("message %d: %d frames", i, len(m.Frames))
			}
			i++
		case <-timeout:
			t.Fatalf("%d of %d messages after %v", i, n, wait)
		}
	}
	t.Logf("%d messages of 64 KiB in %v", n, time.Since(t0))
	lines.expect(t, "peer did not take its data in time")
}

// TestIdentitiesUnique checks that two clients announcing the same routing
// identity each get only their own replies (zmq4 alone sends every reply
// to both).
func TestIdentitiesUnique(t *testing.T) {
	lines, logger := newLog()
	ep := startEcho(t, TCP, Options{Logger: logger})
	a := dealer(t, ep, "session")
	b := dealer(t, ep, "session")
	lines.expect(t, `routing this connection as "session/2"`)
	for round := range 3 {
		for _, c := range []struct {
			s    zmq4.Socket
			name string
		}{{a, "a"}, {b, "b"}} {
			if err := c.s.Send(zmq4.NewMsgString(c.name)); err != nil {
				t.Fatal(err)
			}
			if m := recvTimeout(t, c.s); string(m.Bytes()) != c.name {
				t.Fatalf("round %d: %s got %q", round, c.name, m.Bytes())
			}
		}
	}
	// A third one, after the first has left, gets its own replies too.
	a.Close()
	c := dealer(t, ep, "session")
	c.Send(zmq4.NewMsgString("c"))
	if m := recvTimeout(t, c); string(m.Bytes()) != "c" {
		t.Fatalf("c got %q", m.Bytes())
	}
}

func TestIdentityClaims(t *testing.T) {
	ids := newIdentities()
	for _, tc := range []struct{ id, want string }{{"s", "s"}, {"s", "s/2"}, {"s/2", "s/2/2"}, {"s", "s/3"}, {"t", "t"}} {
		if got := ids.claim(tc.id); got != tc.want {
			t.Errorf("claim %q = %q, want %q", tc.id, got, tc.want)
		}
	}
	ids.release("s")
	if got := ids.claim("s"); got != "s" {
		t.Errorf("after release: %q", got)
	}
}

// TestHandshakeTimeout checks that a peer that connects and says nothing
// is dropped, and does not keep others from connecting: zmq4 performs the
// handshakes of a listener one at a time.
func TestHandshakeTimeout(t *testing.T) {
	lines, logger := newLog()
	ep := startEcho(t, TCP, Options{HandshakeTimeout: 500 * time.Millisecond, Logger: logger})
	silent := dialRaw(t, ep)
	lines.expect(t, "handshake did not complete in time")
	silent.dropped()
	echo(t, ep)
	// A peer that completes the handshake stays.
	p := dialRaw(t, ep)
	p.handshake("DEALER")
	p.send(frame(false, "x"))
	p.SetReadDeadline(time.Now().Add(wait))
	b := make([]byte, 3)
	if _, err := io.ReadFull(p, b); err != nil || !bytes.Equal(b, frame(false, "x")) {
		t.Fatalf("echo %q: %v", b, err)
	}
}

func TestIPC(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "kernel-1")
	if err := os.WriteFile(path, nil, 0o644); err != nil { // left by an earlier run
		t.Fatal(err)
	}
	r := zmq4.NewRouter(context.Background())
	if err := r.Listen(IPC + "://" + path); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want a socket with 0600", fi.Mode())
	}
	if r.Addr().String() != path {
		t.Errorf("Addr %v", r.Addr())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the directory", len(ents))
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		if m, err := r.Recv(); err == nil {
			r.Send(m)
		}
	}()
	d := zmq4.NewDealer(context.Background())
	defer d.Close()
	if err := d.Dial("ipc://" + path); err != nil {
		t.Fatal(err)
	}
	d.Send(zmq4.NewMsgString("hi"))
	if m := recvTimeout(t, d); string(m.Bytes()) != "hi" {
		t.Errorf("echo %q", m.Bytes())
	}
	<-done
	r.Close()
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("socket file left: %v", err)
	}
	checkNoGoroutines(t)
}

func TestEndpoint(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"tcp://127.0.0.1:5555", "zmtp+tcp://127.0.0.1:5555"},
		{"ipc:///tmp/k-1", "zmtp+ipc:///tmp/k-1"},
		{"zmtp+tcp://h:1", "zmtp+tcp://h:1"},
		{"udp://h:1", ""},
		{"nothing", ""},
	} {
		got, err := Endpoint(tc.in)
		if got != tc.want || (err != nil) != (tc.want == "") {
			t.Errorf("Endpoint(%q) = %q, %v", tc.in, got, err)
		}
	}
	for _, tc := range []struct{ in, want string }{{"*:*", "0.0.0.0:0"}, {"127.0.0.1:", "127.0.0.1:0"}, {"[::1]:5", "[::1]:5"}} {
		if got, err := (transport{"tcp"}).Addr(tc.in); err != nil || got != tc.want {
			t.Errorf("Addr(%q) = %q, %v", tc.in, got, err)
		}
	}
	if _, err := (transport{"tcp"}).Addr("nope"); err == nil {
		t.Error("Addr without a port accepted")
	}
}

// TestDialGuarded checks a guarded client against a guarded server, with
// messages above the coalescing size and empty frames.
func TestDialGuarded(t *testing.T) {
	ep := startEcho(t, TCP, Options{})
	ctx := WithOptions(context.Background(), Options{})
	d := zmq4.NewDealer(ctx)
	defer d.Close()
	gep, _ := Endpoint(ep)
	if err := d.Dial(gep); err != nil {
		t.Fatal(err)
	}
	for _, frames := range [][][]byte{
		{[]byte("a")},
		{{}, []byte("b"), {}},
		{bytes.Repeat([]byte("c"), 300), bytes.Repeat([]byte("d"), 3*maxCoalesce), []byte("e")},
	} {
		if err := d.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
		m := recvTimeout(t, d)
		if len(m.Frames) != len(frames) {
			t.Fatalf("%d frames, want %d", len(m.Frames), len(frames))
		}
		for i := range frames {
			if !bytes.Equal(m.Frames[i], frames[i]) {
				t.Errorf("frame %d differs", i)
			}
		}
	}
}
