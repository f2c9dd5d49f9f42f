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
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line = "landguard batch --config JOB.ini [--threads N] [-o OUTDIR] [--json]";
static const char *description =
	"Runs the job's tasks for every area of an areas layer (e.g. the counties of a\n"
	"city), one worker process per area, --threads at a time (default: the job's\n"
	"threads, else all cores).  Per area: the sites whose point-on-surface lies in\n"
	"the area's outline are run against the plan; the area's ledger is written to\n"
	"OUTDIR/<area>/; OUTDIR/rollup.csv and rollup.xlsx hold one row per area:\n"
	"  area status sites pairs sites_overlapping conflict_sites overlap_m2\n"
	"  conflict_m2 overlap_mu conflict_mu output error\n"
	"An area whose data is bad fails alone, with the message in the roll-up; the\n"
	"exit status is then 3 after every other area has run.\n\n"
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
	"  format = xlsx            ; ledger format: xlsx, csv, gpkg, shp, geojson";
static const char *examples =
	"  landguard batch --config examples/batch_yuncheng/job.ini\n"
	"  landguard batch --config job.ini --threads 2 -o out/2026Q3 --workspace city.sqlite\n";

static const cli_opt opts[] = {
	{"config", 0, "JOB.ini", "the job file"},
	{NULL, 0, NULL, NULL},
};

/* --- the job file --------------------------------------------------- */

typedef struct job {
	char dir[PATH_MAX]; /* of the job file: relative paths start here */
	char *areas, *name_field, *out, *s_srs;
	int threads;
	bool has_overlay;
	char *sites, *plan, *format, *stage_default;
	double min_area;
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

static int on_ini(void *ud, const char *section, const char *key, const char *value)
{
	job *j = ud;
	char **slot = NULL;
	bool path = false;
	if (!strcmp(section, "job")) {
		if (!strcmp(key, "areas"))
			slot = &j->areas, path = true;
		else if (!strcmp(key, "name_field"))
			slot = &j->name_field;
		else if (!strcmp(key, "s_srs"))
			slot = &j->s_srs;
		else if (!strcmp(key, "out"))
			slot = &j->out, path = true;
		else if (!strcmp(key, "threads")) {
			char *end;
			long n = strtol(value, &end, 10);
			if (end == value || *end || n < 1 || n > 256) {
				snprintf(j->bad, sizeof j->bad,
					 "[job] threads must be a whole number from 1 to 256 (got '%s')",
					 value);
				return 0;
			}
			j->threads = (int)n;
			return 1;
		}
	} else if (!strcmp(section, "task.overlay")) {
		j->has_overlay = true;
		if (!strcmp(key, "sites"))
			slot = &j->sites, path = true;
		else if (!strcmp(key, "plan"))
			slot = &j->plan, path = true;
		else if (!strcmp(key, "format"))
			slot = &j->format;
		else if (!strcmp(key, "stage_default"))
			slot = &j->stage_default;
		else if (!strcmp(key, "min_area")) {
			char *end;
			j->min_area = strtod(value, &end);
			if (end == value || *end || !(j->min_area >= 0)) {
				snprintf(j->bad, sizeof j->bad,
					 "[task.overlay] min_area must be 0 or more square metres (got '%s')",
					 value);
				return 0;
			}
			return 1;
		}
	} else if (!strncmp(section, "task.", 5)) {
		snprintf(j->bad, sizeof j->bad,
			 "[%s]: this version runs the overlay task only ([task.overlay])", section);
		return 0;
	}
	if (!slot) {
		snprintf(j->bad, sizeof j->bad, "unknown key '%s' in [%s]", key, section);
		return 0;
	}
	free(*slot);
	*slot = path ? job_path(j, value) : strdup(value);
	return *slot != NULL;
}

static void job_release(job *j)
{
	free(j->areas);
	free(j->name_field);
	free(j->s_srs);
	free(j->out);
	free(j->sites);
	free(j->plan);
	free(j->format);
	free(j->stage_default);
}

/* --- one area, in its own process ------------------------------------ */

typedef struct area {
	size_t index;    /* feature index in the areas layer */
	char *name;      /* as in the areas layer */
	char *dirname;   /* safe as a folder name */
	/* results */
	bool ok;
	char *error;
	size_t sites, pairs, overlapping, conflict_sites;
	double overlap_m2, conflict_m2;
	char *output;
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

/* The worker: runs the overlay for one area and writes one line to fd:
 * "ok\tsites\tpairs\toverlapping\tconflict_sites\toverlap\tconflict\toutput"
 * or "failed\tmessage".  Returns the exit code. */
static int run_area(const job *j, area *a, const char *outdir, int fd)
{
	lg_ctx *ctx = lg_ctx_create();
	lg_layer *sites_all = NULL, *sites = NULL, *res = NULL, *areas = NULL;
	lg_rows *plan = NULL;
	lg_landuse *lu = NULL;
	lg_crs *work = NULL;
	lg_overlay_opts oo = {0};
	lg_overlay_summary sum;
	lg_read_opts ro = {0};
	lg_rows_opts rwo = {0};
	lg_write_opts wo = {0};
	lg_status st = LG_OK;
	char dir[PATH_MAX], path[PATH_MAX + 64];
	lg_buf line;
	int rc;

	lg_buf_init(&line);
	if (!ctx) {
		dprintf(fd, "failed\tout of memory creating the context\n");
		return 5;
	}
	lg_ctx_set_log(ctx, on_area_log, a);
	lg_ctx_set_threads(ctx, 1);
	snprintf(dir, sizeof dir, "%s/%s", outdir, a->dirname);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot create folder '%s': %s", dir, strerror(errno));
		goto done;
	}
	/* The outline, read again here: the parent hands over only an index. */
	ro.s_srs = rwo.read.s_srs = j->s_srs;
	if (j->name_field)
		ro.role_field[LG_ROLE_NAME] = j->name_field;
	/* The parent has warned about the areas layer already. */
	lg_ctx_set_log(ctx, NULL, NULL);
	st = lg_layer_read(ctx, j->areas, &ro, &areas);
	lg_ctx_set_log(ctx, on_area_log, a);
	if (st)
		goto done;
	ro.role_field[LG_ROLE_NAME] = NULL;
	if (a->index >= areas->n) {
		st = lg_ctx_error(ctx, LG_INPUT, "'%s' changed while the batch ran", j->areas);
		goto done;
	}
	if ((st = lg_landuse_load(ctx, NULL, &lu)))
		goto done;
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
	if (areas->feat[a->index].geom) {
		ro.filter = areas->feat[a->index].geom;
		ro.filter_crs = areas->crs;
	}
	if ((st = lg_layer_read(ctx, j->sites, &ro, &sites_all)))
		goto done;
	if (!sites_all->crs) {
		st = lg_ctx_error(ctx, LG_NOCRS, "'%s' has no CRS", j->sites);
		goto done;
	}
	if ((st = lg_layer_reproject(ctx, sites_all, work)))
		goto done;
	if ((st = lg_layer_subset_in(ctx, sites_all, areas->feat[a->index].geom, areas->crs,
				      a->name, &sites)))
		goto done;
	if (j->stage_default) {
		if (!lg_stage_parse(j->stage_default, &oo.stage_default)) {
			st = lg_ctx_error(ctx, LG_USAGE, "[task.overlay] stage_default: unknown stage '%s'",
					  j->stage_default);
			goto done;
		}
		oo.has_stage_default = true;
	}
	oo.min_area_m2 = j->min_area;
	oo.landuse = lu;
	if ((st = lg_overlay_run(ctx, sites, plan, work, &oo, &res, &sum)))
		goto done;
	snprintf(path, sizeof path, "%s/overlay.%s", dir, j->format ? j->format : "xlsx");
	wo.layer_name = "overlay";
	if ((st = lg_layer_write(ctx, res, path, &wo)))
		goto done;
	lg_buf_printf(&line, "ok\t%zu\t%zu\t%zu\t%zu\t%.4f\t%.4f\t%s\n", sum.sites, sum.pairs,
		      sum.sites_overlapping, sum.conflict_sites, sum.overlap_m2, sum.conflict_m2,
		      path);
done:
	if (st) {
		lg_buf_release(&line);
		lg_buf_puts(&line, "failed\t");
		/* One line: tabs and newlines in a message would break the pipe format. */
		for (const char *p = lg_ctx_errmsg(ctx); *p; p++)
			lg_buf_add(&line, *p == '\t' || *p == '\n' ? " " : p, 1);
		lg_buf_puts(&line, "\n");
	}
	if (line.s && write(fd, line.s, line.len) != (ssize_t)line.len)
		st = st ? st : LG_INTERNAL;
	rc = st ? lg_status_exit(st) : 0;
	lg_buf_release(&line);
	lg_layer_destroy(ctx, res);
	lg_layer_destroy(ctx, sites);
	lg_layer_destroy(ctx, sites_all);
	lg_rows_close(ctx, plan);
	lg_landuse_destroy(lu);
	lg_layer_destroy(ctx, areas);
	lg_crs_destroy(work);
	lg_ctx_destroy(ctx);
	return rc;
}

/* Reads a finished worker's line and exit status into the area. */
static void collect(area *a, int status)
{
	char buf[4096];
	size_t n = 0;
	ssize_t r;
	while (n < sizeof buf - 1 && (r = read(a->fd, buf + n, sizeof buf - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	close(a->fd);
	a->fd = -1;
	buf[strcspn(buf, "\n")] = '\0';
	if (!strncmp(buf, "ok\t", 3)) {
		char out[PATH_MAX + 64] = "";
		if (sscanf(buf + 3, "%zu\t%zu\t%zu\t%zu\t%lf\t%lf\t%4159[^\n]", &a->sites, &a->pairs,
			   &a->overlapping, &a->conflict_sites, &a->overlap_m2, &a->conflict_m2,
			   out) == 7) {
			a->ok = true;
			a->output = strdup(out);
			return;
		}
	}
	if (!strncmp(buf, "failed\t", 7)) {
		a->error = strdup(buf + 7);
	} else if (WIFSIGNALED(status)) {
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

enum { R_AREA, R_STATUS, R_SITES, R_PAIRS, R_OVERLAPPING, R_CONFLICT_SITES, R_OVERLAP_M2,
       R_CONFLICT_M2, R_OVERLAP_MU, R_CONFLICT_MU, R_OUTPUT, R_ERROR, R__COUNT };

static lg_status write_rollup(lg_ctx *ctx, const area *areas, size_t n, const char *outdir)
{
	static const lg_field f[R__COUNT] = {
		{"area", LG_FT_STRING, 0},	   {"status", LG_FT_STRING, 0},
		{"sites", LG_FT_INT, 0},	   {"pairs", LG_FT_INT, 0},
		{"sites_overlapping", LG_FT_INT, 0}, {"conflict_sites", LG_FT_INT, 0},
		{"overlap_m2", LG_FT_REAL, 0},	   {"conflict_m2", LG_FT_REAL, 0},
		{"overlap_mu", LG_FT_REAL, 0},	   {"conflict_mu", LG_FT_REAL, 0},
		{"output", LG_FT_STRING, 0},	   {"error", LG_FT_STRING, 0},
	};
	lg_layer *l = NULL;
	lg_status st;
	char path[PATH_MAX + 32];
	if ((st = lg_layer_create(ctx, "rollup", f, R__COUNT, &l)))
		return st;
	l->geom_type = 100; /* wkbNone */
	for (size_t i = 0; i < n && !st; i++) {
		const area *a = &areas[i];
		lg_feature *r;
		if ((st = lg_layer_add(ctx, l, &r)))
			break;
		r->fid = (int64_t)i + 1;
		lg_feature_set_str(ctx, l, r, R_AREA, a->name);
		lg_feature_set_str(ctx, l, r, R_STATUS, a->ok ? "ok" : "failed");
		if (a->ok) {
			lg_feature_set_int(l, r, R_SITES, (int64_t)a->sites);
			lg_feature_set_int(l, r, R_PAIRS, (int64_t)a->pairs);
			lg_feature_set_int(l, r, R_OVERLAPPING, (int64_t)a->overlapping);
			lg_feature_set_int(l, r, R_CONFLICT_SITES, (int64_t)a->conflict_sites);
			lg_feature_set_real(l, r, R_OVERLAP_M2, a->overlap_m2);
			lg_feature_set_real(l, r, R_CONFLICT_M2, a->conflict_m2);
			lg_feature_set_real(l, r, R_OVERLAP_MU, round(lg_m2_to_mu(a->overlap_m2) * 1e4) / 1e4);
			lg_feature_set_real(l, r, R_CONFLICT_MU, round(lg_m2_to_mu(a->conflict_m2) * 1e4) / 1e4);
			st = lg_feature_set_str(ctx, l, r, R_OUTPUT, a->output ? a->output : "");
		} else {
			st = lg_feature_set_str(ctx, l, r, R_ERROR, a->error ? a->error : "unknown error");
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
	if (!j.areas || !j.has_overlay || !j.sites || !j.plan) {
		st = lg_ctx_error(c.ctx, LG_INPUT,
				  "'%s' needs [job] areas and a [task.overlay] with sites and plan", cfg);
		goto fail;
	}
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
		pid_t pid = waitpid(-1, &status, 0);
		if (pid < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		for (size_t i = 0; i < n; i++)
			if (areas[i].pid == pid && areas[i].fd >= 0) {
				collect(&areas[i], status);
				running--;
				if (!c.json)
					fprintf(stderr, "landguard batch: %-10s %s%s%s\n", areas[i].name,
						areas[i].ok ? "ok" : "FAILED",
						areas[i].ok ? "" : ": ",
						areas[i].ok ? "" : (areas[i].error ? areas[i].error : ""));
				break;
			}
	}

	if ((st = write_rollup(c.ctx, areas, n, outdir)))
		goto fail;
	lg_buf_printf(&js, "{\"areas\":%zu,\"failed\":[", n);
	size_t tsites = 0, tpairs = 0, tconf = 0;
	double tover = 0, tconfm2 = 0;
	for (size_t i = 0; i < n; i++) {
		if (!areas[i].ok) {
			lg_buf_printf(&js, "%s{\"area\":", nfailed ? "," : "");
			lg_buf_json_str(&js, areas[i].name);
			lg_buf_puts(&js, ",\"error\":");
			lg_buf_json_str(&js, areas[i].error ? areas[i].error : "");
			lg_buf_puts(&js, "}");
			nfailed++;
			continue;
		}
		tsites += areas[i].sites;
		tpairs += areas[i].pairs;
		tconf += areas[i].conflict_sites;
		tover += areas[i].overlap_m2;
		tconfm2 += areas[i].conflict_m2;
	}
	lg_buf_printf(&js, "],\"sites\":%zu,\"pairs\":%zu,\"conflict_sites\":%zu,\"overlap_m2\":%.4f,"
			   "\"conflict_m2\":%.4f,\"outputs\":[",
		      tsites, tpairs, tconf, tover, tconfm2);
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
		free(areas[i].output);
	}
	free(areas);
	lg_buf_release(&js);
	lg_layer_destroy(c.ctx, areas_l);
	job_release(&j);
	cli_release(&c);
	return rc;
}
