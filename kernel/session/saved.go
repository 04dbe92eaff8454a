package session

import (
	"context"
	"encoding/json"
	"fmt"
)

// SaveState is State as JSON: what the worker agent (package kernel/agent)
// hands the kernel after every cell, so that a fresh worker can be given
// the session's definitions.
func (s *Session) SaveState() (json.RawMessage, error) {
	b, err := json.Marshal(s.State())
	if err != nil {
		return nil, fmt.Errorf("session: state: %w", err)
	}
	return b, nil
}

// RestoreState is Restore of a state saved with SaveState.
func (s *Session) RestoreState(ctx context.Context, state json.RawMessage) ([]string, error) {
	var st State
	if err := json.Unmarshal(state, &st); err != nil {
		return nil, fmt.Errorf("session: state: %w", err)
	}
	return s.Restore(ctx, st)
}
