/* Text with pango: fonts by role, measured and set in millimetres. */
#include <math.h>
#include <string.h>

#include "render/text_int.h"

/* fontconfig names of the faces standing in for 黑体 and 宋体 (DOMAIN.md §7). */
#define LG_FONT_SANS "Noto Sans CJK SC"
#define LG_FONT_SERIF "Noto Serif CJK SC"

PangoContext *lg__text_context(cairo_t *cr)
{
	PangoContext *pc = pango_cairo_create_context(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	/* Unhinted outlines and metrics: text measures the same at every DPI
	 * and in PDF, SVG and PNG, so layouts do not shift between formats. */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_antialias(fo, CAIRO_ANTIALIAS_GRAY);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	return pc;
}

PangoLayout *lg__text_layout(PangoContext *pc, const char *text, int role, double size_mm)
{
	PangoLayout *lay = pango_layout_new(pc);
	PangoFontDescription *fd = pango_font_description_from_string(
		role == LG_FONT_ROLE_SERIF ? LG_FONT_SERIF : LG_FONT_SANS);
	if (role == LG_FONT_ROLE_BOLD)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_font_description_set_absolute_size(fd, size_mm * PANGO_SCALE);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_text(lay, text, -1);
	return lay;
}

void lg__text_size(PangoLayout *lay, double *w, double *h)
{
	PangoRectangle ink, log;
	pango_layout_get_extents(lay, &ink, &log);
	*w = (double)log.width / PANGO_SCALE;
	*h = (double)log.height / PANGO_SCALE;
}

void lg__text_draw(cairo_t *cr, PangoContext *pc, const char *text, int role, double size_mm,
		   double x, double y, int halign, int valign, const double rgb[3],
		   const double *halo_rgb, double *out_w, double *out_h)
{
	PangoLayout *lay = lg__text_layout(pc, text, role, size_mm);
	double w, h;
	lg__text_size(lay, &w, &h);
	double x0 = x - (halign == 1 ? w / 2 : halign == 2 ? w : 0);
	double y0 = y - (valign == 1 ? h / 2 : valign == 2 ? h : 0);
	cairo_save(cr);
	cairo_move_to(cr, x0, y0);
	pango_cairo_update_layout(cr, lay);
	if (halo_rgb) {
		cairo_save(cr);
		pango_cairo_layout_path(cr, lay);
		cairo_set_source_rgb(cr, halo_rgb[0], halo_rgb[1], halo_rgb[2]);
		cairo_set_line_width(cr, size_mm * 0.22);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_stroke(cr);
		cairo_restore(cr);
		cairo_move_to(cr, x0, y0);
	}
	cairo_set_source_rgb(cr, rgb[0], rgb[1], rgb[2]);
	pango_cairo_show_layout(cr, lay);
	cairo_restore(cr);
	g_object_unref(lay);
	if (out_w)
		*out_w = w;
	if (out_h)
		*out_h = h;
}
