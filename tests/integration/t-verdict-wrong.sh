#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# verdict wrong (exit 1): the multi-arch series on kvm-x86/next must go on
# v6.3-rc2; the remedy works.  Also x86 series on kvm/master and on an
# older release than next's rc.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
rc2=$(sha v6.3-rc2)

note "x86/mmu/multiarch, text"
git checkout -q x86/mmu/multiarch
run_kvmx86 check-base
expect_exit 1
expect_verdict wrong
expect_stdout_matches '^scope: +multi-arch$'
expect_stdout_matches "^recommended: +v6.3-rc2 \\($(short "$rc2")\\)\$"
remedy="git rebase --onto v6.3-rc2 $(short "$next") x86/mmu/multiarch"
expect_stdout_matches "^fix: +git rebase --onto v6\\.3-rc2 $(short "$next") x86/mmu/multiarch\$"

note "x86/mmu/multiarch, json"
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json .scope multi-arch
expect_json .detected_scope multi-arch
expect_json .recommended_base v6.3-rc2
expect_json .recommended_commit "$rc2"
expect_json .actual_base kvm-x86/next
expect_json .base_commit "$next"
expect_json .remedy "$remedy"
expect_json .cycle_rc v6.3-rc2
expect_json_true '.superficial.common_logic > 5' "common logic lines"
expect_json_true '.superficial.other_logic > 5' "other-arch logic lines"
expect_json .superficial.limit 5
expect_json_true '.reasons | length > 0' "reasons"

note "applying the remedy gives ok"
git rebase -q --onto v6.3-rc2 "$(short "$next")" x86/mmu/multiarch
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok
expect_json .scope multi-arch
expect_json .recommended_base v6.3-rc2
expect_json .actual_base v6.3-rc2
expect_json .base_commit "$rc2"
expect_json .remedy null

note "x86 series on kvm/master: wrong, goes on kvm-x86/next"
kmaster=$(sha refs/remotes/kvm/master)
new_branch x86/vmx/on-master refs/remotes/kvm/master
x86_commit 1
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json .scope x86
expect_json .recommended_base kvm-x86/next
expect_json .actual_base kvm/master
expect_json .base_commit "$kmaster"
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$kmaster") x86/vmx/on-master"

note "x86 series on v6.2 (older than next's rc): wrong"
new_branch x86/vmx/on-v6.2 v6.2
x86_commit 2
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json .scope x86
expect_json .actual_base v6.2
expect_json .base_commit "$(sha v6.2)"
expect_json .remedy "git rebase --onto kvm-x86/next $(short v6.2) x86/vmx/on-v6.2"

note "x86 series on kvm/next: wrong"
knext=$(sha refs/remotes/kvm/next)
new_branch x86/vmx/on-kvm-next refs/remotes/kvm/next
x86_commit 3
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json .scope x86
expect_json .actual_base kvm/next
expect_json .base_commit "$knext"
expect_json .remedy "git rebase --onto kvm-x86/next $(short "$knext") x86/vmx/on-kvm-next"

note "x86 series (no Fixes:) on kvm-x86/fixes: wrong"
xfixes=$(sha refs/remotes/kvm-x86/fixes)
new_branch x86/vmx/on-fixes refs/remotes/kvm-x86/fixes
x86_commit 4
run_kvmx86 check-base --json
expect_exit 1
expect_json .verdict wrong
expect_json .scope x86
expect_json .actual_base kvm-x86/fixes
expect_json .base_commit "$xfixes"
