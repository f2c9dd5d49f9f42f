/* landguard info: what a file really holds (format, CRS, encoding, roles,
 * land-use codes), told truthfully even for files that lie. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <ogr_core.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line = "landguard info INPUT [--json] [--s-srs SRS] [--encoding ENC]";
static const char *description =
	"Describes one layer: driver, layer name, feature count, geometry type, extent,\n"
	"CRS (declared, or guessed and how), attribute encoding (and how it was decided),\n"
	"fields with their detected roles, and the land-use code system of the code field\n"
	"with how many codes no table recognises.";
static const char *examples =
	"  landguard info datasets/demo/xinjiang/plan.gpkg\n"
	"  landguard info dltb_gbk.shp --json          # GBK shapefile without .prj\n"
	"  landguard info water.gpkg#mgmt_area\n"
	"  landguard info 界址点.txt                     # 界址点坐标 exchange file\n";

static const cli_opt opts[] = {
	{"landuse-table", 0, "CSV", "user land-use table that overrides or adds codes"},
	{NULL, 0, NULL, NULL},
};

struct info_opts {
	const char *landuse_table;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct info_opts *io = ud;
	if (!strcmp(name, "landuse-table"))
		io->landuse_table = arg;
	return 0;
}

static const char *gtype_name(int t)
{
	switch (t) {
	case wkbNone: return "None";
	case wkbPoint: return "Point";
	case wkbLineString: return "LineString";
	case wkbPolygon: return "Polygon";
	case wkbMultiPoint: return "MultiPoint";
	case wkbMultiLineString: return "MultiLineString";
	case wkbMultiPolygon: return "MultiPolygon";
	case wkbGeometryCollection: return "GeometryCollection";
	default: return "Unknown";
	}
}

static const char *ftype_name(lg_ftype t)
{
	return t == LG_FT_INT ? "Integer" : t == LG_FT_REAL ? "Real" : "String";
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Distinct codes of one field, sorted. */
static char **distinct_codes(const lg_layer *l, int field, size_t *n)
{
	char **v = calloc(l->n + 1, sizeof *v);
	size_t k = 0;
	if (!v)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		const char *s = lg_feature_text(l, &l->feat[i], field);
		if (*s)
			v[k++] = strdup(s);
	}
	qsort(v, k, sizeof *v, cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < k; i++) {
		if (u && !strcmp(v[u - 1], v[i])) {
			free(v[i]);
			continue;
		}
		v[u++] = v[i];
	}
	*n = u;
	return v;
}

struct code_report {
	int field;
	const char *system;
	size_t ncodes, unknown;
	char *examples[5];
	size_t nex;
};

static void report_codes(const lg_landuse *lu, const lg_layer *l, int field,
			 struct code_report *r)
{
	size_t n = 0;
	char **codes = distinct_codes(l, field, &n);
	memset(r, 0, sizeof *r);
	r->field = field;
	if (!codes)
		return;
	lg_landuse_detect(lu, (const char *const *)codes, n, &r->system, &r->unknown);
	r->ncodes = n;
	for (size_t i = 0; i < n; i++) {
		lg_landuse_info li;
		if (!lg_landuse_lookup(lu, codes[i], r->system, &li) && r->nex < 5)
			r->examples[r->nex++] = strdup(codes[i]);
		free(codes[i]);
	}
	free(codes);
}

int cmd_info(int argc, char **argv)
{
	cli c;
	struct info_opts io = {0};
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_layer *l = NULL;
	lg_landuse *lu = NULL;
	lg_status st;
	struct code_report cr[3];
	int ncr = 0;
	lg_buf j;

	if ((rc = cli_init(&c, "info")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt,
		       &io, pos, 1, &npos, &done);
	if (rc || done)
		goto out;
	if (npos != 1) {
		rc = cli_usage_error(&c, "give one INPUT");
		goto out;
	}
	cli_read_opts(&c, NULL, &ro);
	st = lg_layer_read(c.ctx, pos[0], &ro, &l);
	if (st) {
		rc = cli_fail(&c, st);
		goto out;
	}
	st = lg_landuse_load(c.ctx, io.landuse_table, &lu);
	if (st) {
		rc = cli_fail(&c, st);
		goto out;
	}
	const lg_role code_roles[] = {LG_ROLE_CODE, LG_ROLE_ORIG_CODE, LG_ROLE_PLAN_CODE};
	for (size_t k = 0; k < 3; k++)
		if (l->role[code_roles[k]] >= 0)
			report_codes(lu, l, l->role[code_roles[k]], &cr[ncr++]);

	if (!c.json) {
		printf("数据源 source:   %s\n", l->path);
		printf("格式 driver:     %s\n", l->driver);
		printf("图层 layer:      %s\n", l->name);
		printf("要素 features:   %zu", l->n);
		if (l->nempty)
			printf(" (%zu without geometry)", l->nempty);
		printf("\n几何 geometry:   %s\n", gtype_name(l->geom_type));
		if (l->n && isfinite(l->minx))
			printf("范围 extent:     %.3f, %.3f - %.3f, %.3f\n", l->minx, l->miny,
			       l->maxx, l->maxy);
		printf("坐标系 CRS:      %s%s%s%s\n", l->crs ? lg_crs_name(l->crs) : "none",
		       l->crs && *lg_crs_id(l->crs) ? " (" : "", l->crs ? lg_crs_id(l->crs) : "",
		       l->crs && *lg_crs_id(l->crs) ? ")" : "");
		printf("  how:           %s\n", l->crs_how ? l->crs_how : "");
		printf("编码 encoding:   %s (%s)\n", l->encoding ? l->encoding : "UTF-8",
		       l->encoding_how ? l->encoding_how : "");
		if (l->nrepaired)
			printf("修复 repaired:   %zu invalid geometries made valid\n", l->nrepaired);
		printf("字段 fields:\n");
		for (size_t k = 0; k < l->nfields; k++) {
			const char *role = NULL;
			for (int r = 0; r < LG_ROLE__COUNT; r++)
				if (l->role[r] == (int)k)
					role = lg_role_name((lg_role)r);
			printf("  %-20s %-8s%s%s\n", l->fields[k].name, ftype_name(l->fields[k].type),
			       role ? " role=" : "", role ? role : "");
		}
		for (int k = 0; k < ncr; k++) {
			printf("用地分类 land-use codes in '%s': %s; %zu distinct, %zu unrecognised",
			       l->fields[cr[k].field].name, cr[k].system ? cr[k].system : "no known system",
			       cr[k].ncodes, cr[k].unknown);
			for (size_t e = 0; e < cr[k].nex; e++)
				printf("%s%s", e ? ", " : " (e.g. ", cr[k].examples[e]);
			printf("%s\n", cr[k].nex ? ")" : "");
		}
	} else {
		lg_buf_init(&j);
		lg_buf_puts(&j, "{\"source\":");
		lg_buf_json_str(&j, l->path);
		lg_buf_puts(&j, ",\"driver\":");
		lg_buf_json_str(&j, l->driver);
		lg_buf_puts(&j, ",\"layer\":");
		lg_buf_json_str(&j, l->name);
		lg_buf_printf(&j, ",\"features\":%zu,\"no_geometry\":%zu,\"geometry_type\":\"%s\"",
			       l->n, l->nempty, gtype_name(l->geom_type));
		if (l->n && isfinite(l->minx))
			lg_buf_printf(&j, ",\"extent\":[%.3f,%.3f,%.3f,%.3f]", l->minx, l->miny,
				       l->maxx, l->maxy);
		lg_buf_puts(&j, ",\"crs\":{\"name\":");
		lg_buf_json_str(&j, l->crs ? lg_crs_name(l->crs) : "");
		lg_buf_puts(&j, ",\"id\":");
		lg_buf_json_str(&j, l->crs ? lg_crs_id(l->crs) : "");
		lg_buf_puts(&j, ",\"how\":");
		lg_buf_json_str(&j, l->crs_how ? l->crs_how : "");
		lg_buf_puts(&j, "},\"encoding\":{\"name\":");
		lg_buf_json_str(&j, l->encoding ? l->encoding : "UTF-8");
		lg_buf_puts(&j, ",\"how\":");
		lg_buf_json_str(&j, l->encoding_how ? l->encoding_how : "");
		lg_buf_printf(&j, "},\"repaired\":%zu,\"fields\":[", l->nrepaired);
		for (size_t k = 0; k < l->nfields; k++) {
			const char *role = NULL;
			for (int r = 0; r < LG_ROLE__COUNT; r++)
				if (l->role[r] == (int)k)
					role = lg_role_name((lg_role)r);
			lg_buf_puts(&j, k ? ",{\"name\":" : "{\"name\":");
			lg_buf_json_str(&j, l->fields[k].name);
			lg_buf_printf(&j, ",\"type\":\"%s\",\"role\":", ftype_name(l->fields[k].type));
			if (role)
				lg_buf_json_str(&j, role);
			else
				lg_buf_puts(&j, "null");
			lg_buf_puts(&j, "}");
		}
		lg_buf_puts(&j, "],\"landuse\":[");
		for (int k = 0; k < ncr; k++) {
			lg_buf_puts(&j, k ? ",{\"field\":" : "{\"field\":");
			lg_buf_json_str(&j, l->fields[cr[k].field].name);
			lg_buf_puts(&j, ",\"system\":");
			if (cr[k].system)
				lg_buf_json_str(&j, cr[k].system);
			else
				lg_buf_puts(&j, "null");
			lg_buf_printf(&j, ",\"distinct\":%zu,\"unrecognised\":%zu,\"examples\":[",
				       cr[k].ncodes, cr[k].unknown);
			for (size_t e = 0; e < cr[k].nex; e++) {
				if (e)
					lg_buf_puts(&j, ",");
				lg_buf_json_str(&j, cr[k].examples[e]);
			}
			lg_buf_puts(&j, "]}");
		}
		lg_buf_puts(&j, "]}");
		rc = cli_finish(&c, j.s);
		lg_buf_release(&j);
		goto out;
	}
	rc = cli_finish(&c, NULL);
out:
	for (int k = 0; k < ncr; k++)
		for (size_t e = 0; e < cr[k].nex; e++)
			free(cr[k].examples[e]);
	lg_landuse_destroy(lu);
	lg_layer_destroy(c.ctx, l);
	cli_release(&c);
	return rc;
}
