// SPDX-License-Identifier: GPL-2.0-only
/*
 * The changelog body that the changelog rules (changelog.c) and the prose
 * rules (prose.c) read: one model, so that they cannot disagree about what
 * is prose.  Prose is what is left when the blank lines, the trailers, the
 * quoted ("> ") and indented lines (code, logs, manual text), kernel logs
 * pasted flush left and git am's in-body From: are taken out.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/util.h"
#include "text.h"

bool kx_text_is_blank(const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	return !*s;
}

size_t kx_text_token_len(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '-')
		n++;
	return n && s[n] == ':' ? n : 0;
}

bool kx_text_is_tag_line(const char *s)
{
	static const char *const keys[] = {
		"Fixes", "Link", "Closes", "Cc", "Bcc", "To", "BugLink", "Bug",
	};
	size_t n = kx_text_token_len(s), i;

	if (!n)
		return false;
	if (memchr(s, '-', n))
		return true;
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		if (strlen(keys[i]) == n && !strncasecmp(s, keys[i], n))
			return true;
	return false;
}

bool kx_text_is_log_line(const char *s)
{
	static const char *const starts[] = {
		"Call Trace:", "RIP: ", "RSP: ", "Code: ", "<TASK>", "</TASK>",
		"WARNING: ", "BUG: ", "Modules linked in:", "Hardware name:",
		"CPU: ", "---[ ", "general protection fault",
	};
	const char *plus = strstr(s, "+0x");
	size_t i;

	while (*s == ' ')
		s++;
	for (i = 0; i < ARRAY_SIZE(starts); i++)
		if (kx_starts_with(s, starts[i]))
			return true;
	if (plus && strstr(plus, "/0x"))
		return true;
	if (*s++ != '[')
		return false;
	while (*s == ' ')
		s++;
	if (!isdigit((unsigned char)*s))
		return false;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == '.';
}

/*
 * Is the paragraph [start, end) all trailers (tags, indented continuations
 * and maintainers' "[name: note]" lines)?  "Note:" alone makes none.
 */
static bool trailer_paragraph(const struct kx_text_body *b, size_t start,
			      size_t end)
{
	size_t i, tags = 0;

	for (i = start; i < end; i++) {
		const char *s = b->items[i].text;

		if (kx_text_is_tag_line(s))
			tags++;
		else if (*s != ' ' && *s != '\t' && *s != '[')
			return false;
	}
	return tags > 0;
}

/*
 * Indented: a tab or two spaces, as the rule catalog has it, and one space
 * too, unless the line continues a flush-left line of prose (a subject in
 * quotes wrapped with a leading space).  Pasted register dumps and diagrams often
 * keep one leading space, and read as prose they make rules cry wolf (a
 * 75-column warning on a register dump).
 */
static bool is_indented(const char *s, bool after_prose)
{
	if (*s == '\t' || kx_starts_with(s, "  "))
		return true;
	return *s == ' ' && !after_prose;
}

/* Classifies the lines of the paragraph [start, end). */
static void classify(struct kx_text_body *b, size_t start, size_t end,
		     size_t *para)
{
	bool log = false, prose = false;
	size_t i;

	if (trailer_paragraph(b, start, end)) {
		for (i = start; i < end; i++)
			b->items[i].kind = KX_TEXT_TRAILER;
		return;
	}
	for (i = start; i < end; i++) {
		struct kx_text_line *l = &b->items[i];
		const char *s = l->text;

		if (l->kind == KX_TEXT_HEADER)
			continue;
		if (kx_text_is_tag_line(s))
			l->kind = KX_TEXT_TRAILER;
		else if (*s == '>')
			l->kind = KX_TEXT_QUOTE;
		else if (is_indented(s, i > start &&
				     b->items[i - 1].kind == KX_TEXT_PROSE &&
				     !isspace((unsigned char)b->items[i - 1].text[0])))
			l->kind = KX_TEXT_INDENT;
		/* a log runs to the end of its paragraph */
		else if (log || (log = kx_text_is_log_line(s)))
			l->kind = KX_TEXT_LOG;
		else
			l->kind = KX_TEXT_PROSE;
		l->para = *para;
		prose |= l->kind == KX_TEXT_PROSE;
	}
	*para += prose;
}

void kx_text_body_read(struct kx_text_body *b, const char *body)
{
	const char *p = body ? body : "";
	size_t i, start, para = 0;
	bool first = true;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		struct kx_text_line *l;

		if (len && p[len - 1] == '\r')
			len--;
		if ((len == 3 && !strncmp(p, "---", 3)) ||
		    (len > 3 && !strncmp(p, "--- ", 4)))
			break;
		kx_grow((void **)&b->items, &b->alloc, b->nr,
			sizeof(*b->items));
		l = &b->items[b->nr++];
		l->text = kx_xstrndup(p, len);
		l->kind = kx_text_is_blank(l->text) ? KX_TEXT_BLANK :
						       KX_TEXT_PROSE;
		l->para = 0;
		/* git am's in-body From:, then Date: and Subject: */
		if (l->kind != KX_TEXT_BLANK &&
		    (first ? kx_starts_with(l->text, "From:") :
		     b->nr > 1 && b->items[b->nr - 2].kind == KX_TEXT_HEADER &&
		     (kx_starts_with(l->text, "Date:") ||
		      kx_starts_with(l->text, "Subject:"))))
			l->kind = KX_TEXT_HEADER;
		first &= l->kind == KX_TEXT_BLANK;
		if (!nl)
			break;
		p = nl + 1;
	}
	for (i = 0; i < b->nr;) {
		if (b->items[i].kind == KX_TEXT_BLANK) {
			i++;
			continue;
		}
		start = i;
		while (i < b->nr && b->items[i].kind != KX_TEXT_BLANK)
			i++;
		classify(b, start, i, &para);
	}
}

void kx_text_body_release(struct kx_text_body *b)
{
	size_t i;

	for (i = 0; i < b->nr; i++)
		free(b->items[i].text);
	free(b->items);
	memset(b, 0, sizeof(*b));
}
