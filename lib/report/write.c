/* Writing a report: everything goes into a temporary directory next to
 * OUTDIR first and is moved into place only when all of it is written, so
 * a failed run leaves an earlier report as it was. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/report_int.h"

static void remove_tree(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[4096];
	if (!d) {
		unlink(dir);
		return;
	}
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (lstat(p, &sb) == 0 && S_ISDIR(sb.st_mode))
			remove_tree(p);
		else
			unlink(p);
	}
	closedir(d);
	rmdir(dir);
}

static lg_status write_findings(lg_ctx *ctx, lg_report *r, const char *path)
{
	lg_write_opts wo = {0};
	/* a table: parcel geometry is in the atlas, not in the CSV */
	for (size_t i = 0; i < r->findings->n; i++)
		lg_feature_set_geom(ctx, &r->findings->feat[i], NULL);
	wo.layer_name = "findings";
	wo.driver = "CSV";
	return lg_layer_write(ctx, r->findings, path, &wo);
}

lg_status lg_report_write(lg_ctx *ctx, lg_report *r, const char *outdir, lg_buf *written)
{
	const lg_report_job *j = r->job;
	char tmp[3072], p[4200], q[4200], old[4200];
	lg__doc *doc = NULL;
	lg_status st = LG_OK;
	struct stat sb;
	bool moved_old = false;

	if (written)
		lg_buf_init(written);
	if (strlen(outdir) > 3000)
		return lg_ctx_error(ctx, LG_WRITE, "the report directory name is too long");
	if (stat(outdir, &sb) == 0 && !S_ISDIR(sb.st_mode))
		return lg_ctx_error(ctx, LG_WRITE, "'%s' exists and is not a directory; give -o a "
				    "directory for the report", outdir);
	snprintf(tmp, sizeof tmp, "%.3000s.tmpXXXXXX", outdir);
	if (!mkdtemp(tmp))
		return lg_ctx_error(ctx, LG_WRITE, "cannot make a temporary directory next to '%s': %s; "
				    "check that its parent directory exists and is writable", outdir,
				    strerror(errno));
	chmod(tmp, 0755);
	snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[LG_ROUT_MAPS]);
	if (mkdir(p, 0755)) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot make '%s': %s", p, strerror(errno));
		goto done;
	}
	if ((st = lg__report_maps(ctx, r, p)))
		goto done;
	lg_ctx_progress(ctx, "writing", 0, 4);
	if ((st = lg__report_compose(ctx, r, &doc)))
		goto done;
	snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[LG_ROUT_HTML]);
	if ((st = lg__html_write(ctx, doc, p)))
		goto done;
	lg_ctx_progress(ctx, "writing", 1, 4);
	snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[LG_ROUT_PDF]);
	if ((st = lg__pdf_write(ctx, doc, p)))
		goto done;
	lg_ctx_progress(ctx, "writing", 2, 4);
	snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[LG_ROUT_XLSX]);
	if ((st = lg__xlsx_write(ctx, r, p)))
		goto done;
	lg_ctx_progress(ctx, "writing", 3, 4);
	snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[LG_ROUT_FINDINGS]);
	if ((st = write_findings(ctx, r, p)))
		goto done;
	lg_ctx_progress(ctx, "writing", 4, 4);

	/* into place: only once every file is there, so the move cannot stop
	 * half way for want of one */
	for (int o = 0; o < LG_ROUT__COUNT; o++) {
		snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[o]);
		if (stat(p, &sb)) {
			st = lg_ctx_error(ctx, LG_INTERNAL, "'%s' was not written; the report in '%s' is "
					  "left as it was", p, outdir);
			goto done;
		}
	}
	if (mkdir(outdir, 0755) && errno != EEXIST) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot make the report directory '%s': %s", outdir,
				  strerror(errno));
		goto done;
	}
	/* the maps directory is swapped whole, so no map of an earlier run stays */
	snprintf(q, sizeof q, "%s/%.1000s", outdir, j->output[LG_ROUT_MAPS]);
	snprintf(old, sizeof old, "%s/.old-maps", tmp);
	if (stat(q, &sb) == 0) {
		if (rename(q, old)) {
			st = lg_ctx_error(ctx, LG_WRITE, "cannot replace '%s': %s", q, strerror(errno));
			goto done;
		}
		moved_old = true;
	}
	snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[LG_ROUT_MAPS]);
	if (rename(p, q)) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot move the maps into '%s': %s", q,
				  strerror(errno));
		if (moved_old)
			rename(old, q);
		goto done;
	}
	static const lg_report_output files[] = {LG_ROUT_FINDINGS, LG_ROUT_XLSX, LG_ROUT_PDF,
						 LG_ROUT_HTML};
	for (size_t i = 0; i < LG_ARRAY_LEN(files); i++) {
		snprintf(p, sizeof p, "%s/%.1000s", tmp, j->output[files[i]]);
		snprintf(q, sizeof q, "%s/%.1000s", outdir, j->output[files[i]]);
		chmod(p, 0644);
		if (rename(p, q)) {
			st = lg_ctx_error(ctx, LG_WRITE, "cannot move the finished '%s' into place: %s", q,
					  strerror(errno));
			goto done;
		}
	}
	if (written) {
		static const lg_report_output order[] = {LG_ROUT_HTML, LG_ROUT_PDF, LG_ROUT_XLSX,
							 LG_ROUT_FINDINGS, LG_ROUT_MAPS};
		for (size_t i = 0; i < LG_ARRAY_LEN(order); i++)
			lg_buf_printf(written, "%s%s/%s", i ? "," : "", outdir, j->output[order[i]]);
	}
done:
	lg__doc_destroy(doc);
	remove_tree(tmp);
	return st;
}
