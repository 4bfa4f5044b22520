#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# selftest-order and prep --reorder: a regression test posted before the fix
# it tests is reported, with its evidence, and moved right after the fix;
# an unrelated selftest stays where it is.  The new commits keep their
# authors, trees and messages, the committer is the current identity, the
# work tree and index are untouched, the old tip is kept under
# refs/kvmx86/backup/ and in the reflog.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reorder-lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
b=x86/misc/timer
series_regression "$b"
old=$(sha HEAD)
unrelated=$(short HEAD~3)
test_id=$(short HEAD~2)
fix_id=$(short HEAD~1)

note "--check reports the test, the evidence and the order"
run_kvmx86 prep --check
expect_exit 0
expect_stdout_contains "$test_id warning selftest-order: the test goes after $fix_id (\"$FIX_SUBJECT\")"
expect_stdout_contains "fixes a bug (Fixes: "
expect_stdout_contains "words in common ("
expect_stdout_contains "series warning selftest-order: the bisect-safe order is $unrelated, $fix_id, $test_id, $(short HEAD): 'kvmx86 prep --reorder'"
[ "$(grep -c 'selftest-order' "$OUT")" = 2 ] || fail "expected 2 selftest-order findings"
run_kvmx86 prep --check --json
expect_json '[.findings[] | select(.rule == "selftest-order")] | length' 2
expect_json '[.findings[] | select(.rule == "selftest-order")][0].commit' "$(sha HEAD~2)"

note "--dry-run prints the order and evidence, changes nothing"
refs_snapshot "$T/refs.before"
objects_before=$(git count-objects -v | sed -n 's/^count: //p')
run_kvmx86 prep --reorder --dry-run
expect_exit 0
expect_stdout_contains "  after $fix_id $FIX_SUBJECT (out of order)"
expect_stdout_contains "    evidence: $fix_id fixes a bug (Fixes: "
expect_stdout_contains "    why: a new test (it adds test_lost_timer_irq()) for the bug $fix_id fixes: it fails before the fix"
expect_stdout_contains "  2 $fix_id $FIX_SUBJECT (was 3)"
expect_stdout_contains "  3 $test_id $REGRESSION_SUBJECT (was 2)"
expect_stdout_contains "dry run: nothing changed"
! sed '/^order:/q' "$OUT" | grep -q "xAPIC" || fail "the unrelated test has a relation"
expect_refs_unchanged "$T/refs.before" "--dry-run"
[ "$(git count-objects -v | sed -n 's/^count: //p')" = "$objects_before" ] ||
	fail "--dry-run wrote objects"

note "--reorder moves the test after the fix (the committer is the current identity)"
echo "scratch" >"$T/untracked-is-fine"
cp "$T/untracked-is-fine" untracked.txt
run_env GIT_COMMITTER_NAME="Rey Order" GIT_COMMITTER_EMAIL=rey@example.com -- prep --reorder
expect_exit 0
expect_stdout_contains "reordered $b: $(short "$old") -> $(short "$b"); the old tip is kept as refs/kvmx86/backup/$b/1"
subjects "$b" >"$T/subjects"
printf '%s\n' "KVM: selftests: Add a test for the xAPIC ID register" "$FIX_SUBJECT" \
	"$REGRESSION_SUBJECT" "$HELPER_SUBJECT" >"$T/want"
diff -u "$T/want" "$T/subjects" || fail "not the order expected"
[ "$(sha "$b~3")" = "$(sha "$old~3")" ] || fail "the unrelated test below was re-created"
[ "$(git rev-parse "$b^{tree}")" = "$(git rev-parse "$old^{tree}")" ] || fail "the tip's tree changed"
[ "$(git rev-parse "refs/kvmx86/backup/$b/1")" = "$old" ] || fail "no backup of the old tip"
git log -1 --format='%an <%ae>|%cn <%ce>' "$b" >"$T/who"
[ "$(cat "$T/who")" = "Tess Ting <tess@example.com>|Rey Order <rey@example.com>" ] ||
	fail "author or committer: $(cat "$T/who")"
git log --format=%B "$b~3..$b" | sort >"$T/msgs.new"
git log --format=%B "$old~3..$old" | sort >"$T/msgs.old"
diff -u "$T/msgs.old" "$T/msgs.new" || fail "messages changed"
[ "$(git symbolic-ref HEAD)" = "refs/heads/$b" ] || fail "the branch is no longer checked out"
[ "$(git status --porcelain)" = "?? untracked.txt" ] || fail "the work tree or index changed: $(git status --porcelain)"
log=$(git rev-parse --git-path "logs/refs/heads/$b")
tail -n1 "$log" | cut -d' ' -f1-2 >"$T/reflog.last"
[ "$(cat "$T/reflog.last")" = "$old $(sha "$b")" ] || fail "no reflog entry old -> new"
tail -n1 "$log" | grep -qF "kvmx86 prep --reorder: reorder $b for bisection" ||
	fail "reflog message: $(tail -n1 "$log")"
git reflog -n1 --format=%gs HEAD | grep -qF "kvmx86 prep --reorder" ||
	fail "HEAD's reflog has no entry"

note "no other ref moved"
refs_snapshot "$T/refs.after"
grep -v -e " refs/heads/$b\$" -e '^HEAD ' "$T/refs.before" >"$T/r1"
grep -v -e " refs/heads/$b\$" -e " refs/kvmx86/backup/" -e '^HEAD ' "$T/refs.after" >"$T/r2"
diff -u "$T/r1" "$T/r2" || fail "--reorder moved other refs"

note "now in order: --check has no selftest-order finding, --reorder nothing to do"
run_kvmx86 prep --check
expect_stdout_lacks "selftest-order"
refs_snapshot "$T/refs.again"
run_kvmx86 prep --reorder
expect_exit 0
expect_stdout_contains "  after $(short "$b~2") $FIX_SUBJECT (in order)"
expect_stdout_contains "nothing to reorder"
expect_refs_unchanged "$T/refs.again" "a second --reorder"

note "a branch not checked out, named; the next backup number"
git checkout -q master
series_regression x86/misc/timer2
git checkout -q master
git update-ref refs/kvmx86/backup/x86/misc/timer2/1 "$next"
old2=$(sha x86/misc/timer2)
run_kvmx86 prep --reorder x86/misc/timer2
expect_exit 0
[ "$(git rev-parse refs/kvmx86/backup/x86/misc/timer2/2)" = "$old2" ] || fail "backup 2"
[ "$(git rev-parse refs/kvmx86/backup/x86/misc/timer2/1)" = "$next" ] || fail "backup 1 was overwritten"
subjects x86/misc/timer2 >"$T/subjects2"
diff -u "$T/want" "$T/subjects2" || fail "x86/misc/timer2: not the order expected"
[ "$(git symbolic-ref HEAD)" = refs/heads/master ] || fail "HEAD moved"

note "the fix also changes the test file, elsewhere: merged, same tree"
git checkout -q --no-track -b x86/misc/merge refs/remotes/kvm-x86/next
append_test test_lost_timer_irq "$REGRESSION_SUBJECT" "$REGRESSION_BODY"
sed -i 's/foo_test: sanity checks/foo_test: checks/' "$TESTS_DIR/foo_test.c"
add_lines arch/x86/kvm/x86.c <<'EOC'

static void kvm_keep_pending_timer(struct kvm_vcpu *vcpu)
{
	kvm_make_request(KVM_REQ_EVENT, vcpu);
}
EOC
commit_all "$FIX_SUBJECT" "$(fix_body)"
old3=$(sha HEAD)
run_kvmx86 prep --reorder
expect_exit 0
[ "$(subjects HEAD | head -n1)" = "$FIX_SUBJECT" ] || fail "merge: the fix is not first"
[ "$(git rev-parse "HEAD^{tree}")" = "$(git rev-parse "$old3^{tree}")" ] || fail "merge: the tree changed"
git diff --quiet HEAD~2 HEAD~1 -- "$TESTS_DIR/foo_test.c" &&
	fail "merge: the fix lost its change to the test file"
[ -z "$(git status --porcelain)" ] || fail "merge: the work tree changed"
