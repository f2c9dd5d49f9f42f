/* The job runner: reads the inputs a job names (through lib/io), runs the
 * analyses it has inputs for, and keeps what the writers show: findings,
 * the 清零 list or the quarterly counts and comparison, overlay, riverbuf
 * and gwzone results, and the parcels of the atlas. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "report/report_int.h"

#define NSTEPS 5

const lg_layer *lg_report_findings(const lg_report *r)
{
	return r->findings;
}

const lg_report_summary *lg_report_get_summary(const lg_report *r)
{
	return &r->sum;
}

static lg_status read_in_work(lg_ctx *ctx, lg_report *r, int key, lg_layer **out)
{
	const char *src = r->job->input[key];
	lg_status st;
	lg_read_opts ro = {0};
	if ((st = lg_layer_read(ctx, src, &ro, out)))
		return st;
	if (!(*out)->crs) {
		if ((*out)->n == (*out)->nempty)
			return LG_OK;
		return lg_ctx_error(ctx, LG_NOCRS, "job file '%s': [inputs] %s = '%s' has no CRS; "
				    "add a .prj or convert it with landguard convert --s-srs",
				    r->job->path, lg_report_input_key((lg_report_input)key), src);
	}
	return lg_layer_reproject(ctx, *out, r->work);
}

static const char *text_of(const lg_layer *l, const lg_feature *f, int field)
{
	return field >= 0 ? lg_feature_text(l, f, field) : "";
}

/* The planned-use field as check reads it: plan_code, else the code role. */
static int plan_field(const lg_layer *l)
{
	return l->role[LG_ROLE_PLAN_CODE] >= 0 ? l->role[LG_ROLE_PLAN_CODE] : l->role[LG_ROLE_CODE];
}

static char *dup_text(lg_ctx *ctx, const lg_layer *l, const lg_feature *f, int field)
{
	return lg__strdup(ctx, text_of(l, f, field));
}

static const lg_feature *find_by_id(const lg_layer *l, const char *id, size_t *idx)
{
	if (!l)
		return NULL;
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(lg_feature_id(l, &l->feat[i]), id)) {
			if (idx)
				*idx = i;
			return &l->feat[i];
		}
	return NULL;
}

static double geom_area(lg_ctx *ctx, const lg_geom *g)
{
	double a = 0;
	if (g && !GEOSArea_r(ctx->geos, g, &a))
		a = 0;
	return a;
}

/* Town of a geometry from the towns layer (the town holding a point on
 * its surface); "" when none. */
static const char *town_by_layer(lg_ctx *ctx, const lg_layer *towns, const lg_geom *g)
{
	const char *name = "";
	if (!towns || !g)
		return name;
	GEOSGeometry *pt = GEOSPointOnSurface_r(ctx->geos, g);
	if (!pt)
		return name;
	int fn = towns->role[LG_ROLE_NAME];
	for (size_t i = 0; i < towns->n; i++) {
		const lg_feature *f = &towns->feat[i];
		if (f->geom && GEOSContains_r(ctx->geos, f->geom, pt) == 1) {
			name = fn >= 0 ? lg_feature_text(towns, f, fn) : lg_feature_id(towns, f);
			break;
		}
	}
	GEOSGeom_destroy_r(ctx->geos, pt);
	return name;
}

static char *town_of(lg_ctx *ctx, const lg_report *r, const lg_layer *l, const lg_feature *f)
{
	int tf = l->role[LG_ROLE_TOWN];
	const char *t = tf >= 0 ? lg_feature_text(l, f, tf) : "";
	if (!*t)
		t = town_by_layer(ctx, r->towns, f->geom);
	return lg__strdup(ctx, t);
}

/* "070102 二类城镇住宅用地" */
static char *use_text(lg_ctx *ctx, const lg_report *r, const char *code)
{
	lg_landuse_info info;
	char buf[256];
	if (!code || !*code)
		return lg__strdup(ctx, "");
	if (lg_landuse_lookup(r->lu, code, NULL, &info) && info.name)
		snprintf(buf, sizeof buf, "%s（%s）", info.name, code);
	else
		snprintf(buf, sizeof buf, "%s", code);
	return lg__strdup(ctx, buf);
}

/* --- monthly: the 清零 list -------------------------------------------------- */

static void step_text(const lg_ledger *led, const char *id, lg_event_kind k1, lg_event_kind k2,
		      char *buf, size_t n)
{
	size_t first, cnt = led ? lg_ledger_find(led, id, &first) : 0;
	buf[0] = 0;
	for (size_t i = 0; i < cnt; i++) {
		const lg_event *e = &led->ev[first + i];
		if (e->kind != k1 && e->kind != k2)
			continue;
		char d[11];
		size_t len = strlen(buf);
		lg_date_format(e->date, d);
		snprintf(buf + len, n - len, "%s%s%s%s%s", len ? "；" : "", d,
			 k1 != k2 ? " " : "", k1 != k2 ? lg_event_zh(e->kind) : "",
			 e->result ? "" : "");
		if (e->result) {
			len = strlen(buf);
			snprintf(buf + len, n - len, " %s", lg_result_zh(e->result));
		}
	}
	if (!buf[0])
		snprintf(buf, n, "无");
}

static lg_status build_qingling(lg_ctx *ctx, lg_report *r)
{
	const lg_layer *F = r->findings;
	int fp = lg_layer_field(F, "parcel_id"), fr = lg_layer_field(F, "rule_id");
	int fs = lg_layer_field(F, "severity"), ft = lg_layer_field(F, "title");
	int fn = lg_layer_field(F, "next_step");
	const lg_layer *P = r->parcels;
	if (!(r->q = lg__calloc(ctx, F->n + 1, sizeof *r->q)))
		return LG_NOMEM;
	for (size_t i = 0; i < F->n; i++) {
		const lg_feature *f = &F->feat[i];
		const char *id = lg_feature_text(F, f, fp);
		if (strcmp(lg_feature_text(F, f, fr), "YZ-01"))
			continue;
		if (r->nq && !strcmp(r->q[r->nq - 1].parcel_id, id))
			continue;
		lg__qrow *q = &r->q[r->nq++];
		char buf[1024];
		if (!(q->parcel_id = lg__strdup(ctx, id)))
			return LG_NOMEM;
		const lg_feature *pf = find_by_id(P, id, NULL);
		q->name = pf ? dup_text(ctx, P, pf, P->role[LG_ROLE_NAME]) : lg__strdup(ctx, "");
		q->town = pf ? town_of(ctx, r, P, pf) : lg__strdup(ctx, "");
		q->plan = use_text(ctx, r, pf ? text_of(P, pf, plan_field(P)) : "");
		q->area_m2 = pf ? geom_area(ctx, pf->geom) : 0;
		/* the supply in the period */
		size_t first, cnt = r->ledger ? lg_ledger_find(r->ledger, id, &first) : 0;
		const lg_event *sup = NULL;
		for (size_t k = 0; k < cnt && !sup; k++) {
			const lg_event *e = &r->ledger->ev[first + k];
			if ((e->kind == LG_EV_ALLOCATE || e->kind == LG_EV_TRANSFER) &&
			    e->date >= r->job->from && e->date <= r->job->to)
				sup = e;
		}
		char d[11] = "";
		if (sup)
			lg_date_format(sup->date, d);
		q->supply = lg__strdup(ctx, sup ? lg_event_zh(sup->kind) : "");
		q->supply_date = lg__strdup(ctx, d);
		static const lg_event_kind steps[NSTEPS][2] = {
			{LG_EV_INVESTIGATION, LG_EV_INVESTIGATION},
			{LG_EV_RISK_ASSESSMENT, LG_EV_RISK_ASSESSMENT},
			{LG_EV_CONTROL, LG_EV_REMEDIATION},
			{LG_EV_EFFECT_ASSESSMENT, LG_EV_EFFECT_ASSESSMENT},
			{LG_EV_AFTERCARE, LG_EV_AFTERCARE},
		};
		for (int s = 0; s < NSTEPS; s++) {
			step_text(r->ledger, id, steps[s][0], steps[s][1], buf, sizeof buf);
			if (!(q->step[s] = lg__strdup(ctx, buf)))
				return LG_NOMEM;
		}
		/* its findings: the worst decides; violations keep it open */
		q->worst = LG_SEV_NOTICE;
		buf[0] = 0;
		const char *next = "";
		for (size_t k = i; k < F->n && !strcmp(lg_feature_text(F, &F->feat[k], fp), id); k++) {
			const lg_feature *g = &F->feat[k];
			lg_severity s = LG_SEV_NOTICE;
			lg_severity_parse(lg_feature_text(F, g, fs), &s);
			if ((int)s > q->worst)
				q->worst = (int)s;
			if (s == LG_SEV_VIOLATION) {
				size_t len = strlen(buf);
				snprintf(buf + len, sizeof buf - len, "%s%s：%s", len ? "；" : "",
					 lg_feature_text(F, g, fr), lg_feature_text(F, g, ft));
				q->open = true;
			}
			if (!strcmp(lg_feature_text(F, g, fr), "YZ-01") && fn >= 0 && !*next)
				next = F->feat[k].vals[fn].null ? "" : F->feat[k].vals[fn].u.s;
		}
		q->problem = lg__strdup(ctx, buf[0] ? buf : "无");
		q->next_step = lg__strdup(ctx, *next ? next : "无");
		if (!q->name || !q->town || !q->plan || !q->supply || !q->supply_date || !q->problem ||
		    !q->next_step)
			return LG_NOMEM;
		r->sum.parcels_listed++;
		if (q->open)
			r->sum.parcels_open++;
	}
	return LG_OK;
}

/* --- quarterly: counts by stage and town -------------------------------------- */

static lg__count *town_slot(lg_ctx *ctx, lg_report *r, const char *name, size_t *cap)
{
	const char *key = *name ? name : "（未注明乡镇）";
	for (size_t i = 0; i < r->ntowns; i++)
		if (!strcmp(r->by_town[i].key, key))
			return &r->by_town[i];
	if (lg__grow(ctx, (void **)&r->by_town, cap, r->ntowns + 1, sizeof *r->by_town))
		return NULL;
	lg__count *c = &r->by_town[r->ntowns];
	memset(c, 0, sizeof *c);
	if (!(c->key = lg__strdup(ctx, key)))
		return NULL;
	r->ntowns++;
	return c;
}

static int count_cmp(const void *a, const void *b)
{
	const lg__count *x = a, *y = b;
	return strcmp(x->key, y->key);
}

static lg_status build_counts(lg_ctx *ctx, lg_report *r)
{
	size_t cap = 0;
	if (r->sites) {
		for (size_t i = 0; i < r->sites->n; i++) {
			const lg_feature *f = &r->sites->feat[i];
			lg_stage s = r->site_stage[i];
			double a = geom_area(ctx, f->geom);
			r->stage_n[s]++;
			r->stage_m2[s] += a;
			char *t = town_of(ctx, r, r->sites, f);
			if (!t)
				return LG_NOMEM;
			lg__count *c = town_slot(ctx, r, t, &cap);
			free(t);
			if (!c)
				return LG_NOMEM;
			c->n[s]++;
			c->n[LG_STAGE__COUNT]++;
			c->area_m2 += a;
		}
	}
	/* findings per town of their parcel */
	const lg_layer *F = r->findings;
	int fp = lg_layer_field(F, "parcel_id"), fs = lg_layer_field(F, "severity");
	for (size_t i = 0; i < F->n; i++) {
		const char *id = lg_feature_text(F, &F->feat[i], fp);
		const lg_feature *pf = find_by_id(r->parcels, id, NULL);
		const lg_layer *L = r->parcels;
		if (!pf) {
			pf = find_by_id(r->sites, id, NULL);
			L = r->sites;
		}
		char *t = pf ? town_of(ctx, r, L, pf) : lg__strdup(ctx, "");
		if (!t)
			return LG_NOMEM;
		lg__count *c = town_slot(ctx, r, t, &cap);
		free(t);
		if (!c)
			return LG_NOMEM;
		lg_severity s = LG_SEV_NOTICE;
		lg_severity_parse(lg_feature_text(F, &F->feat[i], fs), &s);
		c->sev[s]++;
	}
	lg__qsort(r->by_town, r->ntowns, sizeof *r->by_town, count_cmp);
	return LG_OK;
}

/* --- the atlas and the map layer of parcels with findings -------------------- */

static lg_status build_atlas(lg_ctx *ctx, lg_report *r)
{
	const lg_layer *F = r->findings;
	int fp = lg_layer_field(F, "parcel_id"), fs = lg_layer_field(F, "severity");
	static const lg_field ff[] = {
		{"parcel_id", LG_FT_STRING, 0},
		{"name", LG_FT_STRING, 0},
		{"finding_level", LG_FT_STRING, 0},
	};
	lg_status st;
	if ((st = lg_layer_create(ctx, "findings_parcels", ff, 3, &r->focus)))
		return st;
	r->focus->role[LG_ROLE_ID] = 0;
	r->focus->role[LG_ROLE_NAME] = 1;
	r->focus->geom_type = 3;
	if ((st = lg_crs_clone(ctx, r->work, &r->focus->crs)))
		return st;
	if (!(r->atlas = lg__calloc(ctx, F->n + 1, sizeof *r->atlas)))
		return LG_NOMEM;
	for (size_t i = 0; i < F->n;) {
		const char *id = lg_feature_text(F, &F->feat[i], fp);
		lg__apar *a = &r->atlas[r->natlas++];
		size_t k = i;
		a->worst = LG_SEV_NOTICE;
		while (k < F->n && !strcmp(lg_feature_text(F, &F->feat[k], fp), id)) {
			lg_severity s = LG_SEV_NOTICE;
			lg_severity_parse(lg_feature_text(F, &F->feat[k], fs), &s);
			if ((int)s > a->worst)
				a->worst = (int)s;
			k++;
		}
		a->first = i;
		a->n = k - i;
		if (!(a->id = lg__strdup(ctx, id)))
			return LG_NOMEM;
		const lg_layer *L = r->parcels;
		const lg_feature *pf = find_by_id(L, id, NULL);
		if (!pf && r->sites) {
			L = r->sites;
			pf = find_by_id(L, id, NULL);
			a->from_sites = pf != NULL;
		}
		if (pf) {
			a->name = dup_text(ctx, L, pf, L->role[LG_ROLE_NAME]);
			a->town = town_of(ctx, r, L, pf);
			a->orig = use_text(ctx, r, text_of(L, pf, L->role[LG_ROLE_ORIG_CODE]));
			a->plan = use_text(ctx, r, text_of(L, pf, plan_field(L)));
			a->stage = a->from_sites ? lg__strdup(ctx, lg_stage_zh(r->site_stage[pf - L->feat]))
						 : lg__strdup(ctx, "");
			a->geom = pf->geom;
			a->area_m2 = geom_area(ctx, pf->geom);
		} else {
			a->name = lg__strdup(ctx, "");
			a->town = lg__strdup(ctx, "");
			a->orig = lg__strdup(ctx, "");
			a->plan = lg__strdup(ctx, "");
			a->stage = lg__strdup(ctx, "");
		}
		if (!a->name || !a->town || !a->orig || !a->plan || !a->stage)
			return LG_NOMEM;
		if (a->geom && !a->from_sites) {
			lg_feature *of;
			GEOSGeometry *g = GEOSGeom_clone_r(ctx->geos, a->geom);
			if (!g)
				return LG_NOMEM;
			if ((st = lg_layer_add(ctx, r->focus, &of))) {
				GEOSGeom_destroy_r(ctx->geos, g);
				return st;
			}
			lg_feature_set_geom(ctx, of, g);
			if ((st = lg_feature_set_str(ctx, r->focus, of, 0, a->id)) ||
			    (st = lg_feature_set_str(ctx, r->focus, of, 1, a->name)) ||
			    (st = lg_feature_set_str(ctx, r->focus, of, 2,
						     lg_severity_name((lg_severity)a->worst))))
				return st;
		}
		i = k;
	}
	lg_layer_update_extent(ctx, r->focus);
	return LG_OK;
}

/* --- the previous run ------------------------------------------------------------ */

static bool is_sqlite(const char *path)
{
	char head[16] = {0};
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = fread(head, 1, sizeof head, f);
	fclose(f);
	return n == sizeof head && !memcmp(head, "SQLite format 3", 16);
}

/* The findings of the latest report run of this job's kind recorded in a
 * workspace (landguard report --workspace WS), as a findings layer.
 * LG_INPUT (kept in ctx) when `path` is an SQLite file but no workspace. */
static lg_status previous_from_workspace(lg_ctx *ctx, lg_report *r, const char *path)
{
	lg_ws *ws = NULL;
	lg_ws_run *runs = NULL;
	lg_ws_finding *fs = NULL;
	size_t nr = 0, nf = 0;
	lg_status st;
	int64_t id = -1;
	const char *kind = r->job->kind == LG_REPORT_MONTHLY ? "\"kind\":\"monthly\""
							       : "\"kind\":\"quarterly\"";
	static const lg_field ff[] = {{"parcel_id", LG_FT_STRING, 0},
				      {"rule_id", LG_FT_STRING, 0},
				      {"severity", LG_FT_STRING, 0},
				      {"title", LG_FT_STRING, 0}};
	if ((st = lg_ws_open(ctx, path, false, &ws)) || (st = lg_ws_runs(ctx, ws, &runs, &nr)))
		goto done;
	for (size_t i = nr; i-- > 0 && id < 0;)
		if (!strcmp(runs[i].command, "report") && !strncmp(runs[i].status, "ok", 2) &&
		    runs[i].summary_json && strstr(runs[i].summary_json, kind))
			id = runs[i].run_id;
	if (id < 0) {
		st = lg_ctx_error(ctx, LG_INPUT, "job file '%s': workspace '%s' has no %s report run "
				  "yet; run this job once with --workspace '%s', or give the previous "
				  "findings.csv", r->job->path, path,
				  r->job->kind == LG_REPORT_MONTHLY ? "monthly" : "quarterly", path);
		goto done;
	}
	if ((st = lg_ws_findings(ctx, ws, id, &fs, &nf)) ||
	    (st = lg_layer_create(ctx, "previous", ff, 4, &r->prev)))
		goto done;
	for (size_t i = 0; i < nf; i++) {
		lg_feature *f;
		if ((st = lg_layer_add(ctx, r->prev, &f)) ||
		    (st = lg_feature_set_str(ctx, r->prev, f, 0, fs[i].parcel_id)) ||
		    (st = lg_feature_set_str(ctx, r->prev, f, 1, fs[i].rule_id)) ||
		    (st = lg_feature_set_str(ctx, r->prev, f, 2, fs[i].severity ? fs[i].severity : "")) ||
		    (st = lg_feature_set_str(ctx, r->prev, f, 3, fs[i].message ? fs[i].message : "")))
			goto done;
	}
	{
		size_t n = strlen(path) + 48;
		if (!(r->prev_name = lg__malloc(ctx, n))) {
			st = LG_NOMEM;
			goto done;
		}
		snprintf(r->prev_name, n, "%s 第%lld次运行", path, (long long)id);
	}
done:
	lg_ws_findings_free(fs, nf);
	lg_ws_runs_free(runs, nr);
	lg_ws_close(ws);
	return st;
}

static lg_status read_previous(lg_ctx *ctx, lg_report *r)
{
	const char *p = r->job->previous;
	struct stat sb;
	char *path;
	lg_status st;
	if (is_sqlite(p) && !strchr(p, '#')) {
		lg_ws *ws = NULL;
		bool is_ws = lg_ws_open(ctx, p, false, &ws) == LG_OK;
		lg_ws_close(ws);
		lg_ctx_clear_error(ctx);
		if (is_ws) {
			if ((st = previous_from_workspace(ctx, r, p)))
				return st;
			st = lg_report_compare(ctx, r->prev, r->prev_name, r->findings, &r->diffs,
					       &r->ndiffs, r->sum.changes);
			r->sum.compared = st == LG_OK;
			return st;
		}
	}
	if (stat(p, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		size_t n = strlen(p) + 32;
		if (!(path = lg__malloc(ctx, n)))
			return LG_NOMEM;
		snprintf(path, n, "%s/findings.csv", p);
	} else if (!(path = lg__strdup(ctx, p)))
		return LG_NOMEM;
	r->prev_name = path;
	lg_read_opts ro = {0};
	if ((st = lg_layer_read(ctx, path, &ro, &r->prev)))
		return st;
	st = lg_report_compare(ctx, r->prev, path, r->findings, &r->diffs, &r->ndiffs,
			       r->sum.changes);
	r->sum.compared = st == LG_OK;
	return st;
}

/* --- the run ------------------------------------------------------------------------ */

static void progress(lg_ctx *ctx, int step, int total)
{
	lg_ctx_progress(ctx, "report", step, total);
}

lg_status lg_report_run(lg_ctx *ctx, const lg_report_job *job, const lg_report_opts *opts,
			lg_report **out)
{
	lg_report *r;
	lg_status st;
	lg_rows *plan = NULL, *rows = NULL;
	lg_hj338 *hj = NULL;
	const int total = 9;

	*out = NULL;
	if (!(r = lg__calloc(ctx, 1, sizeof *r)))
		return LG_NOMEM;
	r->job = job;
	if (opts)
		r->opts = *opts;
	if (r->opts.date) {
		int32_t d;
		if (!lg_date_parse(r->opts.date, &d)) {
			st = lg_ctx_error(ctx, LG_USAGE, "--date must be YYYY-MM-DD (got '%s')",
					  r->opts.date);
			goto done;
		}
		lg_date_format(d, r->date);
	} else {
		time_t t = time(NULL);
		struct tm tmv;
		localtime_r(&t, &tmv);
		strftime(r->date, sizeof r->date, "%Y-%m-%d", &tmv);
	}
	r->opts.date = r->date;
	if (r->opts.dpi <= 0)
		r->opts.dpi = 200;

	progress(ctx, 0, total);
	if ((st = lg_landuse_load(ctx, NULL, &r->lu)) ||
	    (st = lg_check_tables_load(ctx, NULL, &r->tables)))
		goto done;
	if (job->input[LG_RIN_SAMPLES] && (st = lg_soil_limits_load(ctx, NULL, &r->soil)))
		goto done;

	/* the parcels decide the working CRS */
	{
		lg_read_opts ro = {0};
		const char *src = job->input[LG_RIN_PARCELS];
		if ((st = lg_layer_read(ctx, src, &ro, &r->parcels)))
			goto done;
		if (!r->parcels->crs) {
			st = lg_ctx_error(ctx, LG_NOCRS, "job file '%s': [inputs] parcels = '%s' has no "
					  "CRS; add a .prj or convert it with landguard convert --s-srs",
					  job->path, src);
			goto done;
		}
		if ((st = lg_crs_work_for(ctx, r->parcels->crs, r->parcels->minx, r->parcels->miny,
					  r->parcels->maxx, r->parcels->maxy, &r->work)) ||
		    (st = lg_layer_reproject(ctx, r->parcels, r->work)))
			goto done;
	}
	static const int layer_inputs[] = {LG_RIN_SITES, LG_RIN_UNITS, LG_RIN_SAMPLES,
					   LG_RIN_COUNTY, LG_RIN_TOWNS, LG_RIN_WATER, LG_RIN_WELLS};
	lg_layer **slots[] = {&r->sites, &r->units, &r->samples, &r->county, &r->towns, &r->water,
			      &r->wells};
	for (size_t i = 0; i < LG_ARRAY_LEN(layer_inputs); i++)
		if (job->input[layer_inputs[i]] &&
		    (st = read_in_work(ctx, r, layer_inputs[i], slots[i])))
			goto done;
	if (job->input[LG_RIN_LEDGER]) {
		const char *src = job->input[LG_RIN_LEDGER];
		lg_read_opts ro = {0};
		if ((st = lg_ledger_read(ctx, &src, 1, &ro, &r->ledger)))
			goto done;
	} else {
		lg_ctx_warn(ctx, "job file '%s' names no ledger: the rules on supply, permits and "
			    "soil steps (YZ-01, YZ-03, YZ-05, YZ-09) see no events%s", job->path,
			    job->kind == LG_REPORT_MONTHLY ? ", and the 清零 list is empty" : "");
	}
	if (r->sites && (st = lg_sites_stages(ctx, r->sites, false, LG_STAGE_SUSPECTED,
					      &r->site_stage)))
		goto done;
	progress(ctx, 1, total);

	/* check; the plan decides planned use only for parcels without one */
	{
		lg_check_inputs in = {0};
		lg_check_opts co = {0};
		if (job->input[LG_RIN_PLAN] && plan_field(r->parcels) < 0) {
			lg_rows_opts rwo;
			memset(&rwo, 0, sizeof rwo);
			if ((st = lg_rows_open(ctx, job->input[LG_RIN_PLAN], &rwo, &plan)))
				goto done;
		}
		in.parcels = r->parcels;
		in.plan = plan;
		in.sites = r->sites;
		in.units = r->units;
		in.samples = r->samples;
		in.county = job->kind == LG_REPORT_MONTHLY ? NULL : r->county;
		in.ledger = r->ledger;
		in.work = r->work;
		co.landuse = r->lu;
		co.soil = r->soil;
		co.tables = r->tables;
		co.near_m = job->near_m;
		if (job->kind == LG_REPORT_MONTHLY) {
			co.has_period = true;
			co.period_from = job->from;
			co.period_to = job->to;
		}
		if ((st = lg_check_run(ctx, &in, &co, &r->findings, &r->sum.check)))
			goto done;
		r->csum = r->sum.check;
		lg_rows_close(ctx, plan);
		plan = NULL;
	}
	progress(ctx, 2, total);
	if (job->kind == LG_REPORT_MONTHLY) {
		if ((st = build_qingling(ctx, r)))
			goto done;
	} else {
		if ((st = build_counts(ctx, r)))
			goto done;
		if (job->previous && (st = read_previous(ctx, r)))
			goto done;
	}
	if ((st = build_atlas(ctx, r)))
		goto done;
	r->sum.atlas_pages = r->opts.no_atlas ? 0 : r->natlas;
	progress(ctx, 3, total);

	/* overlay: the register on the plan */
	if (r->sites && job->input[LG_RIN_PLAN]) {
		lg_rows_opts rwo;
		lg_overlay_opts oo = {0};
		memset(&rwo, 0, sizeof rwo);
		oo.landuse = r->lu;
		if ((st = lg_rows_open(ctx, job->input[LG_RIN_PLAN], &rwo, &rows)) ||
		    (st = lg_overlay_run(ctx, r->sites, rows, r->work, &oo, &r->overlay, &r->osum)))
			goto done;
		lg_rows_close(ctx, rows);
		rows = NULL;
		r->sum.ran_overlay = true;
		r->sum.overlay_conflicts = r->osum.conflict_sites;
	}
	progress(ctx, 4, total);
	/* riverbuf: the survey (else the plan) in the buffer belts */
	if (r->water && (job->input[LG_RIN_SURVEY] || job->input[LG_RIN_PLAN])) {
		lg_rows_opts rwo;
		lg_riverbuf_opts ro = {0};
		memset(&rwo, 0, sizeof rwo);
		ro.inner_m = job->inner_m;
		ro.outer_m = job->outer_m;
		ro.landuse = r->lu;
		const char *src = job->input[LG_RIN_SURVEY] ? job->input[LG_RIN_SURVEY]
							    : job->input[LG_RIN_PLAN];
		if ((st = lg_rows_open(ctx, src, &rwo, &rows)) ||
		    (st = lg_riverbuf_run(ctx, r->water, rows, r->work, &ro, &r->rb_rows, NULL,
					  &r->rbsum)))
			goto done;
		r->has_rbsum = true;
		lg_rows_close(ctx, rows);
		rows = NULL;
		r->sum.ran_riverbuf = true;
		r->sum.riverbuf_conflicts = r->rbsum.conflict_parcels;
	}
	progress(ctx, 5, total);
	/* gwzone: protection zones round the wells and the sources inside */
	if (r->wells) {
		lg_gwzone_opts zo = {0};
		if ((st = lg_hj338_load(ctx, &hj)) ||
		    (st = lg_gwzone_run(ctx, hj, r->wells, r->work, &zo, &r->zones)))
			goto done;
		if (job->input[LG_RIN_SOURCES]) {
			lg_rows_opts rwo;
			memset(&rwo, 0, sizeof rwo);
			rwo.extra_field = "source_type";
			if ((st = lg_rows_open(ctx, job->input[LG_RIN_SOURCES], &rwo, &rows)))
				goto done;
			if (lg_layer_field(lg_rows_schema(rows), "source_type") < 0) {
				st = lg_ctx_error(ctx, LG_FIELD, "job file '%s': [inputs] sources = '%s' has "
						  "no source_type field", job->path,
						  job->input[LG_RIN_SOURCES]);
				goto done;
			}
			if ((st = lg_gwzone_hits(ctx, hj, r->zones, rows, r->work, &r->hits, &r->hsum)))
				goto done;
			lg_rows_close(ctx, rows);
			rows = NULL;
			r->sum.gw_hits = r->hsum.hits[0] + r->hsum.hits[1] + r->hsum.hits[2];
		}
		r->sum.ran_gwzone = true;
	}
	/* gwquality: monitoring points classed I-V and judged against their
	 * targets (drinking III, others V) */
	if (job->input[LG_RIN_GW_SAMPLES]) {
		lg_gw_limits *lim = NULL;
		lg_layer *gs = NULL;
		lg_gwquality_opts go = {NULL, job->input[LG_RIN_GW_SAMPLES]};
		if (!(st = lg_gw_limits_load(ctx, NULL, &lim)) &&
		    !(st = read_in_work(ctx, r, LG_RIN_GW_SAMPLES, &gs)))
			st = lg_gwquality_run(ctx, lim, gs, &go, &r->gwq, &r->gwqsum);
		lg_layer_destroy(ctx, gs);
		lg_gw_limits_destroy(lim);
		if (st)
			goto done;
		r->sum.ran_gwquality = true;
		r->sum.gw_failing = r->gwqsum.failing;
	}
	progress(ctx, 6, total);
	/* the base map: the plan, else the survey */
	{
		const char *src = job->input[LG_RIN_PLAN] ? job->input[LG_RIN_PLAN]
							  : job->input[LG_RIN_SURVEY];
		if (src) {
			lg_read_opts ro = {0};
			if ((st = lg_layer_read(ctx, src, &ro, &r->plan_map)))
				goto done;
			if (r->plan_map->crs && !lg_crs_same(r->plan_map->crs, r->work) &&
			    (st = lg_layer_reproject(ctx, r->plan_map, r->work)))
				goto done;
		}
	}
	progress(ctx, 7, total);
done:
	lg_rows_close(ctx, plan);
	lg_rows_close(ctx, rows);
	lg_hj338_destroy(hj);
	if (st) {
		lg_report_destroy(ctx, r);
		return st;
	}
	*out = r;
	return LG_OK;
}

void lg_report_destroy(lg_ctx *ctx, lg_report *r)
{
	if (!r)
		return;
	lg_layer *ls[] = {r->parcels, r->sites, r->units, r->samples, r->county, r->towns,
			  r->water, r->wells, r->plan_map, r->findings, r->prev, r->overlay,
			  r->rb_rows, r->hits, r->focus, r->gwq};
	for (size_t i = 0; i < LG_ARRAY_LEN(ls); i++)
		lg_layer_destroy(ctx, ls[i]);
	lg_crs_destroy(r->work);
	lg_landuse_destroy(r->lu);
	lg_check_tables_destroy(r->tables);
	lg_soil_limits_destroy(r->soil);
	lg_ledger_destroy(r->ledger);
	free(r->site_stage);
	for (size_t i = 0; i < r->nq; i++) {
		lg__qrow *q = &r->q[i];
		free(q->parcel_id), free(q->name), free(q->town), free(q->plan);
		free(q->supply), free(q->supply_date), free(q->problem), free(q->next_step);
		for (int s = 0; s < 6; s++)
			free(q->step[s]);
	}
	free(r->q);
	lg_report_diffs_free(r->diffs, r->ndiffs);
	free(r->prev_name);
	for (size_t i = 0; i < r->ntowns; i++)
		free(r->by_town[i].key);
	free(r->by_town);
	if (r->has_rbsum)
		lg_riverbuf_summary_release(&r->rbsum);
	lg_gwzones_destroy(ctx, r->zones);
	for (size_t i = 0; i < r->natlas; i++) {
		lg__apar *a = &r->atlas[i];
		free(a->id), free(a->name), free(a->town), free(a->orig), free(a->plan);
		free(a->stage), free(a->map);
	}
	free(r->atlas);
	for (size_t i = 0; i < r->nmaps; i++) {
		free(r->maps[i]);
		free(r->map_titles[i]);
	}
	free(r->maps);
	free(r->map_titles);
	free(r);
}
