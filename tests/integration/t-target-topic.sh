#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# target_topic comes from the branch name x86/<topic>/<name>.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"

run_kvmx86 check-base --json x86/vmx/good-series
expect_exit 0
expect_json .target_topic vmx
expect_json .branch x86/vmx/good-series
run_kvmx86 check-base x86/vmx/good-series
expect_stdout_matches '^target: +kvm-x86/vmx$'

run_kvmx86 check-base --json x86/mmu/multiarch
expect_json .target_topic mmu

run_kvmx86 check-base --json fixes/current
expect_exit 0
expect_json .target_topic null
expect_json .branch fixes/current
run_kvmx86 check-base fixes/current
expect_stdout_lacks 'target:'

note "checked out branches"
git checkout -q --no-track -b x86/pmu/counters x86/vmx/good-series
run_kvmx86 check-base --json
expect_exit 0
expect_json .target_topic pmu
expect_json .branch x86/pmu/counters

git checkout -q --no-track -b my-series x86/vmx/good-series
run_kvmx86 check-base --json
expect_exit 0
expect_json .target_topic null
expect_json .branch my-series

note "a topic the KVM x86 tree has no branch for is named as such"
git checkout -q --no-track -b x86/foo/thing x86/vmx/good-series
run_kvmx86 check-base
expect_stdout_matches '^target: +kvm-x86/foo \(no such branch there\)$'
run_kvmx86 check-base --json
expect_json .target_topic foo

note "detached HEAD: no branch, no topic"
git checkout -q --detach x86/vmx/good-series
run_kvmx86 check-base --json
expect_exit 0
expect_json .branch null
expect_json .target_topic null
expect_json .verdict ok
