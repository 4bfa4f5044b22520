// SPDX-License-Identifier: GPL-2.0-only
/*
 * Mail formatting as git format-patch does it (pretty.c, log-tree.c,
 * builtin/log.c of git 2.39): the same RFC 2047 encoding, the same
 * folding of subjects and names, the same file names, so that what
 * kvmx86 writes reads like what git writes and git am takes it alike.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kvmx86/cover.h"
#include "kvmx86/error.h"
#include "kvmx86/mail.h"
#include "kvmx86/safe.h"
#include "kvmx86/state.h"

static bool is_control(unsigned long c)
{
	return c < 0x20 || c == 0x7f || (c >= 0x80 && c <= 0x9f);
}

char *kx_mail_escape(const char *s, bool keep_lines)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), len;
	struct kx_buf b = KX_BUF_INIT;
	uint32_t c;

	kx_buf_adds(&b, "");
	while (n) {
		len = kx_utf8_decode(p, n, &c);
		if (!len) {
			kx_buf_addf(&b, "<%02X>", *p);
			len = 1;
		} else if (keep_lines && (c == '\n' || c == '\t')) {
			kx_buf_addc(&b, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			kx_buf_addc(&b, '^');
			kx_buf_addc(&b, c == 0x7f ? '?' : (char)(c + '@'));
		} else if (is_control(c)) {
			size_t i;

			for (i = 0; i < len; i++)
				kx_buf_addf(&b, "<%02X>", p[i]);
		} else {
			kx_buf_add(&b, p, len);
		}
		p += len;
		n -= len;
	}
	return kx_buf_detach(&b);
}

int kx_mail_header_check(const char *what, const char *text)
{
	/* the one validator (safe.h); the line length is kx_mail_render()'s */
	return kx_header_text_check(what, text, SIZE_MAX);
}

/* RFC 5322 atext, and '.' between atoms. */
static bool local_char(char c)
{
	return isalnum((unsigned char)c) || (c && strchr("!#$%&'*+-/=?^_`{|}~.", c));
}

bool kx_mail_addr_ok(const char *addr)
{
	const char *at = strchr(addr, '@'), *p;
	size_t n = strlen(addr);

	if (!at || at == addr || !at[1] || n > KX_MAIL_ADDR_MAX ||
	    strchr(at + 1, '@'))
		return false;
	/* '-' first: an option to a sendmail-like program that gets it */
	if (addr[0] == '.' || addr[0] == '-' || at[-1] == '.' ||
	    strstr(addr, ".."))
		return false;
	for (p = addr; p < at; p++)
		if (!local_char(*p))
			return false;
	if (at[1] == '.' || at[1] == '-' || addr[n - 1] == '.' || addr[n - 1] == '-')
		return false;
	for (p = at + 1; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '.')
			return false;
	return true;
}

bool kx_mail_addr_eq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
			return false;
	return !*a && !*b;
}

void kx_mailbox_set(struct kx_mailbox *m, const char *name, const char *addr)
{
	m->name = kx_xstrdup(name ? name : "");
	m->addr = kx_xstrdup(addr);
}

void kx_mailbox_release(struct kx_mailbox *m)
{
	free(m->name);
	free(m->addr);
	m->name = m->addr = NULL;
}

char *kx_mailbox_text(const struct kx_mailbox *m)
{
	if (!m->name || !*m->name)
		return kx_xstrdup(m->addr);
	return kx_xasprintf("%s <%s>", m->name, m->addr);
}

/* A name as written between its quotes: \" and \\ unescaped. */
static char *unquote(const char *s, size_t n)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t i;

	kx_buf_adds(&b, "");
	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n)
			i++;
		kx_buf_addc(&b, s[i]);
	}
	return kx_buf_detach(&b);
}

void kx_mail_split_list(struct kx_strlist *out, const char *text)
{
	const char *p = text, *start = text;
	bool quoted = false;
	int angle = 0, paren = 0;

	for (;; p++) {
		if (*p == '\\' && quoted && p[1]) {
			p++;
			continue;
		}
		if (*p == '"' && !angle && !paren)
			quoted = !quoted;
		else if (!quoted && *p == '<')
			angle++;
		else if (!quoted && *p == '>' && angle)
			angle--;
		else if (!quoted && *p == '(')
			paren++;
		else if (!quoted && *p == ')' && paren)
			paren--;
		if (*p && (*p != ',' || quoted || angle || paren))
			continue;
		while (start < p && isspace((unsigned char)*start))
			start++;
		{
			const char *end = p;

			while (end > start && isspace((unsigned char)end[-1]))
				end--;
			if (end > start)
				kx_strlist_addf(out, "%.*s", (int)(end - start),
						start);
		}
		if (!*p)
			break;
		start = p + 1;
	}
}

int kx_mailbox_parse(struct kx_mailbox *out, const char *text)
{
	const char *lt, *gt, *s = text, *e;
	char *name = NULL, *addr = NULL, *shown;
	int error = 0;

	memset(out, 0, sizeof(*out));
	while (*s == ' ' || *s == '\t')
		s++;
	lt = strchr(s, '<');
	if (lt) {
		gt = strchr(lt, '>');
		if (!gt)
			goto bad;
		addr = kx_xstrndup_trimmed(lt + 1, (size_t)(gt - lt - 1));
		e = lt;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
			e--;
		if (e - s >= 2 && *s == '"' && e[-1] == '"')
			name = unquote(s + 1, (size_t)(e - s - 2));
		else
			name = kx_xstrndup(s, (size_t)(e - s));
	} else {
		/* "addr # 6.1+", "addr (comment)": the first word */
		e = s + strcspn(s, " \t#([");
		addr = kx_xstrndup(s, (size_t)(e - s));
		name = kx_xstrdup("");
	}
	if (!kx_mail_addr_ok(addr))
		goto bad;
	if ((error = kx_mail_header_check("the name", name)) < 0)
		goto done;
	out->name = name;
	out->addr = addr;
	return 0;
bad:
	shown = kx_mail_escape(text, false);
	error = kx_error_set(KX_EINVALID, "'%s' is not an address kvmx86 can write", shown);
	free(shown);
done:
	free(name);
	free(addr);
	return error;
}

/* git's is_rfc2047_special() */
static bool rfc2047_special(unsigned char c, bool address)
{
	if (c >= 0x80 || c == 0x1b || !isprint(c))
		return true;
	if (isspace(c) || c == '=' || c == '?' || c == '_')
		return true;
	if (!address)
		return false;
	return !(isalnum(c) || c == '!' || c == '*' || c == '+' || c == '-' ||
		 c == '/');
}

/* git's needs_rfc2047_encoding() */
static bool needs_rfc2047(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x80 || c == 0x1b || c == '\n')
			return true;
		if (i + 1 < n && c == '=' && s[i + 1] == '?')
			return true;
	}
	return false;
}

void kx_mail_add_rfc2047(struct kx_buf *b, const char *s, size_t n,
			 size_t col, bool address)
{
	const unsigned char *p = (const unsigned char *)s;
	static const char *const enc = "UTF-8";
	size_t line_len = col, i;

	kx_buf_addf(b, "=?%s?q?", enc);
	line_len += strlen(enc) + 5;
	while (n) {
		uint32_t c;
		size_t chrlen = kx_utf8_decode(p, n, &c);
		bool special;
		size_t enc_len;

		if (!chrlen)
			chrlen = 1;
		special = chrlen > 1 || rfc2047_special(*p, address);
		enc_len = special ? 3 * chrlen : 1;
		/* it would not fit with the trailing "?=": break the line */
		if (line_len + enc_len + 2 > 76) {
			kx_buf_addf(b, "?=\n =?%s?q?", enc);
			line_len = strlen(enc) + 5 + 1;
		}
		for (i = 0; i < chrlen; i++) {
			if (special)
				kx_buf_addf(b, "=%02X", p[i]);
			else
				kx_buf_addc(b, (char)p[i]);
		}
		line_len += enc_len;
		p += chrlen;
		n -= chrlen;
	}
	kx_buf_adds(b, "?=");
}

/* How many bytes the last line of b holds. */
static size_t last_line_len(const struct kx_buf *b)
{
	size_t i = b->len;

	while (i && b->buf[i - 1] != '\n')
		i--;
	return b->len - i;
}

/* git's is_rfc822_special() over a name */
static bool needs_quotes(const char *s)
{
	return strpbrk(s, "()<>[]:;@,.\"\\") != NULL;
}

void kx_mail_add_mailbox(struct kx_buf *b, const struct kx_mailbox *m,
			 size_t col)
{
	const char *name = m->name ? m->name : "";
	size_t n = strlen(name), max_length = 78;

	if (!n) {
		kx_buf_adds(b, m->addr);
		return;
	}
	/* pretty.c pp_user_info() */
	if (needs_rfc2047(name, n)) {
		kx_mail_add_rfc2047(b, name, n, col, true);
		max_length = 76;
	} else if (needs_quotes(name)) {
		struct kx_buf q = KX_BUF_INIT;
		size_t i;

		kx_buf_addc(&q, '"');
		for (i = 0; i < n; i++) {
			if (name[i] == '"' || name[i] == '\\')
				kx_buf_addc(&q, '\\');
			kx_buf_addc(&q, name[i]);
		}
		kx_buf_addc(&q, '"');
		kx_shortlog_wrap(b, q.buf, -(int)col, 1, (int)max_length);
		kx_buf_release(&q);
	} else {
		kx_shortlog_wrap(b, name, -(int)col, 1, (int)max_length);
	}
	if (max_length < last_line_len(b) + strlen(" <") + strlen(m->addr) + 1)
		kx_buf_addc(b, '\n');
	kx_buf_addf(b, " <%s>", m->addr);
}

char *kx_mail_date(long long t, int offset_minutes)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu",
					    "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
					      "Jun", "Jul", "Aug", "Sep", "Oct",
					      "Nov", "Dec" };
	time_t local = (time_t)(t + (long long)offset_minutes * 60);
	int tz = (offset_minutes / 60) * 100 + offset_minutes % 60;
	struct tm tm;

	if (!gmtime_r(&local, &tm)) {
		local = 0;
		gmtime_r(&local, &tm);
	}
	return kx_xasprintf("%.3s, %d %.3s %d %02d:%02d:%02d %+05d",
			    days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
			    tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
			    tz);
}

static bool msgid_word(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_' &&
		    s[i] != '.')
			return false;
	return true;
}

char *kx_mail_msgid_stem(const char *change_id, const char *date,
			 const char *name)
{
	const char *dash = change_id ? strrchr(change_id, '-') : NULL;
	char *id, *cut;
	size_t i;

	/* YYYYMMDD-<slug>-<random>: all but the random part, as b4 */
	if (dash && dash - change_id > 9 && msgid_word(change_id, strlen(change_id)) &&
	    change_id[8] == '-') {
		for (i = 0; i < 8 && isdigit((unsigned char)change_id[i]); i++)
			;
		if (i == 8)
			return kx_xstrndup(change_id, (size_t)(dash - change_id));
	}
	id = kx_change_id(name && *name ? name : "series", date, "0");
	cut = strrchr(id, '-');
	if (cut)
		*cut = '\0';
	return id;
}

char *kx_mail_msgid(const char *stem, unsigned revision, size_t index,
		    const char *nonce, const char *domain)
{
	size_t i;

	if (!msgid_word(stem, strlen(stem)) || !msgid_word(nonce, strlen(nonce)) ||
	    !*domain || domain[0] == '.' || domain[0] == '-')
		return NULL;
	for (i = 0; domain[i]; i++)
		if (!isalnum((unsigned char)domain[i]) && domain[i] != '-' &&
		    domain[i] != '.')
			return NULL;
	return kx_xasprintf("%s-v%u-%zu-%s@%s", stem, revision, index, nonce,
			    domain);
}

/* git's istitlechar(): ASCII only, whatever the locale */
static bool title_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_';
}

/* git's format_sanitized_subject() */
static void add_sanitized(struct kx_buf *b, const char *s)
{
	size_t start = b->len, i, n = strlen(s);
	int space = 2;

	for (i = 0; i < n; i++) {
		if (title_char(s[i])) {
			if (space == 1)
				kx_buf_addc(b, '-');
			space = 0;
			kx_buf_addc(b, s[i]);
			if (s[i] == '.')
				while (s[i + 1] == '.')
					i++;
		} else {
			space |= 1;
		}
	}
	while (b->len > start &&
	       (b->buf[b->len - 1] == '.' || b->buf[b->len - 1] == '-'))
		b->buf[--b->len] = '\0';
}

char *kx_mail_file_name(unsigned revision, size_t nr, const char *subject,
			const char *suffix, size_t name_max)
{
	struct kx_buf b = KX_BUF_INIT;
	size_t max_len = name_max > strlen(suffix) + 1 ?
			 name_max - strlen(suffix) - 1 : 0;

	kx_buf_adds(&b, "");
	if (revision > 1) {
		char *v = kx_xasprintf("v%u", revision);

		add_sanitized(&b, v);
		kx_buf_addc(&b, '-');
		free(v);
	}
	kx_buf_addf(&b, "%04zu-", nr);
	add_sanitized(&b, subject ? subject : "cover-letter");
	if (b.len > max_len) {
		b.len = max_len;
		b.buf[b.len] = '\0';
	}
	kx_buf_adds(&b, suffix);
	return kx_buf_detach(&b);
}

/* The length of the line at s with its newline. */
static size_t line_len(const char *s)
{
	const char *nl = strchr(s, '\n');

	return nl ? (size_t)(nl - s) + 1 : strlen(s);
}

/* The length of the n bytes at s without trailing whitespace. */
static size_t trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return n;
}

void kx_mail_split_message(char **subject, char **body, const char *message)
{
	struct kx_buf sub = KX_BUF_INIT, bod = KX_BUF_INIT;
	const char *msg = message;
	size_t n, t;
	bool first = true;

	kx_buf_adds(&sub, "");
	kx_buf_adds(&bod, "");
	/* pretty.c skip_blank_lines() */
	while ((n = line_len(msg)) && !trimmed(msg, n))
		msg += n;
	/* format_subject(): the first paragraph, lines joined */
	for (;;) {
		n = line_len(msg);
		msg += n;
		if (!n || !(t = trimmed(msg - n, n)))
			break;
		if (!first)
			kx_buf_addc(&sub, ' ');
		kx_buf_add(&sub, msg - n, t);
		first = false;
	}
	/* pp_remainder(): blank lines first skipped, each line trimmed */
	first = true;
	while ((n = line_len(msg))) {
		t = trimmed(msg, n);
		if (!t && first) {
			msg += n;
			continue;
		}
		first = false;
		kx_buf_add(&bod, msg, t);
		kx_buf_addc(&bod, '\n');
		msg += n;
	}
	/* strbuf_rtrim(): no trailing blank lines */
	bod.len = trimmed(bod.buf, bod.len);
	bod.buf[bod.len] = '\0';
	if (bod.len)
		kx_buf_addc(&bod, '\n');
	*subject = kx_buf_detach(&sub);
	*body = kx_buf_detach(&bod);
}

char *kx_mail_patch_body(const char *body, const char *below, const char *diff)
{
	struct kx_buf b = KX_BUF_INIT;

	kx_buf_adds(&b, body);
	kx_buf_adds(&b, "---\n");
	if (below && *below) {
		kx_buf_adds(&b, below);
		if (b.buf[b.len - 1] != '\n')
			kx_buf_addc(&b, '\n');
		kx_buf_addc(&b, '\n');
	}
	kx_buf_adds(&b, diff);
	return kx_buf_detach(&b);
}

size_t kx_mail_count_cuts(const char *text)
{
	size_t n = 0;
	const char *p = text;

	while (*p) {
		size_t len = line_len(p);

		if ((len == 4 && !strncmp(p, "---\n", 4)) ||
		    (len == 3 && !strncmp(p, "---", 3)))
			n++;
		p += len;
	}
	return n;
}

enum kx_mail_encoding kx_mail_encoding_of(const char *text)
{
	enum kx_mail_encoding e = KX_MAIL_7BIT;
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;

	for (; *p; p++) {
		if (*p == '\n') {
			col = 0;
			continue;
		}
		if (*p == '\r' || ++col > KX_MAIL_LINE_MAX)
			return KX_MAIL_QP;
		if (*p >= 0x80)
			e = KX_MAIL_8BIT;
	}
	return e;
}

void kx_mail_add_qp(struct kx_buf *b, const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	size_t col = 0;

	for (; *p; p++) {
		char tok[4];
		size_t n;
		bool at_eol = p[1] == '\n' || !p[1];

		if (*p == '\n') {
			kx_buf_addc(b, '\n');
			col = 0;
			continue;
		}
		if ((*p >= 33 && *p <= 126 && *p != '=') ||
		    ((*p == ' ' || *p == '\t') && !at_eol)) {
			tok[0] = (char)*p;
			n = 1;
		} else {
			snprintf(tok, sizeof(tok), "=%02X", *p);
			n = 3;
		}
		/* 76 columns with the soft break's '=' */
		if (col + n > 75) {
			kx_buf_adds(b, "=\n");
			col = 0;
		}
		/* an mbox reader would take a line "From " for a new mail */
		if (!col && !strncmp((const char *)p, "From ", 5)) {
			memcpy(tok, "=46", 3);
			n = 3;
		}
		kx_buf_add(b, tok, n);
		col += n;
	}
	if (col)
		kx_buf_adds(b, "=\n");
}

/* Appends "Name: " and the mailboxes, one a line as format-patch's --to. */
static int add_address_header(struct kx_buf *b, const char *name,
			      const struct kx_mailbox *list, size_t nr)
{
	size_t i;
	int error;

	if (!nr)
		return 0;
	kx_buf_addf(b, "%s: ", name);
	for (i = 0; i < nr; i++) {
		if (!kx_mail_addr_ok(list[i].addr)) {
			char *shown = kx_mail_escape(list[i].addr, false);

			error = kx_error_set(KX_EINVALID,
					     "'%s' is not an address kvmx86 can write", shown);
			free(shown);
			return error;
		}
		if ((error = kx_mail_header_check("the name", list[i].name ?
						  list[i].name : "")) < 0)
			return error;
		if (i)
			kx_buf_adds(b, ",\n    ");
		kx_mail_add_mailbox(b, &list[i], i ? 4 : strlen(name) + 2);
	}
	kx_buf_addc(b, '\n');
	return 0;
}

static int add_subject(struct kx_buf *b, const struct kx_mail *m)
{
	const char *prefix = m->subject_prefix ? m->subject_prefix : "";
	char *whole = kx_xasprintf("%s%s", prefix, m->subject);
	int error;

	if ((error = kx_mail_header_check("the subject", whole)) < 0)
		goto done;
	kx_buf_adds(b, "Subject: ");
	if (needs_rfc2047(prefix, strlen(prefix))) {
		/* git never meets one: its prefixes are its own */
		kx_mail_add_rfc2047(b, whole, strlen(whole), 9, false);
	} else {
		kx_buf_adds(b, prefix);
		if (needs_rfc2047(m->subject, strlen(m->subject)))
			kx_mail_add_rfc2047(b, m->subject, strlen(m->subject),
					    last_line_len(b), false);
		else
			kx_shortlog_wrap(b, m->subject, -(int)last_line_len(b), 1, 78);
	}
	kx_buf_addc(b, '\n');
done:
	free(whole);
	return error;
}

/* A Message-ID between its <>: printable ASCII, one '@', no spaces. */
static int check_msgid(const char *what, const char *id)
{
	const char *p;

	for (p = id; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '<' || *p == '>')
			break;
	if (*id && !*p && strchr(id, '@'))
		return 0;
	{
		char *shown = kx_mail_escape(id, false);
		int error = kx_error_set(KX_EINVALID, "%s '%s' is not a Message-ID",
					 what, shown);

		free(shown);
		return error;
	}
}

int kx_mail_render(char **out, const struct kx_mail *m)
{
	struct kx_buf h = KX_BUF_INIT, body = KX_BUF_INIT;
	enum kx_mail_encoding enc;
	const char *p;
	int error;

	*out = NULL;
	if (m->mbox_id)
		kx_buf_addf(&h, "From %s Mon Sep 17 00:00:00 2001\n", m->mbox_id);
	kx_buf_adds(&h, "From: ");
	if (!kx_mail_addr_ok(m->from->addr)) {
		char *shown = kx_mail_escape(m->from->addr, false);

		error = kx_error_set(KX_EINVALID,
				     "the sender's address '%s' is not one kvmx86 can write",
				     shown);
		free(shown);
		goto done;
	}
	if ((error = kx_mail_header_check("the sender's name", m->from->name)) < 0)
		goto done;
	kx_mail_add_mailbox(&h, m->from, 6);
	kx_buf_addf(&h, "\nDate: %s\n", m->date);
	if ((error = add_subject(&h, m)) < 0 ||
	    (error = add_address_header(&h, "To", m->to, m->to_nr)) < 0 ||
	    (error = add_address_header(&h, "Cc", m->cc, m->cc_nr)) < 0 ||
	    (error = check_msgid("the Message-ID", m->message_id)) < 0 ||
	    (m->in_reply_to &&
	     (error = check_msgid("the In-Reply-To", m->in_reply_to)) < 0))
		goto done;
	kx_buf_addf(&h, "Message-ID: <%s>\n", m->message_id);
	if (m->in_reply_to)
		kx_buf_addf(&h, "In-Reply-To: <%s>\nReferences: <%s>\n",
			    m->in_reply_to, m->in_reply_to);

	/* in the body what git am takes over the headers: the author */
	kx_buf_adds(&body, "");
	if (m->body_from) {
		if ((error = kx_mail_header_check("the author's name",
						  m->body_from->name)) < 0 ||
		    (error = kx_mail_header_check("the author's address",
						  m->body_from->addr)) < 0)
			goto done;
		kx_buf_addf(&body, "From: %s <%s>\n", m->body_from->name,
			    m->body_from->addr);
	}
	if (m->body_date)
		kx_buf_addf(&body, "Date: %s\n", m->body_date);
	if (m->body_from || m->body_date)
		kx_buf_addc(&body, '\n');
	kx_buf_adds(&body, m->body);
	if (m->signature && *m->signature) {
		kx_buf_addf(&body, "-- \n%s", m->signature);
		if (body.buf[body.len - 1] != '\n')
			kx_buf_addc(&body, '\n');
		kx_buf_addc(&body, '\n');
	}

	enc = kx_mail_encoding_of(body.buf);
	if (enc != KX_MAIL_7BIT)
		kx_buf_addf(&h, "MIME-Version: 1.0\n"
			    "Content-Type: text/plain; charset=UTF-8\n"
			    "Content-Transfer-Encoding: %s\n",
			    enc == KX_MAIL_QP ? "quoted-printable" : "8bit");
	/* a name or subject without spaces cannot be folded */
	for (p = h.buf; *p;) {
		size_t n = line_len(p);

		if (trimmed(p, n) > KX_MAIL_LINE_MAX) {
			error = kx_error_set(KX_EINVALID,
					     "a header line of %zu bytes would pass the %d that mail allows: '%.40s...'",
					     trimmed(p, n), KX_MAIL_LINE_MAX, p);
			goto done;
		}
		p += n;
	}
	kx_buf_addc(&h, '\n');
	if (enc == KX_MAIL_QP)
		kx_mail_add_qp(&h, body.buf);
	else
		kx_buf_add(&h, body.buf, body.len);
	*out = kx_buf_detach(&h);
done:
	kx_buf_release(&h);
	kx_buf_release(&body);
	return error;
}
