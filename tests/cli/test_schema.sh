#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 10, item 5: the JSON Schemas of schema/ validate every example run,
# every good fixture, every shipped ruleset and the waiver fixtures, reject
# bad ones, and keep up with the loaders' keys and names
# (tests/schema/validate.py says how).  Needs Python 3 with Debian's
# python3-jsonschema (draft 2020-12) and python3-yaml.
. tests/cli/lib.sh

python=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import yaml; from jsonschema import Draft202012Validator' \
		>/dev/null 2>&1; then
		python=$p
		break
	fi
done
if [ -z "$python" ]; then
	notok "the JSON Schemas validate what they describe" \
		"no python3 with jsonschema (draft 2020-12) and yaml: install" \
		"python3-jsonschema and python3-yaml (sh .ci/deps)"
	exit 0
fi
"$python" tests/schema/validate.py
