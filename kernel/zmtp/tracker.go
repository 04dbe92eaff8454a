package zmtp

import "encoding/binary"

// frameTracker follows the framing of the stream zmq4 writes, so that the
// writer knows where a message ends and can send it with one system call.
// It never fails: any byte sequence is some sequence of frames.
type frameTracker struct {
	greeting int // greeting bytes still to come
	hdr      [9]byte
	hn       int    // header bytes seen of the current frame
	bodyLeft uint64 // body bytes still to come
	more     bool   // the current frame has MORE set
	inBody   bool
}

func newFrameTracker() frameTracker { return frameTracker{greeting: greetingLen} }

// advance consumes p and reports whether the stream then stands at a
// message boundary: after the greeting, a command or the last frame of a
// message.
func (t *frameTracker) advance(p []byte) bool {
	for len(p) > 0 {
		switch {
		case t.greeting > 0:
			n := min(t.greeting, len(p))
			t.greeting -= n
			p = p[n:]
		case t.inBody:
			n := uint64(len(p))
			if n > t.bodyLeft {
				n = t.bodyLeft
			}
			t.bodyLeft -= n
			p = p[n:]
			if t.bodyLeft == 0 {
				t.inBody = false
			}
		default:
			t.hdr[t.hn] = p[0]
			t.hn++
			p = p[1:]
			need := 2
			if t.hdr[0]&flagLong != 0 {
				need = 9
			}
			if t.hn < need {
				continue
			}
			size := uint64(t.hdr[1])
			if need == 9 {
				size = binary.BigEndian.Uint64(t.hdr[1:9])
			}
			t.hn = 0
			t.more = t.hdr[0]&flagMore != 0 && t.hdr[0]&flagCommand == 0
			t.bodyLeft, t.inBody = size, size > 0
		}
	}
	return t.greeting == 0 && !t.inBody && t.hn == 0 && !t.more
}
