/**
 * Soil and groundwater quality against the national standards.
 *
 * - Lab values as written in lab reports and ledgers: `12.5`, `0.01L`,
 *   `<0.01`, `ND`, `未检出`, empty or `-` (not measured).
 * - GB 36600-2018 (soil of construction land): screening value (筛选值) and
 *   intervention value (管制值) for land class 1 or 2, tables 1 and 2.
 * - GB/T 14848-2017 (groundwater): classes I-V per indicator and per sample.
 * - GB 15618-2018 (soil of farmland): screening and intervention values by
 *   soil pH band and land type.
 *
 * The limit values are not in this code: they are read from
 * `<datadir>/standards/gb36600.csv`, `gb14848.csv` and `gb15618.csv`
 * (see datasets/standards/README.md), or from a user table with the same
 * columns.
 *
 * Ownership for the whole module: a `*_load` function hands a table to the
 * caller, who frees it with the matching `*_destroy` (NULL is a no-op).
 * Item pointers (`const lg_soil_item *`, `const lg_gw_item *`, ...) and the
 * strings in them are borrowed from their table and valid until it is
 * destroyed.  Tables are never changed after loading, so one table may be
 * used from several threads at once, each thread with its own lg_ctx.
 *
 * Units: soil values in mg/kg dry soil; groundwater values in the unit of
 * the indicator's `unit` field (mg/L for most, μg/L for the four organics,
 * NTU, CFU/mL ...).  The functions do not convert units; callers do.
 */
#ifndef LANDGUARD_QUALITY_H
#define LANDGUARD_QUALITY_H

#include "landguard/core.h"
#include "landguard/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Lab values                                                          */
/* ------------------------------------------------------------------ */

/** One lab result as read from a report cell. */
typedef struct lg_labvalue {
	/** The measured number; NAN when `nd` or `missing`. */
	double value;
	/** Non-detect: below the detection limit (`0.01L`, `<0.01`, `ND`). */
	bool nd;
	/** Detection limit when the text gives one (`0.01L`), else NAN. */
	double dl;
	/** Not measured: the cell was empty, `-`, `—`, `/` or `未检测`. */
	bool missing;
} lg_labvalue;

/**
 * Parses a lab value cell.
 *
 * Accepted (surrounding blanks, also full-width, are ignored; full-width
 * digits and signs count as ASCII):
 * - a number: `12.5`, `3`, `.5`, `1.2E-3`;
 * - a non-detect with its detection limit: `0.01L`, `0.01 L` (the
 *   Chinese lab convention "L" = below the limit), `<0.01`, `＜0.01`;
 * - a non-detect without limit: `ND`, `nd`, `N.D.`, `未检出`;
 * - not measured: empty, a run of dashes (`-`, `—`, `－`, `--`), `/`,
 *   `未检测`.
 *
 * `text` may be NULL (same as empty).  On success fills *out.  Returns
 * LG_INPUT, with a message quoting the text, for anything else (`abc`,
 * `1..2`, a negative number, `inf`); *out is then "missing".
 */
lg_status lg_labvalue_parse(lg_ctx *ctx, const char *text, lg_labvalue *out);

/** A measured value (not a non-detect) for callers that hold a number. */
lg_labvalue lg_labvalue_number(double value);

/* ------------------------------------------------------------------ */
/* GB 36600-2018: soil of construction land                            */
/* ------------------------------------------------------------------ */

/** One row of GB 36600-2018 table 1 or 2.  Borrowed from its table. */
typedef struct lg_soil_item {
	int item_no;         /**< number within its table (序号) */
	int table;           /**< 1 = basic items (表1), 2 = other items (表2) */
	const char *item;    /**< name as in the standard, e.g. "铬（六价）" */
	const char *cas;     /**< CAS number(s); "" when the item is a sum */
	const char *group;   /**< e.g. "重金属和无机物" */
	double screen_mgkg[2]; /**< 筛选值 for land class 1 ([0]) and 2 ([1]) */
	double interv_mgkg[2]; /**< 管制值 for land class 1 ([0]) and 2 ([1]) */
	/** Footnote a (砷, 钴, 钒): above the screening value but not above
	 *  the local soil background (the standard's appendix A) is not
	 *  managed as a polluted parcel. */
	bool background_note;
} lg_soil_item;

typedef struct lg_soil_limits lg_soil_limits;

/** Outcome of comparing one value with GB 36600. */
typedef enum lg_soil_level {
	LG_SOIL_NOT_MEASURED = 0, /**< value missing: nothing judged */
	LG_SOIL_BELOW_SCREEN,     /**< ≤ 筛选值: risk negligible */
	LG_SOIL_ABOVE_SCREEN,     /**< > 筛选值, ≤ 管制值: risk assessment */
	LG_SOIL_ABOVE_INTERV,     /**< > 管制值: control or remediation */
} lg_soil_level;

/** "not_measured", "below_screen", "above_screen", "above_interv". */
const char *lg_soil_level_name(lg_soil_level level);
/** "未检测", "不超过筛选值", "超过筛选值", "超过管制值". */
const char *lg_soil_level_zh(lg_soil_level level);

typedef struct lg_soil_verdict {
	lg_soil_level level;
	const lg_soil_item *item; /**< borrowed from the table */
	int land_class;           /**< 1 or 2, as asked */
	double screen_mgkg;       /**< 筛选值 used */
	double interv_mgkg;       /**< 管制值 used */
	/** Judged from a non-detect (always LG_SOIL_BELOW_SCREEN). */
	bool nd;
	/** Non-detect whose detection limit is above the screening value:
	 *  the result cannot show the soil is below it; re-test. */
	bool dl_above_screen;
	/** Above the screening value of an item with footnote a (砷, 钴,
	 *  钒): compare with the local background before calling the parcel
	 *  polluted. */
	bool background_note;
} lg_soil_verdict;

/**
 * Loads GB 36600 limits from `path`, or from
 * `<datadir>/standards/gb36600.csv` when `path` is NULL.  A user table
 * replaces the standard one; it needs the columns `item_no, table, item,
 * aliases, cas, screen_1, screen_2, interv_1, interv_2, group,
 * background_note` (any order; other columns are ignored).
 *
 * Returns LG_NOFILE, LG_INPUT (message names file, line, column and value:
 * a missing column, a bad number, a screening value above the intervention
 * value, a name or alias used by two items) or LG_NOMEM.  On success *out
 * is the table; free it with lg_soil_limits_destroy().  On failure *out is
 * NULL.
 */
lg_status lg_soil_limits_load(lg_ctx *ctx, const char *path,
			      lg_soil_limits **out);
/** Frees a table; NULL is a no-op.  Its items become invalid. */
void lg_soil_limits_destroy(lg_soil_limits *limits);

/** Number of items (85 for the standard table). */
size_t lg_soil_limits_count(const lg_soil_limits *limits);
/** i-th item in file order, NULL when out of range. */
const lg_soil_item *lg_soil_limits_item(const lg_soil_limits *limits,
					size_t i);

/**
 * Finds an item by name as users write it in column headers: the item name,
 * any alias (`As`, `砷`, `arsenic`, `六价铬`, `Cr(VI)`) or the CAS number.
 * Matching ignores ASCII case, blanks, full/half width (`（` = `(`), square
 * vs round brackets, and a trailing unit in brackets (`As(mg/kg)`,
 * `六价铬（mg/kg）`).  NULL when nothing matches or `name` is NULL.
 */
const lg_soil_item *lg_soil_item_find(const lg_soil_limits *limits,
				      const char *name);

/**
 * Judges one value (mg/kg) of `item` for land class 1 (第一类用地) or 2
 * (第二类用地) per GB 36600-2018, "建设用地土壤污染风险筛选值和管制值的使用"
 * (domain-facts §2.2): a value equal to a limit does not exceed it (the
 * standard says "超过", i.e. >; "等于或者低于" is the safe side).  A non-detect
 * is below the screening value (with `nd` set); a missing value gives
 * LG_SOIL_NOT_MEASURED.  Returns LG_INPUT for a land class other than 1
 * or 2, or a NULL item or value.
 */
lg_status lg_soil_judge(lg_ctx *ctx, const lg_soil_item *item, int land_class,
			const lg_labvalue *value, lg_soil_verdict *out);

/* ------------------------------------------------------------------ */
/* GB/T 14848-2017: groundwater classes I-V                            */
/* ------------------------------------------------------------------ */

/** How an indicator's class is found. */
typedef enum lg_gw_kind {
	/** Class k is the smallest k with value ≤ limit[k-1]; above IV is V. */
	LG_GW_UPPER = 0,
	/** pH: class k is the smallest k with ph_lo ≤ pH ≤ ph_hi; else V. */
	LG_GW_PH,
	/** Class I means "not detected" (阴离子表面活性剂); a detected value
	 *  is II-IV by limit[1..3], else V. */
	LG_GW_ND_CLASS1,
} lg_gw_kind;

/** One indicator of GB/T 14848-2017.  Borrowed from its table. */
typedef struct lg_gw_item {
	size_t index;      /**< position in the table (0-based) */
	const char *item;  /**< name as in the standard, e.g. "硝酸盐" */
	const char *unit;  /**< "mg/L", "μg/L", "NTU", "无量纲" ... */
	lg_gw_kind kind;
	/** Upper limits of classes I-IV (UPPER, ND_CLASS1; ND_CLASS1 has
	 *  limit[0] = NAN); NAN for PH. */
	double limit[4];
	/** PH only: the range of classes I-IV, inclusive; NAN otherwise. */
	double ph_lo[4], ph_hi[4];
	/** Ion mass per mass of N for indicators given "as N" (硝酸盐 4.427,
	 *  亚硝酸盐 3.285, 氨氮 1.288); 0 for the others. */
	double as_n_factor;
} lg_gw_item;

typedef struct lg_gw_limits lg_gw_limits;

/**
 * Loads GB/T 14848 limits from `path`, or from
 * `<datadir>/standards/gb14848.csv` when `path` is NULL (a user table
 * replaces it).  Columns: `item, aliases, unit, class1, class2, class3,
 * class4, kind, as_n_factor`; kind `upper` takes numbers, `ph` takes ranges
 * `lo~hi`, `nd_class1` takes `ND` in class1.  Row order is the table order
 * used to break ties in lg_gw_sample_class().
 *
 * Returns LG_NOFILE, LG_INPUT (message names file, line, column and value:
 * limits that get looser from I to IV are accepted, limits that get
 * stricter are not), LG_NOMEM.  Free *out with lg_gw_limits_destroy();
 * NULL on failure.
 */
lg_status lg_gw_limits_load(lg_ctx *ctx, const char *path,
			    lg_gw_limits **out);
/** Frees a table; NULL is a no-op. */
void lg_gw_limits_destroy(lg_gw_limits *limits);
size_t lg_gw_limits_count(const lg_gw_limits *limits);
/** i-th indicator in table order, NULL when out of range. */
const lg_gw_item *lg_gw_limits_item(const lg_gw_limits *limits, size_t i);

/** Finds an indicator; same matching rules as lg_soil_item_find(). */
const lg_gw_item *lg_gw_item_find(const lg_gw_limits *limits,
				  const char *name);

/**
 * Class (1 = I ... 5 = V) of one value of `item` per GB/T 14848-2017,
 * 单指标评价: "按指标值所在的限值范围确定地下水质量类别，指标限值相同时，
 * 从优不从劣" (the class whose band holds the value; where two classes share
 * a limit, the better one).  A non-detect is class I.  A missing value
 * gives *cls = 0 and LG_OK.
 *
 * `value_is_ion`: the value is the ion (NO₃⁻, NO₂⁻, NH₄⁺) rather than "as N";
 * it is divided by the item's as_n_factor and rounded to 12 significant
 * digits, so that 88.54 mg/L NO₃⁻ is exactly 20 mg/L as N rather than
 * 20.000000000000004.  LG_INPUT when the item has no as-N form, when a pH
 * is outside 0-14 or given as a non-detect, or when item/value is NULL.
 */
lg_status lg_gw_class_of(lg_ctx *ctx, const lg_gw_item *item,
			 const lg_labvalue *value, bool value_is_ion, int *cls);

/** One indicator's result within a sample. */
typedef struct lg_gw_reading {
	/** The indicator; when NULL, `name` is looked up in the table. */
	const lg_gw_item *item;
	/** Indicator name or column header, used when `item` is NULL. */
	const char *name;
	lg_labvalue value;
	bool value_is_ion; /**< see lg_gw_class_of() */
} lg_gw_reading;

/** A sample's overall class. */
typedef struct lg_gw_result {
	/** Worst class over the measured indicators, 1-5; 0 when none was
	 *  measured. */
	int cls;
	/** Indicator that sets `cls`; on ties the first in table order.
	 *  NULL when cls is 0.  Borrowed from the table. */
	const lg_gw_item *worst;
	size_t nmeasured; /**< readings that were not missing */
} lg_gw_result;

/**
 * Classes a sample: each reading by lg_gw_class_of(), the sample by its
 * worst indicator (GB/T 14848-2017, 综合评价: "按单指标评价结果最差的类别
 * 确定，并指出最差类别的指标").  `cls_each`, when not NULL, receives n classes (0 = missing).
 * `readings` may be NULL when n is 0.
 *
 * Returns LG_CODE for a name that matches no indicator (message quotes it
 * and the reading number), or the status of lg_gw_class_of(); *out is
 * then zeroed.
 */
lg_status lg_gw_sample_class(lg_ctx *ctx, const lg_gw_limits *limits,
			     const lg_gw_reading *readings, size_t n,
			     int *cls_each, lg_gw_result *out);

/**
 * Whether class `cls` meets the county's target (DOMAIN.md §5): drinking
 * water points class III or better, other points not worse than V.  False
 * for cls outside 1-5 (0 = not measured never meets a target).
 */
bool lg_gw_meets_target(int cls, bool drinking);

/** "I" ... "V" for 1 ... 5; "" otherwise. */
const char *lg_gw_class_roman(int cls);

typedef struct lg_gwquality_opts {
	const char *drinking_field; /**< field saying drinking or not; NULL = detect
				      (drinking, 饮用水 ...; none: all drinking, warned) */
	const char *source;         /**< the input as named in messages; NULL = its path */
} lg_gwquality_opts;

typedef struct lg_gwquality_summary {
	size_t samples, indicators;
	size_t by_class[6]; /**< [0] none measured, [1..5] classes I-V */
	size_t failing;     /**< samples not meeting their target */
} lg_gwquality_summary;

/**
 * Classes every monitoring point of `in` (one column per GB/T 14848
 * indicator, named as in the standard or an alias; ion columns such as
 * NO₃⁻ are read as ions; id, name, drinking and date columns are not
 * indicators).  *out is a new layer, one row per point in input order:
 * `point_id, name, drinking, class, worst_item, worst_value, target,
 * meets_target, nmeasured`, then `<indicator>_class` per indicator column,
 * with a copy of the point's geometry.  `in` is not modified; `o` may be
 * NULL.  Free *out with lg_layer_destroy().
 *
 * Errors: LG_FIELD (no indicator column, a named drinking field missing),
 * LG_INPUT (two columns of one indicator, a bad drinking value, a lab
 * value that does not parse; naming file, point and column), LG_NOMEM.
 */
lg_status lg_gwquality_run(lg_ctx *ctx, const lg_gw_limits *lim, const lg_layer *in,
			   const lg_gwquality_opts *o, lg_layer **out, lg_gwquality_summary *sum);

/* ------------------------------------------------------------------ */
/* GB 15618-2018: soil of farmland                                     */
/* ------------------------------------------------------------------ */

/** Land type, as GB 15618 table 1 splits it. */
typedef enum lg_farm_land {
	LG_FARM_PADDY = 0, /**< 水田 */
	LG_FARM_ORCHARD,   /**< 果园 (only 铜 has its own values) */
	LG_FARM_OTHER,     /**< 其他: 旱地, 菜地 ... */
	LG_FARM_ROTATION,  /**< 水旱轮作: the stricter of 水田 and 其他 */
} lg_farm_land;

/** One item of GB 15618 tables 1-3.  Borrowed from its table. */
typedef struct lg_farm_item {
	const char *item; /**< name as in the standard, e.g. "镉" */
	/** Has an intervention value (table 3: 镉, 汞, 砷, 铅, 铬). */
	bool has_interv;
} lg_farm_item;

typedef struct lg_farm_limits lg_farm_limits;

typedef struct lg_farm_verdict {
	/** BELOW_SCREEN: risk low (优先保护类 if every item is);
	 *  ABOVE_SCREEN: possible risk, safe-use measures (安全利用类);
	 *  ABOVE_INTERV: high risk, strict control (严格管控类). */
	lg_soil_level level;
	const lg_farm_item *item;
	/** pH band used: 0 pH≤5.5, 1 5.5<pH≤6.5, 2 6.5<pH≤7.5, 3 pH>7.5;
	 *  -1 when no pH was given and the item's limits do not depend on it. */
	int ph_band;
	double screen_mgkg; /**< 筛选值 used */
	double interv_mgkg; /**< 管制值 used; NAN when the item has none */
	bool nd;	    /**< judged from a non-detect */
	bool dl_above_screen; /**< non-detect with a detection limit above
				   the screening value */
} lg_farm_verdict;

/**
 * Loads GB 15618 limits from `path`, or `<datadir>/standards/gb15618.csv`
 * when NULL (a user table replaces it).  One row per item, value kind
 * (`screen` / `interv`) and land (`水田`, `果园`, `其他`, `全部`), with the
 * four pH-band columns `ph_le_5.5, ph_5.5_6.5, ph_6.5_7.5, ph_gt_7.5`.
 * Errors as lg_soil_limits_load().  Free *out with
 * lg_farm_limits_destroy().
 */
lg_status lg_farm_limits_load(lg_ctx *ctx, const char *path,
			      lg_farm_limits **out);
/** Frees a table; NULL is a no-op. */
void lg_farm_limits_destroy(lg_farm_limits *limits);
size_t lg_farm_limits_count(const lg_farm_limits *limits);
const lg_farm_item *lg_farm_limits_item(const lg_farm_limits *limits,
					size_t i);
/** Finds an item; same matching rules as lg_soil_item_find(). */
const lg_farm_item *lg_farm_item_find(const lg_farm_limits *limits,
				      const char *name);

/**
 * Judges a value (mg/kg) of `item` on farmland of type `land` with soil
 * pH `soil_ph` (NAN when unknown: accepted only for items whose limits do
 * not vary with pH).  The row for the land type is used when the table has
 * one, else the `其他` row, else the `全部` row (so 铜 on 水田 uses 其他, as
 * the standard's table 1 does).  Same boundary and non-detect rules as
 * lg_soil_judge().  LG_INPUT for a pH outside 0-14, a missing pH that
 * matters, a bad land type, or NULL arguments.
 */
lg_status lg_farm_judge(lg_ctx *ctx, const lg_farm_item *item,
			lg_farm_land land, double soil_ph,
			const lg_labvalue *value, lg_farm_verdict *out);

#ifdef __cplusplus
}
#endif
#endif
