package widget

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/trannsformer/gotrann/display"
)

// sink records a Display's calls.
type sink struct {
	mu     sync.Mutex
	events []string
}

func (s *sink) add(e string) {
	s.mu.Lock()
	s.events = append(s.events, e)
	s.mu.Unlock()
}

func (s *sink) Display(b display.Bundle, id string) {
	if _, ok := b.Data[ViewMIME]; ok {
		s.add("display:widget")
		return
	}
	s.add(fmt.Sprintf("display:%v", b.Data["text/plain"]))
}
func (s *sink) Update(b display.Bundle, id string) {
	s.add(fmt.Sprintf("update:%v", b.Data["text/plain"]))
}
func (s *sink) Clear(bool) { s.add("clear") }

func (s *sink) all() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.events...)
}

func TestInteract(t *testing.T) {
	k, _ := newKit(Protocol2)
	sk := &sink{}
	k.SetDisplay(display.New(sk))
	it, err := k.Interact(func(n int, x float64, mode string, on bool) string {
		return fmt.Sprintf("%d %.2f %s %v", n, x, mode, on)
	}, IntParam("n", 0, 10, 1, 3), FloatParam("x", 0, 1, 0.1, 0.5), ChoiceParam("mode", []string{"a", "b"}, 1), BoolParam("on", true))
	if err != nil {
		t.Fatal(err)
	}
	c := it.Controls()
	frontUpdate(k, c[0], Protocol2, map[string]any{"value": 7.0})
	it.Wait()
	frontUpdate(k, c[2], Protocol2, map[string]any{"index": 0.0})
	it.Wait()
	want := []string{"display:widget", "display:3 0.50 b true", "update:7 0.50 b true", "update:7 0.50 a true"}
	if got := sk.all(); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// 50 changes while the function runs give one more run, with the last
// value, not 50.
func TestInteractDebounce(t *testing.T) {
	k, _ := newKit(Protocol2)
	sk := &sink{}
	k.SetDisplay(display.New(sk))
	gate := make(chan struct{})
	started := make(chan int, 100)
	first := true
	it, err := k.Interact(func(n int) int {
		if !first {
			started <- n
			if n == 1 {
				<-gate
			}
		}
		first = false
		return n
	}, IntParam("n", 0, 100, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	s := it.Controls()[0].(*IntSlider)
	s.SetValue(1) // starts a run that blocks
	if n := <-started; n != 1 {
		t.Fatalf("run with %d", n)
	}
	for v := 2; v <= 50; v++ {
		s.SetValue(v)
	}
	close(gate)
	it.Wait()
	if it.Runs() != 3 {
		t.Errorf("%d runs, want 3 (the first, 1, 50)", it.Runs())
	}
	if n := <-started; n != 50 {
		t.Errorf("last run with %d, want 50", n)
	}
	ev := sk.all()
	if ev[len(ev)-1] != "update:50" {
		t.Errorf("last output %q", ev[len(ev)-1])
	}
}

func TestInteractErrors(t *testing.T) {
	k, _ := newKit(Protocol2)
	sk := &sink{}
	k.SetDisplay(display.New(sk))
	for _, tc := range []struct {
		f      any
		params []Param
		want   string
	}{
		{42, nil, "not a function"},
		{func(int) {}, nil, "1 parameters, 0 Params"},
		{func(string) {}, []Param{IntParam("n", 0, 1, 1, 0)}, "the Param \"n\" gives int"},
	} {
		if _, err := k.Interact(tc.f, tc.params...); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("Interact(%T): %v, want %q", tc.f, err, tc.want)
		}
	}
	// a panic and an error are shown in place of the result
	it, err := k.Interact(func(n int) (string, error) {
		if n == 1 {
			panic("boom")
		}
		if n == 2 {
			return "", fmt.Errorf("bad n")
		}
		return "fine", nil
	}, IntParam("n", 0, 5, 1, 0))
	if err != nil {
		t.Fatal(err)
	}
	s := it.Controls()[0].(*IntSlider)
	s.SetValue(1)
	it.Wait()
	s.SetValue(2)
	it.Wait()
	got := strings.Join(sk.all(), "|")
	if !strings.Contains(got, "update:panic: boom|update:error: bad n") {
		t.Errorf("events %s", got)
	}
}

// Without a Display the results go to an Output widget.
func TestInteractWithoutDisplay(t *testing.T) {
	k, _ := newKit(Protocol2)
	it, err := k.Interact(func(n int) int { return n * n }, IntParam("n", 0, 5, 1, 3))
	if err != nil {
		t.Fatal(err)
	}
	outs := it.Output().Outputs()
	if len(outs) != 1 || outs[0].(map[string]any)["data"].(map[string]any)["text/plain"] != "9" {
		t.Errorf("outputs %v", outs)
	}
}
