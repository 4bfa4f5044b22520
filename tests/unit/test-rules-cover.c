// SPDX-License-Identifier: GPL-2.0-only
/* The cover letter's rules over literal cover letters: no repository. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"

/*
 * Runs the cover-letter rules; expects exactly one finding of rule id and
 * severity sev whose message contains text, or none when id is NULL.
 */
static void expect(const char *subject, const char *body, const char *id,
		   enum kx_severity sev, const char *text)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	size_t i;

	kx_rule_cover_letter(&f, subject, body, false, NULL);
	if (f.nr != (id ? 1u : 0u)) {
		for (i = 0; i < f.nr; i++)
			print_message("  %s: %s\n", f.items[i].rule,
				      f.items[i].message);
		fail_msg("%zu findings, expected %d", f.nr, id ? 1 : 0);
	}
	if (id) {
		assert_string_equal(f.items[0].rule, id);
		assert_int_equal(f.items[0].severity, sev);
		assert_string_equal(f.items[0].commit, "");
		if (!strstr(f.items[0].message, text))
			fail_msg("'%s' lacks '%s'", f.items[0].message, text);
	}
	kx_findings_release(&f);
}

/* The fixture's bad-style series: its cover asks to thread under v1. */
static void test_rules_cover__in_reply_to(void **state)
{
	(void)state;
	expect("KVM: x86: misc fixes",
	       "In-Reply-To: <20230301120000.1234-1-casey.contributor@example.com>\n\n"
	       "v2: resend as a reply to v1 (In-Reply-To) with fixes from review.\n",
	       "link-not-in-reply-to", KX_SEV_ERROR,
	       "cover letter asks for 'In-Reply-To: <20230301120000.1234-1-casey.contributor@example.com>'");
	expect("KVM: x86: misc fixes",
	       "References: <20230301120000.1234-1-casey.contributor@example.com>\n",
	       "link-not-in-reply-to", KX_SEV_ERROR, "'References:");
	/* said in words only */
	expect("KVM: x86: misc fixes",
	       "Fix two bugs.\n\nv2: sent as a reply to v1 to keep the thread.\n",
	       "link-not-in-reply-to", KX_SEV_WARNING,
	       "speaks of sending it as a reply ('v2: sent as a reply to v1");
	expect("KVM: x86: misc fixes",
	       "Fix two bugs.\n\nPlease keep the In-Reply-To of the thread.\n",
	       "link-not-in-reply-to", KX_SEV_WARNING, "as a reply");
	/* a lore link to v1 is the handbook's way */
	expect("KVM: x86: misc fixes",
	       "Fix two bugs.\n\n"
	       "v1: https://lore.kernel.org/r/20230301120000.1234-1-casey@example.com\n",
	       NULL, KX_SEV_OFF, NULL);
}

static void test_rules_cover__template_text(void **state)
{
	(void)state;
	expect("EDITME: cover title for x86/vmx/foo", "Fix it.\n",
	       "cover-template-text", KX_SEV_ERROR,
	       "template text 'EDITME' (subject)");
	expect("*** SUBJECT HERE ***", "*** BLURB HERE ***\n",
	       "cover-template-text", KX_SEV_ERROR, "'*** SUBJECT HERE ***'");
	expect("KVM: x86: Fix two bugs",
	       "Fix two bugs.\n\n"
	       "# Describe the purpose of this series. The information you put here\n"
	       "# will be used by the project maintainers.\n",
	       "cover-template-text", KX_SEV_ERROR,
	       "'# Describe the purpose of this series' (line 3)");
	/* a word that only contains it is no placeholder */
	expect("KVM: x86: Fix two bugs", "Fix the EDITMEs of the docs.\n", NULL,
	       KX_SEV_OFF, NULL);
}

/* An enrolled series of several patches whose cover was never written. */
static void test_rules_cover__not_written(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;

	(void)state;
	kx_rule_cover_letter(&f, NULL, NULL, true, NULL);
	assert_int_equal(f.nr, 1);
	assert_string_equal(f.items[0].rule, "cover-template-text");
	assert_int_equal(f.items[0].severity, KX_SEV_ERROR);
	assert_non_null(strstr(f.items[0].message, "no subject"));
	kx_findings_release(&f);
	kx_rule_cover_letter(&f, "KVM: x86: Things", "", true, NULL);
	assert_int_equal(f.nr, 1);
	assert_non_null(strstr(f.items[0].message, "no text"));
	kx_findings_release(&f);
	/* not required (a single patch, a range): nothing */
	kx_rule_cover_letter(&f, NULL, NULL, false, NULL);
	assert_int_equal(f.nr, 0);
	kx_rule_cover_letter(&f, "KVM: x86: Things", "Why.", true, NULL);
	assert_int_equal(f.nr, 0);
	kx_findings_release(&f);
}

static void test_rules_cover__sdm_numbers(void **state)
{
	(void)state;
	expect("KVM: nVMX: Fix VM-Entry checks",
	       "Follow SDM 26.3.1.1 for the order of the checks.\n",
	       "no-sdm-section-numbers", KX_SEV_WARNING,
	       "section number 'SDM 26.3.1.1' in the cover letter");
	expect("KVM: nVMX: Follow SDM 26.3.1.1", "Fix the order.\n",
	       "no-sdm-section-numbers", KX_SEV_WARNING,
	       "in the cover letter's subject");
}

/* A cover letter speaks for its author: "we" and "this series" are fine. */
static void test_rules_cover__clean(void **state)
{
	(void)state;
	expect("KVM: x86: Fix two bugs",
	       "We found two bugs in the emulator; this series fixes them.\n\n"
	       "Tested with the KVM selftests on Intel and AMD.\n", NULL,
	       KX_SEV_OFF, NULL);
	expect(NULL, NULL, NULL, KX_SEV_OFF, NULL);
	expect("", "", NULL, KX_SEV_OFF, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_cover__in_reply_to),
		cmocka_unit_test(test_rules_cover__template_text),
		cmocka_unit_test(test_rules_cover__not_written),
		cmocka_unit_test(test_rules_cover__sdm_numbers),
		cmocka_unit_test(test_rules_cover__clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
