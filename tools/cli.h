/* Shared command-line plumbing for the subcommands. */
#ifndef LG_CLI_H
#define LG_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "landguard/landguard.h"

typedef struct cli_opt {
	const char *name;  /* long name without "--" */
	int short_name;    /* 0 = none */
	const char *arg;   /* argument name for --help, NULL = flag */
	const char *help;  /* one line */
} cli_opt;

typedef struct cli_role_field {
	char input[64]; /* "" = every input */
	lg_role role;
	const char *field;
} cli_role_field;

typedef struct cli {
	const char *cmd;
	lg_ctx *ctx;
	int json;
	int progress;
	int no_spatial_index;
	int threads;
	const char *s_srs, *t_srs, *work_srs, *encoding;
	const char *out, *driver;
	cli_role_field roles[32];
	int nroles;
	double last_progress;
	/* --workspace WS: the run is recorded there (cli_record_run) */
	const char *workspace;
	long long started_at; /* Unix seconds, at cli_init */
	char **argv;          /* the command's arguments, for params_json */
	int argc;
	int recorded;
} cli;

/* Options every command takes (listed in --help under "Common options"). */
extern const cli_opt cli_common_opts[];

/* Prepares c, makes the context and hooks log/progress to stderr. */
int cli_init(cli *c, const char *cmd);
void cli_release(cli *c);

/*
 * Parses argv with the command's own options plus the common ones.  For each
 * command option found, calls on_opt(c, name, arg, ud); a non-zero return is
 * a usage error (on_opt prints why).  Positional arguments are collected into
 * pos (up to maxpos).  Returns 0 on success, or the exit code to return now
 * (0 after --help with *done set, 2 on usage errors).
 */
int cli_parse(cli *c, int argc, char **argv, const cli_opt *opts,
	      const char *usage, const char *description, const char *examples,
	      int (*on_opt)(cli *, const char *, const char *, void *),
	      void *ud, char **pos, int maxpos, int *npos, int *done);

/* Fills read options for the input named `input` ("sites", "plan" ...). */
void cli_read_opts(const cli *c, const char *input, lg_read_opts *o);
/* Reports the context's error on stderr and returns its exit code. */
int cli_fail(cli *c, lg_status st);
/* Usage error: prints "landguard CMD: MSG" + hint and returns 2. */
int cli_usage_error(cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Parses a number for option `name`; prints a usage error on failure. */
int cli_number(cli *c, const char *name, const char *arg, double *out);
/* Prints the JSON summary (a complete object text) on stdout, with the
 * warnings added; returns 0 or 4 when stdout cannot be written.  With
 * --workspace and no cli_record_run() yet, records the run first (its
 * arguments, this summary and -o as its output). */
int cli_finish(cli *c, const char *json_body);

/*
 * Records the run in the --workspace file (a no-op returning 0 without
 * one): the command's arguments as params_json, `status` ("ok"),
 * `summary_json` (may be NULL), the outputs and findings (arrays may be
 * NULL when n is 0).  Commands call it at the end, before cli_finish();
 * cli_fail() records failed runs by itself.  Returns 0, or the exit code
 * after printing why the workspace could not be written.
 */
int cli_record_run(cli *c, const char *status, const char *summary_json,
		   const lg_ws_output *outputs, size_t noutputs,
		   const lg_ws_finding *findings, size_t nfindings);

/* The working CRS: --work-srs, else the CGCS2000 GK zone holding `ref`'s
 * extent (lg_crs_work_for); a geographic --work-srs is a usage error. */
lg_status cli_work_crs(cli *c, const lg_layer *ref, lg_crs **out);
/* LANDGUARD_TIMING=1 prints the time since t0 of a phase on stderr (for
 * bench/); returns the current time.  cli_phase(NULL, 0) starts a clock. */
double cli_phase(const char *name, double t0);

#endif
