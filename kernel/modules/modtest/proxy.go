package modtest

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// Fake is the module path of the fake gonum version among the test
// modules: WriteProxy serves it only when asked to.
const Fake = "gonum.org/v1/gonum"

// ModsDir returns the directory of the test modules.
func ModsDir() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(filepath.Dir(file)), "testdata", "mods")
}

// WriteProxy writes the test modules under src as a GOPROXY into dst and
// returns its file:// URL. The fake modules (Fake) are served only with
// fakes: they must never reach a shared module cache.
func WriteProxy(src, dst string, fakes bool) (string, error) {
	versions := map[string][]string{}
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() || !strings.Contains(d.Name(), "@") {
			return nil
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		mod, ver, _ := strings.Cut(filepath.ToSlash(rel), "@")
		if mod == Fake && !fakes {
			return filepath.SkipDir
		}
		if err := writeVersion(p, dst, mod, ver); err != nil {
			return err
		}
		versions[mod] = append(versions[mod], ver)
		return filepath.SkipDir
	})
	if err != nil {
		return "", err
	}
	if len(versions) == 0 {
		return "", errors.New("modtest: no modules under " + src)
	}
	for mod, vs := range versions {
		sort.Strings(vs)
		list := filepath.Join(dst, filepath.FromSlash(mod), "@v", "list")
		if err := os.WriteFile(list, []byte(strings.Join(vs, "\n")+"\n"), 0o644); err != nil {
			return "", err
		}
	}
	abs, err := filepath.Abs(dst)
	if err != nil {
		return "", err
	}
	return "file://" + filepath.ToSlash(abs), nil
}

// writeVersion writes the .info, .mod and .zip of mod@ver from dir.
func writeVersion(dir, dst, mod, ver string) error {
	if strings.ToLower(mod) != mod {
		return fmt.Errorf("modtest: %s: upper-case module paths need escaping, which this proxy does not do", mod)
	}
	at := filepath.Join(dst, filepath.FromSlash(mod), "@v")
	if err := os.MkdirAll(at, 0o755); err != nil {
		return err
	}
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		return err
	}
	info := fmt.Sprintf(`{"Version":%q,"Time":"2026-01-01T00:00:00Z"}`, ver)
	if err := os.WriteFile(filepath.Join(at, ver+".info"), []byte(info), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(at, ver+".mod"), gomod, 0o644); err != nil {
		return err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var names []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		names = append(names, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, n := range names {
		b, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(n)))
		if err != nil {
			return err
		}
		w, err := zw.Create(path.Join(mod+"@"+ver, n))
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(at, ver+".zip"), buf.Bytes(), 0o644)
}

// Env returns the environment additions for a go command that must use
// only the proxy at url and the module cache: no network, no checksum
// database, no toolchain download.
func Env(url string) []string {
	return []string{"GOPROXY=" + url + ",off", "GOSUMDB=off", "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod"}
}
