/* check: the parcel context, built once per run (uses, sites, events,
 * samples, units), for the rule functions in rules.c. */
#define _GNU_SOURCE
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/check_ctx.h"

const char *lg__base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

/* "sites.gpkg", or "sites.gpkg#units" when the layer is not named after
 * the file, so evidence says where to look. */
static void layer_label(const lg_layer *l, char *buf, size_t n)
{
	const char *b = lg__base(l->path ? l->path : l->name);
	const char *dot = strrchr(b, '.');
	size_t stem = dot ? (size_t)(dot - b) : strlen(b);
	if (!l->path || !l->name || (strlen(l->name) == stem && !strncmp(l->name, b, stem)) ||
	    lg__strieq(l->driver ? l->driver : "", "CSV"))
		snprintf(buf, n, "%s", b);
	else
		snprintf(buf, n, "%s#%s", b, l->name);
}

/* ---- use codes ----------------------------------------------------------- */

static lg_status column_system(lg_check_ctx *c, const lg_layer *l, int f, const char **sys)
{
	const char **codes = lg__calloc(c->ctx, l->n + 1, sizeof *codes);
	char **copies = lg__calloc(c->ctx, l->n + 1, sizeof *copies);
	*sys = NULL;
	if (!codes || !copies) {
		free(codes);
		free(copies);
		return LG_NOMEM;
	}
	for (size_t i = 0; i < l->n; i++) {
		copies[i] = strdup(lg_feature_text(l, &l->feat[i], f));
		codes[i] = copies[i] ? copies[i] : "";
	}
	lg_landuse_detect(c->o->landuse, codes, l->n, sys, NULL);
	const char *hint = lg_landuse_system_hint(l->fields[f].name);
	if (hint)
		*sys = hint;
	for (size_t i = 0; i < l->n; i++)
		free(copies[i]);
	free(copies);
	free(codes);
	return LG_OK;
}

static lg_status lookup(lg_check_ctx *c, const char *code, const char *sys, const lg_layer *l,
			const lg_feature *f, int field, lg_landuse_info *li, bool *known)
{
	*known = false;
	memset(li, 0, sizeof *li);
	li->cls = LG_USE_UNKNOWN;
	if (!*code)
		return LG_OK;
	*known = lg_landuse_lookup(c->o->landuse, code, sys, li) ||
		 lg_landuse_lookup(c->o->landuse, code, NULL, li);
	if (!*known)
		return lg_ctx_error(c->ctx, LG_CODE,
				    "'%s' feature %s field '%s': land-use code '%s' is in no "
				    "land-use table (GB/T 21010, 三调, 用地用海, GB 50137); correct it or "
				    "add it with --landuse-table",
				    c->parcels_file, lg_feature_id(l, f), l->fields[field].name, code);
	return LG_OK;
}

static lg_status parcel_uses(lg_check_ctx *c)
{
	const lg_layer *l = c->in->parcels;
	int of = l->role[LG_ROLE_ORIG_CODE];
	int pf = l->role[LG_ROLE_PLAN_CODE] >= 0 ? l->role[LG_ROLE_PLAN_CODE] : l->role[LG_ROLE_CODE];
	const char *osys = NULL, *psys = NULL;
	lg_status st;
	size_t no_orig = 0;
	if (pf < 0 && !c->in->plan)
		return lg_ctx_error(c->ctx, LG_FIELD,
				    "'%s' has no planned-use field (plan_code, 规划用途, YDYHFLDM ...) "
				    "and no --plan was given; name the field with "
				    "--parcels-plan-code-field or give --plan PLAN",
				    c->parcels_file);
	if (of < 0)
		lg_ctx_warn(c->ctx,
			    "'%s' has no original-use field (orig_code, 原用途, YDDM_Y); no parcel "
			    "is exempt from YZ-01 as already 一住两公; name it with "
			    "--parcels-orig-code-field",
			    c->parcels_file);
	if (of >= 0 && (st = column_system(c, l, of, &osys)))
		return st;
	if (pf >= 0 && (st = column_system(c, l, pf, &psys)))
		return st;
	for (size_t i = 0; i < c->nparcels; i++) {
		parcel *p = &c->parcels[i];
		const lg_feature *f = &l->feat[p->feat];
		if (of >= 0) {
			snprintf(p->orig_code, sizeof p->orig_code, "%s", lg_feature_text(l, f, of));
			lg__trim(p->orig_code);
			if ((st = lookup(c, p->orig_code, osys, l, f, of, &p->orig, &p->orig_known)))
				return st;
			if (!*p->orig_code)
				no_orig++;
		}
		if (pf >= 0 && c->in->plan) {
			/* --plan decides; the field is kept to fall back on where the
			 * plan does not reach, and to show where the two disagree.  An
			 * unknown code here is an error only if it is needed. */
			snprintf(p->attr_code, sizeof p->attr_code, "%s", lg_feature_text(l, f, pf));
			lg__trim(p->attr_code);
			p->attr_known = *p->attr_code &&
					(lg_landuse_lookup(c->o->landuse, p->attr_code, psys, &p->attr) ||
					 lg_landuse_lookup(c->o->landuse, p->attr_code, NULL, &p->attr));
		}
		if (pf >= 0 && !c->in->plan) {
			snprintf(p->plan_code, sizeof p->plan_code, "%s", lg_feature_text(l, f, pf));
			lg__trim(p->plan_code);
			if ((st = lookup(c, p->plan_code, psys, l, f, pf, &p->plan, &p->plan_known)))
				return st;
			if (!*p->plan_code)
				return lg_ctx_error(c->ctx, LG_FIELD,
						    "'%s' feature %s: the planned-use field '%s' is "
						    "empty; fill it in or give --plan PLAN",
						    c->parcels_file, p->id, l->fields[pf].name);
		}
	}
	if (no_orig)
		lg_ctx_warn(c->ctx,
			    "%zu parcel%s in '%s' ha%s no original-use code: not exempt from YZ-01",
			    no_orig, no_orig == 1 ? "" : "s", c->parcels_file, no_orig == 1 ? "s" : "ve");
	return LG_OK;
}

typedef struct code_area {
	size_t parcel;
	const char *code;
	double m2;
} code_area;

static int cmp_code_area(const void *a, const void *b)
{
	const code_area *x = a, *y = b;
	if (x->parcel != y->parcel)
		return x->parcel < y->parcel ? -1 : 1;
	return strcmp(x->code, y->code);
}

/* A plan code in the plan's own system first, then in any table (a plan
 * layer may mix 用地用海 and GB 50137 codes). */
static bool lookup_plan(const lg_check_ctx *c, const char *code, const char *sys,
			lg_landuse_info *li)
{
	memset(li, 0, sizeof *li);
	li->cls = LG_USE_UNKNOWN;
	return (sys && lg_landuse_lookup(c->o->landuse, code, sys, li)) ||
	       lg_landuse_lookup(c->o->landuse, code, NULL, li);
}

/* The code system of the plan codes met, when the field's name says none. */
static lg_status plan_system(lg_check_ctx *c, const code_area *ca, size_t n, const char **sys)
{
	const char **codes = lg__calloc(c->ctx, n + 1, sizeof *codes);
	if (!codes)
		return LG_NOMEM;
	for (size_t i = 0; i < n; i++)
		codes[i] = ca[i].code;
	lg_landuse_detect(c->o->landuse, codes, n, sys, NULL);
	free(codes);
	return LG_OK;
}

/* Planned use by overlay: the code covering most of the parcel. */
static lg_status plan_by_overlay(lg_check_ctx *c)
{
	lg_geom **probes = lg__calloc(c->ctx, c->nparcels + 1, sizeof *probes);
	size_t *probe_parcel = lg__calloc(c->ctx, c->nparcels + 1, sizeof *probe_parcel);
	code_area *ca = NULL;
	lg_pairs pairs = {0};
	lg_engine_opts eo = {0};
	lg_buf disagree;
	size_t np = 0;
	lg_status st = LG_OK;
	const lg_layer *ps = lg_rows_schema(c->in->plan);
	int cf = ps->role[LG_ROLE_CODE];
	const char *sys = cf >= 0 ? lg_landuse_system_hint(ps->fields[cf].name) : NULL;
	lg_buf_init(&disagree);
	if (!probes || !probe_parcel) {
		st = LG_NOMEM;
		goto done;
	}
	if (cf < 0) {
		st = lg_ctx_error(c->ctx, LG_FIELD,
				  "'%s' has no land-use code field (YDYHFLDM, DLBM, YDDM, code ...); "
				  "name it with --plan-code-field",
				  c->plan_file);
		goto done;
	}
	for (size_t i = 0; i < c->nparcels; i++)
		if (c->parcels[i].geom) {
			probes[np] = (lg_geom *)c->parcels[i].geom;
			probe_parcel[np++] = i;
		}
	eo.min_area_m2 = c->min_m2;
	eo.use_filter = true;
	if ((st = lg_engine_run(c->ctx, probes, np, c->in->work, c->in->plan, &eo, &pairs)))
		goto done;
	ca = lg__calloc(c->ctx, pairs.n + 1, sizeof *ca);
	if (!ca) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < pairs.n; i++) {
		ca[i].parcel = probe_parcel[pairs.v[i].probe];
		ca[i].code = pairs.v[i].code;
		ca[i].m2 = pairs.v[i].area_m2;
	}
	lg__qsort(ca, pairs.n, sizeof *ca, cmp_code_area);
	if (!sys && (st = plan_system(c, ca, pairs.n, &sys)))
		goto done;
	for (size_t i = 0; i < pairs.n;) {
		size_t j = i;
		parcel *p = &c->parcels[ca[i].parcel];
		/* equal areas within this (a millionth of a square metre per
		 * hectare) are a tie, not floating-point noise deciding */
		double tol = 1e-10 * (p->area_m2 > 1 ? p->area_m2 : 1);
		double best = -1;
		const char *best_code = NULL;
		lg_landuse_info best_li, li;
		bool best_known = false;
		while (j < pairs.n && ca[j].parcel == ca[i].parcel) {
			size_t k = j;
			double m2 = 0;
			while (k < pairs.n && ca[k].parcel == ca[j].parcel &&
			       !strcmp(ca[k].code, ca[j].code))
				m2 += ca[k++].m2;
			if (*ca[j].code) {
				bool known = lookup_plan(c, ca[j].code, sys, &li);
				/* largest area wins; a tie goes to the 一住两公 use (the
				 * stricter reading), then to the code first in byte order
				 * (codes come sorted) */
				if (!best_code || m2 > best + tol ||
				    (m2 >= best - tol && known && li.yzlg && !(best_known && best_li.yzlg))) {
					best = m2;
					best_code = ca[j].code;
					best_li = li;
					best_known = known;
				}
			}
			j = k;
		}
		i = j;
		if (!best_code)
			continue; /* only features with an empty code: not covered */
		snprintf(p->plan_code, sizeof p->plan_code, "%s", best_code);
		p->plan_overlay = true;
		p->plan_share = p->area_m2 > 0 ? best / p->area_m2 : 0;
		c->sum->plan_from_overlay++;
		if (!best_known) {
			st = lg_ctx_error(c->ctx, LG_CODE,
					  "'%s': plan code '%s' (the largest part of parcel %s) is in no "
					  "land-use table; correct it or add it with --landuse-table",
					  c->plan_file, p->plan_code, p->id);
			goto done;
		}
		p->plan = best_li;
		p->plan_known = true;
		if (*p->attr_code && (!p->attr_known || p->attr.yzlg != p->plan.yzlg)) {
			c->sum->plan_disagree++;
			if (c->sum->plan_disagree <= 5)
				lg_buf_printf(&disagree, "%s%s (%s %s, %s %s)",
					      c->sum->plan_disagree > 1 ? ", " : "", p->id,
					      c->parcels_file, p->attr_code, c->plan_file, p->plan_code);
		}
	}
	if (c->sum->plan_disagree)
		lg_ctx_warn(c->ctx,
			    "%zu parcel%s: the planned use from '%s' and the parcel's own plan code "
			    "disagree on 一住两公: %s%s; the plan decides (docs/check.md), check the "
			    "parcels' plan codes",
			    c->sum->plan_disagree, c->sum->plan_disagree == 1 ? "" : "s", c->plan_file,
			    disagree.s ? disagree.s : "", c->sum->plan_disagree > 5 ? ", ..." : "");
	for (size_t i = 0; i < c->nparcels; i++) {
		parcel *p = &c->parcels[i];
		if (p->plan_overlay)
			continue;
		if (*p->attr_code) {
			/* outside the plan: the parcel's own code is the best evidence */
			if (!p->attr_known) {
				st = lg_ctx_error(c->ctx, LG_CODE,
						  "'%s' feature %s: '%s' does not cover the parcel and its "
						  "plan code '%s' is in no land-use table; correct it or add "
						  "it with --landuse-table",
						  c->parcels_file, p->id, c->plan_file, p->attr_code);
				goto done;
			}
			snprintf(p->plan_code, sizeof p->plan_code, "%s", p->attr_code);
			p->plan = p->attr;
			p->plan_known = true;
			p->plan_fallback = true;
			c->sum->plan_fallback++;
			lg_ctx_warn(c->ctx,
				    "parcel %s of '%s' meets no feature of '%s': its planned use is "
				    "its own plan code %s",
				    p->id, c->parcels_file, c->plan_file, p->plan_code);
		} else {
			c->sum->plan_uncovered++;
			lg_ctx_warn(c->ctx,
				    "parcel %s of '%s' meets no feature of '%s' and has no plan code: "
				    "its planned use is unknown and the use rules skip it",
				    p->id, c->parcels_file, c->plan_file);
		}
	}
done:
	lg_buf_release(&disagree);
	lg_pairs_release(&pairs);
	free(ca);
	free(probes);
	free(probe_parcel);
	return st;
}

/* ---- sites ----------------------------------------------------------------- */

static lg_status load_sites(lg_check_ctx *c)
{
	const lg_layer *l = c->in->sites;
	lg_stage *stages = NULL;
	lg_status st;
	if (!l)
		return LG_OK;
	if ((st = lg_sites_stages(c->ctx, l, c->o->has_stage_default, c->o->stage_default, &stages)))
		return st;
	c->sites = lg__calloc(c->ctx, l->n + 1, sizeof *c->sites);
	if (!c->sites) {
		free(stages);
		return LG_NOMEM;
	}
	int fi = l->role[LG_ROLE_INDUSTRY];
	for (size_t i = 0; i < l->n; i++) {
		site_info *s = &c->sites[i];
		s->feat = i;
		s->stage = stages[i];
		snprintf(s->id, sizeof s->id, "%s", lg_feature_id(l, &l->feat[i]));
		snprintf(s->industry, sizeof s->industry, "%s",
			 fi >= 0 ? lg_feature_text(l, &l->feat[i], fi) : "");
		const lg_geom *g = l->feat[i].geom;
		s->geom = g && !GEOSisEmpty_r(c->ctx->geos, g) ? g : NULL;
		if (!s->geom)
			c->sum->sites_without_geometry++;
	}
	c->nsites = l->n;
	c->sum->sites = l->n;
	free(stages);
	return LG_OK;
}

typedef struct collect {
	size_t *v;
	size_t n, cap;
	bool oom;
} collect;

static void on_item(void *item, void *ud)
{
	collect *cl = ud;
	if (cl->n == cl->cap) {
		size_t nc = cl->cap ? cl->cap * 2 : 16;
		size_t *v = realloc(cl->v, nc * sizeof *v);
		if (!v) {
			cl->oom = true;
			return;
		}
		cl->v = v;
		cl->cap = nc;
	}
	cl->v[cl->n++] = (size_t)(uintptr_t)item - 1;
}

static int cmp_hit(const void *a, const void *b, void *ud)
{
	const lg_check_ctx *c = ud;
	const hit *x = a, *y = b;
	return lg_id_cmp(c->sites[x->site].id, c->sites[y->site].id);
}

static lg_status site_hits(lg_check_ctx *c)
{
	GEOSContextHandle_t h = c->ctx->geos;
	GEOSSTRtree *tree = NULL;
	collect cl = {0};
	lg_status st = LG_OK;
	size_t n = 0;
	if (!c->nsites)
		return LG_OK;
	tree = GEOSSTRtree_create_r(h, 10);
	if (!tree)
		return lg_ctx_error(c->ctx, LG_INTERNAL, "cannot create a spatial index: %s",
				    c->ctx->geos_msg);
	for (size_t i = 0; i < c->nsites; i++)
		if (c->sites[i].geom) {
			GEOSSTRtree_insert_r(h, tree, (GEOSGeometry *)c->sites[i].geom,
					     (void *)(uintptr_t)(i + 1));
			n++;
		}
	for (size_t i = 0; i < c->nparcels && n; i++) {
		parcel *p = &c->parcels[i];
		double x0, y0, x1, y1;
		if (!p->geom)
			continue;
		if (!GEOSGeom_getXMin_r(h, p->geom, &x0) || !GEOSGeom_getYMin_r(h, p->geom, &y0) ||
		    !GEOSGeom_getXMax_r(h, p->geom, &x1) || !GEOSGeom_getYMax_r(h, p->geom, &y1))
			continue;
		double d = c->near_m + 1;
		GEOSGeometry *env = GEOSGeom_createRectangle_r(h, x0 - d, y0 - d, x1 + d, y1 + d);
		cl.n = 0;
		GEOSSTRtree_query_r(h, tree, env, on_item, &cl);
		GEOSGeom_destroy_r(h, env);
		if (cl.oom) {
			st = LG_NOMEM;
			break;
		}
		for (size_t k = 0; k < cl.n; k++) {
			const site_info *s = &c->sites[cl.v[k]];
			double dist = 0, area = 0;
			if (GEOSDistance_r(h, p->geom, s->geom, &dist) != 1) {
				st = lg_ctx_error(c->ctx, LG_GEOM, "distance of parcel %s to site %s failed: %s",
						  p->id, s->id, c->ctx->geos_msg);
				goto done;
			}
			if (dist > c->near_m + LG_NEAR_TOL_M)
				continue;
			if (dist == 0) {
				GEOSGeometry *x = GEOSIntersection_r(h, p->geom, s->geom);
				if (!x) {
					st = lg_ctx_error(c->ctx, LG_GEOM,
							  "overlap of parcel %s and site %s failed: %s",
							  p->id, s->id, c->ctx->geos_msg);
					goto done;
				}
				GEOSArea_r(h, x, &area);
				GEOSGeom_destroy_r(h, x);
			}
			if ((st = lg__grow(c->ctx, (void **)&p->hits, &p->caphits, p->nhits + 1,
					   sizeof *p->hits)))
				goto done;
			p->hits[p->nhits++] = (hit){cl.v[k], area, dist, area > c->min_m2};
		}
		if (p->nhits > 1)
			lg__qsort_r(p->hits, p->nhits, sizeof *p->hits, cmp_hit, c);
	}
done:
	free(cl.v);
	GEOSSTRtree_destroy_r(h, tree);
	return st;
}

/* ---- points in parcels (samples, units) ------------------------------------ */

static lg_status locate(lg_check_ctx *c, const lg_layer *l, int parcel_field, bool units)
{
	GEOSContextHandle_t h = c->ctx->geos;
	GEOSSTRtree *tree = GEOSSTRtree_create_r(h, 10);
	collect cl = {0};
	lg_status st = LG_OK;
	if (!tree)
		return LG_NOMEM;
	for (size_t i = 0; i < c->nparcels; i++)
		if (c->parcels[i].geom)
			GEOSSTRtree_insert_r(h, tree, (GEOSGeometry *)c->parcels[i].geom,
					     (void *)(uintptr_t)(i + 1));
	for (size_t j = 0; j < l->n; j++) {
		const lg_geom *g = l->feat[j].geom;
		cl.n = 0;
		if (g && !GEOSisEmpty_r(h, g)) {
			GEOSSTRtree_query_r(h, tree, (GEOSGeometry *)g, on_item, &cl);
			if (cl.oom) {
				st = LG_NOMEM;
				break;
			}
			size_t keep = 0;
			for (size_t k = 0; k < cl.n; k++)
				if (GEOSIntersects_r(h, c->parcels[cl.v[k]].geom, g) == 1)
					cl.v[keep++] = cl.v[k];
			cl.n = keep;
		} else if (parcel_field >= 0) {
			/* no geometry: the parcel the row names */
			const char *pid = lg_feature_text(l, &l->feat[j], parcel_field);
			for (size_t i = 0; i < c->nparcels; i++)
				if (!strcmp(c->parcels[i].id, pid)) {
					on_item((void *)(uintptr_t)(i + 1), &cl);
					break;
				}
		}
		for (size_t k = 0; k < cl.n; k++) {
			parcel *p = &c->parcels[cl.v[k]];
			size_t **arr = units ? &p->units : &p->samples;
			size_t *n = units ? &p->nunits : &p->nsamples;
			size_t cap = *n; /* grown one at a time: few per parcel */
			if ((st = lg__grow(c->ctx, (void **)arr, &cap, *n + 1, sizeof **arr)))
				goto done;
			(*arr)[(*n)++] = j;
		}
	}
done:
	free(cl.v);
	GEOSSTRtree_destroy_r(h, tree);
	return st;
}

static int field_named(const lg_layer *l, const char *const *names)
{
	for (; *names; names++) {
		int f = lg_layer_field(l, *names);
		if (f >= 0)
			return f;
	}
	return -1;
}

static lg_status load_samples(lg_check_ctx *c)
{
	const lg_layer *l = c->in->samples;
	static const char *const id_names[] = {"sample_id", "样品编号", "点位编号", "YPBH", NULL};
	static const char *const pid_names[] = {"parcel_id", "地块编号", "DKBH", NULL};
	lg_status st;
	if (!l)
		return LG_OK;
	if (!c->o->soil)
		return lg_ctx_error(c->ctx, LG_INTERNAL, "soil samples given without GB 36600 limits");
	c->sample_id_f = field_named(l, id_names);
	if (c->sample_id_f < 0)
		c->sample_id_f = l->role[LG_ROLE_ID];
	c->sample_item = lg__calloc(c->ctx, l->nfields + 1, sizeof *c->sample_item);
	c->sample_val = lg__calloc(c->ctx, l->n * l->nfields + 1, sizeof *c->sample_val);
	if (!c->sample_item || !c->sample_val)
		return LG_NOMEM;
	size_t nitems = 0;
	for (size_t j = 0; j < l->nfields; j++) {
		if ((int)j == c->sample_id_f)
			continue;
		c->sample_item[j] = lg_soil_item_find(c->o->soil, l->fields[j].name);
		nitems += c->sample_item[j] != NULL;
	}
	if (!nitems)
		lg_ctx_warn(c->ctx,
			    "'%s' has no column named after a GB 36600 item (砷, 镉, 六价铬, 铅 ...); "
			    "YZ-07 has nothing to judge",
			    c->samples_file);
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < l->nfields; j++) {
			if (!c->sample_item[j])
				continue;
			const lg_feature *f = &l->feat[i];
			lg_labvalue *v = &c->sample_val[i * l->nfields + j];
			if (f->vals[j].null) {
				lg_labvalue_parse(c->ctx, "", v);
			} else if (l->fields[j].type != LG_FT_STRING) {
				*v = lg_labvalue_number(l->fields[j].type == LG_FT_INT
								? (double)f->vals[j].u.i
								: f->vals[j].u.d);
			} else if (lg_labvalue_parse(c->ctx, f->vals[j].u.s, v)) {
				char why[512];
				snprintf(why, sizeof why, "%s", lg_ctx_errmsg(c->ctx));
				/* the row users see in a table (header = row 1), else the FID */
				bool sheet = l->driver && (lg__strieq(l->driver, "XLSX") ||
							   lg__strieq(l->driver, "ODS"));
				bool csv = l->driver && lg__strieq(l->driver, "CSV");
				return lg_ctx_error(
					c->ctx, LG_INPUT,
					"'%s' %s %lld (sample %s) column '%s': %s; write a number in "
					"mg/kg, or a non-detect as 0.01L, <0.01, ND or 未检出",
					c->samples_file, sheet || csv ? "row" : "feature",
					(long long)(csv ? f->fid + 1 : f->fid),
					c->sample_id_f >= 0 ? lg_feature_text(l, f, c->sample_id_f) : "?",
					l->fields[j].name, why);
			}
			if (!v->missing)
				c->sum->sample_values++;
			if (v->nd)
				c->sum->nd_values++;
		}
	c->sum->samples = l->n;
	if ((st = locate(c, l, field_named(l, pid_names), false)))
		return st;
	return LG_OK;
}

static lg_status load_units(lg_check_ctx *c)
{
	const lg_layer *l = c->in->units;
	static const char *const id_names[] = {"unit_id", "单位编号", "DWBH", "企业编号", NULL};
	static const char *const pid_names[] = {"parcel_id", "地块编号", NULL};
	if (!l)
		return LG_OK;
	c->unit_id_f = field_named(l, id_names);
	if (c->unit_id_f < 0)
		c->unit_id_f = l->role[LG_ROLE_ID];
	return locate(c, l, field_named(l, pid_names), true);
}

/* ---- events ----------------------------------------------------------------- */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static lg_status attach_events(lg_check_ctx *c)
{
	const lg_ledger *lg = c->in->ledger;
	char **ids = NULL;
	lg_status st = LG_OK;
	if (!lg)
		return LG_OK;
	c->sum->events = lg->n;
	ids = lg__calloc(c->ctx, c->nparcels + 1, sizeof *ids);
	if (!ids)
		return LG_NOMEM;
	for (size_t i = 0; i < c->nparcels; i++) {
		parcel *p = &c->parcels[i];
		size_t first;
		p->nev = lg_ledger_find(lg, p->id, &first);
		p->ev = p->nev ? &lg->ev[first] : NULL;
		ids[i] = p->id;
	}
	lg__qsort(ids, c->nparcels, sizeof *ids, cmp_str);
	lg_buf b;
	lg_buf_init(&b);
	size_t shown = 0;
	for (size_t k = 0; k < lg->n; k++) {
		const char *pid = lg->ev[k].parcel_id;
		if (bsearch(&pid, ids, c->nparcels, sizeof *ids, cmp_str))
			continue;
		c->sum->events_unmatched++;
		if (shown < 5 && (k == 0 || strcmp(lg->ev[k - 1].parcel_id, pid))) {
			lg_buf_printf(&b, "%s%s (%s row %ld)", shown ? ", " : "", pid,
				      lg__base(lg->ev[k].file), lg->ev[k].row);
			shown++;
		}
	}
	if (c->sum->events_unmatched)
		lg_ctx_warn(c->ctx,
			    "%zu ledger row%s name%s parcels not in '%s': %s%s; check the parcel ids",
			    c->sum->events_unmatched, c->sum->events_unmatched == 1 ? "" : "s",
			    c->sum->events_unmatched == 1 ? "s" : "", c->parcels_file, b.s ? b.s : "",
			    shown == 5 ? ", ..." : "");
	lg_buf_release(&b);
	free(ids);
	return st;
}

static void mark_period(lg_check_ctx *c)
{
	for (size_t i = 0; i < c->nparcels; i++) {
		parcel *p = &c->parcels[i];
		p->checked = !c->o->has_period;
		if (!c->o->has_period || !p->plan_known || !p->plan.yzlg)
			continue;
		for (size_t k = 0; k < p->nev; k++) {
			const lg_event *e = &p->ev[k];
			if ((e->kind == LG_EV_ALLOCATE || e->kind == LG_EV_TRANSFER) &&
			    e->date >= c->o->period_from && e->date <= c->o->period_to) {
				p->supply = e;
				p->checked = true;
				break;
			}
		}
	}
}

/* ---- build / release ------------------------------------------------------- */

lg_status lg__check_ctx_init(lg_check_ctx *c, lg_ctx *ctx, const lg_check_inputs *in,
			     const lg_check_opts *o, lg_check_summary *sum)
{
	const lg_layer *l = in->parcels;
	lg_status st;
	memset(c, 0, sizeof *c);
	c->ctx = ctx;
	c->in = in;
	c->o = o;
	c->t = o->tables;
	c->sum = sum;
	c->near_m = o->near_m > 0 ? o->near_m : 500;
	c->min_m2 = o->min_overlap_m2 > 0 ? o->min_overlap_m2 : 0.01;
	c->sample_id_f = c->unit_id_f = -1;
	layer_label(l, c->parcels_file, sizeof c->parcels_file);
	if (in->sites)
		layer_label(in->sites, c->sites_file, sizeof c->sites_file);
	if (in->samples)
		layer_label(in->samples, c->samples_file, sizeof c->samples_file);
	if (in->units)
		layer_label(in->units, c->units_file, sizeof c->units_file);
	if (in->county) {
		int nf = in->county->role[LG_ROLE_NAME];
		layer_label(in->county, c->county_file, sizeof c->county_file);
		snprintf(c->county_name, sizeof c->county_name, "%s",
			 nf >= 0 && in->county->n ? lg_feature_text(in->county, &in->county->feat[0], nf)
						  : c->county_file);
		if (!c->county_name[0])
			snprintf(c->county_name, sizeof c->county_name, "%s", c->county_file);
	}
	if (in->plan)
		layer_label(lg_rows_schema(in->plan), c->plan_file, sizeof c->plan_file);
	c->parcels = lg__calloc(ctx, l->n + 1, sizeof *c->parcels);
	if (!c->parcels)
		return LG_NOMEM;
	if (l->role[LG_ROLE_ID] < 0)
		lg_ctx_warn(ctx, "'%s' has no parcel id field (parcel_id, 地块编号, DKBH ...); "
			    "parcel ids are FIDs; name it with --parcels-id-field",
			    c->parcels_file);
	for (size_t i = 0; i < l->n; i++) {
		parcel *p = &c->parcels[i];
		p->feat = i;
		snprintf(p->id, sizeof p->id, "%s", lg_feature_id(l, &l->feat[i]));
		const lg_geom *g = l->feat[i].geom;
		p->geom = g && !GEOSisEmpty_r(ctx->geos, g) ? g : NULL;
		if (p->geom)
			GEOSArea_r(ctx->geos, p->geom, &p->area_m2);
	}
	c->nparcels = l->n;
	sum->parcels = l->n;
	if ((st = parcel_uses(c)))
		return st;
	if (in->plan && (st = plan_by_overlay(c)))
		return st;
	if ((st = load_sites(c)) || (st = site_hits(c)) || (st = load_samples(c)) ||
	    (st = load_units(c)) || (st = attach_events(c)))
		return st;
	mark_period(c);
	for (size_t i = 0; i < c->nparcels; i++)
		sum->parcels_checked += c->parcels[i].checked;
	return LG_OK;
}

void lg__check_ctx_release(lg_check_ctx *c)
{
	for (size_t i = 0; c->parcels && i < c->nparcels; i++) {
		free(c->parcels[i].hits);
		free(c->parcels[i].samples);
		free(c->parcels[i].units);
	}
	free(c->parcels);
	free(c->sites);
	free(c->sample_item);
	free(c->sample_val);
	memset(c, 0, sizeof *c);
}
