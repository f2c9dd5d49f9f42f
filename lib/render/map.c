/* The map document: properties, map files, layers and their styles. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "render/render_int.h"

static const char *const DEFAULT_CRS_NOTE = "2000国家大地坐标系";

lg_map *lg_map_create(lg_ctx *ctx)
{
	lg_map *m = lg__calloc(ctx, 1, sizeof *m);
	if (!m)
		return NULL;
	m->page_a = 3;
	m->landscape = true;
	m->dpi = 200;
	return m;
}

static void layer_release(lg_ctx *ctx, lg__mlayer *l)
{
	free(l->source);
	free(l->style_name);
	free(l->label_field);
	free(l->where);
	free(l->title);
	free(l->sym);
	if (l->owned)
		lg_layer_destroy(ctx, l->data);
}

void lg_map_destroy(lg_ctx *ctx, lg_map *m)
{
	if (!m)
		return;
	char **strs[] = {&m->title,    &m->subtitle, &m->office, &m->date,	   &m->crs_note,
			 &m->sources, &m->crs_def,  &m->theme,	&m->styles_path, &m->s_srs,
			 &m->encoding};
	for (size_t i = 0; i < LG_ARRAY_LEN(strs); i++)
		free(*strs[i]);
	for (size_t i = 0; i < m->nlayers; i++)
		layer_release(ctx, &m->layers[i]);
	free(m->layers);
	free(m);
}

static lg_status set_str(lg_ctx *ctx, char **dst, const char *v)
{
	char *s = NULL;
	if (v && *v && !(s = lg__strdup(ctx, v)))
		return LG_NOMEM;
	free(*dst);
	*dst = s;
	return LG_OK;
}

static bool valid_date(const char *v)
{
	int y, mo, d;
	char tail;
	if (sscanf(v, "%4d-%2d-%2d%c", &y, &mo, &d, &tail) != 3 || strlen(v) != 10)
		return false;
	return y >= 1900 && y <= 2999 && mo >= 1 && mo <= 12 && d >= 1 && d <= 31;
}

lg_status lg_map_set(lg_ctx *ctx, lg_map *m, const char *key, const char *value)
{
	const char *v = value ? value : "";
	if (!strcmp(key, "title")) {
		m->title_set = *v != 0;
		return set_str(ctx, &m->title, v);
	}
	if (!strcmp(key, "subtitle"))
		return set_str(ctx, &m->subtitle, v);
	if (!strcmp(key, "office"))
		return set_str(ctx, &m->office, v);
	if (!strcmp(key, "crs_note"))
		return set_str(ctx, &m->crs_note, v);
	if (!strcmp(key, "sources"))
		return set_str(ctx, &m->sources, v);
	if (!strcmp(key, "crs"))
		return set_str(ctx, &m->crs_def, v);
	if (!strcmp(key, "theme"))
		return set_str(ctx, &m->theme, v);
	if (!strcmp(key, "styles"))
		return set_str(ctx, &m->styles_path, v);
	if (!strcmp(key, "s_srs"))
		return set_str(ctx, &m->s_srs, v);
	if (!strcmp(key, "encoding"))
		return set_str(ctx, &m->encoding, v);
	if (!strcmp(key, "date")) {
		if (*v && !valid_date(v))
			return lg_ctx_error(ctx, LG_USAGE, "date must be YYYY-MM-DD (got '%s')", v);
		return set_str(ctx, &m->date, v);
	}
	if (!strcmp(key, "page")) {
		if (!*v || lg__strieq(v, "A3"))
			m->page_a = 3;
		else if (lg__strieq(v, "A4"))
			m->page_a = 4;
		else
			return lg_ctx_error(ctx, LG_USAGE, "page must be A4 or A3 (got '%s')", v);
		return LG_OK;
	}
	if (!strcmp(key, "orientation")) {
		if (!*v || !strcmp(v, "landscape") || !strcmp(v, "横向"))
			m->landscape = true;
		else if (!strcmp(v, "portrait") || !strcmp(v, "纵向"))
			m->landscape = false;
		else
			return lg_ctx_error(ctx, LG_USAGE,
					    "orientation must be portrait or landscape (got '%s')", v);
		return LG_OK;
	}
	if (!strcmp(key, "dpi") || !strcmp(key, "scale")) {
		char *end;
		double d = *v ? strtod(v, &end) : 0;
		bool isdpi = !strcmp(key, "dpi");
		if (*v && (end == v || *end || !isfinite(d) ||
			   (isdpi ? d < 36 || d > 1200 : d < 1 || d > 1e9)))
			return lg_ctx_error(ctx, LG_USAGE, "%s must be %s (got '%s')", key,
					    isdpi ? "a number from 36 to 1200"
						  : "the scale denominator, e.g. 50000 for 1:50000",
					    v);
		if (isdpi)
			m->dpi = *v ? d : 200;
		else
			m->scale = d;
		return LG_OK;
	}
	if (!strcmp(key, "extent")) {
		double e[4];
		char tail;
		if (!*v) {
			m->has_extent = false;
			return LG_OK;
		}
		if (sscanf(v, "%lf , %lf , %lf , %lf %c", &e[0], &e[1], &e[2], &e[3], &tail) != 4 ||
		    !(e[2] > e[0]) || !(e[3] > e[1]))
			return lg_ctx_error(ctx, LG_USAGE,
					    "extent must be minx,miny,maxx,maxy in the map CRS with "
					    "max > min (got '%s')",
					    v);
		memcpy(m->extent, e, sizeof e);
		m->has_extent = true;
		return LG_OK;
	}
	return lg_ctx_error(ctx, LG_USAGE,
			    "unknown map property '%s' (title subtitle office date page orientation "
			    "dpi crs_note sources extent scale crs theme styles s_srs encoding)",
			    key);
}

static lg_status add_layer(lg_ctx *ctx, lg_map *m, const lg_map_layer_def *def, lg_layer *data)
{
	lg_status s;
	if ((s = lg__grow(ctx, (void **)&m->layers, &m->cap, m->nlayers + 1, sizeof *m->layers)))
		return s;
	lg__mlayer *l = &m->layers[m->nlayers];
	memset(l, 0, sizeof *l);
	l->label_idx = -1;
	if ((def->source && !(l->source = lg__strdup(ctx, def->source))) ||
	    (def->style && *def->style && !(l->style_name = lg__strdup(ctx, def->style))) ||
	    (def->label_field && *def->label_field &&
	     !(l->label_field = lg__strdup(ctx, def->label_field))) ||
	    (def->where && *def->where && !(l->where = lg__strdup(ctx, def->where))) ||
	    (def->title && *def->title && !(l->title = lg__strdup(ctx, def->title)))) {
		layer_release(ctx, l);
		return LG_NOMEM;
	}
	l->data = data;
	m->nlayers++;
	return LG_OK;
}

lg_status lg_map_add_layer(lg_ctx *ctx, lg_map *m, const lg_map_layer_def *def)
{
	if (!def || !def->source || !*def->source)
		return lg_ctx_error(ctx, LG_USAGE, "a map layer needs a source");
	return add_layer(ctx, m, def, NULL);
}

lg_status lg_map_add_data(lg_ctx *ctx, lg_map *m, lg_layer *layer, const lg_map_layer_def *def)
{
	lg_map_layer_def d = {0};
	if (def)
		d = *def;
	d.source = layer->path ? layer->path : layer->name;
	return add_layer(ctx, m, &d, layer);
}

/* A source in a map file is relative to the file; connection strings
 * ("PG:...") and absolute paths are taken as they are. */
static char *resolve_source(lg_ctx *ctx, const char *file, const char *src)
{
	const char *colon = strchr(src, ':'), *slash = strchr(src, '/');
	if (colon && (!slash || colon < slash) && colon - src > 1)
		return lg__strdup(ctx, src);
	return lg__path_join_dir(ctx, file, src);
}

lg_status lg_map_load_ini(lg_ctx *ctx, lg_map *m, const char *path)
{
	lg__ini *ini = NULL;
	lg_status s = LG_OK;
	struct sec {
		char *name;
		long n;
		lg_map_layer_def d;
	} *secs = NULL;
	size_t nsec = 0, cap = 0;

	if ((s = lg__ini_read(ctx, path, &ini)))
		return s;
	for (size_t i = 0; i < ini->n; i++) {
		const lg__ini_entry *e = &ini->e[i];
		if (!strcmp(e->section, "map")) {
			if (!strcmp(e->key, "styles")) {
				char *p = lg__path_join_dir(ctx, path, e->value);
				if (!p) {
					s = LG_NOMEM;
					goto done;
				}
				s = lg_map_set(ctx, m, "styles", p);
				free(p);
			} else
				s = lg_map_set(ctx, m, e->key, e->value);
			if (s) {
				if (s != LG_NOMEM) {
					char why[1024];
					snprintf(why, sizeof why, "%s", lg_ctx_errmsg(ctx));
					s = lg_ctx_error(ctx, LG_INPUT, "'%s' [map] %s: %s", path, e->key,
							 why);
				}
				goto done;
			}
			continue;
		}
		char *end;
		long n = 0;
		if (strncmp(e->section, "layer.", 6) || !e->section[6] ||
		    ((n = strtol(e->section + 6, &end, 10)), *end) || n < 0) {
			s = lg_ctx_error(ctx, LG_INPUT,
					 "'%s': unknown section [%s] (want [map] or [layer.N])", path,
					 e->section);
			goto done;
		}
		size_t k;
		for (k = 0; k < nsec; k++)
			if (secs[k].n == n)
				break;
		if (k == nsec) {
			if ((s = lg__grow(ctx, (void **)&secs, &cap, nsec + 1, sizeof *secs)))
				goto done;
			memset(&secs[nsec], 0, sizeof *secs);
			secs[nsec].n = n;
			secs[nsec].name = e->section;
			nsec++;
		}
		lg_map_layer_def *d = &secs[k].d;
		if (!strcmp(e->key, "source"))
			d->source = e->value;
		else if (!strcmp(e->key, "style"))
			d->style = e->value;
		else if (!strcmp(e->key, "label_field"))
			d->label_field = e->value;
		else if (!strcmp(e->key, "where"))
			d->where = e->value;
		else if (!strcmp(e->key, "title"))
			d->title = e->value;
		else {
			s = lg_ctx_error(ctx, LG_INPUT,
					 "'%s' [%s]: unknown key '%s' (source style label_field where "
					 "title)",
					 path, e->section, e->key);
			goto done;
		}
	}
	/* layers in the order of N, whatever the file order */
	for (size_t i = 1; i < nsec; i++)
		for (size_t j = i; j > 0 && secs[j - 1].n > secs[j].n; j--) {
			struct sec t = secs[j];
			secs[j] = secs[j - 1];
			secs[j - 1] = t;
		}
	for (size_t i = 0; i < nsec; i++) {
		if (!secs[i].d.source) {
			s = lg_ctx_error(ctx, LG_INPUT, "'%s' [%s]: no source", path, secs[i].name);
			goto done;
		}
		char *src = resolve_source(ctx, path, secs[i].d.source);
		if (!src) {
			s = LG_NOMEM;
			goto done;
		}
		lg_map_layer_def d = secs[i].d;
		d.source = src;
		s = lg_map_add_layer(ctx, m, &d);
		free(src);
		if (s)
			goto done;
	}
done:
	if (s == LG_NOMEM)
		lg_ctx_error(ctx, LG_NOMEM, "out of memory reading '%s'", path);
	free(secs);
	lg__ini_destroy(ini);
	return s;
}

/* --- filters: "FIELD = A|B", "FIELD != A", "FIELD = 07*" ------------------- */

static int field_ref(const lg_layer *l, const char *name)
{
	if (name[0] == '@') {
		for (int r = 0; r < LG_ROLE__COUNT; r++)
			if (!strcmp(lg_role_name((lg_role)r), name + 1))
				return l->role[r];
		return -1;
	}
	return lg_layer_field(l, name);
}

typedef struct where_expr {
	int field;
	bool negate;
	char buf[512];
	char *alt[32];
	int nalt;
} where_expr;

static lg_status where_parse(lg_ctx *ctx, const lg_layer *l, const char *text, where_expr *w)
{
	char name[128];
	const char *op = strstr(text, "!=");
	size_t oplen = 2;
	if (!op) {
		op = strstr(text, "<>");
	}
	w->negate = op != NULL;
	if (!op) {
		op = strchr(text, '=');
		oplen = 1;
	}
	if (!op || op == text)
		return lg_ctx_error(ctx, LG_USAGE,
				    "filter '%s' on '%s': want FIELD = VALUE[|VALUE...] or FIELD != "
				    "VALUE (a trailing * matches any ending)",
				    text, l->path ? l->path : l->name);
	snprintf(name, sizeof name, "%.*s", (int)(op - text), text);
	char *n = lg__trim(name);
	w->field = field_ref(l, n);
	if (w->field < 0)
		return lg_ctx_error(ctx, LG_FIELD, "filter '%s': '%s' has no field '%s'", text,
				    l->path ? l->path : l->name, n);
	snprintf(w->buf, sizeof w->buf, "%s", op + oplen);
	w->nalt = 0;
	char *save = NULL;
	for (char *t = strtok_r(w->buf, "|", &save); t && w->nalt < 32;
	     t = strtok_r(NULL, "|", &save))
		w->alt[w->nalt++] = lg__trim(t);
	return LG_OK;
}

static bool where_test(const lg_layer *l, const lg_feature *f, const where_expr *w)
{
	char vb[256];
	snprintf(vb, sizeof vb, "%s", lg_feature_text(l, f, w->field));
	const char *v = lg__trim(vb);
	bool hit = false;
	for (int i = 0; i < w->nalt && !hit; i++) {
		const char *a = w->alt[i];
		size_t n = strlen(a);
		if (n && a[n - 1] == '*')
			hit = !strncmp(v, a, n - 1);
		else if (!strcmp(v, a))
			hit = true;
		else {
			char *e1, *e2;
			double d1 = strtod(v, &e1), d2 = strtod(a, &e2);
			hit = *v && *a && !*e1 && !*e2 && d1 == d2;
		}
	}
	return hit != w->negate;
}

/* --- render ---------------------------------------------------------------- */

static lg__style *pick_style(lg__styleset *set, const lg__theme *th, const lg_layer *l)
{
	if (th) {
		for (size_t i = 0; i < th->nstyles; i++) {
			lg__style *st = lg__style_find(set, th->styles[i]);
			if (st && lg__style_matches(st, l))
				return st;
		}
		return NULL;
	}
	for (size_t i = 0; i < set->nstyles; i++)
		if (set->styles[i].when && lg__style_matches(&set->styles[i], l))
			return &set->styles[i];
	return lg__style_find(set, "default");
}

/* Symbol of every feature: the style's field, its filters and the layer's. */
static lg_status classify(lg_ctx *ctx, lg__mlayer *ml)
{
	lg_layer *l = ml->data;
	lg__style *st = ml->style;
	where_expr w1, w2;
	bool has1 = false, has2 = false;
	lg_status s;
	int fi = -1;
	if (st->field && (fi = field_ref(l, st->field)) < 0)
		return lg_ctx_error(ctx, LG_FIELD,
				    "style '%s' colours by '%s', which '%s' lacks; name the field "
				    "with --%s-field or pick another style",
				    st->name, st->field, l->path ? l->path : l->name,
				    st->field[0] == '@' ? st->field + 1 : "code");
	if (st->where) {
		if ((s = where_parse(ctx, l, st->where, &w1)))
			return s;
		has1 = true;
	}
	if (ml->where) {
		if ((s = where_parse(ctx, l, ml->where, &w2)))
			return s;
		has2 = true;
	}
	const char *lab = ml->label_field ? ml->label_field : st->label;
	ml->label_idx = -1;
	if (lab) {
		ml->label_idx = field_ref(l, lab);
		if (ml->label_idx < 0 && ml->label_field)
			return lg_ctx_error(ctx, LG_FIELD, "label field '%s': '%s' has no such field",
					    lab, l->path ? l->path : l->name);
	}
	free(ml->sym);
	if (!(ml->sym = lg__calloc(ctx, l->n ? l->n : 1, sizeof *ml->sym)))
		return LG_NOMEM;
	for (size_t i = 0; i < l->n; i++) {
		lg_feature *f = &l->feat[i];
		if ((has1 && !where_test(l, f, &w1)) || (has2 && !where_test(l, f, &w2))) {
			ml->sym[i] = -1;
			continue;
		}
		ml->sym[i] = lg__style_classify(st, fi >= 0 ? lg_feature_text(l, f, fi) : NULL);
	}
	return LG_OK;
}

lg_status lg_map_themes(lg_ctx *ctx, lg_map *m, char *buf, size_t n)
{
	lg__styleset *set = NULL;
	char def[4096];
	lg_status s;
	snprintf(def, sizeof def, "%s/styles/theme.ini", lg_ctx_datadir(ctx));
	if ((s = lg__styles_load(ctx, m->styles_path ? m->styles_path : def, &set)))
		return s;
	if (n)
		buf[0] = 0;
	for (size_t i = 0; i < set->nthemes; i++) {
		size_t k = strlen(buf);
		snprintf(buf + k, n - k, "%s%s", i ? ", " : "", set->themes[i].name);
	}
	lg__styles_destroy(set);
	return LG_OK;
}

lg_status lg_map_render(lg_ctx *ctx, lg_map *m, const char *path, const char *format,
			lg_map_result *res)
{
	lg__styleset *set = NULL;
	lg__theme *th = NULL;
	lg_crs *crs = NULL;
	lg_status s = LG_OK;
	char def[4096];
	char *saved_title = NULL;
	size_t nbase = m->nlayers;
	lg_map_result dummy;

	if (!res)
		res = &dummy;
	memset(res, 0, sizeof *res);
	if (!m->nlayers)
		return lg_ctx_error(ctx, LG_USAGE, "a map needs at least one layer");
	snprintf(def, sizeof def, "%s/styles/theme.ini", lg_ctx_datadir(ctx));
	if ((s = lg__styles_load(ctx, m->styles_path ? m->styles_path : def, &set)))
		return s;
	if (m->theme && !(th = lg__theme_find(set, m->theme))) {
		char names[512] = "";
		for (size_t i = 0; i < set->nthemes; i++) {
			size_t k = strlen(names);
			snprintf(names + k, sizeof names - k, "%s%s", i ? ", " : "",
				 set->themes[i].name);
		}
		s = lg_ctx_error(ctx, LG_USAGE, "unknown theme '%s' (themes in '%s': %s)", m->theme,
				 set->path, names);
		goto done;
	}
	/* read the layers; the map CRS is the first projected one unless given */
	for (size_t i = 0; i < m->nlayers; i++) {
		lg__mlayer *ml = &m->layers[i];
		if (ml->data)
			continue;
		lg_read_opts ro = {0};
		ro.s_srs = m->s_srs;
		ro.encoding = m->encoding;
		if ((s = lg_layer_read(ctx, ml->source, &ro, &ml->data)))
			goto done;
		ml->owned = true;
		if (!ml->data->crs) {
			s = lg_ctx_error(ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs", ml->source);
			goto done;
		}
	}
	if (m->crs_def) {
		if ((s = lg_crs_parse(ctx, m->crs_def, "map crs", &crs)))
			goto done;
	} else {
		for (size_t i = 0; i < m->nlayers && !crs; i++) {
			const lg_layer *l = m->layers[i].data;
			if (l->crs && !lg_crs_is_geographic(l->crs) &&
			    (s = lg_crs_clone(ctx, l->crs, &crs)))
				goto done;
		}
		if (!crs) {
			const lg_layer *l = m->layers[0].data;
			if (!l->crs) {
				s = lg_ctx_error(ctx, LG_NOCRS, "'%s' has no CRS; give --s-srs",
						 m->layers[0].source);
				goto done;
			}
			if ((s = lg_crs_work_for(ctx, l->crs, l->minx, l->miny, l->maxx, l->maxy,
						 &crs)))
				goto done;
		}
	}
	if (lg_crs_is_geographic(crs)) {
		s = lg_ctx_error(ctx, LG_USAGE, "the map CRS must be projected (in metres)");
		goto done;
	}
	for (size_t i = 0; i < nbase; i++) {
		lg__mlayer *ml = &m->layers[i];
		if (ml->data->crs && !lg_crs_same(ml->data->crs, crs)) {
			if (!ml->owned) {
				s = lg_ctx_error(ctx, LG_USAGE,
						 "layer '%s' is not in the map CRS; reproject it first",
						 ml->source);
				goto done;
			}
			if ((s = lg_layer_reproject(ctx, ml->data, crs)))
				goto done;
		}
		if (ml->style_name) {
			if (!(ml->style = lg__style_find(set, ml->style_name))) {
				s = lg_ctx_error(ctx, LG_USAGE, "layer '%s': no style '%s' in '%s'",
						 ml->source, ml->style_name, set->path);
				goto done;
			}
		} else if (!(ml->style = pick_style(set, th, ml->data))) {
			s = lg_ctx_error(ctx, LG_USAGE,
					 "layer '%s': no style of theme '%s' fits it; give one as "
					 "--layer '%s:STYLE'",
					 ml->source, m->theme, ml->source);
			goto done;
		}
		if ((s = classify(ctx, ml)))
			goto done;
	}
	/* `then` styles: the same data drawn again right after, as extra layers */
	for (size_t i = 0; i < nbase; i++) {
		lg__mlayer *ml = &m->layers[i];
		if (!ml->style->then)
			continue;
		lg__style *t = lg__style_find(set, ml->style->then);
		if (!t) {
			s = lg_ctx_error(ctx, LG_INPUT, "'%s' [style.%s]: then = '%s': no such style",
					 set->path, ml->style->name, ml->style->then);
			goto done;
		}
		lg_map_layer_def d = {ml->source, NULL, NULL, ml->where, NULL};
		if ((s = add_layer(ctx, m, &d, m->layers[i].data)))
			goto done;
		lg__mlayer *nl = &m->layers[m->nlayers - 1];
		nl->style = t;
		nl->is_then = true;
		if ((s = classify(ctx, nl)))
			goto done;
	}
	if (!m->title && th && th->title && !(saved_title = m->title = lg__strdup(ctx, th->title))) {
		s = LG_NOMEM;
		goto done;
	}
	if (!m->crs_note && !(m->crs_note = lg__strdup(ctx, DEFAULT_CRS_NOTE))) {
		s = LG_NOMEM;
		goto done;
	}
	s = lg__map_draw(ctx, m, set, crs, path, format, res);
done:
	if (saved_title) {
		free(m->title);
		m->title = NULL;
	}
	/* drop the `then` passes so the map can be drawn again */
	while (m->nlayers > nbase)
		layer_release(ctx, &m->layers[--m->nlayers]);
	for (size_t i = 0; i < m->nlayers; i++)
		m->layers[i].style = NULL;
	if (s == LG_NOMEM)
		lg_ctx_error(ctx, LG_NOMEM, "out of memory drawing the map");
	lg_crs_destroy(crs);
	lg__styles_destroy(set);
	return s;
}
