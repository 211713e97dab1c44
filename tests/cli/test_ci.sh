#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 10, items 7 and 8: flopgate in CI.
#
# 1. What check writes for code scanning and CI servers: SARIF locations
#    relative to %SRCROOT% with ./ and // normalised, fingerprints that
#    stay put, the automation category; JUnit without the rules that do
#    not apply (or with them, --junit-skipped all), reproducible under
#    SOURCE_DATE_EPOCH.
# 2. The CI files, as far as this machine allows: action.yml,
#    .pre-commit-hooks.yaml, examples/ci/github-workflow.yml and
#    examples/ci/gitlab-ci.yml parse and say what they must
#    (tests/cli/ci_files.py structure); shellcheck passes on every script
#    they run (when shellcheck is installed: .ci/deps installs it); and
#    the scripts run against the binary under test: the action's gate step
#    with the inputs the workflow gives it, the workflow's listing of the
#    changed run files in a scratch repository, the pre-commit hooks on the
#    files they select, GitLab's scripts.  Needs python3 with PyYAML, bash,
#    git, jq and xmllint.
. tests/cli/lib.sh

AS_OF=2026-11-30
R=examples/runs
python=""
for p in /usr/bin/python3 python3; do
	if "$p" -c 'import yaml' >/dev/null 2>&1; then
		python=$p
		break
	fi
done
CI="$python tests/cli/ci_files.py"
XSD=tests/schema/junit-10.xsd
# holds 'TEST && TEST...': for assert, several tests as one
holds() { eval "$1"; }

# --- 1. SARIF: where files are -------------------------------------------------
uri() { # FILE INDEX: the artifact URI of result INDEX and its base id
	jq -r ".runs[0].results[$2].locations[0].physicalLocation.artifactLocation
		| \"\(.uri) \(.uriBaseId // \"-\")\"" "$1"
}
expect "SARIF of ./examples//runs/gpt-4.yaml" 1 "$FLOPGATE" check \
	--no-record --as-of "$AS_OF" --format sarif ./examples//runs/gpt-4.yaml
assert "... is located relative to %SRCROOT%, ./ and // gone" \
	[ "$(uri "$T/out" 0)" = "examples/runs/gpt-4.yaml %SRCROOT%" ]
assert "... which is the current directory, as a file URI ending in /" \
	[ "$(jq -r '.runs[0].originalUriBaseIds["%SRCROOT%"].uri' "$T/out")" = \
	"file://$(pwd -P)/" ]
cp "$T/out" "$T/rel.sarif"
expect "SARIF of the same file by its absolute path" 1 "$FLOPGATE" check \
	--no-record --as-of "$AS_OF" --format sarif "$(pwd -P)/$R/gpt-4.yaml"
assert "... is located the same" \
	[ "$(uri "$T/out" 0)" = "examples/runs/gpt-4.yaml %SRCROOT%" ]
expect "... and through examples/../examples/runs" 1 "$FLOPGATE" check \
	--no-record --as-of "$AS_OF" --format sarif \
	examples/../examples/runs/gpt-4.yaml
assert "... the same again" \
	[ "$(uri "$T/out" 0)" = "examples/runs/gpt-4.yaml %SRCROOT%" ]
cp "$R/gpt-4.yaml" "$T/outside run.yaml"
expect "SARIF of a file outside the current directory" 1 "$FLOPGATE" check \
	--no-record --as-of "$AS_OF" --format sarif "$T/outside run.yaml"
assert "... is an absolute file URI, percent-encoded, without a base" \
	[ "$(uri "$T/out" 0)" = "file://$T/outside%20run.yaml -" ]
assert "... and its fingerprint is the one it had inside" [ "$(jq -c \
	'[.runs[0].results[].partialFingerprints]' "$T/out")" = "$(jq -c \
	'[.runs[0].results[].partialFingerprints]' "$T/rel.sarif")" ]
expect "SARIF a year later" 1 "$FLOPGATE" check --no-record \
	--as-of 2027-11-30 --format sarif "$R/gpt-4.yaml"
assert "... keeps each finding's fingerprint" [ "$(jq -c \
	'[.runs[0].results[] | select(.ruleId == "eu.gpai.systemic-risk")
	  | .partialFingerprints]' "$T/out")" = "$(jq -c \
	'[.runs[0].results[] | select(.ruleId == "eu.gpai.systemic-risk")
	  | .partialFingerprints]' "$T/rel.sarif")" ]
assert "... in the category flopgate/check, the as-of date after it" \
	[ "$(jq -r .runs[0].automationDetails.id "$T/out")" = \
	"flopgate/check/2027-11-30" ]
assert "every rule has help in text and Markdown, and a helpUri" jq -e \
	'.runs[0].tool.driver.rules | length > 0 and all(.help.text and
	 .help.markdown and .helpUri)' "$T/rel.sarif"
assert "every result has a fingerprint" jq -e '.runs[0].results | length > 0
	and all(.partialFingerprints["flopgate/v1"] | test("^[0-9a-f]{32}$"))' \
	"$T/rel.sarif"
expect "--sarif-category names the category" 1 "$FLOPGATE" check \
	--no-record --as-of "$AS_OF" --format sarif --sarif-category \
	flopgate/frontier "$R/gpt-4.yaml"
assert "... CATEGORY/AS-OF" [ "$(jq -r .runs[0].automationDetails.id \
	"$T/out")" = "flopgate/frontier/$AS_OF" ]
expect "an empty --sarif-category exits 2" 2 "$FLOPGATE" check \
	--no-record --sarif-category "" "$R/gpt-4.yaml"
run sh -c 'exec "$1" check --no-record --as-of "$2" --format sarif - <"$3"' \
	sh "$FLOPGATE" "$AS_OF" "$R/gpt-4.yaml"
assert "a run from standard input has a logical location only" jq -e \
	'.runs[0].results[0].locations[0] | (has("physicalLocation") | not)
	 and .logicalLocations[0].fullyQualifiedName == "gpt-4"' "$T/out"

# --- 1. JUnit: what CI shows ----------------------------------------------------
expect "JUnit of gpt-3 (placed in the US only)" 0 "$FLOPGATE" check \
	--no-record --as-of "$AS_OF" --format junit "$R/gpt-3.yaml"
assert "... leaves out the rules that do not apply" \
	[ "$(grep -c '<testcase ' "$T/out")" -lt 4 ]
assert "... and counts them" grep -q \
	'<property name="not_applicable" value="[1-9][0-9]*"/>' "$T/out"
assert "... with no skipped test" [ "$(grep -c '<skipped' "$T/out")" = 0 ]
expect "--junit-skipped all" 0 "$FLOPGATE" check --no-record \
	--as-of "$AS_OF" --format junit --junit-skipped all "$R/gpt-3.yaml"
assert "... lists each with its reason" grep -q \
	'<skipped message="run not placed in EU"/>' "$T/out"
assert "... in the suite's skipped count" grep -q \
	'<testsuite name="gpt-3" tests="[0-9]*" failures="0" errors="0" skipped="[1-9]' \
	"$T/out"
expect "--junit-skipped sometimes exits 2" 2 "$FLOPGATE" check \
	--no-record --junit-skipped sometimes "$R/gpt-3.yaml"
expect "JUnit with the clock running" 1 "$FLOPGATE" check --no-record \
	--as-of "$AS_OF" --format junit "$R/gpt-3.yaml" "$R/gpt-4.yaml"
assert "... has a UTC timestamp and a time on each suite" [ "$(grep -cE \
	'<testsuite .* time="[0-9]+\.[0-9]{3}" timestamp="[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}"' \
	"$T/out")" = 2 ]
assert "... and a time on the whole" grep -qE \
	'<testsuites name="flopgate" .* time="[0-9]+\.[0-9]{3}">' "$T/out"
for i in 1 2; do
	SOURCE_DATE_EPOCH=1795996800 "$FLOPGATE" check --no-record \
		--as-of "$AS_OF" --format junit "$R/gpt-3.yaml" "$R/gpt-4.yaml" \
		>"$T/sde$i.xml" 2>/dev/null
done
assert "SOURCE_DATE_EPOCH makes JUnit reproducible" cmp -s "$T/sde1.xml" \
	"$T/sde2.xml"
assert "... its timestamp that day, every time 0" [ "$(grep -c \
	'time="0.000" timestamp="2026-11-30T00:00:00"' "$T/sde1.xml")" = 2 ]
expect "a SOURCE_DATE_EPOCH that is not seconds exits 2, recording or not" 2 \
	env SOURCE_DATE_EPOCH=soon "$FLOPGATE" check --no-record "$R/gpt-3.yaml"

# --- 2. the CI files say what they must --------------------------------------------
if [ -z "$python" ]; then
	notok "the CI files parse" "no python3 with PyYAML: install python3-yaml"
	exit 0
fi
$CI structure
mkdir -p "$T/blocks"
$CI run-blocks "$T/blocks"
if command -v shellcheck >/dev/null 2>&1; then
	if shellcheck -s bash "$T"/blocks/*.sh >"$T/sc.out" 2>&1; then
		ok "shellcheck passes on the $(ls "$T/blocks" | wc -l) scripts the CI files run"
	else
		notok "shellcheck passes on the scripts the CI files run" \
			"$(head -c 800 "$T/sc.out")"
	fi
fi

# --- 2. the action's steps, run --------------------------------------------------
# the binary under test as the `flopgate` on PATH, as the build step leaves it
mkdir -p "$T/path"
ln -s "$FLOPGATE" "$T/path/flopgate"
$CI action-run gate >"$T/gate.sh"
$CI action-run sarif >"$T/sarif-step.sh"
# gate IN=VALUE...: the gate step with the action's defaults and these
# inputs, in $T/ws (the workspace); its exit status in $RC, GITHUB_OUTPUT
# in $T/ws/output
gate() {
	$CI action-env gate "$@" >"$T/env.sh"
	: >"$T/ws/output"
	(cd "$T/ws" && . "$T/env.sh" && PATH="$T/path:$PATH" \
		GITHUB_OUTPUT="$T/ws/output" bash "$T/gate.sh") \
		>"$T/out" 2>"$T/err"
	RC=$?
}
rm -rf "$T/ws"
mkdir -p "$T/ws/runs/more"
cp "$R/gpt-3.yaml" "$T/ws/runs/"
cp "$R/gpt-4.yaml" "$T/ws/runs/more/"
gate paths=runs as-of=$AS_OF
assert "the action's gate fails as flopgate does (exit 1)" [ "$RC" -eq 1 ]
assert "... its exit code an output of the step" grep -qx "exit-code=1" \
	"$T/ws/output"
assert "... the text in the log" grep -q "^gate: failed" "$T/out"
assert "... SARIF written, by its default name" [ -s "$T/ws/flopgate.sarif" ]
assert "... and JUnit" [ -s "$T/ws/flopgate-junit.xml" ]
assert "... of one evaluation of both runs" [ "$(grep -c '<testsuite ' \
	"$T/ws/flopgate-junit.xml")" = 2 ]
assert "... the JUnit report valid against junit-10.xsd" xmllint --noout \
	--schema "$XSD" "$T/ws/flopgate-junit.xml"
assert "... nothing recorded (record: false)" [ ! -e "$T/ws/flopgate.db" ]
(cd "$T/ws" && . "$T/env.sh" && GITHUB_OUTPUT="$T/ws/output" \
	FG_SARIF=flopgate.sarif bash "$T/sarif-step.sh") >/dev/null 2>&1
assert "... and the upload step is told the log is there" \
	grep -qx "present=true" "$T/ws/output"
mkdir -p "$T/ws/out"
gate paths="runs/gpt-3.yaml
runs/more/gpt-4.yaml" fail-on=never as-of=$AS_OF sarif-file=out/x.sarif \
	junit-file="" rules="$FG_ROOT/rules $FG_ROOT/rules/provisional"
assert "fail-on: never passes (exit 0); paths on several lines, two rules directories" \
	holds '[ "$RC" -eq 0 ] && grep -qx "exit-code=0" "$T/ws/output"'
gate paths=runs as-of=$AS_OF record=true db=audit.db \
	sarif-file=rec.sarif sarif-category=flopgate/models
assert "record: true records one evaluation into db" [ "$(sqlite3 \
	"$T/ws/audit.db" 'SELECT count(*) FROM evaluations')" = 1 ]
assert "... the SARIF log in its category" [ "$(jq -r \
	.runs[0].automationDetails.id "$T/ws/rec.sarif")" = \
	"flopgate/models/$AS_OF" ]
printf 'run:\n  id: broken\n  jurisdictions: [EU]\n  dates: {start: 2026-02-30}\n' \
	>"$T/ws/runs/broken.yaml"
gate paths=runs as-of=$AS_OF
assert "bad input: the gate step exits 2" holds '[ "$RC" -eq 2 ] &&
	grep -qx "exit-code=2" "$T/ws/output"'
assert "... and the SARIF log carries the error at its file" [ "$(jq -r \
	'.runs[0].invocations[0].toolExecutionNotifications[0].locations[0]
	 .physicalLocation.artifactLocation.uri' "$T/ws/flopgate.sarif")" = \
	"runs/broken.yaml" ]
rm "$T/ws/runs/broken.yaml"
: >"$T/ws/none.txt"
gate files-from=none.txt allow-empty=true
assert "files-from an empty list with allow-empty passes" [ "$RC" -eq 0 ]
gate files-from=none.txt
assert "... and without it is bad input" [ "$RC" -eq 2 ]

# the build step: make in the action's own directory, bin/ on PATH (make is
# a stand-in that says what it was asked; the make it stands for must know
# the target)
$CI action-run "Build flopgate" >"$T/build.sh"
mkdir -p "$T/fake"
printf '#!/bin/sh\necho "$@" >"%s/make.args"\n' "$T" >"$T/fake/make"
chmod +x "$T/fake/make"
: >"$T/gh-path"
(PATH="$T/fake:$PATH" GITHUB_ACTION_PATH="$FG_ROOT" GITHUB_PATH="$T/gh-path" \
	bash "$T/build.sh") >"$T/build.out" 2>&1
assert "the build step makes bin/flopgate in the action's directory" \
	grep -q -- "-C $FG_ROOT -j[0-9]* bin/flopgate" "$T/make.args"
assert "... and puts its bin/ on PATH" grep -qx "$FG_ROOT/bin" "$T/gh-path"
# (a dry run into scratch directories: nothing is built, bin/ untouched)
assert "... a target make knows" env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
	make -n -C "$FG_ROOT" BUILD="$T/mk" BIN_DIR="$T/mk/bin" \
	LIB_DIR="$T/mk/lib" "$T/mk/bin/flopgate"

# --- 2. the GitHub workflow's steps, run ---------------------------------------------
# a repository whose pull request adds a run, changes one, deletes one
G=$T/repo
mkdir -p "$G/runs/team"
(
	cd "$G" && git init -q -b main . && git config user.email ci@example.com &&
	git config user.name ci && cp "$FG_ROOT/$R/gpt-3.yaml" runs/ &&
	cp "$FG_ROOT/$R/llama-2-70b.yaml" runs/team/ && echo x >README &&
	git add -A && git commit -q -m base && git checkout -q -b change &&
	cp "$FG_ROOT/$R/gpt-4.yaml" runs/team/new.yaml &&
	echo "# reviewed" >>runs/gpt-3.yaml && git rm -q runs/team/llama-2-70b.yaml &&
	echo y >README && git add -A && git commit -q -m change
) >"$T/git.out" 2>&1 || notok "the scratch repository is made" \
	"$(head -c 400 "$T/git.out")"
$CI workflow-run pull-request "Run files this pull request changes" \
	>"$T/changed.sh"
(cd "$G" && BASE=$(git rev-parse main) bash "$T/changed.sh") >/dev/null 2>&1
assert "the workflow lists the run files a pull request adds or changes" \
	[ "$(sort "$G/changed-runs.txt" | tr '\n' ' ')" = \
	"runs/gpt-3.yaml runs/team/new.yaml " ]
# the action as the pull-request job calls it, in the repository
$CI workflow-with pull-request "Gate (not recorded)" >"$T/with"
set --
while IFS= read -r line; do set -- "$@" "$line"; done <"$T/with"
rm -rf "$T/ws" && cp -R "$G" "$T/ws"
gate "$@" as-of=$AS_OF
assert "... the action gates them (gpt-4 fails it)" [ "$RC" -eq 1 ]
assert "... both of them" [ "$(grep -c '<testsuite ' \
	"$T/ws/flopgate-junit.xml")" = 2 ]
assert "... without recording" [ ! -e "$T/ws/flopgate.db" ]
: >"$T/ws/changed-runs.txt"
gate "$@" as-of=$AS_OF
assert "... a pull request that changes no run passes" [ "$RC" -eq 0 ]
# the default-branch job: recorded, twice, the chain verified
$CI workflow-with default-branch "Gate (recorded)" >"$T/with"
set --
while IFS= read -r line; do set -- "$@" "$line"; done <"$T/with"
gate "$@" as-of=$AS_OF
gate "$@" as-of=$AS_OF
assert "the default-branch job records each push into flopgate.db" \
	[ "$(sqlite3 "$T/ws/flopgate.db" 'SELECT count(*) FROM evaluations')" = 2 ]
$CI workflow-run default-branch "Verify the audit chain" >"$T/verify.sh"
(cd "$T/ws" && PATH="$T/path:$PATH" bash "$T/verify.sh") >"$T/out" 2>&1
assert "... whose chain its verify step checks, writing a checkpoint" \
	[ -s "$T/ws/flopgate.checkpoint" ]

# --- 2. GitLab's scripts, run ----------------------------------------------------
rm -rf "$T/gl" && cp -R "$G" "$T/gl"
(cd "$T/gl" && git checkout -q main)
$CI gitlab-script flopgate:default-branch >"$T/gl.sh"
for i in 1 2; do
	(cd "$T/gl" && PATH="$T/path:$PATH" sh -e "$T/gl.sh") >"$T/out" 2>&1
	RC=$?
done
assert "GitLab's default-branch job verifies and gates (exit 0)" \
	[ "$RC" -eq 0 ]
assert "... recording each pipeline" [ "$(sqlite3 "$T/gl/flopgate.db" \
	'SELECT count(*) FROM evaluations')" = 2 ]
assert "... its JUnit report valid against junit-10.xsd" xmllint --noout \
	--schema "$XSD" "$T/gl/flopgate-junit.xml"
$CI gitlab-script flopgate:merge-request | grep -v '^git fetch' >"$T/mr.sh"
(
	cd "$T/gl" && git checkout -q change && git update-ref \
		refs/remotes/origin/main main &&
	CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main PATH="$T/path:$PATH" \
		sh -e "$T/mr.sh"
) >"$T/out" 2>&1
RC=$?
assert "GitLab's merge-request job gates the changed runs (exit 1)" \
	[ "$RC" -eq 1 ]
assert "... both of them" [ "$(grep -c '<testsuite ' \
	"$T/gl/flopgate-junit.xml")" = 2 ]

# --- 2. the pre-commit hooks, run on the files they select --------------------------
$CI hooks >"$T/hooks"
{
	ls "$R"/*.yaml rules/*.yaml rules/provisional/*.yaml
	echo README.md
	echo src/run.c
} >"$T/candidates"
while IFS="	" read -r id entry files exclude; do
	$python - "$files" "$exclude" "$T/candidates" >"$T/selected" <<'PY'
import re, sys
inc, exc = re.compile(sys.argv[1]), re.compile(sys.argv[2])
for line in open(sys.argv[3]):
    p = line.strip()
    if inc.search(p) and not exc.search(p):
        print(p)
PY
	case $id in
	flopgate-check)
		assert "$id selects the run files, and only them" [ "$(cat \
			"$T/selected")" = "$(ls "$R"/*.yaml)" ]
		# shellcheck disable=SC2086
		run env PATH="$T/path:$PATH" $entry --as-of "$AS_OF" \
			"$R/gpt-3.yaml"
		assert "... passes a run under every line" [ "$RC" -eq 0 ]
		# shellcheck disable=SC2086
		run env PATH="$T/path:$PATH" $entry --as-of "$AS_OF" \
			$(cat "$T/selected")
		assert "... fails on runs over a line (exit 1)" [ "$RC" -eq 1 ]
		assert "... recording nothing" [ ! -e "$FLOPGATE_DB" ]
		;;
	flopgate-rules-lint)
		assert "$id selects the rulesets" \
			[ "$(grep -c . "$T/selected")" -ge 7 ]
		assert "... not the accelerator catalog" holds \
			'! grep -q hardware "$T/selected"'
		# shellcheck disable=SC2086
		run env PATH="$T/path:$PATH" $entry $(cat "$T/selected")
		assert "... and they lint clean" [ "$RC" -eq 0 ]
		;;
	*) notok "a hook this test knows: $id" ;;
	esac
done <"$T/hooks"
