/* check: the rules YZ-01 … YZ-10, one small function each, over the parcel
 * context of check_ctx.c.  Texts come from datasets/rules/rules.csv. */
#define _GNU_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/check_ctx.h"

typedef struct finding {
	char parcel_id[128];
	size_t rule;
	lg_severity sev;
	char *message, *basis, *evidence, *title, *next_step;
	const lg_geom *geom; /* borrowed parcel geometry, or NULL */
	size_t seq;
} finding;

typedef struct findings {
	finding *v;
	size_t n, cap;
	lg_status st; /* first failure; rule functions return void */
} findings;

/* ---- helpers ------------------------------------------------------------- */

static bool on_list(lg_stage s)
{
	return s == LG_STAGE_LISTED || s == LG_STAGE_CONTROLLING || s == LG_STAGE_REMEDIATED;
}

/* Risk not yet controlled (YZ-06): confirmed polluted, not yet through an
 * effect assessment. */
static bool uncontrolled(lg_stage s)
{
	return s == LG_STAGE_POLLUTED || s == LG_STAGE_LISTED || s == LG_STAGE_CONTROLLING;
}

static bool confirmed_polluted(lg_stage s)
{
	return s == LG_STAGE_POLLUTED || on_list(s);
}

static const char *date_str(int32_t d, char buf[11])
{
	lg_date_format(d, buf);
	return buf;
}

static const lg_event *last_before(const parcel *p, lg_event_kind k, int32_t date)
{
	const lg_event *r = NULL;
	for (size_t i = 0; i < p->nev && p->ev[i].date <= date; i++)
		if (p->ev[i].kind == k)
			r = &p->ev[i];
	return r;
}

static const lg_event *first_after(const parcel *p, lg_event_kind k, int32_t date)
{
	for (size_t i = 0; i < p->nev; i++)
		if (p->ev[i].kind == k && p->ev[i].date > date)
			return &p->ev[i];
	return NULL;
}

static const lg_event *last_of(const parcel *p, lg_event_kind k)
{
	return last_before(p, k, INT32_MAX);
}

static void parcel_vars(const lg_check_ctx *c, const parcel *p, vars *v)
{
	vars_set(v, "parcel_id", "%s", p->id);
	vars_set(v, "orig_code", "%s", p->orig_code);
	vars_set(v, "orig_name", "%s", p->orig_known ? p->orig.name : "");
	vars_set(v, "plan_code", "%s", p->plan_code);
	vars_set(v, "plan_name", "%s", p->plan_known ? p->plan.name : "");
	vars_set(v, "near_m", "%g", c->near_m);
}

/* {file} {row} {event} {date} of an event; with a prefix "step_" etc. */
static void event_vars(vars *v, const lg_event *e, bool step)
{
	char d[11];
	vars_set(v, step ? "step_file" : "file", "%s", lg__base(e->file));
	vars_set(v, step ? "step_row" : "row", "%ld", e->row);
	if (!step)
		vars_set(v, "event", "%s", lg_event_zh(e->kind));
	vars_set(v, step ? "step_date" : "date", "%s", date_str(e->date, d));
}

static void site_vars(const lg_check_ctx *c, const parcel *p, const hit *h, vars *v)
{
	const site_info *s = &c->sites[h->site];
	vars_set(v, "sites_file", "%s", c->sites_file);
	vars_set(v, "site_id", "%s", s->id);
	vars_set(v, "stage", "%s", lg_stage_zh(s->stage));
	vars_set(v, "industry", "%s", s->industry);
	vars_set(v, "overlap_m2", "%.1f", h->overlap_m2);
	vars_set(v, "overlap_pct", "%.1f", p->area_m2 > 0 ? 100 * h->overlap_m2 / p->area_m2 : 0);
	vars_set(v, "dist_m", "%.1f", h->dist_m);
}

/* Adds a finding of rule `rule` (index), case `kase`, from the templates. */
static void emit(const lg_check_ctx *c, findings *f, const char *parcel_id, const lg_geom *geom,
		 size_t rule, const char *kase, vars *v, const parcel *p)
{
	const char *rid = lg_check_rule_id(rule);
	const rule_row *r = lg__check_row(c->t, rid, kase);
	finding *x;
	if (f->st)
		return;
	if (!r) {
		f->st = lg_ctx_error(c->ctx, LG_INTERNAL, "no text for rule %s case '%s'", rid, kase);
		return;
	}
	if (v->oom || (f->st = lg__grow(c->ctx, (void **)&f->v, &f->cap, f->n + 1, sizeof *f->v))) {
		f->st = lg_ctx_error(c->ctx, LG_NOMEM, "out of memory");
		return;
	}
	x = &f->v[f->n];
	memset(x, 0, sizeof *x);
	snprintf(x->parcel_id, sizeof x->parcel_id, "%s", parcel_id);
	x->rule = rule;
	x->sev = r->severity;
	x->geom = geom;
	x->seq = f->n;
	x->message = lg__check_fill(r->message, v);
	x->basis = lg__check_fill(r->basis, v);
	x->title = lg__check_fill(r->title, v);
	x->next_step = lg__check_fill(r->next_step, v);
	char *ev = lg__check_fill(r->evidence, v);
	if (ev && p && (p->plan_overlay || p->plan_fallback)) {
		/* where the planned use came from belongs to every finding */
		vars pv = {0};
		vars_set(&pv, "plan_code", "%s", p->plan_code);
		vars_set(&pv, "plan_file", "%s", c->plan_file);
		vars_set(&pv, "plan_pct", "%.1f", 100 * p->plan_share);
		vars_set(&pv, "attr_code", "%s", p->attr_code);
		char *note = lg__check_fill(
			lg__check_phrase(c->t, p->plan_overlay ? "plan_from_overlay" : "plan_from_field"),
			&pv);
		char *attr = p->plan_overlay && *p->attr_code && strcmp(p->attr_code, p->plan_code)
				     ? lg__check_fill(lg__check_phrase(c->t, "plan_attr_differs"), &pv)
				     : NULL;
		char *both = NULL;
		if (note && asprintf(&both, "%s；%s%s%s", ev, note, attr ? "；" : "", attr ? attr : "") >= 0) {
			free(ev);
			ev = both;
		}
		free(note);
		free(attr);
		vars_release(&pv);
	}
	x->evidence = ev;
	f->n++;
	if (!x->message || !x->basis || !x->title || !x->next_step || !x->evidence)
		f->st = lg_ctx_error(c->ctx, LG_NOMEM, "out of memory");
}

/* The soil steps recorded, as "调查 2026-06-18 未污染；…" and with rows. */
static void steps_text(const lg_check_ctx *c, const parcel *p, vars *v)
{
	lg_buf s, e;
	char d[11];
	lg_buf_init(&s);
	lg_buf_init(&e);
	for (size_t i = 0; i < p->nev; i++) {
		const lg_event *x = &p->ev[i];
		if (lg_event_is_land(x->kind))
			continue;
		const char *res = lg_result_zh(x->result);
		lg_buf_printf(&s, "%s%s %s%s%s", s.len ? "；" : "", lg_event_zh(x->kind),
			      date_str(x->date, d), *res ? " " : "", res);
		lg_buf_printf(&e, "%s%s 第%ld行：%s %s%s%s", e.len ? "；" : "", lg__base(x->file), x->row,
			      lg_event_zh(x->kind), d, *res ? " " : "", res);
	}
	vars_set(v, "steps", "%s", s.len ? s.s : lg__check_phrase(c->t, "none"));
	vars_set(v, "steps_evidence", "%s", e.len ? e.s : lg__check_phrase(c->t, "no_events"));
	lg_buf_release(&s);
	lg_buf_release(&e);
}

static bool site_confirms_pollution(const lg_check_ctx *c, const parcel *p)
{
	for (size_t i = 0; i < p->nhits; i++)
		if (p->hits[i].overlaps && confirmed_polluted(c->sites[p->hits[i].site].stage))
			return true;
	return false;
}

/* The next soil step of a parcel changing to 一住两公, over all its events;
 * NULL when every step it needs is done. */
static const char *next_step(const lg_check_ctx *c, const parcel *p)
{
	const lg_event *inv = last_of(p, LG_EV_INVESTIGATION);
	const lg_event *ra = last_of(p, LG_EV_RISK_ASSESSMENT);
	const lg_event *ctl = last_of(p, LG_EV_CONTROL);
	const lg_event *rem = last_of(p, LG_EV_REMEDIATION);
	const lg_event *ea = last_of(p, LG_EV_EFFECT_ASSESSMENT);
	bool polluted = (inv && inv->result == LG_RES_POLLUTED) || site_confirms_pollution(c, p);
	if (!inv)
		return lg_event_zh(LG_EV_INVESTIGATION);
	if (polluted && !ra)
		return lg_event_zh(LG_EV_RISK_ASSESSMENT);
	if (ra && ra->result == LG_RES_NEEDS_ACTION) {
		if (!ctl && !rem)
			return lg__check_phrase(c->t, "control_or_remediation");
		if (!ea)
			return lg_event_zh(LG_EV_EFFECT_ASSESSMENT);
		if (ea->result == LG_RES_FAILED)
			return lg__check_phrase(c->t, "redo_remediation");
		if (ctl && !last_of(p, LG_EV_AFTERCARE))
			return lg_event_zh(LG_EV_AFTERCARE);
	}
	return NULL;
}

/* Supply, change of use or a permit for development; a permit for the
 * control/remediation works themselves is not the parcel's development. */
static bool is_gate(const lg_check_ctx *c, const lg_event *e)
{
	lg_event_kind k = e->kind;
	if (k == LG_EV_CONSTRUCTION_PERMIT)
		return !lg__check_remediation_works(c->t, e);
	return k == LG_EV_ALLOCATE || k == LG_EV_TRANSFER || k == LG_EV_CHANGE_USE ||
	       k == LG_EV_PLANNING_PERMIT;
}

/* ---- YZ-01 ----------------------------------------------------------------- */

/* The steps due before the first supply, change of use or permit; emits a
 * violation and returns true when one is missing. */
static bool yz01_gate(const lg_check_ctx *c, const parcel *p, const lg_event *g, findings *f)
{
	vars v = {0};
	char d[11];
	const char *kase = NULL;
	int32_t D = g->date;
	const lg_event *inv = last_before(p, LG_EV_INVESTIGATION, D);
	parcel_vars(c, p, &v);
	event_vars(&v, g, false);
	if (!inv) {
		const lg_event *later = first_after(p, LG_EV_INVESTIGATION, D);
		if (later)
			event_vars(&v, later, true);
		kase = later ? "late_investigation" : "no_investigation";
	} else if (inv->result == LG_RES_POLLUTED || site_confirms_pollution(c, p)) {
		const lg_event *ra = last_before(p, LG_EV_RISK_ASSESSMENT, D);
		event_vars(&v, inv, true);
		if (!ra) {
			const lg_event *later = first_after(p, LG_EV_RISK_ASSESSMENT, D);
			if (later)
				vars_set(&v, "late_date", "%s", date_str(later->date, d));
			kase = later ? "late_assessment" : "no_assessment";
		} else if (ra->result == LG_RES_NEEDS_ACTION) {
			const lg_event *ea = last_before(p, LG_EV_EFFECT_ASSESSMENT, D);
			if (!ea || ea->result != LG_RES_PASSED) {
				event_vars(&v, ra, true);
				if (ea)
					vars_set(&v, "late_info", "%s 第%ld行：%s %s %s", lg__base(ea->file),
						 ea->row, lg_event_zh(ea->kind), date_str(ea->date, d),
						 lg_result_zh(ea->result));
				else
					vars_set(&v, "late_info", "%s", lg__check_phrase(c->t, "no_effect"));
				kase = "not_remediated";
			}
		}
	}
	if (kase)
		emit(c, f, p->id, p->geom, 0, kase, &v, p);
	vars_release(&v);
	return kase != NULL;
}

static void yz01(const lg_check_ctx *c, const parcel *p, findings *f)
{
	vars v = {0};
	const lg_event *gate = NULL;
	if (!p->plan_known || !p->plan.yzlg)
		return;
	if (c->o->has_period && !p->supply)
		return;
	parcel_vars(c, p, &v);
	if (p->orig_known && p->orig.yzlg) {
		/* exempt: already 一住两公; the 清零 list still shows it */
		if (c->o->has_period) {
			event_vars(&v, p->supply, false);
			emit(c, f, p->id, p->geom, 0, "exempt", &v, p);
		}
		vars_release(&v);
		return;
	}
	for (size_t i = 0; i < p->nev && !gate; i++)
		if (is_gate(c, &p->ev[i]))
			gate = &p->ev[i];
	if (gate && yz01_gate(c, p, gate, f)) {
		vars_release(&v);
		return;
	}
	const char *next = next_step(c, p);
	steps_text(c, p, &v);
	if (c->o->has_period) {
		event_vars(&v, p->supply, false);
		vars_set(&v, "next", "%s", next ? next : lg__check_phrase(c->t, "steps_complete"));
		emit(c, f, p->id, p->geom, 0, "status", &v, p);
	} else if (!gate && next) {
		vars_set(&v, "next", "%s", next);
		emit(c, f, p->id, p->geom, 0, "pending", &v, p);
	}
	vars_release(&v);
}

/* ---- YZ-02 … YZ-04, YZ-06, YZ-08: the parcel over register sites ---------- */

static void yz02(const lg_check_ctx *c, const parcel *p, findings *f)
{
	if (!p->plan_known || !p->plan.yzlg)
		return;
	for (size_t i = 0; i < p->nhits; i++) {
		const hit *h = &p->hits[i];
		if (!h->overlaps || !on_list(c->sites[h->site].stage))
			continue;
		vars v = {0};
		parcel_vars(c, p, &v);
		site_vars(c, p, h, &v);
		emit(c, f, p->id, p->geom, 1, "listed", &v, p);
		vars_release(&v);
	}
}

static void yz03(const lg_check_ctx *c, const parcel *p, findings *f)
{
	for (size_t i = 0; i < p->nhits; i++) {
		const hit *h = &p->hits[i];
		if (!h->overlaps || !on_list(c->sites[h->site].stage))
			continue;
		for (size_t k = 0; k < p->nev; k++) {
			lg_event_kind e = p->ev[k].kind;
			if (e != LG_EV_RECOVER && e != LG_EV_PURCHASE && e != LG_EV_ALLOCATE &&
			    e != LG_EV_TRANSFER && e != LG_EV_CHANGE_USE)
				continue;
			vars v = {0};
			parcel_vars(c, p, &v);
			site_vars(c, p, h, &v);
			event_vars(&v, &p->ev[k], false);
			emit(c, f, p->id, p->geom, 2, "event", &v, p);
			vars_release(&v);
		}
	}
}

static void yz04(const lg_check_ctx *c, const parcel *p, findings *f)
{
	const char *kind = NULL;
	if (!p->plan_known)
		return;
	if (lg__check_use_is(c->t, "school", &p->plan))
		kind = "kind_school";
	else if (lg__check_use_is(c->t, "housing", &p->plan))
		kind = "kind_housing";
	if (!kind)
		return;
	for (size_t i = 0; i < p->nhits; i++) {
		const hit *h = &p->hits[i];
		const site_info *s = &c->sites[h->site];
		/* heavily polluted: confirmed and not yet through an effect assessment */
		if (!h->overlaps || !uncontrolled(s->stage) ||
		    !lg__check_industry_group(c->t, s->industry))
			continue;
		vars v = {0};
		parcel_vars(c, p, &v);
		site_vars(c, p, h, &v);
		vars_set(&v, "use_kind", "%s", lg__check_phrase(c->t, kind));
		emit(c, f, p->id, p->geom, 3, "school_housing", &v, p);
		vars_release(&v);
	}
}

static void yz06(const lg_check_ctx *c, const parcel *p, findings *f)
{
	if (!p->plan_known || !p->plan.yzlg)
		return;
	for (size_t i = 0; i < p->nhits; i++) {
		const hit *h = &p->hits[i];
		if (!uncontrolled(c->sites[h->site].stage) || h->dist_m > c->near_m + LG_NEAR_TOL_M)
			continue;
		vars v = {0};
		parcel_vars(c, p, &v);
		site_vars(c, p, h, &v);
		emit(c, f, p->id, p->geom, 5, "near", &v, p);
		vars_release(&v);
	}
}

static void yz08(const lg_check_ctx *c, const parcel *p, findings *f)
{
	if (!p->plan_known || !lg__check_use_is(c->t, "edible", &p->plan))
		return;
	for (size_t i = 0; i < p->nhits; i++) {
		const hit *h = &p->hits[i];
		/* on the register = land once used for toxic substances, unless an
		 * investigation found it clean */
		if (!h->overlaps || c->sites[h->site].stage == LG_STAGE_INVESTIGATED_CLEAN)
			continue;
		vars v = {0};
		parcel_vars(c, p, &v);
		site_vars(c, p, h, &v);
		emit(c, f, p->id, p->geom, 7, "cropland", &v, p);
		vars_release(&v);
	}
}

/* ---- YZ-05 ----------------------------------------------------------------- */

static void yz05(const lg_check_ctx *c, const parcel *p, findings *f)
{
	const hit *sh = NULL;
	char d[11];
	for (size_t i = 0; i < p->nhits && !sh; i++) {
		lg_stage s = c->sites[p->hits[i].site].stage;
		if (p->hits[i].overlaps && s != LG_STAGE_INVESTIGATED_CLEAN && s != LG_STAGE_REMOVED)
			sh = &p->hits[i];
	}
	const site_info *s = sh ? &c->sites[sh->site] : NULL;
	for (size_t k = 0; k < p->nev; k++) {
		const lg_event *e = &p->ev[k];
		/* YZ-05 forbids construction unrelated to control/remediation: the
		 * remediation works themselves may start */
		if (e->kind != LG_EV_CONSTRUCTION_PERMIT || lg__check_remediation_works(c->t, e))
			continue;
		int32_t D = e->date;
		const lg_event *inv = last_before(p, LG_EV_INVESTIGATION, D);
		const lg_event *ra = last_before(p, LG_EV_RISK_ASSESSMENT, D);
		const lg_event *ea = last_before(p, LG_EV_EFFECT_ASSESSMENT, D);
		bool site_poll = s && confirmed_polluted(s->stage);
		bool inv_poll = inv && inv->result == LG_RES_POLLUTED;
		bool listed = s && on_list(s->stage);
		const char *kase = NULL;
		vars v = {0};
		parcel_vars(c, p, &v);
		event_vars(&v, e, false);
		if (sh)
			site_vars(c, p, sh, &v);
		if (s && s->stage == LG_STAGE_SUSPECTED && !inv) {
			kase = "no_investigation";
		} else if (site_poll || inv_poll) {
			if (site_poll) {
				vars_set(&v, "why", "%s%s（%s）", lg__check_phrase(c->t, "site_polluted"), s->id,
					 lg_stage_zh(s->stage));
				vars_set(&v, "why_evidence", "%s %s：%s", c->sites_file, s->id,
					 lg_stage_zh(s->stage));
			} else {
				vars_set(&v, "why", "%s（%s）", lg__check_phrase(c->t, "investigation_polluted"),
					 date_str(inv->date, d));
				vars_set(&v, "why_evidence", "%s 第%ld行：%s %s %s", lg__base(inv->file),
					 inv->row, lg_event_zh(inv->kind), date_str(inv->date, d),
					 lg_result_zh(inv->result));
			}
			bool needs = (ra && ra->result == LG_RES_NEEDS_ACTION) ||
				     (s && (s->stage == LG_STAGE_LISTED || s->stage == LG_STAGE_CONTROLLING));
			if (!ra && !listed) {
				const lg_event *later = first_after(p, LG_EV_RISK_ASSESSMENT, D);
				if (later)
					vars_set(&v, "late_info", "；%s 第%ld行：%s %s（晚于%s）",
						 lg__base(later->file), later->row, lg_event_zh(later->kind),
						 date_str(later->date, d), lg_event_zh(e->kind));
				else
					vars_set(&v, "late_info", "%s", "");
				kase = "no_assessment";
			} else if (needs && (!ea || ea->result != LG_RES_PASSED)) {
				if (ea) {
					vars_set(&v, "state", "%s %s", lg__check_phrase(c->t, "effect_failed"),
						 date_str(ea->date, d));
					vars_set(&v, "state_evidence", "%s 第%ld行：%s %s %s",
						 lg__base(ea->file), ea->row, lg_event_zh(ea->kind), d,
						 lg_result_zh(ea->result));
				} else {
					vars_set(&v, "state", "%s", lg__check_phrase(c->t, "no_effect"));
					vars_set(&v, "state_evidence", "%s", lg__check_phrase(c->t, "no_effect"));
				}
				kase = "targets_not_met";
			}
		}
		if (kase)
			emit(c, f, p->id, p->geom, 4, kase, &v, p);
		vars_release(&v);
	}
}

/* ---- YZ-07 ----------------------------------------------------------------- */

static void yz07(const lg_check_ctx *c, const parcel *p, findings *f)
{
	const lg_layer *l = c->in->samples;
	int cls;
	const char *cls_key;
	if (!l || !p->nsamples)
		return;
	if (!p->plan_known) {
		cls = 1;
		cls_key = "land_class_1_unknown";
	} else {
		cls = p->plan.gb36600 == 1 ? 1 : 2;
		cls_key = cls == 1 ? "land_class_1" : "land_class_2";
	}
	for (size_t k = 0; k < p->nsamples; k++) {
		size_t si = p->samples[k];
		const lg_feature *sf = &l->feat[si];
		char sid[128];
		snprintf(sid, sizeof sid, "%s",
			 c->sample_id_f >= 0 ? lg_feature_text(l, sf, c->sample_id_f) : "");
		for (size_t j = 0; j < l->nfields; j++) {
			const lg_soil_item *it = c->sample_item[j];
			if (!it)
				continue;
			const lg_labvalue *val = &c->sample_val[si * l->nfields + j];
			lg_soil_verdict vd;
			if (lg_soil_judge(c->ctx, it, cls, val, &vd)) {
				f->st = lg_ctx_errcode(c->ctx);
				return;
			}
			const char *kase = vd.level == LG_SOIL_ABOVE_INTERV  ? "above_interv"
					   : vd.level == LG_SOIL_ABOVE_SCREEN ? (vd.background_note ? "above_screen_bg"
												    : "above_screen")
					   : vd.dl_above_screen		      ? "dl_above_screen"
										      : NULL;
			if (!kase)
				continue;
			vars v = {0};
			parcel_vars(c, p, &v);
			vars_set(&v, "samples_file", "%s", c->samples_file);
			vars_set(&v, "sample_id", "%s", sid);
			vars_set(&v, "item", "%s", l->fields[j].name);
			vars_set(&v, "value", "%g", val->value);
			vars_set(&v, "value_text", "%s", lg_feature_text(l, sf, (int)j));
			vars_set(&v, "dl", "%g", val->dl);
			vars_set(&v, "screen", "%g", vd.screen_mgkg);
			vars_set(&v, "interv", "%g", vd.interv_mgkg);
			vars_set(&v, "land_class", "%s", lg__check_phrase(c->t, cls_key));
			emit(c, f, p->id, p->geom, 6, kase, &v, p);
			vars_release(&v);
		}
	}
}

/* ---- YZ-09 ----------------------------------------------------------------- */

static void yz09(const lg_check_ctx *c, const parcel *p, findings *f)
{
	const lg_layer *l = c->in->units;
	const lg_event *e = NULL;
	char d[11];
	if (!l || !p->nunits)
		return;
	for (size_t k = 0; k < p->nev && !e; k++)
		if (p->ev[k].kind == LG_EV_CHANGE_USE || p->ev[k].kind == LG_EV_TRANSFER ||
		    p->ev[k].kind == LG_EV_RECOVER)
			e = &p->ev[k];
	if (!e || last_before(p, LG_EV_INVESTIGATION, e->date))
		return;
	const lg_event *later = first_after(p, LG_EV_INVESTIGATION, e->date);
	for (size_t k = 0; k < p->nunits; k++) {
		const lg_feature *uf = &l->feat[p->units[k]];
		vars v = {0};
		parcel_vars(c, p, &v);
		event_vars(&v, e, false);
		vars_set(&v, "units_file", "%s", c->units_file);
		vars_set(&v, "unit_id", "%s",
			 c->unit_id_f >= 0 ? lg_feature_text(l, uf, c->unit_id_f) : lg_feature_id(l, uf));
		vars_set(&v, "unit_name", "%s", lg_feature_text(l, uf, l->role[LG_ROLE_NAME]));
		vars_set(&v, "unit_industry", "%s", lg_feature_text(l, uf, l->role[LG_ROLE_INDUSTRY]));
		if (later)
			vars_set(&v, "report_info", "%s %s", lg__check_phrase(c->t, "report_late"),
				 date_str(later->date, d));
		else
			vars_set(&v, "report_info", "%s", lg__check_phrase(c->t, "report_missing"));
		emit(c, f, p->id, p->geom, 8, "no_report", &v, p);
		vars_release(&v);
	}
}

/* ---- YZ-10: the register itself -------------------------------------------- */

static lg_status county_geom(const lg_check_ctx *c, GEOSGeometry **out)
{
	GEOSContextHandle_t h = c->ctx->geos;
	const lg_layer *l = c->in->county;
	GEOSGeometry **parts = lg__calloc(c->ctx, l->n + 1, sizeof *parts);
	size_t n = 0;
	*out = NULL;
	if (!parts)
		return LG_NOMEM;
	for (size_t i = 0; i < l->n; i++)
		if (l->feat[i].geom)
			parts[n++] = GEOSGeom_clone_r(h, l->feat[i].geom);
	GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)n);
	free(parts);
	if (!coll)
		return lg_ctx_error(c->ctx, LG_GEOM, "cannot combine the county outline '%s': %s",
				    c->county_file, c->ctx->geos_msg);
	*out = GEOSUnaryUnion_r(h, coll);
	GEOSGeom_destroy_r(h, coll);
	if (!*out || n == 0) {
		if (*out)
			GEOSGeom_destroy_r(h, *out);
		*out = NULL;
		return lg_ctx_error(c->ctx, LG_GEOM, "the county outline '%s' has no polygon",
				    c->county_file);
	}
	return LG_OK;
}

static void yz10(const lg_check_ctx *c, findings *f)
{
	GEOSContextHandle_t h = c->ctx->geos;
	GEOSGeometry *county = NULL;
	if (c->in->county && (f->st = county_geom(c, &county)))
		return;
	for (size_t i = 0; i < c->nsites && !f->st; i++) {
		const site_info *s = &c->sites[i];
		vars v = {0};
		vars_set(&v, "sites_file", "%s", c->sites_file);
		vars_set(&v, "site_id", "%s", s->id);
		vars_set(&v, "stage", "%s", lg_stage_zh(s->stage));
		vars_set(&v, "feature", "%zu", s->feat + 1);
		if (!s->geom) {
			emit(c, f, s->id, NULL, 9, "no_geometry", &v, NULL);
		} else if (county && GEOSIntersects_r(h, county, s->geom) == 0) {
			double dist = 0, x = 0, y = 0;
			GEOSDistance_r(h, county, s->geom, &dist);
			GEOSGeometry *ct = GEOSGetCentroid_r(h, s->geom);
			if (ct) {
				GEOSGeomGetX_r(h, ct, &x);
				GEOSGeomGetY_r(h, ct, &y);
				GEOSGeom_destroy_r(h, ct);
			}
			vars_set(&v, "county", "%s", c->county_name);
			vars_set(&v, "county_file", "%s", c->county_file);
			vars_set(&v, "dist_m", "%.1f", dist);
			vars_set(&v, "centre", "%.1f, %.1f", x, y);
			emit(c, f, s->id, NULL, 9, "outside_county", &v, NULL);
		}
		vars_release(&v);
	}
	if (county)
		GEOSGeom_destroy_r(h, county);
}

/* ---- the table, the run, the output ----------------------------------------- */

typedef void (*rule_fn)(const lg_check_ctx *, const parcel *, findings *);

static const struct {
	const char *id;
	rule_fn fn; /* NULL: not a per-parcel rule */
} rules[LG_CHECK_NRULES] = {
	{"YZ-01", yz01}, {"YZ-02", yz02}, {"YZ-03", yz03}, {"YZ-04", yz04}, {"YZ-05", yz05},
	{"YZ-06", yz06}, {"YZ-07", yz07}, {"YZ-08", yz08}, {"YZ-09", yz09}, {"YZ-10", NULL},
};

/* Text order with runs of digits compared by value ("row 9" < "row 10"). */
static int natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			const char *a0 = a, *b0 = b;
			while (*a0 == '0' && isdigit((unsigned char)a0[1]))
				a0++;
			while (*b0 == '0' && isdigit((unsigned char)b0[1]))
				b0++;
			const char *a1 = a0, *b1 = b0;
			while (isdigit((unsigned char)*a1))
				a1++;
			while (isdigit((unsigned char)*b1))
				b1++;
			if (a1 - a0 != b1 - b0)
				return a1 - a0 < b1 - b0 ? -1 : 1;
			int c = strncmp(a0, b0, (size_t)(a1 - a0));
			if (c)
				return c;
			a = a1;
			b = b1;
			continue;
		}
		if (*a != *b)
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		a++;
		b++;
	}
	return *a ? 1 : *b ? -1 : 0;
}

static int cmp_finding(const void *x, const void *y)
{
	const finding *a = x, *b = y;
	int c = lg_id_cmp(a->parcel_id, b->parcel_id);
	if (c)
		return c;
	if (a->rule != b->rule)
		return a->rule < b->rule ? -1 : 1;
	c = natcmp(a->evidence, b->evidence);
	if (c)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

enum { F_PARCEL, F_RULE, F_SEV, F_MSG, F_BASIS, F_EVID, F_TITLE, F_NEXT, F__N };
static const lg_field out_fields[F__N] = {
	{"parcel_id", LG_FT_STRING, 0}, {"rule_id", LG_FT_STRING, 0},
	{"severity", LG_FT_STRING, 0},	{"message", LG_FT_STRING, 0},
	{"basis", LG_FT_STRING, 0},	{"evidence", LG_FT_STRING, 0},
	{"title", LG_FT_STRING, 0},	{"next_step", LG_FT_STRING, 0},
};

static void findings_release(findings *f)
{
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].message);
		free(f->v[i].basis);
		free(f->v[i].evidence);
		free(f->v[i].title);
		free(f->v[i].next_step);
	}
	free(f->v);
}

lg_status lg_check_run(lg_ctx *ctx, const lg_check_inputs *in, const lg_check_opts *o,
		       lg_layer **out, lg_check_summary *sum)
{
	lg_check_ctx c;
	findings f = {0};
	lg_layer *res = NULL;
	lg_status st;
	*out = NULL;
	memset(sum, 0, sizeof *sum);
	if (!in->parcels || !in->work || !o->landuse || !o->tables)
		return lg_ctx_error(ctx, LG_INTERNAL, "lg_check_run: parcels, work CRS, land-use "
				    "table and rule tables are required");
	if ((st = lg__check_ctx_init(&c, ctx, in, o, sum)))
		goto done;
	for (size_t i = 0; i < c.nparcels && !f.st; i++) {
		const parcel *p = &c.parcels[i];
		if (!p->checked)
			continue;
		for (size_t r = 0; r < LG_CHECK_NRULES && !f.st; r++)
			if (rules[r].fn)
				rules[r].fn(&c, p, &f);
		lg_ctx_progress(ctx, "check", (double)(i + 1), (double)c.nparcels);
	}
	/* the register's own defects are not part of a monthly supply list */
	if (!f.st && !o->has_period)
		yz10(&c, &f);
	if (!f.st && !o->has_period && !in->county && in->sites)
		lg_ctx_warn(ctx, "no --county given: YZ-10 checks register sites for missing "
			    "geometry only, not for lying outside the county");
	if ((st = f.st))
		goto done;
	if (f.n > 1)
		lg__qsort(f.v, f.n, sizeof *f.v, cmp_finding);
	if ((st = lg_layer_create(ctx, "findings", out_fields, F__N, &res)) ||
	    (st = lg_crs_clone(ctx, in->work, &res->crs)))
		goto done;
	res->geom_type = 6; /* MultiPolygon */
	res->role[LG_ROLE_ID] = F_PARCEL;
	for (size_t i = 0; i < f.n; i++) {
		const finding *x = &f.v[i];
		lg_feature *ft;
		if ((st = lg_layer_add(ctx, res, &ft)) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_PARCEL, x->parcel_id)) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_RULE, lg_check_rule_id(x->rule))) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_SEV, lg_severity_name(x->sev))) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_MSG, x->message)) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_BASIS, x->basis)) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_EVID, x->evidence)) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_TITLE, x->title)) ||
		    (st = lg_feature_set_str(ctx, res, ft, F_NEXT, x->next_step)))
			goto done;
		if (x->geom)
			lg_feature_set_geom(ctx, ft, GEOSGeom_clone_r(ctx->geos, x->geom));
		sum->count[x->rule][x->sev]++;
		sum->by_severity[x->sev]++;
	}
	sum->findings = f.n;
	lg_layer_update_extent(ctx, res);
	*out = res;
	res = NULL;
done:
	findings_release(&f);
	lg_layer_destroy(ctx, res);
	lg__check_ctx_release(&c);
	return st;
}
