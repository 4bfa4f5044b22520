/* SPDX-License-Identifier: GPL-2.0-only */
/* "Did you mean": the choice closest to a mistyped word, as git offers. */
#ifndef KVMX86_SUGGEST_H
#define KVMX86_SUGGEST_H

#include <stddef.h>

/*
 * Returns the choice (one of nr; NULL entries are skipped) closest to word
 * by edit distance (a swap of two neighbours counts once, as in git's
 * help.c), or NULL when none is close enough to be what was meant: at
 * most a third of the longer word's length, and never more than 3 edits.
 */
const char *kx_suggest(const char *word, const char *const *choices, size_t nr);

#endif
