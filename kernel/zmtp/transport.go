package zmtp

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/go-zeromq/zmq4"
	ztransport "github.com/go-zeromq/zmq4/transport"
)

// The zmq4 transport names this package registers.
const (
	TCP = "zmtp+tcp"
	IPC = "zmtp+ipc"
)

// Defaults of Options.
const (
	DefaultMaxFrameSize     = 256 << 20
	DefaultWriteTimeout     = 10 * time.Second
	DefaultHandshakeTimeout = 10 * time.Second
)

// Options configure the guarded connections of the sockets made with a
// context from WithOptions. The zero value is the default.
type Options struct {
	// MaxFrameSize is the most bytes a peer's frame may declare, and the
	// most the frames of one message may add up to (each counting 64 bytes
	// more); 0 means DefaultMaxFrameSize.
	MaxFrameSize int64
	// WriteTimeout bounds each write to a peer (a message, or 1 MiB of a
	// larger one); a peer that does not take it in time is dropped. 0 means
	// DefaultWriteTimeout, negative means no deadline.
	WriteTimeout time.Duration
	// HandshakeTimeout is how long a connection may take to exchange the
	// greeting and READY before it is closed; 0 means
	// DefaultHandshakeTimeout, negative means no limit.
	HandshakeTimeout time.Duration
	// Logger receives a line for each connection dropped; nil discards.
	Logger *log.Logger
}

func (o Options) withDefaults() Options {
	if o.MaxFrameSize <= 0 {
		o.MaxFrameSize = DefaultMaxFrameSize
	}
	if o.WriteTimeout == 0 {
		o.WriteTimeout = DefaultWriteTimeout
	}
	if o.HandshakeTimeout == 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	return o
}

type optionsKey struct{}

// WithOptions returns a context carrying o, for zmq4.NewRouter and the
// other socket constructors: the zmtp transports read it from the
// socket's context when it listens or dials.
func WithOptions(ctx context.Context, o Options) context.Context {
	return context.WithValue(ctx, optionsKey{}, o)
}

func optionsFrom(ctx context.Context) Options {
	o, _ := ctx.Value(optionsKey{}).(Options)
	return o.withDefaults()
}

// Endpoint returns the guarded form of a tcp:// or ipc:// endpoint.
func Endpoint(ep string) (string, error) {
	scheme, addr, ok := strings.Cut(ep, "://")
	if !ok {
		return "", fmt.Errorf("zmtp: endpoint %q: no scheme", ep)
	}
	switch scheme {
	case "tcp":
		return TCP + "://" + addr, nil
	case "ipc":
		return IPC + "://" + addr, nil
	case TCP, IPC:
		return ep, nil
	}
	return "", fmt.Errorf("zmtp: endpoint %q: transport %q is not guarded (want tcp or ipc)", ep, scheme)
}

func init() {
	for name, t := range map[string]transport{TCP: {"tcp"}, IPC: {"unix"}} {
		if err := zmq4.RegisterTransport(name, t); err != nil {
			panic(err) // only if another package took the name
		}
	}
}

// transport is a zmq4 transport over the network net whose connections
// are guarded.
type transport struct{ network string }

func (t transport) Dial(ctx context.Context, d ztransport.Dialer, addr string) (net.Conn, error) {
	c, err := d.DialContext(ctx, t.network, addr)
	if err != nil {
		return nil, err
	}
	return newConn(c, optionsFrom(ctx), nil, addrString(c.LocalAddr())+" -> "+addrString(c.RemoteAddr())), nil
}

func (t transport) Listen(ctx context.Context, addr string) (net.Listener, error) {
	o := optionsFrom(ctx)
	if t.network == "unix" {
		l, err := listenUnix(addr)
		if err != nil {
			return nil, err
		}
		return &listener{Listener: l, opts: o, ids: newIdentities(), path: addr}, nil
	}
	l, err := net.Listen(t.network, addr)
	if err != nil {
		return nil, err
	}
	return &listener{Listener: l, opts: o, ids: newIdentities()}, nil
}

// Addr resolves an endpoint's address as zmq4's own tcp and ipc transports
// do: "*" means any host or any port.
func (t transport) Addr(ep string) (string, error) {
	if t.network == "unix" {
		return ep, nil
	}
	host, port, err := net.SplitHostPort(ep)
	if err != nil {
		return "", err
	}
	switch port {
	case "", "*":
		port = "0"
	}
	switch host {
	case "", "*":
		host = "0.0.0.0"
	}
	return net.JoinHostPort(host, port), nil
}

// listener guards the connections it accepts. For ipc it removes the
// socket file when closed.
type listener struct {
	net.Listener
	opts    Options
	ids     *identities
	path    string // the ipc socket file, "" for tcp
	backoff time.Duration
}

// Accept returns the next connection, guarded. After a failed accept (out
// of file descriptors, say) it waits a little before it returns the error,
// since zmq4 retries at once, in a loop.
func (l *listener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		if !errors.Is(err, net.ErrClosed) {
			l.backoff = min(max(2*l.backoff, 5*time.Millisecond), time.Second)
			time.Sleep(l.backoff)
		}
		return nil, err
	}
	l.backoff = 0
	return newConn(c, l.opts, l.ids, addrString(l.Addr())+" <- "+addrString(c.RemoteAddr())), nil
}

// Addr is the address bound: for ipc, the socket file's final path.
func (l *listener) Addr() net.Addr {
	if l.path != "" {
		return &net.UnixAddr{Name: l.path, Net: "unix"}
	}
	return l.Listener.Addr()
}

func (l *listener) Close() error {
	err := l.Listener.Close()
	if l.path != "" {
		if e := os.Remove(l.path); e != nil && !errors.Is(e, os.ErrNotExist) && err == nil {
			err = e
		}
	}
	return err
}

// listenUnix binds a unix socket at path with permissions 0600: it binds in
// a fresh private directory beside path, sets the mode, and renames the
// socket into place (replacing a file left there, as libzmq does), so that
// no other user can connect before the mode is set.
func listenUnix(path string) (net.Listener, error) {
	dir, err := os.MkdirTemp(filepath.Dir(path), ".zmtp-")
	if err != nil {
		return nil, fmt.Errorf("zmtp: ipc %s: %w", path, err)
	}
	defer os.RemoveAll(dir)
	tmp := filepath.Join(dir, "s")
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: tmp, Net: "unix"})
	if err != nil {
		return nil, fmt.Errorf("zmtp: ipc %s: %w", path, err)
	}
	l.SetUnlinkOnClose(false) // the file moves; listener.Close removes it
	if err := os.Chmod(tmp, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("zmtp: ipc %s: %w", path, err)
	}
	if err := os.Rename(tmp, path); err != nil {
		l.Close()
		return nil, fmt.Errorf("zmtp: ipc %s: %w", path, err)
	}
	return l, nil
}
