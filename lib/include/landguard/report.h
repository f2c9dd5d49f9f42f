/**
 * report: a whole job (the monthly 清零 action or the quarterly review,
 * DOMAIN.md §3) run from a job file, and its outputs: ledger.xlsx,
 * report.html, report.pdf, findings.csv and the maps (docs/report.md).
 *
 * A job file names its inputs; the runner reads them through lib/io, runs
 * check (and overlay, riverbuf, gwzone when their inputs are given),
 * builds the 清零 ledger or the quarterly counts and the comparison with
 * the previous run, and the writers put it all into OUTDIR.  Nothing in a
 * job file runs a command, and nothing is written outside OUTDIR.
 *
 * Ownership: lg_report_job_load() and lg_report_run() hand new objects to
 * the caller, freed with lg_report_job_destroy() / lg_report_destroy()
 * (NULL is a no-op); a report holds layers of the context that ran it, so
 * destroy it with that context.  Strings are UTF-8.
 */
#ifndef LANDGUARD_REPORT_H
#define LANDGUARD_REPORT_H

#include "landguard/check.h"
#include "landguard/gwzone.h"
#include "landguard/overlay.h"
#include "landguard/riverbuf.h"

#ifdef __cplusplus
extern "C" {
#endif

/** X(name, key of [inputs], what it is) */
#define LG_REPORT_INPUT_MAP(X)                                                 \
	X(PARCELS, "parcels", "land-supply parcels (parcel_id, orig_code, plan_code)") \
	X(SITES, "sites", "register of suspected and polluted parcels")         \
	X(UNITS, "units", "key supervised units")                               \
	X(LEDGER, "ledger", "events ledger (CSV or XLSX)")                      \
	X(SAMPLES, "samples", "soil samples")                                   \
	X(COUNTY, "county", "county outline")                                   \
	X(TOWNS, "towns", "town boundaries")                                    \
	X(PLAN, "plan", "land-use plan (一张图)")                               \
	X(SURVEY, "survey", "land-use survey (三调)")                           \
	X(WATER, "water", "river and reservoir management areas or lines")      \
	X(WELLS, "wells", "drinking-water wells")                               \
	X(SOURCES, "sources", "pollution sources")                              \
	X(GW_SAMPLES, "gw_samples", "groundwater samples")

typedef enum lg_report_input {
#define LG__RI(n, k, d) LG_RIN_##n,
	LG_REPORT_INPUT_MAP(LG__RI)
#undef LG__RI
	LG_RIN__COUNT
} lg_report_input;

/** "parcels" ...; "unknown" out of range. */
const char *lg_report_input_key(lg_report_input i);

/** X(name, key of [outputs], default file name) */
#define LG_REPORT_OUTPUT_MAP(X)                                                \
	X(HTML, "html", "report.html")                                         \
	X(PDF, "pdf", "report.pdf")                                            \
	X(XLSX, "xlsx", "ledger.xlsx")                                         \
	X(FINDINGS, "findings", "findings.csv")                                \
	X(MAPS, "maps", "maps")

typedef enum lg_report_output {
#define LG__RO(n, k, d) LG_ROUT_##n,
	LG_REPORT_OUTPUT_MAP(LG__RO)
#undef LG__RO
	LG_ROUT__COUNT
} lg_report_output;

typedef enum lg_report_kind {
	LG_REPORT_MONTHLY = 0,   /**< the 清零 list of a period */
	LG_REPORT_QUARTERLY = 1, /**< the quarterly review */
} lg_report_kind;

/** A job file, read and checked. */
typedef struct lg_report_job {
	char *path;   /**< the job file as given */
	char *dir;    /**< its directory: inputs are relative to it */
	lg_report_kind kind;
	char *title;  /**< [job] title; a default per kind when absent */
	char *office; /**< [job] office (制图单位, report footer) */
	int32_t from, to; /**< the period (monthly) or the quarter's days, inclusive */
	int year, quarter; /**< quarterly: 2026, 4 */
	char *previous;   /**< previous run: findings file, report dir or workspace; NULL */
	char *input[LG_RIN__COUNT];   /**< resolved sources ("path#layer"); NULL = not given */
	char *output[LG_ROUT__COUNT]; /**< file names inside OUTDIR */
	double near_m, inner_m, outer_m; /**< [options]: 500, 30, 50 by default */
	bool has_fail_on;
	lg_severity fail_on;
} lg_report_job;

/**
 * Reads a job file (INI, inih):
 *
 *     [job]     kind = monthly|quarterly  title =  office =
 *               period = 2026-10-01..2026-10-31   (monthly)
 *               quarter = 2026Q4                  (quarterly)
 *               previous = PATH                   (optional: the previous
 *                 run's findings.csv, its report directory, or a workspace
 *                 whose latest recorded report run of the same kind is used)
 *     [inputs]  parcels= sites= units= ledger= samples= county= towns=
 *               plan= survey= water= wells= sources= gw_samples=
 *     [options] near=500 inner=30 outer=50 fail_on=violation|risk|notice
 *     [outputs] html=report.html pdf=report.pdf xlsx=ledger.xlsx
 *               findings=findings.csv maps=maps
 *
 * Paths are relative to the job file; "PATH#LAYER" picks a layer.
 * Output names are plain names inside OUTDIR.  Errors (LG_INPUT, naming
 * the file, line and key): unknown sections or keys, a bad kind, period,
 * quarter or number, an output name with a directory part or "..", a
 * monthly job without a period or a quarterly one without a quarter, no
 * parcels.  LG_NOFILE when the job file cannot be read.  Whether the
 * inputs exist is lg_report_job_check()'s business.
 * Free *out with lg_report_job_destroy().
 */
lg_status lg_report_job_load(lg_ctx *ctx, const char *path, lg_report_job **out);
void lg_report_job_destroy(lg_report_job *job);

/**
 * Checks that every input file named by the job (and the previous run's
 * findings) exists: LG_NOFILE naming the job file, the key and the path.
 * PG: sources are not checked.
 */
lg_status lg_report_job_check(lg_ctx *ctx, const lg_report_job *job);

/* --- the quarterly comparison ---------------------------------------- */

typedef enum lg_report_change {
	LG_CHANGE_NEW = 0,        /**< in this run only */
	LG_CHANGE_PERSISTING = 1, /**< in both */
	LG_CHANGE_RESOLVED = 2,   /**< in the previous run only */
} lg_report_change;

/** "new", "persisting", "resolved" / "新增", "持续", "已整改". */
const char *lg_report_change_name(lg_report_change c);
const char *lg_report_change_zh(lg_report_change c);

/** One (parcel_id, rule_id) key of either run. */
typedef struct lg_report_diff {
	char *parcel_id, *rule_id;
	lg_report_change change;
	int sev_now, sev_prev; /**< lg_severity, or -1 when absent in that run */
	char *title;           /**< the finding's title (this run's, else the previous) */
} lg_report_diff;

/**
 * Compares two findings tables by (parcel_id, rule_id): each is a layer
 * with fields parcel_id and rule_id (and optionally severity, title; the
 * English or Chinese headers findings.csv and ledger.xlsx use).  Several
 * rows of one key count once, at their highest severity.  *out is sorted
 * by parcel_id (lg_id_cmp), then rule_id; counts[] receives how many of
 * each change.  LG_FIELD naming `prev_name` when `prev` lacks parcel_id or
 * rule_id.  Free with lg_report_diffs_free().
 */
lg_status lg_report_compare(lg_ctx *ctx, const lg_layer *prev, const char *prev_name,
			    const lg_layer *cur, lg_report_diff **out, size_t *n,
			    size_t counts[3]);
void lg_report_diffs_free(lg_report_diff *d, size_t n);

/* --- running a job ---------------------------------------------------- */

typedef struct lg_report lg_report;

typedef struct lg_report_opts {
	const char *date; /**< report date YYYY-MM-DD; NULL = today */
	int dpi;          /**< map resolution; 0 = 200 */
	bool no_atlas;    /**< leave out the per-parcel atlas */
} lg_report_opts;

/** What a run found, for --json and the exit code. */
typedef struct lg_report_summary {
	lg_check_summary check;
	size_t parcels_listed;   /**< monthly: parcels supplied in the period */
	size_t parcels_open;     /**< of which with a violation (not cleared) */
	size_t atlas_pages;
	size_t changes[3];       /**< quarterly: new, persisting, resolved */
	bool compared;           /**< a previous run was read */
	bool ran_overlay, ran_riverbuf, ran_gwzone;
	size_t overlay_conflicts, riverbuf_conflicts, gw_hits;
	size_t maps;
	bool ran_gwquality;      /**< gw_samples were classed (GB/T 14848) */
	size_t gw_failing;       /**< of which not meeting their target */
} lg_report_summary;

/**
 * Reads the job's inputs and runs every analysis it has inputs for.
 * Progress goes through lg_ctx_progress().  Errors are those of the
 * readers and analyses (exit 3 for bad input).  Free with
 * lg_report_destroy(ctx, ...).
 */
lg_status lg_report_run(lg_ctx *ctx, const lg_report_job *job, const lg_report_opts *opts,
			lg_report **out);
/** The run's findings (parcel_id, rule_id, severity, message, basis,
 *  evidence, title, next_step); borrowed from r. */
const lg_layer *lg_report_findings(const lg_report *r);
/** The run's summary; borrowed from r. */
const lg_report_summary *lg_report_get_summary(const lg_report *r);

/**
 * Writes every output of the job into `outdir`: first into a new
 * temporary directory next to it, then moved into place file by file, so
 * a failed write leaves an earlier report as it was (LG_WRITE naming the
 * file).  `written` (may be NULL) receives the paths written, as a
 * comma-separated list (lg_buf_release() it).
 */
lg_status lg_report_write(lg_ctx *ctx, lg_report *r, const char *outdir, lg_buf *written);
void lg_report_destroy(lg_ctx *ctx, lg_report *r);

#ifdef __cplusplus
}
#endif
#endif
