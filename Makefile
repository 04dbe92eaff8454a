# gotrann: the README's two commands are "make demo" and "make test".
GO ?= go
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: demo test deps check generated gotest suites bench browser fanout profile
demo:
	$(GO) run . run notebooks/01-quickstart.ipynb -o quickstart.out.ipynb

test: deps check generated gotest suites browser fanout

deps:
	bash .ci/deps.sh

check:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

# The yaegi symbol tables and the documentation index are generated and
# committed; this fails when they are stale.
generated:
	bash kernel/symbols/check_generated.sh

# Every package under the race detector in its quick form (-short), then the
# full forms (real MNIST training, every notebook, exhaustive GEMM shapes)
# without it: the race detector makes those ten times slower.
gotest:
	$(GO) test -race -short -timeout 15m ./...
	$(GO) test -timeout 20m ./...

# The kernel against the real Jupyter clients: jupyter_kernel_test,
# nbclient, jupyter_client, jupyter-console.
suites:
	bash kernel/testdata/run_suites.sh

# Kernel start and execute round trip, gotrann against ipykernel.
bench:
	bash kernel/testdata/run_suites.sh bench

# Jupyter Notebook in headless Chromium: a plot cell's image must appear;
# a Go slider works with ipywidgets 6 (protocol 1) and with JupyterLab's
# client and html-manager (protocol 2.1).
browser:
	bash notebooks/browser/run.sh
	bash notebooks/browser/widgets/run.sh
	bash notebooks/browser/widgets/lab/run.sh

# Independent "gotrann run -p" jobs in parallel, collected and reproduced.
fanout:
	bash notebooks/fanout/run.sh

# Where "gotrann paper" spends its time: a CPU profile of a short MNIST run.
PROFILE_ARGS ?= --dataset mnist --epochs 5 --seeds 1 --ours-keep 0.12 --tile-keep 0.2 --prune-scales 1 --small-widths 384 --k 64
profile:
	$(GO) run . paper $(PROFILE_ARGS) --quiet --cpuprofile paper.prof > /dev/null
	$(GO) tool pprof -top -nodecount=40 paper.prof
