/* Private to lib/analysis: the parcel context of `check`, built once by
 * check_ctx.c and read by the rule functions of rules.c. */
#ifndef LG_CHECK_CTX_H
#define LG_CHECK_CTX_H

#include "analysis/check_int.h"
#include "landguard/overlay.h"

/* YZ-06: a parcel exactly at --near counts as near; a micrometre of slack
 * absorbs floating-point noise in the distance. */
#define LG_NEAR_TOL_M 1e-6

typedef struct site_info {
	char id[128];
	char industry[128];
	lg_stage stage;
	const lg_geom *geom; /* NULL: none or empty */
	size_t feat;
} site_info;

/* A register site overlapping or near a parcel. */
typedef struct hit {
	size_t site;
	double overlap_m2;
	double dist_m;   /* 0 when they touch or overlap */
	bool overlaps;   /* overlap above --min-area */
} hit;

typedef struct parcel {
	size_t feat;
	char id[128];
	const lg_geom *geom; /* borrowed; NULL when none */
	double area_m2;
	char orig_code[64], plan_code[64];
	lg_landuse_info orig, plan;
	bool orig_known, plan_known;
	bool plan_overlay;   /* planned use came from --plan */
	double plan_share;   /* its share of the parcel's area */
	bool plan_fallback;  /* --plan covers none of it: planned use from plan_code */
	/* the parcel's own planned-use field, kept when --plan decides */
	char attr_code[64];
	lg_landuse_info attr;
	bool attr_known;
	hit *hits;
	size_t nhits, caphits;
	const lg_event *ev;  /* borrowed from the ledger; by date */
	size_t nev;
	size_t *samples, nsamples; /* feature indexes in the samples layer */
	size_t *units, nunits;
	const lg_event *supply; /* --period: the supply event in the period */
	bool checked;        /* rules run on it (all, or supplied in the period) */
} parcel;

typedef struct lg_check_ctx {
	lg_ctx *ctx;
	const lg_check_inputs *in;
	const lg_check_opts *o;
	const lg_check_tables *t;
	lg_check_summary *sum;
	parcel *parcels;
	size_t nparcels;
	site_info *sites;
	size_t nsites;
	double near_m, min_m2;
	/* labels for evidence: "sites.gpkg", "sites.gpkg#units" */
	char parcels_file[256], sites_file[256], samples_file[256], units_file[256],
		county_file[256], plan_file[256], county_name[256];
	const lg_soil_item **sample_item; /* per samples field; NULL = not an item */
	lg_labvalue *sample_val;          /* [feature * nfields + field] */
	int sample_id_f, unit_id_f;
} lg_check_ctx;

const char *lg__base(const char *path);
lg_status lg__check_ctx_init(lg_check_ctx *c, lg_ctx *ctx, const lg_check_inputs *in,
			     const lg_check_opts *o, lg_check_summary *sum);
void lg__check_ctx_release(lg_check_ctx *c);

#endif
