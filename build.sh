#!/usr/bin/env bash
# fastmva build driver.
#   ./build.sh          build libfastmva.so into python/fastmva/ (what pip install runs)
#   ./build.sh test     go vet, go tests (per kernel backend, -race on the pure-Go path), the C
#                       examples with -Wall -Wextra -Werror, then pytest in a virtualenv with the
#                       pinned oracles (constraints.txt)
#   ./build.sh demo     the README's main job: `fastmva cluster` on the built-in examples
#                       (pictures and results in ./fastmva-demo/; extra arguments go to it)
#   ./build.sh bench    side-by-side benchmarks against the peers (long; not part of test)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

VERSION=$(sed -n 's/^#define FASTMVA_VERSION_STRING "\(.*\)"/\1/p' include/fastmva.h)
SONAME=libfastmva.so.0
# For C/C++ users: build/lib/libfastmva.so.$VERSION with the usual .so.0 and .so links.
# For Python: a copy inside the package, loaded by path.
CLIB=build/lib/libfastmva.so.$VERSION
PYLIB=python/fastmva/libfastmva.so
VENV="${FASTMVA_VENV:-$here/.venv}"

need() { command -v "$1" >/dev/null 2>&1 || { echo "build.sh: '$1' is required but not on PATH" >&2; exit 1; }; }

build_lib() {
	need go
	need gcc
	mkdir -p build/lib
	# The public symbols are the C wrappers (capi/wrappers.c); the version script keeps the Go
	# exports they call and the cgo helpers out of the dynamic symbol table. cgo's generated
	# header is thrown away: include/fastmva.h is the API.
	CGO_ENABLED=1 go build -trimpath -buildmode=c-shared \
		-ldflags "-s -w -extldflags '-Wl,-soname,$SONAME -Wl,--version-script=$here/capi/exports.map'" \
		-o "$CLIB" ./capi
	rm -f build/lib/libfastmva.so.*.h
	ln -sf "libfastmva.so.$VERSION" build/lib/$SONAME
	ln -sf "libfastmva.so.$VERSION" build/lib/libfastmva.so
	cp "$CLIB" "$PYLIB"
	echo "built $CLIB and $PYLIB"
}

venv() {
	if [ ! -x "$VENV/bin/python" ]; then
		python3 -m venv "$VENV"
	fi
	# The library was just built: FASTMVA_SKIP_BUILD keeps setup.py from building it again.
	FASTMVA_SKIP_BUILD=1 "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".[test]"
}

go_tests() {
	need go
	go vet ./...
	# Every kernel backend this CPU can run, each in its own process (the choice is made at load).
	for k in $(go run ./kernels/cmd/backends); do
		echo "== go test, FASTMVA_KERNELS=$k"
		FASTMVA_KERNELS=$k go test -count=1 ./...
	done
	# The race detector cannot see inside assembly: run it on the pure-Go path.
	echo "== go test -race (purego)"
	go test -count=1 -race -tags purego ./...
}

c_example() {
	need gcc
	# Every program in examples/c is built with -Wall -Wextra -Werror and run: kmeans.c and
	# cluster_analysis.c use the library as C users do; bad_input.c checks that every malformed
	# call comes back as FMVA_EINVAL with a message.
	for src in examples/c/*.c; do
		prog=$(basename "$src" .c)
		gcc -std=c11 -Wall -Wextra -Werror -O2 -Iinclude "$src" \
			-Lbuild/lib -lfastmva -lm -Wl,-rpath,"$here/build/lib" -o "build/${prog}_c"
		echo "== examples/c/$prog.c"
		"./build/${prog}_c"
	done
}

case "${1:-build}" in
build) build_lib ;;
test)
	build_lib
	go_tests
	c_example
	venv
	"$VENV/bin/python" -m pytest -q python/tests "${@:2}"
	;;
demo)
	build_lib
	venv
	"$VENV/bin/fastmva" cluster "${@:2}"
	;;
bench)
	build_lib
	venv
	FASTMVA_SKIP_BUILD=1 "$VENV/bin/python" -m pip install -q -c constraints.txt -e ".[bench]"
	# bench/kmeans's optional peers, where they install (bench/kmeans/peers.py).
	for peer in faiss-cpu scikit-learn-intelex; do
		"$VENV/bin/python" -m pip install -q -c constraints.txt "$peer" ||
			echo "bench: $peer did not install; its columns are left out" >&2
	done
	"$VENV/bin/python" -m bench "${@:2}"
	;;
*)
	echo "usage: ./build.sh [build|test|demo|bench]" >&2
	exit 2
	;;
esac
