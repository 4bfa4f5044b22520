#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A shallow clone: fatal, hint git fetch --unshallow.
. "$(dirname "$0")/lib.sh"

src=$(sample_repo "$T/src")
git clone -q --depth=3 "file://$src" "$T/shallow"
cd "$T/shallow"
git fetch -q --depth=3 "file://$src" \
	'refs/remotes/*:refs/remotes/*' \
	'refs/heads/x86/vmx/good-series:refs/heads/x86/vmx/good-series'
git remote add kvm-x86 https://github.com/kvm-x86/linux.git
git remote add kvm https://git.kernel.org/pub/scm/virt/kvm/kvm.git
[ "$(git rev-parse --is-shallow-repository)" = true ] ||
	fail "precondition: not shallow"
git checkout -q x86/vmx/good-series

run_kvmx86 check-base
expect_fatal "git fetch --unshallow"
expect_stdout_empty
run_kvmx86 check-base --json kvm-x86/next..x86/vmx/good-series
expect_fatal "git fetch --unshallow"
