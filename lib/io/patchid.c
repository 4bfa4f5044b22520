// SPDX-License-Identifier: GPL-2.0-only
/*
 * Patch-ids, as git patch-id --stable (libgit2's git_diff_patchid()):
 * what tells a patch unchanged across versions, for resend-only-unmodified
 * and prep --trailers.
 */
#include <git2.h>

#include "io.h"
#include "kvmx86/error.h"
#include "kvmx86/state.h"
#include "kvmx86/util.h"

int kx_commit_patch_id(char out[41], git_repository *repo, const git_oid *id)
{
	git_commit *c = NULL, *parent = NULL;
	git_tree *old_tree = NULL, *new_tree = NULL;
	git_diff *diff = NULL;
	git_oid pid;
	int error;

	*out = '\0';
	if ((error = kx_git(git_commit_lookup(&c, repo, id))) < 0 ||
	    (error = kx_git(git_commit_tree(&new_tree, c))) < 0)
		goto done;
	if (git_commit_parentcount(c) &&
	    ((error = kx_git(git_commit_parent(&parent, c, 0))) < 0 ||
	     (error = kx_git(git_commit_tree(&old_tree, parent))) < 0))
		goto done;
	if ((error = kx_git(git_diff_tree_to_tree(&diff, repo, old_tree, new_tree, NULL))) < 0)
		goto done;
	if (git_diff_num_deltas(diff) &&
	    (error = kx_git(git_diff_patchid(&pid, diff, NULL))) == 0)
		git_oid_tostr(out, 41, &pid);
done:
	git_diff_free(diff);
	git_tree_free(old_tree);
	git_tree_free(new_tree);
	git_commit_free(parent);
	git_commit_free(c);
	return error;
}

int kx_sent_patch_ids(struct kx_strlist *out, git_repository *repo,
		      const struct kx_sent *e)
{
	struct kx_strlist rev = KX_STRLIST_INIT;
	git_commit *c = NULL;
	git_oid id, base;
	char pid[41];
	size_t i;
	int ok = 0;

	if (!e->tip || !e->base || git_oid_fromstr(&id, e->tip) < 0 ||
	    git_oid_fromstr(&base, e->base) < 0)
		return -1;
	/* a series is never this long: a base that is no ancestor ends it */
	while (git_oid_cmp(&id, &base) && rev.nr < 1000) {
		if (kx_commit_patch_id(pid, repo, &id) < 0 ||
		    git_commit_lookup(&c, repo, &id) < 0 || !git_commit_parentcount(c))
			break;
		if (*pid)
			kx_strlist_add(&rev, pid);
		git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
		c = NULL;
	}
	ok = !git_oid_cmp(&id, &base);
	git_commit_free(c);
	git_error_clear();
	kx_error_clear();
	for (i = rev.nr; ok && i > 0; i--)
		kx_strlist_add(out, rev.items[i - 1]);
	kx_strlist_release(&rev);
	return ok ? 0 : -1;
}
