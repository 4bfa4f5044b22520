#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# verdict ok: an x86 series sitting on the tip of kvm-x86/next
# (x86/vmx/good-series), checked out, and named as a REV from elsewhere.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)
[ "$(mf branch.x86/vmx/good-series.fork)" = "$next" ] || fail "bad sample repo"

note "checked out, text output"
git checkout -q x86/vmx/good-series
run_kvmx86 check-base
expect_exit 0
expect_verdict ok
expect_stdout_matches '^series: +x86/vmx/good-series, 3 commits$'
expect_stdout_matches '^scope: +x86$'
expect_stdout_matches "^recommended: +kvm-x86/next \\($(short "$next")\\)\$"
expect_stdout_matches "^actual: +kvm-x86/next \\($(short "$next")\\)"
# ok has no remedy
expect_stdout_lacks "git rebase"

note "checked out, json"
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok
expect_json .scope x86
expect_json .detected_scope x86
expect_json .recommended_base kvm-x86/next
expect_json .actual_base kvm-x86/next
expect_json .recommended_commit "$next"
expect_json .base_commit "$next"
expect_json .remedy null
expect_json .branch x86/vmx/good-series
expect_json .x86_remote kvm-x86
expect_json .kvm_remote kvm
expect_json .cycle_rc v6.3-rc2
expect_json '.commits | length' 3

note "REV argument from master"
git checkout -q master
run_kvmx86 check-base --json x86/vmx/good-series
expect_exit 0
expect_json .verdict ok
expect_json .base_commit "$next"
expect_json '.commits | length' 3
expect_json .branch x86/vmx/good-series

note "REV argument, text"
run_kvmx86 check-base x86/vmx/good-series
expect_exit 0
expect_verdict ok

note "from a subdirectory of the work tree"
git checkout -q x86/vmx/good-series
cd arch/x86/kvm
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok
