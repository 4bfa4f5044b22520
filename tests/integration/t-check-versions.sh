#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check's version rules on an enrolled branch whose state records
# v1 as sent (its base and tip): resend-only-unmodified compares a series
# tagged RESEND with v1's commits by git patch-id (a reworded changelog is
# the same patch, a changed line is not); reroll-version-tag warns when
# --force-revision goes back to a version sent; cover-letter-lore-links
# advises when v1 is neither linked from the cover text nor recorded with
# a message-id (prep --cover would have to search lore for it).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/vmx/good-series
git checkout -q "$b"
next=$(sha refs/remotes/kvm-x86/next)
v1=$(sha HEAD)
run_kvmx86 prep --enroll
expect_exit 0
f=$(state_file "$b")
# v1 sent from here: the state as kvmx86 send leaves it (revision 2)
jq --arg base "$next" --arg tip "$v1" '.revision = 2 | .sent = [{
	revision: 1, date: "2023-03-01T12:00:00Z",
	cover_msgid: "20230301120000.1-1-casey@example.com",
	msgids: ["20230301120000.1-1-casey@example.com"],
	to: [], cc: [], base: $base, tip: $tip }]' "$f" >"$T/state" &&
	cp "$T/state" "$f" || fail "cannot edit the state"

# findings RULE: the findings of RULE, "severity message", one a line.
findings() {
	jq -r --arg r "$1" '.findings[] | select(.rule == $r) | "\(.severity) \(.message)"' <"$OUT"
}

note "v2 prepared after v1: no finding"
run_kvmx86 prep --check --json
expect_exit 0
[ -z "$(findings reroll-version-tag)$(findings resend-only-unmodified)" ] ||
	fail "findings: $(findings reroll-version-tag) $(findings resend-only-unmodified)"

note "RESEND of v1 unchanged, then with a reworded changelog: no finding"
run_kvmx86 prep --set-prefixes RESEND
expect_exit 0
run_kvmx86 prep --check --json
[ -z "$(findings resend-only-unmodified)" ] || fail "findings: $(findings resend-only-unmodified)"
git commit -q --amend -m "$(git log -1 --format=%B HEAD | sed '1!s/the selftest/the KVM selftest/')"
[ "$(sha HEAD)" != "$v1" ] || fail "the amend changed nothing"
run_kvmx86 prep --check --json
[ -z "$(findings resend-only-unmodified)" ] || fail "findings: $(findings resend-only-unmodified)"

note "RESEND with a changed line: a warning naming the patch"
subject=$(git log -1 --format=%s HEAD)
file=$(git diff-tree --no-commit-id --name-only -r HEAD | head -n 1)
echo "/* changed after v1 */" >>"$file"
git add -A
git commit -q --amend --no-edit
run_kvmx86 prep --check --json
expect_exit 0
[ "$(findings resend-only-unmodified)" = "warning the series is tagged RESEND, but patch 3 ('$subject') is not in v1 as sent; 1 patch of v1 is not in the series (compared by git patch-id): RESEND is only for a series sent again unmodified; drop it (kvmx86 prep --set-prefixes) and send the changes as v2" ] ||
	fail "findings: '$(findings resend-only-unmodified)'"
run_kvmx86 prep --check
expect_stdout_contains "series warning resend-only-unmodified: the series is tagged RESEND, but patch 3"

note "without RESEND: none"
run_kvmx86 prep --set-prefixes ""
expect_exit 0
run_kvmx86 prep --check --json
[ -z "$(findings resend-only-unmodified)" ] || fail "findings: $(findings resend-only-unmodified)"

note "v1's commits not recorded: a note, not a finding"
jq 'del(.sent[0].base, .sent[0].tip) | .prefixes = ["RESEND"]' "$f" >"$T/state" &&
	cp "$T/state" "$f" || fail "cannot edit the state"
run_kvmx86 prep --check --json
[ -z "$(findings resend-only-unmodified)" ] || fail "findings: $(findings resend-only-unmodified)"
expect_json_true '.notes | any(contains("the commits of v1 as sent are not known here"))' \
	"a note says RESEND was not checked"
jq '.prefixes = []' "$f" >"$T/state" && cp "$T/state" "$f" || fail "cannot edit the state"

note "--force-revision 1 after v1 was sent: reroll-version-tag"
run_kvmx86 prep --force-revision 1
expect_exit 0
run_kvmx86 prep --check --json
expect_exit 0
[ "$(findings reroll-version-tag)" = "warning v1 is being prepared, but v1 was sent already: a new version is v2 (kvmx86 prep --force-revision 2); to send v1 again unchanged, kvmx86 send --resend v1" ] ||
	fail "findings: '$(findings reroll-version-tag)'"
git config kvmx86.rule.reroll-version-tag error
run_kvmx86 prep --check
expect_exit 1
expect_stdout_contains "series error reroll-version-tag: v1 is being prepared"
git config --unset kvmx86.rule.reroll-version-tag
run_kvmx86 prep --force-revision 2
expect_exit 0
run_kvmx86 prep --check --json
[ -z "$(findings reroll-version-tag)" ] || fail "findings: $(findings reroll-version-tag)"

note "v2's cover letter: v1's message-id recorded, prep --cover links it"
run_kvmx86 prep --check --json
[ -z "$(findings cover-letter-lore-links)" ] || fail "findings: $(findings cover-letter-lore-links)"
run_kvmx86 prep --cover --offline
expect_exit 0
expect_stdout_contains "v1: https://lore.kernel.org/"

note "v1 sent elsewhere (no message-id recorded): advice, unless the text links it"
jq 'del(.sent[0].cover_msgid) | .sent[0].msgids = []' "$f" >"$T/state" &&
	cp "$T/state" "$f" || fail "cannot edit the state"
run_kvmx86 prep --check --json
expect_exit 0
[ "$(findings cover-letter-lore-links)" = "advice cover letter does not link v1, and no message-id of it is recorded: add 'v1: https://lore.kernel.org/all/<message-id>/' to it (kvmx86 prep --edit-cover); else prep --cover and send search lore, and leave EDITME where they find nothing" ] ||
	fail "findings: '$(findings cover-letter-lore-links)'"
run_kvmx86 prep --cover --offline
expect_stdout_contains "v1: EDITME"
jq '.cover.body += "\n\nv1: https://lore.kernel.org/all/20230301120000.1-1-casey@example.com/"' \
	"$f" >"$T/state" && cp "$T/state" "$f" || fail "cannot edit the state"
run_kvmx86 prep --check --json
[ -z "$(findings cover-letter-lore-links)" ] || fail "findings: $(findings cover-letter-lore-links)"
run_kvmx86 prep --cover --offline
expect_stdout_contains "v1: https://lore.kernel.org/all/20230301120000.1-1-casey@example.com/"
