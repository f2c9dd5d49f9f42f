#!/bin/sh
# ctest fixture around scripts/pg.sh: a PostgreSQL + PostGIS server for the
# tests labelled 'postgis'.
#   pg_fixture.sh start BUILD   writes BUILD/pg.conn (the PG: string), or
#                               BUILD/pg.skip (why the server could not start)
#   pg_fixture.sh stop BUILD    stops it
# With LG_PG already set (a server of your own) nothing is started.  Exits 0
# when the server cannot start (the tests then say SKIPPED with the reason,
# never pass silently), unless LG_REQUIRE_POSTGIS=1 (CI): then it fails.
set -u
cmd=$1
B=$2
here=$(cd "$(dirname "$0")" && pwd)
case $cmd in
start)
	rm -f "$B/pg.conn" "$B/pg.skip" "$B/pg.dir"
	[ -n "${LG_PG:-}" ] && exit 0
	dir=$(mktemp -d /tmp/lgpg.XXXXXX)
	chmod 755 "$dir"
	echo "$dir" >"$B/pg.dir"
	if conn=$("$here/pg.sh" start "$dir/s" 2>"$dir/err"); then
		echo "$conn" >"$B/pg.conn"
		echo "PostGIS test server: $conn"
	else
		cp "$dir/err" "$B/pg.skip"
		echo "PostGIS could not start: $(cat "$dir/err")"
		[ "${LG_REQUIRE_POSTGIS:-}" = 1 ] && exit 1
	fi
	;;
stop)
	if [ -f "$B/pg.dir" ]; then
		dir=$(cat "$B/pg.dir")
		"$here/pg.sh" stop "$dir/s"
		rm -rf "$dir"
	fi
	rm -f "$B/pg.conn" "$B/pg.dir"
	;;
esac
exit 0
