// Package pkglist names the packages whose symbols are preloaded into the
// gotrann interpreter: a fixed set of gonum and gonum/plot packages, and
// the public packages of this module that notebooks use (display, kernel/nb
// and trannsformer/...).
//
// It is used by the generators of kernel/symbols (the yaegi symbol tables)
// and kernel/godoc (the embedded documentation), and by their tests, so that
// both always cover the same packages. It is not linked into the gotrann
// binary.
package pkglist
