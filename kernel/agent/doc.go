// Package agent is the worker process's side of the kernel/worker split:
// it serves the requests of package ipc with an Engine (the Go session,
// handed in by main) and turns everything a running cell produces into
// ipc messages.
//
// The worker's standard output and error are pipes read by the kernel
// process; cells and compiled code write to them directly. Before every
// message that must come after the output written so far (display data,
// stream notes, input requests, the result of a cell), the agent writes a
// sync marker to both (ipc.SyncMarker), so that the kernel shows output in
// the order it was produced.
//
// The agent imports neither the interpreter nor the session: main passes
// the engine in, as yaegi's own command passes its symbol tables to the
// interpreter.
package agent
