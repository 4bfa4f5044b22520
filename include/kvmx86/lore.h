/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * lore.kernel.org (public-inbox): the earlier versions of a series.
 *
 * The decisions are pure (lib/core/lore.c: subjects, matching, Message-IDs
 * and URLs; lib/core/mbox.c: mboxrd and RFC 5322 headers; lib/core/atom.c:
 * the x=A search feed) and unit-tested over literal strings; the look-ups
 * are io's (lib/io/lore.c, over lib/io/http.c).
 */
#ifndef KVMX86_LORE_H
#define KVMX86_LORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "kvmx86/http.h"
#include "kvmx86/util.h"

/* git config kvmx86.loreUrl: the inbox searched (lore's cross-list one). */
#define KX_LORE_DEFAULT_URL "https://lore.kernel.org/all"
/* The redirector for Link: tags (the handbook's preferred form). */
#define KX_LORE_DEFAULT_LINK "https://lore.kernel.org/r"

/* --- lib/core/lore.c: subjects ----------------------------------------- */

/* What a patch subject says, e.g. "[RFC PATCH v3 2/5] KVM: x86: Foo". */
struct kx_lore_subject {
	char *subject;		/* the rest: "KVM: x86: Foo", blanks squeezed */
	unsigned revision;	/* vN; 1 when absent */
	unsigned index, total;	/* N/M; 0/0 when absent (one patch) */
	bool is_patch;		/* a [...] group says PATCH or RFC */
	bool is_reply;		/* "Re:" (or "Aw:", "Fwd:") came first */
	bool is_rfc, is_resend;
};
#define KX_LORE_SUBJECT_INIT { NULL, 1, 0, 0, false, false, false, false }

/*
 * Parses subject: leading "Re:"/"Aw:"/"Fwd:" (any case, repeated) make a
 * reply; every leading [...] group is read for PATCH, RFC, RESEND, vN (or
 * PATCHvN) and N/M ("00/12" is 0 of 12; N > M is ignored); other words in
 * the groups (a list or tree tag) are ignored.  Fills out (released first).
 */
void kx_lore_subject_parse(struct kx_lore_subject *out, const char *subject);

/* Frees what s owns and empties it. */
void kx_lore_subject_release(struct kx_lore_subject *s);

/* --- lib/core/mbox.c: messages ----------------------------------------- */

/* A mail as kvmx86 needs it; every string owned, decoded to UTF-8. */
struct kx_lore_message {
	char *msgid;		/* Message-ID without <>, or NULL */
	char *from_name;	/* "" if none */
	char *from_email;	/* NULL if none */
	char *subject;		/* RFC 2047 decoded, unfolded; "" if none */
	char *date;		/* "YYYY-MM-DDTHH:MM:SSZ" (UTC) or as written */
	char *in_reply_to;	/* the first <id> of In-Reply-To, or NULL */
	char *body;		/* single-part bodies decoded (QP, base64) */
	char *raw;		/* from an mbox: the message as sent, or NULL */
	size_t raw_len;
};

struct kx_lore_messages {
	struct kx_lore_message *items;
	size_t nr, alloc;
};
#define KX_LORE_MESSAGES_INIT { NULL, 0, 0 }

/*
 * Parses one RFC 5322 message of len bytes (CRLF or LF): headers unfolded,
 * Subject and the From name RFC 2047-decoded (UTF-8 and ISO-8859-1 words;
 * others are kept as written), Date converted to UTC.  Returns 0, or
 * KX_EINVALID if text does not start with a header.
 */
int kx_lore_message_parse(struct kx_lore_message *out, const char *text,
			  size_t len);

/*
 * Splits an mboxrd of len bytes at its "From " lines, removes one '>' from
 * lines matching ^>+From , and appends each message to out.  An empty mbox
 * is fine.  Returns 0, or KX_EINVALID (with a message naming what) if the
 * data does not start with "From " or a message has no headers; out then
 * keeps the messages parsed before.
 */
int kx_lore_mbox_parse(struct kx_lore_messages *out, const char *mbox,
		       size_t len);

/*
 * Converts an RFC 5322 date ("Mon, 9 Jan 2023 10:00:00 +0100", obsolete
 * zone names too) to "2023-01-09T09:00:00Z" in out (21 bytes).  Returns
 * 0, or KX_EINVALID if it is not such a date.
 */
int kx_lore_date_iso(char out[21], const char *date);

/*
 * Reads an RFC 5322 date as git stores a time: *when in seconds since
 * 1970 (UTC), *offset the zone's minutes east of UTC.  Returns 0, or
 * KX_EINVALID if it is not such a date.
 */
int kx_lore_date_time(int64_t *when, int *offset, const char *date);

/* --- lib/core/atom.c: the x=A search feed ------------------------------- */

/*
 * Parses public-inbox's Atom feed of len bytes and appends each <entry> to
 * out: title (subject), author name and email, updated (date), the
 * Message-ID from the link (or id) URL "https://host/inbox/<msgid>/"
 * percent-decoded, thr:in-reply-to likewise, and the text of <content>
 * with the markup removed (body).  A small non-validating XML reader: it
 * checks that tags nest and close, attributes are quoted and entities are
 * the predefined or numeric ones, and rejects a DOCTYPE.  Returns 0, or
 * KX_EINVALID naming the line of the first problem (out then keeps the
 * complete entries before it).
 */
int kx_lore_atom_parse(struct kx_lore_messages *out, const char *xml,
		       size_t len);

/* Frees what m owns and empties it. */
void kx_lore_message_release(struct kx_lore_message *m);

/* Frees every message and empties l; l may be reused. */
void kx_lore_messages_release(struct kx_lore_messages *l);

/* --- lib/core/lore.c: earlier versions from candidates ----------------- */

enum kx_lore_kind {
	KX_LORE_FIRST,		/* patch 1/N of a series sent without a cover */
	KX_LORE_SINGLE,		/* a one-patch series: [PATCH vN] */
	KX_LORE_COVER,		/* the cover letter: [PATCH vN 0/M] */
};

/* One posted version of a series. */
struct kx_lore_version {
	unsigned revision;
	enum kx_lore_kind kind;
	unsigned total;		/* M of N/M; 0 for a single patch */
	char *msgid;		/* the cover's, the single patch's, or 1/N's */
	char *subject;		/* as posted, the [...] part included */
	char *date;		/* as kx_lore_message.date */
	bool by_change_id;	/* it has the change-id (else: the subject) */
};

/*
 * Whether Message-IDs a and b (without <>) are of one posting: the same
 * but for one field of digits ('-' or '.' apart) in the local part, the
 * mail's index that b4 (<date>-<slug>-vN-<k>-<nonce>@...) and git
 * send-email (<date>.<pid>-<k>-<user>@...) write.
 */
bool kx_msgid_same_posting(const char *a, const char *b);

struct kx_lore_versions {
	struct kx_lore_version *items;	/* by revision, one each */
	size_t nr, alloc;
	struct kx_strlist warnings;	/* advice: duplicates, newer versions */
};
#define KX_LORE_VERSIONS_INIT { NULL, 0, 0, KX_STRLIST_INIT }

/* What to look for. */
struct kx_lore_want {
	const char *author_email;	/* required; compared ignoring case */
	const char *subject;		/* no [...]; NULL: change-id only */
	const char *change_id;		/* NULL: subject only */
	unsigned revision;		/* the current one; 0: keep them all */
};

/*
 * Adds to out the versions among msgs (a search result, any order), by
 * these rules:
 *  - a message counts only if it is a posting: its subject has a [PATCH]
 *    or [RFC] group and no "Re:" (a reply is never a version), and it is
 *    from want->author_email (others are ignored; one that carries the
 *    change-id gets a warning, as someone may have taken the series over);
 *  - it matches by change-id if its body has a line
 *    ^\s*change-id:\s*<id>\s*$ (case-insensitive key, exact id; quoted
 *    lines "> change-id:" do not match), else by subject if its subject,
 *    without the [...] part, equals want->subject ignoring case and runs of
 *    blanks;
 *  - per revision one message stands for the version: the cover letter
 *    (0/M) over a single patch over patch 1/M (a series without cover);
 *    patches 2..M never do;  a change-id match beats a subject match of the
 *    same kind; among equals the latest date wins and a warning names the
 *    other posting (a RESEND, or a repost);
 *  - with want->revision set, only earlier revisions are kept; a posting of
 *    the current or a later revision becomes a warning instead.
 * Candidates without a Message-ID are ignored.  Entries already in out
 * (from an earlier search) compete by the same rules.  Keeps out sorted by
 * revision.  Returns 0, or KX_EINVALID without an author email.
 */
int kx_lore_pick_versions(struct kx_lore_versions *out,
			  const struct kx_lore_messages *msgs,
			  const struct kx_lore_want *want);

/* Frees every version and warning; out may be reused. */
void kx_lore_versions_release(struct kx_lore_versions *out);

/* --- lib/core/lore.c: Message-IDs, URLs and queries --------------------- */

/*
 * Returns msgid (no <>) escaped for a public-inbox URL path as
 * public-inbox's own links escape it: every byte but A-Za-z0-9 and
 * -._~!$&'()*+,;=:@ becomes %XX, so '/' is %2F.  Caller frees.
 */
char *kx_lore_msgid_escape(const char *msgid);

/*
 * Returns "<base>/<escaped msgid>" (base's trailing '/' dropped, and any
 * "user:password@" in it), e.g. a Link: URL with base
 * KX_LORE_DEFAULT_LINK.  Caller frees.
 */
char *kx_lore_link(const char *base, const char *msgid);

/*
 * Finds the Message-ID an argument names: "<id>", a bare "id@host", "id:"
 * or "mid:" then one, or an archive URL (scheme optional):
 * lore.kernel.org/<list>/<id>/..., lore.kernel.org/r/<id>,
 * lkml.kernel.org/r/<id>, patch.msgid.link/<id>, msgid.link/<id>,
 * patchwork.kernel.org/project/<p>/{patch,cover}/<id>/, and on any other
 * host the first path segment with an '@' (a public-inbox mirror); the
 * segment is percent-decoded.  Stores it in *out (caller frees) and
 * returns 0, or KX_EINVALID with a message saying why (marc.info and
 * numbered patchwork links do not name the Message-ID).
 */
int kx_lore_msgid_from_arg(char **out, const char *arg);

/*
 * Returns s encoded for a URL query value as Python's quote_plus() does
 * (b4): A-Za-z0-9 and _.-~ stay, ' ' becomes '+', the rest %XX.
 */
char *kx_lore_url_encode(const char *s);

/*
 * Returns the search query for a b4 change-id, nq:"change-id: <id>" (the
 * non-quoted body), or NULL if the id is empty or has characters other
 * than A-Za-z0-9 and ._+-.  Caller frees.
 */
char *kx_lore_query_change_id(const char *change_id);

/*
 * Returns s:"<subject>" f:<email>, double quotes in the subject replaced
 * by blanks (a phrase cannot hold them), or NULL if either is empty or the
 * email has blanks or quotes.  Caller frees.
 */
char *kx_lore_query_subject(const char *subject, const char *email);

/*
 * Returns "<base>/?x=<x>&q=<query encoded>" for x "A" (Atom, GET) or "m"
 * (gzipped mbox, POST).  Caller frees.
 */
char *kx_lore_search_url(const char *base, const char *x, const char *query);

/* --- lib/io/lore.c: the look-ups --------------------------------------- */

struct kx_lore_find {
	const char *base_url;		/* kvmx86.loreUrl; NULL: the default */
	const char *change_id;		/* NULL: no change-id search */
	const char *subject;		/* no [...]; NULL: no such search */
	const char *author_email;	/* required */
	unsigned revision;		/* the current revision */
	const struct kx_http_opts *http;	/* NULL: the defaults */
};

/*
 * Finds the versions of a series posted before q->revision: searches by
 * change-id (nq:"change-id: <id>"), then, if that found nothing or missed
 * a revision, by subject and author (s:"..." f:...); each search is a POST
 * for a gzipped mbox (?x=m), falling back to the Atom feed (?x=A) when the
 * server answers the POST with something other than an mbox.  Matches with
 * kx_lore_pick_versions().  Fills out (released first) and returns 0 even
 * if nothing was found; a search that failed while another worked is a
 * warning in out.  Returns a negative KX_E* (KX_ENET for the network) with
 * a message naming the URL and what failed, and a hint, if every search
 * failed (out then holds no versions, maybe warnings), or KX_EINVALID for
 * bad input.  Blocks at most http->total_ms in all (every search,
 * retry, wait and fallback: two searches at most, each maybe followed by
 * the Atom fallback), unless http->deadline_ms is set already.
 */
int kx_lore_find_versions(struct kx_lore_versions *out,
			  const struct kx_lore_find *q);

struct kx_http_response;
struct kx_http_opts;
/*
 * Parses r, an answer of public-inbox that is an mbox (gzipped, or one a
 * proxy inflated), into msgs; anything else is KX_EINVALID naming url and
 * the Content-Type.  o bounds the inflated size.
 */
int kx_lore_parse_mbox_answer(struct kx_lore_messages *msgs,
			      const struct kx_http_response *r,
			      const char *url, const struct kx_http_opts *o);

#endif
