// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/testing.h"

#define A "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define B "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define C "cccccccccccccccccccccccccccccccccccccccc"
#define D "dddddddddddddddddddddddddddddddddddddddd"
#define E "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee"

#define KO "make arch/x86/kvm/kvm.ko arch/x86/kvm/kvm-intel.ko " \
	   "arch/x86/kvm/kvm-amd.ko"
#define LINKED "Built and linked kvm.ko, kvm-intel.ko and kvm-amd.ko"
#define PRESET " with KVM_WERROR=y (x86_64_defconfig, KVM=m, KVM_INTEL=m, " \
	       "KVM_AMD=m, EXPERT=y, KASAN off)"
#define NO_TESTS "Neither the KVM selftests nor kvm-unit-tests were run."

static const char *const series[] = { A, B, C, D, E };

static const char *const preset_ok =
	"CONFIG_X86_64=y\nCONFIG_KVM=m\nCONFIG_KVM_INTEL=m\nCONFIG_KVM_AMD=m\n"
	"CONFIG_EXPERT=y\nCONFIG_KVM_WERROR=y\n# CONFIG_KASAN is not set\n";

/* The statement of records over the first nr commits of series, joined. */
static char *statement(size_t nr, const struct kx_test_record *rec,
		       size_t rec_nr)
{
	struct kx_testing_input in = { series, nr, rec, rec_nr };

	return kx_testing_paragraph(&in);
}

static struct kx_test_record linked(const char *commit, const char *config,
				    bool pass)
{
	return (struct kx_test_record){ commit, KO, "command", pass, config,
					KX_BUILD_LINKED };
}

static void test_testing__config_check_names_what_did_not_stick(void **state)
{
	const struct kx_kernel_config *xen = kx_kernel_config_find("xen");
	const struct kx_kernel_config *i386 = kx_kernel_config_find("i386");
	char *bad, *with_xen, *with_64;

	(void)state;
	assert_non_null(xen);
	assert_non_null(i386);
	assert_string_equal(i386->arch, "i386");
	assert_string_equal(i386->defconfig, "i386_defconfig");
	assert_null(kx_kernel_config_find("nope"));
	assert_null(kx_kernel_config_check(&kx_kernel_configs[0], preset_ok));
	bad = kx_kernel_config_check(xen, preset_ok);
	assert_string_equal(bad, "CONFIG_KVM_XEN is not set (want y)");
	free(bad);
	with_xen = kx_xasprintf("%sCONFIG_KVM_XEN=y\n", preset_ok);
	assert_null(kx_kernel_config_check(xen, with_xen));
	/* a 64-bit .config is not the 32-bit configuration */
	with_64 = kx_xasprintf("CONFIG_64BIT=y\n%s", with_xen);
	bad = kx_kernel_config_check(i386, with_64);
	assert_string_equal(bad, "CONFIG_64BIT=y (want it unset)");
	free(bad);
	bad = kx_kernel_config_check(&kx_kernel_configs[0], "CONFIG_KVM=y\n");
	assert_non_null(strstr(bad, "CONFIG_KVM=y (want m); "
				    "CONFIG_KVM_INTEL is not set (want m)"));
	free(bad);
	free(with_xen);
	free(with_64);
}

static void test_testing__config_args(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	const char *const want[] = {
		"--module", "KVM", "--module", "KVM_INTEL", "--module",
		"KVM_AMD", "--enable", "EXPERT", "--enable", "KVM_WERROR",
		"--disable", "KASAN", "--disable", "KVM_SMM",
	};
	size_t i;

	(void)state;
	kx_kernel_config_args(&l, kx_kernel_config_find("no-smm"));
	assert_int_equal(l.nr, ARRAY_SIZE(want));
	for (i = 0; i < l.nr; i++)
		assert_string_equal(l.items[i], want[i]);
	kx_strlist_release(&l);
	/* the matrix: the preset, then one knob each */
	assert_int_equal(kx_kernel_configs_nr, 5);
	assert_string_equal(kx_kernel_configs[0].name, "x86_64");
	assert_int_equal(kx_kernel_configs[0].extra_nr, 0);
}

static void test_testing__module_targets(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	char *with_bypass = kx_xasprintf("%sCONFIG_IRQ_BYPASS_MANAGER=m\n",
					 preset_ok);

	(void)state;
	kx_kernel_module_targets(&l, preset_ok);
	assert_int_equal(l.nr, 3);
	assert_string_equal(l.items[0], "arch/x86/kvm/kvm.ko");
	assert_string_equal(l.items[2], "arch/x86/kvm/kvm-amd.ko");
	kx_strlist_release(&l);
	/* kvm.ko needs irqbypass.ko: modpost must see them together */
	kx_kernel_module_targets(&l, with_bypass);
	assert_int_equal(l.nr, 4);
	assert_string_equal(l.items[0], "virt/lib/irqbypass.ko");
	kx_strlist_release(&l);
	free(with_bypass);
	/* built in, it is in vmlinux */
	with_bypass = kx_xasprintf("%sCONFIG_IRQ_BYPASS_MANAGER=y\n",
				   preset_ok);
	kx_kernel_module_targets(&l, with_bypass);
	assert_int_equal(l.nr, 3);
	kx_strlist_release(&l);
	free(with_bypass);
}

static void test_testing__path_builtin(void **state)
{
	(void)state;
	assert_false(kx_kernel_path_builtin("arch/x86/kvm/vmx/vmx.c"));
	assert_false(kx_kernel_path_builtin("virt/kvm/kvm_main.c"));
	assert_false(kx_kernel_path_builtin(
		"tools/testing/selftests/kvm/x86_64/state_test.c"));
	assert_false(kx_kernel_path_builtin("Documentation/virt/kvm/api.rst"));
	assert_false(kx_kernel_path_builtin("MAINTAINERS"));
	assert_true(kx_kernel_path_builtin("arch/x86/kvm/Kconfig"));
	assert_true(kx_kernel_path_builtin("arch/x86/include/asm/kvm_host.h"));
	assert_true(kx_kernel_path_builtin("arch/x86/kernel/kvm.c"));
	assert_true(kx_kernel_path_builtin("include/linux/kvm_host.h"));
}

static void test_testing__linked_everywhere_with_the_matrix(void **state)
{
	struct kx_test_record rec[15];
	char *s;
	size_t i, k;

	(void)state;
	for (i = 0; i < 3; i++)
		for (k = 0; k < 5; k++)
			rec[i * 5 + k] = linked(series[i],
						kx_kernel_configs[k].name, true);
	s = statement(3, rec, 15);
	assert_string_equal(s, LINKED PRESET " at every commit. "
			    "Also built and linked them with KVM_SMM=n, "
			    "with KVM_XEN=y, with PROVE_LOCKING=y and for 32-bit "
			    "x86 (ARCH=i386, i386_defconfig, the same KVM "
			    "options) at every commit. " NO_TESTS);
	free(s);
}

static void test_testing__some_commits_and_failures(void **state)
{
	struct kx_test_record rec[] = {
		linked(A, "x86_64", true), linked(B, "x86_64", true),
		linked(C, "x86_64", false), linked(D, "x86_64", true),
		linked(E, "x86_64", true),
		linked(A, "xen", true), linked(C, "xen", true),
		linked(E, "xen", true), linked(B, "xen", false),
		/* another series' commit counts for nothing */
		linked("ffffffffffffffffffffffffffffffffffffffff", "i386", true),
		{ A, "make -C tools/testing/selftests/kvm", "selftests", true,
		  NULL, KX_BUILD_COMMAND },
		{ B, "make -C tools/testing/selftests/kvm", "selftests", true,
		  NULL, KX_BUILD_COMMAND },
	};
	char *s;

	(void)state;
	s = statement(5, rec, ARRAY_SIZE(rec));
	assert_string_equal(s, LINKED PRESET " at patches 1-2 and 4-5 of 5. "
			    "Also built and linked them with KVM_XEN=y at "
			    "patches 1, 3 and 5 of 5. "
			    "Ran the KVM selftests ('make -C tools/testing/"
			    "selftests/kvm') at patches 1-2 of 5. "
			    "Building and linking the modules" PRESET
			    " fails at patch 3 of 5. "
			    "Building and linking the modules with KVM_XEN=y "
			    "fails at patch 2 of 5. "
			    "Not built in these configurations: KVM_SMM=n, "
			    "PROVE_LOCKING=y, ARCH=i386. "
			    "kvm-unit-tests were not run.");
	free(s);
}

static void test_testing__compiled_not_linked(void **state)
{
	struct kx_test_record rec[2];
	char *s;

	(void)state;
	rec[0] = (struct kx_test_record){ A, "make arch/x86/kvm/", "command",
					  true, "x86_64", KX_BUILD_COMPILED };
	rec[1] = rec[0];
	rec[1].commit = B;
	s = statement(2, rec, 2);
	assert_non_null(strstr(s, "Compiled arch/x86/kvm/ (not linked)" PRESET
			       " at every commit. "));
	assert_null(strstr(s, "linked kvm.ko"));
	free(s);
}

static void test_testing__commands_of_ones_own(void **state)
{
	struct kx_test_record rec[] = {
		{ A, "make", "command", true, NULL, KX_BUILD_COMMAND },
		{ A, "./run_tests.sh -g x86", "kvm-unit-tests", true, NULL,
		  KX_BUILD_COMMAND },
	};
	char *s;

	(void)state;
	s = statement(1, rec, ARRAY_SIZE(rec));
	/* no --kernel build: the matrix is not mentioned */
	assert_string_equal(s, "Ran 'make' at its one commit. "
			    "Ran kvm-unit-tests ('./run_tests.sh -g x86') at "
			    "its one commit. The KVM selftests were not run.");
	free(s);
	s = statement(2, NULL, 0);
	assert_string_equal(s, "No build passed at any commit of the series. "
			    NO_TESTS);
	free(s);
}

static void test_testing__build_names(void **state)
{
	(void)state;
	assert_string_equal(kx_test_build_name(KX_BUILD_LINKED), "linked");
	assert_string_equal(kx_test_build_name(KX_BUILD_COMPILED), "compiled");
	assert_int_equal(kx_test_build_parse("linked"), KX_BUILD_LINKED);
	assert_int_equal(kx_test_build_parse(NULL), KX_BUILD_COMMAND);
	assert_int_equal(kx_test_build_parse("other"), KX_BUILD_COMMAND);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_testing__config_check_names_what_did_not_stick),
		cmocka_unit_test(test_testing__config_args),
		cmocka_unit_test(test_testing__module_targets),
		cmocka_unit_test(test_testing__path_builtin),
		cmocka_unit_test(test_testing__linked_everywhere_with_the_matrix),
		cmocka_unit_test(test_testing__some_commits_and_failures),
		cmocka_unit_test(test_testing__compiled_not_linked),
		cmocka_unit_test(test_testing__commands_of_ones_own),
		cmocka_unit_test(test_testing__build_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
