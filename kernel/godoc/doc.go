// Package godoc serves the documentation of every package the gotrann
// interpreter can import: the standard library packages exposed by yaegi,
// the preloaded gonum and gonum/plot packages, and this module's display,
// kernel/nb and trannsformer packages.
//
// The documentation is extracted at build time by a generator (go generate
// ./kernel/godoc) from the Go sources and embedded into the binary, so it
// needs no Go installation or source tree at run time. For every exported
// package-level func, type, var and const it holds the declaration as
// source text (bodies stripped) and the doc comment; for types also their
// methods and exported fields; and each package's synopsis and doc.
//
// The data is decoded lazily: the first call loads a small index, and each
// package is decompressed the first time it is asked for. Generic functions
// and types are left out, as the interpreter cannot use them; so are
// standard library symbols that yaegi's tables do not expose.
package godoc
