/* landguard-gen: writing through OGR, with one message per failure. */
#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gen.h"

double gen_mm(double v)
{
	return round(v * 1000.0) / 1000.0;
}

/* GDAL's default handler prints "ERROR 1: ..." with no file; ours prefixes
 * the program name, and the caller adds the file in its own message. */
static void CPL_STDCALL gen_cpl_handler(CPLErr cls, CPLErrorNum no, const char *msg)
{
	if (cls == CE_Debug)
		return;
	fprintf(stderr, "landguard-gen: gdal %s: %s\n",
		cls == CE_Warning ? "warning" : "error", msg);
}

void gen_gdal_setup(void)
{
	GDALAllRegister();
	CPLPushErrorHandler(gen_cpl_handler);
	/* GPKG writes the current time into gpkg_contents.last_change;
	 * a fixed value is what makes two runs byte-identical. */
	CPLSetConfigOption("OGR_CURRENT_DATE", "2026-01-01T00:00:00.000Z");
	/* Output is scratch-or-regenerable; fsync per commit only costs time. */
	CPLSetConfigOption("OGR_SQLITE_SYNCHRONOUS", "OFF");
	CPLSetConfigOption("OGR_SQLITE_JOURNAL", "OFF");
	CPLSetConfigOption("OGR_SQLITE_CACHE", "512");
}

OGRSpatialReferenceH gen_srs(int epsg)
{
	OGRSpatialReferenceH s = OSRNewSpatialReference(NULL);
	if (!s)
		return NULL;
	if (OSRImportFromEPSG(s, epsg) != OGRERR_NONE) {
		fprintf(stderr, "landguard-gen: cannot build EPSG:%d; is proj-data installed?\n",
			epsg);
		OSRDestroySpatialReference(s);
		return NULL;
	}
	/* EPSG:4525 declares northing first; every coordinate here is x = east. */
	OSRSetAxisMappingStrategy(s, OAMS_TRADITIONAL_GIS_ORDER);
	return s;
}

int gen_mkdirs(const char *dir)
{
	char tmp[PATH_MAX];
	size_t n = strlen(dir);
	if (n == 0 || n >= sizeof tmp)
		return -1;
	memcpy(tmp, dir, n + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(tmp, 0777) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

int gen_path(char *buf, size_t n, const char *dir, const char *name)
{
	int k = snprintf(buf, n, "%s/%s", dir, name);
	char *slash;
	if (k < 0 || (size_t)k >= n) {
		fprintf(stderr, "landguard-gen: path too long: '%s/%s'\n", dir, name);
		return GEN_USAGE;
	}
	slash = strrchr(buf, '/');
	if (slash) {
		*slash = '\0';
		if (gen_mkdirs(buf) != 0) {
			fprintf(stderr, "landguard-gen: cannot create directory '%s': %s\n",
				buf, strerror(errno));
			*slash = '/';
			return GEN_WRITE;
		}
		*slash = '/';
	}
	return GEN_OK;
}

GDALDatasetH gen_create(const char *driver, const char *path, char **dsco)
{
	GDALDriverH drv = GDALGetDriverByName(driver);
	GDALDatasetH ds;
	if (!drv) {
		fprintf(stderr, "landguard-gen: GDAL has no %s driver; cannot write '%s'\n",
			driver, path);
		return NULL;
	}
	/* Replace, never append: an old file would break byte-identity. */
	if (access(path, F_OK) == 0 && GDALDeleteDataset(drv, path) != CE_None &&
	    unlink(path) != 0) {
		fprintf(stderr, "landguard-gen: cannot replace '%s': %s\n", path,
			strerror(errno));
		return NULL;
	}
	ds = GDALCreate(drv, path, 0, 0, 0, GDT_Unknown, dsco);
	if (!ds)
		fprintf(stderr, "landguard-gen: cannot create '%s' (%s); check the directory "
				"exists and is writable\n",
			path, CPLGetLastErrorMsg());
	return ds;
}

OGRLayerH gen_layer(GDALDatasetH ds, const char *path, const char *name, int epsg,
		    OGRwkbGeometryType gt, const gen_field *fields, char **lco)
{
	OGRSpatialReferenceH srs = NULL;
	OGRLayerH lyr = NULL;
	if (epsg > 0 && !(srs = gen_srs(epsg)))
		goto done;
	lyr = GDALDatasetCreateLayer(ds, name, srs, gt, lco);
	if (!lyr) {
		fprintf(stderr, "landguard-gen: cannot create layer '%s' in '%s'\n", name, path);
		goto done;
	}
	for (const gen_field *f = fields; f && f->name; f++) {
		OGRFieldDefnH fd = OGR_Fld_Create(f->name, f->type);
		OGRErr e;
		if (f->width > 0)
			OGR_Fld_SetWidth(fd, f->width);
		e = OGR_L_CreateField(lyr, fd, TRUE);
		OGR_Fld_Destroy(fd);
		if (e != OGRERR_NONE) {
			fprintf(stderr, "landguard-gen: cannot create field '%s' in '%s' layer '%s'\n",
				f->name, path, name);
			lyr = NULL;
			goto done;
		}
	}
done:
	if (srs)
		OSRDestroySpatialReference(srs);
	return lyr;
}

int gen_begin(OGRLayerH lyr, const char *path)
{
	OGRErr e = OGR_L_StartTransaction(lyr);
	/* Shapefiles have no transactions; that is fine. */
	if (e != OGRERR_NONE && e != OGRERR_UNSUPPORTED_OPERATION) {
		fprintf(stderr, "landguard-gen: cannot start a transaction in '%s'\n", path);
		return GEN_WRITE;
	}
	return GEN_OK;
}

int gen_commit(OGRLayerH lyr, const char *path)
{
	OGRErr e = OGR_L_CommitTransaction(lyr);
	if (e != OGRERR_NONE && e != OGRERR_UNSUPPORTED_OPERATION) {
		fprintf(stderr, "landguard-gen: cannot commit to '%s'; disk full?\n", path);
		return GEN_WRITE;
	}
	return GEN_OK;
}

int gen_write(OGRLayerH lyr, OGRFeatureH f, const char *path)
{
	OGR_F_SetFID(f, OGRNullFID);
	if (OGR_L_CreateFeature(lyr, f) != OGRERR_NONE) {
		fprintf(stderr, "landguard-gen: cannot write a feature to '%s' layer '%s'; "
				"disk full?\n",
			path, OGR_L_GetName(lyr));
		return GEN_WRITE;
	}
	return GEN_OK;
}

int gen_close(GDALDatasetH ds, const char *path)
{
	if (!ds)
		return GEN_OK;
	CPLErrorReset();
	GDALClose(ds);
	if (CPLGetLastErrorType() >= CE_Failure) {
		fprintf(stderr, "landguard-gen: error while closing '%s': %s\n", path,
			CPLGetLastErrorMsg());
		return GEN_WRITE;
	}
	return GEN_OK;
}

OGRGeometryH gen_geos_to_ogr(GEOSContextHandle_t h, const GEOSGeometry *g)
{
	GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
	unsigned char *wkb = NULL;
	size_t n = 0;
	OGRGeometryH og = NULL;
	if (!w)
		return NULL;
	wkb = GEOSWKBWriter_write_r(h, w, g, &n);
	if (wkb && OGR_G_CreateFromWkb(wkb, NULL, &og, (int)n) != OGRERR_NONE)
		og = NULL;
	if (wkb)
		GEOSFree_r(h, wkb);
	GEOSWKBWriter_destroy_r(h, w);
	return og;
}

GEOSGeometry *gen_ogr_to_geos(GEOSContextHandle_t h, OGRGeometryH g)
{
	int n = OGR_G_WkbSize(g);
	unsigned char *buf = malloc((size_t)n);
	GEOSGeometry *gg = NULL;
	if (!buf)
		return NULL;
	if (OGR_G_ExportToWkb(g, wkbNDR, buf) == OGRERR_NONE)
		gg = GEOSGeomFromWKB_buf_r(h, buf, (size_t)n);
	free(buf);
	return gg;
}
