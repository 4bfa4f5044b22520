// SPDX-License-Identifier: GPL-2.0-only
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/repository.h>

#include "io.h"
#include "kvmx86/error.h"
#include "kvmx86/seriesplan.h"
#include "kvmx86/util.h"

int kx_git(int ret)
{
	const git_error *e;

	if (ret >= 0)
		return ret;
	e = git_error_last();
	return kx_error_set(ret == GIT_ENOTFOUND ? KX_ENOTFOUND : KX_EGIT,
			    "%s", e && e->message ? e->message : "libgit2 error");
}

/*
 * A name holding an '@' (not "@" alone) is a ref called so, or nothing:
 * git refuses "xyzw@" where libgit2 reads it as HEAD.  Resolves the ref,
 * then the rest of spec (~, ^, :) against its commit.
 */
static int resolve_literal(git_object **out, git_repository *repo,
			   const char *spec, size_t len)
{
	git_reference *ref = NULL, *direct = NULL;
	char *name = kx_xstrndup(spec, len), *rest = NULL;
	int error;

	if ((error = git_reference_dwim(&ref, repo, name)) < 0 ||
	    (error = git_reference_resolve(&direct, ref)) < 0)
		goto done;
	if (!spec[len]) {
		error = git_reference_peel(out, direct, GIT_OBJECT_ANY);
		goto done;
	}
	if (spec[len] == '@') {		/* name@@{...}: a reflog of a name with '@' */
		error = GIT_ENOTFOUND;
		goto done;
	}
	rest = kx_xasprintf("%s%s", git_oid_tostr_s(git_reference_target(direct)),
			    spec + len);
	error = git_revparse_single(out, repo, rest);
done:
	git_reference_free(direct);
	git_reference_free(ref);
	free(name);
	free(rest);
	return error;
}

int kx_git_resolve_commit(git_oid *out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	size_t len = kx_rev_name_len(spec);
	int error = 0, r;

	if (kx_rev_name_is_literal(spec, len))
		r = resolve_literal(&obj, repo, spec, len);
	else
		r = git_revparse_single(&obj, repo, spec);
	if (r < 0 || git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		/* git's own words for a revision it cannot read */
		error = kx_error_set(KX_ENOTFOUND,
				     "ambiguous argument '%s': unknown revision or path not in the working tree",
				     spec);
	} else {
		git_oid_cpy(out, git_object_id(peeled));
	}
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}

int kx_git_ref_commit(git_oid *out, git_repository *repo, const char *refname)
{
	git_reference *ref = NULL;
	git_object *obj = NULL;
	int error = git_reference_lookup(&ref, repo, refname);

	if (!error)
		error = git_reference_peel(&obj, ref, GIT_OBJECT_COMMIT);
	if (!error)
		git_oid_cpy(out, git_object_id(obj));
	git_object_free(obj);
	git_reference_free(ref);
	if (error < 0) {
		git_error_clear();
		return kx_error_set(KX_ENOTFOUND, "there is no %s", refname);
	}
	return 0;
}

/*
 * Is wd (with its trailing '/') the directory dir?  libgit2 1.5's
 * git_repository_set_workdir() leaks when asked for the work tree it has.
 */
static bool same_dir(const char *wd, const char *dir)
{
	size_t n = strlen(dir);

	return wd && !strncmp(wd, dir, n) && (!strcmp(wd + n, "/") || !wd[n]);
}

int kx_repo_open(git_repository **out)
{
	const char *gitdir = getenv("GIT_DIR"), *worktree = getenv("GIT_WORK_TREE");
	const char *index = getenv("GIT_INDEX_FILE");
	git_index *idx = NULL;
	git_config *cfg = NULL;
	char cwd[PATH_MAX], real[PATH_MAX];
	int error;

	*out = NULL;
	if (!getcwd(cwd, sizeof(cwd)))
		strcpy(cwd, ".");
	if (getenv("GIT_COMMON_DIR")) {
		error = kx_error_set(KX_EUSAGE,
				     "GIT_COMMON_DIR is set, and kvmx86 cannot honour it (libgit2 1.5 does not)");
		kx_error_hint("unset GIT_COMMON_DIR, or run kvmx86 inside the linked worktree itself");
		return error;
	}
	if (worktree && *worktree) {
		/* libgit2's environment discovery refuses GIT_WORK_TREE: set it here */
		if (gitdir && *gitdir)
			error = git_repository_open_ext(out, gitdir,
							GIT_REPOSITORY_OPEN_NO_SEARCH, NULL);
		else
			error = git_repository_open_ext(out, ".", 0,
							getenv("GIT_CEILING_DIRECTORIES"));
		if (!error && index && *index &&
		    !(error = git_index_open(&idx, index)))
			git_repository_set_index(*out, idx);
		if (!error && !(realpath(worktree, real) &&
				same_dir(git_repository_workdir(*out), real)))
			error = git_repository_set_workdir(*out, worktree, 0);
	} else {
		/* GIT_DIR, GIT_INDEX_FILE, GIT_CEILING_DIRECTORIES, ... */
		error = git_repository_open_ext(out, NULL, GIT_REPOSITORY_OPEN_FROM_ENV,
						NULL);
		/* git: GIT_DIR without a work tree makes the current directory one */
		if (!error && gitdir && *gitdir && !git_repository_is_bare(*out) &&
		    git_repository_config_snapshot(&cfg, *out) == 0) {
			git_config_entry *e = NULL;

			if (git_config_get_entry(&e, cfg, "core.worktree") < 0 &&
			    !same_dir(git_repository_workdir(*out), cwd))
				error = git_repository_set_workdir(*out, cwd, 0);
			git_config_entry_free(e);
		}
	}
	git_config_free(cfg);
	git_index_free(idx);
	if (error == GIT_ENOTFOUND) {
		git_error_clear();
		git_repository_free(*out);
		*out = NULL;
		error = kx_error_set(KX_ENOTFOUND,
				     "not a git repository (or any of the parent directories): %s",
				     gitdir && *gitdir ? gitdir : cwd);
		kx_error_hint("run kvmx86 inside your kernel tree");
		return error;
	}
	if ((error = kx_git(error)) < 0) {
		git_repository_free(*out);
		*out = NULL;
	}
	return error;
}

void kx_repo_git_argv(struct kx_strlist *argv, git_repository *repo)
{
	const char *wd = git_repository_workdir(repo);

	kx_strlist_add(argv, "git");
	kx_strlist_addf(argv, "--git-dir=%s", git_repository_path(repo));
	if (wd)
		kx_strlist_addf(argv, "--work-tree=%s", wd);
}
