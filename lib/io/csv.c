/* A small CSV reader for data tables; see csv_int.h for the dialect. */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_int.h"
#include "lg_internal.h"

struct lg__csv {
	lg_ctx *ctx;
	char *path;
	char *text; /* whole file, UTF-8, NUL-terminated */
	size_t len, pos;
	long line;     /* line the reader is on */
	long rec_line; /* line the current record starts on */
	char *rec;     /* unescaped fields of the current record, NUL-separated */
	size_t rec_len, rec_cap;
	size_t *offs; /* start of each field in rec */
	size_t nfields, cap_fields;
	char **fields; /* pointers into rec, trimmed */
	size_t cap_ptrs;
	char **header; /* own copies of the header names */
	size_t nheader;
};

/* Valid UTF-8 per RFC 3629 (no overlongs, no surrogates, <= U+10FFFF). */
static bool utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = s[i];
		size_t k;
		unsigned long cp;
		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xC2 && c <= 0xDF) {
			k = 1;
			cp = c & 0x1F;
		} else if (c >= 0xE0 && c <= 0xEF) {
			k = 2;
			cp = c & 0x0F;
		} else if (c >= 0xF0 && c <= 0xF4) {
			k = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + k >= n)
			return false;
		for (size_t j = 1; j <= k; j++) {
			if ((s[i + j] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + j] & 0x3F);
		}
		if ((k == 2 && cp < 0x800) || (k == 3 && cp < 0x10000) ||
		    (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
			return false;
		i += k + 1;
	}
	return true;
}

/* GB18030 → UTF-8 into a new NUL-terminated buffer. */
static lg_status from_gb18030(lg_ctx *ctx, const char *path, const char *in,
			      size_t n, char **out, size_t *out_len)
{
	iconv_t cd = iconv_open("UTF-8", "GB18030");
	size_t cap = n * 2 + 16; /* a GB18030 char never needs more than 2x */
	char *buf = NULL, *src = (char *)in, *dst;
	size_t left = n, room;
	lg_status st = LG_OK;

	if (cd == (iconv_t)-1)
		return lg_ctx_error(ctx, LG_INTERNAL,
				    "cannot convert '%s' from GB18030: iconv "
				    "has no such converter",
				    path);
	buf = lg__malloc(ctx, cap);
	if (!buf) {
		st = LG_NOMEM;
		goto done;
	}
	dst = buf;
	room = cap - 1;
	if (iconv(cd, &src, &left, &dst, &room) == (size_t)-1) {
		/* Count lines up to the bad byte so the user can find it. */
		long line = 1;
		for (const char *p = in; p < src; p++)
			line += *p == '\n';
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s' line %ld is neither UTF-8 nor GB18030 "
				  "text; save the table as UTF-8",
				  path, line);
		goto done;
	}
	*dst = '\0';
	*out_len = (size_t)(dst - buf);
	*out = buf;
	buf = NULL;
done:
	free(buf);
	iconv_close(cd);
	return st;
}

static lg_status read_file(lg_ctx *ctx, const char *path, char **out,
			   size_t *out_len)
{
	FILE *f = NULL;
	char *buf = NULL, *conv = NULL;
	size_t n = 0, cap = 0, got;
	lg_status st = LG_OK;

	f = fopen(path, "rb");
	if (!f)
		return lg_ctx_error(ctx, LG_NOFILE, "cannot open '%s': %s",
				    path, strerror(errno));
	for (;;) {
		if ((st = lg__grow(ctx, (void **)&buf, &cap, n + 4096 + 1, 1)))
			goto done;
		got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		st = lg_ctx_error(ctx, LG_NOFILE, "cannot read '%s': %s", path,
				  strerror(errno));
		goto done;
	}
	buf[n] = '\0';
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		memmove(buf, buf + 3, n - 3 + 1);
		n -= 3;
	}
	if (memchr(buf, '\0', n)) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s' holds NUL bytes: it is not a text "
				  "table (UTF-16? save it as UTF-8 CSV)",
				  path);
		goto done;
	}
	if (!utf8_valid((const unsigned char *)buf, n)) {
		size_t cn = 0;
		if ((st = from_gb18030(ctx, path, buf, n, &conv, &cn)))
			goto done;
		free(buf);
		buf = conv;
		n = cn;
	}
	*out = buf;
	*out_len = n;
	buf = NULL;
done:
	free(buf);
	if (f)
		fclose(f);
	return st;
}

static lg_status rec_putc(lg__csv *c, char ch)
{
	if (c->rec_len + 1 >= c->rec_cap &&
	    lg__grow(c->ctx, (void **)&c->rec, &c->rec_cap, c->rec_len + 2, 1))
		return LG_NOMEM;
	c->rec[c->rec_len++] = ch;
	return LG_OK;
}

static lg_status field_start(lg__csv *c)
{
	if (lg__grow(c->ctx, (void **)&c->offs, &c->cap_fields, c->nfields + 1,
		     sizeof *c->offs))
		return LG_NOMEM;
	c->offs[c->nfields++] = c->rec_len;
	return LG_OK;
}

static char *trim_blanks(char *s)
{
	char *e;
	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Parses one physical record (which may span lines inside quotes). */
static lg_status parse_record(lg__csv *c)
{
	const char *t = c->text;
	bool quoted = false, was_quoted = false;

	c->rec_len = 0;
	c->nfields = 0;
	c->rec_line = c->line;
	if (field_start(c))
		return LG_NOMEM;
	while (c->pos < c->len) {
		char ch = t[c->pos];
		if (quoted) {
			if (ch == '"') {
				if (t[c->pos + 1] == '"') {
					if (rec_putc(c, '"'))
						return LG_NOMEM;
					c->pos += 2;
					continue;
				}
				quoted = false;
				c->pos++;
				continue;
			}
			if (ch == '\n')
				c->line++;
			if (ch == '\r' && t[c->pos + 1] == '\n') {
				c->pos++; /* keep CRLF inside quotes as LF */
				continue;
			}
			if (rec_putc(c, ch))
				return LG_NOMEM;
			c->pos++;
			continue;
		}
		if (ch == '"' && !was_quoted) {
			/* A quote opens a quoted section only at the field's
			 * start (after blanks); elsewhere it is data, as
			 * spreadsheets treat it. */
			size_t k = c->offs[c->nfields - 1];
			bool blank = true;
			for (; k < c->rec_len; k++)
				if (c->rec[k] != ' ' && c->rec[k] != '\t')
					blank = false;
			if (blank) {
				c->rec_len = c->offs[c->nfields - 1];
				quoted = was_quoted = true;
				c->pos++;
				continue;
			}
		}
		if (ch == ',') {
			if (rec_putc(c, '\0') || field_start(c))
				return LG_NOMEM;
			was_quoted = false;
			c->pos++;
			continue;
		}
		if (ch == '\r' && t[c->pos + 1] == '\n') {
			c->pos++;
			continue;
		}
		if (ch == '\n') {
			c->pos++;
			c->line++;
			break;
		}
		if (rec_putc(c, ch))
			return LG_NOMEM;
		c->pos++;
	}
	if (quoted)
		return lg_ctx_error(c->ctx, LG_INPUT,
				    "'%s' line %ld: quoted field never closed; "
				    "add the closing '\"'",
				    c->path, c->rec_line);
	if (rec_putc(c, '\0'))
		return LG_NOMEM;
	if (lg__grow(c->ctx, (void **)&c->fields, &c->cap_ptrs, c->nfields,
		     sizeof *c->fields))
		return LG_NOMEM;
	for (size_t i = 0; i < c->nfields; i++)
		c->fields[i] = trim_blanks(c->rec + c->offs[i]);
	return LG_OK;
}

static bool record_skippable(const lg__csv *c)
{
	if (c->nfields == 1 && c->fields[0][0] == '\0')
		return true;
	return c->fields[0][0] == '#';
}

/* Next record that is not blank or a comment; *eof at the end. */
static lg_status next_record(lg__csv *c, bool *eof)
{
	lg_status st;
	*eof = false;
	while (c->pos < c->len) {
		if ((st = parse_record(c)))
			return st;
		if (!record_skippable(c))
			return LG_OK;
	}
	c->nfields = 0;
	*eof = true;
	return LG_OK;
}

lg_status lg__csv_open(lg_ctx *ctx, const char *path, lg__csv **out)
{
	lg__csv *c = NULL;
	lg_status st;
	bool eof;

	*out = NULL;
	c = lg__calloc(ctx, 1, sizeof *c);
	if (!c)
		return LG_NOMEM;
	c->ctx = ctx;
	c->line = 1;
	if (!(c->path = lg__strdup(ctx, path))) {
		st = LG_NOMEM;
		goto done;
	}
	if ((st = read_file(ctx, path, &c->text, &c->len)))
		goto done;
	if ((st = next_record(c, &eof)))
		goto done;
	if (eof) {
		st = lg_ctx_error(ctx, LG_INPUT,
				  "'%s' is empty: a header line is needed",
				  path);
		goto done;
	}
	c->header = lg__calloc(ctx, c->nfields, sizeof *c->header);
	if (!c->header) {
		st = LG_NOMEM;
		goto done;
	}
	c->nheader = c->nfields;
	for (size_t i = 0; i < c->nfields; i++) {
		if (!(c->header[i] = lg__strdup(ctx, c->fields[i]))) {
			st = LG_NOMEM;
			goto done;
		}
	}
	*out = c;
	c = NULL;
done:
	lg__csv_close(c);
	return st;
}

void lg__csv_close(lg__csv *c)
{
	if (!c)
		return;
	if (c->header)
		for (size_t i = 0; i < c->nheader; i++)
			free(c->header[i]);
	free(c->header);
	free(c->fields);
	free(c->offs);
	free(c->rec);
	free(c->text);
	free(c->path);
	free(c);
}

lg_status lg__csv_next(lg__csv *c, bool *eof)
{
	return next_record(c, eof);
}

size_t lg__csv_nfields(const lg__csv *c)
{
	return c->nfields;
}

const char *lg__csv_field(const lg__csv *c, size_t i)
{
	return i < c->nfields ? c->fields[i] : "";
}

int lg__csv_column(const lg__csv *c, const char *name)
{
	for (size_t i = 0; i < c->nheader; i++)
		if (strcmp(c->header[i], name) == 0)
			return (int)i;
	return -1;
}

const char *lg__csv_column_name(const lg__csv *c, size_t i)
{
	return i < c->nheader ? c->header[i] : "";
}

long lg__csv_line(const lg__csv *c)
{
	return c->rec_line;
}

const char *lg__csv_path(const lg__csv *c)
{
	return c->path;
}

lg_status lg__csv_error(lg__csv *c, size_t col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return lg_ctx_error(c->ctx, LG_INPUT, "'%s' line %ld column %zu (%s): %s",
			    c->path, c->rec_line, col + 1,
			    lg__csv_column_name(c, col), msg);
}
