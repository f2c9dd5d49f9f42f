/**
 * Land-use code tables and classes (datasets/landuse/ tables).
 *
 * Every code of GB/T 21010-2017, the 三调 working classification, the
 * 用地用海 guide (2020 trial and 2023) and GB 50137-2011 maps to a use class,
 * the 一住两公 flag, the construction flag and the GB 36600 land class.
 */
#ifndef LANDGUARD_LANDUSE_H
#define LANDGUARD_LANDUSE_H

#include "landguard/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LG_USE_CLASS_MAP(X)                                                    \
	X(RESIDENTIAL, "residential", "住宅")                                   \
	X(PUBLIC_ADMIN, "public_admin", "公共管理")                             \
	X(PUBLIC_SERVICE, "public_service", "公共服务")                         \
	X(COMMERCIAL, "commercial", "商业服务业")                               \
	X(INDUSTRIAL, "industrial", "工矿")                                     \
	X(STORAGE, "storage", "仓储")                                           \
	X(TRANSPORT, "transport", "交通运输")                                   \
	X(UTILITY, "utility", "公用设施")                                       \
	X(GREEN_SPACE, "green_space", "绿地与开敞空间")                         \
	X(SPECIAL, "special", "特殊用地")                                       \
	X(CROPLAND, "cropland", "耕地")                                         \
	X(GARDEN, "garden", "园地")                                             \
	X(FOREST, "forest", "林地")                                             \
	X(GRASSLAND, "grassland", "草地")                                       \
	X(WETLAND, "wetland", "湿地")                                           \
	X(WATER, "water", "水域")                                               \
	X(UNUSED, "unused", "其他土地")                                         \
	X(UNKNOWN, "unknown", "未知")

typedef enum lg_use_class {
#define LG__U(n, en, zh) LG_USE_##n,
	LG_USE_CLASS_MAP(LG__U)
#undef LG__U
	LG_USE__COUNT
} lg_use_class;

/** "residential" ...; "unknown" for a value out of range; never NULL. */
const char *lg_use_class_name(lg_use_class c);
/** "住宅" ...; never NULL. */
const char *lg_use_class_zh(lg_use_class c);
/**
 * Parses English or Chinese spelling ("public_admin", "Public-Admin",
 * "公共管理", also with 用地: "住宅用地"), ignoring surrounding blanks;
 * LG_USE_UNKNOWN + false when neither.  `out` may be NULL.
 */
bool lg_use_class_parse(const char *s, lg_use_class *out);

/** Code systems, as named in the tables' `system` column. */
#define LG_SYS_GBT21010 "GB/T 21010-2017"
#define LG_SYS_SANDIAO "三调工作分类"
#define LG_SYS_YDYH2023 "用地用海分类 2023"
#define LG_SYS_YDYH2020 "用地用海分类 2020试行"
#define LG_SYS_GB50137 "GB 50137-2011"

typedef struct lg_landuse_info {
	const char *code;   /* as in the table (normalised) */
	const char *name;   /* Chinese name */
	const char *system; /* LG_SYS_* */
	lg_use_class cls;
	bool yzlg;         /* 一住两公 */
	bool construction; /* construction land */
	int gb36600;       /* 1 = 第一类用地, 2 = 第二类用地, 0 = not construction */
} lg_landuse_info;

typedef struct lg_landuse lg_landuse;

/**
 * Loads every *.csv table in lg_ctx_datadir(ctx)/landuse/ (columns
 * system,code,name,use_class,yzlg,construction,gb36600, any order, UTF-8,
 * see datasets/landuse/README.md) and, when `user_table` is not NULL, a user
 * CSV with the same columns whose rows override or add codes: a row with the
 * same system and code replaces the built-in one, a new one is added; system
 * `*` replaces the code in every system that has it, or adds it to every
 * system when none has it.
 *
 * Returns LG_OK and a table the caller frees with lg_landuse_destroy();
 * LG_NOFILE when the directory, a table or `user_table` cannot be read;
 * LG_INPUT for a bad table, with file, line and column in the message
 * ("bad row in 'f.csv' line 3: column 4 (use_class): ..."); LG_NOMEM.
 * On error *out is NULL.  The table is read-only after loading and may be
 * shared between threads.
 */
lg_status lg_landuse_load(lg_ctx *ctx, const char *user_table,
			  lg_landuse **out);
/** Frees a table; NULL is a no-op. */
void lg_landuse_destroy(lg_landuse *lu);

/**
 * Looks a code up.  Codes are normalised first (trim, upper-case letters,
 * a name written after the code cut off: "0701城镇住宅用地", "R2 二类居住用地",
 * "A33(中小学用地)"; 三调 suffixes like 0101K / 0810A stripped when the code
 * with the suffix is not in the table).  Other characters after a code
 * ("07-01", "0101.0") make it unknown rather than guessed.
 *
 * `system` (LG_SYS_*, a user table's system name, or NULL) decides codes
 * that mean different things in different systems (0702, 0804 ...); a code
 * that `system` does not have is unknown even if another system has it.
 * With NULL the newest plan system wins: 用地用海 2023, 2020试行,
 * GB/T 21010, 三调, GB 50137, then user-defined systems.
 *
 * Returns false when the code is unknown (or `lu`/`code` is NULL); `out`
 * (may be NULL) is then zeroed with cls = LG_USE_UNKNOWN.  A known code may
 * still have cls = LG_USE_UNKNOWN when the table says so (aggregates such
 * as GB 50137 H11 城市建设用地).  Borrowed strings in `out` live as long as
 * `lu`.
 */
bool lg_landuse_lookup(const lg_landuse *lu, const char *code,
		       const char *system, lg_landuse_info *out);

/**
 * Detects which system a set of codes belongs to: the one that recognises
 * the most codes (counted per entry, duplicates included, with the same
 * normalisation as lg_landuse_lookup); ties go to the system with the most
 * codes that no other tied system has (6-digit codes → 2023, 08H2 → 三调,
 * letters → GB 50137), then to the lookup order above (so GB/T 21010 beats
 * 三调 when no 三调-only code appears).  *unknown receives how many codes
 * no system recognises (NULL and blank entries count).  *system is NULL
 * when no code is recognised; it is borrowed from `lu`.  `system` and
 * `unknown` may be NULL.
 */
void lg_landuse_detect(const lg_landuse *lu, const char *const *codes,
		       size_t n, const char **system, size_t *unknown);

/**
 * The code system a field's name announces: YDYHFLDM (用地用海) → 2023,
 * DLBM → 三调工作分类; NULL when the name says nothing (YDDM, code ...).
 * A plan layer mixing systems is then read in its own system first.
 */
const char *lg_landuse_system_hint(const char *field_name);

/* --- vocabularies: parcel stages (datasets/vocab/stage.csv) --- */

#define LG_STAGE_MAP(X)                                                        \
	X(SUSPECTED, "suspected", "疑似污染地块")                               \
	X(INVESTIGATED_CLEAN, "investigated_clean", "调查后非污染地块")         \
	X(POLLUTED, "polluted", "污染地块")                                     \
	X(LISTED, "listed", "列入名录")                                         \
	X(CONTROLLING, "controlling", "风险管控/修复中")                        \
	X(REMEDIATED, "remediated", "效果评估通过")                             \
	X(REMOVED, "removed", "移出名录")

typedef enum lg_stage {
#define LG__S(n, en, zh) LG_STAGE_##n,
	LG_STAGE_MAP(LG__S)
#undef LG__S
	LG_STAGE__COUNT
} lg_stage;

/** "suspected" ...; "unknown" for a value out of range; never NULL. */
const char *lg_stage_name(lg_stage s);
/** "疑似污染地块" ...; "未知" for a value out of range; never NULL. */
const char *lg_stage_zh(lg_stage s);
/**
 * Parses a stage in English or Chinese (with common variants such as 疑似,
 * 已列入名录, 修复中, 已移出名录); English is case-insensitive and '-' or
 * ' ' may stand for '_'.  The spellings are those of
 * datasets/vocab/stage.csv, compiled into the library.  False (and `out`
 * untouched) when unknown.
 */
bool lg_stage_parse(const char *s, lg_stage *out);

#ifdef __cplusplus
}
#endif
#endif
