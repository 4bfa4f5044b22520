#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# Superficial changes to common code do not make a series multi-arch:
# uapi #defines, header declarations, comments, renamed calls.  Substantive
# lines beyond kvmx86.superficialLines (default 5) do.
. "$(dirname "$0")/lib.sh"

cd "$(sample_repo)"
next=$(sha refs/remotes/kvm-x86/next)

expect_x86_ok() {
	run_kvmx86 check-base --json
	expect_exit 0 "$1"
	expect_json .detected_scope x86
	expect_json .scope x86
	expect_json .verdict ok
	expect_json .base_commit "$next"
}

note "#define KVM_CAP_* lines in include/uapi/linux/kvm.h plus x86 code"
new_branch x86/misc/new-cap refs/remotes/kvm-x86/next
sed -i 's/^#define KVM_CAP_PMU_EVENT_MASKED_EVENTS 226$/&\n#define KVM_CAP_FOO 227\n#define KVM_CAP_FOO_BAR 228\n#define KVM_CAP_FOO_BAZ 229\n#define KVM_CAP_FOO_QUX 230\n#define KVM_CAP_FOO_QUUX 231\n#define KVM_CAP_FOO_CORGE 232\n#define KVM_CAP_FOO_GRAULT 233/' \
	include/uapi/linux/kvm.h
add_lines arch/x86/kvm/x86.c <<'EOT'

int kvm_vm_ioctl_check_extension_foo(struct kvm *kvm, long ext)
{
	switch (ext) {
	case KVM_CAP_FOO:
	case KVM_CAP_FOO_BAR:
		return 1;
	case KVM_CAP_FOO_BAZ:
		return kvm->arch.foo_baz_enabled;
	default:
		return 0;
	}
}
EOT
commit_all "KVM: x86: Add KVM_CAP_FOO"
[ "$(git diff HEAD~1 -- include/uapi/linux/kvm.h | grep -c '^+#define')" = 7 ] ||
	fail "precondition: the defines were not added"
expect_x86_ok uapi-defines
expect_json .superficial.common_logic 0

note "a one-line renamed call in virt/kvm"
new_branch x86/mmu/rename refs/remotes/kvm-x86/next
sed -i 's/kvm_arch_flush_remote_tlb(kvm)/kvm_arch_flush_remote_tlbs(kvm)/' \
	virt/kvm/kvm_main.c
add_lines arch/x86/kvm/mmu/mmu.c <<'EOT'

int kvm_arch_flush_remote_tlbs(struct kvm *kvm)
{
	if (!kvm_x86_ops.flush_remote_tlbs)
		return -ENOTSUPP;

	return static_call(kvm_x86_flush_remote_tlbs)(kvm);
}
EOT
commit_all "KVM: x86: Rename kvm_arch_flush_remote_tlb() to ..._tlbs()"
[ "$(git diff HEAD~1 -- virt/kvm/kvm_main.c | grep -c '^[-+]	')" = 2 ] ||
	fail "precondition: not a one-line change"
expect_x86_ok rename
expect_json .superficial.common_logic 0

note "declarations in include/linux/kvm_host.h plus x86 code"
new_branch x86/misc/decls refs/remotes/kvm-x86/next
sed -i 's/^bool kvm_vcpu_wake_up(struct kvm_vcpu \*vcpu);$/&\nint kvm_foo_init(struct kvm *kvm);\nvoid kvm_foo_destroy(struct kvm *kvm);\nint kvm_foo_enable(struct kvm *kvm, u64 flags);\nvoid kvm_foo_disable(struct kvm *kvm);\nbool kvm_foo_enabled(struct kvm *kvm);\nstruct kvm_foo *kvm_foo_get(struct kvm *kvm, u32 id);\nvoid kvm_foo_put(struct kvm_foo *foo);/' \
	include/linux/kvm_host.h
x86_commit 1
expect_x86_ok declarations

note "comments in virt/kvm plus x86 code"
new_branch x86/misc/comments refs/remotes/kvm-x86/next
sed -i 's/^void kvm_flush_remote_tlbs(struct kvm \*kvm)$/\/*\n * kvm_flush_remote_tlbs() - flush the TLBs of every vCPU of @kvm\n * @kvm: the VM\n *\n * Publishes page table changes before the flush: a memory barrier in\n * the arch code pairs with the one implied by the request.  The x86\n * code may use a hypervisor-assisted flush instead.\n *\n * Context: any; may sleep if the arch flush sleeps.\n *\/\n&/' \
	virt/kvm/kvm_main.c
x86_commit 2
expect_x86_ok comments

note "5 substantive lines in virt/kvm: still x86 (limit is > 5)"
new_branch x86/misc/five refs/remotes/kvm-x86/next
sed -i 's/^	++kvm->stat.generic.remote_tlb_flush_requests;$/&\n	kvm->stat.generic.a = 1;\n	kvm->stat.generic.b = 2;\n	kvm->stat.generic.c = 3;\n	kvm->stat.generic.d = 4;\n	kvm->stat.generic.e = 5;/' \
	virt/kvm/kvm_main.c
x86_commit 3
expect_x86_ok five-lines
expect_json .superficial.common_logic 5

note "6 substantive lines in virt/kvm: multi-arch"
new_branch x86/misc/six refs/remotes/kvm-x86/next
sed -i 's/^	++kvm->stat.generic.remote_tlb_flush_requests;$/&\n	kvm->stat.generic.a = 1;\n	kvm->stat.generic.b = 2;\n	kvm->stat.generic.c = 3;\n	kvm->stat.generic.d = 4;\n	kvm->stat.generic.e = 5;\n	kvm->stat.generic.f = 6;/' \
	virt/kvm/kvm_main.c
x86_commit 4
run_kvmx86 check-base --json
expect_exit 1
expect_json .detected_scope multi-arch
expect_json .superficial.common_logic 6
expect_json .verdict wrong
expect_json .recommended_base v6.3-rc2

note "kvmx86.superficialLines=10 raises the limit"
git config kvmx86.superficialLines 10
run_kvmx86 check-base --json
expect_exit 0
expect_json .detected_scope x86
expect_json .superficial.limit 10

note "a bad kvmx86.superficialLines is an error for every command, not advice"
git config kvmx86.superficialLines abc
run_kvmx86 check-base
expect_fatal "kvmx86.superficialLines"
expect_stderr_contains "hint: a number of lines: git config kvmx86.superficialLines 5"
run_kvmx86 prep --check
expect_fatal "kvmx86.superficialLines"
expect_stdout_empty
git config --unset kvmx86.superficialLines

note "6 substantive lines in arch/arm64/kvm: multi-arch"
new_branch x86/mmu/arm-six refs/remotes/kvm-x86/next
sed -i 's/^	phys_addr_t end = addr + PAGE_SIZE \* memslot->npages;$/&\n\n	if (!memslot->npages)\n		return;\n	if (addr >= end)\n		return;\n	kvm->stat.generic.a++;\n	kvm->stat.generic.b++;/' \
	arch/arm64/kvm/mmu.c
x86_commit 5
run_kvmx86 check-base --json
expect_exit 1
expect_json .detected_scope multi-arch
expect_json .superficial.other_logic 6
