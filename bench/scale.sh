#!/bin/sh
# Scale runs for issue 9: overlay and riverbuf on generated data of N plan
# polygons, locally (the plan streamed from GeoPackage) and with the overlay
# pushed down to PostGIS, with wall time and peak memory (/usr/bin/time -v).
#   bench/scale.sh                  # 1M and 10M (10M: ~3 min to generate, 2.5 GB)
#   bench/scale.sh 1000000          # chosen sizes
# PostGIS: the server in LG_PG, else a throwaway one (scripts/pg.sh).
# Writes bench/work/scale.tsv and prints the table for bench/RESULTS-scale.md.
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
B=${LG_BUILD_DIR:-build}
LG=$ROOT/$B/landguard
GEN=$ROOT/$B/landguard-gen
W=$ROOT/bench/work
D=$ROOT/bench/data
mkdir -p "$W" "$D"
SIZES=${*:-1000000 10000000}
if [ -z "${LG_PG:-}" ]; then
	LG_PG=$(scripts/pg.sh start "$W/pg")
	trap 'scripts/pg.sh stop "$W/pg"' EXIT
fi
export PG_USE_COPY=YES
tv() { # tv OUTFILE cmd...: runs under /usr/bin/time -v, prints "wall_s rss_mb"
	out=$1; shift
	/usr/bin/time -v "$@" >"$out" 2>"$out.time" || { cat "$out.time" >&2; exit 1; }
	awk -F': ' '/Elapsed \(wall clock\)/ { n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; w = s }
		/Maximum resident set size/ { r = $2 / 1024 } END { printf "%.1f %.0f\n", w, r }' "$out.time"
}
json() { sed "s/.*\"$2\":\([0-9.]*\).*/\1/" "$1"; }
TSV=$W/scale.tsv
: >"$TSV"
for n in $SIZES; do
	dir=$D/s$n
	[ "$n" = 1000000 ] && [ -f "$D/s1m/plan.gpkg" ] && dir=$D/s1m
	[ "$n" = 10000000 ] && [ -f "$D/s10m/plan.gpkg" ] && dir=$D/s10m
	if [ ! -f "$dir/plan.gpkg" ]; then
		"$GEN" scale --plan "$n" --seed 1 -o "$dir" --quiet
	fi
	rm -f "$W"/ov.gpkg "$W"/ovpg.gpkg "$W"/rb.gpkg
	set -- $(tv "$W/ov.json" "$LG" overlay --sites "$dir/sites.gpkg" --plan "$dir/plan.gpkg" \
		-o "$W/ov.gpkg" --no-spatial-index --json)
	ov_t=$1 ov_m=$2
	ov_pairs=$(json "$W/ov.json" pairs) ov_area=$(json "$W/ov.json" overlap_m2)
	echo "N=$n overlay local: ${ov_t}s ${ov_m}MB pairs=$ov_pairs" >&2
	set -- $(tv "$W/rb.json" "$LG" riverbuf --boundary "$dir/water.gpkg#mgmt_area" --parcels "$dir/plan.gpkg" \
		-o "$W/rb.gpkg" --no-spatial-index --json)
	rb_t=$1 rb_m=$2
	rb_rows=$(sed 's/.*"rows":\([0-9]*\).*/\1/' "$W/rb.json")
	echo "N=$n riverbuf local: ${rb_t}s ${rb_m}MB rows=$rb_rows" >&2
	# Load into PostGIS: COPY without an index, then the GiST index.
	t0=$(date +%s.%N)
	ogr2ogr -f PostgreSQL "$LG_PG" "$dir/plan.gpkg" -nln plan -overwrite \
		-lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=NONE -gt 200000
	ogr2ogr -f PostgreSQL "$LG_PG" "$dir/sites.gpkg" -nln sites -overwrite -lco GEOMETRY_NAME=geom
	ogrinfo -q "$LG_PG" -sql "CREATE INDEX plan_geom_gist ON plan USING gist (geom)" >/dev/null
	ogrinfo -q "$LG_PG" -sql "ANALYZE plan" >/dev/null
	load_t=$(echo "$(date +%s.%N) - $t0" | bc -l | xargs printf '%.1f')
	echo "N=$n PostGIS load + index: ${load_t}s" >&2
	set -- $(tv "$W/ovpg.json" "$LG" overlay --engine postgis --sites "$LG_PG#sites" \
		--plan "$LG_PG#plan" -o "$W/ovpg.gpkg" --no-spatial-index --json)
	pg_t=$1 pg_m=$2
	pg_pairs=$(json "$W/ovpg.json" pairs) pg_area=$(json "$W/ovpg.json" overlap_m2)
	agree=$(awk -v a="$ov_area" -v b="$pg_area" -v p="$ov_pairs" -v q="$pg_pairs" \
		'BEGIN { d = a - b; if (d < 0) d = -d; print (p == q && d <= 1e-6 * a) ? "yes" : "NO" }')
	echo "N=$n overlay postgis: ${pg_t}s ${pg_m}MB pairs=$pg_pairs agree=$agree" >&2
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" \
		"$(sqlite3 "$dir/sites.gpkg" 'select count(*) from sites')" "$ov_pairs" "$ov_t" "$ov_m" \
		"$rb_rows" "$rb_t" "$rb_m" "$load_t" "$pg_t" "$pg_m" "$agree" "$ov_area" "$pg_area" >>"$TSV"
done
echo "| plan polygons | sites | pairs | overlay local | peak RSS | riverbuf rows | riverbuf local | peak RSS | PostGIS load + GiST | overlay push-down | client RSS | same pairs, area 1e-6 |"
echo "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:--:|"
awk -F'\t' '{ printf "| %\047d | %\047d | %\047d | %s s | %s MB | %\047d | %s s | %s MB | %s s | %s s | %s MB | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12 }' "$TSV"
