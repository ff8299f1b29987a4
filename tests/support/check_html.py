#!/usr/bin/env python3
"""check_html.py HTML DOM SUMMARY NETLOG STDERR PNG: check a report.html as
headless Chromium loaded it.

HTML    the file as written (no script, no <link>, no external reference)
DOM     chromium --dump-dom output: every element with data-json / data-value
        shows the value summary.json holds at that path, and its visible text
        is that value as printed (percent, 1 or 2 decimals, thousands)
SUMMARY summary.json of the same run; when evaluation.json lies beside it
        (evaluate --out), figures with data-json "evaluation:PATH" are looked
        up in it, and the regret section (side by side, the items that differ,
        the best changes when the regret is not nil) must be on the page
NETLOG  chromium --log-net-log: no request made by the page except file:
STDERR  chromium's log (--enable-logging=stderr): no console message
PNG     chromium --screenshot: more than one colour (not blank)
Prints one line per problem; exit 1 if any, 0 otherwise."""
import json
import os
import re
import struct
import sys
import zlib
from html.parser import HTMLParser

problems = []


def bad(msg):
    problems.append(msg)


class Page(HTMLParser):
    """The page's figures: every element with attribute `key` gives
    [its `fields` attributes..., its visible text]; also tag counts, ids,
    external references and which chart figures draw an <svg>."""

    def __init__(self, key="data-json", fields=("data-json", "data-value")):
        super().__init__(convert_charrefs=True)
        self.key, self.fields = key, fields
        self.figures = []      # [field values..., text]
        self.open_fig = []     # stack of (tag, index) for figure elements
        self.tags = {}
        self.ids = set()
        self.external = []
        self.charts = {}       # chart figure id -> holds an <svg>
        self.chart = None      # the chart figure open, if any

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "figure" and a.get("id", "").startswith("chart-"):
            self.chart = a["id"]
            self.charts[self.chart] = False
        elif tag == "svg" and self.chart:
            self.charts[self.chart] = True
        for k in ("src", "href", "srcset", "action", "data", "poster"):
            v = a.get(k)
            if v is not None and not v.startswith("#"):
                self.external.append(f"<{tag} {k}={v!r}>")
        if self.key in a:
            self.figures.append([a.get(f) for f in self.fields] + [""])
            self.open_fig.append((tag, len(self.figures) - 1))
        elif self.open_fig:
            self.open_fig.append((tag, None))

    def handle_endtag(self, tag):
        if tag == "figure":
            self.chart = None
        if self.open_fig:
            self.open_fig.pop()

    def handle_data(self, data):
        for _, i in self.open_fig:
            if i is not None:
                self.figures[i][-1] += data


def lookup(doc, path):
    v = doc
    for part in path.split("."):
        if isinstance(v, list):
            v = v[int(part)]
        else:
            v = v[part]
    return v


def shown_matches(text, value):
    """The visible text is the value as the page prints it."""
    t = text.strip().replace(",", "").replace("\u2212", "-")
    pct = t.endswith("%")
    t = t.rstrip("%").strip()
    if value is None:
        return t in ("-", "")
    try:
        shown = float(t)
    except ValueError:
        return False
    decimals = len(t.split(".")[1]) if "." in t else 0
    v = 100 * value if pct else value
    return abs(shown - v) <= 0.5 * 10 ** -decimals + 1e-9


def check_dom(dom_text, summary, evaluation=None):
    page = Page()
    page.feed(dom_text)
    if len(page.figures) < 20:
        bad(f"DOM: only {len(page.figures)} figures with data-json")
    for path, value, text in page.figures:
        doc, name = summary, "summary.json"
        if path.startswith("evaluation:"):
            doc, name, path = evaluation, "evaluation.json", path[len("evaluation:"):]
        try:
            want = lookup(doc, path)
        except (KeyError, IndexError, ValueError, TypeError):
            bad(f"DOM: {path}: not in {name}")
            continue
        if value == "null":
            got = None
        else:
            try:
                got = float(value)
            except (TypeError, ValueError):
                bad(f"DOM: {path}: data-value {value!r} is not a number")
                continue
        if (got is None) != (want is None) or (got is not None and got != float(want)):
            bad(f"DOM: {path}: page {value}, {name} {want}")
        elif not shown_matches(text, want):
            bad(f"DOM: {path}: shows {text!r}, {name} {want}")
    if evaluation is not None:
        check_regret(page, evaluation)
    for need in ("summary", "funded", "headline", "exposure", "exposed", "charts",
                 "chart-supply-final", "chart-supply-time", "chart-gantt", "chart-budget",
                 "chart-shortage", "proof", "note1"):
        if need not in page.ids:
            bad(f"DOM: no element with id {need}")
    if page.tags.get("script"):
        bad("DOM: has a <script>")
    if page.tags.get("svg", 0) < 4:
        bad(f"DOM: {page.tags.get('svg', 0)} charts (<svg>), expected at least 4")
    # every chart draws, except the two that say there is nothing to draw
    # (no shortage, no stockpile release)
    for cid, has_svg in page.charts.items():
        if not has_svg and cid not in ("chart-shortage", "chart-releases"):
            bad(f"DOM: {cid} has no <svg>")
    for e in page.external:
        bad(f"DOM: external reference {e}")
    return len(page.figures)


def check_regret(page, ev):
    """evaluate's regret section: every figure of the side-by-side table
    and of the first ten moves is on the page."""
    for need in ("regret", "regret-data", "only-portfolio", "only-optimum"):
        if need not in page.ids:
            bad(f"DOM: no element with id {need} (evaluate's regret)")
    shown = {p for p, _, _ in page.figures}
    want = ["evaluation:objective", "evaluation:optimum.objective",
            "evaluation:commitment", "evaluation:optimum.commitment"]
    for i in range(len(ev.get("stages", []))):
        want += [f"evaluation:stages.{i}.portfolio_mean_share",
                 f"evaluation:stages.{i}.optimum_mean_share"]
    moves = ev.get("moves", [])
    if moves:
        if "moves-data" not in page.ids:
            bad("DOM: no element with id moves-data (evaluate's best changes)")
        want.append("evaluation:gap")
        for i in range(min(10, len(moves))):
            want += [f"evaluation:moves.{i}.{k}"
                     for k in ("objective_change", "gap_closed", "commitment")]
    for w in want:
        if w not in shown:
            bad(f"DOM: {w} not on the page")


def check_file(html):
    low = html.lower()
    for needle in ("<script", "<link", "@import", "url(", "<iframe", "<img"):
        if needle in low:
            bad(f"report.html contains {needle}")


def check_netlog(path):
    with open(path, encoding="utf-8") as f:
        log = json.load(f)
    names = {v: k for k, v in log["constants"]["logEventTypes"].items()}
    n = 0
    for e in log["events"]:
        if names.get(e["type"]) != "URL_REQUEST_START_JOB":
            continue
        p = e.get("params", {})
        url = p.get("url", "")
        if not url:
            continue  # the end of a job: the start named its URL
        by_page = p.get("initiator") != "not an origin" or "file://" in p.get(
            "network_isolation_key", "")
        if by_page:
            n += 1
            if not (url.startswith("file:") or url.startswith("data:")):
                bad(f"network request by the page: {url}")
    return n


def check_console(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if ":CONSOLE" in line or "Uncaught" in line:
                bad(f"console: {line.strip()}")


def png_colours(path):
    with open(path, "rb") as f:
        d = f.read()
    if d[:8] != b"\x89PNG\r\n\x1a\n":
        bad("screenshot: not a PNG")
        return 0
    i, idat = 8, b""
    w = h = ct = 0
    while i < len(d):
        n, = struct.unpack(">I", d[i:i + 4])
        t, c = d[i + 4:i + 8], d[i + 8:i + 8 + n]
        i += 12 + n
        if t == b"IHDR":
            w, h, _, ct = struct.unpack(">IIBB", c[:10])
        elif t == b"IDAT":
            idat += c
    bpp = {2: 3, 6: 4}.get(ct)
    if not bpp:
        bad(f"screenshot: PNG colour type {ct} not handled")
        return 0
    raw = zlib.decompress(idat)
    stride = w * bpp
    prev = bytearray(stride)
    colours = set()
    p = 0
    for _ in range(h):
        f, line = raw[p], bytearray(raw[p + 1:p + 1 + stride])
        p += 1 + stride
        for x in range(stride):
            a = line[x - bpp] if x >= bpp else 0
            b = prev[x]
            c = prev[x - bpp] if x >= bpp else 0
            if f == 1:
                line[x] = (line[x] + a) & 255
            elif f == 2:
                line[x] = (line[x] + b) & 255
            elif f == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif f == 4:
                pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        for x in range(0, stride, bpp * 7):
            colours.add(bytes(line[x:x + 3]))
        prev = line
    if len(colours) < 8:
        bad(f"screenshot: {len(colours)} distinct colours: blank")
    return len(colours)


def run(argv, check_page, what="figures"):
    """The checks every report.html shares, for the checkers' argv
    HTML DOM DATA NETLOG STDERR PNG: check_page(dom_text, data_path) checks
    the page's own content and returns how many items it checked."""
    html_path, dom_path, data_path, net_path, err_path, png_path = argv[1:7]
    with open(html_path, encoding="utf-8") as f:
        check_file(f.read())
    with open(dom_path, encoding="utf-8") as f:
        n = check_page(f.read(), data_path)
    n_req = check_netlog(net_path)
    check_console(err_path)
    n_col = png_colours(png_path)
    for p in problems:
        print(p)
    print(f"{n} {what} checked, {n_req} page requests, {n_col} colours sampled",
          file=sys.stderr)
    return 1 if problems else 0


def check_summary_page(dom_text, summary_path):
    with open(summary_path, encoding="utf-8") as f:
        summary = json.load(f)
    evaluation = None
    ev_path = os.path.join(os.path.dirname(summary_path), "evaluation.json")
    if os.path.exists(ev_path):
        with open(ev_path, encoding="utf-8") as f:
            evaluation = json.load(f)
    return check_dom(dom_text, summary, evaluation)


def main(argv):
    return run(argv, check_summary_page)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
