/* evaluate_html.c: the report.html of `evaluate --out` when the given
 * portfolio breaks the plan (ckp_violations_write; docs/study.md): no
 * result exists then, so the page lists every violation instead, one row
 * each: the constraint broken (the diagnostic's code), where in the
 * portfolio (file and line; 0 = the portfolio as a whole, e.g. its total
 * commitment), and what and by how much (the diagnostic's message, which
 * names the plan's line where it has one).  Written through the libxml2
 * writer of src/report/html.c, atomically (src/util/atomic.h). */
#include "ckp/study.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "report/html.h"
#include "util/alloc.h"
#include "util/atomic.h"

typedef struct vpage {
    const ckp_plan *plan;
    const ckp_diag_list *viol;
} vpage;

static int is_violation(const ckp_diag *d)
{
    return d->severity == CKP_SEV_ERROR && d->code && strncmp(d->code, "portfolio-", 10) == 0 &&
           strcmp(d->code, "portfolio-file") != 0;
}

static void body(hw *h, const void *arg)
{
    const vpage *p = arg;
    int n = 0;
    for (int i = 0; i < p->viol->n; i++) n += is_violation(&p->viol->items[i]);
    hw_open(h, "h1");
    hw_textf(h, "The portfolio breaks the plan: %s", p->plan->name ? p->plan->name : "plan");
    hw_close(h);
    hw_open(h, "p");
    hw_attr(h, "class", "lead");
    hw_open(h, "b");
    hw_attr(h, "id", "n-violations");
    hw_textf(h, "%d", n);
    hw_close(h);
    hw_textf(h, " violation%s: the portfolio cannot be evaluated until each is removed.  "
                "Nothing else is reported (no exposure, no regret).",
             n == 1 ? "" : "s");
    hw_close(h);
    hw_open(h, "section");
    hw_attr(h, "id", "violations");
    hw_elem(h, "h2", "Every violation");
    hw_open(h, "table");
    hw_attr(h, "id", "violations-data");
    hw_elem(h, "caption", "Violations: the constraint, where in the portfolio, what and by "
                          "how much (money in millions of the plan's currency)");
    hw_open(h, "tr");
    hw_elem(h, "th", "constraint");
    hw_elem(h, "th", "portfolio");
    hw_elem_class(h, "th", "num", "line");
    hw_elem(h, "th", "what, by how much, plan line");
    hw_close(h);
    for (int i = 0; i < p->viol->n; i++) {
        const ckp_diag *d = &p->viol->items[i];
        if (!is_violation(d)) continue;
        hw_open(h, "tr");
        hw_attr(h, "class", "violation");
        hw_elem(h, "td", d->code + 10);
        hw_elem(h, "td", d->file ? d->file : "-");
        hw_open(h, "td");
        hw_attr(h, "class", "num");
        if (d->line > 0) hw_textf(h, "%d", d->line);
        else hw_text(h, "-");
        hw_close(h);
        hw_elem(h, "td", d->message);
        hw_close(h);
    }
    hw_close(h); /* table */
    hw_elem_class(h, "p", "note", "Line -: the portfolio as a whole (its total or a year's "
                                  "commitment).  Source: the check of the portfolio against "
                                  "the plan (docs/study.md); the same lines are printed on "
                                  "stderr.");
    hw_close(h); /* section */
}

ckp_status ckp_violations_html(const ckp_plan *plan, const ckp_diag_list *viol, FILE *out)
{
    if (!plan || !viol || !out) return CKP_EINTERNAL;
    vpage p = {plan, viol};
    return rep_html_page(out, plan->name, body, &p);
}

ckp_status ckp_violations_write(const ckp_plan *plan, const ckp_diag_list *viol,
                                const char *dir, ckp_diag_list *diag)
{
    if (!plan || !viol || !dir) return CKP_EINTERNAL;
    if (mkdir(dir, 0777) != 0) {
        int err = errno;
        struct stat st;
        if (!(err == EEXIST && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))) {
            ckp_diag_add(diag, CKP_SEV_ERROR, dir, 0, "output-error",
                         "cannot create output directory: %s",
                         strerror(err == EEXIST ? ENOTDIR : err));
            return CKP_EIO;
        }
    }
    size_t n = strlen(dir) + 16;
    char *path = ckp_malloc(n);
    if (!path) return CKP_ENOMEM;
    snprintf(path, n, "%s/report.html", dir);
    ckp_atomic_file af;
    memset(&af, 0, sizeof af);
    ckp_status st = ckp_atomic_open(&af, path, diag);
    if (st == CKP_OK) {
        st = ckp_violations_html(plan, viol, af.f);
        if (st == CKP_OK) st = ckp_atomic_close(&af, diag);
        if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
        ckp_atomic_discard(&af);
    }
    ckp_free(path);
    return st;
}
