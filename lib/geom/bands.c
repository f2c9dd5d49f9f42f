/* River and reservoir bands: buffers, nearest-water split, pieces, lines. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geom/geom_int.h"

GEOSGeometry *lg__polygonal(GEOSContextHandle_t h, GEOSGeometry *g)
{
	if (!g)
		return NULL;
	int t = GEOSGeomTypeId_r(h, g);
	if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) {
		if (GEOSisEmpty_r(h, g) == 1) {
			GEOSGeom_destroy_r(h, g);
			return NULL;
		}
		return g;
	}
	if (t != GEOS_GEOMETRYCOLLECTION) {
		GEOSGeom_destroy_r(h, g);
		return NULL;
	}
	int n = GEOSGetNumGeometries_r(h, g), k = 0, cap = n + 1;
	GEOSGeometry **parts = malloc((size_t)cap * sizeof *parts);
	if (!parts) {
		GEOSGeom_destroy_r(h, g);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
		int pt = GEOSGeomTypeId_r(h, p);
		int m = pt == GEOS_MULTIPOLYGON ? GEOSGetNumGeometries_r(h, p) : pt == GEOS_POLYGON;
		for (int j = 0; j < m; j++) {
			const GEOSGeometry *q = pt == GEOS_POLYGON ? p : GEOSGetGeometryN_r(h, p, j);
			if (GEOSisEmpty_r(h, q) == 1)
				continue;
			if (k == cap) {
				GEOSGeometry **np = realloc(parts, (size_t)(cap *= 2) * sizeof *np);
				if (!np)
					break;
				parts = np;
			}
			parts[k++] = GEOSGeom_clone_r(h, q);
		}
	}
	GEOSGeom_destroy_r(h, g);
	GEOSGeometry *out = NULL;
	if (k == 1)
		out = parts[0];
	else if (k > 1)
		out = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)k);
	free(parts);
	return out;
}

static GEOSGeometry *buffer(GEOSContextHandle_t h, const GEOSGeometry *g, double d, int qs)
{
	return GEOSBufferWithStyle_r(h, g, d, qs, GEOSBUF_CAP_ROUND, GEOSBUF_JOIN_ROUND, 5.0);
}

static bool envelope(GEOSContextHandle_t h, const GEOSGeometry *g, double e[4])
{
	if (!g || GEOSisEmpty_r(h, g) == 1)
		return false;
	return GEOSGeom_getXMin_r(h, g, &e[0]) && GEOSGeom_getYMin_r(h, g, &e[1]) &&
	       GEOSGeom_getXMax_r(h, g, &e[2]) && GEOSGeom_getYMax_r(h, g, &e[3]);
}

static GEOSGeometry *rect(GEOSContextHandle_t h, double x0, double y0, double x1, double y1)
{
	return GEOSGeom_createRectangle_r(h, x0, y0, x1, y1);
}

/* A growing list of geometries, unioned at the end. */
typedef struct glist {
	GEOSGeometry **v;
	size_t n, cap;
} glist;

static int gl_add(glist *l, GEOSGeometry *g)
{
	if (!g)
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		GEOSGeometry **v = realloc(l->v, cap * sizeof *v);
		if (!v)
			return -1;
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = g;
	return 0;
}

/* Union of the list (consumed); an empty polygon when the list is empty. */
static GEOSGeometry *gl_union(GEOSContextHandle_t h, glist *l)
{
	GEOSGeometry *u;
	if (!l->n) {
		free(l->v);
		memset(l, 0, sizeof *l);
		return GEOSGeom_createEmptyPolygon_r(h);
	}
	GEOSGeometry *c = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, l->v,
						      (unsigned)l->n);
	free(l->v);
	memset(l, 0, sizeof *l);
	if (!c)
		return NULL;
	u = GEOSUnaryUnion_r(h, c);
	GEOSGeom_destroy_r(h, c);
	return u;
}

static void gl_free(GEOSContextHandle_t h, glist *l)
{
	for (size_t i = 0; i < l->n; i++)
		GEOSGeom_destroy_r(h, l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* Nearest-water split of an overlap region O between waters a and b: a
 * quadtree over O whose blocks are settled as soon as the distance
 * difference at the centre exceeds the block's diagonal (both distances
 * are 1-Lipschitz), down to LG__BAND_CELL_M cells decided by the centre. */
typedef struct split_ctx {
	GEOSContextHandle_t h;
	const GEOSPreparedGeometry *po;
	const GEOSPreparedGeometry *pa, *pb;
	glist to_a, to_b;
	int err;
} split_ctx;

static void split_block(split_ctx *s, double x0, double y0, double size)
{
	GEOSContextHandle_t h = s->h;
	if (s->err)
		return;
	GEOSGeometry *r = rect(h, x0, y0, x0 + size, y0 + size);
	if (!r) {
		s->err = 1;
		return;
	}
	if (GEOSPreparedIntersects_r(h, s->po, r) != 1) {
		GEOSGeom_destroy_r(h, r);
		return;
	}
	GEOSGeometry *c = GEOSGeom_createPointFromXY_r(h, x0 + size / 2, y0 + size / 2);
	double da = 0, db = 0;
	if (!c || !GEOSPreparedDistance_r(h, s->pa, c, &da) ||
	    !GEOSPreparedDistance_r(h, s->pb, c, &db)) {
		if (c)
			GEOSGeom_destroy_r(h, c);
		GEOSGeom_destroy_r(h, r);
		s->err = 1;
		return;
	}
	GEOSGeom_destroy_r(h, c);
	double diag = size * M_SQRT2;
	if (fabs(da - db) > diag || size <= LG__BAND_CELL_M * 1.0001) {
		/* ties go to the first water (by name) */
		if (gl_add(db < da ? &s->to_b : &s->to_a, r))
			s->err = 1;
		return;
	}
	GEOSGeom_destroy_r(h, r);
	double hs = size / 2;
	split_block(s, x0, y0, hs);
	split_block(s, x0 + hs, y0, hs);
	split_block(s, x0, y0 + hs, hs);
	split_block(s, x0 + hs, y0 + hs, hs);
}

/* Adds to taken[a] the part of O nearer b, and to taken[b] the part nearer a. */
static lg_status split_overlap(lg_ctx *ctx, const GEOSGeometry *O, const lg__water *a,
			       const lg__water *b, glist *taken_a, glist *taken_b)
{
	GEOSContextHandle_t h = ctx->geos;
	split_ctx s = {0};
	double e[4];
	if (!envelope(h, O, e))
		return LG_OK;
	s.h = h;
	s.pa = a->prep;
	s.pb = b->prep;
	s.po = GEOSPrepare_r(h, O);
	if (!s.po)
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot prepare the overlap of '%s' and '%s'",
				    a->name, b->name);
	double size = LG__BAND_CELL_M;
	double x0 = floor(e[0] / LG__BAND_CELL_M) * LG__BAND_CELL_M;
	double y0 = floor(e[1] / LG__BAND_CELL_M) * LG__BAND_CELL_M;
	while (x0 + size < e[2] || y0 + size < e[3])
		size *= 2;
	split_block(&s, x0, y0, size);
	GEOSPreparedGeom_destroy_r(h, s.po);
	if (s.err) {
		gl_free(h, &s.to_a);
		gl_free(h, &s.to_b);
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot split the bands of '%s' and '%s' (%s)",
				    a->name, b->name, ctx->geos_msg);
	}
	GEOSGeometry *ua = gl_union(h, &s.to_a), *ub = gl_union(h, &s.to_b);
	GEOSGeometry *na = ua ? GEOSIntersection_r(h, ua, O) : NULL;
	GEOSGeometry *nb = ub ? GEOSIntersection_r(h, ub, O) : NULL;
	if (ua)
		GEOSGeom_destroy_r(h, ua);
	if (ub)
		GEOSGeom_destroy_r(h, ub);
	if (!na || !nb) {
		if (na)
			GEOSGeom_destroy_r(h, na);
		if (nb)
			GEOSGeom_destroy_r(h, nb);
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot split the bands of '%s' and '%s' (%s)",
				    a->name, b->name, ctx->geos_msg);
	}
	if (gl_add(taken_a, nb) || gl_add(taken_b, na))
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	return LG_OK;
}

/* Cuts g into pieces whose envelopes fit a piece_m grid cell: halving at
 * grid lines keeps the total work O(n log n) for a 40 km band. */
typedef struct cut_ctx {
	lg_ctx *ctx;
	lg__bands *b;
	size_t water;
	int band;
	double cell;
	size_t cap;
	lg_status st;
} cut_ctx;

static void emit_piece(cut_ctx *c, GEOSGeometry *g)
{
	GEOSContextHandle_t h = c->ctx->geos;
	lg__bands *b = c->b;
	if (GEOSisValid_r(h, g) != 1) {
		GEOSGeometry *v = GEOSMakeValid_r(h, g);
		GEOSGeom_destroy_r(h, g);
		g = lg__polygonal(h, v);
		if (!g)
			return;
	}
	double a = 0;
	GEOSArea_r(h, g, &a);
	if (a <= 0) {
		GEOSGeom_destroy_r(h, g);
		return;
	}
	if (b->npieces == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		GEOSGeometry **p = realloc(b->piece, cap * sizeof *p);
		size_t *pw = p ? realloc(b->piece_water, cap * sizeof *pw) : NULL;
		if (p)
			b->piece = p;
		if (pw)
			b->piece_water = pw;
		int *pb = pw ? realloc(b->piece_band, cap * sizeof *pb) : NULL;
		if (pb)
			b->piece_band = pb;
		if (!pb) {
			GEOSGeom_destroy_r(h, g);
			c->st = lg_ctx_error(c->ctx, LG_NOMEM, "out of memory");
			return;
		}
		c->cap = cap;
	}
	b->piece[b->npieces] = g;
	b->piece_water[b->npieces] = c->water;
	b->piece_band[b->npieces] = c->band;
	b->npieces++;
}

static void cut(cut_ctx *c, GEOSGeometry *g)
{
	GEOSContextHandle_t h = c->ctx->geos;
	double e[4];
	if (c->st || !g) {
		if (g)
			GEOSGeom_destroy_r(h, g);
		return;
	}
	if (!envelope(h, g, e)) {
		GEOSGeom_destroy_r(h, g);
		return;
	}
	double w = e[2] - e[0], ht = e[3] - e[1];
	if (w <= c->cell * 1.0001 && ht <= c->cell * 1.0001) {
		emit_piece(c, g);
		return;
	}
	bool vertical = w >= ht; /* cut across the longer side */
	double lo = vertical ? e[0] : e[1], hi = vertical ? e[2] : e[3];
	double mid = (lo + hi) / 2;
	double at = round(mid / c->cell) * c->cell;
	if (at <= lo || at >= hi)
		at = mid;
	double pad = 1.0;
	GEOSGeometry *p1, *p2;
	if (vertical) {
		p1 = GEOSClipByRect_r(h, g, e[0] - pad, e[1] - pad, at, e[3] + pad);
		p2 = GEOSClipByRect_r(h, g, at, e[1] - pad, e[2] + pad, e[3] + pad);
	} else {
		p1 = GEOSClipByRect_r(h, g, e[0] - pad, e[1] - pad, e[2] + pad, at);
		p2 = GEOSClipByRect_r(h, g, e[0] - pad, at, e[2] + pad, e[3] + pad);
	}
	if (!p1 || !p2) {
		/* ClipByRect gives up on some near-degenerate rings (3 points
		 * after clipping); the general overlay copes with them. */
		double r1[4], r2[4];
		if (vertical) {
			double a[4] = {e[0] - pad, e[1] - pad, at, e[3] + pad};
			double b[4] = {at, e[1] - pad, e[2] + pad, e[3] + pad};
			memcpy(r1, a, sizeof a), memcpy(r2, b, sizeof b);
		} else {
			double a[4] = {e[0] - pad, e[1] - pad, e[2] + pad, at};
			double b[4] = {e[0] - pad, at, e[2] + pad, e[3] + pad};
			memcpy(r1, a, sizeof a), memcpy(r2, b, sizeof b);
		}
		for (int k = 0; k < 2; k++) {
			GEOSGeometry **pp = k ? &p2 : &p1;
			const double *q = k ? r2 : r1;
			if (*pp)
				continue;
			GEOSGeometry *rect = GEOSGeom_createRectangle_r(h, q[0], q[1], q[2], q[3]);
			if (rect) {
				*pp = GEOSIntersection_r(h, g, rect);
				GEOSGeom_destroy_r(h, rect);
			}
		}
	}
	GEOSGeom_destroy_r(h, g);
	if (!p1 || !p2) {
		if (p1)
			GEOSGeom_destroy_r(h, p1);
		if (p2)
			GEOSGeom_destroy_r(h, p2);
		c->st = lg_ctx_error(c->ctx, LG_INTERNAL, "cannot cut a band into pieces (%s)",
				     c->ctx->geos_msg);
		return;
	}
	cut(c, lg__polygonal(h, p1));
	cut(c, lg__polygonal(h, p2));
}

void lg__bands_release(lg_ctx *ctx, lg__bands *b)
{
	GEOSContextHandle_t h = ctx->geos;
	if (!b)
		return;
	for (size_t i = 0; i < b->nw; i++) {
		lg__water *w = &b->w[i];
		free(w->name);
		if (w->prep)
			GEOSPreparedGeom_destroy_r(h, w->prep);
		if (w->geom)
			GEOSGeom_destroy_r(h, w->geom);
		for (int k = 0; k < 2; k++)
			if (w->band[k])
				GEOSGeom_destroy_r(h, w->band[k]);
	}
	free(b->w);
	if (b->surface)
		GEOSGeom_destroy_r(h, b->surface);
	for (size_t i = 0; i < b->npieces; i++)
		GEOSGeom_destroy_r(h, b->piece[i]);
	free(b->piece);
	free(b->piece_water);
	free(b->piece_band);
	memset(b, 0, sizeof *b);
}

static GEOSGeometry *minus(GEOSContextHandle_t h, GEOSGeometry *a, const GEOSGeometry *b)
{
	if (!a)
		return NULL;
	if (!b || GEOSisEmpty_r(h, b) == 1)
		return a;
	GEOSGeometry *d = GEOSDifference_r(h, a, b);
	GEOSGeom_destroy_r(h, a);
	return d;
}

lg_status lg__bands_build(lg_ctx *ctx, lg__water *w, size_t nw, const lg__bands_opts *o,
			  lg__bands *out)
{
	GEOSContextHandle_t h = ctx->geos;
	GEOSGeometry **bin = NULL, **bout = NULL;
	double *env = NULL;
	glist *taken = NULL, surf = {0};
	lg_status st = LG_OK;

	memset(out, 0, sizeof *out);
	out->w = w;
	out->nw = nw;
	bin = calloc(nw + 1, sizeof *bin);
	bout = calloc(nw + 1, sizeof *bout);
	env = calloc(4 * nw + 4, sizeof *env);
	taken = calloc(nw + 1, sizeof *taken);
	if (!bin || !bout || !env || !taken) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nw; i++) {
		if (w[i].areal && gl_add(&surf, GEOSGeom_clone_r(h, w[i].geom))) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		w[i].prep = GEOSPrepare_r(h, w[i].geom);
		bin[i] = buffer(h, w[i].geom, o->inner_m, o->quad_segs);
		bout[i] = buffer(h, w[i].geom, o->outer_m, o->quad_segs);
		if (!w[i].prep || !bin[i] || !bout[i]) {
			st = lg_ctx_error(ctx, LG_GEOM, "cannot buffer water '%s' (%s); check its "
					  "geometry", w[i].name, ctx->geos_msg);
			goto done;
		}
		envelope(h, bout[i], &env[4 * i]);
	}
	out->surface = gl_union(h, &surf);
	if (!out->surface) {
		st = lg_ctx_error(ctx, LG_GEOM, "cannot merge the water areas (%s)", ctx->geos_msg);
		goto done;
	}
	/* Overlapping bands of neighbouring waters: nearest water wins. */
	for (size_t i = 0; i < nw && !st; i++)
		for (size_t j = i + 1; j < nw && !st; j++) {
			const double *a = &env[4 * i], *b = &env[4 * j];
			if (a[2] < b[0] || b[2] < a[0] || a[3] < b[1] || b[3] < a[1])
				continue;
			if (GEOSIntersects_r(h, bout[i], bout[j]) != 1)
				continue;
			GEOSGeometry *O = lg__polygonal(
				h, minus(h, GEOSIntersection_r(h, bout[i], bout[j]), out->surface));
			if (!O)
				continue;
			st = split_overlap(ctx, O, &w[i], &w[j], &taken[i], &taken[j]);
			GEOSGeom_destroy_r(h, O);
		}
	if (st)
		goto done;
	for (size_t i = 0; i < nw; i++) {
		GEOSGeometry *tk = gl_union(h, &taken[i]);
		GEOSGeometry *own = minus(h, minus(h, GEOSGeom_clone_r(h, bout[i]), out->surface), tk);
		if (tk)
			GEOSGeom_destroy_r(h, tk);
		if (!own) {
			st = lg_ctx_error(ctx, LG_GEOM, "cannot build the bands of '%s' (%s)",
					  w[i].name, ctx->geos_msg);
			goto done;
		}
		w[i].band[0] = lg__polygonal(h, GEOSIntersection_r(h, own, bin[i]));
		w[i].band[1] = lg__polygonal(h, GEOSDifference_r(h, own, bin[i]));
		GEOSGeom_destroy_r(h, own);
		for (int k = 0; k < 2; k++) {
			if (!w[i].band[k])
				w[i].band[k] = GEOSGeom_createEmptyPolygon_r(h);
			GEOSArea_r(h, w[i].band[k], &w[i].band_m2[k]);
		}
	}
	{
		cut_ctx c = {ctx, out, 0, 0, o->piece_m > 0 ? o->piece_m : 250, 0, LG_OK};
		for (size_t i = 0; i < nw && !c.st; i++)
			for (int k = 0; k < 2 && !c.st; k++) {
				c.water = i;
				c.band = k;
				cut(&c, GEOSGeom_clone_r(h, w[i].band[k]));
			}
		st = c.st;
	}
done:
	for (size_t i = 0; i < nw; i++) {
		if (bin && bin[i])
			GEOSGeom_destroy_r(h, bin[i]);
		if (bout && bout[i])
			GEOSGeom_destroy_r(h, bout[i]);
		if (taken)
			gl_free(h, &taken[i]);
	}
	gl_free(h, &surf);
	free(bin);
	free(bout);
	free(env);
	free(taken);
	if (st)
		lg__bands_release(ctx, out);
	return st;
}

static GEOSGeometry *ring_line(GEOSContextHandle_t h, const GEOSGeometry *ring, bool want_ccw)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
	char ccw = 0;
	if (!cs || !GEOSCoordSeq_isCCW_r(h, cs, &ccw))
		return NULL;
	GEOSCoordSequence *c2 = GEOSCoordSeq_clone_r(h, cs);
	if (!c2)
		return NULL;
	GEOSGeometry *l = GEOSGeom_createLineString_r(h, c2);
	if (l && (bool)ccw != want_ccw) {
		GEOSGeometry *r = GEOSReverse_r(h, l);
		GEOSGeom_destroy_r(h, l);
		l = r;
	}
	return l;
}

lg_status lg__water_lines(lg_ctx *ctx, const lg__water *w, GEOSGeometry ***lines, size_t *n)
{
	GEOSContextHandle_t h = ctx->geos;
	glist l = {0};
	*lines = NULL;
	*n = 0;
	if (w->areal) {
		int np = GEOSGetNumGeometries_r(h, w->geom);
		for (int i = 0; i < np; i++) {
			const GEOSGeometry *p = GEOSGetGeometryN_r(h, w->geom, i);
			if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON || GEOSisEmpty_r(h, p) == 1)
				continue;
			if (gl_add(&l, ring_line(h, GEOSGetExteriorRing_r(h, p), true)))
				goto oom;
			int nh = GEOSGetNumInteriorRings_r(h, p);
			for (int k = 0; k < nh; k++)
				if (gl_add(&l, ring_line(h, GEOSGetInteriorRingN_r(h, p, k), false)))
					goto oom;
		}
	} else {
		GEOSGeometry *m = GEOSLineMerge_r(h, w->geom);
		if (!m)
			return lg_ctx_error(ctx, LG_GEOM, "cannot merge the lines of '%s' (%s)",
					    w->name, ctx->geos_msg);
		int nl = GEOSGetNumGeometries_r(h, m);
		for (int i = 0; i < nl; i++) {
			const GEOSGeometry *p = GEOSGetGeometryN_r(h, m, i);
			if (GEOSGeomTypeId_r(h, p) != GEOS_LINESTRING || GEOSisEmpty_r(h, p) == 1)
				continue;
			if (gl_add(&l, GEOSGeom_clone_r(h, p))) {
				GEOSGeom_destroy_r(h, m);
				goto oom;
			}
		}
		GEOSGeom_destroy_r(h, m);
	}
	*lines = l.v;
	*n = l.n;
	return LG_OK;
oom:
	gl_free(h, &l);
	return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
}

double lg__line_length(GEOSContextHandle_t h, const GEOSGeometry *line)
{
	double len = 0;
	GEOSLength_r(h, line, &len);
	return len;
}

GEOSGeometry *lg__line_substring(GEOSContextHandle_t h, const GEOSGeometry *line,
				 double from_m, double to_m)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, line);
	unsigned int n = 0;
	if (!cs || !GEOSCoordSeq_getSize_r(h, cs, &n) || n < 2)
		return NULL;
	double *xy = malloc(2 * ((size_t)n + 2) * sizeof *xy);
	size_t k = 0;
	double pos = 0, px = 0, py = 0;
	if (!xy)
		return NULL;
	for (unsigned int i = 0; i < n; i++) {
		double x, y;
		GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
		if (i == 0) {
			px = x;
			py = y;
			if (from_m <= 0) {
				xy[k++] = x;
				xy[k++] = y;
			}
			continue;
		}
		double seg = hypot(x - px, y - py), end = pos + seg;
		if (seg > 0) {
			if ((from_m > pos || (pos > 0 && from_m == pos)) && from_m < end) {
				double t = (from_m - pos) / seg;
				xy[k++] = px + t * (x - px);
				xy[k++] = py + t * (y - py);
			}
			if (to_m < end) {
				double t = (to_m - pos) / seg;
				if (to_m > pos) {
					xy[k++] = px + t * (x - px);
					xy[k++] = py + t * (y - py);
				}
				break;
			}
			if (end > from_m) {
				xy[k++] = x;
				xy[k++] = y;
			}
		}
		pos = end;
		px = x;
		py = y;
	}
	GEOSGeometry *g = NULL;
	size_t np = k / 2;
	if (np >= 2) {
		GEOSCoordSequence *o = GEOSCoordSeq_create_r(h, (unsigned)np, 2);
		for (size_t i = 0; o && i < np; i++)
			GEOSCoordSeq_setXY_r(h, o, (unsigned)i, xy[2 * i], xy[2 * i + 1]);
		if (o)
			g = GEOSGeom_createLineString_r(h, o);
	}
	free(xy);
	return g;
}
