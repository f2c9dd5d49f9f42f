/* ledger: the events ledger as users keep it (CSV/XLSX, English or Chinese
 * headers, three date forms) and the exact errors for what is wrong in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"

static const char *write_tmp(const char *name, const char *text)
{
	const char *p = lg_test_tmp(name);
	FILE *f = fopen(p, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static int32_t day(const char *s)
{
	int32_t d = 0;
	ck_assert_msg(lg_date_parse(s, &d), "date %s", s);
	return d;
}

START_TEST(dates)
{
	char buf[11];
	ck_assert_int_eq(day("1970-01-01"), 0);
	ck_assert_int_eq(day("2023-07-01"), day("2023/7/1"));
	ck_assert_int_eq(day("2023-07-01"), day("2023年7月1日"));
	ck_assert_int_eq(day("2023-07-01"), day("2023.07.01"));
	ck_assert_int_eq(day("2023-07-01"), day("2023/07/01 00:00:00"));
	ck_assert_int_eq(day("2024-02-29") + 1, day("2024-03-01"));
	int32_t d;
	ck_assert(!lg_date_parse("2023-02-29", &d));
	ck_assert(!lg_date_parse("2023-13-01", &d));
	ck_assert(!lg_date_parse("2023-07/01", &d));
	ck_assert(!lg_date_parse("23-07-01", &d));
	ck_assert(!lg_date_parse("2023年7月", &d));
	ck_assert(!lg_date_parse("", &d));
	/* Excel serial 45108 is 2023-07-01 */
	lg_date_format(lg_date_from_excel(45108), buf);
	ck_assert_str_eq(buf, "2023-07-01");
	lg_date_format(day("2026-10-31"), buf);
	ck_assert_str_eq(buf, "2026-10-31");
}
END_TEST

START_TEST(chinese_headers_and_sorting)
{
	const char *p = write_tmp("台账.csv", "序号,地块编号,事项,日期,结论,备注\n"
					     "1,GD-2,出让,2023年7月1日,,合同\n"
					     "2,GD-1,土壤污染状况调查,2023/7/1,污染,\n"
					     "3,GD-1,风险评估,2023-06-30,风险可接受,\n"
					     "4,GD-1,施工许可,2023-07-01,,\n"
					     "5,GD-10,效果评估,2024-01-02,达标,\n"
					     "6,GD-2,Planning-Permit,2023-08-01,,\n");
	lg_ledger *l = NULL;
	ck_assert_msg(lg_ledger_read(T, &p, 1, NULL, &l) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_uint_eq(l->n, 6);
	/* by parcel, date, then row */
	ck_assert_str_eq(l->ev[0].parcel_id, "GD-1");
	ck_assert_int_eq(l->ev[0].kind, LG_EV_RISK_ASSESSMENT);
	ck_assert_int_eq(l->ev[0].result, LG_RES_ACCEPTABLE);
	ck_assert_int_eq(l->ev[1].kind, LG_EV_INVESTIGATION);
	ck_assert_int_eq(l->ev[1].result, LG_RES_POLLUTED);
	ck_assert_int_eq(l->ev[1].row, 3);
	ck_assert_int_eq(l->ev[2].kind, LG_EV_CONSTRUCTION_PERMIT);
	/* lg_id_cmp is natural: GD-2 before GD-10 */
	ck_assert_str_eq(l->ev[3].parcel_id, "GD-2");
	ck_assert_int_eq(l->ev[3].kind, LG_EV_TRANSFER);
	ck_assert_str_eq(l->ev[3].note, "合同");
	ck_assert_int_eq(l->ev[4].kind, LG_EV_PLANNING_PERMIT);
	ck_assert_str_eq(l->ev[5].parcel_id, "GD-10");
	size_t first, n = lg_ledger_find(l, "GD-2", &first);
	ck_assert_uint_eq(n, 2);
	ck_assert_uint_eq(first, 3);
	ck_assert_uint_eq(lg_ledger_find(l, "GD-3", &first), 0);
	lg_ledger_destroy(l);
}
END_TEST

START_TEST(two_files_merge)
{
	const char *a = write_tmp("a.csv", "parcel_id,event,date\nP1,transfer,2023-07-02\n");
	const char *b = write_tmp("b.csv", "parcel_id,event,date,result\nP1,investigation,2023-07-01,clean\n");
	const char *both[] = {a, b};
	lg_ledger *l = NULL;
	ck_assert_int_eq(lg_ledger_read(T, both, 2, NULL, &l), LG_OK);
	ck_assert_uint_eq(l->n, 2);
	ck_assert_int_eq(l->ev[0].kind, LG_EV_INVESTIGATION);
	ck_assert_str_eq(l->ev[0].file, b);
	ck_assert_int_eq(l->ev[0].row, 2);
	lg_ledger_destroy(l);
}
END_TEST

START_TEST(unknown_event)
{
	const char *p = write_tmp("e.csv", "parcel_id,event,date\nP1,transfer,2023-07-01\nP1,出租,2023-07-02\n");
	lg_ledger *l = NULL;
	char want[2048];
	ck_assert_int_eq(lg_ledger_read(T, &p, 1, NULL, &l), LG_CODE);
	ck_assert_ptr_null(l);
	snprintf(want, sizeof want,
		 "'%s' row 3 column B (event): unknown event '出租'; use one of allocate/划拨, "
		 "transfer/出让, recover/收回, purchase/收购, change_use/变更用途, "
		 "planning_permit/规划许可, construction_permit/施工许可, "
		 "investigation/土壤污染状况调查, risk_assessment/风险评估, control/风险管控, "
		 "remediation/修复, effect_assessment/效果评估, aftercare/后期管理 (or add the "
		 "spelling to datasets/vocab/events.csv)",
		 p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(result_of_another_event)
{
	const char *p = write_tmp("r.csv", "地块编号,事项,日期,结论\nP1,土壤污染状况调查,2023-07-01,达标\n");
	lg_ledger *l = NULL;
	char want[1024];
	ck_assert_int_eq(lg_ledger_read(T, &p, 1, NULL, &l), LG_CODE);
	snprintf(want, sizeof want,
		 "'%s' row 2 column D (结论): result '达标' does not fit the event; the result of "
		 "investigation (土壤污染状况调查) is one of polluted/污染, clean/未污染 (or add the "
		 "spelling to datasets/vocab/results.csv)",
		 p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(missing_column)
{
	const char *p = write_tmp("m.csv", "parcel_id,event,result\nP1,transfer,\n");
	lg_ledger *l = NULL;
	char want[1024];
	ck_assert_int_eq(lg_ledger_read(T, &p, 1, NULL, &l), LG_FIELD);
	snprintf(want, sizeof want,
		 "'%s' has no date/日期 column; a ledger needs the columns parcel_id/地块编号, "
		 "event/事项, date/日期 (result/结论 and note/备注 are optional); its columns "
		 "are: parcel_id, event, result; rename the header",
		 p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(bad_date)
{
	const char *p = write_tmp("d.csv", "地块编号,事项,日期\nP1,出让,2023-07-01\nP1,划拨,2023-02-30\n");
	lg_ledger *l = NULL;
	char want[1024];
	ck_assert_int_eq(lg_ledger_read(T, &p, 1, NULL, &l), LG_INPUT);
	snprintf(want, sizeof want,
		 "'%s' row 3 column C (日期): '2023-02-30' is not a date; write it as YYYY-MM-DD "
		 "(2023/7/1 and 2023年7月1日 are also read) and check that the day exists",
		 p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(empty_rows_skipped_and_missing_file)
{
	const char *p = write_tmp("s.csv", "parcel_id,event,date\nP1,transfer,2023-07-01\n,,\n");
	lg_ledger *l = NULL;
	ck_assert_int_eq(lg_ledger_read(T, &p, 1, NULL, &l), LG_OK);
	ck_assert_uint_eq(l->n, 1);
	lg_ledger_destroy(l);
	const char *q = lg_test_tmp("nope.csv");
	ck_assert_int_eq(lg_ledger_read(T, &q, 1, NULL, &l), LG_NOFILE);
	ck_assert_ptr_null(l);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ledger");
	TCase *tc = tcase_create("ledger");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_add_test(tc, dates);
	tcase_add_test(tc, chinese_headers_and_sorting);
	tcase_add_test(tc, two_files_merge);
	tcase_add_test(tc, unknown_event);
	tcase_add_test(tc, result_of_another_event);
	tcase_add_test(tc, missing_column);
	tcase_add_test(tc, bad_date);
	tcase_add_test(tc, empty_rows_skipped_and_missing_file);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return lg_test_run(suite());
}
