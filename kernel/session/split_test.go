package session

import (
	"reflect"
	"testing"
)

func TestSplitCell(t *testing.T) {
	tests := []struct {
		code  string
		kinds []segKind
		runs  []bool // decl or not, per run
	}{
		{"x := 1", []segKind{segStmt}, []bool{false}},
		{"import \"fmt\"; fmt.Println(1)", []segKind{segImport, segStmt}, []bool{true, false}},
		{"func g() int { return 1 }\ng()", []segKind{segDecl, segStmt}, []bool{true, false}},
		{"func (p P) M() {}\nfunc() {}()", []segKind{segDecl, segStmt}, []bool{true, false}},
		{"func(x int) int { return x }(3)", []segKind{segStmt}, []bool{false}},
		{"func() (int, error) { return 1, nil }()", []segKind{segStmt}, []bool{false}},
		{"func (s *Stack[T]) Push(v T) {}", []segKind{segDecl}, []bool{true}},
		{"package main\n\nimport \"fmt\"\n\nfunc main() {\n\tfmt.Println()\n}", []segKind{segPackage, segImport, segDecl}, []bool{true}},
		{"type T struct{ A int }\nvar v T\nconst c = 1\nv.A = c", []segKind{segDecl, segDecl, segDecl, segStmt}, []bool{true, false}},
		{"if x := f(); x > 0 {\n\ty()\n}\nz := 2", []segKind{segStmt, segStmt}, []bool{false}},
		{"for i := 0; i < 3; i++ {\n}\nfunc h() {}", []segKind{segStmt, segDecl}, []bool{false, true}},
		{"// comment only", nil, nil},
	}
	for _, tt := range tests {
		segs := splitCell(tt.code)
		var kinds []segKind
		for _, s := range segs {
			kinds = append(kinds, s.Kind)
		}
		var rs []bool
		for _, r := range runs(segs) {
			rs = append(rs, r.Decl)
		}
		if !reflect.DeepEqual(kinds, tt.kinds) || !reflect.DeepEqual(rs, tt.runs) {
			t.Errorf("splitCell(%q): kinds %v runs %v, want %v %v", tt.code, kinds, rs, tt.kinds, tt.runs)
		}
	}
}
