# Sourced by scripts/demo.sh (LG, D, O, say): the 30-50 m belts along 汾河,
# 浍河, 三泉河 and around 三泉水库, on the 三调 survey.
say "河库生态缓冲带 riverbuf: who occupies the 0-30 m and 30-50 m belts, and how wide the belt really is"
"$LG" riverbuf --boundary "$D/water.gpkg#mgmt_area" --parcels "$D/survey.gpkg" \
	-o "$O/riverbuf.gpkg" --segments "$O/riverbuf_stretches.csv"
"$LG" riverbuf --boundary "$D/water.gpkg#mgmt_area" --parcels "$D/survey.gpkg" \
	-o "$O/riverbuf.xlsx" 2>/dev/null
