// SPDX-License-Identifier: GPL-2.0-only
#include <stdint.h>
#include <string.h>

#include "kvmx86/error.h"
#include "kvmx86/safe.h"

/*
 * Decodes the UTF-8 sequence at s (n bytes left) into *cp; returns its
 * length, or 0 if it is not valid UTF-8 (RFC 3629).
 */
size_t kx_utf8_cut(const char *s, size_t n)
{
	/* a byte that continues a character: back to where that one starts */
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

size_t kx_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c, min;
	size_t len, i;

	if (!n)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

bool kx_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t len;

	while (n) {
		len = kx_utf8_decode(p, n, &cp);
		if (!len || !cp)
			return false;
		p += len;
		n -= len;
	}
	return true;
}

static bool is_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f);
}

void kx_buf_add_escaped(struct kx_buf *b, const char *s, size_t n,
			unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t cp;
	size_t len, run;

	while (n) {
		/* the common case: a run of printable ASCII, copied at once */
		for (run = 0; run < n && p[run] >= 0x20 && p[run] < 0x7f; run++)
			;
		if (run) {
			kx_buf_add(b, p, run);
			p += run;
			n -= run;
			continue;
		}
		len = kx_utf8_decode(p, n, &cp);
		if (!len) {
			kx_buf_addf(b, "<%02X>", p[0]);
			p++;
			n--;
			continue;
		}
		if (cp == '\n' && (flags & KX_ESCAPE_KEEP_NL))
			kx_buf_addc(b, '\n');
		else if (cp == '\t' && (flags & KX_ESCAPE_KEEP_TAB))
			kx_buf_addc(b, '\t');
		else if (cp < 0x20 || cp == 0x7f)
			kx_buf_addf(b, "^%c", (char)(cp ^ 0x40));
		else if (is_control(cp))
			kx_buf_addf(b, "<%02X><%02X>", p[0], p[1]);
		else
			kx_buf_add(b, p, len);
		p += len;
		n -= len;
	}
	if (!b->buf)
		kx_buf_add(b, "", 0);
}

char *kx_escape(const char *s, unsigned flags)
{
	struct kx_buf b = KX_BUF_INIT;

	kx_buf_add_escaped(&b, s, strlen(s), flags);
	return kx_buf_detach(&b);
}

bool kx_needs_escape(const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	uint32_t cp;

	while (n) {
		len = kx_utf8_decode(p, n, &cp);
		if (!len)
			return true;
		if (is_control(cp) &&
		    !(cp == '\n' && (flags & KX_ESCAPE_KEEP_NL)) &&
		    !(cp == '\t' && (flags & KX_ESCAPE_KEEP_TAB)))
			return true;
		p += len;
		n -= len;
	}
	return false;
}

/* The longest piece of a refused text that a message quotes. */
#define QUOTE_MAX 60

int kx_header_text_check(const char *field, const char *text, size_t max)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t n = strlen(text), len, i = 0;
	const char *why = NULL;
	struct kx_buf shown = KX_BUF_INIT;
	uint32_t cp = 0;
	int error;

	if (n > max) {
		why = "is too long";
	} else {
		while (i < n) {
			len = kx_utf8_decode(p + i, n - i, &cp);
			if (!len) {
				why = "is not valid UTF-8";
				break;
			}
			if (cp == '\n' || cp == '\r') {
				why = "holds a line break";
				break;
			}
			if (is_control(cp)) {
				why = "holds a control character";
				break;
			}
			i += len;
		}
	}
	if (!why)
		return 0;
	kx_buf_add_escaped(&shown, text, n > QUOTE_MAX ? QUOTE_MAX : n, 0);
	if (n > max)
		error = kx_error_set(KX_EINVALID, "%s '%s%s' is too long: %zu bytes, at most %zu",
				     field, shown.buf, n > QUOTE_MAX ? "..." : "", n, max);
	else
		error = kx_error_set(KX_EINVALID, "%s '%s%s' %s",
				     field, shown.buf, n > QUOTE_MAX ? "..." : "", why);
	kx_error_hint("text that becomes part of a mail header is one line of UTF-8 without control characters");
	kx_buf_release(&shown);
	return error;
}

/* Windows-1252's 0x80-0x9f; WHATWG maps the five undefined bytes to C1. */
static const uint16_t cp1252[32] = {
	0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021,
	0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d, 0x017d, 0x008f,
	0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014,
	0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0x009d, 0x017e, 0x0178,
};

char *kx_text_to_utf8(const char *text, bool *converted)
{
	struct kx_buf b = KX_BUF_INIT;
	const unsigned char *p;

	*converted = false;
	if (kx_utf8_valid(text, strlen(text)))
		return kx_xstrdup(text);
	*converted = true;
	for (p = (const unsigned char *)text; *p; p++) {
		if (*p < 0x80)
			kx_buf_addc(&b, (char)*p);
		else if (*p < 0xa0)
			kx_buf_add_utf8(&b, cp1252[*p - 0x80]);
		else
			kx_buf_add_utf8(&b, *p);
	}
	return kx_buf_detach(&b);
}

char *kx_url_redact(const char *url)
{
	const char *host = strstr(url, "://"), *end, *at = NULL, *q;

	if (!host)
		return kx_xstrdup(url);
	host += 3;
	end = host + strcspn(host, "/?#");
	/* the last '@' ends the user-info (a password may hold one) */
	for (q = host; q < end; q++)
		if (*q == '@')
			at = q;
	if (!at)
		return kx_xstrdup(url);
	return kx_xasprintf("%.*s%s", (int)(host - url), url, at + 1);
}

/* Whether word goes to a shell as it is. */
static bool plain_word(const char *w)
{
	const char *p;

	if (!*w)
		return false;
	for (p = w; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789-_./=:@+,%", *p))
			return false;
	return true;
}

/*
 * The length of the character at w (n bytes left) when a terminal shows it
 * as typed, else 0: a control (C0, DEL, C1) or a byte that is no UTF-8,
 * which kx_out_* shows escaped (^[, <C2><9B>, <FF>) and no paste gives back.
 */
static size_t typed_length(const char *w, size_t n)
{
	uint32_t cp;
	size_t len = kx_utf8_decode((const unsigned char *)w, n, &cp);

	return len && !is_control(cp) ? len : 0;
}

/* Has w a character that no terminal shows as typed? */
static bool has_control(const char *w)
{
	size_t n = strlen(w), len;

	for (; n; w += len, n -= len)
		if (!(len = typed_length(w, n)))
			return true;
	return false;
}

void kx_buf_add_shell_word(struct kx_buf *b, const char *w)
{
	const char *p;
	size_t n, len;

	if (plain_word(w)) {
		kx_buf_adds(b, w);
		return;
	}
	/* bash's and zsh's $'...': a line break pasted back as one */
	if (has_control(w)) {
		kx_buf_adds(b, "$'");
		for (p = w, n = strlen(w); n; p += len, n -= len) {
			unsigned char c = (unsigned char)*p;

			len = 1;
			if (c == '\n')
				kx_buf_adds(b, "\\n");
			else if (c == '\t')
				kx_buf_adds(b, "\\t");
			else if (c == '\\' || c == '\'')
				kx_buf_addf(b, "\\%c", c);
			else if ((len = typed_length(p, n)))
				kx_buf_add(b, p, len);
			else {
				/* a byte at a time: $'\xc2\x9b' is U+009B again */
				len = 1;
				kx_buf_addf(b, "\\x%02x", c);
			}
		}
		kx_buf_adds(b, "'");
		return;
	}
	kx_buf_adds(b, "'");
	for (p = w; *p; p++) {
		if (*p == '\'')
			kx_buf_adds(b, "'\\''");
		else
			kx_buf_add(b, p, 1);
	}
	kx_buf_adds(b, "'");
}

char *kx_shell_word(const char *w)
{
	struct kx_buf b = KX_BUF_INIT;

	kx_buf_add_shell_word(&b, w);
	return kx_buf_detach(&b);
}
