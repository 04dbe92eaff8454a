package export

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
)

// Module is the module path of gotrann, which exported programs require.
const Module = "github.com/trannsformer/gotrann"

// develVersion is the version required of a module replaced by a directory.
const develVersion = "v0.0.0-00010101000000-000000000000"

// Source says where an exported program gets the gotrann module: a release
// Version from the module proxy, or the source directory Dir (a replace
// directive). GoMod and GoSum are gotrann's own go.mod and go.sum: the
// program requires what gotrann requires.
type Source struct {
	Dir     string
	Version string
	GoMod   []byte
	GoSum   []byte
}

// FindSource finds the gotrann module for exported programs: dir when it is
// not "", else the running binary's module version when it is a release,
// else the source tree this package was compiled from, else the module
// that the working directory is in. GoMod and GoSum are read from the
// directory, or from the module cache for a version (left empty when it
// does not have them: the caller may fill them in).
//
// (kernel/modules solves the same problem for workers; the two may merge.)
func FindSource(dir string) (Source, error) {
	if dir != "" {
		return sourceDir(dir)
	}
	if v := releaseVersion(); v != "" {
		s := Source{Version: v}
		if mc := modCache(); mc != "" {
			d := filepath.Join(mc, "github.com", "trannsformer", "gotrann@"+v)
			s.GoMod, _ = os.ReadFile(filepath.Join(d, "go.mod"))
			s.GoSum, _ = os.ReadFile(filepath.Join(d, "go.sum"))
		}
		return s, nil
	}
	if _, file, _, ok := runtime.Caller(0); ok && filepath.IsAbs(file) {
		if s, err := sourceDir(filepath.Join(filepath.Dir(file), "..", "..")); err == nil {
			return s, nil
		}
	}
	if wd, err := os.Getwd(); err == nil {
		for d := wd; ; d = filepath.Dir(d) {
			if s, err := sourceDir(d); err == nil {
				return s, nil
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	return Source{}, errors.New("cannot find the source of " + Module + ": give its directory with --gotrann-src DIR")
}

// sourceDir checks that dir holds the gotrann module.
func sourceDir(dir string) (Source, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Source{}, err
	}
	mod, err := os.ReadFile(filepath.Join(abs, "go.mod"))
	if err != nil {
		return Source{}, fmt.Errorf("%s is not the gotrann source: %w", dir, err)
	}
	if modulePath(mod) != Module {
		return Source{}, fmt.Errorf("%s is not the gotrann source: its go.mod is module %q", dir, modulePath(mod))
	}
	sum, _ := os.ReadFile(filepath.Join(abs, "go.sum"))
	return Source{Dir: abs, GoMod: mod, GoSum: sum}, nil
}

// releaseVersion returns the version of gotrann in the running binary's
// build information when it is a release (not a development build or a
// pseudo-version of a local commit).
func releaseVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	v := ""
	if bi.Main.Path == Module {
		v = bi.Main.Version
	}
	for _, d := range bi.Deps {
		if d.Path == Module && d.Replace == nil {
			v = d.Version
		}
	}
	if !isRelease(v) {
		return ""
	}
	return v
}

// isRelease reports whether v is vMAJOR.MINOR.PATCH with an optional
// pre-release that is not a pseudo-version, and no build suffix.
func isRelease(v string) bool {
	if !strings.HasPrefix(v, "v") || strings.Contains(v, "+") {
		return false
	}
	core, pre, _ := strings.Cut(v[1:], "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return false
	}
	for _, p := range parts {
		if _, err := strconv.Atoi(p); err != nil {
			return false
		}
	}
	// pseudo-versions end in yyyymmddhhmmss-abcdefabcdef
	if i := strings.LastIndex(pre, "-"); i >= 0 && len(pre)-i-1 == 12 {
		return false
	}
	return true
}

func modCache() string {
	if d := os.Getenv("GOMODCACHE"); d != "" {
		return d
	}
	out, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// modulePath returns the module path of a go.mod file.
func modulePath(mod []byte) string {
	sc := bufio.NewScanner(bytes.NewReader(mod))
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}

// requirement is one require line.
type requirement struct{ path, version string }

// parseGoMod returns the go directive and the requirements of a go.mod.
func parseGoMod(mod []byte) (goVersion string, reqs []requirement) {
	block := false
	sc := bufio.NewScanner(bytes.NewReader(mod))
	for sc.Scan() {
		l := sc.Text()
		if i := strings.Index(l, "//"); i >= 0 {
			l = l[:i]
		}
		f := strings.Fields(l)
		switch {
		case len(f) == 0:
		case block && f[0] == ")":
			block = false
		case block && len(f) == 2:
			reqs = append(reqs, requirement{f[0], f[1]})
		case f[0] == "go" && len(f) == 2:
			goVersion = f[1]
		case f[0] == "require" && len(f) == 2 && f[1] == "(":
			block = true
		case f[0] == "require" && len(f) == 3:
			reqs = append(reqs, requirement{f[1], f[2]})
		}
	}
	return goVersion, reqs
}

// ModulePath returns the module path of the program exported from the
// notebook file name: its base name without .ipynb, lower case, with
// characters other than letters, digits, '.', '-' and '_' replaced by '-'.
func ModulePath(name string) string {
	base := strings.TrimSuffix(filepath.Base(name), ".ipynb")
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			b.WriteRune(r)
		default:
			b.WriteByte('-')
		}
	}
	s := strings.Trim(b.String(), ".-_")
	if s == "" || base == "." || base == string(filepath.Separator) {
		return "notebook"
	}
	return s
}

// GoMod writes the go.mod of an exported program: module mod, gotrann at
// src (a version, or a replace directive to its directory), every module
// gotrann requires, and the notebook's pins ("path@version"; a pin below
// what gotrann requires is raised to it, with a warning).
func GoMod(mod string, src Source, pins []string) (data []byte, warnings []string, err error) {
	goVersion, reqs := parseGoMod(src.GoMod)
	if goVersion == "" {
		goVersion = "1.24.0"
	}
	version := src.Version
	if src.Dir != "" {
		version = develVersion
	}
	if version == "" {
		return nil, nil, errors.New("export: no version or directory for " + Module)
	}
	at := map[string]int{}
	for i, r := range reqs {
		at[r.path] = i
	}
	for _, p := range pins {
		path, v, ok := strings.Cut(strings.TrimSpace(p), "@")
		if !ok || path == "" || !strings.HasPrefix(v, "v") {
			return nil, nil, fmt.Errorf("export: the notebook pins %q: want path@version", p)
		}
		if path == Module {
			warnings = append(warnings, fmt.Sprintf("the pin %s is ignored: the program uses %s at %s", p, Module, version))
			continue
		}
		if i, ok := at[path]; ok {
			if compareVersions(v, reqs[i].version) < 0 {
				warnings = append(warnings, fmt.Sprintf("the pin %s is below gotrann's requirement %s: %s is used", p, reqs[i].version, reqs[i].version))
				continue
			}
			reqs[i].version = v
			continue
		}
		at[path] = len(reqs)
		reqs = append(reqs, requirement{path, v})
	}
	var b strings.Builder
	fmt.Fprintf(&b, "module %s\n\ngo %s\n\nrequire %s %s\n", mod, goVersion, Module, version)
	if len(reqs) > 0 {
		b.WriteString("\nrequire (\n")
		for _, r := range reqs {
			fmt.Fprintf(&b, "\t%s %s\n", r.path, r.version)
		}
		b.WriteString(")\n")
	}
	if src.Dir != "" {
		fmt.Fprintf(&b, "\nreplace %s => %s\n", Module, quoteModPath(src.Dir))
	}
	return []byte(b.String()), warnings, nil
}

// quoteModPath quotes a directory for go.mod when it needs it.
func quoteModPath(dir string) string {
	if strings.ContainsAny(dir, " \t\"'`\\") {
		return strconv.Quote(dir)
	}
	return dir
}

// GoSum returns the go.sum of an exported program: gotrann's, with the
// lines for gotrann itself at a version when the module cache has them.
func GoSum(src Source) []byte {
	sum := append([]byte(nil), src.GoSum...)
	if src.Dir != "" || src.Version == "" {
		return sum
	}
	mc := modCache()
	if mc == "" {
		return sum
	}
	dl := filepath.Join(mc, "cache", "download", "github.com", "trannsformer", "gotrann", "@v")
	if zh, err := os.ReadFile(filepath.Join(dl, src.Version+".ziphash")); err == nil {
		sum = fmt.Appendf(sum, "%s %s %s\n", Module, src.Version, strings.TrimSpace(string(zh)))
	}
	if gm, err := os.ReadFile(filepath.Join(dl, src.Version+".mod")); err == nil {
		sum = fmt.Appendf(sum, "%s %s/go.mod %s\n", Module, src.Version, hashGoMod(gm))
	}
	return sum
}

// hashGoMod is the go.sum hash (h1, dirhash.Hash1) of a go.mod file.
func hashGoMod(data []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%x  %s\n", sha256.Sum256(data), "go.mod")
	return "h1:" + base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// compareVersions compares two semantic versions (without build suffixes):
// -1, 0 or 1.
func compareVersions(a, b string) int {
	pa, prea, _ := strings.Cut(strings.TrimPrefix(a, "v"), "-")
	pb, preb, _ := strings.Cut(strings.TrimPrefix(b, "v"), "-")
	na, nb := strings.Split(pa, "."), strings.Split(pb, ".")
	for i := 0; i < 3; i++ {
		var x, y int
		if i < len(na) {
			x, _ = strconv.Atoi(na[i])
		}
		if i < len(nb) {
			y, _ = strconv.Atoi(nb[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	switch {
	case prea == preb:
		return 0
	case prea == "":
		return 1
	case preb == "":
		return -1
	case prea < preb:
		return -1
	}
	return 1
}
