/* Allocation through the context and small string helpers. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lg_internal.h"

static int should_fail(lg_ctx *ctx)
{
	if (!ctx)
		return 0;
	ctx->alloc_count++;
	return ctx->fail_alloc_at > 0 && ctx->alloc_count == ctx->fail_alloc_at;
}

static void *oom(lg_ctx *ctx, size_t n)
{
	if (ctx)
		lg_ctx_error(ctx, LG_NOMEM, "out of memory allocating %zu bytes",
			     n);
	return NULL;
}

void *lg__malloc(lg_ctx *ctx, size_t n)
{
	void *p = should_fail(ctx) ? NULL : malloc(n ? n : 1);
	return p ? p : oom(ctx, n);
}

void *lg__calloc(lg_ctx *ctx, size_t n, size_t size)
{
	void *p = should_fail(ctx) ? NULL : calloc(n ? n : 1, size ? size : 1);
	return p ? p : oom(ctx, n * size);
}

void *lg__realloc(lg_ctx *ctx, void *old, size_t n)
{
	void *p = should_fail(ctx) ? NULL : realloc(old, n ? n : 1);
	return p ? p : oom(ctx, n);
}

char *lg__strdup(lg_ctx *ctx, const char *s)
{
	size_t n;
	char *p;
	if (!s)
		return NULL;
	n = strlen(s) + 1;
	p = lg__malloc(ctx, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

lg_status lg__grow(lg_ctx *ctx, void **arr, size_t *cap, size_t need,
		   size_t el)
{
	size_t ncap;
	void *p;
	if (need <= *cap)
		return LG_OK;
	ncap = *cap ? *cap : 16;
	while (ncap < need)
		ncap *= 2;
	p = lg__realloc(ctx, *arr, ncap * el);
	if (!p)
		return LG_NOMEM;
	*arr = p;
	*cap = ncap;
	return LG_OK;
}

void lg_buf_init(lg_buf *b)
{
	b->s = NULL;
	b->len = b->cap = 0;
}

void lg_buf_release(lg_buf *b)
{
	free(b->s);
	lg_buf_init(b);
}

int lg_buf_add(lg_buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		char *p;
		while (cap < b->len + n + 1)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int lg_buf_puts(lg_buf *b, const char *s)
{
	return lg_buf_add(b, s, strlen(s));
}

int lg_buf_printf(lg_buf *b, const char *fmt, ...)
{
	char tmp[512];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if ((size_t)n < sizeof tmp)
		return lg_buf_add(b, tmp, (size_t)n);
	{
		char *big = malloc((size_t)n + 1);
		int rc;
		if (!big)
			return -1;
		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		rc = lg_buf_add(b, big, (size_t)n);
		free(big);
		return rc;
	}
}

int lg_buf_json_str(lg_buf *b, const char *s)
{
	if (lg_buf_add(b, "\"", 1))
		return -1;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p;
	     p++) {
		char esc[8];
		switch (*p) {
		case '"': lg_buf_add(b, "\\\"", 2); break;
		case '\\': lg_buf_add(b, "\\\\", 2); break;
		case '\n': lg_buf_add(b, "\\n", 2); break;
		case '\r': lg_buf_add(b, "\\r", 2); break;
		case '\t': lg_buf_add(b, "\\t", 2); break;
		default:
			if (*p < 0x20) {
				snprintf(esc, sizeof esc, "\\u%04x", *p);
				lg_buf_add(b, esc, 6);
			} else {
				lg_buf_add(b, (const char *)p, 1);
			}
		}
	}
	return lg_buf_add(b, "\"", 1);
}

int lg__strieq(const char *a, const char *b)
{
	if (!a || !b)
		return 0;
	while (*a && *b) {
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return 0;
		a++;
		b++;
	}
	return *a == *b;
}

char *lg__trim(char *s)
{
	char *e;
	while (*s && isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = '\0';
	return s;
}
