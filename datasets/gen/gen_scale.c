/* landguard-gen scale: benchmark data of any size, streamed.
 *
 * The plan is a jittered grid of quadrilaterals (~600 m² each) written row
 * by row: a vertex's jitter is a hash of its grid indices, so neighbouring
 * cells agree on shared corners (no gaps, no overlaps) and nothing but the
 * current feature is held in memory, whatever N is. */
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gen.h"

/* South-west corner of the benchmark square: just south-west of 新绛县,
 * inside 3-degree zone 37 even for 10M cells (~77 km across). */
#define SCALE_X0 37505000.0
#define SCALE_Y0 3925000.0
#define CELL_M2 600.0

typedef struct code_name {
	const char *code;
	const char *name;
	double w; /* weight within its zone */
} code_name;

/* 用地用海分类 (2023) codes per kind of landscape; weights are rough shares
 * for a county plain, not statistics. */
static const code_name z_farm[] = {
	{"0102", "水浇地", 55}, {"0103", "旱地", 20},     {"0101", "水田", 3},
	{"0201", "果园", 12},   {"0601", "乡村道路用地", 4}, {"1705", "沟渠", 3},
	{"0703", "农村宅基地", 3}, {NULL, NULL, 0}};
static const code_name z_village[] = {
	{"0703", "农村宅基地", 60}, {"0704", "农村社区服务设施用地", 5},
	{"0102", "水浇地", 20},    {"0601", "乡村道路用地", 8},
	{"1704", "坑塘水面", 3},    {"080403", "中小学用地", 4}, {NULL, NULL, 0}};
static const code_name z_town[] = {
	{"070102", "二类城镇住宅用地", 40}, {"090101", "零售商业用地", 12},
	{"080403", "中小学用地", 5},        {"080404", "幼儿园用地", 3},
	{"0806", "医疗卫生用地", 3},        {"0801", "机关团体用地", 4},
	{"1207", "城镇村道路用地", 15},     {"1401", "公园绿地", 8},
	{"1301", "供水用地", 2},            {"1001", "工业用地", 8}, {NULL, NULL, 0}};
static const code_name z_industry[] = {
	{"100102", "二类工业用地", 45}, {"100103", "三类工业用地", 15},
	{"1101", "物流仓储用地", 15},   {"1207", "城镇村道路用地", 12},
	{"1402", "防护绿地", 8},        {"1301", "供水用地", 5}, {NULL, NULL, 0}};
static const code_name z_hill[] = {
	{"0301", "乔木林地", 35}, {"0303", "灌木林地", 15}, {"0403", "其他草地", 20},
	{"0103", "旱地", 25},     {"1002", "采矿用地", 5}, {NULL, NULL, 0}};

static const code_name *pick(const code_name *z, double u)
{
	double tot = 0, acc = 0;
	const code_name *c;
	for (c = z; c->code; c++)
		tot += c->w;
	for (c = z; c->code; c++) {
		acc += c->w;
		if (u * tot < acc)
			return c;
	}
	return c - 1;
}

/* Landscape of a 16 × 16-cell block (~400 m): keeps land use in patches. */
static const code_name *zone_of(uint64_t seed, long long bi, long long bj)
{
	double u = gen_hash(seed, bi, bj, 77);
	if (u < 0.55)
		return z_farm;
	if (u < 0.70)
		return z_village;
	if (u < 0.80)
		return z_town;
	if (u < 0.90)
		return z_industry;
	return z_hill;
}

typedef struct grid {
	uint64_t seed;
	long long cols, rows;
	double s; /* cell side, m */
} grid;

static void vertex(const grid *g, long long i, long long j, double *x, double *y)
{
	/* ±0.25 cell keeps every quad convex, hence valid. */
	double jx = (gen_hash(g->seed, i, j, 1) - 0.5) * 0.5 * g->s;
	double jy = (gen_hash(g->seed, i, j, 2) - 0.5) * 0.5 * g->s;
	if (i == 0 || i == g->cols)
		jx = 0; /* straight outer edges */
	if (j == 0 || j == g->rows)
		jy = 0;
	*x = gen_mm(SCALE_X0 + (double)i * g->s + jx);
	*y = gen_mm(SCALE_Y0 + (double)j * g->s + jy);
}

static int write_plan(const gen_scale_opts *o, const grid *g)
{
	static const gen_field fields[] = {{"id", OFTInteger64, 0},
					   {"YDYHFLDM", OFTString, 10},
					   {"YDYHFLMC", OFTString, 40},
					   {NULL, 0, 0}};
	char path[PATH_MAX];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	int rc = gen_path(path, sizeof path, o->outdir, "plan.gpkg");
	long long id = 0;
	if (rc)
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)))
		goto done;
	if (!(lyr = gen_layer(ds, path, "plan", 4525, wkbPolygon, fields, NULL)))
		goto done;
	if (gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (long long j = 0; j < g->rows && id < o->n_plan; j++) {
		for (long long i = 0; i < g->cols && id < o->n_plan; i++) {
			OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
			OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
			const code_name *z = zone_of(g->seed, i / 16, j / 16);
			const code_name *c = pick(z, gen_hash(g->seed, i, j, 3));
			double x, y;
			/* counter-clockwise outer ring, as GPKG readers expect */
			static const int di[5] = {0, 1, 1, 0, 0}, dj[5] = {0, 0, 1, 1, 0};
			for (int k = 0; k < 5; k++) {
				vertex(g, i + di[k], j + dj[k], &x, &y);
				OGR_G_AddPoint_2D(ring, x, y);
			}
			OGR_G_AddGeometryDirectly(poly, ring);
			OGR_F_SetFieldInteger64(f, 0, ++id);
			OGR_F_SetFieldString(f, 1, c->code);
			OGR_F_SetFieldString(f, 2, c->name);
			OGR_F_SetGeometryDirectly(f, poly);
			if (gen_write(lyr, f, path))
				goto done;
		}
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

static const char *const STAGES[] = {"suspected", "investigated_clean", "polluted", "listed",
				     "controlling", "remediated", "removed"};
static const char *const INDUSTRIES[] = {"焦化", "化工", "农药", "电镀", "制革",
					 "有色金属冶炼", "石油加工", "危险废物贮存",
					 "铅蓄电池", "医药制造"};

/* A star-shaped ring round (cx, cy): angles increase monotonically, so the
 * ring never crosses itself whatever the radii. */
static OGRGeometryH star_ring(gen_rng *r, double cx, double cy, double rad, int nv,
			      double rmin, double rmax, int reverse)
{
	OGRGeometryH ring = OGR_G_CreateGeometry(wkbLinearRing);
	double x0 = 0, y0 = 0;
	double phase = gen_range(r, 0, 2 * M_PI);
	for (int k = 0; k < nv; k++) {
		int kk = reverse ? nv - k : k;
		double a = phase + 2 * M_PI * (kk + gen_range(r, -0.3, 0.3)) / nv;
		double rr = rad * gen_range(r, rmin, rmax);
		double x = gen_mm(cx + rr * cos(a)), y = gen_mm(cy + rr * sin(a));
		if (k == 0) {
			x0 = x;
			y0 = y;
		}
		OGR_G_AddPoint_2D(ring, x, y);
	}
	OGR_G_AddPoint_2D(ring, x0, y0);
	return ring;
}

static int write_sites(const gen_scale_opts *o, const grid *g, gen_rng *r)
{
	static const gen_field fields[] = {{"DKBH", OFTString, 20}, {"DKMC", OFTString, 60},
					   {"stage", OFTString, 20},
					   {"industry", OFTString, 20}, {NULL, 0, 0}};
	char path[PATH_MAX], buf[64];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	int rc = gen_path(path, sizeof path, o->outdir, "sites.gpkg");
	double w = (double)g->cols * g->s, h = (double)g->rows * g->s;
	if (rc)
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)))
		goto done;
	if (!(lyr = gen_layer(ds, path, "sites", 4525, wkbPolygon, fields, NULL)))
		goto done;
	if (gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (long long k = 0; k < o->n_sites; k++) {
		double area = gen_range(r, 0.5, 20.0) * 10000.0;
		double rad = sqrt(area / M_PI);
		double cx = SCALE_X0 + gen_range(r, rad, fmax(rad, w - rad));
		double cy = SCALE_Y0 + gen_range(r, rad, fmax(rad, h - rad));
		int nv = 8 + gen_int(r, 9);
		int stage = gen_int(r, 7), ind = gen_int(r, 10);
		OGRGeometryH poly = OGR_G_CreateGeometry(wkbPolygon);
		OGR_G_AddGeometryDirectly(poly, star_ring(r, cx, cy, rad, nv, 0.7, 1.3, 0));
		/* one in seven has an excluded core (a retained building) */
		if (gen_int(r, 7) == 0)
			OGR_G_AddGeometryDirectly(poly,
						  star_ring(r, cx, cy, rad * 0.2, 6, 0.8, 1.0, 1));
		snprintf(buf, sizeof buf, "140825-WR-%07lld", k + 1);
		OGR_F_SetFieldString(f, 0, buf);
		snprintf(buf, sizeof buf, "%s地块%lld", INDUSTRIES[ind], k + 1);
		OGR_F_SetFieldString(f, 1, buf);
		OGR_F_SetFieldString(f, 2, STAGES[stage]);
		OGR_F_SetFieldString(f, 3, INDUSTRIES[ind]);
		OGR_F_SetGeometryDirectly(f, poly);
		if (gen_write(lyr, f, path))
			goto done;
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

/* Three winding rivers across the square (and beyond it when the square is
 * small: each is at least 20-40 km long, as real county rivers are). */
static int write_water(const gen_scale_opts *o, const grid *g, gen_rng *r)
{
	static const gen_field fields[] = {{"name", OFTString, 20}, {"kind", OFTString, 10},
					   {"width_m", OFTReal, 0}, {NULL, 0, 0}};
	static const char *const names[3] = {"模拟河一", "模拟河二", "模拟河三"};
	static const double widths[3] = {200.0, 120.0, 60.0};
	char path[PATH_MAX];
	GDALDatasetH ds = NULL;
	OGRLayerH larea, lline;
	OGRFeatureH fa = NULL, fl = NULL;
	GEOSContextHandle_t gh = GEOS_init_r();
	int rc = gen_path(path, sizeof path, o->outdir, "water.gpkg");
	double w = (double)g->cols * g->s, h = (double)g->rows * g->s;
	if (rc)
		goto done_nods;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)))
		goto done;
	if (!(larea = gen_layer(ds, path, "mgmt_area", 4525, wkbPolygon, fields, NULL)))
		goto done;
	if (!(lline = gen_layer(ds, path, "centerlines", 4525, wkbLineString, fields, NULL)))
		goto done;
	fa = OGR_F_Create(OGR_L_GetLayerDefn(larea));
	fl = OGR_F_Create(OGR_L_GetLayerDefn(lline));
	if (gen_begin(larea, path))
		goto done;
	for (int k = 0; k < 3; k++) {
		double len = fmax(w * 1.05, 20000.0 + 10000.0 * k);
		double ybase = SCALE_Y0 + h * (k + 1) / 4.0;
		double amp = fmin(1500.0, fmax(h * 0.06, 300.0));
		double lam1 = gen_range(r, 3000, 6000), lam2 = gen_range(r, 800, 1600);
		double ph1 = gen_range(r, 0, 6.28), ph2 = gen_range(r, 0, 6.28);
		int nv = (int)(len / 50.0) + 1;
		OGRGeometryH line = OGR_G_CreateGeometry(wkbLineString);
		GEOSGeometry *gl = NULL, *gb = NULL;
		OGRGeometryH poly = NULL;
		for (int v = 0; v < nv; v++) {
			double t = (double)v * 50.0;
			double x = SCALE_X0 - w * 0.025 + t;
			double y = ybase + amp * sin(2 * M_PI * t / lam1 + ph1) +
				   amp * 0.25 * sin(2 * M_PI * t / lam2 + ph2);
			OGR_G_AddPoint_2D(line, gen_mm(x), gen_mm(y));
		}
		gl = gen_ogr_to_geos(gh, line);
		gb = gl ? GEOSBufferWithStyle_r(gh, gl, widths[k] / 2, 8, GEOSBUF_CAP_FLAT,
						GEOSBUF_JOIN_ROUND, 5.0)
			: NULL;
		if (gb) {
			GEOSGeometry *p = GEOSGeom_setPrecision_r(gh, gb, 0.001, 0);
			GEOSGeom_destroy_r(gh, gb);
			gb = p;
		}
		poly = gb ? gen_geos_to_ogr(gh, gb) : NULL;
		if (gl)
			GEOSGeom_destroy_r(gh, gl);
		if (gb)
			GEOSGeom_destroy_r(gh, gb);
		if (!poly) {
			OGR_G_DestroyGeometry(line);
			fprintf(stderr, "landguard-gen: cannot buffer river %d for '%s'\n", k + 1,
				path);
			rc = GEN_INTERNAL;
			goto done;
		}
		OGR_F_SetFieldString(fa, 0, names[k]);
		OGR_F_SetFieldString(fa, 1, "河道");
		OGR_F_SetFieldDouble(fa, 2, widths[k]);
		OGR_F_SetGeometryDirectly(fa, poly);
		OGR_F_SetFieldString(fl, 0, names[k]);
		OGR_F_SetFieldString(fl, 1, "河道");
		OGR_F_SetFieldDouble(fl, 2, widths[k]);
		OGR_F_SetGeometryDirectly(fl, line);
		if (gen_write(larea, fa, path) || gen_write(lline, fl, path))
			goto done;
	}
	if (gen_commit(larea, path))
		goto done;
	rc = GEN_OK;
done:
	if (fa)
		OGR_F_Destroy(fa);
	if (fl)
		OGR_F_Destroy(fl);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
done_nods:
	GEOS_finish_r(gh);
	return rc;
}

static const char *const MEDIA[] = {"细砂", "中砂", "粗砂", "砾石", "卵石", "裂隙", "岩溶"};
/* Typical K (m/d) per medium, and the n that goes with it. */
static const double MEDIA_K[] = {8, 20, 40, 100, 200, 2, 30};
static const double MEDIA_N[] = {0.25, 0.22, 0.2, 0.18, 0.15, 0.05, 0.1};

static int write_points(const gen_scale_opts *o, const grid *g, gen_rng *r)
{
	static const gen_field wf[] = {
		{"well_id", OFTString, 16}, {"name", OFTString, 40}, {"aquifer", OFTString, 8},
		{"medium", OFTString, 8},   {"K", OFTReal, 0},       {"I", OFTReal, 0},
		{"n", OFTReal, 0},          {"Q", OFTReal, 0},       {"field", OFTString, 40},
		{"drinking", OFTInteger, 0}, {NULL, 0, 0}};
	static const gen_field sf[] = {{"source_id", OFTString, 16},
				       {"source_type", OFTString, 20},
				       {"name", OFTString, 40}, {NULL, 0, 0}};
	static const char *const stypes[] = {"加油站", "垃圾填埋场", "危险废物处置场",
					     "化工园区企业", "重点排污单位", "污染地块"};
	char path[PATH_MAX], buf[64];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	double w = (double)g->cols * g->s, h = (double)g->rows * g->s;
	long long nw = o->n_plan / 200 > 0 ? o->n_plan / 200 : 1;
	long long ns = o->n_plan / 20 > 0 ? o->n_plan / 20 : 1;
	int rc = gen_path(path, sizeof path, o->outdir, "wells.gpkg");
	long long k = 0;
	if (rc)
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)))
		goto done;
	if (!(lyr = gen_layer(ds, path, "wells", 4525, wkbPoint, wf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	/* Wells come in fields of 3-5 (merging zones) or alone. */
	while (k < nw) {
		int group = gen_int(r, 3) == 0 ? 1 : 3 + gen_int(r, 3);
		double cx = SCALE_X0 + gen_range(r, 0, w), cy = SCALE_Y0 + gen_range(r, 0, h);
		int m = gen_int(r, 7);
		char field[40] = "";
		if (group > 1)
			snprintf(field, sizeof field, "水源地%lld", k + 1);
		for (int q = 0; q < group && k < nw; q++, k++) {
			double x = cx + (q ? gen_range(r, -400, 400) : 0);
			double y = cy + (q ? gen_range(r, -400, 400) : 0);
			OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
			OGR_G_SetPoint_2D(pt, 0, gen_mm(x), gen_mm(y));
			snprintf(buf, sizeof buf, "W%06lld", k + 1);
			OGR_F_SetFieldString(f, 0, buf);
			snprintf(buf, sizeof buf, "%lld号井", k + 1);
			OGR_F_SetFieldString(f, 1, buf);
			OGR_F_SetFieldString(f, 2, gen_int(r, 4) ? "潜水" : "承压水");
			OGR_F_SetFieldString(f, 3, MEDIA[m]);
			OGR_F_SetFieldDouble(f, 4, MEDIA_K[m]);
			OGR_F_SetFieldDouble(f, 5, round(gen_range(r, 0.002, 0.008) * 1e4) / 1e4);
			OGR_F_SetFieldDouble(f, 6, MEDIA_N[m]);
			OGR_F_SetFieldDouble(f, 7, round(gen_range(r, 500, 3000)));
			if (field[0])
				OGR_F_SetFieldString(f, 8, field);
			else
				OGR_F_SetFieldNull(f, 8);
			OGR_F_SetFieldInteger(f, 9, gen_int(r, 5) ? 1 : 0);
			OGR_F_SetGeometryDirectly(f, pt);
			if (gen_write(lyr, f, path))
				goto done;
		}
	}
	if (gen_commit(lyr, path))
		goto done;
	OGR_F_Destroy(f);
	f = NULL;
	if ((rc = gen_close(ds, path)))
		return rc;
	ds = NULL;
	rc = GEN_WRITE;

	if ((rc = gen_path(path, sizeof path, o->outdir, "sources.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)))
		goto done;
	if (!(lyr = gen_layer(ds, path, "sources", 4525, wkbPoint, sf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (k = 0; k < ns; k++) {
		int t = gen_int(r, 6);
		OGRGeometryH pt = OGR_G_CreateGeometry(wkbPoint);
		OGR_G_SetPoint_2D(pt, 0, gen_mm(SCALE_X0 + gen_range(r, 0, w)),
				  gen_mm(SCALE_Y0 + gen_range(r, 0, h)));
		snprintf(buf, sizeof buf, "S%07lld", k + 1);
		OGR_F_SetFieldString(f, 0, buf);
		OGR_F_SetFieldString(f, 1, stypes[t]);
		snprintf(buf, sizeof buf, "%s%lld", stypes[t], k + 1);
		OGR_F_SetFieldString(f, 2, buf);
		OGR_F_SetGeometryDirectly(f, pt);
		if (gen_write(lyr, f, path))
			goto done;
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int gen_scale_run(const gen_scale_opts *o)
{
	grid g;
	gen_rng r;
	int rc;
	double t0 = now_s();
	g.seed = o->seed;
	g.s = sqrt(CELL_M2);
	g.cols = (long long)ceil(sqrt((double)o->n_plan));
	g.rows = (o->n_plan + g.cols - 1) / g.cols;
	/* Each layer has its own stream, so changing --sites leaves the wells
	 * and sources of a given --plan unchanged. */
	if ((rc = write_plan(o, &g)))
		return rc;
	if (!o->quiet)
		fprintf(stderr, "landguard-gen: plan: %lld polygons in %.1f s\n", o->n_plan,
			now_s() - t0);
	gen_rng_seed(&r, o->seed ^ 0x5173u);
	if ((rc = write_sites(o, &g, &r)))
		return rc;
	gen_rng_seed(&r, o->seed ^ 0x3a7e4u);
	if ((rc = write_water(o, &g, &r)))
		return rc;
	gen_rng_seed(&r, o->seed ^ 0x3e115u);
	if ((rc = write_points(o, &g, &r)))
		return rc;
	if (!o->quiet)
		fprintf(stderr, "landguard-gen: wrote %s/{plan,sites,water,wells,sources}.gpkg "
				"in %.1f s\n",
			o->outdir, now_s() - t0);
	return GEN_OK;
}
