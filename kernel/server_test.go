package kernel

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"

	"github.com/trannsformer/gotrann/kernel/wire"
)

func TestKernelInfoShellAndControl(t *testing.T) {
	k := startKernel(t, Config{Version: "1.2.3"})
	for _, ch := range []struct {
		s  zmq4.Socket
		in chan *wire.Message
	}{{k.shell, k.shellCh}, {k.control, k.controlCh}} {
		req := k.send(ch.s, "kernel_info_request", map[string]any{})
		c := content(t, k.reply(ch.in, req))
		if got := types(k.iopubFor(req)); !reflect.DeepEqual(got, []string{"status:busy", "status:idle"}) {
			t.Errorf("iopub %v", got)
		}
		li := c["language_info"].(map[string]any)
		if c["protocol_version"] != "5.3" || c["implementation"] != "gotrann" || c["implementation_version"] != "1.2.3" ||
			c["status"] != "ok" || li["name"] != "go" || li["file_extension"] != ".go" || li["mimetype"] != "text/x-go" ||
			li["version"] != strings.TrimPrefix(runtime.Version(), "go") || li["pygments_lexer"] != "go" || li["codemirror_mode"] != "go" {
			t.Errorf("kernel_info_reply %v", c)
		}
		if links, _ := c["help_links"].([]any); len(links) == 0 || c["banner"] == "" {
			t.Errorf("help_links %v banner %v", c["help_links"], c["banner"])
		}
	}
}

func TestExecuteOrder(t *testing.T) {
	k := startKernel(t, Config{})
	for i, tc := range []struct {
		code  string
		types []string
	}{
		{"hello", []string{"status:busy", "execute_input", "stream", "status:idle"}},
		{"value", []string{"status:busy", "execute_input", "execute_result", "status:idle"}},
		{"display", []string{"status:busy", "execute_input", "display_data", "update_display_data", "clear_output", "display_data", "status:idle"}},
	} {
		rep, pub, _ := k.execute(tc.code, nil)
		c := content(t, rep)
		if c["status"] != "ok" || c["execution_count"] != float64(i+1) {
			t.Errorf("%s: reply %v", tc.code, c)
		}
		if got := types(pub); !reflect.DeepEqual(got, tc.types) {
			t.Errorf("%s: iopub %v, want %v", tc.code, got, tc.types)
		}
		in := content(t, pub[1])
		if in["code"] != tc.code || in["execution_count"] != float64(i+1) {
			t.Errorf("execute_input %v", in)
		}
		if pl, ok := c["payload"].([]any); !ok || len(pl) != 0 {
			t.Errorf("payload %v", c["payload"])
		}
	}
}

func TestExecuteResultAndDisplayContent(t *testing.T) {
	k := startKernel(t, Config{})
	_, pub, _ := k.execute("value", nil)
	if got := content(t, pub[2]); !reflect.DeepEqual(got, map[string]any{
		"execution_count": 1.0, "data": map[string]any{"text/plain": "2"}, "metadata": map[string]any{}}) {
		t.Errorf("execute_result %v", got)
	}
	_, pub, _ = k.execute("display", nil)
	want := []map[string]any{
		{"data": map[string]any{"text/plain": "0%", "text/html": "<b>0%</b>"}, "metadata": map[string]any{}, "transient": map[string]any{"display_id": "bar"}},
		{"data": map[string]any{"text/plain": "100%"}, "metadata": map[string]any{}, "transient": map[string]any{"display_id": "bar"}},
		{"wait": true},
		{"data": map[string]any{"text/plain": "plain"}, "metadata": map[string]any{}, "transient": map[string]any{}},
	}
	for i, w := range want {
		if got := content(t, pub[2+i]); !reflect.DeepEqual(got, w) {
			t.Errorf("%s: %v, want %v", pub[2+i].Header.MsgType, got, w)
		}
	}
}

func TestStreamsCoalesced(t *testing.T) {
	k := startKernel(t, Config{StreamDelay: time.Hour}) // only flushes can publish
	_, pub, _ := k.execute("streams", nil)
	var got []string
	for _, m := range pub {
		if m.Header.MsgType == "stream" {
			c := content(t, m)
			got = append(got, c["name"].(string)+":"+c["text"].(string))
		}
	}
	if want := []string{"stdout:ab", "stderr:c", "stdout:d"}; !reflect.DeepEqual(got, want) {
		t.Errorf("streams %v, want %v", got, want)
	}
}

func TestExecuteError(t *testing.T) {
	k := startKernel(t, Config{})
	rep, pub, _ := k.execute("error", nil)
	c := content(t, rep)
	if c["status"] != "error" || c["ename"] != "CompileError" || c["evalue"] != "1:1: expected operand" || c["execution_count"] != 1.0 {
		t.Errorf("reply %v", c)
	}
	if !strings.Contains(string(rep.Content), `"traceback":[]`) {
		t.Errorf("traceback must be an empty array, got %s", rep.Content)
	}
	if got := types(pub); !reflect.DeepEqual(got, []string{"status:busy", "execute_input", "stream", "error", "status:idle"}) {
		t.Errorf("iopub %v", got)
	}
	// The kernel goes on.
	rep, _, _ = k.execute("hello", nil)
	if c := content(t, rep); c["status"] != "ok" || c["execution_count"] != 2.0 {
		t.Errorf("after error %v", c)
	}
}

func TestSilentAndStoreHistory(t *testing.T) {
	k := startKernel(t, Config{})
	rep, pub, _ := k.execute("value", map[string]any{"silent": true})
	if got := types(pub); !reflect.DeepEqual(got, []string{"status:busy", "status:idle"}) {
		t.Errorf("silent iopub %v", got)
	}
	if c := content(t, rep); c["execution_count"] != 0.0 {
		t.Errorf("silent count %v", c["execution_count"])
	}
	k.execute("value", map[string]any{"store_history": false})
	rep, _, _ = k.execute("value", nil)
	if c := content(t, rep); c["execution_count"] != 1.0 {
		t.Errorf("count %v, want 1", c["execution_count"])
	}
	rep, _, _ = k.execute("exprs", map[string]any{"user_expressions": map[string]any{"x": "a"}})
	ue := content(t, rep)["user_expressions"].(map[string]any)
	if ue["x"].(map[string]any)["data"].(map[string]any)["text/plain"] != "A" {
		t.Errorf("user_expressions %v", ue)
	}
	rep, _, _ = k.execute("page", nil)
	if pl := content(t, rep)["payload"].([]any); len(pl) != 1 || pl[0].(map[string]any)["source"] != "page" {
		t.Errorf("payload %v", pl)
	}
}

// TestStopOnError checks that execute_requests queued behind a failing
// cell are aborted, other requests are answered, and later ones run.
func TestStopOnError(t *testing.T) {
	k := startKernel(t, Config{})
	first := k.send(k.shell, "execute_request", map[string]any{"code": "gate-error", "stop_on_error": true})
	if code := <-k.engine.started; code != "gate-error" {
		t.Fatalf("started %q", code)
	}
	queued := []*wire.Message{
		k.send(k.shell, "execute_request", map[string]any{"code": "hello"}),
		k.send(k.shell, "kernel_info_request", map[string]any{}),
		k.send(k.shell, "execute_request", map[string]any{"code": "hello"}),
	}
	waitFor(t, func() bool { return len(k.srv.queue) == len(queued) })
	k.engine.gate <- struct{}{}
	if c := content(t, k.reply(k.shellCh, first)); c["status"] != "error" || c["ename"] != "panic" {
		t.Errorf("first %v", c)
	}
	for i, want := range []string{"aborted", "ok", "aborted"} {
		if c := content(t, k.reply(k.shellCh, queued[i])); c["status"] != want {
			t.Errorf("queued %d: %v, want %s", i, c, want)
		}
	}
	for _, req := range queued {
		if got := types(k.iopubFor(req)); got[0] != "status:busy" {
			t.Errorf("%v", got)
		}
	}
	rep, _, _ := k.execute("hello", nil)
	if c := content(t, rep); c["status"] != "ok" || c["execution_count"] != 2.0 {
		t.Errorf("after abort %v", c)
	}
	// Without stop_on_error nothing is aborted.
	first = k.send(k.shell, "execute_request", map[string]any{"code": "gate-error", "stop_on_error": false})
	<-k.engine.started
	next := k.send(k.shell, "execute_request", map[string]any{"code": "hello"})
	waitFor(t, func() bool { return len(k.srv.queue) == 1 })
	k.engine.gate <- struct{}{}
	k.reply(k.shellCh, first)
	if c := content(t, k.reply(k.shellCh, next)); c["status"] != "ok" {
		t.Errorf("stop_on_error false: %v", c)
	}
}

// waitFor waits until cond holds, yielding to other goroutines.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition never held")
		}
		runtime.Gosched()
	}
}

func TestInterruptAndControlWhileRunning(t *testing.T) {
	k := startKernel(t, Config{})
	exec := k.send(k.shell, "execute_request", map[string]any{"code": "block"})
	<-k.engine.started
	// Control answers while the cell runs.
	ki := k.send(k.control, "kernel_info_request", map[string]any{})
	k.reply(k.controlCh, ki)
	// Shell requests wait for the cell.
	k.send(k.shell, "is_complete_request", map[string]any{"code": "x"})
	select {
	case m := <-k.shellCh:
		t.Fatalf("shell answered %s while a cell runs", m.Header.MsgType)
	default:
	}
	t0 := time.Now()
	intr := k.send(k.control, "interrupt_request", map[string]any{})
	k.reply(k.controlCh, intr)
	rep := k.reply(k.shellCh, exec)
	if d := time.Since(t0); d > 100*time.Millisecond {
		t.Errorf("interrupt took %v", d)
	}
	if c := content(t, rep); c["status"] != "error" || c["ename"] != "Interrupted" {
		t.Errorf("reply %v", c)
	}
	if m := k.next(k.shellCh, "is_complete_reply"); m.Header.MsgType != "is_complete_reply" {
		t.Errorf("got %s", m.Header.MsgType)
	}
	// Server.Interrupt (SIGINT) does the same.
	exec = k.send(k.shell, "execute_request", map[string]any{"code": "block"})
	<-k.engine.started
	k.srv.Interrupt()
	if c := content(t, k.reply(k.shellCh, exec)); c["ename"] != "Interrupted" {
		t.Errorf("reply %v", c)
	}
	// The engine hears of both interrupts of running cells (the worker
	// supervisor kills a worker interrupted twice), not of an idle one.
	k.srv.Interrupt()
	k.engine.mu.Lock()
	n := k.engine.interrupts
	k.engine.mu.Unlock()
	if n != 2 {
		t.Errorf("the engine heard of %d interrupts, want 2", n)
	}
}

func TestStdin(t *testing.T) {
	k := startKernel(t, Config{})
	exec := k.send(k.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": true})
	ir := k.next(k.stdinCh, "input_request")
	if ir.Header.MsgType != "input_request" || parentID(ir) != exec.Header.MsgID {
		t.Fatalf("got %s parent %s", ir.Header.MsgType, parentID(ir))
	}
	if c := content(t, ir); c["prompt"] != "name? " || c["password"] != false {
		t.Errorf("input_request %v", c)
	}
	reply, _ := wire.NewMessage("input_reply", k.session, "tester", ir, map[string]any{"value": "gopher"})
	reply.Identities = nil
	k.sendMsg(k.stdin, reply, k.key)
	if c := content(t, k.reply(k.shellCh, exec)); c["status"] != "ok" {
		t.Fatalf("reply %v", c)
	}
	var streamed string
	for _, m := range k.iopubFor(exec) {
		if m.Header.MsgType == "stream" {
			streamed += content(t, m)["text"].(string)
		}
	}
	if streamed != "got gopher" {
		t.Errorf("streamed %q", streamed)
	}

	// Not allowed: an error at once, no input_request.
	rep, _, _ := k.execute("input", map[string]any{"allow_stdin": false})
	if c := content(t, rep); c["ename"] != "InputError" || !strings.Contains(c["evalue"].(string), "stdin") {
		t.Errorf("no stdin: %v", c)
	}
	// Interrupted while waiting.
	exec = k.send(k.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": true})
	k.next(k.stdinCh, "input_request")
	k.reply(k.controlCh, k.send(k.control, "interrupt_request", map[string]any{}))
	if c := content(t, k.reply(k.shellCh, exec)); c["ename"] != "InputError" || !strings.Contains(c["evalue"].(string), "interrupted") {
		t.Errorf("interrupted input: %v", c)
	}
}

func TestBadMessagesDropped(t *testing.T) {
	k := startKernel(t, Config{})
	bad, _ := wire.NewMessage("kernel_info_request", k.session, "tester", nil, map[string]any{})
	k.sendMsg(k.shell, bad, []byte("wrong key"))
	k.sendMsg(k.control, bad, nil) // unsigned
	for _, frames := range [][][]byte{
		{[]byte("no delimiter")},
		{[]byte(wire.Delimiter), []byte("00")},
		{[]byte(wire.Delimiter), []byte(wire.Sign(k.key, []byte("{"), []byte("{}"), []byte("{}"), []byte("{}"))), []byte("{"), []byte("{}"), []byte("{}"), []byte("{}")},
	} {
		if err := k.shell.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
			t.Fatal(err)
		}
	}
	good := k.send(k.shell, "kernel_info_request", map[string]any{})
	k.reply(k.shellCh, good) // the first reply is to the good request
	if got := types(k.iopubFor(good)); !reflect.DeepEqual(got, []string{"status:busy", "status:idle"}) {
		t.Errorf("iopub %v", got)
	}
	good = k.send(k.control, "kernel_info_request", map[string]any{})
	k.reply(k.controlCh, good)
	// Nothing was published for the dropped messages.
	select {
	case m := <-k.iopubCh:
		if parentID(m) == bad.Header.MsgID {
			t.Errorf("published %s for a dropped message", m.Header.MsgType)
		}
	default:
	}
	// A content that is not what the request needs gets an error reply.
	req := k.send(k.shell, "complete_request", map[string]any{"code": 3})
	if c := content(t, k.reply(k.shellCh, req)); c["status"] != "error" {
		t.Errorf("bad content: %v", c)
	}
}

func TestCompleteInspectIsComplete(t *testing.T) {
	k := startKernel(t, Config{})
	code := "é := fmt.Pr" // 11 code points, 12 bytes
	req := k.send(k.shell, "complete_request", map[string]any{"code": code, "cursor_pos": 11})
	c := content(t, k.reply(k.shellCh, req))
	if !reflect.DeepEqual(c["matches"], []any{"Printf", "Println"}) || c["cursor_start"] != 9.0 || c["cursor_end"] != 11.0 ||
		!reflect.DeepEqual(c["metadata"], map[string]any{}) || c["status"] != "ok" {
		t.Errorf("complete_reply %v", c)
	}
	// A cursor past the end is clamped; no matches is an empty list.
	req = k.send(k.shell, "complete_request", map[string]any{"code": "x", "cursor_pos": 99})
	if c := content(t, k.reply(k.shellCh, req)); !reflect.DeepEqual(c["matches"], []any{}) || c["cursor_start"] != 1.0 {
		t.Errorf("complete_reply %v", c)
	}
	req = k.send(k.shell, "inspect_request", map[string]any{"code": "fmt.Println", "cursor_pos": 5, "detail_level": 0})
	c = content(t, k.reply(k.shellCh, req))
	if c["found"] != true || c["data"].(map[string]any)["text/plain"] != "package fmt" || c["metadata"] == nil {
		t.Errorf("inspect_reply %v", c)
	}
	req = k.send(k.shell, "inspect_request", map[string]any{"code": "x", "cursor_pos": 1})
	if c := content(t, k.reply(k.shellCh, req)); c["found"] != false || !reflect.DeepEqual(c["data"], map[string]any{}) {
		t.Errorf("inspect_reply %v", c)
	}
	k.engine.mu.Lock()
	if want := []int{11, 1, 5, 1}; !reflect.DeepEqual(k.engine.cursors, want) {
		t.Errorf("cursors %v, want %v", k.engine.cursors, want)
	}
	k.engine.mu.Unlock()
	for code, want := range map[string]map[string]any{
		"func f() {": {"status": "incomplete", "indent": "\t"},
		"x := 1":     {"status": "complete"},
		"}":          {"status": "invalid"},
	} {
		req := k.send(k.shell, "is_complete_request", map[string]any{"code": code})
		if c := content(t, k.reply(k.shellCh, req)); !reflect.DeepEqual(c, want) {
			t.Errorf("is_complete %q: %v, want %v", code, c, want)
		}
	}
}

func TestHistory(t *testing.T) {
	k := startKernel(t, Config{})
	for _, code := range []string{"1+1", "a := 2", "1+1", "value", "fmt.Println(\"x\")"} {
		k.execute(code, nil)
	}
	k.execute("silent", map[string]any{"silent": true})
	hist := func(c map[string]any) string {
		t.Helper()
		req := k.send(k.shell, "history_request", c)
		b, _ := json.Marshal(content(t, k.reply(k.shellCh, req))["history"])
		return string(b)
	}
	for _, tc := range []struct {
		req  map[string]any
		want string
	}{
		{map[string]any{"hist_access_type": "tail", "n": 2, "output": false, "raw": true}, `[[1,4,"value"],[1,5,"fmt.Println(\"x\")"]]`},
		{map[string]any{"hist_access_type": "tail", "n": 1, "output": true, "raw": true}, `[[1,5,["fmt.Println(\"x\")","fmt.Println(\"x\")"]]]`},
		{map[string]any{"hist_access_type": "range", "session": 1, "start": 2, "stop": 4, "output": false, "raw": true}, `[[1,2,"a := 2"],[1,3,"1+1"]]`},
		{map[string]any{"hist_access_type": "range", "session": 0, "start": 5, "output": false, "raw": true}, `[[1,5,"fmt.Println(\"x\")"]]`},
		{map[string]any{"hist_access_type": "range", "session": 7, "start": 1, "output": false, "raw": true}, `[]`},
		{map[string]any{"hist_access_type": "search", "pattern": "1?1", "output": false, "raw": true}, `[[1,1,"1+1"],[1,3,"1+1"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "1?1", "unique": true, "output": false, "raw": true}, `[[1,3,"1+1"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "*", "n": 3, "output": false, "raw": true}, `[[1,3,"1+1"],[1,4,"value"],[1,5,"fmt.Println(\"x\")"]]`},
		{map[string]any{"hist_access_type": "search", "pattern": "fmt.*(*)", "output": true, "raw": true}, `[[1,5,["fmt.Println(\"x\")","fmt.Println(\"x\")"]]]`},
		{map[string]any{"hist_access_type": "bogus", "output": false, "raw": true}, `[]`},
	} {
		if got := hist(tc.req); got != tc.want {
			t.Errorf("%v:\n got %s\nwant %s", tc.req, got, tc.want)
		}
	}
}

func TestGlobMatch(t *testing.T) {
	for _, tc := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true},
		{"*", "a/b\nc", true},
		{"a*", "abc", true},
		{"a*c", "ab/xc", true},
		{"a?c", "abc", true},
		{"a?c", "ac", false},
		{"[ab]x", "bx", true},
		{"[^ab]x", "bx", false},
		{"[a-c]*", "cat", true},
		{"[]]", "]", true},
		{"[a", "a", false},
		{"fmt.*", "fmt.Println(1)", true},
		{"*é*", "café", true},
		{"x", "xy", false},
		{"*x*y", "axbxcy", true},
	} {
		if got := globMatch(tc.pattern, tc.s); got != tc.want {
			t.Errorf("globMatch(%q, %q) = %v", tc.pattern, tc.s, got)
		}
	}
}

func TestCommsAndUnknown(t *testing.T) {
	k := startKernel(t, Config{})
	req := k.send(k.shell, "comm_info_request", map[string]any{"target_name": "jupyter.widget"})
	if c := content(t, k.reply(k.shellCh, req)); !reflect.DeepEqual(c, map[string]any{"status": "ok", "comms": map[string]any{}}) {
		t.Errorf("comm_info_reply %v", c)
	}
	open := k.send(k.shell, "comm_open", map[string]any{"comm_id": "c1", "target_name": "nope", "data": map[string]any{}})
	got := k.iopubFor(open)
	if !reflect.DeepEqual(types(got), []string{"status:busy", "comm_close", "status:idle"}) || content(t, got[1])["comm_id"] != "c1" {
		t.Errorf("comm_open: %v", types(got))
	}
	for _, typ := range []string{"comm_msg", "comm_close", "some_event"} {
		m := k.send(k.shell, typ, map[string]any{"comm_id": "c1", "data": map[string]any{}})
		if got := types(k.iopubFor(m)); !reflect.DeepEqual(got, []string{"status:busy", "status:idle"}) {
			t.Errorf("%s: %v", typ, got)
		}
	}
	for _, ch := range []struct {
		s  zmq4.Socket
		in chan *wire.Message
	}{{k.shell, k.shellCh}, {k.control, k.controlCh}} {
		req = k.send(ch.s, "frobnicate_request", map[string]any{})
		if c := content(t, k.reply(ch.in, req)); c["status"] != "error" || c["ename"] != "UnknownMessageType" {
			t.Errorf("unknown request: %v", c)
		}
	}
	// Only the replies above were sent: the next shell reply is this one.
	req = k.send(k.shell, "connect_request", map[string]any{})
	if c := content(t, k.reply(k.shellCh, req)); c["shell_port"] != float64(k.info.ShellPort) {
		t.Errorf("connect_reply %v", c)
	}
	for _, typ := range []string{"execute_request", "complete_request", "history_request", "is_complete_request"} {
		req = k.send(k.control, typ, map[string]any{"code": "hello"})
		if c := content(t, k.reply(k.controlCh, req)); c["status"] != "error" || c["ename"] != "ChannelError" {
			t.Errorf("%s on control: %v", typ, c)
		}
	}
	req = k.send(k.control, "comm_info_request", map[string]any{})
	if c := content(t, k.reply(k.controlCh, req)); c["status"] != "ok" {
		t.Errorf("comm_info on control: %v", c)
	}
}

func TestHeartbeat(t *testing.T) {
	k := startKernel(t, Config{})
	req := zmq4.NewReq(context.Background())
	defer req.Close()
	if err := req.Dial(k.info.Endpoint(k.info.HBPort)); err != nil {
		t.Fatal(err)
	}
	for _, ping := range []string{"ping", "\x00binary\xff"} {
		if err := req.Send(zmq4.NewMsgString(ping)); err != nil {
			t.Fatal(err)
		}
		m, err := req.Recv()
		if err != nil || string(m.Bytes()) != ping {
			t.Fatalf("echo %q, %v", m.Bytes(), err)
		}
	}
}

func TestShutdown(t *testing.T) {
	for _, tc := range []struct {
		name    string
		control bool
		restart bool
		running bool
	}{
		{"control", true, false, false},
		{"control restart", true, true, false},
		{"shell", false, false, false},
		{"control while running", true, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k := startKernel(t, Config{})
			var exec *wire.Message
			if tc.running {
				exec = k.send(k.shell, "execute_request", map[string]any{"code": "block"})
				<-k.engine.started
			}
			s, in := k.shell, k.shellCh
			if tc.control {
				s, in = k.control, k.controlCh
			}
			req := k.send(s, "shutdown_request", map[string]any{"restart": tc.restart})
			if c := content(t, k.reply(in, req)); c["status"] != "ok" || c["restart"] != tc.restart {
				t.Errorf("shutdown_reply %v", c)
			}
			if exec != nil {
				if c := content(t, k.reply(k.shellCh, exec)); c["ename"] != "Interrupted" {
					t.Errorf("running cell %v", c)
				}
			}
			select {
			case err := <-k.done:
				if err != nil {
					t.Errorf("Serve: %v", err)
				}
				k.done <- err // for close
			case <-time.After(wait):
				t.Fatal("Serve did not return after shutdown")
			}
			if k.srv.Restart() != tc.restart {
				t.Errorf("Restart() = %v", k.srv.Restart())
			}
		})
	}
}

func TestContextCancel(t *testing.T) {
	k := startKernel(t, Config{})
	exec := k.send(k.shell, "execute_request", map[string]any{"code": "block"})
	<-k.engine.started
	k.cancel()
	if c := content(t, k.reply(k.shellCh, exec)); c["ename"] != "Interrupted" {
		t.Errorf("running cell %v", c)
	}
	err := <-k.done
	if !errors.Is(err, context.Canceled) {
		t.Errorf("Serve = %v, want context.Canceled", err)
	}
	k.done <- err
}

func TestNewServerErrors(t *testing.T) {
	if _, err := NewServer(wire.ConnectionInfo{Transport: "udp", IP: "x", SignatureScheme: "hmac-sha256"}, newFakeEngine(), Config{}); err == nil {
		t.Error("bad transport accepted")
	}
	if _, err := NewServer(wire.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", SignatureScheme: "hmac-sha256"}, nil, Config{}); err == nil {
		t.Error("nil engine accepted")
	}
	s, err := NewServer(wire.ConnectionInfo{Transport: "tcp", IP: "256.0.0.1", SignatureScheme: "hmac-sha256"}, newFakeEngine(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err == nil || !strings.Contains(err.Error(), "shell") {
		t.Errorf("Listen on a bad address: %v", err)
	}
	checkNoServerGoroutines(t)
}

func TestIPC(t *testing.T) {
	dir := t.TempDir()
	info := wire.ConnectionInfo{Transport: "ipc", IP: dir + "/k", SignatureScheme: "hmac-sha256",
		ShellPort: 1, IOPubPort: 2, StdinPort: 3, ControlPort: 4, HBPort: 5}
	s, err := NewServer(info, newFakeEngine(), Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Listen(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	d := zmq4.NewDealer(context.Background())
	defer d.Close()
	if err := d.Dial(info.Endpoint(info.ShellPort)); err != nil {
		t.Fatal(err)
	}
	req, _ := wire.NewMessage("kernel_info_request", "c", "u", nil, map[string]any{})
	fr, _ := wire.Encode(req, nil)
	if err := d.SendMulti(zmq4.NewMsgFrom(fr...)); err != nil {
		t.Fatal(err)
	}
	raw, err := d.Recv()
	if err != nil {
		t.Fatal(err)
	}
	if m, err := wire.Decode(raw.Frames, nil); err != nil || m.Header.MsgType != "kernel_info_reply" {
		t.Fatalf("%v %v", m, err)
	}
	for _, port := range []int{info.ShellPort, info.IOPubPort, info.StdinPort, info.ControlPort, info.HBPort} {
		path := strings.TrimPrefix(info.Endpoint(port), "ipc://")
		fi, err := os.Stat(path)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode()&os.ModeSocket == 0 || fi.Mode().Perm() != 0o600 {
			t.Errorf("%s: mode %v, want a socket with 0600", path, fi.Mode())
		}
	}
	cancel()
	<-done
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("%d files left in the directory", len(ents))
	}
}

// BenchmarkExecute measures an execute_request round trip over real
// sockets with the fake engine: until the reply, and until iopub idle.
func BenchmarkExecute(b *testing.B) {
	for _, bc := range []struct {
		name string
		code string
	}{{"value", "value"}, {"stream", "hello"}} {
		b.Run(bc.name, func(b *testing.B) {
			k := startKernel(b, Config{})
			b.ReportAllocs()
			for b.Loop() {
				req := k.send(k.shell, "execute_request", map[string]any{"code": bc.code, "silent": false})
				k.reply(k.shellCh, req)
				k.iopubFor(req)
				<-k.engine.started
			}
		})
	}
}

func BenchmarkKernelInfo(b *testing.B) {
	k := startKernel(b, Config{})
	b.ReportAllocs()
	for b.Loop() {
		req := k.send(k.shell, "kernel_info_request", map[string]any{})
		k.reply(k.shellCh, req)
		k.iopubFor(req)
	}
}

// TestLateOutput checks that output written by a goroutine after its cell
// ended still reaches iopub, with the cell as parent, through the
// coalescing timer.
func TestLateOutput(t *testing.T) {
	k := startKernel(t, Config{StreamDelay: time.Millisecond})
	rep, pub, req := k.execute("late", nil)
	if c := content(t, rep); c["status"] != "ok" {
		t.Fatal(c)
	}
	if got := types(pub); !reflect.DeepEqual(got, []string{"status:busy", "execute_input", "status:idle"}) {
		t.Errorf("iopub %v", got)
	}
	<-k.engine.started
	k.engine.late <- struct{}{}
	m := k.next(k.iopubCh, "late stream")
	if m.Header.MsgType != "stream" || parentID(m) != req.Header.MsgID || content(t, m)["text"] != "late\n" {
		t.Errorf("late output %s %s", m.Header.MsgType, m.Content)
	}
	if s := <-k.engine.started; s != "late done" {
		t.Errorf("started %q", s)
	}
}

func TestStdinEOFAndStrayReplies(t *testing.T) {
	k := startKernel(t, Config{})
	// Stray messages on stdin are ignored.
	old, _ := wire.NewMessage("input_request", "k", "u", nil, map[string]any{})
	stray, _ := wire.NewMessage("input_reply", k.session, "tester", old, map[string]any{"value": "stale"})
	k.send(k.stdin, "kernel_info_request", map[string]any{})
	exec := k.send(k.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": true})
	ir := k.next(k.stdinCh, "input_request")
	k.sendMsg(k.stdin, stray, k.key) // a reply to another request: dropped
	reply, _ := wire.NewMessage("input_reply", k.session, "tester", ir, map[string]any{"value": "\x04"})
	reply.Identities = nil
	k.sendMsg(k.stdin, reply, k.key)
	if c := content(t, k.reply(k.shellCh, exec)); c["ename"] != "InputError" || c["evalue"] != "EOF" {
		t.Errorf("EOF: %v", c)
	}
}

func TestRunContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	info := wire.ConnectionInfo{Transport: "tcp", IP: "127.0.0.1", SignatureScheme: "hmac-sha256"}
	go func() { done <- Run(ctx, info, newFakeEngine(), Config{}) }()
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run = %v", err)
	}
	if err := Run(ctx, wire.ConnectionInfo{}, newFakeEngine(), Config{}); err == nil {
		t.Error("Run with an empty connection accepted")
	}
	s, _ := NewServer(info, newFakeEngine(), Config{})
	if err := s.Serve(ctx); err == nil {
		t.Error("Serve before Listen")
	}
	checkNoServerGoroutines(t)
}

// logTap returns a Logger that logs to t and sends each line on the
// returned channel as well (lines nobody waits for are not kept).
func logTap(t testing.TB) (chan string, *log.Logger) {
	ch := make(chan string, 256)
	return ch, log.New(tapWriter{t, ch}, "", 0)
}

type tapWriter struct {
	t  testing.TB
	ch chan string
}

func (w tapWriter) Write(p []byte) (int, error) {
	line := strings.TrimSpace(string(p))
	w.t.Log(line)
	select {
	case w.ch <- line:
	default:
	}
	return len(p), nil
}

// expectLog waits for a log line containing want.
func expectLog(t testing.TB, lines chan string, want string) {
	t.Helper()
	timeout := time.After(wait)
	for {
		select {
		case line := <-lines:
			if strings.Contains(line, want) {
				return
			}
		case <-timeout:
			t.Fatalf("no log line with %q", want)
		}
	}
}

// rawZMTP is a TCP client speaking ZMTP 3 by hand.
type rawZMTP struct {
	t testing.TB
	net.Conn
}

func dialZMTP(t testing.TB, port int) *rawZMTP {
	t.Helper()
	c, err := net.Dial("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return &rawZMTP{t, c}
}

func (c *rawZMTP) send(b []byte) {
	c.t.Helper()
	if _, err := c.Write(b); err != nil {
		c.t.Fatal(err)
	}
}

// hello sends a ZMTP 3.0 NULL greeting and a READY for sockType.
func (c *rawZMTP) hello(sockType string) {
	g := make([]byte, 64)
	g[0], g[9], g[10] = 0xff, 0x7f, 3
	copy(g[12:], "NULL")
	body := append([]byte("\x05READY\x0bSocket-Type"), 0, 0, 0, byte(len(sockType)))
	body = append(body, sockType...)
	c.send(append(append(g, 0x04, byte(len(body))), body...))
}

// readSome reads at least n bytes, failing after wait.
func (c *rawZMTP) readSome(n int) {
	c.t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	if _, err := io.ReadFull(c, make([]byte, n)); err != nil {
		c.t.Fatal(err)
	}
	c.SetReadDeadline(time.Time{})
}

// dropped waits until the kernel closes the connection.
func (c *rawZMTP) dropped() {
	c.t.Helper()
	c.SetReadDeadline(time.Now().Add(wait))
	_, err := io.Copy(io.Discard, c)
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		c.t.Fatal("the kernel did not drop the connection")
	}
}

// ping sends a heartbeat and waits for its echo.
func (k *testKernel) ping(payload string) {
	k.t.Helper()
	req := zmq4.NewReq(context.Background())
	defer req.Close()
	if err := req.Dial(k.info.Endpoint(k.info.HBPort)); err != nil {
		k.t.Fatal(err)
	}
	if err := req.Send(zmq4.NewMsgString(payload)); err != nil {
		k.t.Fatal(err)
	}
	echo := make(chan string, 1)
	go func() {
		m, err := req.Recv()
		if err != nil {
			echo <- "error: " + err.Error()
			return
		}
		echo <- string(m.Bytes())
	}()
	select {
	case got := <-echo:
		if got != payload {
			k.t.Fatalf("heartbeat echo %q, want %q", got, payload)
		}
	case <-time.After(wait):
		k.t.Fatal("no heartbeat echo")
	}
}

// TestOversizedFrame sends, without the key, a frame header declaring
// 2^40 bytes to each socket: zmq4 alone allocates it and the kernel dies.
// The kernel must log, drop that connection, and go on answering.
func TestOversizedFrame(t *testing.T) {
	lines, logger := logTap(t)
	k := startKernel(t, Config{Logger: logger})
	for _, p := range []struct {
		name, sockType string
		port           int
	}{
		{"shell", "DEALER", k.info.ShellPort}, {"control", "DEALER", k.info.ControlPort},
		{"stdin", "DEALER", k.info.StdinPort}, {"iopub", "SUB", k.info.IOPubPort}, {"hb", "REQ", k.info.HBPort},
	} {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		c := dialZMTP(t, p.port)
		c.hello(p.sockType)
		c.send([]byte{0x02, 0, 0, 1, 0, 0, 0, 0, 0}) // a last frame of 2^40 bytes
		expectLog(t, lines, "frame too large: a frame of 1099511627776 bytes")
		c.dropped()
		req := k.send(k.shell, "kernel_info_request", map[string]any{})
		k.reply(k.shellCh, req)
		k.ping("after " + p.name)
		runtime.ReadMemStats(&after)
		if grew := int64(after.HeapSys) - int64(before.HeapSys); grew > 64<<20 {
			t.Errorf("%s: the heap grew by %d MiB", p.name, grew>>20)
		}
	}
}

// TestStalledSubscriber checks that an iopub subscriber that never reads
// is dropped after Config.WriteTimeout, and that another client meanwhile
// gets every message.
func TestStalledSubscriber(t *testing.T) {
	lines, logger := logTap(t)
	k := startKernel(t, Config{Logger: logger, WriteTimeout: 200 * time.Millisecond})
	stalled := dialZMTP(t, k.info.IOPubPort)
	stalled.Conn.(*net.TCPConn).SetReadBuffer(4096)
	stalled.hello("SUB")
	stalled.readSome(64 + 2)      // the greeting and a READY header
	stalled.send([]byte{0, 1, 1}) // subscribe to everything
	for i := 0; ; i++ {           // publish until the subscription is in
		if i == 500 {
			t.Fatal("the subscription never arrived")
		}
		k.srv.publish(nil, "status", map[string]any{"execution_state": "idle"})
		stalled.SetReadDeadline(time.Now().Add(20 * time.Millisecond))
		if n, _ := stalled.Read(make([]byte, 1<<16)); n > 0 {
			break
		}
	}
	const n = 128 // of 64 KiB: twice what the stalled peer's buffers hold
	text := strings.Repeat("z", 64<<10)
	t0 := time.Now()
	for i := range n {
		k.srv.publish(nil, "stream", map[string]any{"name": "stdout", "text": text, "i": i})
	}
	timeout := time.After(wait)
	for i := 0; i < n; {
		select {
		case m := <-k.iopubCh:
			if m.Header.MsgType != "stream" {
				continue
			}
			if c := content(t, m); c["i"] != float64(i) {
				t.Fatalf("message %v, want %d", c["i"], i)
			}
			i++
		case <-timeout:
			t.Fatalf("%d of %d messages after %v", i, n, wait)
		}
	}
	t.Logf("%d messages of 64 KiB in %v", n, time.Since(t0))
	expectLog(t, lines, "peer did not take its data in time")
	rep, _, _ := k.execute("hello", nil)
	if c := content(t, rep); c["status"] != "ok" {
		t.Errorf("after: %v", c)
	}
}

// TestHeartbeatSurvivesBadMessage sends the heartbeat a message without
// the REQ envelope, then a proper one on the same connection: the first is
// logged and dropped, the second echoed.
func TestHeartbeatSurvivesBadMessage(t *testing.T) {
	lines, logger := logTap(t)
	k := startKernel(t, Config{Logger: logger})
	d := zmq4.NewDealer(context.Background())
	defer d.Close()
	if err := d.Dial(k.info.Endpoint(k.info.HBPort)); err != nil {
		t.Fatal(err)
	}
	for _, m := range []zmq4.Msg{zmq4.NewMsgString("no envelope"), zmq4.NewMsgFrom([]byte{}, []byte("alive"))} {
		if err := d.Send(m); err != nil {
			t.Fatal(err)
		}
	}
	echo := make(chan zmq4.Msg, 1)
	go func() {
		m, _ := d.Recv()
		echo <- m
	}()
	select {
	case m := <-echo:
		if len(m.Frames) != 2 || string(m.Frames[1]) != "alive" {
			t.Fatalf("echo %q", m.Frames)
		}
	case <-time.After(wait):
		t.Fatal("no echo after a bad message")
	}
	expectLog(t, lines, "heartbeat: dropping a message")
	k.ping("and a REQ")
}

// TestReplayDropped sends a signed execute_request twice, verbatim and
// with its signature in upper case: it runs once.
func TestReplayDropped(t *testing.T) {
	lines, logger := logTap(t)
	k := startKernel(t, Config{Logger: logger})
	req, _ := wire.NewMessage("execute_request", k.session, "tester", nil, map[string]any{"code": "hello", "silent": false})
	frames, err := wire.Encode(req, k.key)
	if err != nil {
		t.Fatal(err)
	}
	k.shell.SendMulti(zmq4.NewMsgFrom(frames...))
	k.reply(k.shellCh, req)
	if code := <-k.engine.started; code != "hello" {
		t.Fatalf("ran %q", code)
	}
	k.shell.SendMulti(zmq4.NewMsgFrom(frames...))
	upper := append([][]byte(nil), frames...)
	upper[1] = bytes.ToUpper(frames[1])
	k.shell.SendMulti(zmq4.NewMsgFrom(upper...))
	// The next reply on shell is to the next request: no second run.
	next := k.send(k.shell, "kernel_info_request", map[string]any{})
	k.reply(k.shellCh, next)
	select {
	case code := <-k.engine.started:
		t.Errorf("ran %q again", code)
	default:
	}
	expectLog(t, lines, "a replay")
	expectLog(t, lines, "a replay")
}

// TestReplayHistoryOff checks that with the check off a replay runs.
func TestReplayHistoryOff(t *testing.T) {
	k := startKernel(t, Config{ReplayHistory: -1})
	req, _ := wire.NewMessage("execute_request", k.session, "tester", nil, map[string]any{"code": "hello", "silent": false})
	frames, _ := wire.Encode(req, k.key)
	for range 2 {
		k.shell.SendMulti(zmq4.NewMsgFrom(frames...))
		k.reply(k.shellCh, req)
	}
}

// TestSharedSession connects two clients with the same session id, and so
// the same routing identities, as jupyter_client's clients of one
// KernelManager do: each gets the replies to its own requests only, and
// its own input_requests.
func TestSharedSession(t *testing.T) {
	a := startKernel(t, Config{})
	b := a.anotherClient()
	b.sync()
	for range 3 {
		for _, c := range []*testKernel{a, b} {
			req := c.send(c.shell, "kernel_info_request", map[string]any{})
			c.reply(c.shellCh, req)
			req = c.send(c.control, "kernel_info_request", map[string]any{})
			c.reply(c.controlCh, req)
		}
	}
	exec := b.send(b.shell, "execute_request", map[string]any{"code": "input", "allow_stdin": true})
	ir := b.next(b.stdinCh, "input_request")
	reply, _ := wire.NewMessage("input_reply", b.session, "tester", ir, map[string]any{"value": "b"})
	reply.Identities = nil
	b.sendMsg(b.stdin, reply, b.key)
	if c := content(t, b.reply(b.shellCh, exec)); c["status"] != "ok" {
		t.Fatalf("b: %v", c)
	}
	req := a.send(a.shell, "kernel_info_request", map[string]any{})
	a.reply(a.shellCh, req)
	select {
	case m := <-a.stdinCh:
		t.Errorf("a got b's %s", m.Header.MsgType)
	case <-time.After(50 * time.Millisecond):
	}
}
