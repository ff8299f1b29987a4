/* check_terms.c: the semantic rules on instrument terms and on what the
 * budget limits (docs/finance.md; every code in docs/diagnostics.md): an
 * option's <terms> (rates and shares, tenor against grace, the loan
 * disbursed before its first repayment, complete price-floor terms, terms
 * that do not apply to the instrument), a missing commitment, and the
 * budget's measure and <cap> elements.  Part of the checker (check.c). */
#include "input/check_int.h"

#include "ckp/terms.h"

/* Warn that `what` of the terms does nothing for this option. */
static void ignored(chk *c, int line, const char *who, const char *what, const char *why)
{
    WARN(c, line, "terms-ignored", "%s: %s given but ignored: %s", who, what, why);
}

static void price_terms(chk *c, const ckp_option *op, int line, const char *who)
{
    const ckp_terms *t = &op->terms;
    int has_f = !isnan(t->floor), has_v = !isnan(t->volume), has_y = t->years > 0;
    if (!ckp_instrument_price_support(op->instrument)) {
        if (has_f || has_v || has_y)
            ignored(c, line, who, "floor, volume and years",
                    "only offtake and price-floor options carry price support");
        return;
    }
    if (!(has_f || has_v || has_y)) return;
    if (!(has_f && has_v && has_y)) {
        char missing[64] = "";
        if (!has_f) strcat(missing, " floor");
        if (!has_v) strcat(missing, " volume");
        if (!has_y) strcat(missing, " years");
        ERR(c, line, "price-floor-incomplete",
            "%s: price support needs floor, volume and years together; missing:%s",
            who, missing);
        return;
    }
    if (t->loan > 0) return; /* a package: tenor and expected-loss are its loan's */
    if (t->tenor > 0)
        ignored(c, line, who, "tenor",
                "the contract years from the online year set how long price support lasts");
    if (!isnan(t->expected_loss))
        ignored(c, line, who, "expected-loss",
                "the expected cost of price support comes from the scenarios' prices");
}

static void loan_terms(chk *c, const ckp_option *op, int line, const char *who)
{
    const ckp_terms *t = &op->terms;
    int has_g = t->grace > 0, has_r = !isnan(t->rate);
    int package = ckp_instrument_price_support(op->instrument) && t->loan > 0;
    if (t->loan > 0 && !package)
        ignored(c, line, who, "loan", "only a price-support option is a package of a loan and "
                                      "a floor (a loan option's loan is its commitment)");
    if (package && isnan(ckp_terms_price_cap(t))) {
        ignored(c, line, who, "loan", "a package needs its floor terms (floor, volume, "
                                      "years); without them the commitment stands for the "
                                      "whole option");
        return;
    }
    if (package && !isnan(op->commitment) && t->loan > op->commitment * (1 + 1e-12)) {
        ERR(c, line, "loan-over-commitment",
            "%s: loan %g is more than the option's commitment %g: the loan is a part of it",
            who, t->loan, op->commitment);
        return;
    }
    if (op->instrument != CKP_INSTR_LOAN && !package) {
        if (has_g || has_r)
            ignored(c, line, who, "grace and rate", "only a loan is repaid");
        return;
    }
    if (t->tenor <= 0) {
        if (has_g || has_r)
            ignored(c, line, who, "grace and rate",
                    "without a tenor the loan stays outstanding to the end of the horizon");
        return;
    }
    if (t->grace >= t->tenor) {
        ERR(c, line, "tenor-grace",
            "%s: tenor %d must be longer than grace %d: the loan would never be repaid",
            who, t->tenor, t->grace);
        return;
    }
    /* the years the loan is disbursed in: all the schedule's, or for a
       package those until its loan (paid first) is out */
    int n = op->n_schedule > 0 ? op->n_schedule : 1;
    if (package && !isnan(op->commitment) && op->n_schedule > 0) {
        double paid = 0;
        for (n = 0; n < op->n_schedule && paid < t->loan * (1 - 1e-12); n++)
            paid += op->commitment * op->schedule[n];
        if (n < 1) n = 1;
    }
    if (t->grace < n - 1)
        ERR(c, line, "grace-before-disbursed",
            "%s: grace %d ends before the last of the %d disbursement years: the "
            "first repayment would come before the loan is disbursed (grace must be "
            "at least %d)",
            who, t->grace, n, n - 1);
}

void chk_option_terms(chk *c, const ckp_option *op, int line, const char *owho)
{
    const ckp_terms *t = &op->terms;
    if (isnan(op->commitment)) {
        if (ckp_instrument_price_support(op->instrument))
            ERR(c, line, "commitment-missing",
                "%s: has no commitment, and no complete price-support terms (floor, "
                "volume, years) whose cap would be its commitment", owho);
        else
            ERR(c, line, "commitment-missing", "%s: has no commitment", owho);
    }
    if (!t->given) return;
    int tl = t->line > 0 ? t->line : line;
    char who[700];
    snprintf(who, sizeof who, "%s: terms", owho);
    int ok = 1;
    ok &= chk_num(c, tl, who, "rate", t->rate, NUM_ALLOW_NAN | NUM_UNIT, "rate-range");
    ok &= chk_num(c, tl, who, "expected-loss", t->expected_loss, NUM_ALLOW_NAN | NUM_UNIT,
                  "expected-loss-range");
    ok &= chk_num(c, tl, who, "floor", t->floor, NUM_ALLOW_NAN | NUM_NONNEG | NUM_PRICE, NULL);
    ok &= chk_num(c, tl, who, "volume", t->volume, NUM_ALLOW_NAN | NUM_NONNEG | NUM_TONNES,
                  NULL);
    ok &= chk_num(c, tl, who, "loan", t->loan, NUM_NONNEG | NUM_MONEY, NULL);
    const struct { const char *attr; int v; } yrs[] = {
        {"tenor", t->tenor}, {"grace", t->grace}, {"years", t->years}};
    for (size_t i = 0; i < sizeof yrs / sizeof *yrs; i++) {
        if (yrs[i].v < 0 || yrs[i].v > DURATION_MAX) ok = 0;
        chk_duration(c, tl, who, yrs[i].attr, yrs[i].v);
    }
    if (!ok) return;
    loan_terms(c, op, tl, who);
    price_terms(c, op, tl, who);
    if (op->instrument == CKP_INSTR_GRANT && (t->tenor > 0 || !isnan(t->expected_loss)))
        ignored(c, tl, who, "tenor and expected-loss",
                "a grant is spent: its whole commitment is its expected cost");
}

/* Options without an expected-loss count their whole commitment as
 * expected cost: say so where a limit is on the expected cost. */
static void expected_loss_missing(chk *c)
{
    const ckp_plan *p = c->plan;
    for (int i = 0; i < p->n_projects; i++) {
        const ckp_project *q = &p->projects[i];
        if (q->committed) continue;
        for (int o = 0; o < q->n_options; o++) {
            const ckp_option *op = &q->options[o];
            if (op->instrument == CKP_INSTR_GRANT || isnan(op->commitment) ||
                ckp_instrument_price_support(op->instrument))
                continue;
            if (op->terms.given && !isnan(op->terms.expected_loss)) continue;
            WARN(c, op->line > 0 ? op->line : q->line, "expected-loss-missing",
                 "project '%s': option '%s': no expected-loss in its terms, so its whole "
                 "commitment %.10g counts as expected cost",
                 chk_str_or(q->id, "?"), chk_str_or(op->id, "?"), op->commitment);
        }
    }
}

void chk_budget_terms(chk *c, year_ix *scratch)
{
    ckp_plan *p = c->plan;
    int uses_ec = p->budget.measure == CKP_FIN_EXPECTED_COST;
    int spend_capped = 0; /* a flow cap limits upgrades and stockpiles */
    for (int i = 0; i < p->budget.n_caps; i++) {
        const ckp_fin_cap *cap = &p->budget.caps[i];
        char who[80];
        snprintf(who, sizeof who, "budget: cap (%s)", ckp_fin_measure_str(cap->measure));
        int line = cap->line > 0 ? cap->line : p->budget.line;
        chk_num(c, line, who, "total", cap->total, NUM_NONNEG | NUM_ALLOW_INF | NUM_MONEY,
                NULL);
        chk_year_values(c, who, "limit", "amount", NUM_MONEY, cap->limits, cap->n_limits,
                        scratch);
        if (cap->total == INFINITY && cap->n_limits == 0)
            WARN(c, line, "cap-empty", "%s: has neither a total nor a <limit>, so it limits "
                 "nothing", who);
        if (cap->measure == CKP_FIN_EXPECTED_COST) uses_ec = 1;
        if (!ckp_fin_measure_is_stock(cap->measure) &&
            (cap->total != INFINITY || cap->n_limits > 0))
            spend_capped = 1;
    }
    if (uses_ec) expected_loss_missing(c);
    if (ckp_fin_measure_is_stock(p->budget.measure) && !spend_capped &&
        (p->n_upgrades > 0 || p->n_stockpiles > 0))
        WARN(c, p->budget.line > 0 ? p->budget.line : p->line, "spending-not-limited",
             "budget: measure %s counts no upgrade or stockpile cost (spent money is not "
             "outstanding); add a <cap measure=\"commitment\"> to limit them",
             ckp_fin_measure_str(p->budget.measure));
}
