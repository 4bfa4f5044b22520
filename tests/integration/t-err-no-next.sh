#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The KVM x86 remote exists but <x86>/next was never fetched: fatal, hint
# git fetch.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q x86/vmx/good-series
git update-ref -d refs/remotes/kvm-x86/next

run_kvmx86 check-base
expect_fatal "git fetch"
expect_stderr_matches '^hint: .*git fetch kvm-x86'
expect_stdout_empty

note "renamed remote: the hint names it"
git remote rename kvm-x86 x
run_kvmx86 check-base --json
expect_fatal "git fetch x"
expect_stdout_empty
