package worker

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/ipc"
)

// Supervisor is an engine.Engine that runs cells in a worker process and
// replaces the worker when it dies. Its methods are safe for concurrent
// use; Execute runs one cell at a time.
type Supervisor struct {
	cfg  Config
	argv []string
	env  []string

	mu       sync.Mutex
	cur      *proc         // the current worker, nil before the first start
	starting chan struct{} // closed when the current start attempt ended
	startErr error
	state    json.RawMessage // saved after the last cell that changed it
	notes    []string        // about a worker that died between cells
	closed   bool

	sink   atomic.Pointer[sinkBox] // where the workers' comm messages go
	commMu sync.Mutex
	opens  map[string]engine.Comm // comm_opens of the front end not closed
	order  []string               // their ids, in order

	execMu     sync.Mutex
	ids        atomic.Uint64
	interrupts atomic.Int32
	kill       chan struct{}
}

var (
	_ engine.Engine = (*Supervisor)(nil)
	_ engine.Comms  = (*Supervisor)(nil)
)

// New returns a Supervisor and starts its first worker in the background.
func New(cfg Config) (*Supervisor, error) {
	cfg = cfg.withDefaults()
	argv := cfg.Command
	if len(argv) == 0 {
		exe, err := os.Executable()
		if err != nil {
			return nil, fmt.Errorf("worker: %w", err)
		}
		argv = []string{exe, "worker"}
	}
	env := cfg.Env
	if env == nil {
		env = os.Environ()
	}
	env = append([]string(nil), env...)
	switch {
	case cfg.MemoryLimit > 0:
		env = setEnv(env, ipc.EnvMemory, fmt.Sprint(cfg.MemoryLimit))
	case cfg.MemoryLimit < 0:
		env = setEnv(env, ipc.EnvMemory, "none")
	case lookupEnv(env, ipc.EnvMemory) == "":
		env = setEnv(env, ipc.EnvMemory, fmt.Sprint(DefaultMemoryLimit()))
	}
	switch {
	case cfg.MaxStack > 0:
		env = setEnv(env, ipc.EnvStack, fmt.Sprint(cfg.MaxStack))
	case lookupEnv(env, ipc.EnvStack) == "":
		env = setEnv(env, ipc.EnvStack, fmt.Sprint(DefaultMaxStack))
	}
	s := &Supervisor{cfg: cfg, argv: argv, env: env, kill: make(chan struct{}, 1)}
	s.mu.Lock()
	s.spawnLocked()
	s.mu.Unlock()
	return s, nil
}

func lookupEnv(env []string, name string) string {
	v := ""
	for _, kv := range env {
		if len(kv) > len(name) && kv[:len(name)] == name && kv[len(name)] == '=' {
			v = kv[len(name)+1:]
		}
	}
	return v
}

func setEnv(env []string, name, value string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if len(kv) > len(name) && kv[:len(name)] == name && kv[len(name)] == '=' {
			continue
		}
		out = append(out, kv)
	}
	return append(out, name+"="+value)
}

// spawnLocked starts a new worker in the background, restoring the saved
// state into it. s.mu is held.
func (s *Supervisor) spawnLocked() {
	done := make(chan struct{})
	s.starting, s.startErr, s.cur = done, nil, nil
	state, argv := s.state, s.argv
	go func() {
		p, notes, err := s.start(argv, state)
		s.mu.Lock()
		if s.closed && p != nil {
			go p.stop(time.Second)
			p, err = nil, errors.New("worker: supervisor closed")
		}
		s.cur, s.startErr = p, err
		s.notes = append(s.notes, notes...)
		s.mu.Unlock()
		close(done)
		if p != nil {
			go s.watch(p)
		}
	}()
}

// start starts a worker, waits until it is ready and restores state.
func (s *Supervisor) start(argv []string, state json.RawMessage) (*proc, []string, error) {
	p, err := startProc(s.cfg, argv, s.env, s.comm)
	if err != nil {
		return nil, nil, err
	}
	t := time.NewTimer(s.cfg.StartTimeout)
	defer t.Stop()
	select {
	case <-p.ready:
	case <-p.exited:
		<-p.recvDone
		r := p.report()
		return nil, nil, fmt.Errorf("worker: it exited at start-up: %s", r.value)
	case <-t.C:
		p.kill("start-up timed out")
		return nil, nil, fmt.Errorf("worker: not ready after %v", s.cfg.StartTimeout)
	}
	if len(state) == 0 {
		s.reopenComms(p)
		return p, nil, nil
	}
	defer s.reopenComms(p)
	id := s.ids.Add(1)
	ch := p.call(id)
	if err := p.send(&ipc.Msg{Type: ipc.Restore, ID: id, State: state}); err != nil {
		return p, []string{"warning: the session's declarations could not be replayed: " + err.Error()}, nil
	}
	select {
	case m := <-ch:
		if m == nil {
			return p, []string{"warning: the new worker died while the session's declarations were replayed"}, nil
		}
		notes := m.Notes
		if m.Error != "" {
			notes = append(notes, "warning: replaying the session's declarations failed: "+m.Error)
		}
		return p, notes, nil
	case <-t.C:
		p.uncall(id)
		return p, []string{fmt.Sprintf("warning: replaying the session's declarations took more than %v", s.cfg.StartTimeout)}, nil
	}
}

// watch replaces a worker that dies while no cell runs (a timer callback
// that panics in compiled code, a goroutine that crashes the runtime).
func (s *Supervisor) watch(p *proc) {
	<-p.exited
	<-p.recvDone
	p.mu.Lock()
	inExec, killed := p.inExec, p.killed
	p.mu.Unlock()
	s.mu.Lock()
	if s.closed || s.cur != p || inExec || killed != "" {
		s.mu.Unlock()
		return
	}
	msg, text := s.noteDeathLocked(p)
	s.spawnLocked()
	s.mu.Unlock()
	s.cfg.Logger.Printf("%s\n%s", msg, text)
	if out := p.output(); out != nil {
		out.Stream("stderr", "error: "+msg+"\n")
	}
}

// noteDeathLocked records the note about p, which died between cells, for
// the next cell. s.mu is held; p has exited and its reader stopped.
func (s *Supervisor) noteDeathLocked(p *proc) (msg, text string) {
	r := p.report()
	msg = fmt.Sprintf("the worker process died after the last cell: %s (%s); a new worker was started and the session's declarations replayed", r.value, r.name)
	s.notes = append(s.notes, "error: "+msg)
	return msg, r.text
}

// get returns the ready current worker, starting one if there is none.
func (s *Supervisor) get(ctx context.Context) (*proc, error) {
	for try := 0; ; try++ {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return nil, errors.New("worker: supervisor closed")
		}
		done := s.starting
		s.mu.Unlock()
		select {
		case <-done:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		s.mu.Lock()
		p, err := s.cur, s.startErr
		if p != nil && p.alive() {
			s.mu.Unlock()
			return p, nil
		}
		if try >= 1 && err != nil {
			s.mu.Unlock()
			return nil, err
		}
		if s.starting == done { // nobody restarted it yet
			if p != nil {
				// it died between cells and watch has not replaced it
				// yet: say so, as watch would
				s.mu.Unlock()
				<-p.recvDone
				s.mu.Lock()
				p.mu.Lock()
				killed := p.killed
				p.mu.Unlock()
				if s.starting == done && s.cur == p && killed == "" && !s.closed {
					s.noteDeathLocked(p)
					s.spawnLocked()
				}
			} else {
				s.spawnLocked()
			}
		}
		s.mu.Unlock()
	}
}

// takeNotes returns and clears the notes about earlier restarts.
func (s *Supervisor) takeNotes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.notes
	s.notes = nil
	return n
}

// replace kills p (if it is still the current worker) and starts a new
// one, waiting for it; it returns the notes of the restart.
func (s *Supervisor) replace(p *proc, why string) []string {
	p.kill(why)
	<-p.exited
	s.mu.Lock()
	if s.cur == p {
		s.spawnLocked()
	}
	done := s.starting
	s.mu.Unlock()
	<-done
	return s.takeNotes()
}

// Interrupt is called for every interrupt the kernel receives (after it
// cancelled the running cell's context): a second interrupt of a cell that
// is still running replaces the worker at once.
func (s *Supervisor) Interrupt() {
	if s.interrupts.Add(1) >= 2 {
		select {
		case s.kill <- struct{}{}:
		default:
		}
	}
}

// Execute runs a cell in the worker. If the worker dies or must be
// replaced, the result is an error naming the cause, and a new worker is
// ready when Execute returns.
func (s *Supervisor) Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result {
	s.execMu.Lock()
	defer s.execMu.Unlock()
	return s.execute(ctx, req, out, true)
}

// execute runs a cell; with mayGo, a cell that asks for another worker
// (an import compiled into a new worker binary) gets it and runs again.
func (s *Supervisor) execute(ctx context.Context, req engine.Request, out engine.Output, maySwitch bool) engine.Result {
	s.interrupts.Store(0)
	select {
	case <-s.kill:
	default:
	}
	p, err := s.get(ctx)
	if err != nil {
		if ctx.Err() != nil {
			return errorResult("Interrupted", "interrupted while the worker was starting", nil)
		}
		return errorResult("KernelError", "the interpreter worker could not be started: "+err.Error(), nil)
	}
	notes := s.takeNotes()
	for _, n := range notes {
		out.Stream("stderr", n+"\n")
	}
	p.setOut(out)
	p.setInExec(true)
	defer p.setInExec(false)
	id := s.ids.Add(1)
	ch := p.call(id)
	var m *ipc.Msg
	why := ""
	if err := p.send(&ipc.Msg{Type: ipc.Execute, ID: id, Request: &req}); err == nil {
		select {
		case m = <-ch:
		case <-ctx.Done():
			p.send(&ipc.Msg{Type: ipc.Interrupt, ID: id})
			t := time.NewTimer(s.cfg.InterruptGrace)
			select {
			case m = <-ch:
			case <-t.C:
				why = fmt.Sprintf("the cell did not stop within %v of the interrupt (a compiled call that does not watch its context)", s.cfg.InterruptGrace)
			case <-s.kill:
				why = "the cell was interrupted a second time"
			}
			t.Stop()
		}
	}
	if m != nil && m.Result != nil {
		if m.State != nil {
			s.mu.Lock()
			s.state = m.State
			s.mu.Unlock()
		}
		res := *m.Result
		res.Notes = append(notes, res.Notes...)
		if len(m.Switch) > 0 && maySwitch && !m.Restart {
			return s.switchTo(ctx, p, m.Switch, req, out, res.Notes)
		}
		if m.Restart {
			more := s.replace(p, "the cell broke the worker's standard output")
			for _, n := range more {
				out.Stream("stderr", n+"\n")
			}
			res.Notes = append(res.Notes, more...)
		}
		return res
	}
	// The worker died, or must go.
	p.uncall(id)
	if why != "" {
		p.kill(why)
	}
	<-p.exited
	r := p.report()
	more := s.replace(p, why)
	res := errorResult(r.name, r.value, r.lines)
	res.Err.Traceback = append(res.Err.Traceback, "")
	res.Err.Traceback = append(res.Err.Traceback, "A new worker was started and the session's declarations were replayed.")
	res.Err.Traceback = append(res.Err.Traceback, more...)
	res.Notes = append(notes, more...)
	s.cfg.Logger.Printf("worker %d: %s: %s\n%s", p.pid(), r.name, r.value, r.text)
	return res
}

// switchTo replaces p with a worker started with argv (which later
// restarts use too), replays the session into it and runs req again.
func (s *Supervisor) switchTo(ctx context.Context, p *proc, argv []string, req engine.Request, out engine.Output, notes []string) engine.Result {
	s.mu.Lock()
	s.argv = append([]string(nil), argv...)
	s.mu.Unlock()
	s.cfg.Logger.Printf("worker %d: switching to %s", p.pid(), argv[0])
	more := s.replace(p, "switched to another worker binary")
	for _, n := range more {
		out.Stream("stderr", n+"\n")
	}
	res := s.execute(ctx, req, out, false)
	res.Notes = append(append(notes, more...), res.Notes...)
	return res
}

// Command returns the command line of the current worker (it changes when
// a cell imports a package compiled into another worker binary).
func (s *Supervisor) Command() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.argv...)
}

func errorResult(name, value string, lines []string) engine.Result {
	tb := []string{"\x1b[0;31m" + name + "\x1b[0m: " + value}
	tb = append(tb, lines...)
	return engine.Result{Err: &engine.Error{Name: name, Value: value, Traceback: tb}}
}

// call sends a request to the current worker and waits for its reply;
// nil if there is no worker, it dies or the call times out.
func (s *Supervisor) call(m *ipc.Msg) *ipc.Msg {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.CallTimeout)
	defer cancel()
	p, err := s.get(ctx)
	if err != nil {
		return nil
	}
	m.ID = s.ids.Add(1)
	ch := p.call(m.ID)
	if err := p.send(m); err != nil {
		p.uncall(m.ID)
		return nil
	}
	select {
	case r := <-ch:
		return r
	case <-ctx.Done():
		p.uncall(m.ID)
		return nil
	}
}

// Complete asks the worker for completions.
func (s *Supervisor) Complete(code string, cursor int) ([]string, int, int) {
	r := s.call(&ipc.Msg{Type: ipc.Complete, Code: code, Cursor: cursor})
	if r == nil {
		return nil, cursor, cursor
	}
	return r.Matches, r.Start, r.End
}

// Inspect asks the worker for documentation.
func (s *Supervisor) Inspect(code string, cursor, detail int) (map[string]any, bool) {
	r := s.call(&ipc.Msg{Type: ipc.Inspect, Code: code, Cursor: cursor, Detail: detail})
	if r == nil {
		return nil, false
	}
	return r.Data, r.Found
}

// IsComplete asks the worker whether code is complete.
func (s *Supervisor) IsComplete(code string) (string, string) {
	r := s.call(&ipc.Msg{Type: ipc.IsComplete, Code: code})
	if r == nil {
		return "unknown", ""
	}
	return r.Status, r.Indent
}

// PID returns the current worker's process id, 0 if none is running.
func (s *Supervisor) PID() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur == nil || !s.cur.alive() {
		return 0
	}
	return s.cur.pid()
}

// Ready waits until a worker is ready.
func (s *Supervisor) Ready(ctx context.Context) error {
	_, err := s.get(ctx)
	return err
}

// Close stops the worker.
func (s *Supervisor) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	done := s.starting
	s.mu.Unlock()
	if done != nil {
		<-done
	}
	s.mu.Lock()
	p := s.cur
	s.mu.Unlock()
	if p != nil {
		p.stop(time.Second)
		p.stdDone.Wait()
	}
	return nil
}
