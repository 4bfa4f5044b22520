// SPDX-License-Identifier: GPL-2.0-only
/*
 * mboxrd and RFC 5322 messages, as public-inbox serves them (x=m, raw,
 * t.mbox): just what version matching needs.  Pure.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kvmx86/error.h"
#include "kvmx86/lore.h"
#include "kvmx86/util.h"

/* --- RFC 2047 ----------------------------------------------------------- */

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/* Decodes base64 (blanks and line breaks skipped, stops at '='). */
static void base64_decode(struct kx_buf *out, const char *s, size_t n)
{
	unsigned long acc = 0;
	int bits = 0, v;
	size_t i;

	for (i = 0; i < n && s[i] != '='; i++) {
		if ((v = b64val((unsigned char)s[i])) < 0)
			continue;
		acc = (acc << 6 | (unsigned long)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			kx_buf_addc(out, (char)(acc >> bits & 0xff));
		}
	}
}

/*
 * Decodes quoted-printable; in a header word ('Q') '_' is a space and
 * there are no soft line breaks.
 */
static void qp_decode(struct kx_buf *out, const char *s, size_t n, bool word)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (word && s[i] == '_') {
			kx_buf_addc(out, ' ');
		} else if (s[i] == '=' && i + 2 < n &&
			   (hi = hexval((unsigned char)s[i + 1])) >= 0 &&
			   (lo = hexval((unsigned char)s[i + 2])) >= 0) {
			kx_buf_addc(out, (char)(hi << 4 | lo));
			i += 2;
		} else if (!word && s[i] == '=' && i + 1 < n &&
			   s[i + 1] == '\n') {
			i++;	/* a soft line break */
		} else if (!word && s[i] == '=' && i + 2 < n &&
			   s[i + 1] == '\r' && s[i + 2] == '\n') {
			i += 2;
		} else {
			kx_buf_addc(out, s[i]);
		}
	}
}

static bool is_latin1(const char *cs, size_t n)
{
	static const char *const names[] = {
		"iso-8859-1", "iso8859-1", "latin1", "us-ascii", "ascii",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == n && !strncasecmp(cs, names[i], n))
			return true;
	return false;
}

/* Appends bytes in charset cs (n bytes) as UTF-8; false if unknown. */
static bool add_charset(struct kx_buf *out, const char *cs, size_t csn,
			const char *s, size_t n)
{
	size_t i;

	if ((csn == 5 && !strncasecmp(cs, "utf-8", 5)) ||
	    (csn == 4 && !strncasecmp(cs, "utf8", 4))) {
		kx_buf_add(out, s, n);
		return true;
	}
	if (!is_latin1(cs, csn))
		return false;
	for (i = 0; i < n; i++)
		kx_buf_add_utf8(out, (unsigned char)s[i]);
	return true;
}

/*
 * Decodes one encoded word at s ("=?cs?Q?text?=") into out; returns its
 * length, or 0 if s does not start one (or its charset is unknown).
 */
static size_t encoded_word(struct kx_buf *out, const char *s)
{
	const char *cs, *enc, *text, *end, *star;
	struct kx_buf raw = KX_BUF_INIT;
	size_t csn, len = 0;

	if (s[0] != '=' || s[1] != '?')
		return 0;
	cs = s + 2;
	enc = strchr(cs, '?');
	if (!enc || !enc[1] || enc[2] != '?')
		return 0;
	text = enc + 3;
	end = strstr(text, "?=");
	if (!end || memchr(text, ' ', (size_t)(end - text)))
		return 0;
	csn = (size_t)(enc - cs);
	/* RFC 2231 language: "utf-8*en" */
	star = memchr(cs, '*', csn);
	if (star)
		csn = (size_t)(star - cs);
	if (enc[1] == 'q' || enc[1] == 'Q')
		qp_decode(&raw, text, (size_t)(end - text), true);
	else if (enc[1] == 'b' || enc[1] == 'B')
		base64_decode(&raw, text, (size_t)(end - text));
	else
		goto done;
	if (add_charset(out, cs, csn, raw.buf ? raw.buf : "", raw.len))
		len = (size_t)(end + 2 - s);
done:
	kx_buf_release(&raw);
	return len;
}

/* Decodes the encoded words of an unfolded header value. */
static char *decode_header(const char *s)
{
	struct kx_buf b = KX_BUF_INIT, tmp = KX_BUF_INIT;
	bool after_word = false;
	size_t n, blanks;

	while (*s) {
		if ((n = encoded_word(&b, s))) {
			s += n;
			after_word = true;
			continue;
		}
		if (after_word && (*s == ' ' || *s == '\t')) {
			/* blanks between two encoded words vanish */
			blanks = strspn(s, " \t");
			n = encoded_word(&tmp, s + blanks);
			kx_buf_release(&tmp);
			if (n) {
				s += blanks;
				continue;
			}
		}
		kx_buf_addc(&b, *s++);
		after_word = false;
	}
	return kx_buf_detach(&b);
}

/* --- headers ------------------------------------------------------------ */

struct header {
	char *name, *value;	/* value unfolded, blanks trimmed */
};

struct headers {
	struct header *items;
	size_t nr, alloc;
};

static void headers_release(struct headers *h)
{
	size_t i;

	for (i = 0; i < h->nr; i++) {
		free(h->items[i].name);
		free(h->items[i].value);
	}
	free(h->items);
	memset(h, 0, sizeof(*h));
}

static const char *header_get(const struct headers *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->nr; i++)
		if (!strcasecmp(h->items[i].name, name))
			return h->items[i].value;
	return NULL;
}

/* The length of the line at s (without its LF or CRLF), and of its end. */
static size_t line_len(const char *s, const char *end, size_t *eol)
{
	const char *nl = memchr(s, '\n', (size_t)(end - s));
	size_t n = nl ? (size_t)(nl - s) : (size_t)(end - s);

	*eol = nl ? 1 : 0;
	if (n && s[n - 1] == '\r') {
		n--;
		(*eol)++;
	}
	return n;
}

/* A header field name: printable ASCII but ':', then ':'. */
static size_t field_name(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == ':')
			return i;
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] > '~')
			return 0;
	}
	return 0;
}

static char *trim_copy(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return kx_xstrndup(s, n);
}

/*
 * Reads the header block at *pos; leaves *pos after its blank line.
 * Returns the number of fields read.
 */
static size_t parse_headers(struct headers *h, const char **pos,
			    const char *end)
{
	const char *s = *pos;
	struct kx_buf val = KX_BUF_INIT;
	size_t n, eol, name;
	char *cur = NULL;

	while (s < end) {
		n = line_len(s, end, &eol);
		if (n == 0) {
			s += eol;
			break;
		}
		if ((*s == ' ' || *s == '\t') && cur) {
			kx_buf_add(&val, s, n);	/* folded: keep the blank */
		} else if ((name = field_name(s, n))) {
			if (cur) {
				kx_grow((void **)&h->items, &h->alloc, h->nr,
					sizeof(*h->items));
				h->items[h->nr].name = cur;
				h->items[h->nr++].value =
					trim_copy(val.buf ? val.buf : "",
						  val.len);
			}
			cur = kx_xstrndup(s, name);
			val.len = 0;
			kx_buf_add(&val, s + name + 1, n - name - 1);
		} else if (!cur) {
			break;	/* not a header at all */
		}
		/* a broken line inside the headers is skipped */
		s += n + eol;
	}
	if (cur) {
		kx_grow((void **)&h->items, &h->alloc, h->nr,
			sizeof(*h->items));
		h->items[h->nr].name = cur;
		h->items[h->nr++].value = trim_copy(val.buf ? val.buf : "",
						    val.len);
	}
	kx_buf_release(&val);
	*pos = s;
	return h->nr;
}

/* The first "<...>" of s without the brackets, or s trimmed; or NULL. */
static char *angle_id(const char *s)
{
	const char *lt, *gt;

	if (!s)
		return NULL;
	lt = strchr(s, '<');
	if (lt && (gt = strchr(lt, '>')) && gt > lt + 1)
		return kx_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	if (lt)
		return NULL;
	s += strspn(s, " \t");
	if (!*s)
		return NULL;
	return trim_copy(s, strcspn(s, " \t"));
}

/* Removes the quotes and backslash escapes of a display name. */
static char *unquote_name(const char *s, size_t n)
{
	struct kx_buf b = KX_BUF_INIT;
	char *t, *d;
	size_t i;

	t = trim_copy(s, n);
	n = strlen(t);
	for (i = 0; i < n; i++) {
		if (t[i] == '"')
			continue;
		if (t[i] == '\\' && i + 1 < n)
			i++;
		kx_buf_addc(&b, t[i]);
	}
	free(t);
	t = kx_buf_detach(&b);
	d = decode_header(t);
	free(t);
	return d;
}

/* From: "Name" <addr>, Name <addr>, addr (Name), or addr. */
static void parse_from(struct kx_lore_message *m, const char *v)
{
	const char *lt, *gt, *paren, *cp;
	size_t n;
	bool quoted = false;

	m->from_name = NULL;
	m->from_email = NULL;
	if (!v)
		goto done;
	/* the first address of a list: a ',' outside quotes and <> */
	for (cp = v, n = 0; *cp; cp++) {
		if (*cp == '"')
			quoted = !quoted;
		else if (*cp == '\\' && cp[1])
			cp++;
		else if (!quoted && *cp == '<')
			n++;
		else if (!quoted && *cp == '>' && n)
			n--;
		else if (!quoted && !n && *cp == ',')
			break;
	}
	n = (size_t)(cp - v);
	lt = NULL;
	for (cp = v, quoted = false; cp < v + n; cp++) {
		if (*cp == '"')
			quoted = !quoted;
		else if (*cp == '\\' && cp + 1 < v + n)
			cp++;
		else if (!quoted && *cp == '<')
			lt = cp;
	}
	if (lt && (gt = memchr(lt, '>', (size_t)(v + n - lt)))) {
		m->from_email = trim_copy(lt + 1, (size_t)(gt - lt - 1));
		m->from_name = unquote_name(v, (size_t)(lt - v));
		goto done;
	}
	paren = memchr(v, '(', n);
	if (paren) {
		const char *close = memchr(paren, ')', (size_t)(v + n - paren));

		m->from_email = trim_copy(v, (size_t)(paren - v));
		m->from_name = unquote_name(paren + 1, close ?
					    (size_t)(close - paren - 1) :
					    (size_t)(v + n - paren - 1));
		goto done;
	}
	m->from_email = trim_copy(v, n);
done:
	if (m->from_email && !*m->from_email) {
		free(m->from_email);
		m->from_email = NULL;
	}
	if (!m->from_name)
		m->from_name = kx_xstrdup("");
}

/* --- dates -------------------------------------------------------------- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; H. Hinnant). */
static long days_from_civil(long y, unsigned m, unsigned d)
{
	long era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (long)doe - 719468;
}

static void civil_from_days(long z, long *y, unsigned *m, unsigned *d)
{
	long era;
	unsigned doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	*y = (long)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y += *m <= 2;
}

static int zone_minutes(const char *z, long *out)
{
	static const struct {
		const char *name;
		int minutes;
	} zones[] = {
		{ "UT", 0 }, { "UTC", 0 }, { "GMT", 0 }, { "Z", 0 },
		{ "EST", -300 }, { "EDT", -240 }, { "CST", -360 },
		{ "CDT", -300 }, { "MST", -420 }, { "MDT", -360 },
		{ "PST", -480 }, { "PDT", -420 },
	};
	size_t i;
	int h;

	if ((z[0] == '+' || z[0] == '-') && isdigit((unsigned char)z[1]) &&
	    isdigit((unsigned char)z[2]) && isdigit((unsigned char)z[3]) &&
	    isdigit((unsigned char)z[4])) {
		h = (z[1] - '0') * 10 + (z[2] - '0');
		*out = h * 60 + (z[3] - '0') * 10 + (z[4] - '0');
		if (z[0] == '-')
			*out = -*out;
		return 0;
	}
	for (i = 0; i < ARRAY_SIZE(zones); i++) {
		size_t n = strlen(zones[i].name);

		if (!strncasecmp(z, zones[i].name, n) &&
		    !isalpha((unsigned char)z[n])) {
			*out = zones[i].minutes;
			return 0;
		}
	}
	return -1;
}

/*
 * Reads an RFC 5322 date: *minutes since 1970 in UTC, *secs of the minute
 * (a leap second is 60), *zone its offset in minutes.  -1 if not a date.
 */
static int parse_date_parts(const char *date, long *minutes, unsigned *secs,
			    long *zone_out)
{
	static const char months[] = "janfebmaraprmayjunjulaugsepoctnovdec";
	const char *s = date, *mp;
	unsigned day, mon, hh, mm, ss = 0;
	long year, zone, t;
	int n = 0;
	char mname[4];

	s += strspn(s, " \t");
	/* an optional "Mon," */
	if (isalpha((unsigned char)*s)) {
		while (isalpha((unsigned char)*s))
			s++;
		if (*s++ != ',')
			goto bad;
	}
	/* widths: a number too long for its field is no date, not an overflow */
	if (sscanf(s, " %2u %3s %9ld %2u:%2u%n", &day, mname, &year, &hh, &mm,
		   &n) != 5 || !n)
		goto bad;
	s += n;
	if (*s == ':') {
		n = 0;
		if (sscanf(s, ":%2u%n", &ss, &n) != 1 || !n)
			goto bad;
		s += n;
	}
	/* a year before the common era is no mail's (and overflowed below) */
	if (year < 0)
		goto bad;
	mname[0] = (char)tolower((unsigned char)mname[0]);
	mname[1] = (char)tolower((unsigned char)mname[1]);
	mname[2] = (char)tolower((unsigned char)mname[2]);
	mp = strstr(months, mname);
	if (!mp || (mp - months) % 3 || strlen(mname) != 3)
		goto bad;
	mon = (unsigned)((mp - months) / 3 + 1);
	if (year < 50)
		year += 2000;
	else if (year < 1000)
		year += 1900;
	if (!day || day > 31 || hh > 23 || mm > 59 || ss > 60 ||
	    year > 9999)
		goto bad;
	s += strspn(s, " \t");
	if (zone_minutes(s, &zone))
		zone = 0;	/* RFC 5322: unknown zones mean UTC */
	t = (days_from_civil(year, mon, day) * 24 + (long)hh) * 60 +
	    (long)mm - zone;
	*minutes = t;
	*secs = ss;
	*zone_out = zone;
	return 0;
bad:
	return -1;
}

/* kx_lore_date_iso() without an error message: -1 if not a date. */
static int parse_date(char out[21], const char *date)
{
	long year, zone, t, days;
	unsigned m, d, ss;
	char tmp[64];

	if (parse_date_parts(date, &t, &ss, &zone) < 0)
		return -1;
	days = t / 1440 - (t % 1440 < 0);
	t -= days * 1440;
	civil_from_days(days, &year, &m, &d);
	if (year < 0 || year > 9999)
		goto bad;
	/* every field is in range now: the text is 20 bytes */
	snprintf(tmp, sizeof(tmp), "%04d-%02u-%02uT%02d:%02d:%02uZ",
		 (int)year, m, d, (int)(t / 60), (int)(t % 60),
		 ss > 59 ? 59 : ss);
	memcpy(out, tmp, 21);
	return 0;
bad:
	return -1;
}

int kx_lore_date_iso(char out[21], const char *date)
{
	if (parse_date(out, date) < 0)
		return kx_error_set(KX_EINVALID, "'%s' is not an RFC 5322 "
				    "date", date);
	return 0;
}

int kx_lore_date_time(int64_t *when, int *offset, const char *date)
{
	long minutes, zone;
	unsigned secs;

	if (parse_date_parts(date, &minutes, &secs, &zone) < 0)
		return kx_error_set(KX_EINVALID, "'%s' is not an RFC 5322 "
				    "date", date);
	*when = (int64_t)minutes * 60 + (secs > 59 ? 59 : secs);
	*offset = (int)zone;
	return 0;
}

/* --- bodies ------------------------------------------------------------- */

/* The value of parameter name in a Content-Type, or NULL. */
static char *ct_param(const char *ct, const char *name)
{
	size_t n = strlen(name), len;
	const char *p = ct;

	while (p && (p = strchr(p, ';'))) {
		p++;
		p += strspn(p, " \t");
		if (strncasecmp(p, name, n) || p[n] != '=')
			continue;
		p += n + 1;
		if (*p == '"') {
			len = strcspn(p + 1, "\"");
			return kx_xstrndup(p + 1, len);
		}
		len = strcspn(p, "; \t");
		return kx_xstrndup(p, len);
	}
	return NULL;
}

static char *decode_body(const struct headers *h, const char *s, size_t n)
{
	const char *ct = header_get(h, "Content-Type");
	const char *cte = header_get(h, "Content-Transfer-Encoding");
	struct kx_buf raw = KX_BUF_INIT, out = KX_BUF_INIT;
	char *cs = NULL;

	/* multipart bodies stay as they are: their text parts are readable */
	if (ct && !strncasecmp(ct, "multipart/", 10))
		return kx_xstrndup(s, n);
	if (cte && !strcasecmp(cte, "quoted-printable"))
		qp_decode(&raw, s, n, false);
	else if (cte && !strcasecmp(cte, "base64"))
		base64_decode(&raw, s, n);
	else
		kx_buf_add(&raw, s, n);
	cs = ct ? ct_param(ct, "charset") : NULL;
	if (!cs || !add_charset(&out, cs, strlen(cs),
				raw.buf ? raw.buf : "", raw.len))
		kx_buf_add(&out, raw.buf ? raw.buf : "", raw.len);
	free(cs);
	kx_buf_release(&raw);
	return kx_buf_detach(&out);
}

/* --- messages ----------------------------------------------------------- */

int kx_lore_message_parse(struct kx_lore_message *out, const char *text,
			  size_t len)
{
	struct headers h = { NULL, 0, 0 };
	const char *pos = text, *end = text + len, *v;
	char iso[21];
	int error = 0;

	memset(out, 0, sizeof(*out));
	if (!parse_headers(&h, &pos, end)) {
		error = kx_error_set(KX_EINVALID, "a message has no headers");
		goto done;
	}
	out->msgid = angle_id(header_get(&h, "Message-ID"));
	out->in_reply_to = angle_id(header_get(&h, "In-Reply-To"));
	parse_from(out, header_get(&h, "From"));
	v = header_get(&h, "Subject");
	out->subject = decode_header(v ? v : "");
	v = header_get(&h, "Date");
	if (v && !parse_date(iso, v))
		out->date = kx_xstrdup(iso);
	else
		out->date = kx_xstrdup(v ? v : "");
	out->body = decode_body(&h, pos, (size_t)(end - pos));
done:
	headers_release(&h);
	return error;
}

/* Appends the message in [s, end) with its >From quoting undone. */
static int add_message(struct kx_lore_messages *out, const char *s,
		       const char *end, size_t nth)
{
	struct kx_buf b = KX_BUF_INIT;
	struct kx_lore_message m;
	const char *p, *line;
	size_t n, eol, skip;
	int error;

	for (line = s; line < end; line += n + eol) {
		n = line_len(line, end, &eol);
		p = line;
		while (p < line + n && *p == '>')
			p++;
		/* mboxrd added one '>' to every ^>*From  line of the body */
		skip = p > line && (size_t)(line + n - p) >= 5 &&
		       !strncmp(p, "From ", 5);
		kx_buf_add(&b, line + skip, n + eol - skip);
	}
	/* mboxrd ends each message with a blank line of its own */
	if (b.len >= 3 && !memcmp(b.buf + b.len - 3, "\n\r\n", 3))
		b.len -= 2;
	else if (b.len >= 2 && !memcmp(b.buf + b.len - 2, "\n\n", 2))
		b.len--;
	error = kx_lore_message_parse(&m, b.buf ? b.buf : "", b.len);
	if (error < 0) {
		error = kx_error_set(KX_EINVALID, "message %zu of the mbox has "
				     "no headers", nth);
		goto done;
	}
	/* the message as it was sent, for git mailinfo (prep -F) */
	m.raw_len = b.len;
	m.raw = b.buf ? kx_buf_detach(&b) : kx_xstrdup("");
	kx_grow((void **)&out->items, &out->alloc, out->nr,
		sizeof(*out->items));
	out->items[out->nr++] = m;
done:
	kx_buf_release(&b);
	return error;
}

int kx_lore_mbox_parse(struct kx_lore_messages *out, const char *mbox,
		       size_t len)
{
	const char *s = mbox, *end = mbox + len, *msg = NULL, *line;
	size_t n, eol, nth = 0;
	int error = 0;

	/* blank lines may come first */
	while (s < end && (*s == '\n' || *s == '\r'))
		s++;
	if (s == end)
		return 0;
	if ((size_t)(end - s) < 5 || strncmp(s, "From ", 5))
		return kx_error_set(KX_EINVALID, "not an mbox: the data does "
				    "not start with a \"From \" line");
	for (line = s; line < end; line += n + eol) {
		n = line_len(line, end, &eol);
		if (n < 5 || strncmp(line, "From ", 5))
			continue;
		if (msg && (error = add_message(out, msg, line, ++nth)) < 0)
			return error;
		msg = line + n + eol;
	}
	if (msg)
		error = add_message(out, msg, end, ++nth);
	return error;
}

void kx_lore_message_release(struct kx_lore_message *m)
{
	free(m->msgid);
	free(m->from_name);
	free(m->from_email);
	free(m->subject);
	free(m->date);
	free(m->in_reply_to);
	free(m->body);
	free(m->raw);
	memset(m, 0, sizeof(*m));
}

void kx_lore_messages_release(struct kx_lore_messages *l)
{
	size_t i;

	for (i = 0; i < l->nr; i++)
		kx_lore_message_release(&l->items[i]);
	free(l->items);
	l->items = NULL;
	l->nr = l->alloc = 0;
}
