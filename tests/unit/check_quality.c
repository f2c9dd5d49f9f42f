/*
 * lib/analysis quality module: lab values, GB 36600-2018, GB/T 14848-2017,
 * GB 15618-2018, and the CSV reader the limit tables use.
 *
 * Every expected class or level below is read off the standard's tables
 * (domain-facts §2.3, §2.4, §3, §4), never from a run of the code.  Boundaries
 * are tested at the limit itself and at nextafter(limit, +inf), the
 * smallest double above it: "超过" is strict, and a shared limit goes to the
 * better class.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"
#include "lg_internal.h"
#include "io/csv_int.h"


#define ASSERT_MSG_HAS(needle)                                                 \
	ck_assert_msg(strstr(lg_ctx_errmsg(T), (needle)) != NULL,              \
		      "message '%s' lacks '%s'", lg_ctx_errmsg(T), (needle))

/* ------------------------------------------------------------------ */
/* Lab values                                                          */
/* ------------------------------------------------------------------ */

static lg_labvalue parse_ok(const char *text)
{
	lg_labvalue v;
	lg_status st = lg_labvalue_parse(T, text, &v);
	ck_assert_msg(st == LG_OK, "'%s' → %s: %s", text ? text : "(null)",
		      lg_status_name(st), lg_ctx_errmsg(T));
	return v;
}

static void assert_number(const char *text, double want)
{
	lg_labvalue v = parse_ok(text);
	ck_assert_msg(!v.nd && !v.missing, "'%s' should be a plain number",
		      text);
	ck_assert_double_eq(v.value, want);
	ck_assert(isnan(v.dl));
}

static void assert_nd(const char *text, double want_dl)
{
	lg_labvalue v = parse_ok(text);
	ck_assert_msg(v.nd && !v.missing, "'%s' should be a non-detect", text);
	ck_assert(isnan(v.value));
	if (isnan(want_dl))
		ck_assert_msg(isnan(v.dl), "'%s' has no detection limit", text);
	else
		ck_assert_double_eq(v.dl, want_dl);
}

static void assert_missing(const char *text)
{
	lg_labvalue v = parse_ok(text);
	ck_assert_msg(v.missing && !v.nd, "'%s' should be missing",
		      text ? text : "(null)");
	ck_assert(isnan(v.value));
}

START_TEST(labvalue_numbers)
{
	assert_number("12.5", 12.5);
	assert_number(" 3 ", 3);
	assert_number("1.2E-3", 1.2e-3);
	assert_number("1.2e-3", 1.2e-3);
	assert_number("0", 0);
	assert_number(".5", 0.5);
	assert_number("\xE3\x80\x80" "7.25\t", 7.25);  /* ideographic space */
	assert_number("\xEF\xBC\x90.\xEF\xBC\x95", 0.5); /* full-width ０.５ */
}
END_TEST

START_TEST(labvalue_nondetects)
{
	assert_nd("0.01L", 0.01);
	assert_nd("0.01 L", 0.01);
	assert_nd("0.01l", 0.01);
	assert_nd("4E-5L", 4e-5);
	assert_nd("<0.01", 0.01);
	assert_nd("< 0.01", 0.01);
	assert_nd("\xEF\xBC\x9C" "0.01", 0.01); /* ＜0.01, full width */
	assert_nd("ND", NAN);
	assert_nd("nd", NAN);
	assert_nd("N.D.", NAN);
	assert_nd("未检出", NAN);
	assert_nd(" 未检出 ", NAN);
}
END_TEST

START_TEST(labvalue_missing)
{
	assert_missing("");
	assert_missing("   ");
	assert_missing(NULL);
	assert_missing("-");
	assert_missing("—");
	assert_missing("——");
	assert_missing("--");
	assert_missing("\xEF\xBC\x8D"); /* － full-width hyphen */
	assert_missing("/");
	assert_missing("未检测");
}
END_TEST

START_TEST(labvalue_bad)
{
	static const char *const bad[] = {"abc", "1..2",  "1.2.3", "inf",
					  "nan", "0x10",  "12mg",  "L",
					  "<",	 "<abc",  "1e",    "1,200",
					  "ND5", "e5",    "+3",    "未检出L"};
	for (size_t i = 0; i < LG_ARRAY_LEN(bad); i++) {
		lg_labvalue v;
		char quoted[64];
		lg_ctx_clear_error(T);
		ck_assert_msg(lg_labvalue_parse(T, bad[i], &v) == LG_INPUT,
			      "'%s' should be rejected", bad[i]);
		snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
		ASSERT_MSG_HAS(quoted);
		ck_assert(v.missing);
	}
}
END_TEST

START_TEST(labvalue_negative)
{
	lg_labvalue v;
	ck_assert_int_eq(lg_labvalue_parse(T, "-3", &v), LG_INPUT);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "lab value '-3' is negative; a concentration cannot "
			 "be: check the cell");
}
END_TEST

START_TEST(labvalue_message_exact)
{
	lg_labvalue v;
	ck_assert_int_eq(lg_labvalue_parse(T, "1..2", &v), LG_INPUT);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "lab value '1..2' is not understood: write a number "
			 "(12.5, 1.2E-3), a non-detect (0.01L, <0.01, ND, 未检出) "
			 "or leave the cell empty");
}
END_TEST

/* ------------------------------------------------------------------ */
/* CSV reader                                                          */
/* ------------------------------------------------------------------ */

START_TEST(csv_dialect)
{
	const char *p = lg_test_tmp("d.csv");
	lg__csv *c = NULL;
	bool eof;
	lg_test_write_file(p, "\xEF\xBB\xBF" "a, b ,c\r\n"
		      "# a comment\r\n"
		      "\r\n"
		      "1,\"x, y\",\"say \"\"hi\"\"\"\r\n"
		      "2,\"two\nlines\",\n"
		      "3\n");
	ck_assert_int_eq(lg__csv_open(T, p, &c), LG_OK);
	ck_assert_int_eq(lg__csv_column(c, "a"), 0);
	ck_assert_int_eq(lg__csv_column(c, "b"), 1);
	ck_assert_int_eq(lg__csv_column(c, "zz"), -1);
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_OK);
	ck_assert(!eof);
	ck_assert_int_eq(lg__csv_line(c), 4);
	ck_assert_str_eq(lg__csv_field(c, 1), "x, y");
	ck_assert_str_eq(lg__csv_field(c, 2), "say \"hi\"");
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_OK);
	ck_assert_int_eq(lg__csv_line(c), 5);
	ck_assert_str_eq(lg__csv_field(c, 1), "two\nlines");
	ck_assert_str_eq(lg__csv_field(c, 2), "");
	ck_assert_uint_eq(lg__csv_nfields(c), 3);
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_OK);
	ck_assert_int_eq(lg__csv_line(c), 7);
	ck_assert_str_eq(lg__csv_field(c, 0), "3");
	ck_assert_str_eq(lg__csv_field(c, 2), ""); /* short record */
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_OK);
	ck_assert(eof);
	lg__csv_close(c);
	lg__csv_close(NULL);
}
END_TEST

START_TEST(csv_gb18030)
{
	const char *p = lg_test_tmp("g.csv");
	lg__csv *c = NULL;
	bool eof;
	/* "name\n砷\n铅\n" as Excel on Chinese Windows saves it */
	lg_test_write_file(p, "name\n\xC9\xE9\n\xC7\xA6\n");
	ck_assert_int_eq(lg__csv_open(T, p, &c), LG_OK);
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_OK);
	ck_assert_str_eq(lg__csv_field(c, 0), "砷");
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_OK);
	ck_assert_str_eq(lg__csv_field(c, 0), "铅");
	lg__csv_close(c);
}
END_TEST

START_TEST(csv_errors)
{
	const char *p = lg_test_tmp("q.csv");
	char want[512];
	lg__csv *c = NULL;
	bool eof;
	lg_test_write_file(p, "a,b\n1,2\n3,\"open\n4,5\n");
	ck_assert_int_eq(lg__csv_open(T, p, &c), LG_OK);
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_OK);
	ck_assert_int_eq(lg__csv_next(c, &eof), LG_INPUT);
	snprintf(want, sizeof want,
		 "'%s' line 3: quoted field never closed; add the closing '\"'",
		 p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
	lg__csv_close(c);

	c = (lg__csv *)1;
	ck_assert_int_eq(lg__csv_open(T, lg_test_tmp("none.csv"), &c),
			 LG_NOFILE);
	ck_assert_ptr_null(c);
	lg_test_write_file(p, "");
	ck_assert_int_eq(lg__csv_open(T, p, &c), LG_INPUT);
	ASSERT_MSG_HAS("is empty");
}
END_TEST

/* ------------------------------------------------------------------ */
/* GB 36600-2018                                                       */
/* ------------------------------------------------------------------ */

static lg_soil_limits *soil;

static void soil_setup(void)
{
	lg_test_setup();
	ck_assert_int_eq(lg_soil_limits_load(T, NULL, &soil), LG_OK);
}

static void soil_teardown(void)
{
	lg_soil_limits_destroy(soil);
	soil = NULL;
	lg_test_teardown();
}

static lg_soil_level judge(const char *name, int land_class, double v)
{
	const lg_soil_item *it = lg_soil_item_find(soil, name);
	lg_labvalue lv = lg_labvalue_number(v);
	lg_soil_verdict out;
	ck_assert_msg(it != NULL, "no soil item '%s'", name);
	ck_assert_int_eq(lg_soil_judge(T, it, land_class, &lv, &out), LG_OK);
	return out.level;
}

START_TEST(soil_table_complete)
{
	size_t t1 = 0, t2 = 0, notes = 0;
	ck_assert_uint_eq(lg_soil_limits_count(soil), 85);
	for (size_t i = 0; i < 85; i++) {
		const lg_soil_item *it = lg_soil_limits_item(soil, i);
		t1 += it->table == 1;
		t2 += it->table == 2;
		notes += it->background_note;
		ck_assert(it->screen_mgkg[0] <= it->interv_mgkg[0]);
		ck_assert(it->screen_mgkg[1] <= it->interv_mgkg[1]);
	}
	ck_assert_uint_eq(t1, 45);
	ck_assert_uint_eq(t2, 40);
	ck_assert_uint_eq(notes, 3); /* 砷, 钴, 钒 */
	ck_assert_ptr_null(lg_soil_limits_item(soil, 85));
}
END_TEST

START_TEST(soil_find_aliases)
{
	const lg_soil_item *as = lg_soil_item_find(soil, "砷");
	const lg_soil_item *cr6 = lg_soil_item_find(soil, "铬（六价）");
	ck_assert_ptr_nonnull(as);
	ck_assert_str_eq(as->item, "砷");
	ck_assert_str_eq(as->cas, "7440-38-2");
	ck_assert(as->background_note);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "As"), as);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "AS"), as);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "arsenic"), as);
	ck_assert_ptr_eq(lg_soil_item_find(soil, " As "), as);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "As(mg/kg)"), as);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "As （mg/kg）"), as);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "砷[mg/kg]"), as);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "7440-38-2"), as);

	ck_assert_ptr_nonnull(cr6);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "六价铬(mg/kg)"), cr6);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "六价铬"), cr6);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "Cr6+"), cr6);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "Cr(VI)"), cr6);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "Cr（Ⅵ）"), cr6);
	ck_assert_ptr_eq(lg_soil_item_find(soil, "铬(六价)(mg/kg)"), cr6);
	ck_assert_double_eq(cr6->screen_mgkg[0], 3.0);

	ck_assert_str_eq(lg_soil_item_find(soil, "Pb")->item, "铅");
	ck_assert_str_eq(lg_soil_item_find(soil, "lead")->item, "铅");
	ck_assert_str_eq(lg_soil_item_find(soil, "苯并(a)芘")->item,
			 "苯并[a]芘");
	ck_assert_str_eq(lg_soil_item_find(soil, "PCB126")->item,
			 "3,3',4,4',5-五氯联苯（PCB 126）");
	ck_assert_str_eq(lg_soil_item_find(soil, "石油烃(C10-C40)")->item,
			 "石油烃（C10-C40）");
	ck_assert_str_eq(lg_soil_item_find(soil, "p,p’-滴滴滴")->item,
			 "p,p'-滴滴滴");
	ck_assert_str_eq(lg_soil_item_find(soil, "䓛")->item, "䓛");

	/* Only a unit-like bracket is stripped: "铬" is not an item. */
	ck_assert_ptr_null(lg_soil_item_find(soil, "铬"));
	ck_assert_ptr_null(lg_soil_item_find(soil, "铬(总)"));
	ck_assert_ptr_null(lg_soil_item_find(soil, "unobtainium"));
	ck_assert_ptr_null(lg_soil_item_find(soil, ""));
	ck_assert_ptr_null(lg_soil_item_find(soil, "(mg/kg)"));
	ck_assert_ptr_null(lg_soil_item_find(soil, NULL));
	ck_assert_ptr_null(lg_soil_item_find(NULL, "As"));
}
END_TEST

START_TEST(soil_arsenic_class1)
{
	/* 砷, 第一类用地: 筛选值 20, 管制值 120 (table 1 row 1). */
	ck_assert_int_eq(judge("As", 1, 0), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("As", 1, 20), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("As", 1, nextafter(20, INFINITY)),
			 LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("As", 1, 120), LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("As", 1, nextafter(120, INFINITY)),
			 LG_SOIL_ABOVE_INTERV);
	/* 第二类用地: 60 / 140 */
	ck_assert_int_eq(judge("As", 2, 60), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("As", 2, nextafter(60, INFINITY)),
			 LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("As", 2, 140), LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("As", 2, 141), LG_SOIL_ABOVE_INTERV);
}
END_TEST

START_TEST(soil_verdict_fields)
{
	const lg_soil_item *as = lg_soil_item_find(soil, "砷");
	const lg_soil_item *pb = lg_soil_item_find(soil, "铅");
	lg_labvalue v = lg_labvalue_number(25);
	lg_soil_verdict out;
	ck_assert_int_eq(lg_soil_judge(T, as, 1, &v, &out), LG_OK);
	ck_assert_int_eq(out.level, LG_SOIL_ABOVE_SCREEN);
	ck_assert_ptr_eq(out.item, as);
	ck_assert_int_eq(out.land_class, 1);
	ck_assert_double_eq(out.screen_mgkg, 20);
	ck_assert_double_eq(out.interv_mgkg, 120);
	ck_assert(out.background_note); /* footnote a */
	ck_assert(!out.nd);
	ck_assert_str_eq(lg_soil_level_name(out.level), "above_screen");
	ck_assert_str_eq(lg_soil_level_zh(out.level), "超过筛选值");

	v = lg_labvalue_number(15);
	ck_assert_int_eq(lg_soil_judge(T, as, 1, &v, &out), LG_OK);
	ck_assert(!out.background_note); /* below: nothing to explain */

	v = lg_labvalue_number(500);
	ck_assert_int_eq(lg_soil_judge(T, pb, 1, &v, &out), LG_OK);
	ck_assert_int_eq(out.level, LG_SOIL_ABOVE_SCREEN);
	ck_assert(!out.background_note); /* 铅 has no footnote */
}
END_TEST

START_TEST(soil_lead_class2)
{
	/* 铅: 第一类 400 / 800, 第二类 800 / 2500 (table 1 row 5). */
	ck_assert_int_eq(judge("Pb", 2, 800), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("Pb", 2, nextafter(800, INFINITY)),
			 LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("Pb", 2, 2500), LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("Pb", 2, nextafter(2500, INFINITY)),
			 LG_SOIL_ABOVE_INTERV);
	ck_assert_int_eq(judge("铅", 1, 400), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("铅", 1, nextafter(400, INFINITY)),
			 LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("铅", 1, 800), LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("铅", 1, nextafter(800, INFINITY)),
			 LG_SOIL_ABOVE_INTERV);
}
END_TEST

START_TEST(soil_cr6_from_header)
{
	/* 铬（六价）: 第一类 3.0 / 30 (table 1 row 3). */
	ck_assert_int_eq(judge("六价铬(mg/kg)", 1, 3.0), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("六价铬(mg/kg)", 1, nextafter(3.0, INFINITY)),
			 LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("六价铬(mg/kg)", 1, 30), LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("六价铬(mg/kg)", 1, nextafter(30, INFINITY)),
			 LG_SOIL_ABOVE_INTERV);
	/* 镉 第一类: screening 20 below intervention 47 */
	ck_assert_int_eq(judge("Cd", 1, 47), LG_SOIL_ABOVE_SCREEN);
	/* PCB 126 第一类: 4×10⁻⁵ / 4×10⁻⁴ (table 2 row 36) */
	ck_assert_int_eq(judge("PCB 126", 1, 4e-5), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("PCB 126", 1, 5e-5), LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(judge("PCB 126", 1, 5e-4), LG_SOIL_ABOVE_INTERV);
	/* 1,1,1-三氯乙烷 第二类: screening = intervention = 840 */
	ck_assert_int_eq(judge("1,1,1-三氯乙烷", 2, 840), LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(judge("1,1,1-三氯乙烷", 2, nextafter(840, INFINITY)),
			 LG_SOIL_ABOVE_INTERV);
}
END_TEST

START_TEST(soil_nondetect_and_missing)
{
	const lg_soil_item *as = lg_soil_item_find(soil, "As");
	const lg_soil_item *pcb = lg_soil_item_find(soil, "PCB 126");
	lg_labvalue v;
	lg_soil_verdict out;

	parse_ok("0.01L");
	ck_assert_int_eq(lg_labvalue_parse(T, "0.01L", &v), LG_OK);
	ck_assert_int_eq(lg_soil_judge(T, as, 1, &v, &out), LG_OK);
	ck_assert_int_eq(out.level, LG_SOIL_BELOW_SCREEN);
	ck_assert(out.nd);
	ck_assert(!out.dl_above_screen);
	ck_assert(!out.background_note);

	/* A detection limit of 1×10⁻⁴ cannot show PCB 126 ≤ 4×10⁻⁵. */
	ck_assert_int_eq(lg_labvalue_parse(T, "<0.0001", &v), LG_OK);
	ck_assert_int_eq(lg_soil_judge(T, pcb, 1, &v, &out), LG_OK);
	ck_assert_int_eq(out.level, LG_SOIL_BELOW_SCREEN);
	ck_assert(out.nd);
	ck_assert(out.dl_above_screen);

	ck_assert_int_eq(lg_labvalue_parse(T, "—", &v), LG_OK);
	ck_assert_int_eq(lg_soil_judge(T, as, 1, &v, &out), LG_OK);
	ck_assert_int_eq(out.level, LG_SOIL_NOT_MEASURED);
	ck_assert_double_eq(out.screen_mgkg, 20);
}
END_TEST

START_TEST(soil_bad_calls)
{
	const lg_soil_item *as = lg_soil_item_find(soil, "As");
	lg_labvalue v = lg_labvalue_number(1);
	lg_soil_verdict out;
	ck_assert_int_eq(lg_soil_judge(T, as, 3, &v, &out), LG_INPUT);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "land class 3 for '砷': GB 36600 has class 1 "
			 "(第一类用地) and 2 (第二类用地)");
	ck_assert_int_eq(lg_soil_judge(T, NULL, 1, &v, &out), LG_INPUT);
	ck_assert_int_eq(lg_soil_judge(T, as, 1, NULL, &out), LG_INPUT);
	lg_soil_limits_destroy(NULL);
}
END_TEST

static const char soil_header[] =
	"item_no,table,item,aliases,cas,screen_1,screen_2,interv_1,interv_2,"
	"group,background_note\n";

static void soil_load_fails(const char *body, lg_status want,
			    const char *want_msg)
{
	const char *p = lg_test_tmp("user36600.csv");
	lg_soil_limits *lim = (lg_soil_limits *)1;
	char text[2048], full[1024];
	snprintf(text, sizeof text, "%s%s", soil_header, body);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_soil_limits_load(T, p, &lim), want);
	ck_assert_ptr_null(lim);
	snprintf(full, sizeof full, "'%s' %s", p, want_msg);
	ck_assert_str_eq(lg_ctx_errmsg(T), full);
}

START_TEST(soil_user_table)
{
	const char *p = lg_test_tmp("user36600.csv");
	lg_soil_limits *lim = NULL;
	char text[1024];
	snprintf(text, sizeof text,
		 "%s1,1,砷,As,7440-38-2,20,60,120,140,重金属和无机物,a\n"
		 "\"2\",1,\"铅\",Pb|lead,,400,800,800,2500,重金属和无机物,\n",
		 soil_header);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_soil_limits_load(T, p, &lim), LG_OK);
	ck_assert_uint_eq(lg_soil_limits_count(lim), 2);
	ck_assert_str_eq(lg_soil_item_find(lim, "lead")->item, "铅");
	lg_soil_limits_destroy(lim);
}
END_TEST

START_TEST(soil_user_table_errors)
{
	soil_load_fails("1,1,砷,As,,20,60,120,140,g,\n"
			"2,1,铅,Pb,,4OO,800,800,2500,g,\n",
			LG_INPUT,
			"line 3 column 6 (screen_1): screening value (class 1) "
			"'4OO' is not a number (write 0.5, 4e-5; no units or "
			"signs)");
	soil_load_fails("1,1,砷,As,,20,60,12,140,g,\n", LG_INPUT,
			"line 2 column 8 (interv_1): intervention value 12 is "
			"below the screening value 20 for land class 1; check "
			"the table");
	soil_load_fails("1,1,砷,As,,20,60,120,140,g,\n"
			"2,1,铅,Pb|AS,,400,800,800,2500,g,\n",
			LG_INPUT,
			"line 3 column 4 (aliases): name 'AS' is already used "
			"by item '砷'; names and aliases must be unique");
	soil_load_fails("1,3,砷,As,,20,60,120,140,g,\n", LG_INPUT,
			"line 2 column 2 (table): '3' must be a whole number "
			"from 1 to 2");
	soil_load_fails("1,1,砷,As,,20,60,120,140,g,b\n", LG_INPUT,
			"line 2 column 11 (background_note): 'b' is not a "
			"footnote this program knows (write 'a' or leave it "
			"empty)");
	soil_load_fails("", LG_INPUT, "has a header but no items");
}
END_TEST

START_TEST(soil_user_table_missing_column)
{
	const char *p = lg_test_tmp("cols.csv");
	lg_soil_limits *lim = NULL;
	lg_test_write_file(p, "item_no,table,item\n1,1,砷\n");
	ck_assert_int_eq(lg_soil_limits_load(T, p, &lim), LG_INPUT);
	ASSERT_MSG_HAS("line 1: no column 'aliases'; a GB 36600 limits table "
		       "needs the columns item_no, table, item, aliases");
	ck_assert_int_eq(lg_soil_limits_load(T, lg_test_tmp("nope.csv"), &lim),
			 LG_NOFILE);
	ASSERT_MSG_HAS("nope.csv");
}
END_TEST

START_TEST(soil_load_out_of_memory)
{
	/* Every allocation failure must come back as LG_NOMEM with nothing
	 * leaked (run under valgrind), until the load gets through. */
	const char *p = lg_test_tmp("small.csv");
	char text[1024];
	lg_status st = LG_NOMEM;
	long n;
	snprintf(text, sizeof text,
		 "%s1,1,砷,As|arsenic,7440-38-2,20,60,120,140,g,a\n"
		 "2,1,铅,Pb|lead,,400,800,800,2500,g,\n",
		 soil_header);
	lg_test_write_file(p, text);
	for (n = 1; n < 500 && st == LG_NOMEM; n++) {
		lg_soil_limits *lim = NULL;
		lg_ctx_fail_alloc_at(T, 0);
		lg_ctx_clear_error(T);
		{
			long base = lg_ctx_alloc_count(T);
			lg_ctx_fail_alloc_at(T, base + n);
		}
		st = lg_soil_limits_load(T, p, &lim);
		if (st == LG_OK) {
			ck_assert_uint_eq(lg_soil_limits_count(lim), 2);
			lg_soil_limits_destroy(lim);
		} else {
			ck_assert_int_eq(st, LG_NOMEM);
			ck_assert_ptr_null(lim);
		}
	}
	ck_assert_int_eq(st, LG_OK);
	ck_assert_int_gt(n, 5);
}
END_TEST

/* ------------------------------------------------------------------ */
/* GB/T 14848-2017                                                     */
/* ------------------------------------------------------------------ */

static lg_gw_limits *gw;

static void gw_setup(void)
{
	lg_test_setup();
	ck_assert_int_eq(lg_gw_limits_load(T, NULL, &gw), LG_OK);
}

static void gw_teardown(void)
{
	lg_gw_limits_destroy(gw);
	gw = NULL;
	lg_test_teardown();
}

static int gw_class(const char *name, double v)
{
	const lg_gw_item *it = lg_gw_item_find(gw, name);
	lg_labvalue lv = lg_labvalue_number(v);
	int cls = -1;
	ck_assert_msg(it != NULL, "no indicator '%s'", name);
	ck_assert_int_eq(lg_gw_class_of(T, it, &lv, false, &cls), LG_OK);
	return cls;
}

static int gw_class_text(const char *name, const char *text, bool ion)
{
	const lg_gw_item *it = lg_gw_item_find(gw, name);
	lg_labvalue lv;
	int cls = -1;
	ck_assert_msg(it != NULL, "no indicator '%s'", name);
	ck_assert_int_eq(lg_labvalue_parse(T, text, &lv), LG_OK);
	ck_assert_int_eq(lg_gw_class_of(T, it, &lv, ion, &cls), LG_OK);
	return cls;
}

/* The limit of class k is in class k, the next double above it in
 * `above` (k+1, or more where the next classes share the limit). */
#define EDGE(name, limit, k, above)                                            \
	do {                                                                   \
		ck_assert_msg(gw_class(name, limit) == (k),                    \
			      "%s %.17g: class %d, want %d", name,             \
			      (double)(limit), gw_class(name, limit), (k));    \
		ck_assert_msg(gw_class(name, nextafter(limit, INFINITY)) ==    \
				      (above),                                 \
			      "%s just above %.17g: class %d, want %d", name,  \
			      (double)(limit),                                 \
			      gw_class(name, nextafter(limit, INFINITY)),      \
			      (above));                                        \
	} while (0)

START_TEST(gw_table_complete)
{
	const lg_gw_item *no3 = lg_gw_item_find(gw, "硝酸盐");
	ck_assert_uint_eq(lg_gw_limits_count(gw), 36);
	ck_assert_ptr_nonnull(no3);
	ck_assert_str_eq(no3->unit, "mg/L");
	ck_assert_double_eq(no3->as_n_factor, 4.427);
	ck_assert_double_eq(lg_gw_item_find(gw, "亚硝酸盐")->as_n_factor, 3.285);
	ck_assert_double_eq(lg_gw_item_find(gw, "氨氮")->as_n_factor, 1.288);
	ck_assert_double_eq(lg_gw_item_find(gw, "铁")->as_n_factor, 0);
	ck_assert_str_eq(lg_gw_item_find(gw, "苯")->unit, "μg/L");
	ck_assert_int_eq(lg_gw_item_find(gw, "pH")->kind, LG_GW_PH);
	ck_assert_int_eq(lg_gw_item_find(gw, "阴离子表面活性剂")->kind,
			 LG_GW_ND_CLASS1);
	ck_assert_ptr_eq(lg_gw_item_find(gw, "NO3-N"), no3);
	ck_assert_ptr_eq(lg_gw_item_find(gw, "硝酸盐(以N计)(mg/L)"), no3);
	ck_assert_ptr_eq(lg_gw_item_find(gw, "Mn（mg/L）"),
			 lg_gw_item_find(gw, "锰"));
	ck_assert_ptr_eq(lg_gw_item_find(gw, "总硬度(以CaCO₃计)"),
			 lg_gw_item_find(gw, "总硬度"));
	ck_assert_ptr_eq(lg_gw_item_find(gw, "PH值"), lg_gw_item_find(gw, "pH"));
	ck_assert_ptr_eq(lg_gw_item_find(gw, "六价铬"),
			 lg_gw_item_find(gw, "铬（六价）"));
	ck_assert_ptr_null(lg_gw_item_find(gw, "硝酸根"));
	for (size_t i = 0; i < 36; i++)
		ck_assert_uint_eq(lg_gw_limits_item(gw, i)->index, i);
}
END_TEST

START_TEST(gw_nitrate_edges)
{
	/* 硝酸盐 (以N计): I ≤2.0, II ≤5.0, III ≤20.0, IV ≤30.0 */
	EDGE("硝酸盐", 2.0, 1, 2);
	EDGE("硝酸盐", 5.0, 2, 3);
	EDGE("硝酸盐", 20.0, 3, 4);
	EDGE("硝酸盐", 30.0, 4, 5);
	ck_assert_int_eq(gw_class("硝酸盐", 0), 1);
	ck_assert_int_eq(gw_class("硝酸盐", 100), 5);
}
END_TEST

START_TEST(gw_manganese_edges)
{
	/* 锰: I 0.05, II 0.05 (shared → I), III 0.10, IV 1.50 */
	EDGE("锰", 0.05, 1, 3);
	EDGE("锰", 0.10, 3, 4);
	EDGE("锰", 1.50, 4, 5);
}
END_TEST

START_TEST(gw_hardness_edges)
{
	/* 总硬度 (以CaCO₃计): 150 / 300 / 450 / 650 */
	EDGE("总硬度", 150, 1, 2);
	EDGE("总硬度", 300, 2, 3);
	EDGE("总硬度", 450, 3, 4);
	EDGE("总硬度", 650, 4, 5);
}
END_TEST

START_TEST(gw_fluoride_arsenic_cadmium_edges)
{
	/* 氟化物: I-III share 1.0, IV 2.0 */
	EDGE("氟化物", 1.0, 1, 4);
	EDGE("氟化物", 2.0, 4, 5);
	/* 砷: I/II share 0.001, III 0.01, IV 0.05 */
	EDGE("砷", 0.001, 1, 3);
	EDGE("砷", 0.01, 3, 4);
	EDGE("砷", 0.05, 4, 5);
	/* 镉: 0.0001 / 0.001 / 0.005 / 0.01, all different */
	EDGE("镉", 0.0001, 1, 2);
	EDGE("镉", 0.001, 2, 3);
	EDGE("镉", 0.005, 3, 4);
	EDGE("镉", 0.01, 4, 5);
	/* 六价铬 through an alias: 0.005 / 0.01 / 0.05 / 0.10 */
	EDGE("六价铬", 0.005, 1, 2);
	EDGE("六价铬", 0.01, 2, 3);
	EDGE("六价铬", 0.05, 3, 4);
	EDGE("六价铬", 0.10, 4, 5);
	/* 甲苯 (μg/L): 0.5 / 140 / 700 / 1400 */
	EDGE("甲苯", 0.5, 1, 2);
	EDGE("甲苯", 140, 2, 3);
	EDGE("甲苯", 700, 3, 4);
	EDGE("甲苯", 1400, 4, 5);
}
END_TEST

START_TEST(gw_ph_bands)
{
	/* I-III: 6.5 ≤ pH ≤ 8.5 → I; IV: 5.5 ≤ pH < 6.5 or 8.5 < pH ≤ 9.0;
	 * V: pH < 5.5 or pH > 9.0 */
	ck_assert_int_eq(gw_class("pH", 7.0), 1);
	ck_assert_int_eq(gw_class("pH", 6.5), 1);
	ck_assert_int_eq(gw_class("pH", 8.5), 1);
	ck_assert_int_eq(gw_class("pH", 6.49), 4);
	ck_assert_int_eq(gw_class("pH", nextafter(6.5, -INFINITY)), 4);
	ck_assert_int_eq(gw_class("pH", nextafter(8.5, INFINITY)), 4);
	ck_assert_int_eq(gw_class("pH", 8.51), 4);
	ck_assert_int_eq(gw_class("pH", 5.5), 4);
	ck_assert_int_eq(gw_class("pH", 5.49), 5);
	ck_assert_int_eq(gw_class("pH", nextafter(5.5, -INFINITY)), 5);
	ck_assert_int_eq(gw_class("pH", 9.0), 4);
	ck_assert_int_eq(gw_class("pH", 9.01), 5);
	ck_assert_int_eq(gw_class("pH", nextafter(9.0, INFINITY)), 5);
	ck_assert_int_eq(gw_class("pH", 0), 5);
	ck_assert_int_eq(gw_class("pH", 14), 5);
}
END_TEST

START_TEST(gw_surfactant_nd_class1)
{
	/* 阴离子表面活性剂: I 不得检出; II 0.1; III 0.3; IV 0.3 (→ III) */
	ck_assert_int_eq(gw_class_text("阴离子表面活性剂", "ND", false), 1);
	ck_assert_int_eq(gw_class_text("阴离子表面活性剂", "0.05L", false), 1);
	ck_assert_int_eq(gw_class("阴离子表面活性剂", 0.01), 2);
	EDGE("阴离子表面活性剂", 0.1, 2, 3);
	EDGE("阴离子表面活性剂", 0.3, 3, 5);
}
END_TEST

START_TEST(gw_ion_to_n)
{
	/* 88.54 mg/L NO₃⁻ / 4.427 = 20.0 mg/L N → III (20.0 is the III
	 * limit).  In doubles the quotient is 20.000000000000004; the
	 * rounding in lg_gw_class_of keeps it in III. */
	ck_assert_int_eq(gw_class_text("硝酸盐", "88.54", true), 3);
	/* Away from the edge: 80 / 4.427 = 18.07 → III; 88.6 → 20.01 → IV */
	ck_assert_int_eq(gw_class_text("硝酸盐", "80", true), 3);
	ck_assert_int_eq(gw_class_text("硝酸盐", "88.6", true), 4);
	/* The same 88.54 read as N is far above IV (30) → V */
	ck_assert_int_eq(gw_class_text("硝酸盐", "88.54", false), 5);
	/* 亚硝酸盐: 3.285 mg/L NO₂⁻ = 1.00 mg/L N → III (limit 1.00) */
	ck_assert_int_eq(gw_class_text("亚硝酸盐", "3.285", true), 3);
	/* 氨氮: 0.6 mg/L NH₄⁺ = 0.466 mg/L N → III (0.10 < x ≤ 0.50) */
	ck_assert_int_eq(gw_class_text("氨氮", "0.6", true), 3);
	ck_assert_int_eq(gw_class_text("氨氮", "0.6", false), 4);
}
END_TEST

START_TEST(gw_nondetect_missing_errors)
{
	const lg_gw_item *fe = lg_gw_item_find(gw, "铁");
	const lg_gw_item *ph = lg_gw_item_find(gw, "pH");
	lg_labvalue v;
	int cls = -1;
	/* A non-detect is class I, whatever the limit (trap 6). */
	ck_assert_int_eq(gw_class_text("汞", "0.00004L", false), 1);
	ck_assert_int_eq(gw_class_text("苯", "未检出", false), 1);
	ck_assert_int_eq(gw_class_text("硝酸盐", "<0.02", true), 1);
	ck_assert_int_eq(gw_class_text("铁", "", false), 0);
	ck_assert_int_eq(gw_class_text("铁", "—", false), 0);

	v = lg_labvalue_number(1);
	ck_assert_int_eq(lg_gw_class_of(T, fe, &v, true, &cls), LG_INPUT);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "'铁' is not given \"as N\" in GB/T 14848, so an ion "
			 "value cannot be converted");
	ck_assert_int_eq(lg_labvalue_parse(T, "ND", &v), LG_OK);
	ck_assert_int_eq(lg_gw_class_of(T, ph, &v, false, &cls), LG_INPUT);
	v = lg_labvalue_number(15);
	ck_assert_int_eq(lg_gw_class_of(T, ph, &v, false, &cls), LG_INPUT);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "pH 15 is outside 0-14; check the cell");
	ck_assert_int_eq(cls, 0);
	lg_gw_limits_destroy(NULL);
}
END_TEST

START_TEST(gw_sample_worst)
{
	/* Classes from the table: 氟化物 2.5 > 2.0 → V; pH 7.2 → I;
	 * 硝酸盐 25 → IV; 锰 0.05 → I; 总硬度 700 > 650 → V; 铅 missing.
	 * Worst V, shared by 氟化物 and 总硬度: 总硬度 comes first in the
	 * table (表1 order), so it is named although 氟化物 comes first
	 * in the input. */
	lg_gw_reading r[6] = {
		{NULL, "氟化物", lg_labvalue_number(2.5), false},
		{NULL, "pH", lg_labvalue_number(7.2), false},
		{NULL, "NO3-N(mg/L)", lg_labvalue_number(25), false},
		{lg_gw_item_find(gw, "锰"), NULL, lg_labvalue_number(0.05),
		 false},
		{NULL, "总硬度", lg_labvalue_number(700), false},
		{NULL, "Pb", {NAN, false, NAN, true}, false},
	};
	int each[6];
	lg_gw_result res;
	ck_assert_int_eq(lg_gw_sample_class(T, gw, r, 6, each, &res), LG_OK);
	ck_assert_int_eq(res.cls, 5);
	ck_assert_ptr_nonnull(res.worst);
	ck_assert_str_eq(res.worst->item, "总硬度");
	ck_assert_uint_eq(res.nmeasured, 5);
	ck_assert_int_eq(each[0], 5);
	ck_assert_int_eq(each[1], 1);
	ck_assert_int_eq(each[2], 4);
	ck_assert_int_eq(each[3], 1);
	ck_assert_int_eq(each[4], 5);
	ck_assert_int_eq(each[5], 0);
	ck_assert_str_eq(lg_gw_class_roman(res.cls), "V");
	ck_assert(!lg_gw_meets_target(res.cls, true));
	ck_assert(lg_gw_meets_target(res.cls, false));

	/* Without the V readings: worst IV from 硝酸盐, fails drinking. */
	ck_assert_int_eq(lg_gw_sample_class(T, gw, r + 1, 3, NULL, &res),
			 LG_OK);
	ck_assert_int_eq(res.cls, 4);
	ck_assert_str_eq(res.worst->item, "硝酸盐");
}
END_TEST

START_TEST(gw_sample_edge_cases)
{
	lg_gw_reading bad[2] = {
		{NULL, "pH", lg_labvalue_number(7), false},
		{NULL, "钚", lg_labvalue_number(1), false},
	};
	lg_gw_reading none[1] = {{NULL, "铁", {NAN, false, NAN, true}, false}};
	lg_gw_result res;
	ck_assert_int_eq(lg_gw_sample_class(T, gw, NULL, 0, NULL, &res), LG_OK);
	ck_assert_int_eq(res.cls, 0);
	ck_assert_ptr_null(res.worst);
	ck_assert_int_eq(lg_gw_sample_class(T, gw, none, 1, NULL, &res), LG_OK);
	ck_assert_int_eq(res.cls, 0);
	ck_assert_uint_eq(res.nmeasured, 0);
	ck_assert(!lg_gw_meets_target(res.cls, false));
	ck_assert_int_eq(lg_gw_sample_class(T, gw, bad, 2, NULL, &res),
			 LG_CODE);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "reading 2: '钚' is not a GB/T 14848 indicator this "
			 "table knows; rename it or add an alias");
	ck_assert_int_eq(res.cls, 0);
}
END_TEST

START_TEST(gw_targets)
{
	for (int c = 1; c <= 5; c++) {
		ck_assert(lg_gw_meets_target(c, true) == (c <= 3));
		ck_assert(lg_gw_meets_target(c, false));
	}
	ck_assert(!lg_gw_meets_target(0, true));
	ck_assert(!lg_gw_meets_target(0, false));
	ck_assert(!lg_gw_meets_target(6, false));
	ck_assert_str_eq(lg_gw_class_roman(3), "III");
	ck_assert_str_eq(lg_gw_class_roman(0), "");
}
END_TEST

START_TEST(gw_user_table_errors)
{
	const char *p = lg_test_tmp("user14848.csv");
	const char *hdr =
		"item,aliases,unit,class1,class2,class3,class4,kind,as_n_factor\n";
	char text[1024], want[1024];
	lg_gw_limits *lim = NULL;

	snprintf(text, sizeof text, "%s锰,Mn,mg/L,0.05,0.10,0.05,1.5,upper,\n",
		 hdr);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_gw_limits_load(T, p, &lim), LG_INPUT);
	snprintf(want, sizeof want,
		 "'%s' line 2 column 6 (class3): class III limit 0.05 is "
		 "stricter than the class before (0.1)",
		 p);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);

	snprintf(text, sizeof text, "%spH,,,6.5~8.5,6.5~8.5,6.5~8.5,5.5,ph,\n",
		 hdr);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_gw_limits_load(T, p, &lim), LG_INPUT);
	ASSERT_MSG_HAS("line 2 column 7 (class4): pH class IV limit '5.5' must "
		       "be a range lo~hi such as 6.5~8.5");

	snprintf(text, sizeof text, "%s铁,,mg/L,0.1,0.2,0.3,2.0,lower,\n", hdr);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_gw_limits_load(T, p, &lim), LG_INPUT);
	ASSERT_MSG_HAS("kind 'lower' is not upper, ph or nd_class1");

	snprintf(text, sizeof text,
		 "%spH,,,6.5～8.5,6.5-8.5,6.5~8.5,5.5~9.0,ph,\n"
		 "硝酸盐,,mg/L,2,5,20,30,upper,4.427\n",
		 hdr);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_gw_limits_load(T, p, &lim), LG_OK);
	ck_assert_uint_eq(lg_gw_limits_count(lim), 2);
	ck_assert_double_eq(lg_gw_limits_item(lim, 0)->ph_hi[0], 8.5);
	lg_gw_limits_destroy(lim);
}
END_TEST

/* ------------------------------------------------------------------ */
/* GB 15618-2018                                                       */
/* ------------------------------------------------------------------ */

static lg_farm_limits *farm;

static void farm_setup(void)
{
	lg_test_setup();
	ck_assert_int_eq(lg_farm_limits_load(T, NULL, &farm), LG_OK);
}

static void farm_teardown(void)
{
	lg_farm_limits_destroy(farm);
	farm = NULL;
	lg_test_teardown();
}

static lg_farm_verdict farm_judge(const char *name, lg_farm_land land,
				  double ph, double v)
{
	const lg_farm_item *it = lg_farm_item_find(farm, name);
	lg_labvalue lv = lg_labvalue_number(v);
	lg_farm_verdict out;
	ck_assert_msg(it != NULL, "no farm item '%s'", name);
	ck_assert_int_eq(lg_farm_judge(T, it, land, ph, &lv, &out), LG_OK);
	return out;
}

START_TEST(farm_table)
{
	ck_assert_uint_eq(lg_farm_limits_count(farm), 11);
	ck_assert(lg_farm_item_find(farm, "Cd")->has_interv);
	ck_assert(!lg_farm_item_find(farm, "铜")->has_interv);
	ck_assert_str_eq(lg_farm_item_find(farm, "Cr(mg/kg)")->item, "铬");
	ck_assert_str_eq(lg_farm_item_find(farm, "苯并(a)芘")->item,
			 "苯并[a]芘");
	ck_assert_ptr_null(lg_farm_item_find(farm, "钒"));
}
END_TEST

START_TEST(farm_cadmium_paddy)
{
	/* 镉 水田, 5.5<pH≤6.5: screening 0.4 (table 1), intervention 2.0
	 * (table 3). */
	lg_farm_verdict v = farm_judge("镉", LG_FARM_PADDY, 6.0, 0.4);
	ck_assert_int_eq(v.level, LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(v.ph_band, 1);
	ck_assert_double_eq(v.screen_mgkg, 0.4);
	ck_assert_double_eq(v.interv_mgkg, 2.0);
	ck_assert_int_eq(
		farm_judge("镉", LG_FARM_PADDY, 6.0, nextafter(0.4, INFINITY))
			.level,
		LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(farm_judge("镉", LG_FARM_PADDY, 6.0, 2.0).level,
			 LG_SOIL_ABOVE_SCREEN);
	ck_assert_int_eq(
		farm_judge("镉", LG_FARM_PADDY, 6.0, nextafter(2.0, INFINITY))
			.level,
		LG_SOIL_ABOVE_INTERV);
}
END_TEST

START_TEST(farm_ph_bands)
{
	/* 镉 其他: 0.3 | 0.3 | 0.3 | 0.6; bands' upper edges inclusive. */
	ck_assert_int_eq(farm_judge("Cd", LG_FARM_OTHER, 5.5, 0.3).ph_band, 0);
	ck_assert_int_eq(
		farm_judge("Cd", LG_FARM_OTHER, nextafter(5.5, INFINITY), 0.3)
			.ph_band,
		1);
	ck_assert_int_eq(farm_judge("Cd", LG_FARM_OTHER, 6.5, 0.3).ph_band, 1);
	ck_assert_double_eq(
		farm_judge("Cd", LG_FARM_OTHER, 7.5, 0.3).screen_mgkg, 0.3);
	ck_assert_double_eq(farm_judge("Cd", LG_FARM_OTHER,
				       nextafter(7.5, INFINITY), 0.3)
				    .screen_mgkg,
			    0.6);
	/* 砷 intervention falls with pH: 200 | 150 | 120 | 100 */
	ck_assert_double_eq(
		farm_judge("As", LG_FARM_OTHER, 8.0, 1).interv_mgkg, 100);
	ck_assert_double_eq(
		farm_judge("As", LG_FARM_OTHER, 5.0, 1).interv_mgkg, 200);
}
END_TEST

START_TEST(farm_land_types)
{
	/* 铜: 果园 150|150|200|200, 其他 50|50|100|100; 水田 uses 其他. */
	lg_farm_verdict v = farm_judge("铜", LG_FARM_ORCHARD, 7.0, 150);
	ck_assert_double_eq(v.screen_mgkg, 200);
	ck_assert(isnan(v.interv_mgkg));
	ck_assert_double_eq(
		farm_judge("铜", LG_FARM_PADDY, 7.0, 1).screen_mgkg, 100);
	ck_assert_int_eq(farm_judge("铜", LG_FARM_PADDY, 7.0, 1000).level,
			 LG_SOIL_ABOVE_SCREEN); /* no intervention value */
	/* 镉 on 果园 uses 其他 */
	ck_assert_double_eq(
		farm_judge("镉", LG_FARM_ORCHARD, 8.0, 1).screen_mgkg, 0.6);
	/* 水旱轮作, the stricter: 铅 pH≤5.5 水田 80 / 其他 70 → 70;
	 * 砷 6.5<pH≤7.5 水田 25 / 其他 30 → 25 */
	ck_assert_double_eq(
		farm_judge("铅", LG_FARM_ROTATION, 5.0, 1).screen_mgkg, 70);
	ck_assert_double_eq(
		farm_judge("砷", LG_FARM_ROTATION, 7.0, 1).screen_mgkg, 25);
	ck_assert_double_eq(
		farm_judge("镍", LG_FARM_ROTATION, 7.0, 1).screen_mgkg, 100);
}
END_TEST

START_TEST(farm_ph_unknown_and_errors)
{
	const lg_farm_item *cd = lg_farm_item_find(farm, "镉");
	lg_labvalue lv = lg_labvalue_number(0.1);
	lg_farm_verdict v = farm_judge("苯并[a]芘", LG_FARM_OTHER, NAN, 0.55);
	ck_assert_int_eq(v.level, LG_SOIL_BELOW_SCREEN);
	ck_assert_int_eq(v.ph_band, -1);
	ck_assert_double_eq(v.screen_mgkg, 0.55);

	ck_assert_int_eq(lg_farm_judge(T, cd, LG_FARM_OTHER, NAN, &lv, &v),
			 LG_INPUT);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "soil pH is needed to judge '镉': its GB 15618 limits "
			 "depend on it");
	ck_assert_int_eq(lg_farm_judge(T, cd, LG_FARM_OTHER, 14.5, &lv, &v),
			 LG_INPUT);
	ck_assert_int_eq(lg_farm_judge(T, cd, (lg_farm_land)9, 7, &lv, &v),
			 LG_INPUT);
	ck_assert_int_eq(lg_labvalue_parse(T, "0.05L", &lv), LG_OK);
	ck_assert_int_eq(lg_farm_judge(T, cd, LG_FARM_OTHER, 7, &lv, &v), LG_OK);
	ck_assert(v.nd);
	ck_assert_int_eq(v.level, LG_SOIL_BELOW_SCREEN);
	lg_farm_limits_destroy(NULL);
}
END_TEST

START_TEST(farm_user_table_errors)
{
	const char *p = lg_test_tmp("user15618.csv");
	const char *hdr = "item,aliases,value,land,ph_le_5.5,ph_5.5_6.5,"
			  "ph_6.5_7.5,ph_gt_7.5\n";
	char text[1024];
	lg_farm_limits *lim = NULL;

	snprintf(text, sizeof text, "%s镉,Cd,screen,旱地,0.3,0.3,0.3,0.6\n",
		 hdr);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_farm_limits_load(T, p, &lim), LG_INPUT);
	ASSERT_MSG_HAS("line 2 column 4 (land): land '旱地' is not 水田, 果园, "
		       "其他 or 全部");
	snprintf(text, sizeof text,
		 "%s镉,Cd,screen,其他,0.3,0.3,0.3,0.6\n"
		 "镉,,screen,其他,0.3,0.3,0.3,0.6\n",
		 hdr);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_farm_limits_load(T, p, &lim), LG_INPUT);
	ASSERT_MSG_HAS("line 3 column 4 (land): a second screen row for '镉' "
		       "on land '其他'");
	snprintf(text, sizeof text, "%s镉,Cd,screen,水田,0.3,0.4,0.6,0.8\n",
		 hdr);
	lg_test_write_file(p, text);
	ck_assert_int_eq(lg_farm_limits_load(T, p, &lim), LG_INPUT);
	ASSERT_MSG_HAS("item '镉' has no screen row for 其他 or 全部 land");
	ck_assert_ptr_null(lim);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("quality");
	TCase *lab = tcase_create("labvalue");
	TCase *csv = tcase_create("csv");
	TCase *soil_tc = tcase_create("gb36600");
	TCase *soil_files = tcase_create("gb36600_tables");
	TCase *gw_tc = tcase_create("gb14848");
	TCase *farm_tc = tcase_create("gb15618");

	tcase_add_checked_fixture(lab, lg_test_setup, lg_test_teardown);
	tcase_add_test(lab, labvalue_numbers);
	tcase_add_test(lab, labvalue_nondetects);
	tcase_add_test(lab, labvalue_missing);
	tcase_add_test(lab, labvalue_bad);
	tcase_add_test(lab, labvalue_negative);
	tcase_add_test(lab, labvalue_message_exact);
	suite_add_tcase(s, lab);

	tcase_add_checked_fixture(csv, lg_test_setup, lg_test_teardown);
	tcase_add_test(csv, csv_dialect);
	tcase_add_test(csv, csv_gb18030);
	tcase_add_test(csv, csv_errors);
	suite_add_tcase(s, csv);

	tcase_add_checked_fixture(soil_tc, soil_setup, soil_teardown);
	tcase_add_test(soil_tc, soil_table_complete);
	tcase_add_test(soil_tc, soil_find_aliases);
	tcase_add_test(soil_tc, soil_arsenic_class1);
	tcase_add_test(soil_tc, soil_verdict_fields);
	tcase_add_test(soil_tc, soil_lead_class2);
	tcase_add_test(soil_tc, soil_cr6_from_header);
	tcase_add_test(soil_tc, soil_nondetect_and_missing);
	tcase_add_test(soil_tc, soil_bad_calls);
	suite_add_tcase(s, soil_tc);

	tcase_add_checked_fixture(soil_files, lg_test_setup, lg_test_teardown);
	tcase_add_test(soil_files, soil_user_table);
	tcase_add_test(soil_files, soil_user_table_errors);
	tcase_add_test(soil_files, soil_user_table_missing_column);
	tcase_add_test(soil_files, soil_load_out_of_memory);
	suite_add_tcase(s, soil_files);

	tcase_add_checked_fixture(gw_tc, gw_setup, gw_teardown);
	tcase_add_test(gw_tc, gw_table_complete);
	tcase_add_test(gw_tc, gw_nitrate_edges);
	tcase_add_test(gw_tc, gw_manganese_edges);
	tcase_add_test(gw_tc, gw_hardness_edges);
	tcase_add_test(gw_tc, gw_fluoride_arsenic_cadmium_edges);
	tcase_add_test(gw_tc, gw_ph_bands);
	tcase_add_test(gw_tc, gw_surfactant_nd_class1);
	tcase_add_test(gw_tc, gw_ion_to_n);
	tcase_add_test(gw_tc, gw_nondetect_missing_errors);
	tcase_add_test(gw_tc, gw_sample_worst);
	tcase_add_test(gw_tc, gw_sample_edge_cases);
	tcase_add_test(gw_tc, gw_targets);
	tcase_add_test(gw_tc, gw_user_table_errors);
	suite_add_tcase(s, gw_tc);

	tcase_add_checked_fixture(farm_tc, farm_setup, farm_teardown);
	tcase_add_test(farm_tc, farm_table);
	tcase_add_test(farm_tc, farm_cadmium_paddy);
	tcase_add_test(farm_tc, farm_ph_bands);
	tcase_add_test(farm_tc, farm_land_types);
	tcase_add_test(farm_tc, farm_ph_unknown_and_errors);
	tcase_add_test(farm_tc, farm_user_table_errors);
	suite_add_tcase(s, farm_tc);

	return lg_test_run(s);
}
