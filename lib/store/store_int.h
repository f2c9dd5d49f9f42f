/* Private to liblandguard: what lib/store offers the readers in lib/io. */
#ifndef LG_STORE_INT_H
#define LG_STORE_INT_H

#include "lg_internal.h"

/* When `path` is a landguard workspace and `lname` names one of its layers
 * ("sites", the latest version, or "sites@v2") rather than a table, *table
 * gets the version's table name (free()); otherwise *table stays NULL and
 * the caller opens `lname` as it is.  LG_INPUT naming what the workspace
 * holds when the layer or version is not there. */
lg_status lg__ws_resolve(lg_ctx *ctx, const char *path, const char *lname,
			 char **table);

#endif
