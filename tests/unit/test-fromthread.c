// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep -F's reading of a thread: which version it takes, what it lacks,
 * and the cover letter, base-commit and change-id it carries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/fromthread.h"

static void mail(struct kx_lore_messages *t, const char *msgid,
		 const char *subject, const char *body)
{
	struct kx_lore_message *m;

	kx_grow((void **)&t->items, &t->alloc, t->nr, sizeof(*t->items));
	m = &t->items[t->nr++];
	memset(m, 0, sizeof(*m));
	m->msgid = kx_xstrdup(msgid);
	m->from_name = kx_xstrdup("");
	m->from_email = kx_xstrdup("tess@example.com");
	m->subject = kx_xstrdup(subject);
	m->body = kx_xstrdup(body);
}

static const char kvmx86_cover[] =
	"Frob the widgets.\n"
	"\n"
	"v1: https://lore.kernel.org/all/v1.0@x/\n"
	"\n"
	"---\n"
	"Tess Ting (2):\n"
	"  KVM: x86: Frob one\n"
	"  KVM: x86: Frob two\n"
	"\n"
	" arch/x86/kvm/x86.c | 2 ++\n"
	" 1 file changed, 2 insertions(+)\n"
	"\n"
	"base-commit: 0123456789abcdef0123456789abcdef01234567\n"
	"change-id: 20230101-frob-0123456789ab\n"
	"-- \n"
	"kvmx86 0.1.0\n";

static void test_fromthread__newest_whole_version(void **state)
{
	struct kx_lore_messages t = KX_LORE_MESSAGES_INIT;
	struct kx_thread_series s = KX_THREAD_SERIES_INIT;

	(void)state;
	mail(&t, "v1.0@x", "[PATCH 0/2] KVM: x86: Frob", kvmx86_cover);
	mail(&t, "v1.1@x", "[PATCH 1/2] KVM: x86: Frob one", "One.\n");
	mail(&t, "v1.2@x", "[PATCH 2/2] KVM: x86: Frob two", "Two.\n");
	/* v2's patch 2 never came: v1 is the newest whole version */
	mail(&t, "v2.1@x", "[PATCH v2 1/2] KVM: x86: Frob one", "One.\n");
	/* a reviewer's own patch in the thread is not the series' v3 */
	mail(&t, "rev@x", "[PATCH v3 1/1] KVM: x86: Frob it my way", "Mine.\n");
	t.items[t.nr - 1].from_email[0] = 'r';
	/* replies and a subject claiming a huge series are no postings */
	mail(&t, "r@x", "Re: [PATCH v3 1/1] KVM: x86: Frob one", "Hm.\n");
	mail(&t, "huge@x", "[PATCH v4 1/1000] KVM: x86: Frob", "Huge.\n");
	assert_int_equal(kx_thread_series_pick(&s, &t, NULL), 0);
	assert_int_equal(s.revision, 1);
	assert_int_equal(s.total, 2);
	assert_non_null(s.cover);
	assert_string_equal(s.cover->msgid, "v1.0@x");
	assert_string_equal(s.patches[0]->msgid, "v1.1@x");
	assert_string_equal(s.patches[1]->msgid, "v1.2@x");
	assert_string_equal(s.subject, "KVM: x86: Frob");
	/* the text above the "---": git's parts and the signature left out */
	assert_string_equal(s.body, "Frob the widgets.\n\nv1: https://lore.kernel.org/all/v1.0@x/\n");
	assert_string_equal(s.base_commit, "0123456789abcdef0123456789abcdef01234567");
	assert_string_equal(s.change_id, "20230101-frob-0123456789ab");
	assert_false(s.is_rfc);
	{
		char *name = kx_thread_series_name(&s);

		assert_string_equal(name, "frob");
		free(name);
	}
	kx_thread_series_release(&s);
	kx_lore_messages_release(&t);
}

static void test_fromthread__missing(void **state)
{
	struct kx_lore_messages t = KX_LORE_MESSAGES_INIT;
	struct kx_thread_series s = KX_THREAD_SERIES_INIT;

	(void)state;
	mail(&t, "a@x", "[RFC PATCH v3 1/4] KVM: x86: A", "A.\n");
	mail(&t, "c@x", "[RFC PATCH v3 3/4] KVM: x86: C", "C.\n");
	assert_int_equal(kx_thread_series_pick(&s, &t, NULL), KX_EINVALID);
	assert_string_equal(kx_error_last(),
			    "no version in the thread is whole: v3 lacks 2/4 and 4/4");
	kx_error_clear();
	kx_lore_messages_release(&t);

	mail(&t, "r@x", "Re: [PATCH] KVM: x86: A", "A reply.\n");
	assert_int_equal(kx_thread_series_pick(&s, &t, NULL), KX_ENOTFOUND);
	kx_error_clear();
	kx_lore_messages_release(&t);
}

static void test_fromthread__git_and_b4_covers(void **state)
{
	struct kx_lore_messages t = KX_LORE_MESSAGES_INIT;
	struct kx_thread_series s = KX_THREAD_SERIES_INIT;

	(void)state;
	/* git format-patch --cover-letter: the shortlog follows the text */
	mail(&t, "g0@x", "[RFC PATCH 0/1] KVM: VMX: Git's",
	     "\nWhy.\n\nTess Ting (1):\n  KVM: VMX: Fix\n\n x | 1 +\n");
	mail(&t, "g1@x", "[RFC PATCH 1/1] KVM: VMX: Fix",
	     "Fix.\n---\n x | 1 +\n\nbase-commit: 89abcdef0123456789abcdef0123456789abcdef\n");
	assert_int_equal(kx_thread_series_pick(&s, &t, NULL), 0);
	assert_string_equal(s.body, "Why.\n");
	assert_true(s.is_rfc);
	/* a patch's base-commit when the cover has none */
	assert_string_equal(s.base_commit, "89abcdef0123456789abcdef0123456789abcdef");
	assert_null(s.change_id);
	kx_thread_series_release(&s);
	kx_lore_messages_release(&t);

	/* b4: "---" then the shortlog; an upper-case or short id is none */
	mail(&t, "b0@x", "[PATCH v2 0/1] KVM: SVM: b4's",
	     "Text.\n\n---\nTess Ting (1):\n  KVM: SVM: Fix\n\nbase-commit: ABC\n"
	     "change-id: 20230102-b4s-0123456789ab\n\nBest regards,\n");
	mail(&t, "b1@x", "[PATCH v2 1/1] KVM: SVM: Fix", "Fix.\n");
	assert_int_equal(kx_thread_series_pick(&s, &t, NULL), 0);
	assert_int_equal(s.revision, 2);
	assert_string_equal(s.body, "Text.\n");
	assert_null(s.base_commit);
	assert_string_equal(s.change_id, "20230102-b4s-0123456789ab");
	kx_thread_series_release(&s);
	kx_lore_messages_release(&t);
}

static void test_fromthread__unsafe_subject(void **state)
{
	struct kx_lore_messages t = KX_LORE_MESSAGES_INIT;
	struct kx_thread_series s = KX_THREAD_SERIES_INIT;

	(void)state;
	/* an encoded word can carry a control character: no Subject for it */
	mail(&t, "u0@x", "[PATCH 0/1] KVM: x86: Ring\a the bell", "Text.\n");
	mail(&t, "u1@x", "[PATCH 1/1] KVM: x86: Ring", "Ring.\n");
	assert_int_equal(kx_thread_series_pick(&s, &t, NULL), 0);
	assert_null(s.subject);
	assert_string_equal(s.body, "Text.\n");
	kx_thread_series_release(&s);
	kx_lore_messages_release(&t);
}

static void test_fromthread__single_patch(void **state)
{
	struct kx_lore_messages t = KX_LORE_MESSAGES_INIT;
	struct kx_thread_series s = KX_THREAD_SERIES_INIT;

	(void)state;
	mail(&t, "s@x", "[PATCH v3] KVM: x86/mmu: Fix",
	     "Fix it.\n\nSigned-off-by: T <t@x>\n---\n\nv2: tidied.\n\n x | 1 +\n"
	     " 1 file changed, 1 insertion(+)\n\ndiff --git a/x b/x\n");
	assert_int_equal(kx_thread_series_pick(&s, &t, NULL), 0);
	assert_int_equal(s.revision, 3);
	assert_int_equal(s.total, 1);
	assert_null(s.cover);
	assert_null(s.subject);
	assert_string_equal(s.body, "v2: tidied.\n");
	{
		/* no change-id: the shortlog's first words */
		char *name = kx_thread_series_name(&s);

		assert_string_equal(name, "fix");
		free(name);
	}
	kx_thread_series_release(&s);
	kx_lore_messages_release(&t);
}

static void test_fromthread__topic(void **state)
{
	(void)state;
	assert_string_equal(kx_thread_topic_of("KVM: nVMX: Fix"), "vmx");
	assert_string_equal(kx_thread_topic_of("KVM: SEV: Fix"), "svm");
	assert_string_equal(kx_thread_topic_of("KVM: x86/mmu: Fix"), "mmu");
	assert_string_equal(kx_thread_topic_of("KVM: selftests: Add"), "selftests");
	assert_null(kx_thread_topic_of("KVM: x86: Fix"));
	assert_null(kx_thread_topic_of("x86/mmu: Fix"));
	assert_null(kx_thread_topic_of(NULL));
}

static void test_fromthread__name(void **state)
{
	struct kx_lore_message m = { .subject = "[PATCH v2 1/1] KVM: x86: Fix the frob, now" };
	const struct kx_lore_message *patches[] = { &m };
	struct kx_thread_series s = KX_THREAD_SERIES_INIT;
	char *name;

	(void)state;
	s.patches = patches;
	s.total = 1;
	name = kx_thread_series_name(&s);
	assert_string_equal(name, "fix-the-frob");
	free(name);
	/* an id of another shape names nothing */
	s.change_id = "my-own-id";
	name = kx_thread_series_name(&s);
	assert_string_equal(name, "fix-the-frob");
	free(name);
	s.change_id = "20230101-x86-frob-more-0123456789ab";
	name = kx_thread_series_name(&s);
	assert_string_equal(name, "x86-frob-more");
	free(name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fromthread__newest_whole_version),
		cmocka_unit_test(test_fromthread__missing),
		cmocka_unit_test(test_fromthread__git_and_b4_covers),
		cmocka_unit_test(test_fromthread__unsafe_subject),
		cmocka_unit_test(test_fromthread__single_patch),
		cmocka_unit_test(test_fromthread__topic),
		cmocka_unit_test(test_fromthread__name),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
