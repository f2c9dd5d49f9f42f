/* Field roles: names and detection from common field names. */
#include <string.h>

#include "lg_internal.h"
#include "landguard/layer.h"

static const char *const role_names[] = {
#define X(n, s, f) s,
	LG_ROLE_MAP(X)
#undef X
};

const char *lg_role_name(lg_role r)
{
	return (unsigned)r < LG_ROLE__COUNT ? role_names[r] : "?";
}

static const char *const role_candidates[] = {
#define X(n, s, f) f,
	LG_ROLE_MAP(X)
#undef X
};

/* Comma-separated list of common names for a role, most specific first. */
const char *lg__role_candidates(lg_role r)
{
	return (unsigned)r < LG_ROLE__COUNT ? role_candidates[r] : "";
}
