ckp_module(core core/run.c)
