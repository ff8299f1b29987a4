ckp_module(model model/mip.c model/build.c model/build_prep.c model/build_cols.c model/build_rows.c model/build_finance.c model/build_goal.c model/build_feeds.c model/greedy.c model/mathprog.c)
