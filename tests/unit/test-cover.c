// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/cover.h"

static void test_cover__subject_line(void **state)
{
	struct kx_strlist pre = KX_STRLIST_INIT;
	char *s;

	(void)state;
	s = kx_cover_subject_line(NULL, 1, 0, 3, "KVM: x86: Foo");
	assert_string_equal(s, "[PATCH 0/3] KVM: x86: Foo");
	free(s);
	s = kx_cover_subject_line(NULL, 2, 0, 12, "KVM: x86: Foo");
	assert_string_equal(s, "[PATCH v2 00/12] KVM: x86: Foo");
	free(s);
	s = kx_cover_subject_line(NULL, 3, 1, 1, "KVM: x86: One");
	assert_string_equal(s, "[PATCH v3] KVM: x86: One");
	free(s);
	kx_strlist_add(&pre, "RFC");
	kx_strlist_add(&pre, "RESEND");
	s = kx_cover_subject_line(&pre, 1, 0, 2, "KVM: x86: Foo");
	assert_string_equal(s, "[PATCH RFC RESEND 0/2] KVM: x86: Foo");
	free(s);
	kx_strlist_release(&pre);
}

static void test_cover__text_parse(void **state)
{
	struct kx_cover_text t;
	const struct kx_version_notes *v;

	(void)state;
	kx_cover_text_parse(&t, "Fix the thing.\n\nMore words.\n\nv3:\n - Rebase\n"
			    " - Fix typo [Sean]\n\nv2: https://lore.kernel.org/all/a@b/\n"
			    " - Drop patch 2\n");
	assert_string_equal(t.blurb, "Fix the thing.\n\nMore words.");
	assert_int_equal(t.notes_nr, 2);
	v = kx_cover_text_notes(&t, 3);
	assert_non_null(v);
	assert_null(v->link);
	assert_string_equal(v->text, " - Rebase\n - Fix typo [Sean]");
	v = kx_cover_text_notes(&t, 2);
	assert_string_equal(v->link, "https://lore.kernel.org/all/a@b/");
	assert_string_equal(v->text, " - Drop patch 2");
	assert_null(kx_cover_text_notes(&t, 1));
	kx_cover_text_release(&t);

	/*
	 * prose that mentions a version is blurb; so are headers out of
	 * order: only the newest-first run at the end is notes
	 */
	kx_cover_text_parse(&t, "Intro.\n\nv2: this is prose, not a header\n\nv1:\n- a\n\nv2:\n- b\n");
	assert_int_equal(t.notes_nr, 1);
	assert_int_equal(t.notes[0].revision, 2);
	assert_string_equal(t.blurb, "Intro.\n\nv2: this is prose, not a header\n\nv1:\n- a");
	kx_cover_text_release(&t);

	/* a header glued to a paragraph is not a section */
	kx_cover_text_parse(&t, "Intro line\nv2:\n- b\n");
	assert_int_equal(t.notes_nr, 0);
	kx_cover_text_release(&t);

	/* a text that is only notes */
	kx_cover_text_parse(&t, "v2:\n- b\n");
	assert_string_equal(t.blurb, "");
	assert_int_equal(t.notes_nr, 1);
	kx_cover_text_release(&t);
}

static void test_cover__changelog(void **state)
{
	struct kx_cover_text t;
	struct kx_version_link links[] = {
		{ 2, "https://lore.kernel.org/all/v2@x/", NULL },
		{ 1, NULL, "v1 was not found on lore" },
	};
	char *s;

	(void)state;
	kx_cover_text_parse(&t, "Blurb.\n\nv3:\n - Rebase\n\nv2: https://old/\n - Drop 2\n");
	s = kx_cover_changelog(&t, 3, links, 2);
	assert_string_equal(s,
		"v3:\n - Rebase\n\n"
		"v2: https://lore.kernel.org/all/v2@x/\n - Drop 2\n\n"
		"v1: EDITME: v1 was not found on lore");
	free(s);
	/* the link written in the text serves when none is known */
	links[0].url = NULL;
	s = kx_cover_changelog(&t, 3, links, 2);
	assert_non_null(strstr(s, "v2: https://old/\n"));
	free(s);
	/* the version being prepared without notes asks for them */
	s = kx_cover_changelog(&t, 4, NULL, 0);
	assert_true(!strncmp(s, "v4:\n - EDITME: ", 15));
	free(s);
	/* nothing for a first version */
	s = kx_cover_changelog(&t, 1, NULL, 0);
	assert_string_equal(s, "");
	free(s);
	kx_cover_text_release(&t);
}

static void test_cover__render(void **state)
{
	struct kx_cover_blocks b = { 0 };
	char *s, *bad;

	(void)state;
	b.cover = "Blurb.";
	b.shortlog = "A U (2):\n  KVM: x86: One\n  KVM: x86: Two\n\n";
	b.diffstat = " f | 2 ++\n 1 file changed, 2 insertions(+)\n";
	b.base_commit = "44b223edcb2a2ee5d6b57309ee1777b66f24cb61";
	b.change_id = "20261201-foo-0123456789ab";
	b.signature = "kvmx86 0.1.0";
	s = kx_cover_render(kx_cover_default_template, &b, &bad);
	assert_non_null(s);
	assert_string_equal(s,
		"Blurb.\n\n---\nA U (2):\n  KVM: x86: One\n  KVM: x86: Two\n\n"
		" f | 2 ++\n 1 file changed, 2 insertions(+)\n\n"
		"base-commit: 44b223edcb2a2ee5d6b57309ee1777b66f24cb61\n"
		"change-id: 20261201-foo-0123456789ab\n-- \nkvmx86 0.1.0\n");
	free(s);

	b.changelog = "v2:\n - x";
	b.testing = "Testing: built.";
	b.prerequisites = "prerequisite-patch-id: aaaa\n";
	s = kx_cover_render(kx_cover_default_template, &b, &bad);
	assert_non_null(strstr(s, "Blurb.\n\nv2:\n - x\n\nTesting: built.\n\n---\n"));
	assert_non_null(strstr(s, "base-commit: 44b2"));
	assert_non_null(strstr(s, "61\nprerequisite-patch-id: aaaa\nchange-id: "));
	free(s);

	/* an unknown placeholder is named */
	s = kx_cover_render("${cover}\n${nope}\n", &b, &bad);
	assert_null(s);
	assert_string_equal(bad, "${nope}");
	free(bad);

	/* a lone '$' and '${' stay as they are */
	s = kx_cover_render("cost: $5 ${\n${cover}\n", &b, &bad);
	assert_string_equal(s, "cost: $5 ${\nBlurb.\n");
	free(s);
}

/* The expected text is what git 2.39's shortlog -w72,2,4 printed. */
static void test_cover__shortlog(void **state)
{
	struct kx_shortlog_entry e[] = {
		{ "B Author", "KVM: x86: Short\n" },
		{ "B Author", "KVM: nVMX: A subject that is quite long so that it needs to wrap when indented in the shortlog\n" },
		{ "B Author", "KVM: x86: Averyveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordthatcannotbreakatall and more\n" },
		{ "B Author", "[PATCH v2 3/4] KVM: x86: Prefixed subject\n" },
		{ "B Author", "KVM: x86: Exactly seventy columns long subject line for the test ab\n" },
		{ "B Author", "KVM: x86: Two  spaces  inside and  a long tail so that the wrapping of it happens here ok\n" },
		{ "B Author", "KVM: x86: A subject that runs\nover two lines in the message\n\nBody.\n" },
		{ "A Author", "KVM: A by A\n" },
	};
	char *s;

	(void)state;
	s = kx_shortlog_format(e, ARRAY_SIZE(e));
	assert_non_null(s);
	assert_string_equal(s,
		"A Author (1):\n"
		"  KVM: A by A\n"
		"\n"
		"B Author (7):\n"
		"  KVM: x86: Short\n"
		"  KVM: nVMX: A subject that is quite long so that it needs to wrap when\n"
		"    indented in the shortlog\n"
		"  KVM: x86:\n"
		"    Averyveryveryveryveryveryveryveryveryveryveryveryveryveryverylongwordthatcannotbreakatall\n"
		"    and more\n"
		"  KVM: x86: Prefixed subject\n"
		"  KVM: x86: Exactly seventy columns long subject line for the test ab\n"
		"  KVM: x86: Two  spaces  inside and  a long tail so that the wrapping of\n"
		"    it happens here ok\n"
		"  KVM: x86: A subject that runs over two lines in the message\n"
		"\n");
	free(s);

	/* what only git can measure is left to git */
	s = kx_shortlog_subject("KVM: x86: Fix \xc3\xa9t\xc3\xa9\n");
	assert_null(s);
	s = kx_shortlog_subject("KVM: x86: A\ttab\n");
	assert_null(s);
	e[0].message = "KVM: x86: \xe4\xb8\xad\n";
	assert_null(kx_shortlog_format(e, 2));
	/* a UTF-8 name is fine: it is not wrapped */
	e[0].author = "\xc3\x81nne";
	e[0].message = "KVM: x86: Short\n";
	s = kx_shortlog_format(e, 1);
	assert_string_equal(s, "\xc3\x81nne (1):\n  KVM: x86: Short\n\n");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cover__subject_line),
		cmocka_unit_test(test_cover__text_parse),
		cmocka_unit_test(test_cover__changelog),
		cmocka_unit_test(test_cover__render),
		cmocka_unit_test(test_cover__shortlog),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
