#!/usr/bin/env bash
# Widget test: a Go slider (widget.Interact) in the classic Notebook 6.4 with
# Debian's ipywidgets 6 nbextension (widget protocol 1), in headless Chromium.
# widgets.py runs the notebook, moves the slider with the keyboard and waits
# for the kernel's redrawn result; the screenshot is kept in
# widgets/artifacts/screenshot.png. The server, paths and clean-up are those
# of ../run.sh (see there for GO, GOTRANN, CHROMIUM, TIMEOUT, KEEP_TMP).
# Needs: apt-get install python3-ipywidgets jupyter-nbextension-jupyter-js-widgets
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
[ -d /usr/share/jupyter/nbextensions/jupyter-js-widgets ] ||
	{ echo "widget test: FAILED: no jupyter-js-widgets nbextension (apt-get install jupyter-nbextension-jupyter-js-widgets python3-ipywidgets)" >&2; exit 1; }
export NOTEBOOK=$here/slider.ipynb SCRIPT=$here/widgets.py ARTIFACTS=${ARTIFACTS:-$here/artifacts}
exec bash "$here/../run.sh"
