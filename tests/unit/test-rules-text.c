// SPDX-License-Identifier: GPL-2.0-only
/*
 * The changelog body that the changelog rules and the prose rules share
 * (lib/core/rules/text.c): both families read the same lines as prose.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"

#define SOB "Signed-off-by: Casey Contributor <casey@example.com>\n"
#define CR0_ID "0123456789abcdef0123456789abcdef01234567"

static int lookup(void *data, const char *hex, char **subject)
{
	(void)data;
	if (strncmp(CR0_ID, hex, strlen(hex)))
		return 0;
	*subject = strdup("KVM: x86: Cache CR0 in the vCPU");
	return 1;
}

/* The findings of rule id on msg. */
static size_t count(kx_patch_rule_fn rule, const char *id, const char *msg)
{
	static const struct kx_rule_env env = { .lookup_commit = lookup };
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_patch p;
	size_t n;

	kx_patch_init(&p);
	kx_patch_set_message(&p, msg);
	kx_strlist_add(&kx_patch_add_file(&p, "arch/x86/kvm/x86.c")->added,
		       "\tvcpu->arch.cr0 = cr0;");
	rule(&f, &p, &env);
	n = kx_findings_of(&f, id);
	kx_findings_release(&f);
	kx_patch_release(&p);
	return n;
}

/*
 * One space continues a flush-left line of prose (a quoted subject
 * wrapped by a mailer); a paragraph indented by one space, such as a
 * register dump, is no prose for either family.
 */
static void test_rules_text__one_space(void **state)
{
	static const char msg[] =
		"KVM: x86: Keep the CR0 cache\n\n"
		"Keep the cache: commit 0123456789ab (\"KVM: x86: Cache CR0 in the\n"
		" vCPU\") made it, and we lose it on reset.\n\n"
		"The guest then dies with:\n\n"
		" RAX=0000000000000000 RBX=0000000000000000 RCX=0000000000000000 RDX=00\n"
		" we see this at every boot\n\n" SOB;

	(void)state;
	/* the continuation is prose: the reference is whole, 'we' is read */
	assert_int_equal(count(kx_rule_commit_ref_format, "commit-ref-format",
			       msg), 0);
	assert_int_equal(count(kx_rule_changelog_no_pronouns,
			       "changelog-no-pronouns", msg), 1);
	/* the dump is not: no 75 columns, no second pronoun finding */
	assert_int_equal(count(kx_rule_changelog_wrap, "changelog-wrap-75",
			       msg), 0);
}

/* Trailers, quotes, logs and git am's in-body From: are no prose. */
static void test_rules_text__not_prose(void **state)
{
	static const char msg[] =
		"KVM: x86: Fix it\n\n"
		"From: We Developers <we@example.com>\n\n"
		"Fix the bug.\n\n"
		"> we reported this before\n"
		"[   12.345678] we crashed in kvm_set_cr0\n"
		"Call Trace:\n"
		"kvm_set_cr0+0x1d/0x40 we\n\n"
		"Reported-by: We Testers <we@example.com>\n" SOB;

	(void)state;
	assert_int_equal(count(kx_rule_changelog_no_pronouns,
			       "changelog-no-pronouns", msg), 0);
	assert_int_equal(count(kx_rule_changelog_nonempty,
			       "changelog-nonempty", msg), 0);
	assert_int_equal(count(kx_rule_function_parens, "function-parens",
			       msg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_text__one_space),
		cmocka_unit_test(test_rules_text__not_prose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
