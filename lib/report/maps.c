/* The report's maps, drawn through the render API (lg_map_*) from the
 * layers the run already holds: an overview per job, the riverbuf and
 * gwzone maps when those ran, and one map per atlas parcel at a scale that
 * fits it and its neighbourhood. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

typedef struct mapdef {
	const char *title, *subtitle, *theme, *page, *orientation;
	const double *extent; /* NULL = the layers' */
	int dpi;
	bool fit; /* a round scale that fills the sheet, rather than the series' */
} mapdef;

static lg_status add(lg_ctx *ctx, lg_map *m, lg_layer *l, const char *style, const char *title)
{
	lg_map_layer_def d = {0};
	if (!l || !l->n)
		return LG_OK;
	d.source = l->name;
	d.style = style;
	d.title = title;
	return lg_map_add_data(ctx, m, l, &d);
}

static lg_status draw(lg_ctx *ctx, lg_report *r, lg_map *m, const mapdef *def, const char *path)
{
	lg_status st;
	char buf[128];
	lg_map_result res;
	snprintf(buf, sizeof buf, "%d", def->dpi);
	if ((st = lg_map_set(ctx, m, "title", def->title)) ||
	    (st = lg_map_set(ctx, m, "subtitle", def->subtitle)) ||
	    (st = lg_map_set(ctx, m, "office", r->job->office)) ||
	    (st = lg_map_set(ctx, m, "date", r->date)) ||
	    (st = lg_map_set(ctx, m, "theme", def->theme)) ||
	    (st = lg_map_set(ctx, m, "page", def->page)) ||
	    (st = lg_map_set(ctx, m, "orientation", def->orientation)) ||
	    (st = lg_map_set(ctx, m, "dpi", buf)) ||
	    (st = lg_map_set(ctx, m, "crs", lg_crs_id(r->work))))
		return st;
	if (def->extent) {
		snprintf(buf, sizeof buf, "%.1f,%.1f,%.1f,%.1f", def->extent[0], def->extent[1],
			 def->extent[2], def->extent[3]);
		if ((st = lg_map_set(ctx, m, "extent", buf)))
			return st;
	}
	if ((st = lg_map_render(ctx, m, path, "png", &res)))
		return st;
	if (!def->fit || !def->extent)
		return LG_OK;
	/* The series 1, 2, 2.5, 5 × 10ⁿ can leave a county at half the sheet
	 * (1:50万 where 1:27万 fits); a round 1:N万 that fits is drawn
	 * instead. */
	double fw_m = res.frame[2] / def->dpi * 0.0254, fh_m = res.frame[3] / def->dpi * 0.0254;
	double need = fmax((def->extent[2] - def->extent[0]) / fw_m,
			   (def->extent[3] - def->extent[1]) / fh_m);
	double step = need > 100000 ? 10000 : need > 10000 ? 1000 : 100;
	double fit = ceil(need / step) * step;
	if (!(fit < res.scale * 0.87))
		return LG_OK;
	snprintf(buf, sizeof buf, "%.0f", fit);
	if ((st = lg_map_set(ctx, m, "scale", buf)))
		return st;
	return lg_map_render(ctx, m, path, "png", &res);
}

static lg_status keep(lg_ctx *ctx, lg_report *r, const char *path, const char *title)
{
	char **p = lg__realloc(ctx, r->maps, (r->nmaps + 1) * sizeof *p);
	if (!p)
		return LG_NOMEM;
	r->maps = p;
	char **t = lg__realloc(ctx, r->map_titles, (r->nmaps + 1) * sizeof *t);
	if (!t)
		return LG_NOMEM;
	r->map_titles = t;
	r->maps[r->nmaps] = lg__strdup(ctx, path);
	r->map_titles[r->nmaps] = lg__strdup(ctx, title);
	if (!r->maps[r->nmaps] || !r->map_titles[r->nmaps]) {
		free(r->maps[r->nmaps]);
		free(r->map_titles[r->nmaps]);
		return LG_NOMEM;
	}
	r->nmaps++;
	return LG_OK;
}

/* A map of the county (or of what the layers cover). */
static lg_status overview(lg_ctx *ctx, lg_report *r, const char *dir, int which)
{
	lg_map *m = lg_map_create(ctx);
	lg_status st = LG_OK;
	char path[4096], title[256], sub[256];
	mapdef def = {0};
	const char *name;
	if (!m)
		return LG_NOMEM;
	def.theme = "report";
	def.page = "A4";
	def.orientation = "landscape";
	/* The county fills the sheet: its outline sets the extent (a register
	 * site far outside is a YZ-10 defect, not a reason to shrink the
	 * county), and a county taller than wide gets a portrait sheet. */
	double ce[4];
	if (r->county && r->county->n && r->county->maxx > r->county->minx) {
		ce[0] = r->county->minx, ce[1] = r->county->miny;
		ce[2] = r->county->maxx, ce[3] = r->county->maxy;
		double pad = fmax(ce[2] - ce[0], ce[3] - ce[1]) * 0.02;
		ce[0] -= pad, ce[1] -= pad, ce[2] += pad, ce[3] += pad;
		def.extent = ce;
		def.fit = true;
		if (ce[3] - ce[1] > ce[2] - ce[0])
			def.orientation = "portrait";
	}
	def.dpi = r->opts.dpi;
	def.subtitle = sub;
	def.title = title;
	if (which == 0) {
		name = "overview";
		if (r->job->kind == LG_REPORT_MONTHLY) {
			int y, mo, d;
			char from[11];
			lg_date_format(r->job->from, from);
			sscanf(from, "%d-%d-%d", &y, &mo, &d);
			snprintf(title, sizeof title, "%d年%d月一住两公供地清零地块分布图", y, mo);
		} else {
			snprintf(title, sizeof title, "%d年第%d季度疑似污染地块与问题地块分布图",
				 r->job->year, r->job->quarter);
		}
		snprintf(sub, sizeof sub, "%s", r->job->title ? r->job->title : "");
		if ((st = add(ctx, m, r->plan_map, "plan_base", NULL)) ||
		    (st = add(ctx, m, r->towns, NULL, NULL)) ||
		    (st = add(ctx, m, r->water, NULL, NULL)) ||
		    (st = add(ctx, m, r->sites, NULL, NULL)) ||
		    (st = add(ctx, m, r->overlay, NULL, NULL)) ||
		    (st = add(ctx, m, r->focus, NULL, NULL)) ||
		    (st = add(ctx, m, r->county, NULL, NULL)))
			goto done;
	} else if (which == 1) {
		name = "riverbuf";
		snprintf(title, sizeof title, "河库生态缓冲带占用图");
		snprintf(sub, sizeof sub, "管理范围线外 %g—%g 米", r->job->inner_m, r->job->outer_m);
		def.theme = "riverbuf";
		def.orientation = "landscape";
		double e[4] = {r->rb_rows->minx, r->rb_rows->miny, r->rb_rows->maxx, r->rb_rows->maxy};
		double pad = fmax(e[2] - e[0], e[3] - e[1]) * 0.05 + 200;
		e[0] -= pad, e[1] -= pad, e[2] += pad, e[3] += pad;
		def.extent = e;
		if ((st = add(ctx, m, r->plan_map, "plan_base", NULL)) ||
		    (st = add(ctx, m, r->water, NULL, NULL)) ||
		    (st = add(ctx, m, r->rb_rows, NULL, NULL)) ||
		    (st = add(ctx, m, r->sites, NULL, NULL)) ||
		    (st = add(ctx, m, r->county, NULL, NULL)))
			goto done;
		snprintf(path, sizeof path, "%s/%s.png", dir, name);
		if ((st = draw(ctx, r, m, &def, path)))
			goto done;
		st = keep(ctx, r, path, title);
		goto done;
	} else {
		name = "gwzone";
		snprintf(title, sizeof title, "%s",
			 r->gwq ? "饮用水水源保护区、污染源与地下水质量分布图"
				: "饮用水水源保护区与污染源分布图");
		snprintf(sub, sizeof sub, "%s", r->gwq ? "HJ 338-2018；GB/T 14848-2017" : "HJ 338-2018");
		def.theme = "gwzone";
		if ((st = add(ctx, m, r->towns, NULL, NULL)) ||
		    (st = add(ctx, m, r->zones->layer, NULL, NULL)) ||
		    (st = add(ctx, m, r->water, NULL, NULL)) ||
		    (st = add(ctx, m, r->wells, NULL, NULL)) ||
		    (st = add(ctx, m, r->hits, NULL, NULL)) ||
		    (st = add(ctx, m, r->gwq, NULL, NULL)) ||
		    (st = add(ctx, m, r->county, NULL, NULL)))
			goto done;
	}
	snprintf(path, sizeof path, "%s/%s.png", dir, name);
	if ((st = draw(ctx, r, m, &def, path)))
		goto done;
	st = keep(ctx, r, path, title);
done:
	lg_map_destroy(ctx, m);
	return st;
}

/* A file name from a parcel id: letters, digits, '-' and '_' kept. */
static void safe_name(char *buf, size_t n, const char *id, size_t index)
{
	size_t k = (size_t)snprintf(buf, n, "atlas_%03zu_", index + 1);
	for (const unsigned char *p = (const unsigned char *)id; *p && k + 1 < n; p++)
		if ((*p >= '0' && *p <= '9') || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    *p == '-' || *p == '_')
			buf[k++] = (char)*p;
	buf[k] = 0;
}

static lg_status atlas_map(lg_ctx *ctx, lg_report *r, size_t i, const char *dir)
{
	lg__apar *a = &r->atlas[i];
	lg_map *m = NULL;
	lg_layer *focus = NULL;
	lg_status st;
	char path[4096], name[128], title[256], sub[512];
	static const lg_field ff[] = {{"atlas_focus", LG_FT_INT, 0}, {"parcel_id", LG_FT_STRING, 0}};
	double x0, y0, x1, y1;

	if (!a->geom)
		return LG_OK;
	if (!GEOSGeom_getXMin_r(ctx->geos, a->geom, &x0) || !GEOSGeom_getYMin_r(ctx->geos, a->geom, &y0) ||
	    !GEOSGeom_getXMax_r(ctx->geos, a->geom, &x1) || !GEOSGeom_getYMax_r(ctx->geos, a->geom, &y1))
		return LG_OK; /* empty geometry: no map */
	/* The parcel and its neighbourhood: at least 600 m across, the parcel
	 * taking no more than a third of the frame; YZ-06 neighbours within
	 * `near` show when the parcel is small. */
	double cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
	double half = fmax(fmax(x1 - x0, y1 - y0) * 1.5, 300);
	double e[4] = {cx - half * 1.4, cy - half, cx + half * 1.4, cy + half};

	if ((st = lg_layer_create(ctx, "atlas_focus", ff, 2, &focus)))
		return st;
	focus->geom_type = 3;
	if ((st = lg_crs_clone(ctx, r->work, &focus->crs)))
		goto done;
	{
		lg_feature *f;
		GEOSGeometry *g = GEOSGeom_clone_r(ctx->geos, a->geom);
		if (!g) {
			st = LG_NOMEM;
			goto done;
		}
		if ((st = lg_layer_add(ctx, focus, &f))) {
			GEOSGeom_destroy_r(ctx->geos, g);
			goto done;
		}
		lg_feature_set_geom(ctx, f, g);
		lg_feature_set_int(focus, f, 0, 1);
		if ((st = lg_feature_set_str(ctx, focus, f, 1, a->id)))
			goto done;
		lg_layer_update_extent(ctx, focus);
	}
	if (!(m = lg_map_create(ctx))) {
		st = LG_NOMEM;
		goto done;
	}
	if ((st = add(ctx, m, r->plan_map, "plan_base", NULL)) ||
	    (st = add(ctx, m, r->towns, NULL, NULL)) || (st = add(ctx, m, r->water, NULL, NULL)) ||
	    (st = add(ctx, m, r->sites, NULL, NULL)) || (st = add(ctx, m, r->focus, NULL, NULL)) ||
	    (st = add(ctx, m, focus, NULL, NULL)) || (st = add(ctx, m, r->county, NULL, NULL)))
		goto done;
	snprintf(title, sizeof title, "地块%s位置图", a->id);
	snprintf(sub, sizeof sub, "%s%s%s", a->name, *a->town ? "  " : "", a->town);
	mapdef def = {title, sub, "report", "A5", "landscape", e, r->opts.dpi, false};
	safe_name(name, sizeof name, a->id, i);
	snprintf(path, sizeof path, "%s/%s.png", dir, name);
	if ((st = draw(ctx, r, m, &def, path)))
		goto done;
	if (!(a->map = lg__strdup(ctx, path)))
		st = LG_NOMEM;
done:
	lg_map_destroy(ctx, m);
	lg_layer_destroy(ctx, focus);
	return st;
}

lg_status lg__report_maps(lg_ctx *ctx, lg_report *r, const char *dir)
{
	lg_status st;
	size_t total = 1 + (r->rb_rows && r->rb_rows->n) + (r->zones != NULL) +
		       (r->opts.no_atlas ? 0 : r->natlas);
	size_t done = 0;
	lg_ctx_progress(ctx, "maps", 0, (double)total);
	if ((st = overview(ctx, r, dir, 0)))
		return st;
	lg_ctx_progress(ctx, "maps", (double)++done, (double)total);
	if (r->job->kind == LG_REPORT_QUARTERLY && r->rb_rows && r->rb_rows->n) {
		if ((st = overview(ctx, r, dir, 1)))
			return st;
		lg_ctx_progress(ctx, "maps", (double)++done, (double)total);
	}
	if (r->job->kind == LG_REPORT_QUARTERLY && r->zones) {
		if ((st = overview(ctx, r, dir, 2)))
			return st;
		lg_ctx_progress(ctx, "maps", (double)++done, (double)total);
	}
	for (size_t i = 0; !r->opts.no_atlas && i < r->natlas; i++) {
		if ((st = atlas_map(ctx, r, i, dir)))
			return st;
		lg_ctx_progress(ctx, "maps", (double)++done, (double)total);
	}
	r->sum.maps = r->nmaps;
	for (size_t i = 0; i < r->natlas; i++)
		r->sum.maps += r->atlas[i].map != NULL;
	return LG_OK;
}
