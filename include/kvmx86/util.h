/* SPDX-License-Identifier: GPL-2.0-only */
/* Small allocation and string helpers shared by every module. */
#ifndef KVMX86_UTIL_H
#define KVMX86_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Like malloc/calloc/realloc/strdup, but aborts when memory runs out. */
void *kx_xmalloc(size_t n);
void *kx_xcalloc(size_t nmemb, size_t size);
void *kx_xrealloc(void *p, size_t n);
char *kx_xstrdup(const char *s);
char *kx_xstrndup(const char *s, size_t n);

/* Returns a copy of the n bytes of s without leading and trailing blanks. */
char *kx_xstrndup_trimmed(const char *s, size_t n);

/* Returns a newly allocated printf-formatted string; aborts on ENOMEM. */
char *kx_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Grows *items (of *alloc elements of size elem) to hold at least nr + 1. */
void kx_grow(void **items, size_t *alloc, size_t nr, size_t elem);

/* Returns true if s starts with prefix. */
bool kx_starts_with(const char *s, const char *prefix);

/* Returns true if s ends with suffix. */
bool kx_ends_with(const char *s, const char *suffix);

/* A list of owned strings. */
struct kx_strlist {
	char **items;
	size_t nr, alloc;
};
#define KX_STRLIST_INIT { NULL, 0, 0 }

/* Appends a copy of s. */
void kx_strlist_add(struct kx_strlist *l, const char *s);

/* Appends a printf-formatted string. */
void kx_strlist_addf(struct kx_strlist *l, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Frees every string and empties the list; the list may be reused. */
void kx_strlist_release(struct kx_strlist *l);

/* Returns true if l holds a string equal to s. */
bool kx_strlist_has(const struct kx_strlist *l, const char *s);

/*
 * Returns l's strings as a NULL-terminated array for an argv (free the
 * array only; the strings stay l's).
 */
const char **kx_strlist_argv(const struct kx_strlist *l);

/* A growing byte buffer, always NUL-terminated once something was added. */
struct kx_buf {
	char *buf;
	size_t len, alloc;
};
#define KX_BUF_INIT { NULL, 0, 0 }

/* Appends n bytes of data. */
void kx_buf_add(struct kx_buf *b, const void *data, size_t n);

/* Appends the string s. */
void kx_buf_adds(struct kx_buf *b, const char *s);

/* Appends the byte c. */
void kx_buf_addc(struct kx_buf *b, char c);

/* Appends code point c (below 0x110000) as UTF-8. */
void kx_buf_add_utf8(struct kx_buf *b, unsigned long c);

/* Appends a printf-formatted string. */
void kx_buf_addf(struct kx_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Returns the contents ("" if empty; caller frees) and empties b. */
char *kx_buf_detach(struct kx_buf *b);

/* Frees the contents and empties b; b may be reused. */
void kx_buf_release(struct kx_buf *b);

/*
 * Splits s into words at blanks, as a shell would with quotes ('...',
 * "..." with backslash escapes, \\x) but nothing else: no variables, no
 * globbing, no operators.  Appends them to out; returns 0, or -1 for an
 * unterminated quote.
 */
int kx_split_words(struct kx_strlist *out, const char *s);

/*
 * With KVMX86_TRACE_PERFORMANCE set (not "0"), prints the time since the
 * first call and phase to stderr, as git's GIT_TRACE_PERFORMANCE does.
 */
void kx_trace(const char *phase);

#endif
