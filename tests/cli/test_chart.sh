#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The reports' charts: report --all -o DIR writes each run's SVG chart
# beside its report and the summary's as index.svg, each linked; every
# chart is XML with a range mark holding the run's low, central and high
# compute and one line mark for each line the run is held to (a FLOP rule
# not "not applicable" for it), with its value, jurisdiction and outcome;
# the same database gives the same bytes.
. tests/cli/lib.sh

if ! command -v python3 >/dev/null 2>&1; then
	ok "skipped: no python3 to read the charts back"
	exit 0
fi
DB=$T/chart.db
expect "check records the examples" 1 "$FLOPGATE" check --db "$DB" \
	--as-of 2026-11-30 --actor test examples/runs/
expect "the same evaluation as JSON" 1 "$FLOPGATE" check --no-record \
	--as-of 2026-11-30 --format json examples/runs/
cp "$T/out" "$T/doc.json"
expect "report --all -o DIR" 0 "$FLOPGATE" report --db "$DB" --all -q \
	-o "$T/a/"
expect "report --all -o DIR again" 0 "$FLOPGATE" report --db "$DB" --all \
	-q -o "$T/b/"
for f in "$T"/a/*.svg; do
	assert "${f##*/}: the same bytes from the same database" \
		cmp -s "$f" "$T/b/${f##*/}"
done

python3 - "$T/doc.json" "$T/a" <<'EOF'
import json, os, sys, xml.etree.ElementTree as ET

doc, d = json.load(open(sys.argv[1])), sys.argv[2]
NS = "{http://www.w3.org/2000/svg}"
seen = 0

def check(name, cond, why=""):
    print(("ok - " if cond else "not ok - ") + name)
    if not cond and why:
        print("#   " + why)

def groups(root, cls):
    return [g for g in root.iter(NS + "g")
            if cls in g.get("class", "").split()]

for run in doc["runs"]:
    md = os.path.join(d, run["id"] + ".md")
    svg = os.path.join(d, run["id"] + ".svg")
    if not os.path.exists(md):
        continue  # a run id that needs a hashed name: not among the examples
    seen += 1
    rid = run["id"]
    check(rid + ": its chart is beside its report", os.path.exists(svg))
    if not os.path.exists(svg):
        continue
    check(rid + ": the report links it", "](%s.svg)" % rid in open(md).read())
    try:
        root = ET.parse(svg).getroot()
    except ET.ParseError as e:
        check(rid + ": the chart is XML", False, str(e))
        continue
    check(rid + ": the chart is XML", root.tag == NS + "svg")
    c = run["compute"]["training_compute_flop"]
    ranges = groups(root, "fg-range")
    check(rid + ": one range mark", len(ranges) == 1)
    if ranges:
        got = tuple(float(ranges[0].get("data-" + k))
                    for k in ("low", "central", "high"))
        check(rid + ": it holds the run's low, central and high compute",
              got == (c["low"], c["central"], c["high"]),
              "%s against %s" % (got, c))
    lines = groups(root, "fg-line")
    got = sorted((float(g.get("data-value")), g.get("data-jurisdiction"),
                  g.get("data-outcome").replace("_", "-")) for g in lines)
    # the document's findings name their rule; its jurisdiction is the
    # rule's (rulesets[].rules[])
    facts = {r["id"]: r for rs in doc["rulesets"] for r in rs.get("rules", [])}
    want = sorted((f["threshold"], facts[f["rule"]]["jurisdiction"],
                   f["outcome"].replace("_", "-"))
                  for f in run["findings"]
                  if f.get("unit") == "FLOP" and f.get("threshold")
                  and f["outcome"] != "not_applicable")
    check(rid + ": one line mark per line it is held to (%d)" % len(want),
          got == want, "%s against %s" % (got, want))
    for g in lines:
        label = "".join(g.find(NS + "title").itertext())
        check(rid + ": line %s is labelled with its value, unit and outcome"
              % g.get("data-value"),
              " FLOP" in label and g.get("data-outcome") in label, label)

check("the examples have charts", seen > 0)
root = ET.parse(os.path.join(d, "index.svg")).getroot()
rows = {g.get("data-run") for g in groups(root, "fg-run")}
check("the summary chart has a row for every run",
      rows == {r["id"] for r in doc["runs"]}, str(rows))
check("index.md links it", "](index.svg)" in open(os.path.join(d, "index.md")).read())
EOF
