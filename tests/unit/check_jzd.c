/*
 * lib/io/jzd.c: 界址点坐标 TXT reader and writer.
 *
 * Fixtures in tests/data/jzd (see its README) are small enough to check by
 * hand; every expected area is arithmetic on their coordinates.  The real
 * files come from ../shared/data/real/jzd (never committed); those tests
 * say so and return when shared/ is absent.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lg_test.h"
#include "lg_internal.h"

/* ------------------------------------------------------------------ */
/* helpers                                                              */

static bool has_warning(const char *needle)
{
	for (size_t i = 0; i < lg_ctx_nwarnings(T); i++)
		if (strstr(lg_ctx_warning(T, i), needle))
			return true;
	return false;
}

static size_t count_warnings(const char *needle)
{
	size_t n = 0;
	for (size_t i = 0; i < lg_ctx_nwarnings(T); i++)
		n += strstr(lg_ctx_warning(T, i), needle) != NULL;
	return n;
}

static lg_layer *read_path(const char *path, const lg_read_opts *o)
{
	lg_layer *l = NULL;
	lg_status st = lg_jzd_read(T, path, o, &l);
	ck_assert_msg(st == LG_OK, "reading %s: %s", path, lg_ctx_errmsg(T));
	ck_assert_ptr_nonnull(l);
	return l;
}

static lg_layer *read_fx(const char *name)
{
	char rel[128];
	snprintf(rel, sizeof rel, "jzd/%s", name);
	return read_path(lg_test_data(rel), NULL);
}

static const char *txt(const lg_layer *l, size_t i, const char *field)
{
	int j = lg_layer_field(l, field);
	ck_assert_msg(j >= 0, "no field %s", field);
	return lg_feature_text(l, &l->feat[i], j);
}

static double area_m2(const lg_layer *l, size_t i)
{
	int j = lg_layer_field(l, "面积_公顷");
	ck_assert_int_ge(j, 0);
	ck_assert(!l->feat[i].vals[j].null);
	return l->feat[i].vals[j].u.d * 10000.0;
}



static int geom_type(const lg_layer *l, size_t i)
{
	return GEOSGeomTypeId_r(lg_test_geos(), l->feat[i].geom);
}

/* Same features, same vertices (to the written 3 decimals), same
 * attribute text; 地块面积 may be skipped when the source wrote m². */
static void assert_same_layer(const lg_layer *a, const lg_layer *b,
			      bool skip_written_area)
{
	ck_assert_uint_eq(a->n, b->n);
	ck_assert_uint_eq(a->nfields, b->nfields);
	for (size_t i = 0; i < a->n; i++) {
		char msg[4096];
		ck_assert_msg(lg_test_geom_eq(b->feat[i].geom, a->feat[i].geom,
					      0.0005, msg, sizeof msg),
			      "feature %zu: %s", i, msg);
		ck_assert_int_eq(GEOSGetNumCoordinates_r(lg_test_geos(), a->feat[i].geom),
				 GEOSGetNumCoordinates_r(lg_test_geos(), b->feat[i].geom));
		for (size_t j = 0; j < a->nfields; j++) {
			char va[256];
			ck_assert_str_eq(a->fields[j].name, b->fields[j].name);
			if (skip_written_area && !strcmp(a->fields[j].name, "地块面积"))
				continue;
			if (!strcmp(a->fields[j].name, "面积_公顷")) {
				ck_assert_double_eq_tol(a->feat[i].vals[j].u.d,
							b->feat[i].vals[j].u.d, 1e-9);
				continue;
			}
			snprintf(va, sizeof va, "%s", lg_feature_text(a, &a->feat[i], (int)j));
			ck_assert_msg(!strcmp(va, lg_feature_text(b, &b->feat[i], (int)j)),
				      "feature %zu field %s: '%s' became '%s'", i,
				      a->fields[j].name, va,
				      lg_feature_text(b, &b->feat[i], (int)j));
		}
	}
}

/* read -> lg_jzd_write (GBK, the default) -> read */
static void roundtrip(const char *path, bool skip_written_area)
{
	lg_layer *a = read_path(path, NULL), *b;
	const char *out = lg_test_tmp("roundtrip.txt");
	lg_status st = lg_jzd_write(T, a, out, NULL);
	ck_assert_msg(st == LG_OK, "%s", lg_ctx_errmsg(T));
	b = read_path(out, NULL);
	ck_assert_str_eq(b->encoding, "GB18030");
	ck_assert_int_eq(lg_crs_epsg(b->crs), lg_crs_epsg(a->crs));
	assert_same_layer(a, b, skip_written_area);
	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
}

/* ------------------------------------------------------------------ */
/* reader: fixtures                                                     */

START_TEST(square_with_hole)
{
	lg_layer *l = read_fx("square_hole.txt");
	ck_assert_uint_eq(l->n, 1);
	ck_assert_str_eq(l->driver, "JZD-TXT");
	ck_assert_str_eq(l->name, "square_hole");
	ck_assert_str_eq(l->encoding, "UTF-8");
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4525);
	ck_assert_ptr_nonnull(strstr(l->crs_how, "带号=37"));
	ck_assert_int_eq(l->geom_type, 3);
	/* GIS x = easting (Y column), y = northing (X column) */
	LG_ASSERT_GEOM_EQ(l->feat[0].geom,
			  "POLYGON((37518100 3941100, 37518200 3941100, 37518200 3941200,"
			  " 37518100 3941200, 37518100 3941100),"
			  "(37518140 3941140, 37518160 3941140, 37518160 3941160,"
			  " 37518140 3941160, 37518140 3941140))",
			  1e-9);
	ck_assert_double_eq_tol(area_m2(l, 0), 10000.0 - 400.0, 0.001);
	ck_assert_str_eq(txt(l, 0, "界址点数"), "10");
	ck_assert_str_eq(txt(l, 0, "地块面积"), "0.96");
	ck_assert_str_eq(txt(l, 0, "地块编号"), "DK001");
	ck_assert_str_eq(txt(l, 0, "地块名称"), "测试地块");
	ck_assert_str_eq(txt(l, 0, "记录图形属性"), "面");
	ck_assert_str_eq(txt(l, 0, "图幅号"), "J50G001001");
	ck_assert_str_eq(txt(l, 0, "地块用途"), "工矿仓储用地");
	ck_assert_str_eq(txt(l, 0, "地类编码"), "0601");
	ck_assert_int_eq(l->role[LG_ROLE_ID], lg_layer_field(l, "地块编号"));
	ck_assert_int_eq(l->role[LG_ROLE_NAME], lg_layer_field(l, "地块名称"));
	ck_assert_int_eq(l->role[LG_ROLE_CODE], lg_layer_field(l, "地类编码"));
	ck_assert_str_eq(lg_feature_id(l, &l->feat[0]), "DK001");
	ck_assert_double_eq(l->minx, 37518100);
	ck_assert_double_eq(l->maxy, 3941200);
	ck_assert_uint_eq(lg_ctx_nwarnings(T), 0);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(two_parcels_in_one_file)
{
	lg_layer *l = read_fx("two_parcels.txt");
	ck_assert_uint_eq(l->n, 2);
	ck_assert_str_eq(txt(l, 0, "地块编号"), "DK-A");
	ck_assert_str_eq(txt(l, 1, "地块编号"), "DK-B");
	ck_assert_str_eq(txt(l, 1, "地类编码"), "0810");
	ck_assert_double_eq_tol(area_m2(l, 0), 100.0, 1e-6);
	ck_assert_double_eq_tol(area_m2(l, 1), 200.0, 1e-6);
	LG_ASSERT_GEOM_EQ(l->feat[1].geom,
			  "POLYGON((37518100 3941000, 37518120 3941000, 37518120 3941010,"
			  " 37518100 3941010, 37518100 3941000))",
			  1e-9);
	ck_assert_uint_eq(lg_ctx_nwarnings(T), 0);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(ring_two_outside_is_a_part)
{
	lg_layer *l = read_fx("multipart.txt");
	ck_assert_uint_eq(l->n, 1);
	ck_assert_int_eq(geom_type(l, 0), GEOS_MULTIPOLYGON);
	ck_assert_int_eq(l->geom_type, 6);
	LG_ASSERT_GEOM_EQ(l->feat[0].geom,
			  "MULTIPOLYGON(((37518000 3941000, 37518010 3941000, 37518010 3941010,"
			  " 37518000 3941010, 37518000 3941000)),"
			  "((37518050 3941000, 37518060 3941000, 37518060 3941010,"
			  " 37518050 3941010, 37518050 3941000)))",
			  1e-9);
	ck_assert_double_eq_tol(area_m2(l, 0), 200.0, 1e-6);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(island_in_hole_is_a_shell)
{
	/* ring 1 is the island, 2 the hole, 3 the outer shell: depth 2, 1, 0 */
	lg_layer *l = read_fx("island.txt");
	ck_assert_int_eq(geom_type(l, 0), GEOS_MULTIPOLYGON);
	LG_ASSERT_GEOM_EQ(l->feat[0].geom,
			  "MULTIPOLYGON(((37518000 3941000, 37518100 3941000, 37518100 3941100,"
			  " 37518000 3941100, 37518000 3941000),"
			  "(37518020 3941020, 37518080 3941020, 37518080 3941080,"
			  " 37518020 3941080, 37518020 3941020)),"
			  "((37518040 3941040, 37518060 3941040, 37518060 3941060,"
			  " 37518040 3941060, 37518040 3941040)))",
			  1e-9);
	ck_assert_double_eq_tol(area_m2(l, 0), 10000.0 - 3600.0 + 400.0, 0.001);
	ck_assert_uint_eq(l->nrepaired, 0);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(unclosed_ring_closed_with_warning)
{
	lg_layer *l = read_fx("unclosed.txt");
	LG_ASSERT_GEOM_EQ(l->feat[0].geom,
			  "POLYGON((37518000 3941000, 37518010 3941000, 37518010 3941010,"
			  " 37518000 3941010, 37518000 3941000))",
			  1e-9);
	ck_assert(has_warning("line 14, parcel 1 (地块编号 DK-U): ring 1 does not end "
			      "at its first point; closed it"));
	/* 4 point lines, 界址点数 4: no count warning */
	ck_assert(!has_warning("界址点数 says"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(twelve_field_line_keeps_extras)
{
	lg_layer *l = read_fx("twelve.txt");
	ck_assert_uint_eq(l->nfields, 8 + 3 + 1);
	ck_assert_str_eq(l->fields[8].name, "扩展1");
	ck_assert_str_eq(l->fields[10].name, "扩展3");
	ck_assert_str_eq(l->fields[11].name, "面积_公顷");
	ck_assert_str_eq(txt(l, 0, "扩展1"), "扩A");
	ck_assert(l->feat[0].vals[lg_layer_field(l, "扩展2")].null);
	ck_assert_str_eq(txt(l, 0, "扩展3"), "扩C");
	ck_assert_str_eq(txt(l, 0, "地类编码"), "0601");
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(bare_cr_last_line_and_m2_area)
{
	lg_layer *l = read_fx("bare_cr.txt");
	ck_assert_uint_eq(l->n, 1);
	ck_assert_int_eq(GEOSGetNumCoordinates_r(lg_test_geos(), l->feat[0].geom), 5);
	ck_assert_double_eq_tol(area_m2(l, 0), 100.0, 1e-6);
	ck_assert(has_warning("地块面积 100 is the area in m² (computed 100.00 m² = "
			      "0.0100 公顷), not in 公顷"));
	ck_assert(!has_warning("does not end"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(no_final_line_break)
{
	lg_layer *l = read_fx("no_final_eol.txt");
	ck_assert_uint_eq(l->n, 1);
	ck_assert_double_eq_tol(area_m2(l, 0), 100.0, 1e-6);
	ck_assert_uint_eq(lg_ctx_nwarnings(T), 0);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(gbk_file)
{
	lg_layer *l = read_fx("gbk.txt");
	lg_read_opts o = {0};
	ck_assert_str_eq(l->encoding, "GB18030");
	ck_assert_ptr_nonnull(strstr(l->encoding_how, "not valid UTF-8"));
	ck_assert_str_eq(txt(l, 0, "地块名称"), "国标码地块");
	ck_assert_str_eq(txt(l, 0, "地块用途"), "工矿仓储用地");
	ck_assert(has_warning("is not UTF-8; read it as GB18030/GBK"));
	lg_layer_destroy(T, l);

	o.encoding = "GBK";
	l = read_path(lg_test_data("jzd/gbk.txt"), &o);
	ck_assert_str_eq(l->encoding, "GBK");
	ck_assert_str_eq(l->encoding_how, "--encoding");
	ck_assert_str_eq(txt(l, 0, "地块名称"), "国标码地块");
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(gbk_generated_with_bom_variants)
{
	/* The same file in UTF-8 with a BOM reads alike. */
	const char *p = lg_test_tmp("bom.txt");
	char *u = lg_test_slurp(lg_test_data("jzd/two_parcels.txt"), NULL);
	FILE *f = fopen(p, "wb");
	lg_layer *l;
	fputs("\xEF\xBB\xBF", f);
	fputs(u, f);
	fclose(f);
	free(u);
	l = read_path(p, NULL);
	ck_assert_str_eq(l->encoding, "UTF-8");
	ck_assert_str_eq(l->encoding_how, "byte-order mark");
	ck_assert_uint_eq(l->n, 2);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(empty_zone_from_prefix)
{
	lg_layer *l = read_fx("empty_zone.txt");
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4525);
	ck_assert_ptr_nonnull(strstr(l->crs_how, "zone 37 from the easting prefix"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(no_prefix_no_zone_is_nocrs)
{
	lg_layer *l = NULL;
	lg_read_opts o = {0};
	const char *p = lg_test_data("jzd/no_zone.txt");
	char want[1024];
	ck_assert_int_eq(lg_jzd_read(T, p, NULL, &l), LG_NOCRS);
	ck_assert_ptr_null(l);
	snprintf(want, sizeof want,
		 "'%s': the eastings carry no zone prefix and the header gives no "
		 "带号, so the Gauss-Kruger zone is unknown; give --s-srs (e.g. "
		 "--s-srs EPSG:4546 for CGCS2000 3-degree CM 111E)", p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);

	o.s_srs = "EPSG:4546";
	l = read_path(p, &o);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4546);
	ck_assert_str_eq(l->crs_how, "--s-srs");
	ck_assert_double_eq(l->minx, 518000);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(bad_number_names_line_and_column)
{
	lg_layer *l = NULL;
	const char *p = lg_test_data("jzd/bad_number.txt");
	char want[1024];
	ck_assert_int_eq(lg_jzd_read(T, p, NULL, &l), LG_INPUT);
	ck_assert_ptr_null(l);
	snprintf(want, sizeof want,
		 "'%s' line 16 column 3 (X) of parcel 1: '39410l0.000' is not a "
		 "number; correct the point in the file", p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(ring_of_two_points_is_an_error)
{
	lg_layer *l = NULL;
	const char *p = lg_test_data("jzd/two_points.txt");
	char want[1024];
	ck_assert_int_eq(lg_jzd_read(T, p, NULL, &l), LG_INPUT);
	ck_assert_ptr_null(l);
	snprintf(want, sizeof want,
		 "'%s' line 19, parcel 1 (地块编号 DK-2): ring 2 has only 2 distinct "
		 "points; a ring needs at least 3, correct the file", p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(area_keeps_micrometres_at_8_digit_eastings)
{
	lg_layer *l = read_fx("precision.txt");
	/* 10.001 m × 10.001 m = 100.020001 m² */
	ck_assert_double_eq_tol(area_m2(l, 0), 100.020001, 1e-6);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(near_duplicates_dropped_and_count_checked)
{
	lg_layer *l = read_fx("near_dup.txt");
	LG_ASSERT_GEOM_EQ(l->feat[0].geom,
			  "POLYGON((37518000 3941000, 37518010 3941000, 37518010 3941010,"
			  " 37518000 3941010, 37518000 3941000))",
			  1e-9);
	ck_assert(has_warning("parcel 1 (地块编号 DK-D): dropped 1 point less than "
			      "1 mm from the previous one"));
	ck_assert(has_warning("界址点数 says 5 but 6 point lines follow; read all 6"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(missing_file)
{
	lg_layer *l = NULL;
	ck_assert_int_eq(lg_jzd_read(T, "/nonexistent/x.txt", NULL, &l), LG_NOFILE);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "cannot open '/nonexistent/x.txt': No such file or directory");
}
END_TEST

/* Header variants, generated: each case is one header and one 10 m square. */
static lg_layer *read_generated(const char *header, const char *east0,
				const char *east1, lg_status want)
{
	char text[2048];
	const char *p = lg_test_tmp("gen.txt");
	lg_layer *l = NULL;
	snprintf(text, sizeof text,
		 "[属性描述]\n%s[地块坐标]\n5,,G1,,面,,,,@\n"
		 "J1,1,3941000.000,%s\nJ2,1,3941000.000,%s\n"
		 "J3,1,3941010.000,%s\nJ4,1,3941010.000,%s\n"
		 "J1,1,3941000.000,%s\n",
		 header, east0, east1, east1, east0, east0);
	lg_test_write_file(p, text);
	ck_assert_msg(lg_jzd_read(T, p, NULL, &l) == want, "%s: %s", header,
		      lg_ctx_errmsg(T));
	return l;
}

START_TEST(crs_from_header_variants)
{
	lg_layer *l;
	/* Xi'an 1980, 3-degree zone 37 with prefix: EPSG:2361 */
	l = read_generated("坐标系=1980西安坐标系\n几度分带=3\n带号=37\n",
			   "37518000.000", "37518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 2361);
	lg_layer_destroy(T, l);
	/* 80国家大地坐标系 is Xi'an 1980 too; no prefix, 带号 37: EPSG:2382 */
	l = read_generated("坐标系=80国家大地坐标系\n带号=37\n", "518000.000",
			   "518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 2382);
	lg_layer_destroy(T, l);
	/* Beijing 1954 3-degree zone 37: EPSG:2413 */
	l = read_generated("坐标系=1954北京坐标系\n几度分带=3\n带号=37\n",
			   "37518000.000", "37518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 2413);
	lg_layer_destroy(T, l);
	/* CGCS2000 6-degree zone 19 with prefix: EPSG:4497; CM: EPSG:4508 */
	l = read_generated("坐标系=2000国家大地坐标系\n几度分带=6\n带号=19\n",
			   "19518000.000", "19518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4497);
	lg_layer_destroy(T, l);
	l = read_generated("坐标系=2000国家大地坐标系\n几度分带=6\n带号=19\n",
			   "518000.000", "518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4508);
	lg_layer_destroy(T, l);
	/* no prefix, 带号 37: the CM 111E variant, EPSG:4546 */
	l = read_generated("坐标系=2000国家大地坐标系\n几度分带=3\n带号=37\n",
			   "518000.000", "518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4546);
	lg_layer_destroy(T, l);
	/* 分带=3度带 (longjie-sir spelling), no 带号, prefix 37 */
	l = read_generated("坐标系=2000国家大地坐标系\n分带=3度带\n带号=\n",
			   "37518000.000", "37518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4525);
	lg_layer_destroy(T, l);
	/* 带号 disagrees with the prefix: the prefix wins, with a warning */
	l = read_generated("坐标系=2000国家大地坐标系\n几度分带=3\n带号=38\n",
			   "37518000.000", "37518010.000", LG_OK);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4525);
	ck_assert(has_warning("header 带号=38 but the eastings carry the zone prefix 37"));
	lg_layer_destroy(T, l);
	/* an unknown system */
	l = read_generated("坐标系=WGS84\n带号=37\n", "37518000.000",
			   "37518010.000", LG_NOCRS);
	ck_assert_ptr_null(l);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "give --s-srs"));
}
END_TEST

START_TEST(swapped_columns_read_back)
{
	const char *p = lg_test_tmp("swap.txt");
	lg_layer *l;
	lg_test_write_file(p, "[属性描述]\n坐标系=2000国家大地坐标系\n带号=37\n[地块坐标]\n"
		      "5,,S1,,面,,,,@\n"
		      "J1,1,37518000.000,3941000.000\nJ2,1,37518010.000,3941000.000\n"
		      "J3,1,37518010.000,3941010.000\nJ4,1,37518000.000,3941010.000\n"
		      "J1,1,37518000.000,3941000.000\n");
	l = read_path(p, NULL);
	ck_assert(has_warning("column X holds zone-prefixed eastings"));
	LG_ASSERT_GEOM_EQ(l->feat[0].geom,
			  "POLYGON((37518000 3941000, 37518010 3941000, 37518010 3941010,"
			  " 37518000 3941010, 37518000 3941000))",
			  1e-9);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(rings_split_by_closure_not_only_by_number)
{
	/* every ring numbered 1, point names running on: the hole starts
	 * after the shell's first point came back (J1..J4,J1,J5..J8,J5) */
	const char *p = lg_test_tmp("samequan.txt");
	lg_layer *l;
	lg_test_write_file(p, "[属性描述]\n坐标系=2000国家大地坐标系\n带号=37\n[地块坐标]\n"
		      "10,,Q1,,面,,,,@\n"
		      "J1,1,3941000,37518000\nJ2,1,3941000,37518010\n"
		      "J3,1,3941010,37518010\nJ4,1,3941010,37518000\nJ1,1,3941000,37518000\n"
		      "J5,1,3941002,37518002\nJ6,1,3941002,37518004\n"
		      "J7,1,3941004,37518004\nJ8,1,3941004,37518002\nJ5,1,3941002,37518002\n");
	l = read_path(p, NULL);
	LG_ASSERT_GEOM_EQ(l->feat[0].geom,
			  "POLYGON((37518000 3941000, 37518010 3941000, 37518010 3941010,"
			  " 37518000 3941010, 37518000 3941000),"
			  "(37518002 3941002, 37518004 3941002, 37518004 3941004,"
			  " 37518002 3941004, 37518002 3941002))",
			  1e-9);
	ck_assert_double_eq_tol(area_m2(l, 0), 100.0 - 4.0, 1e-6);
	ck_assert_uint_eq(lg_ctx_nwarnings(T), 0);
	lg_layer_destroy(T, l);

	/* a closing point written twice is a duplicate, not a 1-point ring */
	lg_test_write_file(p, "[属性描述]\n坐标系=2000国家大地坐标系\n带号=37\n[地块坐标]\n"
		      "6,,Q2,,面,,,,@\n"
		      "J1,1,3941000,37518000\nJ2,1,3941000,37518010\n"
		      "J3,1,3941010,37518010\nJ4,1,3941010,37518000\n"
		      "J1,1,3941000,37518000\nJ1,1,3941000,37518000\n");
	l = read_path(p, NULL);
	ck_assert_int_eq(geom_type(l, 0), GEOS_POLYGON);
	ck_assert_double_eq_tol(area_m2(l, 0), 100.0, 1e-6);
	ck_assert(has_warning("dropped 1 point less than 1 mm"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(overlapping_parts_repaired)
{
	/* two 10 m squares overlapping by 5 m: the union is 150 m² */
	const char *p = lg_test_tmp("overlap.txt");
	lg_layer *l;
	lg_test_write_file(p, "[属性描述]\n坐标系=2000国家大地坐标系\n带号=37\n[地块坐标]\n"
		      "10,,O1,,面,,,,@\n"
		      "J1,1,3941000,37518000\nJ2,1,3941000,37518010\n"
		      "J3,1,3941010,37518010\nJ4,1,3941010,37518000\nJ1,1,3941000,37518000\n"
		      "J5,2,3941000,37518005\nJ6,2,3941000,37518015\n"
		      "J7,2,3941010,37518015\nJ8,2,3941010,37518005\nJ5,2,3941000,37518005\n");
	l = read_path(p, NULL);
	ck_assert_uint_eq(l->nrepaired, 1);
	ck_assert(has_warning("invalid polygon"));
	ck_assert(GEOSisValid_r(lg_test_geos(), l->feat[0].geom) == 1);
	ck_assert_double_eq_tol(area_m2(l, 0), 150.0, 1e-6);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(header_read)
{
	lg_jzd_header *h = NULL;
	ck_assert_int_eq(lg_jzd_header_read(T, lg_test_data("jzd/square_hole.txt"),
					    NULL, &h), LG_OK);
	ck_assert_uint_eq(h->n, 11);
	ck_assert_str_eq(h->entry[0].section, "项目信息");
	ck_assert_str_eq(h->entry[0].key, "项目名称");
	ck_assert_str_eq(lg_jzd_header_get(h, "项目名称"), "测试项目");
	ck_assert_str_eq(h->entry[1].section, "属性描述");
	ck_assert_str_eq(lg_jzd_header_get(h, "带号"), "37");
	ck_assert_str_eq(lg_jzd_header_get(h, "精度"), "0.001");
	ck_assert_str_eq(lg_jzd_header_get(h, "转换参数"), ",,,,,,");
	ck_assert_ptr_null(lg_jzd_header_get(h, "no such key"));
	lg_jzd_header_destroy(h);
	lg_jzd_header_destroy(NULL);
}
END_TEST

START_TEST(sniff)
{
	const char *p = lg_test_tmp("plain.txt");
	ck_assert(lg_jzd_sniff(lg_test_data("jzd/square_hole.txt")));
	ck_assert(lg_jzd_sniff(lg_test_data("jzd/gbk.txt")));
	lg_test_write_file(p, "id,x,y\n1,2,3\n");
	ck_assert(!lg_jzd_sniff(p));
	ck_assert(!lg_jzd_sniff("/nonexistent/x.txt"));
}
END_TEST

/* ------------------------------------------------------------------ */
/* writer                                                               */

START_TEST(roundtrip_fixtures)
{
	static const char *const names[] = {"square_hole.txt", "two_parcels.txt",
					    "multipart.txt", "island.txt",
					    "twelve.txt", "precision.txt",
					    "gbk.txt"};
	for (size_t i = 0; i < LG_ARRAY_LEN(names); i++) {
		char rel[128];
		snprintf(rel, sizeof rel, "jzd/%s", names[i]);
		roundtrip(lg_test_data(rel), false);
	}
}
END_TEST

START_TEST(written_bytes)
{
	lg_layer *l = read_fx("square_hole.txt");
	const char *out = lg_test_tmp("out.txt");
	size_t n;
	char *raw, *u;
	ck_assert_int_eq(lg_jzd_write(T, l, out, NULL), LG_OK);
	raw = lg_test_slurp(out, &n);
	ck_assert(!lg_utf8_valid(raw, n)); /* GBK by default */
	u = lg_to_utf8(raw, n, "GBK");
	ck_assert_ptr_nonnull(u);
	ck_assert_str_eq(u,
			 "[属性描述]\r\n"
			 "格式版本号=1.01版本\r\n"
			 "坐标系=2000国家大地坐标系\r\n"
			 "几度分带=3\r\n"
			 "投影类型=高斯克吕格\r\n"
			 "计量单位=米\r\n"
			 "带号=37\r\n"
			 "精度=0.001\r\n"
			 "转换参数=,,,,,,\r\n"
			 "[地块坐标]\r\n"
			 "10,0.9600,DK001,测试地块,面,J50G001001,工矿仓储用地,0601,@\r\n"
			 "J1,1,3941100.000,37518100.000\r\n"
			 "J2,1,3941100.000,37518200.000\r\n"
			 "J3,1,3941200.000,37518200.000\r\n"
			 "J4,1,3941200.000,37518100.000\r\n"
			 "J1,1,3941100.000,37518100.000\r\n"
			 "J5,2,3941140.000,37518140.000\r\n"
			 "J6,2,3941140.000,37518160.000\r\n"
			 "J7,2,3941160.000,37518160.000\r\n"
			 "J8,2,3941160.000,37518140.000\r\n"
			 "J5,2,3941140.000,37518140.000\r\n");
	free(u);
	free(raw);
	lg_layer_destroy(T, l);
}
END_TEST

/* A layer in the no-prefix CM 111E CRS, made in memory. */
static lg_layer *cm_layer(const char *name)
{
	lg_field fl[] = {{"code", LG_FT_STRING, 0}, {"name", LG_FT_STRING, 0},
			 {"BH", LG_FT_STRING, 0}};
	lg_layer *l;
	lg_feature *f;
	ck_assert_int_eq(lg_layer_create(T, "cm", fl, 3, &l), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", NULL, &l->crs), LG_OK);
	l->role[LG_ROLE_CODE] = 0;
	l->role[LG_ROLE_NAME] = 1;
	l->role[LG_ROLE_ID] = 2;
	ck_assert_int_eq(lg_layer_add(T, l, &f), LG_OK);
	lg_feature_set_str(T, l, f, 0, "0701");
	lg_feature_set_str(T, l, f, 1, name);
	lg_feature_set_str(T, l, f, 2, "C1");
	lg_feature_set_geom(T, f, lg_test_wkt("POLYGON((518100 3941100, 518110 3941100,"
					      " 518110 3941110, 518100 3941110, 518100 3941100))"));
	return l;
}

START_TEST(write_cm_layer_with_prefix_utf8)
{
	lg_layer *l = cm_layer("北,区"), *b;
	lg_write_opts o = {.encoding = "UTF-8"};
	const char *out = lg_test_tmp("cm.txt");
	char *s;
	ck_assert_int_eq(lg_jzd_write(T, l, out, &o), LG_OK);
	s = lg_test_slurp(out, NULL);
	ck_assert_ptr_nonnull(strstr(s, "带号=37\r\n"));
	/* roles fill the named columns; the comma cannot split the field */
	ck_assert_ptr_nonnull(strstr(s, "\r\n5,0.0100,C1,北，区,面,,,0701,@\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nJ1,1,3941100.000,37518100.000\r\n"));
	ck_assert_ptr_nonnull(strstr(s, "\r\nJ1,1,3941100.000,37518100.000\r\n"));
	ck_assert(has_warning("written as '，'"));
	free(s);
	b = read_path(out, NULL);
	ck_assert_str_eq(b->encoding, "UTF-8");
	ck_assert_int_eq(lg_crs_epsg(b->crs), 4525);
	LG_ASSERT_GEOM_EQ(b->feat[0].geom,
			  "POLYGON((37518100 3941100, 37518110 3941100, 37518110 3941110,"
			  " 37518100 3941110, 37518100 3941100))",
			  0.0005);
	lg_layer_destroy(T, b);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(write_precision_option)
{
	lg_layer *l = cm_layer("N");
	lg_write_opts o = {.precision = 2};
	const char *out = lg_test_tmp("p2.txt");
	char *s;
	ck_assert_int_eq(lg_jzd_write(T, l, out, &o), LG_OK);
	s = lg_test_slurp(out, NULL);
	ck_assert_ptr_nonnull(strstr(s, "\r\n\xbe\xab\xb6\xc8=0.01\r\n")); /* 精度 in GBK */
	ck_assert_ptr_nonnull(strstr(s, "\r\nJ2,1,3941100.00,37518110.00\r\n"));
	free(s);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(write_refuses_other_crs)
{
	lg_layer *l = cm_layer("N");
	lg_crs_destroy(l->crs);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4490", NULL, &l->crs), LG_OK);
	ck_assert_int_eq(lg_jzd_write(T, l, lg_test_tmp("x.txt"), NULL), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "--t-srs"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "CGCS2000 3-degree"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(write_t_srs_transforms)
{
	/* a lon/lat layer is written with --t-srs EPSG:4525 */
	lg_layer *l = cm_layer("N"), *b;
	lg_write_opts o = {.t_srs = "EPSG:4525"};
	lg_transform *t = NULL;
	lg_crs *geo = NULL;
	GEOSGeometry *g = NULL;
	const char *out = lg_test_tmp("ll.txt");
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4490", NULL, &geo), LG_OK);
	ck_assert_int_eq(lg_transform_create(T, l->crs, geo, &t), LG_OK);
	ck_assert_int_eq(lg_transform_geom(T, t, l->feat[0].geom, &g), LG_OK);
	lg_feature_set_geom(T, &l->feat[0], g);
	lg_crs_destroy(l->crs);
	l->crs = geo;
	lg_transform_destroy(t);
	ck_assert_int_eq(lg_jzd_write(T, l, out, &o), LG_OK);
	b = read_path(out, NULL);
	LG_ASSERT_GEOM_EQ(b->feat[0].geom,
			  "POLYGON((37518100 3941100, 37518110 3941100, 37518110 3941110,"
			  " 37518100 3941110, 37518100 3941100))",
			  0.002);
	lg_layer_destroy(T, b);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(write_gbk_unencodable_text)
{
	lg_layer *l = cm_layer("\xF0\x9F\x98\x80"); /* U+1F600: not in GBK */
	const char *out = lg_test_tmp("emoji.txt");
	ck_assert_int_eq(lg_jzd_write(T, l, out, NULL), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "'cm' feature C1 holds a character"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "--encoding UTF-8"));
	ck_assert_int_ne(access(out, F_OK), 0);
	lg_layer_destroy(T, l);
}
END_TEST

static size_t count_tmp_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = 0;
	ck_assert_ptr_nonnull(d);
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".tmp.") != NULL;
	closedir(d);
	return n;
}

START_TEST(write_failure_leaves_nothing)
{
	lg_layer *l = cm_layer("N");
	const char *dir = lg_test_tmp("adir");
	char want[1024];
	ck_assert_int_eq(lg_jzd_write(T, l, "/nonexistent/dir/x.txt", NULL), LG_WRITE);
	ck_assert_str_eq(lg_ctx_errmsg(T), "cannot write '/nonexistent/dir/x.txt': "
					   "No such file or directory");
	/* rename over a directory fails after the temp file was written */
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	ck_assert_int_eq(lg_jzd_write(T, l, dir, NULL), LG_WRITE);
	snprintf(want, sizeof want, "cannot write '%s': Is a directory", dir);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
	ck_assert_uint_eq(count_tmp_files(lg_test_tmpdir()), 0);
	lg_layer_destroy(T, l);
}
END_TEST


/* Every allocation of a read and a write fails in turn: each must give
 * LG_NOMEM (or succeed when the failed one was optional) and free all it
 * took; valgrind checks the second half. */
START_TEST(alloc_failures_clean_up)
{
	lg_layer *src = read_fx("island.txt");
	const char *out = lg_test_tmp("oom.txt");
	long total_read, total_write;
	lg_layer *l = NULL;

	lg_ctx_fail_alloc_at(T, 0);
	l = read_fx("island.txt");
	total_read = lg_ctx_alloc_count(T);
	lg_layer_destroy(T, l);
	ck_assert_int_eq(lg_jzd_write(T, src, out, NULL), LG_OK);
	lg_ctx_fail_alloc_at(T, 0);
	ck_assert_int_eq(lg_jzd_write(T, src, out, NULL), LG_OK);
	total_write = lg_ctx_alloc_count(T);
	for (long n = 1; n <= total_read; n++) {
		lg_status st;
		l = NULL;
		lg_ctx_fail_alloc_at(T, n);
		st = lg_jzd_read(T, lg_test_data("jzd/island.txt"), NULL, &l);
		ck_assert_msg(st == LG_NOMEM || st == LG_OK, "alloc %ld: %s", n,
			      lg_ctx_errmsg(T));
		if (st)
			ck_assert_ptr_null(l);
		lg_layer_destroy(T, l);
	}
	for (long n = 1; n <= total_write; n++) {
		lg_status st;
		lg_ctx_fail_alloc_at(T, n);
		st = lg_jzd_write(T, src, out, NULL);
		ck_assert_msg(st == LG_NOMEM || st == LG_OK, "alloc %ld: %s", n,
			      lg_ctx_errmsg(T));
	}
	lg_ctx_fail_alloc_at(T, 0);
	ck_assert_uint_eq(count_tmp_files(lg_test_tmpdir()), 0);
	lg_layer_destroy(T, src);
}
END_TEST

/* ------------------------------------------------------------------ */
/* real files (../shared/data/real/jzd, not in the repository)          */

#define SHARED_OR_RETURN(p, rel)                                               \
	const char *p = lg_test_shared(rel);                                   \
	if (!p) {                                                              \
		fprintf(stderr, "shared/ absent: skipping %s\n", rel);         \
		return;                                                        \
	}

START_TEST(real_windr07)
{
	SHARED_OR_RETURN(p, "real/jzd/windr07/SampleData.txt");
	lg_layer *l = read_path(p, NULL);
	const GEOSGeometry *g;
	int nholes = 0;
	/* grep -c ',@' SampleData.txt: 5 parcel lines */
	ck_assert_uint_eq(l->n, 5);
	ck_assert_str_eq(l->encoding, "GB18030");
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4525);
	/* parcel 3: ring 1 (24 lines) holds ring 2 (6 lines): one hole;
	 * awk shoelace over its points: 476.3504 − 16.6281 = 459.7222 m²,
	 * written as 459.73 (m², not 公顷) */
	ck_assert_str_eq(txt(l, 2, "地块编号"), "3");
	ck_assert_int_eq(geom_type(l, 2), GEOS_POLYGON);
	ck_assert_int_eq(GEOSGetNumInteriorRings_r(lg_test_geos(), l->feat[2].geom), 1);
	ck_assert_double_eq_tol(area_m2(l, 2), 459.7222, 0.001);
	ck_assert(has_warning("parcel 3 (地块编号 3): 地块面积 459.73 is the area in m²"));
	ck_assert_uint_eq(count_warnings("is the area in m²"), 5);
	/* parcel 4: rings 1 and 2 are separate triangles/notch, ring 3 a
	 * rectangle holding ring 4, which holds islands 5 and 6: 5 parts,
	 * one hole */
	g = l->feat[3].geom;
	ck_assert_int_eq(GEOSGeomTypeId_r(lg_test_geos(), g), GEOS_MULTIPOLYGON);
	ck_assert_int_eq(GEOSGetNumGeometries_r(lg_test_geos(), g), 5);
	for (int i = 0; i < 5; i++)
		nholes += GEOSGetNumInteriorRings_r(lg_test_geos(),
						    GEOSGetGeometryN_r(lg_test_geos(), g, i));
	ck_assert_int_eq(nholes, 1);
	/* 36.7758 + 92.2937 + 1075.0126 − 407.4240 + 122.8741 + 69.7314 */
	ck_assert_double_eq_tol(area_m2(l, 3), 989.2636, 0.001);
	/* parcel 5: two shells side by side */
	ck_assert_int_eq(geom_type(l, 4), GEOS_MULTIPOLYGON);
	ck_assert_uint_eq(l->nrepaired, 0);
	lg_layer_destroy(T, l);
	roundtrip(p, true);
}
END_TEST

START_TEST(real_longjie)
{
	SHARED_OR_RETURN(p, "real/jzd/longjie-sir/testfile.txt");
	lg_layer *l = read_path(p, NULL);
	ck_assert_uint_eq(l->n, 1);
	ck_assert_str_eq(l->encoding, "UTF-8");
	/* 带号 empty, eastings 35521983.54 ...: zone 35, EPSG:4513 + 10 */
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4523);
	ck_assert_ptr_nonnull(strstr(l->crs_how, "zone 35 from the easting prefix"));
	ck_assert(has_warning("ring 1 does not end at its first point; closed it"));
	ck_assert_str_eq(txt(l, 0, "地块编号"), "010031");
	ck_assert_str_eq(txt(l, 0, "界址点数"), "63");
	/* 63 points + the closing one */
	ck_assert_int_eq(GEOSGetNumCoordinates_r(lg_test_geos(), l->feat[0].geom), 64);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(real_edcfoshan)
{
	static const char *const files[] = {"44120000105.txt", "44120000567.txt",
					    "plot_000.txt"};
	/* 界址点数 as written: 50, 15, 6 (each ring closed by its last line) */
	static const int npts[] = {50, 15, 6};
	for (size_t i = 0; i < 3; i++) {
		char rel[128];
		lg_layer *l;
		snprintf(rel, sizeof rel, "real/jzd/edcfoshan/%s", files[i]);
		SHARED_OR_RETURN(p, rel);
		l = read_path(p, NULL);
		ck_assert_uint_eq(l->n, 1);
		ck_assert_int_eq(lg_crs_epsg(l->crs), 4526); /* zone 38 */
		ck_assert_int_eq(GEOSGetNumCoordinates_r(lg_test_geos(), l->feat[0].geom),
				 npts[i]);
		/* placeholders DKMC, DLBM ... are not data */
		ck_assert(l->feat[0].vals[lg_layer_field(l, "地块名称")].null);
		ck_assert(has_warning("field-name placeholders"));
		lg_layer_destroy(T, l);
	}
	/* 8.7423 ha written, awk shoelace 87422.5452 m²: agrees, no warning */
	ck_assert(!has_warning("differs from"));
	ck_assert(!has_warning("is the area in"));
}
END_TEST

/* ------------------------------------------------------------------ */

static Suite *jzd_suite(void)
{
	Suite *s = suite_create("jzd");
	TCase *rd = tcase_create("read");
	TCase *wr = tcase_create("write");
	TCase *real = tcase_create("real");
	tcase_add_checked_fixture(rd, lg_test_setup, lg_test_teardown);
	tcase_add_checked_fixture(wr, lg_test_setup, lg_test_teardown);
	tcase_add_checked_fixture(real, lg_test_setup, lg_test_teardown);
	tcase_add_test(rd, square_with_hole);
	tcase_add_test(rd, two_parcels_in_one_file);
	tcase_add_test(rd, ring_two_outside_is_a_part);
	tcase_add_test(rd, island_in_hole_is_a_shell);
	tcase_add_test(rd, unclosed_ring_closed_with_warning);
	tcase_add_test(rd, twelve_field_line_keeps_extras);
	tcase_add_test(rd, bare_cr_last_line_and_m2_area);
	tcase_add_test(rd, no_final_line_break);
	tcase_add_test(rd, gbk_file);
	tcase_add_test(rd, gbk_generated_with_bom_variants);
	tcase_add_test(rd, empty_zone_from_prefix);
	tcase_add_test(rd, no_prefix_no_zone_is_nocrs);
	tcase_add_test(rd, bad_number_names_line_and_column);
	tcase_add_test(rd, ring_of_two_points_is_an_error);
	tcase_add_test(rd, area_keeps_micrometres_at_8_digit_eastings);
	tcase_add_test(rd, near_duplicates_dropped_and_count_checked);
	tcase_add_test(rd, missing_file);
	tcase_add_test(rd, crs_from_header_variants);
	tcase_add_test(rd, swapped_columns_read_back);
	tcase_add_test(rd, rings_split_by_closure_not_only_by_number);
	tcase_add_test(rd, overlapping_parts_repaired);
	tcase_add_test(rd, header_read);
	tcase_add_test(rd, sniff);
	tcase_add_test(wr, roundtrip_fixtures);
	tcase_add_test(wr, written_bytes);
	tcase_add_test(wr, write_cm_layer_with_prefix_utf8);
	tcase_add_test(wr, write_precision_option);
	tcase_add_test(wr, write_refuses_other_crs);
	tcase_add_test(wr, write_t_srs_transforms);
	tcase_add_test(wr, write_gbk_unencodable_text);
	tcase_add_test(wr, write_failure_leaves_nothing);
	tcase_add_test(wr, alloc_failures_clean_up);
	tcase_add_test(real, real_windr07);
	tcase_add_test(real, real_longjie);
	tcase_add_test(real, real_edcfoshan);
	suite_add_tcase(s, rd);
	suite_add_tcase(s, wr);
	suite_add_tcase(s, real);
	return s;
}

int main(void)
{
	return lg_test_run(jzd_suite());
}
