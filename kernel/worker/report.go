package worker

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"syscall"
	"time"
)

// crashReport is what the kernel says about a worker that died.
type crashReport struct {
	name  string   // ename: StackOverflow, OutOfMemory, FatalError, Panic, Killed, Interrupted, WorkerExited
	value string   // evalue: the runtime's own line, or what happened
	lines []string // the runtime's report, shortened
	text  string   // everything held, for the log
}

// maxReportLines bounds the lines of a crash report shown in a traceback.
const maxReportLines = 40

// report describes why p is gone. It waits (briefly) for the stderr
// reader to reach the end of the pipe.
func (p *proc) report() crashReport {
	done := make(chan struct{})
	go func() { p.stdDone.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
	p.mu.Lock()
	killed, state := p.killed, p.state
	text := p.crash
	if len(text) == 0 {
		text = p.tail
	}
	text = append([]byte(nil), text...)
	p.mu.Unlock()

	var r crashReport
	r.text = string(text)
	lines := strings.Split(strings.TrimRight(string(text), "\n"), "\n")
	var runtimeLines []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "fatal error: "):
			if r.value == "" {
				r.value = l
			}
		case strings.HasPrefix(l, "panic: "):
			if r.value == "" {
				r.value = l
				r.name = "Panic"
			}
		case strings.HasPrefix(l, "runtime: ") && !strings.Contains(l, "sp=0x"):
			runtimeLines = append(runtimeLines, l)
		}
	}
	switch {
	case killed != "":
		r.name, r.value = "Interrupted", killed+": the worker process was stopped"
	case r.value == "" && len(runtimeLines) > 0:
		r.name, r.value = "FatalError", runtimeLines[0]
	case r.value == "":
		r.name, r.value = "WorkerExited", "the worker process "+exitText(state)
	}
	if r.name == "" {
		switch {
		case strings.Contains(r.value, "stack overflow"):
			r.name = "StackOverflow"
		case strings.Contains(r.value, "out of memory"):
			r.name = "OutOfMemory"
		default:
			r.name = "FatalError"
		}
	}
	if killed == "" {
		for _, l := range runtimeLines {
			if strings.Contains(l, "out of memory") {
				r.name = "OutOfMemory"
			}
		}
		if len(runtimeLines) > 0 && r.value != runtimeLines[0] {
			r.value += " (" + strings.Join(runtimeLines[:min(2, len(runtimeLines))], "; ") + ")"
		}
		r.value += "; the worker process " + exitText(state)
	}
	if killed == "" && len(bytes.TrimSpace(text)) > 0 {
		r.lines = shorten(lines)
	}
	return r
}

func exitText(st *os.ProcessState) string {
	if st == nil {
		return "ended"
	}
	if ws, ok := st.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		s := "was killed by signal " + ws.Signal().String()
		if ws.Signal() == syscall.SIGKILL {
			s += " (the system's out-of-memory killer, or another process)"
		}
		return s
	}
	return fmt.Sprintf("exited with status %d", st.ExitCode())
}

// shorten keeps the report's head: the runtime's own message (up to the
// first blank line) and the top frames of the goroutine that failed (or
// the first one listed); the whole report goes to the kernel's log.
func shorten(lines []string) []string {
	var out []string
	i := 0
	for ; i < len(lines) && strings.TrimSpace(lines[i]) != "" && len(out) < maxReportLines; i++ {
		out = append(out, lines[i])
	}
	// the first goroutine block: its header and a few frames
	for ; i < len(lines); i++ {
		if strings.HasPrefix(lines[i], "goroutine ") {
			out = append(out, "")
			end := min(len(lines), i+1+2*maxFrames)
			for _, l := range lines[i:end] {
				if strings.TrimSpace(l) == "" {
					break
				}
				out = append(out, l)
				i++
			}
			break
		}
	}
	if rest := len(lines) - i; rest > 0 {
		out = append(out, fmt.Sprintf("... (%d more lines of the runtime's report in the kernel's log)", rest))
	}
	return out
}

// maxFrames is the number of stack frames of a crash report shown.
const maxFrames = 6
