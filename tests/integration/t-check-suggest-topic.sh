#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --suggest-topic [REV] [--json]: the shortlog prefix that the files of
# one commit imply, with the topic and the reason.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

# The sample's single commits, one a kind of file.
nvmx=$(sha x86/vmx/good-series~1)	# arch/x86/kvm/vmx/nested.c
vmx=$(sha x86/vmx/good-series~2)	# arch/x86/kvm/vmx/vmx.c
selftest=$(sha x86/vmx/good-series)	# tools/testing/selftests/kvm/...
common=$(sha x86/mmu/multiarch~2)	# virt/kvm/kvm_main.c, include/linux/kvm_host.h
mmu=$(sha x86/mmu/multiarch)		# arch/x86/kvm/mmu/mmu.c
arm=$(sha refs/remotes/kvm/master)	# arch/arm64/kvm/mmu.c
guest=$(git rev-list -1 v6.3-rc2 -- arch/x86/kernel/kvm.c)
x86=$(sha x86/misc/bad-style)		# arch/x86/kvm/x86.c
for c in "$nvmx" "$vmx" "$selftest" "$common" "$mmu" "$arm" "$guest" "$x86"; do
	[ -n "$c" ] || fail "bad sample repo"
done
[ "$(git diff-tree --no-commit-id --name-only -r "$guest")" = arch/x86/kernel/kvm.c ] ||
	fail "bad sample repo: $guest is not a guest-side change"
[ "$(git diff-tree --no-commit-id --name-only -r "$nvmx")" = arch/x86/kvm/vmx/nested.c ] ||
	fail "bad sample repo: $nvmx is not a nested VMX change"

# expect_suggest REV PREFIX TOPIC: --json for REV
expect_suggest() {
	run_kvmx86 prep --suggest-topic --json "$1"
	expect_exit 0 "--suggest-topic $1"
	expect_json_true '(keys | sort) == ["commit", "prefix", "reason", "topic"]' \
		"--suggest-topic --json has commit, prefix, topic, reason"
	expect_json .commit "$(sha "$1")"
	expect_json .prefix "$2"
	expect_json .topic "$3"
	expect_json_true '.reason | type == "string" and length > 0' "a reason"
}

note "a nested VMX file: KVM: nVMX:"
expect_suggest "$nvmx" "KVM: nVMX:" nVMX
expect_json_true '.reason | contains("nested.c")' "the reason names the file"
note "a VMX file: KVM: VMX:"
expect_suggest "$vmx" "KVM: VMX:" VMX
note "common code: KVM:, no topic"
expect_suggest "$common" "KVM:" null
note "guest-side arch/x86/kernel/kvm.c: x86/kvm:, no topic"
expect_suggest "$guest" "x86/kvm:" null
expect_json_true '.reason | contains("arch/x86/kernel/kvm.c")' "the reason names the file"
note "a selftest: KVM: selftests:"
expect_suggest "$selftest" "KVM: selftests:" selftests
note "the MMU: KVM: x86/mmu:"
expect_suggest "$mmu" "KVM: x86/mmu:" x86/mmu
note "arm64: KVM: arm64:"
expect_suggest "$arm" "KVM: arm64:" arm64
note "arch/x86/kvm/x86.c: KVM: x86:"
expect_suggest "$x86" "KVM: x86:" x86

note "one commit, not its series: the tip of a 5-patch branch"
expect_suggest x86/misc/bad-style "KVM: x86:" x86
expect_suggest "x86/misc/bad-style~3" "KVM: x86:" x86

note "default: HEAD; text output"
git checkout -q x86/vmx/good-series~1
run_kvmx86 prep --suggest-topic --json
expect_exit 0
expect_json .commit "$nvmx"
expect_json .prefix "KVM: nVMX:"
run_kvmx86 prep --suggest-topic
expect_exit 0
expect_stdout_matches "^$(short "$nvmx") KVM: nVMX:\$"
expect_stdout_contains "nested.c"
expect_no_esc
git checkout -q master

note "not a commit: 128"
run_kvmx86 prep --suggest-topic --json no-such-rev
expect_fatal
expect_stdout_empty

note "the contract: prefix is always set, also for a commit outside KVM"
netc=$(git rev-list -1 v6.3-rc3 -- drivers/net/dummy.c)
[ "$(git diff-tree --no-commit-id --name-only -r "$netc")" = drivers/net/dummy.c ] ||
	fail "bad sample repo: $netc"
run_kvmx86 prep --suggest-topic --json "$netc"
expect_exit 0
expect_json .commit "$netc"
expect_json_true '.prefix | type == "string" and length > 0' \
	"issue 4's contract: --suggest-topic --json's prefix is always set (a commit of drivers/net)"

note "a range is one commit too many: bad usage naming REV"
run_kvmx86 prep --suggest-topic kvm-x86/next..x86/vmx/good-series
expect_exit 129
expect_stderr_contains "--suggest-topic looks at one commit, not a range"
