/* Ellipsoidal (椭球面积) areas on the CGCS2000 ellipsoid via geodesic.h. */
#include <geodesic.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"
#include "landguard/crs.h"

/* Polygons smaller than this (bounding-box diagonal, metres) take the
 * areal scale factor at their centroid; larger ones are integrated vertex
 * by vertex on the ellipsoid.  Over 5 km the factor varies by under 1e-5
 * and linearly, so the centroid's value is exact to about 1e-7. */
#define FACTOR_MAX_DIAG_M 5000.0

struct lg_ellps {
	struct geod_geodesic g;
	PJ *factors; /* the CRS's projection as an operation, or NULL */
	PJ_CONTEXT *pctx;
	lg_transform *to_geo;
	lg_crs *geo;
	double *lon, *lat;
	size_t cap;
};

lg_status lg_ellps_create(lg_ctx *ctx, const lg_crs *crs, lg_ellps **out)
{
	lg_ellps *e = lg__calloc(ctx, 1, sizeof *e);
	lg_status st;
	*out = NULL;
	if (!e)
		return LG_NOMEM;
	/* CGCS2000 ellipsoid: a = 6378137, 1/f = 298.257222101 (GRS 1980). */
	geod_init(&e->g, 6378137.0, 1.0 / 298.257222101);
	st = lg_crs_parse(ctx, "EPSG:4490", "CGCS2000", &e->geo);
	if (!st)
		st = lg_transform_create(ctx, crs, e->geo, &e->to_geo);
	if (!st && !lg_crs_is_geographic(crs)) {
		/* proj_factors wants a bare projection taking radians; the EPSG
		 * object adds unit and axis steps, so go through its PROJ
		 * string (e.g. +proj=tmerc +lon_0=111 ... +ellps=GRS80). */
		const char *ps = proj_as_proj_string(ctx->proj, lg_crs_pj(crs), PJ_PROJ_5, NULL);
		if (ps) {
			char buf[1024];
			snprintf(buf, sizeof buf, "%s", ps);
			char *t = strstr(buf, "+type=crs");
			if (t)
				*t = '\0';
			e->factors = proj_create(ctx->proj, buf);
			e->pctx = ctx->proj;
		}
	}
	if (st) {
		lg_ellps_destroy(e);
		return st;
	}
	*out = e;
	return LG_OK;
}

void lg_ellps_destroy(lg_ellps *e)
{
	if (!e)
		return;
	lg_transform_destroy(e->to_geo);
	lg_crs_destroy(e->geo);
	proj_destroy(e->factors);
	free(e->lon);
	free(e->lat);
	free(e);
}

static lg_status ring_area(lg_ctx *ctx, lg_ellps *e, const GEOSGeometry *ring,
			   double *a)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(ctx->geos, ring);
	unsigned int n = 0;
	double area = 0, perim = 0;
	lg_status st;
	if (!cs || !GEOSCoordSeq_getSize_r(ctx->geos, cs, &n))
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot read a ring");
	if (n < 4) {
		*a = 0;
		return LG_OK;
	}
	if (n > e->cap) {
		double *lo = realloc(e->lon, n * sizeof *lo);
		if (!lo)
			return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		e->lon = lo;
		double *la = realloc(e->lat, n * sizeof *la);
		if (!la)
			return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		e->lat = la;
		e->cap = n;
	}
	for (unsigned int i = 0; i < n; i++)
		GEOSCoordSeq_getXY_r(ctx->geos, cs, i, &e->lon[i], &e->lat[i]);
	st = lg_transform_xy(ctx, e->to_geo, e->lon, e->lat, n);
	if (st)
		return st;
	/* geod_polygonarea takes the ring without its closing point. */
	geod_polygonarea(&e->g, e->lat, e->lon, (int)n - 1, &area, &perim);
	*a = fabs(area);
	return LG_OK;
}

/* Planar area divided by the projection's areal scale at the centroid;
 * false when the shortcut does not apply. */
static bool by_factor(lg_ctx *ctx, lg_ellps *e, const lg_geom *g, double *area_m2)
{
	double x0, y0, x1, y1, a, cx, cy;
	GEOSGeometry *c;
	PJ_FACTORS f;
	if (!e->factors || !GEOSGeom_getXMin_r(ctx->geos, g, &x0) ||
	    !GEOSGeom_getYMin_r(ctx->geos, g, &y0) || !GEOSGeom_getXMax_r(ctx->geos, g, &x1) ||
	    !GEOSGeom_getYMax_r(ctx->geos, g, &y1) ||
	    hypot(x1 - x0, y1 - y0) > FACTOR_MAX_DIAG_M || !GEOSArea_r(ctx->geos, g, &a))
		return false;
	c = GEOSGetCentroid_r(ctx->geos, g);
	if (!c)
		return false;
	bool ok = GEOSGeomGetX_r(ctx->geos, c, &cx) && GEOSGeomGetY_r(ctx->geos, c, &cy);
	GEOSGeom_destroy_r(ctx->geos, c);
	if (!ok || lg_transform_xy(ctx, e->to_geo, &cx, &cy, 1) != LG_OK)
		return false;
	f = proj_factors(e->factors, proj_coord(proj_torad(cx), proj_torad(cy), 0, 0));
	if (proj_context_errno(e->pctx) || !(f.areal_scale > 0.5 && f.areal_scale < 2)) {
		proj_context_errno(e->pctx);
		return false;
	}
	*area_m2 = a / f.areal_scale;
	return true;
}

lg_status lg_ellps_area(lg_ctx *ctx, lg_ellps *e, const lg_geom *g,
			double *area_m2)
{
	int type = GEOSGeomTypeId_r(ctx->geos, g);
	double total = 0, a;
	lg_status st;
	*area_m2 = 0;
	if ((type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON) && by_factor(ctx, e, g, area_m2))
		return LG_OK;
	if (type == GEOS_MULTIPOLYGON || type == GEOS_GEOMETRYCOLLECTION) {
		int n = GEOSGetNumGeometries_r(ctx->geos, g);
		for (int i = 0; i < n; i++) {
			st = lg_ellps_area(ctx, e, GEOSGetGeometryN_r(ctx->geos, g, i), &a);
			if (st)
				return st;
			total += a;
		}
	} else if (type == GEOS_POLYGON) {
		int nh = GEOSGetNumInteriorRings_r(ctx->geos, g);
		st = ring_area(ctx, e, GEOSGetExteriorRing_r(ctx->geos, g), &a);
		if (st)
			return st;
		total = a;
		for (int i = 0; i < nh; i++) {
			st = ring_area(ctx, e, GEOSGetInteriorRingN_r(ctx->geos, g, i), &a);
			if (st)
				return st;
			total -= a;
		}
	}
	*area_m2 = total;
	return LG_OK;
}
