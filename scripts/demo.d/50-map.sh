# Maps for the bureau meeting (sourced by scripts/demo.sh: LG, D, O, say).
# Needs $O/overlay.gpkg from the overlay step.
MAPDATE=${MAPDATE:-2026-10-31}
OFFICE="新绛县自然资源局 新绛县生态环境分局"

say "地图 map: 疑似污染地块与国土空间规划叠加图 (sites over the plan, A3 landscape, PDF + PNG)"
for ext in pdf png; do
	"$LG" map --theme sites --date "$MAPDATE" --office "$OFFICE" \
		--sources "新绛县国土空间总体规划（2021—2035年）；疑似污染地块及污染地块名录（2026年10月）" \
		--layer "$D/plan.gpkg" --layer "$D/towns.gpkg" --layer "$D/sites.gpkg#sites" \
		--layer "$O/overlay.gpkg" --layer "$D/water.gpkg#centerlines" --layer "$D/county.gpkg" \
		--page A3 --orientation landscape --dpi 150 -o "$O/map_sites.$ext"
done

say "地图 map: 县城及开发区 — the same at 1:50 000 where the conflicts are"
"$LG" map --theme sites --date "$MAPDATE" --office "$OFFICE" --subtitle "县城及经济技术开发区" \
	--sources "新绛县国土空间总体规划（2021—2035年）；疑似污染地块及污染地块名录（2026年10月）" \
	--layer "$D/plan.gpkg" --layer "$D/towns.gpkg" --layer "$D/sites.gpkg#sites" \
	--layer "$O/overlay.gpkg" --layer "$D/county.gpkg" \
	--extent 37515500,3941000,37525500,3947500 --dpi 150 -o "$O/map_sites_seat.png"

say "地图 map: 县域概况图 (county overview on the 三调 survey)"
"$LG" map --theme overview --date "$MAPDATE" --office "$OFFICE" --title "新绛县县域概况图" \
	--sources "第三次全国国土调查；河湖管理范围划界成果；疑似污染地块名录；水源井台账" \
	--layer "$D/survey.gpkg" --layer "$D/water.gpkg#centerlines" --layer "$D/towns.gpkg" \
	--layer "$D/sites.gpkg#sites" --layer "$D/wells.gpkg" --layer "$D/county.gpkg" \
	--dpi 150 -o "$O/map_overview.png"
"$LG" map --theme overview --date "$MAPDATE" --office "$OFFICE" --title "新绛县县域概况图" \
	--layer "$D/survey.gpkg" --layer "$D/water.gpkg#centerlines" --layer "$D/towns.gpkg" \
	--layer "$D/sites.gpkg#sites" --layer "$D/wells.gpkg" --layer "$D/county.gpkg" \
	-o "$O/map_overview.pdf"

# Themes drawing the outputs of 20-riverbuf.sh and 40-gwzone.sh.
if [ -f "$O/riverbuf.gpkg" ]; then
	say "地图 map: 河库生态缓冲带占用图 (riverbuf bands with conflicts)"
	"$LG" map --theme riverbuf --date "$MAPDATE" --office "$OFFICE" \
		--sources "第三次全国国土调查；河湖管理范围划界成果" \
		--layer "$D/survey.gpkg" --layer "$D/water.gpkg#mgmt_area" --layer "$O/riverbuf.gpkg" \
		--layer "$D/towns.gpkg" --layer "$D/sites.gpkg#sites" --layer "$D/county.gpkg" \
		--extent 37514000,3939000,37526000,3946000 --dpi 150 -o "$O/map_riverbuf.png"
fi
if [ -f "$O/gw_zones.gpkg" ]; then
	say "地图 map: 饮用水水源保护区与污染源分布图 (gwzone zones, sources, hits, quality classes)"
	"$LG" gwzone --wells "$D/wells.gpkg" --sources "$D/sources.gpkg" \
		-o "$O/gw_zones_map.gpkg" --hits "$O/gw_hits.gpkg" 2>/dev/null
	set -- --layer "$D/towns.gpkg" --layer "$O/gw_zones_map.gpkg" \
		--layer "$D/water.gpkg#centerlines" --layer "$D/sources.gpkg" --layer "$O/gw_hits.gpkg" \
		--layer "$D/wells.gpkg" --layer "$D/county.gpkg"
	[ -f "$O/gw_quality.gpkg" ] && set -- "$@" --layer "$O/gw_quality.gpkg"
	"$LG" map --theme gwzone --date "$MAPDATE" --office "$OFFICE" \
		--sources "水源井台账；污染源清单；地下水监测（GB/T 14848-2017）" "$@" \
		--dpi 150 -o "$O/map_gwzone.png"
	set --
fi
