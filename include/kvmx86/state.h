/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The series state: what kvmx86 knows of a branch beyond its commits (the
 * cover letter, the change-id, versions and what was sent), kept outside
 * the commits so that editing it never changes a patch.  One JSON file per
 * branch under <git-common-dir>/kvmx86/state/.
 */
#ifndef KVMX86_STATE_H
#define KVMX86_STATE_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/util.h"

/*
 * Schema 2 (this version): every field typed and bounded (kx_state_check),
 * unknown keys kept at every level (so a field can be added without a new
 * schema), and the file written only under its lock (lib/io/state.c), which
 * a kvmx86 of schema 1 does not know: that one refuses the file.  A file of
 * schema 1 is read and written back as schema 2.
 */
#define KX_STATE_SCHEMA 2

/* The bounds kx_state_check() applies. */
#define KX_REVISION_MAX		1000	/* as --force-revision accepts */
#define KX_PREFIXES_MAX		16
#define KX_PREFIX_MAX		64	/* bytes */
#define KX_CHANGE_ID_MAX	256
#define KX_SUBJECT_MAX		512
#define KX_COVER_BODY_MAX	((size_t)1 << 20)
#define KX_NAME_MAX		1024	/* a branch, a ref, a tag */
#define KX_MSGID_MAX		998	/* RFC 5322's line */
#define KX_SENT_MAX		KX_REVISION_MAX
#define KX_ADDRESSES_MAX	10000	/* message-ids or addresses of a version */
#define KX_ATTEMPT_MAILS_MAX	1000	/* the mails of one send attempt */
#define KX_MAIL_MAX		((size_t)16 << 20)	/* one mail's bytes */
#define KX_ATTEMPT_BYTES_MAX	((size_t)24 << 20)	/* all of them, as JSON
							   writes them: the file
							   stays under KX_FILE_MAX */

/* One version that was sent (by kvmx86, or by b4 before an import). */
struct kx_sent {
	unsigned revision;
	char *date;			/* ISO 8601, or NULL */
	char *cover_msgid;		/* without <>, or NULL */
	char *link;			/* the cover's archive link, or NULL */
	struct kx_strlist msgids;
	struct kx_strlist to, cc;
	char *send_nonce;
	char *base;			/* 40-hex base of that version, or NULL */
	char *tip;			/* 40-hex tip of that version, or NULL */
	char *tag;			/* b4's sent/<name>-vN tag, or NULL */
};

/* One mail of a send attempt, as it goes (and goes again) byte for byte. */
struct kx_attempt_mail {
	char *msgid;			/* without <> */
	char *status;			/* "pending", "accepted", "unknown" */
	struct kx_strlist rcpts;	/* the envelope's recipients */
	char *text;			/* the whole mail, LF line ends */
};

/*
 * A send that began (JSON "attempt"): written before its first mail goes,
 * each mail's outcome recorded as the server gives it, dropped when the
 * version is recorded as sent.  Schema 2 keeps a key it does not know, so
 * an older kvmx86 keeps an attempt too.
 */
struct kx_attempt {
	char *kind;			/* "send", or "resend" (of revision) */
	unsigned revision;
	char *nonce;			/* of every Message-ID of the attempt */
	char *fingerprint;		/* of what the mails were made from */
	char *from;			/* the envelope sender */
	char *date;			/* ISO 8601: when it began */
	char *base, *tip;		/* 40-hex: the commits sent */
	struct kx_attempt_mail *mails;	/* [0] the cover letter, if any */
	size_t nr, alloc;
};

/*
 * What kvmx86 knows of a series.  Plain data: the raw JSON kept beside it
 * (kvmx86 test's records, keys of newer versions) is io's, in struct
 * kx_state_file (statefile.h).
 */
struct kx_state {
	int schema_version;
	char *branch;
	char *change_id;
	unsigned revision;		/* the version being prepared */
	struct kx_strlist prefixes;	/* RFC, RESEND, ... */
	char *cover_subject;
	char *cover_body;
	struct kx_strlist to, cc;	/* the next send's recipients (JSON
					   "recipients"): b4's cover To:/Cc: */
	struct kx_strlist exclude;	/* addresses never mailed (send --exclude) */
	char *base_scope;		/* x86, multi-arch, current-fix, or NULL */
	char *base_commit;		/* 40-hex */
	char *base_ref;			/* kvm-x86/next, v6.3-rc2, ... or NULL */
	struct kx_sent *sent;
	size_t sent_nr, sent_alloc;
	char *imported_from;		/* "b4", or NULL */
	char *b4_cover_commit;		/* b4's empty cover commit, not a patch */
	char *last_tip;			/* the tip when kvmx86 last saw it */
	/* "<40-hex> <seconds>": the entry that made the branch in its
	   reflog, when kvmx86 first saved the state */
	char *branch_created;
	struct kx_attempt *attempt;	/* a send that began, or NULL */
};

/* How a string of the state, or each string of a list, is checked. */
enum kx_state_check {
	KX_CHECK_HEADER,	/* may go into a mail header: kx_header_text_check() */
	KX_CHECK_TEXT,		/* lines of UTF-8 */
	KX_CHECK_OID,		/* 40 hexadecimal digits, lower case */
	KX_CHECK_WORD,		/* one of the field's values */
};

enum kx_state_type {
	KX_STATE_STRING,	/* char *, NULL written as null */
	KX_STATE_UINT,		/* unsigned */
	KX_STATE_LIST,		/* struct kx_strlist */
};

/*
 * One field of the file: its JSON key, where it lives in struct kx_state
 * (or struct kx_sent) and its bounds.  The tables below are the schema:
 * load, save and kx_state_check() all read them, so a new field is a
 * member and a row.
 */
struct kx_state_field {
	const char *key;
	enum kx_state_type type;
	size_t offset;
	enum kx_state_check check;	/* a string, or each item of a list */
	size_t max;			/* bytes of a string, largest number */
	size_t min;			/* smallest number */
	size_t max_items;		/* of a list */
	const char *const *values;	/* KX_CHECK_WORD, NULL-terminated */
	bool required;
};

/* The fields of one JSON object of the file. */
struct kx_state_object {
	const char *key;		/* "cover", "base", "sent"; NULL: the root */
	const struct kx_state_field *fields;
	size_t nr;
};

/*
 * The root's fields, "cover", "base" and "recipients" (on struct kx_state),
 * "sent" (kx_sent), "attempt" (kx_attempt) and each of its "mails"
 * (kx_attempt_mail).
 */
extern const struct kx_state_object kx_state_root, kx_state_cover,
	kx_state_base, kx_state_recipients, kx_state_sent, kx_state_attempt,
	kx_state_attempt_mail;

/*
 * Checks what a field holds in obj (a struct kx_state or kx_sent) against
 * f's bounds; name is how a message calls it ("cover.subject").  Returns
 * 0, or KX_EINVALID with a message naming it.
 */
int kx_state_field_check(const struct kx_state_field *f, const void *obj,
			 const char *name);

/*
 * Checks every field of s, and that no revision was sent twice.  Returns
 * 0, or KX_EINVALID with a message naming the first field that is wrong
 * ("sent[2].msgids[0] '...' holds a line break").
 */
int kx_state_check(const struct kx_state *s);

/* Sets every field of s to empty; schema KX_STATE_SCHEMA, revision 1. */
void kx_state_init(struct kx_state *s);

/* Frees what s owns; s may be initialised again. */
void kx_state_release(struct kx_state *s);

/* Appends an empty sent entry and returns it (owned by s). */
struct kx_sent *kx_state_add_sent(struct kx_state *s, unsigned revision);

/* Returns a new empty attempt (kx_attempt_free()). */
struct kx_attempt *kx_attempt_new(void);

/* Appends an empty mail to a and returns it (owned by a). */
struct kx_attempt_mail *kx_attempt_add_mail(struct kx_attempt *a);

/* Frees a and what it owns; NULL is accepted. */
void kx_attempt_free(struct kx_attempt *a);

/* Returns the sent entry of revision, or NULL. */
const struct kx_sent *kx_state_find_sent(const struct kx_state *s,
					 unsigned revision);

/*
 * Returns the file name of branch's state: '/' becomes "%2F" and '%'
 * becomes "%25", then ".json"; past 239 bytes, the first 222 or so and
 * "~<16 hex digits>", a hash of the whole name (caller frees).
 */
char *kx_state_file_name(const char *branch);

/*
 * kx_state_file_name() cut at max bytes before ".json" (at least 20):
 * for names made of it with more beside them (an archive's date).
 */
char *kx_state_file_name_max(const char *branch, size_t max);

/*
 * Returns a change-id as b4 makes them, YYYYMMDD-<slug>-<12 hex>: the slug
 * is name lower-cased with runs of other characters turned into '-';
 * date is "YYYYMMDD"; random12 is 12 hex digits (caller frees).
 */
char *kx_change_id(const char *name, const char *date, const char *random12);

/* Parses "v3" or "3" into *out (1 to KX_REVISION_MAX); 0 or KX_EINVALID. */
int kx_parse_revision(unsigned *out, const char *s);

/*
 * Splits the text of a cover letter into subject (first non-empty line)
 * and body (the rest, trimmed); drops lines starting with '#' first when
 * drop_comments; CRLF line ends become LF.  Caller frees both.
 */
void kx_cover_parse(char **subject, char **body, const char *text,
		    bool drop_comments);

/*
 * kx_cover_parse() of text from outside (an editor, git's branch
 * description, b4's cover commit), which what names in messages: text
 * that is not UTF-8 is read as Windows-1252 (Latin-1) and *converted set,
 * so nothing is lost; the subject must do for a mail header and the body
 * stay within KX_COVER_BODY_MAX.  Returns 0, or KX_EINVALID naming what
 * (subject and body then NULL).
 */
int kx_cover_from_text(char **subject, char **body, const char *text,
		       bool drop_comments, const char *what, bool *converted);

/*
 * Splits the value of --set-prefixes at commas and blanks into out
 * (released first; "" clears) and checks each prefix as header text of
 * at most KX_PREFIX_MAX bytes, at most KX_PREFIXES_MAX of them, neither
 * PATCH nor a version (vN) that the subject has anyway.  Returns 0, or
 * KX_EINVALID naming the prefix.
 */
int kx_prefixes_parse(struct kx_strlist *out, const char *value);

#endif
