/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The cover letter's repository side: git's shortlog and diffstat for the
 * series, the base-commit and prerequisite-patch-id lines, the links to
 * earlier versions (state, then lore), the testing statement's facts.
 * cover.h makes the text.
 */
#ifndef KVMX86_COVERIO_H
#define KVMX86_COVERIO_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/cover.h"
#include "kvmx86/prep.h"
#include "kvmx86/util.h"

struct kx_cover_facts {
	struct kx_prep_range range;
	char *from;			/* "Name <email>": the sender */
	char *first_subject;		/* the first patch's, for one patch */
	char *shortlog, *diffstat;	/* git's blocks, verbatim */
	char *range_diff;		/* "Range-diff against vN:" and it, or NULL */
	char base_commit[41];
	struct kx_strlist prerequisites;	/* "prerequisite-patch-id: <id>" */
	char *signature;
	char *template;			/* kvmx86.coverTemplate's text, or NULL */
	char *testing;			/* the testing statement */
	struct kx_version_link *links;	/* one per earlier version */
	size_t links_nr;
	struct kx_strlist owned;	/* the links' strings */
	struct kx_strlist warnings;	/* what could not be filled, and why */
};

struct kx_cover_options {
	bool offline;			/* never touch the network */
	bool range_diff;		/* add a range-diff against the last sent */
};

struct kx_resolved;
/*
 * Gathers what the cover letter of the resolved series s (an enrolled
 * branch) needs.  Failures of lore or of a range-diff are warnings, never
 * errors.  Returns 0 or a negative KX_E* (error.h).
 */
int kx_cover_gather(struct kx_cover_facts *out, struct kx_resolved *s,
		    const struct kx_cover_options *opts);

/* Frees what f owns. */
void kx_cover_facts_release(struct kx_cover_facts *f);

/*
 * Renders the cover letter's body (for a single patch, the text below its
 * "---") from f and p's state into *out (caller frees): blurb stands in
 * for a cover without text, testing (when not NULL) for f's statement.
 * Returns 0, or KX_EINVALID naming a placeholder the template misspells.
 */
int kx_cover_body(char **out, const struct kx_prep *p,
		  const struct kx_cover_facts *f, bool single,
		  const char *blurb, const char *testing);

struct kx_lore_versions;
/*
 * Asks lore (kvmx86.loreUrl, kvmx86.http*) for the versions of p's series
 * sent before its current revision, by its change-id, then by subject and
 * email.  Returns 0, or a negative KX_E* with the message stored.
 */
int kx_series_lore_versions(struct kx_lore_versions *out, struct kx_prep *p,
			    const char *email, const char *subject);

#endif
