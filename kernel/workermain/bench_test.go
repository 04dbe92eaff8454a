package workermain_test

import (
	"strings"
	"testing"
)

// BenchmarkImportModule measures, each in a new kernel session (a new
// supervisor and worker):
//
//   - baseline: start the session and run a cell that imports nothing new;
//   - first: the first import of a small module (greet), with an empty
//     worker cache and a warm Go build cache: resolve, extract, go build,
//     switch to the new worker, run the cell;
//   - cached: the same import in a new session once the worker is cached:
//     switch to the cached worker, run the cell.
//
// Run: go test -run '^$' -bench ImportModule -benchtime 3x ./kernel/workermain
func BenchmarkImportModule(b *testing.B) {
	url := proxy(b)
	const cell = "import \"example.com/gotrann-test/greet\"\nfmt.Println(greet.Hello(\"bench\"))"
	check := func(b *testing.B, out string) {
		if !strings.HasPrefix(out, "hello, bench") {
			b.Fatalf("stdout %q", out)
		}
	}
	b.Run("baseline", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			s := newSupervisor(b, env(b, url, b.TempDir()))
			if out, _ := run(b, s, `fmt.Println("hello, bench")`, ""); !strings.HasPrefix(out, "hello") {
				b.Fatal(out)
			}
			s.Close()
		}
	})
	b.Run("first", func(b *testing.B) {
		// the Go build cache is warm: one build before the timing
		check(b, firstRun(b, env(b, url, b.TempDir()), cell))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			check(b, firstRun(b, env(b, url, b.TempDir()), cell))
		}
	})
	b.Run("cached", func(b *testing.B) {
		e := env(b, url, b.TempDir())
		check(b, firstRun(b, e, cell))
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			check(b, firstRun(b, e, cell))
		}
	})
}

func firstRun(b *testing.B, env []string, cell string) string {
	s := newSupervisor(b, env)
	defer s.Close()
	out, _ := run(b, s, cell, "")
	return out
}
