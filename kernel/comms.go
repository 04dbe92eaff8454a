package kernel

import (
	"encoding/json"
	"sync/atomic"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/wire"
)

// isComm reports whether a shell message is served by the comm worker:
// comm messages reach the engine at once, even while a cell runs (a
// slider moved during a long training), in the order they arrived.
func isComm(msgType string) bool {
	switch msgType {
	case "comm_open", "comm_msg", "comm_close", "comm_info_request":
		return true
	}
	return false
}

// commState is the kernel's side of the comm layer.
type commState struct {
	queue  chan *wire.Message           // comm messages of the front end, in order
	parent atomic.Pointer[wire.Message] // parent of the engine's comm messages
}

// commSink publishes the engine's comm messages on iopub, with the most
// recent request that reached the engine (execute or comm) as parent.
type commSink struct{ s *Server }

func (c commSink) Comm(m engine.Comm) {
	switch m.Type {
	case engine.CommOpen, engine.CommMsg, engine.CommClose:
	default:
		c.s.cfg.Logger.Printf("kernel: engine sent a comm message of type %q", m.Type)
		return
	}
	content := map[string]any{"comm_id": m.CommID, "data": orEmptyMap(m.Data)}
	if m.Type == engine.CommOpen {
		content["target_name"] = m.TargetName
	}
	c.s.publishWith(c.s.comm.parent.Load(), m.Type, content, m.Metadata, m.Buffers)
}

// commWorker serves the comm queue until shutdown.
func (s *Server) commWorker() {
	for {
		select {
		case <-s.quit:
			return
		case m := <-s.comm.queue:
			s.handle(m, channelComm)
		}
	}
}

// commRequest answers comm_open, comm_msg, comm_close and
// comm_info_request (from the comm worker).
func (s *Server) commRequest(ch channel, m *wire.Message) {
	t := m.Header.MsgType
	comms, ok := s.engine.(engine.Comms)
	if t == "comm_info_request" {
		var c struct {
			TargetName string `json:"target_name"`
		}
		_ = m.DecodeContent(&c) // a body without target_name asks for all
		out := map[string]any{}
		if ok {
			for id, target := range comms.CommInfo(c.TargetName) {
				out[id] = map[string]any{"target_name": target}
			}
		}
		s.reply(ch, m, "comm_info_reply", map[string]any{"status": "ok", "comms": out})
		return
	}
	var c struct {
		CommID     string         `json:"comm_id"`
		TargetName string         `json:"target_name"`
		Data       map[string]any `json:"data"`
	}
	if err := m.DecodeContent(&c); err != nil || c.CommID == "" {
		s.cfg.Logger.Printf("kernel: %s: bad content: %v", t, err)
		return
	}
	var meta map[string]any
	if len(m.Metadata) > 0 {
		_ = jsonUnmarshal(m.Metadata, &meta)
	}
	if ok {
		s.comm.parent.Store(m)
		if comms.DeliverComm(engine.Comm{Type: t, CommID: c.CommID, TargetName: c.TargetName, Data: c.Data, Metadata: meta, Buffers: m.Buffers}) {
			return
		}
	}
	if t == "comm_open" {
		s.cfg.Logger.Printf("kernel: no comm target %q; closing comm %s", c.TargetName, c.CommID)
		s.publish(m, "comm_close", map[string]any{"comm_id": c.CommID, "data": map[string]any{}})
	}
}

// publishWith is publish with message metadata and binary buffers.
func (s *Server) publishWith(parent *wire.Message, msgType string, content any, metadata map[string]any, buffers [][]byte) {
	m, err := wire.NewMessage(msgType, s.id, s.cfg.Username, parent, content)
	if err != nil {
		s.cfg.Logger.Printf("kernel: %s: %v", msgType, err)
		return
	}
	if len(metadata) > 0 {
		if b, err := jsonMarshal(metadata); err == nil {
			m.Metadata = b
		}
	}
	m.Buffers = buffers
	s.publishMessage(m)
}

func jsonMarshal(v any) ([]byte, error)   { return json.Marshal(v) }
func jsonUnmarshal(b []byte, v any) error { return json.Unmarshal(b, v) }
