#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check with no KVM remote: the rules that need the trees are
# skipped with one line saying so, and the command still works: on a
# commit alone, a range, or an enrolled branch (its recorded base).
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
bad=x86/misc/bad-style
good=x86/vmx/good-series
git checkout -q "$bad"
run_kvmx86 prep --enroll
expect_exit 0
git checkout -q master

note "remove both KVM remotes (and their remote-tracking branches)"
git remote remove kvm-x86
git remote remove kvm
[ -z "$(git remote)" ] || fail "remotes left"
! git rev-parse -q --verify refs/remotes/kvm-x86/next >/dev/null || fail "kvm-x86/next left"
refs_snapshot "$T/refs.before"

# expect_skip_note: one line of advice says the base rules were skipped
# (the issue: "skipped with one advice line"), and why.
expect_skip_note() {
	[ "$(grep -c 'advice base-choice: the base was not checked' "$OUT")" = 1 ] ||
		fail "not one advice line saying the base was not checked"
	grep 'advice base-choice:' "$OUT" | grep -q 'KVM x86' ||
		fail "the advice line does not say why"
	expect_stdout_lacks "error base-choice"
	expect_stdout_lacks "warning base-choice"
}

note "a commit alone (not enrolled): checked by itself, exit 0 when clean"
clean=$(sha "$good~2")
run_kvmx86 prep --check "$clean"
expect_exit 0 "a clean commit without remotes"
expect_skip_note
grep -qxF "$(short "$clean") $(git log -1 --format=%s "$clean")" "$OUT" ||
	fail "no header for the commit"
[ "$(grep -cE '^[0-9a-f]{12} ' "$OUT")" -ge 1 ] || fail "no commit line"
! grep -E '^[0-9a-f]{12} ' "$OUT" | grep -qv "^$(short "$clean") " ||
	fail "another commit than $(short "$clean") is checked"
expect_stdout_matches '^0 errors, [0-9]+ warnings?, [0-9]+ advice$'
run_kvmx86 prep --check --json "$clean"
expect_exit 0
expect_json '[.commits[].id] | join(" ")' "$clean"
expect_json_true '[.findings[] | select(.rule == "base-choice" and .severity == "advice")] | length == 1' "one advice finding on the unchecked base"
expect_json_true '[.findings[] | select(.rule == "base-choice" and .severity != "advice")] | length == 0' "no base-choice"
expect_json .summary.errors 0

note "HEAD alone, checked out"
git checkout -q "$good"
run_kvmx86 prep --check --json
expect_exit 0 "good-series' tip alone"
expect_json '[.commits[].id] | join(" ")' "$(sha "$good")"
expect_json_true '[.findings[] | select(.severity == "error")] == []' "no error"
run_kvmx86 prep --check
expect_exit 0
expect_skip_note
git checkout -q master

note "a bad commit alone: its findings, exit 1"
run_kvmx86 prep --check --json "$(mf branch.$bad.tip)"
expect_exit 1
expect_json '.commits | length' 1
expect_json_true '[.findings[] | select(.rule == "signoff")] | length == 1' "signoff on patch 5"

note "a range: its commits, and the skip note"
fork=$(mf branch.$bad.fork)
[ "$fork" = "$next" ] || fail "bad sample repo"
run_kvmx86 prep --check --json "$fork..$(mf branch.$bad.tip)"
expect_exit 1
expect_json '[.commits[].id] | join(" ")' "$(git rev-list --reverse "$fork..$bad" | paste -sd' ')"
expect_json_true '[.findings[] | select(.rule == "base-choice" and .severity == "advice")] | length == 1' "one advice finding on the unchecked base"
expect_json_true '[.findings[] | select(.rule == "base-choice" and .severity != "advice")] | length == 0' "no base-choice"
run_kvmx86 prep --check "$fork..$good~1"
expect_exit 0
expect_skip_note
for c in $(git rev-list "$fork..$good~1"); do
	grep -qxF "$(short "$c") $(git log -1 --format=%s "$c")" "$OUT" ||
		fail "no header for $(short "$c")"
done

note "an enrolled branch: its recorded base, the whole series"
run_kvmx86 prep --check --json "$bad"
expect_exit 1
expect_json '[.commits[].id] | join(" ")' "$(git rev-list --reverse "$fork..$bad" | paste -sd' ')"
git checkout -q "$bad"
run_kvmx86 prep --check
expect_exit 1
expect_skip_note
[ "$(grep -cE '^[0-9a-f]{12} [^ ]+' "$OUT")" -ge 5 ] || fail "fewer than 5 lines of commits"
for c in $(git rev-list "$fork..$bad"); do
	grep -qxF "$(short "$c") $(git log -1 --format=%s "$c")" "$OUT" ||
		fail "no header for $(short "$c")"
done
git checkout -q master

note "nothing changed"
expect_refs_unchanged "$T/refs.before" "prep --check without remotes"
