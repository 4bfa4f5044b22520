// SPDX-License-Identifier: GPL-2.0-only
/*
 * The rules on added code over literal diffs: no kernel-doc on KVM
 * functions, and selftests split from the KVM changes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"
#include "rules-run.h"

/* Adds a file whose added lines are the NULL-terminated lines[]. */
static void file(struct run *r, const char *path, const char *const *lines)
{
	struct kx_patch_file *f = kx_patch_add_file(&r->p, path);

	for (; lines && *lines; lines++)
		kx_strlist_add(&f->added, *lines);
}

static void one(const struct kx_findings *f, const char *rule,
		enum kx_severity sev, const char *text)
{
	count(f, 1);
	assert_string_equal(f->items[0].rule, rule);
	assert_int_equal(f->items[0].severity, sev);
	if (!strstr(f->items[0].message, text))
		fail_msg("message \"%s\" lacks \"%s\"", f->items[0].message,
			 text);
}

/* --- no-kernel-doc --- */

static const char *const func_doc[] = {
	"/**",
	" * kvm_flush_range() - Flush a range of guest TLB entries",
	" * @kvm: the VM",
	" */",
	"void kvm_flush_range(struct kvm *kvm)",
	NULL,
};

static void test_rules_code__kernel_doc_on_kvm_function(void **state)
{
	static const char *const paths[] = {
		"arch/x86/kvm/mmu/mmu.c",
		"virt/kvm/kvm_main.c",
		"include/linux/kvm_host.h",
		"arch/x86/include/asm/kvm_host.h",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		struct run r;

		start(&r);
		file(&r, paths[i], func_doc);
		one(check(&r, kx_rule_no_kernel_doc), "no-kernel-doc",
		    KX_SEV_WARNING, "'kvm_flush_range()'");
		done(&r);
	}
}

static void test_rules_code__kernel_doc_shapes(void **state)
{
	const char *const no_parens[] = {
		"\t/**", "\t * kvm_zap_gfn_range - zap it", "\t */", NULL,
	};
	const char *const one_line[] = {
		"/** kvm_zap_gfn_range() - zap it */", NULL,
	};
	const char *const late_name[] = {
		"/**", " *", " * kvm_zap_gfn_range() - zap it", NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	file(&r, "arch/x86/kvm/x86.c", no_parens);
	one(check(&r, kx_rule_no_kernel_doc), "no-kernel-doc",
	    KX_SEV_WARNING, "arch/x86/kvm/x86.c");
	done(&r);
	start(&r);
	file(&r, "arch/x86/kvm/x86.c", one_line);
	one(check(&r, kx_rule_no_kernel_doc), "no-kernel-doc",
	    KX_SEV_WARNING, "'kvm_zap_gfn_range()'");
	done(&r);
	start(&r);
	file(&r, "arch/x86/kvm/x86.c", late_name);
	one(check(&r, kx_rule_no_kernel_doc), "no-kernel-doc",
	    KX_SEV_WARNING, "'kvm_zap_gfn_range()'");
	done(&r);
}

/* A finding about added code names the line as the new file has it. */
static void test_rules_code__kernel_doc_line(void **state)
{
	struct kx_patch_file *f;
	struct run r;
	size_t i;

	(void)state;
	start(&r);
	f = kx_patch_add_file(&r.p, "arch/x86/kvm/x86.c");
	for (i = 0; func_doc[i]; i++)
		kx_patch_file_add_line(f, func_doc[i], (unsigned)(40 + i));
	one(check(&r, kx_rule_no_kernel_doc), "no-kernel-doc",
	    KX_SEV_WARNING, "'kvm_flush_range()'");
	assert_string_equal(r.f.items[0].path, "arch/x86/kvm/x86.c");
	assert_int_equal(r.f.items[0].line, 40);
	done(&r);
	/* lines added without a number: the file, and no line */
	start(&r);
	file(&r, "arch/x86/kvm/x86.c", func_doc);
	one(check(&r, kx_rule_no_kernel_doc), "no-kernel-doc",
	    KX_SEV_WARNING, "'kvm_flush_range()'");
	assert_string_equal(r.f.items[0].path, "arch/x86/kvm/x86.c");
	assert_int_equal(r.f.items[0].line, 0);
	done(&r);
}

static void test_rules_code__kernel_doc_allowed(void **state)
{
	const char *const struct_doc[] = {
		"/**", " * struct kvm_foo - per-VM foo state", " */", NULL,
	};
	const char *const doc_block[] = {
		"/**", " * DOC: how the MMU zaps", " */", NULL,
	};
	const char *const macro_doc[] = {
		"/**", " * KVM_X86_FOO - the foo capability", " */", NULL,
	};
	const char *const plain[] = {
		"/*", " * kvm_flush_range() - flush it", " */",
		"/***** banner *****/", "/**/", NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	file(&r, "arch/x86/kvm/x86.c", struct_doc);
	file(&r, "arch/x86/kvm/x86.c", doc_block);
	file(&r, "arch/x86/kvm/x86.c", macro_doc);
	file(&r, "arch/x86/kvm/x86.c", plain);
	/* the uAPI documents itself; selftests and other trees are not KVM */
	file(&r, "include/uapi/linux/kvm.h", func_doc);
	file(&r, "arch/x86/include/uapi/asm/kvm.h", func_doc);
	file(&r, "tools/testing/selftests/kvm/lib/kvm_util.c", func_doc);
	file(&r, "kernel/sched/core.c", func_doc);
	file(&r, "arch/x86/kernel/kvm.c", func_doc);
	file(&r, "Documentation/virt/kvm/x86/mmu.rst", func_doc);
	count(check(&r, kx_rule_no_kernel_doc), 0);
	done(&r);
}

/* --- split-selftests --- */

static void test_rules_code__selftest_with_kvm_code(void **state)
{
	struct run r;

	(void)state;
	start(&r);
	file(&r, "arch/x86/kvm/pmu.c", NULL);
	file(&r, "tools/testing/selftests/kvm/x86/pmu_event_filter_test.c",
	     NULL);
	one(check(&r, kx_rule_split_selftests), "split-selftests",
	    KX_SEV_ADVICE, "split it into two patches");
	done(&r);
	/* common code and an older tree's x86_64/ directory */
	start(&r);
	file(&r, "tools/testing/selftests/kvm/x86_64/foo_test.c", NULL);
	file(&r, "virt/kvm/kvm_main.c", NULL);
	one(check(&r, kx_rule_split_selftests), "split-selftests",
	    KX_SEV_ADVICE, "(virt/kvm/kvm_main.c)");
	done(&r);
}

static void test_rules_code__selftest_alone(void **state)
{
	struct run r;

	(void)state;
	/* tests and their library, another arch's tests, tools headers */
	start(&r);
	file(&r, "tools/testing/selftests/kvm/x86/pmu_event_filter_test.c",
	     NULL);
	file(&r, "tools/testing/selftests/kvm/lib/kvm_util.c", NULL);
	file(&r, "tools/testing/selftests/kvm/aarch64/arch_timer.c", NULL);
	file(&r, "tools/arch/x86/include/asm/msr-index.h", NULL);
	file(&r, "Documentation/virt/kvm/api.rst", NULL);
	count(check(&r, kx_rule_split_selftests), 0);
	done(&r);
	/* KVM code alone */
	start(&r);
	file(&r, "arch/x86/kvm/pmu.c", NULL);
	file(&r, "arch/x86/kvm/vmx/pmu_intel.c", NULL);
	count(check(&r, kx_rule_split_selftests), 0);
	done(&r);
}

/* --- reverse-fir-tree --- */

/*
 * Adds a file whose added lines[] are lines first, first + 1... of it,
 * each with its newline as io/ keeps it.
 */
static void numbered(struct run *r, const char *path, unsigned first,
		     const char *const *lines)
{
	struct kx_patch_file *f = kx_patch_add_file(&r->p, path);

	for (; *lines; lines++) {
		char *text = kx_xasprintf("%s\n", *lines);

		kx_patch_file_add_line(f, text, first++);
		free(text);
	}
}

static void test_rules_code__reverse_fir_tree(void **state)
{
	static const char *const good[] = {
		"static int kvm_do_thing(struct kvm_vcpu *vcpu)",
		"{",
		"\tstruct kvm_mmu_page *sp = NULL;",
		"\tunsigned long flags;",
		"\tint i, r;",
		"",
		"\tr = kvm_thing(vcpu, &flags);",
		"\treturn r;",
		"}",
		NULL,
	};
	static const char *const bad[] = {
		"static int kvm_do_thing(struct kvm_vcpu *vcpu)",
		"{",
		"\tint r;",
		"\tstruct kvm_mmu_page *sp = NULL;",
		"\tu64 x;",
		"",
		"\treturn 0;",
		"}",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/mmu/mmu.c", 100, good);
	count(check(&r, kx_rule_reverse_fir_tree), 0);
	done(&r);

	start(&r);
	numbered(&r, "arch/x86/kvm/mmu/mmu.c", 100, bad);
	count(check(&r, kx_rule_reverse_fir_tree), 1);
	assert_string_equal(r.f.items[0].rule, "reverse-fir-tree");
	assert_int_equal(r.f.items[0].severity, KX_SEV_ADVICE);
	assert_string_equal(r.f.items[0].path, "arch/x86/kvm/mmu/mmu.c");
	assert_int_equal(r.f.items[0].line, 103);
	assert_string_equal(r.f.items[0].message,
			    "'struct kvm_mmu_page *sp = NULL;' is longer than 'int r;' "
			    "above it: put a function's declarations longest first "
			    "(reverse fir tree), where no initializer needs another");
	done(&r);
}

static void test_rules_code__reverse_fir_tree_edge_cases(void **state)
{
	/* an initializer that needs a variable above it stays below it */
	static const char *const dependent[] = {
		"static void kvm_do_thing(struct kvm_vcpu *vcpu)",
		"{",
		"\tstruct kvm *kvm = vcpu->kvm;",
		"\tstruct kvm_memslots *slots = kvm_memslots(kvm);",
		"",
		"\tkvm_flush(slots);",
		"}",
		NULL,
	};
	/* statements and calls end the declarations */
	static const char *const code[] = {
		"static void kvm_do_thing(struct kvm_vcpu *vcpu)",
		"{",
		"\tint r;",
		"\tkvm_x86_ops.do_the_longest_thing(vcpu);",
		"\treturn vcpu->arch.something_long;",
		"}",
		NULL,
	};
	/* a structure's members, not a function's: no ')' before "{" */
	static const char *const block[] = {
		"struct kvm_foo",
		"{",
		"\tint r;",
		"\tstruct kvm_mmu_page *sp;",
		"};",
		NULL,
	};
	/* the function's head not added: the declarations may be old */
	static const char *const partial[] = {
		"\tint r;",
		"\tstruct kvm_mmu_page *sp = NULL;",
		NULL,
	};
	/* tabs count to the next multiple of 8; comments do not count */
	static const char *const tabs[] = {
		"static void kvm_do_thing(void)",
		"{",
		"\tunsigned long	flags;	/* saved IRQ flags, a long comment */",
		"\tu64 data;",
		"\tint i;",
		"}",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/x86.c", 10, dependent);
	numbered(&r, "arch/x86/kvm/vmx/vmx.c", 10, code);
	numbered(&r, "arch/x86/kvm/svm/svm.c", 10, block);
	numbered(&r, "arch/x86/kvm/mmu/mmu.c", 10, partial);
	numbered(&r, "arch/x86/kvm/lapic.c", 10, tabs);
	count(check(&r, kx_rule_reverse_fir_tree), 0);
	done(&r);

	/* not KVM's kernel code: selftests, headers, other trees */
	start(&r);
	{
		static const char *const bad[] = {
			"static int do_thing(void)", "{", "\tint r;",
			"\tstruct kvm_mmu_page *sp = NULL;", "}", NULL,
		};

		numbered(&r, "tools/testing/selftests/kvm/x86_64/foo_test.c", 10, bad);
		numbered(&r, "arch/x86/kvm/mmu.h", 10, bad);
		numbered(&r, "drivers/net/foo.c", 10, bad);
	}
	count(check(&r, kx_rule_reverse_fir_tree), 0);
	done(&r);
}

/* --- tip-comment-style (tail comments) --- */

static void test_rules_code__tail_comments(void **state)
{
	static const char *const bad[] = {
		"static int kvm_do_thing(struct kvm_vcpu *vcpu)",
		"{",
		"\t/* A comment of its own is fine. */",
		"\tif (!vcpu->arch.apic) /* no APIC */",
		"\t\treturn 0;",
		"\tkvm_do_more(vcpu); // and more",
		"}",
		NULL,
	};
	static const char *const fine[] = {
		"static int kvm_do_thing(struct kvm_vcpu *vcpu)",
		"{",
		"\tint r = 0;\t/* a local, like a member */",
		"\tu64 flags;",
		"",
		"\t/*",
		"\t * Comments on lines of their own.",
		"\t */",
		"\tr = kvm_do_more(vcpu);",
		"\tswitch (r) {",
		"\tcase 1: /* one */",
		"\t\tbreak;",
		"\t}",
		"\tpr_info(\"see https://example.com/\");",
		"\treturn r ? 1 : 0; /* a ternary: a colon */",
		"}",
		"",
		"struct kvm_foo {",
		"\tunsigned int a:1;\t/* bit field */",
		"\tint (*fn)(struct kvm_vcpu *vcpu);\t/* callback */",
		"};",
		"",
		"static const u32 msrs[] = {",
		"\tMSR_IA32_TSC,\t/* the TSC */",
		"};",
		"#define KVM_FOO 1 /* foo */",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/x86.c", 10, bad);
	count(check(&r, kx_rule_tip_tail_comment), 1);
	assert_string_equal(r.f.items[0].rule, "tip-comment-style");
	assert_int_equal(r.f.items[0].severity, KX_SEV_ADVICE);
	assert_int_equal(r.f.items[0].line, 13);
	assert_string_equal(r.f.items[0].message,
			    "tail comment '/* no APIC */' after code: put the comment "
			    "on lines of its own above the code (tip: tail comments "
			    "disturb the reading flow)");
	done(&r);

	start(&r);
	numbered(&r, "arch/x86/kvm/x86.c", 10, fine);
	/* not KVM's .c files */
	numbered(&r, "arch/x86/kvm/mmu.h", 10, bad);
	numbered(&r, "tools/testing/selftests/kvm/x86_64/foo_test.c", 10, bad);
	numbered(&r, "drivers/net/foo.c", 10, bad);
	count(check(&r, kx_rule_tip_tail_comment), 0);
	done(&r);

	start(&r);
	{
		static const char *const cpp[] = { "\tkvm_do_more(vcpu); // and more", NULL };

		numbered(&r, "virt/kvm/kvm_main.c", 10, cpp);
	}
	count(check(&r, kx_rule_tip_tail_comment), 1);
	assert_non_null(strstr(r.f.items[0].message, "'// and more'"));
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_code__kernel_doc_on_kvm_function),
		cmocka_unit_test(test_rules_code__kernel_doc_shapes),
		cmocka_unit_test(test_rules_code__kernel_doc_line),
		cmocka_unit_test(test_rules_code__kernel_doc_allowed),
		cmocka_unit_test(test_rules_code__selftest_with_kvm_code),
		cmocka_unit_test(test_rules_code__selftest_alone),
		cmocka_unit_test(test_rules_code__reverse_fir_tree),
		cmocka_unit_test(test_rules_code__reverse_fir_tree_edge_cases),
		cmocka_unit_test(test_rules_code__tail_comments),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
