#!/usr/bin/env python3
"""check_violations_html.py HTML DOM STDERR_OF_EVALUATE NETLOG STDERR PNG:
check the report.html that `evaluate --out` writes for a portfolio that
breaks the plan, as headless Chromium loaded it: no script or external
reference, one row of the violations table per violation evaluate printed
on stderr ("file:line: error: message [portfolio-...]"), with the same
constraint, portfolio line and message; the count shown equals it; no
network request by the page, no console message, a screenshot that is not
blank.  Prints one line per problem; exit 1 if any."""
import re
import sys
from html.parser import HTMLParser

import check_html as ch


class Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.rows = []
        self.cell = None
        self.in_row = False
        self.tags = {}
        self.ids = {}
        self.cur_id = None
        self.external = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        for k in ("src", "href", "srcset", "action", "data", "poster"):
            v = a.get(k)
            if v is not None and not v.startswith("#"):
                self.external.append(f"<{tag} {k}={v!r}>")
        if "id" in a:
            self.ids[a["id"]] = ""
            self.cur_id = a["id"]
        if tag == "tr" and a.get("class") == "violation":
            self.rows.append([])
            self.in_row = True
        elif tag == "td" and self.in_row:
            self.rows[-1].append("")

    def handle_endtag(self, tag):
        if tag == "tr":
            self.in_row = False
        self.cur_id = None

    def handle_data(self, data):
        if self.in_row and self.rows[-1]:
            self.rows[-1][-1] += data
        if self.cur_id:
            self.ids[self.cur_id] += data


def check_page(dom_text, err_path):
    want = []
    with open(err_path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"^(.*?):(?:(\d+):)? error: (.*) \[(portfolio-[a-z-]+)\]$", line.rstrip("\n"))
            if m and m.group(4) != "portfolio-file":
                want.append((m.group(4)[10:], m.group(1), m.group(2) or "-", m.group(3)))
    page = Page()
    page.feed(dom_text)
    got = [tuple(c.strip() for c in r) for r in page.rows]
    if len(want) < 1:
        ch.bad("evaluate printed no violation")
    if sorted(got) != sorted(want):
        ch.bad(f"violations: page {got}, evaluate's stderr {want}")
    if page.ids.get("n-violations", "").strip() != str(len(want)):
        ch.bad(f"count shown {page.ids.get('n-violations')!r}, expected {len(want)}")
    for need in ("violations", "violations-data"):
        if need not in page.ids:
            ch.bad(f"DOM: no element with id {need}")
    if page.tags.get("script"):
        ch.bad("DOM: has a <script>")
    for e in page.external:
        ch.bad(f"DOM: external reference {e}")
    return len(got)


def main(argv):
    return ch.run(argv, check_page, "violations")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
