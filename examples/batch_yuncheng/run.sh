#!/bin/sh
# One command: generates demo data (sites register + land-use plan) over
# each of the 13 county outlines of 运城市 (../shared/data, MIT, see NOTICE),
# merges them into city-wide layers, and runs the batch:
#   examples/batch_yuncheng/run.sh            # data once (~1 min), then the batch
#   LG=/path/to/landguard examples/batch_yuncheng/run.sh
# Outputs: out/<county>/overlay.xlsx and out/rollup.csv, out/rollup.xlsx.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
LG=${LG:-$root/build/landguard}
GEN=${GEN:-$(dirname "$LG")/landguard-gen}
OUTLINES=${OUTLINES:-$root/../shared/data/yuncheng_counties.geojson}
data=$here/data
[ -x "$LG" ] || { echo "build landguard first (cmake --build build), or set LG" >&2; exit 2; }
[ -f "$OUTLINES" ] || { echo "no county outlines at $OUTLINES; set OUTLINES" >&2; exit 2; }
if [ ! -f "$data/plan.gpkg" ]; then
	rm -rf "$data"
	mkdir -p "$data/counties"
	i=0
	ogrinfo -ro -al -geom=NO "$OUTLINES" | sed -n 's/^  name (String) = //p' >"$data/names.txt"
	while IFS= read -r name; do
		i=$((i + 1))
		c=$data/counties/$i
		mkdir -p "$c"
		ogr2ogr -f GeoJSON "$c/outline.geojson" "$OUTLINES" -where "name = '$name'"
		"$GEN" demo --outline "$c/outline.geojson" --seed "$i" -o "$c" --quiet
		# (the generator numbers ids like 新绛县's in every county; each
		# county's ledger holds its own sites only, so they stay unique there)
		ogr2ogr -f GPKG ${first:+-append} "$data/sites.gpkg" "$c/sites.gpkg" sites -nln sites
		ogr2ogr -f GPKG ${first:+-append} "$data/plan.gpkg" "$c/plan.gpkg" -nln plan
		first=1
		echo "generated $name" >&2
	done <"$data/names.txt"
fi
cd "$here"
exec "$LG" batch --config job.ini "$@"
