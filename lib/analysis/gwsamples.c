/*
 * landguard gwquality over a layer: each monitoring point's indicators
 * classed I-V by GB/T 14848-2017, the point by its worst indicator, and the
 * point against its target (DOMAIN.md §5).  Used by the gwquality command
 * and by the report's 地下水质量 section.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lg_internal.h"
#include "landguard/quality.h"

/* Header spellings that say a column holds the ion rather than "as N";
 * checked after folding sub/superscripts and full-width brackets.  Nitrite
 * before nitrate: 亚硝酸根 contains 硝酸根. */
static const struct {
	const char *marker, *item;
} ion_markers[] = {
	{"NO2-", "亚硝酸盐"}, {"亚硝酸根", "亚硝酸盐"}, {"以NO2", "亚硝酸盐"},
	{"NO3-", "硝酸盐"},   {"硝酸根", "硝酸盐"},     {"以NO3", "硝酸盐"},
	{"NH4+", "氨氮"},     {"铵离子", "氨氮"},       {"以NH4", "氨氮"},
	{"铵(", "氨氮"},
};

/* Copies s without blanks, with ₂₃₄ ⁻ ⁺ （ ） folded to ASCII. */
static void fold_header(const char *s, char *out, size_t n)
{
	static const struct {
		const char *from, *to;
	} map[] = {{"\xE2\x82\x82", "2"}, {"\xE2\x82\x83", "3"}, {"\xE2\x82\x84", "4"},
		   {"\xE2\x81\xBB", "-"}, {"\xE2\x81\xBA", "+"}, {"\xEF\xBC\x88", "("},
		   {"\xEF\xBC\x89", ")"}, {"\xEF\xBC\x8D", "-"}, {"\xEF\xBC\x8B", "+"}};
	size_t k = 0;
	while (*s && k + 4 < n) {
		bool done = false;
		for (size_t m = 0; m < sizeof map / sizeof map[0] && !done; m++) {
			size_t l = strlen(map[m].from);
			if (!strncmp(s, map[m].from, l)) {
				out[k++] = map[m].to[0];
				s += l;
				done = true;
			}
		}
		if (done)
			continue;
		if (*s != ' ')
			out[k++] = *s;
		s++;
	}
	out[k] = '\0';
}

/* The indicator an ion column stands for, or NULL when the header names
 * no ion ("NO3-N" and "NH4+-N" are as N). */
static const char *ion_item(const char *header)
{
	char f[256];
	fold_header(header, f, sizeof f);
	for (size_t i = 0; i < sizeof ion_markers / sizeof ion_markers[0]; i++) {
		const char *p = strstr(f, ion_markers[i].marker);
		if (!p)
			continue;
		const char *after = p + strlen(ion_markers[i].marker);
		if (*after == 'N' || *after == 'n' || !strncmp(after, "-N", 2))
			continue;
		return ion_markers[i].item;
	}
	return NULL;
}

static bool truthy(const char *s, bool *out)
{
	static const char *const yes[] = {"1", "yes", "true", "y", "是", "饮用", "饮用水"};
	static const char *const no[] = {"0", "no", "false", "n", "否", "非饮用"};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		if (!strcasecmp(s, yes[i]))
			return *out = true, true;
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		if (!strcasecmp(s, no[i]))
			return *out = false, true;
	return false;
}

typedef struct icol {
	int field;               /* input field */
	const lg_gw_item *item;
	bool ion;
	int out;                 /* output field of its class */
} icol;

lg_status lg_gwquality_run(lg_ctx *ctx, const lg_gw_limits *lim, const lg_layer *in,
			   const lg_gwquality_opts *o, lg_layer **out, lg_gwquality_summary *sum)
{
	lg_layer *res = NULL;
	icol *cols = NULL;
	lg_field *fields = NULL;
	lg_gw_reading *rd = NULL;
	int *each = NULL;
	char **names = NULL;
	size_t ncols = 0, nfields = 0;
	lg_buf ignored;
	lg_status st = LG_OK;
	const char *src = o && o->source ? o->source : (in->path ? in->path : in->name);
	const char *drinking_field = o ? o->drinking_field : NULL;
	*out = NULL;
	memset(sum, 0, sizeof *sum);
	lg_buf_init(&ignored);
	int fid = in->role[LG_ROLE_ID], fname = in->role[LG_ROLE_NAME], fdr = -1;
	static const char *const dr_names[] = {"drinking", "饮用水", "是否饮用", "饮用", "drinking_water"};
	if (drinking_field) {
		if ((fdr = lg_layer_field(in, drinking_field)) < 0) {
			st = lg_ctx_error(ctx, LG_FIELD, "'%s' has no field '%s' (--drinking-field)", src,
					  drinking_field);
			goto fail;
		}
	} else {
		for (size_t k = 0; k < sizeof dr_names / sizeof *dr_names && fdr < 0; k++)
			fdr = lg_layer_field(in, dr_names[k]);
		if (fdr < 0)
			lg_ctx_warn(ctx, "'%s' has no drinking field (drinking, 饮用水 ...); every point "
				    "is judged as a drinking-water point (target III); name it with "
				    "--drinking-field", src);
	}
	/* Indicator columns: every other field that names an indicator. */
	cols = calloc(in->nfields + 1, sizeof *cols);
	fields = calloc(in->nfields + 10, sizeof *fields);
	if (!cols || !fields) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto fail;
	}
	static const char *const meta[] = {"sample_date", "date", "采样日期", "日期", "time", "备注",
					   "note", "remark", "x", "y", "lon", "lat", "经度", "纬度"};
	for (size_t f = 0; f < in->nfields; f++) {
		const char *h = in->fields[f].name;
		if ((int)f == fid || (int)f == fname || (int)f == fdr)
			continue;
		bool is_meta = false;
		for (size_t k = 0; k < sizeof meta / sizeof *meta; k++)
			is_meta |= !strcasecmp(h, meta[k]);
		if (is_meta)
			continue;
		const char *ion = ion_item(h);
		const lg_gw_item *it = lg_gw_item_find(lim, ion ? ion : h);
		if (!it) {
			lg_buf_printf(&ignored, "%s'%s'", ignored.len ? ", " : "", h);
			continue;
		}
		for (size_t k = 0; k < ncols; k++)
			if (cols[k].item == it) {
				st = lg_ctx_error(ctx, LG_INPUT, "'%s': columns '%s' and '%s' are both %s; "
						  "keep one", src, in->fields[cols[k].field].name, h,
						  it->item);
				goto fail;
			}
		cols[ncols++] = (icol){(int)f, it, ion != NULL, 0};
	}
	if (ignored.len)
		lg_ctx_warn(ctx, "'%s': column%s %s name%s no GB/T 14848 indicator and %s ignored",
			    src, strchr(ignored.s, ',') ? "s" : "", ignored.s,
			    strchr(ignored.s, ',') ? "" : "s", strchr(ignored.s, ',') ? "are" : "is");
	if (!ncols) {
		st = lg_ctx_error(ctx, LG_FIELD, "'%s' has no column naming a GB/T 14848 indicator "
				  "(pH, 总硬度, 硝酸盐, 砷 ...)", src);
		goto fail;
	}
	static const char *const base[] = {"point_id", "name", "drinking", "class", "worst_item",
					   "worst_value", "target", "meets_target", "nmeasured"};
	static const lg_ftype bt[] = {LG_FT_STRING, LG_FT_STRING, LG_FT_INT, LG_FT_STRING,
				      LG_FT_STRING, LG_FT_STRING, LG_FT_STRING, LG_FT_INT, LG_FT_INT};
	names = calloc(ncols + 1, sizeof *names);
	if (!names) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto fail;
	}
	for (size_t k = 0; k < 9; k++)
		fields[nfields++] = (lg_field){(char *)base[k], bt[k], 0};
	for (size_t k = 0; k < ncols; k++) {
		size_t n = strlen(cols[k].item->item) + 8;
		names[k] = malloc(n);
		if (names[k])
			snprintf(names[k], n, "%s_class", cols[k].item->item);
		cols[k].out = (int)nfields;
		fields[nfields++] = (lg_field){names[k] ? names[k] : "?", LG_FT_STRING, 0};
	}
	if ((st = lg_layer_create(ctx, "gwquality", fields, nfields, &res)))
		goto fail;
	if (in->crs && (st = lg_crs_clone(ctx, in->crs, &res->crs)))
		goto fail;
	res->geom_type = in->geom_type;
	res->role[LG_ROLE_ID] = 0;
	rd = calloc(ncols + 1, sizeof *rd);
	each = calloc(ncols + 1, sizeof *each);
	if (!rd || !each) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto fail;
	}
	sum->indicators = ncols;
	for (size_t i = 0; i < in->n; i++) {
		const lg_feature *f = &in->feat[i];
		lg_feature *of;
		char id[256];
		snprintf(id, sizeof id, "%s", fid >= 0 ? lg_feature_text(in, f, fid) : lg_feature_id(in, f));
		bool drinking = true;
		if (fdr >= 0) {
			const char *v = lg_feature_text(in, f, fdr);
			if (*v && !truthy(v, &drinking)) {
				st = lg_ctx_error(ctx, LG_INPUT, "'%s' point %s: drinking field '%s' holds "
						  "'%s'; use 1/0 or 是/否", src, id, in->fields[fdr].name, v);
				goto fail;
			}
		}
		for (size_t k = 0; k < ncols; k++) {
			const char *v = lg_feature_text(in, f, cols[k].field);
			memset(&rd[k], 0, sizeof rd[k]);
			rd[k].item = cols[k].item;
			rd[k].value_is_ion = cols[k].ion;
			if ((st = lg_labvalue_parse(ctx, v, &rd[k].value))) {
				st = lg_ctx_error(ctx, st, "'%s' point %s column '%s': %s; fix the cell", src,
						  id, in->fields[cols[k].field].name, lg_ctx_errmsg(ctx));
				goto fail;
			}
		}
		lg_gw_result r;
		if ((st = lg_gw_sample_class(ctx, lim, rd, ncols, each, &r))) {
			st = lg_ctx_error(ctx, st, "'%s' point %s: %s", src, id, lg_ctx_errmsg(ctx));
			goto fail;
		}
		bool meets = lg_gw_meets_target(r.cls, drinking);
		if ((st = lg_layer_add(ctx, res, &of)) ||
		    (st = lg_feature_set_str(ctx, res, of, 0, id)) ||
		    (st = lg_feature_set_str(ctx, res, of, 1,
					     fname >= 0 ? lg_feature_text(in, f, fname) : "")) ||
		    (st = lg_feature_set_str(ctx, res, of, 3, lg_gw_class_roman(r.cls))) ||
		    (st = lg_feature_set_str(ctx, res, of, 6, drinking ? "III" : "V")))
			goto fail;
		lg_feature_set_int(res, of, 2, drinking);
		lg_feature_set_int(res, of, 7, meets);
		lg_feature_set_int(res, of, 8, (int64_t)r.nmeasured);
		if (r.worst) {
			size_t k = 0;
			while (k < ncols && cols[k].item != r.worst)
				k++;
			char wv[128];
			snprintf(wv, sizeof wv, "%s%s", lg_feature_text(in, f, cols[k].field),
				 cols[k].ion ? " (ion)" : "");
			if ((st = lg_feature_set_str(ctx, res, of, 4, r.worst->item)) ||
			    (st = lg_feature_set_str(ctx, res, of, 5, wv)))
				goto fail;
		}
		for (size_t k = 0; k < ncols; k++)
			if (each[k] && (st = lg_feature_set_str(ctx, res, of, (size_t)cols[k].out,
								lg_gw_class_roman(each[k]))))
				goto fail;
		/* the output keeps a copy of the sample's geometry */
		if (f->geom && !(of->geom = GEOSGeom_clone_r(ctx->geos, f->geom))) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto fail;
		}
		sum->by_class[r.cls >= 1 && r.cls <= 5 ? r.cls : 0]++;
		sum->failing += !meets;
		sum->samples++;
	}
	lg_layer_update_extent(ctx, res);
	*out = res;
	res = NULL;
fail:
	for (size_t k = 0; names && k < ncols; k++)
		free(names[k]);
	free(names);
	lg_buf_release(&ignored);
	free(cols);
	free(fields);
	free(rd);
	free(each);
	lg_layer_destroy(ctx, res);
	return st;
}
