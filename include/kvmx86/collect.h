/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * prep --trailers: the review trailers (Reviewed-by, Acked-by, ...) that
 * replies on lore give the patches of a version sent, as b4 trailers -u
 * collects them.  The core reads a thread; io/ fetches it and rewrites.
 */
#ifndef KVMX86_COLLECT_H
#define KVMX86_COLLECT_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/lore.h"
#include "kvmx86/util.h"

/* One trailer a reply gave. */
struct kx_collected {
	unsigned index;		/* the patch, 1..n; 0: the cover letter (all) */
	char *key;		/* as the kernel spells it: "Reviewed-by" */
	char *value;		/* "Name <addr>" as the reply wrote it */
	char *email;		/* addr, lower case */
	char *msgid;		/* the reply's Message-ID */
};

/* A series mail of the version, as the thread has it. */
struct kx_collect_patch {
	unsigned index;		/* 0: the cover letter */
	char *msgid;
	char *subject;		/* without [...], e.g. "KVM: x86: Frob" */
};

struct kx_collect {
	struct kx_collected *items;
	size_t nr, alloc;
	struct kx_collect_patch *patches;	/* index order, cover first */
	size_t patches_nr, patches_alloc;
	unsigned total;		/* the N of k/N; 1 for a single patch */
};
#define KX_COLLECT_INIT { NULL, 0, 0, NULL, 0, 0, 0 }

/*
 * Reads thread, the messages of version revision's thread, into out
 * (released first): its series mails (subjects "[PATCH vR k/N]", not
 * replies, from the sender of the version's first mail that answers none
 * in the thread: a patch a reviewer posts there is none) and every
 * person trailer (Reviewed-by, Acked-by, Tested-by,
 * Reported-by, Suggested-by, Nacked-by) written, not quoted, above the
 * signature of a reply below one of them, attributed to the patch the
 * reply is under (0: the cover letter).  Trailers from the series' own
 * sender, other versions' mails and duplicates are left out.  Returns 0,
 * or KX_ENOTFOUND when the thread holds no mail of that version.
 */
int kx_collect_read(struct kx_collect *out, const struct kx_lore_messages *thread,
		    unsigned revision);

/* Returns the canonical key for a person trailer key (any case), or NULL. */
const char *kx_collect_key(const char *key, size_t len);

/* Frees what c owns. */
void kx_collect_release(struct kx_collect *c);

/* --- lib/io/collect.c: prep --trailers ---------------------------------- */

/* A trailer added to a commit (or to be added, in a dry run). */
struct kx_trailer_added {
	char commit[41];	/* the commit as it was */
	unsigned index;		/* the patch of the version sent it was for */
	char *line;		/* "Reviewed-by: Name <addr>" */
	char *msgid;		/* the reply that gave it */
};

struct kx_trailers_result {
	unsigned revision;	/* the last version sent, whose replies were read */
	char *url;		/* its thread on lore */
	struct kx_strlist earlier;	/* "v<N> <url>": earlier versions read */
	size_t found;		/* trailers the replies give */
	size_t earlier_changed;	/* earlier versions' trailers for patches changed since */
	bool by_subject;	/* last version matched by subject: no commits as sent */
	struct kx_trailer_added *items;
	size_t nr, alloc;
	struct kx_strlist skipped;	/* trailers not added, and why */
	size_t rewritten;	/* commits re-created */
	char old_tip[41], new_tip[41];
	char *backup;		/* refs/kvmx86/backup/<branch>/<n> */
};

struct kx_resolved;
/*
 * Reads the threads of the versions of s's enrolled branch sent from lore
 * (kvmx86.loreUrl), oldest first, and adds each trailer their replies
 * give that a commit lacks, at the end of its trailers, to the commits
 * that carry the patches as sent (the same patch-id; for the last version
 * the same subject when its commits are unknown; an earlier version whose
 * commits are unknown is not read), one under the cover letter to each;
 * Nacked-by and the last version's trailers for patches changed or
 * dropped go to out->skipped, earlier versions' are counted.  Unless
 * dry_run, re-creates the commits from the lowest one changed, keeping the
 * old tip as a backup ref.  Returns 0 or a negative KX_E*.
 */
int kx_prep_trailers(struct kx_trailers_result *out, struct kx_resolved *s,
		     bool dry_run);

/* Frees what r owns. */
void kx_trailers_result_release(struct kx_trailers_result *r);

#endif
