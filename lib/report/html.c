/* report.html: one self-contained file (CSS inline, maps as base64 PNG),
 * readable offline and printable on A4 (print CSS: page breaks before
 * atlas pages, table headers repeated, page numbers in the margin). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

static const char *css =
	"@page{size:A4 portrait;margin:14mm 12mm 16mm 12mm;"
	"@bottom-center{content:\"第 \" counter(page) \" 页\";font-size:9pt;color:#555}}\n"
	"html{background:#eceff1}\n"
	"body{font-family:\"Noto Serif CJK SC\",\"Source Han Serif SC\",\"SimSun\",serif;"
	"font-size:10.5pt;color:#1a1a1a;line-height:1.55;max-width:190mm;margin:0 auto;"
	"background:#fff;padding:10mm 12mm 14mm}\n"
	"h1,h2,.title,.figs,th,.cap{font-family:\"Noto Sans CJK SC\",\"Source Han Sans SC\","
	"\"SimHei\",sans-serif}\n"
	"header.cover{border-bottom:2.5px solid #8b0000;margin-bottom:6mm;padding-bottom:3mm}\n"
	".title{font-size:20pt;font-weight:700;text-align:center;margin:2mm 0 1mm}\n"
	".subtitle{text-align:center;font-size:12pt;color:#333}\n"
	".meta{display:flex;justify-content:space-between;font-size:9.5pt;color:#444;margin-top:3mm}\n"
	"h1{font-size:14.5pt;color:#8b0000;border-left:5px solid #8b0000;padding-left:2.5mm;"
	"margin:8mm 0 3mm}\n"
	"h2{font-size:11.5pt;color:#222;margin:5mm 0 2mm}\n"
	"p{margin:1.5mm 0 2.5mm;text-indent:2em}\n"
	"p.note{font-size:8.5pt;color:#555;text-indent:0}\n"
	".figs{display:flex;flex-wrap:wrap;gap:3mm;margin:2mm 0 3mm}\n"
	".fig{flex:1 1 0;min-width:22mm;border:1px solid #cfd8dc;border-radius:2mm;padding:2mm 3mm;"
	"background:#fafafa}\n"
	".fig .v{font-size:20pt;font-weight:700;line-height:1.2}\n"
	".fig .l{font-size:9pt;color:#455a64}\n"
	".fig.m2 .v{color:#c00000}.fig.m1 .v{color:#e65100}.fig.m3 .v{color:#2e7d32}\n"
	"table{border-collapse:collapse;width:100%;margin:1.5mm 0 3mm;font-size:8.6pt;"
	"table-layout:fixed}\n"
	"th{background:#37474f;color:#fff;font-weight:500;padding:1.2mm 1.4mm;"
	"border:1px solid #37474f;text-align:center}\n"
	"td{border:1px solid #b0bec5;padding:1mm 1.4mm;vertical-align:top;word-wrap:break-word;"
	"overflow-wrap:break-word}\n"
	"tr:nth-child(even) td{background:#f5f7f8}\n"
	"td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"td.m2{background:#ffd7d7!important;color:#8b0000;font-weight:700}\n"
	"td.m1{background:#ffe6c7!important;color:#8a3b00;font-weight:700}\n"
	"td.m0{background:#e3f0fb!important;color:#0d47a1}\n"
	"td.m3{background:#dcf1dc!important;color:#1b5e20;font-weight:700}\n"
	"table.kv td.k{background:#eceff1!important;font-family:\"Noto Sans CJK SC\",sans-serif;"
	"color:#37474f;white-space:nowrap}\n"
	"figure{margin:3mm 0;text-align:center}\n"
	"figure img{max-width:100%;border:1px solid #90a4ae}\n"
	".cap{font-size:9pt;color:#37474f;margin-top:1mm}\n"
	"nav.toc{font-size:9.5pt;column-count:2;margin:2mm 0 4mm}\n"
	"nav.toc a{color:#1a1a1a;text-decoration:none}\n"
	"footer{margin-top:8mm;border-top:1px solid #90a4ae;font-size:8.5pt;color:#555;"
	"display:flex;justify-content:space-between}\n"
	".pb{break-before:page;page-break-before:always;height:0}\n"
	"@media print{html{background:#fff}body{max-width:none;padding:0}"
	"tr,figure,.fig{break-inside:avoid}h1,h2{break-after:avoid}"
	"thead{display:table-header-group}}\n";

static void esc(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static bool base64_file(FILE *out, const char *path)
{
	static const char tbl[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	FILE *f = fopen(path, "rb");
	unsigned char in[3 * 1024];
	char o[4 * 1024];
	size_t n;
	if (!f)
		return false;
	while ((n = fread(in, 1, sizeof in, f)) > 0) {
		size_t k = 0;
		for (size_t i = 0; i < n; i += 3) {
			unsigned v = (unsigned)in[i] << 16;
			size_t left = n - i;
			if (left > 1)
				v |= (unsigned)in[i + 1] << 8;
			if (left > 2)
				v |= in[i + 2];
			o[k++] = tbl[(v >> 18) & 63];
			o[k++] = tbl[(v >> 12) & 63];
			o[k++] = left > 1 ? tbl[(v >> 6) & 63] : '=';
			o[k++] = left > 2 ? tbl[v & 63] : '=';
		}
		fwrite(o, 1, k, out);
		if (n < sizeof in)
			break;
	}
	bool ok = !ferror(f);
	fclose(f);
	return ok;
}

static void table_html(FILE *f, const lg__table *t)
{
	double tw = 0;
	for (size_t c = 0; c < t->ncols; c++)
		tw += t->width[c];
	fprintf(f, "<table%s><colgroup>", t->kv ? " class=\"kv\"" : "");
	for (size_t c = 0; c < t->ncols; c++)
		fprintf(f, "<col style=\"width:%.1f%%\">", 100 * t->width[c] / tw);
	fputs("</colgroup>", f);
	if (!t->kv) {
		fputs("<thead><tr>", f);
		for (size_t c = 0; c < t->ncols; c++) {
			fputs("<th>", f);
			esc(f, t->head[c]);
			fputs("</th>", f);
		}
		fputs("</tr></thead>", f);
	}
	fputs("<tbody>\n", f);
	for (size_t r = 0; r < t->nrows; r++) {
		fputs("<tr>", f);
		for (size_t c = 0; c < t->ncols; c++) {
			size_t i = r * t->ncols + c;
			const lg__cell *x = i < t->nfill ? &t->cells[i] : NULL;
			char cls[32] = "";
			size_t k = 0;
			if (x && x->num)
				k += (size_t)snprintf(cls + k, sizeof cls - k, "n ");
			if (x && x->mark >= 0)
				k += (size_t)snprintf(cls + k, sizeof cls - k, "m%d ", x->mark);
			if (t->kv && c % 2 == 0)
				k += (size_t)snprintf(cls + k, sizeof cls - k, "k ");
			if (k)
				cls[k - 1] = 0;
			fprintf(f, k ? "<td class=\"%s\">" : "<td>", cls);
			if (x)
				esc(f, x->text);
			fputs("</td>", f);
		}
		fputs("</tr>\n", f);
	}
	fputs("</tbody></table>\n", f);
}

lg_status lg__html_write(lg_ctx *ctx, const lg__doc *d, const char *path)
{
	FILE *f = fopen(path, "w");
	char date[64];
	if (!f)
		return lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, strerror(errno));
	lg__fmt_date_zh(date, sizeof date, d->date);
	fputs("<!DOCTYPE html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>", f);
	esc(f, d->title);
	fprintf(f, "</title>\n<style>\n%s</style>\n</head><body>\n", css);
	fputs("<header class=\"cover\"><div class=\"title\">", f);
	esc(f, d->title);
	fputs("</div><div class=\"subtitle\">", f);
	esc(f, d->subtitle);
	fputs("</div><div class=\"meta\"><span>", f);
	esc(f, d->office);
	fputs("</span><span>", f);
	esc(f, date);
	fputs("</span></div></header>\n", f);
	/* contents: the sections */
	fputs("<nav class=\"toc\">", f);
	for (size_t i = 0; i < d->n; i++)
		if (d->b[i].kind == LG_DOC_H1) {
			fprintf(f, "<div><a href=\"#%s\">", d->b[i].anchor ? d->b[i].anchor : "");
			esc(f, d->b[i].text);
			fputs("</a></div>", f);
		}
	fputs("</nav>\n", f);
	for (size_t i = 0; i < d->n; i++) {
		const lg__block *b = &d->b[i];
		switch (b->kind) {
		case LG_DOC_H1:
		case LG_DOC_H2:
			fprintf(f, "<h%d", b->kind == LG_DOC_H1 ? 1 : 2);
			if (b->anchor)
				fprintf(f, " id=\"%s\"", b->anchor);
			fputc('>', f);
			esc(f, b->text);
			fprintf(f, "</h%d>\n", b->kind == LG_DOC_H1 ? 1 : 2);
			break;
		case LG_DOC_P:
		case LG_DOC_NOTE:
			fputs(b->kind == LG_DOC_NOTE ? "<p class=\"note\">" : "<p>", f);
			esc(f, b->text);
			fputs("</p>\n", f);
			break;
		case LG_DOC_FIGS:
			fputs("<div class=\"figs\">", f);
			for (size_t k = 0; k < b->nfigs; k++) {
				fprintf(f, "<div class=\"fig m%d\"><div class=\"v\">", b->figs[k].mark);
				esc(f, b->figs[k].value);
				fputs("</div><div class=\"l\">", f);
				esc(f, b->figs[k].label);
				fputs("</div></div>", f);
			}
			fputs("</div>\n", f);
			break;
		case LG_DOC_TABLE:
			table_html(f, b->table);
			break;
		case LG_DOC_IMAGE:
			fprintf(f, "<figure><img alt=\"");
			esc(f, b->text);
			fprintf(f, "\" width=\"%d\" height=\"%d\" style=\"width:%.0fmm;height:auto\" "
				   "src=\"data:image/png;base64,", b->img_w, b->img_h, b->img_mm);
			if (!base64_file(f, b->image)) {
				fclose(f);
				return lg_ctx_error(ctx, LG_WRITE, "cannot read the map '%s' into '%s'",
						    b->image, path);
			}
			fputs("\"><div class=\"cap\">", f);
			esc(f, b->text);
			fputs("</div></figure>\n", f);
			break;
		case LG_DOC_BREAK:
			fputs("<div class=\"pb\"></div>\n", f);
			break;
		}
	}
	fputs("<footer><span>", f);
	esc(f, d->office);
	fputs("</span><span>landguard " LG_VERSION "　", f);
	esc(f, date);
	fputs("</span></footer>\n</body></html>\n", f);
	if (ferror(f) | fclose(f))
		return lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, strerror(errno));
	return LG_OK;
}
