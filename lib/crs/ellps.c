/* Ellipsoidal (椭球面积) areas on the CGCS2000 ellipsoid via geodesic.h. */
#include <geodesic.h>
#include <math.h>
#include <stdlib.h>

#include "lg_internal.h"
#include "landguard/crs.h"

struct lg_ellps {
	struct geod_geodesic g;
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

lg_status lg_ellps_area(lg_ctx *ctx, lg_ellps *e, const lg_geom *g,
			double *area_m2)
{
	int type = GEOSGeomTypeId_r(ctx->geos, g);
	double total = 0, a;
	lg_status st;
	*area_m2 = 0;
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
