/* cmd_check.c: placeholder until its module lands; every entry point reports CKP_EINTERNAL. */
typedef int ckp_cli_placeholder_cmd_check;
