/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmx86 prep's repository side: the branch, its state file, and the
 * actions that create, adopt and clean up a series.
 */
#ifndef KVMX86_PREP_H
#define KVMX86_PREP_H

#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/statefile.h"
#include "kvmx86/util.h"

/* The series of a branch: base..end, b4's cover commit left out. */
struct kx_prep_range {
	char base[41], start[41], end[41];	/* start: "" when empty */
	char from[41];		/* start's parent: base, or b4's cover commit */
	size_t count;
};

struct git_repository;

struct kx_prep {
	struct git_repository *repo;	/* owned */
	char *commondir;		/* ends with '/' */
	char *branch;			/* short name, or NULL: no branch */
	char *state_path;
	/*
	 * The state and its file; state names file.state, so that code
	 * reading the state needs no more than p->state.
	 */
	union {
		struct kx_state state;
		struct kx_state_file file;
	};
	bool has_state;
	bool branch_gone;		/* a state, but no branch of that name */
	/* a state of an earlier branch of that name, deleted and made
	   again since (its reflog says): not loaded */
	bool earlier_state;
	struct kx_prep_range range;	/* set by the series resolver */
	bool range_valid;
};

/*
 * Takes over repo (freed by kx_prep_close(), even on error) and loads the
 * state of branch (NULL: no branch, no state).  Errors: a broken state.
 */
int kx_prep_attach(struct kx_prep *p, struct git_repository *repo,
		   const char *branch);

/* Frees what p owns. */
void kx_prep_close(struct kx_prep *p);

/* Returns true if name is a local branch of p's repository. */
bool kx_prep_is_branch(struct kx_prep *p, const char *name);

/*
 * Returns 0 if the branch is enrolled; else KX_ENOTFOUND with a message
 * that also names a state whose branch was renamed to this one.
 */
int kx_prep_require_state(struct kx_prep *p);

/*
 * Takes the lock of the branch's state and reads it again, for a
 * read-modify-write (kx_state_file_lock()); kx_prep_close() releases it.
 */
int kx_prep_lock(struct kx_prep *p);

/*
 * Takes the state's lock (kx_prep_lock()) and finds out that its file can
 * be written now (kx_state_file_probe()): what a rewrite asks before the
 * branch moves, so that a branch never moves without its state.  Returns
 * 0 or a negative KX_E* with the hint that nothing was changed.
 */
int kx_prep_lock_writable(struct kx_prep *p);

/*
 * Records the branch's tip as last_tip and writes the state; the range
 * cache of prep --show-info follows p->range when it is the branch's.
 */
int kx_prep_save(struct kx_prep *p);

/*
 * Writes p->range to the range cache when it is the enrolled branch's
 * series on its recorded base (what prep --show-info answers from without
 * a walk); anything else, or a failure, leaves the cache as it is.
 */
void kx_prep_cache_range(struct kx_prep *p);

/*
 * Sets p->range from the range cache if it was written for tip (40-hex),
 * the recorded base and b4 cover commit; returns whether it was.
 */
bool kx_prep_cached_range(struct kx_prep *p, const char *tip);

struct kx_import;
/*
 * Creates x86/<topic>/<name> on base_rev, or else on im's base-commit, or
 * else on <x86>/next's tip, with im's patches on it (NULL: none), checks
 * it out and enrolls it (from im: its change-id, cover letter and the
 * version after it; a topic NULL is the one its shortlog names, else
 * misc).  *created and *base_desc describe it.
 */
int kx_prep_create(struct kx_prep *p, const char *name, const char *topic,
		   const char *base_rev, const struct kx_import *im,
		   char **created, char **base_desc);

/*
 * Enrolls the open branch without changing a commit (unless drop_b4_cover):
 * the base from base_rev or check-base, the cover and history from git's
 * branch description or b4's tracking.  Adds what it did to notes.
 */
int kx_prep_enroll(struct kx_prep *p, const char *base_rev,
		   bool drop_b4_cover, struct kx_strlist *notes);

/*
 * Runs the editor on the cover letter; *changed tells whether the state
 * was changed (and written).  A text that is not UTF-8 is read as
 * Latin-1, which a note says; a text that cannot be stored is kept in
 * its file, which the error's hint names.
 */
int kx_prep_edit_cover(struct kx_prep *p, bool *changed,
		       struct kx_strlist *notes);

/*
 * Fills argv with the git range-diff that compares sent version rev with
 * the series now.
 */
int kx_prep_compare_argv(struct kx_prep *p, unsigned rev,
			 struct kx_strlist *argv);

/*
 * Archives the state and deletes the sent tags, unless commits of series
 * (the series model's) are in no sent version, or a send attempt is
 * unfinished, and !force (the caller removes the worktrees of kvmx86 test
 * then: kx_test_remove_worktrees()).  Returns 1 (changing nothing) if
 * unsent work or an unfinished attempt exists and !force, KX_EINVALID while
 * a kvmx86 test runs on the branch; *archived names the archive.
 */
struct kx_series;
int kx_prep_cleanup(struct kx_prep *p, const struct kx_series *series,
		    bool force, char **archived);

#endif
