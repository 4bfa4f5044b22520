// SPDX-License-Identifier: GPL-2.0-only
/*
 * The mail formatter over literal data.  The expected headers are what
 * git 2.39's format-patch wrote for the same names and subjects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/mail.h"

static char *render_subject(const char *prefix, const char *subject)
{
	struct kx_mailbox from = { (char *)"Tess Ting", (char *)"tess@example.com" };
	struct kx_mail m;
	char *out = NULL, *s, *e, *r;

	memset(&m, 0, sizeof(m));
	m.from = &from;
	m.date = "Sun, 1 Jan 2023 00:00:00 +0000";
	m.subject_prefix = prefix;
	m.subject = subject;
	m.message_id = "x@example.com";
	m.body = "body\n";
	assert_int_equal(kx_mail_render(&out, &m), 0);
	s = strstr(out, "Subject: ");
	assert_non_null(s);
	e = strstr(s, "\nMessage-ID:");
	assert_non_null(e);
	r = strndup(s, (size_t)(e - s));
	free(out);
	return r;
}

static void test_mail__subject_encoded_as_git(void **state)
{
	char *s;

	(void)state;
	s = render_subject("[PATCH 1/3] ",
			   "KVM: x86: Fix the \xc3\xbcmlaut handling in a subject that is long enough to need encoded words split");
	assert_string_equal(s,
		"Subject: [PATCH 1/3] =?UTF-8?q?KVM:=20x86:=20Fix=20the=20=C3=BCmlaut=20han?=\n"
		" =?UTF-8?q?dling=20in=20a=20subject=20that=20is=20long=20enough=20to=20nee?=\n"
		" =?UTF-8?q?d=20encoded=20words=20split?=");
	free(s);
	s = render_subject("[PATCH 3/3] ", "KVM: =?x?= odd");
	assert_string_equal(s, "Subject: [PATCH 3/3] =?UTF-8?q?KVM:=20=3D=3Fx=3F=3D=20odd?=");
	free(s);
}

static void test_mail__subject_folded_as_git(void **state)
{
	char *s;

	(void)state;
	s = render_subject("[PATCH 2/3] ",
			   "KVM: x86: A subject that is plain ASCII but long enough that git format-patch folds it over lines");
	assert_string_equal(s,
		"Subject: [PATCH 2/3] KVM: x86: A subject that is plain ASCII but long enough\n"
		" that git format-patch folds it over lines");
	free(s);
	s = render_subject("[PATCH] ", "KVM: x86: Short");
	assert_string_equal(s, "Subject: [PATCH] KVM: x86: Short");
	free(s);
}

static char *mailbox(const char *name, const char *addr, size_t col)
{
	struct kx_mailbox m = { (char *)name, (char *)addr };
	struct kx_buf b = KX_BUF_INIT;

	kx_mail_add_mailbox(&b, &m, col);
	return kx_buf_detach(&b);
}

static void test_mail__names_as_git(void **state)
{
	char *s;

	(void)state;
	s = mailbox("\xc3\x81nne \xc3\x9cmlaut", "anne@example.com", 6);
	assert_string_equal(s, "=?UTF-8?q?=C3=81nne=20=C3=9Cmlaut?= <anne@example.com>");
	free(s);
	s = mailbox("H. Peter Anvin", "hpa@zytor.com", 6);
	assert_string_equal(s, "\"H. Peter Anvin\" <hpa@zytor.com>");
	free(s);
	s = mailbox("A Rather Long Name With Many Words That Will Need Folding Somewhere Over Here",
		    "long@example.com", 6);
	assert_string_equal(s, "A Rather Long Name With Many Words That Will Need Folding Somewhere Over\n"
			       " Here <long@example.com>");
	free(s);
	s = mailbox("Say \"Hi\"", "hi@example.com", 4);
	assert_string_equal(s, "\"Say \\\"Hi\\\"\" <hi@example.com>");
	free(s);
	s = mailbox("", "bare@example.com", 4);
	assert_string_equal(s, "bare@example.com");
	free(s);
}

static void test_mail__date(void **state)
{
	char *s;

	(void)state;
	s = kx_mail_date(1672531200LL, 0);
	assert_string_equal(s, "Sun, 1 Jan 2023 00:00:00 +0000");
	free(s);
	s = kx_mail_date(1672531200LL, -330);
	assert_string_equal(s, "Sat, 31 Dec 2022 18:30:00 -0530");
	free(s);
	s = kx_mail_date(1672531200LL, 60);
	assert_string_equal(s, "Sun, 1 Jan 2023 01:00:00 +0100");
	free(s);
}

static void test_mail__file_names_as_git(void **state)
{
	char *s;

	(void)state;
	s = kx_mail_file_name(1, 1, "KVM: nVMX: Don't drop pending debug exceptions on nested VM-Exit",
			      ".patch", 64);
	assert_string_equal(s, "0001-KVM-nVMX-Don-t-drop-pending-debug-exceptions-on-nest.patch");
	free(s);
	s = kx_mail_file_name(1, 0, NULL, ".patch", 64);
	assert_string_equal(s, "0000-cover-letter.patch");
	free(s);
	s = kx_mail_file_name(2, 0, NULL, ".patch", 64);
	assert_string_equal(s, "v2-0000-cover-letter.patch");
	free(s);
	s = kx_mail_file_name(3, 12, "...Dots...and  spaces__ \xc3\xbc end--..", ".patch", 64);
	assert_string_equal(s, "v3-0012-.Dots.and-spaces__-end.patch");
	free(s);
	s = kx_mail_file_name(1, 2, "short", ".txt", 12);
	assert_string_equal(s, "0002-sh.txt");
	free(s);
}

static void test_mail__msgid(void **state)
{
	char *s;

	(void)state;
	s = kx_mail_msgid_stem("20230101-fix-foo-0123456789ab", "20991231", "x86/vmx/fix-foo");
	assert_string_equal(s, "20230101-fix-foo");
	free(s);
	/* not a change-id: the day and the branch's slug */
	s = kx_mail_msgid_stem("<bad id>", "20991231", "x86/vmx/Fix_Foo");
	assert_string_equal(s, "20991231-x86-vmx-fix-foo");
	free(s);
	s = kx_mail_msgid("20230101-fix-foo", 2, 0, "4e65e4baef74", "example.org");
	assert_string_equal(s, "20230101-fix-foo-v2-0-4e65e4baef74@example.org");
	free(s);
	assert_null(kx_mail_msgid("20230101-fix-foo", 2, 0, "4e65", "exa mple.org"));
	assert_null(kx_mail_msgid("a>b", 2, 0, "4e65", "example.org"));
}

static void test_mail__split_message(void **state)
{
	char *subject, *body;

	(void)state;
	kx_mail_split_message(&subject, &body,
			      "\n\nKVM: x86: Two  \nline subject\n\n\n  Body with trailing   \n\n---\nmore\n\n\n");
	assert_string_equal(subject, "KVM: x86: Two line subject");
	assert_string_equal(body, "  Body with trailing\n\n---\nmore\n");
	assert_int_equal(kx_mail_count_cuts(body), 1);
	free(subject);
	free(body);
	kx_mail_split_message(&subject, &body, "Only a subject\n");
	assert_string_equal(subject, "Only a subject");
	assert_string_equal(body, "");
	free(subject);
	free(body);
}

static void test_mail__header_check(void **state)
{
	(void)state;
	assert_int_equal(kx_mail_header_check("x", "KVM: x86: \xc3\xbc ok"), 0);
	assert_int_equal(kx_mail_header_check("the subject", "a\nBcc: evil@example.com"),
			 KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "a^JBcc: evil@example.com"));
	assert_non_null(strstr(kx_error_last(), "line break"));
	assert_int_equal(kx_mail_header_check("x", "a\rb"), KX_EINVALID);
	assert_int_equal(kx_mail_header_check("x", "a\tb"), KX_EINVALID);
	assert_int_equal(kx_mail_header_check("x", "\x1b[31mred"), KX_EINVALID);
	assert_int_equal(kx_mail_header_check("x", "\xc2\x85"), KX_EINVALID);	/* NEL */
	assert_int_equal(kx_mail_header_check("x", "\xc3"), KX_EINVALID);
	assert_int_equal(kx_mail_header_check("x", "\xc0\xaf"), KX_EINVALID);	/* overlong */
	assert_int_equal(kx_mail_header_check("x", "\xed\xa0\x80"), KX_EINVALID);	/* surrogate */
	kx_error_clear();
}

static void test_mail__mailbox_parse(void **state)
{
	struct kx_mailbox m;

	(void)state;
	assert_int_equal(kx_mailbox_parse(&m, "  Sean Christopherson <seanjc@google.com>"), 0);
	assert_string_equal(m.name, "Sean Christopherson");
	assert_string_equal(m.addr, "seanjc@google.com");
	kx_mailbox_release(&m);
	assert_int_equal(kx_mailbox_parse(&m, "stable@vger.kernel.org # 6.1+"), 0);
	assert_string_equal(m.name, "");
	assert_string_equal(m.addr, "stable@vger.kernel.org");
	kx_mailbox_release(&m);
	assert_int_equal(kx_mailbox_parse(&m, "\"Anvin, H. \\\"Peter\\\"\" <hpa@zytor.com> # v2"), 0);
	assert_string_equal(m.name, "Anvin, H. \"Peter\"");
	kx_mailbox_release(&m);
	assert_int_equal(kx_mailbox_parse(&m, "<a@b.c>"), 0);
	assert_string_equal(m.addr, "a@b.c");
	kx_mailbox_release(&m);
	assert_int_equal(kx_mailbox_parse(&m, "Sean"), KX_EINVALID);
	assert_int_equal(kx_mailbox_parse(&m, "x <a@b.c\nBcc: e@vil.com>"), KX_EINVALID);
	assert_int_equal(kx_mailbox_parse(&m, "Evil\x1b]0;x\x07 <a@b.c>"), KX_EINVALID);
	assert_int_equal(kx_mailbox_parse(&m, "a b <a@b@c>"), KX_EINVALID);
	assert_int_equal(kx_mailbox_parse(&m, "<a@b.c>, <d@e.f>"), 0);
	assert_string_equal(m.addr, "a@b.c");
	kx_mailbox_release(&m);
	kx_error_clear();
	assert_true(kx_mail_addr_eq("Seanjc@Google.com", "seanjc@google.com"));
	assert_false(kx_mail_addr_ok("a@"));
	assert_false(kx_mail_addr_ok("a b@c"));
	assert_false(kx_mail_addr_ok("a@b..c"));
	/* an option to a sendmail-like program, not an address */
	assert_false(kx_mail_addr_ok("-oQ/tmp/x@example.com"));
	assert_int_equal(kx_mailbox_parse(&m, "Cc Me <-oQ/tmp/x@example.com>"), KX_EINVALID);
	kx_error_clear();
	assert_true(kx_mail_addr_ok("a-b@example.com"));
}

static void test_mail__split_list(void **state)
{
	struct kx_strlist l = KX_STRLIST_INIT;

	(void)state;
	kx_mail_split_list(&l, " a1@example.org, A Two <a2@example.org>,,"
			   "\"Doe, Jane\" <jd@example.org>, Sam (S, the) <s@x.org> ,"
			   "<x,y@example.org>");
	assert_int_equal(l.nr, 5);
	assert_string_equal(l.items[0], "a1@example.org");
	assert_string_equal(l.items[1], "A Two <a2@example.org>");
	assert_string_equal(l.items[2], "\"Doe, Jane\" <jd@example.org>");
	assert_string_equal(l.items[3], "Sam (S, the) <s@x.org>");
	assert_string_equal(l.items[4], "<x,y@example.org>");
	kx_strlist_release(&l);
	kx_mail_split_list(&l, " , ");
	assert_int_equal(l.nr, 0);
	kx_mail_split_list(&l, "\"Q \\\" ,\" <q@example.org>");
	assert_int_equal(l.nr, 1);
	kx_strlist_release(&l);
}

static void test_mail__render(void **state)
{
	struct kx_mailbox from = { (char *)"Sam Sender", (char *)"sam@example.com" };
	struct kx_mailbox author = { (char *)"\xc3\x81nne \xc3\x9cmlaut", (char *)"anne@example.com" };
	struct kx_mailbox to = { (char *)"", (char *)"kvm@vger.kernel.org" };
	struct kx_mailbox cc[2] = {
		{ (char *)"Sean Christopherson", (char *)"seanjc@google.com" },
		{ (char *)"H. Peter Anvin", (char *)"hpa@zytor.com" },
	};
	struct kx_mail m;
	char *out;

	(void)state;
	memset(&m, 0, sizeof(m));
	m.mbox_id = "0123456789012345678901234567890123456789";
	m.from = &from;
	m.date = "Sun, 1 Jan 2023 00:00:00 +0000";
	m.subject_prefix = "[PATCH v2 1/2] ";
	m.subject = "KVM: x86: Do it";
	m.to = &to;
	m.to_nr = 1;
	m.cc = cc;
	m.cc_nr = 2;
	m.message_id = "20230101-x-v2-1-abc@example.com";
	m.in_reply_to = "20230101-x-v2-0-abc@example.com";
	m.body_from = &author;
	m.body = "Body.\n---\n a | 1 +\n";
	m.signature = "2.39.5";
	assert_int_equal(kx_mail_render(&out, &m), 0);
	assert_string_equal(out,
		"From 0123456789012345678901234567890123456789 Mon Sep 17 00:00:00 2001\n"
		"From: Sam Sender <sam@example.com>\n"
		"Date: Sun, 1 Jan 2023 00:00:00 +0000\n"
		"Subject: [PATCH v2 1/2] KVM: x86: Do it\n"
		"To: kvm@vger.kernel.org\n"
		"Cc: Sean Christopherson <seanjc@google.com>,\n"
		"    \"H. Peter Anvin\" <hpa@zytor.com>\n"
		"Message-ID: <20230101-x-v2-1-abc@example.com>\n"
		"In-Reply-To: <20230101-x-v2-0-abc@example.com>\n"
		"References: <20230101-x-v2-0-abc@example.com>\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=UTF-8\n"
		"Content-Transfer-Encoding: 8bit\n"
		"\n"
		"From: \xc3\x81nne \xc3\x9cmlaut <anne@example.com>\n"
		"\n"
		"Body.\n---\n a | 1 +\n"
		"-- \n2.39.5\n\n");
	free(out);

	/* ASCII throughout: no MIME headers, as format-patch */
	m.body_from = NULL;
	m.cc_nr = 0;
	m.in_reply_to = NULL;
	m.mbox_id = NULL;
	assert_int_equal(kx_mail_render(&out, &m), 0);
	assert_null(strstr(out, "MIME-Version"));
	assert_null(strstr(out, "In-Reply-To"));
	free(out);

	/* every text on its way to a header is checked */
	m.subject = "KVM: x86: Do it\nBcc: all@example.com";
	assert_int_equal(kx_mail_render(&out, &m), KX_EINVALID);
	assert_null(out);
	m.subject = "KVM: x86: Do it";
	m.subject_prefix = "[PATCH\r] ";
	assert_int_equal(kx_mail_render(&out, &m), KX_EINVALID);
	m.subject_prefix = "[PATCH] ";
	cc[0].name = (char *)"Sean\nBcc: all@example.com";
	m.cc_nr = 1;
	assert_int_equal(kx_mail_render(&out, &m), KX_EINVALID);
	cc[0].name = (char *)"Sean";
	cc[0].addr = (char *)"seanjc@google.com>\nBcc: <all@example.com";
	assert_int_equal(kx_mail_render(&out, &m), KX_EINVALID);
	cc[0].addr = (char *)"seanjc@google.com";
	m.message_id = "a b@c";
	assert_int_equal(kx_mail_render(&out, &m), KX_EINVALID);
	m.message_id = "a@c";
	from.name = (char *)"Sam\n";
	assert_int_equal(kx_mail_render(&out, &m), KX_EINVALID);
	from.name = (char *)"Sam";
	m.body_from = &author;
	author.name = (char *)"Anne\nSubject: x";
	assert_int_equal(kx_mail_render(&out, &m), KX_EINVALID);
	author.name = (char *)"Anne";
	assert_int_equal(kx_mail_render(&out, &m), 0);
	free(out);
	kx_error_clear();
}

static void test_mail__qp_for_long_lines(void **state)
{
	struct kx_mailbox from = { (char *)"S", (char *)"s@example.com" };
	struct kx_mail m;
	struct kx_buf body = KX_BUF_INIT;
	char *out, *p;
	size_t i;

	(void)state;
	kx_buf_adds(&body, "Intro = x \n---\n+");
	for (i = 0; i < 1200; i++)
		kx_buf_addc(&body, (char)('a' + i % 26));
	kx_buf_adds(&body, "\n+tail\xc3\xbc \n");
	assert_int_equal(kx_mail_encoding_of(body.buf), KX_MAIL_QP);
	assert_int_equal(kx_mail_encoding_of("a\xc3\xbc\n"), KX_MAIL_8BIT);
	assert_int_equal(kx_mail_encoding_of("a\r\n"), KX_MAIL_QP);
	assert_int_equal(kx_mail_encoding_of("ascii\n"), KX_MAIL_7BIT);
	memset(&m, 0, sizeof(m));
	m.from = &from;
	m.date = "Sun, 1 Jan 2023 00:00:00 +0000";
	m.subject = "x";
	m.message_id = "a@b";
	m.body = body.buf;
	assert_int_equal(kx_mail_render(&out, &m), 0);
	assert_non_null(strstr(out, "Content-Transfer-Encoding: quoted-printable\n"));
	assert_non_null(strstr(out, "\n\nIntro =3D x=20\n---\n+abc"));
	assert_non_null(strstr(out, "+tail=C3=BC=20\n"));
	for (p = out; *p;) {
		size_t n = strcspn(p, "\n");

		assert_true(n <= 76);
		p += n + (p[n] == '\n');
	}
	free(out);
	kx_buf_release(&body);
}

/* No encoded line begins "From ": mbox readers (b4 am's) would split there. */
static void test_mail__qp_from_lines(void **state)
{
	struct kx_buf b = KX_BUF_INIT;
	char *p;
	size_t i;

	(void)state;
	kx_mail_add_qp(&b, "From the changelog:\nA From here stays.\n");
	assert_string_equal(b.buf, "=46rom the changelog:\nA From here stays.\n");
	kx_buf_release(&b);
	/* a soft break that would put "From " first on the next line */
	{
		struct kx_buf t = KX_BUF_INIT;

		for (i = 0; i < 75; i++)
			kx_buf_addc(&t, 'x');
		kx_buf_adds(&t, "From y\n");
		kx_mail_add_qp(&b, t.buf);
		kx_buf_release(&t);
	}
	for (p = b.buf; *p; p += strcspn(p, "\n") + 1)
		assert_true(strncmp(p, "From ", 5) != 0);
	assert_non_null(strstr(b.buf, "=\n=46rom y\n"));
	kx_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mail__split_list),
		cmocka_unit_test(test_mail__subject_encoded_as_git),
		cmocka_unit_test(test_mail__subject_folded_as_git),
		cmocka_unit_test(test_mail__names_as_git),
		cmocka_unit_test(test_mail__date),
		cmocka_unit_test(test_mail__file_names_as_git),
		cmocka_unit_test(test_mail__msgid),
		cmocka_unit_test(test_mail__split_message),
		cmocka_unit_test(test_mail__header_check),
		cmocka_unit_test(test_mail__mailbox_parse),
		cmocka_unit_test(test_mail__render),
		cmocka_unit_test(test_mail__qp_for_long_lines),
		cmocka_unit_test(test_mail__qp_from_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
