/* The report as a document: sections, key figures, tables, maps and the
 * atlas, in the order a bureau reads them.  HTML and PDF draw this same
 * document, so they carry the same content. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report_int.h"

static const char *const cn_num[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
				     "十一", "十二"};

typedef struct composer {
	lg_ctx *ctx;
	const lg_report *r;
	lg__doc *d;
	int section;
	lg_status st;
} composer;

#define TRY(x)                                                                 \
	do {                                                                   \
		if (!C->st && (x))                                             \
			C->st = LG_NOMEM;                                      \
	} while (0)

static void h1(composer *C, const char *text, const char *anchor)
{
	lg__block *b = lg__doc_add(C->ctx, C->d, LG_DOC_H1, "%s、%s", cn_num[C->section++ % 12],
				   text);
	if (!b) {
		C->st = LG_NOMEM;
		return;
	}
	if (anchor && !(b->anchor = lg__strdup(C->ctx, anchor)))
		C->st = LG_NOMEM;
}

static lg__block *para(composer *C, lg__doc_kind kind, const char *text)
{
	lg__block *b = lg__doc_add(C->ctx, C->d, kind, "%s", text);
	if (!b)
		C->st = LG_NOMEM;
	return b;
}

static lg__table *table(composer *C, size_t n, const char *const *head, const double *w)
{
	lg__table *t = lg__doc_table(C->ctx, C->d, n, head, w);
	if (!t)
		C->st = LG_NOMEM;
	return t;
}

static void cell(composer *C, lg__table *t, const char *text, int mark)
{
	if (!C->st && t)
		C->st = lg__table_cell(C->ctx, t, text, mark, false);
}

static void num(composer *C, lg__table *t, const char *text)
{
	if (!C->st && t)
		C->st = lg__table_cell(C->ctx, t, text, LG_MARK_NONE, true);
}

static void numz(composer *C, lg__table *t, size_t v, int mark_if_nonzero)
{
	char b[32];
	snprintf(b, sizeof b, "%zu", v);
	if (!C->st && t)
		C->st = lg__table_cell(C->ctx, t, b, v ? mark_if_nonzero : LG_MARK_NONE, true);
}

static void area_cells(composer *C, lg__table *t, double m2)
{
	char b[64];
	lg__fmt_m2(b, sizeof b, m2);
	num(C, t, b);
	lg__fmt_mu(b, sizeof b, m2);
	num(C, t, b);
}

static void fig(composer *C, lg__block *b, const char *label, size_t v, int mark)
{
	char s[32];
	snprintf(s, sizeof s, "%zu", v);
	if (!C->st && b)
		C->st = lg__doc_fig(C->ctx, b, label, s, v ? mark : LG_MARK_NONE);
}

static const char *ftext(const lg_layer *l, size_t i, const char *field)
{
	int f = lg_layer_field(l, field);
	if (f < 0 || l->feat[i].vals[f].null)
		return "";
	return l->fields[f].type == LG_FT_STRING ? l->feat[i].vals[f].u.s
						 : lg_feature_text(l, &l->feat[i], f);
}

static int fsev(const lg_layer *l, size_t i)
{
	lg_severity s = LG_SEV_NOTICE;
	lg_severity_parse(ftext(l, i, "severity"), &s);
	return (int)s;
}

/* --- rule families --------------------------------------------------------- */

typedef struct family {
	const char *name, *rules, *what;
} family;

static const family families[] = {
	{"一住两公", "YZ-01 YZ-02 YZ-03 YZ-04 YZ-05 YZ-06 YZ-07", "YZ-01—YZ-07"},
	{"复垦", "YZ-08", "YZ-08"},
	{"重点单位", "YZ-09", "YZ-09"},
	{"数据缺陷", "YZ-10", "YZ-10"},
};

int lg__rule_family(const char *rule_id)
{
	for (size_t k = 0; k < LG_ARRAY_LEN(families); k++)
		if (*rule_id && strstr(families[k].rules, rule_id))
			return (int)k;
	return 0;
}

/* --- the rules' legal bases (datasets/rules/rules.csv, case "*") ------------ */

static void rule_basis(lg_ctx *ctx, const char *rule, char *out, size_t n, int *sev)
{
	char path[4096], line[8192];
	out[0] = 0;
	snprintf(path, sizeof path, "%s/rules/rules.csv", lg_ctx_datadir(ctx));
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		/* rule_id,case,severity,title,message,evidence,basis,next_step */
		char *col[8] = {0};
		int nc = 0;
		char *p = line;
		while (nc < 8) {
			col[nc++] = p;
			char *c = strchr(p, ',');
			if (!c)
				break;
			*c = 0;
			p = c + 1;
		}
		if (nc >= 7 && !strcmp(col[0], rule) && !strcmp(col[1], "*")) {
			lg_severity s;
			snprintf(out, n, "%s", col[6]);
			if (lg_severity_parse(col[2], &s))
				*sev = (int)s;
			break;
		}
	}
	fclose(f);
}

/* --- sections ------------------------------------------------------------------- */

static void findings_tables(composer *C)
{
	const lg_report *r = C->r;
	const lg_layer *F = r->findings;
	static const char *const head[] = {"序号", "地块编号", "规则", "程度", "问题描述", "证据"};
	static const double w[] = {4, 14, 6.5, 5, 39, 31};
	h1(C, "问题清单", "findings");
	para(C, LG_DOC_P, "按规则类别列出本次检查发现的全部问题；每条问题的依据见“方法与依据”，"
			  "整改建议见图集中各地块页。");
	for (size_t k = 0; k < LG_ARRAY_LEN(families); k++) {
		size_t n = 0;
		for (size_t i = 0; i < F->n; i++)
			n += lg__rule_family(ftext(F, i, "rule_id")) == (int)k;
		lg__block *b = lg__doc_add(C->ctx, C->d, LG_DOC_H2, "%s（%s）：%zu 条", families[k].name,
					   families[k].what, n);
		if (!b) {
			C->st = LG_NOMEM;
			return;
		}
		if (!n) {
			para(C, LG_DOC_NOTE, "本类无问题。");
			continue;
		}
		lg__table *t = table(C, 6, head, w);
		size_t seq = 0;
		for (size_t i = 0; i < F->n && !C->st; i++) {
			if (lg__rule_family(ftext(F, i, "rule_id")) != (int)k)
				continue;
			int s = fsev(F, i);
			numz(C, t, ++seq, LG_MARK_NONE);
			cell(C, t, ftext(F, i, "parcel_id"), LG_MARK_NONE);
			cell(C, t, ftext(F, i, "rule_id"), LG_MARK_NONE);
			cell(C, t, lg__sev_zh(s), s);
			cell(C, t, ftext(F, i, "message"), LG_MARK_NONE);
			cell(C, t, ftext(F, i, "evidence"), LG_MARK_NONE);
		}
	}
}

static void qingling(composer *C)
{
	const lg_report *r = C->r;
	static const char *const h[] = {"序号", "地块编号", "地块名称", "乡镇", "规划用途", "供地",
					"面积（m²）", "面积（亩）", "状态"};
	static const double w[] = {4, 14, 14, 8, 17, 12, 11, 8, 7};
	static const char *const h2[] = {"地块编号", "土壤污染状况调查", "风险评估", "风险管控/修复",
					 "效果评估", "后期管理", "问题", "下一步"};
	static const double w2[] = {14, 13, 12, 10, 10, 9, 17, 15};
	h1(C, "清零台账", "qingling");
	if (!r->nq) {
		para(C, LG_DOC_P, "本期无划拨、出让为一住两公用途的国有建设用地。");
		return;
	}
	para(C, LG_DOC_P, "本期以划拨、出让方式供应为一住两公用途（住宅、公共管理与公共服务用地）"
			  "的国有建设用地逐宗列出；缺少供地前应完成的调查、评估、管控修复步骤的地块"
			  "为“未清零”，须整改至清零。");
	lg__table *t = table(C, 9, h, w);
	double total = 0;
	for (size_t i = 0; i < r->nq && !C->st; i++) {
		const lg__qrow *q = &r->q[i];
		char sup[64];
		snprintf(sup, sizeof sup, "%s %s", q->supply, q->supply_date);
		numz(C, t, i + 1, LG_MARK_NONE);
		cell(C, t, q->parcel_id, LG_MARK_NONE);
		cell(C, t, q->name, LG_MARK_NONE);
		cell(C, t, q->town, LG_MARK_NONE);
		cell(C, t, q->plan, LG_MARK_NONE);
		cell(C, t, sup, LG_MARK_NONE);
		area_cells(C, t, q->area_m2);
		cell(C, t, q->open ? "未清零" : "已清零", q->open ? LG_SEV_VIOLATION : LG_MARK_GOOD);
		total += q->area_m2;
	}
	/* total row */
	cell(C, t, "", LG_MARK_NONE);
	cell(C, t, "合计", LG_MARK_NONE);
	char b[64];
	snprintf(b, sizeof b, "%zu 宗", r->nq);
	cell(C, t, b, LG_MARK_NONE);
	for (int k = 0; k < 3; k++)
		cell(C, t, "", LG_MARK_NONE);
	area_cells(C, t, total);
	snprintf(b, sizeof b, "未清零 %zu", r->sum.parcels_open);
	cell(C, t, b, r->sum.parcels_open ? LG_SEV_VIOLATION : LG_MARK_GOOD);

	lg__doc_add(C->ctx, C->d, LG_DOC_H2, "各地块土壤污染防治步骤");
	t = table(C, 8, h2, w2);
	for (size_t i = 0; i < r->nq && !C->st; i++) {
		const lg__qrow *q = &r->q[i];
		cell(C, t, q->parcel_id, LG_MARK_NONE);
		for (int s = 0; s < 5; s++)
			cell(C, t, q->step[s], LG_MARK_NONE);
		cell(C, t, q->problem, q->open ? LG_SEV_VIOLATION : LG_MARK_NONE);
		cell(C, t, q->next_step, LG_MARK_NONE);
	}
	para(C, LG_DOC_NOTE, "步骤取自事项台账（日期与结论）；“无”表示台账中没有该步骤的记录。"
			     "原用途已为一住两公的地块不属于用途变更，免于变更前调查。");
}

static void changes(composer *C)
{
	const lg_report *r = C->r;
	h1(C, "季度变化", "changes");
	if (!r->sum.compared) {
		para(C, LG_DOC_P, "未提供上一季度的运行结果（[job] previous），本报告不作季度比较。"
				  "本次运行的 findings.csv 已保存在输出目录，可作为下一季度的比较基准。");
		return;
	}
	char b[512];
	snprintf(b, sizeof b, "与上一季度运行结果（%s）按“地块编号 + 规则”逐条比较："
		 "新增 %zu 条，持续 %zu 条，已整改 %zu 条。", r->prev_name, r->sum.changes[0],
		 r->sum.changes[1], r->sum.changes[2]);
	para(C, LG_DOC_P, b);
	/* by rule */
	static const char *const hr[] = {"规则", "名称", "新增", "持续", "已整改"};
	static const double wr[] = {8, 50, 8, 8, 8};
	lg__doc_add(C->ctx, C->d, LG_DOC_H2, "按规则");
	lg__table *t = table(C, 5, hr, wr);
	for (size_t k = 0; k < LG_CHECK_NRULES && !C->st; k++) {
		const char *id = lg_check_rule_id(k);
		size_t n[3] = {0};
		for (size_t i = 0; i < r->ndiffs; i++)
			if (!strcmp(r->diffs[i].rule_id, id))
				n[r->diffs[i].change]++;
		if (!n[0] && !n[1] && !n[2])
			continue;
		cell(C, t, id, LG_MARK_NONE);
		cell(C, t, lg_check_rule_title(r->tables, id), LG_MARK_NONE);
		numz(C, t, n[0], LG_SEV_VIOLATION);
		numz(C, t, n[1], LG_SEV_RISK);
		numz(C, t, n[2], LG_MARK_GOOD);
	}
	static const char *const h[] = {"序号", "地块编号", "规则", "问题", "上季度", "本季度", "变化"};
	static const double w[] = {4, 13, 7, 40, 7, 7, 8};
	for (int c = 0; c < 3 && !C->st; c++) {
		static const char *const titles[] = {"新增问题", "持续问题（上季度已有，尚未整改）",
						     "已整改问题（上季度有，本季度未再发现）"};
		if (!r->sum.changes[c])
			continue;
		lg__doc_add(C->ctx, C->d, LG_DOC_H2, "%s：%zu 条", titles[c], r->sum.changes[c]);
		t = table(C, 7, h, w);
		size_t seq = 0;
		for (size_t i = 0; i < r->ndiffs && !C->st; i++) {
			const lg_report_diff *e = &r->diffs[i];
			if ((int)e->change != c)
				continue;
			numz(C, t, ++seq, LG_MARK_NONE);
			cell(C, t, e->parcel_id, LG_MARK_NONE);
			cell(C, t, e->rule_id, LG_MARK_NONE);
			cell(C, t, e->title, LG_MARK_NONE);
			cell(C, t, e->sev_prev >= 0 ? lg__sev_zh(e->sev_prev) : "—", e->sev_prev);
			cell(C, t, e->sev_now >= 0 ? lg__sev_zh(e->sev_now) : "—", e->sev_now);
			cell(C, t, lg_report_change_zh(e->change),
			     c == LG_CHANGE_NEW ? LG_SEV_VIOLATION
			     : c == LG_CHANGE_RESOLVED ? LG_MARK_GOOD : LG_SEV_RISK);
		}
	}
}

static void counts(composer *C)
{
	const lg_report *r = C->r;
	h1(C, "分类统计", "counts");
	if (r->sites) {
		static const char *const h[] = {"阶段", "地块数", "面积（m²）", "面积（亩）"};
		static const double w[] = {30, 12, 18, 14};
		lg__doc_add(C->ctx, C->d, LG_DOC_H2, "疑似污染地块和污染地块：按阶段");
		lg__table *t = table(C, 4, h, w);
		size_t n = 0;
		double a = 0;
		for (int s = 0; s < LG_STAGE__COUNT && !C->st; s++) {
			cell(C, t, lg_stage_zh((lg_stage)s), LG_MARK_NONE);
			numz(C, t, r->stage_n[s], LG_MARK_NONE);
			area_cells(C, t, r->stage_m2[s]);
			n += r->stage_n[s];
			a += r->stage_m2[s];
		}
		cell(C, t, "合计", LG_MARK_NONE);
		numz(C, t, n, LG_MARK_NONE);
		area_cells(C, t, a);
	}
	{
		static const char *const h[] = {"乡镇", "疑似", "调查后非污染", "污染", "名录",
						"管控修复中", "评估通过", "移出名录", "合计", "违规",
						"风险", "提示"};
		static const double w[] = {16, 6, 9, 6, 6, 8, 8, 8, 6, 6, 6, 6};
		lg__doc_add(C->ctx, C->d, LG_DOC_H2, "按乡镇（地块数与问题数）");
		lg__table *t = table(C, 12, h, w);
		for (size_t i = 0; i < r->ntowns && !C->st; i++) {
			const lg__count *c = &r->by_town[i];
			cell(C, t, c->key, LG_MARK_NONE);
			for (int s = 0; s <= LG_STAGE__COUNT; s++)
				numz(C, t, c->n[s], LG_MARK_NONE);
			numz(C, t, c->sev[LG_SEV_VIOLATION], LG_SEV_VIOLATION);
			numz(C, t, c->sev[LG_SEV_RISK], LG_SEV_RISK);
			numz(C, t, c->sev[LG_SEV_NOTICE], LG_MARK_NONE);
		}
		para(C, LG_DOC_NOTE, "乡镇取自地块的乡镇字段，无该字段时按乡镇界线判定；问题数按问题所在"
				     "地块的乡镇计。");
	}
}

static void by_rule(composer *C)
{
	const lg_report *r = C->r;
	static const char *const h[] = {"规则", "名称", "违规", "风险", "提示", "合计"};
	static const double w[] = {8, 52, 7, 7, 7, 7};
	lg__doc_add(C->ctx, C->d, LG_DOC_H2, "按规则");
	lg__table *t = table(C, 6, h, w);
	for (size_t k = 0; k < LG_CHECK_NRULES && !C->st; k++) {
		const char *id = lg_check_rule_id(k);
		const size_t *c = r->csum.count[k];
		cell(C, t, id, LG_MARK_NONE);
		cell(C, t, lg_check_rule_title(r->tables, id), LG_MARK_NONE);
		numz(C, t, c[LG_SEV_VIOLATION], LG_SEV_VIOLATION);
		numz(C, t, c[LG_SEV_RISK], LG_SEV_RISK);
		numz(C, t, c[LG_SEV_NOTICE], LG_MARK_NONE);
		numz(C, t, c[0] + c[1] + c[2], LG_MARK_NONE);
	}
}

static void gwquality(composer *C);

static void topics(composer *C)
{
	const lg_report *r = C->r;
	char b[1024];
	if (!r->overlay && !r->rb_rows && !r->zones && !r->gwq)
		return;
	h1(C, "专题分析", "topics");
	if (r->overlay) {
		lg__doc_add(C->ctx, C->d, LG_DOC_H2, "疑似/污染地块与国土空间规划叠加");
		snprintf(b, sizeof b, "登记地块 %zu 宗与规划图斑叠加，%zu 宗有重叠；其中 %zu 宗与一住两公"
			 "规划用地冲突（地块未调查为非污染或未移出名录）。",
			 r->osum.sites, r->osum.sites_overlapping, r->osum.conflict_sites);
		para(C, LG_DOC_P, b);
		static const char *const h[] = {"登记地块", "名称", "阶段", "规划用途", "重叠（m²）",
						"重叠（亩）", "占地块"};
		static const double w[] = {13, 18, 12, 22, 11, 9, 7};
		lg__table *t = NULL;
		const lg_layer *O = r->overlay;
		for (size_t i = 0; i < O->n && !C->st; i++) {
			if (strcmp(ftext(O, i, "conflict"), "1"))
				continue;
			if (!t)
				t = table(C, 7, h, w);
			char use[256], sh[32];
			snprintf(use, sizeof use, "%s %s", ftext(O, i, "plan_code"), ftext(O, i, "plan_name"));
			cell(C, t, ftext(O, i, "site_id"), LG_MARK_NONE);
			cell(C, t, ftext(O, i, "site_name"), LG_MARK_NONE);
			lg_stage s;
			const char *sv = ftext(O, i, "site_stage");
			cell(C, t, lg_stage_parse(sv, &s) ? lg_stage_zh(s) : sv, LG_MARK_NONE);
			cell(C, t, use, LG_SEV_VIOLATION);
			int fa = lg_layer_field(O, "overlap_m2"), fs = lg_layer_field(O, "site_share");
			area_cells(C, t, fa >= 0 ? O->feat[i].vals[fa].u.d : 0);
			snprintf(sh, sizeof sh, "%.1f%%", fs >= 0 ? O->feat[i].vals[fs].u.d * 100 : 0);
			num(C, t, sh);
		}
	}
	if (r->rb_rows) {
		const lg_riverbuf_summary *s = &r->rbsum;
		lg__doc_add(C->ctx, C->d, LG_DOC_H2, "河库生态缓冲带");
		snprintf(b, sizeof b, "管理范围线外 0—%g 米和 %g—%g 米缓冲带内共有地类图斑 %zu 宗，"
			 "其中建设用地占用 %zu 宗。", r->job->inner_m, r->job->inner_m,
			 r->job->outer_m, s->parcels_in_bands, s->conflict_parcels);
		para(C, LG_DOC_P, b);
		char h3[64], h4[64], h5[64], h6[64];
		snprintf(h3, sizeof h3, "0—%g 米带（m²）", r->job->inner_m);
		snprintf(h4, sizeof h4, "其中建设用地（m²）");
		snprintf(h5, sizeof h5, "%g—%g 米带（m²）", r->job->inner_m, r->job->outer_m);
		snprintf(h6, sizeof h6, "其中建设用地（m²）");
		const char *h[] = {"水体", h3, h4, h5, h6, "冲突（亩）"};
		static const double w[] = {16, 15, 15, 15, 15, 10};
		lg__table *t = table(C, 6, h, w);
		for (size_t i = 0; i < s->nwaters && !C->st; i++) {
			const lg_riverbuf_water *wt = &s->waters[i];
			cell(C, t, wt->name, LG_MARK_NONE);
			lg__fmt_m2(b, sizeof b, wt->band_m2[0]);
			num(C, t, b);
			lg__fmt_m2(b, sizeof b, wt->conflict_m2[0]);
			cell(C, t, b, wt->conflict_m2[0] > 0 ? LG_SEV_VIOLATION : LG_MARK_NONE);
			t->cells[t->nfill - 1].num = true;
			lg__fmt_m2(b, sizeof b, wt->band_m2[1]);
			num(C, t, b);
			lg__fmt_m2(b, sizeof b, wt->conflict_m2[1]);
			cell(C, t, b, wt->conflict_m2[1] > 0 ? LG_SEV_RISK : LG_MARK_NONE);
			t->cells[t->nfill - 1].num = true;
			lg__fmt_mu(b, sizeof b, wt->conflict_m2[0] + wt->conflict_m2[1]);
			num(C, t, b);
		}
	}
	if (r->zones) {
		lg__doc_add(C->ctx, C->d, LG_DOC_H2, "饮用水水源保护区");
		snprintf(b, sizeof b, "按 HJ 338-2018 由 %zu 眼水源井划定保护区：一级 %zu 块、二级 %zu 块、"
			 "准保护区 %zu 块；保护区内污染源 %zu 处（一级 %zu、二级 %zu、准保护区 %zu）。",
			 r->zones->nwells, r->zones->nparts[0], r->zones->nparts[1], r->zones->nparts[2],
			 r->sum.gw_hits, r->hsum.hits[0], r->hsum.hits[1], r->hsum.hits[2]);
		para(C, LG_DOC_P, b);
		if (r->hits && r->hits->n) {
			static const char *const h[] = {"污染源", "名称", "类型", "保护区", "最近水源井",
							"距离（m）"};
			static const double w[] = {12, 26, 16, 14, 12, 10};
			lg__table *t = table(C, 6, h, w);
			const lg_layer *H = r->hits;
			for (size_t i = 0; i < H->n && !C->st; i++) {
				const char *lv = ftext(H, i, "level");
				cell(C, t, ftext(H, i, "source_id"), LG_MARK_NONE);
				cell(C, t, ftext(H, i, "source_name"), LG_MARK_NONE);
				cell(C, t, ftext(H, i, "type_zh"), LG_MARK_NONE);
				cell(C, t, ftext(H, i, "level_zh"),
				     !strcmp(lv, "I") ? LG_SEV_VIOLATION : LG_SEV_RISK);
				cell(C, t, ftext(H, i, "well_id"), LG_MARK_NONE);
				int fd = lg_layer_field(H, "dist_m");
				snprintf(b, sizeof b, "%.1f", fd >= 0 ? H->feat[i].vals[fd].u.d : 0);
				num(C, t, b);
			}
		}
	}
	gwquality(C);
}

/* 地下水质量: classes I-V of the monitoring points (GB/T 14848-2017) and the
 * points that miss their target, with the indicator that sets their class. */
static void gwquality(composer *C)
{
	const lg_report *r = C->r;
	const lg_gwquality_summary *s = &r->gwqsum;
	const lg_layer *G = r->gwq;
	char b[1024];
	if (!G)
		return;
	lg__doc_add(C->ctx, C->d, LG_DOC_H2, "地下水质量");
	snprintf(b, sizeof b, "地下水监测点 %zu 个，按 GB/T 14848-2017 逐项评价、取最差指标定类："
		 "Ⅰ类 %zu 个、Ⅱ类 %zu 个、Ⅲ类 %zu 个、Ⅳ类 %zu 个、Ⅴ类 %zu 个%s；"
		 "未达到目标（饮用水水源点Ⅲ类及以上，其他点位不劣于Ⅴ类）的 %zu 个。",
		 s->samples, s->by_class[1], s->by_class[2], s->by_class[3], s->by_class[4],
		 s->by_class[5], s->by_class[0] ? "（另有未检测点位）" : "", s->failing);
	para(C, LG_DOC_P, b);
	static const char *const hc[] = {"水质类别", "Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "未达目标"};
	static const double wc[] = {16, 12, 12, 12, 12, 12, 14};
	lg__table *tc = table(C, 7, hc, wc);
	cell(C, tc, "点位数", LG_MARK_NONE);
	for (int k = 1; k <= 5; k++)
		numz(C, tc, s->by_class[k], LG_MARK_NONE);
	numz(C, tc, s->failing, LG_SEV_VIOLATION);
	if (!s->failing)
		return;
	static const char *const h[] = {"点位", "名称", "水质类别", "目标", "最差指标", "数值"};
	static const double w[] = {12, 26, 10, 10, 18, 14};
	lg__table *t = table(C, 6, h, w);
	for (size_t i = 0; i < G->n && !C->st; i++) {
		if (!strcmp(ftext(G, i, "meets_target"), "1"))
			continue;
		cell(C, t, ftext(G, i, "point_id"), LG_MARK_NONE);
		cell(C, t, ftext(G, i, "name"), LG_MARK_NONE);
		cell(C, t, ftext(G, i, "class"), LG_SEV_VIOLATION);
		cell(C, t, ftext(G, i, "target"), LG_MARK_NONE);
		cell(C, t, ftext(G, i, "worst_item"), LG_MARK_NONE);
		num(C, t, ftext(G, i, "worst_value"));
	}
}

static void maps_section(composer *C)
{
	const lg_report *r = C->r;
	/* the overview is in the summary; the thematic maps come here */
	if (r->nmaps < 2)
		return;
	h1(C, "专题地图", "maps");
	for (size_t i = 1; i < r->nmaps && !C->st; i++) {
		char cap[512];
		snprintf(cap, sizeof cap, "图%zu  %s", i + 1, r->map_titles[i]);
		C->st = lg__doc_image(C->ctx, C->d, r->maps[i], 180, cap);
	}
}

static void method(composer *C)
{
	const lg_report *r = C->r;
	const lg_report_job *j = r->job;
	char b[2048];
	h1(C, "方法与依据", "method");
	snprintf(b, sizeof b,
		 "本报告由 landguard %s 按任务文件 %s 生成。地块按规则 YZ-01—YZ-10 逐宗检查"
		 "（《中华人民共和国土壤污染防治法》第五十九、六十六、六十七条，《污染地块土壤环境管理办法"
		 "（试行）》，县2023年土壤污染防治工作方案）：规划用途为住宅、公共管理与公共服务用地"
		 "（一住两公）的地块，供地和许可前须完成土壤污染状况调查，污染的须完成风险评估及管控修复；"
		 "名录内地块不得规划、供应为一住两公；邻近风险未管控污染地块 %g 米内的一住两公用地最后开发。"
		 "面积为工作坐标系（%s）下的平面面积，1 亩 = 10000/15 m²。",
		 LG_VERSION, j->path, j->near_m, lg_crs_id(r->work));
	para(C, LG_DOC_P, b);
	static const char *const h[] = {"规则", "名称", "程度", "依据"};
	static const double w[] = {8, 34, 6, 52};
	lg__table *t = table(C, 4, h, w);
	for (size_t k = 0; k < LG_CHECK_NRULES && !C->st; k++) {
		const char *id = lg_check_rule_id(k);
		char basis[2048];
		int sev = LG_MARK_NONE;
		rule_basis(C->ctx, id, basis, sizeof basis, &sev);
		cell(C, t, id, LG_MARK_NONE);
		cell(C, t, lg_check_rule_title(r->tables, id), LG_MARK_NONE);
		cell(C, t, lg__sev_zh(sev), sev);
		cell(C, t, basis, LG_MARK_NONE);
	}
	para(C, LG_DOC_NOTE, "严重程度：违规 = 违反法律或工作方案的禁止性规定；风险 = 须核实、评估或"
			     "安排开发时序；提示 = 待办事项或已完成情况。单条问题可低于其规则的最高程度。");
	lg__doc_add(C->ctx, C->d, LG_DOC_H2, "输入数据");
	static const char *const hi[] = {"数据", "文件", "要素数"};
	static const double wi[] = {14, 70, 10};
	t = table(C, 3, hi, wi);
	const lg_layer *ls[LG_RIN__COUNT] = {0};
	ls[LG_RIN_PARCELS] = r->parcels;
	ls[LG_RIN_SITES] = r->sites;
	ls[LG_RIN_UNITS] = r->units;
	ls[LG_RIN_SAMPLES] = r->samples;
	ls[LG_RIN_COUNTY] = r->county;
	ls[LG_RIN_TOWNS] = r->towns;
	ls[LG_RIN_WATER] = r->water;
	ls[LG_RIN_WELLS] = r->wells;
	for (int i = 0; i < LG_RIN__COUNT && !C->st; i++) {
		if (!j->input[i])
			continue;
		const char *src = j->input[i];
		size_t dl = strlen(j->dir);
		if (dl && !strncmp(src, j->dir, dl) && src[dl] == '/')
			src += dl + 1;
		cell(C, t, lg_report_input_key((lg_report_input)i), LG_MARK_NONE);
		cell(C, t, src, LG_MARK_NONE);
		if (ls[i])
			numz(C, t, ls[i]->n, LG_MARK_NONE);
		else if (i == LG_RIN_LEDGER && r->ledger)
			numz(C, t, r->ledger->n, LG_MARK_NONE);
		else
			num(C, t, "—");
	}
}

static void atlas(composer *C)
{
	const lg_report *r = C->r;
	const lg_layer *F = r->findings;
	if (r->opts.no_atlas || !r->natlas)
		return;
	h1(C, "图集", "atlas");
	{
		char b[256];
		snprintf(b, sizeof b, "每宗有问题的地块一页：位置图（地块及其周边）、地块信息、问题及证据、"
			 "整改建议，共 %zu 页。", r->natlas);
		para(C, LG_DOC_P, b);
	}
	for (size_t i = 0; i < r->natlas && !C->st; i++) {
		const lg__apar *a = &r->atlas[i];
		char b[256], m2[64], mu[64];
		para(C, LG_DOC_BREAK, "");
		lg__block *hb = lg__doc_add(C->ctx, C->d, LG_DOC_H2, "图集 %zu/%zu　地块 %s　%s", i + 1,
					    r->natlas, a->id, a->name);
		if (!hb) {
			C->st = LG_NOMEM;
			return;
		}
		snprintf(b, sizeof b, "atlas-%zu", i + 1);
		if (!(hb->anchor = lg__strdup(C->ctx, b)))
			C->st = LG_NOMEM;
		lg__table *t = table(C, 4, NULL, (const double[]){12, 38, 12, 38});
		lg__fmt_m2(m2, sizeof m2, a->area_m2);
		lg__fmt_mu(mu, sizeof mu, a->area_m2);
		cell(C, t, "地块编号", LG_MARK_NONE);
		cell(C, t, a->id, LG_MARK_NONE);
		cell(C, t, "乡镇", LG_MARK_NONE);
		cell(C, t, *a->town ? a->town : "—", LG_MARK_NONE);
		cell(C, t, a->from_sites ? "登记阶段" : "原用途", LG_MARK_NONE);
		cell(C, t, a->from_sites ? a->stage : (*a->orig ? a->orig : "—"), LG_MARK_NONE);
		cell(C, t, "规划用途", LG_MARK_NONE);
		cell(C, t, *a->plan ? a->plan : "—", LG_MARK_NONE);
		cell(C, t, "面积", LG_MARK_NONE);
		snprintf(b, sizeof b, a->geom ? "%s m²（%s 亩）" : "—（无图形）", m2, mu);
		cell(C, t, b, LG_MARK_NONE);
		cell(C, t, "问题", LG_MARK_NONE);
		snprintf(b, sizeof b, "%zu 条，最高：%s", a->n, lg__sev_zh(a->worst));
		cell(C, t, b, a->worst);
		if (a->map) {
			snprintf(b, sizeof b, "地块 %s 位置图", a->id);
			C->st = lg__doc_image(C->ctx, C->d, a->map, 180, b);
		} else {
			para(C, LG_DOC_NOTE, a->geom ? "（本次未绘制位置图）"
						     : "该地块没有图形，无法制图；请补充地块坐标。");
		}
		static const char *const h[] = {"规则", "程度", "问题描述", "证据", "整改建议"};
		static const double w[] = {7, 5, 36, 30, 22};
		t = table(C, 5, h, w);
		for (size_t k = a->first; k < a->first + a->n && !C->st; k++) {
			int s = fsev(F, k);
			cell(C, t, ftext(F, k, "rule_id"), LG_MARK_NONE);
			cell(C, t, lg__sev_zh(s), s);
			cell(C, t, ftext(F, k, "message"), LG_MARK_NONE);
			cell(C, t, ftext(F, k, "evidence"), LG_MARK_NONE);
			cell(C, t, ftext(F, k, "next_step"), LG_MARK_NONE);
		}
	}
}

lg_status lg__report_compose(lg_ctx *ctx, const lg_report *r, lg__doc **out)
{
	composer cc = {ctx, r, NULL, 0, LG_OK}, *C = &cc;
	const lg_report_job *j = r->job;
	char title[512], sub[512], from[11], to[11], fz[64], tz[64], b[1024];
	lg_date_format(j->from, from);
	lg_date_format(j->to, to);
	lg__fmt_date_zh(fz, sizeof fz, from);
	lg__fmt_date_zh(tz, sizeof tz, to);
	if (j->kind == LG_REPORT_MONTHLY) {
		int y, m, d;
		sscanf(from, "%d-%d-%d", &y, &m, &d);
		snprintf(title, sizeof title, "%s",
			 j->title ? j->title : "一住两公地块供地清零行动月报");
		snprintf(sub, sizeof sub, "统计期：%s—%s", fz, tz);
	} else {
		snprintf(title, sizeof title, "%s",
			 j->title ? j->title : "建设用地土壤污染风险管控季度调度分析");
		snprintf(sub, sizeof sub, "%d年第%s季度（%s—%s）", j->year, cn_num[j->quarter - 1], fz,
			 tz);
	}
	*out = NULL;
	if (!(C->d = lg__doc_create(ctx, title, sub, j->office, r->date)))
		return LG_NOMEM;

	/* summary */
	h1(C, "概况", "summary");
	lg__block *fb = lg__doc_add(ctx, C->d, LG_DOC_FIGS, NULL);
	if (!fb)
		C->st = LG_NOMEM;
	const lg_check_summary *cs = &r->csum;
	if (j->kind == LG_REPORT_MONTHLY) {
		fig(C, fb, "本期供应一住两公地块", r->sum.parcels_listed, LG_MARK_NONE);
		fig(C, fb, "未清零", r->sum.parcels_open, LG_SEV_VIOLATION);
		fig(C, fb, "已清零", r->sum.parcels_listed - r->sum.parcels_open, LG_MARK_GOOD);
		fig(C, fb, "违规问题", cs->by_severity[LG_SEV_VIOLATION], LG_SEV_VIOLATION);
		fig(C, fb, "风险问题", cs->by_severity[LG_SEV_RISK], LG_SEV_RISK);
		snprintf(b, sizeof b, "%s，全县以划拨、出让方式供应一住两公用途国有建设用地 %zu 宗，"
			 "其中 %zu 宗供地前未完成规定的土壤污染状况调查或风险评估，未清零；"
			 "%zu 宗已清零。共发现问题 %zu 条（违规 %zu、风险 %zu、提示 %zu）。",
			 sub + strlen("统计期："), r->sum.parcels_listed, r->sum.parcels_open,
			 r->sum.parcels_listed - r->sum.parcels_open, cs->findings,
			 cs->by_severity[LG_SEV_VIOLATION], cs->by_severity[LG_SEV_RISK],
			 cs->by_severity[LG_SEV_NOTICE]);
	} else {
		size_t listed = r->stage_n[LG_STAGE_LISTED] + r->stage_n[LG_STAGE_POLLUTED] +
				r->stage_n[LG_STAGE_CONTROLLING] + r->stage_n[LG_STAGE_REMEDIATED];
		fig(C, fb, "登记疑似/污染地块", cs->sites, LG_MARK_NONE);
		fig(C, fb, "污染及名录地块", listed, LG_MARK_NONE);
		fig(C, fb, "违规问题", cs->by_severity[LG_SEV_VIOLATION], LG_SEV_VIOLATION);
		fig(C, fb, "风险问题", cs->by_severity[LG_SEV_RISK], LG_SEV_RISK);
		if (r->sum.compared) {
			fig(C, fb, "较上季度新增", r->sum.changes[LG_CHANGE_NEW], LG_SEV_VIOLATION);
			fig(C, fb, "已整改", r->sum.changes[LG_CHANGE_RESOLVED], LG_MARK_GOOD);
		}
		snprintf(b, sizeof b, "本季度检查供地地块 %zu 宗、登记疑似/污染地块 %zu 宗，发现问题 %zu 条"
			 "（违规 %zu、风险 %zu、提示 %zu），涉及地块 %zu 宗。",
			 cs->parcels, cs->sites, cs->findings, cs->by_severity[LG_SEV_VIOLATION],
			 cs->by_severity[LG_SEV_RISK], cs->by_severity[LG_SEV_NOTICE], r->natlas);
		if (r->sum.compared) {
			size_t k = strlen(b);
			snprintf(b + k, sizeof b - k, "与上季度相比，新增 %zu 条、持续 %zu 条、已整改 %zu 条。",
				 r->sum.changes[0], r->sum.changes[1], r->sum.changes[2]);
		}
	}
	para(C, LG_DOC_P, b);
	if (r->nmaps && !C->st) {
		char cap[512];
		snprintf(cap, sizeof cap, "图1  %s", r->map_titles[0]);
		C->st = lg__doc_image(ctx, C->d, r->maps[0], 180, cap);
	}
	if (j->kind == LG_REPORT_QUARTERLY)
		by_rule(C);

	if (j->kind == LG_REPORT_MONTHLY)
		qingling(C);
	else {
		changes(C);
		counts(C);
	}
	findings_tables(C);
	topics(C);
	maps_section(C);
	method(C);
	atlas(C);
	if (C->st) {
		if (C->st == LG_NOMEM)
			lg_ctx_error(ctx, LG_NOMEM, "out of memory composing the report");
		lg__doc_destroy(C->d);
		return C->st;
	}
	*out = C->d;
	return LG_OK;
}
