#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Issue 12, item 3: "did you mean" names what the writer evidently meant.
# Each case writes a small file, runs the command and compares its whole
# stderr with the one line expected: exit 2, nothing on stdout.
. tests/cli/lib.sh

# a run whose first estimate is ESTIMATE, placed in JURISDICTIONS, with
# ATTRIBUTES and a phase of KIND
run_file() { # FILE ESTIMATE [KIND [JURISDICTIONS [ATTRIBUTES]]]
	cat >"$1" <<EOF
run:
  id: hint-run
  jurisdictions: [${4:-EU}]
  attributes: {${5:-}}
  phases:
    - name: pre-training
      kind: ${3:-pretraining}
      estimates:
        - $2
EOF
}

# says NAME WANT CMD...: exit 2, stdout empty, stderr exactly WANT
says() {
	_name=$1 _want=$2
	shift 2
	run "$@"
	printf '%s\n' "$_want" >"$T/want"
	if [ "$RC" -ne 2 ]; then
		notok "$_name: exits 2" "got $RC" "stderr: $(head -c 400 "$T/err")"
	elif [ -s "$T/out" ]; then
		notok "$_name: nothing on stdout" "$(head -c 400 "$T/out")"
	elif ! cmp -s "$T/want" "$T/err"; then
		notok "$_name" "want: $_want" "got:  $(head -c 600 "$T/err")"
	else
		ok "$_name"
	fi
}

HW="method: hardware, count: 8192, duration: 60d"
ARCH="{method: architecture, parameters: 7e9, tokens: 1e12}"
LIST="(\`flopgate hardware\` lists them all)"

# --- where the provider is established: a country, never a state --------
for pair in "UK:GB:United Kingdom" "Germany:DE:Germany" "US-CA:US:United States"; do
	written=${pair%%:*} rest=${pair#*:}
	code=${rest%%:*} cname=${rest#*:}
	cat >"$T/est.yaml" <<EOF
run:
  id: est-run
  jurisdictions: [EU]
  organization: {established_in: $written}
  phases:
    - {name: p, kind: pretraining, estimates: [{method: declared, flop: 1e24}]}
EOF
	says "established_in $written: \`$code\`" \
		"flopgate: $T/est.yaml:4:34: \`established_in\` is the country where the provider is established, not \`$written\`; did you mean \`$code\` ($cname)? (ISO 3166-1 alpha-2)" \
		"$FLOPGATE" check --no-record "$T/est.yaml"
done

# --- accelerators: the chip by its model number ---------------------------------
run_file "$T/h100.yaml" "{$HW, accelerator: h100}"
says "accelerator h100: the two H100s, not H200, H800, MI300X" \
	"flopgate: $T/h100.yaml:9:71: unknown accelerator \`h100\`; did you mean \`nvidia-h100-sxm\` or \`nvidia-h100-pcie\`? $LIST" \
	"$FLOPGATE" estimate "$T/h100.yaml"
says "check says the same" \
	"flopgate: $T/h100.yaml:9:71: unknown accelerator \`h100\`; did you mean \`nvidia-h100-sxm\` or \`nvidia-h100-pcie\`? $LIST" \
	"$FLOPGATE" check --no-record "$T/h100.yaml"
run_file "$T/a100.yaml" "{$HW, accelerator: a100}"
says "accelerator a100: the two A100s" \
	"flopgate: $T/a100.yaml:9:71: unknown accelerator \`a100\`; did you mean \`nvidia-a100-sxm\` or \`nvidia-a100-pcie\`? $LIST" \
	"$FLOPGATE" estimate "$T/a100.yaml"
run_file "$T/tpu.yaml" "{$HW, accelerator: tpu v5p}"
says "accelerator 'tpu v5p': google-tpu-v5p" \
	"flopgate: $T/tpu.yaml:9:71: unknown accelerator \`tpu v5p\`; did you mean \`google-tpu-v5p\`? $LIST" \
	"$FLOPGATE" estimate "$T/tpu.yaml"
run_file "$T/v5p.yaml" "{$HW, accelerator: v5p}"
says "accelerator v5p: google-tpu-v5p" \
	"flopgate: $T/v5p.yaml:9:71: unknown accelerator \`v5p\`; did you mean \`google-tpu-v5p\`? $LIST" \
	"$FLOPGATE" estimate "$T/v5p.yaml"
run_file "$T/sxm5.yaml" "{$HW, accelerator: H100 SXM5}"
says "accelerator by its datasheet name" \
	"flopgate: $T/sxm5.yaml:9:71: unknown accelerator \`H100 SXM5\`; did you mean \`nvidia-h100-sxm\`? $LIST" \
	"$FLOPGATE" estimate "$T/sxm5.yaml"
run_file "$T/h300.yaml" "{$HW, accelerator: h300}"
says "no chip with another number is offered" \
	"flopgate: $T/h300.yaml:9:71: unknown accelerator \`h300\` $LIST" \
	"$FLOPGATE" estimate "$T/h300.yaml"

# --- waivers ---------------------------------------------------------------------
RUN=tests/fixtures/check/small.yaml
waiver() { # FILE KEY-LINES...
	_f=$1
	shift
	{
		echo "waivers:"
		echo "  - rule: eu.gpai.systemic-risk"
		echo "    run: small-eu"
		echo "    reason: accepted by the board"
		for _l in "$@"; do echo "    $_l"; done
	} >"$_f"
}
waiver "$T/approver.yaml" "approver: Jane Doe" "expires: 2026-12-31"
says "waiver approver: approved_by (no hint before)" \
	"flopgate: $T/approver.yaml:5:5: unknown key \`approver\` in \`waiver\`; did you mean \`approved_by\`?" \
	"$FLOPGATE" check --no-record --waivers "$T/approver.yaml" "$RUN"
waiver "$T/expiry.yaml" "approved_by: Jane Doe" "expiry: 2026-12-31"
says "waiver expiry: expires" \
	"flopgate: $T/expiry.yaml:6:5: unknown key \`expiry\` in \`waiver\`; did you mean \`expires\`?" \
	"$FLOPGATE" check --no-record --waivers "$T/expiry.yaml" "$RUN"
sed 's/rule: eu.gpai.systemic-risk/rule: systemic-risk/' "$T/expiry.yaml" |
	sed 's/expiry:/expires:/' >"$T/rule.yaml"
says "waiver rule by the end of its id" \
	"flopgate: $T/rule.yaml:2:5: waiver names rule \`systemic-risk\`, which no loaded ruleset has; did you mean \`eu.gpai.systemic-risk\`?" \
	"$FLOPGATE" check --no-record --waivers "$T/rule.yaml" "$RUN"

# --- run files: keys, kinds, methods, precisions, jurisdictions, attributes -------
run_file "$T/params.yaml" \
	"{method: architecture, params: 7e9, tokens: 1e12}"
says "run key params: parameters" \
	"flopgate: $T/params.yaml:9:34: unknown key \`params\` in \`architecture estimate\`; did you mean \`parameters\`?" \
	"$FLOPGATE" estimate "$T/params.yaml"
run_file "$T/gpus.yaml" \
	"{method: hardware, accelerator: nvidia-h100-sxm, gpus: 8, duration: 1d}"
says "run key gpus: count" \
	"flopgate: $T/gpus.yaml:9:60: unknown key \`gpus\` in \`hardware estimate\`; did you mean \`count\`?" \
	"$FLOPGATE" estimate "$T/gpus.yaml"
run_file "$T/sft.yaml" "$ARCH" sft
says "phase kind sft: fine_tuning" \
	"flopgate: $T/sft.yaml:7:13: unknown phase kind \`sft\`; did you mean \`fine_tuning\`? (one of pretraining, continued_pretraining, fine_tuning, rl, synthetic_data, distillation, other)" \
	"$FLOPGATE" estimate "$T/sft.yaml"
run_file "$T/pre.yaml" "$ARCH" pre-training
says "phase kind pre-training: pretraining" \
	"flopgate: $T/pre.yaml:7:13: unknown phase kind \`pre-training\`; did you mean \`pretraining\`? (one of pretraining, continued_pretraining, fine_tuning, rl, synthetic_data, distillation, other)" \
	"$FLOPGATE" estimate "$T/pre.yaml"
run_file "$T/arch.yaml" "{method: arch, parameters: 7e9, tokens: 1e12}"
says "method arch: architecture" \
	"flopgate: $T/arch.yaml:9:20: unknown method \`arch\`; did you mean \`architecture\`? (one of measured, declared, architecture, hardware)" \
	"$FLOPGATE" estimate "$T/arch.yaml"
run_file "$T/prec.yaml" \
	"{method: hardware, accelerator: nvidia-h100-sxm, count: 8, duration: 1d, precision: bfloat16}"
says "precision bfloat16: bf16" \
	"flopgate: $T/prec.yaml:9:95: unknown precision \`bfloat16\`; did you mean \`bf16\`? (one of fp64, tf32, bf16, fp16, fp8, int8)" \
	"$FLOPGATE" estimate "$T/prec.yaml"
run_file "$T/germany.yaml" "$ARCH" pretraining "EU, Germany"
says "jurisdiction Germany: DE" \
	"flopgate: $T/germany.yaml:3:23: jurisdiction \`Germany\` is not a valid code; did you mean \`DE\` (Germany)? (ISO 3166-1 alpha-2, EU, or US- and a state)" \
	"$FLOPGATE" estimate "$T/germany.yaml"
run_file "$T/korea.yaml" "$ARCH" pretraining "Korea"
says "jurisdiction Korea: both Koreas" \
	"flopgate: $T/korea.yaml:3:19: jurisdiction \`Korea\` is not a valid code; did you mean \`KR\` (Korea, Republic of) or \`KP\` (Korea, Democratic People's Republic of)? (ISO 3166-1 alpha-2, EU, or US- and a state)" \
	"$FLOPGATE" estimate "$T/korea.yaml"
READS="general_purpose, generative, modalities, open_weights, open_source_licence, state_of_the_art, fundamental_rights_risk, primary_data_domain"
run_file "$T/seq.yaml" "$ARCH" pretraining EU "modalities: [sequence]"
says "attribute value sequence: both kinds of sequence" \
	"flopgate: $T/seq.yaml:4:29: unknown value \`sequence\` of attribute \`modalities\`; did you mean \`protein_sequence\` or \`genomic_sequence\`? (one of text, code, audio, speech, image, video, music, 3d, tabular, time_series, weather, geospatial, protein_sequence, genomic_sequence, molecular_structure, robot_actions, other)" \
	"$FLOPGATE" estimate "$T/seq.yaml"
run_file "$T/weights.yaml" "$ARCH" pretraining EU "weights: true"
says "attribute weights: open_weights" \
	"flopgate: $T/weights.yaml:4:16: unknown attribute \`weights\`; did you mean \`open_weights\`? (the loaded rulesets read: $READS; prefix your own information with \`x-\`)" \
	"$FLOPGATE" estimate "$T/weights.yaml"

# --- rulesets -----------------------------------------------------------------------
cat >"$T/rules.yaml" <<'EOF'
ruleset:
  id: hint-rules
  title: Hints
  jurisdiction: EU
  version: "1"
  source: https://example.org
rules:
  - id: hint.line
    title: A line
    citation: Art. 1
    effective: {from: 2025-01-01}
    applies_to: {jurisdictions: [Europe]}
    when: {metric: training_compute, op: ">", value: 1e25, counts: [sft]}
    severity: blocking
    obligations:
      - id: hint.notify
        text: Notify
        citation: Art. 2
        deadline: {days: 14, after: threshold_met_or_foreseen}
EOF
run "$FLOPGATE" rules lint "$T/rules.yaml"
cat >"$T/want" <<EOF
flopgate: $T/rules.yaml:12:34: \`Europe\` is not a jurisdiction code (ISO 3166-1 alpha-2, EU, or US- and a state); did you mean \`EU\`?
flopgate: $T/rules.yaml:13:20: unknown metric \`training_compute\`; did you mean \`training_compute_flop\`?
flopgate: $T/rules.yaml:13:69: unknown phase kind \`sft\` in \`counts\`; did you mean \`fine_tuning\`?
flopgate: $T/rules.yaml:19:9: unknown key \`deadline\` in \`obligation\`; did you mean \`due\`?
EOF
# (lint goes on to say what else the file lacks; the hints are the point)
grep "did you mean" "$T/err" >"$T/hints"
if [ "$RC" -eq 2 ] && cmp -s "$T/want" "$T/hints"; then
	ok "rules lint: jurisdiction, metric, phase kind and key hints"
else
	notok "rules lint: jurisdiction, metric, phase kind and key hints" \
		"exit $RC" "$(diff "$T/want" "$T/hints" | head -n 12)"
fi
