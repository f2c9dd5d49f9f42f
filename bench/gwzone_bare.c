/* The baseline of issue 6: the plain single-threaded C loop a careful
 * programmer writes for gwzone.  OGR reads the wells; each well is
 * buffered by its radii (formula when K, I, n are given and the aquifer
 * is phreatic, else the upper end of the table; confined: level I only),
 * each level is merged with one GEOSUnaryUnion (cascaded), level II − I;
 * the parts go into an STRtree, every source point is tested with
 * prepared intersects (strictest level wins) and its nearest well found
 * with GEOSSTRtree_nearest; hits go to a CSV.  No well-field hulls and no
 * quasi zones (the scale data have no quasi zone left outside level II).
 * usage: gwzone_bare WELLS.gpkg SOURCES.gpkg HITS.csv
 * prints: parts_I parts_II area_I area_II hits_I hits_II */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <gdal.h>
#include <math.h>
#include <ogr_api.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const MED[] = {"细砂", "中砂", "粗砂", "砾石", "卵石"};
static const double R1[] = {50, 100, 200, 500, 1000}, R2[] = {500, 1000, 2000, 5000, 10000};

typedef struct {
	GEOSContextHandle_t h;
	size_t *cand;
	size_t nc;
} qctx;

static void hit(void *item, void *ud)
{
	qctx *c = ud;
	c->cand[c->nc++] = (size_t)item - 1;
}

static GEOSGeometry *merge(GEOSContextHandle_t h, GEOSGeometry **g, size_t n)
{
	GEOSGeometry *coll = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, g, (unsigned)n);
	GEOSGeometry *u = GEOSUnaryUnion_r(h, coll);
	GEOSGeom_destroy_r(h, coll);
	return u;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: gwzone_bare WELLS SOURCES HITS.csv\n");
		return 2;
	}
	GDALAllRegister();
	GEOSContextHandle_t h = GEOS_init_r();
	GDALDatasetH wd = GDALOpenEx(argv[1], GDAL_OF_VECTOR, NULL, NULL, NULL);
	GDALDatasetH sd = GDALOpenEx(argv[2], GDAL_OF_VECTOR, NULL, NULL, NULL);
	if (!wd || !sd)
		return 3;
	OGRLayerH wl = GDALDatasetGetLayer(wd, 0), sl = GDALDatasetGetLayer(sd, 0);
	OGRFeatureDefnH fd = OGR_L_GetLayerDefn(wl);
	int fa = OGR_FD_GetFieldIndex(fd, "aquifer"), fm = OGR_FD_GetFieldIndex(fd, "medium");
	int fk = OGR_FD_GetFieldIndex(fd, "K"), fi = OGR_FD_GetFieldIndex(fd, "I");
	int fn = OGR_FD_GetFieldIndex(fd, "n"), fid = OGR_FD_GetFieldIndex(fd, "well_id");
	size_t cap = (size_t)OGR_L_GetFeatureCount(wl, 1) + 1, nw = 0, n1 = 0, n2 = 0;
	GEOSGeometry **c1 = calloc(cap, sizeof *c1), **c2 = calloc(cap, sizeof *c2);
	GEOSGeometry **pts = calloc(cap, sizeof *pts);
	char **ids = calloc(cap, sizeof *ids);
	GEOSSTRtree *wt = GEOSSTRtree_create_r(h, 10);
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(wl))) {
		OGRGeometryH g = OGR_F_GetGeometryRef(f);
		double x = OGR_G_GetX(g, 0), y = OGR_G_GetY(g, 0);
		const char *aq = OGR_F_GetFieldAsString(f, fa), *m = OGR_F_GetFieldAsString(f, fm);
		double K = OGR_F_GetFieldAsDouble(f, fk), I = OGR_F_GetFieldAsDouble(f, fi);
		double n = OGR_F_GetFieldAsDouble(f, fn);
		bool confined = !strcmp(aq, "承压水");
		int mi = -1;
		for (int k = 0; k < 5; k++)
			if (!strcmp(m, MED[k]))
				mi = k;
		double r1, r2;
		if (confined && mi >= 0)
			r1 = R1[mi], r2 = 0;
		else if (K > 0 && I > 0 && n > 0)
			r1 = 1.5 * K * I * 100 / n, r2 = confined ? 0 : 1.5 * K * I * 1000 / n;
		else if (mi >= 0)
			r1 = R1[mi], r2 = R2[mi];
		else
			r1 = r2 = 0;
		GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, x, y);
		if (r1 > 0)
			c1[n1++] = GEOSBuffer_r(h, p, r1, 32);
		if (r2 > 0)
			c2[n2++] = GEOSBuffer_r(h, p, r2, 32);
		pts[nw] = p;
		ids[nw] = strdup(OGR_F_GetFieldAsString(f, fid));
		GEOSGeom_setUserData_r(h, p, (void *)(nw + 1));
		GEOSSTRtree_insert_r(h, wt, p, p);
		nw++;
		OGR_F_Destroy(f);
	}
	GEOSGeometry *u1 = merge(h, c1, n1), *u2 = merge(h, c2, n2);
	GEOSGeometry *ring = GEOSDifference_r(h, u2, u1);
	GEOSGeometry *lv[2] = {u1, ring};
	GEOSSTRtree *zt = GEOSSTRtree_create_r(h, 10);
	size_t np = 0, npart[2] = {0, 0};
	double area[2] = {0, 0};
	const GEOSGeometry **part = NULL;
	const GEOSPreparedGeometry **prep = NULL;
	int *plevel = NULL;
	for (int l = 0; l < 2; l++) {
		int k = GEOSGetNumGeometries_r(h, lv[l]);
		part = realloc(part, (np + (size_t)k) * sizeof *part);
		prep = realloc(prep, (np + (size_t)k) * sizeof *prep);
		plevel = realloc(plevel, (np + (size_t)k) * sizeof *plevel);
		for (int i = 0; i < k; i++) {
			double a;
			part[np] = GEOSGetGeometryN_r(h, lv[l], i);
			GEOSArea_r(h, part[np], &a);
			area[l] += a;
			npart[l]++;
			prep[np] = GEOSPrepare_r(h, part[np]);
			plevel[np] = l;
			GEOSSTRtree_insert_r(h, zt, part[np], (void *)(np + 1));
			np++;
		}
	}
	FILE *out = fopen(argv[3], "w");
	fprintf(out, "source_id,source_type,level,well_id,dist_m\n");
	qctx q = {h, calloc(np + 1, sizeof(size_t)), 0};
	size_t hits[2] = {0, 0};
	OGRFeatureDefnH sfd = OGR_L_GetLayerDefn(sl);
	int sid = OGR_FD_GetFieldIndex(sfd, "source_id"), sty = OGR_FD_GetFieldIndex(sfd, "source_type");
	while ((f = OGR_L_GetNextFeature(sl))) {
		OGRGeometryH og = OGR_F_GetGeometryRef(f);
		GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, OGR_G_GetX(og, 0), OGR_G_GetY(og, 0));
		q.nc = 0;
		GEOSSTRtree_query_r(h, zt, p, hit, &q);
		int best = 2;
		for (size_t k = 0; k < q.nc; k++)
			if (plevel[q.cand[k]] < best && GEOSPreparedIntersects_r(h, prep[q.cand[k]], p) == 1)
				best = plevel[q.cand[k]];
		if (best < 2) {
			const GEOSGeometry *w = GEOSSTRtree_nearest_r(h, wt, p);
			double d = 0;
			GEOSDistance_r(h, w, p, &d);
			fprintf(out, "%s,%s,%s,%s,%.2f\n", OGR_F_GetFieldAsString(f, sid),
				OGR_F_GetFieldAsString(f, sty), best ? "II" : "I",
				ids[(size_t)GEOSGeom_getUserData_r(h, w) - 1], d);
			hits[best]++;
		}
		GEOSGeom_destroy_r(h, p);
		OGR_F_Destroy(f);
	}
	fclose(out);
	printf("%zu %zu %.4f %.4f %zu %zu\n", npart[0], npart[1], area[0], area[1], hits[0], hits[1]);
	return 0;
}
