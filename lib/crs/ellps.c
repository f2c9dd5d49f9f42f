/* Ellipsoidal (椭球面积) areas on the CGCS2000 ellipsoid via geodesic.h. */
#include <geodesic.h>
#include <math.h>
#include <stdint.h>
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

/* The areal scale is smooth: it is sampled by PROJ at the corners of a
 * 1 km grid and interpolated bilinearly (error ~ (1 km / R)² ≈ 2.5e-8),
 * so a million parcels cost a few hundred proj_factors calls. */
#define GRID_M 1000.0
#define CACHE_SLOTS 4096

typedef struct corner {
	int64_t ix, iy;
	double scale;
	bool used;
} corner;

struct lg_ellps {
	struct geod_geodesic g;
	PJ *factors; /* the CRS's projection as an operation, or NULL */
	PJ_CONTEXT *pctx;
	corner cache[CACHE_SLOTS];
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

/* Areal scale at a grid corner, from the cache or from PROJ; 0 on failure. */
static double corner_scale(lg_ctx *ctx, lg_ellps *e, int64_t ix, int64_t iy)
{
	uint64_t h = ((uint64_t)ix * 0x9E3779B97F4A7C15ULL) ^ ((uint64_t)iy * 0xC2B2AE3D27D4EB4FULL);
	for (size_t k = 0; k < 16; k++) {
		corner *c = &e->cache[(h + k) & (CACHE_SLOTS - 1)];
		if (c->used && c->ix == ix && c->iy == iy)
			return c->scale;
		if (!c->used || k == 15) {
			double x = (double)ix * GRID_M, y = (double)iy * GRID_M;
			PJ_FACTORS f;
			if (lg_transform_xy(ctx, e->to_geo, &x, &y, 1) != LG_OK)
				return 0;
			f = proj_factors(e->factors, proj_coord(proj_torad(x), proj_torad(y), 0, 0));
			if (proj_context_errno(e->pctx) || !(f.areal_scale > 0.5 && f.areal_scale < 2)) {
				proj_errno_reset(e->factors);
				return 0;
			}
			c->ix = ix;
			c->iy = iy;
			c->scale = f.areal_scale;
			c->used = true;
			return c->scale;
		}
	}
	return 0;
}

/* Planar area divided by the projection's areal scale at the centroid;
 * false when the shortcut does not apply. */
static bool by_factor(lg_ctx *ctx, lg_ellps *e, const lg_geom *g, double *area_m2)
{
	double x0, y0, x1, y1, a, cx, cy;
	GEOSGeometry *c;
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
	if (!ok)
		return false;
	double gx = cx / GRID_M, gy = cy / GRID_M;
	int64_t ix = (int64_t)floor(gx), iy = (int64_t)floor(gy);
	double fx = gx - (double)ix, fy = gy - (double)iy;
	double s00 = corner_scale(ctx, e, ix, iy), s10 = corner_scale(ctx, e, ix + 1, iy);
	double s01 = corner_scale(ctx, e, ix, iy + 1), s11 = corner_scale(ctx, e, ix + 1, iy + 1);
	if (!(s00 > 0 && s10 > 0 && s01 > 0 && s11 > 0))
		return false;
	double scale = s00 * (1 - fx) * (1 - fy) + s10 * fx * (1 - fy) + s01 * (1 - fx) * fy +
		       s11 * fx * fy;
	*area_m2 = a / scale;
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
