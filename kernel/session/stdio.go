package session

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/traefik/yaegi/interp"
)

// stdio gives cells *os.File standard output and error. In pipe mode (the
// default) they are pipes only the interpreter writes to, whose writes reach
// the running cell's Output in order; with capture, file descriptors 1 and 2
// of the process are redirected onto the pipes (dup2), so output of
// compiled code is caught too, and log is a dup of the original stderr. In
// worker mode (Options.Stdout or Stderr set) they are the given files: no
// pipes, no pumps, no redirection.
type stdio struct {
	files   [2]*os.File  // stdout and stderr as cells see them
	pumps   [2]*pump     // nil in worker mode
	restore func() error // undoes the redirection, nil without capture
	log     *os.File
	worker  bool // files are the caller's: not closed
}

// pump copies one pipe to a writer and answers sync markers.
type pump struct {
	r      *os.File
	marker *os.File // where sync writes its marker
	dst    io.Writer
	mu     sync.Mutex
	mark   []byte
	seen   chan struct{}
	done   chan struct{}
}

func newStdio(opts Options, out, errw io.Writer) (*stdio, error) {
	s := &stdio{log: os.Stderr}
	if opts.Stdout != nil || opts.Stderr != nil {
		s.files = [2]*os.File{opts.Stdout, opts.Stderr}
		if s.files[0] == nil {
			s.files[0] = os.Stdout
		}
		if s.files[1] == nil {
			s.files[1] = os.Stderr
		}
		s.worker = true
		return s, nil
	}
	capture := opts.CaptureStdio
	var pipes [2][2]*os.File
	for i := range pipes {
		r, w, err := os.Pipe()
		if err != nil {
			for _, p := range pipes[:i] {
				p[0].Close()
				p[1].Close()
			}
			return nil, fmt.Errorf("session: pipe: %w", err)
		}
		pipes[i] = [2]*os.File{r, w}
	}
	if capture {
		restore, logf, err := redirect(pipes[0][1], pipes[1][1])
		if err != nil {
			for _, p := range pipes {
				p[0].Close()
				p[1].Close()
			}
			return nil, err
		}
		pipes[0][1].Close()
		pipes[1][1].Close()
		s.files = [2]*os.File{os.Stdout, os.Stderr}
		s.restore, s.log = restore, logf
	} else {
		s.files = [2]*os.File{pipes[0][1], pipes[1][1]}
	}
	for i, dst := range []io.Writer{out, errw} {
		p := &pump{r: pipes[i][0], marker: s.files[i], dst: dst, done: make(chan struct{})}
		s.pumps[i] = p
		go p.run()
	}
	return s, nil
}

func (p *pump) run() {
	defer close(p.done)
	buf := make([]byte, 32<<10)
	var pending []byte
	for {
		n, err := p.r.Read(buf)
		if n > 0 {
			pending = append(pending, buf[:n]...)
			p.mu.Lock()
			m, seen := p.mark, p.seen
			p.mu.Unlock()
			keep := 0
			if m != nil {
				if i := bytes.Index(pending, m); i >= 0 {
					p.dst.Write(pending[:i])
					pending = append([]byte(nil), pending[i+len(m):]...)
					p.mu.Lock()
					p.mark, p.seen = nil, nil
					p.mu.Unlock()
					close(seen)
				} else {
					// hold back a tail that could start the marker
					for k := len(m) - 1; k > 0; k-- {
						if len(pending) >= k && bytes.Equal(pending[len(pending)-k:], m[:k]) {
							keep = k
							break
						}
					}
				}
			}
			if len(pending) > keep {
				p.dst.Write(pending[:len(pending)-keep])
				pending = append([]byte(nil), pending[len(pending)-keep:]...)
			}
		}
		if err != nil {
			if len(pending) > 0 {
				p.dst.Write(pending)
			}
			return
		}
	}
}

// sync waits until everything written before the call has been routed, or
// until timeout.
func (p *pump) sync(timeout time.Duration) {
	m := []byte(fmt.Sprintf("\x00gotrann-sync-%d\x00", time.Now().UnixNano()))
	seen := make(chan struct{})
	p.mu.Lock()
	p.mark, p.seen = m, seen
	p.mu.Unlock()
	if _, err := p.marker.Write(m); err != nil {
		return
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-seen:
	case <-t.C:
	}
}

// flush routes everything written so far.
func (s *stdio) flush() {
	for _, p := range s.pumps {
		if p != nil {
			p.sync(time.Second)
		}
	}
}

// close restores redirected descriptors, closes the pipes and stops the
// pumps.
func (s *stdio) close() error {
	if s.worker {
		return nil
	}
	var err error
	if s.restore != nil {
		err = s.restore()
	} else {
		s.files[0].Close()
		s.files[1].Close()
	}
	for _, p := range s.pumps {
		select {
		case <-p.done:
		case <-time.After(time.Second): // a child process may hold the pipe
		}
		p.r.Close()
	}
	return err
}

// stdioSymbols binds os.Stdin, os.Stdout and os.Stderr of interpreted code
// to stdin, stdout and stderr, and the log package to a logger on stderr
// (as yaegi's own binding does, Fatal* panicking instead of exiting), so
// that yaegi's own stderr (its panic lines) is not what cells write to.
func stdioSymbols(stdin io.Reader, stdout, stderr *os.File) interp.Exports {
	l := log.New(stderr, "", log.LstdFlags)
	lg := map[string]reflect.Value{
		"Fatal":     reflect.ValueOf(l.Panic),
		"Fatalf":    reflect.ValueOf(l.Panicf),
		"Fatalln":   reflect.ValueOf(l.Panicln),
		"Flags":     reflect.ValueOf(l.Flags),
		"Output":    reflect.ValueOf(l.Output),
		"Panic":     reflect.ValueOf(l.Panic),
		"Panicf":    reflect.ValueOf(l.Panicf),
		"Panicln":   reflect.ValueOf(l.Panicln),
		"Prefix":    reflect.ValueOf(l.Prefix),
		"Print":     reflect.ValueOf(l.Print),
		"Printf":    reflect.ValueOf(l.Printf),
		"Println":   reflect.ValueOf(l.Println),
		"SetFlags":  reflect.ValueOf(l.SetFlags),
		"SetOutput": reflect.ValueOf(l.SetOutput),
		"SetPrefix": reflect.ValueOf(l.SetPrefix),
		"Writer":    reflect.ValueOf(l.Writer),
	}
	// values with String or Format methods keep them through log's
	// ...any arguments, as with yaegi's own binding
	mt := map[reflect.Value][]reflect.Type{}
	fmtTypes := []reflect.Type{reflect.TypeOf((*fmt.Formatter)(nil)).Elem(), reflect.TypeOf((*fmt.Stringer)(nil)).Elem()}
	for _, n := range []string{"Fatal", "Fatalf", "Fatalln", "Panic", "Panicf", "Panicln", "Print", "Printf", "Println"} {
		mt[lg[n]] = fmtTypes
	}
	return interp.Exports{
		"os/os": {
			"Stdin":  reflect.ValueOf(&stdin).Elem(),
			"Stdout": reflect.ValueOf(&stdout).Elem(),
			"Stderr": reflect.ValueOf(&stderr).Elem(),
		},
		"log/log": lg,
		".":       {"MapTypes": reflect.ValueOf(mt)},
	}
}
