# Sourced by scripts/demo.sh (LG, D, O, say): the reports a bureau takes to its
# meetings, from the job files in examples/ — the monthly 清零 report of October 2026
# and the quarterly review of 2026Q4 (compared with examples/previous_2026Q3_findings.csv).
REPORTDATE_M=${REPORTDATE_M:-2026-10-31}
REPORTDATE_Q=${REPORTDATE_Q:-2026-12-31}

say "月度清零报告 report: examples/monthly_2026-10.ini -> $O/report_2026-10/ (HTML, PDF, 台账 XLSX, maps, atlas)"
"$LG" report --config examples/monthly_2026-10.ini -o "$O/report_2026-10" --date "$REPORTDATE_M"

say "季度调度分析 report: examples/quarterly_2026Q4.ini -> $O/report_2026Q4/ (changes since 2026Q3, counts, riverbuf, gwzone)"
"$LG" report --config examples/quarterly_2026Q4.ini -o "$O/report_2026Q4" --date "$REPORTDATE_Q"
