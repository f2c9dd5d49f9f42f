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

/** "residential" ...; never NULL. */
const char *lg_use_class_name(lg_use_class c);
/** "住宅" ...; never NULL. */
const char *lg_use_class_zh(lg_use_class c);
/** Parses English or Chinese spelling; LG_USE_UNKNOWN + false when neither. */
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
 * Loads the tables from `datadir`/landuse/ and, when `user_table` is not
 * NULL, a user CSV with the same columns whose rows override or add codes.
 */
lg_status lg_landuse_load(lg_ctx *ctx, const char *user_table,
			  lg_landuse **out);
void lg_landuse_destroy(lg_landuse *lu);

/**
 * Looks a code up.  Codes are normalised first (trim, upper-case letters,
 * 三调 suffixes like 0101K / 0810A stripped).  `system` (LG_SYS_* or NULL)
 * decides codes that mean different things in different systems (0702,
 * 0804 ...); with NULL the newest plan system wins.  Returns false when the
 * code is unknown; `out` is then zeroed with cls = LG_USE_UNKNOWN.
 * Borrowed strings in `out` live as long as `lu`.
 */
bool lg_landuse_lookup(const lg_landuse *lu, const char *code,
		       const char *system, lg_landuse_info *out);

/**
 * Detects which system a set of codes belongs to: the one that recognises
 * the most codes, ties broken toward codes only that system has.  *unknown
 * receives how many codes no system recognises.  *system is NULL when no
 * code is recognised.
 */
void lg_landuse_detect(const lg_landuse *lu, const char *const *codes,
		       size_t n, const char **system, size_t *unknown);

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

const char *lg_stage_name(lg_stage s);
const char *lg_stage_zh(lg_stage s);
/**
 * Parses a stage in English or Chinese (with common variants such as 疑似,
 * 已列入名录, 修复中, 已移出名录); false when unknown.
 */
bool lg_stage_parse(const char *s, lg_stage *out);

#ifdef __cplusplus
}
#endif
#endif
