package session

import (
	"context"
	"fmt"
	"testing"
)

func BenchmarkExecute(b *testing.B) {
	for _, code := range []string{"1 + 1", "x := 3\nx * 2", "fmt.Sprint(3)",
		// a range over a slice literal is not type-checked; a range over a
		// variable is (modern.go)
		"t := 0\nfor _, v := range []int{1, 2, 3} { t += v }\nt",
		"xs := []int{1, 2, 3}\nt := 0\nfor _, v := range xs { t += v }\nt",
		"n := 3\nt := 0\nfor i := range n { t += i }\nt"} {
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

// BenchmarkState measures State, which the worker calls after every cell,
// with n functions, types and variables, against one Execute of 1 + 1.
func BenchmarkState(b *testing.B) {
	for _, n := range []int{10, 50} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			s := newTestSession(b)
			for i := 0; i < n; i++ {
				code := fmt.Sprintf("type T%d struct{ X int }\nfunc f%d() int { return %d }\nv%d := T%d{%d}\nw%d := []float64{1}", i, i, i, i, i, i, i)
				if res, _ := execCell(b, s, code); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if st := s.State(); len(st.Vars) != 2*n {
					b.Fatalf("%d vars", len(st.Vars))
				}
			}
		})
	}
}

// BenchmarkFirstCellAfterInterrupt measures the cell after an interrupted
// one with many goroutines alive (the check used to dump their stacks).
func BenchmarkFirstCellAfterInterrupt(b *testing.B) {
	for _, n := range []int{0, 10000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			stop := make(chan struct{})
			defer close(stop)
			for i := 0; i < n; i++ {
				go func() { <-stop }()
			}
			s := newTestSession(b)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				ctx, cancel := context.WithCancel(context.Background())
				cancel()
				s.Execute(ctx, Request{Code: "1"}, &fakeOutput{})
				s.interrupted = true
				b.StartTimer()
				if res := s.Execute(context.Background(), Request{Code: "1"}, &fakeOutput{}); res.Err != nil {
					b.Fatal(res.Err)
				}
			}
		})
	}
}
