package docgen

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"

	"github.com/trannsformer/gotrann/kernel/godoc"
)

// Config says which packages to document and how. The zero value documents
// nothing.
type Config struct {
	// Dir is the directory `go list` runs in (a directory of the module, so
	// that module packages resolve). "" means the current directory.
	Dir string
	// Packages are the import paths to document.
	Packages []string
	// Allowed, if not nil, restricts the package-level names of a package
	// to those for which it returns true (the standard library is filtered
	// by yaegi's tables). Nil allows every exported name.
	Allowed func(pkgPath, name string) bool
	// Env holds extra environment variables for `go list`. Nil means
	// GOOS=linux, GOARCH=amd64, CGO_ENABLED=0, so that the output does not
	// depend on the host.
	Env []string
}

// defaultEnv pins the build context of go list.
var defaultEnv = [...]string{"GOOS=linux", "GOARCH=amd64", "CGO_ENABLED=0"}

// maxGroupLines is the longest const or var group shown whole as the
// declaration of one of its names; longer groups show the name's spec only.
const maxGroupLines = 30

// maxDecl caps the length of a declaration's text.
const maxDecl = 4000

// listedPackage is the part of `go list -json` output used here.
type listedPackage struct {
	ImportPath string
	Name       string
	Dir        string
	GoFiles    []string
	CgoFiles   []string
	Error      *struct{ Err string }
}

// Generate documents cfg.Packages and returns the documentation file.
// The same sources give the same bytes.
func Generate(ctx context.Context, cfg Config) ([]byte, error) {
	pkgs, err := Collect(ctx, cfg)
	if err != nil {
		return nil, err
	}
	return Encode(pkgs)
}

// Collect documents cfg.Packages, sorted by import path.
func Collect(ctx context.Context, cfg Config) ([]*godoc.PackageData, error) {
	if len(cfg.Packages) == 0 {
		return nil, nil
	}
	listed, err := list(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var out []*godoc.PackageData
	for _, lp := range listed {
		p, err := document(lp, cfg.Allowed)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func list(ctx context.Context, cfg Config) ([]listedPackage, error) {
	args := append([]string{"list", "-e", "-json=ImportPath,Name,Dir,GoFiles,CgoFiles,Error"}, cfg.Packages...)
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = cfg.Dir
	env := cfg.Env
	if env == nil {
		env = defaultEnv[:]
	}
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("docgen: go list: %w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var pkgs []listedPackage
	var errs []error
	dec := json.NewDecoder(&stdout)
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return nil, fmt.Errorf("docgen: decoding go list output: %w", err)
		}
		if p.Error != nil {
			errs = append(errs, fmt.Errorf("docgen: %s: %s", p.ImportPath, p.Error.Err))
			continue
		}
		pkgs = append(pkgs, p)
	}
	return pkgs, errors.Join(errs...)
}

// document parses one package and extracts its documentation.
func document(lp listedPackage, allowed func(pkgPath, name string) bool) (*godoc.PackageData, error) {
	fset := token.NewFileSet()
	names := append(append([]string(nil), lp.GoFiles...), lp.CgoFiles...)
	sort.Strings(names)
	var files []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, filepath.Join(lp.Dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, fmt.Errorf("docgen: %s: %w", lp.ImportPath, err)
		}
		files = append(files, f)
	}
	dp, err := doc.NewFromFiles(fset, files, lp.ImportPath, doc.AllMethods)
	if err != nil {
		return nil, fmt.Errorf("docgen: %s: %w", lp.ImportPath, err)
	}
	ok := func(name string) bool {
		return token.IsExported(name) && (allowed == nil || allowed(lp.ImportPath, name))
	}
	x := &extractor{fset: fset, pkg: lp.ImportPath}
	p := &godoc.PackageData{Path: lp.ImportPath, Name: dp.Name, Synopsis: dp.Synopsis(dp.Doc), Doc: dp.Doc}
	addValues := func(vs []*doc.Value, kind string) {
		for _, v := range vs {
			for _, e := range x.values(v, kind) {
				if ok(e.Name) {
					p.Entries = append(p.Entries, e)
				}
			}
		}
	}
	addFuncs := func(fs []*doc.Func) {
		for _, f := range fs {
			if ok(f.Name) && f.Decl.Type.TypeParams == nil {
				p.Entries = append(p.Entries, x.fn(f))
			}
		}
	}
	addValues(dp.Consts, godoc.KindConst)
	addValues(dp.Vars, godoc.KindVar)
	addFuncs(dp.Funcs)
	for _, t := range dp.Types {
		// Constructors, constants and variables of a type are
		// package-level symbols even if the type is filtered out.
		addValues(t.Consts, godoc.KindConst)
		addValues(t.Vars, godoc.KindVar)
		addFuncs(t.Funcs)
		if !ok(t.Name) || t.Decl == nil || len(t.Decl.Specs) == 0 {
			continue
		}
		ts, isType := t.Decl.Specs[0].(*ast.TypeSpec)
		if !isType || ts.TypeParams != nil {
			continue
		}
		e, members := x.typ(t, ts)
		p.Entries = append(p.Entries, e)
		p.Members = append(p.Members, members...)
	}
	sort.Slice(p.Entries, func(i, j int) bool { return p.Entries[i].Name < p.Entries[j].Name })
	sort.Slice(p.Members, func(i, j int) bool {
		a, b := p.Members[i], p.Members[j]
		return a.Recv < b.Recv || a.Recv == b.Recv && a.Name < b.Name
	})
	p.Entries = dedup(p.Entries)
	p.Members = dedup(p.Members)
	return p, nil
}

// dedup drops entries repeating the (Recv, Name) of the previous one, as a
// promoted method shadowed by a field of the same name would.
func dedup(es []godoc.Entry) []godoc.Entry {
	out := es[:0]
	for i, e := range es {
		if i > 0 && e.Recv == es[i-1].Recv && e.Name == es[i-1].Name {
			continue
		}
		out = append(out, e)
	}
	return out
}

// extractor prints declarations of one package.
type extractor struct {
	fset *token.FileSet
	pkg  string
}

func (x *extractor) print(node any) string {
	var buf bytes.Buffer
	cfg := printer.Config{Mode: printer.UseSpaces | printer.TabIndent, Tabwidth: 8}
	if err := cfg.Fprint(&buf, x.fset, node); err != nil {
		return fmt.Sprintf("<%v>", err)
	}
	s := buf.String()
	if len(s) > maxDecl {
		cut := strings.LastIndexByte(s[:maxDecl], '\n')
		if cut < 0 {
			cut = maxDecl
		}
		s = s[:cut] + "\n\t// ... (truncated)"
	}
	return s
}

func (x *extractor) fn(f *doc.Func) godoc.Entry {
	d := *f.Decl
	d.Body, d.Doc = nil, nil
	kind := godoc.KindFunc
	if f.Recv != "" {
		kind = godoc.KindMethod
	}
	return godoc.Entry{Package: x.pkg, Name: f.Name, Kind: kind, Decl: x.print(&d), Doc: f.Doc}
}

// values returns one entry per exported name of a const or var group.
func (x *extractor) values(v *doc.Value, kind string) []godoc.Entry {
	group := *v.Decl
	group.Doc = nil
	// Filtered-out specs can leave a blank line before the parenthesis.
	groupText := strings.Replace(x.print(&group), "\n\n)", "\n)", 1)
	whole := strings.Count(groupText, "\n") < maxGroupLines
	var out []godoc.Entry
	for _, s := range v.Decl.Specs {
		vs, isValue := s.(*ast.ValueSpec)
		if !isValue {
			continue
		}
		decl := groupText
		if !whole {
			one := *vs
			one.Doc, one.Comment = nil, nil
			decl = x.print(&ast.GenDecl{Tok: v.Decl.Tok, Specs: []ast.Spec{&one}})
		}
		d := joinDoc(vs.Doc.Text(), vs.Comment.Text(), v.Doc)
		for _, n := range vs.Names {
			if n.IsExported() {
				out = append(out, godoc.Entry{Package: x.pkg, Name: n.Name, Kind: kind, Decl: decl, Doc: d})
			}
		}
	}
	return out
}

// joinDoc joins the non-empty doc texts, separated by blank lines.
func joinDoc(texts ...string) string {
	var parts []string
	for _, t := range texts {
		if t = strings.TrimSpace(t); t != "" {
			parts = append(parts, t)
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return strings.Join(parts, "\n\n") + "\n"
}

// typ returns the entry of a type and the entries of its methods and
// exported fields.
func (x *extractor) typ(t *doc.Type, ts *ast.TypeSpec) (godoc.Entry, []godoc.Entry) {
	decl := *t.Decl
	decl.Doc = nil
	spec := *ts
	spec.Doc, spec.Comment = nil, nil
	decl.Specs = []ast.Spec{&spec}
	e := godoc.Entry{Package: x.pkg, Name: t.Name, Kind: godoc.KindType, Decl: x.print(&decl), Doc: t.Doc}
	var members []godoc.Entry
	for _, m := range t.Methods {
		if !token.IsExported(m.Name) {
			continue
		}
		me := x.fn(m)
		me.Recv = t.Name
		members = append(members, me)
	}
	switch tt := ts.Type.(type) {
	case *ast.StructType:
		for _, f := range tt.Fields.List {
			members = append(members, x.fields(t.Name, f)...)
		}
	case *ast.InterfaceType:
		for _, f := range tt.Methods.List {
			ft, isFunc := f.Type.(*ast.FuncType)
			if !isFunc {
				continue // embedded interface
			}
			for _, n := range f.Names {
				if !n.IsExported() {
					continue
				}
				fd := &ast.FuncDecl{
					Recv: &ast.FieldList{List: []*ast.Field{{Type: ast.NewIdent(t.Name)}}},
					Name: n,
					Type: ft,
				}
				members = append(members, godoc.Entry{
					Package: x.pkg, Name: n.Name, Recv: t.Name, Kind: godoc.KindMethod,
					Decl: x.print(fd), Doc: joinDoc(f.Doc.Text(), f.Comment.Text()),
				})
			}
		}
	}
	for _, m := range members {
		e.Members = append(e.Members, m.Name)
	}
	sort.Strings(e.Members)
	e.Members = compact(e.Members)
	return e, members
}

// fields returns the entries of the exported names of one struct field.
func (x *extractor) fields(recv string, f *ast.Field) []godoc.Entry {
	names := f.Names
	if len(names) == 0 { // embedded field: named after its type
		if n := embeddedName(f.Type); n != nil {
			names = []*ast.Ident{n}
		}
	}
	var out []godoc.Entry
	for _, n := range names {
		if !n.IsExported() {
			continue
		}
		decl := x.print(f.Type) // an embedded field is its type
		if len(f.Names) > 0 {
			decl = n.Name + " " + decl
		}
		out = append(out, godoc.Entry{
			Package: x.pkg, Name: n.Name, Recv: recv, Kind: godoc.KindField,
			Decl: decl, Doc: joinDoc(f.Doc.Text(), f.Comment.Text()),
		})
	}
	return out
}

// embeddedName returns the name an embedded field type gives its field.
func embeddedName(t ast.Expr) *ast.Ident {
	switch t := t.(type) {
	case *ast.Ident:
		return t
	case *ast.StarExpr:
		return embeddedName(t.X)
	case *ast.SelectorExpr:
		return t.Sel
	case *ast.IndexExpr:
		return embeddedName(t.X)
	case *ast.IndexListExpr:
		return embeddedName(t.X)
	}
	return nil
}

func compact(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Encode writes pkgs in godoc's file format (see godoc.Magic).
func Encode(pkgs []*godoc.PackageData) ([]byte, error) {
	var blobs bytes.Buffer
	index := make([]godoc.IndexEntry, 0, len(pkgs))
	for _, p := range pkgs {
		b, err := gzipJSON(p)
		if err != nil {
			return nil, fmt.Errorf("docgen: %s: %w", p.Path, err)
		}
		index = append(index, godoc.IndexEntry{Path: p.Path, Name: p.Name, Synopsis: p.Synopsis, Off: blobs.Len(), Len: len(b)})
		blobs.Write(b)
	}
	ib, err := gzipJSON(index)
	if err != nil {
		return nil, fmt.Errorf("docgen: index: %w", err)
	}
	var out bytes.Buffer
	out.WriteString(godoc.Magic)
	var n [4]byte
	binary.LittleEndian.PutUint32(n[:], uint32(len(ib)))
	out.Write(n[:])
	out.Write(ib)
	out.Write(blobs.Bytes())
	return out.Bytes(), nil
}

// gzipJSON returns v as gzipped JSON. The gzip header carries no name or
// time, so equal values give equal bytes.
func gzipJSON(v any) ([]byte, error) {
	raw, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(raw); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
