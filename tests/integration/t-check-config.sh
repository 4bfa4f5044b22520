#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check and kvmx86.rule.<id> = off|advice|warning|error: a rule
# turned off reports nothing, a severity changes the finding's and the exit
# status; unknown ids and bad values are reported as config warnings.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
bad=x86/misc/bad-style

# A commit whose only error is its lowercase prefix.
new_branch x86/misc/lower "$next"
commit_append arch/x86/kvm/x86.c "kvm: x86: Add a helper to query the local APIC mode" \
<<'EOC'

static bool kvm_vcpu_apic_is_x2apic(struct kvm_vcpu *vcpu)
{
	return kvm_get_apic_mode(vcpu) == LAPIC_MODE_X2APIC;
}
EOC
git commit -q --amend --no-verify -m "kvm: x86: Add a helper to query the local APIC mode" \
	-m "Callers open-code the comparison of the APIC mode with x2APIC; give it a name." \
	-m "Signed-off-by: $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL>"
lower=$(sha HEAD)
git checkout -q master

# count RULE [SEVERITY]: the findings of RULE (of SEVERITY) in --json's stdout
count() {
	jq --arg r "$1" --arg s "${2:-}" \
		'[.findings[] | select(.rule == $r and ($s == "" or .severity == $s))] | length' "$OUT"
}

note "defaults: one error, shortlog-case, exit 1"
run_kvmx86 prep --check --json x86/misc/lower
expect_exit 1
expect_json '[.commits[].id] | join(" ")' "$lower"
expect_json '[.findings[] | select(.severity == "error") | .rule] | join(" ")' shortlog-case
expect_json '.summary.errors' 1
run_kvmx86 prep --check --json "$bad"
expect_exit 1
cp "$OUT" "$T/bad.default.json"
bad_errors=$(jq .summary.errors "$T/bad.default.json")
[ "$(count shortlog-case error)" = 1 ] || fail "bad-style: not one shortlog-case error"

note "kvmx86.rule.shortlog-case=off: no shortlog-case finding, exit 0"
git config kvmx86.rule.shortlog-case off
run_kvmx86 prep --check --json x86/misc/lower
expect_exit 0 "shortlog-case=off"
[ "$(count shortlog-case)" = 0 ] || fail "shortlog-case=off still reports it"
expect_json '.summary.errors' 0
expect_json_true '[.findings[] | select(.rule == "config")] | length == 0' "no config warning for a valid setting"
run_kvmx86 prep --check x86/misc/lower
expect_exit 0
expect_stdout_lacks " shortlog-case: "
expect_stdout_matches '^0 errors, '
run_kvmx86 prep --check --json "$bad"
expect_exit 1
[ "$(count shortlog-case)" = 0 ] || fail "bad-style: shortlog-case=off still reports it"
expect_json .summary.errors $((bad_errors - 1))
# nothing else changed
jq -S '[.findings[] | select(.rule != "shortlog-case")]' "$T/bad.default.json" >"$T/a"
jq -S '.findings' "$OUT" >"$T/b"
diff -u "$T/a" "$T/b" >&2 || fail "shortlog-case=off changed other findings (diff above)"

note "=advice: the finding is advice, exit 0"
git config kvmx86.rule.shortlog-case advice
run_kvmx86 prep --check --json x86/misc/lower
expect_exit 0 "shortlog-case=advice"
[ "$(count shortlog-case advice)" = 1 ] || fail "shortlog-case=advice: not one advice finding"
[ "$(count shortlog-case)" = 1 ] || fail "shortlog-case=advice: other findings"
expect_json '.summary.errors' 0
run_kvmx86 prep --check x86/misc/lower
expect_exit 0
expect_stdout_matches "^$(short "$lower") advice shortlog-case: "
expect_stdout_matches '^0 errors, [0-9]+ warnings?, [1-9][0-9]* advice$'

note "=warning: a warning, exit 0"
git config kvmx86.rule.shortlog-case warning
run_kvmx86 prep --check --json x86/misc/lower
expect_exit 0 "shortlog-case=warning"
[ "$(count shortlog-case warning)" = 1 ] || fail "shortlog-case=warning: not one warning"
git config --unset kvmx86.rule.shortlog-case

note "=error on a warning rule: exit 1"
git config kvmx86.rule.shortlog-capitalize error
run_kvmx86 prep --check --json "$bad"
expect_exit 1
[ "$(count shortlog-capitalize error)" = 1 ] || fail "shortlog-capitalize=error: not an error"
[ "$(count shortlog-capitalize warning)" = 0 ] || fail "shortlog-capitalize=error: still a warning"
expect_json .summary.errors $((bad_errors + 1))
git config --unset kvmx86.rule.shortlog-capitalize

note "every error rule of bad-style down to advice: exit 0"
for r in $(jq -r '[.findings[] | select(.severity == "error") | .rule] | unique | .[]' "$T/bad.default.json"); do
	git config "kvmx86.rule.$r" advice
done
run_kvmx86 prep --check --json "$bad"
expect_exit 0 "no error left"
expect_json .summary.errors 0
# every finding of those rules is advice now, whatever its default severity
expect_json .summary.advice "$(jq '([.findings[] | select(.severity == "error") | .rule] | unique) as $r |
	[.findings[] | select(.severity == "advice" or (.rule | IN($r[])))] | length' "$T/bad.default.json")"
expect_json_true '[.findings[] | select(.severity == "warning" and .rule == "no-sdm-section-numbers")] | length == 0' \
	"no-sdm-section-numbers=advice also covers its changelog warning"
run_kvmx86 prep --check "$bad"
expect_exit 0
git config --remove-section kvmx86.rule

note "the global configuration counts too"
git config --global kvmx86.rule.shortlog-case off
run_kvmx86 prep --check --json x86/misc/lower
expect_exit 0 "shortlog-case=off in ~/.gitconfig"
[ "$(count shortlog-case)" = 0 ] || fail "global shortlog-case=off ignored"
git config --global --unset kvmx86.rule.shortlog-case

note "an unknown rule id: a config warning, the rest as usual"
git config kvmx86.rule.no-such-rule error
run_kvmx86 prep --check --json x86/misc/lower
expect_exit 1 "an unknown id changes nothing"
[ "$(count config warning)" = 1 ] || fail "unknown id: not one config warning"
expect_json '.findings[] | select(.rule == "config") | .commit' null
expect_json_true '.findings[] | select(.rule == "config") | .message | contains("no-such-rule")' \
	"the config warning names the id"
[ "$(count shortlog-case error)" = 1 ] || fail "unknown id: shortlog-case changed"
run_kvmx86 prep --check x86/misc/lower
expect_exit 1
expect_stdout_matches '^series warning config: .*no-such-rule'
git config --unset kvmx86.rule.no-such-rule

note "a mistyped rule id names the one likely meant"
git config kvmx86.rule.shortlog-capitalise off
run_kvmx86 prep --check x86/misc/lower
expect_stdout_contains "unknown rule 'shortlog-capitalise' in kvmx86.rule.shortlog-capitalise: did you mean 'shortlog-capitalize'?"
git config --unset kvmx86.rule.shortlog-capitalise

note "a bad value: a config warning, the rule keeps its default"
git config kvmx86.rule.shortlog-case loud
run_kvmx86 prep --check --json x86/misc/lower
expect_exit 1 "a bad value changes nothing"
[ "$(count config warning)" = 1 ] || fail "bad value: not one config warning"
expect_json_true '.findings[] | select(.rule == "config") | .message | contains("loud")' \
	"the config warning quotes the value"
expect_json_true '.findings[] | select(.rule == "config") | .message | contains("shortlog-case")' \
	"the config warning names the rule"
[ "$(count shortlog-case error)" = 1 ] || fail "bad value: shortlog-case is not its default (error)"
run_kvmx86 prep --check x86/misc/lower
expect_exit 1
expect_stdout_matches '^series warning config: .*loud'
expect_stdout_matches '^[0-9]+ errors?, [1-9][0-9]* warnings?, '

note "both, and a valid one: two config warnings, the valid one applied"
git config kvmx86.rule.no-such-rule off
git config kvmx86.rule.signoff warning
run_kvmx86 prep --check --json "$bad"
[ "$(count config warning)" = 2 ] || fail "not two config warnings"
[ "$(count signoff warning)" = 1 ] || fail "signoff=warning not applied"
[ "$(count signoff error)" = 0 ] || fail "signoff=warning: still an error"
expect_json .summary.warnings "$(jq '[.findings[] | select(.severity == "warning")] | length' "$OUT")"

note "git -c (GIT_CONFIG_PARAMETERS) and GIT_CONFIG_COUNT count, above the files"
git config kvmx86.rule.shortlog-case warning
run_env GIT_CONFIG_PARAMETERS="'kvmx86.rule.shortlog-case'='off'" -- prep --check --json x86/misc/lower
expect_exit 0 "git -c turns the rule off over the file's warning"
[ "$(count shortlog-case error)" = 0 ] && [ "$(count shortlog-case warning)" = 0 ] ||
	fail "git -c did not count"
run_env GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=kvmx86.rule.shortlog-case GIT_CONFIG_VALUE_0=off -- \
	prep --check --json x86/misc/lower
expect_exit 0 "GIT_CONFIG_COUNT turns the rule off"
run_env GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=kvmx86.rule.shortlog-case GIT_CONFIG_VALUE_0=off -- \
	prep --check x86/misc/lower
expect_fatal "GIT_CONFIG_COUNT is 2, and a GIT_CONFIG_KEY_<n> is missing"
git config --unset kvmx86.rule.shortlog-case
