package godoc

// Kinds of Entry.
const (
	KindFunc   = "func"
	KindType   = "type"
	KindVar    = "var"
	KindConst  = "const"
	KindMethod = "method" // a method, or a method of an interface type
	KindField  = "field"  // an exported field of a struct type
)

// Entry documents one exported symbol.
type Entry struct {
	Package string // import path, e.g. "gonum.org/v1/gonum/mat"
	Name    string // "NewDense", or "Mul" for a method (Recv "Dense")
	Recv    string `json:",omitempty"` // for methods and fields: the type they belong to
	Kind    string // one of the Kind constants
	// Decl is the declaration as Go source text: a func signature without
	// its body, a type declaration (unexported fields filtered out), a var
	// or const spec (the whole group when it is short).
	Decl string
	// Doc is the doc comment, as raw text in Go doc comment syntax.
	Doc string
	// Members lists, for a type, the names of its methods and exported
	// fields (promoted ones included when go/doc can see them), sorted.
	Members []string `json:",omitempty"`
}

// PackageDoc documents one package.
type PackageDoc struct {
	Path     string // import path
	Name     string // package name
	Synopsis string // the first sentence of Doc
	Doc      string // package doc comment, raw text
	// Members lists the exported package-level names, sorted.
	Members []string
}
