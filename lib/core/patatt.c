// SPDX-License-Identifier: GPL-2.0-only
/*
 * patatt's canonical form, computed as patatt 0.6 computes it
 * (patatt/__init__.py: PatattMessage, DevsigHeader), so that Debian's
 * `patatt validate` accepts what kvmx86 signs.  patatt leaves the hard
 * part to git mailinfo (decoding, the in-body From:, the cleaned
 * subject); io runs that same program and hands its output here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/error.h"
#include "kvmx86/sign.h"
#include "kvmx86/util.h"

#define DEVSIG_HDR "X-Developer-Signature"
#define DEVKEY_HDR "X-Developer-Key"

/* Python's bytes.strip() and \s: space, \t, \n, \r, \v, \f */
static bool py_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	       c == '\f';
}

static bool blank_line(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!py_space(s[i]))
			return false;
	return true;
}

/* Appends msg[start, end) as a header, unless patatt drops it before it signs. */
static void add_header(struct kx_patatt_mail *m, const char *msg, size_t start,
		       size_t end)
{
	char *h = kx_xstrndup(msg + start, end - start);

	/* (its own, by a case-sensitive prefix, as patatt finds them) */
	if (!kx_starts_with(h, DEVSIG_HDR) && !kx_starts_with(h, DEVKEY_HDR))
		kx_strlist_add(&m->headers, h);
	free(h);
}

int kx_patatt_parse(struct kx_patatt_mail *m, const char *msg, size_t len)
{
	size_t pos = 0, start = 0, seen = 0;
	bool open = false;

	memset(m, 0, sizeof(*m));
	while (pos < len) {
		const char *line = msg + pos, *nl;
		size_t n;

		nl = memchr(line, '\n', len - pos);
		n = nl ? (size_t)(nl - line) + 1 : len - pos;
		if (blank_line(line, n)) {
			if (open)
				add_header(m, msg, start, pos);
			open = false;
			m->lf = kx_xstrndup(line, n);
			pos += n;
			m->body_len = len - pos;
			m->body = kx_xmalloc(m->body_len + 1);
			memcpy(m->body, msg + pos, m->body_len);
			m->body[m->body_len] = '\0';
			break;
		}
		if (*line == ' ' || *line == '\t') {
			/* a folded line belongs to the header before it */
			if (!open)
				return kx_error_set(KX_EINVALID,
						    "cannot sign: the mail starts with a folded line");
		} else {
			if (open)
				add_header(m, msg, start, pos);
			open = true;
			start = pos;
			seen++;
		}
		pos += n;
	}
	if (open)
		add_header(m, msg, start, pos);
	if (!seen || !m->body_len)
		return kx_error_set(KX_EINVALID,
				    "cannot sign: the mail has no %s",
				    seen ? "body" : "headers");
	return 0;
}

void kx_patatt_mail_release(struct kx_patatt_mail *m)
{
	kx_strlist_release(&m->headers);
	free(m->lf);
	free(m->body);
	memset(m, 0, sizeof(*m));
}

static void add_headers(struct kx_buf *b, const struct kx_patatt_mail *m)
{
	size_t i;

	for (i = 0; i < m->headers.nr; i++)
		kx_buf_adds(b, m->headers.items[i]);
}

char *kx_patatt_mailinfo_input(const struct kx_patatt_mail *m, size_t *len)
{
	struct kx_buf raw = KX_BUF_INIT, b = KX_BUF_INIT;
	size_t i;

	add_headers(&raw, m);
	kx_buf_adds(&raw, m->lf ? m->lf : "\n");
	kx_buf_add(&raw, m->body, m->body_len);
	for (i = 0; i < raw.len; i++) {
		if (raw.buf[i] == '\r' && i + 1 < raw.len && raw.buf[i + 1] == '\n')
			continue;
		kx_buf_addc(&b, raw.buf[i]);
	}
	kx_buf_release(&raw);
	if (!b.len)
		kx_buf_adds(&b, "");
	*len = b.len;
	return kx_buf_detach(&b);
}

/* Python email.header's encoded word (its ecre): =?cs?q?text?= */
static bool has_encoded_word(const char *s)
{
	const char *p;

	for (p = strstr(s, "=?"); p; p = strstr(p + 1, "=?")) {
		const char *q = strchr(p + 2, '?');

		if (!q || !strchr("qQbB", q[1]) || !q[1] || q[2] != '?')
			continue;
		if (strstr(q + 3, "?="))
			return true;
	}
	return false;
}

/*
 * DevsigHeader._dkim_canonicalize_header(): relaxed, as DKIM does.  A
 * value holding "?q?" is first decoded as RFC 2047 after dropping every
 * byte that is not ASCII; without an encoded word that is all it does.
 */
static int dkim_canon(struct kx_buf *b, const char *name, const char *v,
		      size_t n)
{
	struct kx_buf flat = KX_BUF_INIT;
	size_t i, start;
	bool space = false;

	if (memmem(v, n, "?q?", 3)) {
		for (i = 0; i < n; i++)
			if (!((unsigned char)v[i] & 0x80))
				kx_buf_addc(&flat, v[i]);
		if (!flat.len)
			kx_buf_adds(&flat, "");
		if (has_encoded_word(flat.buf)) {
			kx_buf_release(&flat);
			return kx_error_set(KX_EINVALID,
					    "cannot sign: the %s header holds an RFC 2047 word after git mailinfo decoded it",
					    name);
		}
		v = flat.buf;
		n = flat.len;
	}
	/* drop CR and LF, then every run of blanks becomes one space */
	start = b->len;
	for (i = 0; i < n; i++) {
		if (v[i] == '\r' || v[i] == '\n')
			continue;
		if (py_space(v[i])) {
			space = true;
			continue;
		}
		if (space && b->len > start)
			kx_buf_addc(b, ' ');
		space = false;
		kx_buf_addc(b, v[i]);
	}
	kx_buf_adds(b, "\r\n");
	kx_buf_release(&flat);
	return 0;
}

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s += 'a' - 'A';
}

/* left.strip().lower() of a header, or NULL without a colon */
static char *header_name(const char *h, const char **value)
{
	const char *colon = strchr(h, ':'), *s = h, *e;
	char *name;

	if (!colon)
		return NULL;
	e = colon;
	while (s < e && py_space(*s))
		s++;
	while (e > s && py_space(e[-1]))
		e--;
	name = kx_xstrndup(s, (size_t)(e - s));
	lower(name);
	*value = colon + 1;
	return name;
}

/* patatt's parse of mailinfo's stdout: "Key: value" lines, later wins */
static int info_get(char **out, const char *info, const char *key)
{
	const char *p = info, *end = info + strlen(info);

	*out = NULL;
	while (end > info && (end[-1] == '\r' || end[-1] == '\n'))
		end--;
	while (p <= end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end, *colon, *vs, *ve;

		colon = memchr(p, ':', (size_t)(le - p));
		if (!colon)
			return kx_error_set(KX_EINVALID,
					    "cannot sign: git mailinfo wrote a line without a colon");
		if ((size_t)(colon - p) == strlen(key) &&
		    !strncasecmp(p, key, strlen(key))) {
			vs = colon + 1;
			ve = le;
			while (vs < ve && py_space(*vs))
				vs++;
			while (ve > vs && py_space(ve[-1]))
				ve--;
			free(*out);
			*out = kx_xstrndup(vs, (size_t)(ve - vs));
		}
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int kx_patatt_canonicalize(struct kx_patatt_canon *c,
			   const struct kx_patatt_mail *m, const char *mp,
			   size_t mp_len, const char *info)
{
	static const char *const optional[] = { "message-id" };
	struct kx_buf hb = KX_BUF_INIT, body = KX_BUF_INIT, h = KX_BUF_INIT;
	char *author = NULL, *email = NULL, *subject = NULL, *from = NULL;
	struct kx_strlist names = { 0 }, values = { 0 }, sign = { 0 };
	size_t i, j, n;
	int error;

	memset(c, 0, sizeof(*c));
	if ((error = info_get(&author, info, "author")) < 0 ||
	    (error = info_get(&email, info, "email")) < 0 ||
	    (error = info_get(&subject, info, "subject")) < 0)
		goto done;
	from = kx_xasprintf(" %s <%s>", author ? author : "",
			    email ? email : "");

	/* canon_headers: From and Subject as mailinfo read them */
	for (i = 0; i < m->headers.nr; i++) {
		const char *hdr = m->headers.items[i], *value;
		char *name = header_name(hdr, &value);
		const char *colon = strchr(hdr, ':');

		if (!name)
			continue;
		if ((size_t)(colon - hdr) == 4 && !strncasecmp(hdr, "from", 4))
			value = from;
		else if ((size_t)(colon - hdr) == 7 &&
			 !strncasecmp(hdr, "subject", 7)) {
			free(name);
			name = NULL;
			kx_strlist_add(&names, "subject");
			kx_strlist_addf(&values, " %s", subject ? subject : "");
			continue;
		}
		kx_strlist_add(&names, name);
		kx_strlist_add(&values, value);
		free(name);
	}

	/* h=: the required two, then the optional ones present, sorted */
	kx_strlist_add(&sign, "from");
	kx_strlist_add(&sign, "subject");
	n = sign.nr;
	for (j = 0; j < ARRAY_SIZE(optional); j++)
		for (i = 0; i < names.nr; i++)
			if (!strcmp(names.items[i], optional[j])) {
				kx_strlist_add(&sign, optional[j]);
				break;
			}
	qsort(sign.items + n, sign.nr - n, sizeof(*sign.items), cmp_str);
	for (j = 0; j < sign.nr; j++) {
		bool found = false;

		/* DKIM signs the last instance of a header first */
		for (i = names.nr; i-- > 0;)
			if (!strcmp(names.items[i], sign.items[j])) {
				found = true;
				break;
			}
		if (!found) {
			if (j < 2) {
				error = kx_error_set(KX_EINVALID,
						     "cannot sign: the mail has no %s header",
						     sign.items[j]);
				goto done;
			}
			continue;
		}
		kx_buf_adds(&hb, sign.items[j]);
		kx_buf_addc(&hb, ':');
		if ((error = dkim_canon(&hb, sign.items[j], values.items[i],
					strlen(values.items[i]))) < 0)
			goto done;
		if (h.len)
			kx_buf_addc(&h, ':');
		kx_buf_adds(&h, sign.items[j]);
	}

	/* the body: mailinfo's message and patch, CRLF line ends, no trailing empty lines */
	n = mp_len;
	while (n && (mp[n - 1] == '\r' || mp[n - 1] == '\n'))
		n--;
	for (i = 0;;) {
		const char *nl = memchr(mp + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - mp) : n, le = e;

		while (le > i && mp[le - 1] == '\r')
			le--;
		kx_buf_add(&body, mp + i, le - i);
		kx_buf_adds(&body, "\r\n");
		if (!nl)
			break;
		i = e + 1;
	}

	c->headers = kx_buf_detach(&hb);
	c->h = kx_buf_detach(&h);
	c->body_len = body.len;
	c->body = kx_buf_detach(&body);
	c->identity = kx_xstrdup(email ? email : "");
done:
	kx_buf_release(&hb);
	kx_buf_release(&h);
	kx_buf_release(&body);
	kx_strlist_release(&names);
	kx_strlist_release(&values);
	kx_strlist_release(&sign);
	free(author);
	free(email);
	free(subject);
	free(from);
	return error;
}

void kx_patatt_canon_release(struct kx_patatt_canon *c)
{
	free(c->headers);
	free(c->h);
	free(c->body);
	free(c->identity);
	memset(c, 0, sizeof(*c));
}

/* DevsigHeader.splitter(): 73 characters, then 75, joined by spaces */
static void add_split(struct kx_buf *b, const char *s)
{
	size_t n = strlen(s), at = 73;

	while (n > at) {
		kx_buf_add(b, s, at);
		kx_buf_addc(b, ' ');
		s += at;
		n -= at;
		at = 75;
	}
	kx_buf_add(b, s, n);
}

char *kx_patatt_sig_value(const struct kx_patatt_sig *s)
{
	struct kx_buf b = KX_BUF_INIT;

	/* DevsigHeader._order: v, a, t, l, i, s, h, bh */
	kx_buf_addf(&b, "v=1; a=ed25519-sha256; t=%lld; l=%zu; i=%s; ",
		    s->t, s->l, s->identity);
	if (s->selector)
		kx_buf_addf(&b, "s=%s; ", s->selector);
	kx_buf_addf(&b, "h=%s; bh=%s; b=", s->h, s->bh);
	if (s->b)
		add_split(&b, s->b);
	return kx_buf_detach(&b);
}

char *kx_patatt_signed_input(const struct kx_patatt_canon *c,
			     const char *value, size_t *len)
{
	struct kx_buf b = KX_BUF_INIT;

	kx_buf_adds(&b, c->headers);
	kx_buf_adds(&b, "x-developer-signature:");
	kx_buf_adds(&b, value);
	*len = b.len;
	return kx_buf_detach(&b);
}

char *kx_patatt_key_value(const char *identity, const char *pk)
{
	return kx_xasprintf("i=%s; a=ed25519; pk=%s", identity, pk);
}

/* A (folding white space, word) pair of Python's _ValueFormatter. */
struct chunk {
	const char *fws, *part;
	size_t fws_len, part_len;
};

static size_t line_len(const struct chunk *c, size_t from, size_t to)
{
	size_t n = 0;

	for (; from < to; from++)
		n += c[from].fws_len + c[from].part_len;
	return n;
}

static void add_line(struct kx_buf *b, const struct chunk *c, size_t from,
		     size_t to)
{
	if (b->len)
		kx_buf_addc(b, '\n');
	for (; from < to; from++) {
		kx_buf_add(b, c[from].fws, c[from].fws_len);
		kx_buf_add(b, c[from].part, c[from].part_len);
	}
}

/*
 * Python 3.11 email.header.Header.encode() of us-ascii text with the
 * splitchars ";, \t" and maxlinelen 78: words are pushed one by one and,
 * when the line grows too long, it is broken before the last word that
 * follows a ';' (else a ',', else blanks).  A line that cannot be broken
 * stays long.
 */
char *kx_patatt_fold(const char *name, const char *value)
{
	static const char splitchars[] = ";, \t";
	char *text = kx_xasprintf("%s: %s", name, value);
	struct chunk *c = NULL;
	size_t nr = 0, alloc = 0, first = 0, i, k;
	struct kx_buf b = KX_BUF_INIT;
	const char *p = text;

	while (*p) {
		struct chunk ch;

		ch.fws = p;
		ch.fws_len = strspn(p, " \t");
		p += ch.fws_len;
		ch.part = p;
		ch.part_len = strcspn(p, " \t");
		p += ch.part_len;

		kx_grow((void **)&c, &alloc, nr + 1, sizeof(*c));
		c[nr++] = ch;
		if (line_len(c, first, nr) <= 78)
			continue;
		for (k = 0; splitchars[k]; k++) {
			char sc = splitchars[k];

			for (i = nr - 1; i > first; i--) {
				if ((sc == ' ' || sc == '\t') &&
				    c[i].fws_len && c[i].fws[0] == sc)
					break;
				if (c[i - 1].part_len &&
				    c[i - 1].part[c[i - 1].part_len - 1] == sc)
					break;
			}
			if (i > first)
				break;
		}
		if (!splitchars[k])
			continue;
		add_line(&b, c, first, i);
		first = i;
	}
	/* newline() drops only encode()'s own closing (' ', ''), not ours */
	if (line_len(c, first, nr)) {
		bool only_ws = true;

		for (i = first; i < nr; i++)
			if (c[i].part_len)
				only_ws = false;
		if (only_ws && b.len) {
			for (i = first; i < nr; i++)
				kx_buf_add(&b, c[i].fws, c[i].fws_len);
		} else {
			add_line(&b, c, first, nr);
		}
	}
	free(c);
	free(text);
	if (!b.len)
		kx_buf_adds(&b, "");
	return kx_buf_detach(&b);
}

char *kx_patatt_assemble(const struct kx_patatt_mail *m, const char *sig,
			 const char *key, size_t *len)
{
	const char *lf = m->lf ? m->lf : "\n";
	struct kx_buf b = KX_BUF_INIT;

	add_headers(&b, m);
	kx_buf_adds(&b, sig);
	kx_buf_adds(&b, lf);
	kx_buf_adds(&b, key);
	kx_buf_adds(&b, lf);
	kx_buf_adds(&b, lf);
	kx_buf_add(&b, m->body, m->body_len);
	*len = b.len;
	return kx_buf_detach(&b);
}

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void kx_patatt_base64(struct kx_buf *b, const unsigned char *d, size_t n)
{
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		kx_buf_addc(b, b64[d[i] >> 2]);
		kx_buf_addc(b, b64[(d[i] & 3) << 4 | d[i + 1] >> 4]);
		kx_buf_addc(b, b64[(d[i + 1] & 15) << 2 | d[i + 2] >> 6]);
		kx_buf_addc(b, b64[d[i + 2] & 63]);
	}
	if (n - i == 1) {
		kx_buf_addc(b, b64[d[i] >> 2]);
		kx_buf_addc(b, b64[(d[i] & 3) << 4]);
		kx_buf_adds(b, "==");
	} else if (n - i == 2) {
		kx_buf_addc(b, b64[d[i] >> 2]);
		kx_buf_addc(b, b64[(d[i] & 3) << 4 | d[i + 1] >> 4]);
		kx_buf_addc(b, b64[(d[i + 1] & 15) << 2]);
		kx_buf_addc(b, '=');
	}
}

int kx_patatt_key_parse(unsigned char seed[KX_PATATT_SEED_LEN],
			const char *text, size_t len)
{
	unsigned char out[KX_PATATT_SEED_LEN + 3];
	unsigned long acc = 0;
	size_t i, bits = 0, n = 0, pad = 0, digits = 0;
	int error = 0;

	for (i = 0; i < len; i++) {
		const char *d;
		char ch = text[i];

		if (py_space(ch))
			continue;
		if (ch == '=') {
			pad++;
			continue;
		}
		d = ch ? strchr(b64, ch) : NULL;
		if (!d || pad) {
			error = KX_EINVALID;
			goto done;
		}
		digits++;
		acc = (acc << 6 | (unsigned long)(d - b64)) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == sizeof(out)) {
				error = KX_EINVALID;
				goto done;
			}
			out[n++] = (unsigned char)(acc >> bits);
		}
	}
	/* 43 digits and one '=' for 32 bytes, as base64.b64encode writes */
	if (n != KX_PATATT_SEED_LEN || pad > 2 || (digits + pad) % 4)
		error = KX_EINVALID;
	else
		memcpy(seed, out, KX_PATATT_SEED_LEN);
done:
	explicit_bzero(out, sizeof(out));
	explicit_bzero(&acc, sizeof(acc));
	return error;
}

int kx_patatt_check_field(const char *what, const char *s)
{
	const char *p;

	if (!*s)
		return kx_error_set(KX_EINVALID, "cannot sign: %s is empty",
				    what);
	for (p = s; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == ';')
			return kx_error_set(KX_EINVALID,
					    "cannot sign: %s '%s' is not printable ASCII without blanks or ';'",
					    what, s);
	return 0;
}
