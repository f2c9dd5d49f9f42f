/**
 * overlay: suspected and polluted parcels ("sites") on the land-use plan.
 * One row per (site, plan feature) pair overlapping by more than
 * min_area_m2, with the CONTRACT.md columns, sorted by site_id, plan_id.
 */
#ifndef LANDGUARD_OVERLAY_H
#define LANDGUARD_OVERLAY_H

#include "landguard/engine.h"
#include "landguard/landuse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lg_overlay_opts {
	double min_area_m2;        /* default 0.01 when 0 */
	const lg_landuse *landuse; /* code tables (required) */
	bool has_stage_default;    /* sites without a stage field take it */
	lg_stage stage_default;
} lg_overlay_opts;

typedef struct lg_overlay_summary {
	size_t sites, plan_features, pairs, sites_overlapping, conflict_sites;
	size_t sites_without_geometry;
	double overlap_m2, conflict_m2;
	const char *plan_system;  /* detected code system (static), or NULL */
	size_t unknown_codes;     /* distinct plan codes no table knows */
	const char *strategy;     /* how the plan was read */
	size_t shortcuts, intersections, rows_parsed;
} lg_overlay_summary;

/** Natural order of ids: digit runs by value, the rest bytewise
 *  (GD-2 < GD-10, 009 < 10, 007 == 7). */
int lg_id_cmp(const char *a, const char *b);

/**
 * Runs the overlay.  `sites` must be in `work` (lg_layer_reproject);
 * `plan` is a row stream in any CRS.  *out is a new layer in `work` with
 * the overlap geometries; free with lg_layer_destroy().
 * LG_CODE when a site's stage is unknown (names the value and the site).
 */
lg_status lg_overlay_run(lg_ctx *ctx, const lg_layer *sites, lg_rows *plan,
			 const lg_crs *work, const lg_overlay_opts *opts,
			 lg_layer **out, lg_overlay_summary *sum);

/** Receives a part of the overlay table (rows in output order, parts in
 *  order); `part` is freed after the call. */
typedef lg_status (*lg_overlay_sink)(lg_ctx *ctx, lg_layer *part, void *ud);

/**
 * lg_overlay_run that hands the table to `sink` in parts, so writing the
 * first part overlaps computing the second: when the plan's code field
 * names its code system (YDYHFLDM, DLBM ...), the sites are split by id
 * order into two halves, the plan rows near any site are read once and
 * kept, and the first half's rows are classified and sunk by a thread of
 * their own while the engine works on the second half.  Otherwise one
 * part, as lg_overlay_run.  The rows and the summary are the same as
 * lg_overlay_run's; the sink may be called from another thread (with its
 * own ctx).
 */
lg_status lg_overlay_run_parts(lg_ctx *ctx, const lg_layer *sites, lg_rows *plan,
			       const lg_crs *work, const lg_overlay_opts *opts,
			       lg_overlay_sink sink, void *ud, lg_overlay_summary *sum);

/**
 * The overlay table from pairs computed elsewhere (the PostGIS push-down):
 * the same classification, sorting, rounding and totals as lg_overlay_run.
 * Each pair's `probe` is the index of its site in `sites` (which must be in
 * `work`); id, code, name as the plan row's texts (one allocation starting
 * at id), wkb = the overlap in `work`, area_m2 its planar area.  Pairs not
 * above min_area_m2 are dropped; ellps_m2 is computed from the WKB when 0.
 * The output takes every pair's WKB; release `pairs` with
 * lg_pairs_release() afterwards.  `plan_schema` (may be NULL) gives the
 * code field's name for code-system detection; `strategy` is reported in
 * the summary.  *out as lg_overlay_run.
 */
lg_status lg_overlay_from_pairs(lg_ctx *ctx, const lg_layer *sites, lg_pairs *pairs,
				const lg_layer *plan_schema, size_t plan_features,
				const char *strategy, const lg_crs *work,
				const lg_overlay_opts *opts, lg_layer **out,
				lg_overlay_summary *sum);

/**
 * Stage of every feature of a register layer, by its stage role (or the
 * default when the layer has none: then a warning says so).  *stages is a
 * new array of l->n entries (free()).  LG_CODE on an unknown value.
 */
lg_status lg_sites_stages(lg_ctx *ctx, const lg_layer *l, bool has_default,
			  lg_stage def, lg_stage **stages);

#ifdef __cplusplus
}
#endif
#endif
