// SPDX-License-Identifier: GPL-2.0-only
/*
 * The version of a series a lore thread holds, as prep -F starts a branch
 * from it.  b4 prep -F takes the newest version of the thread; so does
 * this, but only a whole one: a branch missing a patch would be a series
 * nobody posted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/error.h"
#include "kvmx86/fromthread.h"
#include "kvmx86/safe.h"
#include "kvmx86/state.h"

/* No series is longer: a subject saying 1/5000 is not one to allocate for. */
#define MAX_PATCHES 999

struct candidate {
	unsigned revision, total;
	const struct kx_lore_message *cover;
	const struct kx_lore_message **patches;
	unsigned have;
	bool rfc;
};

static struct candidate *candidate(struct candidate **c, size_t *nr,
				   size_t *alloc, unsigned revision,
				   unsigned total)
{
	size_t i;

	for (i = 0; i < *nr; i++)
		if ((*c)[i].revision == revision && (*c)[i].total == total)
			return &(*c)[i];
	kx_grow((void **)c, alloc, *nr, sizeof(**c));
	(*c)[*nr] = (struct candidate){
		.revision = revision,
		.total = total,
		.patches = kx_xcalloc(total, sizeof(*(*c)[*nr].patches)),
	};
	return &(*c)[(*nr)++];
}

/* The length of line s (to its '\n' or NUL). */
static size_t line_len(const char *s)
{
	return strcspn(s, "\n");
}

static bool line_is(const char *s, size_t n, const char *what)
{
	return n == strlen(what) && !strncmp(s, what, n);
}

/* " path | 3 ++-": a line of a diffstat (or its summary line). */
static bool is_diffstat(const char *s, size_t n)
{
	const char *bar = memchr(s, '|', n);

	if (n && *s == ' ' && bar)
		return true;
	/* " 2 files changed, 3 insertions(+)" */
	return n > 1 && s[0] == ' ' && isdigit((unsigned char)s[1]) &&
	       memmem(s, n, " changed", 8);
}

/* "Name Surname (3):", followed by "  subject" lines: git's shortlog. */
static bool is_shortlog(const char *s, size_t n)
{
	const char *next = s[n] == '\n' ? s + n + 1 : NULL;
	size_t k;

	if (n < 5 || s[n - 1] != ':' || s[n - 2] != ')' || *s == ' ')
		return false;
	for (k = n - 3; k > 0 && isdigit((unsigned char)s[k]); k--)
		;
	return k < n - 3 && s[k] == '(' && k > 0 && s[k - 1] == ' ' && next &&
	       !strncmp(next, "  ", 2);
}

/* The cover letter's own text: what comes before git's or b4's parts. */
static char *cover_text(const char *body)
{
	const char *s = body, *end = body;
	size_t n;

	for (; *s; s += n + (s[n] == '\n')) {
		n = line_len(s);
		if (line_is(s, n, "---") || line_is(s, n, "-- ") ||
		    line_is(s, n, "--") || is_shortlog(s, n) ||
		    is_diffstat(s, n) || kx_starts_with(s, "base-commit: ") ||
		    kx_starts_with(s, "change-id: "))
			break;
		if (n)
			end = s + n;
	}
	/* leading blank lines are no text either */
	while (*body == '\n' && body < end)
		body++;
	return end > body ? kx_xasprintf("%.*s\n", (int)(end - body), body) : NULL;
}

/* A single patch's notes: between its "---" and the diffstat or diff. */
static char *patch_notes(const char *body)
{
	const char *s = body, *start = NULL, *end = NULL;
	size_t n;

	for (; *s; s += n + (s[n] == '\n')) {
		n = line_len(s);
		if (!start) {
			if (line_is(s, n, "---"))
				start = s + n + (s[n] == '\n');
			continue;
		}
		if (is_diffstat(s, n) || kx_starts_with(s, "diff --git ") ||
		    line_is(s, n, "-- "))
			break;
		if (n) {
			if (!end)
				start = s;
			end = s + n;
		}
	}
	return start && end ? kx_xasprintf("%.*s\n", (int)(end - start), start) : NULL;
}

/* The value of the first "key: value" line of body whose value is ok. */
static char *trailer_line(const char *body, const char *key,
			  bool (*ok)(const char *, size_t))
{
	const char *s;
	size_t n, klen = strlen(key);

	for (s = body; *s; s += n + (s[n] == '\n')) {
		n = line_len(s);
		if (n > klen && !strncmp(s, key, klen)) {
			const char *v = s + klen;
			size_t vn = n - klen;

			while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\r'))
				vn--;
			if (ok(v, vn))
				return kx_xstrndup(v, vn);
		}
	}
	return NULL;
}

static bool is_object_id(const char *v, size_t n)
{
	size_t i;

	if (n != 40 && n != 64)
		return false;
	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)v[i]) || isupper((unsigned char)v[i]))
			return false;
	return true;
}

/* b4's change-ids: "20230101-name-0123456789ab". */
static bool is_change_id(const char *v, size_t n)
{
	size_t i;

	if (!n || n > 200)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)v[i]) && !strchr("._+-", v[i]))
			return false;
	return true;
}

static char *version_line(const struct candidate *c, const char *key,
			  bool (*ok)(const char *, size_t))
{
	char *v = NULL;
	unsigned k;

	if (c->cover && c->cover->body)
		v = trailer_line(c->cover->body, key, ok);
	for (k = 0; !v && k < c->total; k++)
		if (c->patches[k]->body)
			v = trailer_line(c->patches[k]->body, key, ok);
	return v;
}

/* "2/5 and 4/5", the patches c lacks. */
static char *missing(const struct candidate *c)
{
	struct kx_buf b = KX_BUF_INIT;
	unsigned k, shown = 0, left = c->total - c->have;

	for (k = 0; k < c->total; k++) {
		if (c->patches[k])
			continue;
		shown++;
		kx_buf_addf(&b, "%s%u/%u", shown == 1 ? "" : shown == left ? " and " : ", ",
			    k + 1, c->total);
	}
	return kx_buf_detach(&b);
}

/* Is m a posting of a series: a patch or cover letter, not an answer? */
static bool is_posting(const struct kx_lore_message *m, struct kx_lore_subject *s)
{
	kx_lore_subject_parse(s, m->subject ? m->subject : "");
	return s->is_patch && !s->is_reply && m->body && m->msgid && m->from_email &&
	       s->total <= MAX_PATCHES && (s->total || !s->index);
}

/*
 * The series' sender: that of the mail asked for if it is a posting, else
 * of the thread's first posting.  A reviewer's own [PATCH] in the thread
 * (a fix-up, an alternative) is not the series.
 */
static const char *series_sender(const struct kx_lore_messages *thread,
				 const char *msgid)
{
	const char *first = NULL;
	size_t i;

	for (i = 0; i < thread->nr; i++) {
		const struct kx_lore_message *m = &thread->items[i];
		struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
		bool posting = is_posting(m, &s);

		kx_lore_subject_release(&s);
		if (!posting)
			continue;
		if (msgid && !strcmp(m->msgid, msgid))
			return m->from_email;
		if (!first)
			first = m->from_email;
	}
	return first;
}

int kx_thread_series_pick(struct kx_thread_series *out,
			  const struct kx_lore_messages *thread, const char *msgid)
{
	struct candidate *c = NULL, *best = NULL, *newest = NULL;
	const char *sender = series_sender(thread, msgid);
	size_t i, nr = 0, alloc = 0;
	int error = 0;

	kx_thread_series_release(out);
	for (i = 0; i < thread->nr; i++) {
		const struct kx_lore_message *m = &thread->items[i];
		struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
		struct candidate *v;

		if (is_posting(m, &s) && !strcasecmp(m->from_email, sender)) {
			/* a single patch has no k/N: it is 1/1 */
			unsigned total = s.total ? s.total : 1;
			unsigned index = s.total ? s.index : 1;

			v = candidate(&c, &nr, &alloc, s.revision, total);
			v->rfc |= s.is_rfc;
			if (!index) {
				if (!v->cover)
					v->cover = m;
			} else if (!v->patches[index - 1]) {
				/* the first posting of a patch: a resend is the same */
				v->patches[index - 1] = m;
				v->have++;
			}
		}
		kx_lore_subject_release(&s);
	}
	for (i = 0; i < nr; i++) {
		if (!newest || c[i].revision > newest->revision)
			newest = &c[i];
		if (c[i].have == c[i].total && (!best || c[i].revision > best->revision))
			best = &c[i];
	}
	if (!newest) {
		error = kx_error_set(KX_ENOTFOUND, "the thread holds no patch");
		goto done;
	}
	if (!best) {
		char *what = missing(newest);

		error = kx_error_set(KX_EINVALID,
				     "no version in the thread is whole: v%u lacks %s",
				     newest->revision, what);
		free(what);
		goto done;
	}
	out->base_commit = version_line(best, "base-commit: ", is_object_id);
	out->change_id = version_line(best, "change-id: ", is_change_id);
	out->revision = best->revision;
	out->total = best->total;
	out->cover = best->cover;
	out->patches = best->patches;
	best->patches = NULL;
	out->is_rfc = best->rfc;
	if (best->cover) {
		struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;

		kx_lore_subject_parse(&s, best->cover->subject ? best->cover->subject : "");
		/* it becomes the next cover letter's Subject: a header's text only */
		if (s.subject && *s.subject &&
		    kx_header_text_check("the cover letter's subject", s.subject, KX_SUBJECT_MAX) == 0)
			out->subject = kx_xstrdup(s.subject);
		kx_error_clear();
		kx_lore_subject_release(&s);
		out->body = best->cover->body ? cover_text(best->cover->body) : NULL;
	} else if (best->total == 1) {
		out->body = patch_notes(out->patches[0]->body);
	}
done:
	for (i = 0; i < nr; i++)
		free(c[i].patches);
	free(c);
	return error;
}

const char *kx_thread_topic_of(const char *subject)
{
	static const struct {
		const char *prefix, *topic;
	} map[] = {
		{ "KVM: VMX:", "vmx" }, { "KVM: nVMX:", "vmx" },
		{ "KVM: SVM:", "svm" }, { "KVM: nSVM:", "svm" },
		{ "KVM: SEV:", "svm" }, { "KVM: x86/mmu:", "mmu" },
		{ "KVM: x86/pmu:", "pmu" }, { "KVM: x86/xen:", "xen" },
		{ "KVM: selftests:", "selftests" },
	};
	size_t i;

	for (i = 0; subject && i < ARRAY_SIZE(map); i++)
		if (!strncasecmp(subject, map[i].prefix, strlen(map[i].prefix)))
			return map[i].topic;
	return NULL;
}

/* Appends to b the words of text as a slug: lower case, '-' between. */
static void slug_words(struct kx_buf *b, const char *text, unsigned words)
{
	bool dash = false;

	for (; *text && words; text++) {
		if (isalnum((unsigned char)*text)) {
			if (dash && b->len)
				kx_buf_addf(b, "-");
			dash = false;
			kx_buf_addf(b, "%c", tolower((unsigned char)*text));
		} else if (!dash) {
			dash = true;
			words -= b->len > 0;
		}
	}
}

char *kx_thread_series_name(const struct kx_thread_series *s)
{
	struct kx_buf b = KX_BUF_INIT;
	const char *id = s->change_id, *subject;
	struct kx_lore_subject ls = KX_LORE_SUBJECT_INIT;
	size_t n;

	/* b4's and kvmx86's change-ids: YYYYMMDD-<name>-<12 hex> */
	if (id && (n = strlen(id)) > 22 && strspn(id, "0123456789") == 8 && id[8] == '-' &&
	    id[n - 13] == '-' && strspn(id + n - 12, "0123456789abcdef") == 12) {
		kx_buf_add(&b, id + 9, n - 22);
		return kx_buf_detach(&b);
	}
	/* else the shortlog's first words past its "KVM: x86:" prefix */
	subject = s->subject;
	if (!subject) {
		kx_lore_subject_parse(&ls, s->patches[0]->subject ? s->patches[0]->subject : "");
		subject = ls.subject ? ls.subject : "";
	}
	subject = strrchr(subject, ':') ? strrchr(subject, ':') + 1 : subject;
	slug_words(&b, subject, 3);
	kx_lore_subject_release(&ls);
	if (!b.len)
		kx_buf_addf(&b, "series");
	return kx_buf_detach(&b);
}

void kx_thread_series_release(struct kx_thread_series *s)
{
	free(s->patches);
	free(s->subject);
	free(s->body);
	free(s->base_commit);
	free(s->change_id);
	memset(s, 0, sizeof(*s));
}
