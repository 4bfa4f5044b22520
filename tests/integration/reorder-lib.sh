# SPDX-License-Identifier: GPL-2.0-only
#
# Series for the prep --reorder and selftest-order tests
# (tests/integration/t-reorder-*.sh), sourced after lib.sh, in the sample
# repository.

TESTS_DIR=tools/testing/selftests/kvm/x86_64

# fixes_line: a Fixes: trailer naming a commit of next.
fixes_line() {
	git log -1 --no-merges --abbrev=12 --format='Fixes: %h ("%s")' refs/remotes/kvm-x86/next
}

# new_test FILE SUBJECT BODY: a commit that creates the selftest FILE.
new_test() {
	add_lines "$TESTS_DIR/$1" <<EOF
// SPDX-License-Identifier: GPL-2.0
#include "kvm_util.h"

static void guest_code_${1%%.c}(void)
{
	GUEST_DONE();
}
EOF
	commit_all "$2" "$3"
}

# append_test FUNCTION SUBJECT BODY: adds a test case to foo_test.c.
append_test() {
	add_lines "$TESTS_DIR/foo_test.c" <<EOF

static void $1(struct kvm_vcpu *vcpu)
{
	vcpu_run(vcpu);
	TEST_ASSERT_KVM_EXIT_REASON(vcpu, KVM_EXIT_IO);
}
EOF
	commit_all "$2" "$3"
}

# kvm_fix N SUBJECT BODY: a KVM commit adding a function to x86.c.
kvm_fix() {
	add_lines arch/x86/kvm/x86.c <<EOF

static void kvm_fix_number_$1(struct kvm_vcpu *vcpu)
{
	kvm_make_request(KVM_REQ_EVENT, vcpu);
}
EOF
	commit_all "$2" "$3"
}

REGRESSION_SUBJECT="KVM: selftests: Add a regression test for lost LAPIC timer interrupts"
REGRESSION_BODY="Verify that KVM delivers the LAPIC timer interrupt when the guest rearms
the deadline timer while the interrupt is pending, i.e. that the pending
timer interrupt is not lost."
FIX_SUBJECT="KVM: x86: Keep a pending LAPIC timer interrupt when the deadline is rearmed"
HELPER_SUBJECT="KVM: x86: Add a second helper that requests an event"

# fix_body: the changelog of the fix the regression test tests.
fix_body() {
	printf '%s\n\n%s\n' "When the guest rearms the TSC deadline timer while a timer interrupt is
pending, KVM clears the pending interrupt and the guest never sees it.
Keep the pending timer interrupt." "$(fixes_line)"
}

# series_regression BRANCH: on next, an unrelated new test, the regression
# test, its fix and a helper, checked out.
series_regression() {
	new_branch "$1" refs/remotes/kvm-x86/next
	new_test xapic_id_test.c "KVM: selftests: Add a test for the xAPIC ID register" \
		"Check that the xAPIC ID register reads back the ID userspace set."
	append_test test_lost_timer_irq "$REGRESSION_SUBJECT" "$REGRESSION_BODY"
	kvm_fix 1 "$FIX_SUBJECT" "$(fix_body)"
	kvm_fix 2 "$HELPER_SUBJECT" "Request an event from one more place, for a later change."
}

# subjects REV: the subjects of next..REV, oldest first, one a line.
subjects() {
	git log --reverse --format=%s "refs/remotes/kvm-x86/next..$1"
}
