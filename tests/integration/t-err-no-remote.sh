#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# No KVM x86 remote: fatal, with the git remote add hint.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q x86/vmx/good-series
git remote remove kvm-x86

run_kvmx86 check-base
expect_fatal "git remote add kvm-x86 https://github.com/kvm-x86/linux.git"
expect_stderr_matches '^hint: '
expect_stdout_empty

note "remote-tracking refs alone (no remote configured) are not enough"
git update-ref refs/remotes/kvm-x86/next "$(mf ref.kvm-x86/next)"
run_kvmx86 check-base --json
expect_fatal "git remote add kvm-x86 https://github.com/kvm-x86/linux.git"

note "a remote with a different URL is not the KVM x86 tree"
git remote add kvm-x86 https://github.com/torvalds/linux.git
run_kvmx86 check-base
expect_fatal "git remote add kvm-x86 https://github.com/kvm-x86/linux.git"

note "an empty repository with no remotes"
mkdir "$T/fresh"
cd "$T/fresh"
git init -q
run_kvmx86 check-base
expect_exit 128
expect_stderr_matches '^fatal: '
