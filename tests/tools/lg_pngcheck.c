/* lg_pngcheck: what the CLI tests ask of a screenshot or a PDF page,
 * read with lg_image_read_png().
 *
 *   lg_pngcheck nonwhite PNG [X Y W H]     share of non-white pixels (0..1)
 *   lg_pngcheck count PNG RRGGBB TOL [X Y W H]
 *                                          pixels within TOL of a colour
 *   lg_pngcheck rows PNG RRGGBB TOL MIN    first and last row with at least
 *                                          MIN pixels of the colour ("-1 -1")
 *   lg_pngcheck glyphs PNG NCHARS [Y0]     the first line of dark text at or
 *                                          below Y0: "FILL TRANS TOP BOTTOM",
 *                                          FILL = the most inked row's share of
 *                                          the line's width (missing-glyph boxes
 *                                          ink their top side across nearly all
 *                                          of it: > 0.7; set CJK text < 0.6),
 *                                          TRANS = ink transitions per ink row
 *                                          per character.
 * Prints one line; exit 0, or 2 on bad use / unreadable PNG. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landguard/landguard.h"

static int near(const unsigned char *p, int r, int g, int b, int tol)
{
	return abs(p[0] - r) <= tol && abs(p[1] - g) <= tol && abs(p[2] - b) <= tol;
}

static void box(const lg_image *im, int argc, char **argv, int at, int *x, int *y, int *w,
		int *h)
{
	*x = 0, *y = 0, *w = im->width, *h = im->height;
	if (argc >= at + 4) {
		*x = atoi(argv[at]), *y = atoi(argv[at + 1]);
		*w = atoi(argv[at + 2]), *h = atoi(argv[at + 3]);
	}
	if (*x < 0)
		*x = 0;
	if (*y < 0)
		*y = 0;
	if (*x + *w > im->width)
		*w = im->width - *x;
	if (*y + *h > im->height)
		*h = im->height - *y;
}

int main(int argc, char **argv)
{
	lg_ctx *ctx;
	lg_image *im = NULL;
	int rc = 0;
	if (argc < 3) {
		fprintf(stderr, "usage: lg_pngcheck nonwhite|count|rows|glyphs PNG ...\n");
		return 2;
	}
	if (!(ctx = lg_ctx_create()))
		return 2;
	if (lg_image_read_png(ctx, argv[2], &im)) {
		fprintf(stderr, "lg_pngcheck: %s\n", lg_ctx_errmsg(ctx));
		lg_ctx_destroy(ctx);
		return 2;
	}
	const char *cmd = argv[1];
	int x, y, w, h;
	if (!strcmp(cmd, "nonwhite")) {
		box(im, argc, argv, 3, &x, &y, &w, &h);
		long n = 0, all = (long)w * h;
		for (int j = y; j < y + h; j++)
			for (int i = x; i < x + w; i++) {
				const unsigned char *p = im->rgb + ((size_t)j * im->width + i) * 3;
				n += p[0] < 245 || p[1] < 245 || p[2] < 245;
			}
		printf("%.4f\n", all > 0 ? (double)n / all : 0);
	} else if ((!strcmp(cmd, "count") && argc >= 5) || (!strcmp(cmd, "rows") && argc >= 6)) {
		unsigned c = (unsigned)strtoul(argv[3], NULL, 16);
		int r = (int)(c >> 16) & 255, g = (int)(c >> 8) & 255, b = (int)c & 255;
		int tol = atoi(argv[4]);
		if (!strcmp(cmd, "count")) {
			box(im, argc, argv, 5, &x, &y, &w, &h);
			long n = 0;
			for (int j = y; j < y + h; j++)
				for (int i = x; i < x + w; i++)
					n += near(im->rgb + ((size_t)j * im->width + i) * 3, r, g, b, tol);
			printf("%ld\n", n);
		} else {
			int min = atoi(argv[5]), first = -1, last = -1;
			for (int j = 0; j < im->height; j++) {
				int n = 0;
				for (int i = 0; i < im->width; i++)
					n += near(im->rgb + ((size_t)j * im->width + i) * 3, r, g, b, tol);
				if (n >= min) {
					if (first < 0)
						first = j;
					last = j;
				}
			}
			printf("%d %d\n", first, last);
		}
	} else if (!strcmp(cmd, "glyphs") && argc >= 4) {
		int nchars = atoi(argv[3]), y0 = argc >= 5 ? atoi(argv[4]) : 0;
		int top = -1, bottom = -1;
		/* the first band of rows holding dark ink, below y0 */
		for (int j = y0; j < im->height; j++) {
			int dark = 0;
			for (int i = 0; i < im->width; i++) {
				const unsigned char *p = im->rgb + ((size_t)j * im->width + i) * 3;
				dark += p[0] < 110 && p[1] < 110 && p[2] < 110;
			}
			if (dark && top < 0)
				top = j;
			if (!dark && top >= 0) {
				bottom = j;
				break;
			}
		}
		long trans = 0, rows = 0;
		int left = im->width, right = -1, maxrow = 0;
		for (int j = top; top >= 0 && j < bottom; j++) {
			int n = 0;
			for (int i = 0; i < im->width; i++) {
				const unsigned char *p = im->rgb + ((size_t)j * im->width + i) * 3;
				if (p[0] < 110 && p[1] < 110 && p[2] < 110) {
					n++;
					left = i < left ? i : left;
					right = i > right ? i : right;
				}
			}
			maxrow = n > maxrow ? n : maxrow;
		}
		for (int j = top; top >= 0 && j < bottom; j++) {
			int prev = 0, t = 0;
			for (int i = 0; i < im->width; i++) {
				const unsigned char *p = im->rgb + ((size_t)j * im->width + i) * 3;
				int ink = p[0] < 110 && p[1] < 110 && p[2] < 110;
				t += ink != prev;
				prev = ink;
			}
			if (t) {
				trans += t;
				rows++;
			}
		}
		/* a row of missing-glyph boxes has rows (their top and bottom
		 * sides) inked across nearly the whole line; set text has not */
		printf("%.3f %.3f %d %d\n", right > left ? (double)maxrow / (right - left + 1) : 1,
		       rows && nchars ? (double)trans / rows / nchars : 0, top, bottom);
	} else {
		fprintf(stderr, "lg_pngcheck: unknown check or missing arguments\n");
		rc = 2;
	}
	lg_image_destroy(im);
	lg_ctx_destroy(ctx);
	return rc;
}
