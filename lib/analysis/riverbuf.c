/* riverbuf: bands outside management lines, their occupation and the
 * clear width per stretch of bank (see landguard/riverbuf.h). */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "geom/geom_int.h"
#include "landguard/overlay.h"
#include "landguard/riverbuf.h"

enum { R_PARCEL_ID, R_PARCEL_CODE, R_USE_CLASS, R_CONSTRUCTION, R_BAND, R_WATER, R_OVERLAP,
       R_MIN_DIST, R_CONFLICT, R__COUNT };

static const lg_field row_fields[R__COUNT] = {
	{"parcel_id", LG_FT_STRING, 0}, {"parcel_code", LG_FT_STRING, 0},
	{"use_class", LG_FT_STRING, 0}, {"construction", LG_FT_INT, 0},
	{"band", LG_FT_STRING, 0},	{"water_name", LG_FT_STRING, 0},
	{"overlap_m2", LG_FT_REAL, 0},	{"min_dist_m", LG_FT_REAL, 0},
	{"conflict", LG_FT_INT, 0},
};

enum { S_WATER, S_SEG_NO, S_FROM, S_TO, S_ACHIEVED, S_MEETS, S_BUILT, S__COUNT };

static const lg_field seg_fields[S__COUNT] = {
	{"water_name", LG_FT_STRING, 0}, {"seg_no", LG_FT_INT, 0},
	{"from_m", LG_FT_REAL, 0},	 {"to_m", LG_FT_REAL, 0},
	{"achieved_m", LG_FT_REAL, 0},	 {"meets_min", LG_FT_INT, 0},
	{"built_share", LG_FT_REAL, 0},
};

/* Fixed decimals keep outputs byte-stable and readable. */
static double round_to(double v, double unit)
{
	return round(v / unit) * unit;
}

const char *lg_riverbuf_band_label(const lg_riverbuf_opts *o, int band, char *buf, size_t n)
{
	double inner = o->inner_m > 0 ? o->inner_m : 30, outer = o->outer_m > 0 ? o->outer_m : 50;
	if (band == 0)
		snprintf(buf, n, "0-%g", inner);
	else
		snprintf(buf, n, "%g-%g", inner, outer);
	return buf;
}

void lg_riverbuf_summary_release(lg_riverbuf_summary *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nwaters; i++)
		free(s->waters[i].name);
	free(s->waters);
	s->waters = NULL;
	s->nwaters = 0;
}

/* LANDGUARD_TIMING=1: phase times on stderr for bench/ (as overlay). */
static double lap(const char *name, double t0)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double t = ts.tv_sec + ts.tv_nsec / 1e9;
	if (name && getenv("LANDGUARD_TIMING"))
		fprintf(stderr, "timing:   %-12s %.3f s\n", name, t - t0);
	return t;
}

/* --- waters from the boundary layer --- */

typedef struct feat_ref {
	const char *name;
	size_t feat;
} feat_ref;

static int cmp_feat_ref(const void *a, const void *b)
{
	const feat_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->feat < y->feat ? -1 : x->feat > y->feat);
}

static lg_status make_waters(lg_ctx *ctx, const lg_layer *bl, lg__water **out, size_t *nout)
{
	GEOSContextHandle_t h = ctx->geos;
	const char *src = bl->path ? bl->path : bl->name;
	int nf = bl->role[LG_ROLE_NAME];
	feat_ref *refs = lg__calloc(ctx, bl->n + 1, sizeof *refs);
	char **names = lg__calloc(ctx, bl->n + 1, sizeof *names);
	lg__water *w = lg__calloc(ctx, bl->n + 1, sizeof *w);
	GEOSGeometry **parts = lg__calloc(ctx, bl->n + 1, sizeof *parts);
	size_t nr = 0, nw = 0;
	lg_status st = LG_OK;

	*out = NULL;
	*nout = 0;
	if (!refs || !names || !w || !parts) {
		st = LG_NOMEM;
		goto done;
	}
	if (nf < 0)
		lg_ctx_warn(ctx, "'%s' has no name field (name, DKMC ...); each feature is its own "
			    "water named '#FID'; name the field with --boundary-name-field", src);
	for (size_t i = 0; i < bl->n; i++) {
		const lg_feature *f = &bl->feat[i];
		char buf[32];
		const char *nm = nf >= 0 ? lg_feature_text(bl, f, nf) : "";
		if (!f->geom || GEOSisEmpty_r(h, f->geom) == 1)
			continue;
		int t = GEOSGeomTypeId_r(h, f->geom);
		if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON && t != GEOS_LINESTRING &&
		    t != GEOS_MULTILINESTRING && t != GEOS_LINEARRING) {
			char *tn = GEOSGeomType_r(h, f->geom); /* ours to free */
			st = lg_ctx_error(ctx, LG_GEOM,
					  "'%s' feature %lld is a %s; the boundary must hold "
					  "management-area polygons or management lines",
					  src, (long long)f->fid, tn ? tn : "geometry");
			GEOSFree_r(h, tn);
			goto done;
		}
		if (!*nm) {
			snprintf(buf, sizeof buf, "#%lld", (long long)f->fid);
			nm = buf;
		}
		names[i] = lg__strdup(ctx, nm);
		if (!names[i]) {
			st = LG_NOMEM;
			goto done;
		}
		refs[nr].name = names[i];
		refs[nr++].feat = i;
	}
	lg__qsort(refs, nr, sizeof *refs, cmp_feat_ref);
	for (size_t a = 0; a < nr;) {
		size_t b = a, np = 0;
		int areal = 0, lineal = 0;
		while (b < nr && !strcmp(refs[b].name, refs[a].name))
			b++;
		for (size_t k = a; k < b; k++) {
			const GEOSGeometry *g = bl->feat[refs[k].feat].geom;
			int t = GEOSGeomTypeId_r(h, g);
			if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
				areal++;
			else
				lineal++;
			parts[np++] = GEOSGeom_clone_r(h, g);
		}
		if (areal && lineal) {
			for (size_t k = 0; k < np; k++)
				GEOSGeom_destroy_r(h, parts[k]);
			st = lg_ctx_error(ctx, LG_GEOM,
					  "'%s': water '%s' has both polygons and lines; give "
					  "management areas and management lines as separate waters "
					  "(different names) or separate runs",
					  src, refs[a].name);
			goto done;
		}
		/* One feature keeps its own vertex order, so stretches start at
		 * its first vertex; several are merged into one outline. */
		GEOSGeometry *c = NULL, *u = parts[0];
		if (np > 1) {
			c = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts,
							(unsigned)np);
			u = c ? GEOSUnaryUnion_r(h, c) : NULL;
			if (c)
				GEOSGeom_destroy_r(h, c);
		}
		if (!u) {
			st = lg_ctx_error(ctx, LG_GEOM, "'%s': cannot merge the features of water '%s' "
					  "(%s); check their geometries", src, refs[a].name,
					  ctx->geos_msg);
			goto done;
		}
		w[nw].name = lg__strdup(ctx, refs[a].name);
		w[nw].geom = areal ? lg__polygonal(h, u) : u;
		w[nw].areal = areal > 0;
		if (!w[nw].name || !w[nw].geom) {
			bool oom = !w[nw].name;
			if (w[nw].geom)
				GEOSGeom_destroy_r(h, w[nw].geom);
			free(w[nw].name);
			w[nw].name = NULL;
			w[nw].geom = NULL;
			if (oom) {
				st = LG_NOMEM;
				goto done;
			}
			a = b; /* areas that union to nothing */
			continue;
		}
		nw++;
		a = b;
	}
done:
	for (size_t i = 0; i < bl->n && names; i++)
		free(names[i]);
	free(names);
	free(refs);
	free(parts);
	if (st) {
		for (size_t i = 0; i < nw; i++) {
			free(w[i].name);
			GEOSGeom_destroy_r(h, w[i].geom);
		}
		free(w);
		return st;
	}
	*out = w;
	*nout = nw;
	return LG_OK;
}

/* --- land-use classes of the codes the pairs carry (as overlay does) --- */

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

typedef struct classes {
	char **codes;
	lg_landuse_info *info;
	bool *known;
	size_t n;
} classes;

static lg_status classify(lg_ctx *ctx, const lg_pairs *pairs, const lg_layer *ps,
			  const lg_landuse *lu, classes *c, lg_riverbuf_summary *sum)
{
	size_t n = 0;
	memset(c, 0, sizeof *c);
	c->codes = lg__calloc(ctx, pairs->n + 1, sizeof *c->codes);
	if (!c->codes)
		return LG_NOMEM;
	for (size_t i = 0; i < pairs->n; i++)
		if (*pairs->v[i].code)
			c->codes[n++] = pairs->v[i].code;
	lg__qsort(c->codes, n, sizeof *c->codes, cmp_cstr);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (!u || strcmp(c->codes[u - 1], c->codes[i]))
			c->codes[u++] = c->codes[i];
	c->n = u;
	size_t unk_sys = 0;
	lg_landuse_detect(lu, (const char *const *)c->codes, c->n, &sum->code_system, &unk_sys);
	{
		/* The field's name beats a guess from few codes. */
		int cf = ps->role[LG_ROLE_CODE];
		const char *hint = cf >= 0 ? lg_landuse_system_hint(ps->fields[cf].name) : NULL;
		if (hint)
			sum->code_system = hint;
	}
	c->info = lg__calloc(ctx, c->n + 1, sizeof *c->info);
	c->known = lg__calloc(ctx, c->n + 1, sizeof *c->known);
	if (!c->info || !c->known)
		return LG_NOMEM;
	lg_buf unk;
	lg_buf_init(&unk);
	for (size_t i = 0; i < c->n; i++) {
		c->known[i] = lg_landuse_lookup(lu, c->codes[i], sum->code_system, &c->info[i]) ||
			      lg_landuse_lookup(lu, c->codes[i], NULL, &c->info[i]);
		if (!c->known[i]) {
			if (sum->unknown_codes < 10)
				lg_buf_printf(&unk, "%s'%s'", sum->unknown_codes ? ", " : "",
					      c->codes[i]);
			sum->unknown_codes++;
		}
	}
	if (sum->unknown_codes)
		lg_ctx_warn(ctx,
			    "%zu land-use code%s in the bands %s not in any land-use table (%s%s): "
			    "their use_class is 'unknown' and they never count as construction "
			    "land; fix the codes or add them with --landuse-table",
			    sum->unknown_codes, sum->unknown_codes == 1 ? "" : "s",
			    sum->unknown_codes == 1 ? "is" : "are", unk.s ? unk.s : "",
			    sum->unknown_codes > 10 ? ", ..." : "");
	lg_buf_release(&unk);
	return LG_OK;
}

static void classes_release(classes *c)
{
	free(c->codes);
	free(c->info);
	free(c->known);
	memset(c, 0, sizeof *c);
}

static bool class_of(const classes *c, const char *code, lg_landuse_info *li)
{
	memset(li, 0, sizeof *li);
	li->cls = LG_USE_UNKNOWN;
	if (!*code)
		return false;
	char *const *hit = bsearch(&code, c->codes, c->n, sizeof *c->codes, cmp_cstr);
	if (!hit || !c->known[hit - c->codes])
		return false;
	*li = c->info[hit - c->codes];
	return true;
}

/* --- pairs → rows --- */

typedef struct part {
	int64_t fid;
	size_t pair;
	size_t piece;
	size_t water;
	int band;
	GEOSGeometry *g; /* the overlap, in ctx's handle */
	double dist_m;
	bool construction;
} part;

static int cmp_part_group(const void *a, const void *b)
{
	const part *x = a, *y = b;
	if (x->fid != y->fid)
		return x->fid < y->fid ? -1 : 1;
	if (x->band != y->band)
		return x->band - y->band;
	if (x->water != y->water)
		return x->water < y->water ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

typedef struct group {
	size_t first, n; /* range in the sorted parts */
	const char *id;
} group;

static int cmp_group(const void *a, const void *b)
{
	const group *x = a, *y = b;
	int c = lg_id_cmp(x->id, y->id);
	if (c)
		return c;
	/* same id: the order of the parts (fid, band, water) */
	return x->first < y->first ? -1 : x->first > y->first;
}

/* The rows from the parts (one per pair: its water, band, distance to the
 * water and geometry): grouped by (parcel, band, water), ordered by parcel
 * id, with the row totals added to sum (sum->waters already named).  The
 * local engine and the PostGIS push-down (lg_riverbuf_from_pairs) share it,
 * so both give the same table from the same parts. */
static lg_status build_rows(lg_ctx *ctx, const lg_pairs *pairs, part *parts,
			    const classes *cls, const lg_riverbuf_opts *opts, const lg_crs *work,
			    lg_riverbuf_summary *sum, lg_layer **rows_out)
{
	GEOSContextHandle_t h = ctx->geos;
	const lg_riverbuf_opts o = *opts;
	group *groups = NULL;
	size_t ngroups = 0;
	lg_layer *rows = NULL;
	lg_status st = LG_OK;

	*rows_out = NULL;
	groups = lg__calloc(ctx, pairs->n + 1, sizeof *groups);
	if (!groups)
		return LG_NOMEM;
	/* Group by (fid, band, water); then order groups by parcel id. */
	{
		part *sorted = lg__calloc(ctx, pairs->n + 1, sizeof *sorted);
		if (!sorted) {
			st = LG_NOMEM;
			goto out;
		}
		memcpy(sorted, parts, pairs->n * sizeof *parts);
		lg__qsort(sorted, pairs->n, sizeof *sorted, cmp_part_group);
		for (size_t a = 0; a < pairs->n;) {
			size_t b = a + 1;
			while (b < pairs->n && sorted[b].fid == sorted[a].fid &&
			       sorted[b].band == sorted[a].band && sorted[b].water == sorted[a].water)
				b++;
			groups[ngroups].first = a;
			groups[ngroups].n = b - a;
			groups[ngroups].id = pairs->v[sorted[a].pair].id;
			ngroups++;
			a = b;
		}
		lg__qsort(groups, ngroups, sizeof *groups, cmp_group);
		st = lg_layer_create(ctx, "riverbuf", row_fields, R__COUNT, &rows);
		if (!st)
			st = lg_crs_clone(ctx, work, &rows->crs);
		if (st) {
			free(sorted);
			goto out;
		}
		rows->geom_type = 6;
		rows->role[LG_ROLE_ID] = R_PARCEL_ID;
		rows->role[LG_ROLE_CODE] = R_PARCEL_CODE;
		int64_t last_fid = INT64_MIN, last_cfid = INT64_MIN;
		for (size_t gi = 0; gi < ngroups && !st; gi++) {
			const group *gr = &groups[gi];
			const part *p0 = &sorted[gr->first];
			const lg_pair *pr = &pairs->v[p0->pair];
			double area = 0, dist = INFINITY;
			GEOSGeometry *geom = NULL;
			for (size_t k = 0; k < gr->n; k++) {
				const lg_pair *pk = &pairs->v[sorted[gr->first + k].pair];
				area += pk->area_m2;
				if (sorted[gr->first + k].dist_m < dist)
					dist = sorted[gr->first + k].dist_m;
			}
			if (area <= o.min_area_m2)
				continue;
			if (gr->n == 1) {
				geom = GEOSGeom_clone_r(h, p0->g);
			} else {
				GEOSGeometry **gs = malloc(gr->n * sizeof *gs);
				if (!gs) {
					st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
					break;
				}
				for (size_t k = 0; k < gr->n; k++)
					gs[k] = GEOSGeom_clone_r(h, sorted[gr->first + k].g);
				GEOSGeometry *c = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION,
									      gs, (unsigned)gr->n);
				free(gs);
				geom = c ? lg__polygonal(h, GEOSUnaryUnion_r(h, c)) : NULL;
				if (c)
					GEOSGeom_destroy_r(h, c);
			}
			lg_landuse_info li;
			bool known = class_of(cls, pr->code, &li);
			bool cons = known && li.construction;
			char band[64];
			lg_feature *f;
			lg_riverbuf_water *ws = &sum->waters[p0->water];
			if ((st = lg_layer_add(ctx, rows, &f)) ||
			    (st = lg_feature_set_str(ctx, rows, f, R_PARCEL_ID, pr->id)) ||
			    (st = lg_feature_set_str(ctx, rows, f, R_PARCEL_CODE, pr->code)) ||
			    (st = lg_feature_set_str(ctx, rows, f, R_USE_CLASS,
						     lg_use_class_name(known ? li.cls : LG_USE_UNKNOWN))) ||
			    (st = lg_feature_set_str(ctx, rows, f, R_BAND,
						     lg_riverbuf_band_label(&o, p0->band, band, sizeof band))) ||
			    (st = lg_feature_set_str(ctx, rows, f, R_WATER, sum->waters[p0->water].name))) {
				if (geom)
					GEOSGeom_destroy_r(h, geom);
				break;
			}
			lg_feature_set_int(rows, f, R_CONSTRUCTION, cons);
			lg_feature_set_real(rows, f, R_OVERLAP, round_to(area, 1e-4));
			lg_feature_set_real(rows, f, R_MIN_DIST, round_to(dist, 1e-3));
			lg_feature_set_int(rows, f, R_CONFLICT, cons);
			if (geom)
				lg_feature_set_geom(ctx, f, geom);
			sum->rows++;
			ws->rows++;
			ws->occupied_m2[p0->band] += area;
			sum->occupied_m2[p0->band] += area;
			if (pr->fid != last_fid) {
				sum->parcels_in_bands++;
				last_fid = pr->fid;
			}
			if (cons) {
				sum->conflict_rows++;
				ws->conflict_rows++;
				ws->conflict_m2[p0->band] += area;
				sum->conflict_m2[p0->band] += area;
				if (pr->fid != last_cfid) {
					sum->conflict_parcels++;
					last_cfid = pr->fid;
				}
			}
		}
		free(sorted);
		if (st)
			goto out;
	}
	lg_layer_update_extent(ctx, rows);
	*rows_out = rows;
	rows = NULL;
out:
	free(groups);
	lg_layer_destroy(ctx, rows);
	return st;
}

/* --- stretches --- */

typedef struct seg_ctx {
	lg_ctx *ctx;
	const lg__bands *b;
	const lg_riverbuf_opts *o;
	GEOSSTRtree *tree;
	size_t *cand;
	size_t ncand, capcand;
	/* construction parts per piece: CSR over pieces */
	size_t *cons_off;
	size_t *cons_part;
	const part *parts;
	GEOSBufferParams *side;
	GEOSBufferParams *both;
} seg_ctx;

static void seg_collect(void *item, void *ud)
{
	seg_ctx *s = ud;
	if (s->ncand == s->capcand) {
		size_t cap = s->capcand ? s->capcand * 2 : 64;
		size_t *c = realloc(s->cand, cap * sizeof *c);
		if (!c)
			return;
		s->cand = c;
		s->capcand = cap;
	}
	s->cand[s->ncand++] = (size_t)(uintptr_t)item - 1;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* One stretch: clear width, built share, whether it faces any band. */
static lg_status stretch_measure(seg_ctx *s, size_t wi, const GEOSGeometry *stretch,
				 double *achieved, double *built_share, bool *faces)
{
	lg_ctx *ctx = s->ctx;
	GEOSContextHandle_t h = ctx->geos;
	const lg__water *w = &s->b->w[wi];
	double outer = s->o->outer_m;
	double inner_area = 0, built = 0, dmin = INFINITY;
	/* Areas: the band lies on the right of every ring (exterior rings
	 * counter-clockwise); a negative distance buffers the right side. */
	GEOSGeometry *F = w->areal ? GEOSBufferWithParams_r(h, stretch, s->side, -outer)
				   : GEOSBufferWithParams_r(h, stretch, s->both, outer);
	*faces = false;
	*achieved = outer;
	*built_share = 0;
	if (!F)
		return lg_ctx_error(ctx, LG_GEOM, "cannot buffer a stretch of '%s' (%s)", w->name,
				    ctx->geos_msg);
	s->ncand = 0;
	GEOSSTRtree_query_r(h, s->tree, F, seg_collect, s);
	if (s->ncand > 1)
		lg__qsort(s->cand, s->ncand, sizeof *s->cand, cmp_size);
	/* Most stretches face no construction land: settle them with
	 * prepared predicates, without computing any intersection. */
	const GEOSPreparedGeometry *pf = GEOSPrepare_r(h, F);
	bool any_cons = false;
	size_t nhit = 0;
	if (!pf) {
		GEOSGeom_destroy_r(h, F);
		return lg_ctx_error(ctx, LG_GEOM, "cannot prepare a stretch of '%s' (%s)", w->name,
				    ctx->geos_msg);
	}
	for (size_t k = 0; k < s->ncand; k++) {
		size_t p = s->cand[k];
		if (s->b->piece_water[p] != wi || GEOSPreparedIntersects_r(h, pf, s->b->piece[p]) != 1)
			continue;
		s->cand[nhit++] = p;
		for (size_t c = s->cons_off[p]; c < s->cons_off[p + 1] && !any_cons; c++)
			any_cons = GEOSPreparedIntersects_r(h, pf, s->parts[s->cons_part[c]].g) == 1;
	}
	*faces = nhit > 0;
	if (!any_cons) {
		GEOSPreparedGeom_destroy_r(h, pf);
		GEOSGeom_destroy_r(h, F);
		return LG_OK;
	}
	double fe[4];
	GEOSGeom_getXMin_r(h, F, &fe[0]);
	GEOSGeom_getYMin_r(h, F, &fe[1]);
	GEOSGeom_getXMax_r(h, F, &fe[2]);
	GEOSGeom_getYMax_r(h, F, &fe[3]);
	for (size_t k = 0; k < nhit; k++) {
		size_t p = s->cand[k];
		bool in0 = s->b->piece_band[p] == 0;
		if (in0) {
			/* the piece cut to the stretch's box first: the overlay
			 * then works on a few dozen vertices */
			GEOSGeometry *cp = GEOSClipByRect_r(h, s->b->piece[p], fe[0] - 1, fe[1] - 1,
							    fe[2] + 1, fe[3] + 1);
			GEOSGeometry *Fp = cp ? lg__polygonal(h, GEOSIntersection_r(h, F, cp)) : NULL;
			double a = 0;
			if (cp)
				GEOSGeom_destroy_r(h, cp);
			if (Fp) {
				GEOSArea_r(h, Fp, &a);
				GEOSGeom_destroy_r(h, Fp);
			}
			inner_area += a;
		}
		/* parts lie inside their piece: F ∩ part is the facing part */
		for (size_t c = s->cons_off[p]; c < s->cons_off[p + 1]; c++) {
			const GEOSGeometry *cg = s->parts[s->cons_part[c]].g;
			if (GEOSPreparedIntersects_r(h, pf, cg) != 1)
				continue;
			GEOSGeometry *x = lg__polygonal(h, GEOSIntersection_r(h, F, cg));
			if (!x)
				continue;
			double xa = 0, d = 0;
			GEOSArea_r(h, x, &xa);
			/* a shared edge or a sliver is not an occupation */
			if (xa > s->o->min_area_m2 && GEOSDistance_r(h, stretch, x, &d)) {
				if (d < dmin)
					dmin = d;
				if (in0)
					built += xa;
			}
			GEOSGeom_destroy_r(h, x);
		}
	}
	GEOSPreparedGeom_destroy_r(h, pf);
	GEOSGeom_destroy_r(h, F);
	if (dmin < outer)
		*achieved = dmin;
	*built_share = inner_area > 0 ? built / inner_area : 0;
	return LG_OK;
}

/* One stretch's result, as plain data (it crosses threads). */
typedef struct seg_res {
	size_t water;
	int64_t seg_no;
	double from_m, to_m, achieved_m, share;
	bool meets;
	unsigned char *wkb; /* the stretch (ISO WKB, malloc) when wanted */
	size_t wkb_len;
} seg_res;

typedef struct seg_out {
	seg_res *v;
	size_t n, cap;
	double *bank_m, *meets_m;      /* per water */
	size_t *nstr, *nmeet;          /* per water */
} seg_out;

static void seg_out_release(seg_out *o)
{
	for (size_t i = 0; i < o->n; i++)
		free(o->v[i].wkb);
	free(o->v);
	free(o->bank_m);
	free(o->meets_m);
	free(o->nstr);
	free(o->nmeet);
	memset(o, 0, sizeof *o);
}

static lg_status stretches(lg_ctx *ctx, const lg__bands *b, const lg_riverbuf_opts *o,
			   const part *parts, size_t nparts, bool keep_geom, seg_out *out)
{
	GEOSContextHandle_t h = ctx->geos;
	seg_ctx s = {0};
	lg_status st = LG_OK;
	GEOSGeometry **lines = NULL;
	size_t nlines = 0;
	GEOSWKBWriter *wr = NULL;

	s.ctx = ctx;
	s.b = b;
	s.o = o;
	s.parts = parts;
	s.tree = GEOSSTRtree_create_r(h, 10);
	s.cons_off = lg__calloc(ctx, b->npieces + 2, sizeof *s.cons_off);
	s.cons_part = lg__calloc(ctx, nparts + 1, sizeof *s.cons_part);
	s.side = GEOSBufferParams_create_r(h);
	s.both = GEOSBufferParams_create_r(h);
	wr = GEOSWKBWriter_create_r(h);
	out->bank_m = calloc(b->nw + 1, sizeof *out->bank_m);
	out->meets_m = calloc(b->nw + 1, sizeof *out->meets_m);
	out->nstr = calloc(b->nw + 1, sizeof *out->nstr);
	out->nmeet = calloc(b->nw + 1, sizeof *out->nmeet);
	if (!s.tree || !s.cons_off || !s.cons_part || !s.side || !s.both || !wr ||
	    !out->bank_m || !out->meets_m || !out->nstr || !out->nmeet) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	GEOSBufferParams_setEndCapStyle_r(h, s.side, GEOSBUF_CAP_FLAT);
	GEOSBufferParams_setJoinStyle_r(h, s.side, GEOSBUF_JOIN_ROUND);
	GEOSBufferParams_setQuadrantSegments_r(h, s.side, o->quad_segs);
	GEOSBufferParams_setSingleSided_r(h, s.side, 1);
	GEOSBufferParams_setEndCapStyle_r(h, s.both, GEOSBUF_CAP_FLAT);
	GEOSBufferParams_setJoinStyle_r(h, s.both, GEOSBUF_JOIN_ROUND);
	GEOSBufferParams_setQuadrantSegments_r(h, s.both, o->quad_segs);
	for (size_t p = 0; p < b->npieces; p++)
		GEOSSTRtree_insert_r(h, s.tree, b->piece[p], (void *)(uintptr_t)(p + 1));
	/* construction parts grouped by piece (CSR), in part order */
	for (size_t k = 0; k < nparts; k++)
		if (parts[k].construction)
			s.cons_off[parts[k].piece + 1]++;
	for (size_t p = 0; p < b->npieces; p++)
		s.cons_off[p + 1] += s.cons_off[p];
	{
		size_t *fill = lg__calloc(ctx, b->npieces + 1, sizeof *fill);
		if (!fill) {
			st = LG_NOMEM;
			goto done;
		}
		for (size_t k = 0; k < nparts; k++)
			if (parts[k].construction) {
				size_t p = parts[k].piece;
				s.cons_part[s.cons_off[p] + fill[p]++] = k;
			}
		free(fill);
	}
	for (size_t wi = 0; wi < b->nw && !st; wi++) {
		double base = 0;
		int64_t seg_no = 0;
		st = lg__water_lines(ctx, &b->w[wi], &lines, &nlines);
		if (st)
			goto done;
		for (size_t li = 0; li < nlines && !st; li++) {
			double len = lg__line_length(h, lines[li]);
			size_t nseg = (size_t)ceil(len / o->segment_m - 1e-9);
			for (size_t k = 0; k < nseg && !st; k++) {
				double from = (double)k * o->segment_m;
				double to = fmin(len, (double)(k + 1) * o->segment_m);
				seg_no++;
				if (to - from < 1e-6)
					continue;
				GEOSGeometry *str = lg__line_substring(h, lines[li], from, to);
				double achieved, share;
				bool faces;
				if (!str) {
					st = lg_ctx_error(ctx, LG_INTERNAL, "cannot cut a stretch of '%s'",
							  b->w[wi].name);
					break;
				}
				st = stretch_measure(&s, wi, str, &achieved, &share, &faces);
				if (st || !faces) {
					GEOSGeom_destroy_r(h, str);
					continue;
				}
				achieved = round_to(achieved, 1e-3);
				bool meets = achieved >= o->inner_m;
				out->nstr[wi]++;
				out->bank_m[wi] += to - from;
				if (meets) {
					out->nmeet[wi]++;
					out->meets_m[wi] += to - from;
				}
				if (lg__grow(ctx, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v)) {
					GEOSGeom_destroy_r(h, str);
					st = LG_NOMEM;
					break;
				}
				seg_res *r = &out->v[out->n++];
				memset(r, 0, sizeof *r);
				r->water = wi;
				r->seg_no = seg_no;
				r->from_m = round_to(base + from, 1e-3);
				r->to_m = round_to(base + to, 1e-3);
				r->achieved_m = achieved;
				r->meets = meets;
				r->share = round_to(share, 1e-6);
				if (keep_geom) {
					size_t n = 0;
					unsigned char *w = GEOSWKBWriter_write_r(h, wr, str, &n);
					r->wkb = w ? malloc(n) : NULL;
					if (r->wkb) {
						memcpy(r->wkb, w, n);
						r->wkb_len = n;
					}
					if (w)
						GEOSFree_r(h, w);
					if (!r->wkb)
						st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
				}
				GEOSGeom_destroy_r(h, str);
			}
			base += len;
		}
		for (size_t li = 0; li < nlines; li++)
			GEOSGeom_destroy_r(h, lines[li]);
		free(lines);
		lines = NULL;
		nlines = 0;
	}
done:
	for (size_t li = 0; li < nlines; li++)
		GEOSGeom_destroy_r(h, lines[li]);
	free(lines);
	if (wr)
		GEOSWKBWriter_destroy_r(h, wr);
	if (s.tree)
		GEOSSTRtree_destroy_r(h, s.tree);
	if (s.side)
		GEOSBufferParams_destroy_r(h, s.side);
	if (s.both)
		GEOSBufferParams_destroy_r(h, s.both);
	free(s.cons_off);
	free(s.cons_part);
	free(s.cand);
	return st;
}

/*
 * The stretch table runs on its own thread while the calling thread
 * turns pairs into rows: it needs only the bands and the construction
 * parts, which it copies into its own GEOS handle through WKB.
 */
typedef struct seg_job {
	lg_ctx *parent;
	lg_ctx *ctx; /* the worker's */
	const lg_riverbuf_opts *o;
	/* inputs, read-only, owned by the caller */
	size_t nw;
	const char *const *names;
	const bool *areal;
	unsigned char **water_wkb;
	size_t *water_len;
	size_t npieces;
	unsigned char **piece_wkb;
	size_t *piece_len;
	const size_t *piece_water;
	const int *piece_band;
	size_t ncons;
	const lg_pair *const *cons; /* construction pairs (their WKB) */
	bool keep_geom;
	/* output */
	seg_out out;
	lg_status st;
} seg_job;

static void *seg_job_run(void *arg)
{
	seg_job *j = arg;
	lg__bands b = {0};
	part *parts = NULL;
	GEOSWKBReader *rd = NULL;
	GEOSContextHandle_t h;
	lg_status st = LG_OK;

	h = j->ctx->geos;
	rd = GEOSWKBReader_create_r(h);
	b.nw = j->nw;
	b.w = calloc(j->nw + 1, sizeof *b.w);
	b.npieces = 0;
	b.piece = calloc(j->npieces + 1, sizeof *b.piece);
	b.piece_water = calloc(j->npieces + 1, sizeof *b.piece_water);
	b.piece_band = calloc(j->npieces + 1, sizeof *b.piece_band);
	parts = calloc(j->ncons + 1, sizeof *parts);
	if (!rd || !b.w || !b.piece || !b.piece_water || !b.piece_band || !parts) {
		st = lg_ctx_error(j->ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < j->nw; i++) {
		b.w[i].name = strdup(j->names[i]);
		b.w[i].areal = j->areal[i];
		b.w[i].geom = GEOSWKBReader_read_r(h, rd, j->water_wkb[i], j->water_len[i]);
		if (!b.w[i].name || !b.w[i].geom) {
			st = lg_ctx_error(j->ctx, LG_INTERNAL, "cannot copy water '%s'", j->names[i]);
			goto done;
		}
	}
	for (size_t p = 0; p < j->npieces; p++) {
		b.piece[p] = GEOSWKBReader_read_r(h, rd, j->piece_wkb[p], j->piece_len[p]);
		if (!b.piece[p]) {
			st = lg_ctx_error(j->ctx, LG_INTERNAL, "cannot copy band piece %zu", p + 1);
			goto done;
		}
		b.npieces++;
		b.piece_water[p] = j->piece_water[p];
		b.piece_band[p] = j->piece_band[p];
	}
	for (size_t k = 0; k < j->ncons; k++) {
		const lg_pair *pr = j->cons[k];
		parts[k].piece = pr->probe;
		parts[k].water = j->piece_water[pr->probe];
		parts[k].band = j->piece_band[pr->probe];
		parts[k].construction = true;
		parts[k].g = GEOSWKBReader_read_r(h, rd, pr->wkb, pr->wkb_len);
		if (!parts[k].g) {
			st = lg_ctx_error(j->ctx, LG_INTERNAL, "cannot copy feature %s", pr->id);
			goto done;
		}
	}
	st = stretches(j->ctx, &b, j->o, parts, j->ncons, j->keep_geom, &j->out);
done:
	if (parts)
		for (size_t k = 0; k < j->ncons; k++)
			if (parts[k].g)
				GEOSGeom_destroy_r(h, parts[k].g);
	free(parts);
	if (rd)
		GEOSWKBReader_destroy_r(h, rd);
	lg__bands_release(j->ctx, &b);
	j->st = st;
	return NULL;
}

/* Prepares the job's inputs (WKB copies) and starts it; *started says
 * whether a thread runs (else it ran here, with one thread). */
static lg_status seg_job_start(lg_ctx *ctx, seg_job *j, const lg__bands *b,
			       const lg_pairs *pairs, const part *parts, pthread_t *thr,
			       bool *started)
{
	GEOSContextHandle_t h = ctx->geos;
	GEOSWKBWriter *wr = GEOSWKBWriter_create_r(h);
	const char **names = calloc(b->nw + 1, sizeof *names);
	bool *areal = calloc(b->nw + 1, sizeof *areal);
	const lg_pair **cons = calloc(pairs->n + 1, sizeof *cons);
	*started = false;
	j->water_wkb = calloc(b->nw + 1, sizeof *j->water_wkb);
	j->water_len = calloc(b->nw + 1, sizeof *j->water_len);
	j->piece_wkb = calloc(b->npieces + 1, sizeof *j->piece_wkb);
	j->piece_len = calloc(b->npieces + 1, sizeof *j->piece_len);
	j->names = names;
	j->areal = areal;
	j->cons = cons;
	if (!wr || !names || !areal || !cons || !j->water_wkb || !j->water_len ||
	    !j->piece_wkb || !j->piece_len) {
		if (wr)
			GEOSWKBWriter_destroy_r(h, wr);
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	}
	j->nw = b->nw;
	j->npieces = b->npieces;
	j->piece_water = b->piece_water;
	j->piece_band = b->piece_band;
	for (size_t i = 0; i < b->nw; i++) {
		names[i] = b->w[i].name;
		areal[i] = b->w[i].areal;
		j->water_wkb[i] = GEOSWKBWriter_write_r(h, wr, b->w[i].geom, &j->water_len[i]);
	}
	for (size_t p = 0; p < b->npieces; p++)
		j->piece_wkb[p] = GEOSWKBWriter_write_r(h, wr, b->piece[p], &j->piece_len[p]);
	GEOSWKBWriter_destroy_r(h, wr);
	for (size_t i = 0; i < b->nw; i++)
		if (!j->water_wkb[i])
			return lg_ctx_error(ctx, LG_INTERNAL, "cannot encode water '%s'", b->w[i].name);
	for (size_t p = 0; p < b->npieces; p++)
		if (!j->piece_wkb[p])
			return lg_ctx_error(ctx, LG_INTERNAL, "cannot encode band piece %zu", p + 1);
	for (size_t k = 0; k < pairs->n; k++)
		if (parts[k].construction)
			cons[j->ncons++] = &pairs->v[k];
	j->parent = ctx;
	j->ctx = lg_ctx_create_worker(ctx);
	if (!j->ctx)
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory creating a worker");
	/* no progress from the worker: the callback is not thread-safe */
	lg_ctx_set_progress(j->ctx, NULL, NULL);
	if (lg_ctx_threads(ctx) > 1 && pthread_create(thr, NULL, seg_job_run, j) == 0) {
		*started = true;
		return LG_OK;
	}
	seg_job_run(j);
	return LG_OK;
}

static void seg_job_release(lg_ctx *ctx, seg_job *j)
{
	if (j->water_wkb)
		for (size_t i = 0; i < j->nw; i++)
			if (j->water_wkb[i])
				GEOSFree_r(ctx->geos, j->water_wkb[i]);
	if (j->piece_wkb)
		for (size_t p = 0; p < j->npieces; p++)
			if (j->piece_wkb[p])
				GEOSFree_r(ctx->geos, j->piece_wkb[p]);
	free(j->water_wkb);
	free(j->water_len);
	free(j->piece_wkb);
	free(j->piece_len);
	free((void *)j->names);
	free((void *)j->areal);
	free((void *)j->cons);
	seg_out_release(&j->out);
	lg_ctx_destroy(j->ctx);
	memset(j, 0, sizeof *j);
}

lg_status lg_riverbuf_run(lg_ctx *ctx, const lg_layer *boundary, lg_rows *parcels,
			  const lg_crs *work, const lg_riverbuf_opts *opts,
			  lg_layer **rows_out, lg_layer **segs_out, lg_riverbuf_summary *sum)
{
	GEOSContextHandle_t h = ctx->geos;
	lg_riverbuf_opts o = *opts;
	lg__water *w = NULL;
	size_t nw = 0;
	lg__bands bands = {0};
	lg_pairs pairs = {0};
	lg_engine_opts eo = {0};
	classes cls = {0};
	part *parts = NULL;
	lg_layer *rows = NULL, *segs = NULL;
	GEOSWKBReader *rd = NULL;
	seg_job job = {0};
	pthread_t job_thread;
	bool job_started = false;
	lg_status st;

	*rows_out = NULL;
	if (segs_out)
		*segs_out = NULL;
	memset(sum, 0, sizeof *sum);
	if (o.inner_m == 0)
		o.inner_m = 30;
	if (o.outer_m == 0)
		o.outer_m = 50;
	if (o.segment_m == 0)
		o.segment_m = 100;
	if (o.piece_m <= 0)
		o.piece_m = 250;
	if (o.quad_segs <= 0)
		o.quad_segs = 16;
	if (o.min_area_m2 <= 0)
		o.min_area_m2 = 0.01;
	if (!(o.inner_m > 0) || !(o.outer_m > o.inner_m))
		return lg_ctx_error(ctx, LG_USAGE,
				    "the inner width must be more than 0 and less than the outer "
				    "width (got inner %g m, outer %g m)",
				    o.inner_m, o.outer_m);
	if (!(o.segment_m > 0))
		return lg_ctx_error(ctx, LG_USAGE, "the stretch length must be more than 0 (got %g m)",
				    o.segment_m);
	if (!o.landuse)
		return lg_ctx_error(ctx, LG_INTERNAL, "riverbuf needs the land-use tables");

	double t = lap(NULL, 0);
	sum->boundary_features = boundary->n;
	st = make_waters(ctx, boundary, &w, &nw);
	if (st)
		return st;
	if (!nw && o.allow_empty) {
		/* No water here: empty tables with the usual columns. */
		free(w);
		sum->parcels = lg_rows_count(parcels);
		sum->strategy = lg_rows_strategy(parcels);
		st = lg_layer_create(ctx, "riverbuf", row_fields, R__COUNT, &rows);
		if (!st)
			st = lg_crs_clone(ctx, work, &rows->crs);
		if (!st && opts->segments && segs_out &&
		    !(st = lg_layer_create(ctx, "segments", seg_fields, S__COUNT, &segs)))
			st = lg_crs_clone(ctx, work, &segs->crs);
		if (st) {
			lg_layer_destroy(ctx, rows);
			lg_layer_destroy(ctx, segs);
			return st;
		}
		*rows_out = rows;
		if (segs_out)
			*segs_out = segs;
		return LG_OK;
	}
	if (!nw) {
		free(w);
		return lg_ctx_error(ctx, LG_INPUT, "'%s' holds no management area or line with a "
				    "geometry; check the layer (PATH#LAYER picks one)",
				    boundary->path ? boundary->path : boundary->name);
	}
	lg__bands_opts bo = {o.inner_m, o.outer_m, o.piece_m, o.quad_segs};
	lg_ctx_progress(ctx, "bands", 0, (double)nw);
	st = lg__bands_build(ctx, w, nw, &bo, &bands);
	w = NULL; /* owned by bands now, also on failure */
	if (st)
		goto done;
	sum->nwaters = nw;
	sum->waters = lg__calloc(ctx, nw + 1, sizeof *sum->waters);
	if (!sum->waters) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < nw; i++) {
		lg_riverbuf_water *ws = &sum->waters[i];
		ws->name = lg__strdup(ctx, bands.w[i].name);
		if (!ws->name) {
			st = LG_NOMEM;
			goto done;
		}
		for (int k = 0; k < 2; k++) {
			ws->band_m2[k] = bands.w[i].band_m2[k];
			sum->band_m2[k] += ws->band_m2[k];
		}
	}
	sum->pieces = bands.npieces;
	t = lap("bands", t);

	eo.min_area_m2 = 1e-9; /* slivers are judged per parcel, after merging */
	eo.keep_geom = true;
	eo.use_filter = true;
	st = lg_engine_run(ctx, (lg_geom *const *)bands.piece, bands.npieces, work, parcels, &eo,
			   &pairs);
	if (st)
		goto done;
	t = lap("engine", t);
	sum->parcels = lg_rows_count(parcels);
	sum->strategy = lg_rows_strategy(parcels);
	sum->shortcuts = pairs.shortcuts;
	sum->intersections = pairs.intersections;
	sum->rows_parsed = pairs.rows_parsed;
	if ((st = classify(ctx, &pairs, lg_rows_schema(parcels), o.landuse, &cls, sum)))
		goto done;

	/* Each pair's part: its geometry and distance to its water's line. */
	rd = GEOSWKBReader_create_r(h);
	parts = lg__calloc(ctx, pairs.n + 1, sizeof *parts);
	if (!rd || !parts) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < pairs.n; i++) {
		const lg_pair *p = &pairs.v[i];
		lg_landuse_info li;
		part *pt = &parts[i];
		pt->pair = i;
		pt->fid = p->fid;
		pt->piece = p->probe;
		pt->water = bands.piece_water[p->probe];
		pt->band = bands.piece_band[p->probe];
		pt->construction = class_of(&cls, p->code, &li) && li.construction;
	}
	/* The stretch table needs only the bands and the construction parts:
	 * it runs beside the rows below. */
	job.o = &o;
	job.keep_geom = o.segments && segs_out;
	if ((st = seg_job_start(ctx, &job, &bands, &pairs, parts, &job_thread, &job_started)))
		goto done;
	for (size_t i = 0; i < pairs.n; i++) {
		const lg_pair *p = &pairs.v[i];
		part *pt = &parts[i];
		pt->g = GEOSWKBReader_read_r(h, rd, p->wkb, p->wkb_len);
		if (!pt->g || !GEOSPreparedDistance_r(h, bands.w[pt->water].prep, pt->g, &pt->dist_m)) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "cannot measure feature %s (%s)", p->id,
					  ctx->geos_msg);
			goto done;
		}
	}
	if ((st = build_rows(ctx, &pairs, parts, &cls, &o, work, sum, &rows)))
		goto done;
	t = lap("rows", t);

	if (job_started) {
		pthread_join(job_thread, NULL);
		job_started = false;
	}
	if (job.st) {
		st = lg_ctx_error(ctx, job.st, "%s", lg_ctx_errmsg(job.ctx));
		goto done;
	}
	lg_ctx_merge_warnings(ctx, job.ctx);
	for (size_t i = 0; i < nw; i++) {
		lg_riverbuf_water *ws = &sum->waters[i];
		ws->bank_m = job.out.bank_m[i];
		ws->meets_m = job.out.meets_m[i];
		ws->stretches = job.out.nstr[i];
		ws->stretches_meeting = job.out.nmeet[i];
		sum->stretches += ws->stretches;
		sum->stretches_meeting += ws->stretches_meeting;
		sum->bank_m += ws->bank_m;
		sum->meets_m += ws->meets_m;
	}
	if (o.segments && segs_out) {
		st = lg_layer_create(ctx, "segments", seg_fields, S__COUNT, &segs);
		if (!st)
			st = lg_crs_clone(ctx, work, &segs->crs);
		if (st)
			goto done;
		segs->geom_type = 2;
		for (size_t k = 0; k < job.out.n && !st; k++) {
			const seg_res *r = &job.out.v[k];
			lg_feature *f;
			if ((st = lg_layer_add(ctx, segs, &f)) ||
			    (st = lg_feature_set_str(ctx, segs, f, S_WATER, bands.w[r->water].name)))
				break;
			lg_feature_set_int(segs, f, S_SEG_NO, r->seg_no);
			lg_feature_set_real(segs, f, S_FROM, r->from_m);
			lg_feature_set_real(segs, f, S_TO, r->to_m);
			lg_feature_set_real(segs, f, S_ACHIEVED, r->achieved_m);
			lg_feature_set_int(segs, f, S_MEETS, r->meets);
			lg_feature_set_real(segs, f, S_BUILT, r->share);
			if (r->wkb)
				lg_feature_set_geom(ctx, f, GEOSWKBReader_read_r(h, rd, r->wkb, r->wkb_len));
		}
		if (st)
			goto done;
	}
	t = lap("stretches", t);
	if (segs) {
		lg_layer_update_extent(ctx, segs);
		*segs_out = segs;
		segs = NULL;
	}
	*rows_out = rows;
	rows = NULL;
done:
	if (job_started)
		pthread_join(job_thread, NULL);
	seg_job_release(ctx, &job);
	if (parts)
		for (size_t i = 0; i < pairs.n; i++)
			if (parts[i].g)
				GEOSGeom_destroy_r(h, parts[i].g);
	free(parts);
	if (rd)
		GEOSWKBReader_destroy_r(h, rd);
	classes_release(&cls);
	lg_pairs_release(&pairs);
	lg_layer_destroy(ctx, rows);
	lg_layer_destroy(ctx, segs);
	lg__bands_release(ctx, &bands);
	if (w) {
		for (size_t i = 0; i < nw; i++) {
			free(w[i].name);
			GEOSGeom_destroy_r(h, w[i].geom);
		}
		free(w);
	}
	if (st)
		lg_riverbuf_summary_release(sum);
	return st;
}

lg_status lg_riverbuf_from_pairs(lg_ctx *ctx, lg_pairs *pairs, const double *dist_m,
				 const char *const *names, const double *band_m2, size_t nwaters,
				 const lg_layer *parcels_schema, size_t parcel_features,
				 const char *strategy, const lg_crs *work,
				 const lg_riverbuf_opts *opts, lg_layer **rows_out,
				 lg_riverbuf_summary *sum)
{
	GEOSContextHandle_t h = ctx->geos;
	lg_riverbuf_opts o = *opts;
	classes cls = {0};
	part *parts = NULL;
	GEOSWKBReader *rd = NULL;
	lg_status st = LG_OK;

	*rows_out = NULL;
	memset(sum, 0, sizeof *sum);
	if (o.inner_m == 0)
		o.inner_m = 30;
	if (o.outer_m == 0)
		o.outer_m = 50;
	if (o.min_area_m2 <= 0)
		o.min_area_m2 = 0.01;
	if (!o.landuse)
		return lg_ctx_error(ctx, LG_INTERNAL, "riverbuf needs the land-use tables");
	sum->nwaters = nwaters;
	sum->waters = lg__calloc(ctx, nwaters + 1, sizeof *sum->waters);
	if (!sum->waters)
		return LG_NOMEM;
	for (size_t i = 0; i < nwaters; i++) {
		lg_riverbuf_water *ws = &sum->waters[i];
		if (!(ws->name = lg__strdup(ctx, names[i]))) {
			st = LG_NOMEM;
			goto done;
		}
		for (int k = 0; k < 2; k++) {
			ws->band_m2[k] = band_m2[2 * i + k];
			sum->band_m2[k] += ws->band_m2[k];
		}
	}
	sum->parcels = parcel_features;
	sum->strategy = strategy;
	sum->rows_parsed = pairs->rows_parsed;
	if ((st = classify(ctx, pairs, parcels_schema, o.landuse, &cls, sum)))
		goto done;
	rd = GEOSWKBReader_create_r(h);
	parts = lg__calloc(ctx, pairs->n + 1, sizeof *parts);
	if (!rd || !parts) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < pairs->n; i++) {
		const lg_pair *p = &pairs->v[i];
		lg_landuse_info li;
		part *pt = &parts[i];
		if (p->probe / 2 >= nwaters) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "part %zu names water %zu of %zu", i,
					  p->probe / 2, nwaters);
			goto done;
		}
		pt->pair = i;
		pt->fid = p->fid;
		pt->piece = i;
		pt->water = p->probe / 2;
		pt->band = (int)(p->probe % 2);
		pt->construction = class_of(&cls, p->code, &li) && li.construction;
		pt->dist_m = dist_m[i];
		pt->g = p->wkb ? GEOSWKBReader_read_r(h, rd, p->wkb, p->wkb_len) : NULL;
		if (!pt->g) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "cannot read the part of feature %s (%s)",
					  p->id, ctx->geos_msg);
			goto done;
		}
	}
	st = build_rows(ctx, pairs, parts, &cls, &o, work, sum, rows_out);
done:
	if (parts)
		for (size_t i = 0; i < pairs->n; i++)
			if (parts[i].g)
				GEOSGeom_destroy_r(h, parts[i].g);
	free(parts);
	if (rd)
		GEOSWKBReader_destroy_r(h, rd);
	classes_release(&cls);
	if (st)
		lg_riverbuf_summary_release(sum);
	return st;
}
