// Package modules builds interpreter workers that have third-party Go
// packages compiled in, so that a cell can import any module the user's Go
// toolchain can fetch.
//
// # Why a rebuilt worker
//
// yaegi v0.16.1 interprets the source of some modules (google/uuid,
// montanaflynn/stats) and fails on many (go-humanize: undefined: max;
// tablewriter: a reflect panic; anything on x/sys: unsafe; x/exp/slices: a
// crash in its generics; gonum's assembly). Compiled yaegi symbol tables work
// for all of them. A Go plugin would need cgo and the exact toolchain and
// module versions of the kernel binary; a worker binary needs neither, and the
// worker split (package kernel/worker) already knows how to replace a worker
// and replay the session into the new one. So a Builder writes a main package
// into a cache directory, resolves the requested packages' modules with the
// user's go command and GOPROXY, writes yaegi symbol tables for them (with
// yaegi's extract package, run by the worker binary itself), and runs
// go build. The kernel then switches to that binary.
//
// # Cache
//
// A build lives in CacheDir()/workers/KEY, where KEY hashes the gotrann
// module identity (Base.ID), the requested import paths and the pins. A
// second import of the same packages, in this session or another, starts
// the cached binary without running the go command. An unpinned package is
// resolved to its latest version once; the cached worker keeps that version
// until a pin (%require) asks for another.
//
// # Finding gotrann itself
//
// The generated go.mod requires github.com/trannsformer/gotrann, so that the
// new worker runs the same session code. FindBase chooses how:
//
//   - $GOTRANN_SOURCE, when set, names a source directory: a replace
//     directive points at it. "gotrann install" records it in kernel.json's
//     env when the kernel was built from a checkout (go run . install,
//     go build).
//   - Otherwise the source directory the binary was compiled from (the file
//     names the compiler recorded) is used when it still holds the module:
//     a checkout again, a replace directive.
//   - A binary built from the module cache (go install
//     github.com/trannsformer/gotrann@v1.2.3) requires that version, which
//     the module cache or GOPROXY provides.
//
// # Versions
//
// The modules whose packages the interpreter preloads (gonum, gonum/plot,
// yaegi, gotrann) keep the kernel's versions: a requested module that needs
// another version of one of them, or a pin of one, is an error that names
// both versions (ConflictError). Other shared dependencies may be upgraded
// by minimal version selection, as go build would.
//
// # Environment
//
// The go command runs with the worker's environment (GOPROXY, GOFLAGS,
// GOPRIVATE, GONOSUMDB... as the user set them, %env included), plus
// -mod=mod and GOWORK=off. Without a go command on PATH, Build returns
// ErrNoGo with what to install.
package modules
