#!/usr/bin/env python3
"""check_compare_html.py HTML DOM COMPARISON NETLOG STDERR PNG: check the
report.html of `chokepoint compare --out` as headless Chromium loaded it (the
same checks as check_html.py, against comparison.json): no script or external
reference, every element with data-json / data-value shows the value
comparison.json holds at that path (within 1e-9 relative: the page writes 10
significant digits) and prints it, the sections and their tables are there,
no network request by the page, no console message, a screenshot that is not
blank.  Prints one line per problem; exit 1 if any."""
import json
import sys

import check_html as ch


def check_dom(dom_text, doc):
    page = ch.Page()
    page.feed(dom_text)
    if len(page.figures) < 10:
        ch.bad(f"DOM: only {len(page.figures)} figures with data-json")
    for path, value, text in page.figures:
        try:
            want = ch.lookup(doc, path)
        except (KeyError, IndexError, ValueError, TypeError):
            ch.bad(f"DOM: {path}: not in comparison.json")
            continue
        got = None if value == "null" else float(value)
        if (got is None) != (want is None) or (
                got is not None and abs(got - float(want)) > 1e-9 * max(1, abs(float(want)))):
            ch.bad(f"DOM: {path}: page {value}, comparison.json {want}")
        elif not ch.shown_matches(text, want):
            ch.bad(f"DOM: {path}: shows {text!r}, comparison.json {want}")
    need = ["warnings", "headline", "headline-data", "portfolio", "stages", "budget",
            "scenarios"]
    sections = {r["section"] for r in doc["rows"]}
    for sec, ids in (("warning", ["warnings-data"]), ("stage", ["stages-data"]),
                     ("budget", ["budget-data", "chart-budget"]),
                     ("scenario", ["scenarios-data"])):
        if sec in sections:
            need += ids
    if sections & {"added", "dropped", "changed"}:
        need.append("portfolio-data")
    for n in need:
        if n not in page.ids:
            ch.bad(f"DOM: no element with id {n}")
    if page.tags.get("script"):
        ch.bad("DOM: has a <script>")
    if page.tags.get("caption", 0) < 2:
        ch.bad("DOM: tables without a title (<caption>)")
    for e in page.external:
        ch.bad(f"DOM: external reference {e}")
    # every numeric row of comparison.json is on the page
    shown = {p for p, _, _ in page.figures}
    for i, r in enumerate(doc["rows"]):
        if isinstance(r.get("a"), (int, float)) or isinstance(r.get("b"), (int, float)):
            for m in ("a", "b", "b_minus_a"):
                if f"rows.{i}.{m}" not in shown:
                    ch.bad(f"DOM: rows.{i}.{m} ({r['label']}) not on the page")
    return len(page.figures)


def check_page(dom_text, json_path):
    with open(json_path, encoding="utf-8") as f:
        return check_dom(dom_text, json.load(f))


def main(argv):
    return ch.run(argv, check_page)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
