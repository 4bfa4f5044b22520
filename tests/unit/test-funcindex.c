// SPDX-License-Identifier: GPL-2.0-only
/* The function index's pure side: the scan, the set, its cache text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/funcindex.h"
#include "kvmx86/rules.h"

#define BASE "0123456789abcdef0123456789abcdef01234567"

/* The names kx_funcindex_scan() finds in text, joined by spaces. */
static char *scan(const char *text)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	struct kx_buf b = { NULL, 0, 0 };
	size_t i;

	kx_funcindex_scan(&l, text, strlen(text));
	for (i = 0; i < l.nr; i++)
		kx_buf_addf(&b, "%s%s", i ? " " : "", l.items[i]);
	kx_strlist_release(&l);
	return kx_buf_detach(&b);
}

static void expect_scan(const char *text, const char *names)
{
	char *got = scan(text);

	assert_string_equal(got, names);
	free(got);
}

static void test_funcindex__scan(void **state)
{
	(void)state;
	/* definitions and declarations with a type before the name */
	expect_scan("int kvm_set_cr0(struct kvm_vcpu *vcpu, unsigned long cr0)\n"
		    "{\n\treturn 0;\n}\n", "kvm_set_cr0");
	expect_scan("static int __init vmx_init(void)\n", "vmx_init");
	expect_scan("static inline struct kvm_vcpu *to_vcpu(struct kvm *kvm)\n",
		    "to_vcpu");
	expect_scan("void kvm_mmu_zap_collapsible_spte(struct kvm *kvm,\n"
		    "\t\t\t\t    const struct kvm_memory_slot *slot);\n",
		    "kvm_mmu_zap_collapsible_spte");
	/* macro invocations, keywords, variables and prose: none */
	expect_scan("module_param(enable_vpid, bool, 0444);\n"
		    "EXPORT_SYMBOL_GPL(kvm_set_cr0);\n"
		    "static DEFINE_MUTEX(vendor_module_lock);\n"
		    "DEFINE_STATIC_KEY_FALSE(kvm_has_noapic_vcpu);\n"
		    "static int (*kvm_op)(struct kvm_vcpu *vcpu);\n"
		    "struct kvm_x86_ops kvm_x86_ops __read_mostly = {\n"
		    "int main(int argc, char *argv[])\n"
		    "#define kvm_set_thing(x) do_it(x)\n"
		    "\tkvm_set_cr4(vcpu, cr4);\n"
		    "out_unlock:\n"
		    "TRACE_EVENT(kvm_entry,\n", "");
	/* block comments at column 0, over lines */
	expect_scan("/*\nint not_a_function(void)\n */\n"
		    "/* one line */\nint after_comment(void)\n",
		    "after_comment");
}

static void test_funcindex__wants(void **state)
{
	(void)state;
	assert_true(kx_funcindex_wants("arch/x86/kvm/x86.c"));
	assert_true(kx_funcindex_wants("arch/x86/kvm/vmx/nested.h"));
	assert_true(kx_funcindex_wants("virt/kvm/kvm_main.c"));
	assert_true(kx_funcindex_wants("tools/testing/selftests/kvm/lib/kvm_util.c"));
	assert_true(kx_funcindex_wants("arch/x86/include/asm/kvm_host.h"));
	assert_true(kx_funcindex_wants("arch/x86/include/asm/vmx.h"));
	assert_true(kx_funcindex_wants("include/linux/kvm_host.h"));
	assert_true(kx_funcindex_wants("include/kvm/iodev.h"));
	assert_false(kx_funcindex_wants("arch/x86/kvm/Makefile"));
	assert_false(kx_funcindex_wants("arch/x86/kernel/kvm.c"));
	assert_false(kx_funcindex_wants("arch/x86/include/asm/msr-index.h"));
	assert_false(kx_funcindex_wants("include/linux/kernel.h"));
	assert_false(kx_funcindex_wants("drivers/net/dummy.c"));
}

static void test_funcindex__set_and_cache(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	struct kx_funcindex idx = { 0 }, back = { 0 };
	char *text, *bad;

	(void)state;
	kx_strlist_add(&l, "kvm_set_cr0");
	kx_strlist_add(&l, "kvm_apic_set_irq");
	kx_strlist_add(&l, "kvm_set_cr0");
	kx_funcindex_set(&idx, &l, BASE);
	assert_int_equal(idx.nr, 2);
	assert_true(kx_funcindex_has(&idx, "kvm_set_cr0", 11));
	assert_true(kx_funcindex_has(&idx, "kvm_set_cr0()", 11));
	assert_false(kx_funcindex_has(&idx, "kvm_set_cr", 10));
	assert_false(kx_funcindex_has(&idx, "kvm_set_cr0x", 12));
	assert_false(kx_funcindex_has(NULL, "kvm_set_cr0", 11));

	text = kx_funcindex_format(&idx);
	assert_string_equal(text, "kvmx86-funcindex 1 " BASE "\n"
			    "kvm_apic_set_irq\nkvm_set_cr0\n");
	bad = kx_xstrdup(text);
	assert_true(kx_funcindex_parse(&back, text, BASE));
	assert_int_equal(back.nr, 2);
	assert_true(kx_funcindex_has(&back, "kvm_apic_set_irq", 16));
	/* another base, an unsorted or truncated file: not this index */
	assert_false(kx_funcindex_parse(&back, kx_xstrdup(bad),
					"fedcba9876543210fedcba9876543210fedcba98"));
	assert_int_equal(back.nr, 0);
	assert_false(kx_funcindex_parse(&back,
		kx_xstrdup("kvmx86-funcindex 1 " BASE "\nzz_b\naa_a\n"), BASE));
	assert_false(kx_funcindex_parse(&back,
		kx_xstrdup("kvmx86-funcindex 1 " BASE "\naa_a\nzz_b"), BASE));
	assert_false(kx_funcindex_parse(&back, kx_xstrdup(""), BASE));
	free(bad);
	/* a tree with no KVM code: an empty index, and a valid cache */
	kx_strlist_release(&l);
	kx_funcindex_set(&back, &l, BASE);
	assert_int_equal(back.nr, 0);
	assert_false(kx_funcindex_has(&back, "kvm_set_cr0", 11));
	text = kx_funcindex_format(&back);
	assert_true(kx_funcindex_parse(&back, text, BASE));
	assert_int_equal(back.nr, 0);
	kx_funcindex_release(&back);
	kx_funcindex_release(&idx);
	kx_strlist_release(&l);
}

/* A fake index for function-parens. */
static bool knows(void *data, const char *name, size_t n)
{
	return kx_funcindex_has(data, name, n);
}

/* function-parens asks the index for names the diff does not touch. */
static void test_funcindex__function_parens(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;
	struct kx_funcindex idx = { 0 };
	struct kx_rule_env env = { 0 };
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;

	(void)state;
	kx_strlist_add(&l, "kvm_set_cr0");
	kx_strlist_add(&l, "kvm_mmu_zap_collapsible_spte");
	kx_funcindex_set(&idx, &l, BASE);
	env.is_function = knows;
	env.function_data = &idx;
	kx_patch_init(&p);
	kx_patch_set_message(&p, "KVM: x86: Use kvm_read_cr0() directly in kvm_set_cr0\n\n"
			     "Zap SPTEs as kvm_mmu_zap_collapsible_spte does, and keep "
			     "kvm_x86_ops and vcpu_id as they are.\n");
	kx_strlist_add(&kx_patch_add_file(&p, "arch/x86/kvm/x86.c")->added,
		       "\tcr0 = kvm_read_cr0(vcpu);");
	kx_rule_function_parens(&f, &p, &env);
	assert_int_equal(f.nr, 2);
	assert_non_null(strstr(f.items[0].message,
			       "function 'kvm_set_cr0' named without parentheses in the shortlog"));
	assert_non_null(strstr(f.items[1].message,
			       "'kvm_mmu_zap_collapsible_spte' named without parentheses in the changelog"));
	kx_findings_release(&f);
	/* without the index, only the diff's names count */
	kx_rule_function_parens(&f, &p, NULL);
	assert_int_equal(f.nr, 0);
	kx_findings_release(&f);
	kx_patch_release(&p);
	kx_funcindex_release(&idx);
	kx_strlist_release(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_funcindex__scan),
		cmocka_unit_test(test_funcindex__wants),
		cmocka_unit_test(test_funcindex__set_and_cache),
		cmocka_unit_test(test_funcindex__function_parens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
