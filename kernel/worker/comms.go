package worker

import (
	"context"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/ipc"
)

type sinkBox struct{ s engine.CommSink }

// SetCommSink sets where the workers' comm messages go (engine.Comms).
func (s *Supervisor) SetCommSink(sink engine.CommSink) {
	s.sink.Store(&sinkBox{sink})
}

// comm forwards a comm message of a worker to the sink.
func (s *Supervisor) comm(m engine.Comm) {
	if m.Type == engine.CommClose {
		s.forgetOpen(m.CommID)
	}
	if b := s.sink.Load(); b != nil && b.s != nil {
		b.s.Comm(m)
	}
}

// DeliverComm sends a comm message of the front end to the current
// worker at once, even while a cell runs. It returns false when no worker
// is ready (one is starting): the message is dropped.
//
// The comms the front end opened and did not close are opened again in a
// worker that replaces a dead one: the front end opens the widget
// protocol's version and control comms once per connection, and the new
// worker must know which protocol it speaks.
func (s *Supervisor) DeliverComm(m engine.Comm) bool {
	switch m.Type {
	case engine.CommOpen:
		s.commMu.Lock()
		if s.opens == nil {
			s.opens = map[string]engine.Comm{}
		}
		s.opens[m.CommID] = m
		s.order = append(s.order, m.CommID)
		s.commMu.Unlock()
	case engine.CommClose:
		s.forgetOpen(m.CommID)
	}
	p := s.ready()
	if p == nil {
		return false
	}
	return p.send(&ipc.Msg{Type: ipc.CommIn, Comm: &m}) == nil
}

func (s *Supervisor) forgetOpen(id string) {
	s.commMu.Lock()
	if _, ok := s.opens[id]; ok {
		delete(s.opens, id)
		for i, x := range s.order {
			if x == id {
				s.order = append(s.order[:i:i], s.order[i+1:]...)
				break
			}
		}
	}
	s.commMu.Unlock()
}

// reopenComms sends the front end's open comms to a fresh worker p, in the
// order they were opened.
func (s *Supervisor) reopenComms(p *proc) {
	s.commMu.Lock()
	msgs := make([]engine.Comm, 0, len(s.order))
	for _, id := range s.order {
		msgs = append(msgs, s.opens[id])
	}
	s.commMu.Unlock()
	for i := range msgs {
		p.send(&ipc.Msg{Type: ipc.CommIn, Comm: &msgs[i]})
	}
}

// CommInfo asks the worker for its open comms.
func (s *Supervisor) CommInfo(target string) map[string]string {
	r := s.call(&ipc.Msg{Type: ipc.CommInfo, Target: target})
	if r == nil || r.Comms == nil {
		return map[string]string{}
	}
	return r.Comms
}

// ready returns the current worker if it is ready and alive, without
// waiting for one to start.
func (s *Supervisor) ready() *proc {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.CallTimeout)
	defer cancel()
	p, err := s.get(ctx)
	if err != nil {
		return nil
	}
	return p
}
