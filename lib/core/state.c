// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/state.h"

void kx_state_init(struct kx_state *s)
{
	memset(s, 0, sizeof(*s));
	s->schema_version = KX_STATE_SCHEMA;
	s->revision = 1;
}

static void sent_release(struct kx_sent *e)
{
	free(e->date);
	free(e->cover_msgid);
	kx_strlist_release(&e->msgids);
	kx_strlist_release(&e->to);
	kx_strlist_release(&e->cc);
	free(e->send_nonce);
	free(e->base);
	free(e->tip);
	free(e->tag);
}

void kx_state_release(struct kx_state *s)
{
	size_t i;

	free(s->branch);
	free(s->change_id);
	kx_strlist_release(&s->prefixes);
	free(s->cover_subject);
	free(s->cover_body);
	kx_strlist_release(&s->to);
	kx_strlist_release(&s->cc);
	free(s->base_scope);
	free(s->base_commit);
	free(s->base_ref);
	for (i = 0; i < s->sent_nr; i++)
		sent_release(&s->sent[i]);
	free(s->sent);
	free(s->imported_from);
	free(s->b4_cover_commit);
	free(s->last_tip);
	/* test_results and extra are json_t, released by lib/io/state.c */
	memset(s, 0, sizeof(*s));
}

struct kx_sent *kx_state_add_sent(struct kx_state *s, unsigned revision)
{
	struct kx_sent *e;

	kx_grow((void **)&s->sent, &s->sent_alloc, s->sent_nr, sizeof(*s->sent));
	e = &s->sent[s->sent_nr++];
	memset(e, 0, sizeof(*e));
	e->revision = revision;
	return e;
}

const struct kx_sent *kx_state_find_sent(const struct kx_state *s,
					 unsigned revision)
{
	size_t i;

	for (i = 0; i < s->sent_nr; i++)
		if (s->sent[i].revision == revision)
			return &s->sent[i];
	return NULL;
}

char *kx_state_file_name(const char *branch)
{
	char *out = kx_xmalloc(strlen(branch) * 3 + sizeof(".json"));
	char *p = out;

	for (; *branch; branch++) {
		if (*branch == '/' || *branch == '%') {
			memcpy(p, *branch == '/' ? "%2F" : "%25", 3);
			p += 3;
		} else {
			*p++ = *branch;
		}
	}
	strcpy(p, ".json");
	return out;
}

char *kx_change_id(const char *name, const char *date, const char *random12)
{
	char *slug = kx_xmalloc(strlen(name) + 1), *out;
	size_t n = 0;
	bool dash = false;

	for (; *name; name++) {
		if (isalnum((unsigned char)*name)) {
			if (dash && n)
				slug[n++] = '-';
			dash = false;
			slug[n++] = (char)tolower((unsigned char)*name);
		} else {
			dash = true;
		}
	}
	slug[n] = '\0';
	out = kx_xasprintf("%s-%s-%.12s", date, n ? slug : "series", random12);
	free(slug);
	return out;
}

int kx_parse_revision(unsigned *out, const char *s)
{
	char *end;
	unsigned long v;

	if (*s == 'v' || *s == 'V')
		s++;
	if (!isdigit((unsigned char)*s))
		return kx_error_set(KX_EINVALID, "bad revision '%s': use N or vN", s);
	v = strtoul(s, &end, 10);
	if (*end || v < 1 || v > 1000)
		return kx_error_set(KX_EINVALID, "bad revision '%s': use N or vN, N >= 1", s);
	*out = (unsigned)v;
	return 0;
}

/* Copies text without its '#' lines. */
static char *drop_comment_lines(const char *text)
{
	char *out = kx_xmalloc(strlen(text) + 1), *p = out;

	while (*text) {
		const char *nl = strchr(text, '\n');
		size_t len = nl ? (size_t)(nl - text + 1) : strlen(text);

		if (*text != '#') {
			memcpy(p, text, len);
			p += len;
		}
		text += len;
	}
	*p = '\0';
	return out;
}

void kx_cover_parse(char **subject, char **body, const char *text,
		    bool drop_comments)
{
	char *copy = drop_comments ? drop_comment_lines(text) : kx_xstrdup(text);
	const char *p = copy, *nl;

	while (*p && isspace((unsigned char)*p))
		p++;
	nl = strchr(p, '\n');
	*subject = kx_xstrndup_trimmed(p, nl ? (size_t)(nl - p) : strlen(p));
	*body = nl ? kx_xstrndup_trimmed(nl + 1, strlen(nl + 1)) : kx_xstrdup("");
	free(copy);
}
