/* Private to lib/landuse: the CSV reader for the datasets/ tables and a
 * spelling fold shared by the vocabularies. */
#ifndef LG_LANDUSE_INT_H
#define LG_LANDUSE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "lg_internal.h"

/* RFC 4180 records: quoted fields ("" inside quotes is one quote, quoted
 * fields may span lines), LF or CRLF endings, a UTF-8 BOM at the start is
 * skipped, blank lines are skipped.  The whole file is read at open and
 * fields are unescaped in place, so field pointers stay valid until
 * lg__csv_close(). */
typedef struct lg_csv {
	lg_ctx *ctx;
	char *path; /* for messages */
	char *data;
	size_t len, pos;
	long line;      /* line of the next character */
	long rec_line;  /* line where the current record starts */
	char **fields;
	size_t nfields, capfields;
} lg_csv;

/* LG_NOFILE when the file cannot be read. */
lg_status lg__csv_open(lg_ctx *ctx, const char *path, lg_csv *csv);
/* Reads the next record into csv->fields / nfields; *eof = true (and
 * nfields = 0) after the last one.  LG_INPUT on a malformed record. */
lg_status lg__csv_next(lg_csv *csv, bool *eof);
void lg__csv_close(lg_csv *csv);

/* Copies `s` into buf trimmed, ASCII lower-cased, with '-' and ' ' turned
 * into '_', so "Public-Admin" and "public_admin" are one spelling; false
 * if it does not fit in n bytes. */
bool lg__vocab_fold(const char *s, char *buf, size_t n);

#endif
