#!/bin/sh
# The bad-input matrix: one row of tests/cli/matrix.tsv per CTest test.
#
# Usage: matrix.sh TSV ROW LANDGUARD     (run one row; CTest does this)
#        matrix.sh TSV all LANDGUARD     (run every row, print a summary)
#
# A row is NAME<TAB>CODE<TAB>FRAGMENTS<TAB>SHELL: SHELL runs with sh in a
# fresh temp dir ($OUT, also the cwd) after the helpers below, with $LG,
# $DATA (tests/data), $RECT (tests/cli/overlay_rectangles), $SHARED
# (../shared/data, may be absent), $JZD (tests/data/jzd).  Checked:
#  - exit code == CODE, and < 128 (no crash/signal); no sanitizer report;
#  - CODE != 0: the LAST stderr line starts "landguard[ CMD]: error: ",
#    it is the only line with ": error: ", and it contains every
#    '|'-separated FRAGMENT (the file and what to fix); warnings may come
#    before it (CONTRACT.md: the error line is the last line);
#  - CODE == 0: every FRAGMENT appears in stdout or stderr;
#  - CODE != 0: no 'out*' file was created (outputs of rows are named
#    out.EXT; a row that keeps an old output checks it itself);
#  - never: a temporary ('*lgtmp*') left in $OUT.
# SHELL may print "SKIP: why" on stdout and exit 77 to skip.
set -u
TSV=$1
ROW=$2
LG=$(cd "$(dirname "$3")" && pwd)/$(basename "$3")
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=${LG_TEST_DATA:-$HERE/../data}
SHARED=${LG_SHARED_DATA:-$HERE/../../../shared/data}
RECT=$HERE/overlay_rectangles
JZD=$DATA/jzd
DEMO=$HERE/../../datasets/demo/xinjiang
export LG DATA SHARED RECT JZD DEMO

if [ "$ROW" = all ]; then
	pass=0 fail=0 skip=0
	for n in $(grep -v '^#' "$TSV" | grep -v '^[[:space:]]*$' | cut -f1); do
		sh "$0" "$TSV" "$n" "$LG" >/tmp/lgmatrix.$$ 2>&1
		case $? in
		0) pass=$((pass + 1)) ;;
		77) skip=$((skip + 1)) ;;
		*) fail=$((fail + 1)); echo "FAIL $n"; sed 's/^/    /' /tmp/lgmatrix.$$ ;;
		esac
	done
	rm -f /tmp/lgmatrix.$$
	echo "matrix: $pass passed, $fail failed, $skip skipped"
	[ $fail = 0 ]
	exit
fi

line=$(awk -F'\t' -v n="$ROW" '$1 == n { print; exit }' "$TSV")
[ -n "$line" ] || { echo "no row '$ROW' in $TSV"; exit 1; }
want=$(printf '%s\n' "$line" | cut -f2)
frags=$(printf '%s\n' "$line" | cut -f3)
cmd=$(printf '%s\n' "$line" | cut -f4-)

OUT=$(mktemp -d /tmp/lgmx.XXXXXX)
chmod 755 "$OUT"
trap 'chmod -R u+rwx "$OUT" 2>/dev/null; rm -rf "$OUT"' EXIT
export OUT
(cd "$OUT" && . "$HERE/matrix_lib.sh" && eval "$cmd") >"$OUT/.stdout" 2>"$OUT/.stderr"
code=$?
if [ $code = 77 ] && grep -q '^SKIP' "$OUT/.stdout"; then
	cat "$OUT/.stdout"; exit 77
fi
fail=0
err() { echo "$ROW: $*"; fail=1; }
[ "$code" = "$want" ] || err "exit code $code, expected $want"
[ "$code" -lt 128 ] || err "killed by signal $((code - 128))"
if grep -q 'ERROR: AddressSanitizer\|ERROR: LeakSanitizer\|runtime error:' "$OUT/.stderr"; then
	err "sanitizer report"
fi
if [ "$code" != 0 ]; then
	last=$(tail -n 1 "$OUT/.stderr")
	printf '%s\n' "$last" | grep -q '^landguard\( [a-z]*\)\?: error: ' ||
		err "last stderr line is not 'landguard CMD: error: ...': '$last'"
	nerr=$(grep -c ': error: ' "$OUT/.stderr")
	[ "$nerr" = 1 ] || err "$nerr error lines on stderr, want exactly 1"
	left=$(cd "$OUT" && ls -d out* 2>/dev/null)
	[ -z "$left" ] || err "failed run left output: $left"
fi
if [ -n "$frags" ]; then
	old_ifs=$IFS; IFS='|'
	for f in $frags; do
		if [ "$code" != 0 ]; then
			printf '%s\n' "$last" | grep -qF -- "$f" || err "error line lacks '$f'"
		else
			cat "$OUT/.stdout" "$OUT/.stderr" | grep -qF -- "$f" || err "output lacks '$f'"
		fi
	done
	IFS=$old_ifs
fi
# MX_REPORT=FILE appends "row<TAB>code<TAB>message" (tests/README.md's table).
if [ -n "${MX_REPORT:-}" ]; then
	msg=$(if [ "$code" != 0 ]; then tail -n 1 "$OUT/.stderr"; else
		grep -m1 'warning:' "$OUT/.stderr" || echo "(success)"; fi)
	printf '%s\t%s\t%s\n' "$ROW" "$code" "$msg" >>"$MX_REPORT"
fi
tmps=$(find "$OUT" -name '*lgtmp*' 2>/dev/null)
[ -z "$tmps" ] || err "temporary left behind: $tmps"
if [ $fail != 0 ] || [ -n "${MX_VERBOSE:-}" ]; then
	echo "--- cmd: $cmd"
	echo "--- stderr ---"; cat "$OUT/.stderr"
	echo "--- stdout ---"; head -30 "$OUT/.stdout"
fi
exit $fail
