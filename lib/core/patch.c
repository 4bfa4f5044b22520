// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/patch.h"

void kx_patch_init(struct kx_patch *p)
{
	memset(p, 0, sizeof(*p));
}

void kx_patch_set_message(struct kx_patch *p, const char *message)
{
	const char *nl, *body;

	while (*message == '\n')
		message++;
	nl = strchr(message, '\n');
	free(p->subject);
	free(p->body);
	p->subject = nl ? kx_xstrndup(message, (size_t)(nl - message)) :
			  kx_xstrdup(message);
	body = nl ? nl + 1 : "";
	while (*body == '\n')
		body++;
	p->body = kx_xstrdup(body);
}

struct kx_patch_file *kx_patch_add_file(struct kx_patch *p, const char *path)
{
	struct kx_patch_file *f;

	kx_grow((void **)&p->files, &p->files_alloc, p->files_nr,
		sizeof(*p->files));
	f = &p->files[p->files_nr++];
	memset(f, 0, sizeof(*f));
	f->path = kx_xstrdup(path);
	f->area = kx_area_of_path(path);
	return f;
}

void kx_patch_file_add_line(struct kx_patch_file *f, const char *text,
			    unsigned line)
{
	/* lines added without a number before this one stay unknown */
	while (f->added_line_nr < f->added.nr) {
		kx_grow((void **)&f->added_line, &f->added_line_alloc,
			f->added_line_nr, sizeof(*f->added_line));
		f->added_line[f->added_line_nr++] = 0;
	}
	kx_strlist_add(&f->added, text);
	kx_grow((void **)&f->added_line, &f->added_line_alloc,
		f->added_line_nr, sizeof(*f->added_line));
	f->added_line[f->added_line_nr++] = line;
}

unsigned kx_patch_file_line(const struct kx_patch_file *f, size_t i)
{
	return i < f->added_line_nr ? f->added_line[i] : 0;
}

void kx_patch_release(struct kx_patch *p)
{
	size_t i;

	for (i = 0; i < p->files_nr; i++) {
		free(p->files[i].path);
		kx_strlist_release(&p->files[i].added);
		free(p->files[i].added_line);
		kx_strlist_release(&p->files[i].removed);
		kx_strlist_release(&p->files[i].context);
	}
	free(p->files);
	free(p->subject);
	free(p->body);
	free(p->author_name);
	free(p->author_email);
	memset(p, 0, sizeof(*p));
}

/* Length of a trailer token ("Signed-off-by") at s followed by ':', or 0. */
static size_t token_len(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '-')
		n++;
	return n && s[n] == ':' ? n : 0;
}

static void add_trailer(struct kx_trailers *t, const char *key, size_t kn,
			const char *value, size_t vn)
{
	kx_grow((void **)&t->items, &t->alloc, t->nr, sizeof(*t->items));
	while (vn && isspace((unsigned char)*value)) {
		value++;
		vn--;
	}
	while (vn && isspace((unsigned char)value[vn - 1]))
		vn--;
	t->items[t->nr].key = kx_xstrndup(key, kn);
	t->items[t->nr++].value = kx_xstrndup(value, vn);
}

void kx_trailers_parse(struct kx_trailers *out, const char *body)
{
	const char *end = body + strlen(body), *start = body, *p;

	/* the last paragraph, trailing blank lines aside */
	while (end > body && isspace((unsigned char)end[-1]))
		end--;
	for (p = body; p < end; p++)
		if (*p == '\n' && p + 1 < end && p[1] == '\n')
			start = p + 2;
	/* every line a trailer or a continuation, else no trailers at all */
	for (p = start; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!token_len(p) && !(len && (*p == ' ' || *p == '\t')))
			return;
		p += len + 1;
	}
	for (p = start; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		size_t kn = token_len(p);

		if (kn)
			add_trailer(out, p, kn, p + kn + 1, len - kn - 1);
		p += len + 1;
	}
}

void kx_trailers_release(struct kx_trailers *t)
{
	size_t i;

	for (i = 0; i < t->nr; i++) {
		free(t->items[i].key);
		free(t->items[i].value);
	}
	free(t->items);
	t->items = NULL;
	t->nr = t->alloc = 0;
}

/* The offset of the trailer block in msg (its last paragraph), or -1. */
static long trailer_block(const char *msg, size_t end)
{
	size_t start = 0, p, first_nl = strcspn(msg, "\n");

	for (p = 0; p + 1 < end; p++)
		if (msg[p] == '\n' && msg[p + 1] == '\n')
			start = p + 2;
	/* the subject is never a trailer block */
	if (start <= first_nl)
		return -1;
	for (p = start; p < end;) {
		const char *nl = memchr(msg + p, '\n', end - p);
		size_t len = nl ? (size_t)(nl - (msg + p)) : end - p;

		if (!token_len(msg + p) &&
		    !(len && (msg[p] == ' ' || msg[p] == '\t')))
			return -1;
		p += len + 1;
	}
	return (long)start;
}

size_t kx_message_cut(const char *message)
{
	const char *nl = strchr(message, '\n'), *p;

	/* git's find_patch_start(): "---" and a blank; never the subject */
	for (p = nl ? nl + 1 : ""; *p; p = nl + 1) {
		if (!strncmp(p, "---", 3) && isspace((unsigned char)p[3]))
			return (size_t)(p - message);
		if (!(nl = strchr(p, '\n')))
			break;
	}
	return strlen(message);
}

static char *insert_trailer(const char *message, const char *key,
			 const char *value, const char *signer, bool at_end)
{
	size_t cut = kx_message_cut(message), end = cut, kn = strlen(key), p, at;
	struct kx_buf b = KX_BUF_INIT;
	long start;

	while (end && isspace((unsigned char)message[end - 1]))
		end--;
	start = trailer_block(message, end);
	at = end;
	for (p = start < 0 ? end : (size_t)start; p < end;) {
		const char *line = message + p;
		size_t len = strcspn(line, "\n"), tn = token_len(line);
		const char *v = line + tn + 1;
		size_t vlen = len > tn ? len - tn - 1 : 0;

		while (vlen && (*v == ' ' || *v == '\t')) {
			v++;
			vlen--;
		}
		while (vlen && isspace((unsigned char)v[vlen - 1]))
			vlen--;
		if (tn == kn && !strncasecmp(line, key, kn) &&
		    vlen == strlen(value) && !memcmp(v, value, vlen))
			return NULL;
		if (!at_end && at == end && tn == strlen("Signed-off-by") &&
		    !strncasecmp(line, "Signed-off-by", tn) &&
		    (!signer || memmem(v, vlen, signer, strlen(signer))))
			at = p;
		p += len + 1;
	}
	kx_buf_add(&b, message, at);
	if (start < 0)
		kx_buf_adds(&b, "\n\n");
	else if (at == end)
		kx_buf_adds(&b, "\n");
	kx_buf_addf(&b, "%s: %s", key, value);
	if (at < end) {
		kx_buf_adds(&b, "\n");
		kx_buf_add(&b, message + at, end - at);
	}
	kx_buf_adds(&b, "\n");
	/* the "---" line and the notes below it, as they were, the last line ended */
	if (cut < strlen(message)) {
		kx_buf_add(&b, message + end + 1, cut - end - 1);
		kx_buf_adds(&b, message + cut);
		if (b.buf[b.len - 1] != '\n')
			kx_buf_adds(&b, "\n");
	}
	return kx_buf_detach(&b);
}

char *kx_message_add_trailer(const char *message, const char *key,
			     const char *value, const char *signer)
{
	return insert_trailer(message, key, value, signer, false);
}

char *kx_message_append_trailer(const char *message, const char *key,
				const char *value)
{
	return insert_trailer(message, key, value, NULL, true);
}

const char *kx_test_build_name(enum kx_test_build b)
{
	switch (b) {
	case KX_BUILD_LINKED:
		return "linked";
	case KX_BUILD_COMPILED:
		return "compiled";
	case KX_BUILD_DECLARED:
		return "build";
	case KX_BUILD_COMMAND:
		break;
	}
	return "command";
}

enum kx_test_build kx_test_build_parse(const char *name)
{
	if (name && !strcmp(name, "linked"))
		return KX_BUILD_LINKED;
	if (name && !strcmp(name, "compiled"))
		return KX_BUILD_COMPILED;
	if (name && !strcmp(name, "build"))
		return KX_BUILD_DECLARED;
	return KX_BUILD_COMMAND;
}
