/* ledger.xlsx with libxlsxwriter: the summary sheet first, one sheet per
 * rule family, the 清零台账 (monthly) or the quarterly change and count
 * sheets, and the overlay / riverbuf / gwzone tables when they ran.
 * Frozen header row, widths, m² and 亩 number formats, autofilter, and
 * rows coloured by severity through conditional formats (so a row a user
 * edits in Excel recolours itself). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xlsxwriter.h>

#include "report/report_int.h"

typedef struct xw {
	lg_ctx *ctx;
	const lg_report *r;
	lxw_workbook *wb;
	lxw_format *title, *head, *text, *wrap, *m2, *mu, *intf, *pct, *kv;
	lxw_format *sev[4]; /* notice, risk, violation, good: fills for conditional rows */
} xw;

static lxw_format *fmt(lxw_workbook *wb, bool wrap, bool border)
{
	lxw_format *f = workbook_add_format(wb);
	format_set_font_name(f, "等线");
	format_set_font_size(f, 10);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (wrap)
		format_set_text_wrap(f);
	if (border)
		format_set_border(f, LXW_BORDER_THIN);
	return f;
}

static void formats(xw *X)
{
	lxw_workbook *wb = X->wb;
	X->title = fmt(wb, false, false);
	format_set_bold(X->title);
	format_set_font_size(X->title, 14);
	X->head = fmt(wb, true, true);
	format_set_bold(X->head);
	format_set_font_color(X->head, LXW_COLOR_WHITE);
	format_set_bg_color(X->head, 0x37474F);
	format_set_align(X->head, LXW_ALIGN_CENTER);
	format_set_align(X->head, LXW_ALIGN_VERTICAL_CENTER);
	X->text = fmt(wb, false, true);
	X->wrap = fmt(wb, true, true);
	X->m2 = fmt(wb, false, true);
	format_set_num_format(X->m2, "#,##0.00");
	X->mu = fmt(wb, false, true);
	format_set_num_format(X->mu, "#,##0.00\" 亩\"");
	X->intf = fmt(wb, false, true);
	format_set_num_format(X->intf, "0");
	X->pct = fmt(wb, false, true);
	format_set_num_format(X->pct, "0.0%");
	X->kv = fmt(wb, false, true);
	format_set_bold(X->kv);
	format_set_bg_color(X->kv, 0xECEFF1);
	static const lxw_color_t bg[4] = {0xE3F0FB, 0xFFE6C7, 0xFFD7D7, 0xDCF1DC};
	static const lxw_color_t fg[4] = {0x0D47A1, 0x8A3B00, 0x8B0000, 0x1B5E20};
	for (int i = 0; i < 4; i++) {
		X->sev[i] = workbook_add_format(wb);
		format_set_bg_color(X->sev[i], bg[i]);
		format_set_font_color(X->sev[i], fg[i]);
	}
}

typedef struct col {
	const char *head;
	double width;
} col;

static lxw_worksheet *sheet(xw *X, const char *name, const col *cols, size_t n)
{
	lxw_worksheet *ws = workbook_add_worksheet(X->wb, name);
	if (!ws)
		return NULL;
	for (size_t c = 0; c < n; c++) {
		worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, cols[c].width, NULL);
		worksheet_write_string(ws, 0, (lxw_col_t)c, cols[c].head, X->head);
	}
	worksheet_set_row(ws, 0, 30, NULL);
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, 0, 0);
	return ws;
}

/* Whole rows coloured by the text in column `c` (Excel letters). */
static void colour_rows(xw *X, lxw_worksheet *ws, size_t nrows, size_t ncols, char c,
			const char *const words[4])
{
	if (!nrows)
		return;
	for (int i = 0; i < 4; i++) {
		char formula[128];
		if (!words[i])
			continue;
		snprintf(formula, sizeof formula, "=$%c2=\"%s\"", c, words[i]);
		lxw_conditional_format cf;
		memset(&cf, 0, sizeof cf);
		cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
		cf.value_string = formula;
		cf.format = X->sev[i];
		worksheet_conditional_format_range(ws, 1, 0, (lxw_row_t)nrows, (lxw_col_t)(ncols - 1),
						   &cf);
	}
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)nrows, (lxw_col_t)(ncols - 1));
}

static const char *const sev_words[4] = {"提示", "风险", "违规", NULL};

static const char *ftext(const lg_layer *l, size_t i, const char *field)
{
	int f = lg_layer_field(l, field);
	if (f < 0 || l->feat[i].vals[f].null)
		return "";
	return l->fields[f].type == LG_FT_STRING ? l->feat[i].vals[f].u.s
						 : lg_feature_text(l, &l->feat[i], f);
}

static double fnum(const lg_layer *l, size_t i, const char *field)
{
	int f = lg_layer_field(l, field);
	if (f < 0 || l->feat[i].vals[f].null)
		return 0;
	return l->fields[f].type == LG_FT_REAL  ? l->feat[i].vals[f].u.d
	       : l->fields[f].type == LG_FT_INT ? (double)l->feat[i].vals[f].u.i
						: atof(l->feat[i].vals[f].u.s);
}

static void family_sheet(xw *X, int fam, const char *name, const lg__apar **atlas_of)
{
	static const col cols[] = {{"序号", 6},      {"地块编号", 16}, {"地块名称", 22},
				   {"乡镇", 10},      {"规则", 8},      {"问题", 30},
				   {"严重程度", 9},   {"问题描述", 60}, {"证据", 48},
				   {"依据", 48},      {"整改建议", 36}, {"地块面积（m²）", 15},
				   {"地块面积（亩）", 14}};
	const lg_layer *F = X->r->findings;
	lxw_worksheet *ws = sheet(X, name, cols, LG_ARRAY_LEN(cols));
	lxw_row_t row = 1;
	if (!ws)
		return;
	for (size_t i = 0; i < F->n; i++) {
		if (lg__rule_family(ftext(F, i, "rule_id")) != fam)
			continue;
		const lg__apar *a = atlas_of[i];
		lg_severity s = LG_SEV_NOTICE;
		lg_severity_parse(ftext(F, i, "severity"), &s);
		worksheet_write_number(ws, row, 0, row, X->intf);
		worksheet_write_string(ws, row, 1, ftext(F, i, "parcel_id"), X->text);
		worksheet_write_string(ws, row, 2, a ? a->name : "", X->wrap);
		worksheet_write_string(ws, row, 3, a ? a->town : "", X->text);
		worksheet_write_string(ws, row, 4, ftext(F, i, "rule_id"), X->text);
		worksheet_write_string(ws, row, 5, ftext(F, i, "title"), X->wrap);
		worksheet_write_string(ws, row, 6, lg_severity_zh(s), X->text);
		worksheet_write_string(ws, row, 7, ftext(F, i, "message"), X->wrap);
		worksheet_write_string(ws, row, 8, ftext(F, i, "evidence"), X->wrap);
		worksheet_write_string(ws, row, 9, ftext(F, i, "basis"), X->wrap);
		worksheet_write_string(ws, row, 10, ftext(F, i, "next_step"), X->wrap);
		if (a && a->geom) {
			worksheet_write_number(ws, row, 11, a->area_m2, X->m2);
			worksheet_write_number(ws, row, 12, lg_m2_to_mu(a->area_m2), X->mu);
		} else {
			worksheet_write_blank(ws, row, 11, X->m2);
			worksheet_write_blank(ws, row, 12, X->mu);
		}
		row++;
	}
	colour_rows(X, ws, row - 1, LG_ARRAY_LEN(cols), 'G', sev_words);
}

static void summary_sheet(xw *X)
{
	const lg_report *r = X->r;
	const lg_report_job *j = r->job;
	lxw_worksheet *ws = workbook_add_worksheet(X->wb, "概况");
	char b[512], from[11], to[11];
	lxw_row_t row = 0;
	if (!ws)
		return;
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 14, NULL);
	worksheet_set_column(ws, 2, 5, 10, NULL);
	lg_date_format(j->from, from);
	lg_date_format(j->to, to);
	worksheet_write_string(ws, row++, 0,
			       j->title ? j->title
				: j->kind == LG_REPORT_MONTHLY ? "一住两公地块供地清零行动月报"
							       : "建设用地土壤污染风险管控季度调度分析",
			       X->title);
	snprintf(b, sizeof b, "%s %s — %s", j->kind == LG_REPORT_MONTHLY ? "统计期" : "季度",
		 from, to);
	worksheet_write_string(ws, row++, 0, b, NULL);
	snprintf(b, sizeof b, "%s　%s", j->office ? j->office : "", r->date);
	worksheet_write_string(ws, row++, 0, b, NULL);
	row++;
	worksheet_write_string(ws, row, 0, "项目", X->head);
	worksheet_write_string(ws, row++, 1, "数量", X->head);
	worksheet_freeze_panes(ws, row, 0);
	const lg_check_summary *cs = &r->csum;
	struct {
		const char *k;
		size_t v;
		int mark;
	} items[12];
	size_t n = 0;
	if (j->kind == LG_REPORT_MONTHLY) {
		items[n++] = (typeof(items[0])){"本期供应一住两公地块（宗）", r->sum.parcels_listed, -1};
		items[n++] = (typeof(items[0])){"未清零（宗）", r->sum.parcels_open, 2};
		items[n++] = (typeof(items[0])){"已清零（宗）", r->sum.parcels_listed - r->sum.parcels_open, 3};
	} else {
		items[n++] = (typeof(items[0])){"登记疑似/污染地块（宗）", cs->sites, -1};
		items[n++] = (typeof(items[0])){"检查供地地块（宗）", cs->parcels, -1};
		if (r->sum.compared) {
			items[n++] = (typeof(items[0])){"较上季度新增问题（条）", r->sum.changes[0], 2};
			items[n++] = (typeof(items[0])){"持续问题（条）", r->sum.changes[1], 1};
			items[n++] = (typeof(items[0])){"已整改问题（条）", r->sum.changes[2], 3};
		}
	}
	items[n++] = (typeof(items[0])){"问题合计（条）", cs->findings, -1};
	items[n++] = (typeof(items[0])){"其中违规", cs->by_severity[LG_SEV_VIOLATION], 2};
	items[n++] = (typeof(items[0])){"其中风险", cs->by_severity[LG_SEV_RISK], 1};
	items[n++] = (typeof(items[0])){"其中提示", cs->by_severity[LG_SEV_NOTICE], 0};
	items[n++] = (typeof(items[0])){"图集页数（宗地块）", r->natlas, -1};
	for (size_t i = 0; i < n; i++) {
		lxw_format *f = items[i].mark >= 0 && items[i].v ? X->sev[items[i].mark] : NULL;
		worksheet_write_string(ws, row, 0, items[i].k, X->kv);
		worksheet_write_number(ws, row, 1, (double)items[i].v, f ? f : X->intf);
		row++;
	}
	row++;
	static const char *const h[] = {"规则", "名称", "违规", "风险", "提示", "合计"};
	worksheet_set_column(ws, 1, 1, 50, NULL);
	for (int c = 0; c < 6; c++)
		worksheet_write_string(ws, row, (lxw_col_t)c, h[c], X->head);
	/* column A holds both the item labels and rule ids: keep it wide */
	row++;
	lxw_row_t first = row;
	for (size_t k = 0; k < LG_CHECK_NRULES; k++) {
		const char *id = lg_check_rule_id(k);
		const size_t *c = cs->count[k];
		worksheet_write_string(ws, row, 0, id, X->text);
		worksheet_write_string(ws, row, 1, lg_check_rule_title(r->tables, id), X->text);
		for (int s = 0; s < 3; s++)
			worksheet_write_number(ws, row, (lxw_col_t)(2 + s), (double)c[2 - s], X->intf);
		worksheet_write_number(ws, row, 5, (double)(c[0] + c[1] + c[2]), X->intf);
		row++;
	}
	/* non-zero violation / risk counts stand out */
	lxw_conditional_format cf;
	memset(&cf, 0, sizeof cf);
	cf.type = LXW_CONDITIONAL_TYPE_CELL;
	cf.criteria = LXW_CONDITIONAL_CRITERIA_GREATER_THAN;
	cf.value = 0;
	cf.format = X->sev[2];
	worksheet_conditional_format_range(ws, first, 2, row - 1, 2, &cf);
	cf.format = X->sev[1];
	worksheet_conditional_format_range(ws, first, 3, row - 1, 3, &cf);
}

static void qingling_sheet(xw *X)
{
	static const col cols[] = {{"序号", 6},        {"地块编号", 16},     {"地块名称", 22},
				   {"乡镇", 10},        {"规划用途", 26},     {"供地方式", 9},
				   {"供地日期", 11},    {"面积（m²）", 14},   {"面积（亩）", 13},
				   {"土壤污染状况调查", 24}, {"风险评估", 22}, {"风险管控/修复", 18},
				   {"效果评估", 18},    {"后期管理", 14},     {"问题", 40},
				   {"下一步", 34},      {"状态", 9}};
	const lg_report *r = X->r;
	lxw_worksheet *ws = sheet(X, "清零台账", cols, LG_ARRAY_LEN(cols));
	if (!ws)
		return;
	for (size_t i = 0; i < r->nq; i++) {
		const lg__qrow *q = &r->q[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_number(ws, row, 0, (double)(i + 1), X->intf);
		worksheet_write_string(ws, row, 1, q->parcel_id, X->text);
		worksheet_write_string(ws, row, 2, q->name, X->wrap);
		worksheet_write_string(ws, row, 3, q->town, X->text);
		worksheet_write_string(ws, row, 4, q->plan, X->wrap);
		worksheet_write_string(ws, row, 5, q->supply, X->text);
		worksheet_write_string(ws, row, 6, q->supply_date, X->text);
		worksheet_write_number(ws, row, 7, q->area_m2, X->m2);
		worksheet_write_number(ws, row, 8, lg_m2_to_mu(q->area_m2), X->mu);
		for (int s = 0; s < 5; s++)
			worksheet_write_string(ws, row, (lxw_col_t)(9 + s), q->step[s], X->wrap);
		worksheet_write_string(ws, row, 14, q->problem, X->wrap);
		worksheet_write_string(ws, row, 15, q->next_step, X->wrap);
		worksheet_write_string(ws, row, 16, q->open ? "未清零" : "已清零", X->text);
	}
	static const char *const words[4] = {NULL, NULL, "未清零", "已清零"};
	colour_rows(X, ws, r->nq, LG_ARRAY_LEN(cols), 'Q', words);
}

static void changes_sheet(xw *X)
{
	static const col cols[] = {{"序号", 6},   {"地块编号", 16}, {"规则", 8},  {"问题", 50},
				   {"上季度", 9}, {"本季度", 9},    {"变化", 9}};
	const lg_report *r = X->r;
	lxw_worksheet *ws = sheet(X, "季度变化", cols, LG_ARRAY_LEN(cols));
	if (!ws)
		return;
	for (size_t i = 0; i < r->ndiffs; i++) {
		const lg_report_diff *e = &r->diffs[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_number(ws, row, 0, (double)(i + 1), X->intf);
		worksheet_write_string(ws, row, 1, e->parcel_id, X->text);
		worksheet_write_string(ws, row, 2, e->rule_id, X->text);
		worksheet_write_string(ws, row, 3, e->title, X->wrap);
		worksheet_write_string(ws, row, 4, e->sev_prev >= 0 ? lg__sev_zh(e->sev_prev) : "—",
				       X->text);
		worksheet_write_string(ws, row, 5, e->sev_now >= 0 ? lg__sev_zh(e->sev_now) : "—",
				       X->text);
		worksheet_write_string(ws, row, 6, lg_report_change_zh(e->change), X->text);
	}
	static const char *const words[4] = {NULL, "持续", "新增", "已整改"};
	colour_rows(X, ws, r->ndiffs, LG_ARRAY_LEN(cols), 'G', words);
}

static void counts_sheet(xw *X)
{
	static const col cols[] = {{"乡镇", 16},     {"疑似污染地块", 12}, {"调查后非污染地块", 14},
				   {"污染地块", 10}, {"列入名录", 10},     {"风险管控/修复中", 14},
				   {"效果评估通过", 12}, {"移出名录", 10}, {"合计", 8},
				   {"登记地块面积（m²）", 18}, {"违规问题", 9}, {"风险问题", 9},
				   {"提示", 8}};
	const lg_report *r = X->r;
	lxw_worksheet *ws = sheet(X, "分类统计", cols, LG_ARRAY_LEN(cols));
	if (!ws)
		return;
	for (size_t i = 0; i < r->ntowns; i++) {
		const lg__count *c = &r->by_town[i];
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, row, 0, c->key, X->text);
		for (int s = 0; s <= LG_STAGE__COUNT; s++)
			worksheet_write_number(ws, row, (lxw_col_t)(1 + s), (double)c->n[s], X->intf);
		worksheet_write_number(ws, row, 9, c->area_m2, X->m2);
		worksheet_write_number(ws, row, 10, (double)c->sev[LG_SEV_VIOLATION], X->intf);
		worksheet_write_number(ws, row, 11, (double)c->sev[LG_SEV_RISK], X->intf);
		worksheet_write_number(ws, row, 12, (double)c->sev[LG_SEV_NOTICE], X->intf);
	}
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)r->ntowns, LG_ARRAY_LEN(cols) - 1);
}

static void overlay_sheet(xw *X)
{
	static const col cols[] = {{"登记地块", 16}, {"地块名称", 22}, {"阶段", 14},
				   {"规划图斑", 14}, {"规划用途代码", 12}, {"规划用途", 22},
				   {"一住两公", 9},  {"重叠面积（m²）", 15}, {"重叠面积（亩）", 14},
				   {"占地块比例", 11}, {"冲突", 8}};
	const lg_layer *O = X->r->overlay;
	lxw_worksheet *ws = sheet(X, "叠加分析", cols, LG_ARRAY_LEN(cols));
	if (!ws)
		return;
	for (size_t i = 0; i < O->n; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);
		lg_stage s;
		const char *sv = ftext(O, i, "site_stage");
		bool conflict = fnum(O, i, "conflict") != 0;
		worksheet_write_string(ws, row, 0, ftext(O, i, "site_id"), X->text);
		worksheet_write_string(ws, row, 1, ftext(O, i, "site_name"), X->wrap);
		worksheet_write_string(ws, row, 2, lg_stage_parse(sv, &s) ? lg_stage_zh(s) : sv, X->text);
		worksheet_write_string(ws, row, 3, ftext(O, i, "plan_id"), X->text);
		worksheet_write_string(ws, row, 4, ftext(O, i, "plan_code"), X->text);
		worksheet_write_string(ws, row, 5, ftext(O, i, "plan_name"), X->wrap);
		worksheet_write_string(ws, row, 6, fnum(O, i, "yzlg") != 0 ? "是" : "否", X->text);
		worksheet_write_number(ws, row, 7, fnum(O, i, "overlap_m2"), X->m2);
		worksheet_write_number(ws, row, 8, fnum(O, i, "overlap_mu"), X->mu);
		worksheet_write_number(ws, row, 9, fnum(O, i, "site_share"), X->pct);
		worksheet_write_string(ws, row, 10, conflict ? "冲突" : "", X->text);
	}
	static const char *const words[4] = {NULL, NULL, "冲突", NULL};
	colour_rows(X, ws, O->n, LG_ARRAY_LEN(cols), 'K', words);
}

static void riverbuf_sheet(xw *X)
{
	static const col cols[] = {{"图斑", 16}, {"地类代码", 10}, {"用途", 14}, {"建设用地", 9},
				   {"缓冲带（米）", 11}, {"水体", 12}, {"占用面积（m²）", 15},
				   {"占用面积（亩）", 14}, {"距管理范围线（m）", 15}, {"冲突", 8}};
	const lg_layer *R = X->r->rb_rows;
	lxw_worksheet *ws = sheet(X, "缓冲带", cols, LG_ARRAY_LEN(cols));
	if (!ws)
		return;
	for (size_t i = 0; i < R->n; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);
		bool conflict = fnum(R, i, "conflict") != 0;
		double m2 = fnum(R, i, "overlap_m2");
		worksheet_write_string(ws, row, 0, ftext(R, i, "parcel_id"), X->text);
		worksheet_write_string(ws, row, 1, ftext(R, i, "parcel_code"), X->text);
		worksheet_write_string(ws, row, 2, ftext(R, i, "use_class"), X->text);
		worksheet_write_string(ws, row, 3, fnum(R, i, "construction") != 0 ? "是" : "否", X->text);
		worksheet_write_string(ws, row, 4, ftext(R, i, "band"), X->text);
		worksheet_write_string(ws, row, 5, ftext(R, i, "water_name"), X->text);
		worksheet_write_number(ws, row, 6, m2, X->m2);
		worksheet_write_number(ws, row, 7, lg_m2_to_mu(m2), X->mu);
		worksheet_write_number(ws, row, 8, fnum(R, i, "min_dist_m"), X->m2);
		worksheet_write_string(ws, row, 9, conflict ? "冲突" : "", X->text);
	}
	static const char *const words[4] = {NULL, NULL, "冲突", NULL};
	colour_rows(X, ws, R->n, LG_ARRAY_LEN(cols), 'J', words);
}

static void gwzone_sheet(xw *X)
{
	static const col cols[] = {{"污染源", 12}, {"名称", 26},  {"类型", 16},     {"保护区", 12},
				   {"最近水源井", 11}, {"距离（m）", 11}, {"依据", 50}};
	const lg_layer *H = X->r->hits;
	lxw_worksheet *ws = sheet(X, "水源保护区", cols, LG_ARRAY_LEN(cols));
	if (!ws)
		return;
	for (size_t i = 0; H && i < H->n; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);
		worksheet_write_string(ws, row, 0, ftext(H, i, "source_id"), X->text);
		worksheet_write_string(ws, row, 1, ftext(H, i, "source_name"), X->wrap);
		worksheet_write_string(ws, row, 2, ftext(H, i, "type_zh"), X->text);
		worksheet_write_string(ws, row, 3, ftext(H, i, "level_zh"), X->text);
		worksheet_write_string(ws, row, 4, ftext(H, i, "well_id"), X->text);
		worksheet_write_number(ws, row, 5, fnum(H, i, "dist_m"), X->m2);
		worksheet_write_string(ws, row, 6, ftext(H, i, "basis"), X->wrap);
	}
	static const char *const words[4] = {"准保护区", "二级保护区", "一级保护区", NULL};
	colour_rows(X, ws, H ? H->n : 0, LG_ARRAY_LEN(cols), 'D', words);
}

/* 地下水质量: every monitoring point, its class, worst indicator and
 * whether it meets its target (GB/T 14848-2017). */
static void gwquality_sheet(xw *X)
{
	static const col cols[] = {{"点位", 10},     {"名称", 24},     {"饮用水", 8},
				   {"水质类别", 9},  {"目标", 7},      {"达标", 7},
				   {"最差指标", 14}, {"最差指标值", 12}, {"测项数", 8}};
	const lg_layer *G = X->r->gwq;
	lxw_worksheet *ws = sheet(X, "地下水质量", cols, LG_ARRAY_LEN(cols));
	if (!ws)
		return;
	for (size_t i = 0; i < G->n; i++) {
		lxw_row_t row = (lxw_row_t)(i + 1);
		bool meets = !strcmp(ftext(G, i, "meets_target"), "1");
		worksheet_write_string(ws, row, 0, ftext(G, i, "point_id"), X->text);
		worksheet_write_string(ws, row, 1, ftext(G, i, "name"), X->wrap);
		worksheet_write_string(ws, row, 2, !strcmp(ftext(G, i, "drinking"), "1") ? "是" : "否",
				       X->text);
		worksheet_write_string(ws, row, 3, ftext(G, i, "class"), X->text);
		worksheet_write_string(ws, row, 4, ftext(G, i, "target"), X->text);
		worksheet_write_string(ws, row, 5, meets ? "达标" : "未达标", X->text);
		worksheet_write_string(ws, row, 6, ftext(G, i, "worst_item"), X->text);
		worksheet_write_string(ws, row, 7, ftext(G, i, "worst_value"), X->text);
		worksheet_write_number(ws, row, 8, fnum(G, i, "nmeasured"), X->text);
	}
	static const char *const words[4] = {NULL, NULL, "未达标", NULL};
	colour_rows(X, ws, G->n, LG_ARRAY_LEN(cols), 'F', words);
}

lg_status lg__xlsx_write(lg_ctx *ctx, const lg_report *r, const char *path)
{
	xw X = {0};
	const lg__apar **atlas_of = NULL;
	lxw_workbook_options wo = {0};
	lxw_doc_properties props = {0};
	char title[256];
	int y, m, d;
	struct tm tmv = {0};

	X.ctx = ctx;
	X.r = r;
	if (!(atlas_of = lg__calloc(ctx, r->findings->n + 1, sizeof *atlas_of)))
		return LG_NOMEM;
	for (size_t a = 0; a < r->natlas; a++)
		for (size_t k = 0; k < r->atlas[a].n; k++)
			atlas_of[r->atlas[a].first + k] = &r->atlas[a];
	wo.constant_memory = LXW_FALSE;
	wo.tmpdir = NULL;
	if (!(X.wb = workbook_new_opt(path, &wo))) {
		free(atlas_of);
		return lg_ctx_error(ctx, LG_WRITE, "cannot write '%s'", path);
	}
	/* the workbook's dates are the report date, so a given --date gives
	 * the same file */
	if (sscanf(r->date, "%d-%d-%d", &y, &m, &d) == 3) {
		tmv.tm_year = y - 1900;
		tmv.tm_mon = m - 1;
		tmv.tm_mday = d;
		props.created = timegm(&tmv);
	}
	snprintf(title, sizeof title, "%s", r->job->title ? r->job->title : "landguard 台账");
	props.title = title;
	props.author = r->job->office ? r->job->office : "";
	props.comments = "landguard " LG_VERSION;
	workbook_set_properties(X.wb, &props);
	formats(&X);
	summary_sheet(&X);
	if (r->job->kind == LG_REPORT_MONTHLY)
		qingling_sheet(&X);
	else {
		changes_sheet(&X);
		counts_sheet(&X);
	}
	static const char *const fam[] = {"一住两公", "复垦", "重点单位", "数据缺陷"};
	for (int k = 0; k < 4; k++)
		family_sheet(&X, k, fam[k], atlas_of);
	if (r->overlay)
		overlay_sheet(&X);
	if (r->rb_rows)
		riverbuf_sheet(&X);
	if (r->zones)
		gwzone_sheet(&X);
	if (r->gwq)
		gwquality_sheet(&X);
	free(atlas_of);
	lxw_error e = workbook_close(X.wb);
	if (e)
		return lg_ctx_error(ctx, LG_WRITE, "cannot write '%s': %s", path, lxw_strerror(e));
	return LG_OK;
}
