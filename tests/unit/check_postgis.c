/* PostGIS: the overlay pushed down to a real server gives the local
 * engine's rows on the demo county; tables written to PG: read back; table
 * names that need quoting cannot break the SQL.
 *
 * The server is the ctest fixture of scripts/pg_fixture.sh (or LG_PG).  When
 * it could not start, the suite prints "SKIPPED: PostGIS could not start:
 * <reason>" and exits 77, which ctest reports as skipped, never as passed. */
#define _GNU_SOURCE
#include <gdal_utils.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gdal.h>

#include "lg_test.h"

static char conn[1024];
static char demo_dir[512];

static bool read_line(const char *path, char *buf, size_t n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	bool ok = fgets(buf, (int)n, f) != NULL;
	fclose(f);
	buf[strcspn(buf, "\r\n")] = '\0';
	return ok && *buf;
}

static void src(char *buf, size_t n, const char *table)
{
	snprintf(buf, n, "%s#%s", conn, table);
}

/* ogr2ogr -f PostgreSQL -overwrite, through GDAL's own library call. */
static void load(const char *path, const char *layer, const char *table)
{
	GDALDatasetH in = GDALOpenEx(path, GDAL_OF_VECTOR, NULL, NULL, NULL);
	ck_assert_msg(in != NULL, "cannot open %s", path);
	char *argv[] = {"-f", "PostgreSQL", "-overwrite", "-nln", (char *)table,
			"-lco", "GEOMETRY_NAME=geom", "-lco", "LAUNDER=NO",
			(char *)layer, NULL};
	GDALVectorTranslateOptions *o = GDALVectorTranslateOptionsNew(argv, NULL);
	int usage = 0;
	GDALDatasetH out = GDALVectorTranslate(conn, NULL, 1, &in, o, &usage);
	GDALVectorTranslateOptionsFree(o);
	ck_assert_msg(out != NULL, "cannot load %s into %s: %s", path, table, CPLGetLastErrorMsg());
	GDALClose(out);
	GDALClose(in);
}

static const char *demo(const char *name)
{
	static char buf[4][700];
	static int k;
	char *s = buf[k++ & 3];
	snprintf(s, 700, "%s/%s", demo_dir, name);
	return s;
}

/* Local engine on the GeoPackages. */
static lg_layer *overlay_local(lg_overlay_summary *sum, const lg_landuse *lu)
{
	lg_layer *sites = NULL, *out = NULL;
	lg_rows *plan = NULL;
	lg_crs *work = NULL;
	char s[700];
	lg_overlay_opts oo = {.landuse = lu};
	snprintf(s, sizeof s, "%s#sites", demo("sites.gpkg"));
	ck_assert_int_eq(lg_layer_read(T, s, NULL, &sites), LG_OK);
	ck_assert_int_eq(lg_rows_open(T, demo("plan.gpkg"), NULL, &plan), LG_OK);
	const lg_layer *ps = lg_rows_schema(plan);
	ck_assert_int_eq(lg_crs_work_for(T, ps->crs, ps->minx, ps->miny, ps->maxx, ps->maxy, &work),
			 LG_OK);
	ck_assert_int_eq(lg_layer_reproject(T, sites, work), LG_OK);
	ck_assert_msg(lg_overlay_run(T, sites, plan, work, &oo, &out, sum) == LG_OK, "%s",
		      lg_ctx_errmsg(T));
	lg_rows_close(T, plan);
	lg_layer_destroy(T, sites);
	lg_crs_destroy(work);
	return out;
}

/* The push-down on the server's tables. */
static lg_layer *overlay_pg(const char *sites_table, const char *plan_table,
			    lg_overlay_summary *sum, const lg_landuse *lu)
{
	lg_layer *sites = NULL, *schema = NULL, *out = NULL;
	lg_crs *work = NULL;
	lg_pairs pairs;
	size_t count = 0;
	char s[1200], p[1200], *sql = NULL;
	lg_overlay_opts oo = {.landuse = lu};
	src(s, sizeof s, sites_table);
	src(p, sizeof p, plan_table);
	ck_assert_msg(lg_layer_read(T, s, NULL, &sites) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_msg(lg_pg_schema(T, p, NULL, &schema, &count) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_crs_work_for(T, schema->crs, schema->minx, schema->miny, schema->maxx,
					 schema->maxy, &work),
			 LG_OK);
	ck_assert_int_eq(lg_layer_reproject(T, sites, work), LG_OK);
	ck_assert_msg(lg_pg_overlay_pairs(T, s, p, sites, schema, work, NULL, &pairs, &sql) == LG_OK,
		      "%s", lg_ctx_errmsg(T));
	/* Plain PostGIS: the indexed join and subdivision are in the SQL. */
	ck_assert_ptr_nonnull(strstr(sql, "ST_Subdivide("));
	ck_assert_ptr_nonnull(strstr(sql, "&&"));
	free(sql);
	ck_assert_msg(lg_overlay_from_pairs(T, sites, &pairs, schema, count, "postgis", work, &oo,
					    &out, sum) == LG_OK,
		      "%s", lg_ctx_errmsg(T));
	lg_pairs_release(&pairs);
	lg_layer_destroy(T, schema);
	lg_layer_destroy(T, sites);
	lg_crs_destroy(work);
	return out;
}

static void assert_same(const lg_layer *a, const lg_overlay_summary *sa, const lg_layer *b,
			const lg_overlay_summary *sb)
{
	ck_assert_int_eq(sa->pairs, sb->pairs);
	ck_assert_int_eq(a->n, b->n);
	ck_assert_int_eq(sa->sites_overlapping, sb->sites_overlapping);
	ck_assert_int_eq(sa->conflict_sites, sb->conflict_sites);
	ck_assert_msg(fabs(sa->overlap_m2 - sb->overlap_m2) <= 1e-6 * sa->overlap_m2,
		      "total overlap %.6f local, %.6f postgis", sa->overlap_m2, sb->overlap_m2);
	ck_assert_msg(fabs(sa->conflict_m2 - sb->conflict_m2) <= 1e-6 * sa->conflict_m2,
		      "conflict %.6f local, %.6f postgis", sa->conflict_m2, sb->conflict_m2);
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < a->nfields; j++) {
			const char *x = lg_feature_text(a, &a->feat[i], (int)j);
			char xs[256];
			snprintf(xs, sizeof xs, "%s", x);
			const char *y = lg_feature_text(b, &b->feat[i], (int)j);
			if (a->fields[j].type == LG_FT_REAL)
				ck_assert_msg(fabs(atof(xs) - atof(y)) <= 1e-6 * fabs(atof(xs)) + 2e-4,
					      "row %zu %s: %s local, %s postgis", i, a->fields[j].name,
					      xs, y);
			else
				ck_assert_msg(!strcmp(xs, y), "row %zu %s: %s local, %s postgis", i,
					      a->fields[j].name, xs, y);
		}
}

START_TEST(demo_local_equals_postgis)
{
	lg_landuse *lu = NULL;
	lg_overlay_summary sl, sp;
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
	load(demo("sites.gpkg"), "sites", "lgt_sites");
	load(demo("plan.gpkg"), NULL, "lgt_plan");
	lg_layer *a = overlay_local(&sl, lu);
	lg_layer *b = overlay_pg("lgt_sites", "lgt_plan", &sp, lu);
	ck_assert_int_gt(sl.pairs, 100);
	assert_same(a, &sl, b, &sp);
	ck_assert_str_eq(sp.strategy, "postgis");

	/* The result written to the server reads back row for row. */
	char o[1200];
	lg_layer *back = NULL;
	src(o, sizeof o, "lgt_overlay");
	ck_assert_msg(lg_layer_write(T, b, o, NULL) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_msg(lg_layer_write(T, b, o, NULL) == LG_OK, "overwrite: %s", lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_layer_read(T, o, NULL, &back), LG_OK);
	ck_assert_int_eq(back->n, b->n);
	ck_assert_int_ge(lg_layer_field(back, "overlap_ellps_m2"), 0);
	lg_layer_destroy(T, back);

	/* Table names that need quoting reach the SQL as identifiers only. */
	load(demo("plan.gpkg"), NULL, "规划 \"一张图\"; DROP TABLE lgt_sites; --");
	lg_overlay_summary sq;
	lg_layer *c = overlay_pg("lgt_sites", "规划 \"一张图\"; DROP TABLE lgt_sites; --", &sq, lu);
	assert_same(a, &sl, c, &sq);
	lg_layer_destroy(T, c);

	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
	lg_landuse_destroy(lu);
}
END_TEST

START_TEST(different_databases_refused)
{
	lg_layer *sites = NULL, *schema = NULL;
	lg_pairs pairs;
	size_t count;
	char s[1200], p[1200];
	lg_crs *work = NULL;
	load(demo("sites.gpkg"), "sites", "lgt_sites2");
	src(s, sizeof s, "lgt_sites2");
	/* The same server spelled another way counts as another database:
	 * the push-down never guesses. */
	snprintf(p, sizeof p, "%s application_name=other#lgt_sites2", conn);
	ck_assert_int_eq(lg_layer_read(T, s, NULL, &sites), LG_OK);
	ck_assert_int_eq(lg_pg_schema(T, p, NULL, &schema, &count), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4525", "test", &work), LG_OK);
	ck_assert_int_eq(lg_pg_overlay_pairs(T, s, p, sites, schema, work, NULL, &pairs, NULL),
			 LG_USAGE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "needs --sites and --plan in one database"));
	lg_layer_destroy(T, sites);
	lg_layer_destroy(T, schema);
	lg_crs_destroy(work);
}
END_TEST

/* --- riverbuf ------------------------------------------------------- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static lg_layer *riverbuf_local(const char *water, const char *parcels, const lg_landuse *lu,
				lg_riverbuf_summary *sum)
{
	lg_layer *w = NULL, *out = NULL, *segs = NULL;
	lg_rows *rows = NULL;
	lg_crs *work = NULL;
	lg_riverbuf_opts o = {.landuse = lu};
	ck_assert_msg(lg_layer_read(T, water, NULL, &w) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_rows_open(T, parcels, NULL, &rows), LG_OK);
	ck_assert_int_eq(lg_crs_work_for(T, w->crs, w->minx, w->miny, w->maxx, w->maxy, &work),
			 LG_OK);
	ck_assert_int_eq(lg_layer_reproject(T, w, work), LG_OK);
	ck_assert_msg(lg_riverbuf_run(T, w, rows, work, &o, &out, &segs, sum) == LG_OK, "%s",
		      lg_ctx_errmsg(T));
	lg_rows_close(T, rows);
	lg_layer_destroy(T, w);
	lg_crs_destroy(work);
	return out;
}

static lg_layer *riverbuf_pg(const char *water_table, const char *parcels_table,
			     const lg_landuse *lu, lg_riverbuf_summary *sum)
{
	lg_layer *ws = NULL, *ps = NULL, *out = NULL;
	lg_crs *work = NULL;
	lg_pg_riverbuf pr;
	size_t nw = 0, np = 0;
	char w[1200], p[1200], *sql = NULL;
	lg_riverbuf_opts o = {.landuse = lu};
	src(w, sizeof w, water_table);
	src(p, sizeof p, parcels_table);
	ck_assert_msg(lg_pg_schema(T, w, NULL, &ws, &nw) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_msg(lg_pg_schema(T, p, NULL, &ps, &np) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_crs_work_for(T, ws->crs, ws->minx, ws->miny, ws->maxx, ws->maxy, &work),
			 LG_OK);
	ck_assert_msg(lg_pg_riverbuf_pairs(T, w, p, ws, ps, work, NULL, &pr, &sql) == LG_OK, "%s",
		      lg_ctx_errmsg(T));
	/* Plain PostGIS: buffers as the local engine makes them, the
	 * nearest-water grid, subdivided bands, an indexed join. */
	ck_assert_ptr_nonnull(strstr(sql, "'quad_segs=16'"));
	ck_assert_ptr_nonnull(strstr(sql, "ST_SquareGrid("));
	ck_assert_ptr_nonnull(strstr(sql, "ST_Subdivide("));
	ck_assert_ptr_nonnull(strstr(sql, "&&"));
	free(sql);
	ck_assert_msg(lg_riverbuf_from_pairs(T, &pr.pairs, pr.dist_m, (const char *const *)pr.names,
					     pr.band_m2, pr.nwaters, ps, np, "postgis", work, &o,
					     &out, sum) == LG_OK,
		      "%s", lg_ctx_errmsg(T));
	lg_pg_riverbuf_release(&pr);
	lg_layer_destroy(T, ws);
	lg_layer_destroy(T, ps);
	lg_crs_destroy(work);
	return out;
}

static bool near_rel(double a, double b, double rel, double abs_tol)
{
	return fabs(a - b) <= rel * fmax(fabs(a), fabs(b)) + abs_tol;
}

static void assert_same_rb(const lg_layer *a, const lg_riverbuf_summary *sa, const lg_layer *b,
			   const lg_riverbuf_summary *sb)
{
	ck_assert_int_eq(a->n, b->n);
	ck_assert_int_eq(sa->rows, sb->rows);
	ck_assert_int_eq(sa->parcels_in_bands, sb->parcels_in_bands);
	ck_assert_int_eq(sa->conflict_parcels, sb->conflict_parcels);
	ck_assert_int_eq(sa->nwaters, sb->nwaters);
	for (int k = 0; k < 2; k++) {
		ck_assert_msg(near_rel(sa->band_m2[k], sb->band_m2[k], 1e-6, 0),
			      "band %d area %.6f local, %.6f postgis", k, sa->band_m2[k],
			      sb->band_m2[k]);
		ck_assert_msg(near_rel(sa->occupied_m2[k], sb->occupied_m2[k], 1e-6, 0),
			      "band %d occupied %.6f local, %.6f postgis", k, sa->occupied_m2[k],
			      sb->occupied_m2[k]);
		ck_assert_msg(near_rel(sa->conflict_m2[k], sb->conflict_m2[k], 1e-6, 0),
			      "band %d conflict %.6f local, %.6f postgis", k, sa->conflict_m2[k],
			      sb->conflict_m2[k]);
	}
	for (size_t i = 0; i < sa->nwaters; i++) {
		ck_assert_str_eq(sa->waters[i].name, sb->waters[i].name);
		for (int k = 0; k < 2; k++)
			ck_assert_msg(near_rel(sa->waters[i].band_m2[k], sb->waters[i].band_m2[k],
					       1e-6, 0),
				      "%s band %d: %.6f local, %.6f postgis", sa->waters[i].name, k,
				      sa->waters[i].band_m2[k], sb->waters[i].band_m2[k]);
	}
	for (size_t i = 0; i < a->n; i++)
		for (size_t j = 0; j < a->nfields; j++) {
			char xs[256];
			snprintf(xs, sizeof xs, "%s", lg_feature_text(a, &a->feat[i], (int)j));
			const char *y = lg_feature_text(b, &b->feat[i], (int)j);
			if (a->fields[j].type == LG_FT_REAL)
				ck_assert_msg(near_rel(atof(xs), atof(y), 1e-6, 2e-3),
					      "row %zu %s: %s local, %s postgis", i, a->fields[j].name,
					      xs, y);
			else
				ck_assert_msg(!strcmp(xs, y), "row %zu %s: %s local, %s postgis", i,
					      a->fields[j].name, xs, y);
		}
}

START_TEST(riverbuf_local_equals_postgis)
{
	lg_landuse *lu = NULL;
	lg_riverbuf_summary sl = {0}, sp = {0};
	char wpath[700];
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
	/* The demo county's four waters and its 25 740 survey parcels. */
	snprintf(wpath, sizeof wpath, "%s#mgmt_area", demo("water.gpkg"));
	load(demo("water.gpkg"), "mgmt_area", "lgt_water");
	load(demo("survey.gpkg"), NULL, "lgt_survey");
	lg_layer *a = riverbuf_local(wpath, demo("survey.gpkg"), lu, &sl);
	lg_layer *b = riverbuf_pg("lgt_water", "lgt_survey", lu, &sp);
	ck_assert_int_gt(sl.rows, 1000);
	assert_same_rb(a, &sl, b, &sp);
	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
	lg_riverbuf_summary_release(&sl);
	lg_riverbuf_summary_release(&sp);
	/* The demo's waters are far apart; here three overlap each other's
	 * belts (two areas 60-100 m apart, a management line below one), so
	 * the nearest-water split decides, and must decide alike: the server's
	 * 2 m ST_SquareGrid cells by their centres are the local quadtree's
	 * leaves (same origin, same rule, ties to the first name). */
	char wj[700], pj[700];
	snprintf(wj, sizeof wj, "%s/near_water.geojson", demo_dir);
	snprintf(pj, sizeof pj, "%s/near_parcels.geojson", demo_dir);
	write_file(wj,
		   "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
		   "{\"name\":\"urn:ogc:def:crs:EPSG::4525\"}},\"features\":["
		   "{\"type\":\"Feature\",\"properties\":{\"name\":\"甲河\"},\"geometry\":{\"type\":"
		   "\"Polygon\",\"coordinates\":[[[37500000,3940000],[37501000,3940000],[37501000,"
		   "3940100],[37500000,3940100],[37500000,3940000]]]}},"
		   "{\"type\":\"Feature\",\"properties\":{\"name\":\"乙河\"},\"geometry\":{\"type\":"
		   "\"Polygon\",\"coordinates\":[[[37500000,3940160],[37501000,3940200],[37501000,"
		   "3940300],[37500000,3940260],[37500000,3940160]]]}},"
		   "{\"type\":\"Feature\",\"properties\":{\"name\":\"丙渠\"},\"geometry\":{\"type\":"
		   "\"LineString\",\"coordinates\":[[37500500,3939800],[37500800,3939950]]}}]}");
	write_file(pj,
		   "{\"type\":\"FeatureCollection\",\"crs\":{\"type\":\"name\",\"properties\":"
		   "{\"name\":\"urn:ogc:def:crs:EPSG::4525\"}},\"features\":["
		   "{\"type\":\"Feature\",\"properties\":{\"BSM\":\"P1\",\"DLBM\":\"0701\"},\"geometry\":"
		   "{\"type\":\"Polygon\",\"coordinates\":[[[37500200,3940100],[37500400,3940100],"
		   "[37500400,3940160],[37500200,3940160],[37500200,3940100]]]}},"
		   "{\"type\":\"Feature\",\"properties\":{\"BSM\":\"P2\",\"DLBM\":\"0103\"},\"geometry\":"
		   "{\"type\":\"Polygon\",\"coordinates\":[[[37500600,3940100],[37500900,3940100],"
		   "[37500900,3940200],[37500600,3940200],[37500600,3940100]]]}},"
		   "{\"type\":\"Feature\",\"properties\":{\"BSM\":\"P3\",\"DLBM\":\"0701\"},\"geometry\":"
		   "{\"type\":\"Polygon\",\"coordinates\":[[[37500400,3939850],[37500900,3939850],"
		   "[37500900,3940000],[37500400,3940000],[37500400,3939850]]]}},"
		   "{\"type\":\"Feature\",\"properties\":{\"BSM\":\"P4\",\"DLBM\":\"0301\"},\"geometry\":"
		   "{\"type\":\"Polygon\",\"coordinates\":[[[37500000,3940250],[37501000,3940250],"
		   "[37501000,3940400],[37500000,3940400],[37500000,3940250]]]}}]}");
	/* Identifiers that need quoting reach the SQL as identifiers only. */
	const char *nasty = "河 \"管理\"; DROP TABLE lgt_near_parcels; --";
	load(wj, NULL, nasty);
	load(pj, NULL, "lgt_near_parcels");
	memset(&sl, 0, sizeof sl);
	memset(&sp, 0, sizeof sp);
	a = riverbuf_local(wj, pj, lu, &sl);
	b = riverbuf_pg(nasty, "lgt_near_parcels", lu, &sp);
	ck_assert_int_eq(sl.nwaters, 3);
	ck_assert_int_ge(sl.rows, 8);
	assert_same_rb(a, &sl, b, &sp);
	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
	lg_riverbuf_summary_release(&sl);
	lg_riverbuf_summary_release(&sp);
	lg_landuse_destroy(lu);
}
END_TEST

int main(void)
{
	char why[1024] = "";
	const char *env = getenv("LG_PG");
	if (env && *env)
		snprintf(conn, sizeof conn, "%s", env);
	else if (!read_line(LG_PG_CONN_FILE, conn, sizeof conn)) {
		if (!read_line(LG_PG_SKIP_FILE, why, sizeof why))
			snprintf(why, sizeof why,
				 "no server: LG_PG is unset and the ctest fixture postgis/start "
				 "did not run (run the suite with ctest)");
		printf("SKIPPED: PostGIS could not start: %s\n", why);
		return 77;
	}
	/* The demo county, generated (plan.gpkg is not committed). */
	snprintf(demo_dir, sizeof demo_dir, "/tmp/lgpgdemo.XXXXXX");
	if (!mkdtemp(demo_dir))
		return 1;
	char cmd[1200];
	snprintf(cmd, sizeof cmd, "'%s' demo -o '%s' --quiet", LG_GEN_BIN, demo_dir);
	if (system(cmd) != 0) {
		fprintf(stderr, "cannot generate the demo county: %s\n", cmd);
		return 1;
	}
	GDALAllRegister();
	Suite *s = suite_create("postgis");
	TCase *tc = tcase_create("postgis");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, demo_local_equals_postgis);
	tcase_add_test(tc, different_databases_refused);
	tcase_add_test(tc, riverbuf_local_equals_postgis);
	suite_add_tcase(s, tc);
	int rc = lg_test_run(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", demo_dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
