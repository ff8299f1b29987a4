/* evaluate_report.c: the regret section of evaluate (ckp_evaluation_text,
 * ckp_evaluation_json; docs/study.md): the portfolio and the optimum at
 * the same total commitment side by side (objective, commitment, mean
 * chokepoint share per stage, the projects that differ) and the single
 * changes toward the optimum, best first.  The solve report itself is
 * src/report's. */
#include "ckp/study.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report/json.h"
#include "study/study_int.h"

/* Moves shown in the text (all are in the JSON). */
#define CKP_MOVES_SHOWN 10

static const char *item_id(const ckp_plan *plan, int kind, int ix)
{
    if (ix < 0) return "?";
    switch (kind) {
    case CKP_ITEM_PROJECT: return plan->projects[ix].id;
    case CKP_ITEM_UPGRADE: return plan->upgrades[ix].id;
    case CKP_ITEM_STOCKPILE: return plan->stockpiles[ix].id;
    default: return "?";
    }
}

static const char *kind_word(int kind)
{
    return kind == CKP_ITEM_UPGRADE ? "upgrade" : kind == CKP_ITEM_STOCKPILE ? "stockpile"
                                                                             : "project";
}

static const char *st_move_str(ckp_move_kind k)
{
    switch (k) {
    case CKP_MOVE_DROP: return "drop";
    case CKP_MOVE_ADD: return "add";
    case CKP_MOVE_SWAP: return "swap";
    case CKP_MOVE_CHANGE: return "change";
    }
    return "?";
}

/* "c (guarantee, 2027)" for an added item. */
static void added(const ckp_plan *plan, const ckp_move *m, char *buf, size_t size)
{
    if (m->add_kind == CKP_ITEM_PROJECT)
        snprintf(buf, size, "%s (%s, %d)", plan->projects[m->add].id,
                 plan->projects[m->add].options[m->add_option].id, m->add_start);
    else if (m->add_kind == CKP_ITEM_UPGRADE)
        snprintf(buf, size, "upgrade %s (%d)", plan->upgrades[m->add].id, m->add_start);
    else
        snprintf(buf, size, "stockpile %s", plan->stockpiles[m->add].id);
}

void st_move_text(const ckp_evaluation *e, const ckp_move *m, char *buf, size_t size)
{
    const ckp_plan *plan = e->result->plan;
    char a[300];
    switch (m->kind) {
    case CKP_MOVE_DROP:
        snprintf(buf, size, "drop %s%s", m->drop_kind == CKP_ITEM_PROJECT ? "" :
                 m->drop_kind == CKP_ITEM_UPGRADE ? "upgrade " : "stockpile ",
                 item_id(plan, m->drop_kind, m->drop));
        return;
    case CKP_MOVE_ADD:
        added(plan, m, a, sizeof a);
        snprintf(buf, size, "add %s", a);
        return;
    case CKP_MOVE_SWAP:
        added(plan, m, a, sizeof a);
        snprintf(buf, size, "swap %s%s for %s", m->drop_kind == CKP_ITEM_PROJECT ? "" :
                 m->drop_kind == CKP_ITEM_UPGRADE ? "upgrade " : "stockpile ",
                 item_id(plan, m->drop_kind, m->drop), a);
        return;
    case CKP_MOVE_CHANGE:
        if (m->add_kind == CKP_ITEM_PROJECT) {
            const ckp_resolved *r = e->portfolio;
            const ckp_project *p = &plan->projects[m->add];
            snprintf(buf, size, "%s: %s %d -> %s %d", p->id, p->options[r->option[m->add]].id,
                     r->start[m->add], p->options[m->add_option].id, m->add_start);
        } else {
            snprintf(buf, size, "upgrade %s: start %d -> %d", plan->upgrades[m->add].id,
                     e->portfolio->upgrade_start[m->add], m->add_start);
        }
        return;
    }
    buf[0] = '\0';
}

double st_stage_mean(const ckp_result *r, int s)
{
    double sum = 0;
    int n = 0;
    for (int y = 0; y < r->n_years; y++) {
        double v = r->stage_exposure ? r->stage_exposure[s * r->n_years + y] : NAN;
        if (isfinite(v)) {
            sum += v;
            n++;
        }
    }
    return n ? sum / n : NAN;
}

/* The items funded in a and not (the same way) in b, each passed to
 * emit as "a (loan 2026)", "upgrade u (2027)" or "stockpile k". */
void st_differing(const ckp_result *a, const ckp_result *b,
                  void (*emit)(void *ctx, const char *item), void *ctx)
{
    const ckp_plan *plan = a->plan;
    char item[300];
    for (int i = 0; i < a->n_picks; i++) {
        const ckp_pick *k = &a->picks[i];
        int same = 0;
        for (int j = 0; j < b->n_picks; j++)
            if (b->picks[j].project == k->project && b->picks[j].option == k->option &&
                b->picks[j].start == k->start)
                same = 1;
        if (same) continue;
        snprintf(item, sizeof item, "%s (%s %d)", plan->projects[k->project].id,
                 plan->projects[k->project].options[k->option].id, k->start);
        emit(ctx, item);
    }
    for (int i = 0; i < a->n_upgrade_picks; i++) {
        const ckp_upgrade_pick *k = &a->upgrade_picks[i];
        int same = 0;
        for (int j = 0; j < b->n_upgrade_picks; j++)
            if (b->upgrade_picks[j].upgrade == k->upgrade && b->upgrade_picks[j].start == k->start)
                same = 1;
        if (same) continue;
        snprintf(item, sizeof item, "upgrade %s (%d)", plan->upgrades[k->upgrade].id, k->start);
        emit(ctx, item);
    }
    for (int i = 0; i < a->n_stockpile_picks; i++) {
        int same = 0;
        for (int j = 0; j < b->n_stockpile_picks; j++)
            if (b->stockpile_picks[j].stockpile == a->stockpile_picks[i].stockpile) same = 1;
        if (same) continue;
        snprintf(item, sizeof item, "stockpile %s",
                 plan->stockpiles[a->stockpile_picks[i].stockpile].id);
        emit(ctx, item);
    }
}

int st_no_regret(const ckp_evaluation *e)
{
    double v = fabs(e->result->objective_value);
    return !(e->gap > CKP_REGRET_TOL * (v > 1 ? v : 1));
}

typedef struct list_out {
    FILE *out;
    int any;
} list_out;

static void list_item(void *ctx, const char *item)
{
    list_out *l = ctx;
    fprintf(l->out, "%s%s", l->any ? ", " : "", item);
    l->any = 1;
}

/* "title: a (loan 2026), upgrade u (2027)" or "title: none". */
static void differing(FILE *out, const char *title, const ckp_result *a,
                      const ckp_result *b)
{
    list_out l = {out, 0};
    fputs(title, out);
    st_differing(a, b, list_item, &l);
    fprintf(out, "%s\n", l.any ? "" : "none");
}

ckp_status ckp_evaluation_text(const ckp_evaluation *e, FILE *out)
{
    if (!e || !e->result) return CKP_EINTERNAL;
    const ckp_result *r = e->result, *o = e->optimum;
    const ckp_plan *plan = r->plan;
    const char *cur = plan->currency ? plan->currency : "";
    if (!o) {
        fprintf(out, "\nRegret: not computed\n");
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    fprintf(out, "\nRegret: the optimum at the same total commitment (%.1f %s m)\n",
            e->portfolio->commitment, cur);
    fprintf(out, "  %-28s %14s %14s %14s\n", "", "portfolio", "optimum", "difference");
    fprintf(out, "  %-28s %14.6f %14.6f %+14.6f\n", "objective (share-years)",
            r->objective_value, o->objective_value, e->gap);
    fprintf(out, "  %-28s %14.1f %14.1f %+14.1f\n", "bank commitment", r->commitment_total,
            o->commitment_total, r->commitment_total - o->commitment_total);
    for (int s = 0; s < plan->n_stages; s++) {
        char label[64];
        snprintf(label, sizeof label, "mean share %.18s (%%)", plan->stages[s].id);
        double a = 100 * st_stage_mean(r, s), b = 100 * st_stage_mean(o, s);
        fprintf(out, "  %-28s %14.1f %14.1f %+14.1f\n", label, a, b, a - b);
    }
    fprintf(out, "  optimum status: %s\n", ckp_mip_status_str(o->status));
    differing(out, "  only in the portfolio: ", r, o);
    differing(out, "  only in the optimum:   ", o, r);
    if (st_no_regret(e)) {
        fprintf(out, "  The portfolio is as good as the optimum at its money.\n");
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    if (e->n_moves == 0) {
        fprintf(out, "\nNo single change toward the optimum passes the plan's constraints "
                     "at this money.\n");
        return ferror(out) ? CKP_EIO : CKP_OK;
    }
    fprintf(out, "\nSingle changes toward the optimum (%d tried, best first; at most the "
                 "portfolio's money)\n", e->n_moves);
    fprintf(out, "  %-56s %12s %9s %12s\n", "change", "objective", "closes", "commitment");
    for (int i = 0; i < e->n_moves && i < CKP_MOVES_SHOWN; i++) {
        const ckp_move *m = &e->moves[i];
        char d[400], obj[32], cl[32];
        st_move_text(e, m, d, sizeof d);
        if (isnan(m->objective)) {
            snprintf(obj, sizeof obj, "no solution");
            snprintf(cl, sizeof cl, "-");
        } else {
            snprintf(obj, sizeof obj, "%+.6f", m->objective - r->objective_value);
            snprintf(cl, sizeof cl, "%.1f %%", 100 * m->closed);
        }
        fprintf(out, "  %-56s %12s %9s %+12.1f\n", d, obj, cl,
                m->commitment - e->portfolio->commitment);
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

static void json_picks(jw *w, const ckp_result *r)
{
    const ckp_plan *plan = r->plan;
    jw_array(w, "portfolio");
    for (int i = 0; i < r->n_picks; i++) {
        const ckp_pick *k = &r->picks[i];
        jw_object(w, NULL);
        jw_str(w, "project", plan->projects[k->project].id);
        jw_str(w, "option", plan->projects[k->project].options[k->option].id);
        jw_int(w, "start", k->start);
        jw_num(w, "commitment", k->commitment);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_array(w, "upgrades");
    for (int i = 0; i < r->n_upgrade_picks; i++) {
        jw_object(w, NULL);
        jw_str(w, "upgrade", plan->upgrades[r->upgrade_picks[i].upgrade].id);
        jw_int(w, "start", r->upgrade_picks[i].start);
        jw_num(w, "cost", r->upgrade_picks[i].cost);
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_array(w, "stockpiles");
    for (int i = 0; i < r->n_stockpile_picks; i++) {
        jw_object(w, NULL);
        jw_str(w, "stockpile", plan->stockpiles[r->stockpile_picks[i].stockpile].id);
        jw_int(w, "year", r->stockpile_picks[i].year);
        jw_num(w, "cost", r->stockpile_picks[i].cost);
        jw_end_object(w);
    }
    jw_end_array(w);
}

ckp_status ckp_evaluation_json(const ckp_evaluation *e, FILE *out)
{
    if (!e || !e->result) return CKP_EINTERNAL;
    const ckp_result *r = e->result, *o = e->optimum;
    const ckp_plan *plan = r->plan;
    jw w;
    jw_init(&w, out);
    jw_object(&w, NULL);
    jw_num(&w, "objective", r->objective_value);
    jw_num(&w, "commitment", e->portfolio->commitment);
    jw_object(&w, "optimum");
    if (o) {
        jw_str(&w, "status", ckp_mip_status_str(o->status));
        jw_num(&w, "objective", o->objective_value);
        jw_num(&w, "commitment", o->commitment_total);
        jw_num(&w, "budget", e->portfolio->commitment);
        json_picks(&w, o);
    }
    jw_end_object(&w);
    jw_num(&w, "gap", e->gap);
    jw_array(&w, "stages");
    for (int s = 0; s < plan->n_stages; s++) {
        jw_object(&w, NULL);
        jw_str(&w, "stage", plan->stages[s].id);
        jw_num(&w, "portfolio_mean_share", st_stage_mean(r, s));
        jw_num(&w, "optimum_mean_share", o ? st_stage_mean(o, s) : NAN);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_array(&w, "moves");
    for (int i = 0; i < e->n_moves; i++) {
        const ckp_move *m = &e->moves[i];
        char d[400];
        st_move_text(e, m, d, sizeof d);
        jw_object(&w, NULL);
        jw_str(&w, "kind", st_move_str(m->kind));
        jw_str(&w, "text", d);
        if (m->drop >= 0) {
            jw_str(&w, "drop_kind", kind_word(m->drop_kind));
            jw_str(&w, "drop", item_id(plan, m->drop_kind, m->drop));
        }
        if (m->add >= 0) {
            jw_str(&w, "add_kind", kind_word(m->add_kind));
            jw_str(&w, "add", item_id(plan, m->add_kind, m->add));
            if (m->add_kind == CKP_ITEM_PROJECT)
                jw_str(&w, "option", plan->projects[m->add].options[m->add_option].id);
            jw_int(&w, "start", m->add_start);
        }
        jw_num(&w, "objective", m->objective);
        jw_num(&w, "objective_change", m->objective - r->objective_value);
        jw_num(&w, "gap_closed", m->closed);
        jw_num(&w, "commitment", m->commitment);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_end_object(&w);
    if (w.bad || w.depth != 0) return CKP_EINTERNAL;
    return ferror(out) ? CKP_EIO : CKP_OK;
}
