package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Event is one line of `go test -json` output (see "go doc test2json" and
// "go help buildjson"): test events carry Package, build events
// (build-output, build-fail) carry ImportPath.
type Event struct {
	Time        time.Time
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Elapsed     float64
	Output      string
	FailedBuild string
}

// errNotEvent is returned by ParseEvent for a line that is not a JSON event
// (a message of the go command, such as "go: downloading ...").
var errNotEvent = errors.New("not a test2json event")

// ParseEvent decodes one line of go test -json output. A line that does
// not start with '{' gives errNotEvent; a line that does but does not
// decode gives an error wrapping the decoder's.
func ParseEvent(line []byte) (Event, error) {
	var e Event
	s := strings.TrimSpace(string(line))
	if !strings.HasPrefix(s, "{") {
		return e, errNotEvent
	}
	if err := json.Unmarshal([]byte(s), &e); err != nil {
		return e, fmt.Errorf("testprogress: event %.80q: %w", s, err)
	}
	if e.Action == "" {
		return e, fmt.Errorf("testprogress: event %.80q: %w (no Action)", s, errNotEvent)
	}
	return e, nil
}
