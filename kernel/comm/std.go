package comm

// Open opens a comm to target on the front end with data, on the Default
// Manager.
func Open(target string, data map[string]any) *Comm { return Default().Open(target, data) }

// OpenWith opens a comm with data, metadata and binary buffers on the
// Default Manager.
func OpenWith(target string, data, metadata map[string]any, buffers [][]byte) *Comm {
	return Default().OpenWith(target, data, metadata, buffers)
}

// RegisterTarget registers f for the comms the front end opens to target,
// on the Default Manager.
func RegisterTarget(target string, f func(c *Comm, data map[string]any)) {
	Default().RegisterTarget(target, f)
}

// UnregisterTarget removes a registration of the Default Manager.
func UnregisterTarget(target string) { Default().UnregisterTarget(target) }

// Lookup returns the open comm with id of the Default Manager, nil if none.
func Lookup(id string) *Comm { return Default().Lookup(id) }
