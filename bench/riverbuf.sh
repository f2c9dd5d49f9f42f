#!/bin/sh
# Benchmarks landguard riverbuf against the same job in SpatiaLite SQL
# (ogr2ogr load, then ST_Buffer + ST_Difference for the bands and
# ST_Intersection with an indexed parcels table), on generated data:
# `landguard-gen scale --plan N` gives N parcels and, in
# water.gpkg#mgmt_area, 3 winding management strips 20-40 km long.
#
# Two SQL variants:
#   naive       bands as three whole polygons, parcels found through the
#               bands' R-tree (every parcel near a 40 km band is a candidate
#               and each intersection walks the whole band)
#   subdivided  bands cut on a 250 m grid first (what a skilled user does;
#               SpatiaLite 5 has no ST_Subdivide), pieces indexed
# Both use 16 segments per quarter circle in ST_Buffer, as landguard does,
# so the band polygons are the same; pairs and areas are compared (rows =
# distinct (parcel, band, water) with more than 0.01 m²; relative 1e-6 on
# the area).  The three strips' bands do not overlap each other in this
# data, so landguard's nearest-water split changes nothing here.
# Writes bench/RESULTS-riverbuf.md (the lead merges it into RESULTS.md).
#   bench/riverbuf.sh                 # 100k and 1M parcels
#   bench/riverbuf.sh 100000          # chosen sizes
#   NAIVE_MAX=100000 bench/riverbuf.sh  # largest N for the naive SQL (default 100000)
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
B=$(scripts/setup.sh)
LG=$ROOT/$B/landguard
GEN=$ROOT/$B/landguard-gen
W=$ROOT/bench/work
D=$ROOT/bench/data
mkdir -p "$W" "$D"
SIZES=${*:-100000 1000000}
NAIVE_MAX=${NAIVE_MAX:-100000}
now() { date +%s.%N; }
el() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }
TSV=$W/riverbuf.tsv
: >"$TSV"
for n in $SIZES; do
	dir=$D/rb_p$n
	if [ ! -f "$dir/plan.gpkg" ]; then
		"$GEN" scale --plan "$n" --seed 1 -o "$dir" --quiet
	fi
	rm -f "$W/rb.gpkg" "$W/rb_seg.csv" "$W/rb.sqlite"
	# landguard, end to end (read, bands, overlay, stretches, write GPKG)
	t0=$(now)
	"$LG" riverbuf --boundary "$dir/water.gpkg#mgmt_area" --parcels "$dir/plan.gpkg" \
		-o "$W/rb.gpkg" --segments "$W/rb_seg.csv" --no-spatial-index --json >"$W/rb.json"
	t_lg=$(el "$t0" "$(now)")
	set -- $(python3 -c "
import json; d=json.load(open('$W/rb.json'))
print(d['rows'], '%.4f' % sum(d['occupied_m2'].values()), d['stretches'])")
	lg_rows=$1 lg_area=$2 lg_str=$3
	# SpatiaLite: load
	t0=$(now)
	ogr2ogr -f SQLite -dsco SPATIALITE=YES "$W/rb.sqlite" "$dir/plan.gpkg" -nln plan -lco SPATIAL_INDEX=YES
	ogr2ogr -update "$W/rb.sqlite" "$dir/water.gpkg" mgmt_area -nln water -lco SPATIAL_INDEX=YES
	t_load=$(el "$t0" "$(now)")
	# SpatiaLite: bands, subdivided on a 250 m grid, then the overlay
	t0=$(now)
	set -- $(spatialite -silent "$W/rb.sqlite" <<'SQL' | tr '|' ' '
CREATE TABLE band AS
SELECT w.name AS name, 0 AS band,
       ST_Difference(ST_Buffer(w.geom, 30, 16), (SELECT ST_Union(geom) FROM water)) AS g
FROM water w
UNION ALL
SELECT w.name, 1,
       ST_Difference(ST_Buffer(w.geom, 50, 16),
                     ST_Union(ST_Buffer(w.geom, 30, 16), (SELECT ST_Union(geom) FROM water)))
FROM water w;
CREATE TABLE cell AS
WITH RECURSIVE
 e(x0, y0, x1, y1) AS (SELECT floor(min(MbrMinX(g)) / 250) * 250, floor(min(MbrMinY(g)) / 250) * 250,
                              max(MbrMaxX(g)), max(MbrMaxY(g)) FROM band),
 xs(x) AS (SELECT x0 FROM e UNION ALL SELECT x + 250 FROM xs, e WHERE x + 250 < e.x1),
 ys(y) AS (SELECT y0 FROM e UNION ALL SELECT y + 250 FROM ys, e WHERE y + 250 < e.y1)
SELECT BuildMbr(x, y, x + 250, y + 250, 4525) AS g FROM xs, ys;
CREATE TABLE piece AS
SELECT b.name AS name, b.band AS band, ST_Intersection(b.g, c.g) AS g
FROM band b JOIN cell c ON MbrIntersects(b.g, c.g) AND ST_Intersects(b.g, c.g);
SELECT RecoverGeometryColumn('piece', 'g', 4525, 'GEOMETRY', 'XY');
SELECT CreateSpatialIndex('piece', 'g');
CREATE TABLE res AS
SELECT p.id AS id, s.name AS name, s.band AS band, ST_Area(ST_Intersection(p.geom, s.g)) AS a
FROM piece s JOIN plan p ON p.ROWID IN (
  SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'plan' AND search_frame = s.g)
WHERE ST_Intersects(p.geom, s.g);
SELECT count(*), printf('%.4f', sum(a)) FROM
  (SELECT id, name, band, sum(a) AS a FROM res GROUP BY id, name, band HAVING sum(a) > 0.01);
SQL
)
	t_sql=$(el "$t0" "$(now)")
	shift $(($# - 2)) # RecoverGeometryColumn/CreateSpatialIndex print 1s first
	sl_rows=$1 sl_area=$2
	# SpatiaLite naive: whole bands, R-tree on the bands
	t_naive=-
	if [ "$n" -le "$NAIVE_MAX" ]; then
		t0=$(now)
		set -- $(spatialite -silent "$W/rb.sqlite" <<'SQL' | tr '|' ' '
DROP TABLE IF EXISTS res2;
CREATE TABLE res2 AS
SELECT p.id AS id, b.name AS name, b.band AS band, ST_Area(ST_Intersection(p.geom, b.g)) AS a
FROM band b JOIN plan p ON p.ROWID IN (
  SELECT ROWID FROM SpatialIndex WHERE f_table_name = 'plan' AND search_frame = b.g)
WHERE ST_Intersects(p.geom, b.g);
SELECT count(*), printf('%.4f', sum(a)) FROM
  (SELECT id, name, band, sum(a) AS a FROM res2 GROUP BY id, name, band HAVING sum(a) > 0.01);
SQL
)
		t_naive=$(el "$t0" "$(now)")
		[ "$1" = "$sl_rows" ] || echo "naive SQL rows $1 != subdivided $sl_rows" >&2
	fi
	agree=$(python3 -c "
ok = $lg_rows == $sl_rows and abs($lg_area - $sl_area) <= 1e-6 * $sl_area
print('yes' if ok else 'NO (%d vs %d rows, %.4f vs %.4f m2)' % ($lg_rows, $sl_rows, $lg_area, $sl_area))")
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$lg_rows" "$lg_str" "$t_lg" "$t_load" \
		"$t_sql" "$t_naive" "$agree" "$lg_area" >>"$TSV"
	echo "parcels=$n rows=$lg_rows landguard=${t_lg}s spatialite=${t_load}+${t_sql}s naive=${t_naive}s agree=$agree" >&2
done
python3 - "$TSV" <<'PY'
import sys, subprocess, datetime
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
out = ["## riverbuf (issue 5)", "",
       f"Machine: {cpu}, {subprocess.run('nproc',capture_output=True,text=True).stdout.strip()} cores (shared); "
       f"run {datetime.date.today().isoformat()} with `bench/riverbuf.sh`. Wall seconds. Data: "
       "`landguard-gen scale --plan N --seed 1` (3 winding management strips 200/120/60 m wide, "
       "20-40 km; ~600 m² parcels); bands 0-30 and 30-50 m, 100 m stretches.",
       "landguard: read, bands, overlay, stretch table, write GPKG (`--no-spatial-index`). "
       "SpatiaLite 5.0.1 / GEOS 3.11: ogr2ogr load with R-tree, then SQL building the bands with "
       "ST_Buffer(…, 16) + ST_Difference, cutting them on a 250 m grid (ST_Intersection with "
       "BuildMbr cells), indexing the pieces and intersecting with the parcels; *naive* = the same "
       "without the grid.", "",
       "| parcels | rows | stretches | landguard | SpatiaLite load + subdivided SQL | naive SQL | vs subdivided (end to end) | vs subdivided SQL alone | agree |",
       "|---:|---:|---:|---:|---:|---:|---:|---:|:--:|"]
for n, r, s, lg, load, sql, naive, agree, area in rows:
    lg, load, sql = map(float, (lg, load, sql))
    out.append(f"| {int(n):,} | {int(r):,} | {int(s):,} | {lg:.2f} | {load:.2f} + {sql:.2f} | {naive} | "
               f"{(load+sql)/lg:.1f}x | {sql/lg:.1f}x | {agree} |")
open("bench/RESULTS-riverbuf.md", "w").write("\n".join(out) + "\n")
print("\n".join(out))
PY
