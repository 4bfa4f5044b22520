/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The topic from history, the handbook's "When in doubt, git log
 * path/to/file should provide a reasonable hint": for a commit whose files
 * leave the topic ambiguous (kx_topic_ambiguous() in rules.h), the majority
 * 'KVM: <topic>:' prefix among the latest commits that touched those files.
 * The vote is pure (lib/core/topichist.c); the walk over the repository is
 * io's (lib/io/topichist.c).
 */
#ifndef KVMX86_TOPICHIST_H
#define KVMX86_TOPICHIST_H

#include <stddef.h>

#include "kvmx86/patch.h"
#include "kvmx86/util.h"

/* The walk reads at most this many commits (no Bloom filters in libgit2 1.5). */
#define KX_TOPICHIST_WALK 5000
/* It stops once it has this many commits touching each file. */
#define KX_TOPICHIST_PER_FILE 15
/* A winner needs at least this many votes, and more than half of them all. */
#define KX_TOPICHIST_MIN_VOTES 2

/* --- lib/core/topichist.c: the vote --- */

struct kx_topichist_vote {
	char *prefix;	/* the winner, e.g. "KVM: nVMX:", or NULL */
	size_t votes;	/* the commits whose subject starts with it */
	size_t total;	/* the commits looked at */
	char *reason;	/* "from history: ...", with or without a winner */
};
#define KX_TOPICHIST_VOTE_INIT { NULL, 0, 0, NULL }

/* Returns the length of the "KVM: <topic>:" prefix starting subject, or 0. */
size_t kx_topichist_prefix(const char *subject);

/*
 * Votes over the subjects of the commits (latest first) that touched what
 * (a path, or "<path> and N more"): the winner is the prefix of more than
 * half of them, KX_TOPICHIST_MIN_VOTES at least.  Fills out (released first).
 */
void kx_topichist_vote(struct kx_topichist_vote *out,
		       const char *const *subjects, size_t nr,
		       const char *what);

/* Frees what v owns and empties it. */
void kx_topichist_vote_release(struct kx_topichist_vote *v);

/* --- lib/io/topichist.c: the walk, cached per file for the run --- */

struct kx_topichist_cache;
struct git_repository;

/* Creates an empty cache over repo (borrowed: it must outlive the cache). */
struct kx_topichist_cache *kx_topichist_cache_new(struct git_repository *repo);

/*
 * Announces the paths of the patches whose files are ambiguous, so that
 * the first walk collects them all (one walk for a whole series).
 */
void kx_topichist_cache_expect(struct kx_topichist_cache *c,
			       const struct kx_patch *patches, size_t nr);

/* Frees the cache; NULL is fine. */
void kx_topichist_cache_free(struct kx_topichist_cache *c);

/*
 * The history topic of paths for the commit of hex id: the latest commits
 * touching each path, walking from the commit's first parent unless an
 * earlier look-up of the run walked for the path.  Returns 0 or a negative
 * KX_E*.
 */
int kx_topichist_lookup(struct kx_topichist_vote *out,
			struct kx_topichist_cache *c, const char *commit,
			const struct kx_strlist *paths);

/* Commits the cache's walks have read so far (for tests and benchmarks). */
size_t kx_topichist_walked(const struct kx_topichist_cache *c);

/*
 * kx_rule_env.history_topic over the cache in data (a struct
 * kx_topichist_cache: rules.h's callbacks take their data untyped).
 */
char *kx_topichist_env(void *data, const char *commit,
		       const struct kx_strlist *paths, char **reason);

#endif
