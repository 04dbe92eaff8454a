package session

import (
	"reflect"
	"strings"

	"github.com/trannsformer/gotrann/kernel/godoc"
)

// The documentation seam: package kernel/godoc, embedded at build time.

// memberDoc returns the declaration and doc comment of pkgPath.name.
func memberDoc(pkgPath, name string) (decl, doc string, ok bool) {
	e, ok := godoc.Lookup(pkgPath, name)
	if !ok {
		return "", "", false
	}
	return e.Decl, e.Doc, true
}

// methodDoc returns the declaration and doc of a method or field of the
// compiled type t (or of what it points to).
func methodDoc(t reflect.Type, member string) (decl, doc string, ok bool) {
	for t.Kind() == reflect.Pointer && t.Name() == "" {
		t = t.Elem()
	}
	if t.PkgPath() == "" || t.Name() == "" {
		return "", "", false
	}
	e, ok := godoc.LookupMethod(t.PkgPath(), t.Name(), member)
	if !ok {
		return "", "", false
	}
	return e.Decl, e.Doc, true
}

// packageDoc returns a package's doc comment.
func packageDoc(pkgPath string) (string, bool) {
	p, ok := godoc.Package(pkgPath)
	if !ok {
		return "", false
	}
	doc := p.Doc
	if doc == "" {
		doc = p.Synopsis
	}
	return strings.TrimSpace(doc), true
}
