#!/bin/sh
# Benchmarks landguard overlay against the same job done with
# ogr2ogr + SpatiaLite SQL (spatial index) and a bare single-threaded
# GEOS loop, on generated data, in one run.  Checks that all agree on the
# pair count and total area (relative 1e-6), then rewrites the overlay
# table in bench/RESULTS.md.
#   bench/run.sh                 # 10k, 100k, 1M plan polygons x 200, 2000 sites
#   bench/run.sh 10000 100000    # chosen sizes
set -eu
cd "$(dirname "$0")/.."
ROOT=$PWD
B=$(scripts/setup.sh)
LG=$ROOT/$B/landguard
GEN=$ROOT/$B/landguard-gen
W=$ROOT/bench/work
D=$ROOT/bench/data
mkdir -p "$W" "$D"
cmake -S bench -B "$W/build" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$W/build" >/dev/null
BARE=$W/build/bare_loop
SIZES=${*:-10000 100000 1000000}
now() { date +%s.%N; }
el() { echo "$2 - $1" | bc -l | xargs printf '%.2f'; }
TSV=$W/overlay.tsv
: >"$TSV"
for n in $SIZES; do
	for s in 200 2000; do
		dir=$D/p${n}_s${s}
		if [ ! -f "$dir/plan.gpkg" ]; then
			t0=$(now)
			"$GEN" scale --plan "$n" --sites "$s" --seed 1 -o "$dir" --quiet
			echo "generated $dir in $(el "$t0" "$(now)") s" >&2
		fi
		rm -f "$W/lg.gpkg" "$W/bare.csv" "$W/sl.sqlite"
		# landguard, end to end (read, compute, write GPKG)
		t0=$(now)
		"$LG" overlay --sites "$dir/sites.gpkg" --plan "$dir/plan.gpkg" -o "$W/lg.gpkg" --no-spatial-index --json >"$W/lg.json"
		t_lg=$(el "$t0" "$(now)")
		lg_pairs=$(sed 's/.*"pairs":\([0-9]*\).*/\1/' "$W/lg.json")
		lg_area=$(sed 's/.*"overlap_m2":\([0-9.]*\).*/\1/' "$W/lg.json")
		# bare single-threaded GEOS loop
		t0=$(now)
		set -- $("$BARE" "$dir/sites.gpkg" "$dir/plan.gpkg" "$W/bare.csv")
		t_bare=$(el "$t0" "$(now)")
		bare_pairs=$1 bare_area=$2
		# ogr2ogr + SpatiaLite SQL with spatial index
		t0=$(now)
		ogr2ogr -f SQLite -dsco SPATIALITE=YES "$W/sl.sqlite" "$dir/plan.gpkg" -nln plan -lco SPATIAL_INDEX=YES
		ogr2ogr -update "$W/sl.sqlite" "$dir/sites.gpkg" -nln sites -lco SPATIAL_INDEX=YES
		t_load=$(el "$t0" "$(now)")
		t0=$(now)
		set -- $(spatialite -silent "$W/sl.sqlite" <<'SQL' | tr '|' ' '
CREATE TABLE res AS
SELECT site_id, plan_id, g, ST_Area(g) AS a FROM (
  SELECT s.DKBH AS site_id, p.ROWID AS plan_id,
         ST_Intersection(s.geom, p.geom) AS g
  FROM sites s JOIN plan p ON p.ROWID IN (
    SELECT ROWID FROM SpatialIndex
    WHERE f_table_name = 'plan' AND search_frame = s.geom)
  WHERE ST_Intersects(s.geom, p.geom));
SELECT count(*), printf('%.4f', sum(a)) FROM res WHERE a > 0.01;
SQL
)
		t_sql=$(el "$t0" "$(now)")
		sl_pairs=$1 sl_area=$2
		agree=$(python3 -c "
a=[($lg_pairs,$lg_area),($bare_pairs,$bare_area),($sl_pairs,$sl_area)]
ok=all(p==a[0][0] and abs(x-a[0][1])<=1e-6*a[0][1] for p,x in a)
print('yes' if ok else 'NO')")
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$s" "$lg_pairs" "$t_lg" "$t_bare" \
			"$t_load" "$t_sql" "$agree" "$lg_area" >>"$TSV"
		echo "plan=$n sites=$s pairs=$lg_pairs landguard=${t_lg}s bare=${t_bare}s spatialite=${t_load}+${t_sql}s agree=$agree" >&2
	done
done
python3 - "$TSV" <<'PY'
import sys, re, subprocess, datetime
rows = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip()]
cpu = subprocess.run("lscpu | sed -n 's/^Model name: *//p'", shell=True, capture_output=True, text=True).stdout.strip()
out = ["<!-- overlay:begin -->",
       f"Machine: {cpu}, {subprocess.run('nproc',capture_output=True,text=True).stdout.strip()} cores; "
       f"run {datetime.date.today().isoformat()} with `bench/run.sh`. Wall seconds, end to end "
       "(landguard: read, compute, write GPKG; SpatiaLite: ogr2ogr load + indexed SQL).", "",
       "| plan polygons | sites | pairs | landguard | bare GEOS loop | SpatiaLite load + SQL | vs SpatiaLite | vs bare loop | agree |",
       "|---:|---:|---:|---:|---:|---:|---:|---:|:--:|"]
for n, s, p, lg, bare, load, sql, agree, area in rows:
    lg, bare, load, sql = map(float, (lg, bare, load, sql))
    out.append(f"| {int(n):,} | {s} | {int(p):,} | {lg:.2f} | {bare:.2f} | {load:.2f} + {sql:.2f} | "
               f"{(load+sql)/lg:.1f}x | {bare/lg:.1f}x | {agree} |")
import math
by_sites = {}
for n, s, p, lg, *_ in rows:
    by_sites.setdefault(s, []).append((int(n), float(lg)))
for s, pts in sorted(by_sites.items()):
    pts.sort()
    if len(pts) >= 2 and pts[0][1] > 0:
        (n0, t0), (n1, t1) = pts[0], pts[-1]
        out.append(f"\nGrowth with {s} sites: time ∝ n^{math.log(t1 / t0) / math.log(n1 / n0):.2f} "
                   f"from {n0:,} to {n1:,} plan polygons.")
out.append("<!-- overlay:end -->")
path = "bench/RESULTS.md"
try:
    text = open(path).read()
except FileNotFoundError:
    text = "# landguard benchmark results\n"
block = "\n".join(out)
if "<!-- overlay:begin -->" in text:
    text = re.sub(r"<!-- overlay:begin -->.*<!-- overlay:end -->", block, text, flags=re.S)
else:
    text += "\n## Overlay (issue 4)\n\n" + block + "\n"
open(path, "w").write(text)
print(block)
PY
