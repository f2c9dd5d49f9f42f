/* lib/landuse: code tables, lookup, system detection, use classes, stages.
 * Expected values are those of the standards (GB/T 21010-2017, the 三调
 * working classification, 用地用海分类 2020/2023, GB 50137-2011, GB 36600
 * section 4), not outputs of the code. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_test.h"
#include "lg_internal.h"

static lg_landuse *LU;

static void lu_setup(void)
{
	lg_test_setup();
	LU = NULL;
	ck_assert_int_eq(lg_landuse_load(T, NULL, &LU), LG_OK);
	ck_assert_ptr_nonnull(LU);
}

static void lu_teardown(void)
{
	lg_landuse_destroy(LU);
	LU = NULL;
	lg_test_teardown();
}

static const char *show(const char *s)
{
	return s ? s : "(null)";
}

/* Looks `code` up in `sys` and checks every field of the answer. */
#define CHECK_CODE(code_, sys, want_code, want_name, want_sys, want_cls,        \
		   want_yzlg, want_constr, want_gb)                            \
	do {                                                                   \
		lg_landuse_info i_;                                            \
		ck_assert_msg(lg_landuse_lookup(LU, (code_), (sys), &i_),       \
			      "code '%s' not found", (code_));                  \
		ck_assert_str_eq(i_.code, (want_code));                        \
		ck_assert_str_eq(i_.name, (want_name));                        \
		ck_assert_str_eq(i_.system, (want_sys));                       \
		ck_assert_str_eq(lg_use_class_name(i_.cls), (want_cls));       \
		ck_assert_int_eq(i_.yzlg, (want_yzlg));                        \
		ck_assert_int_eq(i_.construction, (want_constr));              \
		ck_assert_int_eq(i_.gb36600, (want_gb));                       \
	} while (0)

#define CHECK_UNKNOWN(code_, sys)                                               \
	do {                                                                   \
		lg_landuse_info i_;                                            \
		memset(&i_, 0x5a, sizeof i_);                                  \
		ck_assert_msg(!lg_landuse_lookup(LU, (code_), (sys), &i_),      \
			      "code '%s' should be unknown", show(code_));     \
		ck_assert_int_eq(i_.cls, LG_USE_UNKNOWN);                      \
		ck_assert_ptr_null(i_.code);                                   \
		ck_assert_ptr_null(i_.name);                                   \
		ck_assert_ptr_null(i_.system);                                 \
		ck_assert(!i_.yzlg && !i_.construction && !i_.gb36600);        \
	} while (0)

/* --- GB/T 21010-2017 ----------------------------------------------------- */

START_TEST(gbt21010_residential_and_public)
{
	const char *s = LG_SYS_GBT21010;
	CHECK_CODE("0701", s, "0701", "城镇住宅用地", s, "residential", 1, 1, 1);
	CHECK_CODE("0702", s, "0702", "农村宅基地", s, "residential", 1, 1, 1);
	CHECK_CODE("0801", s, "0801", "机关团体用地", s, "public_admin", 1, 1, 2);
	/* 0803 教育 holds 中小学 and 幼儿园, so GB 36600 class 1. */
	CHECK_CODE("0803", s, "0803", "教育用地", s, "public_service", 1, 1, 1);
	CHECK_CODE("0804", s, "0804", "科研用地", s, "public_service", 1, 1, 2);
	CHECK_CODE("0805", s, "0805", "医疗卫生用地", s, "public_service", 1, 1,
		   1);
	CHECK_CODE("0806", s, "0806", "社会福利用地", s, "public_service", 1, 1,
		   1);
}
END_TEST

START_TEST(gbt21010_class08_utilities_and_parks)
{
	const char *s = LG_SYS_GBT21010;
	/* domain-facts trap 3: in class 08, so 一住两公 by default, but the
	 * use class says what they are. */
	CHECK_CODE("0809", s, "0809", "公用设施用地", s, "utility", 1, 1, 2);
	CHECK_CODE("0810", s, "0810", "公园与绿地", s, "green_space", 1, 1, 2);
}
END_TEST

START_TEST(gbt21010_other_classes)
{
	const char *s = LG_SYS_GBT21010;
	CHECK_CODE("1001", s, "1001", "铁路用地", s, "transport", 0, 1, 2);
	CHECK_CODE("1006", s, "1006", "农村道路", s, "transport", 0, 0, 0);
	CHECK_CODE("0601", s, "0601", "工业用地", s, "industrial", 0, 1, 2);
	CHECK_CODE("0604", s, "0604", "仓储用地", s, "storage", 0, 1, 2);
	CHECK_CODE("0501", s, "0501", "零售商业用地", s, "commercial", 0, 1, 2);
	CHECK_CODE("0101", s, "0101", "水田", s, "cropland", 0, 0, 0);
	CHECK_CODE("1101", s, "1101", "河流水面", s, "water", 0, 0, 0);
	CHECK_CODE("1207", s, "1207", "裸岩石砾地", s, "unused", 0, 0, 0);
	CHECK_UNKNOWN("1208", s);
	CHECK_UNKNOWN("13", s);
}
END_TEST

/* --- 三调工作分类 ---------------------------------------------------------- */

START_TEST(sandiao_merged_codes)
{
	const char *s = LG_SYS_SANDIAO;
	CHECK_CODE("08H1", s, "08H1", "机关团体新闻出版用地", s, "public_admin",
		   1, 1, 2);
	CHECK_CODE("08H2", s, "08H2", "科教文卫用地", s, "public_service", 1, 1,
		   1);
	CHECK_CODE("05H1", s, "05H1", "商业服务业设施用地", s, "commercial", 0,
		   1, 2);
	CHECK_CODE("0508", s, "0508", "物流仓储用地", s, "storage", 0, 1, 2);
	/* Only 三调 has them: found with no system too. */
	CHECK_CODE("08H2", NULL, "08H2", "科教文卫用地", s, "public_service", 1,
		   1, 1);
	CHECK_UNKNOWN("08H2", LG_SYS_GBT21010);
	CHECK_UNKNOWN("08H2", LG_SYS_YDYH2023);
}
END_TEST

START_TEST(sandiao_suffixes_stripped)
{
	const char *s = LG_SYS_SANDIAO;
	CHECK_CODE("0101K", s, "0101", "水田", s, "cropland", 0, 0, 0);
	CHECK_CODE("0810A", s, "0810", "公园与绿地", s, "green_space", 1, 1, 2);
	CHECK_CODE("1203K", s, "1203", "田坎", s, "unused", 0, 0, 0);
	CHECK_CODE("0101K", LG_SYS_GBT21010, "0101", "水田", LG_SYS_GBT21010,
		   "cropland", 0, 0, 0);
	/* Too little left to be a coded class: never shrink to "08". */
	CHECK_UNKNOWN("08H", NULL);
	CHECK_UNKNOWN("0K", NULL);
}
END_TEST

START_TEST(code_normalisation)
{
	const char *s = LG_SYS_SANDIAO;
	CHECK_CODE("  08h1 ", s, "08H1", "机关团体新闻出版用地", s,
		   "public_admin", 1, 1, 2);
	CHECK_CODE("0701城镇住宅用地", LG_SYS_GBT21010, "0701", "城镇住宅用地",
		   LG_SYS_GBT21010, "residential", 1, 1, 1);
	CHECK_CODE("r2 二类居住用地", NULL, "R2", "二类居住用地", LG_SYS_GB50137,
		   "residential", 1, 1, 1);
	CHECK_CODE("A33(中小学用地)", NULL, "A33", "中小学用地", LG_SYS_GB50137,
		   "public_service", 1, 1, 1);
	/* Punctuation inside a code is not guessed away. */
	CHECK_UNKNOWN("07-01", NULL);
	CHECK_UNKNOWN("0101.0", NULL);
}
END_TEST

/* --- 用地用海分类 2023 and 2020 ------------------------------------------- */

START_TEST(ydyh2023_classes)
{
	const char *s = LG_SYS_YDYH2023;
	CHECK_CODE("0702", s, "0702", "城镇社区服务设施用地", s, "residential", 1,
		   1, 1);
	CHECK_CODE("0703", s, "0703", "农村宅基地", s, "residential", 1, 1, 1);
	CHECK_CODE("0803", s, "0803", "文化用地", s, "public_service", 1, 1, 2);
	CHECK_CODE("0804", s, "0804", "教育用地", s, "public_service", 1, 1, 1);
	CHECK_CODE("080403", s, "080403", "中小学用地", s, "public_service", 1, 1,
		   1);
	CHECK_CODE("080404", s, "080404", "幼儿园用地", s, "public_service", 1, 1,
		   1);
	CHECK_CODE("080401", s, "080401", "高等教育用地", s, "public_service", 1,
		   1, 2);
	CHECK_CODE("0806", s, "0806", "医疗卫生用地", s, "public_service", 1, 1,
		   1);
	CHECK_CODE("0807", s, "0807", "社会福利用地", s, "public_service", 1, 1,
		   1);
	CHECK_CODE("0901", s, "0901", "商业用地", s, "commercial", 0, 1, 2);
	CHECK_CODE("1001", s, "1001", "工业用地", s, "industrial", 0, 1, 2);
	CHECK_CODE("13", s, "13", "公用设施用地", s, "utility", 0, 1, 2);
	CHECK_CODE("1401", s, "1401", "公园绿地", s, "green_space", 0, 1, 2);
	CHECK_CODE("0601", s, "0601", "农村道路", s, "transport", 0, 0, 0);
	CHECK_CODE("1703", s, "1703", "水库水面", s, "water", 0, 0, 0);
	/* 留白用地 is construction land whose use is not decided yet, so
	 * GB 36600's "unclear use → class 1" applies. */
	CHECK_CODE("16", s, "16", "留白用地", s, "unused", 0, 1, 1);
	/* 0809/0810 are 21010 codes; 2023 has utilities in 13, parks in 14. */
	CHECK_UNKNOWN("0809", s);
	CHECK_UNKNOWN("0810", s);
}
END_TEST

START_TEST(ydyh2020_same_0708)
{
	const char *s = LG_SYS_YDYH2020;
	CHECK_CODE("0702", s, "0702", "城镇社区服务设施用地", s, "residential", 1,
		   1, 1);
	CHECK_CODE("080403", s, "080403", "中小学用地", s, "public_service", 1, 1,
		   1);
	CHECK_CODE("0804", s, "0804", "教育用地", s, "public_service", 1, 1, 1);
}
END_TEST

START_TEST(no_system_newest_plan_wins)
{
	CHECK_CODE("0702", NULL, "0702", "城镇社区服务设施用地", LG_SYS_YDYH2023,
		   "residential", 1, 1, 1);
	CHECK_CODE("0804", NULL, "0804", "教育用地", LG_SYS_YDYH2023,
		   "public_service", 1, 1, 1);
	CHECK_CODE("1001", NULL, "1001", "工业用地", LG_SYS_YDYH2023,
		   "industrial", 0, 1, 2);
	/* Only 21010 and 三调 have 0809; 21010 ranks first. */
	CHECK_CODE("0809", NULL, "0809", "公用设施用地", LG_SYS_GBT21010,
		   "utility", 1, 1, 2);
}
END_TEST

/* --- GB 50137-2011 ------------------------------------------------------- */

START_TEST(gb50137_classes)
{
	const char *s = LG_SYS_GB50137;
	CHECK_CODE("R2", s, "R2", "二类居住用地", s, "residential", 1, 1, 1);
	CHECK_CODE("R22", s, "R22", "服务设施用地", s, "residential", 1, 1, 1);
	CHECK_CODE("A1", s, "A1", "行政办公用地", s, "public_admin", 1, 1, 2);
	CHECK_CODE("A33", s, "A33", "中小学用地", s, "public_service", 1, 1, 1);
	CHECK_CODE("A31", s, "A31", "高等院校用地", s, "public_service", 1, 1, 2);
	CHECK_CODE("A51", s, "A51", "医院用地", s, "public_service", 1, 1, 1);
	CHECK_CODE("A6", s, "A6", "社会福利用地", s, "public_service", 1, 1, 1);
	CHECK_CODE("B1", s, "B1", "商业用地", s, "commercial", 0, 1, 2);
	CHECK_CODE("M2", s, "M2", "二类工业用地", s, "industrial", 0, 1, 2);
	CHECK_CODE("W1", s, "W1", "一类物流仓储用地", s, "storage", 0, 1, 2);
	CHECK_CODE("U12", s, "U12", "供电用地", s, "utility", 0, 1, 2);
	CHECK_CODE("G1", s, "G1", "公园绿地", s, "green_space", 0, 1, 2);
	CHECK_CODE("E13", s, "E13", "坑塘沟渠", s, "water", 0, 0, 0);
	CHECK_UNKNOWN("R4", s);
	CHECK_UNKNOWN("R2", LG_SYS_YDYH2023);
}
END_TEST

START_TEST(unknown_codes)
{
	CHECK_UNKNOWN("9999", NULL);
	CHECK_UNKNOWN("0999", LG_SYS_GBT21010);
	CHECK_UNKNOWN("", NULL);
	CHECK_UNKNOWN("   ", NULL);
	CHECK_UNKNOWN(NULL, NULL);
	CHECK_UNKNOWN("Z9", NULL);
	CHECK_UNKNOWN("0701", "no such system");
	ck_assert(!lg_landuse_lookup(NULL, "0701", NULL, NULL));
	ck_assert(lg_landuse_lookup(LU, "0701", NULL, NULL));
}
END_TEST

/* --- detection ----------------------------------------------------------- */

#define CHECK_DETECT(want_sys, want_unknown, ...)                              \
	do {                                                                   \
		const char *c_[] = {__VA_ARGS__};                              \
		const char *sys_ = "x";                                        \
		size_t unk_ = 99;                                              \
		lg_landuse_detect(LU, c_, LG_ARRAY_LEN(c_), &sys_, &unk_);     \
		if (want_sys)                                                  \
			ck_assert_pstr_eq(sys_, want_sys);                     \
		else                                                           \
			ck_assert_ptr_null(sys_);                              \
		ck_assert_uint_eq(unk_, (want_unknown));                       \
	} while (0)

START_TEST(detect_each_system)
{
	/* 0604 and 1104 exist in 21010 and 三调 only; the tie goes to the
	 * standard because no 三调-only code appears. */
	CHECK_DETECT(LG_SYS_GBT21010, 0, "0101", "0604", "0702", "1006",
		     "1104");
	CHECK_DETECT(LG_SYS_SANDIAO, 0, "0101K", "08H1", "05H1", "0702",
		     "1203K");
	/* One H code is enough to tell 三调 from 21010. */
	CHECK_DETECT(LG_SYS_SANDIAO, 0, "0101", "1104", "08H2");
	CHECK_DETECT(LG_SYS_YDYH2023, 0, "070101", "0804", "1301", "1401");
	CHECK_DETECT(LG_SYS_GB50137, 0, "R2", "A33", "M1", "G1", "U12");
	/* Codes every numeric system has: the newest plan system. */
	CHECK_DETECT(LG_SYS_YDYH2023, 0, "0701", "0702");
}
END_TEST

START_TEST(detect_mixed_and_unknown)
{
	/* Two GB 50137 codes beat one code that the others know. */
	CHECK_DETECT(LG_SYS_GB50137, 1, "R2", "A33", "0701", "XYZ");
	/* 2023 and 2020 both know both codes and no code is unique to
	 * either: the newest plan system. */
	CHECK_DETECT(LG_SYS_YDYH2023, 0, "080403", "0701");
	CHECK_DETECT(NULL, 3, "XYZ", "", NULL);
	{
		const char *sys = "x";
		size_t unk = 99;
		lg_landuse_detect(LU, NULL, 0, &sys, &unk);
		ck_assert_ptr_null(sys);
		ck_assert_uint_eq(unk, 0);
		/* NULL out-parameters are allowed. */
		lg_landuse_detect(LU, NULL, 0, NULL, NULL);
	}
}
END_TEST

/* --- user tables --------------------------------------------------------- */

static const char *write_file(const char *name, const char *text)
{
	const char *path = lg_test_tmp(name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

START_TEST(user_table_overrides)
{
	lg_landuse *lu = NULL;
	lg_landuse_info i;
	/* BOM, CRLF and a quoted name with a comma and a quote, as Excel
	 * writes them. */
	const char *path = write_file(
		"user.csv",
		"\xEF\xBB\xBFsystem,code,name,use_class,yzlg,construction,gb36600\r\n"
		"GB/T 21010-2017,0809,公用设施用地,utility,0,1,2\r\n"
		"三调工作分类,08H3,\"社区公园, \"\"口袋\"\"公园\",green_space,1,1,1\r\n"
		"*,0810,公园与绿地,green_space,0,1,2\r\n"
		"*,9901,县级自定地类,公共服务,1,1,1\r\n");

	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_OK);
	/* Replaced in 21010 only: narrowed 一住两公. */
	ck_assert(lg_landuse_lookup(lu, "0809", LG_SYS_GBT21010, &i));
	ck_assert(!i.yzlg);
	ck_assert_int_eq(i.cls, LG_USE_UTILITY);
	ck_assert(lg_landuse_lookup(lu, "0809", LG_SYS_SANDIAO, &i));
	ck_assert(i.yzlg);
	/* Added. */
	ck_assert(lg_landuse_lookup(lu, "08H3", LG_SYS_SANDIAO, &i));
	ck_assert_str_eq(i.name, "社区公园, \"口袋\"公园");
	ck_assert_int_eq(i.cls, LG_USE_GREEN_SPACE);
	ck_assert_int_eq(i.gb36600, 1);
	/* `*` replaces wherever the code exists ... */
	ck_assert(lg_landuse_lookup(lu, "0810", LG_SYS_GBT21010, &i));
	ck_assert(!i.yzlg);
	ck_assert(lg_landuse_lookup(lu, "0810A", LG_SYS_SANDIAO, &i));
	ck_assert(!i.yzlg);
	ck_assert(!lg_landuse_lookup(lu, "0810", LG_SYS_YDYH2023, &i));
	/* ... and a new code goes to every system. */
	ck_assert(lg_landuse_lookup(lu, "9901", LG_SYS_GB50137, &i));
	ck_assert_int_eq(i.cls, LG_USE_PUBLIC_SERVICE);
	ck_assert(lg_landuse_lookup(lu, "9901", LG_SYS_YDYH2023, &i));
	/* The built-in table is untouched. */
	ck_assert(lg_landuse_lookup(LU, "0809", LG_SYS_GBT21010, &i));
	ck_assert(i.yzlg);
	lg_landuse_destroy(lu);
}
END_TEST

START_TEST(user_table_missing_column)
{
	lg_landuse *lu = (lg_landuse *)&lu;
	char want[1024];
	const char *path = write_file(
		"bad.csv", "system,code,name,use_class,yzlg,construction\n"
			   "GB/T 21010-2017,0809,公用设施用地,utility,0,1\n");
	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_INPUT);
	ck_assert_ptr_null(lu);
	snprintf(want, sizeof want,
		 "bad header in '%s' line 1: no column 'gb36600'; the columns are system,code,name,use_class,yzlg,construction,gb36600",
		 path);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(user_table_bad_rows)
{
	lg_landuse *lu = NULL;
	char want[1024];
	const char *path = write_file(
		"bad.csv", "system,code,name,use_class,yzlg,construction,gb36600\n"
			   "GB/T 21010-2017,0809,公用设施用地,utility,0,1,2\n"
			   "GB/T 21010-2017,0810,公园与绿地,parks,0,1,2\n");
	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_INPUT);
	ck_assert_ptr_null(lu);
	snprintf(want, sizeof want,
		 "bad row in '%s' line 3: column 4 (use_class): unknown use class 'parks'; use one of residential,",
		 path);
	ck_assert_msg(strncmp(lg_ctx_errmsg(T), want, strlen(want)) == 0,
		      "got: %s", lg_ctx_errmsg(T));

	path = write_file("gb.csv",
			  "system,code,name,use_class,yzlg,construction,gb36600\n"
			  "GB/T 21010-2017,0101,水田,cropland,0,0,1\n");
	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_INPUT);
	snprintf(want, sizeof want,
		 "bad row in '%s' line 2: column 7 (gb36600): GB 36600 class '1'; land that is not construction land is class 0",
		 path);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);

	path = write_file("short.csv",
			  "system,code,name,use_class,yzlg,construction,gb36600\n"
			  "\n"
			  "GB/T 21010-2017,0101,水田\n");
	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_INPUT);
	snprintf(want, sizeof want,
		 "bad row in '%s' line 3: 3 columns, the header needs 7; fill in every column",
		 path);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);

	path = write_file("quote.csv",
			  "system,code,name,use_class,yzlg,construction,gb36600\n"
			  "GB/T 21010-2017,0101,\"水田,cropland,0,0,0\n");
	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_INPUT);
	snprintf(want, sizeof want,
		 "'%s' line 2: quoted field never closed; add the closing '\"'",
		 path);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);

	path = write_file("code.csv",
			  "system,code,name,use_class,yzlg,construction,gb36600\n"
			  "GB/T 21010-2017,07-01,城镇住宅用地,residential,1,1,1\n");
	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_INPUT);
	snprintf(want, sizeof want,
		 "bad row in '%s' line 2: column 2 (code): bad code '07-01'; use letters and digits only",
		 path);
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
	ck_assert_ptr_null(lu);
}
END_TEST

START_TEST(missing_files)
{
	lg_landuse *lu = NULL;
	char want[1024];
	const char *path = lg_test_tmp("nope.csv");
	ck_assert_int_eq(lg_landuse_load(T, path, &lu), LG_NOFILE);
	ck_assert_ptr_null(lu);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), path));

	lg_ctx_set_datadir(T, lg_test_tmpdir());
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_NOFILE);
	snprintf(want, sizeof want,
		 "no land-use tables: cannot open '%s/landuse'; set LANDGUARD_DATA to the datasets/ directory",
		 lg_test_tmpdir());
	ck_assert_str_eq(lg_ctx_errmsg(T), want);
}
END_TEST

START_TEST(load_survives_alloc_failures)
{
	long total;
	lg_landuse *lu = NULL;
	/* Count the allocations of one load, then fail each in turn (with a
	 * stride: a full load takes over a thousand). */
	lg_landuse_destroy(LU);
	LU = NULL;
	lg_ctx_fail_alloc_at(T, 0); /* also zeroes the count */
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_OK);
	total = lg_ctx_alloc_count(T);
	lg_landuse_destroy(lu);
	ck_assert_int_gt(total, 10);
	for (long k = 1; k <= total; k += k < 40 ? 1 : 13) {
		lg_ctx_clear_error(T);
		lg_ctx_fail_alloc_at(T, k);
		lu = (lg_landuse *)&lu;
		ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_NOMEM);
		ck_assert_ptr_null(lu);
	}
	/* The last one too. */
	lg_ctx_fail_alloc_at(T, total);
	ck_assert_int_eq(lg_landuse_load(T, NULL, &lu), LG_NOMEM);
	lg_ctx_fail_alloc_at(T, 0);
}
END_TEST

/* --- vocabularies -------------------------------------------------------- */

START_TEST(use_class_names_and_parse)
{
	lg_use_class c;
	for (int k = 0; k < LG_USE__COUNT; k++) {
		ck_assert(lg_use_class_parse(lg_use_class_name(k), &c));
		ck_assert_int_eq(c, k);
		ck_assert(lg_use_class_parse(lg_use_class_zh(k), &c));
		ck_assert_int_eq(c, k);
	}
	ck_assert(lg_use_class_parse("住宅用地", &c));
	ck_assert_int_eq(c, LG_USE_RESIDENTIAL);
	ck_assert(lg_use_class_parse(" Public-Admin ", &c));
	ck_assert_int_eq(c, LG_USE_PUBLIC_ADMIN);
	ck_assert(lg_use_class_parse("公共服务", &c));
	ck_assert_int_eq(c, LG_USE_PUBLIC_SERVICE);
	ck_assert(lg_use_class_parse("公用设施用地", &c));
	ck_assert_int_eq(c, LG_USE_UTILITY);
	ck_assert_str_eq(lg_use_class_name(LG_USE_GREEN_SPACE), "green_space");
	ck_assert_str_eq(lg_use_class_zh(LG_USE_RESIDENTIAL), "住宅");
	ck_assert_str_eq(lg_use_class_name((lg_use_class)99), "unknown");
	c = LG_USE_WATER;
	ck_assert(!lg_use_class_parse("housing", &c));
	ck_assert_int_eq(c, LG_USE_UNKNOWN);
	ck_assert(!lg_use_class_parse("", &c));
	ck_assert(!lg_use_class_parse(NULL, &c));
}
END_TEST

#define CHECK_STAGE(text, want)                                                \
	do {                                                                   \
		lg_stage s_ = (lg_stage)-1;                                    \
		ck_assert_msg(lg_stage_parse((text), &s_), "stage '%s'",       \
			      (text));                                         \
		ck_assert_int_eq(s_, (want));                                  \
	} while (0)

START_TEST(stage_parse)
{
	lg_stage s = LG_STAGE_LISTED;
	CHECK_STAGE("suspected", LG_STAGE_SUSPECTED);
	CHECK_STAGE("investigated_clean", LG_STAGE_INVESTIGATED_CLEAN);
	CHECK_STAGE("polluted", LG_STAGE_POLLUTED);
	CHECK_STAGE("listed", LG_STAGE_LISTED);
	CHECK_STAGE("controlling", LG_STAGE_CONTROLLING);
	CHECK_STAGE("remediated", LG_STAGE_REMEDIATED);
	CHECK_STAGE("removed", LG_STAGE_REMOVED);
	CHECK_STAGE(" Listed ", LG_STAGE_LISTED);
	CHECK_STAGE("Investigated-Clean", LG_STAGE_INVESTIGATED_CLEAN);
	CHECK_STAGE("疑似污染地块", LG_STAGE_SUSPECTED);
	CHECK_STAGE("疑似", LG_STAGE_SUSPECTED);
	CHECK_STAGE("调查后非污染地块", LG_STAGE_INVESTIGATED_CLEAN);
	CHECK_STAGE("非污染地块", LG_STAGE_INVESTIGATED_CLEAN);
	CHECK_STAGE("污染地块", LG_STAGE_POLLUTED);
	CHECK_STAGE("列入名录", LG_STAGE_LISTED);
	CHECK_STAGE("已列入名录", LG_STAGE_LISTED);
	CHECK_STAGE("名录", LG_STAGE_LISTED);
	CHECK_STAGE("风险管控/修复中", LG_STAGE_CONTROLLING);
	CHECK_STAGE("风险管控中", LG_STAGE_CONTROLLING);
	CHECK_STAGE("修复中", LG_STAGE_CONTROLLING);
	CHECK_STAGE("管控中", LG_STAGE_CONTROLLING);
	CHECK_STAGE("效果评估通过", LG_STAGE_REMEDIATED);
	CHECK_STAGE("已修复", LG_STAGE_REMEDIATED);
	CHECK_STAGE("移出名录", LG_STAGE_REMOVED);
	CHECK_STAGE("已移出名录", LG_STAGE_REMOVED);
	ck_assert(!lg_stage_parse("治理", &s));
	ck_assert(!lg_stage_parse("clean", &s));
	ck_assert(!lg_stage_parse("", &s));
	ck_assert(!lg_stage_parse(NULL, &s));
	ck_assert_int_eq(s, LG_STAGE_LISTED); /* untouched on failure */
	ck_assert_str_eq(lg_stage_name(LG_STAGE_CONTROLLING), "controlling");
	ck_assert_str_eq(lg_stage_zh(LG_STAGE_REMOVED), "移出名录");
	ck_assert_str_eq(lg_stage_name((lg_stage)99), "unknown");
}
END_TEST

/* Every row of datasets/vocab/stage.csv parses to its stage: the compiled-in
 * table and the data file cannot drift apart. */
START_TEST(stage_table_matches_csv)
{
	char path[1024], line[512];
	FILE *f;
	int rows = 0;
	const char *dir = lg_ctx_datadir(T);
	ck_assert_ptr_nonnull(dir);
	snprintf(path, sizeof path, "%s/vocab/stage.csv", dir);
	ck_assert_ptr_nonnull(f = fopen(path, "r"));
	ck_assert_ptr_nonnull(fgets(line, sizeof line, f)); /* header */
	while (fgets(line, sizeof line, f)) {
		char *comma = strchr(line, ','), *sp;
		lg_stage want, got;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		ck_assert_ptr_nonnull(comma);
		*comma = '\0';
		sp = comma + 1;
		ck_assert_msg(lg_stage_parse(line, &want), "bad stage key '%s'",
			      line);
		ck_assert_str_eq(lg_stage_name(want), line);
		ck_assert_msg(lg_stage_parse(sp, &got), "spelling '%s'", sp);
		ck_assert_int_eq(got, want);
		rows++;
	}
	fclose(f);
	ck_assert_int_ge(rows, 40);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("landuse");
	TCase *tc = tcase_create("lookup");
	TCase *td = tcase_create("detect");
	TCase *tu = tcase_create("user_tables");
	TCase *tv = tcase_create("vocab");

	tcase_add_checked_fixture(tc, lu_setup, lu_teardown);
	tcase_add_test(tc, gbt21010_residential_and_public);
	tcase_add_test(tc, gbt21010_class08_utilities_and_parks);
	tcase_add_test(tc, gbt21010_other_classes);
	tcase_add_test(tc, sandiao_merged_codes);
	tcase_add_test(tc, sandiao_suffixes_stripped);
	tcase_add_test(tc, code_normalisation);
	tcase_add_test(tc, ydyh2023_classes);
	tcase_add_test(tc, ydyh2020_same_0708);
	tcase_add_test(tc, no_system_newest_plan_wins);
	tcase_add_test(tc, gb50137_classes);
	tcase_add_test(tc, unknown_codes);
	suite_add_tcase(s, tc);

	tcase_add_checked_fixture(td, lu_setup, lu_teardown);
	tcase_add_test(td, detect_each_system);
	tcase_add_test(td, detect_mixed_and_unknown);
	suite_add_tcase(s, td);

	tcase_add_checked_fixture(tu, lu_setup, lu_teardown);
	tcase_add_test(tu, user_table_overrides);
	tcase_add_test(tu, user_table_missing_column);
	tcase_add_test(tu, user_table_bad_rows);
	tcase_add_test(tu, missing_files);
	tcase_add_test(tu, load_survives_alloc_failures);
	suite_add_tcase(s, tu);

	tcase_add_checked_fixture(tv, lg_test_setup, lg_test_teardown);
	tcase_add_test(tv, use_class_names_and_parse);
	tcase_add_test(tv, stage_parse);
	tcase_add_test(tv, stage_table_matches_csv);
	suite_add_tcase(s, tv);
	return lg_test_run(s);
}
