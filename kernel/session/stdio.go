package session

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"sync"
	"time"
)

// stdio gives cells *os.File standard output and error whose writes reach
// the running cell's Output in order. Without capture they are pipes only
// the interpreter writes to; with capture, file descriptors 1 and 2 of the
// process are redirected onto the pipes (dup2), so output of compiled code
// is caught too, and log is a dup of the original stderr.
type stdio struct {
	files   [2]*os.File // stdout and stderr as cells see them
	pumps   [2]*pump
	restore func() error // undoes the redirection, nil without capture
	log     *os.File
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

func newStdio(capture bool, out, errw io.Writer) (*stdio, error) {
	s := &stdio{log: os.Stderr}
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
		p.sync(time.Second)
	}
}

// close restores redirected descriptors, closes the pipes and stops the
// pumps.
func (s *stdio) close() error {
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
