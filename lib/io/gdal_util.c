/* GDAL plumbing shared by the readers and writers. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io_int.h"

static pthread_once_t once = PTHREAD_ONCE_INIT;

static void init_once(void)
{
	GDALAllRegister();
}

void lg__gdal_init(void)
{
	pthread_once(&once, init_once);
}

static void CPL_STDCALL on_gdal(CPLErr cls, CPLErrorNum no, const char *msg)
{
	lg_gdal_errs *e = CPLGetErrorHandlerUserData();
	if (!e)
		return;
	if (cls >= CE_Failure)
		snprintf(e->last, sizeof e->last, "%s", msg ? msg : "");
	else if (cls == CE_Warning)
		e->nwarn++;
}

void lg__gdal_push(lg_gdal_errs *e)
{
	lg__gdal_init();
	e->last[0] = '\0';
	e->nwarn = 0;
	CPLPushErrorHandlerEx(on_gdal, e);
}

void lg__gdal_pop(void)
{
	CPLPopErrorHandler();
}

int lg__split_source(const char *source, char **path, char **layer)
{
	const char *hash = strrchr(source, '#');
	*layer = NULL;
	if (hash && hash[1]) {
		*path = strndup(source, (size_t)(hash - source));
		*layer = strdup(hash + 1);
		return *path && *layer ? 0 : -1;
	}
	*path = hash ? strndup(source, (size_t)(hash - source)) : strdup(source);
	return *path ? 0 : -1;
}

lg_geom *lg__ogr_to_geos(lg_ctx *ctx, OGRGeometryH g)
{
	int n = OGR_G_WkbSize(g);
	unsigned char *buf;
	lg_geom *out = NULL;
	if (n <= 0)
		return NULL;
	buf = malloc((size_t)n);
	if (!buf)
		return NULL;
	if (OGR_G_ExportToWkb(g, wkbNDR, buf) == OGRERR_NONE)
		out = GEOSGeomFromWKB_buf_r(ctx->geos, buf, (size_t)n);
	free(buf);
	return out;
}

OGRGeometryH lg__geos_to_ogr(lg_ctx *ctx, GEOSWKBWriter *w, const lg_geom *g)
{
	size_t n = 0;
	unsigned char *buf = GEOSWKBWriter_write_r(ctx->geos, w, g, &n);
	OGRGeometryH out = NULL;
	if (buf) {
		if (OGR_G_CreateFromWkb(buf, NULL, &out, (int)n) != OGRERR_NONE)
			out = NULL;
		GEOSFree_r(ctx->geos, buf);
	}
	return out;
}

char *lg__tmp_path(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t dirlen = (size_t)(base - path);
	size_t n = strlen(path) + 64;
	char *t = malloc(n);
	if (!t)
		return NULL;
	/* Hidden, same directory (so rename() is atomic), same extension (so
	 * drivers that look at it behave). */
	snprintf(t, n, "%.*s.%.*s.lgtmp%ld%s", (int)dirlen, path,
		 (int)(dot ? (size_t)(dot - base) : strlen(base)), base, (long)getpid(),
		 dot ? dot : "");
	return t;
}

static bool pid_dead(const char *digits, const char **rest)
{
	char *end;
	long pid = strtol(digits, &end, 10);
	*rest = end;
	if (end == digits || pid <= 0)
		return false;
	if (pid == (long)getpid())
		return false;
	return kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4600];
	if (d) {
		while ((e = readdir(d)) != NULL) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) < (int)sizeof p)
				unlink(p);
		}
		closedir(d);
	}
	rmdir(dir);
}

lg_status lg__prepare_output(lg_ctx *ctx, const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	const char *dot = strrchr(base, '.');
	size_t blen = dot ? (size_t)(dot - base) : strlen(base);
	char dir[4096], prefix[512];
	struct stat sb;
	DIR *d;
	struct dirent *e;

	if (!*base)
		return lg_ctx_error(ctx, LG_USAGE,
				    "output '%s' names a folder, not a file; add a file name",
				    path);
	if (slash)
		snprintf(dir, sizeof dir, "%.*s", slash == path ? 1 : (int)(slash - path), path);
	else
		snprintf(dir, sizeof dir, ".");
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return lg_ctx_error(ctx, LG_WRITE,
				    "cannot write '%s': folder '%s' does not exist; create it "
				    "or choose another output path",
				    path, dir);
	if (access(dir, W_OK | X_OK) != 0)
		return lg_ctx_error(ctx, LG_WRITE,
				    "cannot write '%s': folder '%s' is not writable (%s); "
				    "choose another output path",
				    path, dir, strerror(errno));
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
		return lg_ctx_error(ctx, LG_WRITE,
				    "cannot write '%s': a folder of that name exists; remove "
				    "it or choose another output path",
				    path);
	/* Stale temporaries of this output only: never another file. */
	snprintf(prefix, sizeof prefix, ".%.*s.lgtmp", (int)(blen < 400 ? blen : 400), base);
	d = opendir(dir);
	if (!d)
		return LG_OK;
	while ((e = readdir(d)) != NULL) {
		const char *rest;
		char p[4600];
		bool shpdir = !strncmp(e->d_name, ".lgtmp", 6);
		if (shpdir ? !pid_dead(e->d_name + 6, &rest) || *rest
			   : strncmp(e->d_name, prefix, strlen(prefix)) ||
				     !pid_dead(e->d_name + strlen(prefix), &rest))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (shpdir) {
			/* Only a folder that holds this shapefile's parts. */
			char probe[4700];
			snprintf(probe, sizeof probe, "%s/%.*s.shp", p, (int)blen, base);
			if (access(probe, F_OK) == 0 ||
			    (snprintf(probe, sizeof probe, "%s/%.*s.dbf", p, (int)blen, base),
			     access(probe, F_OK) == 0))
				remove_tree(p);
			else
				rmdir(p); /* killed before the first part: empty */
			continue;
		}
		if (unlink(p) == 0)
			lg_ctx_warn(ctx, "removed '%s', left by an earlier run that did not finish",
				    p);
	}
	closedir(d);
	return LG_OK;
}

lg_status lg_output_prepare(lg_ctx *ctx, const char *path)
{
	return lg__prepare_output(ctx, path);
}

lg_status lg__commit_tmp(lg_ctx *ctx, const char *tmp, const char *path)
{
	if (rename(tmp, path) != 0) {
		lg_status st = lg_ctx_error(ctx, LG_WRITE,
					    "cannot move the finished output into place as '%s': %s",
					    path, strerror(errno));
		unlink(tmp);
		return st;
	}
	return LG_OK;
}

lg_status lg__layer_from_ogr_schema(lg_ctx *ctx, OGRLayerH lyr, lg_layer **out)
{
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
	int nf = OGR_FD_GetFieldCount(defn);
	lg_field *fields = calloc((size_t)nf + 1, sizeof *fields);
	lg_status st;
	if (!fields)
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	for (int j = 0; j < nf; j++) {
		OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, j);
		OGRFieldType t = OGR_Fld_GetType(fd);
		fields[j].name = (char *)OGR_Fld_GetNameRef(fd);
		fields[j].type = t == OFTInteger || t == OFTInteger64 ? LG_FT_INT
				 : t == OFTReal			      ? LG_FT_REAL
								      : LG_FT_STRING;
		fields[j].width = OGR_Fld_GetWidth(fd);
	}
	st = lg_layer_create(ctx, OGR_L_GetName(lyr), fields, (size_t)nf, out);
	free(fields);
	return st;
}
