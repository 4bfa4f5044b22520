/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * "The series", resolved once: what the user named (nothing, a branch, a
 * revision, BASE..TIP), the branch and its state, where the base is and
 * how that was decided, and the commits in order.  Every command starts
 * here; nothing else walks a series, so no two commands can disagree.
 * The decisions are core's (seriesplan.h); this is the repository side.
 */
#ifndef KVMX86_RESOLVE_H
#define KVMX86_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/prep.h"
#include "kvmx86/series.h"
#include "kvmx86/seriesplan.h"
#include "kvmx86/util.h"

struct kx_checkbase;
struct kx_series_diffs;

/* What a command asks for. */
struct kx_series_query {
	const char *arg;		/* NULL, a revision, or BASE..TIP */
	bool need_branch;		/* the action rewrites the branch */
	bool need_enrolled;		/* the action needs the branch's state */
	bool state_only;		/* the branch and its state; no commits */
	bool range_only;		/* its range; the commits if need be */
	bool alone_without_trees;	/* no KVM trees: the named commit alone */
};

struct kx_resolved {
	/* the repository (owned), the branch (NULL: none) and its state */
	struct kx_prep prep;
	enum kx_named named;
	enum kx_series_source source;
	bool detached;			/* HEAD is detached */
	char *base_ref;			/* the ref the base tracks, or NULL */
	enum kx_base_how base_how;
	char recorded_base[41];		/* enrolled: as recorded, else "" */
	bool alone;			/* the tip alone (alone_without_trees) */
	char *alone_reason;		/* why: the base could not be found, */
	char *alone_hint;		/* and what to do */
	struct kx_series series;	/* oldest first: ids and subjects */
	struct kx_strlist notes;	/* a line each, e.g. "the base moved" */
	struct kx_checkbase *checkbase;	/* kx_series_checkbase()'s, owned */
	bool checkbase_config_bad;	/* it failed on a bad kvmx86.* value */
	struct kx_series_diffs *diffs;	/* the commits' diffs, made once (io's) */
	void *mailmap;			/* the repository's (git_mailmap), once */
	bool mailmap_read;
};

/*
 * Resolves q into out: opens the repository as git finds it, finds the
 * branch and its state, decides the source and the base (an enrolled base
 * follows the ref it tracks: out->prep.state then holds the base found,
 * which a later kx_prep_save() records) and walks the commits.  Returns 0
 * or a negative KX_E* with the message and hint stored; out must be
 * released either way.
 */
int kx_series_resolve(struct kx_resolved *out, const struct kx_series_query *q);

/*
 * Points the resolved s (its branch and state kept) at base..tip (40-hex
 * each), a version sent earlier: the first-parent chain from tip down to
 * base, walked as every series is; a merge, or a tip that does not reach
 * base along first parents, is KX_EINVALID.  Returns 0 or a negative KX_E*.
 */
int kx_series_use_range(struct kx_resolved *s, const char *base,
			const char *tip);

/*
 * Sets *out to check-base's facts for s (gathered on the first call, then
 * kept; borrowed from s).  Returns 0 or a negative KX_E*.
 */
int kx_series_checkbase(struct kx_checkbase **out, struct kx_resolved *s);

struct kx_color_config;
/*
 * The colour configuration (color.kvmx86, else color.ui; color.pager) of
 * the repository kx_series_resolve() opened last, checked as it opened
 * (a bad value fails the resolve); before that, all unset (pager true).
 */
const struct kx_color_config *kx_repo_color_config(void);

/* Frees what s owns, the repository included. */
void kx_resolved_release(struct kx_resolved *s);

#endif
