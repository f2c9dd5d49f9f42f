/* Private to lib/io: GDAL error capture and source naming. */
#ifndef LG_IO_INT_H
#define LG_IO_INT_H

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <cpl_conv.h>
#include <cpl_string.h>
#include <cpl_error.h>

#include "lg_internal.h"
#include "landguard/layer.h"

/* Routes GDAL messages of this thread into a buffer while an I/O call
 * runs; CPLPushErrorHandlerEx is thread-local, so workers don't mix. */
typedef struct lg_gdal_errs {
	char last[512];
	int nwarn;
} lg_gdal_errs;
void lg__gdal_push(lg_gdal_errs *e);
void lg__gdal_pop(void);
/* Registers GDAL drivers once, thread-safely. */
void lg__gdal_init(void);

/* Splits "path#layer" (the last '#', ignoring PG: strings' own fragments
 * without a layer); *layer is NULL when none.  Free *path with free(). */
int lg__split_source(const char *source, char **path, char **layer);

/* OGR geometry ↔ GEOS through WKB. */
lg_geom *lg__ogr_to_geos(lg_ctx *ctx, OGRGeometryH g);
/* `w` is a little-endian GEOSWKBWriter of ctx's handle, made once per
 * write: creating one per feature cost more than the conversion. */
OGRGeometryH lg__geos_to_ogr(lg_ctx *ctx, GEOSWKBWriter *w, const lg_geom *g);

/* An empty layer with the OGR layer's name and fields (names as GDAL
 * gives them: raw bytes for shapefiles opened with ENCODING=). */
lg_status lg__layer_from_ogr_schema(lg_ctx *ctx, OGRLayerH lyr, lg_layer **out);

/* Finishes a freshly read layer: detects field roles (honouring the
 * overrides), guesses/validates the CRS, computes the extent.  Shared by
 * the OGR reader and the 界址点 reader. */
lg_status lg__layer_finish(lg_ctx *ctx, lg_layer *l, const lg_read_opts *o,
			   bool crs_declared);

/* Atomic output: a temporary path next to `path` with the same extension,
 * and the commit/abort that renames or removes it. */
char *lg__tmp_path(const char *path);
lg_status lg__commit_tmp(lg_ctx *ctx, const char *tmp, const char *path);
/* Before writing `path`: its folder must exist and be writable, and the
 * path must not be a folder (one clear message instead of a driver's).
 * Then removes temporaries of `path` left by runs that died (kill -9,
 * power cut): hidden ".BASE.lgtmpPID*" files and ".lgtmpPID" shapefile
 * folders whose PID is no longer running. */
lg_status lg__prepare_output(lg_ctx *ctx, const char *path);

#endif
