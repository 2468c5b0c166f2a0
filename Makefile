# Entry points for people and CI. The build itself is CMake (CMakePresets.json).
#   make demo   install packages, build, run overworld-server --demo
#   make test   install packages, build, run the whole test suite
#   make bench  build and run the benchmarks (writes results to stdout; see docs/benchmarks.md)
PRESET ?= release
JOBS ?= $(shell nproc)
BUILD := build/$(PRESET)

.PHONY: all bootstrap configure build demo test test-asan test-tsan check-clang check-install bench fuzz-ci format format-check tidy clean

all: build

bootstrap:
	@scripts/bootstrap

configure: bootstrap
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

demo: build
	$(BUILD)/bin/overworld-server --demo

test: build
	@scripts/test $(PRESET)

test-asan:
	@$(MAKE) --no-print-directory test PRESET=asan

test-tsan:
	@$(MAKE) --no-print-directory test PRESET=tsan

# Every fuzz harness of the asan build on its seed corpus and a fixed number of new inputs.
fuzz-ci:
	@scripts/fuzz-ci build/asan

# g++ 12 is the default compiler; the asan and tsan presets build with clang 14 (warnings are errors
# there too); this builds an optimised clang 14 tree.
check-clang:
	@$(MAKE) --no-print-directory build PRESET=clang

# The SDK installed into a temporary prefix, examples/ built on it with find_package(overworld) and
# run against the demo sandbox.
check-install: build
	@scripts/check-install $(PRESET)

bench: build
	@bench/http_hello/run.sh $(BUILD)
	@bench/world/run.sh $(BUILD)
	@bench/launcher/run.sh $(BUILD)
	@bench/sandbox/run.sh $(BUILD)
	@bench/coc_client/run.sh $(BUILD)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format-14 -i

# Fails, naming the files, when any tracked C++ file is not as clang-format would write it.
format-check:
	@scripts/format-check

# clang-tidy reads a clang build's compile commands (g++'s warning flags are errors to it).
tidy:
	@$(MAKE) --no-print-directory configure PRESET=asan
	@ninja -C build/asan src/CMakeFiles/overworld_http_server.dir/cmake_pch.hxx.pch >/dev/null  # files that use the PCH need it
	@git ls-files 'src/*.cpp' | xargs -P $(JOBS) -n 4 clang-tidy-14 -p build/asan --quiet

clean:
	rm -rf build
