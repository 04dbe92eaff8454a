// Package worker runs the kernel's language engine in a child process and
// survives anything a cell does there.
//
// A Supervisor is an engine.Engine. It starts the worker (by default the
// running binary with the hidden sub-command "worker"), talks to it over
// two pipes with the framed protocol of package ipc, and reads the
// worker's standard output and error as plain pipes, so that whatever
// compiled code prints reaches the running cell and whatever the Go
// runtime prints when it dies (stack overflow, out of memory, concurrent
// map writes, an unrecovered panic in a timer callback) reaches the
// kernel.
//
// When the worker dies, or does not return within InterruptGrace of an
// interrupt, or is interrupted twice, the Supervisor answers the running
// request with an error that names the cause and carries the runtime's
// own last lines, starts a fresh worker, replays the session's
// declarations into it (the state the worker saved after its last cell)
// and says which variables' values were lost. The kernel process, its
// sockets, execution count and history are untouched.
//
// A result that carries a worker command line (ipc.Msg.Switch: a cell
// imported a package that package kernel/modules compiled into another
// worker binary) makes the Supervisor replace the worker with that
// binary, replay the session into it and run the cell again there; later
// restarts use that binary too (Command).
//
// The worker gets resource limits (Config.MemoryLimit, Config.MaxStack;
// environment GOTRANN_WORKER_MEMORY and GOTRANN_WORKER_STACK), applied by
// the worker itself at start-up (package agent).
//
// The package links neither the interpreter nor the libraries preloaded
// into it.
package worker
