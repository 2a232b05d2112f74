# Veche: the two commands are `make run` and `make test`. Everything else is a helper.
PRESET ?= $(if $(CI),ci,release)
BUILD  := build
DB     ?= veche.db
LISTEN ?= 127.0.0.1:8080
JOBS   ?= $(shell nproc)

.PHONY: all deps configure build run test unit e2e bench fuzz format clean

all: build

deps:
	@scripts/deps

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

run: build
	@build/bin/veche serve --db $(DB) --listen $(LISTEN) --demo

test: build
	@scripts/test

unit: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

e2e: build
	@scripts/test --only e2e

bench: build
	@scripts/deps --bench
	@bench/run-all.sh

fuzz: deps
	@cmake --preset fuzz >/dev/null && cmake --build build-fuzz -j $(JOBS) && scripts/fuzz-smoke

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	@rm -rf $(BUILD) build-dev build-tsan build-fuzz build-tidy
