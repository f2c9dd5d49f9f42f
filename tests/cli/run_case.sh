#!/bin/sh
# Runs one end-to-end case: tests/cli/<case>/cmd is a shell snippet run with
# $LG = the landguard binary, $IN = the case folder, $OUT = a fresh temp dir,
# $DATA = tests/data.  Compared: exit code (file 'code', default 0), stdout
# ('stdout', exact), stderr lines ('stderr.grep': each line must match), and
# any expected files 'expect/<name>' against $OUT/<name>.
set -u
case_dir=$1
LG=$2
IN=$case_dir
DATA=${LG_TEST_DATA:-$(dirname "$0")/../data}
SHARED=${LG_SHARED_DATA:-}
OUT=$(mktemp -d /tmp/lgcli.XXXXXX)
trap 'rm -rf "$OUT"' EXIT
export LG IN OUT DATA SHARED
fail=0
(cd "$OUT" && sh "$IN/cmd") >"$OUT/.stdout" 2>"$OUT/.stderr"
code=$?
want=0
[ -f "$IN/code" ] && want=$(cat "$IN/code")
if [ "$code" != "$want" ]; then
	echo "exit code $code, expected $want"; fail=1
fi
if [ -f "$IN/stdout" ] && ! cmp -s "$IN/stdout" "$OUT/.stdout"; then
	echo "stdout differs:"; diff "$IN/stdout" "$OUT/.stdout" | head -40; fail=1
fi
if [ -f "$IN/stderr.grep" ]; then
	while IFS= read -r pat; do
		[ -z "$pat" ] && continue
		if ! grep -q -- "$pat" "$OUT/.stderr"; then
			echo "stderr lacks: $pat"; fail=1
		fi
	done <"$IN/stderr.grep"
fi
if [ -d "$IN/expect" ]; then
	for f in "$IN"/expect/*; do
		n=$(basename "$f")
		if ! cmp -s "$f" "$OUT/$n"; then
			echo "output $n differs:"; diff "$f" "$OUT/$n" | head -40; fail=1
		fi
	done
fi
if [ $fail != 0 ]; then
	echo "--- stderr ---"; cat "$OUT/.stderr"
	echo "--- stdout ---"; head -50 "$OUT/.stdout"
fi
exit $fail
