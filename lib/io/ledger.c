/* The events ledger: CSV/XLSX through lg_layer_read, headers mapped,
 * dates parsed, events and results checked against datasets/vocab. */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csv_int.h"
#include "lg_internal.h"
#include "landguard/ledger.h"
#include "landguard/overlay.h"

static const struct {
	const char *key, *zh;
	bool land;
} ev_info[] = {
#define LG__E(n, k, zh, land) {k, zh, land},
	LG_EVENT_MAP(LG__E)
#undef LG__E
};

static const struct {
	const char *key, *zh;
	lg_event_kind ev;
} res_info[] = {
#define LG__R(n, k, zh, ev) {k, zh, ev},
	LG_RESULT_MAP(LG__R)
#undef LG__R
};

const char *lg_event_name(lg_event_kind k)
{
	return (unsigned)k < LG_EV__COUNT ? ev_info[k].key : "unknown";
}

const char *lg_event_zh(lg_event_kind k)
{
	return (unsigned)k < LG_EV__COUNT ? ev_info[k].zh : "未知";
}

bool lg_event_is_land(lg_event_kind k)
{
	return (unsigned)k < LG_EV__COUNT && ev_info[k].land;
}

const char *lg_result_name(lg_event_result r)
{
	return (unsigned)r < LG_RES__COUNT ? res_info[r].key : "";
}

const char *lg_result_zh(lg_event_result r)
{
	return (unsigned)r < LG_RES__COUNT ? res_info[r].zh : "";
}

/* ---- dates ---------------------------------------------------------- */

/* Days from civil (proleptic Gregorian), H. Hinnant's algorithm. */
static int32_t days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void lg_date_format(int32_t z, char buf[11])
{
	z += 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp + (mp < 10 ? 3 : -9);
	y += m <= 2;
	char tmp[40];
	snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y % 10000, m, d);
	memcpy(buf, tmp, 10);
	buf[10] = '\0';
}

int32_t lg_date_from_excel(double serial)
{
	/* Excel's day 0 is 1899-12-30 once its 1900 leap-year bug is
	 * counted in (serials from 61 on, i.e. every date a ledger holds). */
	return days_from_civil(1899, 12, 30) + (int32_t)floor(serial);
}

static bool read_int(const char **p, int mindig, int maxdig, int *out)
{
	int n = 0, v = 0;
	while (isdigit((unsigned char)**p) && n < maxdig) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	if (n < mindig || isdigit((unsigned char)**p))
		return false;
	*out = v;
	return true;
}

static bool eat(const char **p, const char *s)
{
	size_t n = strlen(s);
	if (strncmp(*p, s, n))
		return false;
	*p += n;
	return true;
}

bool lg_date_parse(const char *s, int32_t *days)
{
	int y, m, d;
	const char *p = s;
	bool cn;
	if (!s)
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!read_int(&p, 4, 4, &y))
		return false;
	cn = eat(&p, "年");
	char sep = cn ? 0 : *p;
	if (!cn && sep != '-' && sep != '/' && sep != '.')
		return false;
	if (!cn)
		p++;
	if (!read_int(&p, 1, 2, &m))
		return false;
	/* the same separator twice: 2023-07-01, 2023/7/1, 2023.7.1 */
	if (cn ? !eat(&p, "月") : *p != sep)
		return false;
	if (!cn)
		p++;
	if (!read_int(&p, 1, 2, &d))
		return false;
	if (cn)
		eat(&p, "日");
	/* a time of day after the date ("2023/07/01 00:00:00") is ignored */
	if (*p == ' ' || *p == 'T') {
		const char *q = p + 1;
		while (*q && (isdigit((unsigned char)*q) || *q == ':' || *q == '.'))
			q++;
		if (q > p + 1)
			p = q;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p)
		return false;
	if (y < 1900 || m < 1 || m > 12 || d < 1)
		return false;
	static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (d > mdays[m - 1] + (m == 2 && leap))
		return false;
	*days = days_from_civil(y, m, d);
	return true;
}

/* ---- vocabularies ----------------------------------------------------- */

typedef struct spelling {
	char *fold;
	int key; /* event kind or result */
	int ev;  /* results: the event they belong to */
} spelling;

typedef struct vocab {
	spelling *v;
	size_t n, cap;
} vocab;

/* Trim, lower-case ASCII, '-' and ' ' as '_', full-width blanks dropped. */
static void fold(const char *s, char *buf, size_t n)
{
	size_t k = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p && k + 1 < n; p++) {
		if (p[0] == 0xE3 && p[1] == 0x80 && p[2] == 0x80) { /* U+3000 */
			p += 2;
			continue;
		}
		if (*p == ' ' || *p == '\t' || *p == '-' || *p == '_') {
			if (k && buf[k - 1] != '_')
				buf[k++] = '_';
			continue;
		}
		buf[k++] = (char)tolower(*p);
	}
	while (k && buf[k - 1] == '_')
		k--;
	buf[k] = '\0';
}

static void vocab_release(vocab *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->v[i].fold);
	free(v->v);
	memset(v, 0, sizeof *v);
}

static int key_of(const char *s, bool result)
{
	if (result) {
		for (int i = 1; i < LG_RES__COUNT; i++)
			if (!strcmp(res_info[i].key, s))
				return i;
	} else {
		for (int i = 0; i < LG_EV__COUNT; i++)
			if (!strcmp(ev_info[i].key, s))
				return i;
	}
	return -1;
}

static lg_status vocab_load(lg_ctx *ctx, const char *name, bool result, vocab *v)
{
	char path[1024];
	lg__csv *c = NULL;
	lg_status st;
	bool eof;
	snprintf(path, sizeof path, "%s/vocab/%s", lg_ctx_datadir(ctx), name);
	if ((st = lg__csv_open(ctx, path, &c)))
		return st;
	int ck = lg__csv_column(c, result ? "result" : "event");
	int cs = lg__csv_column(c, "spelling");
	int ce = result ? lg__csv_column(c, "event") : -1;
	if (ck < 0 || cs < 0 || (result && ce < 0)) {
		st = lg_ctx_error(ctx, LG_INPUT, "'%s' needs the columns %s; fix the table", path,
				  result ? "result, event, spelling" : "event, kind, spelling");
		goto done;
	}
	for (;;) {
		if ((st = lg__csv_next(c, &eof)) || eof)
			break;
		int k = key_of(lg__csv_field(c, (size_t)ck), result);
		if (k < 0) {
			st = lg__csv_error(c, (size_t)ck, "'%s' is not a key of CONTRACT.md",
					   lg__csv_field(c, (size_t)ck));
			break;
		}
		int ev = -1;
		if (result) {
			ev = key_of(lg__csv_field(c, (size_t)ce), false);
			if (ev < 0 || (lg_event_kind)ev != res_info[k].ev) {
				st = lg__csv_error(c, (size_t)ce, "result '%s' belongs to event '%s'",
						   res_info[k].key, lg_event_name(res_info[k].ev));
				break;
			}
		}
		char f[256];
		fold(lg__csv_field(c, (size_t)cs), f, sizeof f);
		if (!*f)
			continue;
		if ((st = lg__grow(ctx, (void **)&v->v, &v->cap, v->n + 1, sizeof *v->v)))
			break;
		if (!(v->v[v->n].fold = lg__strdup(ctx, f))) {
			st = LG_NOMEM;
			break;
		}
		v->v[v->n].key = k;
		v->v[v->n].ev = ev;
		v->n++;
	}
done:
	lg__csv_close(c);
	return st;
}

static int vocab_find(const vocab *v, const char *s)
{
	char f[256];
	fold(s, f, sizeof f);
	for (size_t i = 0; i < v->n; i++)
		if (!strcmp(v->v[i].fold, f))
			return v->v[i].key;
	return -1;
}

/* ---- reading ---------------------------------------------------------- */

enum { COL_PARCEL, COL_EVENT, COL_DATE, COL_RESULT, COL_NOTE, COL__N };

static const char *const col_names[COL__N] = {
	"parcel_id,地块编号,地块编码,宗地编号,DKBH,parcel,id",
	"event,事项,事件,类型,环节",
	"date,日期,时间,办理日期",
	"result,结论,结果",
	"note,备注,说明",
};
static const char *const col_label[COL__N] = {
	"parcel_id/地块编号", "event/事项", "date/日期", "result/结论", "note/备注"};

static bool name_is(const char *name, const char *cands)
{
	char a[256], b[256], list[256];
	fold(name, a, sizeof a);
	snprintf(list, sizeof list, "%s", cands);
	for (char *save = NULL, *c = strtok_r(list, ",", &save); c;
	     c = strtok_r(NULL, ",", &save)) {
		fold(c, b, sizeof b);
		if (!strcmp(a, b))
			return true;
	}
	return false;
}

/* Spreadsheet column letters: 0 → A, 26 → AA. */
static void col_letters(size_t i, char *buf)
{
	char tmp[8];
	int n = 0;
	i++;
	while (i && n < 7) {
		tmp[n++] = (char)('A' + (i - 1) % 26);
		i = (i - 1) / 26;
	}
	for (int k = 0; k < n; k++)
		buf[k] = tmp[n - 1 - k];
	buf[n] = '\0';
}

typedef struct sheet {
	const char *src;
	const lg_layer *l;
	int col[COL__N];       /* field index, -1 */
	const char *hdr[COL__N]; /* header text as the user wrote it */
	bool header_in_data;   /* first feature holds the header */
	bool sheet_rows;       /* FID is the sheet row (XLSX/ODS) */
} sheet;

static const char *cell(const sheet *s, const lg_feature *f, int c)
{
	return s->col[c] < 0 ? "" : lg_feature_text(s->l, f, s->col[c]);
}

/* "'FILE' row R column C (HEADER): WHAT; TODO" */
static lg_status cell_error(lg_ctx *ctx, const sheet *s, long row, int c, lg_status st,
			    const char *what, const char *todo)
{
	char letters[8];
	col_letters((size_t)s->col[c], letters);
	return lg_ctx_error(ctx, st, "'%s' row %ld column %s (%s): %s; %s", s->src, row, letters,
			    s->hdr[c], what, todo);
}

static lg_status map_columns(lg_ctx *ctx, sheet *s)
{
	const lg_layer *l = s->l;
	for (int c = 0; c < COL__N; c++)
		s->col[c] = -1;
	for (size_t j = 0; j < l->nfields; j++)
		for (int c = 0; c < COL__N; c++)
			if (s->col[c] < 0 && name_is(l->fields[j].name, col_names[c])) {
				s->col[c] = (int)j;
				s->hdr[c] = l->fields[j].name;
				break;
			}
	if (s->col[COL_PARCEL] < 0 && s->col[COL_EVENT] < 0 && s->col[COL_DATE] < 0 && l->n) {
		/* GDAL took the header row for data (an all-text sheet). */
		for (size_t j = 0; j < l->nfields; j++)
			for (int c = 0; c < COL__N; c++) {
				const char *t = lg_feature_text(l, &l->feat[0], (int)j);
				if (s->col[c] < 0 && *t && name_is(t, col_names[c])) {
					s->col[c] = (int)j;
					s->hdr[c] = t;
					s->header_in_data = true;
					break;
				}
			}
	}
	for (int c = 0; c <= COL_DATE; c++) {
		if (s->col[c] >= 0)
			continue;
		lg_buf b;
		lg_buf_init(&b);
		for (size_t j = 0; j < l->nfields; j++)
			lg_buf_printf(&b, "%s%s", j ? ", " : "", l->fields[j].name);
		lg_ctx_error(ctx, LG_FIELD,
			     "'%s' has no %s column; a ledger needs the columns "
			     "parcel_id/地块编号, event/事项, date/日期 (result/结论 and note/备注 "
			     "are optional); its columns are: %s; rename the header",
			     s->src, col_label[c], b.s ? b.s : "(none)");
		lg_buf_release(&b);
		return LG_FIELD;
	}
	return LG_OK;
}

static lg_status read_date(lg_ctx *ctx, const sheet *s, const lg_feature *f, long row,
			   int32_t *days)
{
	int j = s->col[COL_DATE];
	const lg_value *v = &f->vals[j];
	if (!v->null && s->l->fields[j].type != LG_FT_STRING) {
		double x = s->l->fields[j].type == LG_FT_INT ? (double)v->u.i : v->u.d;
		/* 1955-01-01 .. 2119-01-01 as Excel serials */
		if (x >= 20090 && x < 80000) {
			*days = lg_date_from_excel(x);
			return LG_OK;
		}
	}
	const char *t = cell(s, f, COL_DATE);
	if (!*t)
		return cell_error(ctx, s, row, COL_DATE, LG_INPUT, "the date is empty",
				  "give the date as YYYY-MM-DD (2023/7/1 and 2023年7月1日 are "
				  "also read)");
	char what[300];
	snprintf(what, sizeof what, "'%s' is not a date", t);
	if (!lg_date_parse(t, days))
		return cell_error(ctx, s, row, COL_DATE, LG_INPUT, what,
				  "write it as YYYY-MM-DD (2023/7/1 and 2023年7月1日 are also "
				  "read) and check that the day exists");
	return LG_OK;
}

static int cmp_event(const void *a, const void *b)
{
	const lg_event *x = a, *y = b;
	int c = lg_id_cmp(x->parcel_id, y->parcel_id);
	if (c)
		return c;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static lg_status read_one(lg_ctx *ctx, lg_ledger *lg, const char *src, const char *file,
			  const lg_read_opts *opts, const vocab *ev, const vocab *res)
{
	lg_layer *l = NULL;
	sheet s = {0};
	lg_status st;
	if ((st = lg_layer_read(ctx, src, opts, &l)))
		return st;
	s.src = file;
	s.l = l;
	s.sheet_rows = l->driver && (lg__strieq(l->driver, "XLSX") || lg__strieq(l->driver, "ODS") ||
				     lg__strieq(l->driver, "XLS"));
	if ((st = map_columns(ctx, &s)))
		goto done;
	for (size_t i = s.header_in_data ? 1 : 0; i < l->n; i++) {
		const lg_feature *f = &l->feat[i];
		long row = s.sheet_rows ? (long)f->fid : (long)f->fid + 1;
		char pid[256];
		/* numbers come back in one shared buffer: keep a copy */
		snprintf(pid, sizeof pid, "%s", cell(&s, f, COL_PARCEL));
		const char *evt = cell(&s, f, COL_EVENT);
		const char *rst = cell(&s, f, COL_RESULT);
		lg_event e = {0};
		bool blank = !*pid && !*evt && !*cell(&s, f, COL_DATE);
		if (blank)
			continue; /* an empty row in a spreadsheet */
		if (!*pid) {
			st = cell_error(ctx, &s, row, COL_PARCEL, LG_INPUT, "the parcel id is empty",
					"fill it in or delete the row");
			goto done;
		}
		int k = vocab_find(ev, evt);
		if (k < 0) {
			char what[300];
			snprintf(what, sizeof what, "unknown event '%s'", evt);
			st = cell_error(ctx, &s, row, COL_EVENT, LG_CODE, what,
					"use one of allocate/划拨, transfer/出让, recover/收回, "
					"purchase/收购, change_use/变更用途, planning_permit/规划许可, "
					"construction_permit/施工许可, investigation/土壤污染状况调查, "
					"risk_assessment/风险评估, control/风险管控, remediation/修复, "
					"effect_assessment/效果评估, aftercare/后期管理 (or add the "
					"spelling to datasets/vocab/events.csv)");
			goto done;
		}
		e.kind = (lg_event_kind)k;
		e.result = LG_RES_NONE;
		if (*rst) {
			int r = vocab_find(res, rst);
			if (r < 0 || res_info[r].ev != e.kind) {
				char todo[512];
				lg_buf b;
				lg_buf_init(&b);
				for (int q = 1; q < LG_RES__COUNT; q++)
					if (res_info[q].ev == e.kind)
						lg_buf_printf(&b, "%s%s/%s", b.len ? ", " : "",
							      res_info[q].key, res_info[q].zh);
				snprintf(todo, sizeof todo,
					 "the result of %s (%s) is %s%s (or add the spelling to "
					 "datasets/vocab/results.csv)",
					 lg_event_name(e.kind), lg_event_zh(e.kind),
					 b.len ? "one of " : "empty", b.len ? b.s : "");
				lg_buf_release(&b);
				char what[300];
				snprintf(what, sizeof what,
					 r < 0 ? "unknown result '%s'" : "result '%s' does not fit the event",
					 rst);
				st = cell_error(ctx, &s, row, COL_RESULT, LG_CODE, what, todo);
				goto done;
			}
			e.result = (lg_event_result)r;
		}
		if ((st = read_date(ctx, &s, f, row, &e.date)))
			goto done;
		if ((st = lg__grow(ctx, (void **)&lg->ev, &lg->cap, lg->n + 1, sizeof *lg->ev)))
			goto done;
		e.parcel_id = lg__strdup(ctx, pid);
		e.note = lg__strdup(ctx, cell(&s, f, COL_NOTE));
		if (!e.parcel_id || !e.note) {
			free(e.parcel_id);
			free(e.note);
			st = LG_NOMEM;
			goto done;
		}
		e.file = file;
		e.row = row;
		e.seq = lg->n;
		lg->ev[lg->n++] = e;
	}
done:
	lg_layer_destroy(ctx, l);
	return st;
}

lg_status lg_ledger_read(lg_ctx *ctx, const char *const *sources, size_t n,
			 const lg_read_opts *opts, lg_ledger **out)
{
	vocab ev = {0}, res = {0};
	lg_ledger *lg = NULL;
	lg_status st;
	*out = NULL;
	if ((st = vocab_load(ctx, "events.csv", false, &ev)) ||
	    (st = vocab_load(ctx, "results.csv", true, &res)))
		goto done;
	if (!(lg = lg__calloc(ctx, 1, sizeof *lg)) ||
	    !(lg->files = lg__calloc(ctx, n + 1, sizeof *lg->files))) {
		st = LG_NOMEM;
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		if (!(lg->files[i] = lg__strdup(ctx, sources[i]))) {
			st = LG_NOMEM;
			goto done;
		}
		lg->nfiles++;
		if ((st = read_one(ctx, lg, sources[i], lg->files[i], opts, &ev, &res)))
			goto done;
	}
	if (lg->n > 1)
		lg__qsort(lg->ev, lg->n, sizeof *lg->ev, cmp_event);
	*out = lg;
	lg = NULL;
done:
	vocab_release(&ev);
	vocab_release(&res);
	lg_ledger_destroy(lg);
	return st;
}

void lg_ledger_destroy(lg_ledger *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->ev[i].parcel_id);
		free(l->ev[i].note);
	}
	free(l->ev);
	for (size_t i = 0; i < l->nfiles; i++)
		free(l->files[i]);
	free(l->files);
	free(l);
}

size_t lg_ledger_find(const lg_ledger *l, const char *parcel_id, size_t *first)
{
	size_t lo = 0, hi = l ? l->n : 0;
	*first = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (lg_id_cmp(l->ev[mid].parcel_id, parcel_id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t k = lo;
	while (k < (l ? l->n : 0) && !lg_id_cmp(l->ev[k].parcel_id, parcel_id))
		k++;
	*first = lo;
	return k - lo;
}
