// Package ipc is the framed protocol between the kernel process and its
// interpreter worker (see packages kernel/worker and kernel/agent).
//
// The two processes talk over a pair of pipes: the kernel writes requests
// to the worker's file descriptor 3 and reads replies and events from its
// file descriptor 4. Every frame is a 4-byte big-endian length followed by
// that many bytes of JSON, one Msg. A frame longer than MaxFrame is an
// error, not an allocation.
//
// The worker's standard output and error are not part of this protocol:
// they are plain pipes that the kernel reads, so that whatever compiled
// code or the Go runtime writes there (a fatal error's last words
// included) reaches the kernel. Messages that must come after the output
// written before them (display data, the result of a cell) carry a Sync
// number: the worker first writes SyncMarker(n) to both its stdout and
// stderr, and the kernel holds the message back until its readers of both
// pipes have passed that marker (StripMarkers).
//
// Requests (kernel to worker): execute, complete, inspect, is_complete,
// restore, input_reply, interrupt, shutdown. Replies and events (worker to
// kernel): ready, result, complete_reply, inspect_reply,
// is_complete_reply, restored, stream, display, update, clear,
// input_request. Each message type's fields are documented on Msg.
package ipc
