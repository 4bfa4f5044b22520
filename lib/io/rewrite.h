/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one path every command that rewrites commits takes: refuse while the
 * branch is checked out with local changes, refuse a rewrite that changes
 * the tip's tree, keep the old tip under refs/kvmx86/backup/ and move the
 * branch with a reflog entry.  Since the tree never changes, a checked-out
 * branch needs no work-tree or index update.
 */
#ifndef KVMX86_IO_REWRITE_H
#define KVMX86_IO_REWRITE_H

#include <git2.h>

/*
 * Returns 0, or KX_EINVALID (with a hint) when branch (short name) is
 * locked (refs/heads/<branch>.lock, a git at work or one interrupted) or
 * checked out in a worktree whose index or work tree has changes to
 * tracked files; untracked files do not count, as for git rebase.
 */
int kx_rewrite_check_clean(git_repository *repo, const char *branch);

/*
 * Returns 0, or KX_ERROR naming the object store and the reason when no
 * object can be written there (read-only, full): libgit2 1.5 may report a
 * commit it could not write as made.  A byte is written and removed.
 */
int kx_rewrite_check_writable(git_repository *repo);

/*
 * Returns the first free refs/kvmx86/backup/<branch>/<n>, n from 1
 * (caller frees).
 */
char *kx_rewrite_backup_name(git_repository *repo, const char *branch);

/*
 * Moves refs/heads/<branch> from old_tip to new_tip, which must have the
 * same tree (KX_EINVALID otherwise, nothing changed), keeping old_tip as
 * the next refs/kvmx86/backup/<branch>/<n> (named in *backup, caller
 * frees).  The reflog message is "kvmx86 <what>: <reason>".  Fails, and
 * removes the backup, if the branch no longer points to old_tip.
 */
int kx_rewrite_update_branch(char **backup, git_repository *repo,
			     const char *branch, const git_oid *old_tip,
			     const git_oid *new_tip, const char *what,
			     const char *reason);

/*
 * The committer of a rewritten commit, as git rebase makes it: the
 * current identity (GIT_COMMITTER_NAME, else committer.name, else
 * user.name; GIT_COMMITTER_EMAIL, else committer.email, else user.email,
 * else EMAIL) and time; without a name or an email,
 * KX_EINVALID naming the key to set (old is not used).
 */
int kx_rewrite_committer(git_signature **out, git_repository *repo,
			 const git_signature *old);

/*
 * Re-creates the commits ids[0..nr) (oldest first, each the first parent
 * of the next) on onto, with their trees, authors and encodings, a
 * committer from kx_rewrite_committer(), and messages[i] as commit i's
 * message (messages or messages[i] NULL: its own).  The new ids go into
 * new_ids (nr entries; NULL: not wanted), the last into *new_tip.
 * Returns 0 or a negative KX_E*; nothing refers to what it made then.
 */
int kx_rewrite_recreate(git_oid *new_tip, git_oid *new_ids,
			git_repository *repo, const git_oid *onto,
			const git_oid *ids, size_t nr,
			const char *const *messages);

#endif
