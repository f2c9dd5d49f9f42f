# Sourced by scripts/demo.sh (LG, D, O, say): the 一住两公 rules and the
# monthly 清零 list of October 2026.
say "一住两公合规检查 check: YZ-01 ... YZ-10 on the land-supply parcels"
"$LG" check --parcels "$D/parcels.gpkg" --sites "$D/sites.gpkg#sites" \
	--units "$D/sites.gpkg#units" --ledger "$D/ledger.xlsx" \
	--samples "$D/soil_samples.gpkg" --county "$D/county.gpkg" -o "$O/findings.xlsx"
"$LG" check --parcels "$D/parcels.gpkg" --sites "$D/sites.gpkg#sites" \
	--units "$D/sites.gpkg#units" --ledger "$D/ledger.xlsx" \
	--samples "$D/soil_samples.gpkg" --county "$D/county.gpkg" -o "$O/findings.csv" 2>/dev/null

say "月度清零台账 the 清零 list for October 2026 (--period 2026-10-01..2026-10-31)"
"$LG" check --parcels "$D/parcels.gpkg" --sites "$D/sites.gpkg#sites" \
	--units "$D/sites.gpkg#units" --ledger "$D/ledger.xlsx" \
	--samples "$D/soil_samples.gpkg" --period 2026-10-01..2026-10-31 -o "$O/qingling_2026-10.xlsx"
