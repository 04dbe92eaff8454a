package wire

import "sync"

// Replays remembers the signatures of the last messages received, so that
// a signed message replayed verbatim is dropped, as jupyter_client's
// Session does with its digest_history. It is safe for concurrent use.
type Replays struct {
	mu   sync.Mutex
	seen map[string]struct{}
	ring []string // the remembered signatures, oldest at next once full
	next int
	size int
}

// NewReplays returns a Replays remembering the last n signatures; n <= 0
// remembers none.
func NewReplays(n int) *Replays {
	return &Replays{seen: make(map[string]struct{}), size: n}
}

// Seen records sig and reports whether it was already among the last
// signatures recorded. An empty sig (an unsigned message) is never seen.
func (r *Replays) Seen(sig []byte) bool {
	if len(sig) == 0 || r.size <= 0 {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.seen[string(sig)]; dup {
		return true
	}
	s := string(sig)
	if len(r.ring) < r.size {
		r.ring = append(r.ring, s)
	} else {
		delete(r.seen, r.ring[r.next])
		r.ring[r.next] = s
		r.next = (r.next + 1) % r.size
	}
	r.seen[s] = struct{}{}
	return false
}
