/**
 * check: the 一住两公 compliance rules YZ-01 … YZ-10 (DOMAIN.md §3) over
 * land-supply parcels, the register of suspected/polluted parcels, the
 * events ledger, soil samples and key supervised units.
 *
 * A parcel context is built once (planned and original use, overlapping
 * and nearby register sites, its ledger events, samples and units inside
 * it); then each rule is one small function over it.  Severities, Chinese
 * messages, evidence lines, legal basis and next steps come from
 * `<datadir>/rules/rules.csv` (and phrases.csv, uses.csv, industries.csv);
 * no rule text is in the code.  See docs/check.md for what each rule
 * decides, and where the boundaries lie.
 *
 * Ownership: lg_check_tables_load() hands the tables to the caller
 * (lg_check_tables_destroy()); lg_check_run() hands a findings layer to the
 * caller (lg_layer_destroy()).  Inputs are borrowed and not modified.
 */
#ifndef LANDGUARD_CHECK_H
#define LANDGUARD_CHECK_H

#include "landguard/ledger.h"
#include "landguard/landuse.h"
#include "landguard/quality.h"
#include "landguard/rows.h"

#ifdef __cplusplus
extern "C" {
#endif

#define LG_SEVERITY_MAP(X)                                                     \
	X(NOTICE, "notice", "提示")                                             \
	X(RISK, "risk", "风险")                                                 \
	X(VIOLATION, "violation", "违规")

/** Ordered: a higher value is more severe. */
typedef enum lg_severity {
#define LG__SV(n, en, zh) LG_SEV_##n,
	LG_SEVERITY_MAP(LG__SV)
#undef LG__SV
	LG_SEV__COUNT
} lg_severity;

/** "notice" …; "unknown" out of range. */
const char *lg_severity_name(lg_severity s);
/** "提示" …; "未知" out of range. */
const char *lg_severity_zh(lg_severity s);
/** English or Chinese, case-insensitive; false when unknown. */
bool lg_severity_parse(const char *s, lg_severity *out);

/** Number of rules (10) and their ids ("YZ-01" …), in order. */
#define LG_CHECK_NRULES 10
const char *lg_check_rule_id(size_t i);

/** The rule texts and the small tables the rules use. */
typedef struct lg_check_tables lg_check_tables;

/**
 * Loads `<datadir>/rules/rules.csv` (or `rules_csv` when not NULL: a table
 * of the same shape that replaces it), phrases.csv, uses.csv and
 * industries.csv.  LG_NOFILE / LG_INPUT naming file, line and column (a
 * missing column, an unknown severity, a rule or case the code does not
 * know, a case the code needs that the table lacks); LG_NOMEM.
 * Free *out with lg_check_tables_destroy().
 */
lg_status lg_check_tables_load(lg_ctx *ctx, const char *rules_csv,
			       lg_check_tables **out);
void lg_check_tables_destroy(lg_check_tables *t);
/** Chinese title of a rule (its first row in rules.csv); "" if unknown. */
const char *lg_check_rule_title(const lg_check_tables *t, const char *rule_id);

/** The inputs.  Layers must be in `work` (lg_layer_reproject). */
typedef struct lg_check_inputs {
	const lg_layer *parcels;  /**< required: polygons with ids and use codes */
	lg_rows *plan;            /**< optional: planned use by overlay (majority by area;
				       ties to the 一住两公 code, then byte order); it
				       decides over the parcels' plan code, which is used
				       where the plan covers none of a parcel */
	const lg_layer *sites;    /**< optional: register with stage and industry */
	const lg_layer *units;    /**< optional: key supervised units (points or polygons) */
	const lg_layer *samples;  /**< optional: soil samples (points, GB 36600 item columns) */
	const lg_layer *county;   /**< optional: county outline (YZ-10) */
	const lg_ledger *ledger;  /**< optional: events */
	const lg_crs *work;       /**< required: the metric working CRS */
} lg_check_inputs;

typedef struct lg_check_opts {
	const lg_landuse *landuse;       /**< required */
	const lg_soil_limits *soil;      /**< required when samples are given */
	const lg_check_tables *tables;   /**< required */
	double near_m;                   /**< YZ-06 distance; default 500 when 0 */
	double min_overlap_m2;           /**< default 0.01 when 0 */
	bool has_period;                 /**< --period: the monthly 清零 list */
	int32_t period_from, period_to;  /**< days since 1970-01-01, both inclusive */
	bool has_stage_default;
	lg_stage stage_default;
} lg_check_opts;

typedef struct lg_check_summary {
	size_t parcels;            /**< parcels in the layer */
	size_t parcels_checked;    /**< all, or those supplied in the period */
	size_t findings;
	size_t count[LG_CHECK_NRULES][LG_SEV__COUNT];
	size_t by_severity[LG_SEV__COUNT];
	size_t sites, sites_without_geometry;
	size_t events, events_unmatched; /**< ledger rows; rows naming no parcel */
	size_t samples, sample_values, nd_values; /**< non-detects read as < DL */
	size_t plan_from_overlay;  /**< parcels whose planned use came from --plan */
	size_t plan_fallback;      /**< --plan covers none of it: its own plan code used */
	size_t plan_uncovered;     /**< --plan covers none of it and it has no plan code */
	size_t plan_disagree;      /**< --plan and its own plan code differ on 一住两公 */
} lg_check_summary;

/**
 * Runs every rule.  *out is a new layer with the columns
 * `parcel_id, rule_id, severity, message, basis, evidence, title, next_step`
 * and the parcel's geometry (none for YZ-10 rows about register sites),
 * sorted by parcel_id (lg_id_cmp), rule_id, then evidence (digit runs by
 * value).  Free with lg_layer_destroy().
 *
 * Errors: LG_CODE for an unknown stage or a land-use code no table knows
 * (naming file, feature, field and value); LG_FIELD when a parcel has no
 * planned use (no plan code field and no --plan); LG_INPUT for a lab value
 * that does not parse (naming file, sample, column); LG_NOMEM.
 */
lg_status lg_check_run(lg_ctx *ctx, const lg_check_inputs *in,
		       const lg_check_opts *opts, lg_layer **out,
		       lg_check_summary *sum);

#ifdef __cplusplus
}
#endif
#endif
