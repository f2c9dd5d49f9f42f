/**
 * The overlay engine: every feature of a large row stream against a small
 * indexed set of polygons ("probes": sites, river bands, protection zones).
 *
 * An STRtree over the probes, prepared probe geometries, a containment
 * shortcut (a feature wholly inside a probe needs no intersection: its own
 * geometry and area are the overlap), exact intersections only on boundary
 * cases.  Rows are read by the calling thread and worked on by
 * lg_ctx_threads() workers, each with its own GEOS handle, PROJ context,
 * copy of the probes and prepared geometries.  Pairs come back sorted by
 * (probe, fid), so output never depends on the thread count (unless the
 * caller asks for them unsorted).
 */
#ifndef LANDGUARD_ENGINE_H
#define LANDGUARD_ENGINE_H

#include "landguard/rows.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lg_pair {
	size_t probe;  /* index into the probe array */
	int64_t fid;   /* the row's FID */
	char *id, *code, *name, *extra; /* the row's texts: one allocation
					   starting at id, owned by the pairs */
	unsigned char *wkb; /* the overlap (ISO WKB, owned) when keep_geom */
	size_t wkb_len;
	double area_m2;  /* planar area of the overlap in the working CRS */
	double ellps_m2; /* ellipsoidal area when opts.ellps, else 0 */
	double row_area_m2; /* planar area of the whole row feature */
	bool contained; /* the row lies wholly inside the probe */
	bool has_env;   /* env holds the overlap's minx, miny, maxx, maxy */
	bool pooled;    /* texts and wkb live in the pairs' pool */
	double env[4];
} lg_pair;

typedef struct lg_pairs {
	lg_pair *v;
	size_t n, cap;
	size_t rows_read;   /* rows that came from the stream */
	size_t rows_parsed; /* rows whose geometry was parsed */
	size_t shortcuts;   /* pairs decided by containment, no intersection */
	size_t intersections; /* exact intersections computed */
	size_t repaired;      /* invalid row geometries made valid */
	struct lg__pool *pool; /* memory of pooled pairs (private) */
} lg_pairs;

/** Row batches one engine run read, kept for another run over the same
 *  rows (lg_engine_opts.keep / .replay).  Release with lg_row_store_release. */
typedef struct lg_row_store {
	lg_row_batch **b;
	size_t n, cap;
} lg_row_store;
void lg_row_store_release(lg_row_store *s);

typedef struct lg_engine_opts {
	double min_area_m2; /* pairs with less overlap are dropped (polygons) */
	bool ellps;         /* compute ellipsoidal areas (CGCS2000) */
	bool keep_geom;     /* return the overlap geometry */
	bool use_filter;    /* hand the probes' envelopes to the row stream */
	bool unsorted;      /* leave pairs in no set order: the caller sorts
			       them its own way (saves a sort of every pair) */
	lg_row_store *keep; /* when set, every batch read is kept here */
	const lg_row_store *replay; /* when set, rows come from here, not from
				       the stream (used for its schema only) */
} lg_engine_opts;

/**
 * Runs the engine.  `probes` are polygons in `work_crs` (in ctx's handle;
 * not modified).  Rows in another CRS are transformed per row.  Points and
 * lines in the stream pair with the probes they intersect (area 0).
 * On success *out holds the pairs; release with lg_pairs_release().
 */
lg_status lg_engine_run(lg_ctx *ctx, lg_geom *const *probes, size_t nprobes,
			const lg_crs *work_crs, lg_rows *rows,
			const lg_engine_opts *opts, lg_pairs *out);
void lg_pairs_release(lg_pairs *p);
/**
 * Fills a pair's texts (one allocation starting at id; NULL counts as "")
 * and, when wkb is not NULL, a copy of its overlap.  For engines that
 * compute pairs elsewhere (PostGIS).  Returns false when out of memory,
 * leaving the pair without texts or geometry.
 */
bool lg_pair_set(lg_pair *p, const char *id, const char *code, const char *name,
		 const char *extra, const unsigned char *wkb, size_t wkb_len);

#ifdef __cplusplus
}
#endif
#endif
