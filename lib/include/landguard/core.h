/**
 * landguard core: status codes, the context object, logging and progress.
 *
 * Ownership rule for the whole library: a function that returns a pointer
 * through an out-parameter hands it to the caller, who frees it with the
 * matching _destroy call; every _destroy accepts NULL.  Strings returned as
 * `const char *` are borrowed and valid until the next call on the same
 * object.  One lg_ctx per thread; never share one between threads.
 */
#ifndef LANDGUARD_CORE_H
#define LANDGUARD_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LG_VERSION "0.1.0"

/**
 * X(name, exit_code, text): every status, its CLI exit code (CONTRACT.md) and
 * a short description.  Families: 3 = bad input, 4 = cannot write, 5 = internal.
 */
#define LG_STATUS_MAP(X)                                                       \
	X(OK, 0, "success")                                                    \
	X(USAGE, 2, "usage error")                                             \
	X(NOFILE, 3, "input file not found")                                   \
	X(INPUT, 3, "bad input")                                               \
	X(NOCRS, 3, "no coordinate reference system")                          \
	X(FIELD, 3, "missing or bad field")                                    \
	X(CODE, 3, "unknown code or value")                                    \
	X(GEOM, 3, "bad geometry")                                             \
	X(WRITE, 4, "cannot write output")                                     \
	X(NOMEM, 5, "out of memory")                                           \
	X(INTERNAL, 5, "internal error")

typedef enum lg_status {
#define LG__ENUM(n, e, s) LG_##n,
	LG_STATUS_MAP(LG__ENUM)
#undef LG__ENUM
	LG_STATUS__COUNT
} lg_status;

/** Short name of a status ("INPUT"); never NULL. */
const char *lg_status_name(lg_status st);
/** Description of a status ("bad input"); never NULL. */
const char *lg_status_str(lg_status st);
/** Exit code of CONTRACT.md for a status (0, 2, 3, 4, 5). */
int lg_status_exit(lg_status st);

typedef enum lg_log_level {
	LG_LOG_DEBUG = 0,
	LG_LOG_INFO = 1,
	LG_LOG_WARN = 2,
} lg_log_level;

typedef void (*lg_log_fn)(void *ud, lg_log_level level, const char *msg);
/** Progress: `stage` names the step, done/total in any unit (total 0 = unknown). */
typedef void (*lg_progress_fn)(void *ud, const char *stage, double done,
			       double total);

typedef struct lg_ctx lg_ctx;

/** A new context with its own GEOS handle and PROJ context; NULL on OOM. */
lg_ctx *lg_ctx_create(void);
/**
 * A worker context for another thread: own GEOS handle and PROJ context,
 * same log/progress callbacks and thread count as `parent`.  Warnings it
 * collects are merged back by lg_ctx_merge_warnings().
 */
lg_ctx *lg_ctx_create_worker(const lg_ctx *parent);
/** Frees the context and everything it owns; NULL is a no-op. */
void lg_ctx_destroy(lg_ctx *ctx);

/** Sets the error state and returns `st`.  Message: what, where, what to do. */
lg_status lg_ctx_error(lg_ctx *ctx, lg_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
lg_status lg_ctx_verror(lg_ctx *ctx, lg_status st, const char *fmt,
			va_list ap);
/** Last error message; "" when none.  Borrowed, valid until the next error. */
const char *lg_ctx_errmsg(const lg_ctx *ctx);
/** Last error status (LG_OK when none). */
lg_status lg_ctx_errcode(const lg_ctx *ctx);
void lg_ctx_clear_error(lg_ctx *ctx);

/** Emits a warning through the log callback and keeps it for lg_ctx_warning(). */
void lg_ctx_warn(lg_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void lg_ctx_info(lg_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t lg_ctx_nwarnings(const lg_ctx *ctx);
/** i-th warning kept so far; borrowed, valid while ctx lives. */
const char *lg_ctx_warning(const lg_ctx *ctx, size_t i);
/** Appends the warnings of `worker` to `ctx` (without logging them again). */
void lg_ctx_merge_warnings(lg_ctx *ctx, const lg_ctx *worker);

void lg_ctx_set_log(lg_ctx *ctx, lg_log_fn fn, void *ud);
void lg_ctx_set_progress(lg_ctx *ctx, lg_progress_fn fn, void *ud);
void lg_ctx_progress(lg_ctx *ctx, const char *stage, double done,
		     double total);

/** Worker threads for parallel analyses; 0 or less = all cores. */
void lg_ctx_set_threads(lg_ctx *ctx, int n);
int lg_ctx_threads(const lg_ctx *ctx);

/**
 * Directory holding the datasets/ tables (code lists, limits, styles).
 * Default: $LANDGUARD_DATA, else the build tree's datasets/, else the
 * installed share directory.  Borrowed.
 */
const char *lg_ctx_datadir(const lg_ctx *ctx);
void lg_ctx_set_datadir(lg_ctx *ctx, const char *dir);

/**
 * Fault injection for tests: make the n-th (1-based) allocation through the
 * context fail; 0 disables.  lg_ctx_alloc_count() tells how many were made.
 */
void lg_ctx_fail_alloc_at(lg_ctx *ctx, long n);
long lg_ctx_alloc_count(const lg_ctx *ctx);

/**
 * A growing string (used for messages and JSON summaries).  Functions return
 * 0, or -1 when out of memory (the buffer then keeps what it had).
 * lg_buf_release() frees the text; a released buffer can be reused.
 */
typedef struct lg_buf {
	char *s;
	size_t len, cap;
} lg_buf;
void lg_buf_init(lg_buf *b);
void lg_buf_release(lg_buf *b);
int lg_buf_add(lg_buf *b, const char *s, size_t n);
int lg_buf_puts(lg_buf *b, const char *s);
int lg_buf_printf(lg_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Appends a JSON string literal of UTF-8 text, quotes included. */
int lg_buf_json_str(lg_buf *b, const char *s);


#ifdef __cplusplus
}
#endif
#endif
