// Package modtest serves the test modules of kernel/modules/testdata/mods
// as a local GOPROXY (file:// URL), so that tests of third-party imports
// never reach the network.
//
// A test module is a directory MODULE@VERSION under testdata/mods (for
// example example.com/gotrann-test/greet@v1.0.0) holding go.mod and the
// sources. WriteProxy writes the proxy layout MODULE/@v/{list,
// VERSION.info, VERSION.mod, VERSION.zip} with the module zip format of
// the go command (files under MODULE@VERSION/ in the zip). Change a test
// module only together with its version: the go command caches modules
// by version.
package modtest
