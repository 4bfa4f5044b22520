#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# An empty series (the branch is the kvm-x86/next tip, or is contained in a
# KVM ref): fatal.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

note "branch at kvm-x86/next"
new_branch x86/vmx/nothing-yet refs/remotes/kvm-x86/next
run_kvmx86 check-base
expect_fatal
expect_stdout_empty
run_kvmx86 check-base --json
expect_fatal
expect_stdout_empty
run_kvmx86 check-base --print-base
expect_fatal
expect_stdout_empty

note "branch at an older topic commit"
new_branch x86/pmu/old refs/remotes/kvm-x86/pmu~1
run_kvmx86 check-base
expect_fatal

note "master checked out (it is v6.3-rc4)"
git checkout -q master
run_kvmx86 check-base
expect_fatal
expect_stdout_empty

note "an empty range"
git checkout -q master
run_kvmx86 check-base x86/vmx/good-series..kvm-x86/next
expect_fatal
run_kvmx86 check-base kvm-x86/next..kvm-x86/next
expect_fatal
