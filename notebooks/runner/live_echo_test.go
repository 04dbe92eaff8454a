package runner

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// slowSink records calls and asks for a minimum update interval.
type slowSink struct {
	calls []string
}

func (s *slowSink) Display(b engine.Bundle, id string) {
	s.calls = append(s.calls, fmt.Sprintf("show %s %v", id, b.Data["text/plain"]))
}
func (s *slowSink) Update(b engine.Bundle, id string) {
	s.calls = append(s.calls, fmt.Sprintf("update %s %v", id, b.Data["text/plain"]))
}
func (s *slowSink) Clear(wait bool)               {}
func (s *slowSink) UpdateInterval() time.Duration { return 5 * time.Second }
func (s *slowSink) Flush() error                  { s.calls = append(s.calls, "flush"); return nil }

func TestLiveEchoThrottle(t *testing.T) {
	sink := &slowSink{}
	e := newLiveEcho(sink)
	now := time.Unix(0, 0)
	e.now = func() time.Time { return now }
	e.display(textBundle("0%"), "bar")
	for i := 1; i <= 10; i++ {
		now = now.Add(time.Second)
		e.update(textBundle(fmt.Sprintf("%d0%%", i)), "bar")
	}
	e.flush()
	e.flush() // nothing new: no second flush
	want := "show bar 0%|update bar 50%|update bar 100%|flush"
	if got := strings.Join(sink.calls, "|"); got != want {
		t.Errorf("calls %s\nwant  %s", got, want)
	}

	sink.calls = nil
	e.update(textBundle("x"), "other")
	now = now.Add(time.Second)
	e.update(textBundle("y"), "other")
	e.flush()
	if got := strings.Join(sink.calls, "|"); got != "update other x|update other y|flush" {
		t.Errorf("held-back update not sent at the end of the cell: %s", got)
	}
	if newLiveEcho(nil) != nil {
		t.Errorf("no sink, no echo")
	}
}
