#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A RANGE argument (anything with ..) instead of a REV.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

note "kvm-x86/next..x86/vmx/good-series from master"
run_kvmx86 check-base --json kvm-x86/next..x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json .scope x86
expect_json .base_commit "$next"
expect_json '.commits | length' 3
expect_json_true "[.commits[].id] | sort == ($(git rev-list refs/remotes/kvm-x86/next..x86/vmx/good-series | jq -R . | jq -s -c 'sort'))" \
	"the range's commits"

note "text"
run_kvmx86 check-base kvm-x86/next..x86/vmx/good-series
expect_exit 0
expect_verdict ok

note "a range with a wider bottom still finds the series"
run_kvmx86 check-base --json v6.3-rc2..x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json '.commits | length' 3

note "range of the multi-arch branch: wrong"
run_kvmx86 check-base --json kvm-x86/next..x86/mmu/multiarch
expect_exit 1
expect_json .verdict wrong
expect_json .scope multi-arch
expect_json .recommended_base v6.3-rc2

note "the multi-arch tip by its id, another branch checked out: the fix names the tip"
git checkout -q x86/vmx/good-series
tip=$(sha x86/mmu/multiarch)
run_kvmx86 check-base --json "$tip"
expect_exit 1
expect_json .verdict wrong
expect_json .remedy "git rebase --onto v6.3-rc2 $(short "$next") $(short "$tip")"
run_kvmx86 check-base "$tip"
expect_exit 1
expect_stdout_matches "^series: +$(short "$tip"), "
expect_stdout_lacks "HEAD"

note "range with an open end (HEAD)"
git checkout -q x86/vmx/good-series
run_kvmx86 check-base --json kvm-x86/next..
expect_exit 0
expect_json .verdict ok
expect_json '.commits | length' 3

note "range of full ids"
run_kvmx86 check-base --json "$next..$(sha x86/vmx/good-series)"
expect_exit 0
expect_json .verdict ok

note "a range that leaves out the oldest commit forks from a non-ref commit"
run_kvmx86 check-base --json x86/vmx/good-series~1..x86/vmx/good-series
expect_exit 1
expect_json .verdict wrong
expect_json '.commits | length' 1
expect_json .base_commit "$(sha x86/vmx/good-series~1)"
