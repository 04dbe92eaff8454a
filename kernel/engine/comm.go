package engine

// Comm message types (the msg_type of the Jupyter message).
const (
	CommOpen  = "comm_open"
	CommMsg   = "comm_msg"
	CommClose = "comm_close"
)

// Comm is one comm message, in either direction: from the front end to
// the engine (DeliverComm) or from the engine to the front end
// (CommSink.Comm).
type Comm struct {
	Type       string         `json:"type"` // CommOpen, CommMsg or CommClose
	CommID     string         `json:"comm_id"`
	TargetName string         `json:"target_name,omitempty"` // comm_open only
	Data       map[string]any `json:"data,omitempty"`
	Metadata   map[string]any `json:"metadata,omitempty"`
	Buffers    [][]byte       `json:"buffers,omitempty"`
}

// CommSink receives the comm messages an engine sends to the front end.
// Its method may be called from several goroutines.
type CommSink interface {
	Comm(m Comm)
}

// Comms is implemented by an engine that carries comms: the kernel hands
// it the front end's comm messages and publishes the ones it sends.
type Comms interface {
	// SetCommSink sets where the engine's comm messages go; the kernel
	// calls it once, before any message is delivered.
	SetCommSink(s CommSink)
	// DeliverComm hands a comm message of the front end to the engine at
	// once, even while a cell runs. A comm_open whose target is not
	// registered is answered with a comm_close through the sink. It
	// returns false when the engine cannot take the message now (no
	// worker); the kernel then closes a comm the front end opened.
	DeliverComm(m Comm) bool
	// CommInfo returns the open comms (comm_id -> target_name), only
	// those of target when it is not "".
	CommInfo(target string) map[string]string
}
