package session

import (
	"github.com/trannsformer/gotrann/display/widget"
	"github.com/trannsformer/gotrann/kernel/comm"
	"github.com/trannsformer/gotrann/kernel/engine"
)

// The session carries comms (engine.Comms) through the process's comm
// Manager (comm.Default): compiled packages such as display/widget reach
// the front end through it without a handle, as cells do through the
// package-level functions of comm. A worker process runs one session.
var _ engine.Comms = (*Session)(nil)

// SetCommSink connects the process's comm Manager to the kernel: callbacks
// that panic are reported on the stderr of the most recent cell, and the
// widgets' outputs (interact) go to the session's display.
func (s *Session) SetCommSink(sink engine.CommSink) {
	m := comm.Default()
	m.SetPanicHandler(func(err error) {
		s.r.takePanics() // yaegi's panic lines belong to no cell
		s.r.stream("stderr", err.Error()+"\n")
	})
	m.SetSink(sink)
	widget.Default().SetDisplay(s.disp)
}

// DeliverComm hands a message of the front end to the comm Manager; its
// callbacks run on the Manager's goroutine.
func (s *Session) DeliverComm(m engine.Comm) bool {
	comm.Default().Deliver(m)
	return true
}

// CommInfo returns the open comms of the process's comm Manager.
func (s *Session) CommInfo(target string) map[string]string {
	return comm.Default().Info(target)
}
