/* check: every rule YZ-01 … YZ-10 on tiny hand-made layers — a case that
 * fires, one that must not, and one on the boundary.  Parcels are 100 m
 * squares 2 km apart (EPSG:4546), so no two cases see each other; what
 * each case expects comes from DOMAIN.md and docs/check.md, not from a run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"

#define X0 500000
#define Y0 3940000
#define STEP 2000

static char *rect_at(int k, int dx0, int dy0, int dx1, int dy1, char *s, size_t n)
{
	int x = X0 + k * STEP, y = Y0;
	snprintf(s, n, "\"POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))\"", x + dx0, y + dy0, x + dx1,
		 y + dy0, x + dx1, y + dy1, x + dx0, y + dy1, x + dx0, y + dy0);
	return s;
}

/* A fractional offset for the 500.5 m case. */
static char *rect_at_f(int k, double dx0, int dy0, double dx1, int dy1, char *s, size_t n)
{
	double x = X0 + k * STEP, y = Y0;
	snprintf(s, n, "\"POLYGON((%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f))\"", x + dx0,
		 y + dy0, x + dx1, y + dy0, x + dx1, y + dy1, x + dx0, y + dy1, x + dx0, y + dy0);
	return s;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* parcel k: id, orig, plan */
static const struct {
	int k;
	const char *orig, *plan;
} parcels[] = {
	{1, "1001", "070102"}, {2, "070102", "070102"}, {3, "1001", "0701"}, {4, "1001", "0701"},
	{5, "1001", "0701"},   {6, "1001", "0701"},	{7, "1001", "070102"}, {8, "1001", "070102"},
	{9, "1001", "070102"}, {10, "1001", "1001"},	{11, "1001", "1001"},  {12, "1001", "1001"},
	{13, "1001", "080403"}, {14, "1001", "080403"}, {15, "1001", "080403"}, {16, "1001", "0901"},
	{17, "1001", "0901"},  {18, "1001", "0901"},	{19, "1001", "0701"},  {20, "1001", "0701"},
	{21, "1001", "070102"}, {22, "1001", "1001"},	{23, "1001", "0103"},  {24, "1001", "0103"},
	{25, "1001", "0103"},  {26, "1001", "0901"},	{27, "1001", "0901"},  {28, "1001", "0901"},
	/* YZ-05 and remediation works */
	{31, "1001", "1001"},  {32, "1001", "1001"},	{33, "1001", "0701"},  {34, "1001", "1001"},
	{35, "1001", "1001"},  {36, "1001", "1001"},
};

static const char *fixture_parcels(void)
{
	static char buf[16384];
	char r[256];
	size_t n = 0;
	n += (size_t)snprintf(buf + n, sizeof buf - n, "parcel_id,orig_code,plan_code,WKT\n");
	for (size_t i = 0; i < sizeof parcels / sizeof parcels[0]; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "P%02d,%s,%s,%s\n", parcels[i].k,
				      parcels[i].orig, parcels[i].plan,
				      rect_at(parcels[i].k, 0, 0, 100, 100, r, sizeof r));
	const char *p = lg_test_tmp("parcels.csv");
	write_file(p, buf);
	return p;
}

static const char *fixture_sites(void)
{
	static char buf[16384];
	char r[256];
	size_t n = 0;
	static const struct {
		int k;
		const char *stage, *industry;
		int dx0, dx1; /* x range relative to the parcel; y 0..100 */
	} s[] = {
		{7, "列入名录", "电镀", 0, 100},	 {8, "移出名录", "电镀", 0, 100},
		{9, "列入名录", "电镀", 100, 200},	 /* shares P09's east edge */
		{10, "列入名录", "焦化", 0, 100},	 {11, "列入名录", "焦化", 0, 100},
		{12, "效果评估通过", "制革", 0, 100}, {13, "污染地块", "焦化", 0, 100},
		{14, "调查后非污染地块", "化工", 0, 100}, {15, "效果评估通过", "焦化", 0, 100},
		{16, "污染地块", "制革", 0, 100},	 {17, "污染地块", "制革", 0, 100},
		{18, "污染地块", "制革", 0, 100},	 {19, "污染地块", "制革", 600, 700},
		{23, "移出名录", "农药", 0, 100},	 {24, "调查后非污染地块", "农药", 0, 100},
		{25, "移出名录", "农药", 100, 200}, /* shares P25's east edge */
		{31, "污染地块", "电镀", 0, 100},	 {32, "污染地块", "电镀", 0, 100},
		{33, "污染地块", "电镀", 0, 100},	 {34, "列入名录", "电镀", 0, 100},
		{35, "列入名录", "电镀", 0, 100},	 {36, "污染地块", "电镀", 0, 100},
	};
	n += (size_t)snprintf(buf + n, sizeof buf - n, "DKBH,stage,industry,WKT\n");
	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "S%02d,%s,%s,%s\n", s[i].k, s[i].stage,
				      s[i].industry, rect_at(s[i].k, s[i].dx0, 0, s[i].dx1, 100, r, sizeof r));
	/* 500.5 m east of P20 */
	n += (size_t)snprintf(buf + n, sizeof buf - n, "S20,污染地块,制革,%s\n",
			      rect_at_f(20, 600.5, 0, 700.5, 100, r, sizeof r));
	n += (size_t)snprintf(buf + n, sizeof buf - n, "S90,疑似污染地块,化工,\n");
	/* S91 far north of the county; S92 touches its northern edge */
	n += (size_t)snprintf(buf + n, sizeof buf - n, "S91,疑似污染地块,化工,%s\n",
			      rect_at(29, 0, 5000, 100, 5100, r, sizeof r));
	n += (size_t)snprintf(buf + n, sizeof buf - n, "S92,疑似污染地块,化工,%s\n",
			      rect_at(30, 0, 1000, 100, 1100, r, sizeof r));
	const char *p = lg_test_tmp("sites.csv");
	write_file(p, buf);
	return p;
}

static const char *fixture_ledger(void)
{
	const char *p = lg_test_tmp("ledger.csv");
	write_file(p, "parcel_id,event,date,result,note\n"
		      "P01,transfer,2026-10-12,,\n"
		      "P02,transfer,2026-10-18,,\n"
		      "P03,investigation,2026-10-01,clean,\n"
		      "P03,allocate,2026-10-01,,same day\n"
		      "P04,investigation,2026-06-01,clean,\n"
		      "P04,transfer,2026-10-31,,\n"
		      "P05,investigation,2026-06-01,clean,\n"
		      "P05,transfer,2026-09-30,,\n"
		      "P06,investigation,2026-06-01,clean,\n"
		      "P06,transfer,2026-11-01,,\n"
		      "P10,recover,2025-01-01,,\n"
		      "P11,planning_permit,2025-01-01,,\n"
		      "P12,transfer,2025-01-01,,\n"
		      "P16,investigation,2026-02-10,polluted,\n"
		      "P16,construction_permit,2026-10-05,,\n"
		      "P16,risk_assessment,2026-10-25,needs_action,\n"
		      "P17,investigation,2026-02-10,polluted,\n"
		      "P17,risk_assessment,2026-09-01,acceptable,\n"
		      "P17,construction_permit,2026-10-05,,\n"
		      "P18,investigation,2026-02-10,polluted,\n"
		      "P18,construction_permit,2026-10-05,,\n"
		      "P18,risk_assessment,2026-10-05,acceptable,same day\n"
		      "P26,change_use,2026-10-10,,\n"
		      "P27,investigation,2026-04-08,clean,\n"
		      "P27,transfer,2026-10-19,,\n"
		      "P28,change_use,2026-10-10,,\n"
		      "P28,investigation,2026-10-10,clean,same day\n"
		      /* an ordinary permit whose note says it is NOT remediation works */
		      "P31,investigation,2026-02-10,polluted,\n"
		      "P31,construction_permit,2026-10-05,,与修复工程无关的配套用房\n"
		      /* remediation works by the note */
		      "P32,investigation,2026-02-10,polluted,\n"
		      "P32,construction_permit,2026-10-05,,土壤修复工程施工\n"
		      /* remediation works by the result: not YZ-01's gate either */
		      "P33,investigation,2026-02-10,polluted,\n"
		      "P33,risk_assessment,2026-03-01,needs_action,\n"
		      "P33,construction_permit,2026-05-01,修复工程,\n"
		      "P33,effect_assessment,2026-09-01,passed,\n"
		      "P33,transfer,2026-10-20,,\n"
		      /* permit on the day of the passed effect assessment */
		      "P34,risk_assessment,2026-03-01,needs_action,\n"
		      "P34,effect_assessment,2026-10-05,passed,\n"
		      "P34,construction_permit,2026-10-05,,same day\n"
		      /* the day before it */
		      "P35,risk_assessment,2026-03-01,needs_action,\n"
		      "P35,construction_permit,2026-10-05,,day before\n"
		      "P35,effect_assessment,2026-10-06,passed,\n"
		      /* remediation works by the note, in English */
		      "P36,investigation,2026-02-10,polluted,\n"
		      "P36,construction_permit,2026-10-05,,Remediation Works phase 1\n");
	return p;
}

static const char *fixture_samples(const char *extra_row)
{
	static char buf[4096];
	int x21 = X0 + 21 * STEP, x22 = X0 + 22 * STEP;
	snprintf(buf, sizeof buf,
		 "sample_id,砷,铅,六价铬,WKT\n"
		 "A1,20,30,ND,POINT(%d %d)\n"    /* = class-1 screening value of 砷 */
		 "A2,20.1,30,未检出,POINT(%d %d)\n" /* just above it */
		 "A3,ND,0.01L,<0.5,POINT(%d %d)\n" /* non-detects only */
		 "A4,10,801,,POINT(%d %d)\n"      /* 铅 above the class-1 intervention 800 */
		 "B1,60,30,5.7,POINT(%d %d)\n"    /* P22 class 2: = screening values */
		 "%s",
		 x21 + 10, Y0 + 10, x21 + 20, Y0 + 20, x21 + 30, Y0 + 30, x21 + 40, Y0 + 40, x22 + 10,
		 Y0 + 10, extra_row ? extra_row : "");
	const char *p = lg_test_tmp("samples.csv");
	write_file(p, buf);
	return p;
}

static const char *fixture_units(void)
{
	static char buf[1024];
	snprintf(buf, sizeof buf,
		 "unit_id,name,industry,WKT\n"
		 "U1,一厂,焦化,POINT(%d %d)\nU2,二厂,化工,POINT(%d %d)\nU3,三厂,化工,POINT(%d %d)\n",
		 X0 + 26 * STEP + 50, Y0 + 50, X0 + 27 * STEP + 50, Y0 + 50, X0 + 28 * STEP + 50,
		 Y0 + 50);
	const char *p = lg_test_tmp("units.csv");
	write_file(p, buf);
	return p;
}

static const char *fixture_county(void)
{
	static char buf[512];
	snprintf(buf, sizeof buf, "name,WKT\n测试县,\"POLYGON((%d %d,%d %d,%d %d,%d %d,%d %d))\"\n",
		 X0 - 1000, Y0 - 1000, X0 + 74000, Y0 - 1000, X0 + 74000, Y0 + 1000, X0 - 1000,
		 Y0 + 1000, X0 - 1000, Y0 - 1000);
	const char *p = lg_test_tmp("county.csv");
	write_file(p, buf);
	return p;
}

typedef struct run {
	lg_layer *parcels, *sites, *samples, *units, *county, *out;
	lg_ledger *ledger;
	lg_landuse *lu;
	lg_soil_limits *soil;
	lg_check_tables *tables;
	lg_crs *work;
	lg_check_summary sum;
	lg_status st;
} run;

static lg_layer *rd(const char *path)
{
	lg_read_opts ro = {0};
	lg_layer *l = NULL;
	ro.s_srs = "EPSG:4546";
	ck_assert_msg(lg_layer_read(T, path, &ro, &l) == LG_OK, "%s", lg_ctx_errmsg(T));
	return l;
}

static void do_run(run *r, const char *period_from, const char *period_to, double near_m,
		   const char *extra_sample)
{
	lg_check_inputs in = {0};
	lg_check_opts o = {0};
	const char *led = fixture_ledger();
	memset(r, 0, sizeof *r);
	r->parcels = rd(fixture_parcels());
	r->sites = rd(fixture_sites());
	r->samples = rd(fixture_samples(extra_sample));
	r->units = rd(fixture_units());
	r->county = rd(fixture_county());
	ck_assert_int_eq(lg_ledger_read(T, &led, 1, NULL, &r->ledger), LG_OK);
	ck_assert_int_eq(lg_landuse_load(T, NULL, &r->lu), LG_OK);
	ck_assert_int_eq(lg_soil_limits_load(T, NULL, &r->soil), LG_OK);
	ck_assert_msg(lg_check_tables_load(T, NULL, &r->tables) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &r->work), LG_OK);
	in.parcels = r->parcels;
	in.sites = r->sites;
	in.samples = r->samples;
	in.units = r->units;
	in.county = r->county;
	in.ledger = r->ledger;
	in.work = r->work;
	o.landuse = r->lu;
	o.soil = r->soil;
	o.tables = r->tables;
	o.near_m = near_m;
	if (period_from) {
		o.has_period = true;
		ck_assert(lg_date_parse(period_from, &o.period_from));
		ck_assert(lg_date_parse(period_to, &o.period_to));
	}
	r->st = lg_check_run(T, &in, &o, &r->out, &r->sum);
}

static void done_run(run *r)
{
	lg_layer_destroy(T, r->out);
	lg_layer_destroy(T, r->parcels);
	lg_layer_destroy(T, r->sites);
	lg_layer_destroy(T, r->samples);
	lg_layer_destroy(T, r->units);
	lg_layer_destroy(T, r->county);
	lg_ledger_destroy(r->ledger);
	lg_landuse_destroy(r->lu);
	lg_soil_limits_destroy(r->soil);
	lg_check_tables_destroy(r->tables);
	lg_crs_destroy(r->work);
}

static const char *col(const lg_layer *l, size_t i, const char *name)
{
	return lg_feature_text(l, &l->feat[i], lg_layer_field(l, name));
}

/* Number of findings of `rule` for `parcel` (with `severity` unless NULL)
 * whose evidence contains `ev` (unless NULL). */
static int count(const lg_layer *out, const char *parcel, const char *rule, const char *severity,
		 const char *ev)
{
	int n = 0;
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(col(out, i, "parcel_id"), parcel) && !strcmp(col(out, i, "rule_id"), rule) &&
		    (!severity || !strcmp(col(out, i, "severity"), severity)) &&
		    (!ev || strstr(col(out, i, "evidence"), ev)))
			n++;
	return n;
}

static const char *find_msg(const lg_layer *out, const char *parcel, const char *rule)
{
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(col(out, i, "parcel_id"), parcel) && !strcmp(col(out, i, "rule_id"), rule))
			return col(out, i, "message");
	return "";
}

static run R;

static void full_setup(void)
{
	lg_test_setup();
	do_run(&R, NULL, NULL, 0, NULL);
	ck_assert_msg(R.st == LG_OK, "%s", lg_ctx_errmsg(T));
}

static void full_teardown(void)
{
	done_run(&R);
	lg_test_teardown();
}

START_TEST(yz01_fires_exempt_and_same_day)
{
	ck_assert_int_eq(count(R.out, "P01", "YZ-01", "violation", "ledger.csv 第2行：出让 2026-10-12"), 1);
	ck_assert_str_eq(find_msg(R.out, "P01", "YZ-01"),
			 "P01由工业用地（1001）变更为二类城镇住宅用地（070102），2026-10-12已出让，"
			 "此前未开展土壤污染状况调查");
	/* exempt: already 一住两公 */
	ck_assert_int_eq(count(R.out, "P02", "YZ-01", NULL, NULL), 0);
	/* boundary: investigation on the day of the supply counts as before it */
	ck_assert_int_eq(count(R.out, "P03", "YZ-01", NULL, NULL), 0);
	/* a parcel changing use with no event yet shows its next step */
	ck_assert_int_eq(count(R.out, "P19", "YZ-01", "notice", NULL), 1);
	ck_assert_ptr_nonnull(strstr(find_msg(R.out, "P19", "YZ-01"), "下一步：土壤污染状况调查"));
}
END_TEST

START_TEST(yz02_listed_removed_touching)
{
	ck_assert_int_eq(count(R.out, "P07", "YZ-02", "violation", "S07：列入名录，电镀；重叠 10000.0 m²（占地块 100.0%）"), 1);
	ck_assert_int_eq(count(R.out, "P08", "YZ-02", NULL, NULL), 0);
	/* boundary: a listed site that only shares an edge does not overlap ... */
	ck_assert_int_eq(count(R.out, "P09", "YZ-02", NULL, NULL), 0);
	/* ... but is next to it, at 0 m (YZ-06) */
	ck_assert_int_eq(count(R.out, "P09", "YZ-06", "risk", "边界最近距离 0.0 m"), 1);
}
END_TEST

START_TEST(yz03_recover_permit_remediated)
{
	ck_assert_int_eq(count(R.out, "P10", "YZ-03", "violation", "收回 2025-01-01"), 1);
	ck_assert_int_eq(count(R.out, "P11", "YZ-03", NULL, NULL), 0);
	/* boundary: 效果评估通过 is still on the list */
	ck_assert_int_eq(count(R.out, "P12", "YZ-03", "violation", "出让 2025-01-01"), 1);
}
END_TEST

START_TEST(yz04_coking_clean_remediated)
{
	ck_assert_int_eq(count(R.out, "P13", "YZ-04", "violation", "规划用途 080403 属学校"), 1);
	ck_assert_int_eq(count(R.out, "P14", "YZ-04", NULL, NULL), 0);
	/* boundary: through its effect assessment, no longer heavily polluted */
	ck_assert_int_eq(count(R.out, "P15", "YZ-04", NULL, NULL), 0);
}
END_TEST

START_TEST(yz05_permit_before_assessment)
{
	ck_assert_int_eq(count(R.out, "P16", "YZ-05", "violation", "风险评估 2026-10-25（晚于施工许可）"), 1);
	ck_assert_int_eq(count(R.out, "P17", "YZ-05", NULL, NULL), 0);
	/* boundary: assessment on the day of the permit */
	ck_assert_int_eq(count(R.out, "P18", "YZ-05", NULL, NULL), 0);
}
END_TEST

START_TEST(yz05_remediation_works)
{
	/* an ordinary permit fires, even when its note names remediation to say
	 * it is not for it */
	ck_assert_int_eq(count(R.out, "P31", "YZ-05", "violation", "施工许可 2026-10-05"), 1);
	ck_assert_int_eq(count(R.out, "P16", "YZ-05", "violation", NULL), 1);
	/* a permit for the remediation works is not unrelated construction */
	ck_assert_int_eq(count(R.out, "P32", "YZ-05", NULL, NULL), 0);
	ck_assert_int_eq(count(R.out, "P36", "YZ-05", NULL, NULL), 0);
	/* ... nor the development gate of YZ-01: the transfer after the passed
	 * effect assessment is */
	ck_assert_int_eq(count(R.out, "P33", "YZ-05", NULL, NULL), 0);
	ck_assert_int_eq(count(R.out, "P33", "YZ-01", NULL, NULL), 0);
	/* boundary: the permit on the day of the passed effect assessment counts
	 * as after it; the day before does not */
	ck_assert_int_eq(count(R.out, "P34", "YZ-05", NULL, NULL), 0);
	ck_assert_int_eq(count(R.out, "P35", "YZ-05", "violation", "施工许可 2026-10-05"), 1);
	ck_assert_ptr_nonnull(strstr(find_msg(R.out, "P35", "YZ-05"), "风险管控、修复目标未达到"));
}
END_TEST

START_TEST(yz06_exactly_at_distance)
{
	/* boundary: exactly 500 m counts as near */
	ck_assert_int_eq(count(R.out, "P19", "YZ-06", "risk", "边界最近距离 500.0 m"), 1);
	/* 500.5 m is not */
	ck_assert_int_eq(count(R.out, "P20", "YZ-06", NULL, NULL), 0);
	ck_assert_int_eq(count(R.out, "P07", "YZ-06", "risk", "0.0 m"), 1);
}
END_TEST

START_TEST(yz06_near_option)
{
	run r;
	do_run(&r, NULL, NULL, 499.9, NULL);
	ck_assert_int_eq(r.st, LG_OK);
	ck_assert_int_eq(count(r.out, "P19", "YZ-06", NULL, NULL), 0);
	done_run(&r);
	do_run(&r, NULL, NULL, 501, NULL);
	ck_assert_int_eq(count(r.out, "P20", "YZ-06", "risk", "500.5 m（判定距离 501 m"), 1);
	done_run(&r);
}
END_TEST

START_TEST(yz07_screening_boundary_and_nondetects)
{
	/* boundary: 砷 20 = the class-1 screening value, not above it */
	ck_assert_int_eq(count(R.out, "P21", "YZ-07", NULL, "A1"), 0);
	ck_assert_int_eq(count(R.out, "P21", "YZ-07", "risk", "A2：砷 = 20.1，筛选值 20，管制值 120（GB 36600-2018 第一类用地，表注a）"), 1);
	/* non-detects are below the limit, with no finding */
	ck_assert_int_eq(count(R.out, "P21", "YZ-07", NULL, "A3"), 0);
	ck_assert_int_eq(count(R.out, "P21", "YZ-07", "risk", "A4：铅 = 801，筛选值 400，管制值 800"), 1);
	ck_assert_ptr_nonnull(strstr(find_msg(R.out, "P21", "YZ-07"), "第一类用地"));
	/* class 2 (planned 1001): 砷 60 and 六价铬 5.7 are at the screening values */
	ck_assert_int_eq(count(R.out, "P22", "YZ-07", NULL, NULL), 0);
	ck_assert_uint_eq(R.sum.nd_values, 5);
}
END_TEST

START_TEST(yz07_bad_value_is_input_error)
{
	run r;
	char row[128];
	snprintf(row, sizeof row, "A5,abc,1,1,POINT(%d %d)\n", X0 + 21 * STEP + 50, Y0 + 50);
	do_run(&r, NULL, NULL, 0, row);
	ck_assert_int_eq(r.st, LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "'samples.csv' row 7 (sample A5) column '砷': "));
	ck_assert_ptr_null(r.out);
	done_run(&r);
}
END_TEST

START_TEST(yz08_cropland)
{
	ck_assert_int_eq(count(R.out, "P23", "YZ-08", "violation", "S23：农药，移出名录"), 1);
	ck_assert_int_eq(count(R.out, "P24", "YZ-08", NULL, NULL), 0);
	/* boundary: touching the site is not being on it */
	ck_assert_int_eq(count(R.out, "P25", "YZ-08", NULL, NULL), 0);
}
END_TEST

START_TEST(yz09_units)
{
	ck_assert_int_eq(count(R.out, "P26", "YZ-09", "violation", "units.csv U1：一厂，焦化"), 1);
	ck_assert_int_eq(count(R.out, "P27", "YZ-09", NULL, NULL), 0);
	/* boundary: report on the day of the change of use */
	ck_assert_int_eq(count(R.out, "P28", "YZ-09", NULL, NULL), 0);
}
END_TEST

START_TEST(yz10_register)
{
	ck_assert_int_eq(count(R.out, "S90", "YZ-10", "risk", "无几何图形"), 1);
	ck_assert_int_eq(count(R.out, "S91", "YZ-10", "risk", "与 county.csv 不相交"), 1);
	ck_assert_ptr_nonnull(strstr(find_msg(R.out, "S91", "YZ-10"), "位于测试县之外（距县界4000.0米）"));
	/* boundary: touching the county line from outside is inside enough */
	ck_assert_int_eq(count(R.out, "S92", "YZ-10", NULL, NULL), 0);
	ck_assert_ptr_null(R.out->feat[R.out->n - 1].geom);
}
END_TEST

START_TEST(findings_sorted)
{
	for (size_t i = 1; i < R.out->n; i++) {
		int c = lg_id_cmp(col(R.out, i - 1, "parcel_id"), col(R.out, i, "parcel_id"));
		ck_assert_int_le(c, 0);
		if (!c)
			ck_assert_int_le(strcmp(col(R.out, i - 1, "rule_id"), col(R.out, i, "rule_id")), 0);
	}
	ck_assert_uint_eq(R.sum.findings, R.out->n);
}
END_TEST

START_TEST(period_edges)
{
	run r;
	do_run(&r, "2026-10-01", "2026-10-31", 0, NULL);
	ck_assert_msg(r.st == LG_OK, "%s", lg_ctx_errmsg(T));
	/* P01 violation, P02 exempt notice, P03 (FROM) and P04 (TO) in */
	ck_assert_int_eq(count(r.out, "P01", "YZ-01", "violation", NULL), 1);
	ck_assert_int_eq(count(r.out, "P02", "YZ-01", "notice", "原用途 070102"), 1);
	ck_assert_int_eq(count(r.out, "P03", "YZ-01", "notice", "划拨 2026-10-01"), 1);
	ck_assert_int_eq(count(r.out, "P04", "YZ-01", "notice", "出让 2026-10-31"), 1);
	ck_assert_ptr_nonnull(strstr(find_msg(r.out, "P04", "YZ-01"), "下一步：无（供地前所需步骤已完成）"));
	/* the day before and after */
	ck_assert_int_eq(count(r.out, "P05", "YZ-01", NULL, NULL), 0);
	ck_assert_int_eq(count(r.out, "P06", "YZ-01", NULL, NULL), 0);
	/* nothing else: only parcels supplied for 一住两公 in the period, no YZ-10 */
	for (size_t i = 0; i < r.out->n; i++) {
		const char *p = col(r.out, i, "parcel_id");
		ck_assert_msg(!strcmp(p, "P01") || !strcmp(p, "P02") || !strcmp(p, "P03") ||
				      !strcmp(p, "P04") || !strcmp(p, "P33"),
			      "unexpected %s in the period", p);
	}
	/* P33: transferred 10-20 after remediation works and a passed effect
	 * assessment: on the list, with its steps, no violation */
	ck_assert_int_eq(count(r.out, "P33", "YZ-01", "violation", NULL), 0);
	ck_assert_int_eq(count(r.out, "P33", "YZ-01", "notice", "出让 2026-10-20"), 1);
	ck_assert_uint_eq(r.sum.parcels_checked, 5);
	done_run(&r);
}
END_TEST

START_TEST(unknown_code_is_error)
{
	lg_layer *p = NULL;
	lg_read_opts ro = {0};
	lg_check_inputs in = {0};
	lg_check_opts o = {0};
	lg_check_summary sum;
	lg_layer *out = NULL;
	lg_landuse *lu = NULL;
	lg_check_tables *t = NULL;
	lg_crs *work = NULL;
	char buf[512], r[256];
	snprintf(buf, sizeof buf, "parcel_id,orig_code,plan_code,WKT\nQ1,1001,XX99,%s\n",
		 rect_at(1, 0, 0, 100, 100, r, sizeof r));
	write_file(lg_test_tmp("bad.csv"), buf);
	ro.s_srs = "EPSG:4546";
	ck_assert_int_eq(lg_layer_read(T, lg_test_tmp("bad.csv"), &ro, &p), LG_OK);
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
	ck_assert_int_eq(lg_check_tables_load(T, NULL, &t), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &work), LG_OK);
	in.parcels = p;
	in.work = work;
	o.landuse = lu;
	o.tables = t;
	ck_assert_int_eq(lg_check_run(T, &in, &o, &out, &sum), LG_CODE);
	ck_assert_str_eq(lg_ctx_errmsg(T),
			 "'bad.csv' feature Q1 field 'plan_code': land-use code 'XX99' is in no "
			 "land-use table (GB/T 21010, 三调, 用地用海, GB 50137); correct it or add it "
			 "with --landuse-table");
	lg_layer_destroy(T, p);
	lg_landuse_destroy(lu);
	lg_check_tables_destroy(t);
	lg_crs_destroy(work);
}
END_TEST

START_TEST(rules_table_needs_every_case)
{
	lg_check_tables *t = NULL;
	const char *p = lg_test_tmp("rules.csv");
	write_file(p, "rule_id,case,severity,title,message,evidence,basis,next_step\n"
		      "YZ-01,no_investigation,violation,t,m,e,b,n\n");
	ck_assert_int_eq(lg_check_tables_load(T, p, &t), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "has no row for rule YZ-01 case 'late_investigation'"));
	write_file(p, "rule_id,case,severity,title,message,evidence,basis,next_step\n"
		      "YZ-01,no_investigation,fatal,t,m,e,b,n\n");
	ck_assert_int_eq(lg_check_tables_load(T, p, &t), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "unknown severity 'fatal'; use violation, risk or notice"));
	ck_assert_ptr_null(t);
}
END_TEST

START_TEST(severity_parse)
{
	lg_severity s;
	ck_assert(lg_severity_parse("Violation", &s) && s == LG_SEV_VIOLATION);
	ck_assert(lg_severity_parse("风险", &s) && s == LG_SEV_RISK);
	ck_assert(lg_severity_parse(" notice ", &s) && s == LG_SEV_NOTICE);
	ck_assert(!lg_severity_parse("high", &s));
	ck_assert_int_gt(LG_SEV_VIOLATION, LG_SEV_RISK);
}
END_TEST


/* ---- --plan: planned use by overlay, on rectangles whose areas are known ----
 * Parcel k is the 100 m square at x = X0 + k*STEP; each plan strip spans its
 * full height, so a strip from dx0 to dx1 covers (dx1 - dx0) % of it. */

typedef struct plan_run {
	lg_layer *parcels, *out;
	lg_rows *plan;
	lg_landuse *lu;
	lg_check_tables *tables;
	lg_crs *work;
	lg_check_summary sum;
	lg_status st;
} plan_run;

static void plan_do(plan_run *r, const char *plan_field)
{
	static char pb[4096], lb[8192];
	char q[256];
	size_t n = 0;
	/* id, orig, own plan code ("" = none) */
	static const struct {
		int k;
		const char *orig, *plan;
	} P[] = {
		{1, "1001", ""},       /* 0701 40 + 30 (two features), 1001 30: 0701 at 70 % */
		{2, "1001", ""},       /* 0701 30, 1001 70: 1001 */
		{3, "1001", ""},       /* 0103 50, 0701 50: tie, to the 一住两公 code */
		{4, "1001", "070102"}, /* no plan feature: its own code */
		{5, "1001", ""},       /* no plan feature, no code: unknown */
		{6, "1001", "1001"},   /* own code 1001, plan 0701 everywhere: the plan decides */
		{7, "1001", ""},       /* mixed systems: R2 (GB 50137) 60, 0804 40 */
		{8, "1001", ""},       /* mixed systems: 1001 50, A33 50: tie, to A33 */
		{9, "1001", "XX99"},   /* an unknown own code under the plan is not needed */
	};
	static const struct {
		int k, dx0, dx1;
		const char *code;
	} F[] = {
		{1, 0, 40, "0701"}, {1, 40, 70, "0701"}, {1, 70, 100, "1001"},
		{2, 0, 30, "0701"}, {2, 30, 100, "1001"},
		{3, 0, 50, "0103"}, {3, 50, 100, "0701"},
		{6, -50, 150, "0701"},
		{7, 0, 60, "R2"},   {7, 60, 100, "0804"},
		{8, 0, 50, "1001"}, {8, 50, 100, "A33"},
		{9, 0, 100, "0901"},
	};
	lg_read_opts ro = {0};
	lg_rows_opts rwo = {0};
	lg_check_inputs in = {0};
	lg_check_opts o = {0};
	memset(r, 0, sizeof *r);
	n += (size_t)snprintf(pb + n, sizeof pb - n, "parcel_id,orig_code,plan_code,WKT\n");
	for (size_t i = 0; i < (sizeof P / sizeof P[0]); i++)
		n += (size_t)snprintf(pb + n, sizeof pb - n, "Q%d,%s,%s,%s\n", P[i].k, P[i].orig,
				      P[i].plan, rect_at(P[i].k, 0, 0, 100, 100, q, sizeof q));
	write_file(lg_test_tmp("parcels.csv"), pb);
	n = (size_t)snprintf(lb, sizeof lb, "id,%s,WKT\n", plan_field);
	for (size_t i = 0; i < (sizeof F / sizeof F[0]); i++)
		n += (size_t)snprintf(lb + n, sizeof lb - n, "G%zu,%s,%s\n", i + 1, F[i].code,
				      rect_at(F[i].k, F[i].dx0, -10, F[i].dx1, 110, q, sizeof q));
	write_file(lg_test_tmp("plan.csv"), lb);
	ro.s_srs = "EPSG:4546";
	ck_assert_msg(lg_layer_read(T, lg_test_tmp("parcels.csv"), &ro, &r->parcels) == LG_OK, "%s",
		      lg_ctx_errmsg(T));
	rwo.read.s_srs = "EPSG:4546";
	ck_assert_msg(lg_rows_open(T, lg_test_tmp("plan.csv"), &rwo, &r->plan) == LG_OK, "%s",
		      lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_landuse_load(T, NULL, &r->lu), LG_OK);
	ck_assert_msg(lg_check_tables_load(T, NULL, &r->tables) == LG_OK, "%s", lg_ctx_errmsg(T));
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &r->work), LG_OK);
	in.parcels = r->parcels;
	in.plan = r->plan;
	in.work = r->work;
	o.landuse = r->lu;
	o.tables = r->tables;
	r->st = lg_check_run(T, &in, &o, &r->out, &r->sum);
}

static void plan_done(plan_run *r)
{
	lg_layer_destroy(T, r->out);
	lg_layer_destroy(T, r->parcels);
	lg_rows_close(T, r->plan);
	lg_landuse_destroy(r->lu);
	lg_check_tables_destroy(r->tables);
	lg_crs_destroy(r->work);
}

START_TEST(plan_majority_share_and_tie)
{
	plan_run r;
	plan_do(&r, "YDYHFLDM");
	ck_assert_msg(r.st == LG_OK, "%s", lg_ctx_errmsg(T));
	/* 70/30: two 0701 features add up; the share is in the evidence */
	ck_assert_int_eq(count(r.out, "Q1", "YZ-01", "notice",
			       "规划用途 0701 取自 plan.csv 叠加（占地块面积 70.0%）"), 1);
	ck_assert_ptr_nonnull(strstr(find_msg(r.out, "Q1", "YZ-01"), "变更为城镇住宅用地（0701）"));
	/* 30/70: the majority is 1001, not 一住两公, no use rule applies */
	ck_assert_int_eq(count(r.out, "Q2", "YZ-01", NULL, NULL), 0);
	/* 50/50 tie: 0103 is first in byte order, but the 一住两公 code wins */
	ck_assert_int_eq(count(r.out, "Q3", "YZ-01", "notice",
			       "规划用途 0701 取自 plan.csv 叠加（占地块面积 50.0%）"), 1);
	ck_assert_uint_eq(r.sum.plan_from_overlay, 7);
	plan_done(&r);
}
END_TEST

START_TEST(plan_not_covering_and_precedence)
{
	plan_run r;
	plan_do(&r, "YDYHFLDM");
	ck_assert_msg(r.st == LG_OK, "%s", lg_ctx_errmsg(T));
	/* outside the plan: the parcel's own plan code, and the evidence says so */
	ck_assert_int_eq(count(r.out, "Q4", "YZ-01", "notice",
			       "规划用途 070102 取自地块属性（plan.csv 未覆盖该地块）"), 1);
	ck_assert_uint_eq(r.sum.plan_fallback, 1);
	/* outside the plan and no code: unknown, skipped by the use rules, counted */
	ck_assert_int_eq(count(r.out, "Q5", "YZ-01", NULL, NULL), 0);
	ck_assert_uint_eq(r.sum.plan_uncovered, 1);
	/* both: the plan decides, and the parcel's own code is shown */
	ck_assert_int_eq(count(r.out, "Q6", "YZ-01", "notice",
			       "规划用途 0701 取自 plan.csv 叠加（占地块面积 100.0%）；地块属性规划用途为 1001"),
			 1);
	/* Q6 disagrees on 一住两公; Q9's unknown own code XX99 counts as disagreeing */
	ck_assert_uint_eq(r.sum.plan_disagree, 2);
	ck_assert_int_eq(count(r.out, "Q9", "YZ-01", NULL, NULL), 0);
	plan_done(&r);
}
END_TEST

START_TEST(plan_mixed_code_systems)
{
	/* the field name announces 用地用海 2023, yet GB 50137 codes are read too;
	 * and with a field name that announces nothing, the same answers */
	static const char *const fields[] = {"YDYHFLDM", "code"};
	for (size_t i = 0; i < (sizeof fields / sizeof fields[0]); i++) {
		plan_run r;
		plan_do(&r, fields[i]);
		ck_assert_msg(r.st == LG_OK, "%s: %s", fields[i], lg_ctx_errmsg(T));
		ck_assert_int_eq(count(r.out, "Q7", "YZ-01", "notice",
				       "规划用途 R2 取自 plan.csv 叠加（占地块面积 60.0%）"), 1);
		ck_assert_ptr_nonnull(strstr(find_msg(r.out, "Q7", "YZ-01"), "（R2）"));
		/* tie of 1001 and A33 (中小学用地): the 一住两公 code */
		ck_assert_int_eq(count(r.out, "Q8", "YZ-01", "notice",
				       "规划用途 A33 取自 plan.csv 叠加（占地块面积 50.0%）"), 1);
		plan_done(&r);
	}
}
END_TEST

START_TEST(plan_unknown_majority_code)
{
	plan_run r;
	/* a plan code no table knows is an error when it decides a parcel */
	char q[256], buf[1024];
	plan_do(&r, "YDYHFLDM");
	plan_done(&r);
	snprintf(buf, sizeof buf, "id,YDYHFLDM,WKT\nG1,ZZ9,%s\n", rect_at(1, 0, 0, 100, 100, q, sizeof q));
	write_file(lg_test_tmp("plan.csv"), buf);
	{
		lg_read_opts ro = {0};
		lg_rows_opts rwo = {0};
		lg_check_inputs in = {0};
		lg_check_opts o = {0};
		memset(&r, 0, sizeof r);
		ro.s_srs = rwo.read.s_srs = "EPSG:4546";
		ck_assert_int_eq(lg_layer_read(T, lg_test_tmp("parcels.csv"), &ro, &r.parcels), LG_OK);
		ck_assert_int_eq(lg_rows_open(T, lg_test_tmp("plan.csv"), &rwo, &r.plan), LG_OK);
		ck_assert_int_eq(lg_landuse_load(T, NULL, &r.lu), LG_OK);
		ck_assert_int_eq(lg_check_tables_load(T, NULL, &r.tables), LG_OK);
		ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "t", &r.work), LG_OK);
		in.parcels = r.parcels;
		in.plan = r.plan;
		in.work = r.work;
		o.landuse = r.lu;
		o.tables = r.tables;
		ck_assert_int_eq(lg_check_run(T, &in, &o, &r.out, &r.sum), LG_CODE);
		ck_assert_str_eq(lg_ctx_errmsg(T),
				 "'plan.csv': plan code 'ZZ9' (the largest part of parcel Q1) is in no "
				 "land-use table; correct it or add it with --landuse-table");
		plan_done(&r);
	}
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("rules");
	TCase *tc = tcase_create("demo-like");
	tcase_add_checked_fixture(tc, full_setup, full_teardown);
	tcase_add_test(tc, yz01_fires_exempt_and_same_day);
	tcase_add_test(tc, yz02_listed_removed_touching);
	tcase_add_test(tc, yz03_recover_permit_remediated);
	tcase_add_test(tc, yz04_coking_clean_remediated);
	tcase_add_test(tc, yz05_permit_before_assessment);
	tcase_add_test(tc, yz05_remediation_works);
	tcase_add_test(tc, yz06_exactly_at_distance);
	tcase_add_test(tc, yz07_screening_boundary_and_nondetects);
	tcase_add_test(tc, yz08_cropland);
	tcase_add_test(tc, yz09_units);
	tcase_add_test(tc, yz10_register);
	tcase_add_test(tc, findings_sorted);
	suite_add_tcase(s, tc);
	TCase *t2 = tcase_create("runs");
	tcase_add_checked_fixture(t2, lg_test_setup, lg_test_teardown);
	tcase_add_test(t2, yz06_near_option);
	tcase_add_test(t2, yz07_bad_value_is_input_error);
	tcase_add_test(t2, period_edges);
	tcase_add_test(t2, unknown_code_is_error);
	tcase_add_test(t2, rules_table_needs_every_case);
	tcase_add_test(t2, severity_parse);
	suite_add_tcase(s, t2);
	TCase *t3 = tcase_create("plan");
	tcase_add_checked_fixture(t3, lg_test_setup, lg_test_teardown);
	tcase_add_test(t3, plan_majority_share_and_tie);
	tcase_add_test(t3, plan_not_covering_and_precedence);
	tcase_add_test(t3, plan_mixed_code_systems);
	tcase_add_test(t3, plan_unknown_majority_code);
	suite_add_tcase(s, t3);
	return s;
}

int main(void)
{
	return lg_test_run(suite());
}
