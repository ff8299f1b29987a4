/* sweep_package.c: datapackage.json of a budget sweep's folder
 * (docs/sweeps.md §3): sweep.csv, frontier.csv and no-regret.csv with a
 * Table Schema each, built from the header rows as written (so the
 * columns listed are exactly the file's), report.html and sweep.txt.  A
 * column this file does not know gets no description: the datapackage
 * test then names it (tests/support/check_datapackage.py). */
#include "ckp/report.h"

#include <stdlib.h>
#include <string.h>

#include "report/common.h"
#include "report/json.h"
#include "report/outfiles.h"
#include "util/alloc.h"
#include "util/atomic.h"

typedef struct col_doc {
    const char *name;   /* exact name, or a prefix ending in '_' when pre */
    int pre;
    const char *type;   /* Frictionless field type */
    const char *unit;   /* "money", "share", "share-years", "%", "s", NULL */
    const char *meaning;
} col_doc;

static const col_doc docs[] = {
    {"budget", 0, "number", "money", "the point's total budget"},
    {"status", 0, "string", NULL,
     "MIP status of the point: optimal, feasible (a limit stopped it), infeasible, "
     "no-solution, error"},
    {"gap", 0, "number", "share", "relative gap between the portfolio and the best bound"},
    {"objective", 0, "number", "share-years",
     "exposure: weighted chokepoint share plus shortage penalty, summed over years"},
    {"cut_pct", 0, "number", "%", "exposure cut against the baseline (no project funded)"},
    {"commitment", 0, "number", "money", "bank money committed"},
    {"private_capital", 0, "number", "money", "capex of the funded projects not financed by "
                                              "the bank"},
    {"share_", 1, "number", "share",
     "chokepoint share of the stage (share_<final year>_<stage>) in the final year, "
     "requirement-weighted, probability-weighted over scenarios"},
    {"binding", 0, "string", NULL,
     "what binds: total (nothing unfunded fits what is left), year Y (a start fits the "
     "total but breaks year Y's limit), none"},
    {"projects", 0, "string", NULL, "funded projects as id:option and upgrades as id, in plan "
                                    "order, separated by ;"},
    {"free_objective", 0, "number", "share-years",
     "nested sweeps: the optimum at this budget without the nesting constraint"},
    {"nesting_cost", 0, "number", "share-years",
     "nested sweeps: objective minus free_objective"},
    {"nodes", 0, "integer", NULL, "branch-and-bound nodes of the point's solve"},
    {"cpu_s", 0, "number", "s", "CPU seconds of the point's worker"},
    {"id", 0, "string", NULL, "project or upgrade id"},
    {"kind", 0, "string", NULL, "project or upgrade"},
    {"class", 0, "string", NULL, "always, never or sometimes funded over the points"},
    {"first_budget", 0, "number", "money", "the least budget at which it is funded"},
    {"funded_from_first_on", 0, "string", NULL,
     "yes: funded at every larger budget too; no: dropped at some larger budget"},
    {"option_switches", 0, "integer", NULL,
     "how often the financing option changes between consecutive funded points"},
    {"funded_at", 0, "string", NULL, "budget:option of every point that funds it, ;-separated"},
};

static const col_doc *find_doc(const char *name)
{
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        if (docs[i].pre ? strncmp(name, docs[i].name, strlen(docs[i].name)) == 0
                        : strcmp(name, docs[i].name) == 0)
            return &docs[i];
    }
    return NULL;
}

/* The header row of dir/file, split at commas (the sweep's headers hold
 * no quotes); NULL when unreadable. */
static char *header(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *path = ckp_malloc(n);
    if (!path) return NULL;
    snprintf(path, n, "%s/%s", dir, file);
    FILE *f = fopen(path, "r");
    ckp_free(path);
    if (!f) return NULL;
    char *line = ckp_malloc(8192);
    if (line && !fgets(line, 8192, f)) line[0] = '\0';
    fclose(f);
    if (line) line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static void csv_resource(jw *w, const char *dir, const char *file, const char *name,
                         const char *meaning, const char *cur)
{
    char *h = header(dir, file);
    jw_object(w, NULL);
    jw_str(w, "name", name);
    jw_str(w, "path", file);
    jw_str(w, "profile", "tabular-data-resource");
    jw_str(w, "format", "csv");
    jw_str(w, "mediatype", "text/csv");
    jw_str(w, "encoding", "utf-8");
    jw_str(w, "description", meaning);
    jw_object(w, "schema");
    jw_array(w, "fields");
    for (char *p = h, *q; p && *p; p = q) {
        q = strchr(p, ',');
        if (q) *q++ = '\0';
        else q = p + strlen(p);
        const col_doc *d = find_doc(p);
        jw_object(w, NULL);
        jw_str(w, "name", p);
        jw_str(w, "type", d ? d->type : "string");
        if (d) jw_str(w, "description", d->meaning);
        if (d && d->unit) {
            char u[48];
            if (strcmp(d->unit, "money") == 0) snprintf(u, sizeof u, "%s m", cur);
            else if (strcmp(d->unit, "share") == 0) snprintf(u, sizeof u, "fraction 0..1");
            else snprintf(u, sizeof u, "%s", d->unit);
            jw_str(w, "unit", u);
        }
        jw_end_object(w);
    }
    jw_end_array(w);
    jw_array(w, "missingValues");
    jw_str(w, NULL, "");
    jw_end_array(w);
    jw_end_object(w);
    jw_end_object(w);
    ckp_free(h);
}

static void file_resource(jw *w, const char *name, const char *path, const char *format,
                          const char *mediatype, const char *meaning)
{
    jw_object(w, NULL);
    jw_str(w, "name", name);
    jw_str(w, "path", path);
    jw_str(w, "format", format);
    jw_str(w, "mediatype", mediatype);
    jw_str(w, "encoding", "utf-8");
    jw_str(w, "description", meaning);
    jw_end_object(w);
}

static ckp_status write_package(const ckp_sweep *s, const char *dir, FILE *out)
{
    const char *cur = s->plan->currency ? s->plan->currency : "USD";
    jw w;
    jw_init(&w, out);
    jw_object(&w, NULL);
    jw_str(&w, "profile", "tabular-data-package");
    jw_str(&w, "name", "chokepoint-sweep");
    jw_str(&w, "title", s->plan->name);
    jw_str(&w, "description",
           "A budget sweep of chokepoint: the plan solved at each total budget. One folder "
           "per point under points/ (b<budget>/: the solve's files with their own "
           "datapackage.json, and point.txt); the tables below join the points. Money in "
           "millions of the plan currency; an empty CSV field is undefined (docs/sweeps.md).");
    jw_str(&w, "input_sha256", s->input_hash);
    jw_str(&w, "settings_sha256", s->settings_hash);
    jw_array(&w, "resources");
    csv_resource(&w, dir, "sweep.csv", "sweep", "one row per finished point, in budget order",
                 cur);
    csv_resource(&w, dir, "frontier.csv", "frontier",
                 "the points on the frontier: no point with a smaller commitment is as good",
                 cur);
    csv_resource(&w, dir, "no-regret.csv", "no-regret",
                 "one row per project and upgrade: at which budgets it is funded", cur);
    file_resource(&w, "report", "report.html", "html", "text/html",
                  "the frontier chart and the no-regret matrix with their data tables; "
                  "self-contained");
    file_resource(&w, "manifest", "sweep.txt", "txt", "text/plain",
                  "the sweep's manifest: input and settings hashes, shard, the budgets "
                  "(read by resume and merge)");
    jw_end_array(&w);
    jw_end_object(&w);
    if (w.bad || w.depth != 0) return CKP_EINTERNAL;
    return ferror(out) ? CKP_EIO : CKP_OK;
}

typedef struct package_arg {
    const ckp_sweep *s;
    const char *dir;
} package_arg;

static ckp_status package_write(const void *arg, FILE *out)
{
    const package_arg *a = arg;
    return write_package(a->s, a->dir, out);
}

ckp_status rep_sweep_package_write(const ckp_sweep *s, const char *dir, ckp_diag_list *diag)
{
    package_arg a = {s, dir};
    return ckp_atomic_write(dir, "datapackage.json", package_write, &a, diag);
}
