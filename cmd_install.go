package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/trannsformer/gotrann/install"
	"github.com/trannsformer/gotrann/kernel/modules"
)

// installFlags parses [--user | --sys-prefix | --prefix DIR] for the
// install and uninstall commands.
func installFlags(cmd string, args []string) (opts install.Options, helped bool, err error) {
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	user := fs.Bool("user", false, "install for the current user (the default)")
	sysPrefix := fs.Bool("sys-prefix", false, "install into the Python environment's prefix")
	prefix := fs.String("prefix", "", "install into `DIR`/share/jupyter")
	about := "Registers the gotrann kernel with Jupyter: writes its kernelspec (kernel.json, logos) and a copy of this binary."
	if cmd == "uninstall" {
		about = "Removes the gotrann kernelspec that install wrote."
	}
	if helped, err := parseFlags(fs, args, "gotrann "+cmd+" [--user | --sys-prefix | --prefix DIR]", about); helped || err != nil {
		return install.Options{}, helped, err
	}
	if fs.NArg() > 0 {
		return install.Options{}, false, usagef("%s: unexpected argument %q", cmd, fs.Arg(0))
	}
	n := 0
	for _, set := range []bool{*user, *sysPrefix, *prefix != ""} {
		if set {
			n++
		}
	}
	if n > 1 {
		return install.Options{}, false, usagef("%s: --user, --sys-prefix and --prefix are exclusive", cmd)
	}
	switch {
	case *sysPrefix:
		return install.Options{Scope: install.SysPrefix}, false, nil
	case *prefix != "":
		return install.Options{Scope: install.Prefix, Prefix: *prefix}, false, nil
	}
	return install.Options{Scope: install.User}, false, nil
}

// cmdInstall implements "gotrann install".
func cmdInstall(ctx context.Context, args []string) error {
	opts, helped, err := installFlags("install", args)
	if helped || err != nil {
		return err
	}
	// A kernel built from a checkout (go run . install, go build) builds
	// workers with third-party modules from that source: record where it
	// is (package kernel/modules). A go install-ed kernel requires its own
	// version from the module cache and needs nothing recorded.
	if dir := modules.SourceDir(); dir != "" {
		opts.Env = map[string]string{modules.EnvSource: dir}
	}
	dir, err := install.Install(opts)
	if err != nil {
		return err
	}
	fmt.Printf("installed the %s kernel in %s\n", install.KernelName, dir)
	return nil
}

// cmdUninstall implements "gotrann uninstall".
func cmdUninstall(ctx context.Context, args []string) error {
	opts, helped, err := installFlags("uninstall", args)
	if helped || err != nil {
		return err
	}
	dir, err := install.Uninstall(opts)
	if err != nil {
		return err
	}
	fmt.Printf("removed %s\n", dir)
	return nil
}
