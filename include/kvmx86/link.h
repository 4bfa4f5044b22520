/* SPDX-License-Identifier: GPL-2.0-only */
/* prep --link: a lore Link: trailer on one commit of a series. */
#ifndef KVMX86_LINK_H
#define KVMX86_LINK_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/prep.h"
#include "kvmx86/util.h"

/* kx_prep_link()'s refusal: the link names an earlier version. */
#define KX_LINK_REFUSED 1

struct kx_link {
	char *url;			/* https://lore.kernel.org/r/<msgid> */
	char commit[41], new_commit[41];
	char *subject;
	char old_tip[41], new_tip[41];
	size_t rewritten;		/* commits re-created, the linked one too */
	char *backup;			/* refs/kvmx86/backup/<branch>/<n> */
	char *earlier;			/* "v1 of <branch> (...)", or NULL */
	bool unchanged;			/* the commit has that Link: already */
	struct kx_strlist warnings;
};

/*
 * Adds "Link: https://lore.kernel.org/r/<msgid>" for arg (a Message-ID or
 * an archive URL for one) to commit rev (NULL: the tip) of the resolved
 * series s (a commit outside it is refused, changing nothing),
 * before the author's sign-off, re-creating the commits above it, keeping
 * the old tip as a backup ref.  A link to an earlier version of the series
 * (from the state, or lore unless offline) returns KX_LINK_REFUSED without
 * force, changing nothing.  Returns 0, KX_LINK_REFUSED, or a negative KX_E*.
 */
struct kx_resolved;
int kx_prep_link(struct kx_link *out, struct kx_resolved *s, const char *arg,
		 const char *rev, bool force, bool offline);

/* Frees what l owns. */
void kx_link_release(struct kx_link *l);

#endif
