/* check: the rule texts (the tables in datasets/rules/) and message templates. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/check_int.h"
#include "io/csv_int.h"

static const struct {
	const char *en, *zh;
} sev_info[] = {
#define LG__SV(n, en, zh) {en, zh},
	LG_SEVERITY_MAP(LG__SV)
#undef LG__SV
};

const char *lg_severity_name(lg_severity s)
{
	return (unsigned)s < LG_SEV__COUNT ? sev_info[s].en : "unknown";
}

const char *lg_severity_zh(lg_severity s)
{
	return (unsigned)s < LG_SEV__COUNT ? sev_info[s].zh : "未知";
}

bool lg_severity_parse(const char *s, lg_severity *out)
{
	char buf[64];
	if (!s)
		return false;
	snprintf(buf, sizeof buf, "%s", s);
	char *t = lg__trim(buf);
	for (int i = 0; i < LG_SEV__COUNT; i++)
		if (lg__strieq(t, sev_info[i].en) || !strcmp(t, sev_info[i].zh)) {
			if (out)
				*out = (lg_severity)i;
			return true;
		}
	return false;
}

static const char *const rule_ids[LG_CHECK_NRULES] = {
	"YZ-01", "YZ-02", "YZ-03", "YZ-04", "YZ-05",
	"YZ-06", "YZ-07", "YZ-08", "YZ-09", "YZ-10",
};

const char *lg_check_rule_id(size_t i)
{
	return i < LG_CHECK_NRULES ? rule_ids[i] : "";
}

/* The cases the rule functions emit; the table must have each. */
static const char *const needed[][2] = {
	{"YZ-01", "no_investigation"}, {"YZ-01", "late_investigation"},
	{"YZ-01", "no_assessment"},    {"YZ-01", "late_assessment"},
	{"YZ-01", "not_remediated"},   {"YZ-01", "pending"},
	{"YZ-01", "status"},           {"YZ-01", "exempt"},
	{"YZ-02", "listed"},           {"YZ-03", "event"},
	{"YZ-04", "school_housing"},   {"YZ-05", "no_investigation"},
	{"YZ-05", "no_assessment"},    {"YZ-05", "targets_not_met"},
	{"YZ-06", "near"},             {"YZ-07", "above_screen"},
	{"YZ-07", "above_screen_bg"},  {"YZ-07", "above_interv"},
	{"YZ-07", "dl_above_screen"},  {"YZ-08", "cropland"},
	{"YZ-09", "no_report"},        {"YZ-10", "no_geometry"},
	{"YZ-10", "outside_county"},
};

static const char *const phrases_needed[] = {
	"none", "steps_complete", "control_or_remediation", "redo_remediation",
	"aftercare", "land_class_1", "land_class_2", "land_class_1_unknown",
	"kind_school", "kind_housing", "site_polluted", "investigation_polluted",
	"no_effect", "effect_failed", "effect_late", "report_missing", "report_late",
	"no_events", "plan_from_overlay", "plan_from_field", "plan_attr_differs",
};

static char *dup_field(lg_ctx *ctx, lg__csv *c, int col, lg_status *st)
{
	char *s = lg__strdup(ctx, col >= 0 ? lg__csv_field(c, (size_t)col) : "");
	if (!s)
		*st = LG_NOMEM;
	return s;
}

static lg_status open_table(lg_ctx *ctx, const char *path, const char *const *cols, int ncols,
			    int *idx, lg__csv **out)
{
	lg_status st = lg__csv_open(ctx, path, out);
	if (st)
		return st;
	for (int i = 0; i < ncols; i++) {
		idx[i] = lg__csv_column(*out, cols[i]);
		if (idx[i] < 0) {
			lg__csv_close(*out);
			*out = NULL;
			return lg_ctx_error(ctx, LG_INPUT,
					    "'%s' has no column '%s'; its header must name the "
					    "columns of datasets/rules/README (see docs/check.md)",
					    path, cols[i]);
		}
	}
	return LG_OK;
}

static lg_status load_rules(lg_ctx *ctx, lg_check_tables *t, const char *path)
{
	static const char *const cols[] = {"rule_id", "case", "severity", "title",
					   "message", "evidence", "basis", "next_step"};
	int ix[8];
	lg__csv *c = NULL;
	lg_status st;
	bool eof;
	size_t cap = 0;
	if ((st = open_table(ctx, path, cols, 8, ix, &c)))
		return st;
	for (;;) {
		if ((st = lg__csv_next(c, &eof)) || eof)
			break;
		const char *id = lg__csv_field(c, (size_t)ix[0]);
		bool known = false;
		for (size_t i = 0; i < LG_CHECK_NRULES; i++)
			known |= !strcmp(id, rule_ids[i]);
		if (!known) {
			st = lg__csv_error(c, (size_t)ix[0], "unknown rule '%s'; rules are YZ-01 … YZ-10", id);
			break;
		}
		lg_severity sev;
		if (!lg_severity_parse(lg__csv_field(c, (size_t)ix[2]), &sev)) {
			st = lg__csv_error(c, (size_t)ix[2],
					   "unknown severity '%s'; use violation, risk or notice",
					   lg__csv_field(c, (size_t)ix[2]));
			break;
		}
		if ((st = lg__grow(ctx, (void **)&t->rows, &cap, t->nrows + 1,
				   sizeof *t->rows)))
			break;
		rule_row *r = &t->rows[t->nrows];
		memset(r, 0, sizeof *r);
		t->nrows++;
		r->severity = sev;
		r->rule_id = dup_field(ctx, c, ix[0], &st);
		r->kase = dup_field(ctx, c, ix[1], &st);
		r->title = dup_field(ctx, c, ix[3], &st);
		r->message = dup_field(ctx, c, ix[4], &st);
		r->evidence = dup_field(ctx, c, ix[5], &st);
		r->basis = dup_field(ctx, c, ix[6], &st);
		r->next_step = dup_field(ctx, c, ix[7], &st);
		if (st)
			break;
	}
	lg__csv_close(c);
	if (st)
		return st;
	for (size_t i = 0; i < LG_ARRAY_LEN(needed); i++)
		if (!lg__check_row(t, needed[i][0], needed[i][1]))
			return lg_ctx_error(ctx, LG_INPUT,
					    "'%s' has no row for rule %s case '%s'; add it (see "
					    "datasets/rules/rules.csv)",
					    path, needed[i][0], needed[i][1]);
	return LG_OK;
}

/* A two-column table (key, value) into two parallel string arrays. */
static lg_status load_pairs(lg_ctx *ctx, const char *path, const char *k, const char *v,
			    char ***keys, char ***vals, size_t *n)
{
	const char *const cols[] = {k, v};
	int ix[2];
	lg__csv *c = NULL;
	lg_status st;
	bool eof;
	size_t capk = 0, capv = 0;
	if ((st = open_table(ctx, path, cols, 2, ix, &c)))
		return st;
	for (;;) {
		if ((st = lg__csv_next(c, &eof)) || eof)
			break;
		if ((st = lg__grow(ctx, (void **)keys, &capk, *n + 1, sizeof **keys)) ||
		    (st = lg__grow(ctx, (void **)vals, &capv, *n + 1, sizeof **vals)))
			break;
		(*keys)[*n] = dup_field(ctx, c, ix[0], &st);
		(*vals)[*n] = dup_field(ctx, c, ix[1], &st);
		++*n;
		if (st)
			break;
	}
	lg__csv_close(c);
	return st;
}

static lg_status load_phrases(lg_ctx *ctx, lg_check_tables *t, const char *path)
{
	lg_status st = load_pairs(ctx, path, "key", "text", &t->phrase_key, &t->phrase_text,
				  &t->nphrases);
	if (st)
		return st;
	for (size_t i = 0; i < LG_ARRAY_LEN(phrases_needed); i++) {
		bool have = false;
		for (size_t k = 0; k < t->nphrases && !have; k++)
			have = !strcmp(t->phrase_key[k], phrases_needed[i]);
		if (!have)
			return lg_ctx_error(ctx, LG_INPUT, "'%s' has no phrase '%s'; add it", path,
					    phrases_needed[i]);
	}
	return LG_OK;
}

static lg_status load_uses(lg_ctx *ctx, lg_check_tables *t, const char *path)
{
	static const char *const cols[] = {"kind", "system", "code_prefix", "use_class"};
	int ix[4];
	lg__csv *c = NULL;
	lg_status st;
	bool eof;
	size_t cap = 0;
	if ((st = open_table(ctx, path, cols, 4, ix, &c)))
		return st;
	for (;;) {
		if ((st = lg__csv_next(c, &eof)) || eof)
			break;
		if ((st = lg__grow(ctx, (void **)&t->uses, &cap, t->nuses + 1, sizeof *t->uses)))
			break;
		use_row *u = &t->uses[t->nuses];
		memset(u, 0, sizeof *u);
		t->nuses++;
		const char *uc = lg__csv_field(c, (size_t)ix[3]);
		lg_use_class cls;
		u->use_class = -1;
		if (*uc) {
			if (!lg_use_class_parse(uc, &cls)) {
				st = lg__csv_error(c, (size_t)ix[3], "unknown use class '%s'", uc);
				break;
			}
			u->use_class = (int)cls;
		}
		u->kind = dup_field(ctx, c, ix[0], &st);
		u->system = dup_field(ctx, c, ix[1], &st);
		u->prefix = dup_field(ctx, c, ix[2], &st);
		if (st)
			break;
	}
	lg__csv_close(c);
	return st;
}

static lg_status load_industries(lg_ctx *ctx, lg_check_tables *t, const char *path)
{
	return load_pairs(ctx, path, "industry", "group", &t->ind_name, &t->ind_group, &t->ninds);
}

static lg_status load_works(lg_ctx *ctx, lg_check_tables *t, const char *path)
{
	static const char *const cols[] = {"match", "keyword"};
	int ix[2];
	lg__csv *c = NULL;
	lg_status st;
	bool eof;
	size_t cap_inc = 0, cap_exc = 0;
	if ((st = open_table(ctx, path, cols, 2, ix, &c)))
		return st;
	for (;;) {
		if ((st = lg__csv_next(c, &eof)) || eof)
			break;
		const char *m = lg__csv_field(c, (size_t)ix[0]);
		bool inc = lg__strieq(m, "include"), exc = lg__strieq(m, "exclude");
		if (!inc && !exc) {
			st = lg__csv_error(c, (size_t)ix[0], "unknown match '%s'; use include or exclude", m);
			break;
		}
		if (!*lg__csv_field(c, (size_t)ix[1]))
			continue;
		char ***v = inc ? &t->works_inc : &t->works_exc;
		size_t *n = inc ? &t->nworks_inc : &t->nworks_exc;
		if ((st = lg__grow(ctx, (void **)v, inc ? &cap_inc : &cap_exc, *n + 1, sizeof **v)))
			break;
		(*v)[*n] = dup_field(ctx, c, ix[1], &st);
		++*n;
		if (st)
			break;
	}
	lg__csv_close(c);
	return st;
}

static bool note_has(const char *note, char *const *kw, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcasestr(note, kw[i]))
			return true;
	return false;
}

bool lg__check_remediation_works(const lg_check_tables *t, const lg_event *e)
{
	if (e->result == LG_RES_REMEDIATION_WORKS)
		return true;
	return e->note && note_has(e->note, t->works_inc, t->nworks_inc) &&
	       !note_has(e->note, t->works_exc, t->nworks_exc);
}

lg_status lg_check_tables_load(lg_ctx *ctx, const char *rules_csv, lg_check_tables **out)
{
	char path[1024];
	const char *dir = lg_ctx_datadir(ctx);
	lg_check_tables *t = lg__calloc(ctx, 1, sizeof *t);
	lg_status st;
	*out = NULL;
	if (!t)
		return LG_NOMEM;
	if (rules_csv)
		snprintf(path, sizeof path, "%s", rules_csv);
	else
		snprintf(path, sizeof path, "%s/rules/rules.csv", dir);
	if ((st = load_rules(ctx, t, path)))
		goto fail;
	snprintf(path, sizeof path, "%s/rules/phrases.csv", dir);
	if ((st = load_phrases(ctx, t, path)))
		goto fail;
	snprintf(path, sizeof path, "%s/rules/uses.csv", dir);
	if ((st = load_uses(ctx, t, path)))
		goto fail;
	snprintf(path, sizeof path, "%s/rules/industries.csv", dir);
	if ((st = load_industries(ctx, t, path)))
		goto fail;
	snprintf(path, sizeof path, "%s/rules/works.csv", dir);
	if ((st = load_works(ctx, t, path)))
		goto fail;
	*out = t;
	return LG_OK;
fail:
	lg_check_tables_destroy(t);
	return st;
}

void lg_check_tables_destroy(lg_check_tables *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		rule_row *r = &t->rows[i];
		free(r->rule_id);
		free(r->kase);
		free(r->title);
		free(r->message);
		free(r->evidence);
		free(r->basis);
		free(r->next_step);
	}
	free(t->rows);
	for (size_t i = 0; i < t->nphrases; i++) {
		free(t->phrase_key[i]);
		free(t->phrase_text[i]);
	}
	free(t->phrase_key);
	free(t->phrase_text);
	for (size_t i = 0; i < t->nuses; i++) {
		free(t->uses[i].kind);
		free(t->uses[i].system);
		free(t->uses[i].prefix);
	}
	free(t->uses);
	for (size_t i = 0; i < t->ninds; i++) {
		free(t->ind_name[i]);
		free(t->ind_group[i]);
	}
	free(t->ind_name);
	free(t->ind_group);
	for (size_t i = 0; i < t->nworks_inc; i++)
		free(t->works_inc[i]);
	for (size_t i = 0; i < t->nworks_exc; i++)
		free(t->works_exc[i]);
	free(t->works_inc);
	free(t->works_exc);
	free(t);
}

const char *lg_check_rule_title(const lg_check_tables *t, const char *rule_id)
{
	const rule_row *r = t ? lg__check_row(t, rule_id, "*") : NULL;
	if (r)
		return r->title;
	for (size_t i = 0; t && i < t->nrows; i++)
		if (t->rows[i].rule_id && !strcmp(t->rows[i].rule_id, rule_id))
			return t->rows[i].title;
	return "";
}

const rule_row *lg__check_row(const lg_check_tables *t, const char *rule_id, const char *kase)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (t->rows[i].rule_id && t->rows[i].kase && !strcmp(t->rows[i].rule_id, rule_id) &&
		    !strcmp(t->rows[i].kase, kase))
			return &t->rows[i];
	return NULL;
}

const char *lg__check_phrase(const lg_check_tables *t, const char *key)
{
	for (size_t i = 0; i < t->nphrases; i++)
		if (!strcmp(t->phrase_key[i], key))
			return t->phrase_text[i];
	return key;
}

bool lg__check_use_is(const lg_check_tables *t, const char *kind, const lg_landuse_info *li)
{
	for (size_t i = 0; i < t->nuses; i++) {
		const use_row *u = &t->uses[i];
		if (strcmp(u->kind, kind))
			continue;
		if (strcmp(u->system, "*") && (!li->system || strcmp(u->system, li->system)))
			continue;
		if (*u->prefix && (!li->code || strncmp(li->code, u->prefix, strlen(u->prefix))))
			continue;
		if (u->use_class >= 0 && (int)li->cls != u->use_class)
			continue;
		return true;
	}
	return false;
}

const char *lg__check_industry_group(const lg_check_tables *t, const char *industry)
{
	char buf[256];
	if (!industry)
		return NULL;
	snprintf(buf, sizeof buf, "%s", industry);
	char *s = lg__trim(buf);
	for (size_t i = 0; i < t->ninds; i++)
		if (!strcmp(t->ind_name[i], s) || lg__strieq(t->ind_name[i], s))
			return t->ind_group[i];
	return NULL;
}

/* ---- templates ---------------------------------------------------------- */

void vars_set(vars *v, const char *name, const char *fmt, ...)
{
	va_list ap;
	char *s = NULL;
	size_t i;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (!s) {
		v->oom = true;
		return;
	}
	for (i = 0; i < v->n; i++)
		if (!strcmp(v->name[i], name))
			break;
	if (i == v->n) {
		if (v->n == VARS_MAX) {
			free(s);
			v->oom = true;
			return;
		}
		v->n++;
		v->name[i] = name;
		v->val[i] = NULL;
	}
	free(v->val[i]);
	v->val[i] = s;
}

void vars_release(vars *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->val[i]);
	v->n = 0;
	v->oom = false;
}

char *lg__check_fill(const char *tmpl, const vars *v)
{
	lg_buf b;
	lg_buf_init(&b);
	for (const char *p = tmpl; *p;) {
		const char *q = strchr(p, '{');
		const char *e = q ? strchr(q, '}') : NULL;
		if (!q || !e) {
			lg_buf_puts(&b, p);
			break;
		}
		lg_buf_add(&b, p, (size_t)(q - p));
		const char *val = NULL;
		for (size_t i = 0; i < v->n && !val; i++)
			if (strlen(v->name[i]) == (size_t)(e - q - 1) &&
			    !strncmp(v->name[i], q + 1, (size_t)(e - q - 1)))
				val = v->val[i];
		if (val)
			lg_buf_puts(&b, val);
		else
			lg_buf_add(&b, q, (size_t)(e - q + 1));
		p = e + 1;
	}
	if (!b.s)
		lg_buf_puts(&b, "");
	return b.s;
}
