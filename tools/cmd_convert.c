/* landguard convert: any input to any output, incl. 界址点坐标 TXT. */
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line =
	"landguard convert INPUT -o OUTPUT [--s-srs SRS] [--t-srs SRS] [-f DRIVER]";
static const char *description =
	"Converts a layer between formats (GPKG, SHP, GeoJSON, CSV with WKT last, XLSX,\n"
	"界址点坐标 TXT) and coordinate systems.  Text is written as UTF-8 (Shapefiles get\n"
	"a .cpg and field names cut to 10 bytes without splitting a Chinese character;\n"
	"TXT files are written in GBK unless --out-encoding UTF-8).  The output appears\n"
	"only when complete; an existing file is replaced only on success.";
static const char *examples =
	"  landguard convert 界址点.txt -o parcels.gpkg\n"
	"  landguard convert parcels.gpkg -o 界址点.txt               # GBK, zone-prefixed\n"
	"  landguard convert dltb_gbk.shp -o dltb.gpkg --s-srs EPSG:4525\n"
	"  landguard convert plan.gpkg -o plan_wgs84.geojson --t-srs EPSG:4490\n"
	"  landguard convert sites.gpkg -o sites.csv                   # WKT column last\n";

static const cli_opt opts[] = {
	{"out-encoding", 0, "ENC", "text encoding of SHP/TXT output (TXT default GBK, SHP UTF-8)"},
	{"layer-name", 0, "NAME", "name of the output layer"},
	{NULL, 0, NULL, NULL},
};

struct conv_opts {
	const char *out_encoding, *layer_name;
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	struct conv_opts *co = ud;
	if (!strcmp(name, "out-encoding"))
		co->out_encoding = arg;
	else if (!strcmp(name, "layer-name"))
		co->layer_name = arg;
	return 0;
}

int cmd_convert(int argc, char **argv)
{
	cli c;
	struct conv_opts co = {0};
	char *pos[1];
	int npos, done, rc;
	lg_read_opts ro;
	lg_write_opts wo = {0};
	lg_layer *l = NULL;
	lg_status st;
	lg_buf j;

	if ((rc = cli_init(&c, "convert")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt,
		       &co, pos, 1, &npos, &done);
	if (rc || done)
		goto out;
	if (npos != 1 || !c.out) {
		rc = cli_usage_error(&c, npos != 1 ? "give one INPUT" : "give the output with -o PATH");
		goto out;
	}
	cli_read_opts(&c, NULL, &ro);
	st = lg_layer_read(c.ctx, pos[0], &ro, &l);
	if (!st) {
		wo.driver = c.driver;
		wo.t_srs = c.t_srs;
		wo.no_spatial_index = c.no_spatial_index;
	wo.no_spatial_index = c.no_spatial_index;
		wo.encoding = co.out_encoding;
		wo.layer_name = co.layer_name;
		st = lg_layer_write(c.ctx, l, c.out, &wo);
	}
	if (st) {
		rc = cli_fail(&c, st);
		goto out;
	}
	lg_buf_init(&j);
	lg_buf_puts(&j, "{\"input\":");
	lg_buf_json_str(&j, pos[0]);
	lg_buf_puts(&j, ",\"output\":");
	lg_buf_json_str(&j, c.out);
	lg_buf_printf(&j, ",\"features\":%zu,\"repaired\":%zu}", l->n, l->nrepaired);
	if (!c.json)
		fprintf(stderr, "landguard convert: wrote %zu features to %s\n", l->n, c.out);
	rc = cli_finish(&c, j.s);
	lg_buf_release(&j);
out:
	lg_layer_destroy(c.ctx, l);
	cli_release(&c);
	return rc;
}
