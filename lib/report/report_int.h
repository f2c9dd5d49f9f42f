/* Private to lib/report: the run's results, and the document model that
 * the HTML and PDF writers both draw, so the two carry the same content. */
#ifndef LG_REPORT_INT_H
#define LG_REPORT_INT_H

#include "landguard/report.h"
#include "landguard/render.h"
#include "landguard/workspace.h"
#include "lg_internal.h"

const char *lg__report_output_key(lg_report_output o);
/* Field of a findings table by its English or Chinese header; -1. */
int lg__findings_field(const lg_layer *l, const char *en, const char *zh);

/* --- the document -------------------------------------------------------- */

typedef enum lg__doc_kind {
	LG_DOC_H1 = 0,   /* section heading (numbered by the writer's order) */
	LG_DOC_H2,       /* sub-heading */
	LG_DOC_P,        /* paragraph */
	LG_DOC_NOTE,     /* small print under a table or map */
	LG_DOC_FIGS,     /* key figures: big numbers with labels */
	LG_DOC_TABLE,    /* a table (header row unless kv) */
	LG_DOC_IMAGE,    /* a map (PNG) */
	LG_DOC_BREAK,    /* page break (atlas pages) */
} lg__doc_kind;

/* Cell marks: severities as lg_severity, plus "good" (cleared, resolved). */
enum { LG_MARK_NONE = -1, LG_MARK_GOOD = 3 };

typedef struct lg__cell {
	char *text;
	int mark;  /* LG_MARK_NONE, lg_severity, LG_MARK_GOOD */
	bool num;  /* right-aligned */
} lg__cell;

typedef struct lg__table {
	size_t ncols, nrows; /* rows begun */
	size_t nfill, cap;   /* cells filled, cells allocated */
	char **head;    /* ncols */
	double *width;  /* relative column widths */
	lg__cell *cells; /* nrows * ncols */
	bool kv;        /* label/value pairs: no header, odd columns are labels */
} lg__table;

typedef struct lg__fig {
	char *label, *value;
	int mark;
} lg__fig;

typedef struct lg__block {
	lg__doc_kind kind;
	char *text;     /* heading, paragraph, note, image caption */
	char *anchor;   /* HTML id; NULL = none */
	lg__table *table;
	lg__fig *figs;
	size_t nfigs;
	char *image;    /* PNG path */
	int img_w, img_h; /* px */
	double img_mm;  /* width on paper */
} lg__block;

typedef struct lg__doc {
	char *title, *subtitle, *office, *date; /* date: YYYY-MM-DD */
	lg__block *b;
	size_t n, cap;
} lg__doc;

lg__doc *lg__doc_create(lg_ctx *ctx, const char *title, const char *subtitle,
			const char *office, const char *date);
void lg__doc_destroy(lg__doc *d);
/* Appends a block; text is copied (printf-style).  NULL on OOM. */
lg__block *lg__doc_add(lg_ctx *ctx, lg__doc *d, lg__doc_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* A table block with these headings and relative widths. */
lg__table *lg__doc_table(lg_ctx *ctx, lg__doc *d, size_t ncols, const char *const *head,
			 const double *width);
/* Appends one cell (rows fill left to right); text copied. */
lg_status lg__table_cell(lg_ctx *ctx, lg__table *t, const char *text, int mark, bool num);
lg_status lg__table_cellf(lg_ctx *ctx, lg__table *t, int mark, bool num, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
lg_status lg__doc_fig(lg_ctx *ctx, lg__block *b, const char *label, const char *value, int mark);
lg_status lg__doc_image(lg_ctx *ctx, lg__doc *d, const char *png, double width_mm,
			const char *caption);

/* Writers: nothing computed, only drawn.  Atomic through the caller's
 * temporary directory. */
lg_status lg__html_write(lg_ctx *ctx, const lg__doc *d, const char *path);
lg_status lg__pdf_write(lg_ctx *ctx, const lg__doc *d, const char *path);

/* --- the run ------------------------------------------------------------- */

/* One parcel of the 清零 list (monthly): its supply and soil steps. */
typedef struct lg__qrow {
	char *parcel_id, *name, *town, *plan, *supply, *supply_date;
	char *step[6];  /* investigation, assessment, control/remediation, effect, aftercare, (unused) */
	char *problem, *next_step;
	double area_m2;
	bool open;      /* a violation: not cleared */
	int worst;      /* lg_severity of its worst finding */
} lg__qrow;

/* One parcel (or register site) with findings: an atlas page. */
typedef struct lg__apar {
	char *id, *name, *town, *orig, *plan, *stage;
	double area_m2, area_ellps_m2;
	int worst;
	size_t first, n; /* its rows in the findings layer */
	const lg_geom *geom; /* borrowed from parcels or sites; NULL = none */
	bool from_sites;
	char *map;       /* PNG of its map, NULL when none */
} lg__apar;

/* Counts for the quarterly review. */
typedef struct lg__count {
	char *key;
	size_t n[LG_STAGE__COUNT + 1]; /* per stage, then total */
	double area_m2;
	size_t sev[LG_SEV__COUNT];     /* findings on parcels of this town */
} lg__count;

struct lg_report {
	const lg_report_job *job; /* borrowed: outlives the report */
	lg_report_opts opts;
	char date[11];
	lg_crs *work;
	lg_landuse *lu;
	lg_check_tables *tables;
	lg_soil_limits *soil;
	lg_layer *parcels, *sites, *units, *samples, *county, *towns, *water, *wells;
	lg_layer *plan_map;   /* the plan (or survey) as a layer, for maps */
	lg_ledger *ledger;
	lg_stage *site_stage;
	lg_layer *findings;   /* check output: parcel_id, rule_id, ... */
	lg_check_summary csum;
	lg__qrow *q;
	size_t nq;
	lg_report_diff *diffs;
	size_t ndiffs;
	lg_layer *prev;       /* previous findings */
	char *prev_name;
	lg__count *by_town;
	size_t ntowns;
	size_t stage_n[LG_STAGE__COUNT];
	double stage_m2[LG_STAGE__COUNT];
	lg_layer *overlay;
	lg_overlay_summary osum;
	lg_layer *rb_rows;
	lg_riverbuf_summary rbsum;
	bool has_rbsum;
	lg_gwzones *zones;
	lg_layer *hits;
	lg_gwz_hits_summary hsum;
	lg_layer *gwq;        /* gwquality of gw_samples: point_id, class, ... */
	lg_gwquality_summary gwqsum;
	lg_layer *focus;      /* parcels with findings, for maps (finding_level) */
	lg__apar *atlas;
	size_t natlas;
	char **maps;          /* overview map PNG paths (in the temp dir) */
	char **map_titles;
	size_t nmaps;
	lg_report_summary sum;
};

/* Writes ledger.xlsx from the results (lib/report/xlsx.c). */
lg_status lg__xlsx_write(lg_ctx *ctx, const lg_report *r, const char *path);
/* Draws the maps into dir (lib/report/maps.c): overview maps and one per
 * atlas parcel. */
lg_status lg__report_maps(lg_ctx *ctx, lg_report *r, const char *dir);
/* Builds the document (lib/report/compose.c). */
lg_status lg__report_compose(lg_ctx *ctx, const lg_report *r, lg__doc **out);

/* Sheet of a rule: 0 一住两公 (YZ-01..07), 1 复垦 (YZ-08), 2 重点单位 (YZ-09),
 * 3 数据缺陷 (YZ-10). */
int lg__rule_family(const char *rule_id);

/* Formatting helpers shared by the writers. */
void lg__fmt_m2(char *buf, size_t n, double m2);  /* 12,345.67 */
void lg__fmt_mu(char *buf, size_t n, double m2);  /* 亩 with 2 decimals */
const char *lg__sev_zh(int sev);                  /* 违规 风险 提示, "" */
/* Long date 2026年10月31日 */
void lg__fmt_date_zh(char *buf, size_t n, const char *iso);

#endif
