#!/bin/sh
# One command: generates demo data (sites register, land-use plan, supply
# parcels and their ledger, land-use survey, river management areas, wells
# and pollution sources) over each of the 13 county outlines of 运城市
# (../shared/data, MIT, see NOTICE), merges them into city-wide layers, and
# runs the batch (overlay, check, riverbuf, gwzone per county):
#   examples/batch_yuncheng/run.sh            # data once (~1 min), then the batch
#   LG=/path/to/landguard examples/batch_yuncheng/run.sh
# Outputs: out/<county>/{overlay,findings,riverbuf,gw_zones,gw_hits}.xlsx and
# out/rollup.csv, out/rollup.xlsx.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
LG=${LG:-$root/build/landguard}
GEN=${GEN:-$(dirname "$LG")/landguard-gen}
OUTLINES=${OUTLINES:-$root/../shared/data/yuncheng_counties.geojson}
data=$here/data
[ -x "$LG" ] || { echo "build landguard first (cmake --build build), or set LG" >&2; exit 2; }
[ -f "$OUTLINES" ] || { echo "no county outlines at $OUTLINES; set OUTLINES" >&2; exit 2; }
if [ ! -f "$data/wells.gpkg" ]; then
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
		# The generator numbers supply parcels like 新绛县's in every
		# county: prefix them (and their ledger rows) with the county's
		# number so that one city-wide ledger names each parcel once.
		a=${first:+-append}
		ogr2ogr -f GPKG $a "$data/sites.gpkg" "$c/sites.gpkg" sites -nln sites
		ogr2ogr -f GPKG $a "$data/plan.gpkg" "$c/plan.gpkg" -nln plan
		ogr2ogr -f GPKG $a "$data/parcels.gpkg" "$c/parcels.gpkg" -nln parcels -dialect SQLite \
			-sql "SELECT '$i-' || parcel_id AS parcel_id, name, orig_code, plan_code, geom FROM parcels"
		ogr2ogr -f GPKG $a "$data/survey.gpkg" "$c/survey.gpkg" -nln survey
		ogr2ogr -f GPKG $a "$data/water.gpkg" "$c/water.gpkg" mgmt_area -nln mgmt_area
		ogr2ogr -f GPKG $a "$data/wells.gpkg" "$c/wells.gpkg" -nln wells
		ogr2ogr -f GPKG $a "$data/sources.gpkg" "$c/sources.gpkg" -nln sources
		if [ -z "${first:-}" ]; then head -1 "$c/ledger.csv" >"$data/ledger.csv"; fi
		tail -n +2 "$c/ledger.csv" | sed "s/^/$i-/" >>"$data/ledger.csv"
		first=1
		echo "generated $name" >&2
	done <"$data/names.txt"
fi
cd "$here"
exec "$LG" batch --config job.ini "$@"
