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
	suite_add_tcase(s, tc);
	int rc = lg_test_run(s);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", demo_dir);
	if (system(cmd) != 0)
		rc = rc ? rc : 1;
	return rc;
}
