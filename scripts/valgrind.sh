#!/bin/sh
# Runs every unit suite, then a sample of the bad-input matrix, under
# valgrind memcheck: definite leaks and memory errors fail (GDAL/PROJ/GEOS
# process-lifetime caches are "still reachable" or suppressed).
# Usage: scripts/valgrind.sh [BUILD_DIR]   (default build; slow: minutes)
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
VG="valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=42 \
--suppressions=$PWD/tests/valgrind.supp --num-callers=30"
export CK_FORK=no CK_DEFAULT_TIMEOUT=0 LANDGUARD_DATA=$PWD/datasets
rc=0
# check_postgis needs a server: the same throwaway one ctest starts as a
# fixture, unless LG_PG names one.
PGDIR=""
if [ -z "${LG_PG:-}" ]; then
	PGDIR=$(mktemp -d /tmp/lg-vg-pg.XXXXXX)
	chmod 755 "$PGDIR" # the cluster runs as 'postgres' when we are root
	if conn=$(scripts/pg.sh start "$PGDIR/pg" 2>"$PGDIR/why"); then
		export LG_PG="$conn"
		trap 'scripts/pg.sh stop "$PGDIR/pg" >/dev/null 2>&1; rm -rf "$PGDIR"' EXIT
	else
		echo "valgrind: no PostGIS server ($(cat "$PGDIR/why")); check_postgis will skip" >&2
	fi
fi
for t in "$B"/tests/check_*; do
	[ -x "$t" ] || continue
	n=$(basename "$t")
	trc=0
	$VG "$t" >"$B/valgrind_$n.log" 2>&1 || trc=$?
	if [ $trc = 0 ]; then
		echo "valgrind: $n clean" >&2
	elif [ $trc = 77 ]; then
		echo "valgrind: $n skipped ($(head -1 "$B/valgrind_$n.log"))" >&2
	else
		echo "valgrind: $n FAILED; see $B/valgrind_$n.log" >&2
		rc=1
	fi
done
# The matrix with landguard under valgrind: a definite leak or invalid
# access turns into exit 42, which no row expects.
cat >"$B/lg-vg" <<EOS
#!/bin/sh
exec $VG $PWD/$B/landguard "\$@"
EOS
chmod +x "$B/lg-vg"
if sh tests/cli/matrix.sh tests/cli/matrix.tsv all "$B/lg-vg" >"$B/valgrind_matrix.log" 2>&1; then
	echo "valgrind: matrix clean" >&2
else
	echo "valgrind: matrix FAILED; see $B/valgrind_matrix.log" >&2
	rc=1
fi
exit $rc
