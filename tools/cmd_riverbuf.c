/* landguard riverbuf: ecological buffer belts outside river and reservoir
 * management lines, their occupation and the clear width per stretch. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"


static const char *usage_line =
	"landguard riverbuf --boundary WATER --parcels PARCELS -o OUT [--inner 30] [--outer 50]\n"
	"       [--segments SEGOUT] [--segment-length 100] [--engine local|postgis] [--json]";
static const char *description =
	"Ecological buffer belts outside river and reservoir management lines (河库管理范围线,\n"
	"水十条 task 11: 30-50 m on both banks).  WATER holds management-area polygons (the\n"
	"band lies outside them) or management lines (the band lies on both sides), with a\n"
	"name field; features sharing a name are one water.  Bands: 0-INNER and INNER-OUTER\n"
	"metres from the line.  A point belongs to the band of the water it is nearest to,\n"
	"so bands of neighbouring waters are never counted twice, and water surfaces are in\n"
	"no band.\n"
	"OUT: one row per (parcel, band, water) of the land-use survey or plan, geometry =\n"
	"the parcel's part in the band, columns\n"
	"  parcel_id parcel_code use_class construction band water_name overlap_m2\n"
	"  min_dist_m conflict\n"
	"sorted by parcel_id, band, water_name; band is spelled with the limits (\"0-30\",\n"
	"\"30-50\"); min_dist_m is the part's distance to the management line; conflict = 1\n"
	"for construction land in a band.\n"
	"SEGOUT: every boundary line walked in stretches of --segment-length metres (rings\n"
	"counter-clockwise from their first vertex), one row per stretch that faces a band:\n"
	"  water_name seg_no from_m to_m achieved_m meets_min built_share\n"
	"achieved_m = the clear width (at most OUTER) from the stretch to the nearest\n"
	"construction land in the band it faces (swept perpendicular from it); meets_min =\n"
	"achieved_m >= INNER; built_share = construction land / inner-band area it faces.\n"
	"--engine postgis: with WATER and PARCELS both PG:...#table on one server, the\n"
	"bands are built and intersected there in plain PostGIS SQL (ST_Buffer, the\n"
	"nearest-water split on a 2 m ST_SquareGrid, ST_Subdivide, a GiST && join);\n"
	"OUT has the same rows as the local engine.  The stretch table is not pushed\n"
	"down: --segments needs the local engine.";
static const char *examples =
	"  landguard riverbuf --boundary datasets/demo/xinjiang/water.gpkg#mgmt_area \\\n"
	"      --parcels datasets/demo/xinjiang/survey.gpkg -o 缓冲带占用.gpkg \\\n"
	"      --segments 岸段.csv\n"
	"  landguard riverbuf --boundary datasets/demo/xinjiang/water.gpkg#mgmt_area \\\n"
	"      --parcels datasets/demo/xinjiang/parcels.gpkg -o bands.csv --json\n"
	"  landguard riverbuf --boundary 管理范围线.shp --boundary-name-field HLMC \\\n"
	"      --parcels 一张图.gpkg --inner 30 --outer 100 -o 占用.xlsx\n"
	"  landguard riverbuf --engine postgis --boundary 'PG:host=db dbname=land#water' \\\n"
	"      --parcels 'PG:host=db dbname=land#survey' -o 'PG:host=db dbname=land#riverbuf'\n";

static const cli_opt opts[] = {
	{"boundary", 0, "WATER", "river/reservoir management areas (polygons) or management lines"},
	{"parcels", 0, "PARCELS", "land-use survey or plan polygons (三调 / 用地用海 / GB 50137 codes)"},
	{"inner", 0, "M", "minimum belt width, metres (default 30)"},
	{"outer", 0, "M", "full belt width, metres (default 50)"},
	{"segments", 0, "SEGOUT", "write the clear width per stretch of bank here"},
	{"segment-length", 0, "M", "stretch length along the line, metres (default 100)"},
	{"min-area", 0, "M2", "smallest overlap reported, m² (default 0.01)"},
	{"piece-size", 0, "M", "bands are cut on a grid of this size, metres (default 250)"},
	{"landuse-table", 0, "CSV", "user land-use table that overrides or adds codes"},
	{"engine", 0, "E", "local (default), or postgis: both inputs PG:...#table on one server, the work done there as SQL (no --segments)"},
	{NULL, 0, NULL, NULL},
};

struct rb_opts {
	const char *boundary, *parcels, *segments, *landuse_table, *engine;
	double inner, outer, seg_len, min_area, piece;
};

static int positive(cli *c, const char *name, const char *arg, double *v)
{
	if (cli_number(c, name, arg, v))
		return 1;
	if (!(*v > 0))
		return cli_usage_error(c, "%s must be more than 0 metres (got '%s')", name, arg) != 0;
	return 0;
}

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct rb_opts *o = ud;
	if (!strcmp(name, "boundary"))
		o->boundary = arg;
	else if (!strcmp(name, "parcels"))
		o->parcels = arg;
	else if (!strcmp(name, "segments"))
		o->segments = arg;
	else if (!strcmp(name, "landuse-table"))
		o->landuse_table = arg;
	else if (!strcmp(name, "engine")) {
		if (strcmp(arg, "local") && strcmp(arg, "postgis"))
			return cli_usage_error(c, "--engine must be local or postgis (got '%s')", arg) != 0;
		o->engine = arg;
	}
	else if (!strcmp(name, "inner"))
		return positive(c, "--inner", arg, &o->inner);
	else if (!strcmp(name, "outer"))
		return positive(c, "--outer", arg, &o->outer);
	else if (!strcmp(name, "segment-length"))
		return positive(c, "--segment-length", arg, &o->seg_len);
	else if (!strcmp(name, "piece-size"))
		return positive(c, "--piece-size", arg, &o->piece);
	else if (!strcmp(name, "min-area")) {
		if (cli_number(c, "--min-area", arg, &o->min_area))
			return 1;
		if (o->min_area < 0)
			return cli_usage_error(c, "--min-area must be 0 or more square metres (got '%s')", arg) != 0;
	}
	return 0;
}

static void json_bands(lg_buf *j, const lg_riverbuf_opts *ro, const double v[2])
{
	char b0[64], b1[64];
	lg_buf_puts(j, "{");
	lg_buf_json_str(j, lg_riverbuf_band_label(ro, 0, b0, sizeof b0));
	lg_buf_printf(j, ":%.4f,", v[0]);
	lg_buf_json_str(j, lg_riverbuf_band_label(ro, 1, b1, sizeof b1));
	lg_buf_printf(j, ":%.4f}", v[1]);
}

int cmd_riverbuf(int argc, char **argv)
{
	cli c;
	struct rb_opts oo = {0};
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_rows_opts rwo;
	lg_layer *water = NULL, *out = NULL, *segs = NULL, *pschema = NULL;
	lg_rows *parcels = NULL;
	lg_landuse *lu = NULL;
	lg_crs *work = NULL;
	lg_riverbuf_opts opt = {0};
	lg_riverbuf_summary sum = {0};
	lg_write_opts wo = {0};
	lg_status st;
	lg_buf j;
	char b0[64], b1[64];

	oo.inner = 30;
	oo.outer = 50;
	oo.seg_len = 100;
	oo.min_area = 0.01;
	oo.piece = 250;
	if ((rc = cli_init(&c, "riverbuf")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &oo,
		       pos, 0, &npos, &done);
	if (rc || done)
		goto out;
	if (!oo.boundary || !oo.parcels || !c.out) {
		rc = cli_usage_error(&c, "give --boundary, --parcels and -o OUT");
		goto out;
	}
	if (oo.inner >= oo.outer) {
		rc = cli_usage_error(&c, "--inner (%g m) must be less than --outer (%g m)", oo.inner,
				     oo.outer);
		goto out;
	}
	bool pushdown = oo.engine && !strcmp(oo.engine, "postgis");
	if (pushdown && (!lg_pg_source(oo.boundary) || !lg_pg_source(oo.parcels))) {
		rc = cli_usage_error(&c, "--engine postgis needs --boundary and --parcels as "
				     "PG:...#table on one server");
		goto out;
	}
	if (pushdown && oo.segments) {
		rc = cli_usage_error(&c, "--segments is computed by the local engine only; drop "
				     "--engine postgis or --segments");
		goto out;
	}
	/* Every output checked first: a bad --segments path must not fail
	 * after OUT is written. */
	if ((st = lg_output_prepare(c.ctx, c.out)) ||
	    (oo.segments && (st = lg_output_prepare(c.ctx, oo.segments))))
		goto fail;
	double t = cli_phase(NULL, 0);
	if ((st = lg_landuse_load(c.ctx, oo.landuse_table, &lu)))
		goto fail;
	if (pushdown) {
		size_t nb = 0, np = 0;
		lg_pg_riverbuf pr = {0};
		lg_pg_riverbuf_opts po = {.inner_m = oo.inner, .outer_m = oo.outer};
		cli_read_opts(&c, "boundary", &ro);
		if ((st = lg_pg_schema(c.ctx, oo.boundary, &ro, &water, &nb)))
			goto fail;
		cli_read_opts(&c, "parcels", &ro);
		if ((st = lg_pg_schema(c.ctx, oo.parcels, &ro, &pschema, &np)))
			goto fail;
		if (!water->crs || !pschema->crs) {
			st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS on the server; set the "
					  "geometry column's SRID", water->crs ? oo.parcels : oo.boundary);
			goto fail;
		}
		if ((st = cli_work_crs(&c, water, &work)))
			goto fail;
		if (water->role[LG_ROLE_NAME] < 0)
			lg_ctx_warn(c.ctx, "'%s' has no name field (name, DKMC ...); each feature is "
				    "its own water named '#FID'; name the field with "
				    "--boundary-name-field", oo.boundary);
		t = cli_phase("read", t);
		if ((st = lg_pg_riverbuf_pairs(c.ctx, oo.boundary, oo.parcels, water, pschema, work,
					       &po, &pr, NULL)))
			goto fail;
		t = cli_phase("postgis", t);
		opt.inner_m = oo.inner;
		opt.outer_m = oo.outer;
		opt.segment_m = oo.seg_len;
		opt.min_area_m2 = oo.min_area;
		opt.landuse = lu;
		st = lg_riverbuf_from_pairs(c.ctx, &pr.pairs, pr.dist_m,
					    (const char *const *)pr.names, pr.band_m2, pr.nwaters,
					    pschema, np, "postgis", work, &opt, &out, &sum);
		sum.boundary_features = nb;
		lg_pg_riverbuf_release(&pr);
		if (st)
			goto fail;
		t = cli_phase("riverbuf", t);
		goto write;
	}
	cli_read_opts(&c, "boundary", &ro);
	if ((st = lg_layer_read(c.ctx, oo.boundary, &ro, &water)))
		goto fail;
	memset(&rwo, 0, sizeof rwo);
	cli_read_opts(&c, "parcels", &rwo.read);
	if ((st = lg_rows_open(c.ctx, oo.parcels, &rwo, &parcels)))
		goto fail;
	const lg_layer *ps = lg_rows_schema(parcels);
	if (!ps->crs) {
		st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS and no features to guess one "
				  "from; give --s-srs", oo.parcels);
		goto fail;
	}
	if (!water->crs) {
		st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", oo.boundary);
		goto fail;
	}
	if (!c.work_srs && !isfinite(water->minx)) {
		/* Empty: a wrong file or layer, and no extent for the work CRS. */
		st = lg_ctx_error(c.ctx, LG_INPUT, "'%s' has no features with geometry; check "
				  "that it is the right file and layer (PATH#LAYER)", oo.boundary);
		goto fail;
	}
	if ((st = cli_work_crs(&c, water, &work)))
		goto fail;
	if ((st = lg_layer_reproject(c.ctx, water, work)))
		goto fail;
	if (ps->role[LG_ROLE_ID] < 0)
		lg_ctx_warn(c.ctx, "'%s' has no id field (BSM, DKBH, id ...); parcel ids are FIDs; "
			    "name one with --parcels-id-field", oo.parcels);
	if (ps->role[LG_ROLE_CODE] < 0)
		lg_ctx_warn(c.ctx, "'%s' has no land-use code field (DLBM, YDYHFLDM ...); nothing "
			    "counts as construction land; name it with --parcels-code-field",
			    oo.parcels);
	opt.inner_m = oo.inner;
	opt.outer_m = oo.outer;
	opt.segment_m = oo.seg_len;
	opt.piece_m = oo.piece;
	opt.min_area_m2 = oo.min_area;
	opt.landuse = lu;
	opt.segments = oo.segments != NULL;
	t = cli_phase("read", t);
	if ((st = lg_riverbuf_run(c.ctx, water, parcels, work, &opt, &out, &segs, &sum)))
		goto fail;
	t = cli_phase("riverbuf", t);
write:
	wo.driver = c.driver;
	wo.t_srs = c.t_srs;
	wo.no_spatial_index = c.no_spatial_index;
	wo.layer_name = "riverbuf";
	if ((st = lg_layer_write(c.ctx, out, c.out, &wo)))
		goto fail;
	if (segs) {
		wo.layer_name = "segments";
		wo.driver = NULL; /* -f names the main output's driver */
		if ((st = lg_layer_write(c.ctx, segs, oo.segments, &wo)))
			goto fail;
	}
	t = cli_phase("write", t);

	lg_riverbuf_band_label(&opt, 0, b0, sizeof b0);
	lg_riverbuf_band_label(&opt, 1, b1, sizeof b1);
	if (!c.json) {
		fprintf(stderr, "水体 waters: %zu   地块 parcels: %zu   缓冲带内地块 in bands: %zu   "
			"建设用地占用地块 construction parcels: %zu\n",
			sum.nwaters, sum.parcels, sum.parcels_in_bands, sum.conflict_parcels);
		for (size_t i = 0; i < sum.nwaters; i++) {
			const lg_riverbuf_water *w = &sum.waters[i];
			fprintf(stderr,
				"%s: %s m 带 %.0f m², 建设用地 %.0f m²; %s m 带 %.0f m², 建设用地 %.0f m²; "
				"岸线 %.2f km, 达到 %g m 的 %.2f km (%.0f%%)\n",
				w->name, b0, w->band_m2[0], w->conflict_m2[0], b1, w->band_m2[1],
				w->conflict_m2[1], w->bank_m / 1000, opt.inner_m, w->meets_m / 1000,
				w->bank_m > 0 ? 100 * w->meets_m / w->bank_m : 0);
		}
		fprintf(stderr, "written: %s%s%s\n", c.out, segs ? ", " : "",
			segs ? oo.segments : "");
	}
	lg_buf_init(&j);
	lg_buf_printf(&j, "{\"inner_m\":%g,\"outer_m\":%g,\"segment_m\":%g,\"boundary_features\":%zu,"
		      "\"parcels\":%zu,\"rows\":%zu,\"parcels_in_bands\":%zu,\"conflict_rows\":%zu,"
		      "\"conflict_parcels\":%zu,\"band_m2\":",
		      opt.inner_m, opt.outer_m, opt.segment_m, sum.boundary_features, sum.parcels,
		      sum.rows, sum.parcels_in_bands, sum.conflict_rows, sum.conflict_parcels);
	json_bands(&j, &opt, sum.band_m2);
	lg_buf_puts(&j, ",\"occupied_m2\":");
	json_bands(&j, &opt, sum.occupied_m2);
	lg_buf_puts(&j, ",\"conflict_m2\":");
	json_bands(&j, &opt, sum.conflict_m2);
	lg_buf_printf(&j, ",\"bank_km\":%.4f,\"bank_km_meeting_min\":%.4f,\"stretches\":%zu,"
		      "\"stretches_meeting_min\":%zu,\"waters\":[",
		      sum.bank_m / 1000, sum.meets_m / 1000, sum.stretches, sum.stretches_meeting);
	for (size_t i = 0; i < sum.nwaters; i++) {
		const lg_riverbuf_water *w = &sum.waters[i];
		lg_buf_puts(&j, i ? ",{\"name\":" : "{\"name\":");
		lg_buf_json_str(&j, w->name);
		lg_buf_puts(&j, ",\"band_m2\":");
		json_bands(&j, &opt, w->band_m2);
		lg_buf_puts(&j, ",\"occupied_m2\":");
		json_bands(&j, &opt, w->occupied_m2);
		lg_buf_puts(&j, ",\"conflict_m2\":");
		json_bands(&j, &opt, w->conflict_m2);
		lg_buf_printf(&j, ",\"conflict_total_m2\":%.4f,\"rows\":%zu,\"conflict_rows\":%zu,"
			      "\"bank_km\":%.4f,\"bank_km_meeting_min\":%.4f,\"stretches\":%zu,"
			      "\"stretches_meeting_min\":%zu}",
			      w->conflict_m2[0] + w->conflict_m2[1], w->rows, w->conflict_rows,
			      w->bank_m / 1000, w->meets_m / 1000, w->stretches, w->stretches_meeting);
	}
	lg_buf_puts(&j, "],\"code_system\":");
	if (sum.code_system)
		lg_buf_json_str(&j, sum.code_system);
	else
		lg_buf_puts(&j, "null");
	lg_buf_printf(&j, ",\"unknown_codes\":%zu,\"work_crs\":", sum.unknown_codes);
	lg_buf_json_str(&j, lg_crs_id(work));
	lg_buf_printf(&j, ",\"read\":\"%s\",\"pieces\":%zu,\"rows_parsed\":%zu,\"shortcuts\":%zu,"
		      "\"intersections\":%zu,\"threads\":%d,\"outputs\":[",
		      sum.strategy ? sum.strategy : "", sum.pieces, sum.rows_parsed, sum.shortcuts, sum.intersections,
		      lg_ctx_threads(c.ctx));
	lg_buf_json_str(&j, c.out);
	if (segs) {
		lg_buf_puts(&j, ",");
		lg_buf_json_str(&j, oo.segments);
	}
	lg_buf_puts(&j, "]}");
	rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_riverbuf_summary_release(&sum);
	lg_layer_destroy(c.ctx, out);
	lg_layer_destroy(c.ctx, segs);
	lg_layer_destroy(c.ctx, water);
	lg_layer_destroy(c.ctx, pschema);
	lg_rows_close(c.ctx, parcels);
	lg_crs_destroy(work);
	lg_landuse_destroy(lu);
	cli_release(&c);
	return rc;
}
