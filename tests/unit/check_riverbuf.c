/* riverbuf: management strips, a bend, a reservoir ring and a line, with
 * band areas and overlaps computed by hand. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"

/* Everything sits at (500000, 3940000) in EPSG:4546; coordinates below
 * are offsets from there, in metres. */
#define X0 500000.0
#define Y0 3940000.0
#define N_QS 16 /* quadrant segments riverbuf uses by default */

static char *rect(double x0, double y0, double x1, double y1)
{
	static char buf[32][320];
	static int k;
	char *s = buf[k++ & 31];
	snprintf(s, 320, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", X0 + x0,
		 Y0 + y0, X0 + x1, Y0 + y0, X0 + x1, Y0 + y1, X0 + x0, Y0 + y1, X0 + x0, Y0 + y0);
	return s;
}

/* A management strip given counter-clockwise from its north-west corner:
 * west end, south bank, east end, north bank (stretch order). */
static char *strip_ccw(double x0, double y0, double x1, double y1)
{
	static char buf[4][320];
	static int k;
	char *s = buf[k++ & 3];
	snprintf(s, 320, "POLYGON((%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f,%.3f %.3f))", X0 + x0,
		 Y0 + y1, X0 + x0, Y0 + y0, X0 + x1, Y0 + y0, X0 + x1, Y0 + y1, X0 + x0, Y0 + y1);
	return s;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* Area that GEOS's round joins add round a convex corner of angle π/2
 * with N segments: N triangles of apex angle π/(2N). */
static double corner(double r)
{
	return N_QS * 0.5 * r * r * sin(M_PI / (2 * N_QS));
}

typedef struct run {
	lg_layer *rows, *segs;
	lg_riverbuf_summary sum;
} run;

static void do_run(run *r, const char *water_csv, const char *parcels_csv,
		   lg_riverbuf_opts *o, int threads)
{
	lg_read_opts ro = {0};
	lg_rows_opts rwo = {0};
	lg_layer *water = NULL;
	lg_rows *parcels = NULL;
	lg_landuse *lu = NULL;
	lg_crs *work = NULL;
	const char *wp = lg_test_tmp("water.csv"), *pp = lg_test_tmp("parcels.csv");
	write_file(wp, water_csv);
	write_file(pp, parcels_csv);
	ro.s_srs = "EPSG:4546";
	ck_assert_int_eq(lg_layer_read(T, wp, &ro, &water), LG_OK);
	rwo.read.s_srs = "EPSG:4546";
	ck_assert_int_eq(lg_rows_open(T, pp, &rwo, &parcels), LG_OK);
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &work), LG_OK);
	lg_ctx_set_threads(T, threads);
	o->landuse = lu;
	ck_assert_msg(lg_riverbuf_run(T, water, parcels, work, o, &r->rows, &r->segs, &r->sum) ==
			      LG_OK,
		      "%s", lg_ctx_errmsg(T));
	o->landuse = NULL;
	lg_crs_destroy(work);
	lg_landuse_destroy(lu);
	lg_rows_close(T, parcels);
	lg_layer_destroy(T, water);
}

static void run_release(run *r)
{
	lg_layer_destroy(T, r->rows);
	lg_layer_destroy(T, r->segs);
	lg_riverbuf_summary_release(&r->sum);
}

static const char *col(const lg_layer *l, size_t row, const char *name)
{
	int f = lg_layer_field(l, name);
	ck_assert_int_ge(f, 0);
	return lg_feature_text(l, &l->feat[row], f);
}

static double num(const lg_layer *l, size_t row, const char *name)
{
	return atof(col(l, row, name));
}

typedef struct want_row {
	const char *id, *band, *water;
	double m2, dist;
	int construction;
	const char *use_class;
} want_row;

static void check_rows(const lg_layer *l, const want_row *w, size_t n)
{
	for (size_t i = 0; i < l->n && i < n; i++) {
		ck_assert_msg(!strcmp(col(l, i, "parcel_id"), w[i].id) &&
				      !strcmp(col(l, i, "band"), w[i].band) &&
				      !strcmp(col(l, i, "water_name"), w[i].water),
			      "row %zu: got %s %s %s, want %s %s %s", i, col(l, i, "parcel_id"),
			      col(l, i, "band"), col(l, i, "water_name"), w[i].id, w[i].band,
			      w[i].water);
		ck_assert_double_eq_tol(num(l, i, "overlap_m2"), w[i].m2, 0.001);
		ck_assert_double_eq_tol(num(l, i, "min_dist_m"), w[i].dist, 0.001);
		ck_assert_int_eq((int)num(l, i, "construction"), w[i].construction);
		ck_assert_int_eq((int)num(l, i, "conflict"), w[i].construction);
		if (w[i].use_class)
			ck_assert_str_eq(col(l, i, "use_class"), w[i].use_class);
		double a = 0;
		ck_assert(GEOSArea_r(lg_test_geos(), l->feat[i].geom, &a));
		ck_assert_double_eq_tol(a, w[i].m2, 0.001);
	}
	ck_assert_uint_eq(l->n, n);
}

/* A straight management strip 1000 m × 100 m (汾河), band outside it;
 * parcels north at 10, 29.9, 30.1, 45, 60 m, one straddling both bands,
 * one reaching into the water, one south. */
static char strip_water[512], strip_parcels[4096];

static void strip_data(void)
{
	snprintf(strip_water, sizeof strip_water, "name,WKT\n汾河,\"%s\"\n",
		 strip_ccw(0, -100, 1000, 0));
	snprintf(strip_parcels, sizeof strip_parcels,
		 "BSM,DLBM,WKT\n"
		 "1,0701,\"%s\"\n" /* 10-20 m: 0-30, 200 m² */
		 "2,0101,\"%s\"\n" /* 29.9-39.9: 2 m² in 0-30, 198 in 30-50 */
		 "3,0101,\"%s\"\n" /* 30.1-40.1: 200 in 30-50 */
		 "4,0301,\"%s\"\n" /* 45-55: 100 in 30-50 */
		 "5,0701,\"%s\"\n" /* 60-70: outside */
		 "6,0601,\"%s\"\n" /* 20-40, 30 wide: 300 + 300 */
		 "7,0701,\"%s\"\n" /* -10..10: 100 in 0-30, the water part in no band */
		 "8,0101,\"%s\"\n", /* south, 125-145 m below the north line: 25-45 m */
		 rect(100, 10, 120, 20), rect(150, 29.9, 170, 39.9), rect(200, 30.1, 220, 40.1),
		 rect(250, 45, 270, 55), rect(300, 60, 320, 70), rect(400, 20, 430, 40),
		 rect(500, -10, 510, 10), rect(600, -145, 620, -125));
}

START_TEST(straight_strip_bands)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	static const want_row w[] = {
		{"1", "0-30", "汾河", 200, 10, 1, "residential"},
		{"2", "0-30", "汾河", 2, 29.9, 0, "cropland"},
		{"2", "30-50", "汾河", 198, 30, 0, "cropland"},
		{"3", "30-50", "汾河", 200, 30.1, 0, "cropland"},
		{"4", "30-50", "汾河", 100, 45, 0, "forest"},
		{"6", "0-30", "汾河", 300, 20, 1, "industrial"},
		{"6", "30-50", "汾河", 300, 30, 1, "industrial"},
		{"7", "0-30", "汾河", 100, 0, 1, "residential"},
		{"8", "0-30", "汾河", 100, 25, 0, "cropland"},
		{"8", "30-50", "汾河", 300, 30, 0, "cropland"},
	};
	strip_data();
	do_run(&r, strip_water, strip_parcels, &o, 2);
	check_rows(r.rows, w, sizeof w / sizeof w[0]);
	ck_assert_ptr_null(r.segs); /* not asked for */
	/* Ring areas: perimeter × width plus four round corners. */
	ck_assert_uint_eq(r.sum.nwaters, 1);
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[0], 2200 * 30 + 4 * corner(30), 0.01);
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[1],
				2200 * 20 + 4 * (corner(50) - corner(30)), 0.01);
	ck_assert_uint_eq(r.sum.rows, 10);
	ck_assert_uint_eq(r.sum.parcels_in_bands, 7);
	ck_assert_uint_eq(r.sum.conflict_parcels, 3);
	ck_assert_double_eq_tol(r.sum.conflict_m2[0], 200 + 300 + 100, 0.001);
	ck_assert_double_eq_tol(r.sum.conflict_m2[1], 300, 0.001);
	/* Without --segments the stretches are still measured for the totals:
	 * parcels 1, 6 and 7 are construction land within 30 m. */
	ck_assert_double_eq_tol(r.sum.bank_m, 2200, 1e-6);
	run_release(&r);
}
END_TEST

START_TEST(other_limits_spell_the_band)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	o.inner_m = 15;
	o.outer_m = 100;
	strip_data();
	do_run(&r, strip_water, strip_parcels, &o, 1);
	ck_assert_str_eq(col(r.rows, 0, "band"), "0-15");
	ck_assert_str_eq(col(r.rows, 1, "band"), "15-100");
	/* parcel 1 (10-20 m) now straddles: 5 × 20 m on each side of 15 m */
	ck_assert_double_eq_tol(num(r.rows, 0, "overlap_m2"), 100, 0.001);
	ck_assert_double_eq_tol(num(r.rows, 1, "min_dist_m"), 15, 0.001);
	run_release(&r);
}
END_TEST

START_TEST(independent_of_threads)
{
	run a = {0}, b = {0};
	lg_riverbuf_opts o = {0};
	o.segments = true;
	strip_data();
	do_run(&a, strip_water, strip_parcels, &o, 1);
	do_run(&b, strip_water, strip_parcels, &o, 4);
	ck_assert_uint_eq(a.rows->n, b.rows->n);
	for (size_t i = 0; i < a.rows->n; i++)
		for (size_t j = 0; j < a.rows->nfields; j++)
			ck_assert_str_eq(lg_feature_text(a.rows, &a.rows->feat[i], (int)j),
					 lg_feature_text(b.rows, &b.rows->feat[i], (int)j));
	ck_assert_uint_eq(a.segs->n, b.segs->n);
	for (size_t i = 0; i < a.segs->n; i++)
		for (size_t j = 0; j < a.segs->nfields; j++)
			ck_assert_str_eq(lg_feature_text(a.segs, &a.segs->feat[i], (int)j),
					 lg_feature_text(b.segs, &b.segs->feat[i], (int)j));
	run_release(&a);
	run_release(&b);
}
END_TEST

/* An L-shaped strip: 5 convex corners and one reflex corner, where the
 * two edges' bands overlap in an r × r square. */
START_TEST(bend)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	char water[1024], parcels[2048];
	snprintf(water, sizeof water,
		 "name,WKT\n浍河,\"POLYGON((%f %f,%f %f,%f %f,%f %f,%f %f,%f %f,%f %f))\"\n", X0, Y0,
		 X0 + 500, Y0, X0 + 500, Y0 + 600, X0 + 400, Y0 + 600, X0 + 400, Y0 + 100, X0,
		 Y0 + 100, X0, Y0);
	snprintf(parcels, sizeof parcels,
		 "BSM,DLBM,WKT\n"
		 "1,0101,\"%s\"\n" /* north of the east-west leg: 10-25 m */
		 "2,0702,\"%s\"\n" /* in the inner corner: every point within 30 m */
		 "3,0101,\"%s\"\n", /* east of the north-south leg: 10-40 m */
		 rect(100, 110, 150, 125), rect(370, 110, 390, 130), rect(510, 300, 540, 320));
	static const want_row w[] = {
		{"1", "0-30", "浍河", 750, 10, 0, "cropland"},
		{"2", "0-30", "浍河", 400, 10, 1, "residential"},
		{"3", "0-30", "浍河", 400, 10, 0, NULL},
		{"3", "30-50", "浍河", 200, 30, 0, NULL},
	};
	do_run(&r, water, parcels, &o, 2);
	check_rows(r.rows, w, sizeof w / sizeof w[0]);
	double P = 500 + 600 + 100 + 500 + 400 + 100;
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[0], P * 30 - 30 * 30 + 5 * corner(30), 0.01);
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[1],
				P * 20 - (50 * 50 - 30 * 30) + 5 * (corner(50) - corner(30)), 0.01);
	run_release(&r);
}
END_TEST

/* A square reservoir 200 m × 200 m: the ring round it. */
START_TEST(reservoir_ring)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	char water[512], parcels[1024];
	snprintf(water, sizeof water, "name,kind,WKT\n三泉水库,水库,\"%s\"\n", rect(0, 0, 200, 200));
	snprintf(parcels, sizeof parcels,
		 "BSM,DLBM,WKT\n"
		 "1,0703,\"%s\"\n" /* west: 20-40 m out */
		 "2,0101,\"%s\"\n", /* south: 40-45 m out */
		 rect(-40, 50, -20, 70), rect(100, -45, 130, -40));
	static const want_row w[] = {
		{"1", "0-30", "三泉水库", 200, 20, 1, NULL},
		{"1", "30-50", "三泉水库", 200, 30, 1, NULL},
		{"2", "30-50", "三泉水库", 150, 40, 0, NULL},
	};
	do_run(&r, water, parcels, &o, 2);
	check_rows(r.rows, w, sizeof w / sizeof w[0]);
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[0], 800 * 30 + 4 * corner(30), 0.01);
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[1], 800 * 20 + 4 * (corner(50) - corner(30)),
				0.01);
	/* the polygon's round corners lie inside the true circle by at most
	 * r (1 - cos(π/4N)) */
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[0], 800 * 30 + M_PI * 900,
				M_PI * 900 * (1 - cos(M_PI / (4 * N_QS))) * 2);
	run_release(&r);
}
END_TEST

/* A management line: the band lies on both sides, round at the ends. */
START_TEST(management_line)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	char water[512], parcels[1024];
	snprintf(water, sizeof water, "name,WKT\n管理线,\"LINESTRING(%f %f,%f %f)\"\n", X0, Y0,
		 X0 + 1000, Y0);
	snprintf(parcels, sizeof parcels, "BSM,DLBM,WKT\n1,0701,\"%s\"\n2,0101,\"%s\"\n",
		 rect(100, -20, 120, -10), rect(200, 25, 210, 35));
	static const want_row w[] = {
		{"1", "0-30", "管理线", 200, 10, 1, NULL},
		{"2", "0-30", "管理线", 50, 25, 0, NULL},
		{"2", "30-50", "管理线", 50, 30, 0, NULL},
	};
	o.segments = true;
	do_run(&r, water, parcels, &o, 2);
	check_rows(r.rows, w, sizeof w / sizeof w[0]);
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[0], 2 * 1000 * 30 + 4 * corner(30), 0.01);
	/* 10 stretches; the second faces parcel 1 at 10 m on the south side */
	ck_assert_uint_eq(r.segs->n, 10);
	ck_assert_double_eq_tol(num(r.segs, 1, "achieved_m"), 10, 1e-9);
	ck_assert_double_eq_tol(num(r.segs, 1, "built_share"), 200.0 / 6000, 1e-6);
	ck_assert_double_eq_tol(num(r.segs, 2, "achieved_m"), 50, 1e-9);
	run_release(&r);
}
END_TEST

/* Two parallel strips 60 m apart: between them each point belongs to the
 * nearer water, so the gap is 0-30 band of both and never counted twice. */
START_TEST(neighbouring_waters_split)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	char water[1024], parcels[512];
	snprintf(water, sizeof water, "name,WKT\n北河,\"%s\"\n南河,\"%s\"\n",
		 rect(0, 60, 1000, 160), rect(0, -100, 1000, 0));
	snprintf(parcels, sizeof parcels, "BSM,DLBM,WKT\n1,0101,\"%s\"\n", rect(500, -5, 520, 65));
	/* waters sort by name in UTF-8 bytes: 北 (E5 8C 97) before 南 (E5 8D 97) */
	static const want_row w[] = {
		{"1", "0-30", "北河", 600, 0, 0, NULL},
		{"1", "0-30", "南河", 600, 0, 0, NULL},
	};
	do_run(&r, water, parcels, &o, 2);
	check_rows(r.rows, w, sizeof w / sizeof w[0]);
	ck_assert_uint_eq(r.sum.nwaters, 2);
	ck_assert_str_eq(r.sum.waters[0].name, "北河");
	/* Along the 1000 m gap there is no 30-50 band at all; each water keeps
	 * its full 30-50 band on its far side. */
	ck_assert_double_eq_tol(r.sum.waters[0].band_m2[0] + r.sum.waters[1].band_m2[0],
				2 * (2200 * 30 + 4 * corner(30)), 0.05);
	run_release(&r);
}
END_TEST

/* The stretch table: a building 20 m from the north bank, x 250-450. */
START_TEST(segments_achieved_width)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	char water[512], parcels[1024];
	snprintf(water, sizeof water, "name,WKT\n汾河,\"%s\"\n", strip_ccw(0, -100, 1000, 0));
	snprintf(parcels, sizeof parcels,
		 "BSM,DLBM,WKT\n"
		 "1,0701,\"%s\"\n"  /* the building: 20-40 m, x 250-450 */
		 "2,0101,\"%s\"\n"  /* farmland at 5 m: no effect */
		 "3,0601,\"%s\"\n", /* a factory beyond 50 m: no effect */
		 rect(250, 20, 450, 40), rect(600, 5, 700, 15), rect(700, 60, 800, 80));
	o.segments = true;
	do_run(&r, water, parcels, &o, 2);
	/* ring 2200 m: west end 0-100, south bank 100-1100, east end
	 * 1100-1200, north bank 1200-2200 walked from x = 1000 to x = 0 */
	ck_assert_uint_eq(r.segs->n, 22);
	for (size_t i = 0; i < r.segs->n; i++) {
		int seg = (int)num(r.segs, i, "seg_no");
		ck_assert_int_eq(seg, (int)i + 1);
		ck_assert_str_eq(col(r.segs, i, "water_name"), "汾河");
		ck_assert_double_eq_tol(num(r.segs, i, "from_m"), 100.0 * (double)i, 1e-9);
		ck_assert_double_eq_tol(num(r.segs, i, "to_m"), 100.0 * (double)(i + 1), 1e-9);
		/* seg 18: x 400-500, 19: 300-400, 20: 200-300 */
		bool faces = seg >= 18 && seg <= 20;
		ck_assert_msg(num(r.segs, i, "achieved_m") == (faces ? 20 : 50),
			      "seg %d achieved %s", seg, col(r.segs, i, "achieved_m"));
		ck_assert_int_eq((int)num(r.segs, i, "meets_min"), !faces);
		double share = seg == 19 ? 1000.0 / 3000 : faces ? 500.0 / 3000 : 0;
		ck_assert_double_eq_tol(num(r.segs, i, "built_share"), share, 1e-6);
		double len = 0;
		ck_assert(GEOSLength_r(lg_test_geos(), r.segs->feat[i].geom, &len));
		ck_assert_double_eq_tol(len, 100, 1e-6);
	}
	ck_assert_double_eq_tol(r.sum.waters[0].bank_m, 2200, 1e-6);
	ck_assert_double_eq_tol(r.sum.waters[0].meets_m, 1900, 1e-6);
	ck_assert_uint_eq(r.sum.waters[0].stretches_meeting, 19);
	run_release(&r);
}
END_TEST

START_TEST(segment_length_not_dividing)
{
	run r = {0};
	lg_riverbuf_opts o = {0};
	char water[512];
	snprintf(water, sizeof water, "name,WKT\n汾河,\"%s\"\n", strip_ccw(0, -100, 1000, 0));
	o.segments = true;
	o.segment_m = 300; /* 2200 = 7 × 300 + 100 */
	do_run(&r, water, "BSM,DLBM,WKT\n", &o, 1);
	ck_assert_uint_eq(r.rows->n, 0);
	ck_assert_uint_eq(r.segs->n, 8);
	ck_assert_double_eq_tol(num(r.segs, 7, "from_m"), 2100, 1e-9);
	ck_assert_double_eq_tol(num(r.segs, 7, "to_m"), 2200, 1e-9);
	run_release(&r);
}
END_TEST

START_TEST(inner_not_below_outer_is_usage)
{
	lg_riverbuf_opts o = {0};
	lg_layer *rows = NULL, *segs = NULL;
	lg_riverbuf_summary sum;
	lg_layer *water = NULL;
	lg_crs *work = NULL;
	lg_landuse *lu = NULL;
	ck_assert_int_eq(lg_layer_create(T, "w", NULL, 0, &water), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &work), LG_OK);
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
	o.inner_m = 50;
	o.outer_m = 30;
	o.landuse = lu;
	ck_assert_int_eq(lg_riverbuf_run(T, water, NULL, work, &o, &rows, &segs, &sum), LG_USAGE);
	ck_assert_str_eq(lg_ctx_errmsg(T), "the inner width must be more than 0 and less than the "
					   "outer width (got inner 50 m, outer 30 m)");
	ck_assert_ptr_null(rows);
	lg_landuse_destroy(lu);
	lg_crs_destroy(work);
	lg_layer_destroy(T, water);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("riverbuf");
	TCase *tc = tcase_create("riverbuf");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, straight_strip_bands);
	tcase_add_test(tc, other_limits_spell_the_band);
	tcase_add_test(tc, independent_of_threads);
	tcase_add_test(tc, bend);
	tcase_add_test(tc, reservoir_ring);
	tcase_add_test(tc, management_line);
	tcase_add_test(tc, neighbouring_waters_split);
	tcase_add_test(tc, segments_achieved_width);
	tcase_add_test(tc, segment_length_not_dividing);
	tcase_add_test(tc, inner_not_below_outer_is_usage);
	suite_add_tcase(s, tc);
	return lg_test_run(s);
}
