#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The JSON Schemas of schema/ against what they describe (issue 10, item 5).

Prints one TAP-style line per check ("ok - ..." / "not ok - ...", as the
CLI tests do) and exits 1 when any failed.  Run from the repository root:

    python3 tests/schema/validate.py

1. Each schema is a valid draft 2020-12 schema.
2. Every example run, every run fixture meant to be good, every shipped
   ruleset and the good ruleset and waiver fixtures validate.
3. Bad inputs are rejected, so a schema that accepts anything fails.
4. The schemas keep up with the code: the keys the loaders accept (the
   key lists in src/), the names they know, the attributes the shipped
   rulesets declare and the accelerator catalog's ids are the schemas'.

YAML is read as flopgate reads it: dates and timestamps stay text.
"""
import glob
import json
import os
import re
import sys

import yaml
from jsonschema import Draft202012Validator, FormatChecker

failed = 0


def ok(name):
    print("ok - " + name)


def notok(name, *details):
    global failed
    failed += 1
    print("not ok - " + name)
    for d in details:
        for line in str(d).splitlines()[:20]:
            print("#   " + line)


class Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver: flopgate reads
    2024-01-15 as text and so does a YAML 1.2 editor."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers
            if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def documents(path):
    with open(path, encoding="utf-8") as f:
        return [d for d in yaml.load_all(f, Loader=Loader) if d is not None]


def schema(name):
    with open("schema/%s.schema.json" % name, encoding="utf-8") as f:
        return json.load(f)


def files(*patterns, exclude=()):
    out = []
    for p in patterns:
        out.extend(sorted(glob.glob(p)))
    return [f for f in out if f not in exclude]


def errors_of(validator, path):
    """The schema's complaints about a file, one a line; [] when valid."""
    out = []
    for i, doc in enumerate(documents(path)):
        for e in sorted(validator.iter_errors(doc), key=lambda e: e.path):
            where = "/".join(str(p) for p in e.absolute_path) or "(top)"
            out.append("document %d, %s: %s" % (i + 1, where,
                                                e.message[:200]))
    return out


# ---- 1. the schemas are schemas ----------------------------------------

SCHEMAS = {n: schema(n) for n in ("run", "ruleset", "waivers")}
VALIDATORS = {}
for name, s in SCHEMAS.items():
    try:
        Draft202012Validator.check_schema(s)
        # formats asserted (a date is a calendar day), as editors may not
        VALIDATORS[name] = Draft202012Validator(
            s, format_checker=FormatChecker())
        ok("schema/%s.schema.json is a draft 2020-12 schema" % name)
    except Exception as e:  # a SchemaError, or worse
        notok("schema/%s.schema.json is a draft 2020-12 schema" % name, e)
if len(VALIDATORS) != len(SCHEMAS):
    sys.exit(1)
for name, s in SCHEMAS.items():
    if s.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
        notok("schema/%s.schema.json says it is draft 2020-12" % name)

# The definitions the schemas share are the same text in each (every
# schema is self-contained, for editors that fetch one file).
shared = {}
for name, s in SCHEMAS.items():
    for d, body in s.get("$defs", {}).items():
        shared.setdefault(d, []).append((name, body))
drift = [d for d, uses in shared.items()
         if any(body != uses[0][1] for _, body in uses)]
if drift:
    notok("the schemas' shared definitions agree", "differ: " + ", ".join(drift))
else:
    ok("the schemas' shared definitions agree")

# ---- 2. what is meant to be good validates --------------------------------

GOOD = {
    "run": files("examples/runs/*.yaml", "tests/fixtures/runs/*.yaml",
                 "tests/fixtures/check/*.yaml", "tests/fixtures/exact/*.yaml",
                 exclude=("tests/fixtures/check/bad-run.yaml",)),
    "ruleset": files("rules/*.yaml", "rules/provisional/*.yaml",
                     "tests/fixtures/rules/good/*.yaml",
                     "tests/fixtures/rules/duplicate/*.yaml",
                     "tests/fixtures/rules/same-id/*.yaml",
                     exclude=("rules/hardware.yaml",)),
    # duplicate and unknown-rule are well formed: flopgate refuses them for
    # what a schema cannot see (two waivers for one finding, a rule id no
    # loaded ruleset has)
    "waivers": files("tests/fixtures/waivers/valid.yaml",
                     "tests/fixtures/waivers/expired.yaml",
                     "tests/fixtures/waivers/duplicate.yaml",
                     "tests/fixtures/waivers/unknown-rule.yaml"),
}
for name, paths in GOOD.items():
    if not paths:
        notok("there are %s files to validate" % name)
    for path in paths:
        errs = errors_of(VALIDATORS[name], path)
        if errs:
            notok("%s is valid against %s.schema.json" % (path, name), *errs)
        else:
            ok("%s is valid against %s.schema.json" % (path, name))

# ---- 3. what is bad is rejected ------------------------------------------

# Bad inputs of the loaders' corpora whose fault is one of shape, key,
# type, name, unit or calendar: a schema must see it.  (The others are
# YAML-level, or need the catalog, the loaded rulesets, the list of
# assigned country codes or arithmetic; JSON Schema cannot refuse NaN.)
BAD = {
    "run": ["attribute-boolean-list", "attribute-boolean-maybe",
            "attribute-domain-singular", "attribute-modality-case",
            "attribute-modality-txt", "bad-date", "bad-method",
            "bad-phase-kind", "bad-status", "base-same-provider-maybe",
            "count-as-list", "duration-no-unit", "established-in-eu",
            "estimate-no-method", "flop-infinite",
            "flop-rate-for-total", "flops-ambiguous", "id-bad-characters",
            "id-too-long", "jurisdictions-missing", "missing-id", "parameters-hex",
            "phases-as-map", "run-is-a-list", "tokens-negative",
            "top-level-list", "unknown-key-token", "unknown-precision",
            "utilization-above-one", "utilization-three-values"],
    "ruleset": ["bad-date", "bad-jurisdiction", "bad-severity",
                "due-unknown-after", "field-unknown",
                "lint-applies-to-no-jurisdictions",
                "lint-condition-unknown-kind", "lint-effective-no-from",
                "lint-no-applies-to", "lint-no-effective", "lint-no-op",
                "lint-no-rules-list", "lint-no-ruleset-section",
                "lint-no-value", "lint-rule-id-bad", "lint-ruleset-id-bad",
                "lint-test-bad-as-of", "lint-test-no-expect",
                "lint-test-run-not-map", "missing-citation",
                "near-out-of-range", "no-when",
                "obligation-when-without-text", "scope-no-otherwise",
                "test-due-bad-date", "test-unknown-outcome",
                "transition-no-citation", "transition-unknown-key",
                "unknown-key", "unknown-metric", "unknown-operator",
                "unknown-phase-kind", "value-wrong-unit"],
    "waivers": ["empty-approver", "empty-reason", "missing-approver"],
}
BAD_DIR = {"run": "tests/fixtures/bad", "ruleset": "tests/fixtures/rules/bad",
           "waivers": "tests/fixtures/waivers"}
for name, stems in BAD.items():
    missed = []
    for stem in stems:
        path = "%s/%s.yaml" % (BAD_DIR[name], stem)
        if not os.path.exists(path):
            missed.append(path + " (gone)")
        elif not errors_of(VALIDATORS[name], path):
            missed.append(path)
    if missed:
        notok("%s.schema.json rejects %d bad inputs" % (name, len(stems)),
              "accepted: " + " ".join(missed))
    else:
        ok("%s.schema.json rejects %d bad inputs" % (name, len(stems)))

# ---- 4. the schemas keep up with the code --------------------------------


def c_arrays(path, pattern):
    """The strings of the C arrays of path whose declaration matches."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    out = set()
    for m in re.finditer(pattern + r"[^=;]*=\s*\{(.*?)\};", text, re.S):
        out.update(s for s in re.findall(r'"([^"]*)"', m.group(1)) if s)
    return out


def loader_keys(*paths):
    keys = set()
    for p in paths:
        keys |= c_arrays(p, r"static const char \*const (?:[a-z_]*keys|top)\[\]")
    return keys


def properties(node, skip=()):
    """Every property name a schema (fragment) defines, recursively,
    except under the properties named in skip."""
    out = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "properties" and isinstance(v, dict):
                for prop, sub in v.items():
                    out.add(prop)
                    if prop not in skip:
                        out |= properties(sub, skip)
            elif k in ("$defs",) or not isinstance(v, (dict, list)):
                if k == "$defs":
                    for sub in v.values():
                        out |= properties(sub, skip)
            else:
                out |= properties(v, skip)
    elif isinstance(node, list):
        for v in node:
            out |= properties(v, skip)
    return out


def same(name, schema_set, code_set, what):
    if schema_set == code_set:
        ok("%s: %d %s, as the code" % (name, len(code_set), what))
    else:
        notok(name, "only in the schema: %s" % sorted(schema_set - code_set),
              "only in the code: %s" % sorted(code_set - schema_set))


run_s = SCHEMAS["run"]
run_keys = loader_keys("src/run.c")
same("run.schema.json has every key src/run.c accepts, and no other",
     properties(run_s, skip=("attributes",)), run_keys, "keys")

# and the forms of a condition, parse_condition's own list
rules_keys = loader_keys("src/rules_load.c", "src/rule_tests_load.c",
                         "src/vocabulary.c") | c_arrays(
    "src/rules_load.c", r'static const char \*const kinds\[\](?=\s*=\s*\{\s*"all")')
rs = SCHEMAS["ruleset"]
# the compact test run's `compute` map is keyed by phase kind: not keys of
# the loader's lists
kinds = c_arrays("src/run.c", r"kind_names\[FG_KIND_COUNT \+ 1\]")
rs_keyed = dict(rs, **{"$defs": {k: v for k, v in rs["$defs"].items()
                                 if k != "compute"}})
same("ruleset.schema.json has every key the ruleset loader accepts, and no other",
     properties(rs_keyed), rules_keys, "keys")
same("waivers.schema.json has every key src/waiver.c accepts, and no other",
     properties(SCHEMAS["waivers"]), loader_keys("src/waiver.c") | {"waivers"},
     "keys")


def enum_at(node, *path):
    for p in path:
        node = node[p]
    return set(node["enum"])


rd = run_s["$defs"]
same("run phase kinds", enum_at(rd, "phase", "properties", "kind"), kinds,
     "kinds")
same("run estimate methods",
     enum_at(rd, "estimate", "properties", "method"),
     c_arrays("src/run.c", r"method_names\[FG_METHOD_COUNT \+ 1\]"), "methods")
same("run statuses",
     enum_at(run_s, "properties", "run", "properties", "status"),
     c_arrays("src/run.c", r"status_names\[\]"), "statuses")
same("precisions", enum_at(rd, "hardware", "properties", "precision"),
     c_arrays("src/hardware.c", r"precision_names\[FG_PREC_COUNT \+ 1\]"),
     "precisions")
catalog = documents("rules/hardware.yaml")[0]
same("accelerator ids, the catalog's",
     set(rd["hardware"]["properties"]["accelerator"]["anyOf"][0]["enum"]),
     {a["id"] for a in catalog["accelerators"]}, "ids")

sd = rs["$defs"]
names = "src/rule_names.c"
same("metrics", enum_at(sd, "metric_leaf", "properties", "metric"),
     c_arrays(names, r"fg_metric_names\[\]"), "metrics")
same("operators", enum_at(sd, "metric_leaf", "properties", "op"),
     c_arrays(names, r"op_names\[\]"), "operators")
same("due events", enum_at(sd, "obligation", "properties", "due",
                           "properties", "after"),
     c_arrays(names, r"fg_after_names\[\]"), "events")
same("run fields", enum_at(sd, "field_leaf", "properties", "field"),
     c_arrays(names, r"fg_field_names\[\]"), "fields")
same("severities", enum_at(sd, "rule", "properties", "severity"),
     c_arrays(names, r"fg_severity_names\[\]"), "severities")
same("outcomes", set(sd["expect"]["anyOf"][0]["enum"]),
     c_arrays(names, r"outcome_names\[\]"), "outcomes")
same("attribute types",
     enum_at(rs, "properties", "attributes", "additionalProperties",
             "properties", "type"),
     c_arrays(names, r"fg_attr_type_names\[\]"), "types")
same("endings", enum_at(sd, "rule", "properties", "effective", "properties",
                        "ended"),
     c_arrays("src/rules_load.c", r"endings\[\]"), "endings")

# The run schema's attributes are the shipped rulesets' declarations.
declared = {}
for path in files("rules/*.yaml", "rules/provisional/*.yaml",
                  exclude=("rules/hardware.yaml",)):
    for key, d in (documents(path)[0].get("attributes") or {}).items():
        declared.setdefault(key, (d["type"], set(map(str, d.get("values", [])))))
attrs = run_s["properties"]["run"]["properties"]["attributes"]["properties"]
wrong = []
for key, (kind, values) in declared.items():
    a = attrs.get(key)
    if a is None:
        wrong.append("%s: missing" % key)
    elif kind == "boolean" and a.get("$ref") != "#/$defs/boolean":
        wrong.append("%s: not a boolean" % key)
    elif kind == "one_of" and set(a.get("enum", ())) != values:
        wrong.append("%s: values differ" % key)
    elif kind == "list_of" and not (
            set(a["anyOf"][0]["enum"]) == values and
            set(a["anyOf"][1]["items"]["enum"]) == values):
        wrong.append("%s: values differ" % key)
wrong += ["%s: no shipped ruleset declares it" % k
          for k in attrs if k not in declared]
if wrong:
    notok("run.schema.json's attributes are the shipped rulesets' declarations",
          *wrong)
else:
    ok("run.schema.json's attributes are the shipped rulesets' declarations "
       "(%d)" % len(declared))

sys.exit(1 if failed else 0)
