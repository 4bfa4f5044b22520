// SPDX-License-Identifier: GPL-2.0-only
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/cover.h"

char *kx_cover_subject_line(const struct kx_strlist *prefixes,
			    unsigned revision, size_t index, size_t total,
			    const char *subject)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	kx_buf_adds(&b, "[PATCH");
	for (i = 0; prefixes && i < prefixes->nr; i++)
		kx_buf_addf(&b, " %s", prefixes->items[i]);
	if (revision > 1)
		kx_buf_addf(&b, " v%u", revision);
	if (total > 1) {
		/* git pads the number to the width of the total */
		int width = snprintf(NULL, 0, "%zu", total);

		kx_buf_addf(&b, " %0*zu/%zu", width, index, total);
	}
	kx_buf_addf(&b, "] %s", subject);
	return kx_buf_detach(&b);
}

/* A line "vN:" or "vN: <link>": returns N (0: not a header), sets *link. */
static unsigned parse_header(const char *line, size_t len, const char **link,
			     size_t *link_len)
{
	size_t i = 1;
	unsigned long n = 0;

	if (len < 3 || line[0] != 'v' || !isdigit((unsigned char)line[1]))
		return 0;
	while (i < len && isdigit((unsigned char)line[i]) && n < 100000)
		n = n * 10 + (unsigned long)(line[i++] - '0');
	if (i >= len || line[i] != ':' || n == 0 || n >= 100000)
		return 0;
	i++;
	while (i < len && (line[i] == ' ' || line[i] == '\t'))
		i++;
	while (len > i && isspace((unsigned char)line[len - 1]))
		len--;
	/* "v2: foo bar" is prose; only a link (one word) may follow */
	if (memchr(line + i, ' ', len - i))
		return 0;
	*link = line + i;
	*link_len = len - i;
	return (unsigned)n;
}

static bool blank(const char *line, size_t len)
{
	while (len && isspace((unsigned char)*line)) {
		line++;
		len--;
	}
	return !len;
}

static char *trimmed_copy(const char *s, size_t n)
{
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	while (n && (*s == '\n' || *s == '\r')) {
		s++;
		n--;
	}
	return kx_xstrndup(s, n);
}

/* Returns true if the headers from line start on are newest first. */
static bool sections_from(const char *start)
{
	const char *p = start, *link;
	size_t link_len;
	unsigned last = 0, n;

	while (*p) {
		size_t len = strcspn(p, "\n");

		n = parse_header(p, len, &link, &link_len);
		if (n) {
			if (last && n >= last)
				return false;
			last = n;
		}
		p += len + (p[len] == '\n');
	}
	return last != 0;
}

void kx_cover_text_parse(struct kx_cover_text *out, const char *body)
{
	const char *p = body, *start = NULL, *link;
	bool after_blank = true;
	size_t link_len;

	memset(out, 0, sizeof(*out));
	while (*p) {
		size_t len = strcspn(p, "\n");

		if (after_blank && parse_header(p, len, &link, &link_len) &&
		    sections_from(p)) {
			start = p;
			break;
		}
		after_blank = blank(p, len);
		p += len + (p[len] == '\n');
	}
	if (!start) {
		out->sections_at = strlen(body);
		out->blurb = trimmed_copy(body, out->sections_at);
		return;
	}
	out->sections_at = (size_t)(start - body);
	out->blurb = trimmed_copy(body, out->sections_at);
	p = start;
	while (*p) {
		size_t len = strcspn(p, "\n");
		unsigned n = parse_header(p, len, &link, &link_len);
		const char *text;
		struct kx_version_notes *v;

		/* sections_from() vouched for the first line */
		p += len + (p[len] == '\n');
		text = p;
		while (*p) {
			const char *l2;
			size_t len2 = strcspn(p, "\n"), ll;

			if (parse_header(p, len2, &l2, &ll))
				break;
			p += len2 + (p[len2] == '\n');
		}
		kx_grow((void **)&out->notes, &out->notes_alloc, out->notes_nr,
			sizeof(*out->notes));
		v = &out->notes[out->notes_nr++];
		v->revision = n;
		v->link = link_len ? kx_xstrndup(link, link_len) : NULL;
		v->text = trimmed_copy(text, (size_t)(p - text));
	}
}

void kx_cover_text_release(struct kx_cover_text *t)
{
	size_t i;

	for (i = 0; i < t->notes_nr; i++) {
		free(t->notes[i].link);
		free(t->notes[i].text);
	}
	free(t->notes);
	free(t->blurb);
	memset(t, 0, sizeof(*t));
}

const struct kx_version_notes *kx_cover_text_notes(const struct kx_cover_text *t,
						   unsigned revision)
{
	size_t i;

	for (i = 0; i < t->notes_nr; i++)
		if (t->notes[i].revision == revision)
			return &t->notes[i];
	return NULL;
}

char *kx_cover_changelog(const struct kx_cover_text *t, unsigned revision,
			 const struct kx_version_link *links, size_t links_nr)
{
	struct kx_buf b = KX_BUF_INIT;
	unsigned k;

	if (revision <= 1)
		return kx_xstrdup("");
	for (k = revision; k >= 1; k--) {
		const struct kx_version_notes *v = kx_cover_text_notes(t, k);
		const struct kx_version_link *l = NULL;
		size_t i;

		for (i = 0; i < links_nr; i++)
			if (links[i].revision == k)
				l = &links[i];
		if (b.len)
			kx_buf_adds(&b, "\n\n");
		kx_buf_addf(&b, "v%u:", k);
		if (k < revision) {
			if (l && l->url)
				kx_buf_addf(&b, " %s", l->url);
			else if (v && v->link)
				kx_buf_addf(&b, " %s", v->link);
			else
				kx_buf_addf(&b, " EDITME: %s",
					    l && l->missing ? l->missing :
					    "no lore link is known");
		}
		if (v && *v->text)
			kx_buf_addf(&b, "\n%s", v->text);
		else if (k == revision)
			kx_buf_addf(&b, "\n - EDITME: what changed in v%u, in terse bullets",
				    k);
	}
	return kx_buf_detach(&b);
}

const char kx_cover_default_template[] =
	"${cover}\n"
	"\n"
	"${changelog}\n"
	"\n"
	"${testing}\n"
	"\n"
	"---\n"
	"${shortlog}\n"
	"\n"
	"${diffstat}\n"
	"\n"
	"${range_diff}\n"
	"\n"
	"base-commit: ${base_commit}\n"
	"${prerequisites}\n"
	"change-id: ${change_id}\n"
	"-- \n"
	"${signature}\n";

const char kx_cover_single_template[] =
	"${cover}\n"
	"\n"
	"${changelog}\n"
	"\n"
	"${testing}\n"
	"\n"
	"${range_diff}\n"
	"\n"
	"base-commit: ${base_commit}\n"
	"${prerequisites}\n"
	"change-id: ${change_id}\n";

static const char *block(const struct kx_cover_blocks *b, const char *name,
			 size_t n, bool *known)
{
	static const struct {
		const char *name;
		size_t off;
	} names[] = {
#define B(x) { #x, offsetof(struct kx_cover_blocks, x) }
		B(cover), B(changelog), B(testing), B(shortlog), B(diffstat),
		B(range_diff), B(base_commit), B(prerequisites), B(change_id),
		B(signature),
#undef B
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i].name) == n && !memcmp(names[i].name, name, n)) {
			const char *v = *(const char *const *)
				((const char *)b + names[i].off);

			*known = true;
			return v ? v : "";
		}
	*known = false;
	return "";
}

/* The length of v without its trailing newlines. */
static size_t value_len(const char *v)
{
	size_t n = strlen(v);

	while (n && (v[n - 1] == '\n' || v[n - 1] == '\r'))
		n--;
	return n;
}

/* A line that is only "Key: " (or nothing) once its placeholders are gone. */
static bool only_label(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-'))
		i++;
	if (i && i < n && s[i] == ':')
		i++;
	else
		i = 0;
	return blank(s + i, n - i);
}

char *kx_cover_render(const char *template, const struct kx_cover_blocks *b,
		      char **bad)
{
	struct kx_buf out = KX_BUF_INIT, line = KX_BUF_INIT, rest = KX_BUF_INIT;
	const char *p = template;
	bool last_blank = true;

	*bad = NULL;
	while (*p) {
		size_t len = strcspn(p, "\n"), i = 0;
		bool any = false, all_empty = true;

		line.len = rest.len = 0;
		kx_buf_adds(&line, "");
		kx_buf_adds(&rest, "");
		while (i < len) {
			const char *q = p + i;
			size_t n;
			const char *v;
			bool known;

			if (q[0] != '$' || i + 1 >= len || q[1] != '{' ||
			    !(n = strcspn(q + 2, "}\n")) || q[2 + n] != '}') {
				kx_buf_add(&line, q, 1);
				kx_buf_add(&rest, q, 1);
				i++;
				continue;
			}
			v = block(b, q + 2, n, &known);
			if (!known) {
				*bad = kx_xstrndup(q, n + 3);
				kx_buf_release(&out);
				kx_buf_release(&line);
				kx_buf_release(&rest);
				return NULL;
			}
			any = true;
			if (value_len(v))
				all_empty = false;
			kx_buf_add(&line, v, value_len(v));
			i += n + 3;
		}
		p += len + (p[len] == '\n');
		if (any && all_empty && only_label(rest.buf, rest.len))
			continue;
		if (blank(line.buf, line.len)) {
			if (last_blank)
				continue;
			last_blank = true;
		} else {
			last_blank = false;
		}
		kx_buf_add(&out, line.buf, line.len);
		kx_buf_adds(&out, "\n");
	}
	/* no blank line at the end */
	while (out.len >= 2 && out.buf[out.len - 1] == '\n' && out.buf[out.len - 2] == '\n')
		out.buf[--out.len] = '\0';
	kx_buf_release(&line);
	kx_buf_release(&rest);
	return kx_buf_detach(&out);
}

void kx_cover_diffstat_argv(const char *argv[11], const char *from,
			    const char *end)
{
	const char *const words[] = { "git", "--no-pager", "diff", "--no-color",
				      "--no-ext-diff", "--no-textconv",
				      "--stat=72", "--summary" };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		argv[i] = words[i];
	argv[i++] = from;
	argv[i++] = end;
	argv[i] = NULL;
}

/* Is s printable ASCII (spaces included)?  git measures the rest itself. */
static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

char *kx_shortlog_subject(const char *message)
{
	struct kx_buf b = KX_BUF_INIT;
	const char *p = message, *s, *end;
	char *subject;
	bool first = true;

	/* git's %s: the first paragraph, lines joined by ' ' */
	while (*p == '\n')
		p++;
	while (*p) {
		size_t len = strcspn(p, "\n");
		size_t trimmed = len;

		while (trimmed && isspace((unsigned char)p[trimmed - 1]))
			trimmed--;
		if (!trimmed)
			break;
		if (!first)
			kx_buf_adds(&b, " ");
		kx_buf_add(&b, p, trimmed);
		first = false;
		p += len + (p[len] == '\n');
	}
	subject = kx_buf_detach(&b);
	/* shortlog: no leading blanks, no "[PATCH ...]" */
	s = subject;
	while (*s && isspace((unsigned char)*s))
		s++;
	if (kx_starts_with(s, "[PATCH") && strchr(s, ']'))
		s = strchr(s, ']') + 1;
	while (*s && isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	s = kx_xstrndup(s, (size_t)(end - s));
	free(subject);
	if (!plain_ascii(s)) {
		free((char *)s);
		return NULL;
	}
	return (char *)s;
}

void kx_shortlog_wrap(struct kx_buf *out, const char *text, int indent1,
		      int indent2, int width)
{
	const char *bol = text, *space = NULL;
	int w = indent1, indent = indent1;

	/* git's utf8.c strbuf_add_wrapped_text(), for one line of ASCII */
	if (indent < 0) {
		w = -indent;
		space = text;
	}
	for (;;) {
		char c = *text;

		if (!c || c == ' ') {
			if (w <= width || !space) {
				const char *start = bol;
				int i;

				if (!c && text == start)
					return;
				if (space)
					start = space;
				else
					for (i = 0; i < indent; i++)
						kx_buf_addc(out, ' ');
				kx_buf_add(out, start, (size_t)(text - start));
				if (!c)
					return;
				space = text;
				w++;
				text++;
			} else {
				kx_buf_addc(out, '\n');
				text = bol = space + (*space == ' ');
				space = NULL;
				w = indent = indent2;
			}
			continue;
		}
		w++;
		text++;
	}
}

static int cmp_author(const void *a, const void *b)
{
	const struct kx_shortlog_entry *x = *(const struct kx_shortlog_entry *const *)a;
	const struct kx_shortlog_entry *y = *(const struct kx_shortlog_entry *const *)b;
	int c = strcmp(x->author, y->author);

	/* a stable sort: the series order within an author */
	return c ? c : x < y ? -1 : x > y;
}

char *kx_shortlog_format(const struct kx_shortlog_entry *entries, size_t nr)
{
	const struct kx_shortlog_entry **sorted;
	struct kx_buf b = KX_BUF_INIT;
	char **subjects;
	size_t i, j;
	bool ok = true;

	sorted = kx_xcalloc(nr ? nr : 1, sizeof(*sorted));
	subjects = kx_xcalloc(nr ? nr : 1, sizeof(*subjects));
	for (i = 0; i < nr; i++) {
		sorted[i] = &entries[i];
		if (!(subjects[i] = kx_shortlog_subject(entries[i].message)))
			ok = false;
	}
	if (!ok)
		goto done;
	qsort(sorted, nr, sizeof(*sorted), cmp_author);
	for (i = 0; i < nr; i = j) {
		for (j = i; j < nr && !strcmp(sorted[j]->author, sorted[i]->author); j++)
			;
		kx_buf_addf(&b, "%s (%zu):\n", sorted[i]->author, j - i);
		for (size_t k = i; k < j; k++) {
			kx_shortlog_wrap(&b, subjects[sorted[k] - entries], 2, 4, 72);
			kx_buf_addc(&b, '\n');
		}
		kx_buf_addc(&b, '\n');
	}
done:
	for (i = 0; i < nr; i++)
		free(subjects[i]);
	free(subjects);
	free(sorted);
	if (!ok) {
		kx_buf_release(&b);
		return NULL;
	}
	return kx_buf_detach(&b);
}
