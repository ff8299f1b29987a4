ckp_module(solver solver/solver_glpk.c solver/glpk_guard.c solver/callback.c solver/root_cuts.c solver/branch.c solver/model_io.c solver/params.c solver/heuristic.c solver/reduce.c solver/cuts.c solver/tabmir.c)
target_link_libraries(ckp_solver PRIVATE GLPK::GLPK)
