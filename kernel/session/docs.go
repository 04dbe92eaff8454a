package session

import (
	"reflect"
	"strings"
)

// Docs documents the compiled packages of Options.Packages for completion
// and inspection. Package kernel/godoc's Docs serves the index embedded in
// the gotrann binary.
type Docs interface {
	// Member returns the declaration and doc comment of pkgPath.name.
	Member(pkgPath, name string) (decl, doc string, ok bool)
	// Method returns the declaration and doc comment of a method or field
	// of the named type pkgPath.typeName.
	Method(pkgPath, typeName, member string) (decl, doc string, ok bool)
	// Package returns a package's doc comment.
	Package(pkgPath string) (doc string, ok bool)
}

// memberDoc returns the declaration and doc comment of pkgPath.name.
func (s *Session) memberDoc(pkgPath, name string) (decl, doc string, ok bool) {
	if s.opts.Docs == nil {
		return "", "", false
	}
	return s.opts.Docs.Member(pkgPath, name)
}

// methodDoc returns the declaration and doc of a method or field of the
// compiled type t (or of what it points to).
func (s *Session) methodDoc(t reflect.Type, member string) (decl, doc string, ok bool) {
	for t.Kind() == reflect.Pointer && t.Name() == "" {
		t = t.Elem()
	}
	if t.PkgPath() == "" || t.Name() == "" || s.opts.Docs == nil {
		return "", "", false
	}
	return s.opts.Docs.Method(t.PkgPath(), t.Name(), member)
}

// packageDoc returns a package's doc comment.
func (s *Session) packageDoc(pkgPath string) (string, bool) {
	if s.opts.Docs == nil {
		return "", false
	}
	doc, ok := s.opts.Docs.Package(pkgPath)
	return strings.TrimSpace(doc), ok
}
