package wire

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
)

// ConnectionInfo is the content of a Jupyter connection file.
type ConnectionInfo struct {
	Transport       string `json:"transport"` // "tcp" or "ipc"
	IP              string `json:"ip"`
	ShellPort       int    `json:"shell_port"`
	IOPubPort       int    `json:"iopub_port"`
	StdinPort       int    `json:"stdin_port"`
	ControlPort     int    `json:"control_port"`
	HBPort          int    `json:"hb_port"`
	SignatureScheme string `json:"signature_scheme"`
	Key             string `json:"key"`
	KernelName      string `json:"kernel_name,omitempty"`
}

// ReadConnectionFile reads and validates the connection file at path.
// Errors name the file.
func ReadConnectionFile(path string) (ConnectionInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file: %w", err)
	}
	ci, err := ParseConnectionInfo(b)
	if err != nil {
		return ConnectionInfo{}, fmt.Errorf("connection file %s: %w", path, err)
	}
	return ci, nil
}

// ParseConnectionInfo parses and validates the JSON of a connection file.
// A missing transport means "tcp"; a missing signature_scheme means
// "hmac-sha256".
func ParseConnectionInfo(b []byte) (ConnectionInfo, error) {
	var ci ConnectionInfo
	if err := json.Unmarshal(b, &ci); err != nil {
		return ConnectionInfo{}, fmt.Errorf("malformed JSON: %w", err)
	}
	if ci.Transport == "" {
		ci.Transport = "tcp"
	}
	if ci.SignatureScheme == "" {
		ci.SignatureScheme = "hmac-sha256"
	}
	if err := ci.Validate(); err != nil {
		return ConnectionInfo{}, err
	}
	return ci, nil
}

// Validate checks the transport, address, ports and signature scheme.
// A port of 0 is allowed and means "any free port" (tcp only).
func (ci ConnectionInfo) Validate() error {
	switch ci.Transport {
	case "tcp", "ipc":
	default:
		return fmt.Errorf("unsupported transport %q (want tcp or ipc)", ci.Transport)
	}
	if ci.IP == "" {
		return errors.New("missing ip")
	}
	if ci.SignatureScheme != "hmac-sha256" {
		return fmt.Errorf("unsupported signature_scheme %q (want hmac-sha256)", ci.SignatureScheme)
	}
	ports := []struct {
		name string
		port int
	}{
		{"shell_port", ci.ShellPort}, {"iopub_port", ci.IOPubPort}, {"stdin_port", ci.StdinPort},
		{"control_port", ci.ControlPort}, {"hb_port", ci.HBPort},
	}
	for _, p := range ports {
		if p.port < 0 || p.port > 65535 {
			return fmt.Errorf("%s %d out of range", p.name, p.port)
		}
		if p.port == 0 && ci.Transport == "ipc" {
			return fmt.Errorf("%s must be set for the ipc transport", p.name)
		}
	}
	return nil
}

// Endpoint returns the ZeroMQ endpoint for port: "tcp://ip:port" or,
// for ipc, "ipc://ip-port" as jupyter_client names it.
func (ci ConnectionInfo) Endpoint(port int) string {
	if ci.Transport == "ipc" {
		return fmt.Sprintf("ipc://%s-%d", ci.IP, port)
	}
	return fmt.Sprintf("tcp://%s:%d", ci.IP, port)
}
