/* Shared helpers for the check suites. */
#ifndef LG_TEST_H
#define LG_TEST_H

#define GEOS_USE_ONLY_R_API
#include <check.h>
#include <geos_c.h>

#include "landguard/landguard.h"

/* A fresh context per test (checked fixture). */
extern lg_ctx *T;
void lg_test_setup(void);
void lg_test_teardown(void);

/* Geometry from WKT in T's handle; aborts the test on bad WKT. */
GEOSGeometry *lg_test_wkt(const char *wkt);
/* A new temporary directory (removed at teardown); path borrowed. */
const char *lg_test_tmpdir(void);
/* Joins tmpdir and name into a static buffer slot (8 rotating slots). */
const char *lg_test_tmp(const char *name);
/* Path of a fixture under tests/data. */
const char *lg_test_data(const char *name);
/* Path under ../shared/data, or NULL when shared/ is absent. */
const char *lg_test_shared(const char *name);
/* Writes text to path (fails the test on error). */
void lg_test_write_file(const char *path, const char *text);
/* The whole file as a NUL-terminated string (free()); *n its length when
 * n is not NULL; NULL when the file cannot be read. */
char *lg_test_slurp(const char *path, size_t *n);
/* Run a suite; returns the number of failures (main's exit code). */
int lg_test_run(Suite *s);

/* Normalised geometry comparison with a tolerance; prints both WKTs. */
#define LG_ASSERT_GEOM_EQ(got, want_wkt, tol)                                  \
	do {                                                                   \
		GEOSGeometry *w_ = lg_test_wkt(want_wkt);                      \
		char msg_[4096];                                               \
		int eq_ = lg_test_geom_eq((got), w_, (tol), msg_,              \
					  sizeof msg_);                        \
		GEOSGeom_destroy_r(lg_test_geos(), w_);                        \
		ck_assert_msg(eq_, "%s", msg_);                                \
	} while (0)
int lg_test_geom_eq(const GEOSGeometry *a, const GEOSGeometry *b, double tol,
		    char *msg, size_t n);
GEOSContextHandle_t lg_test_geos(void);

#endif
