/* Raster read-back and text probes (tests; checking an installation). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/render_int.h"
#include "render/text_int.h"

void lg_image_destroy(lg_image *img)
{
	if (img) {
		free(img->rgb);
		free(img);
	}
}

/* Copies a cairo image surface into an RGB image, alpha over white. */
static lg_status from_surface(lg_ctx *ctx, cairo_surface_t *s, lg_image **out)
{
	int w = cairo_image_surface_get_width(s), h = cairo_image_surface_get_height(s);
	int stride = cairo_image_surface_get_stride(s);
	cairo_format_t fmt = cairo_image_surface_get_format(s);
	lg_image *img = lg__calloc(ctx, 1, sizeof *img);
	if (!img || !(img->rgb = lg__malloc(ctx, (size_t)w * (size_t)h * 3 + 1))) {
		lg_image_destroy(img);
		return LG_NOMEM;
	}
	img->width = w;
	img->height = h;
	cairo_surface_flush(s);
	const unsigned char *d = cairo_image_surface_get_data(s);
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			uint32_t p;
			memcpy(&p, d + (size_t)y * (size_t)stride + (size_t)x * 4, 4);
			unsigned a = fmt == CAIRO_FORMAT_ARGB32 ? p >> 24 : 255;
			unsigned c[3] = {(p >> 16) & 255, (p >> 8) & 255, p & 255};
			unsigned char *o = img->rgb + ((size_t)y * (size_t)w + (size_t)x) * 3;
			for (int i = 0; i < 3; i++) /* premultiplied: c + (255 - a) */
				o[i] = (unsigned char)(c[i] + (255 - a) > 255 ? 255 : c[i] + (255 - a));
		}
	*out = img;
	return LG_OK;
}

lg_status lg_image_read_png(lg_ctx *ctx, const char *path, lg_image **out)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return lg_ctx_error(ctx, LG_NOFILE, "cannot open '%s': %s", path, strerror(errno));
	fclose(f);
	cairo_surface_t *s = cairo_image_surface_create_from_png(path);
	if (cairo_surface_status(s)) {
		lg_status st = lg_ctx_error(ctx, LG_INPUT, "cannot read '%s' as PNG: %s", path,
					    cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return st;
	}
	lg_status st = from_surface(ctx, s, out);
	cairo_surface_destroy(s);
	return st;
}

lg_status lg_image_text(lg_ctx *ctx, const char *text, const char *role, double size_px,
			lg_image **out, int *unknown_glyphs)
{
	int r = role && !strcmp(role, "serif") ? LG_FONT_ROLE_SERIF : LG_FONT_ROLE_SANS;
	*out = NULL;
	/* measure on a scratch surface, then draw on one of the right size */
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 1, 1);
	cairo_t *cr = cairo_create(s);
	PangoContext *pc = lg__text_context(cr);
	PangoLayout *lay = lg__text_layout(pc, text, r, size_px);
	double w, h;
	lg__text_size(lay, &w, &h);
	if (unknown_glyphs)
		*unknown_glyphs = pango_layout_get_unknown_glyphs_count(lay);
	g_object_unref(lay);
	g_object_unref(pc);
	cairo_destroy(cr);
	cairo_surface_destroy(s);

	int W = (int)ceil(w) + 4, H = (int)ceil(h) + 4;
	s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, W, H);
	cr = cairo_create(s);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	pc = lg__text_context(cr);
	static const double black[3] = {0, 0, 0};
	lg__text_draw(cr, pc, text, r, size_px, 2, 2, 0, 0, black, NULL, NULL, NULL);
	g_object_unref(pc);
	cairo_destroy(cr);
	lg_status st = from_surface(ctx, s, out);
	cairo_surface_destroy(s);
	return st;
}
