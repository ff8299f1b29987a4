/* compare_int.h: the comparison of two runs as rows (compare.c computes
 * them, compare_report.c writes them). */
#ifndef CKP_COMPARE_INT_H
#define CKP_COMPARE_INT_H

#include "study/study_int.h"
#include "util/json_read.h"

typedef enum cmp_section {
    CMP_WARNING = 0, /* different input or settings */
    CMP_HEADLINE,    /* every headline figure, differs or not */
    CMP_ADDED,       /* an item funded in B only */
    CMP_DROPPED,     /* in A only */
    CMP_CHANGED,     /* in both, another option, start or money */
    CMP_STAGE,       /* portfolio share per stage and year that differs */
    CMP_BUDGET,      /* disbursement per year that differs */
    CMP_SCENARIO     /* scenario value / shortage that differs */
} cmp_section;

typedef struct cmp_row {
    cmp_section section;
    char *label;
    char *a_str, *b_str; /* the values as text ("-" = absent) */
    double a, b;         /* numbers, NAN when not numbers */
    int differs;         /* counts as a difference (warnings do not) */
} cmp_row;

struct ckp_comparison {
    char *path_a, *path_b; /* the summary.json files read */
    ckp_json *a, *b;
    cmp_row *rows;
    int n_rows, cap_rows;
};

#endif
