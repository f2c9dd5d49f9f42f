/* landguard gwquality: groundwater samples classed I-V by GB/T 14848-2017. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line =
	"landguard gwquality --samples SAMPLES -o OUT [--table CSV] [--limits CSV] [--json]";
static const char *description =
	"Classes every groundwater monitoring sample I-V per GB/T 14848-2017: each indicator by\n"
	"the band its value falls in (equal to a limit = that class; shared limits: the better\n"
	"class), the sample by its worst indicator, which is named.  Targets: drinking-water\n"
	"points class III or better, other points not worse than V.\n"
	"SAMPLES: one row per sample (points, or a table); an id (point_id ...), a name, a\n"
	"drinking field (drinking/饮用水: 1/0, 是/否), and one column per indicator named as in\n"
	"the standard or a common alias (硝酸盐, 硝酸盐(以N计), NO3-N, As, 六价铬(mg/L) ...), in the\n"
	"standard's unit.  Cells: 12.5, 0.01L, <0.01, ND, 未检出 (non-detects: class I), empty or\n"
	"- (not measured).  Nitrate, nitrite and ammonia are \"as N\"; a column whose header\n"
	"names the ion — NO3-/NO₃⁻/硝酸根/(以NO3计), NO2-/亚硝酸根/(以NO2计), NH4+/铵/(以NH4计) —\n"
	"is converted (÷ 4.427, 3.285, 1.288).  Columns that match no indicator are listed in\n"
	"a warning and ignored.\n"
	"OUT (a point layer when the samples have geometry, e.g. .gpkg for maps; or .csv):\n"
	"  point_id name drinking class worst_item worst_value target meets_target nmeasured\n"
	"  <indicator>_class ... (one per indicator column)\n"
	"Limits: datasets/standards/gb14848.csv (or --limits with the same columns).";
static const char *examples =
	"  landguard gwquality --samples datasets/demo/xinjiang/gw_samples.gpkg -o gwq.gpkg\n"
	"  landguard gwquality --samples datasets/demo/xinjiang/gw_samples.gpkg -o gwq.gpkg \\\n"
	"      --table gwq.csv --json\n"
	"  landguard gwquality --samples 监测结果.xlsx --s-srs EPSG:4525 -o 评价.xlsx\n";

static const cli_opt opts[] = {
	{"samples", 0, "SAMPLES", "monitoring samples (point_id, name, drinking, one column per indicator)"},
	{"table", 0, "CSV", "also write the result as a table (any format by extension)"},
	{"limits", 0, "CSV", "user GB/T 14848 table (replaces datasets/standards/gb14848.csv)"},
	{"drinking-field", 0, "NAME", "field saying whether a point is a drinking-water point"},
	{NULL, 0, NULL, NULL},
};

struct gq_opts {
	const char *samples, *table, *limits, *drinking_field;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct gq_opts *o = ud;
	(void)c;
	if (!strcmp(name, "samples"))
		o->samples = arg;
	else if (!strcmp(name, "table"))
		o->table = arg;
	else if (!strcmp(name, "limits"))
		o->limits = arg;
	else if (!strcmp(name, "drinking-field"))
		o->drinking_field = arg;
	return 0;
}

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

int cmd_gwquality(int argc, char **argv)
{
	cli c;
	struct gq_opts oo = {0};
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_layer *in = NULL, *res = NULL;
	lg_gw_limits *lim = NULL;
	icol *cols = NULL;
	lg_field *fields = NULL;
	lg_gw_reading *rd = NULL;
	int *each = NULL;
	size_t ncols = 0, nfields = 0, by_class[6] = {0}, failing = 0;
	lg_buf ignored, fail_ids, j;
	lg_status st;
	lg_write_opts wo = {0};

	lg_buf_init(&ignored);
	lg_buf_init(&fail_ids);
	if ((rc = cli_init(&c, "gwquality")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &oo, pos,
		       0, &npos, &done);
	if (rc || done)
		goto out;
	if (!oo.samples || !c.out) {
		rc = cli_usage_error(&c, "give --samples and -o OUT");
		goto out;
	}
	if ((st = lg_gw_limits_load(c.ctx, oo.limits, &lim)))
		goto fail;
	cli_read_opts(&c, "samples", &ro);
	if ((st = lg_layer_read(c.ctx, oo.samples, &ro, &in)))
		goto fail;
	const char *src = oo.samples;
	int fid = in->role[LG_ROLE_ID], fname = in->role[LG_ROLE_NAME], fdr = -1;
	static const char *const dr_names[] = {"drinking", "饮用水", "是否饮用", "饮用", "drinking_water"};
	if (oo.drinking_field) {
		if ((fdr = lg_layer_field(in, oo.drinking_field)) < 0) {
			st = lg_ctx_error(c.ctx, LG_FIELD, "'%s' has no field '%s' (--drinking-field)", src,
					  oo.drinking_field);
			goto fail;
		}
	} else {
		for (size_t k = 0; k < sizeof dr_names / sizeof *dr_names && fdr < 0; k++)
			fdr = lg_layer_field(in, dr_names[k]);
		if (fdr < 0)
			lg_ctx_warn(c.ctx, "'%s' has no drinking field (drinking, 饮用水 ...); every point "
				    "is judged as a drinking-water point (target III); name it with "
				    "--drinking-field", src);
	}
	/* Indicator columns: every other field that names an indicator. */
	cols = calloc(in->nfields + 1, sizeof *cols);
	fields = calloc(in->nfields + 10, sizeof *fields);
	if (!cols || !fields) {
		st = lg_ctx_error(c.ctx, LG_NOMEM, "out of memory");
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
				st = lg_ctx_error(c.ctx, LG_INPUT, "'%s': columns '%s' and '%s' are both %s; "
						  "keep one", src, in->fields[cols[k].field].name, h,
						  it->item);
				goto fail;
			}
		cols[ncols++] = (icol){(int)f, it, ion != NULL, 0};
	}
	if (ignored.len)
		lg_ctx_warn(c.ctx, "'%s': column%s %s name%s no GB/T 14848 indicator and %s ignored",
			    src, strchr(ignored.s, ',') ? "s" : "", ignored.s,
			    strchr(ignored.s, ',') ? "" : "s", strchr(ignored.s, ',') ? "are" : "is");
	if (!ncols) {
		st = lg_ctx_error(c.ctx, LG_FIELD, "'%s' has no column naming a GB/T 14848 indicator "
				  "(pH, 总硬度, 硝酸盐, 砷 ...)", src);
		goto fail;
	}
	static const char *const base[] = {"point_id", "name", "drinking", "class", "worst_item",
					   "worst_value", "target", "meets_target", "nmeasured"};
	static const lg_ftype bt[] = {LG_FT_STRING, LG_FT_STRING, LG_FT_INT, LG_FT_STRING,
				      LG_FT_STRING, LG_FT_STRING, LG_FT_STRING, LG_FT_INT, LG_FT_INT};
	char **names = calloc(ncols + 1, sizeof *names);
	if (!names) {
		st = lg_ctx_error(c.ctx, LG_NOMEM, "out of memory");
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
	st = lg_layer_create(c.ctx, "gwquality", fields, nfields, &res);
	for (size_t k = 0; k < ncols; k++)
		free(names[k]);
	free(names);
	if (st)
		goto fail;
	if (in->crs && (st = lg_crs_clone(c.ctx, in->crs, &res->crs)))
		goto fail;
	res->geom_type = in->geom_type;
	res->role[LG_ROLE_ID] = 0;
	rd = calloc(ncols + 1, sizeof *rd);
	each = calloc(ncols + 1, sizeof *each);
	if (!rd || !each) {
		st = lg_ctx_error(c.ctx, LG_NOMEM, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < in->n; i++) {
		lg_feature *f = &in->feat[i], *of;
		char id[256];
		snprintf(id, sizeof id, "%s", fid >= 0 ? lg_feature_text(in, f, fid) : lg_feature_id(in, f));
		bool drinking = true;
		if (fdr >= 0) {
			const char *v = lg_feature_text(in, f, fdr);
			if (*v && !truthy(v, &drinking)) {
				st = lg_ctx_error(c.ctx, LG_INPUT, "'%s' point %s: drinking field '%s' holds "
						  "'%s'; use 1/0 or 是/否", src, id, in->fields[fdr].name, v);
				goto fail;
			}
		}
		for (size_t k = 0; k < ncols; k++) {
			const char *v = lg_feature_text(in, f, cols[k].field);
			memset(&rd[k], 0, sizeof rd[k]);
			rd[k].item = cols[k].item;
			rd[k].value_is_ion = cols[k].ion;
			if ((st = lg_labvalue_parse(c.ctx, v, &rd[k].value))) {
				st = lg_ctx_error(c.ctx, st, "'%s' point %s column '%s': %s; fix the cell", src,
						  id, in->fields[cols[k].field].name, lg_ctx_errmsg(c.ctx));
				goto fail;
			}
		}
		lg_gw_result r;
		if ((st = lg_gw_sample_class(c.ctx, lim, rd, ncols, each, &r))) {
			st = lg_ctx_error(c.ctx, st, "'%s' point %s: %s", src, id, lg_ctx_errmsg(c.ctx));
			goto fail;
		}
		bool meets = lg_gw_meets_target(r.cls, drinking);
		if ((st = lg_layer_add(c.ctx, res, &of)) ||
		    (st = lg_feature_set_str(c.ctx, res, of, 0, id)) ||
		    (st = lg_feature_set_str(c.ctx, res, of, 1,
					     fname >= 0 ? lg_feature_text(in, f, fname) : "")) ||
		    (st = lg_feature_set_str(c.ctx, res, of, 3, lg_gw_class_roman(r.cls))) ||
		    (st = lg_feature_set_str(c.ctx, res, of, 6, drinking ? "III" : "V")))
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
			if ((st = lg_feature_set_str(c.ctx, res, of, 4, r.worst->item)) ||
			    (st = lg_feature_set_str(c.ctx, res, of, 5, wv)))
				goto fail;
		}
		for (size_t k = 0; k < ncols; k++)
			if (each[k] && (st = lg_feature_set_str(c.ctx, res, of, (size_t)cols[k].out,
								lg_gw_class_roman(each[k]))))
				goto fail;
		/* The output keeps the sample's geometry (moved, not copied). */
		of->geom = f->geom;
		f->geom = NULL;
		by_class[r.cls >= 1 && r.cls <= 5 ? r.cls : 0]++;
		if (!meets) {
			failing++;
			lg_buf_puts(&fail_ids, fail_ids.len ? "," : "");
			lg_buf_json_str(&fail_ids, id);
		}
	}
	lg_layer_update_extent(c.ctx, res);
	wo.driver = c.driver;
	wo.t_srs = c.t_srs;
	wo.no_spatial_index = c.no_spatial_index;
	wo.layer_name = "gwquality";
	if ((st = lg_layer_write(c.ctx, res, c.out, &wo)))
		goto fail;
	if (oo.table) {
		lg_write_opts to = wo;
		to.driver = NULL;
		if ((st = lg_layer_write(c.ctx, res, oo.table, &to)))
			goto fail;
	}
	if (!c.json)
		fprintf(stderr,
			"样品 samples: %zu   I类 %zu   II类 %zu   III类 %zu   IV类 %zu   V类 %zu   未检测 %zu\n"
			"未达目标 failing target (饮用水 ≤ III, 其他 ≤ V): %zu\n"
			"written: %s%s%s\n",
			res->n, by_class[1], by_class[2], by_class[3], by_class[4], by_class[5],
			by_class[0], failing, c.out, oo.table ? ", " : "", oo.table ? oo.table : "");
	lg_buf_init(&j);
	lg_buf_printf(&j, "{\"samples\":%zu,\"indicators\":%zu,\"by_class\":{\"I\":%zu,\"II\":%zu,"
		      "\"III\":%zu,\"IV\":%zu,\"V\":%zu,\"none\":%zu},\"failing_target\":%zu,"
		      "\"failing_ids\":[%s],\"outputs\":[",
		      res->n, ncols, by_class[1], by_class[2], by_class[3], by_class[4], by_class[5],
		      by_class[0], failing, fail_ids.s ? fail_ids.s : "");
	lg_buf_json_str(&j, c.out);
	if (oo.table) {
		lg_buf_puts(&j, ",");
		lg_buf_json_str(&j, oo.table);
	}
	lg_buf_puts(&j, "]}");
	rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_buf_release(&ignored);
	lg_buf_release(&fail_ids);
	free(cols);
	free(fields);
	free(rd);
	free(each);
	lg_layer_destroy(c.ctx, res);
	lg_layer_destroy(c.ctx, in);
	lg_gw_limits_destroy(lim);
	cli_release(&c);
	return rc;
}
