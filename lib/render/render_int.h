/* Private to lib/render: styles, the map model and the drawing helpers. */
#ifndef LG_RENDER_INT_H
#define LG_RENDER_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "landguard/render.h"
#include "lg_internal.h"

/* Colour with alpha, 0..1; `none` = not drawn. */
typedef struct lg__rgba {
	double r, g, b, a;
	bool none;
} lg__rgba;

enum lg__hatch {
	LG_HATCH_NONE = 0,
	LG_HATCH_HORIZONTAL,
	LG_HATCH_VERTICAL,
	LG_HATCH_FDIAG, /* "/" */
	LG_HATCH_BDIAG, /* "\" */
	LG_HATCH_CROSS, /* "+" */
	LG_HATCH_XCROSS /* "x" */
};

enum lg__marker {
	LG_MARK_CIRCLE = 0,
	LG_MARK_SQUARE,
	LG_MARK_TRIANGLE,
	LG_MARK_DIAMOND,
	LG_MARK_PENTAGON,
	LG_MARK_STAR,
	LG_MARK_CROSS,
	LG_MARK_X
};

/* One symbol: all lengths in millimetres on paper. */
typedef struct lg__sym {
	char *label; /* legend text (owned) */
	lg__rgba fill, outline, hatch_color;
	double width_mm;
	double dash_mm[4];
	int ndash;
	int hatch;
	double hatch_spacing_mm, hatch_width_mm;
	int marker;
	double size_mm;
} lg__sym;

/* A palette row (code,name,r,g,b[,outline]). */
typedef struct lg__pal {
	char *code, *name;
	lg__rgba fill, outline;
} lg__pal;

typedef struct lg__cat {
	char **keys; /* aliases; stage names when match = stage */
	size_t nkeys;
	lg__sym sym;
} lg__cat;

typedef struct lg__style {
	char *name, *title, *when, *where, *field, *label, *then;
	bool match_stage;
	lg__sym base;    /* `symbol`: the single symbol, or the palette base */
	bool has_base;
	lg__sym other;   /* values nothing else matches; drawn when has_other */
	bool has_other;
	lg__cat *cats;
	size_t ncats;
	lg__pal *pal;
	size_t npal;
	/* label text */
	double label_size_mm;
	lg__rgba label_color, label_halo;
	bool label_serif;
	double label_max_scale; /* labels only at 1:N with N <= this; 0 = always */
	double min_size_mm;     /* polygons smaller on paper drawn as a dot this size */
	double opacity;         /* whole layer, 0..1 (base maps under thematic layers) */
	bool order_by_cat;      /* draw features category by category, in file order */
} lg__style;

typedef struct lg__theme {
	char *name, *title, *subtitle;
	char **styles;
	size_t nstyles;
} lg__theme;

typedef struct lg__styleset {
	char *path;
	lg__style *styles;
	size_t nstyles;
	lg__theme *themes;
	size_t nthemes;
} lg__styleset;

/* Loads a styles file and the palettes it names (relative to it). */
lg_status lg__styles_load(lg_ctx *ctx, const char *path, lg__styleset **out);
void lg__styles_destroy(lg__styleset *s);
lg__style *lg__style_find(lg__styleset *s, const char *name);
lg__theme *lg__theme_find(lg__styleset *s, const char *name);
/* Does the style's `when` match the layer? */
bool lg__style_matches(const lg__style *st, const lg_layer *l);
/* Parses "key=value key=value" into a symbol (defaults kept). */
lg_status lg__sym_parse(lg_ctx *ctx, const char *text, lg__sym *sym,
			const char *where);
void lg__sym_release(lg__sym *s);
/* Parses "#RRGGBB", "#RRGGBBAA" or "none". */
bool lg__color_parse(const char *s, lg__rgba *c);

/*
 * Symbol numbering of a style: 0..ncats-1 categories, ncats..ncats+npal-1
 * palette rows, then SYM_BASE (single symbol), SYM_OTHER; -1 = not drawn.
 */
int lg__style_nsyms(const lg__style *st);
int lg__style_sym_base(const lg__style *st);
int lg__style_sym_other(const lg__style *st);
/* The symbol of index i, built for palette rows into *tmp. */
const lg__sym *lg__style_sym(const lg__style *st, int i, lg__sym *tmp);
/* Symbol index of a value (the categorising field's text). */
int lg__style_classify(const lg__style *st, const char *value);
/* Palette row index of a land-use code: exact, longest listed prefix, first
 * listed child; -1 when none. */
int lg__palette_lookup(const lg__pal *pal, size_t n, const char *code);

/* A layer of the map. */
typedef struct lg__mlayer {
	char *source, *style_name, *label_field, *where, *title;
	lg_layer *data;  /* read at render time (owned) or given (borrowed) */
	bool owned;
	lg__style *style;
	int *sym;        /* per feature: symbol index, -1 = not drawn */
	int label_idx;   /* field labelled, -1 = none */
	bool is_then;    /* drawn by another layer's `then` */
} lg__mlayer;

struct lg_map {
	char *title, *subtitle, *office, *date, *crs_note, *sources, *crs_def;
	char *theme, *styles_path, *s_srs, *encoding;
	bool title_set;
	int page_a; /* 3 = A3, 4 = A4 */
	bool landscape;
	double dpi;
	double extent[4];
	bool has_extent;
	double scale; /* 0 = choose */
	lg__mlayer *layers;
	size_t nlayers, cap;
};

/* Draws the sheet (lib/render/sheet.c); layers already read and styled. */
lg_status lg__map_draw(lg_ctx *ctx, lg_map *m, lg__styleset *set, const lg_crs *crs,
		       const char *path, const char *format, lg_map_result *res);

/* A whole INI file read with inih: entries in file order, continuation
 * lines (indented) joined to their key's value with a space. */
typedef struct lg__ini_entry {
	char *section, *key, *value;
} lg__ini_entry;
typedef struct lg__ini {
	char *path;
	lg__ini_entry *e;
	size_t n, cap;
} lg__ini;
/* LG_NOFILE when unreadable, LG_INPUT naming the line when a line is too
 * long for inih or malformed. */
lg_status lg__ini_read(lg_ctx *ctx, const char *path, lg__ini **out);
void lg__ini_destroy(lg__ini *ini);
/* Directory of `path` joined with `rel` (rel as is when absolute); new
 * string, NULL on OOM. */
char *lg__path_join_dir(lg_ctx *ctx, const char *path, const char *rel);

#endif
