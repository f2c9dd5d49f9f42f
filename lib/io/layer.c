/* The in-memory layer: fields, features, values, geometry ownership. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"
#include "landguard/layer.h"

/* lg_feature_text formats numbers here: one buffer per thread, so workers
 * reading their own layers do not race. */
static __thread char text_buf[64];

lg_status lg_layer_create(lg_ctx *ctx, const char *name, const lg_field *fields,
			  size_t nfields, lg_layer **out)
{
	lg_layer *l = lg__calloc(ctx, 1, sizeof *l);
	*out = NULL;
	if (!l)
		return LG_NOMEM;
	for (int r = 0; r < LG_ROLE__COUNT; r++)
		l->role[r] = -1;
	l->name = lg__strdup(ctx, name ? name : "layer");
	if (!l->name)
		goto oom;
	if (nfields) {
		l->fields = lg__calloc(ctx, nfields, sizeof *l->fields);
		if (!l->fields)
			goto oom;
		for (size_t i = 0; i < nfields; i++) {
			l->fields[i] = fields[i];
			l->fields[i].name = lg__strdup(ctx, fields[i].name);
			if (!l->fields[i].name)
				goto oom;
			l->nfields = i + 1;
		}
	}
	l->minx = l->miny = INFINITY;
	l->maxx = l->maxy = -INFINITY;
	*out = l;
	return LG_OK;
oom:
	lg_layer_destroy(ctx, l);
	return LG_NOMEM;
}

const char *lg_layer_pool_str(lg_ctx *ctx, lg_layer *l, const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = lg__pool_alloc(&l->pool, n);
	if (!d) {
		lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		return NULL;
	}
	memcpy(d, s, n);
	return d;
}

void lg_feature_ref_str(lg_layer *l, lg_feature *f, size_t field, const char *s)
{
	lg_value *v = &f->vals[field];
	if (!v->null && !v->shared)
		free(v->u.s);
	v->u.s = (char *)s;
	v->null = false;
	v->shared = true;
	(void)l;
}

static void free_vals(const lg_layer *l, lg_feature *f)
{
	if (!f->vals)
		return;
	for (size_t j = 0; j < l->nfields; j++)
		if (l->fields[j].type == LG_FT_STRING && !f->vals[j].null && !f->vals[j].shared)
			free(f->vals[j].u.s);
	free(f->vals);
	f->vals = NULL;
}

void lg_layer_destroy(lg_ctx *ctx, lg_layer *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free_vals(l, &l->feat[i]);
		if (!l->feat[i].wkb_shared)
			free(l->feat[i].wkb);
		if (l->feat[i].geom)
			GEOSGeom_destroy_r(ctx->geos, l->feat[i].geom);
	}
	free(l->feat);
	lg__pool_free(&l->pool);
	for (size_t j = 0; j < l->nfields; j++)
		free(l->fields[j].name);
	free(l->fields);
	free(l->path);
	free(l->name);
	free(l->driver);
	free(l->encoding);
	free(l->encoding_how);
	free(l->crs_how);
	lg_crs_destroy(l->crs);
	free(l);
}

void lg_layer_keep(lg_ctx *ctx, lg_layer *l, const bool *keep)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++) {
		if (keep[i]) {
			l->feat[n++] = l->feat[i];
			continue;
		}
		free_vals(l, &l->feat[i]);
		if (!l->feat[i].wkb_shared)
			free(l->feat[i].wkb);
		if (l->feat[i].geom)
			GEOSGeom_destroy_r(ctx->geos, l->feat[i].geom);
	}
	l->n = n;
}

lg_status lg_layer_add(lg_ctx *ctx, lg_layer *l, lg_feature **out)
{
	lg_feature *f;
	if (lg__grow(ctx, (void **)&l->feat, &l->cap, l->n + 1, sizeof *l->feat))
		return LG_NOMEM;
	f = &l->feat[l->n];
	memset(f, 0, sizeof *f);
	f->vals = lg__calloc(ctx, l->nfields ? l->nfields : 1, sizeof *f->vals);
	if (!f->vals)
		return LG_NOMEM;
	for (size_t j = 0; j < l->nfields; j++)
		f->vals[j].null = true;
	f->fid = (int64_t)l->n;
	l->n++;
	*out = f;
	return LG_OK;
}

lg_status lg_feature_set_str(lg_ctx *ctx, lg_layer *l, lg_feature *f,
			     size_t field, const char *s)
{
	lg_value *v = &f->vals[field];
	if (l->fields[field].type != LG_FT_STRING) {
		/* Numeric field given as text: parse it, null if empty. */
		char *end;
		if (!s || !*s) {
			v->null = true;
			return LG_OK;
		}
		if (l->fields[field].type == LG_FT_INT)
			v->u.i = strtoll(s, &end, 10);
		else
			v->u.d = strtod(s, &end);
		if (*end)
			return lg_ctx_error(ctx, LG_INPUT,
					    "field '%s' expects a number (got '%s')",
					    l->fields[field].name, s);
		v->null = false;
		return LG_OK;
	}
	if (!v->null && !v->shared)
		free(v->u.s);
	v->null = true;
	v->shared = false;
	if (!s)
		return LG_OK;
	v->u.s = lg__strdup(ctx, s);
	if (!v->u.s)
		return LG_NOMEM;
	v->null = false;
	return LG_OK;
}

void lg_feature_set_int(lg_layer *l, lg_feature *f, size_t field, int64_t i)
{
	if (l->fields[field].type == LG_FT_REAL)
		f->vals[field].u.d = (double)i;
	else
		f->vals[field].u.i = i;
	f->vals[field].null = false;
}

void lg_feature_set_real(lg_layer *l, lg_feature *f, size_t field, double d)
{
	if (l->fields[field].type == LG_FT_INT)
		f->vals[field].u.i = (int64_t)llround(d);
	else
		f->vals[field].u.d = d;
	f->vals[field].null = !isfinite(d);
}

void lg_feature_set_geom(lg_ctx *ctx, lg_feature *f, lg_geom *g)
{
	if (f->geom)
		GEOSGeom_destroy_r(ctx->geos, f->geom);
	f->geom = g;
}

int lg_layer_field(const lg_layer *l, const char *name)
{
	for (size_t j = 0; j < l->nfields; j++)
		if (lg__strieq(l->fields[j].name, name) ||
		    !strcmp(l->fields[j].name, name))
			return (int)j;
	return -1;
}

/* Shortest text that reads back as the same double, at most 15 digits. */
void lg__fmt_real(char *buf, size_t n, double d)
{
	for (int prec = 6; prec <= 17; prec++) {
		snprintf(buf, n, "%.*g", prec, d);
		if (strtod(buf, NULL) == d || prec == 15)
			break;
	}
}

const char *lg_feature_text(const lg_layer *l, const lg_feature *f, int field)
{
	const lg_value *v;
	if (field < 0 || (size_t)field >= l->nfields)
		return "";
	v = &f->vals[field];
	if (v->null)
		return "";
	switch (l->fields[field].type) {
	case LG_FT_STRING:
		return v->u.s;
	case LG_FT_INT:
		snprintf(text_buf, sizeof text_buf, "%" PRId64, v->u.i);
		return text_buf;
	case LG_FT_REAL:
		lg__fmt_real(text_buf, sizeof text_buf, v->u.d);
		return text_buf;
	}
	return "";
}

const char *lg_feature_id(const lg_layer *l, const lg_feature *f)
{
	int r = l->role[LG_ROLE_ID];
	if (r >= 0 && !f->vals[r].null)
		return lg_feature_text(l, f, r);
	snprintf(text_buf, sizeof text_buf, "%" PRId64, f->fid);
	return text_buf;
}

void lg_layer_update_extent(lg_ctx *ctx, lg_layer *l)
{
	l->minx = l->miny = INFINITY;
	l->maxx = l->maxy = -INFINITY;
	for (size_t i = 0; i < l->n; i++) {
		double x0, y0, x1, y1;
		const GEOSGeometry *g = l->feat[i].geom;
		if (!g || GEOSisEmpty_r(ctx->geos, g))
			continue;
		if (!GEOSGeom_getXMin_r(ctx->geos, g, &x0) ||
		    !GEOSGeom_getYMin_r(ctx->geos, g, &y0) ||
		    !GEOSGeom_getXMax_r(ctx->geos, g, &x1) ||
		    !GEOSGeom_getYMax_r(ctx->geos, g, &y1))
			continue;
		if (x0 < l->minx) l->minx = x0;
		if (y0 < l->miny) l->miny = y0;
		if (x1 > l->maxx) l->maxx = x1;
		if (y1 > l->maxy) l->maxy = y1;
	}
}

lg_status lg_layer_reproject(lg_ctx *ctx, lg_layer *l, const lg_crs *crs)
{
	lg_transform *t = NULL;
	lg_crs *copy = NULL;
	lg_status st;
	if (!l->crs)
		return lg_ctx_error(ctx, LG_NOCRS,
				    "'%s' has no coordinate reference system; give --s-srs",
				    l->path ? l->path : l->name);
	if (lg_crs_same(l->crs, crs))
		return LG_OK;
	st = lg_transform_create(ctx, l->crs, crs, &t);
	if (st)
		return st;
	for (size_t i = 0; i < l->n; i++) {
		/* Result layers may hold WKB only: it would be stale after. */
		GEOSGeometry *g = (GEOSGeometry *)lg_feature_geom(ctx, &l->feat[i]), *ng = NULL;
		if (!l->feat[i].wkb_shared)
			free(l->feat[i].wkb);
		l->feat[i].wkb = NULL;
		l->feat[i].wkb_len = 0;
		l->feat[i].has_wkb_env = false;
		l->feat[i].wkb_shared = false;
		if (!g)
			continue;
		st = lg_transform_geom(ctx, t, g, &ng);
		if (st) {
			lg_ctx_error(ctx, st,
				     "'%s' feature %s cannot be transformed from %s to %s; "
				     "check its coordinates and CRS",
				     l->path ? l->path : l->name, lg_feature_id(l, &l->feat[i]),
				     lg_crs_name(l->crs), lg_crs_name(crs));
			goto done;
		}
		GEOSGeom_destroy_r(ctx->geos, g);
		l->feat[i].geom = ng;
	}
	st = lg_crs_clone(ctx, crs, &copy);
	if (st)
		goto done;
	lg_crs_destroy(l->crs);
	l->crs = copy;
	lg_layer_update_extent(ctx, l);
done:
	lg_transform_destroy(t);
	return st;
}

const lg_geom *lg_feature_geom(lg_ctx *ctx, lg_feature *f)
{
	if (!f->geom && f->wkb) {
		GEOSWKBReader *rd = GEOSWKBReader_create_r(ctx->geos);
		if (rd) {
			f->geom = GEOSWKBReader_read_r(ctx->geos, rd, f->wkb, f->wkb_len);
			GEOSWKBReader_destroy_r(ctx->geos, rd);
		}
	}
	return f->geom;
}
