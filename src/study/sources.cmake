ckp_module(study study/portfolio.c study/resolve.c study/evaluate.c
           study/evaluate_report.c study/evaluate_html.c study/pool.c
           study/compare.c study/compare_report.c study/compare_html.c
           study/explain.c study/explain_report.c study/next.c study/warm.c
           study/sweep.c study/sweep_budgets.c study/sweep_chain.c study/sweep_point.c study/sweep_files.c
           study/sweep_out.c study/sweep_warm.c)
