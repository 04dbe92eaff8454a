package kernel

import (
	"io"
	"log"
	"time"
)

// HelpLink is one entry of kernel_info's help_links.
type HelpLink struct {
	Text string `json:"text"`
	URL  string `json:"url"`
}

// Config configures a Server. The zero value is the default.
type Config struct {
	// Logger receives protocol errors and dropped messages; nil discards.
	Logger *log.Logger
	// Version is the implementation_version in kernel_info; "" means "0.0.0".
	Version string
	// Banner is kernel_info's banner; "" means a default one.
	Banner string
	// HelpLinks are kernel_info's help_links; nil means links to the Go,
	// gonum and gonum/plot documentation.
	HelpLinks []HelpLink
	// Username goes into every header; "" means "kernel".
	Username string
	// StreamDelay is how long stream output is coalesced before it is
	// published; 0 means 10 ms, negative means publish every write at once.
	StreamDelay time.Duration
	// ShutdownGrace is how long Run waits, at shutdown, for an interrupted
	// cell to return; 0 means 2 s.
	ShutdownGrace time.Duration
	// Linger is how long Run lets queued iopub messages go out before it
	// closes the sockets at shutdown; 0 means 50 ms.
	Linger time.Duration
	// MaxFrameSize is the largest frame a client may declare, and the most
	// the frames of one message may add up to; a client that declares more
	// is disconnected before anything is allocated. 0 means 256 MiB.
	MaxFrameSize int64
	// WriteTimeout is how long a client may take to accept a message (or 1
	// MiB of a larger one) before it is disconnected, so that a client that
	// subscribes to iopub and never reads does not hold back the others.
	// 0 means 10 s, negative means no limit.
	WriteTimeout time.Duration
	// HandshakeTimeout is how long a new connection may take to complete
	// its ZeroMQ handshake before it is closed; 0 means 10 s, negative means
	// no limit.
	HandshakeTimeout time.Duration
	// ReplayHistory is how many signatures of recent requests the server
	// remembers to drop a signed message replayed verbatim; 0 means 16384,
	// negative disables the check.
	ReplayHistory int
}

func (c Config) withDefaults() Config {
	if c.Logger == nil {
		c.Logger = log.New(io.Discard, "", 0)
	}
	if c.Version == "" {
		c.Version = "0.0.0"
	}
	if c.Banner == "" {
		c.Banner = "gotrann: Go in Jupyter, with TraNNsformer preloaded"
	}
	if c.HelpLinks == nil {
		c.HelpLinks = []HelpLink{
			{Text: "Go documentation", URL: "https://go.dev/doc/"},
			{Text: "Go standard library", URL: "https://pkg.go.dev/std"},
			{Text: "gonum", URL: "https://pkg.go.dev/gonum.org/v1/gonum"},
			{Text: "gonum/plot", URL: "https://pkg.go.dev/gonum.org/v1/plot"},
		}
	}
	if c.Username == "" {
		c.Username = "kernel"
	}
	if c.StreamDelay == 0 {
		c.StreamDelay = 10 * time.Millisecond
	}
	if c.ShutdownGrace == 0 {
		c.ShutdownGrace = 2 * time.Second
	}
	if c.Linger == 0 {
		c.Linger = 50 * time.Millisecond
	}
	if c.ReplayHistory == 0 {
		c.ReplayHistory = 1 << 14
	}
	return c
}
