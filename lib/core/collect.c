// SPDX-License-Identifier: GPL-2.0-only
/*
 * The trailers replies give a version's patches.  A reply counts for the
 * patch it sits under however deep (a reviewer answering the author's
 * answer still reviews that patch); one under the cover letter counts for
 * every patch, as b4 takes it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/collect.h"
#include "kvmx86/error.h"

/* The person trailers a reviewer gives; Nacked-by is reported, not added. */
static const char *const keys[] = {
	"Reviewed-by", "Acked-by", "Tested-by", "Reported-by", "Suggested-by",
	"Nacked-by",
};

const char *kx_collect_key(const char *key, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (strlen(keys[i]) == len && !strncasecmp(keys[i], key, len))
			return keys[i];
	return NULL;
}

/* The message whose Message-ID is id, or NULL. */
static const struct kx_lore_message *by_msgid(const struct kx_lore_messages *t,
					      const char *id)
{
	size_t i;

	for (i = 0; id && i < t->nr; i++)
		if (t->items[i].msgid && !strcmp(t->items[i].msgid, id))
			return &t->items[i];
	return NULL;
}

static const struct kx_collect_patch *series_mail(const struct kx_collect *c,
						  const char *id)
{
	size_t i;

	for (i = 0; id && i < c->patches_nr; i++)
		if (!strcmp(c->patches[i].msgid, id))
			return &c->patches[i];
	return NULL;
}

/* Is m a patch or cover letter itself, not an answer to one? */
static bool is_posting(const struct kx_lore_message *m)
{
	struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
	bool posting;

	kx_lore_subject_parse(&s, m->subject ? m->subject : "");
	posting = s.is_patch && !s.is_reply;
	kx_lore_subject_release(&s);
	return posting;
}

/*
 * The series mail m is under, following In-Reply-To up (a thread is a
 * tree, but a loop of broken headers must end: at most t->nr steps); an
 * answer to another version's mail, posted in this thread, is that one's.
 */
static const struct kx_collect_patch *under(const struct kx_collect *c,
					    const struct kx_lore_messages *t,
					    const struct kx_lore_message *m)
{
	size_t steps;

	for (steps = 0; m && m->in_reply_to && steps <= t->nr; steps++) {
		const struct kx_collect_patch *p = series_mail(c, m->in_reply_to);

		if (p)
			return p;
		if ((m = by_msgid(t, m->in_reply_to)) && is_posting(m))
			return NULL;
	}
	return NULL;
}

/* The "<addr>" of value, lower case (caller frees), or NULL. */
static char *address_of(const char *value)
{
	const char *lt = strrchr(value, '<'), *gt = lt ? strchr(lt, '>') : NULL;
	char *addr;
	size_t i;

	if (!lt || !gt || gt - lt < 4 || !memchr(lt, '@', (size_t)(gt - lt)))
		return NULL;
	addr = kx_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	for (i = 0; addr[i]; i++) {
		if (isspace((unsigned char)addr[i]) || addr[i] == '<') {
			free(addr);
			return NULL;
		}
		addr[i] = (char)tolower((unsigned char)addr[i]);
	}
	return addr;
}

static bool have(const struct kx_collect *c, unsigned index, const char *key,
		 const char *email)
{
	size_t i;

	for (i = 0; i < c->nr; i++)
		if (c->items[i].index == index && !strcmp(c->items[i].key, key) &&
		    !strcmp(c->items[i].email, email))
			return true;
	return false;
}

/* The trailers of one reply's own text: not quoted, above "-- ". */
static void read_reply(struct kx_collect *c, const struct kx_lore_message *m,
		       unsigned index, const char *sender)
{
	const char *line = m->body ? m->body : "";

	while (*line) {
		size_t len = strcspn(line, "\n"), k;
		const char *s = line, *key, *v;
		char *value, *email;

		line += len + (line[len] == '\n');
		/* a CRLF line end, as a mail program may encode it */
		if (len && s[len - 1] == '\r')
			len--;
		if ((len == 3 && !strncmp(s, "-- ", 3)) ||
		    (len == 2 && !strncmp(s, "--", 2)))
			break;
		while (len && (*s == ' ' || *s == '\t')) {
			s++;
			len--;
		}
		/* quoted text is the patch's or another mail's */
		if (!len || *s == '>' || *s == '|')
			continue;
		for (k = 0; k < len && (isalnum((unsigned char)s[k]) || s[k] == '-'); k++)
			;
		if (k == len || s[k] != ':' || !(key = kx_collect_key(s, k)))
			continue;
		for (v = s + k + 1; v < s + len && (*v == ' ' || *v == '\t'); v++)
			;
		value = kx_xstrndup_trimmed(v, len - (size_t)(v - s));
		if (!(email = address_of(value)) || (sender && !strcmp(email, sender)) ||
		    have(c, index, key, email)) {
			free(value);
			free(email);
			continue;
		}
		kx_grow((void **)&c->items, &c->alloc, c->nr, sizeof(*c->items));
		c->items[c->nr++] = (struct kx_collected){
			.index = index,
			.key = kx_xstrdup(key),
			.value = value,
			.email = email,
			.msgid = kx_xstrdup(m->msgid ? m->msgid : ""),
		};
	}
}

static int by_index(const void *a, const void *b)
{
	const struct kx_collect_patch *x = a, *y = b;

	return (x->index > y->index) - (x->index < y->index);
}

/* Is m a patch or cover letter of revision, not an answer to one? */
static bool of_revision(const struct kx_lore_message *m, unsigned revision,
			struct kx_lore_subject *s)
{
	kx_lore_subject_parse(s, m->subject ? m->subject : "");
	return m->msgid && s->is_patch && !s->is_reply && s->revision == revision &&
	       (s->total ? s->index <= s->total : true);
}

/*
 * The sender of version revision's mails (lower case; caller frees), or
 * NULL: the From of its first mail that answers none in the thread (the
 * cover letter, a single patch), else of its first mail.
 */
static char *version_sender(const struct kx_lore_messages *t, unsigned revision)
{
	const struct kx_lore_message *first = NULL, *root = NULL;
	char *sender;
	size_t i;

	for (i = 0; i < t->nr && !root; i++) {
		const struct kx_lore_message *m = &t->items[i];
		struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;

		if (of_revision(m, revision, &s) && m->from_email) {
			if (!first)
				first = m;
			if (!m->in_reply_to || !by_msgid(t, m->in_reply_to))
				root = m;
		}
		kx_lore_subject_release(&s);
	}
	if (!(root = root ? root : first))
		return NULL;
	sender = kx_xstrdup(root->from_email);
	for (i = 0; sender[i]; i++)
		sender[i] = (char)tolower((unsigned char)sender[i]);
	return sender;
}

int kx_collect_read(struct kx_collect *out, const struct kx_lore_messages *thread,
		    unsigned revision)
{
	char *sender;
	size_t i;

	kx_collect_release(out);
	sender = version_sender(thread, revision);
	/*
	 * the version's own mails: patches of revision, not replies, from
	 * its sender (a patch a reviewer posts in the thread is not one)
	 */
	for (i = 0; i < thread->nr; i++) {
		const struct kx_lore_message *m = &thread->items[i];
		struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
		struct kx_collect_patch *p;

		if (of_revision(m, revision, &s) && !series_mail(out, m->msgid) &&
		    (!sender || (m->from_email && !strcasecmp(m->from_email, sender)))) {
			kx_grow((void **)&out->patches, &out->patches_alloc,
				out->patches_nr, sizeof(*out->patches));
			p = &out->patches[out->patches_nr++];
			/* a single patch has no k/N: it is patch 1 */
			p->index = s.total ? s.index : 1;
			p->msgid = kx_xstrdup(m->msgid);
			p->subject = kx_xstrdup(s.subject ? s.subject : "");
			if (s.total)
				out->total = s.total;
		}
		kx_lore_subject_release(&s);
	}
	if (!out->patches_nr) {
		free(sender);
		return kx_error_set(KX_ENOTFOUND, "the thread has no mail of v%u", revision);
	}
	if (!out->total)
		out->total = 1;
	qsort(out->patches, out->patches_nr, sizeof(*out->patches), by_index);

	for (i = 0; i < thread->nr; i++) {
		const struct kx_lore_message *m = &thread->items[i];
		const struct kx_collect_patch *p;

		/* series mails, and other versions' patches posted here */
		if (is_posting(m))
			continue;
		/* a mail outside the version's tree reviews none of it */
		if ((p = under(out, thread, m)))
			read_reply(out, m, p->index, sender);
	}
	free(sender);
	return 0;
}

void kx_collect_release(struct kx_collect *c)
{
	size_t i;

	for (i = 0; i < c->nr; i++) {
		free(c->items[i].key);
		free(c->items[i].value);
		free(c->items[i].email);
		free(c->items[i].msgid);
	}
	for (i = 0; i < c->patches_nr; i++) {
		free(c->patches[i].msgid);
		free(c->patches[i].subject);
	}
	free(c->items);
	free(c->patches);
	memset(c, 0, sizeof(*c));
}
