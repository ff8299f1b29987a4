/* report_csv.c: the portfolio as CSV on stdout (--format csv), the same
 * bytes as portfolio.csv.  Every CSV file is written by rep_csv_table
 * (figures.c) from its description in tables.c: RFC 4180 quoting, LF line
 * ends, a header row whose names carry their unit (commitment_usd_m,
 * capacity_t_per_year), numbers with 10 significant digits, empty =
 * undefined.  docs/cli.md lists the columns; datapackage.json describes
 * them for machines. */
#include "ckp/report.h"

#include "report/figures.h"

ckp_status ckp_report_csv(const ckp_result *r, FILE *out)
{
    if (!r || !r->plan || !out) return CKP_EINTERNAL;
    return rep_csv_table(r, rep_table_find("portfolio.csv"), out);
}
