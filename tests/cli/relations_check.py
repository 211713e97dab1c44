#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Every relation flopgate prints between two figures must hold between
the figures as printed: reads files and reports each "A REL B" (A and B
written as flopgate writes figures: "1.0 × 10^25", "$5.0 × 10^8", "0.33",
"12"; each may be followed by unit words; REL one of < > = ≤ ≥, or their
HTML/XML escapes) that is false when A and B are read exactly as written.

usage: relations_check.py FILE...   prints "ok - ..." / "not ok - ..."
lines, one per file, with the false relations under a failing one."""
import re
import sys
from fractions import Fraction

FIGURE = r"\$?(\d+(?:\.\d+)?)(?: × 10\^(-?\d+))?"
UNITS = r"(?: (?:FLOP|op/s|%|tokens|training tokens|USD))?"
RELATION = re.compile(r"(?<![\w.^/-])" + FIGURE + UNITS +
                      r" (<|>|=|≤|≥) " + FIGURE + r"(?![\d/])")
HOLDS = {"<": lambda a, b: a < b, ">": lambda a, b: a > b,
         "=": lambda a, b: a == b, "≤": lambda a, b: a <= b,
         "≥": lambda a, b: a >= b}


def figure(mantissa, exponent):
    x = Fraction(mantissa)
    return x * Fraction(10) ** int(exponent) if exponent else x


def false_relations(text):
    text = (text.replace("&lt;", "<").replace("&gt;", ">")
            .replace("\\<", "<").replace("\\>", ">"))
    for m in RELATION.finditer(text):
        a = figure(m.group(1), m.group(2))
        b = figure(m.group(4), m.group(5))
        if not HOLDS[m.group(3)](a, b):
            yield m.group(0)


status = 0
for path in sys.argv[1:]:
    bad = sorted(set(false_relations(open(path, encoding="utf-8").read())))
    name = "every relation printed in %s holds as printed" % path
    if bad:
        status = 1
        print("not ok - " + name)
        for b in bad[:8]:
            print("#   " + b)
    else:
        print("ok - " + name)
sys.exit(0)
