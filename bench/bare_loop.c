/* The baseline of issue 4: a plain single-threaded C loop a careful
 * programmer writes in an afternoon.  OGR reads both layers, a GEOS
 * STRtree indexes the sites, each plan polygon is tested with prepared
 * intersects and intersected, pairs go to a CSV with WKT.
 * usage: bare_loop SITES.gpkg PLAN.gpkg OUT.csv */
#define GEOS_USE_ONLY_R_API
#include <geos_c.h>
#include <ogr_api.h>
#include <gdal.h>
#include <stdio.h>
#include <stdlib.h>

typedef struct {
	GEOSContextHandle_t h;
	GEOSGeometry **g;
	const GEOSPreparedGeometry **p;
	size_t *cand;
	size_t n, nc;
} ctx;

static void hit(void *item, void *ud)
{
	ctx *c = ud;
	c->cand[c->nc++] = (size_t)item - 1;
}

static GEOSGeometry *to_geos(GEOSContextHandle_t h, OGRGeometryH g)
{
	int n = OGR_G_WkbSize(g);
	unsigned char *b = malloc((size_t)n);
	OGR_G_ExportToWkb(g, wkbNDR, b);
	GEOSGeometry *out = GEOSGeomFromWKB_buf_r(h, b, (size_t)n);
	free(b);
	return out;
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: bare_loop SITES PLAN OUT.csv\n");
		return 2;
	}
	GDALAllRegister();
	ctx c = {GEOS_init_r()};
	GDALDatasetH sd = GDALOpenEx(argv[1], GDAL_OF_VECTOR, NULL, NULL, NULL);
	GDALDatasetH pd = GDALOpenEx(argv[2], GDAL_OF_VECTOR, NULL, NULL, NULL);
	if (!sd || !pd)
		return 3;
	OGRLayerH sl = GDALDatasetGetLayer(sd, 0), pl = GDALDatasetGetLayer(pd, 0);
	size_t cap = (size_t)OGR_L_GetFeatureCount(sl, 1) + 1;
	c.g = calloc(cap, sizeof *c.g);
	c.p = calloc(cap, sizeof *c.p);
	c.cand = calloc(cap, sizeof *c.cand);
	GEOSSTRtree *tree = GEOSSTRtree_create_r(c.h, 10);
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(sl))) {
		c.g[c.n] = to_geos(c.h, OGR_F_GetGeometryRef(f));
		c.p[c.n] = GEOSPrepare_r(c.h, c.g[c.n]);
		GEOSSTRtree_insert_r(c.h, tree, c.g[c.n], (void *)(c.n + 1));
		c.n++;
		OGR_F_Destroy(f);
	}
	FILE *out = fopen(argv[3], "w");
	GEOSWKTWriter *w = GEOSWKTWriter_create_r(c.h);
	GEOSWKTWriter_setRoundingPrecision_r(c.h, w, 3);
	fprintf(out, "site,plan,area,WKT\n");
	size_t pairs = 0;
	double total = 0;
	while ((f = OGR_L_GetNextFeature(pl))) {
		GEOSGeometry *g = to_geos(c.h, OGR_F_GetGeometryRef(f));
		c.nc = 0;
		GEOSSTRtree_query_r(c.h, tree, g, hit, &c);
		for (size_t k = 0; k < c.nc; k++) {
			size_t s = c.cand[k];
			if (GEOSPreparedIntersects_r(c.h, c.p[s], g) != 1)
				continue;
			GEOSGeometry *x = GEOSIntersection_r(c.h, c.g[s], g);
			double a = 0;
			GEOSArea_r(c.h, x, &a);
			if (a > 0.01) {
				char *wkt = GEOSWKTWriter_write_r(c.h, w, x);
				fprintf(out, "%zu,%lld,%.4f,\"%s\"\n", s, (long long)OGR_F_GetFID(f), a, wkt);
				GEOSFree_r(c.h, wkt);
				pairs++;
				total += a;
			}
			GEOSGeom_destroy_r(c.h, x);
		}
		GEOSGeom_destroy_r(c.h, g);
		OGR_F_Destroy(f);
	}
	fclose(out);
	printf("%zu %.4f\n", pairs, total);
	return 0;
}
