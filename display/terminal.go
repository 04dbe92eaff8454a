package display

import (
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// TerminalOptions configures a TerminalSink. The zero value means the
// defaults.
type TerminalOptions struct {
	// Terminal says whether the writer is an interactive terminal: 0 detects
	// it (an *os.File that is a character device), 1 forces terminal mode, -1
	// forces plain-line mode.
	Terminal int
	// LineInterval is the minimum time between two progress-bar lines in
	// plain-line mode; zero means 5s. Terminal mode updates ~10 times a
	// second in place.
	LineInterval time.Duration
}

// TerminalSink is a Sink that writes the text/plain of every output to an
// io.Writer, for programs run from the command line (gotrann run, gotrann
// paper, compiled programs using the package-level functions).
//
// On a terminal (ANSI escape codes), an output that fits on one line (a
// progress bar) is updated in place while it is the last line written;
// elsewhere each update is a new line, and
// progress bars update at most every LineInterval. Clear does nothing.
// Write errors are remembered and returned by Flush.
type TerminalSink struct {
	w            io.Writer
	tty          bool
	lineInterval time.Duration

	mu         sync.Mutex
	lastLineID string            // id of the output on the last line written, if it is one line
	liveID     string            // id of the live line at the bottom (terminal mode)
	liveText   string            // its text
	last       map[string]string // last text written per id (plain-line mode)
	err        error
}

// NewTerminalSink returns a TerminalSink writing to w with the default
// options.
func NewTerminalSink(w io.Writer) *TerminalSink {
	return NewTerminalSinkWithOptions(w, TerminalOptions{})
}

// NewTerminalSinkWithOptions returns a TerminalSink writing to w.
func NewTerminalSinkWithOptions(w io.Writer, o TerminalOptions) *TerminalSink {
	s := &TerminalSink{w: w, lineInterval: o.LineInterval, last: map[string]string{}}
	switch {
	case o.Terminal > 0:
		s.tty = true
	case o.Terminal == 0:
		s.tty = isTerminal(w)
	}
	if s.lineInterval <= 0 {
		s.lineInterval = 5 * time.Second
	}
	return s
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// IsTerminal reports whether s updates lines in place.
func (s *TerminalSink) IsTerminal() bool { return s.tty }

// UpdateInterval is the minimum time between two updates of a progress
// bar that s wants: none on a terminal, LineInterval otherwise.
func (s *TerminalSink) UpdateInterval() time.Duration {
	if s.tty {
		return 0
	}
	return s.lineInterval
}

func plainText(b Bundle) string {
	t, _ := b.Data["text/plain"].(string)
	return strings.TrimRight(t, "\n")
}

// Display writes the text of b on new lines (above the live line, if
// any, on a terminal).
func (s *TerminalSink) Display(b Bundle, id string) {
	t := plainText(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.tty {
		s.writeLocked(t + "\n")
		if id != "" {
			s.last[id] = t
		}
		return
	}
	s.printLocked(t)
	if s.liveID == "" && id != "" && !strings.Contains(t, "\n") {
		s.lastLineID = id
	}
}

// Update writes the new text of output id.
//
// On a terminal, a one-line output that is updated while it is the last
// line written becomes the live line: it is rewritten in place (cursor up,
// \r, text, erase to the end of the line), and other output is printed
// above it, until Flush (which Bar.Done calls) releases it. Other updates
// are printed as new output.
//
// In plain-line mode each update is a new line; an update that does not
// change the text is skipped.
func (s *TerminalSink) Update(b Bundle, id string) {
	t := plainText(b)
	s.mu.Lock()
	defer s.mu.Unlock()
	oneLine := !strings.Contains(t, "\n")
	if !s.tty {
		if id != "" && s.last[id] == t {
			return
		}
		s.last[id] = t
		s.writeLocked(t + "\n")
		return
	}
	switch {
	case id != "" && oneLine && id == s.liveID:
	case id != "" && oneLine && s.liveID == "" && id == s.lastLineID:
		s.liveID = id
	default:
		s.printLocked(t)
		return
	}
	s.liveText = t
	s.writeLocked("\x1b[A\r" + t + "\x1b[K\n")
}

// printLocked prints t as new output: above the live line if there is one.
func (s *TerminalSink) printLocked(t string) {
	s.lastLineID = ""
	if s.liveID == "" {
		s.writeLocked(t + "\n")
		return
	}
	s.writeLocked("\x1b[A\r\x1b[K" + t + "\n" + s.liveText + "\n")
}

// Clear does nothing: text already written to a terminal or a log stays.
func (s *TerminalSink) Clear(wait bool) {}

// Flush releases the live line (it stays on the screen as it is; later
// output goes below it) and returns the first write error, if any.
func (s *TerminalSink) Flush() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.liveID, s.liveText, s.lastLineID = "", "", ""
	return s.err
}

func (s *TerminalSink) writeLocked(t string) {
	if s.err != nil {
		return
	}
	if _, err := io.WriteString(s.w, t); err != nil {
		s.err = err
	}
}
