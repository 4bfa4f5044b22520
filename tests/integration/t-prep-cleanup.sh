#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --cleanup [--force] [REV]: refuses (exit 1, nothing changed) while
# unsent work exists; otherwise (or with --force) moves the state to
# <git-common-dir>/kvmx86/archive/<file>-<YYYYmmddTHHMMSS>.json and deletes
# the branch's sent tags; never deletes the branch.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
archive="$(git rev-parse --path-format=absolute --git-common-dir)/kvmx86/archive"
stamp_re='[0-9]{8}T[0-9]{6}'

# expect_archived BRANCH SAVED-STATE: the state file is gone, and exactly
# one new archive file holds SAVED-STATE's content.
expect_archived() {
	local name base f
	expect_no_state "$1"
	name=$(state_name "$1")
	base=${name%.json}
	[ -d "$archive" ] || fail "no $archive"
	ls "$archive" | grep -E "^$(printf '%s' "$base" | sed 's/[.]/\\&/g')(\\.json)?-$stamp_re\\.json\$" \
		>"$T/archived" || fail "no archive of $1 in $archive: $(ls "$archive")"
	[ "$(wc -l <"$T/archived")" = 1 ] || fail "several archives of $1"
	f="$archive/$(cat "$T/archived")"
	jq -S . "$f" >"$T/a1" || fail "the archive $f is not JSON"
	jq -S . "$2" >"$T/a2"
	diff -u "$T/a2" "$T/a1" || fail "the archive of $1 is not its state"
	local stamp
	stamp=$(grep -oE "$stamp_re" "$T/archived" | tail -n1)
	[ "${stamp:0:8}" = "$(date -u +%Y%m%d)" ] || [ "${stamp:0:8}" = "$(date +%Y%m%d)" ] ||
		fail "archive stamp $stamp is not today"
}

note "unsent work (commits, nothing sent): refused with exit 1, nothing changed"
b=x86/vmx/good-series
git checkout -q "$b"
run_kvmx86 prep --enroll
expect_exit 0
sf=$(state_file "$b")
cp "$sf" "$T/state.1"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --cleanup
expect_exit 1
expect_stderr_nonempty
expect_same_file "$sf" "$T/state.1" "refused --cleanup"
expect_refs_unchanged "$T/refs.before" "refused --cleanup"
[ ! -e "$archive" ] || [ -z "$(ls -A "$archive")" ] || fail "refused --cleanup archived something"

note "--force: archived, branch kept"
run_kvmx86 prep --cleanup --force
expect_exit 0
expect_archived "$b" "$T/state.1"
expect_refs_unchanged "$T/refs.before" "--cleanup --force (no tags)"
[ "$(git symbolic-ref HEAD)" = "refs/heads/$b" ] || fail "HEAD moved"
run_kvmx86 prep --show-info
expect_fatal "kvmx86 prep --enroll"

note "after a cleanup the branch can be enrolled again"
run_kvmx86 prep --enroll
expect_exit 0
expect_state_exists "$b"

note "an empty series (prep -n, no commits) has no unsent work"
git checkout -q master
run_kvmx86 prep -n empty
expect_exit 0
read_state x86/misc/empty
cp "$OUT" "$T/empty.json"
run_kvmx86 prep --cleanup
expect_exit 0
expect_archived x86/misc/empty "$T/empty.json"
[ "$(sha x86/misc/empty)" = "$next" ] || fail "x86/misc/empty was deleted or moved"

note "REV, from another branch; the file name is escaped in the archive too"
git checkout -q master
git branch --no-track "x86/misc/100%-done" "$b"
# (check-base refuses names unsafe to paste into a shell: --base)
run_kvmx86 prep --enroll "x86/misc/100%-done" --base "$next"
expect_exit 0
read_state "x86/misc/100%-done"
cp "$OUT" "$T/pct.json"
run_kvmx86 prep --cleanup --force "x86/misc/100%-done"
expect_exit 0
expect_archived "x86/misc/100%-done" "$T/pct.json"
grep -q '^x86%2Fmisc%2F100%25-done' "$T/archived" || fail "archive name not escaped: $(cat "$T/archived")"
[ "$(sha "x86/misc/100%-done")" = "$(sha "$b")" ] || fail "the branch was deleted or moved"

note "sent tags: deleted by the cleanup, other tags kept"
# A series b4 sent twice (state written by hand as b4 0.12 does, tags too).
b2=x86/vmx/sent-series
git checkout -q --no-track -b "$b2" "$b"
make_sent_tag "$b2" 1 "$next" "$next~0" >/dev/null  # an empty v1, not this tip
make_sent_tag "$b2" 2 "$next" HEAD >/dev/null
b4_desc_state "$b2" 3 1 2 >/dev/null
git tag -a -m "unrelated" "sent/other-v1" "$next"
run_kvmx86 prep --enroll
expect_exit 0
read_state "$b2"
expect_json '.sent | length' 2
expect_json '[.sent[].tag] | sort | join(" ")' "sent/$b2-v1 sent/$b2-v2"
cp "$OUT" "$T/sent.json"

note "the tip as sent in v2 (the copy) is not this branch's tip: unsent work, refused"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --cleanup
expect_exit 1
expect_refs_unchanged "$T/refs.before" "refused --cleanup with tags"
expect_same_file "$(state_file "$b2")" "$T/sent.json" "refused --cleanup with tags"

run_kvmx86 prep --cleanup --force
expect_exit 0
expect_archived "$b2" "$T/sent.json"
! git rev-parse -q --verify "refs/tags/sent/$b2-v1" >/dev/null || fail "sent/$b2-v1 not deleted"
! git rev-parse -q --verify "refs/tags/sent/$b2-v2" >/dev/null || fail "sent/$b2-v2 not deleted"
git rev-parse -q --verify refs/tags/sent/other-v1 >/dev/null || fail "sent/other-v1 was deleted"
grep -v -e " refs/tags/sent/$b2-v[12]\$" "$T/refs.before" >"$T/refs.expected"
expect_refs_unchanged "$T/refs.expected" "--cleanup --force with tags"

note "a series whose tip is the tip a sent version recorded: no --force needed"
b3=x86/vmx/sent-tip
git checkout -q --no-track -b "$b3" "$b"
git tag -a -F - "sent/$b3-v1" HEAD <<EOF
KVM: VMX: Sent as is

Words.

---
base-commit: $next
change-id: 20230101-sent-tip-0123456789ab

Best regards,
EOF
b4_desc_state "$b3" 2 1 >/dev/null
run_kvmx86 prep --enroll
expect_exit 0
read_state "$b3"
expect_json '.sent[0].tip' "$(sha HEAD)"
cp "$OUT" "$T/b3.json"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --cleanup
expect_exit 0
expect_archived "$b3" "$T/b3.json"
! git rev-parse -q --verify "refs/tags/sent/$b3-v1" >/dev/null || fail "sent/$b3-v1 not deleted"
grep -v -e " refs/tags/sent/$b3-v1\$" "$T/refs.before" >"$T/refs.expected"
expect_refs_unchanged "$T/refs.expected" "--cleanup of a sent series"
[ "$(git symbolic-ref HEAD)" = "refs/heads/$b3" ] || fail "HEAD moved"

note "sent, then the tip reworded: the count is of the commits no sent version has"
b4=x86/vmx/sent-reword
git checkout -q --no-track -b "$b4" "$next"
x86_commit 41
x86_commit 42
x86_commit 43
git tag -a -F - "sent/$b4-v1" HEAD <<EOF
KVM: VMX: Sent, then reworded

Words.

---
base-commit: $next
change-id: 20230101-sent-reword-0123456789ab
EOF
git commit -q --amend -m "KVM: x86: Add helper number 43, reworded" -m "Why."
run_kvmx86 prep --enroll --base "$next"
expect_exit 0
run_kvmx86 prep --cleanup
expect_exit 1
expect_stderr_contains "$b4 has 1 commit that no sent version holds"
git checkout -q "$b3"

note "a branch that is not enrolled: 128"
run_kvmx86 prep --cleanup
expect_fatal
run_kvmx86 prep --cleanup --force
expect_fatal
