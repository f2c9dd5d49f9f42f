/* lib/core: status table, errors, warnings, allocation fault injection. */
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"
#include "lg_internal.h"

START_TEST(status_exit_codes)
{
	ck_assert_int_eq(lg_status_exit(LG_OK), 0);
	ck_assert_int_eq(lg_status_exit(LG_USAGE), 2);
	ck_assert_int_eq(lg_status_exit(LG_INPUT), 3);
	ck_assert_int_eq(lg_status_exit(LG_NOCRS), 3);
	ck_assert_int_eq(lg_status_exit(LG_WRITE), 4);
	ck_assert_int_eq(lg_status_exit(LG_INTERNAL), 5);
	ck_assert_str_eq(lg_status_name(LG_INPUT), "INPUT");
	ck_assert_str_eq(lg_status_str(LG_WRITE), "cannot write output");
	ck_assert_str_eq(lg_status_name((lg_status)999), "UNKNOWN");
}
END_TEST

START_TEST(error_message_kept)
{
	lg_status st = lg_ctx_error(T, LG_FIELD, "no field '%s' in '%s'", "DLBM",
				    "plan.gpkg");
	ck_assert_int_eq(st, LG_FIELD);
	ck_assert_int_eq(lg_ctx_errcode(T), LG_FIELD);
	ck_assert_str_eq(lg_ctx_errmsg(T), "no field 'DLBM' in 'plan.gpkg'");
	lg_ctx_clear_error(T);
	ck_assert_str_eq(lg_ctx_errmsg(T), "");
	ck_assert_int_eq(lg_ctx_errcode(T), LG_OK);
}
END_TEST

static int nlogged;
static void count_log(void *ud, lg_log_level lv, const char *m)
{
	if (lv == LG_LOG_WARN)
		nlogged++;
}

START_TEST(warnings_logged_and_merged)
{
	lg_ctx *w;
	nlogged = 0;
	lg_ctx_set_log(T, count_log, NULL);
	lg_ctx_warn(T, "first %d", 1);
	ck_assert_int_eq(nlogged, 1);
	w = lg_ctx_create_worker(T);
	lg_ctx_warn(w, "from worker");
	ck_assert_int_eq(nlogged, 2); /* workers log through the same callback */
	lg_ctx_merge_warnings(T, w);
	lg_ctx_destroy(w);
	ck_assert_uint_eq(lg_ctx_nwarnings(T), 2);
	ck_assert_str_eq(lg_ctx_warning(T, 0), "first 1");
	ck_assert_str_eq(lg_ctx_warning(T, 1), "from worker");
	ck_assert_ptr_null(lg_ctx_warning(T, 2));
}
END_TEST

START_TEST(alloc_fault_injection)
{
	void *a, *b;
	lg_ctx_fail_alloc_at(T, 2);
	a = lg__malloc(T, 10);
	ck_assert_ptr_nonnull(a);
	b = lg__malloc(T, 10);
	ck_assert_ptr_null(b);
	ck_assert_int_eq(lg_ctx_errcode(T), LG_NOMEM);
	free(a);
}
END_TEST

START_TEST(threads_default_positive)
{
	ck_assert_int_ge(lg_ctx_threads(T), 1);
	lg_ctx_set_threads(T, 3);
	ck_assert_int_eq(lg_ctx_threads(T), 3);
}
END_TEST

START_TEST(destroy_null_is_noop)
{
	lg_ctx_destroy(NULL);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("ctx");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_add_test(tc, status_exit_codes);
	tcase_add_test(tc, error_message_kept);
	tcase_add_test(tc, warnings_logged_and_merged);
	tcase_add_test(tc, alloc_fault_injection);
	tcase_add_test(tc, threads_default_positive);
	tcase_add_test(tc, destroy_null_is_noop);
	suite_add_tcase(s, tc);
	return lg_test_run(s);
}
