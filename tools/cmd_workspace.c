/* landguard workspace init|import|list|drop|runs: the embedded SpatiaLite
 * workspace (lib/store/workspace.c). */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "commands.h"

static const char *usage_line =
	"landguard workspace init WS | import WS SOURCE [--name N] | list WS [--json] |\n"
	"       drop WS NAME[@vN] | runs WS [--json]";
static const char *description =
	"Keeps imported layers and the history of runs in one SpatiaLite file (WS, e.g.\n"
	"county.sqlite), so a later run (the quarterly review) can compare with this one.\n"
	"  init    makes WS (an existing workspace is left as it is)\n"
	"  import  copies a layer into WS with its source, time and SHA-256; importing an\n"
	"          unchanged source again does nothing, a changed one becomes a new version\n"
	"          (NAME__v2 ...); old versions stay until dropped\n"
	"  list    every layer version: name, version, features, CRS, imported, source\n"
	"  drop    removes NAME (every version) or NAME@vN\n"
	"  runs    the runs recorded with --workspace WS: id, command, status, times, counts\n"
	"Every command reads WS#NAME (the latest version) or WS#NAME@v2 as an input, and\n"
	"records its run with --workspace WS.";
static const char *examples =
	"  landguard workspace init xj.sqlite\n"
	"  landguard workspace import xj.sqlite datasets/demo/xinjiang/sites.gpkg\n"
	"  landguard workspace import xj.sqlite 一张图.gpkg#DLTB --name plan\n"
	"  landguard overlay --sites xj.sqlite#sites --plan xj.sqlite#plan -o o.gpkg --workspace xj.sqlite\n"
	"  landguard workspace list xj.sqlite --json\n"
	"  landguard workspace drop xj.sqlite plan@v1\n";

static const cli_opt opts[] = {
	{"name", 0, "N", "import: the layer's name in the workspace (default: the source layer's)"},
	{NULL, 0, NULL, NULL},
};

static int on_opt(cli *c, const char *name, const char *arg, void *ud)
{
	const char **n = ud;
	if (!strcmp(name, "name"))
		*n = arg;
	return 0;
}

static void json_layer(lg_buf *j, const lg_ws_layer *l)
{
	lg_buf_puts(j, "{\"name\":");
	lg_buf_json_str(j, l->name);
	lg_buf_printf(j, ",\"version\":%d,\"table\":", l->version);
	lg_buf_json_str(j, l->table);
	lg_buf_printf(j, ",\"features\":%lld,\"crs\":", (long long)l->feature_count);
	lg_buf_json_str(j, l->crs);
	lg_buf_puts(j, ",\"imported_at\":");
	lg_buf_json_str(j, l->imported_at);
	lg_buf_puts(j, ",\"sha256\":");
	lg_buf_json_str(j, l->sha256);
	lg_buf_puts(j, ",\"source\":");
	lg_buf_json_str(j, l->source);
	lg_buf_puts(j, "}");
}

static int do_list(cli *c, lg_ws *ws, lg_buf *j)
{
	lg_ws_layer *v = NULL;
	size_t n = 0;
	lg_status st = lg_ws_list(c->ctx, ws, &v, &n);
	if (st)
		return cli_fail(c, st);
	lg_buf_puts(j, "{\"layers\":[");
	for (size_t i = 0; i < n; i++) {
		if (i)
			lg_buf_puts(j, ",");
		json_layer(j, &v[i]);
		if (!c->json)
			printf("%-20s v%-3d %9lld  %-12s %s  %s\n", v[i].name, v[i].version,
			       (long long)v[i].feature_count, v[i].crs, v[i].imported_at,
			       v[i].source);
	}
	lg_buf_puts(j, "]}");
	if (!c->json && !n)
		fprintf(stderr, "landguard workspace: '%s' holds no layers yet; add one with "
				"'landguard workspace import'\n", lg_ws_path(ws));
	lg_ws_layers_free(v, n);
	return 0;
}

static int do_runs(cli *c, lg_ws *ws, lg_buf *j)
{
	lg_ws_run *v = NULL;
	size_t n = 0;
	lg_status st = lg_ws_runs(c->ctx, ws, &v, &n);
	if (st)
		return cli_fail(c, st);
	lg_buf_puts(j, "{\"runs\":[");
	for (size_t i = 0; i < n; i++) {
		const lg_ws_run *r = &v[i];
		lg_buf_printf(j, "%s{\"run_id\":%lld,\"command\":", i ? "," : "",
			      (long long)r->run_id);
		lg_buf_json_str(j, r->command);
		lg_buf_puts(j, ",\"status\":");
		lg_buf_json_str(j, r->status);
		lg_buf_puts(j, ",\"started_at\":");
		lg_buf_json_str(j, r->started_at);
		lg_buf_puts(j, ",\"finished_at\":");
		lg_buf_json_str(j, r->finished_at);
		lg_buf_printf(j, ",\"outputs\":%lld,\"findings\":%lld,\"params\":%s}",
			      (long long)r->noutputs, (long long)r->nfindings,
			      *r->params_json ? r->params_json : "{}");
		if (!c->json)
			printf("%-5lld %-10s %-10s %s  %s  outputs %lld  findings %lld  %s\n",
			       (long long)r->run_id, r->command, r->status, r->started_at,
			       r->finished_at, (long long)r->noutputs, (long long)r->nfindings,
			       r->params_json);
	}
	lg_buf_puts(j, "]}");
	lg_ws_runs_free(v, n);
	return 0;
}

int cmd_workspace(int argc, char **argv)
{
	cli c;
	const char *name = NULL;
	char *pos[3];
	int npos, done, rc;
	lg_ws *ws = NULL;
	lg_status st;
	lg_buf j;
	const char *verb;

	lg_buf_init(&j);
	if ((rc = cli_init(&c, "workspace")))
		return rc;
	rc = cli_parse(&c, argc, argv, opts, usage_line, description, examples, on_opt, &name,
		       pos, 3, &npos, &done);
	if (rc || done)
		goto out;
	if (npos < 2) {
		rc = cli_usage_error(&c, "give a verb (init, import, list, drop, runs) and the "
					 "workspace file");
		goto out;
	}
	verb = pos[0];
	if (!strcmp(verb, "init")) {
		if (npos != 2) {
			rc = cli_usage_error(&c, "init takes only the workspace file");
			goto out;
		}
		if ((st = lg_ws_open(c.ctx, pos[1], true, &ws)))
			goto fail;
		if (!c.json)
			fprintf(stderr, "workspace ready: %s\n", pos[1]);
		lg_buf_puts(&j, "{\"workspace\":");
		lg_buf_json_str(&j, pos[1]);
		lg_buf_puts(&j, "}");
	} else if (!strcmp(verb, "import")) {
		lg_read_opts ro;
		lg_ws_layer info;
		bool unchanged;
		if (npos != 3) {
			rc = cli_usage_error(&c, "import takes the workspace file and one SOURCE");
			goto out;
		}
		if ((st = lg_ws_open(c.ctx, pos[1], false, &ws)))
			goto fail;
		cli_read_opts(&c, NULL, &ro);
		if ((st = lg_ws_import(c.ctx, ws, pos[2], name, &ro, &info, &unchanged)))
			goto fail;
		if (!c.json)
			fprintf(stderr, "%s: %s v%d (%lld features)%s\n", pos[1], info.name,
				info.version, (long long)info.feature_count,
				unchanged ? " unchanged, nothing imported" : " imported");
		lg_buf_printf(&j, "{\"imported\":%s,\"layer\":", unchanged ? "false" : "true");
		json_layer(&j, &info);
		lg_buf_puts(&j, "}");
		lg_ws_layer_release(&info);
	} else if (!strcmp(verb, "list") || !strcmp(verb, "runs")) {
		if (npos != 2) {
			rc = cli_usage_error(&c, "%s takes only the workspace file", verb);
			goto out;
		}
		if ((st = lg_ws_open(c.ctx, pos[1], false, &ws)))
			goto fail;
		rc = !strcmp(verb, "list") ? do_list(&c, ws, &j) : do_runs(&c, ws, &j);
		if (rc)
			goto out;
	} else if (!strcmp(verb, "drop")) {
		char lname[512];
		int version = 0;
		size_t n = 0;
		if (npos != 3) {
			rc = cli_usage_error(&c, "drop takes the workspace file and NAME or NAME@vN");
			goto out;
		}
		const char *at = strrchr(pos[2], '@');
		snprintf(lname, sizeof lname, "%.*s",
			 (int)(at ? (size_t)(at - pos[2]) : strlen(pos[2])), pos[2]);
		if (at) {
			char *end;
			const char *v = at[1] == 'v' || at[1] == 'V' ? at + 2 : at + 1;
			version = (int)strtol(v, &end, 10);
			if (end == v || *end || version <= 0) {
				rc = cli_usage_error(&c, "'%s' is not NAME@vN (e.g. plan@v2)", pos[2]);
				goto out;
			}
		}
		if ((st = lg_ws_open(c.ctx, pos[1], false, &ws)))
			goto fail;
		if ((st = lg_ws_drop(c.ctx, ws, lname, version, &n)))
			goto fail;
		if (!c.json)
			fprintf(stderr, "%s: dropped %zu version%s of '%s'\n", pos[1], n,
				n == 1 ? "" : "s", lname);
		lg_buf_printf(&j, "{\"dropped\":%zu,\"name\":", n);
		lg_buf_json_str(&j, lname);
		lg_buf_puts(&j, "}");
	} else {
		rc = cli_usage_error(&c, "unknown verb '%s'; use init, import, list, drop or runs",
				     verb);
		goto out;
	}
	rc = cli_finish(&c, j.s);
	goto out;
fail:
	rc = cli_fail(&c, st);
out:
	lg_buf_release(&j);
	lg_ws_close(ws);
	cli_release(&c);
	return rc;
}
