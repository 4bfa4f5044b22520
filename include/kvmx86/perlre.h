/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Perl regular expressions of a MAINTAINERS file (its N: and K:
 * values, and the F:/X: globs get_maintainer.pl turns into regexes),
 * matched as Perl matches them against bytes: the syntax those files use
 * (groups, (?:), (?i), (?i:...), alternation, classes, \b \s \w \d,
 * quantifiers) and the x flag.  A Thompson NFA: time linear in the text,
 * whatever the pattern.  Pure code.
 */
#ifndef KVMX86_PERLRE_H
#define KVMX86_PERLRE_H

#include <stdbool.h>
#include <stddef.h>

/* Flags of kx_perlre_compile(), Perl's /i /x /s /m. */
#define KX_RE_I 1u
#define KX_RE_X 2u
#define KX_RE_S 4u
#define KX_RE_M 8u

struct kx_perlre;

/*
 * Compiles pattern with flags into *out (caller frees with
 * kx_perlre_free()).  Returns 0, or KX_EINVALID with a message naming the
 * pattern and what is wrong or beyond this subset (back-references,
 * look-arounds).
 */
int kx_perlre_compile(struct kx_perlre **out, const char *pattern,
		      unsigned flags);

/* Returns whether re matches somewhere in the n bytes at s, as Perl's m//. */
bool kx_perlre_match(const struct kx_perlre *re, const char *s, size_t n);

/* Frees re (NULL is fine). */
void kx_perlre_free(struct kx_perlre *re);

#endif
