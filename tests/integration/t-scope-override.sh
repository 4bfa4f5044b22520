#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --scope overrides the detected scope.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
rc2=$(sha v6.3-rc2)

note "--scope=x86 on the multi-arch branch: ok"
git checkout -q x86/mmu/multiarch
run_kvmx86 check-base --json --scope=x86
expect_exit 0
expect_json .scope x86
expect_json .detected_scope multi-arch
expect_json .verdict ok
expect_json .recommended_base kvm-x86/next
expect_json .remedy null
run_kvmx86 check-base --scope=x86
expect_exit 0
expect_verdict ok
expect_stdout_matches '^scope: +x86'

note "option after the REV"
git checkout -q master
run_kvmx86 check-base x86/mmu/multiarch --scope=x86 --json
expect_exit 0
expect_json .scope x86
expect_json .verdict ok

note "--scope=multi-arch on the x86 series: wrong, goes on v6.3-rc2"
run_kvmx86 check-base --json --scope=multi-arch x86/vmx/good-series
expect_exit 1
expect_json .scope multi-arch
expect_json .detected_scope x86
expect_json .verdict wrong
expect_json .recommended_base v6.3-rc2
expect_json .recommended_commit "$rc2"
expect_json .remedy "git rebase --onto v6.3-rc2 $(short "$next") x86/vmx/good-series"

note "--scope=current-fix on the x86 series: wrong, goes on kvm/master"
run_kvmx86 check-base --json --scope=current-fix x86/vmx/good-series
expect_exit 1
expect_json .scope current-fix
expect_json .detected_scope x86
expect_json .verdict wrong
expect_json .recommended_base kvm/master

note "--scope=x86 on fixes/current: wrong (x86 goes on kvm-x86/next)"
run_kvmx86 check-base --json --scope=x86 fixes/current
expect_exit 1
expect_json .scope x86
expect_json .detected_scope current-fix
expect_json .verdict wrong
expect_json .recommended_base kvm-x86/next
