/* SPDX-License-Identifier: GPL-2.0-only */
/* Line classes that the changelog and prose rules share (internal). */
#ifndef KVMX86_RULES_TEXT_H
#define KVMX86_RULES_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* Length of a "Token:" at the start of s (letters, digits, '-'), or 0. */
size_t kx_text_token_len(const char *s);

/* Returns true for a tag line wherever it stands: "Fixes:", "Acked-by:"... */
bool kx_text_is_tag_line(const char *s);

#endif
