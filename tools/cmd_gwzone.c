/* landguard gwzone: HJ 338-2018 groundwater source protection zones. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line =
	"landguard gwzone --wells WELLS -o ZONES [--method auto|table|formula]\n"
	"       [--radius-pick upper|lower|mid] [--sources SOURCES --hits HITS]\n"
	"       [--official ZONES --check-official OUT] [--json]";
static const char *description =
	"Draws the protection zones of groundwater drinking-water sources per HJ 338-2018 round\n"
	"the wells (points with aquifer 潜水/承压水, medium 细砂 中砂 粗砂 砾石 卵石 裂隙 岩溶, and\n"
	"optionally K m/d, I, n, Q m³/d and a well-field name `field`).\n"
	"Radius per well: the empirical table (细砂 I 30-50 m / II 300-500 m ... 卵石 500-1000 /\n"
	"5000-10000 m; default the upper, stricter end) or R = α·K·I·T/n (α 1.5, T 100 d for\n"
	"level I, 1000 d for level II).  --method auto (default) takes the formula for a phreatic\n"
	"well with K, I and n, else the table; fissure and karst water always need the formula.\n"
	"Confined wells (承压水) get level I only, from the overlying phreatic table, no level II.\n"
	"The quasi-protection zone (准保护区, the recharge area) is drawn as a circle of 2 × R_II\n"
	"where HJ 338 requires one (fissure, karst) — a stand-in to replace with the surveyed\n"
	"recharge area; --quasi all also draws it for pore water, --quasi none never.\n"
	"Zones of a level are merged; the wells of one field are enclosed together (convex\n"
	"hull of their circles, HJ 338 群井; --field-merge union to just merge); level II is the\n"
	"ring outside level I, level III outside both.  ZONES: one row per connected part:\n"
	"  level level_zh wells radius_m area_m2 area_mu method radius_pick quad_segs basis\n"
	"HITS: one row per source inside any zone, with its strictest level and nearest well:\n"
	"  source_id source_name source_type type_zh type_group level level_zh well_id dist_m\n"
	"  rule basis\n"
	"--official imports zones already drawn (a `level` field: I/II/III or 一级/二级/准保护区);\n"
	"they replace the computed ones in ZONES and HITS, and --check-official lists where\n"
	"they are smaller than the standard's minimum (the lower end of each range).\n"
	"Numbers, rules and texts: datasets/standards/hj338.csv, hj338_params.csv,\n"
	"gwzone_rules.csv and datasets/vocab/{aquifer,medium,source_type}.csv.";
static const char *examples =
	"  landguard gwzone --wells datasets/demo/xinjiang/wells.gpkg -o zones.gpkg\n"
	"  landguard gwzone --wells datasets/demo/xinjiang/wells.gpkg -o zones.gpkg \\\n"
	"      --sources datasets/demo/xinjiang/sources.gpkg --hits hits.csv --json\n"
	"  landguard gwzone --wells datasets/demo/xinjiang/wells.gpkg --method table \\\n"
	"      --radius-pick lower -o zones_min.gpkg --wells-out radii.csv\n"
	"  landguard gwzone --wells 水源井.shp --official 保护区.shp --check-official 不足.gpkg \\\n"
	"      -o zones.gpkg\n"
	"  landguard info zones.gpkg     # check the result without a GIS\n";

static const cli_opt opts[] = {
	{"wells", 0, "WELLS", "well points (well_id, aquifer, medium, K, I, n, Q, field)"},
	{"method", 0, "M", "auto (default), table or formula"},
	{"radius-pick", 0, "P", "where the table gives a range: upper (default), lower or mid"},
	{"quasi", 0, "Q", "quasi-protection zone: required (default), all or none"},
	{"field-merge", 0, "M", "well fields: hull (default, HJ 338 群井) or union"},
	{"quad-segs", 0, "N", "segments per quarter circle (default 32)"},
	{"sources", 0, "SOURCES", "pollution sources (points or polygons; source_id, source_type, name)"},
	{"type-field", 0, "NAME", "source type field of SOURCES (default: source_type, 类型, 污染源类型)"},
	{"hits", 0, "HITS", "output: sources inside zones"},
	{"official", 0, "ZONES", "zones already delineated (polygons with a level field) to use instead"},
	{"check-official", 0, "OUT", "output: where --official zones fall short of the standard's minimum"},
	{"wells-out", 0, "OUT", "output: every well with its method and radii (points)"},
	{NULL, 0, NULL, NULL},
};

struct gz_opts {
	const char *wells, *sources, *hits, *official, *check, *wells_out, *type_field;
	lg_gwzone_opts z;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct gz_opts *o = ud;
	double v;
	if (!strcmp(name, "wells"))
		o->wells = arg;
	else if (!strcmp(name, "sources"))
		o->sources = arg;
	else if (!strcmp(name, "hits"))
		o->hits = arg;
	else if (!strcmp(name, "official"))
		o->official = arg;
	else if (!strcmp(name, "check-official"))
		o->check = arg;
	else if (!strcmp(name, "wells-out"))
		o->wells_out = arg;
	else if (!strcmp(name, "type-field"))
		o->type_field = arg;
	else if (!strcmp(name, "method")) {
		if (!lg_gwz_method_parse(arg, &o->z.method))
			return cli_usage_error(c, "--method must be auto, table or formula (got '%s')", arg) != 0;
	} else if (!strcmp(name, "radius-pick")) {
		if (!lg_gwz_pick_parse(arg, &o->z.pick))
			return cli_usage_error(c, "--radius-pick must be upper, lower or mid (got '%s')", arg) != 0;
	} else if (!strcmp(name, "quasi")) {
		if (!lg_gwz_quasi_parse(arg, &o->z.quasi))
			return cli_usage_error(c, "--quasi must be required, all or none (got '%s')", arg) != 0;
	} else if (!strcmp(name, "field-merge")) {
		if (!lg_gwz_group_parse(arg, &o->z.group))
			return cli_usage_error(c, "--field-merge must be hull or union (got '%s')", arg) != 0;
	} else if (!strcmp(name, "quad-segs")) {
		if (cli_number(c, "--quad-segs", arg, &v))
			return 1;
		if (v < 2 || v > 1024 || v != floor(v))
			return cli_usage_error(c, "--quad-segs must be a whole number from 2 to 1024 (got '%s')", arg) != 0;
		o->z.quad_segs = (int)v;
	}
	return 0;
}


int cmd_gwzone(int argc, char **argv)
{
	cli c;
	struct gz_opts oo;
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_layer *wells = NULL, *offl = NULL, *hits = NULL, *check = NULL, *wl = NULL;
	lg_rows *src = NULL;
	lg_hj338 *t = NULL;
	lg_gwzones *z = NULL, *zmin = NULL, *zoff = NULL;
	lg_crs *work = NULL;
	lg_gwz_hits_summary hs = {0};
	lg_write_opts wo = {0};
	size_t nshort = 0;
	lg_status st;
	lg_buf j;

	memset(&oo, 0, sizeof oo);
	if ((rc = cli_init(&c, "gwzone")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &oo, pos,
		       0, &npos, &done);
	if (rc || done)
		goto out;
	if (!oo.wells || !c.out) {
		rc = cli_usage_error(&c, "give --wells and -o ZONES");
		goto out;
	}
	if (!oo.sources != !oo.hits) {
		rc = cli_usage_error(&c, "--sources and --hits go together");
		goto out;
	}
	if (oo.check && !oo.official) {
		rc = cli_usage_error(&c, "--check-official needs --official ZONES");
		goto out;
	}
	/* Every output checked first, so a bad later path fails before the
	 * zones are written. */
	{
		const char *outs[] = {c.out, oo.hits, oo.check, oo.wells_out};
		for (size_t k = 0; k < sizeof outs / sizeof *outs; k++)
			if (outs[k] && (st = lg_output_prepare(c.ctx, outs[k])))
				goto fail;
	}
	double tm = cli_phase(NULL, 0);
	if ((st = lg_hj338_load(c.ctx, &t)))
		goto fail;
	cli_read_opts(&c, "wells", &ro);
	if ((st = lg_layer_read(c.ctx, oo.wells, &ro, &wells)))
		goto fail;
	if (!wells->crs) {
		st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", oo.wells);
		goto fail;
	}
	if (!c.work_srs && !isfinite(wells->minx)) {
		/* Empty: a wrong file or layer, and no extent for the work CRS. */
		st = lg_ctx_error(c.ctx, LG_INPUT, "'%s' has no features with geometry; check "
				  "that it is the right file and layer (PATH#LAYER)", oo.wells);
		goto fail;
	}
	if ((st = cli_work_crs(&c, wells, &work)))
		goto fail;
	if ((st = lg_layer_reproject(c.ctx, wells, work)))
		goto fail;
	tm = cli_phase("read", tm);
	if ((st = lg_gwzone_run(c.ctx, t, wells, work, &oo.z, &z)))
		goto fail;
	tm = cli_phase("zones", tm);
	if (oo.official) {
		lg_gwzone_opts mo = oo.z;
		cli_read_opts(&c, "official", &ro);
		if ((st = lg_layer_read(c.ctx, oo.official, &ro, &offl)))
			goto fail;
		if (!offl->crs) {
			st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", oo.official);
			goto fail;
		}
		if ((st = lg_layer_reproject(c.ctx, offl, work)) ||
		    (st = lg_gwzone_import(c.ctx, offl, z, work, &zoff)))
			goto fail;
		/* The standard's minimum: lower ends of the table ranges. */
		mo.pick = LG_GWZ_LOWER;
		mo.quasi = LG_GWZ_QUASI_NONE;
		if ((st = lg_gwzone_run(c.ctx, t, wells, work, &mo, &zmin)) ||
		    (st = lg_gwzone_check(c.ctx, zoff, zmin, 1.0, &check, &nshort)))
			goto fail;
		if (nshort)
			lg_ctx_warn(c.ctx, "%zu official zone part%s %s smaller than the HJ 338 minimum "
				    "(lower end of the range)%s", nshort, nshort == 1 ? "" : "s",
				    nshort == 1 ? "is" : "are",
				    oo.check ? "; see the --check-official output" :
					       "; give --check-official OUT for where");
		tm = cli_phase("official", tm);
	}
	const lg_gwzones *zu = zoff ? zoff : z;
	wo.driver = c.driver;
	wo.t_srs = c.t_srs;
	wo.no_spatial_index = c.no_spatial_index;
	if (oo.sources) {
		static const char *const tf[] = {"source_type", "类型", "污染源类型", "type", NULL};
		lg_rows_opts rwo;
		memset(&rwo, 0, sizeof rwo);
		cli_read_opts(&c, "sources", &rwo.read);
		for (int k = 0; !src && (oo.type_field ? k == 0 : tf[k] != NULL); k++) {
			rwo.extra_field = oo.type_field ? oo.type_field : tf[k];
			if ((st = lg_rows_open(c.ctx, oo.sources, &rwo, &src)))
				goto fail;
			if (lg_layer_field(lg_rows_schema(src), rwo.extra_field) < 0) {
				lg_rows_close(c.ctx, src);
				src = NULL;
			}
		}
		if (!src) {
			st = lg_ctx_error(c.ctx, LG_FIELD, "'%s' has no source type field %s%s%s; name "
					  "it with --type-field", oo.sources,
					  oo.type_field ? "'" : "(source_type, 类型, 污染源类型)",
					  oo.type_field ? oo.type_field : "", oo.type_field ? "'" : "");
			goto fail;
		}
		if (!lg_rows_schema(src)->crs) {
			st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", oo.sources);
			goto fail;
		}
		if ((st = lg_gwzone_hits(c.ctx, t, zu, src, work, &hits, &hs)))
			goto fail;
		tm = cli_phase("hits", tm);
	}
	/* Written only once every input has been read: a missing or bad
	 * --sources must not leave ZONES behind. */
	wo.layer_name = "zones";
	if ((st = lg_layer_write(c.ctx, zu->layer, c.out, &wo)))
		goto fail;
	tm = cli_phase("write zones", tm);
	if (hits) {
		wo.layer_name = "hits";
		if ((st = lg_layer_write(c.ctx, hits, oo.hits, &wo)))
			goto fail;
		tm = cli_phase("write hits", tm);
	}
	if (check && oo.check) {
		wo.layer_name = "official_check";
		if ((st = lg_layer_write(c.ctx, check, oo.check, &wo)))
			goto fail;
	}
	if (oo.wells_out) {
		if ((st = lg_gwzone_wells_layer(c.ctx, z, wells, lg_gwz_pick_name(oo.z.pick), &wl)))
			goto fail;
		wo.layer_name = "wells";
		if ((st = lg_layer_write(c.ctx, wl, oo.wells_out, &wo)))
			goto fail;
	}
	cli_phase("write", tm);

	if (!c.json) {
		fprintf(stderr, "水源井 wells: %zu   方法 method: %s   取值 radius pick: %s%s\n",
			z->nwells, lg_gwz_method_name(oo.z.method), lg_gwz_pick_name(oo.z.pick),
			zoff ? "   (使用已划定保护区 official zones)" : "");
		for (int l = 0; l < LG_GWZ__LEVELS; l++)
			fprintf(stderr, "%s %s: %zu 块 parts, %.2f m² = %.4f 公顷 = %.2f 亩\n",
				lg_gwz_level_zh((lg_gwz_level)l), lg_gwz_level_name((lg_gwz_level)l),
				zu->nparts[l], zu->area_m2[l], lg_m2_to_ha(zu->area_m2[l]),
				lg_m2_to_mu(zu->area_m2[l]));
		if (oo.sources)
			fprintf(stderr, "污染源 sources: %zu   在保护区内 inside zones: 一级 %zu, 二级 %zu, "
				"准保护区 %zu\n", hs.sources, hs.hits[0], hs.hits[1], hs.hits[2]);
		if (oo.official)
			fprintf(stderr, "已划定保护区小于标准最小范围 official parts short of the minimum: %zu\n",
				nshort);
		fprintf(stderr, "written: %s%s%s%s%s%s%s\n", c.out, oo.hits ? ", " : "",
			oo.hits ? oo.hits : "", oo.check ? ", " : "", oo.check ? oo.check : "",
			oo.wells_out ? ", " : "", oo.wells_out ? oo.wells_out : "");
	}
	lg_buf_init(&j);
	lg_buf_printf(&j, "{\"wells\":%zu,\"method\":\"%s\",\"radius_pick\":\"%s\",\"quad_segs\":%d,"
		      "\"official\":%s,\"zones\":{", z->nwells, lg_gwz_method_name(oo.z.method),
		      lg_gwz_pick_name(oo.z.pick), zu->quad_segs, zoff ? "true" : "false");
	for (int l = 0; l < LG_GWZ__LEVELS; l++)
		lg_buf_printf(&j, "%s\"%s\":{\"parts\":%zu,\"area_m2\":%.4f,\"area_mu\":%.4f}",
			      l ? "," : "", lg_gwz_level_name((lg_gwz_level)l), zu->nparts[l],
			      zu->area_m2[l], lg_m2_to_mu(zu->area_m2[l]));
	lg_buf_puts(&j, "}");
	{
		size_t nt = 0, nf = 0;
		for (size_t i = 0; i < z->nwells; i++)
			z->wells[i].method == LG_GWZ_TABLE ? nt++ : nf++;
		lg_buf_printf(&j, ",\"wells_by_method\":{\"table\":%zu,\"formula\":%zu}", nt, nf);
	}
	if (oo.sources)
		lg_buf_printf(&j, ",\"sources\":%zu,\"hits\":{\"I\":%zu,\"II\":%zu,\"III\":%zu,"
			      "\"total\":%zu},\"read\":\"%s\"", hs.sources, hs.hits[0], hs.hits[1],
			      hs.hits[2], hs.hits[0] + hs.hits[1] + hs.hits[2], hs.strategy);
	if (oo.official)
		lg_buf_printf(&j, ",\"official_short\":%zu", nshort);
	lg_buf_puts(&j, ",\"work_crs\":");
	lg_buf_json_str(&j, lg_crs_id(work));
	lg_buf_puts(&j, ",\"outputs\":[");
	lg_buf_json_str(&j, c.out);
	const char *extra[] = {oo.hits, oo.check, oo.wells_out};
	for (int k = 0; k < 3; k++)
		if (extra[k]) {
			lg_buf_puts(&j, ",");
			lg_buf_json_str(&j, extra[k]);
		}
	lg_buf_puts(&j, "]}");
	rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_layer_destroy(c.ctx, wl);
	lg_layer_destroy(c.ctx, check);
	lg_layer_destroy(c.ctx, hits);
	lg_layer_destroy(c.ctx, offl);
	lg_layer_destroy(c.ctx, wells);
	lg_rows_close(c.ctx, src);
	lg_gwzones_destroy(c.ctx, z);
	lg_gwzones_destroy(c.ctx, zmin);
	lg_gwzones_destroy(c.ctx, zoff);
	lg_hj338_destroy(t);
	lg_crs_destroy(work);
	cli_release(&c);
	return rc;
}
