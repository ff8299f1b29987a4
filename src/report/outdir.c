/* outdir.c: the --out directory: portfolio.csv, production.csv,
 * exposure.csv, concentration.csv, summary.json, report.html,
 * datapackage.json, README.txt, (under --max-share)
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
#include "report/figures.h"
#include "report/html.h"
#include "report/outfiles.h"
#include "util/alloc.h"
#include "util/atomic.h"

/* The files: every table of tables.c (when it belongs to the result),
 * then summary.json, report.html, datapackage.json and README.txt. */
enum { N_MAX = 16 };

static const char *const other_files[] = {"summary.json", "report.html", "datapackage.json",
                                          "README.txt"};

static int n_files(void) { return rep_n_tables + 4; }

static const char *file_name(int i)
{
    return i < rep_n_tables ? rep_tables[i].file : other_files[i - rep_n_tables];
}

static int wanted(int i, const ckp_result *r)
{
    return i < rep_n_tables ? rep_tables[i].wanted(r) : 1;
}

static ckp_status write_one(int i, const ckp_result *r, const ckp_report_info *info,
                            const ckp_report_file *extra, int n_extra,
                            const rep_html_section *section, FILE *out)
{
    if (i < rep_n_tables) return rep_csv_table(r, &rep_tables[i], out);
    switch (i - rep_n_tables) {
    case 0: return ckp_report_json(r, info, out);
    case 1: return rep_html_result(r, info, section, out);
    case 2: return rep_write_datapackage(r, info, extra, n_extra, out);
    default: return rep_write_readme(r, info, extra, n_extra, out);
    }
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
    return ckp_report_write_dir_with(r, info, NULL, 0, dir, diag);
}

ckp_status ckp_report_write_dir_with(const ckp_result *r, const ckp_report_info *info,
                                     const ckp_report_file *extra, int n_extra,
                                     const char *dir, ckp_diag_list *diag)
{
    return rep_write_dir(r, info, extra, n_extra, NULL, dir, diag);
}

ckp_status rep_write_dir(const ckp_result *r, const ckp_report_info *info,
                         const ckp_report_file *extra, int n_extra,
                         const rep_html_section *section, const char *dir,
                         ckp_diag_list *diag)
{
    if (!r || !r->plan || !dir || !*dir || n_extra < 0 || (n_extra > 0 && !extra))
        return CKP_EINTERNAL;
    ckp_atomic_file af[N_MAX];
    memset(af, 0, sizeof af);
    char *path = NULL;
    int created = 0;
    ckp_status rc = ckp_output_dir(dir, &created, diag);
    if (rc != CKP_OK) return rc;

    size_t cap = strlen(dir) + 32;
    path = ckp_malloc(cap);
    if (!path) {
        rc = CKP_ENOMEM;
        goto fail;
    }
    if (n_files() > N_MAX) {
        rc = CKP_EINTERNAL;
        goto fail;
    }
    for (int i = 0; i < n_files(); i++) {
        if (!wanted(i, r)) continue;
        snprintf(path, cap, "%s/%s", dir, file_name(i));
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error",
                         "cannot write: %s", strerror(EISDIR));
            rc = CKP_EIO;
            goto fail;
        }
        CKP_TRY_GOTO(rc, ckp_atomic_open(&af[i], path, diag), fail);
        rc = write_one(i, r, info, extra, n_extra, section, af[i].f);
        if (rc == CKP_EIO)
            ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "output-error",
                         "cannot write: %s", strerror(errno ? errno : EIO));
        if (rc != CKP_OK) goto fail;
        CKP_TRY_GOTO(rc, ckp_atomic_close(&af[i], diag), fail);
    }
    for (int i = 0; i < n_files(); i++)
        if (wanted(i, r)) CKP_TRY_GOTO(rc, ckp_atomic_commit(&af[i], diag), fail);
    sync_dir(dir);
    ckp_free(path);
    return CKP_OK;

fail:
    for (int i = 0; i < N_MAX; i++) ckp_atomic_discard(&af[i]);
    if (created) rmdir(dir); /* only succeeds when still empty */
    ckp_free(path);
    return rc;
}
