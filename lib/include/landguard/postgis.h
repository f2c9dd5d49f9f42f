/**
 * PostGIS: pushing an overlay down to the server as SQL.
 *
 * Inputs and outputs on a server need nothing from here: lg_layer_read()
 * and lg_layer_write() take `PG:conninfo#table` through OGR.  This module
 * is for running the work itself on the server when both layers live there
 * (`--engine postgis`): the SQL is plain PostGIS (ST_Subdivide'd probes, a
 * GiST-indexed && join, ST_Intersection, ST_Area) so that it runs unchanged
 * on a distributed PostgreSQL such as Citus.  Pairs come back through OGR
 * (a server-side cursor, so memory stays flat) and are classified by
 * lg_overlay_from_pairs(), giving the same table as the local engine.
 */
#ifndef LANDGUARD_POSTGIS_H
#define LANDGUARD_POSTGIS_H

#include "landguard/engine.h"

#ifdef __cplusplus
extern "C" {
#endif

/** True when `source` is a PostgreSQL connection ("PG:..."). */
bool lg_pg_source(const char *source);

/**
 * The schema of a PostGIS table without reading its rows: fields, roles
 * (honouring ro's overrides), CRS and extent, as lg_rows_schema() gives
 * them.  *count = its feature count.  Free *out with lg_layer_destroy().
 */
lg_status lg_pg_schema(lg_ctx *ctx, const char *source, const lg_read_opts *ro,
		       lg_layer **out, size_t *count);

typedef struct lg_pg_overlay_opts {
	double min_area_m2;     /* pairs with less overlap are dropped; 0 = 0.01 */
	int subdivide_vertices; /* ST_Subdivide's max vertices; 0 = 256 */
} lg_pg_overlay_opts;

/**
 * Computes overlay pairs on the server.  `sites_src` and `plan_src` are
 * `PG:conninfo#table` on the same database (LG_USAGE otherwise).  `sites`
 * is the sites table as lg_layer_read() read it (its FIDs are the table's
 * primary key), `plan` the plan schema (lg_pg_schema()), `work` the
 * working CRS (an EPSG code is needed when a table is in another CRS).
 * On success `out` holds one pair per (site, plan row) overlapping by more
 * than min_area_m2, with probe = the site's index in `sites`, the plan
 * row's id/code/name texts, its FID, the overlap as WKB in `work` and its
 * planar area; release with lg_pairs_release().  *sql (may be NULL) gets
 * the statement that ran (free()).
 */
lg_status lg_pg_overlay_pairs(lg_ctx *ctx, const char *sites_src, const char *plan_src,
			      const lg_layer *sites, const lg_layer *plan,
			      const lg_crs *work, const lg_pg_overlay_opts *opts,
			      lg_pairs *out, char **sql);

typedef struct lg_pg_riverbuf_opts {
	double inner_m, outer_m; /* band limits; 30 and 50 when 0 */
	int quad_segs;           /* ST_Buffer quad_segs; 16 (the local engine's) when 0 */
	double cell_m;           /* nearest-water grid (ST_SquareGrid); 2 (LG__BAND_CELL_M) when 0 */
	int subdivide_vertices;  /* ST_Subdivide's max vertices for the bands; 256 when 0 */
} lg_pg_riverbuf_opts;

/** What the server returned for riverbuf, ready for lg_riverbuf_from_pairs(). */
typedef struct lg_pg_riverbuf {
	lg_pairs pairs;   /* probe = 2 × water + band; fid/id/code/wkb/area_m2 */
	double *dist_m;   /* per pair: distance of the part to its water */
	char **names;     /* per water, sorted by name (byte order) */
	double *band_m2;  /* per water: band 0, band 1 */
	size_t nwaters;
} lg_pg_riverbuf;

/**
 * Builds the river bands on the server and intersects them with the
 * parcels there, in plain PostGIS (see docs/workspace.md for the SQL and
 * how it matches the local engine's nearest-water rule).  `boundary_src`
 * and `parcels_src` are `PG:conninfo#table` on one database (LG_USAGE
 * otherwise); `boundary` and `parcels` their schemas (lg_pg_schema(): the
 * name role of the first, the id and code roles of the second).  Two
 * statements: the bands' areas per water, then the parts.  Release *out
 * with lg_pg_riverbuf_release().  *sql (may be NULL) gets the second
 * statement (free()).
 */
lg_status lg_pg_riverbuf_pairs(lg_ctx *ctx, const char *boundary_src, const char *parcels_src,
			       const lg_layer *boundary, const lg_layer *parcels,
			       const lg_crs *work, const lg_pg_riverbuf_opts *opts,
			       lg_pg_riverbuf *out, char **sql);
void lg_pg_riverbuf_release(lg_pg_riverbuf *r);

#ifdef __cplusplus
}
#endif
#endif
