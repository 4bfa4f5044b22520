#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --reorder refuses (exit 1), changing nothing: when a commit does not
# apply in the new order, and when the branch is checked out (here or in a
# linked worktree) with changes to tracked files; untracked files do not
# count.  Weak evidence is "unknown" and moves nothing (exit 0).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reorder-lib.sh"

cd "$(sample_repo)"

# expect_refused WHAT STDERR-TEXT: exit 1, the reason, no ref moved.
expect_refused() {
	expect_exit 1 "$1"
	expect_stderr_contains "$2"
	grep -q '^hint: ' "$ERR" || fail "$1: no hint"
	expect_refs_unchanged "$T/refs.before" "$1"
	[ -z "$(git for-each-ref refs/kvmx86/)" ] || fail "$1: a backup ref was made"
}

note "weak evidence: unknown, nothing moved"
new_branch x86/misc/weak refs/remotes/kvm-x86/next
new_test apic_timer_test.c "KVM: selftests: Add a test of the APIC timer" "Run the timer once."
kvm_fix 4 "KVM: x86: Fix the APIC timer deadline" "Round it up.

$(fixes_line)"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --check
expect_exit 0
expect_stdout_contains "advice selftest-order: the test may depend on $(short HEAD)"
expect_stdout_contains "the evidence is weak: unknown, nothing is moved"
expect_stdout_lacks "warning selftest-order"
run_kvmx86 prep --reorder
expect_exit 0
expect_stdout_contains "  unknown $(short HEAD) KVM: x86: Fix the APIC timer deadline (weak evidence, not moved)"
expect_stdout_contains "    evidence: "
expect_stdout_contains "nothing to reorder"
expect_refs_unchanged "$T/refs.before" "weak evidence"

note "a conflict: the fix also changes the test file the regression test creates"
new_branch x86/misc/conflict refs/remotes/kvm-x86/next
new_test timer_lost_test.c "$REGRESSION_SUBJECT" "$REGRESSION_BODY"
add_lines arch/x86/kvm/x86.c <<'EOC'

static void kvm_keep_pending_timer(struct kvm_vcpu *vcpu)
{
	kvm_make_request(KVM_REQ_EVENT, vcpu);
}
EOC
sed -i 's/GUEST_DONE();/GUEST_SYNC(1);\n\tGUEST_DONE();/' "$TESTS_DIR/timer_lost_test.c"
commit_all "$FIX_SUBJECT" "$(fix_body)"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --check
expect_stdout_contains "warning selftest-order: the test goes after $(short HEAD)"
run_kvmx86 prep --reorder
expect_refused "conflict" "does not apply on"
expect_stderr_contains "conflict in $TESTS_DIR/timer_lost_test.c"
[ -z "$(git status --porcelain)" ] || fail "conflict: the work tree changed"
run_kvmx86 prep --reorder --dry-run
expect_refused "conflict, --dry-run" "does not apply on"

note "a commit id, not a branch: nothing to move"
run_kvmx86 prep --reorder "$(sha HEAD)"
expect_refused "not a branch" "there is no branch to reorder"

note "local changes to tracked files on the checked-out branch"
series_regression x86/misc/dirty
refs_snapshot "$T/refs.before"
echo "/* local */" >>arch/x86/kvm/x86.c
run_kvmx86 prep --reorder
expect_refused "unstaged" "branch x86/misc/dirty is checked out in $PWD/ with local changes"
git add arch/x86/kvm/x86.c
run_kvmx86 prep --reorder
expect_refused "staged" "with local changes"
git diff --cached --quiet && fail "the staged change was lost"
git reset -q --hard

note "a branch that a rebase is working on (HEAD detached there): refused, as git branch -f is"
series_regression x86/misc/rebasing
base=$(git rev-parse HEAD~2)
GIT_SEQUENCE_EDITOR="sed -i 1s/^pick/edit/" git rebase -q -i "$base" >/dev/null 2>&1
git rev-parse -q --verify HEAD >/dev/null
[ -d "$(git rev-parse --git-dir)/rebase-merge" ] || fail "no rebase is under way"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --reorder x86/misc/rebasing
expect_refused "rebase under way" "branch x86/misc/rebasing is in the middle of a rebase in the main worktree"
git rebase --abort
git checkout -q master

note "... and one that a bisection started on"
git checkout -q x86/misc/rebasing
git bisect start -q 2>/dev/null || git bisect start >/dev/null
refs_snapshot "$T/refs.before"
run_kvmx86 prep --reorder x86/misc/rebasing
expect_refused "bisection under way" "in the middle of a bisection"
git bisect reset -q 2>/dev/null || git bisect reset >/dev/null
git checkout -q master

note "a backup ref in the way (branch x86/misc/dd/1 after x86/misc/dd's backup 1): refused, named"
series_regression x86/misc/dd
run_kvmx86 prep --reorder
expect_exit 0
git rev-parse -q --verify refs/kvmx86/backup/x86/misc/dd/1 >/dev/null || fail "no backup of x86/misc/dd"
git checkout -q master
git branch -q -D x86/misc/dd
series_regression x86/misc/dd/1
refs_snapshot "$T/refs.before"
run_kvmx86 prep --reorder
expect_exit 1 "backup in the way"
expect_stderr_contains "the ref refs/kvmx86/backup/x86/misc/dd/1 is in its way"
expect_stderr_contains "git update-ref -d refs/kvmx86/backup/x86/misc/dd/1"
expect_refs_unchanged "$T/refs.before" "backup in the way"
git checkout -q master
git update-ref -d refs/kvmx86/backup/x86/misc/dd/1

note "local changes in a linked worktree that has the branch"
git checkout -q master
git worktree add -q "$T/wt" x86/misc/dirty
echo "/* local */" >>"$T/wt/arch/x86/kvm/x86.c"
refs_snapshot "$T/refs.before"
run_kvmx86 prep --reorder x86/misc/dirty
expect_refused "linked worktree" "branch x86/misc/dirty is checked out in $T/wt"
git -C "$T/wt" checkout -q -- arch/x86/kvm/x86.c

note "with the work trees clean it goes (an untracked file does not count)"
echo scratch >"$T/wt/untracked.txt"
run_kvmx86 prep --reorder x86/misc/dirty
expect_exit 0
expect_stdout_contains "reordered x86/misc/dirty"
[ "$(git -C "$T/wt" status --porcelain)" = "?? untracked.txt" ] || fail "the linked worktree changed"
