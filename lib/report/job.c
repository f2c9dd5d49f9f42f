/* Job files: what a report runs on, read with inih and checked before any
 * input is opened.  Nothing in a job file runs a command; outputs are plain
 * names inside OUTDIR. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "lg_internal.h"
#include "report/report_int.h"

static const char *const input_keys[] = {
#define LG__RI(n, k, d) k,
	LG_REPORT_INPUT_MAP(LG__RI)
#undef LG__RI
};

static const char *const output_keys[] = {
#define LG__RO(n, k, d) k,
	LG_REPORT_OUTPUT_MAP(LG__RO)
#undef LG__RO
};

static const char *const output_defaults[] = {
#define LG__RO(n, k, d) d,
	LG_REPORT_OUTPUT_MAP(LG__RO)
#undef LG__RO
};

const char *lg_report_input_key(lg_report_input i)
{
	return (unsigned)i < LG_RIN__COUNT ? input_keys[i] : "unknown";
}

const char *lg__report_output_key(lg_report_output o)
{
	return (unsigned)o < LG_ROUT__COUNT ? output_keys[o] : "unknown";
}

typedef struct parse_state {
	lg_ctx *ctx;
	lg_report_job *job;
	char err[1024];  /* why the handler stopped (inih gives the line) */
	bool nomem;
	bool has_kind, has_period, has_quarter;
	char period_text[128], quarter_text[64];
} parse_state;

static int fail(parse_state *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(parse_state *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err, sizeof p->err, fmt, ap);
	va_end(ap);
	return 0;
}

static int set_str(parse_state *p, char **dst, const char *v)
{
	char *s = lg__strdup(p->ctx, v);
	if (!s) {
		p->nomem = true;
		return fail(p, "out of memory");
	}
	free(*dst);
	*dst = s;
	return 1;
}

/* An input path relative to the job file's directory; "PATH#LAYER" and
 * PG: connection strings are kept as they are. */
static char *resolve(lg_ctx *ctx, const char *dir, const char *v)
{
	if (v[0] == '/' || !strncmp(v, "PG:", 3) || !dir[0])
		return lg__strdup(ctx, v);
	size_t n = strlen(dir) + strlen(v) + 2;
	char *s = lg__malloc(ctx, n);
	if (s)
		snprintf(s, n, "%s/%s", dir, v);
	return s;
}

static bool parse_number(const char *v, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (errno || end == v || *end || !isfinite(d))
		return false;
	*out = d;
	return true;
}

static int on_entry(void *ud, const char *section, const char *name, const char *value)
{
	parse_state *p = ud;
	lg_report_job *j = p->job;
	if (!name) /* a bare [section] line */
		return 1;
	if (!strcmp(section, "job")) {
		if (!strcmp(name, "kind")) {
			if (!strcmp(value, "monthly") || !strcmp(value, "月度"))
				j->kind = LG_REPORT_MONTHLY;
			else if (!strcmp(value, "quarterly") || !strcmp(value, "季度"))
				j->kind = LG_REPORT_QUARTERLY;
			else
				return fail(p, "[job] kind must be monthly or quarterly (got '%s')", value);
			p->has_kind = true;
			return 1;
		}
		if (!strcmp(name, "title"))
			return set_str(p, &j->title, value);
		if (!strcmp(name, "office"))
			return set_str(p, &j->office, value);
		if (!strcmp(name, "period")) {
			snprintf(p->period_text, sizeof p->period_text, "%s", value);
			p->has_period = true;
			return 1;
		}
		if (!strcmp(name, "quarter")) {
			snprintf(p->quarter_text, sizeof p->quarter_text, "%s", value);
			p->has_quarter = true;
			return 1;
		}
		if (!strcmp(name, "previous")) {
			if (!*value)
				return 1;
			char *s = resolve(p->ctx, j->dir, value);
			if (!s) {
				p->nomem = true;
				return fail(p, "out of memory");
			}
			free(j->previous);
			j->previous = s;
			return 1;
		}
		return fail(p, "unknown key '%s' in [job] (kind title office period quarter previous)",
			    name);
	}
	if (!strcmp(section, "inputs")) {
		for (int i = 0; i < LG_RIN__COUNT; i++)
			if (!strcmp(name, input_keys[i])) {
				if (!*value)
					return 1;
				char *s = resolve(p->ctx, j->dir, value);
				if (!s) {
					p->nomem = true;
					return fail(p, "out of memory");
				}
				free(j->input[i]);
				j->input[i] = s;
				return 1;
			}
		return fail(p, "unknown input '%s' in [inputs] (parcels sites units ledger samples "
			    "county towns plan survey water wells sources gw_samples)", name);
	}
	if (!strcmp(section, "options")) {
		double d;
		if (!strcmp(name, "fail_on")) {
			if (!*value) {
				j->has_fail_on = false;
				return 1;
			}
			if (!lg_severity_parse(value, &j->fail_on))
				return fail(p, "[options] fail_on must be violation, risk or notice (got '%s')",
					    value);
			j->has_fail_on = true;
			return 1;
		}
		double *dst = !strcmp(name, "near")    ? &j->near_m
			      : !strcmp(name, "inner") ? &j->inner_m
			      : !strcmp(name, "outer") ? &j->outer_m
						       : NULL;
		if (!dst)
			return fail(p, "unknown key '%s' in [options] (near inner outer fail_on)", name);
		if (!parse_number(value, &d) || d <= 0)
			return fail(p, "[options] %s must be a positive number of metres (got '%s')", name,
				    value);
		*dst = d;
		return 1;
	}
	if (!strcmp(section, "outputs")) {
		for (int o = 0; o < LG_ROUT__COUNT; o++)
			if (!strcmp(name, output_keys[o])) {
				/* Outputs stay inside OUTDIR: a plain name, nothing else. */
				if (!*value || strchr(value, '/') || strchr(value, '\\') ||
				    !strcmp(value, ".") || !strcmp(value, "..") || value[0] == '.')
					return fail(p, "[outputs] %s = '%s' would write outside OUTDIR; give a "
						    "plain file name such as '%s'", name, value,
						    output_defaults[o]);
				return set_str(p, &j->output[o], value);
			}
		return fail(p, "unknown key '%s' in [outputs] (html pdf xlsx findings maps)", name);
	}
	return fail(p, "unknown section [%s] (job inputs options outputs)", section);
}

static bool days_of(int y, int m, int d, int32_t *out)
{
	char buf[32];
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	return lg_date_parse(buf, out);
}

/* "2026Q4", "2026-Q4", "2026 q4" */
static bool parse_quarter(const char *s, int *y, int *q)
{
	int yy, qq, n = 0;
	if (sscanf(s, "%4d%n", &yy, &n) != 1 || n != 4)
		return false;
	s += 4;
	while (*s == '-' || *s == ' ')
		s++;
	if (*s != 'Q' && *s != 'q')
		return false;
	char tail;
	if (sscanf(s + 1, "%d%c", &qq, &tail) != 1 || qq < 1 || qq > 4)
		return false;
	*y = yy;
	*q = qq;
	return yy >= 1900 && yy <= 2999;
}

static int line_of(const char *path, const char *key)
{
	/* the line of a [job] key, for messages about values checked after
	 * the whole file is read */
	FILE *f = fopen(path, "r");
	char buf[512];
	int line = 0, found = 0;
	if (!f)
		return 0;
	while (fgets(buf, sizeof buf, f)) {
		line++;
		char *s = buf;
		while (*s == ' ' || *s == '\t')
			s++;
		size_t k = strlen(key);
		if (!strncmp(s, key, k) && (s[k] == ' ' || s[k] == '=' || s[k] == '\t')) {
			found = line;
			break;
		}
	}
	fclose(f);
	return found;
}

void lg_report_job_destroy(lg_report_job *j)
{
	if (!j)
		return;
	free(j->path);
	free(j->dir);
	free(j->title);
	free(j->office);
	free(j->previous);
	for (int i = 0; i < LG_RIN__COUNT; i++)
		free(j->input[i]);
	for (int o = 0; o < LG_ROUT__COUNT; o++)
		free(j->output[o]);
	free(j);
}

lg_status lg_report_job_load(lg_ctx *ctx, const char *path, lg_report_job **out)
{
	lg_report_job *j;
	parse_state p;
	lg_status st = LG_OK;
	FILE *f;

	*out = NULL;
	if (!(j = lg__calloc(ctx, 1, sizeof *j)))
		return LG_NOMEM;
	memset(&p, 0, sizeof p);
	p.ctx = ctx;
	p.job = j;
	j->near_m = 500;
	j->inner_m = 30;
	j->outer_m = 50;
	if (!(j->path = lg__strdup(ctx, path))) {
		st = LG_NOMEM;
		goto done;
	}
	{
		const char *slash = strrchr(path, '/');
		size_t dn = slash ? (size_t)(slash - path) : 0;
		if (!(j->dir = lg__malloc(ctx, dn + 2))) {
			st = LG_NOMEM;
			goto done;
		}
		if (slash && dn == 0)
			strcpy(j->dir, "/");
		else {
			memcpy(j->dir, path, dn);
			j->dir[dn] = 0;
		}
	}
	if (!(f = fopen(path, "r"))) {
		st = lg_ctx_error(ctx, LG_NOFILE, "cannot read the job file '%s': %s", path,
				  strerror(errno));
		goto done;
	}
	int rc = ini_parse_file(f, on_entry, &p);
	fclose(f);
	if (p.nomem) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory reading the job file '%s'", path);
		goto done;
	}
	if (rc != 0) {
		if (p.err[0])
			st = lg_ctx_error(ctx, LG_INPUT, "job file '%s' line %d: %s", path, rc, p.err);
		else
			st = lg_ctx_error(ctx, LG_INPUT,
					  "job file '%s' line %d: not 'key = value' or '[section]' "
					  "(or longer than %d bytes); fix the line", path, rc, 200);
		goto done;
	}
	if (!p.has_kind) {
		st = lg_ctx_error(ctx, LG_INPUT, "job file '%s': [job] has no kind; add 'kind = "
				  "monthly' or 'kind = quarterly'", path);
		goto done;
	}
	if (j->kind == LG_REPORT_MONTHLY) {
		const char *s = p.period_text, *dots = strstr(s, "..");
		char from[64];
		if (!p.has_period) {
			st = lg_ctx_error(ctx, LG_INPUT, "job file '%s': a monthly job needs [job] "
					  "period = FROM..TO, e.g. 2026-10-01..2026-10-31", path);
			goto done;
		}
		if (!dots || (size_t)(dots - s) >= sizeof from) {
			st = lg_ctx_error(ctx, LG_INPUT, "job file '%s' line %d: period must be FROM..TO, "
					  "e.g. 2026-10-01..2026-10-31 (got '%s')", path,
					  line_of(path, "period"), s);
			goto done;
		}
		snprintf(from, sizeof from, "%.*s", (int)(dots - s), s);
		if (!lg_date_parse(from, &j->from) || !lg_date_parse(dots + 2, &j->to) ||
		    j->to < j->from) {
			st = lg_ctx_error(ctx, LG_INPUT, "job file '%s' line %d: period '%s' is not two "
					  "dates FROM..TO with FROM not after TO; write YYYY-MM-DD", path,
					  line_of(path, "period"), s);
			goto done;
		}
	} else {
		if (!p.has_quarter) {
			st = lg_ctx_error(ctx, LG_INPUT, "job file '%s': a quarterly job needs [job] "
					  "quarter = YYYYQn, e.g. 2026Q4", path);
			goto done;
		}
		if (!parse_quarter(p.quarter_text, &j->year, &j->quarter)) {
			st = lg_ctx_error(ctx, LG_INPUT, "job file '%s' line %d: quarter must be YYYYQn, "
					  "e.g. 2026Q4 (got '%s')", path, line_of(path, "quarter"),
					  p.quarter_text);
			goto done;
		}
		int m0 = (j->quarter - 1) * 3 + 1;
		int32_t next;
		days_of(j->year, m0, 1, &j->from);
		if (j->quarter == 4)
			days_of(j->year + 1, 1, 1, &next);
		else
			days_of(j->year, m0 + 3, 1, &next);
		j->to = next - 1;
	}
	if (!j->input[LG_RIN_PARCELS]) {
		st = lg_ctx_error(ctx, LG_INPUT, "job file '%s': [inputs] has no parcels; name the "
				  "land-supply parcels, e.g. 'parcels = parcels.gpkg'", path);
		goto done;
	}
	if (j->inner_m >= j->outer_m) {
		st = lg_ctx_error(ctx, LG_INPUT, "job file '%s': [options] inner (%g) must be less "
				  "than outer (%g)", path, j->inner_m, j->outer_m);
		goto done;
	}
	for (int o = 0; o < LG_ROUT__COUNT; o++)
		if (!j->output[o] && !(j->output[o] = lg__strdup(ctx, output_defaults[o]))) {
			st = LG_NOMEM;
			goto done;
		}
	for (int a = 0; a < LG_ROUT__COUNT; a++)
		for (int b = a + 1; b < LG_ROUT__COUNT; b++)
			if (!strcmp(j->output[a], j->output[b])) {
				st = lg_ctx_error(ctx, LG_INPUT, "job file '%s': [outputs] %s and %s are "
						  "both '%s'; give them different names", path,
						  output_keys[a], output_keys[b], j->output[a]);
				goto done;
			}
done:
	if (st) {
		lg_report_job_destroy(j);
		return st;
	}
	*out = j;
	return LG_OK;
}

/* The file part of a source: "a.gpkg#layer" -> "a.gpkg". */
static bool source_exists(const char *src, char *file, size_t n)
{
	struct stat sb;
	const char *hash = strrchr(src, '#');
	size_t len = hash ? (size_t)(hash - src) : strlen(src);
	snprintf(file, n, "%.*s", (int)len, src);
	return stat(file, &sb) == 0 || stat(src, &sb) == 0;
}

lg_status lg_report_job_check(lg_ctx *ctx, const lg_report_job *j)
{
	char file[4096];
	for (int i = 0; i < LG_RIN__COUNT; i++) {
		const char *s = j->input[i];
		if (!s || !strncmp(s, "PG:", 3))
			continue;
		if (!source_exists(s, file, sizeof file))
			return lg_ctx_error(ctx, LG_NOFILE, "job file '%s': [inputs] %s = '%s': no such "
					    "file; fix the path (relative to the job file)", j->path,
					    input_keys[i], file);
	}
	if (j->previous && !source_exists(j->previous, file, sizeof file))
		return lg_ctx_error(ctx, LG_NOFILE, "job file '%s': [job] previous = '%s': no such "
				    "file or report directory; give the previous run's findings.csv "
				    "or its report directory", j->path, file);
	return LG_OK;
}
