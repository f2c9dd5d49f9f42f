/* Writing layers: OGR formats, CSV with WKT last, XLSX, 界址点 TXT, all
 * under a temporary name renamed into place only when complete. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <xlsxwriter.h>

#include "io_int.h"
#include "store/store_int.h"

static const char *ext_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(path, '.');
	return dot && (!slash || dot > slash) ? dot + 1 : "";
}

/* Driver from -f or the extension. */
static const char *driver_for(const char *path, const char *forced)
{
	const char *e = ext_of(path);
	if (forced)
		return forced;
	if (lg__strieq(e, "gpkg")) return "GPKG";
	if (lg__strieq(e, "shp")) return "ESRI Shapefile";
	if (lg__strieq(e, "geojson") || lg__strieq(e, "json")) return "GeoJSON";
	if (lg__strieq(e, "csv")) return "CSV";
	if (lg__strieq(e, "xlsx")) return "XLSX";
	if (lg__strieq(e, "txt")) return "JZD-TXT";
	if (lg__strieq(e, "sqlite")) return "SQLite";
	if (lg__strieq(e, "fgb")) return "FlatGeobuf";
	if (lg__strieq(e, "kml")) return "KML";
	return NULL;
}

lg_status lg_shp_field_names(lg_ctx *ctx, const char *const *names,
			     size_t nfields, char **out)
{
	for (size_t i = 0; i < nfields; i++)
		out[i] = NULL;
	for (size_t i = 0; i < nfields; i++) {
		const unsigned char *s = (const unsigned char *)names[i];
		size_t len = strlen(names[i]), cut = 0;
		char buf[16];
		/* Cut at 10 bytes on a UTF-8 character boundary: GDAL cuts at
		 * the byte and leaves half a Chinese character. */
		while (cut < len) {
			size_t cl = s[cut] < 0x80 ? 1 : (s[cut] & 0xE0) == 0xC0 ? 2
						: (s[cut] & 0xF0) == 0xE0 ? 3 : 4;
			if (cut + cl > 10)
				break;
			cut += cl;
		}
		snprintf(buf, sizeof buf, "%.*s", (int)cut, names[i]);
		/* Unique among the names already chosen (case-insensitive, as
		 * DBF readers compare them). */
		for (int k = 1;; k++) {
			bool clash = false;
			for (size_t q = 0; q < i && !clash; q++)
				clash = lg__strieq(out[q], buf);
			if (!clash)
				break;
			char suf[8];
			int sl = snprintf(suf, sizeof suf, "_%d", k);
			size_t keep = cut;
			while (keep + (size_t)sl > 10) {
				keep--;
				while (keep && (s[keep] & 0xC0) == 0x80)
					keep--;
			}
			snprintf(buf, sizeof buf, "%.*s%s", (int)keep, names[i], suf);
		}
		out[i] = lg__strdup(ctx, buf);
		if (!out[i]) {
			for (size_t q = 0; q < i; q++)
				free(out[q]);
			return LG_NOMEM;
		}
	}
	return LG_OK;
}

/* Geometry type of the output layer: one family, promoted to Multi when
 * any feature is multi, as strict formats (SHP, GPKG) want. */
static int layer_geom_type(lg_ctx *ctx, const lg_layer *l, bool *promote)
{
	int fam = -1;
	bool multi = false, any = false;
	*promote = false;
	for (size_t i = 0; i < l->n; i++) {
		const lg_geom *g = l->feat[i].geom;
		int t;
		if (g) {
			t = GEOSGeomTypeId_r(ctx->geos, g);
		} else if (l->feat[i].wkb && l->feat[i].wkb_len >= 5) {
			const unsigned char *w = l->feat[i].wkb;
			uint32_t wt;
			memcpy(&wt, w + 1, 4);
			if (w[0] == 0) /* big-endian */
				wt = __builtin_bswap32(wt);
			wt = (wt & 0xffff) % 1000; /* ISO Z/M codes */
			/* WKB and GEOS number the types differently. */
			t = wt == 1 ? GEOS_POINT : wt == 2 ? GEOS_LINESTRING : wt == 3 ? GEOS_POLYGON
			    : wt == 4 ? GEOS_MULTIPOINT : wt == 5 ? GEOS_MULTILINESTRING
			    : wt == 6 ? GEOS_MULTIPOLYGON : GEOS_GEOMETRYCOLLECTION;
		} else {
			continue;
		}
		int f = t == GEOS_POINT || t == GEOS_MULTIPOINT	       ? 1
			: t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING ? 2
			: t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON	       ? 3
									       : 0;
		multi |= t == GEOS_MULTIPOINT || t == GEOS_MULTILINESTRING ||
			 t == GEOS_MULTIPOLYGON;
		if (!any)
			fam = f;
		else if (fam != f)
			fam = 0;
		any = true;
	}
	if (!any)
		return l->geom_type ? l->geom_type : wkbNone;
	if (fam <= 0)
		return wkbUnknown;
	*promote = multi;
	switch (fam) {
	case 1: return multi ? wkbMultiPoint : wkbPoint;
	case 2: return multi ? wkbMultiLineString : wkbLineString;
	default: return multi ? wkbMultiPolygon : wkbPolygon;
	}
}

/* A copy of the layer's geometries in the output CRS, or NULL for none. */
typedef struct out_geoms {
	lg_geom **g;
	const lg_crs *crs;
	lg_crs *owned;
} out_geoms;

static void out_geoms_release(lg_ctx *ctx, out_geoms *og, size_t n)
{
	if (og->g)
		for (size_t i = 0; i < n; i++)
			if (og->g[i])
				GEOSGeom_destroy_r(ctx->geos, og->g[i]);
	free(og->g);
	lg_crs_destroy(og->owned);
}

static lg_status reproject_for_output(lg_ctx *ctx, const lg_layer *l,
				      const lg_write_opts *o, bool need_geos, out_geoms *og)
{
	lg_transform *t = NULL;
	lg_status st;
	memset(og, 0, sizeof *og);
	og->crs = l->crs;
	if (need_geos) {
		/* Writers other than OGR's need GEOS geometries: parse the WKB
		 * of result layers here (the output copy owns them). */
		bool any = false;
		for (size_t i = 0; i < l->n && !any; i++)
			any = !l->feat[i].geom && l->feat[i].wkb;
		if (any) {
			GEOSWKBReader *rd = GEOSWKBReader_create_r(ctx->geos);
			og->g = lg__calloc(ctx, l->n ? l->n : 1, sizeof *og->g);
			if (!og->g || !rd) {
				if (rd)
					GEOSWKBReader_destroy_r(ctx->geos, rd);
				return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			}
			for (size_t i = 0; i < l->n; i++)
				og->g[i] = l->feat[i].geom ? GEOSGeom_clone_r(ctx->geos, l->feat[i].geom)
					   : l->feat[i].wkb
						   ? GEOSWKBReader_read_r(ctx->geos, rd, l->feat[i].wkb,
									  l->feat[i].wkb_len)
						   : NULL;
			GEOSWKBReader_destroy_r(ctx->geos, rd);
		}
	}
	if (!o->t_srs)
		return LG_OK;
	st = lg_crs_parse(ctx, o->t_srs, "--t-srs", &og->owned);
	if (st)
		return st;
	og->crs = og->owned;
	if (!l->crs || lg_crs_same(l->crs, og->owned))
		return LG_OK;
	st = lg_transform_create(ctx, l->crs, og->owned, &t);
	if (st)
		return st;
	bool have = og->g != NULL;
	if (!have)
		og->g = lg__calloc(ctx, l->n ? l->n : 1, sizeof *og->g);
	if (!og->g) {
		lg_transform_destroy(t);
		return LG_NOMEM;
	}
	if (!have) {
		GEOSWKBReader *rd = GEOSWKBReader_create_r(ctx->geos);
		for (size_t i = 0; i < l->n; i++)
			og->g[i] = l->feat[i].geom ? GEOSGeom_clone_r(ctx->geos, l->feat[i].geom)
				   : l->feat[i].wkb ? GEOSWKBReader_read_r(ctx->geos, rd, l->feat[i].wkb,
									   l->feat[i].wkb_len)
						    : NULL;
		GEOSWKBReader_destroy_r(ctx->geos, rd);
	}
	for (size_t i = 0; i < l->n && !st; i++)
		if (og->g[i]) {
			lg_geom *src = og->g[i];
			og->g[i] = NULL;
			st = lg_transform_geom(ctx, t, src, &og->g[i]);
			GEOSGeom_destroy_r(ctx->geos, src);
			if (st)
				lg_ctx_error(ctx, st,
					     "feature %s cannot be transformed to %s",
					     lg_feature_id(l, &l->feat[i]), o->t_srs);
		}
	lg_transform_destroy(t);
	return st;
}

static const lg_geom *geom_at(const lg_layer *l, const out_geoms *og, size_t i)
{
	return og->g ? og->g[i] : l->feat[i].geom;
}

/* --- CSV: UTF-8, header, WKT last (CONTRACT.md) ---------------------- */

static void csv_field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n") && s[0] != ' ') {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static lg_status write_csv(lg_ctx *ctx, const lg_layer *l, const out_geoms *og,
			   const char *tmp, const lg_write_opts *o)
{
	FILE *f = fopen(tmp, "wb");
	bool has_geom = false;
	GEOSWKTWriter *w = NULL;
	if (!f)
		return lg_ctx_error(ctx, LG_WRITE, "cannot create '%s': %s", tmp,
				    strerror(errno));
	for (size_t i = 0; i < l->n && !has_geom; i++)
		has_geom = geom_at(l, og, i) != NULL;
	if (has_geom) {
		w = GEOSWKTWriter_create_r(ctx->geos);
		GEOSWKTWriter_setTrim_r(ctx->geos, w, 1);
		GEOSWKTWriter_setRoundingPrecision_r(
			ctx->geos, w,
			o->precision > 0 ? o->precision
					 : (og->crs && lg_crs_is_geographic(og->crs) ? 9 : 3));
		GEOSWKTWriter_setOutputDimension_r(ctx->geos, w, 2);
	}
	for (size_t j = 0; j < l->nfields; j++) {
		if (j)
			fputc(',', f);
		csv_field(f, l->fields[j].name);
	}
	if (has_geom)
		fputs(l->nfields ? ",WKT" : "WKT", f);
	fputc('\n', f);
	for (size_t i = 0; i < l->n; i++) {
		for (size_t j = 0; j < l->nfields; j++) {
			if (j)
				fputc(',', f);
			csv_field(f, lg_feature_text(l, &l->feat[i], (int)j));
		}
		if (has_geom) {
			const lg_geom *g = geom_at(l, og, i);
			if (l->nfields)
				fputc(',', f);
			if (g) {
				char *s = GEOSWKTWriter_write_r(ctx->geos, w, g);
				if (s) {
					csv_field(f, s);
					GEOSFree_r(ctx->geos, s);
				}
			}
		}
		fputc('\n', f);
	}
	if (w)
		GEOSWKTWriter_destroy_r(ctx->geos, w);
	if (ferror(f) | (fclose(f) != 0))
		return lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", tmp,
				    strerror(errno));
	return LG_OK;
}

/* --- XLSX: a formatted sheet through libxlsxwriter ------------------- */

static lg_status write_xlsx(lg_ctx *ctx, const lg_layer *l, const char *tmp,
			    const char *sheet_name)
{
	lxw_workbook *wb = workbook_new(tmp);
	lxw_worksheet *ws;
	lxw_format *head, *num2, *num4;
	char sheet[32];
	if (!wb)
		return lg_ctx_error(ctx, LG_WRITE, "cannot create '%s'", tmp);
	/* Excel sheet names: at most 31 characters, none of []:*?/\ . */
	snprintf(sheet, sizeof sheet, "%.31s", sheet_name && *sheet_name ? sheet_name : "Sheet1");
	for (char *p = sheet; *p; p++)
		if (strchr("[]:*?/\\", *p))
			*p = '_';
	ws = workbook_add_worksheet(wb, lxw_utf8_strlen(sheet) <= 31 ? sheet : NULL);
	if (!ws)
		ws = workbook_add_worksheet(wb, NULL);
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_bg_color(head, 0xD9E1F2);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_text_wrap(head);
	num2 = workbook_add_format(wb);
	format_set_num_format(num2, "#,##0.00");
	num4 = workbook_add_format(wb);
	format_set_num_format(num4, "0.0000");
	for (size_t j = 0; j < l->nfields; j++) {
		const char *nm = l->fields[j].name;
		size_t w = strlen(nm);
		worksheet_write_string(ws, 0, (lxw_col_t)j, nm, head);
		for (size_t i = 0; i < l->n && i < 200; i++) {
			size_t k = strlen(lg_feature_text(l, &l->feat[i], (int)j));
			if (k > w)
				w = k;
		}
		worksheet_set_column(ws, (lxw_col_t)j, (lxw_col_t)j,
				     w < 8 ? 10 : w > 60 ? 60 : (double)w + 2, NULL);
	}
	for (size_t i = 0; i < l->n; i++)
		for (size_t j = 0; j < l->nfields; j++) {
			const lg_value *v = &l->feat[i].vals[j];
			lxw_row_t r = (lxw_row_t)(i + 1);
			if (v->null)
				continue;
			switch (l->fields[j].type) {
			case LG_FT_INT:
				worksheet_write_number(ws, r, (lxw_col_t)j, (double)v->u.i, NULL);
				break;
			case LG_FT_REAL: {
				const char *nm = l->fields[j].name;
				bool share = strstr(nm, "share") != NULL;
				worksheet_write_number(ws, r, (lxw_col_t)j, v->u.d,
						       share ? num4 : num2);
				break;
			}
			default:
				worksheet_write_string(ws, r, (lxw_col_t)j, v->u.s, NULL);
			}
		}
	/* Rows that need attention stand out in the ledger: conflicts and
	 * violations red, risks orange (by a 'conflict' or 'severity' column). */
	int jc = lg_layer_field(l, "conflict"), js = lg_layer_field(l, "severity");
	if (l->n && l->nfields && (jc >= 0 || js >= 0)) {
		lxw_format *red = workbook_add_format(wb), *orange = workbook_add_format(wb);
		format_set_bg_color(red, 0xF8CBAD);
		format_set_bg_color(orange, 0xFFE699);
		char col[8], crit[64];
		int j = jc >= 0 ? jc : js;
		lxw_col_t cj = (lxw_col_t)j;
		/* Column letters for the formula (A..Z, AA..). */
		if (cj < 26)
			snprintf(col, sizeof col, "%c", 'A' + cj);
		else
			snprintf(col, sizeof col, "%c%c", 'A' + cj / 26 - 1, 'A' + cj % 26);
		lxw_conditional_format cf = {0};
		cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
		snprintf(crit, sizeof crit, jc >= 0 ? "=$%s2=1" : "=$%s2=\"violation\"", col);
		cf.value_string = crit;
		cf.format = red;
		worksheet_conditional_format_range(ws, 1, 0, (lxw_row_t)l->n,
						   (lxw_col_t)(l->nfields - 1), &cf);
		if (js >= 0) {
			snprintf(crit, sizeof crit, "=$%s2=\"risk\"", col);
			cf.value_string = crit;
			cf.format = orange;
			worksheet_conditional_format_range(ws, 1, 0, (lxw_row_t)l->n,
							   (lxw_col_t)(l->nfields - 1), &cf);
		}
	}
	worksheet_freeze_panes(ws, 1, 0);
	if (l->nfields)
		worksheet_autofilter(ws, 0, 0, (lxw_row_t)l->n, (lxw_col_t)(l->nfields - 1));
	lxw_error e = workbook_close(wb);
	if (e != LXW_NO_ERROR)
		return lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", tmp,
				    lxw_strerror(e));
	return LG_OK;
}

/* --- OGR formats ---------------------------------------------------- */

static OGRSpatialReferenceH make_srs(const lg_crs *crs)
{
	OGRSpatialReferenceH srs;
	if (!crs)
		return NULL;
	srs = OSRNewSpatialReference(NULL);
	if (lg_crs_epsg(crs) && OSRImportFromEPSG(srs, lg_crs_epsg(crs)) == OGRERR_NONE) {
		/* fine */
	} else if (OSRSetFromUserInput(srs, lg_crs_wkt(crs, false)) != OGRERR_NONE) {
		OSRDestroySpatialReference(srs);
		return NULL;
	}
	OSRSetAxisMappingStrategy(srs, OAMS_TRADITIONAL_GIS_ORDER);
	return srs;
}

static char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *b = slash ? slash + 1 : path;
	const char *dot = strrchr(b, '.');
	return strndup(b, dot ? (size_t)(dot - b) : strlen(b));
}

/* `pg_ds`: an open PostgreSQL dataset to write the layer into (replacing
 * a table of that name inside one transaction), instead of a new file. */
static lg_status write_ogr_ds(lg_ctx *ctx, const lg_layer *l, const out_geoms *og,
			      const char *drv_name, const char *tmp,
			      const char *lname, const lg_write_opts *o, GDALDatasetH pg_ds);

static lg_status write_ogr(lg_ctx *ctx, const lg_layer *l, const out_geoms *og,
			   const char *drv_name, const char *tmp,
			   const char *lname, const lg_write_opts *o)
{
	return write_ogr_ds(ctx, l, og, drv_name, tmp, lname, o, NULL);
}

static lg_status write_ogr_ds(lg_ctx *ctx, const lg_layer *l, const out_geoms *og,
			      const char *drv_name, const char *tmp,
			      const char *lname, const lg_write_opts *o, GDALDatasetH pg_ds)
{
	GDALDriverH drv = GDALGetDriverByName(drv_name);
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRSpatialReferenceH srs = NULL;
	char **names = NULL;
	char **lco = NULL;
	lg_status st = LG_OK;
	bool shp = !strcmp(drv_name, "ESRI Shapefile"), promote;
	int gtype = layer_geom_type(ctx, l, &promote);
	lg_gdal_errs errs;
	GEOSWKBWriter *wkbw = NULL;

	lg__gdal_push(&errs);
	if (!drv) {
		st = lg_ctx_error(ctx, LG_USAGE, "no OGR driver '%s'", drv_name);
		goto done;
	}
	ds = pg_ds ? pg_ds : GDALCreate(drv, tmp, 0, 0, 0, GDT_Unknown, NULL);
	if (!ds) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot create '%s': %s", tmp, errs.last);
		goto done;
	}
	srs = make_srs(og->crs);
	if (shp)
		lco = CSLSetNameValue(lco, "ENCODING",
				      o->encoding && !lg__strieq(o->encoding, "UTF-8") ? "CP936" : "UTF-8");
	if (o->no_spatial_index && (!strcmp(drv_name, "GPKG") || !strcmp(drv_name, "SQLite")))
		lco = CSLSetNameValue(lco, "SPATIAL_INDEX", "NO");
	if (!strcmp(drv_name, "GeoJSON") && og->crs && lg_crs_epsg(og->crs) != 4326)
		lco = CSLSetNameValue(lco, "RFC7946", "NO");
	if (pg_ds) {
		lco = CSLSetNameValue(lco, "OVERWRITE", "YES");
		lco = CSLSetNameValue(lco, "GEOMETRY_NAME", "geom");
		lco = CSLSetNameValue(lco, "LAUNDER", "NO");
		lco = CSLSetNameValue(lco, "SPATIAL_INDEX", o->no_spatial_index ? "NONE" : "GIST");
	}
	lyr = GDALDatasetCreateLayer(ds, lname, srs, (OGRwkbGeometryType)gtype, lco);
	if (!lyr) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot create layer '%s' in '%s': %s",
				  lname, tmp, errs.last);
		goto done;
	}
	names = calloc(l->nfields + 1, sizeof *names);
	if (!names) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	if (shp) {
		const char **src = calloc(l->nfields + 1, sizeof *src);
		if (!src) {
			st = LG_NOMEM;
			goto done;
		}
		for (size_t j = 0; j < l->nfields; j++)
			src[j] = l->fields[j].name;
		st = lg_shp_field_names(ctx, src, l->nfields, names);
		free(src);
		if (st)
			goto done;
	} else {
		for (size_t j = 0; j < l->nfields; j++)
			names[j] = strdup(l->fields[j].name);
	}
	for (size_t j = 0; j < l->nfields; j++) {
		OGRFieldType t = l->fields[j].type == LG_FT_INT	   ? OFTInteger64
				 : l->fields[j].type == LG_FT_REAL ? OFTReal
								   : OFTString;
		OGRFieldDefnH fd = OGR_Fld_Create(names[j], t);
		if (shp && t == OFTReal) {
			OGR_Fld_SetWidth(fd, 24);
			OGR_Fld_SetPrecision(fd, 6);
		}
		if (shp && t == OFTString) {
			int w = 1;
			for (size_t i = 0; i < l->n; i++) {
				const lg_value *v = &l->feat[i].vals[j];
				if (!v->null && (int)strlen(v->u.s) * 2 > w)
					w = (int)strlen(v->u.s) * 2; /* GBK may need 2 per char */
			}
			OGR_Fld_SetWidth(fd, w > 254 ? 254 : w);
		}
		if (OGR_L_CreateField(lyr, fd, 1) != OGRERR_NONE) {
			OGR_Fld_Destroy(fd);
			st = lg_ctx_error(ctx, LG_WRITE, "cannot create field '%s' in '%s': %s",
					  l->fields[j].name, tmp, errs.last);
			goto done;
		}
		OGR_Fld_Destroy(fd);
	}
	wkbw = GEOSWKBWriter_create_r(ctx->geos);
	if (!wkbw) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	GEOSWKBWriter_setByteOrder_r(ctx->geos, wkbw, GEOS_WKB_NDR);
	if (!pg_ds && OGR_L_StartTransaction(lyr) != OGRERR_NONE) {
		/* Drivers without transactions (Shapefile) write directly. */
	}
	for (size_t i = 0; i < l->n; i++) {
		OGRFeatureH f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
		const lg_geom *g = geom_at(l, og, i);
		for (size_t j = 0; j < l->nfields; j++) {
			const lg_value *v = &l->feat[i].vals[j];
			if (v->null)
				continue;
			switch (l->fields[j].type) {
			case LG_FT_INT: OGR_F_SetFieldInteger64(f, (int)j, v->u.i); break;
			case LG_FT_REAL: OGR_F_SetFieldDouble(f, (int)j, v->u.d); break;
			default: OGR_F_SetFieldString(f, (int)j, v->u.s);
			}
		}
		const lg_feature *lf = &l->feat[i];
		if (g || lf->wkb) {
			OGRGeometryH og2 = NULL;
			if (!og->g && lf->wkb) {
				if (OGR_G_CreateFromWkb(lf->wkb, NULL, &og2, (int)lf->wkb_len) != OGRERR_NONE)
					og2 = NULL;
			} else if (g) {
				og2 = lg__geos_to_ogr(ctx, wkbw, g);
			}
			if (og2 && promote) {
				int ft = wkbFlatten(OGR_G_GetGeometryType(og2));
				if (ft == wkbPolygon)
					og2 = OGR_G_ForceToMultiPolygon(og2);
				else if (ft == wkbLineString)
					og2 = OGR_G_ForceToMultiLineString(og2);
				else if (ft == wkbPoint)
					og2 = OGR_G_ForceToMultiPoint(og2);
			}
			if (og2)
				OGR_F_SetGeometryDirectly(f, og2);
		}
		if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
			OGR_F_Destroy(f);
			st = lg_ctx_error(ctx, LG_WRITE, "cannot write feature %s to '%s': %s",
					  lg_feature_id(l, &l->feat[i]), tmp, errs.last);
			goto done;
		}
		OGR_F_Destroy(f);
	}
	if (!pg_ds && OGR_L_CommitTransaction(lyr) != OGRERR_NONE) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", tmp, errs.last);
		goto done;
	}
done:
	if (ds && !pg_ds) {
		errs.last[0] = '\0';
		GDALClose(ds);
		if (errs.last[0] && !st)
			st = lg_ctx_error(ctx, LG_WRITE, "cannot finish '%s': %s", tmp, errs.last);
	}
	if (srs)
		OSRDestroySpatialReference(srs);
	if (wkbw)
		GEOSWKBWriter_destroy_r(ctx->geos, wkbw);
	if (names)
		for (size_t j = 0; j < l->nfields; j++)
			free(names[j]);
	free(names);
	CSLDestroy(lco);
	lg__gdal_pop();
	return st;
}

/* GeoPackage: GDAL makes the file and the empty table (with its R-tree
 * unless --no-spatial-index), the rows and their R-tree entries go in
 * through SQLite (lib/store/gpkg_write.c).  Layers without one geometry
 * family take the OGR path; LG_OGR_WRITE=1 forces it (tests compare the
 * two). */
static lg_status write_gpkg(lg_ctx *ctx, const lg_layer *l, const out_geoms *og,
			    const char *tmp, const char *lname, const lg_write_opts *o)
{
	bool promote;
	int gtype = layer_geom_type(ctx, l, &promote);
	lg_layer schema = *l;
	lg_status st;
	if (gtype == wkbNone || gtype == wkbUnknown || getenv("LG_OGR_WRITE"))
		return write_ogr(ctx, l, og, "GPKG", tmp, lname, o);
	schema.n = 0;
	schema.geom_type = gtype;
	st = write_ogr(ctx, &schema, og, "GPKG", tmp, lname, o);
	if (!st)
		st = lg__gpkg_fill(ctx, tmp, lname, l, og->g, promote);
	return st;
}

/* Shapefiles are several files: written into a private directory, then
 * each renamed next to the target. */
static lg_status write_shp(lg_ctx *ctx, const lg_layer *l, const out_geoms *og,
			   const char *path, const lg_write_opts *o)
{
	static const char *const exts[] = {".shp", ".shx", ".dbf", ".prj", ".cpg"};
	char dir[4096], *base = base_name(path), src[4600], dst[4600];
	const char *slash = strrchr(path, '/');
	lg_status st;
	snprintf(dir, sizeof dir, "%.*s.lgtmp%ld", slash ? (int)(slash - path + 1) : 0,
		 path, (long)getpid());
	if (!base)
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	if (mkdir(dir, 0755) != 0) {
		free(base);
		return lg_ctx_error(ctx, LG_WRITE, "cannot create a temporary folder '%s': %s",
				    dir, strerror(errno));
	}
	snprintf(src, sizeof src, "%s/%s.shp", dir, base);
	st = write_ogr(ctx, l, og, "ESRI Shapefile", src,
		       o->layer_name ? o->layer_name : base, o);
	for (size_t k = 0; k < LG_ARRAY_LEN(exts); k++) {
		snprintf(src, sizeof src, "%s/%s%s", dir, base, exts[k]);
		snprintf(dst, sizeof dst, "%.*s%s", (int)(strlen(path) - 4), path, exts[k]);
		if (!st && access(src, F_OK) == 0 && rename(src, dst) != 0)
			st = lg_ctx_error(ctx, LG_WRITE, "cannot move '%s' into place: %s",
					  dst, strerror(errno));
		unlink(src);
	}
	rmdir(dir);
	free(base);
	return st;
}

/* PG:conninfo#table: the table is replaced inside one transaction (the
 * server's own atomic rename): a failed write leaves the old table. */
static lg_status write_pg(lg_ctx *ctx, const lg_layer *l, const out_geoms *og,
			  const char *path, const lg_write_opts *o)
{
	char *conn = NULL, *table = NULL;
	GDALDatasetH ds = NULL;
	lg_gdal_errs errs;
	lg_status st;
	if (lg__split_source(path, &conn, &table))
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	if (!table && o->layer_name)
		table = strdup(o->layer_name);
	lg__gdal_push(&errs);
	if (!table) {
		st = lg_ctx_error(ctx, LG_USAGE, "'%s' names no table; write -o 'PG:...#TABLE'", path);
		goto done;
	}
	ds = GDALOpenEx(conn, GDAL_OF_VECTOR | GDAL_OF_UPDATE,
			(const char *const[]){"PostgreSQL", NULL}, NULL, NULL);
	if (!ds) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot connect to '%s' to write%s%s", conn,
				  errs.last[0] ? ": " : "", errs.last);
		goto done;
	}
	if (GDALDatasetStartTransaction(ds, FALSE) != OGRERR_NONE) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot start a transaction on '%s': %s", conn,
				  errs.last);
		goto done;
	}
	st = write_ogr_ds(ctx, l, og, "PostgreSQL", path, table, o, ds);
	if (st) {
		GDALDatasetRollbackTransaction(ds);
		goto done;
	}
	if (GDALDatasetCommitTransaction(ds) != OGRERR_NONE)
		st = lg_ctx_error(ctx, LG_WRITE, "cannot commit table '%s' on '%s': %s", table, conn,
				  errs.last);
done:
	if (ds)
		GDALClose(ds);
	lg__gdal_pop();
	free(conn);
	free(table);
	return st;
}

struct lg_layer_out {
	char *path, *tmp;
	lg__gpkg_out *g;
};

lg_status lg_layer_out_open(lg_ctx *ctx, const lg_layer *schema, const char *path,
			    const lg_write_opts *opts, lg_layer_out **out)
{
	lg_write_opts none = {0};
	const lg_write_opts *o = opts ? opts : &none;
	const char *drv = !strncmp(path, "PG:", 3) ? NULL : driver_for(path, o->driver);
	lg_layer_out *w = NULL;
	char *lname = NULL;
	out_geoms og = {0};
	lg_layer sch = *schema;
	lg_status st;
	int gt = schema->geom_type;

	*out = NULL;
	if (!drv || strcmp(drv, "GPKG") || o->t_srs || gt < 1 || gt > 6)
		return lg_ctx_error(ctx, LG_USAGE, "'%s': only a GeoPackage of one geometry type "
				    "without --t-srs is written in parts", path);
	if ((st = lg__prepare_output(ctx, path)))
		return st;
	lg__gdal_init();
	w = lg__calloc(ctx, 1, sizeof *w);
	if (!w)
		return LG_NOMEM;
	w->path = lg__strdup(ctx, path);
	w->tmp = lg__tmp_path(path);
	lname = o->layer_name ? strdup(o->layer_name) : base_name(path);
	if (!w->path || !w->tmp || !lname) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto fail;
	}
	unlink(w->tmp);
	og.crs = schema->crs;
	sch.n = 0;
	if ((st = write_ogr(ctx, &sch, &og, "GPKG", w->tmp, lname, o)) ||
	    (st = lg__gpkg_begin(ctx, w->tmp, lname, schema, gt >= 4, &w->g)))
		goto fail;
	free(lname);
	*out = w;
	return LG_OK;
fail:
	if (w->tmp)
		unlink(w->tmp);
	free(lname);
	free(w->path);
	free(w->tmp);
	free(w);
	return st;
}

lg_status lg_layer_out_add(lg_ctx *ctx, lg_layer_out *w, const lg_layer *part)
{
	return lg__gpkg_rows(ctx, w->g, part, NULL);
}

lg_status lg_layer_out_close(lg_ctx *ctx, lg_layer_out *w, bool commit)
{
	lg_status st;
	if (!w)
		return LG_OK;
	st = lg__gpkg_end(ctx, w->g, commit);
	if (commit && !st)
		st = lg__commit_tmp(ctx, w->tmp, w->path);
	else
		unlink(w->tmp);
	free(w->path);
	free(w->tmp);
	free(w);
	return st;
}

lg_status lg_layer_write(lg_ctx *ctx, const lg_layer *l, const char *path,
			 const lg_write_opts *opts)
{
	lg_write_opts none = {0};
	const lg_write_opts *o = opts ? opts : &none;
	const char *drv = !strncmp(path, "PG:", 3) ? "PostgreSQL" : driver_for(path, o->driver);
	char *tmp = NULL, *lname = NULL;
	out_geoms og;
	lg_status st;

	if (!drv)
		return lg_ctx_error(ctx, LG_USAGE,
				    "cannot tell the output format of '%s' from its "
				    "extension; use .gpkg .shp .geojson .csv .xlsx .txt or -f DRIVER",
				    path);
	if ((st = lg__prepare_output(ctx, path)))
		return st;
	if (!strcmp(drv, "JZD-TXT"))
		return lg_jzd_write(ctx, l, path, o);
	lg__gdal_init();
	st = reproject_for_output(ctx, l, o,
				  strcmp(drv, "GPKG") && strcmp(drv, "ESRI Shapefile") &&
					  strcmp(drv, "GeoJSON") && strcmp(drv, "SQLite") &&
					  strcmp(drv, "FlatGeobuf") && strcmp(drv, "KML") &&
					  strcmp(drv, "PostgreSQL"),
				  &og);
	if (st)
		goto done;
	if (!strcmp(drv, "ESRI Shapefile")) {
		st = write_shp(ctx, l, &og, path, o);
		goto done;
	}
	if (!strcmp(drv, "PostgreSQL")) {
		st = write_pg(ctx, l, &og, path, o);
		goto done;
	}
	tmp = lg__tmp_path(path);
	lname = o->layer_name ? strdup(o->layer_name) : base_name(path);
	if (!tmp || !lname) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	unlink(tmp);
	if (!strcmp(drv, "CSV"))
		st = write_csv(ctx, l, &og, tmp, o);
	else if (!strcmp(drv, "XLSX"))
		st = write_xlsx(ctx, l, tmp, lname);
	else if (!strcmp(drv, "GPKG"))
		st = write_gpkg(ctx, l, &og, tmp, lname, o);
	else
		st = write_ogr(ctx, l, &og, drv, tmp, lname, o);
	if (st) {
		char msg[2048];
		/* Say the final path, not the temporary one. */
		snprintf(msg, sizeof msg, "%s", lg_ctx_errmsg(ctx));
		unlink(tmp);
		if (strstr(msg, tmp))
			lg_ctx_error(ctx, st, "cannot write '%s'; an existing file there is left "
				     "untouched (%s)", path, msg);
		goto done;
	}
	st = lg__commit_tmp(ctx, tmp, path);
done:
	out_geoms_release(ctx, &og, l->n);
	free(tmp);
	free(lname);
	return st;
}
