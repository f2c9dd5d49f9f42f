/* The workspace: a SpatiaLite file with imported layer versions and the
 * run history (lib/include/landguard/workspace.h).
 *
 * Why SpatiaLite written through our own connection rather than GDAL's
 * SQLite/GPKG drivers: a version's features and its catalogue row must go
 * in one transaction (BEGIN IMMEDIATE, busy timeout), which a second
 * connection opened by GDAL cannot join; the result is still an ordinary
 * SpatiaLite database that GDAL, QGIS and spatialite read. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <nettle/sha2.h>
#include <sqlite3.h>
#include <spatialite.h>

#include "lg_internal.h"
#include "landguard/workspace.h"
#include "store/store_int.h"

#define BUSY_TIMEOUT_MS 30000

struct lg_ws {
	sqlite3 *db;
	void *sl_cache; /* SpatiaLite connection state */
	char *path;
};

static const char *const schema_sql =
	"CREATE TABLE IF NOT EXISTS lg_layers ("
	" name TEXT NOT NULL, version INTEGER NOT NULL, tbl TEXT NOT NULL UNIQUE,"
	" source TEXT NOT NULL, imported_at TEXT NOT NULL, sha256 TEXT NOT NULL,"
	" feature_count INTEGER NOT NULL, crs TEXT NOT NULL DEFAULT '',"
	" PRIMARY KEY (name, version));"
	"CREATE TABLE IF NOT EXISTS lg_runs ("
	" run_id INTEGER PRIMARY KEY AUTOINCREMENT, command TEXT NOT NULL,"
	" params_json TEXT NOT NULL DEFAULT '{}', started_at TEXT NOT NULL,"
	" finished_at TEXT, status TEXT NOT NULL, summary_json TEXT);"
	"CREATE TABLE IF NOT EXISTS lg_run_outputs ("
	" run_id INTEGER NOT NULL REFERENCES lg_runs(run_id) ON DELETE CASCADE,"
	" path TEXT NOT NULL, kind TEXT NOT NULL DEFAULT 'table', rows INTEGER);"
	"CREATE TABLE IF NOT EXISTS lg_findings ("
	" run_id INTEGER NOT NULL REFERENCES lg_runs(run_id) ON DELETE CASCADE,"
	" parcel_id TEXT NOT NULL, rule_id TEXT NOT NULL, severity TEXT NOT NULL,"
	" message TEXT NOT NULL DEFAULT '', evidence TEXT);"
	"CREATE INDEX IF NOT EXISTS lg_findings_run ON lg_findings(run_id, parcel_id);"
	"CREATE TABLE IF NOT EXISTS lg_meta (key TEXT PRIMARY KEY, value TEXT);"
	"INSERT OR IGNORE INTO lg_meta VALUES ('landguard_workspace', '1');";

static lg_status db_error(lg_ctx *ctx, lg_ws *ws, lg_status st, const char *what)
{
	int rc = sqlite3_errcode(ws->db);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return lg_ctx_error(ctx, LG_WRITE,
				    "workspace '%s' stayed locked by another process for %d s "
				    "while %s; try again when it has finished",
				    ws->path, BUSY_TIMEOUT_MS / 1000, what);
	return lg_ctx_error(ctx, st, "workspace '%s': %s: %s", ws->path, what,
			    sqlite3_errmsg(ws->db));
}

static lg_status exec(lg_ctx *ctx, lg_ws *ws, const char *sql, const char *what)
{
	if (sqlite3_exec(ws->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return db_error(ctx, ws, LG_WRITE, what);
	return LG_OK;
}

static void rollback(lg_ws *ws)
{
	if (!sqlite3_get_autocommit(ws->db))
		sqlite3_exec(ws->db, "ROLLBACK", NULL, NULL, NULL);
}

static bool table_exists(sqlite3 *db, const char *name)
{
	sqlite3_stmt *q;
	bool yes = false;
	if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?",
			       -1, &q, NULL) != SQLITE_OK)
		return false;
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	yes = sqlite3_step(q) == SQLITE_ROW;
	sqlite3_finalize(q);
	return yes;
}

static void iso_now(char *buf, size_t n, time_t t)
{
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* --- open / close ----------------------------------------------------- */

lg_status lg_ws_open(lg_ctx *ctx, const char *path, bool create, lg_ws **out)
{
	lg_ws *ws;
	struct stat sb;
	lg_status st = LG_OK;
	bool exists = stat(path, &sb) == 0;
	*out = NULL;
	if (!exists && !create)
		return lg_ctx_error(ctx, LG_NOFILE,
				    "workspace '%s' does not exist; make one with 'landguard "
				    "workspace init %s'",
				    path, path);
	ws = lg__calloc(ctx, 1, sizeof *ws);
	if (!ws)
		return LG_NOMEM;
	ws->path = lg__strdup(ctx, path);
	if (!ws->path) {
		free(ws);
		return LG_NOMEM;
	}
	if (sqlite3_open_v2(path, &ws->db,
			    SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) |
				    SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		st = lg_ctx_error(ctx, create ? LG_WRITE : LG_INPUT,
				  "cannot open workspace '%s': %s", path,
				  ws->db ? sqlite3_errmsg(ws->db) : "out of memory");
		goto done;
	}
	sqlite3_busy_timeout(ws->db, BUSY_TIMEOUT_MS);
	ws->sl_cache = spatialite_alloc_connection();
	spatialite_init_ex(ws->db, ws->sl_cache, 0);
	sqlite3_exec(ws->db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	/* Is it a SQLite file at all?  A text file fails here. */
	if (sqlite3_exec(ws->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) !=
	    SQLITE_OK) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s' is not a landguard workspace (not an SQLite file: %s)",
				  path, sqlite3_errmsg(ws->db));
		goto done;
	}
	if (table_exists(ws->db, "lg_layers"))
		goto done;
	if (!create) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s' is not a landguard workspace (it has no lg_layers "
				  "table); make one with 'landguard workspace init'",
				  path);
		goto done;
	}
	/* WAL: readers (GDAL opening a version table) never block the writer
	 * and the writer never blocks them.  Set before the first write. */
	sqlite3_exec(ws->db, "PRAGMA journal_mode=WAL", NULL, NULL, NULL);
	if ((st = exec(ctx, ws, "BEGIN IMMEDIATE", "starting the set-up")))
		goto done;
	/* Another process may have set it up while we waited for the lock. */
	if (!table_exists(ws->db, "lg_layers")) {
		if (!table_exists(ws->db, "spatial_ref_sys") &&
		    (st = exec(ctx, ws, "SELECT InitSpatialMetadata(0, 'NONE')",
			       "creating the SpatiaLite metadata")))
			goto done;
		if ((st = exec(ctx, ws, schema_sql, "creating the workspace tables")))
			goto done;
	}
	st = exec(ctx, ws, "COMMIT", "committing the set-up");
done:
	if (st) {
		rollback(ws);
		lg_ws_close(ws);
		return st;
	}
	*out = ws;
	return LG_OK;
}

void lg_ws_close(lg_ws *ws)
{
	if (!ws)
		return;
	if (ws->db)
		sqlite3_close(ws->db);
	if (ws->sl_cache)
		spatialite_cleanup_ex(ws->sl_cache);
	free(ws->path);
	free(ws);
}

const char *lg_ws_path(const lg_ws *ws) { return ws->path; }

/* --- checksums -------------------------------------------------------- */

static void hex_digest(struct sha256_ctx *h, char hex[65])
{
	uint8_t d[SHA256_DIGEST_SIZE];
	sha256_digest(h, sizeof d, d);
	for (size_t i = 0; i < sizeof d; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

static lg_status hash_file(lg_ctx *ctx, struct sha256_ctx *h, const char *path)
{
	unsigned char buf[1 << 16];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return lg_ctx_error(ctx, LG_NOFILE, "cannot read '%s': %s", path,
				    strerror(errno));
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sha256_update(h, n, buf);
	if (ferror(f)) {
		fclose(f);
		return lg_ctx_error(ctx, LG_INPUT, "cannot read '%s': %s", path,
				    strerror(errno));
	}
	fclose(f);
	return LG_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A directory source (FileGDB): every regular file in name order. */
static lg_status hash_dir(lg_ctx *ctx, struct sha256_ctx *h, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	lg_status st = LG_OK;
	if (!d)
		return lg_ctx_error(ctx, LG_NOFILE, "cannot read folder '%s': %s", dir,
				    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((st = lg__grow(ctx, (void **)&names, &cap, n + 1, sizeof *names)))
			break;
		if (!(names[n] = lg__strdup(ctx, e->d_name))) {
			st = LG_NOMEM;
			break;
		}
		n++;
	}
	closedir(d);
	if (!st)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && !st; i++) {
		char p[4096];
		struct stat sb;
		snprintf(p, sizeof p, "%s/%s", dir, names[i]);
		if (stat(p, &sb) == 0 && S_ISREG(sb.st_mode)) {
			sha256_update(h, strlen(names[i]) + 1, (const uint8_t *)names[i]);
			st = hash_file(ctx, h, p);
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return st;
}

lg_status lg_source_sha256(lg_ctx *ctx, const char *source, char hex[65])
{
	struct sha256_ctx h;
	struct stat sb;
	char *path = NULL;
	const char *hash = strrchr(source, '#');
	const char *layer = hash && hash[1] ? hash + 1 : "";
	lg_status st = LG_OK;
	size_t len;

	hex[0] = '\0';
	if (!strncmp(source, "PG:", 3))
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s' is not a file; its content is hashed on import", source);
	len = hash ? (size_t)(hash - source) : strlen(source);
	path = lg__malloc(ctx, len + 1);
	if (!path)
		return LG_NOMEM;
	memcpy(path, source, len);
	path[len] = '\0';
	if (stat(path, &sb) != 0) {
		st = lg_ctx_error(ctx, LG_NOFILE, "input '%s' does not exist; check the path",
				  path);
		goto done;
	}
	sha256_init(&h);
	sha256_update(&h, strlen(layer) + 1, (const uint8_t *)layer);
	if (S_ISDIR(sb.st_mode)) {
		st = hash_dir(ctx, &h, path);
	} else if (len > 4 && !strcasecmp(path + len - 4, ".shp")) {
		static const char *const side[] = {"shp", "shx", "dbf", "prj", "cpg"};
		char p[4096];
		for (size_t k = 0; k < LG_ARRAY_LEN(side) && !st; k++) {
			struct stat s2;
			bool found = false;
			for (int upper = 0; upper < 2 && !found; upper++) {
				char ext[4];
				for (int c = 0; c < 3; c++)
					ext[c] = upper ? (char)(side[k][c] - 32) : side[k][c];
				ext[3] = '\0';
				snprintf(p, sizeof p, "%.*s.%s", (int)(len - 4), path, ext);
				found = stat(p, &s2) == 0;
			}
			if (found) {
				sha256_update(&h, 4, (const uint8_t *)side[k]);
				st = hash_file(ctx, &h, p);
			}
		}
	} else {
		st = hash_file(ctx, &h, path);
	}
	if (!st)
		hex_digest(&h, hex);
done:
	free(path);
	return st;
}

/* Content hash for sources that are not files: every feature's FID,
 * values and geometry (WKB), in order. */
static void hash_layer(lg_ctx *ctx, const lg_layer *l, GEOSWKBWriter *w, char hex[65])
{
	struct sha256_ctx h;
	sha256_init(&h);
	sha256_update(&h, strlen(l->name) + 1, (const uint8_t *)l->name);
	for (size_t j = 0; j < l->nfields; j++)
		sha256_update(&h, strlen(l->fields[j].name) + 1,
			      (const uint8_t *)l->fields[j].name);
	for (size_t i = 0; i < l->n; i++) {
		const lg_feature *f = &l->feat[i];
		sha256_update(&h, sizeof f->fid, (const uint8_t *)&f->fid);
		for (size_t j = 0; j < l->nfields; j++) {
			const char *t = f->vals[j].null ? "\x01null" : lg_feature_text(l, f, (int)j);
			sha256_update(&h, strlen(t) + 1, (const uint8_t *)t);
		}
		if (f->geom) {
			size_t n = 0;
			unsigned char *b = GEOSWKBWriter_write_r(ctx->geos, w, f->geom, &n);
			if (b) {
				sha256_update(&h, n, b);
				GEOSFree_r(ctx->geos, b);
			}
		}
	}
	hex_digest(&h, hex);
}

/* --- catalogue -------------------------------------------------------- */

void lg_ws_layer_release(lg_ws_layer *l)
{
	if (!l)
		return;
	free(l->name);
	free(l->table);
	free(l->source);
	free(l->imported_at);
	free(l->sha256);
	free(l->crs);
	memset(l, 0, sizeof *l);
}

void lg_ws_layers_free(lg_ws_layer *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++)
		lg_ws_layer_release(&v[i]);
	free(v);
}

static char *col_dup(lg_ctx *ctx, sqlite3_stmt *q, int c)
{
	const unsigned char *s = sqlite3_column_text(q, c);
	return lg__strdup(ctx, s ? (const char *)s : "");
}

#define LAYER_COLS "name, version, tbl, source, imported_at, sha256, feature_count, crs"

static lg_status layer_from_row(lg_ctx *ctx, sqlite3_stmt *q, lg_ws_layer *l)
{
	memset(l, 0, sizeof *l);
	l->name = col_dup(ctx, q, 0);
	l->version = sqlite3_column_int(q, 1);
	l->table = col_dup(ctx, q, 2);
	l->source = col_dup(ctx, q, 3);
	l->imported_at = col_dup(ctx, q, 4);
	l->sha256 = col_dup(ctx, q, 5);
	l->feature_count = sqlite3_column_int64(q, 6);
	l->crs = col_dup(ctx, q, 7);
	if (!l->name || !l->table || !l->source || !l->imported_at || !l->sha256 || !l->crs) {
		lg_ws_layer_release(l);
		return LG_NOMEM;
	}
	return LG_OK;
}

/* The latest (version 0) or a given version of a layer; *found false when
 * there is none. */
static lg_status find_layer(lg_ctx *ctx, sqlite3 *db, const char *path, const char *name,
			    int version, lg_ws_layer *l, bool *found)
{
	sqlite3_stmt *q = NULL;
	lg_status st = LG_OK;
	int rc;
	*found = false;
	rc = sqlite3_prepare_v2(db,
				version > 0 ? "SELECT " LAYER_COLS " FROM lg_layers WHERE name=? AND version=?"
					    : "SELECT " LAYER_COLS " FROM lg_layers WHERE name=? "
					      "ORDER BY version DESC LIMIT 1",
				-1, &q, NULL);
	if (rc != SQLITE_OK)
		return lg_ctx_error(ctx, LG_INPUT, "workspace '%s': %s", path, sqlite3_errmsg(db));
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (version > 0)
		sqlite3_bind_int(q, 2, version);
	rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		st = layer_from_row(ctx, q, l);
		*found = !st;
	} else if (rc != SQLITE_DONE) {
		st = lg_ctx_error(ctx, LG_INPUT, "workspace '%s': %s", path, sqlite3_errmsg(db));
	}
	sqlite3_finalize(q);
	return st;
}

lg_status lg_ws_list(lg_ctx *ctx, lg_ws *ws, lg_ws_layer **out, size_t *n)
{
	sqlite3_stmt *q = NULL;
	lg_ws_layer *v = NULL;
	size_t cap = 0, k = 0;
	lg_status st = LG_OK;
	int rc;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(ws->db,
			       "SELECT " LAYER_COLS " FROM lg_layers ORDER BY name, version", -1,
			       &q, NULL) != SQLITE_OK)
		return db_error(ctx, ws, LG_INPUT, "listing layers");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((st = lg__grow(ctx, (void **)&v, &cap, k + 1, sizeof *v)))
			break;
		if ((st = layer_from_row(ctx, q, &v[k])))
			break;
		k++;
	}
	if (!st && rc != SQLITE_DONE)
		st = db_error(ctx, ws, LG_INPUT, "listing layers");
	sqlite3_finalize(q);
	if (st) {
		lg_ws_layers_free(v, k);
		return st;
	}
	*out = v;
	*n = k;
	return LG_OK;
}

/* --- import ----------------------------------------------------------- */

static lg_status check_name(lg_ctx *ctx, const char *name)
{
	size_t n = strlen(name);
	if (!n || n > 200)
		return lg_ctx_error(ctx, LG_USAGE, "layer name '%s' must be 1 to 200 bytes", name);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == '#' || *p == '@' || *p == '/' || *p == '\\' || *p == '"')
			return lg_ctx_error(ctx, LG_USAGE,
					    "layer name '%s' may not hold '#', '@', '/', '\\', "
					    "'\"' or control characters; give another with --name",
					    name);
	return LG_OK;
}

/* SRID of the layer's CRS in spatial_ref_sys, adding it when missing: the
 * EPSG definition when SpatiaLite knows the code, else the WKT under a
 * local code from 900000 up. */
static lg_status ensure_srid(lg_ctx *ctx, lg_ws *ws, const lg_crs *crs, int *srid)
{
	sqlite3_stmt *q = NULL;
	int epsg = crs ? lg_crs_epsg(crs) : 0;
	const char *wkt;
	lg_status st = LG_OK;
	*srid = -1;
	if (!crs)
		return LG_OK;
	if (epsg > 0) {
		bool have = false;
		if (sqlite3_prepare_v2(ws->db, "SELECT 1 FROM spatial_ref_sys WHERE srid=?", -1, &q,
				       NULL) != SQLITE_OK)
			return db_error(ctx, ws, LG_WRITE, "looking up the CRS");
		sqlite3_bind_int(q, 1, epsg);
		have = sqlite3_step(q) == SQLITE_ROW;
		sqlite3_finalize(q);
		q = NULL;
		if (!have) {
			if (sqlite3_prepare_v2(ws->db, "SELECT InsertEpsgSrid(?)", -1, &q, NULL) !=
			    SQLITE_OK)
				return db_error(ctx, ws, LG_WRITE, "adding the CRS");
			sqlite3_bind_int(q, 1, epsg);
			have = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 1;
			sqlite3_finalize(q);
			q = NULL;
		}
		if (have) {
			*srid = epsg;
			return LG_OK;
		}
	}
	wkt = lg_crs_wkt(crs, true);
	if (!wkt || !*wkt)
		return lg_ctx_error(ctx, LG_INPUT, "the CRS '%s' has no WKT to store",
				    lg_crs_name(crs));
	if (sqlite3_prepare_v2(ws->db,
			       "SELECT srid FROM spatial_ref_sys WHERE auth_name='landguard' AND srtext=?",
			       -1, &q, NULL) != SQLITE_OK)
		return db_error(ctx, ws, LG_WRITE, "looking up the CRS");
	sqlite3_bind_text(q, 1, wkt, -1, SQLITE_STATIC);
	if (sqlite3_step(q) == SQLITE_ROW)
		*srid = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	q = NULL;
	if (*srid > 0)
		return LG_OK;
	if (sqlite3_prepare_v2(ws->db,
			       "INSERT INTO spatial_ref_sys(srid, auth_name, auth_srid, ref_sys_name,"
			       " proj4text, srtext) SELECT max(900000, coalesce(max(srid), 0) + 1),"
			       " 'landguard', max(900000, coalesce(max(srid), 0) + 1), ?, '', ?"
			       " FROM spatial_ref_sys WHERE srid >= 900000",
			       -1, &q, NULL) != SQLITE_OK)
		return db_error(ctx, ws, LG_WRITE, "adding the CRS");
	sqlite3_bind_text(q, 1, lg_crs_name(crs), -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, wkt, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		st = db_error(ctx, ws, LG_WRITE, "adding the CRS");
	sqlite3_finalize(q);
	if (!st)
		*srid = (int)sqlite3_last_insert_rowid(ws->db);
	return st;
}

/* Column names of the version table: the source's fields, renamed when
 * they clash with ours (ogc_fid, geom). */
static char *column_name(lg_ctx *ctx, const char *field)
{
	char buf[512];
	if (lg__strieq(field, "ogc_fid") || lg__strieq(field, "geom")) {
		snprintf(buf, sizeof buf, "%s_src", field);
		return lg__strdup(ctx, buf);
	}
	return lg__strdup(ctx, field);
}

static lg_status write_version(lg_ctx *ctx, lg_ws *ws, const lg_layer *l, const char *tbl,
			       GEOSWKBWriter *w)
{
	lg_buf b;
	char *tq = NULL;
	sqlite3_stmt *q = NULL;
	lg_status st = LG_OK;
	int srid = -1;
	bool has_geom = l->geom_type != 100 /* wkbNone */ || l->crs;

	lg_buf_init(&b);
	if ((st = ensure_srid(ctx, ws, l->crs, &srid)))
		goto done;
	if (!(tq = lg__sql_ident(ctx, tbl))) {
		st = LG_NOMEM;
		goto done;
	}
	lg_buf_printf(&b, "CREATE TABLE %s (ogc_fid INTEGER PRIMARY KEY", tq);
	for (size_t j = 0; j < l->nfields; j++) {
		char *c = column_name(ctx, l->fields[j].name), *cq = c ? lg__sql_ident(ctx, c) : NULL;
		free(c);
		if (!cq) {
			st = LG_NOMEM;
			goto done;
		}
		lg_buf_printf(&b, ", %s %s", cq,
			      l->fields[j].type == LG_FT_INT	? "INTEGER"
			      : l->fields[j].type == LG_FT_REAL ? "DOUBLE"
								: "TEXT");
		free(cq);
	}
	lg_buf_puts(&b, ")");
	if (!b.s) {
		st = LG_NOMEM;
		goto done;
	}
	if ((st = exec(ctx, ws, b.s, "creating the layer table")))
		goto done;
	if (has_geom) {
		if (sqlite3_prepare_v2(ws->db,
				       "SELECT AddGeometryColumn(?, 'geom', ?, 'GEOMETRY', 'XY')", -1,
				       &q, NULL) != SQLITE_OK) {
			st = db_error(ctx, ws, LG_WRITE, "adding the geometry column");
			goto done;
		}
		sqlite3_bind_text(q, 1, tbl, -1, SQLITE_STATIC);
		sqlite3_bind_int(q, 2, srid);
		if (sqlite3_step(q) != SQLITE_ROW || sqlite3_column_int(q, 0) != 1) {
			st = lg_ctx_error(ctx, LG_WRITE,
					  "workspace '%s': cannot add a geometry column to '%s' "
					  "(SRID %d): %s",
					  ws->path, tbl, srid, sqlite3_errmsg(ws->db));
			goto done;
		}
		sqlite3_finalize(q);
		q = NULL;
	}
	lg_buf_release(&b);
	lg_buf_printf(&b, "INSERT INTO %s VALUES (?", tq);
	for (size_t j = 0; j < l->nfields; j++)
		lg_buf_puts(&b, ", ?");
	if (has_geom)
		lg_buf_printf(&b, ", GeomFromWKB(?, %d)", srid);
	lg_buf_puts(&b, ")");
	if (!b.s) {
		st = LG_NOMEM;
		goto done;
	}
	if (sqlite3_prepare_v2(ws->db, b.s, -1, &q, NULL) != SQLITE_OK) {
		st = db_error(ctx, ws, LG_WRITE, "preparing the insert");
		goto done;
	}
	for (size_t i = 0; i < l->n; i++) {
		const lg_feature *f = &l->feat[i];
		unsigned char *wkb = NULL;
		size_t n = 0;
		int c = 1;
		sqlite3_reset(q);
		sqlite3_bind_int64(q, c++, f->fid);
		for (size_t j = 0; j < l->nfields; j++, c++) {
			const lg_value *v = &f->vals[j];
			if (v->null)
				sqlite3_bind_null(q, c);
			else if (l->fields[j].type == LG_FT_INT)
				sqlite3_bind_int64(q, c, v->u.i);
			else if (l->fields[j].type == LG_FT_REAL)
				sqlite3_bind_double(q, c, v->u.d);
			else
				sqlite3_bind_text(q, c, v->u.s, -1, SQLITE_STATIC);
		}
		if (has_geom) {
			if (f->geom)
				wkb = GEOSWKBWriter_write_r(ctx->geos, w, f->geom, &n);
			if (wkb)
				sqlite3_bind_blob(q, c, wkb, (int)n, SQLITE_STATIC);
			else
				sqlite3_bind_null(q, c);
		}
		int rc = sqlite3_step(q);
		if (wkb)
			GEOSFree_r(ctx->geos, wkb);
		if (rc != SQLITE_DONE) {
			st = lg_ctx_error(ctx, LG_WRITE,
					  "workspace '%s': cannot store feature %s of '%s': %s",
					  ws->path, lg_feature_id(l, f), l->path ? l->path : l->name,
					  sqlite3_errmsg(ws->db));
			goto done;
		}
	}
	sqlite3_finalize(q);
	q = NULL;
	if (has_geom) {
		if (sqlite3_prepare_v2(ws->db, "SELECT CreateSpatialIndex(?, 'geom')", -1, &q,
				       NULL) != SQLITE_OK ||
		    (sqlite3_bind_text(q, 1, tbl, -1, SQLITE_STATIC), sqlite3_step(q)) != SQLITE_ROW) {
			st = db_error(ctx, ws, LG_WRITE, "creating the spatial index");
			goto done;
		}
	}
done:
	sqlite3_finalize(q);
	lg_buf_release(&b);
	free(tq);
	return st;
}

lg_status lg_ws_import(lg_ctx *ctx, lg_ws *ws, const char *source, const char *name,
		       const lg_read_opts *ro, lg_ws_layer *info, bool *unchanged)
{
	char sha[65] = "", tbl[512], now[32];
	lg_layer *l = NULL;
	lg_ws_layer prev = {0};
	bool found = false, is_file = strncmp(source, "PG:", 3) != 0;
	GEOSWKBWriter *w = NULL;
	sqlite3_stmt *q = NULL;
	lg_status st;
	int version = 1;
	char *own_name = NULL;

	*unchanged = false;
	if (info)
		memset(info, 0, sizeof *info);
	if (name && (st = check_name(ctx, name)))
		return st;
	if (is_file && (st = lg_source_sha256(ctx, source, sha)))
		return st;
	/* Unchanged file under the same name: nothing to do. */
	if (name && sha[0]) {
		if ((st = find_layer(ctx, ws->db, ws->path, name, 0, &prev, &found)))
			return st;
		if (found && !strcmp(prev.sha256, sha)) {
			*unchanged = true;
			if (info)
				*info = prev;
			else
				lg_ws_layer_release(&prev);
			return LG_OK;
		}
		lg_ws_layer_release(&prev);
	}
	if ((st = lg_layer_read(ctx, source, ro, &l)))
		return st;
	if (!name) {
		if (!(own_name = lg__strdup(ctx, l->name))) {
			st = LG_NOMEM;
			goto done;
		}
		name = own_name;
		if ((st = check_name(ctx, name)))
			goto done;
	}
	w = GEOSWKBWriter_create_r(ctx->geos);
	if (!w) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	GEOSWKBWriter_setByteOrder_r(ctx->geos, w, GEOS_WKB_NDR);
	if (!sha[0])
		hash_layer(ctx, l, w, sha);

	if ((st = exec(ctx, ws, "BEGIN IMMEDIATE", "starting the import")))
		goto done;
	/* Under the write lock: the latest version as it is now. */
	if ((st = find_layer(ctx, ws->db, ws->path, name, 0, &prev, &found)))
		goto done;
	if (found && !strcmp(prev.sha256, sha)) {
		rollback(ws);
		*unchanged = true;
		if (info) {
			*info = prev;
			memset(&prev, 0, sizeof prev);
		}
		goto done;
	}
	if (found)
		version = prev.version + 1;
	snprintf(tbl, sizeof tbl, "%s__v%d", name, version);
	if (table_exists(ws->db, tbl)) {
		/* A version dropped from the catalogue by hand: never reuse it. */
		st = lg_ctx_error(ctx, LG_WRITE,
				  "workspace '%s' already has a table '%s' that its catalogue "
				  "does not list; drop it with spatialite or import under "
				  "another --name",
				  ws->path, tbl);
		goto done;
	}
	if ((st = write_version(ctx, ws, l, tbl, w)))
		goto done;
	iso_now(now, sizeof now, time(NULL));
	if (sqlite3_prepare_v2(ws->db,
			       "INSERT INTO lg_layers(" LAYER_COLS ") VALUES (?,?,?,?,?,?,?,?)", -1,
			       &q, NULL) != SQLITE_OK) {
		st = db_error(ctx, ws, LG_WRITE, "recording the layer");
		goto done;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(q, 2, version);
	sqlite3_bind_text(q, 3, tbl, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, source, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 6, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(q, 7, (sqlite3_int64)l->n);
	sqlite3_bind_text(q, 8,
			  !l->crs ? "" : *lg_crs_id(l->crs) ? lg_crs_id(l->crs) : lg_crs_name(l->crs),
			  -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE) {
		st = db_error(ctx, ws, LG_WRITE, "recording the layer");
		goto done;
	}
	if ((st = exec(ctx, ws, "COMMIT", "committing the import")))
		goto done;
	if (info) {
		bool again = false;
		st = find_layer(ctx, ws->db, ws->path, name, version, info, &again);
	}
done:
	if (st)
		rollback(ws);
	sqlite3_finalize(q);
	if (w)
		GEOSWKBWriter_destroy_r(ctx->geos, w);
	lg_ws_layer_release(&prev);
	lg_layer_destroy(ctx, l);
	free(own_name);
	return st;
}

/* --- drop ------------------------------------------------------------- */

static lg_status drop_table(lg_ctx *ctx, lg_ws *ws, const char *tbl)
{
	sqlite3_stmt *q = NULL;
	char idx[600];
	char *tq = lg__sql_ident(ctx, tbl), *iq;
	lg_status st = LG_OK;
	lg_buf b;
	if (!tq)
		return LG_NOMEM;
	lg_buf_init(&b);
	/* Index, geometry registration and triggers first, then the table. */
	if (sqlite3_prepare_v2(ws->db, "SELECT DisableSpatialIndex(?, 'geom')", -1, &q, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(q, 1, tbl, -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_finalize(q);
	}
	snprintf(idx, sizeof idx, "idx_%s_geom", tbl);
	iq = lg__sql_ident(ctx, idx);
	if (!iq) {
		free(tq);
		return LG_NOMEM;
	}
	lg_buf_printf(&b, "DROP TABLE IF EXISTS %s", iq);
	if ((st = exec(ctx, ws, b.s, "dropping the spatial index")))
		goto done;
	if (sqlite3_prepare_v2(ws->db, "SELECT DiscardGeometryColumn(?, 'geom')", -1, &q, NULL) ==
	    SQLITE_OK) {
		sqlite3_bind_text(q, 1, tbl, -1, SQLITE_STATIC);
		sqlite3_step(q);
		sqlite3_finalize(q);
	}
	lg_buf_release(&b);
	lg_buf_printf(&b, "DROP TABLE IF EXISTS %s", tq);
	st = exec(ctx, ws, b.s, "dropping the layer table");
done:
	lg_buf_release(&b);
	free(tq);
	free(iq);
	return st;
}

lg_status lg_ws_drop(lg_ctx *ctx, lg_ws *ws, const char *name, int version, size_t *ndropped)
{
	sqlite3_stmt *q = NULL;
	char **tables = NULL;
	size_t n = 0, cap = 0;
	lg_status st;
	if (ndropped)
		*ndropped = 0;
	if ((st = exec(ctx, ws, "BEGIN IMMEDIATE", "starting the drop")))
		return st;
	if (sqlite3_prepare_v2(ws->db,
			       version > 0 ? "SELECT tbl FROM lg_layers WHERE name=? AND version=?"
					   : "SELECT tbl FROM lg_layers WHERE name=?",
			       -1, &q, NULL) != SQLITE_OK) {
		st = db_error(ctx, ws, LG_WRITE, "finding the layer");
		goto done;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (version > 0)
		sqlite3_bind_int(q, 2, version);
	while (sqlite3_step(q) == SQLITE_ROW) {
		if ((st = lg__grow(ctx, (void **)&tables, &cap, n + 1, sizeof *tables)))
			goto done;
		if (!(tables[n] = col_dup(ctx, q, 0))) {
			st = LG_NOMEM;
			goto done;
		}
		n++;
	}
	sqlite3_finalize(q);
	q = NULL;
	if (!n) {
		char v[32] = "";
		if (version > 0)
			snprintf(v, sizeof v, " version %d", version);
		st = lg_ctx_error(ctx, LG_INPUT,
				  "workspace '%s' has no layer '%s'%s; 'landguard workspace list "
				  "%s' shows what it holds",
				  ws->path, name, v, ws->path);
		goto done;
	}
	for (size_t i = 0; i < n && !st; i++)
		st = drop_table(ctx, ws, tables[i]);
	if (st)
		goto done;
	if (sqlite3_prepare_v2(ws->db,
			       version > 0 ? "DELETE FROM lg_layers WHERE name=? AND version=?"
					   : "DELETE FROM lg_layers WHERE name=?",
			       -1, &q, NULL) != SQLITE_OK) {
		st = db_error(ctx, ws, LG_WRITE, "updating the catalogue");
		goto done;
	}
	sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
	if (version > 0)
		sqlite3_bind_int(q, 2, version);
	if (sqlite3_step(q) != SQLITE_DONE) {
		st = db_error(ctx, ws, LG_WRITE, "updating the catalogue");
		goto done;
	}
	sqlite3_finalize(q);
	q = NULL;
	st = exec(ctx, ws, "COMMIT", "committing the drop");
	if (!st && ndropped)
		*ndropped = n;
done:
	if (st)
		rollback(ws);
	sqlite3_finalize(q);
	for (size_t i = 0; i < n; i++)
		free(tables[i]);
	free(tables);
	return st;
}

/* --- runs ------------------------------------------------------------- */

lg_status lg_ws_record_run(lg_ctx *ctx, lg_ws *ws, const lg_ws_run_rec *r, int64_t *run_id)
{
	sqlite3_stmt *q = NULL;
	char t0[32], t1[32];
	lg_status st;
	int64_t id;
	if (run_id)
		*run_id = 0;
	iso_now(t0, sizeof t0, (time_t)r->started_at);
	iso_now(t1, sizeof t1, (time_t)r->finished_at);
	if ((st = exec(ctx, ws, "BEGIN IMMEDIATE", "starting to record the run")))
		return st;
	if (sqlite3_prepare_v2(ws->db,
			       "INSERT INTO lg_runs(command, params_json, started_at, finished_at,"
			       " status, summary_json) VALUES (?,?,?,?,?,?)",
			       -1, &q, NULL) != SQLITE_OK)
		goto sqlfail;
	sqlite3_bind_text(q, 1, r->command, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, r->params_json ? r->params_json : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 3, t0, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 4, t1, -1, SQLITE_STATIC);
	sqlite3_bind_text(q, 5, r->status ? r->status : "ok", -1, SQLITE_STATIC);
	if (r->summary_json)
		sqlite3_bind_text(q, 6, r->summary_json, -1, SQLITE_STATIC);
	if (sqlite3_step(q) != SQLITE_DONE)
		goto sqlfail;
	sqlite3_finalize(q);
	q = NULL;
	id = sqlite3_last_insert_rowid(ws->db);
	if (r->noutputs) {
		if (sqlite3_prepare_v2(ws->db,
				       "INSERT INTO lg_run_outputs(run_id, path, kind, rows) VALUES (?,?,?,?)",
				       -1, &q, NULL) != SQLITE_OK)
			goto sqlfail;
		for (size_t i = 0; i < r->noutputs; i++) {
			const lg_ws_output *o = &r->outputs[i];
			sqlite3_reset(q);
			sqlite3_bind_int64(q, 1, id);
			sqlite3_bind_text(q, 2, o->path, -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, o->kind ? o->kind : "table", -1, SQLITE_STATIC);
			if (o->rows >= 0)
				sqlite3_bind_int64(q, 4, o->rows);
			else
				sqlite3_bind_null(q, 4);
			if (sqlite3_step(q) != SQLITE_DONE)
				goto sqlfail;
		}
		sqlite3_finalize(q);
		q = NULL;
	}
	if (r->nfindings) {
		if (sqlite3_prepare_v2(ws->db,
				       "INSERT INTO lg_findings(run_id, parcel_id, rule_id, severity,"
				       " message, evidence) VALUES (?,?,?,?,?,?)",
				       -1, &q, NULL) != SQLITE_OK)
			goto sqlfail;
		for (size_t i = 0; i < r->nfindings; i++) {
			const lg_ws_finding *f = &r->findings[i];
			sqlite3_reset(q);
			sqlite3_bind_int64(q, 1, id);
			sqlite3_bind_text(q, 2, f->parcel_id ? f->parcel_id : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 3, f->rule_id ? f->rule_id : "", -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 4, f->severity ? f->severity : "notice", -1, SQLITE_STATIC);
			sqlite3_bind_text(q, 5, f->message ? f->message : "", -1, SQLITE_STATIC);
			if (f->evidence)
				sqlite3_bind_text(q, 6, f->evidence, -1, SQLITE_STATIC);
			else
				sqlite3_bind_null(q, 6);
			if (sqlite3_step(q) != SQLITE_DONE)
				goto sqlfail;
		}
		sqlite3_finalize(q);
		q = NULL;
	}
	if ((st = exec(ctx, ws, "COMMIT", "committing the run")))
		goto fail;
	if (run_id)
		*run_id = id;
	return LG_OK;
sqlfail:
	st = db_error(ctx, ws, LG_WRITE, "recording the run");
fail:
	sqlite3_finalize(q);
	rollback(ws);
	return st;
}

void lg_ws_runs_free(lg_ws_run *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free(v[i].command);
		free(v[i].params_json);
		free(v[i].started_at);
		free(v[i].finished_at);
		free(v[i].status);
		free(v[i].summary_json);
	}
	free(v);
}

lg_status lg_ws_runs(lg_ctx *ctx, lg_ws *ws, lg_ws_run **out, size_t *n)
{
	sqlite3_stmt *q = NULL;
	lg_ws_run *v = NULL;
	size_t cap = 0, k = 0;
	lg_status st = LG_OK;
	int rc;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(ws->db,
			       "SELECT r.run_id, command, params_json, started_at,"
			       " coalesce(finished_at, ''), status, coalesce(summary_json, ''),"
			       " (SELECT count(*) FROM lg_run_outputs o WHERE o.run_id = r.run_id),"
			       " (SELECT count(*) FROM lg_findings f WHERE f.run_id = r.run_id)"
			       " FROM lg_runs r ORDER BY r.run_id",
			       -1, &q, NULL) != SQLITE_OK)
		return db_error(ctx, ws, LG_INPUT, "listing runs");
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((st = lg__grow(ctx, (void **)&v, &cap, k + 1, sizeof *v)))
			break;
		lg_ws_run *r = &v[k++];
		memset(r, 0, sizeof *r);
		r->run_id = sqlite3_column_int64(q, 0);
		r->command = col_dup(ctx, q, 1);
		r->params_json = col_dup(ctx, q, 2);
		r->started_at = col_dup(ctx, q, 3);
		r->finished_at = col_dup(ctx, q, 4);
		r->status = col_dup(ctx, q, 5);
		r->summary_json = col_dup(ctx, q, 6);
		r->noutputs = sqlite3_column_int64(q, 7);
		r->nfindings = sqlite3_column_int64(q, 8);
		if (!r->command || !r->params_json || !r->started_at || !r->finished_at ||
		    !r->status || !r->summary_json) {
			st = LG_NOMEM;
			break;
		}
	}
	if (!st && rc != SQLITE_DONE)
		st = db_error(ctx, ws, LG_INPUT, "listing runs");
	sqlite3_finalize(q);
	if (st) {
		lg_ws_runs_free(v, k);
		return st;
	}
	*out = v;
	*n = k;
	return LG_OK;
}

void lg_ws_findings_free(lg_ws_finding *v, size_t n)
{
	if (!v)
		return;
	for (size_t i = 0; i < n; i++) {
		free((char *)v[i].parcel_id);
		free((char *)v[i].rule_id);
		free((char *)v[i].severity);
		free((char *)v[i].message);
		free((char *)v[i].evidence);
	}
	free(v);
}

lg_status lg_ws_findings(lg_ctx *ctx, lg_ws *ws, int64_t run_id, lg_ws_finding **out,
			 size_t *n)
{
	sqlite3_stmt *q = NULL;
	lg_ws_finding *v = NULL;
	size_t cap = 0, k = 0;
	lg_status st = LG_OK;
	int rc;
	*out = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(ws->db,
			       "SELECT parcel_id, rule_id, severity, message, coalesce(evidence, '')"
			       " FROM lg_findings WHERE run_id=? ORDER BY parcel_id, rule_id, rowid",
			       -1, &q, NULL) != SQLITE_OK)
		return db_error(ctx, ws, LG_INPUT, "reading findings");
	sqlite3_bind_int64(q, 1, run_id);
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		if ((st = lg__grow(ctx, (void **)&v, &cap, k + 1, sizeof *v)))
			break;
		lg_ws_finding *f = &v[k++];
		f->parcel_id = col_dup(ctx, q, 0);
		f->rule_id = col_dup(ctx, q, 1);
		f->severity = col_dup(ctx, q, 2);
		f->message = col_dup(ctx, q, 3);
		f->evidence = col_dup(ctx, q, 4);
		if (!f->parcel_id || !f->rule_id || !f->severity || !f->message || !f->evidence) {
			st = LG_NOMEM;
			break;
		}
	}
	if (!st && rc != SQLITE_DONE)
		st = db_error(ctx, ws, LG_INPUT, "reading findings");
	sqlite3_finalize(q);
	if (st) {
		lg_ws_findings_free(v, k);
		return st;
	}
	*out = v;
	*n = k;
	return LG_OK;
}

/* --- WS.sqlite#name[@vN] for readers ------------------------------------ */

lg_status lg__ws_resolve(lg_ctx *ctx, const char *path, const char *lname, char **table)
{
	sqlite3 *db = NULL;
	char head[16];
	FILE *f;
	char name[512];
	int version = 0;
	const char *at;
	lg_status st = LG_OK;
	lg_ws_layer l = {0};
	bool found = false;

	*table = NULL;
	if (!lname || !*lname)
		return LG_OK;
	f = fopen(path, "rb");
	if (!f)
		return LG_OK;
	size_t got = fread(head, 1, sizeof head, f);
	fclose(f);
	if (got < 16 || memcmp(head, "SQLite format 3", 16))
		return LG_OK;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK)
		goto done;
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	if (!table_exists(db, "lg_layers") || table_exists(db, lname))
		goto done; /* not a workspace, or an exact table name */
	at = strrchr(lname, '@');
	snprintf(name, sizeof name, "%.*s", (int)(at ? (size_t)(at - lname) : strlen(lname)),
		 lname);
	if (at) {
		char *end;
		const char *v = at + 1;
		if (*v == 'v' || *v == 'V')
			v++;
		version = (int)strtol(v, &end, 10);
		if (end == v || *end || version <= 0) {
			st = lg_ctx_error(ctx, LG_INPUT,
					  "'%s#%s': '%s' is not a version; write NAME@v2", path,
					  lname, at);
			goto done;
		}
	}
	if ((st = find_layer(ctx, db, path, name, version, &l, &found)))
		goto done;
	if (!found) {
		lg_buf b;
		sqlite3_stmt *q = NULL;
		lg_buf_init(&b);
		if (sqlite3_prepare_v2(db,
				       "SELECT name, group_concat('v' || version, ',') FROM lg_layers "
				       "GROUP BY name ORDER BY name",
				       -1, &q, NULL) == SQLITE_OK)
			while (sqlite3_step(q) == SQLITE_ROW)
				lg_buf_printf(&b, "%s%s (%s)", b.len ? ", " : "",
					      (const char *)sqlite3_column_text(q, 0),
					      (const char *)sqlite3_column_text(q, 1));
		sqlite3_finalize(q);
		if (version)
			st = lg_ctx_error(ctx, LG_INPUT,
					  "workspace '%s' has no version %d of layer '%s'; it "
					  "holds: %s",
					  path, version, name, b.s ? b.s : "(nothing)");
		else
			st = lg_ctx_error(ctx, LG_INPUT,
					  "workspace '%s' has no layer '%s'; it holds: %s", path,
					  name, b.s ? b.s : "(nothing)");
		lg_buf_release(&b);
		goto done;
	}
	*table = l.table;
	l.table = NULL;
done:
	lg_ws_layer_release(&l);
	if (db)
		sqlite3_close(db);
	return st;
}
