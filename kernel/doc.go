// Package kernel is the Jupyter kernel server of gotrann: it binds the five
// ZeroMQ sockets of a connection file (shell, control, stdin, iopub,
// heartbeat), decodes and verifies every message, and dispatches each
// request type of the messaging protocol (version 5.3) to an Engine, the Go
// language engine (package engine).
//
// Shell requests are handled one at a time, in arrival order, on a worker
// goroutine; the control channel is served on its own goroutine so that
// kernel_info, interrupt and shutdown are answered while a cell runs. Every
// request is framed on iopub by status busy and idle. The package knows
// nothing of TraNNsformer.
package kernel
