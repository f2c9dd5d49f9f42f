/* Private to liblandguard: what lib/store offers the readers in lib/io. */
#ifndef LG_STORE_INT_H
#define LG_STORE_INT_H

#include "lg_internal.h"

/* When `path` is a landguard workspace and `lname` names one of its layers
 * ("sites", the latest version, or "sites@v2") rather than a table, *table
 * gets the version's table name (free()); otherwise *table stays NULL and
 * the caller opens `lname` as it is.  LG_INPUT naming what the workspace
 * holds when the layer or version is not there. */
lg_status lg__ws_resolve(lg_ctx *ctx, const char *path, const char *lname,
			 char **table);

/* "name" with embedded quotes doubled: identifiers from users' files
 * never reach SQL raw.  NULL when out of memory (ctx may be NULL). */
char *lg__sql_ident(lg_ctx *ctx, const char *s);

/* Fills `table` of the GeoPackage `path`, made empty by GDAL (fields
 * named as l's, one geometry column), with l's features in order (fid
 * 1..n): geometry from geoms[i] when geoms is given, else the feature's
 * GEOS geometry or WKB; single parts wrapped as Multi when `promote`.
 * Updates the layer's extent and feature count.  One transaction: on
 * failure nothing is added.  LG_WRITE naming the feature. */
lg_status lg__gpkg_fill(lg_ctx *ctx, const char *path, const char *table,
			const lg_layer *l, lg_geom *const *geoms, bool promote);

/* The same in parts: begin (one transaction, triggers set aside; the
 * fields are schema's), any number of lg__gpkg_rows (fids continue), then
 * lg__gpkg_end, which commits (commit) or rolls back, and always frees.
 * One thread at a time; ctx may differ between calls. */
typedef struct lg__gpkg_out lg__gpkg_out;
lg_status lg__gpkg_begin(lg_ctx *ctx, const char *path, const char *table,
			 const lg_layer *schema, bool promote, lg__gpkg_out **out);
lg_status lg__gpkg_rows(lg_ctx *ctx, lg__gpkg_out *o, const lg_layer *l, lg_geom *const *geoms);
lg_status lg__gpkg_end(lg_ctx *ctx, lg__gpkg_out *o, bool commit);

#endif
