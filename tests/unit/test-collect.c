// SPDX-License-Identifier: GPL-2.0-only
/*
 * prep --trailers' reading of a thread: which mails are the version's,
 * which replies count for which patch, and which lines are trailers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/collect.h"
#include "kvmx86/error.h"

struct thread {
	struct kx_lore_messages t;
};

static void mail(struct thread *th, const char *msgid, const char *from,
		 const char *subject, const char *parent, const char *body)
{
	struct kx_lore_message *m;

	kx_grow((void **)&th->t.items, &th->t.alloc, th->t.nr, sizeof(*th->t.items));
	m = &th->t.items[th->t.nr++];
	memset(m, 0, sizeof(*m));
	m->msgid = kx_xstrdup(msgid);
	m->from_name = kx_xstrdup("");
	m->from_email = kx_xstrdup(from);
	m->subject = kx_xstrdup(subject);
	m->in_reply_to = parent ? kx_xstrdup(parent) : NULL;
	m->body = kx_xstrdup(body);
}

static void series(struct thread *th, unsigned rev)
{
	const char *v = rev == 2 ? " v2" : "";
	char s[80], id[40];
	unsigned i;

	snprintf(s, sizeof(s), "[PATCH%s 0/2] KVM: x86: Frob", v);
	snprintf(id, sizeof(id), "v%u.0@example.com", rev);
	mail(th, id, "tess@example.com", s, NULL, "Cover.\n");
	for (i = 1; i <= 2; i++) {
		char pid[40];

		snprintf(s, sizeof(s), "[PATCH%s %u/2] KVM: x86: Frob part %u", v, i, i);
		snprintf(pid, sizeof(pid), "v%u.%u@example.com", rev, i);
		mail(th, pid, "Tess@Example.com", s, id,
		     "Frob.\n\nReviewed-by: Carried Over <carried@example.org>\n"
		     "Signed-off-by: Tess Ting <tess@example.com>\n");
	}
}

static const struct kx_collected *find(const struct kx_collect *c,
				       unsigned index, const char *line)
{
	size_t i;

	for (i = 0; i < c->nr; i++) {
		char buf[200];

		snprintf(buf, sizeof(buf), "%s: %s", c->items[i].key, c->items[i].value);
		if (c->items[i].index == index && !strcmp(buf, line))
			return &c->items[i];
	}
	return NULL;
}

static void test_collect__replies(void **state)
{
	struct kx_collect c = KX_COLLECT_INIT;
	struct thread th = { KX_LORE_MESSAGES_INIT };

	(void)state;
	series(&th, 1);
	mail(&th, "r1@x", "rita@example.org", "Re: [PATCH 1/2] KVM: x86: Frob part 1",
	     "v1.1@example.com",
	     "> Signed-off-by: Tess Ting <tess@example.com>\n"
	     "| Tested-by: Piped Quote <pipe@example.org>\n"
	     "REVIEWED-BY: Rita Reviewer <Rita@Example.org>\n"
	     "Reviewed-by: Rita Reviewer <rita@example.org>\n"
	     "Acked-by: no address here\n"
	     "Cc: Carl <carl@example.org>\n"
	     "--\nAcked-by: Sig Nature <sig@example.org>\n");
	mail(&th, "r2@x", "al@example.org", "Re: [PATCH 0/2] KVM: x86: Frob",
	     "v1.0@example.com", "  Acked-by:\tAl Acker <al@example.org>  \n");
	/* the sender's own answer, and one below it */
	mail(&th, "r3@x", "tess@example.com", "Re: [PATCH 2/2] KVM: x86: Frob part 2",
	     "v1.2@example.com", "Tested-by: Tess Ting <tess@example.com>\n");
	mail(&th, "r4@x", "tina@example.org", "Re: [PATCH 2/2] KVM: x86: Frob part 2",
	     "r3@x", "Tested-by: Tina Tester <tina@example.org>\n");
	/* headers in a loop, and a mail outside the version */
	mail(&th, "r5@x", "loop@example.org", "Re: loop", "r6@x",
	     "Acked-by: Lou Loop <lou@example.org>\n");
	mail(&th, "r6@x", "loop@example.org", "Re: loop", "r5@x",
	     "Acked-by: Lou Loop <lou@example.org>\n");
	assert_int_equal(kx_collect_read(&c, &th.t, 1), 0);
	assert_int_equal(c.total, 2);
	assert_int_equal(c.patches_nr, 3);
	assert_string_equal(c.patches[2].subject, "KVM: x86: Frob part 2");
	assert_int_equal(c.nr, 3);
	assert_non_null(find(&c, 1, "Reviewed-by: Rita Reviewer <Rita@Example.org>"));
	assert_string_equal(find(&c, 1, "Reviewed-by: Rita Reviewer <Rita@Example.org>")->email,
			    "rita@example.org");
	assert_non_null(find(&c, 0, "Acked-by: Al Acker <al@example.org>"));
	assert_non_null(find(&c, 2, "Tested-by: Tina Tester <tina@example.org>"));
	assert_string_equal(find(&c, 2, "Tested-by: Tina Tester <tina@example.org>")->msgid,
			    "r4@x");
	kx_collect_release(&c);
	kx_lore_messages_release(&th.t);
}

static void test_collect__versions(void **state)
{
	struct kx_collect c = KX_COLLECT_INIT;
	struct thread th = { KX_LORE_MESSAGES_INIT };

	(void)state;
	/* v2 posted (wrongly) in v1's thread: its patches are no replies */
	series(&th, 1);
	series(&th, 2);
	th.t.items[3].in_reply_to = kx_xstrdup("v1.0@example.com");
	mail(&th, "r1@x", "rita@example.org", "Re: [PATCH v2 1/2] KVM: x86: Frob part 1",
	     "v2.1@example.com", "Reviewed-by: Rita Reviewer <rita@example.org>\n");
	assert_int_equal(kx_collect_read(&c, &th.t, 1), 0);
	assert_int_equal(c.nr, 0);
	assert_int_equal(kx_collect_read(&c, &th.t, 2), 0);
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.items[0].index, 1);
	assert_int_equal(kx_collect_read(&c, &th.t, 3), KX_ENOTFOUND);
	kx_collect_release(&c);
	kx_lore_messages_release(&th.t);
}

static void test_collect__single_patch(void **state)
{
	struct kx_collect c = KX_COLLECT_INIT;
	struct thread th = { KX_LORE_MESSAGES_INIT };

	(void)state;
	mail(&th, "p@x", "tess@example.com", "[PATCH v3] KVM: x86: Frob", NULL, "Frob.\n");
	mail(&th, "r@x", "rita@example.org", "Re: [PATCH v3] KVM: x86: Frob", "p@x",
	     "Reviewed-by: Rita Reviewer <rita@example.org>\n");
	assert_int_equal(kx_collect_read(&c, &th.t, 3), 0);
	assert_int_equal(c.total, 1);
	assert_int_equal(c.patches_nr, 1);
	assert_int_equal(c.patches[0].index, 1);
	assert_int_equal(c.nr, 1);
	assert_int_equal(c.items[0].index, 1);
	kx_collect_release(&c);
	kx_lore_messages_release(&th.t);
}

/*
 * A reviewer's own patch posted in the thread ("How about this?"), with
 * the version's subject tag, is no mail of the series: the answers under
 * it test or review that patch, not the series' patch 1.
 */
static void test_collect__others_patch(void **state)
{
	struct kx_collect c = KX_COLLECT_INIT;
	struct thread th = { KX_LORE_MESSAGES_INIT };

	(void)state;
	mail(&th, "p@x", "tess@example.com", "[PATCH] KVM: x86: Frob", NULL, "Frob.\n");
	mail(&th, "o@x", "rita@example.org", "[PATCH] KVM: x86: Frob otherwise", "p@x",
	     "How about this instead?\n\nSigned-off-by: Rita Reviewer <rita@example.org>\n");
	mail(&th, "t@x", "tina@example.org", "Re: [PATCH] KVM: x86: Frob otherwise", "o@x",
	     "Tested-by: Tina Tester <tina@example.org>\n");
	mail(&th, "r@x", "al@example.org", "Re: [PATCH] KVM: x86: Frob", "p@x",
	     "Acked-by: Al Acker <al@example.org>\n");
	assert_int_equal(kx_collect_read(&c, &th.t, 1), 0);
	assert_int_equal(c.patches_nr, 1);
	assert_string_equal(c.patches[0].msgid, "p@x");
	assert_int_equal(c.nr, 1);
	assert_non_null(find(&c, 1, "Acked-by: Al Acker <al@example.org>"));
	kx_collect_release(&c);
	kx_lore_messages_release(&th.t);
}

/*
 * A body with CRLF line ends (a mail sent so, or base64 that a mail
 * program encoded from CRLF text): "-- \r" is the signature line all
 * the same, and nothing below it counts.
 */
static void test_collect__crlf(void **state)
{
	struct kx_collect c = KX_COLLECT_INIT;
	struct thread th = { KX_LORE_MESSAGES_INIT };

	(void)state;
	mail(&th, "p@x", "tess@example.com", "[PATCH] KVM: x86: Frob", NULL, "Frob.\r\n");
	mail(&th, "r@x", "rita@example.org", "Re: [PATCH] KVM: x86: Frob", "p@x",
	     "Looks good.\r\n\r\nReviewed-by: Rita Reviewer <rita@example.org>\r\n"
	     "-- \r\nReviewed-by: Sig Nature <sig@example.org>\r\n");
	mail(&th, "s@x", "al@example.org", "Re: [PATCH] KVM: x86: Frob", "p@x",
	     "Acked-by: Al Acker <al@example.org>\r\n--\r\nAcked-by: Sig Two <two@example.org>\r\n");
	assert_int_equal(kx_collect_read(&c, &th.t, 1), 0);
	assert_int_equal(c.nr, 2);
	assert_non_null(find(&c, 1, "Reviewed-by: Rita Reviewer <rita@example.org>"));
	assert_non_null(find(&c, 1, "Acked-by: Al Acker <al@example.org>"));
	kx_collect_release(&c);
	kx_lore_messages_release(&th.t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect__replies),
		cmocka_unit_test(test_collect__versions),
		cmocka_unit_test(test_collect__single_patch),
		cmocka_unit_test(test_collect__others_patch),
		cmocka_unit_test(test_collect__crlf),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
