#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# selftest-order and prep --reorder: a test update posted after the KVM
# change of behaviour that breaks the old expectation is moved right before
# it, with the reminder that it must pass both before and after the change
# (kvmx86 test proves it; a reorder alone does not).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reorder-lib.sh"

cd "$(sample_repo)"
b=x86/misc/foo-reserved
new_branch "$b" refs/remotes/kvm-x86/next
CHANGE_SUBJECT="KVM: x86: Reject writes of reserved bits to MSR_IA32_FOO"
add_lines arch/x86/kvm/x86.c <<'EOC'

static int kvm_set_foo(struct kvm_vcpu *vcpu, u64 data)
{
	/* case MSR_IA32_FOO: */
	if (data & ~FOO_VALID_BITS)
		return 1;
	return 0;
}
EOC
commit_all "$CHANGE_SUBJECT" "Inject a #GP when the guest writes reserved bits of MSR_IA32_FOO,
instead of silently dropping them."
kvm_fix 3 "KVM: x86: Add a third helper that requests an event" "Request an event from one more place, for a later change."
UPDATE_SUBJECT="KVM: selftests: Write only valid bits to MSR_IA32_FOO"
sed -i 's/^\twrmsr(MSR_IA32_FOO, FOO_MAGIC);$/\twrmsr(MSR_IA32_FOO, FOO_MAGIC \& FOO_VALID_BITS);/' \
	"$TESTS_DIR/foo_test.c"
git diff --quiet && fail "the test update changed nothing"
commit_all "$UPDATE_SUBJECT" "KVM now rejects writes of reserved bits to MSR_IA32_FOO: write only
the valid bits, so that the test passes both before and after."
old=$(sha HEAD)
change=$(short HEAD~2)
update=$(short HEAD)

note "--check: the update goes before the change"
run_kvmx86 prep --check
expect_exit 0
expect_stdout_contains "$update warning selftest-order: the test goes before $change (\"$CHANGE_SUBJECT\")"
expect_stdout_contains "the test uses MSR_IA32_FOO, which $change changes"
expect_stdout_contains "must pass both before and after $change"

note "an enrolled branch: its series from the recorded base, its state follows the tip"
run_kvmx86 prep --enroll --base refs/remotes/kvm-x86/next
expect_exit 0

note "--reorder --dry-run, then --reorder"
run_kvmx86 prep --reorder --dry-run
expect_exit 0
expect_stdout_contains "  before $change $CHANGE_SUBJECT (out of order)"
expect_stdout_contains "kvmx86 test at each commit proves it; a reorder alone proves nothing"
expect_stdout_contains "  1 $update $UPDATE_SUBJECT (was 3)"
[ "$(sha HEAD)" = "$old" ] || fail "--dry-run moved the branch"
run_kvmx86 prep --reorder
expect_exit 0
subjects "$b" >"$T/subjects"
printf '%s\n' "$UPDATE_SUBJECT" "$CHANGE_SUBJECT" \
	"KVM: x86: Add a third helper that requests an event" >"$T/want"
diff -u "$T/want" "$T/subjects" || fail "not the order expected"
[ "$(git rev-parse "$b^{tree}")" = "$(git rev-parse "$old^{tree}")" ] || fail "the tip's tree changed"
[ "$(git rev-parse "refs/kvmx86/backup/$b/1")" = "$old" ] || fail "no backup"
[ -z "$(git status --porcelain)" ] || fail "the work tree or index changed"
read_state "$b"
expect_json .last_tip "$(sha "$b")"
run_kvmx86 prep --show-info end-commit
expect_info end-commit "$(sha "$b")"

note "in order now: only the reminder that the test must pass on both sides"
run_kvmx86 prep --check
expect_stdout_contains "advice selftest-order: the test comes before $(short "$b~1"), whose change of behaviour it expects: it must pass both before and after it; run kvmx86 test at each commit"
expect_stdout_lacks "warning selftest-order"
