// SPDX-License-Identifier: GPL-2.0-only
/*
 * The style rules over literal diffs (made-up code): manual text copied
 * into comments, tip's brackets, bare 'unsigned' and long lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"
#include "rules-run.h"

/*
 * Adds a file whose added lines[] are lines first, first + 1... of it,
 * without their newline as io/ hands them over (struct kx_diff_line).
 */
static void numbered(struct run *r, const char *path, unsigned first,
		     const char *const *lines)
{
	struct kx_patch_file *f = kx_patch_add_file(&r->p, path);

	for (; *lines; lines++)
		kx_patch_file_add_line(f, *lines, first++);
}

/* Checks that f holds one finding of rule, advice, at line, saying text. */
static void one_at(const struct kx_findings *f, const char *rule,
		   unsigned line, const char *text)
{
	count(f, 1);
	assert_string_equal(f->items[0].rule, rule);
	assert_int_equal(f->items[0].severity, KX_SEV_ADVICE);
	assert_int_equal(f->items[0].line, line);
	if (!strstr(f->items[0].message, text))
		fail_msg("message \"%s\" lacks \"%s\"", f->items[0].message,
			 text);
}

/* Runs rule over lines added to path from line 10; expects n findings. */
static void expect(kx_patch_rule_fn rule, const char *path,
		   const char *const *lines, size_t n)
{
	struct run r;

	start(&r);
	numbered(&r, path, 10, lines);
	count(check(&r, rule), n);
	done(&r);
}

/* --- no-sdm-copy-in-comments --- */

static void test_rules_style__sdm_copy_quoted(void **state)
{
	static const char *const quoted[] = {
		"\t/*",
		"\t * The frobnicator is stateless on every CPU KVM supports.  The",
		"\t * SDM says the low byte \"is always one and software must not",
		"\t * read anything into it, as it carries no information about the",
		"\t * state of the frobnicator\", and the APM has nothing on it.",
		"\t */",
		"\tWARN_ON_ONCE(frob & 0xff);",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/cpuid.c", 10, quoted);
	one_at(check(&r, kx_rule_no_sdm_copy_in_comments),
	       "no-sdm-copy-in-comments", 12,
	       "comment in arch/x86/kvm/cpuid.c copies text of the SDM/APM");
	done(&r);
}

static void test_rules_style__sdm_copy_introduced(void **state)
{
	/* "From the SDM:" and the manual's text below it */
	static const char *const introduced[] = {
		"\t/*",
		"\t * From the Intel SDM, volume 3:",
		"\t * The frob fields must be consistent on entry.  These fields",
		"\t * are the frob information field and the frob error code.",
		"\t */",
		NULL,
	};
	/* the manual's text indented below the line naming it */
	static const char *const indented[] = {
		"\t/*",
		"\t * Frob the register before the write, per the SDM",
		"\t *   Frobbing happens before the register is written and",
		"\t *   after the processor checks the privilege level, so a",
		"\t *   fault leaves the register unfrobbed.",
		"\t */",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/vmx/nested.c", 10, introduced);
	one_at(check(&r, kx_rule_no_sdm_copy_in_comments),
	       "no-sdm-copy-in-comments", 12, "copies text of the SDM/APM");
	done(&r);

	start(&r);
	numbered(&r, "tools/testing/selftests/kvm/x86/frob_test.c", 20, indented);
	one_at(check(&r, kx_rule_no_sdm_copy_in_comments),
	       "no-sdm-copy-in-comments", 22, "frob_test.c copies text");
	done(&r);
}

static void test_rules_style__sdm_copy_left_alone(void **state)
{
	/* the KVM author's own words about the SDM, a short quoted phrase */
	static const char *const own[] = {
		"\t/*",
		"\t * Per the SDM, frob exits are never considered to occur during",
		"\t * event delivery.  Note, the SDM qualifies this with \"The frob",
		"\t * causes the exit\", which is odd since nothing else can.",
		"\t */",
		NULL,
	};
	/* a section named by its title, as the handbook asks */
	static const char *const title[] = {
		"\t/*",
		"\t * See the SDM's table \"Formats of the Frob Register and Frob",
		"\t * Entries With Four Levels Of Frobbing\" for the layout.",
		"\t * KVM only frobs the low bits.",
		"\t */",
		NULL,
	};
	/* quoted and indented, but no manual named */
	static const char *const other[] = {
		"\t/*",
		"\t * The virtio spec says:",
		"\t *   \"The device frobs the queue before it notifies the driver,",
		"\t *   and the driver must not frob it back until it is told to",
		"\t *   by the device.\"",
		"\t */",
		NULL,
	};
	/* a section number: no-sdm-section-numbers' finding, not a second */
	static const char *const numbered_ref[] = {
		"\t/*",
		"\t * SDM Vol. 3, Section 24.11.5:",
		"\t * The first bytes of the frob region hold the revision of",
		"\t * the frob layout that the processor supports.",
		"\t *   Or so the manual says, for now, at least in the version",
		"\t *   this comment was written against.",
		"\t */",
		NULL,
	};
	/* two short quotes: the first one's closing '"' opens nothing */
	static const char *const two_quotes[] = {
		"\t/*",
		"\t * The SDM calls it \"frob",
		"\t * state\", then later the frob control; both words mean the same",
		"\t * thing, and KVM treats them alike \"as one\" in every path.",
		"\t */",
		NULL,
	};
	/* the same text in code outside KVM */
	static const char *const outside[] = {
		"/*", " * From the SDM:", " * Frobbing is stateless.",
		" * Software must not rely on it.", " */", NULL,
	};
	/* lines of code between: two comments, not one */
	static const char *const apart[] = {
		"\t/* From the SDM: */",
		"\tfrob(1);",
		"\t/* Frobbing is stateless. */",
		"\tfrob(2);",
		"\t/* Software must not rely on it. */",
		NULL,
	};

	(void)state;
	expect(kx_rule_no_sdm_copy_in_comments, "arch/x86/kvm/vmx/nested.c", own, 0);
	expect(kx_rule_no_sdm_copy_in_comments, "arch/x86/kvm/mmu/mmu.c", title, 0);
	expect(kx_rule_no_sdm_copy_in_comments, "arch/x86/kvm/x86.c", other, 0);
	expect(kx_rule_no_sdm_copy_in_comments, "arch/x86/kvm/vmx/nested.c", numbered_ref, 0);
	expect(kx_rule_no_sdm_copy_in_comments, "arch/x86/kernel/cpu/frob.c", outside, 0);
	expect(kx_rule_no_sdm_copy_in_comments, "arch/x86/kvm/x86.c", apart, 0);
	expect(kx_rule_no_sdm_copy_in_comments, "arch/x86/kvm/x86.c", two_quotes, 0);
}

static void test_rules_style__sdm_copy_not_double_reported(void **state)
{
	static const char *const numbered_ref[] = {
		"\t/*",
		"\t * From the SDM, Section 24.11.5:",
		"\t * The first bytes of the frob region hold the revision of",
		"\t * the frob layout that the processor supports.",
		"\t */",
		NULL,
	};
	/* the number in one paragraph, the passage in the next: one comment */
	static const char *const paragraphs[] = {
		"\t/*",
		"\t * The layout is in SDM Vol. 3, Section 24.11.5.",
		"\t *",
		"\t * From the SDM:",
		"\t * The first bytes of the frob region hold the revision of",
		"\t * the frob layout that the processor supports.",
		"\t */",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/vmx/nested.c", 30, paragraphs);
	check(&r, kx_rule_no_sdm_copy_in_comments);
	check(&r, kx_rule_no_sdm_section_numbers);
	count(&r.f, 1);
	assert_string_equal(r.f.items[0].rule, "no-sdm-section-numbers");
	done(&r);

	start(&r);
	numbered(&r, "arch/x86/kvm/vmx/nested.c", 10, numbered_ref);
	check(&r, kx_rule_no_sdm_copy_in_comments);
	check(&r, kx_rule_no_sdm_section_numbers);
	count(&r.f, 1);
	assert_string_equal(r.f.items[0].rule, "no-sdm-section-numbers");
	done(&r);
}

/* --- tip-brackets --- */

static void test_rules_style__brackets_nested(void **state)
{
	static const char *const loop[] = {
		"static void kvm_frob_all(struct kvm *kvm)",
		"{",
		"\tint i;",
		"",
		"\tfor (i = 0; i < KVM_NR_FROBS; i++)",
		"\t\tif (kvm->frobs[i])",
		"\t\t\tkvm_frob(kvm, i);",
		"}",
		NULL,
	};
	static const char *const macro_loop[] = {
		"\tkvm_for_each_vcpu(i, vcpu, kvm)",
		"\t\tif (kvm_frob_pending(vcpu))",
		"\t\t\treturn vcpu;",
		NULL,
	};
	static const char *const else_nested[] = {
		"\tif (frob)",
		"\t\tkvm_frob(kvm, 1);",
		"\telse",
		"\t\tfor (i = 0; i < 4; i++)",
		"\t\t\tkvm_unfrob(kvm, i);",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/x86.c", 100, loop);
	one_at(check(&r, kx_rule_tip_brackets), "tip-brackets", 104,
	       "'for' without braces over a nested if: put braces around a "
	       "body that is not truly a single line (tip)");
	done(&r);

	start(&r);
	numbered(&r, "virt/kvm/kvm_main.c", 10, macro_loop);
	one_at(check(&r, kx_rule_tip_brackets), "tip-brackets", 10,
	       "'for_each' without braces over a nested if");
	done(&r);

	start(&r);
	numbered(&r, "arch/x86/kvm/lapic.c", 10, else_nested);
	one_at(check(&r, kx_rule_tip_brackets), "tip-brackets", 12,
	       "'else' without braces over a nested loop");
	done(&r);
}

static void test_rules_style__brackets_continued(void **state)
{
	static const char *const two[] = {
		"\tif (kvm_frob_enabled(vcpu))",
		"\t\tr = kvm_frob_the_register(vcpu, FROB_FIRST_REGISTER,",
		"\t\t\t\t\t     FROB_FLAGS);",
		"\tif (r)",
		"\t\treturn r;",
		"\telse if (kvm_frob_pending(vcpu) &&",
		"\t\t !kvm_frob_blocked(vcpu))",
		"\t\treturn kvm_frob_the_register(vcpu, FROB_SECOND,",
		"\t\t\t\t\t     FROB_FLAGS);",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/vmx/vmx.c", 50, two);
	/* KVM takes one statement continued over lines without braces */
	assert_int_equal(check(&r, kx_rule_tip_brackets)->nr, 0);
	done(&r);
}

static void test_rules_style__brackets_single_lines(void **state)
{
	static const char *const fine[] = {
		"static int kvm_frob(struct kvm_vcpu *vcpu, int n)",
		"{",
		"\tint i;",
		"",
		/* a condition continued over lines, a one-line body */
		"\tif (kvm_frob_enabled(vcpu) &&",
		"\t    n > 1)",
		"\t\treturn 0;",
		"\telse if (n)",
		"\t\tn--;",
		"\telse",
		"\t\tn++;",
		/* braces */
		"\tfor (i = 0; i < n; i++) {",
		"\t\tif (kvm_frob_one(vcpu, i))",
		"\t\t\tbreak;",
		"\t}",
		"\tif (n) {",
		"\t\tkvm_frob_one(vcpu,",
		"\t\t\t     n);",
		"\t} else",
		"\t\tn = 1;",
		/* a do-while's end, an empty loop, a one-line nested if */
		"\tdo {",
		"\t\tn--;",
		"\t} while (n > 0);",
		"\twhile (kvm_frob_busy(vcpu));",
		"\tfor (i = 0; i < n; i++)",
		"\t\tif (kvm_frob_one(vcpu, i)) break;",
		/* a comment or a string is not code */
		"\tif (n)",
		"\t\t/* Frob the last one. */",
		"\t\tkvm_frob_one(vcpu, n);",
		"\tif (n)",
		"\t\t/*",
		"\t\t * An opening alone on its line is no code.",
		"\t\t */",
		"\t\tkvm_frob_one(vcpu, n);",
		"\tif (n)",
		"\t\tpr_info(\"if (n) { frob(\\\"x\\\",\");",
		/* a brace on the next line is another rule's */
		"\tif (n)",
		"\t{",
		"\t\tkvm_frob_one(vcpu,",
		"\t\t\t     n);",
		"\t}",
		"\treturn 0;",
		"}",
		NULL,
	};
	/* macros: their lines end in '\' */
	static const char *const macro[] = {
		"#define KVM_FROB_ALL(kvm, n)\t\t\t\\",
		"\tfor (i = 0; i < (n); i++)\t\t\\",
		"\t\tif (kvm_frob_one(kvm, i))\t\\",
		"\t\t\tbreak",
		NULL,
	};
	/* the body is not added: the patch only changed the header */
	static const char *const header_only[] = {
		"\tfor (i = 0; i < KVM_NR_FROBS; i++)",
		NULL,
	};
	static const char *const nested[] = {
		"\tfor (i = 0; i < KVM_NR_FROBS; i++)",
		"\t\tif (kvm->frobs[i])",
		"\t\t\tkvm_frob(kvm, i);",
		NULL,
	};
	struct run r;

	(void)state;
	expect(kx_rule_tip_brackets, "arch/x86/kvm/x86.c", fine, 0);
	expect(kx_rule_tip_brackets, "arch/x86/kvm/mmu.h", macro, 0);
	expect(kx_rule_tip_brackets, "arch/x86/kvm/x86.c", header_only, 0);
	/* not KVM's kernel code */
	expect(kx_rule_tip_brackets, "tools/testing/selftests/kvm/x86/frob_test.c", nested, 0);
	expect(kx_rule_tip_brackets, "drivers/net/frob.c", nested, 0);
	expect(kx_rule_tip_brackets, "arch/x86/include/uapi/asm/kvm.h", nested, 0);

	/* lines that do not follow each other in the new file */
	start(&r);
	{
		struct kx_patch_file *f = kx_patch_add_file(&r.p, "arch/x86/kvm/x86.c");

		kx_patch_file_add_line(f, "\tfor (i = 0; i < n; i++)", 10);
		kx_patch_file_add_line(f, "\t\tif (kvm->frobs[i])", 20);
		kx_patch_file_add_line(f, "\t\t\tkvm_frob(kvm, i);", 21);
	}
	count(check(&r, kx_rule_tip_brackets), 0);
	done(&r);
}

/* --- tip-misc-style --- */

static void test_rules_style__bare_unsigned(void **state)
{
	static const char *const bad[] = {
		"static unsigned int kvm_frob_count(unsigned long flags)",
		"{",
		"\tunsigned n = flags & 0xff;",
		"",
		"\treturn (unsigned)n;",
		"}",
		NULL,
	};
	static const char *const fine[] = {
		"static unsigned int kvm_frob_count(unsigned long flags,",
		"\t\t\t\t   unsigned char c, unsigned short s,",
		"\t\t\t\t   unsigned long long ll, unsigned __int128 x)",
		"{",
		"\t/* An unsigned value, in a comment. */",
		"\tpr_info(\"unsigned %u\", 1);",
		"\treturn kvm_unsigned_frob(flags);",
		"}",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/emulate.c", 30, bad);
	one_at(check(&r, kx_rule_tip_misc_style), "tip-misc-style", 32,
	       "bare 'unsigned' in 'unsigned n = flags & 0xff;' (and 1 more): "
	       "write 'unsigned int' (tip)");
	done(&r);

	expect(kx_rule_tip_misc_style, "arch/x86/kvm/emulate.c", fine, 0);
	expect(kx_rule_tip_misc_style, "tools/testing/selftests/kvm/lib/frob.c", bad, 0);
	expect(kx_rule_tip_misc_style, "arch/arm64/kvm/frob.c", bad, 0);
}

static void test_rules_style__long_lines(void **state)
{
	/* 2 tabs (16 columns) and 85 characters: 101 columns; 103 */
	static const char *const bad[] = {
		"\t\tkvm_frob_the_register(vcpu, KVM_FROB_FIRST_REGISTER, KVM_FROB_FLAGS | KVM_FROB_MORE);",
		"\t\tkvm_frob_the_register(vcpu, KVM_FROB_FIRST_REGISTER, KVM_FROB_FLAGS | KVM_FROB_EXTRAS);",
		NULL,
	};
	static const char *const fine[] = {
		/* exactly 100 columns */
		"\t\tkvm_frob_the_register(vcpu, KVM_FROB_FIRST_REGISTER, KVM_FROB_FLAGS | KVM_FROB_ALL);",
		/* a string kept whole for grep */
		"\t\tpr_warn_ratelimited(\"kvm: frob of register %u failed with the flags %llx, see the docs\\n\", r, f);",
		/* a URL in a comment */
		"\t/* https://example.com/a/very/long/path/to/a/document/about/frobbing/registers/in/kvm.html */",
		/* a UTF-8 letter is one column: 100 columns */
		"\t\tkvm_frob_the_register(vcpu, KVM_FROB_FIRST_REGISTER, KVM_FROB_FLAGS); /* \xc3\xa9\xc3\xa9\xc3\xa9 frob */",
		NULL,
	};
	struct run r;

	(void)state;
	start(&r);
	numbered(&r, "arch/x86/kvm/x86.c", 7, bad);
	one_at(check(&r, kx_rule_tip_misc_style), "tip-misc-style", 7,
	       "line of 101 columns (and 1 more): keep lines within 100 columns");
	done(&r);

	expect(kx_rule_tip_misc_style, "arch/x86/kvm/x86.c", fine, 0);
	expect(kx_rule_tip_misc_style, "Documentation/virt/kvm/api.rst", bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_style__sdm_copy_quoted),
		cmocka_unit_test(test_rules_style__sdm_copy_introduced),
		cmocka_unit_test(test_rules_style__sdm_copy_left_alone),
		cmocka_unit_test(test_rules_style__sdm_copy_not_double_reported),
		cmocka_unit_test(test_rules_style__brackets_nested),
		cmocka_unit_test(test_rules_style__brackets_continued),
		cmocka_unit_test(test_rules_style__brackets_single_lines),
		cmocka_unit_test(test_rules_style__bare_unsigned),
		cmocka_unit_test(test_rules_style__long_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
