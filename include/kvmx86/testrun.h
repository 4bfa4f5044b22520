/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmx86 test: a command at every commit of a series, each in a worktree
 * of kvmx86's own (never the user's checkout), results kept in the state.
 */
#ifndef KVMX86_TESTRUN_H
#define KVMX86_TESTRUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/prep.h"

enum kx_test_status {
	KX_TEST_SKIPPED,	/* not run (interrupted first) */
	KX_TEST_PASS,
	KX_TEST_FAIL,		/* the command failed */
	KX_TEST_ERROR,		/* the commit could not be prepared */
};

/* Returns "pass", "fail", "error" or "skipped". */
const char *kx_test_status_name(enum kx_test_status s);

struct kx_test_commit {
	char id[41];
	char *subject;
	enum kx_test_status status;
	int exit_status;	/* the command's, for fail */
	double seconds;
	char *log;		/* the log file, or NULL */
	char *error;		/* why, for error */
	bool recorded;		/* the result of an earlier run, not run now */
};

struct kx_test_run {
	struct kx_prep prep;		/* the repository, branch and state */
	bool enrolled;			/* results go to the branch's state */
	char *label;			/* the worktrees' and logs' directory name */
	struct kx_test_commit *commits;	/* oldest first */
	size_t nr;
	/* set by the caller before kx_test_execute() */
	const char *const *argv;	/* the command */
	unsigned jobs;			/* at least 1 */
	bool rerun;			/* ignore recorded results */
	void (*progress)(void *data, size_t done, size_t total, double elapsed);
	void *progress_data;
};

/*
 * Opens the repository at path and finds the series of arg (a range with
 * "..", an enrolled branch, or check-base's series of a revision; NULL:
 * the current branch).  Returns 0 or a negative KX_E* (error.h).
 */
int kx_test_open(struct kx_test_run *r, const char *path, const char *arg);

/*
 * Runs r->argv at each commit, r->jobs at once, until done or *stop is
 * set (then running commands get SIGINT and their commits stay skipped).
 * Records each result in the state of an enrolled branch as it comes.
 * Returns 0 (check *stop), or a negative KX_E* for a failure of kvmx86's
 * own.
 */
int kx_test_execute(struct kx_test_run *r, volatile sig_atomic_t *stop);

/* Returns the index of the first failing commit in series order, or -1. */
long kx_test_first_failure(const struct kx_test_run *r);

/* Frees what r owns. */
void kx_test_close(struct kx_test_run *r);

#endif
