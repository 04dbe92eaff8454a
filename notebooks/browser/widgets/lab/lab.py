#!/usr/bin/env python3
"""Widget test, protocol 2.1: JupyterLab's client code against gotrann.

page.html (bundled from @jupyterlab/services and
@jupyter-widgets/html-manager, see package.json) starts a gotrann kernel
through the Notebook server, runs a widget.Interact cell and renders its
slider with the ipywidgets 8 views. This script opens the page in headless
Chromium, moves the slider with the keyboard and waits until the kernel's
redrawn result (update_display_data) arrives. Reuses ../../browser.py.
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
from browser import Browser, Failure, Page  # noqa: E402

ERROR = "window.widgetTest && window.widgetTest.error"


def result(want):
    return "(() => { const t = window.widgetTest; return !!t && Object.values(t.outputs).includes(%s); })()" % json.dumps(want)


def main():
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True, help="the notebook URL run.sh gives (for the server and token)")
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--log")
    args = ap.parse_args()
    u = urllib.parse.urlsplit(args.url)
    token = urllib.parse.parse_qs(u.query)["token"][0]
    page_url = "%s://%s/nbextensions/extra/page.html?token=%s#token=%s" % (u.scheme, u.netloc, token, token)
    chromium = shutil.which(args.chromium) or args.chromium
    profile = tempfile.mkdtemp(prefix="gotrann-chromium-")
    log = open(args.log, "ab") if args.log else subprocess.DEVNULL
    b = page = None
    try:
        b = Browser(chromium, profile, log, 1000, 600)
        page = Page(b, 1000, 600)
        page.call("Page.navigate", {"url": page_url})
        page.wait("the first result", result("k squared = 256"), args.timeout, ERROR)
        page.wait("the slider view", "!!document.querySelector('.widget-slider .noUi-handle')", args.timeout, ERROR)
        page.wait("the states of the control comm", "window.widgetTest.states >= 2", args.timeout, ERROR)
        t0 = time.monotonic()
        page.click(".noUi-handle")
        for kind in ("keyDown", "keyUp"):
            page.call("Input.dispatchKeyEvent", {"type": kind, "key": "ArrowRight", "code": "ArrowRight",
                                                 "windowsVirtualKeyCode": 39, "nativeVirtualKeyCode": 39})
        page.wait("the redrawn result", result("k squared = 324"), args.timeout, ERROR)
        elapsed = time.monotonic() - t0
        models = page.eval("""(async () => {
            const ms = await Promise.all(Object.values(window.widgetTest.manager._models));
            return ms.map((x) => x.get('_model_module') + '@' + x.get('_model_module_version') + ':' + x.get('_model_name')).sort().join(',');
        })()""")
        if "@jupyter-widgets/controls@2.0.0:IntSliderModel" not in (models or ""):
            raise Failure("the front end's models are %r, want @jupyter-widgets/controls 2.0.0 ones" % models)
        readout = page.eval("(document.querySelector('.widget-readout') || {}).textContent")
        page.screenshot(args.screenshot)
        print("widget test (protocol 2.1): ok: slider moved to %s, result redrawn %.2fs later; %s widget states; models %s; screenshot %s"
              % (readout, elapsed, page.eval("window.widgetTest.states"), models, args.screenshot), file=sys.stderr)
        return 0
    except Failure as e:
        print("widget test (protocol 2.1): FAILED: %s" % e, file=sys.stderr)
        if page is not None:
            try:
                print("page log: %s" % page.eval("JSON.stringify(window.widgetTest && window.widgetTest.log)"), file=sys.stderr)
                page.screenshot(args.screenshot)
            except Exception:
                pass
        return 1
    finally:
        if b is not None:
            b.close()
        shutil.rmtree(profile, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
