#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 10, items 5 and 8: what check, estimate and headroom write, against
# the schemas that describe it.  Every example run (one at a time and all at
# once, recorded and not, with a waiver) through
#   - SARIF: the official OASIS SARIF 2.1.0 schema (tests/schema/README.md),
#     the log of a refused input too;
#   - JUnit: Jenkins xunit's junit-10.xsd (xmllint), with and without
#     --junit-skipped all;
#   - JSON: schema/result.schema.json, estimate.schema.json,
#     headroom.schema.json (draft 2020-12);
# and each schema refuses what it must (tests/schema/validate_outputs.py).
# Needs python3-jsonschema (python3-rfc3987 to check URIs too) and
# xmllint (libxml2-utils): sh .ci/deps installs them.
. tests/cli/lib.sh

python=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'from jsonschema import Draft4Validator, Draft202012Validator' \
		>/dev/null 2>&1; then
		python=$p
		break
	fi
done
if [ -z "$python" ] || ! command -v xmllint >/dev/null 2>&1; then
	notok "the outputs validate against their schemas" \
		"needs python3 with jsonschema and xmllint: install" \
		"python3-jsonschema and libxml2-utils (sh .ci/deps)"
	exit 0
fi
V="$python tests/schema/validate_outputs.py"
XSD=tests/schema/junit-10.xsd

as_of() {
	case $1 in *bio-sequence-2024.yaml) echo 2024-10-01 ;;
	*) echo 2026-11-30 ;; esac
}

mkdir -p "$T/sarif" "$T/junit" "$T/result" "$T/estimate" "$T/headroom"
bad=""
for f in examples/runs/*.yaml; do
	n=$(basename "$f" .yaml)
	d=$(as_of "$f")
	"$FLOPGATE" check --no-record --as-of "$d" --format json \
		-o sarif="$T/sarif/$n.sarif" -o junit="$T/junit/$n.xml" \
		"$f" >"$T/result/$n.json" 2>>"$T/err.log"
	[ $? -le 1 ] || bad="$bad check:$n"
	"$FLOPGATE" check --no-record --as-of "$d" --format junit \
		--junit-skipped all "$f" >"$T/junit/$n.skipped.xml" \
		2>>"$T/err.log"
	[ $? -le 1 ] || bad="$bad junit-all:$n"
	"$FLOPGATE" estimate --as-of "$d" --format json "$f" \
		>"$T/estimate/$n.json" 2>>"$T/err.log" || bad="$bad estimate:$n"
	"$FLOPGATE" headroom --as-of "$d" --format json "$f" \
		>"$T/headroom/$n.json" 2>>"$T/err.log" || bad="$bad headroom:$n"
done
# all at once, recorded (an evaluation id), and a waived finding
"$FLOPGATE" check --db "$T/all.db" --as-of 2026-11-30 --format json \
	-o sarif="$T/sarif/all.sarif" -o junit="$T/junit/all.xml" \
	examples/runs/*.yaml >"$T/result/all.json" 2>>"$T/err.log"
[ $? -le 1 ] || bad="$bad all"
"$FLOPGATE" check --no-record --as-of 2026-06-01 --format json \
	--waivers tests/fixtures/waivers/valid.yaml \
	-o sarif="$T/sarif/waived.sarif" -o junit="$T/junit/waived.xml" \
	tests/fixtures/check/big-eu.yaml >"$T/result/waived.json" \
	2>>"$T/err.log"
[ $? -le 1 ] || bad="$bad waived"
"$FLOPGATE" estimate --as-of 2026-11-30 --format json examples/runs/*.yaml \
	>"$T/estimate/all.json" 2>>"$T/err.log" || bad="$bad estimate-all"
if [ -n "$bad" ]; then
	notok "every output is written" "failed:$bad" "$(head -c 600 "$T/err.log")"
else
	ok "every output is written"
fi
assert "... the recorded one names its evaluation" \
	[ "$(jq .evaluation_id "$T/result/all.json")" = 1 ]
assert "... the waived one has a waived finding" jq -e \
	'[.runs[].findings[] | select(.outcome == "waived")] | length > 0' \
	"$T/result/waived.json"

# --- SARIF: every log, and the log of a refused input ------------------------
expect "a refused input with -o sarif=FILE exits 2" 2 "$FLOPGATE" check \
	--no-record -o sarif="$T/sarif/refused.sarif" examples/runs/gpt-3.yaml \
	tests/fixtures/bad/bad-date.yaml
assert "... and writes a log of the error" jq -e \
	'.runs[0].invocations[0].executionSuccessful == false and
	 .runs[0].invocations[0].exitCode == 2 and
	 (.runs[0].invocations[0].toolExecutionNotifications[0]
	  | .level == "error" and
	    .locations[0].physicalLocation.artifactLocation.uri ==
	    "tests/fixtures/bad/bad-date.yaml" and
	    .locations[0].physicalLocation.region.startLine > 0)' \
	"$T/sarif/refused.sarif"
$V sarif "$T"/sarif/*.sarif

# --- JUnit --------------------------------------------------------------------
for x in "$T"/junit/*.xml; do
	if xmllint --noout --schema "$XSD" "$x" >"$T/xsd.out" 2>&1; then
		ok "$(basename "$x") is valid against junit-10.xsd"
	else
		notok "$(basename "$x") is valid against junit-10.xsd" \
			"$(head -c 600 "$T/xsd.out")"
	fi
done

# --- the JSON documents ----------------------------------------------------------
$V result "$T"/result/*.json
$V estimate "$T"/estimate/*.json
$V headroom "$T"/headroom/*.json

# --- what the schemas refuse ---------------------------------------------------
mkdir -p "$T/no"
R=$T/result/gpt-4.json
jq '. + {"extra": 1}' "$R" >"$T/no/result-extra-key.json"
jq 'del(.gate)' "$R" >"$T/no/result-no-gate.json"
jq '.runs[0].findings[0].outcome = "maybe"' "$R" \
	>"$T/no/result-bad-outcome.json"
jq 'del(.runs[0].findings[0].rule)' "$R" >"$T/no/result-finding-no-rule.json"
jq '.runs[0].extra = 1' "$R" >"$T/no/result-run-extra-key.json"
jq '.as_of = "2026-02-30"' "$R" >"$T/no/result-bad-date.json"
jq '.evaluation_id = "17"' "$R" >"$T/no/result-id-as-text.json"
$V --invalid result "$T"/no/result-*.json
jq '.runs[0].findings = []' "$T/estimate/gpt-4.json" \
	>"$T/no/estimate-findings.json"
jq '. + {"gate": {"fail_on": "near", "passed": true}}' \
	"$T/estimate/gpt-4.json" >"$T/no/estimate-gate.json"
$V --invalid estimate "$T"/no/estimate-*.json
jq 'del(.runs[0].headroom)' "$T/headroom/gpt-4.json" \
	>"$T/no/headroom-none.json"
$V --invalid headroom "$T"/no/headroom-*.json
S=$T/sarif/gpt-4.sarif
jq 'del(.version)' "$S" >"$T/no/sarif-no-version.json"
jq '.runs[0].results[0].level = "fatal"' "$S" >"$T/no/sarif-bad-level.json"
jq '.runs[0].results[0].locations[0].physicalLocation.region.startLine = 0' \
	"$S" >"$T/no/sarif-line-zero.json"
$V --invalid sarif "$T"/no/sarif-*.json
# a findings field added later is fine; the findings stay open to it
jq '.runs[0].findings[0].exact_figures = {"value": "21e24"}' "$R" \
	>"$T/result-added-field.json"
$V result "$T/result-added-field.json"
sed 's/<testsuites name="flopgate"/<testsuites skipped="0" name="flopgate"/' \
	"$T/junit/gpt-4.xml" >"$T/no/junit-skipped-attr.xml"
if xmllint --noout --schema "$XSD" "$T/no/junit-skipped-attr.xml" \
	>/dev/null 2>&1; then
	notok "junit-10.xsd refuses a skipped count on <testsuites>"
else
	ok "junit-10.xsd refuses a skipped count on <testsuites>"
fi

# the three JSON schemas are self-contained (an editor fetches one file):
# what they share is the same text in each ("run" differs on purpose:
# estimate's has no findings)
if $python - <<'PY'
import json, sys
names = ("result", "estimate", "headroom")
defs = {n: json.load(open("schema/%s.schema.json" % n))["$defs"] for n in names}
bad = [d for n in names for d in defs[n] if d != "run"
       for m in names if d in defs[m] and defs[m][d] != defs[n][d]]
sys.exit(1 if bad else 0)
PY
then
	ok "result, estimate and headroom schemas share their definitions"
else
	notok "result, estimate and headroom schemas share their definitions"
fi
