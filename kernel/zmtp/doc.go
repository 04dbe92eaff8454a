// Package zmtp is a guarded ZeroMQ transport for github.com/go-zeromq/zmq4.
//
// zmq4 v0.17.0 trusts its peers: it allocates whatever frame length a peer
// declares, a malformed READY command panics its handshake, a peer that
// never reads stalls every writer of a PUB socket, and a connection whose
// handshake never completes (or fails) blocks its listener or leaks. This
// package fixes those faults without touching zmq4: it registers two
// transports, "zmtp+tcp" and "zmtp+ipc" (zmq4 refuses to replace its own
// "tcp" and "ipc"), whose net.Conns parse ZMTP 3 framing on the way in and
// on the way out:
//
//   - the peer's greeting must carry the ZMTP signature and version 3 or
//     later, and the first command after it, when it is READY, must be
//     well formed;
//   - a frame may declare at most Options.MaxFrameSize bytes, and the frames
//     of one multipart message (each counted 64 bytes more) may add up to
//     no more; the length is checked before zmq4 sees the header, so
//     nothing is allocated for an oversized frame;
//   - every write to the peer (a message, or 1 MiB of a larger one) has a
//     deadline (Options.WriteTimeout): a peer that does not take its data is
//     dropped, and zmq4 removes it from its socket instead of retrying it
//     for every message;
//   - a connection whose handshake has not completed within
//     Options.HandshakeTimeout is closed;
//   - on an accepted connection, the peer's routing identity is made unique
//     among the listener's live connections: a second peer announcing an
//     identity already connected gets it with "/2" (then "/3", …) appended,
//     so that a ROUTER socket replies to the connection that asked, not to
//     every connection sharing the identity. A client connecting its
//     sockets in the same order gets the same suffix on each of them.
//
// A fault closes the connection with an *Error (never a timeout, so that
// zmq4 forgets the connection) and is logged to Options.Logger. Writes are
// coalesced up to a message boundary and written with one writev, and reads
// are buffered, so the guard costs fewer system calls than zmq4's plain
// transport.
//
// Options reach the transport through the context the zmq4 socket is made
// with:
//
//	ctx = zmtp.WithOptions(ctx, zmtp.Options{MaxFrameSize: 1 << 20})
//	sck := zmq4.NewRouter(ctx)
//	ep, _ := zmtp.Endpoint("tcp://127.0.0.1:5555") // "zmtp+tcp://127.0.0.1:5555"
//	err := sck.Listen(ep)
//
// An ipc endpoint is bound with permissions 0600: the socket is created in a
// private directory and renamed into place, so that no other user can
// connect in between. Like libzmq, binding replaces a file left at the path.
package zmtp
