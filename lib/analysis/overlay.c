#define _GNU_SOURCE
/* overlay: sites × plan through the engine, classified and sorted. */
#include <ctype.h>
#include <pthread.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <time.h>

#include "lg_internal.h"
#include "landguard/overlay.h"

int lg_id_cmp(const char *a, const char *b)
{
	/* Runs of digits compare by value (leading zeros ignored, then by
	 * length), everything else bytewise: GD-2 < GD-10, 009 < 10. */
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *ea, *eb;
			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (ea = a; isdigit((unsigned char)*ea); ea++)
				;
			for (eb = b; isdigit((unsigned char)*eb); eb++)
				;
			if (ea - a != eb - b)
				return ea - a < eb - b ? -1 : 1;
			int c = strncmp(a, b, (size_t)(ea - a));
			if (c)
				return c;
			a = ea;
			b = eb;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

lg_status lg_sites_stages(lg_ctx *ctx, const lg_layer *l, bool has_default,
			  lg_stage def, lg_stage **stages)
{
	int sf = l->role[LG_ROLE_STAGE];
	lg_stage *s = lg__calloc(ctx, l->n ? l->n : 1, sizeof *s);
	*stages = NULL;
	if (!s)
		return LG_NOMEM;
	if (sf < 0) {
		lg_stage d = has_default ? def : LG_STAGE_SUSPECTED;
		if (!has_default)
			lg_ctx_warn(ctx,
				    "'%s' has no stage field (stage, status, ZT, 阶段 ...); every "
				    "parcel is taken as suspected (疑似污染地块); give "
				    "--stage-default or --sites-stage-field",
				    l->path ? l->path : l->name);
		for (size_t i = 0; i < l->n; i++)
			s[i] = d;
		*stages = s;
		return LG_OK;
	}
	for (size_t i = 0; i < l->n; i++) {
		const char *v = lg_feature_text(l, &l->feat[i], sf);
		if (!*v && has_default) {
			s[i] = def;
			continue;
		}
		if (!lg_stage_parse(v, &s[i])) {
			free(s);
			return lg_ctx_error(ctx, LG_CODE,
					    "'%s' feature %s: unknown stage '%s' in field '%s'; use one "
					    "of suspected/疑似污染地块, investigated_clean/调查后非污染地块, "
					    "polluted/污染地块, listed/列入名录, controlling/风险管控/修复中, "
					    "remediated/效果评估通过, removed/移出名录",
					    l->path ? l->path : l->name, lg_feature_id(l, &l->feat[i]), v,
					    l->fields[sf].name);
		}
	}
	*stages = s;
	return LG_OK;
}

enum {
	C_SITE_ID, C_SITE_NAME, C_SITE_STAGE, C_PLAN_ID, C_PLAN_CODE, C_PLAN_NAME,
	C_USE_CLASS, C_YZLG, C_OVERLAP_M2, C_OVERLAP_MU, C_OVERLAP_ELLPS, C_SITE_AREA,
	C_SITE_SHARE, C_CONFLICT, C__COUNT
};

static const lg_field out_fields[C__COUNT] = {
	{"site_id", LG_FT_STRING, 0},	    {"site_name", LG_FT_STRING, 0},
	{"site_stage", LG_FT_STRING, 0},    {"plan_id", LG_FT_STRING, 0},
	{"plan_code", LG_FT_STRING, 0},	    {"plan_name", LG_FT_STRING, 0},
	{"use_class", LG_FT_STRING, 0},	    {"yzlg", LG_FT_INT, 0},
	{"overlap_m2", LG_FT_REAL, 0},	    {"overlap_mu", LG_FT_REAL, 0},
	{"overlap_ellps_m2", LG_FT_REAL, 0}, {"site_area_m2", LG_FT_REAL, 0},
	{"site_share", LG_FT_REAL, 0},	    {"conflict", LG_FT_INT, 0},
};

/* Fixed decimals keep outputs byte-stable and readable. */
static double round_to(double v, double unit)
{
	return round(v / unit) * unit;
}

/* Sort keys computed once: the site's rank in id order, and the plan id
 * as a number when every plan id is one (FIDs, BSM), else its text. */
typedef struct order {
	int64_t plan_num;
	const char *plan_id;
	int64_t fid; /* equal plan ids: the plan's FID decides, whatever
			order the engine's threads finished in */
	uint32_t site_rank, pair; /* 32 bytes: qsort moves them directly */
} order;

static int cmp_order(const void *a, const void *b)
{
	const order *x = a, *y = b;
	if (x->site_rank != y->site_rank)
		return x->site_rank < y->site_rank ? -1 : 1;
	if (x->plan_num != y->plan_num)
		return x->plan_num < y->plan_num ? -1 : 1;
	if (x->plan_id && y->plan_id) {
		int c = lg_id_cmp(x->plan_id, y->plan_id);
		if (c)
			return c;
	}
	if (x->fid != y->fid)
		return x->fid < y->fid ? -1 : 1;
	return x->pair < y->pair ? -1 : x->pair > y->pair;
}

static int cmp_site_idx(const void *a, const void *b, void *ud)
{
	const lg_layer *rank_layer = ud;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	char ix[64];
	snprintf(ix, sizeof ix, "%s", lg_feature_id(rank_layer, &rank_layer->feat[x]));
	int c = lg_id_cmp(ix, lg_feature_id(rank_layer, &rank_layer->feat[y]));
	return c ? c : (x < y ? -1 : x > y);
}

/* A digits-only id of at most 18 digits as a number; -1 otherwise. */
static int64_t id_number(const char *s)
{
	int64_t v = 0;
	int n = 0;
	if (!*s)
		return -1;
	for (; *s; s++, n++) {
		if (*s < '0' || *s > '9' || n >= 18)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

static int cmp_code_idx(const void *a, const void *b, void *ud)
{
	char *const *codes = ud;
	return strcmp(codes[*(const size_t *)a], codes[*(const size_t *)b]);
}

/* The distinct non-empty codes of the pairs, sorted (*codes: pointers
 * into the pairs), and each pair's index among them (SIZE_MAX: none). */
static lg_status distinct_codes(lg_ctx *ctx, const lg_pairs *pairs, size_t *code_of,
				char ***codes_out, size_t *ncodes_out)
{
	size_t cap = 1024, n = 0, *slot = NULL, *rank = NULL, *perm = NULL;
	char **codes = NULL;
	lg_status st = LG_NOMEM;
	*codes_out = NULL;
	*ncodes_out = 0;
	slot = lg__malloc(ctx, cap * sizeof *slot);
	codes = lg__malloc(ctx, (cap / 2 + 1) * sizeof *codes);
	if (!slot || !codes)
		goto done;
	memset(slot, 0xff, cap * sizeof *slot);
	for (size_t i = 0; i < pairs->n; i++) {
		const char *c = pairs->v[i].code;
		uint64_t h = 1469598103934665603ULL; /* FNV-1a */
		if (!*c) {
			code_of[i] = SIZE_MAX;
			continue;
		}
		for (const unsigned char *u = (const unsigned char *)c; *u; u++)
			h = (h ^ *u) * 1099511628211ULL;
		size_t k = (size_t)h & (cap - 1);
		while (slot[k] != SIZE_MAX && strcmp(codes[slot[k]], c))
			k = (k + 1) & (cap - 1);
		if (slot[k] == SIZE_MAX) {
			slot[k] = n;
			codes[n++] = pairs->v[i].code;
			if (2 * n >= cap) { /* grow and rehash */
				size_t ncap = 2 * cap, *ns = lg__malloc(ctx, ncap * sizeof *ns);
				char **nc = lg__realloc(ctx, codes, (ncap / 2 + 1) * sizeof *nc);
				if (!ns || !nc) {
					free(ns);
					if (nc)
						codes = nc;
					goto done;
				}
				codes = nc;
				memset(ns, 0xff, ncap * sizeof *ns);
				for (size_t j = 0; j < n; j++) {
					uint64_t g = 1469598103934665603ULL;
					for (const unsigned char *u = (const unsigned char *)codes[j]; *u; u++)
						g = (g ^ *u) * 1099511628211ULL;
					size_t q = (size_t)g & (ncap - 1);
					while (ns[q] != SIZE_MAX)
						q = (q + 1) & (ncap - 1);
					ns[q] = j;
				}
				free(slot);
				slot = ns;
				cap = ncap;
				k = SIZE_MAX; /* index found again below */
			}
		}
		if (k == SIZE_MAX) {
			code_of[i] = n - 1;
			continue;
		}
		code_of[i] = slot[k];
	}
	/* Sorted, and the pairs' indices moved with them. */
	perm = lg__malloc(ctx, (n + 1) * sizeof *perm);
	rank = lg__malloc(ctx, (n + 1) * sizeof *rank);
	if (!perm || !rank)
		goto done;
	for (size_t j = 0; j < n; j++)
		perm[j] = j;
	lg__qsort_r(perm, n, sizeof *perm, cmp_code_idx, codes);
	char **sorted = lg__malloc(ctx, (n + 1) * sizeof *sorted);
	if (!sorted)
		goto done;
	for (size_t j = 0; j < n; j++) {
		sorted[j] = codes[perm[j]];
		rank[perm[j]] = j;
	}
	for (size_t i = 0; i < pairs->n; i++)
		if (code_of[i] != SIZE_MAX)
			code_of[i] = rank[code_of[i]];
	free(codes);
	codes = sorted;
	*codes_out = codes;
	*ncodes_out = n;
	codes = NULL;
	st = LG_OK;
done:
	if (st)
		lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	free(codes);
	free(slot);
	free(perm);
	free(rank);
	return st;
}

/* The engine options every overlay run shares. */
static lg_engine_opts overlay_engine_opts(const lg_overlay_opts *o)
{
	lg_engine_opts eo = {0};
	eo.min_area_m2 = o->min_area_m2 > 0 ? o->min_area_m2 : 0.01;
	eo.ellps = getenv("LG_NO_ELLPS") == NULL;
	eo.keep_geom = true;
	eo.unsorted = true; /* classify() sorts by site and plan id */
	return eo;
}

static void warn_repaired(lg_ctx *ctx, size_t n)
{
	if (n)
		lg_ctx_warn(ctx,
			    "%zu plan geometr%s near the sites %s invalid and %s repaired with "
			    "GEOS make-valid before the overlay; check them in the source",
			    n, n == 1 ? "y" : "ies", n == 1 ? "was" : "were", n == 1 ? "was" : "were");
}

/* The sites' indices in natural id order (*by_id: sites->n entries). */
static lg_status sites_by_id(lg_ctx *ctx, const lg_layer *sites, size_t **by_id)
{
	*by_id = lg__calloc(ctx, sites->n + 1, sizeof **by_id);
	if (!*by_id)
		return LG_NOMEM;
	for (size_t i = 0; i < sites->n; i++)
		(*by_id)[i] = i;
	lg__qsort_r(*by_id, sites->n, sizeof **by_id, cmp_site_idx, (void *)sites);
	return LG_OK;
}

/* Pairs of the engine name probes; from here on they name sites. */
static void pairs_to_sites(lg_pairs *p, const size_t *probe_site)
{
	for (size_t i = 0; i < p->n; i++)
		p->v[i].probe = probe_site[p->v[i].probe];
}

/* Stages and planar areas of the sites, and which have a polygon
 * geometry (the rest are counted and warned about once). */
static lg_status prepare_sites(lg_ctx *ctx, const lg_layer *sites, const lg_overlay_opts *o,
			       lg_stage **stages, double **site_area, unsigned char **has_geom,
			       lg_overlay_summary *sum)
{
	lg_status st;
	*site_area = NULL;
	*has_geom = NULL;
	st = lg_sites_stages(ctx, sites, o->has_stage_default, o->stage_default, stages);
	if (st)
		return st;
	*site_area = lg__calloc(ctx, sites->n + 1, sizeof **site_area);
	*has_geom = lg__calloc(ctx, sites->n + 1, 1);
	if (!*site_area || !*has_geom)
		return LG_NOMEM;
	for (size_t i = 0; i < sites->n; i++) {
		const lg_geom *g = sites->feat[i].geom;
		if (!g || GEOSisEmpty_r(ctx->geos, g)) {
			sum->sites_without_geometry++;
			continue;
		}
		int t = GEOSGeomTypeId_r(ctx->geos, g);
		if (t != GEOS_POLYGON && t != GEOS_MULTIPOLYGON) {
			/* GEOSGeomType_r's string is the caller's to free. */
			char *tn = GEOSGeomType_r(ctx->geos, g);
			lg_status e = lg_ctx_error(ctx, LG_GEOM,
						   "'%s' feature %s is a %s, not a polygon; sites must be "
						   "parcels (polygons)",
						   sites->path ? sites->path : sites->name,
						   lg_feature_id(sites, &sites->feat[i]), tn ? tn : "geometry");
			GEOSFree_r(ctx->geos, tn);
			return e;
		}
		GEOSArea_r(ctx->geos, g, &(*site_area)[i]);
		(*has_geom)[i] = 1;
	}
	if (sum->sites_without_geometry)
		lg_ctx_warn(ctx,
			    "%zu site%s in '%s' ha%s no geometry and cannot be overlaid "
			    "(a YZ-10 data defect; 'landguard check' lists them)",
			    sum->sites_without_geometry, sum->sites_without_geometry == 1 ? "" : "s",
			    sites->path ? sites->path : sites->name,
			    sum->sites_without_geometry == 1 ? "s" : "ve");
	return LG_OK;
}

static lg_status classify(lg_ctx *ctx, const lg_layer *sites, const lg_stage *stages,
			  const double *site_area, lg_pairs *pairs_in,
			  const lg_layer *plan_schema, size_t plan_features,
			  const char *strategy, const lg_crs *work, const lg_overlay_opts *o,
			  lg_buf *unknown, lg_layer **out, lg_overlay_summary *sum);

lg_status lg_overlay_run(lg_ctx *ctx, const lg_layer *sites, lg_rows *plan,
			 const lg_crs *work, const lg_overlay_opts *o,
			 lg_layer **out, lg_overlay_summary *sum)
{
	lg_geom **probes = NULL;
	size_t *probe_site = NULL, nprobes = 0;
	lg_stage *stages = NULL;
	double *site_area = NULL;
	unsigned char *has_geom = NULL;
	lg_pairs pairs = {0};
	lg_engine_opts eo = {0};
	lg_status st;

	*out = NULL;
	memset(sum, 0, sizeof *sum);
	struct timespec ts0; clock_gettime(CLOCK_MONOTONIC, &ts0);
	st = prepare_sites(ctx, sites, o, &stages, &site_area, &has_geom, sum);
	if (st)
		goto done;
	probes = lg__calloc(ctx, sites->n + 1, sizeof *probes);
	probe_site = lg__calloc(ctx, sites->n + 1, sizeof *probe_site);
	if (!probes || !probe_site) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < sites->n; i++) {
		if (!has_geom[i])
			continue;
		probes[nprobes] = (lg_geom *)sites->feat[i].geom;
		probe_site[nprobes++] = i;
	}
	eo = overlay_engine_opts(o);
	eo.use_filter = true;
	st = lg_engine_run(ctx, probes, nprobes, work, plan, &eo, &pairs);
	if (st)
		goto done;
	warn_repaired(ctx, pairs.repaired);
	if (getenv("LANDGUARD_TIMING")) {
		struct timespec ts; clock_gettime(CLOCK_MONOTONIC, &ts);
		fprintf(stderr, "timing: engine %.3f\n", ts.tv_sec - ts0.tv_sec + (ts.tv_nsec - ts0.tv_nsec) / 1e9);
	}
	/* Pairs name their site by index from here on. */
	pairs_to_sites(&pairs, probe_site);
	st = classify(ctx, sites, stages, site_area, &pairs, lg_rows_schema(plan),
		      lg_rows_count(plan), lg_rows_strategy(plan), work, o, NULL, out, sum);
done:
	lg_pairs_release(&pairs);
	free(probes);
	free(probe_site);
	free(site_area);
	free(has_geom);
	free(stages);
	return st;
}

lg_status lg_overlay_from_pairs(lg_ctx *ctx, const lg_layer *sites, lg_pairs *pairs,
				const lg_layer *plan_schema, size_t plan_features,
				const char *strategy, const lg_crs *work,
				const lg_overlay_opts *o, lg_layer **out,
				lg_overlay_summary *sum)
{
	lg_stage *stages = NULL;
	double *site_area = NULL;
	unsigned char *has_geom = NULL;
	lg_ellps *ellps = NULL;
	GEOSWKBReader *rd = NULL;
	double min_area = o->min_area_m2 > 0 ? o->min_area_m2 : 0.01;
	lg_status st;
	size_t k = 0;

	*out = NULL;
	memset(sum, 0, sizeof *sum);
	st = prepare_sites(ctx, sites, o, &stages, &site_area, &has_geom, sum);
	if (st)
		goto done;
	if (getenv("LG_NO_ELLPS") == NULL && (st = lg_ellps_create(ctx, work, &ellps)))
		goto done;
	rd = GEOSWKBReader_create_r(ctx->geos);
	if (!rd) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	/* The engine's rules, applied to pairs computed elsewhere: a known
	 * site, an overlap above --min-area; ellipsoidal area from the overlap
	 * geometry, as the engine's workers compute it. */
	for (size_t i = 0; i < pairs->n; i++) {
		lg_pair *p = &pairs->v[i];
		if (p->probe >= sites->n || !has_geom[p->probe]) {
			st = lg_ctx_error(ctx, LG_INTERNAL,
					  "a computed pair names site %zu, which is not a site "
					  "with a geometry", p->probe);
			goto done;
		}
		if (!(p->area_m2 > min_area)) {
			if (!p->pooled) {
				free(p->id);
				free(p->wkb);
			}
			continue;
		}
		if (ellps && p->wkb && p->area_m2 > 0 && p->ellps_m2 == 0) {
			lg_geom *g = GEOSWKBReader_read_r(ctx->geos, rd, p->wkb, p->wkb_len);
			if (!g) {
				st = lg_ctx_error(ctx, LG_INPUT,
						  "the overlap of site %s and plan feature %s came "
						  "back as unreadable WKB (%s)",
						  lg_feature_id(sites, &sites->feat[p->probe]), p->id,
						  ctx->geos_msg);
				goto done;
			}
			st = lg_ellps_area(ctx, ellps, g, &p->ellps_m2);
			GEOSGeom_destroy_r(ctx->geos, g);
			if (st)
				goto done;
		}
		pairs->v[k++] = *p;
	}
	pairs->n = k;
	st = classify(ctx, sites, stages, site_area, pairs, plan_schema, plan_features, strategy,
		      work, o, NULL, out, sum);
done:
	if (rd)
		GEOSWKBReader_destroy_r(ctx->geos, rd);
	lg_ellps_destroy(ellps);
	free(site_area);
	free(has_geom);
	free(stages);
	return st;
}

/* Classifies site-indexed pairs into the output table; takes the pairs'
 * overlap WKB (pairs_in keeps the rest for its owner to release). */
/* The warning for plan codes no table knows: `codes` sorted, distinct. */
static void warn_unknown(lg_ctx *ctx, char *const *codes, size_t n)
{
	lg_buf unk;
	if (!n)
		return;
	lg_buf_init(&unk);
	for (size_t i = 0; i < n && i < 10; i++)
		lg_buf_printf(&unk, "%s'%s'", i ? ", " : "", codes[i]);
	lg_ctx_warn(ctx,
		    "%zu plan code%s overlapping sites %s not in any land-use table "
		    "(%s%s): their use_class is 'unknown' and they are never counted as "
		    "一住两公; fix the codes or add them with --landuse-table",
		    n, n == 1 ? "" : "s", n == 1 ? "is" : "are", unk.s ? unk.s : "",
		    n > 10 ? ", ..." : "");
	lg_buf_release(&unk);
}

/* `unknown`: NULL = warn about unknown codes here; else each one is added
 * to it, a line each, for a caller that classifies in parts. */
static lg_status classify(lg_ctx *ctx, const lg_layer *sites, const lg_stage *stages,
			  const double *site_area, lg_pairs *pairs_in,
			  const lg_layer *plan_schema, size_t plan_features,
			  const char *strategy, const lg_crs *work, const lg_overlay_opts *o,
			  lg_buf *unknown, lg_layer **out, lg_overlay_summary *sum)
{
	lg_pairs pairs = *pairs_in;
	lg_layer *res = NULL;
	order *ord = NULL;
	char **codes = NULL;
	size_t *code_of = NULL; /* per pair: index into codes, or SIZE_MAX */
	const char **code_pool = NULL, **name_pool = NULL; /* per code, in res */
	const char **site_pool = NULL;			  /* id, name per site */
	lg_landuse_info *infos = NULL;
	size_t *site_rank = NULL;
	bool *known = NULL;
	size_t ncodes = 0;
	unsigned char *site_hit = NULL, *site_conflict = NULL;
	lg_status st = LG_OK;

	site_hit = lg__calloc(ctx, sites->n + 1, 1);
	site_conflict = lg__calloc(ctx, sites->n + 1, 1);
	if (!site_hit || !site_conflict) {
		st = LG_NOMEM;
		goto done;
	}
	lg_ctx_progress(ctx, "classify", 0, (double)pairs.n);
	/* Code system from the codes the pairs carry; each code falls back
	 * to every system, so mixed plan layers still classify.  The distinct
	 * codes come from a hash (a sort of every pair's code cost 0.1 s at
	 * 387k pairs), sorted afterwards for stable messages. */
	code_of = lg__calloc(ctx, pairs.n + 1, sizeof *code_of);
	if (!code_of || (st = distinct_codes(ctx, &pairs, code_of, &codes, &ncodes)))
		goto done;
	size_t unknown_sys = 0;
	lg_landuse_detect(o->landuse, (const char *const *)codes, ncodes, &sum->plan_system,
			  &unknown_sys);
	{
		/* The field's name beats a guess from few codes: 1001 is
		 * industry in 用地用海 but railway in GB/T 21010. */
		const lg_layer *ps = plan_schema;
		int cf = ps ? ps->role[LG_ROLE_CODE] : -1;
		const char *hint = cf >= 0 ? lg_landuse_system_hint(ps->fields[cf].name) : NULL;
		if (hint)
			sum->plan_system = hint;
	}
	infos = lg__calloc(ctx, ncodes + 1, sizeof *infos);
	known = lg__calloc(ctx, ncodes + 1, sizeof *known);
	char **unk = lg__calloc(ctx, ncodes + 1, sizeof *unk);
	if (!infos || !known || !unk) {
		free(unk);
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < ncodes; i++) {
		lg_landuse_info *li = &infos[i];
		known[i] = lg_landuse_lookup(o->landuse, codes[i], sum->plan_system, li) ||
			   lg_landuse_lookup(o->landuse, codes[i], NULL, li);
		if (!known[i]) {
			unk[sum->unknown_codes++] = codes[i];
			if (unknown && (lg_buf_puts(unknown, codes[i]) || lg_buf_puts(unknown, "\n"))) {
				free(unk);
				st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
				goto done;
			}
		}
	}
	if (!unknown)
		warn_unknown(ctx, unk, sum->unknown_codes);
	free(unk);

	ord = lg__calloc(ctx, pairs.n + 1, sizeof *ord);
	site_rank = lg__calloc(ctx, sites->n + 1, sizeof *site_rank);
	size_t *by_id = NULL;
	if (!ord || !site_rank || sites_by_id(ctx, sites, &by_id)) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < sites->n; i++)
		site_rank[by_id[i]] = i;
	free(by_id);
	bool numeric = true;
	for (size_t i = 0; i < pairs.n && numeric; i++)
		numeric = id_number(pairs.v[i].id) >= 0;
	if (pairs.n > UINT32_MAX || sites->n > UINT32_MAX) {
		st = lg_ctx_error(ctx, LG_NOMEM, "more than 4 294 967 295 pairs or sites");
		goto done;
	}
	for (size_t i = 0; i < pairs.n; i++) {
		ord[i].site_rank = (uint32_t)site_rank[pairs.v[i].probe];
		ord[i].plan_num = numeric ? id_number(pairs.v[i].id) : 0;
		ord[i].plan_id = numeric ? NULL : pairs.v[i].id;
		ord[i].fid = pairs.v[i].fid;
		ord[i].pair = (uint32_t)i;
	}
	lg__qsort(ord, pairs.n, sizeof *ord, cmp_order);

	st = lg_layer_create(ctx, "overlay", out_fields, C__COUNT, &res);
	if (st)
		goto done;
	st = lg_crs_clone(ctx, work, &res->crs);
	if (st)
		goto done;
	res->geom_type = 6; /* MultiPolygon */
	if (lg__grow(ctx, (void **)&res->feat, &res->cap, pairs.n + 1, sizeof *res->feat)) {
		st = LG_NOMEM;
		goto done;
	}
	res->role[LG_ROLE_ID] = C_SITE_ID;
	int name_f = sites->role[LG_ROLE_NAME];
	/* Texts shared by many rows live once in the result's pool: the
	 * site's id and name, each code and its table name; stage and use
	 * class names are static. */
	code_pool = lg__calloc(ctx, ncodes + 1, sizeof *code_pool);
	name_pool = lg__calloc(ctx, ncodes + 1, sizeof *name_pool);
	site_pool = lg__calloc(ctx, 2 * sites->n + 1, sizeof *site_pool);
	if (!code_pool || !name_pool || !site_pool) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t k = 0; k < pairs.n; k++) {
		size_t pi = ord[k].pair;
		lg_pair *p = &pairs.v[pi];
		size_t si = p->probe, ci = code_of[pi];
		const lg_feature *sf = &sites->feat[si];
		lg_landuse_info li = {0};
		lg_feature *f;
		bool is_known = ci != SIZE_MAX && known[ci];
		if (is_known)
			li = infos[ci];
		bool yzlg = is_known && li.yzlg;
		bool conflict = yzlg && stages[si] != LG_STAGE_INVESTIGATED_CLEAN &&
				stages[si] != LG_STAGE_REMOVED;
		st = lg_layer_add(ctx, res, &f);
		if (st)
			goto done;
		if (!site_pool[2 * si] &&
		    (!(site_pool[2 * si] = lg_layer_pool_str(ctx, res, lg_feature_id(sites, sf))) ||
		     !(site_pool[2 * si + 1] = lg_layer_pool_str(
			       ctx, res, name_f >= 0 ? lg_feature_text(sites, sf, name_f) : "")))) {
			st = LG_NOMEM;
			goto done;
		}
		const char *code = "", *plan_name = "", *plan_id;
		if (ci != SIZE_MAX) {
			if (!code_pool[ci] &&
			    (!(code_pool[ci] = lg_layer_pool_str(ctx, res, codes[ci])) ||
			     !(name_pool[ci] = lg_layer_pool_str(ctx, res, is_known ? li.name : "")))) {
				st = LG_NOMEM;
				goto done;
			}
			code = code_pool[ci];
			plan_name = name_pool[ci];
		}
		if (*p->name)
			plan_name = lg_layer_pool_str(ctx, res, p->name);
		plan_id = lg_layer_pool_str(ctx, res, p->id);
		if (!plan_name || !plan_id) {
			st = LG_NOMEM;
			goto done;
		}
		lg_feature_ref_str(res, f, C_SITE_ID, site_pool[2 * si]);
		lg_feature_ref_str(res, f, C_SITE_NAME, site_pool[2 * si + 1]);
		lg_feature_ref_str(res, f, C_SITE_STAGE, lg_stage_name(stages[si]));
		lg_feature_ref_str(res, f, C_PLAN_ID, plan_id);
		lg_feature_ref_str(res, f, C_PLAN_CODE, code);
		lg_feature_ref_str(res, f, C_PLAN_NAME, plan_name);
		lg_feature_ref_str(res, f, C_USE_CLASS,
				   lg_use_class_name(is_known ? li.cls : LG_USE_UNKNOWN));
		lg_feature_set_int(res, f, C_YZLG, yzlg);
		lg_feature_set_real(res, f, C_OVERLAP_M2, round_to(p->area_m2, 1e-4));
		lg_feature_set_real(res, f, C_OVERLAP_MU, round_to(lg_m2_to_mu(p->area_m2), 1e-6));
		lg_feature_set_real(res, f, C_OVERLAP_ELLPS, round_to(p->ellps_m2, 1e-4));
		lg_feature_set_real(res, f, C_SITE_AREA, round_to(site_area[si], 1e-4));
		lg_feature_set_real(res, f, C_SITE_SHARE,
				    round_to(site_area[si] > 0 ? p->area_m2 / site_area[si] : 0, 1e-6));
		lg_feature_set_int(res, f, C_CONFLICT, conflict);
		/* The overlap stays WKB: writers take it without a GEOS round trip. */
		f->wkb = p->wkb;
		f->wkb_len = p->wkb_len;
		f->has_wkb_env = p->has_env && p->wkb;
		f->wkb_shared = p->pooled;
		memcpy(f->wkb_env, p->env, sizeof f->wkb_env);
		pairs_in->v[pi].wkb = NULL;
		sum->overlap_m2 += p->area_m2;
		site_hit[si] = 1;
		if (conflict) {
			sum->conflict_m2 += p->area_m2;
			site_conflict[si] = 1;
		}
	}
	/* The result now points into the pairs' pool: it takes the blocks. */
	lg__pool_splice(&res->pool, &pairs_in->pool);
	sum->sites = sites->n;
	sum->plan_features = plan_features;
	sum->pairs = pairs.n;
	for (size_t i = 0; i < sites->n; i++) {
		sum->sites_overlapping += site_hit[i];
		sum->conflict_sites += site_conflict[i];
	}
	sum->strategy = strategy;
	sum->shortcuts = pairs.shortcuts;
	sum->intersections = pairs.intersections;
	sum->rows_parsed = pairs.rows_parsed;
	*out = res;
	res = NULL;
done:
	free(ord);
	free(site_rank);
	free(codes);
	free(code_of);
	free(code_pool);
	free(name_pool);
	free(site_pool);
	free(infos);
	free(known);
	lg_layer_destroy(ctx, res);
	free(site_hit);
	free(site_conflict);
	return st;
}

/* --- the overlay in parts, written while computed ---------------------- */

/* Parts of the sites (by id order): part i's rows are written while part
 * i + 1 is computed, so the serial end is the last part's (part_bound). */
#define OVERLAY_PARTS 2

typedef struct part_job {
	lg_ctx *parent, *ctx;
	const lg_layer *sites;
	const lg_stage *stages;
	const double *site_area;
	lg_pairs *pairs;
	const lg_layer *plan_schema;
	size_t plan_features;
	const char *strategy;
	const lg_crs *work;
	const lg_overlay_opts *o;
	lg_overlay_sink sink;
	void *ud;
	lg_buf unknown;
	lg_overlay_summary sum;
	lg_status st;
	pthread_t thread;
} part_job;

/* Classifies one part's pairs and hands the rows to the sink. */
static lg_status part_run(part_job *j, lg_ctx *ctx)
{
	lg_layer *l = NULL;
	lg_status st = classify(ctx, j->sites, j->stages, j->site_area, j->pairs, j->plan_schema,
				j->plan_features, j->strategy, j->work, j->o, &j->unknown, &l, &j->sum);
	if (!st)
		st = j->sink(ctx, l, j->ud);
	lg_layer_destroy(ctx, l);
	return st;
}

static void *part_thread(void *arg)
{
	part_job *j = arg;
	j->st = part_run(j, j->ctx);
	return NULL;
}

static int cmp_line(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Where part i starts among n sites (i = nparts: n).  The parts before
 * the last share LEAD of the sites, the last gets the rest: a part is
 * written while the next is computed, and classifying and writing a row
 * costs about a third of computing it (1M x 2000: 0.76 s against 2.0 s of
 * engine on 2 cores), so the writer keeps up and the serial end, the last
 * part's writing, stays short.  Measured at 1M x 2000 (median of three
 * interleaved runs): a 50/50 split 2.89 s, 70/30 2.86 s, 75/25 2.78 s,
 * 80/20 2.83 s. */
#define LEAD 0.72
static size_t part_bound(size_t n, size_t nparts, size_t i)
{
	if (i >= nparts)
		return n;
	if (nparts < 2)
		return 0;
	return (size_t)((double)n * LEAD * (double)i / (double)(nparts - 1));
}

lg_status lg_overlay_run_parts(lg_ctx *ctx, const lg_layer *sites, lg_rows *plan,
			       const lg_crs *work, const lg_overlay_opts *o,
			       lg_overlay_sink sink, void *ud, lg_overlay_summary *sum)
{
	const lg_layer *ps = lg_rows_schema(plan);
	int cf = ps->role[LG_ROLE_CODE];
	const char *hint = cf >= 0 ? lg_landuse_system_hint(ps->fields[cf].name) : NULL;
	lg_stage *stages = NULL;
	double *site_area = NULL, *rects = NULL;
	unsigned char *has_geom = NULL;
	size_t *by_id = NULL, *probe_site = NULL, nprobes = 0;
	lg_geom **probes = NULL;
	lg_row_store store = {0};
	lg_pairs *pairs = NULL;
	lg_engine_opts eo = {0};
	part_job *jobs = NULL;
	size_t nparts = 0, running_i = 0;
	bool running = false;
	lg_status st;

	/* Without the code field naming its system, the system is guessed
	 * from the codes of all pairs: one part, as lg_overlay_run. */
	if (!hint || sites->n < 2) {
		lg_layer *out = NULL;
		st = lg_overlay_run(ctx, sites, plan, work, o, &out, sum);
		if (!st)
			st = sink(ctx, out, ud);
		lg_layer_destroy(ctx, out);
		return st;
	}
	memset(sum, 0, sizeof *sum);
	st = prepare_sites(ctx, sites, o, &stages, &site_area, &has_geom, sum);
	if (st)
		goto done;
	/* Sites in id order, those with a geometry split in two halves: the
	 * first half's rows all come before the second's in the output. */
	if ((st = sites_by_id(ctx, sites, &by_id)))
		goto done;
	probes = lg__calloc(ctx, sites->n + 1, sizeof *probes);
	probe_site = lg__calloc(ctx, sites->n + 1, sizeof *probe_site);
	rects = lg__calloc(ctx, 4 * sites->n + 4, sizeof *rects);
	if (!probes || !probe_site || !rects) {
		st = LG_NOMEM;
		goto done;
	}
	size_t k = 0;
	for (size_t r = 0; r < sites->n; r++) {
		size_t i = by_id[r];
		if (!has_geom[i])
			continue;
		const lg_geom *g = sites->feat[i].geom;
		probes[nprobes] = (lg_geom *)g;
		probe_site[nprobes++] = i;
		if (GEOSGeom_getXMin_r(ctx->geos, g, &rects[4 * k]) &&
		    GEOSGeom_getYMin_r(ctx->geos, g, &rects[4 * k + 1]) &&
		    GEOSGeom_getXMax_r(ctx->geos, g, &rects[4 * k + 2]) &&
		    GEOSGeom_getYMax_r(ctx->geos, g, &rects[4 * k + 3]))
			k++;
	}
	/* The stream is filtered once for all sites, so the rows the first
	 * pass keeps serve the others. */
	if (ps->crs && lg_crs_same(ps->crs, work) && (st = lg_rows_set_filter(ctx, plan, rects, k)))
		goto done;
	nparts = nprobes < 2 * OVERLAY_PARTS ? 2 : OVERLAY_PARTS;
	if (getenv("LG_OVERLAY_PARTS"))
		nparts = (size_t)atoi(getenv("LG_OVERLAY_PARTS"));
	if (nparts < 2 || nparts > 64)
		nparts = 2;
	if (nprobes < 2)
		nparts = 1; /* nothing to split: one engine run, nothing kept */
	jobs = lg__calloc(ctx, nparts, sizeof *jobs);
	pairs = lg__calloc(ctx, nparts, sizeof *pairs);
	if (!jobs || !pairs) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < nparts; i++) {
		part_job *j = &jobs[i];
		lg_buf_init(&j->unknown);
		j->parent = ctx;
		j->sites = sites;
		j->stages = stages;
		j->site_area = site_area;
		j->pairs = &pairs[i];
		j->plan_schema = ps;
		j->plan_features = lg_rows_count(plan);
		j->strategy = lg_rows_strategy(plan);
		j->work = work;
		j->o = o;
		j->sink = sink;
		j->ud = ud;
	}
	eo = overlay_engine_opts(o);
	/* Part i's rows are classified and sunk by a thread of their own
	 * while the engine works on part i + 1; the last part here. */
	for (size_t i = 0; i < nparts; i++) {
		size_t b0 = part_bound(nprobes, nparts, i), b1 = part_bound(nprobes, nparts, i + 1);
		eo.keep = i == 0 && nparts > 1 ? &store : NULL;
		eo.replay = i == 0 ? NULL : &store;
		st = lg_engine_run(ctx, probes + b0, b1 - b0, work, plan, &eo, &pairs[i]);
		if (i > 0 && running) {
			part_job *pj = &jobs[i - 1];
			pthread_join(pj->thread, NULL);
			running = false;
			lg_ctx_merge_warnings(ctx, pj->ctx);
			if (pj->st && !st)
				st = lg_ctx_error(ctx, pj->st, "%s", lg_ctx_errmsg(pj->ctx));
		}
		if (st)
			goto done;
		pairs_to_sites(&pairs[i], probe_site + b0);
		if (i == nparts - 1) {
			lg_row_store_release(&store);
			if ((st = part_run(&jobs[i], ctx)))
				goto done;
			break;
		}
		jobs[i].ctx = lg_ctx_create_worker(ctx);
		if (!jobs[i].ctx) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		if (pthread_create(&jobs[i].thread, NULL, part_thread, &jobs[i]) != 0) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "cannot start a thread");
			goto done;
		}
		running = true;
		running_i = i;
	}
	/* One summary, as if computed at once. */
	sum->sites = sites->n;
	sum->plan_features = lg_rows_count(plan);
	sum->plan_system = hint;
	sum->strategy = lg_rows_strategy(plan);
	size_t repaired = 0;
	for (size_t i = 0; i < nparts; i++) {
		const lg_overlay_summary *js = &jobs[i].sum;
		sum->pairs += js->pairs;
		sum->sites_overlapping += js->sites_overlapping;
		sum->conflict_sites += js->conflict_sites;
		sum->overlap_m2 += js->overlap_m2;
		sum->conflict_m2 += js->conflict_m2;
		sum->shortcuts += pairs[i].shortcuts;
		sum->intersections += pairs[i].intersections;
		sum->rows_parsed += pairs[i].rows_parsed;
		repaired += pairs[i].repaired;
	}
	warn_repaired(ctx, repaired);
	{
		/* Unknown codes of all parts, distinct, in order. */
		lg_buf all;
		lg_buf_init(&all);
		int bad = 0;
		for (size_t i = 0; i < nparts; i++)
			bad |= lg_buf_puts(&all, jobs[i].unknown.s ? jobs[i].unknown.s : "");
		if (bad) {
			lg_buf_release(&all);
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		size_t n = 0, u = 0;
		for (size_t i = 0; i < all.len; i++)
			n += all.s[i] == '\n';
		char **lines = lg__calloc(ctx, n + 1, sizeof *lines);
		if (!lines) {
			lg_buf_release(&all);
			st = LG_NOMEM;
			goto done;
		}
		n = 0;
		for (char *t = all.s, *e; t && (e = strchr(t, '\n')); t = e + 1) {
			*e = '\0';
			lines[n++] = t;
		}
		lg__qsort(lines, n, sizeof *lines, cmp_line);
		for (size_t i = 0; i < n; i++)
			if (!u || strcmp(lines[u - 1], lines[i]))
				lines[u++] = lines[i];
		sum->unknown_codes = u;
		warn_unknown(ctx, lines, u);
		free(lines);
		lg_buf_release(&all);
	}
done:
	if (running)
		pthread_join(jobs[running_i].thread, NULL);
	for (size_t i = 0; jobs && i < nparts; i++) {
		if (jobs[i].ctx)
			lg_ctx_destroy(jobs[i].ctx);
		lg_buf_release(&jobs[i].unknown);
	}
	for (size_t i = 0; pairs && i < nparts; i++)
		lg_pairs_release(&pairs[i]);
	free(jobs);
	free(pairs);
	lg_row_store_release(&store);
	free(stages);
	free(site_area);
	free(has_geom);
	free(by_id);
	free(probes);
	free(probe_site);
	free(rects);
	return st;
}
