#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The global check: no prep action but --drop-b4-cover changes any commit id
# (nor adds or removes a commit anywhere), whether it succeeds or fails; on
# plain branches, on branches b4 prepared with either strategy.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
need_b4
next=$(sha refs/remotes/kvm-x86/next)

# snap: refs, HEAD and every reachable commit (also from reflogs).
snap() {
	refs_snapshot "$T/snap.refs"
	git rev-list --all --reflog | LC_ALL=C sort >"$T/snap.commits"
}

# same [EXCEPT-REGEX...]: nothing changed since snap but the lines of
# refs_snapshot matching the EREs (refs added, removed or moved); the
# commits are the same set.
same() {
	local what=$LAST_CMD
	refs_snapshot "$T/now.refs"
	git rev-list --all --reflog | LC_ALL=C sort >"$T/now.commits"
	local a="$T/snap.refs" b="$T/now.refs" re
	for re; do
		grep -vE "$re" "$a" >"$a.f" || true
		grep -vE "$re" "$b" >"$b.f" || true
		a="$a.f" b="$b.f"
	done
	diff -u "$a" "$b" || fail "$what: refs changed (diff above)"
	# (deleting sent tags may leave their copies unreachable: no check then)
	[ $# -gt 0 ] ||
		diff -u "$T/snap.commits" "$T/now.commits" >/dev/null ||
		fail "$what: commits were added or lost"
}

# act [EXCEPT...] -- ARGS...: snap, run kvmx86 prep ARGS..., check same.
act() {
	local except=()
	while [ "$1" != -- ]; do except+=("$1"); shift; done
	shift
	snap
	run_env GIT_EDITOR="$T/editor" -- prep "$@"
	same "${except[@]}"
}
printf '%s\n' "KVM: VMX: A cover" "" "Words." >"$T/cover.txt"
make_editor "$T/editor" "$T/cover.txt"

note "a plain branch, every action"
git checkout -q master
act ' refs/heads/x86/misc/ids$' '^HEAD ' -- -n ids
expect_exit 0
commit_append arch/x86/kvm/x86.c "KVM: x86: A patch on ids" <<<'/* ids */'
git checkout -q --no-track -b x86/vmx/plain x86/vmx/good-series
make_sent_tag x86/vmx/plain 1 "$next" HEAD >/dev/null
b4_desc_state x86/vmx/plain 2 1 >/dev/null  # as b4 0.12 writes it
act -- --enroll; expect_exit 0
act -- --enroll  # (its exit status: t-prep-enroll.sh)
act -- --edit-cover; expect_exit 0
act -- --edit-cover; expect_exit 0  # unchanged
act -- --show-info; expect_exit 0
act -- --show-info --json; expect_exit 0
act -- --show-info series-range; expect_exit 0
act -- --set-prefixes RFC; expect_exit 0
act -- --set-prefixes ""; expect_exit 0
act -- --force-revision 2; expect_exit 0
act -- --compare-to v1; expect_exit 0
act -- --compare-to v5; expect_exit 128
act -- --cleanup; expect_exit 1
act -- --show-info --set-prefixes RFC; expect_exit 129
act -- --force-revision 0; expect_exit 129
act -- --show-info x86/misc/ids; expect_exit 0
act -- --cleanup x86/misc/ids; expect_exit 1
act ' refs/tags/sent/x86/vmx/plain-v1$' -- --cleanup --force; expect_exit 0

note "a b4 (commit strategy) branch, every action but --drop-b4-cover"
git checkout -q --no-track -b x86/vmx/b4c x86/vmx/good-series
b4_run prep -e kvm-x86/next
EDITOR=$(b4_cover_editor "$T/cover.txt") b4_run prep --edit-cover
act -- --enroll; expect_exit 0
act -- --enroll  # (its exit status: t-prep-b4-commit.sh)
act -- --edit-cover; expect_exit 0
act -- --show-info; expect_exit 0
act -- --set-prefixes RFC; expect_exit 0
act -- --force-revision 3; expect_exit 0
act -- --compare-to v1; expect_exit 128
act -- --cleanup; expect_exit 1
act -- --cleanup --force; expect_exit 0

note "a b4 (branch-description) branch"
git config b4.prep-cover-strategy branch-description
git branch --no-track kvm-next kvm-x86/next
git checkout -q --no-track -b x86/vmx/b4d x86/vmx/good-series
b4_run prep -e kvm-next
EDITOR=$(b4_cover_editor "$T/cover.txt") b4_run prep --edit-cover
act -- --enroll; expect_exit 0
act -- --edit-cover; expect_exit 0
act -- --show-info; expect_exit 0
act -- --set-prefixes RFC; expect_exit 0
act -- --force-revision 3; expect_exit 0
act -- --cleanup --force; expect_exit 0
git config --unset b4.prep-cover-strategy

note "--drop-b4-cover is the one that rewrites: the branch and a backup ref only"
git checkout -q --no-track -b x86/vmx/b4drop x86/vmx/good-series
b4_run prep -e kvm-x86/next
snap
run_kvmx86 prep --enroll --drop-b4-cover
expect_exit 0
refs_snapshot "$T/now.refs"
grep -vE ' refs/heads/x86/vmx/b4drop$| refs/kvmx86/backup/x86/vmx/b4drop/1$|^HEAD ' "$T/snap.refs" >"$T/a"
grep -vE ' refs/heads/x86/vmx/b4drop$| refs/kvmx86/backup/x86/vmx/b4drop/1$|^HEAD ' "$T/now.refs" >"$T/b"
diff -u "$T/a" "$T/b" || fail "--drop-b4-cover moved other refs"
