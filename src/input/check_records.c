/* check_records.c: the semantic rules of projects (options, windows,
 * inputs, needs, requires and excludes), upgrades, the budget and the
 * objective, co-financiers, and additionality (committed projects, contracts).  Part of
 * ckp_plan_check (check.c); docs/diagnostics.md. */
#include "input/check_int.h"

static void check_refs_list(chk *c, const char *who, int rec_ln, int self,
                            ckp_ref *r, int n, const char *attr, int *mark,
                            int st)
{
    for (int k = 0; k < n; k++) {
        int line = chk_ref_line(&r[k], rec_ln);
        int ix = chk_resolve(c, &r[k], K_PROJECT, line, who, attr, 1);
        if (ix < 0) continue;
        if (ix == self) {
            ERR(c, line, "self-reference", "%s: %s '%s' names the project itself",
                who, attr, r[k].id);
            continue;
        }
        if (mark[ix] == st)
            ERR(c, line, "duplicate-entry", "%s: %s '%s' is given twice", who,
                attr, r[k].id);
        mark[ix] = st;
    }
}

/* The amounts of n co-financiers; their sum, NAN when one is not a valid
 * amount.  mobilised="direct" on a public or multilateral one is ignored
 * (warning): only private finance is mobilised (docs/finance.md). */
static double check_cofinanciers(chk *c, const ckp_cofinancier *f, int n, const char *who)
{
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
        char fwho[700];
        snprintf(fwho, sizeof fwho, "%s: co-financier '%s'", who, chk_str_or(f[i].name, "?"));
        if (!chk_num(c, f[i].line, fwho, "amount", f[i].amount, NUM_NONNEG | NUM_MONEY, NULL))
            sum = NAN;
        else
            sum += f[i].amount;
        if (f[i].direct && f[i].type != CKP_COFIN_PRIVATE)
            WARN(c, f[i].line, "mobilised-not-private",
                 "%s: mobilised=\"direct\" is ignored on a %s co-financier: only "
                 "private finance counts as private capital mobilised", fwho,
                 ckp_cofinancier_type_str(f[i].type));
    }
    return sum;
}

void chk_project(chk *c, int pi)
{
    const ckp_plan *p = c->plan;
    ckp_project *q = &c->plan->projects[pi];
    char who[300];
    chk_who_of(who, sizeof who, "project", q->id);

    /* references */
    int stage = chk_resolve(c, &q->stage, K_STAGE, q->line, who, "stage", 0);
    int site = chk_resolve(c, &q->site, K_SITE, q->line, who, "site", 0);
    int country = chk_resolve(c, &q->country, K_COUNTRY, q->line, who, "country", 0);
    int out = chk_resolve(c, &q->output, K_COMMODITY, q->line, who, "output", 1);

    if (!q->site.id && !q->country.id)
        ERR(c, q->line, "no-location",
            "%s: neither site nor country is given, so its risk is unknown", who);
    if (site >= 0 && country >= 0) {
        int sc = p->sites[site].country.ix;
        if (sc >= 0 && sc != country)
            ERR(c, chk_ref_line(&q->country, q->line), "country-mismatch",
                "%s: country '%s' differs from country '%s' of site '%s'", who,
                q->country.id, p->sites[site].country.id, q->site.id);
    }
    if (stage >= 0 && out >= 0) {
        int os = p->commodities[out].stage.ix;
        if (os >= 0 && os != stage)
            ERR(c, chk_ref_line(&q->stage, q->line), "stage-mismatch",
                "%s: stage '%s' differs from stage '%s' of its output '%s'", who,
                q->stage.id, p->commodities[out].stage.id, q->output.id);
    }

    chk_ratios(c, who, q->line, q->inputs, q->n_inputs, "input commodity",
                 &q->output);
    chk_amounts(c, who, q->line, q->needs, q->n_needs, "needs resource");
    if (q->n_needs > 0 && !q->site.id)
        WARN(c, q->line, "needs-without-site",
             "%s: needs resource '%s' but has no site, so its infrastructure "
             "needs are ignored", who, chk_str_or(q->needs[0].resource.id, "?"));

    /* requires / excludes: stamps on two halves of the scratch array */
    int st = chk_next_stamp(c);
    int *req_mark = c->stamp;
    int *exc_mark = c->stamp + p->n_projects;
    check_refs_list(c, who, q->line, pi, q->requires, q->n_requires,
                    "requires project", req_mark, st);
    check_refs_list(c, who, q->line, pi, q->excludes, q->n_excludes,
                    "excludes project", exc_mark, st);
    for (int k = 0; k < q->n_excludes; k++) {
        int ix = q->excludes[k].ix;
        if (ix >= 0 && ix != pi && req_mark[ix] == st)
            ERR(c, chk_ref_line(&q->excludes[k], q->line), "requires-excludes",
                "%s: both requires and excludes project '%s', so it can never "
                "be funded", who, q->excludes[k].id);
    }

    /* numbers */
    if (chk_num(c, q->line, who, "capacity", q->capacity,
                  NUM_NONNEG | NUM_TONNES, NULL) &&
        q->capacity == 0)
        WARN(c, q->line, "zero-capacity",
             "%s: capacity is 0, so funding it adds no supply", who);
    int capex_ok = chk_num(c, q->line, who, "capex", q->capex,
                             NUM_NONNEG | NUM_MONEY, NULL);
    chk_duration(c, q->line, who, "permit-years", q->permit_years);
    chk_duration(c, q->line, who, "build-years", q->build_years);
    if (q->permit == CKP_PERMIT_GRANTED && q->permit_years > 0)
        WARN(c, q->line, "permit-years-ignored",
             "%s: permit-years %d is ignored because the permit is granted",
             who, q->permit_years);
    for (int k = 0; k < q->n_ramp; k++) {
        if (!isfinite(q->ramp[k]))
            ERR(c, q->line, "non-finite",
                "%s: ramp value %g (entry %d) is not a finite number", who,
                q->ramp[k], k + 1);
        else if (q->ramp[k] < 0 || q->ramp[k] > 1)
            ERR(c, q->line, "ramp-range",
                "%s: ramp value %.10g (entry %d) is outside [0,1]", who,
                q->ramp[k], k + 1);
    }
    chk_num(c, q->line, who, "breakeven", q->breakeven,
              NUM_NONNEG | NUM_ALLOW_NAN | NUM_PRICE, NULL);
    if (q->breakeven_of.id) {
        chk_resolve(c, &q->breakeven_of, K_COMMODITY, q->line, who,
                "breakeven-of", 0);
        if (isnan(q->breakeven))
            WARN(c, chk_ref_line(&q->breakeven_of, q->line), "breakeven-of-ignored",
                 "%s: breakeven-of '%s' is ignored because no breakeven is "
                 "given", who, q->breakeven_of.id);
    } else {
        q->breakeven_of.ix = -1;
    }

    /* timing */
    int window_ok = chk_window(c, q->line, who, q->earliest_start,
                                 q->latest_start);
    if (window_ok && q->permit_years >= 0 && q->permit_years <= DURATION_MAX &&
        q->build_years >= 0 && q->build_years <= DURATION_MAX) {
        int start = q->earliest_start > p->first_year ? q->earliest_start
                                                      : p->first_year;
        int permit = q->permit == CKP_PERMIT_PENDING ? q->permit_years : 0;
        long online = (long)start + permit + q->build_years;
        if (online > p->last_year)
            WARN(c, q->line, "never-online",
                 "%s: can never come online within the horizon: earliest "
                 "start %d + %d permit years + %d build years = %ld, after "
                 "the last year %d",
                 who, start, permit, q->build_years, online, p->last_year);
        else if (start > q->latest_start)
            WARN(c, q->line, "never-online",
                 "%s: can never start within the horizon: latest-start %d is "
                 "before the first year %d",
                 who, q->latest_start, p->first_year);
    }

    /* co-financiers (docs/finance.md) */
    double cofin_ok = check_cofinanciers(c, q->cofinanciers, q->n_cofinanciers, who);

    /* financing options (a committed project needs none) */
    if (q->n_options == 0 && !q->committed)
        ERR(c, q->line, "no-options",
            "%s: has no financing option, so it can never be funded", who);
    idmap om;
    if (q->n_options > 1 && chk_idmap_init(&om, q->n_options)) {
        c->oom = CKP_ENOMEM;
        return;
    }
    for (int o = 0; o < q->n_options; o++) {
        const ckp_option *op = &q->options[o];
        int line = op->line > 0 ? op->line : q->line;
        char owho[620];
        snprintf(owho, sizeof owho, "%s: option '%s'", who, chk_str_or(op->id, "?"));
        if (!op->id || !*op->id) {
            ERR(c, line, "missing-id", "%s: option (entry %d) has no id", who,
                o + 1);
        } else if (q->n_options > 1) {
            int prev = chk_idmap_put(&om, op->id, o);
            if (prev >= 0)
                ERR(c, line, "duplicate-id",
                    "%s: duplicate id (first defined at line %d)", owho,
                    q->options[prev].line);
        }
        int commit_ok = !isnan(op->commitment) &&
                        chk_num(c, line, owho, "commitment", op->commitment,
                                NUM_NONNEG | NUM_MONEY, NULL);
        if (commit_ok && capex_ok && op->commitment > q->capex)
            WARN(c, line, "commitment-exceeds-capex",
                 "%s: commitment %.10g exceeds the project's capex %.10g", owho,
                 op->commitment, q->capex);
        double ocofin = check_cofinanciers(c, op->cofinanciers, op->n_cofinanciers, owho);
        double total = op->commitment + cofin_ok + ocofin;
        if (commit_ok && capex_ok && !isnan(cofin_ok) && !isnan(ocofin) &&
            cofin_ok + ocofin > 0 && !(op->commitment > q->capex) &&
            total > q->capex * (1 + 1e-9) + 1e-9)
            WARN(c, line, "cofinance-exceeds-capex",
                 "%s: commitment %.10g + co-finance %.10g = %.10g exceeds the "
                 "project's capex %.10g, so the project's financing is counted twice "
                 "somewhere", owho, op->commitment, cofin_ok + ocofin, total, q->capex);
        chk_schedule(c, line, owho, op->schedule, op->n_schedule);
        chk_option_terms(c, op, line, owho);
    }
    if (q->n_options > 1) chk_idmap_fini(&om);
}

void chk_upgrade(chk *c, ckp_upgrade *u)
{
    const ckp_plan *p = c->plan;
    char who[300];
    chk_who_of(who, sizeof who, "upgrade", u->id);
    chk_resolve(c, &u->site, K_SITE, u->line, who, "site", 1);
    chk_resolve(c, &u->resource, K_RESOURCE, u->line, who, "resource", 1);
    chk_num(c, u->line, who, "amount", u->amount, NUM_NONNEG | NUM_AMOUNT,
              NULL);
    chk_num(c, u->line, who, "cost", u->cost, NUM_NONNEG | NUM_MONEY, NULL);
    chk_duration(c, u->line, who, "build-years", u->build_years);
    chk_schedule(c, u->line, who, u->schedule, u->n_schedule);
    int window_ok = chk_window(c, u->line, who, u->earliest_start,
                                 u->latest_start);
    if (window_ok && u->build_years >= 0 && u->build_years <= DURATION_MAX) {
        int start = u->earliest_start > p->first_year ? u->earliest_start
                                                      : p->first_year;
        long online = (long)start + u->build_years;
        if (online > p->last_year)
            WARN(c, u->line, "never-online",
                 "%s: can never come online within the horizon: earliest "
                 "start %d + %d build years = %ld, after the last year %d",
                 who, start, u->build_years, online, p->last_year);
        else if (start > u->latest_start)
            WARN(c, u->line, "never-online",
                 "%s: can never start within the horizon: latest-start %d is "
                 "before the first year %d",
                 who, u->latest_start, p->first_year);
    }
}

void chk_budget_objective(chk *c, year_ix *scratch)
{
    ckp_plan *p = c->plan;
    int bl = p->budget.line > 0 ? p->budget.line : p->line;
    chk_num(c, bl, "budget", "total", p->budget.total,
              NUM_NONNEG | NUM_ALLOW_INF | NUM_MONEY, NULL);
    chk_year_values(c, "budget", "limit", "amount", NUM_MONEY,
                      p->budget.limits, p->budget.n_limits, scratch);
    chk_budget_terms(c, scratch);

    double pen = p->objective.shortage_penalty;
    int ol = p->objective.line > 0 ? p->objective.line : p->line;
    if (chk_num(c, ol, "objective", "shortage-penalty", pen,
                  NUM_NONNEG | NUM_PENALTY, NULL) &&
        pen <= 1)
        ERR(c, ol, "shortage-penalty",
            "objective: shortage-penalty %.10g must be greater than 1: a tonne "
            "of shortage would otherwise cost no more than a tonne bought from "
            "the chokepoint (risk 1), and the optimum could leave demand "
            "unmet instead of reducing exposure",
            pen);
}


/* ------------------------------------------------------------------ */
/* Additionality: contracts, committed projects (docs/formulation.md   */
/* 7h).  Runs after every record's references are resolved.            */

#define CONTRACT_SUM_TOL 1e-9

static void check_contracts(chk *c, const char *who, int rec_ln, ckp_contract *k,
                            int n)
{
    for (int i = 0; i < n; i++) {
        int line = k[i].line > 0 ? k[i].line : rec_ln;
        chk_resolve(c, &k[i].buyer, K_COUNTRY, line, who, "contract buyer", 1);
        chk_num(c, line, who, "contract share", k[i].share, NUM_UNIT,
                  "contract-share-range");
        if (k[i].from > k[i].to)
            ERR(c, line, "from-after-to", "%s: contract from %d is after to %d", who,
                k[i].from, k[i].to);
    }
    /* The sum of the shares peaks at some contract's first year. */
    for (int i = 0; i < n; i++) {
        int y = k[i].from, line = k[i].line > 0 ? k[i].line : rec_ln;
        double sum = 0;
        for (int j = 0; j < n; j++)
            if (k[j].from <= y && y <= k[j].to && k[j].share >= 0 && k[j].share <= 1)
                sum += k[j].share;
        if (sum > 1 + CONTRACT_SUM_TOL) {
            ERR(c, line, "contract-share-sum",
                "%s: contracts cover %.10g of its output in %d, more than all of it",
                who, sum, y);
            break;
        }
    }
}

static int contracted_outside(const ckp_plan *p, const ckp_contract *k, int n)
{
    for (int i = 0; i < n; i++)
        if (k[i].buyer.ix >= 0 && p->countries[k[i].buyer.ix].risk > 0 && k[i].share > 0)
            return 1;
    return 0;
}

void chk_additionality(chk *c)
{
    ckp_plan *p = c->plan;
    char who[300];
    for (int i = 0; i < p->n_facilities; i++) {
        ckp_facility *f = &p->facilities[i];
        chk_who_of(who, sizeof who, "facility", f->id);
        check_contracts(c, who, f->line, f->contracts, f->n_contracts);
    }
    for (int i = 0; i < p->n_projects; i++) {
        ckp_project *q = &p->projects[i];
        chk_who_of(who, sizeof who, "project", q->id);
        check_contracts(c, who, q->line, q->contracts, q->n_contracts);
        if (q->committed && q->n_options > 0)
            WARN(c, q->line, "committed-options-ignored",
                 "%s: is committed (built with or without the bank), so its %d "
                 "financing option%s ignored", who, q->n_options,
                 q->n_options == 1 ? " is" : "s are");
        for (int k = 0; k < q->n_requires; k++) {
            int r = q->requires[k].ix;
            if (q->committed && r >= 0 && r != i && !p->projects[r].committed)
                ERR(c, chk_ref_line(&q->requires[k], q->line), "committed-requires",
                    "%s: is committed but requires project '%s', which is not: a "
                    "committed project is built whatever the bank funds",
                    who, q->requires[k].id);
        }
        for (int k = 0; k < q->n_excludes; k++) {
            int r = q->excludes[k].ix;
            if (r < 0 || r == i || q->committed == p->projects[r].committed) continue;
            WARN(c, chk_ref_line(&q->excludes[k], q->line), "excludes-committed",
                 "%s: excludes project '%s', and project '%s' is committed, so "
                 "project '%s' can never be funded", who, q->excludes[k].id,
                 q->committed ? q->id : q->excludes[k].id,
                 q->committed ? q->excludes[k].id : q->id);
        }
        int outside = contracted_outside(p, q->contracts, q->n_contracts);
        for (int o = 0; o < q->n_options; o++)
            if (q->options[o].buys_out && !outside)
                WARN(c, q->options[o].line > 0 ? q->options[o].line : q->line,
                     "buys-out-unused",
                     "%s: option '%s' buys out contracts, but none of the project's "
                     "output is contracted outside the bloc (to a buyer of risk > 0)",
                     who, chk_str_or(q->options[o].id, "?"));
    }
}

