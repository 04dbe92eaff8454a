// Package install registers the gotrann kernel with Jupyter: it writes the
// kernelspec directory (kernel.json, logos) and a copy of the gotrann
// binary under a Jupyter data directory, and removes it again.
//
// The data directory follows jupyter_core: for the user,
// $JUPYTER_DATA_DIR, else ~/Library/Jupyter on macOS,
// %APPDATA%\jupyter on Windows and $XDG_DATA_HOME/jupyter (default
// ~/.local/share/jupyter) elsewhere; for a prefix, PREFIX/share/jupyter.
package install
