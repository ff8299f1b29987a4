/* mathprog_int.h: what the two files of the MathProg twin's data share
 * (mathprog.c: symbols, numbers, settings, financing, scenarios and the
 * entry points; mathprog_plan.c: the plan's own sections).  Not
 * installed; nothing outside src/model includes it. */
#ifndef CKP_MODEL_MATHPROG_INT_H
#define CKP_MODEL_MATHPROG_INT_H

#include <stdio.h>

#include "ckp/mathprog.h"

#define MP_SYMBOL_MAX 100 /* MathProg's longest symbol (bytes) */

/* Tokens: each written after one space. */
void mp_sym(FILE *f, const char *s); /* a quoted symbol, quotes doubled */
void mp_num(FILE *f, double v);      /* shortest text that reads back as v */
void mp_inum(FILE *f, int v);        /* an integer */

/* The plan's sections (mathprog_plan.c); ckp_mathprog_write_data calls them. */
void mp_write_commodities(const ckp_plan *p, FILE *f);
void mp_write_producers(const ckp_plan *p, FILE *f);
void mp_write_projects(const ckp_plan *p, FILE *f);
void mp_write_feeds(const ckp_plan *p, FILE *f);
void mp_write_infra(const ckp_plan *p, FILE *f);
void mp_write_stockpiles(const ckp_plan *p, FILE *f);
void mp_write_pairs(const ckp_plan *p, FILE *f);

#endif
