// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backup and refusal for every command that rewrites commits (prep
 * --drop-b4-cover, prep --reorder, ...): see rewrite.h.
 */
#include <signal.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>

#include "io.h"
#include "rewrite.h"
#include "kvmx86/error.h"
#include "kvmx86/file.h"
#include "kvmx86/util.h"

/* Does repo's HEAD name refs/heads/<branch>, with changes to tracked files? */
static int dirty_checkout(bool *dirty, git_repository *repo, const char *ref)
{
	git_status_options opts;
	git_status_list *list = NULL;
	git_reference *head = NULL;
	int error = 0;

	*dirty = false;
	if (git_repository_is_bare(repo) ||
	    git_reference_lookup(&head, repo, "HEAD") < 0 ||
	    git_reference_type(head) != GIT_REFERENCE_SYMBOLIC ||
	    strcmp(git_reference_symbolic_target(head), ref))
		goto done;
	/* staged and unstaged changes to tracked files; untracked ignored */
	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if ((error = kx_git(git_status_list_new(&list, repo, &opts))) < 0)
		goto done;
	*dirty = git_status_list_entrycount(list) > 0;
done:
	git_status_list_free(list);
	git_reference_free(head);
	git_error_clear();
	return error;
}

/*
 * <ref>.lock (the branch's, or the backup ref's): git, or a git or kvmx86
 * killed while it moved the ref.  Either way nothing may move it now, and
 * the user is the one who can tell which.
 */
static int ref_locked(git_repository *repo, const char *ref)
{
	char *lock = kx_xasprintf("%s%s.lock", git_repository_commondir(repo), ref);
	int error = 0;

	if (access(lock, F_OK) == 0) {
		error = kx_error_set(KX_EINVALID,
				     "%s is locked: %s exists (a git at work, or one that was interrupted)",
				     ref, lock);
		kx_error_hint("nothing was changed; if no git or kvmx86 is running, remove the lock:\n"
			      "  rm '%s'", lock);
	}
	free(lock);
	return error;
}

/*
 * Can commits be written?  libgit2 1.5 may report a commit written into a
 * read-only or full object store as made, and the next read names it
 * missing: the store is tried with a byte first.
 */
int kx_rewrite_check_writable(git_repository *repo)
{
	char *path = kx_xasprintf("%sobjects/.kvmx86-write-XXXXXX",
				  git_repository_commondir(repo));
	int fd = mkstemp(path), error = 0;

	if (fd < 0 || write(fd, "x", 1) != 1 || fsync(fd) < 0) {
		char *dir = kx_xstrdup(path);

		dir[strlen(dir) - strlen("/.kvmx86-write-XXXXXX")] = '\0';
		error = kx_error_set(KX_ERROR, "cannot write objects into %s: %s",
				     dir, strerror(errno));
		kx_error_hint("nothing was changed; make room, or make the repository writable");
		free(dir);
	}
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	free(path);
	return error;
}

/* Does the first line of file gitdir/name read want? */
static bool file_names(const char *gitdir, const char *name, const char *want)
{
	char *path = kx_xasprintf("%s/%s", gitdir, name);
	char *text = kx_read_file(path);
	bool same = text && !strncmp(text, want, strlen(want)) &&
		    (!text[strlen(want)] || text[strlen(want)] == '\n');

	free(text);
	free(path);
	return same;
}

/*
 * Is branch being rebased or bisected in the worktree whose git directory
 * is gitdir, as git's own refusal to move such a branch sees it?  Stores
 * what is under way in *what.
 */
static bool in_progress(const char *gitdir, const char *branch, const char **what)
{
	char *ref = kx_xasprintf("refs/heads/%s", branch);
	bool busy = true;

	if (file_names(gitdir, "rebase-merge/head-name", ref) ||
	    file_names(gitdir, "rebase-apply/head-name", ref))
		*what = "a rebase";
	else if (file_names(gitdir, "BISECT_START", branch))
		*what = "a bisection";
	else
		busy = false;
	free(ref);
	return busy;
}

/*
 * Refuses a branch that a rebase or a bisection in any worktree is
 * working on: the HEAD there is detached, and the operation ends by
 * setting the branch, over whatever a rewrite made of it (git refuses
 * git branch -f for the same reason).
 */
static int check_not_in_progress(git_repository *repo, const char *branch)
{
	const char *what = NULL;
	git_strarray names = { NULL, 0 };
	char *where = NULL;
	size_t i;
	int error = 0;

	if (in_progress(git_repository_commondir(repo), branch, &what))
		where = kx_xstrdup("the main worktree");
	/* git's own list of worktrees: one pruned or gone is none */
	if (!where && git_worktree_list(&names, repo) == 0) {
		for (i = 0; i < names.count && !where; i++) {
			git_worktree *wt = NULL;
			git_repository *wt_repo = NULL;

			if (git_worktree_lookup(&wt, repo, names.strings[i]) == 0 &&
			    git_worktree_validate(wt) == 0 &&
			    git_repository_open_from_worktree(&wt_repo, wt) == 0 &&
			    in_progress(git_repository_path(wt_repo), branch, &what))
				where = kx_xasprintf("the worktree '%s'", names.strings[i]);
			git_repository_free(wt_repo);
			git_worktree_free(wt);
		}
	}
	git_error_clear();
	git_strarray_dispose(&names);
	if (where) {
		error = kx_error_set(KX_EINVALID, "branch %s is in the middle of %s in %s",
				     branch, what, where);
		kx_error_hint("finish it first (git rebase --continue or --abort, git bisect reset), then run the command again; nothing was changed");
	}
	free(where);
	return error;
}

/*
 * Can the backup ref of branch be made?  Not where a ref of that name is
 * a directory of others, or one of its leading parts is a ref: another
 * branch's backups (x86/a/1 for branch x86/a, then a branch x86/a/1).
 */
static int check_backup_room(git_repository *repo, const char *branch)
{
	char *name = kx_rewrite_backup_name(repo, branch), *glob, *part;
	const char *in_way = NULL;
	git_reference_iterator *it = NULL;
	git_reference *ref = NULL;
	size_t len;
	int error = 0;

	glob = kx_xasprintf("%s/*", name);
	if (git_reference_iterator_glob_new(&it, repo, glob) == 0 &&
	    git_reference_next(&ref, it) == 0)
		in_way = git_reference_name(ref);
	for (len = strlen("refs/kvmx86/backup/"); !in_way && name[len]; len++) {
		git_oid oid;

		if (name[len] != '/')
			continue;
		part = kx_xstrndup(name, len);
		if (git_reference_name_to_id(&oid, repo, part) == 0) {
			error = kx_error_set(KX_EINVALID,
					     "the backup ref %s cannot be made: the ref %s is in its way",
					     name, part);
			kx_error_hint("that is another branch's backup: keep what you need of it, then\n"
				      "  git update-ref -d %s\n"
				      "or rename the branch; nothing was changed", part);
		}
		free(part);
		if (error)
			break;
	}
	if (in_way) {
		error = kx_error_set(KX_EINVALID,
				     "the backup ref %s cannot be made: refs such as %s are under that name",
				     name, in_way);
		kx_error_hint("those are another branch's backups: keep what you need of them, then\n"
			      "  git update-ref -d %s\n"
			      "or rename the branch; nothing was changed", in_way);
	}
	git_error_clear();
	git_reference_free(ref);
	git_reference_iterator_free(it);
	free(glob);
	free(name);
	return error;
}

int kx_rewrite_check_clean(git_repository *repo, const char *branch)
{
	git_strarray names = { NULL, 0 };
	git_repository *main_repo = NULL;
	char *ref = kx_xasprintf("refs/heads/%s", branch);
	const char *where = NULL;
	char *wt_path = NULL;
	bool dirty = false;
	size_t i;
	int error;

	if ((error = ref_locked(repo, ref)) < 0 ||
	    (error = check_not_in_progress(repo, branch)) < 0 ||
	    (error = check_backup_room(repo, branch)) < 0 ||
	    (error = dirty_checkout(&dirty, repo, ref)) < 0)
		goto done;
	if (dirty) {
		where = git_repository_workdir(repo);
		goto done;
	}
	/* the main worktree, when this is a linked one */
	if (git_repository_is_worktree(repo) &&
	    git_repository_open(&main_repo, git_repository_commondir(repo)) == 0) {
		if ((error = dirty_checkout(&dirty, main_repo, ref)) < 0)
			goto done;
		if (dirty) {
			where = git_repository_workdir(main_repo);
			goto done;
		}
	}
	git_error_clear();
	if (git_worktree_list(&names, repo) < 0) {
		git_error_clear();
		goto done;
	}
	for (i = 0; i < names.count && !dirty; i++) {
		git_worktree *wt = NULL;
		git_repository *wt_repo = NULL;

		if (git_worktree_lookup(&wt, repo, names.strings[i]) == 0 &&
		    git_worktree_validate(wt) == 0 &&
		    git_repository_open_from_worktree(&wt_repo, wt) == 0) {
			error = dirty_checkout(&dirty, wt_repo, ref);
			if (dirty)
				wt_path = kx_xstrdup(git_worktree_path(wt));
		}
		git_error_clear();
		git_repository_free(wt_repo);
		git_worktree_free(wt);
		if (error < 0)
			goto done;
	}
	where = wt_path;
done:
	if (!error && dirty) {
		error = kx_error_set(KX_EINVALID,
				     "branch %s is checked out in %s with local changes",
				     branch, where ? where : "a worktree");
		kx_error_hint("commit or stash them first (git stash), then run the command again; nothing was changed");
	}
	git_strarray_dispose(&names);
	git_repository_free(main_repo);
	free(wt_path);
	free(ref);
	return error;
}

char *kx_rewrite_backup_name(git_repository *repo, const char *branch)
{
	unsigned n;

	for (n = 1; ; n++) {
		char *ref = kx_xasprintf("refs/kvmx86/backup/%s/%u", branch, n);
		git_oid oid;

		if (git_reference_name_to_id(&oid, repo, ref) < 0) {
			git_error_clear();
			return ref;
		}
		free(ref);
	}
}

int kx_rewrite_update_branch(char **backup, git_repository *repo,
			     const char *branch, const git_oid *old_tip,
			     const git_oid *new_tip, const char *what,
			     const char *reason)
{
	git_commit *old_c = NULL, *new_c = NULL;
	git_reference *bref = NULL, *ref = NULL;
	char *refname = kx_xasprintf("refs/heads/%s", branch);
	char *name = NULL, *msg = NULL;
	sigset_t hold, old_mask;
	bool held = false;
	int error;

	*backup = NULL;
	if ((error = kx_git(git_commit_lookup(&old_c, repo, old_tip))) < 0 ||
	    (error = kx_git(git_commit_lookup(&new_c, repo, new_tip))) < 0)
		goto done;
	if (git_oid_cmp(git_commit_tree_id(old_c), git_commit_tree_id(new_c))) {
		error = kx_error_set(KX_EINVALID,
				     "the rewritten %s would not have the tree of its tip %.12s",
				     branch, git_oid_tostr_s(old_tip));
		kx_error_hint("kvmx86 rewrites a branch only when the result has the same tree; nothing was changed");
		goto done;
	}
	/*
	 * keep the old tip reachable, then move the branch (with a reflog);
	 * an interrupt waits until both are done, so that it never leaves a
	 * ref's lock file behind or a branch moved without its backup
	 */
	sigemptyset(&hold);
	sigaddset(&hold, SIGINT);
	sigaddset(&hold, SIGTERM);
	sigaddset(&hold, SIGHUP);
	sigaddset(&hold, SIGQUIT);
	sigprocmask(SIG_BLOCK, &hold, &old_mask);
	held = true;
	name = kx_rewrite_backup_name(repo, branch);
	msg = kx_xasprintf("kvmx86 %s: backup of %s", what, branch);
	if ((error = ref_locked(repo, name)) < 0 ||
	    (error = kx_git(git_reference_create(&bref, repo, name, old_tip, 0, msg))) < 0)
		goto done;
	free(msg);
	msg = kx_xasprintf("kvmx86 %s: %s", what, reason);
	if ((error = kx_git(git_reference_create_matching(&ref, repo, refname, new_tip,
							  1, old_tip, msg))) < 0) {
		git_reference_delete(bref);
		git_error_clear();
		goto done;
	}
	*backup = name;
	name = NULL;
done:
	if (held)
		sigprocmask(SIG_SETMASK, &old_mask, NULL);
	git_reference_free(ref);
	git_reference_free(bref);
	git_commit_free(new_c);
	git_commit_free(old_c);
	free(refname);
	free(name);
	free(msg);
	return error;
}

int kx_rewrite_committer(git_signature **out, git_repository *repo,
			 const git_signature *old)
{
	const char *name = getenv("GIT_COMMITTER_NAME");
	const char *email = getenv("GIT_COMMITTER_EMAIL");
	git_config *cfg = NULL;
	char *cfg_name = NULL, *cfg_email = NULL;
	int error;

	(void)old;
	/*
	 * as git: each of the two from its variable, else committer.*, else
	 * user.*, else EMAIL for the address
	 */
	if (git_repository_config_snapshot(&cfg, repo) == 0) {
		if ((!name || !*name) &&
		    kx_config_string(&cfg_name, cfg, "committer.name") < 0)
			kx_config_string(&cfg_name, cfg, "user.name");
		if ((!email || !*email) &&
		    kx_config_string(&cfg_email, cfg, "committer.email") < 0)
			kx_config_string(&cfg_email, cfg, "user.email");
		git_config_free(cfg);
	}
	kx_error_clear();
	git_error_clear();
	if (!name || !*name)
		name = cfg_name;
	if (!email || !*email)
		email = cfg_email ? cfg_email : getenv("EMAIL");
	if (!name || !*name || !email || !*email) {
		/* never the old committer's name on new commits */
		error = kx_error_set(KX_EINVALID,
				     "no committer identity for the new commits: %s is not set",
				     !name || !*name ? "user.name" : "user.email");
		kx_error_hint("git config user.name \"Your Name\"; git config user.email you@example.com");
	} else {
		error = kx_git(git_signature_now(out, name, email));
	}
	free(cfg_name);
	free(cfg_email);
	return error;
}

int kx_rewrite_recreate(git_oid *new_tip, git_oid *new_ids,
			git_repository *repo, const git_oid *onto,
			const git_oid *ids, size_t nr,
			const char *const *messages)
{
	git_signature *me = NULL;
	git_commit *c = NULL, *parent = NULL;
	git_oid made;
	size_t i;
	int error = 0;

	git_oid_cpy(&made, onto);
	for (i = 0; i < nr && !error; i++) {
		git_tree *tree = NULL;
		const char *message;

		if ((error = kx_git(git_commit_lookup(&c, repo, &ids[i]))) < 0 ||
		    (!me && (error = kx_rewrite_committer(&me, repo,
							  git_commit_committer(c))) < 0) ||
		    (error = kx_git(git_commit_lookup(&parent, repo, &made))) < 0 ||
		    (error = kx_git(git_commit_tree(&tree, c))) < 0)
			goto next;
		message = messages && messages[i] ? messages[i] : git_commit_message(c);
		error = kx_git(git_commit_create(&made, repo, NULL,
						 git_commit_author(c), me,
						 git_commit_message_encoding(c),
						 message, tree, 1,
						 (const git_commit **)&parent));
		if (!error && new_ids)
			git_oid_cpy(&new_ids[i], &made);
next:
		git_tree_free(tree);
		git_commit_free(parent);
		parent = NULL;
		git_commit_free(c);
		c = NULL;
	}
	if (!error)
		git_oid_cpy(new_tip, &made);
	git_signature_free(me);
	return error;
}
