package comm

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// recorder is a CommSink that keeps the messages.
type recorder struct {
	mu  sync.Mutex
	msg []engine.Comm
}

func (r *recorder) Comm(m engine.Comm) {
	r.mu.Lock()
	r.msg = append(r.msg, m)
	r.mu.Unlock()
}

func (r *recorder) all() []engine.Comm {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]engine.Comm(nil), r.msg...)
}

func newManager() (*Manager, *recorder) {
	m := NewManager()
	r := &recorder{}
	m.SetSink(r)
	return m, r
}

func TestOpenSendClose(t *testing.T) {
	m, r := newManager()
	c := m.Open("my.target", map[string]any{"x": 1})
	c.Send(map[string]any{"y": 2})
	c.Close(nil)
	c.Send(map[string]any{"dropped": true})
	got := r.all()
	want := []engine.Comm{
		{Type: "comm_open", CommID: c.ID(), TargetName: "my.target", Data: map[string]any{"x": 1}},
		{Type: "comm_msg", CommID: c.ID(), Data: map[string]any{"y": 2}},
		{Type: "comm_close", CommID: c.ID(), Data: map[string]any{}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %+v\nwant %+v", got, want)
	}
	if len(m.Info("")) != 0 {
		t.Errorf("closed comm still listed: %v", m.Info(""))
	}
}

func TestTargets(t *testing.T) {
	m, r := newManager()
	var got []string
	var closed map[string]any
	m.RegisterTarget("echo", func(c *Comm, data map[string]any) {
		got = append(got, "open:"+data["hello"].(string))
		c.OnMsg(func(d map[string]any) {
			got = append(got, "msg:"+d["n"].(string))
			c.Send(d)
		})
		c.OnClose(func(d map[string]any) { closed = d })
	})
	m.Deliver(engine.Comm{Type: "comm_open", CommID: "a", TargetName: "echo", Data: map[string]any{"hello": "hi"}})
	m.Deliver(engine.Comm{Type: "comm_open", CommID: "b", TargetName: "nobody"})
	m.Deliver(engine.Comm{Type: "comm_msg", CommID: "a", Data: map[string]any{"n": "1"}})
	m.Deliver(engine.Comm{Type: "comm_msg", CommID: "unknown", Data: map[string]any{"n": "x"}})
	m.Wait()
	if info := m.Info("echo"); !reflect.DeepEqual(info, map[string]string{"a": "echo"}) {
		t.Errorf("Info(echo) = %v", info)
	}
	if info := m.Info("other"); len(info) != 0 {
		t.Errorf("Info(other) = %v", info)
	}
	m.Deliver(engine.Comm{Type: "comm_close", CommID: "a", Data: map[string]any{"bye": true}})
	m.Wait()
	if !reflect.DeepEqual(got, []string{"open:hi", "msg:1"}) {
		t.Errorf("callbacks: %v", got)
	}
	if closed["bye"] != true {
		t.Errorf("OnClose got %v", closed)
	}
	msgs := r.all()
	if len(msgs) != 2 || msgs[0].Type != "comm_close" || msgs[0].CommID != "b" || msgs[1].Type != "comm_msg" {
		t.Errorf("sent %+v", msgs)
	}
	if len(m.Info("")) != 0 {
		t.Errorf("Info after close: %v", m.Info(""))
	}
}

func TestPanicInCallback(t *testing.T) {
	m, _ := newManager()
	var errs []error
	m.SetPanicHandler(func(err error) { errs = append(errs, err) })
	m.RegisterTarget("t", func(c *Comm, data map[string]any) {
		c.OnMsg(func(map[string]any) { panic("boom") })
	})
	m.Deliver(engine.Comm{Type: "comm_open", CommID: "a", TargetName: "t"})
	m.Deliver(engine.Comm{Type: "comm_msg", CommID: "a"})
	m.Deliver(engine.Comm{Type: "comm_msg", CommID: "a"})
	m.Wait()
	if len(errs) != 2 {
		t.Fatalf("%d panics reported, want 2", len(errs))
	}
	var pe *PanicError
	if !errors.As(errs[0], &pe) || pe.Value != "boom" || !strings.Contains(errs[0].Error(), "comm_msg t") {
		t.Errorf("error %v", errs[0])
	}
}

// A slow callback does not block Deliver, and messages keep their order.
func TestDeliverDoesNotBlock(t *testing.T) {
	m, _ := newManager()
	gate := make(chan struct{})
	var got []float64
	m.RegisterTarget("t", func(c *Comm, data map[string]any) {
		c.OnMsg(func(d map[string]any) {
			if d["n"] == 0.0 {
				<-gate
			}
			got = append(got, d["n"].(float64))
		})
	})
	m.Deliver(engine.Comm{Type: "comm_open", CommID: "a", TargetName: "t"})
	for i := range 100 {
		m.Deliver(engine.Comm{Type: "comm_msg", CommID: "a", Data: map[string]any{"n": float64(i)}})
	}
	close(gate)
	m.Wait()
	if len(got) != 100 {
		t.Fatalf("%d messages handled", len(got))
	}
	for i, v := range got {
		if v != float64(i) {
			t.Fatalf("message %d is %v: out of order", i, v)
		}
	}
}

func TestMessageWithBuffers(t *testing.T) {
	m, r := newManager()
	var got Message
	m.RegisterTarget("t", func(c *Comm, data map[string]any) {
		c.OnMessage(func(msg Message) { got = msg })
		c.SendWith(map[string]any{"a": 1}, map[string]any{"m": true}, [][]byte{[]byte("xy")})
	})
	m.Deliver(engine.Comm{Type: "comm_open", CommID: "a", TargetName: "t"})
	m.Deliver(engine.Comm{Type: "comm_msg", CommID: "a", Metadata: map[string]any{"k": "v"}, Buffers: [][]byte{{1, 2}}})
	m.Wait()
	if got.Metadata["k"] != "v" || len(got.Buffers) != 1 || got.Buffers[0][1] != 2 {
		t.Errorf("OnMessage got %+v", got)
	}
	b, _ := json.Marshal(r.all())
	if !strings.Contains(string(b), `"buffers":["eHk="]`) || !strings.Contains(string(b), `"metadata":{"m":true}`) {
		t.Errorf("sent %s", b)
	}
}

func TestConcurrentUse(t *testing.T) {
	m, _ := newManager()
	m.RegisterTarget("t", func(c *Comm, data map[string]any) { c.OnMsg(func(map[string]any) {}) })
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := m.Open("x", nil)
			c.Send(nil)
			m.Deliver(engine.Comm{Type: "comm_open", CommID: string(rune('a' + i)), TargetName: "t"})
			m.Info("")
			c.Close(nil)
		}()
	}
	wg.Wait()
	m.Wait()
}
