#include "landguard/core.h"

static const char *const names[] = {
#define X(n, e, s) #n,
	LG_STATUS_MAP(X)
#undef X
};
static const char *const texts[] = {
#define X(n, e, s) s,
	LG_STATUS_MAP(X)
#undef X
};
static const int exits[] = {
#define X(n, e, s) e,
	LG_STATUS_MAP(X)
#undef X
};

const char *lg_status_name(lg_status st)
{
	return (unsigned)st < LG_STATUS__COUNT ? names[st] : "UNKNOWN";
}

const char *lg_status_str(lg_status st)
{
	return (unsigned)st < LG_STATUS__COUNT ? texts[st] : "unknown status";
}

int lg_status_exit(lg_status st)
{
	return (unsigned)st < LG_STATUS__COUNT ? exits[st] : 5;
}
