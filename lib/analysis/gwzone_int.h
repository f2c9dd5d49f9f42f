/* Private to gwzone.c / hj338.c: the loaded tables. */
#ifndef LG_GWZONE_INT_H
#define LG_GWZONE_INT_H

#include "lg_internal.h"
#include "landguard/gwzone.h"

typedef struct lg__hj_row {
	char *aquifer, *medium; /* canonical keys */
	double r1[2], r2[2];    /* lower, upper; NAN = no table value */
	bool level2;
	int quasi; /* 0 no, 1 when_needed, 2 required */
	char *basis;
} lg__hj_row;

typedef struct lg__hj_param {
	char *name;
	double value;
	char *basis;
} lg__hj_param;

typedef struct lg__vocab_e {
	char *key, *spelling, *zh, *group;
} lg__vocab_e;

typedef struct lg__vocab {
	lg__vocab_e *e;
	size_t n;
} lg__vocab;

enum { LG__VOCAB_AQUIFER, LG__VOCAB_MEDIUM, LG__VOCAB_SOURCE, LG__VOCAB_N };

typedef struct lg__hj_rule {
	int level;
	char *type; /* source_type key or "*" */
	char *rule, *basis;
} lg__hj_rule;

struct lg_hj338 {
	lg__hj_row *rows;
	size_t nrows;
	lg__hj_param *params;
	size_t nparams;
	lg__vocab vocab[LG__VOCAB_N];
	lg__hj_rule *rules;
	size_t nrules;
};

/* Entry whose spelling matches s (folded), NULL when none. */
const lg__vocab_e *lg__hj338_vocab(const lg_hj338 *t, int which, const char *s);
const lg__hj_row *lg__hj338_row(const lg_hj338 *t, const char *aquifer, const char *medium);
/* The rule for (level, type), else (level, "*"). */
const lg__hj_rule *lg__hj338_rule(const lg_hj338 *t, lg_gwz_level level, const char *type);
const char *lg__hj338_param_basis(const lg_hj338 *t, const char *name);

#endif
