#!/bin/sh
# The main job on the demo county 新绛县: sets up and builds (installing
# Debian packages when missing), makes the demo layers that are generated
# rather than committed, and runs every landguard job on them.  Outputs go
# to out/demo/.   Usage: scripts/demo.sh
set -eu
cd "$(dirname "$0")/.."
B=$(scripts/setup.sh)
LG=$B/landguard
D=datasets/demo/xinjiang
O=out/demo
mkdir -p "$O"
say() { printf '\n== %s\n' "$*"; }

say "输入数据体检 info: a GBK shapefile without .prj, zone-prefixed coordinates"
"$LG" info "$D/shp_gbk/dltb_gbk.shp"

say "界址点坐标 TXT -> GeoPackage (convert)"
"$LG" convert "$D/jzd/parcels_gbk.txt" -o "$O/jzd_parcels.gpkg"

say "疑似/污染地块叠加国土空间规划 overlay: sites on the plan (一张图)"
"$LG" overlay --sites "$D/sites.gpkg#sites" --plan "$D/plan.gpkg" -o "$O/overlay.gpkg"
"$LG" overlay --sites "$D/sites.gpkg#sites" --plan "$D/plan.gpkg" -o "$O/overlay.xlsx" 2>/dev/null

for extra in scripts/demo.d/*.sh; do
	[ -f "$extra" ] && . "$extra"
done
say "outputs in $O/"
ls -1 "$O"
