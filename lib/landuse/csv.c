/* The land-use tables read through the shared CSV reader (lib/io/csv.c),
 * presented as the record-of-fields view landuse.c parses: the header is
 * the first record. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_int.h"
#include "landuse_int.h"

lg_status lg__lucsv_open(lg_ctx *ctx, const char *path, lg_csv *csv)
{
	lg_status st;
	memset(csv, 0, sizeof *csv);
	csv->ctx = ctx;
	st = lg__csv_open(ctx, path, &csv->rd);
	if (st)
		return st;
	csv->path = lg__csv_path(csv->rd);
	csv->at_header = true;
	return LG_OK;
}

lg_status lg__lucsv_next(lg_csv *csv, bool *eof)
{
	size_t n;
	lg_status st;
	*eof = false;
	if (csv->at_header) {
		csv->at_header = false;
		csv->rec_line = 1;
		n = lg__csv_nfields(csv->rd);
		csv->header = true;
	} else {
		csv->header = false;
		st = lg__csv_next(csv->rd, eof);
		if (st)
			return st;
		if (*eof) {
			csv->nfields = 0;
			return LG_OK;
		}
		csv->rec_line = lg__csv_line(csv->rd);
		n = lg__csv_nfields(csv->rd);
	}
	if (n > csv->capfields) {
		char **f = realloc(csv->fields, n * sizeof *f);
		if (!f)
			return lg_ctx_error(csv->ctx, LG_NOMEM, "out of memory");
		csv->fields = f;
		csv->capfields = n;
	}
	for (size_t i = 0; i < n; i++)
		csv->fields[i] = (char *)(csv->header ? lg__csv_column_name(csv->rd, i)
						      : lg__csv_field(csv->rd, i));
	csv->nfields = n;
	return LG_OK;
}

void lg__lucsv_close(lg_csv *csv)
{
	lg__csv_close(csv->rd);
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
