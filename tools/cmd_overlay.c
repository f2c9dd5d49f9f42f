/* landguard overlay: suspected/polluted parcels on the land-use plan. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "commands.h"



static const char *usage_line =
	"landguard overlay --sites SITES --plan PLAN -o OUT [--min-area M2] [--engine local|postgis] [--json]";
static const char *description =
	"Puts the register of suspected and polluted parcels (sites) on the land-use plan\n"
	"(\"一张图\") or survey and lists every overlap: one row per (site, plan feature) pair\n"
	"whose overlap exceeds --min-area, geometry = the overlap, columns\n"
	"  site_id site_name site_stage plan_id plan_code plan_name use_class yzlg\n"
	"  overlap_m2 overlap_mu overlap_ellps_m2 site_area_m2 site_share conflict\n"
	"sorted by site_id, then plan_id.  conflict = 1 where the plan use is 一住两公\n"
	"(residential, public administration, public service) and the site is neither\n"
	"investigated clean nor removed from the list.  Areas are planar in the working CRS\n"
	"(m², 亩) and ellipsoidal on CGCS2000 (overlap_ellps_m2).\n"
	"The plan may be any size: a GeoPackage is streamed straight from SQLite (and its\n"
	"R-tree used when the sites are few), and the work runs on all cores.  With both\n"
	"layers on a PostGIS server, --engine postgis runs the intersections there as SQL\n"
	"(the same rows come back; ellipsoidal areas and classes are computed here).";
static const char *examples =
	"  landguard overlay --sites datasets/demo/xinjiang/sites.gpkg \\\n"
	"      --plan datasets/demo/xinjiang/plan.gpkg -o overlay.gpkg\n"
	"  landguard overlay --sites 名录.shp --plan 一张图.gpkg --plan-code-field YDDM -o 冲突.xlsx\n"
	"  landguard overlay --sites sites.gpkg --plan dltb.shp --s-srs EPSG:4525 -o o.csv --json\n"
	"  landguard overlay --sites 'PG:host=db dbname=land#sites' --plan 'PG:host=db dbname=land#plan' \\\n"
	"      --engine postgis -o 'PG:host=db dbname=land#overlay'\n";

static const cli_opt opts[] = {
	{"sites", 0, "SITES", "register of suspected/polluted parcels (polygons, with a stage field)"},
	{"plan", 0, "PLAN", "land-use plan or survey layer (用地用海 / 三调 / GB 50137 codes)"},
	{"min-area", 0, "M2", "smallest overlap reported, m² (default 0.01)"},
	{"stage-default", 0, "STAGE", "stage of sites whose register has no stage field"},
	{"landuse-table", 0, "CSV", "user land-use table that overrides or adds codes"},
	{"engine", 0, "E", "local (default), or postgis: both inputs PG:...#table on one server, the work done there as SQL"},
	{NULL, 0, NULL, NULL},
};

struct ov_opts {
	const char *sites, *plan, *landuse_table, *stage_default, *engine;
	double min_area;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct ov_opts *o = ud;
	if (!strcmp(name, "sites"))
		o->sites = arg;
	else if (!strcmp(name, "plan"))
		o->plan = arg;
	else if (!strcmp(name, "landuse-table"))
		o->landuse_table = arg;
	else if (!strcmp(name, "stage-default"))
		o->stage_default = arg;
	else if (!strcmp(name, "engine")) {
		if (strcmp(arg, "local") && strcmp(arg, "postgis"))
			return cli_usage_error(c, "--engine must be local or postgis (got '%s')", arg) != 0;
		o->engine = arg;
	}
	else if (!strcmp(name, "min-area")) {
		if (cli_number(c, "--min-area", arg, &o->min_area))
			return 1;
		if (o->min_area < 0)
			return cli_usage_error(c, "--min-area must be 0 or more square metres (got '%s')", arg) != 0;
	}
	return 0;
}

/* Every pair is a finding-like record of the run: a conflict is a
 * violation (OVERLAY-YZLG), any other overlap a notice (OVERLAY), so the
 * quarterly review can tell which overlaps are new. */
static int record_run(cli *c, const lg_layer *out, const char *summary)
{
	lg_ws_finding *f = calloc(out->n + 1, sizeof *f);
	char **texts = calloc(2 * out->n + 1, sizeof *texts);
	lg_ws_output o = {c->out, "table", (int64_t)out->n};
	int rc;
	if (!f || !texts) {
		free(f);
		free(texts);
		fprintf(stderr, "landguard overlay: error: out of memory recording the run\n");
		return 5;
	}
	int ci = lg_layer_field(out, "conflict");
	for (size_t i = 0; i < out->n; i++) {
		const lg_feature *r = &out->feat[i];
		bool conflict = r->vals[ci].u.i != 0;
		lg_buf m, e;
		lg_buf_init(&m);
		lg_buf_init(&e);
		lg_buf_printf(&m, "site %s overlaps plan feature %s (%s, %s) by %s m²%s",
			      lg_feature_text(out, r, 0), lg_feature_text(out, r, 3),
			      lg_feature_text(out, r, 4), lg_feature_text(out, r, 6),
			      lg_feature_text(out, r, 8),
			      conflict ? ": 一住两公 use on a site not cleared" : "");
		lg_buf_puts(&e, "{");
		for (size_t k = 3; k < out->nfields; k++) {
			lg_buf_printf(&e, "%s", k > 3 ? "," : "");
			lg_buf_json_str(&e, out->fields[k].name);
			lg_buf_puts(&e, ":");
			if (out->fields[k].type == LG_FT_STRING)
				lg_buf_json_str(&e, lg_feature_text(out, r, (int)k));
			else
				lg_buf_puts(&e, lg_feature_text(out, r, (int)k));
		}
		lg_buf_puts(&e, "}");
		texts[2 * i] = m.s;
		texts[2 * i + 1] = e.s;
		/* site_id (column 0) is text owned by the layer. */
		f[i].parcel_id = r->vals[0].null ? "" : r->vals[0].u.s;
		f[i].rule_id = conflict ? "OVERLAY-YZLG" : "OVERLAY";
		f[i].severity = conflict ? "violation" : "notice";
		f[i].message = m.s ? m.s : "";
		f[i].evidence = e.s;
	}
	rc = cli_record_run(c, "ok", summary, &o, 1, f, out->n);
	for (size_t i = 0; i < 2 * out->n; i++)
		free(texts[i]);
	free(texts);
	free(f);
	return rc;
}

/* The overlay table goes to a GeoPackage in parts (lg_overlay_run_parts)
 * when nothing else needs it whole: a .gpkg (or -f GPKG) file, no
 * --t-srs, no workspace run record (which takes the whole table). */
static bool parts_ok(const cli *c)
{
	const char *dot = strrchr(c->out, '.');
	if (!strncmp(c->out, "PG:", 3) || c->t_srs || c->workspace)
		return false;
	if (c->driver)
		return !strcasecmp(c->driver, "GPKG");
	return dot && !strcasecmp(dot, ".gpkg");
}

typedef struct sink_ud {
	const char *path;
	const lg_write_opts *wo;
	lg_layer_out *w;
} sink_ud;

static lg_status sink_part(lg_ctx *ctx, lg_layer *part, void *ud)
{
	sink_ud *s = ud;
	lg_status st;
	if (!s->w && (st = lg_layer_out_open(ctx, part, s->path, s->wo, &s->w)))
		return st;
	return lg_layer_out_add(ctx, s->w, part);
}

int cmd_overlay(int argc, char **argv)
{
	cli c;
	struct ov_opts oo = {0};
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_rows_opts rwo;
	lg_layer *sites = NULL, *out = NULL;
	lg_rows *plan = NULL;
	lg_layer *plan_schema = NULL;
	size_t plan_count = 0;
	lg_landuse *lu = NULL;
	lg_crs *work = NULL;
	lg_overlay_opts opt = {0};
	lg_overlay_summary sum;
	lg_write_opts wo = {0};
	lg_status st;
	lg_buf j;
	bool written = false;

	oo.min_area = 0.01;
	if ((rc = cli_init(&c, "overlay")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &oo,
		       pos, 0, &npos, &done);
	if (rc || done)
		goto out;
	if (!oo.sites || !oo.plan || !c.out) {
		rc = cli_usage_error(&c, "give --sites, --plan and -o OUT");
		goto out;
	}
	if (oo.stage_default) {
		if (!lg_stage_parse(oo.stage_default, &opt.stage_default)) {
			rc = cli_usage_error(&c, "--stage-default: unknown stage '%s'", oo.stage_default);
			goto out;
		}
		opt.has_stage_default = true;
	}
	double t = cli_phase(NULL, 0);
	if ((st = lg_landuse_load(c.ctx, oo.landuse_table, &lu)))
		goto fail;
	cli_read_opts(&c, "sites", &ro);
	if ((st = lg_layer_read(c.ctx, oo.sites, &ro, &sites)))
		goto fail;
	memset(&rwo, 0, sizeof rwo);
	cli_read_opts(&c, "plan", &rwo.read);
	bool pushdown = oo.engine && !strcmp(oo.engine, "postgis");
	if (pushdown) {
		if (!lg_pg_source(oo.sites) || !lg_pg_source(oo.plan)) {
			rc = cli_usage_error(&c, "--engine postgis needs --sites and --plan as "
						 "PG:...#TABLE on one server");
			goto out;
		}
		if ((st = lg_pg_schema(c.ctx, oo.plan, &rwo.read, &plan_schema, &plan_count)))
			goto fail;
	} else if ((st = lg_rows_open(c.ctx, oo.plan, &rwo, &plan))) {
		goto fail;
	}
	const lg_layer *ps = pushdown ? plan_schema : lg_rows_schema(plan);
	if (!pushdown && !isfinite(ps->minx)) {
		/* An empty plan is a wrong file or layer, never "no conflicts". */
		st = lg_ctx_error(c.ctx, LG_INPUT, "plan '%s' layer '%s' has no features with "
				  "geometry; check that it is the right file and layer (PATH#LAYER)",
				  oo.plan, ps->name);
		goto fail;
	}
	if (!ps->crs) {
		st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS and no features to guess one "
				  "from; give --s-srs", oo.plan);
		goto fail;
	}
	if ((st = cli_work_crs(&c, ps, &work)))
		goto fail;
	if (!sites->crs) {
		st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", oo.sites);
		goto fail;
	}
	if ((st = lg_layer_reproject(c.ctx, sites, work)))
		goto fail;
	if (sites->role[LG_ROLE_ID] < 0)
		lg_ctx_warn(c.ctx, "'%s' has no id field (DKBH, BSM, id ...); site ids are FIDs; "
			    "name one with --sites-id-field", oo.sites);
	opt.min_area_m2 = oo.min_area;
	opt.landuse = lu;
	t = cli_phase("read", t);
	if (pushdown) {
		lg_pg_overlay_opts po = {.min_area_m2 = oo.min_area};
		lg_pairs pairs;
		if ((st = lg_pg_overlay_pairs(c.ctx, oo.sites, oo.plan, sites, plan_schema, work, &po,
					      &pairs, NULL)))
			goto fail;
		t = cli_phase("postgis", t);
		st = lg_overlay_from_pairs(c.ctx, sites, &pairs, plan_schema, plan_count, "postgis",
					   work, &opt, &out, &sum);
		lg_pairs_release(&pairs);
		if (st)
			goto fail;
	} else if (parts_ok(&c)) {
		/* GeoPackage out: the first half of the sites' rows is written
		 * while the second half is computed. */
		sink_ud su = {c.out, &wo, NULL};
		wo.no_spatial_index = c.no_spatial_index;
		wo.layer_name = "overlay";
		st = lg_overlay_run_parts(c.ctx, sites, plan, work, &opt, sink_part, &su, &sum);
		lg_status cst = lg_layer_out_close(c.ctx, su.w, st == LG_OK);
		if (!st)
			st = cst;
		if (st)
			goto fail;
		t = cli_phase("overlay+write", t);
		written = true;
	} else if ((st = lg_overlay_run(c.ctx, sites, plan, work, &opt, &out, &sum))) {
		goto fail;
	}
	if (!written) {
		t = cli_phase("overlay", t);
		wo.driver = c.driver;
		wo.t_srs = c.t_srs;
		wo.no_spatial_index = c.no_spatial_index;
		wo.layer_name = "overlay";
		if ((st = lg_layer_write(c.ctx, out, c.out, &wo)))
			goto fail;
		t = cli_phase("write", t);
	}

	if (!c.json) {
		fprintf(stderr,
			"疑似/污染地块 sites: %zu   规划图斑 plan features: %zu   相交 pairs: %zu\n"
			"有重叠的地块 sites overlapping: %zu   一住两公冲突地块 conflict sites: %zu\n"
			"重叠面积 overlap: %.2f m² = %.4f 公顷 = %.2f 亩\n"
			"冲突面积 conflict: %.2f m² = %.4f 公顷 = %.2f 亩\n"
			"written: %s\n",
			sum.sites, sum.plan_features, sum.pairs, sum.sites_overlapping,
			sum.conflict_sites, sum.overlap_m2, lg_m2_to_ha(sum.overlap_m2),
			lg_m2_to_mu(sum.overlap_m2), sum.conflict_m2, lg_m2_to_ha(sum.conflict_m2),
			lg_m2_to_mu(sum.conflict_m2), c.out);
	}
	lg_buf_init(&j);
	lg_buf_printf(&j,
		      "{\"sites\":%zu,\"plan_features\":%zu,\"pairs\":%zu,\"sites_overlapping\":%zu,"
		      "\"conflict_sites\":%zu,\"overlap_m2\":%.4f,\"conflict_m2\":%.4f,"
		      "\"overlap_mu\":%.4f,\"conflict_mu\":%.4f,\"sites_without_geometry\":%zu,"
		      "\"unknown_codes\":%zu,\"plan_system\":",
		      sum.sites, sum.plan_features, sum.pairs, sum.sites_overlapping,
		      sum.conflict_sites, sum.overlap_m2, sum.conflict_m2, lg_m2_to_mu(sum.overlap_m2),
		      lg_m2_to_mu(sum.conflict_m2), sum.sites_without_geometry, sum.unknown_codes);
	if (sum.plan_system)
		lg_buf_json_str(&j, sum.plan_system);
	else
		lg_buf_puts(&j, "null");
	lg_buf_puts(&j, ",\"work_crs\":");
	lg_buf_json_str(&j, lg_crs_id(work));
	lg_buf_printf(&j, ",\"read\":\"%s\",\"rows_parsed\":%zu,\"shortcuts\":%zu,"
		      "\"intersections\":%zu,\"threads\":%d,\"outputs\":[",
		      sum.strategy, sum.rows_parsed, sum.shortcuts, sum.intersections,
		      lg_ctx_threads(c.ctx));
	lg_buf_json_str(&j, c.out);
	lg_buf_puts(&j, "]}");
	if (c.workspace && (rc = record_run(&c, out, j.s))) {
		lg_buf_release(&j);
		goto out;
	}
	rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_layer_destroy(c.ctx, out);
	lg_layer_destroy(c.ctx, sites);
	lg_rows_close(c.ctx, plan);
	lg_layer_destroy(c.ctx, plan_schema);
	lg_crs_destroy(work);
	lg_landuse_destroy(lu);
	cli_release(&c);
	return rc;
}
