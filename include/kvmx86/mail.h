/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The mails of a series as RFC 5322 messages: headers encoded and folded
 * as git format-patch writes them (RFC 2047 for what is not ASCII), the
 * body in 8bit or quoted-printable, Message-IDs of b4's shape, file names
 * of git's.  Pure: strings in, the message out; io/ gathers the parts.
 */
#ifndef KVMX86_MAIL_H
#define KVMX86_MAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/util.h"

/* RFC 5322: no line of a message may be longer (CRLF aside). */
#define KX_MAIL_LINE_MAX 998

/* The longest address kvmx86 writes (RFC 5321's path, without <>). */
#define KX_MAIL_ADDR_MAX 254

/* A mailbox: a display name (UTF-8, "" for none) and an address. */
struct kx_mailbox {
	char *name;
	char *addr;
};

/*
 * Checks text on its way into a header (what names it, e.g. "the subject
 * of patch 2"): one line of valid UTF-8 without control characters (C0
 * with TAB, CR and LF, DEL, C1).  Returns 0, or KX_EINVALID with a message
 * naming what and showing text escaped: safe.h's kx_header_text_check(),
 * without a length limit of its own.
 */
int kx_mail_header_check(const char *what, const char *text);

/*
 * Returns s with what a terminal would obey made visible (caller frees):
 * C0 controls and DEL as ^X (TAB and LF kept when keep_lines), C1 controls
 * and bytes that are not UTF-8 as <XX>.
 */
char *kx_mail_escape(const char *s, bool keep_lines);

/*
 * Returns true if addr is an address kvmx86 writes into a header:
 * local@domain of printable ASCII, no spaces, quotes, brackets, commas or
 * semicolons, at most KX_MAIL_ADDR_MAX bytes.
 */
bool kx_mail_addr_ok(const char *addr);

/*
 * Appends the mailboxes of an address list (as --to and sendemail.to take
 * it: "A <a@x>, \"B, C\" <b@x>") to out: split at the commas outside
 * quotes, angle brackets and comments, each trimmed, empty ones left out.
 */
void kx_mail_split_list(struct kx_strlist *out, const char *text);

/*
 * Parses a mailbox as trailers and configuration write them: "Name
 * <addr>", "\"Name\" <addr>", "<addr>" or "addr", where what follows the
 * address (" # 6.1+", " (comment)", " [v2]") is dropped.  Returns 0, or
 * KX_EINVALID when there is no address, it is not kx_mail_addr_ok(), or
 * the name is not header text.
 */
int kx_mailbox_parse(struct kx_mailbox *out, const char *text);

/* Sets m from a name (NULL: none) and an address, copied. */
void kx_mailbox_set(struct kx_mailbox *m, const char *name, const char *addr);

/* Frees what m owns. */
void kx_mailbox_release(struct kx_mailbox *m);

/* Returns "Name <addr>", or "addr" without a name, for people (caller frees). */
char *kx_mailbox_text(const struct kx_mailbox *m);

/* Returns true if a and b are the same address (ASCII case ignored). */
bool kx_mail_addr_eq(const char *a, const char *b);

/*
 * Appends n bytes of s as RFC 2047 "Q" encoded-words as git does
 * (pretty.c add_rfc2047): every byte that is not plain ASCII as =XX, whole
 * characters per word, a word broken ("?=\n =?UTF-8?q?") before a line
 * would pass 76 columns; col is where the line stands already.  address
 * restricts the plain characters to those RFC 2047 allows in a phrase.
 */
void kx_mail_add_rfc2047(struct kx_buf *b, const char *s, size_t n,
			 size_t col, bool address);

/*
 * Appends m as a From:, To: or Cc: header shows it, as git does: the name
 * RFC 2047-encoded when it is not ASCII, quoted when it holds specials,
 * then " <addr>"; col is where the line stands already.
 */
void kx_mail_add_mailbox(struct kx_buf *b, const struct kx_mailbox *m,
			 size_t col);

/*
 * Returns a date as RFC 2822 and git format-patch write it ("Sun, 1 Jan
 * 2023 01:00:00 +0000"): time (seconds since the epoch) shown at
 * offset_minutes from UTC (caller frees).
 */
char *kx_mail_date(long long time, int offset_minutes);

/*
 * Returns the first part of the Message-IDs of a series, b4's: the date
 * and slug of its change-id ("20230101-fix-foo" of
 * "20230101-fix-foo-0123456789ab"); a change-id of another shape gives
 * date ("YYYYMMDD", the day of the send) and name's slug instead (caller
 * frees).
 */
char *kx_mail_msgid_stem(const char *change_id, const char *date,
			 const char *name);

/*
 * Returns a Message-ID without <>: "<stem>-v<revision>-<index>-<nonce>@
 * <domain>", b4's shape, index 0 for the cover letter (caller frees).
 * NULL if the domain or the nonce could not be part of one.
 */
char *kx_mail_msgid(const char *stem, unsigned revision, size_t index,
		    const char *nonce, const char *domain);

/*
 * Returns the file name git format-patch gives mail nr of a series
 * (caller frees): "[v<revision>-]<nr as %04d>-<slug of subject><suffix>",
 * the slug as format_sanitized_subject() makes it, the part before the
 * suffix cut to name_max - strlen(suffix) - 1 bytes (git's
 * format.filenameMaxLength, 64 by default).  subject NULL: the cover
 * letter, "cover-letter".
 */
char *kx_mail_file_name(unsigned revision, size_t nr, const char *subject,
			const char *suffix, size_t name_max);

/*
 * Splits a commit message as git format-patch does: *subject is its first
 * paragraph, lines joined with a space; *body the rest from its first
 * non-blank line, each line without trailing blanks, trailing blank lines
 * dropped, ending with a newline ("" if empty).  Caller frees both.
 */
void kx_mail_split_message(char **subject, char **body, const char *message);

/*
 * Returns the body of a patch mail (caller frees): the commit's body as
 * kx_mail_split_message() gives it, "---", below (a single patch's cover
 * text, or NULL) and a blank line, then diff: what git format-patch
 * writes after its "---" line (diffstat, summary, the diff).
 */
char *kx_mail_patch_body(const char *body, const char *below, const char *diff);

/* Counts the lines of text that are exactly "---" (a message's own cuts). */
size_t kx_mail_count_cuts(const char *text);

/* One mail of a series. */
struct kx_mail {
	const char *mbox_id;		/* "From <id> Mon Sep 17..." line, or NULL */
	const struct kx_mailbox *from;	/* the sender */
	const char *date;		/* kx_mail_date()'s */
	const char *subject_prefix;	/* "[PATCH v2 1/3] " */
	const char *subject;		/* the title */
	const struct kx_mailbox *to, *cc;
	size_t to_nr, cc_nr;
	const char *message_id;		/* without <> */
	const char *in_reply_to;	/* without <>, or NULL */
	const struct kx_mailbox *body_from;	/* the author, if not the sender */
	const char *body_date;		/* the author date, if not the mail's */
	const char *body;		/* kx_mail_patch_body()'s, or a cover's */
	const char *signature;		/* after "-- ", or NULL */
};

/* How a mail's body travels. */
enum kx_mail_encoding {
	KX_MAIL_7BIT,			/* ASCII: no MIME headers, as git */
	KX_MAIL_8BIT,			/* UTF-8 (or other bytes) in lines SMTP takes */
	KX_MAIL_QP,			/* a line over 998 octets, or a CR */
};

/* Returns how text must travel: 7bit, 8bit, or quoted-printable. */
enum kx_mail_encoding kx_mail_encoding_of(const char *text);

/*
 * Appends text quoted-printable encoded (RFC 2045): '=' and every byte
 * that is not printable ASCII as =XX, blanks before a line's end too, the
 * F of "From " that would begin a line (mbox readers split there) too,
 * lines kept and soft-broken ("=\n") to at most 76 columns.
 */
void kx_mail_add_qp(struct kx_buf *b, const char *text);

/*
 * Renders m (caller frees *out): the headers (From, Date, Subject, To,
 * Cc, Message-ID, In-Reply-To, References, MIME when the body is not
 * ASCII), a blank line, the in-body From:/Date: when given, the body, the
 * signature.  Every text that reaches a header is checked first: returns
 * 0, or KX_EINVALID naming the text (kx_mail_header_check()), an address
 * that is not kx_mail_addr_ok(), or a header line that would pass
 * KX_MAIL_LINE_MAX.
 */
int kx_mail_render(char **out, const struct kx_mail *m);

#endif
