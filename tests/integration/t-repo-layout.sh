#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Real repositories: packed refs and objects (after gc), a remote HEAD
# symref (as `git clone` makes), a linked worktree.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
rc2=$(sha v6.3-rc2)

note "packed refs and objects"
git gc -q --prune=now
[ -s .git/packed-refs ] || fail "precondition: no packed-refs"
[ ! -e .git/refs/remotes/kvm-x86/next ] || fail "precondition: next is loose"
run_kvmx86 check-base --json x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json .base_commit "$next"
run_kvmx86 check-base --json x86/mmu/multiarch
expect_exit 1
expect_json .recommended_base v6.3-rc2
expect_json .recommended_commit "$rc2"
run_kvmx86 check-base --json fixes/current
expect_exit 0
expect_json .scope current-fix

note "refs/remotes/kvm-x86/HEAD -> kvm-x86/next is not a topic"
git remote set-head kvm-x86 next
git remote set-head kvm master
[ "$(git symbolic-ref refs/remotes/kvm-x86/HEAD)" = refs/remotes/kvm-x86/next ] ||
	fail "precondition: set-head"
run_kvmx86 check-base --json x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json .actual_base kvm-x86/next
expect_json .recommended_base kvm-x86/next
run_kvmx86 check-base --json fixes/current
expect_exit 0
expect_json .actual_base kvm/master
expect_json .recommended_base kvm/master

note "a linked worktree"
git worktree add -q "$T/wt" x86/mmu/multiarch
cd "$T/wt"
run_kvmx86 check-base --json
expect_exit 1
expect_json .branch x86/mmu/multiarch
expect_json .verdict wrong
expect_json .remedy "git rebase --onto v6.3-rc2 $(short "$next") x86/mmu/multiarch"
cd "$T/wt/arch"
run_kvmx86 check-base --print-base --scope=x86
expect_exit 0
expect_stdout_is "--base=$next"

note "the main worktree still sees its own HEAD"
cd "$T/repo"
git checkout -q x86/vmx/good-series
run_kvmx86 check-base --json
expect_exit 0
expect_json .branch x86/vmx/good-series
