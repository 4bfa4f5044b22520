#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# prep --check's reverse-fir-tree on a commit that adds a KVM function:
# advice at the first declaration wider than the one above it, with the
# file and line; none once they are longest first, none for an old
# function the commit only changes; tip-comment-style on a tail comment
# after an added statement; tip-brackets, tip-misc-style and
# no-sdm-copy-in-comments on a new function.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
b=x86/misc/fir-tree
new_branch "$b" kvm-x86/next
add_lines arch/x86/kvm/x86.c <<'EOS'

static int kvm_count_shadow_pages(struct kvm_vcpu *vcpu)
{
	int r = 0;
	struct kvm_mmu_page *sp = NULL;

	r += sp ? 1 : 0;
	return r;
}
EOS
commit_all "KVM: x86: Add a helper to count shadow pages" \
	"Count the shadow pages of a vCPU's MMU for the statistics."
line=$(grep -n 'struct kvm_mmu_page \*sp = NULL;' arch/x86/kvm/x86.c | cut -d: -f1)

note "a new function, a short declaration above a long one: advice"
run_kvmx86 prep --check --json kvm-x86/next.."$b"
expect_exit 0
expect_json_true "[.findings[] | select(.rule == \"reverse-fir-tree\")] | length == 1" \
	"one reverse-fir-tree finding"
expect_json '.findings[] | select(.rule == "reverse-fir-tree") | "\(.severity) \(.path):\(.line)"' \
	"advice arch/x86/kvm/x86.c:$line"
run_kvmx86 prep --check kvm-x86/next.."$b"
expect_stdout_contains "arch/x86/kvm/x86.c:$line: advice reverse-fir-tree: 'struct kvm_mmu_page *sp = NULL;' is longer than 'int r = 0;' above it"

note "longest first: none"
sed -i 's/^\tint r = 0;$/\tstruct kvm_mmu_page *sp = NULL;/; t; s/^\tstruct kvm_mmu_page \*sp = NULL;$/\tint r = 0;/' arch/x86/kvm/x86.c
grep -A3 '^static int kvm_count_shadow_pages' arch/x86/kvm/x86.c | grep -q 'sp = NULL' ||
	fail "the test did not reorder the declarations"
git commit -q -a --amend --no-edit
run_kvmx86 prep --check --json kvm-x86/next.."$b"
expect_json_true '[.findings[] | select(.rule == "reverse-fir-tree")] | length == 0' \
	"no finding once ordered"

note "an old function whose declarations the commit changes: none"
sed -i 's/^\tint r = 0;$/\tint r = 1;/' arch/x86/kvm/x86.c
sed -i 's/^\tstruct kvm_mmu_page \*sp = NULL;$/\tu8 n;\n&/' arch/x86/kvm/x86.c
commit_all "KVM: x86: Count from one" "Count the root page too."
run_kvmx86 prep --check --json "$b"~1.."$b"
expect_json_true '[.findings[] | select(.rule == "reverse-fir-tree")] | length == 0' \
	"no finding on a changed function"

note "tip-comment-style: a tail comment after an added statement"
add_lines arch/x86/kvm/x86.c <<'EOS'

static void kvm_reset_shadow_count(struct kvm_vcpu *vcpu)
{
	vcpu->stat.shadow_pages = 0; /* start over */
}
EOS
commit_all "KVM: x86: Add a helper to reset the shadow page count" \
	"Reset the count when the MMU is reset."
line=$(grep -n 'start over' arch/x86/kvm/x86.c | cut -d: -f1)
run_kvmx86 prep --check kvm-x86/next.."$b"
expect_exit 0
expect_stdout_contains "arch/x86/kvm/x86.c:$line: advice tip-comment-style: tail comment '/* start over */' after code: put the comment on lines of its own above the code"
git config kvmx86.rule.tip-comment-style off
run_kvmx86 prep --check kvm-x86/next.."$b"
expect_stdout_lacks "tip-comment-style"
git config --unset kvmx86.rule.tip-comment-style

note "tip-brackets, tip-misc-style, no-sdm-copy-in-comments: path and line of each"
add_lines arch/x86/kvm/x86.c <<'EOS'

static void kvm_zap_shadow_counts(struct kvm *kvm)
{
	unsigned i;

	/*
	 * From the Intel SDM, volume 3:
	 * The shadow counts are cleared when the frob is reset.  Software
	 * must not rely on the counts after a reset.
	 */
	for (i = 0; i < KVM_MAX_VCPUS; i++)
		if (kvm->vcpus[i])
			kvm->vcpus[i]->stat.shadow_pages = 0;
}
EOS
commit_all "KVM: x86: Add a helper to zap the shadow page counts" \
	"Zap every vCPU's count when the VM's MMU is reset."
loop=$(grep -n 'for (i = 0; i < KVM_MAX_VCPUS; i++)$' arch/x86/kvm/x86.c | cut -d: -f1)
decl=$(grep -n '^	unsigned i;$' arch/x86/kvm/x86.c | cut -d: -f1)
copy=$(grep -n 'The shadow counts are cleared' arch/x86/kvm/x86.c | cut -d: -f1)
run_kvmx86 prep --check kvm-x86/next.."$b"
expect_exit 0
expect_stdout_contains "arch/x86/kvm/x86.c:$loop: advice tip-brackets: 'for' without braces over a nested if: put braces around a body that is not truly a single line (tip)"
expect_stdout_contains "arch/x86/kvm/x86.c:$decl: advice tip-misc-style: bare 'unsigned' in 'unsigned i;': write 'unsigned int' (tip)"
expect_stdout_contains "arch/x86/kvm/x86.c:$copy: advice no-sdm-copy-in-comments: comment in arch/x86/kvm/x86.c copies text of the SDM/APM"
for rule in tip-brackets tip-misc-style no-sdm-copy-in-comments; do
	git config kvmx86.rule.$rule off
done
run_kvmx86 prep --check kvm-x86/next.."$b"
expect_stdout_lacks "tip-brackets"
expect_stdout_lacks "tip-misc-style"
expect_stdout_lacks "no-sdm-copy-in-comments"
