/* Private to lib/: geometry building blocks shared by analyses. */
#ifndef LG_GEOM_INT_H
#define LG_GEOM_INT_H

#include "lg_internal.h"

/*
 * River and reservoir bands (lib/geom/bands.c).
 *
 * Each water body is the union of the management-area polygons (or
 * management lines) that share its name.  A point outside every water
 * surface belongs to the band of the water it is nearest to, by its
 * distance to that water: band 0 = [0, inner), band 1 = [inner, outer].
 * So bands of neighbouring waters never overlap and water surfaces are in
 * no band.  Where two waters' outer buffers overlap, "nearest" is decided
 * on a grid of LG__BAND_CELL_M cells (by the cell centre), so the split
 * between two waters is within a cell's half-diagonal of the true midline;
 * which band a point is in never depends on that split.
 */
#define LG__BAND_CELL_M 2.0

typedef struct lg__water {
	char *name;           /* owned */
	GEOSGeometry *geom;   /* union of its features: polygonal or lineal */
	bool areal;           /* polygons (band outside) or lines (both sides) */
	GEOSGeometry *band[2]; /* its share of band 0 and band 1 (polygonal) */
	double band_m2[2];
	const GEOSPreparedGeometry *prep; /* of geom, for distances */
} lg__water;

typedef struct lg__bands {
	size_t nw;
	lg__water *w;           /* sorted by name */
	GEOSGeometry *surface;  /* union of every water area (may be empty) */
	size_t npieces;
	GEOSGeometry **piece;   /* band pieces no larger than piece_m square */
	size_t *piece_water;
	int *piece_band;
} lg__bands;

typedef struct lg__bands_opts {
	double inner_m, outer_m;
	double piece_m; /* edge of the grid the bands are cut on */
	int quad_segs;  /* arc segments per quarter circle of the buffers */
} lg__bands_opts;

/*
 * Builds the bands of `nw` waters (names and geometries in ctx's handle;
 * ownership of names and geometries passes to `out`, also on failure).
 * Release with lg__bands_release().
 */
lg_status lg__bands_build(lg_ctx *ctx, lg__water *w, size_t nw,
			  const lg__bands_opts *o, lg__bands *out);
void lg__bands_release(lg_ctx *ctx, lg__bands *b);

/* Polygonal part of g (consumed); NULL when none.  */
GEOSGeometry *lg__polygonal(GEOSContextHandle_t h, GEOSGeometry *g);

/*
 * The boundary lines a water's stretches are walked along: every ring of
 * an areal water (exterior rings counter-clockwise, holes clockwise, so the
 * band is always on the right), or every merged line of a lineal one.
 * *lines gets *n new LineStrings (destroy each, free the array).
 */
lg_status lg__water_lines(lg_ctx *ctx, const lg__water *w, GEOSGeometry ***lines,
			  size_t *n);
/* Length of a LineString, and the part of it from `from_m` to `to_m`
 * (a new LineString) along it. */
double lg__line_length(GEOSContextHandle_t h, const GEOSGeometry *line);
GEOSGeometry *lg__line_substring(GEOSContextHandle_t h, const GEOSGeometry *line,
				 double from_m, double to_m);

#endif
