/* The parallel overlay engine (see landguard/engine.h). */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"
#include "landguard/engine.h"

/* Batches small enough to keep both cores busy to the end (a batch of
 * rows near probes is a few milliseconds of work), large enough that the
 * queue's wake-ups cost little: 256 rows cost 0.05 s more at 1M x 2000
 * once the reader stopped sending rows far from every probe. */
#define BATCH_ROWS 1024

/* Batches travel from the reading thread to the workers through a small
 * bounded queue, so memory stays flat however large the stream. */
typedef struct queue {
	pthread_mutex_t mu;
	pthread_cond_t can_put, can_take;
	lg_row_batch *items[32];
	size_t head, count;
	bool closed;
	bool owns; /* batches are freed once worked on (not kept or replayed) */
} queue;

typedef struct worker {
	pthread_t thread;
	lg_ctx *ctx;
	queue *q;
	const lg_engine_opts *opts;
	/* the probes, copied into this worker's handle */
	GEOSGeometry **probes;
	const GEOSPreparedGeometry **prep;
	double *probe_env; /* x0,y0,x1,y1 per probe */
	size_t nprobes;
	GEOSSTRtree *tree;
	GEOSWKBReader *rd;
	GEOSWKBWriter *wr;
	lg_transform *to_work; /* NULL when the rows are in the working CRS */
	lg_ellps *ellps;
	double all_env[4];
	lg_pairs out;
	size_t repaired; /* invalid rows made valid */
	const lg__occ *occ; /* rows meeting no probe envelope's cell are skipped */
	bool pristine; /* the current row's geometry is its WKB as read */
	lg_status st;
	/* candidates of the current row */
	size_t *cand;
	size_t ncand, capcand;
} worker;

static void q_init(queue *q)
{
	memset(q, 0, sizeof *q);
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->can_put, NULL);
	pthread_cond_init(&q->can_take, NULL);
}

static void q_destroy(queue *q)
{
	for (size_t i = 0; i < q->count && q->owns; i++) {
		lg_row_batch *b = q->items[(q->head + i) % 32];
		lg_row_batch_free(b);
		free(b);
	}
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->can_put);
	pthread_cond_destroy(&q->can_take);
}

static void q_put(queue *q, lg_row_batch *b)
{
	pthread_mutex_lock(&q->mu);
	while (q->count == 32)
		pthread_cond_wait(&q->can_put, &q->mu);
	q->items[(q->head + q->count) % 32] = b;
	q->count++;
	pthread_cond_signal(&q->can_take);
	pthread_mutex_unlock(&q->mu);
}

static lg_row_batch *q_take(queue *q)
{
	lg_row_batch *b = NULL;
	pthread_mutex_lock(&q->mu);
	while (!q->count && !q->closed)
		pthread_cond_wait(&q->can_take, &q->mu);
	if (q->count) {
		b = q->items[q->head];
		q->head = (q->head + 1) % 32;
		q->count--;
		pthread_cond_signal(&q->can_put);
	}
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void q_close(queue *q)
{
	pthread_mutex_lock(&q->mu);
	q->closed = true;
	pthread_cond_broadcast(&q->can_take);
	pthread_mutex_unlock(&q->mu);
}

static void collect(void *item, void *ud)
{
	worker *w = ud;
	if (w->ncand == w->capcand) {
		size_t cap = w->capcand ? w->capcand * 2 : 64;
		size_t *c = realloc(w->cand, cap * sizeof *c);
		if (!c)
			return;
		w->cand = c;
		w->capcand = cap;
	}
	w->cand[w->ncand++] = (size_t)(uintptr_t)item - 1;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return x < y ? -1 : x > y;
}

/* Polygonal part of an intersection (touching edges leave lines/points). */
static GEOSGeometry *polygonal(GEOSContextHandle_t h, GEOSGeometry *g)
{
	int t = GEOSGeomTypeId_r(h, g);
	if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON)
		return g;
	if (t != GEOS_GEOMETRYCOLLECTION) {
		GEOSGeom_destroy_r(h, g);
		return NULL;
	}
	int n = GEOSGetNumGeometries_r(h, g), k = 0;
	GEOSGeometry **parts = malloc(((size_t)n + 1) * sizeof *parts);
	if (!parts) {
		GEOSGeom_destroy_r(h, g);
		return NULL;
	}
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, i);
		int pt = GEOSGeomTypeId_r(h, p);
		if (pt == GEOS_POLYGON)
			parts[k++] = GEOSGeom_clone_r(h, p);
		else if (pt == GEOS_MULTIPOLYGON)
			for (int j = 0; j < GEOSGetNumGeometries_r(h, p); j++) {
				GEOSGeometry **np = realloc(parts, ((size_t)k + 2 + (size_t)n) * sizeof *np);
				if (!np)
					break;
				parts = np;
				parts[k++] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, p, j));
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

static bool pair_texts(lg_pair *p, lg__pool **pool, const char *id, const char *code,
		       const char *name, const char *extra);

static lg_status add_pair(worker *w, const lg_row *row, size_t probe,
			  const GEOSGeometry *geom, double area, double row_area,
			  bool contained)
{
	GEOSContextHandle_t h = w->ctx->geos;
	lg_pair *p;
	if (lg__grow(w->ctx, (void **)&w->out.v, &w->out.cap, w->out.n + 1, sizeof *w->out.v))
		return LG_NOMEM;
	p = &w->out.v[w->out.n];
	memset(p, 0, sizeof *p);
	p->probe = probe;
	p->fid = row->fid;
	p->area_m2 = area;
	p->row_area_m2 = row_area;
	p->contained = contained;
	/* The overlap geometry is filled below (WKB of the row, or encoded).
	 * Texts and WKB go to the worker's pool: freed in blocks, not one by
	 * one from another thread. */
	if (!pair_texts(p, &w->out.pool, row->id, row->code, row->name, row->extra))
		return lg_ctx_error(w->ctx, LG_NOMEM, "out of memory");
	w->out.n++;
	if (w->opts->ellps && area > 0) {
		lg_status st = lg_ellps_area(w->ctx, w->ellps, geom, &p->ellps_m2);
		if (st)
			return st;
	}
	if (w->opts->keep_geom && !GEOSisEmpty_r(h, geom)) {
		/* GEOS keeps the envelope: free here, a parse in the writer. */
		p->has_env = GEOSGeom_getXMin_r(h, geom, &p->env[0]) &&
			     GEOSGeom_getYMin_r(h, geom, &p->env[1]) &&
			     GEOSGeom_getXMax_r(h, geom, &p->env[2]) &&
			     GEOSGeom_getYMax_r(h, geom, &p->env[3]);
	}
	if (w->opts->keep_geom && contained && w->pristine && row->wkb) {
		/* The row lies inside the probe, so its own WKB is the overlap:
		 * copy the bytes instead of encoding the geometry again. */
		p->wkb = lg__pool_alloc(&w->out.pool, row->wkb_len);
		if (!p->wkb)
			return lg_ctx_error(w->ctx, LG_NOMEM, "out of memory");
		memcpy(p->wkb, row->wkb, row->wkb_len);
		p->wkb_len = row->wkb_len;
	} else if (w->opts->keep_geom) {
		size_t n = 0;
		unsigned char *b = GEOSWKBWriter_write_r(h, w->wr, geom, &n);
		if (!b)
			return lg_ctx_error(w->ctx, LG_INTERNAL, "cannot encode an overlap of feature %s",
					    row->id);
		p->wkb = lg__pool_alloc(&w->out.pool, n);
		if (!p->wkb) {
			GEOSFree_r(h, b);
			return lg_ctx_error(w->ctx, LG_NOMEM, "out of memory");
		}
		memcpy(p->wkb, b, n);
		p->wkb_len = n;
		GEOSFree_r(h, b);
	}
	return LG_OK;
}

static lg_status do_row(worker *w, const lg_row *row)
{
	GEOSContextHandle_t h = w->ctx->geos;
	GEOSGeometry *g = NULL;
	lg_status st = LG_OK;
	double row_area = 0;
	int type;

	if (!row->wkb)
		return LG_OK;
	/* Envelope test before parsing: most rows of a big layer are far
	 * from every probe. */
	if (row->has_env && !w->to_work &&
	    (row->maxx < w->all_env[0] || row->minx > w->all_env[2] ||
	     row->maxy < w->all_env[1] || row->miny > w->all_env[3]))
		return LG_OK;
	if (row->has_env && !w->to_work && w->occ &&
	    !lg__occ_meets(w->occ, row->minx, row->miny, row->maxx, row->maxy))
		return LG_OK;
	g = GEOSWKBReader_read_r(h, w->rd, row->wkb, row->wkb_len);
	w->pristine = true;
	if (!g)
		return lg_ctx_error(w->ctx, LG_GEOM,
				    "feature %s (FID %lld) has a geometry that cannot be read (%s); "
				    "repair it in the source",
				    row->id, (long long)row->fid, w->ctx->geos_msg);
	w->out.rows_parsed++;
	if (w->to_work) {
		GEOSGeometry *t = NULL;
		st = lg_transform_geom(w->ctx, w->to_work, g, &t);
		GEOSGeom_destroy_r(h, g);
		w->pristine = false;
		if (st)
			return lg_ctx_error(w->ctx, st, "feature %s cannot be transformed to the "
						     "working CRS", row->id);
		g = t;
	}
	if (GEOSisEmpty_r(h, g))
		goto done;
	type = GEOSGeomTypeId_r(h, g);
	bool areal = type == GEOS_POLYGON || type == GEOS_MULTIPOLYGON ||
		     type == GEOS_GEOMETRYCOLLECTION;
	w->ncand = 0;
	GEOSSTRtree_query_r(h, w->tree, g, collect, w);
	if (!w->ncand)
		goto done;
	/* Streams skip the reader's repair pass: repair here, but only rows
	 * near a probe pay for the validity test. */
	if (areal && GEOSisValid_r(h, g) != 1) {
		GEOSGeometry *v = GEOSMakeValid_r(h, g);
		if (v) {
			GEOSGeom_destroy_r(h, g);
			g = polygonal(h, v);
			if (!g)
				return LG_OK;
			w->repaired++;
			w->pristine = false;
		}
	}
	if (areal)
		GEOSArea_r(h, g, &row_area);
	double genv[4] = {0, 0, 0, 0};
	if (!GEOSGeom_getXMin_r(h, g, &genv[0]) || !GEOSGeom_getYMin_r(h, g, &genv[1]) ||
	    !GEOSGeom_getXMax_r(h, g, &genv[2]) || !GEOSGeom_getYMax_r(h, g, &genv[3]))
		genv[0] = genv[1] = -INFINITY, genv[2] = genv[3] = INFINITY; /* never "inside" */
	if (w->ncand > 1)
		lg__qsort(w->cand, w->ncand, sizeof *w->cand, cmp_size);
	for (size_t k = 0; k < w->ncand && !st; k++) {
		size_t s = w->cand[k];
		const GEOSPreparedGeometry *pg = w->prep[s];
		if (!pg) {
			pg = w->prep[s] = GEOSPrepare_r(h, w->probes[s]);
			if (!pg)
				return lg_ctx_error(w->ctx, LG_INTERNAL, "cannot prepare a geometry");
		}
		if (!areal) {
			if (GEOSPreparedIntersects_r(h, pg, g) == 1) {
				/* A point meeting a probe is its own overlap; an
				 * overlay op against a large probe (a merged zone with
				 * thousands of vertices) would cost milliseconds. */
				if (type == GEOS_POINT) {
					st = add_pair(w, row, s, g, 0, 0, false);
					continue;
				}
				GEOSGeometry *inter = GEOSIntersection_r(h, w->probes[s], g);
				if (inter) {
					st = add_pair(w, row, s, inter, 0, 0, false);
					GEOSGeom_destroy_r(h, inter);
				}
			}
			continue;
		}
		/* Containment shortcut: the row is the overlap.  Only a row whose
		 * envelope lies strictly inside the probe's can be inside it:
		 * rows sticking out skip the test. */
		const double *pe = &w->probe_env[4 * s];
		if (genv[0] > pe[0] && genv[1] > pe[1] && genv[2] < pe[2] && genv[3] < pe[3] &&
		    GEOSPreparedContainsProperly_r(h, pg, g) == 1) {
			w->out.shortcuts++;
			if (row_area > w->opts->min_area_m2)
				st = add_pair(w, row, s, g, row_area, row_area, true);
			continue;
		}
		if (GEOSPreparedIntersects_r(h, pg, g) != 1)
			continue;
		GEOSGeometry *inter = GEOSIntersection_r(h, w->probes[s], g);
		w->out.intersections++;
		if (!inter) {
			/* Robustness failures on dirty data: snap both to a
			 * millimetre grid and try once more. */
			GEOSGeometry *a = GEOSGeom_setPrecision_r(h, w->probes[s], 0.001, 0);
			GEOSGeometry *b = GEOSGeom_setPrecision_r(h, g, 0.001, 0);
			if (a && b)
				inter = GEOSIntersection_r(h, a, b);
			if (a)
				GEOSGeom_destroy_r(h, a);
			if (b)
				GEOSGeom_destroy_r(h, b);
			if (!inter)
				return lg_ctx_error(w->ctx, LG_GEOM,
						    "cannot intersect feature %s with item %zu (%s); "
						    "check both geometries",
						    row->id, s + 1, w->ctx->geos_msg);
		}
		inter = polygonal(h, inter);
		if (!inter)
			continue;
		double a = 0;
		GEOSArea_r(h, inter, &a);
		if (a > w->opts->min_area_m2)
			st = add_pair(w, row, s, inter, a, row_area, false);
		GEOSGeom_destroy_r(h, inter);
	}
done:
	GEOSGeom_destroy_r(h, g);
	return st;
}

static void *work(void *arg)
{
	worker *w = arg;
	lg_row_batch *b;
	while ((b = q_take(w->q)) != NULL) {
		for (size_t i = 0; i < b->n && !w->st; i++) {
			lg_status st = do_row(w, &b->rows[i]);
			if (st)
				__atomic_store_n(&w->st, st, __ATOMIC_RELEASE);
		}
		if (w->q->owns) {
			lg_row_batch_free(b);
			free(b);
		}
	}
	return NULL;
}

static void worker_release(worker *w)
{
	if (!w->ctx)
		return;
	GEOSContextHandle_t h = w->ctx->geos;
	if (w->tree)
		GEOSSTRtree_destroy_r(h, w->tree);
	for (size_t i = 0; i < w->nprobes; i++) {
		if (w->prep && w->prep[i])
			GEOSPreparedGeom_destroy_r(h, w->prep[i]);
		if (w->probes && w->probes[i])
			GEOSGeom_destroy_r(h, w->probes[i]);
	}
	free(w->prep);
	free(w->probes);
	free(w->probe_env);
	free(w->cand);
	if (w->rd)
		GEOSWKBReader_destroy_r(h, w->rd);
	if (w->wr)
		GEOSWKBWriter_destroy_r(h, w->wr);
	lg_transform_destroy(w->to_work);
	lg_ellps_destroy(w->ellps);
	lg_pairs_release(&w->out);
	lg_ctx_destroy(w->ctx);
	w->ctx = NULL;
}

/* Copies the probes into the worker's own handle through WKB and indexes
 * them; GEOS objects must not be shared between handles' threads. */
static lg_status worker_init(worker *w, lg_ctx *parent, const unsigned char *const *wkbs,
			     const size_t *lens, size_t n, const lg_crs *work_crs,
			     const lg_crs *rows_crs, const lg_engine_opts *o, queue *q)
{
	lg_crs *wc = NULL, *rc = NULL;
	lg_status st = LG_OK;
	GEOSContextHandle_t h;
	memset(w, 0, sizeof *w);
	w->ctx = lg_ctx_create_worker(parent);
	if (!w->ctx)
		return lg_ctx_error(parent, LG_NOMEM, "out of memory creating a worker");
	h = w->ctx->geos;
	w->q = q;
	w->opts = o;
	w->nprobes = n;
	w->probes = calloc(n + 1, sizeof *w->probes);
	w->prep = calloc(n + 1, sizeof *w->prep);
	w->probe_env = calloc(4 * n + 4, sizeof *w->probe_env);
	w->tree = GEOSSTRtree_create_r(h, 10);
	w->rd = GEOSWKBReader_create_r(h);
	w->wr = GEOSWKBWriter_create_r(h);
	if (!w->probes || !w->prep || !w->probe_env || !w->tree || !w->rd || !w->wr)
		return lg_ctx_error(parent, LG_NOMEM, "out of memory creating a worker");
	w->all_env[0] = w->all_env[1] = INFINITY;
	w->all_env[2] = w->all_env[3] = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		double *e = &w->probe_env[4 * i];
		w->probes[i] = GEOSWKBReader_read_r(h, w->rd, wkbs[i], lens[i]);
		if (!w->probes[i])
			return lg_ctx_error(parent, LG_INTERNAL, "cannot copy item %zu", i + 1);
		if (GEOSisEmpty_r(h, w->probes[i]))
			continue;
		GEOSGeom_getXMin_r(h, w->probes[i], &e[0]);
		GEOSGeom_getYMin_r(h, w->probes[i], &e[1]);
		GEOSGeom_getXMax_r(h, w->probes[i], &e[2]);
		GEOSGeom_getYMax_r(h, w->probes[i], &e[3]);
		if (e[0] < w->all_env[0]) w->all_env[0] = e[0];
		if (e[1] < w->all_env[1]) w->all_env[1] = e[1];
		if (e[2] > w->all_env[2]) w->all_env[2] = e[2];
		if (e[3] > w->all_env[3]) w->all_env[3] = e[3];
		GEOSSTRtree_insert_r(h, w->tree, w->probes[i], (void *)(uintptr_t)(i + 1));
	}
	if ((st = lg_crs_clone(w->ctx, work_crs, &wc)))
		goto done;
	if (rows_crs && !lg_crs_same(rows_crs, work_crs)) {
		if ((st = lg_crs_clone(w->ctx, rows_crs, &rc)) ||
		    (st = lg_transform_create(w->ctx, rc, wc, &w->to_work)))
			goto done;
	}
	if (o->ellps)
		st = lg_ellps_create(w->ctx, wc, &w->ellps);
done:
	if (st)
		lg_ctx_error(parent, st, "%s", lg_ctx_errmsg(w->ctx));
	lg_crs_destroy(wc);
	lg_crs_destroy(rc);
	return st;
}

/* Natural order of ids: numbers by value, else bytewise. */
static int cmp_pair(const void *a, const void *b)
{
	const lg_pair *x = a, *y = b;
	if (x->probe != y->probe)
		return x->probe < y->probe ? -1 : 1;
	return x->fid < y->fid ? -1 : x->fid > y->fid;
}

/* The four texts of a pair in one block: from `pool` when given (the
 * pair is then pooled), else malloc'd (lg_pairs_release frees id only). */
static bool pair_texts(lg_pair *p, lg__pool **pool, const char *id, const char *code,
		       const char *name, const char *extra)
{
	const char *t[4] = {id ? id : "", code ? code : "", name ? name : "", extra ? extra : ""};
	char **dst[4] = {&p->id, &p->code, &p->name, &p->extra};
	size_t len[4], total = 0;
	char *blk;
	for (int k = 0; k < 4; k++)
		total += (len[k] = strlen(t[k])) + 1;
	blk = pool ? lg__pool_alloc(pool, total) : malloc(total);
	if (!blk) {
		p->id = p->code = p->name = p->extra = NULL;
		return false;
	}
	p->pooled = pool != NULL;
	for (int k = 0; k < 4; k++) {
		memcpy(blk, t[k], len[k] + 1);
		*dst[k] = blk;
		blk += len[k] + 1;
	}
	return true;
}

bool lg_pair_set(lg_pair *p, const char *id, const char *code, const char *name,
		 const char *extra, const unsigned char *wkb, size_t wkb_len)
{
	/* One block for the four texts: a million pairs are a million
	 * allocations fewer (lg_pairs_release frees id only). */
	if (!pair_texts(p, NULL, id, code, name, extra))
		return false;
	p->wkb = wkb && wkb_len ? malloc(wkb_len) : NULL;
	if (wkb && wkb_len && !p->wkb) {
		free(p->id);
		p->id = p->code = p->name = p->extra = NULL;
		return false;
	}
	if (p->wkb)
		memcpy(p->wkb, wkb, wkb_len);
	p->wkb_len = p->wkb ? wkb_len : 0;
	return true;
}

void lg_row_store_release(lg_row_store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++) {
		lg_row_batch_free(s->b[i]);
		free(s->b[i]);
	}
	free(s->b);
	memset(s, 0, sizeof *s);
}

void lg_pairs_release(lg_pairs *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++) {
		if (p->v[i].pooled)
			continue;
		free(p->v[i].id); /* one block with code, name and extra */
		free(p->v[i].wkb);
	}
	free(p->v);
	lg__pool_free(&p->pool);
	memset(p, 0, sizeof *p);
}

lg_status lg_engine_run(lg_ctx *ctx, lg_geom *const *probes, size_t nprobes,
			const lg_crs *work_crs, lg_rows *rows,
			const lg_engine_opts *o, lg_pairs *out)
{
	int nw = lg_ctx_threads(ctx);
	worker *ws = NULL;
	unsigned char **wkbs = NULL;
	size_t *lens = NULL;
	GEOSWKBWriter *wr = NULL;
	queue q;
	lg__occ occ = {0};
	lg_status st = LG_OK;
	int started = 0;
	const lg_layer *schema = lg_rows_schema(rows);
	double total = (double)lg_rows_count(rows);

	memset(out, 0, sizeof *out);
	q_init(&q);
	q.owns = !o->keep && !o->replay;
	if (nw > 32)
		nw = 32;
	wkbs = calloc(nprobes + 1, sizeof *wkbs);
	lens = calloc(nprobes + 1, sizeof *lens);
	ws = calloc((size_t)nw, sizeof *ws);
	wr = GEOSWKBWriter_create_r(ctx->geos);
	if (!wkbs || !lens || !ws || !wr) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < nprobes; i++) {
		wkbs[i] = GEOSWKBWriter_write_r(ctx->geos, wr, probes[i], &lens[i]);
		if (!wkbs[i]) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "cannot encode item %zu", i + 1);
			goto done;
		}
	}
	/* The stream's own index, when the probes are few and small. */
	if (o->use_filter && nprobes && schema->crs && lg_crs_same(schema->crs, work_crs)) {
		double *rects = malloc(nprobes * 4 * sizeof *rects);
		size_t k = 0;
		if (!rects) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < nprobes; i++) {
			double *r = &rects[4 * k];
			if (GEOSisEmpty_r(ctx->geos, probes[i]))
				continue;
			GEOSGeom_getXMin_r(ctx->geos, probes[i], &r[0]);
			GEOSGeom_getYMin_r(ctx->geos, probes[i], &r[1]);
			GEOSGeom_getXMax_r(ctx->geos, probes[i], &r[2]);
			GEOSGeom_getYMax_r(ctx->geos, probes[i], &r[3]);
			k++;
		}
		st = lg_rows_set_filter(ctx, rows, rects, k);
		free(rects);
		if (st)
			goto done;
	}
	if (nprobes) {
		double *pe = malloc(nprobes * 4 * sizeof *pe);
		if (!pe) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		for (size_t i = 0; i < nprobes; i++) {
			double *r = &pe[4 * i];
			r[0] = r[1] = r[2] = r[3] = NAN;
			if (GEOSisEmpty_r(ctx->geos, probes[i]))
				continue;
			GEOSGeom_getXMin_r(ctx->geos, probes[i], &r[0]);
			GEOSGeom_getYMin_r(ctx->geos, probes[i], &r[1]);
			GEOSGeom_getXMax_r(ctx->geos, probes[i], &r[2]);
			GEOSGeom_getYMax_r(ctx->geos, probes[i], &r[3]);
		}
		lg__occ_build(&occ, pe, nprobes); /* no grid: every row is looked at */
		free(pe);
	}
	for (int i = 0; i < nw; i++) {
		st = worker_init(&ws[i], ctx, (const unsigned char *const *)wkbs, lens, nprobes,
				 work_crs, schema->crs, o, &q);
		if (st)
			goto stop;
		ws[i].occ = occ.cell ? &occ : NULL;
	}
	for (int i = 0; i < nw; i++) {
		if (pthread_create(&ws[i].thread, NULL, work, &ws[i]) != 0) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "cannot start a worker thread");
			goto stop;
		}
		started++;
	}
	for (size_t next = 0;; next++) {
		lg_row_batch *b;
		if (o->replay) {
			if (next == o->replay->n)
				break;
			b = o->replay->b[next];
		} else {
			b = calloc(1, sizeof *b);
			if (!b) {
				st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
				break;
			}
			st = lg_rows_next(ctx, rows, b, BATCH_ROWS);
			if (st || b->n == 0) {
				lg_row_batch_free(b);
				free(b);
				break;
			}
			if (o->keep) {
				if (lg__grow(ctx, (void **)&o->keep->b, &o->keep->cap, o->keep->n + 1,
					     sizeof *o->keep->b)) {
					lg_row_batch_free(b);
					free(b);
					st = LG_NOMEM;
					break;
				}
				o->keep->b[o->keep->n++] = b;
			}
		}
		out->rows_read += b->n;
		q_put(&q, b);
		lg_ctx_progress(ctx, "overlay", (double)out->rows_read, total);
		/* A worker that failed stops the run early. */
		bool failed = false;
		for (int i = 0; i < started; i++)
			failed |= __atomic_load_n(&ws[i].st, __ATOMIC_ACQUIRE) != LG_OK;
		if (failed)
			break;
	}
stop:
	q_close(&q);
	for (int i = 0; i < started; i++)
		pthread_join(ws[i].thread, NULL);
	lg_ctx_progress(ctx, "overlay", (double)out->rows_read, (double)out->rows_read);
	for (int i = 0; i < nw && !st; i++)
		if (ws[i].st) {
			st = lg_ctx_error(ctx, ws[i].st, "%s", lg_ctx_errmsg(ws[i].ctx));
		}
	if (!st) {
		size_t total_pairs = 0;
		for (int i = 0; i < nw; i++)
			total_pairs += ws[i].out.n;
		out->v = malloc((total_pairs + 1) * sizeof *out->v);
		if (!out->v) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		} else {
			for (int i = 0; i < nw; i++) {
				if (ws[i].out.n)
					memcpy(out->v + out->n, ws[i].out.v, ws[i].out.n * sizeof *out->v);
				out->n += ws[i].out.n;
				out->rows_parsed += ws[i].out.rows_parsed;
				out->shortcuts += ws[i].out.shortcuts;
				out->intersections += ws[i].out.intersections;
				out->repaired += ws[i].repaired;
				lg__pool_splice(&out->pool, &ws[i].out.pool);
				free(ws[i].out.v);
				memset(&ws[i].out, 0, sizeof ws[i].out);
				lg_ctx_merge_warnings(ctx, ws[i].ctx);
			}
			out->cap = out->n;
			if (!o->unsorted)
				lg__qsort(out->v, out->n, sizeof *out->v, cmp_pair);
		}
	}
done:
	if (ws)
		for (int i = 0; i < nw; i++)
			worker_release(&ws[i]);
	q_destroy(&q);
	lg__occ_free(&occ);
	if (wkbs)
		for (size_t i = 0; i < nprobes; i++)
			if (wkbs[i])
				GEOSFree_r(ctx->geos, wkbs[i]);
	free(wkbs);
	free(lens);
	free(ws);
	if (wr)
		GEOSWKBWriter_destroy_r(ctx->geos, wr);
	if (st)
		lg_pairs_release(out);
	return st;
}
