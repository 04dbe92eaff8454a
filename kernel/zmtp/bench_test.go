package zmtp

import (
	"bytes"
	"testing"

	"github.com/go-zeromq/zmq4"
)

// BenchmarkRoundTrip measures a DEALER → ROUTER → DEALER round trip of a
// Jupyter-sized message (7 frames, about 1 KiB) with the ROUTER on zmq4's
// own tcp transport ("plain") and on the guarded one; the client is plain
// in both. Compare the two in the same run.
func BenchmarkRoundTrip(b *testing.B) {
	frames := [][]byte{
		[]byte("<IDS|MSG>"), bytes.Repeat([]byte("f"), 64),
		bytes.Repeat([]byte("h"), 180), []byte("{}"), []byte("{}"),
		bytes.Repeat([]byte("c"), 700), []byte("buffer"),
	}
	for _, bc := range []struct{ name, scheme string }{{"plain", "tcp"}, {"guarded", TCP}} {
		b.Run(bc.name, func(b *testing.B) {
			ep := startEcho(b, bc.scheme, Options{})
			d := dealer(b, ep, "bench")
			b.ReportAllocs()
			for b.Loop() {
				if err := d.SendMulti(zmq4.NewMsgFrom(frames...)); err != nil {
					b.Fatal(err)
				}
				if m, err := d.Recv(); err != nil || len(m.Frames) != len(frames) {
					b.Fatalf("%d frames, %v", len(m.Frames), err)
				}
			}
		})
	}
}
