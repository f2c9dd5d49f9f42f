/* Private to lib/render: pango text helpers (the only cairo/pango users
 * are the files of lib/render). */
#ifndef LG_TEXT_INT_H
#define LG_TEXT_INT_H

#include <cairo.h>
#include <pango/pangocairo.h>

enum { LG_FONT_ROLE_SANS = 0, LG_FONT_ROLE_BOLD = 1, LG_FONT_ROLE_SERIF = 2 };

/* A pango context for `cr` with unhinted metrics; g_object_unref() it. */
PangoContext *lg__text_context(cairo_t *cr);
/* A layout of `text` in the role's face, size in user units (mm). */
PangoLayout *lg__text_layout(PangoContext *pc, const char *text, int role, double size_mm);
/* Logical width and height of a layout in user units. */
void lg__text_size(PangoLayout *lay, double *w, double *h);
/*
 * Draws text anchored at (x, y): halign 0 left, 1 centre, 2 right; valign
 * 0 top, 1 middle, 2 bottom of the logical box.  halo_rgb (may be NULL)
 * strokes a halo under the glyphs.  Returns the box size through out_w/h.
 */
void lg__text_draw(cairo_t *cr, PangoContext *pc, const char *text, int role, double size_mm,
		   double x, double y, int halign, int valign, const double rgb[3],
		   const double *halo_rgb, double *out_w, double *out_h);

#endif
