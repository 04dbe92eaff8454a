package main

import (
	"context"
	"fmt"
	"os"
	"testing"
)

// TestMain lets the test binary be the interpreter worker: "gotrann run"
// and "gotrann kernel" start os.Executable() with the argument "worker",
// which under "go test" is this binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "worker" {
		if err := cmdWorker(context.Background(), os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "gotrann worker:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}
