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

#define KX_STATE_SCHEMA 1

/* One version that was sent (by kvmx86, or by b4 before an import). */
struct kx_sent {
	unsigned revision;
	char *date;			/* ISO 8601, or NULL */
	char *cover_msgid;		/* without <>, or NULL */
	struct kx_strlist msgids;
	struct kx_strlist to, cc;
	char *send_nonce;
	char *base;			/* 40-hex base of that version, or NULL */
	char *tip;			/* 40-hex tip of that version, or NULL */
	char *tag;			/* b4's sent/<name>-vN tag, or NULL */
};

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
	char *base_scope;		/* x86, multi-arch, current-fix, or NULL */
	char *base_commit;		/* 40-hex */
	char *base_ref;			/* kvm-x86/next, v6.3-rc2, ... or NULL */
	struct kx_sent *sent;
	size_t sent_nr, sent_alloc;
	char *imported_from;		/* "b4", or NULL */
	char *b4_cover_commit;		/* b4's empty cover commit, not a patch */
	char *last_tip;			/* the tip when kvmx86 last saw it */
	void *test_results;		/* json_t object, kept as it is */
	void *extra;			/* json_t: keys of newer versions, kept */
};

/* Sets every field of s to empty; schema KX_STATE_SCHEMA, revision 1. */
void kx_state_init(struct kx_state *s);

/* Frees what s owns; s may be initialised again. */
void kx_state_release(struct kx_state *s);

/* Appends an empty sent entry and returns it (owned by s). */
struct kx_sent *kx_state_add_sent(struct kx_state *s, unsigned revision);

/* Returns the sent entry of revision, or NULL. */
const struct kx_sent *kx_state_find_sent(const struct kx_state *s,
					 unsigned revision);

/*
 * Returns the file name of branch's state: '/' becomes "%2F" and '%'
 * becomes "%25", then ".json" (caller frees).
 */
char *kx_state_file_name(const char *branch);

/*
 * Returns a change-id as b4 makes them, YYYYMMDD-<slug>-<12 hex>: the slug
 * is name lower-cased with runs of other characters turned into '-';
 * date is "YYYYMMDD"; random12 is 12 hex digits (caller frees).
 */
char *kx_change_id(const char *name, const char *date, const char *random12);

/* Parses "v3" or "3" into *out (at least 1); 0 or KX_EINVALID. */
int kx_parse_revision(unsigned *out, const char *s);

/*
 * Splits the text of a cover letter into subject (first non-empty line)
 * and body (the rest, trimmed); drops lines starting with '#' first when
 * drop_comments.  Caller frees both.
 */
void kx_cover_parse(char **subject, char **body, const char *text,
		    bool drop_comments);

/* --- io (lib/io/state.c): the file itself --- */

/*
 * Loads path into out (initialised by the call).  Returns 0, KX_ENOTFOUND
 * if there is no file, or KX_EINVALID with a message naming the file for
 * a corrupt, truncated or newer-schema file, which is left untouched.
 */
int kx_state_load(struct kx_state *out, const char *path);

/* Releases the JSON parts of s (test_results, extra); call before release. */
void kx_state_free_json(struct kx_state *s);

/*
 * Writes s to path atomically: a temporary file in the same directory,
 * fsync, rename, fsync of the directory.  Creates the directory.
 */
int kx_state_save(const struct kx_state *s, const char *path);

/*
 * Replaces path's content with text through a temporary file and a
 * rename, so that readers see the old or the new file, never a part;
 * with sync, both reach the disk first.  Creates missing directories.
 */
int kx_write_atomic(const char *path, const char *text, bool sync);

/* Returns the whole text of path (malloc'd), or NULL if it cannot be read. */
char *kx_read_file(const char *path);

#endif
