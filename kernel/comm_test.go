package kernel

import (
	"context"
	"encoding/json"
	"flag"
	"log"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/trannsformer/gotrann/kernel/comm"
	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/wire"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata")

// commEngine is a fakeEngine that carries comms through a comm.Manager.
type commEngine struct {
	*fakeEngine
	m *comm.Manager
}

func (e *commEngine) SetCommSink(s engine.CommSink)            { e.m.SetSink(s) }
func (e *commEngine) DeliverComm(c engine.Comm) bool           { e.m.Deliver(c); return true }
func (e *commEngine) CommInfo(target string) map[string]string { return e.m.Info(target) }

func (e *commEngine) Execute(ctx context.Context, req engine.Request, out engine.Output) engine.Result {
	if req.Code == "open" {
		c := e.m.Open("kernel.target", map[string]any{"k": 1})
		c.Send(map[string]any{"hello": "front end"})
		return engine.Result{}
	}
	return e.fakeEngine.Execute(ctx, req, out)
}

func startCommKernel(t *testing.T) (*testKernel, *commEngine) {
	t.Helper()
	eng := &commEngine{fakeEngine: newFakeEngine(), m: comm.NewManager()}
	info := wire.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", SignatureScheme: "hmac-sha256", Key: wire.NewID()}
	srv, err := NewServer(info, eng, Config{Logger: testLogger(t)})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	k := &testKernel{t: t, srv: srv, engine: eng.fakeEngine, info: srv.ConnectionInfo(), key: []byte(info.Key), done: make(chan error, 1)}
	ctx, cancel := context.WithCancel(context.Background())
	k.cancel = cancel
	go func() { k.done <- srv.Serve(ctx) }()
	k.dial()
	t.Cleanup(k.close)
	k.sync()
	return k, eng
}

// nextComm reads iopub until a message of type typ on comm id (any id for
// "") arrives.
func (k *testKernel) nextComm(typ, id string) *wire.Message {
	k.t.Helper()
	for {
		m := k.next(k.iopubCh, typ)
		if m.Header.MsgType != typ {
			continue
		}
		if id == "" || content(k.t, m)["comm_id"] == id {
			return m
		}
	}
}

// golden compares v, as indented JSON, with testdata/comm/name.json.
func golden(t *testing.T, name string, v any) {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	path := filepath.Join("testdata", "comm", name+".json")
	if *updateGolden {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != string(b) {
		t.Errorf("%s differs from %s:\n%s", name, path, b)
	}
}

// commContent returns the content of m with its comm_id replaced by id.
func commContent(t *testing.T, m *wire.Message, id string) map[string]any {
	c := content(t, m)
	if c["comm_id"] != nil {
		c["comm_id"] = id
	}
	return c
}

func TestCommKernelOpened(t *testing.T) {
	k, _ := startCommKernel(t)
	_, msgs, req := k.execute("open", nil)
	var open, msg *wire.Message
	for _, m := range msgs {
		switch m.Header.MsgType {
		case "comm_open":
			open = m
		case "comm_msg":
			msg = m
		}
	}
	if open == nil || msg == nil {
		t.Fatalf("iopub of the cell: %v", types(msgs))
	}
	if parentID(open) != req.Header.MsgID {
		t.Errorf("comm_open parent %s, want the execute_request", parentID(open))
	}
	id := content(t, open)["comm_id"].(string)
	if len(id) != 32 || content(t, msg)["comm_id"] != id {
		t.Errorf("comm ids %q, %v", id, content(t, msg)["comm_id"])
	}
	golden(t, "kernel_comm_open", commContent(t, open, "ID"))
	golden(t, "kernel_comm_msg", commContent(t, msg, "ID"))

	for _, tc := range []struct {
		target string
		want   map[string]any
	}{
		{"kernel.target", map[string]any{id: map[string]any{"target_name": "kernel.target"}}},
		{"", map[string]any{id: map[string]any{"target_name": "kernel.target"}}},
		{"other", map[string]any{}},
	} {
		c := map[string]any{}
		if tc.target != "" {
			c["target_name"] = tc.target
		}
		req := k.send(k.shell, "comm_info_request", c)
		rep := content(t, k.reply(k.shellCh, req))
		if !reflect.DeepEqual(rep["comms"], tc.want) {
			t.Errorf("comm_info(%q) = %v, want %v", tc.target, rep["comms"], tc.want)
		}
	}
	// the front end closes it
	cl := k.send(k.shell, "comm_close", map[string]any{"comm_id": id, "data": map[string]any{}})
	k.iopubFor(cl)
	k.srv.engine.(*commEngine).m.Wait()
	req = k.send(k.shell, "comm_info_request", map[string]any{})
	if rep := content(t, k.reply(k.shellCh, req)); len(rep["comms"].(map[string]any)) != 0 {
		t.Errorf("comm_info after comm_close: %v", rep["comms"])
	}
}

func TestCommClientOpened(t *testing.T) {
	k, eng := startCommKernel(t)
	var closed []string
	panics := make(chan error, 4)
	eng.m.SetPanicHandler(func(err error) { panics <- err })
	eng.m.RegisterTarget("echo", func(c *comm.Comm, data map[string]any) {
		c.Send(map[string]any{"opened": data})
		c.OnMsg(func(d map[string]any) {
			if d["panic"] == true {
				panic("callback failed")
			}
			c.Send(map[string]any{"echo": d})
		})
		c.OnClose(func(d map[string]any) {
			closed = append(closed, c.ID())
			c.Send(map[string]any{"too": "late"}) // dropped: closed
		})
	})
	open := k.send(k.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "echo", "data": map[string]any{"x": 1}})
	m := k.nextComm("comm_msg", "c1")
	golden(t, "client_open_reply", commContent(t, m, "c1"))
	if parentID(m) != open.Header.MsgID {
		t.Errorf("reply's parent %s, want the comm_open", parentID(m))
	}

	// A comm message is handled at once while a cell runs.
	req := k.send(k.shell, "execute_request", map[string]any{"code": "block", "silent": false})
	if got := <-k.engine.started; got != "block" {
		t.Fatalf("started %q", got)
	}
	msg := k.send(k.shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{"n": 7}})
	echo := k.nextComm("comm_msg", "c1")
	golden(t, "client_msg_echo", commContent(t, echo, "c1"))
	if parentID(echo) != msg.Header.MsgID {
		t.Errorf("echo's parent %s, want the comm_msg", parentID(echo))
	}
	// a panic in a callback is reported, and the comm lives on
	k.send(k.shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{"panic": true}})
	select {
	case err := <-panics:
		if !strings.Contains(err.Error(), "callback failed") {
			t.Errorf("panic reported as %v", err)
		}
	case <-k.done:
		t.Fatal("kernel ended")
	}
	k.send(k.shell, "comm_msg", map[string]any{"comm_id": "c1", "data": map[string]any{"n": 8}})
	if c := content(t, k.nextComm("comm_msg", "c1")); c["data"].(map[string]any)["echo"].(map[string]any)["n"] != 8.0 {
		t.Errorf("after the panic: %v", c)
	}
	ir := k.send(k.control, "interrupt_request", map[string]any{})
	k.reply(k.controlCh, ir)
	k.reply(k.shellCh, req)

	cl := k.send(k.shell, "comm_close", map[string]any{"comm_id": "c1", "data": map[string]any{}})
	k.iopubFor(cl)
	eng.m.Wait()
	if !reflect.DeepEqual(closed, []string{"c1"}) {
		t.Errorf("OnClose calls: %v", closed)
	}
	// unknown target: comm_close
	k.send(k.shell, "comm_open", map[string]any{"comm_id": "c2", "target_name": "nope", "data": map[string]any{}})
	golden(t, "client_open_unknown", commContent(t, k.nextComm("comm_close", "c2"), "c2"))
}

func testLogger(t testing.TB) *log.Logger { return log.New(testWriter{t}, "", 0) }
