/* overlay: hand-made rectangles with overlaps computed by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"

/* Everything sits at (500000, 3940000) in EPSG:4546; X and Y below are
 * offsets from there, in metres. */
#define X0 500000
#define Y0 3940000

static char *rect(int x0, int y0, int x1, int y1)
{
	static char buf[16][256];
	static int k;
	char *s = buf[k++ & 15];
	snprintf(s, 256, "POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))", X0 + x0, Y0 + y0, X0 + x1,
		 Y0 + y0, X0 + x1, Y0 + y1, X0 + x0, Y0 + y1, X0 + x0, Y0 + y0);
	return s;
}


/* Sites, as a register arrives: CSV with WKT, stages in Chinese. */
static const char *sites_csv(void)
{
	static char buf[4096];
	const char *p = lg_test_tmp("sites.csv");
	snprintf(buf, sizeof buf,
		 "DKBH,DKMC,stage,WKT\n"
		 "S1,焦化厂,列入名录,\"%s\"\n"
		 "S3,化工厂,调查后非污染地块,\"POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d),(%d %d,%d %d,%d %d,%d %d,%d %d))\"\n"
		 "S4,农药厂,polluted,\"POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))\"\n"
		 "S5,电镀厂,疑似污染地块,\"%s\"\n"
		 "S6,制革厂,suspected,\"%s\"\n",
		 rect(0, 0, 100, 100),
		 /* S3: 200 m square with a 100 m hole: 30 000 m² */
		 X0 + 200, Y0 + 200, X0 + 400, Y0 + 200, X0 + 400, Y0 + 400, X0 + 200, Y0 + 400, X0 + 200, Y0 + 200,
		 X0 + 250, Y0 + 250, X0 + 350, Y0 + 250, X0 + 350, Y0 + 350, X0 + 250, Y0 + 350, X0 + 250, Y0 + 250,
		 /* S4: a bow-tie, repaired into two 2500 m² triangles */
		 X0 + 500, Y0 + 0, X0 + 600, Y0 + 100, X0 + 600, Y0 + 0, X0 + 500, Y0 + 100, X0 + 500, Y0 + 0,
		 rect(700, 0, 800, 100), rect(900, 0, 1000, 100));
	lg_test_write_file(p, buf);
	return p;
}

static const char *plan_gpkg(void)
{
	static char path[512];
	const char *csv = lg_test_tmp("plan.csv");
	char buf[4096], cmd[2048];
	snprintf(buf, sizeof buf,
		 "id,YDYHFLDM,YDYHFLMC,WKT\n"
		 "1,0701,城镇住宅用地,\"%s\"\n"  /* half of S1: 5000 */
		 "2,1001,工业用地,\"%s\"\n"      /* other half of S1: 5000 */
		 "3,0701,城镇住宅用地,\"%s\"\n"  /* touches S1 at a corner only */
		 "8,0901,商业用地,\"%s\"\n"      /* shares S1's east edge only */
		 "6,080403,中小学用地,\"%s\"\n"  /* inside S3's ring: 400 */
		 "7,080403,中小学用地,\"%s\"\n"  /* over S3's hole: 14400-10000 */
		 "9,0702,城镇社区服务设施用地,\"%s\"\n" /* left triangle of S4: 2500 */
		 "10,R2,二类居住用地,\"%s\"\n"   /* GB 50137 code in the same layer */
		 "11,08H2,科教文卫用地,\"%s\"\n" /* 三调 code */
		 "12,ZZ99,,\"%s\"\n",            /* a code no table knows */
		 rect(0, 0, 50, 100), rect(50, 0, 100, 100), rect(100, 100, 200, 200),
		 rect(100, 0, 120, 100), rect(300, 210, 320, 230), rect(240, 240, 360, 360),
		 rect(500, 0, 550, 100), rect(700, 0, 750, 100), rect(750, 0, 800, 100),
		 rect(900, 0, 1000, 100));
	lg_test_write_file(csv, buf);
	snprintf(path, sizeof path, "%s", lg_test_tmp("plan.gpkg"));
	snprintf(cmd, sizeof cmd,
		 "ogr2ogr -q -f GPKG -a_srs EPSG:4546 -nln plan %s %s -oo GEOM_POSSIBLE_NAMES=WKT "
		 "-oo KEEP_GEOM_COLUMNS=NO",
		 path, csv);
	ck_assert_int_eq(system(cmd), 0);
	return path;
}

typedef struct run {
	lg_layer *out;
	lg_overlay_summary sum;
} run;

static void do_overlay(run *r, bool fast, int threads)
{
	lg_read_opts ro = {0};
	lg_rows_opts rwo = {0};
	lg_layer *sites = NULL;
	lg_rows *plan = NULL;
	lg_landuse *lu = NULL;
	lg_crs *work = NULL;
	lg_overlay_opts o = {0};
	ro.s_srs = "EPSG:4546";
	ck_assert_int_eq(lg_layer_read(T, sites_csv(), &ro, &sites), LG_OK);
	ck_assert_uint_eq(sites->nrepaired, 1);
	rwo.no_fast_path = !fast;
	ck_assert_int_eq(lg_rows_open(T, plan_gpkg(), &rwo, &plan), LG_OK);
	ck_assert_str_eq(lg_rows_strategy(plan), fast ? "gpkg-sqlite" : "ogr");
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &work), LG_OK);
	lg_ctx_set_threads(T, threads);
	o.landuse = lu;
	ck_assert_msg(lg_overlay_run(T, sites, plan, work, &o, &r->out, &r->sum) == LG_OK, "%s",
		      lg_ctx_errmsg(T));
	lg_crs_destroy(work);
	lg_landuse_destroy(lu);
	lg_rows_close(T, plan);
	lg_layer_destroy(T, sites);
}

static const char *col(const lg_layer *l, size_t row, const char *name)
{
	return lg_feature_text(l, &l->feat[row], lg_layer_field(l, name));
}

static double num(const lg_layer *l, size_t row, const char *name)
{
	return atof(col(l, row, name));
}

/* Expected rows, by site then plan id (natural order): */
static const struct {
	const char *site, *plan, *use_class;
	int yzlg, conflict;
	double m2, share;
} want[] = {
	{"S1", "1", "residential", 1, 1, 5000, 0.5},
	{"S1", "2", "industrial", 0, 0, 5000, 0.5},
	{"S3", "6", "public_service", 1, 0, 400, 400.0 / 30000},
	{"S3", "7", "public_service", 1, 0, 4400, 4400.0 / 30000},
	{"S4", "9", "residential", 1, 1, 2500, 0.5}, /* 2023 0702: 07 居住用地 */
	{"S5", "10", "residential", 1, 1, 5000, 0.5},
	{"S5", "11", "public_service", 1, 1, 5000, 0.5},
	{"S6", "12", "unknown", 0, 0, 10000, 1.0},
};

static void check_rows(lg_layer *out)
{
	ck_assert_uint_eq(out->n, (sizeof want / sizeof want[0]));
	for (size_t i = 0; i < out->n; i++) {
		ck_assert_str_eq(col(out, i, "site_id"), want[i].site);
		ck_assert_str_eq(col(out, i, "plan_id"), want[i].plan);
		ck_assert_str_eq(col(out, i, "use_class"), want[i].use_class);
		ck_assert_int_eq((int)num(out, i, "yzlg"), want[i].yzlg);
		ck_assert_int_eq((int)num(out, i, "conflict"), want[i].conflict);
		ck_assert_double_eq_tol(num(out, i, "overlap_m2"), want[i].m2, 0.01);
		ck_assert_double_eq_tol(num(out, i, "overlap_mu"), want[i].m2 * 15 / 10000, 1e-5);
		ck_assert_double_eq_tol(num(out, i, "site_share"), want[i].share, 1e-6);
		/* Near the central meridian the ellipsoid differs by far less
		 * than 0.1 %. */
		ck_assert_double_eq_tol(num(out, i, "overlap_ellps_m2"), want[i].m2, want[i].m2 * 1e-3);
		double a = 0;
		ck_assert(GEOSArea_r(lg_test_geos(), lg_feature_geom(T, &out->feat[i]), &a));
		ck_assert_double_eq_tol(a, want[i].m2, 0.01);
	}
	ck_assert_str_eq(col(out, 0, "site_stage"), "listed");
	ck_assert_str_eq(col(out, 0, "site_name"), "焦化厂");
	ck_assert_double_eq_tol(num(out, 2, "site_area_m2"), 30000, 0.01);
}

START_TEST(overlay_rectangles_fast_path)
{
	run r = {0};
	do_overlay(&r, true, 2);
	check_rows(r.out);
	ck_assert_uint_eq(r.sum.pairs, 8);
	ck_assert_uint_eq(r.sum.sites, 5);
	ck_assert_uint_eq(r.sum.sites_overlapping, 5);
	ck_assert_uint_eq(r.sum.conflict_sites, 3); /* S1, S4, S5 */
	ck_assert_double_eq_tol(r.sum.overlap_m2, 5000 + 5000 + 400 + 4400 + 2500 + 5000 + 5000 + 10000, 0.01);
	ck_assert_double_eq_tol(r.sum.conflict_m2, 5000 + 2500 + 10000, 0.01);
	ck_assert_uint_eq(r.sum.unknown_codes, 1);
	/* Plan 6 lies wholly inside S3: no intersection was computed for it. */
	ck_assert_uint_ge(r.sum.shortcuts, 1);
	lg_layer_destroy(T, r.out);
}
END_TEST

/* The sink of the parts test: appends every row to one layer, counts the
 * parts, and writes them to a GeoPackage in parts as landguard overlay
 * does. */
typedef struct parts_sink {
	lg_layer *all;
	int nparts;
	size_t first_part;
	lg_layer_out *w;
	const char *path;
} parts_sink;

static lg_status collect_part(lg_ctx *ctx, lg_layer *part, void *ud)
{
	parts_sink *ps = ud;
	lg_status st;
	if (!ps->w && (st = lg_layer_out_open(ctx, part, ps->path, NULL, &ps->w)))
		return st;
	if ((st = lg_layer_out_add(ctx, ps->w, part)))
		return st;
	if (!ps->all && (st = lg_layer_create(ctx, "all", part->fields, part->nfields, &ps->all)))
		return st;
	for (size_t i = 0; i < part->n; i++) {
		lg_feature *f;
		if ((st = lg_layer_add(ctx, ps->all, &f)))
			return st;
		for (size_t j = 0; j < part->nfields; j++)
			if ((st = lg_feature_set_str(ctx, ps->all, f, j,
						     lg_feature_text(part, &part->feat[i], (int)j))))
				return st;
		/* the overlap as WKB, parsed later in the test's own handle */
		const lg_feature *pf = &part->feat[i];
		if (pf->wkb) {
			f->wkb = malloc(pf->wkb_len);
			if (!f->wkb)
				return LG_NOMEM;
			memcpy(f->wkb, pf->wkb, pf->wkb_len);
			f->wkb_len = pf->wkb_len;
		}
	}
	if (!ps->nparts++)
		ps->first_part = part->n;
	return LG_OK;
}

/* The overlay in parts (the plan's code field YDYHFLDM names its system):
 * the hand-checked rows, in order, the same totals, and a GeoPackage
 * written in parts that reads back as the same rows. */
START_TEST(overlay_in_parts_same_rows)
{
	/* Two parts (the default), then three (LG_OVERLAY_PARTS=3). */
	static const struct {
		const char *parts;
		int nparts;
		size_t first; /* rows of the first part, by hand */
	} runs[] = {
		/* 72 % of the sites before the last part (part_bound) */
		{NULL, 2, 5}, /* S1 S3 S4 | S5 S6: plans 1, 2, 6, 7, 9 first */
		{"3", 3, 2},  /* S1 | S3 S4 | S5 S6: plans 1, 2 first */
	};
	for (size_t r = 0; r < 2; r++) {
		lg_read_opts ro = {0};
		lg_rows_opts rwo = {0};
		lg_layer *sites = NULL, *back = NULL;
		lg_rows *plan = NULL;
		lg_landuse *lu = NULL;
		lg_crs *work = NULL;
		lg_overlay_opts o = {0};
		lg_overlay_summary sum;
		parts_sink ps = {0};
		ps.path = lg_test_tmp(r ? "parts3.gpkg" : "parts2.gpkg");
		ro.s_srs = "EPSG:4546";
		ck_assert_int_eq(lg_layer_read(T, sites_csv(), &ro, &sites), LG_OK);
		ck_assert_int_eq(lg_rows_open(T, plan_gpkg(), &rwo, &plan), LG_OK);
		ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
		ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &work), LG_OK);
		lg_ctx_set_threads(T, 2);
		o.landuse = lu;
		if (runs[r].parts)
			setenv("LG_OVERLAY_PARTS", runs[r].parts, 1);
		lg_status st = lg_overlay_run_parts(T, sites, plan, work, &o, collect_part, &ps, &sum);
		unsetenv("LG_OVERLAY_PARTS");
		ck_assert_msg(st == LG_OK, "%s", lg_ctx_errmsg(T));
		ck_assert_int_eq(lg_layer_out_close(T, ps.w, true), LG_OK);
		ck_assert_int_eq(ps.nparts, runs[r].nparts);
		ck_assert_uint_eq(ps.first_part, runs[r].first);
		check_rows(ps.all);
		ck_assert_uint_eq(sum.pairs, 8);
		ck_assert_uint_eq(sum.sites, 5);
		ck_assert_uint_eq(sum.sites_overlapping, 5);
		ck_assert_uint_eq(sum.conflict_sites, 3);
		ck_assert_double_eq_tol(sum.conflict_m2, 5000 + 2500 + 10000, 0.01);
		ck_assert_uint_eq(sum.unknown_codes, 1);
		ck_assert_str_eq(sum.plan_system, "用地用海分类 2023");
		/* The file: the same rows, fids 1..8 in order. */
		ck_assert_int_eq(lg_layer_read(T, ps.path, NULL, &back), LG_OK);
		check_rows(back);
		for (size_t i = 0; i < back->n; i++)
			ck_assert_int_eq(back->feat[i].fid, (int64_t)i + 1);
		lg_layer_destroy(T, back);
		lg_layer_destroy(T, ps.all);
		lg_crs_destroy(work);
		lg_landuse_destroy(lu);
		lg_rows_close(T, plan);
		lg_layer_destroy(T, sites);
	}
}
END_TEST

START_TEST(overlay_generic_path_same_rows)
{
	run r = {0};
	do_overlay(&r, false, 1);
	check_rows(r.out);
	lg_layer_destroy(T, r.out);
}
END_TEST

START_TEST(overlay_independent_of_threads)
{
	run a = {0}, b = {0};
	do_overlay(&a, true, 1);
	do_overlay(&b, true, 4);
	ck_assert_uint_eq(a.out->n, b.out->n);
	for (size_t i = 0; i < a.out->n; i++)
		for (size_t j = 0; j < a.out->nfields; j++)
			ck_assert_str_eq(lg_feature_text(a.out, &a.out->feat[i], (int)j),
					 lg_feature_text(b.out, &b.out->feat[i], (int)j));
	lg_layer_destroy(T, a.out);
	lg_layer_destroy(T, b.out);
}
END_TEST

/* Plan ids need not be unique (a layer merged from two surveys): rows of
 * one site with the same plan id come in FID order, whatever order the
 * engine's threads finished them in.  1000 rows (four batches) all named
 * "D", 1 m wide, heights 1 + (i mod 50) / 2 m: the areas spell the order. */
START_TEST(equal_plan_ids_in_fid_order)
{
	const char *sites = lg_test_tmp("s.csv"), *csv = lg_test_tmp("p.csv");
	const char *gpkg = lg_test_tmp("p.gpkg");
	char cmd[2048];
	FILE *f = fopen(csv, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "id,YDYHFLDM,WKT\n");
	for (int i = 0; i < 1000; i++) {
		double h = 1 + (i % 50) * 0.5;
		int x = X0 + 2 * i;
		fprintf(f, "D,0701,\"POLYGON((%d %d,%d %d,%d %.1f,%d %.1f,%d %d))\"\n", x, Y0, x + 1,
			Y0, x + 1, Y0 + h, x, Y0 + h, x, Y0);
	}
	fclose(f);
	snprintf(cmd, sizeof cmd,
		 "ogr2ogr -q -f GPKG -a_srs EPSG:4546 -nln plan %s %s -oo GEOM_POSSIBLE_NAMES=WKT "
		 "-oo KEEP_GEOM_COLUMNS=NO",
		 gpkg, csv);
	ck_assert_int_eq(system(cmd), 0);
	char sb[512];
	snprintf(sb, sizeof sb, "DKBH,stage,WKT\nS,suspected,\"%s\"\n", rect(-10, -10, 2010, 100));
	lg_test_write_file(sites, sb);
	for (int threads = 1; threads <= 4; threads += 3) {
		lg_read_opts ro = {.s_srs = "EPSG:4546"};
		lg_rows_opts rwo = {0};
		lg_layer *sl = NULL, *out = NULL;
		lg_rows *plan = NULL;
		lg_landuse *lu = NULL;
		lg_crs *work = NULL;
		lg_overlay_opts o = {0};
		lg_overlay_summary sum;
		ck_assert_int_eq(lg_layer_read(T, sites, &ro, &sl), LG_OK);
		ck_assert_int_eq(lg_rows_open(T, gpkg, &rwo, &plan), LG_OK);
		ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
		ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &work), LG_OK);
		lg_ctx_set_threads(T, threads);
		o.landuse = lu;
		ck_assert_int_eq(lg_overlay_run(T, sl, plan, work, &o, &out, &sum), LG_OK);
		ck_assert_uint_eq(out->n, 1000);
		for (size_t k = 0; k < 1000; k++)
			ck_assert_double_eq_tol(num(out, k, "overlap_m2"), 1 + (double)(k % 50) * 0.5,
						1e-6);
		lg_layer_destroy(T, out);
		lg_crs_destroy(work);
		lg_landuse_destroy(lu);
		lg_rows_close(T, plan);
		lg_layer_destroy(T, sl);
	}
}
END_TEST

/* Integer plan ids reach the pairs as the same decimal text whether the
 * GeoPackage is read through SQLite or through OGR: negative, zero and
 * the int64 extremes included. */
START_TEST(integer_ids_same_text_both_paths)
{
	static const char *ids[] = {"-5", "0", "9223372036854775807", "-9223372036854775808",
				    "42"};
	const char *csv = lg_test_tmp("ints.csv"), *gpkg = lg_test_tmp("ints.gpkg");
	char buf[2048], cmd[1400];
	size_t k = 0;
	k += (size_t)snprintf(buf + k, sizeof buf - k, "id,WKT\n");
	for (int i = 0; i < 5; i++)
		k += (size_t)snprintf(buf + k, sizeof buf - k, "%s,\"%s\"\n", ids[i],
				      rect(10 * i, 0, 10 * i + 5, 5));
	lg_test_write_file(csv, buf);
	snprintf(cmd, sizeof cmd,
		 "ogr2ogr -q -f GPKG -a_srs EPSG:4546 -nln plan %s %s -oo GEOM_POSSIBLE_NAMES=WKT "
		 "-oo KEEP_GEOM_COLUMNS=NO -oo AUTODETECT_TYPE=YES && "
		 "test \"$(sqlite3 %s 'SELECT typeof(id) FROM plan LIMIT 1')\" = integer",
		 gpkg, csv, gpkg);
	ck_assert_int_eq(system(cmd), 0);
	for (int fast = 0; fast < 2; fast++) {
		lg_rows_opts o = {0};
		lg_rows *r = NULL;
		lg_row_batch b = {0};
		o.no_fast_path = !fast;
		ck_assert_int_eq(lg_rows_open(T, gpkg, &o, &r), LG_OK);
		ck_assert_str_eq(lg_rows_strategy(r), fast ? "gpkg-sqlite" : "ogr");
		ck_assert_int_eq(lg_rows_next(T, r, &b, 100), LG_OK);
		ck_assert_uint_eq(b.n, 5);
		for (size_t i = 0; i < 5; i++)
			ck_assert_str_eq(b.rows[i].id, ids[i]);
		lg_row_batch_free(&b);
		lg_rows_close(T, r);
	}
}
END_TEST

START_TEST(unknown_stage_is_an_error)
{
	const char *p = lg_test_tmp("bad.csv");
	lg_read_opts ro = {0};
	lg_layer *sites = NULL;
	lg_stage *st = NULL;
	char buf[512];
	snprintf(buf, sizeof buf, "DKBH,stage,WKT\nS9,修好了,\"%s\"\n", rect(0, 0, 10, 10));
	lg_test_write_file(p, buf);
	ro.s_srs = "EPSG:4546";
	ck_assert_int_eq(lg_layer_read(T, p, &ro, &sites), LG_OK);
	ck_assert_int_eq(lg_sites_stages(T, sites, false, LG_STAGE_SUSPECTED, &st), LG_CODE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "'修好了'"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "S9"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), p));
	lg_layer_destroy(T, sites);
}
END_TEST

START_TEST(id_order_is_natural)
{
	ck_assert_int_lt(lg_id_cmp("9", "10"), 0);
	ck_assert_int_lt(lg_id_cmp("009", "10"), 0);
	ck_assert_int_eq(lg_id_cmp("007", "7"), 0);
	ck_assert_int_lt(lg_id_cmp("S9", "S10"), 0);
	ck_assert_int_lt(lg_id_cmp("140825-GD-2", "140825-GD-10"), 0);
	ck_assert_int_lt(lg_id_cmp("GD-2a", "GD-2b"), 0);
	ck_assert_int_gt(lg_id_cmp("GD-2", "GD"), 0);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("overlay");
	TCase *tc = tcase_create("overlay");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, overlay_rectangles_fast_path);
	tcase_add_test(tc, overlay_generic_path_same_rows);
	tcase_add_test(tc, overlay_independent_of_threads);
	tcase_add_test(tc, overlay_in_parts_same_rows);
	tcase_add_test(tc, equal_plan_ids_in_fid_order);
	tcase_add_test(tc, integer_ids_same_text_both_paths);
	tcase_add_test(tc, unknown_stage_is_an_error);
	tcase_add_test(tc, id_order_is_natural);
	suite_add_tcase(s, tc);
	return lg_test_run(s);
}
