/*
 * gwzone: HJ 338-2018 protection zones round wells, merged per level, and
 * the pollution sources inside them (see landguard/gwzone.h).
 */
#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <time.h>

#include "analysis/gwzone_int.h"
#include "landguard/overlay.h"

/* LANDGUARD_TIMING=1: phase times on stderr (for bench/). */
static double tick(const char *name, double t0)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	double t = ts.tv_sec + ts.tv_nsec / 1e9;
	if (name && getenv("LANDGUARD_TIMING"))
		fprintf(stderr, "timing:   gwzone %-12s %.3f s\n", name, t - t0);
	return t;
}

/* Header spellings of the wells layer's fields, most specific first. */
static const char *const F_AQUIFER[] = {"aquifer", "含水层类型", "地下水类型", "含水层", "HSCLX", NULL};
static const char *const F_MEDIUM[] = {"medium", "含水介质", "介质", "岩性", "JZ", NULL};
static const char *const F_K[] = {"K", "渗透系数", NULL};
static const char *const F_I[] = {"I", "水力坡度", NULL};
static const char *const F_N[] = {"n", "有效孔隙度", "孔隙度", NULL};
static const char *const F_Q[] = {"Q", "开采量", "日开采量", NULL};
static const char *const F_FIELD[] = {"field", "水源地", "水源地名称", "SYD", NULL};
static const char *const F_ID[] = {"well_id", "井号", "JH", "井编号", NULL};
static const char *const F_LEVEL[] = {"level", "级别", "保护区级别", "保护区类型", "JB", NULL};

static int find_field(const lg_layer *l, const char *const *names)
{
	for (; *names; names++) {
		int j = lg_layer_field(l, *names);
		if (j >= 0)
			return j;
	}
	return -1;
}

/* One well's or one well field's zone at one level, for merging and for
 * naming the wells of each merged part. */
typedef struct shape {
	GEOSGeometry *g;
	size_t first, n; /* members: priv->members[first .. first+n) */
} shape;

typedef struct lg__gwz_priv {
	size_t **row_mem, *row_nmem; /* wells of each layer row */
	size_t nrows;
	shape *shapes[LG_GWZ__LEVELS];
	size_t nshapes[LG_GWZ__LEVELS];
	size_t *members[LG_GWZ__LEVELS];
} lg__gwz_priv;

static void priv_destroy(lg_ctx *ctx, lg__gwz_priv *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrows; i++)
		free(p->row_mem[i]);
	free(p->row_mem);
	free(p->row_nmem);
	for (int l = 0; l < LG_GWZ__LEVELS; l++) {
		for (size_t i = 0; i < p->nshapes[l]; i++)
			if (p->shapes[l][i].g)
				GEOSGeom_destroy_r(ctx->geos, p->shapes[l][i].g);
		free(p->shapes[l]);
		free(p->members[l]);
	}
	free(p);
}

void lg_gwzones_destroy(lg_ctx *ctx, lg_gwzones *z)
{
	if (!z)
		return;
	for (size_t i = 0; i < z->nwells; i++) {
		free(z->wells[i].id);
		free(z->wells[i].field);
	}
	free(z->wells);
	lg_layer_destroy(ctx, z->layer);
	free(z->row_level);
	priv_destroy(ctx, z->priv);
	free(z);
}

/* ------------------------------------------------------------------ */
/* Radii                                                               */
/* ------------------------------------------------------------------ */

static double num_of(const lg_layer *l, const lg_feature *f, int j)
{
	if (j < 0)
		return NAN;
	const char *s = lg_feature_text(l, f, j);
	char *end;
	if (!*s)
		return NAN;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	return *end ? NAN : v;
}

static double pick_of(const double r[2], lg_gwz_pick p)
{
	switch (p) {
	case LG_GWZ_LOWER:
		return r[0];
	case LG_GWZ_MID:
		return (r[0] + r[1]) / 2;
	default:
		return r[1];
	}
}

static lg_status well_radii(lg_ctx *ctx, const lg_hj338 *t, const lg_gwzone_opts *o,
			    const char *src, lg_gwz_well *w, const lg__hj_row *row,
			    size_t *table_fallback)
{
	bool has_table = !isnan(row->r1[1]);
	bool has_params = w->K > 0 && w->I > 0 && w->n > 0;
	bool confined = !strcmp(w->aquifer, "confined");
	lg_gwz_method m;

	if (o->method == LG_GWZ_FORMULA)
		m = LG_GWZ_FORMULA;
	else if (o->method == LG_GWZ_TABLE || confined)
		/* Confined: level I is the overlying phreatic zone, so the
		 * well's own K, I, n (of the confined layer) do not apply. */
		m = has_table ? LG_GWZ_TABLE : LG_GWZ_FORMULA;
	else
		m = has_params ? LG_GWZ_FORMULA : has_table ? LG_GWZ_TABLE : LG_GWZ_FORMULA;
	if (m == LG_GWZ_FORMULA && o->method == LG_GWZ_TABLE)
		(*table_fallback)++;
	if (m == LG_GWZ_FORMULA && !has_params) {
		const char *miss = !(w->K > 0) ? "K (m/d)" : !(w->I > 0) ? "I" : "n";
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s' well %s (%s, %s): the HJ 338 formula R = α·K·I·T/n needs "
				    "%s above 0%s; fill K, I and n%s",
				    src, w->id, w->aquifer, w->medium, miss,
				    has_table ? "" : " (the standard has no empirical radius for "
						     "this medium)",
				    has_table && o->method == LG_GWZ_FORMULA
					    ? " or use --method table" : "");
	}
	w->method = m;
	if (m == LG_GWZ_TABLE) {
		w->radius_m[LG_GWZ_I] = pick_of(row->r1, o->pick);
		if (row->level2)
			w->radius_m[LG_GWZ_II] = pick_of(row->r2, o->pick);
	} else {
		double a = lg_hj338_param(t, "alpha");
		w->radius_m[LG_GWZ_I] = a * w->K * w->I * lg_hj338_param(t, "t_days_I") / w->n;
		if (row->level2)
			w->radius_m[LG_GWZ_II] = a * w->K * w->I * lg_hj338_param(t, "t_days_II") / w->n;
	}
	bool quasi = o->quasi == LG_GWZ_QUASI_ALL ? row->quasi >= 1
		     : o->quasi == LG_GWZ_QUASI_REQUIRED ? row->quasi == 2
							 : false;
	/* The recharge area needs hydrogeology; a circle of quasi_factor ×
	 * R_II stands in for it (hj338_params.csv), only with a level II. */
	if (quasi && w->radius_m[LG_GWZ_II] > 0)
		w->radius_m[LG_GWZ_III] = lg_hj338_param(t, "quasi_factor") * w->radius_m[LG_GWZ_II];
	w->basis = row->basis;
	return LG_OK;
}

static lg_status read_wells(lg_ctx *ctx, const lg_hj338 *t, const lg_layer *l,
			    const lg_gwzone_opts *o, lg_gwzones *z)
{
	const char *src = l->path ? l->path : l->name;
	int fa = find_field(l, F_AQUIFER), fm = find_field(l, F_MEDIUM);
	int fk = find_field(l, F_K), fi = find_field(l, F_I), fn = find_field(l, F_N);
	int fq = find_field(l, F_Q), ff = find_field(l, F_FIELD), fid = find_field(l, F_ID);
	size_t fallback = 0, large = 0;
	double large_q = lg_hj338_param(t, "large_q_m3d");
	lg_status st = LG_OK;

	if (fid < 0)
		fid = l->role[LG_ROLE_ID];
	if (fa < 0 || fm < 0)
		return lg_ctx_error(ctx, LG_FIELD,
				    "'%s' has no %s field (aquifer/含水层类型 and medium/含水介质 "
				    "are needed for HJ 338 zones)",
				    src, fa < 0 ? "aquifer" : "medium");
	z->wells = lg__calloc(ctx, l->n + 1, sizeof *z->wells);
	if (!z->wells)
		return LG_NOMEM;
	for (size_t i = 0; i < l->n && !st; i++) {
		const lg_feature *f = &l->feat[i];
		lg_gwz_well *w = &z->wells[z->nwells];
		w->id = lg__strdup(ctx, fid >= 0 ? lg_feature_text(l, f, fid) : lg_feature_id(l, f));
		w->field = lg__strdup(ctx, ff >= 0 ? lg_feature_text(l, f, ff) : "");
		z->nwells++;
		if (!w->id || !w->field)
			return LG_NOMEM;
		if (!*w->id) {
			free(w->id);
			char b[32];
			snprintf(b, sizeof b, "%lld", (long long)f->fid);
			if (!(w->id = lg__strdup(ctx, b)))
				return LG_NOMEM;
		}
		if (!f->geom || GEOSGeomTypeId_r(ctx->geos, f->geom) != GEOS_POINT ||
		    GEOSisEmpty_r(ctx->geos, f->geom))
			return lg_ctx_error(ctx, LG_GEOM, "'%s' well %s is not a point; wells must "
					    "be points at the well head", src, w->id);
		GEOSGeomGetX_r(ctx->geos, f->geom, &w->x);
		GEOSGeomGetY_r(ctx->geos, f->geom, &w->y);
		const char *av = lg_feature_text(l, f, fa);
		const lg__vocab_e *ae = lg__hj338_vocab(t, LG__VOCAB_AQUIFER, av);
		if (!ae)
			return lg_ctx_error(ctx, LG_CODE,
					    "'%s' well %s: unknown aquifer '%s' in field '%s'; use "
					    "phreatic/潜水 or confined/承压水 (datasets/vocab/aquifer.csv)",
					    src, w->id, av, l->fields[fa].name);
		const char *mv = lg_feature_text(l, f, fm);
		const lg__vocab_e *me = lg__hj338_vocab(t, LG__VOCAB_MEDIUM, mv);
		if (!me)
			return lg_ctx_error(ctx, LG_CODE,
					    "'%s' well %s: unknown medium '%s' in field '%s'; use "
					    "细砂, 中砂, 粗砂, 砾石, 卵石, 裂隙 or 岩溶 (or fine_sand ... "
					    "karst; datasets/vocab/medium.csv)",
					    src, w->id, mv, l->fields[fm].name);
		w->aquifer = ae->key;
		w->medium = me->key;
		w->K = num_of(l, f, fk);
		w->I = num_of(l, f, fi);
		w->n = num_of(l, f, fn);
		w->Q = num_of(l, f, fq);
		if (w->Q >= large_q)
			large++;
		const lg__hj_row *row = lg__hj338_row(t, ae->key, me->key);
		if (!row)
			return lg_ctx_error(ctx, LG_CODE,
					    "'%s' well %s: hj338.csv has no row for aquifer %s, medium %s",
					    src, w->id, ae->key, me->key);
		st = well_radii(ctx, t, o, src, w, row, &fallback);
	}
	if (!st && fallback)
		lg_ctx_warn(ctx, "%zu well%s of fissure or karst water took the formula although "
			    "--method table was given: HJ 338 has no empirical radius for them",
			    fallback, fallback == 1 ? "" : "s");
	if (!st && large)
		lg_ctx_warn(ctx, "%zu well%s pump %g m³/d or more (大型水源地): HJ 338 asks for a "
			    "numerical-model capture zone; the circles are only a first reference",
			    large, large == 1 ? "" : "s", large_q);
	return st;
}

/* ------------------------------------------------------------------ */
/* Merging                                                             */
/* ------------------------------------------------------------------ */

typedef struct widx {
	const lg_gwz_well *w;
	size_t i;
} widx;

static int cmp_field(const void *a, const void *b)
{
	const widx *x = a, *y = b;
	int c = strcmp(x->w->field, y->w->field);
	if (c)
		return c;
	c = lg_id_cmp(x->w->id, y->w->id);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* The level's shapes: one circle per lone well, and per well field (with
 * group hull) the convex hull of its circles, HJ 338's 群井 rule. */
typedef struct affine {
	double scale, dx, dy;
} affine;

static int scale_move(double *x, double *y, void *ud)
{
	const affine *a = ud;
	*x = *x * a->scale + a->dx;
	*y = *y * a->scale + a->dy;
	return 1;
}

static lg_status make_shapes(lg_ctx *ctx, lg_gwzones *z, const widx *order, int level,
			     const lg_gwzone_opts *o)
{
	GEOSContextHandle_t h = ctx->geos;
	lg__gwz_priv *p = z->priv;
	size_t n = z->nwells;
	p->shapes[level] = lg__calloc(ctx, n + 1, sizeof(shape));
	p->members[level] = lg__calloc(ctx, n + 1, sizeof(size_t));
	GEOSGeometry **circ = lg__calloc(ctx, n + 1, sizeof *circ);
	lg_status st = LG_OK;
	if (!p->shapes[level] || !p->members[level] || !circ) {
		free(circ);
		return LG_NOMEM;
	}
	/* Every circle is GEOS's buffer of a point, made once at the origin
	 * with radius 1 and then scaled and moved: a few thousand wells cost
	 * one buffer instead of one each. */
	GEOSGeometry *origin = GEOSGeom_createPointFromXY_r(h, 0, 0);
	GEOSGeometry *unit = origin ? GEOSBuffer_r(h, origin, 1.0, z->quad_segs) : NULL;
	if (origin)
		GEOSGeom_destroy_r(h, origin);
	size_t nm = 0;
	for (size_t k = 0; k < n && !st;) {
		/* [k, e): wells of one field (or one lone well) */
		size_t e = k + 1;
		if (*order[k].w->field && o->group == LG_GWZ_GROUP_HULL)
			while (e < n && !strcmp(order[e].w->field, order[k].w->field))
				e++;
		size_t nc = 0, first = nm;
		for (size_t q = k; q < e; q++) {
			const lg_gwz_well *w = order[q].w;
			double r = w->radius_m[level];
			if (!(r > 0))
				continue;
			affine a = {r, w->x, w->y};
			GEOSGeometry *c = unit ? GEOSGeom_transformXY_r(h, unit, scale_move, &a) : NULL;
			if (!c) {
				st = lg_ctx_error(ctx, LG_INTERNAL, "cannot buffer well %s: %s", w->id,
						  ctx->geos_msg);
				break;
			}
			circ[nc++] = c;
			p->members[level][nm++] = order[q].i;
		}
		if (!st && nc) {
			GEOSGeometry *g;
			if (nc == 1) {
				g = circ[0];
			} else {
				GEOSGeometry *coll = GEOSGeom_createCollection_r(
					h, GEOS_MULTIPOLYGON, circ, (unsigned)nc);
				g = coll ? GEOSConvexHull_r(h, coll) : NULL;
				if (coll)
					GEOSGeom_destroy_r(h, coll);
				else
					for (size_t q = 0; q < nc; q++)
						GEOSGeom_destroy_r(h, circ[q]);
				if (!g)
					st = lg_ctx_error(ctx, LG_INTERNAL, "cannot enclose well field '%s'",
							  order[k].w->field);
			}
			if (g) {
				shape *s = &p->shapes[level][p->nshapes[level]++];
				s->g = g;
				s->first = first;
				s->n = nm - first;
			}
		}
		k = e;
	}
	if (unit)
		GEOSGeom_destroy_r(h, unit);
	free(circ);
	return st;
}

static lg_status union_shapes(lg_ctx *ctx, const lg_gwzones *z, int level, GEOSGeometry **out)
{
	GEOSContextHandle_t h = ctx->geos;
	const lg__gwz_priv *p = z->priv;
	size_t n = p->nshapes[level];
	*out = NULL;
	if (!n)
		return LG_OK;
	GEOSGeometry **g = lg__calloc(ctx, n, sizeof *g);
	if (!g)
		return LG_NOMEM;
	for (size_t i = 0; i < n; i++)
		g[i] = GEOSGeom_clone_r(h, p->shapes[level][i].g);
	/* A collection's unary union is GEOS's cascaded union: it merges
	 * neighbours along an STRtree, not one by one. */
	GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
	free(g);
	if (!coll)
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot collect the level %s zones",
				    lg_gwz_level_name((lg_gwz_level)level));
	*out = GEOSUnaryUnion_r(h, coll);
	GEOSGeom_destroy_r(h, coll);
	if (!*out)
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot merge the level %s zones: %s",
				    lg_gwz_level_name((lg_gwz_level)level), ctx->geos_msg);
	return LG_OK;
}

/* Level I's union on another thread while this one merges II and III:
 * the shapes travel as WKB into the worker's own GEOS handle and the
 * result comes back the same way (GEOS objects stay with their handle). */
typedef struct union_job {
	lg_ctx *ctx; /* worker context */
	unsigned char **wkb;
	size_t *len, n;
	unsigned char *out;
	size_t out_len;
	lg_status st;
} union_job;

static void *union_worker(void *arg)
{
	union_job *j = arg;
	GEOSContextHandle_t h = j->ctx->geos;
	GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
	GEOSWKBWriter *wr = GEOSWKBWriter_create_r(h);
	GEOSGeometry **g = calloc(j->n + 1, sizeof *g);
	GEOSGeometry *u = NULL;
	size_t k = 0;
	j->st = LG_INTERNAL;
	if (!rd || !wr || !g)
		goto done;
	for (; k < j->n; k++)
		if (!(g[k] = GEOSWKBReader_read_r(h, rd, j->wkb[k], j->len[k])))
			goto done;
	GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)k);
	k = 0;
	if (!coll)
		goto done;
	u = GEOSUnaryUnion_r(h, coll);
	GEOSGeom_destroy_r(h, coll);
	if (u && (j->out = GEOSWKBWriter_write_r(h, wr, u, &j->out_len)))
		j->st = LG_OK;
done:
	while (k)
		GEOSGeom_destroy_r(h, g[--k]);
	free(g);
	if (u)
		GEOSGeom_destroy_r(h, u);
	if (rd)
		GEOSWKBReader_destroy_r(h, rd);
	if (wr)
		GEOSWKBWriter_destroy_r(h, wr);
	return NULL;
}

/* Unions of every level; level I in parallel when two threads are allowed. */
static lg_status union_levels(lg_ctx *ctx, const lg_gwzones *z, GEOSGeometry *u[LG_GWZ__LEVELS])
{
	GEOSContextHandle_t h = ctx->geos;
	const lg__gwz_priv *p = z->priv;
	union_job j = {0};
	GEOSWKBWriter *wr = NULL;
	pthread_t th;
	bool started = false;
	lg_status st = LG_OK;
	size_t n = p->nshapes[0];

	if (lg_ctx_threads(ctx) < 2 || n < 64) {
		for (int l = 0; l < LG_GWZ__LEVELS && !st; l++)
			st = union_shapes(ctx, z, l, &u[l]);
		return st;
	}
	j.wkb = lg__calloc(ctx, n, sizeof *j.wkb);
	j.len = lg__calloc(ctx, n, sizeof *j.len);
	wr = GEOSWKBWriter_create_r(h);
	j.ctx = lg_ctx_create_worker(ctx);
	if (!j.wkb || !j.len || !wr || !j.ctx) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (; j.n < n; j.n++)
		if (!(j.wkb[j.n] = GEOSWKBWriter_write_r(h, wr, p->shapes[0][j.n].g, &j.len[j.n]))) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "cannot encode a zone");
			goto done;
		}
	if (pthread_create(&th, NULL, union_worker, &j) != 0) {
		st = union_shapes(ctx, z, 0, &u[0]);
	} else {
		started = true;
	}
	for (int l = 1; l < LG_GWZ__LEVELS && !st; l++)
		st = union_shapes(ctx, z, l, &u[l]);
	if (started) {
		pthread_join(th, NULL);
		if (!st && j.st)
			st = lg_ctx_error(ctx, LG_INTERNAL, "cannot merge the level I zones: %s",
					  j.ctx->geos_msg);
		if (!st) {
			GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
			u[0] = rd ? GEOSWKBReader_read_r(h, rd, j.out, j.out_len) : NULL;
			if (rd)
				GEOSWKBReader_destroy_r(h, rd);
			if (!u[0])
				st = lg_ctx_error(ctx, LG_INTERNAL, "cannot decode the level I zones");
		}
	}
done:
	for (size_t i = 0; i < j.n; i++)
		GEOSFree_r(h, j.wkb[i]);
	if (j.out)
		GEOSFree_r(j.ctx->geos, j.out);
	free(j.wkb);
	free(j.len);
	if (wr)
		GEOSWKBWriter_destroy_r(h, wr);
	lg_ctx_destroy(j.ctx);
	return st;
}

/* a − b, either may be NULL (= empty); consumes nothing. */
static lg_status minus(lg_ctx *ctx, const GEOSGeometry *a, const GEOSGeometry *b,
		       GEOSGeometry **out)
{
	*out = NULL;
	if (!a)
		return LG_OK;
	*out = b ? GEOSDifference_r(ctx->geos, a, b) : GEOSGeom_clone_r(ctx->geos, a);
	if (!*out)
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot cut one zone level from another: %s",
				    ctx->geos_msg);
	return LG_OK;
}

/* Polygons of g (a polygon, multipolygon or collection), cloned. */
static lg_status explode(lg_ctx *ctx, const GEOSGeometry *g, GEOSGeometry ***parts, size_t *n)
{
	GEOSContextHandle_t h = ctx->geos;
	*parts = NULL;
	*n = 0;
	if (!g || GEOSisEmpty_r(h, g))
		return LG_OK;
	int k = GEOSGetNumGeometries_r(h, g);
	GEOSGeometry **v = lg__calloc(ctx, (size_t)k + 1, sizeof *v);
	if (!v)
		return LG_NOMEM;
	for (int i = 0; i < k; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
		int t = GEOSGeomTypeId_r(h, p);
		if (t == GEOS_POLYGON && !GEOSisEmpty_r(h, p)) {
			double a = 0;
			GEOSArea_r(h, p, &a);
			if (a > 0)
				v[(*n)++] = GEOSGeom_clone_r(h, p);
		}
	}
	*parts = v;
	return LG_OK;
}

typedef struct cand {
	size_t *v;
	size_t n, cap;
} cand;

static void collect(void *item, void *ud)
{
	cand *c = ud;
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		size_t *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n++] = (size_t)(uintptr_t)item - 1;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* The wells of each part: members of the level's shapes that overlap it.
 * mem[i] gets a sorted, unique list of well indices (count in nmem[i]). */
static lg_status attribute(lg_ctx *ctx, const lg_gwzones *z, int level, GEOSGeometry **parts,
			   size_t nparts, size_t **mem, size_t *nmem)
{
	GEOSContextHandle_t h = ctx->geos;
	const lg__gwz_priv *p = z->priv;
	GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
	const GEOSPreparedGeometry **prep = lg__calloc(ctx, nparts + 1, sizeof *prep);
	size_t *cap = lg__calloc(ctx, nparts + 1, sizeof *cap);
	cand c = {0};
	lg_status st = LG_OK;
	if (!tree || !prep || !cap) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nparts; i++)
		GEOSSTRtree_insert_r(h, tree, parts[i], (void *)(uintptr_t)(i + 1));
	for (size_t s = 0; s < p->nshapes[level] && !st; s++) {
		const shape *sh = &p->shapes[level][s];
		c.n = 0;
		GEOSSTRtree_query_r(h, tree, sh->g, collect, &c);
		for (size_t k = 0; k < c.n; k++) {
			size_t i = c.v[k];
			if (!prep[i] && !(prep[i] = GEOSPrepare_r(h, parts[i]))) {
				st = lg_ctx_error(ctx, LG_INTERNAL, "cannot prepare a zone");
				break;
			}
			if (GEOSPreparedIntersects_r(h, prep[i], sh->g) != 1)
				continue;
			for (size_t q = 0; q < sh->n; q++) {
				if ((st = lg__grow(ctx, (void **)&mem[i], &cap[i], nmem[i] + 1,
						   sizeof **mem)))
					break;
				mem[i][nmem[i]++] = p->members[level][sh->first + q];
			}
		}
	}
	for (size_t i = 0; i < nparts && !st; i++) {
		if (nmem[i] > 1)
			lg__qsort(mem[i], nmem[i], sizeof **mem, cmp_size);
		size_t u = 0;
		for (size_t k = 0; k < nmem[i]; k++)
			if (!u || mem[i][u - 1] != mem[i][k])
				mem[i][u++] = mem[i][k];
		nmem[i] = u;
	}
done:
	if (prep)
		for (size_t i = 0; i < nparts; i++)
			if (prep[i])
				GEOSPreparedGeom_destroy_r(h, prep[i]);
	if (tree)
		GEOSSTRtree_destroy_r(h, tree);
	free(prep);
	free(cap);
	free(c.v);
	return st;
}

enum {
	Z_LEVEL, Z_LEVEL_ZH, Z_WELLS, Z_RADIUS, Z_AREA, Z_AREA_MU, Z_METHOD, Z_PICK, Z_SEGS,
	Z_BASIS, Z__N
};
static const lg_field zone_fields[Z__N] = {
	{"level", LG_FT_STRING, 0},   {"level_zh", LG_FT_STRING, 0},
	{"wells", LG_FT_STRING, 0},   {"radius_m", LG_FT_REAL, 0},
	{"area_m2", LG_FT_REAL, 0},   {"area_mu", LG_FT_REAL, 0},
	{"method", LG_FT_STRING, 0},  {"radius_pick", LG_FT_STRING, 0},
	{"quad_segs", LG_FT_INT, 0},  {"basis", LG_FT_STRING, 0},
};

static double round_to(double v, double unit)
{
	return round(v / unit) * unit;
}

typedef struct zrow {
	int level;
	GEOSGeometry *g;
	size_t *mem, nmem;
	const char *first_id;
	size_t seq;
} zrow;

static int cmp_zrow(const void *a, const void *b)
{
	const zrow *x = a, *y = b;
	if (x->level != y->level)
		return x->level - y->level;
	if (x->first_id && y->first_id) {
		int c = lg_id_cmp(x->first_id, y->first_id);
		if (c)
			return c;
	} else if (x->first_id != y->first_id) {
		return x->first_id ? -1 : 1;
	}
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_widx_id(const void *a, const void *b)
{
	const widx *x = a, *y = b;
	int c = lg_id_cmp(x->w->id, y->w->id);
	return c ? c : (x->i < y->i ? -1 : x->i > y->i);
}

/* Turns the parts of every level into the ZONES layer; takes the parts. */
static lg_status make_layer(lg_ctx *ctx, lg_gwzones *z, const lg_crs *work, zrow *rows,
			    size_t nrows, const lg_hj338 *t, const char *pick, const char *basis_official)
{
	lg_status st;
	lg_layer *res = NULL;
	lg_buf b;
	lg_buf_init(&b);
	/* Wells of a part in id order: sort their ranks in the id order. */
	widx *byid = lg__calloc(ctx, z->nwells + 1, sizeof *byid);
	size_t *rank = lg__calloc(ctx, z->nwells + 1, sizeof *rank);
	if (!byid || !rank) {
		free(byid);
		free(rank);
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < z->nwells; i++)
		byid[i] = (widx){&z->wells[i], i};
	lg__qsort(byid, z->nwells, sizeof *byid, cmp_widx_id);
	for (size_t k = 0; k < z->nwells; k++)
		rank[byid[k].i] = k;
	for (size_t i = 0; i < nrows; i++) {
		for (size_t k = 0; k < rows[i].nmem; k++)
			rows[i].mem[k] = rank[rows[i].mem[k]];
		lg__qsort(rows[i].mem, rows[i].nmem, sizeof(size_t), cmp_size);
		for (size_t k = 0; k < rows[i].nmem; k++)
			rows[i].mem[k] = byid[rows[i].mem[k]].i;
		rows[i].first_id = rows[i].nmem ? z->wells[rows[i].mem[0]].id : NULL;
		rows[i].seq = i;
	}
	free(byid);
	free(rank);
	lg__qsort(rows, nrows, sizeof *rows, cmp_zrow);

	if ((st = lg_layer_create(ctx, "zones", zone_fields, Z__N, &res)) ||
	    (st = lg_crs_clone(ctx, work, &res->crs)))
		goto done;
	res->geom_type = 3;
	z->row_level = lg__calloc(ctx, nrows + 1, sizeof *z->row_level);
	z->priv->row_mem = lg__calloc(ctx, nrows + 1, sizeof *z->priv->row_mem);
	z->priv->row_nmem = lg__calloc(ctx, nrows + 1, sizeof *z->priv->row_nmem);
	if (!z->row_level || !z->priv->row_mem || !z->priv->row_nmem) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < nrows; i++) {
		zrow *r = &rows[i];
		lg_feature *f;
		double area = 0, rmax = 0;
		bool tab = false, form = false;
		GEOSArea_r(ctx->geos, r->g, &area);
		b.len = 0;
		if (b.s)
			b.s[0] = '\0';
		for (size_t k = 0; k < r->nmem; k++) {
			const lg_gwz_well *w = &z->wells[r->mem[k]];
			lg_buf_printf(&b, "%s%s", k ? "," : "", w->id);
			if (w->radius_m[r->level] > rmax)
				rmax = w->radius_m[r->level];
			tab |= w->method == LG_GWZ_TABLE;
			form |= w->method == LG_GWZ_FORMULA;
		}
		if ((st = lg_layer_add(ctx, res, &f)) ||
		    (st = lg_feature_set_str(ctx, res, f, Z_LEVEL, lg_gwz_level_name(r->level))) ||
		    (st = lg_feature_set_str(ctx, res, f, Z_LEVEL_ZH, lg_gwz_level_zh(r->level))) ||
		    (st = lg_feature_set_str(ctx, res, f, Z_WELLS, b.s ? b.s : "")))
			goto done;
		z->row_level[i] = (lg_gwz_level)r->level;
		if (!basis_official) {
			lg_feature_set_real(res, f, Z_RADIUS, round_to(rmax, 0.01));
			if ((st = lg_feature_set_str(ctx, res, f, Z_METHOD,
						     tab && form ? "table+formula"
						     : tab	 ? "table"
								 : "formula")) ||
			    (st = lg_feature_set_str(ctx, res, f, Z_PICK, tab ? pick : "")))
				goto done;
			lg_feature_set_int(res, f, Z_SEGS, z->quad_segs);
			/* Distinct basis texts of the wells, in well order. */
			lg_buf bb;
			lg_buf_init(&bb);
			if (r->level == LG_GWZ_III)
				lg_buf_puts(&bb, lg__hj338_param_basis(t, "quasi_factor"));
			else
				for (size_t k = 0; k < r->nmem; k++) {
					const char *s = z->wells[r->mem[k]].basis;
					if (!bb.s || !strstr(bb.s, s))
						lg_buf_printf(&bb, "%s%s", bb.len ? " | " : "", s);
				}
			st = lg_feature_set_str(ctx, res, f, Z_BASIS, bb.s ? bb.s : "");
			lg_buf_release(&bb);
			if (st)
				goto done;
		} else {
			if ((st = lg_feature_set_str(ctx, res, f, Z_METHOD, "official")) ||
			    (st = lg_feature_set_str(ctx, res, f, Z_BASIS, basis_official)))
				goto done;
		}
		lg_feature_set_real(res, f, Z_AREA, round_to(area, 1e-4));
		lg_feature_set_real(res, f, Z_AREA_MU, round_to(lg_m2_to_mu(area), 1e-6));
		lg_feature_set_geom(ctx, f, r->g);
		r->g = NULL;
		z->priv->row_mem[i] = r->mem;
		z->priv->row_nmem[i] = r->nmem;
		z->priv->nrows = i + 1;
		r->mem = NULL;
		z->area_m2[r->level] += area;
		z->nparts[r->level]++;
	}
	lg_layer_update_extent(ctx, res);
	z->layer = res;
	res = NULL;
done:
	lg_buf_release(&b);
	lg_layer_destroy(ctx, res);
	return st;
}

static void zrows_free(lg_ctx *ctx, zrow *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		if (rows[i].g)
			GEOSGeom_destroy_r(ctx->geos, rows[i].g);
		free(rows[i].mem);
	}
	free(rows);
}

/* Level unions → rings (II − I, III − (I ∪ II)) → parts with their wells. */
static lg_status levels_to_rows(lg_ctx *ctx, const lg_gwzones *z, GEOSGeometry *u[LG_GWZ__LEVELS],
				zrow **rows_out, size_t *nrows_out)
{
	GEOSGeometry *ring[LG_GWZ__LEVELS] = {0};
	GEOSGeometry *tmp = NULL;
	zrow *rows = NULL;
	size_t nrows = 0, caprows = 0;
	lg_status st;

	if ((st = minus(ctx, u[0], NULL, &ring[0])) || (st = minus(ctx, u[1], u[0], &ring[1])))
		goto done;
	if (u[2]) {
		if ((st = minus(ctx, u[2], u[1], &tmp)) || (st = minus(ctx, tmp, u[0], &ring[2])))
			goto done;
	}
	for (int l = 0; l < LG_GWZ__LEVELS; l++) {
		GEOSGeometry **parts = NULL;
		size_t np = 0;
		if ((st = explode(ctx, ring[l], &parts, &np)))
			goto done;
		size_t **mem = lg__calloc(ctx, np + 1, sizeof *mem);
		size_t *nmem = lg__calloc(ctx, np + 1, sizeof *nmem);
		if (!mem || !nmem)
			st = LG_NOMEM;
		if (!st)
			st = attribute(ctx, z, l, parts, np, mem, nmem);
		for (size_t i = 0; i < np; i++) {
			if (!st && !(st = lg__grow(ctx, (void **)&rows, &caprows, nrows + 1,
						   sizeof *rows))) {
				rows[nrows++] = (zrow){l, parts[i], mem[i], nmem[i], NULL, 0};
				continue;
			}
			GEOSGeom_destroy_r(ctx->geos, parts[i]);
			if (mem)
				free(mem[i]);
		}
		free(parts);
		free(mem);
		free(nmem);
		if (st)
			goto done;
	}
done:
	for (int l = 0; l < LG_GWZ__LEVELS; l++)
		if (ring[l])
			GEOSGeom_destroy_r(ctx->geos, ring[l]);
	if (tmp)
		GEOSGeom_destroy_r(ctx->geos, tmp);
	if (st) {
		zrows_free(ctx, rows, nrows);
		rows = NULL;
		nrows = 0;
	}
	*rows_out = rows;
	*nrows_out = nrows;
	return st;
}

lg_status lg_gwzone_run(lg_ctx *ctx, const lg_hj338 *t, const lg_layer *wells,
			const lg_crs *work, const lg_gwzone_opts *o, lg_gwzones **out)
{
	lg_gwzones *z = lg__calloc(ctx, 1, sizeof *z);
	GEOSGeometry *u[LG_GWZ__LEVELS] = {0};
	widx *order = NULL;
	zrow *rows = NULL;
	size_t nrows = 0;
	lg_status st;

	*out = NULL;
	if (!z)
		return LG_NOMEM;
	z->quad_segs = o->quad_segs > 0 ? o->quad_segs : 32;
	if (!(z->priv = lg__calloc(ctx, 1, sizeof *z->priv))) {
		st = LG_NOMEM;
		goto done;
	}
	double tm = tick(NULL, 0);
	if ((st = read_wells(ctx, t, wells, o, z)))
		goto done;
	tm = tick("radii", tm);
	order = lg__calloc(ctx, z->nwells + 1, sizeof *order);
	if (!order) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < z->nwells; i++)
		order[i] = (widx){&z->wells[i], i};
	lg__qsort(order, z->nwells, sizeof *order, cmp_field);
	for (int l = 0; l < LG_GWZ__LEVELS; l++)
		if ((st = make_shapes(ctx, z, order, l, o)))
			goto done;
	tm = tick("circles", tm);
	if ((st = union_levels(ctx, z, u)))
		goto done;
	tm = tick("unions", tm);
	if ((st = levels_to_rows(ctx, z, u, &rows, &nrows)))
		goto done;
	tm = tick("rings+wells", tm);
	st = make_layer(ctx, z, work, rows, nrows, t, lg_gwz_pick_name(o->pick), NULL);
	tick("layer", tm);
done:
	for (int l = 0; l < LG_GWZ__LEVELS; l++)
		if (u[l])
			GEOSGeom_destroy_r(ctx->geos, u[l]);
	zrows_free(ctx, rows, nrows);
	free(order);
	if (st) {
		if (st == LG_NOMEM && lg_ctx_errcode(ctx) != LG_NOMEM)
			lg_ctx_error(ctx, LG_NOMEM, "out of memory drawing the zones");
		lg_gwzones_destroy(ctx, z);
		return st;
	}
	*out = z;
	return LG_OK;
}

/* ------------------------------------------------------------------ */
/* Official zones                                                      */
/* ------------------------------------------------------------------ */

static bool parse_level(const char *s, int *out)
{
	static const struct {
		const char *s;
		int l;
	} words[] = {
		{"I", 0},	  {"1", 0},	      {"一级", 0},	   {"一级保护区", 0},
		{"first", 0},	  {"II", 1},	      {"2", 1},		   {"二级", 1},
		{"二级保护区", 1}, {"second", 1},      {"III", 2},	   {"3", 2},
		{"准保护区", 2},   {"准", 2},	      {"quasi", 2},	   {"Ⅰ", 0},
		{"Ⅱ", 1},	  {"Ⅲ", 2},
	};
	char buf[64];
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	while (n && *s == ' ')
		s++, n--;
	if (n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	for (size_t i = 0; i < LG_ARRAY_LEN(words); i++)
		if (lg__strieq(buf, words[i].s)) {
			*out = words[i].l;
			return true;
		}
	return false;
}

lg_status lg_gwzone_import(lg_ctx *ctx, const lg_layer *off, const lg_gwzones *computed,
			   const lg_crs *work, lg_gwzones **out)
{
	GEOSContextHandle_t h = ctx->geos;
	const char *src = off->path ? off->path : off->name;
	int fl = find_field(off, F_LEVEL);
	lg_gwzones *z = NULL;
	GEOSGeometry **g[LG_GWZ__LEVELS] = {0};
	size_t ng[LG_GWZ__LEVELS] = {0};
	GEOSGeometry *u[LG_GWZ__LEVELS] = {0};
	zrow *rows = NULL;
	size_t nrows = 0;
	lg_status st = LG_OK;
	char basis[1024];

	*out = NULL;
	if (fl < 0)
		return lg_ctx_error(ctx, LG_FIELD, "'%s' has no level field (level, 级别, 保护区级别) "
				    "saying I, II or III (一级, 二级, 准保护区)", src);
	for (int l = 0; l < LG_GWZ__LEVELS; l++)
		if (!(g[l] = lg__calloc(ctx, off->n + 1, sizeof **g)))
			return LG_NOMEM;
	for (size_t i = 0; i < off->n; i++) {
		const lg_feature *f = &off->feat[i];
		const char *v = lg_feature_text(off, f, fl);
		int l;
		if (!parse_level(v, &l)) {
			st = lg_ctx_error(ctx, LG_CODE, "'%s' feature %s: unknown zone level '%s' in "
					  "field '%s'; use I, II, III (一级, 二级, 准保护区)",
					  src, lg_feature_id(off, f), v, off->fields[fl].name);
			goto done;
		}
		if (!f->geom || GEOSisEmpty_r(h, f->geom))
			continue;
		int t = GEOSGeomTypeId_r(h, f->geom);
		if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) {
			st = lg_ctx_error(ctx, LG_GEOM, "'%s' feature %s is not a polygon", src,
					  lg_feature_id(off, f));
			goto done;
		}
		g[l][ng[l]++] = GEOSGeom_clone_r(h, f->geom);
	}
	z = lg__calloc(ctx, 1, sizeof *z);
	if (!z || !(z->priv = lg__calloc(ctx, 1, sizeof *z->priv))) {
		st = LG_NOMEM;
		goto done;
	}
	z->official = true;
	z->quad_segs = computed->quad_segs;
	/* Wells and shapes of the computed zones name the official parts. */
	z->wells = lg__calloc(ctx, computed->nwells + 1, sizeof *z->wells);
	if (!z->wells) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < computed->nwells; i++) {
		z->wells[i] = computed->wells[i];
		z->wells[i].id = lg__strdup(ctx, computed->wells[i].id);
		z->wells[i].field = lg__strdup(ctx, computed->wells[i].field);
		z->nwells++;
		if (!z->wells[i].id || !z->wells[i].field) {
			st = LG_NOMEM;
			goto done;
		}
	}
	for (int l = 0; l < LG_GWZ__LEVELS; l++) {
		const lg__gwz_priv *cp = computed->priv;
		/* Quasi zones drawn by hand are often there when landguard drew
		 * none: name them after the level II (else I) wells. */
		int from = cp->nshapes[l] ? l : cp->nshapes[1] ? 1 : 0;
		size_t n = cp->nshapes[from];
		z->priv->shapes[l] = lg__calloc(ctx, n + 1, sizeof(shape));
		z->priv->members[l] = lg__calloc(ctx, z->nwells + 1, sizeof(size_t));
		if (!z->priv->shapes[l] || !z->priv->members[l]) {
			st = LG_NOMEM;
			goto done;
		}
		memcpy(z->priv->members[l], cp->members[from], z->nwells * sizeof(size_t));
		for (size_t s = 0; s < n; s++) {
			z->priv->shapes[l][s] = cp->shapes[from][s];
			z->priv->shapes[l][s].g = GEOSGeom_clone_r(h, cp->shapes[from][s].g);
			z->priv->nshapes[l]++;
		}
		if (ng[l]) {
			GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION,
									 g[l], (unsigned)ng[l]);
			ng[l] = 0;
			u[l] = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
			if (coll)
				GEOSGeom_destroy_r(h, coll);
			if (!u[l]) {
				st = lg_ctx_error(ctx, LG_GEOM, "cannot merge the level %s zones of '%s': %s",
						  lg_gwz_level_name((lg_gwz_level)l), src, ctx->geos_msg);
				goto done;
			}
		}
	}
	if ((st = levels_to_rows(ctx, z, u, &rows, &nrows)))
		goto done;
	snprintf(basis, sizeof basis, "imported from '%s' (official delineation)", src);
	st = make_layer(ctx, z, work, rows, nrows, NULL, "", basis);
done:
	for (int l = 0; l < LG_GWZ__LEVELS; l++) {
		for (size_t i = 0; i < ng[l]; i++)
			GEOSGeom_destroy_r(h, g[l][i]);
		free(g[l]);
		if (u[l])
			GEOSGeom_destroy_r(h, u[l]);
	}
	zrows_free(ctx, rows, nrows);
	if (st) {
		lg_gwzones_destroy(ctx, z);
		return st;
	}
	*out = z;
	return LG_OK;
}

/* Union of the rows of levels ≤ level (NULL when none). */
static lg_status cumulative(lg_ctx *ctx, const lg_gwzones *z, int level, GEOSGeometry **out)
{
	GEOSContextHandle_t h = ctx->geos;
	size_t n = 0;
	*out = NULL;
	GEOSGeometry **v = lg__calloc(ctx, z->layer->n + 1, sizeof *v);
	if (!v)
		return LG_NOMEM;
	for (size_t i = 0; i < z->layer->n; i++)
		if ((int)z->row_level[i] <= level && z->layer->feat[i].geom)
			v[n++] = GEOSGeom_clone_r(h, z->layer->feat[i].geom);
	if (!n) {
		free(v);
		return LG_OK;
	}
	GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, v, (unsigned)n);
	free(v);
	*out = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
	if (coll)
		GEOSGeom_destroy_r(h, coll);
	return *out ? LG_OK : lg_ctx_error(ctx, LG_INTERNAL, "cannot merge zones: %s", ctx->geos_msg);
}

enum { K_LEVEL, K_WELLS, K_REQ, K_OFF, K_MISS, K_MISS_MU, K_SHARE, K__N };
static const lg_field check_fields[K__N] = {
	{"level", LG_FT_STRING, 0},	 {"wells", LG_FT_STRING, 0},
	{"required_m2", LG_FT_REAL, 0},	 {"official_m2", LG_FT_REAL, 0},
	{"missing_m2", LG_FT_REAL, 0},	 {"missing_mu", LG_FT_REAL, 0},
	{"missing_share", LG_FT_REAL, 0},
};

lg_status lg_gwzone_check(lg_ctx *ctx, const lg_gwzones *off, const lg_gwzones *min,
			  double tol_m2, lg_layer **out, size_t *nshort)
{
	GEOSContextHandle_t h = ctx->geos;
	lg_layer *res = NULL;
	lg_status st;
	*out = NULL;
	*nshort = 0;
	if (tol_m2 <= 0)
		tol_m2 = 1.0;
	if ((st = lg_layer_create(ctx, "official_check", check_fields, K__N, &res)))
		return st;
	if (min->layer->crs && (st = lg_crs_clone(ctx, min->layer->crs, &res->crs)))
		goto done;
	res->geom_type = 6;
	/* Levels I and II only: landguard's quasi zone is a stand-in, not a
	 * minimum of the standard. */
	for (int l = 0; l <= LG_GWZ_II && !st; l++) {
		GEOSGeometry *offc = NULL, *minc = NULL;
		if ((st = cumulative(ctx, off, l, &offc)) || (st = cumulative(ctx, min, l, &minc))) {
			if (offc)
				GEOSGeom_destroy_r(h, offc);
			break;
		}
		const GEOSPreparedGeometry *pp = offc ? GEOSPrepare_r(h, offc) : NULL;
		/* Each required part of level l, cumulative: I, then I ∪ II. */
		for (size_t i = 0; i < min->layer->n && !st; i++) {
			if ((int)min->row_level[i] != l)
				continue;
			const lg_feature *mf = &min->layer->feat[i];
			GEOSGeometry *req = NULL, *miss = NULL;
			double req_a = 0, miss_a = 0;
			if (l == LG_GWZ_II) {
				/* the ring and the level I zones inside its shell */
				const GEOSGeometry *sh = GEOSGetExteriorRing_r(h, mf->geom);
				GEOSGeometry *shell = sh ? GEOSGeom_clone_r(h, sh) : NULL;
				GEOSGeometry *poly = shell ? GEOSGeom_createPolygon_r(h, shell, NULL, 0) : NULL;
				req = poly && minc ? GEOSIntersection_r(h, poly, minc) : NULL;
				if (poly)
					GEOSGeom_destroy_r(h, poly);
			} else {
				req = GEOSGeom_clone_r(h, mf->geom);
			}
			if (!req) {
				st = lg_ctx_error(ctx, LG_INTERNAL, "cannot copy a zone");
				break;
			}
			GEOSArea_r(h, req, &req_a);
			if (pp && GEOSPreparedContains_r(h, pp, req) == 1) {
				GEOSGeom_destroy_r(h, req);
				continue;
			}
			miss = offc ? GEOSDifference_r(h, req, offc) : GEOSGeom_clone_r(h, req);
			GEOSGeom_destroy_r(h, req);
			if (!miss) {
				st = lg_ctx_error(ctx, LG_GEOM, "cannot compare with the official zones: %s",
						  ctx->geos_msg);
				break;
			}
			GEOSArea_r(h, miss, &miss_a);
			if (miss_a > tol_m2) {
				lg_feature *f;
				if (!(st = lg_layer_add(ctx, res, &f)) &&
				    !(st = lg_feature_set_str(ctx, res, f, K_LEVEL,
							      lg_gwz_level_name((lg_gwz_level)l))) &&
				    !(st = lg_feature_set_str(ctx, res, f, K_WELLS,
							      lg_feature_text(min->layer, mf, Z_WELLS)))) {
					lg_feature_set_real(res, f, K_REQ, round_to(req_a, 1e-4));
					lg_feature_set_real(res, f, K_OFF, round_to(req_a - miss_a, 1e-4));
					lg_feature_set_real(res, f, K_MISS, round_to(miss_a, 1e-4));
					lg_feature_set_real(res, f, K_MISS_MU, round_to(lg_m2_to_mu(miss_a), 1e-6));
					lg_feature_set_real(res, f, K_SHARE, round_to(miss_a / req_a, 1e-6));
					lg_feature_set_geom(ctx, f, miss);
					miss = NULL;
					(*nshort)++;
				}
			}
			if (miss)
				GEOSGeom_destroy_r(h, miss);
		}
		if (pp)
			GEOSPreparedGeom_destroy_r(h, pp);
		if (offc)
			GEOSGeom_destroy_r(h, offc);
		if (minc)
			GEOSGeom_destroy_r(h, minc);
	}
	if (!st) {
		lg_layer_update_extent(ctx, res);
		*out = res;
		res = NULL;
	}
done:
	lg_layer_destroy(ctx, res);
	return st;
}

/* ------------------------------------------------------------------ */
/* Sources in zones                                                    */
/* ------------------------------------------------------------------ */

enum { H_ID, H_NAME, H_TYPE, H_TYPE_ZH, H_GROUP, H_LEVEL, H_LEVEL_ZH, H_WELL, H_DIST, H_RULE,
       H_BASIS, H__N };
static const lg_field hit_fields[H__N] = {
	{"source_id", LG_FT_STRING, 0}, {"source_name", LG_FT_STRING, 0},
	{"source_type", LG_FT_STRING, 0}, {"type_zh", LG_FT_STRING, 0},
	{"type_group", LG_FT_STRING, 0}, {"level", LG_FT_STRING, 0},
	{"level_zh", LG_FT_STRING, 0},	  {"well_id", LG_FT_STRING, 0},
	{"dist_m", LG_FT_REAL, 0},	  {"rule", LG_FT_STRING, 0},
	{"basis", LG_FT_STRING, 0},
};

typedef struct hit {
	int64_t fid;
	size_t first; /* first pair of this source */
	int level;
	size_t well;
	double dist;
	const char *id;
} hit;

static int cmp_hit(const void *a, const void *b)
{
	const hit *x = a, *y = b;
	if (x->level != y->level)
		return x->level - y->level;
	int c = lg_id_cmp(x->id, y->id);
	return c ? c : (x->fid < y->fid ? -1 : x->fid > y->fid);
}

typedef struct nearest_ctx {
	GEOSContextHandle_t h;
	const size_t *mem;
	size_t nmem;
	const GEOSGeometry *query;
	const lg_gwz_well *wells;
	bool point; /* query is a point at qx, qy: plain arithmetic */
	double qx, qy;
} nearest_ctx;

static int dist_member(const void *a, const void *b, double *d, void *ud)
{
	const nearest_ctx *n = ud;
	const GEOSGeometry *w = a == (const void *)n->query ? b : a;
	size_t wi = (size_t)(uintptr_t)GEOSGeom_getUserData_r(n->h, w);
	if (n->nmem && !bsearch(&wi, n->mem, n->nmem, sizeof wi, cmp_size)) {
		*d = DBL_MAX;
		return 1;
	}
	if (n->point) {
		*d = hypot(n->wells[wi].x - n->qx, n->wells[wi].y - n->qy);
		return 1;
	}
	return GEOSDistance_r(n->h, w, n->query, d);
}

static int cmp_pair_fid(const void *a, const void *b)
{
	const lg_pair *x = a, *y = b;
	if (x->fid != y->fid)
		return x->fid < y->fid ? -1 : 1;
	return x->probe < y->probe ? -1 : x->probe > y->probe;
}

/* The nearest zone well of hits [a, b), in the job's own context: its own
 * STRtree of the wells (from their coordinates) and WKB reader. */
typedef struct nearest_job {
	lg_ctx *ctx;
	const lg_gwzones *z;
	const size_t *const *sorted;
	const lg_pairs *pairs;
	hit *hits;
	size_t a, b;
	lg_status st;
} nearest_job;

static void *nearest_worker(void *arg)
{
	nearest_job *j = arg;
	const lg_gwzones *z = j->z;
	GEOSContextHandle_t h = j->ctx->geos;
	GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
	GEOSGeometry **pts = calloc(z->nwells + 1, sizeof *pts);
	GEOSWKBReader *rd = GEOSWKBReader_create_r(h);
	j->st = LG_NOMEM;
	if (!tree || !pts || !rd)
		goto done;
	for (size_t i = 0; i < z->nwells; i++) {
		if (!(pts[i] = GEOSGeom_createPointFromXY_r(h, z->wells[i].x, z->wells[i].y)))
			goto done;
		GEOSGeom_setUserData_r(h, pts[i], (void *)(uintptr_t)i);
		GEOSSTRtree_insert_r(h, tree, pts[i], pts[i]);
	}
	for (size_t i = j->a; i < j->b && z->nwells; i++) {
		hit *ht = &j->hits[i];
		for (size_t e = ht->first; e < j->pairs->n && j->pairs->v[e].fid == ht->fid; e++) {
			const lg_pair *p = &j->pairs->v[e];
			if ((int)z->row_level[p->probe] != ht->level || !p->wkb)
				continue;
			GEOSGeometry *g = GEOSWKBReader_read_r(h, rd, p->wkb, p->wkb_len);
			if (!g)
				continue;
			/* The nearest well among the wells of the zone the source
			 * lies in; other wells count as infinitely far. */
			nearest_ctx nc = {h, j->sorted[p->probe], z->priv->row_nmem[p->probe], g,
					  z->wells, false, 0, 0};
			nc.point = GEOSGeomTypeId_r(h, g) == GEOS_POINT &&
				   GEOSGeomGetX_r(h, g, &nc.qx) == 1 && GEOSGeomGetY_r(h, g, &nc.qy) == 1;
			const GEOSGeometry *nw = GEOSSTRtree_nearest_generic_r(h, tree, g, g, dist_member, &nc);
			double d;
			if (nw && dist_member(nw, g, &d, &nc) == 1 && d < ht->dist) {
				ht->dist = d;
				ht->well = (size_t)(uintptr_t)GEOSGeom_getUserData_r(h, nw);
			}
			GEOSGeom_destroy_r(h, g);
		}
	}
	j->st = LG_OK;
done:
	if (tree)
		GEOSSTRtree_destroy_r(h, tree);
	if (pts)
		for (size_t i = 0; i < z->nwells; i++)
			if (pts[i])
				GEOSGeom_destroy_r(h, pts[i]);
	free(pts);
	if (rd)
		GEOSWKBReader_destroy_r(h, rd);
	return NULL;
}

lg_status lg_gwzone_hits(lg_ctx *ctx, const lg_hj338 *t, const lg_gwzones *z, lg_rows *sources,
			 const lg_crs *work, lg_layer **out, lg_gwz_hits_summary *sum)
{
	GEOSContextHandle_t h = ctx->geos;
	lg_pairs pairs = {0};
	lg_engine_opts eo = {0};
	lg_layer *res = NULL;
	hit *hits = NULL;
	size_t nhits = 0;
	GEOSWKBReader *rd = NULL;
	lg_geom **probes = NULL;
	size_t **sorted = NULL;
	lg_status st;

	*out = NULL;
	memset(sum, 0, sizeof *sum);
	probes = lg__calloc(ctx, z->layer->n + 1, sizeof *probes);
	if (!probes)
		return LG_NOMEM;
	for (size_t i = 0; i < z->layer->n; i++)
		probes[i] = z->layer->feat[i].geom;
	eo.keep_geom = true;
	eo.use_filter = true;
	eo.min_area_m2 = 0;
	double tm = tick(NULL, 0);
	if ((st = lg_engine_run(ctx, probes, z->layer->n, work, sources, &eo, &pairs)))
		goto done;
	tm = tick("engine", tm);
	sum->sources = lg_rows_count(sources);
	sum->strategy = lg_rows_strategy(sources);
	lg__qsort(pairs.v, pairs.n, sizeof *pairs.v, cmp_pair_fid);

	hits = lg__calloc(ctx, pairs.n + 1, sizeof *hits);
	sorted = lg__calloc(ctx, z->layer->n + 1, sizeof *sorted);
	rd = GEOSWKBReader_create_r(h);
	if (!hits || !sorted || !rd) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < z->layer->n; i++) {
		size_t n = z->priv->row_nmem[i];
		if (!(sorted[i] = lg__calloc(ctx, n + 1, sizeof **sorted))) {
			st = LG_NOMEM;
			goto done;
		}
		memcpy(sorted[i], z->priv->row_mem[i], n * sizeof **sorted);
		lg__qsort(sorted[i], n, sizeof **sorted, cmp_size);
	}
	for (size_t k = 0; k < pairs.n;) {
		hit *ht = &hits[nhits++];
		ht->fid = pairs.v[k].fid;
		ht->first = k;
		/* Rows are sorted by level, so the first pair (lowest probe)
		 * has the strictest level. */
		ht->level = (int)z->row_level[pairs.v[k].probe];
		ht->dist = INFINITY;
		ht->id = pairs.v[k].id;
		while (k < pairs.n && pairs.v[k].fid == ht->fid)
			k++;
	}
	{
		nearest_job jobs[2] = {{ctx, z, (const size_t *const *)sorted, &pairs, hits, 0, nhits, LG_OK},
				       {NULL, z, (const size_t *const *)sorted, &pairs, hits, 0, 0, LG_OK}};
		pthread_t th;
		bool two = lg_ctx_threads(ctx) >= 2 && nhits >= 2000;
		if (two && (jobs[1].ctx = lg_ctx_create_worker(ctx)) != NULL) {
			jobs[1].a = nhits / 2;
			jobs[1].b = nhits;
			jobs[0].b = nhits / 2;
			if (pthread_create(&th, NULL, nearest_worker, &jobs[1]) != 0)
				jobs[0].b = nhits, jobs[1].b = jobs[1].a;
			else
				two = true;
		} else {
			two = false;
		}
		nearest_worker(&jobs[0]);
		if (two)
			pthread_join(th, NULL);
		if (jobs[1].ctx)
			lg_ctx_destroy(jobs[1].ctx);
		if ((st = jobs[0].st) || (st = jobs[1].st)) {
			lg_ctx_error(ctx, st, "cannot find the nearest wells");
			goto done;
		}
	}
	lg__qsort(hits, nhits, sizeof *hits, cmp_hit);
	tm = tick("nearest", tm);

	if ((st = lg_layer_create(ctx, "hits", hit_fields, H__N, &res)) ||
	    (st = lg_crs_clone(ctx, work, &res->crs)))
		goto done;
	res->geom_type = 0;
	for (size_t i = 0; i < nhits; i++) {
		const hit *ht = &hits[i];
		const lg_pair *p = &pairs.v[ht->first];
		const lg__vocab_e *te = lg__hj338_vocab(t, LG__VOCAB_SOURCE, p->extra);
		if (!te) {
			st = lg_ctx_error(ctx, LG_CODE,
					  "source %s: unknown source type '%s'; use one of 加油站, "
					  "垃圾填埋场, 危险废物处置场, 化工园区企业, 矿山开采区, 化学品生产企业, "
					  "尾矿库, 重点排污单位, 污染地块 (datasets/vocab/source_type.csv)",
					  p->id, p->extra);
			goto done;
		}
		const lg__hj_rule *ru = lg__hj338_rule(t, (lg_gwz_level)ht->level, te->key);
		lg_feature *f;
		if ((st = lg_layer_add(ctx, res, &f)) ||
		    (st = lg_feature_set_str(ctx, res, f, H_ID, p->id)) ||
		    (st = lg_feature_set_str(ctx, res, f, H_NAME, p->name)) ||
		    (st = lg_feature_set_str(ctx, res, f, H_TYPE, te->key)) ||
		    (st = lg_feature_set_str(ctx, res, f, H_TYPE_ZH, te->zh)) ||
		    (st = lg_feature_set_str(ctx, res, f, H_GROUP, te->group)) ||
		    (st = lg_feature_set_str(ctx, res, f, H_LEVEL,
					     lg_gwz_level_name((lg_gwz_level)ht->level))) ||
		    (st = lg_feature_set_str(ctx, res, f, H_LEVEL_ZH,
					     lg_gwz_level_zh((lg_gwz_level)ht->level))) ||
		    (st = lg_feature_set_str(ctx, res, f, H_RULE, ru ? ru->rule : "")) ||
		    (st = lg_feature_set_str(ctx, res, f, H_BASIS, ru ? ru->basis : "")))
			goto done;
		if (isfinite(ht->dist)) {
			if ((st = lg_feature_set_str(ctx, res, f, H_WELL, z->wells[ht->well].id)))
				goto done;
			lg_feature_set_real(res, f, H_DIST, round_to(ht->dist, 0.01));
		}
		/* The source as it lies in the zones: all its pieces. */
		size_t e = ht->first;
		while (e < pairs.n && pairs.v[e].fid == ht->fid)
			e++;
		GEOSGeometry *g = NULL;
		if (e - ht->first == 1) {
			g = GEOSWKBReader_read_r(h, rd, p->wkb, p->wkb_len);
		} else {
			GEOSGeometry **v = lg__calloc(ctx, e - ht->first, sizeof *v);
			size_t nv = 0;
			if (!v) {
				st = LG_NOMEM;
				goto done;
			}
			for (size_t q = ht->first; q < e; q++)
				if (pairs.v[q].wkb &&
				    (v[nv] = GEOSWKBReader_read_r(h, rd, pairs.v[q].wkb, pairs.v[q].wkb_len)))
					nv++;
			GEOSGeometry *coll = nv ? GEOSGeom_createCollection_r(
							  h, GEOS_GEOMETRYCOLLECTION, v, (unsigned)nv)
						: NULL;
			free(v);
			g = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
			if (coll)
				GEOSGeom_destroy_r(h, coll);
		}
		if (g)
			lg_feature_set_geom(ctx, f, g);
		sum->hits[ht->level]++;
	}
	lg_layer_update_extent(ctx, res);
	tick("hit rows", tm);
	*out = res;
	res = NULL;
done:
	if (rd)
		GEOSWKBReader_destroy_r(h, rd);
	free(hits);
	free(probes);
	if (sorted)
		for (size_t i = 0; i < z->layer->n; i++)
			free(sorted[i]);
	free(sorted);
	lg_pairs_release(&pairs);
	lg_layer_destroy(ctx, res);
	if (st == LG_NOMEM && lg_ctx_errcode(ctx) != LG_NOMEM)
		lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	return st;
}

lg_status lg_gwzone_wells_layer(lg_ctx *ctx, const lg_gwzones *z, const lg_layer *wells,
				const char *pick, lg_layer **out)
{
	static const lg_field f[] = {
		{"well_id", LG_FT_STRING, 0}, {"field", LG_FT_STRING, 0},
		{"aquifer", LG_FT_STRING, 0}, {"medium", LG_FT_STRING, 0},
		{"method", LG_FT_STRING, 0},  {"radius_pick", LG_FT_STRING, 0},
		{"r_I_m", LG_FT_REAL, 0},     {"r_II_m", LG_FT_REAL, 0},
		{"r_III_m", LG_FT_REAL, 0},   {"basis", LG_FT_STRING, 0},
	};
	lg_layer *l = NULL;
	lg_status st = lg_layer_create(ctx, "wells", f, 10, &l);
	*out = NULL;
	if (st)
		return st;
	if (wells->crs && (st = lg_crs_clone(ctx, wells->crs, &l->crs)))
		goto done;
	l->geom_type = 1;
	for (size_t i = 0; i < z->nwells && i < wells->n; i++) {
		const lg_gwz_well *w = &z->wells[i];
		lg_feature *ft;
		bool tab = w->method == LG_GWZ_TABLE;
		if ((st = lg_layer_add(ctx, l, &ft)) ||
		    (st = lg_feature_set_str(ctx, l, ft, 0, w->id)) ||
		    (st = lg_feature_set_str(ctx, l, ft, 1, w->field)) ||
		    (st = lg_feature_set_str(ctx, l, ft, 2, w->aquifer)) ||
		    (st = lg_feature_set_str(ctx, l, ft, 3, w->medium)) ||
		    (st = lg_feature_set_str(ctx, l, ft, 4, tab ? "table" : "formula")) ||
		    (st = lg_feature_set_str(ctx, l, ft, 5, tab ? pick : "")) ||
		    (st = lg_feature_set_str(ctx, l, ft, 9, w->basis)))
			goto done;
		for (int k = 0; k < LG_GWZ__LEVELS; k++)
			if (w->radius_m[k] > 0)
				lg_feature_set_real(l, ft, 6 + k, round_to(w->radius_m[k], 0.01));
		if (wells->feat[i].geom)
			lg_feature_set_geom(ctx, ft, GEOSGeom_clone_r(ctx->geos, wells->feat[i].geom));
	}
	lg_layer_update_extent(ctx, l);
	*out = l;
	l = NULL;
done:
	lg_layer_destroy(ctx, l);
	return st;
}
