# SPDX-License-Identifier: Apache-2.0
# Joins each finding of a `check --format json` document with its rule's
# static facts, which the document gives once under rulesets[].rules[]
# (include/flopgate/result.h), and drops the rules: the shape every finding
# had before the facts moved there (tests/fixtures/golden/*.json).
def facts:
	reduce (.rulesets[]? | . as $rs | .rules[]? | . + {ruleset: $rs.id})
		as $r ({}; .[$r.id] = $r);
def join($f; $run):
	($f[.rule]) as $r
	| if $r == null then . else
		. + ($r | {ruleset, title, citation, jurisdiction, applies_to,
			   severity, near, effective_from, effective_until})
		| .transition = (if .transition == true then
			{citation: $r.transition.citation,
			 placed_on_market: $run.dates.placed_on_market,
			 placed_before: $r.transition.placed_before,
			 comply_by: $r.transition.comply_by}
		  else null end)
		| .obligations |= map(. as $o
			| ([$r.obligations[] | select(.id == $o.id)][0] // {})
				as $ro
			| $o + ($ro | {text, citation, days, after, not_before,
				      condition})
			| .transition = (if $o.transition == true
				then $r.transition.citation else null end)
			# what an obligation owed nothing leaves implied
			| if $o | has("owed") then . else
				. + {owed: null, owed_reason: null,
				     overdue: false} end)
	end;
facts as $f
| .rulesets |= map(del(.rules))
| .runs |= map(. as $run
	| if .findings then .findings |= map(join($f; $run)) else . end)
