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

/*
 * The statement of records over the first nr commits of series, its
 * lines joined again; each is checked to be at most 72 columns.
 */
static char *statement(size_t nr, const struct kx_test_record *rec,
		       size_t rec_nr)
{
	struct kx_testing_input in = { series, nr, rec, rec_nr };
	char *s = kx_testing_paragraph(&in), *p, *bol = s;

	for (p = s; ; p++) {
		if (*p && *p != '\n')
			continue;
		assert_true(p - bol <= 72);
		if (!*p)
			break;
		*p = ' ';
		bol = p + 1;
	}
	return s;
}

static struct kx_test_record linked(const char *commit, const char *config,
				    bool pass)
{
	return (struct kx_test_record){ .commit = commit, .command = KO, .kind = "command", .pass = pass, .config = config, .build = KX_BUILD_LINKED };
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
		{ .commit = A, .command = "make -C tools/testing/selftests/kvm",
		  .kind = "selftests", .pass = true },
		{ .commit = B, .command = "make -C tools/testing/selftests/kvm",
		  .kind = "selftests", .pass = true },
	};
	char *s;

	(void)state;
	s = statement(5, rec, ARRAY_SIZE(rec));
	assert_string_equal(s, LINKED PRESET " at patches 1-2 and 4-5 of 5. "
			    "Also built and linked them with KVM_XEN=y at "
			    "patches 1, 3 and 5 of 5. "
			    "Ran the KVM selftests (`make -C tools/testing/"
			    "selftests/kvm`) at patches 1-2 of 5. "
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
	rec[0] = (struct kx_test_record){
		.commit = A, .command = "make arch/x86/kvm/", .kind = "command",
		.pass = true, .config = "x86_64", .build = KX_BUILD_COMPILED };
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
		{ .commit = A, .command = "make", .kind = "command",
		  .pass = true, .build = KX_BUILD_DECLARED },
		{ .commit = A, .command = "./run_tests.sh -g x86",
		  .kind = "kvm-unit-tests", .pass = true },
	};
	char *s;

	(void)state;
	s = statement(1, rec, ARRAY_SIZE(rec));
	/* no --kernel build: the matrix is not mentioned */
	assert_string_equal(s, "Built with `make` at its one commit. "
			    "Ran kvm-unit-tests (`./run_tests.sh -g x86`) at "
			    "its one commit. The KVM selftests were not run.");
	free(s);
	s = statement(2, NULL, 0);
	assert_string_equal(s, "No build of the series was recorded. "
			    NO_TESTS);
	free(s);
}

/* A build that failed everywhere is said so; none run is not a failure. */
static void test_testing__failed_build_is_not_no_build(void **state)
{
	struct kx_test_record rec[] = {
		{ .commit = A, .command = "make", .kind = "command",
		  .pass = false, .build = KX_BUILD_DECLARED },
		{ .commit = B, .command = "make", .kind = "command",
		  .pass = false, .build = KX_BUILD_DECLARED },
	};
	char *s;

	(void)state;
	s = statement(2, rec, ARRAY_SIZE(rec));
	assert_non_null(strstr(s, "No build passed at any commit of the series."));
	assert_null(strstr(s, "was recorded"));
	free(s);
}

/* Tests that failed at every commit ran: the statement never says not. */
static void test_testing__failed_tests_ran(void **state)
{
	struct kx_test_record rec[] = {
		{ .commit = A, .command = "make", .kind = "command",
		  .pass = true, .build = KX_BUILD_DECLARED },
		{ .commit = A, .command = "false", .kind = "selftests",
		  .pass = false },
	};
	char *s;

	(void)state;
	s = statement(1, rec, ARRAY_SIZE(rec));
	assert_string_equal(s, "Built with `make` at its one commit. "
			    "The KVM selftests (`false`) fail at its one "
			    "commit. kvm-unit-tests were not run.");
	free(s);
	rec[1].kind = "kvm-unit-tests";
	s = statement(1, rec, ARRAY_SIZE(rec));
	assert_non_null(strstr(s, "The KVM selftests were not run."));
	assert_null(strstr(s, "kvm-unit-tests were not run"));
	free(s);
}

/* A command nobody declared a build is reported as what it is. */
static void test_testing__a_command_is_no_build(void **state)
{
	struct kx_test_record rec[] = {
		{ .commit = A, .command = "true", .kind = "command",
		  .pass = true },
		{ .commit = B, .command = "true", .kind = "command",
		  .pass = true },
		{ .commit = A, .command = "sh -c 'sleep 1; pwd'",
		  .kind = "command", .pass = false },
	};
	char *s;

	(void)state;
	s = statement(2, rec, ARRAY_SIZE(rec));
	assert_string_equal(s, "Ran `true` at every commit. "
			    "`sh -c 'sleep 1; pwd'` fails at patch 1 of 2. "
			    "No build of the series was recorded. "
			    NO_TESTS);
	free(s);
}

/*
 * The statement shows each command as the shell words one would paste,
 * in a code span (not in double quotes, which would make them one word):
 * argv as kx_test_command_text() writes it, a backtick in it doubling
 * the span's, and a failing one the same as a passing one.
 */
static void test_testing__commands_are_shown_as_shell_words(void **state)
{
	const char *const quoted[] = { "sh", "-c", "exit 1", NULL };
	const char *const tick[] = { "sh", "-c", "echo `uname -r`", NULL };
	const char *const dq[] = { "make", "CC=\"ccache gcc\"", NULL };
	char *q = kx_test_command_text(quoted), *t = kx_test_command_text(tick);
	char *d = kx_test_command_text(dq);
	struct kx_test_record rec[] = {
		{ .commit = A, .command = q, .kind = "command", .pass = true },
		{ .commit = B, .command = q, .kind = "command", .pass = false },
		{ .commit = A, .command = t, .kind = "command", .pass = true },
		{ .commit = A, .command = d, .kind = "command",
		  .build = KX_BUILD_DECLARED, .pass = true },
	};
	char *s;

	(void)state;
	assert_string_equal(q, "sh -c 'exit 1'");
	s = statement(2, rec, ARRAY_SIZE(rec));
	assert_non_null(strstr(s, "Built with `make 'CC=\"ccache gcc\"'` at patch 1 of 2. "));
	assert_non_null(strstr(s, "Ran `sh -c 'exit 1'` at patch 1 of 2. "));
	assert_non_null(strstr(s, "`sh -c 'exit 1'` fails at patch 2 of 2. "));
	assert_non_null(strstr(s, "Ran `` sh -c 'echo `uname -r`' `` at patch 1 of 2. "));
	assert_null(strstr(s, "\"sh"));
	free(s);
	free(q);
	free(t);
	free(d);
}

/* Only what the .config showed: no KVM_SMM=n on a tree without it. */
static void test_testing__only_what_the_config_shows(void **state)
{
	const struct kx_kernel_config *no_smm = kx_kernel_config_find("no-smm");
	char *shown, *shown_smm, *with_smm;
	struct kx_test_record rec[2];
	char *s;

	(void)state;
	shown = kx_kernel_config_shown(no_smm, preset_ok);
	assert_string_equal(shown, "KVM=m KVM_INTEL=m KVM_AMD=m EXPERT=y "
			    "KVM_WERROR=y KASAN=n");
	rec[0] = linked(A, "x86_64", true);
	rec[0].options = shown;
	rec[1] = linked(A, "no-smm", true);
	rec[1].options = shown;
	s = statement(1, rec, 2);
	assert_non_null(strstr(s, LINKED PRESET " at its one commit."));
	assert_null(strstr(s, "KVM_SMM=n"));
	assert_null(strstr(s, "KVM_SMM off"));
	assert_non_null(strstr(s, "in the configuration 'no-smm', the same "
			       "as x86_64_defconfig here: this tree has no "
			       "KVM_SMM option"));
	free(s);
	with_smm = kx_xasprintf("%s# CONFIG_KVM_SMM is not set\n", preset_ok);
	shown_smm = kx_kernel_config_shown(no_smm, with_smm);
	assert_string_equal(shown_smm, "KVM=m KVM_INTEL=m KVM_AMD=m EXPERT=y "
			    "KVM_WERROR=y KASAN=n KVM_SMM=n");
	rec[1].options = shown_smm;
	s = statement(1, rec, 2);
	assert_non_null(strstr(s, "Also built and linked them with "
			       "KVM_SMM=n at its one commit."));
	free(s);
	free(shown_smm);
	free(shown);
	free(with_smm);
}

static void test_testing__distributed_builds(void **state)
{
	struct kx_test_record rec[2];
	char *s;

	(void)state;
	rec[0] = linked(A, "x86_64", true);
	rec[0].via = "distcc";
	rec[0].jobs = 430;
	rec[0].remote_jobs = 412;
	rec[0].hosts = 3;
	rec[1] = rec[0];
	rec[1].commit = B;
	rec[1].jobs = 10;
	rec[1].remote_jobs = 8;
	s = statement(2, rec, 2);
	assert_non_null(strstr(s, "The builds went through distcc: 420 of "
			       "their 440 compile jobs ran on 3 distcc hosts."));
	free(s);
}

static void test_testing__command_text_is_shell_quoted(void **state)
{
	const char *const plain[] = { "make", "-j8", "O=build/x86_64",
				      "CC=distcc gcc", NULL };
	const char *const sh[] = { "sh", "-c", "sleep 1; pwd", "", "it's",
				   NULL };
	char *s;

	(void)state;
	s = kx_test_command_text(plain);
	assert_string_equal(s, "make -j8 O=build/x86_64 'CC=distcc gcc'");
	free(s);
	s = kx_test_command_text(sh);
	assert_string_equal(s, "sh -c 'sleep 1; pwd' '' 'it'\\''s'");
	free(s);
}

static void test_testing__log_excerpt(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	const char *log =
		"# kvmx86 test: command: make\n"
		"  CC      arch/x86/kvm/x86.o\n"
		"arch/x86/kvm/x86.c:10:5: error: expected ';' before '}' token\n"
		"   10 |  return 2 }\n"
		"      |          ^\n"
		"  CC      arch/x86/kvm/mmu.o\n"
		"make[3]: *** [scripts/Makefile.build:250: arch/x86/kvm/x86.o] Error 1\n"
		"make: *** [Makefile:2008: arch/x86/kvm] Error 2\n";

	(void)state;
	kx_test_log_excerpt(&l, log, 8);
	assert_int_equal(l.nr, 5);
	assert_string_equal(l.items[0], "arch/x86/kvm/x86.c:10:5: error: "
			    "expected ';' before '}' token");
	assert_string_equal(l.items[1], "   10 |  return 2 }");
	assert_string_equal(l.items[3], "make[3]: *** [scripts/Makefile.build:250: arch/x86/kvm/x86.o] Error 1");
	kx_strlist_release(&l);
	kx_test_log_excerpt(&l, log, 2);
	assert_int_equal(l.nr, 2);
	kx_strlist_release(&l);
	/* nothing like an error: the last lines, never kvmx86's own */
	kx_test_log_excerpt(&l, "# kvmx86 test: x\none\ntwo\nthree\n", 2);
	assert_int_equal(l.nr, 2);
	assert_string_equal(l.items[0], "two");
	assert_string_equal(l.items[1], "three");
	kx_strlist_release(&l);
}

static void test_testing__labels_take_no_make_syntax(void **state)
{
	const char *const names[] = {
		"x86/vmx/x", "a%b", "a:b", "a#b", "with space", ".dot",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(names); i++) {
		char *l = kx_test_label_of(names[i], "0123456789abcdef");
		const char *p;

		for (p = l; *p; p++)
			assert_true(kx_test_path_char_ok(*p) && *p != '/');
		assert_true(strlen(l) == strlen(names[i]) + 11);
		assert_string_equal(l + strlen(names[i]), "-0123456789");
		free(l);
	}
	{
		char *l = kx_test_label_of("x86/vmx/x", "abcdef0123");

		assert_string_equal(l, "x86-vmx-x-abcdef0123");
		free(l);
		l = kx_test_label_of("a b:c%d#e", "abcdef0123");
		assert_string_equal(l, "a_b_c_d_e-abcdef0123");
		free(l);
	}
	assert_false(kx_test_path_char_ok('%'));
	assert_false(kx_test_path_char_ok(':'));
	assert_false(kx_test_path_char_ok(' '));
}

static void test_testing__distcc_slots(void **state)
{
	unsigned remote;

	(void)state;
	assert_int_equal(kx_distcc_slots("127.0.0.1:3632", &remote), 4);
	assert_int_equal(remote, 1);
	assert_int_equal(kx_distcc_slots("--randomize a/8 b:3633/6,lzo localhost",
					 &remote), 16);
	assert_int_equal(remote, 2);
	assert_int_equal(kx_distcc_slots("localhost/3", &remote), 3);
	assert_int_equal(remote, 0);
	assert_int_equal(kx_distcc_slots("  ", &remote), -1);
}

static void test_testing__build_names(void **state)
{
	(void)state;
	assert_string_equal(kx_test_build_name(KX_BUILD_LINKED), "linked");
	assert_string_equal(kx_test_build_name(KX_BUILD_COMPILED), "compiled");
	assert_string_equal(kx_test_build_name(KX_BUILD_DECLARED), "build");
	assert_int_equal(kx_test_build_parse("build"), KX_BUILD_DECLARED);
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
		cmocka_unit_test(test_testing__a_command_is_no_build),
		cmocka_unit_test(test_testing__commands_are_shown_as_shell_words),
		cmocka_unit_test(test_testing__failed_build_is_not_no_build),
		cmocka_unit_test(test_testing__failed_tests_ran),
		cmocka_unit_test(test_testing__only_what_the_config_shows),
		cmocka_unit_test(test_testing__distributed_builds),
		cmocka_unit_test(test_testing__command_text_is_shell_quoted),
		cmocka_unit_test(test_testing__log_excerpt),
		cmocka_unit_test(test_testing__labels_take_no_make_syntax),
		cmocka_unit_test(test_testing__distcc_slots),
		cmocka_unit_test(test_testing__build_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
