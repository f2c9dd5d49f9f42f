/* Private to liblandguard: the context layout and small helpers. */
#ifndef LG_INTERNAL_H
#define LG_INTERNAL_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <proj.h>

#include "landguard/core.h"

struct lg_ctx {
	GEOSContextHandle_t geos;
	PJ_CONTEXT *proj;
	lg_status err;
	char errmsg[2048];
	char geos_msg[512]; /* last message from GEOS, folded into errors */
	lg_log_fn log;
	void *log_ud;
	lg_progress_fn progress;
	void *progress_ud;
	int threads;
	char **warnings;
	size_t nwarnings, capwarnings;
	char *datadir;
	long alloc_count;
	long fail_alloc_at;
};

/* Allocation through the context, so tests can inject failures.  On failure
 * they set LG_NOMEM in ctx and return NULL. */
void *lg__malloc(lg_ctx *ctx, size_t n);
void *lg__calloc(lg_ctx *ctx, size_t n, size_t size);
void *lg__realloc(lg_ctx *ctx, void *p, size_t n);
char *lg__strdup(lg_ctx *ctx, const char *s);
/* Grow *arr (element size `el`) so it holds at least `need`; keeps *cap. */
lg_status lg__grow(lg_ctx *ctx, void **arr, size_t *cap, size_t need,
		   size_t el);

/* Case-insensitive ASCII compare, and trim helpers. */
int lg__strieq(const char *a, const char *b);
char *lg__trim(char *s);

#define LG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* qsort that accepts an empty (possibly NULL) array: passing NULL to qsort
 * is undefined even when n is 0, and UBSan says so. */
#include <stdlib.h>
static inline void lg__qsort(void *base, size_t n, size_t size,
			     int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}
void qsort_r(void *base, size_t n, size_t size,
	     int (*cmp)(const void *, const void *, void *), void *arg);
static inline void lg__qsort_r(void *base, size_t n, size_t size,
			       int (*cmp)(const void *, const void *, void *), void *arg)
{
	if (n > 1)
		qsort_r(base, n, size, cmp, arg);
}



/* lib/core/pool.c: memory in blocks freed together, for the many small
 * pieces of one result (a pair's texts and overlap, a layer's shared
 * strings).  A freed-together block list also spares the many frees of
 * pieces allocated in another thread's malloc arena. */
typedef struct lg__pool lg__pool;
struct lg__pool {
	lg__pool *next;
	size_t used, cap;
	_Alignas(8) char data[];
};
/* n bytes, 8-byte aligned, valid until lg__pool_free; NULL when out of
 * memory. */
void *lg__pool_alloc(lg__pool **head, size_t n);
void lg__pool_free(lg__pool **head);
/* Moves every block of *src to *dst (*src becomes empty). */
void lg__pool_splice(lg__pool **dst, lg__pool **src);

/* lib/geom/occgrid.c: which cells of a coarse grid over a set of
 * rectangles (x0,y0,x1,y1 each) any of them touches, so that rows far from
 * all of them are skipped before their WKB is parsed or even copied.  The
 * test is conservative: a rectangle may "meet" without touching any. */
#define LG__OCC_N 512
typedef struct lg__occ {
	double x0, y0, cw, ch;
	unsigned char *cell; /* LG__OCC_N², NULL = no grid (everything meets) */
} lg__occ;
/* false when no rectangle is finite or out of memory (o->cell NULL). */
bool lg__occ_build(lg__occ *o, const double *rects, size_t n);
bool lg__occ_meets(const lg__occ *o, double minx, double miny, double maxx, double maxy);
void lg__occ_free(lg__occ *o);

/* lib/io: shortest round-tripping text of a double (at most 15 digits). */
void lg__fmt_real(char *buf, size_t n, double d);
/* lib/io: comma-separated common field names for a role. */
#include "landguard/layer.h"
const char *lg__role_candidates(lg_role r);
#endif
