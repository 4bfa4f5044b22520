#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A bare repository has no HEAD branch to check: without a range it is
# fatal (128); with a range it works.
. "$(dirname "$0")/lib.sh"

src=$(sample_repo)
git clone -q --bare "$src" "$T/bare.git"
cd "$T/bare.git"
git remote add kvm-x86 https://github.com/kvm-x86/linux.git
git remote add kvm https://git.kernel.org/pub/scm/virt/kvm/kvm.git
git fetch -q "$src" 'refs/remotes/*:refs/remotes/*'
[ "$(git rev-parse --is-bare-repository)" = true ] || fail "precondition: not bare"
next=$(sha refs/remotes/kvm-x86/next)

note "no argument"
run_kvmx86 check-base
expect_fatal
expect_stdout_empty
run_kvmx86 check-base --json
expect_fatal
expect_stdout_empty

note "a range works"
run_kvmx86 check-base --json kvm-x86/next..x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json .base_commit "$next"
run_kvmx86 check-base kvm-x86/next..x86/mmu/multiarch
expect_exit 1
expect_verdict wrong
run_kvmx86 check-base --print-base kvm-x86/next..x86/vmx/good-series
expect_exit 0
expect_stdout_is "--base=$next"

note "a branch named works too: its series is found as for a checkout"
run_kvmx86 check-base --json x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json .base_commit "$next"
