package kernel

import (
	"context"
	"errors"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/wire"
	"github.com/trannsformer/gotrann/kernel/zmtp"
)

// Server is a Jupyter kernel serving one connection file.
type Server struct {
	info   wire.ConnectionInfo
	key    []byte
	engine Engine
	cfg    Config
	id     string // the kernel's session id, in every header

	sockCtx    context.Context
	sockCancel context.CancelFunc
	shell      zmq4.Socket
	control    zmq4.Socket
	stdin      zmq4.Socket
	iopub      zmq4.Socket
	hb         zmq4.Socket

	// One writer per socket.
	shellMu, controlMu, iopubMu sync.Mutex
	stdinMu                     sync.Mutex // held for a whole input round trip
	closed                      bool       // guarded by iopubMu: no more publishing

	queue   chan *wire.Message // shell requests, in arrival order
	replays *wire.Replays      // signatures of recent requests

	inputMu     sync.Mutex
	inputWaiter chan *wire.Message // receives input_replies while Input waits

	runMu     sync.Mutex
	runCancel context.CancelFunc // cancels the running cell, nil when idle

	cellCtx    context.Context // parent of every cell's context, cancelled at shutdown
	cellCancel context.CancelFunc

	quit     chan struct{} // closed at shutdown_request
	quitOnce sync.Once
	restart  bool

	comm commState // comm messages: their own worker (comms.go)

	// Touched only by the shell worker.
	count   int
	history history
	abort   int // number of queued messages whose execute_requests are aborted
}

// NewServer returns a server for info that runs cells on engine.
// Ports of 0 (tcp) are chosen by the system when Listen binds.
func NewServer(info wire.ConnectionInfo, engine Engine, cfg Config) (*Server, error) {
	if err := info.Validate(); err != nil {
		return nil, fmt.Errorf("kernel: %w", err)
	}
	if engine == nil {
		return nil, errors.New("kernel: nil engine")
	}
	cfg = cfg.withDefaults()
	s := &Server{
		info:    info,
		key:     []byte(info.Key),
		engine:  engine,
		cfg:     cfg,
		id:      wire.NewID(),
		queue:   make(chan *wire.Message, 1024),
		replays: wire.NewReplays(cfg.ReplayHistory),
		quit:    make(chan struct{}),
	}
	s.comm.queue = make(chan *wire.Message, 1024)
	s.history.session = 1
	return s, nil
}

// Run serves info until a shutdown_request (it then returns nil) or until
// ctx is done (it returns ctx.Err()).
func Run(ctx context.Context, info wire.ConnectionInfo, engine Engine, cfg Config) error {
	s, err := NewServer(info, engine, cfg)
	if err != nil {
		return err
	}
	if err := s.Listen(); err != nil {
		return err
	}
	return s.Serve(ctx)
}

// Listen binds the five sockets, on zmtp's guarded transports (see
// Config.MaxFrameSize and WriteTimeout; ipc sockets get mode 0600).
// Afterwards ConnectionInfo reports the ports actually bound.
func (s *Server) Listen() error {
	s.sockCtx, s.sockCancel = context.WithCancel(context.Background())
	ctx := zmtp.WithOptions(s.sockCtx, zmtp.Options{
		MaxFrameSize: s.cfg.MaxFrameSize, WriteTimeout: s.cfg.WriteTimeout,
		HandshakeTimeout: s.cfg.HandshakeTimeout, Logger: s.cfg.Logger,
	})
	opt := zmq4.WithLogger(s.cfg.Logger)
	s.shell = zmq4.NewRouter(ctx, opt)
	s.control = zmq4.NewRouter(ctx, opt)
	s.stdin = zmq4.NewRouter(ctx, opt)
	s.iopub = zmq4.NewPub(ctx, opt)
	s.hb = zmq4.NewRep(ctx, opt)
	for _, b := range []struct {
		name string
		sck  zmq4.Socket
		port *int
	}{
		{"shell", s.shell, &s.info.ShellPort},
		{"control", s.control, &s.info.ControlPort},
		{"stdin", s.stdin, &s.info.StdinPort},
		{"iopub", s.iopub, &s.info.IOPubPort},
		{"hb", s.hb, &s.info.HBPort},
	} {
		ep, err := zmtp.Endpoint(s.info.Endpoint(*b.port))
		if err == nil {
			err = b.sck.Listen(ep)
		}
		if err != nil {
			s.closeSockets()
			return fmt.Errorf("kernel: %s socket: %w", b.name, err)
		}
		if a, ok := b.sck.Addr().(*net.TCPAddr); ok {
			*b.port = a.Port
		}
	}
	return nil
}

// ConnectionInfo returns the connection info, with the bound ports after
// Listen.
func (s *Server) ConnectionInfo() wire.ConnectionInfo { return s.info }

// Restart reports whether the shutdown_request that ended Serve asked for
// a restart.
func (s *Server) Restart() bool { return s.restart }

// Interrupt cancels the running cell, if any. It is what SIGINT does.
// An engine that implements Interrupter is told of every interrupt too
// (the worker supervisor stops a worker interrupted twice).
func (s *Server) Interrupt() {
	s.runMu.Lock()
	running := s.runCancel != nil
	if running {
		s.runCancel()
	}
	s.runMu.Unlock()
	if i, ok := s.engine.(Interrupter); ok && running {
		i.Interrupt()
	}
}

// Interrupter is an Engine that wants to know of each interrupt of a
// running cell, beyond the cancellation of the cell's context.
type Interrupter interface {
	Interrupt()
}

func (s *Server) setRunning(cancel context.CancelFunc) {
	s.runMu.Lock()
	s.runCancel = cancel
	s.runMu.Unlock()
}

func (s *Server) shutdown(restart bool) {
	s.quitOnce.Do(func() {
		s.restart = restart
		close(s.quit)
	})
}

// Serve answers requests on the sockets bound by Listen until a
// shutdown_request (it returns nil) or until ctx is done (ctx.Err()).
// It closes the sockets before it returns.
func (s *Server) Serve(ctx context.Context) error {
	if s.shell == nil {
		return errors.New("kernel: Serve before Listen")
	}
	s.cellCtx, s.cellCancel = context.WithCancel(context.Background())
	defer s.cellCancel()
	var readers, worker sync.WaitGroup
	readers.Add(4)
	go func() { defer readers.Done(); s.heartbeat() }()
	go func() { defer readers.Done(); s.readShell() }()
	go func() { defer readers.Done(); s.serveControl() }()
	go func() { defer readers.Done(); s.readStdin() }()
	s.publish(nil, "status", map[string]any{"execution_state": "starting"})
	if c, ok := s.engine.(engine.Comms); ok {
		c.SetCommSink(commSink{s})
	}
	worker.Add(2)
	go func() { defer worker.Done(); s.shellWorker() }()
	go func() { defer worker.Done(); s.commWorker() }()

	var err error
	select {
	case <-s.quit:
	case <-ctx.Done():
		err = ctx.Err()
		s.shutdown(false)
	}
	// Stop the running cell and give the worker a moment to finish.
	s.cellCancel()
	done := make(chan struct{})
	go func() { worker.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(s.cfg.ShutdownGrace):
		s.cfg.Logger.Printf("kernel: the running cell did not stop within %v", s.cfg.ShutdownGrace)
	}
	time.Sleep(s.cfg.Linger) // let the last iopub messages leave the PUB queue
	s.iopubMu.Lock()
	s.closed = true
	s.iopubMu.Unlock()
	s.closeSockets()
	readers.Wait()
	return err
}

func (s *Server) closeSockets() {
	for _, sck := range []zmq4.Socket{s.shell, s.control, s.stdin, s.iopub, s.hb} {
		if sck != nil {
			sck.Close()
		}
	}
	s.sockCancel()
}

func (s *Server) stopping() bool {
	select {
	case <-s.quit:
		return true
	default:
		return false
	}
}

// heartbeat echoes every ping until the socket is closed. A message that
// is not a ping (one without the REQ envelope, say) is logged and dropped.
func (s *Server) heartbeat() {
	for {
		msg, err := s.hb.Recv()
		if err != nil {
			if s.sockCtx.Err() != nil || errors.Is(err, context.Canceled) {
				return
			}
			s.cfg.Logger.Printf("kernel: heartbeat: dropping a message: %v", err)
			continue
		}
		if err := s.hb.Send(msg); err != nil && !s.stopping() {
			s.cfg.Logger.Printf("kernel: heartbeat: %v", err)
		}
	}
}

// recv reads and decodes the next message of sck; it returns nil when the
// socket is closed. Undecodable or badly signed messages are logged and
// dropped.
func (s *Server) recv(name string, sck zmq4.Socket) *wire.Message {
	for {
		raw, err := sck.Recv()
		if err != nil {
			return nil
		}
		m, err := wire.Decode(raw.Frames, s.key)
		if err != nil {
			s.cfg.Logger.Printf("kernel: %s: dropping message: %v", name, err)
			continue
		}
		if s.replays.Seen(m.Signature) {
			s.cfg.Logger.Printf("kernel: %s: dropping %s %s: a replay (its signature was seen before)", name, m.Header.MsgType, m.Header.MsgID)
			continue
		}
		return m
	}
}

func (s *Server) readShell() {
	for {
		m := s.recv("shell", s.shell)
		if m == nil {
			return
		}
		q := s.queue
		if isComm(m.Header.MsgType) {
			q = s.comm.queue
		}
		select {
		case q <- m:
		case <-s.quit:
			return
		}
	}
}

func (s *Server) setInputWaiter(ch chan *wire.Message) {
	s.inputMu.Lock()
	s.inputWaiter = ch
	s.inputMu.Unlock()
}

func (s *Server) readStdin() {
	for {
		m := s.recv("stdin", s.stdin)
		if m == nil {
			return
		}
		if m.Header.MsgType != "input_reply" {
			s.cfg.Logger.Printf("kernel: stdin: ignoring %s", m.Header.MsgType)
			continue
		}
		s.inputMu.Lock()
		select {
		case s.inputWaiter <- m: // a nil waiter blocks: default
		default:
			s.cfg.Logger.Printf("kernel: stdin: unexpected input_reply dropped")
		}
		s.inputMu.Unlock()
	}
}

func (s *Server) shellWorker() {
	for {
		select {
		case <-s.quit:
			return
		case m := <-s.queue:
			if s.stopping() {
				return
			}
			s.handle(m, channelShell)
		}
	}
}

func (s *Server) serveControl() {
	for {
		m := s.recv("control", s.control)
		if m == nil {
			return
		}
		s.handle(m, channelControl)
	}
}

// send signs and sends m on sck under mu.
func (s *Server) send(sck zmq4.Socket, mu *sync.Mutex, m *wire.Message) {
	frames, err := wire.Encode(m, s.key)
	if err != nil {
		s.cfg.Logger.Printf("kernel: encode %s: %v", m.Header.MsgType, err)
		return
	}
	mu.Lock()
	defer mu.Unlock()
	if err := sck.SendMulti(zmqMsg(frames)); err != nil && !s.stopping() {
		s.cfg.Logger.Printf("kernel: send %s: %v", m.Header.MsgType, err)
	}
}

// publish sends msgType with content on iopub; parent may be nil.
func (s *Server) publish(parent *wire.Message, msgType string, content any) {
	m, err := wire.NewMessage(msgType, s.id, s.cfg.Username, parent, content)
	if err != nil {
		s.cfg.Logger.Printf("kernel: %s: %v", msgType, err)
		return
	}
	s.publishMessage(m)
}

// publishMessage signs and sends m on iopub, with its type as topic.
func (s *Server) publishMessage(m *wire.Message) {
	msgType := m.Header.MsgType
	m.Identities = [][]byte{[]byte(msgType)} // the topic
	frames, err := wire.Encode(m, s.key)
	if err != nil {
		s.cfg.Logger.Printf("kernel: encode %s: %v", msgType, err)
		return
	}
	s.iopubMu.Lock()
	defer s.iopubMu.Unlock()
	if s.closed {
		return
	}
	if err := s.iopub.SendMulti(zmqMsg(frames)); err != nil {
		s.cfg.Logger.Printf("kernel: publish %s: %v", msgType, err)
	}
}

func zmqMsg(frames [][]byte) zmq4.Msg { return zmq4.NewMsgFrom(frames...) }
