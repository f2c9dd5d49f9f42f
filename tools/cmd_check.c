/* landguard check: the 一住两公 compliance rules YZ-01 … YZ-10. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line =
	"landguard check --parcels PARCELS [--plan PLAN] [--sites SITES] [--units UNITS]\n"
	"       [--ledger LEDGER]... [--samples SAMPLES] [--county COUNTY] [--period FROM..TO]\n"
	"       [--near M] [--fail-on SEVERITY] -o FINDINGS [--json]";
static const char *description =
	"Checks land-supply parcels against the county's 一住两公 rules (residential, public\n"
	"administration, public service land on polluted or suspected parcels):\n"
	"  YZ-01 change of use to 一住两公 needs an investigation (and a risk assessment when\n"
	"        polluted) before supply or permits; parcels already 一住两公 are exempt\n"
	"  YZ-02 no 一住两公 on a parcel of the control and remediation list (名录)\n"
	"  YZ-03 no recovery, purchase, supply or change of use of a listed parcel\n"
	"  YZ-04 heavily polluted pesticide/coking/chemical parcels not planned as school or housing\n"
	"  YZ-05 no construction permit while investigation, assessment or remediation is owed\n"
	"  YZ-06 一住两公 within --near of a polluted parcel whose risk is not controlled\n"
	"  YZ-07 soil samples above the GB 36600 screening / intervention value (class 1 for\n"
	"        first-class planned uses, class 2 otherwise; 0.01L, ND, 未检出, <0.01 = not detected)\n"
	"  YZ-08 land once used for toxic substances not reclaimed as cropland for food\n"
	"  YZ-09 key supervised unit's land changing use or transferred needs a filed investigation\n"
	"  YZ-10 register entries with no geometry, or outside --county\n"
	"One row per finding: parcel_id, rule_id, severity (violation, risk, notice), message,\n"
	"basis, evidence (site id, ledger file and row, sample value vs limit, distance), title,\n"
	"next_step; sorted by parcel, rule, evidence.  GPKG/SHP/GeoJSON outputs carry the parcel\n"
	"geometry; CSV/XLSX outputs do not.  A table of counts by rule and severity goes to stderr.\n"
	"\n"
	"Parcels carry parcel_id, the original use code (orig_code, 原用途, YDDM_Y) and the planned\n"
	"use code (plan_code, 规划用途, YDYHFLDM), or take the planned use from --plan: the plan\n"
	"code covering the largest part of the parcel (its share is in the evidence).\n"
	"The ledger (CSV or XLSX, repeat --ledger for several) has parcel_id/地块编号,\n"
	"event/事项, date/日期, result/结论, note/备注 (CONTRACT.md); an event on the day of a\n"
	"supply counts as before it.\n"
	"\n"
	"--period FROM..TO is the monthly 清零 list: only parcels planned as 一住两公 and\n"
	"allocated (划拨) or transferred (出让) between FROM and TO, both days included.  A parcel\n"
	"supplied without the required steps is a violation; every other one is listed as a YZ-01\n"
	"notice with the steps done and the next one.  YZ-10 is not part of the monthly list.\n"
	"\n"
	"--near (default 500 m): YZ-06's distance between parcel and polluted site edges; a parcel\n"
	"exactly at the distance counts as near.  Widen it where groundwater or dust carries\n"
	"pollution further (a coking or chemical plant upwind), narrow it where the plan sets a\n"
	"smaller protective distance; the distance used is in every finding.";
static const char *examples =
	"  D=datasets/demo/xinjiang\n"
	"  landguard check --parcels $D/parcels.gpkg --sites $D/sites.gpkg#sites \\\n"
	"      --units $D/sites.gpkg#units --ledger $D/ledger.csv --samples $D/soil_samples.gpkg \\\n"
	"      --county $D/county.gpkg -o findings.csv\n"
	"  # the monthly 清零 list for October 2026, from the Chinese ledger, as a spreadsheet\n"
	"  landguard check --parcels $D/parcels.gpkg --sites $D/sites.gpkg#sites \\\n"
	"      --ledger $D/ledger.xlsx --period 2026-10-01..2026-10-31 -o 清零_202610.xlsx\n"
	"  # planned use from the plan \"一张图\"; exit 1 when any violation is found\n"
	"  landguard check --parcels 供地.shp --plan plan.gpkg --sites 名录.gpkg --ledger 台账.xlsx \\\n"
	"      --near 800 --fail-on violation -o findings.gpkg --json\n";

static const cli_opt opts[] = {
	{"parcels", 0, "PARCELS", "land-supply parcels (polygons) with parcel_id, orig_code, plan_code"},
	{"plan", 0, "PLAN", "plan layer: planned use = the code covering most of each parcel"},
	{"sites", 0, "SITES", "register of suspected/polluted parcels (stage, industry)"},
	{"units", 0, "UNITS", "土壤污染重点监管单位 (key supervised units), points or polygons"},
	{"ledger", 0, "LEDGER", "events ledger, CSV or XLSX; repeat for several files"},
	{"samples", 0, "SAMPLES", "soil samples (points) with GB 36600 item columns (砷, 镉 ...)"},
	{"county", 0, "COUNTY", "county outline: register sites outside it are YZ-10 defects"},
	{"period", 0, "FROM..TO", "清零: only parcels supplied in these days (both included)"},
	{"near", 0, "M", "YZ-06 distance to uncontrolled polluted sites, metres (default 500)"},
	{"fail-on", 0, "SEVERITY", "exit 1 when a finding at or above violation|risk|notice exists"},
	{"min-area", 0, "M2", "smallest parcel/site overlap that counts, m² (default 0.01)"},
	{"stage-default", 0, "STAGE", "stage of sites whose register has no stage field"},
	{"landuse-table", 0, "CSV", "user land-use table that overrides or adds codes"},
	{"limits", 0, "CSV", "GB 36600 limit table replacing datasets/standards/gb36600.csv"},
	{"rules", 0, "CSV", "rule texts replacing datasets/rules/rules.csv"},
	{NULL, 0, NULL, NULL},
};

#define MAX_LEDGERS 16

struct ck_opts {
	const char *parcels, *plan, *sites, *units, *samples, *county, *period;
	const char *ledgers[MAX_LEDGERS];
	size_t nledgers;
	const char *stage_default, *landuse_table, *limits, *rules, *fail_on;
	double near_m, min_area;
	bool has_fail_on;
	lg_severity fail_on_sev;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct ck_opts *o = ud;
	if (!strcmp(name, "parcels"))
		o->parcels = arg;
	else if (!strcmp(name, "plan"))
		o->plan = arg;
	else if (!strcmp(name, "sites"))
		o->sites = arg;
	else if (!strcmp(name, "units"))
		o->units = arg;
	else if (!strcmp(name, "samples"))
		o->samples = arg;
	else if (!strcmp(name, "county"))
		o->county = arg;
	else if (!strcmp(name, "period"))
		o->period = arg;
	else if (!strcmp(name, "stage-default"))
		o->stage_default = arg;
	else if (!strcmp(name, "landuse-table"))
		o->landuse_table = arg;
	else if (!strcmp(name, "limits"))
		o->limits = arg;
	else if (!strcmp(name, "rules"))
		o->rules = arg;
	else if (!strcmp(name, "ledger")) {
		if (o->nledgers == MAX_LEDGERS)
			return cli_usage_error(c, "at most %d --ledger files", MAX_LEDGERS) != 0;
		o->ledgers[o->nledgers++] = arg;
	} else if (!strcmp(name, "fail-on")) {
		if (!lg_severity_parse(arg, &o->fail_on_sev))
			return cli_usage_error(c, "--fail-on must be violation, risk or notice (got '%s')",
					       arg) != 0;
		o->has_fail_on = true;
	} else if (!strcmp(name, "near")) {
		if (cli_number(c, "--near", arg, &o->near_m))
			return 1;
		if (o->near_m <= 0)
			return cli_usage_error(c, "--near must be a positive number of metres (got '%s')",
					       arg) != 0;
	} else if (!strcmp(name, "min-area")) {
		if (cli_number(c, "--min-area", arg, &o->min_area))
			return 1;
		if (o->min_area < 0)
			return cli_usage_error(c, "--min-area must be 0 or more square metres (got '%s')",
					       arg) != 0;
	}
	return 0;
}

static int parse_period(cli *c, const char *s, lg_check_opts *o)
{
	const char *dots = strstr(s, "..");
	char from[64];
	if (!dots || (size_t)(dots - s) >= sizeof from)
		return cli_usage_error(c, "--period must be FROM..TO, e.g. 2026-10-01..2026-10-31 "
				       "(got '%s')", s);
	snprintf(from, sizeof from, "%.*s", (int)(dots - s), s);
	if (!lg_date_parse(from, &o->period_from))
		return cli_usage_error(c, "--period: '%s' is not a date; write YYYY-MM-DD", from);
	if (!lg_date_parse(dots + 2, &o->period_to))
		return cli_usage_error(c, "--period: '%s' is not a date; write YYYY-MM-DD", dots + 2);
	if (o->period_to < o->period_from)
		return cli_usage_error(c, "--period: %s is before %s", dots + 2, from);
	o->has_period = true;
	return 0;
}

static lg_status read_in_work(cli *c, const char *input, const char *src, const lg_crs *work,
			      lg_layer **out)
{
	lg_read_opts ro;
	lg_status st;
	cli_read_opts(c, input, &ro);
	if ((st = lg_layer_read(c->ctx, src, &ro, out)))
		return st;
	if (!(*out)->crs) {
		if ((*out)->n == (*out)->nempty)
			return LG_OK; /* no geometry at all: nothing to transform */
		return lg_ctx_error(c->ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", src);
	}
	return lg_layer_reproject(c->ctx, *out, work);
}

/* Terminal columns of UTF-8 text: CJK and full-width forms take two. */
static int display_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		unsigned cp = *p;
		int n = cp < 0x80 ? 1 : cp < 0xE0 ? 2 : cp < 0xF0 ? 3 : 4;
		if (n == 2)
			cp = ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu);
		else if (n == 3)
			cp = ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
		else if (n == 4)
			cp = 0x10000;
		w += (cp >= 0x2E80 && cp < 0xA4D0) || (cp >= 0xAC00 && cp < 0xD7A4) ||
				     (cp >= 0xF900 && cp < 0xFB00) || (cp >= 0xFF00 && cp < 0xFF61) ||
				     cp >= 0x10000
			     ? 2
			     : 1;
		for (int k = 0; k < n && *p; k++)
			p++;
	}
	return w;
}

static void pad(FILE *f, const char *s, int width)
{
	fputs(s, f);
	for (int w = display_width(s); w < width; w++)
		fputc(' ', f);
}

static bool table_format(const char *path, const char *driver)
{
	const char *dot = strrchr(path, '.');
	if (driver)
		return !strcasecmp(driver, "CSV") || !strcasecmp(driver, "XLSX");
	return dot && (!strcasecmp(dot, ".csv") || !strcasecmp(dot, ".xlsx"));
}

int cmd_check(int argc, char **argv)
{
	cli c;
	struct ck_opts ko = {0};
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_rows_opts rwo;
	lg_layer *parcels = NULL, *sites = NULL, *units = NULL, *samples = NULL, *county = NULL;
	lg_layer *out = NULL;
	lg_rows *plan = NULL;
	lg_ledger *ledger = NULL;
	lg_landuse *lu = NULL;
	lg_soil_limits *soil = NULL;
	lg_check_tables *tables = NULL;
	lg_crs *work = NULL;
	lg_check_opts opt = {0};
	lg_check_inputs in = {0};
	lg_check_summary sum;
	lg_write_opts wo = {0};
	lg_status st;
	lg_buf j;

	if ((rc = cli_init(&c, "check")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &ko, pos, 0,
		       &npos, &done);
	if (rc || done)
		goto out;
	if (!ko.parcels || !c.out) {
		rc = cli_usage_error(&c, "give --parcels PARCELS and -o FINDINGS");
		goto out;
	}
	if (ko.period && (rc = parse_period(&c, ko.period, &opt)))
		goto out;
	if (ko.stage_default) {
		if (!lg_stage_parse(ko.stage_default, &opt.stage_default)) {
			rc = cli_usage_error(&c, "--stage-default: unknown stage '%s'", ko.stage_default);
			goto out;
		}
		opt.has_stage_default = true;
	}
	if ((st = lg_landuse_load(c.ctx, ko.landuse_table, &lu)) ||
	    (st = lg_check_tables_load(c.ctx, ko.rules, &tables)))
		goto fail;
	if (ko.samples && (st = lg_soil_limits_load(c.ctx, ko.limits, &soil)))
		goto fail;

	cli_read_opts(&c, "parcels", &ro);
	if ((st = lg_layer_read(c.ctx, ko.parcels, &ro, &parcels)))
		goto fail;
	if (!parcels->crs) {
		st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", ko.parcels);
		goto fail;
	}
	if (!c.work_srs && !isfinite(parcels->minx)) {
		/* Empty: a wrong file or layer, and no extent for the work CRS. */
		st = lg_ctx_error(c.ctx, LG_INPUT, "'%s' has no features with geometry; check "
				  "that it is the right file and layer (PATH#LAYER)", ko.parcels);
		goto fail;
	}
	if ((st = cli_work_crs(&c, parcels, &work)))
		goto fail;
	if ((st = lg_layer_reproject(c.ctx, parcels, work)))
		goto fail;
	if ((ko.sites && (st = read_in_work(&c, "sites", ko.sites, work, &sites))) ||
	    (ko.units && (st = read_in_work(&c, "units", ko.units, work, &units))) ||
	    (ko.samples && (st = read_in_work(&c, "samples", ko.samples, work, &samples))) ||
	    (ko.county && (st = read_in_work(&c, "county", ko.county, work, &county))))
		goto fail;
	if (ko.plan) {
		memset(&rwo, 0, sizeof rwo);
		cli_read_opts(&c, "plan", &rwo.read);
		if ((st = lg_rows_open(c.ctx, ko.plan, &rwo, &plan)))
			goto fail;
	}
	if (ko.nledgers) {
		cli_read_opts(&c, "ledger", &ro);
		if ((st = lg_ledger_read(c.ctx, ko.ledgers, ko.nledgers, &ro, &ledger)))
			goto fail;
	} else {
		lg_ctx_warn(c.ctx, "no --ledger given: the rules on supply, permits and soil steps "
			    "(YZ-01, YZ-03, YZ-05, YZ-09) see no events");
	}

	in.parcels = parcels;
	in.plan = plan;
	in.sites = sites;
	in.units = units;
	in.samples = samples;
	in.county = county;
	in.ledger = ledger;
	in.work = work;
	opt.landuse = lu;
	opt.soil = soil;
	opt.tables = tables;
	opt.near_m = ko.near_m > 0 ? ko.near_m : 500;
	opt.min_overlap_m2 = ko.min_area;
	if ((st = lg_check_run(c.ctx, &in, &opt, &out, &sum)))
		goto fail;
	if (table_format(c.out, c.driver))
		for (size_t i = 0; i < out->n; i++)
			lg_feature_set_geom(c.ctx, &out->feat[i], NULL);
	wo.driver = c.driver;
	wo.t_srs = c.t_srs;
	wo.no_spatial_index = c.no_spatial_index;
	wo.layer_name = "findings";
	if ((st = lg_layer_write(c.ctx, out, c.out, &wo)))
		goto fail;

	if (!c.json) {
		int tw = 0;
		for (size_t r = 0; r < LG_CHECK_NRULES; r++) {
			int w = display_width(lg_check_rule_title(tables, lg_check_rule_id(r)));
			tw = w > tw ? w : tw;
		}
		pad(stderr, "规则", 7);
		pad(stderr, "rule", tw + 1);
		fprintf(stderr, "违规 violation  风险 risk  提示 notice\n");
		for (size_t r = 0; r < LG_CHECK_NRULES; r++) {
			const char *id = lg_check_rule_id(r);
			pad(stderr, id, 7);
			pad(stderr, lg_check_rule_title(tables, id), tw + 1);
			fprintf(stderr, "%14zu %10zu %11zu\n", sum.count[r][LG_SEV_VIOLATION],
				sum.count[r][LG_SEV_RISK], sum.count[r][LG_SEV_NOTICE]);
		}
		fprintf(stderr,
			"合计 total: %zu findings (violation %zu, risk %zu, notice %zu) on %zu of %zu "
			"parcels%s\n",
			sum.findings, sum.by_severity[LG_SEV_VIOLATION], sum.by_severity[LG_SEV_RISK],
			sum.by_severity[LG_SEV_NOTICE], sum.parcels_checked, sum.parcels,
			opt.has_period ? " (supplied in the period)" : "");
		if (sum.nd_values)
			fprintf(stderr, "未检出 non-detects: %zu of %zu lab values, read as below the "
				"detection limit\n", sum.nd_values, sum.sample_values);
		fprintf(stderr, "written: %s\n", c.out);
	}
	lg_buf_init(&j);
	lg_buf_printf(&j, "{\"parcels\":%zu,\"parcels_checked\":%zu,\"findings\":%zu,", sum.parcels,
		      sum.parcels_checked, sum.findings);
	lg_buf_printf(&j, "\"by_severity\":{\"violation\":%zu,\"risk\":%zu,\"notice\":%zu},",
		      sum.by_severity[LG_SEV_VIOLATION], sum.by_severity[LG_SEV_RISK],
		      sum.by_severity[LG_SEV_NOTICE]);
	lg_buf_puts(&j, "\"by_rule\":{");
	for (size_t r = 0; r < LG_CHECK_NRULES; r++)
		lg_buf_printf(&j, "%s\"%s\":{\"violation\":%zu,\"risk\":%zu,\"notice\":%zu}", r ? "," : "",
			      lg_check_rule_id(r), sum.count[r][LG_SEV_VIOLATION],
			      sum.count[r][LG_SEV_RISK], sum.count[r][LG_SEV_NOTICE]);
	lg_buf_puts(&j, "},\"period\":");
	if (opt.has_period) {
		char a[11], b[11];
		lg_date_format(opt.period_from, a);
		lg_date_format(opt.period_to, b);
		lg_buf_printf(&j, "{\"from\":\"%s\",\"to\":\"%s\"}", a, b);
	} else {
		lg_buf_puts(&j, "null");
	}
	lg_buf_printf(&j,
		      ",\"near_m\":%g,\"sites\":%zu,\"sites_without_geometry\":%zu,\"events\":%zu,"
		      "\"events_unmatched\":%zu,\"samples\":%zu,\"sample_values\":%zu,\"nd_values\":%zu,"
		      "\"plan_from_overlay\":%zu,\"plan_fallback\":%zu,\"plan_uncovered\":%zu,"
		      "\"plan_disagree\":%zu,\"work_crs\":",
		      opt.near_m, sum.sites, sum.sites_without_geometry, sum.events,
		      sum.events_unmatched, sum.samples, sum.sample_values, sum.nd_values,
		      sum.plan_from_overlay, sum.plan_fallback, sum.plan_uncovered, sum.plan_disagree);
	lg_buf_json_str(&j, lg_crs_id(work));
	lg_buf_puts(&j, ",\"outputs\":[");
	lg_buf_json_str(&j, c.out);
	lg_buf_puts(&j, "]}");
	rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
	if (!rc && ko.has_fail_on) {
		for (int s = ko.fail_on_sev; s < LG_SEV__COUNT; s++)
			if (sum.by_severity[s])
				rc = 1;
		if (rc && !c.json)
			fprintf(stderr, "landguard check: findings at or above '%s' (--fail-on): exit 1\n",
				lg_severity_name(ko.fail_on_sev));
	}
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_layer_destroy(c.ctx, out);
	lg_layer_destroy(c.ctx, parcels);
	lg_layer_destroy(c.ctx, sites);
	lg_layer_destroy(c.ctx, units);
	lg_layer_destroy(c.ctx, samples);
	lg_layer_destroy(c.ctx, county);
	lg_rows_close(c.ctx, plan);
	lg_ledger_destroy(ledger);
	lg_check_tables_destroy(tables);
	lg_soil_limits_destroy(soil);
	lg_crs_destroy(work);
	lg_landuse_destroy(lu);
	cli_release(&c);
	return rc;
}
