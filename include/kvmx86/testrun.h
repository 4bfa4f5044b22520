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
#include "kvmx86/testing.h"

enum kx_test_status {
	KX_TEST_SKIPPED,	/* not run (interrupted first) */
	KX_TEST_PASS,
	KX_TEST_FAIL,		/* the command failed */
	KX_TEST_ERROR,		/* the commit could not be prepared */
};

/* Returns "pass", "fail", "error" or "skipped". */
const char *kx_test_status_name(enum kx_test_status s);

#define KX_TEST_STEPS_MAX 3

/* One command of the run at one commit. */
struct kx_test_step {
	enum kx_test_status status;
	int exit_status;
	double seconds;
	bool recorded;		/* the result of an earlier run, not run now */
};

struct kx_test_commit {
	char id[41];
	char *subject;
	/* overall: the first step that did not pass, else pass */
	enum kx_test_status status;
	int exit_status;	/* the failing step's, for fail */
	double seconds;		/* all steps */
	char *log;		/* the log file, or NULL */
	char *error;		/* why, for error */
	bool recorded;		/* every step came from an earlier run */
	struct kx_test_step steps[KX_TEST_STEPS_MAX];
};

struct kx_test_run {
	struct kx_prep prep;		/* the repository, branch and state */
	bool enrolled;			/* results go to the branch's state */
	char *label;			/* the worktrees' and logs' directory name */
	struct kx_test_commit *commits;	/* oldest first */
	size_t nr;
	/* set by the caller before kx_test_execute() */
	const char *const *argv;	/* the command */
	const char *const *selftests;	/* then these, if set, at each commit */
	const char *const *kut;
	/* the steps: argv, selftests, kut (set by kx_test_execute) */
	const char *const *step_argv[KX_TEST_STEPS_MAX];
	const char *step_kind[KX_TEST_STEPS_MAX];	/* "command", "selftests", "kvm-unit-tests" */
	size_t steps_nr;
	unsigned jobs;			/* at least 1 */
	bool rerun;			/* ignore recorded results */
	bool kernel;			/* the handbook's kernel configuration first */
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
