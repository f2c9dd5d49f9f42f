/* Styles, palettes and themes from datasets/styles/ (README.md there). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_int.h"
#include "landguard/landuse.h"
#include "render/render_int.h"

bool lg__color_parse(const char *s, lg__rgba *c)
{
	unsigned v[4] = {0, 0, 0, 255};
	size_t n = strlen(s);
	memset(c, 0, sizeof *c);
	if (!strcmp(s, "none") || !*s) {
		c->none = true;
		return true;
	}
	if (s[0] != '#' || (n != 7 && n != 9))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	for (size_t i = 0; i < (n - 1) / 2; i++) {
		char h[3] = {s[1 + 2 * i], s[2 + 2 * i], 0};
		v[i] = (unsigned)strtoul(h, NULL, 16);
	}
	c->r = v[0] / 255.0;
	c->g = v[1] / 255.0;
	c->b = v[2] / 255.0;
	c->a = v[3] / 255.0;
	return true;
}

static const char *const hatch_names[] = {"none", "horizontal", "vertical", "fdiag",
					  "bdiag", "cross", "xcross", NULL};
static int name_index(const char *const *names, const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(names[i], s))
			return i;
	return -1;
}

static int marker_of(const char *s)
{
	static const struct {
		const char *n;
		int m;
	} t[] = {{"circle", LG_MARK_CIRCLE},	 {"square", LG_MARK_SQUARE},
		 {"triangle", LG_MARK_TRIANGLE}, {"diamond", LG_MARK_DIAMOND},
		 {"pentagon", LG_MARK_PENTAGON}, {"star", LG_MARK_STAR},
		 {"cross", LG_MARK_CROSS},	 {"x", LG_MARK_X}};
	for (size_t i = 0; i < LG_ARRAY_LEN(t); i++)
		if (!strcmp(t[i].n, s))
			return t[i].m;
	return -1;
}

static void sym_defaults(lg__sym *s)
{
	memset(s, 0, sizeof *s);
	s->fill.none = true;
	s->outline.r = s->outline.g = s->outline.b = 0.25;
	s->outline.a = 1;
	s->hatch_color = s->outline;
	s->width_mm = 0.2;
	s->hatch_spacing_mm = 1.2;
	s->hatch_width_mm = 0.15;
	s->size_mm = 2.5;
}

void lg__sym_release(lg__sym *s)
{
	if (s) {
		free(s->label);
		s->label = NULL;
	}
}

static bool parse_mm(const char *v, double *out)
{
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d) || d < 0 || d > 1000)
		return false;
	*out = d;
	return true;
}

lg_status lg__sym_parse(lg_ctx *ctx, const char *text, lg__sym *sym, const char *where)
{
	const char *p = text;
	char tok[512];
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		size_t n = 0;
		bool quoted = false;
		while (*p && (quoted || (*p != ' ' && *p != '\t')) && n < sizeof tok - 1) {
			if (*p == '"') {
				quoted = !quoted;
				p++;
				continue;
			}
			tok[n++] = *p++;
		}
		tok[n] = 0;
		char *eq = strchr(tok, '=');
		if (!eq)
			return lg_ctx_error(ctx, LG_INPUT, "%s: '%s' is not key=value", where, tok);
		*eq = 0;
		const char *k = tok, *v = eq + 1;
		bool ok = true;
		if (!strcmp(k, "fill"))
			ok = lg__color_parse(v, &sym->fill);
		else if (!strcmp(k, "outline"))
			ok = lg__color_parse(v, &sym->outline);
		else if (!strcmp(k, "hatch_color"))
			ok = lg__color_parse(v, &sym->hatch_color);
		else if (!strcmp(k, "width"))
			ok = parse_mm(v, &sym->width_mm);
		else if (!strcmp(k, "hatch_spacing"))
			ok = parse_mm(v, &sym->hatch_spacing_mm) && sym->hatch_spacing_mm >= 0.2;
		else if (!strcmp(k, "hatch_width"))
			ok = parse_mm(v, &sym->hatch_width_mm);
		else if (!strcmp(k, "size"))
			ok = parse_mm(v, &sym->size_mm);
		else if (!strcmp(k, "hatch"))
			ok = (sym->hatch = name_index(hatch_names, v)) >= 0;
		else if (!strcmp(k, "marker"))
			ok = (sym->marker = marker_of(v)) >= 0;
		else if (!strcmp(k, "dash")) {
			char buf[128];
			snprintf(buf, sizeof buf, "%s", v);
			sym->ndash = 0;
			for (char *s = strtok(buf, ","); s && ok; s = strtok(NULL, ",")) {
				if (sym->ndash == 4 || !parse_mm(s, &sym->dash_mm[sym->ndash]))
					ok = false;
				else
					sym->ndash++;
			}
		} else if (!strcmp(k, "label")) {
			char *l = lg__strdup(ctx, v);
			if (!l)
				return LG_NOMEM;
			free(sym->label);
			sym->label = l;
		} else
			return lg_ctx_error(ctx, LG_INPUT,
					    "%s: unknown symbol property '%s' (fill outline width dash "
					    "hatch hatch_color hatch_spacing hatch_width marker size label)",
					    where, k);
		if (!ok)
			return lg_ctx_error(ctx, LG_INPUT, "%s: bad value '%s' for '%s'", where, v, k);
	}
	return LG_OK;
}

/* --- palettes ------------------------------------------------------------ */

static lg_status load_palette(lg_ctx *ctx, lg__style *st, const char *path)
{
	lg__csv *csv = NULL;
	lg_status s;
	bool eof = false;
	size_t cap = st->npal;
	if ((s = lg__csv_open(ctx, path, &csv)))
		return s;
	int ci[6] = {lg__csv_column(csv, "code"), lg__csv_column(csv, "name"),
		     lg__csv_column(csv, "r"),	  lg__csv_column(csv, "g"),
		     lg__csv_column(csv, "b"),	  lg__csv_column(csv, "outline")};
	for (int i = 0; i < 5; i++)
		if (ci[i] < 0) {
			s = lg_ctx_error(ctx, LG_INPUT,
					 "palette '%s' lacks column '%s' (want code,name,r,g,b[,outline])",
					 path, (const char *[]){"code", "name", "r", "g", "b"}[i]);
			goto done;
		}
	for (;;) {
		if ((s = lg__csv_next(csv, &eof)) || eof)
			break;
		int rgb[3];
		for (int i = 0; i < 3; i++) {
			char *end;
			const char *f = lg__csv_field(csv, (size_t)ci[2 + i]);
			long v = strtol(f, &end, 10);
			if (end == f || *end || v < 0 || v > 255) {
				s = lg__csv_error(csv, (size_t)ci[2 + i], "want 0-255, got '%s'", f);
				goto done;
			}
			rgb[i] = (int)v;
		}
		if ((s = lg__grow(ctx, (void **)&st->pal, &cap, st->npal + 1, sizeof *st->pal)))
			goto done;
		lg__pal *p = &st->pal[st->npal];
		memset(p, 0, sizeof *p);
		p->code = lg__strdup(ctx, lg__csv_field(csv, (size_t)ci[0]));
		p->name = lg__strdup(ctx, lg__csv_field(csv, (size_t)ci[1]));
		if (!p->code || !p->name) {
			free(p->code);
			free(p->name);
			s = LG_NOMEM;
			goto done;
		}
		st->npal++;
		p->fill = (lg__rgba){rgb[0] / 255.0, rgb[1] / 255.0, rgb[2] / 255.0, 1, false};
		p->outline.none = true;
		const char *o = ci[5] >= 0 ? lg__csv_field(csv, (size_t)ci[5]) : "";
		if (*o && !lg__color_parse(o, &p->outline)) {
			s = lg__csv_error(csv, (size_t)ci[5], "want #RRGGBB, got '%s'", o);
			goto done;
		}
		if (!*o)
			p->outline.none = true;
	}
done:
	lg__csv_close(csv);
	return s;
}

int lg__palette_lookup(const lg__pal *pal, size_t n, const char *code)
{
	size_t cl = strlen(code);
	int best = -1;
	size_t bestlen = 0;
	if (!cl)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t pl = strlen(pal[i].code);
		if (pl <= cl && pl > bestlen && !strncasecmp(pal[i].code, code, pl)) {
			best = (int)i;
			bestlen = pl;
		}
	}
	if (best >= 0)
		return best;
	/* No listed prefix: the nearest listed code of the same family, i.e.
	 * among listed codes sharing the longest possible prefix with `code`,
	 * the greatest one below it (0702 as 0701, 0704 as 0703), else the
	 * first (08 as 0801, 10 as 1001, 14 as 1401). */
	for (size_t plen = cl; plen >= 1; plen--) {
		int below = -1, first = -1;
		for (size_t i = 0; i < n; i++) {
			const char *c = pal[i].code;
			if (strlen(c) <= plen || strncasecmp(c, code, plen))
				continue;
			if (strcasecmp(c, code) < 0 && (below < 0 || strcasecmp(c, pal[below].code) > 0))
				below = (int)i;
			if (first < 0 || strcasecmp(c, pal[first].code) < 0)
				first = (int)i;
		}
		if (below >= 0 || first >= 0)
			return below >= 0 ? below : first;
	}
	return -1;
}

/* --- the styles file --------------------------------------------------------- */

static void style_release(lg__style *st)
{
	free(st->name);
	free(st->title);
	free(st->when);
	free(st->where);
	free(st->field);
	free(st->label);
	free(st->then);
	lg__sym_release(&st->base);
	lg__sym_release(&st->other);
	for (size_t i = 0; i < st->ncats; i++) {
		for (size_t k = 0; k < st->cats[i].nkeys; k++)
			free(st->cats[i].keys[k]);
		free(st->cats[i].keys);
		lg__sym_release(&st->cats[i].sym);
	}
	free(st->cats);
	for (size_t i = 0; i < st->npal; i++) {
		free(st->pal[i].code);
		free(st->pal[i].name);
	}
	free(st->pal);
}

void lg__styles_destroy(lg__styleset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nstyles; i++)
		style_release(&s->styles[i]);
	free(s->styles);
	for (size_t i = 0; i < s->nthemes; i++) {
		free(s->themes[i].name);
		free(s->themes[i].title);
		free(s->themes[i].subtitle);
		for (size_t k = 0; k < s->themes[i].nstyles; k++)
			free(s->themes[i].styles[k]);
		free(s->themes[i].styles);
	}
	free(s->themes);
	free(s->path);
	free(s);
}

lg__style *lg__style_find(lg__styleset *s, const char *name)
{
	for (size_t i = 0; s && i < s->nstyles; i++)
		if (!strcmp(s->styles[i].name, name))
			return &s->styles[i];
	return NULL;
}

lg__theme *lg__theme_find(lg__styleset *s, const char *name)
{
	for (size_t i = 0; s && i < s->nthemes; i++)
		if (!strcmp(s->themes[i].name, name))
			return &s->themes[i];
	return NULL;
}

static lg_status set_str(lg_ctx *ctx, char **dst, const char *v)
{
	char *s = lg__strdup(ctx, v);
	if (!s)
		return LG_NOMEM;
	free(*dst);
	*dst = s;
	return LG_OK;
}

/* Splits "a|b|c" or "a, b, c" into trimmed parts. */
static lg_status split(lg_ctx *ctx, const char *v, const char *seps, char ***out, size_t *n)
{
	char *buf = lg__strdup(ctx, v);
	size_t cap = 0;
	lg_status s = LG_OK;
	if (!buf)
		return LG_NOMEM;
	*out = NULL;
	*n = 0;
	char *save = NULL;
	for (char *t = strtok_r(buf, seps, &save); t; t = strtok_r(NULL, seps, &save)) {
		t = lg__trim(t);
		if (!*t)
			continue;
		if ((s = lg__grow(ctx, (void **)out, &cap, *n + 1, sizeof **out)))
			break;
		if (!((*out)[*n] = lg__strdup(ctx, t))) {
			s = LG_NOMEM;
			break;
		}
		(*n)++;
	}
	free(buf);
	return s;
}

static lg_status style_key(lg_ctx *ctx, lg__styleset *set, lg__style *st, const lg__ini_entry *e,
			   size_t *catcap)
{
	const char *k = e->key, *v = e->value;
	char where[256];
	lg_status s;
	snprintf(where, sizeof where, "'%s' [%s] %s", set->path, e->section, k);
	if (!strcmp(k, "title"))
		return set_str(ctx, &st->title, v);
	if (!strcmp(k, "when"))
		return set_str(ctx, &st->when, v);
	if (!strcmp(k, "where"))
		return set_str(ctx, &st->where, v);
	if (!strcmp(k, "field"))
		return set_str(ctx, &st->field, v);
	if (!strcmp(k, "label"))
		return set_str(ctx, &st->label, v);
	if (!strcmp(k, "then"))
		return set_str(ctx, &st->then, v);
	if (!strcmp(k, "match")) {
		if (strcmp(v, "stage") && strcmp(v, "exact"))
			return lg_ctx_error(ctx, LG_INPUT, "%s: want 'stage' or 'exact', got '%s'",
					    where, v);
		st->match_stage = !strcmp(v, "stage");
		return LG_OK;
	}
	if (!strcmp(k, "order")) {
		if (strcmp(v, "category") && strcmp(v, "feature"))
			return lg_ctx_error(ctx, LG_INPUT, "%s: want 'category' or 'feature', got '%s'",
					    where, v);
		st->order_by_cat = !strcmp(v, "category");
		return LG_OK;
	}
	if (!strcmp(k, "opacity")) {
		if (!parse_mm(v, &st->opacity) || st->opacity > 1)
			return lg_ctx_error(ctx, LG_INPUT, "%s: want 0 to 1, got '%s'", where, v);
		return LG_OK;
	}
	if (!strcmp(k, "min_size")) {
		if (!parse_mm(v, &st->min_size_mm))
			return lg_ctx_error(ctx, LG_INPUT, "%s: want millimetres, got '%s'", where, v);
		return LG_OK;
	}
	if (!strcmp(k, "symbol")) {
		st->has_base = true;
		return lg__sym_parse(ctx, v, &st->base, where);
	}
	if (!strcmp(k, "other")) {
		st->has_other = true;
		return lg__sym_parse(ctx, v, &st->other, where);
	}
	if (!strcmp(k, "label_style")) {
		char buf[512], *save = NULL;
		snprintf(buf, sizeof buf, "%s", v);
		for (char *t = strtok_r(buf, " \t", &save); t; t = strtok_r(NULL, " \t", &save)) {
			char *eq = strchr(t, '=');
			bool ok = eq != NULL;
			if (ok) {
				*eq = 0;
				if (!strcmp(t, "size"))
					ok = parse_mm(eq + 1, &st->label_size_mm);
				else if (!strcmp(t, "color"))
					ok = lg__color_parse(eq + 1, &st->label_color);
				else if (!strcmp(t, "halo"))
					ok = lg__color_parse(eq + 1, &st->label_halo);
				else if (!strcmp(t, "max_scale"))
				{
					char *end;
					st->label_max_scale = strtod(eq + 1, &end);
					ok = end != eq + 1 && !*end && st->label_max_scale > 0;
				}
				else if (!strcmp(t, "font"))
					st->label_serif = !strcmp(eq + 1, "serif");
				else
					ok = false;
			}
			if (!ok)
				return lg_ctx_error(ctx, LG_INPUT,
						    "%s: bad '%s' (want size=MM color=#RRGGBB "
						    "halo=#RRGGBB font=sans|serif max_scale=N)",
						    where, t);
		}
		return LG_OK;
	}
	if (!strcmp(k, "palette")) {
		char **files = NULL;
		size_t nf = 0;
		if ((s = split(ctx, v, " \t,", &files, &nf)))
			return s;
		for (size_t i = 0; i < nf && !s; i++) {
			char *path = lg__path_join_dir(ctx, set->path, files[i]);
			s = path ? load_palette(ctx, st, path) : LG_NOMEM;
			free(path);
		}
		for (size_t i = 0; i < nf; i++)
			free(files[i]);
		free(files);
		return s;
	}
	if (!strncmp(k, "cat.", 4) && k[4]) {
		if ((s = lg__grow(ctx, (void **)&st->cats, catcap, st->ncats + 1, sizeof *st->cats)))
			return s;
		lg__cat *c = &st->cats[st->ncats];
		memset(c, 0, sizeof *c);
		sym_defaults(&c->sym);
		st->ncats++;
		if ((s = split(ctx, k + 4, "|", &c->keys, &c->nkeys)))
			return s;
		if ((s = lg__sym_parse(ctx, v, &c->sym, where)))
			return s;
		if (!c->sym.label && !(c->sym.label = lg__strdup(ctx, c->keys[0])))
			return LG_NOMEM;
		return LG_OK;
	}
	return lg_ctx_error(ctx, LG_INPUT,
			    "%s: unknown key (title when where field match symbol other cat.VALUE "
			    "palette label label_style then min_size opacity order)",
			    where);
}

static lg_status theme_key(lg_ctx *ctx, lg__styleset *set, lg__theme *th, const lg__ini_entry *e)
{
	if (!strcmp(e->key, "title"))
		return set_str(ctx, &th->title, e->value);
	if (!strcmp(e->key, "subtitle"))
		return set_str(ctx, &th->subtitle, e->value);
	if (!strcmp(e->key, "styles")) {
		for (size_t k = 0; k < th->nstyles; k++)
			free(th->styles[k]);
		free(th->styles);
		return split(ctx, e->value, ", \t", &th->styles, &th->nstyles);
	}
	return lg_ctx_error(ctx, LG_INPUT, "'%s' [%s]: unknown key '%s' (title subtitle styles)",
			    set->path, e->section, e->key);
}

lg_status lg__styles_load(lg_ctx *ctx, const char *path, lg__styleset **out)
{
	lg__ini *ini = NULL;
	lg__styleset *set = NULL;
	lg_status s;
	size_t scap = 0, tcap = 0, catcap = 0;
	*out = NULL;
	if ((s = lg__ini_read(ctx, path, &ini)))
		return s;
	if (!(set = lg__calloc(ctx, 1, sizeof *set)) || !(set->path = lg__strdup(ctx, path))) {
		s = LG_NOMEM;
		goto done;
	}
	const char *cur = NULL;
	lg__style *st = NULL;
	lg__theme *th = NULL;
	for (size_t i = 0; i < ini->n; i++) {
		const lg__ini_entry *e = &ini->e[i];
		if (!cur || strcmp(cur, e->section)) {
			cur = e->section;
			st = NULL;
			th = NULL;
			if (!strncmp(cur, "style.", 6) && cur[6]) {
				if ((st = lg__style_find(set, cur + 6)) == NULL) {
					if ((s = lg__grow(ctx, (void **)&set->styles, &scap,
							  set->nstyles + 1, sizeof *set->styles)))
						goto done;
					st = &set->styles[set->nstyles++];
					memset(st, 0, sizeof *st);
					sym_defaults(&st->base);
					sym_defaults(&st->other);
					st->label_size_mm = 2.6;
					st->opacity = 1;
					st->label_color = (lg__rgba){0.1, 0.1, 0.1, 1, false};
					st->label_halo = (lg__rgba){1, 1, 1, 1, false};
					st->label_serif = true;
					catcap = 0;
					if (!(st->name = lg__strdup(ctx, cur + 6)) ||
					    !(st->title = lg__strdup(ctx, cur + 6))) {
						s = LG_NOMEM;
						goto done;
					}
				}
			} else if (!strncmp(cur, "theme.", 6) && cur[6]) {
				if ((s = lg__grow(ctx, (void **)&set->themes, &tcap, set->nthemes + 1,
						  sizeof *set->themes)))
					goto done;
				th = &set->themes[set->nthemes++];
				memset(th, 0, sizeof *th);
				if (!(th->name = lg__strdup(ctx, cur + 6))) {
					s = LG_NOMEM;
					goto done;
				}
			} else {
				s = lg_ctx_error(ctx, LG_INPUT,
						 "'%s': unknown section [%s] (want [style.NAME] or "
						 "[theme.NAME])",
						 path, cur);
				goto done;
			}
		}
		s = st ? style_key(ctx, set, st, e, &catcap) : theme_key(ctx, set, th, e);
		if (s)
			goto done;
	}
	for (size_t i = 0; i < set->nthemes; i++)
		for (size_t k = 0; k < set->themes[i].nstyles; k++)
			if (!lg__style_find(set, set->themes[i].styles[k])) {
				s = lg_ctx_error(ctx, LG_INPUT, "'%s' [theme.%s]: no [style.%s]", path,
						 set->themes[i].name, set->themes[i].styles[k]);
				goto done;
			}
	*out = set;
	set = NULL;
done:
	if (s == LG_NOMEM)
		lg_ctx_error(ctx, LG_NOMEM, "out of memory reading '%s'", path);
	lg__ini_destroy(ini);
	lg__styles_destroy(set);
	return s;
}

/* --- matching ------------------------------------------------------------------ */

static bool has_field(const lg_layer *l, const char *name)
{
	return lg_layer_field(l, name) >= 0;
}

static bool geom_is(const lg_layer *l, const char *kind)
{
	int t = l->geom_type % 1000;
	if (!strcmp(kind, "point"))
		return t == 1 || t == 4;
	if (!strcmp(kind, "line"))
		return t == 2 || t == 5;
	if (!strcmp(kind, "polygon"))
		return t == 3 || t == 6;
	return false;
}

static bool cond_true(const lg_layer *l, const char *c)
{
	if (!strncmp(c, "field:", 6))
		return has_field(l, c + 6);
	if (!strncmp(c, "geom:", 5))
		return geom_is(l, c + 5);
	if (!strncmp(c, "name:", 5))
		return l->name && strstr(l->name, c + 5);
	if (!strncmp(c, "role:", 5)) {
		for (int r = 0; r < LG_ROLE__COUNT; r++)
			if (!strcmp(lg_role_name((lg_role)r), c + 5))
				return l->role[r] >= 0;
	}
	return false;
}

bool lg__style_matches(const lg__style *st, const lg_layer *l)
{
	char buf[1024];
	if (!st->when)
		return true;
	snprintf(buf, sizeof buf, "%s", st->when);
	char *s1 = NULL;
	for (char *alt = strtok_r(buf, ",", &s1); alt; alt = strtok_r(NULL, ",", &s1)) {
		char *s2 = NULL;
		bool all = true, any = false;
		for (char *c = strtok_r(alt, " \t", &s2); c; c = strtok_r(NULL, " \t", &s2)) {
			any = true;
			if (!cond_true(l, c))
				all = false;
		}
		if (any && all)
			return true;
	}
	return false;
}

int lg__style_nsyms(const lg__style *st)
{
	return (int)(st->ncats + st->npal) + 2;
}
int lg__style_sym_base(const lg__style *st)
{
	return (int)(st->ncats + st->npal);
}
int lg__style_sym_other(const lg__style *st)
{
	return (int)(st->ncats + st->npal) + 1;
}

const lg__sym *lg__style_sym(const lg__style *st, int i, lg__sym *tmp)
{
	if (i < 0)
		return NULL;
	if ((size_t)i < st->ncats)
		return &st->cats[i].sym;
	if ((size_t)i < st->ncats + st->npal) {
		const lg__pal *p = &st->pal[(size_t)i - st->ncats];
		*tmp = st->base;
		tmp->label = NULL;
		tmp->fill = p->fill;
		if (!p->outline.none) {
			tmp->outline = p->outline;
			if (tmp->width_mm < 0.1)
				tmp->width_mm = 0.1;
		}
		return tmp;
	}
	if (i == lg__style_sym_base(st))
		return &st->base;
	return &st->other;
}

int lg__style_classify(const lg__style *st, const char *value)
{
	if (!st->field)
		return lg__style_sym_base(st);
	const char *v = value ? value : "";
	char vb[256];
	snprintf(vb, sizeof vb, "%s", v);
	char *t = lg__trim(vb);
	if (st->match_stage) {
		lg_stage sg;
		if (lg_stage_parse(t, &sg))
			t = (char *)lg_stage_name(sg);
	}
	for (size_t i = 0; i < st->ncats; i++)
		for (size_t k = 0; k < st->cats[i].nkeys; k++)
			if (!strcmp(st->cats[i].keys[k], t) ||
			    (!st->match_stage && lg__strieq(st->cats[i].keys[k], t)))
				return (int)i;
	if (st->npal) {
		int r = lg__palette_lookup(st->pal, st->npal, t);
		if (r >= 0)
			return (int)st->ncats + r;
	}
	return st->has_other ? lg__style_sym_other(st) : -1;
}
