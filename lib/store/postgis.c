/* The PostGIS push-down of overlay (lib/include/landguard/postgis.h), through
 * OGR's PostgreSQL driver: no libpq of our own, the connection string is the
 * one every other command takes. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/io_int.h"
#include "io/rows_int.h"
#include "landguard/postgis.h"

bool lg_pg_source(const char *source)
{
	return source && !strncmp(source, "PG:", 3);
}

/* "name" with embedded quotes doubled, as quote_ident() does; a dotted
 * OGR layer name "schema.table" becomes "schema"."table". */
static int put_ident(lg_buf *b, const char *s, bool dotted)
{
	lg_buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			lg_buf_puts(b, "\"\"");
		else if (dotted && *s == '.')
			lg_buf_puts(b, "\".\"");
		else
			lg_buf_add(b, s, 1);
	}
	return lg_buf_puts(b, "\"");
}

typedef struct pg_table {
	char *conn, *table;  /* connection (without #table), OGR layer name */
	char *fid, *geom;    /* column names */
	int srid;            /* of the geometry column, 0 when unknown */
} pg_table;

static void pg_table_release(pg_table *t)
{
	free(t->conn);
	free(t->table);
	free(t->fid);
	free(t->geom);
	memset(t, 0, sizeof *t);
}

static lg_status open_table(lg_ctx *ctx, const char *source, GDALDatasetH *ds_out,
			    OGRLayerH *lyr_out, pg_table *t, lg_gdal_errs *errs)
{
	GDALDatasetH ds;
	OGRLayerH lyr;
	*ds_out = NULL;
	*lyr_out = NULL;
	if (lg__split_source(source, &t->conn, &t->table))
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	if (!t->table)
		return lg_ctx_error(ctx, LG_USAGE,
				    "'%s' names no table; write PG:...#TABLE", source);
	ds = GDALOpenEx(t->conn, GDAL_OF_VECTOR | GDAL_OF_READONLY,
			(const char *const[]){"PostgreSQL", NULL}, NULL, NULL);
	if (!ds)
		return lg_ctx_error(ctx, LG_INPUT,
				    "cannot connect to '%s'%s%s; check host, port, dbname, user "
				    "and that the server runs",
				    t->conn, errs->last[0] ? ": " : "", errs->last);
	lyr = GDALDatasetGetLayerByName(ds, t->table);
	if (!lyr) {
		GDALClose(ds);
		return lg_ctx_error(ctx, LG_INPUT, "'%s' has no table '%s'", t->conn, t->table);
	}
	const char *fid = OGR_L_GetFIDColumn(lyr), *geom = OGR_L_GetGeometryColumn(lyr);
	if (!fid || !*fid || !geom || !*geom) {
		GDALClose(ds);
		return lg_ctx_error(ctx, LG_INPUT,
				    "table '%s' in '%s' needs a primary key and a geometry "
				    "column for --engine postgis (ogr2ogr makes both)",
				    t->table, t->conn);
	}
	t->fid = strdup(fid);
	t->geom = strdup(geom);
	if (!t->fid || !t->geom) {
		GDALClose(ds);
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	}
	*ds_out = ds;
	*lyr_out = lyr;
	return LG_OK;
}

/* SRID of a table's geometry column, from its data (works for typed and
 * untyped geometry columns alike). */
static lg_status table_srid(lg_ctx *ctx, GDALDatasetH ds, pg_table *t, lg_gdal_errs *errs)
{
	lg_buf b;
	OGRLayerH r;
	lg_buf_init(&b);
	lg_buf_puts(&b, "SELECT ST_SRID(");
	put_ident(&b, t->geom, false);
	lg_buf_puts(&b, ") AS srid FROM ");
	put_ident(&b, t->table, true);
	lg_buf_puts(&b, " WHERE ");
	put_ident(&b, t->geom, false);
	lg_buf_puts(&b, " IS NOT NULL LIMIT 1");
	if (!b.s)
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	r = GDALDatasetExecuteSQL(ds, b.s, NULL, NULL);
	lg_buf_release(&b);
	t->srid = 0;
	if (!r)
		return lg_ctx_error(ctx, LG_INPUT, "cannot query table '%s' in '%s': %s", t->table,
				    t->conn, errs->last);
	OGRFeatureH f = OGR_L_GetNextFeature(r);
	if (f) {
		t->srid = OGR_F_GetFieldAsInteger(f, 0);
		OGR_F_Destroy(f);
	}
	GDALDatasetReleaseResultSet(ds, r);
	return LG_OK;
}

/* Opens two tables that a push-down joins: `a` only to learn its columns,
 * `b` kept open (*ds, *lyr) for the queries; both must be on one server.
 * a_opt/b_opt name the options in the message ("--sites" ...). */
static lg_status open_both(lg_ctx *ctx, const char *a_src, const char *a_opt,
			   const char *b_src, const char *b_opt, GDALDatasetH *ds,
			   OGRLayerH *lyr, pg_table *ta, pg_table *tb, lg_gdal_errs *errs)
{
	GDALDatasetH da = NULL;
	lg_status st = open_table(ctx, a_src, &da, lyr, ta, errs);
	if (st)
		return st;
	GDALClose(da);
	if ((st = open_table(ctx, b_src, ds, lyr, tb, errs)))
		return st;
	if (strcmp(ta->conn, tb->conn))
		return lg_ctx_error(ctx, LG_USAGE,
				    "--engine postgis needs %s and %s in one database; "
				    "got '%s' and '%s' (load both there, or use the local engine)",
				    a_opt, b_opt, ta->conn, tb->conn);
	if ((st = table_srid(ctx, *ds, ta, errs)) || (st = table_srid(ctx, *ds, tb, errs)))
		return st;
	return LG_OK;
}

lg_status lg_pg_schema(lg_ctx *ctx, const char *source, const lg_read_opts *ro,
		       lg_layer **out, size_t *count)
{
	GDALDatasetH ds = NULL;
	OGRLayerH lyr = NULL;
	pg_table t = {0};
	lg_gdal_errs errs;
	lg_field *fields = NULL;
	lg_layer *l = NULL;
	lg_read_opts none = {0};
	OGREnvelope env;
	lg_status st;

	*out = NULL;
	*count = 0;
	lg__gdal_push(&errs);
	if ((st = open_table(ctx, source, &ds, &lyr, &t, &errs)))
		goto done;
	OGRFeatureDefnH defn = OGR_L_GetLayerDefn(lyr);
	int nf = OGR_FD_GetFieldCount(defn);
	fields = calloc((size_t)nf + 1, sizeof *fields);
	if (!fields) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	for (int j = 0; j < nf; j++) {
		OGRFieldDefnH fd = OGR_FD_GetFieldDefn(defn, j);
		OGRFieldType ty = OGR_Fld_GetType(fd);
		fields[j].name = (char *)OGR_Fld_GetNameRef(fd);
		fields[j].type = ty == OFTInteger || ty == OFTInteger64 ? LG_FT_INT
				 : ty == OFTReal			 ? LG_FT_REAL
									 : LG_FT_STRING;
	}
	if ((st = lg_layer_create(ctx, OGR_L_GetName(lyr), fields, (size_t)nf, &l)))
		goto done;
	l->path = lg__strdup(ctx, t.conn);
	l->driver = lg__strdup(ctx, "PostgreSQL");
	l->encoding = lg__strdup(ctx, "UTF-8");
	l->encoding_how = lg__strdup(ctx, "UTF-8 (the server's client encoding)");
	l->geom_type = wkbFlatten(OGR_L_GetGeomType(lyr));
	*count = (size_t)OGR_L_GetFeatureCount(lyr, 1);
	if (OGR_L_GetExtent(lyr, &env, 1) == OGRERR_NONE) {
		l->minx = env.MinX;
		l->miny = env.MinY;
		l->maxx = env.MaxX;
		l->maxy = env.MaxY;
	}
	OGRSpatialReferenceH srs = OGR_L_GetSpatialRef(lyr);
	if (srs) {
		char *wkt = NULL;
		const char *wo[] = {"FORMAT=WKT2_2019", NULL};
		if (OSRExportToWktEx(srs, &wkt, wo) == OGRERR_NONE && wkt)
			st = lg_crs_parse(ctx, wkt, source, &l->crs);
		CPLFree(wkt);
		if (st)
			goto done;
	}
	if ((st = lg__layer_finish(ctx, l, ro ? ro : &none, l->crs != NULL)))
		goto done;
	*out = l;
	l = NULL;
done:
	if (ds)
		GDALClose(ds);
	lg__gdal_pop();
	lg_layer_destroy(ctx, l);
	free(fields);
	pg_table_release(&t);
	return st;
}

/* expr, transformed to `to` when its SRID differs. */
static void put_tx(lg_buf *b, const char *expr, int from, int to)
{
	if (from == to || to <= 0)
		lg_buf_puts(b, expr);
	else
		lg_buf_printf(b, "ST_Transform(%s, %d)", expr, to);
}

/* What lg_layer_read does to invalid polygons (GEOS make-valid, polygonal
 * part kept), in SQL, so both engines intersect the same shapes. */
static void put_valid(lg_buf *b, const char *expr)
{
	lg_buf_printf(b,
		      "CASE WHEN ST_IsValid(%s) THEN %s ELSE "
		      "ST_CollectionExtract(ST_MakeValid(%s), 3) END",
		      expr, expr, expr);
}

typedef struct fid_index {
	int64_t fid;
	size_t i;
} fid_index;

static int cmp_fid(const void *a, const void *b)
{
	const fid_index *x = a, *y = b;
	return x->fid < y->fid ? -1 : x->fid > y->fid;
}

static char *role_col(const lg_layer *l, lg_role r)
{
	return l->role[r] >= 0 ? l->fields[l->role[r]].name : NULL;
}

lg_status lg_pg_overlay_pairs(lg_ctx *ctx, const char *sites_src, const char *plan_src,
			      const lg_layer *sites, const lg_layer *plan, const lg_crs *work,
			      const lg_pg_overlay_opts *o, lg_pairs *out, char **sql_out)
{
	GDALDatasetH ds = NULL;
	OGRLayerH lyr, res = NULL;
	pg_table ts = {0}, tp = {0};
	lg_gdal_errs errs;
	lg_buf q, e;
	fid_index *idx = NULL;
	lg_status st;
	int wsrid = lg_crs_epsg(work);
	int sub = o && o->subdivide_vertices > 0 ? o->subdivide_vertices : 256;
	double min_area = o && o->min_area_m2 > 0 ? o->min_area_m2 : 0.01;

	memset(out, 0, sizeof *out);
	if (sql_out)
		*sql_out = NULL;
	lg_buf_init(&q);
	lg_buf_init(&e);
	lg__gdal_push(&errs);
	if ((st = open_both(ctx, sites_src, "--sites", plan_src, "--plan", &ds, &lyr, &ts, &tp,
			    &errs)))
		goto done;
	if ((ts.srid && ts.srid != wsrid) || (tp.srid && tp.srid != wsrid)) {
		if (wsrid <= 0) {
			st = lg_ctx_error(ctx, LG_USAGE,
					  "the working CRS %s has no EPSG code for the server to "
					  "transform to; give --work-srs EPSG:NNNN",
					  lg_crs_name(work));
			goto done;
		}
	}

	/* Site i's FID → i. */
	idx = lg__calloc(ctx, sites->n + 1, sizeof *idx);
	if (!idx) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < sites->n; i++) {
		idx[i].fid = sites->feat[i].fid;
		idx[i].i = i;
	}
	qsort(idx, sites->n, sizeof *idx, cmp_fid);

	/* The statement.  s: sites cut into pieces of at most `sub` vertices
	 * (in the plan's SRID, so the && join can use the plan's GiST index);
	 * c: candidate pairs by bounding box; pieces: exact intersections in
	 * the working CRS; then one row per (site, plan row). */
	{
		lg_buf sg, pg, sfid, pfid, t;
		lg_buf_init(&sg);
		lg_buf_init(&pg);
		lg_buf_init(&sfid);
		lg_buf_init(&pfid);
		lg_buf_init(&t);
		lg_buf_puts(&sg, "t.");
		put_ident(&sg, ts.geom, false);
		lg_buf_puts(&pg, "p.");
		put_ident(&pg, tp.geom, false);
		put_ident(&sfid, ts.fid, false);
		put_ident(&pfid, tp.fid, false);

		lg_buf_puts(&q, "WITH s AS (SELECT t.");
		lg_buf_puts(&q, sfid.s);
		lg_buf_printf(&q, " AS sfid, ST_Subdivide(");
		put_tx(&t, sg.s, ts.srid, tp.srid);
		put_valid(&q, t.s);
		lg_buf_printf(&q, ", %d) AS g FROM ", sub);
		put_ident(&q, ts.table, true);
		lg_buf_printf(&q, " t WHERE %s IS NOT NULL AND NOT ST_IsEmpty(%s)), ", sg.s, sg.s);
		lg_buf_printf(&q, "c AS (SELECT s.sfid, p.%s AS pfid, ", pfid.s);
		lg_buf_release(&t);
		put_tx(&t, "s.g", tp.srid, wsrid);
		lg_buf_printf(&q, "%s AS sg, ", t.s);
		lg_buf_release(&t);
		put_tx(&t, pg.s, tp.srid, wsrid);
		put_valid(&q, t.s);
		lg_buf_puts(&q, " AS pg FROM s JOIN ");
		put_ident(&q, tp.table, true);
		lg_buf_printf(&q, " p ON %s && s.g), ", pg.s);
		lg_buf_puts(&q, "pieces AS (SELECT sfid, pfid, "
				"ST_CollectionExtract(ST_Intersection(sg, pg), 3) AS ig "
				"FROM c WHERE ST_Intersects(sg, pg)), ");
		lg_buf_puts(&q, "a AS (SELECT sfid, pfid, sum(ST_Area(ig)) AS area_m2, "
				"ST_UnaryUnion(ST_Collect(ig)) AS g FROM pieces GROUP BY sfid, pfid) ");
		lg_buf_puts(&q, "SELECT a.sfid, a.pfid, ");
		const char *roles[3] = {role_col(plan, LG_ROLE_ID), role_col(plan, LG_ROLE_CODE),
					role_col(plan, LG_ROLE_NAME)};
		for (int k = 0; k < 3; k++) {
			if (roles[k]) {
				lg_buf_puts(&q, "p.");
				put_ident(&q, roles[k], false);
				lg_buf_puts(&q, "::text");
			} else if (k == 0) {
				lg_buf_printf(&q, "p.%s::text", pfid.s);
			} else {
				lg_buf_puts(&q, "''::text");
			}
			lg_buf_printf(&q, " AS t%d, ", k);
		}
		lg_buf_puts(&q, "a.area_m2, ST_AsBinary(a.g) AS wkb FROM a JOIN ");
		put_ident(&q, tp.table, true);
		lg_buf_printf(&q, " p ON p.%s = a.pfid WHERE a.area_m2 > %.17g", pfid.s, min_area);
		lg_buf_release(&sg);
		lg_buf_release(&pg);
		lg_buf_release(&sfid);
		lg_buf_release(&pfid);
		lg_buf_release(&t);
	}
	if (!q.s) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	if (getenv("LANDGUARD_SQL"))
		fprintf(stderr, "%s\n", q.s);
	res = GDALDatasetExecuteSQL(ds, q.s, NULL, NULL);
	if (!res) {
		st = lg_ctx_error(ctx, LG_INPUT, "the server could not run the overlay on '%s': %s",
				  tp.conn, errs.last[0] ? errs.last : "no result");
		goto done;
	}
	OGRFeatureH f;
	while ((f = OGR_L_GetNextFeature(res)) != NULL) {
		fid_index key = {OGR_F_GetFieldAsInteger64(f, 0), 0}, *hit;
		lg_pair *p;
		int nb = 0;
		const GByte *wkb = OGR_F_GetFieldAsBinary(f, 6, &nb);
		hit = bsearch(&key, idx, sites->n, sizeof *idx, cmp_fid);
		if (!hit) {
			OGR_F_Destroy(f);
			st = lg_ctx_error(ctx, LG_INPUT,
					  "the server returned site FID %lld, which the sites read "
					  "from '%s' do not have; was the table changed meanwhile?",
					  (long long)key.fid, sites_src);
			goto done;
		}
		if ((st = lg__grow(ctx, (void **)&out->v, &out->cap, out->n + 1, sizeof *out->v))) {
			OGR_F_Destroy(f);
			goto done;
		}
		p = &out->v[out->n];
		memset(p, 0, sizeof *p);
		p->probe = hit->i;
		p->fid = OGR_F_GetFieldAsInteger64(f, 1);
		p->area_m2 = OGR_F_GetFieldAsDouble(f, 5);
		/* GetFieldAsString of a number reuses one buffer: copy each. */
		char *t[3] = {0};
		for (int k = 0; k < 3; k++)
			t[k] = strdup(OGR_F_IsFieldSetAndNotNull(f, 2 + k) ? OGR_F_GetFieldAsString(f, 2 + k)
									    : "");
		bool ok = t[0] && t[1] && t[2] &&
			  lg_pair_set(p, t[0], t[1], t[2], "", nb > 0 ? wkb : NULL, nb > 0 ? (size_t)nb : 0);
		for (int k = 0; k < 3; k++)
			free(t[k]);
		if (!ok) {
			OGR_F_Destroy(f);
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		out->n++;
		OGR_F_Destroy(f);
	}
	if (errs.last[0]) {
		st = lg_ctx_error(ctx, LG_INPUT, "the server failed during the overlay on '%s': %s",
				  tp.conn, errs.last);
		goto done;
	}
	out->rows_read = out->n;
	if (sql_out) {
		*sql_out = q.s;
		q.s = NULL;
	}
done:
	if (res)
		GDALDatasetReleaseResultSet(ds, res);
	if (ds)
		GDALClose(ds);
	lg__gdal_pop();
	if (st)
		lg_pairs_release(out);
	free(idx);
	lg_buf_release(&q);
	lg_buf_release(&e);
	pg_table_release(&ts);
	pg_table_release(&tp);
	return st;
}

/* --- riverbuf ------------------------------------------------------- */

void lg_pg_riverbuf_release(lg_pg_riverbuf *r)
{
	if (!r)
		return;
	lg_pairs_release(&r->pairs);
	free(r->dist_m);
	for (size_t i = 0; i < r->nwaters; i++)
		free(r->names[i]);
	free(r->names);
	free(r->band_m2);
	memset(r, 0, sizeof *r);
}

/* Valid geometry of any dimension (management lines stay lines). */
static void put_valid_any(lg_buf *b, const char *expr)
{
	lg_buf_printf(b, "CASE WHEN ST_IsValid(%s) THEN %s ELSE ST_MakeValid(%s) END", expr, expr,
		      expr);
}

/* The CTEs that build the bands, ending with `bands(wid, wname, band, g)`
 * and `wi(wid, wname, g, ...)`; the local rule (lib/geom/bands.c):
 * buffers with quad_segs, water surfaces in no band, the overlap of two
 * waters' outer buffers split by the nearest water on a cell_m grid decided
 * at each cell's centre (ties to the first water by name), band 0 = own ∩
 * inner buffer, band 1 = own − inner buffer. */
static void put_bands_cte(lg_buf *q, const pg_table *tb, const char *name_col, int wsrid,
			  double inner, double outer, int qs, double cell)
{
	lg_buf bg, fid, t;
	lg_buf_init(&bg);
	lg_buf_init(&fid);
	lg_buf_init(&t);
	lg_buf_puts(&bg, "b.");
	put_ident(&bg, tb->geom, false);
	put_ident(&fid, tb->fid, false);
	lg_buf_puts(q, "WITH wf AS (SELECT COALESCE(NULLIF(");
	if (name_col) {
		lg_buf_puts(q, "b.");
		put_ident(q, name_col, false);
		lg_buf_puts(q, "::text");
	} else {
		lg_buf_puts(q, "NULL::text");
	}
	lg_buf_printf(q, ", ''), '#' || b.%s::text) AS wname, ", fid.s);
	put_tx(&t, bg.s, tb->srid, wsrid);
	put_valid_any(q, t.s);
	lg_buf_puts(q, " AS g FROM ");
	put_ident(q, tb->table, true);
	lg_buf_printf(q, " b WHERE %s IS NOT NULL AND NOT ST_IsEmpty(%s)), ", bg.s, bg.s);
	lg_buf_puts(q, "w AS (SELECT wname, ST_UnaryUnion(ST_Collect(g)) AS g FROM wf GROUP BY wname), ");
	lg_buf_printf(q,
		      "wi AS (SELECT (row_number() OVER (ORDER BY wname COLLATE \"C\") - 1)::int AS wid, "
		      "wname, g, ST_Buffer(g, %.17g, 'quad_segs=%d') AS bin, "
		      "ST_Buffer(g, %.17g, 'quad_segs=%d') AS bout FROM w), ",
		      inner, qs, outer, qs);
	lg_buf_puts(q, "surf AS (SELECT ST_UnaryUnion(ST_Collect(ST_CollectionExtract(g, 3))) AS g "
		       "FROM wf WHERE ST_Dimension(g) = 2), ");
	lg_buf_puts(q, "ov AS (SELECT a.wid AS ia, b.wid AS ib, a.g AS ga, b.g AS gb, "
		       "ST_CollectionExtract(COALESCE(ST_Difference(ST_Intersection(a.bout, b.bout), "
		       "s.g), ST_Intersection(a.bout, b.bout)), 3) AS o FROM wi a JOIN wi b ON "
		       "a.wid < b.wid AND a.bout && b.bout AND ST_Intersects(a.bout, b.bout) "
		       "CROSS JOIN surf s), ");
	lg_buf_printf(q,
		      "cells AS (SELECT ov.ia, ov.ib, sq.geom AS c, "
		      "ST_Distance(ST_Centroid(sq.geom), ov.ga) AS da, "
		      "ST_Distance(ST_Centroid(sq.geom), ov.gb) AS db "
		      "FROM ov CROSS JOIN LATERAL ST_SquareGrid(%.17g, ov.o) sq "
		      "WHERE NOT ST_IsEmpty(ov.o) AND ST_Intersects(sq.geom, ov.o)), ",
		      cell);
	/* A cell nearer b is taken from a, one nearer a (or tied) from b. */
	lg_buf_puts(q, "tk AS (SELECT CASE WHEN db < da THEN ia ELSE ib END AS wid, ia, ib, "
		       "ST_Union(c) AS g FROM cells GROUP BY 1, 2, 3), ");
	lg_buf_puts(q, "taken AS (SELECT tk.wid, ST_UnaryUnion(ST_Collect(ST_Intersection(tk.g, "
		       "ov.o))) AS g FROM tk JOIN ov ON ov.ia = tk.ia AND ov.ib = tk.ib "
		       "GROUP BY tk.wid), ");
	lg_buf_puts(q, "own AS (SELECT wi.wid, wi.wname, wi.bin, "
		       "COALESCE(ST_Difference(x.g, t.g), x.g) AS g FROM wi "
		       "CROSS JOIN LATERAL (SELECT COALESCE(ST_Difference(wi.bout, s.g), wi.bout) AS g "
		       "FROM surf s) x LEFT JOIN taken t ON t.wid = wi.wid), ");
	lg_buf_puts(q, "bands AS (SELECT wid, wname, 0 AS band, "
		       "ST_CollectionExtract(ST_Intersection(g, bin), 3) AS g FROM own UNION ALL "
		       "SELECT wid, wname, 1 AS band, ST_CollectionExtract(ST_Difference(g, bin), 3) "
		       "AS g FROM own)");
	lg_buf_release(&bg);
	lg_buf_release(&fid);
	lg_buf_release(&t);
}

lg_status lg_pg_riverbuf_pairs(lg_ctx *ctx, const char *boundary_src, const char *parcels_src,
			       const lg_layer *boundary, const lg_layer *parcels,
			       const lg_crs *work, const lg_pg_riverbuf_opts *o,
			       lg_pg_riverbuf *out, char **sql_out)
{
	GDALDatasetH ds = NULL;
	OGRLayerH lyr, res = NULL;
	pg_table tb = {0}, tp = {0};
	lg_gdal_errs errs;
	lg_buf q;
	lg_status st;
	int wsrid = lg_crs_epsg(work);
	double inner = o && o->inner_m > 0 ? o->inner_m : 30;
	double outer = o && o->outer_m > 0 ? o->outer_m : 50;
	int qs = o && o->quad_segs > 0 ? o->quad_segs : 16;
	double cell = o && o->cell_m > 0 ? o->cell_m : 2.0;
	int sub = o && o->subdivide_vertices > 0 ? o->subdivide_vertices : 256;
	const char *name_col = role_col(boundary, LG_ROLE_NAME);

	memset(out, 0, sizeof *out);
	if (sql_out)
		*sql_out = NULL;
	lg_buf_init(&q);
	lg__gdal_push(&errs);
	if ((st = open_both(ctx, parcels_src, "--parcels", boundary_src, "--boundary", &ds, &lyr,
			    &tp, &tb, &errs)))
		goto done;
	if (wsrid <= 0) {
		st = lg_ctx_error(ctx, LG_USAGE,
				  "the working CRS %s has no EPSG code for the server to work in; "
				  "give --work-srs EPSG:NNNN", lg_crs_name(work));
		goto done;
	}

	/* 1: the waters and their band areas. */
	put_bands_cte(&q, &tb, name_col, wsrid, inner, outer, qs, cell);
	lg_buf_puts(&q, " SELECT wid, wname, band, ST_Area(g) AS area_m2 FROM bands ORDER BY wid, band");
	if (!q.s) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	if (getenv("LANDGUARD_SQL"))
		fprintf(stderr, "%s;\n", q.s);
	res = GDALDatasetExecuteSQL(ds, q.s, NULL, NULL);
	if (!res) {
		st = lg_ctx_error(ctx, LG_INPUT, "the server could not build the bands of '%s' in "
				  "'%s': %s", tb.table, tb.conn, errs.last[0] ? errs.last : "no result");
		goto done;
	}
	{
		size_t cap = 0;
		OGRFeatureH f;
		while ((f = OGR_L_GetNextFeature(res)) != NULL) {
			size_t wid = (size_t)OGR_F_GetFieldAsInteger(f, 0);
			int band = OGR_F_GetFieldAsInteger(f, 2);
			if (wid >= out->nwaters) {
				if (wid != out->nwaters || lg__grow(ctx, (void **)&out->names, &cap, wid + 1,
								    sizeof *out->names)) {
					OGR_F_Destroy(f);
					st = lg_ctx_error(ctx, LG_INTERNAL, "the bands came back out of order");
					goto done;
				}
				double *bm = realloc(out->band_m2, 2 * (wid + 1) * sizeof *bm);
				if (bm)
					out->band_m2 = bm;
				out->names[wid] = bm ? strdup(OGR_F_GetFieldAsString(f, 1)) : NULL;
				if (!out->names[wid]) {
					OGR_F_Destroy(f);
					st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
					goto done;
				}
				out->band_m2 = bm;
				bm[2 * wid] = bm[2 * wid + 1] = 0;
				out->nwaters = wid + 1;
			}
			if (band == 0 || band == 1)
				out->band_m2[2 * wid + band] =
					OGR_F_IsFieldSetAndNotNull(f, 3) ? OGR_F_GetFieldAsDouble(f, 3) : 0;
			OGR_F_Destroy(f);
		}
	}
	GDALDatasetReleaseResultSet(ds, res);
	res = NULL;
	if (errs.last[0]) {
		st = lg_ctx_error(ctx, LG_INPUT, "the server failed building the bands on '%s': %s",
				  tb.conn, errs.last);
		goto done;
	}

	/* 2: the parts.  Band pieces of at most `sub` vertices, taken to the
	 * parcels' SRID for the && join on their GiST index, intersected in the
	 * working CRS, summed per (parcel, water, band). */
	lg_buf_release(&q);
	put_bands_cte(&q, &tb, name_col, wsrid, inner, outer, qs, cell);
	{
		lg_buf pg, pfid, t;
		lg_buf_init(&pg);
		lg_buf_init(&pfid);
		lg_buf_init(&t);
		lg_buf_puts(&pg, "p.");
		put_ident(&pg, tp.geom, false);
		put_ident(&pfid, tp.fid, false);
		lg_buf_printf(&q, ", pieces AS (SELECT wid, band, ST_Subdivide(g, %d) AS g FROM bands "
				  "WHERE g IS NOT NULL AND NOT ST_IsEmpty(g)), ", sub);
		lg_buf_printf(&q, "c AS (SELECT pc.wid, pc.band, pc.g AS bg, p.%s AS pfid, ", pfid.s);
		put_tx(&t, pg.s, tp.srid, wsrid);
		put_valid(&q, t.s);
		lg_buf_release(&t);
		lg_buf_puts(&q, " AS pg FROM pieces pc JOIN ");
		put_ident(&q, tp.table, true);
		put_tx(&t, "pc.g", wsrid, tp.srid);
		lg_buf_printf(&q, " p ON %s && %s WHERE %s IS NOT NULL), ", pg.s, t.s, pg.s);
		lg_buf_puts(&q, "ix AS (SELECT wid, band, pfid, "
				"ST_CollectionExtract(ST_Intersection(bg, pg), 3) AS ig FROM c "
				"WHERE ST_Intersects(bg, pg)), ");
		lg_buf_puts(&q, "a AS (SELECT wid, band, pfid, sum(ST_Area(ig)) AS area_m2, "
				"ST_UnaryUnion(ST_Collect(ig)) AS g FROM ix GROUP BY wid, band, pfid) ");
		lg_buf_puts(&q, "SELECT a.pfid, a.wid, a.band, ");
		const char *roles[2] = {role_col(parcels, LG_ROLE_ID), role_col(parcels, LG_ROLE_CODE)};
		for (int k = 0; k < 2; k++) {
			if (roles[k]) {
				lg_buf_puts(&q, "p.");
				put_ident(&q, roles[k], false);
				lg_buf_puts(&q, "::text");
			} else if (k == 0) {
				lg_buf_printf(&q, "p.%s::text", pfid.s);
			} else {
				lg_buf_puts(&q, "''::text");
			}
			lg_buf_printf(&q, " AS t%d, ", k);
		}
		lg_buf_puts(&q, "a.area_m2, ST_Distance(a.g, wi.g) AS dist_m, ST_AsBinary(a.g) AS wkb "
				"FROM a JOIN wi ON wi.wid = a.wid JOIN ");
		put_ident(&q, tp.table, true);
		lg_buf_printf(&q, " p ON p.%s = a.pfid WHERE a.area_m2 > 1e-9", pfid.s);
		lg_buf_release(&pg);
		lg_buf_release(&pfid);
		lg_buf_release(&t);
	}
	if (!q.s) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	if (getenv("LANDGUARD_SQL"))
		fprintf(stderr, "%s;\n", q.s);
	res = GDALDatasetExecuteSQL(ds, q.s, NULL, NULL);
	if (!res) {
		st = lg_ctx_error(ctx, LG_INPUT, "the server could not run riverbuf on '%s': %s",
				  tp.conn, errs.last[0] ? errs.last : "no result");
		goto done;
	}
	{
		size_t dcap = 0;
		OGRFeatureH f;
		lg_pairs *pp = &out->pairs;
		while ((f = OGR_L_GetNextFeature(res)) != NULL) {
			int nb = 0;
			const GByte *wkb = OGR_F_GetFieldAsBinary(f, 7, &nb);
			size_t wid = (size_t)OGR_F_GetFieldAsInteger(f, 1);
			int band = OGR_F_GetFieldAsInteger(f, 2);
			if (wid >= out->nwaters || band < 0 || band > 1) {
				OGR_F_Destroy(f);
				st = lg_ctx_error(ctx, LG_INTERNAL, "the server returned water %zu band %d "
						  "of %zu waters", wid, band, out->nwaters);
				goto done;
			}
			if ((st = lg__grow(ctx, (void **)&pp->v, &pp->cap, pp->n + 1, sizeof *pp->v)) ||
			    (st = lg__grow(ctx, (void **)&out->dist_m, &dcap, pp->n + 1,
					   sizeof *out->dist_m))) {
				OGR_F_Destroy(f);
				goto done;
			}
			lg_pair *p = &pp->v[pp->n];
			memset(p, 0, sizeof *p);
			p->probe = 2 * wid + (size_t)band;
			p->fid = OGR_F_GetFieldAsInteger64(f, 0);
			p->area_m2 = OGR_F_GetFieldAsDouble(f, 5);
			out->dist_m[pp->n] = OGR_F_GetFieldAsDouble(f, 6);
			char *t[2] = {0};
			for (int k = 0; k < 2; k++)
				t[k] = strdup(OGR_F_IsFieldSetAndNotNull(f, 3 + k)
						      ? OGR_F_GetFieldAsString(f, 3 + k)
						      : "");
			bool ok = t[0] && t[1] &&
				  lg_pair_set(p, t[0], t[1], "", "", nb > 0 ? wkb : NULL,
					      nb > 0 ? (size_t)nb : 0);
			free(t[0]);
			free(t[1]);
			if (!ok) {
				OGR_F_Destroy(f);
				st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
				goto done;
			}
			pp->n++;
			OGR_F_Destroy(f);
		}
	}
	if (errs.last[0]) {
		st = lg_ctx_error(ctx, LG_INPUT, "the server failed during riverbuf on '%s': %s",
				  tp.conn, errs.last);
		goto done;
	}
	out->pairs.rows_read = out->pairs.n;
	if (sql_out) {
		*sql_out = q.s;
		q.s = NULL;
	}
done:
	if (res)
		GDALDatasetReleaseResultSet(ds, res);
	if (ds)
		GDALClose(ds);
	lg__gdal_pop();
	if (st)
		lg_pg_riverbuf_release(out);
	lg_buf_release(&q);
	pg_table_release(&tb);
	pg_table_release(&tp);
	return st;
}
