/**
 * The workspace: one SpatiaLite file holding imported layers (every
 * version, with source, time and checksum) and the history of runs (their
 * parameters, outputs and findings), so that a later run (the quarterly
 * review) can compare with an earlier one.
 *
 * Layout (all in one SQLite file, SpatiaLite metadata initialised):
 *   lg_layers(name, version, tbl, source, imported_at, sha256,
 *             feature_count, crs)          one row per imported version
 *   <name>__v<N>                           the version's features, a
 *                                          SpatiaLite table (column geom,
 *                                          R*Tree index), readable by GDAL
 *   lg_runs(run_id, command, params_json, started_at, finished_at,
 *           status, summary_json)
 *   lg_run_outputs(run_id, path, kind, rows)
 *   lg_findings(run_id, parcel_id, rule_id, severity, message, evidence)
 *
 * Any command reads `WS.sqlite#name` (the latest version) or
 * `WS.sqlite#name@v2`; lg_layer_read() maps those to the version table.
 *
 * Concurrency: every write is one BEGIN IMMEDIATE transaction on a
 * connection with a busy timeout (30 s), in WAL mode, so two processes
 * writing one workspace queue instead of failing or corrupting it; a
 * crash leaves the last committed state.  One lg_ws per thread.
 *
 * Ownership: lg_ws_open() hands out a handle freed with lg_ws_close();
 * arrays returned through out-parameters are freed with the matching
 * _free call.  Timestamps are UTC, ISO 8601 ("2026-11-29T10:00:00Z").
 */
#ifndef LANDGUARD_WORKSPACE_H
#define LANDGUARD_WORKSPACE_H

#include "landguard/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lg_ws lg_ws;

/**
 * Opens the workspace at `path`.  With `create`, a missing file is made and
 * the schema set up (an existing workspace is opened as it is); without,
 * LG_NOFILE when missing and LG_INPUT when the file is not a workspace.
 * Free with lg_ws_close().
 */
lg_status lg_ws_open(lg_ctx *ctx, const char *path, bool create, lg_ws **out);
/** Closes the workspace; NULL is a no-op. */
void lg_ws_close(lg_ws *ws);
/** The path the workspace was opened with.  Borrowed. */
const char *lg_ws_path(const lg_ws *ws);

/** One imported version of a layer. */
typedef struct lg_ws_layer {
	char *name;
	int version;
	char *table; /* "<name>__v<N>" */
	char *source;
	char *imported_at;
	char *sha256; /* 64 hex digits */
	int64_t feature_count;
	char *crs; /* "EPSG:4527" or the CRS name, "" when none */
} lg_ws_layer;

/** Frees n entries and the array; NULL is a no-op. */
void lg_ws_layers_free(lg_ws_layer *v, size_t n);

/**
 * Imports `source` (anything lg_layer_read() takes) as layer `name` (NULL
 * = the source's layer name).  The source's checksum (SHA-256 of its
 * file(s) and layer name; of its content for PG: sources) is compared with
 * the latest version of `name`: the same → nothing is written and
 * *unchanged is true; different or new → a new version.  `info` (may be
 * NULL) receives the version now current; release with lg_ws_layers_free(
 * info, 1)-style lg_ws_layer_release().
 * LG_USAGE for a bad name (empty, or holding '#', '@', '/', '"' or control
 * characters); read errors as lg_layer_read() gives them.
 */
lg_status lg_ws_import(lg_ctx *ctx, lg_ws *ws, const char *source,
		       const char *name, const lg_read_opts *ro,
		       lg_ws_layer *info, bool *unchanged);
/** Frees the strings of one lg_ws_layer (not the struct). */
void lg_ws_layer_release(lg_ws_layer *l);

/** Every imported version, by name then version.  Free with
 *  lg_ws_layers_free(*out, *n). */
lg_status lg_ws_list(lg_ctx *ctx, lg_ws *ws, lg_ws_layer **out, size_t *n);

/**
 * Drops layer `name`: version `version`, or every version when 0.  Tables
 * and catalogue rows go in one transaction.  *ndropped (may be NULL) says
 * how many versions went; LG_INPUT when none matched.
 */
lg_status lg_ws_drop(lg_ctx *ctx, lg_ws *ws, const char *name, int version,
		     size_t *ndropped);

/** A finding of a run (a rule hit, or an overlay pair). */
typedef struct lg_ws_finding {
	const char *parcel_id, *rule_id, *severity, *message;
	const char *evidence; /* JSON text, may be NULL */
} lg_ws_finding;

/** An output a run wrote. */
typedef struct lg_ws_output {
	const char *path, *kind; /* kind: "table", "ledger", "report" ... */
	int64_t rows;
} lg_ws_output;

/** Everything recorded about a run; strings are borrowed from the caller. */
typedef struct lg_ws_run_rec {
	const char *command;     /* "overlay" */
	const char *params_json; /* options as a JSON object */
	int64_t started_at, finished_at; /* Unix seconds */
	const char *status;      /* "ok", "failed: ...", "findings" */
	const char *summary_json; /* the command's --json summary, may be NULL */
	const lg_ws_output *outputs;
	size_t noutputs;
	const lg_ws_finding *findings;
	size_t nfindings;
} lg_ws_run_rec;

/** Records a run in one transaction; *run_id (may be NULL) gets its id. */
lg_status lg_ws_record_run(lg_ctx *ctx, lg_ws *ws, const lg_ws_run_rec *rec,
			   int64_t *run_id);

/** A recorded run, as lg_ws_runs() returns it. */
typedef struct lg_ws_run {
	int64_t run_id;
	char *command, *params_json, *started_at, *finished_at, *status,
		*summary_json;
	int64_t noutputs, nfindings;
} lg_ws_run;

/** Every run, oldest first.  Free with lg_ws_runs_free(*out, *n). */
lg_status lg_ws_runs(lg_ctx *ctx, lg_ws *ws, lg_ws_run **out, size_t *n);
void lg_ws_runs_free(lg_ws_run *v, size_t n);

/** Findings of one run, sorted by parcel_id, rule_id.  Each entry's
 *  strings are owned by the array; free with lg_ws_findings_free(). */
lg_status lg_ws_findings(lg_ctx *ctx, lg_ws *ws, int64_t run_id,
			 lg_ws_finding **out, size_t *n);
void lg_ws_findings_free(lg_ws_finding *v, size_t n);

/**
 * SHA-256 of a source as lg_ws_import() computes it (hex, 65 bytes with
 * the NUL): the bytes of its file (a shapefile's .shp .shx .dbf .prj .cpg;
 * every file of a directory source), preceded by the layer name.  LG_INPUT
 * for PG: and other non-file sources (their content is hashed on import).
 */
lg_status lg_source_sha256(lg_ctx *ctx, const char *source, char hex[65]);

#ifdef __cplusplus
}
#endif
#endif
