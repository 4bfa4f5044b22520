// SPDX-License-Identifier: GPL-2.0-only
/* The shortlog rules on literal subjects and paths: no repository. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"

/*
 * Runs rule on a commit with subject and the paths (NULL-terminated);
 * returns the findings of rule id, the severity of the first in *sev and
 * checks that its message contains msg (when not NULL).
 */
static size_t run(kx_patch_rule_fn rule, const char *id, const char *subject,
		  enum kx_severity *sev, const char *msg, ...)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_rule_env env = { 0 };
	struct kx_patch p;
	const char *path;
	char *message;
	va_list ap;
	size_t n, i;

	kx_patch_init(&p);
	message = kx_xasprintf("%s\n\nThe body.\n\nSigned-off-by: A <a@b.c>\n",
			       subject);
	kx_patch_set_message(&p, message);
	free(message);
	va_start(ap, msg);
	while ((path = va_arg(ap, const char *)))
		kx_patch_add_file(&p, path);
	va_end(ap);
	rule(&f, &p, &env);
	n = kx_findings_of(&f, id);
	assert_int_equal(n, f.nr);	/* a rule reports only itself */
	if (sev)
		*sev = n ? f.items[0].severity : KX_SEV_OFF;
	for (i = 0; msg && i < n; i++)
		if (!strstr(f.items[i].message, msg))
			fail_msg("'%s' lacks '%s'", f.items[i].message, msg);
	for (i = 0; i < f.nr; i++) {
		/* git's grammar: lowercase, no full stop */
		assert_false(f.items[i].message[0] >= 'A' &&
			     f.items[i].message[0] <= 'Z');
		assert_false(kx_ends_with(f.items[i].message, "."));
	}
	kx_findings_release(&f);
	kx_patch_release(&p);
	return n;
}

#define VMX "arch/x86/kvm/vmx/vmx.c"
#define NESTED "arch/x86/kvm/vmx/nested.c"
#define X86 "arch/x86/kvm/x86.c"
#define MMU "arch/x86/kvm/mmu/mmu.c"
#define SVM "arch/x86/kvm/svm/svm.c"
#define TEST "tools/testing/selftests/kvm/x86_64/nested_exceptions_test.c"
#define GUEST "arch/x86/kernel/kvm.c"

/* Expects no finding of the rule. */
#define PASS(fn, id, subject, ...)                                          \
	assert_int_equal(run(fn, id, subject, NULL, NULL, __VA_ARGS__, NULL), 0)

/* Expects one finding of severity sev whose message contains msg. */
#define FAIL(fn, id, subject, sev, msg, ...)                                \
	do {                                                                \
		enum kx_severity s_;                                        \
		assert_int_equal(run(fn, id, subject, &s_, msg, __VA_ARGS__, \
				     NULL), 1);                             \
		assert_int_equal(s_, sev);                                  \
	} while (0)

/* --- 1. shortlog-prefix --- */

static void test_rules_shortlog__prefix(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_prefix;
	const char *id = "shortlog-prefix";

	(void)state;
	PASS(fn, id, "KVM: VMX: Add a helper", VMX);
	PASS(fn, id, "KVM: Drop unused vCPU parameter", "virt/kvm/irqchip.c");
	PASS(fn, id, "KVM: selftests: Add a regression test", TEST);
	FAIL(fn, id, "Add a helper to clear the pending debug exceptions",
	     KX_SEV_WARNING, "has no prefix: start it with 'KVM: VMX:'", VMX);
	FAIL(fn, id, "KVM: Add a helper", KX_SEV_WARNING,
	     "prefix 'KVM:' has no topic: use 'KVM: nVMX:'", NESTED);
	FAIL(fn, id, "vmx: Add a helper", KX_SEV_WARNING,
	     "prefix 'vmx:' is not 'KVM: <topic>:': use 'KVM: VMX:'", VMX);
	FAIL(fn, id, "x86: vmx: Add a helper", KX_SEV_WARNING,
	     "prefix 'x86: vmx:'", VMX);
}

static void test_rules_shortlog__prefix_doubled(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_prefix;
	const char *id = "shortlog-prefix";

	(void)state;
	FAIL(fn, id, "KVM: x86: x86: Reject a bad value", KX_SEV_WARNING,
	     "prefix 'KVM: x86: x86:' repeats 'x86:': drop one", X86);
	FAIL(fn, id, "KVM: KVM: Drop a parameter", KX_SEV_WARNING,
	     "prefix 'KVM: KVM:' repeats 'KVM:': drop one",
	     "virt/kvm/irqchip.c");
	/* in any case, and outside KVM too */
	FAIL(fn, id, "KVM: VMX: vmx: Add a helper", KX_SEV_WARNING,
	     "repeats 'VMX:'", VMX);
	FAIL(fn, id, "x86/cpu: x86/cpu: Add a helper", KX_SEV_WARNING,
	     "repeats 'x86/cpu:'", "arch/x86/kernel/cpu/common.c");
	/* a topic and its child are two topics */
	PASS(fn, id, "KVM: x86/mmu: Add a helper", MMU);
	PASS(fn, id, "KVM: nVMX: Add a helper", NESTED);
}

static void test_rules_shortlog__prefix_exemptions(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_prefix;
	const char *id = "shortlog-prefix";

	(void)state;
	/* git's revert subjects */
	PASS(fn, id, "Revert \"KVM: VMX: Add a helper\"", VMX);
	/* tip rules for other arch/x86 code */
	PASS(fn, id, "x86/cpu: Add a feature flag",
	     "arch/x86/kernel/cpu/common.c");
	PASS(fn, id, "x86/mm: Fix a typo", "arch/x86/mm/fault.c",
	     "arch/x86/include/asm/vmx.h");
	/* the guest side takes tip's x86/kvm: */
	PASS(fn, id, "x86/kvm: Use a static key", GUEST);
	PASS(fn, id, "x86/kvm: Use a static key",
	     "arch/x86/kernel/kvmclock.c");
	/* other architectures have their own conventions */
	PASS(fn, id, "KVM: arm64: Consolidate MMIO handling",
	     "arch/arm64/kvm/mmio.c");
	PASS(fn, id, "arm64: KVM: Consolidate MMIO handling",
	     "arch/arm64/kvm/mmio.c");
	/* nothing to compare with */
	PASS(fn, id, "Fix a typo", "Documentation/virt/kvm/api.rst");
	PASS(fn, id, "Fix a typo", "MAINTAINERS");
	/* other rules report these */
	PASS(fn, id, "kvm: x86: Fix a typo", X86);
	PASS(fn, id, "x86/kvm: Fix a typo", X86);
	PASS(fn, id, "arch/x86/kvm/x86.c: Add missing braces", X86);
	PASS(fn, id, "KVM: SVM: Add a helper", VMX);
	/* common code may go without a topic */
	PASS(fn, id, "KVM: Add a common API", "virt/kvm/kvm_main.c",
	     "include/linux/kvm_host.h");
}

/* --- 2. shortlog-topic-known --- */

static void test_rules_shortlog__topic_known(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_topic_known;
	const char *id = "shortlog-topic-known";
	static const char *const listed[] = {
		"KVM: x86: Fix it", "KVM: x86/mmu: Fix it",
		"KVM: x86/pmu: Fix it", "KVM: x86/xen: Fix it",
		"KVM: selftests: Fix it", "KVM: SVM: Fix it",
		"KVM: nSVM: Fix it", "KVM: VMX: Fix it", "KVM: nVMX: Fix it",
		"KVM: Fix it",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(listed) / sizeof(listed[0]); i++)
		PASS(fn, id, listed[i], X86);
	FAIL(fn, id, "KVM: emulator: Fix it", KX_SEV_WARNING,
	     "topic 'emulator' is not a KVM x86 topic: use x86, x86/mmu", X86);
	FAIL(fn, id, "KVM: x86/hyperv: Fix it", KX_SEV_WARNING,
	     "topic 'x86/hyperv'", "arch/x86/kvm/hyperv.c");
}

static void test_rules_shortlog__topic_known_de_facto(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_topic_known;
	const char *id = "shortlog-topic-known";

	(void)state;
	FAIL(fn, id, "KVM: SEV: Reject non-positive effective lengths",
	     KX_SEV_ADVICE, "'SEV' is not in the handbook's list, though in use: the listed parent is 'KVM: SVM:'",
	     "arch/x86/kvm/svm/sev.c");
	FAIL(fn, id, "KVM: TDX: Add a helper", KX_SEV_ADVICE,
	     "'KVM: VMX:'", "arch/x86/kvm/vmx/tdx.c");
	FAIL(fn, id, "KVM: x86/apic: Fix it", KX_SEV_ADVICE, "'KVM: x86:'",
	     "arch/x86/kvm/lapic.c");
	FAIL(fn, id, "KVM: SVM,VMX: Use %rip-relative addressing",
	     KX_SEV_ADVICE, "listed common parent is 'KVM: x86:'", VMX, SVM);
}

static void test_rules_shortlog__topic_known_edge_cases(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_topic_known;
	const char *id = "shortlog-topic-known";

	(void)state;
	/* other architectures */
	PASS(fn, id, "KVM: arm64: Consolidate MMIO handling",
	     "arch/arm64/kvm/mmio.c");
	PASS(fn, id, "KVM: riscv: Fix it", "arch/riscv/kvm/vcpu.c");
	PASS(fn, id, "KVM: PPC: Book3S HV: Fix it",
	     "arch/powerpc/kvm/book3s_hv.c");
	PASS(fn, id, "KVM: s390: Fix it", "arch/s390/kvm/kvm-s390.c");
	/* wrong case, x86/kvm and file names are other rules' */
	PASS(fn, id, "kvm: vmx: Fix it", VMX);
	PASS(fn, id, "KVM: x86/kvm: Fix it", X86);
	PASS(fn, id, "KVM: x86.c: Fix it", X86);
	PASS(fn, id, "KVM: lapic: Fix it", "arch/x86/kvm/lapic.c");
	/* not a KVM prefix at all */
	PASS(fn, id, "x86/cpu: Add a feature flag",
	     "arch/x86/kernel/cpu/common.c");
	PASS(fn, id, "Revert \"KVM: emulator: Fix it\"", X86);
	/* a colon later in the description is no topic */
	PASS(fn, id, "KVM: Fix the error path, again: drop the lock",
	     "virt/kvm/kvm_main.c");
}

/* --- 3. shortlog-case --- */

static void test_rules_shortlog__case(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_case;
	const char *id = "shortlog-case";

	(void)state;
	PASS(fn, id, "KVM: x86: Fix a null pointer dereference", X86);
	PASS(fn, id, "KVM: nVMX: Fix it", NESTED);
	PASS(fn, id, "KVM: emulator: Fix it", X86);
	FAIL(fn, id, "kvm: vmx: Fix it", KX_SEV_ERROR,
	     "prefix 'kvm: vmx:' is not 'KVM: VMX:': names are case-sensitive",
	     VMX);
	FAIL(fn, id, "kvm: x86: fix a null pointer deref.", KX_SEV_ERROR,
	     "prefix 'kvm: x86:' is not 'KVM: x86:'", X86);
	FAIL(fn, id, "KVM: X86/MMU: Fix it", KX_SEV_ERROR,
	     "is not 'KVM: x86/mmu:'", MMU);
	FAIL(fn, id, "KVM: nvmx: Fix it", KX_SEV_ERROR,
	     "is not 'KVM: nVMX:'", NESTED);
	FAIL(fn, id, "KVM: Selftests: Fix it", KX_SEV_ERROR,
	     "is not 'KVM: selftests:'", TEST);
	FAIL(fn, id, "KVM: svm,vmx: Fix it", KX_SEV_ERROR,
	     "is not 'KVM: SVM,VMX:'", VMX);
	FAIL(fn, id, "Kvm: Fix it", KX_SEV_ERROR,
	     "prefix 'Kvm:' is not 'KVM:'", "virt/kvm/kvm_main.c");
	FAIL(fn, id, "kvm: emulator: Fix it", KX_SEV_ERROR,
	     "prefix 'kvm:' is not 'KVM:'", X86);
}

static void test_rules_shortlog__case_edge_cases(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_case;
	const char *id = "shortlog-case";

	(void)state;
	/* other architectures keep their own spelling */
	PASS(fn, id, "KVM: ARM64: Fix it", "arch/arm64/kvm/mmu.c");
	PASS(fn, id, "KVM: RISC-V: Fix it", "arch/riscv/kvm/vcpu.c");
	PASS(fn, id, "Revert \"kvm: x86: Fix it\"", X86);
	/* x86/kvm is no-x86-kvm-prefix's */
	PASS(fn, id, "X86/KVM: Fix it", GUEST);
	/* "kvm" inside the description */
	PASS(fn, id, "KVM: x86: Rename kvm: labels", X86);
}

/* --- 4. no-x86-kvm-prefix --- */

static void test_rules_shortlog__no_x86_kvm_prefix(void **state)
{
	kx_patch_rule_fn fn = kx_rule_no_x86_kvm_prefix;
	const char *id = "no-x86-kvm-prefix";

	(void)state;
	PASS(fn, id, "KVM: x86: Clarify the NULL check in kvm_set_cr0()", X86);
	FAIL(fn, id, "x86/kvm: Clarify the NULL check in kvm_set_cr0()",
	     KX_SEV_ERROR,
	     "prefix 'x86/kvm:' is only for Linux as a KVM guest (arch/x86/kernel/kvm.c): use 'KVM: x86:'",
	     X86);
	FAIL(fn, id, "KVM: x86/kvm: Fix it", KX_SEV_ERROR,
	     "prefix 'KVM: x86/kvm:'", X86);
	FAIL(fn, id, "x86/kvm: Fix it", KX_SEV_ERROR, "use 'KVM: nVMX:'",
	     NESTED);
	FAIL(fn, id, "x86/kvm: Fix it", KX_SEV_ERROR, "use 'KVM: x86:'",
	     GUEST, X86);
	FAIL(fn, id, "x86/kvm: Fix it", KX_SEV_ERROR, NULL, TEST);
}

static void test_rules_shortlog__x86_kvm_for_guest_side(void **state)
{
	kx_patch_rule_fn fn = kx_rule_no_x86_kvm_prefix;
	const char *id = "no-x86-kvm-prefix";

	(void)state;
	PASS(fn, id, "x86/kvm: Use a static key", GUEST);
	PASS(fn, id, "x86/kvm: Use a static key", "arch/x86/kernel/kvmclock.c");
	PASS(fn, id, "x86/kvm: Add a PV feature bit", GUEST,
	     "arch/x86/include/uapi/asm/kvm_para.h");
	PASS(fn, id, "x86/kvm: Add a PV feature bit",
	     "arch/x86/include/uapi/asm/kvm_para.h");
	PASS(fn, id, "KVM: x86: Add a PV feature bit",
	     "arch/x86/include/uapi/asm/kvm_para.h");
	/* tip code is not KVM's either */
	PASS(fn, id, "x86/kvm: Fix it", "arch/x86/kernel/cpu/common.c");
	PASS(fn, id, "Revert \"x86/kvm: Fix it\"", X86);
	FAIL(fn, id, "KVM: x86: Use a static key", KX_SEV_WARNING,
	     "prefix 'KVM: x86:' is for KVM itself, not its guests (arch/x86/kernel/kvm.c -> x86/kvm, Linux as a KVM guest): use 'x86/kvm:'",
	     GUEST);
}

/* --- 5. no-file-path-prefix --- */

static void test_rules_shortlog__no_file_path_prefix(void **state)
{
	kx_patch_rule_fn fn = kx_rule_no_file_path_prefix;
	const char *id = "no-file-path-prefix";

	(void)state;
	PASS(fn, id, "KVM: x86: Add missing braces", X86);
	FAIL(fn, id, "arch/x86/kvm/x86.c: add missing braces", KX_SEV_ERROR,
	     "prefix 'arch/x86/kvm/x86.c:' is a file name: use a topic such as 'KVM: x86:'",
	     X86);
	FAIL(fn, id, "KVM: x86.c: Add missing braces", KX_SEV_ERROR,
	     "prefix 'x86.c:'", X86);
	FAIL(fn, id, "KVM: vmx/nested.c: Fix it", KX_SEV_ERROR,
	     "use a topic such as 'KVM: nVMX:'", NESTED);
	FAIL(fn, id, "KVM: x86: lapic: Fix it", KX_SEV_ERROR,
	     "prefix 'lapic:'", "arch/x86/kvm/lapic.c");
	FAIL(fn, id, "KVM: kvm_main: Fix it", KX_SEV_ERROR, "'kvm_main:'",
	     "virt/kvm/kvm_main.c");
	FAIL(fn, id, "KVM: vmenter.S: Fix it", KX_SEV_ERROR, NULL,
	     "arch/x86/kvm/vmx/vmenter.S");
	FAIL(fn, id, "virt/kvm: Fix it", KX_SEV_ERROR, NULL,
	     "virt/kvm/kvm_main.c");
}

static void test_rules_shortlog__file_path_edge_cases(void **state)
{
	kx_patch_rule_fn fn = kx_rule_no_file_path_prefix;
	const char *id = "no-file-path-prefix";

	(void)state;
	/* official topics win: x86/mmu is a directory, x86 a file stem */
	PASS(fn, id, "KVM: x86/mmu: Fix it", MMU, "arch/x86/kvm/mmu/x86.c");
	PASS(fn, id, "KVM: x86: Fix it", X86);
	PASS(fn, id, "KVM: selftests: Fix it", TEST,
	     "tools/testing/selftests/kvm/selftests.c");
	PASS(fn, id, "KVM: VMX: Fix it", VMX, "arch/x86/kvm/vmx.c");
	/* "kvm" is kvm.c's stem, but the KVM prefix is no file name */
	PASS(fn, id, "kvm: x86: Fix it", GUEST, X86);
	/* a function named in the description is no prefix */
	PASS(fn, id, "KVM: x86: Fix x86.c in kvm_set_cr0()", X86);
	PASS(fn, id, "KVM: x86: Move kvm_set_cr0() to x86.c: it belongs there",
	     X86);
	/* other architectures' sub-topics */
	PASS(fn, id, "KVM: arm64: mmu: Fix it", "arch/arm64/kvm/mmu.c");
	/* other subsystems' names for files outside KVM */
	PASS(fn, id, "tools/kvm_stat: Fix it", "tools/kvm/kvm_stat/kvm_stat");
	PASS(fn, id, "Revert \"arch/x86/kvm/x86.c: Fix it\"", X86);
}

/* --- 6. topic-from-files --- */

static void test_rules_shortlog__topic_from_files(void **state)
{
	kx_patch_rule_fn fn = kx_rule_topic_from_files;
	const char *id = "topic-from-files";

	(void)state;
	PASS(fn, id, "KVM: nVMX: Fix it", NESTED);
	PASS(fn, id, "KVM: VMX: Fix it", NESTED, VMX);
	PASS(fn, id, "KVM: x86: Fix it", NESTED, "arch/x86/kvm/svm/nested.c");
	PASS(fn, id, "KVM: Fix it", X86, "virt/kvm/kvm_main.c");
	PASS(fn, id, "KVM: selftests: Fix it", TEST);
	PASS(fn, id, "KVM: arm64: Fix it", "arch/arm64/kvm/mmu.c");
	FAIL(fn, id, "KVM: SVM: Fix it", KX_SEV_WARNING,
	     "topic 'SVM' does not match the files (arch/x86/kvm/vmx/vmx.c -> VMX): use 'KVM: VMX:'",
	     VMX);
	FAIL(fn, id, "KVM: x86/pmu: Fix it", KX_SEV_WARNING,
	     "use 'KVM: x86/mmu:'", MMU);
	FAIL(fn, id, "KVM: x86: Fix it", KX_SEV_WARNING,
	     "use 'KVM: selftests:'", TEST);
	FAIL(fn, id, "KVM: VMX: Fix it", KX_SEV_WARNING,
	     "use 'KVM: x86:'", X86, MMU);
	FAIL(fn, id, "KVM: x86: Fix it", KX_SEV_WARNING,
	     "use 'KVM: arm64:'", "arch/arm64/kvm/mmu.c");
}

/* A posted topic on the files' lineage is advice only. */
static void test_rules_shortlog__files_topic_lineage(void **state)
{
	kx_patch_rule_fn fn = kx_rule_topic_from_files;
	const char *id = "topic-from-files";

	(void)state;
	/* broader than the files */
	FAIL(fn, id, "KVM: x86: Fix it", KX_SEV_ADVICE,
	     "topic 'x86' is broader than the files imply", VMX);
	FAIL(fn, id, "KVM: VMX: Fix it", KX_SEV_ADVICE, "use 'KVM: nVMX:'",
	     NESTED);
	/*
	 * narrower but a file's own: the handbook's VMX-focused patch
	 * touching PMU code is the author's choice (see below for the share)
	 */
	PASS(fn, id, "KVM: VMX: Fix it", VMX, "arch/x86/kvm/pmu.c");
	PASS(fn, id, "KVM: x86: Fix it", X86, "virt/kvm/kvm_main.c");
	/* the vendor's PMU code: x86/pmu, but VMX or SVM fit as well */
	FAIL(fn, id, "KVM: VMX: Fix it", KX_SEV_ADVICE,
	     "topic 'VMX' is the vendor's, not what the files imply (arch/x86/kvm/vmx/pmu_intel.c -> x86/pmu)",
	     "arch/x86/kvm/vmx/pmu_intel.c");
	FAIL(fn, id, "KVM: SVM: Fix it", KX_SEV_ADVICE, "vendor's",
	     "arch/x86/kvm/svm/pmu.c");
	FAIL(fn, id, "KVM: SVM: Fix it", KX_SEV_WARNING, "use 'KVM: x86/pmu:'",
	     "arch/x86/kvm/vmx/pmu_intel.c");
	/* selftests beside kernel code */
	PASS(fn, id, "KVM: selftests: Fix it", NESTED, TEST);
}

/* A narrower topic whose files carry under a fifth of the lines: advice. */
static void test_rules_shortlog__files_topic_narrow_share(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;
	struct kx_patch_file *file;
	int i;

	(void)state;
	kx_patch_init(&p);
	kx_patch_set_message(&p, "KVM: VMX: Fix it\n\nThe body.\n");
	file = kx_patch_add_file(&p, VMX);
	kx_strlist_add(&file->added, "one line");
	file = kx_patch_add_file(&p, "arch/x86/kvm/pmu.c");
	for (i = 0; i < 9; i++)
		kx_strlist_addf(&file->added, "line %d", i);
	kx_rule_topic_from_files(&f, &p, NULL);
	assert_int_equal(f.nr, 1);
	assert_int_equal(f.items[0].severity, KX_SEV_ADVICE);
	assert_non_null(strstr(f.items[0].message,
			       "narrower than the files imply (arch/x86/kvm/vmx/vmx.c -> VMX, arch/x86/kvm/pmu.c -> x86/pmu; common ancestor x86; x86/pmu carries 90% of the changed lines), and its files carry 10% of the changed lines: fine if the patch is about VMX, else use 'KVM: x86/pmu:'"));
	kx_findings_release(&f);

	/* a fifth or more: the author's choice */
	for (i = 0; i < 2; i++)
		kx_strlist_addf(&p.files[0].added, "more %d", i);
	kx_rule_topic_from_files(&f, &p, NULL);
	assert_int_equal(f.nr, 0);
	kx_findings_release(&f);
	kx_patch_release(&p);
}

static void test_rules_shortlog__files_topic_edge_cases(void **state)
{
	kx_patch_rule_fn fn = kx_rule_topic_from_files;
	const char *id = "topic-from-files";

	(void)state;
	/* de facto topics stand for their listed parent */
	PASS(fn, id, "KVM: SEV: Fix it", "arch/x86/kvm/svm/sev.c");
	PASS(fn, id, "KVM: TDX: Fix it", "arch/x86/kvm/vmx/tdx.c");
	PASS(fn, id, "KVM: x86/apic: Fix it", "arch/x86/kvm/lapic.c");
	PASS(fn, id, "KVM: SVM,VMX: Fix it", VMX, SVM);
	FAIL(fn, id, "KVM: SEV: Fix it", KX_SEV_WARNING, "use 'KVM: VMX:'",
	     VMX);
	/* the files imply nothing */
	PASS(fn, id, "KVM: VMX: Fix it", "arch/x86/include/asm/vmx.h");
	PASS(fn, id, "KVM: x86: Fix it", "Documentation/virt/kvm/api.rst");
	PASS(fn, id, "KVM: x86: Fix it", "arch/x86/kernel/cpu/common.c");
	PASS(fn, id, "KVM: x86: Fix it", GUEST);
	/* no topic, unknown topics and reverts are other rules' */
	PASS(fn, id, "KVM: Fix it", VMX);
	PASS(fn, id, "KVM: emulator: Fix it", VMX);
	PASS(fn, id, "x86: Fix it", VMX);
	PASS(fn, id, "Revert \"KVM: SVM: Fix it\"", VMX);
	/* wrong case is shortlog-case's; the topic still compares */
	PASS(fn, id, "kvm: vmx: Fix it", VMX);
	/* another architecture's selftests */
	PASS(fn, id, "KVM: arm64: selftests: Fix it",
	     "tools/testing/selftests/kvm/aarch64/vgic_irq.c");
}

/* Between the suggestion and the files' common ancestor, authors choose. */
static void test_rules_shortlog__files_topic_span(void **state)
{
	kx_patch_rule_fn fn = kx_rule_topic_from_files;
	const char *id = "topic-from-files";

	(void)state;
	/* nested.c + x86.h: nVMX suggested, x86 the common ancestor */
	PASS(fn, id, "KVM: nVMX: Fix it", NESTED, "arch/x86/kvm/x86.h");
	PASS(fn, id, "KVM: VMX: Fix it", NESTED, "arch/x86/kvm/x86.h");
	PASS(fn, id, "KVM: x86: Fix it", NESTED, "arch/x86/kvm/x86.h");
	FAIL(kx_rule_shortlog_prefix, "shortlog-prefix", "KVM: Fix it",
	     KX_SEV_WARNING, "prefix 'KVM:' has no topic: use 'KVM: nVMX:'",
	     NESTED, "arch/x86/kvm/x86.h");
	/* common code beside: KVM is the suggestion itself */
	PASS(fn, id, "KVM: Fix it", NESTED, "arch/x86/kvm/x86.h",
	     "virt/kvm/kvm_main.c");
	FAIL(fn, id, "KVM: SVM: Fix it", KX_SEV_WARNING, "use 'KVM: nVMX:'",
	     NESTED, "arch/x86/kvm/x86.h");
	/* an x86 change to the common uapi header: x86, or KVM */
	PASS(fn, id, "KVM: x86: Add a capability", X86,
	     "include/uapi/linux/kvm.h");
	PASS(fn, id, "KVM: Add a capability", X86, "include/uapi/linux/kvm.h");
	PASS(kx_rule_shortlog_prefix, "shortlog-prefix",
	     "KVM: Add a capability", X86, "include/uapi/linux/kvm.h");
	FAIL(kx_rule_shortlog_prefix, "shortlog-prefix", "KVM: Add a helper",
	     KX_SEV_WARNING, "use 'KVM: x86:'", X86,
	     "arch/x86/include/asm/kvm_host.h");
}

/* --- 7. shortlog-capitalize --- */

static void test_rules_shortlog__capitalize(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_capitalize;
	const char *id = "shortlog-capitalize";

	(void)state;
	PASS(fn, id, "KVM: x86: Fix a null pointer dereference", X86);
	FAIL(fn, id, "kvm: x86: fix a null pointer deref.", KX_SEV_WARNING,
	     "first word 'fix' is not capitalized: write 'Fix'", X86);
	FAIL(fn, id, "arch/x86/kvm/x86.c: add missing braces", KX_SEV_WARNING,
	     "'add'", X86);
	FAIL(fn, id, "fix it", KX_SEV_WARNING, "'fix'", X86);
	/* a past form: the imperative's capital, as shortlog-imperative asks */
	FAIL(fn, id, "KVM: VMX: fixed the FB_CLEAR logic", KX_SEV_WARNING,
	     "first word 'fixed' is not capitalized: write 'Fix'", VMX);
}

static void test_rules_shortlog__capitalize_edge_cases(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_capitalize;
	const char *id = "shortlog-capitalize";

	(void)state;
	/* names with their own case */
	PASS(fn, id, "KVM: x86: x2APIC: Fix it", X86);
	PASS(fn, id, "KVM: x86: x2APIC mode is sticky", X86);
	PASS(fn, id, "KVM: x86: vCPU state is lost", X86);
	PASS(fn, id, "KVM: VMX: nVMX can't do that", VMX);
	PASS(fn, id, "KVM: VMX: eVMCS is broken", VMX);
	PASS(fn, id, "Revert \"KVM: x86: fix it\"", X86);
	/* not letters */
	PASS(fn, id, "KVM: x86: #DB is lost", X86);
	PASS(fn, id, "KVM: x86: 'foo' is lost", X86);
	/* other subsystems' conventions */
	PASS(fn, id, "net: fix it", "drivers/net/dummy.c");
	/* a prefix with blanks, of a commit with no files */
	PASS(fn, id, "perf tools: Rename foo() to bar()", NULL);
	PASS(fn, id, "KVM: PPC: Book3S HV: Fix it", "arch/powerpc/kvm/foo.c");
	FAIL(fn, id, "KVM: x86: fix the race: take the lock", KX_SEV_WARNING,
	     "'fix'", X86);
	/* names listed with blanks: the description follows them */
	FAIL(fn, id, "kvm: x86, powerpc: do not allow it", KX_SEV_WARNING,
	     "first word 'do' is not capitalized: write 'Do'", X86,
	     "arch/powerpc/kvm/book3s.c");
	PASS(fn, id, "KVM: vmx, svm: Always run with EFER.NXE=1", X86);
	/* a function reference: advice */
	FAIL(fn, id, "KVM: x86: kvm_set_cr0() is broken", KX_SEV_ADVICE,
	     "identifier 'kvm_set_cr0()'", X86);
	FAIL(fn, id, "KVM: x86: kvm_set_cr0 is broken", KX_SEV_ADVICE,
	     NULL, X86);
	/* tip code capitalizes too */
	FAIL(fn, id, "x86/cpu: add a flag", KX_SEV_WARNING, NULL,
	     "arch/x86/kernel/cpu/common.c");
}

/* --- 8. shortlog-punctuation --- */

static void test_rules_shortlog__punctuation(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_punctuation;
	const char *id = "shortlog-punctuation";
	static const char *const bad[] = {
		"KVM: x86: Fix a null pointer deref.",
		"KVM: x86: Fix it!", "KVM: x86: Fix it,", "KVM: x86: Fix it;",
		"KVM: x86: Fix it:", "KVM: x86: Fix it?",
		"KVM: x86: Fix it...",
	};
	size_t i;

	(void)state;
	PASS(fn, id, "KVM: x86: Fix a null pointer dereference", X86);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		FAIL(fn, id, bad[i], KX_SEV_ERROR,
		     "drop the ending punctuation", X86);
	FAIL(fn, id, "KVM: x86: Fix it ", KX_SEV_ERROR,
	     "shortlog ends with whitespace: remove it", X86);
	FAIL(fn, id, "KVM: x86: Fix it.", KX_SEV_ERROR,
	     "shortlog ends with '.'", X86);
}

static void test_rules_shortlog__mailable(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_mailable;
	const char *id = "shortlog-mailable";

	(void)state;
	PASS(fn, id, "KVM: x86: Fix a null pointer dereference", X86);
	/* UTF-8 is text: a name, a symbol */
	PASS(fn, id, "KVM: x86: Credit J\xc3\xb6rg for the \xe2\x80\x9c" "fix\xe2\x80\x9d", X86);
	FAIL(fn, id, "KVM: x86: Fix\tit", KX_SEV_ERROR,
	     "shortlog 'KVM: x86: Fix^Iit' holds a control character", X86);
	FAIL(fn, id, "KVM: x86: Fix \x1b[2Jit", KX_SEV_ERROR,
	     "a mail's Subject: cannot carry", X86);
	FAIL(fn, id, "KVM: x86: Fix it\r", KX_SEV_ERROR, "reword the commit", X86);
	/* C1 (U+009B is CSI to a terminal) */
	FAIL(fn, id, "KVM: x86: Fix \xc2\x9b" "2Jit", KX_SEV_ERROR,
	     "holds a control character", X86);
}

static void test_rules_shortlog__punctuation_edge_cases(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_punctuation;
	const char *id = "shortlog-punctuation";

	(void)state;
	PASS(fn, id, "KVM: x86: Fix a null pointer dereference in function_xyz()",
	     X86);
	PASS(fn, id, "KVM: x86: Wait... then fix it", X86);
	PASS(fn, id, "Revert \"KVM: x86: Fix it.\"", X86);
	PASS(fn, id, "KVM: x86: Don't use 'foo'", X86);
	PASS(fn, id, "KVM: x86: Fix it, again", X86);
}

/* --- 9, 10. shortlog-length-75, shortlog-length-80 --- */

/* --- 13. shortlog-no-tool-name --- */

static void test_rules_shortlog__no_tool_name(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_no_tool_name;
	const char *id = "shortlog-no-tool-name";

	(void)state;
	PASS(fn, id, "KVM: x86: Annotate the pointer as __user", X86);
	FAIL(fn, id, "KVM: x86: Fix sparse warnings in the emulator",
	     KX_SEV_WARNING, "names the tool that found the problem, 'sparse'", X86);
	FAIL(fn, id, "KVM: x86: Silence sparse about the cast", KX_SEV_WARNING,
	     "'sparse'", X86);
	FAIL(fn, id, "KVM: VMX: Fix a smatch complaint", KX_SEV_WARNING,
	     "'smatch'", VMX);
	FAIL(fn, id, "KVM: x86: Fix Checkpatch errors", KX_SEV_WARNING,
	     "'Checkpatch'", X86);
	FAIL(fn, id, "KVM: x86: Fix the warning from sparse", KX_SEV_WARNING,
	     "'sparse'", X86);
	/* the catalog's further tools: advice */
	FAIL(fn, id, "KVM: x86: Fix a KASAN splat on the MMU notifier",
	     KX_SEV_ADVICE, "'KASAN'", X86);
	FAIL(fn, id, "KVM: x86: Fix the use-after-free syzbot hit",
	     KX_SEV_ADVICE, "'syzbot'", X86);
	FAIL(fn, id, "KVM: Fix coccinelle warnings", KX_SEV_ADVICE,
	     "'coccinelle'", X86);
	/* one finding, the first tool */
	FAIL(fn, id, "KVM: x86: Fix sparse and smatch warnings",
	     KX_SEV_WARNING, "'sparse'", X86);
}

static void test_rules_shortlog__no_tool_name_edge_cases(void **state)
{
	kx_patch_rule_fn fn = kx_rule_shortlog_no_tool_name;
	const char *id = "shortlog-no-tool-name";

	(void)state;
	/* Hyper-V's sparse banks and VP sets are no tool */
	PASS(fn, id, "KVM: x86: Handle sparse banks in the Hyper-V TLB flush", X86);
	PASS(fn, id, "KVM: x86: Use a sparse VP set", X86);
	/* a prefix: the patch changes the tool */
	PASS(fn, id, "checkpatch: Allow KVM's prefixes", "scripts/checkpatch.pl");
	/* a longer word is not the tool */
	PASS(fn, id, "KVM: x86: Rename kasan_shadow_start", X86);
	PASS(fn, id, "KVM: x86: Check the syzkallers", X86);
	/* a revert quotes the reverted commit's subject */
	PASS(fn, id, "Revert \"KVM: x86: Fix sparse warnings\"", X86);
}

static char *subject_of(size_t cols, const char *fill)
{
	size_t i, n = strlen(fill), len = strlen("KVM: x86: ");
	char *s = malloc(len + cols * n + 1);

	strcpy(s, "KVM: x86: ");
	for (i = len; i < cols; i++)
		strcat(s, fill);
	return s;
}

/* Checks the one finding (or none, want NULL) of the length rule. */
static void check_length(size_t cols, const char *fill, const char *want,
			 enum kx_severity want_sev)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	char *s = subject_of(cols, fill);
	struct kx_patch p;

	kx_patch_init(&p);
	kx_patch_set_message(&p, s);
	kx_rule_shortlog_length(&f, &p, NULL);
	assert_int_equal(f.nr, want ? 1 : 0);
	if (want) {
		assert_string_equal(f.items[0].rule, want);
		assert_int_equal(f.items[0].severity, want_sev);
	}
	kx_findings_release(&f);
	kx_patch_release(&p);
	free(s);
}

static void test_rules_shortlog__length(void **state)
{
	(void)state;
	check_length(75, "a", NULL, KX_SEV_OFF);
	check_length(76, "a", "shortlog-length-75", KX_SEV_WARNING);
	check_length(80, "a", "shortlog-length-75", KX_SEV_WARNING);
	check_length(81, "a", "shortlog-length-80", KX_SEV_ERROR);
	check_length(85, "a", "shortlog-length-80", KX_SEV_ERROR);
}

static void test_rules_shortlog__length_counts_columns(void **state)
{
	(void)state;
	/* 'é' is two bytes, one column */
	check_length(75, "\xc3\xa9", NULL, KX_SEV_OFF);
	check_length(76, "\xc3\xa9", "shortlog-length-75", KX_SEV_WARNING);
	/* a combining accent takes no column */
	check_length(75, "e\xcc\x81", NULL, KX_SEV_OFF);
	/* invalid UTF-8: one column a byte */
	check_length(76, "\xff", "shortlog-length-75", KX_SEV_WARNING);
	/* 85 characters: the bad-style series' patch 4 */
	assert_int_equal(run(kx_rule_shortlog_length, "shortlog-length-80",
			     "KVM: x86: Add a comment that explains the TSC scaling ratio math for nested L2 guests",
			     NULL, "shortlog is 85 columns, more than the hard limit of 80",
			     X86, NULL), 1);
}

static void test_rules_shortlog__length_of_wide_chars(void **state)
{
	char s[128];

	(void)state;
	/* 10 + 33 wide characters = 76 columns, from 43 characters */
	strcpy(s, "KVM: x86: ");
	while (strlen(s) < 10 + 33 * 3)
		strcat(s, "\xe6\xbc\xa2");
	assert_int_equal(run(kx_rule_shortlog_length, "shortlog-length-75", s,
			     NULL, "76 columns", X86, NULL), 1);
}

static void test_rules_shortlog__length_of_a_revert(void **state)
{
	char *inner = subject_of(75, "a"), *s;

	(void)state;
	/* git added 'Revert ""' to a subject that was within the limit */
	s = kx_xasprintf("Revert \"%s\"", inner);
	assert_int_equal(run(kx_rule_shortlog_length, "", s, NULL, NULL, X86,
			     NULL), 0);
	free(s);
	free(inner);
	inner = subject_of(81, "a");
	s = kx_xasprintf("Revert \"%s\"", inner);
	assert_int_equal(run(kx_rule_shortlog_length, "shortlog-length-80", s,
			     NULL, "81 columns", X86, NULL), 1);
	free(s);
	free(inner);
}

/* --- 12. shortlog-unique-in-series --- */

static void series(struct kx_patch *patches, const char *const *subjects,
		   size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++) {
		kx_patch_init(&patches[i]);
		kx_patch_set_message(&patches[i], subjects[i]);
		kx_patch_add_file(&patches[i], X86);
	}
}

static void release(struct kx_patch *patches, size_t nr)
{
	size_t i;

	for (i = 0; i < nr; i++)
		kx_patch_release(&patches[i]);
}

static void test_rules_shortlog__unique_in_series(void **state)
{
	static const char *const good[] = {
		"KVM: VMX: Add a helper to query the pending debug exceptions field",
		"KVM: VMX: Add a helper to clear the pending debug exceptions field",
		"KVM: nVMX: Use vmx_get_pending_dbg() when saving vmcs12 state",
		/* parallel VMX and SVM changes may say the same */
		"KVM: SVM: Use vmx_get_pending_dbg() when saving vmcs12 state",
	};
	static const char *const bad[] = {
		"KVM: x86: Fix it",
		"KVM: x86: Drop a check",
		"KVM: x86: fix it.",
		"KVM: x86: Drop another check",
		"KVM: x86:  Fix  it",
	};
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch patches[5];

	(void)state;
	series(patches, good, 4);
	kx_rule_shortlog_unique_in_series(&f, patches, 4, NULL);
	assert_int_equal(f.nr, 0);
	kx_rule_shortlog_unique_in_series(&f, patches, 1, NULL);
	kx_rule_shortlog_unique_in_series(&f, patches, 0, NULL);
	assert_int_equal(f.nr, 0);
	release(patches, 4);

	series(patches, bad, 5);
	kx_rule_shortlog_unique_in_series(&f, patches, 5, NULL);
	assert_int_equal(f.nr, 1);
	assert_string_equal(f.items[0].rule, "shortlog-unique-in-series");
	assert_int_equal(f.items[0].severity, KX_SEV_WARNING);
	assert_string_equal(f.items[0].commit, "");
	assert_string_equal(f.items[0].message,
			    "shortlog 'KVM: x86: Fix it' is used by patches 1, 3 and 5: give each patch its own");
	kx_findings_release(&f);

	/* two pairs, two findings */
	kx_patch_set_message(&patches[3], "KVM: x86: Drop a check");
	kx_rule_shortlog_unique_in_series(&f, patches, 5, NULL);
	assert_int_equal(f.nr, 2);
	assert_non_null(strstr(f.items[1].message, "patches 2 and 4"));
	kx_findings_release(&f);
	release(patches, 5);
}

/* --- the bad-style series of the fixture --- */

static void test_rules_shortlog__bad_style_series(void **state)
{
	static const kx_patch_rule_fn rules[] = {
		kx_rule_shortlog_prefix, kx_rule_shortlog_topic_known,
		kx_rule_shortlog_case, kx_rule_no_x86_kvm_prefix,
		kx_rule_no_file_path_prefix, kx_rule_topic_from_files,
		kx_rule_shortlog_capitalize, kx_rule_shortlog_punctuation,
		kx_rule_shortlog_length,
	};
	static const struct {
		const char *subject;
		const char *rules;	/* the findings, in rule order */
	} cases[] = {
		{ "kvm: x86: fix a null pointer deref.",
		  "shortlog-case shortlog-capitalize shortlog-punctuation " },
		{ "x86/kvm: Clarify the NULL check in kvm_set_cr0()",
		  "no-x86-kvm-prefix " },
		{ "arch/x86/kvm/x86.c: add missing braces",
		  "no-file-path-prefix shortlog-capitalize " },
		{ "KVM: x86: Add a comment that explains the TSC scaling ratio math for nested L2 guests",
		  "shortlog-length-80 " },
		{ "KVM: x86: Use kvm_read_cr0() directly in kvm_set_cr0", "" },
		/* x86/vmx/fix-foo: clean */
		{ "KVM: nVMX: Don't drop pending debug exceptions on nested VM-Enter",
		  "" },
	};
	struct kx_rule_env env = { 0 };
	size_t i, j, k;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct kx_findings f = KX_FINDINGS_INIT;
		struct kx_patch p;
		char got[256] = "";

		kx_patch_init(&p);
		kx_patch_set_message(&p, cases[i].subject);
		kx_patch_add_file(&p, i == 5 ? NESTED : X86);
		for (j = 0; j < sizeof(rules) / sizeof(rules[0]); j++)
			rules[j](&f, &p, &env);
		for (k = 0; k < f.nr; k++) {
			strcat(got, f.items[k].rule);
			strcat(got, " ");
		}
		assert_string_equal(got, cases[i].rules);
		kx_findings_release(&f);
		kx_patch_release(&p);
	}
}

/* --- every rule reads the subject, never more --- */

static void test_rules_shortlog__no_subject(void **state)
{
	static const kx_patch_rule_fn rules[] = {
		kx_rule_shortlog_prefix, kx_rule_shortlog_topic_known,
		kx_rule_shortlog_case, kx_rule_no_x86_kvm_prefix,
		kx_rule_no_file_path_prefix, kx_rule_topic_from_files,
		kx_rule_shortlog_capitalize, kx_rule_shortlog_punctuation,
		kx_rule_shortlog_length,
	};
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;
	size_t j;

	(void)state;
	kx_patch_init(&p);
	for (j = 0; j < sizeof(rules) / sizeof(rules[0]); j++)
		rules[j](&f, &p, NULL);
	assert_int_equal(f.nr, 0);
	/* an empty subject is changelog-nonempty's concern */
	p.subject = kx_xstrdup("");
	kx_patch_add_file(&p, X86);
	for (j = 0; j < sizeof(rules) / sizeof(rules[0]); j++)
		rules[j](&f, &p, NULL);
	assert_int_equal(f.nr, 0);
	kx_patch_release(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_shortlog__prefix),
		cmocka_unit_test(test_rules_shortlog__prefix_doubled),
		cmocka_unit_test(test_rules_shortlog__prefix_exemptions),
		cmocka_unit_test(test_rules_shortlog__topic_known),
		cmocka_unit_test(test_rules_shortlog__topic_known_de_facto),
		cmocka_unit_test(test_rules_shortlog__topic_known_edge_cases),
		cmocka_unit_test(test_rules_shortlog__case),
		cmocka_unit_test(test_rules_shortlog__case_edge_cases),
		cmocka_unit_test(test_rules_shortlog__no_x86_kvm_prefix),
		cmocka_unit_test(test_rules_shortlog__x86_kvm_for_guest_side),
		cmocka_unit_test(test_rules_shortlog__no_file_path_prefix),
		cmocka_unit_test(test_rules_shortlog__file_path_edge_cases),
		cmocka_unit_test(test_rules_shortlog__topic_from_files),
		cmocka_unit_test(test_rules_shortlog__files_topic_lineage),
		cmocka_unit_test(test_rules_shortlog__files_topic_edge_cases),
		cmocka_unit_test(test_rules_shortlog__files_topic_span),
		cmocka_unit_test(test_rules_shortlog__files_topic_narrow_share),
		cmocka_unit_test(test_rules_shortlog__capitalize),
		cmocka_unit_test(test_rules_shortlog__capitalize_edge_cases),
		cmocka_unit_test(test_rules_shortlog__punctuation),
		cmocka_unit_test(test_rules_shortlog__punctuation_edge_cases),
		cmocka_unit_test(test_rules_shortlog__mailable),
		cmocka_unit_test(test_rules_shortlog__no_tool_name),
		cmocka_unit_test(test_rules_shortlog__no_tool_name_edge_cases),
		cmocka_unit_test(test_rules_shortlog__length),
		cmocka_unit_test(test_rules_shortlog__length_counts_columns),
		cmocka_unit_test(test_rules_shortlog__length_of_wide_chars),
		cmocka_unit_test(test_rules_shortlog__length_of_a_revert),
		cmocka_unit_test(test_rules_shortlog__unique_in_series),
		cmocka_unit_test(test_rules_shortlog__bad_style_series),
		cmocka_unit_test(test_rules_shortlog__no_subject),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
