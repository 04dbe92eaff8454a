package godoc

// Docs is the embedded index as the documentation of a Go session
// (session.Options.Docs in package kernel/session): main hands it to the
// session together with the symbol tables of package kernel/symbols.
type Docs struct{}

// Member returns the declaration and doc comment of pkgPath.name.
func (Docs) Member(pkgPath, name string) (decl, doc string, ok bool) {
	e, ok := Lookup(pkgPath, name)
	return e.Decl, e.Doc, ok
}

// Method returns the declaration and doc comment of a method or field of
// pkgPath.typeName.
func (Docs) Method(pkgPath, typeName, member string) (decl, doc string, ok bool) {
	e, ok := LookupMethod(pkgPath, typeName, member)
	return e.Decl, e.Doc, ok
}

// Package returns a package's doc comment (its synopsis when the comment
// is empty).
func (Docs) Package(pkgPath string) (doc string, ok bool) {
	p, ok := Package(pkgPath)
	if !ok {
		return "", false
	}
	if p.Doc == "" {
		return p.Synopsis, true
	}
	return p.Doc, true
}
