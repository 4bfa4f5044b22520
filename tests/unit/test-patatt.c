// SPDX-License-Identifier: GPL-2.0-only
/*
 * patatt's canonical form over literal mails.  The expected values in
 * patatt-vectors.h are what Debian's patatt 0.6.3 and git 2.39's mailinfo
 * computed for the same mails (gen-patatt-vectors.py), patatt's signed
 * mails included: kvmx86's must be the same bytes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/sign.h"
#include "kvmx86/util.h"

struct vector {
	const char *mail, *mp, *info, *headers, *h, *body, *identity, *value;
	const char *bh, *b, *signed_;
	size_t mail_len, mp_len, body_len, signed_len;
	long long t;
};
#define signed signed_
#include "patatt-vectors.h"
#undef signed

static const struct vector *const vectors[] = {
	&vec_ascii, &vec_utf8, &vec_inbody, &vec_crlf,
};

static void canon(struct kx_patatt_mail *m, struct kx_patatt_canon *c,
		  const struct vector *v)
{
	assert_int_equal(kx_patatt_parse(m, v->mail, v->mail_len), 0);
	assert_int_equal(kx_patatt_canonicalize(c, m, v->mp, v->mp_len,
						v->info), 0);
}

static void test_patatt__canonical_form_as_patatt(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		const struct vector *v = vectors[i];
		struct kx_patatt_mail m;
		struct kx_patatt_canon c;

		canon(&m, &c, v);
		assert_string_equal(c.headers, v->headers);
		assert_string_equal(c.h, v->h);
		assert_int_equal(c.body_len, v->body_len);
		assert_memory_equal(c.body, v->body, v->body_len);
		assert_string_equal(c.identity, v->identity);
		kx_patatt_canon_release(&c);
		kx_patatt_mail_release(&m);
	}
}

static void test_patatt__signed_mail_as_patatt(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(vectors); i++) {
		const struct vector *v = vectors[i];
		struct kx_patatt_sig s = { 0 };
		struct kx_patatt_mail m;
		struct kx_patatt_canon c;
		char *value, *input, *sig, *keyv, *key, *out;
		size_t n;

		canon(&m, &c, v);
		s.t = v->t;
		s.l = c.body_len;
		s.identity = c.identity;
		s.selector = "test";
		s.h = c.h;
		s.bh = v->bh;
		value = kx_patatt_sig_value(&s);
		assert_string_equal(value, v->value);

		/* what the signature's digest covers */
		input = kx_patatt_signed_input(&c, value, &n);
		assert_int_equal(n, strlen(v->headers) + 22 + strlen(v->value));
		assert_memory_equal(input, v->headers, strlen(v->headers));
		assert_memory_equal(input + strlen(v->headers),
				    "x-developer-signature:", 22);
		assert_string_equal(input + strlen(v->headers) + 22, v->value);
		free(input);
		free(value);

		s.b = v->b;
		value = kx_patatt_sig_value(&s);
		sig = kx_patatt_fold("X-Developer-Signature", value);
		keyv = kx_patatt_key_value(c.identity, test_pk);
		key = kx_patatt_fold("X-Developer-Key", keyv);
		out = kx_patatt_assemble(&m, sig, key, &n);
		assert_int_equal(n, v->signed_len);
		assert_memory_equal(out, v->signed_, n);
		free(out);
		free(key);
		free(keyv);
		free(sig);
		free(value);
		kx_patatt_canon_release(&c);
		kx_patatt_mail_release(&m);
	}
}

/* Signing a signed mail again replaces patatt's headers. */
static void test_patatt__resign_drops_old_headers(void **state)
{
	struct kx_patatt_mail m, m2;
	size_t i, n;
	char *in, *in2;

	(void)state;
	assert_int_equal(kx_patatt_parse(&m, vec_ascii.mail, vec_ascii.mail_len), 0);
	assert_int_equal(kx_patatt_parse(&m2, vec_ascii.signed_,
					 vec_ascii.signed_len), 0);
	assert_int_equal(m.headers.nr, m2.headers.nr);
	for (i = 0; i < m.headers.nr; i++)
		assert_string_equal(m.headers.items[i], m2.headers.items[i]);
	in = kx_patatt_mailinfo_input(&m, &n);
	assert_int_equal(n, vec_ascii.mail_len);
	assert_memory_equal(in, vec_ascii.mail, n);
	in2 = kx_patatt_mailinfo_input(&m2, &n);
	assert_string_equal(in, in2);
	free(in2);
	free(in);
	kx_patatt_mail_release(&m2);
	kx_patatt_mail_release(&m);

	/* CRLF mails reach git mailinfo with LF, as patatt hands them */
	assert_int_equal(kx_patatt_parse(&m, vec_crlf.mail, vec_crlf.mail_len), 0);
	assert_int_equal(m.headers.nr, 3);	/* X-Developer-Signature dropped */
	assert_string_equal(m.lf, "\r\n");
	in = kx_patatt_mailinfo_input(&m, &n);
	assert_string_equal(in, "From: Tess Ting <tess@example.com>\n"
			    "Subject: [PATCH 0/2] KVM: x86: cover\n"
			    "Message-ID: <cover@example.com>\n"
			    "\n"
			    "Cover text.  \n"
			    "\n");
	free(in);
	kx_patatt_mail_release(&m);
}

static void test_patatt__refuses_what_patatt_refuses(void **state)
{
	static const char no_body[] = "From: a@example.com\nSubject: x\n\n";
	static const char fold_first[] = " x\nFrom: a@example.com\n\nbody\n";
	static const char no_subject[] = "From: a@example.com\n\nbody\n";
	struct kx_patatt_mail m;
	struct kx_patatt_canon c;

	(void)state;
	assert_int_equal(kx_patatt_parse(&m, no_body, strlen(no_body)),
			 KX_EINVALID);
	kx_patatt_mail_release(&m);
	assert_int_equal(kx_patatt_parse(&m, fold_first, strlen(fold_first)),
			 KX_EINVALID);
	kx_patatt_mail_release(&m);

	/* a mail with no Subject: header cannot be signed */
	assert_int_equal(kx_patatt_parse(&m, no_subject, strlen(no_subject)), 0);
	assert_int_equal(kx_patatt_canonicalize(&c, &m, "body\n", 5,
						"Author: A\nEmail: a@example.com\n\n"),
			 KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "subject"));
	kx_patatt_canon_release(&c);
	kx_patatt_mail_release(&m);
}

/*
 * patatt decodes RFC 2047 in a signed value holding "?q?", after
 * dropping every byte that is not ASCII (patatt 0.6.3 gave these).
 */
static void test_patatt__q_words(void **state)
{
	static const char mail[] = "From: a@example.com\nSubject: x\n\nbody\n";
	struct kx_patatt_mail m;
	struct kx_patatt_canon c;

	(void)state;
	assert_int_equal(kx_patatt_parse(&m, mail, strlen(mail)), 0);
	assert_int_equal(kx_patatt_canonicalize(&c, &m, "body\n", 5,
						"Author: A\nEmail: a@example.com\n"
						"Subject: what?q?  \xc3\xa9 x\n\n"), 0);
	assert_string_equal(c.headers, "from:A <a@example.com>\r\n"
			    "subject:what?q? x\r\n");
	kx_patatt_canon_release(&c);
	/* a word that patatt would decode a second time: refused */
	assert_int_equal(kx_patatt_canonicalize(&c, &m, "body\n", 5,
						"Author: A\nEmail: a@example.com\n"
						"Subject: =?utf-8?q?=C3=A9?= a?q?\n\n"),
			 KX_EINVALID);
	kx_patatt_canon_release(&c);
	kx_patatt_mail_release(&m);
}

/* Python's email.header folding at 78 columns (Python 3.11 gave these). */
static void test_patatt__fold_as_python(void **state)
{
	char *f;

	(void)state;
	f = kx_patatt_fold("X-Test", "a; b");
	assert_string_equal(f, "X-Test: a; b");
	free(f);
	/* trailing blanks stay; a word too long moves to a line of its own */
	f = kx_patatt_fold("X-Test", "x ");
	assert_string_equal(f, "X-Test: x ");
	free(f);
	f = kx_patatt_fold("X-Test", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa b");
	assert_string_equal(f, "X-Test:\n aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
			    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n b");
	free(f);
	/* a break after ';' wins over one at a later blank */
	f = kx_patatt_fold("X-Test", "one two three four five six seven eight nine; "
			   "ten eleven twelve thirteen");
	assert_string_equal(f, "X-Test: one two three four five six seven eight nine;\n"
			    " ten eleven twelve thirteen");
	free(f);
}

static void test_patatt__key_file(void **state)
{
	unsigned char seed[KX_PATATT_SEED_LEN], want[KX_PATATT_SEED_LEN];
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want); i++)
		want[i] = (unsigned char)(i + 1);
	assert_int_equal(kx_patatt_key_parse(seed, test_key, strlen(test_key)), 0);
	assert_memory_equal(seed, want, sizeof(want));
	kx_patatt_base64(&b, want, sizeof(want));
	assert_string_equal(b.buf, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=");
	kx_buf_release(&b);
	kx_patatt_base64(&b, (const unsigned char *)"ab", 2);
	assert_string_equal(b.buf, "YWI=");
	kx_buf_release(&b);

	/* blanks and line breaks anywhere are fine */
	assert_int_equal(kx_patatt_key_parse(seed, " AQIDBAUGBwgJCgsMDQ4PEBES\n"
					     "ExQVFhcYGRobHB0eHyA=\r\n", 48), 0);
	assert_memory_equal(seed, want, sizeof(want));
	/* anything but the base64 of 32 bytes is malformed */
	assert_int_equal(kx_patatt_key_parse(seed, "", 0), KX_EINVALID);
	assert_int_equal(kx_patatt_key_parse(seed, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA", 43),
			 KX_EINVALID);
	assert_int_equal(kx_patatt_key_parse(seed, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHw==", 44),
			 KX_EINVALID);
	assert_int_equal(kx_patatt_key_parse(seed, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyAh", 44),
			 KX_EINVALID);
	assert_int_equal(kx_patatt_key_parse(seed, "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0e*yA=", 44),
			 KX_EINVALID);
	assert_int_equal(kx_patatt_key_parse(seed, "-----BEGIN PRIVATE KEY-----", 27),
			 KX_EINVALID);
}

static void test_patatt__fields(void **state)
{
	(void)state;
	assert_int_equal(kx_patatt_check_field("i", "tess@example.com"), 0);
	assert_int_equal(kx_patatt_check_field("s", "default"), 0);
	assert_int_equal(kx_patatt_check_field("s", ""), KX_EINVALID);
	assert_int_equal(kx_patatt_check_field("s", "a b"), KX_EINVALID);
	assert_int_equal(kx_patatt_check_field("s", "a;b"), KX_EINVALID);
	assert_int_equal(kx_patatt_check_field("i", "t\xc3\xa9@example.com"),
			 KX_EINVALID);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_patatt__canonical_form_as_patatt),
		cmocka_unit_test(test_patatt__signed_mail_as_patatt),
		cmocka_unit_test(test_patatt__resign_drops_old_headers),
		cmocka_unit_test(test_patatt__refuses_what_patatt_refuses),
		cmocka_unit_test(test_patatt__q_words),
		cmocka_unit_test(test_patatt__fold_as_python),
		cmocka_unit_test(test_patatt__key_file),
		cmocka_unit_test(test_patatt__fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
