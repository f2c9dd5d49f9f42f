/* A coarse occupancy grid over a set of rectangles (see lg_internal.h). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"

bool lg__occ_build(lg__occ *o, const double *rects, size_t n)
{
	double e[4] = {INFINITY, INFINITY, -INFINITY, -INFINITY};
	memset(o, 0, sizeof *o);
	for (size_t i = 0; i < n; i++) {
		const double *r = &rects[4 * i];
		if (!(isfinite(r[0]) && isfinite(r[1]) && isfinite(r[2]) && isfinite(r[3])))
			continue;
		for (int k = 0; k < 2; k++) {
			if (r[k] < e[k]) e[k] = r[k];
			if (r[k + 2] > e[k + 2]) e[k + 2] = r[k + 2];
		}
	}
	if (!isfinite(e[0]))
		return false;
	o->cell = calloc((size_t)LG__OCC_N * LG__OCC_N, 1);
	if (!o->cell)
		return false;
	o->x0 = e[0];
	o->y0 = e[1];
	o->cw = (e[2] - e[0]) / LG__OCC_N + 1e-9;
	o->ch = (e[3] - e[1]) / LG__OCC_N + 1e-9;
	for (size_t i = 0; i < n; i++) {
		const double *r = &rects[4 * i];
		if (!(isfinite(r[0]) && isfinite(r[1]) && isfinite(r[2]) && isfinite(r[3])))
			continue;
		long i0 = (long)floor((r[0] - o->x0) / o->cw), i1 = (long)floor((r[2] - o->x0) / o->cw);
		long j0 = (long)floor((r[1] - o->y0) / o->ch), j1 = (long)floor((r[3] - o->y0) / o->ch);
		if (i0 < 0) i0 = 0;
		if (j0 < 0) j0 = 0;
		if (i1 >= LG__OCC_N) i1 = LG__OCC_N - 1;
		if (j1 >= LG__OCC_N) j1 = LG__OCC_N - 1;
		for (long j = j0; j <= j1; j++)
			memset(o->cell + j * LG__OCC_N + i0, 1, (size_t)(i1 - i0 + 1));
	}
	return true;
}

bool lg__occ_meets(const lg__occ *o, double minx, double miny, double maxx, double maxy)
{
	long i0 = (long)floor((minx - o->x0) / o->cw), i1 = (long)floor((maxx - o->x0) / o->cw);
	long j0 = (long)floor((miny - o->y0) / o->ch), j1 = (long)floor((maxy - o->y0) / o->ch);
	if (!o->cell)
		return true;
	if (i1 < 0 || j1 < 0 || i0 >= LG__OCC_N || j0 >= LG__OCC_N)
		return false;
	if (i0 < 0) i0 = 0;
	if (j0 < 0) j0 = 0;
	if (i1 >= LG__OCC_N) i1 = LG__OCC_N - 1;
	if (j1 >= LG__OCC_N) j1 = LG__OCC_N - 1;
	if ((i1 - i0 + 1) * (j1 - j0 + 1) > 64)
		return true; /* a large rectangle: let the exact test decide */
	for (long j = j0; j <= j1; j++)
		for (long i = i0; i <= i1; i++)
			if (o->cell[j * LG__OCC_N + i])
				return true;
	return false;
}

void lg__occ_free(lg__occ *o)
{
	free(o->cell);
	o->cell = NULL;
}
