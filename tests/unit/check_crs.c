/* lib/crs: parsing, axis order, zone guessing, plausibility, areas. */
#include <math.h>

#include "lg_test.h"

START_TEST(parse_epsg_and_names)
{
	lg_crs *c = NULL;
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4525", "test", &c), LG_OK);
	ck_assert_int_eq(lg_crs_epsg(c), 4525);
	ck_assert_str_eq(lg_crs_id(c), "EPSG:4525");
	ck_assert(!lg_crs_is_geographic(c));
	lg_crs_destroy(c);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4490", "test", &c), LG_OK);
	ck_assert(lg_crs_is_geographic(c));
	lg_crs_destroy(c);
}
END_TEST

START_TEST(parse_unknown_names_option)
{
	lg_crs *c = NULL;
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:99999999", "--s-srs", &c), LG_INPUT);
	ck_assert_ptr_null(c);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "--s-srs"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "EPSG:99999999"));
}
END_TEST

START_TEST(parse_proj_string_without_type)
{
	lg_crs *c = NULL;
	ck_assert_int_eq(lg_crs_parse(T, "+proj=tmerc +lon_0=111 +k=1 +x_0=500000 +ellps=GRS80 +units=m",
				      "test", &c), LG_OK);
	ck_assert(!lg_crs_is_geographic(c));
	lg_crs_destroy(c);
}
END_TEST

/* GK zone n has its central meridian at 3n degrees; 37 → 111E. */
START_TEST(gk3_zone_codes)
{
	lg_crs *a = NULL, *b = NULL;
	ck_assert_int_eq(lg_crs_cgcs2000_gk3(T, 37, true, &a), LG_OK);
	ck_assert_int_eq(lg_crs_epsg(a), 4525);
	ck_assert_int_eq(lg_crs_cgcs2000_gk3(T, 37, false, &b), LG_OK);
	ck_assert_int_eq(lg_crs_epsg(b), 4546);
	ck_assert(!lg_crs_same(a, b));
	lg_crs_destroy(a);
	lg_crs_destroy(b);
	ck_assert_int_eq(lg_crs_cgcs2000_gk3(T, 12, true, &a), LG_INPUT);
}
END_TEST

/* EPSG:4490 declares lat,lon and EPSG:4525 northing,easting; after
 * normalisation x is longitude/easting.  Published pair (domain-facts §6):
 * 111.2E 35.6N ≈ X 3941179 (northing), Y 37518123 (easting with prefix). */
START_TEST(axis_order_4490_to_4525)
{
	lg_crs *geo = NULL, *gk = NULL;
	lg_transform *t = NULL;
	double x = 111.2, y = 35.6;
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4490", "t", &geo), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4525", "t", &gk), LG_OK);
	ck_assert_int_eq(lg_transform_create(T, geo, gk, &t), LG_OK);
	ck_assert_int_eq(lg_transform_xy(T, t, &x, &y, 1), LG_OK);
	ck_assert_double_eq_tol(x, 37518123.0, 5.0);
	ck_assert_double_eq_tol(y, 3941179.0, 5.0);
	lg_transform_destroy(t);
	/* On the central meridian the easting is the false easting exactly. */
	x = 111.0;
	y = 35.6;
	ck_assert_int_eq(lg_transform_create(T, geo, gk, &t), LG_OK);
	ck_assert_int_eq(lg_transform_xy(T, t, &x, &y, 1), LG_OK);
	ck_assert_double_eq_tol(x, 37500000.0, 0.001);
	lg_transform_destroy(t);
	lg_crs_destroy(geo);
	lg_crs_destroy(gk);
}
END_TEST

START_TEST(guess_zone_prefix)
{
	lg_crs *c = NULL;
	char how[512];
	ck_assert_int_eq(lg_crs_guess(T, 37510000, 3930000, 37530000, 3950000, &c, how,
				      sizeof how), LG_OK);
	ck_assert_int_eq(lg_crs_epsg(c), 4525);
	ck_assert_ptr_nonnull(strstr(how, "zone 37"));
	lg_crs_destroy(c);
}
END_TEST

START_TEST(guess_lonlat)
{
	lg_crs *c = NULL;
	char how[512];
	ck_assert_int_eq(lg_crs_guess(T, 110.9, 35.5, 111.4, 35.75, &c, how, sizeof how), LG_OK);
	ck_assert_int_eq(lg_crs_epsg(c), 4490);
	lg_crs_destroy(c);
}
END_TEST

/* Refusals: local drawing units, an easting crossing a zone, a northing
 * outside China, and eastings without prefix (ambiguous zone). */
START_TEST(guess_refuses)
{
	lg_crs *c = NULL;
	char how[512];
	ck_assert_int_eq(lg_crs_guess(T, 0, 0, 500, 500, &c, how, sizeof how), LG_NOCRS);
	ck_assert_int_eq(lg_crs_guess(T, 37900000, 3930000, 38100000, 3950000, &c, how,
				      sizeof how), LG_NOCRS);
	ck_assert_int_eq(lg_crs_guess(T, 37510000, 100000, 37520000, 110000, &c, how,
				      sizeof how), LG_NOCRS);
	ck_assert_int_eq(lg_crs_guess(T, 510000, 3930000, 530000, 3950000, &c, how,
				      sizeof how), LG_NOCRS);
	ck_assert_ptr_null(c);
}
END_TEST

START_TEST(plausibility)
{
	lg_crs *gk = NULL, *cm = NULL, *geo = NULL;
	char why[512];
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4525", "t", &gk), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &cm), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4490", "t", &geo), LG_OK);
	ck_assert(lg_crs_plausible(T, gk, 37510000, 3930000, 37530000, 3950000, why, sizeof why));
	ck_assert(!lg_crs_plausible(T, gk, 1, 1, 900, 900, why, sizeof why));
	ck_assert_ptr_nonnull(strstr(why, "below"));
	ck_assert(!lg_crs_plausible(T, gk, 510000, 3930000, 530000, 3950000, why, sizeof why));
	ck_assert(!lg_crs_plausible(T, cm, 37510000, 3930000, 37530000, 3950000, why, sizeof why));
	ck_assert(!lg_crs_plausible(T, geo, 37510000, 3930000, 37530000, 3950000, why, sizeof why));
	ck_assert(lg_crs_plausible(T, geo, 110, 35, 112, 36, why, sizeof why));
	lg_crs_destroy(gk);
	lg_crs_destroy(cm);
	lg_crs_destroy(geo);
}
END_TEST

START_TEST(work_crs_is_the_data_zone)
{
	lg_crs *gk = NULL, *w = NULL, *geo = NULL;
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4525", "t", &gk), LG_OK);
	/* Data in zone 37 with the prefix stays in EPSG:4525. */
	ck_assert_int_eq(lg_crs_work_for(T, gk, 37510000, 3930000, 37530000, 3950000, &w), LG_OK);
	ck_assert_int_eq(lg_crs_epsg(w), 4525);
	lg_crs_destroy(w);
	/* 117.5E is in zone 39 (CM 117E): EPSG:4548. */
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4490", "t", &geo), LG_OK);
	ck_assert_int_eq(lg_crs_work_for(T, geo, 117.4, 31, 117.6, 31.2, &w), LG_OK);
	ck_assert_int_eq(lg_crs_epsg(w), 4548);
	lg_crs_destroy(w);
	lg_crs_destroy(gk);
	lg_crs_destroy(geo);
}
END_TEST

/* A 1 km × 1 km square in EPSG:4546 near the central meridian: planar area
 * 1 000 000 m² exactly; on the ellipsoid it differs by the GK scale factor
 * squared (k = 1 on the CM, ~1 + 4e-6 at 18 km), far inside 0.1 %. */
START_TEST(ellipsoidal_area_of_km_square)
{
	lg_crs *cm = NULL;
	lg_ellps *e = NULL;
	double a = 0;
	GEOSGeometry *sq = lg_test_wkt("POLYGON((500000 3940000,501000 3940000,501000 3941000,"
				       "500000 3941000,500000 3940000))");
	double planar = 0;
	ck_assert(GEOSArea_r(lg_test_geos(), sq, &planar));
	ck_assert_double_eq_tol(planar, 1e6, 1e-6);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &cm), LG_OK);
	ck_assert_int_eq(lg_ellps_create(T, cm, &e), LG_OK);
	ck_assert_int_eq(lg_ellps_area(T, e, sq, &a), LG_OK);
	ck_assert_double_eq_tol(a, 1e6, 1e3);
	/* A hole of 100 m × 100 m comes off: 990 000 m² within 0.1 %. */
	GEOSGeometry *holed = lg_test_wkt(
		"POLYGON((500000 3940000,501000 3940000,501000 3941000,500000 3941000,500000 3940000),"
		"(500100 3940100,500200 3940100,500200 3940200,500100 3940200,500100 3940100))");
	ck_assert_int_eq(lg_ellps_area(T, e, holed, &a), LG_OK);
	ck_assert_double_eq_tol(a, 990000, 990);
	GEOSGeom_destroy_r(lg_test_geos(), sq);
	GEOSGeom_destroy_r(lg_test_geos(), holed);
	lg_ellps_destroy(e);
	lg_crs_destroy(cm);
}
END_TEST

/* 90 km east of the central meridian the GK scale is k ≈ 1 + x²/2R²
 * (R ≈ 6 371 km), so a projected square of A m² covers A / k² on the
 * ellipsoid: 1 - 1.9956e-4.  The 1 km square takes the scale-factor path,
 * the 8 km square the vertex-by-vertex path; both must agree with it. */
START_TEST(ellipsoidal_area_off_meridian)
{
	lg_crs *cm = NULL;
	lg_ellps *e = NULL;
	double a = 0, x = 90000.0, R = 6371000.0;
	double k = 1 + x * x / (2 * R * R);
	GEOSGeometry *small = lg_test_wkt("POLYGON((589500 3939500,590500 3939500,590500 3940500,"
					  "589500 3940500,589500 3939500))");
	GEOSGeometry *big = lg_test_wkt("POLYGON((586000 3936000,594000 3936000,594000 3944000,"
					"586000 3944000,586000 3936000))");
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &cm), LG_OK);
	ck_assert_int_eq(lg_ellps_create(T, cm, &e), LG_OK);
	ck_assert_int_eq(lg_ellps_area(T, e, small, &a), LG_OK);
	ck_assert_double_eq_tol(a, 1e6 / (k * k), 1.0);
	ck_assert_int_eq(lg_ellps_area(T, e, big, &a), LG_OK);
	ck_assert_double_eq_tol(a, 64e6 / (k * k), 64e6 * 1e-5);
	GEOSGeom_destroy_r(lg_test_geos(), small);
	GEOSGeom_destroy_r(lg_test_geos(), big);
	lg_ellps_destroy(e);
	lg_crs_destroy(cm);
}
END_TEST

START_TEST(mu_and_ha)
{
	/* 1 亩 = 10000/15 m²; 1 公顷 = 15 亩. */
	ck_assert_double_eq_tol(lg_m2_to_mu(10000.0), 15.0, 1e-12);
	ck_assert_double_eq_tol(lg_m2_to_mu(666.6666666666666), 1.0, 1e-12);
	ck_assert_double_eq_tol(lg_m2_to_ha(25000.0), 2.5, 1e-12);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("crs");
	TCase *tc = tcase_create("crs");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_add_test(tc, parse_epsg_and_names);
	tcase_add_test(tc, parse_unknown_names_option);
	tcase_add_test(tc, parse_proj_string_without_type);
	tcase_add_test(tc, gk3_zone_codes);
	tcase_add_test(tc, axis_order_4490_to_4525);
	tcase_add_test(tc, guess_zone_prefix);
	tcase_add_test(tc, guess_lonlat);
	tcase_add_test(tc, guess_refuses);
	tcase_add_test(tc, plausibility);
	tcase_add_test(tc, work_crs_is_the_data_zone);
	tcase_add_test(tc, ellipsoidal_area_of_km_square);
	tcase_add_test(tc, ellipsoidal_area_off_meridian);
	tcase_add_test(tc, mu_and_ha);
	suite_add_tcase(s, tc);
	return lg_test_run(s);
}
