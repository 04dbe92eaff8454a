"""Third-party modules through a real gotrann kernel over its sockets.

A cell imports a test module of kernel/modules/testdata/mods, served by a
local GOPROXY (file://, written here in the go command's proxy layout): the
kernel builds a worker with the module compiled in, switches to it and runs
the cell; %require lists the resolved version. Nothing reaches the network
(GOPROXY=file://...,off, GOSUMDB=off, GOTOOLCHAIN=local); the kernel uses
the machine's module cache for gotrann's own dependencies and a temporary
worker cache.

Run by run_suites.sh (JUPYTER_PATH must point at an installed kernelspec):
    python3 -m unittest -v modules_smoke
"""

import json
import os
import shutil
import tempfile
import unittest
import zipfile

from jupyter_client.manager import start_new_kernel

from smoke import run, stdout

MODS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "modules", "testdata", "mods")
BUILD_TIMEOUT = 600


def write_proxy(dst):
    """Writes the test modules (but the fake gonum) as a GOPROXY into dst."""
    versions = {}
    for root, dirs, _ in os.walk(MODS):
        for d in list(dirs):
            if "@" not in d:
                continue
            dirs.remove(d)
            rel = os.path.relpath(os.path.join(root, d), MODS).replace(os.sep, "/")
            mod, ver = rel.split("@", 1)
            if mod == "gonum.org/v1/gonum":
                continue
            src = os.path.join(root, d)
            at = os.path.join(dst, mod, "@v")
            os.makedirs(at, exist_ok=True)
            with open(os.path.join(at, ver + ".info"), "w") as f:
                json.dump({"Version": ver, "Time": "2026-01-01T00:00:00Z"}, f)
            shutil.copy(os.path.join(src, "go.mod"), os.path.join(at, ver + ".mod"))
            with zipfile.ZipFile(os.path.join(at, ver + ".zip"), "w") as z:
                for r, _, files in os.walk(src):
                    for name in sorted(files):
                        p = os.path.join(r, name)
                        z.write(p, mod + "@" + ver + "/" + os.path.relpath(p, src).replace(os.sep, "/"))
            versions.setdefault(mod, []).append(ver)
    for mod, vs in versions.items():
        with open(os.path.join(dst, mod, "@v", "list"), "w") as f:
            f.write("\n".join(sorted(vs)) + "\n")
    return "file://" + os.path.abspath(dst)


def stderr(outs):
    return "".join(c["text"] for t, c in outs if t == "stream" and c["name"] == "stderr")


class ModuleSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="gotrann-modules-")
        url = write_proxy(os.path.join(cls.tmp, "proxy"))
        extra = {
            "GOPROXY": url + ",off",
            "GOSUMDB": "off",
            "GOTOOLCHAIN": "local",
            "GOFLAGS": "-mod=mod",
            "GOTRANN_CACHE": os.path.join(cls.tmp, "cache"),
        }
        saved = {k: os.environ.get(k) for k in extra}
        os.environ.update(extra)
        try:
            cls.km, cls.kc = start_new_kernel(kernel_name="gotrann")
        finally:
            for k, v in saved.items():
                if v is None:
                    del os.environ[k]
                else:
                    os.environ[k] = v

    @classmethod
    def tearDownClass(cls):
        cls.kc.stop_channels()
        cls.km.shutdown_kernel(now=True)
        for root, dirs, _ in os.walk(cls.tmp):
            for d in dirs:
                os.chmod(os.path.join(root, d), 0o755)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_import_module(self):
        import smoke
        old, smoke.TIMEOUT = smoke.TIMEOUT, BUILD_TIMEOUT
        try:
            run(self.kc, "func kept() int { return 7 }")
            reply, outs = run(self.kc, 'import "example.com/gotrann-test/maxonly"\nfmt.Println("largest", maxonly.Largest(3, 9, 4), kept())')
        finally:
            smoke.TIMEOUT = old
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(stdout(outs), "largest 9 7\n")
        self.assertIn("building a worker with example.com/gotrann-test/maxonly@v1.0.0", stderr(outs))
        reply, outs = run(self.kc, "%require")
        self.assertEqual(reply["status"], "ok", reply)
        self.assertEqual(stdout(outs), "example.com/gotrann-test/maxonly@v1.0.0 // resolved\n")
        reply, outs = run(self.kc, "%require gonum.org/v1/gonum@v0.16.0")
        self.assertEqual(reply["status"], "error", reply)
        self.assertIn("this kernel preloads gonum.org/v1/gonum v0.17.0", reply["evalue"])
        # is_complete and completion know the magic
        self.kc.is_complete("%require example.com/m@v1.0.0")
        rep = self.kc.get_shell_msg(timeout=30)
        self.assertEqual(rep["content"]["status"], "complete")
        self.kc.complete("%req", 4)
        rep = self.kc.get_shell_msg(timeout=30)
        self.assertIn("%require", rep["content"]["matches"])


if __name__ == "__main__":
    unittest.main()
