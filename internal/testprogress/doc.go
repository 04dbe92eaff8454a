// Command testprogress shows the progress of `go test -json`: a line for
// each package as it finishes, a status line at least every -every
// (default 30s) with the packages done and those still running (with the
// test each one is in and for how long), every failing test's output in
// full, and a summary with the slowest packages. It exits 1 when a test or
// a build failed, or when go test itself failed.
//
// It runs go test itself:
//
//	go run ./internal/testprogress -- -race -short ./kernel/...
//
// (the arguments after -- are go test's; -json is added), or reads a
// stream on its standard input:
//
//	set -o pipefail; go test -json ./... 2>&1 | go run ./internal/testprogress
//
// Lines of the input that are not test2json events (messages of the go
// command) are copied through. With -require-tests a package whose tests
// were all left out by -run fails, so that a -run list that no longer
// names a package's tests does not pass silently.
//
// The Makefile's gotest target and so CI (.ci/run) use it.
package main
