#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --enroll --drop-b4-cover: b4's empty cover commit is removed, the
# commits above it re-created on its parent (new ids; same trees, messages
# and authors), the old tip kept under refs/kvmx86/backup/<branch>/<n> and in
# the branch's reflog; the cover text is still imported.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
need_b4
next=$(sha refs/remotes/kvm-x86/next)

# b4_branch NAME: a b4 (commit strategy) series of the 3 good-series commits,
# checked out.
b4_branch() {
	git checkout -q --no-track -b "$1" x86/vmx/good-series
	b4_run prep -e kvm-x86/next
	printf '%s\n' "KVM: VMX: Cover of $1" "" "Words about $1." >"$T/cover.txt"
	EDITOR=$(b4_cover_editor "$T/cover.txt") b4_run prep --edit-cover
	git log -1 --format=%B HEAD~3 | grep -qx -e '--- b4-submit-tracking ---' ||
		fail "b4 made no cover commit"
}

# commit_facts RANGE: tree, author, author date, committer... of each commit.
commit_facts() {
	git log --reverse --format='%T%n%an <%ae> %ad%n%B%n--' --date=raw "$1"
}

# expect_dropped BRANCH OLD-TIP OLD-COVER BACKUP-REF
expect_dropped() {
	local b=$1 old=$2 cover=$3 backup=$4
	[ "$(git rev-parse "$b~3")" = "$next" ] ||
		fail "$b: the 3 patches are not on next (cover commit still there?)"
	[ "$(git rev-list --count "$next..$b")" = 3 ] || fail "$b: not 3 commits on next"
	! git log --format=%B "$next..$b" | grep -qF -e '--- b4-submit-tracking ---' ||
		fail "$b: a commit still has b4's tracking"
	! git merge-base --is-ancestor "$cover" "$b" || fail "$b: the cover commit is still in it"
	commit_facts "$cover..$old" >"$T/facts.old"
	commit_facts "$next..$b" >"$T/facts.new"
	diff -u "$T/facts.old" "$T/facts.new" ||
		fail "$b: trees, authors or messages changed"
	[ "$(git rev-parse "$b^{tree}")" = "$(git rev-parse "$old^{tree}")" ] ||
		fail "$b: the tip tree changed"
	local c
	for c in $(git rev-list "$next..$b"); do
		! git merge-base --is-ancestor "$c" "$old" ||
			fail "$b: commit $c was not re-created"
	done
	[ "$(git rev-parse -q --verify "$backup")" = "$old" ] ||
		fail "$backup is not the old tip $old"
	# the newest reflog entry: "<old> <new> <who> <when>\t<message>"
	local log
	log=$(git rev-parse --git-path "logs/refs/heads/$b")
	[ -f "$log" ] || fail "$b: no reflog"
	tail -n1 "$log" | cut -d' ' -f1-2 >"$T/reflog.last"
	[ "$(cat "$T/reflog.last")" = "$old $(git rev-parse "$b")" ] ||
		fail "$b: the newest reflog entry is not '<old tip> <new tip>': $(tail -n1 "$log")"
	git reflog show --format=%H "refs/heads/$b" | head -n1 | grep -qx "$(git rev-parse "$b")" ||
		fail "$b: git reflog does not show the new tip first"
}

note "b4 series, checked out"
b=x86/vmx/b4-drop
b4_branch "$b"
old=$(sha HEAD)
cover=$(sha HEAD~3)
change_id=$(b4_tracking_json "$cover" | jq -r '.series["change-id"]')
refs_snapshot "$T/refs.before"

run_kvmx86 prep --enroll --drop-b4-cover
expect_exit 0
expect_dropped "$b" "$old" "$cover" "refs/kvmx86/backup/$b/1"
[ "$(git symbolic-ref HEAD)" = "refs/heads/$b" ] || fail "the branch is no longer checked out"
[ "$(sha HEAD)" = "$(sha "$b")" ] || fail "HEAD is not the new tip"
[ -z "$(git status --porcelain)" ] || fail "the work tree or index changed"

note "no other ref moved"
refs_snapshot "$T/refs.after"
grep -v -e " refs/heads/$b\$" -e " refs/kvmx86/backup/" -e '^HEAD ' "$T/refs.before" >"$T/r1"
grep -v -e " refs/heads/$b\$" -e " refs/kvmx86/backup/" -e '^HEAD ' "$T/refs.after" >"$T/r2"
diff -u "$T/r1" "$T/r2" || fail "--drop-b4-cover moved other refs"
[ "$(git for-each-ref --format=x refs/kvmx86/ | wc -l)" = 1 ] ||
	fail "more than one ref under refs/kvmx86/"

note "the state: the cover is imported, no cover commit recorded"
read_state "$b"
expect_json .imported_from b4
expect_json .b4_cover_commit null
expect_json .change_id "$change_id"
expect_json .cover.subject "KVM: VMX: Cover of $b"
expect_json .last_tip "$(sha "$b")"
expect_json .base.commit "$next"

run_kvmx86 prep --show-info
expect_exit 0
expect_info start-commit "$(sha "$b~2")"
expect_info end-commit "$(sha "$b")"
expect_info series-range "$next..$(sha "$b")"

run_kvmx86 check-base --json
expect_exit 0
expect_json '.commits | length' 3
expect_json .verdict ok

note "not checked out, and backup 1 already taken: backup 2"
git checkout -q master
b4_branch x86/vmx/b4-drop2
b2=x86/vmx/b4-drop2
old2=$(sha HEAD)
cover2=$(sha HEAD~3)
git checkout -q master
git update-ref "refs/kvmx86/backup/$b2/1" "$next"
run_kvmx86 prep --enroll "$b2" --drop-b4-cover
expect_exit 0
expect_dropped "$b2" "$old2" "$cover2" "refs/kvmx86/backup/$b2/2"
[ "$(git rev-parse "refs/kvmx86/backup/$b2/1")" = "$next" ] ||
	fail "the existing backup ref was overwritten"
[ "$(git symbolic-ref HEAD)" = refs/heads/master ] || fail "HEAD moved"
[ -z "$(git status --porcelain)" ] || fail "the work tree changed"
read_state "$b2"
expect_json .b4_cover_commit null
expect_json .cover.subject "KVM: VMX: Cover of $b2"
