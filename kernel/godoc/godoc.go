package godoc

import (
	_ "embed"
	"sync"
)

//go:generate go run gen.go

// data is the generated documentation file (see gen.go).
//
//go:embed godoc.bin
var data []byte

// embedded is the Index over data, opened on first use. It is immutable.
var embedded = sync.OnceValues(func() (*Index, error) { return Open(data) })

// Load opens the embedded documentation, if not done yet, and reports
// whether it is valid. Calling it is optional: every lookup loads on first
// use. A session may call it in the background at start.
func Load() error {
	_, err := embedded()
	return err
}

// Lookup returns the documentation of the package-level symbol name in the
// package pkgPath: Lookup("fmt", "Println"),
// Lookup("gonum.org/v1/gonum/mat", "Dense").
func Lookup(pkgPath, name string) (Entry, bool) {
	x, err := embedded()
	if err != nil {
		return Entry{}, false
	}
	return x.Lookup(pkgPath, name)
}

// LookupMethod returns the documentation of a method or exported field of
// a type: LookupMethod("gonum.org/v1/gonum/mat", "Dense", "Mul").
func LookupMethod(pkgPath, typeName, member string) (Entry, bool) {
	x, err := embedded()
	if err != nil {
		return Entry{}, false
	}
	return x.LookupMethod(pkgPath, typeName, member)
}

// Package returns the documentation of the package pkgPath.
func Package(pkgPath string) (PackageDoc, bool) {
	x, err := embedded()
	if err != nil {
		return PackageDoc{}, false
	}
	return x.Package(pkgPath)
}

// PackagePaths returns the import paths of all documented packages, sorted.
func PackagePaths() []string {
	x, err := embedded()
	if err != nil {
		return nil
	}
	return x.PackagePaths()
}

// EmbeddedData returns the embedded documentation file, for Open. The
// caller must not modify it.
func EmbeddedData() []byte { return data }
