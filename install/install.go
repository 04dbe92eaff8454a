package install

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// KernelName is the directory name of the kernelspec.
const KernelName = "gotrann"

// Scope says which Jupyter data directory to use.
type Scope int

const (
	// User is the user's data directory (the default).
	User Scope = iota
	// SysPrefix is the data directory of the Python environment Jupyter
	// runs in: $VIRTUAL_ENV, else $CONDA_PREFIX, else sys.prefix of python3.
	SysPrefix
	// Prefix is Options.Prefix/share/jupyter.
	Prefix
)

// Options configures Install and Uninstall. The zero value installs the
// running binary for the current user.
type Options struct {
	Scope  Scope
	Prefix string // for Scope Prefix
	// Executable is the binary copied into the kernelspec; "" means
	// os.Executable().
	Executable string
	// Env is kernel.json's env (values may use ${VAR}); nil means none.
	Env map[string]string
}

// Spec is the content of kernel.json.
type Spec struct {
	Argv          []string          `json:"argv"`
	DisplayName   string            `json:"display_name"`
	Language      string            `json:"language"`
	InterruptMode string            `json:"interrupt_mode"`
	Env           map[string]string `json:"env"`
	Metadata      map[string]any    `json:"metadata"`
}

// DataDir returns the Jupyter data directory for opts.
func DataDir(opts Options) (string, error) {
	switch opts.Scope {
	case User:
		return userDataDir()
	case SysPrefix:
		p, err := sysPrefix()
		if err != nil {
			return "", err
		}
		return filepath.Join(p, "share", "jupyter"), nil
	case Prefix:
		if opts.Prefix == "" {
			return "", errors.New("install: empty prefix")
		}
		p, err := filepath.Abs(opts.Prefix)
		if err != nil {
			return "", fmt.Errorf("install: %w", err)
		}
		return filepath.Join(p, "share", "jupyter"), nil
	}
	return "", fmt.Errorf("install: unknown scope %d", opts.Scope)
}

func userDataDir() (string, error) {
	if d := os.Getenv("JUPYTER_DATA_DIR"); d != "" {
		return d, nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("install: %w", err)
	}
	switch runtime.GOOS {
	case "darwin":
		return filepath.Join(home, "Library", "Jupyter"), nil
	case "windows":
		if a := os.Getenv("APPDATA"); a != "" {
			return filepath.Join(a, "jupyter"), nil
		}
		return filepath.Join(home, ".jupyter", "data"), nil
	}
	if x := os.Getenv("XDG_DATA_HOME"); x != "" {
		return filepath.Join(x, "jupyter"), nil
	}
	return filepath.Join(home, ".local", "share", "jupyter"), nil
}

// sysPrefix finds the prefix of the Python environment that runs Jupyter.
func sysPrefix() (string, error) {
	for _, v := range []string{"VIRTUAL_ENV", "CONDA_PREFIX"} {
		if p := os.Getenv(v); p != "" {
			return p, nil
		}
	}
	for _, py := range []string{"python3", "python"} {
		out, err := exec.Command(py, "-c", "import sys; print(sys.prefix)").Output()
		if err == nil && strings.TrimSpace(string(out)) != "" {
			return strings.TrimSpace(string(out)), nil
		}
	}
	return "", errors.New("install: --sys-prefix: no VIRTUAL_ENV, CONDA_PREFIX or python3 to ask for sys.prefix")
}

// KernelDir returns the kernelspec directory for opts.
func KernelDir(opts Options) (string, error) {
	d, err := DataDir(opts)
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "kernels", KernelName), nil
}

// Install writes the kernelspec and returns its directory. It replaces a
// previous installation.
func Install(opts Options) (string, error) {
	dir, err := KernelDir(opts)
	if err != nil {
		return "", err
	}
	src := opts.Executable
	if src == "" {
		if src, err = os.Executable(); err != nil {
			return "", fmt.Errorf("install: %w", err)
		}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("install: %w", err)
	}
	bin := filepath.Join(dir, "gotrann")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	if err := copyExecutable(src, bin); err != nil {
		return "", err
	}
	env := opts.Env
	if env == nil {
		env = map[string]string{}
	}
	spec := Spec{
		Argv:          []string{bin, "kernel", "--connection-file", "{connection_file}"},
		DisplayName:   "Go (TraNNsformer)",
		Language:      "go",
		InterruptMode: "message",
		Env:           env,
		Metadata:      map[string]any{},
	}
	js, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return "", fmt.Errorf("install: %w", err)
	}
	files := map[string][]byte{"kernel.json": append(js, '\n'), "logo-svg.svg": []byte(LogoSVG())}
	for _, size := range []int{32, 64} {
		png, err := LogoPNG(size)
		if err != nil {
			return "", fmt.Errorf("install: logo: %w", err)
		}
		files[fmt.Sprintf("logo-%dx%d.png", size, size)] = png
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return "", fmt.Errorf("install: %w", err)
		}
	}
	return dir, nil
}

// copyExecutable copies src to dst (through a temporary file, so that a
// running copy is not overwritten in place). Copying a file onto itself is
// a no-op.
func copyExecutable(src, dst string) error {
	si, err := os.Stat(src)
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	if di, err := os.Stat(dst); err == nil && os.SameFile(si, di) {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".gotrann-*")
	if err != nil {
		return fmt.Errorf("install: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := io.Copy(tmp, in); err != nil {
		tmp.Close()
		return fmt.Errorf("install: copying %s: %w", src, err)
	}
	if err := tmp.Chmod(0o755); err != nil {
		tmp.Close()
		return fmt.Errorf("install: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return fmt.Errorf("install: %w", err)
	}
	return nil
}

// Uninstall removes the kernelspec directory and returns it. It is an
// error (wrapping fs.ErrNotExist) when nothing is installed there.
func Uninstall(opts Options) (string, error) {
	dir, err := KernelDir(opts)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(filepath.Join(dir, "kernel.json")); err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return dir, fmt.Errorf("install: gotrann is not installed in %s: %w", dir, fs.ErrNotExist)
		}
		return dir, fmt.Errorf("install: %w", err)
	}
	if err := os.RemoveAll(dir); err != nil {
		return dir, fmt.Errorf("install: %w", err)
	}
	return dir, nil
}
