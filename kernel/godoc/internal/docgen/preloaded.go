package docgen

import (
	"context"
	"sort"
	"strings"

	"github.com/traefik/yaegi/stdlib"

	"github.com/trannsformer/gotrann/kernel/symbols/pkglist"
)

// Preloaded returns the Config that documents every package the gotrann
// interpreter can import: the standard library packages of yaegi's stdlib
// tables (restricted to the names in those tables, so that generic and
// newer-than-yaegi symbols are left out) and the packages of pkglist.All.
// dir is a directory inside the module.
func Preloaded(ctx context.Context, dir string) (Config, error) {
	pre, err := pkglist.All(ctx, dir)
	if err != nil {
		return Config{}, err
	}
	std := map[string]map[string]bool{}
	for key, syms := range stdlib.Symbols {
		slash := strings.LastIndexByte(key, '/')
		if slash < 0 {
			continue // "." holds yaegi's own map types
		}
		path := key[:slash]
		first, _, _ := strings.Cut(path, "/")
		if strings.Contains(first, ".") || !pkglist.Public(path) {
			continue // yaegi's own package
		}
		names := map[string]bool{}
		for name := range syms {
			names[name] = true
		}
		std[path] = names
	}
	pkgs := pre
	for path := range std {
		pkgs = append(pkgs, path)
	}
	sort.Strings(pkgs)
	return Config{
		Dir:      dir,
		Packages: pkgs,
		Allowed: func(pkgPath, name string) bool {
			names, isStd := std[pkgPath]
			return !isStd || names[name]
		},
	}, nil
}
