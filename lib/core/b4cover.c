// SPDX-License-Identifier: GPL-2.0-only
/*
 * b4's cover letter taken apart: what b4 0.12 writes there besides the
 * text (ez.py: the template's '#' help, `--auto-to-cc`'s To:/Cc:
 * trailers, the Signed-off-by: the template ends with, and on each reroll
 * a "---" section of "Changes in vN:" with "- Link to vK: <url>" and two
 * EDITME bullets).  b4 itself drops the '#' lines and sends the To:/Cc:
 * as recipients; kvmx86 keeps its own version notes as "vN:" sections
 * ending the cover body, so b4's become those.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/b4cover.h"
#include "kvmx86/cover.h"

/* b4's DEFAULT_CHANGELOG_TEMPLATE bullets: scaffolding, not notes. */
static const char *const template_bullets[] = {
	"- EDITME: describe what is new in this series revision.",
	"- EDITME: use bulletpoints and terse descriptions.",
};

struct note {
	unsigned rev;
	char *link;
	struct kx_buf text;
};

struct notes {
	struct note *items;
	size_t nr, alloc;
};

static bool is_blank(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return !*s;
}

static struct note *note_of(struct notes *n, unsigned rev)
{
	size_t i;

	for (i = 0; i < n->nr; i++)
		if (n->items[i].rev == rev)
			return &n->items[i];
	kx_grow((void **)&n->items, &n->alloc, n->nr, sizeof(*n->items));
	memset(&n->items[n->nr], 0, sizeof(n->items[n->nr]));
	n->items[n->nr].rev = rev;
	return &n->items[n->nr++];
}

/* Adds a line to a note's text: blank lines only between others. */
static void note_add(struct note *n, const char *line)
{
	if (!n->text.len && is_blank(line))
		return;
	if (n->text.len)
		kx_buf_addc(&n->text, '\n');
	kx_buf_adds(&n->text, line);
}

/* Parses "v<N>" at s; returns N (0 if none) and the end in *end. */
static unsigned version_at(const char *s, const char **end)
{
	unsigned long n = 0;

	if ((*s != 'v' && *s != 'V') || !isdigit((unsigned char)s[1]))
		return 0;
	for (s++; isdigit((unsigned char)*s) && n < 100000; s++)
		n = n * 10 + (unsigned long)(*s - '0');
	*end = s;
	return n && n < 100000 ? (unsigned)n : 0;
}

/* "Changes in v2:" (or "since"): returns 2, else 0. */
static unsigned changes_header(const char *s)
{
	const char *end;
	unsigned n;

	if (!strncasecmp(s, "Changes in ", 11))
		s += 11;
	else if (!strncasecmp(s, "Changes since ", 14))
		s += 14;
	else
		return 0;
	n = version_at(s, &end);
	if (!n || *end != ':' || !is_blank(end + 1))
		return 0;
	return n;
}

/* "- Link to v1: <url>": returns 1 and the url (one word) in *url. */
static unsigned link_line(const char *s, char **url)
{
	const char *end, *u;
	unsigned n;
	size_t len;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s++ != '-')
		return 0;
	while (*s == ' ')
		s++;
	if (strncasecmp(s, "Link to ", 8))
		return 0;
	n = version_at(s + 8, &end);
	if (!n || *end != ':')
		return 0;
	for (u = end + 1; *u == ' ' || *u == '\t'; u++)
		;
	len = strcspn(u, " \t");
	/* b4's "EDITME (not found in tracking)" is no link */
	*url = (!strncmp(u, "http://", 7) || !strncmp(u, "https://", 8)) &&
	       is_blank(u + len) ? kx_xstrndup(u, len) : NULL;
	return n;
}

static bool is_template_bullet(const char *s)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(template_bullets); i++)
		if (!strcmp(s, template_bullets[i]))
			return true;
	return false;
}

/* The key of a "Key: value" line (letters, digits, '-'), or 0 length. */
static size_t trailer_key(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '-')
		n++;
	return n && s[n] == ':' ? n : 0;
}

static char *value_of(const char *s, size_t key)
{
	const char *v = s + key + 1;

	while (*v == ' ' || *v == '\t')
		v++;
	return kx_xstrndup_trimmed(v, strlen(v));
}

/*
 * Takes the To:, Cc: and Signed-off-by: lines out of the trailer paragraph
 * that ends lines[0, *nr) (every line "Key: value"); the others stay.
 */
static void take_trailers(struct kx_b4_cover *out, struct kx_strlist *lines)
{
	size_t e = lines->nr, s, i, k;

	while (e && is_blank(lines->items[e - 1]))
		e--;
	for (s = e; s && !is_blank(lines->items[s - 1]); s--)
		;
	if (s == e)
		return;
	for (i = s; i < e; i++)
		if (!trailer_key(lines->items[i]))
			return;		/* prose, not trailers */
	for (i = s, k = s; i < e; i++) {
		char *l = lines->items[i];
		size_t n = trailer_key(l);

		if (n == 2 && !strncasecmp(l, "To", 2)) {
			char *v = value_of(l, n);

			kx_strlist_add(&out->to, v);
			free(v);
		} else if (n == 2 && !strncasecmp(l, "Cc", 2)) {
			char *v = value_of(l, n);

			kx_strlist_add(&out->cc, v);
			free(v);
		} else if (n == 13 && !strncasecmp(l, "Signed-off-by", 13)) {
			out->signoffs++;
		} else {
			lines->items[k++] = l;
			continue;
		}
		free(l);
	}
	memmove(&lines->items[k], &lines->items[e],
		(lines->nr - e) * sizeof(*lines->items));
	lines->nr -= e - k;
}

static int by_rev_desc(const void *a, const void *b)
{
	const struct note *x = a, *y = b;

	return x->rev < y->rev ? 1 : x->rev > y->rev ? -1 : 0;
}

/* Joins lines [from, to) with newlines, blank ends trimmed (caller frees). */
static char *join(const struct kx_strlist *l, size_t from, size_t to)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	for (i = from; i < to; i++) {
		if (i > from)
			kx_buf_addc(&b, '\n');
		kx_buf_adds(&b, l->items[i]);
	}
	kx_buf_addc(&b, '\0');
	{
		char *s = kx_xstrndup_trimmed(b.buf, strlen(b.buf));

		kx_buf_release(&b);
		return s;
	}
}

void kx_b4_cover_import(struct kx_b4_cover *out, const char *text)
{
	struct kx_strlist lines = KX_STRLIST_INIT, rest = KX_STRLIST_INIT;
	struct kx_cover_text ct;
	struct notes notes = { NULL, 0, 0 };
	size_t cur = SIZE_MAX;	/* the note being read, by index: they move */
	struct kx_buf b = KX_BUF_INIT;
	const char *p = text ? text : "";
	char *subject, *body;
	size_t i, sep, first;

	kx_b4_cover_release(out);
	/* the lines, without b4's '#' help (b4 drops them when sending) */
	while (*p) {
		size_t n = strcspn(p, "\n");
		char *l = kx_xstrndup(p, n);

		if (n && l[n - 1] == '\r')
			l[n - 1] = '\0';
		if (*l == '#') {
			out->help++;
			free(l);
		} else {
			kx_grow((void **)&lines.items, &lines.alloc, lines.nr,
				sizeof(*lines.items));
			lines.items[lines.nr++] = l;
		}
		p += n + (p[n] == '\n');
	}
	/* b4's "---" between the cover and its changelog */
	for (sep = 0; sep < lines.nr; sep++) {
		char *t = kx_xstrndup_trimmed(lines.items[sep],
					      strlen(lines.items[sep]));
		bool dashes = !strcmp(t, "---");

		free(t);
		if (dashes)
			break;
	}
	for (i = sep + 1; i < lines.nr; i++) {
		const char *l = lines.items[i];
		char *url = NULL;
		unsigned n;

		if ((n = changes_header(l))) {
			cur = (size_t)(note_of(&notes, n) - notes.items);
			out->versions++;
		} else if (cur != SIZE_MAX && (n = link_line(l, &url))) {
			struct note *v = note_of(&notes, n);

			if (url && !v->link)
				v->link = url;
			else
				free(url);
		} else if (cur != SIZE_MAX && is_template_bullet(l)) {
			continue;
		} else if (cur != SIZE_MAX) {
			note_add(&notes.items[cur], l);
		} else {
			kx_strlist_add(&rest, l);	/* kept, below the text */
		}
	}
	while (lines.nr > sep)
		free(lines.items[--lines.nr]);
	take_trailers(out, &lines);

	/* the subject, then the body with kvmx86's own sections, if any */
	for (first = 0; first < lines.nr && is_blank(lines.items[first]); first++)
		;
	subject = first < lines.nr ? kx_xstrdup(lines.items[first]) :
				     kx_xstrdup("");
	body = join(&lines, first < lines.nr ? first + 1 : first, lines.nr);
	kx_cover_text_parse(&ct, body);
	for (i = 0; i < ct.notes_nr; i++) {
		const struct kx_version_notes *v = &ct.notes[i];
		struct kx_buf old = KX_BUF_INIT;
		struct note *n = note_of(&notes, v->revision);

		/* kvmx86's text first, then b4's for the same version */
		kx_buf_adds(&old, v->text);
		if (n->text.len && strcmp(n->text.buf, v->text)) {
			if (old.len)
				kx_buf_addc(&old, '\n');
			kx_buf_adds(&old, n->text.buf);
		}
		kx_buf_release(&n->text);
		n->text = old;
		if (v->link) {
			free(n->link);
			n->link = kx_xstrdup(v->link);
		}
	}
	if (notes.nr)
		qsort(notes.items, notes.nr, sizeof(*notes.items), by_rev_desc);

	kx_buf_adds(&b, subject);
	kx_buf_adds(&b, "\n\n");
	kx_buf_adds(&b, ct.blurb);
	if (rest.nr) {
		char *r = join(&rest, 0, rest.nr);

		if (*r)
			kx_buf_addf(&b, "%s%s", *ct.blurb ? "\n\n" : "", r);
		free(r);
	}
	for (i = 0; i < notes.nr; i++) {
		const struct note *n = &notes.items[i];

		size_t len = n->text.len;

		while (len && isspace((unsigned char)n->text.buf[len - 1]))
			len--;
		kx_buf_addf(&b, "\n\nv%u:", n->rev);
		if (n->link)
			kx_buf_addf(&b, " %s", n->link);
		if (len)
			kx_buf_addf(&b, "\n%.*s", (int)len, n->text.buf);
	}
	kx_buf_addc(&b, '\n');
	out->text = kx_buf_detach(&b);

	for (i = 0; i < notes.nr; i++) {
		free(notes.items[i].link);
		kx_buf_release(&notes.items[i].text);
	}
	free(notes.items);
	kx_cover_text_release(&ct);
	free(subject);
	free(body);
	kx_strlist_release(&rest);
	kx_strlist_release(&lines);
}

void kx_b4_cover_release(struct kx_b4_cover *c)
{
	free(c->text);
	kx_strlist_release(&c->to);
	kx_strlist_release(&c->cc);
	memset(c, 0, sizeof(*c));
}
