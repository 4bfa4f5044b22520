#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# --suggest-topic and prep --check give one answer: a commit touching only
# arch/x86/kvm/vmx/evmcs.c or arch/x86/include/asm/vmx.h, whose history
# does not decide (one earlier commit), gets a handbook topic, and a
# subject with that topic draws no shortlog finding; the prefix the check
# recommends is the suggestion.
. "$(dirname "$0")/lib.sh"

evmcs=arch/x86/kvm/vmx/evmcs.c
vmxh=arch/x86/include/asm/vmx.h
git init -q "$T/repo"
cd "$T/repo"

# The rules that read the prefix.
prefix_rules='["shortlog-prefix", "shortlog-topic-known", "shortlog-case", "no-x86-kvm-prefix", "no-file-path-prefix", "topic-from-files"]'

# change FILE... -- SUBJECT: appends a line to each FILE and commits.
n=0
change() {
	while [ "$1" != -- ]; do
		n=$((n + 1))
		echo "int line_$n;" | add_lines "$1"
		shift
	done
	commit_all "$2" "Change the files for the test."
}

change Makefile -- "Initial tree"
change arch/x86/kvm/x86.c -- "KVM: x86: Unrelated change"
# one commit each: a vote of one decides nothing
change "$evmcs" -- "KVM: VMX: Touch the eVMCS file once"
change "$vmxh" -- "x86/vmx: Touch the VMX header once"
git branch base

# suggest REV: the prefix --suggest-topic prints, in $prefix.
suggest() {
	run_kvmx86 prep --suggest-topic --json "$1"
	expect_exit 0 "--suggest-topic $1"
	prefix=$(jq -r .prefix <"$OUT")
}

# clean RANGE: prep --check reports nothing about the prefix.
clean() {
	run_kvmx86 prep --check --json "$1"
	expect_exit 0 "prep --check $1"
	expect_json_true "[.findings[] | select(.rule as \$r | $prefix_rules | index(\$r))] | length == 0" \
		"no shortlog finding on $1 with the suggested prefix"
}

# reword SUBJECT: gives HEAD a new subject.
reword() {
	git commit -q --amend --no-verify -m "$1" -m "Change the file for the test." -s
}

note "eVMCS alone: a handbook topic, not tip's x86/kvm:"
git checkout -q -b evmcs base
change "$evmcs" -- "x86/kvm: Fix the eVMCS field table"
suggest HEAD
[ "$prefix" = "KVM: nVMX:" ] || fail "eVMCS: suggested '$prefix', not 'KVM: nVMX:'"
expect_json_true '.reason | contains("arch/x86/kvm/vmx/evmcs.c hints at nVMX")' \
	"the reason names the file's hint"
run_kvmx86 prep --check --json base..HEAD
expect_exit 1
expect_json '.findings[] | select(.rule == "no-x86-kvm-prefix") | .message' \
	"prefix 'x86/kvm:' is only for Linux as a KVM guest (arch/x86/kernel/kvm.c): use 'KVM: nVMX:' for KVM code"
reword "$prefix Fix the eVMCS field table"
clean base..HEAD

note "asm/vmx.h alone: a handbook topic, not x86/include:"
git checkout -q -b vmxh base
change "$vmxh" -- "x86/include: Add a VMCS field"
suggest HEAD
[ "$prefix" = "KVM: VMX:" ] || fail "asm/vmx.h: suggested '$prefix', not 'KVM: VMX:'"
clean base..HEAD
reword "$prefix Add a VMCS field"
clean base..HEAD

note "both files in one commit"
git checkout -q -b both base
change "$evmcs" "$vmxh" -- "KVM: Add an eVMCS field"
suggest HEAD
case "$prefix" in KVM:\ ?*:) ;; *) fail "both: '$prefix' has no topic" ;; esac
reword "$prefix Add an eVMCS field"
clean base..HEAD

note "every kind of KVM path: the suggestion passes the check"
for path in arch/x86/kvm/lapic.c arch/x86/kvm/mmu/tdp_mmu.c \
	arch/x86/kvm/vmx/hyperv.c arch/x86/kvm/svm/sev.c \
	arch/x86/kvm/vmx/pmu_intel.c arch/x86/include/asm/kvm_host.h \
	arch/x86/include/asm/kvm_para.h arch/x86/include/asm/kvmclock.h \
	arch/x86/include/asm/svm.h arch/x86/include/uapi/asm/kvm.h \
	tools/testing/selftests/kvm/.gitignore \
	tools/testing/selftests/kvm/lib/kvm_util.c virt/kvm/kvm_main.c; do
	git checkout -q -B each base
	change "$path" -- "Change $path"
	suggest HEAD
	case "$prefix" in KVM:*) ;; *) fail "$path: '$prefix' is no KVM prefix" ;; esac
	reword "$prefix Change a file"
	clean base..HEAD
done
