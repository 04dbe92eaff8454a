package modules

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// Module is gotrann's module path.
const Module = "github.com/trannsformer/gotrann"

// EnvSource names the environment variable that points FindBase at a
// gotrann source directory.
const EnvSource = "GOTRANN_SOURCE"

// Base says how a generated worker requires the gotrann module: at Version
// from the module cache or GOPROXY, or from the source directory Dir with a
// replace directive.
type Base struct {
	Version string // a released or pseudo-version; "" when Dir is set
	Dir     string // a source directory holding the module; "" for Version
	// ID identifies the kernel for the cache key: the version, or the
	// directory and a hash of the kernel's executable.
	ID string
}

// FindBase returns how the running binary's own module can be required
// (see the package documentation for the order of the choices).
func FindBase() (Base, error) {
	if dir := os.Getenv(EnvSource); dir != "" {
		if err := checkSource(dir); err != nil {
			return Base{}, fmt.Errorf("$%s: %w", EnvSource, err)
		}
		return sourceBase(dir)
	}
	if dir := compiledSource(); dir != "" {
		if checkSource(dir) == nil {
			return sourceBase(dir)
		}
	}
	if v := buildVersion(); v != "" {
		return Base{Version: v, ID: Module + "@" + v}, nil
	}
	return Base{}, fmt.Errorf("cannot find the source of %s to build a worker: set $%s to a checkout of it at the kernel's version, or install the kernel with go install %s@VERSION", Module, EnvSource, Module)
}

// SourceDir returns the gotrann source directory the running binary was
// built from, "" when it was built from the module cache or the directory
// is gone. "gotrann install" records it.
func SourceDir() string {
	dir := compiledSource()
	if dir == "" || checkSource(dir) != nil {
		return ""
	}
	return dir
}

func sourceBase(dir string) (Base, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return Base{}, err
	}
	h, err := executableHash()
	if err != nil {
		return Base{}, err
	}
	return Base{Dir: abs, ID: "dir " + abs + " exe " + h}, nil
}

// compiledSource returns the module root this file was compiled from
// (kernel/modules/base.go two levels down), "" when the compiler recorded
// no usable path (-trimpath) or it lies in a module cache.
func compiledSource() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	dir := filepath.Dir(filepath.Dir(filepath.Dir(file)))
	if strings.Contains(filepath.Base(dir), "@") {
		return "" // github.com/trannsformer/gotrann@v1.2.3 in a module cache
	}
	return dir
}

// buildVersion returns the main module's version when it is one the go
// command can fetch: not (devel), not a +dirty build.
func buildVersion() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return ""
	}
	v := ""
	if bi.Main.Path == Module {
		v = bi.Main.Version
	} else {
		for _, d := range bi.Deps {
			if d.Path == Module && d.Replace == nil {
				v = d.Version
			}
		}
	}
	if v == "" || v == "(devel)" || strings.Contains(v, "+") {
		return ""
	}
	return v
}

// checkSource returns an error unless dir/go.mod declares Module.
func checkSource(dir string) error {
	f, err := os.Open(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Fields(sc.Text())
		if len(fs) >= 2 && fs[0] == "module" {
			if strings.Trim(fs[1], `"`) == Module {
				return nil
			}
			return fmt.Errorf("%s holds module %s, not %s", dir, fs[1], Module)
		}
	}
	return errors.New(dir + "/go.mod declares no module")
}

// executableHash returns a hash of the running executable, so that a
// rebuilt kernel does not start workers built for the old one.
func executableHash() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", err
	}
	f, err := os.Open(exe)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)[:12]), nil
}
