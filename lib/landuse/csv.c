/* A small CSV reader for the tables under datasets/ (see csv.h). */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "landuse/landuse_int.h"

static lg_status read_all(lg_ctx *ctx, const char *path, char **out,
			  size_t *outlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t len = 0, cap = 0;
	lg_status st = LG_OK;

	if (!f)
		return lg_ctx_error(ctx, LG_NOFILE, "cannot read '%s': %s", path,
				    strerror(errno));
	for (;;) {
		size_t n;
		if ((st = lg__grow(ctx, (void **)&buf, &cap, len + 4097, 1)))
			goto done;
		n = fread(buf + len, 1, cap - len - 1, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		st = lg_ctx_error(ctx, LG_NOFILE, "cannot read '%s': %s", path,
				  strerror(errno));
		goto done;
	}
	buf[len] = '\0';
	*out = buf;
	*outlen = len;
	buf = NULL;
done:
	free(buf);
	fclose(f);
	return st;
}

lg_status lg__csv_open(lg_ctx *ctx, const char *path, lg_csv *csv)
{
	lg_status st;
	memset(csv, 0, sizeof *csv);
	csv->ctx = ctx;
	csv->line = 1;
	if (!(csv->path = lg__strdup(ctx, path)))
		return LG_NOMEM;
	if ((st = read_all(ctx, path, &csv->data, &csv->len))) {
		lg__csv_close(csv);
		return st;
	}
	/* Excel and Notepad write a BOM; it is not part of the first name. */
	if (csv->len >= 3 && memcmp(csv->data, "\xEF\xBB\xBF", 3) == 0)
		csv->pos = 3;
	return LG_OK;
}

static lg_status add_field(lg_csv *csv, char *start)
{
	if (lg__grow(csv->ctx, (void **)&csv->fields, &csv->capfields,
		     csv->nfields + 1, sizeof *csv->fields))
		return LG_NOMEM;
	csv->fields[csv->nfields++] = start;
	return LG_OK;
}

lg_status lg__csv_next(lg_csv *csv, bool *eof)
{
	char *d = csv->data;
	size_t i = csv->pos;

	csv->nfields = 0;
	/* Blank lines carry no record. */
	while (i < csv->len && (d[i] == '\n' || d[i] == '\r')) {
		if (d[i] == '\n')
			csv->line++;
		i++;
	}
	*eof = i >= csv->len;
	if (*eof) {
		csv->pos = i;
		return LG_OK;
	}
	csv->rec_line = csv->line;
	for (;;) {
		/* One field per pass: w writes the unescaped text over the
		 * raw text, which is never shorter. */
		char *w = d + i;
		if (add_field(csv, w))
			return LG_NOMEM;
		if (i < csv->len && d[i] == '"') {
			i++;
			for (;;) {
				if (i >= csv->len)
					return lg_ctx_error(
						csv->ctx, LG_INPUT,
						"bad row in '%s' line %ld: column %zu: quote not closed; close it with \"",
						csv->path, csv->rec_line,
						csv->nfields);
				if (d[i] == '"' && i + 1 < csv->len &&
				    d[i + 1] == '"') {
					*w++ = '"';
					i += 2;
				} else if (d[i] == '"') {
					i++;
					break;
				} else {
					if (d[i] == '\n')
						csv->line++;
					*w++ = d[i++];
				}
			}
			if (i < csv->len && d[i] == '\r' && i + 1 < csv->len &&
			    d[i + 1] == '\n')
				i++;
			if (i < csv->len && d[i] != ',' && d[i] != '\n')
				return lg_ctx_error(
					csv->ctx, LG_INPUT,
					"bad row in '%s' line %ld: column %zu: text after a closing quote; quote the whole field",
					csv->path, csv->line, csv->nfields);
		} else {
			while (i < csv->len && d[i] != ',' && d[i] != '\n')
				*w++ = d[i++];
			/* CRLF: the CR belongs to the line ending. */
			if (w > csv->fields[csv->nfields - 1] && w[-1] == '\r' &&
			    (i >= csv->len || d[i] == '\n'))
				w--;
		}
		if (i >= csv->len || d[i] == '\n') {
			if (i < csv->len)
				csv->line++;
			*w = '\0';
			csv->pos = i < csv->len ? i + 1 : i;
			return LG_OK;
		}
		*w = '\0';
		i++; /* the comma */
	}
}

void lg__csv_close(lg_csv *csv)
{
	free(csv->path);
	free(csv->data);
	free(csv->fields);
	memset(csv, 0, sizeof *csv);
}

bool lg__vocab_fold(const char *s, char *buf, size_t n)
{
	size_t len;
	while (*s && isspace((unsigned char)*s))
		s++;
	len = strlen(s);
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	if (len >= n)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		buf[i] = c == '-' || c == ' ' ? '_' : (char)tolower(c);
	}
	buf[len] = '\0';
	return true;
}
