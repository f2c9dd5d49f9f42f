/* landguard-gen demo: the planted cases.
 *
 * Every rule YZ-01..YZ-10, both river bands and every groundwater zone level
 * gets at least one case whose outcome can be stated without running
 * landguard. Cases sit in "slots" 1.8 km apart (gen_demo_geo.c), one
 * cluster per slot, so one case's distances never leak into another's.
 * cases.csv lists what each case is meant to show, with measured distances. */
#include <iconv.h>
#include <stdarg.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xlsxwriter.h>

#include "gen_demo.h"

const char *demo_sd_name(const char *code);
const char *demo_yd_name(const char *code);
const char *demo_yd_to_sd(const char *yd);

/* ---- the register: sites whose place and stage make a case ---- */
typedef struct site_spec {
	int no, slot;
	const char *name, *stage, *industry;
	double r;
} site_spec;

static const site_spec FIXED_SITES[] = {
	{1, 0, "原新绛焦化厂", "污染地块", "焦化", 170},
	{2, 1, "原绛州化工厂", "污染地块", "化工", 150},
	{3, 2, "原晋南农药厂", "列入名录", "农药", 160},
	{4, 3, "原新绛电镀厂", "列入名录", "电镀", 120},
	{5, 4, "原新绛皮革厂", "风险管控/修复中", "制革", 120},
	{6, 5, "原有色金属冶炼厂", "效果评估通过", "有色金属冶炼", 150},
	{7, 6, "原新绛炼油厂", "移出名录", "石油加工", 140},
	{8, 7, "原危险废物暂存库", "疑似污染地块", "危险废物贮存", 90},
	{9, 8, "原新绛化肥厂", "调查后非污染地块", "化工", 130},
	{10, 9, "原农药分装厂", "移出名录", "农药", 110},
	{11, 10, "原电镀车间", "移出名录", "电镀", 110},
	{12, 11, "原化工仓库", "风险管控/修复中", "化工", 120},
	{13, 12, "原焦化副产品回收厂", "列入名录", "焦化", 140},
	{14, 13, "原精细化工厂", "污染地块", "化工", 130},
	{15, 14, "原制革污泥堆场", "风险管控/修复中", "制革", 100},
	{16, 15, "原铅冶炼厂", "移出名录", "有色金属冶炼", 120},
	{19, 16, "原农药仓库", "污染地块", "农药", 100},
};
#define N_FIXED_SITES ((int)(sizeof FIXED_SITES / sizeof FIXED_SITES[0]))

/* ---- land-supply parcels; codes are 用地用海 2023 ---- */
typedef struct parcel_spec {
	const char *id, *name, *orig, *plan;
	int slot;
	double dx, dy, w, h, ang;
	int hole;
} parcel_spec;

static const parcel_spec FIXED_PARCELS[] = {
	/* over a site (same slot, centred) */
	{"140825-GD-014", "焦化厂旧址学校地块", "1001", "080403", 0, 0, 0, 230, 200, 8, 0},
	{"140825-GD-015", "化工厂旧址住宅地块", "1001", "0701", 1, 0, 0, 210, 190, -5, 0},
	{"140825-GD-020", "北关住宅地块", "0102", "070102", 1, 500, 0, 120, 160, 0, 0},
	{"140825-GD-016", "农药厂旧址住宅地块", "1001", "070102", 2, 0, 0, 220, 200, 12, 0},
	{"140825-GD-008", "电镀厂旧址住宅地块", "1001", "070102", 3, 0, 0, 170, 160, 0, 0},
	{"140825-GD-009", "皮革厂旧址幼儿园地块", "1001", "080404", 4, 0, 0, 160, 150, 4, 0},
	{"140825-GD-021", "城南幼儿园地块", "0102", "080404", 4, 600, 0, 100, 120, 0, 0},
	{"140825-GD-010", "冶炼厂旧址住宅地块", "1001", "0701", 5, 0, 0, 200, 190, -10, 0},
	{"140825-GD-011", "炼油厂旧址住宅地块", "1001", "070102", 6, 0, 0, 190, 180, 6, 0},
	{"140825-GD-028", "化肥厂旧址住宅地块", "1001", "070102", 8, 0, 0, 180, 170, 0, 0},
	{"140825-GD-026", "农药分装厂复垦地块", "1001", "0103", 9, 0, 0, 150, 150, 15, 0},
	{"140825-GD-027", "电镀车间复垦地块", "1001", "0101", 10, 0, 0, 150, 140, -8, 0},
	{"140825-GD-013", "化工仓库收购地块", "1001", "1101", 11, 0, 0, 160, 160, 0, 0},
	{"140825-GD-012", "焦化副产品厂收回地块", "1001", "1001", 12, 0, 0, 190, 180, 3, 0},
	{"140825-GD-017", "精细化工厂商业地块", "1001", "0901", 13, 0, 0, 180, 170, 0, 0},
	{"140825-GD-018", "制革污泥堆场工业地块", "1001", "1001", 14, 0, 0, 140, 130, 0, 0},
	{"140825-GD-019", "铅冶炼厂旧址商业地块", "1001", "0901", 15, 0, 0, 170, 160, 9, 0},
	{"140825-GD-022", "西关住宅地块", "0102", "0701", 16, 835, 0, 120, 140, 0, 0},
	/* on their own */
	{"140825-GD-001", "城西棚改住宅地块", "1001", "070102", 17, 0, 0, 180, 140, 5, 0},
	{"140825-GD-002", "城北第二小学地块", "1001", "080403", 18, 0, 0, 160, 120, 0, 0},
	{"140825-GD-003", "汾河湾住宅地块", "1001", "070102", 19, 0, 0, 220, 160, -7, 1},
	{"140825-GD-004", "县人民医院新院区", "1001", "0806", 20, 0, 0, 200, 150, 0, 0},
	{"140825-GD-005", "城东安置房地块", "0102", "070102", 21, 0, 0, 200, 160, 10, 0},
	{"140825-GD-006", "旧城改造住宅地块", "070102", "070102", 22, 0, 0, 150, 130, 0, 0},
	{"140825-GD-007", "实验幼儿园扩建地块", "080403", "080404", 23, 0, 0, 90, 80, 0, 0},
	{"140825-GD-023", "机械厂旧址住宅地块", "1001", "070102", 24, 0, 0, 180, 150, 0, 0},
	{"140825-GD-024", "铸造厂旧址学校地块", "1001", "080403", 25, 0, 0, 160, 140, -4, 0},
	{"140825-GD-025", "工业园区续建地块", "1001", "1001", 26, 0, 0, 200, 180, 0, 0},
	{"140825-GD-029", "焦化公司转让地块", "1001", "0901", 27, 0, 0, 220, 180, 0, 0},
	{"140825-GD-030", "化工公司转让地块", "1001", "1001", 28, 0, 0, 200, 170, 0, 0},
};
#define N_FIXED_PARCELS ((int)(sizeof FIXED_PARCELS / sizeof FIXED_PARCELS[0]))
#define FIRST_FILLER_SLOT 29
#define N_FILLERS 17
#define WELL_SLOT0 (FIRST_FILLER_SLOT + N_FILLERS)

/* ---- the events ledger (CONTRACT.md vocabulary; English keys) ---- */
typedef struct ev {
	const char *pid, *event, *date, *result, *note;
} ev;

static const ev EVENTS[] = {
	{"140825-GD-001", "transfer", "2026-10-12", "", "出让合同 新绛出让〔2026〕31号"},
	{"140825-GD-002", "investigation", "2026-06-18", "clean", "初步调查"},
	{"140825-GD-002", "allocate", "2026-10-01", "", "划拨决定书 新绛划〔2026〕7号"},
	{"140825-GD-003", "investigation", "2026-03-20", "polluted", "苯并[a]芘超筛选值"},
	{"140825-GD-003", "transfer", "2026-10-31", "", "出让合同 新绛出让〔2026〕36号"},
	{"140825-GD-004", "investigation", "2025-09-10", "polluted", "砷超筛选值"},
	{"140825-GD-004", "risk_assessment", "2025-12-15", "acceptable", ""},
	{"140825-GD-004", "allocate", "2026-10-20", "", "划拨决定书 新绛划〔2026〕9号"},
	{"140825-GD-004", "planning_permit", "2026-10-28", "", "建设用地规划许可证"},
	{"140825-GD-005", "transfer", "2026-10-15", "", "出让合同 新绛出让〔2026〕33号"},
	{"140825-GD-005", "investigation", "2026-10-22", "clean", "供地后补做调查"},
	{"140825-GD-006", "transfer", "2026-10-18", "", "原用途为城镇住宅用地"},
	{"140825-GD-007", "allocate", "2026-10-09", "", "原用途为中小学用地"},
	{"140825-GD-009", "control", "2025-07-01", "", "阻隔+地下水监测"},
	{"140825-GD-011", "investigation", "2024-05-06", "polluted", "石油烃超筛选值"},
	{"140825-GD-011", "risk_assessment", "2024-08-20", "needs_action", ""},
	{"140825-GD-011", "remediation", "2024-10-08", "", "异位热脱附"},
	{"140825-GD-011", "effect_assessment", "2025-09-12", "passed", ""},
	{"140825-GD-011", "aftercare", "2025-12-01", "", "后期管理：地下水监测两年"},
	{"140825-GD-011", "transfer", "2026-10-16", "", "出让合同 新绛出让〔2026〕34号"},
	{"140825-GD-011", "planning_permit", "2026-10-30", "", "建设用地规划许可证"},
	{"140825-GD-012", "recover", "2026-10-09", "", "收回国有建设用地使用权"},
	{"140825-GD-012", "transfer", "2026-10-27", "", "出让合同 新绛出让〔2026〕35号"},
	{"140825-GD-013", "purchase", "2025-05-20", "", "土地储备收购"},
	{"140825-GD-017", "investigation", "2026-02-10", "polluted", "需开展详细调查"},
	{"140825-GD-017", "construction_permit", "2026-10-05", "", "建筑工程施工许可证"},
	{"140825-GD-017", "risk_assessment", "2026-10-25", "needs_action", ""},
	{"140825-GD-018", "remediation", "2025-03-01", "", "固化稳定化"},
	{"140825-GD-018", "effect_assessment", "2026-08-20", "failed", "六价铬未达修复目标"},
	{"140825-GD-018", "construction_permit", "2026-10-14", "", "建筑工程施工许可证"},
	{"140825-GD-019", "effect_assessment", "2026-03-02", "passed", ""},
	{"140825-GD-019", "construction_permit", "2026-10-20", "", "建筑工程施工许可证"},
	{"140825-GD-020", "investigation", "2026-04-02", "clean", ""},
	{"140825-GD-020", "transfer", "2026-10-23", "", "出让合同 新绛出让〔2026〕37号"},
	{"140825-GD-021", "investigation", "2026-05-11", "clean", ""},
	{"140825-GD-021", "allocate", "2026-10-13", "", "划拨决定书 新绛划〔2026〕8号"},
	{"140825-GD-022", "investigation", "2026-01-15", "clean", ""},
	{"140825-GD-022", "transfer", "2026-09-30", "", "出让合同 新绛出让〔2026〕29号"},
	{"140825-GD-023", "investigation", "2026-07-15", "polluted", "铅超管制值"},
	{"140825-GD-024", "investigation", "2026-08-03", "polluted", "镍超筛选值"},
	{"140825-GD-025", "transfer", "2026-10-07", "", "出让合同 新绛出让〔2026〕32号"},
	{"140825-GD-026", "change_use", "2026-06-30", "", "复垦为耕地（旱地）"},
	{"140825-GD-027", "change_use", "2025-11-12", "", "复垦为耕地（水田）"},
	{"140825-GD-028", "investigation", "2025-06-11", "clean", ""},
	{"140825-GD-028", "transfer", "2026-10-21", "", "出让合同 新绛出让〔2026〕38号"},
	{"140825-GD-029", "change_use", "2026-10-10", "", "工业改商业"},
	{"140825-GD-029", "transfer", "2026-10-26", "", "出让合同 新绛出让〔2026〕39号"},
	{"140825-GD-030", "investigation", "2026-04-08", "clean",
	 "调查报告已报不动产登记机构和生态环境局备案"},
	{"140825-GD-030", "transfer", "2026-10-19", "", "出让合同 新绛出让〔2026〕40号"},
	{"140825-GD-031", "investigation", "2026-03-05", "clean", ""},
	{"140825-GD-031", "planning_permit", "2026-10-11", "", "建设用地规划许可证"},
	{"140825-GD-032", "transfer", "2026-08-08", "", "出让合同 新绛出让〔2026〕21号"},
	{"140825-GD-033", "investigation", "2026-07-01", "clean", ""},
	{"140825-GD-033", "allocate", "2026-10-25", "", "农村宅基地批准"},
};
#define N_EVENTS ((int)(sizeof EVENTS / sizeof EVENTS[0]))

/* One row of cases.csv. */
static void note_case(demo *d, const char *rule, const char *kind, const char *id,
		      const char *rel, const char *expect, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
static void note_case(demo *d, const char *rule, const char *kind, const char *id,
		      const char *rel, const char *expect, const char *fmt, ...)
{
	va_list ap;
	fprintf(d->cases, "%s,%s,%s,%s,%s,\"", rule, kind, id, rel ? rel : "", expect);
	va_start(ap, fmt);
	vfprintf(d->cases, fmt, ap);
	va_end(ap);
	fprintf(d->cases, "\"\n");
}

static demo_site *site_no(demo *d, int no)
{
	char id[24];
	snprintf(id, sizeof id, "140825-WR-%03d", no);
	for (int k = 0; k < d->nsites; k++)
		if (!strcmp(d->sites[k].dkbh, id))
			return &d->sites[k];
	return NULL;
}

static demo_parcel *parcel_id(demo *d, const char *id)
{
	for (int k = 0; k < d->nparcels; k++)
		if (!strcmp(d->parcels[k].id, id))
			return &d->parcels[k];
	return NULL;
}

static double gdist(demo *d, const GEOSGeometry *a, const GEOSGeometry *b)
{
	double v = INFINITY;
	GEOSDistance_r(d->h, a, b, &v);
	return v;
}

static double garea(demo *d, const GEOSGeometry *g)
{
	double a = 0;
	if (g)
		GEOSArea_r(d->h, g, &a);
	return a;
}

/* Places a w × h rectangle, long side across (nx, ny), so that its nearest
 * edge is dist_m from `target`, moving out from (xm, ym) along (nx, ny).
 * A bend can bring the target closer, so measure and shift until right. */
static GEOSGeometry *place_dir(demo *d, double xm, double ym, double nx, double ny,
			       double start, double dist_m, double w, double h,
			       const GEOSGeometry *target, dpt *centre)
{
	GEOSGeometry *rect = NULL;
	double off = start + dist_m + h / 2, ang = atan2(nx, -ny) * 180 / M_PI;
	for (int it = 0; it < 12; it++) {
		double got;
		centre->x = xm + nx * off;
		centre->y = ym + ny * off;
		if (rect)
			GEOSGeom_destroy_r(d->h, rect);
		rect = demo_rect(d, *centre, w, h, ang, 0);
		got = gdist(d, rect, target);
		if (fabs(got - dist_m) < 0.05)
			break;
		off += dist_m - got;
	}
	return rect;
}

/* The same beside a river: out from the point s_m along `line`, on the
 * left (side 1) or right (side -1) bank. */
static GEOSGeometry *place_by(demo *d, const GEOSGeometry *line, double s_m, int side,
			      double dist_m, double w, double h, const GEOSGeometry *target,
			      dpt *centre)
{
	GEOSContextHandle_t gh = d->h;
	GEOSGeometry *p0 = GEOSInterpolate_r(gh, line, s_m - 40);
	GEOSGeometry *p1 = GEOSInterpolate_r(gh, line, s_m + 40);
	GEOSGeometry *pm = GEOSInterpolate_r(gh, line, s_m);
	double x0, y0, x1, y1, xm, ym, L;
	GEOSGeomGetX_r(gh, p0, &x0);
	GEOSGeomGetY_r(gh, p0, &y0);
	GEOSGeomGetX_r(gh, p1, &x1);
	GEOSGeomGetY_r(gh, p1, &y1);
	GEOSGeomGetX_r(gh, pm, &xm);
	GEOSGeomGetY_r(gh, pm, &ym);
	GEOSGeom_destroy_r(gh, p0);
	GEOSGeom_destroy_r(gh, p1);
	GEOSGeom_destroy_r(gh, pm);
	L = hypot(x1 - x0, y1 - y0);
	return place_dir(d, xm, ym, -(y1 - y0) / L * side, (x1 - x0) / L * side, 150, dist_m, w,
			 h, target, centre);
}

static int add_site(demo *d, int no, const char *name, const char *stage,
		    const char *industry, GEOSGeometry *g, dpt c)
{
	demo_site *s;
	if (d->nsites >= DEMO_MAX_SITES)
		return GEN_INTERNAL;
	s = &d->sites[d->nsites++];
	snprintf(s->dkbh, sizeof s->dkbh, "140825-WR-%03d", no);
	snprintf(s->name, sizeof s->name, "%s", name);
	s->stage = stage;
	s->industry = industry;
	s->g = g;
	s->c = c;
	return GEN_OK;
}

static int add_parcel(demo *d, const char *id, const char *name, const char *orig,
		      const char *plan, GEOSGeometry *g, dpt c, double w, double h)
{
	demo_parcel *p;
	if (d->nparcels >= DEMO_MAX_PARCELS)
		return GEN_INTERNAL;
	p = &d->parcels[d->nparcels++];
	p->id = id;
	p->name = name;
	p->orig = orig;
	p->plan = plan;
	p->g = g;
	p->c = c;
	p->w = w;
	p->h = h;
	return GEN_OK;
}

static const char *const STAGES_ZH[7] = {"疑似污染地块", "调查后非污染地块", "污染地块",
					 "列入名录",     "风险管控/修复中", "效果评估通过",
					 "移出名录"};
static const char *const IND_ZH[] = {"焦化", "化工", "农药", "电镀", "制革",
				     "有色金属冶炼", "石油加工", "危险废物贮存",
				     "铅蓄电池", "医药制造"};

/* Filler parcels: ordinary industrial and commercial supply, 2023-2026. */
static const char *const FILL_PLAN[] = {"100102", "1001", "0901", "1101", "100102",
					"0901",   "1301", "1001", "1101"};

int demo_cases_build(demo *d)
{
	int rc;
	if (d->nslots < WELL_SLOT0 + 8) {
		fprintf(stderr, "landguard-gen: only %d case slots fit in the outline "
				"(need %d); is the outline the whole county?\n",
			d->nslots, WELL_SLOT0 + 8);
		return GEN_INPUT;
	}
	for (int k = 0; k < N_FIXED_SITES; k++) {
		const site_spec *s = &FIXED_SITES[k];
		dpt c = d->slot[s->slot];
		if ((rc = add_site(d, s->no, s->name, s->stage, s->industry,
				   demo_star(d, c, s->r, 10 + gen_int(&d->rng, 5)), c)))
			return rc;
	}
	for (int k = 0; k < N_FIXED_PARCELS; k++) {
		const parcel_spec *p = &FIXED_PARCELS[k];
		dpt c = {d->slot[p->slot].x + p->dx, d->slot[p->slot].y + p->dy};
		if ((rc = add_parcel(d, p->id, p->name, p->orig, p->plan,
				     demo_rect(d, c, p->w, p->h, p->ang, p->hole), c, p->w, p->h)))
			return rc;
	}
	/* River bands: the far edge of the 0-30 m band and inside 30-50 m. */
	{
		double L0 = 0, L1 = 0;
		dpt c;
		GEOSGeometry *g;
		GEOSLength_r(d->h, d->line[0], &L0);
		GEOSLength_r(d->h, d->line[1], &L1);
		g = place_by(d, d->line[0], L0 * 0.22, 1, 12.0, 120, 80, d->mgmt_all, &c);
		if ((rc = add_parcel(d, "140825-GD-031", "汾河北岸住宅地块", "0102", "070102", g,
				     c, 120, 80)))
			return rc;
		g = place_by(d, d->line[1], L1 * 0.55, 1, 38.0, 140, 90, d->mgmt_all, &c);
		if ((rc = add_parcel(d, "140825-GD-032", "浍河东岸工业地块", "0102", "1001", g, c,
				     140, 90)))
			return rc;
		g = place_by(d, d->line[0], L0 * 0.70, -1, 15.0, 100, 70, d->mgmt_all, &c);
		if ((rc = add_site(d, 17, "汾河岸原化工作坊", "疑似污染地块", "化工", g, c)))
			return rc;
		g = place_by(d, d->line[1], L1 * 0.30, -1, 40.0, 90, 70, d->mgmt_all, &c);
		if ((rc = add_site(d, 18, "浍河岸原制革作坊", "疑似污染地块", "制革", g, c)))
			return rc;
		/* 三泉水库: 20 m off its management line, west of the dam */
		{
			GEOSGeometry *cen = GEOSGetCentroid_r(d->h, d->bed[3]);
			double cx = 0, cy = 0;
			GEOSGeomGetX_r(d->h, cen, &cx);
			GEOSGeomGetY_r(d->h, cen, &cy);
			GEOSGeom_destroy_r(d->h, cen);
			g = place_dir(d, cx, cy, -0.8, 0.6, 500, 20.0, 100, 70, d->mgmt[3], &c);
			if ((rc = add_parcel(d, "140825-GD-033", "水库北宅基地地块", "0103", "0703",
					     g, c, 100, 70)))
				return rc;
		}
	}
	/* Fillers in their own slots. */
	for (int k = 0; k < N_FILLERS; k++) {
		dpt c = d->slot[FIRST_FILLER_SLOT + k];
		const char *plan = FILL_PLAN[k % 9];
		double w = gen_range(&d->rng, 120, 260), h = gen_range(&d->rng, 100, 220);
		snprintf(d->fill_id[k], sizeof d->fill_id[k], "140825-GD-%03d", 34 + k);
		snprintf(d->fill_name[k], sizeof d->fill_name[k], "%s%s地块%d",
			 DEMO_TOWNS[demo_town_of(d, c)],
			 !strncmp(plan, "10", 2) ? "工业" : !strcmp(plan, "0901") ? "商业"
			 : !strcmp(plan, "1101")				? "仓储"
										: "供水设施",
			 k + 1);
		if ((rc = add_parcel(d, d->fill_id[k], d->fill_name[k], k % 3 ? "0102" : "0103", plan,
				     demo_rect(d, c, w, h, gen_range(&d->rng, -15, 15), 0), c, w,
				     h)))
			return rc;
	}
	/* Random register entries: half in the development zone, the rest
	 * anywhere; never within 700 m of a parcel or 200 m of a river line,
	 * so they add realism without adding findings to the planted cases. */
	for (int no = 20, tries = 0; no <= 58 && tries < 200000; tries++) {
		int in_kfq = no % 2 == 0;
		double r = gen_range(&d->rng, 50, 150);
		dpt c = in_kfq ? (dpt){d->kfq.x + gen_range(&d->rng, -1800, 1800),
				      d->kfq.y + gen_range(&d->rng, -1100, 1100)}
			       : (dpt){gen_range(&d->rng, d->minx, d->maxx),
				       gen_range(&d->rng, d->miny, d->maxy)};
		GEOSGeometry *g = demo_star(d, c, r, 8 + gen_int(&d->rng, 7));
		int ok = GEOSPreparedContains_r(d->h, d->county_p, g) == 1 &&
			 gdist(d, g, d->mgmt_all) > 200;
		for (int k = 0; ok && k < d->nparcels; k++)
			if (gdist(d, g, d->parcels[k].g) < 700)
				ok = 0;
		for (int k = 0; ok && k < d->nsites; k++)
			if (d->sites[k].g && gdist(d, g, d->sites[k].g) < 250)
				ok = 0;
		for (int k = WELL_SLOT0; ok && k < WELL_SLOT0 + 8; k++)
			if (demo_dist(c, d->slot[k]) < 1500)
				ok = 0;
		if (!ok) {
			GEOSGeom_destroy_r(d->h, g);
			continue;
		}
		{
			int st = (no * 3) % 7, ind = (no * 7) % 10;
			char name[64];
			snprintf(name, sizeof name, "原%s企业%d号地块", IND_ZH[ind], no);
			if ((rc = add_site(d, no, name, STAGES_ZH[st], IND_ZH[ind], g, c)))
				return rc;
			/* some plans already put housing over old factories: the
			 * overlay command shows these as conflicts */
			d->sites[d->nsites - 1].planned_yzlg = no % 5 == 0;
		}
		no++;
	}
	/* YZ-10 defects: a row with no geometry and one outside the county. */
	if ((rc = add_site(d, 59, "原县农机修造厂（坐标缺失）", "疑似污染地块", "化工", NULL,
			   (dpt){0, 0})))
		return rc;
	{
		dpt c;
		if ((rc = demo_ll(d, 110.985, 35.600, &c)))
			return rc;
		if ((rc = add_site(d, 60, "原铸造厂（坐标错录至稷山县）", "疑似污染地块",
				   "有色金属冶炼", demo_star(d, c, 90, 9), c)))
			return rc;
	}
	/* Key supervised units: U-003 and U-005 stand on parcels GD-029/030;
	 * the rest in the development zone, off every parcel. */
	{
		static const char *const unames[10] = {
			"山西新绛焦化有限公司", "新绛县宏达化工有限公司", "山西绛州焦化有限公司",
			"新绛县金源电镀有限公司", "新绛县恒泰化工有限公司",
			"新绛县鑫盛制革有限公司", "运城市新绛农药有限公司",
			"新绛县华鑫冶炼有限公司", "新绛县危险废物处置中心", "新绛县东方医药化工有限公司"};
		static const char *const uind[10] = {"焦化", "化工", "焦化", "电镀", "化工",
						     "制革", "农药", "有色金属冶炼",
						     "危险废物贮存", "化工"};
		for (int k = 0, tries = 0; k < 10 && tries < 100000; tries++) {
			demo_unit *u = &d->units[k];
			dpt p;
			int ok = 1;
			if (k == 2)
				p = parcel_id(d, "140825-GD-029")->c;
			else if (k == 4)
				p = parcel_id(d, "140825-GD-030")->c;
			else {
				GEOSGeometry *pt;
				p.x = d->kfq.x + gen_range(&d->rng, -1700, 1700);
				p.y = d->kfq.y + gen_range(&d->rng, -1000, 1000);
				pt = demo_point(d, p);
				ok = GEOSPreparedContains_r(d->h, d->county_p, pt) == 1;
				for (int q = 0; ok && q < d->nparcels; q++)
					if (gdist(d, pt, d->parcels[q].g) < 300)
						ok = 0;
				GEOSGeom_destroy_r(d->h, pt);
			}
			if (!ok)
				continue;
			snprintf(u->id, sizeof u->id, "U-%03d", k + 1);
			u->name = unames[k];
			u->industry = uind[k];
			u->p.x = gen_mm(p.x);
			u->p.y = gen_mm(p.y);
			d->nunits = ++k;
		}
	}
	return GEN_OK;
}

/* ---- writers ---- */

static int write_sites(demo *d)
{
	static const gen_field sf[] = {{"DKBH", OFTString, 20},    {"DKMC", OFTString, 60},
				       {"stage", OFTString, 20},   {"industry", OFTString, 20},
				       {"town", OFTString, 40},    {"area_m2", OFTReal, 0},
				       {NULL, 0, 0}};
	static const gen_field uf[] = {{"unit_id", OFTString, 10}, {"name", OFTString, 60},
				       {"industry", OFTString, 20}, {NULL, 0, 0}};
	char path[PATH_MAX];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	int rc = gen_path(path, sizeof path, d->o->outdir, "sites.gpkg");
	if (rc)
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "sites", 4525, wkbPolygon, sf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (int k = 0; k < d->nsites; k++) {
		demo_site *s = &d->sites[k];
		OGR_F_SetFieldString(f, 0, s->dkbh);
		OGR_F_SetFieldString(f, 1, s->name);
		OGR_F_SetFieldString(f, 2, s->stage);
		OGR_F_SetFieldString(f, 3, s->industry);
		if (s->g) {
			OGR_F_SetFieldString(f, 4, DEMO_TOWNS[demo_town_of(d, s->c)]);
			OGR_F_SetFieldDouble(f, 5, round(garea(d, s->g) * 100) / 100);
		} else {
			OGR_F_SetFieldString(f, 4, "龙兴镇");
			OGR_F_SetFieldNull(f, 5);
		}
		if (!strcmp(s->dkbh, "140825-WR-060"))
			OGR_F_SetFieldString(f, 4, "三泉镇"); /* as recorded, wrongly */
		if ((rc = demo_write_geos(d, lyr, f, s->g, path)))
			goto done;
		rc = GEN_WRITE;
	}
	if (gen_commit(lyr, path))
		goto done;
	OGR_F_Destroy(f);
	f = NULL;
	if (!(lyr = gen_layer(ds, path, "units", 4525, wkbPoint, uf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (int k = 0; k < d->nunits; k++) {
		GEOSGeometry *pt = demo_point(d, d->units[k].p);
		OGR_F_SetFieldString(f, 0, d->units[k].id);
		OGR_F_SetFieldString(f, 1, d->units[k].name);
		OGR_F_SetFieldString(f, 2, d->units[k].industry);
		rc = demo_write_geos(d, lyr, f, pt, path);
		GEOSGeom_destroy_r(d->h, pt);
		if (rc)
			goto done;
		rc = GEN_WRITE;
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

static int write_parcels(demo *d)
{
	static const gen_field pf[] = {{"parcel_id", OFTString, 20}, {"name", OFTString, 60},
				       {"orig_code", OFTString, 10}, {"plan_code", OFTString, 10},
				       {"town", OFTString, 40},      {"area_m2", OFTReal, 0},
				       {NULL, 0, 0}};
	char path[PATH_MAX];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	int rc = gen_path(path, sizeof path, d->o->outdir, "parcels.gpkg");
	int order[DEMO_MAX_PARCELS];
	if (rc)
		return rc;
	rc = GEN_WRITE;
	/* by parcel id, so the file reads like a register */
	for (int k = 0; k < d->nparcels; k++)
		order[k] = k;
	for (int a = 1; a < d->nparcels; a++)
		for (int b = a; b > 0 && strcmp(d->parcels[order[b - 1]].id,
						d->parcels[order[b]].id) > 0;
		     b--) {
			int t = order[b];
			order[b] = order[b - 1];
			order[b - 1] = t;
		}
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "parcels", 4525, wkbPolygon, pf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (int k = 0; k < d->nparcels; k++) {
		demo_parcel *p = &d->parcels[order[k]];
		OGR_F_SetFieldString(f, 0, p->id);
		OGR_F_SetFieldString(f, 1, p->name);
		OGR_F_SetFieldString(f, 2, p->orig);
		OGR_F_SetFieldString(f, 3, p->plan);
		OGR_F_SetFieldString(f, 4, DEMO_TOWNS[demo_town_of(d, p->c)]);
		OGR_F_SetFieldDouble(f, 5, round(garea(d, p->g) * 100) / 100);
		if ((rc = demo_write_geos(d, lyr, f, p->g, path)))
			goto done;
		rc = GEN_WRITE;
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

/* ---- ledger ---- */

static const char *const EV_KEYS[13][2] = {
	{"allocate", "划拨"},         {"transfer", "出让"},
	{"recover", "收回"},          {"purchase", "收购"},
	{"change_use", "变更用途"},   {"planning_permit", "规划许可"},
	{"construction_permit", "施工许可"}, {"investigation", "土壤污染状况调查"},
	{"risk_assessment", "风险评估"}, {"control", "风险管控"},
	{"remediation", "修复"},      {"effect_assessment", "效果评估"},
	{"aftercare", "后期管理"}};
static const char *const RES_KEYS[6][2] = {{"polluted", "污染"},     {"clean", "未污染"},
					   {"needs_action", "需管控修复"},
					   {"acceptable", "风险可接受"},
					   {"passed", "达标"},       {"failed", "未达标"}};

static const char *zh(const char *const (*t)[2], int n, const char *en)
{
	for (int k = 0; k < n; k++)
		if (!strcmp(t[k][0], en))
			return t[k][1];
	return en;
}

/* The ledger: the planted events, then filler supply events, sorted by
 * date and parcel so both files read like a real register. */
typedef struct row {
	char pid[20], event[24], date[12], result[16], note[160];
} row;

static int cmp_row(const void *a, const void *b)
{
	const row *x = a, *y = b;
	int c = strcmp(x->date, y->date);
	return c ? c : strcmp(x->pid, y->pid);
}

static int collect_rows(demo *d, row *rows, int max)
{
	int n = 0;
	gen_rng r;
	gen_rng_seed(&r, d->o->seed ^ 0x1ed6e7u);
	for (int k = 0; k < N_EVENTS && n < max; k++, n++) {
		snprintf(rows[n].pid, sizeof rows[n].pid, "%s", EVENTS[k].pid);
		snprintf(rows[n].event, sizeof rows[n].event, "%s", EVENTS[k].event);
		snprintf(rows[n].date, sizeof rows[n].date, "%s", EVENTS[k].date);
		snprintf(rows[n].result, sizeof rows[n].result, "%s", EVENTS[k].result);
		snprintf(rows[n].note, sizeof rows[n].note, "%s", EVENTS[k].note);
	}
	/* fillers: supply (2023-01 .. 2026-10), then permits a few months on */
	for (int k = 0; k < N_FILLERS && n + 3 < max; k++) {
		int m0 = 1 + (k * 45) / N_FILLERS; /* month index from 2023-01 */
		int y = 2023 + (m0 - 1) / 12, m = (m0 - 1) % 12 + 1, dd = 1 + gen_int(&r, 28);
		const char *plan = parcel_id(d, d->fill_id[k])->plan;
		snprintf(rows[n].pid, sizeof rows[n].pid, "%s", d->fill_id[k]);
		snprintf(rows[n].event, sizeof rows[n].event, "%s",
			 !strcmp(plan, "1301") ? "allocate" : "transfer");
		snprintf(rows[n].date, sizeof rows[n].date, "%04d-%02d-%02d", y, m, dd);
		rows[n].result[0] = '\0';
		snprintf(rows[n].note, sizeof rows[n].note, "%s",
			 !strcmp(plan, "1301") ? "划拨决定书" : "出让合同");
		n++;
		for (int q = 0; q < 2; q++) {
			int add = q == 0 ? 2 : 5;
			int mm = m + add, yy = y + (mm - 1) / 12;
			mm = (mm - 1) % 12 + 1;
			if (yy > 2026 || (yy == 2026 && mm > 10))
				break;
			snprintf(rows[n].pid, sizeof rows[n].pid, "%s", d->fill_id[k]);
			snprintf(rows[n].event, sizeof rows[n].event, "%s",
				 q == 0 ? "planning_permit" : "construction_permit");
			snprintf(rows[n].date, sizeof rows[n].date, "%04d-%02d-%02d", yy, mm,
				 1 + gen_int(&r, 28));
			rows[n].result[0] = '\0';
			snprintf(rows[n].note, sizeof rows[n].note, "%s",
				 q == 0 ? "建设用地规划许可证" : "建筑工程施工许可证");
			n++;
		}
	}
	qsort(rows, (size_t)n, sizeof rows[0], cmp_row);
	return n;
}

static int write_ledger(demo *d)
{
	row rows[256];
	int n = collect_rows(d, rows, 256);
	char path[PATH_MAX];
	FILE *fp;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_doc_properties props;
	lxw_workbook_options wo = {0};
	/* 序号 is numeric, so readers (GDAL's XLSX driver among them) can tell
	 * the header row from the all-text rows below it */
	static const char *const hdr[6] = {"序号", "地块编号", "事项", "日期", "结论", "备注"};
	struct tm tm0 = {0};
	int rc;
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "ledger.csv")))
		return rc;
	if (!(fp = fopen(path, "wb"))) {
		fprintf(stderr, "landguard-gen: cannot write '%s'\n", path);
		return GEN_WRITE;
	}
	fprintf(fp, "parcel_id,event,date,result,note\n");
	for (int k = 0; k < n; k++)
		fprintf(fp, "%s,%s,%s,%s,%s\n", rows[k].pid, rows[k].event, rows[k].date,
			rows[k].result, rows[k].note);
	if (fclose(fp) != 0) {
		fprintf(stderr, "landguard-gen: cannot write '%s'; disk full?\n", path);
		return GEN_WRITE;
	}

	if ((rc = gen_path(path, sizeof path, d->o->outdir, "ledger.xlsx")))
		return rc;
	wo.constant_memory = LXW_FALSE;
	wb = workbook_new_opt(path, &wo);
	if (!wb) {
		fprintf(stderr, "landguard-gen: cannot create '%s'\n", path);
		return GEN_WRITE;
	}
	/* a fixed creation time keeps the file byte-identical across runs */
	memset(&props, 0, sizeof props);
	props.title = "新绛县建设用地供应与土壤污染状况调查台账（模拟数据）";
	props.author = "landguard-gen";
	tm0.tm_year = 2026 - 1900;
	tm0.tm_mon = 0;
	tm0.tm_mday = 1;
	props.created = timegm(&tm0);
	workbook_set_properties(wb, &props);
	ws = workbook_add_worksheet(wb, "台账");
	for (int c = 0; c < 6; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, hdr[c], NULL);
	worksheet_set_column(ws, 1, 1, 16, NULL);
	worksheet_set_column(ws, 2, 2, 16, NULL);
	worksheet_set_column(ws, 3, 3, 14, NULL);
	worksheet_set_column(ws, 5, 5, 40, NULL);
	for (int k = 0; k < n; k++) {
		int y, m, dd;
		char date[32];
		lxw_row_t r = (lxw_row_t)(k + 1);
		sscanf(rows[k].date, "%d-%d-%d", &y, &m, &dd);
		/* offices type dates three ways; readers must take all three */
		if (k % 3 == 0)
			snprintf(date, sizeof date, "%s", rows[k].date);
		else if (k % 3 == 1)
			snprintf(date, sizeof date, "%d/%d/%d", y, m, dd);
		else
			snprintf(date, sizeof date, "%d年%d月%d日", y, m, dd);
		worksheet_write_number(ws, r, 0, k + 1, NULL);
		worksheet_write_string(ws, r, 1, rows[k].pid, NULL);
		worksheet_write_string(ws, r, 2, zh(EV_KEYS, 13, rows[k].event), NULL);
		worksheet_write_string(ws, r, 3, date, NULL);
		if (rows[k].result[0])
			worksheet_write_string(ws, r, 4, zh(RES_KEYS, 6, rows[k].result), NULL);
		if (rows[k].note[0])
			worksheet_write_string(ws, r, 5, rows[k].note, NULL);
	}
	if (workbook_close(wb) != LXW_NO_ERROR) {
		fprintf(stderr, "landguard-gen: cannot write '%s'\n", path);
		return GEN_WRITE;
	}
	return GEN_OK;
}

/* ---- groundwater: wells, sources ---- */

typedef struct well {
	const char *id, *name, *aquifer, *medium, *field;
	double K, I, n, Q;
	int drinking, slot;
	double dx, dy;
} well;

/* K, I, n chosen so that R = 1.5·K·I·T/n (HJ 338, T = 100 d / 1000 d)
 * falls inside the table range for the medium. */
static const well WELLS[] = {
	{"W01", "县城1号井", "潜水", "细砂", "县城水源地", 10, 0.005, 0.2, 2500, 1, 0, 0, 0},
	{"W02", "县城2号井", "潜水", "细砂", "县城水源地", 10, 0.005, 0.2, 2500, 1, 0, 80, 0},
	{"W03", "县城3号井", "潜水", "细砂", "县城水源地", 10, 0.005, 0.2, 2500, 1, 0, 380, 150},
	{"W04", "县城4号井", "潜水", "细砂", "县城水源地", 10, 0.005, 0.2, 2500, 1, 0, 700, -50},
	{"W05", "开发区1号井", "潜水", "中砂", "开发区水源地", 20, 0.005, 0.2, 1500, 1, 1, 0, 0},
	{"W06", "开发区2号井", "潜水", "中砂", "开发区水源地", 20, 0.005, 0.2, 1500, 1, 1, 400, 0},
	{"W07", "开发区3号井", "潜水", "中砂", "开发区水源地", 20, 0.005, 0.2, 1500, 1, 1, 200, 350},
	{"W08", "泽掌1号井", "潜水", "粗砂", "泽掌水源地", 40, 0.005, 0.2, 1200, 1, 2, 0, 0},
	{"W09", "泽掌2号井", "潜水", "粗砂", "泽掌水源地", 40, 0.005, 0.2, 1200, 1, 2, 500, 0},
	{"W10", "泽掌3号井", "潜水", "粗砂", "泽掌水源地", 40, 0.005, 0.2, 1200, 1, 2, 250, 450},
	{"W11", "阳王岩溶井", "潜水", "岩溶", NULL, 30, 0.005, 0.1, 800, 1, 3, 0, 0},
	{"W12", "古交裂隙井", "潜水", "裂隙", NULL, 2, 0.01, 0.05, 300, 1, 4, 0, 0},
	{"W13", "北张农灌井", "潜水", "砾石", NULL, 100, 0.003, 0.2, 600, 0, 5, 0, 0},
	{"W14", "三泉深井", "承压水", "卵石", NULL, 200, 0.004, 0.15, 1000, 1, 6, 0, 0},
};
#define N_WELLS ((int)(sizeof WELLS / sizeof WELLS[0]))

typedef struct src {
	const char *type, *name;
	int well; /* index into WELLS, -1: random */
	double dx, dy;
} src;

/* Planted sources, offset from a well. Radii (upper end, HJ 338 table):
 * 细砂 I 50 / II 500, 中砂 I 100 / II 1000, 粗砂 I 200 / II 2000. */
static const src SOURCES[] = {
	{"加油站", "城北加油站", 0, 0, 25},
	{"重点排污单位", "新绛县污水处理厂", 2, -30, -20},
	{"化工园区企业", "新绛县恒源化工有限公司", 3, 12, 0},
	{"垃圾填埋场", "新绛县生活垃圾填埋场", 3, 0, -300},
	{"加油站", "龙兴加油站", 0, -200, 0},
	{"重点排污单位", "新绛县热电厂", 2, 0, 450},
	{"危险废物处置场", "新绛县危险废物处置中心", 0, -750, 0},
	{"加油站", "北环路加油站", 3, 800, 0},
	{"重点排污单位", "新绛县印染厂", 0, 0, -900},
	{"化工园区企业", "新绛县立信化工有限公司", 4, 0, -60},
	{"化工园区企业", "新绛县晋缘精细化工有限公司", 5, 0, 700},
	{"重点排污单位", "新绛县造纸厂", 6, 0, 1300},
	{"加油站", "泽掌加油站", 7, -150, 0},
	{"垃圾填埋场", "泽掌镇垃圾填埋场", 8, 0, -1200},
};
#define N_SOURCES ((int)(sizeof SOURCES / sizeof SOURCES[0]))
#define N_RANDOM_SOURCES 18

static double upper_r2(const well *w)
{
	if (!strcmp(w->medium, "细砂"))
		return 500;
	if (!strcmp(w->medium, "中砂"))
		return 1000;
	if (!strcmp(w->medium, "粗砂"))
		return 2000;
	if (!strcmp(w->medium, "砾石"))
		return 5000;
	if (!strcmp(w->medium, "卵石"))
		return 10000;
	return 1.5 * w->K * w->I * 1000 / w->n;
}

static int nearest_well(const demo *d, dpt p, double *dist)
{
	int best = 0;
	*dist = INFINITY;
	for (int k = 0; k < N_WELLS; k++) {
		double dd = demo_dist(p, d->well_p[k]);
		if (dd < *dist) {
			*dist = dd;
			best = k;
		}
	}
	return best;
}

static int write_wells_sources(demo *d)
{
	static const gen_field wf[] = {
		{"well_id", OFTString, 8},  {"name", OFTString, 40}, {"aquifer", OFTString, 8},
		{"medium", OFTString, 8},   {"K", OFTReal, 0},       {"I", OFTReal, 0},
		{"n", OFTReal, 0},          {"Q", OFTReal, 0},       {"field", OFTString, 40},
		{"drinking", OFTInteger, 0}, {NULL, 0, 0}};
	static const gen_field sf[] = {{"source_id", OFTString, 10},
				       {"source_type", OFTString, 20},
				       {"name", OFTString, 60}, {NULL, 0, 0}};
	static const char *const rtypes[5] = {"加油站", "重点排污单位", "化工园区企业",
					      "加油站", "垃圾填埋场"};
	char path[PATH_MAX], buf[64];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	int rc, nsrc = 0;
	gen_rng r;
	gen_rng_seed(&r, d->o->seed ^ 0x5eedu);
	for (int k = 0; k < N_WELLS; k++) {
		dpt c = d->slot[WELL_SLOT0 + WELLS[k].slot];
		d->well_p[k].x = gen_mm(c.x + WELLS[k].dx);
		d->well_p[k].y = gen_mm(c.y + WELLS[k].dy);
	}
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "wells.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "wells", 4525, wkbPoint, wf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (int k = 0; k < N_WELLS; k++) {
		const well *w = &WELLS[k];
		GEOSGeometry *pt = demo_point(d, d->well_p[k]);
		OGR_F_SetFieldString(f, 0, w->id);
		OGR_F_SetFieldString(f, 1, w->name);
		OGR_F_SetFieldString(f, 2, w->aquifer);
		OGR_F_SetFieldString(f, 3, w->medium);
		OGR_F_SetFieldDouble(f, 4, w->K);
		OGR_F_SetFieldDouble(f, 5, w->I);
		OGR_F_SetFieldDouble(f, 6, w->n);
		OGR_F_SetFieldDouble(f, 7, w->Q);
		if (w->field)
			OGR_F_SetFieldString(f, 8, w->field);
		else
			OGR_F_SetFieldNull(f, 8);
		OGR_F_SetFieldInteger(f, 9, w->drinking);
		rc = demo_write_geos(d, lyr, f, pt, path);
		GEOSGeom_destroy_r(d->h, pt);
		if (rc)
			goto done;
		rc = GEN_WRITE;
	}
	if (gen_commit(lyr, path))
		goto done;
	OGR_F_Destroy(f);
	f = NULL;
	if (gen_close(ds, path))
		return GEN_WRITE;
	ds = NULL;

	if ((rc = gen_path(path, sizeof path, d->o->outdir, "sources.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "sources", 4525, wkbPoint, sf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	/* planted near wells, then the polluted parcels, then random ones far
	 * from every well (outside any zone) */
	for (int k = 0; k < N_SOURCES + 64 && nsrc < 80; k++) {
		dpt p;
		const char *type, *name;
		char nbuf[80];
		double dist;
		int wi;
		GEOSGeometry *pt;
		if (k < N_SOURCES) {
			const src *s = &SOURCES[k];
			p.x = gen_mm(d->well_p[s->well].x + s->dx);
			p.y = gen_mm(d->well_p[s->well].y + s->dy);
			type = s->type;
			name = s->name;
		} else {
			int q = k - N_SOURCES, st;
			if (q >= d->nsites)
				break;
			st = d->sites[q].g ? 1 : 0;
			if (!st || strcmp(d->sites[q].dkbh, "140825-WR-060") == 0)
				continue;
			if (strcmp(d->sites[q].stage, "污染地块") &&
			    strcmp(d->sites[q].stage, "列入名录") &&
			    strcmp(d->sites[q].stage, "风险管控/修复中"))
				continue;
			p.x = gen_mm(d->sites[q].c.x);
			p.y = gen_mm(d->sites[q].c.y);
			type = "污染地块";
			snprintf(nbuf, sizeof nbuf, "%s（%s）", d->sites[q].name, d->sites[q].dkbh);
			name = nbuf;
		}
		wi = nearest_well(d, p, &dist);
		snprintf(buf, sizeof buf, "SRC-%03d", ++nsrc);
		pt = demo_point(d, p);
		OGR_F_SetFieldString(f, 0, buf);
		OGR_F_SetFieldString(f, 1, type);
		OGR_F_SetFieldString(f, 2, name);
		rc = demo_write_geos(d, lyr, f, pt, path);
		GEOSGeom_destroy_r(d->h, pt);
		if (rc)
			goto done;
		rc = GEN_WRITE;
		note_case(d, "gw", "source", buf, WELLS[wi].id, type,
			  "nearest well %s (%s %s) at %.1f m", WELLS[wi].id, WELLS[wi].aquifer,
			  WELLS[wi].medium, dist);
	}
	for (int k = 0, tries = 0; k < N_RANDOM_SOURCES && tries < 100000; tries++) {
		dpt p = {gen_range(&r, d->minx, d->maxx), gen_range(&r, d->miny, d->maxy)};
		GEOSGeometry *pt = demo_point(d, p);
		int ok = GEOSPreparedContains_r(d->h, d->county_p, pt) == 1;
		double dist;
		int wi;
		for (int q = 0; ok && q < N_WELLS; q++)
			if (demo_dist(p, d->well_p[q]) < 1.5 * upper_r2(&WELLS[q]) + 500)
				ok = 0;
		if (!ok) {
			GEOSGeom_destroy_r(d->h, pt);
			continue;
		}
		wi = nearest_well(d, p, &dist);
		snprintf(buf, sizeof buf, "SRC-%03d", ++nsrc);
		OGR_F_SetFieldString(f, 0, buf);
		OGR_F_SetFieldString(f, 1, rtypes[k % 5]);
		{
			char nm[64];
			snprintf(nm, sizeof nm, "%s%s%d", DEMO_TOWNS[demo_town_of(d, p)],
				 rtypes[k % 5], k + 1);
			OGR_F_SetFieldString(f, 2, nm);
		}
		rc = demo_write_geos(d, lyr, f, pt, path);
		GEOSGeom_destroy_r(d->h, pt);
		if (rc)
			goto done;
		rc = GEN_WRITE;
		note_case(d, "gw", "source", buf, WELLS[wi].id, "outside",
			  "nearest well %s (%s %s) at %.1f m", WELLS[wi].id, WELLS[wi].aquifer,
			  WELLS[wi].medium, dist);
		k++;
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

/* ---- soil samples (GB 36600 metals, lab text as delivered) ---- */

typedef struct soil {
	const char *pid;
	double fx, fy, depth;
	/* 砷 镉 六价铬 铜 铅 汞 镍 苯并[a]芘 */
	const char *v[8];
} soil;

static const char *const SOIL_COLS[8] = {"砷", "镉", "六价铬", "铜", "铅", "汞", "镍",
					 "苯并[a]芘"};

/* First-class screening / intervention values (GB 36600-2018 table 1):
 * 砷 20/120, 镉 20/47, 六价铬 3.0/30, 铜 2000/8000, 铅 400/800, 汞 8/33,
 * 镍 150/600, 苯并[a]芘 0.55/5.5. */
static const soil SOILS[] = {
	{"140825-GD-023", -0.2, -0.2, 0.5, {"25", "0.01L", "ND", "35", "41", "0.08", "32", "0.1L"}},
	{"140825-GD-023", 0.2, -0.2, 1.5, {"12.4", "0.21", "0.5L", "28", "850", "0.06", "30", "ND"}},
	{"140825-GD-023", 0.2, 0.2, 0.2, {"10.8", "0.18", "未检出", "31", "56", "0.05", "29", "0.55"}},
	{"140825-GD-023", -0.2, 0.2, 3.0, {"9.6", "0.15", "未检出", "26", "33", "0.04", "27", "<0.05"}},
	{"140825-GD-024", -0.2, 0, 0.5, {"11.2", "0.2", "3.0", "30", "38", "0.07", "35", "0.1L"}},
	{"140825-GD-024", 0.2, 0, 1.0, {"13.5", "0.24", "0.5L", "33", "40", "0.06", "160", "0.1L"}},
	{"140825-GD-024", 0, 0.2, 2.0, {"18", "0.16", "ND", "29", "35", "ND", "31", "ND"}},
	{"140825-GD-025", -0.2, 0, 0.5, {"45", "0.3", "0.5L", "40", "60", "0.1", "38", "0.2"}},
	{"140825-GD-025", 0.2, 0, 1.5, {"14", "0.22", "未检出", "32", "36", "0.05", "30", "0.1L"}},
	{"140825-GD-002", -0.2, 0, 0.5, {"10.1", "0.12", "0.5L", "24", "29", "0.03", "26", "ND"}},
	{"140825-GD-002", 0.2, 0, 1.5, {"9.3", "0.01L", "0.5L", "22", "27", "0.02", "24", "ND"}},
	{"140825-GD-004", -0.2, 0, 0.5, {"12.6", "0.19", "0.5L", "30", "34", "0.05", "31", "0.1L"}},
	{"140825-GD-004", 0.2, 0, 1.0, {"11.9", "0.17", "ND", "27", "31", "0.04", "29", "<0.05"}},
	{"140825-GD-011", -0.2, 0, 0.5, {"13.2", "0.22", "0.5L", "34", "45", "0.09", "33", "0.3"}},
	{"140825-GD-011", 0.2, 0, 2.0, {"11.4", "0.2", "0.5L", "30", "39", "0.07", "30", "0.1L"}},
	{"140825-GD-020", 0, -0.2, 0.5, {"9.9", "0.14", "未检出", "25", "30", "0.03", "27", "ND"}},
	{"140825-GD-020", 0, 0.2, 1.5, {"10.4", "0.13", "未检出", "26", "28", "0.03", "26", "ND"}},
	{"140825-GD-028", -0.2, 0, 0.5, {"12.1", "0.18", "0.5L", "29", "35", "0.05", "30", "0.1L"}},
	{"140825-GD-028", 0.2, 0, 1.5, {"10.7", "0.16", "0.5L", "27", "32", "0.04", "28", "0.1L"}},
	{"140825-GD-030", -0.2, 0, 0.5, {"11.5", "0.2", "ND", "31", "37", "0.06", "31", "ND"}},
	{"140825-GD-030", 0.2, 0, 1.0, {"10.9", "0.19", "ND", "30", "34", "0.05", "29", "ND"}},
	{"140825-GD-031", 0, 0, 0.5, {"8.7", "0.11", "0.5L", "22", "25", "0.02", "23", "ND"}},
	{"140825-GD-033", 0, 0, 0.5, {"9.1", "0.12", "0.5L", "23", "26", "0.03", "24", "ND"}},
};
#define N_SOILS ((int)(sizeof SOILS / sizeof SOILS[0]))

static int write_soil(demo *d)
{
	gen_field sf[13] = {{"sample_id", OFTString, 10}, {"parcel_id", OFTString, 20},
			    {"depth_m", OFTReal, 0}};
	char path[PATH_MAX], buf[16];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	int rc;
	for (int c = 0; c < 8; c++) {
		sf[3 + c].name = SOIL_COLS[c];
		sf[3 + c].type = OFTString;
		sf[3 + c].width = 12;
	}
	sf[11].name = NULL;
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "soil_samples.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "samples", 4525, wkbPoint, sf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (int k = 0; k < N_SOILS; k++) {
		const soil *s = &SOILS[k];
		demo_parcel *p = parcel_id(d, s->pid);
		GEOSGeometry *pt;
		dpt q;
		if (!p) {
			fprintf(stderr, "landguard-gen: internal: sample for unknown parcel %s\n",
				s->pid);
			rc = GEN_INTERNAL;
			goto done;
		}
		/* offsets of ±0.2 of the short side keep the point inside even
		 * for a turned rectangle */
		q.x = p->c.x + s->fx * fmin(p->w, p->h);
		q.y = p->c.y + s->fy * fmin(p->w, p->h);
		pt = demo_point(d, q);
		if (GEOSContains_r(d->h, p->g, pt) != 1) {
			fprintf(stderr, "landguard-gen: internal: sample %d falls outside %s\n",
				k + 1, s->pid);
			GEOSGeom_destroy_r(d->h, pt);
			rc = GEN_INTERNAL;
			goto done;
		}
		snprintf(buf, sizeof buf, "SS-%03d", k + 1);
		OGR_F_SetFieldString(f, 0, buf);
		OGR_F_SetFieldString(f, 1, s->pid);
		OGR_F_SetFieldDouble(f, 2, s->depth);
		for (int c = 0; c < 8; c++)
			OGR_F_SetFieldString(f, 3 + c, s->v[c]);
		rc = demo_write_geos(d, lyr, f, pt, path);
		GEOSGeom_destroy_r(d->h, pt);
		if (rc)
			goto done;
		rc = GEN_WRITE;
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

/* ---- groundwater samples (GB/T 14848-2017) ---- */

static const char *const GW_COLS[14] = {"pH",   "总硬度", "溶解性总固体", "硫酸盐", "氯化物",
					"铁",   "锰",     "氨氮",         "硝酸盐", "亚硝酸盐",
					"氟化物", "砷",   "铅",           "六价铬"};
/* A value inside each class I..V (class limits: domain-facts.md §4;
 * nitrate, nitrite, ammonia as N). */
static const char *const GW_VAL[14][5] = {
	{"7.4", "7.6", "7.9", "8.7", "9.2"},
	{"120", "260", "420", "600", "720"},
	{"280", "460", "850", "1500", "2300"},
	{"40", "120", "230", "320", "410"},
	{"35", "110", "220", "330", "380"},
	{"0.05", "0.15", "0.25", "1.2", "2.6"},
	{"0.03", "0.05", "0.08", "0.9", "1.8"},
	{"0.015", "0.08", "0.35", "1.2", "2.1"},
	{"1.5", "4.2", "15", "22", "35"},
	{"0.005", "0.06", "0.6", "3.2", "5.5"},
	{"0.4", "0.8", "0.95", "1.6", "2.4"},
	{"0.0008", "0.001", "0.006", "0.03", "0.06"},
	{"0.003", "0.004", "0.008", "0.06", "0.15"},
	{"0.004", "0.008", "0.03", "0.08", "0.15"},
};
/* Lab non-detects for the class I values of 砷, 铅, 六价铬. */
static const char *const GW_ND[3][4] = {{"0.0003L", "ND", "<0.001", "未检出"},
					{"0.0025L", "ND", "<0.005", "未检出"},
					{"0.004L", "ND", "<0.004", "未检出"}};

typedef struct gwpt {
	const char *id, *name;
	int well; /* -1: monitoring well near a site */
	int site_no;
	int base;              /* class of most indicators */
	int worst_ind, worst_cls; /* one indicator forced to a class */
	int ind2, cls2;
} gwpt;

static const gwpt GWPTS[] = {
	{"GW-01", "县城1号井", 0, 0, 1, -1, 0, -1, 0},
	{"GW-02", "县城2号井", 1, 0, 1, 10, 3, -1, 0},
	{"GW-03", "县城3号井", 2, 0, 2, 8, 4, -1, 0},
	{"GW-04", "县城4号井", 3, 0, 2, -1, 0, -1, 0},
	{"GW-05", "开发区1号井", 4, 0, 2, 1, 4, 2, 4},
	{"GW-06", "开发区2号井", 5, 0, 3, -1, 0, -1, 0},
	{"GW-07", "泽掌1号井", 7, 0, 2, 0, 4, -1, 0},
	{"GW-08", "阳王岩溶井", 10, 0, 1, -1, 0, -1, 0},
	{"GW-09", "古交裂隙井", 11, 0, 2, 5, 4, 6, 4},
	{"GW-10", "三泉深井", 13, 0, 1, -1, 0, -1, 0},
	{"JC-01", "绛州化工厂下游监测井", -1, 2, 3, 13, 5, 11, 5},
	{"JC-02", "晋南农药厂监测井", -1, 3, 3, 7, 5, 9, 4},
	{"JC-03", "皮革厂监测井", -1, 5, 3, 13, 4, 4, 5},
	{"JC-04", "焦化厂监测井", -1, 1, 3, 7, 4, 12, 5},
	{"JC-05", "精细化工厂监测井", -1, 14, 2, 2, 4, 3, 5},
	{"JC-06", "县城背景监测井", -1, 9, 1, -1, 0, -1, 0},
};
#define N_GWPTS ((int)(sizeof GWPTS / sizeof GWPTS[0]))

static int write_gw(demo *d)
{
	gen_field gf[20] = {{"point_id", OFTString, 8}, {"name", OFTString, 40},
			    {"drinking", OFTInteger, 0}, {"sample_date", OFTString, 10}};
	char path[PATH_MAX], date[16];
	GDALDatasetH ds = NULL;
	OGRLayerH lyr;
	OGRFeatureH f = NULL;
	int rc;
	for (int c = 0; c < 14; c++) {
		gf[4 + c].name = GW_COLS[c];
		gf[4 + c].type = OFTString;
		gf[4 + c].width = 12;
	}
	gf[18].name = NULL;
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "gw_samples.gpkg")))
		return rc;
	rc = GEN_WRITE;
	if (!(ds = gen_create("GPKG", path, NULL)) ||
	    !(lyr = gen_layer(ds, path, "gw_samples", 4525, wkbPoint, gf, NULL)) ||
	    gen_begin(lyr, path))
		goto done;
	f = OGR_F_Create(OGR_L_GetLayerDefn(lyr));
	for (int k = 0; k < N_GWPTS; k++) {
		const gwpt *g = &GWPTS[k];
		dpt p;
		GEOSGeometry *pt;
		int worst = g->base;
		if (g->well >= 0) {
			p = d->well_p[g->well];
		} else {
			demo_site *s = site_no(d, g->site_no);
			/* a monitoring well just downstream (west) of the site */
			p.x = s->c.x - 260;
			p.y = s->c.y;
		}
		OGR_F_SetFieldString(f, 0, g->id);
		OGR_F_SetFieldString(f, 1, g->name);
		OGR_F_SetFieldInteger(f, 2, g->well >= 0 ? WELLS[g->well].drinking : 0);
		snprintf(date, sizeof date, "2026-09-%02d", 8 + k);
		OGR_F_SetFieldString(f, 3, date);
		for (int c = 0; c < 14; c++) {
			int cls = g->base;
			const char *v;
			if (c == g->worst_ind)
				cls = g->worst_cls;
			if (c == g->ind2)
				cls = g->cls2;
			if (cls > worst)
				worst = cls;
			v = GW_VAL[c][cls - 1];
			if (cls == 1 && c >= 11)
				v = GW_ND[c - 11][(k + c) % 4];
			OGR_F_SetFieldString(f, 4 + c, v);
		}
		pt = demo_point(d, p);
		rc = demo_write_geos(d, lyr, f, pt, path);
		GEOSGeom_destroy_r(d->h, pt);
		if (rc)
			goto done;
		rc = GEN_WRITE;
		note_case(d, "gw-quality", "gw_sample", g->id,
			  g->well >= 0 ? WELLS[g->well].id : "", worst <= 3 ? "ok" : "exceeds",
			  "overall class %s%s", (const char *[]){"I", "II", "III", "IV", "V"}[worst - 1],
			  g->well >= 0 && WELLS[g->well].drinking && worst > 3
				  ? " at a drinking point (target III)"
				  : "");
	}
	if (gen_commit(lyr, path))
		goto done;
	rc = GEN_OK;
done:
	if (f)
		OGR_F_Destroy(f);
	if (gen_close(ds, path) && rc == GEN_OK)
		rc = GEN_WRITE;
	return rc;
}

/* ---- 界址点坐标 TXT (domain-facts.md §6), GBK + CRLF ---- */

static void jzd_ring(FILE *fp, demo *d, const GEOSGeometry *ring, int ringno, int *pno,
		     int clockwise)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(d->h, ring);
	unsigned n = 0;
	int first = *pno;
	char ccw = 0, keep;
	double x, y;
	GEOSCoordSeq_getSize_r(d->h, cs, &n);
	GEOSCoordSeq_isCCW_r(d->h, cs, &ccw);
	/* shells clockwise, holes the other way, as county software writes
	 * them; same first vertex either way */
	keep = (clockwise && !ccw) || (!clockwise && ccw);
	for (unsigned k = 0; k + 1 < n; k++) {
		unsigned kk = keep || k == 0 ? k : n - 1 - k;
		GEOSCoordSeq_getXY_r(d->h, cs, kk, &x, &y);
		/* X is northing, Y the zone-prefixed easting */
		fprintf(fp, "J%d,%d,%.3f,%.3f\r\n", (*pno)++, ringno, y, x);
	}
	GEOSCoordSeq_getXY_r(d->h, cs, 0, &x, &y);
	fprintf(fp, "J%d,%d,%.3f,%.3f\r\n", first, ringno, y, x);
}

static int to_gbk(const char *in, size_t n, char **out, size_t *outn)
{
	iconv_t cd = iconv_open("GBK", "UTF-8");
	char *inp = (char *)in, *dst;
	size_t sl = n, dl = n * 2 + 16;
	if (cd == (iconv_t)-1)
		return -1;
	*out = malloc(dl);
	if (!*out) {
		iconv_close(cd);
		return -1;
	}
	dst = *out;
	if (iconv(cd, &inp, &sl, &dst, &dl) == (size_t)-1) {
		free(*out);
		*out = NULL;
		iconv_close(cd);
		return -1;
	}
	*outn = (size_t)(dst - *out);
	iconv_close(cd);
	return 0;
}

static int write_jzd(demo *d)
{
	static const char *const ids[3] = {"140825-GD-001", "140825-GD-002", "140825-GD-003"};
	static const char *const uses[3] = {"城镇住宅用地", "中小学用地", "城镇住宅用地"};
	char path[PATH_MAX];
	char *mem = NULL, *gbk = NULL;
	size_t memn = 0, gbkn = 0;
	FILE *fp = open_memstream(&mem, &memn), *out;
	int rc;
	if (!fp)
		return GEN_INTERNAL;
	fprintf(fp, "[属性描述]\r\n格式版本号=1.01版本\r\n数据产生单位=新绛县自然资源局\r\n"
		    "数据产生日期=2026-10-8\r\n坐标系=2000国家大地坐标系\r\n几度分带=3\r\n"
		    "投影类型=高斯克吕格\r\n计量单位=米\r\n带号=37\r\n精度=0.001\r\n"
		    "转换参数=,,,,,,\r\n[地块坐标]\r\n");
	for (int k = 0; k < 3; k++) {
		demo_parcel *p = parcel_id(d, ids[k]);
		const GEOSGeometry *shell = GEOSGetExteriorRing_r(d->h, p->g);
		int nh = GEOSGetNumInteriorRings_r(d->h, p->g), npts = 0, pno = 1;
		unsigned n = 0;
		GEOSCoordSeq_getSize_r(d->h, GEOSGeom_getCoordSeq_r(d->h, shell), &n);
		npts = (int)n;
		for (int q = 0; q < nh; q++) {
			GEOSCoordSeq_getSize_r(
				d->h, GEOSGeom_getCoordSeq_r(d->h, GEOSGetInteriorRingN_r(d->h, p->g, q)),
				&n);
			npts += (int)n;
		}
		/* 地块面积 in 公顷 (the ministry instruction) */
		fprintf(fp, "%d,%.4f,%s,%s,面,,%s,%s,@\r\n", npts, garea(d, p->g) / 10000.0,
			p->id, p->name, uses[k], p->plan);
		jzd_ring(fp, d, shell, 1, &pno, 1);
		for (int q = 0; q < nh; q++)
			jzd_ring(fp, d, GEOSGetInteriorRingN_r(d->h, p->g, q), 2 + q, &pno, 0);
	}
	fclose(fp);
	if (to_gbk(mem, memn, &gbk, &gbkn)) {
		fprintf(stderr, "landguard-gen: cannot convert the 界址点 file to GBK (iconv)\n");
		free(mem);
		return GEN_INTERNAL;
	}
	free(mem);
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "jzd/parcels_gbk.txt"))) {
		free(gbk);
		return rc;
	}
	out = fopen(path, "wb");
	if (!out || fwrite(gbk, 1, gbkn, out) != gbkn || fclose(out) != 0) {
		fprintf(stderr, "landguard-gen: cannot write '%s'\n", path);
		free(gbk);
		return GEN_WRITE;
	}
	free(gbk);
	return GEN_OK;
}

/* ---- what each case is for, with measured numbers ---- */

static int is_yzlg(const char *code)
{
	return !strncmp(code, "07", 2) || !strncmp(code, "08", 2);
}

static int not_controlled(const char *stage)
{
	return !strcmp(stage, "污染地块") || !strcmp(stage, "列入名录") ||
	       !strcmp(stage, "风险管控/修复中");
}

static void note_all_cases(demo *d)
{
	static const char *const rows[][6] = {
		{"YZ-01", "parcel", "140825-GD-001", "", "violation",
		 "1001→070102, 出让 2026-10-12, no investigation"},
		{"YZ-01", "parcel", "140825-GD-002", "", "ok",
		 "investigation clean 2026-06-18 before 划拨 2026-10-01"},
		{"YZ-01", "parcel", "140825-GD-003", "", "violation",
		 "investigation polluted, no risk assessment, 出让 2026-10-31"},
		{"YZ-01", "parcel", "140825-GD-004", "", "ok",
		 "polluted → risk acceptable → 划拨 2026-10-20"},
		{"YZ-01", "parcel", "140825-GD-005", "", "violation",
		 "出让 2026-10-15 before investigation 2026-10-22"},
		{"YZ-01", "parcel", "140825-GD-006", "", "exempt",
		 "orig 070102 already 一住两公"},
		{"YZ-01", "parcel", "140825-GD-007", "", "exempt",
		 "orig 080403 already 一住两公"},
		{"YZ-01", "parcel", "140825-GD-011", "140825-WR-007", "ok",
		 "full chain, effect passed, site removed (移出名录)"},
		{"YZ-01", "parcel", "140825-GD-028", "140825-WR-009", "ok",
		 "investigation clean 2025-06-11 before 出让 2026-10-21"},
		{"YZ-01", "parcel", "140825-GD-033", "", "ok",
		 "0103→0703 investigation clean before 划拨 2026-10-25"},
		{"YZ-02", "parcel", "140825-GD-008", "140825-WR-004", "violation",
		 "列入名录 site planned 070102"},
		{"YZ-02", "parcel", "140825-GD-009", "140825-WR-005", "violation",
		 "风险管控/修复中 site planned 080404"},
		{"YZ-02", "parcel", "140825-GD-010", "140825-WR-006", "violation",
		 "效果评估通过 (still listed) planned 0701"},
		{"YZ-02", "parcel", "140825-GD-016", "140825-WR-003", "violation",
		 "列入名录 农药 site planned 070102 (also YZ-04)"},
		{"YZ-02", "parcel", "140825-GD-011", "140825-WR-007", "no finding",
		 "site 移出名录"},
		{"YZ-03", "parcel", "140825-GD-012", "140825-WR-013", "violation",
		 "listed site 收回 2026-10-09 and 出让 2026-10-27"},
		{"YZ-03", "parcel", "140825-GD-013", "140825-WR-012", "violation",
		 "风险管控/修复中 site 收购 2025-05-20"},
		{"YZ-04", "parcel", "140825-GD-014", "140825-WR-001", "violation",
		 "焦化 污染地块 planned 080403"},
		{"YZ-04", "parcel", "140825-GD-015", "140825-WR-002", "violation",
		 "化工 污染地块 planned 0701"},
		{"YZ-04", "parcel", "140825-GD-016", "140825-WR-003", "violation",
		 "农药 列入名录 planned 070102"},
		{"YZ-04", "parcel", "140825-GD-028", "140825-WR-009", "no finding",
		 "化工 site 调查后非污染地块"},
		{"YZ-05", "parcel", "140825-GD-017", "140825-WR-014", "violation",
		 "施工许可 2026-10-05 before required risk assessment 2026-10-25"},
		{"YZ-05", "parcel", "140825-GD-018", "140825-WR-015", "violation",
		 "effect assessment failed 2026-08-20, 施工许可 2026-10-14"},
		{"YZ-05", "parcel", "140825-GD-019", "140825-WR-016", "ok",
		 "effect passed 2026-03-02 before 施工许可 2026-10-20"},
		{"YZ-07", "parcel", "140825-GD-023", "", "finding",
		 "SS-001 砷 25 > screening 20; SS-002 铅 850 > intervention 800; SS-003 苯并[a]芘 0.55 = screening (not above)"},
		{"YZ-07", "parcel", "140825-GD-024", "", "finding",
		 "SS-005 六价铬 3.0 = screening (not above); SS-006 镍 160 > screening 150"},
		{"YZ-07", "parcel", "140825-GD-025", "", "no finding",
		 "plan 1001 (second class), SS-008 砷 45 < 60"},
		{"YZ-08", "parcel", "140825-GD-026", "140825-WR-010", "violation",
		 "农药 site reclaimed as 0103 旱地"},
		{"YZ-08", "parcel", "140825-GD-027", "140825-WR-011", "violation",
		 "电镀 site reclaimed as 0101 水田"},
		{"YZ-09", "parcel", "140825-GD-029", "U-003", "violation",
		 "unit land 变更用途 2026-10-10 + 出让 2026-10-26, no report"},
		{"YZ-09", "parcel", "140825-GD-030", "U-005", "ok",
		 "report filed (investigation 2026-04-08) before 出让 2026-10-19"},
		{"YZ-10", "site", "140825-WR-059", "", "defect",
		 "register row with no geometry"},
		{"YZ-10", "site", "140825-WR-060", "", "defect",
		 "geometry outside the county (in 稷山县)"},
		{"period", "ledger", "140825-GD-002", "", "edge",
		 "划拨 on 2026-10-01 (first day of the October period)"},
		{"period", "ledger", "140825-GD-003", "", "edge",
		 "出让 on 2026-10-31 (last day of the October period)"},
		{"period", "ledger", "140825-GD-022", "", "outside",
		 "出让 on 2026-09-30 (one day before the October period)"},
	};
	for (size_t k = 0; k < sizeof rows / sizeof rows[0]; k++)
		note_case(d, rows[k][0], rows[k][1], rows[k][2], rows[k][3], rows[k][4], "%s",
			  rows[k][5]);
	/* YZ-06, measured: every 一住两公 parcel against every site whose risk
	 * is not yet controlled, within 1 km */
	for (int i = 0; i < d->nparcels; i++) {
		demo_parcel *p = &d->parcels[i];
		if (!is_yzlg(p->plan))
			continue;
		for (int k = 0; k < d->nsites; k++) {
			demo_site *s = &d->sites[k];
			double dd;
			if (!s->g || !not_controlled(s->stage))
				continue;
			dd = gdist(d, p->g, s->g);
			if (dd > 1000)
				continue;
			note_case(d, "YZ-06", "parcel", p->id, s->dkbh,
				  dd == 0 ? "overlaps" : dd <= 500 ? "within-500m" : "beyond-500m",
				  "%s (%s) plan %s; edge distance %.1f m", s->name, s->stage, p->plan,
				  dd);
		}
	}
	/* river bands, measured from the management line */
	{
		static const char *const rn[4] = {"汾河", "浍河", "三泉河", "三泉水库"};
		for (int i = 0; i < d->nparcels + d->nsites; i++) {
			const GEOSGeometry *g = i < d->nparcels ? d->parcels[i].g
								: d->sites[i - d->nparcels].g;
			const char *id = i < d->nparcels ? d->parcels[i].id
							 : d->sites[i - d->nparcels].dkbh;
			if (!g)
				continue;
			for (int r = 0; r < 4; r++) {
				double dd = gdist(d, g, d->mgmt[r]);
				if (dd > 50)
					continue;
				note_case(d, "band", i < d->nparcels ? "parcel" : "site", id, rn[r],
					  dd < 30 ? "0-30m" : "30-50m",
					  "%.1f m outside the management line", dd);
			}
		}
	}
}

int demo_cases_write(demo *d)
{
	char path[PATH_MAX];
	int rc;
	if ((rc = gen_path(path, sizeof path, d->o->outdir, "cases.csv")))
		return rc;
	if (!(d->cases = fopen(path, "wb"))) {
		fprintf(stderr, "landguard-gen: cannot write '%s'\n", path);
		return GEN_WRITE;
	}
	fprintf(d->cases, "rule,kind,id,related,expect,detail\n");
	note_all_cases(d);
	if ((rc = write_sites(d)) || (rc = write_parcels(d)) || (rc = write_ledger(d)) ||
	    (rc = write_wells_sources(d)) || (rc = write_soil(d)) || (rc = write_gw(d)) ||
	    (rc = write_jzd(d)))
		goto done;
done:
	if (fclose(d->cases) != 0 && rc == GEN_OK) {
		fprintf(stderr, "landguard-gen: cannot write '%s'\n", path);
		rc = GEN_WRITE;
	}
	d->cases = NULL;
	return rc;
}
