# Sourced by scripts/demo.sh (LG, D, O, say): groundwater source protection
# zones (HJ 338-2018), pollution sources inside them, GB/T 14848 classes.
say "地下水饮用水源保护区 gwzone: zones per HJ 338-2018 and the sources inside them"
"$LG" gwzone --wells "$D/wells.gpkg" --sources "$D/sources.gpkg" \
	-o "$O/gw_zones.gpkg" --hits "$O/gw_hits.xlsx"

say "地下水质量评价 gwquality: GB/T 14848-2017 class of every monitoring sample"
"$LG" gwquality --samples "$D/gw_samples.gpkg" -o "$O/gw_quality.gpkg" --table "$O/gw_quality.xlsx"
