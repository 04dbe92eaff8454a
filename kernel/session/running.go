package session

import (
	"bytes"
	"runtime"
)

// executing reports whether some goroutine is still inside a yaegi
// ExecuteWithContext: after an interrupt, an interpreted loop stops at its
// next step, but a cell blocked in a compiled call (time.Sleep, a long
// gonum call that ignores nb.Context) keeps its goroutine, and would carry
// on with the rest of its cell as soon as the interpreter runs again.
func executing() bool {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	return bytes.Contains(buf, []byte("yaegi/interp.(*Interpreter).ExecuteWithContext.func"))
}
