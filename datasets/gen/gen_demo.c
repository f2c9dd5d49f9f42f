/* landguard-gen demo: set-up and tear-down around the geography and the
 * cases; the order matters (cases need the rivers, the land-use mosaic
 * needs the cases so that the survey and plan agree with them). */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen_demo.h"

static void geos_msg(const char *fmt, ...)
{
	/* GEOS notices (e.g. self-intersections while clipping) are not
	 * errors for us; failures come back as NULL and are reported. */
	(void)fmt;
}

static void demo_release(demo *d)
{
	GEOSContextHandle_t h = d->h;
	if (!h)
		return;
	for (int k = 0; k < d->nsites; k++)
		if (d->sites[k].g)
			GEOSGeom_destroy_r(h, d->sites[k].g);
	for (int k = 0; k < d->nparcels; k++)
		if (d->parcels[k].g)
			GEOSGeom_destroy_r(h, d->parcels[k].g);
	for (int k = 0; k < 3; k++) {
		if (d->line[k])
			GEOSGeom_destroy_r(h, d->line[k]);
		if (d->road[k])
			GEOSGeom_destroy_r(h, d->road[k]);
	}
	if (d->bed_p)
		GEOSPreparedGeom_destroy_r(h, d->bed_p);
	if (d->mgmt_p)
		GEOSPreparedGeom_destroy_r(h, d->mgmt_p);
	for (int k = 0; k < 4; k++) {
		if (d->bed[k])
			GEOSGeom_destroy_r(h, d->bed[k]);
		if (d->mgmt[k])
			GEOSGeom_destroy_r(h, d->mgmt[k]);
	}
	if (d->bed_all)
		GEOSGeom_destroy_r(h, d->bed_all);
	if (d->mgmt_all)
		GEOSGeom_destroy_r(h, d->mgmt_all);
	if (d->county_p)
		GEOSPreparedGeom_destroy_r(h, d->county_p);
	if (d->inner_p)
		GEOSPreparedGeom_destroy_r(h, d->inner_p);
	if (d->county)
		GEOSGeom_destroy_r(h, d->county);
	if (d->county_inner)
		GEOSGeom_destroy_r(h, d->county_inner);
	if (d->ll2gk)
		OCTDestroyCoordinateTransformation(d->ll2gk);
	GEOS_finish_r(h);
	d->h = NULL;
}

int gen_demo_run(const gen_demo_opts *o)
{
	demo *d = calloc(1, sizeof *d);
	OGRSpatialReferenceH ll = NULL, gk = NULL;
	struct timespec t0, t1;
	int rc = GEN_INTERNAL;
	if (!d) {
		fprintf(stderr, "landguard-gen: out of memory\n");
		return GEN_INTERNAL;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	d->o = o;
	gen_rng_seed(&d->rng, o->seed);
	d->h = GEOS_init_r();
	GEOSContext_setNoticeHandler_r(d->h, geos_msg);
	if (!(ll = gen_srs(4490)) || !(gk = gen_srs(4525)))
		goto done;
	if (!(d->ll2gk = OCTNewCoordinateTransformation(ll, gk))) {
		fprintf(stderr, "landguard-gen: PROJ cannot transform EPSG:4490 to EPSG:4525\n");
		goto done;
	}
	if ((rc = demo_geo_build(d)) || (rc = demo_cases_build(d)) || (rc = demo_geo_write(d)) ||
	    (rc = demo_cases_write(d)) || (rc = demo_landuse_write(d)))
		goto done;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (!o->quiet)
		fprintf(stderr, "landguard-gen: demo county written to %s in %.1f s "
				"(%d sites, %d parcels, %d units)\n",
			o->outdir, (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) * 1e-9,
			d->nsites, d->nparcels, d->nunits);
	rc = GEN_OK;
done:
	demo_release(d);
	if (ll)
		OSRDestroySpatialReference(ll);
	if (gk)
		OSRDestroySpatialReference(gk);
	free(d);
	return rc;
}
