/* terms.c: the yearly figures of a funded item from its instrument terms
 * (include/ckp/terms.h; the equations are docs/finance.md "Instrument
 * terms"), the disbursement of an amount by its schedule (ckp_disburse,
 * input/plan_time.h), and the words of the budget measures.  Plain
 * arithmetic on a checked plan: no XML, no solver. */
#include "ckp/terms.h"

#include <math.h>
#include <string.h>

#include "input/plan_time.h"

/* Currency per tonne x t/yr = currency; the plan's money is millions. */
#define PER_MILLION 1e6

static const char *const measure_words[CKP_FIN_MEASURES] = {
    "commitment", "outstanding", "expected-cost", "contingent-liability"};

const char *ckp_fin_measure_str(ckp_fin_measure m)
{
    return (unsigned)m < CKP_FIN_MEASURES ? measure_words[m] : "?";
}

ckp_status ckp_fin_measure_parse(const char *s, ckp_fin_measure *out)
{
    for (int i = 0; s && i < CKP_FIN_MEASURES; i++)
        if (strcmp(s, measure_words[i]) == 0) {
            *out = (ckp_fin_measure)i;
            return CKP_OK;
        }
    return CKP_EUSAGE;
}

int ckp_fin_measure_is_stock(ckp_fin_measure m)
{
    return m == CKP_FIN_OUTSTANDING || m == CKP_FIN_CONTINGENT;
}

double ckp_terms_price_cap(const ckp_terms *t)
{
    if (!t->given || isnan(t->floor) || isnan(t->volume) || t->years <= 0) return NAN;
    return t->floor * t->volume * t->years / PER_MILLION;
}

/* Share of the amount paid in offset k, and paid by the end of offset k. */
static double paid_in(const double *sch, int n, int k)
{
    if (k < 0) return 0.0;
    if (n <= 0) return k == 0 ? 1.0 : 0.0;
    return k < n ? sch[k] : 0.0;
}

static double paid_by(const double *sch, int n, int k)
{
    if (k < 0) return 0.0;
    if (n <= 0) return 1.0;
    double s = 0.0;
    for (int j = 0; j <= k && j < n; j++) s += sch[j];
    return s;
}

void ckp_disburse(double *spend, int Y, int first, int start, double amount,
                  const double *schedule, int n_schedule)
{
    if (n_schedule == 0) {
        int y = start - first;
        if (y >= 0 && y < Y) spend[y] += amount;
        return;
    }
    for (int k = 0; k < n_schedule; k++) {
        int y = start - first + k;
        if (y >= 0 && y < Y) spend[y] += amount * schedule[k];
    }
}

double ckp_spending_figure(double amount, const double *schedule, int n, int start,
                           ckp_fin_measure m, int year)
{
    if (m == CKP_FIN_OUTSTANDING || m == CKP_FIN_CONTINGENT) return 0.0;
    return amount * paid_in(schedule, n, year - start);
}

double ckp_spending_total(double amount, ckp_fin_measure m)
{
    return ckp_fin_measure_is_stock(m) ? 0.0 : amount;
}

/* Principal outstanding after i of n yearly instalments of an annuity at
 * rate r on principal 1 (r 0: equal principal instalments). */
static double annuity_left(double r, int n, int i)
{
    if (i <= 0) return 1.0;
    if (i >= n) return 0.0;
    if (!(r > 0)) return 1.0 - (double)i / n;
    double an = pow(1.0 + r, n), ai = pow(1.0 + r, i);
    return (an - ai) / (an - 1.0);
}

/* Commodity whose price a project's price support pays against. */
static int priced_commodity(const ckp_project *pr)
{
    return pr->breakeven_of.id && pr->breakeven_of.ix >= 0 ? pr->breakeven_of.ix
                                                           : pr->output.ix;
}

static int has_floor(const ckp_option *op)
{
    return ckp_instrument_price_support(op->instrument) &&
           !isnan(ckp_terms_price_cap(&op->terms));
}

/* Price-support payment in `year` in scenario s (s < 0: expectation). */
static double support_paid(const ckp_plan *plan, const ckp_project *pr, const ckp_option *op,
                           int start, int year, int s)
{
    int k_on = ckp_project_lead(pr); /* online: the contract runs from there */
    int k = year - start;
    if (k < k_on || k >= k_on + op->terms.years) return 0.0;
    int c = priced_commodity(pr);
    if (c < 0) return 0.0;
    double sum = 0.0;
    for (int i = 0; i < plan->n_scenarios; i++) {
        if (s >= 0 && i != s) continue;
        double price = ckp_scenario_price(plan, i, c, year);
        double gap = isnan(price) ? 0.0 : op->terms.floor - price;
        if (gap > 0)
            sum += (s >= 0 ? 1.0 : plan->scenarios[i].probability) * gap * op->terms.volume;
    }
    return sum / PER_MILLION;
}

/* Stock held from the start to the end of the tenor (tenor 0: always). */
static double held(const ckp_option *op, int k)
{
    if (k < 0 || (op->terms.tenor > 0 && k >= op->terms.tenor)) return 0.0;
    return op->commitment * paid_by(op->schedule, op->n_schedule, k);
}

/* A package's loan (terms.loan > 0 on a price-support option): the first
 * `loan` millions of its disbursements, by the end of offset k. */
static int is_package(const ckp_option *op)
{
    return ckp_instrument_price_support(op->instrument) && op->terms.given &&
           op->terms.loan > 0;
}

static double loan_by(const ckp_option *op, int k)
{
    if (k < 0) return 0.0;
    double d = op->commitment * paid_by(op->schedule, op->n_schedule, k);
    return d < op->terms.loan ? d : op->terms.loan;
}

/* Principal outstanding at the end of offset k of a loan of `principal`
 * disbursed `by(k)`: all of it in the grace years, then the annuity. */
static double loan_outstanding(const ckp_option *op, int k)
{
    const ckp_terms *t = &op->terms;
    if (k < 0) return 0.0;
    int pkg = is_package(op);
    double principal = pkg ? t->loan : op->commitment;
    double by = pkg ? loan_by(op, k) : op->commitment * paid_by(op->schedule, op->n_schedule, k);
    if (t->tenor <= 0) return by;
    if (k >= t->tenor) return 0.0;
    if (k < t->grace) return by;
    int n = t->tenor - t->grace;
    double r = t->given && !isnan(t->rate) ? t->rate : 0.0;
    return principal * annuity_left(r, n, k - t->grace + 1);
}

/* Remaining price-support cap in offset k: floor x volume x the contract
 * years not yet past. */
static double cap_left(const ckp_project *pr, const ckp_option *op, int k)
{
    int k_on = ckp_project_lead(pr), end = k_on + op->terms.years;
    if (k < 0 || k >= end) return 0.0;
    int left = end - (k > k_on ? k : k_on);
    return op->terms.floor * op->terms.volume * left / PER_MILLION;
}

double ckp_option_figure_in(const ckp_plan *plan, int p, int o, int start,
                            ckp_fin_measure m, int year, int s)
{
    const ckp_project *pr = &plan->projects[p];
    const ckp_option *op = &pr->options[o];
    int k = year - start;
    if (k < 0) return 0.0;
    double d = op->commitment * paid_in(op->schedule, op->n_schedule, k);
    int floor = has_floor(op);
    int pkg = floor && is_package(op);
    double el = op->terms.given && !isnan(op->terms.expected_loss) ? op->terms.expected_loss
                                                                    : 1.0;
    switch (m) {
    case CKP_FIN_COMMITMENT: return d;
    case CKP_FIN_EXPECTED_COST:
        if (pkg)
            return support_paid(plan, pr, op, start, year, s) +
                   el * (loan_by(op, k) - loan_by(op, k - 1));
        if (floor) return support_paid(plan, pr, op, start, year, s);
        if (op->instrument == CKP_INSTR_GRANT || !op->terms.given ||
            isnan(op->terms.expected_loss))
            return d;
        return op->terms.expected_loss * d;
    case CKP_FIN_OUTSTANDING:
        if (pkg) return cap_left(pr, op, k) + loan_outstanding(op, k);
        if (floor) return cap_left(pr, op, k);
        if (op->instrument == CKP_INSTR_GRANT) return 0.0;
        if (op->instrument == CKP_INSTR_LOAN) return loan_outstanding(op, k);
        return held(op, k);
    case CKP_FIN_CONTINGENT:
        if (floor) return cap_left(pr, op, k);
        if (op->instrument == CKP_INSTR_GUARANTEE ||
            ckp_instrument_price_support(op->instrument))
            return held(op, k);
        return 0.0;
    }
    return 0.0;
}

double ckp_option_figure(const ckp_plan *plan, int p, int o, int start, ckp_fin_measure m,
                         int year)
{
    return ckp_option_figure_in(plan, p, o, start, m, year, -1);
}

double ckp_option_figure_total(const ckp_plan *plan, int p, int o, int start,
                               ckp_fin_measure m)
{
    const ckp_project *pr = &plan->projects[p];
    const ckp_option *op = &pr->options[o];
    /* every offset where a figure can change: the schedule, the tenor,
       the price-support contract */
    int span = op->n_schedule > 1 ? op->n_schedule : 1;
    if (op->terms.tenor > span) span = op->terms.tenor;
    if (has_floor(op) && ckp_project_lead(pr) + op->terms.years > span)
        span = ckp_project_lead(pr) + op->terms.years;
    double total = 0.0;
    for (int k = 0; k < span; k++) {
        double v = ckp_option_figure(plan, p, o, start, m, start + k);
        if (ckp_fin_measure_is_stock(m)) {
            if (v > total) total = v;
        } else {
            total += v;
        }
    }
    return total;
}
