#define _GNU_SOURCE
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lg_test.h"
#include "lg_internal.h"

lg_ctx *T;
static char tmpdir[256];

void lg_test_setup(void)
{
	T = lg_ctx_create();
	ck_assert_ptr_nonnull(T);
	tmpdir[0] = '\0';
}

static int rm_cb(const char *p, const struct stat *sb, int flag,
		 struct FTW *ftw)
{
	return remove(p);
}

void lg_test_teardown(void)
{
	lg_ctx_destroy(T);
	T = NULL;
	if (tmpdir[0])
		nftw(tmpdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
	tmpdir[0] = '\0';
}

GEOSContextHandle_t lg_test_geos(void)
{
	return T->geos;
}

GEOSGeometry *lg_test_wkt(const char *wkt)
{
	GEOSWKTReader *r = GEOSWKTReader_create_r(T->geos);
	GEOSGeometry *g = GEOSWKTReader_read_r(T->geos, r, wkt);
	GEOSWKTReader_destroy_r(T->geos, r);
	ck_assert_msg(g != NULL, "bad WKT in test: %s", wkt);
	return g;
}

const char *lg_test_tmpdir(void)
{
	if (!tmpdir[0]) {
		snprintf(tmpdir, sizeof tmpdir, "/tmp/lgtest.XXXXXX");
		ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	}
	return tmpdir;
}

const char *lg_test_tmp(const char *name)
{
	static char slots[8][512];
	static int k;
	char *s = slots[k++ & 7];
	snprintf(s, 512, "%s/%s", lg_test_tmpdir(), name);
	return s;
}

const char *lg_test_data(const char *name)
{
	static char slots[8][512];
	static int k;
	char *s = slots[k++ & 7];
	snprintf(s, 512, "%s/%s", LG_TEST_DATA, name);
	return s;
}

const char *lg_test_shared(const char *name)
{
	static char slots[8][512];
	static int k;
	char *s = slots[k++ & 7];
	snprintf(s, 512, "%s/%s", LG_SHARED_DATA, name);
	return access(s, R_OK) == 0 ? s : NULL;
}

int lg_test_geom_eq(const GEOSGeometry *a, const GEOSGeometry *b, double tol,
		    char *msg, size_t n)
{
	GEOSContextHandle_t h = T->geos;
	GEOSWKTWriter *w = GEOSWKTWriter_create_r(h);
	GEOSGeometry *na, *nb;
	char *wa, *wb;
	int eq;
	if (!a) {
		snprintf(msg, n, "obtained NULL geometry");
		GEOSWKTWriter_destroy_r(h, w);
		return 0;
	}
	na = GEOSGeom_clone_r(h, a);
	nb = GEOSGeom_clone_r(h, b);
	GEOSNormalize_r(h, na);
	GEOSNormalize_r(h, nb);
	eq = GEOSEqualsExact_r(h, na, nb, tol) == 1;
	GEOSWKTWriter_setTrim_r(h, w, 1);
	wa = GEOSWKTWriter_write_r(h, w, na);
	wb = GEOSWKTWriter_write_r(h, w, nb);
	snprintf(msg, n, "geometries differ:\n  obtained %s\n  expected %s", wa,
		 wb);
	GEOSFree_r(h, wa);
	GEOSFree_r(h, wb);
	GEOSGeom_destroy_r(h, na);
	GEOSGeom_destroy_r(h, nb);
	GEOSWKTWriter_destroy_r(h, w);
	return eq;
}

int lg_test_run(Suite *s)
{
	SRunner *sr = srunner_create(s);
	int nf;
	srunner_run_all(sr, CK_NORMAL);
	nf = srunner_ntests_failed(sr);
	srunner_free(sr);
	return nf ? 1 : 0;
}

void lg_test_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot create %s", path);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

char *lg_test_slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long len;
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
	buf[len] = '\0';
	fclose(f);
	if (n)
		*n = (size_t)len;
	return buf;
}
