/* atomic.h: files that appear whole or not at all.  Content goes to a
 * temporary file in the target's directory (mkstemp); close() flushes,
 * checks every error and fsyncs it; commit() renames it over the target.
 * Until commit the target is untouched; discard() removes the temporary.
 * Two phases let a caller write several files and rename them only when
 * all were written (src/report/outdir.c).  Also the output directory
 * those files go to (ckp_output_dir). */
#ifndef CKP_UTIL_ATOMIC_H
#define CKP_UTIL_ATOMIC_H

#include <stdio.h>

#include "ckp/diag.h"
#include "ckp/status.h"

typedef struct ckp_atomic_file {
    FILE *f;        /* write the content here (between open and close) */
    char *path;     /* owned: final path */
    char *tmp_path; /* owned: temporary path; NULL once renamed/removed */
} ckp_atomic_file;

/* Create the temporary next to path.  On failure (CKP_EIO with a
 * diagnostic naming the file, or CKP_ENOMEM) nothing is left behind and
 * af needs no discard (it is safe to call anyway). */
ckp_status ckp_atomic_open(ckp_atomic_file *af, const char *path,
                           ckp_diag_list *diag);

/* Flush, check the stream's error flag, fsync and close the temporary.
 * On failure the temporary is removed (CKP_EIO + diagnostic). */
ckp_status ckp_atomic_close(ckp_atomic_file *af, ckp_diag_list *diag);

/* Rename the closed temporary over the target (CKP_EIO + diagnostic on
 * failure; the temporary is then removed). */
ckp_status ckp_atomic_commit(ckp_atomic_file *af, ckp_diag_list *diag);

/* One file dir/name written whole or not at all: open, fn(arg, f), then
 * close and commit when fn returned CKP_OK; else the temporary is removed
 * and fn's status returned.  For the callers writing a single file. */
ckp_status ckp_atomic_write(const char *dir, const char *name,
                            ckp_status (*fn)(const void *arg, FILE *out), const void *arg,
                            ckp_diag_list *diag);

/* Create the output directory dir (one level) unless it is a directory
 * already; *created (may be NULL) tells whether it was made here.
 * CKP_EIO + "cannot create output directory: <reason>" otherwise. */
ckp_status ckp_output_dir(const char *dir, int *created, ckp_diag_list *diag);

/* The same, naming the directory as what ("cannot create <what>:
 * <reason>"), for callers whose message says which folder it is. */
ckp_status ckp_output_dir_as(const char *dir, const char *what, int *created,
                             ckp_diag_list *diag);

/* Close (if open) and remove the temporary if it still exists, free the
 * paths.  Accepts a zeroed or already finished af and NULL. */
void ckp_atomic_discard(ckp_atomic_file *af);

/* Remove every temporary that exists right now (files being written, not
 * yet committed).  Async-signal-safe (only unlink(2)): the CLI calls it
 * from its SIGINT/SIGTERM/SIGHUP handler so an interrupted run leaves no
 * temporary behind.  The ckp_atomic_file objects stay valid; discarding
 * them later is harmless. */
void ckp_atomic_unlink_active(void);

/* Test hook: the n-th next step (open, close or commit) fails as if the
 * system call had returned EIO; 0 disables.  Lets the tests drive every
 * output error path; never set outside the tests. */
void ckp_atomic_fail_after(long n);

#endif
