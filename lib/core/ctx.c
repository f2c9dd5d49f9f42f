/* The context: GEOS handle, PROJ context, error state, callbacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lg_internal.h"

#ifndef LG_SOURCE_DATADIR
#define LG_SOURCE_DATADIR ""
#endif
#ifndef LG_INSTALL_DATADIR
#define LG_INSTALL_DATADIR "/usr/local/share/landguard"
#endif

static void geos_msg(const char *msg, void *ud)
{
	lg_ctx *ctx = ud;
	snprintf(ctx->geos_msg, sizeof ctx->geos_msg, "%s", msg ? msg : "");
}

/* PROJ logs at its own level; errors reach us through proj_context_errno,
 * so its log only feeds debug output. */
static void proj_msg(void *ud, int level, const char *msg)
{
	lg_ctx *ctx = ud;
	if (ctx->log && level == PJ_LOG_ERROR)
		ctx->log(ctx->log_ud, LG_LOG_DEBUG, msg);
}

static lg_ctx *ctx_new(void)
{
	lg_ctx *ctx = calloc(1, sizeof *ctx);
	if (!ctx)
		return NULL;
	ctx->geos = GEOS_init_r();
	ctx->proj = proj_context_create();
	if (!ctx->geos || !ctx->proj) {
		lg_ctx_destroy(ctx);
		return NULL;
	}
	GEOSContext_setErrorMessageHandler_r(ctx->geos, geos_msg, ctx);
	GEOSContext_setNoticeMessageHandler_r(ctx->geos, NULL, NULL);
	proj_log_func(ctx->proj, ctx, proj_msg);
	proj_log_level(ctx->proj, PJ_LOG_ERROR);
	return ctx;
}

lg_ctx *lg_ctx_create(void)
{
	return ctx_new();
}

lg_ctx *lg_ctx_create_worker(const lg_ctx *parent)
{
	lg_ctx *ctx = ctx_new();
	if (!ctx || !parent)
		return ctx;
	ctx->log = parent->log;
	ctx->log_ud = parent->log_ud;
	ctx->threads = parent->threads;
	if (parent->datadir)
		ctx->datadir = strdup(parent->datadir);
	/* Warnings of workers are merged by the caller, not logged twice;
	 * progress is reported by the coordinating thread only. */
	return ctx;
}

void lg_ctx_destroy(lg_ctx *ctx)
{
	if (!ctx)
		return;
	if (ctx->geos)
		GEOS_finish_r(ctx->geos);
	if (ctx->proj)
		proj_context_destroy(ctx->proj);
	for (size_t i = 0; i < ctx->nwarnings; i++)
		free(ctx->warnings[i]);
	free(ctx->warnings);
	free(ctx->datadir);
	free(ctx);
}

lg_status lg_ctx_verror(lg_ctx *ctx, lg_status st, const char *fmt,
			va_list ap)
{
	if (!ctx)
		return st;
	ctx->err = st;
	vsnprintf(ctx->errmsg, sizeof ctx->errmsg, fmt, ap);
	return st;
}

lg_status lg_ctx_error(lg_ctx *ctx, lg_status st, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lg_ctx_verror(ctx, st, fmt, ap);
	va_end(ap);
	return st;
}

const char *lg_ctx_errmsg(const lg_ctx *ctx)
{
	return ctx ? ctx->errmsg : "";
}

lg_status lg_ctx_errcode(const lg_ctx *ctx)
{
	return ctx ? ctx->err : LG_OK;
}

void lg_ctx_clear_error(lg_ctx *ctx)
{
	ctx->err = LG_OK;
	ctx->errmsg[0] = '\0';
	ctx->geos_msg[0] = '\0';
}

static void keep_warning(lg_ctx *ctx, const char *msg)
{
	if (ctx->nwarnings == ctx->capwarnings) {
		size_t cap = ctx->capwarnings ? ctx->capwarnings * 2 : 8;
		char **w = realloc(ctx->warnings, cap * sizeof *w);
		if (!w)
			return; /* a lost warning must not fail the run */
		ctx->warnings = w;
		ctx->capwarnings = cap;
	}
	char *copy = strdup(msg);
	if (copy)
		ctx->warnings[ctx->nwarnings++] = copy;
}

void lg_ctx_warn(lg_ctx *ctx, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	keep_warning(ctx, msg);
	if (ctx->log)
		ctx->log(ctx->log_ud, LG_LOG_WARN, msg);
}

void lg_ctx_info(lg_ctx *ctx, const char *fmt, ...)
{
	char msg[2048];
	va_list ap;
	if (!ctx->log)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ctx->log(ctx->log_ud, LG_LOG_INFO, msg);
}

size_t lg_ctx_nwarnings(const lg_ctx *ctx)
{
	return ctx->nwarnings;
}

const char *lg_ctx_warning(const lg_ctx *ctx, size_t i)
{
	return i < ctx->nwarnings ? ctx->warnings[i] : NULL;
}

void lg_ctx_merge_warnings(lg_ctx *ctx, const lg_ctx *worker)
{
	for (size_t i = 0; i < worker->nwarnings; i++)
		keep_warning(ctx, worker->warnings[i]);
}

void lg_ctx_set_log(lg_ctx *ctx, lg_log_fn fn, void *ud)
{
	ctx->log = fn;
	ctx->log_ud = ud;
}

void lg_ctx_set_progress(lg_ctx *ctx, lg_progress_fn fn, void *ud)
{
	ctx->progress = fn;
	ctx->progress_ud = ud;
}

void lg_ctx_progress(lg_ctx *ctx, const char *stage, double done,
		     double total)
{
	if (ctx->progress)
		ctx->progress(ctx->progress_ud, stage, done, total);
}

void lg_ctx_set_threads(lg_ctx *ctx, int n)
{
	ctx->threads = n;
}

int lg_ctx_threads(const lg_ctx *ctx)
{
	if (ctx->threads > 0)
		return ctx->threads;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (int)(n > 64 ? 64 : n) : 1;
}

static int is_dir(const char *p)
{
	struct stat st;
	return p && *p && stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

const char *lg_ctx_datadir(const lg_ctx *ctx)
{
	const char *env;
	if (ctx->datadir)
		return ctx->datadir;
	env = getenv("LANDGUARD_DATA");
	if (is_dir(env))
		return env;
	if (is_dir(LG_SOURCE_DATADIR))
		return LG_SOURCE_DATADIR;
	return LG_INSTALL_DATADIR;
}

void lg_ctx_set_datadir(lg_ctx *ctx, const char *dir)
{
	free(ctx->datadir);
	ctx->datadir = dir ? strdup(dir) : NULL;
}

void lg_ctx_fail_alloc_at(lg_ctx *ctx, long n)
{
	ctx->fail_alloc_at = n;
	ctx->alloc_count = 0;
}

long lg_ctx_alloc_count(const lg_ctx *ctx)
{
	return ctx->alloc_count;
}
