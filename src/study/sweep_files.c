/* sweep_files.c: a sweep's folder on disk (docs/sweeps.md, "Files"):
 * sweep.txt (the manifest: input and settings hashes, the budgets, the
 * shard), the points/ folders, and merge, which joins the folders of the
 * shards of one sweep into what the unsharded sweep writes. */
#define _XOPEN_SOURCE 700
#include "ckp/sweep.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "study/sweep_int.h"
#include "util/alloc.h"
#include "util/atomic.h"
#include "util/sha256.h"

ckp_status sweep_mkdir(const char *dir, ckp_diag_list *diag)
{
    return ckp_output_dir_as(dir, "the folder", NULL, diag);
}

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void sweep_rm_tree(const char *dir)
{
    struct stat sb;
    if (lstat(dir, &sb) != 0) return;
    nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* ------------------------------------------------------------------ */
/* Manifest */

ckp_status sweep_manifest_write(const char *dir, const ckp_sweep *s,
                                const double *budgets, int n_budgets, ckp_diag_list *diag)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/sweep.txt", dir);
    ckp_atomic_file af;
    ckp_status st = ckp_atomic_open(&af, path, diag);
    if (st != CKP_OK) return st;
    fprintf(af.f, "%s\ninput %s\nsettings %s\nshard %d/%d\npoints %d\n",
            CKP_SWEEP_MANIFEST_MAGIC, s->input_hash, s->settings_hash, s->shard_k,
            s->shard_n, n_budgets);
    for (int i = 0; i < n_budgets; i++) fprintf(af.f, "budget %.17g\n", budgets[i]);
    fprintf(af.f, "end\n");
    st = ckp_atomic_close(&af, diag);
    if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
    ckp_atomic_discard(&af);
    return st;
}

void sweep_manifest_fini(sweep_manifest *m)
{
    if (!m) return;
    ckp_free(m->budgets);
    m->budgets = NULL;
}

ckp_status sweep_manifest_read(const char *dir, sweep_manifest *m, ckp_diag_list *diag)
{
    memset(m, 0, sizeof *m);
    char path[4096], line[512];
    snprintf(path, sizeof path, "%s/sweep.txt", dir);
    FILE *f = fopen(path, "r");
    if (!f) {
        ckp_diag_add(diag, CKP_SEV_ERROR, path, 0, "sweep-folder",
                     "not a sweep folder: cannot read its sweep.txt: %s", strerror(errno));
        return CKP_EIO;
    }
    int n = -1, k = 0, ok = 0, line_no = 0;
    while (fgets(line, sizeof line, f)) {
        line_no++;
        line[strcspn(line, "\n")] = '\0';
        if (line_no == 1) {
            if (strcmp(line, CKP_SWEEP_MANIFEST_MAGIC) != 0) break;
        } else if (strncmp(line, "input ", 6) == 0 && strlen(line + 6) == 64) {
            memcpy(m->input_hash, line + 6, 65);
        } else if (strncmp(line, "settings ", 9) == 0 && strlen(line + 9) == 64) {
            memcpy(m->settings_hash, line + 9, 65);
        } else if (sscanf(line, "shard %d/%d", &m->shard_k, &m->shard_n) == 2) {
        } else if (sscanf(line, "points %d", &n) == 1) {
            if (n < 0 || n > CKP_SWEEP_MAX_POINTS) break;
            m->budgets = ckp_malloc(((size_t)n + 1) * sizeof *m->budgets);
            if (!m->budgets) break;
        } else if (strncmp(line, "budget ", 7) == 0 && m->budgets && k < n) {
            m->budgets[k++] = strtod(line + 7, NULL);
        } else if (strcmp(line, "end") == 0) {
            ok = m->budgets && k == n && m->input_hash[0] && m->settings_hash[0];
            break;
        } else {
            break;
        }
    }
    fclose(f);
    if (!ok) {
        sweep_manifest_fini(m);
        ckp_diag_add(diag, CKP_SEV_ERROR, path, line_no, "sweep-folder",
                     "malformed sweep manifest");
        return CKP_EPARSE;
    }
    m->n_budgets = n;
    return CKP_OK;
}

/* ------------------------------------------------------------------ */
/* Merge */

/* Copy one regular file (atomically) from src to dst. */
static ckp_status copy_file(const char *src, const char *dst, ckp_diag_list *diag)
{
    FILE *in = fopen(src, "rb");
    if (!in) {
        ckp_diag_add(diag, CKP_SEV_ERROR, src, 0, "sweep-folder", "cannot read: %s",
                     strerror(errno));
        return CKP_EIO;
    }
    ckp_atomic_file af;
    ckp_status st = ckp_atomic_open(&af, dst, diag);
    if (st == CKP_OK) {
        char buf[65536];
        size_t n;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            if (fwrite(buf, 1, n, af.f) != n) break;
        if (ferror(in)) st = CKP_EIO;
        ckp_status st2 = ckp_atomic_close(&af, diag);
        if (st == CKP_OK) st = st2;
        if (st == CKP_OK) st = ckp_atomic_commit(&af, diag);
        ckp_atomic_discard(&af);
    }
    fclose(in);
    return st;
}

/* Copy a point's folder (every regular file in it) into out/points/<name>,
 * through a temporary folder renamed into place. */
static ckp_status copy_point(const char *from_dir, const char *out_dir, const char *name,
                             ckp_diag_list *diag)
{
    char src[4096], tmp[4096], dst[4096], a[4400], b[4400];
    snprintf(src, sizeof src, "%s/points/%s", from_dir, name);
    snprintf(tmp, sizeof tmp, "%s/points/.tmp-%s-%ld", out_dir, name, (long)getpid());
    snprintf(dst, sizeof dst, "%s/points/%s", out_dir, name);
    if (strcmp(src, dst) == 0) return CKP_OK;
    DIR *d = opendir(src);
    if (!d) {
        ckp_diag_add(diag, CKP_SEV_ERROR, src, 0, "sweep-folder", "cannot read: %s",
                     strerror(errno));
        return CKP_EIO;
    }
    sweep_rm_tree(tmp);
    ckp_status st = sweep_mkdir(tmp, diag);
    struct dirent *e;
    while (st == CKP_OK && (e = readdir(d))) {
        struct stat sb;
        snprintf(a, sizeof a, "%s/%s", src, e->d_name);
        if (e->d_name[0] == '.' || stat(a, &sb) != 0 || !S_ISREG(sb.st_mode)) continue;
        snprintf(b, sizeof b, "%s/%s", tmp, e->d_name);
        st = copy_file(a, b, diag);
    }
    closedir(d);
    if (st == CKP_OK) {
        sweep_rm_tree(dst);
        if (rename(tmp, dst) != 0) {
            ckp_diag_add(diag, CKP_SEV_ERROR, dst, 0, "output-error",
                         "cannot rename the point's folder into place: %s", strerror(errno));
            st = CKP_EIO;
        }
    }
    if (st != CKP_OK) sweep_rm_tree(tmp);
    return st;
}

static ckp_status read_record(const char *dir, const char *name, const ckp_plan *plan,
                              ckp_sweep_point *pt, char ih[65], char sh[65])
{
    char path[4096];
    snprintf(path, sizeof path, "%s/points/%s/point.txt", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f) return CKP_EIO;
    char *text = ckp_malloc(1 << 20);
    size_t len = text ? fread(text, 1, (1 << 20) - 1, f) : 0;
    fclose(f);
    if (!text) return CKP_ENOMEM;
    ckp_status st = sweep_record_parse(text, len, plan, pt, ih, sh);
    ckp_free(text);
    return st;
}

ckp_status ckp_sweep_merge(const ckp_plan *plan, const char *plan_path,
                           const char *const *dirs, int n_dirs, const char *out_dir,
                           ckp_sweep **out, ckp_diag_list *diag)
{
    *out = NULL;
    sweep_manifest first;
    char sha[65];
    if (ckp_sha256_file(plan_path, sha) != CKP_OK) {
        ckp_diag_add(diag, CKP_SEV_ERROR, plan_path, 0, "load",
                     "cannot read the file to hash it");
        return CKP_EIO;
    }
    ckp_status st = sweep_manifest_read(dirs[0], &first, diag);
    if (st != CKP_OK) return CKP_EUSAGE;
    if (strcmp(first.input_hash, sha) != 0) {
        ckp_diag_add(diag, CKP_SEV_ERROR, dirs[0], 0, "sweep-mismatch",
                     "this folder holds a sweep of another plan file than %s (input "
                     "hash %.12s, the file's %.12s)", plan_path, first.input_hash, sha);
        st = CKP_EUSAGE;
    }
    for (int d = 1; d < n_dirs; d++) {
        sweep_manifest m;
        ckp_status s2 = sweep_manifest_read(dirs[d], &m, diag);
        if (s2 != CKP_OK) {
            st = CKP_EUSAGE;
            continue;
        }
        char msg[256];
        const char *what = NULL;
        if (strcmp(m.input_hash, first.input_hash) != 0)
            snprintf(msg, sizeof msg, "another plan (input hash %.12s, not %.12s)",
                     m.input_hash, first.input_hash), what = msg;
        else if (strcmp(m.settings_hash, first.settings_hash) != 0)
            snprintf(msg, sizeof msg, "other settings (settings hash %.12s, not %.12s)",
                     m.settings_hash, first.settings_hash), what = msg;
        else if (m.n_budgets != first.n_budgets ||
                 memcmp(m.budgets, first.budgets,
                        (size_t)m.n_budgets * sizeof *m.budgets) != 0)
            snprintf(msg, sizeof msg, "other budgets (%d points, not the same %d)",
                     m.n_budgets, first.n_budgets), what = msg;
        if (what) {
            ckp_diag_add(diag, CKP_SEV_ERROR, dirs[d], 0, "sweep-mismatch",
                         "cannot merge with %s: this folder holds a sweep of %s",
                         dirs[0], msg);
            st = CKP_EUSAGE;
        }
        sweep_manifest_fini(&m);
    }
    ckp_sweep *s = NULL;
    if (st != CKP_OK) goto done;
    s = ckp_calloc(1, sizeof *s);
    if (!s || !(s->points = ckp_calloc((size_t)first.n_budgets + 1, sizeof *s->points))) {
        st = CKP_ENOMEM;
        goto done;
    }
    s->plan = plan;
    s->n_points = first.n_budgets;
    s->shard_k = s->shard_n = 1;
    memcpy(s->input_hash, first.input_hash, 65);
    memcpy(s->settings_hash, first.settings_hash, 65);
    char pts[4096];
    snprintf(pts, sizeof pts, "%s/points", out_dir);
    st = sweep_mkdir(out_dir, diag);
    if (st == CKP_OK) st = sweep_mkdir(pts, diag);
    int missing = 0;
    for (int i = 0; st == CKP_OK && i < s->n_points; i++) {
        ckp_sweep_point *pt = &s->points[i];
        char name[64], ih[65], sh[65];
        sweep_point_name(first.budgets[i], name, sizeof name);
        int found = 0;
        for (int d = 0; d < n_dirs && !found; d++) {
            ckp_sweep_point rec;
            if (read_record(dirs[d], name, plan, &rec, ih, sh) != CKP_OK) continue;
            if (strcmp(ih, s->input_hash) != 0 || strcmp(sh, s->settings_hash) != 0 ||
                rec.budget != first.budgets[i]) {
                sweep_point_fini(&rec);
                continue;
            }
            *pt = rec;
            found = 1;
            st = copy_point(dirs[d], out_dir, name, diag);
        }
        if (!found) {
            pt->budget = first.budgets[i];
            if (missing++ < 20)
                ckp_diag_add(diag, CKP_SEV_ERROR, NULL, 0, "sweep-missing",
                             "budget %.10g: no finished point in any of the %d folders",
                             first.budgets[i], n_dirs);
        }
    }
    if (st == CKP_OK && missing) st = CKP_EUSAGE;
    if (st == CKP_OK) st = sweep_manifest_write(out_dir, s, first.budgets, first.n_budgets, diag);
    if (st == CKP_OK) st = sweep_write_tables(s, out_dir, diag);
done:
    sweep_manifest_fini(&first);
    if (st != CKP_OK) {
        ckp_sweep_free(s);
        return st;
    }
    *out = s;
    return CKP_OK;
}
