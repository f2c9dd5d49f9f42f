/*
 * Private to liblandguard: a small CSV reader for the data tables under
 * datasets/ and for users' own tables in the same shape.
 *
 * RFC 4180 with the liberties spreadsheets take: fields separated by ',',
 * records by LF or CRLF; a field may be quoted with '"', inside which ','
 * and line breaks are data and '""' is one quote.  A UTF-8 byte order mark
 * is skipped.  Text that is not valid UTF-8 is taken as GB18030 (what Excel
 * writes on Chinese Windows; GB18030 is a superset of GBK and GB2312, and
 * some GB 36600 names such as 䓛 exist only there) and converted to UTF-8.
 * Lines that are empty, or whose first field starts with '#', are skipped,
 * so tables can carry comments.
 *
 * The whole file is read into memory: the tables are small (a few hundred
 * rows).  Fields are borrowed and valid until the next lg__csv_next() or
 * lg__csv_close().  Errors go to the context with the file name and line.
 */
#ifndef LG_CSV_INT_H
#define LG_CSV_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "landguard/core.h"

typedef struct lg__csv lg__csv;

/*
 * Opens `path` and reads its first record as the header.
 * LG_NOFILE when it cannot be read, LG_INPUT when it is empty or its
 * encoding cannot be converted, LG_NOMEM.  *out is NULL on failure; the
 * caller frees it with lg__csv_close().
 */
lg_status lg__csv_open(lg_ctx *ctx, const char *path, lg__csv **out);

/* Frees the reader; NULL is a no-op. */
void lg__csv_close(lg__csv *csv);

/*
 * Moves to the next data record.  Sets *eof (and returns LG_OK) at the end.
 * LG_INPUT on an unterminated quote, naming the line it started on.
 */
lg_status lg__csv_next(lg__csv *csv, bool *eof);

/* Number of fields in the current record (the header before the first
 * lg__csv_next()). */
size_t lg__csv_nfields(const lg__csv *csv);

/* i-th field of the current record, trimmed of ASCII blanks; "" when the
 * record is shorter.  Borrowed, see above. */
const char *lg__csv_field(const lg__csv *csv, size_t i);

/* Index of the header column named `name` (exact match after trimming),
 * or -1. */
int lg__csv_column(const lg__csv *csv, const char *name);

/* Name of header column i, "" when out of range.  Borrowed until close. */
const char *lg__csv_column_name(const lg__csv *csv, size_t i);

/* 1-based line on which the current record starts. */
long lg__csv_line(const lg__csv *csv);

/* The path given to lg__csv_open(); borrowed until close. */
const char *lg__csv_path(const lg__csv *csv);

/*
 * Sets an LG_INPUT error about field `col` of the current record, prefixed
 * with "'<path>' line <n> column <col+1> (<header name>): ".  Returns
 * LG_INPUT so callers can `return lg__csv_error(...)`.
 */
lg_status lg__csv_error(lg__csv *csv, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
