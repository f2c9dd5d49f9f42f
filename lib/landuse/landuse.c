/* Land-use code tables: loading the datasets/landuse tables, lookup, detection. */
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lg_internal.h"
#include "landguard/landuse.h"
#include "landuse/landuse_int.h"

/* Detection keeps per-system counters on the stack (it has no context to
 * allocate from); 64 systems is far more than any county uses. */
#define MAX_SYSTEMS 64
#define MAX_CODE 64

typedef struct entry {
	char *code;
	char *name;
	int sys;  /* index into lu->systems */
	int rank; /* of the system; lower wins when no system is asked for */
	lg_use_class cls;
	bool yzlg, construction;
	int gb36600;
} entry;

struct lg_landuse {
	char **systems;
	size_t nsys, capsys;
	entry *e;
	size_t n, cap;
};

/* Newest plan system first: with no system given, a code that exists in
 * several systems takes the meaning of the first one here (header doc). */
static const char *const sys_order[] = {
	LG_SYS_YDYH2023, LG_SYS_YDYH2020, LG_SYS_GBT21010,
	LG_SYS_SANDIAO,  LG_SYS_GB50137,
};

static const char *const cols[] = {
	"system", "code", "name", "use_class", "yzlg", "construction", "gb36600",
};
enum { C_SYS, C_CODE, C_NAME, C_CLASS, C_YZLG, C_CONSTR, C_GB, C__N };

/* --- use classes --------------------------------------------------------- */

static const char *const use_en[] = {
#define X(n, en, zh) en,
	LG_USE_CLASS_MAP(X)
#undef X
};
static const char *const use_zh[] = {
#define X(n, en, zh) zh,
	LG_USE_CLASS_MAP(X)
#undef X
};

const char *lg_use_class_name(lg_use_class c)
{
	return (unsigned)c < LG_USE__COUNT ? use_en[c] : "unknown";
}

const char *lg_use_class_zh(lg_use_class c)
{
	return (unsigned)c < LG_USE__COUNT ? use_zh[c] : "未知";
}

bool lg_use_class_parse(const char *s, lg_use_class *out)
{
	char buf[128];
	if (out)
		*out = LG_USE_UNKNOWN;
	if (!s || !lg__vocab_fold(s, buf, sizeof buf))
		return false;
	for (int c = 0; c < LG_USE__COUNT; c++) {
		size_t zl = strlen(use_zh[c]);
		/* Chinese names are often written with 用地 (住宅用地). */
		if (strcmp(buf, use_en[c]) == 0 || strcmp(buf, use_zh[c]) == 0 ||
		    (strncmp(buf, use_zh[c], zl) == 0 &&
		     strcmp(buf + zl, "用地") == 0)) {
			if (out)
				*out = (lg_use_class)c;
			return true;
		}
	}
	return false;
}

/* --- codes --------------------------------------------------------------- */

/* Normalises a code as written in data: leading/trailing blanks dropped,
 * ASCII letters upper-cased, and a name written after the code
 * ("0701城镇住宅用地", "R2 二类居住用地", "A33(中小学用地)") cut off.
 * Anything else after the code ("07-01", "0101.0") makes it unreadable:
 * guessing there would silently give the wrong class. */
static bool normalise(const char *s, char *buf, size_t n)
{
	size_t k = 0;
	while (*s && isspace((unsigned char)*s))
		s++;
	while (*s && isalnum((unsigned char)*s)) {
		if (k + 1 >= n)
			return false;
		buf[k++] = (char)toupper((unsigned char)*s++);
	}
	buf[k] = '\0';
	if (k == 0)
		return false;
	while (*s == ' ' || *s == '\t')
		s++;
	return *s == '\0' || *s == '(' || (unsigned char)*s >= 0x80 ||
	       isspace((unsigned char)*s);
}

/* 三调 data append letters to numeric codes (0101K 可调整地类, 0810A,
 * 201A); they share the base code's class.  At least three characters must
 * remain so that "08H" never shrinks to a first-level class. */
static bool strip_suffix(char *code)
{
	size_t len = strlen(code), k = len;
	if (!isdigit((unsigned char)code[0]))
		return false;
	while (k > 0 && isupper((unsigned char)code[k - 1]))
		k--;
	if (k == len || k < 3)
		return false;
	code[k] = '\0';
	return true;
}

/* Rank of a system for ties: the order of sys_order[], then user-defined
 * systems in the order they appeared. */
static int sys_rank(const lg_landuse *lu, size_t s)
{
	for (size_t i = 0; i < LG_ARRAY_LEN(sys_order); i++)
		if (strcmp(lu->systems[s], sys_order[i]) == 0)
			return (int)i;
	return (int)(LG_ARRAY_LEN(sys_order) + s);
}

static int cmp_entry(const void *a, const void *b)
{
	const entry *x = a, *y = b;
	int c = strcmp(x->code, y->code);
	if (c)
		return c;
	return (x->rank > y->rank) - (x->rank < y->rank);
}

/* First entry for `code` in the sorted table, or NULL. */
static const entry *first_of(const lg_landuse *lu, const char *code)
{
	size_t lo = 0, hi = lu->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(lu->e[mid].code, code) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < lu->n && strcmp(lu->e[lo].code, code) == 0 ? &lu->e[lo]
							       : NULL;
}

static const entry *find(const lg_landuse *lu, const char *code,
			 const char *system)
{
	const entry *e = first_of(lu, code), *end = lu->e + lu->n;
	if (!e || !system)
		return e;
	for (; e < end && strcmp(e->code, code) == 0; e++)
		if (strcmp(lu->systems[e->sys], system) == 0)
			return e;
	return NULL;
}

bool lg_landuse_lookup(const lg_landuse *lu, const char *code,
		       const char *system, lg_landuse_info *out)
{
	char buf[MAX_CODE];
	const entry *e = NULL;
	lg_landuse_info info;

	memset(&info, 0, sizeof info);
	info.cls = LG_USE_UNKNOWN;
	if (lu && code && normalise(code, buf, sizeof buf)) {
		e = find(lu, buf, system);
		if (!e && strip_suffix(buf))
			e = find(lu, buf, system);
	}
	if (e) {
		info.code = e->code;
		info.name = e->name;
		info.system = lu->systems[e->sys];
		info.cls = e->cls;
		info.yzlg = e->yzlg;
		info.construction = e->construction;
		info.gb36600 = e->gb36600;
	}
	if (out)
		*out = info;
	return e != NULL;
}

/* Marks in rec[] every system that lg_landuse_lookup(code, system) would
 * answer; false when none does. */
static bool recognise(const lg_landuse *lu, const char *code, bool *rec)
{
	char buf[MAX_CODE];
	bool any = false;
	const entry *end = lu->e + lu->n;

	memset(rec, 0, lu->nsys * sizeof *rec);
	if (!code || !normalise(code, buf, sizeof buf))
		return false;
	for (int pass = 0; pass < 2; pass++) {
		const entry *e = first_of(lu, buf);
		for (; e && e < end && strcmp(e->code, buf) == 0; e++)
			rec[e->sys] = any = true;
		if (pass == 0 && !strip_suffix(buf))
			break;
	}
	return any;
}

void lg_landuse_detect(const lg_landuse *lu, const char *const *codes,
		       size_t n, const char **system, size_t *unknown)
{
	size_t count[MAX_SYSTEMS] = {0}, uniq[MAX_SYSTEMS] = {0};
	bool rec[MAX_SYSTEMS], tied[MAX_SYSTEMS] = {0};
	size_t nunknown = 0, best = 0, best_uniq = 0;
	int pick = -1;

	if (system)
		*system = NULL;
	if (unknown)
		*unknown = n;
	if (!lu || (!codes && n))
		return;
	for (size_t i = 0; i < n; i++) {
		if (!recognise(lu, codes[i], rec)) {
			nunknown++;
			continue;
		}
		for (size_t s = 0; s < lu->nsys; s++)
			count[s] += rec[s];
	}
	for (size_t s = 0; s < lu->nsys; s++)
		if (count[s] > best)
			best = count[s];
	if (unknown)
		*unknown = nunknown;
	if (best == 0)
		return;
	for (size_t s = 0; s < lu->nsys; s++)
		tied[s] = count[s] == best;
	/* Among systems that recognise equally many codes, codes that only
	 * one of them knows (6-digit 2023 codes, 08H2, 201) decide. */
	for (size_t i = 0; i < n; i++) {
		int only = -1, k = 0;
		if (!recognise(lu, codes[i], rec))
			continue;
		for (size_t s = 0; s < lu->nsys; s++)
			if (tied[s] && rec[s]) {
				only = (int)s;
				k++;
			}
		if (k == 1)
			uniq[only]++;
	}
	for (size_t s = 0; s < lu->nsys; s++) {
		if (!tied[s])
			continue;
		if (pick < 0 || uniq[s] > best_uniq ||
		    (uniq[s] == best_uniq &&
		     sys_rank(lu, s) < sys_rank(lu, (size_t)pick))) {
			pick = (int)s;
			best_uniq = uniq[s];
		}
	}
	if (system)
		*system = lu->systems[pick];
}

/* --- loading ------------------------------------------------------------- */

static void entry_release(entry *e)
{
	free(e->code);
	free(e->name);
}

void lg_landuse_destroy(lg_landuse *lu)
{
	if (!lu)
		return;
	for (size_t i = 0; i < lu->n; i++)
		entry_release(&lu->e[i]);
	for (size_t i = 0; i < lu->nsys; i++)
		free(lu->systems[i]);
	free(lu->e);
	free(lu->systems);
	free(lu);
}

/* Index of a system name, added when new; -1 on error (set in ctx). */
static int intern_system(lg_ctx *ctx, lg_landuse *lu, const char *name,
			 const lg_csv *csv)
{
	for (size_t i = 0; i < lu->nsys; i++)
		if (strcmp(lu->systems[i], name) == 0)
			return (int)i;
	if (lu->nsys >= MAX_SYSTEMS) {
		lg_ctx_error(ctx, LG_INPUT,
			     "bad row in '%s' line %ld: column 1 (system): more than %d code systems; merge them",
			     csv->path, csv->rec_line, MAX_SYSTEMS);
		return -1;
	}
	if (lg__grow(ctx, (void **)&lu->systems, &lu->capsys, lu->nsys + 1,
		     sizeof *lu->systems))
		return -1;
	if (!(lu->systems[lu->nsys] = lg__strdup(ctx, name)))
		return -1;
	return (int)lu->nsys++;
}

static entry *find_exact(lg_landuse *lu, int sys, const char *code)
{
	for (size_t i = 0; i < lu->n; i++)
		if (lu->e[i].sys == sys && strcmp(lu->e[i].code, code) == 0)
			return &lu->e[i];
	return NULL;
}

/* Copies a row's values into `dst` (code and system already set). */
static lg_status set_values(lg_ctx *ctx, entry *dst, const entry *row)
{
	char *name = lg__strdup(ctx, row->name);
	if (!name)
		return LG_NOMEM;
	free(dst->name);
	dst->name = name;
	dst->cls = row->cls;
	dst->yzlg = row->yzlg;
	dst->construction = row->construction;
	dst->gb36600 = row->gb36600;
	return LG_OK;
}

static lg_status add_entry(lg_ctx *ctx, lg_landuse *lu, int sys,
			   const entry *row)
{
	entry *e;
	if (lg__grow(ctx, (void **)&lu->e, &lu->cap, lu->n + 1, sizeof *lu->e))
		return LG_NOMEM;
	e = &lu->e[lu->n];
	memset(e, 0, sizeof *e);
	if (!(e->code = lg__strdup(ctx, row->code)))
		return LG_NOMEM;
	e->sys = sys;
	if (set_values(ctx, e, row)) {
		entry_release(e);
		return LG_NOMEM;
	}
	lu->n++;
	return LG_OK;
}

/* A user row with system `*` replaces the code in every system that has
 * it, and is added to every system when none has it (a local code). */
static lg_status apply_star(lg_ctx *ctx, lg_landuse *lu, const entry *row)
{
	bool hit = false;
	size_t nsys = lu->nsys;
	for (size_t i = 0; i < lu->n; i++)
		if (strcmp(lu->e[i].code, row->code) == 0) {
			if (set_values(ctx, &lu->e[i], row))
				return LG_NOMEM;
			hit = true;
		}
	for (size_t s = 0; !hit && s < nsys; s++)
		if (add_entry(ctx, lu, (int)s, row))
			return LG_NOMEM;
	return LG_OK;
}

static lg_status bad_row(lg_ctx *ctx, const lg_csv *csv, int col,
			 const char *what, const char *value, const char *fix)
{
	return lg_ctx_error(ctx, LG_INPUT,
			    "bad row in '%s' line %ld: column %d (%s): %s '%s'; %s",
			    csv->path, csv->rec_line, col + 1, cols[col], what,
			    value, fix);
}

/* Parses a 0/1 (or 0/1/2) column. */
static bool small_int(const char *s, int max, int *out)
{
	if (s[0] < '0' || s[0] > '0' + max || s[1])
		return false;
	*out = s[0] - '0';
	return true;
}

/* Reads the header and finds each required column; *pos[c] = field index. */
static lg_status read_header(lg_ctx *ctx, lg_csv *csv, size_t *pos)
{
	bool eof;
	lg_status st = lg__lucsv_next(csv, &eof);
	if (st)
		return st;
	if (eof)
		return lg_ctx_error(ctx, LG_INPUT,
				    "bad header in '%s': the file is empty; the first line must be system,code,name,use_class,yzlg,construction,gb36600",
				    csv->path);
	for (int c = 0; c < C__N; c++) {
		pos[c] = (size_t)-1;
		for (size_t f = 0; f < csv->nfields; f++)
			if (lg__strieq(lg__trim(csv->fields[f]), cols[c]))
				pos[c] = f;
		if (pos[c] == (size_t)-1)
			return lg_ctx_error(ctx, LG_INPUT,
					    "bad header in '%s' line %ld: no column '%s'; the columns are system,code,name,use_class,yzlg,construction,gb36600",
					    csv->path, csv->rec_line, cols[c]);
	}
	return LG_OK;
}

/* Checks one record and turns it into `row` (strings borrowed from csv);
 * *sysname receives the system column. */
static lg_status parse_row(lg_ctx *ctx, const lg_csv *csv, const size_t *pos,
			   bool user, entry *row, char *code,
			   const char **sysname)
{
	const char *v[C__N];
	int yz, co, gb;
	size_t need = 0;

	for (int c = 0; c < C__N; c++)
		if (pos[c] + 1 > need)
			need = pos[c] + 1;
	if (csv->nfields < need)
		return lg_ctx_error(ctx, LG_INPUT,
				    "bad row in '%s' line %ld: %zu columns, the header needs %zu; fill in every column",
				    csv->path, csv->rec_line, csv->nfields, need);
	for (int c = 0; c < C__N; c++) {
		v[c] = lg__trim(csv->fields[pos[c]]);
		if (!v[c][0])
			return bad_row(ctx, csv, c, "empty value", v[c],
				       "every column needs a value");
	}
	if (!user && strcmp(v[C_SYS], "*") == 0)
		return bad_row(ctx, csv, C_SYS, "system", v[C_SYS],
			       "'*' is only for user tables");
	/* A table spells the bare code: a name after it would be cut off by
	 * normalise() and hide a typo. */
	if (!normalise(v[C_CODE], code, MAX_CODE) ||
	    strlen(code) != strlen(v[C_CODE]))
		return bad_row(ctx, csv, C_CODE, "bad code", v[C_CODE],
			       "use letters and digits only");
	if (!lg_use_class_parse(v[C_CLASS], &row->cls))
		return bad_row(ctx, csv, C_CLASS, "unknown use class",
			       v[C_CLASS],
			       "use one of residential, public_admin, public_service, commercial, industrial, storage, transport, utility, green_space, special, cropland, garden, forest, grassland, wetland, water, unused, unknown");
	if (!small_int(v[C_YZLG], 1, &yz))
		return bad_row(ctx, csv, C_YZLG, "bad flag", v[C_YZLG],
			       "use 1 for 一住两公, 0 otherwise");
	if (!small_int(v[C_CONSTR], 1, &co))
		return bad_row(ctx, csv, C_CONSTR, "bad flag", v[C_CONSTR],
			       "use 1 for construction land, 0 otherwise");
	if (!small_int(v[C_GB], 2, &gb))
		return bad_row(ctx, csv, C_GB, "bad GB 36600 class", v[C_GB],
			       "use 1 or 2 for construction land, 0 otherwise");
	if ((gb == 0) != (co == 0))
		return bad_row(ctx, csv, C_GB, "GB 36600 class", v[C_GB],
			       co ? "construction land is class 1 or 2"
			          : "land that is not construction land is class 0");
	row->code = code;
	row->name = (char *)v[C_NAME];
	row->yzlg = yz;
	row->construction = co;
	row->gb36600 = gb;
	*sysname = v[C_SYS];
	return LG_OK;
}

/* Loads one table; a user table replaces rows of the same system and code,
 * a built-in table may not repeat one. */
static lg_status load_table(lg_ctx *ctx, lg_landuse *lu, const char *path,
			    bool user)
{
	lg_csv csv;
	size_t pos[C__N];
	lg_status st;
	bool eof = false;

	if ((st = lg__lucsv_open(ctx, path, &csv)))
		return st;
	if ((st = read_header(ctx, &csv, pos)))
		goto done;
	for (;;) {
		entry row;
		char code[MAX_CODE];
		const char *sysname = NULL;
		entry *old;
		int sys;

		if ((st = lg__lucsv_next(&csv, &eof)) || eof)
			break;
		memset(&row, 0, sizeof row);
		if ((st = parse_row(ctx, &csv, pos, user, &row, code,
				    &sysname)))
			break;
		if (user && strcmp(sysname, "*") == 0) {
			if ((st = apply_star(ctx, lu, &row)))
				break;
			continue;
		}
		if ((sys = intern_system(ctx, lu, sysname, &csv)) < 0) {
			st = lg_ctx_errcode(ctx);
			break;
		}
		old = find_exact(lu, sys, code);
		if (old && !user) {
			st = bad_row(ctx, &csv, C_CODE, "duplicate code", code,
				     "each system lists a code once");
			break;
		}
		st = old ? set_values(ctx, old, &row)
			 : add_entry(ctx, lu, sys, &row);
		if (st)
			break;
	}
done:
	lg__lucsv_close(&csv);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Paths of the .csv files in datadir/landuse, sorted so that load order (and any
 * error) does not depend on the directory's order. */
static lg_status list_tables(lg_ctx *ctx, const char *dir, char ***out,
			     size_t *nout)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;
	size_t n = 0, cap = 0;
	lg_status st = LG_OK;

	*out = NULL;
	*nout = 0;
	if (!d)
		return lg_ctx_error(ctx, LG_NOFILE,
				    "no land-use tables: cannot open '%s'; set LANDGUARD_DATA to the datasets/ directory",
				    dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		lg_buf b;
		if (len < 5 || strcmp(de->d_name + len - 4, ".csv") != 0 ||
		    de->d_name[0] == '.')
			continue;
		if ((st = lg__grow(ctx, (void **)&v, &cap, n + 1, sizeof *v)))
			goto done;
		lg_buf_init(&b);
		if (lg_buf_printf(&b, "%s/%s", dir, de->d_name)) {
			lg_buf_release(&b);
			st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
			goto done;
		}
		v[n++] = b.s;
	}
	if (n == 0) {
		st = lg_ctx_error(ctx, LG_NOFILE,
				  "no land-use tables (*.csv) in '%s'; set LANDGUARD_DATA to the datasets/ directory",
				  dir);
		goto done;
	}
	lg__qsort(v, n, sizeof *v, cmp_str);
	*out = v;
	*nout = n;
	v = NULL;
done:
	closedir(d);
	if (v) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
	}
	return st;
}

lg_status lg_landuse_load(lg_ctx *ctx, const char *user_table,
			  lg_landuse **out)
{
	lg_landuse *lu = NULL;
	char **paths = NULL;
	size_t npaths = 0;
	lg_buf dir;
	lg_status st;

	*out = NULL;
	lg_buf_init(&dir);
	if (lg_buf_printf(&dir, "%s/landuse",
			   lg_ctx_datadir(ctx) ? lg_ctx_datadir(ctx) : ".")) {
		st = lg_ctx_error(ctx, LG_NOMEM, "out of memory");
		goto done;
	}
	if (!(lu = lg__calloc(ctx, 1, sizeof *lu))) {
		st = LG_NOMEM;
		goto done;
	}
	if ((st = list_tables(ctx, dir.s, &paths, &npaths)))
		goto done;
	for (size_t i = 0; i < npaths; i++)
		if ((st = load_table(ctx, lu, paths[i], false)))
			goto done;
	if (user_table && (st = load_table(ctx, lu, user_table, true)))
		goto done;
	for (size_t i = 0; i < lu->n; i++)
		lu->e[i].rank = sys_rank(lu, (size_t)lu->e[i].sys);
	lg__qsort(lu->e, lu->n, sizeof *lu->e, cmp_entry);
	*out = lu;
	lu = NULL;
done:
	for (size_t i = 0; i < npaths; i++)
		free(paths[i]);
	free(paths);
	lg_buf_release(&dir);
	lg_landuse_destroy(lu);
	return st;
}

const char *lg_landuse_system_hint(const char *field_name)
{
	if (!field_name)
		return NULL;
	if (strncasecmp(field_name, "YDYH", 4) == 0 || strstr(field_name, "用地用海"))
		return LG_SYS_YDYH2023;
	if (lg__strieq(field_name, "DLBM") || lg__strieq(field_name, "XZDLBM") ||
	    strstr(field_name, "地类编码"))
		return LG_SYS_SANDIAO;
	return NULL;
}
