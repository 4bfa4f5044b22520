#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# The trees are found by URL, whatever the remotes are called: renamed
# remotes, URL forms (ssh, no .git, git://), and a decoy remote that has the
# usual name but another URL.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
kmaster=$(sha refs/remotes/kvm/master)

note "renamed: kvm-x86 -> x, kvm -> upstream"
git remote rename kvm-x86 x
git remote rename kvm upstream
git rev-parse -q --verify refs/remotes/x/next >/dev/null ||
	fail "precondition: git remote rename did not move the refs"

git checkout -q x86/vmx/good-series
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok
expect_json .x86_remote x
expect_json .kvm_remote upstream
expect_json .recommended_base x/next
expect_json .actual_base x/next
expect_json .base_commit "$next"
run_kvmx86 check-base
expect_exit 0
expect_stdout_matches "^recommended: +x/next \\($(short "$next")\\)\$"

git checkout -q x86/mmu/multiarch
run_kvmx86 check-base --json
expect_exit 1
expect_json .remedy "git rebase --onto v6.3-rc2 $(short "$next") x86/mmu/multiarch"

git checkout -q fixes/current
run_kvmx86 check-base --json
expect_exit 0
expect_json .scope current-fix
expect_json .verdict ok
expect_json .recommended_base upstream/master
expect_json .recommended_commit "$kmaster"

note "x86 URL forms"
git checkout -q x86/vmx/good-series
for url in git@github.com:kvm-x86/linux \
	   git@github.com:kvm-x86/linux.git \
	   https://github.com/kvm-x86/linux \
	   ssh://git@github.com/kvm-x86/linux.git \
	   git://github.com/kvm-x86/linux.git; do
	git remote set-url x "$url"
	run_kvmx86 check-base --json
	expect_exit 0 "$url"
	expect_json .x86_remote x
	expect_json .verdict ok
done
git remote set-url x https://github.com/kvm-x86/linux.git

note "kvm URL forms"
git checkout -q fixes/current
for url in git://git.kernel.org/pub/scm/virt/kvm/kvm.git \
	   https://git.kernel.org/pub/scm/virt/kvm/kvm \
	   http://git.kernel.org/pub/scm/virt/kvm/kvm.git \
	   ssh://git@git.kernel.org/pub/scm/virt/kvm/kvm.git; do
	git remote set-url upstream "$url"
	run_kvmx86 check-base --json
	expect_exit 0 "$url"
	expect_json .kvm_remote upstream
	expect_json .scope current-fix
	expect_json .verdict ok
done
git remote set-url upstream https://git.kernel.org/pub/scm/virt/kvm/kvm.git

note "a decoy remote called kvm-x86 with someone else's URL"
git remote add kvm-x86 https://github.com/someone/linux.git
git update-ref refs/remotes/kvm-x86/next refs/remotes/upstream/master
git checkout -q x86/vmx/good-series
run_kvmx86 check-base --json
expect_exit 0
expect_json .x86_remote x
expect_json .recommended_base x/next
expect_json .verdict ok
