/* sweep_budgets.c: what a sweep is asked (include/ckp/sweep.h,
 * docs/sweeps.md §1): the default parameters, the budgets of the command
 * line (A:B:STEP or a list, every refusal before any solve) and the
 * settings hash that --resume and merge compare (every model and solver
 * setting, the budget excepted). */
#include "ckp/sweep.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/sha256.h"

void ckp_sweep_params_init(ckp_sweep_params *p)
{
    memset(p, 0, sizeof *p);
    ckp_model_params_init(&p->model);
    ckp_solve_params_init(&p->solve);
    p->workers = 1;
}

/* ------------------------------------------------------------------ */
/* Budgets */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int parse_num(const char *s, const char *end, double *v)
{
    char buf[64];
    size_t n = (size_t)(end - s);
    if (n == 0 || n >= sizeof buf) return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *e = NULL;
    errno = 0;
    *v = strtod(buf, &e);
    return e == buf || *e || errno == ERANGE || !isfinite(*v) ? -1 : 0;
}

ckp_status ckp_sweep_parse_budgets(const char *text, double **out, int *n, char *msg,
                                   int msg_size)
{
    *out = NULL;
    *n = 0;
    const char *c1 = strchr(text, ':');
    double *b = NULL;
    int count = 0;
    if (c1) {
        const char *c2 = strchr(c1 + 1, ':');
        double a, z, step;
        if (!c2 || strchr(c2 + 1, ':') || parse_num(text, c1, &a) ||
            parse_num(c1 + 1, c2, &z) || parse_num(c2 + 1, c2 + 1 + strlen(c2 + 1), &step)) {
            snprintf(msg, (size_t)msg_size, "'%s' is not A:B:STEP (three numbers)", text);
            return CKP_EUSAGE;
        }
        if (a < 0) {
            snprintf(msg, (size_t)msg_size, "budget %g is below zero", a);
            return CKP_EUSAGE;
        }
        if (z < a) {
            snprintf(msg, (size_t)msg_size, "reversed range %g:%g: the end is below the "
                     "start", a, z);
            return CKP_EUSAGE;
        }
        if (!(step > 0)) {
            snprintf(msg, (size_t)msg_size, "step %g must be > 0", step);
            return CKP_EUSAGE;
        }
        double pts = floor((z - a) / step + 1e-9) + 1;
        if (pts > CKP_SWEEP_MAX_POINTS) {
            snprintf(msg, (size_t)msg_size, "%s gives %.0f points, more than the %d "
                     "allowed", text, pts, CKP_SWEEP_MAX_POINTS);
            return CKP_EUSAGE;
        }
        count = (int)pts;
        b = ckp_malloc((size_t)count * sizeof *b);
        if (!b) return CKP_ENOMEM;
        for (int i = 0; i < count; i++) {
            b[i] = a + step * i;
            /* the grid's decimal value (0.1 steps do not add up exactly) */
            b[i] = round(b[i] * 1e9) / 1e9;
        }
    } else {
        int commas = 0;
        for (const char *p = text; *p; p++) commas += *p == ',';
        if (commas + 1 > CKP_SWEEP_MAX_POINTS) {
            snprintf(msg, (size_t)msg_size, "%d budgets, more than the %d allowed",
                     commas + 1, CKP_SWEEP_MAX_POINTS);
            return CKP_EUSAGE;
        }
        b = ckp_malloc(((size_t)commas + 1) * sizeof *b);
        if (!b) return CKP_ENOMEM;
        const char *s = text;
        for (;;) {
            const char *e = strchr(s, ',');
            if (!e) e = s + strlen(s);
            if (parse_num(s, e, &b[count])) {
                snprintf(msg, (size_t)msg_size, "'%.*s' in '%s' is not a number",
                         (int)(e - s), s, text);
                ckp_free(b);
                return CKP_EUSAGE;
            }
            if (b[count] < 0) {
                snprintf(msg, (size_t)msg_size, "budget %g is below zero", b[count]);
                ckp_free(b);
                return CKP_EUSAGE;
            }
            count++;
            if (!*e) break;
            s = e + 1;
        }
        qsort(b, (size_t)count, sizeof *b, cmp_double);
        for (int i = 1; i < count; i++)
            if (b[i] == b[i - 1]) {
                snprintf(msg, (size_t)msg_size, "budget %g is given twice", b[i]);
                ckp_free(b);
                return CKP_EUSAGE;
            }
    }
    *out = b;
    *n = count;
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Settings hash: every model setting as text (budget excluded), then the
 * solve parameters' bytes (set by ckp_solve_params_init, which zeroes the
 * struct, so padding is zero) with the display-only fields cleared. */

void ckp_sweep_settings_hash(const ckp_plan *plan, const ckp_model_params *mp,
                             const ckp_solve_params *sp, char hex[65])
{
    (void)plan;
    ckp_sha256 h;
    ckp_sha256_init(&h);
    char buf[512];
    int n = snprintf(buf, sizeof buf,
                     "obj %d np %d pen %.17g tb %.17g ms %.17g mc %d t %.17g tbase %.17g "
                     "meas %d nos %d scale %d\n",
                     mp->objective, mp->no_projects, mp->shortage_penalty, mp->tie_break,
                     mp->max_share, mp->min_cost, mp->target, mp->target_base,
                     mp->measure, mp->no_scenarios, mp->scale_year_limits);
    ckp_sha256_update(&h, buf, (size_t)n);
    for (int i = 0; i < mp->n_force; i++) {
        ckp_sha256_update(&h, "force ", 6);
        ckp_sha256_update(&h, mp->force[i], strlen(mp->force[i]) + 1);
    }
    for (int i = 0; i < mp->n_exclude; i++) {
        ckp_sha256_update(&h, "exclude ", 8);
        ckp_sha256_update(&h, mp->exclude[i], strlen(mp->exclude[i]) + 1);
    }
    if (mp->scenario) {
        ckp_sha256_update(&h, "scenario ", 9);
        ckp_sha256_update(&h, mp->scenario, strlen(mp->scenario) + 1);
    }
    for (int i = 0; i < mp->n_year_limits; i++) {
        n = snprintf(buf, sizeof buf, "yl %d %.17g\n", mp->year_limits[i].year,
                     mp->year_limits[i].value);
        ckp_sha256_update(&h, buf, (size_t)n);
    }
    ckp_solve_params s = *sp;
    s.verbose = 0;
    s.progress = 0;
    s.known_bound_set = 0; /* hints of a run, not settings */
    s.known_bound = 0;
    s.on_progress = NULL;
    s.on_progress_ctx = NULL;
    ckp_sha256_update(&h, &s, sizeof s);
    unsigned char d[32];
    ckp_sha256_final(&h, d);
    for (int i = 0; i < 32; i++) snprintf(hex + 2 * i, 3, "%02x", d[i]);
}
