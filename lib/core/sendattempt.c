// SPDX-License-Identifier: GPL-2.0-only
/*
 * A send attempt's decisions.  The rule they keep: a mail the server may
 * have taken never goes again unless the user says so (--resend-unknown,
 * with its own Message-ID, which archives fold), and a mail that was
 * accepted never goes again at all; an attempt resumes only with the very
 * bytes it recorded, so a series changed meanwhile is refused, never
 * sent half old and half new.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/cover.h"
#include "kvmx86/safe.h"
#include "kvmx86/sendattempt.h"

bool kx_attempt_mail_due(const struct kx_attempt_mail *m, bool resend_unknown)
{
	return !strcmp(m->status, "pending") ||
	       (resend_unknown && !strcmp(m->status, "unknown"));
}

size_t kx_attempt_count(const struct kx_attempt *a, const char *status)
{
	size_t i, n = 0;

	for (i = 0; a && i < a->nr; i++)
		n += !strcmp(a->mails[i].status, status);
	return n;
}

enum kx_attempt_decision kx_attempt_decide(const struct kx_attempt *a,
					   const struct kx_attempt_ask *q)
{
	size_t i;
	bool due = false;

	if (!a || q->new_attempt)
		return KX_ATTEMPT_NEW;
	if (strcmp(a->kind, q->kind) || a->revision != q->revision ||
	    strcmp(a->fingerprint, q->fingerprint))
		return KX_ATTEMPT_CHANGED;
	if (kx_attempt_count(a, "accepted") == a->nr)
		return KX_ATTEMPT_FINISH;
	for (i = 0; i < a->nr; i++)
		due |= kx_attempt_mail_due(&a->mails[i], q->resend_unknown);
	return due ? KX_ATTEMPT_RESUME : KX_ATTEMPT_UNKNOWN;
}

/* One part: "<name> <length>\n<text>\n", so that no two sources collide. */
static void part(struct kx_buf *b, const char *name, const char *text)
{
	if (!text)
		text = "";
	kx_buf_addf(b, "%s %zu\n", name, strlen(text));
	kx_buf_adds(b, text);
	kx_buf_adds(b, "\n");
}

char *kx_attempt_fingerprint_text(const struct kx_attempt_source *src)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i, k;
	char rev[16];

	kx_buf_adds(&b, "kvmx86 send attempt 1\n");
	part(&b, "kind", src->kind);
	snprintf(rev, sizeof(rev), "%u", src->revision);
	part(&b, "revision", rev);
	part(&b, "base", src->base);
	part(&b, "tip", src->tip);
	kx_buf_addf(&b, "commits %zu\n", src->commits_nr);
	for (i = 0; i < src->commits_nr; i++)
		part(&b, "commit", src->commits[i]);
	part(&b, "from", src->from);
	part(&b, "cover-subject", src->cover_subject);
	part(&b, "cover-body", src->cover_body);
	kx_buf_addf(&b, "mails %zu\n", src->mails_nr);
	for (i = 0; i < src->mails_nr; i++) {
		kx_buf_addf(&b, "rcpts %zu\n", src->rcpts[i].nr);
		for (k = 0; k < src->rcpts[i].nr; k++)
			part(&b, "rcpt", src->rcpts[i].items[k]);
	}
	return kx_buf_detach(&b);
}

char *kx_sent_tag_message(const char *subject_line, const char *body)
{
	struct kx_buf b = KX_BUF_INIT;
	const char *sig = NULL, *p;
	size_t n;

	/* b4 drops the signature: what follows the last "\n-- \n" */
	for (p = body; (p = strstr(p, "\n-- \n")); p++)
		sig = p;
	n = sig ? (size_t)(sig - body) + 1 : strlen(body);
	while (n && body[n - 1] == '\n')
		n--;
	kx_buf_addf(&b, "%s\n\n", subject_line);
	kx_buf_add(&b, body, n);
	kx_buf_adds(&b, "\n");
	return kx_buf_detach(&b);
}

char *kx_cover_next_version(const char *body, unsigned revision)
{
	struct kx_cover_text t;
	struct kx_buf b = KX_BUF_INIT;
	size_t n, at;
	bool has;

	kx_cover_text_parse(&t, body ? body : "");
	has = kx_cover_text_notes(&t, revision) != NULL;
	at = t.sections_at;
	kx_cover_text_release(&t);
	if (has)
		return kx_xstrdup(body);
	/* the newest first, as the handbook reads them: above the others */
	n = at;
	while (n && body[n - 1] == '\n')
		n--;
	if (n) {
		kx_buf_add(&b, body, n);
		kx_buf_adds(&b, "\n\n");
	}
	kx_buf_addf(&b, "v%u:\n - EDITME: what changed in v%u, in terse bullets",
		    revision, revision);
	if (body && body[at]) {
		kx_buf_adds(&b, "\n\n");
		kx_buf_adds(&b, body + at);
	}
	return kx_buf_detach(&b);
}

static void add_word(struct kx_buf *b, const char *w)
{
	kx_buf_adds(b, " ");
	kx_buf_add_shell_word(b, w);
}

char *kx_attempt_resume_command(const char *const *argv, size_t argc,
				const char *drop, const char *add)
{
	struct kx_buf b = KX_BUF_INIT;
	bool has_add = false;
	size_t i;

	kx_buf_adds(&b, "kvmx86 send");
	for (i = 0; i < argc; i++) {
		if (drop && !strcmp(argv[i], drop))
			continue;
		if (add && !strcmp(argv[i], add))
			has_add = true;
		add_word(&b, argv[i]);
	}
	if (add && !has_add)
		add_word(&b, add);
	return kx_buf_detach(&b);
}
