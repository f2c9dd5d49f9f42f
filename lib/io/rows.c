/* Row streams: schema through OGR, rows from the GPKG reader or from an
 * in-memory layer. */
#include <math.h>
#include <strings.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "io_int.h"
#include "rows_int.h"

struct lg_rows {
	lg_layer *schema; /* fields, roles, CRS, extent; features only in
			     the in-memory mode */
	lg__gpkg *gpkg;
	size_t count;
	size_t next; /* in-memory cursor */
	int extra;   /* field index of extra_field, -1 */
	const char *strategy;
	/* in-memory filter */
	double *rects;
	size_t nrects;
	GEOSWKBWriter *wkbw;
};

void lg__batch_reset(lg_row_batch *b)
{
	b->n = 0;
	b->arena_len = 0;
}

lg_row *lg__batch_row(lg_row_batch *b)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		lg_row *r = realloc(b->rows, cap * sizeof *r);
		if (!r)
			return NULL;
		b->rows = r;
		b->cap = cap;
	}
	memset(&b->rows[b->n], 0, sizeof b->rows[0]);
	return &b->rows[b->n++];
}

int lg__batch_put(lg_row_batch *b, const void *data, size_t n, const void **slot)
{
	if (b->arena_len + n + 1 > b->arena_cap) {
		size_t cap = b->arena_cap ? b->arena_cap : 1 << 16;
		while (cap < b->arena_len + n + 1)
			cap *= 2;
		char *a = realloc(b->arena, cap);
		if (!a)
			return -1;
		b->arena = a;
		b->arena_cap = cap;
	}
	memcpy(b->arena + b->arena_len, data, n);
	b->arena[b->arena_len + n] = '\0';
	/* An offset + 1 until the arena stops moving (0 stays NULL). */
	*slot = (const void *)(uintptr_t)(b->arena_len + 1);
	b->arena_len += n + 1;
	return 0;
}

static const void *fix(const lg_row_batch *b, const void *p)
{
	return p ? b->arena + ((uintptr_t)p - 1) : NULL;
}

void lg__batch_finish(lg_row_batch *b)
{
	for (size_t i = 0; i < b->n; i++) {
		lg_row *r = &b->rows[i];
		r->id = fix(b, r->id);
		r->code = r->code ? fix(b, r->code) : "";
		r->name = r->name ? fix(b, r->name) : "";
		r->extra = r->extra ? fix(b, r->extra) : "";
		r->wkb = fix(b, r->wkb);
	}
}

void lg_row_batch_free(lg_row_batch *b)
{
	if (!b)
		return;
	free(b->rows);
	free(b->arena);
	memset(b, 0, sizeof *b);
}

/* Schema of a GPKG layer through OGR (no features read). */
/* *fallback is set when the source is not a plain GPKG layer (then the
 * general reader takes it and gives any message). */
static lg_status open_gpkg(lg_ctx *ctx, const char *source, const lg_rows_opts *o,
			   lg_rows *r, bool *fallback)
{
	char *path = NULL, *lname = NULL;
	GDALDatasetH ds = NULL;
	OGRLayerH lyr = NULL;
	lg_gdal_errs errs;
	lg_status st = LG_OK;
	const char *opts[] = {NULL};
	OGREnvelope env;
	int nl;

	if (lg__split_source(source, &path, &lname))
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	lg__gdal_push(&errs);
	ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, (const char *const[]){"GPKG", NULL},
			opts, NULL);
	*fallback = false;
	if (!ds) {
		*fallback = true;
		st = LG_INPUT;
		goto done;
	}
	nl = GDALDatasetGetLayerCount(ds);
	if (lname)
		lyr = GDALDatasetGetLayerByName(ds, lname);
	else if (nl == 1)
		lyr = GDALDatasetGetLayer(ds, 0);
	if (!lyr || !OGR_L_GetGeometryColumn(lyr) || !*OGR_L_GetGeometryColumn(lyr)) {
		*fallback = true;
		st = LG_INPUT;
		goto done;
	}
	st = lg__layer_from_ogr_schema(ctx, lyr, &r->schema);
	if (st)
		goto done;
	lg_layer *l = r->schema;
	l->path = lg__strdup(ctx, path);
	l->driver = lg__strdup(ctx, "GPKG");
	l->encoding = lg__strdup(ctx, "UTF-8");
	l->encoding_how = lg__strdup(ctx, "UTF-8 (the format's own encoding)");
	l->geom_type = wkbFlatten(OGR_L_GetGeomType(lyr));
	r->count = (size_t)OGR_L_GetFeatureCount(lyr, 1);
	if (OGR_L_GetExtent(lyr, &env, 1) == OGRERR_NONE) {
		l->minx = env.MinX;
		l->miny = env.MinY;
		l->maxx = env.MaxX;
		l->maxy = env.MaxY;
	}
	OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr);
	if (srs) {
		char *wkt = NULL;
		const char *wo[] = {"FORMAT=WKT2_2019", NULL};
		if (OSRExportToWktEx(srs, &wkt, wo) == OGRERR_NONE && wkt)
			st = lg_crs_parse(ctx, wkt, path, &l->crs);
		CPLFree(wkt);
		if (st)
			goto done;
	}
	st = lg__layer_finish(ctx, l, &o->read, l->crs != NULL);
	if (st)
		goto done;
	r->extra = o->extra_field ? lg_layer_field(l, o->extra_field) : -1;
	{
		const char *fidcol = OGR_L_GetFIDColumn(lyr);
		const char *cols[6] = {
			fidcol && *fidcol ? fidcol : "fid", OGR_L_GetGeometryColumn(lyr),
			l->role[LG_ROLE_ID] >= 0 ? l->fields[l->role[LG_ROLE_ID]].name : NULL,
			l->role[LG_ROLE_CODE] >= 0 ? l->fields[l->role[LG_ROLE_CODE]].name : NULL,
			l->role[LG_ROLE_NAME] >= 0 ? l->fields[l->role[LG_ROLE_NAME]].name : NULL,
			r->extra >= 0 ? l->fields[r->extra].name : NULL,
		};
		st = lg__gpkg_open(ctx, path, OGR_L_GetName(lyr), cols, &r->gpkg);
	}
	if (!st)
		r->strategy = "gpkg-sqlite";
done:
	if (ds)
		GDALClose(ds);
	lg__gdal_pop();
	free(path);
	free(lname);
	return st;
}

static bool looks_gpkg(const char *source)
{
	const char *hash = strrchr(source, '#');
	size_t n = hash ? (size_t)(hash - source) : strlen(source);
	return n > 5 && !strncasecmp(source + n - 5, ".gpkg", 5);
}

lg_status lg_rows_open(lg_ctx *ctx, const char *source, const lg_rows_opts *o,
		       lg_rows **out)
{
	lg_rows_opts none = {0};
	lg_rows *r;
	lg_status st;
	*out = NULL;
	if (!o)
		o = &none;
	r = lg__calloc(ctx, 1, sizeof *r);
	if (!r)
		return LG_NOMEM;
	r->extra = -1;
	if (!o->no_fast_path && looks_gpkg(source)) {
		bool fallback = false;
		st = open_gpkg(ctx, source, o, r, &fallback);
		if (!st) {
			*out = r;
			return LG_OK;
		}
		if (!fallback) {
			lg_rows_close(ctx, r);
			return st;
		}
		/* Not a plain GPKG layer: read it the general way. */
		lg_layer_destroy(ctx, r->schema);
		r->schema = NULL;
	}
	st = lg_layer_read(ctx, source, &o->read, &r->schema);
	if (st) {
		lg_rows_close(ctx, r);
		return st;
	}
	r->count = r->schema->n;
	r->extra = o->extra_field ? lg_layer_field(r->schema, o->extra_field) : -1;
	r->strategy = "ogr";
	r->wkbw = GEOSWKBWriter_create_r(ctx->geos);
	*out = r;
	return LG_OK;
}

lg_status lg_rows_from_layer(lg_ctx *ctx, lg_layer *l, const char *extra_field,
			     lg_rows **out)
{
	lg_rows *r;
	*out = NULL;
	r = lg__calloc(ctx, 1, sizeof *r);
	if (!r) {
		lg_layer_destroy(ctx, l);
		return LG_NOMEM;
	}
	r->schema = l;
	r->count = l->n;
	r->extra = extra_field ? lg_layer_field(l, extra_field) : -1;
	r->strategy = "memory";
	r->wkbw = GEOSWKBWriter_create_r(ctx->geos);
	if (!r->wkbw) {
		lg_rows_close(ctx, r);
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	}
	*out = r;
	return LG_OK;
}

void lg_rows_close(lg_ctx *ctx, lg_rows *r)
{
	if (!r)
		return;
	lg__gpkg_close(r->gpkg);
	if (r->wkbw)
		GEOSWKBWriter_destroy_r(ctx->geos, r->wkbw);
	lg_layer_destroy(ctx, r->schema);
	free(r->rects);
	free(r);
}

const lg_layer *lg_rows_schema(const lg_rows *r) { return r->schema; }
size_t lg_rows_count(const lg_rows *r) { return r->count; }
const char *lg_rows_strategy(const lg_rows *r) { return r->strategy; }

lg_status lg_rows_set_filter(lg_ctx *ctx, lg_rows *r, const double *rects, size_t n)
{
	if (r->gpkg) {
		const lg_layer *l = r->schema;
		double area = isfinite(l->minx) ? (l->maxx - l->minx) * (l->maxy - l->miny) : 0;
		bool used = false;
		lg_status st = lg__gpkg_set_filter(ctx, r->gpkg, rects, n, area, &used);
		if (!st && used)
			r->strategy = "gpkg-rtree";
		return st;
	}
	free(r->rects);
	r->rects = NULL;
	r->nrects = 0;
	if (!n)
		return LG_OK;
	r->rects = lg__malloc(ctx, n * 4 * sizeof *rects);
	if (!r->rects)
		return LG_NOMEM;
	memcpy(r->rects, rects, n * 4 * sizeof *rects);
	r->nrects = n;
	return LG_OK;
}

static int row_text(lg_row_batch *b, const lg_layer *l, const lg_feature *f,
		    int field, const void **slot)
{
	const char *s;
	if (field < 0)
		return 0;
	s = lg_feature_text(l, f, field);
	return lg__batch_put(b, s, strlen(s), slot);
}

lg_status lg_rows_next(lg_ctx *ctx, lg_rows *r, lg_row_batch *b, size_t max)
{
	lg__batch_reset(b);
	if (r->gpkg)
		return lg__gpkg_next(ctx, r->gpkg, b, max);
	const lg_layer *l = r->schema;
	while (r->next < l->n && b->n < max) {
		const lg_feature *f = &l->feat[r->next++];
		lg_row *row;
		double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
		bool env = false;
		if (f->geom && !GEOSisEmpty_r(ctx->geos, f->geom)) {
			env = GEOSGeom_getXMin_r(ctx->geos, f->geom, &x0) &&
			      GEOSGeom_getYMin_r(ctx->geos, f->geom, &y0) &&
			      GEOSGeom_getXMax_r(ctx->geos, f->geom, &x1) &&
			      GEOSGeom_getYMax_r(ctx->geos, f->geom, &y1);
		}
		if (env && r->nrects) {
			bool hit = false;
			for (size_t k = 0; k < r->nrects && !hit; k++) {
				const double *q = &r->rects[4 * k];
				hit = x1 >= q[0] && x0 <= q[2] && y1 >= q[1] && y0 <= q[3];
			}
			if (!hit)
				continue;
		}
		row = lg__batch_row(b);
		if (!row)
			return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		row->fid = f->fid;
		row->has_env = env;
		row->minx = x0;
		row->miny = y0;
		row->maxx = x1;
		row->maxy = y1;
		const char *id = lg_feature_id(l, f);
		if (lg__batch_put(b, id, strlen(id), (const void **)&row->id) ||
		    row_text(b, l, f, l->role[LG_ROLE_CODE], (const void **)&row->code) ||
		    row_text(b, l, f, l->role[LG_ROLE_NAME], (const void **)&row->name) ||
		    row_text(b, l, f, r->extra, (const void **)&row->extra))
			return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		if (f->geom) {
			size_t n = 0;
			unsigned char *w = GEOSWKBWriter_write_r(ctx->geos, r->wkbw, f->geom, &n);
			if (!w)
				return lg_ctx_error(ctx, LG_INTERNAL, "cannot encode feature %s", id);
			int rc = lg__batch_put(b, w, n, (const void **)&row->wkb);
			GEOSFree_r(ctx->geos, w);
			if (rc)
				return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			row->wkb_len = n;
		}
	}
	lg__batch_finish(b);
	return LG_OK;
}
