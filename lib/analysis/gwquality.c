/*
 * GB/T 14848-2017 地下水质量标准: classes I-V per indicator and per
 * sample.  The limits come from datasets/standards/gb14848.csv.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/quality_int.h"
#include "lg_internal.h"

struct lg_gw_limits {
	lg_gw_item *items;
	size_t n, cap;
	lg__names names;
};

enum { C_ITEM, C_ALIASES, C_UNIT, C_K1, C_K2, C_K3, C_K4, C_KIND, C_NF, C__N };

static const char *const columns[C__N] = {
	"item",	  "aliases", "unit", "class1",	    "class2",
	"class3", "class4",  "kind", "as_n_factor"};

static void free_item(lg_gw_item *it)
{
	free((char *)it->item);
	free((char *)it->unit);
}

void lg_gw_limits_destroy(lg_gw_limits *lim)
{
	if (!lim)
		return;
	for (size_t i = 0; i < lim->n; i++)
		free_item(&lim->items[i]);
	free(lim->items);
	lg__names_release(&lim->names);
	free(lim);
}

static const char *item_name(const void *ud, size_t i)
{
	const lg_gw_limits *lim = ud;
	return i < lim->n ? lim->items[i].item : "?";
}

/* A pH range "6.5~8.5"; the full-width ～ and a hyphen also separate. */
static bool parse_range(const char *s, double *lo, double *hi)
{
	const char *sep = strchr(s, '~');
	size_t slen = 1;
	if (!sep && (sep = strstr(s, "\xEF\xBD\x9E")))
		slen = 3;
	if (!sep)
		sep = strchr(s, '-'), slen = 1;
	if (!sep)
		return false;
	return lg__qual_number(s, (size_t)(sep - s), lo) &&
	       lg__qual_number(sep + slen, strlen(sep + slen), hi) &&
	       *lo <= *hi;
}

static lg_status read_limits(lg__csv *csv, const int *col, lg_gw_item *it)
{
	static const char *const what[4] = {"class I limit", "class II limit",
					    "class III limit",
					    "class IV limit"};
	lg_status st;

	for (int k = 0; k < 4; k++) {
		it->limit[k] = it->ph_lo[k] = it->ph_hi[k] = NAN;
		const char *s = lg__csv_field(csv, (size_t)col[C_K1 + k]);
		if (it->kind == LG_GW_PH) {
			if (!parse_range(s, &it->ph_lo[k], &it->ph_hi[k]))
				return lg__csv_error(
					csv, (size_t)col[C_K1 + k],
					"pH %s '%s' must be a range lo~hi "
					"such as 6.5~8.5",
					what[k], s);
			continue;
		}
		if (k == 0 && it->kind == LG_GW_ND_CLASS1) {
			if (!lg__strieq(s, "ND"))
				return lg__csv_error(
					csv, (size_t)col[C_K1],
					"kind nd_class1 needs 'ND' (not "
					"detected) as class I limit, not '%s'",
					s);
			continue;
		}
		if ((st = lg__qual_field_number(csv, col[C_K1 + k], what[k],
						&it->limit[k])))
			return st;
	}
	/* Classes get looser from I to IV in every row of the standard;
	 * anything else is a typing error that would misclass samples. */
	for (int k = 1; k < 4; k++) {
		if (it->kind == LG_GW_PH) {
			if (it->ph_lo[k] > it->ph_lo[k - 1] ||
			    it->ph_hi[k] < it->ph_hi[k - 1])
				return lg__csv_error(
					csv, (size_t)col[C_K1 + k],
					"pH range of a worse class must hold "
					"the better class's range");
		} else if (!isnan(it->limit[k - 1]) &&
			   it->limit[k] < it->limit[k - 1]) {
			return lg__csv_error(csv, (size_t)col[C_K1 + k],
					     "%s %g is stricter than the class "
					     "before (%g)",
					     what[k], it->limit[k],
					     it->limit[k - 1]);
		}
	}
	return LG_OK;
}

static lg_status read_row(lg_ctx *ctx, lg__csv *csv, const int *col,
			  lg_gw_item *it)
{
	const char *kind = lg__csv_field(csv, (size_t)col[C_KIND]);
	const char *nf = lg__csv_field(csv, (size_t)col[C_NF]);
	lg_status st;

	if (!*lg__csv_field(csv, (size_t)col[C_ITEM]))
		return lg__csv_error(csv, (size_t)col[C_ITEM],
				     "the indicator name is empty");
	if (strcmp(kind, "upper") == 0)
		it->kind = LG_GW_UPPER;
	else if (strcmp(kind, "ph") == 0)
		it->kind = LG_GW_PH;
	else if (strcmp(kind, "nd_class1") == 0)
		it->kind = LG_GW_ND_CLASS1;
	else
		return lg__csv_error(csv, (size_t)col[C_KIND],
				     "kind '%s' is not upper, ph or nd_class1",
				     kind);
	if ((st = read_limits(csv, col, it)))
		return st;
	it->as_n_factor = 0;
	if (*nf) {
		if ((st = lg__qual_field_number(csv, col[C_NF],
						"as_n_factor",
						&it->as_n_factor)))
			return st;
		if (it->as_n_factor < 1)
			return lg__csv_error(csv, (size_t)col[C_NF],
					     "as_n_factor %g must be the ion's "
					     "mass per mass of N (≥ 1)",
					     it->as_n_factor);
	}
	it->item = lg__strdup(ctx, lg__csv_field(csv, (size_t)col[C_ITEM]));
	it->unit = lg__strdup(ctx, lg__csv_field(csv, (size_t)col[C_UNIT]));
	if (!it->item || !it->unit)
		return LG_NOMEM;
	return LG_OK;
}

lg_status lg_gw_limits_load(lg_ctx *ctx, const char *path,
			    lg_gw_limits **out)
{
	lg__csv *csv = NULL;
	lg_gw_limits *lim = NULL;
	int col[C__N];
	lg_status st;
	bool eof;

	*out = NULL;
	if ((st = lg__qual_open(ctx, path, "gb14848.csv", &csv)))
		goto done;
	if ((st = lg__qual_columns(ctx, csv, "GB/T 14848 limits", columns,
				   col, C__N)))
		goto done;
	if (!(lim = lg__calloc(ctx, 1, sizeof *lim))) {
		st = LG_NOMEM;
		goto done;
	}
	for (;;) {
		lg_gw_item *it;
		if ((st = lg__csv_next(csv, &eof)))
			goto done;
		if (eof)
			break;
		if ((st = lg__grow(ctx, (void **)&lim->items, &lim->cap,
				   lim->n + 1, sizeof *lim->items)))
			goto done;
		it = &lim->items[lim->n];
		memset(it, 0, sizeof *it);
		it->index = lim->n;
		if ((st = read_row(ctx, csv, col, it))) {
			free_item(it);
			goto done;
		}
		lim->n++;
		if ((st = lg__qual_add_names(
			     ctx, csv, &lim->names, lim->n - 1, it->item,
			     col[C_ITEM],
			     lg__csv_field(csv, (size_t)col[C_ALIASES]),
			     col[C_ALIASES], NULL, -1, item_name, lim)))
			goto done;
	}
	if (lim->n == 0) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s' has a header but no indicators",
				  lg__csv_path(csv));
		goto done;
	}
	*out = lim;
	lim = NULL;
done:
	lg_gw_limits_destroy(lim);
	lg__csv_close(csv);
	return st;
}

size_t lg_gw_limits_count(const lg_gw_limits *lim)
{
	return lim ? lim->n : 0;
}

const lg_gw_item *lg_gw_limits_item(const lg_gw_limits *lim, size_t i)
{
	return lim && i < lim->n ? &lim->items[i] : NULL;
}

const lg_gw_item *lg_gw_item_find(const lg_gw_limits *lim, const char *name)
{
	size_t i;
	if (!lim || !lg__names_find(&lim->names, name, &i))
		return NULL;
	return &lim->items[i];
}

/* Division leaves representation noise (88.54 / 4.427 =
 * 20.000000000000004) that would push a value sitting on a limit into the
 * worse class; lab values carry far fewer than 12 significant digits. */
static double round_sig12(double v)
{
	char buf[64];
	snprintf(buf, sizeof buf, "%.12g", v);
	return strtod(buf, NULL);
}

lg_status lg_gw_class_of(lg_ctx *ctx, const lg_gw_item *item,
			 const lg_labvalue *value, bool value_is_ion, int *cls)
{
	double v;
	*cls = 0;
	if (!item || !value)
		return lg_ctx_error(ctx, LG_INPUT, "lg_gw_class_of: no %s given",
				    item ? "value" : "indicator");
	if (value_is_ion && item->as_n_factor <= 0)
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s' is not given \"as N\" in GB/T 14848, "
				    "so an ion value cannot be converted",
				    item->item);
	if (value->missing)
		return LG_OK;
	if (item->kind == LG_GW_PH && value->nd)
		return lg_ctx_error(ctx, LG_INPUT,
				    "pH cannot be below a detection limit; "
				    "check the cell");
	if (value->nd) {
		/* Not detected counts as class I (domain-facts §0 trap 6); for
		 * 阴离子表面活性剂 class I is literally "不得检出". */
		*cls = 1;
		return LG_OK;
	}
	v = value->value;
	if (isnan(v) || v < 0)
		return lg_ctx_error(ctx, LG_INPUT,
				    "value %g for '%s' is not a measurement",
				    v, item->item);
	if (item->kind == LG_GW_PH) {
		if (v > 14)
			return lg_ctx_error(ctx, LG_INPUT,
					    "pH %g is outside 0-14; check the "
					    "cell",
					    v);
		/* Table 1: I-III 6.5≤pH≤8.5; IV 5.5≤pH<6.5 or 8.5<pH≤9.0;
		 * V pH<5.5 or pH>9.0.  The first (best) class whose range
		 * holds the value wins: 从优不从劣. */
		for (int k = 0; k < 4; k++) {
			if (v >= item->ph_lo[k] && v <= item->ph_hi[k]) {
				*cls = k + 1;
				return LG_OK;
			}
		}
		*cls = 5;
		return LG_OK;
	}
	if (value_is_ion)
		v = round_sig12(v / item->as_n_factor);
	/* 单指标评价: the band that holds the value; scanning from class I
	 * gives the better class where two share a limit (从优不从劣).  A
	 * detected 阴离子表面活性剂 cannot be class I ("不得检出"). */
	for (int k = item->kind == LG_GW_ND_CLASS1 ? 1 : 0; k < 4; k++) {
		if (v <= item->limit[k]) {
			*cls = k + 1;
			return LG_OK;
		}
	}
	*cls = 5; /* V: worse than the class IV limit */
	return LG_OK;
}

lg_status lg_gw_sample_class(lg_ctx *ctx, const lg_gw_limits *limits,
			     const lg_gw_reading *readings, size_t n,
			     int *cls_each, lg_gw_result *out)
{
	lg_gw_result res = {0, NULL, 0};
	lg_status st;

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < n; i++) {
		const lg_gw_reading *r = &readings[i];
		const lg_gw_item *it = r->item;
		int c;
		if (!it && !(it = lg_gw_item_find(limits, r->name)))
			return lg_ctx_error(ctx, LG_CODE,
					    "reading %zu: '%s' is not a GB/T "
					    "14848 indicator this table knows; "
					    "rename it or add an alias",
					    i + 1, r->name ? r->name : "");
		if ((st = lg_gw_class_of(ctx, it, &r->value, r->value_is_ion,
					 &c)))
			return st;
		if (cls_each)
			cls_each[i] = c;
		if (c == 0)
			continue;
		res.nmeasured++;
		/* 综合评价: the worst indicator decides and is named; on a tie
		 * name the one first in the table, not in the input, so the
		 * answer does not depend on column order. */
		if (c > res.cls ||
		    (c == res.cls && it->index < res.worst->index)) {
			res.cls = c;
			res.worst = it;
		}
	}
	*out = res;
	return LG_OK;
}

bool lg_gw_meets_target(int cls, bool drinking)
{
	if (cls < 1 || cls > 5)
		return false;
	/* DOMAIN.md §5 / CONTRACT: drinking points III or better; other
	 * national points "not worse than V", which every class 1-5 meets. */
	return drinking ? cls <= 3 : true;
}

const char *lg_gw_class_roman(int cls)
{
	static const char *const r[] = {"", "I", "II", "III", "IV", "V"};
	return cls >= 1 && cls <= 5 ? r[cls] : "";
}
