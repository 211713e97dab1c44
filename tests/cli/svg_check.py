#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Reads a compute chart (src/render_svg.c) back as XML and checks its
marks; prints "ok - ..." / "not ok - ..." lines as tests/cli/lib.sh does.

    svg_check.py CASE FILE

CASE names the input tests/check_svg.c drew it from (--emit CASE); the
expectations below follow those inputs.  The checks hold for every case:
well-formed XML with <title> and <desc> for role="img"; decades of the
axis evenly spaced; every line's tick, the range's ends, its central
figure and its bound exactly where the axis puts their values (so
positions are monotone in the log of the value); every line labelled with
its operator, value and unit, and with its outcome in words.
"""
import math
import re
import sys
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"
OPS = {">": ">", ">=": "\u2265", "<": "<", "<=": "\u2264", "==": "="}
TOLERANCE = 0.15  # a tenth of a pixel, the chart's resolution, and some

failures = 0


def check(name, ok, *why):
    global failures
    if ok:
        print(f"ok - {CASE}: {name}")
    else:
        failures += 1
        print(f"not ok - {CASE}: {name}")
        for w in why:
            print(f"#   {w}")
    return ok


def classes(e):
    return (e.get("class") or "").split()


def find_class(root, cls, tag=None):
    return [e for e in root.iter()
            if cls in classes(e) and (tag is None or e.tag == NS + tag)]


def text_of(e):
    return "".join(e.itertext())


def sci(v):
    """Two significant figures as flopgate prints them: 1.0 × 10^25."""
    m, e = f"{v:.1e}".split("e")
    return f"{m} \u00d7 10^{int(e)}"


def numbers(d):
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", d)]


def path_xs(e):
    return numbers(e.get("d"))[0::2]


def marker_x(e):
    """The x a marker is centred on, whatever its shape."""
    if e.tag == NS + "g":
        return marker_x(list(e)[0])
    if e.tag == NS + "circle":
        return float(e.get("cx"))
    if e.tag == NS + "rect":
        return float(e.get("x")) + float(e.get("width")) / 2
    xs = path_xs(e)
    return (min(xs) + max(xs)) / 2


CASE, FILE = sys.argv[1], sys.argv[2]

try:
    tree = ET.parse(FILE)
except ET.ParseError as e:
    check("well-formed XML", False, str(e))
    sys.exit(1)
check("well-formed XML", True)
root = tree.getroot()
check("an <svg> in the SVG namespace", root.tag == NS + "svg", root.tag)

# --- accessible: role="img" labelled by its title and desc --------------------
kids = list(root)
check("<title> then <desc> first", len(kids) > 1 and
      kids[0].tag == NS + "title" and kids[1].tag == NS + "desc",
      [k.tag for k in kids[:2]])
title, desc = text_of(kids[0]), text_of(kids[1])
check("role img, labelled by title and desc",
      root.get("role") == "img" and
      root.get("aria-labelledby") == "fg-title fg-desc" and
      kids[0].get("id") == "fg-title" and kids[1].get("id") == "fg-desc")
check("title and desc say something", len(title) > 10 and len(desc) > 20,
      title, desc)
w, h = float(root.get("width")), float(root.get("height"))
check("viewBox matches width and height",
      numbers(root.get("viewBox")) == [0, 0, w, h], root.get("viewBox"))

# --- the axis: a decade every so many pixels ---------------------------------------
decades = sorted((int(e.get("data-exponent")), float(e.get("x1")))
                 for e in find_class(root, "fg-decade"))
steps = [b[1] - a[1] for a, b in zip(decades, decades[1:])]
check("at least two decades on the axis", len(decades) >= 3, decades)
check("decades evenly spaced, left to right",
      all(b[0] == a[0] + 1 for a, b in zip(decades, decades[1:])) and
      steps and min(steps) > 0 and max(steps) - min(steps) <= TOLERANCE,
      decades)
E0, X0 = decades[0]
STEP = sum(steps) / len(steps)


def xof(v):
    return X0 + (math.log10(v) - E0) * STEP


labels = [text_of(t) for t in find_class(root, "fg-axis")[0].iter(NS + "text")]
check("decades labelled 10^N", f"10^{E0}" in labels, labels)

marks = []  # (value, x, what)


def near(x, v):
    return abs(x - xof(v)) <= TOLERANCE


# --- the lines ------------------------------------------------------------------
lines = find_class(root, "fg-line", "g")
bad_place, bad_label = [], []
for g in lines:
    v = float(g.get("data-value"))
    tick = find_class(g, "fg-tick")[0]
    x = float(tick.get("x1"))
    marks.append((v, x, "line"))
    if float(tick.get("x2")) != x or not near(x, v):
        bad_place.append((v, x, xof(v)))
    label = text_of(find_class(g, "fg-line-label")[0])
    want = f"{sci(v)} FLOP"
    op = g.get("data-op")
    if op is not None:
        want = f"{OPS[op]} {want}"
    outcome = g.get("data-outcome")
    if want not in label:
        bad_label.append((label, want))
    if outcome and outcome != "none":
        word = outcome.replace("-", " ")
        if not label.startswith(word + " \u2014 ") or \
                "fg-" + outcome not in classes(g):
            bad_label.append((label, word))
check(f"every line ({len(lines)}) at its value on the axis", not bad_place,
      *bad_place)
check("every line labelled with its operator, value, unit and outcome",
      not bad_label, *bad_label)

# --- the ranges ----------------------------------------------------------------
ranges = find_class(root, "fg-range", "g")
bad_range = []
for g in ranges:
    low, central, high = (float(g.get("data-" + k))
                          for k in ("low", "central", "high"))
    c = find_class(g, "fg-central")[0]
    cx = marker_x(c)
    marks.append((central, cx, "central"))
    if not near(cx, central):
        bad_range.append(("central", central, cx, xof(central)))
    bars = find_class(g, "fg-range-bar")
    if low == high:
        if bars:
            bad_range.append(("a bar for a single figure", low))
    else:
        x, width = float(bars[0].get("x")), float(bars[0].get("width"))
        marks += [(low, x, "low"), (high, x + width, "high")]
        if not near(x, low) or (width > 1 and not near(x + width, high)):
            bad_range.append(("ends", low, high, x, x + width))
    if g.get("data-bound"):
        bound = float(g.get("data-bound"))
        bx = max(path_xs(find_class(g, "fg-bound")[0]))
        marks.append((bound, bx, "bound"))
        if not near(bx, bound):
            bad_range.append(("bound", bound, bx, xof(bound)))
check(f"every range ({len(ranges)}) drawn at its figures", not bad_range,
      *bad_range)

# --- monotone in the log of the value ----------------------------------------------
marks.sort()
check("positions monotone in the value",
      all(b[1] >= a[1] for a, b in zip(marks, marks[1:])) and
      all(b[1] > a[1] for a, b in zip(marks, marks[1:])
          if math.log10(b[0]) - math.log10(a[0]) > 0.01),
      *[(a, b) for a, b in zip(marks, marks[1:]) if b[1] < a[1]])
check("every mark within the axis",
      all(decades[0][1] - TOLERANCE <= x <= decades[-1][1] + TOLERANCE
          for _, x, _ in marks))

# --- the legend explains every outcome shown --------------------------------------
legend = " | ".join(text_of(t) for t in find_class(root, "fg-legend")[0])
shown = {g.get("data-outcome") for g in root.iter()
         if g.get("data-outcome") not in (None, "none")}
check("the legend names every outcome shown",
      all(o.replace("-", " ") in legend for o in shown), legend, shown)


# --- each case ------------------------------------------------------------------
def bands():
    return [g.get("data-jurisdiction") for g in find_class(root, "fg-band")]


def line_x(value):
    return [x for v, x, what in marks if what == "line" and v == value]


def range_figures():
    g = ranges[0]
    return {k: float(g.get("data-" + k)) for k in ("low", "central", "high")}


if CASE == "wide":
    check("a row per jurisdiction, in order of appearance",
          bands() == ["EU", "US", "US-CA", "KR", "XX"], bands())
    check("eight lines", len(lines) == 8)
    check("the axis spans 10^21 to 10^27",
          decades[0][0] <= 21 and decades[-1][0] >= 27, decades)
    for band in find_class(root, "fg-band"):
        vs = [float(g.get("data-value")) for g in find_class(band, "fg-line")]
        check(f"{band.get('data-jurisdiction')}: lines by value",
              vs == sorted(vs), vs)
    check("the bound is drawn, in words too",
          "physical bound 2.4 \u00d7 10^24 FLOP" in text_of(root))
elif CASE == "below":
    high = range_figures()["high"]
    check("the range lies left of every line",
          all(x > xof(high) for v, x, what in marks if what == "line"))
    check("two rows", bands() == ["EU", "US-CA"], bands())
elif CASE == "at-line":
    cx = [x for v, x, what in marks if what == "central"][0]
    check("the line at the central figure is drawn on it",
          all(abs(x - cx) <= TOLERANCE for x in line_x(1e25)) and
          len(line_x(1e25)) == 2, cx, line_x(1e25))
    check("near and triggered in words",
          "near \u2014 " in text_of(root) and
          "triggered \u2014 " in text_of(root))
elif CASE == "point":
    check("a single figure: no bar, said in words",
          not find_class(root, "fg-range-bar") and
          "3.8 \u00d7 10^25 FLOP, a single figure" in text_of(root))
elif CASE == "escape":
    label = text_of(find_class(root, "fg-line-label")[0])
    check("markup in a label is text",
          "<b>Art. 51</b> & \"quoted\" 'single'\ufffd \ufffdnext" in label,
          label)
    check("markup in a jurisdiction is text", bands() == ["E<U>&"], bands())
    check("markup in the run id is text", "r<&>\"'" in title, title)
elif CASE == "no-lines":
    check("no line, said so", not lines and "No line is shown" in desc)
elif CASE == "summary":
    runs = [g.get("data-run") for g in find_class(root, "fg-run")]
    check("a row per run, in order",
          runs == ["llama-3.1-405b", "small-chat-eu", "planned-frontier"],
          runs)
    check("a column per value", [float(g.get("data-value")) for g in lines]
          == [1e23, 1e25, 1e26])
    axis_y = max(float(e.get("y2")) for e in find_class(root, "fg-decade"))
    check("each column runs down to the axis",
          all(float(find_class(g, "fg-tick")[0].get("y2")) == axis_y
              for g in lines))
    outcomes = find_class(root, "fg-outcome", "g")
    bad = [(o.get("data-value"), marker_x(list(o)[1]))
           for o in outcomes
           if not near(marker_x(list(o)[1]), float(o.get("data-value")))]
    check(f"every outcome ({len(outcomes)}) on its line's column", not bad,
          *bad)
    check("outcomes in words for the reader of the desc",
          "line 3: near" in desc and "line 1: triggered" in desc, desc)
elif CASE == "summary-empty":
    check("no run, said so", "No run is shown." in text_of(root))
else:
    check("a known case", False, CASE)

sys.exit(1 if failures else 0)
