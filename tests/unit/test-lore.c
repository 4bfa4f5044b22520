// SPDX-License-Identifier: GPL-2.0-only
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/lore.h"

/* --- subjects ----------------------------------------------------------- */

static void expect_subject(const char *in, unsigned rev, unsigned idx,
			   unsigned total, int patch, int reply,
			   const char *rest)
{
	struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;

	kx_lore_subject_parse(&s, in);
	if (s.revision != rev || s.index != idx || s.total != total ||
	    s.is_patch != patch || s.is_reply != reply ||
	    strcmp(s.subject, rest))
		fail_msg("'%s': got v%u %u/%u patch=%d reply=%d '%s'", in,
			 s.revision, s.index, s.total, s.is_patch,
			 s.is_reply, s.subject);
	kx_lore_subject_release(&s);
}

static void test_lore__subject(void **state)
{
	struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;

	(void)state;
	expect_subject("[PATCH v3 2/5] KVM: x86: Foo", 3, 2, 5, 1, 0,
		       "KVM: x86: Foo");
	expect_subject("[PATCH 0/7] KVM: x86: Bar", 1, 0, 7, 1, 0,
		       "KVM: x86: Bar");
	expect_subject("[PATCH v2] KVM: x86: One", 2, 0, 0, 1, 0,
		       "KVM: x86: One");
	expect_subject("[PATCH v10 00/12] KVM: x86:  Big\t series ", 10, 0,
		       12, 1, 0, "KVM: x86: Big series");
	expect_subject("[PATCH] KVM: x86: v1", 1, 0, 0, 1, 0, "KVM: x86: v1");
	expect_subject("Re: [PATCH v2 0/3] KVM: x86: Foo", 2, 0, 3, 1, 1,
		       "KVM: x86: Foo");
	expect_subject("RE: Re:[PATCH v2] x", 2, 0, 0, 1, 1, "x");
	expect_subject("AW: [PATCH] x", 1, 0, 0, 1, 1, "x");
	expect_subject("[PATCHv4 1/2] old style", 4, 1, 2, 1, 0,
		       "old style");
	expect_subject("[kvm-unit-tests PATCH V2 3/4] x86: t", 2, 3, 4, 1, 0,
		       "x86: t");
	expect_subject("[GIT PULL] KVM: x86: Fixes", 1, 0, 0, 0, 0,
		       "KVM: x86: Fixes");
	expect_subject("KVM: x86: no brackets", 1, 0, 0, 0, 0,
		       "KVM: x86: no brackets");
	/* N > M and vN with junk are ignored, not guessed */
	expect_subject("[PATCH v2x 5/3] x", 1, 0, 0, 1, 0, "x");
	expect_subject("[PATCH v0] x", 1, 0, 0, 1, 0, "x");
	expect_subject("", 1, 0, 0, 0, 0, "");
	expect_subject("[PATCH 6.1.y v2 1/1] x", 2, 1, 1, 1, 0, "x");
	expect_subject("[unterminated PATCH v2", 1, 0, 0, 0, 0,
		       "[unterminated PATCH v2");

	kx_lore_subject_parse(&s, "[RFC PATCH v2 0/3] KVM: x86: Foo");
	assert_true(s.is_rfc);
	assert_false(s.is_resend);
	assert_int_equal(s.revision, 2);
	kx_lore_subject_parse(&s, "[PATCH RESEND v2] KVM: x86: Foo");
	assert_true(s.is_resend);
	assert_false(s.is_rfc);
	assert_int_equal(s.revision, 2);
	assert_int_equal(s.total, 0);
	kx_lore_subject_parse(&s, "[RFC] [PATCH v5 1/9] split groups");
	assert_true(s.is_rfc);
	assert_int_equal(s.revision, 5);
	assert_int_equal(s.index, 1);
	assert_string_equal(s.subject, "split groups");
	kx_lore_subject_release(&s);
}

/* --- dates -------------------------------------------------------------- */

static void expect_date(const char *in, const char *want)
{
	char out[21];

	if (!want) {
		assert_int_equal(kx_lore_date_iso(out, in), KX_EINVALID);
		return;
	}
	assert_int_equal(kx_lore_date_iso(out, in), 0);
	assert_string_equal(out, want);
}

static void test_lore__msgid_same_posting(void **state)
{
	(void)state;
	/* b4's: the cover and patch 2 of one posting */
	assert_true(kx_msgid_same_posting("20261207-frob-v1-0-71ea1497b2c7@example.org",
					  "20261207-frob-v1-2-71ea1497b2c7@example.org"));
	/* git send-email's */
	assert_true(kx_msgid_same_posting("20230301120000.1234-1-casey@example.com",
					  "20230301120000.1234-3-casey@example.com"));
	/* another version, another nonce, another domain: no */
	assert_false(kx_msgid_same_posting("20261207-frob-v1-0-71ea1497b2c7@example.org",
					   "20261207-frob-v2-0-71ea1497b2c7@example.org"));
	assert_false(kx_msgid_same_posting("20261207-frob-v1-0-71ea1497b2c7@example.org",
					   "20261207-frob-v1-2-aaaaaaaaaaaa@example.org"));
	assert_false(kx_msgid_same_posting("20261207-frob-v1-0-71ea1497b2c7@example.org",
					   "20261207-frob-v1-2-71ea1497b2c7@example.com"));
	/* the same one, or two fields apart: no */
	assert_false(kx_msgid_same_posting("a-1-b@x", "a-1-b@x"));
	assert_false(kx_msgid_same_posting("a-1-2-b@x", "a-3-4-b@x"));
	assert_false(kx_msgid_same_posting("a-1@x", "a-1-2@x"));
	assert_false(kx_msgid_same_posting("noat", "noat"));
	/* the fields of a git send-email id are '.' apart too */
	assert_false(kx_msgid_same_posting("20230301120000.1234-0-c@x",
					   "20230302120000.5678-0-c@x"));
	assert_true(kx_msgid_same_posting("frob.v1.0@example.com", "frob.v1.2@example.com"));
}

static void test_lore__date(void **state)
{
	(void)state;
	expect_date("Mon, 09 Jan 2023 10:00:00 +0000", "2023-01-09T10:00:00Z");
	/* found by fuzz-mbox: a huge negative year overflowed the day count */
	expect_date("Mon, 8 Jan -99999999999999999999999999999999999999999 10:00 +0000", NULL);
	expect_date("Mon, 8 Jan -5 10:00 +0000", NULL);
	expect_date("Mon, 8 Jan 99999999999999999999 10:00 +0000", NULL);
	expect_date("Mon, 8 Jan 2023 100:00 +0000", NULL);
	expect_date("Mon, 9 Jan 2023 10:00:00 +0100", "2023-01-09T09:00:00Z");
	expect_date("Sun, 1 Jan 2023 00:30:00 +0100", "2022-12-31T23:30:00Z");
	expect_date("Tue, 28 Feb 2024 23:00:00 -0230", "2024-02-29T01:30:00Z");
	expect_date("1 Mar 2023 12:00 PST", "2023-03-01T20:00:00Z");
	expect_date("Fri, 3 Feb 23 10:00:00 GMT", "2023-02-03T10:00:00Z");
	expect_date("Fri, 3 Feb 2023 10:00:00 (no zone)",
		    "2023-02-03T10:00:00Z");
	expect_date("Thu, 31 Dec 2099 23:59:60 -0000", "2099-12-31T23:59:59Z");
	expect_date("yesterday", NULL);
	expect_date("Mon, 9 Foo 2023 10:00:00 +0000", NULL);
	expect_date("Mon, 32 Jan 2023 10:00:00 +0000", NULL);
	expect_date("", NULL);
}

/* --- mbox --------------------------------------------------------------- */

static const char mbox_two[] =
	"From mboxrd@z Thu Jan  1 00:00:00 1970\n"
	"From: Tess Ting <tess@example.com>\n"
	"Subject: [PATCH v2 0/2] KVM: x86: Frob\n"
	" the widget\n"
	"Date: Mon, 09 Jan 2023 10:00:00 +0100\n"
	"Message-ID: <v2-0@example.com>\n"
	"\n"
	"Cover v2\n"
	">From the start\n"
	">>From quoted\n"
	"> From is not quoting\n"
	"change-id: 20230101-frob-0123456789ab\n"
	"\n"
	"From mboxrd@z Thu Jan  1 00:00:00 1970\r\n"
	"From: =?UTF-8?q?Ren=C3=A9?= \"Q.\" Ting <rene@example.com>\r\n"
	"Subject: =?utf-8?b?W1BBVENIXSBLVk06IHg4NjogY2Fmw6k=?=\r\n"
	"message-id:   <slash/id@example.com>  \r\n"
	"In-Reply-To: <v2-0@example.com> (Tess's message)\r\n"
	"Content-Transfer-Encoding: quoted-printable\r\n"
	"Content-Type: text/plain; charset=\"utf-8\"\r\n"
	"\r\n"
	"caf=C3=A9 soft=\r\n"
	"break\r\n"
	"\r\n";

static void test_lore__mbox(void **state)
{
	struct kx_lore_messages l = KX_LORE_MESSAGES_INIT;
	const struct kx_lore_message *m;

	(void)state;
	assert_int_equal(kx_lore_mbox_parse(&l, mbox_two, strlen(mbox_two)),
			 0);
	assert_int_equal(l.nr, 2);
	m = &l.items[0];
	assert_string_equal(m->msgid, "v2-0@example.com");
	assert_string_equal(m->from_name, "Tess Ting");
	assert_string_equal(m->from_email, "tess@example.com");
	assert_string_equal(m->subject,
			    "[PATCH v2 0/2] KVM: x86: Frob the widget");
	assert_string_equal(m->date, "2023-01-09T09:00:00Z");
	assert_null(m->in_reply_to);
	assert_string_equal(m->body, "Cover v2\nFrom the start\n>From quoted\n"
			    "> From is not quoting\n"
			    "change-id: 20230101-frob-0123456789ab\n");
	m = &l.items[1];
	assert_string_equal(m->msgid, "slash/id@example.com");
	assert_string_equal(m->from_name, "René Q. Ting");
	assert_string_equal(m->from_email, "rene@example.com");
	assert_string_equal(m->subject, "[PATCH] KVM: x86: café");
	assert_string_equal(m->in_reply_to, "v2-0@example.com");
	assert_string_equal(m->date, "");
	assert_string_equal(m->body, "café softbreak\r\n");
	kx_lore_messages_release(&l);

	/* nothing is fine; anything but an mbox is not */
	assert_int_equal(kx_lore_mbox_parse(&l, "\n\n", 2), 0);
	assert_int_equal(l.nr, 0);
	assert_int_equal(kx_lore_mbox_parse(&l, "<html>", 6), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "not an mbox"));
	assert_int_equal(kx_lore_mbox_parse(&l, "From x\n\nbody\n", 13),
			 KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "message 1 "));
	kx_lore_messages_release(&l);
}

static void expect_from(const char *from, const char *name,
			const char *email)
{
	struct kx_lore_message m;
	char *text = NULL;

	text = malloc(strlen(from) + 32);
	strcpy(text, "From: ");
	strcat(text, from);
	strcat(text, "\n\nbody\n");
	assert_int_equal(kx_lore_message_parse(&m, text, strlen(text)), 0);
	assert_string_equal(m.from_name, name);
	if (email)
		assert_string_equal(m.from_email, email);
	else
		assert_null(m.from_email);
	assert_null(m.msgid);
	kx_lore_message_release(&m);
	free(text);
}

static void test_lore__from(void **state)
{
	(void)state;
	expect_from("Tess Ting <tess@example.com>", "Tess Ting",
		    "tess@example.com");
	expect_from("\"Ting, Tess\" <tess@example.com>", "Ting, Tess",
		    "tess@example.com");
	expect_from("\"A \\\"B\\\" <C>\" <abc@example.com>, x <y@z>",
		    "A \"B\" <C>", "abc@example.com");
	expect_from("tess@example.com (Tess Ting)", "Tess Ting",
		    "tess@example.com");
	expect_from("tess@example.com", "", "tess@example.com");
	expect_from("<tess@example.com>", "", "tess@example.com");
	expect_from("=?iso-8859-1?q?J=F6rg?= =?utf-8?q?_R=C3=B6del?= <j@r>",
		    "Jörg Rödel", "j@r");
	expect_from("=?x-unknown?q?abc?= <j@r>", "=?x-unknown?q?abc?=",
		    "j@r");
	expect_from("", "", NULL);
}

/* --- Atom --------------------------------------------------------------- */

/* As public-inbox 1.9 serves a search (abridged bodies). */
static const char atom_feed[] =
	"<?xml version=\"1.0\" encoding=\"us-ascii\"?>\n"
	"<feed\nxmlns=\"http://www.w3.org/2005/Atom\"\n"
	"xmlns:thr=\"http://purl.org/syndication/thread/1.0\"><title\n"
	"type=\"html\">s:&#34;Frob&#34; - search results</title><link\n"
	"rel=\"alternate\"\ntype=\"text/html\"\n"
	"href=\"http://127.0.0.1:1/all/?q=s:%22Frob%22\"/><id>urn:uuid:1</id>"
	"<updated>2023-01-10T11:00:00Z</updated>"
	"<entry><author><name>Rev Iewer</name><email>rev@example.net</email>"
	"</author><title>Re: [PATCH v2 0/2] KVM: x86: Frob</title>"
	"<updated>2023-01-10T11:00:00Z</updated><link\n"
	"href=\"http://127.0.0.1:1/all/re@example.com/\"/>"
	"<id>urn:uuid:2</id><thr:in-reply-to\nref=\"urn:uuid:3\"\n"
	"href=\"http://127.0.0.1:1/all/v2-0@example.com/\"/><content\n"
	"type=\"xhtml\"><div\nxmlns=\"http://www.w3.org/1999/xhtml\"><pre\n"
	"style=\"white-space:pre-wrap\"><span\nclass=\"q\">&gt; change-id: "
	"20230101-frob-0123456789ab\n</span>quoted\n</pre></div></content>"
	"</entry>"
	"<entry><author><name>Tess Ting</name><email>tess@example.com</email>"
	"</author><title\ntype=\"html\">[PATCH] KVM: x86: Slash caf&#233; "
	"&lt;&amp;&gt; &#x1F600;</title>"
	"<updated>2023-01-09T10:00:00Z</updated><link\n"
	"href=\"http://127.0.0.1:1/all/slash%2Fid@example.com/\"/>"
	"<id>urn:uuid:4</id><content\ntype=\"xhtml\"><div><pre>Cover\n"
	"<a\nhref=\"x\">link</a>\n<![CDATA[<raw>]]>\nchange-id: "
	"20230101-frob-0123456789ab\n</pre></div></content></entry>"
	"</feed>\n<!-- trailing comment -->\n";

static void test_lore__atom(void **state)
{
	struct kx_lore_messages l = KX_LORE_MESSAGES_INIT;
	const struct kx_lore_message *m;

	(void)state;
	assert_int_equal(kx_lore_atom_parse(&l, atom_feed, strlen(atom_feed)),
			 0);
	assert_int_equal(l.nr, 2);
	m = &l.items[0];
	assert_string_equal(m->msgid, "re@example.com");
	assert_string_equal(m->in_reply_to, "v2-0@example.com");
	assert_string_equal(m->from_name, "Rev Iewer");
	assert_string_equal(m->from_email, "rev@example.net");
	assert_string_equal(m->subject, "Re: [PATCH v2 0/2] KVM: x86: Frob");
	assert_string_equal(m->date, "2023-01-10T11:00:00Z");
	assert_string_equal(m->body, "> change-id: 20230101-frob-0123456789ab"
			    "\nquoted\n");
	m = &l.items[1];
	assert_string_equal(m->msgid, "slash/id@example.com");
	assert_null(m->in_reply_to);
	assert_string_equal(m->subject,
			    "[PATCH] KVM: x86: Slash café <&> "
			    "\xf0\x9f\x98\x80");
	assert_string_equal(m->body, "Cover\nlink\n<raw>\nchange-id: "
			    "20230101-frob-0123456789ab\n");
	kx_lore_messages_release(&l);
}

static void expect_bad_atom(const char *xml, const char *why)
{
	struct kx_lore_messages l = KX_LORE_MESSAGES_INIT;

	assert_int_equal(kx_lore_atom_parse(&l, xml, strlen(xml)),
			 KX_EINVALID);
	if (!strstr(kx_error_last(), why))
		fail_msg("'%s': message '%s' lacks '%s'", xml, kx_error_last(),
			 why);
	kx_lore_messages_release(&l);
}

static void test_lore__atom_invalid(void **state)
{
	struct kx_lore_messages l = KX_LORE_MESSAGES_INIT;
	const char *ok = "<feed><entry><title>a</title></entry></feed>";
	size_t n;

	(void)state;
	expect_bad_atom("", "no root element");
	expect_bad_atom("<html><body>x</body></html>", "not <feed>");
	expect_bad_atom("<feed><entry><title>x</entry></feed>",
			"does not match");
	expect_bad_atom("<feed><entry><title>x</title>", "truncated");
	expect_bad_atom("<feed>\n<title>a &nbsp; b</title></feed>",
			"unknown entity at line 2");
	expect_bad_atom("<feed><title>a & b</title></feed>", "'&'");
	expect_bad_atom("<feed><title>&#0;</title></feed>", "reference");
	expect_bad_atom("<feed><title>&#x110000;</title></feed>", "reference");
	expect_bad_atom("<!DOCTYPE feed [<!ENTITY a \"b\">]><feed/>",
			"DOCTYPE");
	expect_bad_atom("<feed><link href=x/></feed>", "unquoted");
	expect_bad_atom("<feed><link href=\"x/></feed>", "does not end");
	expect_bad_atom("<feed><link href/></feed>", "without a value");
	expect_bad_atom("<feed></feed><feed></feed>", "second root");
	expect_bad_atom("junk<feed/>", "outside the root");
	expect_bad_atom("<feed><!-- open </feed>", "comment");
	expect_bad_atom("<feed>< entry/></feed>", "starts no tag");
	expect_bad_atom("<feed><entry", "inside a tag");

	/* every truncation of a good feed fails cleanly, none crashes */
	for (n = 0; n < strlen(atom_feed) - 30; n++) {
		if (kx_lore_atom_parse(&l, atom_feed, n) == 0)
			fail_msg("a feed cut at %zu bytes parsed", n);
		kx_lore_messages_release(&l);
	}
	assert_int_equal(kx_lore_atom_parse(&l, ok, strlen(ok)), 0);
	assert_int_equal(l.nr, 1);
	assert_null(l.items[0].msgid);
	kx_lore_messages_release(&l);
}

/* --- picking versions ---------------------------------------------------- */

static void add_msg(struct kx_lore_messages *l, const char *msgid,
		    const char *from, const char *subject, const char *date,
		    const char *body)
{
	struct kx_lore_message *m;

	l->items = realloc(l->items, (l->nr + 1) * sizeof(*l->items));
	m = &l->items[l->nr++];
	memset(m, 0, sizeof(*m));
	m->msgid = msgid ? strdup(msgid) : NULL;
	m->from_email = strdup(from);
	m->from_name = strdup("");
	m->subject = strdup(subject);
	m->date = strdup(date);
	m->body = strdup(body);
	l->alloc = l->nr;
}

#define CID "20230101-frob-0123456789ab"

static bool has_warning(const struct kx_lore_versions *v, const char *s)
{
	size_t i;

	for (i = 0; i < v->warnings.nr; i++)
		if (strstr(v->warnings.items[i], s))
			return true;
	return false;
}

static void test_lore__pick_by_change_id(void **state)
{
	struct kx_lore_messages l = KX_LORE_MESSAGES_INIT;
	struct kx_lore_versions v = KX_LORE_VERSIONS_INIT;
	struct kx_lore_want want = {
		"Tess@Example.com", NULL, CID, 3,
	};

	(void)state;
	add_msg(&l, "v2-0@x", "tess@example.com",
		"[PATCH v2 0/2] KVM: x86: Frob it", "2023-01-09T10:00:00Z",
		"Cover\n\n  change-id:   " CID "  \r\nmore\n");
	add_msg(&l, "v1-0@x", "tess@example.com",
		"[PATCH 0/2] KVM: x86: Frob the widget", "2023-01-02T10:00:00Z",
		"---\nbase-commit: abc\nchange-id: " CID "\n");
	/* a reply quoting it, another author, patch 1, no Message-ID */
	add_msg(&l, "re@x", "rev@example.net",
		"Re: [PATCH v2 0/2] KVM: x86: Frob it", "2023-01-10T10:00:00Z",
		"change-id: " CID "\n");
	add_msg(&l, "re2@x", "tess@example.com",
		"Re: [PATCH v2 0/2] KVM: x86: Frob it", "2023-01-10T10:00:00Z",
		"change-id: " CID "\n");
	add_msg(&l, "other@x", "oscar@example.org",
		"[PATCH v2 0/3] KVM: x86: Frob it", "2023-01-09T11:00:00Z",
		"change-id: " CID "\n");
	add_msg(&l, "v1-1@x", "tess@example.com",
		"[PATCH 1/2] KVM: x86: One", "2023-01-02T10:00:01Z",
		"change-id: " CID "\n");
	add_msg(&l, NULL, "tess@example.com",
		"[PATCH v1 0/2] no id", "2023-01-02T10:00:01Z",
		"change-id: " CID "\n");
	/* a different change-id, and one it is a prefix of */
	add_msg(&l, "x@x", "tess@example.com", "[PATCH 0/1] x",
		"2023-01-02T10:00:01Z", "change-id: " CID "-2\n");
	/* the current revision posted already */
	add_msg(&l, "v3-0@x", "tess@example.com",
		"[PATCH v3 0/2] KVM: x86: Frob it", "2023-01-20T10:00:00Z",
		"change-id: " CID "\n");

	assert_int_equal(kx_lore_pick_versions(&v, &l, &want), 0);
	assert_int_equal(v.nr, 2);
	assert_int_equal(v.items[0].revision, 1);
	assert_string_equal(v.items[0].msgid, "v1-0@x");
	assert_int_equal(v.items[0].kind, KX_LORE_COVER);
	assert_int_equal(v.items[0].total, 2);
	assert_true(v.items[0].by_change_id);
	assert_string_equal(v.items[0].date, "2023-01-02T10:00:00Z");
	assert_string_equal(v.items[0].subject,
			    "[PATCH 0/2] KVM: x86: Frob the widget");
	assert_int_equal(v.items[1].revision, 2);
	assert_string_equal(v.items[1].msgid, "v2-0@x");
	assert_true(has_warning(&v, "<other@x> has the change-id but is from "
				"oscar@example.org"));
	assert_true(has_warning(&v, "v3 was posted already (cover letter "
				"<v3-0@x>"));
	assert_int_equal(v.warnings.nr, 2);
	kx_lore_versions_release(&v);
	kx_lore_messages_release(&l);

	want.author_email = NULL;
	assert_int_equal(kx_lore_pick_versions(&v, &l, &want), KX_EINVALID);
}

static void test_lore__pick_by_subject(void **state)
{
	struct kx_lore_messages l = KX_LORE_MESSAGES_INIT;
	struct kx_lore_versions v = KX_LORE_VERSIONS_INIT;
	struct kx_lore_want want = {
		"tess@example.com", "kvm: x86:  frob the widget", NULL, 4,
	};

	(void)state;
	/* v1 without a cover: patch 1 stands for it, patch 2 never */
	add_msg(&l, "v1-1@x", "tess@example.com",
		"[PATCH 1/2] KVM: x86: Frob the widget", "2023-01-02T10:00:00Z",
		"");
	add_msg(&l, "v1-2@x", "tess@example.com",
		"[PATCH 2/2] KVM: x86: Frob the widget", "2023-01-02T10:00:01Z",
		"");
	/* v2 as one patch, v3 with a cover and its patch 1 of same subject */
	add_msg(&l, "v2@x", "tess@example.com",
		"[PATCH v2] KVM: x86: Frob the widget", "2023-01-05T10:00:00Z",
		"");
	add_msg(&l, "v3-1@x", "tess@example.com",
		"[PATCH v3 1/2] KVM: x86: Frob the widget",
		"2023-01-09T10:00:01Z", "");
	add_msg(&l, "v3-0@x", "tess@example.com",
		"[RFC PATCH v3 0/2] KVM: x86: Frob the  widget",
		"2023-01-09T10:00:00Z", "");
	/* similar, by someone else; a longer subject; not a patch */
	add_msg(&l, "o@x", "oscar@example.org",
		"[PATCH v2 0/3] KVM: x86: Frob the widget",
		"2023-01-09T11:00:00Z", "");
	add_msg(&l, "l@x", "tess@example.com",
		"[PATCH v2 0/3] KVM: x86: Frob the widget harder",
		"2023-01-09T11:00:00Z", "");
	add_msg(&l, "n@x", "tess@example.com", "KVM: x86: Frob the widget",
		"2023-01-09T11:00:00Z", "");

	assert_int_equal(kx_lore_pick_versions(&v, &l, &want), 0);
	assert_int_equal(v.nr, 3);
	assert_string_equal(v.items[0].msgid, "v1-1@x");
	assert_int_equal(v.items[0].kind, KX_LORE_FIRST);
	assert_string_equal(v.items[1].msgid, "v2@x");
	assert_int_equal(v.items[1].kind, KX_LORE_SINGLE);
	assert_int_equal(v.items[1].total, 0);
	assert_string_equal(v.items[2].msgid, "v3-0@x");
	assert_int_equal(v.items[2].kind, KX_LORE_COVER);
	assert_false(v.items[2].by_change_id);
	/* patch 1 of v3 lost to its cover: that is no second posting */
	assert_false(has_warning(&v, "more than once"));
	assert_int_equal(v.warnings.nr, 0);
	kx_lore_versions_release(&v);
	kx_lore_messages_release(&l);
}

static void test_lore__pick_duplicates(void **state)
{
	struct kx_lore_messages l = KX_LORE_MESSAGES_INIT;
	struct kx_lore_versions v = KX_LORE_VERSIONS_INIT;
	struct kx_lore_want want = { "tess@example.com", "Frob", CID, 0 };

	(void)state;
	add_msg(&l, "a@x", "tess@example.com", "[PATCH v2 0/2] Frob",
		"2023-01-09T10:00:00Z", "");
	add_msg(&l, "b@x", "tess@example.com", "[PATCH RESEND v2 0/2] Frob",
		"2023-01-19T10:00:00Z", "");
	assert_int_equal(kx_lore_pick_versions(&v, &l, &want), 0);
	assert_int_equal(v.nr, 1);
	assert_string_equal(v.items[0].msgid, "b@x");
	assert_true(has_warning(&v, "v2 was posted more than once: using "
				"<b@x> (2023-01-19T10:00:00Z), not <a@x>"));
	/* a second search: the same message again changes nothing */
	assert_int_equal(kx_lore_pick_versions(&v, &l, &want), 0);
	assert_int_equal(v.nr, 1);
	assert_int_equal(v.warnings.nr, 1);
	kx_lore_messages_release(&l);
	/* a change-id match beats a later subject match */
	add_msg(&l, "c@x", "tess@example.com", "[PATCH v2 0/2] Other words",
		"2023-01-01T10:00:00Z", "change-id: " CID "\n");
	assert_int_equal(kx_lore_pick_versions(&v, &l, &want), 0);
	assert_int_equal(v.nr, 1);
	assert_string_equal(v.items[0].msgid, "c@x");
	assert_true(v.items[0].by_change_id);
	/* revision 0: everything kept, nothing warned about being newer */
	kx_lore_messages_release(&l);
	add_msg(&l, "d@x", "tess@example.com", "[PATCH v9 0/2] Frob",
		"2023-02-01T10:00:00Z", "");
	assert_int_equal(kx_lore_pick_versions(&v, &l, &want), 0);
	assert_int_equal(v.nr, 2);
	assert_int_equal(v.items[1].revision, 9);
	kx_lore_versions_release(&v);
	kx_lore_messages_release(&l);
}

/* --- Message-IDs, URLs, queries ----------------------------------------- */

static void expect_msgid(const char *arg, const char *want)
{
	char *id = NULL;
	int error = kx_lore_msgid_from_arg(&id, arg);

	if (!want) {
		if (error != KX_EINVALID)
			fail_msg("'%s' gave '%s'", arg, id);
		assert_null(id);
		return;
	}
	if (error)
		fail_msg("'%s': %s", arg, kx_error_last());
	assert_string_equal(id, want);
	free(id);
}

static void test_lore__msgid_from_arg(void **state)
{
	(void)state;
	expect_msgid("<20230101.abc@example.com>", "20230101.abc@example.com");
	expect_msgid(" 20230101.abc@example.com\n", "20230101.abc@example.com");
	expect_msgid("id:a@b", "a@b");
	expect_msgid("mid:<a@b>", "a@b");
	expect_msgid("Y/V1/Z15Ax3Igydb@google.com",
		     "Y/V1/Z15Ax3Igydb@google.com");
	expect_msgid("https://lore.kernel.org/all/"
		     "Y%2FV1%2FZ15Ax3Igydb@google.com/",
		     "Y/V1/Z15Ax3Igydb@google.com");
	expect_msgid("https://lore.kernel.org/kvm/a+b@c.d/T/#u", "a+b@c.d");
	expect_msgid("https://lore.kernel.org/kvm/a@b/t.mbox.gz", "a@b");
	expect_msgid("http://lore.kernel.org/r/a@b", "a@b");
	expect_msgid("lore.kernel.org/r/a@b", "a@b");
	expect_msgid("https://lkml.kernel.org/r/a@b", "a@b");
	expect_msgid("https://patch.msgid.link/a@b", "a@b");
	expect_msgid("https://msgid.link/a@b?x=1", "a@b");
	expect_msgid("https://patchwork.kernel.org/project/kvm/patch/a@b/",
		     "a@b");
	expect_msgid("https://patchwork.kernel.org/project/kvm/cover/a@b/",
		     "a@b");
	expect_msgid("https://user:pw@LORE.kernel.org:443/kvm/a@b/", "a@b");
	expect_msgid("http://127.0.0.1:8080/all/a%40b/raw", "a@b");
	expect_msgid("https://yhbt.net/lore/kvm/a@b/", "a@b");

	expect_msgid("https://marc.info/?l=kvm&m=167000000000000", NULL);
	assert_non_null(strstr(kx_error_last(), "marc.info"));
	expect_msgid("https://patchwork.kernel.org/project/kvm/patch/13000000/",
		     NULL);
	assert_non_null(strstr(kx_error_last(), "by number"));
	expect_msgid("https://lore.kernel.org/all/?q=foo", NULL);
	expect_msgid("https://lore.kernel.org/all/", NULL);
	expect_msgid("https://lkml.kernel.org/lkml/2023/1/1/1", NULL);
	expect_msgid("https://example.com/no/id/here", NULL);
	expect_msgid("not a msgid", NULL);
	expect_msgid("nothing", NULL);
	expect_msgid("<>", NULL);
	expect_msgid("", NULL);
	expect_msgid("@b", NULL);
}

static void test_lore__urls(void **state)
{
	char *s;

	(void)state;
	s = kx_lore_msgid_escape("Y/V1/Z15Ax3Igydb@google.com");
	assert_string_equal(s, "Y%2FV1%2FZ15Ax3Igydb@google.com");
	free(s);
	s = kx_lore_msgid_escape("a+b=c$d%e?f#g h\xc3\xa9@x");
	assert_string_equal(s, "a+b=c$d%25e%3Ff%23g%20h%C3%A9@x");
	free(s);
	s = kx_lore_link(KX_LORE_DEFAULT_LINK "/", "a/b@c");
	assert_string_equal(s, "https://lore.kernel.org/r/a%2Fb@c");
	free(s);
	s = kx_lore_url_encode("nq:\"change-id: 2023-a_b.c~\" f:a@b/+");
	assert_string_equal(s, "nq%3A%22change-id%3A+2023-a_b.c~%22+f%3Aa%40b"
			    "%2F%2B");
	free(s);

	s = kx_lore_query_change_id(CID);
	assert_string_equal(s, "nq:\"change-id: " CID "\"");
	free(s);
	assert_null(kx_lore_query_change_id("a\" OR \"b"));
	assert_null(kx_lore_query_change_id(""));
	assert_null(kx_lore_query_change_id(NULL));

	s = kx_lore_query_subject(" KVM: x86: Say \"hi\" ", "t@e.com");
	assert_string_equal(s, "s:\"KVM: x86: Say hi\" f:t@e.com");
	free(s);
	assert_null(kx_lore_query_subject("x", "a b@c"));
	assert_null(kx_lore_query_subject("\"\"", "a@c"));
	assert_null(kx_lore_query_subject("x", ""));

	s = kx_lore_search_url("http://127.0.0.1:1/all/", "m", "s:\"a b\"");
	assert_string_equal(s, "http://127.0.0.1:1/all/?x=m&q=s%3A%22a+b%22");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lore__subject),
		cmocka_unit_test(test_lore__msgid_same_posting),
		cmocka_unit_test(test_lore__date),
		cmocka_unit_test(test_lore__mbox),
		cmocka_unit_test(test_lore__from),
		cmocka_unit_test(test_lore__atom),
		cmocka_unit_test(test_lore__atom_invalid),
		cmocka_unit_test(test_lore__pick_by_change_id),
		cmocka_unit_test(test_lore__pick_by_subject),
		cmocka_unit_test(test_lore__pick_duplicates),
		cmocka_unit_test(test_lore__msgid_from_arg),
		cmocka_unit_test(test_lore__urls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
