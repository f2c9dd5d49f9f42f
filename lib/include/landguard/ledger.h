/**
 * The events ledger (CONTRACT.md "events ledger"): land supply, permits and
 * the steps of a polluted parcel's life, one row per event, read from CSV
 * or XLSX files with English or Chinese headers.
 *
 * Event and result spellings come from `<datadir>/vocab/events.csv` and
 * `<datadir>/vocab/results.csv` (read at run time, so an office can add its
 * own spellings); the keys themselves are CONTRACT.md's and fixed here.
 *
 * Ownership: lg_ledger_read() hands a ledger to the caller, who frees it
 * with lg_ledger_destroy() (NULL is a no-op).  Strings in events are owned
 * by the ledger.  A ledger is read-only after loading.
 */
#ifndef LANDGUARD_LEDGER_H
#define LANDGUARD_LEDGER_H

#include <stdint.h>

#include "landguard/layer.h"

#ifdef __cplusplus
extern "C" {
#endif

/** X(name, key, Chinese name, is_land_event) */
#define LG_EVENT_MAP(X)                                                        \
	X(ALLOCATE, "allocate", "划拨", 1)                                      \
	X(TRANSFER, "transfer", "出让", 1)                                      \
	X(RECOVER, "recover", "收回", 1)                                        \
	X(PURCHASE, "purchase", "收购", 1)                                      \
	X(CHANGE_USE, "change_use", "变更用途", 1)                              \
	X(PLANNING_PERMIT, "planning_permit", "规划许可", 1)                    \
	X(CONSTRUCTION_PERMIT, "construction_permit", "施工许可", 1)            \
	X(INVESTIGATION, "investigation", "土壤污染状况调查", 0)                \
	X(RISK_ASSESSMENT, "risk_assessment", "风险评估", 0)                    \
	X(CONTROL, "control", "风险管控", 0)                                    \
	X(REMEDIATION, "remediation", "修复", 0)                                \
	X(EFFECT_ASSESSMENT, "effect_assessment", "效果评估", 0)                \
	X(AFTERCARE, "aftercare", "后期管理", 0)

typedef enum lg_event_kind {
#define LG__E(n, k, zh, land) LG_EV_##n,
	LG_EVENT_MAP(LG__E)
#undef LG__E
	LG_EV__COUNT
} lg_event_kind;

/** X(name, key, Chinese name, event it belongs to) */
#define LG_RESULT_MAP(X)                                                       \
	X(NONE, "", "", LG_EV__COUNT)                                          \
	X(POLLUTED, "polluted", "污染", LG_EV_INVESTIGATION)                     \
	X(CLEAN, "clean", "未污染", LG_EV_INVESTIGATION)                         \
	X(NEEDS_ACTION, "needs_action", "需管控修复", LG_EV_RISK_ASSESSMENT)     \
	X(ACCEPTABLE, "acceptable", "风险可接受", LG_EV_RISK_ASSESSMENT)         \
	X(PASSED, "passed", "达标", LG_EV_EFFECT_ASSESSMENT)                     \
	X(FAILED, "failed", "未达标", LG_EV_EFFECT_ASSESSMENT)                   \
	X(REMEDIATION_WORKS, "remediation_works", "修复工程", LG_EV_CONSTRUCTION_PERMIT)

typedef enum lg_event_result {
#define LG__R(n, k, zh, ev) LG_RES_##n,
	LG_RESULT_MAP(LG__R)
#undef LG__R
	LG_RES__COUNT
} lg_event_result;

/** "allocate" ...; "unknown" out of range; never NULL. */
const char *lg_event_name(lg_event_kind k);
/** "划拨" ...; "未知" out of range; never NULL. */
const char *lg_event_zh(lg_event_kind k);
/** True for land supply and permit events (allocate ... construction_permit). */
bool lg_event_is_land(lg_event_kind k);
/** "polluted" ... ("" for NONE); never NULL. */
const char *lg_result_name(lg_event_result r);
/** "污染" ... ("" for NONE); never NULL. */
const char *lg_result_zh(lg_event_result r);

/** One ledger row. */
typedef struct lg_event {
	char *parcel_id;
	lg_event_kind kind;
	int32_t date;           /**< days since 1970-01-01 */
	lg_event_result result; /**< LG_RES_NONE when the cell is empty */
	char *note;             /**< "" when none */
	const char *file;       /**< the source as given; borrowed from the ledger */
	long row;               /**< row as the user sees it: header = row 1 */
	size_t seq;             /**< position in input order (all files) */
} lg_event;

typedef struct lg_ledger {
	lg_event *ev; /**< sorted by parcel_id (lg_id_cmp), date, seq */
	size_t n, cap;
	char **files; /**< the sources, in the order given */
	size_t nfiles;
} lg_ledger;

/**
 * Reads `n` ledgers (CSV, XLSX or anything GDAL reads as a table; a
 * "PATH#SHEET" picks a sheet) and merges them.  Headers may be English
 * (parcel_id, event, date, result, note) or Chinese (地块编号, 事项, 日期,
 * 结论, 备注); 序号 and other columns are ignored.  When a spreadsheet's
 * header row was taken as data (GDAL guesses so when every cell of the
 * sheet is text), the first row is used as the header.
 *
 * Dates: 2023-07-01, 2023/7/1, 2023.7.1, 2023年7月1日 (a time after the date
 * is ignored), or an Excel serial day number in a numeric cell.
 * Rows: CSV row = FID + 1 (header = row 1); XLSX/ODS row = the sheet row.
 *
 * Errors (exit 3 in the CLI), each naming file, row, column and value and
 * what to do: LG_NOFILE; LG_FIELD for a missing column (listing the columns
 * found); LG_CODE for an unknown event or result, or a result that belongs
 * to another event; LG_INPUT for an empty parcel id or a date that does not
 * parse or does not exist.  On error *out is NULL.
 */
lg_status lg_ledger_read(lg_ctx *ctx, const char *const *sources, size_t n,
			 const lg_read_opts *opts, lg_ledger **out);
/** Frees a ledger; NULL is a no-op. */
void lg_ledger_destroy(lg_ledger *l);

/**
 * Events of one parcel: *first receives the index of its first event in
 * l->ev and the return value how many there are (0 when none).
 */
size_t lg_ledger_find(const lg_ledger *l, const char *parcel_id,
		      size_t *first);

/**
 * Parses a date as the ledger accepts it (see lg_ledger_read) into days
 * since 1970-01-01.  False when it does not parse or the day does not
 * exist (2023-02-30).
 */
bool lg_date_parse(const char *s, int32_t *days);
/** Days since 1970-01-01 from an Excel (1900 system) serial number. */
int32_t lg_date_from_excel(double serial);
/** Writes YYYY-MM-DD (11 bytes with the NUL) into buf. */
void lg_date_format(int32_t days, char buf[11]);

#ifdef __cplusplus
}
#endif
#endif
