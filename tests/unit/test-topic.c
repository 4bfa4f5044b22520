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
 * Checks the prefix kx_topic_suggest() gives for the paths (NULL-
 * terminated), without history, and that the reason contains because;
 * returns the basis.
 */
static enum kx_topic_basis check(const char *prefix, const char *because, ...)
{
	struct kx_topic t;
	struct kx_patch p;
	const char *path;
	enum kx_topic_basis basis;
	va_list ap;

	kx_patch_init(&p);
	kx_patch_set_message(&p, "subject\n\nbody\n");
	va_start(ap, because);
	while ((path = va_arg(ap, const char *)))
		kx_patch_add_file(&p, path);
	va_end(ap);
	kx_topic_suggest(&t, &p, NULL);
	assert_non_null(t.prefix);
	assert_string_equal(t.prefix, prefix);
	assert_non_null(t.reason);
	if (!strstr(t.reason, because))
		fail_msg("reason '%s' lacks '%s'", t.reason, because);
	basis = t.basis;
	kx_topic_release(&t);
	kx_patch_release(&p);
	return basis;
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
	/* alone, they give what they can: a guess, or KVM's own topic */
	assert_int_equal(check("MAINTAINERS:", "MAINTAINERS is outside KVM",
			       "MAINTAINERS", NULL), KX_TOPIC_OUTSIDE);
	assert_int_equal(check("KVM:", "alone",
			       "Documentation/virt/kvm/api.rst", NULL),
			 KX_TOPIC_HINT);
	check("KVM: selftests:", "alone",
	      "tools/testing/selftests/kvm/.gitignore", NULL);
	assert_int_equal(check("net:", "drivers/net/dummy.c is outside KVM",
			       ".gitignore", "drivers/net/dummy.c", NULL),
			 KX_TOPIC_OUTSIDE);
	assert_int_equal(check("KVM:", "no changed files", NULL),
			 KX_TOPIC_NONE);
}

static void test_topic__advice_level_paths(void **state)
{
	(void)state;
	assert_int_equal(check("KVM: VMX:",
			       "arch/x86/include/asm/vmx.h hints at VMX",
			       "arch/x86/include/asm/vmx.h", NULL),
			 KX_TOPIC_HINT);
	check("KVM: SVM:", "hints at SVM", "arch/x86/include/asm/svm.h", NULL);
	check("KVM: nVMX:", "arch/x86/kvm/vmx/hyperv.c hints at nVMX",
	      "arch/x86/kvm/vmx/hyperv.c", NULL);
	check("KVM: nVMX:", "hints at nVMX", "arch/x86/kvm/vmx/evmcs.h", NULL);
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
	check("KVM: x86:", "either 'KVM: x86:' or 'x86/kvm:'",
	      "arch/x86/include/uapi/asm/kvm_para.h", NULL);
	check("KVM: x86:", "either 'KVM: x86:' or 'x86/kvm:'",
	      "arch/x86/include/asm/kvmclock.h", NULL);
	/* host code beside the guest side: the host decides */
	check("KVM: x86:", "cpuid.c -> x86", "arch/x86/kernel/kvm.c",
	      "arch/x86/kvm/cpuid.c", NULL);
}

static void test_topic__outside_kvm(void **state)
{
	(void)state;
	assert_int_equal(check("x86/mm:",
			       "arch/x86/mm/fault.c is outside KVM: tip rules",
			       "arch/x86/mm/fault.c", NULL), KX_TOPIC_TIP);
	check("x86/kernel:", "outside KVM: tip rules",
	      "arch/x86/kernel/cpu/common.c", "MAINTAINERS", NULL);
	check("x86/include:", "outside KVM: tip rules",
	      "arch/x86/include/asm/cpufeatures.h",
	      "arch/x86/include/asm/vmx.h", NULL);
	check("arm64:", "arch/arm64/mm/mmu.c is outside KVM",
	      "arch/arm64/mm/mmu.c", NULL);
}

/* "Commits that primarily change arch/x86 code that is not KVM" */
static void test_topic__mostly_outside_kvm(void **state)
{
	struct kx_patch p;
	struct kx_patch_file *f;
	struct kx_topic t;
	int i;

	(void)state;
	kx_patch_init(&p);
	f = kx_patch_add_file(&p, "arch/x86/kernel/cpu/common.c");
	for (i = 0; i < 20; i++)
		kx_strlist_addf(&f->added, "line %d", i);
	f = kx_patch_add_file(&p, "arch/x86/kvm/cpuid.c");
	kx_strlist_add(&f->added, "one line");
	kx_topic_suggest(&t, &p, NULL);
	assert_int_equal(t.basis, KX_TOPIC_TIP);
	assert_string_equal(t.prefix, "x86/kernel:");
	assert_false(t.kvm);
	assert_non_null(strstr(t.reason, "mostly outside KVM: tip rules"));
	kx_topic_release(&t);

	/* the other way round: KVM's */
	for (i = 0; i < 40; i++)
		kx_strlist_addf(&f->removed, "line %d", i);
	kx_topic_suggest(&t, &p, NULL);
	assert_string_equal(t.prefix, "KVM: x86:");
	assert_true(t.kvm);
	kx_topic_release(&t);
	kx_patch_release(&p);
}

static void test_topic__reason_is_bounded(void **state)
{
	struct kx_topic t;
	struct kx_patch p;
	char path[64];
	int i;

	(void)state;
	kx_patch_init(&p);
	for (i = 0; i < 12; i++) {
		snprintf(path, sizeof(path), "arch/x86/kvm/mmu/f%d.c", i);
		kx_patch_add_file(&p, path);
	}
	kx_topic_suggest(&t, &p, NULL);
	assert_string_equal(t.prefix, "KVM: x86/mmu:");
	assert_non_null(strstr(t.reason, " and 4 more"));
	kx_topic_release(&t);
	kx_patch_release(&p);
}

/* Headers that every topic includes serve the code beside them. */
static void test_topic__wide_headers_aside(void **state)
{
	(void)state;
	check("KVM: nVMX:",
	      "common ancestor x86; headers of every topic aside, nVMX",
	      "arch/x86/kvm/vmx/nested.c", "arch/x86/kvm/x86.h", NULL);
	check("KVM: x86/mmu:", "headers of every topic aside, x86/mmu",
	      "arch/x86/include/asm/kvm_host.h", "arch/x86/kvm/mmu/mmu.c",
	      NULL);
	check("KVM: x86:", "common ancestor KVM; headers of every topic aside, x86",
	      "arch/x86/kvm/svm/svm.c", "arch/x86/kvm/vmx/vmx.c",
	      "include/uapi/linux/kvm.h", NULL);
	check("KVM: VMX:", "headers of every topic aside, VMX",
	      "arch/x86/kvm/vmx/vmx.c", "include/linux/kvm_host.h",
	      "arch/x86/include/uapi/asm/kvm.h", NULL);
	/* alone, they are what they are */
	check("KVM: x86:", "-> x86", "arch/x86/include/asm/kvm_host.h",
	      "arch/x86/kvm/x86.h", NULL);
	check("KVM:", "-> KVM", "include/linux/kvm_host.h", NULL);
	/* common code is no header: KVM */
	check("KVM:", "common ancestor KVM", "include/linux/kvm_host.h",
	      "virt/kvm/kvm_main.c", "arch/x86/kvm/x86.c", NULL);
	/* other headers count: mmu.h is x86/mmu's own */
	check("KVM: x86:", "common ancestor x86", "arch/x86/kvm/mmu.h",
	      "arch/x86/kvm/vmx/vmx.c", NULL);
}

/* Adds a file with n changed lines to p. */
static void add_lines(struct kx_patch *p, const char *path, int n)
{
	struct kx_patch_file *f = kx_patch_add_file(p, path);
	int i;

	for (i = 0; i < n; i++)
		kx_strlist_addf(&f->added, "line %d", i);
}

/* Returns the suggestion for p (static storage), and its reason in why. */
static const char *suggest(const struct kx_patch *p, char *why, size_t n)
{
	static char prefix[64];
	struct kx_topic t;

	kx_topic_suggest(&t, p, NULL);
	snprintf(prefix, sizeof(prefix), "%s", t.prefix);
	snprintf(why, n, "%s", t.reason);
	kx_topic_release(&t);
	return prefix;
}

/* A narrower topic whose files carry 80% of the changed lines wins. */
static void test_topic__dominant_lines(void **state)
{
	struct kx_patch p;
	char why[512];

	(void)state;
	kx_patch_init(&p);
	add_lines(&p, "arch/x86/kvm/vmx/nested.c", 90);
	add_lines(&p, "arch/x86/kvm/x86.c", 5);
	add_lines(&p, "arch/x86/kvm/svm/nested.c", 5);
	assert_string_equal(suggest(&p, why, sizeof(why)), "KVM: nVMX:");
	assert_non_null(strstr(why, "common ancestor x86; nVMX carries 90% of the changed lines"));
	kx_patch_release(&p);

	/* below the share: the common ancestor */
	kx_patch_init(&p);
	add_lines(&p, "arch/x86/kvm/vmx/nested.c", 70);
	add_lines(&p, "arch/x86/kvm/x86.c", 30);
	assert_string_equal(suggest(&p, why, sizeof(why)), "KVM: x86:");
	kx_patch_release(&p);

	/* the deepest topic that carries it: VMX's two files, nVMX alone not */
	kx_patch_init(&p);
	add_lines(&p, "arch/x86/kvm/vmx/nested.c", 50);
	add_lines(&p, "arch/x86/kvm/vmx/vmx.c", 40);
	add_lines(&p, "arch/x86/kvm/x86.c", 10);
	assert_string_equal(suggest(&p, why, sizeof(why)), "KVM: VMX:");
	kx_patch_release(&p);

	/* not across the root: common code stays KVM */
	kx_patch_init(&p);
	add_lines(&p, "arch/x86/kvm/x86.c", 95);
	add_lines(&p, "virt/kvm/kvm_main.c", 5);
	assert_string_equal(suggest(&p, why, sizeof(why)), "KVM:");
	kx_patch_release(&p);

	/* wide headers aside first, then the share of what is left */
	kx_patch_init(&p);
	add_lines(&p, "arch/x86/include/asm/kvm_host.h", 200);
	add_lines(&p, "arch/x86/kvm/mmu/mmu.c", 40);
	add_lines(&p, "arch/x86/kvm/x86.c", 5);
	assert_string_equal(suggest(&p, why, sizeof(why)), "KVM: x86/mmu:");
	kx_patch_release(&p);
}

/* The rules that read the prefix: they must accept what is suggested. */
static const kx_patch_rule_fn prefix_rules[] = {
	kx_rule_shortlog_prefix, kx_rule_shortlog_topic_known,
	kx_rule_shortlog_case, kx_rule_no_x86_kvm_prefix,
	kx_rule_no_file_path_prefix, kx_rule_topic_from_files,
};

/* A history that answers with one prefix (or none) for any paths. */
static char *fixed_history(void *data, const char *commit,
			   const struct kx_strlist *paths, char **reason)
{
	const char *prefix = data;

	(void)commit;
	*reason = NULL;
	if (!prefix)
		return NULL;
	*reason = kx_xasprintf("from history: 3 of the last 4 commits touching %s used '%s'",
			       paths->items[0], prefix);
	return kx_xstrdup(prefix);
}

/*
 * The suggestion for the paths (NULL-terminated), as the subject's
 * prefix, draws no finding at all from the shortlog rules; a KVM path
 * gets a KVM prefix.  Returns nothing: fails the test.
 */
static void agree(const char *history, ...)
{
	struct kx_rule_env env = { 0 };
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;
	struct kx_topic t;
	const char *path;
	char *message;
	va_list ap;
	size_t i;

	env.history_topic = fixed_history;
	env.history_data = (void *)history;
	kx_patch_init(&p);
	memset(p.id, 'a', 40);
	va_start(ap, history);
	while ((path = va_arg(ap, const char *)))
		kx_patch_add_file(&p, path);
	va_end(ap);
	kx_topic_suggest(&t, &p, &env);
	if (!kx_starts_with(t.prefix, "KVM:"))
		fail_msg("%s: '%s' is no KVM prefix (%s)", p.files[0].path,
			 t.prefix, t.reason);
	message = kx_xasprintf("%s Fix a bug\n\nThe body.\n", t.prefix);
	kx_patch_set_message(&p, message);
	for (i = 0; i < sizeof(prefix_rules) / sizeof(prefix_rules[0]); i++)
		prefix_rules[i](&f, &p, &env);
	if (f.nr)
		fail_msg("%s: '%s' draws %s: %s", p.files[0].path, t.prefix,
			 f.items[0].rule, f.items[0].message);
	free(message);
	kx_findings_release(&f);
	kx_topic_release(&t);
	kx_patch_release(&p);
}

/* Every path of KVM gets a handbook topic that the rules accept. */
static void test_topic__suggestion_and_check_agree(void **state)
{
	static const char *const paths[] = {
		"arch/x86/kvm/x86.c", "arch/x86/kvm/lapic.c",
		"arch/x86/kvm/hyperv.c", "arch/x86/kvm/emulate.c",
		"arch/x86/kvm/cpuid.c", "arch/x86/kvm/Kconfig",
		"arch/x86/kvm/Makefile", "arch/x86/kvm/trace.h",
		"arch/x86/kvm/x86.h", "arch/x86/kvm/kvm_cache_regs.h",
		"arch/x86/kvm/mmu.h", "arch/x86/kvm/mmu/mmu.c",
		"arch/x86/kvm/mmu/tdp_mmu.c", "arch/x86/kvm/mmu/paging_tmpl.h",
		"arch/x86/kvm/pmu.c", "arch/x86/kvm/xen.c",
		"arch/x86/kvm/smm.c", "arch/x86/kvm/vmx/vmx.c",
		"arch/x86/kvm/vmx/nested.c", "arch/x86/kvm/vmx/vmcs12.h",
		"arch/x86/kvm/vmx/evmcs.c", "arch/x86/kvm/vmx/evmcs.h",
		"arch/x86/kvm/vmx/hyperv.c", "arch/x86/kvm/vmx/hyperv_evmcs.h",
		"arch/x86/kvm/vmx/pmu_intel.c", "arch/x86/kvm/vmx/tdx.c",
		"arch/x86/kvm/vmx/vmenter.S", "arch/x86/kvm/vmx/sgx.c",
		"arch/x86/kvm/svm/svm.c", "arch/x86/kvm/svm/nested.c",
		"arch/x86/kvm/svm/sev.c", "arch/x86/kvm/svm/pmu.c",
		"arch/x86/kvm/svm/avic.c", "arch/x86/kvm/svm/hyperv.h",
		"arch/x86/kvm/vmx.c", "arch/x86/kvm/svm.c", "arch/x86/kvm/mmu.c",
		"arch/x86/include/asm/kvm_host.h",
		"arch/x86/include/asm/kvm-x86-ops.h",
		"arch/x86/include/asm/kvm-x86-pmu-ops.h",
		"arch/x86/include/asm/kvm_page_track.h",
		"arch/x86/include/asm/kvm_para.h",
		"arch/x86/include/asm/kvm_emulate.h",
		"arch/x86/include/asm/kvm_types.h",
		"arch/x86/include/asm/kvm_vcpu_regs.h",
		"arch/x86/include/asm/kvmclock.h",
		"arch/x86/include/asm/vmx.h", "arch/x86/include/asm/svm.h",
		"arch/x86/include/asm/vmxfeatures.h",
		"arch/x86/include/uapi/asm/kvm.h",
		"arch/x86/include/uapi/asm/kvm_para.h",
		"arch/x86/include/uapi/asm/kvm_perf.h",
		"arch/x86/include/uapi/asm/vmx.h",
		"arch/x86/include/uapi/asm/svm.h",
		"tools/testing/selftests/kvm/x86_64/vmx_dirty_log_test.c",
		"tools/testing/selftests/kvm/lib/kvm_util.c",
		"tools/testing/selftests/kvm/include/kvm_util.h",
		"tools/testing/selftests/kvm/Makefile",
		"tools/testing/selftests/kvm/.gitignore", "arch/x86/kvm/.gitignore",
		"tools/testing/selftests/kvm/aarch64/vgic_irq.c",
		"virt/kvm/kvm_main.c", "virt/kvm/Kconfig", "virt/kvm/eventfd.c",
		"virt/kvm/arm/arm.c",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(paths); i++) {
		agree(NULL, paths[i], NULL);
		/* history that decides, and a de facto topic it names */
		agree("KVM: x86:", paths[i], NULL);
		agree("KVM: SEV:", paths[i], NULL);
	}
	/* the user's commits: eVMCS and asm/vmx.h, alone and together */
	agree(NULL, "arch/x86/kvm/vmx/evmcs.c", "arch/x86/include/asm/vmx.h",
	      NULL);
	agree(NULL, "arch/x86/kvm/vmx/nested.c", "arch/x86/kvm/x86.c",
	      "arch/x86/include/asm/kvm_host.h",
	      "tools/testing/selftests/kvm/x86_64/vmx_dirty_log_test.c", NULL);
	agree(NULL, "arch/x86/kvm/x86.c", "include/uapi/linux/kvm.h", NULL);
	agree(NULL, "arch/x86/kernel/kvm.c", "arch/x86/kvm/cpuid.c", NULL);
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
		cmocka_unit_test(test_topic__reason_is_bounded),
		cmocka_unit_test(test_topic__wide_headers_aside),
		cmocka_unit_test(test_topic__dominant_lines),
		cmocka_unit_test(test_topic__suggestion_and_check_agree),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
