/* CRS objects, guessing from coordinates, transforms (PROJ only here). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"
#include "landguard/crs.h"

struct lg_crs {
	PJ_CONTEXT *pctx;
	PJ *pj;       /* as defined (axis order of the authority) */
	PJ *pjn;      /* normalised: x = easting/longitude */
	char *name;
	char id[32];
	int epsg;
	char *wkt2, *wkt1;
	bool geographic;
};

struct lg_transform {
	PJ *pj; /* NULL = identity */
	lg_ctx *ctx;
};

static lg_status wrap(lg_ctx *ctx, PJ *pj, lg_crs **out)
{
	lg_crs *c = lg__calloc(ctx, 1, sizeof *c);
	const char *auth, *code, *wkt;
	PJ_TYPE t;
	if (!c) {
		proj_destroy(pj);
		return LG_NOMEM;
	}
	c->pctx = ctx->proj;
	c->pj = pj;
	c->pjn = proj_normalize_for_visualization(ctx->proj, pj);
	if (!c->pjn)
		c->pjn = proj_clone(ctx->proj, pj);
	c->name = strdup(proj_get_name(pj) ? proj_get_name(pj) : "unnamed CRS");
	auth = proj_get_id_auth_name(pj, 0);
	code = proj_get_id_code(pj, 0);
	if (auth && code && !strcmp(auth, "EPSG")) {
		c->epsg = atoi(code);
	} else {
		/* A .prj rarely carries an authority: ask PROJ which EPSG CRS
		 * it is, accepting only a confident match. */
		int *conf = NULL;
		PJ_OBJ_LIST *l = proj_identify(ctx->proj, pj, "EPSG", NULL, &conf);
		if (l && proj_list_get_count(l) > 0 && conf && conf[0] >= 90) {
			PJ *m = proj_list_get(ctx->proj, l, 0);
			const char *mc = m ? proj_get_id_code(m, 0) : NULL;
			if (mc)
				c->epsg = atoi(mc);
			proj_destroy(m);
		}
		proj_int_list_destroy(conf);
		proj_list_destroy(l);
	}
	if (c->epsg)
		snprintf(c->id, sizeof c->id, "EPSG:%d", c->epsg);
	wkt = proj_as_wkt(ctx->proj, pj, PJ_WKT2_2019, NULL);
	c->wkt2 = strdup(wkt ? wkt : "");
	{
		const char *opts[] = {"MULTILINE=NO", NULL};
		wkt = proj_as_wkt(ctx->proj, pj, PJ_WKT1_GDAL, opts);
		c->wkt1 = strdup(wkt ? wkt : c->wkt2);
	}
	t = proj_get_type(pj);
	c->geographic = t == PJ_TYPE_GEOGRAPHIC_2D_CRS ||
			t == PJ_TYPE_GEOGRAPHIC_3D_CRS;
	if (!c->pjn || !c->name || !c->wkt2 || !c->wkt1) {
		lg_crs_destroy(c);
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory building a CRS");
	}
	*out = c;
	return LG_OK;
}

lg_status lg_crs_parse(lg_ctx *ctx, const char *def, const char *what,
		       lg_crs **out)
{
	PJ *pj;
	*out = NULL;
	if (!def || !*def)
		return lg_ctx_error(ctx, LG_INPUT, "%s: empty CRS definition",
				    what ? what : "CRS");
	pj = proj_create(ctx->proj, def);
	if ((!pj || !proj_is_crs(pj)) && def[0] == '+' && !strstr(def, "+type=crs")) {
		/* PROJ strings name a CRS only with +type=crs; users omit it. */
		char buf[2048];
		snprintf(buf, sizeof buf, "%s +type=crs", def);
		proj_destroy(pj);
		pj = proj_create(ctx->proj, buf);
	}
	if (!pj || !proj_is_crs(pj)) {
		proj_destroy(pj);
		return lg_ctx_error(ctx, LG_INPUT,
				    "%s: unknown coordinate reference system '%.200s'; "
				    "give one PROJ knows, e.g. EPSG:4525 (CGCS2000 GK zone 37) "
				    "or EPSG:4490",
				    what ? what : "CRS", def);
	}
	if (proj_get_type(pj) == PJ_TYPE_BOUND_CRS) {
		/* A +towgs84 style definition: keep the source CRS itself. */
		PJ *src = proj_get_source_crs(ctx->proj, pj);
		if (src) {
			proj_destroy(pj);
			pj = src;
		}
	}
	return wrap(ctx, pj, out);
}

lg_status lg_crs_cgcs2000_gk3(lg_ctx *ctx, int zone, bool prefixed,
			      lg_crs **out)
{
	char def[32];
	if (zone < 25 || zone > 45)
		return lg_ctx_error(ctx, LG_INPUT,
				    "3-degree zone %d is outside China (25-45)", zone);
	/* EPSG 4513-4533: zones 25-45 with the zone prefix; 4534-4554: the
	 * same central meridians (75E-135E) without it (domain-facts §8). */
	snprintf(def, sizeof def, "EPSG:%d", (prefixed ? 4513 : 4534) + zone - 25);
	return lg_crs_parse(ctx, def, "CGCS2000 3-degree zone", out);
}

lg_status lg_crs_clone(lg_ctx *ctx, const lg_crs *crs, lg_crs **out)
{
	PJ *pj = proj_clone(ctx->proj, crs->pj);
	if (!pj)
		return lg_ctx_error(ctx, LG_INTERNAL, "cannot copy CRS '%s'", crs->name);
	return wrap(ctx, pj, out);
}

void lg_crs_destroy(lg_crs *c)
{
	if (!c)
		return;
	proj_destroy(c->pj);
	proj_destroy(c->pjn);
	free(c->name);
	free(c->wkt2);
	free(c->wkt1);
	free(c);
}

const char *lg_crs_name(const lg_crs *c) { return c ? c->name : "none"; }
const char *lg_crs_id(const lg_crs *c) { return c ? c->id : ""; }
int lg_crs_epsg(const lg_crs *c) { return c ? c->epsg : 0; }
const char *lg_crs_wkt(const lg_crs *c, bool wkt1) { return wkt1 ? c->wkt1 : c->wkt2; }
bool lg_crs_is_geographic(const lg_crs *c) { return c && c->geographic; }
void *lg_crs_pj(const lg_crs *c) { return c ? c->pj : NULL; }

bool lg_crs_same(const lg_crs *a, const lg_crs *b)
{
	if (!a || !b)
		return a == b;
	if (a->epsg && a->epsg == b->epsg)
		return true;
	return proj_is_equivalent_to_with_ctx(a->pctx, a->pjn, b->pjn,
					      PJ_COMP_EQUIVALENT_EXCEPT_AXIS_ORDER_GEOGCRS) != 0;
}

lg_status lg_crs_guess(lg_ctx *ctx, double minx, double miny, double maxx,
		       double maxy, lg_crs **out, char *how, size_t howlen)
{
	int zone = (int)floor(minx / 1e6);
	*out = NULL;
	/* CONTRACT.md: zone-prefixed 3-degree GK eastings are ZZ500000 ±
	 * 500000 with northings 2 000 000-6 000 000 (China's latitudes). */
	if (zone >= 25 && zone <= 45 && floor(maxx / 1e6) == zone &&
	    miny >= 2e6 && maxy <= 6e6) {
		snprintf(how, howlen,
			 "no CRS declared; eastings %.0f-%.0f carry the zone prefix %d, "
			 "so taken as CGCS2000 3-degree Gauss-Kruger zone %d (EPSG:%d); "
			 "give --s-srs if that is wrong",
			 minx, maxx, zone, zone, 4513 + zone - 25);
		return lg_crs_cgcs2000_gk3(ctx, zone, true, out);
	}
	if (minx >= 73 && maxx <= 136 && miny >= 3 && maxy <= 54) {
		snprintf(how, howlen,
			 "no CRS declared; coordinates lie within longitude 73-136 and "
			 "latitude 3-54, so taken as CGCS2000 geographic (EPSG:4490); "
			 "give --s-srs if that is wrong");
		return lg_crs_parse(ctx, "EPSG:4490", "guess", out);
	}
	snprintf(how, howlen, "extent %.3f,%.3f - %.3f,%.3f fits no Chinese CRS",
		 minx, miny, maxx, maxy);
	return LG_NOCRS;
}

/* False easting of a projected CRS (metres), or 0. */
static double false_easting(PJ_CONTEXT *pc, PJ *crs)
{
	double v = 0;
	PJ *op = proj_crs_get_coordoperation(pc, crs);
	if (!op)
		return 0;
	int n = proj_coordoperation_get_param_count(pc, op);
	for (int i = 0; i < n; i++) {
		const char *name = NULL;
		double val = 0, conv = 1;
		proj_coordoperation_get_param(pc, op, i, &name, NULL, NULL, &val,
					      NULL, &conv, NULL, NULL, NULL, NULL);
		if (name && !strcmp(name, "False easting"))
			v = val * conv;
	}
	proj_destroy(op);
	return v;
}

bool lg_crs_plausible(lg_ctx *ctx, const lg_crs *crs, double minx,
		      double miny, double maxx, double maxy, char *why,
		      size_t whylen)
{
	if (crs->geographic) {
		if (minx < -180 || maxx > 360 || miny < -90 || maxy > 90) {
			snprintf(why, whylen,
				 "the CRS is geographic (degrees) but coordinates reach "
				 "%.0f,%.0f", fabs(minx) > fabs(maxx) ? minx : maxx,
				 fabs(miny) > fabs(maxy) ? miny : maxy);
			return false;
		}
		return true;
	}
	if (fabs(maxx) < 1000 && fabs(maxy) < 1000 && fabs(minx) < 1000 &&
	    fabs(miny) < 1000) {
		snprintf(why, whylen,
			 "the CRS is projected (metres) but every coordinate is below "
			 "1000 (extent %.3f,%.3f - %.3f,%.3f): these look like degrees or "
			 "local drawing units",
			 minx, miny, maxx, maxy);
		return false;
	}
	double fe = false_easting(ctx->proj, crs->pj);
	if (fe >= 1e6 && (minx < fe - 1e6 || maxx > fe + 1e6)) {
		snprintf(why, whylen,
			 "the CRS puts the zone prefix on eastings (false easting %.0f) "
			 "but the eastings run %.0f-%.0f",
			 fe, minx, maxx);
		return false;
	}
	if (fe > 0 && fe < 1e6 && minx >= 1e7) {
		snprintf(why, whylen,
			 "the CRS has no zone prefix (false easting %.0f) but eastings "
			 "%.0f-%.0f carry one; use the zone-prefixed CRS",
			 fe, minx, maxx);
		return false;
	}
	return true;
}

lg_status lg_crs_work_for(lg_ctx *ctx, const lg_crs *crs, double minx,
			  double miny, double maxx, double maxy, lg_crs **out)
{
	lg_crs *geo = NULL;
	lg_transform *t = NULL;
	double x = (minx + maxx) / 2, y = (miny + maxy) / 2;
	lg_status st;
	int zone;
	*out = NULL;
	if (!isfinite(x) || !isfinite(y))
		return lg_ctx_error(ctx, LG_INPUT,
				    "no features with geometry to choose the working CRS from; "
				    "check that the input is the right file and layer, or give "
				    "--work-srs");
	st = lg_crs_parse(ctx, "EPSG:4490", "CGCS2000", &geo);
	if (st)
		goto done;
	st = lg_transform_create(ctx, crs, geo, &t);
	if (st)
		goto done;
	st = lg_transform_xy(ctx, t, &x, &y, 1);
	if (st)
		goto done;
	zone = (int)floor(x / 3.0 + 0.5);
	if (zone < 25 || zone > 45) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "the data's centre (%.4f E, %.4f N) is outside China's "
				  "3-degree zones; give --work-srs",
				  x, y);
		goto done;
	}
	/* Data already in this zone's CGCS2000 GK CRS stays there: with or
	 * without the zone prefix, distances and areas are the same, and not
	 * reprojecting a million polygons is the cheapest transform. */
	if (crs->epsg == 4513 + zone - 25 || crs->epsg == 4534 + zone - 25)
		st = lg_crs_clone(ctx, crs, out);
	else
		st = lg_crs_cgcs2000_gk3(ctx, zone, false, out);
done:
	lg_transform_destroy(t);
	lg_crs_destroy(geo);
	return st;
}

lg_status lg_transform_create(lg_ctx *ctx, const lg_crs *from,
			      const lg_crs *to, lg_transform **out)
{
	lg_transform *t = lg__calloc(ctx, 1, sizeof *t);
	*out = NULL;
	if (!t)
		return LG_NOMEM;
	t->ctx = ctx;
	if (!lg_crs_same(from, to)) {
		PJ *op = proj_create_crs_to_crs_from_pj(ctx->proj, from->pj, to->pj,
							NULL, NULL);
		if (op) {
			t->pj = proj_normalize_for_visualization(ctx->proj, op);
			proj_destroy(op);
		}
		if (!t->pj) {
			free(t);
			return lg_ctx_error(ctx, LG_INPUT,
					    "no transformation from '%s' to '%s' (%s)",
					    from->name, to->name,
					    proj_context_errno_string(
						    ctx->proj, proj_context_errno(ctx->proj)));
		}
	}
	*out = t;
	return LG_OK;
}

void lg_transform_destroy(lg_transform *t)
{
	if (!t)
		return;
	proj_destroy(t->pj);
	free(t);
}

bool lg_transform_is_identity(const lg_transform *t)
{
	return t->pj == NULL;
}

lg_status lg_transform_xy(lg_ctx *ctx, lg_transform *t, double *x, double *y,
			  size_t n)
{
	if (!t->pj || !n)
		return LG_OK;
	proj_trans_generic(t->pj, PJ_FWD, x, sizeof *x, n, y, sizeof *y, n, NULL,
			   0, 0, NULL, 0, 0);
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]) || !isfinite(y[i]) || x[i] == HUGE_VAL)
			return lg_ctx_error(ctx, LG_INPUT,
					    "point %zu cannot be transformed "
					    "(outside the CRS's area?)",
					    i + 1);
	return LG_OK;
}

static int xy_cb(double *x, double *y, void *ud)
{
	lg_transform *t = ud;
	PJ_COORD c = proj_coord(*x, *y, 0, 0);
	c = proj_trans(t->pj, PJ_FWD, c);
	if (!isfinite(c.xy.x) || !isfinite(c.xy.y) || c.xy.x == HUGE_VAL)
		return 0;
	*x = c.xy.x;
	*y = c.xy.y;
	return 1;
}

lg_status lg_transform_geom(lg_ctx *ctx, lg_transform *t, const lg_geom *g,
			    lg_geom **out)
{
	if (!t->pj)
		*out = GEOSGeom_clone_r(ctx->geos, g);
	else
		*out = GEOSGeom_transformXY_r(ctx->geos, g, xy_cb, t);
	if (!*out)
		return lg_ctx_error(ctx, LG_INPUT,
				    "geometry cannot be transformed (a point outside "
				    "the CRS's area, or NaN/huge coordinates)");
	return LG_OK;
}
