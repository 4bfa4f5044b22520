// SPDX-License-Identifier: GPL-2.0-only
/*
 * lore: patch subjects, picking the versions of a series among search
 * results, Message-IDs, archive URLs and search queries.  Pure.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/error.h"
#include "kvmx86/lore.h"
#include "kvmx86/safe.h"
#include "kvmx86/util.h"

/* --- subjects ----------------------------------------------------------- */

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	return s;
}

/* A reply or forward marker ("Re:", "AW:", "Fwd:"): its length, or 0. */
static size_t reply_marker(const char *s)
{
	static const char *const markers[] = { "re:", "aw:", "fwd:", "fw:" };
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(markers); i++) {
		n = strlen(markers[i]);
		if (!strncasecmp(s, markers[i], n))
			return n;
	}
	return 0;
}

/* Parses a decimal number of at most 5 digits spanning [s, end). */
static bool parse_small(const char *s, const char *end, unsigned *out)
{
	unsigned v = 0;

	if (s == end || end - s > 5)
		return false;
	for (; s < end; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (unsigned)(*s - '0');
	}
	*out = v;
	return true;
}

/* One word of a [...] group. */
static void subject_word(struct kx_lore_subject *out, const char *w,
			 const char *end)
{
	size_t n = (size_t)(end - w);
	const char *slash;
	unsigned a, b;

	if (n >= 5 && !strncasecmp(w, "PATCH", 5)) {
		out->is_patch = true;
		/* the old "[PATCHv2]" */
		if (n > 6 && (w[5] == 'v' || w[5] == 'V') &&
		    parse_small(w + 6, end, &a) && a > 0)
			out->revision = a;
		return;
	}
	if (n == 3 && !strncasecmp(w, "RFC", 3)) {
		out->is_patch = out->is_rfc = true;
		return;
	}
	if (n == 6 && !strncasecmp(w, "RESEND", 6)) {
		out->is_resend = true;
		return;
	}
	if (n > 1 && (w[0] == 'v' || w[0] == 'V') &&
	    parse_small(w + 1, end, &a)) {
		if (a > 0)
			out->revision = a;
		return;
	}
	slash = memchr(w, '/', n);
	if (slash && parse_small(w, slash, &a) &&
	    parse_small(slash + 1, end, &b) && b > 0 && a <= b) {
		out->index = a;
		out->total = b;
	}
}

static void subject_group(struct kx_lore_subject *out, const char *s,
			  const char *end)
{
	const char *w;

	while (s < end) {
		while (s < end && (*s == ' ' || *s == '\t' || *s == ','))
			s++;
		w = s;
		while (s < end && *s != ' ' && *s != '\t' && *s != ',')
			s++;
		if (s > w)
			subject_word(out, w, s);
	}
}

/* Copies s with runs of blanks squeezed to one space, trimmed. */
static char *squeeze(const char *s)
{
	struct kx_buf b = KX_BUF_INIT;
	bool blank = false;

	for (s = skip_blanks(s); *s; s++) {
		if (isspace((unsigned char)*s)) {
			blank = true;
			continue;
		}
		if (blank)
			kx_buf_addc(&b, ' ');
		blank = false;
		kx_buf_addc(&b, *s);
	}
	return kx_buf_detach(&b);
}

void kx_lore_subject_parse(struct kx_lore_subject *out, const char *subject)
{
	const char *s = subject ? subject : "", *close;
	size_t n;

	kx_lore_subject_release(out);
	for (;;) {
		s = skip_blanks(s);
		if ((n = reply_marker(s))) {
			out->is_reply = true;
			s += n;
		} else if (*s == '[' && (close = strchr(s, ']'))) {
			subject_group(out, s + 1, close);
			s = close + 1;
		} else {
			break;
		}
	}
	out->subject = squeeze(s);
}

void kx_lore_subject_release(struct kx_lore_subject *s)
{
	free(s->subject);
	*s = (struct kx_lore_subject)KX_LORE_SUBJECT_INIT;
}

/* --- picking the versions ----------------------------------------------- */

/* Whether body has a line ^\s*change-id:\s*<id>\s*$. */
static bool has_change_id(const char *body, const char *id)
{
	size_t idlen = strlen(id);
	const char *line = body, *p, *eol;

	for (; line && *line; line = eol ? eol + 1 : NULL) {
		eol = strchr(line, '\n');
		p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncasecmp(p, "change-id:", 10))
			continue;
		p += 10;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, id, idlen))
			continue;
		p += idlen;
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (*p == '\n' || *p == '\0')
			return true;
	}
	return false;
}

/* Equal ignoring case and runs of blanks. */
static bool same_subject(const char *a, const char *b)
{
	char *x = squeeze(a), *y = squeeze(b);
	bool same = !strcasecmp(x, y);

	free(x);
	free(y);
	return same;
}

/* Higher is better: the kind, then a change-id match, then the date. */
static int version_cmp(const struct kx_lore_version *a,
		       const struct kx_lore_version *b)
{
	int d;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	if (a->by_change_id != b->by_change_id)
		return a->by_change_id ? 1 : -1;
	d = strcmp(a->date ? a->date : "", b->date ? b->date : "");
	return d;
}

static void version_release(struct kx_lore_version *v)
{
	free(v->msgid);
	free(v->subject);
	free(v->date);
	memset(v, 0, sizeof(*v));
}

/* Adds a warning unless the same text is there already. */
static void warn_once(struct kx_lore_versions *out, char *msg)
{
	size_t i;

	for (i = 0; i < out->warnings.nr; i++) {
		if (!strcmp(out->warnings.items[i], msg)) {
			free(msg);
			return;
		}
	}
	kx_grow((void **)&out->warnings.items, &out->warnings.alloc,
		out->warnings.nr, sizeof(char *));
	out->warnings.items[out->warnings.nr++] = msg;
}

/* Puts v (taken over) in out: new revision, better, or a duplicate. */
static void offer(struct kx_lore_versions *out, struct kx_lore_version *v)
{
	struct kx_lore_version *old = NULL, tmp;
	size_t i;

	for (i = 0; i < out->nr; i++) {
		if (out->items[i].revision == v->revision) {
			old = &out->items[i];
			break;
		}
	}
	if (old && !strcmp(old->msgid, v->msgid)) {
		old->by_change_id |= v->by_change_id;
		version_release(v);
		return;
	}
	if (!old) {
		kx_grow((void **)&out->items, &out->alloc, out->nr,
			sizeof(*out->items));
		for (i = out->nr; i > 0; i--) {
			if (out->items[i - 1].revision < v->revision)
				break;
			out->items[i] = out->items[i - 1];
		}
		out->items[i] = *v;
		out->nr++;
		memset(v, 0, sizeof(*v));
		return;
	}
	/* Two postings of one revision: keep the better, name the other. */
	if (version_cmp(v, old) > 0) {
		tmp = *old;
		*old = *v;
		*v = tmp;
	}
	/* a cover beating its own patch 1 is no second posting */
	if (v->kind == old->kind)
		warn_once(out, kx_xasprintf("v%u was posted more than once: "
					    "using <%s> (%s), not <%s> (%s)",
					    old->revision, old->msgid,
					    old->date, v->msgid, v->date));
	version_release(v);
}

static const char *kind_word(enum kx_lore_kind k)
{
	return k == KX_LORE_COVER ? "cover letter" :
	       k == KX_LORE_SINGLE ? "patch" : "first patch";
}

int kx_lore_pick_versions(struct kx_lore_versions *out,
			  const struct kx_lore_messages *msgs,
			  const struct kx_lore_want *want)
{
	struct kx_lore_subject s = KX_LORE_SUBJECT_INIT;
	struct kx_lore_version v;
	const struct kx_lore_message *m;
	bool by_id, by_subject;
	size_t i;

	if (!want->author_email || !*want->author_email)
		return kx_error_set(KX_EINVALID,
				    "no author email to match versions by");
	for (i = 0; i < msgs->nr; i++) {
		m = &msgs->items[i];
		if (!m->msgid || !*m->msgid)
			continue;
		kx_lore_subject_parse(&s, m->subject);
		if (!s.is_patch || s.is_reply || s.index > 1)
			continue;
		by_id = want->change_id && *want->change_id && m->body &&
			has_change_id(m->body, want->change_id);
		by_subject = !by_id && want->subject && *want->subject &&
			     same_subject(s.subject, want->subject);
		if (!by_id && !by_subject)
			continue;
		if (!m->from_email ||
		    strcasecmp(m->from_email, want->author_email)) {
			if (by_id)
				warn_once(out, kx_xasprintf(
					"<%s> has the change-id but is from "
					"%s, not %s: not counted",
					m->msgid, m->from_email ?
					m->from_email : "no one",
					want->author_email));
			continue;
		}
		memset(&v, 0, sizeof(v));
		v.revision = s.revision;
		v.total = s.total;
		v.kind = s.index == 1 ? KX_LORE_FIRST :
			 s.total ? KX_LORE_COVER : KX_LORE_SINGLE;
		/* a lone "1/1" is a single patch */
		if (s.index == 1 && s.total == 1)
			v.kind = KX_LORE_SINGLE;
		if (want->revision && v.revision >= want->revision) {
			warn_once(out, kx_xasprintf(
				"v%u was posted already (%s <%s>, %s): is "
				"v%u the right revision?",
				v.revision, kind_word(v.kind), m->msgid,
				m->date ? m->date : "no date",
				want->revision));
			continue;
		}
		v.msgid = kx_xstrdup(m->msgid);
		v.subject = kx_xstrdup(m->subject ? m->subject : "");
		v.date = kx_xstrdup(m->date ? m->date : "");
		v.by_change_id = by_id;
		offer(out, &v);
	}
	kx_lore_subject_release(&s);
	return 0;
}

void kx_lore_versions_release(struct kx_lore_versions *out)
{
	size_t i;

	for (i = 0; i < out->nr; i++)
		version_release(&out->items[i]);
	free(out->items);
	out->items = NULL;
	out->nr = out->alloc = 0;
	kx_strlist_release(&out->warnings);
}

/* --- Message-IDs, URLs, queries ----------------------------------------- */

static const char hexdigits[] = "0123456789ABCDEF";

static void add_pct(struct kx_buf *b, unsigned char c)
{
	char e[3] = { '%', hexdigits[c >> 4], hexdigits[c & 15] };

	kx_buf_add(b, e, 3);
}

char *kx_lore_msgid_escape(const char *msgid)
{
	struct kx_buf b = KX_BUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)msgid; *p; p++) {
		if (isalnum(*p) || (*p && strchr("-._~!$&'()*+,;=:@", *p)))
			kx_buf_addc(&b, (char)*p);
		else
			add_pct(&b, *p);
	}
	return kx_buf_detach(&b);
}

char *kx_lore_link(const char *base, const char *msgid)
{
	/* a link goes into mail and onto lists: never with a password */
	char *clean = kx_url_redact(base);
	size_t n = strlen(clean);
	char *esc = kx_lore_msgid_escape(msgid), *url;

	while (n && clean[n - 1] == '/')
		n--;
	url = kx_xasprintf("%.*s/%s", (int)n, clean, esc);
	free(esc);
	free(clean);
	return url;
}

char *kx_lore_url_encode(const char *s)
{
	struct kx_buf b = KX_BUF_INIT;
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || *p == '_' || *p == '.' || *p == '-' ||
		    *p == '~')
			kx_buf_addc(&b, (char)*p);
		else if (*p == ' ')
			kx_buf_addc(&b, '+');
		else
			add_pct(&b, *p);
	}
	return kx_buf_detach(&b);
}

char *kx_lore_query_change_id(const char *change_id)
{
	const char *p;

	if (!change_id || !*change_id)
		return NULL;
	for (p = change_id; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("._+-", *p))
			return NULL;
	return kx_xasprintf("nq:\"change-id: %s\"", change_id);
}

char *kx_lore_query_subject(const char *subject, const char *email)
{
	const char *e;
	char *s, *p, *q;

	if (!subject || !email || !*email)
		return NULL;
	for (e = email; *e; e++)
		if (isspace((unsigned char)*e) || *e == '"')
			return NULL;
	s = kx_xstrdup(subject);
	for (p = s; *p; p++)
		if (*p == '"')
			*p = ' ';
	p = squeeze(s);
	free(s);
	if (!*p) {
		free(p);
		return NULL;
	}
	q = kx_xasprintf("s:\"%s\" f:%s", p, email);
	free(p);
	return q;
}

char *kx_lore_search_url(const char *base, const char *x, const char *query)
{
	size_t n = strlen(base);
	char *enc = kx_lore_url_encode(query), *url;

	while (n && base[n - 1] == '/')
		n--;
	url = kx_xasprintf("%.*s/?x=%s&q=%s", (int)n, base, x, enc);
	free(enc);
	return url;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decodes n bytes of s ("+" stays: this is a path). */
static char *pct_decode(const char *s, size_t n)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%' && i + 2 < n &&
		    (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			kx_buf_addc(&b, (char)(hi << 4 | lo));
			i += 2;
		} else {
			kx_buf_addc(&b, s[i]);
		}
	}
	return kx_buf_detach(&b);
}

/* A plausible Message-ID: an '@', no blanks, no angle brackets. */
static bool msgid_ok(const char *id)
{
	const char *p;

	if (!strchr(id, '@') || *id == '@')
		return false;
	for (p = id; *p; p++)
		if (isspace((unsigned char)*p) || *p == '<' || *p == '>' ||
		    (unsigned char)*p < 0x20)
			return false;
	return true;
}

/* The path segments of a URL path (up to '?' or '#'), at most max. */
static size_t split_path(const char *path, const char *seg[],
			 size_t len[], size_t max)
{
	size_t nr = 0;
	const char *p = path, *start;

	while (*p && *p != '?' && *p != '#' && nr < max) {
		while (*p == '/')
			p++;
		start = p;
		while (*p && *p != '/' && *p != '?' && *p != '#')
			p++;
		if (p > start) {
			seg[nr] = start;
			len[nr++] = (size_t)(p - start);
		}
	}
	return nr;
}

static bool seg_is(const char *seg, size_t len, const char *word)
{
	return strlen(word) == len && !strncmp(seg, word, len);
}

static int from_url(char **out, const char *arg, const char *rest)
{
	const char *hostend = rest + strcspn(rest, "/?#"), *h = rest, *at;
	const char *seg[8];
	size_t len[8], nr, i, hlen;
	char host[256];
	char *id = NULL;

	/* user:password@ and :port are not the host */
	at = memchr(h, '@', (size_t)(hostend - h));
	if (at)
		h = at + 1;
	hlen = strcspn(h, ":/?#");
	if (h + hlen > hostend)
		hlen = (size_t)(hostend - h);
	if (!hlen || hlen >= sizeof(host))
		goto bad;
	for (i = 0; i < hlen; i++)
		host[i] = (char)tolower((unsigned char)h[i]);
	host[hlen] = '\0';
	nr = split_path(hostend, seg, len, ARRAY_SIZE(seg));

	if (!strcmp(host, "marc.info") || kx_ends_with(host, ".marc.info"))
		return kx_error_set(KX_EINVALID, "'%s' is a marc.info link, "
				    "which does not name the Message-ID: "
				    "give the Message-ID or a lore link", arg);
	if (!strcmp(host, "lore.kernel.org")) {
		if (nr >= 2)
			id = pct_decode(seg[1], len[1]);
	} else if (!strcmp(host, "lkml.kernel.org")) {
		if (nr >= 2 && seg_is(seg[0], len[0], "r"))
			id = pct_decode(seg[1], len[1]);
	} else if (!strcmp(host, "patch.msgid.link") ||
		   !strcmp(host, "msgid.link")) {
		if (nr >= 1)
			id = pct_decode(seg[0], len[0]);
	} else if (!strcmp(host, "patchwork.kernel.org")) {
		if (nr >= 4 && seg_is(seg[0], len[0], "project") &&
		    (seg_is(seg[2], len[2], "patch") ||
		     seg_is(seg[2], len[2], "cover")))
			id = pct_decode(seg[3], len[3]);
		if (id && !strchr(id, '@')) {
			free(id);
			return kx_error_set(KX_EINVALID, "'%s' names a "
					    "patchwork entry by number, not "
					    "by Message-ID: give the "
					    "Message-ID or a lore link", arg);
		}
	} else {
		/* a public-inbox mirror: /<inbox>/<msgid>/ */
		for (i = 0; i < nr && !id; i++) {
			id = pct_decode(seg[i], len[i]);
			if (!strchr(id, '@')) {
				free(id);
				id = NULL;
			}
		}
	}
	if (id && msgid_ok(id)) {
		*out = id;
		return 0;
	}
	free(id);
bad:
	return kx_error_set(KX_EINVALID, "'%s' is not a link to a message: "
			    "give its Message-ID or a lore.kernel.org link",
			    arg);
}

int kx_lore_msgid_from_arg(char **out, const char *arg)
{
	static const char *const hosts[] = {
		"lore.kernel.org/", "lkml.kernel.org/", "patch.msgid.link/",
		"msgid.link/", "patchwork.kernel.org/", "marc.info/",
	};
	const char *s = skip_blanks(arg);
	size_t n = strlen(s), i;
	char *id;

	*out = NULL;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	if (!strncasecmp(s, "https://", 8))
		return from_url(out, arg, s + 8);
	if (!strncasecmp(s, "http://", 7))
		return from_url(out, arg, s + 7);
	for (i = 0; i < ARRAY_SIZE(hosts); i++)
		if (!strncasecmp(s, hosts[i], strlen(hosts[i])))
			return from_url(out, arg, s);
	if (!strncasecmp(s, "id:", 3)) {
		s += 3;
		n -= 3;
	} else if (!strncasecmp(s, "mid:", 4)) {
		s += 4;
		n -= 4;
	}
	if (n >= 2 && s[0] == '<' && s[n - 1] == '>') {
		s++;
		n -= 2;
	}
	id = kx_xstrndup(s, n);
	if (!msgid_ok(id)) {
		free(id);
		return kx_error_set(KX_EINVALID, "'%s' is neither a "
				    "Message-ID nor a link to a message",
				    arg);
	}
	*out = id;
	return 0;
}

/* The next field of the local part from *p, up to a '-' or '.': *f, *n long. */
static bool next_field(const char **p, const char *end, const char **f, size_t *n)
{
	const char *q;

	if (*p > end)
		return false;
	for (q = *p; q < end && *q != '-' && *q != '.'; q++)
		;
	*f = *p;
	*n = (size_t)(q - *p);
	*p = q + 1;
	return true;
}

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return n > 0;
}

bool kx_msgid_same_posting(const char *a, const char *b)
{
	const char *at_a = strrchr(a, '@'), *at_b = strrchr(b, '@');
	const char *pa = a, *pb = b, *fa, *fb;
	size_t na, nb, differ = 0;

	if (!at_a || !at_b || strcmp(at_a, at_b))
		return false;
	for (;;) {
		bool more_a = next_field(&pa, at_a, &fa, &na);
		bool more_b = next_field(&pb, at_b, &fb, &nb);

		if (more_a != more_b)
			return false;
		if (!more_a)
			break;
		if (na == nb && !memcmp(fa, fb, na))
			continue;
		if (!all_digits(fa, na) || !all_digits(fb, nb) || ++differ > 1)
			return false;
	}
	return differ == 1;
}
