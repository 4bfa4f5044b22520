/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cover letter's text: its subject line, the version changelog with
 * lore links to earlier versions, and the template that puts the blocks
 * (git's shortlog and diffstat among them, verbatim) together.  Pure: io
 * gathers the blocks, cmd prints the result.
 */
#ifndef KVMX86_COVER_H
#define KVMX86_COVER_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/util.h"

/*
 * Returns "[PATCH <prefixes> vN i/M] subject" (caller frees): no "vN" for
 * version 1, no "i/M" when total is 1, i padded to the width of M as git
 * format-patch pads it ("[PATCH v2 00/12]").  prefixes may be NULL.
 */
char *kx_cover_subject_line(const struct kx_strlist *prefixes,
			    unsigned revision, size_t index, size_t total,
			    const char *subject);

/* What the cover text says changed in one version ("v2:" and its lines). */
struct kx_version_notes {
	unsigned revision;
	char *link;		/* the URL after "vN:", as written, or NULL */
	char *text;		/* the lines below the header, or "" */
};

/* The blurb and the version sections at the end of a cover text. */
struct kx_cover_text {
	char *blurb;
	struct kx_version_notes *notes;	/* in the order written */
	size_t notes_nr, notes_alloc;
	size_t sections_at;		/* where the sections begin in the body (its length without) */
};

/*
 * Splits a cover body into its blurb and the version sections that end
 * it: from the first line "vN:" (or "vN: <url>") that follows a blank
 * line, or opens the text, up to the end, where every section header
 * parses.  A text without such sections is all blurb.
 */
void kx_cover_text_parse(struct kx_cover_text *out, const char *body);

/* Frees what t owns. */
void kx_cover_text_release(struct kx_cover_text *t);

/* Returns the notes of revision in t, or NULL. */
const struct kx_version_notes *kx_cover_text_notes(const struct kx_cover_text *t,
						   unsigned revision);

/* An earlier version as the changelog links it. */
struct kx_version_link {
	unsigned revision;
	const char *url;	/* the lore link, or NULL when unknown */
	const char *missing;	/* why it is unknown, when url is NULL */
};

/*
 * Returns the version changelog, newest first (caller frees; "" for a
 * first version without notes): "vN:" and the notes of the version being
 * prepared ("- EDITME: ..." when it has none), then "vK: <link>" and the
 * notes of each earlier one, a blank line between sections.  A link that
 * is unknown is written "EDITME: <missing>" so that it is seen and fixed.
 */
char *kx_cover_changelog(const struct kx_cover_text *t, unsigned revision,
			 const struct kx_version_link *links, size_t links_nr);

/* The blocks of a cover letter; NULL or "" leaves a block out. */
struct kx_cover_blocks {
	const char *cover;		/* the blurb */
	const char *changelog;
	const char *testing;
	const char *shortlog;		/* git's, verbatim */
	const char *diffstat;		/* git's, verbatim */
	const char *range_diff;
	const char *base_commit;	/* 40-hex */
	const char *prerequisites;	/* "prerequisite-patch-id: ..." lines */
	const char *change_id;
	const char *signature;
};

/* The template used when kvmx86.coverTemplate names none. */
extern const char kx_cover_default_template[];

/* The text under a single patch's "---", in the same terms. */
extern const char kx_cover_single_template[];

/*
 * Fills template's ${name} placeholders (cover, changelog, testing,
 * shortlog, diffstat, range_diff, base_commit, prerequisites, change_id,
 * signature) with the blocks and returns the text (caller frees).  A
 * template line whose placeholders are all empty and that holds nothing
 * but them and a "key: " label is dropped, and so is a blank line that
 * would follow another; the blocks themselves are copied byte for byte.
 * An unknown placeholder is an error: *bad names it (caller frees), and
 * NULL is returned.
 */
char *kx_cover_render(const char *template, const struct kx_cover_blocks *b,
		      char **bad);

/*
 * Fills argv with the git command whose output is the cover letter's
 * diffstat of from..end, as format-patch prints it (NULL-terminated).
 */
void kx_cover_diffstat_argv(const char *argv[11], const char *from,
			    const char *end);

/* One commit for the shortlog: its author (mailmap applied) and message. */
struct kx_shortlog_entry {
	const char *author;
	const char *message;
};

/*
 * Returns the subject git shortlog prints for a commit message: its first
 * paragraph, lines joined with ' ' and their trailing blanks dropped, a
 * leading "[PATCH...]" dropped (caller frees).  Returns NULL when the
 * subject holds anything but printable ASCII and spaces, whose display
 * width only git's own tables give.
 */
char *kx_shortlog_subject(const char *message);

/*
 * Appends text wrapped as git's strbuf_add_wrapped_text() does for ASCII:
 * the first line indented by indent1 (negative: it stands at column
 * -indent1 already), the others by indent2, lines broken at spaces before
 * width columns (a longer word stands alone).
 */
void kx_shortlog_wrap(struct kx_buf *out, const char *text, int indent1,
		      int indent2, int width);

/*
 * Returns what `git shortlog -w72,2,4` prints for entries (oldest first),
 * which is format-patch's cover letter block: authors by name (byte
 * order), "Name (N):", each subject wrapped, a blank line after each
 * author.  Returns NULL if a subject is not one kx_shortlog_subject()
 * vouches for (caller frees).
 */
char *kx_shortlog_format(const struct kx_shortlog_entry *entries, size_t nr);

#endif
