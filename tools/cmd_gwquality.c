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

int cmd_gwquality(int argc, char **argv)
{
	cli c;
	struct gq_opts oo = {0};
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_layer *in = NULL, *res = NULL;
	lg_gw_limits *lim = NULL;
	size_t ncols = 0, by_class[6] = {0}, failing = 0;
	lg_buf fail_ids, j;
	lg_status st;
	lg_write_opts wo = {0};

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
	lg_gwquality_opts go = {oo.drinking_field, oo.samples};
	lg_gwquality_summary gs;
	if ((st = lg_gwquality_run(c.ctx, lim, in, &go, &res, &gs)))
		goto fail;
	for (size_t i = 0; i < res->n; i++)
		if (!res->feat[i].vals[7].u.i) {
			lg_buf_puts(&fail_ids, fail_ids.len ? "," : "");
			lg_buf_json_str(&fail_ids, lg_feature_text(res, &res->feat[i], 0));
		}
	ncols = gs.indicators;
	failing = gs.failing;
	memcpy(by_class, gs.by_class, sizeof by_class);
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
	lg_buf_release(&fail_ids);
	lg_layer_destroy(c.ctx, res);
	lg_layer_destroy(c.ctx, in);
	lg_gw_limits_destroy(lim);
	cli_release(&c);
	return rc;
}
