/* xml_read.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
#include "ckp/load.h"
#include <stddef.h>
extern const char ckp_plan_xsd_text[];
ckp_status ckp_plan_load(const char *path, ckp_plan **out, ckp_diag_list *diag) { (void)path; (void)diag; *out = NULL; return CKP_EINTERNAL; }
ckp_status ckp_plan_load_memory(const char *data, size_t size, const char *name, ckp_plan **out, ckp_diag_list *diag) { (void)data; (void)size; (void)name; (void)diag; *out = NULL; return CKP_EINTERNAL; }
const char *ckp_plan_schema(void) { return ckp_plan_xsd_text; }
void ckp_load_cleanup(void) {}
