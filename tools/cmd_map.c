/* landguard map: print-ready maps from a map file or quick --layer lists. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line =
	"landguard map --config MAP.ini -o MAP.pdf|png|svg\n"
	"       landguard map [--theme THEME] --layer INPUT[:STYLE] ... [--title TEXT] -o MAP.png";
static const char *description =
	"Draws a map for print or a meeting: 图名 and subtitle, the layers in their styles,\n"
	"a legend of the categories drawn, a scale bar and numeric scale rounded to a nice\n"
	"value (1:5000, 1:10000, 1:25000 ...), a north arrow, coordinate ticks in the map CRS\n"
	"(Gauss-Kruger metres), the CRS note, 制图单位, 制图日期 and data sources.  PDF and SVG\n"
	"are vector; PNG at --dpi.  Layers are drawn in the order given (first at the bottom).\n"
	"A layer without :STYLE takes the first style of the theme that fits its fields:\n"
	"land-use codes (YDYHFLDM → national 用地用海 palette, DLBM → 三调 colours), a stage\n"
	"field (register of sites), conflict = 1 rows of overlay/riverbuf (red outline), band,\n"
	"protection-zone level, wells, pollution sources, county and town lines, water.\n"
	"Themes: sites (sites over the plan, conflicts highlighted), riverbuf (buffer bands with\n"
	"conflicts), gwzone (protection zones, sources and quality classes), overview (county).\n"
	"Styles, palettes and themes are data: datasets/styles/theme.ini (see docs/map.md);\n"
	"--styles FILE uses an office's own.  Options given here override the map file.";
static const char *examples =
	"  D=datasets/demo/xinjiang\n"
	"  landguard overlay --sites $D/sites.gpkg#sites --plan $D/plan.gpkg -o overlay.gpkg\n"
	"  landguard map --theme sites --layer $D/plan.gpkg --layer $D/sites.gpkg#sites \\\n"
	"      --layer overlay.gpkg --layer $D/towns.gpkg --office 新绛县自然资源局 \\\n"
	"      --page A3 --orientation landscape -o map_sites.pdf\n"
	"  landguard map --theme overview --layer $D/towns.gpkg --layer $D/water.gpkg#mgmt_area \\\n"
	"      --layer $D/water.gpkg#centerlines --layer $D/sites.gpkg#sites --layer $D/county.gpkg \\\n"
	"      --title 新绛县概况图 --date 2026-10-31 --dpi 150 -o overview.png\n"
	"  landguard map --layer $D/survey.gpkg:sandiao --layer $D/county.gpkg:county \\\n"
	"      --title 新绛县土地利用现状图 --page A4 -o survey.svg\n"
	"  landguard map --config docs/examples/map_sites.ini -o map_sites.png --dpi 100\n";

static const cli_opt opts[] = {
	{"config", 0, "MAP.ini", "map file: [map] properties and [layer.N] sections"},
	{"layer", 0, "INPUT[:STYLE]", "add a layer (repeatable; PATH#LAYER picks a layer)"},
	{"theme", 0, "THEME", "ready-made theme: sites, riverbuf, gwzone, overview"},
	{"styles", 0, "FILE", "styles file (default: datasets/styles/theme.ini)"},
	{"title", 0, "TEXT", "图名 (default: the theme's)"},
	{"subtitle", 0, "TEXT", "a line under the title"},
	{"office", 0, "TEXT", "制图单位, the issuing office"},
	{"date", 0, "YYYY-MM-DD", "制图日期 (default: today); also the PDF's creation date"},
	{"sources", 0, "TEXT", "数据来源 note"},
	{"crs-note", 0, "TEXT", "coordinate system note (default 2000国家大地坐标系)"},
	{"page", 0, "A4|A3", "paper size (default A3)"},
	{"orientation", 0, "O", "landscape (default) or portrait"},
	{"dpi", 0, "N", "PNG resolution (default 200)"},
	{"extent", 0, "X0,Y0,X1,Y1", "area shown, in the map CRS (default: all layers)"},
	{"scale", 0, "N", "fix the scale 1:N (default: the nicest that fits)"},
	{NULL, 0, NULL, NULL},
};

#define MAX_LAYERS 64

struct map_opts {
	const char *config;
	const char *layers[MAX_LAYERS];
	int nlayers;
	/* [map] keys set on the command line, applied after the file */
	const char *keys[16], *vals[16];
	int nkv;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct map_opts *o = ud;
	if (!strcmp(name, "config"))
		o->config = arg;
	else if (!strcmp(name, "layer")) {
		if (o->nlayers == MAX_LAYERS)
			return cli_usage_error(c, "at most %d --layer options", MAX_LAYERS) != 0;
		o->layers[o->nlayers++] = arg;
	} else {
		static const struct {
			const char *opt, *key;
		} map[] = {{"theme", "theme"},	     {"styles", "styles"}, {"title", "title"},
			   {"subtitle", "subtitle"}, {"office", "office"}, {"date", "date"},
			   {"sources", "sources"},   {"crs-note", "crs_note"}, {"page", "page"},
			   {"orientation", "orientation"}, {"dpi", "dpi"}, {"extent", "extent"},
			   {"scale", "scale"}};
		for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
			if (!strcmp(name, map[i].opt) && o->nkv < 16) {
				o->keys[o->nkv] = map[i].key;
				o->vals[o->nkv++] = arg;
			}
	}
	return 0;
}

/* INPUT[:STYLE]: the style is what follows the last ':' when that is a
 * plain name and the whole argument is not an existing file, so "PG:..."
 * and paths with colons still work. */
static void split_layer(const char *arg, char *src, size_t n, const char **style)
{
	struct stat sb;
	const char *colon = strrchr(arg, ':');
	*style = NULL;
	snprintf(src, n, "%s", arg);
	if (!colon || colon == arg || !colon[1] || stat(arg, &sb) == 0)
		return;
	for (const char *p = colon + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		      *p == '_' || *p == '-'))
			return;
	if (colon - arg == 2 && !strncmp(arg, "PG", 2))
		return;
	snprintf(src, n, "%.*s", (int)(colon - arg), arg);
	*style = colon + 1;
}

int cmd_map(int argc, char **argv)
{
	cli c;
	struct map_opts mo;
	char *pos[1];
	int npos, done, rc;
	lg_map *m = NULL;
	lg_map_result res;
	lg_status st;
	lg_buf j;

	memset(&mo, 0, sizeof mo);
	if ((rc = cli_init(&c, "map")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &mo, pos, 0,
		       &npos, &done);
	if (rc || done)
		goto out;
	if (!c.out) {
		rc = cli_usage_error(&c, "give -o MAP.pdf, MAP.png or MAP.svg");
		goto out;
	}
	if (!mo.config && !mo.nlayers) {
		rc = cli_usage_error(&c, "give --config MAP.ini or at least one --layer INPUT");
		goto out;
	}
	if (!(m = lg_map_create(c.ctx))) {
		st = LG_NOMEM;
		goto fail;
	}
	if (mo.config && (st = lg_map_load_ini(c.ctx, m, mo.config)))
		goto fail;
	for (int i = 0; i < mo.nkv; i++)
		if ((st = lg_map_set(c.ctx, m, mo.keys[i], mo.vals[i]))) {
			rc = cli_usage_error(&c, "%s", lg_ctx_errmsg(c.ctx));
			goto out;
		}
	if ((c.s_srs && (st = lg_map_set(c.ctx, m, "s_srs", c.s_srs))) ||
	    (c.encoding && (st = lg_map_set(c.ctx, m, "encoding", c.encoding))) ||
	    (c.t_srs && (st = lg_map_set(c.ctx, m, "crs", c.t_srs))))
		goto fail;
	for (int i = 0; i < mo.nlayers; i++) {
		char src[4096];
		lg_map_layer_def d = {0};
		split_layer(mo.layers[i], src, sizeof src, &d.style);
		d.source = src;
		if ((st = lg_map_add_layer(c.ctx, m, &d)))
			goto fail;
	}
	if ((st = lg_map_render(c.ctx, m, c.out, c.driver, &res)))
		goto fail;
	if (!c.json)
		fprintf(stderr, "比例尺 scale 1:%.0f   要素 features: %zu   注记 labels: %zu (%zu dropped "
				"on overlap)   图例 legend entries: %zu\nwritten: %s\n",
			res.scale, res.features, res.labels, res.labels_skipped, res.legend_entries, c.out);
	lg_buf_init(&j);
	lg_buf_printf(&j,
		      "{\"format\":\"%s\",\"scale\":%.0f,\"features\":%zu,\"labels\":%zu,"
		      "\"labels_dropped\":%zu,\"legend_entries\":%zu,\"width\":%.0f,\"height\":%.0f,"
		      "\"view\":[%.3f,%.3f,%.3f,%.3f],\"outputs\":[",
		      res.format, res.scale, res.features, res.labels, res.labels_skipped,
		      res.legend_entries, res.width, res.height, res.view[0], res.view[1], res.view[2],
		      res.view[3]);
	lg_buf_json_str(&j, c.out);
	lg_buf_puts(&j, "]}");
	rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_map_destroy(c.ctx, m);
	cli_release(&c);
	return rc;
}
