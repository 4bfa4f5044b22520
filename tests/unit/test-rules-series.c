// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"
#include "kvmx86/series.h"

static void patch(struct kx_patch *p, const char *path, const char *added)
{
	kx_patch_init(p);
	kx_patch_set_message(p, "KVM: x86: Do a thing\n\nWhy.\n");
	kx_strlist_add(&kx_patch_add_file(p, path)->added, added);
}

static void run(struct kx_findings *f, struct kx_patch *p, size_t nr)
{
	kx_rule_testing_reminders(f, p, nr, NULL);
	kx_rule_kut_separate(f, p, nr, NULL);
	kx_rule_patch_count(f, p, nr, NULL);
}

static void test_rules_series__reminders_for_kvm_code(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[2];

	(void)state;
	patch(&p[0], "arch/x86/kvm/mmu/paging_tmpl.h", "\tif (enable_ept)");
	patch(&p[1], "Documentation/virt/kvm/api.rst", "Some words.");
	run(&f, p, 2);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 1);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 1);
	assert_int_equal(kx_findings_of(&f, "shadow-paging-tdp-disabled"), 1);
	assert_int_equal(kx_findings_of(&f, "module-param-testing"), 1);
	assert_int_equal(kx_findings_of(&f, "rst-htmldocs"), 1);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 0);
	assert_int_equal(kx_findings_count(&f, KX_SEV_WARNING), 0);
	assert_non_null(strstr(f.items[3].message, "enable_ept"));
	kx_findings_release(&f);
	kx_patch_release(&p[0]);
	kx_patch_release(&p[1]);
}

static void test_rules_series__recorded_tests(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[3];
	struct kx_test_record rec[5];
	struct kx_rule_env env = { 0 };
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++) {
		patch(&p[i], "arch/x86/kvm/x86.c", "\tkvm_do_thing(vcpu);");
		memset(p[i].id, 'a' + (int)i, 40);
		p[i].id[40] = '\0';
	}
	env.tests = rec;

	/* a command that is no build, passing everywhere, answers nothing */
	for (i = 0; i < 3; i++)
		rec[i] = (struct kx_test_record){
			.commit = p[i].id, .command = "true", .kind = "command",
			.pass = true, .build = KX_BUILD_COMMAND };
	env.tests_nr = 3;
	kx_rule_testing_reminders(&f, p, 3, &env);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 1);
	kx_findings_release(&f);

	/* a build passing at every commit answers the build reminder */
	for (i = 0; i < 3; i++)
		rec[i] = (struct kx_test_record){
			.commit = p[i].id, .command = "make", .kind = "command",
			.pass = true, .build = KX_BUILD_DECLARED };
	env.tests_nr = 3;
	kx_rule_testing_reminders(&f, p, 3, &env);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 0);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 1);
	kx_findings_release(&f);

	/* passing at two of three commits does not */
	env.tests_nr = 2;
	kx_rule_testing_reminders(&f, p, 3, &env);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 1);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 0);
	kx_findings_release(&f);

	/* a recorded failure is an error, at the first failing commit only */
	rec[1].pass = false;
	rec[2].pass = false;
	rec[3] = (struct kx_test_record){
		.commit = p[2].id, .command = "make", .kind = "command",
		.pass = false, .build = KX_BUILD_COMMAND };
	rec[4] = (struct kx_test_record){
		.commit = p[2].id, .command = "./run_tests.sh",
		.kind = "command", .pass = false, .build = KX_BUILD_COMMAND };
	env.tests_nr = 5;
	kx_rule_testing_reminders(&f, p, 3, &env);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 2);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 2);
	assert_non_null(strstr(f.items[0].message, "bbbbbbbbbbbb"));
	assert_non_null(strstr(f.items[0].message, "`make`"));
	assert_non_null(strstr(f.items[1].message, "`./run_tests.sh`"));
	kx_findings_release(&f);

	/* a selftests step that fails is run-selftests-kut's error */
	rec[0] = (struct kx_test_record){
		.commit = p[0].id, .command = "make", .kind = "command",
		.pass = true, .build = KX_BUILD_DECLARED };
	rec[1] = (struct kx_test_record){
		.commit = p[1].id, .command = "make", .kind = "command",
		.pass = true, .build = KX_BUILD_DECLARED };
	rec[2] = (struct kx_test_record){
		.commit = p[2].id, .command = "make", .kind = "command",
		.pass = true, .build = KX_BUILD_DECLARED };
	rec[3] = (struct kx_test_record){
		.commit = p[1].id,
		.command = "make -C tools/testing/selftests/kvm",
		.kind = "selftests", .pass = false, .build = KX_BUILD_COMMAND };
	env.tests_nr = 4;
	kx_rule_testing_reminders(&f, p, 3, &env);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 0);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 1);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 1);
	/* the command as the shell words it was recorded as, in a code span */
	assert_non_null(strstr(f.items[0].message,
			       "fails the selftests: `make -C tools/testing/selftests/kvm`"));
	kx_findings_release(&f);

	/* a failure recorded for a commit outside the series counts for nothing */
	rec[0] = (struct kx_test_record){
		.commit = "ffffffffffffffffffffffffffffffffffffffff",
		.command = "make", .kind = "command", .pass = false,
		.build = KX_BUILD_COMMAND };
	env.tests_nr = 1;
	kx_rule_testing_reminders(&f, p, 3, &env);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 0);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 1);
	kx_findings_release(&f);

	/* --kernel --matrix: each configuration is a test of its own */
	for (i = 0; i < 3; i++)
		rec[i] = (struct kx_test_record){
			.commit = p[i].id, .command = "make", .kind = "command",
			.pass = true, .config = "x86_64",
			.build = KX_BUILD_LINKED };
	rec[3] = rec[1];
	rec[3].config = "xen";
	rec[3].pass = false;
	rec[4] = rec[2];
	rec[4].config = "xen";
	rec[4].pass = false;
	env.tests_nr = 5;
	kx_rule_testing_reminders(&f, p, 3, &env);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 1);
	assert_non_null(strstr(f.items[0].message, "bbbbbbbbbbbb"));
	assert_non_null(strstr(f.items[0].message,
			       "in the configuration 'xen'"));
	kx_findings_release(&f);
	for (i = 0; i < 3; i++)
		kx_patch_release(&p[i]);
}

static void test_rules_series__comment_only_changes_need_no_tests(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;

	(void)state;
	/* the handbook: changes with negligible runtime effect, e.g. comments */
	patch(&p, "arch/x86/kvm/x86.c", " * Flush the TLB, not the world.");
	run(&f, &p, 1);
	assert_int_equal(f.nr, 0);
	kx_findings_release(&f);
	kx_patch_release(&p);

	/* nested_vmx_run() and svm->nested are no module parameter "nested" */
	patch(&p, "arch/x86/kvm/vmx/nested.c", "\tnested_vmx_run(vcpu, svm->nested.ctl);");
	run(&f, &p, 1);
	assert_int_equal(kx_findings_of(&f, "module-param-testing"), 0);
	assert_int_equal(kx_findings_of(&f, "shadow-paging-tdp-disabled"), 0);
	kx_findings_release(&f);
	kx_patch_release(&p);

	/* the word in a string, a character literal or a comment: no use */
	patch(&p, "arch/x86/kvm/vmx/nested.c",
	      "\tpr_warn_ratelimited(\"kvm: nested \\\"vmx\\\" abort, indicator %d\\n\", x); /* nested */");
	run(&f, &p, 1);
	assert_int_equal(kx_findings_of(&f, "module-param-testing"), 0);
	kx_findings_release(&f);
	kx_patch_release(&p);
	/* ... and outside them it still is one */
	patch(&p, "arch/x86/kvm/vmx/nested.c", "\tif (nested && x == '\"') // nested");
	run(&f, &p, 1);
	assert_int_equal(kx_findings_of(&f, "module-param-testing"), 1);
	kx_findings_release(&f);
	kx_patch_release(&p);

	/* a block comment's lines without a leading '*' are still comment */
	patch(&p, "arch/x86/kvm/vmx/nested.c", "\t/* Without EPT there is no");
	kx_strlist_add(&p.files[0].added, "\t   nested EPT, say it. */");
	run(&f, &p, 1);
	assert_int_equal(kx_findings_of(&f, "module-param-testing"), 0);
	kx_findings_release(&f);
	kx_patch_release(&p);
	/* ... and the code after the comment's end is code */
	patch(&p, "arch/x86/kvm/vmx/nested.c", "\t/* Without EPT there is no");
	kx_strlist_add(&p.files[0].added, "\t   nested EPT. */ if (enable_ept)");
	run(&f, &p, 1);
	assert_int_equal(kx_findings_of(&f, "module-param-testing"), 1);
	kx_findings_release(&f);
	kx_patch_release(&p);
}

/* Renames and declarations must build; they need no test run. */
static void test_rules_series__no_runtime_change_needs_no_tests(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[2];
	struct kx_patch_file *file;

	(void)state;
	/* a rename across a .c file: two pairs of lines */
	kx_patch_init(&p[0]);
	kx_patch_set_message(&p[0], "KVM: VMX: Rename a helper\n\nWhy.\n");
	file = kx_patch_add_file(&p[0], "arch/x86/kvm/vmx/vmx.c");
	kx_strlist_add(&file->removed, "static void vmx_vcpu_setup(struct vcpu_vmx *vmx)");
	kx_strlist_add(&file->removed, "\tvmx_vcpu_setup(vmx);");
	kx_strlist_add(&file->added, "static void vmx_vmcs_setup(struct vcpu_vmx *vmx)");
	kx_strlist_add(&file->added, "\tvmx_vmcs_setup(vmx);");
	/* and its prototype in a header */
	patch(&p[1], "arch/x86/kvm/vmx/nested.h",
	      "void nested_vmx_vmcs_setup(struct vcpu_vmx *vmx);");
	run(&f, p, 2);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 1);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 0);
	kx_findings_release(&f);
	kx_patch_release(&p[1]);

	/* the same with one line of logic: tests */
	patch(&p[1], "arch/x86/kvm/x86.c", "\tif (!vcpu)\n");
	run(&f, p, 2);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 1);
	kx_findings_release(&f);
	kx_patch_release(&p[0]);
	kx_patch_release(&p[1]);

	/* a common header beside arm's code: arm's tests, not x86's */
	patch(&p[0], "include/uapi/linux/kvm.h",
	      "\t\t__u32 irq_line_max;");
	patch(&p[1], "arch/arm64/kvm/vgic/vgic.c", "\tif (irq > max)");
	run(&f, p, 2);
	assert_int_equal(kx_findings_of(&f, "build-each-commit"), 1);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 0);
	kx_findings_release(&f);
	/* alone, it runs on x86 too */
	run(&f, p, 1);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 1);
	kx_findings_release(&f);
	kx_patch_release(&p[0]);
	kx_patch_release(&p[1]);
}

static void test_rules_series__kut_and_count(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[16];
	size_t i;

	(void)state;
	patch(&p[0], "x86/vmx_tests.c", "\treport(true, \"x\");");
	patch(&p[1], "arch/x86/kvm/vmx/vmx.c", "\treturn 0;");
	run(&f, p, 2);
	assert_int_equal(kx_findings_of(&f, "kut-separate"), 1);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 1);
	kx_findings_release(&f);
	/* a kvm-unit-tests series alone is fine */
	run(&f, p, 1);
	assert_int_equal(kx_findings_of(&f, "kut-separate"), 0);
	kx_findings_release(&f);
	for (i = 2; i < 16; i++)
		patch(&p[i], "arch/x86/kvm/x86.c", "\treturn 1;");
	run(&f, p + 1, 15);
	assert_int_equal(kx_findings_of(&f, "patch-count-15"), 0);
	kx_findings_release(&f);
	run(&f, p, 16);
	assert_int_equal(kx_findings_of(&f, "patch-count-15"), 1);
	kx_findings_release(&f);
	for (i = 0; i < 16; i++)
		kx_patch_release(&p[i]);
}

static void test_rules_series__base_trailer(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	const char *ids[] = { "1111111111111111111111111111111111111111",
			      "2222222222222222222222222222222222222222",
			      "3333333333333333333333333333333333333333",
			      "4444444444444444444444444444444444444444" };
	const char *subjects[] = { "KVM: x86: One", "KVM: x86: Two",
				   "KVM: x86: Three", "KVM: x86: Four" };
	const char *fork = "abcdefabcdefabcdefabcdefabcdefabcdefabcd";

	(void)state;
	/* on a published commit: nothing to say */
	kx_rule_base_trailer(&f, fork, ids, subjects, 0);
	assert_int_equal(f.nr, 0);
	/* stacked on unpublished commits: one warning naming them */
	kx_rule_base_trailer(&f, fork, ids, subjects, 2);
	assert_int_equal(kx_findings_of(&f, "base-trailer"), 1);
	assert_int_equal(f.items[0].severity, KX_SEV_WARNING);
	assert_non_null(strstr(f.items[0].message, "2 commits"));
	assert_non_null(strstr(f.items[0].message, "111111111111 (\"KVM: x86: One\")"));
	assert_non_null(strstr(f.items[0].message, "names abcdefabcdef"));
	assert_null(strstr(f.items[0].message, "..."));
	kx_findings_release(&f);
	/* more than three: the first three, then "..." */
	kx_rule_base_trailer(&f, fork, ids, subjects, 4);
	assert_non_null(strstr(f.items[0].message, "4 commits"));
	assert_null(strstr(f.items[0].message, "444444444444"));
	assert_non_null(strstr(f.items[0].message, ", ..."));
	kx_findings_release(&f);
}

static void test_rules_series__build_extra_knobs(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p[3];
	struct kx_test_record rec[2];
	struct kx_rule_env env = { 0 };
	size_t i;

	(void)state;
	/* SMM's own file, and a lock taken in common code */
	patch(&p[0], "arch/x86/kvm/smm.c", "\tkvm_smm_changed(vcpu, false);");
	patch(&p[1], "virt/kvm/kvm_main.c", "\tmutex_lock(&kvm->slots_lock);");
	kx_rule_build_extra_knobs(&f, p, 2, NULL);
	assert_int_equal(f.nr, 1);
	assert_string_equal(f.items[0].rule, "build-extra-knobs");
	assert_int_equal(f.items[0].severity, KX_SEV_ADVICE);
	assert_string_equal(f.items[0].message,
			    "the series changes code that the handbook's extra knobs turn: "
			    "KVM_SMM=n (arch/x86/kvm/smm.c), PROVE_LOCKING=y (the locking); "
			    "build and test with them too (kvmx86 test --kernel --matrix)");
	kx_findings_release(&f);
	kx_patch_release(&p[0]);
	kx_patch_release(&p[1]);

	/* a block that Xen or 64-bit builds compile in or out */
	patch(&p[0], "arch/x86/kvm/x86.c", "#ifdef CONFIG_KVM_XEN");
	patch(&p[1], "arch/x86/kvm/vmx/vmx.c", "#ifdef CONFIG_X86_64");
	kx_rule_build_extra_knobs(&f, p, 2, NULL);
	assert_int_equal(f.nr, 1);
	assert_non_null(strstr(f.items[0].message,
			       "KVM_XEN=y (CONFIG_KVM_XEN), ARCH=i386 (CONFIG_X86_64)"));
	kx_findings_release(&f);
	kx_patch_release(&p[0]);
	kx_patch_release(&p[1]);

	/* nothing a knob turns: a call, a lock in a comment or a string, a
	   selftest, documentation, another architecture's lock */
	patch(&p[0], "arch/x86/kvm/x86.c", "\tkvm_do_thing(vcpu); /* under mutex_lock() */");
	kx_strlist_add(&p[0].files[0].added, "\tpr_info(\"spin_lock(%d)\", 1);");
	kx_strlist_add(&kx_patch_add_file(&p[0], "tools/testing/selftests/kvm/lib/kvm_util.c")->added,
		       "\tmutex_lock(&vm->lock);");
	kx_strlist_add(&kx_patch_add_file(&p[0], "Documentation/virt/kvm/locking.rst")->added,
		       "- mutex_lock(&kvm->lock) first");
	kx_strlist_add(&kx_patch_add_file(&p[0], "arch/arm64/kvm/arm.c")->added,
		       "\tmutex_lock(&kvm->lock);");
	/* CONFIG_KVM_SMM named in common code is no x86 SMM block */
	kx_strlist_add(&kx_patch_add_file(&p[0], "virt/kvm/kvm_main.c")->added,
		       "#ifdef CONFIG_KVM_SMM");
	kx_rule_build_extra_knobs(&f, p, 1, NULL);
	assert_int_equal(f.nr, 0);
	kx_patch_release(&p[0]);

	/* a recorded passing build of that configuration at every commit */
	for (i = 0; i < 2; i++) {
		patch(&p[i], "arch/x86/kvm/xen.c", "\tkvm_xen_do_thing(vcpu);");
		memset(p[i].id, 'a' + (int)i, 40);
		p[i].id[40] = '\0';
		rec[i] = (struct kx_test_record){
			.commit = p[i].id, .command = "make", .kind = "command",
			.pass = true, .config = "xen", .build = KX_BUILD_LINKED };
	}
	env.tests = rec;
	env.tests_nr = 2;
	kx_rule_build_extra_knobs(&f, p, 2, &env);
	assert_int_equal(f.nr, 0);
	/* at one commit only, or failing: still advice */
	env.tests_nr = 1;
	kx_rule_build_extra_knobs(&f, p, 2, &env);
	assert_int_equal(f.nr, 1);
	assert_non_null(strstr(f.items[0].message, "KVM_XEN=y (arch/x86/kvm/xen.c)"));
	kx_findings_release(&f);
	env.tests_nr = 2;
	rec[1].pass = false;
	kx_rule_build_extra_knobs(&f, p, 2, &env);
	assert_int_equal(f.nr, 1);
	kx_findings_release(&f);
	for (i = 0; i < 2; i++)
		kx_patch_release(&p[i]);
}

/* Appends a commit of id c (repeated) changing paths (NULL-terminated). */
static void commit_of(struct kx_series *s, char c, const char *subject,
		      const char *const *paths)
{
	char id[41];
	struct kx_commit *k;

	memset(id, c, 40);
	id[40] = '\0';
	k = kx_series_add(s, id, subject);
	for (; *paths; paths++)
		kx_commit_add_file(k, *paths);
	kx_commit_finish(k);
}

static void test_rules_series__co_post_selftests(void **state)
{
	static const char *const kvm[] = { "arch/x86/kvm/vmx/vmx.c", NULL };
	static const char *const common[] = { "virt/kvm/kvm_main.c", NULL };
	static const char *const docs[] = { "Documentation/virt/kvm/api.rst", NULL };
	static const char *const test[] = {
		"tools/testing/selftests/kvm/x86/frob_test.c",
		"tools/testing/selftests/kvm/Makefile.kvm", NULL,
	};
	static const char *const both[] = {
		"arch/x86/kvm/x86.c", "tools/testing/selftests/kvm/x86/frob_test.c", NULL,
	};
	static const char *const arm[] = {
		"tools/testing/selftests/kvm/arm64/frob_test.c", NULL,
	};
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_series s = KX_SERIES_INIT;

	(void)state;
	/* selftests on two unpublished KVM commits: one advice, the first named */
	commit_of(&s, '1', "KVM: VMX: Frob on entry", kvm);
	commit_of(&s, '2', "KVM: Frob everywhere", common);
	commit_of(&s, '3', "KVM: selftests: Test frobbing", test);
	kx_rule_co_post_selftests(&f, &s, 2);
	assert_int_equal(f.nr, 1);
	assert_string_equal(f.items[0].rule, "co-post-selftests");
	assert_int_equal(f.items[0].severity, KX_SEV_ADVICE);
	assert_string_equal(f.items[0].commit, "");
	assert_string_equal(f.items[0].message,
			    "the series changes only KVM selftests and builds on 2 KVM "
			    "commits that no KVM tree has (111111111111 (\"KVM: VMX: Frob "
			    "on entry\"), ...): post the tests with the KVM changes they "
			    "test as one series");
	kx_findings_release(&f);

	/* the same series with the KVM commits in it: nothing */
	kx_rule_co_post_selftests(&f, &s, 0);
	/* the KVM commits are the series' own (nothing below them) */
	kx_rule_co_post_selftests(&f, &s, 3);
	assert_int_equal(f.nr, 0);
	kx_series_release(&s);

	/* below the tests only documentation, or another series of tests */
	commit_of(&s, '1', "KVM: Document frobbing", docs);
	commit_of(&s, '2', "KVM: selftests: Add a frob helper", test);
	commit_of(&s, '3', "KVM: selftests: Test frobbing", test);
	kx_rule_co_post_selftests(&f, &s, 2);
	assert_int_equal(f.nr, 0);
	kx_series_release(&s);

	/* the series has KVM code of its own, or another architecture's tests */
	commit_of(&s, '1', "KVM: VMX: Frob on entry", kvm);
	commit_of(&s, '2', "KVM: selftests: Test frobbing", test);
	commit_of(&s, '3', "KVM: x86: Frob and test it", both);
	kx_rule_co_post_selftests(&f, &s, 1);
	kx_series_release(&s);
	commit_of(&s, '1', "KVM: VMX: Frob on entry", kvm);
	commit_of(&s, '2', "KVM: arm64: selftests: Test frobbing", arm);
	kx_rule_co_post_selftests(&f, &s, 1);
	assert_int_equal(f.nr, 0);
	kx_series_release(&s);
	kx_findings_release(&f);
}

static void test_rules_series__overrides(void **state)
{
	struct kx_rule_override o[] = { { "run-selftests-kut", KX_SEV_OFF },
					{ "build-each-commit", KX_SEV_ERROR } };
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;

	(void)state;
	f.overrides = o;
	f.overrides_nr = 2;
	patch(&p, "arch/x86/kvm/x86.c", "\treturn 1;");
	run(&f, &p, 1);
	assert_int_equal(kx_findings_of(&f, "run-selftests-kut"), 0);
	assert_int_equal(kx_findings_count(&f, KX_SEV_ERROR), 1);
	kx_findings_release(&f);
	kx_patch_release(&p);
}

/* --- rfc-untested-feature --- */

static size_t rfc_findings(struct kx_patch *p, size_t nr,
			   const struct kx_rule_env *env, const char *text)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	size_t n;

	kx_rule_rfc_untested_feature(&f, p, nr, env);
	n = kx_findings_of(&f, "rfc-untested-feature");
	if (n && text && !strstr(f.items[0].message, text))
		fail_msg("message \"%s\" lacks \"%s\"", f.items[0].message,
			 text);
	if (n)
		assert_int_equal(f.items[0].severity, KX_SEV_WARNING);
	kx_findings_release(&f);
	return n;
}

static void test_rules_series__new_uapi_without_tests(void **state)
{
	static const struct {
		const char *path, *line, *name;
	} uapi[] = {
		{ "include/uapi/linux/kvm.h", "#define KVM_CAP_FOO 240",
		  "KVM_CAP_FOO" },
		{ "include/uapi/linux/kvm.h",
		  "#define KVM_FOO_STATE\t_IOWR(KVMIO, 0xd0, struct kvm_foo)",
		  "KVM_FOO_STATE" },
		{ "arch/x86/include/uapi/asm/kvm.h", "struct kvm_foo_state {",
		  "kvm_foo_state" },
		{ "arch/x86/include/uapi/asm/kvm.h",
		  "#define KVM_X86_QUIRK_FOO (1 << 9)", "KVM_X86_QUIRK_FOO" },
	};
	struct kx_patch p[2];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(uapi) / sizeof(uapi[0]); i++) {
		char *want = kx_xasprintf("patch 2 adds %s to %s, and no patch "
					  "changes the KVM selftests",
					  uapi[i].name, uapi[i].path);

		patch(&p[0], "arch/x86/kvm/x86.c", "\treturn 0;");
		patch(&p[1], uapi[i].path, uapi[i].line);
		assert_int_equal(rfc_findings(p, 2, NULL, want), 1);
		kx_patch_release(&p[0]);
		kx_patch_release(&p[1]);
		free(want);
	}
	patch(&p[0], "include/uapi/linux/kvm.h", "#define KVM_CAP_FOO 240");
	assert_int_equal(rfc_findings(p, 1, NULL,
				      "or post it as RFC (kvmx86 prep "
				      "--set-prefixes RFC) and say in the cover "
				      "letter what feedback you want"), 1);
	kx_patch_release(&p[0]);
}

static void test_rules_series__new_uapi_tested_or_rfc(void **state)
{
	struct kx_strlist rfc = KX_STRLIST_INIT, resend = KX_STRLIST_INIT;
	struct kx_rule_env env = { 0 };
	struct kx_patch p[2];

	(void)state;
	patch(&p[0], "include/uapi/linux/kvm.h", "#define KVM_CAP_FOO 240");
	/* a selftest in the series */
	patch(&p[1], "tools/testing/selftests/kvm/x86_64/foo_test.c",
	      "\tTEST_ASSERT(r, \"foo\");");
	assert_int_equal(rfc_findings(p, 2, NULL, NULL), 0);
	/* tagged RFC, in any case */
	kx_strlist_add(&rfc, "rfc");
	env.prefixes = &rfc;
	assert_int_equal(rfc_findings(p, 1, &env, NULL), 0);
	/* other prefixes do not count */
	kx_strlist_add(&resend, "RESEND");
	env.prefixes = &resend;
	assert_int_equal(rfc_findings(p, 1, &env, NULL), 1);
	kx_patch_release(&p[0]);
	kx_patch_release(&p[1]);
	kx_strlist_release(&rfc);
	kx_strlist_release(&resend);
}

static void test_rules_series__not_new_uapi(void **state)
{
	static const struct {
		const char *path, *line;
	} ok[] = {
		/* not a feature's name */
		{ "include/uapi/linux/kvm.h", "#define KVM_EXIT_FOO 42" },
		{ "include/uapi/linux/kvm.h", "\t__u32 pad;" },
		{ "include/uapi/linux/kvm.h", "#define KVM_CAP_FOO_MASK(x) (x)" },
		/* a struct used, not declared */
		{ "include/uapi/linux/kvm.h", "\tstruct kvm_regs regs;" },
		/* another header */
		{ "arch/x86/kvm/x86.h", "#define KVM_CAP_FOO 240" },
		/* CPUID advertisement, the handbook's exception */
		{ "arch/x86/kvm/cpuid.c", "\t\tF(FOO) | F(BAR)," },
	};
	struct kx_patch p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		patch(&p, ok[i].path, ok[i].line);
		assert_int_equal(rfc_findings(&p, 1, NULL, NULL), 0);
		kx_patch_release(&p);
	}
	/* a capability moved or reworded is not new */
	patch(&p, "include/uapi/linux/kvm.h", "#define KVM_CAP_FOO\t240");
	kx_strlist_add(&p.files[0].removed, "#define KVM_CAP_FOO 240");
	assert_int_equal(rfc_findings(&p, 1, NULL, NULL), 0);
	kx_patch_release(&p);
}

/* --- resend-only-unmodified, reroll-version-tag --- */

/* Three patches, their patch-ids "1...", "2...", "3..." (40 digits). */
static void three(struct kx_patch *p, struct kx_strlist *ids)
{
	static const char *const subjects[] = {
		"KVM: x86: One thing\n\nWhy.\n", "KVM: x86: Two things\n\nWhy.\n",
		"KVM: x86: Three things\n\nWhy.\n",
	};
	char id[41];
	size_t i;

	for (i = 0; i < 3; i++) {
		patch(&p[i], "arch/x86/kvm/x86.c", "\tkvm_do_thing(vcpu);");
		kx_patch_set_message(&p[i], subjects[i]);
		memset(id, '1' + (int)i, 40);
		id[40] = '\0';
		kx_strlist_add(ids, id);
	}
}

/* Runs resend-only-unmodified: the series ids against sent as sent. */
static size_t resend(struct kx_findings *f, const struct kx_patch *p,
		     const struct kx_strlist *ids, const struct kx_strlist *sent,
		     const char *prefix)
{
	static const unsigned revisions[] = { 1, 2 };
	struct kx_strlist prefixes = KX_STRLIST_INIT;
	struct kx_rule_env env = { 0 };

	if (prefix)
		kx_strlist_add(&prefixes, prefix);
	env.prefixes = &prefixes;
	env.revision = 3;
	env.sent_revisions = revisions;
	env.sent_revisions_nr = 2;
	env.resend_of = 2;
	env.sent_patch_ids = sent;
	env.patch_ids = ids;
	kx_findings_release(f);
	kx_rule_resend_only_unmodified(f, p, 3, &env);
	kx_strlist_release(&prefixes);
	return kx_findings_of(f, "resend-only-unmodified");
}

static void test_rules_series__resend_unmodified(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_strlist ids = KX_STRLIST_INIT, sent = KX_STRLIST_INIT;
	struct kx_patch p[3];
	size_t i;

	(void)state;
	three(p, &ids);
	for (i = 0; i < 3; i++)
		kx_strlist_add(&sent, ids.items[i]);
	/* the same patches: a resend */
	assert_int_equal(resend(&f, p, &ids, &sent, "RESEND"), 0);
	assert_int_equal(resend(&f, p, &ids, &sent, "resend"), 0);
	/* not tagged RESEND: nothing to say (reroll-version-tag's business) */
	free(ids.items[1]);
	ids.items[1] = kx_xstrdup("4444444444444444444444444444444444444444");
	assert_int_equal(resend(&f, p, &ids, &sent, "RFC"), 0);
	assert_int_equal(resend(&f, p, &ids, &sent, NULL), 0);
	/* patch-ids not known: not checked */
	kx_findings_release(&f);
	{
		struct kx_rule_env env = { 0 };
		struct kx_strlist prefixes = KX_STRLIST_INIT;

		kx_strlist_add(&prefixes, "RESEND");
		env.prefixes = &prefixes;
		kx_rule_resend_only_unmodified(&f, p, 3, &env);
		assert_int_equal(f.nr, 0);
		kx_strlist_release(&prefixes);
	}
	kx_findings_release(&f);
	kx_strlist_release(&ids);
	kx_strlist_release(&sent);
	for (i = 0; i < 3; i++)
		kx_patch_release(&p[i]);
}

static void test_rules_series__resend_modified(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_strlist ids = KX_STRLIST_INIT, sent = KX_STRLIST_INIT;
	struct kx_patch p[3];
	size_t i;

	(void)state;
	three(p, &ids);
	for (i = 0; i < 3; i++)
		kx_strlist_add(&sent, ids.items[i]);
	/* patch 2 changed */
	free(ids.items[1]);
	ids.items[1] = kx_xstrdup("4444444444444444444444444444444444444444");
	assert_int_equal(resend(&f, p, &ids, &sent, "RESEND"), 1);
	assert_int_equal(f.items[0].severity, KX_SEV_WARNING);
	assert_string_equal(f.items[0].message,
			    "the series is tagged RESEND, but patch 2 ('KVM: x86: Two things') "
			    "is not in v2 as sent; 1 patch of v2 is not in the series "
			    "(compared by git patch-id): RESEND is only for a series sent "
			    "again unmodified; drop it (kvmx86 prep --set-prefixes) and "
			    "send the changes as v3");
	/* two changed */
	free(ids.items[2]);
	ids.items[2] = kx_xstrdup("5555555555555555555555555555555555555555");
	assert_int_equal(resend(&f, p, &ids, &sent, "RESEND"), 1);
	assert_non_null(strstr(f.items[0].message, "patches 2 and 3 are not in v2 as sent; 2 patches of v2 are not in the series"));
	/* a patch more than v2 had */
	free(ids.items[1]);
	ids.items[1] = kx_xstrdup(sent.items[1]);
	free(ids.items[2]);
	ids.items[2] = kx_xstrdup(sent.items[2]);
	free(sent.items[2]);
	sent.nr = 2;
	assert_int_equal(resend(&f, p, &ids, &sent, "RESEND"), 1);
	assert_non_null(strstr(f.items[0].message, "patch 3 ('KVM: x86: Three things') is not in v2 as sent ("));
	/* the same patches, another order */
	kx_strlist_add(&sent, ids.items[1]);
	free(sent.items[1]);
	sent.items[1] = kx_xstrdup(ids.items[2]);
	assert_int_equal(resend(&f, p, &ids, &sent, "RESEND"), 1);
	assert_non_null(strstr(f.items[0].message, "its patches are in another order than in v2"));
	kx_findings_release(&f);
	kx_strlist_release(&ids);
	kx_strlist_release(&sent);
	for (i = 0; i < 3; i++)
		kx_patch_release(&p[i]);
}

/* Runs reroll-version-tag on revision, v1 and v2 sent. */
static size_t reroll(struct kx_findings *f, unsigned revision, const char *prefix)
{
	static const unsigned revisions[] = { 1, 2 };
	struct kx_strlist prefixes = KX_STRLIST_INIT;
	struct kx_rule_env env = { 0 };

	if (prefix)
		kx_strlist_add(&prefixes, prefix);
	env.prefixes = &prefixes;
	env.revision = revision;
	env.sent_revisions = revisions;
	env.sent_revisions_nr = 2;
	kx_findings_release(f);
	kx_rule_reroll_version_tag(f, NULL, 0, &env);
	kx_strlist_release(&prefixes);
	return kx_findings_of(f, "reroll-version-tag");
}

static void test_rules_series__reroll_version(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_rule_env env = { 0 };

	(void)state;
	/* v3 after v1 and v2, or a version past them */
	assert_int_equal(reroll(&f, 3, NULL), 0);
	assert_int_equal(reroll(&f, 5, NULL), 0);
	/* RESEND of the last version sent keeps its number */
	assert_int_equal(reroll(&f, 2, "RESEND"), 0);
	/* nothing sent, no state */
	env.revision = 1;
	kx_rule_reroll_version_tag(&f, NULL, 0, &env);
	assert_int_equal(f.nr, 0);
	kx_rule_reroll_version_tag(&f, NULL, 0, NULL);
	assert_int_equal(f.nr, 0);
	/* --force-revision back to a version sent */
	assert_int_equal(reroll(&f, 2, NULL), 1);
	assert_int_equal(f.items[0].severity, KX_SEV_WARNING);
	assert_string_equal(f.items[0].message,
			    "v2 is being prepared, but v2 was sent already: a new "
			    "version is v3 (kvmx86 prep --force-revision 3); to send "
			    "v2 again unchanged, kvmx86 send --resend v2");
	assert_int_equal(reroll(&f, 1, NULL), 1);
	assert_string_equal(f.items[0].message,
			    "v1 is being prepared, but v2 was sent already: a new "
			    "version is v3 (kvmx86 prep --force-revision 3)");
	/* a RESEND of an older version is still behind */
	assert_int_equal(reroll(&f, 1, "RESEND"), 1);
	/*
	 * RESEND on the version send moved to, never sent: the subjects
	 * would say "RESEND v3" of a v3 nobody has seen
	 */
	assert_int_equal(reroll(&f, 3, "RESEND"), 1);
	assert_string_equal(f.items[0].message,
			    "v3 is tagged RESEND, but v3 was never sent: a resend "
			    "keeps the number of the version it sends again, here "
			    "v2 (kvmx86 send --resend v2), and a changed series is "
			    "v3 without RESEND (kvmx86 prep --set-prefixes)");
	kx_findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_series__reminders_for_kvm_code),
		cmocka_unit_test(test_rules_series__recorded_tests),
		cmocka_unit_test(test_rules_series__comment_only_changes_need_no_tests),
		cmocka_unit_test(test_rules_series__no_runtime_change_needs_no_tests),
		cmocka_unit_test(test_rules_series__kut_and_count),
		cmocka_unit_test(test_rules_series__base_trailer),
		cmocka_unit_test(test_rules_series__co_post_selftests),
		cmocka_unit_test(test_rules_series__build_extra_knobs),
		cmocka_unit_test(test_rules_series__overrides),
		cmocka_unit_test(test_rules_series__new_uapi_without_tests),
		cmocka_unit_test(test_rules_series__new_uapi_tested_or_rfc),
		cmocka_unit_test(test_rules_series__not_new_uapi),
		cmocka_unit_test(test_rules_series__resend_unmodified),
		cmocka_unit_test(test_rules_series__resend_modified),
		cmocka_unit_test(test_rules_series__reroll_version),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
