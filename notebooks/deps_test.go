package notebooks

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDependencies pins the boundaries of the notebook packages with
// go list -deps: the nbformat model links nothing outside the standard
// library, the runner links the model and the engine types only (no
// interpreter, no gonum, no display, no session), and no package links a
// package below it (a parent never imports its child, as in gonum/plot).
func TestDependencies(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("the go command is not available: %v", err)
	}
	const mod = "github.com/trannsformer/gotrann/"
	for _, tc := range []struct {
		pkg string
		// allowed are the packages outside the standard library it may
		// link (besides itself).
		allowed []string
		// forbidden are prefixes it must not link, named for clear
		// failures (allowed already excludes them).
		forbidden []string
	}{
		{pkg: mod + "notebooks"},
		{
			pkg:       mod + "notebooks/runner",
			allowed:   []string{mod + "notebooks", mod + "kernel/engine"},
			forbidden: []string{"github.com/traefik/yaegi", "gonum.org/v1/gonum", "gonum.org/v1/plot", mod + "display", mod + "kernel/session", mod + "trannsformer", "github.com/go-zeromq/"},
		},
	} {
		t.Run(strings.TrimPrefix(tc.pkg, mod), func(t *testing.T) {
			out, err := exec.Command(goTool, "list", "-deps", "-f", "{{.ImportPath}} {{.Standard}}", tc.pkg).CombinedOutput()
			if err != nil {
				t.Fatalf("go list -deps %s: %v\n%s", tc.pkg, err, out)
			}
			allowed := map[string]bool{tc.pkg: true}
			for _, p := range tc.allowed {
				allowed[p] = true
			}
			for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
				dep, std, _ := strings.Cut(line, " ")
				if dep == tc.pkg {
					continue
				}
				switch {
				case forbidden(dep, tc.forbidden):
					t.Errorf("%s links %s", tc.pkg, dep)
				case strings.HasPrefix(dep, tc.pkg+"/"):
					t.Errorf("%s links %s, a package below it", tc.pkg, dep)
				case std != "true" && !allowed[dep]:
					t.Errorf("%s links %s, outside the standard library and not allowed", tc.pkg, dep)
				}
			}
		})
	}
}

// forbidden reports whether dep starts with one of prefixes.
func forbidden(dep string, prefixes []string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(dep, p) {
			return true
		}
	}
	return false
}
