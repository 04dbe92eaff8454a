#!/usr/bin/env bash
# Installs what the tests need on a fresh Debian machine: the real Jupyter
# clients, the kernel test suite, Fashion-MNIST, Chromium and the classic
# Notebook's widgets extension (ipywidgets 6) and the npm packages of the
# protocol 2.1 widget test. Idempotent.
set -euo pipefail
pkgs=(jupyter-client python3-jupyter-kernel-test python3-nbclient python3-nbconvert
      python3-nbformat jupyter-console jupyter-notebook python3-ipykernel chromium
      dataset-fashion-mnist python3-numpy
      python3-ipywidgets jupyter-nbextension-jupyter-js-widgets)
# node and npm come with the machine (node 20); Debian's npm only where
# there is none
command -v npm >/dev/null || pkgs+=(npm)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "installing: ${missing[*]}" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
go mod download
# the protocol 2.1 widget test's page: JupyterLab's client code and
# html-manager, pinned in its package-lock.json
(cd notebooks/browser/widgets/lab && npm ci --no-audit --no-fund --silent)
