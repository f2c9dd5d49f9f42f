#!/bin/sh
# The whole test suite: sets up and builds, runs every check suite, CLI
# case and bad-input matrix row; then all of them again under
# AddressSanitizer+UBSan, and each libFuzzer harness for a short time.
# Usage: scripts/test.sh [--quick]   (--quick skips the sanitizer and fuzz pass)
# LG_FUZZ_SECONDS (default 30) is the fuzzing time per target; 0 skips it.
# LG_VALGRIND=1 also runs the unit suites and the matrix under valgrind
# (scripts/valgrind.sh; slow, so not by default).
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
	# exitcode=99: a sanitizer report never passes for an expected exit
	# code 1 (--fail-on); the matrix also greps stderr for reports.
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
	export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=99
	(cd "$A" && ctest --output-on-failure -L 'unit|cli|matrix' -j"$(nproc)") ||
		{ pg_skipped "$A"; exit 1; }
	pg_skipped "$A"
	unset ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS
	if [ "${LG_FUZZ_SECONDS:-30}" != 0 ]; then
		scripts/fuzz.sh "${LG_FUZZ_SECONDS:-30}"
	fi
	if [ "${LG_VALGRIND:-0}" = 1 ]; then
		scripts/valgrind.sh "$B"
	fi
fi
