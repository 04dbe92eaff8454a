package kernel

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/wire"
)

// ErrStdinNotAllowed is returned by Input when the request did not allow
// stdin.
var ErrStdinNotAllowed = errors.New("kernel: input requested but the frontend does not support stdin")

// maxPending is the size at which coalesced stream text is published at once.
const maxPending = 64 << 10

// cellOutput is the engine.Output of one execute_request: it publishes on
// iopub with the request as parent. It stays usable after the cell ends
// (goroutines may still print); its methods are safe for concurrent use.
type cellOutput struct {
	ctx        context.Context
	s          *Server
	parent     *wire.Message
	allowStdin bool

	mu          sync.Mutex
	pendingName string
	pending     strings.Builder
	timer       *time.Timer
}

var _ engine.Output = (*cellOutput)(nil)

func newCellOutput(ctx context.Context, s *Server, parent *wire.Message, allowStdin bool) *cellOutput {
	return &cellOutput{ctx: ctx, s: s, parent: parent, allowStdin: allowStdin}
}

// Stream appends text to stream name, publishing it within StreamDelay.
func (o *cellOutput) Stream(name, text string) {
	if text == "" {
		return
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pending.Len() > 0 && o.pendingName != name {
		o.flushLocked()
	}
	o.pendingName = name
	o.pending.WriteString(text)
	if o.s.cfg.StreamDelay < 0 || o.pending.Len() >= maxPending {
		o.flushLocked()
		return
	}
	if o.timer == nil {
		o.timer = time.AfterFunc(o.s.cfg.StreamDelay, o.flush)
	}
}

// flush publishes pending stream text now.
func (o *cellOutput) flush() {
	o.mu.Lock()
	o.flushLocked()
	o.mu.Unlock()
}

func (o *cellOutput) flushLocked() {
	if o.timer != nil {
		o.timer.Stop()
		o.timer = nil
	}
	if o.pending.Len() == 0 {
		return
	}
	o.s.publish(o.parent, "stream", map[string]any{"name": o.pendingName, "text": o.pending.String()})
	o.pending.Reset()
}

func displayContent(b engine.Bundle, id string) map[string]any {
	transient := map[string]any{}
	if id != "" {
		transient["display_id"] = id
	}
	return map[string]any{"data": orEmptyMap(b.Data), "metadata": orEmptyMap(b.Metadata), "transient": transient}
}

// Display publishes display_data.
func (o *cellOutput) Display(b engine.Bundle, id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushLocked()
	o.s.publish(o.parent, "display_data", displayContent(b, id))
}

// Update publishes update_display_data for display id.
func (o *cellOutput) Update(b engine.Bundle, id string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushLocked()
	o.s.publish(o.parent, "update_display_data", displayContent(b, id))
}

// Clear publishes clear_output.
func (o *cellOutput) Clear(wait bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.flushLocked()
	o.s.publish(o.parent, "clear_output", map[string]any{"wait": wait})
}

// Input sends an input_request on stdin to the client of the execute
// request and waits for its input_reply, for an interrupt or for shutdown.
// The reply "\x04" (what frontends send for Ctrl-D) is io.EOF.
func (o *cellOutput) Input(prompt string, password bool) (string, error) {
	o.flush()
	if !o.allowStdin {
		return "", ErrStdinNotAllowed
	}
	return o.s.input(o.ctx, o.parent, prompt, password)
}

func (s *Server) input(ctx context.Context, parent *wire.Message, prompt string, password bool) (string, error) {
	s.stdinMu.Lock()
	defer s.stdinMu.Unlock()
	replies := make(chan *wire.Message, 8)
	s.setInputWaiter(replies)
	defer s.setInputWaiter(nil)
	req, err := wire.NewMessage("input_request", s.id, s.cfg.Username, parent,
		map[string]any{"prompt": prompt, "password": password})
	if err != nil {
		return "", err
	}
	frames, err := wire.Encode(req, s.key)
	if err != nil {
		return "", err
	}
	if err := s.stdin.SendMulti(zmqMsg(frames)); err != nil {
		return "", fmt.Errorf("kernel: input_request: %w", err)
	}
	for {
		select {
		case r := <-replies:
			// jupyter_client sends input_reply without a parent; a reply
			// to another input_request is stale.
			if p := parentMsgID(r); p != "" && p != req.Header.MsgID {
				s.cfg.Logger.Printf("kernel: stdin: dropping a reply to input_request %s", p)
				continue
			}
			var c struct {
				Value string `json:"value"`
			}
			if err := r.DecodeContent(&c); err != nil {
				return "", fmt.Errorf("kernel: input_reply: %w", err)
			}
			if c.Value == "\x04" {
				return "", io.EOF
			}
			return c.Value, nil
		case <-ctx.Done():
			return "", fmt.Errorf("kernel: input interrupted: %w", ctx.Err())
		case <-s.quit:
			return "", errors.New("kernel: input: kernel shutting down")
		}
	}
}

// parentMsgID returns the msg_id of m's parent header, "" if none.
func parentMsgID(m *wire.Message) string {
	var p struct {
		MsgID string `json:"msg_id"`
	}
	_ = json.Unmarshal(m.ParentHeader, &p)
	return p.MsgID
}
