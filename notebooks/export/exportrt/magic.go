package exportrt

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"
)

// Must panics with err when it is not nil: a failed magic stops the
// program, as it stops a notebook run.
func Must(err error) {
	if err != nil {
		panic(err)
	}
}

// Shell runs prog with args, its output on the program's standard output
// and error (!cmd, %%bash, %%sh). A non-zero exit status is an error.
func Shell(prog string, args ...string) error {
	cmd := exec.Command(prog, args...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	err := cmd.Run()
	what := prog + " " + strings.Join(args, " ")
	var ee *exec.ExitError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ee):
		return fmt.Errorf("%s: exit status %d", what, ee.ExitCode())
	}
	return fmt.Errorf("%s: %w", what, err)
}

// WriteFile writes (or with appendTo appends) body to the file name and
// says so on standard output, as %%writefile does.
func WriteFile(name, body string, appendTo bool) error {
	_, statErr := os.Stat(name)
	exists := statErr == nil
	flag := os.O_CREATE | os.O_WRONLY | os.O_TRUNC
	if appendTo {
		flag = os.O_CREATE | os.O_WRONLY | os.O_APPEND
	}
	f, err := os.OpenFile(name, flag, 0o644)
	if err != nil {
		return fmt.Errorf("%%%%writefile: %w", err)
	}
	if body != "" && !strings.HasSuffix(body, "\n") {
		body += "\n"
	}
	_, err = f.WriteString(body)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%%%%writefile: %w", err)
	}
	switch {
	case appendTo && exists:
		fmt.Println("Appending to " + name)
	case exists:
		fmt.Println("Overwriting " + name)
	default:
		fmt.Println("Writing " + name)
	}
	return nil
}

// Env does what %env ARG does: with "", list the environment; with
// NAME=value (or NAME value), set a variable; with NAME, print it.
func Env(arg string) error {
	arg = strings.TrimSpace(arg)
	if arg == "" {
		env := os.Environ()
		sort.Strings(env)
		fmt.Println(strings.Join(env, "\n"))
		return nil
	}
	name, val, set := strings.Cut(arg, "=")
	if !set {
		if n, v, ok := strings.Cut(arg, " "); ok {
			name, val, set = n, strings.TrimSpace(v), true
		}
	}
	name = strings.TrimSpace(name)
	if name == "" || strings.ContainsAny(name, " \t") {
		return fmt.Errorf("%%env: bad variable name %q", name)
	}
	if !set {
		v, ok := os.LookupEnv(name)
		if !ok {
			return fmt.Errorf("%%env: %s is not set", name)
		}
		fmt.Println(v)
		return nil
	}
	val = strings.TrimSpace(val)
	if err := os.Setenv(name, val); err != nil {
		return fmt.Errorf("%%env: %w", err)
	}
	fmt.Println("env: " + name + "=" + val)
	return nil
}

// Cd changes the working directory (home for "") and prints it, as %cd.
func Cd(dir string) error {
	dir = strings.TrimSpace(dir)
	if dir == "" || dir == "~" || strings.HasPrefix(dir, "~/") {
		h, err := os.UserHomeDir()
		if err != nil {
			return fmt.Errorf("%%cd: %w", err)
		}
		dir = filepath.Join(h, strings.TrimPrefix(strings.TrimPrefix(dir, "~"), "/"))
	}
	if err := os.Chdir(dir); err != nil {
		return fmt.Errorf("%%cd: %w", err)
	}
	wd, err := os.Getwd()
	if err != nil {
		return fmt.Errorf("%%cd: %w", err)
	}
	fmt.Println(wd)
	return nil
}

// Time runs f and prints its CPU and wall time to standard output as
// %time and %%time do (IPython's format).
func Time(f func()) {
	u0, s0 := cpuTimes()
	t0 := time.Now()
	f()
	wall := time.Since(t0)
	u1, s1 := cpuTimes()
	fmt.Printf("CPU times: user %s, sys %s, total %s\nWall time: %s\n",
		FormatDuration(u1-u0), FormatDuration(s1-s0), FormatDuration(u1-u0+s1-s0), FormatDuration(wall))
}

// FormatDuration writes d with three significant digits, as IPython does
// (ns, µs, ms, s).
func FormatDuration(d time.Duration) string {
	f := float64(d)
	switch {
	case d >= time.Second:
		return fmt.Sprintf("%.3g s", f/1e9)
	case d >= time.Millisecond:
		return fmt.Sprintf("%.3g ms", f/1e6)
	case d >= time.Microsecond:
		return fmt.Sprintf("%.3g µs", f/1e3)
	}
	return fmt.Sprintf("%d ns", d)
}
