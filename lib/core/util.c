// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kvmx86/util.h"

static void *die_oom(void)
{
	fputs("fatal: out of memory\n", stderr);
	abort();
}

void *kx_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : die_oom();
}

void *kx_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	return p ? p : die_oom();
}

void *kx_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	return q ? q : die_oom();
}

char *kx_xstrdup(const char *s)
{
	return kx_xstrndup(s, strlen(s));
}

char *kx_xstrndup(const char *s, size_t n)
{
	char *p = kx_xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *kx_xstrndup_trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return kx_xstrndup(s, n);
}

static char *vasprintf_or_die(const char *fmt, va_list ap)
{
	va_list cp;
	int n;
	char *p;

	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		n = 0;
	p = kx_xmalloc((size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *kx_xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = vasprintf_or_die(fmt, ap);
	va_end(ap);
	return p;
}

void kx_grow(void **items, size_t *alloc, size_t nr, size_t elem)
{
	size_t n;

	if (nr + 1 <= *alloc)
		return;
	n = *alloc ? *alloc * 2 : 8;
	while (n < nr + 1)
		n *= 2;
	*items = kx_xrealloc(*items, n * elem);
	memset((char *)*items + *alloc * elem, 0, (n - *alloc) * elem);
	*alloc = n;
}

bool kx_starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

bool kx_ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

void kx_strlist_add(struct kx_strlist *l, const char *s)
{
	kx_grow((void **)&l->items, &l->alloc, l->nr, sizeof(*l->items));
	l->items[l->nr++] = kx_xstrdup(s);
}

void kx_strlist_addf(struct kx_strlist *l, const char *fmt, ...)
{
	va_list ap;

	kx_grow((void **)&l->items, &l->alloc, l->nr, sizeof(*l->items));
	va_start(ap, fmt);
	l->items[l->nr++] = vasprintf_or_die(fmt, ap);
	va_end(ap);
}

const char **kx_strlist_argv(const struct kx_strlist *l)
{
	const char **argv = kx_xcalloc(l->nr + 1, sizeof(*argv));
	size_t i;

	for (i = 0; i < l->nr; i++)
		argv[i] = l->items[i];
	return argv;
}

void kx_strlist_release(struct kx_strlist *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		free(l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}

bool kx_strlist_has(const struct kx_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		if (!strcmp(l->items[i], s))
			return true;
	return false;
}

void kx_buf_add(struct kx_buf *b, const void *data, size_t n)
{
	size_t want = b->len + n + 1;

	if (want > b->alloc) {
		size_t a = b->alloc ? b->alloc : 64;

		while (a < want)
			a *= 2;
		b->buf = kx_xrealloc(b->buf, a);
		b->alloc = a;
	}
	if (n)
		memcpy(b->buf + b->len, data, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void kx_buf_adds(struct kx_buf *b, const char *s)
{
	kx_buf_add(b, s, strlen(s));
}

void kx_buf_addc(struct kx_buf *b, char c)
{
	/* a byte at a time is how escapers and parsers fill a buffer: no
	 * memcpy() call while there is room */
	if (b->len + 2 > b->alloc) {
		kx_buf_add(b, &c, 1);
		return;
	}
	b->buf[b->len++] = c;
	b->buf[b->len] = '\0';
}

void kx_buf_add_utf8(struct kx_buf *b, unsigned long c)
{
	char u[4];

	if (c < 0x80) {
		kx_buf_addc(b, (char)c);
	} else if (c < 0x800) {
		u[0] = (char)(0xc0 | c >> 6);
		u[1] = (char)(0x80 | (c & 0x3f));
		kx_buf_add(b, u, 2);
	} else if (c < 0x10000) {
		u[0] = (char)(0xe0 | c >> 12);
		u[1] = (char)(0x80 | (c >> 6 & 0x3f));
		u[2] = (char)(0x80 | (c & 0x3f));
		kx_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xf0 | c >> 18);
		u[1] = (char)(0x80 | (c >> 12 & 0x3f));
		u[2] = (char)(0x80 | (c >> 6 & 0x3f));
		u[3] = (char)(0x80 | (c & 0x3f));
		kx_buf_add(b, u, 4);
	}
}

void kx_buf_addf(struct kx_buf *b, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = vasprintf_or_die(fmt, ap);
	va_end(ap);
	kx_buf_adds(b, p);
	free(p);
}

char *kx_buf_detach(struct kx_buf *b)
{
	char *s = b->buf ? b->buf : kx_xstrdup("");

	b->buf = NULL;
	b->len = b->alloc = 0;
	return s;
}

void kx_buf_release(struct kx_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->alloc = 0;
}

/* KVMX86_TRACE_PERFORMANCE=1: phase timings on stderr (git's GIT_TRACE_*). */
void kx_trace(const char *phase)
{
	static int enabled = -1;
	static struct timespec t0;
	struct timespec t;

	if (enabled < 0) {
		const char *v = getenv("KVMX86_TRACE_PERFORMANCE");

		enabled = v && *v && strcmp(v, "0");
		clock_gettime(CLOCK_MONOTONIC, &t0);
	}
	if (!enabled)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	fprintf(stderr, "trace: %9.3f ms %s\n",
		(double)(t.tv_sec - t0.tv_sec) * 1e3 +
		(double)(t.tv_nsec - t0.tv_nsec) / 1e6, phase);
}

int kx_split_words(struct kx_strlist *out, const char *s)
{
	char *word = kx_xmalloc(strlen(s) + 1);
	bool in_word = false;
	size_t n = 0;

	for (;;) {
		char c = *s++;

		if (c == '\0' || c == ' ' || c == '\t' || c == '\n') {
			if (in_word) {
				word[n] = '\0';
				kx_strlist_add(out, word);
				n = 0;
				in_word = false;
			}
			if (!c)
				break;
		} else if (c == '\'' || c == '"') {
			const char quote = c;

			in_word = true;
			while (*s && *s != quote) {
				if (quote == '"' && *s == '\\' && s[1])
					s++;
				word[n++] = *s++;
			}
			if (!*s) {
				free(word);
				return -1;
			}
			s++;
		} else if (c == '\\') {
			in_word = true;
			if (*s)
				word[n++] = *s++;
		} else {
			in_word = true;
			word[n++] = c;
		}
	}
	free(word);
	return 0;
}
