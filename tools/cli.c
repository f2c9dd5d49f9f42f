/* Option parsing, messages and exit codes shared by every subcommand. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

const cli_opt cli_common_opts[] = {
	{"output", 'o', "PATH", "main output; format from the extension"},
	{"format", 'f', "DRIVER", "force an OGR driver (GPKG, \"ESRI Shapefile\", GeoJSON, CSV, XLSX)"},
	{"s-srs", 0, "SRS", "CRS of inputs that declare none (EPSG:4525, WKT, PROJ string)"},
	{"t-srs", 0, "SRS", "CRS of the outputs (default: the working CRS)"},
	{"work-srs", 0, "SRS", "metric CRS of the analysis (default: CGCS2000 3-degree GK zone of the data)"},
	{"encoding", 0, "ENC", "encoding of attribute text that declares none (GBK, UTF-8 ...)"},
	{"threads", 0, "N", "worker threads (default: all cores)"},
	{"no-spatial-index", 0, NULL, "GPKG output without R-tree (faster for 100k+ rows)"},
	{"json", 0, NULL, "print a JSON summary on stdout"},
	{"workspace", 0, "WS", "record the run (parameters, outputs, findings) in workspace WS"},
	{"progress", 0, NULL, "show progress on stderr even when it is not a terminal"},
	{"help", 'h', NULL, "show this help"},
	{NULL, 0, NULL, NULL},
};

static void on_log(void *ud, lg_log_level lv, const char *msg)
{
	cli *c = ud;
	if (lv == LG_LOG_DEBUG)
		return;
	fprintf(stderr, "landguard %s: %s%s\n", c->cmd,
		lv == LG_LOG_WARN ? "warning: " : "", msg);
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void on_progress(void *ud, const char *stage, double done, double total)
{
	cli *c = ud;
	double t = now_s();
	if (t - c->last_progress < 0.25 && done < total)
		return;
	c->last_progress = t;
	if (c->json)
		fprintf(stderr, "{\"progress\":\"%s\",\"done\":%.0f,\"total\":%.0f}\n",
			stage, done, total);
	else if (total > 0)
		fprintf(stderr, "\r%s: %.0f / %.0f (%.0f%%)%s", stage, done, total,
			100.0 * done / total, done >= total ? "\n" : "");
	else
		fprintf(stderr, "\r%s: %.0f", stage, done);
}

int cli_init(cli *c, const char *cmd)
{
	memset(c, 0, sizeof *c);
	c->cmd = cmd;
	c->started_at = (long long)time(NULL);
	c->ctx = lg_ctx_create();
	if (!c->ctx) {
		fprintf(stderr, "landguard %s: out of memory creating the context\n", cmd);
		return 5;
	}
	lg_ctx_set_log(c->ctx, on_log, c);
	return 0;
}

void cli_release(cli *c)
{
	lg_ctx_destroy(c->ctx);
	c->ctx = NULL;
}

static void print_opts(const cli_opt *o)
{
	for (; o->name; o++) {
		char left[64];
		if (o->short_name)
			snprintf(left, sizeof left, "-%c, --%s%s%s", o->short_name,
				 o->name, o->arg ? " " : "", o->arg ? o->arg : "");
		else
			snprintf(left, sizeof left, "    --%s%s%s", o->name,
				 o->arg ? " " : "", o->arg ? o->arg : "");
		printf("  %-30s %s\n", left, o->help);
	}
}

static void print_help(cli *c, const cli_opt *opts, const char *usage,
		       const char *description, const char *examples)
{
	printf("usage: %s\n\n%s\n", usage, description);
	if (opts && opts->name) {
		printf("\nOptions:\n");
		print_opts(opts);
	}
	printf("\nCommon options:\n");
	print_opts(cli_common_opts);
	printf("  %-30s %s\n", "    --<input>-<role>-field NAME",
	       "name the field of a role for one input, e.g. --plan-code-field YDDM");
	printf("  %-30s %s\n", "    --<role>-field NAME",
	       "the same for every input (roles: id code name stage orig-code plan-code industry town)");
	if (examples)
		printf("\nExamples:\n%s", examples);
	printf("\nExit status: 0 success, 1 findings at --fail-on, 2 usage, 3 bad input,\n"
	       "4 cannot write output, 5 internal error.\n");
}

/* --<input>-<role>-field NAME / --<role>-field NAME */
static int take_role_field(cli *c, const char *opt, const char *val)
{
	size_t n = strlen(opt);
	const char *suffix = "-field";
	if (n <= strlen(suffix) || strcmp(opt + n - strlen(suffix), suffix))
		return 0;
	char body[128];
	snprintf(body, sizeof body, "%.*s", (int)(n - strlen(suffix)), opt);
	for (int r = 0; r < LG_ROLE__COUNT; r++) {
		const char *rn = lg_role_name((lg_role)r);
		size_t bl = strlen(body), rl = strlen(rn);
		if (bl < rl || strcmp(body + bl - rl, rn))
			continue;
		if (bl == rl || body[bl - rl - 1] == '-') {
			if (c->nroles >= (int)(sizeof c->roles / sizeof c->roles[0]))
				return -1;
			cli_role_field *rf = &c->roles[c->nroles++];
			snprintf(rf->input, sizeof rf->input, "%.*s",
				 bl == rl ? 0 : (int)(bl - rl - 1), body);
			rf->role = (lg_role)r;
			rf->field = val;
			return 1;
		}
	}
	return 0;
}

int cli_parse(cli *c, int argc, char **argv, const cli_opt *opts,
	      const char *usage, const char *description, const char *examples,
	      int (*on_opt)(cli *, const char *, const char *, void *),
	      void *ud, char **pos, int maxpos, int *npos, int *done)
{
	struct option lo[128];
	char shorts[64] = "";
	int nlo = 0, ncmd = 0;
	char **args;
	int nargs = 0;

	*done = 0;
	*npos = 0;
	c->argc = argc - 1;
	c->argv = argv + 1;
	/* Role-field options are open-ended, so they are taken out first. */
	args = calloc((size_t)argc + 1, sizeof *args);
	if (!args)
		return 5;
	args[nargs++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			for (; i < argc; i++)
				args[nargs++] = argv[i];
			break;
		}
		if (!strncmp(a, "--", 2)) {
			char name[128];
			const char *eq = strchr(a, '=');
			const char *val = NULL;
			snprintf(name, sizeof name, "%.*s",
				 (int)(eq ? (size_t)(eq - a - 2) : strlen(a + 2)), a + 2);
			if (eq)
				val = eq + 1;
			else if (i + 1 < argc)
				val = argv[i + 1];
			int known = 0;
			for (const cli_opt *o = opts; o && o->name; o++)
				if (!strcmp(o->name, name))
					known = 1;
			if (!known && strlen(name) > 6 &&
			    !strcmp(name + strlen(name) - 6, "-field")) {
				if (!val) {
					free(args);
					return cli_usage_error(c, "option '--%s' needs a field name", name);
				}
				int r = take_role_field(c, name, val);
				if (r < 0) {
					free(args);
					return cli_usage_error(c, "too many --*-field options");
				}
				if (r > 0) {
					if (!eq)
						i++;
					continue;
				}
			}
		}
		args[nargs++] = argv[i];
	}
	for (const cli_opt *o = opts; o && o->name; o++, ncmd++) {
		lo[nlo++] = (struct option){o->name, o->arg ? required_argument : no_argument,
					    NULL, 1000 + ncmd};
		if (o->short_name) {
			size_t k = strlen(shorts);
			shorts[k] = (char)o->short_name;
			shorts[k + 1] = o->arg ? ':' : '\0';
			shorts[k + 2] = '\0';
		}
	}
	int ncommon = 0;
	for (const cli_opt *o = cli_common_opts; o->name; o++, ncommon++) {
		lo[nlo++] = (struct option){o->name, o->arg ? required_argument : no_argument,
					    NULL, 2000 + ncommon};
		if (o->short_name) {
			size_t k = strlen(shorts);
			shorts[k] = (char)o->short_name;
			shorts[k + 1] = o->arg ? ':' : '\0';
			shorts[k + 2] = '\0';
		}
	}
	lo[nlo] = (struct option){0, 0, 0, 0};

	optind = 1;
	opterr = 0;
	int rc = 0;
	for (;;) {
		int li = -1;
		int ch = getopt_long(nargs, args, shorts, lo, &li);
		if (ch == -1)
			break;
		const cli_opt *o = NULL;
		if (ch >= 2000)
			o = &cli_common_opts[ch - 2000];
		else if (ch >= 1000)
			o = &opts[ch - 1000];
		else if (ch == '?' || ch == ':') {
			const char *bad = args[optind - 1];
			if (optopt && ch == ':')
				rc = cli_usage_error(c, "option '%s' needs a value", bad);
			else if (optopt)
				rc = cli_usage_error(c, "unknown option '-%c'", optopt);
			else
				rc = cli_usage_error(c, "unknown option or missing value: '%s'", bad);
			break;
		} else {
			for (const cli_opt *p = opts; p && p->name; p++)
				if (p->short_name == ch)
					o = p;
			for (const cli_opt *p = cli_common_opts; !o && p->name; p++)
				if (p->short_name == ch)
					o = p;
		}
		if (!o) {
			rc = cli_usage_error(c, "unknown option");
			break;
		}
		const char *n = o->name;
		if (!strcmp(n, "help")) {
			print_help(c, opts, usage, description, examples);
			*done = 1;
			break;
		} else if (o >= cli_common_opts && o < cli_common_opts + ncommon) {
			if (!strcmp(n, "output"))
				c->out = optarg;
			else if (!strcmp(n, "format"))
				c->driver = optarg;
			else if (!strcmp(n, "s-srs"))
				c->s_srs = optarg;
			else if (!strcmp(n, "t-srs"))
				c->t_srs = optarg;
			else if (!strcmp(n, "work-srs"))
				c->work_srs = optarg;
			else if (!strcmp(n, "encoding"))
				c->encoding = optarg;
			else if (!strcmp(n, "json"))
				c->json = 1;
			else if (!strcmp(n, "workspace"))
				c->workspace = optarg;
			else if (!strcmp(n, "progress"))
				c->progress = 1;
			else if (!strcmp(n, "no-spatial-index"))
				c->no_spatial_index = 1;
			else if (!strcmp(n, "threads")) {
				double v;
				if (cli_number(c, "--threads", optarg, &v) || v < 0 ||
				    v != floor(v) || v > 256) {
					rc = v < 0 || v != floor(v) || v > 256
						     ? cli_usage_error(c, "--threads must be a whole number from 0 to 256 (got '%s')", optarg)
						     : 2;
					break;
				}
				c->threads = (int)v;
				lg_ctx_set_threads(c->ctx, c->threads);
			}
		} else if (on_opt && on_opt(c, n, optarg, ud)) {
			rc = 2;
			break;
		}
	}
	if (!rc && !*done) {
		for (int i = optind; i < nargs; i++) {
			if (*npos >= maxpos) {
				rc = cli_usage_error(c, "unexpected argument '%s'", args[i]);
				break;
			}
			pos[(*npos)++] = args[i];
		}
	}
	if (!rc && (c->progress || isatty(2)))
		lg_ctx_set_progress(c->ctx, on_progress, c);
	free(args);
	return rc;
}

void cli_read_opts(const cli *c, const char *input, lg_read_opts *o)
{
	memset(o, 0, sizeof *o);
	o->s_srs = c->s_srs;
	o->encoding = c->encoding;
	/* General --role-field first, then the input's own, which wins. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < c->nroles; i++) {
			const cli_role_field *rf = &c->roles[i];
			if (pass == 0 && !rf->input[0])
				o->role_field[rf->role] = rf->field;
			if (pass == 1 && input && rf->input[0] && !strcmp(rf->input, input))
				o->role_field[rf->role] = rf->field;
		}
}

int cli_fail(cli *c, lg_status st)
{
	const char *msg = lg_ctx_errmsg(c->ctx);
	char status[1200];
	fprintf(stderr, "landguard %s: error: %s\n", c->cmd,
		msg && *msg ? msg : lg_status_str(st));
	if (c->workspace && !c->recorded) {
		/* A failed run is history too: the review sees it was tried. */
		snprintf(status, sizeof status, "failed: %.1100s",
			 msg && *msg ? msg : lg_status_str(st));
		cli_record_run(c, status, NULL, NULL, 0, NULL, 0);
	}
	return lg_status_exit(st);
}

int cli_record_run(cli *c, const char *status, const char *summary_json,
		   const lg_ws_output *outputs, size_t noutputs,
		   const lg_ws_finding *findings, size_t nfindings)
{
	lg_ws *ws = NULL;
	lg_buf p;
	lg_status st;
	lg_ws_run_rec rec = {0};
	lg_ws_output def = {0};
	int64_t id = 0;
	if (!c->workspace || c->recorded)
		return 0;
	c->recorded = 1;
	lg_buf_init(&p);
	lg_buf_puts(&p, "{\"args\":[");
	for (int i = 0; i < c->argc; i++) {
		if (i)
			lg_buf_puts(&p, ",");
		lg_buf_json_str(&p, c->argv[i]);
	}
	lg_buf_puts(&p, "]}");
	if (!noutputs && c->out && !strncmp(status, "ok", 2)) {
		def.path = c->out;
		def.kind = "table";
		def.rows = -1;
		outputs = &def;
		noutputs = 1;
	}
	rec.command = c->cmd;
	rec.params_json = p.s;
	rec.started_at = c->started_at;
	rec.finished_at = (long long)time(NULL);
	rec.status = status;
	rec.summary_json = summary_json;
	rec.outputs = outputs;
	rec.noutputs = noutputs;
	rec.findings = findings;
	rec.nfindings = nfindings;
	/* The context may hold the run's own error: keep its message. */
	char saved[2048];
	lg_status saved_st = lg_ctx_errcode(c->ctx);
	snprintf(saved, sizeof saved, "%s", lg_ctx_errmsg(c->ctx));
	st = lg_ws_open(c->ctx, c->workspace, true, &ws);
	if (!st)
		st = lg_ws_record_run(c->ctx, ws, &rec, &id);
	lg_ws_close(ws);
	lg_buf_release(&p);
	if (st) {
		fprintf(stderr, "landguard %s: error: cannot record the run in workspace '%s': %s\n",
			c->cmd, c->workspace, lg_ctx_errmsg(c->ctx));
		if (saved_st)
			lg_ctx_error(c->ctx, saved_st, "%s", saved);
		return lg_status_exit(st);
	}
	if (saved_st)
		lg_ctx_error(c->ctx, saved_st, "%s", saved);
	if (!c->json)
		fprintf(stderr, "landguard %s: run %lld recorded in %s\n", c->cmd, (long long)id,
			c->workspace);
	return 0;
}

int cli_usage_error(cli *c, const char *fmt, ...)
{
	va_list ap;
	/* One line, like every error (CONTRACT.md): scripts read the last. */
	fprintf(stderr, "landguard %s: error: ", c->cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "; try 'landguard %s --help'\n", c->cmd);
	return 2;
}

int cli_number(cli *c, const char *name, const char *arg, double *out)
{
	char *end;
	errno = 0;
	double v = strtod(arg, &end);
	if (errno || end == arg || *end || !isfinite(v))
		return cli_usage_error(c, "%s must be a number (got '%s')", name, arg);
	*out = v;
	return 0;
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

int cli_finish(cli *c, const char *json_body)
{
	if (c->workspace && !c->recorded) {
		int rc = cli_record_run(c, "ok", json_body, NULL, 0, NULL, 0);
		if (rc)
			return rc;
	}
	if (c->json && json_body) {
		/* json_body is "{...}" without the closing brace's warnings. */
		size_t n = strlen(json_body);
		while (n && json_body[n - 1] != '}')
			n--;
		if (n)
			n--;
		fwrite(json_body, 1, n, stdout);
		fputs(n > 1 ? ",\"warnings\":[" : "\"warnings\":[", stdout);
		for (size_t i = 0; i < lg_ctx_nwarnings(c->ctx); i++) {
			if (i)
				fputc(',', stdout);
			json_str(stdout, lg_ctx_warning(c->ctx, i));
		}
		fputs("]}\n", stdout);
	}
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "landguard %s: error: cannot write to standard output: %s\n",
			c->cmd, strerror(errno));
		return 4;
	}
	return 0;
}

lg_status cli_work_crs(cli *c, const lg_layer *ref, lg_crs **out)
{
	lg_status st;
	if (c->work_srs)
		st = lg_crs_parse(c->ctx, c->work_srs, "--work-srs", out);
	else
		st = lg_crs_work_for(c->ctx, ref->crs, ref->minx, ref->miny, ref->maxx, ref->maxy,
				     out);
	if (!st && lg_crs_is_geographic(*out)) {
		lg_crs_destroy(*out);
		*out = NULL;
		st = lg_ctx_error(c->ctx, LG_USAGE, "--work-srs must be a projected CRS in metres");
	}
	return st;
}

double cli_phase(const char *name, double t0)
{
	double t = now_s();
	if (name && getenv("LANDGUARD_TIMING"))
		fprintf(stderr, "timing: %-10s %.3f s\n", name, t - t0);
	return t;
}
