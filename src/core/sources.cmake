ckp_module(core core/run.c core/lex.c core/why.c core/hints.c)
