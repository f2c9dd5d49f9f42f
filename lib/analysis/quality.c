/*
 * Quality module, shared part: lab value cells, strict numbers, and the
 * header-name matching used by the GB 36600 / GB/T 14848 / GB 15618 tables.
 */
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/quality_int.h"
#include "lg_internal.h"

/* ------------------------------------------------------------------ */
/* UTF-8 helpers                                                       */
/* ------------------------------------------------------------------ */

/* Decodes one code point at s (NUL-terminated); *len gets its byte count.
 * A byte that does not start valid UTF-8 comes back as itself (len 1), so
 * odd text passes through instead of stopping the scan. */
static unsigned long utf8_next(const unsigned char *s, size_t *len)
{
	unsigned long cp;
	size_t k;
	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		k = 1;
		cp = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		k = 2;
		cp = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		k = 3;
		cp = s[0] & 0x07;
	} else {
		*len = 1;
		return s[0];
	}
	for (size_t j = 1; j <= k; j++) {
		if ((s[j] & 0xC0) != 0x80) {
			*len = 1;
			return s[0];
		}
		cp = (cp << 6) | (s[j] & 0x3F);
	}
	*len = k + 1;
	return cp;
}

static size_t utf8_put(char *out, unsigned long cp)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xC0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xE0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		out[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	out[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Full-width forms U+FF01..U+FF5E are ASCII 0x21..0x7E typed with a
 * Chinese input method (＜0.01, （mg/kg）, ０.５); treat them as ASCII. */
static unsigned long fold_width(unsigned long cp)
{
	if (cp >= 0xFF01 && cp <= 0xFF5E)
		return cp - 0xFEE0;
	if (cp == 0x3000 || cp == 0x00A0) /* ideographic / no-break space */
		return ' ';
	return cp;
}

static bool is_blank_ascii(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
	       c == '\f';
}

/* ------------------------------------------------------------------ */
/* Numbers                                                             */
/* ------------------------------------------------------------------ */

bool lg__qual_number(const char *s, size_t n, double *out)
{
	char buf[128];
	size_t i = 0, digits = 0, o = 0;
	const char *radix = nl_langinfo(RADIXCHAR);
	size_t rlen = radix && *radix ? strlen(radix) : 0;
	char *end;
	double v;

	if (n == 0 || n >= 64)
		return false;
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++, digits++;
	if (i < n && s[i] == '.') {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, digits++;
	}
	if (digits == 0)
		return false;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		size_t ed = 0;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++, ed++;
		if (ed == 0)
			return false;
	}
	if (i != n)
		return false;
	/* strtod reads the decimal point of LC_NUMERIC; a CLI that called
	 * setlocale() could make it stop at '.', so write the locale's. */
	for (i = 0; i < n; i++) {
		if (s[i] == '.' && rlen) {
			memcpy(buf + o, radix, rlen);
			o += rlen;
		} else {
			buf[o++] = s[i];
		}
	}
	buf[o] = '\0';
	v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(v))
		return false;
	*out = v;
	return true;
}

/* ------------------------------------------------------------------ */
/* Lab values                                                          */
/* ------------------------------------------------------------------ */

static void set_missing(lg_labvalue *out)
{
	out->value = NAN;
	out->nd = false;
	out->dl = NAN;
	out->missing = true;
}

lg_labvalue lg_labvalue_number(double value)
{
	lg_labvalue v = {value, false, NAN, false};
	return v;
}

/* Dashes people put in a cell for "not measured": - – — ― ‐ ‒ − (and the
 * full-width one, folded to '-' before this is asked). */
static bool is_dash(unsigned long cp)
{
	return cp == '-' || (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212;
}

lg_status lg_labvalue_parse(lg_ctx *ctx, const char *text, lg_labvalue *out)
{
	char buf[256];
	size_t o = 0, len;
	const unsigned char *p;
	bool all_dash = true;
	char *s, *e;
	double v;

	set_missing(out);
	if (!text)
		return LG_OK;
	if (strlen(text) >= sizeof buf / 2)
		goto bad;
	/* Fold full-width forms to ASCII and note whether it is all dashes. */
	for (p = (const unsigned char *)text; *p;) {
		size_t n;
		unsigned long cp = fold_width(utf8_next(p, &n));
		if (!is_blank_ascii((int)(cp < 0x80 ? cp : 'x')) && !is_dash(cp))
			all_dash = false;
		o += utf8_put(buf + o, cp);
		p += n;
	}
	buf[o] = '\0';
	s = buf;
	while (is_blank_ascii((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_blank_ascii((unsigned char)e[-1]))
		*--e = '\0';
	len = (size_t)(e - s);

	if (len == 0 || all_dash || strcmp(s, "/") == 0 ||
	    strcmp(s, "未检测") == 0 || strcmp(s, "未测") == 0)
		return LG_OK;
	out->missing = false;

	if (lg__strieq(s, "nd") || lg__strieq(s, "n.d.") ||
	    strcmp(s, "未检出") == 0) {
		out->nd = true;
		return LG_OK;
	}
	/* "<0.01": below the detection limit 0.01. */
	if (s[0] == '<') {
		char *q = s + 1;
		while (is_blank_ascii((unsigned char)*q))
			q++;
		if (!lg__qual_number(q, strlen(q), &v))
			goto bad;
		out->nd = true;
		out->dl = v;
		return LG_OK;
	}
	/* "0.01L": the Chinese lab convention for the same thing (HJ 168 and
	 * the GB/T 14848 practice quoted in domain-facts §0 trap 6). */
	if (e[-1] == 'L' || e[-1] == 'l') {
		char *q = e - 1;
		while (q > s && is_blank_ascii((unsigned char)q[-1]))
			q--;
		if (!lg__qual_number(s, (size_t)(q - s), &v))
			goto bad;
		out->nd = true;
		out->dl = v;
		return LG_OK;
	}
	if (s[0] == '-' && lg__qual_number(s + 1, len - 1, &v)) {
		set_missing(out);
		return lg_ctx_error(ctx, LG_INPUT,
				    "lab value '%.200s' is negative; a "
				    "concentration cannot be: check the cell",
				    text);
	}
	if (!lg__qual_number(s, len, &v))
		goto bad;
	out->value = v;
	return LG_OK;
bad:
	set_missing(out);
	return lg_ctx_error(ctx, LG_INPUT,
			    "lab value '%.200s' is not understood: write a "
			    "number (12.5, 1.2E-3), a non-detect (0.01L, <0.01, "
			    "ND, 未检出) or leave the cell empty",
			    text);
}

/* ------------------------------------------------------------------ */
/* Name matching                                                       */
/* ------------------------------------------------------------------ */

static const char *const roman[] = {"i",   "ii", "iii", "iv",
				    "v",   "vi", "vii", "viii",
				    "ix",  "x",  "xi",  "xii"};

/*
 * Writes the matching key of `in` to out (room for 2*strlen(in)+1).
 * Rules, each for a spelling seen in users' column headers: blanks dropped
 * ("PCB 126" = "PCB126"); ASCII lower-cased ("AS" = "As"); full width
 * folded ("（" = "("); [] 【】 〔〕 as (); curly quotes and primes as ';
 * dashes as -; Roman numeral signs as letters ("Cr(Ⅵ)" = "Cr(VI)");
 * sub/superscript digits and signs as ASCII ("NO₃⁻" = "NO3-"); micro sign
 * as Greek mu.
 */
static void norm_key(const char *in, char *out)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;
	while (*p) {
		size_t n;
		unsigned long cp = fold_width(utf8_next(p, &n));
		p += n;
		if (cp < 0x80) {
			if (is_blank_ascii((int)cp))
				continue;
			if (cp == '[')
				cp = '(';
			else if (cp == ']')
				cp = ')';
			else if (cp >= 'A' && cp <= 'Z')
				cp += 'a' - 'A';
		} else if (cp == 0x3010 || cp == 0x3014) {
			cp = '(';
		} else if (cp == 0x3011 || cp == 0x3015) {
			cp = ')';
		} else if (cp == 0x2018 || cp == 0x2019 || cp == 0x2032) {
			cp = '\'';
		} else if (is_dash(cp)) {
			cp = '-';
		} else if ((cp >= 0x2160 && cp <= 0x216B) ||
			   (cp >= 0x2170 && cp <= 0x217B)) {
			const char *r = roman[cp - (cp >= 0x2170 ? 0x2170 : 0x2160)];
			memcpy(out + o, r, strlen(r));
			o += strlen(r);
			continue;
		} else if (cp >= 0x2080 && cp <= 0x2089) {
			cp = '0' + (cp - 0x2080);
		} else if (cp == 0x2070 || (cp >= 0x2074 && cp <= 0x2079)) {
			cp = '0' + (cp - 0x2070);
		} else if (cp == 0x00B9) {
			cp = '1';
		} else if (cp == 0x00B2 || cp == 0x00B3) {
			cp = '0' + (cp - 0x00B0);
		} else if (cp == 0x207A || cp == 0x208A) {
			cp = '+';
		} else if (cp == 0x207B || cp == 0x208B) {
			cp = '-';
		} else if (cp == 0x00B5) {
			cp = 0x03BC;
		}
		o += utf8_put(out + o, cp);
	}
	out[o] = '\0';
}

/* Unit-like contents of a trailing bracket, beyond anything with a '/'
 * ("mg/kg", "μg/L", "MPN/100mL"). */
static const char *const bare_units[] = {"无量纲", "ntu",   "度",  "%",
					 "‰",      "ppm",   "ppb", "mg",
					 "μg",     "ug",    "ng",  "铂钴色度单位"};

/* Removes a trailing "(unit)" from key; false when there is none. */
static bool strip_unit(char *key)
{
	size_t n = strlen(key);
	int depth = 0;
	char *open = NULL, *inner;
	if (n < 3 || key[n - 1] != ')')
		return false;
	for (size_t i = n; i-- > 0;) {
		if (key[i] == ')')
			depth++;
		else if (key[i] == '(' && --depth == 0) {
			open = key + i;
			break;
		}
	}
	if (!open || open == key)
		return false;
	inner = open + 1;
	key[n - 1] = '\0';
	if (strchr(inner, '/')) {
		*open = '\0';
		return true;
	}
	for (size_t i = 0; i < LG_ARRAY_LEN(bare_units); i++) {
		if (strcmp(inner, bare_units[i]) == 0) {
			*open = '\0';
			return true;
		}
	}
	key[n - 1] = ')';
	return false;
}

void lg__names_release(lg__names *names)
{
	if (!names)
		return;
	for (size_t i = 0; i < names->n; i++)
		free(names->keys[i]);
	free(names->keys);
	free(names->owner);
	memset(names, 0, sizeof *names);
}

static bool lookup(const lg__names *names, const char *key, size_t *owner)
{
	for (size_t i = 0; i < names->n; i++) {
		if (strcmp(names->keys[i], key) == 0) {
			*owner = names->owner[i];
			return true;
		}
	}
	return false;
}

lg_status lg__names_add(lg_ctx *ctx, lg__names *names, const char *name,
			size_t owner, size_t *clash)
{
	char *key;
	size_t cap_owner = names->cap, prev;
	*clash = (size_t)-1;
	key = lg__malloc(ctx, 2 * strlen(name) + 1);
	if (!key)
		return LG_NOMEM;
	norm_key(name, key);
	if (!key[0] || lookup(names, key, &prev)) {
		if (key[0] && prev != owner)
			*clash = prev;
		free(key);
		return LG_OK;
	}
	if (lg__grow(ctx, (void **)&names->owner, &cap_owner, names->n + 1,
		     sizeof *names->owner) ||
	    lg__grow(ctx, (void **)&names->keys, &names->cap, names->n + 1,
		     sizeof *names->keys)) {
		free(key);
		return LG_NOMEM;
	}
	names->keys[names->n] = key;
	names->owner[names->n] = owner;
	names->n++;
	return LG_OK;
}

bool lg__names_find(const lg__names *names, const char *name, size_t *owner)
{
	char key[1024];
	if (!names || !name || strlen(name) >= sizeof key / 2)
		return false;
	norm_key(name, key);
	do {
		if (key[0] && lookup(names, key, owner))
			return true;
	} while (strip_unit(key));
	return false;
}

/* ------------------------------------------------------------------ */
/* Table plumbing                                                      */
/* ------------------------------------------------------------------ */

lg_status lg__qual_columns(lg_ctx *ctx, lg__csv *csv, const char *what,
			   const char *const *want, int *idx, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		idx[i] = lg__csv_column(csv, want[i]);
		if (idx[i] < 0) {
			char list[512] = "";
			for (size_t j = 0; j < n; j++) {
				strncat(list, want[j],
					sizeof list - strlen(list) - 1);
				if (j + 1 < n)
					strncat(list, ", ",
						sizeof list - strlen(list) - 1);
			}
			return lg_ctx_error(ctx, LG_INPUT,
					    "'%s' line 1: no column '%s'; a %s "
					    "table needs the columns %s",
					    lg__csv_path(csv), want[i], what,
					    list);
		}
	}
	return LG_OK;
}

static lg_status add_one(lg_ctx *ctx, lg__csv *csv, lg__names *names,
			 size_t owner, const char *name, int col,
			 const char *(*item_name)(const void *, size_t),
			 const void *ud)
{
	size_t clash;
	lg_status st = lg__names_add(ctx, names, name, owner, &clash);
	if (st)
		return st;
	if (clash != (size_t)-1)
		return lg__csv_error(csv, (size_t)col,
				     "name '%s' is already used by item '%s'; "
				     "names and aliases must be unique",
				     name, item_name(ud, clash));
	return LG_OK;
}

lg_status lg__qual_add_names(lg_ctx *ctx, lg__csv *csv, lg__names *names,
			     size_t owner, const char *name, int name_col,
			     const char *aliases, int alias_col,
			     const char *cas, int cas_col,
			     const char *(*item_name)(const void *ud, size_t i),
			     const void *ud)
{
	lg_status st;
	char one[512];
	const char *p = aliases;

	if ((st = add_one(ctx, csv, names, owner, name, name_col, item_name,
			  ud)))
		return st;
	while (p && *p) {
		const char *bar = strchr(p, '|');
		size_t n = bar ? (size_t)(bar - p) : strlen(p);
		if (n >= sizeof one)
			return lg__csv_error(csv, (size_t)alias_col,
					     "alias too long (%zu bytes)", n);
		memcpy(one, p, n);
		one[n] = '\0';
		if ((st = add_one(ctx, csv, names, owner, lg__trim(one),
				  alias_col, item_name, ud)))
			return st;
		p = bar ? bar + 1 : NULL;
	}
	if (cas && *cas && cas_col >= 0)
		return add_one(ctx, csv, names, owner, cas, cas_col, item_name,
			       ud);
	return LG_OK;
}

lg_status lg__qual_open(lg_ctx *ctx, const char *path, const char *file,
			lg__csv **out)
{
	char full[4096];
	if (path)
		return lg__csv_open(ctx, path, out);
	snprintf(full, sizeof full, "%s/standards/%s", lg_ctx_datadir(ctx),
		 file);
	return lg__csv_open(ctx, full, out);
}

lg_status lg__qual_field_number(lg__csv *csv, int col, const char *what,
				double *out)
{
	const char *s = lg__csv_field(csv, (size_t)col);
	if (!lg__qual_number(s, strlen(s), out))
		return lg__csv_error(csv, (size_t)col,
				     "%s '%s' is not a number (write 0.5, "
				     "4e-5; no units or signs)",
				     what, s);
	return LG_OK;
}
