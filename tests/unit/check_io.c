/* lib/io: reading (encodings, roles, CRS guessing, repair), writing
 * (formats, shapefile names, atomicity). */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "lg_test.h"



static bool has_warning(const char *needle)
{
	for (size_t i = 0; i < lg_ctx_nwarnings(T); i++)
		if (strstr(lg_ctx_warning(T, i), needle))
			return true;
	return false;
}

/* Two 10 m × 10 m parcels in zone-prefixed GK coordinates, no CRS. */
static const char *two_parcels =
	"{\"type\":\"FeatureCollection\",\"features\":["
	"{\"type\":\"Feature\",\"properties\":{\"DKBH\":\"140825-001\",\"DLBM\":\"0701\",\"DKMC\":\"城北地块\"},"
	"\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[37518000,3941000],[37518010,3941000],"
	"[37518010,3941010],[37518000,3941010],[37518000,3941000]]]}},"
	"{\"type\":\"Feature\",\"properties\":{\"DKBH\":\"140825-002\",\"DLBM\":\"0601\",\"DKMC\":\"焦化厂\"},"
	"\"geometry\":{\"type\":\"Polygon\",\"coordinates\":[[[37518020,3941000],[37518030,3941000],"
	"[37518030,3941010],[37518020,3941010],[37518020,3941000]]]}}]}";

static lg_layer *read_ok(const char *path, const lg_read_opts *o)
{
	lg_layer *l = NULL;
	lg_status st = lg_layer_read(T, path, o, &l);
	ck_assert_msg(st == LG_OK, "read %s: %s", path, lg_ctx_errmsg(T));
	return l;
}

START_TEST(geojson_roles_and_zone_guess)
{
	const char *p = lg_test_tmp("parcels.geojson");
	lg_layer *l;
	lg_test_write_file(p, two_parcels);
	l = read_ok(p, NULL);
	ck_assert_uint_eq(l->n, 2);
	ck_assert_int_eq(l->role[LG_ROLE_ID], lg_layer_field(l, "DKBH"));
	ck_assert_int_eq(l->role[LG_ROLE_CODE], lg_layer_field(l, "DLBM"));
	ck_assert_int_eq(l->role[LG_ROLE_NAME], lg_layer_field(l, "DKMC"));
	ck_assert_str_eq(lg_feature_id(l, &l->feat[1]), "140825-002");
	ck_assert_str_eq(lg_feature_text(l, &l->feat[0], l->role[LG_ROLE_NAME]), "城北地块");
	/* GeoJSON without "crs" is WGS84 by spec, but these coordinates can't
	 * be degrees: the reader must say so. */
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4525);
	ck_assert(has_warning("zone 37"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(role_override_and_missing_field)
{
	const char *p = lg_test_tmp("parcels.geojson");
	lg_read_opts o = {0};
	lg_layer *l = NULL;
	lg_test_write_file(p, two_parcels);
	o.role_field[LG_ROLE_ID] = "DKMC";
	l = read_ok(p, &o);
	ck_assert_str_eq(lg_feature_id(l, &l->feat[0]), "城北地块");
	lg_layer_destroy(T, l);
	l = NULL;
	o.role_field[LG_ROLE_CODE] = "YDDM";
	ck_assert_int_eq(lg_layer_read(T, p, &o, &l), LG_FIELD);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "'YDDM'"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "DLBM"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), p));
}
END_TEST

START_TEST(missing_file_and_layer)
{
	lg_layer *l = NULL;
	ck_assert_int_eq(lg_layer_read(T, "/nonexistent/plan.gpkg", NULL, &l), LG_NOFILE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "/nonexistent/plan.gpkg"));
	const char *p = lg_test_tmp("parcels.geojson");
	char src[600];
	lg_test_write_file(p, two_parcels);
	snprintf(src, sizeof src, "%s#nosuchlayer", p);
	ck_assert_int_eq(lg_layer_read(T, src, NULL, &l), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "nosuchlayer"));
}
END_TEST

/* A bow-tie (0 0, 10 10, 10 0, 0 10) is two triangles of 25 m² each. */
START_TEST(bowtie_is_repaired)
{
	const char *p = lg_test_tmp("bowtie.csv");
	lg_read_opts o = {0};
	lg_layer *l;
	double a = 0;
	lg_test_write_file(p, "id,WKT\n1,\"POLYGON((0 0,10 10,10 0,0 10,0 0))\"\n");
	o.s_srs = "EPSG:4546";
	l = read_ok(p, &o);
	ck_assert_uint_eq(l->nrepaired, 1);
	ck_assert(GEOSisValid_r(lg_test_geos(), l->feat[0].geom) == 1);
	ck_assert(GEOSArea_r(lg_test_geos(), l->feat[0].geom, &a));
	ck_assert_double_eq_tol(a, 50.0, 1e-9);
	ck_assert(has_warning("repaired"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(csv_xy_columns)
{
	const char *p = lg_test_tmp("wells.csv");
	lg_layer *l;
	lg_test_write_file(p, "井号,lon,lat\nW1,111.2,35.6\nW2,111.25,35.61\n");
	l = read_ok(p, NULL);
	ck_assert_uint_eq(l->n, 2);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4490);
	ck_assert(has_warning("EPSG:4490"));
	double x;
	GEOSGeomGetX_r(lg_test_geos(), l->feat[1].geom, &x);
	ck_assert_double_eq_tol(x, 111.25, 1e-12);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(no_crs_no_guess)
{
	const char *p = lg_test_tmp("local.csv");
	lg_layer *l = NULL;
	lg_test_write_file(p, "id,x,y\n1,12.5,30.0\n2,800,900\n");
	ck_assert_int_eq(lg_layer_read(T, p, NULL, &l), LG_NOCRS);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "--s-srs"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), p));
}
END_TEST

START_TEST(huge_coordinates_rejected)
{
	const char *p = lg_test_tmp("huge.csv");
	lg_read_opts o = {0};
	lg_layer *l = NULL;
	lg_test_write_file(p, "id,WKT\nA7,\"POINT(1e300 5)\"\n");
	o.s_srs = "EPSG:4546";
	ck_assert_int_eq(lg_layer_read(T, p, &o, &l), LG_GEOM);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "A7"));
}
END_TEST

/* Write with GBK, strip the .cpg and the DBF code page: the reader must
 * still find GBK from the bytes, and say so. */
static void patch_ldid(const char *dbf, unsigned char v)
{
	FILE *f = fopen(dbf, "r+b");
	ck_assert_ptr_nonnull(f);
	fseek(f, 29, SEEK_SET);
	fputc(v, f);
	fclose(f);
}

static lg_layer *gbk_shapefile(const char *dir_name)
{
	const char *src = lg_test_tmp("parcels.geojson");
	char shp[600], cpg[600], prj[600];
	lg_write_opts wo = {0};
	lg_layer *l;
	lg_test_write_file(src, two_parcels);
	l = read_ok(src, NULL);
	snprintf(shp, sizeof shp, "%s/%s.shp", lg_test_tmpdir(), dir_name);
	wo.encoding = "GBK";
	ck_assert_int_eq(lg_layer_write(T, l, shp, &wo), LG_OK);
	lg_layer_destroy(T, l);
	snprintf(cpg, sizeof cpg, "%s/%s.cpg", lg_test_tmpdir(), dir_name);
	snprintf(prj, sizeof prj, "%s/%s.prj", lg_test_tmpdir(), dir_name);
	unlink(cpg);
	unlink(prj);
	return NULL;
}

START_TEST(gbk_shapefile_detected_from_bytes)
{
	char shp[600], dbf[600];
	lg_layer *l;
	gbk_shapefile("gbk");
	snprintf(shp, sizeof shp, "%s/gbk.shp", lg_test_tmpdir());
	snprintf(dbf, sizeof dbf, "%s/gbk.dbf", lg_test_tmpdir());
	patch_ldid(dbf, 0);
	/* The raw DBF must really hold GBK: 焦 is 0xBD 0xB9 in GBK. */
	size_t n;
	char *raw = lg_test_slurp(dbf, &n);
	ck_assert(!lg_utf8_valid(raw, n));
	ck_assert_ptr_nonnull(memmem(raw, n, "\xbd\xb9", 2));
	free(raw);
	l = read_ok(shp, NULL);
	ck_assert_str_eq(l->encoding, "GB18030");
	ck_assert_str_eq(lg_feature_text(l, &l->feat[1], lg_layer_field(l, "DKMC")), "焦化厂");
	ck_assert(has_warning("GB18030"));
	/* No .prj, zone-prefixed eastings: guessed as EPSG:4525 with a warning. */
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4525);
	ck_assert(has_warning("zone 37"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(ldid_87_over_gbk_bytes)
{
	char shp[600], dbf[600];
	lg_layer *l;
	gbk_shapefile("latin");
	snprintf(shp, sizeof shp, "%s/latin.shp", lg_test_tmpdir());
	snprintf(dbf, sizeof dbf, "%s/latin.dbf", lg_test_tmpdir());
	patch_ldid(dbf, 87);
	l = read_ok(shp, NULL);
	ck_assert_str_eq(lg_feature_text(l, &l->feat[0], lg_layer_field(l, "DKMC")), "城北地块");
	ck_assert(has_warning("code-page byte 87"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(encoding_override)
{
	char shp[600], dbf[600];
	lg_read_opts o = {0};
	lg_layer *l = NULL;
	gbk_shapefile("ovr");
	snprintf(shp, sizeof shp, "%s/ovr.shp", lg_test_tmpdir());
	snprintf(dbf, sizeof dbf, "%s/ovr.dbf", lg_test_tmpdir());
	patch_ldid(dbf, 0);
	o.encoding = "UTF-8";
	ck_assert_int_ne(lg_layer_read(T, shp, &o, &l), LG_OK);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "--encoding"));
}
END_TEST

/* DBF names hold 10 bytes; 地块编号名称 is 18 bytes in UTF-8.  GDAL would
 * cut at byte 10, inside the fourth character. */
START_TEST(shapefile_names_cut_on_characters)
{
	const char *names[] = {"地块编号名称", "地块编号名称甲", "overlap_m2_total", "overlap_m2_tot2", "id"};
	char *out[5];
	ck_assert_int_eq(lg_shp_field_names(T, names, 5, out), LG_OK);
	ck_assert_str_eq(out[0], "地块编");
	ck_assert_str_eq(out[1], "地块_1");
	ck_assert_str_eq(out[2], "overlap_m2");
	ck_assert_str_eq(out[3], "overlap__1");
	ck_assert_str_eq(out[4], "id");
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_le(strlen(out[i]), 10);
		ck_assert(lg_utf8_valid(out[i], strlen(out[i])));
		free(out[i]);
	}
}
END_TEST

START_TEST(shapefile_roundtrip_keeps_chinese_names)
{
	lg_field f[] = {{"地块编号名称", LG_FT_STRING, 0}, {"面积", LG_FT_REAL, 0}};
	lg_layer *l = NULL, *back;
	lg_feature *ft;
	char shp[600];
	ck_assert_int_eq(lg_layer_create(T, "t", f, 2, &l), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &l->crs), LG_OK);
	ck_assert_int_eq(lg_layer_add(T, l, &ft), LG_OK);
	lg_feature_set_str(T, l, ft, 0, "三泉镇");
	lg_feature_set_real(l, ft, 1, 12.5);
	lg_feature_set_geom(T, ft, lg_test_wkt("POLYGON((0 0,1 0,1 1,0 0))"));
	snprintf(shp, sizeof shp, "%s/names.shp", lg_test_tmpdir());
	ck_assert_int_eq(lg_layer_write(T, l, shp, NULL), LG_OK);
	back = read_ok(shp, NULL);
	ck_assert_str_eq(back->fields[0].name, "地块编");
	ck_assert_str_eq(back->encoding, "UTF-8");
	ck_assert_str_eq(lg_feature_text(back, &back->feat[0], 0), "三泉镇");
	ck_assert_int_eq(lg_crs_epsg(back->crs), 4546);
	lg_layer_destroy(T, back);
	lg_layer_destroy(T, l);
	/* A .cpg says the DBF is UTF-8. */
	char cpg[600];
	size_t n;
	snprintf(cpg, sizeof cpg, "%s/names.cpg", lg_test_tmpdir());
	char *text = lg_test_slurp(cpg, &n);
	ck_assert_ptr_nonnull(text);
	ck_assert_ptr_nonnull(strstr(text, "UTF-8"));
	free(text);
}
END_TEST

/* Why lg_shp_field_names exists: GDAL's own Shapefile writer cuts a
 * long UTF-8 field name at byte 10, inside the fourth character. */
START_TEST(gdal_alone_cuts_chinese_names)
{
	char shp[600], dbf[600], cmd[1400];
	unsigned char hdr[64];
	FILE *f;
	snprintf(shp, sizeof shp, "%s/raw.shp", lg_test_tmpdir());
	snprintf(dbf, sizeof dbf, "%s/raw.dbf", lg_test_tmpdir());
	snprintf(cmd, sizeof cmd,
		 "printf 'WKT,地块编号名称\\n\"POINT(1 2)\",x\\n' > %s/raw.csv && "
		 "ogr2ogr -q -f 'ESRI Shapefile' -lco ENCODING=UTF-8 %.300s %s/raw.csv "
		 "-oo GEOM_POSSIBLE_NAMES=WKT -oo KEEP_GEOM_COLUMNS=NO 2>/dev/null",
		 lg_test_tmpdir(), shp, lg_test_tmpdir());
	ck_assert_int_eq(system(cmd), 0);
	f = fopen(dbf, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(hdr, 1, 64, f), 64);
	fclose(f);
	/* The first field descriptor starts at byte 32; its name is 11 bytes,
	 * NUL-padded.  GDAL kept 10 bytes of an 18-byte name: 3 characters
	 * and a third of the fourth, which is not valid UTF-8. */
	size_t n = strnlen((const char *)hdr + 32, 11);
	ck_assert_uint_eq(n, 10);
	ck_assert(!lg_utf8_valid((const char *)hdr + 32, n));
}
END_TEST

START_TEST(gpkg_and_csv_outputs)
{
	const char *src = lg_test_tmp("parcels.geojson");
	const char *gpkg = lg_test_tmp("out.gpkg");
	const char *csv = lg_test_tmp("out.csv");
	lg_write_opts wo = {0};
	lg_layer *l, *back;
	size_t n;
	char *text;
	lg_test_write_file(src, two_parcels);
	l = read_ok(src, NULL);
	wo.t_srs = "EPSG:4546";
	ck_assert_int_eq(lg_layer_write(T, l, gpkg, &wo), LG_OK);
	back = read_ok(gpkg, NULL);
	ck_assert_uint_eq(back->n, 2);
	ck_assert_int_eq(lg_crs_epsg(back->crs), 4546);
	/* The zone prefix (37 000 000) is gone after --t-srs EPSG:4546. */
	ck_assert_double_eq_tol(back->minx, 518000.0, 0.001);
	lg_layer_destroy(T, back);
	ck_assert_int_eq(lg_layer_write(T, l, csv, NULL), LG_OK);
	text = lg_test_slurp(csv, &n);
	ck_assert_ptr_nonnull(strstr(text, "DKBH,DLBM,DKMC,WKT\n"));
	ck_assert_ptr_nonnull(strstr(text, "140825-002,0601,焦化厂,\"POLYGON ((37518020 3941000,"));
	free(text);
	lg_layer_destroy(T, l);
}
END_TEST

/* A write that fails half-way (the file-size limit stands in for a full
 * disk) must leave the earlier output as it was and no temporary file. */
START_TEST(failed_write_keeps_old_output)
{
	const char *out = lg_test_tmp("big.csv");
	lg_field f[] = {{"note", LG_FT_STRING, 0}};
	lg_layer *l = NULL;
	struct rlimit rl = {200000, 200000};
	char line[1024];
	size_t n;
	char *text;
	ck_assert_int_eq(lg_layer_create(T, "t", f, 1, &l), LG_OK);
	memset(line, 'x', sizeof line - 1);
	line[sizeof line - 1] = '\0';
	for (int i = 0; i < 2000; i++) {
		lg_feature *ft;
		ck_assert_int_eq(lg_layer_add(T, l, &ft), LG_OK);
		lg_feature_set_str(T, l, ft, 0, line);
	}
	lg_test_write_file(out, "OLD CONTENT\n");
	signal(SIGXFSZ, SIG_IGN);
	ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &rl), 0);
	ck_assert_int_eq(lg_layer_write(T, l, out, NULL), LG_WRITE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), out));
	text = lg_test_slurp(out, &n);
	ck_assert_str_eq(text, "OLD CONTENT\n");
	free(text);
	/* Nothing else is left in the folder. */
	char cmd[700];
	snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 1", lg_test_tmpdir());
	ck_assert_int_eq(system(cmd), 0);
	lg_layer_destroy(T, l);
}
END_TEST

/* ISO WKB of the polygon ring x0..x1 × y0..y1 (little-endian). */
static unsigned char *rect_wkb(double x0, double y0, double x1, double y1, size_t *len)
{
	const double pts[10] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
	unsigned char *w = malloc(13 + sizeof pts);
	uint32_t t = 3, one = 1, five = 5;
	w[0] = 1;
	memcpy(w + 1, &t, 4);
	memcpy(w + 5, &one, 4);
	memcpy(w + 9, &five, 4);
	memcpy(w + 13, pts, sizeof pts);
	*len = 13 + sizeof pts;
	return w;
}

/* The GeoPackage writer puts rows in through SQLite: the result must be
 * what GDAL's own writer makes of the same layer (fields, NULLs, Chinese
 * text, single polygons promoted next to a multipolygon, a feature
 * without geometry), with the extent, the feature count and an R-tree
 * GDAL can use. */
START_TEST(gpkg_rows_through_sqlite_match_ogr)
{
	lg_field f[] = {{"名称", LG_FT_STRING, 0}, {"n", LG_FT_INT, 0}, {"a", LG_FT_REAL, 0}};
	const char *fast = lg_test_tmp("fast.gpkg"), *slow = lg_test_tmp("slow.gpkg");
	lg_layer *l = NULL, *a, *b;
	lg_crs *crs = NULL;
	char cmd[1600];
	ck_assert_int_eq(lg_layer_create(T, "t", f, 3, &l), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4525", NULL, &crs), LG_OK);
	l->crs = crs;
	for (int i = 0; i < 4; i++) {
		lg_feature *ft;
		ck_assert_int_eq(lg_layer_add(T, l, &ft), LG_OK);
		if (i != 1)
			lg_feature_set_str(T, l, ft, 0, i == 0 ? "焦化厂" : "a'b\"c");
		lg_feature_set_int(l, ft, 1, i * 10);
		if (i != 2)
			lg_feature_set_real(l, ft, 2, 0.5 + i);
		if (i == 0)
			ft->wkb = rect_wkb(37500000, 3900000, 37500010, 3900020, &ft->wkb_len);
		else if (i == 1)
			ft->geom = lg_test_wkt("MULTIPOLYGON(((37500100 3900000,37500110 3900000,"
					       "37500110 3900010,37500100 3900000)),((37500200 3900000,"
					       "37500201 3900000,37500201 3900001,37500200 3900000)))");
		else if (i == 2)
			ft->wkb = rect_wkb(37499990, 3899995, 37500000, 3900000, &ft->wkb_len);
	}
	ck_assert_int_eq(lg_layer_write(T, l, fast, NULL), LG_OK);
	setenv("LG_OGR_WRITE", "1", 1);
	lg_status st = lg_layer_write(T, l, slow, NULL);
	unsetenv("LG_OGR_WRITE");
	ck_assert_int_eq(st, LG_OK);
	a = read_ok(fast, NULL);
	b = read_ok(slow, NULL);
	ck_assert_uint_eq(a->n, 4);
	ck_assert_uint_eq(b->n, 4);
	ck_assert_int_eq(a->geom_type, 6); /* MultiPolygon, like GDAL's */
	ck_assert_int_eq(b->geom_type, 6);
	for (size_t i = 0; i < 4; i++) {
		ck_assert_int_eq(a->feat[i].fid, (int64_t)i + 1);
		for (size_t j = 0; j < 3; j++) {
			const lg_value *x = &a->feat[i].vals[j], *y = &b->feat[i].vals[j];
			ck_assert_int_eq(x->null, y->null);
			if (x->null)
				continue;
			if (a->fields[j].type == LG_FT_STRING)
				ck_assert_str_eq(x->u.s, y->u.s);
			else if (a->fields[j].type == LG_FT_INT)
				ck_assert_int_eq(x->u.i, y->u.i);
			else
				ck_assert_double_eq(x->u.d, y->u.d);
		}
		const lg_geom *gx = a->feat[i].geom, *gy = b->feat[i].geom;
		ck_assert_int_eq(gx == NULL, gy == NULL);
		if (gx)
			ck_assert_int_eq(GEOSEqualsExact_r(lg_test_geos(), gx, gy, 0), 1);
	}
	ck_assert_str_eq(a->feat[2].vals[0].u.s, "a'b\"c");
	/* Extent by hand: x 37499990..37500201, y 3899995..3900020. */
	ck_assert_double_eq_tol(a->minx, 37499990.0, 1e-6);
	ck_assert_double_eq_tol(a->maxx, 37500201.0, 1e-6);
	ck_assert_double_eq_tol(a->miny, 3899995.0, 1e-6);
	ck_assert_double_eq_tol(a->maxy, 3900020.0, 1e-6);
	snprintf(cmd, sizeof cmd,
		 "ogrinfo -so %s fast | grep -q 'Feature Count: 4' && "
		 "ogrinfo -so %s fast | grep -q 'Extent: (37499990.000000, 3899995.000000) - "
		 "(37500201.000000, 3900020.000000)' && "
		 "test \"$(sqlite3 %s 'SELECT count(*) FROM rtree_fast_geom')\" = 3 && "
		 "test \"$(sqlite3 %s \"SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
		 "AND name LIKE '%%feature_count_fast'\")\" = 2 && "
		 "ogrinfo -q %s -spat 37500099 3899999 37500111 3900011 fast | grep -q 'n (Integer64) = 10'",
		 fast, fast, fast, fast, fast);
	ck_assert_msg(system(cmd) == 0, "%s", cmd);
	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
	lg_layer_destroy(T, l);
}
END_TEST

/* A row that cannot go in (WKB cut short; feature 70 counting from 0,
 * inside the second 64-row INSERT) fails the write, naming it: no output,
 * no temporary left. */
START_TEST(gpkg_bad_row_leaves_nothing)
{
	lg_field f[] = {{"n", LG_FT_INT, 0}};
	const char *out = lg_test_tmp("bad.gpkg");
	lg_layer *l = NULL;
	char cmd[700];
	ck_assert_int_eq(lg_layer_create(T, "t", f, 1, &l), LG_OK);
	for (int i = 0; i < 100; i++) {
		lg_feature *ft;
		ck_assert_int_eq(lg_layer_add(T, l, &ft), LG_OK);
		lg_feature_set_int(l, ft, 0, i);
		ft->wkb = rect_wkb(0, 0, 1, 1, &ft->wkb_len);
		if (i == 70)
			ft->wkb_len = 20; /* cut inside the ring */
	}
	ck_assert_int_eq(lg_layer_write(T, l, out, NULL), LG_WRITE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), out));
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "feature 70 ") && strstr(lg_ctx_errmsg(T), "not readable WKB"),
		      "%s", lg_ctx_errmsg(T));
	snprintf(cmd, sizeof cmd, "test $(ls -A %s | wc -l) -eq 0", lg_test_tmpdir());
	ck_assert_int_eq(system(cmd), 0);
	lg_layer_destroy(T, l);
}
END_TEST

/* The GeoPackage fill names its table in SQL: a layer name with both
 * quote kinds and a semicolon (from the file name) must be quoted. */
START_TEST(gpkg_hostile_layer_name)
{
	const char *out = lg_test_tmp("q'\"x; drop table t.gpkg");
	lg_field f[] = {{"n", LG_FT_INT, 0}};
	lg_layer *l = NULL, *back;
	ck_assert_int_eq(lg_layer_create(T, "t", f, 1, &l), LG_OK);
	for (int i = 0; i < 2; i++) {
		lg_feature *ft;
		ck_assert_int_eq(lg_layer_add(T, l, &ft), LG_OK);
		lg_feature_set_int(l, ft, 0, i);
		ft->wkb = rect_wkb(10 * i, 0, 10 * i + 5, 5, &ft->wkb_len);
	}
	ck_assert_msg(lg_layer_write(T, l, out, NULL) == LG_OK, "%s", lg_ctx_errmsg(T));
	back = read_ok(out, NULL);
	ck_assert_str_eq(back->name, "q'\"x; drop table t");
	ck_assert_uint_eq(back->n, 2);
	ck_assert_double_eq_tol(back->maxx, 15.0, 1e-9);
	lg_layer_destroy(T, back);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(unknown_output_extension)
{
	lg_layer *l = NULL;
	ck_assert_int_eq(lg_layer_create(T, "t", NULL, 0, &l), LG_OK);
	ck_assert_int_eq(lg_layer_write(T, l, lg_test_tmp("x.doc"), NULL), LG_USAGE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "x.doc"));
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(multi_layer_needs_a_name)
{
	const char *src = lg_test_tmp("parcels.geojson");
	const char *gpkg = lg_test_tmp("two.gpkg");
	lg_write_opts wo = {0};
	lg_layer *l, *back = NULL;
	char cmd[1200], pick[700];
	lg_test_write_file(src, two_parcels);
	l = read_ok(src, NULL);
	wo.layer_name = "a";
	ck_assert_int_eq(lg_layer_write(T, l, gpkg, &wo), LG_OK);
	snprintf(cmd, sizeof cmd, "ogr2ogr -update -nln b %s %s >/dev/null 2>&1", gpkg, src);
	ck_assert_int_eq(system(cmd), 0);
	ck_assert_int_eq(lg_layer_read(T, gpkg, NULL, &back), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "#LAYER"));
	snprintf(pick, sizeof pick, "%s#b", gpkg);
	back = read_ok(pick, NULL);
	ck_assert_str_eq(back->name, "b");
	lg_layer_destroy(T, back);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(real_gbk_shapefile_without_prj)
{
	const char *p = lg_test_shared("real/shp/zhangailan_320100/320100.shp");
	lg_layer *l;
	if (!p) {
		fprintf(stderr, "skipped: ../shared/data absent\n");
		return;
	}
	l = read_ok(p, NULL);
	ck_assert_str_eq(l->encoding, "GB18030");
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4490);
	lg_layer_destroy(T, l);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("io");
	TCase *tc = tcase_create("read");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_add_test(tc, geojson_roles_and_zone_guess);
	tcase_add_test(tc, role_override_and_missing_field);
	tcase_add_test(tc, missing_file_and_layer);
	tcase_add_test(tc, bowtie_is_repaired);
	tcase_add_test(tc, csv_xy_columns);
	tcase_add_test(tc, no_crs_no_guess);
	tcase_add_test(tc, huge_coordinates_rejected);
	tcase_add_test(tc, gbk_shapefile_detected_from_bytes);
	tcase_add_test(tc, ldid_87_over_gbk_bytes);
	tcase_add_test(tc, encoding_override);
	tcase_add_test(tc, real_gbk_shapefile_without_prj);
	suite_add_tcase(s, tc);
	tc = tcase_create("write");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_add_test(tc, shapefile_names_cut_on_characters);
	tcase_add_test(tc, shapefile_roundtrip_keeps_chinese_names);
	tcase_add_test(tc, gdal_alone_cuts_chinese_names);
	tcase_add_test(tc, gpkg_and_csv_outputs);
	tcase_add_test(tc, failed_write_keeps_old_output);
	tcase_add_test(tc, gpkg_rows_through_sqlite_match_ogr);
	tcase_add_test(tc, gpkg_bad_row_leaves_nothing);
	tcase_add_test(tc, gpkg_hostile_layer_name);
	tcase_add_test(tc, unknown_output_extension);
	tcase_add_test(tc, multi_layer_needs_a_name);
	suite_add_tcase(s, tc);
	return lg_test_run(s);
}
