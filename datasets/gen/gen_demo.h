/* landguard-gen demo: state shared by the geography (gen_demo_geo.c) and
 * the planted cases (gen_demo_cases.c). Private to the generator. */
#ifndef LG_GEN_DEMO_H
#define LG_GEN_DEMO_H

#include "gen.h"

#define DEMO_MAX_SITES 80
#define DEMO_MAX_PARCELS 80
#define DEMO_MAX_UNITS 16
#define DEMO_MAX_SLOTS 400
#define DEMO_NTOWNS 9
#define DEMO_NVILLAGES 150

typedef struct dpt {
	double x, y;
} dpt;

typedef struct demo_site {
	char dkbh[24];
	char name[64];
	const char *stage;    /* Chinese spelling, CONTRACT.md vocabulary */
	const char *industry; /* Chinese */
	GEOSGeometry *g;      /* NULL: the register row without geometry */
	dpt c;
	int planned_yzlg;     /* plan over it turned to housing (overlay demo) */
} demo_site;

typedef struct demo_parcel {
	const char *id, *name, *orig, *plan; /* 用地用海 2023 codes */
	GEOSGeometry *g;
	dpt c;
	double w, h;
} demo_parcel;

typedef struct demo_unit {
	char id[16];
	const char *name, *industry;
	dpt p;
} demo_unit;

typedef struct demo {
	const gen_demo_opts *o;
	GEOSContextHandle_t h;
	OGRCoordinateTransformationH ll2gk; /* EPSG:4490 -> EPSG:4525 */
	gen_rng rng;
	GEOSGeometry *county, *county_inner; /* inner: 700 m inside the line */
	const GEOSPreparedGeometry *county_p, *inner_p;
	double minx, miny, maxx, maxy;
	dpt seat, kfq;
	dpt town_seed[DEMO_NTOWNS];
	dpt village[DEMO_NVILLAGES];
	int nvillages;
	/* rivers: 0 汾河, 1 浍河, 2 三泉河; [3] is 三泉水库 (no centre line) */
	GEOSGeometry *line[3];
	GEOSGeometry *bed[4], *mgmt[4];
	GEOSGeometry *bed_all;
	const GEOSPreparedGeometry *bed_p, *mgmt_p;
	GEOSGeometry *mgmt_all;
	GEOSGeometry *road[3];
	/* planted objects */
	demo_site sites[DEMO_MAX_SITES];
	int nsites;
	demo_parcel parcels[DEMO_MAX_PARCELS];
	int nparcels;
	demo_unit units[DEMO_MAX_UNITS];
	int nunits;
	dpt slot[DEMO_MAX_SLOTS];
	int nslots, next_slot;
	char fill_id[32][16], fill_name[32][48]; /* filler parcels' strings */
	dpt well_p[16];                          /* well positions */
	FILE *cases; /* cases.csv: what each planted case is meant to show */
} demo;

extern const char *const DEMO_TOWNS[DEMO_NTOWNS];
extern const char *const DEMO_TOWN_CODES[DEMO_NTOWNS];

/* geography */
int demo_ll(demo *d, double lon, double lat, dpt *out);
int demo_town_of(const demo *d, dpt p);
double demo_dist(const dpt a, const dpt b);
GEOSGeometry *demo_rect(demo *d, dpt c, double w, double h, double ang_deg, int hole);
GEOSGeometry *demo_star(demo *d, dpt c, double r, int nv);
GEOSGeometry *demo_point(demo *d, dpt p);
int demo_write_geos(demo *d, OGRLayerH lyr, OGRFeatureH f, const GEOSGeometry *g,
		    const char *path);
int demo_geo_build(demo *d);    /* outline, towns, rivers, roads, villages, slots */
int demo_geo_write(demo *d);    /* county, towns, water */
int demo_landuse_write(demo *d); /* survey, plan, shp_gbk, survey_cm111 */
/* cases */
int demo_cases_build(demo *d);  /* sites, parcels, units (needs geography) */
int demo_cases_write(demo *d);  /* every case layer, ledger, samples, wells ... */
const char *demo_yzlg_class(const char *code);

#endif
