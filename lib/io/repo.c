// SPDX-License-Identifier: GPL-2.0-only
#include <git2.h>

#include "io.h"
#include "kvmx86/error.h"

int kx_git(int ret)
{
	const git_error *e;

	if (ret >= 0)
		return ret;
	e = git_error_last();
	return kx_error_set(ret == GIT_ENOTFOUND ? KX_ENOTFOUND : KX_EGIT,
			    "%s", e && e->message ? e->message : "libgit2 error");
}

int kx_git_resolve_commit(git_oid *out, git_repository *repo, const char *spec)
{
	git_object *obj = NULL, *peeled = NULL;
	int error = 0;

	if (git_revparse_single(&obj, repo, spec) < 0 ||
	    git_object_peel(&peeled, obj, GIT_OBJECT_COMMIT) < 0) {
		git_error_clear();
		error = kx_error_set(KX_ENOTFOUND, "'%s' is not a commit in this repository",
				     spec);
	} else {
		git_oid_cpy(out, git_object_id(peeled));
	}
	git_object_free(peeled);
	git_object_free(obj);
	return error;
}
