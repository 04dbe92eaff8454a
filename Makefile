# gotrann: the README's two commands are "make demo" and "make test".
GO ?= go
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: demo test deps check generated gotest gotest-race gotest-full suites bench browser fanout profile
demo:
	$(GO) run . run notebooks/01-quickstart.ipynb -o quickstart.out.ipynb

# Each step prints a line at least every 30 s (.ci/heartbeat; the go test
# passes through internal/testprogress) and how long it took.
test: deps check generated gotest suites browser fanout

HEARTBEAT = bash .ci/heartbeat

deps:
	$(HEARTBEAT) deps bash .ci/deps.sh

check:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(HEARTBEAT) vet $(GO) vet ./...

# The yaegi symbol tables and the documentation index are generated and
# committed; this fails when they are stale.
generated:
	$(HEARTBEAT) generated bash kernel/symbols/check_generated.sh

# The packages with concurrency run under the race detector in their quick
# forms (-short): the kernel and its worker, sockets and comms, the display
# sinks and widgets, the notebook runner (but not its notebook executions);
# of the numeric packages only the tests of their concurrent code (parallel
# GEMM, the trainer's threads, the SNN simulation's workers, per-layer
# clustering and the paper's parallel networks), since the race detector
# makes their numerical tests 5-20x slower; -require-tests fails a package
# whose tests the -run list no longer names. Then the full pass runs every
# package once without the race detector in its full form (real MNIST
# training, every notebook with its own parameters, exhaustive GEMM
# shapes). All through "go test -json" and internal/testprogress: a line
# per package, a status line at least every 30 s, failures in full.
RACE_PKGS = ./kernel/... ./display ./display/widget ./notebooks/runner
RACE_SKIP = ^TestNotebooks
RACE_NUM_PKGS = ./trannsformer ./trannsformer/internal/gemm ./trannsformer/nn ./trannsformer/snn
RACE_NUM_RUN = ^Test(Sgemm(Deterministic|LeavesNoGoroutines|ConcurrentCalls)|Split|DenseTrainingThreads|DeterministicGOMAXPROCS|Interrupt|ProgressAndHook|Simulate(Deterministic|Cancelled|MatchesGEMM)|TransformReferencePhases|TransformInterrupt|PaperSmall)$$
TESTPROGRESS = $(GO) run ./internal/testprogress -go $(GO)

gotest: gotest-race gotest-full

gotest-race:
	$(TESTPROGRESS) -- -race -short -timeout 15m -skip '$(RACE_SKIP)' $(RACE_PKGS)
	$(TESTPROGRESS) -require-tests -- -race -short -timeout 15m -run '$(RACE_NUM_RUN)' $(RACE_NUM_PKGS)

gotest-full:
	$(TESTPROGRESS) -- -timeout 20m ./...

# The kernel against the real Jupyter clients: jupyter_kernel_test,
# nbclient, jupyter_client, jupyter-console.
suites:
	$(HEARTBEAT) suites bash kernel/testdata/run_suites.sh

# Kernel start and execute round trip, gotrann against ipykernel.
bench:
	bash kernel/testdata/run_suites.sh bench

# Jupyter Notebook in headless Chromium: a plot cell's image must appear;
# a Go slider works with ipywidgets 6 (protocol 1) and with JupyterLab's
# client and html-manager (protocol 2.1).
browser:
	$(HEARTBEAT) browser bash notebooks/browser/run.sh
	$(HEARTBEAT) browser-widgets bash notebooks/browser/widgets/run.sh
	$(HEARTBEAT) browser-lab bash notebooks/browser/widgets/lab/run.sh

# Independent "gotrann run -p" jobs in parallel, collected and reproduced.
fanout:
	$(HEARTBEAT) fanout bash notebooks/fanout/run.sh

# Where "gotrann paper" spends its time: a CPU profile of a short MNIST run.
PROFILE_ARGS ?= --dataset mnist --epochs 5 --seeds 1 --ours-keep 0.12 --tile-keep 0.2 --prune-scales 1 --small-widths 384 --k 64
profile:
	$(GO) run . paper $(PROFILE_ARGS) --quiet --cpuprofile paper.prof > /dev/null
	$(GO) tool pprof -top -nodecount=40 paper.prof
