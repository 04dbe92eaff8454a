package modules

import (
	"strings"
	"testing"
)

// TestGoMod: a source directory is required through a replace directive,
// a released kernel by its version (from the module cache or GOPROXY).
func TestGoMod(t *testing.T) {
	tests := []struct {
		base Base
		want []string
	}{
		{Base{Dir: "/src/gotrann"}, []string{"require github.com/trannsformer/gotrann v0.0.0-00010101000000-000000000000", "replace github.com/trannsformer/gotrann => /src/gotrann"}},
		{Base{Dir: "/my src/gotrann"}, []string{`replace github.com/trannsformer/gotrann => "/my src/gotrann"`}},
		{Base{Version: "v0.2.0"}, []string{"require github.com/trannsformer/gotrann v0.2.0"}},
	}
	for _, tt := range tests {
		got := string((&Builder{Built: Built{Base: tt.base}}).goMod())
		for _, w := range tt.want {
			if !strings.Contains(got, w) {
				t.Errorf("goMod(%+v) lacks %q:\n%s", tt.base, w, got)
			}
		}
		if tt.base.Dir == "" && strings.Contains(got, "replace") {
			t.Errorf("goMod(%+v) has a replace:\n%s", tt.base, got)
		}
	}
}

func TestGoEnv(t *testing.T) {
	b := &Builder{Env: []string{"GOFLAGS=-buildvcs=false -mod=vendor", "GOWORK=/x/go.work", "HOME=/h"}}
	env := strings.Join(b.goEnv(), "\n")
	for _, w := range []string{"GOFLAGS=-buildvcs=false -mod=mod", "GOWORK=off", "HOME=/h"} {
		if !strings.Contains(env, w) {
			t.Errorf("goEnv lacks %s:\n%s", w, env)
		}
	}
	if strings.Contains(env, "vendor") || strings.Contains(env, "/x/go.work") {
		t.Errorf("goEnv keeps the user's -mod or workspace:\n%s", env)
	}
}

func TestKey(t *testing.T) {
	b := &Builder{Built: Built{Base: Base{ID: "a"}}}
	k := b.Key([]string{"example.com/x"}, nil)
	if k == b.Key([]string{"example.com/y"}, nil) || k == b.Key([]string{"example.com/x"}, []Pin{{"example.com/x", "v1.0.0"}}) {
		t.Error("different requests share a key")
	}
	b2 := &Builder{Built: Built{Base: Base{ID: "b"}}}
	if k == b2.Key([]string{"example.com/x"}, nil) {
		t.Error("different kernels share a key")
	}
	if k != b.Key([]string{"example.com/x"}, nil) {
		t.Error("the key is not deterministic")
	}
}
