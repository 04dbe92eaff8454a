package session

import (
	"context"
	"errors"
	"github.com/trannsformer/gotrann/kernel/engine"
	"strings"
	"sync"
	"testing"
)

// fakeOutput records what a cell produced.
type fakeOutput struct {
	mu       sync.Mutex
	stdout   strings.Builder
	stderr   strings.Builder
	displays []engine.Bundle
	inputs   []string // lines to answer Input with
	asked    int
	notify   chan string // when not nil, receives every streamed text
}

func (f *fakeOutput) Display(b engine.Bundle, id string) {
	f.mu.Lock()
	f.displays = append(f.displays, b)
	f.mu.Unlock()
}
func (f *fakeOutput) Update(b engine.Bundle, id string) {}
func (f *fakeOutput) Clear(wait bool)                   {}
func (f *fakeOutput) Stream(name, text string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.notify != nil {
		select {
		case f.notify <- text:
		default:
		}
	}
	if name == "stdout" {
		f.stdout.WriteString(text)
	} else {
		f.stderr.WriteString(text)
	}
}
func (f *fakeOutput) Input(prompt string, password bool) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.asked >= len(f.inputs) {
		return "", errors.New("no more input")
	}
	f.asked++
	return f.inputs[f.asked-1], nil
}

func (f *fakeOutput) out() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stdout.String()
}

func (f *fakeOutput) errs() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.stderr.String()
}

func newTestSession(t testing.TB) *Session {
	t.Helper()
	s, err := New(withTables(Options{}))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// run executes code and returns the result and the output.
func execCell(t testing.TB, s *Session, code string) (Result, *fakeOutput) {
	t.Helper()
	out := &fakeOutput{}
	res := s.Execute(context.Background(), Request{Code: code, StoreHistory: true}, out)
	return res, out
}

func value(r Result) string {
	if r.Value == nil {
		return "<none>"
	}
	return r.Value.Data["text/plain"].(string)
}
