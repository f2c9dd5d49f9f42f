#!/bin/sh
# Builds the libFuzzer harnesses (clang, ASan+UBSan) into build-fuzz/ and
# runs each for a bounded time on its committed corpus.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]   (default 60 s; all)
# New inputs that raise coverage go to build-fuzz/corpus/<target>/ (not the
# committed corpus); a crash leaves build-fuzz/crash-* and fails the run.
set -eu
cd "$(dirname "$0")/.."
SECS=${1:-60}
[ $# -gt 0 ] && shift
TARGETS=${*:-jzd csv ledger ini}
ROOT=$PWD
B=${LG_FUZZ_BUILD_DIR:-build-fuzz}
CC=${CC_FUZZ:-$(command -v clang-14 || command -v clang || true)}
if [ -z "$CC" ]; then
	echo "fuzz: clang not found; scripts/setup.sh installs clang-14 and libclang-rt-14-dev" >&2
	exit 1
fi
cmake -S . -B "$B" -DCMAKE_C_COMPILER="$CC" -DLG_FUZZ=ON -DLG_TESTS=OFF \
	-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$B" -j"$(nproc)" --target $(for t in $TARGETS; do printf 'fuzz_%s ' "$t"; done) >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export LANDGUARD_DATA=$PWD/datasets
rc=0
for t in $TARGETS; do
	mkdir -p "$B/corpus/$t"
	log="$B/fuzz_$t.log"
	echo "fuzz: $t for $SECS s" >&2
	if ! (cd "$B" && "./tests/fuzz/fuzz_$t" -max_total_time="$SECS" -max_len=65536 \
		-timeout=20 -rss_limit_mb=2048 -print_final_stats=1 \
		"corpus/$t" "$ROOT/tests/fuzz/corpus/$t") >"$log" 2>&1; then
		echo "fuzz: $t FAILED; see $log and $B/crash-*" >&2
		grep -m5 'ERROR\|SUMMARY\|runtime error' "$log" >&2 || true
		rc=1
	fi
	grep -h 'stat::number_of_executed_units\|stat::peak_rss_mb' "$log" | sed "s/^/fuzz: $t /" >&2 || true
done
exit $rc
