package session

import (
	"context"
	"fmt"
	"testing"
)

func BenchmarkExecute(b *testing.B) {
	for _, code := range []string{"1 + 1", "x := 3\nx * 2", "fmt.Sprint(3)"} {
		b.Run(code, func(b *testing.B) {
			s := newTestSession(b)
			out := &fakeOutput{}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if res := s.Execute(context.Background(), Request{Code: code}, out); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
		})
	}
}

// BenchmarkReplay measures a redefinition that rebuilds the interpreter
// from n stored declarations.
func BenchmarkReplay(b *testing.B) {
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := newTestSession(b)
			for i := 0; i < n; i++ {
				if res, _ := execCell(b, s, fmt.Sprintf("func f%d() int { return %d }\nv%d := %d", i, i, i, i)); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if res, _ := execCell(b, s, fmt.Sprintf("func f0() int { return %d }", i+100)); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
		})
	}
}
