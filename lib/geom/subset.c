/* Features of a layer that fall in an area (batch runs per county). */
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"
#include "landguard/layer.h"

lg_status lg_layer_subset_in(lg_ctx *ctx, const lg_layer *l, const lg_geom *area,
			     const lg_crs *area_crs, const char *area_name, lg_layer **out)
{
	GEOSContextHandle_t h = ctx->geos;
	const GEOSPreparedGeometry *pg = NULL;
	lg_geom *a = NULL;
	lg_transform *t = NULL;
	lg_layer *s = NULL;
	lg_status st;

	*out = NULL;
	if (!area || GEOSisEmpty_r(h, area))
		return lg_ctx_error(ctx, LG_GEOM,
				    "area '%s' has no outline geometry; fix it in the areas layer",
				    area_name);
	if (!l->crs || !area_crs)
		return lg_ctx_error(ctx, LG_NOCRS, "area '%s' or '%s' has no CRS; give --s-srs",
				    area_name, l->path ? l->path : l->name);
	if ((st = lg_transform_create(ctx, area_crs, l->crs, &t)) ||
	    (st = lg_transform_geom(ctx, t, area, &a)))
		goto done;
	if (GEOSisValid_r(h, a) != 1) {
		lg_geom *v = GEOSMakeValid_r(h, a);
		if (!v) {
			st = lg_ctx_error(ctx, LG_GEOM, "the outline of area '%s' is invalid and "
					  "cannot be repaired (%s)", area_name, ctx->geos_msg);
			goto done;
		}
		GEOSGeom_destroy_r(h, a);
		a = v;
	}
	pg = GEOSPrepare_r(h, a);
	if (!pg) {
		st = lg_ctx_error(ctx, LG_GEOM, "cannot prepare the outline of area '%s' (%s)",
				  area_name, ctx->geos_msg);
		goto done;
	}
	if ((st = lg_layer_create(ctx, l->name, l->fields, l->nfields, &s)))
		goto done;
	s->path = lg__strdup(ctx, l->path ? l->path : l->name);
	s->driver = l->driver ? lg__strdup(ctx, l->driver) : NULL;
	memcpy(s->role, l->role, sizeof s->role);
	s->geom_type = l->geom_type;
	if ((st = lg_crs_clone(ctx, l->crs, &s->crs)))
		goto done;
	for (size_t i = 0; i < l->n; i++) {
		const lg_feature *f = &l->feat[i];
		lg_feature *nf;
		if (!f->geom || GEOSisEmpty_r(h, f->geom))
			continue;
		lg_geom *pt = GEOSPointOnSurface_r(h, f->geom);
		char in = pt ? GEOSPreparedIntersects_r(h, pg, pt) : 0;
		if (pt)
			GEOSGeom_destroy_r(h, pt);
		if (in != 1)
			continue;
		if ((st = lg_layer_add(ctx, s, &nf)))
			goto done;
		nf->fid = f->fid;
		for (size_t j = 0; j < l->nfields; j++) {
			const lg_value *v = &f->vals[j];
			if (v->null)
				continue;
			if (l->fields[j].type == LG_FT_INT)
				lg_feature_set_int(s, nf, j, v->u.i);
			else if (l->fields[j].type == LG_FT_REAL)
				lg_feature_set_real(s, nf, j, v->u.d);
			else if ((st = lg_feature_set_str(ctx, s, nf, j, v->u.s)))
				goto done;
		}
		lg_geom *g = GEOSGeom_clone_r(h, f->geom);
		if (!g) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		lg_feature_set_geom(ctx, nf, g);
	}
	lg_layer_update_extent(ctx, s);
	*out = s;
	s = NULL;
done:
	if (pg)
		GEOSPreparedGeom_destroy_r(h, pg);
	if (a)
		GEOSGeom_destroy_r(h, a);
	lg_transform_destroy(t);
	lg_layer_destroy(ctx, s);
	return st;
}
