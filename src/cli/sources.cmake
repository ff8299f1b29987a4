add_executable(chokepoint cli/main.c cli/cmd_check.c cli/cmd_solve.c cli/cmd_export.c
               cli/cmd_evaluate.c cli/cmd_compare.c cli/cmd_sweep.c cli/cmd_merge.c
               cli/common.c cli/generate.c)
target_include_directories(chokepoint PRIVATE ${CKP_COMMON_INCLUDES})
target_link_libraries(chokepoint PRIVATE ckp)
