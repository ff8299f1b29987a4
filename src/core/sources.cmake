ckp_module(core core/run.c core/post.c core/extract.c core/finance.c core/risk.c core/lex.c core/why.c core/hints.c)
