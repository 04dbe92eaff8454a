package runner

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// progress prints one line per code cell, "[3/12] cell 3 (code) ... ok
// 0.4s", and a summary. When live output (progress bars) is drawn on the
// same terminal while a cell runs, the line is ended first and repeated in
// full when the cell is done.
type progress struct {
	mu     sync.Mutex // interrupt comes from the cell's goroutines
	w      io.Writer
	prefix string // "[3/12] cell 3 (code)"
	broken bool   // the current line was ended by live output
}

func (p *progress) start(k, n, index int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == nil {
		return
	}
	p.prefix = fmt.Sprintf("[%d/%d] cell %d (code)", k, n, index+1)
	p.broken = false
	fmt.Fprintf(p.w, "%s ...", p.prefix)
}

// interrupt ends the current line before live output is drawn.
func (p *progress) interrupt() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == nil || p.broken || p.prefix == "" {
		return
	}
	p.broken = true
	fmt.Fprintln(p.w)
}

func (p *progress) done(status string, d time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == nil {
		return
	}
	if p.broken {
		fmt.Fprintf(p.w, "%s ... %s %s\n", p.prefix, status, seconds(d))
	} else {
		fmt.Fprintf(p.w, " %s %s\n", status, seconds(d))
	}
	p.prefix = ""
}

func (p *progress) printf(format string, args ...any) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.w == nil {
		return
	}
	fmt.Fprintf(p.w, format, args...)
}

// seconds formats a cell's duration: "0.4s", "12.3s", "2m5s".
func seconds(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

// plural returns "1 cell" or "3 cells".
func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, word)
	}
	if strings.HasSuffix(word, "s") {
		return fmt.Sprintf("%d %ses", n, word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
