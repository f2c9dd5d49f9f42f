/**
 * gwzone: protection zones of groundwater drinking-water sources per
 * HJ 338-2018 (饮用水水源保护区划分技术规范), drawn round wells, and the
 * pollution sources that lie inside them.
 *
 * - Radius per well and level: the empirical table by aquifer and medium,
 *   or R = α·K·I·T/n (T = 100 d for level I, 1000 d for level II); which
 *   one from the well's attributes or the caller's choice.  Confined wells
 *   get level I only (the overlying phreatic zone), no level II.  The
 *   quasi-protection zone (准保护区, the recharge area) is approximated by
 *   a circle of quasi_factor × R_II where the table says one is due.
 * - Zones of a level are merged; wells of one well field (`field`) are
 *   enclosed together (HJ 338 群井: the polygon round the outer wells,
 *   buffered by R, i.e. the convex hull of their circles).  Level II
 *   excludes level I, level III excludes I and II.
 *
 * Every number, rule and text comes from datasets/standards/hj338.csv,
 * hj338_params.csv, gwzone_rules.csv and datasets/vocab/aquifer.csv,
 * medium.csv, source_type.csv (see datasets/standards/README.md).
 *
 * Ownership: *_load / *_run / *_import hand a new object to the caller,
 * freed with the matching *_destroy (NULL is a no-op).  Geometries belong to
 * the GEOS handle of the lg_ctx that made them: destroy with that context.
 */
#ifndef LANDGUARD_GWZONE_H
#define LANDGUARD_GWZONE_H

#include "landguard/rows.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Zone levels, strictest first. */
typedef enum lg_gwz_level {
	LG_GWZ_I = 0,   /**< 一级保护区 */
	LG_GWZ_II = 1,  /**< 二级保护区 */
	LG_GWZ_III = 2, /**< 准保护区 (quasi-protection zone) */
	LG_GWZ__LEVELS = 3
} lg_gwz_level;

/** "I", "II", "III". */
const char *lg_gwz_level_name(lg_gwz_level l);
/** "一级保护区", "二级保护区", "准保护区". */
const char *lg_gwz_level_zh(lg_gwz_level l);

typedef enum lg_gwz_method {
	LG_GWZ_AUTO = 0, /**< formula when K, I and n are given (phreatic), else table */
	LG_GWZ_TABLE,    /**< the empirical table where it has the medium */
	LG_GWZ_FORMULA,  /**< R = α·K·I·T/n for every well (K, I, n required) */
} lg_gwz_method;

typedef enum lg_gwz_pick {
	LG_GWZ_UPPER = 0, /**< upper (stricter) end of a table range: default */
	LG_GWZ_LOWER,     /**< lower end: the standard's minimum */
	LG_GWZ_MID,
} lg_gwz_pick;

typedef enum lg_gwz_quasi {
	LG_GWZ_QUASI_REQUIRED = 0, /**< where hj338.csv says `required` */
	LG_GWZ_QUASI_ALL,          /**< also where it says `when_needed` */
	LG_GWZ_QUASI_NONE,
} lg_gwz_quasi;

typedef enum lg_gwz_group {
	LG_GWZ_GROUP_HULL = 0, /**< a well field's zone = convex hull of its circles */
	LG_GWZ_GROUP_UNION,    /**< just the union of the circles */
} lg_gwz_group;

/** "auto", "table", "formula" / "upper", "lower", "mid" ...; false if unknown. */
bool lg_gwz_method_parse(const char *s, lg_gwz_method *out);
bool lg_gwz_pick_parse(const char *s, lg_gwz_pick *out);
bool lg_gwz_quasi_parse(const char *s, lg_gwz_quasi *out);
bool lg_gwz_group_parse(const char *s, lg_gwz_group *out);
const char *lg_gwz_method_name(lg_gwz_method m);
const char *lg_gwz_pick_name(lg_gwz_pick p);

/** The HJ 338 tables, vocabularies and rules; read-only once loaded, so
 *  one may be shared by threads. */
typedef struct lg_hj338 lg_hj338;

/**
 * Loads every table from `<datadir>/standards/` and `<datadir>/vocab/`.
 * LG_NOFILE / LG_INPUT (file, line, column, value) / LG_NOMEM.  Free with
 * lg_hj338_destroy().
 */
lg_status lg_hj338_load(lg_ctx *ctx, lg_hj338 **out);
void lg_hj338_destroy(lg_hj338 *t);
/** A parameter of hj338_params.csv (alpha, t_days_I ...); NAN when absent. */
double lg_hj338_param(const lg_hj338 *t, const char *name);

typedef struct lg_gwzone_opts {
	lg_gwz_method method;
	lg_gwz_pick pick;
	lg_gwz_quasi quasi;
	lg_gwz_group group;
	int quad_segs; /**< segments per quarter circle; 0 = 32 */
} lg_gwzone_opts;

/** One well and the radii chosen for it. */
typedef struct lg_gwz_well {
	char *id;    /**< well_id (or FID) */
	char *field; /**< well-field name, "" when alone */
	const char *aquifer, *medium; /**< canonical keys (borrowed from tables) */
	lg_gwz_method method;        /**< LG_GWZ_TABLE or LG_GWZ_FORMULA as used */
	double x, y;                 /**< position in the working CRS */
	double K, I, n, Q;           /**< NAN when not given */
	double radius_m[LG_GWZ__LEVELS]; /**< 0 = no zone of that level */
	const char *basis;           /**< hj338.csv text (borrowed) */
} lg_gwz_well;

/** Merged zones: one layer row per connected part. */
typedef struct lg_gwzones {
	lg_gwz_well *wells;
	size_t nwells;
	/** ZONES rows: level, level_zh, wells, radius_m, area_m2, area_mu,
	 *  method, radius_pick, quad_segs, basis; polygons in the working CRS,
	 *  sorted by level, then first well id. */
	lg_layer *layer;
	lg_gwz_level *row_level; /**< level of each layer row */
	int quad_segs;
	double area_m2[LG_GWZ__LEVELS];
	size_t nparts[LG_GWZ__LEVELS];
	bool official; /**< imported, not computed */
	struct lg__gwz_priv *priv; /**< private: the shapes per level */
} lg_gwzones;

/**
 * Computes the zones of the wells in `wells` (points, already in the
 * metric working CRS `work`).  Fields: well_id (role id, 井号, JH), aquifer
 * (含水层类型), medium (含水介质), K, I, n, Q, field (水源地).
 * LG_FIELD when aquifer or medium is absent; LG_CODE for an unknown aquifer
 * or medium (message names the value and the well); LG_INPUT for a well
 * whose method needs K, I, n that it lacks or has non-positive (names the
 * well and the missing one), or a well that is not a point.
 * Free *out with lg_gwzones_destroy(ctx, ...).
 */
lg_status lg_gwzone_run(lg_ctx *ctx, const lg_hj338 *t, const lg_layer *wells,
			const lg_crs *work, const lg_gwzone_opts *opts,
			lg_gwzones **out);
void lg_gwzones_destroy(lg_ctx *ctx, lg_gwzones *z);

/**
 * Zones drawn by someone else: `official` (polygons in `work`) with a level
 * field (`level`, 级别, 保护区级别: I/II/III, 1/2/3, 一级/二级/准保护区
 * ...), merged per level like computed ones.  The `wells` of each part are
 * the wells of `computed` whose positions lie in it or whose circles
 * overlap it.  LG_FIELD / LG_CODE naming the feature on a bad level.
 */
lg_status lg_gwzone_import(lg_ctx *ctx, const lg_layer *official,
			   const lg_gwzones *computed, const lg_crs *work,
			   lg_gwzones **out);

/**
 * Where official zones fall short of the standard's minimum: for each level
 * L, the part of `minimum`'s cumulative zone (levels ≤ L) outside the
 * official cumulative zone.  One row per missing piece larger than
 * `tol_m2` (default 1 m² when 0): level, wells, required_m2, official_m2,
 * missing_m2, missing_mu, geometry = the missing piece.  *nshort = rows.
 */
lg_status lg_gwzone_check(lg_ctx *ctx, const lg_gwzones *official,
			  const lg_gwzones *minimum, double tol_m2,
			  lg_layer **out, size_t *nshort);

typedef struct lg_gwz_hits_summary {
	size_t sources;                     /**< features in the stream */
	size_t hits[LG_GWZ__LEVELS];        /**< sources by strictest level */
	const char *strategy;
} lg_gwz_hits_summary;

/**
 * Pollution sources (points or polygons, any CRS) inside the zones.  The
 * stream carries the id role (source_id), the name role and, as its extra
 * field, the source type (vocab/source_type.csv; LG_CODE naming the value
 * and the source when unknown).  One row per source inside any zone:
 * source_id, source_name, source_type, type_zh, type_group, level,
 * level_zh, well_id, dist_m (nearest well to the part of the source inside
 * zones), rule, basis; geometry = the source part inside the zones.
 * Sorted by level, then source_id.
 */
lg_status lg_gwzone_hits(lg_ctx *ctx, const lg_hj338 *t, const lg_gwzones *z,
			 lg_rows *sources, const lg_crs *work, lg_layer **out,
			 lg_gwz_hits_summary *sum);

/**
 * Every well of `wells` (the layer given to lg_gwzone_run, same order) with
 * the method and radii chosen: well_id, field, aquifer, medium, method,
 * radius_pick (`pick` for table wells), r_I_m, r_II_m, r_III_m, basis.
 * Free *out with lg_layer_destroy().
 */
lg_status lg_gwzone_wells_layer(lg_ctx *ctx, const lg_gwzones *z, const lg_layer *wells,
				const char *pick, lg_layer **out);

#ifdef __cplusplus
}
#endif
#endif
