package session

import (
	"bytes"
	"errors"
	"io"
	"log"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/trannsformer/gotrann/display"
	"github.com/trannsformer/gotrann/kernel/engine"
)

// router forwards everything cells produce to the Output of the cell that
// runs now. Between cells it keeps the most recent cell's Output: output of
// goroutines that outlive their cell goes to the last cell that ran.
type router struct {
	mu       sync.Mutex
	out      Output
	allowIn  bool
	panics   []string // yaegi's "file:L:C: panic: ..." lines of this cell
	stdinBuf []byte
}

func (r *router) set(out Output, allowStdin bool) {
	r.mu.Lock()
	r.out, r.allowIn, r.panics, r.stdinBuf = out, allowStdin, nil, nil
	r.mu.Unlock()
}

func (r *router) current() Output {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out
}

func (r *router) stream(name, text string) {
	if text == "" {
		return
	}
	if o := r.current(); o != nil {
		o.Stream(name, text)
	}
}

// takePanics returns and clears the panic lines yaegi printed.
func (r *router) takePanics() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	p := r.panics
	r.panics = nil
	return p
}

// panicLine matches what yaegi prints to its own stderr (Options.Stderr of
// the interpreter, which nothing else writes to) for each unwound frame;
// yaegiLog matches the log.Panic line its compiler prints through the
// standard logger before panicking.
var (
	panicLine = regexp.MustCompile(`^\S+:\d+:\d+: panic`)
	yaegiLog  = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d nil type\n?$`)
)

// streamWriter is an io.Writer for one stream name: it passes text through
// to the running cell's Output at once. Nothing written to it is dropped.
type streamWriter struct {
	r    *router
	name string
}

func (w *streamWriter) Write(p []byte) (int, error) {
	w.r.stream(w.name, string(p))
	return len(p), nil
}

// yaegiStderr is the interpreter's own stderr (interp.Options.Stderr): only
// yaegi writes to it (cells' os.Stderr and log are bound to the real stderr
// file). It keeps yaegi's panic lines, which become the traceback of the
// cell's error, and forwards anything else to dst.
type yaegiStderr struct {
	r   *router
	dst io.Writer
	mu  sync.Mutex
	buf []byte
}

func (w *yaegiStderr) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		line := string(w.buf[:i+1])
		w.buf = w.buf[i+1:]
		if panicLine.MatchString(line) {
			w.r.mu.Lock()
			w.r.panics = append(w.r.panics, strings.TrimSuffix(line, "\n"))
			w.r.mu.Unlock()
			continue
		}
		w.dst.Write([]byte(line))
	}
	if len(w.buf) == 0 {
		w.buf = nil
	}
	return len(p), nil
}

// flush forwards a pending partial line.
func (w *yaegiStderr) flush() {
	w.mu.Lock()
	rest := w.buf
	w.buf = nil
	w.mu.Unlock()
	if len(rest) > 0 {
		w.dst.Write(rest)
	}
}

// compiling counts the sessions of the process that are compiling now: the
// standard logger's filter drops yaegi's "nil type" line only then.
var compiling atomic.Int32

// compileLogFilter is the standard logger's output in worker and capture
// modes, where the logger writes to what the user sees as the cell's
// stderr: it drops the line yaegi's compiler logs before it panics (the
// panic becomes the cell's error) while a session compiles, and nothing
// else.
type compileLogFilter struct{ dst io.Writer }

func (f compileLogFilter) Write(p []byte) (int, error) {
	if compiling.Load() > 0 && yaegiLog.Match(p) {
		return len(p), nil
	}
	return f.dst.Write(p)
}

var installLogFilter sync.Mutex

// filterStdLog installs compileLogFilter on the standard logger, unless it
// is there already.
func filterStdLog() {
	installLogFilter.Lock()
	defer installLogFilter.Unlock()
	if _, ok := log.Writer().(compileLogFilter); !ok {
		log.SetOutput(compileLogFilter{dst: log.Writer()})
	}
}

// errStdinNotAllowed is what a read of os.Stdin returns when the frontend
// does not accept input requests.
var errStdinNotAllowed = errors.New("stdin is not available: the frontend does not allow input for this cell (allow_stdin is false)")

// stdinReader gives cells a stdin that asks the frontend for one line each
// time its buffer is empty.
type stdinReader struct{ r *router }

func (s stdinReader) Read(p []byte) (int, error) {
	s.r.mu.Lock()
	if len(s.r.stdinBuf) == 0 {
		out, allow := s.r.out, s.r.allowIn
		s.r.mu.Unlock()
		if out == nil || !allow {
			return 0, errStdinNotAllowed
		}
		line, err := out.Input("", false)
		if err != nil {
			return 0, err
		}
		s.r.mu.Lock()
		s.r.stdinBuf = append(s.r.stdinBuf, line+"\n"...)
	}
	n := copy(p, s.r.stdinBuf)
	s.r.stdinBuf = s.r.stdinBuf[n:]
	s.r.mu.Unlock()
	return n, nil
}

// sinkAdapter is the display.Sink of a session's display.Display: it
// forwards to the Output of the running cell.
type sinkAdapter struct{ r *router }

func (a sinkAdapter) Display(b display.Bundle, id string) {
	if o := a.r.current(); o != nil {
		o.Display(engine.Bundle(b), id)
	}
}

func (a sinkAdapter) Update(b display.Bundle, id string) {
	if o := a.r.current(); o != nil {
		o.Update(engine.Bundle(b), id)
	}
}

func (a sinkAdapter) Clear(wait bool) {
	if o := a.r.current(); o != nil {
		o.Clear(wait)
	}
}

var _ io.Reader = stdinReader{}
