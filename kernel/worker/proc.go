package worker

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/ipc"
)

// maxCrash bounds the stderr text kept for a crash report, and maxTail the
// stderr tail kept for a death without a recognisable report.
const (
	maxCrash = 1 << 20
	maxTail  = 16 << 10
)

// proc is one worker process.
type proc struct {
	cfg   Config
	comms func(engine.Comm) // receives the worker's comm messages
	cmd   *exec.Cmd
	conn  *ipc.Conn
	toW   *os.File // the kernel's end of the request pipe
	nonce string

	ready    chan struct{} // closed when the worker said ready
	exited   chan struct{} // closed when the process has been waited for
	recvDone chan struct{} // closed when the ipc reader stopped
	stdDone  sync.WaitGroup
	state    *os.ProcessState
	waitErr  error

	mu      sync.Mutex
	cond    *sync.Cond
	reached [2]uint64 // highest sync marker seen on stdout, stderr
	eof     [2]bool
	handled uint64 // highest Sync of a message handled
	out     engine.Output
	calls   map[uint64]chan *ipc.Msg
	closed  bool // no more replies: the ipc reader stopped
	inExec  bool
	killed  string // why the supervisor killed it, "" if it did not

	errAtLineStart bool
	holding        bool
	crash          []byte // held stderr text that looks like a crash report
	tail           []byte
	readyOnce      sync.Once
}

// startProc starts a worker process with env and returns at once; ready
// is closed when the worker has started its engine.
func startProc(cfg Config, argv, env []string, comms func(engine.Comm)) (*proc, error) {
	nb := make([]byte, 8)
	rand.Read(nb)
	p := &proc{
		cfg: cfg, nonce: hex.EncodeToString(nb), comms: comms,
		ready: make(chan struct{}), exited: make(chan struct{}), recvDone: make(chan struct{}),
		calls: map[uint64]chan *ipc.Msg{}, errAtLineStart: true,
	}
	p.cond = sync.NewCond(&p.mu)
	var files []*os.File // the child's ends, closed here after start
	closeAll := func(fs ...*os.File) {
		for _, f := range fs {
			f.Close()
		}
	}
	reqR, reqW, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("worker: pipe: %w", err)
	}
	repR, repW, err := os.Pipe()
	if err != nil {
		closeAll(reqR, reqW)
		return nil, fmt.Errorf("worker: pipe: %w", err)
	}
	outR, outW, err := os.Pipe()
	if err != nil {
		closeAll(reqR, reqW, repR, repW)
		return nil, fmt.Errorf("worker: pipe: %w", err)
	}
	errR, errW, err := os.Pipe()
	if err != nil {
		closeAll(reqR, reqW, repR, repW, outR, outW)
		return nil, fmt.Errorf("worker: pipe: %w", err)
	}
	files = []*os.File{reqR, repW, outW, errW}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(env, ipc.EnvNonce+"="+p.nonce)
	cmd.Dir = cfg.Dir
	cmd.Stdout, cmd.Stderr = outW, errW
	cmd.ExtraFiles = []*os.File{reqR, repW} // fd 3: requests in, fd 4: replies out
	cmd.SysProcAttr = sysProcAttr()
	if err := cmd.Start(); err != nil {
		closeAll(files...)
		closeAll(reqW, repR, outR, errR)
		return nil, fmt.Errorf("worker: start %s: %w", argv[0], err)
	}
	closeAll(files...)
	p.cmd, p.toW = cmd, reqW
	p.conn = ipc.NewConn(repR, reqW)
	go func() {
		err := cmd.Wait()
		p.mu.Lock()
		p.state, p.waitErr = cmd.ProcessState, err
		p.mu.Unlock()
		close(p.exited)
		// a grandchild may hold the pipes open: stop reading them soon
		time.AfterFunc(time.Second, func() { outR.Close(); errR.Close(); repR.Close() })
	}()
	p.stdDone.Add(2)
	go p.readStd(0, outR)
	go p.readStd(1, errR)
	go p.recvLoop()
	return p, nil
}

func (p *proc) pid() int { return p.cmd.Process.Pid }

// alive reports whether the process has not exited.
func (p *proc) alive() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// kill stops the worker and its process group for reason why.
func (p *proc) kill(why string) {
	p.mu.Lock()
	if p.killed == "" {
		p.killed = why
	}
	p.mu.Unlock()
	killGroup(p.cmd.Process)
}

// stop asks the worker to exit, then kills it after grace.
func (p *proc) stop(grace time.Duration) {
	p.conn.Send(&ipc.Msg{Type: ipc.Shutdown})
	p.toW.Close()
	select {
	case <-p.exited:
	case <-time.After(grace):
		p.kill("stopped")
		<-p.exited
	}
}

func (p *proc) send(m *ipc.Msg) error { return p.conn.Send(m) }

// call registers a reply channel for id; it receives nil if the worker
// goes away first.
func (p *proc) call(id uint64) chan *ipc.Msg {
	ch := make(chan *ipc.Msg, 1)
	p.mu.Lock()
	if p.closed {
		close(ch)
	} else {
		p.calls[id] = ch
	}
	p.mu.Unlock()
	return ch
}

func (p *proc) uncall(id uint64) {
	p.mu.Lock()
	delete(p.calls, id)
	p.mu.Unlock()
}

func (p *proc) setOut(out engine.Output) {
	p.mu.Lock()
	p.out = out
	p.mu.Unlock()
}

func (p *proc) setInExec(b bool) {
	p.mu.Lock()
	p.inExec = b
	p.mu.Unlock()
}

func (p *proc) output() engine.Output {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out
}

func (p *proc) recvLoop() {
	defer close(p.recvDone)
	defer func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.closed = true
		for id, ch := range p.calls {
			close(ch)
			delete(p.calls, id)
		}
		p.mu.Unlock()
	}()
	for {
		m, err := p.conn.Recv()
		if err != nil {
			select {
			case <-p.exited:
			default:
				if !errors.Is(err, os.ErrClosed) && !errors.Is(err, io.EOF) {
					p.cfg.Logger.Printf("worker %d: %v", p.pid(), err)
				}
			}
			return
		}
		if m.Sync > 0 {
			p.waitSync(m.Sync)
		}
		p.handle(m)
		if m.Sync > 0 {
			p.mu.Lock()
			p.handled = max(p.handled, m.Sync)
			p.cond.Broadcast()
			p.mu.Unlock()
		}
	}
}

// handle delivers one message of the worker.
func (p *proc) handle(m *ipc.Msg) {
	switch m.Type {
	case ipc.Ready:
		p.readyOnce.Do(func() { close(p.ready) })
	case ipc.CommOut:
		if m.Comm != nil && p.comms != nil {
			p.comms(*m.Comm)
		}
	case ipc.Result, ipc.CompleteRep, ipc.InspectRep, ipc.IsCompRep, ipc.Restored, ipc.CommInfoRep:
		p.mu.Lock()
		ch := p.calls[m.ID]
		delete(p.calls, m.ID)
		p.mu.Unlock()
		if ch != nil {
			ch <- m
		}
	case ipc.Stream:
		p.stream(m.Name, []byte(m.Text))
	case ipc.Display, ipc.Update:
		if out := p.output(); out != nil && m.Bundle != nil {
			if m.Type == ipc.Display {
				out.Display(*m.Bundle, m.DisplayID)
			} else {
				out.Update(*m.Bundle, m.DisplayID)
			}
		}
	case ipc.Clear:
		if out := p.output(); out != nil {
			out.Clear(m.Wait)
		}
	case ipc.InputReq:
		go p.input(m)
	default:
		p.cfg.Logger.Printf("worker %d: ignoring %q", p.pid(), m.Type)
	}
}

// input asks the current Output for a line and sends it back.
func (p *proc) input(m *ipc.Msg) {
	r := &ipc.Msg{Type: ipc.InputReply, ID: m.ID}
	out := p.output()
	if out == nil {
		r.Error = "no cell is running"
	} else if line, err := out.Input(m.Prompt, m.Password); err != nil {
		if err.Error() == "EOF" {
			r.EOF = true
		} else {
			r.Error = err.Error()
		}
	} else {
		r.Text = line
	}
	p.send(r)
}

// passMarker records that reader i reached marker n and waits (for at
// most a second) until the message with Sync n has been handled.
func (p *proc) passMarker(i int, n uint64) {
	deadline := time.Now().Add(time.Second)
	t := time.AfterFunc(time.Second, func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	defer t.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	p.reached[i] = max(p.reached[i], n)
	p.cond.Broadcast()
	for p.handled < n && time.Now().Before(deadline) {
		select {
		case <-p.recvDone:
			return
		default:
		}
		p.cond.Wait()
	}
}

// waitSync waits until both stdout and stderr readers have passed marker
// n (or ended), for at most a second: a cell that closed its stdout
// writes no markers there.
func (p *proc) waitSync(n uint64) {
	deadline := time.Now().Add(time.Second)
	t := time.AfterFunc(time.Second, func() {
		p.mu.Lock()
		p.cond.Broadcast()
		p.mu.Unlock()
	})
	defer t.Stop()
	p.mu.Lock()
	defer p.mu.Unlock()
	for !((p.reached[0] >= n || p.eof[0]) && (p.reached[1] >= n || p.eof[1])) && time.Now().Before(deadline) {
		p.cond.Wait()
	}
}

// readStd reads the worker's stdout (i = 0) or stderr (1). At each sync
// marker it waits until the message that follows the marker has been
// handled, so that text written after that message is shown after it.
func (p *proc) readStd(i int, r *os.File) {
	defer p.stdDone.Done()
	st := ipc.NewStripper(p.nonce)
	buf := make([]byte, 32<<10)
	for {
		n, err := r.Read(buf)
		if n > 0 {
			for _, pc := range st.Feed(buf[:n]) {
				p.emit(i, pc.Text)
				if pc.Mark > 0 {
					p.passMarker(i, pc.Mark)
				}
			}
		}
		if err != nil {
			p.emit(i, st.Flush())
			p.mu.Lock()
			p.eof[i] = true
			p.cond.Broadcast()
			p.mu.Unlock()
			return
		}
	}
}

// crashPrefixes start the lines with which the Go runtime reports a dying
// process.
var crashPrefixes = [][]byte{
	[]byte("fatal error: "), []byte("runtime: "), []byte("panic: "),
	[]byte("unexpected fault address"), []byte("SIGSEGV: "), []byte("SIGBUS: "),
	[]byte("fatal: morestack"),
}

// crashStart returns the offset of the first line of text that starts a
// crash report, -1 if none.
func crashStart(atLineStart bool, text []byte) int {
	for i := 0; i < len(text); {
		if i > 0 || atLineStart {
			for _, pre := range crashPrefixes {
				if bytes.HasPrefix(text[i:], pre) {
					return i
				}
			}
		}
		j := bytes.IndexByte(text[i:], '\n')
		if j < 0 {
			return -1
		}
		i += j + 1
	}
	return -1
}

func (p *proc) emit(i int, text []byte) {
	if len(text) == 0 {
		return
	}
	if i == 0 {
		p.stream("stdout", text)
		return
	}
	p.mu.Lock()
	p.tail = append(p.tail, text...)
	if len(p.tail) > maxTail {
		p.tail = append([]byte(nil), p.tail[len(p.tail)-maxTail:]...)
	}
	atStart := p.errAtLineStart
	p.errAtLineStart = text[len(text)-1] == '\n'
	if p.holding {
		if len(p.crash) < maxCrash {
			p.crash = append(p.crash, text...)
		}
		p.mu.Unlock()
		return
	}
	k := crashStart(atStart, text)
	if k < 0 {
		p.mu.Unlock()
		p.stream("stderr", text)
		return
	}
	p.holding = true
	p.crash = append([]byte(nil), text[k:]...)
	p.mu.Unlock()
	p.stream("stderr", text[:k])
	time.AfterFunc(p.cfg.CrashWait, p.releaseHold)
}

// releaseHold shows held stderr text as ordinary output if the worker
// did not die after all.
func (p *proc) releaseHold() {
	if !p.alive() {
		return
	}
	p.mu.Lock()
	held := p.crash
	p.crash, p.holding = nil, false
	p.mu.Unlock()
	p.stream("stderr", held)
}

func (p *proc) stream(name string, text []byte) {
	if len(text) == 0 {
		return
	}
	if out := p.output(); out != nil {
		out.Stream(name, string(text))
		return
	}
	p.cfg.Logger.Printf("worker %s: %s", name, bytes.TrimRight(text, "\n"))
}
