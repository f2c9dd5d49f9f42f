/* report: job files (what they may say, what they may not, and the exact
 * errors) and the quarterly comparison by (parcel_id, rule_id), on tables
 * small enough to check by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"

static lg_report_job *load_ok(const char *name, const char *text)
{
	const char *p = lg_test_tmp(name);
	lg_report_job *j = NULL;
	lg_test_write_file(p, text);
	ck_assert_msg(lg_report_job_load(T, p, &j) == LG_OK, "%s", lg_ctx_errmsg(T));
	return j;
}

static void load_bad(const char *text, lg_status want, const char *msg_part)
{
	const char *p = lg_test_tmp("bad.ini");
	lg_report_job *j = NULL;
	lg_test_write_file(p, text);
	lg_status st = lg_report_job_load(T, p, &j);
	ck_assert_int_eq(st, want);
	ck_assert_ptr_null(j);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), msg_part), "message '%s' lacks '%s'",
		      lg_ctx_errmsg(T), msg_part);
}

#define MONTHLY_HEAD "[job]\nkind = monthly\nperiod = 2026-10-01..2026-10-31\n"

START_TEST(monthly_job)
{
	lg_report_job *j = load_ok("m.ini", MONTHLY_HEAD
				   "title = 清零月报\noffice = 新绛县自然资源局\n"
				   "[inputs]\nparcels = data/parcels.gpkg\nsites = /abs/sites.gpkg#sites\n"
				   "ledger = 台账.xlsx\n[options]\nnear = 800\nfail_on = 违规\n");
	int32_t from, to;
	char want[4096];
	lg_date_parse("2026-10-01", &from);
	lg_date_parse("2026-10-31", &to);
	ck_assert_int_eq(j->kind, LG_REPORT_MONTHLY);
	ck_assert_int_eq(j->from, from);
	ck_assert_int_eq(j->to, to);
	ck_assert_str_eq(j->title, "清零月报");
	ck_assert_str_eq(j->office, "新绛县自然资源局");
	/* inputs relative to the job file; absolute ones and #layer kept */
	snprintf(want, sizeof want, "%s/data/parcels.gpkg", lg_test_tmpdir());
	ck_assert_str_eq(j->input[LG_RIN_PARCELS], want);
	ck_assert_str_eq(j->input[LG_RIN_SITES], "/abs/sites.gpkg#sites");
	snprintf(want, sizeof want, "%s/台账.xlsx", lg_test_tmpdir());
	ck_assert_str_eq(j->input[LG_RIN_LEDGER], want);
	ck_assert_ptr_null(j->input[LG_RIN_WELLS]);
	ck_assert_double_eq(j->near_m, 800);
	ck_assert_double_eq(j->inner_m, 30);
	ck_assert_double_eq(j->outer_m, 50);
	ck_assert(j->has_fail_on);
	ck_assert_int_eq(j->fail_on, LG_SEV_VIOLATION);
	/* default output names */
	ck_assert_str_eq(j->output[LG_ROUT_HTML], "report.html");
	ck_assert_str_eq(j->output[LG_ROUT_PDF], "report.pdf");
	ck_assert_str_eq(j->output[LG_ROUT_XLSX], "ledger.xlsx");
	ck_assert_str_eq(j->output[LG_ROUT_FINDINGS], "findings.csv");
	lg_report_job_destroy(j);
}
END_TEST

START_TEST(quarterly_days)
{
	lg_report_job *j = load_ok("q.ini", "[job]\nkind = quarterly\nquarter = 2026Q4\n"
				   "previous = q3/findings.csv\n[inputs]\nparcels = p.gpkg\n");
	int32_t from, to;
	char want[4096];
	lg_date_parse("2026-10-01", &from);
	lg_date_parse("2026-12-31", &to);
	ck_assert_int_eq(j->kind, LG_REPORT_QUARTERLY);
	ck_assert_int_eq(j->year, 2026);
	ck_assert_int_eq(j->quarter, 4);
	ck_assert_int_eq(j->from, from);
	ck_assert_int_eq(j->to, to);
	snprintf(want, sizeof want, "%s/q3/findings.csv", lg_test_tmpdir());
	ck_assert_str_eq(j->previous, want);
	lg_report_job_destroy(j);
	/* Q1 of a leap year: 91 days */
	j = load_ok("q1.ini", "[job]\nkind = 季度\nquarter = 2028-Q1\n[inputs]\nparcels = p.gpkg\n");
	ck_assert_int_eq(j->to - j->from + 1, 91);
	lg_report_job_destroy(j);
}
END_TEST

START_TEST(bad_keys)
{
	load_bad(MONTHLY_HEAD "colour = red\n[inputs]\nparcels = p.gpkg\n", LG_INPUT,
		 "line 4: unknown key 'colour' in [job]");
	load_bad(MONTHLY_HEAD "[inputs]\nparcels = p.gpkg\nroads = r.gpkg\n", LG_INPUT,
		 "line 6: unknown input 'roads' in [inputs]");
	load_bad(MONTHLY_HEAD "[input]\nparcels = p.gpkg\n", LG_INPUT,
		 "line 5: unknown section [input]");
	load_bad(MONTHLY_HEAD "[inputs]\nparcels = p.gpkg\n[options]\nnear = 5O\n", LG_INPUT,
		 "line 7: [options] near must be a positive number of metres (got '5O')");
	load_bad("[job]\nkind = weekly\n", LG_INPUT,
		 "line 2: [job] kind must be monthly or quarterly (got 'weekly')");
	load_bad("[job]\nkind = monthly\n[inputs]\nparcels = p.gpkg\n", LG_INPUT,
		 "a monthly job needs [job] period");
	load_bad("[job]\nkind = monthly\nperiod = 2026-10-31..2026-10-01\n[inputs]\nparcels = p\n",
		 LG_INPUT, "line 3: period '2026-10-31..2026-10-01' is not two dates");
	load_bad("[job]\nkind = quarterly\nquarter = 2026Q5\n[inputs]\nparcels = p.gpkg\n",
		 LG_INPUT, "line 3: quarter must be YYYYQn");
	load_bad(MONTHLY_HEAD "[inputs]\nsites = s.gpkg\n", LG_INPUT, "[inputs] has no parcels");
	load_bad(MONTHLY_HEAD "[inputs]\nparcels = p.gpkg\n[options]\ninner = 60\n", LG_INPUT,
		 "inner (60) must be less than outer (50)");
}
END_TEST

START_TEST(outputs_stay_in_outdir)
{
	static const char *const bad[] = {"../report.html", "/tmp/report.html", "sub/report.html",
					  "..", ".hidden", "a\\b.html"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char text[512], want[256];
		snprintf(text, sizeof text, MONTHLY_HEAD "[inputs]\nparcels = p.gpkg\n[outputs]\nhtml = %s\n",
			 bad[i]);
		snprintf(want, sizeof want, "line 7: [outputs] html = '%s' would write outside OUTDIR",
			 bad[i]);
		load_bad(text, LG_INPUT, want);
	}
	load_bad(MONTHLY_HEAD "[inputs]\nparcels = p.gpkg\n[outputs]\npdf = report.html\n", LG_INPUT,
		 "[outputs] html and pdf are both 'report.html'");
	lg_report_job *j = load_ok("o.ini", MONTHLY_HEAD "[inputs]\nparcels = p.gpkg\n[outputs]\n"
				   "html = 清零月报.html\n");
	ck_assert_str_eq(j->output[LG_ROUT_HTML], "清零月报.html");
	lg_report_job_destroy(j);
}
END_TEST

START_TEST(missing_inputs_name_their_key)
{
	lg_test_write_file(lg_test_tmp("p.gpkg"), "x");
	lg_report_job *j = load_ok("c.ini", MONTHLY_HEAD "[inputs]\nparcels = p.gpkg#parcels\n"
				   "ledger = nowhere/台账.xlsx\n");
	char want[4096];
	ck_assert_int_eq(lg_report_job_check(T, j), LG_NOFILE);
	ck_assert_int_eq(lg_status_exit(LG_NOFILE), 3);
	snprintf(want, sizeof want, "[inputs] ledger = '%s/nowhere/台账.xlsx': no such file",
		 lg_test_tmpdir());
	ck_assert_msg(strstr(lg_ctx_errmsg(T), want), "%s", lg_ctx_errmsg(T));
	lg_report_job_destroy(j);
	j = load_ok("c2.ini", MONTHLY_HEAD "previous = q3.csv\n[inputs]\nparcels = p.gpkg#parcels\n");
	ck_assert_int_eq(lg_report_job_check(T, j), LG_NOFILE);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "[job] previous"), "%s", lg_ctx_errmsg(T));
	lg_report_job_destroy(j);
}
END_TEST

START_TEST(no_job_file)
{
	lg_report_job *j = NULL;
	ck_assert_int_eq(lg_report_job_load(T, lg_test_tmp("none.ini"), &j), LG_NOFILE);
	ck_assert_ptr_null(j);
}
END_TEST

/* --- the comparison ------------------------------------------------------- */

static lg_layer *findings(const char *const *rows, size_t n)
{
	static const lg_field f[] = {{"parcel_id", LG_FT_STRING, 0},
				     {"rule_id", LG_FT_STRING, 0},
				     {"severity", LG_FT_STRING, 0},
				     {"title", LG_FT_STRING, 0}};
	lg_layer *l = NULL;
	ck_assert_int_eq(lg_layer_create(T, "findings", f, 4, &l), LG_OK);
	for (size_t i = 0; i < n; i++) {
		lg_feature *ft;
		char buf[256], *s[4], *save = NULL;
		snprintf(buf, sizeof buf, "%s", rows[i]);
		s[0] = strtok_r(buf, "|", &save);
		for (int k = 1; k < 4; k++)
			s[k] = strtok_r(NULL, "|", &save);
		ck_assert_int_eq(lg_layer_add(T, l, &ft), LG_OK);
		for (int k = 0; k < 4; k++)
			ck_assert_int_eq(lg_feature_set_str(T, l, ft, (size_t)k, s[k] ? s[k] : ""), LG_OK);
	}
	return l;
}

START_TEST(compare_new_resolved_persisting)
{
	/* previous quarter: GD-2 YZ-02 (twice: one key), GD-10 YZ-05, GD-3 YZ-06 */
	static const char *const prev[] = {"GD-10|YZ-05|violation|开工", "GD-2|YZ-02|risk|名录",
					   "GD-2|YZ-02|violation|名录", "GD-3|YZ-06|risk|邻近"};
	/* this quarter: GD-2 YZ-02 again (now notice), GD-9 YZ-01 new, GD-3 YZ-06 again */
	static const char *const cur[] = {"GD-2|YZ-02|notice|名录（现）", "GD-3|YZ-06|risk|邻近",
					  "GD-9|YZ-01|violation|未调查"};
	lg_layer *a = findings(prev, 4), *b = findings(cur, 3);
	lg_report_diff *d = NULL;
	size_t n = 0, c[3];
	ck_assert_int_eq(lg_report_compare(T, a, "q3.csv", b, &d, &n, c), LG_OK);
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(c[LG_CHANGE_NEW], 1);
	ck_assert_uint_eq(c[LG_CHANGE_PERSISTING], 2);
	ck_assert_uint_eq(c[LG_CHANGE_RESOLVED], 1);
	/* natural id order: GD-2, GD-3, GD-9, GD-10 */
	ck_assert_str_eq(d[0].parcel_id, "GD-2");
	ck_assert_int_eq(d[0].change, LG_CHANGE_PERSISTING);
	ck_assert_int_eq(d[0].sev_prev, LG_SEV_VIOLATION); /* the higher of its two rows */
	ck_assert_int_eq(d[0].sev_now, LG_SEV_NOTICE);
	ck_assert_str_eq(d[0].title, "名录（现）");         /* this run's words */
	ck_assert_str_eq(d[1].parcel_id, "GD-3");
	ck_assert_int_eq(d[1].change, LG_CHANGE_PERSISTING);
	ck_assert_str_eq(d[2].parcel_id, "GD-9");
	ck_assert_int_eq(d[2].change, LG_CHANGE_NEW);
	ck_assert_int_eq(d[2].sev_prev, -1);
	ck_assert_str_eq(d[3].parcel_id, "GD-10");
	ck_assert_str_eq(d[3].rule_id, "YZ-05");
	ck_assert_int_eq(d[3].change, LG_CHANGE_RESOLVED);
	ck_assert_int_eq(d[3].sev_now, -1);
	ck_assert_str_eq(d[3].title, "开工");
	ck_assert_str_eq(lg_report_change_zh(d[3].change), "已整改");
	lg_report_diffs_free(d, n);
	/* nothing before: everything is new; nothing now: everything resolved */
	lg_layer *e = findings(NULL, 0);
	ck_assert_int_eq(lg_report_compare(T, e, "empty", b, &d, &n, c), LG_OK);
	ck_assert_uint_eq(c[LG_CHANGE_NEW], 3);
	lg_report_diffs_free(d, n);
	ck_assert_int_eq(lg_report_compare(T, a, "q3", e, &d, &n, c), LG_OK);
	ck_assert_uint_eq(c[LG_CHANGE_RESOLVED], 3);
	lg_report_diffs_free(d, n);
	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
	lg_layer_destroy(T, e);
}
END_TEST

START_TEST(compare_not_a_findings_table)
{
	static const lg_field f[] = {{"DKBH", LG_FT_STRING, 0}};
	lg_layer *a = NULL, *b = findings(NULL, 0);
	lg_report_diff *d = NULL;
	size_t n = 9, c[3];
	ck_assert_int_eq(lg_layer_create(T, "x", f, 1, &a), LG_OK);
	ck_assert_int_eq(lg_report_compare(T, a, "old.csv", b, &d, &n, c), LG_FIELD);
	ck_assert_ptr_null(d);
	ck_assert_uint_eq(n, 0);
	ck_assert_msg(strstr(lg_ctx_errmsg(T), "'old.csv' is not a findings table"), "%s",
		      lg_ctx_errmsg(T));
	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
}
END_TEST

START_TEST(compare_out_of_memory)
{
	static const char *const prev[] = {"GD-1|YZ-01|violation|a", "GD-2|YZ-02|risk|b"};
	static const char *const cur[] = {"GD-2|YZ-02|risk|b", "GD-3|YZ-03|risk|c"};
	lg_layer *a = findings(prev, 2), *b = findings(cur, 2);
	/* every allocation of the comparison failing in turn: a clean
	 * LG_NOMEM and nothing leaked (ASan/valgrind) */
	for (long k = 1; k < 64; k++) {
		lg_report_diff *d = NULL;
		size_t n = 0, c[3];
		lg_ctx_fail_alloc_at(T, lg_ctx_alloc_count(T) + k);
		lg_status st = lg_report_compare(T, a, "q3", b, &d, &n, c);
		lg_ctx_fail_alloc_at(T, 0);
		if (st == LG_OK) {
			ck_assert_uint_eq(n, 3);
			lg_report_diffs_free(d, n);
			break;
		}
		ck_assert_int_eq(st, LG_NOMEM);
		ck_assert_ptr_null(d);
	}
	lg_layer_destroy(T, a);
	lg_layer_destroy(T, b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("report");
	TCase *tj = tcase_create("job");
	tcase_add_checked_fixture(tj, lg_test_setup, lg_test_teardown);
	tcase_add_test(tj, monthly_job);
	tcase_add_test(tj, quarterly_days);
	tcase_add_test(tj, bad_keys);
	tcase_add_test(tj, outputs_stay_in_outdir);
	tcase_add_test(tj, missing_inputs_name_their_key);
	tcase_add_test(tj, no_job_file);
	suite_add_tcase(s, tj);
	TCase *tc = tcase_create("compare");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_add_test(tc, compare_new_resolved_persisting);
	tcase_add_test(tc, compare_not_a_findings_table);
	tcase_add_test(tc, compare_out_of_memory);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return lg_test_run(suite());
}
