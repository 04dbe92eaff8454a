package display

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageFunctionsAreMethods keeps the contract with the kernel: every
// package-level function that writes through the default Display is also
// a method of *Display with the same name and signature, so the session can
// bind the name to its own Display's method value.
func TestPackageFunctionsAreMethods(t *testing.T) {
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	funcs := map[string]*ast.FuncDecl{}
	methods := map[string]*ast.FuncDecl{}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, err := parser.ParseFile(fset, f, src, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range file.Decls {
			fd, ok := decl.(*ast.FuncDecl)
			if !ok || !fd.Name.IsExported() {
				continue
			}
			if fd.Recv == nil {
				funcs[fd.Name.Name] = fd
				continue
			}
			if star, ok := fd.Recv.List[0].Type.(*ast.StarExpr); ok {
				if id, ok := star.X.(*ast.Ident); ok && id.Name == "Display" {
					methods[fd.Name.Name] = fd
				}
			}
		}
	}
	sig := func(fd *ast.FuncDecl) string {
		var buf bytes.Buffer
		if err := format.Node(&buf, fset, fd.Type); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	usesStd := func(fd *ast.FuncDecl) bool {
		found := false
		ast.Inspect(fd.Body, func(n ast.Node) bool {
			if id, ok := n.(*ast.Ident); ok && id.Name == "std" {
				found = true
			}
			return !found
		})
		return found
	}
	checked := 0
	for name, fd := range funcs {
		if !usesStd(fd) {
			continue
		}
		checked++
		m, ok := methods[name]
		if !ok {
			t.Errorf("package function %s writes output but *Display has no method %s", name, name)
			continue
		}
		if sig(fd) != sig(m) {
			t.Errorf("%s: function %s, method %s", name, sig(fd), sig(m))
		}
	}
	if checked < 5 {
		t.Errorf("only %d package functions checked; want Show, Clear, ClearWait, Progress, NewMonitor", checked)
	}
}
