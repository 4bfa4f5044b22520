#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# A branch whose upstream is not a KVM remote gets a warning that mentions
# --base=auto (which would use that upstream); the verdict is unchanged.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
git checkout -q x86/vmx/good-series

note "upstream kvm-x86/next: no such warning"
run_kvmx86 check-base --json
expect_exit 0
expect_json_true '[.warnings[] | select(contains("--base=auto"))] | length == 0' \
	"no --base=auto warning"

note "upstream on a personal remote"
git remote add backup https://git.example.org/tess/linux.git
git update-ref refs/remotes/backup/x86/vmx/good-series x86/vmx/good-series
git branch -q --set-upstream-to=backup/x86/vmx/good-series
[ "$(git config branch.x86/vmx/good-series.remote)" = backup ] ||
	fail "precondition: upstream not set"
run_kvmx86 check-base --json
expect_exit 0
expect_json .verdict ok
expect_json_true '[.warnings[] | select(contains("--base=auto"))] | length > 0' \
	"a warning mentioning --base=auto"
run_kvmx86 check-base
expect_exit 0
expect_verdict ok
grep -E '^warning: .*--base=auto' "$OUT" >/dev/null ||
	fail "text output lacks 'warning: ...--base=auto'"

note "--print-base still prints the base"
run_kvmx86 check-base --print-base
expect_exit 0
expect_stdout_is "--base=$(sha refs/remotes/kvm-x86/next)"

note "upstream kvm/master: a KVM remote, no such warning"
git branch -q --set-upstream-to=kvm/master
run_kvmx86 check-base --json
expect_exit 0
expect_json_true '[.warnings[] | select(contains("--base=auto"))] | length == 0' \
	"no --base=auto warning for kvm/master"
