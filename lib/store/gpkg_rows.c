/* Reading a GeoPackage table straight through SQLite: no OGR feature
 * objects, the geometry blob's own envelope for filtering, the R-tree for
 * small areas of interest.  Twice as fast as OGR for a million polygons
 * (measured, issue 4). */
#include <math.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/rows_int.h"
#include "store/store_int.h"

struct lg__gpkg {
	sqlite3 *db;
	sqlite3_stmt *scan; /* full scan, or rows of one R-tree window */
	char *select_cols;  /* "fid","geom",... quoted */
	char *table_q, *rtree_q;
	int ncols;          /* columns selected: fid, geom, then texts */
	int text_slot[4];   /* row field per text column: 0 id 1 code 2 name 3 extra */
	int ntext;
	bool has_rtree;
	/* R-tree mode */
	double *rects;
	size_t nrects, cur;
	unsigned char *seen; /* bitmap over fid, so a row meets one window once */
	int64_t maxfid;
	bool done;
	/* full scan: rows meeting none of the caller's rectangles are
	 * skipped before their WKB and texts are copied */
	lg__occ occ;
};

static lg_status sql_error(lg_ctx *ctx, sqlite3 *db, const char *what)
{
	return lg_ctx_error(ctx, LG_INPUT, "%s: %s", what, db ? sqlite3_errmsg(db) : "");
}

lg_status lg__gpkg_open(lg_ctx *ctx, const char *path, const char *table,
			const char *const cols[6], lg__gpkg **out)
{
	lg__gpkg *g = lg__calloc(ctx, 1, sizeof *g);
	lg_buf b;
	lg_status st = LG_OK;
	sqlite3_stmt *q = NULL;
	char rtname[1024];
	*out = NULL;
	if (!g)
		return LG_NOMEM;
	lg_buf_init(&b);
	if (sqlite3_open_v2(path, &g->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		st = sql_error(ctx, g->db, path);
		goto done;
	}
	g->table_q = lg__sql_ident(NULL, table);
	snprintf(rtname, sizeof rtname, "rtree_%s_%s", table, cols[1]);
	g->rtree_q = lg__sql_ident(NULL, rtname);
	if (!g->table_q || !g->rtree_q) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (int k = 0; k < 6; k++) {
		char *qi;
		if (!cols[k])
			continue;
		qi = lg__sql_ident(NULL, cols[k]);
		if (!qi) {
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		lg_buf_printf(&b, "%s%s%s", g->ncols ? "," : "", k >= 2 ? "t." : "t.", qi);
		free(qi);
		if (k >= 2)
			g->text_slot[g->ntext++] = k - 2;
		g->ncols++;
	}
	g->select_cols = b.s;
	lg_buf_init(&b);
	/* Is there an R-tree, and how far do FIDs run (for the seen-bitmap)? */
	if (sqlite3_prepare_v2(g->db,
			       "SELECT count(*) FROM sqlite_master WHERE type='table' AND name=?",
			       -1, &q, NULL) == SQLITE_OK) {
		sqlite3_bind_text(q, 1, rtname, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW)
			g->has_rtree = sqlite3_column_int(q, 0) > 0;
		sqlite3_finalize(q);
		q = NULL;
	}
	lg_buf_printf(&b, "SELECT %s FROM %s t", g->select_cols, g->table_q);
	if (sqlite3_prepare_v2(g->db, b.s, -1, &g->scan, NULL) != SQLITE_OK) {
		st = sql_error(ctx, g->db, path);
		goto done;
	}
done:
	lg_buf_release(&b);
	if (st) {
		lg__gpkg_close(g);
		return st;
	}
	*out = g;
	return LG_OK;
}

void lg__gpkg_close(lg__gpkg *g)
{
	if (!g)
		return;
	sqlite3_finalize(g->scan);
	sqlite3_close(g->db);
	free(g->select_cols);
	free(g->table_q);
	free(g->rtree_q);
	free(g->rects);
	free(g->seen);
	lg__occ_free(&g->occ);
	free(g);
}

lg_status lg__gpkg_set_filter(lg_ctx *ctx, lg__gpkg *g, const double *rects,
			      size_t n, double extent_area, bool *used_index)
{
	double cover = 0;
	lg_buf b;
	sqlite3_stmt *q = NULL;
	*used_index = false;
	lg__occ_free(&g->occ);
	if (!n)
		return LG_OK;
	for (size_t k = 0; k < n; k++)
		cover += (rects[4 * k + 2] - rects[4 * k]) * (rects[4 * k + 3] - rects[4 * k + 1]);
	/* The index pays when the windows cover little of the layer: each
	 * window is one R-tree query, and rows under several windows are
	 * skipped by the bitmap.  Past a quarter, one scan is cheaper; it
	 * skips rows by the blob's envelope on a grid of the windows. */
	if (!g->has_rtree || extent_area <= 0 || cover > 0.25 * extent_area || n > 20000) {
		if (!lg__occ_build(&g->occ, rects, n))
			lg__occ_free(&g->occ);
		return LG_OK;
	}
	lg_buf_init(&b);
	lg_buf_printf(&b, "SELECT max(id) FROM %s", g->rtree_q);
	if (sqlite3_prepare_v2(g->db, b.s, -1, &q, NULL) != SQLITE_OK) {
		lg_buf_release(&b);
		return LG_OK;
	}
	if (sqlite3_step(q) == SQLITE_ROW)
		g->maxfid = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	lg_buf_release(&b);
	if (g->maxfid <= 0 || g->maxfid > 1LL << 34)
		return LG_OK;
	g->seen = calloc((size_t)(g->maxfid / 8 + 1), 1);
	g->rects = malloc(n * 4 * sizeof *rects);
	if (!g->seen || !g->rects)
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	memcpy(g->rects, rects, n * 4 * sizeof *rects);
	g->nrects = n;
	g->cur = 0;
	sqlite3_finalize(g->scan);
	g->scan = NULL;
	lg_buf_init(&b);
	lg_buf_printf(&b,
		      "SELECT %s FROM %s r JOIN %s t ON t.rowid = r.id "
		      "WHERE r.maxx >= ?1 AND r.minx <= ?3 AND r.maxy >= ?2 AND r.miny <= ?4",
		      g->select_cols, g->rtree_q, g->table_q);
	if (sqlite3_prepare_v2(g->db, b.s, -1, &g->scan, NULL) != SQLITE_OK) {
		lg_status st = sql_error(ctx, g->db, "R-tree query");
		lg_buf_release(&b);
		return st;
	}
	lg_buf_release(&b);
	for (int k = 0; k < 4; k++)
		sqlite3_bind_double(g->scan, k + 1, g->rects[k]);
	*used_index = true;
	return LG_OK;
}

/* GeoPackage binary header (GPKG spec §2.1.3): "GP", version, flags
 * (bit 0 byte order, bits 1-3 envelope kind, bit 4 empty), srs_id, then
 * the envelope as minx, maxx, miny, maxy [...], then standard WKB. */
static int parse_blob(const unsigned char *p, size_t n, lg_row *row,
		      const unsigned char **wkb, size_t *wkb_len)
{
	static const size_t env_len[] = {0, 32, 48, 48, 64};
	unsigned flags, kind;
	size_t hdr;
	if (n < 8 || p[0] != 'G' || p[1] != 'P')
		return -1;
	flags = p[3];
	kind = (flags >> 1) & 7;
	if (kind > 4)
		return -1;
	hdr = 8 + env_len[kind];
	if (n < hdr)
		return -1;
	if (kind >= 1) {
		double e[4];
		memcpy(e, p + 8, sizeof e);
		if (!(flags & 1)) { /* big-endian header doubles */
			for (int k = 0; k < 4; k++) {
				unsigned char *c = (unsigned char *)&e[k];
				for (int a = 0, z = 7; a < z; a++, z--) {
					unsigned char t = c[a];
					c[a] = c[z];
					c[z] = t;
				}
			}
		}
		row->minx = e[0];
		row->maxx = e[1];
		row->miny = e[2];
		row->maxy = e[3];
		row->has_env = true;
	}
	if (flags & 0x10) { /* empty geometry */
		*wkb = NULL;
		*wkb_len = 0;
		return 0;
	}
	*wkb = p + hdr;
	*wkb_len = n - hdr;
	return 0;
}

static bool seen_before(lg__gpkg *g, int64_t fid)
{
	if (!g->seen || fid < 0 || fid > g->maxfid)
		return false;
	unsigned char bit = (unsigned char)(1u << (fid & 7));
	if (g->seen[fid >> 3] & bit)
		return true;
	g->seen[fid >> 3] |= bit;
	return false;
}

/* Decimal text of v into buf (at least 21 bytes, NUL-terminated); the
 * length. */
static size_t i64_text(int64_t v, char *buf)
{
	char tmp[24];
	size_t n = 0, k = 0;
	uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	buf[k] = '\0';
	return k;
}

lg_status lg__gpkg_next(lg_ctx *ctx, lg__gpkg *g, lg_row_batch *b, size_t max)
{
	while (b->n < max && !g->done) {
		int rc = sqlite3_step(g->scan);
		if (rc == SQLITE_DONE) {
			if (g->nrects && ++g->cur < g->nrects) {
				sqlite3_reset(g->scan);
				for (int k = 0; k < 4; k++)
					sqlite3_bind_double(g->scan, k + 1, g->rects[4 * g->cur + k]);
				continue;
			}
			g->done = true;
			break;
		}
		if (rc != SQLITE_ROW)
			return sql_error(ctx, g->db, "reading the GeoPackage");
		int64_t fid = sqlite3_column_int64(g->scan, 0);
		if (g->nrects && seen_before(g, fid))
			continue;
		const unsigned char *blob = sqlite3_column_blob(g->scan, 1);
		size_t blen = (size_t)sqlite3_column_bytes(g->scan, 1);
		const unsigned char *wkb = NULL;
		size_t wl = 0;
		lg_row head = {0};
		if (blob && parse_blob(blob, blen, &head, &wkb, &wl))
			return lg_ctx_error(ctx, LG_GEOM,
					    "feature FID %lld has a geometry blob that is "
					    "not GeoPackage binary; repair the file",
					    (long long)fid);
		if (g->occ.cell && head.has_env &&
		    !lg__occ_meets(&g->occ, head.minx, head.miny, head.maxx, head.maxy))
			continue;
		lg_row *row = lg__batch_row(b);
		if (!row)
			return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		*row = head;
		row->fid = fid;
		if (wkb && lg__batch_put(b, wkb, wl, (const void **)&row->wkb))
			return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		row->wkb_len = wl;
		for (int k = 0; k < g->ntext; k++) {
			const unsigned char *t;
			size_t tl;
			char num[24];
			if (sqlite3_column_type(g->scan, 2 + k) == SQLITE_INTEGER) {
				/* An integer id (BSM, FID-like): its decimal text without
				 * SQLite's conversion, which allocates per row. */
				tl = i64_text(sqlite3_column_int64(g->scan, 2 + k), num);
				t = (const unsigned char *)num;
			} else {
				t = sqlite3_column_text(g->scan, 2 + k);
				tl = (size_t)sqlite3_column_bytes(g->scan, 2 + k);
			}
			const void **slot = g->text_slot[k] == 0   ? (const void **)&row->id
					    : g->text_slot[k] == 1 ? (const void **)&row->code
					    : g->text_slot[k] == 2 ? (const void **)&row->name
								   : (const void **)&row->extra;
			if (lg__batch_put(b, t ? (const char *)t : "", t ? tl : 0, slot))
				return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		}
		if (!row->id) {
			char buf[32];
			int n = snprintf(buf, sizeof buf, "%lld", (long long)fid);
			if (lg__batch_put(b, buf, (size_t)n, (const void **)&row->id))
				return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		}
	}
	lg__batch_finish(b);
	return LG_OK;
}
