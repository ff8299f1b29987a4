#!/usr/bin/env python3
"""check_datapackage.py DIR: datapackage.json of a --out directory names every
file of the directory but itself and README.txt (which names every file too),
and each CSV resource's
Table Schema lists the file's header columns in order, each with a type and
a description (and a unit where the column has one).  One line per problem;
exit 1 if any."""
import csv
import json
import os
import sys


def main(d):
    problems = []
    with open(os.path.join(d, "datapackage.json"), encoding="utf-8") as f:
        pkg = json.load(f)
    if pkg.get("profile") != "tabular-data-package":
        problems.append("profile is not tabular-data-package")
    paths = {r["path"] for r in pkg["resources"]}
    files = {f for f in os.listdir(d) if os.path.isfile(os.path.join(d, f))} - {
        "datapackage.json", "README.txt"}
    if paths != files:
        problems.append(f"resources {sorted(paths)} != files {sorted(files)}")
    for r in pkg["resources"]:
        for k in ("name", "path", "format", "mediatype", "description"):
            if not r.get(k):
                problems.append(f"{r.get('path')}: no {k}")
        if r.get("format") != "csv":
            continue
        with open(os.path.join(d, r["path"]), encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        fields = r["schema"]["fields"]
        names = [x["name"] for x in fields]
        if names != header:
            problems.append(f"{r['path']}: header {header} != fields {names}")
        for x in fields:
            if x.get("type") not in ("string", "integer", "number", "boolean", "year"):
                problems.append(f"{r['path']}: {x['name']}: type {x.get('type')}")
            if not x.get("description"):
                problems.append(f"{r['path']}: {x['name']}: no description")
            if x["name"].endswith(("_m", "_t_per_year", "_t", "_per_t")) and not x.get("unit"):
                problems.append(f"{r['path']}: {x['name']}: no unit")
    readme_path = os.path.join(d, "README.txt")
    if os.path.exists(readme_path):
        with open(readme_path, encoding="utf-8") as f:
            readme = f.read()
        for name in sorted(files):
            if "  " + name + " " not in readme:
                problems.append(f"README.txt does not name {name}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
