package widget

import (
	"encoding/json"
	"testing"

	"github.com/trannsformer/gotrann/kernel/engine"
)

// FuzzFrontEndMessage feeds arbitrary front-end messages to every kind of
// widget in both protocols: none may panic (a panic in the comm
// goroutine's handling would be recovered, but the widget's own code must
// not rely on it).
func FuzzFrontEndMessage(f *testing.F) {
	for _, s := range []string{
		`{"method":"update","state":{"value":7},"buffer_paths":[]}`,
		`{"method":"backbone","sync_data":{"label":"b","_playing":true}}`,
		`{"method":"request_state"}`,
		`{"method":"custom","content":{"event":"click"}}`,
		`{"method":"update","state":{"index":null,"value":[1,"x"],"outputs":{}}}`,
		`{"method":"update","state":{"titles":7,"children":"x"}}`,
		`{"method":"request_states"}`,
	} {
		f.Add(s, false)
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, msg string, p1 bool) {
		var data map[string]any
		if json.Unmarshal([]byte(msg), &data) != nil {
			return
		}
		proto := Protocol2
		if p1 {
			proto = Protocol1
		}
		k, _ := newKit(proto)
		var errs []error
		k.Comms().SetPanicHandler(func(err error) { errs = append(errs, err) })
		for _, tc := range modelCases {
			w := tc.make(k)
			k.Comms().Deliver(engine.Comm{Type: "comm_msg", CommID: w.Model().ID(), Data: data})
			k.Comms().Wait()
			tc.check(w)
			w.Model().MIMEBundle()
			_ = w.Model().String()
		}
		k.State()
		if len(errs) > 0 {
			t.Fatalf("message %s: %v", msg, errs[0])
		}
	})
}
