/* The sheet: page layout, map frame, features, labels, legend, scale bar,
 * north arrow, coordinate ticks and footer, drawn with cairo in millimetres
 * (user space = mm on paper; the surface scale turns them into px or pt). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "render/render_int.h"
#include "render/text_int.h"

static const double BLACK[3] = {0, 0, 0};
static const double DARK[3] = {0.15, 0.15, 0.15};

typedef struct rect {
	double x, y, w, h;
} rect;

/* Sizes that depend on the sheet, in mm. */
typedef struct sheet {
	double W, H;
	double margin, pad, gap;
	double title_mm, subtitle_mm, note_mm, legend_mm, tick_mm;
	double panel_w, panel_h; /* legend panel: width (landscape) or height (portrait) */
	rect border, frame, panel;
	/* view */
	double cx, cy, denom;
} sheet;

typedef struct drawctx {
	lg_ctx *ctx;
	cairo_t *cr;
	PangoContext *pc;
	sheet *S;
	lg_map *m;
	/* placed label boxes, mm */
	rect *boxes;
	size_t nboxes, capboxes;
	size_t labels, skipped, features;
} drawctx;

static double px(const sheet *S, double x)
{
	return S->frame.x + S->frame.w / 2 + (x - S->cx) * 1000.0 / S->denom;
}
static double py(const sheet *S, double y)
{
	return S->frame.y + S->frame.h / 2 - (y - S->cy) * 1000.0 / S->denom;
}

static void set_rgba(cairo_t *cr, const lg__rgba *c)
{
	cairo_set_source_rgba(cr, c->r, c->g, c->b, c->a);
}

/* --- nice numbers ---------------------------------------------------------- */

/* The smallest of 1, 2, 2.5, 5 × 10^k that is >= v: the scale series of
 * Chinese map series (1:5000, 1:1万, 1:2.5万, 1:5万, 1:10万, 1:25万 ...)
 * plus 1:2000 and 1:20万 steps. */
static double nice_up(double v)
{
	static const double steps[] = {1, 2, 2.5, 5, 10};
	double p = pow(10, floor(log10(v)));
	for (size_t i = 0; i < LG_ARRAY_LEN(steps); i++)
		if (steps[i] * p >= v * (1 - 1e-9))
			return steps[i] * p;
	return 10 * p;
}

/* The largest of 1, 2, 5 × 10^k that is <= v. */
static double nice_down125(double v)
{
	static const double steps[] = {5, 2, 1};
	double p = pow(10, floor(log10(v)));
	for (size_t i = 0; i < LG_ARRAY_LEN(steps); i++)
		if (steps[i] * p <= v * (1 + 1e-9))
			return steps[i] * p;
	return p;
}

static void group_thousands(char *buf, size_t n, double v)
{
	char raw[64];
	snprintf(raw, sizeof raw, "%.0f", v);
	size_t len = strlen(raw), k = 0;
	size_t start = raw[0] == '-' ? 1 : 0;
	for (size_t i = 0; i < len && k + 2 < n; i++) {
		if (i > start && (len - i) % 3 == 0)
			buf[k++] = ' ';
		buf[k++] = raw[i];
	}
	buf[k] = 0;
}

/* --- layout -------------------------------------------------------------------- */

static void layout_sheet(sheet *S, const lg_map *m)
{
	bool a3 = m->page_a == 3;
	double lw = a3 ? 420 : 297, sw = a3 ? 297 : 210;
	S->W = m->landscape ? lw : sw;
	S->H = m->landscape ? sw : lw;
	S->margin = a3 ? 10 : 7;
	S->pad = a3 ? 4 : 3;
	S->gap = a3 ? 7 : 6;
	S->title_mm = a3 ? 8.5 : 6.5;
	S->subtitle_mm = S->title_mm * 0.5;
	S->note_mm = a3 ? 3.0 : 2.5;
	S->legend_mm = a3 ? 3.0 : 2.5;
	S->tick_mm = a3 ? 2.3 : 2.0;
	S->border = (rect){S->margin, S->margin, S->W - 2 * S->margin, S->H - 2 * S->margin};
	double title_h = S->title_mm * 1.45 + (m->subtitle ? S->subtitle_mm * 1.6 : 0) + 1;
	double footer_h = S->note_mm * 3.4 + 1;
	double x0 = S->border.x + S->pad + S->gap;
	double y0 = S->border.y + S->pad + title_h + S->gap;
	double x1 = S->border.x + S->border.w - S->pad - S->gap;
	double y1 = S->border.y + S->border.h - S->pad - footer_h - S->gap;
	if (m->landscape) {
		S->panel_w = a3 ? 80 : 60;
		S->panel = (rect){x1 - S->panel_w + S->gap, y0 - S->gap * 0.5, S->panel_w,
				  y1 - y0 + S->gap};
		x1 -= S->panel_w + S->gap;
	} else {
		S->panel_h = a3 ? 100 : 66;
		S->panel = (rect){x0 - S->gap * 0.5, y1 - S->panel_h + S->gap, x1 - x0 + S->gap,
				  S->panel_h};
		y1 -= S->panel_h + S->gap;
	}
	S->frame = (rect){x0, y0, x1 - x0, y1 - y0};
}

/* View: centre and scale.  The extent (layers' union or given) is padded
 * by 3 % and fitted into the frame at the next nice scale. */
static void choose_view(sheet *S, const lg_map *m, const double ext[4])
{
	double w = ext[2] - ext[0], h = ext[3] - ext[1];
	S->cx = (ext[0] + ext[2]) / 2;
	S->cy = (ext[1] + ext[3]) / 2;
	if (m->scale > 0) {
		S->denom = m->scale;
		return;
	}
	if (!(w > 0))
		w = 100;
	if (!(h > 0))
		h = 100;
	/* a given extent is shown as asked; the layers' own get a margin */
	double pad = m->has_extent ? 1.0 : 1.06;
	double need = fmax(w * pad / (S->frame.w / 1000.0), h * pad / (S->frame.h / 1000.0));
	S->denom = nice_up(fmax(need, 100));
}

/* --- geometry paths ---------------------------------------------------------- */

static void path_seq(GEOSContextHandle_t h, const sheet *S, cairo_t *cr,
		     const GEOSCoordSequence *cs, bool close)
{
	unsigned int n = 0;
	GEOSCoordSeq_getSize_r(h, cs, &n);
	for (unsigned int i = 0; i < n; i++) {
		double x, y;
		GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
		if (i == 0)
			cairo_move_to(cr, px(S, x), py(S, y));
		else
			cairo_line_to(cr, px(S, x), py(S, y));
	}
	if (close && n)
		cairo_close_path(cr);
}

/* Appends polygons or lines of g to the current path. */
static void path_geom(GEOSContextHandle_t h, const sheet *S, cairo_t *cr, const GEOSGeometry *g)
{
	int t = GEOSGeomTypeId_r(h, g);
	switch (t) {
	case GEOS_LINESTRING:
	case GEOS_LINEARRING:
		path_seq(h, S, cr, GEOSGeom_getCoordSeq_r(h, g), false);
		break;
	case GEOS_POLYGON: {
		path_seq(h, S, cr, GEOSGeom_getCoordSeq_r(h, GEOSGetExteriorRing_r(h, g)), true);
		int nr = GEOSGetNumInteriorRings_r(h, g);
		for (int i = 0; i < nr; i++)
			path_seq(h, S, cr, GEOSGeom_getCoordSeq_r(h, GEOSGetInteriorRingN_r(h, g, i)),
				 true);
		break;
	}
	case GEOS_MULTILINESTRING:
	case GEOS_MULTIPOLYGON:
	case GEOS_GEOMETRYCOLLECTION: {
		int n = GEOSGetNumGeometries_r(h, g);
		for (int i = 0; i < n; i++)
			path_geom(h, S, cr, GEOSGetGeometryN_r(h, g, i));
		break;
	}
	default:
		break;
	}
}

static void marker_path(cairo_t *cr, int marker, double x, double y, double size)
{
	double r = size / 2;
	switch (marker) {
	case LG_MARK_SQUARE:
		cairo_rectangle(cr, x - r * 0.9, y - r * 0.9, r * 1.8, r * 1.8);
		break;
	case LG_MARK_TRIANGLE:
		cairo_move_to(cr, x, y - r * 1.1);
		cairo_line_to(cr, x + r * 1.0, y + r * 0.65);
		cairo_line_to(cr, x - r * 1.0, y + r * 0.65);
		cairo_close_path(cr);
		break;
	case LG_MARK_DIAMOND:
		cairo_move_to(cr, x, y - r);
		cairo_line_to(cr, x + r * 0.75, y);
		cairo_line_to(cr, x, y + r);
		cairo_line_to(cr, x - r * 0.75, y);
		cairo_close_path(cr);
		break;
	case LG_MARK_PENTAGON:
	case LG_MARK_STAR: {
		int n = marker == LG_MARK_STAR ? 10 : 5;
		for (int i = 0; i < n; i++) {
			double a = -M_PI / 2 + i * 2 * M_PI / n;
			double rr = marker == LG_MARK_STAR && (i % 2) ? r * 0.45 : r;
			if (i == 0)
				cairo_move_to(cr, x + rr * cos(a), y + rr * sin(a));
			else
				cairo_line_to(cr, x + rr * cos(a), y + rr * sin(a));
		}
		cairo_close_path(cr);
		break;
	}
	case LG_MARK_CROSS:
		cairo_move_to(cr, x - r, y);
		cairo_line_to(cr, x + r, y);
		cairo_move_to(cr, x, y - r);
		cairo_line_to(cr, x, y + r);
		break;
	case LG_MARK_X:
		cairo_move_to(cr, x - r * 0.75, y - r * 0.75);
		cairo_line_to(cr, x + r * 0.75, y + r * 0.75);
		cairo_move_to(cr, x + r * 0.75, y - r * 0.75);
		cairo_line_to(cr, x - r * 0.75, y + r * 0.75);
		break;
	default:
		cairo_new_sub_path(cr);
		cairo_arc(cr, x, y, r, 0, 2 * M_PI);
		break;
	}
}

static void draw_marker(cairo_t *cr, const lg__sym *s, double x, double y, double scale)
{
	bool open = s->marker == LG_MARK_CROSS || s->marker == LG_MARK_X;
	marker_path(cr, s->marker, x, y, s->size_mm * scale);
	if (!open && !s->fill.none) {
		set_rgba(cr, &s->fill);
		cairo_fill_preserve(cr);
	}
	if (!s->outline.none && s->width_mm > 0) {
		set_rgba(cr, &s->outline);
		cairo_set_line_width(cr, s->width_mm);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
		cairo_stroke(cr);
	}
	cairo_new_path(cr);
}

/* Hatch lines in page space (so neighbouring polygons' hatches line up),
 * clipped to the current path. */
static void hatch_current_path(cairo_t *cr, const lg__sym *s)
{
	double x0, y0, x1, y1;
	if (s->hatch == LG_HATCH_NONE || s->hatch_color.none)
		return;
	cairo_save(cr);
	cairo_clip(cr);
	cairo_clip_extents(cr, &x0, &y0, &x1, &y1);
	double sp = s->hatch_spacing_mm;
	set_rgba(cr, &s->hatch_color);
	cairo_set_line_width(cr, s->hatch_width_mm);
	int kinds[2] = {s->hatch, -1};
	if (s->hatch == LG_HATCH_CROSS)
		kinds[0] = LG_HATCH_HORIZONTAL, kinds[1] = LG_HATCH_VERTICAL;
	if (s->hatch == LG_HATCH_XCROSS)
		kinds[0] = LG_HATCH_FDIAG, kinds[1] = LG_HATCH_BDIAG;
	for (int k = 0; k < 2 && kinds[k] >= 0; k++) {
		switch (kinds[k]) {
		case LG_HATCH_HORIZONTAL:
			for (double y = floor(y0 / sp) * sp; y <= y1; y += sp) {
				cairo_move_to(cr, x0, y);
				cairo_line_to(cr, x1, y);
			}
			break;
		case LG_HATCH_VERTICAL:
			for (double x = floor(x0 / sp) * sp; x <= x1; x += sp) {
				cairo_move_to(cr, x, y0);
				cairo_line_to(cr, x, y1);
			}
			break;
		case LG_HATCH_FDIAG: /* "/": x + y = c */
		case LG_HATCH_BDIAG: { /* "\": x - y = c */
			double d = sp * M_SQRT2;
			bool f = kinds[k] == LG_HATCH_FDIAG;
			double cmin = f ? x0 + y0 : x0 - y1, cmax = f ? x1 + y1 : x1 - y0;
			for (double c = floor(cmin / d) * d; c <= cmax; c += d) {
				if (f) {
					cairo_move_to(cr, c - y0, y0);
					cairo_line_to(cr, c - y1, y1);
				} else {
					cairo_move_to(cr, c + y0, y0);
					cairo_line_to(cr, c + y1, y1);
				}
			}
			break;
		}
		default:
			break;
		}
		cairo_stroke(cr);
	}
	cairo_restore(cr);
}

static void set_dash(cairo_t *cr, const lg__sym *s)
{
	cairo_set_dash(cr, s->dash_mm, s->ndash, 0);
}

/* Fill, hatch and outline of the current path (polygons), or stroke (lines). */
static void paint_path(cairo_t *cr, const lg__sym *s, bool polygon, double scale)
{
	if (polygon) {
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_EVEN_ODD);
		if (!s->fill.none) {
			set_rgba(cr, &s->fill);
			cairo_fill_preserve(cr);
			/* an opaque fill without outline is stroked thinly in its
			 * own colour, so antialiasing leaves no seams between
			 * neighbouring polygons */
			if (s->outline.none && s->fill.a >= 0.999) {
				cairo_set_line_width(cr, 0.06);
				cairo_stroke_preserve(cr);
			}
		}
		if (s->hatch != LG_HATCH_NONE) {
			cairo_path_t *p = cairo_copy_path(cr);
			hatch_current_path(cr, s);
			cairo_new_path(cr);
			cairo_append_path(cr, p);
			cairo_path_destroy(p);
		}
	}
	if (!s->outline.none && s->width_mm > 0) {
		set_rgba(cr, &s->outline);
		cairo_set_line_width(cr, s->width_mm * scale);
		cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
		cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
		set_dash(cr, s);
		cairo_stroke(cr);
		cairo_set_dash(cr, NULL, 0, 0);
	}
	cairo_new_path(cr);
}

static void draw_points(GEOSContextHandle_t h, const sheet *S, cairo_t *cr, const GEOSGeometry *g,
			const lg__sym *s)
{
	int t = GEOSGeomTypeId_r(h, g);
	if (t == GEOS_POINT) {
		double x, y;
		if (GEOSGeomGetX_r(h, g, &x) && GEOSGeomGetY_r(h, g, &y))
			draw_marker(cr, s, px(S, x), py(S, y), 1);
	} else if (t == GEOS_MULTIPOINT || t == GEOS_GEOMETRYCOLLECTION) {
		int n = GEOSGetNumGeometries_r(h, g);
		for (int i = 0; i < n; i++)
			draw_points(h, S, cr, GEOSGetGeometryN_r(h, g, i), s);
	}
}

static bool geom_in_view(GEOSContextHandle_t h, const sheet *S, const GEOSGeometry *g)
{
	double x0, y0, x1, y1;
	if (GEOSisEmpty_r(h, g) != 0)
		return false;
	if (!GEOSGeom_getXMin_r(h, g, &x0) || !GEOSGeom_getYMin_r(h, g, &y0) ||
	    !GEOSGeom_getXMax_r(h, g, &x1) || !GEOSGeom_getYMax_r(h, g, &y1))
		return false;
	return px(S, x1) >= S->frame.x && px(S, x0) <= S->frame.x + S->frame.w &&
	       py(S, y0) >= S->frame.y && py(S, y1) <= S->frame.y + S->frame.h;
}

static int geom_kind(const lg_layer *l)
{
	int t = l->geom_type % 1000;
	if (t == 1 || t == 4)
		return 0;
	if (t == 2 || t == 5)
		return 1;
	return 2;
}

/* Draws one map layer; counts the symbols used (inside the view). */
static void draw_layer(drawctx *D, lg__mlayer *ml, size_t *used)
{
	GEOSContextHandle_t h = D->ctx->geos;
	lg_layer *l = ml->data;
	cairo_t *cr = D->cr;
	lg__sym tmp;
	bool group = ml->style->opacity < 1;
	if (group)
		cairo_push_group(cr);
	/* `order = category`: categories in the file's order (zone III under
	 * II under I), else features in the layer's order */
	int npass = ml->style->order_by_cat ? lg__style_nsyms(ml->style) : 1;
	for (int pass = 0; pass < npass; pass++)
	for (size_t i = 0; i < l->n; i++) {
		int si = ml->sym[i];
		if (si < 0 || (npass > 1 && si != pass))
			continue;
		const GEOSGeometry *g = lg_feature_geom(D->ctx, &l->feat[i]);
		if (!g || !geom_in_view(h, D->S, g))
			continue;
		const lg__sym *s = lg__style_sym(ml->style, si, &tmp);
		int t = GEOSGeomTypeId_r(h, g);
		if (t == GEOS_POINT || t == GEOS_MULTIPOINT)
			draw_points(h, D->S, cr, g, s);
		else {
			bool poly = t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON ||
				    t == GEOS_GEOMETRYCOLLECTION;
			double x0, y0, x1, y1;
			/* a register parcel smaller than a pen stroke at this
			 * scale would vanish: it becomes a dot of its colours */
			if (poly && ml->style->min_size_mm > 0 && GEOSGeom_getXMin_r(h, g, &x0) &&
			    GEOSGeom_getYMin_r(h, g, &y0) && GEOSGeom_getXMax_r(h, g, &x1) &&
			    GEOSGeom_getYMax_r(h, g, &y1) &&
			    fmax(x1 - x0, y1 - y0) * 1000.0 / D->S->denom < ml->style->min_size_mm) {
				lg__sym dot = *s;
				dot.marker = LG_MARK_CIRCLE;
				dot.size_mm = ml->style->min_size_mm;
				if (dot.fill.none || dot.fill.a < 0.5) {
					dot.fill = dot.hatch == LG_HATCH_NONE ? dot.outline : dot.hatch_color;
					dot.fill.a = 0.55;
				}
				dot.ndash = 0;
				draw_marker(cr, &dot, px(D->S, (x0 + x1) / 2), py(D->S, (y0 + y1) / 2), 1);
			} else {
				path_geom(h, D->S, cr, g);
				paint_path(cr, s, poly, 1);
			}
		}
		used[si]++;
		D->features++;
	}
	if (group) {
		cairo_pop_group_to_source(cr);
		cairo_paint_with_alpha(cr, ml->style->opacity);
	}
}

/* --- labels ------------------------------------------------------------------------ */

static bool overlaps(const rect *a, const rect *b)
{
	return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

static bool box_free(drawctx *D, const rect *r)
{
	const rect *f = &D->S->frame;
	if (r->x < f->x || r->y < f->y || r->x + r->w > f->x + f->w || r->y + r->h > f->y + f->h)
		return false;
	for (size_t i = 0; i < D->nboxes; i++)
		if (overlaps(r, &D->boxes[i]))
			return false;
	return true;
}

static void box_take(drawctx *D, const rect *r)
{
	if (lg__grow(D->ctx, (void **)&D->boxes, &D->capboxes, D->nboxes + 1, sizeof *D->boxes))
		return; /* out of memory: labels may overlap, nothing worse */
	D->boxes[D->nboxes++] = *r;
}

/* Keeps the north arrow and scale bar corners free of labels. */
static void reserve(drawctx *D, rect r)
{
	box_take(D, &r);
}

static void label_layer(drawctx *D, lg__mlayer *ml)
{
	GEOSContextHandle_t h = D->ctx->geos;
	lg_layer *l = ml->data;
	const lg__style *st = ml->style;
	if (ml->label_idx < 0 || st->label_size_mm <= 0 ||
	    (st->label_max_scale > 0 && D->S->denom > st->label_max_scale))
		return;
	double size = st->label_size_mm * (D->m->page_a == 3 ? 1 : 0.85);
	double col[3] = {st->label_color.r, st->label_color.g, st->label_color.b};
	double halo[3] = {st->label_halo.r, st->label_halo.g, st->label_halo.b};
	int role = st->label_serif ? LG_FONT_ROLE_SERIF : LG_FONT_ROLE_SANS;
	lg__sym tmp;
	for (size_t i = 0; i < l->n; i++) {
		if (ml->sym[i] < 0)
			continue;
		const char *text = lg_feature_text(l, &l->feat[i], ml->label_idx);
		if (!text || !*text)
			continue;
		const GEOSGeometry *g = lg_feature_geom(D->ctx, &l->feat[i]);
		if (!g || !geom_in_view(h, D->S, g))
			continue;
		int t = GEOSGeomTypeId_r(h, g);
		GEOSGeometry *anchor = NULL;
		bool point = t == GEOS_POINT || t == GEOS_MULTIPOINT;
		if (t == GEOS_LINESTRING || t == GEOS_MULTILINESTRING)
			anchor = GEOSInterpolateNormalized_r(h, t == GEOS_LINESTRING ? g
						: GEOSGetGeometryN_r(h, g, 0), 0.5);
		else if (point)
			anchor = GEOSGeom_clone_r(h, t == GEOS_POINT ? g : GEOSGetGeometryN_r(h, g, 0));
		else
			anchor = GEOSPointOnSurface_r(h, g);
		double x, y;
		if (!anchor || !GEOSGeomGetX_r(h, anchor, &x) || !GEOSGeomGetY_r(h, anchor, &y)) {
			if (anchor)
				GEOSGeom_destroy_r(h, anchor);
			continue;
		}
		GEOSGeom_destroy_r(h, anchor);
		double ax = px(D->S, x), ay = py(D->S, y);
		PangoLayout *lay = lg__text_layout(D->pc, text, role, size);
		double w, hh;
		lg__text_size(lay, &w, &hh);
		g_object_unref(lay);
		const lg__sym *s = lg__style_sym(st, ml->sym[i], &tmp);
		double off = point ? s->size_mm / 2 + 0.6 : 0;
		/* candidate positions: centred on polygons and lines; right,
		 * left, above, below a point symbol */
		rect cand[4];
		int nc = 0;
		if (point) {
			cand[nc++] = (rect){ax + off, ay - hh / 2, w, hh};
			cand[nc++] = (rect){ax - off - w, ay - hh / 2, w, hh};
			cand[nc++] = (rect){ax - w / 2, ay - off - hh, w, hh};
			cand[nc++] = (rect){ax - w / 2, ay + off, w, hh};
		} else {
			cand[nc++] = (rect){ax - w / 2, ay - hh / 2, w, hh};
		}
		int placed = -1;
		for (int k = 0; k < nc && placed < 0; k++)
			if (box_free(D, &cand[k]))
				placed = k;
		if (placed < 0) {
			D->skipped++;
			continue;
		}
		rect r = cand[placed];
		lg__text_draw(D->cr, D->pc, text, role, size, r.x, r.y, 0, 0, col, halo, NULL, NULL);
		box_take(D, &r);
		D->labels++;
	}
}

/* --- legend -------------------------------------------------------------------------- */

typedef struct legend_item {
	const char *text; /* borrowed or tmp */
	char own[256];
	const lg__sym *sym;
	lg__sym symcopy;
	int kind; /* -1 heading, 0 point, 1 line, 2 polygon */
	double opacity;
} legend_item;

/* Palette entries keep their text in the item itself (the array grows). */
static const char *item_text(const legend_item *e)
{
	return e->own[0] ? e->own : e->text;
}

static size_t build_legend(lg_map *m, size_t **used, legend_item **out)
{
	size_t cap = 64, n = 0;
	legend_item *it = calloc(cap, sizeof *it);
	if (!it)
		return 0;
	/* top layer first; layers sharing a heading are one group */
	const char *heads[64];
	size_t nheads = 0;
	for (size_t hi = m->nlayers; hi-- > 0;) {
		lg__mlayer *ml = &m->layers[hi];
		const char *head = ml->title ? ml->title : ml->style->title;
		bool seen = false;
		for (size_t k = 0; k < nheads; k++)
			if (!strcmp(heads[k], head))
				seen = true;
		if (seen || nheads == 64)
			continue;
		heads[nheads++] = head;
		bool any = false;
		/* every layer (top first) with this heading */
		for (size_t li = m->nlayers; li-- > 0;) {
			lg__mlayer *l2 = &m->layers[li];
			const char *h2 = l2->title ? l2->title : l2->style->title;
			if (strcmp(h2, head))
				continue;
			int ns = lg__style_nsyms(l2->style);
			for (int si = 0; si < ns; si++) {
				if (!used[li][si])
					continue;
				if (n + 2 >= cap) {
					legend_item *t = realloc(it, 2 * cap * sizeof *it);
					if (!t)
						goto out;
					memset(t + cap, 0, cap * sizeof *t);
					it = t;
					cap *= 2;
				}
				if (!any) {
					it[n].kind = -1;
					it[n].text = head;
					n++;
					any = true;
				}
				legend_item *e = &it[n];
				e->own[0] = 0;
				lg__sym tmp;
				const lg__sym *s = lg__style_sym(l2->style, si, &tmp);
				e->symcopy = *s;
				e->sym = &e->symcopy;
				e->kind = geom_kind(l2->data);
				e->opacity = l2->style->opacity;
				if ((size_t)si >= l2->style->ncats &&
				    (size_t)si < l2->style->ncats + l2->style->npal) {
					const lg__pal *p = &l2->style->pal[si - (int)l2->style->ncats];
					snprintf(e->own, sizeof e->own, "%s %s", p->code, p->name);
					e->text = NULL;
				} else
					e->text = s->label ? s->label : l2->style->title;
				bool dup = false;
				for (size_t k = 0; k < n; k++)
					if (it[k].kind == e->kind && it[k].kind >= 0 &&
					    !strcmp(item_text(&it[k]), item_text(e)))
						dup = true;
				if (!dup)
					n++;
			}
		}
	}
out:
	*out = it;
	return n;
}

static void draw_swatch(cairo_t *cr, const legend_item *e, double x, double y, double w, double h)
{
	const lg__sym *s = e->sym;
	if (e->kind == 0) {
		draw_marker(cr, s, x + w / 2, y + h / 2, fmin(1, h * 1.1 / fmax(s->size_mm, 0.1)));
		return;
	}
	if (e->kind == 1) {
		cairo_move_to(cr, x, y + h / 2);
		cairo_line_to(cr, x + w, y + h / 2);
		paint_path(cr, s, false, 1);
		return;
	}
	if (s->fill.none && s->hatch == LG_HATCH_NONE && s->ndash) {
		/* boundaries (county, town lines) read better as a line */
		cairo_move_to(cr, x, y + h / 2);
		cairo_line_to(cr, x + w, y + h / 2);
		paint_path(cr, s, false, 1);
		return;
	}
	cairo_rectangle(cr, x, y, w, h);
	lg__sym t = *s;
	/* a swatch without any outline gets a hairline so light colours show */
	if (t.outline.none) {
		cairo_set_fill_rule(cr, CAIRO_FILL_RULE_WINDING);
		if (!t.fill.none) {
			set_rgba(cr, &t.fill);
			cairo_fill_preserve(cr);
		}
		if (t.hatch != LG_HATCH_NONE) {
			cairo_path_t *p = cairo_copy_path(cr);
			hatch_current_path(cr, &t);
			cairo_new_path(cr);
			cairo_append_path(cr, p);
			cairo_path_destroy(p);
		}
		cairo_set_source_rgb(cr, 0.45, 0.45, 0.45);
		cairo_set_line_width(cr, 0.1);
		cairo_stroke(cr);
		return;
	}
	if (t.width_mm > 0.6)
		t.width_mm = 0.6;
	paint_path(cr, &t, true, 1);
}

/* Flows the legend into the panel: one column when it fits, else smaller
 * text, then more columns. */
static size_t draw_legend(drawctx *D, legend_item *it, size_t n)
{
	cairo_t *cr = D->cr;
	const sheet *S = D->S;
	rect P = S->panel;
	double base = S->legend_mm;
	cairo_set_source_rgb(cr, 0.2, 0.2, 0.2);
	cairo_set_line_width(cr, 0.25);
	cairo_rectangle(cr, P.x, P.y, P.w, P.h);
	cairo_stroke(cr);
	double th;
	lg__text_draw(cr, D->pc, "图  例", LG_FONT_ROLE_BOLD, base * 1.7, P.x + P.w / 2, P.y + base * 0.9,
		      1, 0, BLACK, NULL, NULL, &th);
	double top = P.y + base * 0.9 + th + base * 0.6;
	double avail = P.y + P.h - top - base * 0.6;
	double f = 1;
	int cols = 1;
	double sizes[] = {1, 0.9, 0.8, 0.72};
	bool fit = false;
	for (int c = 1; c <= 4 && !fit; c++)
		for (size_t si = 0; si < LG_ARRAY_LEN(sizes) && !fit; si++) {
			double ff = sizes[si];
			double colw = (P.w - base) / c;
			if (colw < 38 * ff && c > 1)
				continue;
			/* simulate */
			double y = 0;
			int col = 0;
			for (size_t i = 0; i < n; i++) {
				double rh = it[i].kind < 0 ? base * ff * 2.0 : base * ff * 1.75;
				if (y + rh > avail) {
					col++;
					y = 0;
				}
				y += rh;
			}
			if (col < c) {
				fit = true;
				f = ff;
				cols = c;
			}
		}
	if (!fit) {
		f = sizes[LG_ARRAY_LEN(sizes) - 1];
		cols = 4;
	}
	double colw = (P.w - base) / cols;
	double x = P.x + base * 0.8, y = top;
	int col = 0;
	size_t drawn = 0;
	for (size_t i = 0; i < n; i++) {
		double rh = it[i].kind < 0 ? base * f * 2.0 : base * f * 1.75;
		if (y + rh > top + avail) {
			if (++col >= cols)
				break;
			x += colw;
			y = top;
		}
		if (it[i].kind < 0) {
			lg__text_draw(cr, D->pc, item_text(&it[i]), LG_FONT_ROLE_BOLD, base * f * 1.05, x,
				      y + rh * 0.55, 0, 1, BLACK, NULL, NULL, NULL);
		} else {
			double sw = base * f * 2.8, sh = base * f * 1.35;
			if (it[i].opacity < 1)
				cairo_push_group(cr);
			draw_swatch(cr, &it[i], x + base * 0.2, y + (rh - sh) / 2, sw, sh);
			if (it[i].opacity < 1) {
				cairo_pop_group_to_source(cr);
				cairo_paint_with_alpha(cr, it[i].opacity);
			}
			lg__text_draw(cr, D->pc, item_text(&it[i]), LG_FONT_ROLE_SANS, base * f, x + sw + base * 0.9,
				      y + rh / 2, 0, 1, DARK, NULL, NULL, NULL);
			drawn++;
		}
		y += rh;
	}
	return drawn;
}

/* --- furniture -------------------------------------------------------------------------- */

static void draw_north_arrow(drawctx *D)
{
	cairo_t *cr = D->cr;
	const rect *F = &D->S->frame;
	double hgt = D->m->page_a == 3 ? 20 : 15;
	double w = hgt * 0.42;
	double cx = F->x + F->w - w - 5, top = F->y + 4;
	rect box = {cx - w, top - 1, 2 * w, hgt + 2};
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_rectangle(cr, box.x, box.y, box.w, box.h);
	cairo_fill(cr);
	reserve(D, box);
	double th;
	lg__text_draw(cr, D->pc, "北", LG_FONT_ROLE_BOLD, hgt * 0.26, cx, top, 1, 0, BLACK, NULL, NULL,
		      &th);
	double ay = top + th + 0.3, by = top + hgt, mid = ay + (by - ay) * 0.72;
	/* left half black, right half white: the drafting-standard arrow */
	cairo_move_to(cr, cx, ay);
	cairo_line_to(cr, cx - w * 0.45, by);
	cairo_line_to(cr, cx, mid);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_fill(cr);
	cairo_move_to(cr, cx, ay);
	cairo_line_to(cr, cx + w * 0.45, by);
	cairo_line_to(cr, cx, mid);
	cairo_close_path(cr);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_fill_preserve(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.25);
	cairo_set_line_join(cr, CAIRO_LINE_JOIN_MITER);
	cairo_stroke(cr);
}

static void draw_scale_bar(drawctx *D)
{
	cairo_t *cr = D->cr;
	const sheet *S = D->S;
	const rect *F = &S->frame;
	bool a3 = D->m->page_a == 3;
	double target_mm = a3 ? 60 : 45;
	double seg_m = nice_down125(target_mm / 4 * S->denom / 1000.0);
	double seg_mm = seg_m * 1000.0 / S->denom;
	int nseg = 4;
	double fs = S->legend_mm;
	bool km = seg_m * nseg >= 1000;
	char num[64], buf[96];
	group_thousands(num, sizeof num, S->denom);
	snprintf(buf, sizeof buf, "比例尺 1:%s", num);
	double bar_w = seg_mm * nseg;
	double bx = F->x + 5, bh = fs * 0.55;
	double box_w = bar_w + fs * 5.5, box_h = fs * 5.2;
	rect box = {F->x + 2, F->y + F->h - box_h - 2, box_w, box_h};
	cairo_set_source_rgba(cr, 1, 1, 1, 0.85);
	cairo_rectangle(cr, box.x, box.y, box.w, box.h);
	cairo_fill(cr);
	reserve(D, box);
	lg__text_draw(cr, D->pc, buf, LG_FONT_ROLE_SANS, fs * 1.1, bx, box.y + fs * 0.5, 0, 0, BLACK,
		      NULL, NULL, NULL);
	double by = box.y + fs * 2.6;
	for (int i = 0; i < nseg; i++) {
		cairo_rectangle(cr, bx + i * seg_mm, by, seg_mm, bh);
		if (i % 2 == 0) {
			cairo_set_source_rgb(cr, 0, 0, 0);
			cairo_fill_preserve(cr);
		}
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_set_line_width(cr, 0.2);
		cairo_stroke(cr);
	}
	for (int i = 0; i <= nseg; i++) {
		double v = seg_m * i / (km ? 1000.0 : 1.0);
		char lab[32];
		snprintf(lab, sizeof lab, "%g", v);
		lg__text_draw(cr, D->pc, lab, LG_FONT_ROLE_SANS, fs * 0.85, bx + i * seg_mm,
			      by + bh + 0.5, 1, 0, BLACK, NULL, NULL, NULL);
	}
	lg__text_draw(cr, D->pc, km ? "千米" : "米", LG_FONT_ROLE_SANS, fs * 0.85,
		      bx + bar_w + fs * 1.2, by + bh / 2, 0, 1, BLACK, NULL, NULL, NULL);
}

/* Coordinate ticks and labels round the frame, grid crosses inside. */
static void draw_grid(drawctx *D)
{
	cairo_t *cr = D->cr;
	const sheet *S = D->S;
	const rect *F = &S->frame;
	double vx0 = S->cx - F->w / 2 * S->denom / 1000, vx1 = S->cx + F->w / 2 * S->denom / 1000;
	double vy0 = S->cy - F->h / 2 * S->denom / 1000, vy1 = S->cy + F->h / 2 * S->denom / 1000;
	double step = nice_down125((vx1 - vx0) / 5);
	double ts = S->tick_mm;
	char lab[64];
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.2);
	for (double x = ceil(vx0 / step) * step; x <= vx1; x += step) {
		double X = px(S, x);
		cairo_move_to(cr, X, F->y);
		cairo_line_to(cr, X, F->y - 1.5);
		cairo_move_to(cr, X, F->y + F->h);
		cairo_line_to(cr, X, F->y + F->h + 1.5);
		cairo_stroke(cr);
		group_thousands(lab, sizeof lab, x);
		lg__text_draw(cr, D->pc, lab, LG_FONT_ROLE_SANS, ts, X, F->y - 1.7, 1, 2, DARK, NULL,
			      NULL, NULL);
		lg__text_draw(cr, D->pc, lab, LG_FONT_ROLE_SANS, ts, X, F->y + F->h + 1.7, 1, 0, DARK,
			      NULL, NULL, NULL);
	}
	for (double y = ceil(vy0 / step) * step; y <= vy1; y += step) {
		double Y = py(S, y);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_move_to(cr, F->x, Y);
		cairo_line_to(cr, F->x - 1.5, Y);
		cairo_move_to(cr, F->x + F->w, Y);
		cairo_line_to(cr, F->x + F->w + 1.5, Y);
		cairo_stroke(cr);
		group_thousands(lab, sizeof lab, y);
		/* northings read upwards along the side of the frame */
		for (int side = 0; side < 2; side++) {
			cairo_save(cr);
			double X = side ? F->x + F->w + 1.7 : F->x - 1.7;
			cairo_translate(cr, X, Y);
			cairo_rotate(cr, -M_PI / 2);
			lg__text_draw(cr, D->pc, lab, LG_FONT_ROLE_SANS, ts, 0, 0, 1, side ? 0 : 2, DARK,
				      NULL, NULL, NULL);
			cairo_restore(cr);
		}
	}
	/* crosses where grid lines meet (公里网 marks), inside the frame */
	cairo_save(cr);
	cairo_rectangle(cr, F->x, F->y, F->w, F->h);
	cairo_clip(cr);
	cairo_set_source_rgba(cr, 0.1, 0.1, 0.1, 0.75);
	cairo_set_line_width(cr, 0.15);
	for (double x = ceil(vx0 / step) * step; x <= vx1; x += step)
		for (double y = ceil(vy0 / step) * step; y <= vy1; y += step) {
			double X = px(S, x), Y = py(S, y);
			cairo_move_to(cr, X - 1.6, Y);
			cairo_line_to(cr, X + 1.6, Y);
			cairo_move_to(cr, X, Y - 1.6);
			cairo_line_to(cr, X, Y + 1.6);
		}
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void format_date(const char *iso, char *buf, size_t n)
{
	int y, mo, d;
	if (iso && sscanf(iso, "%d-%d-%d", &y, &mo, &d) == 3)
		snprintf(buf, n, "%d年%d月%d日", y, mo, d);
	else
		snprintf(buf, n, "%s", iso ? iso : "");
}

static void draw_frame_and_notes(drawctx *D)
{
	cairo_t *cr = D->cr;
	const sheet *S = D->S;
	const lg_map *m = D->m;
	const rect *B = &S->border;
	/* 图廓: a heavy outer line and a thin inner one */
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.9);
	cairo_rectangle(cr, B->x, B->y, B->w, B->h);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.15);
	cairo_rectangle(cr, B->x + 1.3, B->y + 1.3, B->w - 2.6, B->h - 2.6);
	cairo_stroke(cr);
	/* title and subtitle */
	double y = B->y + S->pad, th;
	lg__text_draw(cr, D->pc, m->title ? m->title : "", LG_FONT_ROLE_BOLD, S->title_mm,
		      S->W / 2, y, 1, 0, BLACK, NULL, NULL, &th);
	if (m->subtitle)
		lg__text_draw(cr, D->pc, m->subtitle, LG_FONT_ROLE_SANS, S->subtitle_mm, S->W / 2,
			      y + th + 0.3, 1, 0, DARK, NULL, NULL, NULL);
	/* footer: office and date, sources and CRS note */
	char buf[1024], date[64];
	double fy = B->y + B->h - S->pad;
	double lx = B->x + S->pad + 1, rx = B->x + B->w - S->pad - 1;
	double nm = S->note_mm;
	format_date(m->date, date, sizeof date);
	snprintf(buf, sizeof buf, "制图单位：%s", m->office ? m->office : "");
	lg__text_draw(cr, D->pc, buf, LG_FONT_ROLE_SERIF, nm, lx, fy - nm * 1.7, 0, 2, DARK, NULL,
		      NULL, NULL);
	snprintf(buf, sizeof buf, "制图日期：%s", date);
	lg__text_draw(cr, D->pc, buf, LG_FONT_ROLE_SERIF, nm, rx, fy - nm * 1.7, 2, 2, DARK, NULL,
		      NULL, NULL);
	if (m->sources) {
		snprintf(buf, sizeof buf, "数据来源：%s", m->sources);
		lg__text_draw(cr, D->pc, buf, LG_FONT_ROLE_SERIF, nm, lx, fy, 0, 2, DARK, NULL, NULL,
			      NULL);
	}
	snprintf(buf, sizeof buf, "坐标系：%s", m->crs_note ? m->crs_note : "");
	lg__text_draw(cr, D->pc, buf, LG_FONT_ROLE_SERIF, nm, rx, fy, 2, 2, DARK, NULL, NULL, NULL);
}

/* --- output ---------------------------------------------------------------------------- */

static cairo_status_t write_fn(void *closure, const unsigned char *data, unsigned int len)
{
	return fwrite(data, 1, len, closure) == len ? CAIRO_STATUS_SUCCESS : CAIRO_STATUS_WRITE_ERROR;
}

lg_status lg__map_draw(lg_ctx *ctx, lg_map *m, lg__styleset *set, const lg_crs *crs,
		       const char *path, const char *format, lg_map_result *res)
{
	sheet S;
	drawctx D;
	cairo_surface_t *surf = NULL;
	cairo_t *cr = NULL;
	FILE *f = NULL;
	char *tmp = NULL;
	size_t **used = NULL;
	legend_item *items = NULL;
	lg_status st = LG_OK;
	char today[16];
	bool date_given = m->date != NULL;
	(void)set;
	(void)crs;

	const char *ext = strrchr(path, '.');
	const char *fmt = format ? format : ext ? ext + 1 : "";
	int kind = lg__strieq(fmt, "png") ? 0 : lg__strieq(fmt, "pdf") ? 1 : lg__strieq(fmt, "svg") ? 2 : -1;
	if (kind < 0)
		return lg_ctx_error(ctx, LG_USAGE,
				    "cannot tell the map format of '%s': use .pdf, .png or .svg", path);
	res->format = kind == 0 ? "png" : kind == 1 ? "pdf" : "svg";
	if (!date_given) {
		time_t t = time(NULL);
		struct tm tmv;
		localtime_r(&t, &tmv);
		strftime(today, sizeof today, "%Y-%m-%d", &tmv);
		m->date = today;
	}
	memset(&D, 0, sizeof D);
	layout_sheet(&S, m);
	/* extent */
	double ext4[4];
	if (m->has_extent)
		memcpy(ext4, m->extent, sizeof ext4);
	else {
		bool any = false;
		for (size_t i = 0; i < m->nlayers; i++) {
			lg_layer *l = m->layers[i].data;
			if (m->layers[i].is_then || !l->n || !(l->maxx >= l->minx))
				continue;
			if (!any) {
				ext4[0] = l->minx, ext4[1] = l->miny, ext4[2] = l->maxx, ext4[3] = l->maxy;
				any = true;
			} else {
				ext4[0] = fmin(ext4[0], l->minx), ext4[1] = fmin(ext4[1], l->miny);
				ext4[2] = fmax(ext4[2], l->maxx), ext4[3] = fmax(ext4[3], l->maxy);
			}
		}
		if (!any) {
			st = lg_ctx_error(ctx, LG_INPUT, "the map's layers have no features to draw");
			goto done;
		}
	}
	choose_view(&S, m, ext4);

	/* output surface: mm → px (PNG) or pt (PDF, SVG) */
	double k = kind == 0 ? m->dpi / 25.4 : 72.0 / 25.4;
	double Wu = S.W * k, Hu = S.H * k;
	size_t tl = strlen(path) + 16;
	if (!(tmp = lg__malloc(ctx, tl))) {
		st = LG_NOMEM;
		goto done;
	}
	snprintf(tmp, tl, "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	/* mkstemp makes the file private (0600); a map is for sharing */
	if (fd >= 0)
		(void)fchmod(fd, 0644);
	if (fd < 0 || !(f = fdopen(fd, "wb"))) {
		if (fd >= 0)
			close(fd);
		st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	if (kind == 0)
		surf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)ceil(Wu), (int)ceil(Hu));
	else if (kind == 1) {
		surf = cairo_pdf_surface_create_for_stream(write_fn, f, Wu, Hu);
		char cd[32];
		snprintf(cd, sizeof cd, "%sT00:00:00", m->date);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATE_DATE, cd);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_MOD_DATE, cd);
		if (m->title)
			cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_TITLE, m->title);
		cairo_pdf_surface_set_metadata(surf, CAIRO_PDF_METADATA_CREATOR, "landguard " LG_VERSION);
	} else
		surf = cairo_svg_surface_create_for_stream(write_fn, f, Wu, Hu);
	if (cairo_surface_status(surf)) {
		st = lg_ctx_error(ctx, LG_WRITE, "cannot make the %s surface for '%s': %s",
				  res->format, path, cairo_status_to_string(cairo_surface_status(surf)));
		goto done;
	}
	cr = cairo_create(surf);
	cairo_scale(cr, k, k);
	cairo_set_source_rgb(cr, 1, 1, 1);
	cairo_paint(cr);
	D.ctx = ctx;
	D.cr = cr;
	D.S = &S;
	D.m = m;
	D.pc = lg__text_context(cr);

	if (!(used = lg__calloc(ctx, m->nlayers, sizeof *used))) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < m->nlayers; i++)
		if (!(used[i] = lg__calloc(ctx, (size_t)lg__style_nsyms(m->layers[i].style),
					   sizeof **used))) {
			st = LG_NOMEM;
			goto done;
		}

	/* map content, clipped to the frame; `then` passes right after
	 * their layer */
	cairo_save(cr);
	cairo_rectangle(cr, S.frame.x, S.frame.y, S.frame.w, S.frame.h);
	cairo_clip(cr);
	size_t nbase = 0;
	while (nbase < m->nlayers && !m->layers[nbase].is_then)
		nbase++;
	for (size_t i = 0; i < nbase; i++) {
		draw_layer(&D, &m->layers[i], used[i]);
		for (size_t j = nbase; j < m->nlayers; j++)
			if (m->layers[j].data == m->layers[i].data)
				draw_layer(&D, &m->layers[j], used[j]);
	}
	cairo_restore(cr);
	draw_north_arrow(&D);
	draw_scale_bar(&D);
	cairo_save(cr);
	cairo_rectangle(cr, S.frame.x, S.frame.y, S.frame.w, S.frame.h);
	cairo_clip(cr);
	for (size_t i = m->nlayers; i-- > 0;)
		label_layer(&D, &m->layers[i]);
	cairo_restore(cr);
	cairo_set_source_rgb(cr, 0, 0, 0);
	cairo_set_line_width(cr, 0.35);
	cairo_rectangle(cr, S.frame.x, S.frame.y, S.frame.w, S.frame.h);
	cairo_stroke(cr);
	draw_grid(&D);
	size_t nitems = build_legend(m, used, &items);
	res->legend_entries = draw_legend(&D, items, nitems);
	draw_frame_and_notes(&D);

	cairo_destroy(cr);
	cr = NULL;
	if (kind == 0) {
		cairo_surface_flush(surf);
		if (cairo_surface_write_to_png_stream(surf, write_fn, f) != CAIRO_STATUS_SUCCESS)
			st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s'", path);
	}
	cairo_surface_finish(surf);
	if (!st && cairo_surface_status(surf))
		st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path,
				  cairo_status_to_string(cairo_surface_status(surf)));
	if (fclose(f) && !st)
		st = lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, strerror(errno));
	f = NULL;
	if (!st && rename(tmp, path))
		st = lg_ctx_error(ctx, LG_WRITE, "cannot move the finished map into place as '%s': %s",
				  path, strerror(errno));

	res->scale = S.denom;
	res->frame[0] = S.frame.x * k;
	res->frame[1] = S.frame.y * k;
	res->frame[2] = S.frame.w * k;
	res->frame[3] = S.frame.h * k;
	res->width = Wu;
	res->height = Hu;
	res->view[0] = S.cx - S.frame.w / 2 * S.denom / 1000;
	res->view[2] = S.cx + S.frame.w / 2 * S.denom / 1000;
	res->view[1] = S.cy - S.frame.h / 2 * S.denom / 1000;
	res->view[3] = S.cy + S.frame.h / 2 * S.denom / 1000;
	res->features = D.features;
	res->labels = D.labels;
	res->labels_skipped = D.skipped;
done:
	if (cr)
		cairo_destroy(cr);
	if (D.pc)
		g_object_unref(D.pc);
	if (surf)
		cairo_surface_destroy(surf);
	if (f)
		fclose(f);
	if (tmp) {
		if (st)
			unlink(tmp);
		free(tmp);
	}
	if (used)
		for (size_t i = 0; i < m->nlayers; i++)
			free(used[i]);
	free(used);
	free(items);
	free(D.boxes);
	if (!date_given)
		m->date = NULL;
	return st;
}
