# gotrann: the README's two commands are "make demo" and "make test".
GO ?= go
PY := /usr/bin/python3
export PYDEVD_DISABLE_FILE_VALIDATION := 1

.PHONY: demo test deps check gotest
demo:
	$(GO) run . run notebooks/01-quickstart.ipynb -o quickstart.out.ipynb

test: deps check gotest

deps:
	bash .ci/deps.sh

check:
	@test -z "$$(gofmt -l .)" || { gofmt -l .; echo "gofmt: files above need formatting"; exit 1; }
	$(GO) vet ./...

gotest:
	$(GO) test -race -timeout 20m ./...
