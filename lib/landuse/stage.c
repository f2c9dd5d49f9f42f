/* Parcel stages: names and spellings (datasets/vocab/stage.csv). */
#include <ctype.h>
#include <string.h>

#include "landguard/landuse.h"
#include "landuse/landuse_int.h"

/* lg_stage_parse() has no context to find datasets/ with, so the spellings
 * of datasets/vocab/stage.csv are compiled in by lib/CMakeLists.txt. */
static const struct {
	const char *stage, *spelling;
} spellings[] = {
#include "lg_stage_table.h"
};

static const char *const stage_en[] = {
#define X(n, en, zh) en,
	LG_STAGE_MAP(X)
#undef X
};
static const char *const stage_zh[] = {
#define X(n, en, zh) zh,
	LG_STAGE_MAP(X)
#undef X
};

const char *lg_stage_name(lg_stage s)
{
	return (unsigned)s < LG_STAGE__COUNT ? stage_en[s] : "unknown";
}

const char *lg_stage_zh(lg_stage s)
{
	return (unsigned)s < LG_STAGE__COUNT ? stage_zh[s] : "未知";
}

bool lg_stage_parse(const char *s, lg_stage *out)
{
	char buf[128];
	if (!s || !lg__vocab_fold(s, buf, sizeof buf))
		return false;
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
		if (strcmp(buf, spellings[i].spelling) != 0)
			continue;
		for (int k = 0; k < LG_STAGE__COUNT; k++)
			if (strcmp(spellings[i].stage, stage_en[k]) == 0) {
				if (out)
					*out = (lg_stage)k;
				return true;
			}
	}
	/* The canonical spellings work even if the table lost a row. */
	for (int k = 0; k < LG_STAGE__COUNT; k++)
		if (strcmp(buf, stage_en[k]) == 0 ||
		    strcmp(buf, stage_zh[k]) == 0) {
			if (out)
				*out = (lg_stage)k;
			return true;
		}
	return false;
}
