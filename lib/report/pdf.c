/* report.pdf: the document drawn with cairo + pango on A4 portrait pages:
 * a header (title, office) and footer (date, 第 N 页 共 M 页) on every page,
 * tables with repeated header rows, maps as images at their print width.
 * Laid out twice: once to count the pages, once to draw them. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>

#include "report/report_int.h"

/* user space = millimetres */
#define PAGE_W 210.0
#define PAGE_H 297.0
#define M_LEFT 16.0
#define M_RIGHT 14.0
#define M_TOP 20.0
#define M_BOTTOM 18.0
#define BODY_W (PAGE_W - M_LEFT - M_RIGHT)
#define PT (25.4 / 72.0) /* one point in mm */

#define SANS "Noto Sans CJK SC"
#define SERIF "Noto Serif CJK SC"

typedef struct pdf {
	lg_ctx *ctx;
	const lg__doc *d;
	cairo_t *cr;
	PangoContext *pc;
	bool draw;
	int page, pages;
	double y; /* next free line on the page */
} pdf;

static const double MARK_BG[4][3] = {
	{0.89, 0.94, 0.98}, {1.0, 0.90, 0.78}, {1.0, 0.84, 0.84}, {0.86, 0.95, 0.86}};
static const double MARK_FG[4][3] = {
	{0.05, 0.28, 0.63}, {0.54, 0.23, 0.0}, {0.55, 0.0, 0.0}, {0.11, 0.37, 0.13}};

static PangoLayout *layout(pdf *P, const char *text, const char *face, double pt, bool bold,
			   double width_mm, PangoAlignment align)
{
	PangoLayout *lay = pango_layout_new(P->pc);
	PangoFontDescription *fd = pango_font_description_from_string(face);
	pango_font_description_set_absolute_size(fd, pt * PT * PANGO_SCALE);
	if (bold)
		pango_font_description_set_weight(fd, PANGO_WEIGHT_BOLD);
	pango_layout_set_font_description(lay, fd);
	pango_font_description_free(fd);
	if (width_mm > 0) {
		pango_layout_set_width(lay, (int)(width_mm * PANGO_SCALE));
		pango_layout_set_wrap(lay, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_alignment(lay, align);
	pango_layout_set_text(lay, text, -1);
	return lay;
}

static double lay_h(PangoLayout *lay)
{
	int w, h;
	pango_layout_get_size(lay, &w, &h);
	return (double)h / PANGO_SCALE;
}

static void show(pdf *P, PangoLayout *lay, double x, double y, const double rgb[3])
{
	if (!P->draw)
		return;
	cairo_save(P->cr);
	cairo_set_source_rgb(P->cr, rgb[0], rgb[1], rgb[2]);
	cairo_move_to(P->cr, x, y);
	pango_cairo_show_layout(P->cr, lay);
	cairo_restore(P->cr);
}

static void text_at(pdf *P, const char *text, const char *face, double pt, bool bold, double x,
		    double y, double w, PangoAlignment al, const double rgb[3])
{
	PangoLayout *lay = layout(P, text, face, pt, bold, w, al);
	show(P, lay, x, y, rgb);
	g_object_unref(lay);
}

static const double BLACK[3] = {0.1, 0.1, 0.1}, GREY[3] = {0.35, 0.35, 0.35},
		    RED[3] = {0.545, 0, 0}, WHITE[3] = {1, 1, 1};

static void page_furniture(pdf *P)
{
	char buf[256], date[64];
	const lg__doc *d = P->d;
	if (!P->draw)
		return;
	cairo_t *cr = P->cr;
	/* header: title left, office right, a rule under them */
	text_at(P, d->title, SANS, 8, false, M_LEFT, 9, BODY_W * 0.66, PANGO_ALIGN_LEFT, GREY);
	text_at(P, d->office, SANS, 8, false, M_LEFT, 9, BODY_W, PANGO_ALIGN_RIGHT, GREY);
	cairo_set_source_rgb(cr, RED[0], RED[1], RED[2]);
	cairo_set_line_width(cr, 0.5);
	cairo_move_to(cr, M_LEFT, 14.2);
	cairo_line_to(cr, PAGE_W - M_RIGHT, 14.2);
	cairo_stroke(cr);
	/* footer */
	cairo_set_source_rgb(cr, 0.6, 0.6, 0.6);
	cairo_set_line_width(cr, 0.2);
	cairo_move_to(cr, M_LEFT, PAGE_H - 13);
	cairo_line_to(cr, PAGE_W - M_RIGHT, PAGE_H - 13);
	cairo_stroke(cr);
	lg__fmt_date_zh(date, sizeof date, d->date);
	snprintf(buf, sizeof buf, "%s　landguard %s", date, LG_VERSION);
	text_at(P, buf, SERIF, 7.5, false, M_LEFT, PAGE_H - 11.8, BODY_W, PANGO_ALIGN_LEFT, GREY);
	snprintf(buf, sizeof buf, "第 %d 页　共 %d 页", P->page, P->pages);
	text_at(P, buf, SERIF, 7.5, false, M_LEFT, PAGE_H - 11.8, BODY_W, PANGO_ALIGN_RIGHT, GREY);
}

static void new_page(pdf *P)
{
	if (P->page > 0 && P->draw)
		cairo_show_page(P->cr);
	P->page++;
	P->y = M_TOP;
	page_furniture(P);
}

/* Room for h mm more on this page, else a new one. */
static void need(pdf *P, double h)
{
	if (P->y + h > PAGE_H - M_BOTTOM && P->y > M_TOP + 0.1)
		new_page(P);
}

static void cover(pdf *P)
{
	const lg__doc *d = P->d;
	char date[64];
	PangoLayout *t = layout(P, d->title, SANS, 19, true, BODY_W, PANGO_ALIGN_CENTER);
	double h = lay_h(t);
	show(P, t, M_LEFT, P->y + 4, BLACK);
	g_object_unref(t);
	P->y += 4 + h + 2;
	PangoLayout *s = layout(P, d->subtitle, SERIF, 11.5, false, BODY_W, PANGO_ALIGN_CENTER);
	show(P, s, M_LEFT, P->y, BLACK);
	P->y += lay_h(s) + 3;
	g_object_unref(s);
	lg__fmt_date_zh(date, sizeof date, d->date);
	text_at(P, d->office, SERIF, 9.5, false, M_LEFT, P->y, BODY_W, PANGO_ALIGN_LEFT, GREY);
	text_at(P, date, SERIF, 9.5, false, M_LEFT, P->y, BODY_W, PANGO_ALIGN_RIGHT, GREY);
	P->y += 6;
	if (P->draw) {
		cairo_set_source_rgb(P->cr, RED[0], RED[1], RED[2]);
		cairo_set_line_width(P->cr, 0.9);
		cairo_move_to(P->cr, M_LEFT, P->y);
		cairo_line_to(P->cr, PAGE_W - M_RIGHT, P->y);
		cairo_stroke(P->cr);
	}
	P->y += 4;
}

static void heading(pdf *P, const lg__block *b)
{
	bool h1 = b->kind == LG_DOC_H1;
	PangoLayout *lay = layout(P, b->text, SANS, h1 ? 14 : 11, true, BODY_W - 4, PANGO_ALIGN_LEFT);
	double h = lay_h(lay);
	/* keep a heading with some of what follows */
	need(P, h + (h1 ? 30 : 20));
	P->y += h1 ? 4 : 2.5;
	if (h1 && P->draw) {
		cairo_set_source_rgb(P->cr, RED[0], RED[1], RED[2]);
		cairo_rectangle(P->cr, M_LEFT, P->y + 0.6, 1.4, h - 1.2);
		cairo_fill(P->cr);
	}
	show(P, lay, M_LEFT + (h1 ? 3.5 : 0), P->y, h1 ? RED : BLACK);
	P->y += h + (h1 ? 2.5 : 1.5);
	g_object_unref(lay);
}

static void paragraph(pdf *P, const lg__block *b)
{
	bool note = b->kind == LG_DOC_NOTE;
	PangoLayout *lay = layout(P, b->text, SERIF, note ? 8 : 10, false, BODY_W, PANGO_ALIGN_LEFT);
	if (!note)
		pango_layout_set_indent(lay, (int)(2 * 10 * PT * PANGO_SCALE));
	pango_layout_set_spacing(lay, (int)((note ? 0.8 : 1.6) * PANGO_SCALE));
	/* split across pages by lines */
	PangoLayoutIter *it = pango_layout_get_iter(lay);
	double base = P->y, off = 0;
	do {
		PangoRectangle lr;
		pango_layout_iter_get_line_extents(it, NULL, &lr);
		double ly = (double)lr.y / PANGO_SCALE, lh = (double)lr.height / PANGO_SCALE;
		if (base + ly - off + lh > PAGE_H - M_BOTTOM) {
			new_page(P);
			base = P->y;
			off = ly;
		}
		if (P->draw) {
			PangoLayoutLine *line = pango_layout_iter_get_line_readonly(it);
			int bl = pango_layout_iter_get_baseline(it);
			cairo_save(P->cr);
			cairo_set_source_rgb(P->cr, note ? GREY[0] : BLACK[0], note ? GREY[1] : BLACK[1],
					     note ? GREY[2] : BLACK[2]);
			cairo_move_to(P->cr, M_LEFT + (double)lr.x / PANGO_SCALE,
				      base + (double)bl / PANGO_SCALE - off);
			pango_cairo_show_layout_line(P->cr, line);
			cairo_restore(P->cr);
		}
		P->y = base + ly - off + lh;
	} while (pango_layout_iter_next_line(it));
	pango_layout_iter_free(it);
	g_object_unref(lay);
	P->y += note ? 2 : 2.5;
}

static void figures(pdf *P, const lg__block *b)
{
	size_t n = b->nfigs;
	if (!n)
		return;
	double gap = 3, w = (BODY_W - gap * (double)(n - 1)) / (double)n, h = 17;
	need(P, h + 3);
	for (size_t i = 0; i < n; i++) {
		const lg__fig *f = &b->figs[i];
		double x = M_LEFT + (double)i * (w + gap);
		if (P->draw) {
			cairo_set_source_rgb(P->cr, 0.98, 0.98, 0.98);
			cairo_rectangle(P->cr, x, P->y, w, h);
			cairo_fill_preserve(P->cr);
			cairo_set_source_rgb(P->cr, 0.81, 0.85, 0.86);
			cairo_set_line_width(P->cr, 0.3);
			cairo_stroke(P->cr);
		}
		const double *fg = f->mark >= 0 ? MARK_FG[f->mark] : BLACK;
		text_at(P, f->value, SANS, 18, true, x, P->y + 1.2, w, PANGO_ALIGN_CENTER, fg);
		text_at(P, f->label, SANS, 7.5, false, x + 1, P->y + 10.5, w - 2, PANGO_ALIGN_CENTER,
			GREY);
	}
	P->y += h + 3;
}

/* --- tables ------------------------------------------------------------------------ */

typedef struct row_lay {
	PangoLayout **cell;
	double h;
} row_lay;

static double col_x(const lg__table *t, const double *w, size_t c)
{
	double x = M_LEFT;
	for (size_t k = 0; k < c; k++)
		x += w[k];
	return x;
}

static void row_layouts(pdf *P, const lg__table *t, const double *w, size_t r, bool head,
			PangoLayout **out, double *h)
{
	const double pad = 1.1;
	*h = 0;
	for (size_t c = 0; c < t->ncols; c++) {
		size_t i = r * t->ncols + c;
		const lg__cell *x = !head && i < t->nfill ? &t->cells[i] : NULL;
		const char *text = head ? t->head[c] : x ? x->text : "";
		bool label = t->kv && c % 2 == 0;
		out[c] = layout(P, text, head || label ? SANS : SERIF, head ? 8 : 7.8,
				head || (x && x->mark >= 1 && x->mark <= 2 && !x->num),
				w[c] - 2 * pad,
				head ? PANGO_ALIGN_CENTER : x && x->num ? PANGO_ALIGN_RIGHT
									: PANGO_ALIGN_LEFT);
		double ch = lay_h(out[c]) + 2 * 0.9;
		if (ch > *h)
			*h = ch;
	}
}

static void draw_row(pdf *P, const lg__table *t, const double *w, size_t r, bool head,
		     PangoLayout **lays, double h, bool shade)
{
	const double pad = 1.1;
	if (!P->draw)
		return;
	cairo_t *cr = P->cr;
	for (size_t c = 0; c < t->ncols; c++) {
		size_t i = r * t->ncols + c;
		const lg__cell *x = !head && i < t->nfill ? &t->cells[i] : NULL;
		double cx = col_x(t, w, c);
		const double *bg = NULL, *fg = BLACK;
		static const double HEAD[3] = {0.216, 0.278, 0.31}, SHADE[3] = {0.96, 0.97, 0.97},
				    LABEL[3] = {0.925, 0.937, 0.945};
		if (head)
			bg = HEAD, fg = WHITE;
		else if (x && x->mark >= 0)
			bg = MARK_BG[x->mark], fg = MARK_FG[x->mark];
		else if (t->kv && c % 2 == 0)
			bg = LABEL;
		else if (shade)
			bg = SHADE;
		if (bg) {
			cairo_set_source_rgb(cr, bg[0], bg[1], bg[2]);
			cairo_rectangle(cr, cx, P->y, w[c], h);
			cairo_fill(cr);
		}
		cairo_set_source_rgb(cr, 0.69, 0.75, 0.77);
		cairo_set_line_width(cr, 0.2);
		cairo_rectangle(cr, cx, P->y, w[c], h);
		cairo_stroke(cr);
		show(P, lays[c], cx + pad, P->y + 0.9, fg);
	}
}

static void table(pdf *P, const lg__table *t)
{
	double tw = 0, *w = calloc(t->ncols, sizeof *w);
	PangoLayout **hl = calloc(t->ncols, sizeof *hl), **rl = calloc(t->ncols, sizeof *rl);
	double hh = 0;
	if (!w || !hl || !rl)
		goto done;
	for (size_t c = 0; c < t->ncols; c++)
		tw += t->width[c];
	for (size_t c = 0; c < t->ncols; c++)
		w[c] = BODY_W * t->width[c] / tw;
	if (!t->kv)
		row_layouts(P, t, w, 0, true, hl, &hh);
	for (size_t r = 0; r < t->nrows; r++) {
		double h;
		row_layouts(P, t, w, r, false, rl, &h);
		/* a row never splits; a table's first row comes with its header */
		bool page_break = P->y + h > PAGE_H - M_BOTTOM;
		if (r == 0 && !t->kv)
			need(P, hh + h);
		else if (page_break)
			new_page(P);
		if (!t->kv && (r == 0 || page_break)) {
			draw_row(P, t, w, 0, true, hl, hh, false);
			P->y += hh;
		}
		draw_row(P, t, w, r, false, rl, h, r % 2 == 1);
		P->y += h;
		for (size_t c = 0; c < t->ncols; c++)
			g_object_unref(rl[c]);
	}
	P->y += 3;
done:
	if (hl && !t->kv)
		for (size_t c = 0; c < t->ncols; c++)
			if (hl[c])
				g_object_unref(hl[c]);
	free(w);
	free(hl);
	free(rl);
}

static lg_status image(pdf *P, const lg__block *b)
{
	double w = fmin(b->img_mm, BODY_W);
	double h = w * b->img_h / b->img_w;
	PangoLayout *cap = layout(P, b->text, SANS, 8.5, false, BODY_W, PANGO_ALIGN_CENTER);
	double ch = lay_h(cap);
	if (h + ch + 4 > PAGE_H - M_TOP - M_BOTTOM) { /* scale down to fit one page */
		h = PAGE_H - M_TOP - M_BOTTOM - ch - 4;
		w = h * b->img_w / b->img_h;
	}
	need(P, h + ch + 4);
	double x = M_LEFT + (BODY_W - w) / 2;
	if (P->draw) {
		cairo_surface_t *img = cairo_image_surface_create_from_png(b->image);
		if (cairo_surface_status(img)) {
			cairo_surface_destroy(img);
			g_object_unref(cap);
			return lg_ctx_error(P->ctx, LG_INTERNAL, "cannot read the map '%s'", b->image);
		}
		cairo_save(P->cr);
		cairo_translate(P->cr, x, P->y + 1);
		cairo_scale(P->cr, w / b->img_w, h / b->img_h);
		cairo_set_source_surface(P->cr, img, 0, 0);
		cairo_pattern_set_filter(cairo_get_source(P->cr), CAIRO_FILTER_BEST);
		cairo_paint(P->cr);
		cairo_restore(P->cr);
		cairo_surface_destroy(img);
	}
	P->y += h + 2;
	show(P, cap, M_LEFT, P->y, BLACK);
	P->y += ch + 3;
	g_object_unref(cap);
	return LG_OK;
}

static lg_status flow(pdf *P)
{
	lg_status st = LG_OK;
	P->page = 0;
	new_page(P);
	cover(P);
	for (size_t i = 0; i < P->d->n && !st; i++) {
		const lg__block *b = &P->d->b[i];
		switch (b->kind) {
		case LG_DOC_H1:
		case LG_DOC_H2:
			heading(P, b);
			break;
		case LG_DOC_P:
		case LG_DOC_NOTE:
			paragraph(P, b);
			break;
		case LG_DOC_FIGS:
			figures(P, b);
			break;
		case LG_DOC_TABLE:
			table(P, b->table);
			break;
		case LG_DOC_IMAGE:
			st = image(P, b);
			break;
		case LG_DOC_BREAK:
			if (P->y > M_TOP + 0.1)
				new_page(P);
			break;
		}
	}
	return st;
}

static PangoContext *text_context(cairo_t *cr)
{
	PangoContext *pc = pango_cairo_create_context(cr);
	cairo_font_options_t *fo = cairo_font_options_create();
	/* unhinted metrics: the counting pass and the drawing pass agree */
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	pango_cairo_context_set_font_options(pc, fo);
	cairo_font_options_destroy(fo);
	/* user units are millimetres: glyph positions rounded to whole units
	 * would space text out by up to a millimetre a glyph */
	pango_context_set_round_glyph_positions(pc, FALSE);
	return pc;
}

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

lg_status lg__pdf_write(lg_ctx *ctx, const lg__doc *d, const char *path)
{
	pdf P = {0};
	lg_status st = LG_OK;
	FILE *f = NULL;
	cairo_surface_t *surf = NULL;
	const double k = 72.0 / 25.4;

	P.ctx = ctx;
	P.d = d;
	/* pass 1: count the pages (same fonts, nothing drawn) */
	{
		cairo_surface_t *s = cairo_pdf_surface_create_for_stream(NULL, NULL, PAGE_W * k,
									 PAGE_H * k);
		cairo_t *cr = cairo_create(s);
		cairo_scale(cr, k, k);
		P.cr = cr;
		P.pc = text_context(cr);
		P.draw = false;
		st = flow(&P);
		P.pages = P.page;
		g_object_unref(P.pc);
		cairo_destroy(cr);
		cairo_surface_destroy(s);
		if (st)
			return st;
	}
	if (!(f = fopen(path, "wb")))
		return lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, strerror(errno));
	surf = cairo_pdf_surface_create_for_stream(write_fn, f, PAGE_W * k, PAGE_H * k);
	{
		/* the document's dates are the report date, so a given --date
		 * gives the same content */
		char cd[32];
		snprintf(cd, sizeof cd, "%sT00:00:00", d->date);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, cd);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, cd);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, d->title);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_AUTHOR, d->office);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "landguard " LG_VERSION);
	}
	P.cr = cairo_create(surf);
	cairo_scale(P.cr, k, k);
	P.pc = text_context(P.cr);
	P.draw = true;
	st = flow(&P);
	g_object_unref(P.pc);
	cairo_show_page(P.cr);
	cairo_destroy(P.cr);
	cairo_surface_finish(surf);
	if (!st && cairo_surface_status(surf))
		st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path,
				  cairo_status_to_string(cairo_surface_status(surf)));
	cairo_surface_destroy(surf);
	if (fclose(f) && !st)
		st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, strerror(errno));
	return st;
}
