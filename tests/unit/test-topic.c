// SPDX-License-Identifier: GPL-2.0-only
/* The topic a commit's files imply (catalog sections 2 and 3). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"

/*
 * Checks the prefix (NULL for none) that the paths, NULL-terminated,
 * imply, and that the reason contains because.
 */
static void check(const char *prefix, const char *because, ...)
{
	struct kx_patch p;
	const char *got, *path;
	char *reason = NULL;
	va_list ap;

	kx_patch_init(&p);
	kx_patch_set_message(&p, "subject\n\nbody\n");
	va_start(ap, because);
	while ((path = va_arg(ap, const char *)))
		kx_patch_add_file(&p, path);
	va_end(ap);
	got = kx_topic_from_files(&p, &reason);
	if (prefix)
		assert_non_null(got);
	if (prefix)
		assert_string_equal(got, prefix);
	else
		assert_null(got);
	assert_non_null(reason);
	if (!strstr(reason, because))
		fail_msg("reason '%s' lacks '%s'", reason, because);
	free(reason);
	kx_patch_release(&p);
}

static void test_topic__single_files(void **state)
{
	(void)state;
	check("KVM: nVMX:", "arch/x86/kvm/vmx/nested.c -> nVMX",
	      "arch/x86/kvm/vmx/nested.c", NULL);
	check("KVM: nVMX:", "vmcs12.h -> nVMX", "arch/x86/kvm/vmx/vmcs12.h",
	      NULL);
	check("KVM: VMX:", "-> VMX", "arch/x86/kvm/vmx/vmx.c", NULL);
	check("KVM: VMX:", "-> VMX", "arch/x86/kvm/vmx/tdx.c", NULL);
	check("KVM: VMX:", "-> VMX", "arch/x86/kvm/vmx/tdx_arch.h", NULL);
	check("KVM: VMX:", "-> VMX", "arch/x86/kvm/vmx/hyperv_evmcs.c", NULL);
	check("KVM: x86/pmu:", "-> x86/pmu", "arch/x86/kvm/vmx/pmu_intel.c",
	      NULL);
	check("KVM: nSVM:", "-> nSVM", "arch/x86/kvm/svm/nested.c", NULL);
	check("KVM: x86/pmu:", "-> x86/pmu", "arch/x86/kvm/svm/pmu.c", NULL);
	check("KVM: SVM:", "-> SVM", "arch/x86/kvm/svm/sev.c", NULL);
	check("KVM: SVM:", "-> SVM", "arch/x86/kvm/svm/hyperv.h", NULL);
	check("KVM: x86/mmu:", "-> x86/mmu", "arch/x86/kvm/mmu/tdp_mmu.c",
	      NULL);
	check("KVM: x86/mmu:", "-> x86/mmu", "arch/x86/kvm/mmu.h", NULL);
	check("KVM: x86/pmu:", "-> x86/pmu", "arch/x86/kvm/pmu.c", NULL);
	check("KVM: x86/pmu:", "-> x86/pmu",
	      "arch/x86/include/asm/kvm-x86-pmu-ops.h", NULL);
	check("KVM: x86/xen:", "-> x86/xen", "arch/x86/kvm/xen.h", NULL);
	check("KVM: x86:", "-> x86", "arch/x86/kvm/x86.c", NULL);
	check("KVM: x86:", "-> x86", "arch/x86/kvm/lapic.c", NULL);
	check("KVM: x86:", "-> x86", "arch/x86/kvm/hyperv.c", NULL);
	check("KVM: x86:", "-> x86", "arch/x86/include/asm/kvm_host.h", NULL);
	check("KVM: x86:", "-> x86", "arch/x86/include/uapi/asm/kvm.h", NULL);
	check("KVM: x86:", "-> x86", "Documentation/virt/kvm/x86/mmu.rst",
	      NULL);
	check("KVM:", "virt/kvm/kvm_main.c -> KVM", "virt/kvm/kvm_main.c",
	      NULL);
	check("KVM:", "-> KVM", "include/linux/kvm_host.h", NULL);
	check("KVM:", "-> KVM", "include/uapi/linux/kvm.h", NULL);
	check("KVM: selftests:", "-> selftests",
	      "tools/testing/selftests/kvm/x86_64/nested_exceptions_test.c",
	      NULL);
	check("KVM: selftests:", "-> selftests",
	      "tools/testing/selftests/kvm/lib/kvm_util.c", NULL);
}

static void test_topic__legacy_layout(void **state)
{
	(void)state;
	check("KVM: VMX:", "-> VMX", "arch/x86/kvm/vmx.c", NULL);
	check("KVM: SVM:", "-> SVM", "arch/x86/kvm/svm.c", NULL);
	check("KVM: x86/mmu:", "-> x86/mmu", "arch/x86/kvm/mmu.c", NULL);
	check("KVM: x86/mmu:", "-> x86/mmu", "arch/x86/kvm/paging_tmpl.h",
	      NULL);
	check("KVM: x86/pmu:", "-> x86/pmu", "arch/x86/kvm/pmu_amd.c", NULL);
}

static void test_topic__other_arches(void **state)
{
	(void)state;
	check("KVM: arm64:", "-> arm64", "arch/arm64/kvm/mmu.c", NULL);
	check("KVM: arm64:", "-> arm64", "arch/arm64/include/asm/kvm_host.h",
	      NULL);
	check("KVM: arm64:", "-> arm64", "include/kvm/arm_vgic.h", NULL);
	check("KVM: riscv:", "-> riscv", "arch/riscv/kvm/vcpu.c", NULL);
	check("KVM: s390:", "-> s390", "arch/s390/include/uapi/asm/kvm.h",
	      NULL);
	check("KVM: PPC:", "-> PPC", "arch/powerpc/kvm/book3s_hv.c", NULL);
	check("KVM: LoongArch:", "-> LoongArch", "arch/loongarch/kvm/vcpu.c",
	      NULL);
	check("KVM: MIPS:", "-> MIPS", "arch/mips/kvm/mips.c", NULL);
	/* another architecture's selftests are still selftests */
	check("KVM: selftests:", "-> selftests",
	      "tools/testing/selftests/kvm/aarch64/vgic_irq.c", NULL);
}

static void test_topic__common_ancestor(void **state)
{
	(void)state;
	check("KVM: VMX:",
	      "arch/x86/kvm/vmx/nested.c -> nVMX, arch/x86/kvm/vmx/vmx.c -> VMX; common ancestor VMX",
	      "arch/x86/kvm/vmx/nested.c", "arch/x86/kvm/vmx/vmx.c", NULL);
	check("KVM: x86:", "common ancestor x86", "arch/x86/kvm/vmx/nested.c",
	      "arch/x86/kvm/svm/nested.c", NULL);
	check("KVM: x86:", "common ancestor x86", "arch/x86/kvm/vmx/vmx.c",
	      "arch/x86/kvm/pmu.c", NULL);
	check("KVM: x86:", "common ancestor x86", "arch/x86/kvm/mmu/mmu.c",
	      "arch/x86/kvm/x86.c", NULL);
	check("KVM: SVM:", "common ancestor SVM", "arch/x86/kvm/svm/svm.c",
	      "arch/x86/kvm/svm/nested.c", "arch/x86/kvm/svm/sev.c", NULL);
	check("KVM:", "common ancestor KVM", "arch/x86/kvm/x86.c",
	      "virt/kvm/kvm_main.c", NULL);
	check("KVM:", "common ancestor KVM", "arch/arm64/kvm/mmu.c",
	      "arch/x86/kvm/mmu/mmu.c", "virt/kvm/kvm_main.c", NULL);
	check("KVM:", "common ancestor KVM", "arch/arm64/kvm/mmu.c",
	      "arch/riscv/kvm/mmu.c", NULL);
	/* one node twice: no ancestor to name */
	check("KVM: nVMX:", "nested.c -> nVMX, arch/x86/kvm/vmx/vmcs12.c",
	      "arch/x86/kvm/vmx/nested.c", "arch/x86/kvm/vmx/vmcs12.c", NULL);
}

static void test_topic__selftests_beside_kernel_code(void **state)
{
	(void)state;
	/* the kernel side decides; splitting is split-selftests' advice */
	check("KVM: nVMX:", "selftests aside, common ancestor nVMX",
	      "arch/x86/kvm/vmx/nested.c",
	      "tools/testing/selftests/kvm/x86_64/vmx_test.c", NULL);
	check("KVM:", "selftests aside, common ancestor KVM",
	      "virt/kvm/kvm_main.c",
	      "tools/testing/selftests/kvm/lib/kvm_util.c", NULL);
}

static void test_topic__ignored_paths(void **state)
{
	(void)state;
	check("KVM: nVMX:", "nested.c -> nVMX", "MAINTAINERS",
	      "arch/x86/kvm/vmx/nested.c", "Documentation/virt/kvm/api.rst",
	      "tools/testing/selftests/kvm/.gitignore", NULL);
	check(NULL, "no path maps to a KVM topic", "MAINTAINERS", NULL);
	check(NULL, "no path maps to a KVM topic",
	      "Documentation/virt/kvm/api.rst", NULL);
	check(NULL, "no path maps to a KVM topic", ".gitignore",
	      "drivers/net/dummy.c", NULL);
	check(NULL, "no changed files", NULL);
}

static void test_topic__advice_level_paths(void **state)
{
	(void)state;
	check(NULL, "arch/x86/include/asm/vmx.h suggests VMX",
	      "arch/x86/include/asm/vmx.h", NULL);
	check(NULL, "suggests SVM", "arch/x86/include/asm/svm.h", NULL);
	check(NULL, "arch/x86/kvm/vmx/hyperv.c suggests nVMX",
	      "arch/x86/kvm/vmx/hyperv.c", NULL);
	check(NULL, "suggests nVMX", "arch/x86/kvm/vmx/evmcs.h", NULL);
	/* beside a file with a firm topic, they are left aside */
	check("KVM: x86/mmu:", "-> x86/mmu", "arch/x86/include/asm/vmx.h",
	      "arch/x86/kvm/mmu/spte.c", NULL);
	check("KVM: VMX:", "-> VMX", "arch/x86/kvm/vmx/hyperv.c",
	      "arch/x86/kvm/vmx/vmx.c", NULL);
}

static void test_topic__guest_side(void **state)
{
	(void)state;
	check("x86/kvm:", "arch/x86/kernel/kvm.c -> x86/kvm, Linux as a KVM guest",
	      "arch/x86/kernel/kvm.c", NULL);
	check("x86/kvm:", "kvmclock.c -> x86/kvm", "arch/x86/kernel/kvmclock.c",
	      "arch/x86/include/asm/kvm_para.h", NULL);
	check(NULL, "either 'KVM: x86:' or 'x86/kvm:'",
	      "arch/x86/include/uapi/asm/kvm_para.h", NULL);
	/* host code beside the guest side: the host decides */
	check("KVM: x86:", "cpuid.c -> x86", "arch/x86/kernel/kvm.c",
	      "arch/x86/kvm/cpuid.c", NULL);
}

static void test_topic__outside_kvm(void **state)
{
	(void)state;
	check(NULL, "arch/x86/mm/fault.c is outside KVM: tip rules",
	      "arch/x86/mm/fault.c", NULL);
	check(NULL, "outside KVM: tip rules",
	      "arch/x86/kernel/cpu/common.c", "MAINTAINERS", NULL);
	check(NULL, "outside KVM: tip rules",
	      "arch/x86/include/asm/cpufeatures.h",
	      "arch/x86/include/asm/vmx.h", NULL);
	check(NULL, "no path maps to a KVM topic", "arch/arm64/mm/mmu.c",
	      NULL);
}

/* "Commits that primarily change arch/x86 code that is not KVM" */
static void test_topic__mostly_outside_kvm(void **state)
{
	struct kx_patch p;
	struct kx_patch_file *f;
	char *reason = NULL;
	int i;

	(void)state;
	kx_patch_init(&p);
	f = kx_patch_add_file(&p, "arch/x86/kernel/cpu/common.c");
	for (i = 0; i < 20; i++)
		kx_strlist_addf(&f->added, "line %d", i);
	f = kx_patch_add_file(&p, "arch/x86/kvm/cpuid.c");
	kx_strlist_add(&f->added, "one line");
	assert_null(kx_topic_from_files(&p, &reason));
	assert_non_null(strstr(reason, "mostly outside KVM: tip rules"));
	free(reason);

	/* the other way round: KVM's */
	for (i = 0; i < 40; i++)
		kx_strlist_addf(&f->removed, "line %d", i);
	assert_string_equal(kx_topic_from_files(&p, &reason), "KVM: x86:");
	free(reason);
	kx_patch_release(&p);
}

static void test_topic__reason_is_optional_and_bounded(void **state)
{
	struct kx_patch p;
	char *reason = NULL;
	char path[64];
	int i;

	(void)state;
	kx_patch_init(&p);
	for (i = 0; i < 12; i++) {
		snprintf(path, sizeof(path), "arch/x86/kvm/mmu/f%d.c", i);
		kx_patch_add_file(&p, path);
	}
	assert_string_equal(kx_topic_from_files(&p, NULL), "KVM: x86/mmu:");
	assert_string_equal(kx_topic_from_files(&p, &reason), "KVM: x86/mmu:");
	assert_non_null(strstr(reason, " and 4 more"));
	free(reason);
	kx_patch_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topic__single_files),
		cmocka_unit_test(test_topic__legacy_layout),
		cmocka_unit_test(test_topic__other_arches),
		cmocka_unit_test(test_topic__common_ancestor),
		cmocka_unit_test(test_topic__selftests_beside_kernel_code),
		cmocka_unit_test(test_topic__ignored_paths),
		cmocka_unit_test(test_topic__advice_level_paths),
		cmocka_unit_test(test_topic__guest_side),
		cmocka_unit_test(test_topic__outside_kvm),
		cmocka_unit_test(test_topic__mostly_outside_kvm),
		cmocka_unit_test(test_topic__reason_is_optional_and_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
