/* landguard report: a whole job (monthly 清零 or quarterly review) into a
 * report directory: ledger.xlsx, report.html, report.pdf, findings.csv and
 * the maps. */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line =
	"landguard report --config JOB.ini -o OUTDIR [--date YYYY-MM-DD] [--json]";
static const char *description =
	"Runs a job file and writes the report a bureau takes to its meeting, into OUTDIR:\n"
	"  report.html   self-contained (maps embedded), readable offline, printable on A4\n"
	"  report.pdf    the same content on A4 pages with header, footer and page numbers\n"
	"  ledger.xlsx   台账: 概况 sheet, one sheet per rule family (一住两公 YZ-01…07, 复垦\n"
	"                YZ-08, 重点单位 YZ-09, 数据缺陷 YZ-10), 清零台账 (monthly) or 季度变化\n"
	"                and 分类统计 (quarterly), and the overlay/riverbuf/gwzone tables\n"
	"  findings.csv  this run's findings: next quarter's `previous`\n"
	"  maps/         the maps shown (PNG), one per atlas parcel\n"
	"\n"
	"kind = monthly: the 清零 list of parcels allocated or transferred for 一住两公 use in\n"
	"the period, with the state of every required soil step, open until cleared.\n"
	"kind = quarterly: counts by stage, town and rule, and what changed since the previous\n"
	"run (new, persisting, resolved findings, keyed by parcel and rule) when `previous`\n"
	"names the earlier findings.csv or report directory.\n"
	"Each report has an atlas: one page per parcel with a finding, with its own map.\n"
	"\n"
	"The job file (INI): [job] kind, title, office, period (monthly) or quarter (quarterly),\n"
	"previous; [inputs] parcels sites units ledger samples county towns plan survey water\n"
	"wells sources gw_samples (paths relative to the job file); [options] near inner outer\n"
	"fail_on; [outputs] names inside OUTDIR.  Nothing in a job file runs a command.  See\n"
	"docs/report.md.  Everything is written to a temporary directory next to OUTDIR and\n"
	"moved into place at the end: a failed run leaves an earlier report as it was.";
static const char *examples =
	"  # the monthly 清零 report for October 2026 on the demo county\n"
	"  landguard report --config examples/monthly_2026-10.ini -o out/report_2026-10 \\\n"
	"      --date 2026-10-31\n"
	"  # the quarterly review, compared with the third quarter's findings\n"
	"  landguard report --config examples/quarterly_2026Q4.ini -o out/report_2026Q4 --json\n"
	"  # next quarter: point [job] previous at this quarter's report directory\n"
	"  #   previous = ../out/report_2026Q4\n"
	"  # or keep the runs in a workspace and point previous at it\n"
	"  landguard report --config examples/quarterly_2026Q4.ini -o out/report_2026Q4 \\\n"
	"      --workspace county.sqlite          # then: previous = ../county.sqlite\n";

static const cli_opt opts[] = {
	{"config", 0, "JOB.ini", "the job file"},
	{"date", 0, "YYYY-MM-DD", "report date (default today); a given date gives the same content"},
	{"dpi", 0, "N", "map resolution in the report (default 200)"},
	{"no-atlas", 0, NULL, "leave out the per-parcel atlas"},
	{"fail-on", 0, "SEVERITY", "exit 1 when a finding at or above violation|risk|notice exists"},
	{NULL, 0, NULL, NULL},
};

struct rp_opts {
	const char *config, *date;
	double dpi;
	bool no_atlas, has_fail_on;
	lg_severity fail_on;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct rp_opts *o = ud;
	if (!strcmp(name, "config"))
		o->config = arg;
	else if (!strcmp(name, "date")) {
		int32_t d;
		if (!lg_date_parse(arg, &d))
			return cli_usage_error(c, "--date must be YYYY-MM-DD (got '%s')", arg) != 0;
		o->date = arg;
	} else if (!strcmp(name, "dpi")) {
		if (cli_number(c, "--dpi", arg, &o->dpi))
			return 1;
		if (o->dpi < 50 || o->dpi > 600)
			return cli_usage_error(c, "--dpi must be from 50 to 600 (got '%s')", arg) != 0;
	} else if (!strcmp(name, "no-atlas"))
		o->no_atlas = true;
	else if (!strcmp(name, "fail-on")) {
		if (!lg_severity_parse(arg, &o->fail_on))
			return cli_usage_error(c, "--fail-on must be violation, risk or notice (got '%s')",
					       arg) != 0;
		o->has_fail_on = true;
	}
	return 0;
}

int cmd_report(int argc, char **argv)
{
	cli c;
	struct rp_opts ro = {0};
	char *pos[1];
	int npos, done, rc;
	lg_report_job *job = NULL;
	lg_report *rep = NULL;
	lg_report_opts opt = {0};
	lg_buf written, j;
	lg_status st;

	lg_buf_init(&written);
	if ((rc = cli_init(&c, "report")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &ro, pos, 0,
		       &npos, &done);
	if (rc || done)
		goto out;
	if (!ro.config || !c.out) {
		rc = cli_usage_error(&c, "give --config JOB.ini and -o OUTDIR");
		goto out;
	}
	if ((st = lg_report_job_load(c.ctx, ro.config, &job)) ||
	    (st = lg_report_job_check(c.ctx, job)))
		goto fail;
	if (ro.has_fail_on) {
		job->has_fail_on = true;
		job->fail_on = ro.fail_on;
	}
	opt.date = ro.date;
	opt.dpi = (int)ro.dpi;
	opt.no_atlas = ro.no_atlas;
	if ((st = lg_report_run(c.ctx, job, &opt, &rep)) ||
	    (st = lg_report_write(c.ctx, rep, c.out, &written)))
		goto fail;

	const lg_report_summary *s = lg_report_get_summary(rep);
	const lg_check_summary *cs = &s->check;
	if (!c.json) {
		if (job->kind == LG_REPORT_MONTHLY)
			fprintf(stderr, "清零 %zu parcels supplied for 一住两公 in the period: %zu open "
				"(未清零), %zu cleared\n", s->parcels_listed, s->parcels_open,
				s->parcels_listed - s->parcels_open);
		else if (s->compared)
			fprintf(stderr, "季度变化 since the previous run: %zu new, %zu persisting, %zu "
				"resolved\n", s->changes[0], s->changes[1], s->changes[2]);
		fprintf(stderr, "findings: %zu (violation %zu, risk %zu, notice %zu); atlas pages: %zu; "
			"maps: %zu\nwritten: %s\n", cs->findings, cs->by_severity[LG_SEV_VIOLATION],
			cs->by_severity[LG_SEV_RISK], cs->by_severity[LG_SEV_NOTICE], s->atlas_pages,
			s->maps, written.s ? written.s : c.out);
	}
	lg_buf_init(&j);
	lg_buf_printf(&j, "{\"kind\":\"%s\",\"findings\":%zu,\"by_severity\":{\"violation\":%zu,"
		      "\"risk\":%zu,\"notice\":%zu},",
		      job->kind == LG_REPORT_MONTHLY ? "monthly" : "quarterly", cs->findings,
		      cs->by_severity[LG_SEV_VIOLATION], cs->by_severity[LG_SEV_RISK],
		      cs->by_severity[LG_SEV_NOTICE]);
	if (job->kind == LG_REPORT_MONTHLY)
		lg_buf_printf(&j, "\"qingling\":{\"parcels\":%zu,\"open\":%zu,\"cleared\":%zu},",
			      s->parcels_listed, s->parcels_open, s->parcels_listed - s->parcels_open);
	else if (s->compared)
		lg_buf_printf(&j, "\"changes\":{\"new\":%zu,\"persisting\":%zu,\"resolved\":%zu},",
			      s->changes[0], s->changes[1], s->changes[2]);
	else
		lg_buf_puts(&j, "\"changes\":null,");
	lg_buf_printf(&j, "\"atlas_pages\":%zu,\"maps\":%zu,\"overlay\":%s,\"riverbuf\":%s,"
		      "\"gwzone\":%s,\"gwquality\":%s,\"gw_failing\":%zu,\"outputs\":[",
		      s->atlas_pages, s->maps, s->ran_overlay ? "true" : "false",
		      s->ran_riverbuf ? "true" : "false", s->ran_gwzone ? "true" : "false",
		      s->ran_gwquality ? "true" : "false", s->gw_failing);
	for (const char *p = written.s; p && *p;) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char one[4096];
		snprintf(one, sizeof one, "%.*s", (int)n, p);
		lg_buf_puts(&j, p == written.s ? "" : ",");
		lg_buf_json_str(&j, one);
		p = e ? e + 1 : p + n;
	}
	lg_buf_puts(&j, "]}");
	if (c.workspace) {
		/* kept for the next quarter: `previous = WS` reads these back */
		const lg_layer *F = lg_report_findings(rep);
		lg_ws_finding *wf = calloc(F->n + 1, sizeof *wf);
		lg_ws_output wo = {c.out, "report", (int64_t)F->n};
		int fp = lg_layer_field(F, "parcel_id"), fr = lg_layer_field(F, "rule_id");
		int fs = lg_layer_field(F, "severity"), ft = lg_layer_field(F, "title");
		if (!wf) {
			st = lg_ctx_error(c.ctx, LG_NOMEM, "out of memory");
			lg_buf_release(&j);
			goto fail;
		}
		for (size_t i = 0; i < F->n; i++) {
			const lg_value *v = F->feat[i].vals;
			wf[i].parcel_id = v[fp].null ? "" : v[fp].u.s;
			wf[i].rule_id = v[fr].null ? "" : v[fr].u.s;
			wf[i].severity = v[fs].null ? "" : v[fs].u.s;
			wf[i].message = v[ft].null ? "" : v[ft].u.s;
		}
		rc = cli_record_run(&c, "ok", j.s, &wo, 1, wf, F->n);
		free(wf);
	}
	if (!rc)
		rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
	if (!rc && job->has_fail_on) {
		for (int k = job->fail_on; k < LG_SEV__COUNT; k++)
			if (cs->by_severity[k])
				rc = 1;
		if (rc && !c.json)
			fprintf(stderr, "landguard report: findings at or above '%s' (fail_on): exit 1\n",
				lg_severity_name(job->fail_on));
	}
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_buf_release(&written);
	lg_report_destroy(c.ctx, rep);
	lg_report_job_destroy(job);
	cli_release(&c);
	return rc;
}
