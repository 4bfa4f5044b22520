#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A well-ordered series (the regression test after its fix, like the
# sample's good-series) has no selftest-order finding, and prep --reorder
# has nothing to do (exit 0, no ref moved); --dry-run goes only with
# --reorder.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/reorder-lib.sh"

cd "$(sample_repo)"
new_branch x86/misc/ordered refs/remotes/kvm-x86/next
kvm_fix 1 "$FIX_SUBJECT" "$(fix_body)"
append_test test_lost_timer_irq "$REGRESSION_SUBJECT" "$REGRESSION_BODY"
new_test xapic_id_test.c "KVM: selftests: Add a test for the xAPIC ID register" \
	"Check that the xAPIC ID register reads back the ID userspace set."
refs_snapshot "$T/refs.before"

for b in x86/misc/ordered x86/vmx/good-series; do
	note "$b"
	run_kvmx86 prep --check "$b"
	expect_exit 0
	expect_stdout_lacks "selftest-order"
	run_kvmx86 prep --reorder "$b"
	expect_exit 0
	expect_stdout_contains "nothing to reorder"
	expect_refs_unchanged "$T/refs.before" "$b"
done
run_kvmx86 prep --reorder
expect_stdout_contains "  after $(short HEAD~2) $FIX_SUBJECT (in order)"

note "--dry-run alone is bad usage"
run_kvmx86 prep --check --dry-run
expect_usage_error
run_kvmx86 prep --reorder --check
expect_usage_error
run_kvmx86 prep --help
expect_stdout_contains "kvmx86 prep --reorder [--dry-run] [<rev>]"
