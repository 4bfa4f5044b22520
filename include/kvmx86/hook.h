/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * git's hooks that a git command kvmx86 stands in for would run: git
 * send-email's sendemail-validate.
 */
#ifndef KVMX86_HOOK_H
#define KVMX86_HOOK_H

#include <stdbool.h>

struct git_repository;

/*
 * Stores in *path (caller frees) the hook name as git would run it
 * (core.hooksPath, else the hooks/ of the common git dir: git rev-parse
 * --git-path hooks/<name>), or NULL when there is none, or it is not an
 * executable file (git ignores it then).  Returns 0 or a negative KX_E*.
 */
int kx_hook_find(char **path, struct git_repository *repo, const char *name);

/*
 * Runs hook with the one argument arg as git runs its hooks: in the work
 * tree's top (the git dir if bare), GIT_DIR naming the repository, its
 * output on stderr (stdout is kvmx86's, --json's).  Stores its exit
 * status in *status (128 + signal).  Returns 0, or KX_ERROR if it could
 * not be started.
 */
int kx_hook_run(int *status, struct git_repository *repo, const char *hook,
		const char *arg);

/*
 * Whether git send-email would run sendemail-validate: its --validate /
 * --no-validate (option: 1, 0; -1 none), else
 * sendemail.<identity>.validate, else sendemail.validate, else yes; the
 * identity is --identity's, else kvmx86.identity's or sendemail.identity's.
 * Returns 0, or KX_EINVALID naming a key whose value is no boolean.
 */
int kx_send_validate_wanted(bool *on, struct git_repository *repo,
			    int option, const char *identity);

#endif
