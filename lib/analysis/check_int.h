/* Private to lib/analysis: the check tables, the parcel context built once
 * per run and the findings the rule functions add to. */
#ifndef LG_CHECK_INT_H
#define LG_CHECK_INT_H

#include "lg_internal.h"
#include "landguard/check.h"

/* One row of rules.csv. */
typedef struct rule_row {
	char *rule_id, *kase, *title, *message, *evidence, *basis, *next_step;
	lg_severity severity;
} rule_row;

typedef struct use_row {
	char *kind, *system, *prefix;
	int use_class; /* -1 = any */
} use_row;

struct lg_check_tables {
	rule_row *rows;
	size_t nrows;
	char **phrase_key, **phrase_text;
	size_t nphrases;
	use_row *uses;
	size_t nuses;
	char **ind_name, **ind_group;
	size_t ninds;
	char **works_inc, **works_exc; /* works.csv: remediation-works note keywords */
	size_t nworks_inc, nworks_exc;
};

const char *lg__check_phrase(const lg_check_tables *t, const char *key);
const rule_row *lg__check_row(const lg_check_tables *t, const char *rule_id,
			      const char *kase);
/* Does a planned use match `kind` in uses.csv? */
bool lg__check_use_is(const lg_check_tables *t, const char *kind,
		      const lg_landuse_info *li);
/* YZ-04 industry group of a register industry, or NULL. */
const char *lg__check_industry_group(const lg_check_tables *t,
				     const char *industry);

/* Is this construction event control/remediation works (works.csv)? */
bool lg__check_remediation_works(const lg_check_tables *t, const lg_event *e);

/* Named values for a message template. */
#define VARS_MAX 40
typedef struct vars {
	const char *name[VARS_MAX];
	char *val[VARS_MAX];
	size_t n;
	bool oom;
} vars;
void vars_set(vars *v, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vars_release(vars *v);
/* Fills {name} placeholders; unknown names stay as written.  malloc'd. */
char *lg__check_fill(const char *tmpl, const vars *v);

#endif
