/* landguard-gen demo: the geography of the demo county.
 *
 * Only the outline is real. Towns, rivers, roads, villages and the land-use
 * mosaic are drawn from a handful of lon/lat anchors (roughly where the real
 * places are) plus seeded noise, then clipped to the outline with GEOS. */
#include <cpl_string.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gen_demo.h"

const char *const DEMO_TOWNS[DEMO_NTOWNS] = {"龙兴镇", "三泉镇", "泽掌镇",
					      "北张镇", "古交镇", "万安镇",
					      "阳王镇", "横桥镇", "新绛经济技术开发区"};
const char *const DEMO_TOWN_CODES[DEMO_NTOWNS] = {"140825100", "140825101", "140825102",
						   "140825103", "140825104", "140825105",
						   "140825106", "140825107", "140825400"};
/* Approximate lon/lat of each town centre; 龙兴镇 is the county seat. */
static const double TOWN_LL[DEMO_NTOWNS][2] = {
	{111.222, 35.622}, {111.125, 35.615}, {111.265, 35.560},
	{111.290, 35.690}, {111.150, 35.740}, {111.215, 35.680},
	{111.185, 35.530}, {111.095, 35.505}, {111.258, 35.628}};

/* River anchors, lon/lat, from upstream to downstream. 汾河 enters in the
 * east and leaves in the west, ~1.3 km south of the seat; 浍河 comes from the
 * south-east; 三泉河 runs from 三泉水库 north to 汾河. The first and last
 * anchors of 汾河 and 浍河 lie outside the county so clipping makes the ends. */
static const double FEN_LL[][2] = {{111.330, 35.648}, {111.290, 35.640}, {111.262, 35.626},
				   {111.240, 35.610}, {111.220, 35.604}, {111.190, 35.602},
				   {111.160, 35.598}, {111.125, 35.594}, {111.095, 35.586},
				   {111.050, 35.578}};
static const double HUI_LL[][2] = {{111.330, 35.515}, {111.300, 35.535}, {111.282, 35.552},
				   {111.268, 35.570}, {111.256, 35.588}, {111.250, 35.602}};
static const double SQ_LL[][2] = {{111.133, 35.530}, {111.129, 35.548}, {111.136, 35.567},
				  {111.128, 35.585}};
static const double RES_LL[2] = {111.135, 35.520};
static const double ROAD_LL[3][5][2] = {
	/* G108, east-west through the seat */
	{{111.030, 35.596}, {111.120, 35.618}, {111.222, 35.630}, {111.300, 35.652}, {111.370, 35.668}},
	/* county road north-south through the seat */
	{{111.205, 35.830}, {111.214, 35.700}, {111.222, 35.632}, {111.226, 35.550}, {111.232, 35.440}},
	/* expressway south of 汾河 */
	{{111.020, 35.552}, {111.110, 35.566}, {111.200, 35.578}, {111.280, 35.590}, {111.370, 35.600}},
};

/* River bed and management-line half widths (m): 汾河 bed ~200 m (DOMAIN §9),
 * 浍河 ~80 m, 三泉河 ~30 m; the strip to the management line (堤防 and
 * 护堤地) is a guess of the right order for Shanxi (5-10 m 护堤地 plus dykes). */
static const double BED_HW[3] = {100.0, 40.0, 15.0};
static const double MGMT_HW[3] = {140.0, 65.0, 25.0};

double demo_dist(const dpt a, const dpt b)
{
	return hypot(a.x - b.x, a.y - b.y);
}

int demo_ll(demo *d, double lon, double lat, dpt *out)
{
	double x = lon, y = lat;
	if (!OCTTransform(d->ll2gk, 1, &x, &y, NULL)) {
		fprintf(stderr, "landguard-gen: cannot transform %.4f,%.4f to EPSG:4525\n", lon,
			lat);
		return GEN_INTERNAL;
	}
	out->x = gen_mm(x);
	out->y = gen_mm(y);
	return GEN_OK;
}

/* Towns are the Voronoi cells of their centres, so the nearest centre is
 * the town: no polygon test needed for the 25k survey cells. */
int demo_town_of(const demo *d, dpt p)
{
	int best = 0;
	double bd = INFINITY;
	for (int k = 0; k < DEMO_NTOWNS; k++) {
		double dd = demo_dist(p, d->town_seed[k]);
		if (dd < bd) {
			bd = dd;
			best = k;
		}
	}
	return best;
}

static GEOSGeometry *ring_poly(demo *d, const double *xy, int n, const double *hxy, int hn)
{
	GEOSContextHandle_t h = d->h;
	GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, (unsigned)n + 1, 2);
	GEOSGeometry *shell, *hole = NULL;
	for (int k = 0; k <= n; k++) {
		int kk = k % n;
		GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, gen_mm(xy[2 * kk]), gen_mm(xy[2 * kk + 1]));
	}
	shell = GEOSGeom_createLinearRing_r(h, cs);
	if (hn > 0) {
		GEOSCoordSequence *hs = GEOSCoordSeq_create_r(h, (unsigned)hn + 1, 2);
		for (int k = 0; k <= hn; k++) {
			int kk = k % hn;
			GEOSCoordSeq_setXY_r(h, hs, (unsigned)k, gen_mm(hxy[2 * kk]),
					     gen_mm(hxy[2 * kk + 1]));
		}
		hole = GEOSGeom_createLinearRing_r(h, hs);
		return GEOSGeom_createPolygon_r(h, shell, &hole, 1);
	}
	return GEOSGeom_createPolygon_r(h, shell, NULL, 0);
}

/* A w × h rectangle turned by ang_deg; with hole, a 30 × 20 m excluded area
 * (a retained substation, say) off the centre, so centre samples avoid it. */
GEOSGeometry *demo_rect(demo *d, dpt c, double w, double h, double ang_deg, int hole)
{
	double a = ang_deg * M_PI / 180.0, ca = cos(a), sa = sin(a);
	/* counter-clockwise shell, clockwise hole (OGC simple features) */
	static const double U[4][2] = {{-0.5, -0.5}, {0.5, -0.5}, {0.5, 0.5}, {-0.5, 0.5}};
	double xy[8], hxy[8];
	for (int k = 0; k < 4; k++) {
		double u = U[k][0] * w, v = U[k][1] * h;
		xy[2 * k] = c.x + u * ca - v * sa;
		xy[2 * k + 1] = c.y + u * sa + v * ca;
		u = 0.25 * w + U[3 - k][0] * 30.0;
		v = 0.2 * h + U[3 - k][1] * 20.0;
		hxy[2 * k] = c.x + u * ca - v * sa;
		hxy[2 * k + 1] = c.y + u * sa + v * ca;
	}
	return ring_poly(d, xy, 4, hxy, hole ? 4 : 0);
}

/* An irregular star-shaped outline of mean radius r (area ~ π r²). */
GEOSGeometry *demo_star(demo *d, dpt c, double r, int nv)
{
	double xy[64];
	double ph = gen_range(&d->rng, 0, 2 * M_PI);
	if (nv > 32)
		nv = 32;
	for (int k = 0; k < nv; k++) {
		double a = ph + 2 * M_PI * (k + gen_range(&d->rng, -0.3, 0.3)) / nv;
		double rr = r * gen_range(&d->rng, 0.75, 1.25);
		xy[2 * k] = c.x + rr * cos(a);
		xy[2 * k + 1] = c.y + rr * sin(a);
	}
	return ring_poly(d, xy, nv, NULL, 0);
}

GEOSGeometry *demo_point(demo *d, dpt p)
{
	return GEOSGeom_createPointFromXY_r(d->h, gen_mm(p.x), gen_mm(p.y));
}

/* Only the polygons of a GEOS result (intersections can add lines and
 * points), as a MultiPolygon; NULL when nothing of area is left. */
static GEOSGeometry *polygonal(demo *d, GEOSGeometry *g)
{
	GEOSContextHandle_t h = d->h;
	int t = GEOSGeomTypeId_r(h, g), n;
	GEOSGeometry *parts[256];
	int np = 0;
	if (t == GEOS_POLYGON) {
		double a = 0;
		GEOSArea_r(h, g, &a);
		if (a < 1.0) { /* slivers from clipping are noise, not land */
			GEOSGeom_destroy_r(h, g);
			return NULL;
		}
		return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, &g, 1);
	}
	n = GEOSGetNumGeometries_r(h, g);
	for (int k = 0; k < n && np < 256; k++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, g, k);
		double a = 0;
		if (GEOSGeomTypeId_r(h, p) != GEOS_POLYGON)
			continue;
		GEOSArea_r(h, p, &a);
		if (a >= 1.0)
			parts[np++] = GEOSGeom_clone_r(h, p);
	}
	GEOSGeom_destroy_r(h, g);
	if (np == 0)
		return NULL;
	return GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, parts, (unsigned)np);
}

int demo_write_geos(demo *d, OGRLayerH lyr, OGRFeatureH f, const GEOSGeometry *g,
		    const char *path)
{
	if (g) {
		OGRGeometryH og = gen_geos_to_ogr(d->h, g);
		if (!og) {
			fprintf(stderr, "landguard-gen: cannot convert a geometry for '%s'\n", path);
			return GEN_INTERNAL;
		}
		OGR_F_SetGeometryDirectly(f, og);
	} else {
		OGR_F_SetGeometryDirectly(f, NULL);
	}
	return gen_write(lyr, f, path);
}

static int load_outline(demo *d)
{
	const char *path = d->o->outline;
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL, NULL, NULL);
	OGRLayerH lyr;
	OGRFeatureH f, found = NULL;
	OGRGeometryH g;
	OGRSpatialReferenceH ll = NULL;
	OGREnvelope env;
	int rc = GEN_INPUT, nfeat = 0;
	if (!ds) {
		fprintf(stderr, "landguard-gen: cannot open outline '%s'; give --outline with the "
				"新绛县 polygon (lon/lat GeoJSON)\n",
			path);
		return GEN_INPUT;
	}
	lyr = GDALDatasetGetLayer(ds, 0);
	OGR_L_ResetReading(lyr);
	while (lyr && (f = OGR_L_GetNextFeature(lyr))) {
		int idx = OGR_F_GetFieldIndex(f, "name");
		nfeat++;
		if (!found && idx >= 0 && !strcmp(OGR_F_GetFieldAsString(f, idx), "新绛县"))
			found = f;
		else if (!found && nfeat == 1)
			found = f; /* a single-feature file needs no name */
		else
			OGR_F_Destroy(f);
		if (found && idx >= 0 && !strcmp(OGR_F_GetFieldAsString(found, idx), "新绛县"))
			break;
	}
	if (!found || !(g = OGR_F_GetGeometryRef(found))) {
		fprintf(stderr, "landguard-gen: no feature name=新绛县 with a geometry in '%s'\n",
			path);
		goto done;
	}
	/* The web-map outline is declared CRS84; treat it as CGCS2000 (EPSG:4490),
	 * the two differ by far less than the outline's own ~50 m quantisation. */
	g = OGR_G_Clone(g);
	if (!(ll = gen_srs(4490)))
		goto done;
	OGR_G_AssignSpatialReference(g, ll);
	if (OGR_G_Transform(g, d->ll2gk) != OGRERR_NONE) {
		fprintf(stderr, "landguard-gen: cannot transform the outline in '%s' to EPSG:4525\n",
			path);
		OGR_G_DestroyGeometry(g);
		goto done;
	}
	OGR_G_GetEnvelope(g, &env);
	if (env.MinX < 37300000 || env.MaxX > 37700000) {
		fprintf(stderr, "landguard-gen: outline in '%s' is not in 3-degree zone 37 "
				"(111°E ± 1.5°); is it 新绛县 in lon/lat?\n",
			path);
		OGR_G_DestroyGeometry(g);
		goto done;
	}
	{
		GEOSGeometry *gg = gen_ogr_to_geos(d->h, g);
		OGR_G_DestroyGeometry(g);
		if (!gg)
			goto done;
		d->county = GEOSGeom_setPrecision_r(d->h, gg, 0.001, 0);
		GEOSGeom_destroy_r(d->h, gg);
	}
	if (!d->county)
		goto done;
	d->minx = env.MinX;
	d->miny = env.MinY;
	d->maxx = env.MaxX;
	d->maxy = env.MaxY;
	d->county_inner = GEOSBuffer_r(d->h, d->county, -700.0, 8);
	d->county_p = GEOSPrepare_r(d->h, d->county);
	d->inner_p = GEOSPrepare_r(d->h, d->county_inner);
	rc = GEN_OK;
done:
	if (found)
		OGR_F_Destroy(found);
	if (ll)
		OSRDestroySpatialReference(ll);
	GDALClose(ds);
	return rc;
}

/* A meandering line through anchors: segments cut every 100 m and pushed
 * sideways by two sine waves of the distance along the river. */
static GEOSGeometry *meander(demo *d, const double (*ll)[2], int n, double amp, double lam)
{
	GEOSContextHandle_t h = d->h;
	dpt p[16];
	double xy[2 * 2048];
	int nv = 0;
	double s = 0, ph = gen_range(&d->rng, 0, 6.283), ph2 = gen_range(&d->rng, 0, 6.283);
	GEOSCoordSequence *cs;
	for (int k = 0; k < n; k++)
		if (demo_ll(d, ll[k][0], ll[k][1], &p[k]))
			return NULL;
	for (int k = 0; k + 1 < n; k++) {
		double L = demo_dist(p[k], p[k + 1]);
		int m = (int)(L / 100.0) + 1;
		double tx = (p[k + 1].x - p[k].x) / L, ty = (p[k + 1].y - p[k].y) / L;
		for (int q = 0; q < m && nv < 2047; q++) {
			double t = L * q / m, off;
			/* no sideways push at the anchors, so joins stay where drawn */
			double taper = sin(M_PI * q / m);
			off = taper * (amp * sin(2 * M_PI * (s + t) / lam + ph) +
				       0.3 * amp * sin(2 * M_PI * (s + t) / (lam * 0.37) + ph2));
			xy[2 * nv] = p[k].x + tx * t - ty * off;
			xy[2 * nv + 1] = p[k].y + ty * t + tx * off;
			nv++;
		}
		s += L;
	}
	xy[2 * nv] = p[n - 1].x;
	xy[2 * nv + 1] = p[n - 1].y;
	nv++;
	cs = GEOSCoordSeq_create_r(h, (unsigned)nv, 2);
	for (int k = 0; k < nv; k++)
		GEOSCoordSeq_setXY_r(h, cs, (unsigned)k, gen_mm(xy[2 * k]), gen_mm(xy[2 * k + 1]));
	return GEOSGeom_createLineString_r(h, cs);
}

/* The longest piece of line ∩ county: a wiggly outline can cut a river
 * into pieces, and a river is one line. */
static GEOSGeometry *clip_line(demo *d, GEOSGeometry *line)
{
	GEOSContextHandle_t h = d->h;
	GEOSGeometry *x = GEOSIntersection_r(h, line, d->county), *best = NULL;
	double bl = -1;
	int n;
	GEOSGeom_destroy_r(h, line);
	if (!x)
		return NULL;
	if (GEOSGeomTypeId_r(h, x) == GEOS_LINESTRING)
		return x;
	{
		GEOSGeometry *m = GEOSLineMerge_r(h, x);
		if (m) {
			GEOSGeom_destroy_r(h, x);
			x = m;
			if (GEOSGeomTypeId_r(h, x) == GEOS_LINESTRING)
				return x;
		}
	}
	n = GEOSGetNumGeometries_r(h, x);
	for (int k = 0; k < n; k++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(h, x, k);
		double L = 0;
		GEOSLength_r(h, p, &L);
		if (GEOSGeomTypeId_r(h, p) == GEOS_LINESTRING && L > bl) {
			bl = L;
			best = (GEOSGeometry *)p;
		}
	}
	best = best ? GEOSGeom_clone_r(h, best) : NULL;
	GEOSGeom_destroy_r(h, x);
	return best;
}

/* Tributary ends exactly on the main river's centre line. */
static GEOSGeometry *snap_end(demo *d, GEOSGeometry *trib, const GEOSGeometry *main)
{
	GEOSContextHandle_t h = d->h;
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, trib);
	unsigned n = 0;
	GEOSCoordSequence *nc;
	GEOSGeometry *endp, *out;
	GEOSCoordSequence *np;
	double ex, ey, mx, my;
	GEOSCoordSeq_getSize_r(h, cs, &n);
	GEOSCoordSeq_getXY_r(h, cs, n - 1, &ex, &ey);
	endp = GEOSGeom_createPointFromXY_r(h, ex, ey);
	np = GEOSNearestPoints_r(h, main, endp);
	GEOSGeom_destroy_r(h, endp);
	if (!np)
		return trib;
	GEOSCoordSeq_getXY_r(h, np, 0, &mx, &my);
	GEOSCoordSeq_destroy_r(h, np);
	nc = GEOSCoordSeq_create_r(h, n + 1, 2);
	for (unsigned k = 0; k < n; k++) {
		double x, y;
		GEOSCoordSeq_getXY_r(h, cs, k, &x, &y);
		GEOSCoordSeq_setXY_r(h, nc, k, x, y);
	}
	GEOSCoordSeq_setXY_r(h, nc, n, mx, my);
	out = GEOSGeom_createLineString_r(h, nc);
	GEOSGeom_destroy_r(h, trib);
	return out;
}

static GEOSGeometry *clip_area(demo *d, GEOSGeometry *g)
{
	GEOSGeometry *x = GEOSIntersection_r(d->h, g, d->county);
	GEOSGeometry *p;
	GEOSGeom_destroy_r(d->h, g);
	if (!x)
		return NULL;
	p = GEOSGeom_setPrecision_r(d->h, x, 0.001, 0);
	GEOSGeom_destroy_r(d->h, x);
	return p;
}

static int build_water(demo *d)
{
	GEOSContextHandle_t h = d->h;
	dpt rc;
	GEOSGeometry *parts[4];
	d->line[0] = clip_line(d, meander(d, FEN_LL, 10, 160.0, 2600.0));
	d->line[1] = meander(d, HUI_LL, 6, 90.0, 1500.0);
	d->line[2] = meander(d, SQ_LL, 4, 40.0, 900.0);
	if (!d->line[0] || !d->line[1] || !d->line[2])
		return GEN_INTERNAL;
	d->line[1] = clip_line(d, snap_end(d, d->line[1], d->line[0]));
	d->line[2] = snap_end(d, d->line[2], d->line[0]);
	if (!d->line[1] || !d->line[2])
		return GEN_INTERNAL;
	for (int k = 0; k < 3; k++) {
		d->bed[k] = clip_area(d, GEOSBuffer_r(h, d->line[k], BED_HW[k], 8));
		d->mgmt[k] = clip_area(d, GEOSBuffer_r(h, d->line[k], MGMT_HW[k], 8));
	}
	/* 三泉水库: an ellipse of 1.8 × 0.9 km (~1.3 km²) turned 25°, and a 50 m
	 * management strip round it. */
	if (demo_ll(d, RES_LL[0], RES_LL[1], &rc))
		return GEN_INTERNAL;
	{
		double xy[2 * 72];
		double a = 25 * M_PI / 180;
		for (int k = 0; k < 72; k++) {
			double t = 2 * M_PI * k / 72, u = 900 * cos(t), v = 450 * sin(t);
			xy[2 * k] = rc.x + u * cos(a) - v * sin(a);
			xy[2 * k + 1] = rc.y + u * sin(a) + v * cos(a);
		}
		d->bed[3] = ring_poly(d, xy, 72, NULL, 0);
		d->mgmt[3] = GEOSBuffer_r(h, d->bed[3], 50.0, 8);
		{
			GEOSGeometry *p = GEOSGeom_setPrecision_r(h, d->mgmt[3], 0.001, 0);
			GEOSGeom_destroy_r(h, d->mgmt[3]);
			d->mgmt[3] = p;
		}
	}
	for (int k = 0; k < 4; k++)
		if (!d->bed[k] || !d->mgmt[k])
			return GEN_INTERNAL;
	for (int k = 0; k < 4; k++)
		parts[k] = GEOSGeom_clone_r(h, d->bed[k]);
	{
		GEOSGeometry *c = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, 4);
		d->bed_all = GEOSUnaryUnion_r(h, c);
		GEOSGeom_destroy_r(h, c);
	}
	for (int k = 0; k < 4; k++)
		parts[k] = GEOSGeom_clone_r(h, d->mgmt[k]);
	{
		GEOSGeometry *c = GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, 4);
		d->mgmt_all = GEOSUnaryUnion_r(h, c);
		GEOSGeom_destroy_r(h, c);
	}
	if (!d->bed_all || !d->mgmt_all)
		return GEN_INTERNAL;
	d->bed_p = GEOSPrepare_r(h, d->bed_all);
	d->mgmt_p = GEOSPrepare_r(h, d->mgmt_all);
	return GEN_OK;
}

static double dist_geom(demo *d, dpt p, const GEOSGeometry *g)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(d->h, p.x, p.y);
	double dd = INFINITY;
	GEOSDistance_r(d->h, pt, g, &dd);
	GEOSGeom_destroy_r(d->h, pt);
	return dd;
}

static int inside(demo *d, const GEOSPreparedGeometry *pg, dpt p)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(d->h, p.x, p.y);
	int r = GEOSPreparedContains_r(d->h, pg, pt) == 1;
	GEOSGeom_destroy_r(d->h, pt);
	return r;
}

static int cmp_slot(const void *a, const void *b)
{
	const double *x = a, *y = b;
	if (x[0] != y[0])
		return x[0] < y[0] ? -1 : 1;
	return x[1] < y[1] ? -1 : x[1] > y[1];
}

int demo_geo_build(demo *d)
{
	int rc;
	double(*cand)[4] = NULL;
	int nc = 0;
	if ((rc = load_outline(d)))
		return rc;
	for (int k = 0; k < DEMO_NTOWNS; k++)
		if ((rc = demo_ll(d, TOWN_LL[k][0], TOWN_LL[k][1], &d->town_seed[k])))
			return rc;
	d->seat = d->town_seed[0];
	d->kfq = d->town_seed[8];
	if ((rc = build_water(d))) {
		fprintf(stderr, "landguard-gen: cannot draw the rivers (GEOS failed)\n");
		return rc;
	}
	for (int k = 0; k < 3; k++) {
		GEOSCoordSequence *cs = GEOSCoordSeq_create_r(d->h, 5, 2);
		for (int q = 0; q < 5; q++) {
			dpt p;
			if ((rc = demo_ll(d, ROAD_LL[k][q][0], ROAD_LL[k][q][1], &p)))
				return rc;
			GEOSCoordSeq_setXY_r(d->h, cs, (unsigned)q, p.x, p.y);
		}
		d->road[k] = GEOSGeom_createLineString_r(d->h, cs);
	}
	/* Slots for planted cases: a 1.8 km grid inside the county, away from
	 * the rivers, nearest the seat first. Clusters in
	 * different slots stay > 500 m apart, so one case cannot trigger
	 * another's distance rule by accident. */
	if (!(cand = malloc(sizeof *cand * DEMO_MAX_SLOTS * 4))) {
		fprintf(stderr, "landguard-gen: out of memory\n");
		return GEN_INTERNAL;
	}
	for (double y = d->miny + 900; y < d->maxy; y += 1800) {
		for (double x = d->minx + 900; x < d->maxx; x += 1800) {
			dpt p = {x, y};
			int ok;
			if (nc >= DEMO_MAX_SLOTS * 4)
				break;
			ok = inside(d, d->inner_p, p) && dist_geom(d, p, d->mgmt_all) > 1000;
			if (!ok)
				continue;
			cand[nc][0] = round(demo_dist(p, d->seat));
			cand[nc][1] = nc;
			cand[nc][2] = x;
			cand[nc][3] = y;
			nc++;
		}
	}
	qsort(cand, (size_t)nc, sizeof cand[0], cmp_slot);
	for (int k = 0; k < nc && d->nslots < DEMO_MAX_SLOTS; k++) {
		d->slot[d->nslots].x = cand[k][2];
		d->slot[d->nslots].y = cand[k][3];
		d->nslots++;
	}
	free(cand);
	/* Villages: ~1 km apart, off the seat, the zone, the river beds
	 * and the case slots. */
	for (int tries = 0; tries < 20000 && d->nvillages < DEMO_NVILLAGES; tries++) {
		dpt p = {gen_range(&d->rng, d->minx, d->maxx), gen_range(&d->rng, d->miny, d->maxy)};
		int ok = inside(d, d->county_p, p) && demo_dist(p, d->seat) > 3200 &&
			 demo_dist(p, d->kfq) > 1800;
		for (int k = 0; ok && k < d->nvillages; k++)
			if (demo_dist(p, d->village[k]) < 1100)
				ok = 0;
		if (ok && dist_geom(d, p, d->mgmt_all) < 350)
			ok = 0;
		for (int k = 0; ok && k < d->nslots && k < 80; k++)
			if (demo_dist(p, d->slot[k]) < 900)
				ok = 0;
		if (ok)
			d->village[d->nvillages++] = p;
	}
	return GEN_OK;
}

/* ---- writing the small geography layers ---- */

static int write_county_towns(demo *d)
{
	static const gen_field cf[] = {{"name", OFTString, 20}, {"code", OFTString, 12},
				       {NULL, 0, 0}};
	static const gen_field tf[] = {{"town_code", OFTString, 12}, {"name", OFTString, 40},
				       {NULL, 0, 0}};
	GEOSContextHandle_t h = d->h;
	char path[PATH_MAX];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	GEOSGeometry *seeds = NULL, *vor = NULL, *pts[DEMO_NTOWNS];
	int rc;
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "county.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "county", 4525, wkbMultiPolygon, cf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	OGR_F_SetFieldString(f, 0, "新绛县");
	OGR_F_SetFieldString(f, 1, "140825");
	{
		GEOSGeometry *m = polygonal(d, GEOSGeom_clone_r(h, d->county));
		rc = demo_write_geos(d, lyr, f, m, path);
		GEOSGeom_destroy_r(h, m);
		if (rc)
			goto done;
		rc = GEN_WRITE;
	}
	if (gen_commit(lyr, path))
		goto done;
	OGR_F_Destroy(f);
	f = NULL;
	if (gen_close(ds, path))
		return GEN_WRITE;
	ds = NULL;

	if ((rc = gen_path(path, sizeof path, d->o->outdir, "towns.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "towns", 4525, wkbMultiPolygon, tf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (int k = 0; k < DEMO_NTOWNS; k++)
		pts[k] = GEOSGeom_createPointFromXY_r(h, d->town_seed[k].x, d->town_seed[k].y);
	seeds = GEOSGeom_createCollection_r(h, GEOS_MULTIPOINT, pts, DEMO_NTOWNS);
	vor = GEOSVoronoiDiagram_r(h, seeds, d->county, 0.0, 0);
	if (!vor) {
		fprintf(stderr, "landguard-gen: cannot partition the county into towns\n");
		rc = GEN_INTERNAL;
		goto done;
	}
	/* Voronoi cells come back in no particular order: match by seed. */
	for (int k = 0; k < DEMO_NTOWNS; k++) {
		int n = GEOSGetNumGeometries_r(h, vor);
		GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, d->town_seed[k].x,
								d->town_seed[k].y);
		for (int q = 0; q < n; q++) {
			const GEOSGeometry *cell = GEOSGetGeometryN_r(h, vor, q);
			GEOSGeometry *x, *m;
			if (GEOSContains_r(h, cell, pt) != 1)
				continue;
			x = GEOSIntersection_r(h, cell, d->county);
			m = x ? polygonal(d, GEOSGeom_setPrecision_r(h, x, 0.001, 0)) : NULL;
			if (x)
				GEOSGeom_destroy_r(h, x);
			OGR_F_SetFieldString(f, 0, DEMO_TOWN_CODES[k]);
			OGR_F_SetFieldString(f, 1, DEMO_TOWNS[k]);
			rc = demo_write_geos(d, lyr, f, m, path);
			if (m)
				GEOSGeom_destroy_r(h, m);
			if (rc) {
				GEOSGeom_destroy_r(h, pt);
				goto done;
			}
			rc = GEN_WRITE;
			break;
		}
		GEOSGeom_destroy_r(h, pt);
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (seeds)
		GEOSGeom_destroy_r(h, seeds);
	if (vor)
		GEOSGeom_destroy_r(h, vor);
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

static int write_water(demo *d)
{
	static const gen_field lf[] = {{"name", OFTString, 20}, {"bed_width_m", OFTReal, 0},
				       {NULL, 0, 0}};
	static const gen_field af[] = {{"name", OFTString, 20}, {"kind", OFTString, 8},
				       {NULL, 0, 0}};
	static const char *const names[4] = {"汾河", "浍河", "三泉河", "三泉水库"};
	char path[PATH_MAX];
	GDALDatasetH ds = NULL;
	OGRLayerH ll, la;
	OGRFeatureH f = NULL;
	int rc;
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "water.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(ll = gen_layer(ds, path, "centerlines", 4525, wkbLineString, lf, NULL)) ||
	    !(la = gen_layer(ds, path, "mgmt_area", 4525, wkbMultiPolygon, af, NULL)))
		goto done;
	if (gen_begin(ll, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(ll));
	for (int k = 0; k < 3; k++) {
		OGR_F_SetFieldString(f, 0, names[k]);
		OGR_F_SetFieldDouble(f, 1, 2 * BED_HW[k]);
		if ((rc = demo_write_geos(d, ll, f, d->line[k], path)))
			goto done;
	}
	rc = GEN_WRITE;
	if (gen_commit(ll, path))
		goto done;
	OGR_F_Destroy(f);
	f = OGR_F_Create(OGR_L_GetLayerDefn(la));
	if (gen_begin(la, path))
		goto done;
	for (int k = 0; k < 4; k++) {
		GEOSGeometry *m = polygonal(d, GEOSGeom_clone_r(d->h, d->mgmt[k]));
		OGR_F_SetFieldString(f, 0, names[k]);
		OGR_F_SetFieldString(f, 1, k == 3 ? "水库" : "河道");
		rc = demo_write_geos(d, la, f, m, path);
		if (m)
			GEOSGeom_destroy_r(d->h, m);
		if (rc)
			goto done;
	}
	rc = GEN_WRITE;
	if (gen_commit(la, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

int demo_geo_write(demo *d)
{
	int rc = write_county_towns(d);
	if (!rc)
		rc = write_water(d);
	return rc;
}

/* ---- the land-use mosaic: 三调 survey and the 用地用海 plan ---- */

typedef struct lc {
	const char *code, *name;
} lc;

/* 三调 working classification (GB/T 21010-2017 plus 05H1/08H1/08H2). */
static const lc SD[] = {
	{"0101", "水田"},         {"0102", "水浇地"},       {"0103", "旱地"},
	{"0201", "果园"},         {"0301", "乔木林地"},     {"0305", "灌木林地"},
	{"0307", "其他林地"},     {"0404", "其他草地"},     {"05H1", "商业服务业设施用地"},
	{"0508", "物流仓储用地"}, {"0601", "工业用地"},     {"0602", "采矿用地"},
	{"0701", "城镇住宅用地"}, {"0702", "农村宅基地"},   {"08H1", "机关团体新闻出版用地"},
	{"08H2", "科教文卫用地"}, {"0809", "公用设施用地"}, {"0810", "公园与绿地"},
	{"1003", "公路用地"},     {"1004", "城镇村道路用地"}, {"1006", "农村道路"},
	{"1101", "河流水面"},     {"1103", "水库水面"},     {"1104", "坑塘水面"},
	{"1107", "沟渠"},         {"1202", "设施农用地"},   {NULL, NULL}};

/* 用地用海分类 (2023), and the GB 50137 codes a plan may still carry. */
static const lc YD[] = {
	{"0101", "水田"},           {"0102", "水浇地"},         {"0103", "旱地"},
	{"0201", "果园"},           {"0301", "乔木林地"},       {"0303", "灌木林地"},
	{"0304", "其他林地"},       {"0403", "其他草地"},       {"0601", "乡村道路用地"},
	{"0602", "种植设施建设用地"}, {"0701", "城镇住宅用地"},   {"070102", "二类城镇住宅用地"},
	{"0703", "农村宅基地"},     {"0801", "机关团体用地"},   {"0803", "文化用地"},
	{"0804", "教育用地"},       {"080403", "中小学用地"},   {"080404", "幼儿园用地"},
	{"0806", "医疗卫生用地"},   {"0901", "商业用地"},       {"1001", "工业用地"},
	{"100102", "二类工业用地"}, {"1002", "采矿用地"},       {"1101", "物流仓储用地"},
	{"1202", "公路用地"},       {"1207", "城镇村道路用地"}, {"1301", "供水用地"},
	{"1401", "公园绿地"},       {"1701", "河流水面"},       {"1703", "水库水面"},
	{"1704", "坑塘水面"},       {"1705", "沟渠"},           {"0103", "旱地"},
	{"R2", "二类居住用地"},     {"A33", "中小学用地"},      {"B1", "商业用地"},
	{NULL, NULL}};

static const char *lc_name(const lc *t, const char *code)
{
	for (; t->code; t++)
		if (!strcmp(t->code, code))
			return t->name;
	return "";
}

const char *demo_sd_name(const char *code);
const char *demo_sd_name(const char *code)
{
	return lc_name(SD, code);
}
const char *demo_yd_name(const char *code);
const char *demo_yd_name(const char *code)
{
	return lc_name(YD, code);
}

typedef struct wpick {
	const char *code;
	double w;
} wpick;

static const char *wp(const wpick *t, double u)
{
	double tot = 0, acc = 0;
	const wpick *p;
	for (p = t; p->code; p++)
		tot += p->w;
	for (p = t; p->code; p++) {
		acc += p->w;
		if (u * tot < acc)
			return p->code;
	}
	return (p - 1)->code;
}

static const wpick W_CORE[] = {{"0701", 50}, {"05H1", 14}, {"08H1", 5}, {"08H2", 8},
			       {"0810", 5},  {"1004", 10}, {"0601", 4}, {"0809", 2},
			       {NULL, 0}};
static const wpick W_FRINGE[] = {{"0701", 22}, {"0102", 38}, {"0601", 12}, {"0702", 10},
				 {"1004", 8},  {"1202", 4},  {"0810", 3},  {"0508", 3},
				 {NULL, 0}};
static const wpick W_KFQ[] = {{"0601", 65}, {"0508", 10}, {"1004", 8}, {"0102", 12},
			      {"0809", 5},  {NULL, 0}};
static const wpick W_VILLAGE[] = {{"0702", 84}, {"08H2", 4}, {"1006", 5}, {"1104", 3},
				  {"05H1", 4},  {NULL, 0}};
static const wpick W_PLAIN[] = {{"0102", 82}, {"1107", 4}, {"1006", 5}, {"1104", 2},
				{"1202", 3},  {"0404", 2}, {"0601", 2}, {NULL, 0}};
static const wpick W_FOREST[] = {{"0301", 60}, {"0305", 25}, {"0307", 15}, {NULL, 0}};

/* 三调 class of a cell from where it lies; u varies per cell, b per block of
 * 4 × 4 cells (~600 m) so fields and orchards come in patches. */
static const char *classify(demo *d, dpt c, double u, double b, double b2, double d_fen,
			    double d_road, double d_vil)
{
	double ex = (c.x - d->seat.x) / 2600.0, ey = (c.y - d->seat.y - 200.0) / 1700.0;
	double e = sqrt(ex * ex + ey * ey), dy = c.y - d->seat.y;
	if (d_road < 75.0)
		return e < 1.0 ? "1004" : "1003";
	if (e < 1.0)
		return wp(W_CORE, u);
	if (fabs(c.x - d->kfq.x) < 1800 && fabs(c.y - d->kfq.y) < 1100)
		return wp(W_KFQ, u);
	if (d_vil < 180.0 || (d_vil < 260.0 && u < 0.5))
		return wp(W_VILLAGE, u);
	if (e < 1.35)
		return wp(W_FRINGE, u);
	if (u > 0.995)
		return dy < -5500 || dy > 5500 ? "0602" : "0601";
	if (dy > 5500) { /* northern loess hills */
		if (b < 0.30)
			return wp(W_FOREST, u);
		if (b < 0.50)
			return u < 0.7 ? "0404" : "0103";
		return u < 0.7 ? "0103" : u < 0.85 ? "0201" : "0102";
	}
	if (dy < -5500) { /* 峨嵋岭 tableland: orchards and dry land */
		if (b < 0.45)
			return u < 0.9 ? "0201" : "0103";
		if (b < 0.80)
			return u < 0.9 ? "0103" : "1006";
		if (b < 0.90)
			return "0102";
		return u < 0.5 ? "0301" : "0404";
	}
	if (d_fen < 1500 && b2 < 0.2)
		return u < 0.8 ? "0101" : "1107";
	if (b < 0.62)
		return wp(W_PLAIN, u);
	if (b < 0.78)
		return u < 0.85 ? "0201" : "0102";
	if (b < 0.88)
		return u < 0.9 ? "0103" : "1006";
	return u < 0.5 ? "0307" : "0102";
}

/* 三调 → 用地用海 for land that keeps its use. */
static const char *sd_to_yd(const char *sd, double u)
{
	static const char *const map[][2] = {
		{"0101", "0101"}, {"0102", "0102"}, {"0103", "0103"}, {"0201", "0201"},
		{"0301", "0301"}, {"0305", "0303"}, {"0307", "0304"}, {"0404", "0403"},
		{"05H1", "0901"}, {"0508", "1101"}, {"0601", "1001"}, {"0602", "1002"},
		{"0701", "070102"}, {"0702", "0703"}, {"08H1", "0801"}, {"0809", "1301"},
		{"0810", "1401"}, {"1003", "1202"}, {"1004", "1207"}, {"1006", "0601"},
		{"1101", "1701"}, {"1103", "1703"}, {"1104", "1704"}, {"1107", "1705"},
		{"1202", "0602"}, {NULL, NULL}};
	if (!strcmp(sd, "08H2"))
		return u < 0.5 ? "0804" : u < 0.8 ? "0806" : "0803";
	for (int k = 0; map[k][0]; k++)
		if (!strcmp(map[k][0], sd))
			return map[k][1];
	return sd;
}

/* 用地用海 → the 三调 code the same land shows today (for parcel overrides). */
const char *demo_yd_to_sd(const char *yd);
const char *demo_yd_to_sd(const char *yd)
{
	if (!strncmp(yd, "10", 2))
		return "0601";
	if (!strncmp(yd, "0701", 4))
		return "0701";
	if (!strncmp(yd, "0703", 4))
		return "0702";
	if (!strncmp(yd, "0804", 4) || !strncmp(yd, "0806", 4))
		return "08H2";
	if (!strncmp(yd, "09", 2))
		return "05H1";
	if (!strncmp(yd, "11", 2))
		return "0508";
	return yd; /* 0101-0103 are the same in both */
}

static int is_crop(const char *sd)
{
	return !strcmp(sd, "0101") || !strcmp(sd, "0102") || !strcmp(sd, "0103") ||
	       !strcmp(sd, "0201");
}

static int point_in(demo *d, const GEOSGeometry *g, dpt p)
{
	GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(d->h, p.x, p.y);
	int r = GEOSContains_r(d->h, g, pt) == 1;
	GEOSGeom_destroy_r(d->h, pt);
	return r;
}

typedef struct lu_out {
	char path[PATH_MAX];
	GDALDatasetH ds;
	OGRLayerH lyr;
	OGRFeatureH f;
} lu_out;

static int lu_open(demo *d, lu_out *o, const char *name, const char *driver,
		   const char *layer, int epsg, const gen_field *fields, char **lco)
{
	int rc = gen_path(o->path, sizeof o->path, d->o->outdir, name);
	if (rc)
		return rc;
	if (!(o->ds = gen_create(driver, o->path, NULL)))
		return GEN_WRITE;
	if (!(o->lyr = gen_layer(o->ds, o->path, layer, epsg, wkbMultiPolygon, fields, lco)))
		return GEN_WRITE;
	if (gen_begin(o->lyr, o->path))
		return GEN_WRITE;
	o->f = OGR_F_Create(OGR_L_GetLayerDefn(o->lyr));
	return GEN_OK;
}

static int lu_close(lu_out *o)
{
	int rc = GEN_OK;
	if (o->f)
		OGR_F_Destroy(o->f);
	if (o->lyr && gen_commit(o->lyr, o->path))
		rc = GEN_WRITE;
	if (o->ds && gen_close(o->ds, o->path))
		rc = GEN_WRITE;
	memset(o, 0, sizeof *o);
	return rc;
}

static const gen_field SURVEY_F[] = {{"BSM", OFTInteger64, 0}, {"TBBH", OFTString, 8},
				     {"DLBM", OFTString, 5},   {"DLMC", OFTString, 60},
				     {"ZLDWMC", OFTString, 60}, {NULL, 0, 0}};
static const gen_field PLAN_F[] = {{"GHDKBH", OFTString, 20}, {"YDYHFLDM", OFTString, 10},
				   {"YDYHFLMC", OFTString, 60}, {NULL, 0, 0}};

typedef struct lu_ctx {
	demo *d;
	lu_out sv, pl, shp, cm;
	OGRCoordinateTransformationH to4546;
	long long bsm;
	int town_tb[DEMO_NTOWNS];
	dpt shp_c;
} lu_ctx;

static int plan_piece(lu_ctx *x, const GEOSGeometry *g, const char *yd, int part)
{
	char buf[32];
	if (part)
		snprintf(buf, sizeof buf, "140825-GH-%06lld-%d", x->bsm, part);
	else
		snprintf(buf, sizeof buf, "140825-GH-%06lld", x->bsm);
	OGR_F_SetFieldString(x->pl.f, 0, buf);
	OGR_F_SetFieldString(x->pl.f, 1, yd);
	OGR_F_SetFieldString(x->pl.f, 2, demo_yd_name(yd));
	return demo_write_geos(x->d, x->pl.lyr, x->pl.f, g, x->pl.path);
}

/* The plan polygon of a cell, cut along the planted parcels: the part of a
 * parcel carries the parcel's plan_code, so that `check --plan` (majority by
 * area) reads every planted parcel as planned, whole, for what its case
 * needs.  A cell only decided by its centre would leave a parcel's edges
 * with the neighbours' codes and move some parcels' majority. */
static int plan_write(lu_ctx *x, const GEOSGeometry *g, dpt c, const char *yd)
{
	demo *d = x->d;
	GEOSContextHandle_t h = d->h;
	GEOSGeometry *rest = GEOSGeom_clone_r(h, g);
	int part = 0, rc = GEN_OK;
	for (int k = 0; k < d->nparcels && rest && rc == GEN_OK; k++) {
		demo_parcel *p = &d->parcels[k];
		if (demo_dist(c, p->c) > 300 + p->w + p->h || GEOSIntersects_r(h, rest, p->g) != 1)
			continue;
		GEOSGeometry *in = GEOSIntersection_r(h, rest, p->g);
		GEOSGeometry *out = GEOSDifference_r(h, rest, p->g);
		GEOSGeom_destroy_r(h, rest);
		rest = out ? polygonal(d, out) : NULL;
		in = in ? polygonal(d, in) : NULL;
		if (in) {
			rc = plan_piece(x, in, p->plan, part++);
			GEOSGeom_destroy_r(h, in);
		}
	}
	if (rest) {
		if (rc == GEN_OK)
			rc = plan_piece(x, rest, yd, part);
		GEOSGeom_destroy_r(h, rest);
	}
	return rc;
}

static int emit(lu_ctx *x, GEOSGeometry *g, dpt c, const char *sd, const char *yd)
{
	demo *d = x->d;
	int town = demo_town_of(d, c), rc = GEN_OK;
	char buf[32];
	x->bsm++;
	if (x->sv.ds) {
		OGR_F_SetFieldInteger64(x->sv.f, 0, x->bsm);
		snprintf(buf, sizeof buf, "%d", ++x->town_tb[town]);
		OGR_F_SetFieldString(x->sv.f, 1, buf);
		OGR_F_SetFieldString(x->sv.f, 2, sd);
		OGR_F_SetFieldString(x->sv.f, 3, demo_sd_name(sd));
		OGR_F_SetFieldString(x->sv.f, 4, DEMO_TOWNS[town]);
		if ((rc = demo_write_geos(d, x->sv.lyr, x->sv.f, g, x->sv.path)))
			return rc;
	} else {
		++x->town_tb[town];
	}
	if (x->pl.ds && (rc = plan_write(x, g, c, yd)))
		return rc;
	/* the ~500-polygon subset round the seat, as users receive it */
	if (fabs(c.x - x->shp_c.x) < 1700 && fabs(c.y - x->shp_c.y) < 1700) {
		OGRFeatureH fs = x->shp.f, fc = x->cm.f;
		OGRGeometryH og;
		snprintf(buf, sizeof buf, "%d", x->town_tb[town]);
		for (int k = 0; k < 2; k++) {
			OGRFeatureH ff = k ? fc : fs;
			OGR_F_SetFieldInteger64(ff, 0, x->bsm);
			OGR_F_SetFieldString(ff, 1, buf);
			OGR_F_SetFieldString(ff, 2, sd);
			OGR_F_SetFieldString(ff, 3, demo_sd_name(sd));
			OGR_F_SetFieldString(ff, 4, DEMO_TOWNS[town]);
		}
		if ((rc = demo_write_geos(d, x->shp.lyr, fs, g, x->shp.path)))
			return rc;
		og = gen_geos_to_ogr(d->h, g);
		if (!og || OGR_G_Transform(og, x->to4546) != OGRERR_NONE) {
			fprintf(stderr, "landguard-gen: cannot transform to EPSG:4546 for '%s'\n",
				x->cm.path);
			if (og)
				OGR_G_DestroyGeometry(og);
			return GEN_INTERNAL;
		}
		/* round to mm again after the false-easting change */
		for (int p = 0; p < OGR_G_GetGeometryCount(og); p++) {
			OGRGeometryH poly = OGR_G_GetGeometryRef(og, p);
			for (int r = 0; r < OGR_G_GetGeometryCount(poly); r++) {
				OGRGeometryH ring = OGR_G_GetGeometryRef(poly, r);
				for (int v = 0; v < OGR_G_GetPointCount(ring); v++)
					OGR_G_SetPoint_2D(ring, v, gen_mm(OGR_G_GetX(ring, v)),
							  gen_mm(OGR_G_GetY(ring, v)));
			}
		}
		OGR_F_SetGeometryDirectly(fc, og);
		if ((rc = gen_write(x->cm.lyr, fc, x->cm.path)))
			return rc;
	}
	return GEN_OK;
}

/* Which land use the plan gives a cell, given today's 三调 class. */
static const char *plan_code(lu_ctx *x, dpt c, const char *sd, double u, long long i,
			     long long j, const long long odd[3][2])
{
	demo *d = x->d;
	double ex = (c.x - d->seat.x) / 2600.0, ey = (c.y - d->seat.y - 200.0) / 1700.0;
	double e = sqrt(ex * ex + ey * ey);
	static const char *const oddc[3] = {"R2", "A33", "B1"};
	for (int k = 0; k < 3; k++)
		if (i == odd[k][0] && j == odd[k][1])
			return oddc[k];
	/* the seat grows: farmland on its edge becomes housing, schools,
	 * shops, roads and parks */
	if (e >= 1.0 && e < 1.45 && is_crop(sd)) {
		static const wpick w[] = {{"070102", 40}, {"0901", 12}, {"1207", 12},
					  {"1401", 8},    {"080403", 4}, {"0806", 3},
					  {"KEEP", 21},   {NULL, 0}};
		const char *p = wp(w, u);
		if (strcmp(p, "KEEP"))
			return p;
	}
	/* the development zone grows east and south */
	if (fabs(c.x - d->kfq.x) < 2600 && fabs(c.y - d->kfq.y) < 1500 && is_crop(sd))
		return u < 0.6 ? "100102" : u < 0.8 ? "1101" : "1207";
	return sd_to_yd(sd, u);
}

int demo_landuse_write(demo *d)
{
	static const gen_field shp_f[] = {{"BSM", OFTInteger64, 0}, {"TBBH", OFTString, 8},
					  {"DLBM", OFTString, 5},   {"DLMC", OFTString, 60},
					  {"ZLDWMC", OFTString, 60}, {NULL, 0, 0}};
	GEOSContextHandle_t h = d->h;
	lu_ctx x;
	OGRSpatialReferenceH s25 = NULL, s46 = NULL;
	char **lco = NULL;
	int rc = GEN_WRITE;
	/* ~155 m cells give ~25k polygons over the county's ~600 km² */
	const double s = 155.0;
	long long ni = (long long)ceil((d->maxx - d->minx) / s) + 2;
	long long nj = (long long)ceil((d->maxy - d->miny) / s) + 2;
	double x0 = floor(d->minx / s) * s - s, y0 = floor(d->miny / s) * s - s;
	long long odd[3][2];
	static const double oddxy[3][2] = {{300, 300}, {-400, 250}, {500, -150}};
	uint64_t seed = d->o->seed ^ 0x1a2bu;

	memset(&x, 0, sizeof x);
	x.d = d;
	x.shp_c.x = d->seat.x;
	x.shp_c.y = d->seat.y + 300;
	for (int k = 0; k < 3; k++) {
		odd[k][0] = (long long)floor((d->seat.x + oddxy[k][0] - x0) / s);
		odd[k][1] = (long long)floor((d->seat.y + oddxy[k][1] - y0) / s);
	}
	if (!(s25 = gen_srs(4525)) || !(s46 = gen_srs(4546)))
		goto done;
	x.to4546 = OCTNewCoordinateTransformation(s25, s46);
	if (!x.to4546)
		goto done;
	if (!d->o->only_small) {
		if ((rc = lu_open(d, &x.sv, "survey.gpkg", "GPKG", "dltb", 4525, SURVEY_F, NULL)) ||
		    (rc = lu_open(d, &x.pl, "plan.gpkg", "GPKG", "ydyh", 4525, PLAN_F, NULL)))
			goto done;
	}
	/* GBK attributes, zone-prefixed coordinates, and (deleted below) no
	 * .prj or .cpg: the shapefile as a county office mails it. */
	lco = CSLSetNameValue(lco, "ENCODING", "CP936");
	lco = CSLSetNameValue(lco, "DBF_DATE_LAST_UPDATE", "2026-01-01");
	if ((rc = lu_open(d, &x.shp, "shp_gbk/dltb_gbk.shp", "ESRI Shapefile", "dltb_gbk", 4525,
			  shp_f, lco)) ||
	    (rc = lu_open(d, &x.cm, "survey_cm111.gpkg", "GPKG", "dltb", 4546, SURVEY_F, NULL)))
		goto done;

	for (long long j = 0; j < nj; j++) {
		for (long long i = 0; i < ni; i++) {
			double xy[8];
			static const int di[4] = {0, 1, 1, 0}, dj[4] = {0, 0, 1, 1};
			dpt c = {0, 0};
			GEOSGeometry *cell, *piece;
			const char *sd, *yd;
			double u = gen_hash(seed, i, j, 5), b = gen_hash(seed, i / 4, j / 4, 6);
			double b2 = gen_hash(seed, i / 5, j / 5, 8);
			for (int k = 0; k < 4; k++) {
				long long vi = i + di[k], vj = j + dj[k];
				xy[2 * k] = x0 + vi * s + (gen_hash(seed, vi, vj, 1) - 0.5) * 0.6 * s;
				xy[2 * k + 1] = y0 + vj * s + (gen_hash(seed, vi, vj, 2) - 0.5) * 0.6 * s;
				c.x += xy[2 * k] / 4;
				c.y += xy[2 * k + 1] / 4;
			}
			cell = ring_poly(d, xy, 4, NULL, 0);
			if (GEOSPreparedIntersects_r(h, d->county_p, cell) != 1) {
				GEOSGeom_destroy_r(h, cell);
				continue;
			}
			if (GEOSPreparedContains_r(h, d->county_p, cell) == 1) {
				piece = cell;
			} else {
				piece = GEOSIntersection_r(h, cell, d->county);
				GEOSGeom_destroy_r(h, cell);
				if (!piece)
					continue;
			}
			{
				double d_fen = dist_geom(d, c, d->line[0]);
				double d_road = INFINITY, d_vil = INFINITY;
				for (int k = 0; k < 3; k++)
					d_road = fmin(d_road, dist_geom(d, c, d->road[k]));
				for (int k = 0; k < d->nvillages; k++)
					d_vil = fmin(d_vil, demo_dist(c, d->village[k]));
				sd = classify(d, c, u, b, b2, d_fen, d_road, d_vil);
			}
			yd = NULL;
			/* planted cases decide the cells under them */
			for (int k = 0; k < d->nsites; k++) {
				demo_site *st = &d->sites[k];
				if (st->g && demo_dist(c, st->c) < 400 && point_in(d, st->g, c)) {
					sd = "0601";
					yd = st->planned_yzlg ? "070102" : "1001";
				}
			}
			for (int k = 0; k < d->nparcels; k++) {
				demo_parcel *p = &d->parcels[k];
				if (demo_dist(c, p->c) < 400 && point_in(d, p->g, c)) {
					sd = demo_yd_to_sd(p->orig);
					yd = p->plan;
				}
			}
			if (!yd)
				yd = plan_code(&x, c, sd, gen_hash(seed, i, j, 9), i, j, odd);
			if (GEOSPreparedIntersects_r(h, d->bed_p, piece) == 1) {
				GEOSGeometry *land = GEOSDifference_r(h, piece, d->bed_all);
				GEOSGeometry *wat = GEOSIntersection_r(h, piece, d->bed_all);
				GEOSGeom_destroy_r(h, piece);
				land = land ? polygonal(d, land) : NULL;
				wat = wat ? polygonal(d, wat) : NULL;
				if (land) {
					rc = emit(&x, land, c, sd, yd);
					GEOSGeom_destroy_r(h, land);
					if (rc) {
						if (wat)
							GEOSGeom_destroy_r(h, wat);
						goto done;
					}
				}
				if (wat) {
					int res = GEOSIntersects_r(h, wat, d->bed[3]) == 1;
					rc = emit(&x, wat, c, res ? "1103" : "1101",
						  res ? "1703" : "1701");
					GEOSGeom_destroy_r(h, wat);
					if (rc)
						goto done;
				}
				continue;
			}
			piece = polygonal(d, piece);
			if (!piece)
				continue;
			rc = emit(&x, piece, c, sd, yd);
			GEOSGeom_destroy_r(h, piece);
			if (rc)
				goto done;
		}
	}
	if (!d->o->quiet)
		fprintf(stderr, "landguard-gen: land-use mosaic: %lld polygons%s\n", x.bsm,
			d->o->only_small ? " (survey/plan not written: --small-only)" : "");
	rc = GEN_OK;
done:
	if (lu_close(&x.sv) && rc == GEN_OK)
		rc = GEN_WRITE;
	if (lu_close(&x.pl) && rc == GEN_OK)
		rc = GEN_WRITE;
	if (lu_close(&x.shp) && rc == GEN_OK)
		rc = GEN_WRITE;
	if (lu_close(&x.cm) && rc == GEN_OK)
		rc = GEN_WRITE;
	if (rc == GEN_OK) {
		char p[PATH_MAX];
		/* as received: no .prj, no .cpg */
		snprintf(p, sizeof p, "%s/shp_gbk/dltb_gbk.prj", d->o->outdir);
		unlink(p);
		snprintf(p, sizeof p, "%s/shp_gbk/dltb_gbk.cpg", d->o->outdir);
		unlink(p);
	}
	CSLDestroy(lco);
	if (x.to4546)
		OCTDestroyCoordinateTransformation(x.to4546);
	if (s25)
		OSRDestroySpatialReference(s25);
	if (s46)
		OSRDestroySpatialReference(s46);
	return rc;
}
