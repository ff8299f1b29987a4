/* explain_report.c: an explanation as text and JSON (ckp_explain_text,
 * ckp_explain_json; docs/study.md, "Explain"): the funded projects with
 * the exposure each buys, the candidates not funded with the cost of
 * forcing them and why, the budget limits in plain words with what 100 M
 * more would buy. */
#include "ckp/study.h"

#include <math.h>
#include <stdio.h>

#include "report/json.h"

static const char *why_words(ckp_why_not w)
{
    switch (w) {
    case CKP_WHY_HORIZON: return "cannot come online within the horizon";
    case CKP_WHY_PAIR: return "requires / excludes";
    case CKP_WHY_NOT_BLOC: return "its output does not reach the bloc";
    case CKP_WHY_PRICE: return "idle in a price scenario, no price-support option";
    case CKP_WHY_INFRA: return "needs an infrastructure upgrade";
    case CKP_WHY_CHEAPER: return "a project of the same stage costing no more does more";
    case CKP_WHY_BUDGET: return "a budget or year limit binds";
    case CKP_WHY_NO_GAIN: return "forcing it cuts no exposure";
    case CKP_WHY_EXCLUDED: return "excluded on request";
    case CKP_WHY_NOT_CHOSEN: return "left out of the given portfolio; adding it cuts exposure";
    case CKP_WHY_COMMITTED: return "committed: in the baseline, built with or without the bank";
    }
    return "?";
}

/* v in 13 columns with 'decimals' decimals, a sign when signed; "-"
 * when NAN. */
static void num(FILE *out, int sign, int decimals, double v)
{
    if (isnan(v)) fprintf(out, " %12s", "-");
    else if (sign) fprintf(out, " %+12.*f", decimals, v);
    else fprintf(out, " %12.*f", decimals, v);
}

ckp_status ckp_explain_text(const ckp_explain *e, const ckp_plan *plan, FILE *out)
{
    if (!e || !plan) return CKP_EINTERNAL;
    const char *cur = plan->currency ? plan->currency : "";
    fprintf(out, "\nExplain: %d re-solves (%d worker%s)\n", e->n_solves, e->jobs,
            e->jobs == 1 ? "" : "s");
    fprintf(out, "Funded projects: the exposure lost if dropped, the rest re-optimised "
                 "(share-years)\n");
    fprintf(out, "  %-20s %12s %12s %12s %12s\n", "project", "if dropped", "loss",
            "per 100 M", "money");
    for (int i = 0; i < e->n_items; i++) {
        const ckp_explain_item *it = &e->items[i];
        if (!it->funded) continue;
        fprintf(out, "  %-20.20s", plan->projects[it->project].id);
        if (it->forced) {
            fprintf(out, " forced on request: not re-solved\n");
            continue;
        }
        num(out, 0, 6, it->objective);
        num(out, 1, 6, it->delta);
        num(out, 0, 6, it->per_100m);
        num(out, 1, 1, it->delta_money);
        fprintf(out, "%s\n", isnan(it->objective) ? "  (no solution without it)" : "");
    }
    fprintf(out, "Candidates not funded: the cost of forcing them, and why\n");
    fprintf(out, "  %-20s %12s %12s %12s  %s\n", "project", "if forced", "exposure",
            "money", "reason");
    for (int i = 0; i < e->n_items; i++) {
        const ckp_explain_item *it = &e->items[i];
        if (it->funded) continue;
        fprintf(out, "  %-20.20s", plan->projects[it->project].id);
        num(out, 0, 6, it->objective);
        num(out, 1, 6, it->delta);
        num(out, 1, 1, it->delta_money);
        fprintf(out, "  %s", why_words(it->why));
        if (it->other >= 0) fprintf(out, " (%s)", plan->projects[it->other].id);
        fprintf(out, "\n");
    }
    if (e->n_binding > 0) fprintf(out, "Budget limits (%s m)\n", cur);
    for (int b = 0; b < e->n_binding; b++) {
        const ckp_binding *x = &e->binding[b];
        char what[64];
        if (x->year) snprintf(what, sizeof what, "the %d limit", x->year);
        else snprintf(what, sizeof what, "the total budget");
        double gain = e->objective - x->relaxed;
        double t = 1e-7 * (fabs(e->objective) > 1 ? fabs(e->objective) : 1);
        if (isnan(x->relaxed))
            fprintf(out, "  %s of %.1f M (%s %.1f M): not re-solved\n", what, x->limit,
                    x->year ? "disbursed" : "committed", x->used);
        else if (gain > t) {
            char in[32] = "";
            if (x->year) snprintf(in, sizeof in, " in %d", x->year);
            fprintf(out, "  %s of %.1f M binds (%s %.1f M): %.0f M more%s would cut "
                         "exposure by %.6f share-years\n",
                    what, x->limit, x->year ? "disbursed" : "committed", x->used, x->step,
                    in, gain);
        }
        else
            fprintf(out, "  %s of %.1f M does not bind (%s %.1f M): %.0f M more would not "
                         "cut exposure\n",
                    what, x->limit, x->year ? "disbursed" : "committed", x->used, x->step);
    }
    if (e->n_infra > 0) fprintf(out, "Infrastructure that keeps candidates out\n");
    for (int b = 0; b < e->n_infra; b++) {
        const ckp_infra_binding *x = &e->infra[b];
        const ckp_resource *res = &plan->resources[x->resource];
        const char *unit = res->unit ? res->unit : "";
        double gain = e->objective - x->relaxed;
        double t = 1e-7 * (fabs(e->objective) > 1 ? fabs(e->objective) : 1);
        fprintf(out, "  %s at site %s: %.4g %s (existing plus upgrades funded), %.4g used: ",
                res->id, plan->sites[x->site].id, x->capacity, unit, x->used);
        if (isnan(x->relaxed))
            fprintf(out, "not re-solved\n");
        else if (gain > t)
            fprintf(out, "%.4g %s more (enough for every candidate there) would cut "
                         "exposure by %.6f share-years\n", x->step, unit, gain);
        else
            fprintf(out, "%.4g %s more (enough for every candidate there) would not cut "
                         "exposure\n", x->step, unit);
    }
    return ferror(out) ? CKP_EIO : CKP_OK;
}

ckp_status ckp_explain_json(const ckp_explain *e, const ckp_plan *plan, FILE *out)
{
    if (!e || !plan) return CKP_EINTERNAL;
    jw w;
    jw_init(&w, out);
    jw_object(&w, NULL);
    jw_num(&w, "objective", e->objective);
    jw_num(&w, "commitment", e->commitment);
    jw_int(&w, "solves", e->n_solves);
    jw_int(&w, "jobs", e->jobs);
    jw_array(&w, "funded");
    for (int i = 0; i < e->n_items; i++) {
        const ckp_explain_item *it = &e->items[i];
        if (!it->funded) continue;
        jw_object(&w, NULL);
        jw_str(&w, "project", plan->projects[it->project].id);
        jw_bool(&w, "forced", it->forced);
        jw_num(&w, "objective_if_dropped", it->objective);
        jw_num(&w, "exposure_lost", it->delta);
        jw_num(&w, "exposure_lost_per_100m", it->per_100m);
        jw_num(&w, "commitment_change", it->delta_money);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_array(&w, "not_funded");
    for (int i = 0; i < e->n_items; i++) {
        const ckp_explain_item *it = &e->items[i];
        if (it->funded) continue;
        jw_object(&w, NULL);
        jw_str(&w, "project", plan->projects[it->project].id);
        jw_num(&w, "objective_if_forced", it->objective);
        jw_num(&w, "exposure_cost", it->delta);
        jw_num(&w, "commitment_change", it->delta_money);
        jw_str(&w, "reason", ckp_why_not_str(it->why));
        jw_str(&w, "reason_text", why_words(it->why));
        jw_str(&w, "other", it->other >= 0 ? plan->projects[it->other].id : NULL);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_array(&w, "budget_limits");
    for (int b = 0; b < e->n_binding; b++) {
        const ckp_binding *x = &e->binding[b];
        jw_object(&w, NULL);
        if (x->year) jw_int(&w, "year", x->year);
        else jw_str(&w, "year", "total");
        jw_num(&w, "limit", x->limit);
        jw_num(&w, "used", x->used);
        jw_num(&w, "step", x->step);
        jw_num(&w, "objective_relaxed", x->relaxed);
        jw_num(&w, "exposure_cut", e->objective - x->relaxed);
        jw_int(&w, "plan_line", x->plan_line);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_array(&w, "infrastructure");
    for (int b = 0; b < e->n_infra; b++) {
        const ckp_infra_binding *x = &e->infra[b];
        jw_object(&w, NULL);
        jw_str(&w, "site", plan->sites[x->site].id);
        jw_str(&w, "resource", plan->resources[x->resource].id);
        jw_num(&w, "capacity", x->capacity);
        jw_num(&w, "used", x->used);
        jw_num(&w, "step", x->step);
        jw_num(&w, "objective_relaxed", x->relaxed);
        jw_num(&w, "exposure_cut", e->objective - x->relaxed);
        jw_int(&w, "plan_line", x->plan_line);
        jw_end_object(&w);
    }
    jw_end_array(&w);
    jw_exact(&w, "seconds", e->seconds);
    jw_end_object(&w);
    if (w.bad || w.depth != 0) return CKP_EINTERNAL;
    return ferror(out) ? CKP_EIO : CKP_OK;
}
