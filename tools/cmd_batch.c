/* landguard batch: a job's checks for many areas (every county of a city),
 * one worker process per area, --threads of them at a time.
 *
 * A process per area rather than a thread: one area's bad data, a GEOS
 * abort or running out of memory ends that process only; the batch goes
 * on and the roll-up says which area failed and why.  Workers start from
 * fork() of a parent that has read only the job and the area outlines (no
 * threads running), and talk back through a pipe.  Nothing from a job file
 * is ever run as a command. */
#define _GNU_SOURCE
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stddef.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line = "landguard batch --config JOB.ini [--threads N] [-o OUTDIR] [--json]";
static const char *description =
	"Runs the job's tasks for every area of an areas layer (e.g. the counties of a\n"
	"city), one worker process per area, --threads at a time (default: the job's\n"
	"threads, else all cores).  Tasks, in this order, each one optional:\n"
	"  [task.overlay]   sites against the plan        -> OUTDIR/<area>/overlay.<format>\n"
	"  [task.check]     the 一住两公 rules YZ-01..09  -> OUTDIR/<area>/findings.<format>\n"
	"  [task.riverbuf]  30-50 m river belts           -> OUTDIR/<area>/riverbuf.<format>\n"
	"                                                   (segments.<format> with segments = yes)\n"
	"  [task.gwzone]    HJ 338 zones round the wells  -> OUTDIR/<area>/gw_zones.<format>,\n"
	"                                                   gw_hits.<format> (with sources)\n"
	"Per area, the features counted (sites, parcels, wells) are those whose\n"
	"point-on-surface lies in the area's outline, so the areas' counts add up to the\n"
	"city's; evidence around them (register sites within `near`, waters within twice\n"
	"the band width, pollution sources in the zones) is read from a window round the\n"
	"area.  OUTDIR/rollup.csv and rollup.xlsx: one row per area, `area status`, then\n"
	"each task's columns (see docs/workspace.md), then `error`.  An area whose data is\n"
	"bad fails as a whole at its first error, with the message in the roll-up; the\n"
	"other areas go on, and the exit status is then 3.  Nothing in a job file is run\n"
	"as a command; outputs go only under OUTDIR (an `out` with '..' is refused).\n\n"
	"JOB.ini (paths relative to the job file):\n"
	"  [job]\n"
	"  areas = ../../shared/data/yuncheng_counties.geojson   ; PATH or PATH#LAYER\n"
	"  name_field = name\n"
	"  threads = 2\n"
	"  out = out\n"
	"  s_srs = EPSG:4525        ; CRS of inputs that declare none (optional)\n"
	"  [task.overlay]\n"
	"  sites = data/sites.gpkg#sites\n"
	"  plan = data/plan.gpkg\n"
	"  min_area = 0.01          ; m²\n"
	"  format = xlsx            ; ledger format: xlsx, csv, gpkg, shp, geojson\n"
	"  [task.check]\n"
	"  parcels = data/parcels.gpkg\n"
	"  sites = data/sites.gpkg#sites     ; also: plan, units, samples, ledger (repeatable)\n"
	"  period = 2026-10-01..2026-10-31   ; optional: the monthly 清零 list\n"
	"  near = 500\n"
	"  [task.riverbuf]\n"
	"  boundary = data/water.gpkg#mgmt_area\n"
	"  parcels = data/survey.gpkg\n"
	"  inner = 30\n"
	"  outer = 50\n"
	"  segments = yes           ; also the clear width per stretch (segment_length = 100)\n"
	"  [task.gwzone]\n"
	"  wells = data/wells.gpkg\n"
	"  sources = data/sources.gpkg       ; optional: hits; also method, radius_pick, type_field";
static const char *examples =
	"  landguard batch --config examples/batch_yuncheng/job.ini\n"
	"  landguard batch --config job.ini --threads 2 -o out/2026Q3 --workspace city.sqlite\n";

static const cli_opt opts[] = {
	{"config", 0, "JOB.ini", "the job file"},
	{NULL, 0, NULL, NULL},
};

/* --- the job file --------------------------------------------------- */

enum { T_OVERLAY, T_CHECK, T_RIVERBUF, T_GWZONE, T__COUNT };
static const char *const task_name[T__COUNT] = {"overlay", "check", "riverbuf", "gwzone"};

#define MAX_LEDGERS 16

typedef struct job {
	char dir[PATH_MAX]; /* of the job file: relative paths start here */
	char *areas, *name_field, *out, *s_srs;
	int threads;
	bool has[T__COUNT];
	char *format[T__COUNT];
	/* overlay */
	char *sites, *plan, *stage_default;
	double min_area;
	/* check */
	char *ck_parcels, *ck_plan, *ck_sites, *ck_units, *ck_samples, *ck_period;
	char *ck_stage_default;
	char *ck_ledgers[MAX_LEDGERS];
	size_t ck_nledgers;
	double ck_near, ck_min_area;
	/* riverbuf */
	char *rb_boundary, *rb_parcels, *rb_segments;
	double rb_inner, rb_outer, rb_seg_len, rb_min_area;
	/* gwzone */
	char *gw_wells, *gw_sources, *gw_method, *gw_pick, *gw_type_field;
	char bad[512]; /* first problem found while parsing */
} job;

static char *job_path(const job *j, const char *v)
{
	char *p;
	if (!strncmp(v, "PG:", 3) || v[0] == '/')
		return strdup(v);
	if (asprintf(&p, "%s/%s", j->dir, v) < 0)
		return NULL;
	return p;
}

enum key_kind { K_STR, K_PATH, K_NUM, K_LEDGER };

typedef struct job_key {
	int task; /* -1 = [job] */
	const char *key;
	enum key_kind kind;
	size_t off;
	double min; /* K_NUM: smallest value allowed */
	bool positive; /* K_NUM: more than min, not equal */
} job_key;

#define JK(t, k, kind, field, min, pos) {t, k, kind, offsetof(job, field), min, pos}
static const job_key job_keys[] = {
	JK(-1, "areas", K_PATH, areas, 0, 0),
	JK(-1, "name_field", K_STR, name_field, 0, 0),
	JK(-1, "s_srs", K_STR, s_srs, 0, 0),
	JK(-1, "out", K_STR, out, 0, 0), /* checked, then made a path */
	JK(T_OVERLAY, "sites", K_PATH, sites, 0, 0),
	JK(T_OVERLAY, "plan", K_PATH, plan, 0, 0),
	JK(T_OVERLAY, "stage_default", K_STR, stage_default, 0, 0),
	JK(T_OVERLAY, "min_area", K_NUM, min_area, 0, 0),
	JK(T_CHECK, "parcels", K_PATH, ck_parcels, 0, 0),
	JK(T_CHECK, "plan", K_PATH, ck_plan, 0, 0),
	JK(T_CHECK, "sites", K_PATH, ck_sites, 0, 0),
	JK(T_CHECK, "units", K_PATH, ck_units, 0, 0),
	JK(T_CHECK, "samples", K_PATH, ck_samples, 0, 0),
	JK(T_CHECK, "ledger", K_LEDGER, ck_ledgers, 0, 0),
	JK(T_CHECK, "period", K_STR, ck_period, 0, 0),
	JK(T_CHECK, "stage_default", K_STR, ck_stage_default, 0, 0),
	JK(T_CHECK, "near", K_NUM, ck_near, 0, 1),
	JK(T_CHECK, "min_area", K_NUM, ck_min_area, 0, 0),
	JK(T_RIVERBUF, "boundary", K_PATH, rb_boundary, 0, 0),
	JK(T_RIVERBUF, "parcels", K_PATH, rb_parcels, 0, 0),
	JK(T_RIVERBUF, "segments", K_STR, rb_segments, 0, 0),
	JK(T_RIVERBUF, "inner", K_NUM, rb_inner, 0, 1),
	JK(T_RIVERBUF, "outer", K_NUM, rb_outer, 0, 1),
	JK(T_RIVERBUF, "segment_length", K_NUM, rb_seg_len, 0, 1),
	JK(T_RIVERBUF, "min_area", K_NUM, rb_min_area, 0, 0),
	JK(T_GWZONE, "wells", K_PATH, gw_wells, 0, 0),
	JK(T_GWZONE, "sources", K_PATH, gw_sources, 0, 0),
	JK(T_GWZONE, "method", K_STR, gw_method, 0, 0),
	JK(T_GWZONE, "radius_pick", K_STR, gw_pick, 0, 0),
	JK(T_GWZONE, "type_field", K_STR, gw_type_field, 0, 0),
};

static const char *const formats[] = {"xlsx", "csv", "gpkg", "shp", "geojson", NULL};

/* True when a relative path climbs out of its folder ("..", "a/../../b"). */
static bool climbs_out(const char *p)
{
	int depth = 0;
	while (*p) {
		size_t n = strcspn(p, "/\\");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			depth--;
		else if (n && !(n == 1 && p[0] == '.'))
			depth++;
		if (depth < 0)
			return true;
		p += n;
		p += strspn(p, "/\\");
	}
	return false;
}

static int on_ini(void *ud, const char *section, const char *key, const char *value)
{
	job *j = ud;
	int task = -2;
	if (!strcmp(section, "job"))
		task = -1;
	for (int t = 0; t < T__COUNT && task == -2; t++)
		if (!strncmp(section, "task.", 5) && !strcmp(section + 5, task_name[t]))
			task = t;
	if (task == -2) {
		if (!strncmp(section, "task.", 5))
			snprintf(j->bad, sizeof j->bad,
				 "unknown task [%s]; tasks are [task.overlay], [task.check], "
				 "[task.riverbuf] and [task.gwzone]", section);
		else
			snprintf(j->bad, sizeof j->bad, "unknown section [%s]; use [job] and [task.*]",
				 section);
		return 0;
	}
	if (task >= 0)
		j->has[task] = true;
	if (task == -1 && !strcmp(key, "threads")) {
		char *end;
		long n = strtol(value, &end, 10);
		if (end == value || *end || n < 1 || n > 256) {
			snprintf(j->bad, sizeof j->bad,
				 "[job] threads must be a whole number from 1 to 256 (got '%s')", value);
			return 0;
		}
		j->threads = (int)n;
		return 1;
	}
	if (task >= 0 && !strcmp(key, "format")) {
		for (int k = 0; formats[k]; k++)
			if (!strcmp(value, formats[k])) {
				free(j->format[task]);
				return (j->format[task] = strdup(value)) != NULL;
			}
		snprintf(j->bad, sizeof j->bad,
			 "[%s] format must be xlsx, csv, gpkg, shp or geojson (got '%s')", section,
			 value);
		return 0;
	}
	for (size_t k = 0; k < sizeof job_keys / sizeof *job_keys; k++) {
		const job_key *jk = &job_keys[k];
		if (jk->task != task || strcmp(jk->key, key))
			continue;
		void *slot = (char *)j + jk->off;
		if (jk->kind == K_NUM) {
			char *end;
			double v = strtod(value, &end);
			if (end == value || *end || !isfinite(v) || v < jk->min ||
			    (jk->positive && v <= jk->min)) {
				snprintf(j->bad, sizeof j->bad, "[%s] %s must be a number %s %g (got '%s')",
					 section, key, jk->positive ? "more than" : "of at least", jk->min,
					 value);
				return 0;
			}
			*(double *)slot = v;
			return 1;
		}
		if (jk->kind == K_LEDGER) {
			if (j->ck_nledgers == MAX_LEDGERS) {
				snprintf(j->bad, sizeof j->bad, "[%s] at most %d ledger lines", section,
					 MAX_LEDGERS);
				return 0;
			}
			return (j->ck_ledgers[j->ck_nledgers++] = job_path(j, value)) != NULL;
		}
		if (task == -1 && !strcmp(key, "out") && climbs_out(value)) {
			snprintf(j->bad, sizeof j->bad,
				 "[job] out = '%s' leaves the job's folder through '..'; outputs stay "
				 "under it: give a folder below the job file, an absolute path, or -o OUTDIR",
				 value);
			return 0;
		}
		char **sp = slot;
		free(*sp);
		*sp = jk->kind == K_PATH || (task == -1 && !strcmp(key, "out")) ? job_path(j, value)
									      : strdup(value);
		return *sp != NULL;
	}
	snprintf(j->bad, sizeof j->bad, "unknown key '%s' in [%s]", key, section);
	return 0;
}

static void job_release(job *j)
{
	for (size_t k = 0; k < sizeof job_keys / sizeof *job_keys; k++)
		if (job_keys[k].kind == K_STR || job_keys[k].kind == K_PATH)
			free(*(char **)((char *)j + job_keys[k].off));
	for (size_t i = 0; i < j->ck_nledgers; i++)
		free(j->ck_ledgers[i]);
	for (int t = 0; t < T__COUNT; t++)
		free(j->format[t]);
}

static const char *fmt_of(const job *j, int task)
{
	return j->format[task] ? j->format[task] : "xlsx";
}

static bool yes(const char *v)
{
	return v && (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
		     !strcasecmp(v, "on"));
}

/* --- one area, in its own process ------------------------------------ */

enum { ST_NOT_RUN = 0, ST_OK, ST_FAILED };

/* What a worker sends back: this struct as bytes, then the error message.
 * The parent is the same program (fork), so the layout agrees. */
typedef struct area_res {
	int task_status[T__COUNT];
	/* overlay */
	size_t sites, pairs, overlapping, conflict_sites;
	double overlap_m2, conflict_m2;
	/* check */
	size_t ck_parcels, ck_findings, ck_sev[LG_SEV__COUNT];
	/* riverbuf */
	size_t rb_parcels, rb_rows, rb_in_bands, rb_conflict_parcels, rb_stretches,
		rb_stretches_meeting;
	double rb_occupied_m2[2], rb_conflict_m2[2];
	/* gwzone */
	size_t gw_wells, gw_parts, gw_sources, gw_hits[LG_GWZ__LEVELS];
	double gw_area_m2[LG_GWZ__LEVELS];
} area_res;

#define MAX_MSG 4000

typedef struct area {
	size_t index;    /* feature index in the areas layer */
	char *name;      /* as in the areas layer */
	char *dirname;   /* safe as a folder name */
	/* results */
	bool ok;
	char *error;
	area_res r;
	long rss_kb; /* the worker's peak resident set */
	pid_t pid;
	int fd; /* read end of the worker's pipe */
} area;

static void on_area_log(void *ud, lg_log_level lv, const char *msg)
{
	const area *a = ud;
	if (lv == LG_LOG_DEBUG)
		return;
	fprintf(stderr, "landguard batch [%s]: %s%s\n", a->name, lv == LG_LOG_WARN ? "warning: " : "",
		msg);
}

/* What every task of one area shares. */
typedef struct area_env {
	lg_ctx *ctx;
	const job *j;
	area *a;
	char dir[PATH_MAX];
	const lg_geom *outline;     /* in the areas layer's CRS (borrowed) */
	const lg_crs *outline_crs;
	lg_layer *outline_w;        /* the outline alone, in `work` */
	lg_crs *work;               /* the area's working CRS */
	lg_landuse *lu;
} area_env;

static void out_path(const area_env *e, char *buf, size_t n, const char *base, int task)
{
	snprintf(buf, n, "%s/%s.%s", e->dir, base, fmt_of(e->j, task));
}

/* Strips the geometry from a table output (CSV, XLSX), as `check` does. */
static bool table_fmt(const char *fmt)
{
	return !strcmp(fmt, "csv") || !strcmp(fmt, "xlsx");
}

/* Reads `src`, keeps the features whose point on surface lies in the area,
 * in the area's working CRS. */
static lg_status read_in_area(area_env *e, const char *src, lg_layer **out)
{
	lg_read_opts ro = {0};
	lg_layer *all = NULL;
	lg_status st;
	*out = NULL;
	ro.s_srs = e->j->s_srs;
	ro.filter = e->outline_w->feat[0].geom;
	ro.filter_crs = e->work;
	if ((st = lg_layer_read(e->ctx, src, &ro, &all)))
		return st;
	if (!all->crs && all->n > all->nempty)
		st = lg_ctx_error(e->ctx, LG_NOCRS, "'%s' has no CRS; set [job] s_srs", src);
	if (!st && all->crs)
		st = lg_layer_subset_in(e->ctx, all, e->outline, e->outline_crs, e->a->name, out);
	if (!st && *out)
		st = lg_layer_reproject(e->ctx, *out, e->work);
	lg_layer_destroy(e->ctx, all);
	return st;
}

/* How far the features of `l` (in work) reach beyond the area's outline. */
static double reach_out(const area_env *e, const lg_layer *l)
{
	const lg_layer *o = e->outline_w;
	double d = 0;
	if (!l || l->n == 0 || !isfinite(l->minx))
		return 0;
	d = fmax(d, o->minx - l->minx);
	d = fmax(d, o->miny - l->miny);
	d = fmax(d, l->maxx - o->maxx);
	d = fmax(d, l->maxy - o->maxy);
	return d;
}

/* Reads evidence round the area: features whose envelope meets the
 * outline's grown by `grow_m`, all kept, in work. */
static lg_status read_near(area_env *e, const char *src, double grow_m, lg_layer **out)
{
	lg_read_opts ro = {0};
	lg_status st;
	*out = NULL;
	ro.s_srs = e->j->s_srs;
	ro.filter = e->outline_w->feat[0].geom;
	ro.filter_crs = e->work;
	ro.filter_grow = grow_m;
	if ((st = lg_layer_read(e->ctx, src, &ro, out)))
		return st;
	if (!(*out)->crs) {
		if ((*out)->n == (*out)->nempty)
			return LG_OK;
		return lg_ctx_error(e->ctx, LG_NOCRS, "'%s' has no CRS; set [job] s_srs", src);
	}
	return lg_layer_reproject(e->ctx, *out, e->work);
}

static lg_status write_out(area_env *e, lg_layer *l, const char *path, const char *lname)
{
	lg_write_opts wo = {0};
	wo.layer_name = lname;
	return lg_layer_write(e->ctx, l, path, &wo);
}

static lg_status task_overlay(area_env *e, area_res *r)
{
	lg_ctx *ctx = e->ctx;
	const job *j = e->j;
	lg_layer *sites_all = NULL, *sites = NULL, *res = NULL;
	lg_rows *plan = NULL;
	lg_crs *work = NULL;
	lg_overlay_opts oo = {0};
	lg_overlay_summary sum;
	lg_read_opts ro = {0};
	lg_rows_opts rwo = {0};
	lg_status st;
	char path[PATH_MAX + 64];

	ro.s_srs = rwo.read.s_srs = j->s_srs;
	if ((st = lg_rows_open(ctx, j->plan, &rwo, &plan)))
		goto done;
	const lg_layer *ps = lg_rows_schema(plan);
	if (!ps->crs) {
		st = lg_ctx_error(ctx, LG_NOCRS, "'%s' has no CRS", j->plan);
		goto done;
	}
	if ((st = lg_crs_work_for(ctx, ps->crs, ps->minx, ps->miny, ps->maxx, ps->maxy, &work)))
		goto done;
	/* Only this area's part of the register: another area's bad rows
	 * must not fail this one. */
	ro.filter = e->outline;
	ro.filter_crs = e->outline_crs;
	if ((st = lg_layer_read(ctx, j->sites, &ro, &sites_all)))
		goto done;
	if (!sites_all->crs) {
		st = lg_ctx_error(ctx, LG_NOCRS, "'%s' has no CRS", j->sites);
		goto done;
	}
	if ((st = lg_layer_reproject(ctx, sites_all, work)))
		goto done;
	if ((st = lg_layer_subset_in(ctx, sites_all, e->outline, e->outline_crs, e->a->name,
				      &sites)))
		goto done;
	if (j->stage_default) {
		lg_stage_parse(j->stage_default, &oo.stage_default); /* checked by the parent */
		oo.has_stage_default = true;
	}
	oo.min_area_m2 = j->min_area;
	oo.landuse = e->lu;
	if ((st = lg_overlay_run(ctx, sites, plan, work, &oo, &res, &sum)))
		goto done;
	out_path(e, path, sizeof path, "overlay", T_OVERLAY);
	if ((st = write_out(e, res, path, "overlay")))
		goto done;
	r->sites = sum.sites;
	r->pairs = sum.pairs;
	r->overlapping = sum.sites_overlapping;
	r->conflict_sites = sum.conflict_sites;
	r->overlap_m2 = sum.overlap_m2;
	r->conflict_m2 = sum.conflict_m2;
done:
	lg_layer_destroy(ctx, res);
	lg_layer_destroy(ctx, sites);
	lg_layer_destroy(ctx, sites_all);
	lg_rows_close(ctx, plan);
	lg_crs_destroy(work);
	return st;
}

static lg_status task_check(area_env *e, area_res *r)
{
	lg_ctx *ctx = e->ctx;
	const job *j = e->j;
	lg_layer *parcels = NULL, *sites = NULL, *units = NULL, *samples = NULL, *out = NULL;
	lg_rows *plan = NULL;
	lg_ledger *ledger = NULL;
	lg_soil_limits *soil = NULL;
	lg_check_tables *tables = NULL;
	lg_check_opts opt = {0};
	lg_check_inputs in = {0};
	lg_check_summary sum;
	lg_status st;
	char path[PATH_MAX + 64];
	double near_m = j->ck_near > 0 ? j->ck_near : 500;

	if ((st = lg_check_tables_load(ctx, NULL, &tables)))
		goto done;
	if (j->ck_samples && (st = lg_soil_limits_load(ctx, NULL, &soil)))
		goto done;
	if ((st = read_in_area(e, j->ck_parcels, &parcels)))
		goto done;
	/* Register sites, units and samples near the area's parcels are
	 * evidence for them (YZ-02 overlap, YZ-06 within near_m); they are not
	 * counted, so a window is enough. */
	double grow = reach_out(e, parcels) + near_m + 1;
	if ((j->ck_sites && (st = read_near(e, j->ck_sites, grow, &sites))) ||
	    (j->ck_units && (st = read_near(e, j->ck_units, grow, &units))) ||
	    (j->ck_samples && (st = read_near(e, j->ck_samples, grow, &samples))))
		goto done;
	if (j->ck_plan) {
		lg_rows_opts rwo = {0};
		rwo.read.s_srs = j->s_srs;
		if ((st = lg_rows_open(ctx, j->ck_plan, &rwo, &plan)))
			goto done;
	}
	if (j->ck_nledgers) {
		lg_read_opts ro = {0};
		ro.s_srs = j->s_srs;
		if ((st = lg_ledger_read(ctx, (const char *const *)j->ck_ledgers, j->ck_nledgers, &ro,
					 &ledger)))
			goto done;
	}
	in.parcels = parcels;
	in.plan = plan;
	in.sites = sites;
	in.units = units;
	in.samples = samples;
	in.ledger = ledger;
	in.work = e->work;
	opt.landuse = e->lu;
	opt.soil = soil;
	opt.tables = tables;
	opt.near_m = near_m;
	opt.min_overlap_m2 = j->ck_min_area;
	if (j->ck_period) {
		/* checked by the parent */
		const char *dots = strstr(j->ck_period, "..");
		char from[64];
		snprintf(from, sizeof from, "%.*s", (int)(dots - j->ck_period), j->ck_period);
		lg_date_parse(from, &opt.period_from);
		lg_date_parse(dots + 2, &opt.period_to);
		opt.has_period = true;
	}
	if (j->ck_stage_default) {
		lg_stage_parse(j->ck_stage_default, &opt.stage_default);
		opt.has_stage_default = true;
	}
	if ((st = lg_check_run(ctx, &in, &opt, &out, &sum)))
		goto done;
	if (table_fmt(fmt_of(j, T_CHECK)))
		for (size_t i = 0; i < out->n; i++)
			lg_feature_set_geom(ctx, &out->feat[i], NULL);
	out_path(e, path, sizeof path, "findings", T_CHECK);
	if ((st = write_out(e, out, path, "findings")))
		goto done;
	r->ck_parcels = sum.parcels_checked;
	r->ck_findings = sum.findings;
	memcpy(r->ck_sev, sum.by_severity, sizeof r->ck_sev);
done:
	lg_layer_destroy(ctx, out);
	lg_layer_destroy(ctx, parcels);
	lg_layer_destroy(ctx, sites);
	lg_layer_destroy(ctx, units);
	lg_layer_destroy(ctx, samples);
	lg_rows_close(ctx, plan);
	lg_ledger_destroy(ledger);
	lg_soil_limits_destroy(soil);
	lg_check_tables_destroy(tables);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* riverbuf per area: the parcels of a window round the area go in (a
 * stretch's clear width depends on the construction land on both sides of
 * the area's edge), then the rows are kept for the parcels whose point on
 * surface lies in the area, and the stretches whose point on the line does:
 * both then add up over the areas to what one city-wide run gives. */
static lg_status task_riverbuf(area_env *e, area_res *r)
{
	lg_ctx *ctx = e->ctx;
	const job *j = e->j;
	lg_layer *window = NULL, *mine = NULL, *water = NULL, *out = NULL, *segs = NULL;
	lg_layer *segs_in = NULL;
	lg_rows *rows = NULL;
	lg_riverbuf_opts opt = {0};
	lg_riverbuf_summary sum = {0};
	lg_status st;
	char path[PATH_MAX + 64];
	char **ids = NULL;
	bool *keep = NULL;
	size_t nids = 0;

	opt.inner_m = j->rb_inner > 0 ? j->rb_inner : 30;
	opt.outer_m = j->rb_outer > 0 ? j->rb_outer : 50;
	opt.segment_m = j->rb_seg_len > 0 ? j->rb_seg_len : 100;
	opt.min_area_m2 = j->rb_min_area > 0 ? j->rb_min_area : 0.01;
	opt.landuse = e->lu;
	opt.segments = yes(j->rb_segments);
	opt.allow_empty = true; /* an area far from every river has no band */
	if ((st = read_near(e, j->rb_parcels, opt.segment_m + 2 * opt.outer_m + 1, &window)))
		goto done;
	if (!window->crs) {
		st = lg_ctx_error(ctx, LG_NOCRS, "'%s' has no CRS; set [job] s_srs", j->rb_parcels);
		goto done;
	}
	if ((st = lg_layer_subset_in(ctx, window, e->outline, e->outline_crs, e->a->name, &mine)))
		goto done;
	r->rb_parcels = mine->n;
	ids = calloc(mine->n + 1, sizeof *ids);
	if (!ids) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < mine->n; i++)
		if (!(ids[nids++] = strdup(lg_feature_id(mine, &mine->feat[i])))) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
	qsort(ids, nids, sizeof *ids, cmp_str);
	/* The waters whose bands reach the window, and their neighbours that
	 * decide which water a point is nearest to. */
	double grow = reach_out(e, window) + 2 * opt.outer_m + 1;
	if ((st = read_near(e, j->rb_boundary, grow, &water)))
		goto done;
	if ((st = lg_rows_from_layer(ctx, window, NULL, &rows)))
		goto done;
	window = NULL;
	if ((st = lg_riverbuf_run(ctx, water, rows, e->work, &opt, &out, &segs, &sum)))
		goto done;
	/* Rows of this area's parcels only, and their totals. */
	int fid = lg_layer_field(out, "parcel_id"), fband = lg_layer_field(out, "band");
	int farea = lg_layer_field(out, "overlap_m2"), fconf = lg_layer_field(out, "conflict");
	char b0[64];
	lg_riverbuf_band_label(&opt, 0, b0, sizeof b0);
	keep = calloc(out->n + 1, sizeof *keep);
	if (!keep || fid < 0 || fband < 0 || farea < 0 || fconf < 0) {
		st = lg_ctx_error(ctx, keep ? LG_INTERNAL : LG_NOMEM, "riverbuf rows: %s",
				  keep ? "columns missing" : "out of memory");
		goto done;
	}
	const char *last_in = NULL, *last_conf = NULL;
	for (size_t i = 0; i < out->n; i++) {
		const lg_feature *f = &out->feat[i];
		const char *id = f->vals[fid].null ? "" : f->vals[fid].u.s;
		if (!bsearch(&id, ids, nids, sizeof *ids, cmp_str))
			continue;
		keep[i] = true;
		int band = !f->vals[fband].null && strcmp(f->vals[fband].u.s, b0) != 0;
		double a = f->vals[farea].null ? 0 : f->vals[farea].u.d;
		bool conf = !f->vals[fconf].null && f->vals[fconf].u.i;
		r->rb_rows++;
		r->rb_occupied_m2[band] += a;
		/* rows are sorted by parcel_id: count each parcel once */
		if (!last_in || strcmp(last_in, id))
			r->rb_in_bands++, last_in = id;
		if (conf) {
			r->rb_conflict_m2[band] += a;
			if (!last_conf || strcmp(last_conf, id))
				r->rb_conflict_parcels++, last_conf = id;
		}
	}
	lg_layer_keep(ctx, out, keep);
	out_path(e, path, sizeof path, "riverbuf", T_RIVERBUF);
	if ((st = write_out(e, out, path, "riverbuf")))
		goto done;
	if (segs) {
		if (segs->n && (st = lg_layer_subset_in(ctx, segs, e->outline, e->outline_crs,
							e->a->name, &segs_in)))
			goto done;
		lg_layer *sl = segs_in ? segs_in : segs;
		int fm = lg_layer_field(sl, "meets_min");
		r->rb_stretches = sl->n;
		for (size_t i = 0; i < sl->n && fm >= 0; i++)
			r->rb_stretches_meeting += !sl->feat[i].vals[fm].null && sl->feat[i].vals[fm].u.i;
		out_path(e, path, sizeof path, "segments", T_RIVERBUF);
		if ((st = write_out(e, sl, path, "segments")))
			goto done;
	}
done:
	for (size_t i = 0; i < nids; i++)
		free(ids[i]);
	free(ids);
	free(keep);
	lg_riverbuf_summary_release(&sum);
	lg_layer_destroy(ctx, out);
	lg_layer_destroy(ctx, segs);
	lg_layer_destroy(ctx, segs_in);
	lg_layer_destroy(ctx, water);
	lg_layer_destroy(ctx, window);
	lg_layer_destroy(ctx, mine);
	lg_rows_close(ctx, rows);
	return st;
}

static lg_status task_gwzone(area_env *e, area_res *r)
{
	static const char *const tf[] = {"source_type", "类型", "污染源类型", "type", NULL};
	lg_ctx *ctx = e->ctx;
	const job *j = e->j;
	lg_layer *wells = NULL, *hits = NULL;
	lg_rows *src = NULL;
	lg_hj338 *t = NULL;
	lg_gwzones *z = NULL;
	lg_gwzone_opts zo = {0};
	lg_gwz_hits_summary hs = {0};
	lg_status st;
	char path[PATH_MAX + 64];

	if (j->gw_method)
		lg_gwz_method_parse(j->gw_method, &zo.method); /* checked by the parent */
	if (j->gw_pick)
		lg_gwz_pick_parse(j->gw_pick, &zo.pick);
	if ((st = lg_hj338_load(ctx, &t)))
		goto done;
	/* The area's wells; their zones may reach over its edge. */
	if ((st = read_in_area(e, j->gw_wells, &wells)) ||
	    (st = lg_gwzone_run(ctx, t, wells, e->work, &zo, &z)))
		goto done;
	out_path(e, path, sizeof path, "gw_zones", T_GWZONE);
	if ((st = write_out(e, z->layer, path, "zones")))
		goto done;
	r->gw_wells = z->nwells;
	for (int l = 0; l < LG_GWZ__LEVELS; l++) {
		r->gw_area_m2[l] = z->area_m2[l];
		r->gw_parts += z->nparts[l];
	}
	if (j->gw_sources && z->nwells) {
		double reach = 0;
		lg_rows_opts rwo = {0};
		for (size_t i = 0; i < z->nwells; i++)
			for (int l = 0; l < LG_GWZ__LEVELS; l++)
				reach = fmax(reach, z->wells[i].radius_m[l]);
		rwo.read.s_srs = j->s_srs;
		rwo.read.filter = e->outline_w->feat[0].geom;
		rwo.read.filter_crs = e->work;
		rwo.read.filter_grow = reach_out(e, wells) + reach + 1;
		for (int k = 0; !src && (j->gw_type_field ? k == 0 : tf[k] != NULL); k++) {
			rwo.extra_field = j->gw_type_field ? j->gw_type_field : tf[k];
			if ((st = lg_rows_open(ctx, j->gw_sources, &rwo, &src)))
				goto done;
			if (lg_layer_field(lg_rows_schema(src), rwo.extra_field) < 0) {
				lg_rows_close(ctx, src);
				src = NULL;
			}
		}
		if (!src) {
			st = lg_ctx_error(ctx, LG_FIELD, "'%s' has no source type field %s%s%s; name "
					  "it with [task.gwzone] type_field", j->gw_sources,
					  j->gw_type_field ? "'" : "(source_type, 类型, 污染源类型)",
					  j->gw_type_field ? j->gw_type_field : "",
					  j->gw_type_field ? "'" : "");
			goto done;
		}
		if (!lg_rows_schema(src)->crs) {
			st = lg_ctx_error(ctx, LG_NOCRS, "'%s' has no CRS; set [job] s_srs",
					  j->gw_sources);
			goto done;
		}
		if ((st = lg_gwzone_hits(ctx, t, z, src, e->work, &hits, &hs)))
			goto done;
	}
	if (j->gw_sources) {
		if (!hits) { /* no wells: an empty table all the same */
			static const lg_field f[] = {{"source_id", LG_FT_STRING, 0},
						     {"level", LG_FT_STRING, 0}};
			if ((st = lg_layer_create(ctx, "hits", f, 2, &hits)))
				goto done;
			hits->geom_type = 100; /* wkbNone */
		}
		out_path(e, path, sizeof path, "gw_hits", T_GWZONE);
		if ((st = write_out(e, hits, path, "hits")))
			goto done;
		r->gw_sources = hs.sources;
		memcpy(r->gw_hits, hs.hits, sizeof r->gw_hits);
	}
done:
	lg_layer_destroy(ctx, hits);
	lg_layer_destroy(ctx, wells);
	lg_rows_close(ctx, src);
	lg_gwzones_destroy(ctx, z);
	lg_hj338_destroy(t);
	return st;
}

static lg_status (*const task_fn[T__COUNT])(area_env *, area_res *) = {
	task_overlay, task_check, task_riverbuf, task_gwzone};

/* The outline of area `i` alone, as a one-feature layer in the CRS that
 * suits it (its own GK zone), in *outline_w. */
static lg_status outline_layer(lg_ctx *ctx, const lg_layer *areas, size_t i, const char *name,
			       lg_layer **out, lg_crs **work)
{
	static const lg_field none[1] = {{"n", LG_FT_INT, 0}};
	lg_transform *t = NULL;
	lg_geom *g = NULL;
	lg_feature *f;
	lg_status st;
	*out = NULL;
	*work = NULL;
	if ((st = lg_layer_create(ctx, "outline", none, 0, out)) ||
	    (st = lg_crs_clone(ctx, areas->crs, &(*out)->crs)) ||
	    (st = lg_layer_add(ctx, *out, &f)) ||
	    (st = lg_transform_create(ctx, areas->crs, areas->crs, &t)) ||
	    (st = lg_transform_geom(ctx, t, areas->feat[i].geom, &g)))
		goto done;
	lg_feature_set_geom(ctx, f, g);
	lg_layer_update_extent(ctx, *out);
	if ((st = lg_crs_work_for(ctx, areas->crs, (*out)->minx, (*out)->miny, (*out)->maxx,
				  (*out)->maxy, work)))
		goto done;
	if (lg_crs_is_geographic(*work)) {
		st = lg_ctx_error(ctx, LG_NOCRS, "no metric working CRS for area '%s'", name);
		goto done;
	}
	st = lg_layer_reproject(ctx, *out, *work);
done:
	lg_transform_destroy(t);
	return st;
}

/* The worker: runs the job's tasks for one area, in order, stopping at the
 * first error; writes an area_res and the message to fd.  Returns the exit
 * code. */
static int run_area(const job *j, area *a, const char *outdir, int fd)
{
	area_env e = {0};
	area_res r = {0};
	lg_layer *areas = NULL;
	lg_read_opts ro = {0};
	lg_status st = LG_OK;
	int failed = -1;

	e.ctx = lg_ctx_create();
	e.j = j;
	e.a = a;
	if (!e.ctx)
		return 5;
	lg_ctx_set_log(e.ctx, on_area_log, a);
	lg_ctx_set_threads(e.ctx, 1);
	snprintf(e.dir, sizeof e.dir, "%s/%s", outdir, a->dirname);
	if (mkdir(e.dir, 0755) != 0 && errno != EEXIST) {
		st = lg_ctx_error(e.ctx, LG_WRITE, "cannot create folder '%s': %s", e.dir,
				  strerror(errno));
		goto done;
	}
	/* The outline, read again here: the parent hands over only an index. */
	ro.s_srs = j->s_srs;
	if (j->name_field)
		ro.role_field[LG_ROLE_NAME] = j->name_field;
	/* The parent has warned about the areas layer already. */
	lg_ctx_set_log(e.ctx, NULL, NULL);
	st = lg_layer_read(e.ctx, j->areas, &ro, &areas);
	lg_ctx_set_log(e.ctx, on_area_log, a);
	if (st)
		goto done;
	if (a->index >= areas->n) {
		st = lg_ctx_error(e.ctx, LG_INPUT, "'%s' changed while the batch ran", j->areas);
		goto done;
	}
	e.outline = areas->feat[a->index].geom;
	e.outline_crs = areas->crs;
	if (!e.outline) {
		st = lg_ctx_error(e.ctx, LG_GEOM,
				  "area '%s' has no outline geometry; fix it in the areas layer",
				  a->name);
		goto done;
	}
	if ((st = outline_layer(e.ctx, areas, a->index, a->name, &e.outline_w, &e.work)) ||
	    (st = lg_landuse_load(e.ctx, NULL, &e.lu)))
		goto done;
	for (int t = 0; t < T__COUNT && !st; t++) {
		if (!j->has[t])
			continue;
		st = task_fn[t](&e, &r);
		r.task_status[t] = st ? ST_FAILED : ST_OK;
		if (st)
			failed = t;
	}
done:;
	char msg[MAX_MSG + 64] = "";
	if (st) {
		/* One line: tabs and newlines would break the roll-up's cells. */
		size_t n = 0;
		int ntasks = 0;
		for (int t = 0; t < T__COUNT; t++)
			ntasks += j->has[t];
		if (failed >= 0 && ntasks > 1) /* which task, when there is a choice */
			n = (size_t)snprintf(msg, sizeof msg, "[task.%s] ", task_name[failed]);
		for (const char *p = lg_ctx_errmsg(e.ctx); *p && n < MAX_MSG; p++)
			msg[n++] = *p == '\t' || *p == '\n' ? ' ' : *p;
		msg[n] = '\0';
	}
	int rc = st ? lg_status_exit(st) : 0;
	if (write(fd, &r, sizeof r) != (ssize_t)sizeof r ||
	    (msg[0] && write(fd, msg, strlen(msg)) != (ssize_t)strlen(msg)))
		rc = rc ? rc : 5;
	lg_landuse_destroy(e.lu);
	lg_layer_destroy(e.ctx, e.outline_w);
	lg_layer_destroy(e.ctx, areas);
	lg_crs_destroy(e.work);
	lg_ctx_destroy(e.ctx);
	return rc;
}

/* Reads a finished worker's result and exit status into the area. */
static void collect(area *a, int status)
{
	char buf[sizeof(area_res) + MAX_MSG + 128];
	size_t n = 0;
	ssize_t rd;
	while (n < sizeof buf - 1 && (rd = read(a->fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)rd;
	buf[n] = '\0';
	close(a->fd);
	a->fd = -1;
	if (n >= sizeof a->r) {
		memcpy(&a->r, buf, sizeof a->r);
		if (n > sizeof a->r) {
			a->error = strdup(buf + sizeof a->r);
			return;
		}
		if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
			a->ok = true;
			return;
		}
	}
	memset(&a->r, 0, sizeof a->r);
	if (WIFSIGNALED(status)) {
		if (asprintf(&a->error, "the worker crashed (signal %d: %s); the area's data may "
					"be damaged or too large",
			     WTERMSIG(status), strsignal(WTERMSIG(status))) < 0)
			a->error = NULL;
	} else {
		if (asprintf(&a->error, "the worker stopped with exit status %d and no result",
			     WIFEXITED(status) ? WEXITSTATUS(status) : -1) < 0)
			a->error = NULL;
	}
}

/* --- the roll-up ------------------------------------------------------ */

typedef struct rcol {
	int task; /* -1 = always */
	lg_field f;
} rcol;

/* Column kinds filled by roll_value(). */
static const rcol rollup_cols[] = {
	{-1, {"area", LG_FT_STRING, 0}},
	{-1, {"status", LG_FT_STRING, 0}},
	{T_OVERLAY, {"sites", LG_FT_INT, 0}},
	{T_OVERLAY, {"pairs", LG_FT_INT, 0}},
	{T_OVERLAY, {"sites_overlapping", LG_FT_INT, 0}},
	{T_OVERLAY, {"conflict_sites", LG_FT_INT, 0}},
	{T_OVERLAY, {"overlap_m2", LG_FT_REAL, 0}},
	{T_OVERLAY, {"conflict_m2", LG_FT_REAL, 0}},
	{T_OVERLAY, {"overlap_mu", LG_FT_REAL, 0}},
	{T_OVERLAY, {"conflict_mu", LG_FT_REAL, 0}},
	{T_OVERLAY, {"output", LG_FT_STRING, 0}},
	{T_CHECK, {"check_status", LG_FT_STRING, 0}},
	{T_CHECK, {"check_parcels", LG_FT_INT, 0}},
	{T_CHECK, {"check_findings", LG_FT_INT, 0}},
	{T_CHECK, {"check_violation", LG_FT_INT, 0}},
	{T_CHECK, {"check_risk", LG_FT_INT, 0}},
	{T_CHECK, {"check_notice", LG_FT_INT, 0}},
	{T_CHECK, {"check_output", LG_FT_STRING, 0}},
	{T_RIVERBUF, {"riverbuf_status", LG_FT_STRING, 0}},
	{T_RIVERBUF, {"rb_parcels", LG_FT_INT, 0}},
	{T_RIVERBUF, {"rb_rows", LG_FT_INT, 0}},
	{T_RIVERBUF, {"rb_parcels_in_bands", LG_FT_INT, 0}},
	{T_RIVERBUF, {"rb_conflict_parcels", LG_FT_INT, 0}},
	{T_RIVERBUF, {"rb_occupied_inner_m2", LG_FT_REAL, 0}},
	{T_RIVERBUF, {"rb_occupied_outer_m2", LG_FT_REAL, 0}},
	{T_RIVERBUF, {"rb_conflict_inner_m2", LG_FT_REAL, 0}},
	{T_RIVERBUF, {"rb_conflict_outer_m2", LG_FT_REAL, 0}},
	{T_RIVERBUF, {"rb_conflict_mu", LG_FT_REAL, 0}},
	{T_RIVERBUF, {"rb_stretches", LG_FT_INT, 0}},
	{T_RIVERBUF, {"rb_stretches_meeting_min", LG_FT_INT, 0}},
	{T_RIVERBUF, {"riverbuf_output", LG_FT_STRING, 0}},
	{T_GWZONE, {"gwzone_status", LG_FT_STRING, 0}},
	{T_GWZONE, {"gw_wells", LG_FT_INT, 0}},
	{T_GWZONE, {"gw_zone_parts", LG_FT_INT, 0}},
	{T_GWZONE, {"gw_I_m2", LG_FT_REAL, 0}},
	{T_GWZONE, {"gw_II_m2", LG_FT_REAL, 0}},
	{T_GWZONE, {"gw_III_m2", LG_FT_REAL, 0}},
	{T_GWZONE, {"gw_hits_I", LG_FT_INT, 0}},
	{T_GWZONE, {"gw_hits_II", LG_FT_INT, 0}},
	{T_GWZONE, {"gw_hits_III", LG_FT_INT, 0}},
	{T_GWZONE, {"gwzone_output", LG_FT_STRING, 0}},
	{-1, {"error", LG_FT_STRING, 0}},
};
#define NCOLS (sizeof rollup_cols / sizeof *rollup_cols)

static double r4(double v) { return round(v * 1e4) / 1e4; }

/* One cell: *s for text, else *v (integers as doubles). */
static bool roll_value(const job *j, const area *a, const char *outdir, const char *col, int task,
		       char *s, size_t n, double *v)
{
	const area_res *r = &a->r;
	int ts = task >= 0 ? r->task_status[task] : 0;
	*s = '\0';
	if (!strcmp(col, "area"))
		return snprintf(s, n, "%s", a->name), true;
	if (!strcmp(col, "status"))
		return snprintf(s, n, "%s", a->ok ? "ok" : "failed"), true;
	if (!strcmp(col, "error"))
		return snprintf(s, n, "%s", a->ok ? "" : a->error ? a->error : "unknown error"), true;
	if (strstr(col, "_status"))
		return snprintf(s, n, "%s", ts == ST_OK ? "ok" : ts == ST_FAILED ? "failed" : "not run"),
		       true;
	if (ts != ST_OK)
		return false; /* empty cell */
	if (!strcmp(col, "output") || strstr(col, "_output")) {
		static const char *const base[T__COUNT] = {"overlay", "findings", "riverbuf", "gw_zones"};
		snprintf(s, n, "%s/%s/%s.%s", outdir, a->dirname, base[task], fmt_of(j, task));
		return true;
	}
#define NUM(name, val) if (!strcmp(col, name)) return *v = (double)(val), true
	NUM("sites", r->sites);
	NUM("pairs", r->pairs);
	NUM("sites_overlapping", r->overlapping);
	NUM("conflict_sites", r->conflict_sites);
	NUM("overlap_m2", r->overlap_m2);
	NUM("conflict_m2", r->conflict_m2);
	NUM("overlap_mu", r4(lg_m2_to_mu(r->overlap_m2)));
	NUM("conflict_mu", r4(lg_m2_to_mu(r->conflict_m2)));
	NUM("check_parcels", r->ck_parcels);
	NUM("check_findings", r->ck_findings);
	NUM("check_violation", r->ck_sev[LG_SEV_VIOLATION]);
	NUM("check_risk", r->ck_sev[LG_SEV_RISK]);
	NUM("check_notice", r->ck_sev[LG_SEV_NOTICE]);
	NUM("rb_parcels", r->rb_parcels);
	NUM("rb_rows", r->rb_rows);
	NUM("rb_parcels_in_bands", r->rb_in_bands);
	NUM("rb_conflict_parcels", r->rb_conflict_parcels);
	NUM("rb_occupied_inner_m2", r4(r->rb_occupied_m2[0]));
	NUM("rb_occupied_outer_m2", r4(r->rb_occupied_m2[1]));
	NUM("rb_conflict_inner_m2", r4(r->rb_conflict_m2[0]));
	NUM("rb_conflict_outer_m2", r4(r->rb_conflict_m2[1]));
	NUM("rb_conflict_mu", r4(lg_m2_to_mu(r->rb_conflict_m2[0] + r->rb_conflict_m2[1])));
	NUM("rb_stretches", r->rb_stretches);
	NUM("rb_stretches_meeting_min", r->rb_stretches_meeting);
	NUM("gw_wells", r->gw_wells);
	NUM("gw_zone_parts", r->gw_parts);
	NUM("gw_I_m2", r4(r->gw_area_m2[0]));
	NUM("gw_II_m2", r4(r->gw_area_m2[1]));
	NUM("gw_III_m2", r4(r->gw_area_m2[2]));
	NUM("gw_hits_I", r->gw_hits[0]);
	NUM("gw_hits_II", r->gw_hits[1]);
	NUM("gw_hits_III", r->gw_hits[2]);
#undef NUM
	return false;
}

static lg_status write_rollup(lg_ctx *ctx, const job *j, const area *areas, size_t n,
			      const char *outdir)
{
	lg_field f[NCOLS];
	int task[NCOLS];
	size_t nf = 0;
	lg_layer *l = NULL;
	lg_status st;
	char path[PATH_MAX + 32], s[MAX_MSG + PATH_MAX];
	for (size_t k = 0; k < NCOLS; k++) {
		const rcol *c = &rollup_cols[k];
		if (c->task >= 0 && !j->has[c->task])
			continue;
		if (c->task == T_RIVERBUF && !yes(j->rb_segments) && strstr(c->f.name, "stretches"))
			continue;
		if (c->task == T_GWZONE && !j->gw_sources &&
		    (strstr(c->f.name, "hits") || strstr(c->f.name, "sources")))
			continue;
		task[nf] = c->task;
		f[nf++] = c->f;
	}
	if ((st = lg_layer_create(ctx, "rollup", f, nf, &l)))
		return st;
	l->geom_type = 100; /* wkbNone */
	for (size_t i = 0; i < n && !st; i++) {
		const area *a = &areas[i];
		lg_feature *r;
		if ((st = lg_layer_add(ctx, l, &r)))
			break;
		r->fid = (int64_t)i + 1;
		for (size_t k = 0; k < nf && !st; k++) {
			double v = 0;
			if (!roll_value(j, a, outdir, f[k].name, task[k], s, sizeof s, &v))
				continue;
			if (f[k].type == LG_FT_STRING) {
				if (s[0])
					st = lg_feature_set_str(ctx, l, r, k, s);
			} else if (f[k].type == LG_FT_INT) {
				lg_feature_set_int(l, r, k, (int64_t)v);
			} else {
				lg_feature_set_real(l, r, k, v);
			}
		}
	}
	if (!st) {
		snprintf(path, sizeof path, "%s/rollup.csv", outdir);
		st = lg_layer_write(ctx, l, path, NULL);
	}
	if (!st) {
		snprintf(path, sizeof path, "%s/rollup.xlsx", outdir);
		st = lg_layer_write(ctx, l, path, NULL);
	}
	lg_layer_destroy(ctx, l);
	return st;
}

/* --- the command ------------------------------------------------------ */

static char *safe_dirname(const char *name, size_t i)
{
	char *s;
	if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
		if (asprintf(&s, "area_%zu", i + 1) < 0)
			return NULL;
		return s;
	}
	s = strdup(name);
	for (char *p = s; p && *p; p++)
		if (*p == '/' || *p == '\\' || (unsigned char)*p < 0x20)
			*p = '_';
	return s;
}

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	const char **cfg = ud;
	if (!strcmp(name, "config"))
		*cfg = arg;
	return 0;
}

/* What the workers would trip over, found before any starts. */
static lg_status check_job(lg_ctx *ctx, const job *j, const char *cfg)
{
	bool any = false;
	for (int t = 0; t < T__COUNT; t++)
		any |= j->has[t];
	if (!j->areas || !any)
		return lg_ctx_error(ctx, LG_INPUT, "'%s' needs [job] areas and at least one task "
				    "([task.overlay], [task.check], [task.riverbuf], [task.gwzone])", cfg);
	static const struct {
		int task;
		size_t off;
		const char *key;
	} need[] = {
		{T_OVERLAY, offsetof(job, sites), "sites"},
		{T_OVERLAY, offsetof(job, plan), "plan"},
		{T_CHECK, offsetof(job, ck_parcels), "parcels"},
		{T_RIVERBUF, offsetof(job, rb_boundary), "boundary"},
		{T_RIVERBUF, offsetof(job, rb_parcels), "parcels"},
		{T_GWZONE, offsetof(job, gw_wells), "wells"},
	};
	for (size_t k = 0; k < sizeof need / sizeof *need; k++)
		if (j->has[need[k].task] && !*(char *const *)((const char *)j + need[k].off))
			return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.%s] needs %s = PATH", cfg,
					    task_name[need[k].task], need[k].key);
	lg_stage sg;
	if (j->stage_default && !lg_stage_parse(j->stage_default, &sg))
		return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.overlay] stage_default: unknown "
				    "stage '%s'", cfg, j->stage_default);
	if (j->ck_stage_default && !lg_stage_parse(j->ck_stage_default, &sg))
		return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.check] stage_default: unknown "
				    "stage '%s'", cfg, j->ck_stage_default);
	if (j->ck_period) {
		const char *dots = strstr(j->ck_period, "..");
		char from[64];
		int32_t a = 0, b = 0;
		bool ok = dots && (size_t)(dots - j->ck_period) < sizeof from;
		if (ok) {
			snprintf(from, sizeof from, "%.*s", (int)(dots - j->ck_period), j->ck_period);
			ok = lg_date_parse(from, &a) && lg_date_parse(dots + 2, &b) && a <= b;
		}
		if (!ok)
			return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.check] period must be FROM..TO "
					    "with FROM not after TO, e.g. 2026-10-01..2026-10-31 (got "
					    "'%s')", cfg, j->ck_period);
	}
	double in = j->rb_inner > 0 ? j->rb_inner : 30, out = j->rb_outer > 0 ? j->rb_outer : 50;
	if (j->has[T_RIVERBUF] && in >= out)
		return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.riverbuf] inner (%g m) must be less "
				    "than outer (%g m)", cfg, in, out);
	if (j->rb_segments && !yes(j->rb_segments) && strcasecmp(j->rb_segments, "no") &&
	    strcasecmp(j->rb_segments, "false") && strcmp(j->rb_segments, "0") &&
	    strcasecmp(j->rb_segments, "off"))
		return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.riverbuf] segments must be yes or "
				    "no (got '%s')", cfg, j->rb_segments);
	lg_gwz_method m;
	lg_gwz_pick p;
	if (j->gw_method && !lg_gwz_method_parse(j->gw_method, &m))
		return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.gwzone] method must be auto, table "
				    "or formula (got '%s')", cfg, j->gw_method);
	if (j->gw_pick && !lg_gwz_pick_parse(j->gw_pick, &p))
		return lg_ctx_error(ctx, LG_INPUT, "'%s': [task.gwzone] radius_pick must be upper, "
				    "lower or mid (got '%s')", cfg, j->gw_pick);
	return LG_OK;
}

int cmd_batch(int argc, char **argv)
{
	cli c;
	const char *cfg = NULL;
	char *pos[1];
	int npos, done, rc;
	job j;
	lg_layer *areas_l = NULL;
	area *areas = NULL;
	size_t n = 0, nfailed = 0;
	lg_status st = LG_OK;
	lg_buf js;
	const char *outdir;

	memset(&j, 0, sizeof j);
	lg_buf_init(&js);
	if ((rc = cli_init(&c, "batch")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &cfg, pos,
		       0, &npos, &done);
	if (rc || done)
		goto out;
	if (!cfg) {
		rc = cli_usage_error(&c, "give the job file with --config JOB.ini");
		goto out;
	}
	{
		char *tmp = strdup(cfg), *slash = tmp ? strrchr(tmp, '/') : NULL;
		snprintf(j.dir, sizeof j.dir, "%s", slash ? (*slash = '\0', tmp[0] ? tmp : "/") : ".");
		free(tmp);
	}
	int perr = ini_parse(cfg, on_ini, &j);
	if (perr < 0) {
		st = lg_ctx_error(c.ctx, LG_NOFILE, "cannot read the job file '%s'", cfg);
		goto fail;
	}
	if (perr > 0) {
		st = lg_ctx_error(c.ctx, LG_INPUT, "'%s' line %d: %s", cfg, perr,
				  j.bad[0] ? j.bad : "not a key = value line");
		goto fail;
	}
	if ((st = check_job(c.ctx, &j, cfg)))
		goto fail;
	outdir = c.out ? c.out : j.out ? j.out : "batch-out";
	if (c.threads <= 0)
		lg_ctx_set_threads(c.ctx, j.threads > 0 ? j.threads : 0);
	int nworkers = lg_ctx_threads(c.ctx);
	if (mkdir(outdir, 0755) != 0 && errno != EEXIST) {
		st = lg_ctx_error(c.ctx, LG_WRITE, "cannot create the output folder '%s': %s", outdir,
				  strerror(errno));
		goto fail;
	}

	/* The areas: names and outlines, kept as WKB for the workers. */
	{
		lg_read_opts ro = {0};
		ro.s_srs = j.s_srs;
		if (j.name_field)
			ro.role_field[LG_ROLE_NAME] = j.name_field;
		if ((st = lg_layer_read(c.ctx, j.areas, &ro, &areas_l)))
			goto fail;
		if (areas_l->role[LG_ROLE_NAME] < 0) {
			st = lg_ctx_error(c.ctx, LG_FIELD,
					  "'%s' has no area name field; set [job] name_field", j.areas);
			goto fail;
		}
		if (!areas_l->crs) {
			st = lg_ctx_error(c.ctx, LG_NOCRS, "'%s' has no CRS", j.areas);
			goto fail;
		}
		n = areas_l->n;
		areas = calloc(n + 1, sizeof *areas);
		if (!areas) {
			st = lg_ctx_error(c.ctx, LG_NOMEM, "out of memory");
			goto fail;
		}
		for (size_t i = 0; i < n; i++) {
			const lg_feature *f = &areas_l->feat[i];
			area *a = &areas[i];
			a->index = i;
			a->fd = -1;
			a->name = strdup(lg_feature_text(areas_l, f, areas_l->role[LG_ROLE_NAME]));
			a->dirname = a->name ? safe_dirname(a->name, i) : NULL;
			for (size_t k = 0; k < i && a->dirname; k++)
				if (!strcmp(areas[k].dirname, a->dirname)) {
					free(a->dirname);
					if (asprintf(&a->dirname, "%s_%zu", a->name, i + 1) < 0)
						a->dirname = NULL;
					break;
				}
			if (!a->name || !a->dirname) {
				st = lg_ctx_error(c.ctx, LG_NOMEM, "out of memory");
				goto fail;
			}
		}
	}
	if (!c.json)
		fprintf(stderr, "landguard batch: %zu areas from '%s', %d at a time\n", n, j.areas,
			nworkers);

	/* Workers: at most nworkers at once; each area's result as it ends. */
	size_t next = 0, running = 0;
	while (next < n || running > 0) {
		if (next < n && running < (size_t)nworkers) {
			area *a = &areas[next++];
			int p[2];
			if (pipe(p) != 0) {
				a->error = strdup(strerror(errno));
				continue;
			}
			fflush(stdout);
			fflush(stderr);
			a->pid = fork();
			if (a->pid == 0) {
				close(p[0]);
				_exit(run_area(&j, a, outdir, p[1]));
			}
			close(p[1]);
			if (a->pid < 0) {
				close(p[0]);
				if (asprintf(&a->error, "cannot start a worker: %s", strerror(errno)) < 0)
					a->error = NULL;
				continue;
			}
			a->fd = p[0];
			running++;
			continue;
		}
		int status = 0;
		struct rusage ru;
		memset(&ru, 0, sizeof ru);
		pid_t pid = wait4(-1, &status, 0, &ru);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (areas[i].pid == pid && areas[i].fd >= 0) {
				collect(&areas[i], status);
				areas[i].rss_kb = ru.ru_maxrss;
				running--;
				if (!c.json)
					fprintf(stderr, "landguard batch: %-10s %s%s%s\n", areas[i].name,
						areas[i].ok ? "ok" : "FAILED",
						areas[i].ok ? "" : ": ",
						areas[i].ok ? "" : (areas[i].error ? areas[i].error : ""));
				break;
			}
	}

	if ((st = write_rollup(c.ctx, &j, areas, n, outdir)))
		goto fail;
	lg_buf_printf(&js, "{\"areas\":%zu,\"failed\":[", n);
	area_res tot = {0};
	size_t nok[T__COUNT] = {0};
	long rss_max = 0;
	for (size_t i = 0; i < n; i++) {
		const area_res *r = &areas[i].r;
		rss_max = areas[i].rss_kb > rss_max ? areas[i].rss_kb : rss_max;
		if (!areas[i].ok) {
			lg_buf_printf(&js, "%s{\"area\":", nfailed ? "," : "");
			lg_buf_json_str(&js, areas[i].name);
			lg_buf_puts(&js, ",\"error\":");
			lg_buf_json_str(&js, areas[i].error ? areas[i].error : "");
			lg_buf_puts(&js, "}");
			nfailed++;
			continue;
		}
		for (int t = 0; t < T__COUNT; t++)
			nok[t] += r->task_status[t] == ST_OK;
		tot.sites += r->sites;
		tot.pairs += r->pairs;
		tot.conflict_sites += r->conflict_sites;
		tot.overlap_m2 += r->overlap_m2;
		tot.conflict_m2 += r->conflict_m2;
		tot.ck_parcels += r->ck_parcels;
		tot.ck_findings += r->ck_findings;
		for (int k = 0; k < LG_SEV__COUNT; k++)
			tot.ck_sev[k] += r->ck_sev[k];
		tot.rb_parcels += r->rb_parcels;
		tot.rb_rows += r->rb_rows;
		tot.rb_in_bands += r->rb_in_bands;
		tot.rb_conflict_parcels += r->rb_conflict_parcels;
		for (int k = 0; k < 2; k++) {
			tot.rb_occupied_m2[k] += r->rb_occupied_m2[k];
			tot.rb_conflict_m2[k] += r->rb_conflict_m2[k];
		}
		tot.gw_wells += r->gw_wells;
		tot.gw_sources += r->gw_sources;
		for (int k = 0; k < LG_GWZ__LEVELS; k++) {
			tot.gw_hits[k] += r->gw_hits[k];
			tot.gw_area_m2[k] += r->gw_area_m2[k];
		}
	}
	lg_buf_puts(&js, "],\"tasks\":[");
	for (int t = 0, k = 0; t < T__COUNT; t++)
		if (j.has[t])
			lg_buf_printf(&js, "%s\"%s\"", k++ ? "," : "", task_name[t]);
	lg_buf_puts(&js, "]");
	/* Overlay totals keep their old top-level names. */
	if (j.has[T_OVERLAY])
		lg_buf_printf(&js, ",\"sites\":%zu,\"pairs\":%zu,\"conflict_sites\":%zu,"
				   "\"overlap_m2\":%.4f,\"conflict_m2\":%.4f",
			      tot.sites, tot.pairs, tot.conflict_sites, tot.overlap_m2, tot.conflict_m2);
	if (j.has[T_CHECK])
		lg_buf_printf(&js, ",\"check\":{\"areas_ok\":%zu,\"parcels\":%zu,\"findings\":%zu,"
				   "\"violation\":%zu,\"risk\":%zu,\"notice\":%zu}",
			      nok[T_CHECK], tot.ck_parcels, tot.ck_findings,
			      tot.ck_sev[LG_SEV_VIOLATION], tot.ck_sev[LG_SEV_RISK],
			      tot.ck_sev[LG_SEV_NOTICE]);
	if (j.has[T_RIVERBUF])
		lg_buf_printf(&js, ",\"riverbuf\":{\"areas_ok\":%zu,\"parcels\":%zu,\"rows\":%zu,"
				   "\"parcels_in_bands\":%zu,\"conflict_parcels\":%zu,"
				   "\"occupied_m2\":[%.4f,%.4f],\"conflict_m2\":[%.4f,%.4f]}",
			      nok[T_RIVERBUF], tot.rb_parcels, tot.rb_rows, tot.rb_in_bands,
			      tot.rb_conflict_parcels, tot.rb_occupied_m2[0], tot.rb_occupied_m2[1],
			      tot.rb_conflict_m2[0], tot.rb_conflict_m2[1]);
	if (j.has[T_GWZONE])
		lg_buf_printf(&js, ",\"gwzone\":{\"areas_ok\":%zu,\"wells\":%zu,"
				   "\"zone_m2\":{\"I\":%.4f,\"II\":%.4f,\"III\":%.4f},"
				   "\"hits\":{\"I\":%zu,\"II\":%zu,\"III\":%zu}}",
			      nok[T_GWZONE], tot.gw_wells, tot.gw_area_m2[0], tot.gw_area_m2[1],
			      tot.gw_area_m2[2], tot.gw_hits[0], tot.gw_hits[1],
			      tot.gw_hits[2]);
	{
		/* Peak resident sets: this process, and the largest of its
		 * workers (RUSAGE_CHILDREN holds the maximum over every child
		 * waited for). */
		struct rusage self, kids;
		getrusage(RUSAGE_SELF, &self);
		getrusage(RUSAGE_CHILDREN, &kids);
		lg_buf_printf(&js, ",\"peak_rss_kb\":{\"batch\":%ld,\"workers_max\":%ld}",
			      self.ru_maxrss, kids.ru_maxrss > rss_max ? kids.ru_maxrss : rss_max);
	}
	lg_buf_puts(&js, ",\"outputs\":[");
	{
		char p1[PATH_MAX + 32], p2[PATH_MAX + 32];
		snprintf(p1, sizeof p1, "%s/rollup.csv", outdir);
		snprintf(p2, sizeof p2, "%s/rollup.xlsx", outdir);
		lg_buf_json_str(&js, p1);
		lg_buf_puts(&js, ",");
		lg_buf_json_str(&js, p2);
	}
	lg_buf_puts(&js, "]}");
	if (!c.json)
		fprintf(stderr, "landguard batch: %zu of %zu areas ok; roll-up: %s/rollup.csv, "
				"%s/rollup.xlsx\n",
			n - nfailed, n, outdir, outdir);
	if (nfailed) {
		lg_buf names;
		lg_buf_init(&names);
		for (size_t i = 0; i < n; i++)
			if (!areas[i].ok)
				lg_buf_printf(&names, "%s%s", names.len ? ", " : "", areas[i].name);
		st = lg_ctx_error(c.ctx, LG_INPUT,
				  "%zu of %zu areas failed (%s); the reasons are in '%s/rollup.csv'; "
				  "fix their data and run the batch again",
				  nfailed, n, names.s ? names.s : "", outdir);
		lg_buf_release(&names);
		/* The summary still goes out (and into the workspace) first. */
		if (c.json)
			cli_finish(&c, js.s);
		goto fail;
	}
	rc = cli_finish(&c, js.s);
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	for (size_t i = 0; areas && i < n; i++) {
		free(areas[i].name);
		free(areas[i].dirname);
		free(areas[i].error);
	}
	free(areas);
	lg_buf_release(&js);
	lg_layer_destroy(c.ctx, areas_l);
	job_release(&j);
	cli_release(&c);
	return rc;
}
