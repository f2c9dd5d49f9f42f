/* Private: building row batches, shared by lib/io/rows.c and the GPKG
 * reader in lib/store. */
#ifndef LG_ROWS_INT_H
#define LG_ROWS_INT_H

#include "lg_internal.h"
#include "landguard/rows.h"

void lg__batch_reset(lg_row_batch *b);
/* A new row (zeroed); NULL when out of memory. */
lg_row *lg__batch_row(lg_row_batch *b);
/* Copies n bytes (plus a NUL) into the arena and remembers the place in
 * *slot as an offset; lg__batch_finish turns offsets into pointers. */
int lg__batch_put(lg_row_batch *b, const void *data, size_t n,
		  const void **slot);
void lg__batch_finish(lg_row_batch *b);

/* The GeoPackage reader (lib/store/gpkg_rows.c). */
typedef struct lg__gpkg lg__gpkg;
/* cols: fid, geometry, id, code, name, extra (NULL = none). */
lg_status lg__gpkg_open(lg_ctx *ctx, const char *path, const char *table,
			const char *const cols[6], lg__gpkg **out);
lg_status lg__gpkg_set_filter(lg_ctx *ctx, lg__gpkg *g, const double *rects,
			      size_t n, double extent_area, bool *used_index);
lg_status lg__gpkg_next(lg_ctx *ctx, lg__gpkg *g, lg_row_batch *b, size_t max);
void lg__gpkg_close(lg__gpkg *g);

/* Field roles of a freshly built layer (lib/io/read.c). */
lg_status lg__detect_roles(lg_ctx *ctx, lg_layer *l, const lg_read_opts *o);

#endif
