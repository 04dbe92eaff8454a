#!/usr/bin/env python3
"""Drive headless Chromium through a Jupyter Notebook page and check that a
plot appears.

Part of the gotrann browser test (notebooks/browser/run.sh starts the
Jupyter server and calls this). It speaks the Chrome DevTools protocol over
--remote-debugging-pipe (file descriptors 3 and 4, NUL-terminated JSON), so
it needs nothing but the Python standard library and /usr/bin/chromium: no
npm, no downloaded browser, no websocket module.

Steps: open the notebook URL, wait for the kernel to be idle, run all cells
through the Cell menu with real mouse clicks, wait until the output area
holds an <img src="data:image/png..."> that has decoded, scroll it into view
and save a screenshot. Any error output in the page fails the test early.
Exit status 0 on success, 1 on failure (with the reason on stderr); a
screenshot is written in both cases when the page got that far.
"""

import argparse
import base64
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Failure(Exception):
    """The test failed; the message says why."""


class Browser:
    """A headless Chromium driven over the DevTools pipe transport."""

    def __init__(self, chromium, profile, log, width, height):
        self.next_id = 0
        self.events = []
        self.buf = b""
        to_child_r, self.to_child = os.pipe()
        self.from_child, from_child_w = os.pipe()

        def child_fds():
            # Chromium reads commands on fd 3 and writes replies on fd 4.
            # Move the pipe ends above any fd number we overwrite first.
            r = fcntl.fcntl(to_child_r, fcntl.F_DUPFD_CLOEXEC, 10)
            w = fcntl.fcntl(from_child_w, fcntl.F_DUPFD_CLOEXEC, 10)
            os.dup2(r, 3)
            os.dup2(w, 4)

        args = [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
            "--remote-debugging-pipe",
            "--user-data-dir=" + profile,
            "--window-size=%d,%d" % (width, height),
            "about:blank",
        ]
        self.proc = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            preexec_fn=child_fds,
            close_fds=False,  # our fds are close-on-exec, except 3 and 4
            start_new_session=True,
        )
        os.close(to_child_r)
        os.close(from_child_w)

    def close(self):
        if self.proc.poll() is None:
            try:
                self.call("Browser.close", timeout=5)
            except Exception:
                pass
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        for fd in (self.to_child, self.from_child):
            try:
                os.close(fd)
            except OSError:
                pass

    def _read_message(self, deadline):
        while True:
            i = self.buf.find(b"\0")
            if i >= 0:
                msg, self.buf = self.buf[:i], self.buf[i + 1 :]
                return json.loads(msg)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.from_child], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.from_child, 1 << 20)
            if not chunk:
                code = self.proc.poll()
                raise Failure("chromium closed the DevTools pipe (exit status %s)" % code)
            self.buf += chunk

    def call(self, method, params=None, session=None, timeout=30):
        """Sends one DevTools command and returns its result."""
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        data = json.dumps(msg).encode() + b"\0"
        while data:
            n = os.write(self.to_child, data)
            data = data[n:]
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read_message(deadline)
            if reply is None:
                raise Failure("%s: no reply from chromium within %ss" % (method, timeout))
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise Failure("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)


class Page:
    """One tab, attached in flat session mode."""

    def __init__(self, browser, width, height):
        self.b = browser
        target = browser.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        self.session = browser.call(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        self.call("Page.enable")
        self.call("Runtime.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def call(self, method, params=None, timeout=30):
        return self.b.call(method, params, session=self.session, timeout=timeout)

    def eval(self, expr):
        """Evaluates a JavaScript expression and returns its JSON value."""
        r = self.call(
            "Runtime.evaluate",
            {"expression": expr, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in r:
            d = r["exceptionDetails"]
            text = d.get("exception", {}).get("description") or d.get("text")
            raise Failure("javascript error in the page: %s" % text)
        return r.get("result", {}).get("value")

    def wait(self, what, expr, timeout, fail_expr=None):
        """Polls expr until it is truthy; fails when fail_expr is truthy."""
        deadline = time.monotonic() + timeout
        while True:
            v = self.eval(expr)
            if v:
                return v
            if fail_expr:
                bad = self.eval(fail_expr)
                if bad:
                    raise Failure("%s: the page shows an error:\n%s" % (what, bad))
            if time.monotonic() > deadline:
                raise Failure("%s: not seen within %ss" % (what, timeout))
            time.sleep(0.25)

    def click(self, selector):
        """Clicks the centre of the element selector with real mouse events."""
        rect = self.eval(
            """(() => {
                const e = document.querySelector(%s);
                if (!e) return null;
                e.scrollIntoView({block: "center"});
                const r = e.getBoundingClientRect();
                return {x: r.left + r.width / 2, y: r.top + r.height / 2,
                        w: r.width, h: r.height};
            })()"""
            % json.dumps(selector)
        )
        if not rect or rect["w"] == 0 or rect["h"] == 0:
            raise Failure("cannot click %s: not in the page or not visible" % selector)
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            p = {"type": kind, "x": rect["x"], "y": rect["y"]}
            if kind != "mouseMoved":
                p.update(button="left", clickCount=1)
            self.call("Input.dispatchMouseEvent", p)

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))


# The classic Notebook (notebook 6) page: the kernel status icon, the Cell
# menu, its "Run All" entry, and the output area.
KERNEL_IDLE = """(() => {
    const i = document.querySelector('#kernel_indicator_icon');
    return !!(window.Jupyter && Jupyter.notebook && Jupyter.notebook.kernel &&
              i && i.classList.contains('kernel_idle_icon'));
})()"""

KERNEL_DEAD = """(() => {
    const i = document.querySelector('#kernel_indicator_icon');
    if (i && (i.classList.contains('kernel_dead_icon') ||
              i.classList.contains('kernel_disconnected_icon')))
        return 'kernel indicator: ' + i.className + ' (' + (i.title || '') + ')';
    const d = document.querySelector('.modal-dialog');
    if (d && d.offsetParent !== null) return 'dialog: ' + d.innerText;
    return '';
})()"""

PLOT_IMG = """(() => {
    const img = document.querySelector(
        '.output_area img[src^="data:image/png"]');
    if (!img || !img.complete || img.naturalWidth === 0) return null;
    img.scrollIntoView({block: "center"});
    return {width: img.naturalWidth, height: img.naturalHeight,
            bytes: img.src.length};
})()"""

OUTPUT_ERROR = """(() => {
    const e = document.querySelector('.output_error, .output_stderr');
    if (e) return e.innerText.slice(0, 2000);
    return '';
})()"""


def main():
    # SIGTERM (run.sh's clean-up) unwinds like an error, so that the
    # finally clause below closes Chromium.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="the notebook's URL, with ?token=")
    ap.add_argument("--screenshot", required=True, help="where to write the PNG")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--timeout", type=float, default=60, help="seconds for each wait")
    ap.add_argument("--log", help="file for Chromium's own output")
    args = ap.parse_args()

    chromium = shutil.which(args.chromium) or args.chromium
    if not os.access(chromium, os.X_OK):
        print("browser test: %s not found (apt-get install chromium)" % args.chromium, file=sys.stderr)
        return 1

    width, height = 1280, 1000
    profile = tempfile.mkdtemp(prefix="gotrann-chromium-")
    log = open(args.log, "ab") if args.log else subprocess.DEVNULL
    b = None
    page = None
    try:
        b = Browser(chromium, profile, log, width, height)
        version = b.call("Browser.getVersion")
        print("browser test: %s" % version.get("product"), file=sys.stderr)
        page = Page(b, width, height)
        page.call("Page.navigate", {"url": args.url})
        page.wait("the notebook page", "!!(window.Jupyter && Jupyter.notebook && document.querySelector('#run_all_cells'))", args.timeout)
        page.wait("an idle gotrann kernel", KERNEL_IDLE, args.timeout, KERNEL_DEAD)
        name = page.eval("Jupyter.notebook.kernel.name")
        if name != "gotrann":
            raise Failure("the notebook started kernel %r, want gotrann" % name)
        t0 = time.monotonic()
        page.click("#celllink")  # the Cell menu
        page.wait("the Cell menu", "document.querySelector('#run_all_cells').offsetParent !== null", 10)
        page.click("#run_all_cells > a")  # Cell > Run All
        img = page.wait(
            "a PNG image in the output area",
            PLOT_IMG,
            args.timeout,
            "(" + OUTPUT_ERROR + ") || (" + KERNEL_DEAD + ")",
        )
        elapsed = time.monotonic() - t0
        if img["width"] < 100 or img["height"] < 100:
            raise Failure("the plot image is only %dx%d pixels" % (img["width"], img["height"]))
        page.wait("an idle kernel after Run All", KERNEL_IDLE, args.timeout)
        page.screenshot(args.screenshot)
        print(
            "browser test: ok: plot image %dx%d px (%d bytes of data URL) %.1fs after Run All; screenshot %s"
            % (img["width"], img["height"], img["bytes"], elapsed, args.screenshot),
            file=sys.stderr,
        )
        return 0
    except Failure as e:
        print("browser test: FAILED: %s" % e, file=sys.stderr)
        if page is not None:
            try:
                page.screenshot(args.screenshot)
                print("browser test: screenshot of the failure: %s" % args.screenshot, file=sys.stderr)
            except Exception:
                pass
        return 1
    finally:
        if b is not None:
            b.close()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
