package agent

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"sync/atomic"

	"github.com/trannsformer/gotrann/kernel/engine"
	"github.com/trannsformer/gotrann/kernel/ipc"
)

// Engine is what a worker serves: an engine whose definitions can be
// saved after a cell and restored into a fresh worker.
type Engine interface {
	engine.Engine
	// SaveState returns the state a fresh engine needs to rebuild the
	// definitions made so far. It is called between cells.
	SaveState() (json.RawMessage, error)
	// RestoreState rebuilds the definitions of a saved state in a fresh
	// engine; notes say what could not be restored (variables' values).
	RestoreState(ctx context.Context, state json.RawMessage) (notes []string, err error)
}

// Options configures Serve. Conn is required.
type Options struct {
	// Conn carries the ipc frames to and from the kernel.
	Conn *ipc.Conn
	// Stdout and Stderr receive the sync markers: the worker's standard
	// output and error (best a duplicate of each descriptor, which a cell
	// that closes os.Stdout cannot close). nil writes no markers.
	Stdout, Stderr io.Writer
	// Nonce is part of every sync marker (ipc.SyncMarker).
	Nonce string
	// CheckStdio is called after every cell; an error means the cell
	// broke the worker's standard output or error (closed or replaced
	// them): the cell fails with it and the kernel replaces the worker.
	CheckStdio func() error
	// Logger receives protocol errors; nil discards.
	Logger *log.Logger
}

// Serve answers the kernel's requests with eng until the kernel sends
// shutdown or closes the connection (nil), or ctx is done.
func Serve(ctx context.Context, eng Engine, opts Options) error {
	if opts.Conn == nil {
		return errors.New("agent: no connection")
	}
	if opts.Logger == nil {
		opts.Logger = log.New(io.Discard, "", 0)
	}
	a := &agent{eng: eng, opts: opts, conn: opts.Conn, inputs: map[uint64]chan *ipc.Msg{}}
	if c, ok := eng.(engine.Comms); ok {
		c.SetCommSink(commSink{a})
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	msgs := make(chan *ipc.Msg)
	errc := make(chan error, 1)
	go func() {
		for {
			m, err := a.conn.Recv()
			if err != nil {
				errc <- err
				return
			}
			select {
			case msgs <- m:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case m := <-msgs:
			if m.Type == ipc.Shutdown {
				a.cancelRunning()
				return nil
			}
			a.handle(ctx, m)
		}
	}
}

type agent struct {
	eng  Engine
	opts Options
	conn *ipc.Conn

	syncMu sync.Mutex
	seq    uint64 // last sync marker written

	runMu   sync.Mutex
	running uint64 // ID of the running execute, 0 when idle
	cancel  context.CancelFunc
	busy    sync.Mutex // held while a cell or a restore runs

	inMu   sync.Mutex
	inputs map[uint64]chan *ipc.Msg // input_request ID -> reply
	nextIn atomic.Uint64

	lastState json.RawMessage
}

func (a *agent) send(m *ipc.Msg) {
	if err := a.conn.Send(m); err != nil {
		a.opts.Logger.Printf("agent: %v", err)
	}
}

// sync writes the next marker to stdout and stderr and returns its number.
func (a *agent) sync() uint64 {
	a.syncMu.Lock()
	defer a.syncMu.Unlock()
	if a.opts.Stdout == nil && a.opts.Stderr == nil {
		return 0
	}
	a.seq++
	mk := ipc.SyncMarker(a.opts.Nonce, a.seq)
	for _, w := range []io.Writer{a.opts.Stdout, a.opts.Stderr} {
		if w != nil {
			w.Write(mk)
		}
	}
	return a.seq
}

// sendSynced writes a marker, then sends m with its number, under one
// lock so that markers and messages keep their order.
func (a *agent) sendSynced(m *ipc.Msg) {
	m.Sync = a.sync()
	a.send(m)
}

func (a *agent) cancelRunning() {
	a.runMu.Lock()
	if a.cancel != nil {
		a.cancel()
	}
	a.runMu.Unlock()
}

func (a *agent) handle(ctx context.Context, m *ipc.Msg) {
	switch m.Type {
	case ipc.Execute:
		if m.Request == nil {
			a.send(&ipc.Msg{Type: ipc.Result, ID: m.ID, Result: &engine.Result{Err: internalError("execute without a request")}})
			return
		}
		cctx, cancel := context.WithCancel(ctx)
		a.runMu.Lock()
		a.running, a.cancel = m.ID, cancel
		a.runMu.Unlock()
		go a.execute(cctx, cancel, m.ID, *m.Request)
	case ipc.Interrupt:
		a.runMu.Lock()
		if a.cancel != nil && (m.ID == 0 || m.ID == a.running) {
			a.cancel()
		}
		a.runMu.Unlock()
	case ipc.Restore:
		go func() {
			a.busy.Lock()
			defer a.busy.Unlock()
			notes, err := a.eng.RestoreState(ctx, m.State)
			r := &ipc.Msg{Type: ipc.Restored, ID: m.ID, Notes: notes}
			if err != nil {
				r.Error = err.Error()
			} else {
				a.lastState = append(json.RawMessage(nil), m.State...)
			}
			a.send(r)
		}()
	case ipc.Complete:
		go func() {
			matches, start, end := a.eng.Complete(m.Code, m.Cursor)
			a.send(&ipc.Msg{Type: ipc.CompleteRep, ID: m.ID, Matches: matches, Start: start, End: end})
		}()
	case ipc.Inspect:
		go func() {
			data, found := a.eng.Inspect(m.Code, m.Cursor, m.Detail)
			a.send(&ipc.Msg{Type: ipc.InspectRep, ID: m.ID, Data: data, Found: found})
		}()
	case ipc.IsComplete:
		go func() {
			status, indent := a.eng.IsComplete(m.Code)
			a.send(&ipc.Msg{Type: ipc.IsCompRep, ID: m.ID, Status: status, Indent: indent})
		}()
	case ipc.CommIn:
		// handled at once, even while a cell runs: the engine queues it
		// for its own goroutine
		if c, ok := a.eng.(engine.Comms); ok && m.Comm != nil {
			if !c.DeliverComm(*m.Comm) && m.Comm.Type == engine.CommOpen {
				a.sendSynced(&ipc.Msg{Type: ipc.CommOut, Comm: &engine.Comm{Type: engine.CommClose, CommID: m.Comm.CommID}})
			}
		} else if m.Comm != nil && m.Comm.Type == engine.CommOpen {
			a.sendSynced(&ipc.Msg{Type: ipc.CommOut, Comm: &engine.Comm{Type: engine.CommClose, CommID: m.Comm.CommID}})
		}
	case ipc.CommInfo:
		comms := map[string]string{}
		if c, ok := a.eng.(engine.Comms); ok {
			comms = c.CommInfo(m.Target)
		}
		a.send(&ipc.Msg{Type: ipc.CommInfoRep, ID: m.ID, Comms: comms})
	case ipc.InputReply:
		a.inMu.Lock()
		ch := a.inputs[m.ID]
		delete(a.inputs, m.ID)
		a.inMu.Unlock()
		if ch != nil {
			ch <- m
		}
	default:
		a.opts.Logger.Printf("agent: ignoring %q", m.Type)
	}
}

func internalError(msg string) *engine.Error {
	return &engine.Error{Name: "InternalError", Value: msg, Traceback: []string{"InternalError: " + msg}}
}

func (a *agent) execute(ctx context.Context, cancel context.CancelFunc, id uint64, req engine.Request) {
	a.busy.Lock()
	defer a.busy.Unlock()
	defer cancel()
	out := &output{a: a, ctx: ctx, exec: id}
	res := a.eng.Execute(ctx, req, out)
	reply := &ipc.Msg{Type: ipc.Result, ID: id}
	if a.opts.CheckStdio != nil {
		if err := a.opts.CheckStdio(); err != nil {
			msg := err.Error() + ": output of later cells would be lost, so the worker is replaced by a fresh one"
			res.Err = &engine.Error{Name: "StdioClosed", Value: msg, Traceback: []string{"\x1b[0;31mStdioClosed\x1b[0m: " + msg}}
			reply.Restart = true
		}
	}
	if sw, ok := a.eng.(interface{ TakeSwitch() []string }); ok {
		reply.Switch = sw.TakeSwitch()
	}
	if st, err := a.eng.SaveState(); err != nil {
		a.opts.Logger.Printf("agent: saving the session state: %v", err)
	} else if string(st) != string(a.lastState) {
		reply.State, a.lastState = st, st
	}
	reply.Result = &res
	a.runMu.Lock()
	a.running, a.cancel = 0, nil
	a.runMu.Unlock()
	a.sendSynced(reply)
}

// commSink sends the engine's comm messages to the kernel, ordered with
// the worker's output by a sync marker.
type commSink struct{ a *agent }

func (s commSink) Comm(m engine.Comm) {
	s.a.sendSynced(&ipc.Msg{Type: ipc.CommOut, Comm: &m})
}

// output is the engine.Output of one execute request.
type output struct {
	a    *agent
	ctx  context.Context
	exec uint64
}

func (o *output) Stream(name, text string) {
	if text != "" {
		o.a.sendSynced(&ipc.Msg{Type: ipc.Stream, ID: o.exec, Name: name, Text: text})
	}
}

func (o *output) Display(b engine.Bundle, id string) {
	o.a.sendSynced(&ipc.Msg{Type: ipc.Display, ID: o.exec, Bundle: &b, DisplayID: id})
}

func (o *output) Update(b engine.Bundle, id string) {
	o.a.sendSynced(&ipc.Msg{Type: ipc.Update, ID: o.exec, Bundle: &b, DisplayID: id})
}

func (o *output) Clear(wait bool) {
	o.a.sendSynced(&ipc.Msg{Type: ipc.Clear, ID: o.exec, Wait: wait})
}

// Input asks the kernel for a line and waits for it or for the cell's
// interrupt.
func (o *output) Input(prompt string, password bool) (string, error) {
	id := o.a.nextIn.Add(1)
	ch := make(chan *ipc.Msg, 1)
	o.a.inMu.Lock()
	o.a.inputs[id] = ch
	o.a.inMu.Unlock()
	defer func() {
		o.a.inMu.Lock()
		delete(o.a.inputs, id)
		o.a.inMu.Unlock()
	}()
	o.a.sendSynced(&ipc.Msg{Type: ipc.InputReq, ID: id, Exec: o.exec, Prompt: prompt, Password: password})
	select {
	case r := <-ch:
		switch {
		case r.EOF:
			return "", io.EOF
		case r.Error != "":
			return "", errors.New(r.Error)
		}
		return r.Text, nil
	case <-o.ctx.Done():
		return "", fmt.Errorf("input interrupted: %w", o.ctx.Err())
	}
}
