/* Reading any GDAL vector source into a layer: text decoding, CRS, field
 * roles, geometry repair.  GDAL only here and in the other lib/io files. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_int.h"
#include "rows_int.h"
#include "store/store_int.h"

/* --- encodings ------------------------------------------------------ */

/* The DBF language-driver id (byte 29) names a code page; GDAL maps the
 * same ids.  Only the ones Chinese data carries matter here. */
static const char *ldid_encoding(int ldid)
{
	switch (ldid) {
	case 0x4D: /* 77: Chinese GBK (PRC) */
	case 0x7A: /* 122: code page 936 */
		return "GBK";
	case 0x57: /* 87: "ANSI", which GDAL reads as Latin-1 */
		return "ISO-8859-1";
	case 0x03:
		return "CP1252";
	case 0x00:
		return NULL;
	default:
		return "other";
	}
}

static char *read_small_file(const char *path, size_t max)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;
	if (!f)
		return NULL;
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		return NULL;
	}
	n = fread(buf, 1, max, f);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

/* Declared encoding of a shapefile: .cpg first, then the DBF's LDID. */
static void shp_declared(const char *path, char *enc, size_t n, char *how,
			 size_t hn)
{
	char side[4096];
	size_t len = strlen(path);
	enc[0] = how[0] = '\0';
	if (len < 4 || len + 1 > sizeof side)
		return;
	memcpy(side, path, len - 4);
	strcpy(side + len - 4, ".cpg");
	char *cpg = read_small_file(side, 64);
	if (!cpg) {
		strcpy(side + len - 4, ".CPG");
		cpg = read_small_file(side, 64);
	}
	if (cpg) {
		char *t = lg__trim(cpg);
		if (*t) {
			if (!strcmp(t, "936") || lg__strieq(t, "GBK") ||
			    lg__strieq(t, "GB2312") || lg__strieq(t, "CP936"))
				snprintf(enc, n, "GBK");
			else if (lg__strieq(t, "UTF-8") || lg__strieq(t, "UTF8") ||
				 !strcmp(t, "65001"))
				snprintf(enc, n, "UTF-8");
			else
				snprintf(enc, n, "%s", t);
			snprintf(how, hn, ".cpg says %s", t);
		}
		free(cpg);
		if (enc[0])
			return;
	}
	strcpy(side + len - 4, ".dbf");
	FILE *f = fopen(side, "rb");
	if (!f) {
		strcpy(side + len - 4, ".DBF");
		f = fopen(side, "rb");
	}
	if (f) {
		unsigned char hdr[32];
		if (fread(hdr, 1, 32, f) == 32) {
			const char *e = ldid_encoding(hdr[29]);
			if (e) {
				snprintf(enc, n, "%s", e);
				snprintf(how, hn, "DBF code-page byte %d", hdr[29]);
			}
		}
		fclose(f);
	}
}

/* A shapefile is three files at least; GDAL opens a .shp without its .dbf
 * (every attribute lost: ids become FIDs, stages default) and names a
 * config option when the .shx is missing.  Say which file to copy. */
static lg_status shp_sidecars(lg_ctx *ctx, const char *path)
{
	static const char *const need[][3] = {
		{".shx", ".SHX", "index (.shx)"},
		{".dbf", ".DBF", "attribute table (.dbf)"},
	};
	char side[4096];
	size_t len = strlen(path);
	if (len < 4 || len + 1 > sizeof side || !lg__strieq(path + len - 4, ".shp"))
		return LG_OK;
	memcpy(side, path, len + 1);
	for (size_t k = 0; k < LG_ARRAY_LEN(need); k++) {
		bool upper = path[len - 3] == 'S';
		strcpy(side + len - 4, need[k][upper ? 1 : 0]);
		if (access(side, F_OK) == 0)
			continue;
		strcpy(side + len - 4, need[k][upper ? 0 : 1]);
		if (access(side, F_OK) == 0)
			continue;
		strcpy(side + len - 4, need[k][0]);
		return lg_ctx_error(ctx, LG_INPUT,
				    "shapefile '%s' has no %s beside it ('%s' is missing); "
				    "copy every file of the shapefile (.shp .shx .dbf .prj .cpg) "
				    "together",
				    path, need[k][2], side);
	}
	return LG_OK;
}

/* Raw strings of all features are kept until the encoding is decided. */
typedef struct raw_text {
	char **s;
	size_t n, cap;
	bool any_high; /* any byte >= 0x80 */
	bool all_utf8;
	bool all_gb; /* every non-UTF-8 string converts from GB18030 */
} raw_text;

static lg_status decide_encoding(lg_ctx *ctx, lg_layer *l, const char *declared,
				 const char *declared_how, const char *user,
				 raw_text *rt, const char **enc_out)
{
	char how[512];
	const char *enc;
	if (user) {
		enc = user;
		snprintf(how, sizeof how, "--encoding %s", user);
	} else if (!rt->any_high) {
		enc = "UTF-8";
		snprintf(how, sizeof how, "text is plain ASCII%s%s%s",
			 declared_how[0] ? " (" : "", declared_how,
			 declared_how[0] ? ")" : "");
	} else if (rt->all_utf8) {
		enc = "UTF-8";
		if (declared && *declared && !lg__strieq(declared, "UTF-8")) {
			snprintf(how, sizeof how,
				 "%s, but the bytes are valid UTF-8: read as UTF-8",
				 declared_how);
			lg_ctx_warn(ctx,
				    "'%s': %s, but its text is valid UTF-8; reading it as "
				    "UTF-8 (give --encoding to override)",
				    l->path, declared_how);
		} else {
			snprintf(how, sizeof how, "%s",
				 declared_how[0] ? declared_how : "valid UTF-8");
		}
	} else if (rt->all_gb) {
		enc = "GB18030";
		if (declared && lg__strieq(declared, "GBK")) {
			snprintf(how, sizeof how, "%s", declared_how);
		} else {
			snprintf(how, sizeof how, "%s%snot valid UTF-8: read as GB18030/GBK",
				 declared_how, declared_how[0] ? "; " : "");
			if (declared_how[0])
				lg_ctx_warn(ctx,
					    "'%s': %s (%s), but the text is GBK; reading it "
					    "as GB18030/GBK (give --encoding to override)",
					    l->path, declared_how, declared);
			else
				lg_ctx_warn(ctx,
					    "'%s': attribute text declares no encoding and is "
					    "not UTF-8; reading it as GB18030/GBK (give "
					    "--encoding to override)",
					    l->path);
		}
	} else if (declared && *declared && strcmp(declared, "other")) {
		enc = declared;
		snprintf(how, sizeof how, "%s", declared_how);
	} else {
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s': attribute text is neither UTF-8 nor GBK; give "
				    "--encoding (e.g. --encoding BIG5)",
				    l->path);
	}
	l->encoding = lg__strdup(ctx, lg__strieq(enc, "GBK") ? "GB18030" : enc);
	l->encoding_how = lg__strdup(ctx, how);
	*enc_out = l->encoding;
	return l->encoding && l->encoding_how ? LG_OK : LG_NOMEM;
}

/* --- CSV/XLSX ledgers with coordinates ------------------------------ */

static int find_field_ci(const lg_layer *l, const char *const *names)
{
	for (const char *const *n = names; *n; n++)
		for (size_t j = 0; j < l->nfields; j++)
			if (lg__strieq(l->fields[j].name, *n) ||
			    !strcmp(l->fields[j].name, *n))
				return (int)j;
	return -1;
}

static double value_num(const lg_layer *l, const lg_feature *f, int j, bool *ok)
{
	const lg_value *v = &f->vals[j];
	char *end;
	double d;
	*ok = false;
	if (v->null)
		return NAN;
	if (l->fields[j].type == LG_FT_INT) {
		*ok = true;
		return (double)v->u.i;
	}
	if (l->fields[j].type == LG_FT_REAL) {
		*ok = isfinite(v->u.d);
		return v->u.d;
	}
	d = strtod(v->u.s, &end);
	while (*end && isspace((unsigned char)*end))
		end++;
	*ok = end != v->u.s && !*end && isfinite(d);
	return d;
}

/* Tables without a geometry column get one from a WKT column or X/Y
 * columns, which is how ledgers carry coordinates. */
static lg_status geometry_from_columns(lg_ctx *ctx, lg_layer *l, bool wkt_only)
{
	static const char *const wkt_names[] = {"WKT", "geom", "geometry", "the_geom", "几何", NULL};
	static const char *const x_names[] = {"x", "lon", "lng", "longitude", "经度", "easting", "东坐标", NULL};
	static const char *const y_names[] = {"y", "lat", "latitude", "纬度", "northing", "北坐标", NULL};
	int jw = find_field_ci(l, wkt_names);
	int jx = wkt_only ? -1 : find_field_ci(l, x_names), jy = wkt_only ? -1 : find_field_ci(l, y_names);
	GEOSWKTReader *r = NULL;
	lg_status st = LG_OK;
	if (jw < 0 && (jx < 0 || jy < 0))
		return LG_OK;
	if (jw >= 0)
		r = GEOSWKTReader_create_r(ctx->geos);
	for (size_t i = 0; i < l->n; i++) {
		lg_feature *f = &l->feat[i];
		lg_geom *g = NULL;
		if (f->geom)
			continue;
		if (jw >= 0) {
			const char *w = lg_feature_text(l, f, jw);
			if (!*w)
				continue;
			g = GEOSWKTReader_read_r(ctx->geos, r, w);
			if (!g) {
				st = lg_ctx_error(ctx, LG_GEOM,
						  "'%s' row %zu: column '%s' is not valid WKT "
						  "('%.60s'); fix the value",
						  l->path, i + 2, l->fields[jw].name, w);
				break;
			}
		} else {
			bool okx, oky;
			double x = value_num(l, f, jx, &okx), y = value_num(l, f, jy, &oky);
			if (f->vals[jx].null && f->vals[jy].null)
				continue;
			if (!okx || !oky) {
				st = lg_ctx_error(ctx, LG_INPUT,
						  "'%s' row %zu: coordinates '%s','%s' in columns "
						  "'%s','%s' are not numbers; fix the row",
						  l->path, i + 2, lg_feature_text(l, f, jx),
						  lg_feature_text(l, f, jy), l->fields[jx].name,
						  l->fields[jy].name);
				break;
			}
			g = GEOSGeom_createPointFromXY_r(ctx->geos, x, y);
		}
		f->geom = g;
		if (wkt_only && g && l->nempty)
			l->nempty--;
	}
	if (r)
		GEOSWKTReader_destroy_r(ctx->geos, r);
	if (!st && !wkt_only)
		l->geom_type = jw >= 0 ? 0 : wkbPoint;
	return st;
}

/* --- roles, CRS and extent ------------------------------------------ */

lg_status lg__detect_roles(lg_ctx *ctx, lg_layer *l, const lg_read_opts *o)
{
	for (int r = 0; r < LG_ROLE__COUNT; r++) {
		const char *want = o ? o->role_field[r] : NULL;
		l->role[r] = -1;
		if (want) {
			int j = lg_layer_field(l, want);
			if (j < 0) {
				lg_buf b;
				lg_buf_init(&b);
				for (size_t k = 0; k < l->nfields; k++)
					lg_buf_printf(&b, "%s%s", k ? ", " : "", l->fields[k].name);
				lg_ctx_error(ctx, LG_FIELD,
					     "'%s' layer '%s' has no field '%s' (asked for as the "
					     "%s field); its fields are: %s",
					     l->path, l->name, want, lg_role_name((lg_role)r),
					     b.s ? b.s : "(none)");
				lg_buf_release(&b);
				return LG_FIELD;
			}
			l->role[r] = j;
			continue;
		}
		char cands[256];
		snprintf(cands, sizeof cands, "%s", lg__role_candidates((lg_role)r));
		for (char *save = NULL, *c = strtok_r(cands, ",", &save);
		     c && l->role[r] < 0; c = strtok_r(NULL, ",", &save)) {
			int j = lg_layer_field(l, c);
			/* One field plays one role: DLBM is the code, not also the id. */
			for (int q = 0; q < r && j >= 0; q++)
				if (l->role[q] == j)
					j = -1;
			l->role[r] = j;
		}
	}
	return LG_OK;
}

lg_status lg__layer_finish(lg_ctx *ctx, lg_layer *l, const lg_read_opts *o,
			   bool crs_declared)
{
	lg_status st = lg__detect_roles(ctx, l, o);
	char how[512];
	if (st)
		return st;
	if (l->n)
		lg_layer_update_extent(ctx, l);
	if (o && o->s_srs) {
		lg_crs *c = NULL;
		st = lg_crs_parse(ctx, o->s_srs, "--s-srs", &c);
		if (st)
			return st;
		if (l->crs && !lg_crs_same(l->crs, c))
			lg_ctx_warn(ctx, "'%s' declares %s; using --s-srs %s instead",
				    l->path, lg_crs_name(l->crs), o->s_srs);
		lg_crs_destroy(l->crs);
		l->crs = c;
		free(l->crs_how);
		l->crs_how = lg__strdup(ctx, "--s-srs");
		return LG_OK;
	}
	if (l->crs && !crs_declared && isfinite(l->minx) &&
	    !lg_crs_plausible(ctx, l->crs, l->minx, l->miny, l->maxx, l->maxy, how,
			      sizeof how)) {
		/* A CRS the format implies (GeoJSON's WGS84) but the file never
		 * stated gives way to the coordinates. */
		lg_crs_destroy(l->crs);
		l->crs = NULL;
	}
	if (l->crs) {
		if (isfinite(l->minx) &&
		    !lg_crs_plausible(ctx, l->crs, l->minx, l->miny, l->maxx, l->maxy,
				      how, sizeof how))
			lg_ctx_warn(ctx,
				    "'%s' declares %s, which its coordinates cannot belong "
				    "to: %s; give --s-srs with the right CRS",
				    l->path, lg_crs_name(l->crs), how);
		if (!l->crs_how)
			l->crs_how = lg__strdup(ctx, crs_declared ? "declared" : "from the file");
		return LG_OK;
	}
	if (!isfinite(l->minx)) {
		l->crs_how = lg__strdup(ctx, "none (no geometries to guess from)");
		return LG_OK;
	}
	st = lg_crs_guess(ctx, l->minx, l->miny, l->maxx, l->maxy, &l->crs, how,
			  sizeof how);
	if (st == LG_NOCRS)
		return lg_ctx_error(ctx, LG_NOCRS,
				    "'%s' declares no coordinate reference system and its "
				    "%s; give one with --s-srs (e.g. --s-srs EPSG:4525)",
				    l->path, how);
	if (st)
		return st;
	lg_ctx_warn(ctx, "'%s': %s", l->path, how);
	l->crs_how = lg__strdup(ctx, how);
	return LG_OK;
}

/* --- geometry ------------------------------------------------------- */

static bool is_polygonal_type(int t)
{
	return t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON;
}

/* MakeValid may return a collection with slivers of lower dimension; a
 * polygon layer keeps only the polygonal part. */
static lg_geom *keep_polygons(lg_ctx *ctx, lg_geom *g)
{
	int t = GEOSGeomTypeId_r(ctx->geos, g), n;
	GEOSGeometry **parts;
	int k = 0;
	if (t != GEOS_GEOMETRYCOLLECTION)
		return g;
	n = GEOSGetNumGeometries_r(ctx->geos, g);
	parts = calloc((size_t)n + 1, sizeof *parts);
	if (!parts)
		return g;
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *p = GEOSGetGeometryN_r(ctx->geos, g, i);
		int pt = GEOSGeomTypeId_r(ctx->geos, p);
		if (pt == GEOS_POLYGON)
			parts[k++] = GEOSGeom_clone_r(ctx->geos, p);
		else if (pt == GEOS_MULTIPOLYGON)
			for (int q = 0; q < GEOSGetNumGeometries_r(ctx->geos, p); q++)
				parts[k++] = GEOSGeom_clone_r(
					ctx->geos, GEOSGetGeometryN_r(ctx->geos, p, q));
	}
	GEOSGeometry *out =
		k == 1 ? parts[0]
		       : GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTIPOLYGON, parts,
						     (unsigned)k);
	free(parts);
	if (!out)
		return g;
	GEOSGeom_destroy_r(ctx->geos, g);
	return out;
}

static lg_status check_coords(lg_ctx *ctx, lg_layer *l, lg_feature *f)
{
	double x0, y0, x1, y1;
	if (GEOSisEmpty_r(ctx->geos, f->geom))
		return LG_OK;
	if (!GEOSGeom_getXMin_r(ctx->geos, f->geom, &x0) ||
	    !GEOSGeom_getYMin_r(ctx->geos, f->geom, &y0) ||
	    !GEOSGeom_getXMax_r(ctx->geos, f->geom, &x1) ||
	    !GEOSGeom_getYMax_r(ctx->geos, f->geom, &y1) || !isfinite(x0) ||
	    !isfinite(y0) || !isfinite(x1) || !isfinite(y1) || fabs(x0) > 1e9 ||
	    fabs(x1) > 1e9 || fabs(y0) > 1e9 || fabs(y1) > 1e9)
		return lg_ctx_error(ctx, LG_GEOM,
				    "'%s' layer '%s' feature %s has NaN, infinite or huge "
				    "coordinates; fix or remove it in the source",
				    l->path, l->name, lg_feature_id(l, f));
	return LG_OK;
}

static lg_status repair(lg_ctx *ctx, lg_layer *l, lg_feature *f, lg_buf *ids)
{
	char v = GEOSisValid_r(ctx->geos, f->geom);
	lg_geom *fixed;
	if (v == 1)
		return LG_OK;
	fixed = GEOSMakeValid_r(ctx->geos, f->geom);
	if (!fixed)
		return lg_ctx_error(ctx, LG_GEOM,
				    "'%s' layer '%s' feature %s has an invalid geometry "
				    "that cannot be repaired (%s); fix it in the source",
				    l->path, l->name, lg_feature_id(l, f), ctx->geos_msg);
	if (is_polygonal_type(GEOSGeomTypeId_r(ctx->geos, f->geom)))
		fixed = keep_polygons(ctx, fixed);
	GEOSGeom_destroy_r(ctx->geos, f->geom);
	f->geom = fixed;
	if (l->nrepaired < 5)
		lg_buf_printf(ids, "%s%s", l->nrepaired ? ", " : "", lg_feature_id(l, f));
	l->nrepaired++;
	return LG_OK;
}

/* --- the reader ----------------------------------------------------- */

static bool is_shapefile(GDALDatasetH ds)
{
	GDALDriverH d = GDALGetDatasetDriver(ds);
	return d && !strcmp(GDALGetDriverShortName(d), "ESRI Shapefile");
}

static lg_status open_layer(lg_ctx *ctx, const char *path, const char *lname,
			    bool raw_text_mode, GDALDatasetH *ds_out,
			    OGRLayerH *lyr_out, lg_gdal_errs *errs)
{
	const char *open_opts[] = {raw_text_mode ? "ENCODING=" : NULL, NULL};
	GDALDatasetH ds = GDALOpenEx(path, GDAL_OF_VECTOR | GDAL_OF_READONLY, NULL,
				     raw_text_mode ? open_opts : NULL, NULL);
	OGRLayerH lyr = NULL;
	*ds_out = NULL;
	*lyr_out = NULL;
	if (!ds)
		return lg_ctx_error(ctx, LG_INPUT,
				    "cannot open '%s' as vector data%s%s; check that it is "
				    "a complete GPKG/SHP/GeoJSON/CSV/XLSX file",
				    path, errs->last[0] ? ": " : "", errs->last);
	int nl = GDALDatasetGetLayerCount(ds);
	if (lname) {
		lyr = GDALDatasetGetLayerByName(ds, lname);
		if (!lyr) {
			lg_buf b;
			lg_buf_init(&b);
			for (int i = 0; i < nl; i++)
				lg_buf_printf(&b, "%s%s", i ? ", " : "",
					       OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
			lg_ctx_error(ctx, LG_INPUT, "'%s' has no layer '%s'; its layers: %s",
				     path, lname, b.s ? b.s : "(none)");
			lg_buf_release(&b);
			GDALClose(ds);
			return LG_INPUT;
		}
	} else if (nl == 1) {
		lyr = GDALDatasetGetLayer(ds, 0);
	} else if (nl == 0) {
		GDALClose(ds);
		return lg_ctx_error(ctx, LG_INPUT, "'%s' holds no vector layer", path);
	} else {
		lg_buf b;
		lg_buf_init(&b);
		for (int i = 0; i < nl; i++)
			lg_buf_printf(&b, "%s%s", i ? ", " : "",
				       OGR_L_GetName(GDALDatasetGetLayer(ds, i)));
		lg_ctx_error(ctx, LG_INPUT,
			     "'%s' has %d layers (%s); pick one as '%s#LAYER'", path, nl,
			     b.s ? b.s : "", path);
		lg_buf_release(&b);
		GDALClose(ds);
		return LG_INPUT;
	}
	*ds_out = ds;
	*lyr_out = lyr;
	return LG_OK;
}

/* GeoJSON without a "crs" member is WGS84 by RFC 7946, and GDAL says so;
 * Chinese files often hold projected coordinates there all the same. */
static bool implied_crs(GDALDatasetH ds, const char *path)
{
	GDALDriverH d = GDALGetDatasetDriver(ds);
	char *head;
	bool implied;
	if (!d || strcmp(GDALGetDriverShortName(d), "GeoJSON"))
		return false;
	head = read_small_file(path, 1 << 16);
	implied = !head || !strstr(head, "\"crs\"");
	free(head);
	return implied;
}

static lg_status read_crs(lg_ctx *ctx, lg_layer *l, OGRLayerH lyr)
{
	OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr);
	char *wkt = NULL;
	const char *opts[] = {"FORMAT=WKT2_2019", NULL};
	lg_status st;
	if (!srs)
		return LG_OK;
	if (OSRExportToWktEx(srs, &wkt, opts) != OGRERR_NONE || !wkt) {
		CPLFree(wkt);
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s': the declared CRS cannot be read; give --s-srs",
				    l->path);
	}
	st = lg_crs_parse(ctx, wkt, l->path, &l->crs);
	CPLFree(wkt);
	return st;
}

/* The envelope of o->filter in the source's CRS as OGR's spatial filter. */
static lg_status set_filter(lg_ctx *ctx, const lg_layer *l, OGRLayerH lyr,
			    const lg_read_opts *o)
{
	lg_crs *src = NULL;
	lg_transform *t = NULL;
	lg_geom *g = NULL;
	lg_status st = LG_OK;
	double x0, y0, x1, y1;
	if (o->s_srs)
		st = lg_crs_parse(ctx, o->s_srs, "--s-srs", &src);
	else if (l->crs)
		st = lg_crs_clone(ctx, l->crs, &src);
	if (st || !src)
		return st; /* no CRS to put the filter in: read everything */
	const lg_geom *fg = o->filter;
	lg_geom *grown = NULL;
	if (o->filter_grow > 0 && GEOSGeom_getXMin_r(ctx->geos, fg, &x0) &&
	    GEOSGeom_getYMin_r(ctx->geos, fg, &y0) && GEOSGeom_getXMax_r(ctx->geos, fg, &x1) &&
	    GEOSGeom_getYMax_r(ctx->geos, fg, &y1)) {
		double d = o->filter_grow;
		grown = GEOSGeom_createRectangle_r(ctx->geos, x0 - d, y0 - d, x1 + d, y1 + d);
		if (grown)
			fg = grown;
	}
	if (!(st = lg_transform_create(ctx, o->filter_crs, src, &t)) &&
	    !(st = lg_transform_geom(ctx, t, fg, &g))) {
		if (GEOSGeom_getXMin_r(ctx->geos, g, &x0) && GEOSGeom_getYMin_r(ctx->geos, g, &y0) &&
		    GEOSGeom_getXMax_r(ctx->geos, g, &x1) && GEOSGeom_getYMax_r(ctx->geos, g, &y1))
			OGR_L_SetSpatialFilterRect(lyr, x0, y0, x1, y1);
	}
	if (g)
		GEOSGeom_destroy_r(ctx->geos, g);
	if (grown)
		GEOSGeom_destroy_r(ctx->geos, grown);
	lg_transform_destroy(t);
	lg_crs_destroy(src);
	return st;
}

lg_status lg_layer_read(lg_ctx *ctx, const char *source, const lg_read_opts *o,
			lg_layer **out)
{
	lg_read_opts none = {0};
	char *path = NULL, *lname = NULL;
	GDALDatasetH ds = NULL;
	OGRLayerH lyr = NULL;
	OGRFeatureH f = NULL;
	lg_layer *l = NULL;
	lg_gdal_errs errs;
	raw_text rt = {0};
	lg_buf bad_ids;
	lg_status st = LG_OK;
	bool shp, pushed = false;
	int nf;
	struct stat sb;
	char declared[64] = "", declared_how[128] = "";
	const char *enc = "UTF-8";

	*out = NULL;
	if (!o)
		o = &none;
	lg_buf_init(&bad_ids);
	if (lg__split_source(source, &path, &lname))
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	if (strncmp(path, "PG:", 3) && stat(path, &sb) != 0) {
		st = lg_ctx_error(ctx, LG_NOFILE,
				  "input '%s' does not exist; check the path", path);
		goto done;
	}
	if (strncmp(path, "PG:", 3) && access(path, R_OK) != 0) {
		st = lg_ctx_error(ctx, LG_NOFILE,
				  "input '%s' cannot be read: %s; check its permissions",
				  path, strerror(errno));
		goto done;
	}
	if (strncmp(path, "PG:", 3) && S_ISREG(sb.st_mode) && sb.st_size == 0) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "input '%s' is empty (0 bytes); check that it was copied "
				  "or saved completely",
				  path);
		goto done;
	}
	if (strncmp(path, "PG:", 3) && S_ISREG(sb.st_mode) &&
	    (st = shp_sidecars(ctx, path)))
		goto done;
	if (strncmp(path, "PG:", 3) && S_ISREG(sb.st_mode) && lg_jzd_sniff(path)) {
		st = lg_jzd_read(ctx, path, o, out);
		goto done;
	}
	if (strncmp(path, "PG:", 3) && S_ISREG(sb.st_mode) && lname) {
		/* WORKSPACE.sqlite#layer[@vN] → that version's table. */
		char *tbl = NULL;
		if ((st = lg__ws_resolve(ctx, path, lname, &tbl)))
			goto done;
		if (tbl) {
			free(lname);
			lname = tbl;
		}
	}
	lg__gdal_push(&errs);
	pushed = true;
	st = open_layer(ctx, path, lname, true, &ds, &lyr, &errs);
	if (st)
		goto done;
	shp = is_shapefile(ds);
	if (shp)
		shp_declared(path, declared, sizeof declared, declared_how,
			     sizeof declared_how);

	/* Field names are text too: decoded below with the values. */
	st = lg__layer_from_ogr_schema(ctx, lyr, &l);
	nf = (int)(l ? l->nfields : 0);
	if (st)
		goto done;
	l->path = lg__strdup(ctx, path);
	l->driver = lg__strdup(ctx, GDALGetDriverShortName(GDALGetDatasetDriver(ds)));
	l->geom_type = wkbFlatten(OGR_L_GetGeomType(lyr));
	st = read_crs(ctx, l, lyr);
	if (st)
		goto done;
	if (o->filter && o->filter_crs) {
		st = set_filter(ctx, l, lyr, o);
		if (st)
			goto done;
	}

	rt.all_utf8 = rt.all_gb = true;
	errs.last[0] = '\0';
	OGR_L_ResetReading(lyr);
	while ((f = OGR_L_GetNextFeature(lyr)) != NULL) {
		lg_feature *lf;
		OGRGeometryH g;
		st = lg_layer_add(ctx, l, &lf);
		if (st)
			goto done;
		lf->fid = OGR_F_GetFID(f);
		for (int j = 0; j < nf; j++) {
			if (!OGR_F_IsFieldSetAndNotNull(f, j))
				continue;
			switch (l->fields[j].type) {
			case LG_FT_INT:
				lg_feature_set_int(l, lf, (size_t)j, OGR_F_GetFieldAsInteger64(f, j));
				break;
			case LG_FT_REAL:
				lg_feature_set_real(l, lf, (size_t)j, OGR_F_GetFieldAsDouble(f, j));
				break;
			default: {
				/* Raw bytes for now; decoded once the whole
				 * layer's text says which encoding it is. */
				const char *s = OGR_F_GetFieldAsString(f, j);
				lf->vals[j].u.s = strdup(s);
				if (!lf->vals[j].u.s) {
					st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
					goto done;
				}
				lf->vals[j].null = false;
			}
			}
		}
		g = OGR_F_GetGeometryRef(f);
		if (g && !OGR_G_IsEmpty(g)) {
			if (OGR_G_HasCurveGeometry(g, 0)) {
				OGRGeometryH lin = OGR_G_GetLinearGeometry(g, 0, NULL);
				OGR_F_SetGeometryDirectly(f, lin);
				g = OGR_F_GetGeometryRef(f);
			}
			OGR_G_FlattenTo2D(g);
			lf->geom = lg__ogr_to_geos(ctx, g);
			if (!lf->geom) {
				st = lg_ctx_error(ctx, LG_GEOM,
						  "'%s' layer '%s' feature FID %lld has a geometry "
						  "that cannot be read (%s); fix it in the source",
						  path, l->name, (long long)lf->fid, ctx->geos_msg);
				goto done;
			}
		} else {
			l->nempty++;
		}
		OGR_F_Destroy(f);
		f = NULL;
	}
	/* A failure while iterating means features were lost or read
	 * without geometry (a .shp cut short, a damaged GPKG page): a
	 * result from what is left would be wrong, so stop. */
	if (errs.last[0]) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "cannot read every feature of '%s' (%zu read): %s; the file "
				  "is damaged or cut short, get a complete copy",
				  path, l->n, errs.last);
		goto done;
	}

	/* Decide the encoding from every string of the layer, then decode. */
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < l->nfields; j++) {
			lg_value *v = &l->feat[i].vals[j];
			if (l->fields[j].type != LG_FT_STRING || v->null)
				continue;
			size_t n = strlen(v->u.s);
			bool high = false;
			for (size_t k = 0; k < n && !high; k++)
				high = (unsigned char)v->u.s[k] >= 0x80;
			if (!high)
				continue;
			rt.any_high = true;
			if (!lg_utf8_valid(v->u.s, n)) {
				rt.all_utf8 = false;
				char *t = lg_to_utf8(v->u.s, n, "GB18030");
				if (!t)
					rt.all_gb = false;
				free(t);
			}
		}
	for (size_t j = 0; j < l->nfields; j++) {
		const char *nm = l->fields[j].name;
		size_t n = strlen(nm);
		for (size_t k = 0; k < n; k++)
			if ((unsigned char)nm[k] >= 0x80) {
				rt.any_high = true;
				if (!lg_utf8_valid(nm, n))
					rt.all_utf8 = false;
				break;
			}
	}
	if (!shp && rt.all_utf8) {
		l->encoding = lg__strdup(ctx, "UTF-8");
		l->encoding_how = lg__strdup(ctx, "UTF-8 (the format's own encoding)");
	} else {
		st = decide_encoding(ctx, l, declared, declared_how, o->encoding, &rt, &enc);
		if (st)
			goto done;
	}
	if (!lg__strieq(enc, "UTF-8")) {
		for (size_t j = 0; j < l->nfields; j++) {
			char *t = lg_to_utf8(l->fields[j].name, strlen(l->fields[j].name), enc);
			if (!t) {
				st = lg_ctx_error(ctx, LG_INPUT,
						  "'%s': field name %zu is not valid %s; give the "
						  "right --encoding",
						  path, j + 1, enc);
				goto done;
			}
			free(l->fields[j].name);
			l->fields[j].name = t;
		}
		for (size_t i = 0; i < l->n; i++)
			for (size_t j = 0; j < l->nfields; j++) {
				lg_value *v = &l->feat[i].vals[j];
				if (l->fields[j].type != LG_FT_STRING || v->null)
					continue;
				char *t = lg_to_utf8(v->u.s, strlen(v->u.s), enc);
				if (!t) {
					st = lg_ctx_error(ctx, LG_INPUT,
							  "'%s' feature FID %lld field '%s': text is not "
							  "valid %s; give the right --encoding",
							  path, (long long)l->feat[i].fid,
							  l->fields[j].name, enc);
					goto done;
				}
				free(v->u.s);
				v->u.s = t;
			}
	} else if (!rt.all_utf8) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s': attribute text is not valid UTF-8; give --encoding",
				  path);
		goto done;
	}

	/* A table with no geometry column may carry WKT or X/Y columns. */
	if (l->geom_type == wkbNone) {
		st = geometry_from_columns(ctx, l, false);
		if (st)
			goto done;
	} else if (l->nempty && l->driver && !strcmp(l->driver, "CSV")) {
		/* GDAL's CSV driver leaves the geometry empty, silently, when
		 * the WKT column does not parse ("nan", a cut-off ring): a
		 * site would vanish from the overlay.  Parse it ourselves so
		 * the row is named or its NaN caught below. */
		st = geometry_from_columns(ctx, l, true);
		if (st)
			goto done;
	}

	st = lg__detect_roles(ctx, l, o);
	if (st)
		goto done;
	for (size_t i = 0; i < l->n; i++) {
		lg_feature *lf = &l->feat[i];
		if (!lf->geom)
			continue;
		st = check_coords(ctx, l, lf);
		if (!st && !o->no_repair)
			st = repair(ctx, l, lf, &bad_ids);
		if (st)
			goto done;
	}
	if (l->nrepaired)
		lg_ctx_warn(ctx,
			    "'%s' layer '%s': %zu invalid geometr%s repaired with GEOS "
			    "make-valid (features %s%s); check them in the source",
			    path, l->name, l->nrepaired, l->nrepaired == 1 ? "y" : "ies",
			    bad_ids.s ? bad_ids.s : "", l->nrepaired > 5 ? ", ..." : "");
	st = lg__layer_finish(ctx, l, o, l->crs != NULL && !implied_crs(ds, path));
	if (st)
		goto done;
	*out = l;
	l = NULL;
done:
	if (f)
		OGR_F_Destroy(f);
	if (ds)
		GDALClose(ds);
	if (pushed)
		lg__gdal_pop();
	lg_layer_destroy(ctx, l);
	lg_buf_release(&bad_ids);
	free(path);
	free(lname);
	return st;
}
