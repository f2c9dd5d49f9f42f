/**
 * riverbuf: ecological buffer belts outside river and reservoir management
 * lines (水污染防治行动计划 task 11: 30-50 m on both banks; DOMAIN.md §4).
 *
 * Bands: band 0 = [0, inner) and band 1 = [inner, outer] metres outside
 * the management-area polygons (or on both sides of management lines).
 * A point belongs to the band of the water it is nearest to, so bands of
 * neighbouring waters are never counted twice, and water surfaces (every
 * management area) are in no band.  Buffers use `quad_segs` segments per
 * quarter circle: a round right-angled corner of radius r is N triangles,
 * N·r²/2·sin(π/2N) instead of π r²/4 (the tests use this formula).
 *
 * Occupation: one row per (parcel, band, water) with the overlap area, the
 * nearest distance of that part to the water's management line, the
 * land-use class and whether it is construction land (a conflict).
 *
 * Stretches: every boundary line is walked in `segment_m` stretches; each
 * faces the band region swept perpendicular from it (a flat-ended,
 * one-sided buffer outwards for areas, both sides for lines).  achieved_m
 * = min(outer, distance from the stretch to the nearest construction land
 * in the region it faces); built_share = construction area / band-0 area
 * of that region.  Stretches that face no band (where one water meets
 * another) are left out.
 */
#ifndef LANDGUARD_RIVERBUF_H
#define LANDGUARD_RIVERBUF_H

#include "landguard/engine.h"
#include "landguard/landuse.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lg_riverbuf_opts {
	double inner_m;       /* minimum belt width; 30 when 0 */
	double outer_m;       /* full belt width; 50 when 0; must be > inner_m */
	double segment_m;     /* stretch length; 100 when 0 */
	double piece_m;       /* bands are cut on a grid this size; 250 when 0 */
	int quad_segs;        /* buffer segments per quarter circle; 16 when 0 */
	double min_area_m2;   /* smallest overlap reported; 0.01 when 0 */
	const lg_landuse *landuse; /* code tables (required) */
	bool segments;        /* build the stretch table */
	bool allow_empty;     /* a boundary with no water gives empty tables
				 instead of LG_INPUT (a batch area far from
				 every river) */
} lg_riverbuf_opts;

/** Totals of one water body (all features sharing a name). */
typedef struct lg_riverbuf_water {
	char *name;
	double band_m2[2];     /* area of band 0 and band 1 */
	double occupied_m2[2]; /* parcel area in each band */
	double conflict_m2[2]; /* construction land in each band */
	double bank_m;         /* length of stretches facing a band */
	double meets_m;        /* of which meeting the minimum width */
	size_t stretches, stretches_meeting;
	size_t rows, conflict_rows;
} lg_riverbuf_water;

typedef struct lg_riverbuf_summary {
	size_t boundary_features; /* features of the boundary layer */
	size_t nwaters;
	lg_riverbuf_water *waters; /* sorted by name; owned */
	size_t parcels;        /* features of the parcel layer */
	size_t rows, conflict_rows, parcels_in_bands, conflict_parcels;
	size_t pieces;         /* band pieces handed to the engine */
	double band_m2[2], occupied_m2[2], conflict_m2[2];
	double bank_m, meets_m;
	size_t stretches, stretches_meeting;
	const char *code_system; /* detected land-use code system, or NULL */
	size_t unknown_codes;
	const char *strategy;    /* how the parcels were read */
	size_t shortcuts, intersections, rows_parsed;
} lg_riverbuf_summary;

/**
 * Runs riverbuf.  `boundary` is a layer of management-area polygons or
 * management lines in `work` (lg_layer_reproject); its name role names the
 * water bodies (features without a name: "#FID"; a warning says so when
 * the layer has no name field).  `parcels` is a row stream (land-use
 * survey or plan) in any CRS.
 *
 * *rows_out: columns parcel_id, parcel_code, use_class, construction,
 * band ("0-30"), water_name, overlap_m2, min_dist_m, conflict, geometry =
 * the parcel's part in the band; sorted by parcel_id, band, water_name.
 * *segs_out (NULL unless opts->segments): water_name, seg_no, from_m,
 * to_m, achieved_m, meets_min, built_share, geometry = the stretch;
 * sorted by water_name, seg_no.  Free both with lg_layer_destroy() and
 * the summary with lg_riverbuf_summary_release().
 * LG_USAGE when inner/outer are not 0 < inner < outer; LG_GEOM for a
 * boundary feature that is neither polygonal nor lineal.
 */
lg_status lg_riverbuf_run(lg_ctx *ctx, const lg_layer *boundary, lg_rows *parcels,
			  const lg_crs *work, const lg_riverbuf_opts *opts,
			  lg_layer **rows_out, lg_layer **segs_out,
			  lg_riverbuf_summary *sum);
/**
 * The rows of lg_riverbuf_run() from parts computed elsewhere (the PostGIS
 * push-down, lg_pg_riverbuf_pairs()), through the same grouping,
 * classification, rounding and totals.  Pair i is one parcel's part in one
 * band of one water: pairs->v[i].probe = 2 × water + band, with water an
 * index into `names` (the waters sorted by name, byte order, as the local
 * engine sorts them) and band 0 (0-inner) or 1 (inner-outer); fid, id,
 * code, wkb (in `work`) and area_m2 as the engine gives them; dist_m[i] the
 * part's distance to its water.  band_m2[2w + k] is the area of band k of
 * water w.  `parcels_schema` gives the code field for code-system
 * detection.  No stretch table (opts->segments is ignored).  *rows_out and
 * *sum as lg_riverbuf_run(); pairs are borrowed.
 */
lg_status lg_riverbuf_from_pairs(lg_ctx *ctx, lg_pairs *pairs, const double *dist_m,
				 const char *const *names, const double *band_m2, size_t nwaters,
				 const lg_layer *parcels_schema, size_t parcel_features,
				 const char *strategy, const lg_crs *work,
				 const lg_riverbuf_opts *opts, lg_layer **rows_out,
				 lg_riverbuf_summary *sum);
/** Frees what the summary owns; NULL is a no-op. */
void lg_riverbuf_summary_release(lg_riverbuf_summary *sum);
/** The band label: "0-30" / "30-50" with the actual limits (%g), in buf. */
const char *lg_riverbuf_band_label(const lg_riverbuf_opts *opts, int band,
				   char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif
