/**
 * Layers: features with an id, UTF-8 attributes and a GEOS geometry.
 *
 * A layer is read whole from any GDAL vector source (or a 界址点 TXT file),
 * with its text converted to UTF-8, its CRS declared or guessed, field roles
 * detected and invalid geometries repaired.  Geometries belong to the GEOS
 * handle of the lg_ctx that read the layer; destroy the layer with that same
 * context.  Writers put everything under a temporary name and rename it into
 * place only when complete.
 */
#ifndef LANDGUARD_LAYER_H
#define LANDGUARD_LAYER_H

#include "landguard/core.h"
#include "landguard/crs.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum lg_ftype {
	LG_FT_STRING = 0,
	LG_FT_INT = 1,
	LG_FT_REAL = 2,
} lg_ftype;

/** Field roles (CONTRACT.md "Field roles"). */
#define LG_ROLE_MAP(X)                                                         \
	X(ID, "id", "DKBH,BSM,TBBH,BH,id,fid,parcel_id,site_id,地块编号,编号,source_id,well_id,point_id,sample_id")     \
	X(CODE, "code", "DLBM,YDYHFLDM,YDDM,code,plan_code,地类编码,用地代码")    \
	X(NAME, "name", "DKMC,DLMC,YDYHFLMC,name,site_name,地块名称,名称")          \
	X(STAGE, "stage", "stage,status,ZT,阶段,状态")                              \
	X(ORIG_CODE, "orig-code", "orig_code,原用途,YDDM_Y,XZDLBM")               \
	X(PLAN_CODE, "plan-code", "plan_code,规划用途,GHYT")                       \
	X(INDUSTRY, "industry", "industry,行业,HY")                                 \
	X(TOWN, "town", "town,ZLDWMC,乡镇,XZQMC")

typedef enum lg_role {
#define LG__R(n, s, f) LG_ROLE_##n,
	LG_ROLE_MAP(LG__R)
#undef LG__R
	LG_ROLE__COUNT
} lg_role;

/** "id", "code", "orig-code" ... as used in --<input>-<role>-field. */
const char *lg_role_name(lg_role r);

typedef struct lg_field {
	char *name; /* UTF-8 */
	lg_ftype type;
	int width; /* 0 = unknown */
} lg_field;

typedef struct lg_value {
	union {
		int64_t i;
		double d;
		char *s; /* UTF-8, owned */
	} u;
	bool null;
	bool shared; /* u.s belongs to the layer's pool or is static */
} lg_value;

typedef struct lg_feature {
	int64_t fid;
	lg_value *vals; /* one per field */
	lg_geom *geom;  /* may be NULL (no geometry) */
	/* Result layers straight from the engine may carry their geometry as
	 * ISO WKB instead (geom NULL): writers take it as it is, saving a
	 * parse and a re-encoding per feature.  Owned; readers never set it. */
	unsigned char *wkb;
	size_t wkb_len;
	/* The WKB's envelope (minx, miny, maxx, maxy) when has_wkb_env: the
	 * engine knows it, and a GeoPackage writer needs it per row. */
	double wkb_env[4];
	bool has_wkb_env;
	bool wkb_shared; /* wkb lives in the layer's pool: not freed alone */
} lg_feature;

typedef struct lg_layer {
	char *path;         /* source as given (without #LAYER) */
	char *name;         /* layer name */
	char *driver;       /* GDAL driver short name, or "JZD-TXT" */
	char *encoding;     /* encoding the text was read as ("UTF-8", "GB18030") */
	char *encoding_how; /* how it was decided */
	lg_crs *crs;        /* CRS of the geometries (owned); NULL = none */
	char *crs_how;      /* "declared", "guessed: ...", "--s-srs" */
	int geom_type;      /* OGRwkbGeometryType, flattened (3 = polygon ...) */
	size_t nfields;
	lg_field *fields;
	size_t n, cap;
	lg_feature *feat;
	int role[LG_ROLE__COUNT]; /* field index or -1 */
	size_t nrepaired;         /* invalid geometries made valid on read */
	size_t nempty;            /* features without geometry */
	double minx, miny, maxx, maxy; /* extent in `crs` */
	struct lg__pool *pool; /* strings shared by values (private) */
} lg_layer;

typedef struct lg_read_opts {
	const char *s_srs;    /* CRS for inputs without one (overrides guessing) */
	const char *encoding; /* declared text encoding override */
	/* field name per role, NULL = detect */
	const char *role_field[LG_ROLE__COUNT];
	bool no_repair; /* keep invalid geometries as they are */
	/* Read only features whose envelope meets the envelope of `filter`
	 * (a geometry in filter_crs, borrowed): a batch reads one county of a
	 * city-wide file, so another county's bad rows cannot fail it.  Used
	 * when the source's CRS is known (declared or --s-srs); NULL = all. */
	const lg_geom *filter;
	const lg_crs *filter_crs;
	/* Grow the filter's envelope by this much on every side, in
	 * filter_crs units (metres for a metric CRS) before it is put in the
	 * source's CRS: a batch reads the evidence near an area too (sites
	 * within YZ-06's distance, waters within the band width).  0 = none. */
	double filter_grow;
} lg_read_opts;

/**
 * Reads `source` ("path", "path#layer", "PG:...#table", a 界址点 .txt).
 * On success *out is a new layer; free it with lg_layer_destroy(ctx, ...).
 */
lg_status lg_layer_read(lg_ctx *ctx, const char *source,
			const lg_read_opts *opts, lg_layer **out);
/** An empty layer with the given fields (names copied). */
lg_status lg_layer_create(lg_ctx *ctx, const char *name,
			  const lg_field *fields, size_t nfields,
			  lg_layer **out);
void lg_layer_destroy(lg_ctx *ctx, lg_layer *layer);
/** Appends a feature with null values; returns it through *out (borrowed). */
lg_status lg_layer_add(lg_ctx *ctx, lg_layer *layer, lg_feature **out);
/** Keeps the features i with keep[i] (l->n entries), in order, and frees
 *  the others; the extent is left as it was. */
void lg_layer_keep(lg_ctx *ctx, lg_layer *l, const bool *keep);
/** Setters copy their argument; geometry ownership passes to the layer. */
lg_status lg_feature_set_str(lg_ctx *ctx, lg_layer *l, lg_feature *f,
			     size_t field, const char *s);
/**
 * For layers of many rows sharing texts (a result with one row per pair):
 * lg_layer_pool_str() copies s once into the layer's pool (freed with the
 * layer; NULL when out of memory), lg_feature_ref_str() points a string
 * value at s without copying.  s must live as long as the layer: a static
 * string or one from this layer's pool.
 */
const char *lg_layer_pool_str(lg_ctx *ctx, lg_layer *l, const char *s);
void lg_feature_ref_str(lg_layer *l, lg_feature *f, size_t field, const char *s);
void lg_feature_set_int(lg_layer *l, lg_feature *f, size_t field, int64_t v);
void lg_feature_set_real(lg_layer *l, lg_feature *f, size_t field, double v);
void lg_feature_set_geom(lg_ctx *ctx, lg_feature *f, lg_geom *g);
/** The feature's geometry, parsing its WKB into geom on first use (result
 *  layers); NULL when it has none.  Borrowed, owned by the feature. */
const lg_geom *lg_feature_geom(lg_ctx *ctx, lg_feature *f);
/** Field index by name (case-insensitive), -1 when absent. */
int lg_layer_field(const lg_layer *l, const char *name);
/** Value of a field as text (numbers formatted); "" for null.  Borrowed
 *  from a buffer in the layer, valid until the next call. */
const char *lg_feature_text(const lg_layer *l, const lg_feature *f,
			    int field);
/** The id of a feature: its id-role value, else its FID. */
const char *lg_feature_id(const lg_layer *l, const lg_feature *f);
/**
 * The features of `l` whose point on surface lies in `area` (a polygon in
 * `area_crs`, transformed to l's CRS; made valid when it is not), so that
 * each feature falls in exactly one of a set of areas that tile a region.
 * Features without geometry are left out.  *out is a new layer with l's
 * fields, roles, CRS and path; free with lg_layer_destroy().  LG_GEOM
 * naming `area_name` when the area has no geometry.
 */
lg_status lg_layer_subset_in(lg_ctx *ctx, const lg_layer *l, const lg_geom *area,
			     const lg_crs *area_crs, const char *area_name, lg_layer **out);
/** Reprojects every geometry to `crs` (copied) and updates the extent. */
lg_status lg_layer_reproject(lg_ctx *ctx, lg_layer *l, const lg_crs *crs);
void lg_layer_update_extent(lg_ctx *ctx, lg_layer *l);

typedef struct lg_write_opts {
	const char *driver; /* -f; NULL = from the extension */
	const char *t_srs;  /* NULL = the layer's CRS */
	const char *layer_name; /* NULL = the file's base name */
	const char *encoding;   /* for SHP/JZD text; NULL = UTF-8 (SHP), GBK (JZD) */
	int precision;          /* decimals of coordinates in text formats; 0 = 3 */
	bool no_spatial_index;  /* GPKG/SQLite: skip the R-tree (it costs more
				   than the rest of the write for 100k+ rows) */
} lg_write_opts;

/** Writes atomically: temp name, rename on success; LG_WRITE on failure with
 *  any existing output left untouched. */
lg_status lg_layer_write(lg_ctx *ctx, const lg_layer *layer, const char *path,
			 const lg_write_opts *opts);

/**
 * A GeoPackage output written in parts, for results computed a piece at a
 * time: open makes the file's table from `schema` (fields, CRS, geometry
 * type 1-6; features ignored) under a temporary name; each add appends a
 * layer with the same fields (fids continue); close(commit) finishes the
 * table and renames the file into place, close(false) removes it.  Parts
 * must carry their geometry as WKB or GEOS geometries in schema's CRS.
 * One thread at a time, any ctx.  LG_USAGE for other formats or --t-srs:
 * write the whole layer with lg_layer_write() then.
 */
typedef struct lg_layer_out lg_layer_out;
lg_status lg_layer_out_open(lg_ctx *ctx, const lg_layer *schema, const char *path,
			    const lg_write_opts *opts, lg_layer_out **out);
lg_status lg_layer_out_add(lg_ctx *ctx, lg_layer_out *w, const lg_layer *part);
lg_status lg_layer_out_close(lg_ctx *ctx, lg_layer_out *w, bool commit);

/** Checks before any work that `path` can be written (its folder exists and
 *  is writable, it is not a folder) and removes temporaries of `path` left by
 *  runs that died.  Commands with several outputs call it for each first, so
 *  a bad second path fails before the first output is written. */
lg_status lg_output_prepare(lg_ctx *ctx, const char *path);

/**
 * Shapefile DBF names are at most 10 bytes: cut UTF-8 names at a character
 * boundary and make them unique (suffix _1, _2 ...).  `out` gets nfields
 * new strings; free each with free().
 */
lg_status lg_shp_field_names(lg_ctx *ctx, const char *const *names,
			     size_t nfields, char **out);

/* --- 界址点坐标 TXT exchange files (lib/io/jzd.c) --- */

/** True when the file looks like a 界址点 TXT ([属性描述] / [地块坐标]). */
bool lg_jzd_sniff(const char *path);
/**
 * Reads every parcel of a 界址点 TXT file into a polygon layer with fields
 * 界址点数 (int), 地块面积 (real, as written), 地块编号, 地块名称, 记录图形属性,
 * 图幅号, 地块用途, 地类编码, 扩展1.. (extra fields of 12-field variants) and
 * 面积_公顷 (real: planar area of the geometry, computed).  Roles: id =
 * 地块编号, name = 地块名称, code = 地类编码; driver "JZD-TXT".
 *
 * Text: BOM, else valid UTF-8, else GB18030 (opts->encoding overrides).
 * CRS: opts->s_srs, else 坐标系 + 几度分带 + 带号 (CGCS2000, Xi'an 1980,
 * Beijing 1954; 3 or 6 degrees), the zone taken from the easting prefix
 * when there is one; LG_NOCRS when neither prefix nor 带号 gives a zone.
 * Geometry x = easting (the file's Y), y = northing (X).  Rings end where
 * 圈号 changes or their first point returns; shells, holes and islands come
 * from containment depth; invalid results are repaired unless
 * opts->no_repair.  Unclosed rings, near-duplicate points, 界址点数
 * mismatches and 地块面积 in m² or 亩 are warnings naming file, line and
 * parcel; bad numbers and rings of < 3 points are LG_INPUT.
 * On success *out is new; free it with lg_layer_destroy(ctx, ...).
 */
lg_status lg_jzd_read(lg_ctx *ctx, const char *path, const lg_read_opts *opts,
		      lg_layer **out);
/**
 * Writes a polygon layer as a 界址点 TXT file: GBK unless opts->encoding
 * says otherwise, CRLF, X = northing and Y = zone-prefixed easting with
 * opts->precision decimals (default 3), 地块面积 computed in 公顷 (4
 * decimals), ring numbers 1.. per parcel (each shell, then its holes),
 * points J1.. running on, each ring closed by repeating its first point.
 * Attributes come from fields named 地块编号, 地块名称 ... (else the id,
 * name and code roles); 扩展1.. fields are written after 地类编码.
 * The layer's CRS (or opts->t_srs) must be a CGCS2000 3-degree GK CRS,
 * with or without prefix; anything else is LG_INPUT asking for --t-srs.
 * Atomic: a temporary file renamed into place; LG_WRITE on failure.
 */
lg_status lg_jzd_write(lg_ctx *ctx, const lg_layer *layer, const char *path,
		       const lg_write_opts *opts);

/** One `key=value` line of a 界址点 TXT header; all text UTF-8, trimmed. */
typedef struct lg_jzd_entry {
	char *section; /* "属性描述", "项目信息" ...; "" before any [section] */
	char *key;     /* e.g. "带号" */
	char *value;   /* may be "" (e.g. an empty 带号) */
} lg_jzd_entry;

/** The header of a 界址点 TXT file: every key=value line before
 *  [地块坐标], in file order (duplicates kept). */
typedef struct lg_jzd_header {
	size_t n;
	lg_jzd_entry *entry;
} lg_jzd_header;

/**
 * Reads only the header of a 界址点 TXT file, decoding it as lg_jzd_read()
 * does (opts may be NULL; only opts->encoding is used).  The layer keeps no
 * header: callers wanting 精度, 转换参数 or [项目信息] keys read them here.
 * On success *out is new; free it with lg_jzd_header_destroy().
 * LG_NOFILE / LG_INPUT with the path in the message on failure.
 */
lg_status lg_jzd_header_read(lg_ctx *ctx, const char *path,
			     const lg_read_opts *opts, lg_jzd_header **out);
/** Value of the first entry named `key` (exact match) in any section, or
 *  NULL when absent.  Borrowed from h. */
const char *lg_jzd_header_get(const lg_jzd_header *h, const char *key);
/** Frees the header; NULL is a no-op. */
void lg_jzd_header_destroy(lg_jzd_header *h);

/* --- text encodings (lib/io/encoding.c) --- */

/** True when the n bytes are valid UTF-8. */
bool lg_utf8_valid(const char *s, size_t n);
/** A new UTF-8 string converted from `enc` (iconv name); NULL on failure. */
char *lg_to_utf8(const char *s, size_t n, const char *enc);
/** A new string in `enc` converted from UTF-8; NULL on failure. */
char *lg_from_utf8(const char *s, const char *enc);

#ifdef __cplusplus
}
#endif
#endif
