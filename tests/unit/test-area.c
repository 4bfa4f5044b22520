// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/area.h"

static void test_area__paths(void **state)
{
	static const struct {
		const char *path;
		enum kx_area area;
	} cases[] = {
		{ "arch/x86/kvm/x86.c", KX_AREA_X86 },
		{ "arch/x86/kvm/vmx/nested.c", KX_AREA_X86 },
		{ "arch/x86/include/asm/kvm_host.h", KX_AREA_X86 },
		{ "arch/x86/include/uapi/asm/kvm.h", KX_AREA_X86 },
		{ "arch/x86/include/asm/vmx.h", KX_AREA_X86 },
		{ "Documentation/virt/kvm/x86/mmu.rst", KX_AREA_X86 },
		{ "arch/x86/kernel/kvm.c", KX_AREA_NON_KVM },
		{ "arch/x86/kernel/kvmclock.c", KX_AREA_NON_KVM },
		{ "arch/x86/mm/init.c", KX_AREA_NON_KVM },
		{ "drivers/net/dummy.c", KX_AREA_NON_KVM },
		{ "virt/kvm/kvm_main.c", KX_AREA_COMMON },
		{ "include/linux/kvm_host.h", KX_AREA_COMMON },
		{ "include/linux/kvm_types.h", KX_AREA_COMMON },
		{ "include/kvm/iodev.h", KX_AREA_COMMON },
		{ "include/kvm/arm_vgic.h", KX_AREA_OTHER_ARCH },
		{ "virt/kvm/arm/vgic/vgic-init.c", KX_AREA_OTHER_ARCH },
		{ "include/uapi/linux/kvm.h", KX_AREA_COMMON },
		{ "include/trace/events/kvm.h", KX_AREA_COMMON },
		{ "Documentation/virt/kvm/api.rst", KX_AREA_COMMON },
		{ "include/linux/kernel.h", KX_AREA_NON_KVM },
		{ "arch/arm64/kvm/mmu.c", KX_AREA_OTHER_ARCH },
		{ "arch/riscv/kvm/vcpu.c", KX_AREA_OTHER_ARCH },
		{ "arch/arm64/include/asm/kvm_host.h", KX_AREA_OTHER_ARCH },
		{ "arch/s390/include/uapi/asm/kvm.h", KX_AREA_OTHER_ARCH },
		{ "arch/arm64/mm/mmu.c", KX_AREA_NON_KVM },
		{ "tools/testing/selftests/kvm/x86_64/foo_test.c", KX_AREA_SELFTESTS },
		{ "tools/testing/selftests/kvm/x86/foo_test.c", KX_AREA_SELFTESTS },
		{ "tools/testing/selftests/kvm/lib/kvm_util.c", KX_AREA_SELFTESTS },
		{ "tools/testing/selftests/kvm/Makefile", KX_AREA_SELFTESTS },
		{ "tools/testing/selftests/kvm/aarch64/arch_timer.c", KX_AREA_OTHER_ARCH },
		{ "tools/testing/selftests/kvm/s390x/sync_regs_test.c", KX_AREA_OTHER_ARCH },
		{ "tools/testing/selftests/kvm/lib/aarch64/processor.c", KX_AREA_OTHER_ARCH },
		{ "tools/testing/selftests/kvm/include/riscv/processor.h", KX_AREA_OTHER_ARCH },
		{ "tools/testing/selftests/kvm/lib/x86_64/processor.c", KX_AREA_SELFTESTS },
		{ "tools/testing/selftests/x86/test.c", KX_AREA_NON_KVM },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum kx_area got = kx_area_of_path(cases[i].path);

		if (got != cases[i].area)
			fail_msg("%s: got %s, want %s", cases[i].path,
				 kx_area_name(got), kx_area_name(cases[i].area));
	}
}

static void classify(const char *path, const struct kx_diff_line *l,
		     unsigned nr, unsigned counts[KX_LINE__COUNT])
{
	memset(counts, 0, KX_LINE__COUNT * sizeof(*counts));
	kx_classify_hunk(path, l, nr, counts);
}

static void test_area__comments_and_blanks_are_superficial(void **state)
{
	const struct kx_diff_line l[] = {
		{ '+', "/*", 0 },
		{ '+', " * Flush the range, not every TLB.", 0 },
		{ '+', " */", 0 },
		{ '+', "", 0 },
		{ '-', "\t// old note", 0 },
	};
	unsigned counts[KX_LINE__COUNT];

	(void)state;
	classify("virt/kvm/kvm_main.c", l, 5, counts);
	assert_int_equal(counts[KX_LINE_COMMENT], 4);
	assert_int_equal(counts[KX_LINE_BLANK], 1);
	assert_int_equal(counts[KX_LINE_LOGIC], 0);
}

static void test_area__uapi_defines_are_superficial(void **state)
{
	const struct kx_diff_line l[] = {
		{ '+', "#define KVM_CAP_X86_FOO 230", 0 },
		{ '+', "#define KVM_CAP_X86_BAR 231", 0 },
	};
	unsigned counts[KX_LINE__COUNT];

	(void)state;
	classify("include/uapi/linux/kvm.h", l, 2, counts);
	assert_int_equal(counts[KX_LINE_DEFINE], 2);
	assert_int_equal(counts[KX_LINE_LOGIC], 0);
	/* a #define elsewhere in common code is logic (a macro body) */
	classify("virt/kvm/kvm_main.c", l, 2, counts);
	assert_int_equal(counts[KX_LINE_LOGIC], 2);
}

static void test_area__header_declarations(void **state)
{
	const struct kx_diff_line l[] = {
		{ '+', "void kvm_flush_remote_tlbs_range(struct kvm *kvm,", 0 },
		{ '+', "\t\t\t\t gfn_t gfn, u64 nr_pages);", 0 },
		{ '+', "struct kvm_memory_slot;", 0 },
		{ '+', "#include <linux/kvm_types.h>", 0 },
		{ '+', "static inline int kvm_foo(void) { return 1; }", 0 },
	};
	unsigned counts[KX_LINE__COUNT];

	(void)state;
	classify("include/linux/kvm_host.h", l, 5, counts);
	assert_int_equal(counts[KX_LINE_DECL], 4);
	assert_int_equal(counts[KX_LINE_LOGIC], 1);
	/* the same lines in a .c file are logic */
	classify("virt/kvm/kvm_main.c", l, 2, counts);
	assert_int_equal(counts[KX_LINE_LOGIC], 2);
}

static void test_area__renamed_call_is_superficial(void **state)
{
	const struct kx_diff_line l[] = {
		{ '-', "\tkvm_flush_remote_tlbs_with_address(kvm, gfn, 1);", 0 },
		{ '+', "\tkvm_flush_remote_tlbs_range(kvm, gfn, 1);", 0 },
		{ '-', "\tif (x)", 0 },
		{ '+', "\tif (x && y)", 0 },
	};
	unsigned counts[KX_LINE__COUNT];

	(void)state;
	classify("virt/kvm/kvm_main.c", l, 2, counts);
	assert_int_equal(counts[KX_LINE_RENAME], 2);
	assert_int_equal(counts[KX_LINE_LOGIC], 0);
	/* -a -b +c +d: pairs (a,c) and (b,d) */
	{
		const struct kx_diff_line m[] = { l[0], l[2], l[1], l[3] };

		classify("virt/kvm/kvm_main.c", m, 4, counts);
		assert_int_equal(counts[KX_LINE_RENAME], 2);
		assert_int_equal(counts[KX_LINE_LOGIC], 2);
	}
}

static void test_area__lines_are_rename(void **state)
{
	(void)state;
	assert_true(kx_lines_are_rename("foo(a, b);", "bar(a, b);"));
	assert_true(kx_lines_are_rename("x = foo(foo);", "x = bar(bar);"));
	assert_true(kx_lines_are_rename("a  =  b;", "a = b;"));
	assert_false(kx_lines_are_rename("x = foo(foo);", "x = bar(baz);"));
	assert_false(kx_lines_are_rename("foo(a, b);", "foo(a, b, c);"));
	assert_false(kx_lines_are_rename("x = 1;", "x = 2;"));
	assert_false(kx_lines_are_rename("a + b", "a - b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_area__paths),
		cmocka_unit_test(test_area__comments_and_blanks_are_superficial),
		cmocka_unit_test(test_area__uapi_defines_are_superficial),
		cmocka_unit_test(test_area__header_declarations),
		cmocka_unit_test(test_area__renamed_call_is_superficial),
		cmocka_unit_test(test_area__lines_are_rename),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
