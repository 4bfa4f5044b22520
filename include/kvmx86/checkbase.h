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
	struct kx_series series;
	struct kx_base_facts facts;
	struct kx_base_config config;
	char *x86_remote;		/* the KVM x86 tree's remote name */
	char *kvm_remote;		/* the main KVM tree's remote, or NULL */
	char *cycle_rc;			/* the v* tag <x86>/next is built on */
	struct kx_strlist warnings;	/* facts of the repository worth a word */
	/* what facts.lookups walks on demand, with the repository (io's) */
	struct kx_checkbase_history *history;
};
#define KX_CHECKBASE_INIT { KX_SERIES_INIT, KX_BASE_FACTS_INIT, \
			    KX_BASE_CONFIG_INIT, NULL, NULL, NULL, \
			    KX_STRLIST_INIT, NULL }

/*
 * Opens the repository at or above path and gathers the series of arg (a
 * revision, a range with "..", or NULL for HEAD) with every fact the base
 * decision needs; those that cost a walk of history are walked when
 * kx_base_decide() asks (facts.lookups), so the repository stays open
 * until kx_checkbase_release().  Returns 0, or a negative KX_E* with the
 * message and a hint stored (error.h).
 */
int kx_checkbase_gather(struct kx_checkbase *out, const char *path,
			const char *arg);

struct git_repository;
/*
 * kx_checkbase_gather() in an open repository, which must stay open until
 * the decision is made.
 */
int kx_checkbase_gather_repo(struct kx_checkbase *out, struct git_repository *repo,
			     const char *arg);

/* Frees what cb owns. */
void kx_checkbase_release(struct kx_checkbase *cb);

/*
 * Sets *out when hex (a 40-hex commit) is the tip of a branch of the KVM
 * trees (kvm-x86/next, a topic, kvm/master...): a published base, found
 * without a history walk; hint (or NULL), a "<remote>/<branch>" name the
 * base was taken from, is tried first.  Errors as kx_checkbase_gather().
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
int kx_trees_lookup(struct kx_trees *out, const char *path);

/* Frees what t owns. */
void kx_trees_release(struct kx_trees *t);

#endif
