#!/usr/bin/env python3
"""check_sweep_html.py HTML DOM SWEEP_CSV NETLOG STDERR PNG: check a sweep's
report.html as headless Chromium loaded it (the same checks as
check_html.py, against sweep.csv instead of summary.json): no script or
external reference, every element with data-csv / data-row / data-col shows
the value of that row (0-based, after the header) and column of sweep.csv
(empty = null) as printed, the two charts and their data tables are there,
no network request by the page, no console message, a screenshot that is not
blank.  Prints one line per problem; exit 1 if any."""
import csv
import sys

import check_html as ch


def check_dom(dom_text, rows):
    page = ch.Page("data-csv", ("data-row", "data-col", "data-value"))
    page.feed(dom_text)
    if len(page.figures) < 4:
        ch.bad(f"DOM: only {len(page.figures)} figures with data-csv")
    for row, col, value, text in page.figures:
        try:
            cell = rows[int(row)][col]
        except (KeyError, IndexError, ValueError, TypeError):
            ch.bad(f"DOM: sweep.csv row {row} column {col}: not in sweep.csv")
            continue
        want = None if cell == "" else float(cell)
        got = None if value == "null" else float(value)
        if (got is None) != (want is None) or (got is not None and abs(got - want) > 1e-9 * max(1, abs(want))):
            ch.bad(f"DOM: row {row} {col}: page {value}, sweep.csv {cell!r}")
        elif not ch.shown_matches(text, want):
            ch.bad(f"DOM: row {row} {col}: shows {text!r}, sweep.csv {cell!r}")
    for need in ("charts", "chart-frontier", "frontier-data", "chart-no-regret",
                 "no-regret-data"):
        if need not in page.ids:
            ch.bad(f"DOM: no element with id {need}")
    if page.tags.get("script"):
        ch.bad("DOM: has a <script>")
    if page.tags.get("svg", 0) < 2:
        ch.bad(f"DOM: {page.tags.get('svg', 0)} charts (<svg>), expected 2")
    for e in page.external:
        ch.bad(f"DOM: external reference {e}")
    return len(page.figures)


def check_page(dom_text, csv_path):
    with open(csv_path, encoding="utf-8", newline="") as f:
        return check_dom(dom_text, list(csv.DictReader(f)))


def main(argv):
    return ch.run(argv, check_page)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
