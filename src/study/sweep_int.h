/* sweep_int.h: what the sweep files of src/study share (not public):
 * the point record (serialized in a worker, sent through the pool's pipe
 * and kept as points/b<budget>/point.txt), the point's folder name, the
 * manifest sweep.txt, and the output writers. */
#ifndef CKP_STUDY_SWEEP_INT_H
#define CKP_STUDY_SWEEP_INT_H

#include "ckp/result.h"
#include "ckp/sweep.h"

#define CKP_SWEEP_RECORD_MAGIC "chokepoint-sweep-point 1"
#define CKP_SWEEP_MANIFEST_MAGIC "chokepoint-sweep 1"

/* Folder name of a budget under points/: "b" + %.10g ("b500", "b1250.5"). */
void sweep_point_name(double budget, char *buf, size_t size);

/* Fill pt's figures from a finished run (plan order picks, what binds). */
ckp_status sweep_point_from_result(ckp_sweep_point *pt, const ckp_plan *plan,
                                   const ckp_result *r, double cpu_seconds);

/* The point record as text (ckp_malloc'd, NUL-terminated) and back.
 * parse returns CKP_EPARSE on anything malformed, CKP_EINVALID when an id
 * is not in plan; the hashes read go to input / settings (hex[65]). */
ckp_status sweep_record_format(const ckp_sweep_point *pt, const ckp_plan *plan,
                               const char *input_hash, const char *settings_hash,
                               char **out, size_t *len);
ckp_status sweep_record_parse(const char *text, size_t len, const ckp_plan *plan,
                              ckp_sweep_point *pt, char input_hash[65],
                              char settings_hash[65]);
void sweep_point_fini(ckp_sweep_point *pt);
/* Every timing figure of pt (t_start ... cpu_files) NAN: not known. */
void sweep_point_no_time(ckp_sweep_point *pt);
/* 1 when pt was solved and has a portfolio (optimal or feasible). */
int sweep_has_portfolio(const ckp_sweep_point *pt);

/* Manifest sweep.txt: hashes, budgets, shard, plan path. */
typedef struct sweep_manifest {
    char input_hash[65];
    char settings_hash[65];
    double *budgets;
    int n_budgets;
    int shard_k, shard_n;
} sweep_manifest;
ckp_status sweep_manifest_write(const char *dir, const ckp_sweep *s,
                                const double *budgets, int n_budgets, ckp_diag_list *diag);
ckp_status sweep_manifest_read(const char *dir, sweep_manifest *m, ckp_diag_list *diag);
void sweep_manifest_fini(sweep_manifest *m);

/* Output files of a sweep (sweep_out.c): sweep.csv, frontier.csv,
 * no-regret.csv, each atomic. */
ckp_status sweep_write_tables(const ckp_sweep *s, const char *dir, ckp_diag_list *diag);

/* Points in the frontier: out[i] = 1 when point i is not dominated. */
void sweep_frontier(const ckp_sweep *s, int *out);

/* Warm start of the point at `budget` from the points solved so far
 * (sweep_warm.c, docs/sweeps.md "Warm starts"): hints for
 * ckp_run_hinted; w owns the start portfolio's arrays. */
typedef struct sweep_warm {
    ckp_run_hints hints;
    ckp_fixed_portfolio portfolio;
    int *option, *start, *upgrade_start;
    double from_budget;  /* the budget whose portfolio starts it (with
                            hints.start) */
} sweep_warm;
ckp_status sweep_warm_hints(const ckp_plan *plan, const ckp_model_params *mp,
                            const ckp_sweep_point *pts, int n_pts, double budget,
                            sweep_warm *w, ckp_diag_list *diag);
void sweep_warm_fini(sweep_warm *w);
/* The nested chain's point at budget: started from this budget's free
 * optimum when it funds every project mp forces, else from the nested
 * point below; bounded by the free optimum (exposure, then commitment). */
ckp_status sweep_warm_nested(const ckp_plan *plan, const ckp_model_params *mp,
                             const ckp_sweep_point *below, const ckp_sweep_point *free_pt,
                             double budget, sweep_warm *w, ckp_diag_list *diag);
/* The exact frontier's next point at budget (below the last breakpoint's
 * commitment): started from the last breakpoint's portfolio less the
 * least money that makes it fit (one item dropped, or one project on a
 * cheaper option). */
ckp_status sweep_warm_exact(const ckp_plan *plan, const ckp_model_params *mp,
                            const ckp_sweep_point *last, double budget, sweep_warm *w,
                            ckp_diag_list *diag);

/* Directory helpers. */
ckp_status sweep_mkdir(const char *dir, ckp_diag_list *diag);
void sweep_rm_tree(const char *dir);

#endif
