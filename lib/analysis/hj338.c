/*
 * The HJ 338-2018 tables for gwzone: radius rows, formula parameters,
 * vocabularies (aquifer, medium, source type) and the per-level rules.
 * All read from datasets/; nothing here is a limit value.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/gwzone_int.h"
#include "io/csv_int.h"
#include "landuse/landuse_int.h"

static const char *const level_name[LG_GWZ__LEVELS] = {"I", "II", "III"};
static const char *const level_zh[LG_GWZ__LEVELS] = {"一级保护区", "二级保护区", "准保护区"};

const char *lg_gwz_level_name(lg_gwz_level l)
{
	return (unsigned)l < LG_GWZ__LEVELS ? level_name[l] : "";
}

const char *lg_gwz_level_zh(lg_gwz_level l)
{
	return (unsigned)l < LG_GWZ__LEVELS ? level_zh[l] : "";
}

static bool pick_word(const char *s, const char *const *words, int n, int *out)
{
	if (!s)
		return false;
	for (int i = 0; i < n; i++)
		if (lg__strieq(s, words[i])) {
			*out = i;
			return true;
		}
	return false;
}

static const char *const method_words[] = {"auto", "table", "formula"};
static const char *const pick_words[] = {"upper", "lower", "mid"};
static const char *const quasi_words[] = {"required", "all", "none"};
static const char *const group_words[] = {"hull", "union"};

bool lg_gwz_method_parse(const char *s, lg_gwz_method *out)
{
	int v;
	if (!pick_word(s, method_words, 3, &v))
		return false;
	*out = (lg_gwz_method)v;
	return true;
}

bool lg_gwz_pick_parse(const char *s, lg_gwz_pick *out)
{
	int v;
	if (!pick_word(s, pick_words, 3, &v))
		return false;
	*out = (lg_gwz_pick)v;
	return true;
}

bool lg_gwz_quasi_parse(const char *s, lg_gwz_quasi *out)
{
	int v;
	if (!pick_word(s, quasi_words, 3, &v))
		return false;
	*out = (lg_gwz_quasi)v;
	return true;
}

bool lg_gwz_group_parse(const char *s, lg_gwz_group *out)
{
	int v;
	if (!pick_word(s, group_words, 2, &v))
		return false;
	*out = (lg_gwz_group)v;
	return true;
}

const char *lg_gwz_method_name(lg_gwz_method m)
{
	return (unsigned)m < 3 ? method_words[m] : "";
}

const char *lg_gwz_pick_name(lg_gwz_pick p)
{
	return (unsigned)p < 3 ? pick_words[p] : "";
}

void lg_hj338_destroy(lg_hj338 *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows; i++) {
		free(t->rows[i].aquifer);
		free(t->rows[i].medium);
		free(t->rows[i].basis);
	}
	for (size_t i = 0; i < t->nparams; i++) {
		free(t->params[i].name);
		free(t->params[i].basis);
	}
	for (int v = 0; v < LG__VOCAB_N; v++) {
		for (size_t i = 0; i < t->vocab[v].n; i++) {
			free(t->vocab[v].e[i].key);
			free(t->vocab[v].e[i].spelling);
			free(t->vocab[v].e[i].zh);
			free(t->vocab[v].e[i].group);
		}
		free(t->vocab[v].e);
	}
	for (size_t i = 0; i < t->nrules; i++) {
		free(t->rules[i].type);
		free(t->rules[i].rule);
		free(t->rules[i].basis);
	}
	free(t->rows);
	free(t->params);
	free(t->rules);
	free(t);
}

double lg_hj338_param(const lg_hj338 *t, const char *name)
{
	for (size_t i = 0; i < t->nparams; i++)
		if (!strcmp(t->params[i].name, name))
			return t->params[i].value;
	return NAN;
}

const char *lg__hj338_param_basis(const lg_hj338 *t, const char *name)
{
	for (size_t i = 0; i < t->nparams; i++)
		if (!strcmp(t->params[i].name, name))
			return t->params[i].basis;
	return "";
}

/* An optional number: "" gives NAN; anything but a plain number fails. */
static lg_status num_field(lg__csv *csv, int col, bool required, double *out)
{
	const char *s = lg__csv_field(csv, (size_t)col);
	char *end;
	*out = NAN;
	if (!*s) {
		if (required)
			return lg__csv_error(csv, (size_t)col, "a number is required here");
		return LG_OK;
	}
	errno = 0;
	*out = strtod(s, &end);
	if (errno || *end || !isfinite(*out) || *out < 0)
		return lg__csv_error(csv, (size_t)col, "'%s' is not a number of 0 or more", s);
	return LG_OK;
}

static lg_status open_table(lg_ctx *ctx, const char *sub, const char *file, lg__csv **csv,
			    const char *const *cols, int *idx, size_t n)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s/%s", lg_ctx_datadir(ctx), sub, file);
	lg_status st = lg__csv_open(ctx, path, csv);
	if (st)
		return st;
	for (size_t i = 0; i < n; i++) {
		idx[i] = lg__csv_column(*csv, cols[i]);
		if (idx[i] < 0) {
			st = lg_ctx_error(ctx, LG_INPUT, "'%s' has no column '%s'; the table needs "
					  "the columns of datasets/standards/README.md", path, cols[i]);
			lg__csv_close(*csv);
			*csv = NULL;
			return st;
		}
	}
	return LG_OK;
}

#define GROW(arr, n, cap)                                                      \
	lg__grow(ctx, (void **)&(arr), &(cap), (n) + 1, sizeof *(arr))

static lg_status load_rows(lg_ctx *ctx, lg_hj338 *t)
{
	static const char *const cols[] = {"aquifer", "medium", "r1_lower", "r1_upper", "r2_lower",
					   "r2_upper", "level2", "quasi", "basis"};
	int c[9];
	lg__csv *csv = NULL;
	size_t cap = 0;
	bool eof = false;
	lg_status st = open_table(ctx, "standards", "hj338.csv", &csv, cols, c, 9);
	while (!st && !(st = lg__csv_next(csv, &eof)) && !eof) {
		if ((st = GROW(t->rows, t->nrows, cap)))
			break;
		lg__hj_row *r = &t->rows[t->nrows];
		memset(r, 0, sizeof *r);
		r->aquifer = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[0]));
		r->medium = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[1]));
		r->basis = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[8]));
		t->nrows++;
		if (!r->aquifer || !r->medium || !r->basis) {
			st = LG_NOMEM;
			break;
		}
		if ((st = num_field(csv, c[2], false, &r->r1[0])) ||
		    (st = num_field(csv, c[3], false, &r->r1[1])) ||
		    (st = num_field(csv, c[4], false, &r->r2[0])) ||
		    (st = num_field(csv, c[5], false, &r->r2[1])))
			break;
		const char *l2 = lg__csv_field(csv, (size_t)c[6]);
		const char *q = lg__csv_field(csv, (size_t)c[7]);
		if (strcmp(l2, "yes") && strcmp(l2, "no")) {
			st = lg__csv_error(csv, (size_t)c[6], "level2 must be yes or no, not '%s'", l2);
			break;
		}
		r->level2 = !strcmp(l2, "yes");
		if (!strcmp(q, "required"))
			r->quasi = 2;
		else if (!strcmp(q, "when_needed"))
			r->quasi = 1;
		else if (!strcmp(q, "no"))
			r->quasi = 0;
		else {
			st = lg__csv_error(csv, (size_t)c[7],
					   "quasi must be required, when_needed or no, not '%s'", q);
			break;
		}
		/* A range reads lower then upper, and a level II radius beyond
		 * level I; a typo here would shrink a zone silently. */
		if (isnan(r->r1[0]) != isnan(r->r1[1]) || r->r1[0] > r->r1[1] ||
		    isnan(r->r2[0]) != isnan(r->r2[1]) || r->r2[0] > r->r2[1] ||
		    (!isnan(r->r2[0]) && !isnan(r->r1[1]) && r->r2[0] < r->r1[1])) {
			st = lg__csv_error(csv, (size_t)c[2],
					   "radii must come in lower,upper pairs with lower ≤ upper "
					   "and level II beyond level I");
			break;
		}
		if (!r->level2 && !isnan(r->r2[0])) {
			st = lg__csv_error(csv, (size_t)c[4], "level II radii given with level2=no");
			break;
		}
	}
	lg__csv_close(csv);
	return st;
}

static lg_status load_params(lg_ctx *ctx, lg_hj338 *t)
{
	static const char *const cols[] = {"param", "value", "basis"};
	static const char *const need[] = {"alpha", "t_days_I", "t_days_II", "quasi_factor"};
	int c[3];
	lg__csv *csv = NULL;
	size_t cap = 0;
	bool eof = false;
	lg_status st = open_table(ctx, "standards", "hj338_params.csv", &csv, cols, c, 3);
	while (!st && !(st = lg__csv_next(csv, &eof)) && !eof) {
		if ((st = GROW(t->params, t->nparams, cap)))
			break;
		lg__hj_param *p = &t->params[t->nparams];
		p->name = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[0]));
		p->basis = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[2]));
		t->nparams++;
		if (!p->name || !p->basis) {
			st = LG_NOMEM;
			break;
		}
		if ((st = num_field(csv, c[1], true, &p->value)))
			break;
		if (p->value <= 0) {
			st = lg__csv_error(csv, (size_t)c[1], "must be above 0");
			break;
		}
	}
	lg__csv_close(csv);
	for (size_t i = 0; !st && i < LG_ARRAY_LEN(need); i++)
		if (isnan(lg_hj338_param(t, need[i])))
			st = lg_ctx_error(ctx, LG_INPUT, "'%s/standards/hj338_params.csv' lacks the "
					  "parameter '%s'", lg_ctx_datadir(ctx), need[i]);
	return st;
}

static lg_status load_vocab(lg_ctx *ctx, lg_hj338 *t, int which, const char *file,
			    const char *keycol)
{
	const char *cols[] = {keycol, "spelling"};
	int c[2];
	lg__csv *csv = NULL;
	size_t cap = 0;
	bool eof = false;
	lg__vocab *v = &t->vocab[which];
	lg_status st = open_table(ctx, "vocab", file, &csv, cols, c, 2);
	int zc = st ? -1 : lg__csv_column(csv, "zh");
	int gc = st ? -1 : lg__csv_column(csv, "group");
	while (!st && !(st = lg__csv_next(csv, &eof)) && !eof) {
		char fold[256];
		if ((st = GROW(v->e, v->n, cap)))
			break;
		lg__vocab_e *e = &v->e[v->n];
		memset(e, 0, sizeof *e);
		v->n++;
		if (!lg__vocab_fold(lg__csv_field(csv, (size_t)c[1]), fold, sizeof fold)) {
			st = lg__csv_error(csv, (size_t)c[1], "spelling too long");
			break;
		}
		e->key = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[0]));
		e->spelling = lg__strdup(ctx, fold);
		e->zh = lg__strdup(ctx, zc >= 0 ? lg__csv_field(csv, (size_t)zc) : "");
		e->group = lg__strdup(ctx, gc >= 0 ? lg__csv_field(csv, (size_t)gc) : "");
		if (!e->key || !e->spelling || !e->zh || !e->group) {
			st = LG_NOMEM;
			break;
		}
	}
	lg__csv_close(csv);
	return st;
}

static lg_status load_rules(lg_ctx *ctx, lg_hj338 *t)
{
	static const char *const cols[] = {"level", "source_type", "rule", "basis"};
	int c[4];
	lg__csv *csv = NULL;
	size_t cap = 0;
	bool eof = false;
	lg_status st = open_table(ctx, "standards", "gwzone_rules.csv", &csv, cols, c, 4);
	while (!st && !(st = lg__csv_next(csv, &eof)) && !eof) {
		if ((st = GROW(t->rules, t->nrules, cap)))
			break;
		lg__hj_rule *r = &t->rules[t->nrules];
		memset(r, 0, sizeof *r);
		t->nrules++;
		const char *lv = lg__csv_field(csv, (size_t)c[0]);
		r->level = -1;
		for (int k = 0; k < LG_GWZ__LEVELS; k++)
			if (!strcmp(lv, level_name[k]))
				r->level = k;
		if (r->level < 0) {
			st = lg__csv_error(csv, (size_t)c[0], "level must be I, II or III, not '%s'", lv);
			break;
		}
		r->type = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[1]));
		r->rule = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[2]));
		r->basis = lg__strdup(ctx, lg__csv_field(csv, (size_t)c[3]));
		if (!r->type || !r->rule || !r->basis) {
			st = LG_NOMEM;
			break;
		}
	}
	lg__csv_close(csv);
	for (int k = 0; !st && k < LG_GWZ__LEVELS; k++)
		if (!lg__hj338_rule(t, (lg_gwz_level)k, "*"))
			st = lg_ctx_error(ctx, LG_INPUT, "'%s/standards/gwzone_rules.csv' has no rule "
					  "for level %s and source_type '*'", lg_ctx_datadir(ctx),
					  level_name[k]);
	return st;
}

lg_status lg_hj338_load(lg_ctx *ctx, lg_hj338 **out)
{
	lg_hj338 *t = lg__calloc(ctx, 1, sizeof *t);
	lg_status st;
	*out = NULL;
	if (!t)
		return LG_NOMEM;
	if ((st = load_rows(ctx, t)) || (st = load_params(ctx, t)) ||
	    (st = load_vocab(ctx, t, LG__VOCAB_AQUIFER, "aquifer.csv", "aquifer")) ||
	    (st = load_vocab(ctx, t, LG__VOCAB_MEDIUM, "medium.csv", "medium")) ||
	    (st = load_vocab(ctx, t, LG__VOCAB_SOURCE, "source_type.csv", "source_type")) ||
	    (st = load_rules(ctx, t))) {
		if (st == LG_NOMEM && lg_ctx_errcode(ctx) != LG_NOMEM)
			lg_ctx_error(ctx, LG_NOMEM, "out of memory loading the HJ 338 tables");
		lg_hj338_destroy(t);
		return st;
	}
	*out = t;
	return LG_OK;
}

const lg__vocab_e *lg__hj338_vocab(const lg_hj338 *t, int which, const char *s)
{
	char fold[256];
	if (!s || !lg__vocab_fold(s, fold, sizeof fold) || !*fold)
		return NULL;
	const lg__vocab *v = &t->vocab[which];
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->e[i].spelling, fold))
			return &v->e[i];
	return NULL;
}

const lg__hj_row *lg__hj338_row(const lg_hj338 *t, const char *aquifer, const char *medium)
{
	for (size_t i = 0; i < t->nrows; i++)
		if (!strcmp(t->rows[i].aquifer, aquifer) && !strcmp(t->rows[i].medium, medium))
			return &t->rows[i];
	return NULL;
}

const lg__hj_rule *lg__hj338_rule(const lg_hj338 *t, lg_gwz_level level, const char *type)
{
	const lg__hj_rule *any = NULL;
	for (size_t i = 0; i < t->nrules; i++) {
		if (t->rules[i].level != (int)level)
			continue;
		if (!strcmp(t->rules[i].type, type))
			return &t->rules[i];
		if (!strcmp(t->rules[i].type, "*"))
			any = &t->rules[i];
	}
	return any;
}
