/**
 * Row streams: the large side of an overlay, read in batches without
 * keeping OGR features alive.  A GeoPackage is read straight from its
 * SQLite tables (its WKB handed on unparsed, its R-tree used when the
 * caller's areas of interest are small); any other source is read whole
 * through lg_layer_read() and served from memory.
 *
 * A batch is self-contained (one arena), so it can be handed to another
 * thread and freed there with lg_row_batch_free().
 */
#ifndef LANDGUARD_ROWS_H
#define LANDGUARD_ROWS_H

#include "landguard/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lg_row {
	int64_t fid;
	const char *id;   /* id-role text, or the FID as text */
	const char *code; /* code-role text, "" when none */
	const char *name; /* name-role text, "" when none */
	const char *extra; /* text of opts->extra_field, "" when none */
	const unsigned char *wkb; /* ISO WKB, NULL when no geometry */
	size_t wkb_len;
	double minx, miny, maxx, maxy; /* envelope; valid when has_env */
	bool has_env;
} lg_row;

typedef struct lg_row_batch {
	lg_row *rows;
	size_t n;
	char *arena; /* strings and WKB of every row */
	size_t arena_len, arena_cap;
	size_t cap;
} lg_row_batch;

void lg_row_batch_free(lg_row_batch *b);

typedef struct lg_rows lg_rows;

typedef struct lg_rows_opts {
	lg_read_opts read;
	const char *extra_field; /* one more field to carry, or NULL */
	bool no_fast_path;       /* read GPKG through OGR too (tests, benchmarks) */
} lg_rows_opts;

/** Opens a row stream.  The schema (fields, roles, CRS, extent, count) is
 *  ready after this call; rows come from lg_rows_next(). */
lg_status lg_rows_open(lg_ctx *ctx, const char *source, const lg_rows_opts *o,
		       lg_rows **out);
void lg_rows_close(lg_ctx *ctx, lg_rows *r);
/**
 * A row stream served from a layer already in memory (e.g. one area's part
 * of a city-wide register, lg_layer_subset_in()).  Takes `l` in every case
 * (freed by lg_rows_close(), or here on error); `extra_field` as in
 * lg_rows_opts.  Strategy "memory".
 */
lg_status lg_rows_from_layer(lg_ctx *ctx, lg_layer *l, const char *extra_field,
			     lg_rows **out);
/** A feature-less layer holding the fields, roles, CRS and extent.
 *  Borrowed, valid while the stream is open. */
const lg_layer *lg_rows_schema(const lg_rows *r);
/** Number of features in the source (before any filter). */
size_t lg_rows_count(const lg_rows *r);
/** "gpkg-sqlite", "gpkg-rtree" or "ogr": how rows are read (for --json). */
const char *lg_rows_strategy(const lg_rows *r);
/**
 * Restricts the stream to features whose envelope meets one of n
 * rectangles (x0,y0,x1,y1 in the stream's CRS).  The stream uses the
 * source's spatial index when the rectangles cover little of it; either
 * way, rows outside every rectangle may still come (filter exactly later).
 */
lg_status lg_rows_set_filter(lg_ctx *ctx, lg_rows *r, const double *rects,
			     size_t n);
/** Fills `b` (reset first) with up to `max` rows; b->n == 0 at the end. */
lg_status lg_rows_next(lg_ctx *ctx, lg_rows *r, lg_row_batch *b, size_t max);

#ifdef __cplusplus
}
#endif
#endif
