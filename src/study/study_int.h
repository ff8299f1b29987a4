/* study_int.h: what the files of src/study share (internal). */
#ifndef CKP_STUDY_INT_H
#define CKP_STUDY_INT_H

#include <stddef.h>

#include "ckp/study.h"

/* Append one item (strings copied). */
ckp_status st_portfolio_add(ckp_portfolio *pf, ckp_item_kind kind, const char *id,
                            const char *option, int start, const char *file, int line);
/* Read a whole file (NUL-terminated; caller frees); CKP_EIO + diagnostic. */
ckp_status st_read_file(const char *path, char **data, size_t *size,
                        ckp_diag_list *diag);
/* The XML portfolio reader (src/input/portfolio_xml.c). */
ckp_status st_portfolio_read_xml(const char *path, const char *data, size_t size,
                                 ckp_portfolio *pf, ckp_diag_list *diag);

/* Objective of the plan with the fixed portfolio fx (a model built with
 * mp + fixed, solved); *value NAN when it has no solution. */
ckp_status st_fixed_objective(const ckp_plan *plan, const ckp_model_params *mp,
                              const ckp_solve_params *sp, const ckp_fixed_portfolio *fx,
                              double *value, ckp_diag_list *diag);

/* A result's portfolio as a first incumbent (warm.c): less project drop
 * (-1 = none).  fx points into the arrays; st_start_fini frees them. */
typedef struct st_start {
    int *option, *start, *upgrade_start;
    unsigned char *stockpile;
    ckp_fixed_portfolio fx;
} st_start;
ckp_status st_start_from(const ckp_result *r, int drop, st_start *s);
void st_start_fini(st_start *s); /* accepts NULL */
/* The exposure key r proved optimal (stage 1 of a lexicographic solve),
 * a lower bound for any re-solve whose feasible set is a subset of r's;
 * NAN when r is not proven or is min-cost. */
double st_proven_exposure(const ckp_result *r);

/* The objective gap below which a portfolio counts as optimal at its
 * money (relative, absolute below 1): no move is searched, none shown. */
#define CKP_REGRET_TOL 1e-7

/* Evaluate's regret, shared by its text, JSON and HTML forms
 * (evaluate_report.c): a move in words ("swap a for c (loan, 2027)"),
 * the mean chokepoint share of stage s over the horizon's years (NAN when
 * none is defined), the items funded in a and not the same way in b, and
 * whether the regret is nil (within the tolerance of a proven optimum). */
void st_move_text(const ckp_evaluation *e, const ckp_move *m, char *buf, size_t size);
double st_stage_mean(const ckp_result *r, int s);
void st_differing(const ckp_result *a, const ckp_result *b,
                  void (*emit)(void *ctx, const char *item), void *ctx);
int st_no_regret(const ckp_evaluation *e);

#endif
