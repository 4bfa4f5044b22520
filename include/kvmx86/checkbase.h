/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Gathering the facts for check-base from a repository (libgit2): the KVM
 * trees, the series and where it forks.  The decision itself is in base.h.
 */
#ifndef KVMX86_CHECKBASE_H
#define KVMX86_CHECKBASE_H

#include <stdbool.h>

#include "kvmx86/base.h"
#include "kvmx86/series.h"
#include "kvmx86/util.h"

struct kx_checkbase_history;

struct kx_checkbase {
	/*
	 * The series with what lies below its base that no KVM ref has
	 * (its first `prerequisites` commits), oldest first.
	 */
	struct kx_series series;
	size_t prerequisites;
	struct kx_base_facts facts;
	struct kx_base_config config;
	char *x86_remote;		/* the KVM x86 tree's remote name */
	char *kvm_remote;		/* the main KVM tree's remote, or NULL */
	char *cycle_rc;			/* the v* tag <x86>/next is built on */
	char b4_cover[41];		/* b4's cover commit left out, or "" */
	bool trees_unusable;		/* failed for want of the KVM trees */
	bool config_bad;		/* failed on a kvmx86.* value: never advice */
	struct kx_strlist warnings;	/* facts of the repository worth a word */
	/* what facts.lookups walks on demand, with the repository (io's) */
	struct kx_checkbase_history *history;
};
#define KX_CHECKBASE_INIT { KX_SERIES_INIT, 0, KX_BASE_FACTS_INIT, \
			    KX_BASE_CONFIG_INIT, NULL, NULL, NULL, { 0 }, false, false, \
			    KX_STRLIST_INIT, NULL }

struct git_repository;

/*
 * Gathers check-base's facts for the series of tip (40-hex): the commits
 * that no KVM ref or release has (nor bottom, a range's merge base, when
 * given), down to the fork point, with what the
 * base decision needs; branch (or NULL) names it in the remedy.  Those
 * facts that cost a walk of history are walked when kx_base_decide() asks
 * (facts.lookups), so repo must stay open until kx_checkbase_release().
 * Returns 0, or a negative KX_E* with the message and a hint stored.
 * A failure for want of the KVM trees (no remote, no next, a shallow
 * clone) sets out->trees_unusable.  Only the series resolver and the
 * enrollment call it (kvmx86/resolve.h).
 */
int kx_checkbase_gather_tip(struct kx_checkbase *out, struct git_repository *repo,
			    const char *branch, const char *tip, const char *bottom);

struct kx_series_diffs;

/* A series resolved elsewhere: its commits (40-hex, oldest first) on base. */
struct kx_checkbase_given {
	const char *base;
	const char *const *ids;
	size_t nr;
	struct kx_series_diffs *diffs;	/* the series model's, for its commits */
};

/*
 * Gathers check-base's facts for a series whose commits are known (an
 * enrolled branch or a range): the unpublished commits below its base
 * become the first ones (out->prerequisites).  As kx_checkbase_gather_tip().
 */
int kx_checkbase_gather_given(struct kx_checkbase *out, struct git_repository *repo,
			      const char *branch,
			      const struct kx_checkbase_given *given);

/* Frees what cb owns. */
void kx_checkbase_release(struct kx_checkbase *cb);

/*
 * Sets *out when hex (a 40-hex commit) is the tip of a branch of the KVM
 * trees (kvm-x86/next, a topic, kvm/master...): a published base, found
 * without a history walk; hint (or NULL), a "<remote>/<branch>" name the
 * base was taken from, is tried first.  Errors as kx_checkbase_gather_tip().
 */
int kx_checkbase_is_kvm_tip(bool *out, struct git_repository *repo,
			    const char *hex, const char *hint);

/* What b4 writes between the cover text and its tracking JSON. */
#define KX_B4_TRACKING_MARKER "--- b4-submit-tracking ---"

struct git_commit;
/* Returns true if commit is b4's empty cover commit (the tracking marker). */
bool kx_is_b4_cover(struct git_commit *commit);

/* The KVM x86 tree as the repository tracks it. */
struct kx_trees {
	char *x86_remote;
	char next[41];			/* <x86>/next */
	struct kx_strlist topics;	/* its other branches: mmu, pmu, ... */
};

/* Finds the KVM x86 remote, its next and its topics; errors as gather. */
int kx_trees_lookup(struct kx_trees *out, struct git_repository *repo);

/* Frees what t owns. */
void kx_trees_release(struct kx_trees *t);

/* The refs a series may be based on: the KVM trees' branches, releases. */
struct kx_kvm_refs {
	char *x86_remote, *kvm_remote;
	struct kx_base_facts refs;	/* cands: name, kind and tip of each */
};

/*
 * Reads the branches of the two KVM trees (next first), and with tags the
 * v* tags of the newest three versions.  Errors as kx_checkbase_gather_tip()
 * (no KVM x86 remote, no next).
 */
int kx_kvm_refs_load(struct kx_kvm_refs *out, struct git_repository *repo,
		     bool tags);

/* Returns the ref called name ("kvm-x86/next", "v6.3-rc2"), or NULL. */
const struct kx_candidate *kx_kvm_refs_find(const struct kx_kvm_refs *r,
					    const char *name);

/* Frees what r owns. */
void kx_kvm_refs_release(struct kx_kvm_refs *r);

#endif
