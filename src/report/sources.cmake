ckp_module(report report/report_text.c report/report_json.c report/report_csv.c
           report/figures.c report/tables.c report/summary.c report/next_budget.c
           report/html.c report/charts.c report/sweep_html.c report/sweep_package.c report/datapackage.c
           report/outdir.c report/common.c report/json.c report/scenarios.c
           report/scorecard.c report/scorecard_chain.c report/finance.c)
# libxml2's xmlTextWriter writes report.html (html.c, charts.c, sweep_html.c only).
target_link_libraries(ckp_report PRIVATE LibXml2::LibXml2)
