/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A changelog body as the rules read it (internal to the rules): its lines
 * up to "---", each classified once, so that the changelog rules and the
 * prose rules agree on what is prose, a trailer, a quote or a pasted log.
 */
#ifndef KVMX86_RULES_TEXT_H
#define KVMX86_RULES_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* What a line of the body is. */
enum kx_text_kind {
	KX_TEXT_BLANK,
	KX_TEXT_PROSE,
	KX_TEXT_TRAILER,	/* a tag, or in a paragraph of trailers */
	KX_TEXT_QUOTE,		/* "> " */
	KX_TEXT_INDENT,		/* indented: code, logs, manual text */
	KX_TEXT_LOG,		/* a kernel log pasted flush left, to the
				   end of its paragraph */
	KX_TEXT_HEADER,		/* a leading in-body From: (Date:, Subject:) */
};

struct kx_text_line {
	char *text;		/* without the newline (or a '\r') */
	enum kx_text_kind kind;
	size_t para;		/* its paragraph, counting those with prose */
};

struct kx_text_body {
	struct kx_text_line *items;
	size_t nr, alloc;
};
#define KX_TEXT_BODY_INIT { NULL, 0, 0 }

/* Splits body (NULL is empty) up to a "---" line into b's lines, classified. */
void kx_text_body_read(struct kx_text_body *b, const char *body);

/* Frees b's lines and empties it. */
void kx_text_body_release(struct kx_text_body *b);

/* Returns true if s is empty or only white space. */
bool kx_text_is_blank(const char *s);

/*
 * Returns true for a line of a kernel log or backtrace pasted flush left:
 * "[   12.345678] ...", "RIP: 0010:...", "kvm_mmu_page_fault+0x1d/0x40".
 */
bool kx_text_is_log_line(const char *s);

/* Length of a "Token:" at the start of s (letters, digits, '-'), or 0. */
size_t kx_text_token_len(const char *s);

/* Returns true for a tag line wherever it stands: "Fixes:", "Acked-by:"... */
bool kx_text_is_tag_line(const char *s);

#endif
