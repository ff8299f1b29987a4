/* warm.c: warm starts of the re-solves that explain a result (explain.c)
 * or look one step past it (next.c): its portfolio as a first incumbent,
 * less a project when that one is excluded (docs/study.md, "Warm
 * starts").  The solver completes the start with an LP and drops it when
 * it breaks a row, so a start never changes an answer, only how soon it
 * comes. */
#include "study/study_int.h"

#include <math.h>
#include <string.h>

#include "util/alloc.h"

void st_start_fini(st_start *s)
{
    if (!s) return;
    ckp_free(s->option);
    ckp_free(s->start);
    ckp_free(s->upgrade_start);
    ckp_free(s->stockpile);
    memset(s, 0, sizeof *s);
}

ckp_status st_start_from(const ckp_result *r, int drop, st_start *s)
{
    const ckp_plan *plan = r->plan;
    int np = plan->n_projects, nu = plan->n_upgrades, nk = plan->n_stockpiles;
    memset(s, 0, sizeof *s);
    s->option = ckp_malloc(((size_t)np + 1) * sizeof *s->option);
    s->start = ckp_malloc(((size_t)np + 1) * sizeof *s->start);
    s->upgrade_start = ckp_malloc(((size_t)nu + 1) * sizeof *s->upgrade_start);
    s->stockpile = ckp_calloc((size_t)nk + 1, sizeof *s->stockpile);
    if (!s->option || !s->start || !s->upgrade_start || !s->stockpile) {
        st_start_fini(s);
        return CKP_ENOMEM;
    }
    for (int p = 0; p < np; p++) s->option[p] = -1, s->start[p] = 0;
    for (int u = 0; u < nu; u++) s->upgrade_start[u] = -1;
    for (int i = 0; i < r->n_picks; i++) {
        int p = r->picks[i].project;
        if (p == drop) continue;
        s->option[p] = r->picks[i].option;
        s->start[p] = r->picks[i].start;
    }
    for (int i = 0; i < r->n_upgrade_picks; i++)
        s->upgrade_start[r->upgrade_picks[i].upgrade] = r->upgrade_picks[i].start;
    for (int i = 0; i < r->n_stockpile_picks; i++) s->stockpile[r->stockpile_picks[i].stockpile] = 1;
    s->fx.option = s->option;
    s->fx.start = s->start;
    s->fx.upgrade_start = s->upgrade_start;
    s->fx.stockpile = s->stockpile;
    return CKP_OK;
}

double st_proven_exposure(const ckp_result *r)
{
    if (!r || r->status != CKP_MIP_OPTIMAL || r->min_cost) return NAN;
    if (r->lexicographic) return r->lex[0].ran ? r->lex[0].objective : NAN;
    return r->objective_value;
}
