/* gwzone: HJ 338 zones round hand-placed wells, areas by arithmetic. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"

/* EPSG:4546 (CGCS2000 GK CM 111E, no zone prefix); offsets from here. */
#define X0 500000.0
#define Y0 3940000.0
#define SEGS 32 /* per quarter: a 128-gon */

/* Area of the regular n-gon inscribed in a circle of radius r — what
 * GEOSBuffer_r draws with SEGS segments per quarter. */
static double ngon(double r)
{
	const int n = 4 * SEGS;
	return 0.5 * n * r * r * sin(2 * M_PI / n);
}

/* How much a circle's inscribed polygon misses of it. */
static double deficit(double r)
{
	return M_PI * r * r - ngon(r);
}

/* Lens shared by two circles of radius r at distance d. */
static double lens(double r, double d)
{
	return 2 * r * r * acos(d / (2 * r)) - d / 2 * sqrt(4 * r * r - d * d);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/*
 * W1 细砂, table (no K): I 50, II 500 (upper ends).
 * W2 砾石 at 20 km east: I 500, II 5000.
 * W3 承压水 卵石 at 20 km north: level I 1000 only.
 * W4, W5 细砂 60 m apart at 40 km east, no field: merged zones.
 * W6 细砂 with K=10, I=0.005, n=0.2 at 60 km east: formula 37.5 / 375.
 * W7, W8 细砂 200 m apart, field F at 80 km east: hull (stadium).
 */
static const char *wells_csv(const char *extra_row)
{
	static char buf[4096];
	const char *p = lg_test_tmp("wells.csv");
	snprintf(buf, sizeof buf,
		 "well_id,aquifer,medium,K,I,n,field,WKT\n"
		 "W1,潜水,细砂,,,,,POINT (%.0f %.0f)\n"
		 "W2,phreatic,gravel,,,,,POINT (%.0f %.0f)\n"
		 "W3,承压水,卵石,200,0.004,0.15,,POINT (%.0f %.0f)\n"
		 "W4,潜水,细砂,,,,,POINT (%.0f %.0f)\n"
		 "W5,潜水,细砂,,,,,POINT (%.0f %.0f)\n"
		 "W6,潜水,细砂,10,0.005,0.2,,POINT (%.0f %.0f)\n"
		 "W7,潜水,细砂,,,,F,POINT (%.0f %.0f)\n"
		 "W8,潜水,细砂,,,,F,POINT (%.0f %.0f)\n%s",
		 X0, Y0, X0 + 20000, Y0, X0, Y0 + 20000, X0 + 40000, Y0, X0 + 40060, Y0,
		 X0 + 60000, Y0, X0 + 80000, Y0, X0 + 80200, Y0, extra_row ? extra_row : "");
	write_file(p, buf);
	return p;
}

typedef struct fx {
	lg_hj338 *t;
	lg_layer *wells;
	lg_crs *work;
	lg_gwzones *z;
} fx;

static lg_status run_zones(fx *f, const char *path, const lg_gwzone_opts *o)
{
	lg_read_opts ro = {0};
	ro.s_srs = "EPSG:4546";
	memset(f, 0, sizeof *f);
	ck_assert_int_eq(lg_hj338_load(T, &f->t), LG_OK);
	ck_assert_int_eq(lg_layer_read(T, path, &ro, &f->wells), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &f->work), LG_OK);
	return lg_gwzone_run(T, f->t, f->wells, f->work, o, &f->z);
}

static void fx_release(fx *f)
{
	lg_gwzones_destroy(T, f->z);
	lg_layer_destroy(T, f->wells);
	lg_crs_destroy(f->work);
	lg_hj338_destroy(f->t);
}

static const char *col(const lg_layer *l, size_t row, const char *name)
{
	int j = lg_layer_field(l, name);
	ck_assert_int_ge(j, 0);
	return lg_feature_text(l, &l->feat[row], j);
}

static double num(const lg_layer *l, size_t row, const char *name)
{
	return atof(col(l, row, name));
}

/* Row of (level, wells); fails when absent. */
static size_t row_of(const lg_layer *l, const char *level, const char *wells)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(col(l, i, "level"), level) && !strcmp(col(l, i, "wells"), wells))
			return i;
	ck_abort_msg("no zone row level %s wells %s", level, wells);
	return 0;
}

static bool has_row(const lg_layer *l, const char *level, const char *wells)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(col(l, i, "level"), level) && !strcmp(col(l, i, "wells"), wells))
			return true;
	return false;
}

START_TEST(fine_sand_gravel_confined_radii_and_areas)
{
	fx f;
	lg_gwzone_opts o = {0};
	ck_assert_msg(run_zones(&f, wells_csv(NULL), &o) == LG_OK, "%s", lg_ctx_errmsg(T));
	const lg_layer *z = f.z->layer;
	ck_assert_int_eq(f.z->quad_segs, SEGS);

	/* 细砂, table, upper end: I 50 m, II 500 m (ring outside I) */
	size_t i = row_of(z, "I", "W1");
	ck_assert_double_eq_tol(num(z, i, "radius_m"), 50, 1e-9);
	ck_assert_double_eq_tol(num(z, i, "area_m2"), ngon(50), 1e-3);
	ck_assert_double_eq_tol(num(z, i, "area_m2"), M_PI * 2500, deficit(50) + 1e-3);
	ck_assert_str_eq(col(z, i, "method"), "table");
	ck_assert_str_eq(col(z, i, "radius_pick"), "upper");
	ck_assert_double_eq_tol(num(z, i, "area_mu"), ngon(50) * 15 / 10000, 1e-5);
	i = row_of(z, "II", "W1");
	ck_assert_double_eq_tol(num(z, i, "radius_m"), 500, 1e-9);
	ck_assert_double_eq_tol(num(z, i, "area_m2"), ngon(500) - ngon(50), 1e-3);

	/* 砾石: I 500 m, II 5000 m */
	i = row_of(z, "I", "W2");
	ck_assert_double_eq_tol(num(z, i, "radius_m"), 500, 1e-9);
	ck_assert_double_eq_tol(num(z, i, "area_m2"), ngon(500), 1e-2);
	i = row_of(z, "II", "W2");
	ck_assert_double_eq_tol(num(z, i, "radius_m"), 5000, 1e-9);
	ck_assert_double_eq_tol(num(z, i, "area_m2"), ngon(5000) - ngon(500), 1.0);

	/* 承压水 卵石: level I from the phreatic table (1000 m), no level II,
	 * although K, I and n are given (they belong to the confined layer) */
	i = row_of(z, "I", "W3");
	ck_assert_double_eq_tol(num(z, i, "radius_m"), 1000, 1e-9);
	ck_assert_str_eq(col(z, i, "method"), "table");
	ck_assert_double_eq_tol(num(z, i, "area_m2"), ngon(1000), 1e-2);
	ck_assert(!has_row(z, "II", "W3"));

	/* formula: 1.5 × 10 × 0.005 × 100 / 0.2 = 37.5; × 1000 d: 375 */
	i = row_of(z, "I", "W6");
	ck_assert_str_eq(col(z, i, "method"), "formula");
	ck_assert_double_eq_tol(num(z, i, "radius_m"), 37.5, 1e-9);
	ck_assert_double_eq_tol(num(z, i, "area_m2"), ngon(37.5), 1e-3);
	i = row_of(z, "II", "W6");
	ck_assert_double_eq_tol(num(z, i, "radius_m"), 375, 1e-9);

	/* no quasi zone for pore water by default */
	ck_assert_uint_eq(f.z->nparts[LG_GWZ_III], 0);
	fx_release(&f);
}
END_TEST

START_TEST(overlapping_wells_merge)
{
	fx f;
	lg_gwzone_opts o = {0};
	ck_assert_msg(run_zones(&f, wells_csv(NULL), &o) == LG_OK, "%s", lg_ctx_errmsg(T));
	const lg_layer *z = f.z->layer;
	/* W4, W5 60 m apart: level I = two 50 m circles less their lens */
	size_t i = row_of(z, "I", "W4,W5");
	double want_i = 2 * M_PI * 2500 - lens(50, 60);
	ck_assert_double_eq_tol(num(z, i, "area_m2"), want_i, 2 * deficit(50));
	i = row_of(z, "II", "W4,W5");
	double want_ii = 2 * M_PI * 250000 - lens(500, 60) - want_i;
	ck_assert_double_eq_tol(num(z, i, "area_m2"), want_ii, 2 * deficit(500) + 2 * deficit(50));
	ck_assert(!has_row(z, "I", "W4") && !has_row(z, "I", "W5"));

	/* W7, W8 of field F, 200 m apart: the hull of their circles is a
	 * stadium, π r² + 2 r d */
	i = row_of(z, "I", "W7,W8");
	ck_assert_double_eq_tol(num(z, i, "area_m2"), M_PI * 2500 + 2 * 50 * 200, deficit(50) + 1e-3);
	fx_release(&f);

	/* --field-merge union: two separate circles, one row each */
	o.group = LG_GWZ_GROUP_UNION;
	ck_assert_int_eq(run_zones(&f, wells_csv(NULL), &o), LG_OK);
	ck_assert(has_row(f.z->layer, "I", "W7") && has_row(f.z->layer, "I", "W8"));
	/* their level II circles (500 m) overlap: one part */
	ck_assert(has_row(f.z->layer, "II", "W7,W8"));
	fx_release(&f);
}
END_TEST

START_TEST(radius_pick_lower_mid)
{
	fx f;
	lg_gwzone_opts o = {0};
	o.pick = LG_GWZ_LOWER;
	ck_assert_int_eq(run_zones(&f, wells_csv(NULL), &o), LG_OK);
	size_t i = row_of(f.z->layer, "I", "W1");
	ck_assert_double_eq_tol(num(f.z->layer, i, "radius_m"), 30, 1e-9);
	ck_assert_str_eq(col(f.z->layer, i, "radius_pick"), "lower");
	/* the formula well does not depend on the pick */
	ck_assert_double_eq_tol(num(f.z->layer, row_of(f.z->layer, "I", "W6"), "radius_m"), 37.5, 1e-9);
	fx_release(&f);
	o.pick = LG_GWZ_MID;
	ck_assert_int_eq(run_zones(&f, wells_csv(NULL), &o), LG_OK);
	i = row_of(f.z->layer, "II", "W1");
	ck_assert_double_eq_tol(num(f.z->layer, i, "radius_m"), 400, 1e-9);
	fx_release(&f);
}
END_TEST

START_TEST(bad_wells)
{
	fx f;
	lg_gwzone_opts o = {0};
	ck_assert_int_eq(run_zones(&f, wells_csv("W9,潜水,泥岩,,,,,POINT (500000 3900000)\n"), &o),
			 LG_CODE);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "well W9: unknown medium '泥岩'"), "%s",
		      lg_ctx_errmsg(T));
	fx_release(&f);
	/* --method formula: W1 has no K */
	o.method = LG_GWZ_FORMULA;
	ck_assert_int_eq(run_zones(&f, wells_csv(NULL), &o), LG_INPUT);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "well W1 (phreatic, fine_sand)") &&
			      strstr(lg_ctx_errmsg(T), "needs K (m/d) above 0"),
		      "%s", lg_ctx_errmsg(T));
	fx_release(&f);
	/* karst water has no table value: the formula needs K */
	o.method = LG_GWZ_AUTO;
	ck_assert_int_eq(run_zones(&f, wells_csv("W9,潜水,岩溶,,0.005,0.1,,POINT (500000 3900000)\n"),
				   &o),
			 LG_INPUT);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "W9") && strstr(lg_ctx_errmsg(T), "no empirical radius"),
		      "%s", lg_ctx_errmsg(T));
	fx_release(&f);
}
END_TEST

START_TEST(karst_gets_quasi_zone)
{
	fx f;
	lg_gwzone_opts o = {0};
	/* 1.5 × 30 × 0.005 × 100 / 0.1 = 225; II 2250; quasi 2 × 2250 */
	ck_assert_int_eq(run_zones(&f, wells_csv("W9,潜水,岩溶,30,0.005,0.1,,POINT (500000 3800000)\n"),
				   &o),
			 LG_OK);
	size_t i = row_of(f.z->layer, "III", "W9");
	ck_assert_double_eq_tol(num(f.z->layer, i, "radius_m"), 4500, 1e-9);
	ck_assert_double_eq_tol(num(f.z->layer, i, "area_m2"), ngon(4500) - ngon(2250), 1.0);
	fx_release(&f);
	o.quasi = LG_GWZ_QUASI_NONE;
	ck_assert_int_eq(run_zones(&f, wells_csv("W9,潜水,岩溶,30,0.005,0.1,,POINT (500000 3800000)\n"),
				   &o),
			 LG_OK);
	ck_assert_uint_eq(f.z->nparts[LG_GWZ_III], 0);
	fx_release(&f);
}
END_TEST

/* Sources round W1 (I 50 m, II 500 m): 10 m, 49 m, 51 m, 499 m, far. */
START_TEST(sources_in_zones)
{
	fx f;
	lg_gwzone_opts o = {0};
	char buf[2048];
	const char *sp = lg_test_tmp("sources.csv");
	snprintf(buf, sizeof buf,
		 "source_id,source_type,name,WKT\n"
		 "S10,加油站,at 10 m,POINT (%.0f %.0f)\n"
		 "S49,垃圾填埋场,edge - 1,POINT (%.0f %.0f)\n"
		 "S51,危险废物处置场,edge + 1,POINT (%.0f %.0f)\n"
		 "S499,化工园区企业,II edge - 1,POINT (%.0f %.0f)\n"
		 "S2,污染地块,parcel across the I edge,\"POLYGON ((%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f))\"\n"
		 "S9,重点排污单位,outside,POINT (%.0f %.0f)\n",
		 X0 + 10, Y0, X0, Y0 + 49, X0 - 51, Y0, X0, Y0 - 499,
		 /* square 40..60 m east of W1, 10 m tall round the axis */
		 X0 + 40, Y0 - 5, X0 + 60, Y0 - 5, X0 + 60, Y0 + 5, X0 + 40, Y0 + 5, X0 + 40, Y0 - 5,
		 X0 + 10000, Y0 + 10000);
	write_file(sp, buf);
	ck_assert_int_eq(run_zones(&f, wells_csv(NULL), &o), LG_OK);
	lg_rows_opts rwo = {0};
	lg_rows *rows = NULL;
	lg_layer *hits = NULL;
	lg_gwz_hits_summary sum;
	rwo.read.s_srs = "EPSG:4546";
	rwo.extra_field = "source_type";
	ck_assert_int_eq(lg_rows_open(T, sp, &rwo, &rows), LG_OK);
	ck_assert_msg(lg_gwzone_hits(T, f.t, f.z, rows, f.work, &hits, &sum) == LG_OK, "%s",
		      lg_ctx_errmsg(T));
	/* strictest first, then by id */
	static const struct {
		const char *id, *type, *level, *well;
		double dist;
	} want[] = {
		{"S2", "polluted_parcel", "I", "W1", 40}, /* natural id order */
		{"S10", "gas_station", "I", "W1", 10},
		{"S49", "landfill", "I", "W1", 49},
		{"S51", "hazardous_waste", "II", "W1", 51},
		{"S499", "chemical_park", "II", "W1", 499},
	};
	ck_assert_uint_eq(hits->n, 5);
	for (size_t i = 0; i < 5; i++) {
		ck_assert_str_eq(col(hits, i, "source_id"), want[i].id);
		ck_assert_str_eq(col(hits, i, "source_type"), want[i].type);
		ck_assert_str_eq(col(hits, i, "level"), want[i].level);
		ck_assert_str_eq(col(hits, i, "well_id"), want[i].well);
		ck_assert_double_eq_tol(num(hits, i, "dist_m"), want[i].dist, 1e-6);
		ck_assert_ptr_nonnull(strstr(col(hits, i, "basis"), "水污染防治法"));
	}
	ck_assert_ptr_nonnull(strstr(col(hits, 1, "rule"), "与供水设施和保护水源无关的建设项目"));
	ck_assert_ptr_nonnull(strstr(col(hits, 4, "rule"), "排放污染物的建设项目"));
	ck_assert_ptr_nonnull(strstr(col(hits, 0, "rule"), "污染地块"));
	ck_assert_str_eq(col(hits, 0, "type_group"), "污染地块");
	ck_assert_str_eq(col(hits, 2, "type_group"), "两场两区");
	ck_assert_uint_eq(sum.sources, 6);
	ck_assert_uint_eq(sum.hits[0], 3);
	ck_assert_uint_eq(sum.hits[1], 2);
	lg_layer_destroy(T, hits);
	lg_rows_close(T, rows);

	/* an unknown type inside a zone is an error naming it */
	snprintf(buf, sizeof buf, "source_id,source_type,name,WKT\nS1,洗车场,x,POINT (%.0f %.0f)\n",
		 X0 + 1, Y0);
	write_file(sp, buf);
	ck_assert_int_eq(lg_rows_open(T, sp, &rwo, &rows), LG_OK);
	ck_assert_int_eq(lg_gwzone_hits(T, f.t, f.z, rows, f.work, &hits, &sum), LG_CODE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "source S1: unknown source type '洗车场'"));
	lg_rows_close(T, rows);
	fx_release(&f);
}
END_TEST

/* Official zones round W1 only: level I a 100 m square (holds the 30 m
 * minimum), level II a 200 m square (short of the 300 m minimum by
 * ngon(300) − 200²). */
START_TEST(official_zones_checked)
{
	fx f, fmin;
	lg_gwzone_opts o = {0};
	char buf[2048];
	const char *wp = lg_test_tmp("w1.csv");
	snprintf(buf, sizeof buf, "well_id,aquifer,medium,WKT\nW1,潜水,细砂,POINT (%.0f %.0f)\n", X0, Y0);
	write_file(wp, buf);
	const char *op = lg_test_tmp("official.csv");
	snprintf(buf, sizeof buf,
		 "name,级别,WKT\n"
		 "a,一级,\"POLYGON ((%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f))\"\n"
		 "b,二级,\"POLYGON ((%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f))\"\n",
		 X0 - 50, Y0 - 50, X0 + 50, Y0 - 50, X0 + 50, Y0 + 50, X0 - 50, Y0 + 50, X0 - 50, Y0 - 50,
		 X0 - 100, Y0 - 100, X0 + 100, Y0 - 100, X0 + 100, Y0 + 100, X0 - 100, Y0 + 100, X0 - 100,
		 Y0 - 100);
	write_file(op, buf);
	ck_assert_int_eq(run_zones(&f, wp, &o), LG_OK);
	o.pick = LG_GWZ_LOWER;
	ck_assert_int_eq(run_zones(&fmin, wp, &o), LG_OK);
	lg_read_opts ro = {0};
	lg_layer *offl = NULL, *check = NULL;
	lg_gwzones *zo = NULL;
	size_t nshort = 0;
	ro.s_srs = "EPSG:4546";
	ck_assert_int_eq(lg_layer_read(T, op, &ro, &offl), LG_OK);
	ck_assert_msg(lg_gwzone_import(T, offl, f.z, f.work, &zo) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_uint_eq(zo->layer->n, 2);
	ck_assert_double_eq_tol(zo->area_m2[0], 10000, 1e-6);
	ck_assert_double_eq_tol(zo->area_m2[1], 30000, 1e-6);
	ck_assert_str_eq(col(zo->layer, 0, "wells"), "W1");
	ck_assert_str_eq(col(zo->layer, 1, "wells"), "W1");
	ck_assert_int_eq(lg_gwzone_check(T, zo, fmin.z, 1.0, &check, &nshort), LG_OK);
	ck_assert_uint_eq(nshort, 1);
	ck_assert_str_eq(col(check, 0, "level"), "II");
	ck_assert_double_eq_tol(num(check, 0, "required_m2"), ngon(300), 1e-3);
	ck_assert_double_eq_tol(num(check, 0, "official_m2"), 40000, 1e-3);
	ck_assert_double_eq_tol(num(check, 0, "missing_m2"), ngon(300) - 40000, 1e-3);
	lg_layer_destroy(T, check);
	lg_gwzones_destroy(T, zo);
	lg_layer_destroy(T, offl);
	fx_release(&fmin);
	fx_release(&f);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("gwzone");
	TCase *tc = tcase_create("gwzone");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, fine_sand_gravel_confined_radii_and_areas);
	tcase_add_test(tc, overlapping_wells_merge);
	tcase_add_test(tc, radius_pick_lower_mid);
	tcase_add_test(tc, bad_wells);
	tcase_add_test(tc, karst_gets_quasi_zone);
	tcase_add_test(tc, sources_in_zones);
	tcase_add_test(tc, official_zones_checked);
	suite_add_tcase(s, tc);
	return lg_test_run(s);
}
