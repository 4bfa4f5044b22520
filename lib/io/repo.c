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

