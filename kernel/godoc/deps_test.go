package godoc_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestNoSourceNeeded checks that the package reads no Go sources at run
// time: it must not depend on the packages that find or parse them.
func TestNoSourceNeeded(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		switch dep {
		case "go/build", "go/parser", "go/doc", "os/exec", "github.com/trannsformer/gotrann/kernel/godoc/internal/docgen":
			t.Errorf("package godoc depends on %s", dep)
		}
	}
}
