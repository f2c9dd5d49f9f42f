/*
 * GB 36600-2018 土壤环境质量 建设用地土壤污染风险管控标准（试行）:
 * screening (筛选值) and intervention (管制值) values, tables 1 and 2.
 * The numbers come from datasets/standards/gb36600.csv.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/quality_int.h"
#include "lg_internal.h"

struct lg_soil_limits {
	lg_soil_item *items;
	size_t n, cap;
	lg__names names;
};

enum {
	C_ITEM_NO,
	C_TABLE,
	C_ITEM,
	C_ALIASES,
	C_CAS,
	C_S1,
	C_S2,
	C_I1,
	C_I2,
	C_GROUP,
	C_NOTE,
	C__COUNT
};

static const char *const columns[C__COUNT] = {
	"item_no",  "table",	"item",	    "aliases", "cas",	 "screen_1",
	"screen_2", "interv_1", "interv_2", "group",   "background_note"};

static void free_item(lg_soil_item *it)
{
	free((char *)it->item);
	free((char *)it->cas);
	free((char *)it->group);
}

void lg_soil_limits_destroy(lg_soil_limits *lim)
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
	const lg_soil_limits *lim = ud;
	return i < lim->n ? lim->items[i].item : "?";
}

static lg_status parse_int(lg__csv *csv, int col, int lo, int hi, int *out)
{
	double v;
	const char *s = lg__csv_field(csv, (size_t)col);
	if (!lg__qual_number(s, strlen(s), &v) || v != floor(v) || v < lo ||
	    v > hi)
		return lg__csv_error(csv, (size_t)col,
				     "'%s' must be a whole number from %d to "
				     "%d",
				     s, lo, hi);
	*out = (int)v;
	return LG_OK;
}

/* Reads the current record into it (strings owned by it). */
static lg_status read_row(lg_ctx *ctx, lg__csv *csv, const int *col,
			  lg_soil_item *it)
{
	lg_status st;
	const char *note;
	static const char *const what[4] = {
		"screening value (class 1)", "screening value (class 2)",
		"intervention value (class 1)", "intervention value (class 2)"};
	double v[4];

	if ((st = parse_int(csv, col[C_ITEM_NO], 1, 999, &it->item_no)) ||
	    (st = parse_int(csv, col[C_TABLE], 1, 2, &it->table)))
		return st;
	if (!*lg__csv_field(csv, (size_t)col[C_ITEM]))
		return lg__csv_error(csv, (size_t)col[C_ITEM],
				     "the item name is empty");
	for (int k = 0; k < 4; k++)
		if ((st = lg__qual_field_number(csv, col[C_S1 + k], what[k],
						&v[k])))
			return st;
	/* The standard's two levels are nested (管制值 ≥ 筛选值 in every row
	 * of tables 1 and 2); a row breaking that is a transcription error,
	 * and judging with it would skip the risk-assessment band. */
	for (int k = 0; k < 2; k++)
		if (v[k] > v[2 + k])
			return lg__csv_error(
				csv, (size_t)col[C_I1 + k],
				"intervention value %g is below the screening "
				"value %g for land class %d; check the table",
				v[2 + k], v[k], k + 1);
	note = lg__csv_field(csv, (size_t)col[C_NOTE]);
	if (*note && strcmp(note, "a") != 0)
		return lg__csv_error(csv, (size_t)col[C_NOTE],
				     "'%s' is not a footnote this program knows "
				     "(write 'a' or leave it empty)",
				     note);
	it->background_note = *note != '\0';
	it->screen_mgkg[0] = v[0];
	it->screen_mgkg[1] = v[1];
	it->interv_mgkg[0] = v[2];
	it->interv_mgkg[1] = v[3];
	it->item = lg__strdup(ctx, lg__csv_field(csv, (size_t)col[C_ITEM]));
	it->cas = lg__strdup(ctx, lg__csv_field(csv, (size_t)col[C_CAS]));
	it->group = lg__strdup(ctx, lg__csv_field(csv, (size_t)col[C_GROUP]));
	if (!it->item || !it->cas || !it->group)
		return LG_NOMEM;
	return LG_OK;
}

lg_status lg_soil_limits_load(lg_ctx *ctx, const char *path,
			      lg_soil_limits **out)
{
	lg__csv *csv = NULL;
	lg_soil_limits *lim = NULL;
	int col[C__COUNT];
	lg_status st;
	bool eof;

	*out = NULL;
	if ((st = lg__qual_open(ctx, path, "gb36600.csv", &csv)))
		goto done;
	if ((st = lg__qual_columns(ctx, csv, "GB 36600 limits", columns, col,
				   C__COUNT)))
		goto done;
	if (!(lim = lg__calloc(ctx, 1, sizeof *lim))) {
		st = LG_NOMEM;
		goto done;
	}
	for (;;) {
		lg_soil_item *it;
		if ((st = lg__csv_next(csv, &eof)))
			goto done;
		if (eof)
			break;
		if ((st = lg__grow(ctx, (void **)&lim->items, &lim->cap,
				   lim->n + 1, sizeof *lim->items)))
			goto done;
		it = &lim->items[lim->n];
		memset(it, 0, sizeof *it);
		st = read_row(ctx, csv, col, it);
		if (st) {
			free_item(it);
			goto done;
		}
		lim->n++;
		if ((st = lg__qual_add_names(
			     ctx, csv, &lim->names, lim->n - 1, it->item,
			     col[C_ITEM],
			     lg__csv_field(csv, (size_t)col[C_ALIASES]),
			     col[C_ALIASES], it->cas, col[C_CAS], item_name,
			     lim)))
			goto done;
	}
	if (lim->n == 0) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s' has a header but no items",
				  lg__csv_path(csv));
		goto done;
	}
	*out = lim;
	lim = NULL;
done:
	lg_soil_limits_destroy(lim);
	lg__csv_close(csv);
	return st;
}

size_t lg_soil_limits_count(const lg_soil_limits *lim)
{
	return lim ? lim->n : 0;
}

const lg_soil_item *lg_soil_limits_item(const lg_soil_limits *lim, size_t i)
{
	return lim && i < lim->n ? &lim->items[i] : NULL;
}

const lg_soil_item *lg_soil_item_find(const lg_soil_limits *lim,
				      const char *name)
{
	size_t i;
	if (!lim || !lg__names_find(&lim->names, name, &i))
		return NULL;
	return &lim->items[i];
}

const char *lg_soil_level_name(lg_soil_level level)
{
	switch (level) {
	case LG_SOIL_NOT_MEASURED: return "not_measured";
	case LG_SOIL_BELOW_SCREEN: return "below_screen";
	case LG_SOIL_ABOVE_SCREEN: return "above_screen";
	case LG_SOIL_ABOVE_INTERV: return "above_interv";
	}
	return "?";
}

const char *lg_soil_level_zh(lg_soil_level level)
{
	switch (level) {
	case LG_SOIL_NOT_MEASURED: return "未检测";
	case LG_SOIL_BELOW_SCREEN: return "不超过筛选值";
	case LG_SOIL_ABOVE_SCREEN: return "超过筛选值";
	case LG_SOIL_ABOVE_INTERV: return "超过管制值";
	}
	return "?";
}

lg_status lg_soil_judge(lg_ctx *ctx, const lg_soil_item *item, int land_class,
			const lg_labvalue *value, lg_soil_verdict *out)
{
	memset(out, 0, sizeof *out);
	out->screen_mgkg = out->interv_mgkg = NAN;
	if (!item || !value)
		return lg_ctx_error(ctx, LG_INPUT,
				    "lg_soil_judge: no %s given",
				    item ? "value" : "item");
	if (land_class != 1 && land_class != 2)
		return lg_ctx_error(ctx, LG_INPUT,
				    "land class %d for '%s': GB 36600 has "
				    "class 1 (第一类用地) and 2 (第二类用地)",
				    land_class, item->item);
	out->item = item;
	out->land_class = land_class;
	out->screen_mgkg = item->screen_mgkg[land_class - 1];
	out->interv_mgkg = item->interv_mgkg[land_class - 1];
	if (value->missing) {
		out->level = LG_SOIL_NOT_MEASURED;
		return LG_OK;
	}
	if (value->nd) {
		/* Not detected = not exceeding (domain-facts §0 trap 6), but
		 * only as good as the detection limit behind it. */
		out->level = LG_SOIL_BELOW_SCREEN;
		out->nd = true;
		out->dl_above_screen = !isnan(value->dl) &&
				       value->dl > out->screen_mgkg;
		return LG_OK;
	}
	if (isnan(value->value) || value->value < 0)
		return lg_ctx_error(ctx, LG_INPUT,
				    "value %g for '%s' is not a concentration",
				    value->value, item->item);
	/* GB 36600-2018: "超过筛选值" / "超过管制值" are strict: a value
	 * equal to a limit is on the safe side of it ("等于或者低于"). */
	if (value->value > out->interv_mgkg)
		out->level = LG_SOIL_ABOVE_INTERV;
	else if (value->value > out->screen_mgkg)
		out->level = LG_SOIL_ABOVE_SCREEN;
	else
		out->level = LG_SOIL_BELOW_SCREEN;
	/* Footnote a (砷, 钴, 钒): above the screening value but within the
	 * local background (appendix A) is not a polluted parcel.  We do
	 * not know the background here, so flag it for the caller. */
	out->background_note =
		item->background_note && out->level >= LG_SOIL_ABOVE_SCREEN;
	return LG_OK;
}
