package runner

import (
	"context"
	"strings"
	"testing"
)

// BenchmarkRun measures the runner's own overhead per cell, with a session
// that does nothing but stream a line.
func BenchmarkRun(b *testing.B) {
	cells := make([]string, 100)
	for i := range cells {
		cells[i] = "print x"
	}
	src := strings.Join(cells, "\x00")
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		nb := newNotebook(strings.Split(src, "\x00")...)
		if err := Run(context.Background(), nb, Options{Session: &fakeSession{}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStream records one stream of 1 MiB and one of 16 MiB, in
// chunks of 100 bytes (a training loop printing a line per step). Linear
// recording makes the 16 MiB case 16 times the 1 MiB one per op, and the
// same per byte (MB/s).
func BenchmarkStream(b *testing.B) {
	for _, size := range []struct {
		name  string
		bytes int
	}{{"1MiB", 1 << 20}, {"16MiB", 16 << 20}} {
		b.Run(size.name, func(b *testing.B) {
			b.SetBytes(int64(size.bytes))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				recordStream(size.bytes, streamChunk)
			}
		})
	}
}
