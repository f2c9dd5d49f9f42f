/* Private to lib/landuse: the CSV reader for the datasets/ tables and a
 * spelling fold shared by the vocabularies. */
#ifndef LG_LANDUSE_INT_H
#define LG_LANDUSE_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "lg_internal.h"

/* The tables are read with the shared reader (lib/io/csv_int.h); this is
 * the record view landuse.c parses, the header being the first record.
 * Field pointers are valid until the next call. */
struct lg__csv;
typedef struct lg_csv {
	lg_ctx *ctx;
	struct lg__csv *rd;
	const char *path; /* for messages */
	long rec_line;    /* line where the current record starts */
	char **fields;
	size_t nfields, capfields;
	bool at_header, header;
} lg_csv;

lg_status lg__lucsv_open(lg_ctx *ctx, const char *path, lg_csv *csv);
/* Next record (the header first); *eof = true after the last one. */
lg_status lg__lucsv_next(lg_csv *csv, bool *eof);
void lg__lucsv_close(lg_csv *csv);

/* Copies `s` into buf trimmed, ASCII lower-cased, with '-' and ' ' turned
 * into '_', so "Public-Admin" and "public_admin" are one spelling; false
 * if it does not fit in n bytes. */
bool lg__vocab_fold(const char *s, char *buf, size_t n);

#endif
