#!/bin/sh
# The whole test suite: sets up and builds, runs every check suite and CLI
# case, then the library suites again under AddressSanitizer+UBSan.
# Usage: scripts/test.sh [--quick]   (--quick skips the sanitizer pass)
set -eu
cd "$(dirname "$0")/.."
B=$(scripts/setup.sh)
# PostGIS tests start their own server (ctest fixture, scripts/pg.sh); when
# it cannot start they are skipped, and this says why.
pg_skipped() {
	if [ -f "$1/pg.skip" ]; then
		echo "SKIPPED: PostGIS tests: PostGIS could not start: $(cat "$1/pg.skip")" >&2
	fi
}
(cd "$B" && ctest --output-on-failure -j"$(nproc)") || { pg_skipped "$B"; exit 1; }
pg_skipped "$B"
if [ "${1:-}" != "--quick" ]; then
	A=$(scripts/setup.sh --sanitize)
	# GDAL/PROJ keep caches for the process lifetime; leak checks stay on
	# for our code through the suppressions file.
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
	export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
	(cd "$A" && ctest --output-on-failure -L unit -j"$(nproc)") || { pg_skipped "$A"; exit 1; }
	pg_skipped "$A"
fi
