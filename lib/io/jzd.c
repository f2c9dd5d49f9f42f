/*
 * 界址点坐标 TXT exchange files (domain-facts §6): reader and writer.
 *
 * The file is a header of key=value lines, then parcels: one line
 * `界址点数,地块面积,地块编号,地块名称,记录图形属性,图幅号,地块用途,地类编码,@`
 * followed by point lines `点号,圈号,X,Y` with X = northing and Y = the
 * easting, usually with the zone number prefixed.  Real files bend every
 * rule (see the comments below and tests/unit/check_jzd.c), so the reader
 * trusts geometry over numbering: rings end where their first point comes
 * back, shells and holes come from containment, areas are recomputed.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg_internal.h"
#include "landguard/layer.h"
#include "io_int.h" /* lg__tmp_path */

/* Vertices closer than this are one survey point written twice (m). */
#define NEAR_DUP_M 0.001
/* Written area and computed area "agree" within this share (§0 trap 5). */
#define AREA_TOL 0.01

enum {
	F_JZDS,	/* 界址点数 */
	F_MJ,	/* 地块面积 */
	F_BH,	/* 地块编号 */
	F_MC,	/* 地块名称 */
	F_TXSX, /* 记录图形属性 */
	F_TFH,	/* 图幅号 */
	F_YT,	/* 地块用途 */
	F_DLBM, /* 地类编码 */
	F_NBASE
};

static const char *const base_name[F_NBASE] = {
	"界址点数", "地块面积", "地块编号", "地块名称",
	"记录图形属性", "图幅号", "地块用途", "地类编码",
};

/* Some writers fill unknown attributes with the pinyin initials of the
 * field name (edcfoshan files: "DKMC", "TFH", "DKYT", "DLBM"); a land-use
 * check would then meet a code "DLBM", so such values are read as empty. */
static const char *const placeholder[F_NBASE] = {
	"JZDS", "DKMJ", "DKBH", "DKMC", "TXSX", "TFH", "DKYT", "DLBM",
};

#define MAX_EXTRA 16

/* ------------------------------------------------------------------ */
/* Text: bytes -> UTF-8 -> lines                                        */

typedef struct jtext {
	char *buf;	   /* the whole file in UTF-8, lines cut in place */
	char **line;	   /* line[i] is line number i + 1 */
	size_t nlines, cap;
	const char *enc;   /* encoding the bytes were read as */
	const char *how;   /* why that encoding */
} jtext;

static void jtext_release(jtext *t)
{
	free(t->buf);
	free(t->line);
	memset(t, 0, sizeof *t);
}

static lg_status slurp(lg_ctx *ctx, const char *path, char **out, size_t *n)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	lg_status st = LG_OK;
	*out = NULL;
	*n = 0;
	if (!f)
		return lg_ctx_error(ctx, errno == ENOENT ? LG_NOFILE : LG_INPUT,
				    "cannot open '%s': %s", path, strerror(errno));
	for (;;) {
		size_t got;
		if (lg__grow(ctx, (void **)&buf, &cap, len + 65536, 1)) {
			st = LG_NOMEM;
			goto done;
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		st = lg_ctx_error(ctx, LG_INPUT, "cannot read '%s': %s", path,
				  strerror(errno));
		goto done;
	}
	*out = buf;
	*n = len;
	buf = NULL;
done:
	free(buf);
	fclose(f);
	return st;
}

/* BOM, else valid UTF-8, else GB18030 (the superset of GBK/GB2312 that
 * government tools write); opts->encoding overrides the guess. */
static lg_status decode(lg_ctx *ctx, const char *path, const char *raw,
			size_t n, const lg_read_opts *opts, jtext *t)
{
	const unsigned char *u = (const unsigned char *)raw;
	size_t skip = 0;
	if (opts && opts->encoding && *opts->encoding) {
		t->enc = opts->encoding;
		t->how = "--encoding";
	} else if (n >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		t->enc = "UTF-8";
		t->how = "byte-order mark";
		skip = 3;
	} else if (n >= 2 && u[0] == 0xFF && u[1] == 0xFE) {
		t->enc = "UTF-16LE";
		t->how = "byte-order mark";
		skip = 2;
	} else if (n >= 2 && u[0] == 0xFE && u[1] == 0xFF) {
		t->enc = "UTF-16BE";
		t->how = "byte-order mark";
		skip = 2;
	} else if (lg_utf8_valid(raw, n)) {
		t->enc = "UTF-8";
		t->how = "valid UTF-8";
	} else {
		t->enc = "GB18030";
		t->how = "not valid UTF-8, so read as GB18030 (superset of GBK)";
		lg_ctx_warn(ctx, "'%s' is not UTF-8; read it as GB18030/GBK "
			    "(give --encoding if that is wrong)", path);
	}
	t->buf = lg_to_utf8(raw + skip, n - skip, t->enc);
	if (!t->buf)
		return lg_ctx_error(ctx, LG_INPUT,
				    "cannot decode '%s' as %s (%s); give the right "
				    "--encoding",
				    path, t->enc, t->how);
	/* A BOM survives when --encoding UTF-8 was given: drop it. */
	if (!strncmp(t->buf, "\xEF\xBB\xBF", 3))
		memmove(t->buf, t->buf + 3, strlen(t->buf + 3) + 1);
	return LG_OK;
}

/* Lines end in CRLF, LF or a bare CR: windr07 ends its last line with a
 * lone CR after CRLF everywhere else, and edcfoshan has no final break. */
static lg_status split_lines(lg_ctx *ctx, jtext *t)
{
	char *p = t->buf;
	while (*p) {
		if (lg__grow(ctx, (void **)&t->line, &t->cap, t->nlines + 1,
			     sizeof *t->line))
			return LG_NOMEM;
		t->line[t->nlines++] = p;
		while (*p && *p != '\r' && *p != '\n')
			p++;
		if (*p == '\r') {
			*p++ = '\0';
			if (*p == '\n')
				p++;
		} else if (*p == '\n') {
			*p++ = '\0';
		}
	}
	return LG_OK;
}

static lg_status load_text(lg_ctx *ctx, const char *path,
			   const lg_read_opts *opts, jtext *t)
{
	char *raw = NULL;
	size_t n = 0;
	lg_status st;
	memset(t, 0, sizeof *t);
	st = slurp(ctx, path, &raw, &n);
	if (!st)
		st = decode(ctx, path, raw, n, opts, t);
	if (!st)
		st = split_lines(ctx, t);
	free(raw);
	return st;
}

/* ------------------------------------------------------------------ */
/* Header                                                               */

static void header_release(lg_jzd_header *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->entry[i].section);
		free(h->entry[i].key);
		free(h->entry[i].value);
	}
	free(h->entry);
	h->entry = NULL;
	h->n = 0;
}

void lg_jzd_header_destroy(lg_jzd_header *h)
{
	if (!h)
		return;
	header_release(h);
	free(h);
}

const char *lg_jzd_header_get(const lg_jzd_header *h, const char *key)
{
	if (!h)
		return NULL;
	for (size_t i = 0; i < h->n; i++)
		if (!strcmp(h->entry[i].key, key))
			return h->entry[i].value;
	return NULL;
}

static bool ends_with_at(const char *s)
{
	size_t n = strlen(s);
	return n > 0 && s[n - 1] == '@';
}

/* `[name]`, or 【name】 as typed on a Chinese keyboard; *name is cut out
 * of s in place. */
static bool is_section(char *s, char **name)
{
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s[n - 1] = '\0';
		*name = lg__trim(s + 1);
		return true;
	}
	if (n >= 6 && !strncmp(s, "【", 3) && !strcmp(s + n - 3, "】")) {
		s[n - 3] = '\0';
		*name = lg__trim(s + 3);
		return true;
	}
	return false;
}

/* Reads key=value lines up to [地块坐标] (or the first `…,@` line of files
 * that leave the section out); *coord0 gets the index of the first line
 * after the header. */
static lg_status parse_header(lg_ctx *ctx, const char *path, jtext *t,
			      lg_jzd_header *h, size_t *coord0)
{
	const char *section = "";
	size_t cap = 0;
	for (size_t i = 0; i < t->nlines; i++) {
		char *s = lg__trim(t->line[i]), *name, *eq;
		lg_jzd_entry *e;
		if (!*s)
			continue;
		if (is_section(s, &name)) {
			if (!strcmp(name, "地块坐标")) {
				*coord0 = i + 1;
				return LG_OK;
			}
			section = name;
			continue;
		}
		if (ends_with_at(s)) {
			*coord0 = i;
			return LG_OK;
		}
		eq = strchr(s, '=');
		if (!eq) {
			lg_ctx_warn(ctx, "'%s' line %zu ignored: '%.60s' is not "
				    "key=value in the header", path, i + 1, s);
			continue;
		}
		*eq = '\0';
		if (lg__grow(ctx, (void **)&h->entry, &cap, h->n + 1,
			     sizeof *h->entry))
			return LG_NOMEM;
		e = &h->entry[h->n];
		e->section = lg__strdup(ctx, section);
		e->key = lg__strdup(ctx, lg__trim(s));
		e->value = lg__strdup(ctx, lg__trim(eq + 1));
		h->n++;
		if (!e->section || !e->key || !e->value)
			return LG_NOMEM;
	}
	return lg_ctx_error(ctx, LG_INPUT,
			    "'%s' has no [地块坐标] section and no parcel line "
			    "ending in ',@'; is it a 界址点坐标 TXT file?",
			    path);
}

lg_status lg_jzd_header_read(lg_ctx *ctx, const char *path,
			     const lg_read_opts *opts, lg_jzd_header **out)
{
	jtext t;
	lg_jzd_header *h = NULL;
	size_t coord0 = 0;
	lg_status st;
	*out = NULL;
	st = load_text(ctx, path, opts, &t);
	if (st)
		goto done;
	h = lg__calloc(ctx, 1, sizeof *h);
	if (!h) {
		st = LG_NOMEM;
		goto done;
	}
	st = parse_header(ctx, path, &t, h, &coord0);
	if (st)
		goto done;
	*out = h;
	h = NULL;
done:
	lg_jzd_header_destroy(h);
	jtext_release(&t);
	return st;
}

/* ------------------------------------------------------------------ */
/* Coordinate lines                                                     */

typedef struct cline {
	size_t lineno; /* 1-based */
	bool parcel;
	size_t tok0, ntok; /* parcel: its fields in toks[] ('@' removed) */
	long quan;	   /* point: 圈号 */
	double x, y;	   /* point: as written, X (northing) and Y (easting) */
} cline;

typedef struct coords {
	cline *cl;
	size_t n, cap;
	char **tok;
	size_t ntok, captok;
	size_t nparcels;
	size_t maxfields; /* most data fields on a parcel line */
} coords;

static void coords_release(coords *c)
{
	free(c->cl);
	free(c->tok);
}

/* Splits s on commas in place, trimming each field. */
static lg_status split_fields(lg_ctx *ctx, char *s, coords *c, size_t *n)
{
	*n = 0;
	for (;;) {
		char *comma = strchr(s, ',');
		if (comma)
			*comma = '\0';
		if (lg__grow(ctx, (void **)&c->tok, &c->captok, c->ntok + 1,
			     sizeof *c->tok))
			return LG_NOMEM;
		c->tok[c->ntok++] = lg__trim(s);
		(*n)++;
		if (!comma)
			return LG_OK;
		s = comma + 1;
	}
}

static lg_status parse_real(lg_ctx *ctx, const char *path, size_t lineno,
			    size_t parcel, int col, const char *colname,
			    const char *s, double *out)
{
	char *end;
	double v = strtod(s, &end);
	if (!*s || *end || !isfinite(v))
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s' line %zu column %d (%s) of parcel %zu: '%s' "
				    "is not a number; correct the point in the file",
				    path, lineno, col, colname, parcel, s);
	/* Earth-sized coordinates in metres stay below 1e8 even with a
	 * zone prefix; 1e308 would make every area and extent garbage. */
	if (fabs(v) > 1e9)
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s' line %zu column %d (%s) of parcel %zu: '%s' "
				    "is not a coordinate in metres (beyond 1e9); correct "
				    "the point in the file",
				    path, lineno, col, colname, parcel, s);
	*out = v;
	return LG_OK;
}

static lg_status parse_coords(lg_ctx *ctx, const char *path, jtext *t,
			      size_t coord0, coords *c)
{
	lg_status st;
	for (size_t i = coord0; i < t->nlines; i++) {
		char *s = lg__trim(t->line[i]);
		cline *l;
		size_t n, commas = 0;
		if (!*s)
			continue;
		if (lg__grow(ctx, (void **)&c->cl, &c->cap, c->n + 1,
			     sizeof *c->cl))
			return LG_NOMEM;
		l = &c->cl[c->n];
		memset(l, 0, sizeof *l);
		l->lineno = i + 1;
		if (ends_with_at(s)) {
			size_t nf;
			s[strlen(s) - 1] = '\0'; /* the '@' */
			l->parcel = true;
			l->tok0 = c->ntok;
			st = split_fields(ctx, s, c, &nf);
			if (st)
				return st;
			/* "…,地类编码,@" leaves an empty last field where '@'
			 * stood; a writer that forgot the comma does not. */
			if (nf > 1 && !*c->tok[c->ntok - 1]) {
				c->ntok--;
				nf--;
			}
			l->ntok = nf;
			if (nf > c->maxfields)
				c->maxfields = nf;
			c->nparcels++;
			c->n++;
			continue;
		}
		if (!c->nparcels)
			return lg_ctx_error(ctx, LG_INPUT,
					    "'%s' line %zu: point '%.60s' comes before "
					    "the first parcel line (…,@); the file is "
					    "cut or not a 界址点 TXT",
					    path, i + 1, s);
		for (const char *p = s; *p; p++)
			commas += *p == ',';
		if (commas < 3)
			return lg_ctx_error(ctx, LG_INPUT,
					    "'%s' line %zu of parcel %zu: '%.60s' is not "
					    "a point line 点号,圈号,X,Y",
					    path, i + 1, c->nparcels, s);
		{
			size_t t0 = c->ntok;
			char *end;
			const char *q;
			st = split_fields(ctx, s, c, &n);
			if (st)
				return st;
			q = c->tok[t0 + 1];
			l->quan = strtol(q, &end, 10);
			if (!*q || *end)
				return lg_ctx_error(
					ctx, LG_INPUT,
					"'%s' line %zu column 2 (圈号) of parcel %zu: "
					"'%s' is not a ring number; correct it in the file",
					path, i + 1, c->nparcels, q);
			st = parse_real(ctx, path, i + 1, c->nparcels, 3, "X",
					c->tok[t0 + 2], &l->x);
			if (!st)
				st = parse_real(ctx, path, i + 1, c->nparcels, 4,
						"Y", c->tok[t0 + 3], &l->y);
			if (st)
				return st;
			c->ntok = t0; /* point fields are not kept */
		}
		c->n++;
	}
	if (!c->nparcels)
		return lg_ctx_error(ctx, LG_INPUT,
				    "'%s' has no parcels (no line ending in ',@')",
				    path);
	return LG_OK;
}

/* ------------------------------------------------------------------ */
/* CRS                                                                  */

typedef enum datum { D_CGCS2000, D_XIAN80, D_BJ54 } datum;

/* EPSG codes by datum, zone width and prefix (domain-facts §8, checked
 * with projinfo against PROJ 9.1.1): first code and first zone. */
static const struct {
	int epsg_prefixed, epsg_cm, zone0, zone1;
} epsg_base[3][2] = {
	/*               3-degree zones 25-45        6-degree zones 13-23 */
	[D_CGCS2000] = {{4513, 4534, 25, 45}, {4491, 4502, 13, 23}},
	[D_XIAN80] = {{2349, 2370, 25, 45}, {2327, 2338, 13, 23}},
	[D_BJ54] = {{2401, 2422, 25, 45}, {21413, 21453, 13, 23}},
};

static const char *header_get_any(const lg_jzd_header *h,
				  const char *const *keys)
{
	for (; *keys; keys++) {
		const char *v = lg_jzd_header_get(h, *keys);
		if (v)
			return v;
	}
	return NULL;
}

/* Zone width from "3", "3度带", "三度带", "6度分带"; 0 when none. */
static int zone_width(const char *s)
{
	if (!s)
		return 0;
	if (strstr(s, "三"))
		return 3;
	if (strstr(s, "六"))
		return 6;
	return atoi(s);
}

static lg_status resolve_crs(lg_ctx *ctx, const char *path,
			     const lg_jzd_header *h, int prefix,
			     const lg_read_opts *opts, lg_crs **crs,
			     char *how, size_t howlen)
{
	static const char *const width_keys[] = {"几度分带", "分带", "分带方式",
						 "分带类型", NULL};
	const char *sys, *zs, *ws;
	datum d = D_CGCS2000;
	int width, zone = 0, zone_hdr = 0, w, epsg;
	char from[96] = "";

	if (opts && opts->s_srs && *opts->s_srs) {
		snprintf(how, howlen, "--s-srs");
		return lg_crs_parse(ctx, opts->s_srs, "--s-srs", crs);
	}
	sys = lg_jzd_header_get(h, "坐标系");
	if (!sys || !*sys) {
		lg_ctx_warn(ctx, "'%s' names no 坐标系; taken as "
			    "2000国家大地坐标系 (give --s-srs if that is wrong)",
			    path);
	} else if (strstr(sys, "2000") || strstr(sys, "CGCS") ||
		   strstr(sys, "cgcs")) {
		d = D_CGCS2000;
	} else if (strstr(sys, "80") || strstr(sys, "西安")) {
		d = D_XIAN80;
	} else if (strstr(sys, "54") || strstr(sys, "北京")) {
		d = D_BJ54;
	} else {
		return lg_ctx_error(ctx, LG_NOCRS,
				    "'%s': 坐标系=%s is none of 2000国家大地坐标系, "
				    "1980西安坐标系, 1954北京坐标系; give --s-srs",
				    path, sys);
	}
	ws = header_get_any(h, width_keys);
	width = zone_width(ws);
	if (ws && *ws && width != 3 && width != 6)
		return lg_ctx_error(ctx, LG_NOCRS,
				    "'%s': 几度分带=%s is neither 3 nor 6; give --s-srs",
				    path, ws);
	zs = lg_jzd_header_get(h, "带号");
	if (zs && *zs) {
		char *end;
		zone_hdr = (int)strtol(zs, &end, 10);
		if (*end || zone_hdr <= 0)
			return lg_ctx_error(ctx, LG_NOCRS,
					    "'%s': 带号=%s is not a zone number; "
					    "correct the header or give --s-srs",
					    path, zs);
	}
	if (prefix) {
		zone = prefix;
		if (zone_hdr && zone_hdr != prefix)
			lg_ctx_warn(ctx, "'%s': header 带号=%d but the eastings "
				    "carry the zone prefix %d; used zone %d",
				    path, zone_hdr, prefix, prefix);
		if (zone_hdr)
			snprintf(from, sizeof from, "带号=%d", zone);
		else
			snprintf(from, sizeof from,
				 "zone %d from the easting prefix (带号 empty)", zone);
	} else if (zone_hdr) {
		zone = zone_hdr;
		/* Some writers give the central meridian (111) for the zone. */
		if (width != 6 && zone > 45 && zone % 3 == 0 &&
		    zone / 3 >= 25 && zone / 3 <= 45) {
			zone /= 3;
			lg_ctx_warn(ctx, "'%s': 带号=%d is a central meridian; "
				    "read as 3-degree zone %d", path, zone_hdr, zone);
		}
		snprintf(from, sizeof from, "带号=%d, eastings without prefix",
			 zone);
	} else {
		return lg_ctx_error(ctx, LG_NOCRS,
				    "'%s': the eastings carry no zone prefix and the "
				    "header gives no 带号, so the Gauss-Kruger zone is "
				    "unknown; give --s-srs (e.g. --s-srs EPSG:4546 for "
				    "CGCS2000 3-degree CM 111E)",
				    path);
	}
	/* 3-degree zones of China are 25-45 and 6-degree ones 13-23, so a
	 * missing 几度分带 follows from the zone. */
	if (!width)
		width = zone >= 25 && zone <= 45 ? 3 : 6;
	w = width == 3 ? 0 : 1;
	if (zone < epsg_base[d][w].zone0 || zone > epsg_base[d][w].zone1)
		return lg_ctx_error(ctx, LG_NOCRS,
				    "'%s': zone %d is not a %d-degree zone of China "
				    "(%d-%d); correct 带号/几度分带 or give --s-srs",
				    path, zone, width, epsg_base[d][w].zone0,
				    epsg_base[d][w].zone1);
	epsg = (prefix ? epsg_base[d][w].epsg_prefixed : epsg_base[d][w].epsg_cm) +
	       zone - epsg_base[d][w].zone0;
	snprintf(how, howlen, "declared: 坐标系=%s, %d-degree zones, %s (EPSG:%d)",
		 sys && *sys ? sys : "(none, CGCS2000 assumed)", width, from, epsg);
	if (d == D_CGCS2000 && width == 3)
		return lg_crs_cgcs2000_gk3(ctx, zone, prefix != 0, crs);
	{
		char def[32];
		snprintf(def, sizeof def, "EPSG:%d", epsg);
		return lg_crs_parse(ctx, def, "界址点 TXT header", crs);
	}
}

/* ------------------------------------------------------------------ */
/* Areas                                                                */

/* Twice the signed area of a closed ring of n interleaved x,y values,
 * taken relative to (ox, oy): products of 8-digit eastings and 7-digit
 * northings are ~1e14 and keep only centimetres, the shifted ones keep
 * micrometres. */
static double ring_area2(const double *xy, size_t n, double ox, double oy)
{
	double s = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		double x0 = xy[2 * i] - ox, y0 = xy[2 * i + 1] - oy;
		double x1 = xy[2 * i + 2] - ox, y1 = xy[2 * i + 3] - oy;
		s += x0 * y1 - x1 * y0;
	}
	return s;
}

static lg_status ring_xy(lg_ctx *ctx, const GEOSGeometry *ring, double **xy,
			 unsigned int *n)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(ctx->geos, ring);
	*xy = NULL;
	*n = 0;
	if (!cs || !GEOSCoordSeq_getSize_r(ctx->geos, cs, n))
		return lg_ctx_error(ctx, LG_INTERNAL, "GEOS: %s", ctx->geos_msg);
	*xy = lg__malloc(ctx, 2 * sizeof(double) * (*n ? *n : 1));
	if (!*xy)
		return LG_NOMEM;
	if (*n && !GEOSCoordSeq_copyToBuffer_r(ctx->geos, cs, *xy, 0, 0)) {
		free(*xy);
		*xy = NULL;
		return lg_ctx_error(ctx, LG_INTERNAL, "GEOS: %s", ctx->geos_msg);
	}
	return LG_OK;
}

/* First vertex of a polygonal geometry: the local origin for areas. */
static bool first_xy(lg_ctx *ctx, const GEOSGeometry *g, double *x, double *y)
{
	int t = GEOSGeomTypeId_r(ctx->geos, g);
	if (t == GEOS_POLYGON) {
		const GEOSGeometry *r = GEOSGetExteriorRing_r(ctx->geos, g);
		const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(ctx->geos, r);
		unsigned int n = 0;
		return cs && GEOSCoordSeq_getSize_r(ctx->geos, cs, &n) && n &&
		       GEOSCoordSeq_getXY_r(ctx->geos, cs, 0, x, y);
	}
	if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
		int k = GEOSGetNumGeometries_r(ctx->geos, g);
		for (int i = 0; i < k; i++)
			if (first_xy(ctx, GEOSGetGeometryN_r(ctx->geos, g, i), x, y))
				return true;
	}
	return false;
}

/* Planar area in m² of the polygons in g (holes subtracted), relative
 * to (ox, oy). */
static lg_status area_rel(lg_ctx *ctx, const GEOSGeometry *g, double ox,
			  double oy, double *area_m2)
{
	int t = GEOSGeomTypeId_r(ctx->geos, g);
	lg_status st = LG_OK;
	*area_m2 = 0;
	if (t == GEOS_POLYGON) {
		int nh = GEOSGetNumInteriorRings_r(ctx->geos, g);
		for (int i = -1; i < nh && !st; i++) {
			const GEOSGeometry *r =
				i < 0 ? GEOSGetExteriorRing_r(ctx->geos, g)
				      : GEOSGetInteriorRingN_r(ctx->geos, g, i);
			double *xy;
			unsigned int n;
			st = ring_xy(ctx, r, &xy, &n);
			if (!st) {
				double a = fabs(ring_area2(xy, n, ox, oy)) / 2;
				*area_m2 += i < 0 ? a : -a;
				free(xy);
			}
		}
	} else if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
		int k = GEOSGetNumGeometries_r(ctx->geos, g);
		for (int i = 0; i < k && !st; i++) {
			double a;
			st = area_rel(ctx, GEOSGetGeometryN_r(ctx->geos, g, i), ox,
				      oy, &a);
			*area_m2 += a;
		}
	}
	return st;
}

static lg_status geom_area_m2(lg_ctx *ctx, const GEOSGeometry *g,
			      double *area_m2)
{
	double ox, oy;
	*area_m2 = 0;
	if (!first_xy(ctx, g, &ox, &oy))
		return LG_OK;
	return area_rel(ctx, g, ox, oy, area_m2);
}

/* ------------------------------------------------------------------ */
/* Rings -> polygons                                                    */

typedef struct jring {
	size_t off, n;	 /* points in the parcel's xy buffer, closed */
	size_t lineno;	 /* line of its first point */
	long quan;
	double area_m2;	 /* unsigned */
	int depth;
	long parent;	 /* smallest container, -1 = none */
} jring;

typedef struct jparcel {
	double *xy; /* interleaved easting, northing */
	size_t npt, cappt;
	jring *r;
	size_t nr, capr;
	size_t ndup;
} jparcel;

static lg_status add_pt(lg_ctx *ctx, jparcel *p, double x, double y)
{
	if (lg__grow(ctx, (void **)&p->xy, &p->cappt, 2 * (p->npt + 1),
		     sizeof *p->xy))
		return LG_NOMEM;
	p->xy[2 * p->npt] = x;
	p->xy[2 * p->npt + 1] = y;
	p->npt++;
	return LG_OK;
}

static GEOSGeometry *mk_ring(lg_ctx *ctx, const jparcel *p, const jring *r)
{
	GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(
		ctx->geos, p->xy + 2 * r->off, (unsigned int)r->n, 0, 0);
	return cs ? GEOSGeom_createLinearRing_r(ctx->geos, cs) : NULL;
}

/* Depth of each ring = how many other rings contain it.  Even depth is a
 * shell (an island inside a hole has depth 2), odd depth a hole of its
 * smallest container.  Ring numbers (圈号) cannot tell: holes and
 * separate parts are numbered alike, and one writer numbers parts 101,
 * 201 (domain-facts §6). */
static lg_status nest_rings(lg_ctx *ctx, jparcel *p)
{
	GEOSGeometry **poly = NULL;
	const GEOSPreparedGeometry **prep = NULL;
	lg_status st = LG_OK;
	for (size_t i = 0; i < p->nr; i++) {
		p->r[i].depth = 0;
		p->r[i].parent = -1;
	}
	if (p->nr < 2)
		return LG_OK;
	poly = lg__calloc(ctx, p->nr, sizeof *poly);
	prep = lg__calloc(ctx, p->nr, sizeof *prep);
	if (!poly || !prep) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < p->nr; i++) {
		GEOSGeometry *ring = mk_ring(ctx, p, &p->r[i]);
		poly[i] = ring ? GEOSGeom_createPolygon_r(ctx->geos, ring, NULL, 0)
			       : NULL;
		prep[i] = poly[i] ? GEOSPrepare_r(ctx->geos, poly[i]) : NULL;
		if (!prep[i]) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "GEOS: %s",
					  ctx->geos_msg);
			goto done;
		}
	}
	for (size_t i = 0; i < p->nr; i++) {
		for (size_t j = 0; j < p->nr; j++) {
			jring *ri = &p->r[i], *rj = &p->r[j];
			/* Only a larger ring can hold another; of two equal
			 * rings the later counts as inside the earlier. */
			if (j == i || rj->area_m2 < ri->area_m2 ||
			    (rj->area_m2 == ri->area_m2 && j > i))
				continue;
			/* 2 = GEOS exception (self-crossing ring): not
			 * contained; validation repairs the result. */
			if (GEOSPreparedContains_r(ctx->geos, prep[j], poly[i]) != 1)
				continue;
			ri->depth++;
			if (ri->parent < 0 || rj->area_m2 < p->r[ri->parent].area_m2)
				ri->parent = (long)j;
		}
	}
done:
	for (size_t i = 0; prep && i < p->nr; i++)
		if (prep[i])
			GEOSPreparedGeom_destroy_r(ctx->geos, prep[i]);
	for (size_t i = 0; poly && i < p->nr; i++)
		if (poly[i])
			GEOSGeom_destroy_r(ctx->geos, poly[i]);
	free(prep);
	free(poly);
	return st;
}

static bool is_hole(const jparcel *p, size_t i)
{
	const jring *r = &p->r[i];
	return r->depth % 2 == 1 && r->parent >= 0 &&
	       p->r[r->parent].depth % 2 == 0;
}

/* Polygon for one shell, MultiPolygon for several, in file order. */
static lg_status build_geom(lg_ctx *ctx, jparcel *p, GEOSGeometry **out)
{
	GEOSGeometry **parts = NULL, **holes = NULL;
	size_t nparts = 0;
	lg_status st = LG_OK;
	*out = NULL;
	parts = lg__calloc(ctx, p->nr, sizeof *parts);
	holes = lg__calloc(ctx, p->nr, sizeof *holes);
	if (!parts || !holes) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t s = 0; s < p->nr; s++) {
		GEOSGeometry *shell;
		unsigned int nh = 0;
		if (is_hole(p, s))
			continue;
		shell = mk_ring(ctx, p, &p->r[s]);
		if (!shell)
			goto geos_fail;
		for (size_t i = 0; i < p->nr; i++) {
			if (!is_hole(p, i) || (size_t)p->r[i].parent != s)
				continue;
			holes[nh] = mk_ring(ctx, p, &p->r[i]);
			if (!holes[nh]) {
				GEOSGeom_destroy_r(ctx->geos, shell);
				for (unsigned int k = 0; k < nh; k++)
					GEOSGeom_destroy_r(ctx->geos, holes[k]);
				goto geos_fail;
			}
			nh++;
		}
		parts[nparts] = GEOSGeom_createPolygon_r(ctx->geos, shell, holes, nh);
		if (!parts[nparts])
			goto geos_fail;
		nparts++;
	}
	if (nparts == 1) {
		*out = parts[0];
	} else {
		*out = GEOSGeom_createCollection_r(ctx->geos, GEOS_MULTIPOLYGON,
						   parts, (unsigned int)nparts);
		if (!*out)
			goto geos_fail;
	}
	nparts = 0; /* owned by *out now */
	goto done;
geos_fail:
	st = lg_ctx_error(ctx, LG_INTERNAL, "GEOS cannot build a polygon: %s",
			  ctx->geos_msg);
done:
	for (size_t i = 0; parts && i < nparts; i++)
		GEOSGeom_destroy_r(ctx->geos, parts[i]);
	free(parts);
	free(holes);
	return st;
}

/* ------------------------------------------------------------------ */
/* Reader                                                               */

typedef struct rdr {
	lg_ctx *ctx;
	const char *path;
	const lg_read_opts *opts;
	coords c;
	bool swap; /* X and Y columns hold easting and northing */
	lg_layer *l;
	size_t nextra;
	int f_ha;
	jparcel p;
} rdr;

static const char *plabel(char *buf, size_t n, size_t k, const char *bh)
{
	if (bh && *bh)
		snprintf(buf, n, "parcel %zu (地块编号 %s)", k, bh);
	else
		snprintf(buf, n, "parcel %zu", k);
	return buf;
}

/* Ends the open ring: closes it when the file did not, and refuses rings
 * that cannot bound an area. */
static lg_status finish_ring(rdr *R, bool closed, const char *label)
{
	jparcel *p = &R->p;
	jring *r = &p->r[p->nr - 1];
	size_t distinct = r->n;
	lg_status st;
	if (distinct < 3)
		return lg_ctx_error(R->ctx, LG_INPUT,
				    "'%s' line %zu, %s: ring %ld has only %zu distinct "
				    "point%s; a ring needs at least 3, correct the file",
				    R->path, r->lineno, label, r->quan, distinct,
				    distinct == 1 ? "" : "s");
	if (!closed)
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: ring %ld does not end at "
			    "its first point; closed it",
			    R->path, r->lineno, label, r->quan);
	st = add_pt(R->ctx, p, p->xy[2 * r->off], p->xy[2 * r->off + 1]);
	if (st)
		return st;
	r->n++;
	r->area_m2 = fabs(ring_area2(p->xy + 2 * r->off, r->n, p->xy[0],
				     p->xy[1])) / 2;
	return LG_OK;
}

/* Groups the points of one parcel into rings.  A ring ends where 圈号
 * changes or where its first point comes back; the numbering of points
 * may run on across rings (J1..J14,J1,J15..J18,J15). */
static lg_status collect_rings(rdr *R, size_t from, size_t to,
			       const char *label)
{
	jparcel *p = &R->p;
	bool open = false, just_closed = false;
	lg_status st;
	p->npt = p->nr = p->ndup = 0;
	for (size_t i = from; i < to; i++) {
		const cline *cl = &R->c.cl[i];
		double x = R->swap ? cl->x : cl->y, y = R->swap ? cl->y : cl->x;
		jring *r;
		if (open && cl->quan != p->r[p->nr - 1].quan) {
			st = finish_ring(R, false, label);
			if (st)
				return st;
			open = false;
		}
		/* A closing point written twice (…,J1,J1) is not a new ring. */
		if (just_closed && cl->quan == p->r[p->nr - 1].quan &&
		    hypot(x - p->xy[2 * (p->npt - 1)],
			  y - p->xy[2 * (p->npt - 1) + 1]) < NEAR_DUP_M) {
			p->ndup++;
			continue;
		}
		just_closed = false;
		if (!open) {
			if (lg__grow(R->ctx, (void **)&p->r, &p->capr, p->nr + 1,
				     sizeof *p->r))
				return LG_NOMEM;
			r = &p->r[p->nr++];
			memset(r, 0, sizeof *r);
			r->off = p->npt;
			r->lineno = cl->lineno;
			r->quan = cl->quan;
			open = true;
		}
		r = &p->r[p->nr - 1];
		if (r->n >= 2 && hypot(x - p->xy[2 * r->off],
				       y - p->xy[2 * r->off + 1]) < NEAR_DUP_M) {
			st = finish_ring(R, true, label);
			if (st)
				return st;
			open = false;
			just_closed = true;
			continue;
		}
		if (r->n >= 1 && hypot(x - p->xy[2 * (p->npt - 1)],
				       y - p->xy[2 * (p->npt - 1) + 1]) < NEAR_DUP_M) {
			p->ndup++;
			continue;
		}
		st = add_pt(R->ctx, p, x, y);
		if (st)
			return st;
		r->n++;
	}
	if (open)
		return finish_ring(R, false, label);
	if (!p->nr)
		return lg_ctx_error(R->ctx, LG_INPUT,
				    "'%s' line %zu, %s has no points; remove the "
				    "parcel line or add its points",
				    R->path, R->c.cl[from - 1].lineno, label);
	return LG_OK;
}

static lg_status set_attrs(rdr *R, lg_feature *f, const cline *pl,
			   size_t k, char *label, size_t labellen)
{
	lg_layer *l = R->l;
	char **tok = R->c.tok + pl->tok0;
	char held[128] = "";
	lg_status st;
	if (pl->ntok < F_NBASE)
		lg_ctx_warn(R->ctx, "'%s' line %zu: parcel line has %zu fields "
			    "before '@', expected 8; the missing ones are empty",
			    R->path, pl->lineno, pl->ntok);
	for (size_t j = 0; j < pl->ntok && j < F_NBASE + R->nextra; j++) {
		const char *v = tok[j];
		if (!*v)
			continue;
		if (j < F_NBASE && lg__strieq(v, placeholder[j])) {
			size_t hl = strlen(held);
			snprintf(held + hl, sizeof held - hl, "%s%s", hl ? ", " : "", v);
			continue;
		}
		if (j == F_JZDS || j == F_MJ) {
			char *end;
			double d = strtod(v, &end);
			if (*end || !isfinite(d)) {
				lg_ctx_warn(R->ctx, "'%s' line %zu column %zu (%s) of "
					    "parcel %zu: '%s' is not a number; left empty",
					    R->path, pl->lineno, j + 1, base_name[j], k, v);
				continue;
			}
			if (j == F_JZDS)
				lg_feature_set_int(l, f, j, (int64_t)llround(d));
			else
				lg_feature_set_real(l, f, j, d);
			continue;
		}
		st = lg_feature_set_str(R->ctx, l, f, j, v);
		if (st)
			return st;
	}
	plabel(label, labellen, k, f->vals[F_BH].null ? NULL : f->vals[F_BH].u.s);
	if (held[0])
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: values %s are field-name "
			    "placeholders, not data; read as empty",
			    R->path, pl->lineno, label, held);
	return LG_OK;
}

/* §0 trap 5: the instruction says 公顷 but writers put m² (windr07) or
 * 亩; say which unit the written figure matches. */
static void check_area(rdr *R, const lg_feature *f, const cline *pl,
		       const char *label, double area_m2)
{
	double w, ha = area_m2 / 10000.0, mu = lg_m2_to_mu(area_m2);
	if (f->vals[F_MJ].null || area_m2 <= 0)
		return;
	w = f->vals[F_MJ].u.d;
	/* Written with 4 decimals, tiny parcels round by up to 0.00005 ha. */
	if (fabs(w - ha) <= fmax(AREA_TOL * ha, 0.00005))
		return;
	if (fabs(w - area_m2) <= AREA_TOL * area_m2)
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: 地块面积 %g is the area in "
			    "m² (computed %.2f m² = %.4f 公顷), not in 公顷 as the "
			    "ministry format requires; 面积_公顷 holds the computed area",
			    R->path, pl->lineno, label, w, area_m2, ha);
	else if (fabs(w - mu) <= AREA_TOL * mu)
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: 地块面积 %g is the area in "
			    "亩 (computed %.4f 亩 = %.4f 公顷), not in 公顷; "
			    "面积_公顷 holds the computed area",
			    R->path, pl->lineno, label, w, mu, ha);
	else
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: 地块面积 %g differs from "
			    "the area of its points, %.4f 公顷 (%.2f m²); "
			    "面积_公顷 holds the computed area",
			    R->path, pl->lineno, label, w, ha, area_m2);
}

/* Keeps the geometry valid: parts that overlap or rings that cross make
 * an invalid polygon, which later overlays would reject or miscount. */
static lg_status validate(rdr *R, GEOSGeometry **g, const cline *pl,
			  const char *label)
{
	GEOSMakeValidParams *mp;
	GEOSGeometry *fixed;
	char *why;
	char reason[256];
	int v = GEOSisValid_r(R->ctx->geos, *g);
	if (v == 1)
		return LG_OK;
	why = GEOSisValidReason_r(R->ctx->geos, *g);
	snprintf(reason, sizeof reason, "%.200s", why ? why : R->ctx->geos_msg);
	if (why)
		GEOSFree_r(R->ctx->geos, why);
	if (R->opts && R->opts->no_repair) {
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: invalid polygon (%s); "
			    "kept as it is (--no-repair)",
			    R->path, pl->lineno, label, reason);
		return LG_OK;
	}
	/* The "structure" method keeps polygons polygonal (overlapping parts
	 * are merged, holes stay holes) where "linework" may leave lines. */
	mp = GEOSMakeValidParams_create_r(R->ctx->geos);
	if (!mp)
		return lg_ctx_error(R->ctx, LG_NOMEM, "out of memory in GEOS");
	GEOSMakeValidParams_setMethod_r(R->ctx->geos, mp, GEOS_MAKE_VALID_STRUCTURE);
	GEOSMakeValidParams_setKeepCollapsed_r(R->ctx->geos, mp, 0);
	fixed = GEOSMakeValidWithParams_r(R->ctx->geos, *g, mp);
	GEOSMakeValidParams_destroy_r(R->ctx->geos, mp);
	if (!fixed)
		return lg_ctx_error(R->ctx, LG_GEOM,
				    "'%s' line %zu, %s: invalid polygon (%s) that "
				    "GEOS cannot repair (%s); correct the points",
				    R->path, pl->lineno, label, reason,
				    R->ctx->geos_msg);
	lg_ctx_warn(R->ctx, "'%s' line %zu, %s: invalid polygon (%s); repaired",
		    R->path, pl->lineno, label, reason);
	GEOSGeom_destroy_r(R->ctx->geos, *g);
	*g = fixed;
	R->l->nrepaired++;
	return LG_OK;
}

static lg_status read_parcel(rdr *R, size_t pi, size_t k)
{
	const cline *pl = &R->c.cl[pi];
	size_t end = pi + 1, npts;
	lg_feature *f;
	GEOSGeometry *g = NULL;
	double area_m2 = 0;
	char label[160];
	lg_status st;
	while (end < R->c.n && !R->c.cl[end].parcel)
		end++;
	npts = end - pi - 1;
	st = lg_layer_add(R->ctx, R->l, &f);
	if (st)
		return st;
	st = set_attrs(R, f, pl, k, label, sizeof label);
	if (st)
		return st;
	/* Writers disagree on whether closing repeats count (§6): the next
	 * '…,@' line decides where a parcel ends, the count only warns. */
	if (!f->vals[F_JZDS].null && f->vals[F_JZDS].u.i != (int64_t)npts)
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: 界址点数 says %" PRId64
			    " but %zu point lines follow; read all %zu",
			    R->path, pl->lineno, label, f->vals[F_JZDS].u.i, npts,
			    npts);
	st = collect_rings(R, pi + 1, end, label);
	if (st)
		return st;
	if (R->p.ndup)
		lg_ctx_warn(R->ctx, "'%s' line %zu, %s: dropped %zu point%s less "
			    "than 1 mm from the previous one",
			    R->path, pl->lineno, label, R->p.ndup,
			    R->p.ndup == 1 ? "" : "s");
	st = nest_rings(R->ctx, &R->p);
	if (!st)
		st = build_geom(R->ctx, &R->p, &g);
	if (!st)
		st = validate(R, &g, pl, label);
	if (!st)
		st = geom_area_m2(R->ctx, g, &area_m2);
	if (st) {
		if (g)
			GEOSGeom_destroy_r(R->ctx->geos, g);
		return st;
	}
	lg_feature_set_geom(R->ctx, f, g);
	lg_feature_set_real(R->l, f, (size_t)R->f_ha, area_m2 / 10000.0);
	check_area(R, f, pl, label, area_m2);
	return LG_OK;
}

/* Finds the zone prefix shared by all eastings (0 = none) and whether
 * the columns are swapped (a converter option some tools offer). */
static lg_status scan_points(rdr *R, int *prefix)
{
	size_t npt = 0, nswap = 0;
	long pz = -1;
	size_t pline = 0;
	*prefix = 0;
	for (size_t i = 0; i < R->c.n; i++) {
		const cline *cl = &R->c.cl[i];
		if (cl->parcel)
			continue;
		npt++;
		if (fabs(cl->x) >= 1e7 && fabs(cl->y) < 1e7)
			nswap++;
	}
	R->swap = npt && nswap == npt;
	if (R->swap)
		lg_ctx_warn(R->ctx, "'%s': column X holds zone-prefixed eastings and "
			    "Y the northings (swapped against the format); read "
			    "them the other way round", R->path);
	for (size_t i = 0; i < R->c.n; i++) {
		const cline *cl = &R->c.cl[i];
		double e = R->swap ? cl->x : cl->y;
		long z;
		if (cl->parcel)
			continue;
		/* Eastings without prefix are 500 000 ± 400 000; with it,
		 * zone·10⁶ on top (3° zones 25-45, 6° zones 13-23). */
		z = e >= 1e7 ? (long)floor(e / 1e6) : 0;
		if (pz < 0) {
			pz = z;
			pline = cl->lineno;
		} else if (z != pz) {
			return lg_ctx_error(R->ctx, LG_INPUT,
					    "'%s': line %zu has zone prefix %ld but line "
					    "%zu has %ld; one file holds one zone, split it",
					    R->path, pline, pz, cl->lineno, z);
		}
	}
	*prefix = pz > 0 ? (int)pz : 0;
	return LG_OK;
}

static lg_status make_layer(rdr *R, const char *path)
{
	lg_field fields[F_NBASE + MAX_EXTRA + 1];
	char extra_names[MAX_EXTRA][32];
	const char *base = strrchr(path, '/');
	char name[256];
	size_t nf = 0;
	char *dot;
	lg_status st;
	R->nextra = R->c.maxfields > F_NBASE ? R->c.maxfields - F_NBASE : 0;
	if (R->nextra > MAX_EXTRA)
		return lg_ctx_error(R->ctx, LG_INPUT,
				    "'%s': a parcel line has %zu fields; at most %d "
				    "are supported", path, R->c.maxfields,
				    F_NBASE + MAX_EXTRA);
	for (int j = 0; j < F_NBASE; j++) {
		fields[nf].name = (char *)base_name[j];
		fields[nf].type = j == F_JZDS ? LG_FT_INT :
				  j == F_MJ ? LG_FT_REAL : LG_FT_STRING;
		fields[nf].width = 0;
		nf++;
	}
	/* 12-field local variants: no agreed meaning, so keep them as 扩展n
	 * (the writer puts them back in the same place). */
	for (size_t j = 0; j < R->nextra; j++) {
		snprintf(extra_names[j], sizeof extra_names[j], "扩展%zu", j + 1);
		fields[nf].name = extra_names[j];
		fields[nf].type = LG_FT_STRING;
		fields[nf].width = 0;
		nf++;
	}
	R->f_ha = (int)nf;
	fields[nf].name = "面积_公顷";
	fields[nf].type = LG_FT_REAL;
	fields[nf].width = 0;
	nf++;
	snprintf(name, sizeof name, "%s", base ? base + 1 : path);
	dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	st = lg_layer_create(R->ctx, name, fields, nf, &R->l);
	return st;
}

static lg_status apply_roles(rdr *R)
{
	lg_layer *l = R->l;
	l->role[LG_ROLE_ID] = F_BH;
	l->role[LG_ROLE_NAME] = F_MC;
	l->role[LG_ROLE_CODE] = F_DLBM;
	for (int r = 0; R->opts && r < LG_ROLE__COUNT; r++) {
		const char *want = R->opts->role_field[r];
		int j;
		if (!want)
			continue;
		j = lg_layer_field(l, want);
		if (j < 0)
			return lg_ctx_error(R->ctx, LG_FIELD,
					    "'%s' has no field '%s' for the %s role; "
					    "界址点 TXT fields are 地块编号, 地块名称, "
					    "地类编码, 地块用途 ...",
					    R->path, want, lg_role_name((lg_role)r));
		l->role[r] = j;
	}
	return LG_OK;
}

lg_status lg_jzd_read(lg_ctx *ctx, const char *path, const lg_read_opts *opts,
		      lg_layer **out)
{
	rdr R;
	jtext t;
	lg_jzd_header h = {0, NULL};
	size_t coord0 = 0, k = 0;
	int prefix = 0;
	char how[512];
	bool multi = false;
	lg_status st;

	*out = NULL;
	memset(&R, 0, sizeof R);
	R.ctx = ctx;
	R.path = path;
	R.opts = opts;
	st = load_text(ctx, path, opts, &t);
	if (st)
		goto done;
	st = parse_header(ctx, path, &t, &h, &coord0);
	if (st)
		goto done;
	{
		const char *unit = lg_jzd_header_get(&h, "计量单位");
		if (unit && *unit && strcmp(unit, "米") && !lg__strieq(unit, "m"))
			lg_ctx_warn(ctx, "'%s': 计量单位=%s; coordinates read as "
				    "metres all the same", path, unit);
	}
	st = parse_coords(ctx, path, &t, coord0, &R.c);
	if (!st)
		st = scan_points(&R, &prefix);
	if (!st)
		st = make_layer(&R, path);
	if (st)
		goto done;
	st = resolve_crs(ctx, path, &h, prefix, opts, &R.l->crs, how, sizeof how);
	if (st)
		goto done;
	for (size_t i = 0; i < R.c.n; i++) {
		if (!R.c.cl[i].parcel)
			continue;
		st = read_parcel(&R, i, ++k);
		if (st)
			goto done;
		lg_ctx_progress(ctx, "read 界址点 TXT", (double)k,
				(double)R.c.nparcels);
	}
	for (size_t i = 0; i < R.l->n; i++)
		if (GEOSGeomTypeId_r(ctx->geos, R.l->feat[i].geom) != GEOS_POLYGON)
			multi = true;
	R.l->geom_type = multi ? 6 : 3; /* wkbMultiPolygon : wkbPolygon */
	st = apply_roles(&R);
	if (st)
		goto done;
	R.l->path = lg__strdup(ctx, path);
	R.l->driver = lg__strdup(ctx, "JZD-TXT");
	R.l->encoding = lg__strdup(ctx, t.enc);
	R.l->encoding_how = lg__strdup(ctx, t.how);
	R.l->crs_how = lg__strdup(ctx, how);
	if (!R.l->path || !R.l->driver || !R.l->encoding ||
	    !R.l->encoding_how || !R.l->crs_how) {
		st = LG_NOMEM;
		goto done;
	}
	lg_layer_update_extent(ctx, R.l);
	*out = R.l;
	R.l = NULL;
done:
	lg_layer_destroy(ctx, R.l);
	free(R.p.xy);
	free(R.p.r);
	coords_release(&R.c);
	header_release(&h);
	jtext_release(&t);
	return st;
}

/* ------------------------------------------------------------------ */
/* Sniffing                                                             */

bool lg_jzd_sniff(const char *path)
{
	/* Section names in UTF-8 and in GBK bytes. */
	static const char *const marks[] = {
		"[属性描述]", "[地块坐标]", "[项目信息]",
		"[\xca\xf4\xd0\xd4\xc3\xe8\xca\xf6]",
		"[\xb5\xd8\xbf\xe9\xd7\xf8\xb1\xea]",
		"[\xcf\xee\xc4\xbf\xd0\xc5\xcf\xa2]",
	};
	char buf[8193];
	size_t n;
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* memmem, not strstr: a UTF-16 file or stray NUL must not stop it. */
	for (size_t i = 0; i < LG_ARRAY_LEN(marks); i++)
		if (memmem(buf, n, marks[i], strlen(marks[i])))
			return true;
	return false;
}

/* ------------------------------------------------------------------ */
/* Writer                                                               */

typedef struct wtr {
	lg_ctx *ctx;
	const lg_layer *l;
	const char *enc; /* NULL = UTF-8 */
	lg_buf out;
	lg_buf line;
	int prec;
	bool sanitized;
} wtr;

/* Appends `line` in the output encoding, with CRLF (§6). */
static lg_status emit(wtr *W, const char *line, const char *what)
{
	char *conv = NULL;
	const char *s = line;
	int rc;
	if (W->enc) {
		conv = lg_from_utf8(line, W->enc);
		if (!conv)
			return lg_ctx_error(W->ctx, LG_INPUT,
					    "%s holds a character that %s cannot "
					    "encode ('%.80s'); write with --encoding UTF-8",
					    what, W->enc, line);
		s = conv;
	}
	rc = lg_buf_puts(&W->out, s) || lg_buf_add(&W->out, "\r\n", 2);
	free(conv);
	return rc ? lg_ctx_error(W->ctx, LG_NOMEM, "out of memory writing '%s'",
				 W->l->name)
		  : LG_OK;
}

/* Field text with the characters that would break the line replaced:
 * ',' splits fields (a full-width '，' keeps the meaning) and line breaks
 * split records. */
static int put_field(wtr *W, const char *s)
{
	for (; *s; s++) {
		int rc;
		if (*s == ',') {
			rc = lg_buf_puts(&W->line, "，");
			W->sanitized = true;
		} else if (*s == '\r' || *s == '\n') {
			rc = lg_buf_add(&W->line, " ", 1);
			W->sanitized = true;
		} else {
			rc = lg_buf_add(&W->line, s, 1);
		}
		if (rc)
			return rc;
	}
	return 0;
}

/* Polygons of g in order (Polygon, MultiPolygon, or polygons inside a
 * GeometryCollection); LG_INPUT for anything else. */
static lg_status list_polys(wtr *W, const GEOSGeometry *g,
			    const GEOSGeometry ***polys, size_t *n, size_t *cap,
			    const char *fid)
{
	int t = GEOSGeomTypeId_r(W->ctx->geos, g);
	if (t == GEOS_POLYGON) {
		if (GEOSisEmpty_r(W->ctx->geos, g))
			return LG_OK;
		if (lg__grow(W->ctx, (void **)polys, cap, *n + 1, sizeof **polys))
			return LG_NOMEM;
		(*polys)[(*n)++] = g;
		return LG_OK;
	}
	if (t == GEOS_MULTIPOLYGON || t == GEOS_GEOMETRYCOLLECTION) {
		int k = GEOSGetNumGeometries_r(W->ctx->geos, g);
		for (int i = 0; i < k; i++) {
			lg_status st = list_polys(W, GEOSGetGeometryN_r(W->ctx->geos, g, i),
						  polys, n, cap, fid);
			if (st)
				return st;
		}
		return LG_OK;
	}
	{
		char *type = GEOSGeomType_r(W->ctx->geos, g);
		lg_status st = lg_ctx_error(W->ctx, LG_INPUT,
					    "'%s' feature %s is a %s; a 界址点 TXT "
					    "holds polygons only",
					    W->l->name, fid, type ? type : "geometry");
		if (type)
			GEOSFree_r(W->ctx->geos, type);
		return st;
	}
}

static lg_status write_ring(wtr *W, const GEOSGeometry *ring, int quan,
			    size_t *jn, const char *what)
{
	double *xy = NULL;
	unsigned int n;
	size_t first = *jn + 1;
	lg_status st = ring_xy(W->ctx, ring, &xy, &n);
	if (st)
		return st;
	for (unsigned int i = 0; i < n && !st; i++) {
		char buf[160];
		/* A ring ends by repeating its first point under its name;
		 * points are named J1.. running on through the parcel. */
		size_t name = i + 1 == n ? first : ++*jn;
		snprintf(buf, sizeof buf, "J%zu,%d,%.*f,%.*f", name, quan, W->prec,
			 xy[2 * i + 1], W->prec, xy[2 * i]);
		st = emit(W, buf, what);
	}
	free(xy);
	return st;
}

static lg_status write_feature(wtr *W, const lg_feature *f,
			       const GEOSGeometry *g, const int *fi,
			       size_t nextra)
{
	const GEOSGeometry **polys = NULL;
	size_t np = 0, cap = 0, npts = 0, jn = 0;
	char what[160], num[64], fid[64];
	double area_m2 = 0;
	int quan = 0;
	lg_status st;

	snprintf(fid, sizeof fid, "%s", lg_feature_id(W->l, f));
	snprintf(what, sizeof what, "'%s' feature %s", W->l->name, fid);
	st = list_polys(W, g, &polys, &np, &cap, fid);
	if (st)
		goto done;
	for (size_t i = 0; i < np; i++) {
		int nh = GEOSGetNumInteriorRings_r(W->ctx->geos, polys[i]);
		for (int r = -1; r < nh; r++) {
			const GEOSGeometry *ring =
				r < 0 ? GEOSGetExteriorRing_r(W->ctx->geos, polys[i])
				      : GEOSGetInteriorRingN_r(W->ctx->geos, polys[i], r);
			int pn = GEOSGeomGetNumPoints_r(W->ctx->geos, ring);
			npts += pn > 0 ? (size_t)pn : 0;
		}
	}
	st = geom_area_m2(W->ctx, g, &area_m2);
	if (st)
		goto done;

	/* 界址点数,地块面积(公顷),地块编号,地块名称,记录图形属性,图幅号,地块用途,地类编码[,扩展..],@ */
	W->line.len = 0;
	snprintf(num, sizeof num, "%zu,%.4f,", npts, area_m2 / 10000.0);
	if (lg_buf_puts(&W->line, num))
		goto oom;
	for (int j = F_BH; j < F_NBASE + (int)nextra; j++) {
		const char *v = fi[j] >= 0 ? lg_feature_text(W->l, f, fi[j]) : "";
		if (j == F_BH && fi[j] < 0)
			v = fid;
		if (j == F_TXSX && !*v)
			v = "面";
		if (put_field(W, v) || lg_buf_add(&W->line, ",", 1))
			goto oom;
	}
	if (lg_buf_add(&W->line, "@", 1))
		goto oom;
	st = emit(W, W->line.s, what);
	/* Ring numbers 1.. over the parcel: each shell, then its holes. */
	for (size_t i = 0; i < np && !st; i++) {
		int nh = GEOSGetNumInteriorRings_r(W->ctx->geos, polys[i]);
		for (int r = -1; r < nh && !st; r++) {
			const GEOSGeometry *ring =
				r < 0 ? GEOSGetExteriorRing_r(W->ctx->geos, polys[i])
				      : GEOSGetInteriorRingN_r(W->ctx->geos, polys[i], r);
			st = write_ring(W, ring, ++quan, &jn, what);
		}
	}
	goto done;
oom:
	st = lg_ctx_error(W->ctx, LG_NOMEM, "out of memory writing %s", what);
done:
	free(polys);
	return st;
}

/* The zone of a CGCS2000 3-degree GK CRS, 0 for any other CRS. */
static int gk3_zone(const lg_crs *crs)
{
	int e = lg_crs_epsg(crs);
	if (e >= 4513 && e <= 4533)
		return e - 4513 + 25;
	if (e >= 4534 && e <= 4554)
		return e - 4534 + 25;
	return 0;
}

static lg_status write_atomic(lg_ctx *ctx, const char *path, const char *data,
			      size_t n)
{
	/* The same hidden temporary name as every other output, so a run
	 * after a crash finds and removes it (lg__clean_stale_tmp). */
	char *tmp = lg__tmp_path(path);
	FILE *f = NULL;
	lg_status st = LG_OK;
	int e;
	if (!tmp)
		return lg_ctx_error(ctx, LG_NOMEM, "out of memory");
	f = fopen(tmp, "wb");
	if (!f)
		goto fail;
	if (fwrite(data, 1, n, f) != n || fflush(f) || fsync(fileno(f)))
		goto fail;
	e = fclose(f);
	f = NULL;
	if (e || rename(tmp, path))
		goto fail;
	goto done;
fail:
	e = errno;
	if (f)
		fclose(f);
	remove(tmp);
	st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, strerror(e));
done:
	free(tmp);
	return st;
}

lg_status lg_jzd_write(lg_ctx *ctx, const lg_layer *l, const char *path,
		       const lg_write_opts *opts)
{
	wtr W;
	lg_crs *target = NULL, *pref = NULL;
	const lg_crs *src;
	lg_transform *tr = NULL;
	GEOSGeometry *tg = NULL;
	int fi[F_NBASE + MAX_EXTRA];
	size_t nextra = 0, nskipped = 0;
	int zone;
	char buf[160];
	lg_status st;

	memset(&W, 0, sizeof W);
	W.ctx = ctx;
	W.l = l;
	lg_buf_init(&W.out);
	lg_buf_init(&W.line);
	W.prec = opts && opts->precision > 0 ? opts->precision : 3;
	if (W.prec > 9)
		W.prec = 9;
	W.enc = opts && opts->encoding ? opts->encoding : "GBK";
	if (lg__strieq(W.enc, "UTF-8") || lg__strieq(W.enc, "UTF8"))
		W.enc = NULL;

	if (!l->crs && !(opts && opts->t_srs)) {
		st = lg_ctx_error(ctx, LG_NOCRS,
				  "'%s' has no coordinate reference system; give "
				  "--s-srs for the input", l->path ? l->path : l->name);
		goto done;
	}
	src = l->crs;
	if (opts && opts->t_srs) {
		st = lg_crs_parse(ctx, opts->t_srs, "--t-srs", &target);
		if (st)
			goto done;
	}
	zone = gk3_zone(target ? target : src);
	if (!zone) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "a 界址点 TXT holds CGCS2000 3-degree Gauss-Kruger "
				  "coordinates, but '%s' is in %s; give --t-srs with the "
				  "zone holding the data (e.g. --t-srs EPSG:4525 for "
				  "zone 37)",
				  l->path ? l->path : l->name,
				  lg_crs_name(target ? target : src));
		goto done;
	}
	if (!src) {
		st = lg_ctx_error(ctx, LG_NOCRS,
				  "'%s' has no coordinate reference system to "
				  "transform from; give --s-srs",
				  l->path ? l->path : l->name);
		goto done;
	}
	/* The format wants the zone prefix on Y even when the layer is in
	 * the CM (no prefix) variant of the zone. */
	st = lg_crs_cgcs2000_gk3(ctx, zone, true, &pref);
	if (!st)
		st = lg_transform_create(ctx, src, pref, &tr);
	if (st)
		goto done;

	for (int j = 0; j < F_NBASE; j++)
		fi[j] = lg_layer_field(l, base_name[j]);
	if (fi[F_BH] < 0)
		fi[F_BH] = l->role[LG_ROLE_ID];
	if (fi[F_MC] < 0)
		fi[F_MC] = l->role[LG_ROLE_NAME];
	if (fi[F_DLBM] < 0)
		fi[F_DLBM] = l->role[LG_ROLE_CODE];
	for (; nextra < MAX_EXTRA; nextra++) {
		char name[32];
		snprintf(name, sizeof name, "扩展%zu", nextra + 1);
		fi[F_NBASE + nextra] = lg_layer_field(l, name);
		if (fi[F_NBASE + nextra] < 0)
			break;
	}

	{
		char prec[16] = "0.";
		for (int i = 1; i < W.prec; i++)
			strcat(prec, "0");
		strcat(prec, "1");
		static const char *const fixed[] = {
			"[属性描述]", "格式版本号=1.01版本",
			"坐标系=2000国家大地坐标系", "几度分带=3",
			"投影类型=高斯克吕格", "计量单位=米",
		};
		for (size_t i = 0; i < LG_ARRAY_LEN(fixed) && !st; i++)
			st = emit(&W, fixed[i], "the header");
		snprintf(buf, sizeof buf, "带号=%d", zone);
		if (!st)
			st = emit(&W, buf, "the header");
		snprintf(buf, sizeof buf, "精度=%s", prec);
		if (!st)
			st = emit(&W, buf, "the header");
		if (!st)
			st = emit(&W, "转换参数=,,,,,,", "the header");
		if (!st)
			st = emit(&W, "[地块坐标]", "the header");
		if (st)
			goto done;
	}

	for (size_t i = 0; i < l->n; i++) {
		const lg_feature *f = &l->feat[i];
		if (!f->geom || GEOSisEmpty_r(ctx->geos, f->geom)) {
			nskipped++;
			continue;
		}
		st = lg_transform_geom(ctx, tr, f->geom, &tg);
		if (st) {
			st = lg_ctx_error(ctx, st,
					  "'%s' feature %s cannot be transformed to %s; "
					  "check its coordinates and CRS",
					  l->path ? l->path : l->name,
					  lg_feature_id(l, f), lg_crs_name(pref));
			goto done;
		}
		st = write_feature(&W, f, tg, fi, nextra);
		GEOSGeom_destroy_r(ctx->geos, tg);
		tg = NULL;
		if (st)
			goto done;
		lg_ctx_progress(ctx, "write 界址点 TXT", (double)(i + 1),
				(double)l->n);
	}
	if (nskipped)
		lg_ctx_warn(ctx, "'%s': %zu feature%s without geometry not written "
			    "to '%s'", l->name, nskipped, nskipped == 1 ? "" : "s",
			    path);
	if (W.sanitized)
		lg_ctx_warn(ctx, "'%s': commas or line breaks in attribute text "
			    "written as '，' or spaces in '%s' (they would split "
			    "the fields)", l->name, path);
	st = write_atomic(ctx, path, W.out.s ? W.out.s : "", W.out.len);
done:
	if (tg)
		GEOSGeom_destroy_r(ctx->geos, tg);
	lg_transform_destroy(tr);
	lg_crs_destroy(pref);
	lg_crs_destroy(target);
	lg_buf_release(&W.out);
	lg_buf_release(&W.line);
	return st;
}
