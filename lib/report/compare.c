/* The quarterly comparison: findings of this run against the previous
 * run's, keyed by (parcel_id, rule_id). */
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"
#include "report/report_int.h"

static const char *const change_en[] = {"new", "persisting", "resolved"};
static const char *const change_zh[] = {"新增", "持续", "已整改"};

const char *lg_report_change_name(lg_report_change c)
{
	return (unsigned)c < 3 ? change_en[c] : "unknown";
}

const char *lg_report_change_zh(lg_report_change c)
{
	return (unsigned)c < 3 ? change_zh[c] : "未知";
}

/* Field of a findings table by its English or Chinese header. */
int lg__findings_field(const lg_layer *l, const char *en, const char *zh)
{
	int f = lg_layer_field(l, en);
	return f >= 0 ? f : zh ? lg_layer_field(l, zh) : -1;
}

typedef struct key {
	const char *parcel, *rule, *title;
	int sev;
} key;

static int key_cmp(const void *a, const void *b)
{
	const key *x = a, *y = b;
	int c = lg_id_cmp(x->parcel, y->parcel);
	return c ? c : strcmp(x->rule, y->rule);
}

/* The distinct keys of a table, sorted, each at its highest severity.
 * Strings are borrowed from the layer's values (stable: only
 * lg_feature_text's buffer is not, so string fields are read directly). */
static lg_status keys_of(lg_ctx *ctx, const lg_layer *l, const char *name, key **out, size_t *n)
{
	int fp = lg__findings_field(l, "parcel_id", "地块编号");
	int fr = lg__findings_field(l, "rule_id", "规则");
	int fs = lg__findings_field(l, "severity", "严重程度");
	int ft = lg__findings_field(l, "title", "问题");
	key *k;
	size_t m = 0;

	*out = NULL;
	*n = 0;
	if (fp < 0 || fr < 0 || l->fields[fp].type != LG_FT_STRING ||
	    l->fields[fr].type != LG_FT_STRING)
		return lg_ctx_error(ctx, LG_FIELD, "'%s' is not a findings table: it needs text "
				    "columns parcel_id and rule_id (地块编号, 规则); give the "
				    "findings.csv of an earlier report", name);
	if (!(k = lg__calloc(ctx, l->n ? l->n : 1, sizeof *k)))
		return LG_NOMEM;
	for (size_t i = 0; i < l->n; i++) {
		const lg_feature *f = &l->feat[i];
		if (f->vals[fp].null || f->vals[fr].null || !*f->vals[fp].u.s || !*f->vals[fr].u.s)
			continue;
		k[m].parcel = f->vals[fp].u.s;
		k[m].rule = f->vals[fr].u.s;
		k[m].title = ft >= 0 && l->fields[ft].type == LG_FT_STRING && !f->vals[ft].null
				     ? f->vals[ft].u.s
				     : "";
		lg_severity s = LG_SEV_NOTICE;
		if (fs >= 0 && l->fields[fs].type == LG_FT_STRING && !f->vals[fs].null &&
		    !lg_severity_parse(f->vals[fs].u.s, &s))
			s = LG_SEV_NOTICE;
		k[m].sev = fs >= 0 ? (int)s : -1;
		m++;
	}
	lg__qsort(k, m, sizeof *k, key_cmp);
	/* one per key, at the highest severity */
	size_t w = 0;
	for (size_t i = 0; i < m; i++) {
		if (w && !key_cmp(&k[w - 1], &k[i])) {
			if (k[i].sev > k[w - 1].sev)
				k[w - 1].sev = k[i].sev;
			continue;
		}
		k[w++] = k[i];
	}
	*out = k;
	*n = w;
	return LG_OK;
}

void lg_report_diffs_free(lg_report_diff *d, size_t n)
{
	if (!d)
		return;
	for (size_t i = 0; i < n; i++) {
		free(d[i].parcel_id);
		free(d[i].rule_id);
		free(d[i].title);
	}
	free(d);
}

lg_status lg_report_compare(lg_ctx *ctx, const lg_layer *prev, const char *prev_name,
			    const lg_layer *cur, lg_report_diff **out, size_t *n,
			    size_t counts[3])
{
	key *a = NULL, *b = NULL;
	size_t na = 0, nb = 0, m = 0;
	lg_report_diff *d = NULL;
	lg_status st;

	*out = NULL;
	*n = 0;
	memset(counts, 0, 3 * sizeof *counts);
	if ((st = keys_of(ctx, prev, prev_name, &a, &na)) ||
	    (st = keys_of(ctx, cur, "this run's findings", &b, &nb)))
		goto done;
	if (!(d = lg__calloc(ctx, na + nb + 1, sizeof *d))) {
		st = LG_NOMEM;
		goto done;
	}
	/* merge two sorted key lists */
	size_t i = 0, k = 0;
	while (i < na || k < nb) {
		int c = i == na ? 1 : k == nb ? -1 : key_cmp(&a[i], &b[k]);
		const key *src = c <= 0 ? &a[i] : &b[k];
		lg_report_diff *e = &d[m++];
		e->change = c < 0 ? LG_CHANGE_RESOLVED : c > 0 ? LG_CHANGE_NEW : LG_CHANGE_PERSISTING;
		e->sev_prev = c <= 0 ? a[i].sev : -1;
		e->sev_now = c >= 0 ? b[k].sev : -1;
		const char *title = c >= 0 && *b[k].title ? b[k].title : src->title;
		if (!(e->parcel_id = lg__strdup(ctx, src->parcel)) ||
		    !(e->rule_id = lg__strdup(ctx, src->rule)) ||
		    !(e->title = lg__strdup(ctx, title))) {
			st = LG_NOMEM;
			goto done;
		}
		counts[e->change]++;
		if (c <= 0)
			i++;
		if (c >= 0)
			k++;
	}
done:
	free(a);
	free(b);
	if (st) {
		lg_report_diffs_free(d, m);
		memset(counts, 0, 3 * sizeof *counts);
		return st;
	}
	*out = d;
	*n = m;
	return LG_OK;
}
