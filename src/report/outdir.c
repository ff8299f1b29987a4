/* outdir.c: the --out directory: portfolio.csv, production.csv,
 * exposure.csv, summary.json, concentration.csv, (under --max-share)
 * policy.csv, (plans with scenarios) scenarios.csv and idle.csv, (plans
 * with stockpiles) stockpiles.csv.  Every file is first
 * written whole to a temporary in DIR (util/atomic.h: flushed,
 * error-checked, fsynced); only when all of them were written are they renamed into place.  Any error
 * removes every temporary (and DIR itself when this call created it and it
 * is still empty) and returns CKP_EIO with a diagnostic: an interrupted or
 * failed run never leaves a partial file. */
#include "ckp/report.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/common.h"
#include "util/alloc.h"
#include "util/atomic.h"

enum { N_FILES = 9 };
static const char *const file_names[N_FILES] = {
    "portfolio.csv", "production.csv", "exposure.csv", "summary.json",
    "concentration.csv", "policy.csv", "scenarios.csv", "idle.csv",
    "stockpiles.csv"};

/* 1 when file i belongs to this result: concentration.csv only when the
 * result carries the concentration figures (every ckp_run result does),
 * policy.csv only under --max-share, scenarios.csv and idle.csv only when
 * the plan's scenarios were solved, stockpiles.csv only when the plan has
 * candidate stockpiles. */
static int wanted(int i, const ckp_result *r)
{
    switch (i) {
    case 4: return r->stage_hhi != NULL && r->stage_hhi_baseline != NULL;
    case 5: return r->max_share > 0;
    case 6:
    case 7: return rep_has_scenarios(r);
    case 8: return rep_has_stockpiles(r);
    default: return 1;
    }
}

static ckp_status write_one(int i, const ckp_result *r,
                            const ckp_report_info *info, FILE *out)
{
    switch (i) {
    case 0: return ckp_report_csv(r, out);
    case 1: return rep_csv_production(r, out);
    case 2: return rep_csv_exposure(r, out);
    case 3: return ckp_report_json(r, info, out);
    case 4: return rep_csv_concentration(r, out);
    case 5: return rep_csv_policy(r, out);
    case 6: return rep_csv_scenarios(r, out);
    case 7: return rep_csv_idle(r, out);
    default: return rep_csv_stockpiles(r, out);
    }
}

/* Create dir (one level) when missing; *created tells whether we did. */
static ckp_status ensure_dir(const char *dir, int *created, ckp_diag_list *diag)
{
    *created = 0;
    if (mkdir(dir, 0777) == 0) {
        *created = 1;
        return CKP_OK;
    }
    int err = errno;
    struct stat st;
    if (err == EEXIST && stat(dir, &st) == 0) {
        if (S_ISDIR(st.st_mode)) return CKP_OK;
        err = ENOTDIR;
    }
    ckp_diag_add(diag, CKP_SEV_ERROR, dir, 0, "output-error",
                 "cannot create output directory: %s", strerror(err));
    return CKP_EIO;
}

static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY);
    if (fd < 0) return;
    (void)fsync(fd); /* best effort: the files themselves are synced */
    close(fd);
}

ckp_status ckp_report_write_dir(const ckp_result *r, const ckp_report_info *info,
                                const char *dir, ckp_diag_list *diag)
{
    if (!r || !r->plan || !dir || !*dir) return CKP_EINTERNAL;
    ckp_atomic_file af[N_FILES];
    memset(af, 0, sizeof af);
    char *path = NULL;
    int created = 0;
    ckp_status rc = ensure_dir(dir, &created, diag);
    if (rc != CKP_OK) return rc;

    size_t cap = strlen(dir) + 32;
    path = ckp_malloc(cap);
    if (!path) {
        rc = CKP_ENOMEM;
        goto fail;
    }
    for (int i = 0; i < N_FILES; i++) {
        if (!wanted(i, r)) continue;
        snprintf(path, cap, "%s/%s", dir, file_names[i]);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error",
                         "cannot write: %s", strerror(EISDIR));
            rc = CKP_EIO;
            goto fail;
        }
        CKP_TRY_GOTO(rc, ckp_atomic_open(&af[i], path, diag), fail);
        rc = write_one(i, r, info, af[i].f);
        if (rc == CKP_EIO)
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error",
                         "cannot write: %s", strerror(errno ? errno : EIO));
        if (rc != CKP_OK) goto fail;
        CKP_TRY_GOTO(rc, ckp_atomic_close(&af[i], diag), fail);
    }
    for (int i = 0; i < N_FILES; i++)
        if (wanted(i, r)) CKP_TRY_GOTO(rc, ckp_atomic_commit(&af[i], diag), fail);
    sync_dir(dir);
    ckp_free(path);
    return CKP_OK;

fail:
    for (int i = 0; i < N_FILES; i++) ckp_atomic_discard(&af[i]);
    if (created) rmdir(dir); /* only succeeds when still empty */
    ckp_free(path);
    return rc;
}
