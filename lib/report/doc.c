/* The document model: blocks of headings, paragraphs, key figures, tables
 * and maps, in reading order.  Both writers draw it as it is. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

static char *vfmt(lg_ctx *ctx, const char *fmt, va_list ap)
{
	va_list aq;
	va_copy(aq, ap);
	int n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		n = 0;
	char *s = lg__malloc(ctx, (size_t)n + 1);
	if (s)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

lg__doc *lg__doc_create(lg_ctx *ctx, const char *title, const char *subtitle,
			const char *office, const char *date)
{
	lg__doc *d = lg__calloc(ctx, 1, sizeof *d);
	if (!d)
		return NULL;
	d->title = lg__strdup(ctx, title ? title : "");
	d->subtitle = lg__strdup(ctx, subtitle ? subtitle : "");
	d->office = lg__strdup(ctx, office ? office : "");
	d->date = lg__strdup(ctx, date ? date : "");
	if (!d->title || !d->subtitle || !d->office || !d->date) {
		lg__doc_destroy(d);
		return NULL;
	}
	return d;
}

static void table_free(lg__table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->ncols; i++)
		free(t->head ? t->head[i] : NULL);
	for (size_t i = 0; i < t->nfill; i++)
		free(t->cells[i].text);
	free(t->head);
	free(t->width);
	free(t->cells);
	free(t);
}

void lg__doc_destroy(lg__doc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		lg__block *b = &d->b[i];
		free(b->text);
		free(b->anchor);
		free(b->image);
		table_free(b->table);
		for (size_t k = 0; k < b->nfigs; k++) {
			free(b->figs[k].label);
			free(b->figs[k].value);
		}
		free(b->figs);
	}
	free(d->b);
	free(d->title);
	free(d->subtitle);
	free(d->office);
	free(d->date);
	free(d);
}

static lg__block *add(lg_ctx *ctx, lg__doc *d, lg__doc_kind kind)
{
	if (lg__grow(ctx, (void **)&d->b, &d->cap, d->n + 1, sizeof *d->b))
		return NULL;
	lg__block *b = &d->b[d->n++];
	memset(b, 0, sizeof *b);
	b->kind = kind;
	return b;
}

lg__block *lg__doc_add(lg_ctx *ctx, lg__doc *d, lg__doc_kind kind, const char *fmt, ...)
{
	lg__block *b = add(ctx, d, kind);
	if (!b)
		return NULL;
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		b->text = vfmt(ctx, fmt, ap);
		va_end(ap);
		if (!b->text) {
			d->n--;
			return NULL;
		}
	}
	return b;
}

lg__table *lg__doc_table(lg_ctx *ctx, lg__doc *d, size_t ncols, const char *const *head,
			 const double *width)
{
	lg__block *b = add(ctx, d, LG_DOC_TABLE);
	lg__table *t;
	if (!b)
		return NULL;
	if (!(t = b->table = lg__calloc(ctx, 1, sizeof *t)))
		goto fail;
	t->ncols = ncols;
	if (!(t->head = lg__calloc(ctx, ncols, sizeof *t->head)) ||
	    !(t->width = lg__calloc(ctx, ncols, sizeof *t->width)))
		goto fail;
	for (size_t i = 0; i < ncols; i++) {
		if (!(t->head[i] = lg__strdup(ctx, head ? head[i] : "")))
			goto fail;
		t->width[i] = width ? width[i] : 1;
	}
	t->kv = head == NULL;
	return t;
fail:
	table_free(b->table);
	b->table = NULL;
	d->n--;
	return NULL;
}

lg_status lg__table_cell(lg_ctx *ctx, lg__table *t, const char *text, int mark, bool num)
{
	if (lg__grow(ctx, (void **)&t->cells, &t->cap, t->nfill + 1, sizeof *t->cells))
		return LG_NOMEM;
	lg__cell *c = &t->cells[t->nfill];
	memset(c, 0, sizeof *c);
	if (!(c->text = lg__strdup(ctx, text ? text : "")))
		return LG_NOMEM;
	c->mark = mark;
	c->num = num;
	t->nfill++;
	t->nrows = (t->nfill + t->ncols - 1) / t->ncols;
	return LG_OK;
}

lg_status lg__table_cellf(lg_ctx *ctx, lg__table *t, int mark, bool num, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vfmt(ctx, fmt, ap);
	va_end(ap);
	if (!s)
		return LG_NOMEM;
	lg_status st = lg__table_cell(ctx, t, s, mark, num);
	free(s);
	return st;
}

lg_status lg__doc_fig(lg_ctx *ctx, lg__block *b, const char *label, const char *value, int mark)
{
	lg__fig *f = lg__realloc(ctx, b->figs, (b->nfigs + 1) * sizeof *f);
	if (!f)
		return LG_NOMEM;
	b->figs = f;
	f = &b->figs[b->nfigs];
	f->label = lg__strdup(ctx, label);
	f->value = lg__strdup(ctx, value);
	f->mark = mark;
	b->nfigs++;
	return f->label && f->value ? LG_OK : LG_NOMEM;
}

/* PNG width and height from the IHDR chunk. */
static bool png_size(const char *path, int *w, int *h)
{
	unsigned char hd[24];
	FILE *f = fopen(path, "rb");
	if (!f)
		return false;
	size_t n = fread(hd, 1, sizeof hd, f);
	fclose(f);
	if (n != sizeof hd || memcmp(hd + 12, "IHDR", 4))
		return false;
	*w = (hd[16] << 24) | (hd[17] << 16) | (hd[18] << 8) | hd[19];
	*h = (hd[20] << 24) | (hd[21] << 16) | (hd[22] << 8) | hd[23];
	return *w > 0 && *h > 0;
}

lg_status lg__doc_image(lg_ctx *ctx, lg__doc *d, const char *png, double width_mm,
			const char *caption)
{
	lg__block *b = lg__doc_add(ctx, d, LG_DOC_IMAGE, "%s", caption ? caption : "");
	if (!b)
		return LG_NOMEM;
	if (!(b->image = lg__strdup(ctx, png)))
		return LG_NOMEM;
	if (!png_size(png, &b->img_w, &b->img_h))
		return lg_ctx_error(ctx, LG_INTERNAL, "map '%s' is not a PNG this report can embed",
				    png);
	b->img_mm = width_mm;
	return LG_OK;
}

/* --- formatting ------------------------------------------------------------ */

static void group(char *buf, size_t n, double v, int decimals)
{
	char raw[64], *dot;
	snprintf(raw, sizeof raw, "%.*f", decimals, v);
	dot = strchr(raw, '.');
	size_t ilen = dot ? (size_t)(dot - raw) : strlen(raw);
	size_t start = raw[0] == '-' ? 1 : 0, k = 0;
	for (size_t i = 0; raw[i] && k + 2 < n; i++) {
		if (i < ilen && i > start && (ilen - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = raw[i];
	}
	buf[k] = 0;
}

void lg__fmt_m2(char *buf, size_t n, double m2)
{
	group(buf, n, m2, 2);
}

void lg__fmt_mu(char *buf, size_t n, double m2)
{
	group(buf, n, lg_m2_to_mu(m2), 2);
}

const char *lg__sev_zh(int sev)
{
	return sev >= 0 && sev < LG_SEV__COUNT ? lg_severity_zh((lg_severity)sev) : "";
}

void lg__fmt_date_zh(char *buf, size_t n, const char *iso)
{
	int y, m, d;
	if (iso && sscanf(iso, "%d-%d-%d", &y, &m, &d) == 3)
		snprintf(buf, n, "%d年%d月%d日", y, m, d);
	else
		snprintf(buf, n, "%s", iso ? iso : "");
}
