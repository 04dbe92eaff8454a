package modules

import (
	"fmt"
	"sort"
	"strings"
)

// Pin is a module at a version: a %require, or a version resolved before.
type Pin struct {
	Path    string
	Version string
}

func (p Pin) String() string { return p.Path + "@" + p.Version }

// ParsePin parses "example.com/mod@v1.2.3". The version must be a
// canonical semantic version (a pseudo-version is one); queries such as
// latest or a branch name are refused, since a pin is meant to reproduce.
func ParsePin(s string) (Pin, error) {
	path, v, ok := strings.Cut(strings.TrimSpace(s), "@")
	if !ok || path == "" || v == "" {
		return Pin{}, fmt.Errorf("%q: want MODULE@VERSION, e.g. github.com/google/uuid@v1.6.0", s)
	}
	if err := checkPath(path); err != nil {
		return Pin{}, fmt.Errorf("%q: %w", s, err)
	}
	if !isSemver(v) {
		return Pin{}, fmt.Errorf("%q: version %q is not a semantic version such as v1.2.3", s, v)
	}
	return Pin{path, v}, nil
}

// checkPath checks the shape of a module or import path: slash-separated
// elements of letters, digits and -._~, the first with a dot.
func checkPath(path string) error {
	elems := strings.Split(path, "/")
	if !strings.Contains(elems[0], ".") {
		return fmt.Errorf("module path %q: its first element has no dot (not a fetchable module)", path)
	}
	for _, e := range elems {
		if e == "" || e == "." || e == ".." {
			return fmt.Errorf("module path %q: empty or dot element", path)
		}
		for _, r := range e {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~+", r)) {
				return fmt.Errorf("module path %q: invalid character %q", path, r)
			}
		}
	}
	return nil
}

// isSemver reports whether v is vMAJOR.MINOR.PATCH with an optional
// -prerelease and +build.
func isSemver(v string) bool {
	rest, ok := strings.CutPrefix(v, "v")
	if !ok {
		return false
	}
	if i := strings.IndexAny(rest, "-+"); i >= 0 {
		tail := rest[i+1:]
		if tail == "" {
			return false
		}
		for _, r := range tail {
			if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+') {
				return false
			}
		}
		rest = rest[:i]
	}
	parts := strings.Split(rest, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.Trim(p, "0123456789") != "" || len(p) > 1 && p[0] == '0' {
			return false
		}
	}
	return true
}

// mergePins returns pins with later entries winning for a module path,
// sorted by path.
func mergePins(lists ...[]Pin) []Pin {
	m := map[string]string{}
	for _, l := range lists {
		for _, p := range l {
			m[p.Path] = p.Version
		}
	}
	out := make([]Pin, 0, len(m))
	for p, v := range m {
		out = append(out, Pin{p, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// within reports whether the import path pkg lies in module mod.
func within(pkg, mod string) bool {
	return pkg == mod || strings.HasPrefix(pkg, mod+"/")
}
