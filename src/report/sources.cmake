ckp_module(report report/report_text.c report/report_json.c report/report_csv.c
           report/figures.c report/tables.c report/summary.c
           report/outdir.c report/common.c report/json.c report/scenarios.c)
