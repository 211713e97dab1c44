#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Reads the CI files (action.yml, .pre-commit-hooks.yaml,
examples/ci/*.yml) for tests/cli/test_ci.sh, which runs what they run.

    ci_files.py action-run STEP                the run: script of a step
    ci_files.py action-env STEP [IN=VALUE...]  its env as shell assignments,
                                               ${{ inputs.X }} resolved from
                                               the defaults and IN=VALUE
    ci_files.py workflow-with JOB STEP         the inputs (IN=VALUE, one a
                                               line) a workflow step gives
                                               the action
    ci_files.py workflow-run JOB STEP          the run: script of a step
    ci_files.py gitlab-script JOB              a job's script, one command
                                               a line
    ci_files.py hooks                          each pre-commit hook as
                                               "ID<TAB>ENTRY<TAB>FILES<TAB>EXCLUDE"
    ci_files.py run-blocks DIR                 every run: block of the
                                               action and the workflow, and
                                               every GitLab script, as
                                               DIR/N.sh (for shellcheck)
    ci_files.py structure                      TAP lines: what the files must
                                               say (triggers, permissions,
                                               the SARIF upload even when
                                               the gate fails, the JUnit
                                               report wired to GitLab, ...)
Run from the repository root.
"""
import re
import shlex
import sys

import yaml

EXPR = re.compile(r"\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}")


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def action():
    return load("action.yml")


def workflow():
    return load("examples/ci/github-workflow.yml")


def gitlab():
    return load("examples/ci/gitlab-ci.yml")


def step(steps, name):
    for s in steps:
        if s.get("name") == name or s.get("id") == name:
            return s
    sys.exit("no step %r" % name)


def action_env(name, overrides):
    a = action()
    values = {k: str(v.get("default", "")) for k, v in a["inputs"].items()}
    for o in overrides:
        k, _, v = o.partition("=")
        if k not in values:
            sys.exit("the action has no input %r" % k)
        values[k] = v
    out = []
    for var, expr in step(a["runs"]["steps"], name).get("env", {}).items():
        value = EXPR.sub(lambda m: values[m.group(1)], str(expr))
        out.append("%s=%s" % (var, shlex.quote(value)))
        out.append("export " + var)
    return "\n".join(out)


def workflow_step(job, name):
    return step(workflow()["jobs"][job]["steps"], name)


def run_blocks():
    blocks = [s["run"] for s in action()["runs"]["steps"] if "run" in s]
    for job in workflow()["jobs"].values():
        blocks += [s["run"] for s in job["steps"] if "run" in s]
    g = gitlab()
    for job in g.values():
        if isinstance(job, dict):
            for key in ("before_script", "script", "after_script"):
                if job.get(key):
                    blocks.append("\n".join(job[key]) + "\n")
    return blocks


failed = 0


def check(name, cond, *why):
    global failed
    if cond:
        print("ok - " + name)
    else:
        failed += 1
        print("not ok - " + name)
        for w in why:
            print("#   " + str(w))


def structure():
    a = action()
    steps = a["runs"]["steps"]
    check("action.yml is a composite action", a["runs"]["using"] == "composite")
    for want in ("paths", "files-from", "as-of", "fail-on", "record", "db",
                 "sarif-file", "junit-file", "build", "waivers", "rules",
                 "sarif-category", "allow-empty"):
        check("action.yml has the input " + want, want in a["inputs"])
    check("... every run step says its shell",
          all("shell" in s for s in steps if "run" in s))
    check("... the inputs reach the scripts by env only (no ${{ }} in run:)",
          all("${{" not in s["run"] for s in steps if "run" in s))
    gate = step(steps, "gate")
    check("... the gate step has an id whose exit code is an output",
          "steps.gate.outputs.exit-code" in a["outputs"]["exit-code"]["value"])
    up = [s for s in steps if str(s.get("uses", "")).startswith(
        "github/codeql-action/upload-sarif@")]
    check("... SARIF goes to code scanning with upload-sarif", len(up) == 1)
    if up:
        cond = up[0].get("if", "")
        check("... even when the gate fails: if: always()", "always()" in cond,
              cond)
        check("... only when the log is there: hashFiles", "hashFiles(" in cond,
              cond)
        check("... and not empty", "steps.sarif.outputs.present" in cond, cond)
        check("... into its category", "category" in up[0].get("with", {}))
        check("... after the gate", steps.index(up[0]) > steps.index(gate))
    build = step(steps, "Build flopgate")
    check("... builds from its own source with make",
          "make -C \"$GITHUB_ACTION_PATH\"" in build["run"] and
          "apt-get install" in build["run"] and
          build.get("if") == "inputs.build == 'true'")

    w = workflow()
    on = w.get("on", w.get(True))
    check("the workflow runs on pull requests and on pushes",
          "pull_request" in on and "push" in on)
    check("... may upload SARIF", w["permissions"].get("security-events") ==
          "write")
    pr, main = w["jobs"]["pull-request"], w["jobs"]["default-branch"]
    uses = lambda job: [s for s in job["steps"] if s.get("uses") == "./.flopgate"]
    check("... pull requests: the action without recording",
          len(uses(pr)) == 1 and uses(pr)[0]["with"]["record"] == "false")
    check("... on the changed run files, none passing",
          uses(pr)[0]["with"].get("files-from") and
          uses(pr)[0]["with"].get("allow-empty") == "true")
    check("... the default branch: recording into a database",
          len(uses(main)) == 1 and uses(main)[0]["with"]["record"] == "true")
    names = [s.get("uses", "") for s in main["steps"]]
    check("... restored before the gate and saved after it, even when it fails",
          any(n.startswith("actions/cache/restore@") for n in names) and
          any(n.startswith("actions/cache/save@") and
              "always()" in s.get("if", "")
              for n, s in zip(names, main["steps"])))
    check("... one writer at a time", "concurrency" in main)
    text = open("examples/ci/github-workflow.yml", encoding="utf-8").read()
    check("... and says why deadlines then need dates.threshold_known",
          "dates.threshold_known" in text)

    g = gitlab()
    base = g[".flopgate"]
    check("gitlab-ci.yml wires the JUnit report to GitLab's test report",
          base["artifacts"]["reports"]["junit"] == "flopgate-junit.xml")
    check("... even when the gate fails", base["artifacts"].get("when") ==
          "always")
    mr, dflt = g["flopgate:merge-request"], g["flopgate:default-branch"]
    check("... merge requests: not recorded",
          "merge_request_event" in mr["rules"][0]["if"] and
          "--no-record" in " ".join(mr["script"]))
    check("... the default branch: recorded into a kept database",
          "CI_DEFAULT_BRANCH" in dflt["rules"][0]["if"] and
          "--db flopgate.db" in " ".join(dflt["script"]) and
          "flopgate.db" in dflt["cache"]["paths"])
    text = open("examples/ci/gitlab-ci.yml", encoding="utf-8").read()
    check("... and says why deadlines then need dates.threshold_known",
          "dates.threshold_known" in text)

    hooks = load(".pre-commit-hooks.yaml")
    ids = [h["id"] for h in hooks]
    check("the pre-commit hooks are flopgate-check and flopgate-rules-lint",
          ids == ["flopgate-check", "flopgate-rules-lint"], ids)
    for h in hooks:
        check("... %s has what pre-commit needs" % h["id"],
              all(k in h for k in ("id", "name", "entry", "language")) and
              h.get("pass_filenames", True))
    check("... the check never records",
          "--no-record" in hooks[0]["entry"])
    return 1 if failed else 0


def main(argv):
    cmd = argv[0] if argv else ""
    if cmd == "action-run":
        sys.stdout.write(step(action()["runs"]["steps"], argv[1])["run"])
    elif cmd == "action-env":
        print(action_env(argv[1], argv[2:]))
    elif cmd == "workflow-with":
        for k, v in workflow_step(argv[1], argv[2]).get("with", {}).items():
            print("%s=%s" % (k, v))
    elif cmd == "workflow-run":
        sys.stdout.write(workflow_step(argv[1], argv[2])["run"])
    elif cmd == "gitlab-script":
        for line in gitlab()[argv[1]]["script"]:
            print(line)
    elif cmd == "hooks":
        for h in load(".pre-commit-hooks.yaml"):
            print("\t".join((h["id"], h["entry"], h.get("files", ""),
                             h.get("exclude", "^$"))))
    elif cmd == "run-blocks":
        for i, b in enumerate(run_blocks()):
            with open("%s/%d.sh" % (argv[1], i), "w", encoding="utf-8") as f:
                f.write("#!/bin/bash\n" + b)
    elif cmd == "structure":
        return structure()
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
