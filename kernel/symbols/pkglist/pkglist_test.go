package pkglist

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
)

func TestPublic(t *testing.T) {
	tests := []struct {
		path string
		want bool
	}{
		{"gonum.org/v1/gonum/mat", true},
		{Module + "/trannsformer/nn", true},
		{Module + "/trannsformer/internal/gemm", false},
		{"gonum.org/v1/gonum/internal/asm/f64", false},
		{Module + "/kernel/godoc/internal/docgen/testdata/sample", false},
		{Module + "/_scratch", false},
		{Module + "/.hidden", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Public(tt.path); got != tt.want {
			t.Errorf("Public(%q) = %v, want %v", tt.path, got, tt.want)
		}
	}
}

func TestParseList(t *testing.T) {
	f, err := os.Open("testdata/golist.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := parseList(f)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{Module + "/display", Module + "/trannsformer/nn"}
	if !slices.Equal(got, want) {
		t.Errorf("parseList = %v, want %v", got, want)
	}

	f2, err := os.Open("testdata/golist-error.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f2.Close()
	if _, err := parseList(f2); err == nil || !strings.Contains(err.Error(), "trannsformer/broken") {
		t.Errorf("parseList of a broken package: err = %v, want one naming it", err)
	}
}

func TestThirdParty(t *testing.T) {
	got := ThirdParty()
	if !slices.IsSorted(got) || len(slices.Compact(slices.Clone(got))) != len(got) {
		t.Errorf("ThirdParty is not sorted or has duplicates: %v", got)
	}
	got[0] = "changed"
	if ThirdParty()[0] == "changed" {
		t.Error("ThirdParty returns its internal array")
	}
	for _, p := range ThirdParty() {
		if !Public(p) {
			t.Errorf("ThirdParty has the non-public package %s", p)
		}
	}
}

func TestAll(t *testing.T) {
	all, err := All(context.Background(), ".")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"gonum.org/v1/gonum/mat", "gonum.org/v1/plot", Module + "/display", Module + "/trannsformer/nn"} {
		if !slices.Contains(all, want) {
			t.Errorf("All lacks %s", want)
		}
	}
	for _, p := range all {
		if !Public(p) {
			t.Errorf("All has the non-public package %s", p)
		}
	}
	if !slices.IsSorted(all) {
		t.Error("All is not sorted")
	}
}
