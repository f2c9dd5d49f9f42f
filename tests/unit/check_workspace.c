/* workspace: import round trip, versions, drop, run history, and two
 * processes writing one workspace at once. */
#define _GNU_SOURCE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lg_test.h"

/* Two 10 m squares at (500000, 3940000) in EPSG:4546, Chinese text; a
 * third square when `three`. */
static const char *write_parcels(const char *name, bool three)
{
	const char *p = lg_test_tmp(name);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	fputs("DKBH,DKMC,面积,WKT\n"
	      "A1,焦化厂,100.5,\"POLYGON((500000 3940000,500010 3940000,500010 3940010,500000 3940010,500000 3940000))\"\n"
	      "A2,电镀厂,100,\"POLYGON((500020 3940000,500030 3940000,500030 3940010,500020 3940010,500020 3940000))\"\n",
	      f);
	if (three)
		fputs("A3,化工厂,,\"POLYGON((500040 3940000,500050 3940000,500050 3940010,500040 3940010,500040 3940000))\"\n",
		      f);
	fclose(f);
	return p;
}

static lg_read_opts csv_opts(void)
{
	lg_read_opts o = {0};
	o.s_srs = "EPSG:4546";
	return o;
}

static lg_ws *open_ws(const char *name)
{
	lg_ws *ws = NULL;
	lg_status st = lg_ws_open(T, lg_test_tmp(name), true, &ws);
	ck_assert_msg(st == LG_OK, "%s", lg_ctx_errmsg(T));
	return ws;
}

static lg_layer *read_layer(const char *source)
{
	lg_layer *l = NULL;
	lg_status st = lg_layer_read(T, source, NULL, &l);
	ck_assert_msg(st == LG_OK, "%s: %s", source, lg_ctx_errmsg(T));
	return l;
}

START_TEST(round_trip)
{
	lg_read_opts ro = csv_opts();
	lg_ws *ws = open_ws("ws.sqlite");
	lg_ws_layer info;
	bool unchanged = true;
	char src[600];

	ck_assert_int_eq(lg_ws_import(T, ws, write_parcels("p.csv", false), "parcels", &ro, &info,
				      &unchanged),
			 LG_OK);
	ck_assert(!unchanged);
	ck_assert_str_eq(info.name, "parcels");
	ck_assert_int_eq(info.version, 1);
	ck_assert_str_eq(info.table, "parcels__v1");
	ck_assert_int_eq(info.feature_count, 2);
	ck_assert_str_eq(info.crs, "EPSG:4546");
	ck_assert_int_eq(strlen(info.sha256), 64);
	lg_ws_layer_release(&info);
	lg_ws_close(ws);

	/* Read back through the ordinary reader, by name and by version. */
	snprintf(src, sizeof src, "%s#parcels", lg_test_tmp("ws.sqlite"));
	lg_layer *l = read_layer(src);
	ck_assert_int_eq(l->n, 2);
	ck_assert_int_eq(lg_crs_epsg(l->crs), 4546);
	ck_assert_str_eq(l->fields[l->role[LG_ROLE_ID]].name, "DKBH");
	ck_assert_str_eq(lg_feature_id(l, &l->feat[0]), "A1");
	ck_assert_str_eq(lg_feature_text(l, &l->feat[1], lg_layer_field(l, "DKMC")), "电镀厂");
	ck_assert_str_eq(lg_feature_text(l, &l->feat[0], lg_layer_field(l, "面积")), "100.5");
	LG_ASSERT_GEOM_EQ(l->feat[1].geom,
			  "POLYGON((500020 3940000,500030 3940000,500030 3940010,500020 3940010,500020 3940000))",
			  1e-9);
	lg_layer_destroy(T, l);
	snprintf(src, sizeof src, "%s#parcels@v1", lg_test_tmp("ws.sqlite"));
	l = read_layer(src);
	ck_assert_int_eq(l->n, 2);
	lg_layer_destroy(T, l);
	/* The table's own name works too (plain GDAL access). */
	snprintf(src, sizeof src, "%s#parcels__v1", lg_test_tmp("ws.sqlite"));
	l = read_layer(src);
	ck_assert_int_eq(l->n, 2);
	lg_layer_destroy(T, l);
}
END_TEST

START_TEST(versions)
{
	lg_read_opts ro = csv_opts();
	lg_ws *ws = open_ws("ws.sqlite");
	lg_ws_layer info, *list = NULL;
	size_t n = 0, dropped = 0;
	bool unchanged = false;
	const char *csv = write_parcels("p.csv", false);
	char src[600], sha1[65];

	ck_assert_int_eq(lg_ws_import(T, ws, csv, "parcels", &ro, &info, &unchanged), LG_OK);
	snprintf(sha1, sizeof sha1, "%s", info.sha256);
	lg_ws_layer_release(&info);
	/* Unchanged: a no-op that reports the current version. */
	ck_assert_int_eq(lg_ws_import(T, ws, csv, "parcels", &ro, &info, &unchanged), LG_OK);
	ck_assert(unchanged);
	ck_assert_int_eq(info.version, 1);
	lg_ws_layer_release(&info);
	/* Changed: version 2, version 1 kept. */
	write_parcels("p.csv", true);
	ck_assert_int_eq(lg_ws_import(T, ws, csv, "parcels", &ro, &info, &unchanged), LG_OK);
	ck_assert(!unchanged);
	ck_assert_int_eq(info.version, 2);
	ck_assert_int_eq(info.feature_count, 3);
	ck_assert_str_ne(info.sha256, sha1);
	lg_ws_layer_release(&info);
	ck_assert_int_eq(lg_ws_list(T, ws, &list, &n), LG_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(list[0].version, 1);
	ck_assert_int_eq(list[1].version, 2);
	lg_ws_layers_free(list, n);

	snprintf(src, sizeof src, "%s#parcels", lg_test_tmp("ws.sqlite"));
	lg_layer *l = read_layer(src);
	ck_assert_int_eq(l->n, 3);
	lg_layer_destroy(T, l);
	snprintf(src, sizeof src, "%s#parcels@v1", lg_test_tmp("ws.sqlite"));
	l = read_layer(src);
	ck_assert_int_eq(l->n, 2);
	lg_layer_destroy(T, l);

	/* Drop v1: v2 stays, and v1 is gone with a message naming what is left. */
	ck_assert_int_eq(lg_ws_drop(T, ws, "parcels", 1, &dropped), LG_OK);
	ck_assert_int_eq(dropped, 1);
	l = NULL;
	ck_assert_int_eq(lg_layer_read(T, src, NULL, &l), LG_INPUT);
	ck_assert_ptr_null(l);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "has no version 1 of layer 'parcels'; it holds: parcels (v2)"),
		      "%s", lg_ctx_errmsg(T));
	/* A new version never reuses a dropped number. */
	write_parcels("p.csv", false);
	ck_assert_int_eq(lg_ws_import(T, ws, csv, "parcels", &ro, &info, &unchanged), LG_OK);
	ck_assert_int_eq(info.version, 3);
	lg_ws_layer_release(&info);
	ck_assert_int_eq(lg_ws_drop(T, ws, "parcels", 0, &dropped), LG_OK);
	ck_assert_int_eq(dropped, 2);
	ck_assert_int_eq(lg_ws_list(T, ws, &list, &n), LG_OK);
	ck_assert_int_eq(n, 0);
	lg_ws_layers_free(list, n);
	ck_assert_int_eq(lg_ws_drop(T, ws, "parcels", 0, &dropped), LG_INPUT);
	lg_ws_close(ws);
}
END_TEST

START_TEST(runs_and_findings)
{
	lg_ws *ws = open_ws("ws.sqlite");
	lg_ws_output outs[] = {{"/tmp/o.gpkg", "table", 2}};
	lg_ws_finding f[] = {
		{"S2", "OVERLAY", "notice", "site S2 overlaps", "{\"overlap_m2\":5}"},
		{"S1", "OVERLAY-YZLG", "violation", "site S1 overlaps", NULL},
	};
	lg_ws_run_rec rec = {"overlay", "{\"args\":[\"--sites\",\"s.gpkg\"]}", 1790000000, 1790000003,
			     "ok", "{\"pairs\":2}", outs, 1, f, 2};
	int64_t id1 = 0, id2 = 0;
	lg_ws_run *runs = NULL;
	lg_ws_finding *got = NULL;
	size_t n = 0;

	ck_assert_int_eq(lg_ws_record_run(T, ws, &rec, &id1), LG_OK);
	rec.nfindings = 1;
	rec.status = "failed: no such file";
	ck_assert_int_eq(lg_ws_record_run(T, ws, &rec, &id2), LG_OK);
	ck_assert_int_eq(id2, id1 + 1);
	ck_assert_int_eq(lg_ws_runs(T, ws, &runs, &n), LG_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(runs[0].command, "overlay");
	ck_assert_str_eq(runs[0].started_at, "2026-09-21T14:13:20Z");
	ck_assert_str_eq(runs[0].finished_at, "2026-09-21T14:13:23Z");
	ck_assert_str_eq(runs[0].params_json, "{\"args\":[\"--sites\",\"s.gpkg\"]}");
	ck_assert_str_eq(runs[0].summary_json, "{\"pairs\":2}");
	ck_assert_int_eq(runs[0].noutputs, 1);
	ck_assert_int_eq(runs[0].nfindings, 2);
	ck_assert_str_eq(runs[1].status, "failed: no such file");
	ck_assert_int_eq(runs[1].nfindings, 1);
	lg_ws_runs_free(runs, n);
	ck_assert_int_eq(lg_ws_findings(T, ws, id1, &got, &n), LG_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_str_eq(got[0].parcel_id, "S1");
	ck_assert_str_eq(got[0].severity, "violation");
	ck_assert_str_eq(got[0].evidence, "");
	ck_assert_str_eq(got[1].evidence, "{\"overlap_m2\":5}");
	lg_ws_findings_free(got, n);
	lg_ws_close(ws);
}
END_TEST

START_TEST(not_a_workspace)
{
	lg_ws *ws = NULL;
	const char *p = write_parcels("p.csv", false);
	ck_assert_int_eq(lg_ws_open(T, p, false, &ws), LG_INPUT);
	ck_assert_ptr_null(ws);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "is not a landguard workspace"), "%s",
		      lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_ws_open(T, lg_test_tmp("missing.sqlite"), false, &ws), LG_NOFILE);
	ws = open_ws("ws.sqlite");
	lg_read_opts ro = csv_opts();
	lg_ws_layer info;
	bool unchanged;
	ck_assert_int_eq(lg_ws_import(T, ws, p, "bad#name", &ro, &info, &unchanged), LG_USAGE);
	lg_ws_close(ws);
}
END_TEST

/* A child process: imports `nlayers` layers named <tag>_<k> and records
 * `nruns` runs, through its own context and connection. */
static int child_work(const char *wspath, const char *csv, const char *tag, int nlayers,
		      int nruns)
{
	lg_ctx *ctx = lg_ctx_create();
	lg_ws *ws = NULL;
	lg_read_opts ro = csv_opts();
	int bad = 0;
	if (!ctx || lg_ws_open(ctx, wspath, true, &ws))
		return 10;
	for (int k = 0; k < nlayers || k < nruns; k++) {
		if (k < nlayers) {
			char name[64];
			lg_ws_layer info;
			bool unchanged;
			snprintf(name, sizeof name, "%s_%d", tag, k);
			if (lg_ws_import(ctx, ws, csv, name, &ro, &info, &unchanged)) {
				fprintf(stderr, "child %s: %s\n", tag, lg_ctx_errmsg(ctx));
				bad++;
			} else {
				lg_ws_layer_release(&info);
			}
		}
		if (k < nruns) {
			lg_ws_finding f = {tag, "R", "notice", "m", NULL};
			lg_ws_run_rec rec = {tag, "{}", 0, 0, "ok", NULL, NULL, 0, &f, 1};
			if (lg_ws_record_run(ctx, ws, &rec, NULL)) {
				fprintf(stderr, "child %s: %s\n", tag, lg_ctx_errmsg(ctx));
				bad++;
			}
		}
	}
	lg_ws_close(ws);
	lg_ctx_destroy(ctx);
	return bad ? 1 : 0;
}

START_TEST(two_processes)
{
	char wspath[512];
	const char *csv = write_parcels("p.csv", true);
	pid_t pid[2];
	lg_ws *ws;
	lg_ws_layer *list = NULL;
	lg_ws_run *runs = NULL;
	size_t n = 0;
	sqlite3 *db = NULL;
	sqlite3_stmt *q = NULL;

	snprintf(wspath, sizeof wspath, "%s", lg_test_tmp("ws.sqlite"));
	/* Both start on a file that does not exist yet: set-up races too. */
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0)
			_exit(child_work(wspath, csv, i ? "b" : "a", 8, 40));
	}
	for (int i = 0; i < 2; i++) {
		int status = 0;
		ck_assert_int_eq(waitpid(pid[i], &status, 0), pid[i]);
		ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
			      "child %d failed (status %d)", i, status);
	}
	ws = open_ws("ws.sqlite");
	ck_assert_int_eq(lg_ws_list(T, ws, &list, &n), LG_OK);
	ck_assert_int_eq(n, 16);
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(list[i].version, 1);
		ck_assert_int_eq(list[i].feature_count, 3);
	}
	lg_ws_layers_free(list, n);
	ck_assert_int_eq(lg_ws_runs(T, ws, &runs, &n), LG_OK);
	ck_assert_int_eq(n, 80);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(runs[i].nfindings, 1);
	lg_ws_runs_free(runs, n);
	lg_ws_close(ws);
	ck_assert_int_eq(sqlite3_open_v2(wspath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(q), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(q, 0), "ok");
	sqlite3_finalize(q);
	sqlite3_close(db);
}
END_TEST

/* Two processes importing changed data under one name: versions 1 and 2,
 * never two version 1s. */
START_TEST(two_processes_one_name)
{
	char wspath[512], csv2[512];
	const char *csv1 = write_parcels("p1.csv", false);
	pid_t pid[2];
	lg_ws *ws = open_ws("ws.sqlite");
	lg_ws_layer *list = NULL;
	size_t n = 0;
	lg_ws_close(ws);
	snprintf(csv2, sizeof csv2, "%s", write_parcels("p2.csv", true));
	snprintf(wspath, sizeof wspath, "%s", lg_test_tmp("ws.sqlite"));
	for (int i = 0; i < 2; i++) {
		pid[i] = fork();
		ck_assert_int_ge(pid[i], 0);
		if (pid[i] == 0) {
			lg_ctx *ctx = lg_ctx_create();
			lg_ws *w = NULL;
			lg_read_opts ro = csv_opts();
			lg_ws_layer info;
			bool unchanged;
			if (lg_ws_open(ctx, wspath, false, &w) ||
			    lg_ws_import(ctx, w, i ? csv2 : csv1, "parcels", &ro, &info, &unchanged))
				_exit(1);
			lg_ws_layer_release(&info);
			lg_ws_close(w);
			lg_ctx_destroy(ctx);
			_exit(0);
		}
	}
	for (int i = 0; i < 2; i++) {
		int status = 0;
		waitpid(pid[i], &status, 0);
		ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	ws = open_ws("ws.sqlite");
	ck_assert_int_eq(lg_ws_list(T, ws, &list, &n), LG_OK);
	ck_assert_int_eq(n, 2);
	ck_assert_int_eq(list[0].version, 1);
	ck_assert_int_eq(list[1].version, 2);
	ck_assert_int_ne(list[0].feature_count, list[1].feature_count);
	lg_ws_layers_free(list, n);
	lg_ws_close(ws);
}
END_TEST

START_TEST(sha256_of_files)
{
	char a[65], b[65], src[600];
	const char *p = lg_test_tmp("x.txt");
	FILE *f = fopen(p, "wb");
	fputs("abc", f);
	fclose(f);
	ck_assert_int_eq(lg_source_sha256(T, p, a), LG_OK);
	/* SHA-256 of "\0abc" (empty layer name, its NUL, then the bytes), as
	 * `printf '\0abc' | sha256sum` gives it. */
	ck_assert_str_eq(a, "609f6e36d2405585188d5cfd761f407c7cc46a7d3f314c88270469dde315fcd1");
	snprintf(src, sizeof src, "%s#layer", p);
	ck_assert_int_eq(lg_source_sha256(T, src, b), LG_OK);
	ck_assert_str_ne(a, b);
	ck_assert_int_eq(lg_source_sha256(T, "PG:dbname=x#t", b), LG_INPUT);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("workspace");
	TCase *tc = tcase_create("workspace");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, versions);
	tcase_add_test(tc, runs_and_findings);
	tcase_add_test(tc, not_a_workspace);
	tcase_add_test(tc, two_processes);
	tcase_add_test(tc, two_processes_one_name);
	tcase_add_test(tc, sha256_of_files);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return lg_test_run(suite());
}
