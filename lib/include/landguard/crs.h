/**
 * Coordinate reference systems: parsing, guessing, transforms and areas.
 *
 * Every lg_crs is normalised to traditional GIS axis order (x = easting or
 * longitude, y = northing or latitude), whatever the EPSG definition says.
 * Objects are bound to the PROJ context of the lg_ctx that made them: use
 * them from that context's thread only (a worker makes its own copy with
 * lg_crs_clone()).
 */
#ifndef LANDGUARD_CRS_H
#define LANDGUARD_CRS_H

#include "landguard/core.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct GEOSGeom_t lg_geom; /* a GEOSGeometry of the context's handle */

typedef struct lg_crs lg_crs;

/** Parses anything PROJ accepts: "EPSG:4525", WKT, a PROJ string.
 *  LG_INPUT with a message naming `what` (e.g. "--s-srs") when unknown. */
lg_status lg_crs_parse(lg_ctx *ctx, const char *def, const char *what,
		       lg_crs **out);
/** CGCS2000 3-degree Gauss-Kruger CRS of `zone` (25..45), with the zone
 *  prefix on the easting (EPSG:4513+) or without (EPSG:4534+). */
lg_status lg_crs_cgcs2000_gk3(lg_ctx *ctx, int zone, bool prefixed,
			      lg_crs **out);
/** A copy bound to ctx (another thread's context). */
lg_status lg_crs_clone(lg_ctx *ctx, const lg_crs *crs, lg_crs **out);
void lg_crs_destroy(lg_crs *crs);

/** Display name, e.g. "CGCS2000 / 3-degree Gauss-Kruger zone 37". Borrowed. */
const char *lg_crs_name(const lg_crs *crs);
/** "EPSG:4525" style identifier, or "" when none. Borrowed. */
const char *lg_crs_id(const lg_crs *crs);
/** EPSG code, 0 when none is known. */
int lg_crs_epsg(const lg_crs *crs);
/** WKT2 (or WKT1 for GDAL when wkt1 is true). Borrowed. */
const char *lg_crs_wkt(const lg_crs *crs, bool wkt1);
bool lg_crs_is_geographic(const lg_crs *crs);
/** Same CRS (equivalent, ignoring metadata and axis order). */
bool lg_crs_same(const lg_crs *a, const lg_crs *b);
/** Raw PJ* (for lib/ modules only). */
void *lg_crs_pj(const lg_crs *crs);

/**
 * Guesses the CRS of data that declares none, from its extent (CONTRACT.md):
 * zone-prefixed CGCS2000 3-degree GK eastings, else CGCS2000 lon/lat.
 * `how` receives a sentence for the warning. LG_NOCRS when nothing fits.
 */
lg_status lg_crs_guess(lg_ctx *ctx, double minx, double miny, double maxx,
		       double maxy, lg_crs **out, char *how, size_t howlen);
/**
 * Checks that a declared CRS can hold the extent; returns false with a
 * reason in `why` (e.g. GK .prj over values below 1000).
 */
bool lg_crs_plausible(lg_ctx *ctx, const lg_crs *crs, double minx,
		      double miny, double maxx, double maxy, char *why,
		      size_t whylen);
/**
 * The default working CRS for data in `crs` with the given extent: the
 * CGCS2000 3-degree GK zone holding the extent's centre; `crs` itself when
 * it is that zone's CRS (with or without prefix), else the one without.
 */
lg_status lg_crs_work_for(lg_ctx *ctx, const lg_crs *crs, double minx,
			  double miny, double maxx, double maxy,
			  lg_crs **out);

typedef struct lg_transform lg_transform;
/** A transform between two CRSs; identity when they are the same. */
lg_status lg_transform_create(lg_ctx *ctx, const lg_crs *from,
			      const lg_crs *to, lg_transform **out);
void lg_transform_destroy(lg_transform *t);
bool lg_transform_is_identity(const lg_transform *t);
/** In place, n points; LG_INPUT if any point fails (names its index). */
lg_status lg_transform_xy(lg_ctx *ctx, lg_transform *t, double *x, double *y,
			  size_t n);
/** A transformed copy of g (caller destroys with GEOSGeom_destroy_r). */
lg_status lg_transform_geom(lg_ctx *ctx, lg_transform *t, const lg_geom *g,
			    lg_geom **out);

/** 1 亩 = 10000/15 m²; 1 公顷 = 10000 m². */
#define LG_M2_PER_MU (10000.0 / 15.0)
static inline double lg_m2_to_mu(double m2) { return m2 * 15.0 / 10000.0; }
static inline double lg_m2_to_ha(double m2) { return m2 / 10000.0; }

/**
 * Ellipsoidal area on the CGCS2000 (GRS80) ellipsoid, m², of a polygonal
 * geometry in CRS `crs`: vertices go to lon/lat and PROJ's geodesic polygon
 * area (geodesic.h) sums the rings (holes subtracted).  Straight edges in
 * the projection become geodesics; at parcel scale the difference is far
 * below survey precision.  Non-polygonal geometries give 0.
 */
typedef struct lg_ellps lg_ellps;
lg_status lg_ellps_create(lg_ctx *ctx, const lg_crs *crs, lg_ellps **out);
void lg_ellps_destroy(lg_ellps *e);
lg_status lg_ellps_area(lg_ctx *ctx, lg_ellps *e, const lg_geom *g,
			double *area_m2);

#ifdef __cplusplus
}
#endif
#endif
