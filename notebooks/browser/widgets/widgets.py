#!/usr/bin/env python3
"""Widget test: a Go slider in the classic Notebook with ipywidgets 6.

Opens slider.ipynb (a widget.Interact over k), runs all cells, waits for the
slider rendered by the Debian jupyter-js-widgets nbextension (protocol 1),
moves it with the keyboard through DevTools, and waits until the dependent
output, computed by the kernel from the new value, is redrawn in place.
Reuses the DevTools client of ../browser.py (standard library only).
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

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from browser import KERNEL_DEAD, KERNEL_IDLE, OUTPUT_ERROR, Browser, Failure, Page  # noqa: E402

SLIDER = """(() => {
    const h = document.querySelector('.widget-area .ui-slider-handle, .output_area .ui-slider-handle');
    if (!h || h.offsetParent === null) return null;
    return true;
})()"""


MODELS = """(async () => {
    const m = Jupyter.WidgetManager && Jupyter.WidgetManager._managers[0];
    if (!m) return null;
    const ms = await Promise.all(Object.values(m._models));
    return ms.map((x) => x.get('_model_module') + ':' + x.get('_model_name')).sort().join(',');
})()"""


def output_text(want):
    return """(() => {
        for (const e of document.querySelectorAll('.output_area .output_text, .output_area pre')) {
            if (e.innerText.includes(%s)) return e.innerText;
        }
        return null;
    })()""" % json.dumps(want)


def key(page, name, code):
    for kind in ("keyDown", "keyUp"):
        page.call("Input.dispatchKeyEvent", {"type": kind, "key": name, "code": name,
                                             "windowsVirtualKeyCode": code, "nativeVirtualKeyCode": code})


def main():
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--url", required=True)
    ap.add_argument("--screenshot", required=True)
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--log")
    args = ap.parse_args()
    chromium = shutil.which(args.chromium) or args.chromium
    width, height = 1280, 800
    profile = tempfile.mkdtemp(prefix="gotrann-chromium-")
    log = open(args.log, "ab") if args.log else subprocess.DEVNULL
    b = page = None
    bad = "(" + OUTPUT_ERROR + ") || (" + KERNEL_DEAD + ")"
    try:
        b = Browser(chromium, profile, log, width, height)
        page = Page(b, width, height)
        page.call("Page.navigate", {"url": args.url})
        page.wait("the notebook page", "!!(window.Jupyter && Jupyter.notebook && document.querySelector('#run_all_cells'))", args.timeout)
        page.wait("an idle gotrann kernel", KERNEL_IDLE, args.timeout, KERNEL_DEAD)
        page.click("#celllink")
        page.wait("the Cell menu", "document.querySelector('#run_all_cells').offsetParent !== null", 10)
        page.click("#run_all_cells > a")
        page.wait("the Go slider", SLIDER, args.timeout, bad)
        page.wait("the first result", output_text("k squared = 256"), args.timeout, bad)
        page.wait("an idle kernel after Run All", KERNEL_IDLE, args.timeout)
        t0 = time.monotonic()
        page.click(".ui-slider-handle")
        key(page, "ArrowRight", 39)
        text = page.wait("the redrawn result", output_text("k squared = 324"), args.timeout, bad)
        elapsed = time.monotonic() - t0
        n = page.eval("document.querySelectorAll('.output_area pre').length")
        # the models the front end made: protocol 1 modules
        models = page.eval(MODELS)
        if "jupyter-js-widgets:IntSliderModel" not in (models or ""):
            raise Failure("the front end's models are %r, want jupyter-js-widgets ones (protocol 1)" % models)
        page.screenshot(args.screenshot)
        print("widget test: ok: slider moved to 18, result %r redrawn %.2fs later (%d text outputs; models %s); screenshot %s"
              % (text.strip(), elapsed, n, models, args.screenshot), file=sys.stderr)
        return 0
    except Failure as e:
        print("widget test: FAILED: %s" % e, file=sys.stderr)
        if page is not None:
            try:
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
