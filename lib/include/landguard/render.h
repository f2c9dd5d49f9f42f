/**
 * Maps: print-ready sheets (PDF, SVG, PNG) drawn with cairo and pango.
 *
 * A map is a document (page, title, office, date, notes) plus layers, each
 * drawn with a style.  Styles, palettes and ready-made themes live in data
 * files (lg_ctx_datadir()/styles/theme.ini and the palette CSVs it names;
 * datasets/styles/README.md), never in code, so an office can swap in its
 * own.  The sheet carries what a bureau meeting map carries (DOMAIN.md §7):
 * 图名 and subtitle, a legend built from the categories actually drawn, a
 * numeric scale rounded to a nice value with a scale bar, a north arrow,
 * coordinate ticks and grid marks in the map CRS, the CRS note, 制图单位,
 * 制图日期 and data sources.  Text is set with fontconfig names: "Noto Sans
 * CJK SC" for title and legend (黑体), "Noto Serif CJK SC" for notes and
 * place names (宋体).
 *
 * Output is deterministic: the same map and date give the same bytes (the
 * PDF's creation date is the map date).  Files are written under a
 * temporary name and renamed into place when complete.
 *
 * Ownership: an lg_map owns copies of every string given to it and the
 * layers it reads; layers added with lg_map_add_data() stay the caller's.
 * Destroy the map with the context that made it, before the context.
 */
#ifndef LANDGUARD_RENDER_H
#define LANDGUARD_RENDER_H

#include "landguard/core.h"
#include "landguard/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct lg_map lg_map;

/** One layer of a map, as a map file's [layer.N] section gives it. */
typedef struct lg_map_layer_def {
	const char *source;      /* "path", "path#layer" (lg_layer_read) */
	const char *style;       /* style name of the styles file; NULL = detect */
	const char *label_field; /* field (or @role) labelled; NULL = the style's */
	const char *where;       /* filter "FIELD = A|B", "FIELD != X", "F = 07*"; NULL = all */
	const char *title;       /* legend heading; NULL = the style's title */
} lg_map_layer_def;

/** What lg_map_render() did; all lengths in output units (px for PNG, pt
 *  for PDF and SVG), origin top-left. */
typedef struct lg_map_result {
	double scale;           /* denominator N of 1:N */
	double frame[4];        /* map frame x, y, width, height */
	double width, height;   /* page */
	double view[4];         /* map extent shown, minx miny maxx maxy (map CRS) */
	size_t features;        /* features drawn */
	size_t labels, labels_skipped; /* labels placed / dropped on collision */
	size_t legend_entries;
	const char *format;     /* "png", "pdf", "svg" (static) */
} lg_map_result;

/** A new empty map (A3 landscape, 200 dpi, the house styles); NULL on OOM
 *  (with LG_NOMEM in ctx).  Free with lg_map_destroy(). */
lg_map *lg_map_create(lg_ctx *ctx);
/** Frees the map and the layers it read; NULL is a no-op. */
void lg_map_destroy(lg_ctx *ctx, lg_map *m);

/**
 * Sets a document property; the keys are those of a map file's [map]
 * section: title, subtitle, office, date (YYYY-MM-DD; default today),
 * page (A4, A3), orientation (portrait, landscape), dpi (PNG, 36-1200),
 * crs_note (default "2000国家大地坐标系"), sources (data sources note),
 * extent ("minx,miny,maxx,maxy" in the map CRS; default: union of the
 * layers), scale (denominator; default: the nicest that fits), crs (map
 * CRS, anything PROJ accepts; default: the first layer's projected CRS),
 * theme (sites, riverbuf, gwzone, overview, or any [theme.*] of the styles
 * file), styles (path of a styles file; default datadir/styles/theme.ini),
 * s_srs and encoding (for inputs, as lg_read_opts).  A NULL or "" value
 * resets to the default.  LG_USAGE naming the key and value when either
 * is bad.
 */
lg_status lg_map_set(lg_ctx *ctx, lg_map *m, const char *key,
		     const char *value);

/**
 * Reads a map file: [map] keys as lg_map_set(), then [layer.N] sections
 * (source, style, label_field, where, title) in the order of N.  Paths in
 * the file (source, styles) are relative to the file's directory.  A long
 * value may continue on indented lines.  Unknown keys and sections are
 * LG_INPUT with file, line and key.  Nothing in a map file runs a command.
 */
lg_status lg_map_load_ini(lg_ctx *ctx, lg_map *m, const char *path);

/** Adds a layer read from def->source when the map is drawn.  Strings are
 *  copied; the source is taken as given (relative to the working dir). */
lg_status lg_map_add_layer(lg_ctx *ctx, lg_map *m,
			   const lg_map_layer_def *def);
/** Adds a layer already in memory; `layer` is borrowed and must outlive
 *  the map (def->source is ignored). */
lg_status lg_map_add_data(lg_ctx *ctx, lg_map *m, lg_layer *layer,
			  const lg_map_layer_def *def);

/**
 * Reads the layers, resolves styles, and draws the sheet to `path`; the
 * format follows the extension (.png, .pdf, .svg) unless `format` says so.
 * `res` (may be NULL) receives what was drawn.  LG_USAGE for no layers or
 * an unknown format, style or theme; LG_INPUT/LG_NOFILE from the inputs
 * and styles files; LG_WRITE when the file cannot be written (an existing
 * file is then left untouched).
 */
lg_status lg_map_render(lg_ctx *ctx, lg_map *m, const char *path,
			const char *format, lg_map_result *res);

/** Names of the themes in the map's styles file, comma-separated, into
 *  `buf` (for --help and messages).  LG_NOFILE/LG_INPUT when it cannot
 *  be read. */
lg_status lg_map_themes(lg_ctx *ctx, lg_map *m, char *buf, size_t n);

/* --- images (for tests and reports) --------------------------------- */

/** An RGB raster read from a PNG, or a rasterised text probe. */
typedef struct lg_image {
	int width, height;
	unsigned char *rgb; /* width*height*3 bytes, row-major, top row first */
} lg_image;

/** Reads a PNG file (alpha composited on white).  Free with
 *  lg_image_destroy().  LG_NOFILE/LG_INPUT when it cannot be read. */
lg_status lg_image_read_png(lg_ctx *ctx, const char *path, lg_image **out);
/** Frees an image; NULL is a no-op. */
void lg_image_destroy(lg_image *img);

/**
 * Sets `text` in black on white with pango in the map's font for `role`
 * ("sans" = 黑体 stand-in, "serif" = 宋体 stand-in) at `size_px` pixels,
 * into a new image; *unknown_glyphs receives how many characters no
 * installed font has (drawn as pango's hex boxes).  For tests and for
 * checking an installation can print Chinese.
 */
lg_status lg_image_text(lg_ctx *ctx, const char *text, const char *role,
			double size_px, lg_image **out, int *unknown_glyphs);

#ifdef __cplusplus
}
#endif
#endif
