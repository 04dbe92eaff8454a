package install

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestDataDir(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the table holds Linux paths")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	for _, tc := range []struct {
		name string
		env  map[string]string
		opts Options
		want string
	}{
		{"user default", nil, Options{}, filepath.Join(home, ".local/share/jupyter")},
		{"user xdg", map[string]string{"XDG_DATA_HOME": "/xdg"}, Options{}, "/xdg/jupyter"},
		{"user JUPYTER_DATA_DIR", map[string]string{"JUPYTER_DATA_DIR": "/jd", "XDG_DATA_HOME": "/xdg"}, Options{}, "/jd"},
		{"prefix", nil, Options{Scope: Prefix, Prefix: "/opt/j"}, "/opt/j/share/jupyter"},
		{"sys-prefix venv", map[string]string{"VIRTUAL_ENV": "/venv", "CONDA_PREFIX": "/conda"}, Options{Scope: SysPrefix}, "/venv/share/jupyter"},
		{"sys-prefix conda", map[string]string{"CONDA_PREFIX": "/conda"}, Options{Scope: SysPrefix}, "/conda/share/jupyter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, v := range []string{"JUPYTER_DATA_DIR", "XDG_DATA_HOME", "VIRTUAL_ENV", "CONDA_PREFIX"} {
				t.Setenv(v, tc.env[v])
			}
			got, err := DataDir(tc.opts)
			if err != nil {
				t.Fatal(err)
			}
			if got != tc.want {
				t.Errorf("DataDir = %s, want %s", got, tc.want)
			}
		})
	}
	if _, err := DataDir(Options{Scope: Prefix}); err == nil {
		t.Error("empty prefix accepted")
	}
}

func TestInstallUninstall(t *testing.T) {
	prefix := t.TempDir()
	exe := filepath.Join(t.TempDir(), "gotrann-built")
	body := []byte("#!/bin/sh\necho fake gotrann\n")
	if err := os.WriteFile(exe, body, 0o755); err != nil {
		t.Fatal(err)
	}
	opts := Options{Scope: Prefix, Prefix: prefix, Executable: exe, Env: map[string]string{"GOTRANN_TEST": "1"}}
	dir, err := Install(opts)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(prefix, "share", "jupyter", "kernels", "gotrann"); dir != want {
		t.Errorf("dir %s, want %s", dir, want)
	}
	js, err := os.ReadFile(filepath.Join(dir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	// kernel.json, with the directory replaced, is a golden file.
	got := bytes.ReplaceAll(js, []byte(dir), []byte("KERNELDIR"))
	golden := filepath.Join("testdata", "kernel.json")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("kernel.json:\n%s\nwant\n%s", got, want)
	}
	var spec Spec
	if err := json.Unmarshal(js, &spec); err != nil {
		t.Fatal(err)
	}
	bin := spec.Argv[0]
	if b, err := os.ReadFile(bin); err != nil || !bytes.Equal(b, body) {
		t.Errorf("binary copy %s: %q, %v", bin, b, err)
	}
	if fi, err := os.Stat(bin); err != nil || fi.Mode()&0o111 == 0 {
		t.Errorf("binary not executable: %v %v", fi.Mode(), err)
	}
	for _, name := range []string{"logo-32x32.png", "logo-64x64.png", "logo-svg.svg"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
			t.Error(err)
		}
	}
	// Installing again replaces, also from the installed copy itself.
	if _, err := Install(opts); err != nil {
		t.Fatal(err)
	}
	opts.Executable = bin
	if _, err := Install(opts); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(bin); !bytes.Equal(b, body) {
		t.Error("self-install damaged the binary")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 5 {
		t.Errorf("%d files in %s, want 5 (no temporary left)", len(entries), dir)
	}
	if _, err := Uninstall(opts); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("still there: %v", err)
	}
	if _, err := Uninstall(opts); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), dir) {
		t.Errorf("second uninstall: %v", err)
	}
}

func TestInstallMissingExecutable(t *testing.T) {
	_, err := Install(Options{Scope: Prefix, Prefix: t.TempDir(), Executable: filepath.Join(t.TempDir(), "none")})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("err = %v", err)
	}
}

func TestLogoPNG(t *testing.T) {
	for _, size := range []int{32, 64} {
		b, err := LogoPNG(size)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		if r := img.Bounds(); r.Dx() != size || r.Dy() != size {
			t.Errorf("bounds %v", r)
		}
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Error("corner not transparent")
		}
		if r, g, b, _ := img.At(size*3/10, size*3/10).RGBA(); r>>8 != 0 || g>>8 != 0xAD || b>>8 != 0xD8 {
			t.Errorf("background %x %x %x", r>>8, g>>8, b>>8)
		}
	}
	if _, err := LogoPNG(4); err == nil {
		t.Error("tiny logo accepted")
	}
	if s := LogoSVG(); !strings.HasPrefix(s, "<svg") || strings.Count(s, "<circle") != len(dots) {
		t.Errorf("svg %s", s)
	}
}

func ExampleKernelDir() {
	dir, err := KernelDir(Options{Scope: Prefix, Prefix: "/opt/jupyter"})
	if err != nil {
		panic(err)
	}
	fmt.Println(filepath.ToSlash(dir))
	// Output: /opt/jupyter/share/jupyter/kernels/gotrann
}

func TestSysPrefixFromPython(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("uses a shell script as python3")
	}
	bin := t.TempDir()
	py := "#!/bin/sh\necho /fake/prefix\n"
	if err := os.WriteFile(filepath.Join(bin, "python3"), []byte(py), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", bin)
	t.Setenv("VIRTUAL_ENV", "")
	t.Setenv("CONDA_PREFIX", "")
	got, err := DataDir(Options{Scope: SysPrefix})
	if err != nil || got != "/fake/prefix/share/jupyter" {
		t.Errorf("DataDir = %s, %v", got, err)
	}
	t.Setenv("PATH", t.TempDir()) // no python at all
	if _, err := DataDir(Options{Scope: SysPrefix}); err == nil {
		t.Error("no python: no error")
	}
}
