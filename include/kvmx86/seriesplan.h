/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The decisions behind "the series": what the user named, where its
 * commits come from, and where its base is now.  Pure: io/series.c walks
 * the repository and hands the walk to these functions as plain values.
 */
#ifndef KVMX86_SERIESPLAN_H
#define KVMX86_SERIESPLAN_H

#include <stdbool.h>
#include <stddef.h>

/* What the user named on the command line. */
enum kx_named {
	KX_NAMED_HEAD,		/* nothing: the current branch, or HEAD */
	KX_NAMED_REV,		/* a revision (often a branch) */
	KX_NAMED_RANGE,		/* BASE..TIP */
};

struct kx_series_arg {
	enum kx_named kind;
	char *rev;		/* KX_NAMED_REV */
	char *left, *right;	/* KX_NAMED_RANGE; an empty side is "HEAD" */
};
#define KX_SERIES_ARG_INIT { KX_NAMED_HEAD, NULL, NULL, NULL }

/*
 * Parses arg (NULL: nothing named).  KX_EUSAGE, with the message stored,
 * for an empty argument and a symmetric range A...B.
 */
int kx_series_arg_parse(struct kx_series_arg *out, const char *arg);

/* Frees what a owns. */
void kx_series_arg_release(struct kx_series_arg *a);

/*
 * Returns the length of the name at the start of spec: up to the first
 * '~', '^', ':' or "@{" (git's revision syntax around a ref name).
 */
size_t kx_rev_name_len(const char *spec);

/*
 * Returns true if git reads the name part of spec (len bytes) as a ref to
 * look up as it is: it holds an '@' and is not "@" (HEAD).  libgit2 reads
 * "name@" as HEAD where git refuses it unless a ref of that name exists.
 */
bool kx_rev_name_is_literal(const char *spec, size_t len);

/* Where the commits of a series come from. */
enum kx_series_source {
	KX_SOURCE_RANGE,	/* BASE..TIP: their merge base..TIP */
	KX_SOURCE_ENROLLED,	/* an enrolled branch: its base (followed)..tip */
	KX_SOURCE_FORK_POINT,	/* the commits no KVM ref or release has */
};

/* Returns "range", "enrolled" or "fork-point". */
const char *kx_series_source_name(enum kx_series_source s);

struct kx_series_situation {
	enum kx_named named;
	bool has_branch;	/* a local branch is named, or HEAD is on one */
	bool enrolled;		/* that branch has a state */
	bool branch_gone;	/* a state, but its branch is gone */
	bool detached;		/* HEAD is detached (named: HEAD) */
	bool need_branch;	/* the action changes a branch */
	const char *name;	/* what was named, or the branch, for messages */
};

/*
 * Decides where the commits come from: a range is a range; an enrolled
 * branch its recorded series; anything else check-base's fork point.
 * KX_EINVALID (message and hint stored) when the action changes a branch
 * and none is named or checked out.
 */
int kx_series_choose(enum kx_series_source *out,
		     const struct kx_series_situation *s);

/* How the base of a series was decided. */
enum kx_base_how {
	KX_BASE_RECORDED,	/* the enrolled base, as recorded */
	KX_BASE_FOLLOWED,	/* the tracked ref moved, or the branch was rebased */
	KX_BASE_GIVEN,		/* an enrolled base that is no KVM ref: not followed */
	KX_BASE_FORK_POINT,	/* below the commits that no KVM ref has */
	KX_BASE_RANGE,		/* the merge base of BASE..TIP */
};

/* Returns "recorded", "followed", "given", "fork-point" or "range". */
const char *kx_base_how_name(enum kx_base_how how);

/* A commit met walking down first parents from the tip. */
struct kx_chain_commit {
	char id[41];
	unsigned parents;
	const char *subject;
	bool b4_cover;		/* its message is b4's cover commit's */
};

/* What a commit that may end the walk is. */
enum kx_point_kind {
	KX_POINT_RECORDED,	/* the recorded base (or a range's merge base) */
	KX_POINT_TRACKED,	/* the tip of the ref the base tracks */
	KX_POINT_TRACKED_OLD,	/* a value of that ref from its reflog */
	KX_POINT_KVM_REF,	/* the tip of another KVM ref or release tag */
};

struct kx_base_point {
	char id[41];
	enum kx_point_kind kind;
	const char *ref;	/* its ref's short name (NULL: recorded) */
};

struct kx_follow_input {
	const char *branch;		/* for messages: the branch or the range */
	enum kx_series_source source;	/* RANGE or ENROLLED */
	const char *recorded;		/* 40-hex: the recorded base or merge base */
	const char *recorded_ref;	/* the ref the state names, or NULL */
	bool tracked;			/* recorded_ref is a KVM ref or release tag */
	/* first parents down from the tip, ending where the walk stopped */
	const struct kx_chain_commit *chain;
	size_t chain_nr;
	const struct kx_base_point *points;
	size_t points_nr;
	/*
	 * b4's cover commit as recorded, or NULL; right above the base it is
	 * skipped, also under a new id (a git rebase made it anew) when its
	 * message is b4's cover's.
	 */
	const char *b4_cover;
};

struct kx_follow {
	char base[41];
	char *ref;		/* the ref the base tracks now, or NULL */
	enum kx_base_how how;
	size_t top;		/* the series is chain[0..top) ... */
	bool cover_skipped;	/* ... but chain[top - 1], b4's cover commit */
	char *note;		/* when the base is not the recorded one */
};
#define KX_FOLLOW_INIT { { 0 }, NULL, KX_BASE_RECORDED, 0, false, NULL }

/*
 * Finds the base of a series from the walk down its first parents: the
 * first base point met (the recorded one over a tracked ref's value over
 * another ref), refusing a merge or the root met first, with the message
 * and the hint stored (KX_EINVALID).  An enrolled base that tracks a KVM
 * ref follows it: out->how is FOLLOWED and out->note says what moved.
 */
int kx_base_follow(struct kx_follow *out, const struct kx_follow_input *in);

/* Frees what f owns. */
void kx_follow_release(struct kx_follow *f);

/*
 * Stores the one message of every command for a merge commit id ("subject")
 * in the series, with its hint; returns KX_EINVALID.
 */
int kx_series_merge_error(const char *id, const char *subject, bool enrolled);

#endif
