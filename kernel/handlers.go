package kernel

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/wire"
)

type channel int

const (
	channelShell channel = iota
	channelControl
	// channelComm is the shell socket's comm messages, served by their
	// own worker (comms.go): replies go to shell.
	channelComm
)

func (c channel) String() string {
	if c == channelControl {
		return "control"
	}
	return "shell"
}

// shellOnly are the messages that use the engine, the history or the
// execution counter, owned by the shell worker; control refuses them (the
// others it serves even while a cell runs).
var shellOnly = map[string]bool{
	"execute_request": true, "complete_request": true, "inspect_request": true,
	"is_complete_request": true, "history_request": true,
	"comm_open": true, "comm_msg": true, "comm_close": true,
}

// reply sends a reply to req on the channel it came from.
func (s *Server) reply(ch channel, req *wire.Message, msgType string, content any) {
	m, err := wire.NewMessage(msgType, s.id, s.cfg.Username, req, content)
	if err != nil {
		s.cfg.Logger.Printf("kernel: %s: %v", msgType, err)
		return
	}
	if ch == channelControl {
		s.send(s.control, &s.controlMu, m)
		return
	}
	s.send(s.shell, &s.shellMu, m)
}

// errorContent is the content of a reply with status error.
func errorContent(ename, evalue string) map[string]any {
	return map[string]any{"status": "error", "ename": ename, "evalue": evalue, "traceback": []string{}}
}

// handle answers one request, framed by status busy and idle on iopub.
func (s *Server) handle(m *wire.Message, ch channel) {
	s.publish(m, "status", map[string]any{"execution_state": "busy"})
	defer s.publish(m, "status", map[string]any{"execution_state": "idle"})

	t := m.Header.MsgType
	if ch == channelShell && s.abort > 0 {
		s.abort--
		if t == "execute_request" {
			s.reply(ch, m, "execute_reply", map[string]any{"status": "aborted"})
			return
		}
	}
	if ch == channelControl && shellOnly[t] {
		// The engine and the history belong to the shell worker.
		s.cfg.Logger.Printf("kernel: control: %s is served on shell only", t)
		if base, ok := strings.CutSuffix(t, "_request"); ok {
			s.reply(ch, m, base+"_reply", errorContent("ChannelError", t+" is served on the shell channel only"))
		}
		return
	}
	switch t {
	case "kernel_info_request":
		s.reply(ch, m, "kernel_info_reply", s.kernelInfo())
	case "execute_request":
		s.execute(m)
	case "complete_request":
		s.complete(ch, m)
	case "inspect_request":
		s.inspect(ch, m)
	case "is_complete_request":
		var c struct {
			Code string `json:"code"`
		}
		if !s.decode(ch, m, &c) {
			return
		}
		status, indent := s.engine.IsComplete(c.Code)
		content := map[string]any{"status": status}
		if status == "incomplete" {
			content["indent"] = indent
		}
		s.reply(ch, m, "is_complete_reply", content)
	case "history_request":
		var req historyRequest
		if !s.decode(ch, m, &req) {
			return
		}
		s.reply(ch, m, "history_reply", map[string]any{"status": "ok", "history": s.history.query(req)})
	case "comm_info_request", "comm_open", "comm_msg", "comm_close":
		s.commRequest(ch, m)
	case "connect_request":
		s.reply(ch, m, "connect_reply", map[string]any{
			"status": "ok", "shell_port": s.info.ShellPort, "iopub_port": s.info.IOPubPort,
			"stdin_port": s.info.StdinPort, "hb_port": s.info.HBPort, "control_port": s.info.ControlPort,
		})
	case "interrupt_request":
		s.Interrupt()
		s.reply(ch, m, "interrupt_reply", map[string]any{"status": "ok"})
	case "shutdown_request":
		var c struct {
			Restart bool `json:"restart"`
		}
		_ = m.DecodeContent(&c) // a malformed body still shuts down
		s.Interrupt()
		s.reply(ch, m, "shutdown_reply", map[string]any{"status": "ok", "restart": c.Restart})
		s.shutdown(c.Restart)
	default:
		s.cfg.Logger.Printf("kernel: %s: unknown message type %q", ch, t)
		if base, ok := strings.CutSuffix(t, "_request"); ok {
			s.reply(ch, m, base+"_reply", errorContent("UnknownMessageType", fmt.Sprintf("gotrann does not handle %s", t)))
		}
	}
}

// decode unmarshals the content of m into v; on failure it logs and replies
// with status error.
func (s *Server) decode(ch channel, m *wire.Message, v any) bool {
	if err := m.DecodeContent(v); err != nil {
		s.cfg.Logger.Printf("kernel: %s: %v", m.Header.MsgType, err)
		base := strings.TrimSuffix(m.Header.MsgType, "_request")
		s.reply(ch, m, base+"_reply", errorContent("BadRequest", err.Error()))
		return false
	}
	return true
}

func (s *Server) kernelInfo() map[string]any {
	return map[string]any{
		"status":                 "ok",
		"protocol_version":       wire.ProtocolVersion,
		"implementation":         "gotrann",
		"implementation_version": s.cfg.Version,
		"language_info": map[string]any{
			"name":               "go",
			"version":            strings.TrimPrefix(runtime.Version(), "go"),
			"mimetype":           "text/x-go",
			"file_extension":     ".go",
			"pygments_lexer":     "go",
			"codemirror_mode":    "go",
			"nbconvert_exporter": "script",
		},
		"banner":     s.cfg.Banner,
		"help_links": s.cfg.HelpLinks,
		"debugger":   false,
	}
}

// cursor clamps a cursor_pos (code points, nil meaning the end) to code.
func cursor(code string, pos *int) int {
	n := utf8.RuneCountInString(code)
	if pos == nil || *pos > n {
		return n
	}
	if *pos < 0 {
		return 0
	}
	return *pos
}

func (s *Server) complete(ch channel, m *wire.Message) {
	var c struct {
		Code      string `json:"code"`
		CursorPos *int   `json:"cursor_pos"`
	}
	if !s.decode(ch, m, &c) {
		return
	}
	pos := cursor(c.Code, c.CursorPos)
	matches, start, end := s.engine.Complete(c.Code, pos)
	if matches == nil {
		matches = []string{}
	}
	if start < 0 || end < start || end > utf8.RuneCountInString(c.Code) {
		start, end = pos, pos
	}
	s.reply(ch, m, "complete_reply", map[string]any{
		"status": "ok", "matches": matches, "cursor_start": start, "cursor_end": end, "metadata": map[string]any{},
	})
}

func (s *Server) inspect(ch channel, m *wire.Message) {
	var c struct {
		Code        string `json:"code"`
		CursorPos   *int   `json:"cursor_pos"`
		DetailLevel int    `json:"detail_level"`
	}
	if !s.decode(ch, m, &c) {
		return
	}
	data, found := s.engine.Inspect(c.Code, cursor(c.Code, c.CursorPos), c.DetailLevel)
	if data == nil {
		data = map[string]any{}
	}
	s.reply(ch, m, "inspect_reply", map[string]any{
		"status": "ok", "found": found && len(data) > 0, "data": data, "metadata": map[string]any{},
	})
}

// executeRequest is the content of an execute_request; pointers tell
// missing fields from false.
type executeRequest struct {
	Code            string            `json:"code"`
	Silent          bool              `json:"silent"`
	StoreHistory    *bool             `json:"store_history"`
	UserExpressions map[string]string `json:"user_expressions"`
	AllowStdin      *bool             `json:"allow_stdin"`
	StopOnError     *bool             `json:"stop_on_error"`
}

func orDefault(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

func (s *Server) execute(m *wire.Message) {
	var req executeRequest
	if !s.decode(channelShell, m, &req) {
		return
	}
	store := orDefault(req.StoreHistory, true) && !req.Silent
	if store {
		s.count++
	}
	count := s.count
	if !req.Silent {
		s.publish(m, "execute_input", map[string]any{"code": req.Code, "execution_count": count})
	}

	reqCount := 0 // the session keeps its own count for unstored cells
	if store {
		reqCount = count
	}
	s.comm.parent.Store(m)
	ctx, cancel := context.WithCancel(s.cellCtx)
	s.setRunning(cancel)
	out := newCellOutput(ctx, s, m, orDefault(req.AllowStdin, true))
	res := s.engine.Execute(ctx, engine.Request{
		Code:            req.Code,
		Silent:          req.Silent,
		StoreHistory:    store,
		UserExpressions: req.UserExpressions,
		AllowStdin:      out.allowStdin,
		ExecutionCount:  reqCount,
	}, out)
	s.setRunning(nil)
	cancel()
	out.flush()

	var output any // the text/plain of the value, for history
	if res.Err == nil && res.Value != nil && !req.Silent {
		s.publish(m, "execute_result", map[string]any{
			"execution_count": count, "data": orEmptyMap(res.Value.Data), "metadata": orEmptyMap(res.Value.Metadata),
		})
		output = res.Value.Data["text/plain"]
	}
	payload := res.Payload
	if payload == nil {
		payload = []map[string]any{}
	}
	userExpr := res.UserExpressions
	if userExpr == nil {
		userExpr = map[string]any{}
	}
	content := map[string]any{"status": "ok", "execution_count": count, "payload": payload, "user_expressions": userExpr}
	if e := res.Err; e != nil {
		tb := e.Traceback
		if tb == nil {
			tb = []string{}
		}
		s.publish(m, "error", map[string]any{"ename": e.Name, "evalue": e.Value, "traceback": tb})
		content["status"] = "error"
		content["ename"], content["evalue"], content["traceback"] = e.Name, e.Value, tb
		if orDefault(req.StopOnError, true) {
			// Abort the execute_requests already queued behind this one.
			s.abort = len(s.queue)
		}
	}
	if store {
		s.history.add(count, req.Code, output)
	}
	s.reply(channelShell, m, "execute_reply", content)
}

func orEmptyMap(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}
