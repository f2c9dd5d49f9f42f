# Helpers for the rows of tests/cli/matrix.tsv (sourced by matrix.sh in a
# fresh temp dir).  They make the broken inputs on the fly from the two
# hand-checked rectangle tables, so nothing big or foreign is committed.

# A 100 m x 100 m square at (X0, Y0) in EPSG:4546 (CGCS2000 / GK CM 111E).
sq() { echo "\"POLYGON(($1 $2,$(($1 + 100)) $2,$(($1 + 100)) $(($2 + 100)),$1 $(($2 + 100)),$1 $2))\""; }

plan_csv() { cp "$RECT/plan.csv" plan.csv; }
sites_csv() { cp "$RECT/sites.csv" sites.csv; }
# sites_one ID STAGE WKT > FILE: a one-site register
sites_one() { printf 'DKBH,stage,WKT\n%s,%s,%s\n' "$1" "$2" "$3"; }

# to_ogr SRC.csv DST [LAYER] [SRS]: a GDAL copy with a declared CRS
to_ogr() {
	ogr2ogr -q "$2" "$1" -a_srs "${4:-EPSG:4546}" -oo GEOM_POSSIBLE_NAMES=WKT \
		-oo KEEP_GEOM_COLUMNS=NO -lco ENCODING=UTF-8 ${3:+-nln "$3"} 2>/dev/null ||
		ogr2ogr -q "$2" "$1" -a_srs "${4:-EPSG:4546}" -oo GEOM_POSSIBLE_NAMES=WKT \
			-oo KEEP_GEOM_COLUMNS=NO ${3:+-nln "$3"}
}
plan_gpkg() { plan_csv && to_ogr plan.csv plan.gpkg plan; }
sites_gpkg() { sites_csv && to_ogr sites.csv sites.gpkg sites; }
sites_shp() { sites_csv && to_ogr sites.csv sites.shp; }

# as_nobody CMD...: run without root's right to read anything
as_nobody() {
	if [ "$(id -u)" = 0 ]; then
		command -v setpriv >/dev/null || { echo "SKIP: no setpriv"; exit 77; }
		setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
	else
		"$@"
	fi
}

# jzd_edit SED-SCRIPT > FILE: the two-parcel 界址点 fixture, edited
jzd_edit() { sed "$1" "$JZD/two_parcels.txt"; }
