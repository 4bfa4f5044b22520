/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Text from outside (commits, config, b4, lore, the state file) on its way
 * to a mail header, a terminal or a log: what may pass, and how what may
 * not is shown.  Pure code.
 */
#ifndef KVMX86_SAFE_H
#define KVMX86_SAFE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvmx86/util.h"

/*
 * Returns true if the n bytes of s are UTF-8 as RFC 3629 defines it: no
 * overlong forms, no surrogates, nothing past U+10FFFF, no NUL.
 */
bool kx_utf8_valid(const char *s, size_t n);

/*
 * Decodes the UTF-8 character at s (n bytes left) into *cp; returns its
 * length, or 0 if the bytes are not UTF-8 as RFC 3629 has it.
 */
size_t kx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp);

/*
 * Returns the longest length, at most n, of s cut between two characters
 * of UTF-8 rather than inside one (s holds more than n bytes, or n is
 * its length).
 */
size_t kx_utf8_cut(const char *s, size_t n);

/*
 * Checks text that becomes part of a mail header (a subject prefix, a
 * subject, a name, an address, a change-id): one line of valid UTF-8 of at
 * most max bytes without control characters (C0 with TAB, CR and LF, DEL,
 * C1).  Returns 0, or KX_EINVALID with a message that names field and
 * shows the text escaped ("prefix 'RFC^JBcc: x' holds a line break").
 */
int kx_header_text_check(const char *field, const char *text, size_t max);

/* kx_buf_add_escaped() flags: what passes as it is. */
#define KX_ESCAPE_KEEP_NL	1u	/* LF: text of several lines */
#define KX_ESCAPE_KEEP_TAB	2u

/*
 * Appends the n bytes of s to b so that a terminal shows them and obeys
 * none of them: C0 controls and DEL in caret notation as cat -v and git
 * show them (ESC "^[", CR "^M", BEL "^G", DEL "^?"), C1 controls
 * (U+0080-U+009F) and bytes that are not UTF-8 as "<XX>" per byte, as
 * less(1) does.  LF and TAB pass with the flags above.
 */
void kx_buf_add_escaped(struct kx_buf *b, const char *s, size_t n,
			unsigned flags);

/* Returns s escaped as kx_buf_add_escaped() does (caller frees). */
char *kx_escape(const char *s, unsigned flags);

/* Returns true if kx_escape(s, flags) would change s. */
bool kx_needs_escape(const char *s, unsigned flags);

/*
 * Appends w as one word for a shell: as it is when it has only
 * [A-Za-z0-9-_./=:@+,%], else in single quotes ('\'' for a quote); with
 * a control character (C0, DEL, C1) or a byte that is no UTF-8, as bash's
 * and zsh's $'...' (\n, \t, \xHH), so that the word shows on one line
 * and pastes back the same.
 */
void kx_buf_add_shell_word(struct kx_buf *b, const char *w);

/* Returns w as kx_buf_add_shell_word() writes it (caller frees). */
char *kx_shell_word(const char *w);

/*
 * Returns text as UTF-8 (caller frees): a copy if it is UTF-8 already,
 * else text read as Windows-1252, the superset of Latin-1 (ISO-8859-1)
 * that editors write, with *converted set.  Never drops a byte: the five
 * bytes Windows-1252 leaves undefined become U+0081... as WHATWG maps them.
 */
char *kx_text_to_utf8(const char *text, bool *converted);

/*
 * Returns url without its user-info: "https://alice:pw@host/all" becomes
 * "https://host/all" (caller frees).  A URL without "://" or user-info is
 * copied as it is.
 */
char *kx_url_redact(const char *url);

#endif
