#!/bin/sh
# Install what the tests need, compile a Release build (warnings only), build
# twice more (plain, and with ASan+UBSan), and run every test in both.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh --test
jobs=$(nproc)
status=0
echo "== format"
# One code style, the checked-in .clang-format, for every C file.
find decoder engine cli completion tests -name '*.[ch]' |
    xargs clang-format --dry-run -Werror || status=1
echo "== release build"
# -O3 enables warnings (-Wformat-truncation) the tested builds do not see:
# compile it too, and any warning fails the run.
cmake -S . -B build-test-release -DCMAKE_BUILD_TYPE=Release \
    -DL2TPSH_TESTS=ON >/dev/null
cmake --build build-test-release -j"$jobs" 2>&1 | grep -E 'warning:|error:' &&
    status=1
for kind in plain asan; do
	dir=build-test-$kind
	san=OFF
	[ $kind = asan ] && san=ON
	echo "== $kind build"
	cmake -S . -B $dir -DCMAKE_BUILD_TYPE=RelWithDebInfo \
	    -DL2TPSH_SANITIZE=$san -DL2TPSH_TESTS=ON >/dev/null
	cmake --build $dir -j"$jobs" 2>&1 | grep -E 'warning:|error:' && status=1
	echo "== $kind tests"
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	    ctest --test-dir $dir --output-on-failure -j"$jobs" || status=1
done
exit $status
