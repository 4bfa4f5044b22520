// SPDX-License-Identifier: GPL-2.0-only
/*
 * A send attempt: the decisions (new, resume, finish, refuse), which mails
 * go, the fingerprint, the sent tag's message, the next version's notes,
 * the command that resumes, and the attempt in the state file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kvmx86/error.h"
#include "kvmx86/sendattempt.h"
#include "kvmx86/statefile.h"

static const char fp1[] = "1111111111111111111111111111111111111111";
static const char fp2[] = "2222222222222222222222222222222222222222";

/* An attempt of n mails whose statuses are the letters of st (p, a, u). */
static struct kx_attempt *attempt(const char *st)
{
	struct kx_attempt *a = kx_attempt_new();
	size_t i;

	a->kind = kx_xstrdup("send");
	a->revision = 2;
	a->nonce = kx_xstrdup("0123456789ab");
	a->fingerprint = kx_xstrdup(fp1);
	a->from = kx_xstrdup("me@example.org");
	for (i = 0; st[i]; i++) {
		struct kx_attempt_mail *m = kx_attempt_add_mail(a);

		m->msgid = kx_xasprintf("20230101-foo-v2-%zu-0123456789ab@example.org", i);
		m->status = kx_xstrdup(st[i] == 'a' ? "accepted" :
				       st[i] == 'u' ? "unknown" : "pending");
		kx_strlist_add(&m->rcpts, "kvm@vger.kernel.org");
		m->text = kx_xasprintf("Subject: [PATCH %zu]\n\nbody\n", i);
	}
	return a;
}

static void test_sendattempt__decide(void **state)
{
	struct kx_attempt_ask q = { "send", 2, fp1, false, false };
	struct kx_attempt *a;

	(void)state;
	assert_int_equal(kx_attempt_decide(NULL, &q), KX_ATTEMPT_NEW);

	a = attempt("aap");
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_RESUME);
	q.fingerprint = fp2;
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_CHANGED);
	q.new_attempt = true;
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_NEW);
	q.new_attempt = false;
	q.fingerprint = fp1;
	q.revision = 3;
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_CHANGED);
	q.revision = 2;
	q.kind = "resend";
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_CHANGED);
	q.kind = "send";
	kx_attempt_free(a);

	/* only a possibly-sent mail left: never again without asking */
	a = attempt("aua");
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_UNKNOWN);
	q.resend_unknown = true;
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_RESUME);
	q.resend_unknown = false;
	kx_attempt_free(a);

	a = attempt("aaa");
	assert_int_equal(kx_attempt_decide(a, &q), KX_ATTEMPT_FINISH);
	kx_attempt_free(a);
}

static void test_sendattempt__due(void **state)
{
	struct kx_attempt *a = attempt("apu");

	(void)state;
	assert_false(kx_attempt_mail_due(&a->mails[0], false));
	assert_false(kx_attempt_mail_due(&a->mails[0], true));
	assert_true(kx_attempt_mail_due(&a->mails[1], false));
	assert_false(kx_attempt_mail_due(&a->mails[2], false));
	assert_true(kx_attempt_mail_due(&a->mails[2], true));
	assert_int_equal(kx_attempt_count(a, "accepted"), 1);
	assert_int_equal(kx_attempt_count(a, "unknown"), 1);
	assert_int_equal(kx_attempt_count(NULL, "unknown"), 0);
	kx_attempt_free(a);
}

static void test_sendattempt__fingerprint(void **state)
{
	const char *commits[] = { "aaaa", "bbbb" };
	struct kx_strlist r[2] = { KX_STRLIST_INIT, KX_STRLIST_INIT };
	struct kx_attempt_source s;
	char *t1, *t2;

	(void)state;
	kx_strlist_add(&r[0], "a@example.org");
	kx_strlist_add(&r[1], "b@example.org");
	memset(&s, 0, sizeof(s));
	s.kind = "send";
	s.revision = 1;
	s.base = "base";
	s.tip = "tip";
	s.commits = commits;
	s.commits_nr = 2;
	s.from = "Me <me@example.org>";
	s.cover_subject = "[PATCH 0/2] x";
	s.cover_body = "body";
	s.rcpts = r;
	s.mails_nr = 2;
	t1 = kx_attempt_fingerprint_text(&s);
	t2 = kx_attempt_fingerprint_text(&s);
	assert_string_equal(t1, t2);
	free(t2);
	/* a recipient more changes it */
	kx_strlist_add(&r[1], "c@example.org");
	t2 = kx_attempt_fingerprint_text(&s);
	assert_string_not_equal(t1, t2);
	free(t2);
	/* parts cannot run into each other */
	s.cover_subject = "[PATCH 0/2] xbod";
	s.cover_body = "y";
	t2 = kx_attempt_fingerprint_text(&s);
	assert_string_not_equal(t1, t2);
	free(t1);
	free(t2);
	kx_strlist_release(&r[0]);
	kx_strlist_release(&r[1]);
}

static void test_sendattempt__tag_message(void **state)
{
	char *m;

	(void)state;
	m = kx_sent_tag_message("[PATCH v2 0/3] KVM: x86: Foo",
				"Blurb.\n\n---\nbase-commit: abc\nchange-id: 20230101-foo-0123456789ab\n-- \nMe\n");
	assert_string_equal(m, "[PATCH v2 0/3] KVM: x86: Foo\n\nBlurb.\n\n---\nbase-commit: abc\nchange-id: 20230101-foo-0123456789ab\n");
	free(m);
	m = kx_sent_tag_message("[PATCH] x", "No signature.\n\n\n");
	assert_string_equal(m, "[PATCH] x\n\nNo signature.\n");
	free(m);
}

static void test_sendattempt__next_version(void **state)
{
	char *b, *c;

	(void)state;
	b = kx_cover_next_version("Blurb.\n", 2);
	assert_string_equal(b, "Blurb.\n\nv2:\n - EDITME: what changed in v2, in terse bullets");
	/* notes of v2 already: left as they are */
	c = kx_cover_next_version(b, 2);
	assert_string_equal(b, c);
	free(c);
	c = kx_cover_next_version(b, 3);
	assert_non_null(strstr(c, "\n\nv3:\n - EDITME"));
	assert_non_null(strstr(c, "v2:\n"));
	free(c);
	free(b);
	/* newest first: above v2's notes, v1's link stays below */
	b = kx_cover_next_version("Blurb.\n\nv2:\n - Reword patch 3.\n\nv1: https://lore.kernel.org/r/x@y\n", 3);
	assert_string_equal(b, "Blurb.\n\n"
			    "v3:\n - EDITME: what changed in v3, in terse bullets\n\n"
			    "v2:\n - Reword patch 3.\n\n"
			    "v1: https://lore.kernel.org/r/x@y\n");
	free(b);
	b = kx_cover_next_version("v2:\n - Only notes.\n", 3);
	assert_string_equal(b, "v3:\n - EDITME: what changed in v3, in terse bullets\n\n"
			    "v2:\n - Only notes.\n");
	free(b);
	b = kx_cover_next_version(NULL, 2);
	assert_string_equal(b, "v2:\n - EDITME: what changed in v2, in terse bullets");
	free(b);
}

static void test_sendattempt__resume_command(void **state)
{
	const char *argv[] = { "--to", "A B <a@example.org>", "--new-attempt",
			       "x86/it's" };
	char *c;

	(void)state;
	c = kx_attempt_resume_command(argv, 4, "--new-attempt", NULL);
	assert_string_equal(c, "kvmx86 send --to 'A B <a@example.org>' 'x86/it'\\''s'");
	free(c);
	c = kx_attempt_resume_command(argv, 2, NULL, "--resend-unknown");
	assert_string_equal(c, "kvmx86 send --to 'A B <a@example.org>' --resend-unknown");
	free(c);
	c = kx_attempt_resume_command(NULL, 0, NULL, NULL);
	assert_string_equal(c, "kvmx86 send");
	free(c);
}

static const char base_json[] =
	"{\"schema_version\": 2, \"branch\": \"x86/foo\", \"change_id\": \"c\","
	" \"revision\": 2";

static void test_sendattempt__state_round_trip(void **state)
{
	struct kx_state_file f, g;
	char *text, *again;

	(void)state;
	kx_state_file_init(&f);
	f.state.branch = kx_xstrdup("x86/foo");
	f.state.change_id = kx_xstrdup("20230101-foo-0123456789ab");
	f.state.revision = 2;
	f.state.attempt = attempt("aup");
	f.state.attempt->date = kx_xstrdup("2023-01-01T00:00:00Z");
	text = kx_state_file_format(&f);
	assert_non_null(text);
	assert_int_equal(kx_state_file_parse(&g, text, strlen(text), "test"), 0);
	assert_non_null(g.state.attempt);
	assert_int_equal(g.state.attempt->nr, 3);
	assert_string_equal(g.state.attempt->mails[1].status, "unknown");
	assert_string_equal(g.state.attempt->mails[2].text, "Subject: [PATCH 2]\n\nbody\n");
	assert_string_equal(g.state.attempt->fingerprint, fp1);
	again = kx_state_file_format(&g);
	assert_string_equal(text, again);
	free(again);
	free(text);
	kx_state_file_release(&g);
	kx_state_file_release(&f);
}

static void test_sendattempt__state_keeps_unknown_keys(void **state)
{
	struct kx_state_file f;
	char *in = kx_xasprintf("%s, \"attempt\": {\"kind\": \"send\", \"revision\": 2,"
				" \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"me@x.org\","
				" \"later\": 1, \"mails\": [{\"msgid\": \"m@x.org\", \"status\": \"pending\","
				" \"rcpts\": [\"a@x.org\"], \"text\": \"t\", \"signed_by\": \"k\"}]}}",
				base_json, fp1);
	char *out;

	(void)state;
	assert_int_equal(kx_state_file_parse(&f, in, strlen(in), "test"), 0);
	out = kx_state_file_format(&f);
	assert_non_null(strstr(out, "\"later\": 1"));
	assert_non_null(strstr(out, "\"signed_by\": \"k\""));
	free(out);
	/* dropped: the attempt's keys go with it */
	kx_attempt_free(f.state.attempt);
	f.state.attempt = NULL;
	out = kx_state_file_format(&f);
	assert_null(strstr(out, "\"attempt\""));
	free(out);
	kx_state_file_release(&f);
	free(in);
}

static void test_sendattempt__state_refuses_bad_attempts(void **state)
{
	static const char *const bad[] = {
		/* a status kvmx86 does not know */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"a@x.org\", \"mails\": [{\"msgid\": \"m@x\", \"status\": \"sent?\", \"rcpts\": [\"a@x.org\"], \"text\": \"t\"}]}",
		/* no mails */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"a@x.org\", \"mails\": []}",
		/* mails not a list */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"a@x.org\", \"mails\": {}}",
		/* a recipient with a line break */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"a@x.org\", \"mails\": [{\"msgid\": \"m@x\", \"status\": \"pending\", \"rcpts\": [\"a@x.org\\nRCPT TO:<b@x.org>\"], \"text\": \"t\"}]}",
		/* no recipients */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"a@x.org\", \"mails\": [{\"msgid\": \"m@x\", \"status\": \"pending\", \"rcpts\": [], \"text\": \"t\"}]}",
		/* the same Message-ID twice */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"a@x.org\", \"mails\": [{\"msgid\": \"m@x\", \"status\": \"pending\", \"rcpts\": [\"a@x.org\"], \"text\": \"t\"}, {\"msgid\": \"m@x\", \"status\": \"pending\", \"rcpts\": [\"a@x.org\"], \"text\": \"t\"}]}",
		/* a fingerprint that is not one */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"x%s\", \"from\": \"a@x.org\", \"mails\": [{\"msgid\": \"m@x\", \"status\": \"pending\", \"rcpts\": [\"a@x.org\"], \"text\": \"t\"}]}",
		/* no text */
		"\"attempt\": {\"kind\": \"send\", \"revision\": 2, \"nonce\": \"n\", \"fingerprint\": \"%s\", \"from\": \"a@x.org\", \"mails\": [{\"msgid\": \"m@x\", \"status\": \"pending\", \"rcpts\": [\"a@x.org\"]}]}",
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct kx_state_file f;
		char *part = kx_xasprintf(bad[i], fp1);
		char *in = kx_xasprintf("%s, %s}", base_json, part);

		assert_int_equal(kx_state_file_parse(&f, in, strlen(in), "test"),
				 KX_EINVALID);
		kx_error_clear();
		kx_state_file_release(&f);
		free(in);
		free(part);
	}
}

static void test_sendattempt__state_bounds_the_file(void **state)
{
	struct kx_state s;
	size_t n = (size_t)5 << 20;
	char *text;

	(void)state;
	kx_state_init(&s);
	s.branch = kx_xstrdup("x86/foo");
	s.change_id = kx_xstrdup("c");
	s.attempt = attempt("p");
	assert_int_equal(kx_state_check(&s), 0);
	/* 5 MiB of control characters are 30 MiB of JSON: refused */
	text = kx_xmalloc(n + 1);
	memset(text, '\x01', n);
	text[n] = '\0';
	free(s.attempt->mails[0].text);
	s.attempt->mails[0].text = text;
	assert_int_equal(kx_state_check(&s), KX_EINVALID);
	assert_non_null(strstr(kx_error_last(), "too long"));
	kx_error_clear();
	/* the same bytes as text are 5 MiB: taken */
	memset(text, 'x', n);
	assert_int_equal(kx_state_check(&s), 0);
	kx_state_release(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sendattempt__decide),
		cmocka_unit_test(test_sendattempt__due),
		cmocka_unit_test(test_sendattempt__fingerprint),
		cmocka_unit_test(test_sendattempt__tag_message),
		cmocka_unit_test(test_sendattempt__next_version),
		cmocka_unit_test(test_sendattempt__resume_command),
		cmocka_unit_test(test_sendattempt__state_round_trip),
		cmocka_unit_test(test_sendattempt__state_keeps_unknown_keys),
		cmocka_unit_test(test_sendattempt__state_refuses_bad_attempts),
		cmocka_unit_test(test_sendattempt__state_bounds_the_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
