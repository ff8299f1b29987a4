ckp_module(model model/mip.c model/build.c model/greedy.c model/mathprog.c)
