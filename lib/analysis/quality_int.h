/*
 * Private to the quality module (quality.c, soil.c, gwquality.c,
 * farmsoil.c): strict number parsing, name matching for column headers,
 * and the CSV plumbing the limit tables share.
 */
#ifndef LG_QUALITY_INT_H
#define LG_QUALITY_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "io/csv_int.h"
#include "landguard/quality.h"

/*
 * Parses exactly `n` bytes at `s` as an unsigned decimal number
 * (`12`, `12.5`, `.5`, `5.`, `1.2E-3`).  No sign, no blanks, no `inf` or
 * `nan`, no hex: strtod alone accepts all of those.  The conversion does
 * not depend on LC_NUMERIC.  False when the text is not such a number.
 */
bool lg__qual_number(const char *s, size_t n, double *out);

/*
 * Names of the items of one table, normalised for matching (see
 * lg_soil_item_find in quality.h for the rules).  `owner` is the item's
 * index in its table.
 */
typedef struct lg__names {
	char **keys;
	size_t *owner;
	size_t n, cap;
} lg__names;

void lg__names_release(lg__names *names);

/*
 * Adds `name` for item `owner`.  A name already held by the same item is
 * ignored.  When another item holds it, *clash is that item and nothing is
 * added; otherwise *clash is (size_t)-1.  Empty names are ignored.
 * LG_NOMEM on allocation failure.
 */
lg_status lg__names_add(lg_ctx *ctx, lg__names *names, const char *name,
			size_t owner, size_t *clash);

/* Looks `name` up: whole name first, then with trailing units in brackets
 * removed one at a time.  False when nothing matches. */
bool lg__names_find(const lg__names *names, const char *name, size_t *owner);

/*
 * Finds the columns `want[0..n-1]` in the header of `csv`, storing their
 * indices in idx[].  LG_INPUT naming the file, the first missing column and
 * the whole list when one is absent; `what` names the table in the message
 * ("GB 36600 limits").
 */
lg_status lg__qual_columns(lg_ctx *ctx, lg__csv *csv, const char *what,
			   const char *const *want, int *idx, size_t n);

/*
 * Adds the item's name, its `|`-separated aliases and (when not empty) its
 * CAS text to `names`, failing with a CSV error that names the clashing
 * item (looked up with `item_name(ud, index)`).
 */
lg_status lg__qual_add_names(lg_ctx *ctx, lg__csv *csv, lg__names *names,
			     size_t owner, const char *name, int name_col,
			     const char *aliases, int alias_col,
			     const char *cas, int cas_col,
			     const char *(*item_name)(const void *ud, size_t i),
			     const void *ud);

/* Opens `path`, or <datadir>/standards/<file> when path is NULL. */
lg_status lg__qual_open(lg_ctx *ctx, const char *path, const char *file,
			lg__csv **out);

/* Parses field `col` of the current record as a number; a CSV error naming
 * the value and `what` otherwise. */
lg_status lg__qual_field_number(lg__csv *csv, int col, const char *what,
				double *out);

#endif
