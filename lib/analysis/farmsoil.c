/*
 * GB 15618-2018 土壤环境质量 农用地土壤污染风险管控标准（试行）:
 * screening values by land type and soil pH (tables 1, 2) and intervention
 * values by soil pH (table 3).  Numbers from datasets/standards/gb15618.csv.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/quality_int.h"
#include "lg_internal.h"

/* Land columns of the table; ROTATION is derived, not stored. */
enum { L_PADDY, L_ORCHARD, L_OTHER, L_ALL, L__N };
static const char *const land_names[L__N] = {"水田", "果园", "其他", "全部"};

typedef struct farm_item {
	lg_farm_item pub; /* first, so a pub pointer is the item's */
	double screen[L__N][4]; /* NAN where the table has no row */
	double interv[L__N][4];
} farm_item;

struct lg_farm_limits {
	farm_item *items;
	size_t n, cap;
	lg__names names;
};

enum { C_ITEM, C_ALIASES, C_VALUE, C_LAND, C_B0, C_B1, C_B2, C_B3, C__N };
static const char *const columns[C__N] = {
	"item",	    "aliases",	  "value",	"land",
	"ph_le_5.5", "ph_5.5_6.5", "ph_6.5_7.5", "ph_gt_7.5"};

void lg_farm_limits_destroy(lg_farm_limits *lim)
{
	if (!lim)
		return;
	for (size_t i = 0; i < lim->n; i++)
		free((char *)lim->items[i].pub.item);
	free(lim->items);
	lg__names_release(&lim->names);
	free(lim);
}

static const char *item_name(const void *ud, size_t i)
{
	const lg_farm_limits *lim = ud;
	return i < lim->n ? lim->items[i].pub.item : "?";
}

/* The item named in the current row, created on first sight (items span
 * several rows: one per value kind and land). */
static lg_status item_for_row(lg_ctx *ctx, lg_farm_limits *lim,
			      const char *name, size_t *idx)
{
	farm_item *it;
	for (size_t i = 0; i < lim->n; i++) {
		if (strcmp(lim->items[i].pub.item, name) == 0) {
			*idx = i;
			return LG_OK;
		}
	}
	if (lg__grow(ctx, (void **)&lim->items, &lim->cap, lim->n + 1,
		     sizeof *lim->items))
		return LG_NOMEM;
	it = &lim->items[lim->n];
	memset(it, 0, sizeof *it);
	for (int l = 0; l < L__N; l++)
		for (int b = 0; b < 4; b++)
			it->screen[l][b] = it->interv[l][b] = NAN;
	if (!(it->pub.item = lg__strdup(ctx, name)))
		return LG_NOMEM;
	*idx = lim->n++;
	return LG_OK;
}

static lg_status read_row(lg_ctx *ctx, lg__csv *csv, const int *col,
			  lg_farm_limits *lim)
{
	static const char *const band_what[4] = {
		"value for pH≤5.5", "value for 5.5<pH≤6.5",
		"value for 6.5<pH≤7.5", "value for pH>7.5"};
	const char *name = lg__csv_field(csv, (size_t)col[C_ITEM]);
	const char *kind = lg__csv_field(csv, (size_t)col[C_VALUE]);
	const char *land = lg__csv_field(csv, (size_t)col[C_LAND]);
	double v[4], (*dst)[4];
	int l;
	size_t idx;
	lg_status st;
	farm_item *it;

	if (!*name)
		return lg__csv_error(csv, (size_t)col[C_ITEM],
				     "the item name is empty");
	if (strcmp(kind, "screen") != 0 && strcmp(kind, "interv") != 0)
		return lg__csv_error(csv, (size_t)col[C_VALUE],
				     "'%s' is not screen or interv", kind);
	for (l = 0; l < L__N; l++)
		if (strcmp(land, land_names[l]) == 0)
			break;
	if (l == L__N)
		return lg__csv_error(csv, (size_t)col[C_LAND],
				     "land '%s' is not 水田, 果园, 其他 or 全部",
				     land);
	for (int b = 0; b < 4; b++)
		if ((st = lg__qual_field_number(csv, col[C_B0 + b],
						band_what[b], &v[b])))
			return st;
	if ((st = item_for_row(ctx, lim, name, &idx)))
		return st;
	it = &lim->items[idx];
	dst = kind[0] == 's' ? it->screen : it->interv;
	if (!isnan(dst[l][0]))
		return lg__csv_error(csv, (size_t)col[C_LAND],
				     "a second %s row for '%s' on land '%s'",
				     kind, name, land);
	memcpy(dst[l], v, sizeof v);
	if (kind[0] == 'i')
		it->pub.has_interv = true;
	return lg__qual_add_names(ctx, csv, &lim->names, idx, name,
				  col[C_ITEM],
				  lg__csv_field(csv, (size_t)col[C_ALIASES]),
				  col[C_ALIASES], NULL, -1, item_name, lim);
}

/* Value for `land` with the standard's fallbacks: the land's own row,
 * else 其他, else 全部.  Row is NAN when none applies. */
static const double *pick(const double (*rows)[4], int land)
{
	if (!isnan(rows[land][0]))
		return rows[land];
	if (!isnan(rows[L_OTHER][0]))
		return rows[L_OTHER];
	return rows[L_ALL];
}

static double value_at(const double (*rows)[4], lg_farm_land land, int band)
{
	if (land == LG_FARM_ROTATION) {
		/* 水旱轮作: the stricter of the two (table 1 note). */
		double a = pick(rows, L_PADDY)[band];
		double b = pick(rows, L_OTHER)[band];
		return isnan(a) ? b : isnan(b) ? a : fmin(a, b);
	}
	return pick(rows, land == LG_FARM_PADDY	    ? L_PADDY
			  : land == LG_FARM_ORCHARD ? L_ORCHARD
						    : L_OTHER)[band];
}

lg_status lg_farm_limits_load(lg_ctx *ctx, const char *path,
			      lg_farm_limits **out)
{
	lg__csv *csv = NULL;
	lg_farm_limits *lim = NULL;
	int col[C__N];
	lg_status st;
	bool eof;

	*out = NULL;
	if ((st = lg__qual_open(ctx, path, "gb15618.csv", &csv)))
		goto done;
	if ((st = lg__qual_columns(ctx, csv, "GB 15618 limits", columns, col,
				   C__N)))
		goto done;
	if (!(lim = lg__calloc(ctx, 1, sizeof *lim))) {
		st = LG_NOMEM;
		goto done;
	}
	for (;;) {
		if ((st = lg__csv_next(csv, &eof)))
			goto done;
		if (eof)
			break;
		if ((st = read_row(ctx, csv, col, lim)))
			goto done;
	}
	for (size_t i = 0; i < lim->n; i++) {
		farm_item *it = &lim->items[i];
		if (isnan(value_at((const double(*)[4])it->screen,
				   LG_FARM_OTHER, 0))) {
			st = lg_ctx_error(ctx, LG_INPUT,
					  "'%s': item '%s' has no screen row "
					  "for 其他 or 全部 land",
					  lg__csv_path(csv), it->pub.item);
			goto done;
		}
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
	lg_farm_limits_destroy(lim);
	lg__csv_close(csv);
	return st;
}

size_t lg_farm_limits_count(const lg_farm_limits *lim)
{
	return lim ? lim->n : 0;
}

const lg_farm_item *lg_farm_limits_item(const lg_farm_limits *lim, size_t i)
{
	return lim && i < lim->n ? &lim->items[i].pub : NULL;
}

const lg_farm_item *lg_farm_item_find(const lg_farm_limits *lim,
				      const char *name)
{
	size_t i;
	if (!lim || !lg__names_find(&lim->names, name, &i))
		return NULL;
	return &lim->items[i].pub;
}

/* GB 15618 tables 1 and 3 columns: pH≤5.5, 5.5<pH≤6.5, 6.5<pH≤7.5,
 * pH>7.5 (upper edges inclusive). */
static int ph_band(double ph)
{
	return ph <= 5.5 ? 0 : ph <= 6.5 ? 1 : ph <= 7.5 ? 2 : 3;
}

lg_status lg_farm_judge(lg_ctx *ctx, const lg_farm_item *item,
			lg_farm_land land, double soil_ph,
			const lg_labvalue *value, lg_farm_verdict *out)
{
	const farm_item *it = (const farm_item *)item;
	int band;

	memset(out, 0, sizeof *out);
	out->screen_mgkg = out->interv_mgkg = NAN;
	out->ph_band = -1;
	if (!item || !value)
		return lg_ctx_error(ctx, LG_INPUT, "lg_farm_judge: no %s given",
				    item ? "value" : "item");
	if ((unsigned)land > LG_FARM_ROTATION)
		return lg_ctx_error(ctx, LG_INPUT,
				    "land type %d for '%s' is not 水田, 果园, "
				    "其他 or 水旱轮作",
				    (int)land, item->item);
	if (isnan(soil_ph)) {
		/* Only acceptable when no band would change the answer. */
		for (int b = 1; b < 4; b++) {
			double s0 = value_at(it->screen, land, 0);
			double i0 = value_at(it->interv, land, 0);
			double sb = value_at(it->screen, land, b);
			double ib = value_at(it->interv, land, b);
			if (s0 != sb || (!isnan(i0) && i0 != ib))
				return lg_ctx_error(
					ctx, LG_INPUT,
					"soil pH is needed to judge '%s': its "
					"GB 15618 limits depend on it",
					item->item);
		}
		band = 0;
	} else if (soil_ph < 0 || soil_ph > 14) {
		return lg_ctx_error(ctx, LG_INPUT,
				    "soil pH %g is outside 0-14; check the "
				    "cell",
				    soil_ph);
	} else {
		band = ph_band(soil_ph);
		out->ph_band = band;
	}
	out->item = item;
	out->screen_mgkg = value_at(it->screen, land, band);
	out->interv_mgkg = value_at(it->interv, land, band);
	if (value->missing) {
		out->level = LG_SOIL_NOT_MEASURED;
		return LG_OK;
	}
	if (value->nd) {
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
	/* As in GB 36600: "超过" is strict; "等于或者低于" is the safe side. */
	if (!isnan(out->interv_mgkg) && value->value > out->interv_mgkg)
		out->level = LG_SOIL_ABOVE_INTERV;
	else if (value->value > out->screen_mgkg)
		out->level = LG_SOIL_ABOVE_SCREEN;
	else
		out->level = LG_SOIL_BELOW_SCREEN;
	return LG_OK;
}
