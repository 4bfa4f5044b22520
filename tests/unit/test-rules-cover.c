// SPDX-License-Identifier: GPL-2.0-only
/* The cover letter's rules over literal cover letters: no repository. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/rules.h"
#include "kvmx86/safe.h"

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

/* A quote cut to length is cut between characters, not inside one. */
static void test_rules_cover__quote_cut_utf8(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	char body[200];

	(void)state;
	/* "References: " and 84 letters: 96 bytes, then a 2-byte e-acute
	 * that a cut at 97 bytes would split */
	snprintf(body, sizeof(body), "References: %s\xc3\xa9tc and more\n",
		 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	kx_rule_cover_letter(&f, "KVM: x86: Things", body, false, NULL);
	assert_int_equal(f.nr, 1);
	assert_true(kx_utf8_valid(f.items[0].message, strlen(f.items[0].message)));
	assert_non_null(strstr(f.items[0].message, "aaa...'"));
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

/* --- cover-letter-lore-links --- */

/*
 * The lore-links findings of a required cover (body) for revision, v1
 * and v2 sent with the message-ids msgids (NULL: none recorded).
 */
static size_t links(struct kx_findings *f, const char *body, unsigned revision,
		    const char *v1, const char *v2)
{
	static const unsigned revisions[] = { 1, 2 };
	const char *msgids[2];
	struct kx_rule_env env = { 0 };

	msgids[0] = v1;
	msgids[1] = v2;
	env.revision = revision;
	env.sent_revisions = revisions;
	env.sent_link_msgids = msgids;
	env.sent_revisions_nr = revision > 2 ? 2 : revision - 1;
	kx_findings_release(f);
	kx_rule_cover_letter(f, "KVM: x86: Fix two bugs", body, true, &env);
	return kx_findings_of(f, "cover-letter-lore-links");
}

#define MSGID1 "20230301120000.1-1-casey@example.com"
#define MSGID2 "20230401120000.1-1-casey@example.com"

static void test_rules_cover__lore_links(void **state)
{
	struct kx_findings f = KX_FINDINGS_INIT;
	struct kx_rule_env env = { 0 };

	(void)state;
	/* v1: nothing to link */
	assert_int_equal(links(&f, "Fix two bugs.\n", 1, NULL, NULL), 0);
	/* v2, v1's message-id recorded: prep --cover writes the link */
	assert_int_equal(links(&f, "Fix two bugs.\n", 2, MSGID1, NULL), 0);
	/* v2, the link in the text: a section header, or a line with a URL */
	assert_int_equal(links(&f, "Fix two bugs.\n\nv1: https://lore.kernel.org/all/"
			       MSGID1 "/\n", 2, NULL, NULL), 0);
	assert_int_equal(links(&f, "Fix two bugs.\n\nChanges since v1 "
			       "(https://lore.kernel.org/r/" MSGID1 "):\n"
			       " - fix the typo\n", 2, NULL, NULL), 0);
	/* v2 on a branch enrolled with v1 sent elsewhere: advice */
	assert_int_equal(links(&f, "Fix two bugs.\n\nv2:\n - fix the typo\n",
			       2, NULL, NULL), 1);
	assert_int_equal(f.items[0].severity, KX_SEV_ADVICE);
	assert_string_equal(f.items[0].message,
			    "cover letter does not link v1, and no message-id of it is "
			    "recorded: add 'v1: https://lore.kernel.org/all/<message-id>/' "
			    "to it (kvmx86 prep --edit-cover); else prep --cover and send "
			    "search lore, and leave EDITME where they find nothing");
	/* a URL on a line about another version is not v1's link */
	assert_int_equal(links(&f, "Fix two bugs.\n\nv11 was https://example.com/\n",
			       2, NULL, NULL), 1);
	/* v3: v2 recorded, v1 not */
	assert_int_equal(links(&f, "Fix two bugs.\n", 3, NULL, MSGID2), 1);
	assert_non_null(strstr(f.items[0].message, "does not link v1, and"));
	assert_int_equal(links(&f, "Fix two bugs.\n", 3, NULL, NULL), 1);
	assert_non_null(strstr(f.items[0].message,
			       "does not link v1 and v2, and no message-id of them is "
			       "recorded: add 'v2: https://"));
	/* not required (no cover letter: a single patch, or send's own) */
	kx_findings_release(&f);
	env.revision = 2;
	kx_rule_cover_letter(&f, "KVM: x86: Fix two bugs", "Fix two bugs.\n", false, &env);
	assert_int_equal(f.nr, 0);
	/* no state */
	kx_rule_cover_letter(&f, "KVM: x86: Fix two bugs", "Fix two bugs.\n", true, NULL);
	assert_int_equal(f.nr, 0);
	kx_findings_release(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_cover__quote_cut_utf8),
		cmocka_unit_test(test_rules_cover__in_reply_to),
		cmocka_unit_test(test_rules_cover__template_text),
		cmocka_unit_test(test_rules_cover__not_written),
		cmocka_unit_test(test_rules_cover__sdm_numbers),
		cmocka_unit_test(test_rules_cover__clean),
		cmocka_unit_test(test_rules_cover__lore_links),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
