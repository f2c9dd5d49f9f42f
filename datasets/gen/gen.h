/* landguard-gen: shared pieces of the demo and benchmark data generator.
 *
 * The generator is a tool, not part of liblandguard: it talks to GDAL/OGR,
 * GEOS and PROJ directly, and everything it writes must be byte-identical
 * for a given seed and size (tests and benchmarks compare runs with cmp).
 * All randomness therefore comes from the PRNG below, seeded explicitly,
 * or from gen_hash() of integer coordinates (so a streaming writer can
 * recompute a shared grid vertex without storing it). */
#ifndef LG_GEN_H
#define LG_GEN_H

#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>
#include <stdint.h>
#include <stdio.h>

/* Exit codes, as CONTRACT.md. */
enum { GEN_OK = 0, GEN_USAGE = 2, GEN_INPUT = 3, GEN_WRITE = 4, GEN_INTERNAL = 5 };

/* The one piece of mutable state that is passed around: xoshiro256**,
 * seeded through splitmix64 (both public-domain algorithms by Vigna). */
typedef struct gen_rng {
	uint64_t s[4];
} gen_rng;

static inline uint64_t gen_splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static inline void gen_rng_seed(gen_rng *r, uint64_t seed)
{
	uint64_t x = seed;
	for (int i = 0; i < 4; i++)
		r->s[i] = gen_splitmix64(&x);
}

static inline uint64_t gen_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t gen_rng_next(gen_rng *r)
{
	uint64_t *s = r->s;
	uint64_t res = gen_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;
	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = gen_rotl(s[3], 45);
	return res;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double gen_unif(gen_rng *r)
{
	return (double)(gen_rng_next(r) >> 11) * 0x1.0p-53;
}

static inline double gen_range(gen_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * gen_unif(r);
}

/* Uniform integer in [0, n); n small, so the modulo bias is negligible. */
static inline int gen_int(gen_rng *r, int n)
{
	return (int)(gen_rng_next(r) % (uint64_t)n);
}

/* Stateless hash of a few integers to [0, 1): the same grid vertex gets the
 * same jitter from whichever cell asks, without storing the grid. */
static inline double gen_hash(uint64_t seed, int64_t a, int64_t b, int64_t c)
{
	uint64_t x = seed ^ ((uint64_t)a * 0x9e3779b97f4a7c15ULL);
	uint64_t h = gen_splitmix64(&x);
	x = h ^ ((uint64_t)b * 0xc2b2ae3d27d4eb4fULL);
	h = gen_splitmix64(&x);
	x = h ^ ((uint64_t)c * 0x165667b19e3779f9ULL);
	h = gen_splitmix64(&x);
	return (double)(h >> 11) * 0x1.0p-53;
}

/* Round to the millimetre: survey data carry 3 decimals, and rounding keeps
 * the files free of float noise that differs between compilers. */
double gen_mm(double v);

/* ---- OGR helpers (gen_io.c). Each prints one line naming the file on
 * failure and returns NULL / GEN_WRITE. ---- */

typedef struct gen_field {
	const char *name;
	OGRFieldType type;
	int width; /* 0 = driver default */
} gen_field;

/* Fixed timestamps, quiet error handler; call once before writing. */
void gen_gdal_setup(void);
/* A new SRS from an EPSG code, x = easting whatever the CRS declares. */
OGRSpatialReferenceH gen_srs(int epsg);
/* Creates (replacing) a dataset with the named driver. */
GDALDatasetH gen_create(const char *driver, const char *path, char **dsco);
/* Creates a layer with fields; epsg 0 means no CRS. */
OGRLayerH gen_layer(GDALDatasetH ds, const char *path, const char *name, int epsg,
		    OGRwkbGeometryType gt, const gen_field *fields, char **lco);
int gen_begin(OGRLayerH lyr, const char *path);
int gen_commit(OGRLayerH lyr, const char *path);
/* Writes f (FID reset so the feature can be reused). */
int gen_write(OGRLayerH lyr, OGRFeatureH f, const char *path);
/* Closes the dataset and reports any error raised while flushing. */
int gen_close(GDALDatasetH ds, const char *path);
/* GEOS geometry to a new OGR geometry (via WKB); NULL on failure. */
OGRGeometryH gen_geos_to_ogr(GEOSContextHandle_t h, const GEOSGeometry *g);
GEOSGeometry *gen_ogr_to_geos(GEOSContextHandle_t h, OGRGeometryH g);
/* dir/name into buf (PATH_MAX); creates dir (and parents) when needed. */
int gen_path(char *buf, size_t n, const char *dir, const char *name);
int gen_mkdirs(const char *dir);

/* ---- the two modes ---- */
typedef struct gen_scale_opts {
	long long n_plan;
	long long n_sites;
	uint64_t seed;
	const char *outdir;
	int quiet;
} gen_scale_opts;
int gen_scale_run(const gen_scale_opts *o);

typedef struct gen_demo_opts {
	const char *outline; /* geojson with the 新绛县 feature (lon/lat) */
	const char *outdir;
	uint64_t seed;
	int only_small; /* skip the big survey/plan layers */
	int quiet;
} gen_demo_opts;
int gen_demo_run(const gen_demo_opts *o);

#endif
