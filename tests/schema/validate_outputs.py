#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What flopgate writes, against the schemas that describe it.

    python3 tests/schema/validate_outputs.py [--invalid] KIND FILE...

KIND is one of
  sarif     the official OASIS SARIF 2.1.0 schema (JSON Schema draft-04),
            tests/schema/sarif-schema-2.1.0.json
  result    schema/result.schema.json   (check --format json)
  estimate  schema/estimate.schema.json (estimate --format json)
  headroom  schema/headroom.schema.json (headroom --format json)

Formats are asserted (a "uri" is a URI when python3-rfc3987 is there, a
"date" a calendar day).  Prints one TAP-style line per file ("ok - ..."
or "not ok - ..." with the schema's complaints under it) and exits 1 when
any failed.  With --invalid every file must be refused instead: a schema
that accepts anything fails.  Run from the repository root.
"""
import json
import sys

from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker

SCHEMAS = {
    "sarif": ("tests/schema/sarif-schema-2.1.0.json", Draft4Validator),
    "result": ("schema/result.schema.json", Draft202012Validator),
    "estimate": ("schema/estimate.schema.json", Draft202012Validator),
    "headroom": ("schema/headroom.schema.json", Draft202012Validator),
}


def main(argv):
    invalid = False
    if argv and argv[0] == "--invalid":
        invalid = True
        argv = argv[1:]
    if len(argv) < 2 or argv[0] not in SCHEMAS:
        print(__doc__, file=sys.stderr)
        return 2
    path, cls = SCHEMAS[argv[0]]
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls.check_schema(schema)
    validator = cls(schema, format_checker=FormatChecker())
    failed = 0
    for name in argv[1:]:
        try:
            with open(name, encoding="utf-8") as f:
                doc = json.load(f)
            errors = sorted(validator.iter_errors(doc),
                            key=lambda e: list(e.absolute_path))
        except (OSError, ValueError) as e:
            errors = [e]
        complaints = []
        for e in errors[:10]:
            where = "/".join(str(p) for p in getattr(e, "absolute_path",
                                                     ())) or "(top)"
            complaints.append("%s: %s" % (where,
                                          getattr(e, "message", e)))
        if invalid:
            good = bool(errors)
            what = "%s is refused by the %s schema" % (name, argv[0])
        else:
            good = not errors
            what = "%s is valid against the %s schema" % (name, argv[0])
        if good:
            print("ok - " + what)
        else:
            failed += 1
            print("not ok - " + what)
            for c in complaints:
                print("#   " + str(c)[:300])
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
