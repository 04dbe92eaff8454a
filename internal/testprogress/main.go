package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"time"
)

func main() {
	err := run(context.Background(), os.Args[1:], os.Stdin, os.Stdout)
	if err != nil && !errors.Is(err, errFailed) {
		fmt.Fprintln(os.Stderr, "testprogress:", err)
	}
	if err != nil {
		os.Exit(1)
	}
}

// errFailed is returned when a test, a build or go test failed; the
// details have been written already.
var errFailed = errors.New("tests failed")

const usage = `usage: testprogress [-every D] [-slowest N] [-go GO] [-require-tests] [-- GO_TEST_ARGS...]

With arguments after --, runs "go test -json GO_TEST_ARGS"; without,
reads go test -json output on standard input. Prints a line per finished
package, a status line whenever nothing was printed for D, every failure
in full, and a summary. Exits 1 when anything failed.

`

// run is the command: args are its command line.
func run(ctx context.Context, args []string, stdin io.Reader, stdout io.Writer) error {
	fs := flag.NewFlagSet("testprogress", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	every := fs.Duration("every", 30*time.Second, "write a status line when nothing was written for this long (at most 1m)")
	slowest := fs.Int("slowest", 8, "name this many of the slowest packages in the summary")
	goCmd := fs.String("go", "go", "the go command to run")
	requireTests := fs.Bool("require-tests", false, "fail a package whose tests all were left out by -run")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
			return nil
		}
		return fmt.Errorf("%w (see -help)", err)
	}
	if *every <= 0 || *every > time.Minute {
		return fmt.Errorf("-every %v: want a duration in (0, 1m]", *every)
	}
	goArgs := fs.Args()
	var wait func() error
	var total int
	if len(goArgs) > 0 {
		if goArgs[0] == "--" {
			goArgs = goArgs[1:]
		}
		total = countPackages(*goCmd, goArgs)
		ctx, stop := signal.NotifyContext(ctx, os.Interrupt)
		defer stop()
		cmd := exec.CommandContext(ctx, *goCmd, append([]string{"test", "-json"}, goArgs...)...)
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = 30 * time.Second
		// go's own messages (stderr) are copied through with the events
		pr, pw := io.Pipe()
		cmd.Stdout, cmd.Stderr = pw, pw
		if err := cmd.Start(); err != nil {
			return fmt.Errorf("go test: %w", err)
		}
		done := make(chan error, 1)
		go func() {
			err := cmd.Wait()
			pw.Close()
			done <- err
		}()
		stdin, wait = pr, func() error { return <-done }
	}
	t := NewTracker(stdout, modulePath("go.mod"), total, time.Now())
	t.RequireTests = *requireTests
	if err := follow(stdin, t, *every); err != nil {
		return err
	}
	var goErr error
	if wait != nil {
		goErr = wait()
	}
	t.Summary(time.Now(), *slowest)
	if goErr != nil {
		fmt.Fprintf(stdout, "== go test: %v\n", goErr)
		return errFailed
	}
	if t.Failed() {
		return errFailed
	}
	return nil
}

// follow feeds the lines of r to t and writes a status line when nothing
// was written for every, until r ends.
func follow(r io.Reader, t *Tracker, every time.Duration) error {
	lines := make(chan []byte)
	errc := make(chan error, 1)
	go func() {
		sc := bufio.NewScanner(r)
		sc.Buffer(make([]byte, 64<<10), 16<<20)
		for sc.Scan() {
			lines <- append([]byte(nil), sc.Bytes()...)
		}
		errc <- sc.Err()
		close(lines)
	}()
	tick := time.NewTicker(min(every/4, 5*time.Second))
	defer tick.Stop()
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				if err := <-errc; err != nil {
					return fmt.Errorf("reading go test output: %w", err)
				}
				return nil
			}
			t.Line(line, time.Now())
		case now := <-tick.C:
			t.Tick(now, every)
		}
	}
}

// countPackages returns how many packages go test will test with these
// arguments, by asking go list; 0 when it cannot tell.
func countPackages(goCmd string, goArgs []string) int {
	pkgs := packageArgs(goArgs)
	out, err := exec.Command(goCmd, append([]string{"list", "-e"}, pkgs...)...).Output()
	if err != nil {
		return 0
	}
	return len(strings.Fields(string(out)))
}

// valueFlags are go test's flags that take a value as the next argument
// when it is not given with "=".
var valueFlags = map[string]bool{
	"run": true, "skip": true, "timeout": true, "p": true, "count": true, "parallel": true,
	"cpu": true, "bench": true, "benchtime": true, "tags": true, "coverprofile": true,
	"covermode": true, "coverpkg": true, "o": true, "exec": true, "list": true,
	"shuffle": true, "fuzz": true, "fuzztime": true, "fuzzminimizetime": true, "vet": true,
	"ldflags": true, "gcflags": true, "asmflags": true, "mod": true, "modfile": true,
	"memprofile": true, "cpuprofile": true, "blockprofile": true, "mutexprofile": true,
	"outputdir": true, "trace": true, "C": true, "pkgdir": true,
	"toolexec": true, "overlay": true, "pgo": true,
}

// packageArgs picks the package patterns out of go test's arguments: those
// before any -args that are neither flags nor flag values.
func packageArgs(args []string) []string {
	var pkgs []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-args" || a == "--args" {
			break
		}
		if !strings.HasPrefix(a, "-") {
			pkgs = append(pkgs, a)
			continue
		}
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if valueFlags[name] {
			i++
		}
	}
	return pkgs
}

// modulePath reads the module path from a go.mod file; "" if there is none.
func modulePath(gomod string) string {
	data, err := os.ReadFile(gomod)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module "); ok {
			return strings.Trim(strings.TrimSpace(rest), `"`)
		}
	}
	return ""
}
