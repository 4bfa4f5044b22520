/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kvmx86 test: a command at every commit of a series, each in a worktree
 * of kvmx86's own (never the user's checkout), results kept in the
 * repository's records (testrecords.h).
 */
#ifndef KVMX86_TESTRUN_H
#define KVMX86_TESTRUN_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "kvmx86/prep.h"
#include "kvmx86/testing.h"
#include "kvmx86/testrecords.h"

enum kx_test_status {
	KX_TEST_SKIPPED,	/* not run (interrupted first) */
	KX_TEST_PASS,
	KX_TEST_FAIL,		/* the command failed */
	KX_TEST_ERROR,		/* the commit could not be prepared */
};

/*
 * The name of the directory of branch's worktrees and logs (caller frees):
 * the characters make and kbuild take in a path only (letters, digits,
 * '.', '_', '-'), unique per branch.
 */
char *kx_test_label(const char *branch);

/*
 * Removes the worktrees kvmx86 test made for branch under commondir
 * ("<git-common-dir>/"), and their registration with git.
 */
void kx_test_remove_worktrees(const char *commondir, const char *branch);

/* Whether kvmx86 test made worktrees for branch under commondir. */
bool kx_test_has_worktrees(const char *commondir, const char *branch);

/*
 * Returns 0, or KX_EINVALID (message stored) when a live kvmx86 test holds
 * a worktree of branch: its worktrees must not be removed under it.
 */
int kx_test_worktrees_busy(const char *commondir, const char *branch);

/* Returns "pass", "fail", "error" or "skipped". */
const char *kx_test_status_name(enum kx_test_status s);

/* The command in each of --matrix's configurations, selftests, kut. */
#define KX_TEST_STEPS_MAX 8

/* One command of the run at one commit. */
struct kx_test_step {
	enum kx_test_status status;
	int exit_status;
	double seconds;
	bool recorded;		/* the result of an earlier run, not run now */
	char *options;		/* what the .config showed, or NULL */
	char dotconfig[41];	/* the .config's hash, or "" */
	unsigned long jobs, remote_jobs;	/* compile jobs, sent away */
};

struct kx_test_commit {
	char id[41];
	char tree[41];		/* what the records key it by */
	char *subject;
	/* overall: the first step that did not pass, else pass */
	enum kx_test_status status;
	int exit_status;	/* the failing step's, for fail */
	long step;		/* that step, or -1 */
	double seconds;		/* all steps */
	char *log;		/* the log file, or NULL */
	/* why, for error; for fail, what the exit status does not say */
	char *error;
	bool recorded;		/* every step came from an earlier run */
	bool vmlinux;		/* the series changed vmlinux's code by here */
	struct kx_test_step steps[KX_TEST_STEPS_MAX];
};

/* What runs at each commit, in order (set by kx_test_execute). */
struct kx_test_stepdef {
	const char *kind;	/* "command", "selftests", "kvm-unit-tests" */
	const char *const *argv;	/* NULL: --kernel's own build */
	const struct kx_kernel_config *config;	/* --kernel's, or NULL */
	enum kx_test_build build;	/* what a pass proves */
	char *record;		/* the command as recorded: shell-quoted */
	char *config_hash;	/* of what config asks for, or NULL */
};

struct kx_resolved;

struct kx_test_run {
	struct kx_resolved *series;	/* borrowed: repository, branch, state */
	bool enrolled;			/* the worktrees are the branch's */
	char *label;			/* the worktrees' and logs' directory name */
	struct kx_test_store store;	/* the repository's records */
	char *compiler;			/* `<cc> --version`, for the records */
	struct kx_strlist notes;	/* for the user: a line each */
	volatile sig_atomic_t *stop;	/* kx_test_execute()'s, while it runs */
	/* from the configuration (kx_test_open) */
	char **build_command;		/* kvmx86.buildCommand's words, or NULL */
	char *distcc_hosts;		/* kvmx86.distccHosts or DISTCC_HOSTS */
	bool icecc;			/* kvmx86.icecc */
	unsigned slots, hosts;		/* distcc's compile slots and hosts */
	struct kx_test_commit *commits;	/* oldest first */
	size_t nr;
	char base[41];			/* the first commit's parent, or "" */
	/* set by the caller before kx_test_execute() */
	const char *const *argv;	/* the command; NULL: --kernel's own */
	const char *const *selftests;	/* then these, if set, at each commit */
	const char *const *kut;
	unsigned jobs;			/* at least 1 */
	unsigned make_jobs;		/* make -j of --kernel's own build */
	bool rerun;			/* ignore recorded results */
	bool kernel;			/* the handbook's configuration */
	bool matrix;			/* and each other one of the matrix */
	bool no_link;			/* own build: arch/x86/kvm/ only */
	bool declared_build;		/* the command is a build (--build) */
	void (*progress)(void *data, size_t done, size_t total, double elapsed);
	/* called as each commit's result is final, in the order they come */
	void (*on_commit)(void *data, size_t index);
	void *progress_data;
	/* the steps (set by kx_test_execute) */
	struct kx_test_stepdef steps[KX_TEST_STEPS_MAX];
	size_t steps_nr;
};

/*
 * Prepares a run over the resolved series s (borrowed: it must outlive
 * r): its commits and their trees, the records, kvmx86.buildCommand,
 * kvmx86.distccHosts (else DISTCC_HOSTS) and kvmx86.icecc.  The worktrees
 * are the branch's if s ends at an enrolled branch, else the ranges'.
 * Returns 0 or a negative KX_E* (error.h).
 */
int kx_test_open(struct kx_test_run *r, struct kx_resolved *s);

/*
 * Runs r->argv at each commit, r->jobs at once, until done or *stop is
 * set (then running commands get SIGINT and their commits stay skipped).
 * With r->kernel, first configures each of its configurations in a build
 * directory of its own (make O=) and, for its own build, builds vmlinux
 * and the modules once at the base, then links KVM's modules at each
 * commit.  Each worktree is locked while the run uses it; one whose lock
 * commands of a run that is gone still hold is set aside for a new one.
 * Records each result as it comes.  Returns 0 (check *stop), or a
 * negative KX_E* for a failure of kvmx86's own.
 */
int kx_test_execute(struct kx_test_run *r, volatile sig_atomic_t *stop);

/*
 * Returns the testing statement of r's commits from every result recorded
 * for them (this run's and earlier runs' other commands), as prep --cover
 * writes it (caller frees), or NULL when the records cannot be read.
 */
char *kx_test_run_statement(const struct kx_test_run *r);

/*
 * Forgets the recorded results of the series' trees (all of the
 * repository's with all set); *forgotten says how many.  Returns 0 or a
 * negative KX_E*.
 */
int kx_test_forget(struct kx_test_run *r, bool all, size_t *forgotten);

/*
 * Appends to out at most max lines of t's log that say why it failed
 * (kx_test_log_excerpt()); nothing if there is no log.
 */
void kx_test_failure_lines(struct kx_strlist *out,
			   const struct kx_test_commit *t, size_t max);

/* Returns the index of the first failing commit in series order, or -1. */
long kx_test_first_failure(const struct kx_test_run *r);

/* Frees what r owns. */
void kx_test_close(struct kx_test_run *r);

#endif
