// SPDX-License-Identifier: GPL-2.0-only
/*
 * public-inbox's Atom search feed (?x=A): a small non-validating XML
 * reader, strict about what would make the data mean something else
 * (tags that do not close, unknown entities, a DOCTYPE), and the few
 * elements of an <entry> kvmx86 reads.  Pure.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/lore.h"
#include "kvmx86/util.h"

#define MAX_DEPTH 256
#define MAX_ATTRS 32

struct attr {
	char *name, *value;
};

/* The entry being read. */
struct entry {
	struct kx_buf title, name, email, updated, id, content;
	char *link, *irt;
};

struct reader {
	const char *start, *p, *end;
	char *stack[MAX_DEPTH];
	size_t depth;
	bool root_seen, root_closed;
	bool in_entry;
	struct entry e;
	struct kx_lore_messages *out;
};

static int fail(struct reader *r, const char *what)
{
	const char *s;
	size_t line = 1;

	for (s = r->start; s < r->p && s < r->end; s++)
		line += *s == '\n';
	return kx_error_set(KX_EINVALID, "invalid Atom feed: %s at line %zu",
			    what, line);
}

static int hexval(int c)
{
	if (isdigit(c))
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Fails at s (for the line number). */
static int fail_at(struct reader *r, const char *s, const char *what)
{
	r->p = s;
	return fail(r, what);
}

/*
 * Appends s[0..n) to out with its entities replaced; returns 0, or
 * KX_EINVALID at the first bad one.
 */
static int unescape(struct reader *r, struct kx_buf *out, const char *s,
		    size_t n)
{
	static const struct {
		const char *name;
		char c;
	} named[] = {
		{ "lt;", '<' }, { "gt;", '>' }, { "amp;", '&' },
		{ "quot;", '"' }, { "apos;", '\'' },
	};
	static const char bad_ref[] = "a bad character reference";
	const char *end = s + n, *semi;
	unsigned long c;
	size_t i, len;
	bool hex;

	while (s < end) {
		if (*s != '&') {
			kx_buf_addc(out, *s++);
			continue;
		}
		semi = memchr(s, ';', (size_t)(end - s));
		if (!semi || semi - s > 12)
			return fail_at(r, s, "an '&' that starts no entity");
		len = (size_t)(semi - s);	/* "&name" */
		for (i = 0; i < ARRAY_SIZE(named); i++) {
			if (strlen(named[i].name) == len &&
			    !strncmp(s + 1, named[i].name, len)) {
				kx_buf_addc(out, named[i].c);
				break;
			}
		}
		if (i < ARRAY_SIZE(named)) {
			s = semi + 1;
			continue;
		}
		if (s[1] != '#' || len < 3)
			return fail_at(r, s, "an unknown entity");
		hex = s[2] == 'x';
		c = 0;
		for (i = hex ? 3 : 2; i < len; i++) {
			int d = hexval((unsigned char)s[i]);

			if (d < 0 || (!hex && d > 9) || c > 0x10ffff)
				return fail_at(r, s, bad_ref);
			c = c * (hex ? 16 : 10) + (unsigned long)d;
		}
		if (i == (hex ? 3u : 2u) || !c || c > 0x10ffff ||
		    (c >= 0xd800 && c < 0xe000))
			return fail_at(r, s, bad_ref);
		kx_buf_add_utf8(out, c);
		s = semi + 1;
	}
	return 0;
}

static bool name_start(int c)
{
	return isalpha(c) || c == '_' || c == ':' || c >= 0x80;
}

static bool name_char(int c)
{
	return name_start(c) || isdigit(c) || c == '-' || c == '.';
}

/* Reads a name at r->p; returns its length (0: none). */
static size_t read_name(struct reader *r)
{
	const char *s = r->p;

	if (s >= r->end || !name_start((unsigned char)*s))
		return 0;
	while (s < r->end && name_char((unsigned char)*s))
		s++;
	return (size_t)(s - r->p);
}

static void skip_space(struct reader *r)
{
	while (r->p < r->end && isspace((unsigned char)*r->p))
		r->p++;
}

static const char *attr_get(const struct attr *a, size_t nr,
			    const char *name)
{
	size_t i;

	for (i = 0; i < nr; i++)
		if (!strcmp(a[i].name, name))
			return a[i].value;
	return NULL;
}

static void entry_release(struct entry *e)
{
	kx_buf_release(&e->title);
	kx_buf_release(&e->name);
	kx_buf_release(&e->email);
	kx_buf_release(&e->updated);
	kx_buf_release(&e->id);
	kx_buf_release(&e->content);
	free(e->link);
	free(e->irt);
	memset(e, 0, sizeof(*e));
}

/* The Message-ID in "http(s)://host/inbox/<msgid>/": its last segment. */
static char *msgid_of_url(const char *url)
{
	struct kx_buf b = KX_BUF_INIT;
	const char *s, *seg;
	size_t n, i;
	int hi, lo;

	if (!url || (strncmp(url, "http://", 7) && strncmp(url, "https://", 8)))
		return NULL;
	s = strstr(url, "://") + 3;
	s += strcspn(s, "/");	/* the host */
	n = strcspn(s, "?#");
	while (n && s[n - 1] == '/')
		n--;
	seg = s + n;
	while (seg > s && seg[-1] != '/')
		seg--;
	if (seg == s + n || seg == s)
		return NULL;
	n = (size_t)(s + n - seg);
	for (i = 0; i < n; i++) {
		if (seg[i] == '%' && i + 2 < n &&
		    (hi = hexval((unsigned char)seg[i + 1])) >= 0 &&
		    (lo = hexval((unsigned char)seg[i + 2])) >= 0) {
			kx_buf_addc(&b, (char)(hi << 4 | lo));
			i += 2;
		} else {
			kx_buf_addc(&b, seg[i]);
		}
	}
	return kx_buf_detach(&b);
}

static char *buf_trimmed(struct kx_buf *b)
{
	return kx_xstrndup_trimmed(b->buf ? b->buf : "", b->len);
}

static void entry_done(struct reader *r)
{
	struct kx_lore_messages *out = r->out;
	struct kx_lore_message *m;
	char *id;

	kx_grow((void **)&out->items, &out->alloc, out->nr,
		sizeof(*out->items));
	m = &out->items[out->nr++];
	memset(m, 0, sizeof(*m));
	m->subject = buf_trimmed(&r->e.title);
	m->from_name = buf_trimmed(&r->e.name);
	m->from_email = buf_trimmed(&r->e.email);
	if (!*m->from_email) {
		free(m->from_email);
		m->from_email = NULL;
	}
	m->date = buf_trimmed(&r->e.updated);
	m->msgid = msgid_of_url(r->e.link);
	if (!m->msgid) {
		id = buf_trimmed(&r->e.id);
		m->msgid = msgid_of_url(id);
		free(id);
	}
	m->in_reply_to = msgid_of_url(r->e.irt);
	m->body = kx_buf_detach(&r->e.content);
	entry_release(&r->e);
}

/* The buffer text at the current depth goes to, or NULL. */
static struct kx_buf *text_target(struct reader *r)
{
	const char *el, *parent;

	if (!r->in_entry || r->depth < 3)
		return NULL;
	el = r->stack[2];
	if (!strcmp(el, "content"))
		return &r->e.content;
	if (r->depth == 3) {
		if (!strcmp(el, "title"))
			return &r->e.title;
		if (!strcmp(el, "updated"))
			return &r->e.updated;
		if (!strcmp(el, "id"))
			return &r->e.id;
		return NULL;
	}
	parent = el;
	el = r->stack[3];
	if (r->depth == 4 && !strcmp(parent, "author")) {
		if (!strcmp(el, "name"))
			return &r->e.name;
		if (!strcmp(el, "email"))
			return &r->e.email;
	}
	return NULL;
}

static int start_element(struct reader *r, const char *name,
			 const struct attr *a, size_t nr)
{
	const char *rel, *href;

	if (r->depth == 1) {
		if (strcmp(name, "feed"))
			return fail(r, "the root element is not <feed>");
		return 0;
	}
	if (r->depth == 2 && !strcmp(name, "entry")) {
		r->in_entry = true;
		return 0;
	}
	if (!r->in_entry || r->depth != 3)
		return 0;
	href = attr_get(a, nr, "href");
	if (!strcmp(name, "link") && href && !r->e.link) {
		rel = attr_get(a, nr, "rel");
		if (!rel || !strcmp(rel, "alternate"))
			r->e.link = kx_xstrdup(href);
	} else if (!strcmp(name, "thr:in-reply-to") && href && !r->e.irt) {
		r->e.irt = kx_xstrdup(href);
	}
	return 0;
}

static void end_element(struct reader *r)
{
	if (r->depth == 2 && r->in_entry) {
		entry_done(r);
		r->in_entry = false;
	}
	free(r->stack[--r->depth]);
	if (!r->depth)
		r->root_closed = true;
}

static int read_tag(struct reader *r)
{
	struct attr a[MAX_ATTRS];
	struct kx_buf val = KX_BUF_INIT;
	size_t nr = 0, n, i;
	const char *v;
	char *name = NULL, quote;
	bool empty = false;
	int error = 0;

	r->p++;	/* '<' */
	if (!(n = read_name(r))) {
		error = fail(r, "a '<' that starts no tag");
		goto done;
	}
	name = kx_xstrndup(r->p, n);
	r->p += n;
	for (;;) {
		skip_space(r);
		if (r->p >= r->end) {
			error = fail(r, "the data ends inside a tag");
			goto done;
		}
		if (*r->p == '>') {
			r->p++;
			break;
		}
		if (*r->p == '/' && r->p + 1 < r->end && r->p[1] == '>') {
			r->p += 2;
			empty = true;
			break;
		}
		if (!(n = read_name(r)) || nr == MAX_ATTRS) {
			error = fail(r, nr == MAX_ATTRS ? "too many attributes"
				     : "a bad attribute");
			goto done;
		}
		a[nr].name = kx_xstrndup(r->p, n);
		a[nr].value = NULL;
		nr++;
		r->p += n;
		skip_space(r);
		if (r->p >= r->end || *r->p != '=') {
			error = fail(r, "an attribute without a value");
			goto done;
		}
		r->p++;
		skip_space(r);
		if (r->p >= r->end || (*r->p != '"' && *r->p != '\'')) {
			error = fail(r, "an unquoted attribute value");
			goto done;
		}
		quote = *r->p++;
		v = r->p;
		while (r->p < r->end && *r->p != quote && *r->p != '<')
			r->p++;
		if (r->p >= r->end || *r->p != quote) {
			error = fail(r, "an attribute value that does not end");
			goto done;
		}
		val.len = 0;
		if ((error = unescape(r, &val, v, (size_t)(r->p - v))) < 0)
			goto done;
		r->p++;
		a[nr - 1].value = kx_buf_detach(&val);
	}
	if (r->root_closed || (!r->depth && r->root_seen)) {
		error = fail(r, "a second root element");
		goto done;
	}
	if (r->depth == MAX_DEPTH) {
		error = fail(r, "elements nested too deep");
		goto done;
	}
	r->root_seen = true;
	r->stack[r->depth++] = name;
	name = NULL;
	error = start_element(r, r->stack[r->depth - 1], a, nr);
	if (!error && empty)
		end_element(r);
done:
	for (i = 0; i < nr; i++) {
		free(a[i].name);
		free(a[i].value);
	}
	kx_buf_release(&val);
	free(name);
	return error;
}

static int read_end_tag(struct reader *r)
{
	size_t n;

	r->p += 2;	/* "</" */
	n = read_name(r);
	if (!n || !r->depth || strlen(r->stack[r->depth - 1]) != n ||
	    strncmp(r->stack[r->depth - 1], r->p, n))
		return fail(r, "a closing tag that does not match");
	r->p += n;
	skip_space(r);
	if (r->p >= r->end || *r->p != '>')
		return fail(r, "a closing tag that does not end");
	r->p++;
	end_element(r);
	return 0;
}

/* Skips from r->p past the first occurrence of end. */
static int skip_past(struct reader *r, const char *end, const char *what)
{
	size_t n = strlen(end);
	const char *s;

	for (s = r->p; s + n <= r->end; s++) {
		if (!memcmp(s, end, n)) {
			r->p = s + n;
			return 0;
		}
	}
	return fail(r, what);
}

static int read_text(struct reader *r, const char *s, size_t n, bool raw)
{
	struct kx_buf *to = text_target(r);
	struct kx_buf discard = KX_BUF_INIT;
	size_t i;
	int error = 0;

	if (!r->depth) {
		for (i = 0; i < n; i++)
			if (!isspace((unsigned char)s[i]))
				return fail(r, "text outside the root element");
		return 0;
	}
	if (raw) {
		if (to)
			kx_buf_add(to, s, n);
		return 0;
	}
	/* entities are checked everywhere, kept only where read */
	error = unescape(r, to ? to : &discard, s, n);
	kx_buf_release(&discard);
	return error;
}

int kx_lore_atom_parse(struct kx_lore_messages *out, const char *xml,
		       size_t len)
{
	struct reader r;
	const char *text;
	int error = 0;

	memset(&r, 0, sizeof(r));
	r.start = r.p = xml;
	r.end = xml + len;
	r.out = out;
	while (r.p < r.end) {
		if (*r.p != '<') {
			text = r.p;
			while (r.p < r.end && *r.p != '<')
				r.p++;
			error = read_text(&r, text, (size_t)(r.p - text),
					  false);
			if (error < 0)
				goto done;
			continue;
		}
		if (r.end - r.p >= 2 && r.p[1] == '?') {
			error = skip_past(&r, "?>", "a '<?' that does not end");
		} else if (r.end - r.p >= 4 && !memcmp(r.p, "<!--", 4)) {
			error = skip_past(&r, "-->", "a comment that does not "
					  "end");
		} else if (r.end - r.p >= 9 && !memcmp(r.p, "<![CDATA[", 9)) {
			r.p += 9;
			text = r.p;
			if ((error = skip_past(&r, "]]>", "a CDATA section "
					       "that does not end")) < 0)
				goto done;
			error = read_text(&r, text, (size_t)(r.p - 3 - text),
					  true);
		} else if (r.end - r.p >= 2 && r.p[1] == '!') {
			error = fail(&r, "a DOCTYPE or declaration");
		} else if (r.end - r.p >= 2 && r.p[1] == '/') {
			error = read_end_tag(&r);
		} else {
			error = read_tag(&r);
		}
		if (error < 0)
			goto done;
	}
	if (r.depth)
		error = fail(&r, "the data ends inside an element "
			     "(truncated?)");
	else if (!r.root_seen)
		error = fail(&r, "no root element");
done:
	entry_release(&r.e);
	while (r.depth)
		free(r.stack[--r.depth]);
	return error;
}
