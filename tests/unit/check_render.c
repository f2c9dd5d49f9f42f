/* render: maps drawn to PNG and read back pixel by pixel; PDF and SVG read
 * back; Chinese text set as glyphs; styles and palettes from data files.
 *
 * Expected pixels come from the projection arithmetic of the test map: at
 * 1:1000 one metre on the ground is one millimetre on paper, and at 100 dpi
 * one millimetre is 100/25.4 = 3.937 px.  The test extent is centred on a
 * 100 m square, so the square's centre lands on the frame's centre and its
 * east edge 50 mm = 196.85 px to the right of it. */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lg_test.h"
#include "render/render_int.h"

#define X0 500000.0
#define Y0 3940000.0
#define PX_PER_MM (100 / 25.4)

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

/* A styles file of our own: colours the tests know without the house style. */
static const char *test_styles(void)
{
	const char *p = lg_test_tmp("styles.ini");
	write_file(p, "[style.square]\n"
		      "title = 测试图层\n"
		      "symbol = label=测试方块 fill=#12A456 outline=none\n"
		      "[style.kind]\n"
		      "title = 分类\n"
		      "field = kind\n"
		      "cat.A = label=甲类 fill=#D01010 outline=#000000 width=0.3\n"
		      "cat.B = label=乙类 fill=#1010D0 outline=#000000 width=0.3\n"
		      "cat.C = label=丙类 fill=#E0C000 outline=#000000 width=0.3\n"
		      "[theme.test]\n"
		      "title = 主题标题\n"
		      "styles = kind, square\n");
	return p;
}

/* A layer in EPSG:4546 with one square per (x, y offset, kind). */
static lg_layer *squares(int n, const double *off, const char *const *kinds, double side)
{
	lg_field f[1] = {{"kind", LG_FT_STRING, 0}};
	lg_layer *l = NULL;
	ck_assert_int_eq(lg_layer_create(T, "squares", f, 1, &l), LG_OK);
	ck_assert_int_eq(lg_crs_parse(T, "EPSG:4546", "test", &l->crs), LG_OK);
	l->geom_type = 3;
	for (int i = 0; i < n; i++) {
		char wkt[256];
		double x = X0 + off[2 * i], y = Y0 + off[2 * i + 1];
		snprintf(wkt, sizeof wkt, "POLYGON((%f %f,%f %f,%f %f,%f %f,%f %f))", x, y, x + side, y,
			 x + side, y + side, x, y + side, x, y);
		lg_feature *ft;
		ck_assert_int_eq(lg_layer_add(T, l, &ft), LG_OK);
		ck_assert_int_eq(lg_feature_set_str(T, l, ft, 0, kinds[i]), LG_OK);
		lg_feature_set_geom(T, ft, lg_test_wkt(wkt));
	}
	lg_layer_update_extent(T, l);
	return l;
}

static void rgb_at(const lg_image *img, double x, double y, unsigned char out[3])
{
	int ix = (int)floor(x), iy = (int)floor(y);
	ck_assert_msg(ix >= 0 && iy >= 0 && ix < img->width && iy < img->height,
		      "pixel (%d, %d) outside %dx%d", ix, iy, img->width, img->height);
	memcpy(out, img->rgb + ((size_t)iy * (size_t)img->width + (size_t)ix) * 3, 3);
}

#define ASSERT_RGB(img, x, y, r_, g_, b_)                                                   \
	do {                                                                               \
		unsigned char c_[3];                                                       \
		rgb_at((img), (x), (y), c_);                                               \
		ck_assert_msg(c_[0] == (r_) && c_[1] == (g_) && c_[2] == (b_),             \
			      "pixel (%.1f, %.1f) is %d,%d,%d, want %d,%d,%d", (double)(x),   \
			      (double)(y), c_[0], c_[1], c_[2], (r_), (g_), (b_));           \
	} while (0)

/* Pixels of exactly this colour inside [x0,x1)×[y0,y1). */
static long count_rgb(const lg_image *img, int x0, int y0, int x1, int y1, int r, int g, int b)
{
	long n = 0;
	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < img->height; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < img->width; x++) {
			const unsigned char *p = img->rgb + ((size_t)y * (size_t)img->width + (size_t)x) * 3;
			n += p[0] == r && p[1] == g && p[2] == b;
		}
	return n;
}

static long count_dark(const lg_image *img, int x0, int y0, int x1, int y1)
{
	long n = 0;
	for (int y = y0 < 0 ? 0 : y0; y < y1 && y < img->height; y++)
		for (int x = x0 < 0 ? 0 : x0; x < x1 && x < img->width; x++) {
			const unsigned char *p = img->rgb + ((size_t)y * (size_t)img->width + (size_t)x) * 3;
			n += p[0] + p[1] + p[2] < 3 * 128;
		}
	return n;
}

/* The square map: A4 landscape, 100 dpi, 1:1000, centred on the square. */
static lg_map *square_map(lg_layer **lay)
{
	static const double off[] = {0, 0};
	static const char *const kinds[] = {"A"};
	lg_map *m = lg_map_create(T);
	ck_assert_ptr_nonnull(m);
	*lay = squares(1, off, kinds, 100);
	char ext[128];
	snprintf(ext, sizeof ext, "%f,%f,%f,%f", X0 - 10, Y0 - 10, X0 + 110, Y0 + 110);
	const char *kv[][2] = {{"styles", test_styles()}, {"page", "A4"}, {"dpi", "100"},
			       {"scale", "1000"},	   {"extent", ext},	  {"date", "2026-10-31"},
			       {"title", "新绛县测试图"},  {"office", "新绛县自然资源局"}};
	for (size_t i = 0; i < sizeof kv / sizeof kv[0]; i++)
		ck_assert_int_eq(lg_map_set(T, m, kv[i][0], kv[i][1]), LG_OK);
	lg_map_layer_def d = {.style = "square"};
	ck_assert_int_eq(lg_map_add_data(T, m, *lay, &d), LG_OK);
	return m;
}

START_TEST(png_square_at_its_projected_pixels)
{
	lg_layer *lay;
	lg_map *m = square_map(&lay);
	lg_map_result r;
	lg_image *img = NULL;
	const char *png = lg_test_tmp("square.png");
	ck_assert_int_eq(lg_map_render(T, m, png, NULL, &r), LG_OK);
	ck_assert_str_eq(r.format, "png");
	ck_assert_double_eq(r.scale, 1000);
	/* A4 landscape at 100 dpi: 297 × 210 mm */
	ck_assert_int_eq(lg_image_read_png(T, png, &img), LG_OK);
	ck_assert_int_eq(img->width, (int)ceil(297 * PX_PER_MM));
	ck_assert_int_eq(img->height, (int)ceil(210 * PX_PER_MM));
	double cx = r.frame[0] + r.frame[2] / 2, cy = r.frame[1] + r.frame[3] / 2;
	/* the extent's centre (X0+50, Y0+50) is the square's centre */
	ASSERT_RGB(img, cx, cy, 0x12, 0xA4, 0x56);
	/* 45 m east, west, north and south: still inside (45 mm on paper) */
	double in = 45 * PX_PER_MM, out = 55 * PX_PER_MM;
	ASSERT_RGB(img, cx + in, cy, 0x12, 0xA4, 0x56);
	ASSERT_RGB(img, cx - in, cy + 3, 0x12, 0xA4, 0x56);
	ASSERT_RGB(img, cx + 3, cy - in, 0x12, 0xA4, 0x56);
	ASSERT_RGB(img, cx + 3, cy + in, 0x12, 0xA4, 0x56);
	/* 55 m away: outside the square, the white paper (away from grid marks) */
	ASSERT_RGB(img, cx + out, cy + 3, 255, 255, 255);
	ASSERT_RGB(img, cx - out, cy + 3, 255, 255, 255);
	ASSERT_RGB(img, cx + 3, cy + out, 255, 255, 255);
	/* the view is the frame at 1:1000: frame width in mm = metres */
	ck_assert_double_eq_tol(r.view[2] - r.view[0], r.frame[2] / PX_PER_MM, 1e-6);
	ck_assert_double_eq_tol((r.view[0] + r.view[2]) / 2, X0 + 50, 1e-6);
	ck_assert_double_eq_tol((r.view[1] + r.view[3]) / 2, Y0 + 50, 1e-6);
	/* title band above the frame: dark glyph pixels, centred */
	long title = count_dark(img, img->width / 4, 0, img->width * 3 / 4, (int)r.frame[1] - 12);
	ck_assert_msg(title > 400, "title band has only %ld dark pixels", title);
	/* legend panel right of the frame holds the swatch in its colour */
	int lx = (int)(r.frame[0] + r.frame[2]) + 2;
	long sw = count_rgb(img, lx, 0, img->width, img->height, 0x12, 0xA4, 0x56);
	ck_assert_msg(sw > 100, "legend swatch: %ld pixels of 12A456", sw);
	ck_assert_uint_eq(r.legend_entries, 1);
	ck_assert_uint_eq(r.features, 1);
	lg_image_destroy(img);
	lg_map_destroy(T, m);
	lg_layer_destroy(T, lay);
}
END_TEST

START_TEST(legend_lists_only_categories_drawn)
{
	static const double off[] = {0, 0, 150, 0};
	static const char *const kinds[] = {"A", "B"};
	lg_layer *lay = squares(2, off, kinds, 100);
	lg_map *m = lg_map_create(T);
	lg_map_result r;
	lg_image *img = NULL;
	const char *png = lg_test_tmp("kinds.png");
	ck_assert_int_eq(lg_map_set(T, m, "styles", test_styles()), LG_OK);
	ck_assert_int_eq(lg_map_set(T, m, "theme", "test"), LG_OK);
	ck_assert_int_eq(lg_map_set(T, m, "page", "A4"), LG_OK);
	ck_assert_int_eq(lg_map_set(T, m, "dpi", "100"), LG_OK);
	ck_assert_int_eq(lg_map_set(T, m, "date", "2026-10-31"), LG_OK);
	/* no style given: the theme's first fitting style (kind) is used */
	ck_assert_int_eq(lg_map_add_data(T, m, lay, NULL), LG_OK);
	ck_assert_int_eq(lg_map_render(T, m, png, NULL, &r), LG_OK);
	ck_assert_int_eq(lg_image_read_png(T, png, &img), LG_OK);
	/* 250 m × 100 m padded by 6 % into the 199 mm frame: 1:2000 is the
	 * nicest scale that fits (1:1000 would need 265 mm) */
	ck_assert_double_eq(r.scale, 2000);
	ck_assert_uint_eq(r.legend_entries, 2);
	int lx = (int)(r.frame[0] + r.frame[2]) + 2;
	ck_assert_int_gt(count_rgb(img, lx, 0, img->width, img->height, 0xD0, 0x10, 0x10), 30);
	ck_assert_int_gt(count_rgb(img, lx, 0, img->width, img->height, 0x10, 0x10, 0xD0), 30);
	ck_assert_int_eq(count_rgb(img, lx, 0, img->width, img->height, 0xE0, 0xC0, 0x00), 0);
	/* the theme's title stands in for a missing one */
	ck_assert_int_gt(count_dark(img, img->width / 4, 0, img->width * 3 / 4, (int)r.frame[1] - 12),
			 300);
	/* square A's centre: 50 m west of the extent centre (X0+125) is
	 * 75 m → 37.5 mm at 1:2000 */
	double cx = r.frame[0] + r.frame[2] / 2 - 37.5 * PX_PER_MM, cy = r.frame[1] + r.frame[3] / 2;
	ASSERT_RGB(img, cx + 5, cy + 5, 0xD0, 0x10, 0x10);
	ASSERT_RGB(img, cx + 75 * PX_PER_MM + 5, cy + 5, 0x10, 0x10, 0xD0);
	lg_image_destroy(img);
	lg_map_destroy(T, m);
	lg_layer_destroy(T, lay);
}
END_TEST

START_TEST(chinese_text_is_glyphs_not_boxes)
{
	lg_image *zh = NULL, *box = NULL, *zh2 = NULL;
	int unk = -1;
	ck_assert_int_eq(lg_image_text(T, "新", "sans", 48, &zh, &unk), LG_OK);
	ck_assert_int_eq(unk, 0);
	ck_assert_int_eq(lg_image_text(T, "绛", "serif", 48, &zh2, &unk), LG_OK);
	ck_assert_int_eq(unk, 0);
	/* U+10FFFF: no font has it, pango draws its hex box */
	ck_assert_int_eq(lg_image_text(T, "\xF4\x8F\xBF\xBF", "sans", 48, &box, &unk), LG_OK);
	ck_assert_int_eq(unk, 1);
	/* a real glyph differs from the box in a good share of its pixels */
	int w = zh->width < box->width ? zh->width : box->width;
	int h = zh->height < box->height ? zh->height : box->height;
	long diff = 0, ink = 0;
	for (int y = 0; y < h; y++)
		for (int x = 0; x < w; x++) {
			int a = zh->rgb[((size_t)y * zh->width + x) * 3] < 128;
			int b = box->rgb[((size_t)y * box->width + x) * 3] < 128;
			diff += a != b;
			ink += a;
		}
	ck_assert_msg(ink > 100, "the glyph 新 has only %ld dark pixels", ink);
	ck_assert_msg(diff > ink / 3, "新 looks like the missing-glyph box (%ld of %ld differ)",
		      diff, ink);
	lg_image_destroy(zh);
	lg_image_destroy(zh2);
	lg_image_destroy(box);
}
END_TEST

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	long sz = ftell(f);
	fseek(f, 0, SEEK_SET);
	unsigned char *b = malloc((size_t)sz + 1);
	ck_assert_int_eq(fread(b, 1, (size_t)sz, f), (size_t)sz);
	b[sz] = 0;
	fclose(f);
	*n = (size_t)sz;
	return b;
}

START_TEST(pdf_and_svg_read_back_and_are_deterministic)
{
	lg_layer *lay;
	lg_map *m = square_map(&lay);
	const char *pdf = lg_test_tmp("square.pdf"), *pdf2 = lg_test_tmp("square2.pdf");
	const char *svg = lg_test_tmp("square.svg");
	lg_map_result r;
	size_t n1, n2, ns;
	ck_assert_int_eq(lg_map_render(T, m, pdf, NULL, &r), LG_OK);
	ck_assert_str_eq(r.format, "pdf");
	/* 297 mm in points */
	ck_assert_double_eq_tol(r.width, 297 * 72 / 25.4, 1e-9);
	ck_assert_int_eq(lg_map_render(T, m, pdf2, NULL, NULL), LG_OK);
	ck_assert_int_eq(lg_map_render(T, m, svg, NULL, NULL), LG_OK);
	unsigned char *a = slurp(pdf, &n1), *b = slurp(pdf2, &n2), *s = slurp(svg, &ns);
	ck_assert(n1 > 1000 && !memcmp(a, "%PDF-", 5));
	ck_assert_msg(n1 == n2 && !memcmp(a, b, n1), "two renderings of one map differ");
	ck_assert_ptr_nonnull(memmem(a, n1, "/CreationDate (20261031000000)", 30));
	ck_assert_ptr_nonnull(strstr((char *)s, "<svg"));
	ck_assert_ptr_nonnull(strstr((char *)s, "</svg>"));
	/* poppler reads the PDF back and finds the square's green */
	if (system("pdftoppm -v >/dev/null 2>&1") == 0) {
		char cmd[2048];
		snprintf(cmd, sizeof cmd, "pdftoppm -r 100 -png -singlefile '%s' '%s'", pdf,
			 lg_test_tmp("back"));
		ck_assert_int_eq(system(cmd), 0);
		lg_image *img = NULL;
		ck_assert_int_eq(lg_image_read_png(T, lg_test_tmp("back.png"), &img), LG_OK);
		double k = 100 / 72.0; /* pt → px at 100 dpi */
		unsigned char c[3];
		rgb_at(img, (r.frame[0] + r.frame[2] / 2) * k, (r.frame[1] + r.frame[3] / 2) * k, c);
		ck_assert_msg(abs(c[0] - 0x12) < 3 && abs(c[1] - 0xA4) < 3 && abs(c[2] - 0x56) < 3,
			      "PDF centre pixel %d,%d,%d", c[0], c[1], c[2]);
		lg_image_destroy(img);
	}
	if (system("xmllint --version >/dev/null 2>&1") == 0) {
		char cmd[2048];
		snprintf(cmd, sizeof cmd, "xmllint --noout '%s'", svg);
		ck_assert_int_eq(system(cmd), 0);
	}
	free(a);
	free(b);
	free(s);
	lg_map_destroy(T, m);
	lg_layer_destroy(T, lay);
}
END_TEST

START_TEST(map_file_with_relative_source)
{
	const char *csv = lg_test_tmp("sq.csv");
	char buf[1024];
	snprintf(buf, sizeof buf,
		 "id,kind,WKT\n1,B,\"POLYGON((%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f,%.0f %.0f))\"\n",
		 X0, Y0, X0 + 100, Y0, X0 + 100, Y0 + 100, X0, Y0 + 100, X0, Y0);
	write_file(csv, buf);
	const char *ini = lg_test_tmp("map.ini");
	snprintf(buf, sizeof buf,
		 "; a map file as an office keeps it\n"
		 "[map]\ntitle = 地图文件测试\noffice = 测试单位\ndate = 2026-10-31\npage = A4\n"
		 "dpi = 72\ns_srs = EPSG:4546\nstyles = styles.ini\n"
		 "sources = 第一行来源，\n    第二行接续\n"
		 "[layer.1]\nsource = sq.csv\nstyle = kind\nwhere = kind = B|C\n");
	test_styles();
	write_file(ini, buf);
	lg_map *m = lg_map_create(T);
	lg_map_result r;
	ck_assert_int_eq(lg_map_load_ini(T, m, ini), LG_OK);
	ck_assert_str_eq(m->sources, "第一行来源， 第二行接续");
	ck_assert_int_eq(lg_map_render(T, m, lg_test_tmp("ini.svg"), NULL, &r), LG_OK);
	ck_assert_uint_eq(r.features, 1);
	ck_assert_uint_eq(r.legend_entries, 1);
	lg_map_destroy(T, m);
}
END_TEST

START_TEST(errors_name_what_and_where)
{
	lg_map *m = lg_map_create(T);
	ck_assert_int_eq(lg_map_set(T, m, "page", "B5"), LG_USAGE);
	ck_assert_str_eq(lg_ctx_errmsg(T), "page must be A4 or A3 (got 'B5')");
	ck_assert_int_eq(lg_map_set(T, m, "date", "31/10/2026"), LG_USAGE);
	ck_assert_int_eq(lg_map_set(T, m, "dpi", "5"), LG_USAGE);
	ck_assert_int_eq(lg_map_render(T, m, lg_test_tmp("x.png"), NULL, NULL), LG_USAGE);
	ck_assert_str_eq(lg_ctx_errmsg(T), "a map needs at least one layer");
	/* a line longer than inih reads is an error, not a silent cut */
	const char *ini = lg_test_tmp("long.ini");
	char buf[1024];
	memset(buf, 0, sizeof buf);
	strcpy(buf, "[map]\ntitle = ");
	memset(buf + strlen(buf), 'x', 300);
	strcat(buf, "\n");
	write_file(ini, buf);
	ck_assert_int_eq(lg_map_load_ini(T, m, ini), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "line 2 of"));
	write_file(ini, "[map]\ncolour = red\n");
	ck_assert_int_eq(lg_map_load_ini(T, m, ini), LG_INPUT);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "unknown map property 'colour'"));
	/* an unknown theme lists the real ones */
	lg_layer *lay;
	lg_map_destroy(T, m);
	m = square_map(&lay);
	ck_assert_int_eq(lg_map_set(T, m, "theme", "nosuch"), LG_OK);
	ck_assert_int_eq(lg_map_render(T, m, lg_test_tmp("x.png"), NULL, NULL), LG_USAGE);
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), "unknown theme 'nosuch'"));
	ck_assert_ptr_nonnull(strstr(lg_ctx_errmsg(T), ": test"));
	ck_assert_int_eq(lg_map_set(T, m, "theme", NULL), LG_OK);
	ck_assert_int_eq(lg_map_render(T, m, lg_test_tmp("x.gif"), NULL, NULL), LG_USAGE);
	/* an unwritable path leaves nothing behind */
	ck_assert_int_eq(lg_map_render(T, m, "/nonexistent-dir/x.png", NULL, NULL), LG_WRITE);
	lg_map_destroy(T, m);
	lg_layer_destroy(T, lay);
}
END_TEST

/* --- the shipped palettes: domain-facts §10.1 and its inheritance rules --- */

static lg__styleset *SET;

static void house_setup(void)
{
	lg_test_setup();
	char path[4096];
	snprintf(path, sizeof path, "%s/styles/theme.ini", lg_ctx_datadir(T));
	ck_assert_int_eq(lg__styles_load(T, path, &SET), LG_OK);
}

static void house_teardown(void)
{
	lg__styles_destroy(SET);
	SET = NULL;
	lg_test_teardown();
}

/* Fill of `code` in the named palette style, as 0-255 integers. */
static void pal_rgb(const char *style, const char *code, int *r, int *g, int *b, bool *outline)
{
	lg__style *st = lg__style_find(SET, style);
	ck_assert_ptr_nonnull(st);
	int i = lg__palette_lookup(st->pal, st->npal, code);
	ck_assert_msg(i >= 0, "no colour for %s", code);
	*r = (int)lround(st->pal[i].fill.r * 255);
	*g = (int)lround(st->pal[i].fill.g * 255);
	*b = (int)lround(st->pal[i].fill.b * 255);
	if (outline)
		*outline = !st->pal[i].outline.none;
}

#define CHECK_PAL(style, code, R, G, B)                                                \
	do {                                                                           \
		int r_, g_, b_;                                                        \
		pal_rgb(style, code, &r_, &g_, &b_, NULL);                             \
		ck_assert_msg(r_ == (R) && g_ == (G) && b_ == (B),                     \
			      "%s %s: %d,%d,%d want %d,%d,%d", style, code, r_, g_, b_, \
			      (R), (G), (B));                                          \
	} while (0)

START_TEST(ydyh_palette_rows_and_inheritance)
{
	lg__style *st = lg__style_find(SET, "landuse");
	ck_assert_ptr_nonnull(st);
	/* 39 rows of Appendix B, then 8 legacy GB 50137 hues */
	ck_assert_uint_eq(st->npal, 39 + 8);
	CHECK_PAL("landuse", "01", 245, 248, 220);
	CHECK_PAL("landuse", "0701", 255, 255, 45);
	CHECK_PAL("landuse", "0804", 255, 133, 201);
	CHECK_PAL("landuse", "17", 51, 142, 192);
	/* children take their longest listed prefix */
	CHECK_PAL("landuse", "070102", 255, 255, 45);
	/* unlisted siblings take the listed one before them */
	CHECK_PAL("landuse", "0702", 255, 255, 45);
	CHECK_PAL("landuse", "0704", 255, 211, 128);
	CHECK_PAL("landuse", "070402", 255, 211, 128);
	CHECK_PAL("landuse", "0901", 255, 0, 0);
	CHECK_PAL("landuse", "080403", 255, 133, 201);
	CHECK_PAL("landuse", "1301", 0, 99, 128);
	CHECK_PAL("landuse", "1703", 51, 142, 192);
	/* first-level classes without a colour take their first child's:
	 * 07 as 0701, 08 as 0801, 10 as 1001, 14 as 1401 */
	CHECK_PAL("landuse", "07", 255, 255, 45);
	CHECK_PAL("landuse", "08", 255, 0, 255);
	CHECK_PAL("landuse", "10", 187, 150, 116);
	CHECK_PAL("landuse", "14", 0, 255, 0);
	/* 留白 is white with an outline; GB 50137 codes in old data */
	bool ol = false;
	int r, g, b;
	pal_rgb("landuse", "16", &r, &g, &b, &ol);
	ck_assert(r == 255 && g == 255 && b == 255 && ol);
	CHECK_PAL("landuse", "R2", 255, 255, 0);
	CHECK_PAL("landuse", "A33", 255, 0, 255);
	ck_assert_int_eq(lg__palette_lookup(st->pal, st->npal, "ZZ9"), -1);
	/* the style puts unknown codes under `other` */
	ck_assert_int_eq(lg__style_classify(st, "ZZ9"), lg__style_sym_other(st));
}
END_TEST

START_TEST(sandiao_palette_and_suffixes)
{
	CHECK_PAL("sandiao", "0101", 248, 208, 114);
	CHECK_PAL("sandiao", "0201K", 214, 167, 201);
	CHECK_PAL("sandiao", "0810A", 129, 195, 93);
	CHECK_PAL("sandiao", "08H2", 241, 165, 180);
	CHECK_PAL("sandiao", "1104", 144, 170, 207);
	CHECK_PAL("sandiao", "203", 218, 137, 138);
}
END_TEST

START_TEST(stages_match_in_either_language)
{
	lg__style *st = lg__style_find(SET, "sites");
	ck_assert_ptr_nonnull(st);
	int listed = lg__style_classify(st, "listed");
	ck_assert_int_ge(listed, 0);
	ck_assert_int_eq(lg__style_classify(st, "列入名录"), listed);
	ck_assert_int_eq(lg__style_classify(st, "疑似污染地块"), lg__style_classify(st, "suspected"));
	ck_assert_int_ne(lg__style_classify(st, "suspected"), listed);
	lg__sym tmp;
	const lg__sym *s = lg__style_sym(st, listed, &tmp);
	ck_assert_int_eq(s->hatch, LG_HATCH_XCROSS);
	/* every theme names styles that exist (checked on load) */
	ck_assert_ptr_nonnull(lg__theme_find(SET, "sites"));
	ck_assert_ptr_nonnull(lg__theme_find(SET, "riverbuf"));
	ck_assert_ptr_nonnull(lg__theme_find(SET, "gwzone"));
	ck_assert_ptr_nonnull(lg__theme_find(SET, "overview"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("render");
	TCase *tc = tcase_create("map");
	tcase_add_checked_fixture(tc, lg_test_setup, lg_test_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, png_square_at_its_projected_pixels);
	tcase_add_test(tc, legend_lists_only_categories_drawn);
	tcase_add_test(tc, chinese_text_is_glyphs_not_boxes);
	tcase_add_test(tc, pdf_and_svg_read_back_and_are_deterministic);
	tcase_add_test(tc, map_file_with_relative_source);
	tcase_add_test(tc, errors_name_what_and_where);
	suite_add_tcase(s, tc);
	tc = tcase_create("house_style");
	tcase_add_checked_fixture(tc, house_setup, house_teardown);
	tcase_add_test(tc, ydyh_palette_rows_and_inheritance);
	tcase_add_test(tc, sandiao_palette_and_suffixes);
	tcase_add_test(tc, stages_match_in_either_language);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return lg_test_run(suite());
}
