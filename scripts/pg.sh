#!/bin/sh
# A throwaway PostgreSQL + PostGIS server for the tests, on 127.0.0.1 at a
# free port, in a temporary directory.
#   scripts/pg.sh start DIR   prints LG_PG="PG:host=127.0.0.1 port=N dbname=landguard user=U"
#                             (or exits 1 with the reason on stderr)
#   scripts/pg.sh stop DIR    stops it and removes DIR
# As root the cluster runs as the 'postgres' user (initdb refuses root).
set -eu
cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "usage: $0 start|stop DIR" >&2; exit 2; }
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_pg() {
	if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
start)
	[ -n "$BIN" ] && [ -x "$BIN/initdb" ] || { echo "no PostgreSQL server installed (apt-get install postgresql postgresql-15-postgis-3)" >&2; exit 1; }
	ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 ||
		{ echo "PostGIS is not installed (apt-get install postgresql-15-postgis-3)" >&2; exit 1; }
	mkdir -p "$dir"
	if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; fi
	user=$(as_pg id -un)
	as_pg "$BIN/initdb" -D "$dir/data" -U "$user" -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
		{ echo "initdb failed: $(tail -3 "$dir/initdb.log" | tr '\n' ' ')" >&2; exit 1; }
	# A random port, tried again when it is taken (no python or ss needed).
	started=""
	for try in 1 2 3 4 5 6 7 8; do
		port=$(( ($$ * 7 + try * 7919 + $(date +%N | sed 's/^0*//;s/^$/0/') % 9973) % 30000 + 20000 ))
		if as_pg "$BIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
			-o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
			start >/dev/null 2>&1; then
			started=1
			break
		fi
	done
	[ -n "$started" ] ||
		{ echo "the server did not start: $(tail -3 "$dir/server.log" 2>/dev/null | tr '\n' ' ')" >&2; exit 1; }
	echo "$port" >"$dir/port"
	as_pg "$BIN/createdb" -h 127.0.0.1 -p "$port" -U "$user" landguard >/dev/null 2>&1 ||
		{ echo "createdb failed" >&2; exit 1; }
	as_pg "$BIN/psql" -q -h 127.0.0.1 -p "$port" -U "$user" -d landguard -c "CREATE EXTENSION postgis" >/dev/null 2>"$dir/ext.log" ||
		{ echo "CREATE EXTENSION postgis failed: $(cat "$dir/ext.log")" >&2; exit 1; }
	echo "PG:host=127.0.0.1 port=$port dbname=landguard user=$user"
	;;
stop)
	if [ -n "$BIN" ] && [ -d "$dir/data" ]; then
		as_pg "$BIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
*)
	echo "usage: $0 start|stop DIR" >&2; exit 2 ;;
esac
